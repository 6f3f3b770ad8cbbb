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
        '\u{80}'..='\u{9f}' => '\u{fffd}',
        c if is_invisible(c) => '\u{fffd}',
        c => c,
    }
}

/// Format characters (Unicode category Cf) and the other default-ignorable
/// code points: they draw nothing, so they can hide text (tag characters
/// spell invisible ASCII) or reorder it (bidi controls). Kept: the
/// zero-width non-joiner, and the variation selectors that pick an emoji
/// or ideograph form of the character before them.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' // soft hyphen
        | '\u{034f}' // combining grapheme joiner
        | '\u{0600}'..='\u{0605}'
        | '\u{061c}'
        | '\u{06dd}'
        | '\u{070f}'
        | '\u{0890}'..='\u{0891}'
        | '\u{08e2}'
        | '\u{115f}'..='\u{1160}' // Hangul fillers
        | '\u{17b4}'..='\u{17b5}'
        | '\u{180b}'..='\u{180f}' // Mongolian variation selectors, vowel separator
        | '\u{200b}'
        | '\u{200d}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{3164}' // Hangul filler
        | '\u{feff}'
        | '\u{ffa0}' // halfwidth Hangul filler
        | '\u{fff0}'..='\u{fffb}'
        | '\u{110bd}'
        | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}'
        | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e00ff}' // tag characters ("ASCII smuggling")
        | '\u{e01f0}'..='\u{e0fff}'
    )
}

/// Whether `c` must not reach a terminal raw: controls (C0, DEL, C1) and
/// the invisible format characters.
fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// JSON text with every character a terminal would act on or hide written
/// as a `\uXXXX` escape: the same JSON (they only occur inside strings),
/// harmless when printed. serde_json escapes C0 controls but not C1
/// controls, bidi overrides or line separators.
pub fn json_safe(json: String) -> String {
    if !json.chars().any(|c| !c.is_ascii() && is_unsafe(c)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if !c.is_ascii() && is_unsafe(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` made safe to show, keeping its line breaks and tabs: for text
/// printed to a terminal as it is (an export written to `-`).
pub fn safe_lines(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\n' || c == '\t' {
                c
            } else {
                safe_char(c)
            }
        })
        .collect()
}

/// `s` made safe to show, on one line.
pub fn safe(s: &str) -> String {
    s.chars().map(safe_char).collect()
}

/// Long input quoted in a message is cut: its first `max` characters, then
/// how long it was. A message is read by a person; a 300 MB line is not.
pub fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((at, _)) => format!("{}… ({} bytes in all)", &s[..at], s.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_with_its_length() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("abcdef", 3), "abc… (6 bytes in all)");
        assert_eq!(cut("ééé", 2), "éé… (6 bytes in all)");
        assert_eq!(
            cut(&"x".repeat(1 << 20), 200).len(),
            200 + "… (1048576 bytes in all)".len()
        );
    }

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
    fn invisible_format_characters_are_shown() {
        // "hi" in tag characters, a soft hyphen, Hangul fillers, a Mongolian
        // variation selector, an Arabic number sign: each drew nothing.
        let hidden = "a\u{e0068}\u{e0069}b\u{ad}c\u{3164}\u{115f}\u{ffa0}d\u{180b}e\u{600}f";
        let s = safe(hidden);
        assert_eq!(s.chars().count(), hidden.chars().count());
        assert_eq!(
            s,
            "a\u{fffd}\u{fffd}b\u{fffd}c\u{fffd}\u{fffd}\u{fffd}d\u{fffd}e\u{fffd}f"
        );
        // Emoji and ideographic variation selectors stay with their character.
        assert_eq!(
            safe("\u{2764}\u{fe0f} \u{845b}\u{e0100}"),
            "\u{2764}\u{fe0f} \u{845b}\u{e0100}"
        );
    }

    #[test]
    fn json_keeps_its_meaning_without_raw_controls() {
        let v = serde_json::json!({ "t": "a\u{9b}2J\u{202e}b\u{2028}c\u{e0068}d\u{1b}e é" });
        let s = json_safe(v.to_string());
        assert!(s.chars().all(|c| c.is_ascii() || c == 'é'), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
        assert_eq!(safe_lines("a\u{1b}]0;x\u{7}\nb\tc"), "a␛]0;x␇\nb\tc");
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
