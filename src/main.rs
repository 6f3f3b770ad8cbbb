//! annals: the command line, and the explorer with no command (see `cli`).

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

mod cli;

fn main() -> ExitCode {
    fixed_malloc_thresholds();
    // Returning ends the process, a load the user walked away from included.
    // `annals --help` says where the settings file is read from.
    let settings = cli::config::help_text();
    let matches = cli::Cli::command()
        .after_help(settings.clone())
        .after_long_help(format!("{}\n\n{settings}", cli::examples::ROOT))
        .get_matches();
    match cli::Cli::from_arg_matches(&matches).and_then(cli::Cli::explorer_args_alone) {
        Ok(parsed) => cli::run(parsed),
        Err(e) => e.format(&mut cli::Cli::command()).exit(),
    }
}

/// glibc's malloc raises its mmap threshold each time a large block is
/// freed (up to 32 MiB), so a load's later large vectors come from the
/// heap and leave holes there it keeps: `annals check` of 100,000 events
/// peaked 23 MB higher. A fixed threshold keeps large blocks mapped and
/// given back when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fixed_malloc_thresholds() {
    // SAFETY: mallopt only sets malloc's tunables; called first thing in
    // main, before any other thread exists. A refusal (0) leaves glibc's
    // defaults, which work, only with more memory.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fixed_malloc_thresholds() {}
