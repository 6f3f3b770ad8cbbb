//! Words as both the index and the query see them, so that whatever a
//! person types matches what the text says: `Niger’s`, `5,609`, `U.S.`,
//! `Bunau-Varilla` are one word each, with their parts and their letters
//! run together (`niger`, `s`, `nigers`) indexed too.

use unicode_normalization::char::is_combining_mark;

use crate::search::fold::fold;

/// Longer words are neither indexed nor highlighted.
pub const MAX_WORD_BYTES: usize = 96;

/// Characters that join two letters or digits into one word.
pub(crate) fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '.' | ',' | '-' | '‐' | '‑' | '–')
}

/// Ideographs and kana are written without spaces: each is a word.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// How many joiners (one or two: `U.S.-Russian`) start `rest`, when a
/// word character follows them.
fn joiners_then_word(rest: &str) -> Option<usize> {
    let mut chars = rest.chars();
    let mut n = 0;
    for c in chars.by_ref() {
        if is_joiner(c) && n < 2 {
            n += 1;
        } else {
            return (n > 0 && is_word_char(c)).then_some(n);
        }
    }
    None
}

/// The words of `text`, as (byte offset, word) in the original text.
///
/// ASCII is read a byte at a time (a store is mostly ASCII, and indexing
/// a million events reads every word of it); anything else a char at a
/// time, by the same rules.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let start = at;
            let b = bytes[at];
            if b.is_ascii() {
                at += 1;
                if b.is_ascii_alphanumeric() {
                    at = word_end(text, at);
                    return Some((start, &text[start..at]));
                }
                continue;
            }
            let c = char_at(text, at);
            at += c.len_utf8();
            if is_cjk(c) {
                return Some((start, &text[start..at]));
            }
            if is_word_char(c) {
                at = word_end(text, at);
                return Some((start, &text[start..at]));
            }
        }
        None
    })
}

/// The char starting at byte `at` of `text` (a char boundary).
fn char_at(text: &str, at: usize) -> char {
    text[at..]
        .chars()
        .next()
        .expect("a char boundary before the end")
}

/// Where the word whose first char ends at `at` ends.
fn word_end(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        let Some(&b) = bytes.get(at) else {
            return at;
        };
        let d = if b.is_ascii() {
            b as char
        } else {
            char_at(text, at)
        };
        // Accents written as combining marks and the zero-width
        // non-joiner (Persian, Indic) stay inside a word.
        if !b.is_ascii() && (is_word_char(d) || is_combining_mark(d) || d == '\u{200C}') {
            at += d.len_utf8();
            continue;
        }
        // Joiners count only between two word characters.
        let Some(n) = joiners_then_word(&text[at..]) else {
            return at;
        };
        for _ in 0..n {
            at += char_at(text, at).len_utf8();
        }
        at += char_at(text, at).len_utf8();
    }
}

/// A word folded (case, accents) with its joiners written one way.
pub fn fold_word(word: &str) -> String {
    let mut out = String::new();
    fold_word_into(word, &mut out);
    out
}

/// `fold_word` into `out` (cleared first): an index folds every word of a
/// store, and a buffer used again allocates nothing for most of them.
pub fn fold_word_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        // No accents, and the ASCII joiners are already written one way.
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    out.extend(
        fold(word)
            .text
            .chars()
            .filter(|&c| c != '\u{200C}')
            .map(|c| match c {
                '’' => '\'',
                '‐' | '‑' | '–' => '-',
                c => c,
            }),
    );
}

/// Whether a folded word is made of parts joined by punctuation.
pub fn is_compound(folded: &str) -> bool {
    // Most words are plain ASCII letters and digits: no char to decode.
    let maybe = |b: &u8| matches!(b, b'\'' | b'.' | b',' | b'-') || !b.is_ascii();
    folded.as_bytes().iter().any(maybe) && folded.contains(is_joiner)
}

/// The terms a folded word is indexed under: itself, and for a compound
/// its parts, its initials run together (`u.s` → `us`) and its digits run
/// together (`5,609` → `5609`), the ways people type them.
pub fn index_terms(folded: &str, mut each: impl FnMut(&str)) {
    each(folded);
    if !is_compound(folded) {
        return;
    }
    let parts: Vec<&str> = folded.split(is_joiner).filter(|p| !p.is_empty()).collect();
    if parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        each(&parts.concat());
    }
    parts.iter().for_each(|p| each(p));
    for run in initials(&parts) {
        each(&run);
    }
}

/// Runs of two or more one-letter parts, joined: the initials of `u.s`.
fn initials(parts: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut n = 0;
    for p in parts.iter().chain(std::iter::once(&"")) {
        if p.chars().count() == 1 {
            run.push_str(p);
            n += 1;
        } else {
            if n >= 2 {
                out.push(std::mem::take(&mut run));
            }
            run.clear();
            n = 0;
        }
    }
    out
}

/// A compound query word as separate words, for when the compound itself
/// is not in the text: `us-russian` → `us`, `russian` (initials joined).
pub fn query_parts(folded: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    let parts = folded.split(is_joiner).filter(|p| !p.is_empty());
    for p in parts.chain(std::iter::once("")) {
        if p.chars().count() == 1 {
            run.push_str(p);
            continue;
        }
        if !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
        if !p.is_empty() {
            out.push(p.to_string());
        }
    }
    out
}

/// The words of a query, folded: each must be found in a matching text.
pub fn query_terms(query: &str) -> Vec<String> {
    words(query).map(|(_, w)| fold_word(w)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    fn ws(text: &str) -> Vec<&str> {
        words(text).map(|(_, w)| w).collect()
    }

    /// `words` as it was written before its ASCII fast path: a char at a
    /// time. The two must agree on every text.
    fn words_char_by_char(text: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if is_cjk(c) {
                out.push((start, &text[start..start + c.len_utf8()]));
                continue;
            }
            if !is_word_char(c) {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                if is_word_char(d) || is_combining_mark(d) || d == '\u{200C}' {
                    end = i + d.len_utf8();
                    chars.next();
                } else if let Some(n) = joiners_then_word(&text[i..]) {
                    for _ in 0..n {
                        chars.next();
                    }
                    let (j, e) = chars.next().expect("a word char follows");
                    end = j + e.len_utf8();
                } else {
                    break;
                }
            }
            out.push((start, &text[start..end]));
        }
        out
    }

    /// Text made of the characters words are cut at, joined by, or kept
    /// whole with, in any order.
    fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
        let pieces = proptest::sample::select(vec![
            "a", "Z", "7", " ", ".", ",", "-", "'", "’", "‐", "‑", "–", "é", "e\u{301}", "\u{301}",
            "\u{200C}", "巴", "運", "ß", "İ", "Ω", "٣", "\n", "\u{200B}", "!", "..", "--", "x.y",
            "U.S.-", "😀",
        ]);
        proptest::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #[test]
        fn words_read_bytewise_agree_with_words_read_char_by_char(text in tricky_text()) {
            let fast: Vec<(usize, &str)> = words(&text).collect();
            proptest::prop_assert_eq!(fast, words_char_by_char(&text));
            for (_, w) in words(&text) {
                let slow: String = fold(w)
                    .text
                    .chars()
                    .filter(|&c| c != '\u{200C}')
                    .map(|c| match c {
                        '’' => '\'',
                        '‐' | '‑' | '–' => '-',
                        c => c,
                    })
                    .collect();
                proptest::prop_assert_eq!(fold_word(w), slow);
            }
        }
    }

    #[test]
    fn punctuation_inside_words_and_numbers_keeps_them_whole() {
        assert_eq!(
            ws("Niger’s 5,609 workers, U.S. troops; Bunau-Varilla (5.25%) — end."),
            [
                "Niger’s",
                "5,609",
                "workers",
                "U.S",
                "troops",
                "Bunau-Varilla",
                "5.25",
                "end"
            ]
        );
        assert_eq!(ws("a - b, c... d'"), ["a", "b", "c", "d"]);
        assert_eq!(ws("U.S.-Russian ties"), ["U.S.-Russian", "ties"]);
        assert_eq!(ws("Hay–Bunau-Varilla"), ["Hay–Bunau-Varilla"]);
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "Café “Gatún”, 巴拿马运河";
        for (at, w) in words(text) {
            assert_eq!(&text[at..at + w.len()], w);
        }
        assert_eq!(ws(text), ["Café", "Gatún", "巴", "拿", "马", "运", "河"]);
        // A combining accent stays with its letter.
        assert_eq!(ws("cafe\u{301} ok"), ["cafe\u{301}", "ok"]);
    }

    #[test]
    fn compounds_are_indexed_whole_joined_and_by_part() {
        let mut terms = Vec::new();
        index_terms(&fold_word("Niger’s"), |t| terms.push(t.to_string()));
        assert_eq!(terms, ["niger's", "niger", "s"]);
        let mut terms = Vec::new();
        index_terms(&fold_word("U.S.-Russian"), |t| terms.push(t.to_string()));
        assert_eq!(terms, ["u.s.-russian", "u", "s", "russian", "us"]);
        let mut terms = Vec::new();
        index_terms("5,609", |t| terms.push(t.to_string()));
        assert_eq!(terms, ["5,609", "5609", "5", "609"]);
        assert_eq!(query_parts("u.s.-russian"), ["us", "russian"]);
        assert_eq!(query_parts("bunau-varilla"), ["bunau", "varilla"]);
        assert_eq!(query_parts("a.b.c-de-f.g"), ["abc", "de", "fg"]);
        assert_eq!(query_parts("x-ray"), ["x", "ray"]);
        assert_eq!(query_terms("Niger’s  distance"), ["niger's", "distance"]);
        assert_eq!(query_terms("NIGER'S"), ["niger's"]);
        assert_eq!(query_terms("Gatún 5,609"), ["gatun", "5,609"]);
        assert_eq!(query_terms("运河"), ["运", "河"]);
    }
}
