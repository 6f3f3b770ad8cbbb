//! Search over everything in a model: one ranked list of actors, places,
//! events, sources and quotes.
//!
//! Every searchable field (names, aliases, descriptions, titles, outlets,
//! authors, summaries, quotes, article text) is split into words by the
//! same rules as the query (`tokens`), and indexed word by word. Each query
//! word must match a word of a field: exactly, as its beginning, within a
//! typo or two, or with its letters in order inside it (`matching`). A
//! field's score is the sum of its words' points, plus a weight for the
//! kind of field and a bonus when the query names the whole field. Letters
//! scattered across several words count only when no query word matched a
//! word anywhere, and only above a floor.

mod build;
pub mod fold;
mod highlight;
pub mod matching;
pub(crate) mod stored;
mod text_filter;
pub mod tokens;

use std::collections::HashMap;
use std::sync::Mutex;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use serde::Serialize;

use crate::model::{Ix, Model};
use crate::search::fold::fold;
use matching::{Tier, match_word};
use tokens::query_terms;

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
    /// A claim: its attribute (title) and value.
    Claim {
        claim: Ix,
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
            Target::Claim { .. } => "claim",
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
            Target::Claim { claim } => {
                let c = &m.claims[claim as usize];
                format!("{}: {}", m.subject_id(c.subject), c.attribute)
            }
        }
    }

    /// The name or title of what the target names (a quote: its event's title).
    pub fn name(self, m: &Model) -> &str {
        match self {
            Target::Actor { actor } => &m.actor(actor).name,
            Target::Place { place } => &m.place(place).name,
            Target::Event { event } | Target::Quote { event, .. } => &m.event(event).title,
            Target::Source { source } => &m.source(source).title,
            Target::Claim { claim } => &m.claims[claim as usize].attribute,
        }
    }

    /// What a result row shows: the name, and for a claim its value too
    /// ("cost of Air Base 201: $100 million"), so claims of one attribute
    /// are told apart.
    pub fn label(self, m: &Model) -> String {
        match self {
            Target::Claim { claim } => {
                let c = &m.claims[claim as usize];
                format!("{}: {}", c.attribute, c.value)
            }
            _ => self.name(m).to_string(),
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
            Target::Claim { .. } => 5,
        }
    }
}

/// Which field of its target a result matched in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Name,
    /// The alias at this index.
    Alias(u32),
    Description,
    Title,
    Outlet,
    Author,
    Summary,
    Quote,
    Article,
    /// The analyst's note (from the notes file, not the store).
    Note,
    /// A claim: what is claimed and its value, in the source's words.
    Value,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Alias(_) => "alias",
            Field::Description => "description",
            Field::Title => "title",
            Field::Outlet => "outlet",
            Field::Author => "author",
            Field::Summary => "summary",
            Field::Quote => "quote",
            Field::Article => "article",
            Field::Note => "note",
            Field::Value => "value",
        }
    }

    /// Points for where the words were found: a name says more than a
    /// passing mention in an article.
    pub fn weight(self) -> i64 {
        match self {
            Field::Name => 30,
            Field::Alias(_) => 25,
            Field::Title => 15,
            Field::Outlet | Field::Author => 10,
            Field::Description => 8,
            Field::Summary | Field::Quote | Field::Note | Field::Value => 5,
            Field::Article => 0,
        }
    }

    /// Short fields are shown whole; long ones as a snippet.
    fn is_short(self) -> bool {
        matches!(
            self,
            Field::Name | Field::Alias(_) | Field::Title | Field::Outlet | Field::Author
        )
    }

    /// The field's text in the model.
    fn text(self, m: &Model, t: Target) -> &str {
        match (t, self) {
            (Target::Actor { actor }, f) => {
                let a = m.actor(actor);
                match f {
                    Field::Alias(i) => a.aliases.get(i as usize).map_or("", |s| s.as_str()),
                    Field::Description => a.description.as_deref().unwrap_or(""),
                    _ => &a.name,
                }
            }
            (Target::Place { place }, f) => {
                let p = m.place(place);
                match f {
                    Field::Alias(i) => p.aliases.get(i as usize).map_or("", |s| s.as_str()),
                    _ => &p.name,
                }
            }
            (Target::Event { event }, Field::Summary) => {
                m.event(event).summary.as_deref().unwrap_or("")
            }
            (Target::Event { event }, _) => &m.event(event).title,
            (Target::Source { source }, f) => {
                let s = m.source(source);
                match f {
                    Field::Outlet => &s.outlet,
                    Field::Author => s.author.as_deref().unwrap_or(""),
                    Field::Article => &s.text,
                    _ => &s.title,
                }
            }
            (Target::Quote { event, quote }, _) => m
                .event(event)
                .evidence
                .get(quote as usize)
                .map_or("", |q| q.text.as_str()),
            (Target::Claim { claim }, Field::Value) => &m.claims[claim as usize].label,
            (Target::Claim { claim }, _) => &m.claims[claim as usize].attribute,
        }
    }
}

/// Why a result matched: one query word and the word it matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Why {
    pub query: String,
    pub word: String,
    pub tier: Tier,
    pub points: i64,
}

/// One search result: the field that matched, its text (a short field
/// whole, a snippet of long text) and the char indices in that text to
/// highlight, the score and how it was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub target: Target,
    pub field: Field,
    pub score: i64,
    pub text: String,
    pub positions: Vec<usize>,
    /// Each query word and what it matched; empty for a scattered match.
    pub why: Vec<Why>,
    /// The query named the whole field (a name typed in full).
    pub whole_field: bool,
    /// The result is, or quotes, sponsored content.
    pub sponsored: bool,
}

/// A searchable field.
#[derive(Clone, Copy)]
struct Doc {
    target: Target,
    field: Field,
    /// Words in the field (capped), to tell a whole-field match.
    words: u16,
}

/// Scratch arrays of one search, kept between searches so that a keystroke
/// allocates nothing in proportion to the store.
#[derive(Default)]
struct Scratch {
    /// `stamp[d] == generation + k` once field d matched the first k query words.
    stamp: Vec<u32>,
    score: Vec<i32>,
    generation: u32,
}

/// Names, aliases and outlets, folded, end to end in one string, for the
/// scattered-letters fallback: a scan then reads memory in order.
#[derive(Default)]
struct ShortFields {
    text: String,
    ends: Vec<usize>,
    docs: Vec<u32>,
}

impl ShortFields {
    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// For each vocabulary word, the fields containing it (ascending,
/// distinct), end to end in one array: one allocation instead of one per
/// word, and two arrays to store in a cache file.
#[derive(Default)]
pub(crate) struct Postings {
    fields: Vec<u32>,
    /// Where each word's fields end in `fields`.
    ends: Vec<usize>,
}

impl Postings {
    fn of(&self, w: u32) -> &[u32] {
        let w = w as usize;
        let start = if w == 0 { 0 } else { self.ends[w - 1] };
        &self.fields[start..self.ends[w]]
    }
}

/// The search index of one model. Build once, query many times.
pub struct SearchIndex {
    docs: Vec<Doc>,
    vocab: Vec<Box<str>>,
    /// For each vocabulary word, the fields containing it.
    postings: Postings,
    /// Vocabulary words by their first char.
    by_first: HashMap<char, Vec<u32>>,
    short: ShortFields,
    /// Fields with a word too long to index (ascending): `:text` looks
    /// for its words in these fields' text itself.
    long: Vec<u32>,
    /// Each field's event (`text_filter::doc_events`), for `:text`.
    doc_events: Vec<u32>,
    scratch: Mutex<Scratch>,
}

/// At most this many query words count (a pasted paragraph is not a query).
const MAX_QUERY_WORDS: usize = 32;
/// At most this many fields are tried for one query (bounded work per key).
const MAX_FIELDS: usize = 100_000;
/// At most this many vocabulary words per query word, best first.
const MAX_WORDS_PER_TERM: usize = 64;
/// Long text is scanned this far for a snippet, so a huge article costs
/// no more than a page of it.
pub(crate) const SNIPPET_SCAN: usize = 1 << 20;

impl SearchIndex {
    /// An index of these parts (built, or read from a cache file).
    fn from_parts(
        docs: Vec<Doc>,
        vocab: Vec<Box<str>>,
        postings: Postings,
        short: ShortFields,
        long: Vec<u32>,
    ) -> Self {
        let mut by_first: HashMap<char, Vec<u32>> = HashMap::new();
        for (i, w) in vocab.iter().enumerate() {
            if let Some(c) = w.chars().next() {
                by_first.entry(c).or_default().push(i as u32);
            }
        }
        SearchIndex {
            doc_events: text_filter::doc_events(&docs),
            vocab,
            postings,
            by_first,
            scratch: Mutex::new(Scratch {
                stamp: vec![0; docs.len()],
                score: vec![0; docs.len()],
                generation: 0,
            }),
            docs,
            short,
            long,
        }
    }

    /// The best `limit` results for `query`, best first; none when nothing
    /// matches well.
    pub fn search(&self, m: &Model, query: &str, limit: usize) -> Vec<Hit> {
        if limit == 0 {
            return Vec::new();
        }
        // A compound typed that the text writes otherwise ("US-Russian" for
        // "U.S.-Russian") is looked for as its parts.
        let mut terms: Vec<String> = Vec::new();
        let mut matches: Vec<Vec<(u32, Tier, i64)>> = Vec::new();
        // A pasted paragraph is not a query: its first words are.
        for t in query_terms(query).into_iter().take(MAX_QUERY_WORDS) {
            let found = self.vocabulary_matches(&t.chars().collect::<Vec<_>>());
            if found.is_empty() && tokens::is_compound(&t) {
                for p in tokens::query_parts(&t) {
                    matches.push(self.vocabulary_matches(&p.chars().collect::<Vec<_>>()));
                    terms.push(p);
                }
            } else {
                matches.push(found);
                terms.push(t);
            }
        }
        terms.truncate(MAX_QUERY_WORDS);
        matches.truncate(MAX_QUERY_WORDS);
        if terms.is_empty() {
            return Vec::new();
        }
        let term_chars: Vec<Vec<char>> = terms.iter().map(|t| t.chars().collect()).collect();
        if matches.iter().any(Vec::is_empty) {
            return self.scattered(m, query, limit);
        }
        let cands = self.fields_matching_all(&matches);
        let best = best_distinct(cands, limit, |d| self.docs[d as usize].target);
        best.into_iter()
            .map(|(score, d)| self.hit(m, d, score, &terms, &term_chars, &matches))
            .collect()
    }

    /// The vocabulary words `q` matches, best first, at most
    /// `MAX_WORDS_PER_TERM`. Only words starting with `q`'s first letter are
    /// tried, and, for a swap of the first two letters, with its second.
    fn vocabulary_matches(&self, q: &[char]) -> Vec<(u32, Tier, i64)> {
        let Some(&first) = q.first() else {
            return Vec::new();
        };
        let mut out: Vec<(u32, Tier, i64)> = Vec::new();
        let mut try_bucket = |c: char, swapped: bool| {
            for &w in self.by_first.get(&c).map_or(&[][..], Vec::as_slice) {
                let word = &self.vocab[w as usize];
                if swapped && word.chars().nth(1) != Some(first) {
                    continue;
                }
                if let Some((tier, points)) = match_word(q, word) {
                    out.push((w, tier, points));
                }
            }
        };
        try_bucket(first, false);
        if let Some(&second) = q.get(1).filter(|&&c| c != first)
            && matching::edits_allowed(q.len()) > 0
        {
            try_bucket(second, true);
        }
        // Best first; among equals, the word in more fields.
        out.sort_unstable_by_key(|&(w, _, p)| {
            (
                std::cmp::Reverse(p),
                std::cmp::Reverse(self.postings.of(w).len()),
                w,
            )
        });
        out.truncate(MAX_WORDS_PER_TERM);
        out
    }

    /// Every field with a word matching each query word, as (score, field).
    fn fields_matching_all(&self, matches: &[Vec<(u32, Tier, i64)>]) -> Vec<(i64, u32)> {
        let mut guard = self.scratch.lock().unwrap_or_else(|e| e.into_inner());
        let sc = &mut *guard;
        if sc.stamp.len() != self.docs.len() {
            sc.stamp = vec![0; self.docs.len()];
            sc.score = vec![0; self.docs.len()];
            sc.generation = 0;
        }
        let n = matches.len() as u32;
        if sc.generation > u32::MAX - n - 2 {
            sc.stamp.fill(0);
            sc.generation = 0;
        }
        let base = sc.generation + 1;
        sc.generation = base + n;
        // The rarest query word first: it decides which fields are tried.
        let mut order: Vec<usize> = (0..matches.len()).collect();
        order.sort_by_key(|&i| {
            matches[i]
                .iter()
                .map(|&(w, _, _)| self.postings.of(w).len())
                .sum::<usize>()
        });
        let mut touched: Vec<u32> = Vec::new();
        // Words come best first, so a field's first match for a query word
        // is its best. The rarest word picks the fields to try, at most
        // MAX_FIELDS of them: only a query of a letter or two on a large
        // store matches more, and then the best words' fields are kept.
        'first: for &(w, _, points) in &matches[order[0]] {
            for &d in self.postings.of(w) {
                let du = d as usize;
                if sc.stamp[du] < base {
                    if touched.len() == MAX_FIELDS {
                        break 'first;
                    }
                    sc.stamp[du] = base;
                    sc.score[du] = points as i32;
                    touched.push(d);
                }
            }
        }
        for (k, &i) in order.iter().enumerate().skip(1) {
            let (need, set) = (base + k as u32 - 1, base + k as u32);
            let postings: usize = matches[i]
                .iter()
                .map(|&(w, _, _)| self.postings.of(w).len())
                .sum();
            if touched
                .len()
                .saturating_mul(matches[i].len())
                .saturating_mul(16)
                < postings
            {
                // Few fields left: look each up in the word's postings.
                for &d in &touched {
                    let du = d as usize;
                    if sc.stamp[du] != need {
                        continue;
                    }
                    let best = matches[i]
                        .iter()
                        .find(|&&(w, _, _)| self.postings.of(w).binary_search(&d).is_ok());
                    if let Some(&(_, _, points)) = best {
                        sc.stamp[du] = set;
                        sc.score[du] += points as i32;
                    }
                }
                continue;
            }
            for &(w, _, points) in &matches[i] {
                for &d in self.postings.of(w) {
                    let du = d as usize;
                    if sc.stamp[du] == need {
                        sc.stamp[du] = set;
                        sc.score[du] += points as i32;
                    }
                }
            }
        }
        let done = base + n - 1;
        touched
            .into_iter()
            .filter(|&d| sc.stamp[d as usize] == done)
            .map(|d| {
                let doc = self.docs[d as usize];
                let whole = doc.field.is_short() && doc.words as usize == matches.len();
                let score = i64::from(sc.score[d as usize])
                    + doc.field.weight()
                    + if whole { WHOLE_FIELD } else { 0 };
                (score, d)
            })
            .collect()
    }

    /// When no query word matches a word: names and aliases holding the
    /// query's letters in order across words, above a floor that grows with
    /// the query, so random letters find nothing.
    fn scattered(&self, m: &Model, query: &str, limit: usize) -> Vec<Hit> {
        let q = fold(query.trim()).text;
        if q.len() > MAX_SCATTERED_BYTES {
            return Vec::new();
        }
        let floor = SCATTERED_FLOOR_PER_BYTE * q.bytes().filter(|b| *b != b' ').count() as i32;
        // A quick test and rough score first; the fuzzy matcher's finer
        // score (gaps, word starts) only for those above the floor, and
        // never on a long field (its cost grows with field times query).
        let found: Vec<(i64, u32)> = on_all_cores(&self.short.docs, 20_000, |base, part| {
            let matcher = SkimMatcherV2::default().ignore_case();
            (base..base + part.len())
                .filter_map(|i| {
                    let text = self.short.get(i);
                    if text.len() > MAX_SCATTERED_BYTES {
                        return None;
                    }
                    let r = rough_score(q.as_bytes(), text.as_bytes()).filter(|&r| r >= floor)?;
                    let fine = matcher.fuzzy_match(text, &q)?;
                    Some((fine + i64::from(r) / 8, self.short.docs[i]))
                })
                .collect()
        });
        let matcher = SkimMatcherV2::default().ignore_case();
        best_distinct(found, limit, |d| self.docs[d as usize].target)
            .into_iter()
            .map(|(score, d)| {
                let doc = self.docs[d as usize];
                let text = doc.field.text(m, doc.target);
                let positions = highlight::scattered_positions(&matcher, text, &q);
                Hit {
                    target: doc.target,
                    field: doc.field,
                    score,
                    text: text.to_string(),
                    positions,
                    why: Vec::new(),
                    whole_field: false,
                    sponsored: is_sponsored(m, doc.target),
                }
            })
            .collect()
    }

    /// The shown result for field `d`: its text, highlights and reasons.
    fn hit(
        &self,
        m: &Model,
        d: u32,
        score: i64,
        terms: &[String],
        term_chars: &[Vec<char>],
        matches: &[Vec<(u32, Tier, i64)>],
    ) -> Hit {
        let doc = self.docs[d as usize];
        let why: Vec<Why> = terms
            .iter()
            .zip(matches)
            .filter_map(|(t, ms)| {
                let &(w, tier, points) = ms
                    .iter()
                    .find(|(w, _, _)| self.postings.of(*w).binary_search(&d).is_ok())?;
                Some(Why {
                    query: t.clone(),
                    word: self.vocab[w as usize].to_string(),
                    tier,
                    points,
                })
            })
            .collect();
        let text = doc.field.text(m, doc.target);
        let (text, positions) = if doc.field.is_short() {
            (
                text.to_string(),
                highlight::word_positions(text, term_chars, SNIPPET_SCAN),
            )
        } else {
            highlight::snippet(text, term_chars)
        };
        Hit {
            target: doc.target,
            field: doc.field,
            score,
            text,
            positions,
            whole_field: doc.field.is_short() && doc.words as usize == terms.len(),
            why,
            sponsored: is_sponsored(m, doc.target),
        }
    }
}

/// Bonus when the query names a short field whole ("austin" for the alias
/// "Austin"): a name typed in full comes first.
pub const WHOLE_FIELD: i64 = 20;

/// Scattered letters are looked for only in fields and queries this short.
const MAX_SCATTERED_BYTES: usize = 256;

/// Scattered letters must score this much per query byte (`rough_score`
/// gives 16 a byte, 8 more at a word start or right after the last).
const SCATTERED_FLOOR_PER_BYTE: i32 = 22;

fn is_sponsored(m: &Model, t: Target) -> bool {
    match t {
        Target::Source { source } => m.source(source).is_sponsored(),
        Target::Quote { event, quote } => m
            .event(event)
            .evidence
            .get(quote as usize)
            .is_some_and(|q| m.source(q.source).is_sponsored()),
        Target::Claim { claim } => {
            let ev = &m.claims[claim as usize].evidence;
            !ev.is_empty() && ev.iter().all(|q| m.source(q.source).is_sponsored())
        }
        _ => false,
    }
}

/// The best `limit` of `cands` (score, field), one per target, best first:
/// higher score, then names before titles before text, then the earlier field.
fn best_distinct(
    mut cands: Vec<(i64, u32)>,
    limit: usize,
    target: impl Fn(u32) -> Target,
) -> Vec<(i64, u32)> {
    let key = |&(s, d): &(i64, u32)| (std::cmp::Reverse(s), target(d).priority(), d);
    // Sorting everything is wasted work when a few are wanted out of a
    // hundred thousand: sort a generous head, and everything only if too
    // few of it are distinct.
    let head = limit.saturating_mul(4).max(64);
    if cands.len() > head {
        cands.select_nth_unstable_by_key(head, key);
        let mut top = cands[..head].to_vec();
        top.sort_unstable_by_key(key);
        let picked = distinct(&top, limit, &target);
        if picked.len() == limit {
            return picked;
        }
    }
    cands.sort_unstable_by_key(key);
    distinct(&cands, limit, &target)
}

fn distinct(
    sorted: &[(i64, u32)],
    limit: usize,
    target: &impl Fn(u32) -> Target,
) -> Vec<(i64, u32)> {
    let mut seen = std::collections::HashSet::new();
    sorted
        .iter()
        .filter(|&&(_, d)| seen.insert(target(d)))
        .take(limit)
        .copied()
        .collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_query_twice_gives_the_same_answer() {
        let m = crate::load_builtin().unwrap();
        let index = SearchIndex::build(&m);
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
                assert_eq!(index.search(&m, prefix, 50), fresh, "typing {prefix:?}");
            }
        }
    }
}
