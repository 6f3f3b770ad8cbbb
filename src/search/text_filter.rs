//! `:text` and `--text` answered from the search index: the events whose
//! words hold each query word, from the fields those words are in,
//! instead of reading every event's text (3 s at a million events).
//!
//! The answer is the one `Filter::apply` gives by reading: an event
//! matches a word when a word of its title, summary, tags, actors' and
//! places' names and aliases, or quotes (as `tokens` splits and folds
//! them) is that word or starts with it; a compound word not found whole
//! matches when each of its parts does. Fields the index cannot answer
//! for (a word too long to index; tags, which it does not hold) are read.

use super::tokens::{fold_word, index_terms, is_compound, query_parts, words};
use super::{Field, SearchIndex, Target};
use crate::model::{Ix, Model};

/// A set of events, one bit each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventSet {
    bits: Vec<u64>,
}

impl EventSet {
    fn empty(n: usize) -> EventSet {
        EventSet {
            bits: vec![0; n.div_ceil(64)],
        }
    }

    fn full(n: usize) -> EventSet {
        let mut s = EventSet {
            bits: vec![u64::MAX; n.div_ceil(64)],
        };
        if !n.is_multiple_of(64)
            && let Some(last) = s.bits.last_mut()
        {
            *last = (1u64 << (n % 64)) - 1;
        }
        s
    }

    fn insert(&mut self, e: Ix) {
        self.bits[e as usize / 64] |= 1 << (e % 64);
    }

    pub fn contains(&self, e: Ix) -> bool {
        self.bits
            .get(e as usize / 64)
            .is_some_and(|b| b & (1 << (e % 64)) != 0)
    }

    fn and(&mut self, other: &EventSet) {
        for (a, b) in self.bits.iter_mut().zip(&other.bits) {
            *a &= b;
        }
    }

    fn or(&mut self, other: &EventSet) {
        for (a, b) in self.bits.iter_mut().zip(&other.bits) {
            *a |= b;
        }
    }
}

/// Whether a word of `text` (or a part of one) starts with `term`.
fn text_has_term(text: &str, term: &str) -> bool {
    words(text).any(|(_, w)| {
        let mut found = false;
        index_terms(&fold_word(w), |t| found |= t.starts_with(term));
        found
    })
}

impl SearchIndex {
    /// The events matching every one of `terms` (query words, folded:
    /// `tokens::query_terms`), as `Filter::apply` would find them.
    pub fn events_with_words(&self, m: &Model, terms: &[String]) -> EventSet {
        let mut all = EventSet::full(m.events.len());
        for (i, t) in terms.iter().enumerate() {
            if terms[..i].contains(t) {
                continue;
            }
            let mut found = self.events_with_term(m, t);
            // A compound not found whole ("us-russian") matches where each
            // of its parts does ("U.S." and "Russian").
            if is_compound(t) {
                let mut parts = EventSet::full(m.events.len());
                for p in query_parts(t) {
                    parts.and(&self.events_with_term(m, &p));
                }
                found.or(&parts);
            }
            all.and(&found);
        }
        all
    }

    /// The events with a word starting with `term` in their own text or
    /// in the names of their actors, places and tags.
    fn events_with_term(&self, m: &Model, term: &str) -> EventSet {
        let first = term.chars().next();
        let bucket = first.and_then(|c| self.by_first.get(&c));
        let lists: Vec<&[u32]> = bucket
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter(|&&w| self.vocab[w as usize].starts_with(term))
            .map(|&w| self.postings.of(w))
            .collect();
        let (mut events, mut named) = self.events_of_fields(m, &lists);
        for &d in &self.long {
            let doc = self.docs[d as usize];
            if text_has_term(doc.field.text(m, doc.target), term) {
                match self.doc_events[d as usize] {
                    NAME => named.push(d),
                    NONE => {}
                    e => events.insert(e),
                }
            }
        }
        for d in named {
            match self.docs[d as usize].target {
                Target::Actor { actor } => m
                    .events_of_actor(actor)
                    .iter()
                    .for_each(|&e| events.insert(e)),
                Target::Place { place } => events_at(m, place, |e| events.insert(e)),
                _ => {}
            }
        }
        for (t, tag) in m.tags.iter().enumerate() {
            if text_has_term(tag, term) {
                m.events_with_tag(t as Ix)
                    .iter()
                    .for_each(|&e| events.insert(e));
            }
        }
        events
    }

    /// The events of the fields in `lists` (postings), and the fields that
    /// name an actor or place: on every core when there are many.
    fn events_of_fields(&self, m: &Model, lists: &[&[u32]]) -> (EventSet, Vec<u32>) {
        let total: usize = lists.iter().map(|l| l.len()).sum();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let cores = if total < ON_ALL_CORES_FROM { 1 } else { cores };
        self.events_of_fields_on(m, lists, cores)
    }

    fn events_of_fields_on(
        &self,
        m: &Model,
        lists: &[&[u32]],
        cores: usize,
    ) -> (EventSet, Vec<u32>) {
        let one = |halves: &mut dyn Iterator<Item = &[u32]>| {
            let mut events = EventSet::empty(m.events.len());
            let mut named = Vec::new();
            for list in halves {
                for &d in list {
                    match self.doc_events[d as usize] {
                        NAME => named.push(d),
                        NONE => {}
                        e => events.insert(e),
                    }
                }
            }
            (events, named)
        };
        if cores < 2 {
            return one(&mut lists.iter().copied());
        }
        // Each core takes its share of every list.
        let share = |l: &[u32], k: usize| -> std::ops::Range<usize> {
            (l.len() * k / cores)..(l.len() * (k + 1) / cores)
        };
        let parts: Vec<(EventSet, Vec<u32>)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..cores)
                .map(|k| {
                    let one = &one;
                    s.spawn(move || one(&mut lists.iter().map(|l| &l[share(l, k)])))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let mut parts = parts.into_iter();
        let (mut events, mut named) = parts.next().expect("one part a core");
        for (e, n) in parts {
            events.or(&e);
            named.extend(n);
        }
        (events, named)
    }
}

/// Below this many fields to look at, one core does it.
const ON_ALL_CORES_FROM: usize = 200_000;

/// `doc_events`: a field that names an actor or place (its events are
/// theirs), or one no event's text holds.
const NAME: u32 = u32::MAX;
const NONE: u32 = u32::MAX - 1;

/// Each field's event: an event's title, summary or quote gives its
/// event; an actor's or place's name or alias `NAME`; the rest `NONE`.
pub(super) fn doc_events(docs: &[super::Doc]) -> Vec<u32> {
    docs.iter()
        .map(|d| match (d.target, d.field) {
            (Target::Event { event } | Target::Quote { event, .. }, _) => event.min(NONE - 1),
            (Target::Actor { .. } | Target::Place { .. }, Field::Name | Field::Alias(_)) => NAME,
            _ => NONE,
        })
        .collect()
}

/// Calls `f` for each event at `place` itself (not at a place within it).
fn events_at(m: &Model, place: Ix, mut f: impl FnMut(Ix)) {
    let by = m.by_event();
    let Some(&(own, _)) = by.place_subtree.get(place as usize) else {
        return;
    };
    let pairs = &by.place_event_pairs;
    let from = pairs.partition_point(|&(n, _)| n < own);
    for &(n, e) in &pairs[from..] {
        if n != own {
            break;
        }
        f(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_looked_at_on_several_cores_give_the_events_one_core_gives() {
        let m = crate::store::load::load_str(
            &crate::synth::to_ron(&crate::synth::generate(1_500, 5)),
            "synth.ron",
        )
        .unwrap();
        let index = SearchIndex::build(&m);
        let mut compared = 0;
        for term in ["t", "a", "troops", "1", "go", "zz"] {
            let lists: Vec<&[u32]> = (0..index.vocab.len() as u32)
                .filter(|&w| index.vocab[w as usize].starts_with(term))
                .map(|w| index.postings.of(w))
                .collect();
            let (events, mut named) = index.events_of_fields_on(&m, &lists, 1);
            for cores in [2, 3, 8] {
                let (e, mut n) = index.events_of_fields_on(&m, &lists, cores);
                assert_eq!(e, events, "{term:?} on {cores} cores");
                n.sort_unstable();
                named.sort_unstable();
                assert_eq!(n, named, "{term:?} on {cores} cores");
            }
            compared += events.bits.iter().map(|b| b.count_ones()).sum::<u32>();
        }
        assert!(compared > 1_000, "{compared}");
    }
}
