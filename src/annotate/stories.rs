//! Stories: the analyst's argument, step by step. A story has a name, an
//! introduction and an ordered list of steps; a step is an event, a quote
//! or a disagreement (named as notes name them, by ids and words that
//! survive edits of the store) with the analyst's prose, in Markdown.
//! Stories live beside the store in `STORE.stories.ron`, never in it,
//! sorted by name with one step per line, so a team can keep them in git.
//!
//! ```ron
//! (
//!     stories: [
//!         (
//!             name: "The withdrawal",
//!             intro: "How the partnership ended.",
//!             steps: [
//!                 (on: Event("coup"), text: "It starts here."),
//!                 (on: Quote(event: "coup", source: "dexter", quote: "a military coup"), text: ""),
//!                 (on: Conflict(subject: "air-base-201", attribute: "cost of Air Base 201"), text: "Who paid?"),
//!             ],
//!         ),
//!     ],
//! )
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use super::notes::Target;
use super::notes::{lit, target_text};
use crate::model::{Ix, Model};

/// One step of a story: what it shows, and the analyst's prose on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub on: Target,
    #[serde(default)]
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Story {
    pub name: String,
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub steps: Vec<Step>,
}

/// The stories file's content.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stories {
    #[serde(default)]
    pub stories: Vec<Story>,
}

/// A problem in a stories file, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// What a step shows in a model, or why it shows nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Event(Ix),
    /// An event and the index of the quote among its evidence.
    Quote(Ix, usize),
    /// A conflict, by index into `Model::conflicts`.
    Conflict(Ix),
    /// Gone from the store: why, in words.
    Missing(String),
}

impl Found {
    /// The event a step selects: its own, its quote's, or the first the
    /// disagreement is about.
    pub fn event(&self, m: &Model) -> Option<Ix> {
        match *self {
            Found::Event(e) | Found::Quote(e, _) => Some(e),
            Found::Conflict(c) => conflict_event(m, c),
            Found::Missing(_) => None,
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Found::Missing(_))
    }
}

/// The first event a disagreement is about: its subject, else the first
/// event one of its values names.
pub fn conflict_event(m: &Model, c: Ix) -> Option<Ix> {
    let conflict = m.conflicts.get(c as usize)?;
    if let crate::model::Subject::Event(e) = conflict.subject {
        return Some(e);
    }
    conflict
        .claims
        .iter()
        .find_map(|&ci| m.claims[ci as usize].events.first().copied())
}

/// Stories files larger than this are refused.
const MAX_BYTES: u64 = 64 << 20;

/// `STORE.stories.ron` beside `STORE.ron`.
pub fn stories_path(store: &Path) -> PathBuf {
    let stem = store
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store".into());
    store.with_file_name(format!("{stem}.stories.ron"))
}

impl Stories {
    /// Reads a stories file; none is no stories. Errors are one per line,
    /// `FILE:LINE:COLUMN: what`, every problem found.
    pub fn load(path: &Path) -> Result<Stories, String> {
        match Stories::read_text(path)? {
            None => Ok(Stories::default()),
            Some(text) => Stories::parse(&text).map_err(|ps| {
                ps.iter()
                    .map(|p| format!("{}:{p}", path.display()))
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
        }
    }

    /// The file's text, `None` when there is none. Only a regular file is
    /// read (not through a FIFO or a device), and at most `MAX_BYTES`.
    pub fn read_text(path: &Path) -> Result<Option<String>, String> {
        crate::io::read::read_text_bounded(path, MAX_BYTES).map_err(|e| e.to_string())
    }

    /// Parses a stories file's text: a syntax error where RON found it,
    /// else every repeated name and every step that names nothing.
    pub fn parse(text: &str) -> Result<Stories, Vec<Problem>> {
        let stories: Stories = ron::from_str(text).map_err(|e| {
            vec![Problem {
                line: e.span.start.line,
                column: e.span.start.col,
                message: e.code.to_string(),
            }]
        })?;
        let problems = stories.problems(text);
        if problems.is_empty() {
            Ok(stories)
        } else {
            Err(problems)
        }
    }

    /// Repeated names, unnamed stories and empty steps, each placed in
    /// `text` by walking it in the order the stories are written.
    fn problems(&self, text: &str) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut cursor = 0;
        for (i, story) in self.stories.iter().enumerate() {
            let at = find_from(text, &lit(&story.name), cursor).unwrap_or(cursor);
            cursor = at + 1;
            let here = |message: String, at: usize| {
                let (line, column) = line_col(text, at);
                Problem {
                    line,
                    column,
                    message,
                }
            };
            if story.name.trim().is_empty() {
                out.push(here("a story without a name".into(), at));
            } else if !seen.insert(story.name.as_str()) {
                out.push(here(
                    format!("a second story named {:?}: names must differ", story.name),
                    at,
                ));
            }
            for (k, step) in self.stories[i].steps.iter().enumerate() {
                let keyword = match &step.on {
                    Target::Event(_) => "Event(",
                    Target::Quote { .. } => "Quote(",
                    Target::Conflict { .. } => "Conflict(",
                };
                let at = find_from(text, keyword, cursor).unwrap_or(cursor);
                cursor = at + 1;
                if let Some(what) = names_nothing(&step.on) {
                    out.push(here(
                        format!(
                            "step {} of {:?} names no {what}: expected an id or words",
                            k + 1,
                            story.name
                        ),
                        at,
                    ));
                }
                // Past the prose, so its words are not taken for a step.
                if let Some(p) = find_from(text, &lit(&step.text), cursor) {
                    cursor = p + 1;
                }
            }
        }
        out
    }

    /// The text to write: stories by name, their steps in story order,
    /// one step per line.
    pub fn to_text(&self) -> String {
        let mut stories: Vec<&Story> = self.stories.iter().collect();
        stories.sort_by(|a, b| a.name.cmp(&b.name));
        let mut out = String::from(
            "// annals stories: the analyst's arguments, step by step, over the store\n\
             // beside this file. The store is not changed by them.\n(\n    stories: [\n",
        );
        for s in stories {
            out.push_str(&format!(
                "        (\n            name: {},\n            intro: {},\n            steps: [\n",
                lit(&s.name),
                lit(&s.intro)
            ));
            for step in &s.steps {
                out.push_str(&format!(
                    "                (on: {}, text: {}),\n",
                    target_text(&step.on),
                    lit(&step.text)
                ));
            }
            out.push_str("            ],\n        ),\n");
        }
        out.push_str("    ],\n)\n");
        out
    }

    /// Writes the file atomically, keeping its permissions (it is the
    /// analyst's own file: it is replaced, as a save is).
    pub fn save(&self, path: &Path) -> Result<(), String> {
        crate::io::atomic::write_own(path, self.to_text().as_bytes())
            .map_err(|e| format!("cannot save {}: {}", path.display(), e.reason()))
    }

    pub fn get(&self, name: &str) -> Option<&Story> {
        self.stories.iter().find(|s| s.name == name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Story> {
        self.stories.iter_mut().find(|s| s.name == name)
    }

    /// A new story of these steps (no prose yet); an error if the name is
    /// empty or taken.
    pub fn create(&mut self, name: &str, on: Vec<Target>) -> Result<&mut Story, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("a story needs a name".into());
        }
        if self.get(name).is_some() {
            return Err(format!("there is already a story named {name:?}"));
        }
        self.stories.push(Story {
            name: name.to_string(),
            intro: String::new(),
            steps: on
                .into_iter()
                .map(|on| Step {
                    on,
                    text: String::new(),
                })
                .collect(),
        });
        self.stories.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(self.get_mut(name).expect("just added"))
    }

    /// Each story's steps that no longer match the store, with the
    /// file's line of each: what `check` reports.
    pub fn dangling(&self, m: &Model, text: &str) -> Vec<(usize, String)> {
        let conflicts = ConflictIndex::of(m);
        let mut out = Vec::new();
        let mut cursor = 0;
        for story in &self.stories {
            cursor = find_from(text, &lit(&story.name), cursor).map_or(cursor, |at| at + 1);
            for (k, step) in story.steps.iter().enumerate() {
                let needle = format!("(on: {}", target_text(&step.on));
                let at = find_from(text, &needle, cursor)
                    .or_else(|| find_from(text, "(on:", cursor))
                    .unwrap_or(cursor);
                cursor = at + 1;
                if let Found::Missing(why) = find(m, &conflicts, &step.on) {
                    out.push((
                        line_col(text, at).0,
                        format!("step {} of the story {:?}: {why}", k + 1, story.name),
                    ));
                }
            }
        }
        out
    }
}

impl Story {
    /// Each step found in `m`, or missing: never dropped.
    pub fn resolve(&self, m: &Model) -> Vec<Found> {
        let conflicts = ConflictIndex::of(m);
        self.steps
            .iter()
            .map(|s| find(m, &conflicts, &s.on))
            .collect()
    }
}

/// Conflicts by subject id and attribute, made once per resolve.
pub struct ConflictIndex<'m>(HashMap<(&'m str, &'m str), Ix>);

impl<'m> ConflictIndex<'m> {
    pub fn of(m: &'m Model) -> Self {
        ConflictIndex(
            m.conflicts
                .iter()
                .enumerate()
                .map(|(i, c)| ((m.subject_id(c.subject), c.attribute.as_ref()), i as Ix))
                .collect(),
        )
    }
}

/// What a target names in `m`, or why it names nothing there.
pub fn find(m: &Model, conflicts: &ConflictIndex, on: &Target) -> Found {
    match on {
        Target::Event(id) => match m.event_by_id(id) {
            Some(e) => Found::Event(e),
            None => Found::Missing(format!("the store has no event {id:?}")),
        },
        Target::Quote {
            event,
            source,
            quote,
        } => {
            match m.event_by_id(event) {
                None => Found::Missing(format!("the store has no event {event:?}")),
                Some(e) => match m.event(e).evidence.iter().position(|q| {
                    m.source(q.source).id.as_str() == source && q.text.as_str() == quote
                }) {
                    Some(k) => Found::Quote(e, k),
                    None => Found::Missing(format!(
                        "the event {event:?} quotes no such words from {source:?}"
                    )),
                },
            }
        }
        Target::Conflict { subject, attribute } => {
            match conflicts.0.get(&(subject.as_str(), attribute.as_str())) {
                Some(&c) => Found::Conflict(c),
                None => Found::Missing(format!(
                    "the store has no disagreement over {attribute:?} of {subject:?}"
                )),
            }
        }
    }
}

/// What an empty target fails to name, if it names nothing.
fn names_nothing(on: &Target) -> Option<&'static str> {
    let blank = |s: &str| s.trim().is_empty();
    match on {
        Target::Event(id) if blank(id) => Some("event"),
        Target::Quote {
            event,
            source,
            quote,
        } if blank(event) || blank(source) || blank(quote) => Some("quote"),
        Target::Conflict { subject, attribute } if blank(subject) || blank(attribute) => {
            Some("disagreement")
        }
        _ => None,
    }
}

fn find_from(text: &str, needle: &str, from: usize) -> Option<usize> {
    let from = from.min(text.len());
    let start = (from..=text.len()).find(|&i| text.is_char_boundary(i))?;
    text[start..].find(needle).map(|i| start + i)
}

/// 1-based line and column (in characters) of byte `at`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = (0..=at.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: &str) -> Target {
        Target::Event(id.into())
    }

    #[test]
    fn stories_round_trip_sorted_with_steps_in_story_order() {
        let mut s = Stories::default();
        s.create("b story", vec![ev("z"), ev("a")]).unwrap();
        let a = s.create("a story", vec![ev("coup")]).unwrap();
        a.intro = "Intro\nwith \"quotes\"".into();
        a.steps[0].text = "*why* it matters".into();
        let text = s.to_text();
        let back = Stories::parse(&text).unwrap();
        assert_eq!(back, s);
        assert!(text.find("a story").unwrap() < text.find("b story").unwrap());
        // Steps keep the story's order, not the ids' order.
        assert!(text.find("Event(\"z\")").unwrap() < text.find("Event(\"a\")").unwrap());
        assert_eq!(text.lines().filter(|l| l.contains("(on: ")).count(), 3);
        assert!(s.create("a story", vec![]).is_err(), "name taken");
        assert!(s.create("  ", vec![]).is_err(), "no name");
    }

    #[test]
    fn a_syntax_error_says_line_and_column() {
        let e =
            Stories::parse("(\n  stories: [\n    (name: \"x\" steps: []),\n  ],\n)").unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 3, "{e:?}");
        assert!(e[0].column > 1, "{e:?}");
    }

    #[test]
    fn repeated_names_and_empty_steps_are_all_reported_where_they_are() {
        let text = "(stories: [\n(name: \"a\", steps: []),\n(name: \"a\", steps: [\n(on: Event(\"coup\")),\n(on: Event(\"\"), text: \"x\"),\n(on: Conflict(subject: \"s\", attribute: \" \")),\n]),\n])";
        let e = Stories::parse(text).unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!((e[0].line, e[0].column), (3, 8), "{e:?}");
        assert!(e[0].message.contains("second story named \"a\""));
        assert_eq!(e[1].line, 5);
        assert!(e[1].message.contains("step 2"), "{e:?}");
        assert_eq!(e[2].line, 6);
        assert!(e[2].message.contains("disagreement"), "{e:?}");
    }

    #[test]
    fn resolving_keeps_missing_steps_in_place() {
        let m = crate::load_builtin().unwrap();
        let coup = m.event_by_id("coup").unwrap();
        let q = crate::annotate::notes::quote_target(&m, coup, 0).unwrap();
        let c = crate::annotate::notes::conflict_target(&m, 0);
        let mut s = Stories::default();
        s.create("x", vec![ev("gone"), q, c, ev("coup")]).unwrap();
        let found = s.get("x").unwrap().resolve(&m);
        assert_eq!(found.len(), 4);
        assert!(matches!(&found[0], Found::Missing(w) if w.contains("gone")));
        assert_eq!(found[1], Found::Quote(coup, 0));
        assert_eq!(found[2], Found::Conflict(0));
        assert_eq!(found[3], Found::Event(coup));
        assert!(found[2].event(&m).is_some());
    }

    #[test]
    fn dangling_steps_are_reported_with_their_lines() {
        let m = crate::load_builtin().unwrap();
        let mut s = Stories::default();
        s.create("x", vec![ev("coup"), ev("no-such-event"), ev("coup")])
            .unwrap();
        let text = s.to_text();
        let d = s.dangling(&m, &text);
        assert_eq!(d.len(), 1, "{d:?}");
        let (line, why) = &d[0];
        assert!(
            why.contains("step 2") && why.contains("no-such-event"),
            "{why}"
        );
        assert!(
            text.lines()
                .nth(line - 1)
                .unwrap()
                .contains("no-such-event")
        );
    }

    #[test]
    fn a_broken_file_is_not_replaced_by_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.stories.ron");
        std::fs::write(&path, "(stories: [(name: \"a\",, ])").unwrap();
        let e = Stories::load(&path).unwrap_err();
        assert!(e.starts_with(&format!("{}:1:", path.display())), "{e}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "(stories: [(name: \"a\",, ])"
        );
        assert!(
            Stories::load(&dir.path().join("none.ron"))
                .unwrap()
                .stories
                .is_empty()
        );
    }
}
