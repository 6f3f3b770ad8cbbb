//! Evidence: every quote found verbatim in its article (whitespace aside).

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::check::{At, Checker};
use super::refs::{Resolver, want_source};
use super::shorten;
use crate::model::{Entity, Ix, Quote, Source};
use crate::quote::{Collapsed, find_many, find_quote_in};
use crate::shared::SharedStr;
use crate::store::QuoteRec;

/// Where each quote stands in its source's text, in the order given; `None`
/// where the source is unknown or the quote is not in it.
pub(super) fn find_quotes(
    sources: &[Source],
    ids: &FxHashMap<SharedStr, Entity>,
    quotes: Vec<&QuoteRec>,
) -> Vec<Option<Range<usize>>> {
    // An article's whitespace is collapsed at most once, shared by all its
    // quotes that are not in it verbatim.
    let collapsed: Vec<OnceLock<Collapsed>> = (0..sources.len()).map(|_| OnceLock::new()).collect();
    let find = |q: &QuoteRec| match ids.get(q.source.as_str()) {
        Some(&Entity::Source(s)) => {
            let text = &sources[s as usize].text;
            let lazy = || collapsed[s as usize].get_or_init(|| Collapsed::new(text));
            find_quote_in(text, lazy, &q.quote)
        }
        _ => None,
    };
    // Articles quoted many times are searched for all their quotes in one
    // pass; the rest quote by quote, on every core.
    let mut by_source: FxHashMap<Ix, Vec<usize>> = FxHashMap::default();
    for (i, q) in quotes.iter().enumerate() {
        if let Some(&Entity::Source(s)) = ids.get(q.source.as_str()) {
            by_source.entry(s).or_default().push(i);
        }
    }
    let mut spans = vec![None; quotes.len()];
    let mut done = vec![false; quotes.len()];
    for (&s, idx) in by_source.iter().filter(|(_, idx)| idx.len() >= MANY_QUOTES) {
        let text = &sources[s as usize].text;
        let lazy = || collapsed[s as usize].get_or_init(|| Collapsed::new(text));
        let qs: Vec<&str> = idx.iter().map(|&i| quotes[i].quote.as_str()).collect();
        for (&i, span) in idx.iter().zip(find_many(text, lazy, &qs)) {
            spans[i] = span;
            done[i] = true;
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || quotes.len() < 1024 {
        for (i, q) in quotes.iter().enumerate().filter(|&(i, _)| !done[i]) {
            spans[i] = find(q);
        }
        return spans;
    }
    let chunk = quotes.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for ((part, out), skip) in quotes
            .chunks(chunk)
            .zip(spans.chunks_mut(chunk))
            .zip(done.chunks(chunk))
        {
            scope.spawn(move || {
                for ((q, o), &skip) in part.iter().zip(out).zip(skip) {
                    if !skip {
                        *o = find(q);
                    }
                }
            });
        }
    });
    spans
}

/// From this many quotes of one article on, they are found in one pass.
const MANY_QUOTES: usize = 16;

/// Checks each record's evidence against the quote positions found up
/// front, in the order they were found.
pub(super) struct Evidence<'a> {
    pub(super) spans: std::vec::IntoIter<Option<Range<usize>>>,
    pub(super) resolver: &'a Resolver<'a>,
    pub(super) sources: &'a [Source],
}

impl Evidence<'_> {
    pub(super) fn check(
        &mut self,
        ck: &mut Checker,
        at: At,
        l: &dyn fmt::Display,
        recs: Vec<QuoteRec>,
    ) -> Vec<Quote> {
        if recs.is_empty() {
            ck.report(
                at,
                Some("evidence"),
                None,
                format!("{l}: no evidence: at least one quote from a source is needed"),
            );
        }
        let mut out = Vec::with_capacity(recs.len());
        for q in recs {
            let found = self.spans.next().flatten();
            let src = match self.resolver.resolve(&q.source, "source", want_source) {
                Ok(s) => s,
                Err(msg) => {
                    ck.report(
                        at,
                        Some("evidence"),
                        Some(&q.source),
                        format!("{l}: evidence: {msg}"),
                    );
                    continue;
                }
            };
            if q.quote.trim().is_empty() {
                ck.report(
                    at,
                    Some("evidence"),
                    Some(&q.source),
                    format!("{l}: evidence: empty quote"),
                );
                continue;
            }
            match found {
                Some(span) => out.push(Quote {
                    source: src,
                    text: q.quote,
                    span,
                }),
                None => ck.report(
                    at,
                    Some("evidence"),
                    Some(&q.quote),
                    format!(
                        "{l}: quote not found verbatim in source {:?}: {:?}",
                        self.sources[src as usize].id,
                        shorten(&q.quote, 60)
                    ),
                ),
            }
        }
        out
    }
}
