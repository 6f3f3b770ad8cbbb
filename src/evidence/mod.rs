//! What a store's evidence means: dates and their bounds, quotes found
//! verbatim in their articles.

pub mod closest;
pub mod coverage;
pub mod date;
pub mod overlap;

pub mod quote;
pub mod words;
pub mod year;
