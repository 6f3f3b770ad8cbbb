//! Evidence: every quote found verbatim in its article (whitespace aside).

use std::fmt;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::check::{At, Checker};
use super::refs::Resolver;
use super::shorten;
use crate::evidence::closest::{ArticleIndex, explain};
use crate::evidence::quote::{Collapsed, find_many, find_quote_in};
use crate::model::{Ix, Kind, Quote, Source};
use crate::store::QuoteRec;

/// What finding a quote learnt: its source, when its id names one, and
/// where it stands in that source's text.
#[derive(Clone, Default)]
pub(super) struct Found {
    source: Option<Ix>,
    span: Option<Range<usize>>,
}

/// Each quote's source and where the quote stands in its text, in the
/// order given. Each source id is looked up once, here; `Evidence::check`
/// reuses it.
///
/// All on every core, and source by source: the quotes of one article
/// are looked for one after the other, while its text is in the
/// processor's cache, and the articles in the order of the store (at a
/// million events, looking for each quote in turn read a random article
/// each time, most of the cost).
pub(super) fn find_quotes(
    sources: &[Source],
    resolver: &Resolver,
    quotes: Vec<&QuoteRec>,
) -> Vec<Found> {
    let ids = resolver.of(Kind::Source);
    let threads = super::threads(quotes.len());
    let source_of: Vec<Option<Ix>> = super::in_parts(&quotes, threads, |part| {
        part.iter()
            .map(|q| ids.get(q.source.as_str()).copied())
            .collect::<Vec<_>>()
    })
    .concat();
    // The quotes of each source, in order: `by_source[start[s]..start[s + 1]]`.
    let mut start = vec![0usize; sources.len() + 1];
    for &s in source_of.iter().flatten() {
        start[s as usize + 1] += 1;
    }
    for s in 0..sources.len() {
        start[s + 1] += start[s];
    }
    let mut next = start.clone();
    let mut by_source = vec![0usize; start[sources.len()]];
    for (q, &s) in source_of.iter().enumerate() {
        if let Some(s) = s {
            by_source[next[s as usize]] = q;
            next[s as usize] += 1;
        }
    }
    drop(next);
    // Sources in runs of about equal numbers of quotes, each thread taking
    // the next run when done with one.
    let runs: Vec<(usize, usize)> = runs_of_sources(&start, threads * 8);
    let spans: Vec<Vec<Option<Range<usize>>>> = super::in_turns(&runs, threads, |&(from, to)| {
        (from..to)
            .flat_map(|s| {
                let qs: Vec<&str> = by_source[start[s]..start[s + 1]]
                    .iter()
                    .map(|&q| quotes[q].quote.as_str())
                    .collect();
                find_in_source(&sources[s].text, &qs)
            })
            .collect::<Vec<_>>()
    });
    let mut found: Vec<Found> = source_of
        .into_iter()
        .map(|source| Found { source, span: None })
        .collect();
    for (&q, span) in by_source.iter().zip(spans.into_iter().flatten()) {
        found[q].span = span;
    }
    found
}

/// Runs of consecutive sources, each with about `1 / parts` of the quotes.
fn runs_of_sources(start: &[usize], parts: usize) -> Vec<(usize, usize)> {
    let sources = start.len() - 1;
    let total = start[sources];
    let mut runs = Vec::new();
    let mut from = 0;
    for k in 1..=parts {
        let goal = total * k / parts.max(1);
        let to = if k == parts {
            sources
        } else {
            start.partition_point(|&n| n < goal).clamp(from, sources)
        };
        if to > from {
            runs.push((from, to));
            from = to;
        }
    }
    runs
}

/// Where each of an article's quotes stands in it. Many quotes are found
/// in one pass (`find_many`); a few, one at a time, which costs less than
/// building the automaton. The article's whitespace is collapsed at most
/// once, for the quotes not in it verbatim.
fn find_in_source(text: &str, quotes: &[&str]) -> Vec<Option<Range<usize>>> {
    let collapsed = std::cell::OnceCell::new();
    let lazy = || collapsed.get_or_init(|| Collapsed::new(text));
    if quotes.len() >= MANY_QUOTES {
        return find_many(text, lazy, quotes);
    }
    quotes
        .iter()
        .map(|q| find_quote_in(text, lazy, q))
        .collect()
}

/// From this many quotes of one article on, they are found in one pass.
/// Below it, quote by quote is at most this many passes over the article
/// (still linear in the store) and cheaper than building an automaton.
const MANY_QUOTES: usize = 64;

/// Checks each record's evidence against the quote positions found up
/// front, in the order they were found.
pub(super) struct Evidence<'a> {
    pub(super) found: std::vec::IntoIter<Found>,
    pub(super) resolver: &'a Resolver<'a>,
    pub(super) sources: &'a [Source],
    /// Articles indexed to find the passage closest to a quote not in them,
    /// each once, when its first such quote is met.
    pub(super) closest: FxHashMap<Ix, ArticleIndex>,
    /// How many quotes not found were explained so far.
    pub(super) explained: usize,
}

/// Past this many quotes not found in one run, their closest passages are
/// no longer looked for (the messages past a few hundred are not listed).
const MAX_EXPLAINED: usize = 1000;

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
            let Found { source, span } = self.found.next().unwrap_or_default();
            // The source was looked up with the quote; only a failed
            // lookup is resolved again, for its message.
            let resolved = source
                .ok_or(())
                .or_else(|()| self.resolver.resolve(&q.source, Kind::Source));
            let src = match resolved {
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
            match span {
                Some(span) => out.push(Quote {
                    source: src,
                    text: q.quote,
                    span,
                }),
                None => {
                    let why = self.explain(src, &q.quote);
                    ck.report(
                        at,
                        Some("evidence"),
                        Some(&q.quote),
                        format!(
                            "{l}: quote not found verbatim in source {:?}: {:?}{why}",
                            self.sources[src as usize].id,
                            shorten(&q.quote, 60)
                        ),
                    )
                }
            }
        }
        out
    }
}

impl Evidence<'_> {
    /// `; closest passage: "…"; the article says “…”, the quote “…”`.
    fn explain(&mut self, src: Ix, quote: &str) -> String {
        if self.explained >= MAX_EXPLAINED {
            return String::new();
        }
        self.explained += 1;
        let text = self.sources[src as usize].text.as_str();
        let index = self
            .closest
            .entry(src)
            .or_insert_with(|| ArticleIndex::new(text));
        format!("; {}", explain(index, text, quote))
    }
}
