//! Fuzzy search over everything in a model: one ranked list of actors,
//! places, events, sources and quotes.
//!
//! Short fields (names, aliases, titles, outlets) are fuzzy-matched whole.
//! Long text (summaries, quotes, article text) goes through a word index:
//! each query word is fuzzy-matched against the vocabulary of distinct
//! words, and the postings of the matching words are combined. Fuzzy
//! matching whole paragraphs would match nearly everything, slowly.

use std::collections::HashMap;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use serde::Serialize;

use crate::fold::{Folded, fold};
use crate::model::{Ix, Model};

/// What a search result points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Target {
    Actor {
        actor: Ix,
    },
    Place {
        place: Ix,
    },
    Event {
        event: Ix,
    },
    Source {
        source: Ix,
    },
    /// The `quote`-th piece of evidence of an event.
    Quote {
        event: Ix,
        quote: u32,
    },
}

impl Target {
    pub fn kind(self) -> &'static str {
        match self {
            Target::Actor { .. } => "actor",
            Target::Place { .. } => "place",
            Target::Event { .. } => "event",
            Target::Source { .. } => "source",
            Target::Quote { .. } => "quote",
        }
    }

    /// The id of what the target names (`event#2` for an event's second quote).
    pub fn id(self, m: &Model) -> String {
        match self {
            Target::Actor { actor } => m.actor(actor).id.to_string(),
            Target::Place { place } => m.place(place).id.to_string(),
            Target::Event { event } => m.event(event).id.to_string(),
            Target::Source { source } => m.source(source).id.to_string(),
            Target::Quote { event, quote } => format!("{}#{}", m.event(event).id, quote + 1),
        }
    }

    /// The name or title of what the target names (a quote: its event's title).
    pub fn name(self, m: &Model) -> &str {
        match self {
            Target::Actor { actor } => &m.actor(actor).name,
            Target::Place { place } => &m.place(place).name,
            Target::Event { event } | Target::Quote { event, .. } => &m.event(event).title,
            Target::Source { source } => &m.source(source).title,
        }
    }

    /// Ranking among equal scores: names before titles before text.
    fn priority(self) -> u8 {
        match self {
            Target::Actor { .. } => 0,
            Target::Place { .. } => 1,
            Target::Event { .. } => 2,
            Target::Source { .. } => 3,
            Target::Quote { .. } => 4,
        }
    }
}

/// One search result: the text that matched (a field, or a snippet of long
/// text) and the char indices in it that matched the query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub target: Target,
    pub score: i64,
    pub text: String,
    pub positions: Vec<usize>,
}

struct ShortEntry {
    target: Target,
    folded: Folded,
}

/// Where long text lives, so it is not copied into the index.
#[derive(Clone, Copy)]
enum LongText {
    Summary(Ix),
    Quote(Ix, u32),
    Article(Ix),
}

impl LongText {
    fn target(self) -> Target {
        match self {
            LongText::Summary(e) => Target::Event { event: e },
            LongText::Quote(e, q) => Target::Quote { event: e, quote: q },
            LongText::Article(s) => Target::Source { source: s },
        }
    }

    fn text(self, m: &Model) -> &str {
        match self {
            LongText::Summary(e) => m.event(e).summary.as_deref().unwrap_or(""),
            LongText::Quote(e, q) => &m.event(e).evidence[q as usize].text,
            LongText::Article(s) => &m.source(s).text,
        }
    }
}

/// The search index of one model. Build once, query many times.
pub struct SearchIndex {
    short: Vec<ShortEntry>,
    vocab: Vec<String>,
    /// For each vocabulary word, the long texts containing it (ascending, distinct).
    postings: Vec<Vec<u32>>,
    long: Vec<LongText>,
}

/// Splits text into words: maximal runs of alphanumeric chars, as
/// (char index of the first char, the word).
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut chars = text.char_indices().enumerate().peekable();
    std::iter::from_fn(move || {
        loop {
            let (ci, (bi, c)) = chars.next()?;
            if c.is_alphanumeric() {
                let mut end = bi + c.len_utf8();
                while let Some(&(_, (bj, d))) = chars.peek() {
                    if !d.is_alphanumeric() {
                        break;
                    }
                    end = bj + d.len_utf8();
                    chars.next();
                }
                return Some((ci, &text[bi..end]));
            }
        }
    })
}

impl SearchIndex {
    pub fn build(m: &Model) -> Self {
        let mut short = Vec::new();
        let mut push = |target: Target, s: &str| {
            if !s.trim().is_empty() {
                short.push(ShortEntry {
                    target,
                    folded: fold(s),
                });
            }
        };
        for (i, a) in m.actors.iter().enumerate() {
            let t = Target::Actor { actor: i as Ix };
            push(t, &a.name);
            a.aliases.iter().for_each(|s| push(t, s));
        }
        for (i, p) in m.places.iter().enumerate() {
            let t = Target::Place { place: i as Ix };
            push(t, &p.name);
            p.aliases.iter().for_each(|s| push(t, s));
        }
        for (i, e) in m.events.iter().enumerate() {
            push(Target::Event { event: i as Ix }, &e.title);
        }
        for (i, s) in m.sources.iter().enumerate() {
            let t = Target::Source { source: i as Ix };
            push(t, &s.title);
            push(t, &s.outlet);
        }

        let mut long = Vec::new();
        for (i, e) in m.events.iter().enumerate() {
            if e.summary.is_some() {
                long.push(LongText::Summary(i as Ix));
            }
            for q in 0..e.evidence.len() {
                long.push(LongText::Quote(i as Ix, q as u32));
            }
        }
        for i in 0..m.sources.len() {
            long.push(LongText::Article(i as Ix));
        }
        let mut vocab_ids: HashMap<String, u32> = HashMap::new();
        let mut vocab = Vec::new();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        for (doc, lt) in long.iter().enumerate() {
            for (_, w) in words(lt.text(m)) {
                let f = fold(w).text;
                let id = match vocab_ids.get(&f) {
                    Some(&id) => id,
                    None => {
                        let id = vocab.len() as u32;
                        vocab.push(f.clone());
                        vocab_ids.insert(f, id);
                        postings.push(Vec::new());
                        id
                    }
                };
                let p = &mut postings[id as usize];
                if p.last() != Some(&(doc as u32)) {
                    p.push(doc as u32);
                }
            }
        }
        SearchIndex {
            short,
            vocab,
            postings,
            long,
        }
    }

    /// The best `limit` results for `query`, best first.
    pub fn search(&self, m: &Model, query: &str, limit: usize) -> Vec<Hit> {
        let q = fold(query.trim()).text;
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut best: HashMap<Target, Hit> = HashMap::new();
        let mut offer = |hit: Hit| {
            let keep = match best.get(&hit.target) {
                Some(old) => hit.score > old.score,
                None => true,
            };
            if keep {
                best.insert(hit.target, hit);
            }
        };

        for e in &self.short {
            if let Some((score, idx)) = matcher.fuzzy_indices(&e.folded.text, &q) {
                let text = short_text(m, e.target, &e.folded, &idx);
                offer(Hit {
                    target: e.target,
                    score,
                    text: text.0,
                    positions: text.1,
                });
            }
        }

        for hit in self.search_long(m, &matcher, &q) {
            offer(hit);
        }

        let mut hits: Vec<Hit> = best.into_values().collect();
        hits.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(a.target.priority().cmp(&b.target.priority()))
                .then(a.text.chars().count().cmp(&b.text.chars().count()))
                .then(a.target.cmp(&b.target))
        });
        hits.truncate(limit);
        hits
    }

    /// Long-text hits: every query word must fuzzy-match some word of the text.
    fn search_long(&self, m: &Model, matcher: &SkimMatcherV2, q: &str) -> Vec<Hit> {
        let qwords: Vec<&str> = q.split_whitespace().collect();
        // For each query word, the matching vocabulary words and their scores.
        let mut per_word: Vec<HashMap<u32, i64>> = Vec::with_capacity(qwords.len());
        for qw in &qwords {
            let mut matched: Vec<(u32, i64)> = self
                .vocab
                .iter()
                .enumerate()
                .filter_map(|(i, w)| matcher.fuzzy_match(w, qw).map(|s| (i as u32, s)))
                .collect();
            let Some(top) = matched.iter().map(|&(_, s)| s).max() else {
                return Vec::new();
            };
            // Loose fuzzy matches of a short word are noise next to close ones.
            matched.retain(|&(_, s)| s * 10 >= top * 6);
            matched.sort_by_key(|m| std::cmp::Reverse(m.1));
            matched.truncate(64);
            per_word.push(matched.into_iter().collect());
        }
        // Documents containing a match for every query word, with summed scores.
        let mut docs: HashMap<u32, i64> = HashMap::new();
        for (k, words) in per_word.iter().enumerate() {
            let mut this: HashMap<u32, i64> = HashMap::new();
            for (&w, &s) in words {
                for &d in &self.postings[w as usize] {
                    let e = this.entry(d).or_insert(0);
                    *e = (*e).max(s);
                }
            }
            if k == 0 {
                docs = this;
            } else {
                docs.retain(|d, score| match this.get(d) {
                    Some(s) => {
                        *score += s;
                        true
                    }
                    None => false,
                });
            }
        }
        let matched_words: Vec<&str> = per_word
            .iter()
            .flat_map(|w| w.keys().map(|&i| self.vocab[i as usize].as_str()))
            .collect();
        docs.into_iter()
            .map(|(d, score)| {
                let lt = self.long[d as usize];
                let (text, positions) = snippet(lt.text(m), &matched_words, q);
                Hit {
                    target: lt.target(),
                    // Text matches rank below name and title matches of equal quality.
                    score: score / 2,
                    text,
                    positions,
                }
            })
            .collect()
    }
}

/// The original text of a short entry and the match positions in it.
fn short_text(m: &Model, t: Target, folded: &Folded, idx: &[usize]) -> (String, Vec<usize>) {
    // The entry's original text is whichever field folds to `folded`.
    let candidates: Vec<&str> = match t {
        Target::Actor { actor } => {
            let a = m.actor(actor);
            std::iter::once(a.name.as_str())
                .chain(a.aliases.iter().map(|s| s.as_str()))
                .collect()
        }
        Target::Place { place } => {
            let p = m.place(place);
            std::iter::once(p.name.as_str())
                .chain(p.aliases.iter().map(|s| s.as_str()))
                .collect()
        }
        Target::Event { event } => vec![m.event(event).title.as_str()],
        Target::Source { source } => {
            let s = m.source(source);
            vec![s.title.as_str(), s.outlet.as_str()]
        }
        Target::Quote { .. } => Vec::new(),
    };
    let text = candidates
        .into_iter()
        .find(|c| fold(c).text == folded.text)
        .unwrap_or_default()
        .to_string();
    let mut positions: Vec<usize> = idx.iter().map(|&i| folded.original_index(i)).collect();
    positions.dedup();
    (text, positions)
}

/// A window of about 100 chars of `text` around its first matched word, and
/// the char positions (in the window) of the matched characters.
fn snippet(text: &str, matched_words: &[&str], q: &str) -> (String, Vec<usize>) {
    const BEFORE: usize = 30;
    const WIDTH: usize = 100;
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut hits: Vec<usize> = Vec::new();
    let mut first: Option<usize> = None;
    for (ci, w) in words(text) {
        let f = fold(w);
        if matched_words.contains(&f.text.as_str()) {
            first.get_or_insert(ci);
            // Highlight the chars of the word the query words matched.
            let best = q
                .split_whitespace()
                .filter_map(|qw| matcher.fuzzy_indices(&f.text, qw))
                .max_by_key(|(s, _)| *s);
            match best {
                Some((_, idx)) => hits.extend(idx.iter().map(|&i| ci + f.original_index(i))),
                None => hits.extend(ci..ci + w.chars().count()),
            }
        }
    }
    let first = first.unwrap_or(0);
    let start = first.saturating_sub(BEFORE);
    let total = text.chars().count();
    let end = (start + WIDTH).min(total);
    let mut window: String = text.chars().skip(start).take(end - start).collect();
    let mut shift = 0;
    if start > 0 {
        window.insert(0, '…');
        shift = 1;
    }
    if end < total {
        window.push('…');
    }
    // Long text spans lines; a snippet is one line.
    let window: String = window
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let positions = hits
        .into_iter()
        .filter(|&p| p >= start && p < end)
        .map(|p| p - start + shift)
        .collect();
    (window, positions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_on_non_alphanumerics() {
        let w: Vec<(usize, &str)> = words("Air Base 101, in Niger’s “capital”").collect();
        assert_eq!(
            w,
            [
                (0, "Air"),
                (4, "Base"),
                (9, "101"),
                (14, "in"),
                (17, "Niger"),
                (23, "s"),
                (26, "capital")
            ]
        );
    }
}
