//! annals: explore a timeline of events collected from news articles.
//!
//! The core (store format, validated model, search, filters) lives here and
//! knows nothing of terminals; the command line and the explorer are front
//! ends over it.

pub mod author;
pub mod cache;
pub mod config;
pub mod date;
pub mod export;
pub mod filter;
pub mod fold;
pub mod import;
pub mod load;
pub mod locate;
pub mod mapped;
pub mod model;
pub mod notes;
mod parse_split;
pub mod quote;
pub mod safe;
pub mod search;
pub mod shared;
pub mod state;
pub mod store;
pub mod synth;
pub mod tui;
pub mod validate;

pub use date::{Date, PartialDate};
pub use filter::Filter;
pub use load::{Diagnostic, LoadError, load_builtin, load_bytes, load_path, load_str};
pub use model::{Ix, Model};
pub use search::{Hit, SearchIndex, Target};
pub use shared::SharedStr;
