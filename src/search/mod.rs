//! Fuzzy search over everything in a model: one ranked list of actors,
//! places, events, sources and quotes.
//!
//! Short fields (names, aliases, titles, outlets) are fuzzy-matched whole.
//! Long text (summaries, quotes, article text) goes through a word index:
//! each query word is fuzzy-matched against the vocabulary of distinct
//! words, and the postings of the matching words are combined. Fuzzy
//! matching whole paragraphs would match nearly everything, slowly.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use serde::Serialize;

use crate::fold::fold;
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

/// Names, aliases, titles and outlets, folded, end to end in one string:
/// a scan over a million of them then reads memory in order.
#[derive(Default)]
struct ShortFields {
    text: String,
    /// Where each field ends in `text`; field i starts where i-1 ends.
    ends: Vec<usize>,
    targets: Vec<Target>,
}

impl ShortFields {
    fn push(&mut self, target: Target, folded: &str) {
        self.text.push_str(folded);
        self.ends.push(self.text.len());
        self.targets.push(target);
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// For the query being typed: each earlier prefix of it searched, and the
/// short fields that matched it. Typing one more key only rescans those.
#[derive(Default)]
struct Narrowing(Vec<(String, Arc<Vec<u32>>)>);

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
    short: ShortFields,
    narrowing: Mutex<Narrowing>,
    vocab: Vec<String>,
    /// For each vocabulary word, the long texts containing it (ascending, distinct).
    postings: Vec<Vec<u32>>,
    long: Vec<LongText>,
    /// Byte length of each long text, for ranking without touching the text.
    long_len: Vec<u32>,
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
        let mut short = ShortFields::default();
        let mut push = |target: Target, s: &str| {
            if !s.trim().is_empty() {
                short.push(target, &fold(s).text);
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
            narrowing: Mutex::default(),
            vocab,
            postings,
            long_len: long.iter().map(|lt| lt.text(m).len() as u32).collect(),
            long,
        }
    }

    /// The best `limit` results for `query`, best first.
    ///
    /// Scores everything first with no text built (a quick subsequence test
    /// before each fuzzy match), keeps the best, and only then works out the
    /// text and highlight positions of the few that will be shown.
    pub fn search(&self, m: &Model, query: &str, limit: usize) -> Vec<Hit> {
        let q = fold(query.trim()).text;
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut cands = self.search_short(&q);
        let (long, matched_words) = self.search_long(&matcher, &q, limit.saturating_mul(2));
        cands.extend(long);

        let best = best_distinct(cands, limit);
        let words: Vec<&str> = matched_words
            .iter()
            .map(|&w| self.vocab[w as usize].as_str())
            .collect();
        best.into_iter()
            .map(|c| match c.origin {
                Origin::Short(i) => {
                    let folded = self.short.get(i as usize);
                    let idx = matcher
                        .fuzzy_indices(folded, &q)
                        .map(|(_, idx)| idx)
                        .unwrap_or_default();
                    let (text, positions) = short_text(m, c.target, folded, &idx);
                    Hit {
                        target: c.target,
                        score: c.score,
                        text,
                        positions,
                    }
                }
                Origin::Long(d) => {
                    let lt = self.long[d as usize];
                    let (text, positions) = snippet(lt.text(m), &words, &q);
                    Hit {
                        target: c.target,
                        score: c.score,
                        text,
                        positions,
                    }
                }
            })
            .collect()
    }

    /// Short-field candidates: names, aliases, titles, outlets.
    fn search_short(&self, q: &str) -> Vec<Candidate> {
        // One pass tests the subsequence and gives a rough score: over the
        // fields that matched the query without its last keys when it was
        // searched before, else over all; split over the cores.
        let earlier = self
            .narrowing
            .lock()
            .map_or(None, |n| n.longest_prefix_of(q));
        let score = |i: u32| {
            rough_score(q.as_bytes(), self.short.get(i as usize).as_bytes()).map(|r| (i, r))
        };
        let mut rough: Vec<(u32, i32)> = match earlier {
            Some(ids) => on_all_cores(&ids, 20_000, |_, part| {
                part.iter().filter_map(|&i| score(i)).collect()
            }),
            None => on_all_cores(&self.short.targets, 20_000, |base, part| {
                (base..base + part.len())
                    .filter_map(|i| score(i as u32))
                    .collect()
            }),
        };
        if let Ok(mut n) = self.narrowing.lock() {
            n.remember(q, rough.iter().map(|&(i, _)| i).collect());
        }
        // The fuzzy matcher's score is better but costs a microsecond each:
        // when a query of a letter or two matches most of a large store, only
        // the roughly best get it.
        if rough.len() > FUZZY_SCORED {
            rough.select_nth_unstable_by_key(FUZZY_SCORED, |&(i, r)| (std::cmp::Reverse(r), i));
            rough.truncate(FUZZY_SCORED);
        }
        on_all_cores(&rough, 4_000, |_, part| {
            let matcher = SkimMatcherV2::default().ignore_case();
            part.iter()
                .filter_map(|&(i, _)| {
                    let text = self.short.get(i as usize);
                    let target = self.short.targets[i as usize];
                    let score = matcher.fuzzy_match(text, q)?;
                    Some(Candidate {
                        score,
                        priority: target.priority(),
                        len: text.len() as u32,
                        target,
                        origin: Origin::Short(i),
                    })
                })
                .collect()
        })
    }

    /// Long-text candidates: every query word must fuzzy-match some word of
    /// the text; the best `keep`. Also returns the vocabulary words that matched.
    fn search_long(
        &self,
        matcher: &SkimMatcherV2,
        q: &str,
        keep: usize,
    ) -> (Vec<Candidate>, Vec<u32>) {
        // At most 255 words, so a count of matched words fits a byte.
        let qwords: Vec<&str> = q.split_whitespace().take(255).collect();
        // For each query word, the matching vocabulary words, best first.
        let mut per_word: Vec<Vec<(u32, i64)>> = Vec::with_capacity(qwords.len());
        for qw in &qwords {
            let mut matched: Vec<(u32, i64)> = self
                .vocab
                .iter()
                .enumerate()
                .filter(|(_, w)| is_subsequence(qw.as_bytes(), w.as_bytes()))
                .filter_map(|(i, w)| matcher.fuzzy_match(w, qw).map(|s| (i as u32, s)))
                .collect();
            let Some(top) = matched.iter().map(|&(_, s)| s).max() else {
                return (Vec::new(), Vec::new());
            };
            // Loose fuzzy matches of a short word are noise next to close ones.
            matched.retain(|&(_, s)| s * 10 >= top * 6);
            matched.sort_by_key(|&(i, s)| (std::cmp::Reverse(s), i));
            matched.truncate(64);
            per_word.push(matched);
        }
        // `count[d] == k` once text d matched query words 0..k; its best
        // match for word k is the first seen, as words come best first.
        let mut count = vec![0u8; self.long.len()];
        let mut total = vec![0i64; self.long.len()];
        for (k, words) in per_word.iter().enumerate() {
            let k = k as u8;
            for &(w, s) in words {
                for &d in &self.postings[w as usize] {
                    let d = d as usize;
                    if count[d] == k {
                        count[d] = k + 1;
                        total[d] += s;
                    }
                }
            }
        }
        let all = qwords.len() as u8;
        // Every text of a large store may match a common word: rank them on
        // a compact key and keep only as many as could be shown, before
        // building candidates. Each text is its own target, so `keep` of
        // them is enough unless as many are shadowed by a better title match.
        let mut keys: Vec<(i64, u8, u32, u32)> = count
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c == all)
            .map(|(d, _)| {
                // Text matches rank below name and title matches of equal quality.
                let score = total[d] / 2;
                (
                    -score,
                    self.long[d].target().priority(),
                    self.long_len[d],
                    d as u32,
                )
            })
            .collect();
        if keys.len() > keep {
            keys.select_nth_unstable(keep);
            keys.truncate(keep);
        }
        let cands = keys
            .into_iter()
            .map(|(neg_score, priority, len, d)| Candidate {
                score: -neg_score,
                priority,
                len,
                target: self.long[d as usize].target(),
                origin: Origin::Long(d),
            })
            .collect();
        let matched_words = per_word.iter().flatten().map(|&(w, _)| w).collect();
        (cands, matched_words)
    }
}

impl Narrowing {
    /// The matches of the longest earlier query that `q` extends.
    fn longest_prefix_of(&self, q: &str) -> Option<Arc<Vec<u32>>> {
        self.0
            .iter()
            .filter(|(p, _)| q.starts_with(p.as_str()))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, ids)| Arc::clone(ids))
    }

    /// Keeps `q`'s matches, and those of the queries it extends; forgets
    /// the rest (a different query was started).
    fn remember(&mut self, q: &str, ids: Vec<u32>) {
        self.0
            .retain(|(p, _)| q.starts_with(p.as_str()) && p.len() < q.len());
        self.0.push((q.to_string(), Arc::new(ids)));
    }
}

/// A match before its text is built: cheap enough to collect by the
/// hundred thousand.
#[derive(Clone, Copy)]
struct Candidate {
    score: i64,
    priority: u8,
    len: u32,
    target: Target,
    origin: Origin,
}

#[derive(Clone, Copy)]
enum Origin {
    /// Index into `SearchIndex::short`.
    Short(u32),
    /// Index into `SearchIndex::long`.
    Long(u32),
}

/// Best first: higher score, then the kind shown first, then shorter text.
fn rank(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    b.score
        .cmp(&a.score)
        .then(a.priority.cmp(&b.priority))
        .then(a.len.cmp(&b.len))
        .then(a.target.cmp(&b.target))
}

/// The best `limit` candidates, one per target (a name and an alias of the
/// same actor are one result).
fn best_distinct(mut cands: Vec<Candidate>, limit: usize) -> Vec<Candidate> {
    // Sorting everything is wasted work when a few hundred are wanted out of
    // a hundred thousand: sort a generous head and fall back if too few of
    // it are distinct.
    let head = limit.saturating_mul(4).max(64);
    if cands.len() > head {
        cands.select_nth_unstable_by(head, rank);
        let mut top = cands[..head].to_vec();
        top.sort_unstable_by(rank);
        let picked = distinct(&top, limit);
        if picked.len() == limit {
            return picked;
        }
    }
    cands.sort_unstable_by(rank);
    distinct(&cands, limit)
}

fn distinct(sorted: &[Candidate], limit: usize) -> Vec<Candidate> {
    let mut seen = std::collections::HashSet::new();
    sorted
        .iter()
        .filter(|c| seen.insert(c.target))
        .take(limit)
        .copied()
        .collect()
}

/// How many short entries at most get the fuzzy matcher's full score.
const FUZZY_SCORED: usize = 5_000;

/// `f(offset, chunk)` over `items` split in one chunk per core (just one
/// chunk below `min_split` items), the results joined in order.
fn on_all_cores<T: Sync, R: Send>(
    items: &[T],
    min_split: usize,
    f: impl Fn(usize, &[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 || items.len() < min_split {
        return f(0, items);
    }
    let chunk = items.len().div_ceil(cores);
    let f = &f;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(k, part)| scope.spawn(move || f(k * chunk, part)))
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// A rough fuzzy score: `None` unless the bytes of `q` occur in `text` in
/// order (what any fuzzy match needs); more for matches at word starts and
/// runs of consecutive matches, less for long text.
fn rough_score(q: &[u8], text: &[u8]) -> Option<i32> {
    let mut score = 0i32;
    let mut from = 0;
    let mut prev: Option<usize> = None;
    for &b in q {
        let at = from + memchr::memchr(b, &text[from..])?;
        score += 16;
        if at == 0 || !text[at - 1].is_ascii_alphanumeric() {
            score += 8;
        }
        if prev.is_some_and(|p| p + 1 == at) {
            score += 8;
        }
        prev = Some(at);
        from = at + 1;
    }
    Some(score - (text.len() / 8) as i32)
}

/// True when the bytes of `needle` occur in `hay` in order: what any fuzzy
/// match needs, and far cheaper to test than scoring one.
fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut rest = hay;
    for &b in needle {
        match memchr::memchr(b, rest) {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    true
}

/// The original text of a short entry and the match positions in it.
fn short_text(m: &Model, t: Target, folded: &str, idx: &[usize]) -> (String, Vec<usize>) {
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
    let Some((text, f)) = candidates
        .into_iter()
        .map(|c| (c, fold(c)))
        .find(|(_, f)| f.text == folded)
    else {
        return (String::new(), Vec::new());
    };
    let mut positions: Vec<usize> = idx.iter().map(|&i| f.original_index(i)).collect();
    positions.dedup();
    (text.to_string(), positions)
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
    fn typing_a_query_key_by_key_finds_what_a_fresh_search_finds() {
        let m = crate::load_builtin().unwrap();
        let typed = SearchIndex::build(&m);
        for query in [
            "abse 101",
            "russ",
            "air base 201 ",
            "wagner",
            "ab",
            "junta x",
        ] {
            for end in query.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let prefix = &query[..end];
                let fresh = SearchIndex::build(&m).search(&m, prefix, 50);
                assert_eq!(typed.search(&m, prefix, 50), fresh, "typing {prefix:?}");
            }
            // Backspacing to a shorter query, too.
            let fresh = SearchIndex::build(&m).search(&m, &query[..1], 50);
            assert_eq!(typed.search(&m, &query[..1], 50), fresh);
        }
    }

    #[test]
    fn subsequence_test_is_what_a_fuzzy_match_needs() {
        assert!(is_subsequence(b"abse 101", b"air base 101"));
        assert!(is_subsequence(b"", b"x"));
        assert!(!is_subsequence(b"abse 102", b"air base 101"));
        assert!(!is_subsequence(b"ba", b"ab"));
        assert!(is_subsequence("é".as_bytes(), "café".as_bytes()));
    }

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
