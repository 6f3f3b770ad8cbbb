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
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let (start, c) = chars.next()?;
            if is_cjk(c) {
                return Some((start, &text[start..start + c.len_utf8()]));
            }
            if !is_word_char(c) {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                // Accents written as combining marks and the zero-width
                // non-joiner (Persian, Indic) stay inside a word.
                if is_word_char(d) || is_combining_mark(d) || d == '\u{200C}' {
                    end = i + d.len_utf8();
                    chars.next();
                } else if let Some(n) = joiners_then_word(&text[i..]) {
                    // Joiners count only between two word characters.
                    for _ in 0..n {
                        chars.next();
                    }
                    let (j, e) = chars.next().expect("a word char follows");
                    end = j + e.len_utf8();
                } else {
                    break;
                }
            }
            return Some((start, &text[start..end]));
        }
    })
}

/// A word folded (case, accents) with its joiners written one way.
pub fn fold_word(word: &str) -> String {
    fold(word)
        .text
        .chars()
        .filter(|&c| c != '\u{200C}')
        .map(|c| match c {
            '’' => '\'',
            '‐' | '‑' | '–' => '-',
            c => c,
        })
        .collect()
}

/// Whether a folded word is made of parts joined by punctuation.
pub fn is_compound(folded: &str) -> bool {
    folded.contains(is_joiner)
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

    fn ws(text: &str) -> Vec<&str> {
        words(text).map(|(_, w)| w).collect()
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
