//! Filtering the timeline: by actors, places, tags, sources, source kinds,
//! words and a date range, and resolving what a person types ("russia",
//! "Airbase 101", "sponsored") to an actor, place, source or source kind.

use std::borrow::Cow;

use crate::evidence::date::{DaySpan, PartialDate};
use crate::model::{Ix, Model};
use crate::search::SearchIndex;
use crate::search::fold::fold_str;
use crate::search::tokens::{fold_word, index_terms, is_compound, query_parts, query_terms, words};
use crate::store::SourceKind;
use crate::store::shared::SharedStr;

/// Which events to show. Empty lists and `None` dates mean "no constraint".
///
/// How filters combine:
/// - values of one kind widen: actor A *or* actor B, place X or place Y,
///   and likewise for tags, sources, `kinds` and `only_kinds` (every quote
///   from a source of one of those kinds);
/// - kinds narrow: an actor *and* a place *and* a source kind, within the
///   date range;
/// - texts narrow too: each must match (every word of each).
///
/// An event without quotes passes no `sources`, `kinds` or `only_kinds`.
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
    /// Events whose text (title, summary, tags, actors' and places' names
    /// and aliases, quotes) holds every word of each of these: each word
    /// typed is a whole word there or the start of one (`cost` finds
    /// "costs"), ignoring case and accents; nothing fuzzy.
    pub texts: Vec<String>,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    /// Only events a disagreement is about (the `!` in the timeline).
    pub disputed: bool,
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

    /// The filters in words, for titles and file names: one entry per
    /// kind of filter, its values joined with "or" ("Russia or Wagner",
    /// "Agadez", "source: <title>", "sponsored sources", "only sponsored",
    /// `text "cost"` for each text, "from 2024-03").
    pub fn describe(&self, m: &Model) -> Vec<String> {
        fn any_of(v: impl IntoIterator<Item = String>) -> Option<String> {
            let v: Vec<String> = v.into_iter().collect();
            (!v.is_empty()).then(|| v.join(" or "))
        }
        let kinds = |ks: &[SourceKind]| any_of(ks.iter().map(|k| k.label().to_string()));
        let mut v: Vec<String> = Vec::new();
        v.extend(any_of(
            self.actors.iter().map(|&a| m.actor(a).name.to_string()),
        ));
        v.extend(any_of(
            self.places.iter().map(|&p| m.place(p).name.to_string()),
        ));
        v.extend(any_of(
            self.tags.iter().map(|&t| m.tags[t as usize].to_string()),
        ));
        v.extend(
            any_of(self.sources.iter().map(|&s| m.source(s).title.to_string()))
                .map(|s| format!("source: {s}")),
        );
        v.extend(kinds(&self.kinds).map(|k| format!("{k} sources")));
        v.extend(kinds(&self.only_kinds).map(|k| format!("only {k}")));
        v.extend(self.texts.iter().map(|t| format!("text {:?}", t.trim())));
        v.extend(self.from.map(|d| format!("from {d}")));
        v.extend(self.to.map(|d| format!("to {d}")));
        if self.disputed {
            v.push("disputed".into());
        }
        v
    }

    /// Matching events, in chronological order.
    ///
    /// Each kind of filter gives the events matching any of its values
    /// (the union of their sorted index lists); the result is the events
    /// every kind given lets through (their intersection), within the
    /// date range. `only_kinds` and `texts` are then checked event by
    /// event on those candidates.
    pub fn apply(&self, m: &Model) -> Vec<Ix> {
        self.apply_with(m, None)
    }

    /// `apply`, with `texts` answered from `index` (the search index of
    /// `m`) when there is one, instead of reading every event's text: the
    /// same events.
    pub fn apply_with(&self, m: &Model, index: Option<&SearchIndex>) -> Vec<Ix> {
        let mut lists: Vec<Cow<'_, [Ix]>> = Vec::new();
        if !self.actors.is_empty() {
            lists.push(union(
                self.actors
                    .iter()
                    .map(|&a| Cow::Borrowed(m.events_of_actor(a))),
            ));
        }
        if !self.places.is_empty() {
            lists.push(union(
                self.places
                    .iter()
                    .map(|&p| Cow::Owned(m.events_at_place(p))),
            ));
        }
        if !self.tags.is_empty() {
            lists.push(union(
                self.tags
                    .iter()
                    .map(|&t| Cow::Borrowed(m.events_with_tag(t))),
            ));
        }
        if !self.sources.is_empty() {
            lists.push(union(
                self.sources
                    .iter()
                    .map(|&s| Cow::Borrowed(m.events_citing_source(s))),
            ));
        }
        // An event resting only on some kinds cites a source of one of
        // them: its candidates are those of `kinds`, checked further below.
        for ks in [&self.kinds, &self.only_kinds] {
            if !ks.is_empty() {
                lists.push(union(
                    m.sources
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| ks.contains(&s.kind))
                        .map(|(i, _)| Cow::Borrowed(m.events_citing_source(i as Ix))),
                ));
            }
        }
        let days = self.days();
        let in_range = |e: Ix| days == DaySpan::ALL || m.event(e).days().overlaps(&days);
        let mut out = if lists.is_empty() {
            self.in_date_range(m)
        } else {
            lists.sort_by_key(|l| l.len());
            let (first, rest) = lists.split_first().expect("not empty");
            first
                .iter()
                .copied()
                .filter(|e| rest.iter().all(|l| l.binary_search(e).is_ok()))
                .filter(|&e| in_range(e))
                .collect()
        };
        if self.disputed {
            out.retain(|&e| !m.conflicts_of_event(e).is_empty());
        }
        if !self.only_kinds.is_empty() {
            out.retain(|&e| {
                let ev = m.event(e);
                !ev.evidence.is_empty()
                    && ev
                        .evidence
                        .iter()
                        .all(|q| self.only_kinds.contains(&m.source(q.source).kind))
            });
        }
        let texts: Vec<Vec<String>> = self
            .texts
            .iter()
            .map(|t| query_terms(t))
            .filter(|t| !t.is_empty())
            .collect();
        if !texts.is_empty() {
            let terms: Vec<String> = texts.into_iter().flatten().collect();
            match index {
                Some(index) => {
                    let found = index.events_with_words(m, &terms);
                    out.retain(|&e| found.contains(e));
                }
                None => out.retain(|&e| event_matches(m, e, &terms)),
            }
        }
        out
    }

    /// The events in the date range, in order, looking at a window of them.
    fn in_date_range(&self, m: &Model) -> Vec<Ix> {
        let days = self.days();
        let in_range = |e: Ix| days == DaySpan::ALL || m.event(e).days().overlaps(&days);
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
        out
    }
}

/// The sorted union of sorted lists (one list is kept as it is).
fn union<'a>(lists: impl Iterator<Item = Cow<'a, [Ix]>>) -> Cow<'a, [Ix]> {
    let mut lists: Vec<Cow<'a, [Ix]>> = lists.collect();
    if lists.len() == 1 {
        return lists.pop().expect("one");
    }
    let mut out: Vec<Ix> = lists.iter().flat_map(|l| l.iter().copied()).collect();
    out.sort_unstable();
    out.dedup();
    Cow::Owned(out)
}

/// The texts of an event that `texts` filters look in.
fn event_texts(m: &Model, e: Ix) -> impl Iterator<Item = &str> {
    let ev = m.event(e);
    std::iter::once(ev.title.as_str())
        .chain(ev.summary.as_deref())
        .chain(ev.tags.iter().map(|&t| m.tags[t as usize].as_str()))
        .chain(ev.actors.iter().flat_map(|&a| {
            let a = m.actor(a);
            std::iter::once(a.name.as_str()).chain(a.aliases.iter().map(|s| s.as_str()))
        }))
        .chain(ev.places.iter().flat_map(|&p| {
            let p = m.place(p);
            std::iter::once(p.name.as_str()).chain(p.aliases.iter().map(|s| s.as_str()))
        }))
        .chain(ev.evidence.iter().map(|q| q.text.as_str()))
}

/// Whether event `e` holds every one of `terms` (folded query words).
fn event_matches(m: &Model, e: Ix, terms: &[String]) -> bool {
    if terms.len() <= 64 && terms.iter().all(|t| !is_compound(t)) {
        event_has_terms(m, e, terms)
    } else {
        let have = event_terms(m, e);
        terms.iter().all(|t| has_term(&have, t))
    }
}

/// Whether every one of `terms` (folded, none a compound, at most 64)
/// starts a word of the event, in one pass that stops when all are found.
/// The same answer as `event_terms` + `has_term`, without building the
/// event's sorted term list: a plain ASCII word is compared in place.
fn event_has_terms(m: &Model, e: Ix, terms: &[String]) -> bool {
    let all: u64 = if terms.len() == 64 {
        u64::MAX
    } else {
        (1u64 << terms.len()) - 1
    };
    let mut found = 0u64;
    for text in event_texts(m, e) {
        for (_, w) in words(text) {
            let plain = w.bytes().all(|b| b.is_ascii_alphanumeric());
            if plain {
                for (i, t) in terms.iter().enumerate() {
                    if w.len() >= t.len()
                        && w.as_bytes()[..t.len()].eq_ignore_ascii_case(t.as_bytes())
                    {
                        found |= 1 << i;
                    }
                }
            } else {
                index_terms(&fold_word(w), |have| {
                    for (i, t) in terms.iter().enumerate() {
                        if have.starts_with(t.as_str()) {
                            found |= 1 << i;
                        }
                    }
                });
            }
            if found == all {
                return true;
            }
        }
    }
    false
}

/// The terms of an event's words, sorted: its title, summary, tags,
/// actors' and places' names and aliases, and its quotes.
fn event_terms(m: &Model, e: Ix) -> Vec<String> {
    let ev = m.event(e);
    let mut texts: Vec<&str> = vec![&ev.title];
    texts.extend(ev.summary.as_deref());
    texts.extend(ev.tags.iter().map(|&t| m.tags[t as usize].as_str()));
    for &a in &ev.actors {
        let a = m.actor(a);
        texts.push(&a.name);
        texts.extend(a.aliases.iter().map(|s| s.as_str()));
    }
    for &p in &ev.places {
        let p = m.place(p);
        texts.push(&p.name);
        texts.extend(p.aliases.iter().map(|s| s.as_str()));
    }
    texts.extend(ev.evidence.iter().map(|q| q.text.as_str()));
    let mut have: Vec<String> = Vec::new();
    for text in texts {
        for (_, w) in words(text) {
            index_terms(&fold_word(w), |t| have.push(t.to_string()));
        }
    }
    have.sort_unstable();
    have.dedup();
    have
}

/// Whether a folded query word is a word of `have` (sorted terms) or the
/// start of one. A compound one not found whole ("us-russian") is found
/// when each of its parts is ("U.S." and "Russian").
fn has_term(have: &[String], term: &str) -> bool {
    let starts = |t: &str| {
        let i = have.partition_point(|h| h.as_str() < t);
        have.get(i).is_some_and(|h| h.starts_with(t))
    };
    starts(term) || (is_compound(term) && query_parts(term).iter().all(|p| starts(p)))
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

/// A source by id, title or outlet. An outlet with several sources in the
/// store is ambiguous: the error names them.
pub fn resolve_source(m: &Model, query: &str) -> Result<Ix, ResolveError> {
    resolve(
        "source",
        query,
        m.sources.iter().map(|s| {
            (
                s.id.as_str(),
                s.title.as_str(),
                std::slice::from_ref(&s.outlet),
            )
        }),
    )
}

/// A source kind by its label ("official statement"), ignoring case, with
/// `-` or `_` for the space ("official-statement"), or as the store writes
/// it ("OfficialStatement", "Dataset").
pub fn resolve_kind(query: &str) -> Result<SourceKind, ResolveError> {
    let norm = |s: &str| {
        fold_str(s)
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let q = norm(query);
    let names = |k: SourceKind| [norm(k.label()), fold_str(&format!("{k:?}"))];
    let compact = q.replace(' ', "");
    if let Some(k) = SourceKind::ALL
        .into_iter()
        .find(|&k| names(k).iter().any(|n| *n == q || *n == compact))
    {
        return Ok(k);
    }
    let mut scored: Vec<(f64, &str)> = SourceKind::ALL
        .into_iter()
        .map(|k| {
            let best = names(k)
                .iter()
                .map(|n| {
                    let part = if !q.is_empty() && n.contains(q.as_str()) {
                        0.5
                    } else {
                        0.0
                    };
                    strsim::normalized_levenshtein(&q, n) + part
                })
                .fold(0.0, f64::max);
            (best, k.label())
        })
        .filter(|(s, _)| *s >= 0.45)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut suggestions: Vec<String> = scored.iter().take(5).map(|(_, l)| l.to_string()).collect();
    if suggestions.is_empty() {
        // Few enough to list them all.
        suggestions = SourceKind::ALL
            .iter()
            .map(|k| k.label().to_string())
            .collect();
    }
    Err(ResolveError::Unknown {
        kind: "source kind",
        query: query.to_string(),
        suggestions,
    })
}
