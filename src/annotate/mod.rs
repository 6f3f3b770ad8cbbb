//! The analyst's own layer beside a store, never in it: notes and stars,
//! and sessions.

pub mod notes;
pub mod sessions;
