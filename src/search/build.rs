//! Building the search index: every searchable field of a model, split
//! into words (`tokens`), each word's fields listed.

use std::collections::HashMap;

use super::fold::fold;
use super::tokens::{self, fold_word, index_terms, words};
use super::{Doc, Field, Postings, SearchIndex, ShortFields, Target};
use crate::model::{Ix, Model};

struct Builder {
    ids: HashMap<Box<str>, u32>,
    vocab: Vec<Box<str>>,
    postings: Vec<Vec<u32>>,
    docs: Vec<Doc>,
    short: ShortFields,
}

impl Builder {
    fn add(&mut self, target: Target, field: Field, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let d = self.docs.len() as u32;
        let mut n = 0usize;
        for (_, w) in words(text) {
            n += 1;
            // No one types a word this long (a base64 run, a hash): it is
            // not indexed, so it costs neither memory nor a comparison.
            if w.len() > tokens::MAX_WORD_BYTES {
                continue;
            }
            let folded = fold_word(w);
            index_terms(&folded, |t| {
                let id = match self.ids.get(t) {
                    Some(&id) => id,
                    None => {
                        let id = self.vocab.len() as u32;
                        self.vocab.push(t.into());
                        self.ids.insert(t.into(), id);
                        self.postings.push(Vec::new());
                        id
                    }
                };
                let p = &mut self.postings[id as usize];
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
}

impl SearchIndex {
    pub fn build(m: &Model) -> Self {
        let mut b = Builder {
            ids: HashMap::new(),
            vocab: Vec::new(),
            postings: Vec::new(),
            docs: Vec::new(),
            short: ShortFields::default(),
        };
        for (i, a) in m.actors.iter().enumerate() {
            let t = Target::Actor { actor: i as Ix };
            b.add(t, Field::Name, &a.name);
            for (k, s) in a.aliases.iter().enumerate() {
                b.add(t, Field::Alias(k as u32), s);
            }
            b.add(
                t,
                Field::Description,
                a.description.as_deref().unwrap_or(""),
            );
        }
        for (i, p) in m.places.iter().enumerate() {
            let t = Target::Place { place: i as Ix };
            b.add(t, Field::Name, &p.name);
            for (k, s) in p.aliases.iter().enumerate() {
                b.add(t, Field::Alias(k as u32), s);
            }
        }
        for (i, e) in m.events.iter().enumerate() {
            let t = Target::Event { event: i as Ix };
            b.add(t, Field::Title, &e.title);
            b.add(t, Field::Summary, e.summary.as_deref().unwrap_or(""));
            for (q, quote) in e.evidence.iter().enumerate() {
                let t = Target::Quote {
                    event: i as Ix,
                    quote: q as u32,
                };
                b.add(t, Field::Quote, &quote.text);
            }
        }
        // Claims: what is claimed and the value, so that a disagreement
        // is found by its words ("cost of air base 201").
        for (i, c) in m.claims.iter().enumerate() {
            let t = Target::Claim { claim: i as Ix };
            b.add(t, Field::Title, &c.attribute);
            b.add(t, Field::Value, &c.label);
        }
        for (i, s) in m.sources.iter().enumerate() {
            let t = Target::Source { source: i as Ix };
            b.add(t, Field::Title, &s.title);
            b.add(t, Field::Outlet, &s.outlet);
            b.add(t, Field::Author, s.author.as_deref().unwrap_or(""));
            b.add(t, Field::Article, &s.text);
        }
        SearchIndex::from_parts(b.docs, b.vocab, Postings::from_lists(b.postings), b.short)
    }
}
