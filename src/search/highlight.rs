//! What to show of a result: which characters of a field matched the
//! query, and a window of long text around the first match.

use super::SNIPPET_SCAN;
use super::matching::{Tier, match_word};
use super::tokens::{MAX_WORD_BYTES, fold_word, is_joiner, words};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::search::fold::fold;

/// Char ranges (start, len, which query word), relative to `word`, that
/// the query words match.
fn word_marks(word: &str, terms: &[Vec<char>]) -> Vec<(usize, usize, usize)> {
    if word.len() > MAX_WORD_BYTES {
        return Vec::new();
    }
    let mark = |part: &str, off: usize| -> Option<(usize, usize, usize)> {
        let folded = fold_word(part);
        let len = part.chars().count();
        terms
            .iter()
            .enumerate()
            .find_map(|(t, q)| match match_word(q, &folded)? {
                (Tier::Prefix, _) => Some((off, q.len().min(len), t)),
                _ => Some((off, len, t)),
            })
    };
    if let Some(m) = mark(word, 0) {
        return vec![m];
    }
    // The parts of a compound: "Niger" in "Niger’s".
    let mut out = Vec::new();
    let mut off = 0;
    for part in word.split(is_joiner) {
        if !part.is_empty()
            && let Some(m) = mark(part, off)
        {
            out.push(m);
        }
        off += part.chars().count() + 1;
    }
    out
}

/// Char positions in `text` (its first `cap` bytes) of what the query
/// words match.
pub fn word_positions(text: &str, terms: &[Vec<char>], cap: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut chars_before = 0;
    let mut last = 0;
    for (at, w) in words(text) {
        if at > cap {
            break;
        }
        chars_before += text[last..at].chars().count();
        for (off, len, _) in word_marks(w, terms) {
            out.extend(chars_before + off..chars_before + off + len);
        }
        chars_before += w.chars().count();
        last = at + w.len();
    }
    out
}

/// A window of about 100 chars of `text`, on one line, where the most
/// different query words match (the earliest such place), and the char
/// positions in the window to highlight.
pub fn snippet(text: &str, terms: &[Vec<char>]) -> (String, Vec<usize>) {
    const BEFORE: usize = 30;
    const WIDTH: usize = 100;
    // (char index, which query word) of every matched word, up to the cap.
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    let mut chars_before = 0;
    let mut last = 0;
    for (at, w) in words(text) {
        if at > SNIPPET_SCAN {
            break;
        }
        chars_before += text[last..at].chars().count();
        for (off, len, term) in word_marks(w, terms) {
            hits.push((chars_before + off, len, term));
        }
        chars_before += w.chars().count();
        last = at + w.len();
    }
    let start = best_window(&hits, terms.len(), WIDTH - BEFORE).saturating_sub(BEFORE);
    let mut window = String::new();
    let mut taken = 0;
    let mut rest = text.chars().skip(start);
    if start > 0 {
        window.push('…');
    }
    for c in rest.by_ref().take(WIDTH) {
        // Long text spans lines; a snippet is one line.
        window.push(if c.is_whitespace() { ' ' } else { c });
        taken += 1;
    }
    if rest.next().is_some() {
        window.push('…');
    }
    let shift = usize::from(start > 0);
    let positions = hits
        .iter()
        .flat_map(|&(p, len, _)| p..p + len)
        .filter(|&p| p >= start && p < start + taken)
        .map(|p| p - start + shift)
        .collect();
    (window, positions)
}

/// Where a window of `width` chars starting at a match covers the most
/// different query words: the char index of that match (0 if none).
fn best_window(hits: &[(usize, usize, usize)], n_terms: usize, width: usize) -> usize {
    let mut best = (0, hits.first().map_or(0, |h| h.0));
    let mut count = vec![0usize; n_terms];
    let mut distinct = 0;
    let mut end = 0;
    for (i, &(p, _, _)) in hits.iter().enumerate() {
        while end < hits.len() && hits[end].0 < p + width {
            let t = hits[end].2;
            count[t] += 1;
            distinct += usize::from(count[t] == 1);
            end += 1;
        }
        if distinct > best.0 {
            best = (distinct, p);
        }
        let t = hits[i].2;
        count[t] -= 1;
        distinct -= usize::from(count[t] == 0);
    }
    best.1
}

/// Char positions in `text` of the folded query's chars where the fuzzy
/// matcher placed them (a scattered match; `text` is a short field).
pub fn scattered_positions(matcher: &SkimMatcherV2, text: &str, q: &str) -> Vec<usize> {
    let f = fold(text);
    let Some((_, idx)) = matcher.fuzzy_indices(&f.text, q) else {
        return Vec::new();
    };
    let mut out: Vec<usize> = idx.into_iter().map(|i| f.original_index(i)).collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(q: &str) -> Vec<Vec<char>> {
        super::super::tokens::query_terms(q)
            .iter()
            .map(|t| t.chars().collect())
            .collect()
    }

    fn marked(text: &str, pos: &[usize]) -> String {
        text.chars()
            .enumerate()
            .map(|(i, c)| {
                if pos.contains(&i) {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect()
    }

    #[test]
    fn marks_the_matched_words_and_parts() {
        let t = "the niger’s distance from gatún";
        assert_eq!(
            marked(t, &word_positions(t, &terms("niger gatun dist"), 1000)),
            "the NIGER’s DISTance from GATúN"
        );
        let t = "us-built base";
        assert_eq!(
            marked(t, &word_positions(t, &terms("built"), 1000)),
            "us-BUILT base"
        );
    }

    #[test]
    fn snippets_show_where_the_most_query_words_are() {
        let text = format!(
            "niger at the start. {} niger and its distance.",
            "filler ".repeat(40)
        );
        let (s, _) = snippet(&text, &terms("niger distance"));
        assert!(s.contains("niger and its distance"), "{s}");
    }

    #[test]
    fn snippets_are_one_line_around_the_first_match() {
        let text = format!("{}\nthe Wagner Group arrived.", "word ".repeat(40));
        let (s, pos) = snippet(&text, &terms("wagner"));
        assert!(
            s.starts_with('…') && s.contains("the Wagner Group arrived."),
            "{s}"
        );
        assert!(!s.contains('\n'));
        let shown: String = pos.iter().map(|&p| s.chars().nth(p).unwrap()).collect();
        assert_eq!(shown, "Wagner");
    }
}
