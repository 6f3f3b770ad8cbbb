//! SIGTERM, SIGHUP and SIGINT end the explorer the way `q` does, so the
//! terminal is restored: the default action would kill the process with
//! the screen still in raw mode, on the alternate screen, reporting the mouse.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static STOP: AtomicBool = AtomicBool::new(false);
/// While an editor runs in the foreground, Ctrl-C is the editor's.
static INTERRUPT_PAUSED: AtomicBool = AtomicBool::new(false);
static INSTALLED: OnceLock<()> = OnceLock::new();

/// How long the explorer has to end by itself after a signal. When the
/// terminal itself is gone (a closed window: SIGHUP), reading it can spin
/// and never return, and there is nothing left to restore: then the
/// process ends here.
const GRACE: Duration = Duration::from_secs(1);

/// Catches the signals from now on (once per process).
pub fn install() {
    INSTALLED.get_or_init(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            // If they cannot be caught, they keep their default action:
            // nothing worse than before.
            if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])
            {
                std::thread::spawn(move || {
                    for sig in signals.forever() {
                        if sig == SIGINT && INTERRUPT_PAUSED.load(Ordering::Relaxed) {
                            continue;
                        }
                        STOP.store(true, Ordering::Relaxed);
                        std::thread::sleep(GRACE);
                        std::process::exit(128 + sig);
                    }
                });
            }
        }
    });
}

/// Whether a signal asked the explorer to stop. The event loops look at
/// least every 50 ms.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// Lets SIGINT through to a program run in the foreground (an editor),
/// or catches it again.
pub fn pause_interrupt(paused: bool) {
    INTERRUPT_PAUSED.store(paused, Ordering::Relaxed);
}
