//! The store file: its format, and reading it (parse, load, positions of
//! problems, shared and mapped text).

pub(crate) mod fast_parse;
mod format;
pub mod load;
pub mod locate;
pub mod mapped;
pub(crate) mod parse_split;
pub mod shared;

pub use format::*;
