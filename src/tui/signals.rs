//! SIGTERM, SIGHUP and SIGINT end the explorer the way `q` does, so the
//! terminal is restored: the default action would kill the process with
//! the screen still in raw mode, on the alternate screen, reporting the mouse.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

static STOP: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// Catches the signals from now on (once per process).
pub fn install() {
    let flag = STOP.get_or_init(|| Arc::new(AtomicBool::new(false)));
    #[cfg(unix)]
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        // If one cannot be caught, it keeps its default action: nothing
        // worse than before.
        let _ = signal_hook::flag::register(sig, Arc::clone(flag));
    }
}

/// Whether a signal asked the explorer to stop. The event loops look at
/// least every 50 ms.
pub fn stop_requested() -> bool {
    STOP.get().is_some_and(|f| f.load(Ordering::Relaxed))
}
