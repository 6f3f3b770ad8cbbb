//! The passage of an article closest to a quote that is not in it
//! verbatim, and where the two part ("the article says “$100 million”,
//! the quote “$400 million”").
//!
//! Bounded: the article is indexed once (its word trigrams and words,
//! sorted), and each quote costs its own length times a constant: its
//! trigrams and rarest words vote for a few alignments (at most
//! `CANDIDATES`), each aligned token by token within a band around it.

use std::ops::Range;

use rustc_hash::FxHashMap;

/// Alignments tried per quote.
const CANDIDATES: usize = 8;
/// A trigram found more often than this in the article anchors nothing.
const MAX_GRAM_HITS: usize = 16;
/// A word found more often than this is not rare enough to anchor.
const MAX_WORD_HITS: usize = 4;
/// Quote words that vote (the first ones): enough to place any quote.
const MAX_ANCHOR_WORDS: usize = 512;
/// Quote tokens aligned (the first ones): a quote longer than this is
/// compared on its beginning.
const MAX_QUOTE_TOKENS: usize = 4096;
/// An alignment's cost per token: a same token earns, so that the
/// passage kept is the one sharing most tokens (not a shorter one with
/// a change at its end); a token the quote adds costs a little more than
/// a changed one, so a quote's first word differing in case reads as
/// changed, not as added before the passage.
/// A mark (punctuation) weighs less than a word, so that a few matching
/// full stops do not outweigh the words.
const SAME: i32 = -4;
const CHANGED: i32 = 2;
const ADDED: i32 = 3;
const SAME_MARK: i32 = -1;
const MARK: i32 = 1;
/// The band's half-width limit: how far words may shift in an alignment.
const MAX_SLACK: usize = 64;

/// A token of text: a run of letters and digits, or one other
/// non-space character.
#[derive(Clone, Copy, Debug)]
struct Tok {
    start: u32,
    end: u32,
    word: bool,
}

fn tokens(text: &str, cap: usize) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut word: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if out.len() >= cap {
            return out;
        }
        if c.is_alphanumeric() {
            word.get_or_insert(i);
            continue;
        }
        if let Some(s) = word.take() {
            out.push(Tok {
                start: s as u32,
                end: i as u32,
                word: true,
            });
        }
        if !c.is_whitespace() && out.len() < cap {
            let end = (i + c.len_utf8()) as u32;
            out.push(Tok {
                start: i as u32,
                end,
                word: false,
            });
        }
    }
    if let Some(s) = word.filter(|_| out.len() < cap) {
        out.push(Tok {
            start: s as u32,
            end: text.len() as u32,
            word: true,
        });
    }
    out
}

/// A word's hash, ignoring case: for anchoring only.
fn word_hash(w: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for c in w.chars().flat_map(char::to_lowercase) {
        std::hash::Hasher::write_u32(&mut h, c as u32);
    }
    std::hash::Hasher::finish(&h)
}

fn gram_hash(a: u64, b: u64, c: u64) -> u64 {
    a.rotate_left(42) ^ b.rotate_left(21) ^ c ^ 0x9E37_79B9_7F4A_7C15
}

/// (hash, token index) pairs.
type Hashed = Vec<(u64, u32)>;

/// The hashed words of `toks` with their token index; and their trigrams.
fn words_and_grams(text: &str, toks: &[Tok], cap: usize) -> (Hashed, Hashed) {
    let words: Vec<(u64, u32)> = (toks.iter().enumerate())
        .filter(|(_, t)| t.word)
        .take(cap)
        .map(|(i, t)| (word_hash(&text[t.start as usize..t.end as usize]), i as u32))
        .collect();
    let grams = words
        .windows(3)
        .map(|w| (gram_hash(w[0].0, w[1].0, w[2].0), w[0].1))
        .collect();
    (words, grams)
}

/// An article, indexed to find the passages closest to quotes; built once
/// and used for all its quotes.
pub struct ArticleIndex {
    toks: Vec<Tok>,
    /// (hash, token index), sorted.
    words: Hashed,
    grams: Hashed,
}

/// Where a quote and its closest passage part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closest {
    /// The article's bytes aligned with the quote.
    pub passage: Range<usize>,
    /// The first place they differ: in the article, and in the quote,
    /// widened to whole words with a word of context.
    pub article: Range<usize>,
    pub quote: Range<usize>,
    /// How many places they differ at.
    pub differences: usize,
}

/// One step of an alignment, as token indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Same(u32, u32),
    Changed(u32, u32),
    /// A token the article has and the quote lacks.
    Dropped(u32),
    /// A token the quote adds.
    Added(u32),
}

impl ArticleIndex {
    pub fn new(text: &str) -> Self {
        let toks = tokens(text, usize::MAX);
        let (mut words, mut grams) = words_and_grams(text, &toks, usize::MAX);
        words.sort_unstable();
        grams.sort_unstable();
        ArticleIndex { toks, words, grams }
    }

    /// The passage of `text` (the article this index was built from)
    /// closest to `quote`, if one shares enough of its words.
    pub fn closest(&self, text: &str, quote: &str) -> Option<Closest> {
        let qt = tokens(quote, MAX_QUOTE_TOKENS);
        if qt.is_empty() || self.toks.is_empty() {
            return None;
        }
        let slack = (qt.len() / 4 + 4).min(MAX_SLACK);
        let mut best: Option<(i32, Vec<Step>)> = None;
        for diag in self.candidates(quote, &qt, slack) {
            let (cost, steps) = self.align(text, quote, &qt, diag, slack);
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((cost, steps));
            }
        }
        let (_, steps) = best?;
        // Fewer than half the quote's words found in it: not close.
        let words = qt.iter().filter(|t| t.word).count();
        let same = (steps.iter())
            .filter(|s| matches!(s, Step::Same(_, q) if qt[*q as usize].word))
            .count();
        if same == 0 || same * 2 < words {
            return None;
        }
        Some(self.describe_steps(text, quote, &qt, &steps))
    }

    /// Where the quote's first token may stand in the article (as the
    /// difference of token indices), best voted first.
    fn candidates(&self, quote: &str, qt: &[Tok], slack: usize) -> Vec<i64> {
        let (qwords, qgrams) = words_and_grams(quote, qt, MAX_ANCHOR_WORDS);
        let mut votes: FxHashMap<i64, u32> = FxHashMap::default();
        let mut vote = |list: &[(u64, u32)], key: u64, at: u32, cap: usize, weight: u32| {
            let from = list.partition_point(|&(h, _)| h < key);
            let to = list[from..].partition_point(|&(h, _)| h == key) + from;
            if to - from <= cap {
                for &(_, pos) in &list[from..to] {
                    *votes.entry(pos as i64 - at as i64).or_default() += weight;
                }
            }
        };
        for &(h, at) in &qgrams {
            vote(&self.grams, h, at, MAX_GRAM_HITS, 3);
        }
        for &(h, at) in &qwords {
            vote(&self.words, h, at, MAX_WORD_HITS, 1);
        }
        let mut ranked: Vec<(u32, i64)> = votes.into_iter().map(|(d, v)| (v, d)).collect();
        ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let top = ranked.first().map_or(0, |r| r.0);
        let mut out: Vec<i64> = Vec::new();
        for (v, d) in ranked {
            // A diagonal with a fraction of the best's votes is a chance
            // match of a common phrase elsewhere: not worth aligning.
            if out.len() == CANDIDATES || v * 4 < top {
                break;
            }
            // Diagonals within the band of one already picked add nothing.
            if out.iter().all(|&o| o.abs_diff(d) > slack as u64) {
                out.push(d);
            }
        }
        out
    }

    /// The cheapest alignment of the whole quote with article tokens in a
    /// band of `slack` around the diagonal `diag`; its start and end in
    /// the article are free. Costs the quote's length times the band.
    fn align(
        &self,
        text: &str,
        quote: &str,
        qt: &[Tok],
        diag: i64,
        slack: usize,
    ) -> (i32, Vec<Step>) {
        let n = self.toks.len() as i64;
        let width = 2 * slack + 1;
        let s = slack as i64;
        // Cell (i, k): the quote's first i tokens aligned, ending at article
        // boundary j = diag + i - s + k.
        let col = |i: usize, k: usize| diag + i as i64 - s + k as i64;
        let a_tok = |j: i64| {
            let t = self.toks[j as usize];
            &text[t.start as usize..t.end as usize]
        };
        let q_tok = |i: usize| {
            let t = qt[i];
            &quote[t.start as usize..t.end as usize]
        };
        const INF: i32 = i32::MAX / 4;
        let mut cost = vec![INF; width];
        let mut from = vec![0u8; (qt.len() + 1) * width];
        for (k, c) in cost.iter_mut().enumerate() {
            if (0..=n).contains(&col(0, k)) {
                *c = 0;
            }
        }
        let mut row = vec![INF; width];
        for i in 1..=qt.len() {
            row.fill(INF);
            for k in 0..width {
                let j = col(i, k);
                if !(0..=n).contains(&j) {
                    continue;
                }
                // Diagonal (same k in the row above); the quote adding token
                // i-1 (k+1 above); the article having token j-1 the quote
                // lacks (k-1 in this row).
                let q_word = qt[i - 1].word;
                let a_word = j >= 1 && self.toks[j as usize - 1].word;
                let diag = (j >= 1).then(|| (cost[k], a_tok(j - 1) == q_tok(i - 1)));
                let add = if q_word { ADDED } else { MARK };
                let added = cost.get(k + 1).map_or(INF, |&c| (c + add).min(INF));
                let drop = if a_word { CHANGED } else { MARK };
                let dropped = if k >= 1 && j >= 1 {
                    (row[k - 1] + drop).min(INF)
                } else {
                    INF
                };
                let change = if a_word || q_word { CHANGED } else { MARK };
                // In this order, the first of the cheapest wins: a dropped
                // token before a changed one (a dropped word reads as
                // dropped), a changed one before an added one.
                let mut best = (INF, 0u8);
                let same = if q_word { SAME } else { SAME_MARK };
                let options = [
                    diag.filter(|&(c, eq)| eq && c < INF)
                        .map(|(c, _)| (c + same, 1)),
                    Some((dropped, 3)),
                    diag.filter(|&(c, eq)| !eq && c < INF)
                        .map(|(c, _)| (c + change, 1)),
                    Some((added, 2)),
                ];
                for (c, code) in options.into_iter().flatten() {
                    if c < best.0 {
                        best = (c, code);
                    }
                }
                row[k] = best.0;
                from[i * width + k] = best.1;
            }
            std::mem::swap(&mut cost, &mut row);
        }
        let Some((mut k, &c)) = cost.iter().enumerate().min_by_key(|&(_, c)| *c) else {
            return (INF, Vec::new());
        };
        if c >= INF {
            return (INF, Vec::new());
        }
        let mut steps = Vec::with_capacity(qt.len() + slack);
        let mut i = qt.len();
        while i > 0 {
            let j = col(i, k);
            match from[i * width + k] {
                1 => {
                    let (a, q) = ((j - 1) as u32, (i - 1) as u32);
                    let same = a_tok(j - 1) == q_tok(i - 1);
                    steps.push(if same {
                        Step::Same(a, q)
                    } else {
                        Step::Changed(a, q)
                    });
                    i -= 1;
                }
                2 => {
                    steps.push(Step::Added((i - 1) as u32));
                    i -= 1;
                    k += 1;
                }
                3 => {
                    steps.push(Step::Dropped((j - 1) as u32));
                    k -= 1;
                }
                _ => break,
            }
        }
        steps.reverse();
        (c, steps)
    }

    /// The passage and the first place of difference, from an alignment.
    fn describe_steps(&self, text: &str, quote: &str, qt: &[Tok], steps: &[Step]) -> Closest {
        let a_range =
            |a: u32| self.toks[a as usize].start as usize..self.toks[a as usize].end as usize;
        let q_range = |q: u32| qt[q as usize].start as usize..qt[q as usize].end as usize;
        let article_toks: Vec<u32> = steps
            .iter()
            .filter_map(|s| match *s {
                Step::Same(a, _) | Step::Changed(a, _) | Step::Dropped(a) => Some(a),
                Step::Added(_) => None,
            })
            .collect();
        let passage = match (article_toks.first(), article_toks.last()) {
            (Some(&f), Some(&l)) => a_range(f).start..a_range(l).end,
            _ => 0..0,
        };
        let blocks = differing_blocks(steps);
        let Some(first) = blocks.first() else {
            // Token for token the same: only the spacing differs.
            return Closest {
                passage: passage.clone(),
                article: passage,
                quote: 0..quote.len(),
                differences: 0,
            };
        };
        // A word of context after (before too when one side is empty, or
        // at the end), so both parts read as words.
        let one_sided = steps[first.clone()]
            .iter()
            .all(|s| matches!(s, Step::Dropped(_)) || matches!(s, Step::Added(_)));
        let hi = (first.end + 1).min(steps.len());
        let lo = if one_sided || hi == first.end {
            first.start.saturating_sub(1)
        } else {
            first.start
        };
        let (mut a, mut q): (Vec<Range<usize>>, Vec<Range<usize>>) = (Vec::new(), Vec::new());
        for s in &steps[lo..hi] {
            match *s {
                Step::Same(x, y) | Step::Changed(x, y) => {
                    a.push(a_range(x));
                    q.push(q_range(y));
                }
                Step::Dropped(x) => a.push(a_range(x)),
                Step::Added(y) => q.push(q_range(y)),
            }
        }
        let span = |v: &[Range<usize>], t: &str, within: Range<usize>| match (v.first(), v.last()) {
            (Some(f), Some(l)) => whole_words(t, f.start..l.end, within),
            _ => within.start..within.start,
        };
        Closest {
            article: span(&a, text, passage.clone()),
            quote: span(&q, quote, 0..quote.len()),
            passage,
            differences: blocks.len(),
        }
    }
}

/// The runs of steps that differ, as step ranges; runs one same token
/// apart are one place ("“best”" against "\"best\"").
fn differing_blocks(steps: &[Step]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        if matches!(s, Step::Same(..)) {
            continue;
        }
        match out.last_mut() {
            Some(b) if i <= b.end + 1 => b.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// `r` widened to whole words of `text` (to spaces), within `within`.
fn whole_words(text: &str, r: Range<usize>, within: Range<usize>) -> Range<usize> {
    let start = text[within.start..r.start]
        .rfind(char::is_whitespace)
        .map_or(within.start, |i| {
            within.start
                + i
                + text[within.start + i..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8)
        });
    let end = text[r.end..within.end]
        .find(char::is_whitespace)
        .map_or(within.end, |i| r.end + i);
    start..end
}

/// Curly quotation marks and apostrophes made straight.
fn straight(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' => '"',
            c => c,
        })
        .collect()
}

/// Words quoted in a message: in “…”, or in `…` when they hold quotation
/// marks themselves (““best” base” cannot be read).
fn delimited(s: &str) -> String {
    if s.contains(['"', '“', '”', '‘', '’', '\'']) && !s.contains('`') {
        format!("`{s}`")
    } else {
        format!("“{s}”")
    }
}

/// Text cut to `max` characters for a message, marked when cut.
fn clip(s: &str, max: usize) -> String {
    crate::io::safe::cut(s, max)
}

impl Closest {
    /// For people: "the article says “$100 million”, the quote “$400
    /// million”", with what kind of difference it is when it is typography
    /// or case, and how many more places differ.
    pub fn describe(&self, text: &str, quote: &str) -> String {
        let a = &text[self.article.clone()];
        let q = &quote[self.quote.clone()];
        if self.differences == 0 {
            return format!("the article has it with other spacing: “{}”", clip(a, 80));
        }
        let mut out = format!(
            "the article says {}, the quote {}",
            delimited(&clip(a, 60)),
            delimited(&clip(q, 60))
        );
        if straight(a) == straight(q) {
            out.push_str(" (curly and straight quotation marks or apostrophes differ)");
        } else if a.to_lowercase() == q.to_lowercase() {
            out.push_str(" (letter case differs)");
        }
        if self.differences > 1 {
            let more = self.differences - 1;
            out.push_str(&format!(
                "; {more} more place{} differ{}",
                if more == 1 { "" } else { "s" },
                if more == 1 { "s" } else { "" }
            ));
        }
        out
    }

    /// The passage for a message: at most `max` characters around the
    /// first difference.
    pub fn passage_excerpt(&self, text: &str, max: usize) -> String {
        let p = &text[self.passage.clone()];
        if p.chars().count() <= max {
            return p.to_string();
        }
        // Start a little before the difference, on a character boundary.
        let rel = self.article.start.saturating_sub(self.passage.start);
        let mut from = rel.saturating_sub(max / 3).min(p.len());
        while !p.is_char_boundary(from) {
            from -= 1;
        }
        let body = clip(&p[from..], max);
        if from > 0 { format!("…{body}") } else { body }
    }
}

/// The closest passage of one article, without keeping its index (for a
/// single quote; many quotes of one article share an `ArticleIndex`).
pub fn closest(text: &str, quote: &str) -> Option<Closest> {
    ArticleIndex::new(text).closest(text, quote)
}

/// What a message says of a quote not found: the closest passage and
/// where the two part, or that nothing in the article is close.
pub fn explain(index: &ArticleIndex, text: &str, quote: &str) -> String {
    match index.closest(text, quote) {
        Some(c) => format!(
            "closest passage: {:?}; {}",
            c.passage_excerpt(text, 100),
            c.describe(text, quote)
        ),
        None => "no passage of the article is close to it".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "Officials said on Tuesday.\nThe $100 million military base in Niger, built just six years ago, served as a critical hub for US operations in the Sahel. It is the “best” base, they said. Troops and contractors left in May.";

    fn parts(quote: &str) -> (String, String, usize) {
        let c = closest(ARTICLE, quote).expect("a close passage");
        (
            ARTICLE[c.article.clone()].to_string(),
            quote[c.quote.clone()].to_string(),
            c.differences,
        )
    }

    #[test]
    fn a_changed_number_is_shown_with_a_word_of_context() {
        let q = "The $400 million military base in Niger, built just six year";
        let (a, qq, n) = parts(q);
        assert_eq!(
            (a.as_str(), qq.as_str(), n),
            ("$100 million", "$400 million", 2),
            "the cut word is a second place"
        );
        let c = closest(ARTICLE, q).unwrap();
        assert!(ARTICLE[c.passage.clone()].starts_with("The $100 million"));
        assert_eq!(
            c.describe(ARTICLE, q),
            "the article says “$100 million”, the quote “$400 million”; 1 more place differs"
        );
    }

    #[test]
    fn straight_quotes_a_dropped_word_and_case_are_named() {
        let q = "It is the \"best\" base, they said.";
        let c = closest(ARTICLE, q).unwrap();
        assert_eq!(&ARTICLE[c.article.clone()], "“best” base,");
        assert_eq!(&q[c.quote.clone()], "\"best\" base,");
        assert!(
            c.describe(ARTICLE, q).contains("curly and straight"),
            "{}",
            c.describe(ARTICLE, q)
        );
        let (a, qq, _) = parts("Troops contractors left in May.");
        assert_eq!(
            (a.as_str(), qq.as_str()),
            ("Troops and contractors", "Troops contractors")
        );
        let q = "troops and contractors left";
        assert!(
            closest(ARTICLE, q)
                .unwrap()
                .describe(ARTICLE, q)
                .contains("letter case")
        );
    }

    #[test]
    fn the_passage_sharing_most_words_wins_over_a_shorter_one() {
        // Aligned to "the “best”" the quote would end changed, one word
        // short: the words after it make the longer passage the closer.
        let text = "It is the “best” base,\n they   said.";
        let q = "the finest base";
        let c = closest(text, q).unwrap();
        assert_eq!(&text[c.passage.clone()], "the “best” base");
        assert_eq!(
            c.describe(text, q),
            "the article says `“best” base`, the quote “finest base”"
        );
    }

    #[test]
    fn nothing_close_is_none_and_odd_input_does_not_panic() {
        assert_eq!(
            closest(ARTICLE, "Completely unrelated words about rivers"),
            None
        );
        for q in ["", " ", "“", "é", "$", "base base base base base"] {
            let _ = closest(ARTICLE, q);
            let _ = closest(q, "the base");
        }
    }

    #[test]
    fn many_quotes_reuse_one_index_and_long_articles_stay_bounded() {
        // Passages that repeat everywhere (every trigram common) still
        // give an answer from the rare words.
        let filler = "the base was built in the desert. ".repeat(5000);
        let text = format!("{filler}Only here was the runway paved with red stone.{filler}");
        let index = ArticleIndex::new(&text);
        let q = "Only here was the runway paved with blue stone.";
        let c = index.closest(&text, q).unwrap();
        assert_eq!(&text[c.article.clone()], "red stone.");
        assert_eq!(&q[c.quote.clone()], "blue stone.");
        // No trigram of this one is in the article: its rare word places it.
        let q = "with red stones";
        let c = index.closest(&text, q).unwrap();
        assert_eq!(&text[c.article.clone()], "red stone");
        assert_eq!(&q[c.quote.clone()], "red stones");
    }

    #[test]
    fn every_niger_quote_with_a_word_changed_is_placed_where_it_stands() {
        let m = crate::load_builtin().unwrap();
        let mut tried = 0;
        for q in m.events.iter().flat_map(|e| &e.evidence) {
            let text = m.sources[q.source as usize].text.as_str();
            let words: Vec<&str> = q.text.split(' ').collect();
            if words.len() < 6 {
                continue;
            }
            let mid = words.len() / 2;
            let mut changed = words.clone();
            changed[mid] = "zzyzx";
            let quote = changed.join(" ");
            let c = closest(text, &quote).unwrap_or_else(|| panic!("none for {quote:?}"));
            assert!(
                c.passage.start < q.span.end && q.span.start < c.passage.end,
                "{quote:?} placed at {:?}",
                &text[c.passage.clone()]
            );
            assert!(quote[c.quote.clone()].contains("zzyzx"), "{quote:?}: {c:?}");
            assert!(
                text[c.article.clone()].contains(words[mid]),
                "{quote:?}: {c:?}"
            );
            tried += 1;
        }
        assert!(tried > 60, "{tried}");
    }
}
