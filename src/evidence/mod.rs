//! What a store's evidence means: dates and their bounds, quotes found
//! verbatim in their articles.

pub mod closest;
pub mod date;
pub mod quote;
pub mod words;
pub mod year;
