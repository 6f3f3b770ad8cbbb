//! annals: explore a timeline of events collected from news articles.
//!
//! The core (store format, validated model, search, filters) lives here and
//! knows nothing of terminals; the command line and the explorer are front
//! ends over it.

pub mod annotate;
pub mod author;
pub mod cache;
pub mod config;
pub mod disputes;
pub mod evidence;
pub mod export;
pub mod filter;
pub mod import;
pub mod io;
pub mod model;
pub mod search;
pub mod store;
pub mod synth;
pub mod tui;
pub mod validate;

pub use evidence::date::{Date, PartialDate};
pub use filter::Filter;
pub use model::{Ix, Model};
pub use search::{Hit, SearchIndex, Target};
pub use store::load::{Diagnostic, LoadError, load_builtin, load_bytes, load_path, load_str};
pub use store::shared::SharedStr;
