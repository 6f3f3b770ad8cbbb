//! A whole process timed as the machine saw it: wall time, CPU time (user
//! and system, from `wait4`: what other work on the machine does not
//! inflate much) and peak resident memory. Shared by the benches that run
//! the real binary (`check_ratio`, `gdelt`).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of a command cost.
#[derive(Clone, Copy, Debug)]
pub struct Cost {
    pub wall: Duration,
    /// User + system time.
    pub cpu: Duration,
    /// Peak resident memory, in bytes.
    pub peak: u64,
}

/// Runs the command to its end, which must be a success, and says what
/// it cost (from `wait4`, which gives a child's own times and peak).
// The child is reaped by `wait4`, which `Child::wait` cannot stand for.
#[allow(clippy::zombie_processes)]
pub fn run(command: &mut Command) -> Cost {
    let started = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the command starts");
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our child's, not yet waited for; both pointers
    // are to live locals.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{command:?} failed"
    );
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Cost {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        // Linux gives kilobytes.
        peak: usage.ru_maxrss as u64 * 1024,
    }
}
