//! What to show of a result: which characters of a field matched the
//! query, and a window of long text around the first match.

use super::SNIPPET_SCAN;
use super::matching::{Tier, match_word};
use super::tokens::{MAX_WORD_BYTES, fold_word, is_joiner, words};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::fold::fold;

/// Char ranges (start, len), relative to `word`, that the query words match.
fn word_marks(word: &str, terms: &[Vec<char>]) -> Vec<(usize, usize)> {
    if word.len() > MAX_WORD_BYTES {
        return Vec::new();
    }
    let mark = |part: &str, off: usize| -> Option<(usize, usize)> {
        let folded = fold_word(part);
        let len = part.chars().count();
        terms.iter().find_map(|q| match match_word(q, &folded)? {
            (Tier::Prefix, _) => Some((off, q.len().min(len))),
            _ => Some((off, len)),
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
        for (off, len) in word_marks(w, terms) {
            out.extend(chars_before + off..chars_before + off + len);
        }
        chars_before += w.chars().count();
        last = at + w.len();
    }
    out
}

/// A window of about 100 chars of `text` around its first matched word,
/// on one line, and the char positions in the window to highlight.
pub fn snippet(text: &str, terms: &[Vec<char>]) -> (String, Vec<usize>) {
    const BEFORE: usize = 30;
    const WIDTH: usize = 100;
    // Char index and marks of matched words, up to the window's end.
    let mut marks: Vec<usize> = Vec::new();
    let mut first: Option<usize> = None;
    let mut chars_before = 0;
    let mut last = 0;
    for (at, w) in words(text) {
        if at > SNIPPET_SCAN || first.is_some_and(|f| chars_before > f + WIDTH) {
            break;
        }
        chars_before += text[last..at].chars().count();
        for (off, len) in word_marks(w, terms) {
            first.get_or_insert(chars_before + off);
            marks.extend(chars_before + off..chars_before + off + len);
        }
        chars_before += w.chars().count();
        last = at + w.len();
    }
    let start = first.unwrap_or(0).saturating_sub(BEFORE);
    let mut window: String = String::new();
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
    let positions = marks
        .into_iter()
        .filter(|&p| p >= start && p < start + taken)
        .map(|p| p - start + shift)
        .collect();
    (window, positions)
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
