//! Case and accent folding for search: "Aérienne" and "NIAMEY" fold to
//! "aerienne" and "niamey", with a map from folded chars back to the original
//! chars so that match positions can be shown on the original text.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A folded string. `map[i]` is the char index in the original of folded
/// char `i`; `None` when every char folded to exactly one char.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folded {
    pub text: String,
    map: Option<Vec<u32>>,
}

impl Folded {
    /// Char index in the original text of the folded char `i`.
    pub fn original_index(&self, i: usize) -> usize {
        match &self.map {
            None => i,
            Some(m) => m.get(i).map_or(i, |&o| o as usize),
        }
    }
}

/// Folds one char into `out`; returns how many chars it became.
fn fold_char(c: char, out: &mut String) -> usize {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return 1;
    }
    let mut n = 0;
    for l in c.to_lowercase() {
        for d in std::iter::once(l).nfd() {
            if !is_combining_mark(d) {
                out.push(d);
                n += 1;
            }
        }
    }
    n
}

pub fn fold(s: &str) -> Folded {
    let mut text = String::with_capacity(s.len());
    if s.is_ascii() {
        text.extend(s.chars().map(|c| c.to_ascii_lowercase()));
        return Folded { text, map: None };
    }
    let mut map = Vec::with_capacity(s.len());
    let mut one_to_one = true;
    for (orig, c) in s.chars().enumerate() {
        let n = fold_char(c, &mut text);
        one_to_one &= n == 1;
        map.extend(std::iter::repeat_n(orig as u32, n));
    }
    Folded {
        text,
        map: (!one_to_one).then_some(map),
    }
}

/// Just the folded text.
pub fn fold_str(s: &str) -> String {
    fold(s).text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold_str("Base Aérienne"), "base aerienne");
        assert_eq!(fold_str("NIAMEY"), "niamey");
        assert_eq!(fold_str("Jama’at"), "jama’at");
        assert_eq!(fold_str("北京"), "北京");
    }

    #[test]
    fn maps_folded_positions_back() {
        // "e\u{301}" is e + combining acute: two chars folding to one.
        let f = fold("Ae\u{301}ro");
        assert_eq!(f.text, "aero");
        assert_eq!(f.original_index(2), 3);
        assert_eq!(f.original_index(3), 4);
        let g = fold("Éte");
        assert_eq!(g.text, "ete");
        assert_eq!(g.original_index(2), 2);
    }
}
