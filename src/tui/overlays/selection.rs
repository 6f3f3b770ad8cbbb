//! A passage selected in the reader: where it starts and ends in the
//! article, moved by word and by sentence, or set by a mouse drag. Only
//! text positions here; the reader draws it and the form quotes it.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::tui::widgets::text::width;

/// How far around a position words are looked for: a word step never
/// segments more than this, however long the article.
const WINDOW: usize = 4096;

/// A selected passage: a byte range of the article, on word bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub span: Range<usize>,
}

/// A key's move of the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// Start one (at the current quote or the top sentence shown).
    Start,
    /// The end one word further, or back.
    WordForward,
    WordBack,
    /// The start one word back (wider), or forward (narrower).
    StartBack,
    StartForward,
    /// The end to the next sentence's end, or back to the previous one.
    SentenceForward,
    SentenceBack,
}

/// The largest char boundary at or before `i`.
fn floor(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary at or after `i`.
fn ceil(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Words (segments holding a letter or digit) of `text[window]`, as byte
/// ranges of `text`.
fn words(text: &str, window: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let at = window.start;
    text[window]
        .split_word_bound_indices()
        .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
        .map(move |(i, w)| at + i..at + i + w.len())
}

pub use crate::evidence::coverage::sentences;

/// The sentence at or after `at` (the one holding it if none starts after).
pub fn sentence_from(sentences: &[Range<usize>], at: usize) -> Option<Range<usize>> {
    let i = sentences.partition_point(|s| s.start < at);
    sentences
        .get(i)
        .or_else(|| sentences.get(i.wrapping_sub(1)))
        .cloned()
}

impl Selection {
    pub fn new(span: Range<usize>) -> Self {
        Selection { span }
    }

    /// Applies a move; false when the selection cannot move that way (it
    /// is then unchanged). `sentences` are the article's.
    pub fn step(&mut self, mv: Move, text: &str, sentences: &[Range<usize>]) -> bool {
        let Range { start, end } = self.span.clone();
        let new = match mv {
            Move::Start => None,
            Move::WordForward => {
                let to = ceil(text, end.saturating_add(WINDOW));
                words(text, end..to).next().map(|w| start..w.end)
            }
            Move::WordBack => {
                let from = floor(text, end.saturating_sub(WINDOW)).max(start);
                let last = words(text, from..end).filter(|w| w.end < end).last();
                last.filter(|w| w.end > start).map(|w| start..w.end)
            }
            Move::StartForward => {
                let to = ceil(text, start.saturating_add(WINDOW)).min(end);
                let next = words(text, start..to).find(|w| w.start > start);
                next.filter(|w| w.start < end).map(|w| w.start..end)
            }
            Move::StartBack => {
                let from = floor(text, start.saturating_sub(WINDOW));
                words(text, from..start).last().map(|w| w.start..end)
            }
            Move::SentenceForward => {
                let i = sentences.partition_point(|s| s.end <= end);
                sentences.get(i).map(|s| start..s.end)
            }
            Move::SentenceBack => {
                let i = sentences.partition_point(|s| s.end < end);
                i.checked_sub(1)
                    .and_then(|i| sentences.get(i))
                    .filter(|s| s.end > start)
                    .map(|s| start..s.end)
            }
        };
        match new {
            Some(span) if span != self.span => {
                self.span = span;
                true
            }
            _ => false,
        }
    }

    /// A drag from `from` to `to` (on `line`): the whole words between
    /// them; none when no word is.
    pub fn dragged(text: &str, from: usize, to: usize, line: Range<usize>) -> Option<Self> {
        let (a, b) = if from <= to { (from, to) } else { (to, from) };
        let start = snap_start(text, a);
        let end = snap_end(text, b, line).max(start);
        (end > start).then(|| Selection::new(start..end))
    }

    /// The selected words: none when only spaces or marks are selected.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.span.clone()).unwrap_or("")
    }
}

/// The start of the word holding `at`, or of the next one.
fn snap_start(text: &str, at: usize) -> usize {
    let from = floor(text, at.saturating_sub(WINDOW));
    let to = ceil(text, at.saturating_add(WINDOW));
    words(text, from..to)
        .find(|w| w.end > at)
        .map_or(at, |w| w.start)
}

/// The end of the word holding `at`, or of the one before it (not before
/// the line `at` is on, so a drag past a line's end takes its last word).
fn snap_end(text: &str, at: usize, line: Range<usize>) -> usize {
    let from = floor(text, at.saturating_sub(WINDOW)).min(line.start);
    let to = ceil(text, at.saturating_add(WINDOW));
    let mut best = at;
    for w in words(text, from..to) {
        if w.start > at {
            break;
        }
        best = w.end;
    }
    best
}

/// The byte of `text` drawn at `column` of a wrapped `line` (its end when
/// the column is past the text).
pub fn byte_at_column(text: &str, line: Range<usize>, column: usize) -> usize {
    let mut used = 0;
    let Some(s) = text.get(line.clone()) else {
        return line.start;
    };
    for (i, g) in s.grapheme_indices(true) {
        used += width(g);
        if used > column {
            return line.start + i;
        }
    }
    line.end
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "The base cost $100 million. It opened in 2019, late. Troops left.";

    fn sel(text: &str, s: &str) -> Selection {
        let at = text.find(s).unwrap();
        Selection::new(at..at + s.len())
    }

    #[test]
    fn words_extend_and_shrink_the_end() {
        let ss = sentences(TEXT);
        let mut s = sel(TEXT, "The");
        assert!(s.step(Move::WordForward, TEXT, &ss));
        assert_eq!(s.text(TEXT), "The base");
        s.step(Move::WordForward, TEXT, &ss);
        s.step(Move::WordForward, TEXT, &ss);
        assert_eq!(s.text(TEXT), "The base cost $100");
        s.step(Move::WordBack, TEXT, &ss);
        assert_eq!(s.text(TEXT), "The base cost");
        s.step(Move::WordBack, TEXT, &ss);
        s.step(Move::WordBack, TEXT, &ss);
        assert_eq!(s.text(TEXT), "The");
        // One word is the least.
        assert!(!s.step(Move::WordBack, TEXT, &ss));
        assert_eq!(s.text(TEXT), "The");
    }

    #[test]
    fn the_start_moves_by_word_too() {
        let ss = sentences(TEXT);
        let mut s = sel(TEXT, "cost $100");
        s.step(Move::StartBack, TEXT, &ss);
        assert_eq!(s.text(TEXT), "base cost $100");
        s.step(Move::StartForward, TEXT, &ss);
        s.step(Move::StartForward, TEXT, &ss);
        assert_eq!(s.text(TEXT), "100");
        assert!(!s.step(Move::StartForward, TEXT, &ss));
    }

    #[test]
    fn sentences_extend_to_their_end_and_back() {
        let ss = sentences(TEXT);
        let mut s = sel(TEXT, "The base");
        s.step(Move::SentenceForward, TEXT, &ss);
        assert_eq!(s.text(TEXT), "The base cost $100 million.");
        s.step(Move::SentenceForward, TEXT, &ss);
        assert_eq!(
            s.text(TEXT),
            "The base cost $100 million. It opened in 2019, late."
        );
        s.step(Move::SentenceBack, TEXT, &ss);
        assert_eq!(s.text(TEXT), "The base cost $100 million.");
        assert!(!s.step(Move::SentenceBack, TEXT, &ss));
        s.step(Move::SentenceForward, TEXT, &ss);
        s.step(Move::SentenceForward, TEXT, &ss);
        assert!(!s.step(Move::SentenceForward, TEXT, &ss));
        assert!(s.text(TEXT).ends_with("Troops left."));
    }

    #[test]
    fn a_drag_takes_whole_words_either_way() {
        let line = 0..TEXT.len();
        let at = |s: &str| TEXT.find(s).unwrap();
        let s = Selection::dragged(TEXT, at("ase"), at("illion"), line.clone()).unwrap();
        assert_eq!(s.text(TEXT), "base cost $100 million");
        let s = Selection::dragged(TEXT, at("pened"), at("100"), line.clone()).unwrap();
        assert_eq!(s.text(TEXT), "100 million. It opened");
        // Over spaces only: nothing.
        assert_eq!(Selection::dragged(TEXT, 3, 3, line), None);
    }

    #[test]
    fn columns_count_wide_characters_twice() {
        let t = "日本 ok";
        assert_eq!(byte_at_column(t, 0..t.len(), 0), 0);
        assert_eq!(byte_at_column(t, 0..t.len(), 1), 0);
        assert_eq!(byte_at_column(t, 0..t.len(), 2), 3);
        assert_eq!(byte_at_column(t, 0..t.len(), 5), t.find("ok").unwrap());
        assert_eq!(byte_at_column(t, 0..t.len(), 50), t.len());
    }

    #[test]
    fn steps_never_panic_on_any_text() {
        for t in ["", " ", "é", "a\u{301}b. c", "  . . ", "日本語。次の文。"] {
            let ss = sentences(t);
            for mv in [
                Move::WordForward,
                Move::WordBack,
                Move::StartBack,
                Move::StartForward,
                Move::SentenceForward,
                Move::SentenceBack,
            ] {
                let mut s = Selection::new(0..t.len());
                s.step(mv, t, &ss);
                assert!(t.get(s.span.clone()).is_some(), "{t:?} {mv:?}");
            }
        }
    }
}
