//! The search index in bytes, for the load cache (`crate::cache`): built in
//! 11 s at a million events, read back in a fraction of that.
//!
//! Written by hand rather than with serde: the index is a few flat arrays
//! of integers and one of words, and writing them as little-endian runs
//! reads back at memory speed. Nothing read is trusted: every number that
//! indexes something is checked against what it indexes (the fields, the
//! vocabulary, the model's actors, places, events and sources), so a
//! damaged file is refused instead of answering with a panic later.

use super::{Doc, Field, Postings, SearchIndex, ShortFields, Target};
use crate::model::Model;

/// Bytes written little-endian, in order.
#[derive(Default)]
struct Out(Vec<u8>);

impl Out {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
}

/// Reads what `Out` wrote; `None` at the first thing that is not there.
struct In<'a> {
    b: &'a [u8],
}

impl<'a> In<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.b.len() {
            return None;
        }
        let (head, rest) = self.b.split_at(n);
        self.b = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    /// A count of items of `size` bytes each that must still fit in the
    /// input: a damaged count cannot make a huge allocation.
    fn count(&mut self, size: usize) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n.checked_mul(size)? <= self.b.len()).then_some(n)
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.count(1)?;
        std::str::from_utf8(self.take(n)?).ok()
    }
    fn u32s(&mut self) -> Option<Vec<u32>> {
        let n = self.count(4)?;
        let bytes = self.take(n * 4)?;
        Some(
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }
    fn u64s(&mut self) -> Option<Vec<usize>> {
        let n = self.count(8)?;
        let bytes = self.take(n * 8)?;
        bytes
            .chunks_exact(8)
            .map(|c| usize::try_from(u64::from_le_bytes(c.try_into().ok()?)).ok())
            .collect()
    }
}

/// The index as bytes.
pub(crate) fn encode(ix: &SearchIndex) -> Vec<u8> {
    let mut o = Out::default();
    o.u64(ix.docs.len() as u64);
    for d in &ix.docs {
        put_doc(&mut o, d);
    }
    o.u64(ix.vocab.len() as u64);
    for w in &ix.vocab {
        o.str(w);
    }
    put_u32s(&mut o, &ix.postings.fields);
    put_u64s(&mut o, &ix.postings.ends);
    o.str(&ix.short.text);
    put_u64s(&mut o, &ix.short.ends);
    put_u32s(&mut o, &ix.short.docs);
    put_u32s(&mut o, &ix.long);
    o.0
}

/// The index `encode` wrote for `m`, if these bytes are that and fit `m`.
pub(crate) fn decode(bytes: &[u8], m: &Model) -> Option<SearchIndex> {
    let mut i = In { b: bytes };
    let n = i.count(DOC_BYTES)?;
    let docs = (0..n)
        .map(|_| take_doc(&mut i, m))
        .collect::<Option<Vec<Doc>>>()?;
    let n = i.count(8)?;
    let vocab = (0..n)
        .map(|_| i.str().map(Box::from))
        .collect::<Option<Vec<Box<str>>>>()?;
    let postings = Postings {
        fields: i.u32s()?,
        ends: i.u64s()?,
    };
    let short = ShortFields {
        text: i.str()?.to_string(),
        ends: i.u64s()?,
        docs: i.u32s()?,
    };
    let long = i.u32s()?;
    let fits = i.b.is_empty()
        && postings.ends.len() == vocab.len()
        && ascending_within(&postings.ends, postings.fields.len())
        && postings.fields.iter().all(|&d| (d as usize) < docs.len())
        && short.ends.len() == short.docs.len()
        && ascending_within(&short.ends, short.text.len())
        && short.ends.iter().all(|&e| short.text.is_char_boundary(e))
        && short.docs.iter().all(|&d| (d as usize) < docs.len())
        && long.windows(2).all(|w| w[0] < w[1])
        && long.last().is_none_or(|&d| (d as usize) < docs.len());
    fits.then(|| SearchIndex::from_parts(docs, vocab, postings, short, long))
}

/// Ends that never go back and stop within `len`.
fn ascending_within(ends: &[usize], len: usize) -> bool {
    ends.windows(2).all(|w| w[0] <= w[1]) && ends.last().is_none_or(|&e| e <= len)
}

fn put_u32s(o: &mut Out, v: &[u32]) {
    o.u64(v.len() as u64);
    for &x in v {
        o.u32(x);
    }
}

fn put_u64s(o: &mut Out, v: &[usize]) {
    o.u64(v.len() as u64);
    for &x in v {
        o.u64(x as u64);
    }
}

/// Bytes of one doc: target (kind, two numbers), field (kind, number), words.
const DOC_BYTES: usize = 1 + 4 + 4 + 1 + 4 + 2;

fn put_doc(o: &mut Out, d: &Doc) {
    let (kind, a, b) = match d.target {
        Target::Actor { actor } => (0, actor, 0),
        Target::Place { place } => (1, place, 0),
        Target::Event { event } => (2, event, 0),
        Target::Source { source } => (3, source, 0),
        Target::Quote { event, quote } => (4, event, quote),
        Target::Claim { claim } => (5, claim, 0),
    };
    o.u8(kind);
    o.u32(a);
    o.u32(b);
    let (field, n) = match d.field {
        Field::Name => (0, 0),
        Field::Alias(k) => (1, k),
        Field::Description => (2, 0),
        Field::Title => (3, 0),
        Field::Outlet => (4, 0),
        Field::Author => (5, 0),
        Field::Summary => (6, 0),
        Field::Quote => (7, 0),
        Field::Article => (8, 0),
        Field::Note => (9, 0),
        Field::Value => (10, 0),
    };
    o.u8(field);
    o.u32(n);
    o.0.extend_from_slice(&d.words.to_le_bytes());
}

/// A doc, if its target is in `m`.
fn take_doc(i: &mut In, m: &Model) -> Option<Doc> {
    let (kind, a, b) = (i.u8()?, i.u32()?, i.u32()?);
    let within = |len: usize| (a as usize) < len;
    let target = match kind {
        0 if within(m.actors.len()) => Target::Actor { actor: a },
        1 if within(m.places.len()) => Target::Place { place: a },
        2 if within(m.events.len()) => Target::Event { event: a },
        3 if within(m.sources.len()) => Target::Source { source: a },
        4 if within(m.events.len()) => Target::Quote { event: a, quote: b },
        5 if within(m.claims.len()) => Target::Claim { claim: a },
        _ => return None,
    };
    let field = match (i.u8()?, i.u32()?) {
        (0, _) => Field::Name,
        (1, k) => Field::Alias(k),
        (2, _) => Field::Description,
        (3, _) => Field::Title,
        (4, _) => Field::Outlet,
        (5, _) => Field::Author,
        (6, _) => Field::Summary,
        (7, _) => Field::Quote,
        (8, _) => Field::Article,
        (9, _) => Field::Note,
        (10, _) => Field::Value,
        _ => return None,
    };
    // The numbers within a target too: an alias of its actor or place, a
    // quote of its event.
    let fits = match (target, field) {
        (Target::Actor { actor }, Field::Alias(k)) => (k as usize) < m.actor(actor).aliases.len(),
        (Target::Place { place }, Field::Alias(k)) => (k as usize) < m.place(place).aliases.len(),
        (Target::Quote { event, quote }, _) => (quote as usize) < m.event(event).evidence.len(),
        (_, Field::Alias(_)) => false,
        _ => true,
    };
    if !fits {
        return None;
    }
    let words = u16::from_le_bytes(i.take(2)?.try_into().ok()?);
    Some(Doc {
        target,
        field,
        words,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        crate::load_builtin().unwrap()
    }

    #[test]
    fn an_index_read_back_answers_as_the_one_built() {
        let m = model();
        let built = SearchIndex::build(&m);
        let read = decode(&encode(&built), &m).expect("reads back");
        for q in ["niger", "russ", "agadez base", "goverment", "usmil", "zzzz"] {
            assert_eq!(read.search(&m, q, 20), built.search(&m, q, 20), "{q}");
        }
        assert_eq!(read.vocab, built.vocab);
        assert_eq!(read.postings.fields, built.postings.fields);
    }

    #[test]
    fn a_quote_or_alias_number_beyond_its_target_is_refused() {
        let m = model();
        let e = m
            .events
            .iter()
            .position(|e| !e.evidence.is_empty())
            .unwrap() as u32;
        let quotes = m.event(e).evidence.len() as u32;
        let doc = |target, field| {
            let mut o = Out::default();
            put_doc(
                &mut o,
                &Doc {
                    target,
                    field,
                    words: 1,
                },
            );
            o.0
        };
        let read = |bytes: Vec<u8>| take_doc(&mut In { b: &bytes }, &m).is_some();
        let quote = |q| Target::Quote { event: e, quote: q };
        assert!(read(doc(quote(quotes - 1), Field::Quote)));
        assert!(!read(doc(quote(quotes), Field::Quote)));
        let actor = Target::Actor { actor: 0 };
        let aliases = m.actor(0).aliases.len() as u32;
        assert!(!read(doc(actor, Field::Alias(aliases))));
        assert!(read(doc(actor, Field::Name)));
    }

    #[test]
    fn damaged_bytes_are_refused_or_read_into_an_index_that_does_not_panic() {
        let m = model();
        let bytes = encode(&SearchIndex::build(&m));
        // Cut short anywhere: never an index.
        for cut in (0..bytes.len()).step_by(bytes.len() / 97 + 1) {
            assert!(decode(&bytes[..cut], &m).is_none(), "cut at {cut}");
        }
        // A flipped byte: refused, or an index whose every search runs.
        for at in (0..bytes.len()).step_by(bytes.len() / 211 + 1) {
            let mut b = bytes.clone();
            b[at] ^= 0xa5;
            if let Some(ix) = decode(&b, &m) {
                for q in ["niger", "a", "usmil"] {
                    let _ = ix.search(&m, q, 20);
                }
            }
        }
        // An index of another model does not fit a smaller one.
        let small = crate::store::load::load_str(
            r#"(meta: (title: "t"), sources: [], events: [])"#,
            "small.ron",
        )
        .unwrap();
        assert!(decode(&bytes, &small).is_none());
    }
}
