//! Faults the end-to-end tests inject into the real binary, to check that
//! the terminal is restored after a panic during drawing and after an
//! error return. Set `ANNALS_FAULT=panic` or `ANNALS_FAULT=error`; the
//! fault strikes after the first key, once the explorer is on screen.
//! `ANNALS_FAULT=search-panic` makes the first search panic on the search
//! worker. `ANNALS_FAULT=hang` makes the main thread stop answering after
//! the first key, as one stuck on a file would. Unset (always, in normal
//! use), nothing changes.

use std::io;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Panic inside `Terminal::draw`.
    PanicInDraw,
    /// Return an I/O error from the event loop, as a lost terminal would.
    Error,
    /// Panic in the first search, on the search worker.
    PanicInSearch,
    /// The main thread stops answering (sleeps for good) after a key.
    Hang,
}

impl Fault {
    pub fn from_env() -> Self {
        match std::env::var("ANNALS_FAULT").as_deref() {
            Ok("panic") => Fault::PanicInDraw,
            Ok("error") => Fault::Error,
            Ok("search-panic") => Fault::PanicInSearch,
            Ok("hang") => Fault::Hang,
            _ => Fault::None,
        }
    }

    /// Called while drawing, once keys have been read.
    pub fn in_draw(self, keys_read: bool) {
        if self == Fault::PanicInDraw && keys_read {
            panic!("injected fault: ANNALS_FAULT=panic");
        }
    }

    /// Called by the search worker before each search.
    pub fn in_search(self, first: bool) {
        if self == Fault::PanicInSearch && first {
            panic!("injected fault: ANNALS_FAULT=search-panic");
        }
    }

    /// Called after a key was handled.
    pub fn in_loop(self) -> io::Result<()> {
        match self {
            Fault::Error => Err(io::Error::other("injected fault: ANNALS_FAULT=error")),
            Fault::Hang => loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            },
            _ => Ok(()),
        }
    }
}
