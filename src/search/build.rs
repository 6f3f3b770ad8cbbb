//! Building the search index: every searchable field of a model, split
//! into words (`tokens`), each word's fields listed.
//!
//! On every core: the model is cut into parts (a run of actors, places,
//! events, claims or sources), each part indexed on its own with its own
//! vocabulary, and the parts joined in order. Words are numbered as they
//! are first met and fields as they come, part after part, so the index
//! is the one a single pass would build, whatever the number of cores.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashMap;

use super::fold::fold;
use super::tokens::{self, fold_word_into, index_terms, words};
use super::{Doc, Field, Postings, SearchIndex, ShortFields, Target};
use crate::model::{Ix, Model};

/// Items (events, sources, …) in one part: enough to be worth a thread,
/// few enough that cores busy elsewhere do not hold up the rest.
const PART_ITEMS: usize = 20_000;

/// Below this many events one core does it all: threads cost more than
/// they save.
const ONE_CORE_BELOW: usize = 20_000;

/// What the model holds, in the order the index numbers its fields.
#[derive(Clone, Copy)]
enum Kind {
    Actors,
    Places,
    Events,
    Claims,
    Sources,
}

/// A run of one kind of item, indexed on its own.
struct Part {
    kind: Kind,
    items: Range<usize>,
}

/// The index of one part: its fields numbered from 0, its own words.
#[derive(Default)]
struct Builder {
    ids: Ids,
    vocab: Vec<Box<str>>,
    postings: Vec<Vec<u32>>,
    docs: Vec<Doc>,
    short: ShortFields,
    /// Fields with a word too long to index.
    long: Vec<u32>,
    /// A word folded, reused.
    buf: String,
}

impl Builder {
    fn add(&mut self, target: Target, field: Field, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let d = self.docs.len() as u32;
        let mut n = 0usize;
        let Builder {
            ids,
            vocab,
            postings,
            buf,
            long,
            ..
        } = self;
        for (_, w) in words(text) {
            n += 1;
            // No one types a word this long (a base64 run, a hash): it is
            // not indexed, so it costs neither memory nor a comparison.
            if w.len() > tokens::MAX_WORD_BYTES {
                if long.last() != Some(&d) {
                    long.push(d);
                }
                continue;
            }
            fold_word_into(w, buf);
            index_terms(buf, |t| {
                let id = ids.id(t, || {
                    let id = vocab.len() as u32;
                    vocab.push(t.into());
                    postings.push(Vec::new());
                    id
                });
                let p = &mut postings[id as usize];
                if p.last() != Some(&d) {
                    p.push(d);
                }
            });
        }
        self.docs.push(Doc {
            target,
            field,
            words: n.min(u16::MAX as usize) as u16,
        });
        // Scattered letters are looked for in names: initials and
        // run-together names ("usmil", "ab101") are how people shorten them.
        if matches!(field, Field::Name | Field::Alias(_) | Field::Outlet) {
            self.short.text.push_str(&fold(text).text);
            self.short.ends.push(self.short.text.len());
            self.short.docs.push(d);
        }
    }

    /// Indexes the fields of `part`'s items.
    fn add_part(&mut self, m: &Model, part: &Part) {
        for i in part.items.clone() {
            match part.kind {
                Kind::Actors => self.add_actor(m, i),
                Kind::Places => self.add_place(m, i),
                Kind::Events => self.add_event(m, i),
                Kind::Claims => self.add_claim(m, i),
                Kind::Sources => self.add_source(m, i),
            }
        }
    }

    fn add_actor(&mut self, m: &Model, i: usize) {
        let a = &m.actors[i];
        let t = Target::Actor { actor: i as Ix };
        self.add(t, Field::Name, &a.name);
        for (k, s) in a.aliases.iter().enumerate() {
            self.add(t, Field::Alias(k as u32), s);
        }
        let description = a.description.as_deref().unwrap_or("");
        self.add(t, Field::Description, description);
    }

    fn add_place(&mut self, m: &Model, i: usize) {
        let p = &m.places[i];
        let t = Target::Place { place: i as Ix };
        self.add(t, Field::Name, &p.name);
        for (k, s) in p.aliases.iter().enumerate() {
            self.add(t, Field::Alias(k as u32), s);
        }
    }

    fn add_event(&mut self, m: &Model, i: usize) {
        let e = &m.events[i];
        let t = Target::Event { event: i as Ix };
        self.add(t, Field::Title, &e.title);
        self.add(t, Field::Summary, e.summary.as_deref().unwrap_or(""));
        for (q, quote) in e.evidence.iter().enumerate() {
            let t = Target::Quote {
                event: i as Ix,
                quote: q as u32,
            };
            self.add(t, Field::Quote, &quote.text);
        }
    }

    /// What is claimed and the value, so that a disagreement is found by
    /// its words ("cost of air base 201").
    fn add_claim(&mut self, m: &Model, i: usize) {
        let c = &m.claims[i];
        let t = Target::Claim { claim: i as Ix };
        self.add(t, Field::Title, &c.attribute);
        self.add(t, Field::Value, &c.label);
    }

    fn add_source(&mut self, m: &Model, i: usize) {
        let s = &m.sources[i];
        let t = Target::Source { source: i as Ix };
        self.add(t, Field::Title, &s.title);
        self.add(t, Field::Outlet, &s.outlet);
        self.add(t, Field::Author, s.author.as_deref().unwrap_or(""));
        self.add(t, Field::Article, &s.text);
    }
}

/// A part's words by their number. Words of up to 8 bytes (most of them)
/// are keys of one integer: no string to compare or follow.
#[derive(Default)]
struct Ids {
    short: FxHashMap<u64, u32>,
    long: FxHashMap<Box<str>, u32>,
}

impl Ids {
    /// The number of word `t`, or `new()`'s for a word not seen yet.
    fn id(&mut self, t: &str, new: impl FnOnce() -> u32) -> u32 {
        match packed(t) {
            Some(key) => *self.short.entry(key).or_insert_with(new),
            None => match self.long.get(t) {
                Some(&id) => id,
                None => {
                    let id = new();
                    self.long.insert(t.into(), id);
                    id
                }
            },
        }
    }
}

/// A word of 1 to 8 bytes as one integer (a word never holds a NUL byte:
/// the zeros after it cannot be part of it).
fn packed(t: &str) -> Option<u64> {
    let b = t.as_bytes();
    if b.is_empty() || b.len() > 8 || b.contains(&0) {
        return None;
    }
    let mut key = [0u8; 8];
    key[..b.len()].copy_from_slice(b);
    Some(u64::from_le_bytes(key))
}

/// The model cut into parts of at most `items` items each, in order.
fn parts(m: &Model, items: usize) -> Vec<Part> {
    let kinds = [
        (Kind::Actors, m.actors.len()),
        (Kind::Places, m.places.len()),
        (Kind::Events, m.events.len()),
        (Kind::Claims, m.claims.len()),
        (Kind::Sources, m.sources.len()),
    ];
    let items = items.max(1);
    let mut out = Vec::new();
    for (kind, n) in kinds {
        for start in (0..n).step_by(items) {
            out.push(Part {
                kind,
                items: start..(start + items).min(n),
            });
        }
    }
    out
}

impl SearchIndex {
    /// The index of `m`, built on every core.
    pub fn build(m: &Model) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        SearchIndex::build_on(m, cores)
    }

    /// The index of `m`, built on at most `threads` threads (the same
    /// index whatever their number; benchmarks compare them).
    pub fn build_on(m: &Model, threads: usize) -> Self {
        if threads < 2 || m.events.len() < ONE_CORE_BELOW {
            return build_in_parts(m, usize::MAX, 1);
        }
        build_in_parts(m, PART_ITEMS, threads)
    }
}

/// The index, built in parts of `items` items on `threads` threads.
fn build_in_parts(m: &Model, items: usize, threads: usize) -> SearchIndex {
    let parts = parts(m, items);
    let built: Vec<Mutex<Option<Builder>>> = parts.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(k) else {
                return;
            };
            let mut b = Builder::default();
            b.add_part(m, part);
            b.buf = String::new();
            *built[k].lock().unwrap_or_else(|e| e.into_inner()) = Some(b);
        }
    };
    if threads < 2 || parts.len() < 2 {
        work();
    } else {
        std::thread::scope(|s| {
            for _ in 0..threads.min(parts.len()) {
                s.spawn(work);
            }
        });
    }
    let built = built
        .into_iter()
        .map(|b| b.into_inner().unwrap_or_else(|e| e.into_inner()))
        .map(|b| b.expect("every part was built"));
    join(built.collect())
}

/// The parts' indexes as one: words numbered as first met, part after
/// part; each part's fields numbered after the previous parts'.
fn join(parts: Vec<Builder>) -> SearchIndex {
    let mut ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let mut vocab: Vec<Box<str>> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    // Each part's words as numbered in the whole index.
    let mut global: Vec<Vec<u32>> = Vec::with_capacity(parts.len());
    for p in &parts {
        let mut map = Vec::with_capacity(p.vocab.len());
        for (w, list) in p.vocab.iter().zip(&p.postings) {
            let id = match ids.get(w) {
                Some(&id) => id,
                None => {
                    let id = vocab.len() as u32;
                    vocab.push(w.clone());
                    ids.insert(w.clone(), id);
                    counts.push(0);
                    id
                }
            };
            counts[id as usize] += list.len();
            map.push(id);
        }
        global.push(map);
    }
    drop(ids);
    let mut ends = Vec::with_capacity(counts.len());
    let mut total = 0usize;
    for c in &counts {
        total += c;
        ends.push(total);
    }
    // Where each word's next field goes: its start, moving on.
    let mut at: Vec<usize> = ends.iter().zip(&counts).map(|(e, c)| e - c).collect();
    drop(counts);
    let mut fields = vec![0u32; total];
    let mut docs: Vec<Doc> = Vec::with_capacity(parts.iter().map(|p| p.docs.len()).sum());
    let mut short = ShortFields::default();
    let mut long = Vec::new();
    for (p, map) in parts.into_iter().zip(global) {
        let offset = docs.len() as u32;
        for (list, &id) in p.postings.iter().zip(&map) {
            let start = at[id as usize];
            for (slot, &d) in fields[start..start + list.len()].iter_mut().zip(list) {
                *slot = d + offset;
            }
            at[id as usize] = start + list.len();
        }
        let text_offset = short.text.len();
        short.text.push_str(&p.short.text);
        short
            .ends
            .extend(p.short.ends.iter().map(|e| e + text_offset));
        short.docs.extend(p.short.docs.iter().map(|d| d + offset));
        long.extend(p.long.iter().map(|d| d + offset));
        docs.extend(p.docs);
    }
    SearchIndex::from_parts(docs, vocab, Postings { fields, ends }, short, long)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every part of an index, as bytes.
    fn bytes(ix: &SearchIndex) -> Vec<u8> {
        super::super::stored::encode(ix)
    }

    #[test]
    fn an_index_built_in_parts_on_several_threads_is_the_one_built_in_one_pass() {
        let hostile =
            crate::load_path(std::path::Path::new("tests/fixtures/valid/hostile.ron")).unwrap();
        let models = [
            crate::load_builtin().unwrap(),
            crate::store::load::load_str(
                &crate::synth::to_ron(&crate::synth::generate(600, 3)),
                "synth.ron",
            )
            .unwrap(),
            hostile,
        ];
        for m in &models {
            let whole = bytes(&build_in_parts(m, usize::MAX, 1));
            for (items, threads) in [(1, 4), (7, 3), (50, 2), (1000, 8)] {
                let parted = bytes(&build_in_parts(m, items, threads));
                assert!(parted == whole, "{items} items a part, {threads} threads");
            }
            assert!(bytes(&SearchIndex::build(m)) == whole);
        }
    }
}
