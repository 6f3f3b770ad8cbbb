//! Filtering the timeline: by actors, places, tags and a date range, and
//! resolving what a person types ("russia", "Airbase 101") to an actor or place.

use crate::date::{DaySpan, PartialDate};
use crate::fold::fold_str;
use crate::model::{Ix, Model};
use crate::search::tokens::{fold_word, index_terms, query_terms, words};
use crate::shared::SharedStr;
use crate::store::SourceKind;

/// Which events to show. Empty lists and `None` dates mean "no constraint".
/// Values of one kind widen (actor A or actor B); kinds narrow (an actor
/// and a place).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub actors: Vec<Ix>,
    pub places: Vec<Ix>,
    pub tags: Vec<Ix>,
    /// Events with a quote from one of these sources.
    pub sources: Vec<Ix>,
    /// Events with a quote from a source of one of these kinds.
    pub kinds: Vec<SourceKind>,
    /// Events whose every quote comes from sources of these kinds
    /// ("only sponsored": nothing else backs them).
    pub only_kinds: Vec<SourceKind>,
    /// Events whose text (title, summary, tags, actors, places, quotes)
    /// holds every word of each of these.
    pub texts: Vec<String>,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// The days the date range covers: `from` its first day, `to` its last.
    pub fn days(&self) -> DaySpan {
        DaySpan {
            first: self.from.map_or(i64::MIN, |d| d.first_day()),
            last: self.to.map_or(i64::MAX, |d| d.last_day()),
        }
    }

    /// An error when the date range is empty: `from` after `to`.
    pub fn check_range(&self) -> Result<(), String> {
        match (self.from, self.to) {
            (Some(f), Some(t)) if f.first_day() > t.last_day() => {
                Err(format!("the range is empty: from {f} is after to {t}"))
            }
            _ => Ok(()),
        }
    }

    /// The filters in words ("Air Base 101", "from 2024-03"), for titles
    /// and file names.
    pub fn describe(&self, m: &Model) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        v.extend(self.actors.iter().map(|&a| m.actor(a).name.to_string()));
        v.extend(self.places.iter().map(|&p| m.place(p).name.to_string()));
        v.extend(self.tags.iter().map(|&t| m.tags[t as usize].to_string()));
        v.extend(self.from.map(|d| format!("from {d}")));
        v.extend(self.to.map(|d| format!("to {d}")));
        v
    }

    /// Matching events, in chronological order.
    pub fn apply(&self, m: &Model) -> Vec<Ix> {
        let at_places: Vec<Vec<Ix>> = self.places.iter().map(|&p| m.events_at_place(p)).collect();
        let mut lists: Vec<&[Ix]> = Vec::new();
        lists.extend(self.actors.iter().map(|&a| m.events_of_actor(a)));
        lists.extend(at_places.iter().map(Vec::as_slice));
        lists.extend(self.tags.iter().map(|&t| m.events_with_tag(t)));
        let days = self.days();
        let in_range = |e: Ix| days == DaySpan::ALL || m.event(e).days().overlaps(&days);
        if lists.is_empty() {
            // Events are in order of their anchor, which is the first day
            // of every event with both bounds known, and none of those spans
            // more than `longest_event_days`: only a window of them can
            // overlap. Events open at either end are checked apart.
            let earliest = days.first.saturating_sub(m.longest_event_days);
            let anchor = |e: &crate::model::Event| e.date.anchor().first_day();
            let lo = m.events.partition_point(|e| anchor(e) < earliest) as Ix;
            let hi = (m.events.partition_point(|e| anchor(e) <= days.last) as Ix).max(lo);
            let mut out: Vec<Ix> = (lo..hi).filter(|&e| in_range(e)).collect();
            let before = out.len();
            out.extend(
                m.open_events
                    .iter()
                    .copied()
                    .filter(|&e| !(lo..hi).contains(&e) && in_range(e)),
            );
            if out.len() > before {
                out.sort_unstable();
            }
            return out;
        }
        lists.sort_by_key(|l| l.len());
        let (first, rest) = lists.split_first().expect("not empty");
        first
            .iter()
            .copied()
            .filter(|e| rest.iter().all(|l| l.binary_search(e).is_ok()))
            .filter(|&e| in_range(e))
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("no {kind} matches {query:?}{}", suggest(.suggestions))]
    Unknown {
        kind: &'static str,
        query: String,
        suggestions: Vec<String>,
    },
    #[error("{query:?} is ambiguous: it could be {}", .candidates.join(", "))]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}

/// Resolves text to one of `items` by id, name or alias, ignoring case and accents.
fn resolve<'a>(
    kind: &'static str,
    query: &str,
    items: impl Iterator<Item = (&'a str, &'a str, &'a [SharedStr])> + Clone,
) -> Result<Ix, ResolveError> {
    let q = fold_str(query.trim());
    let exact_id: Vec<Ix> = items
        .clone()
        .enumerate()
        .filter(|(_, (id, _, _))| fold_str(id) == q)
        .map(|(i, _)| i as Ix)
        .collect();
    if let [one] = exact_id[..] {
        return Ok(one);
    }
    let by_name: Vec<(Ix, &str, &str)> = items
        .clone()
        .enumerate()
        .filter(|(_, (_, name, aliases))| {
            fold_str(name) == q || aliases.iter().any(|a| fold_str(a) == q)
        })
        .map(|(i, (id, name, _))| (i as Ix, id, name))
        .collect();
    // Else every word typed found in the name or an alias, as search reads
    // words: "Omar Torrijos" names "Omar Torrijos Herrera", "William C
    // Gorgas" names "William C. Gorgas".
    let terms = query_terms(query);
    let by_name = if by_name.is_empty() && !terms.is_empty() {
        items
            .clone()
            .enumerate()
            .filter(|(_, (_, name, aliases))| {
                std::iter::once(*name)
                    .chain(aliases.iter().map(|a| a.as_str()))
                    .any(|n| has_all_words(n, &terms))
            })
            .map(|(i, (id, name, _))| (i as Ix, id, name))
            .collect()
    } else {
        by_name
    };
    match by_name[..] {
        [(one, _, _)] => Ok(one),
        [] => {
            let mut scored: Vec<(f64, String)> = items
                .map(|(id, name, aliases)| {
                    let best = std::iter::once(name)
                        .chain(aliases.iter().map(|s| s.as_str()))
                        .chain(std::iter::once(id))
                        .map(|s| {
                            let f = fold_str(s);
                            let prefix = if f.starts_with(&q) || f.contains(&q) {
                                0.5
                            } else {
                                0.0
                            };
                            strsim::normalized_levenshtein(&q, &f) + prefix
                        })
                        .fold(0.0, f64::max);
                    (best, format!("{name} ({id})"))
                })
                .filter(|(s, _)| *s >= 0.45)
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            Err(ResolveError::Unknown {
                kind,
                query: query.to_string(),
                suggestions: scored.into_iter().take(5).map(|(_, s)| s).collect(),
            })
        }
        _ => Err(ResolveError::Ambiguous {
            query: query.to_string(),
            candidates: by_name
                .iter()
                .map(|(_, id, name)| format!("{name} ({id})"))
                .collect(),
        }),
    }
}

/// Whether every one of `terms` is a word (or a part of one) of `name`.
fn has_all_words(name: &str, terms: &[String]) -> bool {
    let mut have: Vec<String> = Vec::new();
    for (_, w) in words(name) {
        index_terms(&fold_word(w), |t| have.push(t.to_string()));
    }
    terms.iter().all(|t| have.contains(t))
}

pub fn resolve_actor(m: &Model, query: &str) -> Result<Ix, ResolveError> {
    resolve(
        "actor",
        query,
        m.actors
            .iter()
            .map(|a| (a.id.as_str(), a.name.as_str(), a.aliases.as_slice())),
    )
}

pub fn resolve_place(m: &Model, query: &str) -> Result<Ix, ResolveError> {
    resolve(
        "place",
        query,
        m.places
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str(), p.aliases.as_slice())),
    )
}

pub fn resolve_tag(m: &Model, query: &str) -> Result<Ix, ResolveError> {
    let q = fold_str(query.trim());
    m.tags
        .iter()
        .position(|t| fold_str(t) == q)
        .map(|i| i as Ix)
        .ok_or_else(|| ResolveError::Unknown {
            kind: "tag",
            query: query.to_string(),
            suggestions: m
                .tags
                .iter()
                .filter(|t| strsim::normalized_levenshtein(&q, &fold_str(t)) >= 0.5)
                .take(5)
                .map(|t| t.to_string())
                .collect(),
        })
}
