//! `annals check`: a store's counts, or every problem found; the notes
//! and stories beside it checked against it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use annals::Model;
use annals::io::safe::{self, safe};

use super::load;
use super::out::{finish, plural, report, say, store_name};

pub(super) fn check(store: Option<&PathBuf>, json: bool) -> ExitCode {
    let name = store_name(store);
    match load(store) {
        Ok(m) => {
            // The store's own result first; the notes beside it after.
            let printed = check_ok(&m, &name, json);
            let notes = store.and_then(|p| check_notes(&m, p));
            let stories = store.and_then(|p| check_stories(&m, p));
            let code = notes.or(stories).unwrap_or(printed);
            // The process ends here: freeing the model item by item would
            // only cost time (a tenth of a check at 100,000 events).
            std::mem::forget(m);
            code
        }
        Err(e) if json => {
            let errors: Vec<_> = e
                .diagnostics
                .iter()
                .map(|d| json!({ "line": d.line, "column": d.column, "message": d.message }))
                .collect();
            let res = writeln!(
                std::io::stdout().lock(),
                "{}",
                safe::json_safe(
                    json!({ "file": e.file, "ok": false, "errors": errors }).to_string()
                )
            );
            finish(res);
            ExitCode::FAILURE
        }
        Err(e) => report(&e),
    }
}

/// Prints a store's counts (`check` of a store that loaded).
pub(super) fn check_ok(m: &Model, name: &str, json: bool) -> ExitCode {
    let compatible = m.conflicts.iter().filter(|c| c.compatible).count();
    let counts = [
        ("sources", m.sources.len()),
        ("origins", m.origins.len()),
        ("actors", m.actors.len()),
        ("places", m.places.len()),
        ("events", m.events.len()),
        ("relations", m.relations.len()),
        ("claims", m.claims.len()),
        ("conflicts", m.conflicts.len()),
        ("compatible_conflicts", compatible),
    ];
    if json {
        let c: serde_json::Map<String, serde_json::Value> = counts
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        finish(writeln!(
            std::io::stdout().lock(),
            "{}",
            safe::json_safe(json!({ "file": name, "ok": true, "counts": c }).to_string())
        ))
    } else {
        let line: Vec<String> = counts
            .iter()
            .filter(|&&(k, _)| k != "compatible_conflicts")
            .map(|&(k, v)| match k {
                "origins" => format!("{v} independent {}", plural(v, "origin")),
                // Compatible values are a disagreement of words only.
                "conflicts" => match compatible {
                    0 => format!("{v} {}", plural(v, "conflict")),
                    c => format!("{v} {} ({c} compatible)", plural(v, "conflict")),
                },
                _ => format!("{v} {}", plural(v, k.trim_end_matches('s'))),
            })
            .collect();
        finish(writeln!(
            std::io::stdout().lock(),
            "{}: ok\n{}",
            safe(name),
            line.join(", ")
        ))
    }
}

/// The notes file beside a store, against the store: it parses, and its
/// stars and notes name what the store has. `None` when all is well (or
/// there is none); else the problems, printed, and the failing code.
pub(super) fn check_notes(m: &Model, store: &std::path::Path) -> Option<ExitCode> {
    let path = annals::annotate::notes::sidecar_path(store);
    let shown = safe(&path.display().to_string());
    let text = match annals::annotate::notes::Notes::read_text(&path) {
        Ok(text) => text?,
        Err(e) => {
            say(&format!("annals: {}", safe(&e)));
            return Some(ExitCode::FAILURE);
        }
    };
    let notes = match annals::annotate::notes::Notes::parse(&text) {
        Ok(n) => n,
        Err(e) => {
            say(&format!("{shown}:{}", safe(&e)));
            return Some(ExitCode::FAILURE);
        }
    };
    let dangling = notes.dangling(m, &text);
    if dangling.is_empty() {
        return None;
    }
    for (line, why) in &dangling {
        say(&format!("{shown}:{line}: {}", safe(why)));
    }
    say(&format!(
        "{} problem{} in the notes beside the store",
        dangling.len(),
        if dangling.len() == 1 { "" } else { "s" }
    ));
    Some(ExitCode::FAILURE)
}

/// The stories file beside a store, against the store: it parses, names
/// are not repeated, and every step names what the store has. `None`
/// when all is well (or there is none); else the problems, printed, and
/// the failing code.
pub(super) fn check_stories(m: &Model, store: &std::path::Path) -> Option<ExitCode> {
    use annals::annotate::stories::{Stories, stories_path};
    let path = stories_path(store);
    let shown = safe(&path.display().to_string());
    let text = match Stories::read_text(&path) {
        Ok(text) => text?,
        Err(e) => {
            say(&format!("annals: {}", safe(&e)));
            return Some(ExitCode::FAILURE);
        }
    };
    let problems: Vec<String> = match Stories::parse(&text) {
        Ok(stories) => stories
            .dangling(m, &text)
            .iter()
            .map(|(line, why)| format!("{line}: {why}"))
            .collect(),
        Err(ps) => ps.iter().map(ToString::to_string).collect(),
    };
    if problems.is_empty() {
        return None;
    }
    for p in &problems {
        say(&format!("{shown}:{}", safe(p)));
    }
    say(&format!(
        "{} problem{} in the stories beside the store",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    ));
    Some(ExitCode::FAILURE)
}
