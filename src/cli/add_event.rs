//! `annals add-event`: an event written into a store from the command
//! line, for scripts. Every problem is named at once and nothing is
//! written unless all is well; success prints the new event's id.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use annals::author::{self, NewEntity, NewEvent, NewQuote};
use annals::io::safe::safe;

use super::out::{fail, finish, report, say};

/// A store edited in place is read whole.
const MAX_STORE_BYTES: u64 = 4 << 30;

#[derive(clap::Args, Debug)]
pub struct AddEventArgs {
    /// The store to add the event to (it must exist)
    pub store: PathBuf,
    /// When it happened: 2024-03, ~2024-03
    ///
    /// Never more precise than the sources: 2024-03, ~2024-03 (about),
    /// [2024-03..2024-05] (some time between).
    #[arg(long)]
    pub date: String,
    /// What happened, in a line
    #[arg(long)]
    pub title: String,
    /// What happened, in a few sentences
    #[arg(long)]
    pub summary: Option<String>,
    /// SOURCE:TEXT, a quote (one or more)
    ///
    /// The source's id and its words, found verbatim in its article
    /// (repeatable; at least one).
    #[arg(long = "quote", value_name = "SOURCE:TEXT")]
    pub quotes: Vec<String>,
    /// A stored actor's id, name or alias
    ///
    /// Repeatable.
    #[arg(long = "actor")]
    pub actors: Vec<String>,
    /// A stored place's id, name or alias
    ///
    /// Repeatable.
    #[arg(long = "place")]
    pub places: Vec<String>,
    /// A tag (repeatable)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// NAME:KIND, a new actor of the event
    ///
    /// An actor to create, at the end of the actors; it is one of the
    /// event's actors.
    #[arg(long = "new-actor", value_name = "NAME:KIND")]
    pub new_actors: Vec<String>,
    /// NAME:KIND[:WITHIN], a new place
    ///
    /// A place to create, at the end of the places; it is one of the
    /// event's places unless it is only where another new place lies.
    #[arg(long = "new-place", value_name = "NAME:KIND[:WITHIN]")]
    pub new_places: Vec<String>,
    /// The event's id (default: date and title)
    ///
    /// Default: the date and the title's whole words.
    #[arg(long)]
    pub id: Option<String>,
}

fn shown(p: &Path) -> String {
    safe(&p.display().to_string())
}

pub fn add_event(a: &AddEventArgs) -> ExitCode {
    let name = a.store.display().to_string();
    let before = match annals::io::read::read_text_bounded(&a.store, MAX_STORE_BYTES) {
        Ok(Some(t)) => t,
        Ok(None) => return fail(&format!("cannot read {}: no such file", shown(&a.store))),
        Err(e) => return fail(&format!("cannot read {e}")),
    };
    let model = match annals::load_str(&before, &name) {
        Ok(m) => m,
        Err(e) => {
            say("annals: the store has problems; fix them before adding an event:");
            return report(&e);
        }
    };
    let (event, mut errs) = new_event(a);
    let edit = match author::add_event(&before, &model, &event) {
        Ok(edit) if errs.is_empty() => edit,
        Ok(_) => return refuse(&a.store, &errs),
        Err(more) => {
            errs.extend(more);
            return refuse(&a.store, &errs);
        }
    };
    if let Err(e) = author::undo::write_edit(&a.store, &before, &edit.text) {
        return fail(&e);
    }
    say(&format!(
        "added event {:?} to {}",
        safe(&edit.event_id),
        shown(&a.store)
    ));
    let mut out = std::io::stdout().lock();
    finish(writeln!(out, "{}", safe(&edit.event_id)))
}

/// Every problem, then that nothing was written.
fn refuse(store: &Path, errs: &[String]) -> ExitCode {
    for e in errs {
        say(&format!("annals: {}", safe(e)));
    }
    say(&format!(
        "annals: {} problem{}; nothing was written to {}",
        errs.len(),
        if errs.len() == 1 { "" } else { "s" },
        shown(store)
    ));
    ExitCode::FAILURE
}

/// The event the arguments describe, and what is wrong in their shape.
fn new_event(a: &AddEventArgs) -> (NewEvent, Vec<String>) {
    let mut errs = Vec::new();
    let quotes = (a.quotes.iter())
        .filter_map(|q| match q.split_once(':') {
            Some((source, text)) => Some(NewQuote {
                source: source.trim().into(),
                text: text.into(),
            }),
            None => {
                errs.push(format!(
                    "--quote {:?}: give it as SOURCE:TEXT (the source's id, a colon, the words)",
                    annals::io::safe::cut(q, 60)
                ));
                None
            }
        })
        .collect();
    let entity = |s: &str| {
        let mut parts = s.splitn(3, ':');
        NewEntity {
            id: None,
            name: parts.next().unwrap_or("").trim().into(),
            kind: parts.next().unwrap_or("").trim().into(),
            within: parts.next().map(|w| w.trim().into()),
        }
    };
    let new_actors: Vec<NewEntity> = a.new_actors.iter().map(|s| entity(s)).collect();
    let new_places: Vec<NewEntity> = a.new_places.iter().map(|s| entity(s)).collect();
    for e in new_actors.iter().filter(|e| e.within.is_some()) {
        errs.push(format!("--new-actor {:?}: give it as NAME:KIND", e.name));
    }
    let mut actors = a.actors.clone();
    for e in &new_actors {
        if !named(&actors, &e.name) {
            actors.push(e.name.clone());
        }
    }
    let mut places = a.places.clone();
    for e in &new_places {
        let holds_another =
            (new_places.iter()).any(|p| p.within.as_deref().is_some_and(|w| same(w, &e.name)));
        if !named(&places, &e.name) && !holds_another {
            places.push(e.name.clone());
        }
    }
    let event = NewEvent {
        id: a.id.clone(),
        date: a.date.clone(),
        title: a.title.clone(),
        summary: a.summary.clone(),
        actors,
        places,
        tags: a.tags.clone(),
        quotes,
        new_actors,
        new_places,
    };
    (event, errs)
}

fn same(a: &str, b: &str) -> bool {
    annals::search::fold::fold_str(a.trim()) == annals::search::fold::fold_str(b.trim())
}

fn named(list: &[String], name: &str) -> bool {
    list.iter().any(|n| same(n, name))
}
