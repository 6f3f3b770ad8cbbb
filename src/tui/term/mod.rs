//! The terminal's plumbing: signals, the mouse, the loading screen, the
//! store watched and reloaded, the external editor, injected faults, and
//! the explorer's own writes to the store (undone by `U`).

pub mod editor;
pub mod fault;
pub mod loading;
pub mod mouse;
pub mod reload;
pub mod signals;
pub mod watch;
pub mod write;
pub mod write_copy;
