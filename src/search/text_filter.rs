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
        let mut events = EventSet::empty(m.events.len());
        let mut actors = vec![false; m.actors.len()];
        let mut places = vec![false; m.places.len()];
        let mut mark = |d: u32| match (self.docs[d as usize].target, self.docs[d as usize].field) {
            (Target::Event { event } | Target::Quote { event, .. }, _) => events.insert(event),
            (Target::Actor { actor }, Field::Name | Field::Alias(_)) => {
                actors[actor as usize] = true;
            }
            (Target::Place { place }, Field::Name | Field::Alias(_)) => {
                places[place as usize] = true;
            }
            _ => {}
        };
        let first = term.chars().next();
        let bucket = first.and_then(|c| self.by_first.get(&c));
        for &w in bucket.map_or(&[][..], Vec::as_slice) {
            if self.vocab[w as usize].starts_with(term) {
                self.postings.of(w).iter().for_each(|&d| mark(d));
            }
        }
        for &d in &self.long {
            let doc = self.docs[d as usize];
            if text_has_term(doc.field.text(m, doc.target), term) {
                mark(d);
            }
        }
        for (a, _) in actors.iter().enumerate().filter(|(_, on)| **on) {
            m.events_of_actor(a as Ix)
                .iter()
                .for_each(|&e| events.insert(e));
        }
        for (p, _) in places.iter().enumerate().filter(|(_, on)| **on) {
            events_at(m, p as Ix, |e| events.insert(e));
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
}

/// Calls `f` for each event at `place` itself (not at a place within it).
fn events_at(m: &Model, place: Ix, mut f: impl FnMut(Ix)) {
    let Some(&(own, _)) = m.place_subtree.get(place as usize) else {
        return;
    };
    let pairs = &m.place_event_pairs;
    let from = pairs.partition_point(|&(n, _)| n < own);
    for &(n, e) in &pairs[from..] {
        if n != own {
            break;
        }
        f(e);
    }
}
