//! Store text is data. Whatever is shown to a person, in the explorer or
//! printed by the command line (results, error messages), goes through
//! `safe`: control characters, escape sequences, bidi overrides and
//! zero-width characters become visible, harmless characters, one for one,
//! so positions within the text stay valid.

/// The character shown in place of `c`. One char in, one char out.
pub fn safe_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => ' ',
        // C0 controls as their Control Pictures (ESC shows as ␛).
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '␡',
        // C1 controls (including CSI, OSC and ST), bidi embeddings, overrides
        // and isolates, zero-width and invisible formatting characters. The
        // zero-width non-joiner (U+200C) stays: Persian and Indic scripts
        // spell words with it, and it draws nothing and moves nothing.
        '\u{80}'..='\u{9f}'
        | '\u{061c}'
        | '\u{180e}'
        | '\u{200b}'
        | '\u{200d}'..='\u{200f}'
        | '\u{2028}'..='\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}' => '\u{fffd}',
        c => c,
    }
}

/// `s` made safe to show, on one line.
pub fn safe(s: &str) -> String {
    s.chars().map(safe_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_invisible_chars_become_visible_one_for_one() {
        let hostile = "a\u{1b}]0;pwned\u{7}b\u{9b}2J\u{202e}c\u{200b}d\r\n";
        let s = safe(hostile);
        assert_eq!(s.chars().count(), hostile.chars().count());
        assert!(!s.chars().any(|c| c.is_control()));
        assert!(s.contains('␛') && s.contains('␇'));
        assert!(!s.contains('\u{202e}') && !s.contains('\u{200b}'));
    }

    #[test]
    fn words_spelled_with_a_non_joiner_are_kept() {
        // Persian "I want": the non-joiner keeps the first two letters apart.
        let persian = "\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}";
        assert_eq!(safe(persian), persian);
        // The joiner is not kept: terminals draw emoji joined by it apart,
        // wider than measured.
        assert_eq!(safe("a\u{200d}b"), "a\u{fffd}b");
    }
}
