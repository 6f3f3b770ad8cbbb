//! Ids: declaring them (unique across the store) and resolving references
//! to them, with a "did you mean" for the first few typos.

use std::cell::Cell;
use std::fmt;

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::check::{At, Checker};
use super::{Section, shorten};
use crate::model::{Entity, Ids, Ix, Kind};
use crate::store::StoreFile;
use crate::store::shared::{SharedStr, Text};

/// Ids longer than this get no "did you mean" (the comparison grows with
/// the square of the length).
const MAX_SUGGESTED_LEN: usize = 64;
/// Only the first unknown references get a suggestion: each one is
/// compared with every id, and the first few typos are the useful ones.
pub(super) const MAX_SUGGESTIONS: usize = 50;

/// The closest id among `candidates`, if any is close enough to be a likely typo.
pub(super) fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let n = wanted.chars().count();
    if n > MAX_SUGGESTED_LEN {
        return None;
    }
    let wanted_l = wanted.to_lowercase();
    candidates
        // A close id has a close length: skip the rest before comparing.
        .filter(|c| c.len() <= 4 * MAX_SUGGESTED_LEN && c.chars().count().abs_diff(n) <= n / 2 + 1)
        .map(|c| {
            (
                strsim::normalized_levenshtein(&wanted_l, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.5)
        // Of equally close ids, the first in order: the same whatever
        // order the candidates come in.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The ids of the sources, actors and places, each kind copied together
/// into one short text, for resolving references: a lookup compares with
/// bytes in the processor's cache, not with bytes scattered through the
/// store's text (at a million events, most of what resolving cost).
pub(super) struct Lookup {
    sources: FxHashMap<SharedStr, Ix>,
    actors: FxHashMap<SharedStr, Ix>,
    places: FxHashMap<SharedStr, Ix>,
}

/// The ids of the records numbered `won` (`id` gives a record's), each
/// to its number, as a map whose keys share one new text.
fn compact<'r>(won: &[Ix], id: impl Fn(usize) -> &'r SharedStr) -> FxHashMap<SharedStr, Ix> {
    let len = won.iter().map(|&i| id(i as usize).len()).sum();
    let mut text = String::with_capacity(len);
    for &i in won {
        text.push_str(id(i as usize));
    }
    let text = Arc::new(Text::from(text));
    let mut map = FxHashMap::default();
    map.reserve(won.len());
    let mut at = 0;
    for &i in won {
        let len = id(i as usize).len();
        map.insert(SharedStr::in_text(&text, at, len), i);
        at += len;
    }
    map
}

pub(super) struct Resolver<'a> {
    pub(super) ids: &'a Ids,
    lookup: Lookup,
    /// Suggestions made so far (at most MAX_SUGGESTIONS).
    suggested: Cell<usize>,
}

impl<'a> Resolver<'a> {
    /// A resolver of references to `ids`, declared by `file`'s records.
    pub(super) fn new(ids: &'a Ids, declared: &Declared, file: &StoreFile) -> Self {
        let lookup = Lookup {
            sources: compact(&declared.sources, |i| &file.sources[i].id),
            actors: compact(&declared.actors, |i| &file.actors[i].id),
            places: compact(&declared.places, |i| &file.places[i].id),
        };
        Resolver {
            ids,
            lookup,
            suggested: Cell::new(0),
        }
    }

    /// The ids of one kind, to look references up in.
    pub(super) fn of(&self, kind: Kind) -> &FxHashMap<SharedStr, Ix> {
        match kind {
            Kind::Source => &self.lookup.sources,
            Kind::Actor => &self.lookup.actors,
            Kind::Place => &self.lookup.places,
            Kind::Event => &self.ids.events,
        }
    }

    /// Whether one more "did you mean" may be worked out.
    pub(super) fn may_suggest(&self) -> bool {
        let tries = self.suggested.get();
        self.suggested.set(tries + 1);
        tries < MAX_SUGGESTIONS
    }

    /// Resolves a list of ids, each mistake reported once (a repeated id
    /// is one mistake).
    pub(super) fn resolve_all(
        &self,
        ck: &mut Checker,
        at: At,
        l: &dyn fmt::Display,
        field: &'static str,
        list: &[SharedStr],
        want: Kind,
    ) -> Vec<Ix> {
        let mut out = Vec::with_capacity(list.len());
        let mut seen = FxHashSet::default();
        for (i, id) in list.iter().enumerate() {
            if seen_before(&list[..i], &mut seen, |s| s.as_str(), id) {
                continue;
            }
            match self.resolve(id, want) {
                Ok(ix) => out.push(ix),
                Err(msg) => ck.report(at, Some(field), Some(id), format!("{l}: {field}: {msg}")),
            }
        }
        out
    }

    /// Resolves `id` to a thing of the kind wanted, or explains why not.
    pub(super) fn resolve(&self, id: &str, want: Kind) -> Result<Ix, String> {
        if let Some(&ix) = self.of(want).get(id) {
            return Ok(ix);
        }
        let want_name = want.name();
        match self.ids.get(id) {
            Some(e) => Err(format!(
                "{id:?} is {} {}, not {} {want_name}",
                article(e.kind_name()),
                e.kind_name(),
                article(want_name)
            )),
            None => {
                let same_kind = self.ids.of(want).keys().map(SharedStr::as_str);
                let suggestion = if self.may_suggest() {
                    did_you_mean(id, same_kind)
                } else {
                    None
                };
                // A huge id is shown cut short: the line stays a line.
                let id = shorten(id, 80);
                match suggestion {
                    Some(s) => Err(format!("unknown {want_name} {id:?} (did you mean {s:?}?)")),
                    None => Err(format!("unknown {want_name} {id:?}")),
                }
            }
        }
    }
}

/// Lists up to this long are looked back over for repeats: what stores
/// have, and no set to allocate per item.
const LOOK_BACK: usize = 16;

/// Whether `x` is among `earlier`: looked back over while they are few,
/// else in `set`, filled with them on first use (the caller passes the
/// same set for one list), so the work stays linear in a long list.
pub(super) fn seen_before<'a, T, K: Eq + std::hash::Hash>(
    earlier: &'a [T],
    set: &mut FxHashSet<K>,
    key: impl Fn(&'a T) -> K,
    x: &'a T,
) -> bool {
    if earlier.len() < LOOK_BACK {
        let k = key(x);
        return earlier.iter().any(|e| key(e) == k);
    }
    if set.is_empty() {
        set.extend(earlier.iter().map(&key));
    }
    !set.insert(key(x))
}

/// Where an entity was declared, while event indices are still file indices.
pub(super) fn entity_origin(e: Entity) -> (Section, usize) {
    match e {
        Entity::Source(i) => (Section::Sources, i as usize),
        Entity::Actor(i) => (Section::Actors, i as usize),
        Entity::Place(i) => (Section::Places, i as usize),
        Entity::Event(i) => (Section::Events, i as usize),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The records whose ids were declared (the first of each id), by their
/// index in the file, for sources, actors and places.
#[derive(Default)]
pub(super) struct Declared {
    sources: Vec<Ix>,
    actors: Vec<Ix>,
    places: Vec<Ix>,
}

/// Declares every id of the store, reporting empty and duplicate ones.
/// Events get their file index here; `build` renumbers them in order.
pub(super) fn declare_ids(ck: &mut Checker, file: &StoreFile) -> (Ids, Declared) {
    let mut ids = Ids::default();
    ids.sources.reserve(file.sources.len());
    ids.actors.reserve(file.actors.len());
    ids.places.reserve(file.places.len());
    ids.events.reserve(file.events.len());
    let mut d = Declared::default();
    let sources = file.sources.iter().map(|s| &s.id);
    let actors = file.actors.iter().map(|a| &a.id);
    let places = file.places.iter().map(|p| &p.id);
    let events = file.events.iter().map(|e| &e.id);
    declare(
        ck,
        &mut ids,
        Kind::Source,
        Section::Sources,
        sources,
        &mut d.sources,
    );
    declare(
        ck,
        &mut ids,
        Kind::Actor,
        Section::Actors,
        actors,
        &mut d.actors,
    );
    declare(
        ck,
        &mut ids,
        Kind::Place,
        Section::Places,
        places,
        &mut d.places,
    );
    declare(
        ck,
        &mut ids,
        Kind::Event,
        Section::Events,
        events,
        &mut Vec::new(),
    );
    (ids, d)
}

/// Declares the ids of one kind, after those of the kinds before it;
/// `won` gets the index of each record whose id was declared.
fn declare<'a>(
    ck: &mut Checker,
    ids: &mut Ids,
    kind: Kind,
    section: Section,
    list: impl Iterator<Item = &'a SharedStr>,
    won: &mut Vec<Ix>,
) {
    use std::collections::hash_map::Entry;
    // The kinds declared before this one.
    let before = &Kind::ALL[..Kind::ALL.iter().position(|&k| k == kind).unwrap_or(0)];
    for (index, id) in list.enumerate() {
        let at = Checker::at(section, index);
        if id.trim().is_empty() {
            ck.report(
                at,
                Some("id"),
                None,
                format!("{}: id is empty", section.item_name()),
            );
            continue;
        }
        let earlier = before
            .iter()
            .find_map(|&k| ids.of(k).get(id.as_str()).map(|&ix| k.entity(ix)));
        let first = match (earlier, ids.of_mut(kind).entry(id.clone())) {
            (Some(first), _) => first,
            (None, Entry::Occupied(e)) => kind.entity(*e.get()),
            (None, Entry::Vacant(e)) => {
                e.insert(index as Ix);
                if kind != Kind::Event {
                    won.push(index as Ix);
                }
                continue;
            }
        };
        let (sec, i) = entity_origin(first);
        ck.report(
            at,
            Some("id"),
            Some(id),
            format!(
                "duplicate id {:?}: already used by {} number {} of {}",
                shorten(id, 80),
                sec.item_name(),
                i + 1,
                sec.field_name()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_seen_in_short_and_long_lists() {
        // Past LOOK_BACK the set takes over; repeats from before and after
        // the switch are both caught.
        let list: Vec<u32> = (0..40).map(|i| [i, 3, i % 7][i as usize % 3]).collect();
        let mut set = FxHashSet::default();
        for (i, x) in list.iter().enumerate() {
            let want = list[..i].contains(x);
            assert_eq!(
                seen_before(&list[..i], &mut set, |&v| v, x),
                want,
                "item {i}"
            );
        }
        assert!(set.len() > 1);
    }
}
