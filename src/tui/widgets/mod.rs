//! Drawing helpers the panes and overlays share, below all of them: store
//! text made safe and fitted to columns, popup frames, scrolled lines.

pub mod frame;
pub mod text;
