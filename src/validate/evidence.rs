//! Evidence: every quote found verbatim in its article (whitespace aside).

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::check::{At, Checker};
use super::refs::Resolver;
use super::shorten;
use crate::evidence::closest::{ArticleIndex, explain};
use crate::evidence::quote::{Collapsed, find_many, find_quote_in};
use crate::model::{Ids, Ix, Kind, Quote, Source};
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
pub(super) fn find_quotes(sources: &[Source], ids: &Ids, quotes: Vec<&QuoteRec>) -> Vec<Found> {
    let mut found: Vec<Found> = quotes
        .iter()
        .map(|q| Found {
            source: ids.sources.get(q.source.as_str()).copied(),
            span: None,
        })
        .collect();
    // An article's whitespace is collapsed at most once, shared by all its
    // quotes that are not in it verbatim.
    let collapsed: Vec<OnceLock<Collapsed>> = (0..sources.len()).map(|_| OnceLock::new()).collect();
    let find = |q: &QuoteRec, s: Ix| {
        let text = &sources[s as usize].text;
        let lazy = || collapsed[s as usize].get_or_init(|| Collapsed::new(text));
        find_quote_in(text, lazy, &q.quote)
    };
    let done = find_in_much_quoted(sources, &quotes, &mut found, &collapsed);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let todo = |part: &[&QuoteRec], out: &mut [Found], skip: &[bool]| {
        for ((q, f), &skip) in part.iter().zip(out).zip(skip) {
            if let (Some(s), false) = (f.source, skip) {
                f.span = find(q, s);
            }
        }
    };
    if threads < 2 || quotes.len() < 1024 {
        todo(&quotes, &mut found, &done);
        return found;
    }
    let chunk = quotes.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for ((part, out), skip) in quotes
            .chunks(chunk)
            .zip(found.chunks_mut(chunk))
            .zip(done.chunks(chunk))
        {
            scope.spawn(move || todo(part, out, skip));
        }
    });
    found
}

/// Finds the quotes of articles quoted many times, all of an article's
/// in one pass over it; says which quotes it did.
fn find_in_much_quoted(
    sources: &[Source],
    quotes: &[&QuoteRec],
    found: &mut [Found],
    collapsed: &[OnceLock<Collapsed>],
) -> Vec<bool> {
    let mut count = vec![0u32; sources.len()];
    for s in found.iter().filter_map(|f| f.source) {
        count[s as usize] += 1;
    }
    let mut by_source: FxHashMap<Ix, Vec<usize>> = FxHashMap::default();
    for (i, f) in found.iter().enumerate() {
        if let Some(s) = f
            .source
            .filter(|&s| count[s as usize] as usize >= MANY_QUOTES)
        {
            by_source.entry(s).or_default().push(i);
        }
    }
    let mut done = vec![false; quotes.len()];
    for (&s, idx) in &by_source {
        let text = &sources[s as usize].text;
        let lazy = || collapsed[s as usize].get_or_init(|| Collapsed::new(text));
        let qs: Vec<&str> = idx.iter().map(|&i| quotes[i].quote.as_str()).collect();
        for (&i, span) in idx.iter().zip(find_many(text, lazy, &qs)) {
            found[i].span = span;
            done[i] = true;
        }
    }
    done
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
