//! The analyst's annotations: stars on events, notes on events, quotes and
//! disagreements. They live in a sidecar file beside the store
//! (`STORE.notes.ron`), never in it, so the store stays what its sources
//! say. The file is sorted and written one item per line, so a team can
//! keep it in git and read its diffs.
//!
//! ```ron
//! (
//!     stars: ["coup", "us-withdrawal"],
//!     notes: [
//!         (on: Event("coup"), text: "Check the date against Le Monde."),
//!         (on: Quote(event: "coup", source: "dexter", quote: "a military coup in February 2023"), text: "February?"),
//!         (on: Conflict(subject: "air-base-201", attribute: "cost of Air Base 201"), text: "Ask the Pentagon."),
//!     ],
//! )
//! ```

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Ix, Model};
use crate::search::fold::fold_str;

/// What a note is about, by ids and text that survive edits of the store.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Target {
    Event(String),
    Quote {
        event: String,
        source: String,
        quote: String,
    },
    Conflict {
        subject: String,
        attribute: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub on: Target,
    pub text: String,
}

/// The sidecar file's content.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notes {
    #[serde(default)]
    pub stars: BTreeSet<String>,
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// Sidecars larger than this are refused: notes, not a second store.
const MAX_BYTES: u64 = 64 << 20;

/// `STORE.notes.ron` beside `STORE.ron`.
pub fn sidecar_path(store: &Path) -> PathBuf {
    let stem = store
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store".into());
    store.with_file_name(format!("{stem}.notes.ron"))
}

impl Notes {
    /// Reads a sidecar; none is no notes. Errors name the file, line and
    /// column.
    pub fn load(path: &Path) -> Result<Notes, String> {
        match Notes::read_text(path)? {
            None => Ok(Notes::default()),
            Some(text) => Notes::parse(&text).map_err(|e| format!("{}:{e}", path.display())),
        }
    }

    /// A sidecar's text, `None` when there is none. Only a regular file
    /// is read (a FIFO or device in its place is refused at once), and at
    /// most `MAX_BYTES` of it, whatever size it reports.
    pub fn read_text(path: &Path) -> Result<Option<String>, String> {
        crate::io::read::read_text_bounded(path, MAX_BYTES).map_err(|e| e.to_string())
    }

    /// Parses a sidecar's text; an error is `line:column: what`.
    pub fn parse(text: &str) -> Result<Notes, String> {
        ron::from_str(text)
            .map_err(|e| format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code))
    }

    /// The text to write: sorted, one item per line.
    pub fn to_text(&self) -> String {
        let mut notes = self.notes.clone();
        notes.sort_by(|a, b| a.on.cmp(&b.on).then(a.text.cmp(&b.text)));
        let mut out = String::from(
            "// annals notes: stars and notes on the events, quotes and disagreements\n\
             // of the store beside this file. The store is not changed by them.\n(\n    stars: [\n",
        );
        for s in &self.stars {
            out.push_str(&format!("        {},\n", lit(s)));
        }
        out.push_str("    ],\n    notes: [\n");
        for n in &notes {
            let on = target_text(&n.on);
            out.push_str(&format!("        (on: {on}, text: {}),\n", lit(&n.text)));
        }
        out.push_str("    ],\n)\n");
        out
    }

    /// Writes the sidecar atomically (it is the analyst's own file: it is
    /// replaced, as a save is).
    pub fn save(&self, path: &Path) -> Result<(), String> {
        crate::io::atomic::write_own(path, self.to_text().as_bytes())
            .map_err(|e| format!("cannot save {}: {}", path.display(), e.reason()))
    }

    pub fn is_starred(&self, event_id: &str) -> bool {
        self.stars.contains(event_id)
    }

    pub fn toggle_star(&mut self, event_id: &str) -> bool {
        if !self.stars.remove(event_id) {
            self.stars.insert(event_id.to_string());
            true
        } else {
            false
        }
    }

    pub fn note(&self, on: &Target) -> Option<&str> {
        self.notes
            .iter()
            .find(|n| &n.on == on)
            .map(|n| n.text.as_str())
    }

    /// Sets a note's text; an empty text removes the note.
    pub fn set_note(&mut self, on: Target, text: &str) {
        let text = text.trim_end();
        self.notes.retain(|n| n.on != on);
        if !text.trim().is_empty() {
            self.notes.push(Note {
                on,
                text: text.to_string(),
            });
        }
    }

    /// Every note that bears on an event: its own, its quotes', and its
    /// conflicts', with what each is on.
    pub fn notes_of_event<'a>(&'a self, m: &Model, e: Ix) -> Vec<&'a Note> {
        let ev = m.event(e);
        let conflicts: Vec<Target> = m
            .conflicts_of_event(e)
            .iter()
            .map(|&c| conflict_target(m, c))
            .collect();
        self.notes
            .iter()
            .filter(|n| match &n.on {
                Target::Event(id) | Target::Quote { event: id, .. } => {
                    id.as_str() == ev.id.as_str()
                }
                t @ Target::Conflict { .. } => conflicts.contains(t),
            })
            .collect()
    }

    /// The stars and notes that bear on `events`: what a slice takes along.
    pub fn slice(&self, m: &Model, events: &[Ix]) -> Notes {
        let mut out = Notes::default();
        for &e in events {
            let id = m.event(e).id.as_str();
            if self.is_starred(id) {
                out.stars.insert(id.to_string());
            }
            for n in self.notes_of_event(m, e) {
                if !out.notes.contains(n) {
                    out.notes.push(n.clone());
                }
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.stars.is_empty() && self.notes.is_empty()
    }

    /// The events of `m` that are starred, in order.
    pub fn starred_events(&self, m: &Model) -> Vec<Ix> {
        let mut v: Vec<Ix> = self
            .stars
            .iter()
            .filter_map(|id| m.event_by_id(id))
            .collect();
        v.sort_unstable();
        v
    }

    /// The events of `m` with a note on them, their quotes or conflicts.
    pub fn noted_events(&self, m: &Model) -> Vec<Ix> {
        self.index(m).events
    }

    /// Where the notes land in `m`, worked out in one pass over the
    /// events (not one per note): for filters, row marks and search.
    pub fn index(&self, m: &Model) -> NotedIndex {
        let mut own: Vec<Ix> = Vec::new();
        let mut wanted: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, n) in self.notes.iter().enumerate() {
            match &n.on {
                Target::Event(id) | Target::Quote { event: id, .. } => {
                    own.extend(m.event_by_id(id));
                }
                Target::Conflict { subject, attribute } => {
                    wanted.insert((subject.as_str(), attribute.as_str()), i);
                }
            }
        }
        // Conflicts noted, by index, with the note that names each.
        let noted_conflicts: HashMap<Ix, usize> = if wanted.is_empty() {
            HashMap::new()
        } else {
            m.conflicts
                .iter()
                .enumerate()
                .filter_map(|(c, conflict)| {
                    let key = (m.subject_id(conflict.subject), conflict.attribute.as_str());
                    wanted.get(&key).map(|&note| (c as Ix, note))
                })
                .collect()
        };
        let mut first_event: HashMap<usize, Ix> = HashMap::new();
        let mut events = own.clone();
        if !noted_conflicts.is_empty() {
            for e in 0..m.events.len() as Ix {
                for c in m.conflicts_of_event(e) {
                    if let Some(&note) = noted_conflicts.get(c) {
                        events.push(e);
                        first_event.entry(note).or_insert(e);
                    }
                }
            }
        }
        own.sort_unstable();
        own.dedup();
        events.sort_unstable();
        events.dedup();
        let event_of_note = self
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| match &n.on {
                Target::Event(id) | Target::Quote { event: id, .. } => m.event_by_id(id),
                Target::Conflict { .. } => first_event.get(&i).copied(),
            })
            .collect();
        let folded = self.notes.iter().map(|n| fold_str(&n.text)).collect();
        NotedIndex {
            events,
            own,
            event_of_note,
            folded,
        }
    }

    /// What no longer matches the store: stars and notes on ids, quotes or
    /// conflicts it does not have, each with the sidecar's line.
    pub fn dangling(&self, m: &Model, text: &str) -> Vec<(usize, String)> {
        let line_of = |needle: &str| {
            text.find(needle)
                .map_or(1, |at| text[..at].matches('\n').count() + 1)
        };
        let mut out = Vec::new();
        for s in &self.stars {
            if m.event_by_id(s).is_none() {
                out.push((
                    line_of(&lit(s)),
                    format!("star on {s:?}: the store has no such event"),
                ));
            }
        }
        for n in &self.notes {
            let why = match &n.on {
                Target::Event(id) => m.event_by_id(id).is_none().then(|| format!("note on event {id:?}: the store has no such event")),
                Target::Quote {
                    event,
                    source,
                    quote,
                } => match m.event_by_id(event) {
                    None => Some(format!("note on a quote of {event:?}: the store has no such event")),
                    Some(e) => (!m.event(e).evidence.iter().any(|q| {
                        m.source(q.source).id.as_str() == source && q.text.as_str() == quote
                    }))
                    .then(|| format!("note on a quote of {event:?}: the event quotes no such words from {source:?}")),
                },
                Target::Conflict { subject, attribute } => (!m.conflicts.iter().any(|c| {
                    m.subject_id(c.subject) == subject && c.attribute.as_str() == attribute
                }))
                .then(|| format!("note on the disagreement over {attribute:?} of {subject:?}: the store has none")),
            };
            if let Some(why) = why {
                let needle = match &n.on {
                    Target::Event(id) => lit(id),
                    Target::Quote { quote, .. } => lit(quote),
                    Target::Conflict { attribute, .. } => lit(attribute),
                };
                out.push((line_of(&needle), why));
            }
        }
        out.sort();
        out
    }
}

/// Where the notes of a `Notes` land in a model: made once per change of
/// the notes, so drawing a row or searching does not scan them again.
#[derive(Clone, Debug, Default)]
pub struct NotedIndex {
    /// Events with a note on them, their quotes or disagreements (sorted).
    pub events: Vec<Ix>,
    /// Events with a note on them or their quotes (sorted): the row's ¶.
    pub own: Vec<Ix>,
    /// For each note (in order), the event it bears on, if still there.
    pub event_of_note: Vec<Option<Ix>>,
    /// Each note's text, folded for search.
    pub folded: Vec<String>,
}

/// The target of a note on conflict `c`.
pub fn conflict_target(m: &Model, c: Ix) -> Target {
    let conflict = &m.conflicts[c as usize];
    Target::Conflict {
        subject: m.subject_id(conflict.subject).to_string(),
        attribute: conflict.attribute.to_string(),
    }
}

/// The target of a note on the `k`-th quote of event `e`.
pub fn quote_target(m: &Model, e: Ix, k: usize) -> Option<Target> {
    let ev = m.event(e);
    let q = ev.evidence.get(k)?;
    Some(Target::Quote {
        event: ev.id.to_string(),
        source: m.source(q.source).id.to_string(),
        quote: q.text.to_string(),
    })
}

/// A target as the sidecar and the stories file write it.
pub(crate) fn target_text(on: &Target) -> String {
    match on {
        Target::Event(e) => format!("Event({})", lit(e)),
        Target::Quote {
            event,
            source,
            quote,
        } => format!(
            "Quote(event: {}, source: {}, quote: {})",
            lit(event),
            lit(source),
            lit(quote)
        ),
        Target::Conflict { subject, attribute } => format!(
            "Conflict(subject: {}, attribute: {})",
            lit(subject),
            lit(attribute)
        ),
    }
}

/// A string as a RON literal.
pub(crate) fn lit(s: &str) -> String {
    ron::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_round_trip_sorted_and_one_per_line() {
        let mut n = Notes::default();
        n.toggle_star("b");
        n.toggle_star("a");
        n.set_note(Target::Event("z".into()), "Line one\nline \"two\"");
        n.set_note(
            Target::Conflict {
                subject: "s".into(),
                attribute: "cost".into(),
            },
            "check",
        );
        let text = n.to_text();
        let back = Notes::parse(&text).unwrap();
        assert_eq!(back.stars, n.stars);
        assert_eq!(
            back.note(&Target::Event("z".into())),
            Some("Line one\nline \"two\"")
        );
        let stars = text.find("\"a\"").unwrap() < text.find("\"b\"").unwrap();
        assert!(stars, "sorted");
        assert!(text.lines().filter(|l| l.contains("(on: ")).count() == 2);
        n.set_note(Target::Event("z".into()), "  ");
        assert!(
            n.note(&Target::Event("z".into())).is_none(),
            "empty text removes"
        );
        assert!(!n.toggle_star("a"));
    }

    #[test]
    fn a_broken_sidecar_says_where() {
        let e = Notes::parse("(stars: [\"a\"], bogus: 1)").unwrap_err();
        assert!(e.starts_with("1:"), "{e}");
    }

    #[test]
    fn dangling_stars_and_notes_are_reported_with_their_lines() {
        let m = crate::load_builtin().unwrap();
        let mut n = Notes::default();
        n.toggle_star("coup");
        n.toggle_star("no-such-event");
        n.set_note(Target::Event("gone".into()), "x");
        let text = n.to_text();
        let d = n.dangling(&m, &text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d.iter().any(|(l, w)| w.contains("no-such-event")
            && text.lines().nth(l - 1).unwrap().contains("no-such-event")));
    }
}
