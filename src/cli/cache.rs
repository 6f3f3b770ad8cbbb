//! `annals cache`: where the load cache is, what it holds, `--clear`.

use std::io::Write;
use std::process::ExitCode;

use annals::io::safe::safe;

use super::out::{fail, finish};

/// `annals cache`: where the load cache is and what it holds; `--clear`
/// removes its files.
pub(super) fn cache(clear: bool) -> ExitCode {
    if clear {
        return match annals::cache::clear() {
            Ok((dir, n)) => finish(writeln!(
                std::io::stdout().lock(),
                "removed {n} file{} from {}",
                if n == 1 { "" } else { "s" },
                safe(&dir.display().to_string())
            )),
            Err(e) => fail(&e),
        };
    }
    let Some(dir) = annals::cache::cache_dir() else {
        return fail("no cache directory on this system");
    };
    let (files, bytes) = annals::cache::usage_in(&dir);
    finish(writeln!(
        std::io::stdout().lock(),
        "{}\n{files} file{}, {:.1} MB",
        safe(&dir.display().to_string()),
        if files == 1 { "" } else { "s" },
        bytes as f64 / 1e6
    ))
}
