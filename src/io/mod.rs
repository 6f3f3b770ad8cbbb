//! Small I/O that every layer uses: atomic writes, bounded reads of files
//! annals does not own, and text made safe to print.

pub mod atomic;
pub mod read;
pub mod safe;
