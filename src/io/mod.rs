//! Small I/O that every layer uses: atomic writes and text made safe to
//! print.

pub mod atomic;
pub mod safe;
