//! `annals import`: a store from another tool's file.

use std::process::ExitCode;

use annals::io::safe::{self, safe};

use super::out::{fail, say};

/// `annals import`: reads, builds and checks a store, prints the summary,
/// and writes it (unless --dry-run) atomically, never over a file without
/// --force. Bad rows are skipped and listed; a malformed input writes nothing.
pub(super) fn import(
    format: annals::import::ImportFormat,
    input: &std::path::Path,
    output: Option<&std::path::Path>,
    force: bool,
    dry_run: bool,
    map: &[String],
    title: Option<String>,
) -> ExitCode {
    use annals::import::{self, ImportError};
    if !map.is_empty() && !format.takes_map() {
        say("annals: --map is for the csv and parquet formats only");
        return ExitCode::from(2);
    }
    let mut pairs = Vec::new();
    for m in map {
        match import::parse_map(m) {
            Ok(p) => pairs.extend(p),
            Err(e) => {
                say(&format!("annals: {}", safe(&e)));
                return ExitCode::from(2);
            }
        }
    }
    // Refused before the work, not after it.
    if !dry_run
        && !force
        && let Some(out) = output
        && out.exists()
    {
        return fail(&format!(
            "{} already exists; not replacing it (use --force to replace); nothing imported",
            safe(&out.display().to_string())
        ));
    }
    let opts = import::Options {
        title,
        map: pairs,
        ..import::Options::default()
    };
    let (store, summary) = match import::import_path(format, input, &opts) {
        Ok(v) => v,
        Err(ImportError::Empty { path, summary }) => {
            say(&safe::safe_lines(&summary.to_string()));
            return fail(&format!(
                "{path}: nothing to import: no row gave an event; nothing written"
            ));
        }
        Err(e) => return fail(&format!("{e}; nothing written")),
    };
    say(&safe::safe_lines(&summary.to_string()));
    if dry_run {
        return match import::validate(&store) {
            Ok(()) => {
                say("dry run: the store passes check; nothing written");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&format!("{e}; nothing written")),
        };
    }
    let Some(output) = output else {
        return fail("no output file (-o STORE.ron)");
    };
    let events = store.events.len();
    match import::write_store(store, output, force) {
        Ok(_) => {
            say(&format!(
                "wrote {events} events to {}",
                safe(&output.display().to_string())
            ));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("{e}; nothing written")),
    }
}
