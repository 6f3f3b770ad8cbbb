//! `annals stories`: the stories beside a store and their steps, each
//! found in the store or missing; `annals export --story`: one of them in
//! story order.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use annals::Model;
use annals::annotate::stories::{Found, Stories, Story, Target, stories_path};
use annals::io::safe::{self, safe};

use super::load;
use super::out::{fail, finish, report};

/// The stories beside `store`, read as the explorer reads them.
pub(super) fn load_stories(store: Option<&PathBuf>) -> Result<Stories, ExitCode> {
    match store {
        None => Ok(Stories::default()),
        Some(p) => Stories::load(&stories_path(p)).map_err(|e| fail(&e)),
    }
}

pub(super) fn stories(store: Option<&PathBuf>, json: bool) -> ExitCode {
    let m = match load(store) {
        Ok(m) => m,
        Err(e) => return report(&e),
    };
    let stories = match load_stories(store) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut out = std::io::stdout().lock();
    let res = if json {
        let all: Vec<_> = stories.stories.iter().map(|s| story_json(&m, s)).collect();
        writeln!(
            out,
            "{}",
            safe::json_safe(serde_json::Value::Array(all).to_string())
        )
    } else if stories.stories.is_empty() {
        let file = store.map_or_else(String::new, |p| format!(" ({})", stories_path(p).display()));
        writeln!(out, "no stories beside this store{}", safe(&file))
    } else {
        stories
            .stories
            .iter()
            .try_for_each(|s| writeln!(out, "{}", story_text(&m, s)))
    };
    finish(res)
}

/// What a step names, in words: the event's title, the quote, the
/// disagreement.
fn step_words(m: &Model, on: &Target, found: &Found) -> String {
    match found {
        Found::Event(e) => {
            let ev = m.event(*e);
            format!("event {}: {} ({})", ev.id, ev.title, ev.when())
        }
        Found::Quote(e, q) => {
            let ev = m.event(*e);
            format!("quote from {}: “{}”", ev.id, ev.evidence[*q].text)
        }
        Found::Conflict(c) => {
            let c = &m.conflicts[*c as usize];
            format!(
                "disagreement over {} ({})",
                c.attribute,
                m.subject_name(c.subject)
            )
        }
        Found::Missing(why) => {
            let what = match on {
                Target::Event(id) => format!("event {id}"),
                Target::Quote { event, .. } => format!("quote from {event}"),
                Target::Conflict { attribute, .. } => format!("disagreement over {attribute}"),
            };
            format!("MISSING {what}: {why}")
        }
    }
}

fn story_text(m: &Model, s: &Story) -> String {
    let found = s.resolve(m);
    let missing = found.iter().filter(|f| f.is_missing()).count();
    let mut out = format!(
        "{} — {} step{}{}",
        safe(&s.name),
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        match missing {
            0 => String::new(),
            k => format!(", {k} missing"),
        }
    );
    if let Some(first) = s.intro.lines().find(|l| !l.trim().is_empty()) {
        out.push_str(&format!("\n  {}", safe(first.trim())));
    }
    for (k, (step, f)) in s.steps.iter().zip(&found).enumerate() {
        out.push_str(&format!(
            "\n  {:>2}. {}",
            k + 1,
            safe(&step_words(m, &step.on, f))
        ));
        if let Some(first) = step.text.lines().find(|l| !l.trim().is_empty()) {
            out.push_str(&format!("\n      {}", safe(first.trim())));
        }
    }
    out
}

fn story_json(m: &Model, s: &Story) -> serde_json::Value {
    let found = s.resolve(m);
    let steps: Vec<_> = s
        .steps
        .iter()
        .zip(&found)
        .enumerate()
        .map(|(k, (step, f))| {
            json!({
                "step": k + 1,
                "on": step.on,
                "prose": step.text,
                "found": !f.is_missing(),
                "missing": match f { Found::Missing(why) => Some(why.as_str()), _ => None },
                "event": f.event(m).map(|e| m.event(e).id.as_str()),
                "what": step_words(m, &step.on, f),
            })
        })
        .collect();
    json!({ "name": s.name, "introduction": s.intro, "steps": steps })
}

/// `export --story NAME`: the story in md, timelinejs or json.
pub(super) fn export_story(
    store: Option<&PathBuf>,
    name: &str,
    format: annals::export::Format,
) -> Result<Vec<u8>, ExitCode> {
    if let Some(why) = annals::export::story_format_refusal(format) {
        return Err(fail(&why));
    }
    if store.is_none() {
        return Err(fail("the built-in store has no stories file (--story)"));
    }
    let m = load(store).map_err(|e| report(&e))?;
    let stories = load_stories(store)?;
    let Some(story) = stories.get(name) else {
        let names: Vec<&str> = stories.stories.iter().map(|s| s.name.as_str()).collect();
        let known = if names.is_empty() {
            "there are none".to_string()
        } else {
            format!("there are: {}", names.join(", "))
        };
        let file = store.map_or_else(String::new, |p| stories_path(p).display().to_string());
        return Err(fail(&format!(
            "no story named {name:?} in {file} ({known})"
        )));
    };
    let on = annals::export::Made::today().on;
    annals::export::render_story(&m, story, format, &on).map_err(|e| fail(&e))
}
