//! Copies found: which stored sources a text shares its sentences with.
//!
//! Word shingles of five words find verbatim copies but not rewrites: on the
//! Niger store they find 3 of the 14 sentences of 004 (a rewrite of the
//! report 003 is based on) in 003. So a sentence is compared word by word:
//! its content words (folded, function words dropped, endings cut) are
//! looked up in an index of the stored sentences built once, each word
//! weighed by how rare it is in the store (a word every article uses
//! says little), and the sentence counts as shared with a stored one that
//! holds at least `MATCH` of its weight in at least `MIN_SHARED_WORDS`
//! words (and `THEIRS` of its own). On the Niger store 004 shares 9 of its
//! 14 sentences with 003, 003 10 of its 31 with 004, no other pair more
//! than 17%. Work is the text's words times at most `MAX_POSTINGS_PER_WORD`;
//! the index holds at most `MAX_POSTINGS` entries.

use std::ops::Range;

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

use crate::evidence::coverage::sentences;
use crate::model::{Ix, Model};
use crate::search::tokens::{fold_word, is_joiner, words};

/// A stored source the text shares sentences with.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlap {
    /// The stored source.
    pub other: Ix,
    /// Of the text's sentences long enough to compare (three content words
    /// or more), how many it shares with `other`, and how many there are.
    pub shared_sentences: usize,
    pub sentences: usize,
    /// Each shared sentence and the stored one closest to it: (in the text,
    /// in the stored source), in text order, at most `MAX_PASSAGES`.
    pub passages: Vec<(Range<usize>, Range<usize>)>,
}

impl Overlap {
    /// The share of the text's sentences shared, 0 to 1.
    pub fn share(&self) -> f64 {
        self.shared_sentences as f64 / self.sentences.max(1) as f64
    }
}

/// Sources sharing less than this share of the text's sentences are not
/// reported: articles on one topic share a few by chance (on the Niger
/// store, two articles that are not copies share at most 4 of 24, 17%).
pub const FLOOR: f64 = 0.25;
/// The share of a sentence's word weight a stored sentence must hold.
const MATCH: f64 = 0.3;
const MIN_SHARED_WORDS: usize = 3;
/// A stored sentence must hold this share of its own weight too: a short
/// headline is not the copy of a long sentence that has its three words.
const THEIRS: f64 = 0.2;
/// A sentence with fewer content words ("Share.") is not compared.
const MIN_WORDS: usize = 3;
/// A word in more stored sentences than this is too common to tell a copy.
const MAX_POSTINGS_PER_WORD: usize = 512;
const MAX_POSTINGS: usize = 1 << 23;
pub const MAX_PASSAGES: usize = 200;

/// The stored sources that share at least `FLOOR` of the text's sentences,
/// most shared first. `skip`: a stored source not to compare with (the text's
/// own, when it is stored).
pub fn against_store(text: &str, model: &Model, skip: Option<Ix>) -> Vec<Overlap> {
    Index::of(model, skip).query(text, skip, false, FLOOR)
}

/// Each stored source against the others, with one index: (source, what
/// it shares with another), every pair sharing a sentence, below the floor
/// too (a caller showing a pair shows both ways).
pub fn within_store(model: &Model) -> Vec<(Ix, Overlap)> {
    let index = Index::of(model, None);
    let mut out = Vec::new();
    for (i, s) in model.sources.iter().enumerate() {
        let i = i as Ix;
        let found = index.query(&s.text, Some(i), true, 0.0);
        out.extend(found.into_iter().map(|o| (i, o)));
    }
    out
}

/// The stored sources whose own sentences are found in `source`, read
/// from `source`'s side: for a source that matches none of theirs itself
/// (a match is judged from the sentence compared, so a short copy finds
/// its original where the original's long sentences find nothing).
pub fn toward(model: &Model, source: Ix) -> Vec<Overlap> {
    let text = &model.source(source).text;
    let mut out: Vec<Overlap> = within_store(model)
        .into_iter()
        .filter(|(_, o)| o.other == source && o.share() >= FLOOR)
        .map(|(from, o)| reversed(&o, from, text))
        .collect();
    out.sort_by(|a, b| {
        b.shared_sentences
            .cmp(&a.shared_sentences)
            .then(a.other.cmp(&b.other))
    });
    out
}

/// The other direction of `o` (`source`'s sentences found in `o.other`),
/// for when that direction found nothing on its own: a match is judged
/// from the sentence compared, so "A shares 2 of its 7" can hold while
/// B's side finds none. The other's shared sentences are those in the
/// passages, of all it has that are long enough to judge.
pub fn reversed(o: &Overlap, source: Ix, other_text: &str) -> Overlap {
    let mut passages: Vec<(Range<usize>, Range<usize>)> = o
        .passages
        .iter()
        .map(|(a, b)| (b.clone(), a.clone()))
        .collect();
    passages.sort_by_key(|(b, a)| (b.start, a.start));
    let mut shared: Vec<usize> = passages.iter().map(|(b, _)| b.start).collect();
    shared.dedup();
    let judged = sentences(other_text)
        .into_iter()
        .filter(|r| content_words(&other_text[r.clone()]).len() >= MIN_WORDS)
        .count();
    Overlap {
        other: source,
        shared_sentences: shared.len(),
        sentences: judged.max(shared.len()),
        passages,
    }
}

/// The stored sentences and, sorted by word, which sentences hold each word.
struct Index {
    sentences: Vec<(Ix, Range<usize>)>,
    /// Each stored sentence's word weight, by the store's counts.
    weights: Vec<f64>,
    /// (word hash, sentence number): one per distinct word of a sentence.
    postings: Vec<(u64, u32)>,
}

impl Index {
    fn of(model: &Model, exclude: Option<Ix>) -> Index {
        let mut sentences = Vec::new();
        let mut postings = Vec::new();
        'sources: for (i, s) in model.sources.iter().enumerate() {
            if exclude == Some(i as Ix) {
                continue;
            }
            for span in self::sentences(&s.text) {
                let ws = content_words(&s.text[span.clone()]);
                if postings.len() + ws.len() > MAX_POSTINGS {
                    break 'sources;
                }
                let n = sentences.len() as u32;
                postings.extend(ws.into_iter().map(|w| (w, n)));
                sentences.push((i as Ix, span));
            }
        }
        postings.sort_unstable();
        let mut weights = vec![0.0; sentences.len()];
        let total = sentences.len();
        for run in postings.chunk_by(|a, b| a.0 == b.0) {
            let w = rarity(total, run.len());
            for &(_, n) in run {
                weights[n as usize] += w;
            }
        }
        Index {
            sentences,
            weights,
            postings,
        }
    }

    /// The sentences holding the word.
    fn holding(&self, w: u64) -> &[(u64, u32)] {
        let from = self.postings.partition_point(|&(h, _)| h < w);
        let to = self.postings.partition_point(|&(h, _)| h <= w);
        &self.postings[from..to]
    }

    /// `counted`: the text is a stored source, its words already in the
    /// index's counts.
    fn query(&self, text: &str, skip: Option<Ix>, counted: bool, floor: f64) -> Vec<Overlap> {
        let spans: Vec<(Range<usize>, Vec<u64>)> = sentences(text)
            .into_iter()
            .map(|r| {
                let ws = content_words(&text[r.clone()]);
                (r, ws)
            })
            .collect();
        let mut own: FxHashMap<u64, u32> = FxHashMap::default();
        if !counted {
            for w in spans.iter().flat_map(|(_, ws)| ws) {
                *own.entry(*w).or_default() += 1;
            }
        }
        let total = self.sentences.len() + if counted { 0 } else { spans.len() };
        let weight = |w: u64, stored: usize| {
            rarity(total, stored + own.get(&w).copied().unwrap_or(0) as usize)
        };
        let mut found: FxHashMap<Ix, Overlap> = FxHashMap::default();
        let mut judged = 0;
        for (span, ws) in spans.iter().filter(|(_, ws)| ws.len() >= MIN_WORDS) {
            judged += 1;
            for (other, theirs) in self.closest(ws, skip, &weight) {
                let o = found.entry(other).or_insert_with(|| Overlap {
                    other,
                    shared_sentences: 0,
                    sentences: 0,
                    passages: Vec::new(),
                });
                o.shared_sentences += 1;
                if o.passages.len() < MAX_PASSAGES {
                    o.passages.push((span.clone(), theirs));
                }
            }
        }
        let mut out: Vec<Overlap> = found
            .into_values()
            .map(|mut o| {
                o.sentences = judged;
                o
            })
            .filter(|o| o.share() >= floor)
            .collect();
        out.sort_by(|a, b| {
            b.shared_sentences
                .cmp(&a.shared_sentences)
                .then(a.other.cmp(&b.other))
        });
        out
    }

    /// For each stored source, its sentence closest to one with these
    /// words, when close enough to count as shared.
    fn closest(
        &self,
        ws: &[u64],
        skip: Option<Ix>,
        weight: &impl Fn(u64, usize) -> f64,
    ) -> Vec<(Ix, Range<usize>)> {
        let mut score: FxHashMap<u32, (f64, usize)> = FxHashMap::default();
        let mut whole = 0.0;
        for &w in ws {
            let holding = self.holding(w);
            let wt = weight(w, holding.len());
            whole += wt;
            if holding.len() > MAX_POSTINGS_PER_WORD {
                continue;
            }
            for &(_, n) in holding {
                if Some(self.sentences[n as usize].0) != skip {
                    let e = score.entry(n).or_default();
                    e.0 += wt;
                    e.1 += 1;
                }
            }
        }
        let mut best: FxHashMap<Ix, (f64, u32)> = FxHashMap::default();
        for (n, (s, count)) in score {
            let theirs = self.weights[n as usize];
            if count < MIN_SHARED_WORDS || s < MATCH * whole || s < THEIRS * theirs {
                continue;
            }
            let src = self.sentences[n as usize].0;
            let e = best.entry(src).or_insert((s, n));
            if (s, std::cmp::Reverse(n)) > (e.0, std::cmp::Reverse(e.1)) {
                *e = (s, n);
            }
        }
        best.into_iter()
            .map(|(src, (_, n))| (src, self.sentences[n as usize].1.clone()))
            .collect()
    }
}

/// How much a word in `df` of `total` sentences tells: the rarer the more.
fn rarity(total: usize, df: usize) -> f64 {
    ((total as f64 + 1.0) / df.max(1) as f64).ln().max(0.0)
}

/// Words that say little about what a sentence reports.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
    "have", "he", "her", "his", "if", "in", "into", "is", "it", "its", "more", "no", "not", "of",
    "on", "or", "our", "over", "said", "she", "so", "some", "than", "that", "the", "their", "them",
    "there", "these", "they", "this", "those", "to", "was", "we", "were", "what", "when", "which",
    "while", "who", "will", "with", "would",
];

/// A sentence's content words, hashed, sorted, each once: folded, split at
/// hyphens and apostrophes, dots dropped (`U.S.` is `us`), function words
/// and one-letter words left out, common English endings cut.
fn content_words(sentence: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for (_, w) in words(sentence) {
        let folded = fold_word(w);
        for part in folded.split(|c: char| is_joiner(c) && c != '.') {
            let part: String = part.chars().filter(|&c| c != '.').collect();
            if part.chars().count() < 2 || FUNCTION_WORDS.contains(&part.as_str()) {
                continue;
            }
            out.push(xxh3_64(stem(&part).as_bytes()));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The word without one common English ending, when three letters remain:
/// `forces`, `forced`, `forcing` and `force` are one word.
fn stem(word: &str) -> &str {
    for end in ["ing", "ed", "es", "s", "e"] {
        if let Some(root) = word.strip_suffix(end)
            && root.chars().count() >= 3
        {
            return root;
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(texts: &[&str]) -> Model {
        let sources: Vec<String> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| format!(r##"(id: "s{i}", outlet: "o", title: "t", text: r#"{t}"#)"##))
            .collect();
        let ron = format!("(meta: (title: \"t\"), sources: [{}])", sources.join(","));
        crate::load_str(&ron, "t.ron").unwrap()
    }

    const FLOOD: &str = "The Valley river burst its banks on Tuesday after three days of rain. \
        Water reached the first floors of houses in the lower town. \
        The mayor ordered schools closed until the water recedes. \
        Firefighters rescued forty residents stranded on their roofs. \
        Farmers said the harvest in the valley fields was lost.";
    const OTHER: &str = "The football club signed a new goalkeeper from Lisbon. \
        The transfer fee was not disclosed by either club. \
        Fans welcomed the signing at the training ground on Monday.";

    #[test]
    fn a_copy_of_half_an_article_is_found_with_its_passages() {
        let m = store(&[OTHER, FLOOD]);
        let copy = "Firefighters rescued forty residents stranded on their roofs. \
            The Mayor ordered all schools closed until the waters recede. \
            Officials opened a shelter in the sports hall. \
            Volunteers brought blankets and hot meals to the shelter.";
        let found = against_store(copy, &m, None);
        assert_eq!(found.len(), 1, "{found:?}");
        let o = &found[0];
        assert_eq!((o.other, o.shared_sentences, o.sentences), (1, 2, 4));
        let shown: Vec<(&str, &str)> = o
            .passages
            .iter()
            .map(|(a, b)| (&copy[a.clone()], &FLOOD[b.clone()]))
            .collect();
        assert_eq!(shown[0].0, shown[0].1);
        assert!(shown[1].1.starts_with("The mayor ordered"), "{shown:?}");
        // Its own text is skipped when asked.
        assert!(against_store(FLOOD, &m, Some(1)).is_empty());
        assert_eq!(against_store(FLOOD, &m, None)[0].shared_sentences, 5);
    }

    #[test]
    fn unrelated_articles_share_nothing() {
        let m = store(&[OTHER]);
        assert!(against_store(FLOOD, &m, None).is_empty());
        assert!(against_store("", &m, None).is_empty());
    }

    #[test]
    fn a_few_words_in_common_are_not_a_copy() {
        // Two rare words in common are not enough.
        let m = store(&[OTHER, "Agadez flooded."]);
        assert!(against_store("Agadez flooded again yesterday.", &m, None).is_empty());
        // A headline's three words in a long sentence are not its copy.
        let long = "Troops leave Niger, officials said, as the junta ordered every \
            foreign mission, embassy, contractor and aid agency out of the country \
            within thirty days of the announcement on state television.";
        let m = store(&[OTHER, long]);
        assert!(against_store("Troops leave Niger.", &m, None).is_empty());
        let m = store(&[OTHER, "Troops leave Niger today."]);
        assert_eq!(against_store("Troops leave Niger.", &m, None).len(), 1);
    }

    #[test]
    fn a_word_in_very_many_sentences_is_not_looked_through() {
        // 600 stored sentences hold each word: past the cap per word, so
        // the work stays the text's words times the cap, and nothing is
        // shared.
        let many = "Rain fell hard today. ".repeat(600);
        let m = store(&[&many]);
        assert!(against_store(&many[..200], &m, None).is_empty());
        let some = "Rain fell hard today. ".repeat(400);
        let m = store(&[&some]);
        assert_eq!(against_store(&some[..200], &m, None).len(), 1);
    }

    #[test]
    fn words_fold_drop_function_words_and_cut_endings() {
        assert_eq!(content_words("The U.S. forces"), content_words("us FORCED"));
        assert_eq!(content_words("Niger’s"), content_words("niger"));
        assert!(content_words("of the a and").is_empty());
        assert_eq!(stem("ties"), "tie");
    }

    /// The figures on the Niger store: 004 (personnel-rewrite) rewrites the
    /// report 003 (reuters-based-personnel) is based on; no other pair
    /// reaches the floor, the closest is 4 of 24 sentences (17%).
    #[test]
    fn in_the_niger_store_the_rewrite_is_found_and_nothing_else() {
        let m = crate::load_builtin().unwrap();
        let below = within_store(&m)
            .iter()
            .filter(|(_, o)| o.share() < FLOOR)
            .map(|(_, o)| (o.shared_sentences, o.sentences))
            .max_by(|a, b| (a.0 * b.1).cmp(&(b.0 * a.1)));
        assert_eq!(below, Some((4, 24)));
        let id = |i: Ix| m.source(i).id.as_str();
        let pairs: Vec<(&str, &str, usize, usize)> = within_store(&m)
            .iter()
            .filter(|(_, o)| o.share() >= FLOOR)
            .map(|(s, o)| (id(*s), id(o.other), o.shared_sentences, o.sentences))
            .collect();
        assert_eq!(
            pairs,
            [
                ("reuters-based-personnel", "personnel-rewrite", 10, 31),
                ("personnel-rewrite", "reuters-based-personnel", 9, 14),
            ]
        );
    }

    #[test]
    fn the_other_direction_counts_the_other_text_s_sentences_in_the_passages() {
        let other = "The river rose above the old stone bridge at dawn. \
                     Rescue boats carried twelve families out of the flooded streets. \
                     Nothing else.";
        let o = Overlap {
            other: 1,
            shared_sentences: 2,
            sentences: 5,
            passages: vec![(0..10, 0..49), (20..30, 0..49)],
        };
        let back = reversed(&o, 0, other);
        assert_eq!(back.other, 0);
        assert_eq!(back.shared_sentences, 1, "one sentence of the other, twice");
        assert_eq!(back.sentences, 2, "two sentences long enough to judge");
        assert_eq!(back.passages[0], (0..49, 0..10));
    }
}
