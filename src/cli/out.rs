//! The one path for everything the command line prints: results to
//! stdout through `finish`, messages to stderr through `say` and `fail`,
//! store text and file names made safe first.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use annals::LoadError;
use annals::io::safe::safe;

pub fn store_name(store: Option<&PathBuf>) -> String {
    store.map_or_else(
        || format!("{} (built in)", annals::store::load::BUILTIN_NAME),
        |p| p.display().to_string(),
    )
}

/// Prints a load error and gives the failing exit code.
pub fn report(e: &LoadError) -> ExitCode {
    let n = e.problem_count();
    let unlisted = if e.unlisted > 0 {
        format!(" ({} not listed)", e.unlisted)
    } else {
        String::new()
    };
    say(&format!(
        "{e}\n{n} problem{} found{unlisted}",
        if n == 1 { "" } else { "s" }
    ));
    ExitCode::FAILURE
}

/// Writes a line to stderr. Everything the command line says goes through
/// here or `finish`: text from a store or a file name is made safe by the
/// caller, and a closed or full stderr is not worth a panic.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Prints an error and gives the failing exit code. Messages can quote
/// the store ("did you mean …"), so they are made safe to print.
pub fn fail(msg: &str) -> ExitCode {
    say(&format!("annals: {}", safe(msg)));
    ExitCode::FAILURE
}

/// "1 event", "2 events".
pub(super) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// The exit status after writing to stdout: a reader that went away
/// (`annals list | head`) ends the command quietly, a full disk says so;
/// either way the status says the output is not all there.
pub fn finish(res: std::io::Result<()>) -> ExitCode {
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::FAILURE,
        Err(e) => fail(&format!(
            "writing to standard output: {}",
            plain_io_error(&e)
        )),
    }
}

/// An I/O error in plain words, without "(os error 28)".
pub(super) fn plain_io_error(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}
