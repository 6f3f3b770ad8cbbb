//! SIGTERM, SIGHUP and SIGINT end the explorer the way `q` does, so the
//! terminal is restored: the default action would kill the process with
//! the screen still in raw mode, on the alternate screen, reporting the mouse.
//! SIGBUS (a mapped load cache file cut short under the explorer) cannot
//! be survived, but the terminal is restored before the process ends.

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
            use signal_hook::consts::{SIGBUS, SIGHUP, SIGINT, SIGTERM};
            // SAFETY: `on_bus_error` makes only async-signal-safe calls.
            let _ = unsafe { signal_hook::low_level::register(SIGBUS, on_bus_error) };
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
                        // Still here: the main thread did not end (it is
                        // stuck, or the terminal is gone). Restore what
                        // can be restored from this thread, then end.
                        restore_raw();
                        // The cache files not written yet are finished
                        // elsewhere, as after a quit.
                        crate::cache::later::hand_off();
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

/// The terminal's settings before the explorer changed them, for
/// `on_bus_error`, which cannot ask crossterm (it takes a lock).
#[cfg(unix)]
static SAVED_TERMIOS: OnceLock<libc::termios> = OnceLock::new();

/// Keeps the terminal's settings: call before it is put in raw mode.
pub fn save_terminal() {
    #[cfg(unix)]
    {
        // SAFETY: tcgetattr fills the termios it is given, or fails and
        // nothing is kept.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::isatty(0) == 1 && libc::tcgetattr(0, &mut t) == 0 {
                let _ = SAVED_TERMIOS.set(t);
            }
        }
    }
}

/// Mouse reports off, the main screen back, the cursor shown, the
/// terminal's settings as they were, without crossterm (which takes locks
/// a stuck or interrupted main thread may hold). Only async-signal-safe
/// calls: write and tcsetattr.
fn restore_raw() {
    #[cfg(unix)]
    {
        const RESET: &[u8] =
            b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1049l\x1b[?25h\r\n";
        // SAFETY: a write of static bytes and tcsetattr of settings read
        // earlier.
        unsafe {
            libc::write(1, RESET.as_ptr().cast(), RESET.len());
            if let Some(t) = SAVED_TERMIOS.get() {
                libc::tcsetattr(0, libc::TCSANOW, t);
            }
        }
    }
}

/// A bus error: a file mapped into memory (a load cache file) was cut
/// short by another program. Returning would fault again; the process
/// ends here, with the terminal as it was: mouse reports off, the main
/// screen back, the cursor shown, the settings restored. Only
/// async-signal-safe calls: write, tcsetattr, _exit.
#[cfg(unix)]
fn on_bus_error() {
    const SAY: &[u8] = b"annals: bus error: a file it had mapped (a load cache file) was cut short by another program\n";
    restore_raw();
    // SAFETY: a write of static bytes and _exit, async-signal-safe.
    unsafe {
        libc::write(2, SAY.as_ptr().cast(), SAY.len());
        libc::_exit(128 + libc::SIGBUS);
    }
}
