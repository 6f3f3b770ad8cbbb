//! How well one query word matches one word of the text. A person expects
//! the exact word first, then a word it begins, then a word one or two
//! typos away, then a word holding its letters in order; never letters
//! picked across unrelated words.

use serde::Serialize;

/// The kind of match, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Exact,
    Prefix,
    /// Within a small edit distance (transpositions count as one edit).
    Typo,
    /// The query word's letters (four or more) in order inside the word,
    /// from its first letter.
    InWord,
}

impl Tier {
    pub fn label(self) -> &'static str {
        match self {
            Tier::Exact => "exact",
            Tier::Prefix => "prefix",
            Tier::Typo => "typo",
            Tier::InWord => "in word",
        }
    }
}

/// Edits forgiven for a query word of `len` letters: none below 4, one
/// from 4, two from 8.
pub fn edits_allowed(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Longest query word given edit distance or in-word matching; longer
/// ones must match exactly or as a prefix (bounded work on any input).
const MAX_FUZZY_CHARS: usize = 48;

/// The tier and points of `q` against `w`, both folded, or `None`.
/// Points: exact 100; prefix 60-90 (more of the word typed, more points);
/// one typo 60, two 45; in word 20-40 (tighter, more).
pub fn match_word(q: &[char], w: &str) -> Option<(Tier, i64)> {
    let wl = w.chars().count();
    let ql = q.len();
    if ql == 0 {
        return None;
    }
    if ql == wl && q.iter().copied().eq(w.chars()) {
        return Some((Tier::Exact, 100));
    }
    if ql < wl && q.iter().copied().eq(w.chars().take(ql)) {
        return Some((Tier::Prefix, 60 + (30 * ql / wl) as i64));
    }
    if ql > MAX_FUZZY_CHARS || wl > 2 * MAX_FUZZY_CHARS {
        return None;
    }
    let k = edits_allowed(ql);
    if k > 0 && ql.abs_diff(wl) <= k {
        let wc: Vec<char> = w.chars().collect();
        if let Some(d) = osa_distance(q, &wc, k) {
            return Some((Tier::Typo, if d <= 1 { 60 } else { 45 }));
        }
    }
    if ql >= 4 && wl > ql {
        let span = in_word_span(q, w)?;
        return Some((Tier::InWord, 20 + (20 * ql / span) as i64));
    }
    None
}

/// Optimal string alignment distance (Damerau-Levenshtein without
/// substring moves), or `None` when over `max`. O(len²) on short words.
fn osa_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m] <= max).then_some(prev[m])
}

/// How many chars of `w` the letters of `q` span, in order, starting at
/// `w`'s first letter; `None` if they are not all there.
fn in_word_span(q: &[char], w: &str) -> Option<usize> {
    let mut chars = w.chars().enumerate();
    let (_, first) = chars.next()?;
    if first != q[0] {
        return None;
    }
    let mut last = 0;
    for &c in &q[1..] {
        let (i, _) = chars.find(|&(_, d)| d == c)?;
        last = i;
    }
    Some(last + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(q: &str, w: &str) -> Option<(Tier, i64)> {
        let q: Vec<char> = q.chars().collect();
        match_word(&q, w)
    }

    #[test]
    fn tiers_in_the_order_a_person_expects() {
        assert_eq!(m("wagner", "wagner"), Some((Tier::Exact, 100)));
        assert_eq!(m("wag", "wagner").map(|t| t.0), Some(Tier::Prefix));
        assert!(m("wagne", "wagner").unwrap().1 > m("wag", "wagner").unwrap().1);
        assert_eq!(m("ausitn", "austin"), Some((Tier::Typo, 60)));
        assert_eq!(m("torrjios", "torrijos"), Some((Tier::Typo, 60)));
        assert_eq!(
            m("interocianique", "interoceanique"),
            Some((Tier::Typo, 60))
        );
        assert_eq!(m("goverment", "government"), Some((Tier::Typo, 60)));
        assert_eq!(m("abse", "airbase").map(|t| t.0), Some(Tier::InWord));
        // Every exact beats every prefix beats every typo beats every in-word.
        let worst_prefix = m("a", "abcdefghijklmnopqrstuvwxyz").unwrap().1;
        assert!(worst_prefix > 60 && worst_prefix < 100);
        assert!(m("abcdefgh", "abcdefgh").unwrap().1 > worst_prefix);
        assert!(m("abse", "abse").unwrap().1 > m("abse", "airbase").unwrap().1);
    }

    #[test]
    fn short_words_are_not_forgiven_typos_and_nothing_matches_across_words() {
        assert_eq!(m("tia", "tea"), None);
        assert_eq!(m("tiani", "titan"), None);
        // The first letter anchors an in-word match.
        assert_eq!(m("bse", "airbase"), None);
        assert_eq!(m("ab", "airbase"), None);
        assert_eq!(m("austin", "lloyd"), None);
        assert_eq!(m("", "x"), None);
    }

    #[test]
    fn edit_distance_counts_transpositions_as_one() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(osa_distance(&c("ab"), &c("ba"), 2), Some(1));
        assert_eq!(osa_distance(&c("kitten"), &c("sitting"), 3), Some(3));
        assert_eq!(osa_distance(&c("kitten"), &c("sitting"), 2), None);
        assert_eq!(osa_distance(&c(""), &c("ab"), 2), Some(2));
    }
}
