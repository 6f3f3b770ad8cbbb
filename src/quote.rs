//! Finding a quote verbatim in its article. Runs of whitespace may differ
//! (a quote copied across a line break), nothing else: typographic quotes and
//! apostrophes must match as written.

use std::ops::Range;

/// The byte range of `quote` in `text`, if it occurs there.
pub fn find_quote(text: &str, quote: &str) -> Option<Range<usize>> {
    let quote = quote.trim();
    if quote.is_empty() {
        return None;
    }
    if let Some(start) = memchr::memmem::find(text.as_bytes(), quote.as_bytes()) {
        return Some(start..start + quote.len());
    }
    let (norm_text, map) = collapse_whitespace(text);
    let (norm_quote, _) = collapse_whitespace(quote);
    let start = norm_text.find(&norm_quote)?;
    let end = start + norm_quote.len();
    // `map[i]` is the original byte offset of normalized byte `i`; the end maps
    // to just after the original bytes of the last normalized character.
    let orig_last = map[end - 1];
    let orig_end = orig_last + text[orig_last..].chars().next().map_or(1, char::len_utf8);
    Some(map[start]..orig_end)
}

/// `text` with every run of whitespace replaced by one space, and for each
/// byte of the result the byte offset it came from.
fn collapse_whitespace(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
                map.push(i);
            }
            in_space = true;
        } else {
            in_space = false;
            let before = out.len();
            out.push(c);
            map.extend(std::iter::repeat_n(i, out.len() - before));
        }
    }
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_exact_quotes() {
        let text = "Alpha beta.\nGamma “delta” epsilon.";
        let r = find_quote(text, "Gamma “delta”").unwrap();
        assert_eq!(&text[r], "Gamma “delta”");
    }

    #[test]
    fn tolerates_different_whitespace_only() {
        let text = "The junta  ordered\nthe   troops out.";
        let r = find_quote(text, "ordered the troops out").unwrap();
        assert_eq!(&text[r], "ordered\nthe   troops out");
        // Straight quotes do not match typographic ones.
        assert!(find_quote("they “always” do", "they \"always\" do").is_none());
        assert!(find_quote(text, "ordered the soldiers out").is_none());
        assert!(find_quote(text, "   ").is_none());
    }

    #[test]
    fn ranges_land_on_char_boundaries_with_multibyte_text() {
        let text = "Niger’s  décision — été";
        let r = find_quote(text, "Niger’s décision — été").unwrap();
        assert_eq!(&text[r], text);
    }
}
