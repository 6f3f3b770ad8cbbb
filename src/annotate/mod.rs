//! The analyst's own layer beside a store, never in it: notes and stars,
//! stories, and sessions.

pub mod notes;
pub mod sessions;
pub mod stories;
