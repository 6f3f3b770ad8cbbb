//! `annals export`: a slice of the store in one of the export formats.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use annals::export::{self, Format};
use annals::io::atomic;
use annals::io::safe::{self, safe};

use super::FilterArgs;
use super::out::{fail, finish, say};
use super::slice::load_filtered;

/// Where and how `export` writes.
pub(super) struct Output<'a> {
    pub(super) format: Format,
    /// A file, or - for standard output.
    pub(super) path: &'a str,
    pub(super) force: bool,
    pub(super) bom: bool,
    pub(super) notes: bool,
    /// A story's name: the story in its own order, not a slice.
    pub(super) story: Option<&'a str>,
}

pub(super) fn export(
    store: Option<&PathBuf>,
    args: &FilterArgs,
    ids: &[String],
    to: &Output,
) -> ExitCode {
    let &Output {
        format,
        path: output,
        force,
        bom,
        notes: with_notes,
        story,
    } = to;
    if let Some(name) = story {
        return export_story(store, args, ids, to, name);
    }
    // A usage error, said before the store is read.
    if bom && let Some(why) = export::bom_refusal(format) {
        say(&format!("annals: {why}"));
        return ExitCode::from(2);
    }
    let (m, filter, mut events, _) = match load_filtered(store, args) {
        Ok(v) => v,
        Err(code) => return code,
    };
    if !ids.is_empty() {
        let mut wanted = Vec::new();
        for id in ids {
            match m.event_by_id(id.trim()) {
                Some(e) => wanted.push(e),
                None => return fail(&format!("no event has the id {:?}", id.trim())),
            }
        }
        events.retain(|e| wanted.contains(e));
    }
    let words = filter.describe(&m);
    let title = export::slice_title(&m, &words.join(", "));
    let mut words = words;
    if !ids.is_empty() {
        words.push(format!("ids {}", ids.join(", ")));
    }
    let notes = match (with_notes, store) {
        (false, _) => None,
        (true, None) => return fail("the built-in store has no notes file (--notes)"),
        (true, Some(p)) => {
            match annals::annotate::notes::Notes::load(&annals::annotate::notes::sidecar_path(p)) {
                Ok(n) => Some(n.slice(&m, &events)),
                Err(e) => return fail(&e),
            }
        }
    };
    let made = export::Made {
        filters: &words,
        notes: notes.as_ref(),
        ..export::Made::today()
    };
    let bytes = match export::render_with_bom(&m, &events, format, &title, &made, bom) {
        Ok(b) => b,
        Err(e) => return fail(&format!("cannot export: {e}")),
    };
    // What the format cannot carry, said on stderr whatever the output.
    let left = export::left_out(&m, &events, format);
    if let Some(l) = &left {
        say(&format!("annals: {}", safe(&l.describe(&m, format, 20))));
    }
    let written = events.len() - left.as_ref().map_or(0, |l| l.events.len());
    let what = format!("{written} events");
    match deliver(&bytes, output, force, format, &what) {
        Some(code) => code,
        None => {
            match notes.filter(|n| !n.is_empty() && matches!(format, Format::Ron | Format::Json)) {
                None => ExitCode::SUCCESS,
                Some(n) => export_notes_beside(&n, std::path::Path::new(output), force),
            }
        }
    }
}

/// `export --story NAME`: the story alone, in its order; filters, ids,
/// notes and a BOM do not apply to it.
fn export_story(
    store: Option<&PathBuf>,
    args: &FilterArgs,
    ids: &[String],
    to: &Output,
    name: &str,
) -> ExitCode {
    if !args.is_empty() || !ids.is_empty() || to.notes || to.bom {
        say(
            "annals: --story exports the whole story in its order: no filters, --ids, --notes or --bom with it",
        );
        return ExitCode::from(2);
    }
    match super::stories::export_story(store, name, to.format) {
        Ok(bytes) => {
            let what = format!("the story {name:?}");
            deliver(&bytes, to.path, to.force, to.format, &what).unwrap_or(ExitCode::SUCCESS)
        }
        Err(code) => code,
    }
}

/// Writes an export to `output` (a file, a terminal, or - for standard
/// output). `Some(code)` when that is all (standard output, a terminal,
/// or an error); `None` when a file was written and said so.
fn deliver(
    bytes: &[u8],
    output: &str,
    force: bool,
    format: Format,
    what: &str,
) -> Option<ExitCode> {
    if output == "-" {
        // Exports carry the store's text exactly; a terminal gets it made
        // harmless (a file or a pipe gets the bytes as they are).
        use std::io::IsTerminal;
        let mut out = std::io::stdout().lock();
        if out.is_terminal() {
            let text = safe::safe_lines(&String::from_utf8_lossy(bytes));
            return Some(finish(out.write_all(text.as_bytes())));
        }
        return Some(finish(out.write_all(bytes)));
    }
    if let Some(mut tty) = terminal_at(std::path::Path::new(output)) {
        // `-o /dev/stdout` or `-o /dev/tty` on a terminal: as `-o -`.
        let text = safe::safe_lines(&String::from_utf8_lossy(bytes));
        return Some(finish(tty.write_all(text.as_bytes())));
    }
    match atomic::write_atomic(std::path::Path::new(output), bytes, force) {
        Ok(how) => {
            let directly = match how {
                atomic::Written::Atomically => "",
                atomic::Written::Directly => ", written directly: not a regular file",
            };
            say(&format!(
                "wrote {} to {} ({}{directly})",
                safe(what),
                safe(output),
                format.name()
            ));
            None
        }
        Err(e) => Some(fail(&e.to_string())),
    }
}

/// The slice's notes as a sidecar beside a RON or JSON export.
pub(super) fn export_notes_beside(
    notes: &annals::annotate::notes::Notes,
    output: &std::path::Path,
    force: bool,
) -> ExitCode {
    let path = annals::annotate::notes::sidecar_path(output);
    match atomic::write_atomic(&path, notes.to_text().as_bytes(), force) {
        Ok(_) => {
            say(&format!(
                "wrote the notes to {}",
                safe(&path.display().to_string())
            ));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// The terminal `path` names (`/dev/stdout` on one, `/dev/tty`), opened for
/// writing; `None` for anything else.
fn terminal_at(path: &std::path::Path) -> Option<std::fs::File> {
    use std::io::IsTerminal;
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if !std::fs::metadata(path).ok()?.file_type().is_char_device() {
            return None;
        }
    }
    let f = std::fs::OpenOptions::new().write(true).open(path).ok()?;
    f.is_terminal().then_some(f)
}
