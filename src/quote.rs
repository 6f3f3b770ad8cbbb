//! Finding a quote verbatim in its article. Runs of whitespace may differ
//! (a quote copied across a line break), nothing else: typographic quotes and
//! apostrophes must match as written.

use std::ops::Range;

/// The byte range of `quote` in `text`, if it occurs there.
pub fn find_quote(text: &str, quote: &str) -> Option<Range<usize>> {
    let collapsed = std::cell::OnceCell::new();
    find_quote_in(
        text,
        || collapsed.get_or_init(|| Collapsed::new(text)),
        quote,
    )
}

/// The byte range of `quote` in `text`; `collapsed` gives `text` with its
/// whitespace collapsed, asked for only when the quote is not there
/// verbatim, so callers can build it once per article, not once per quote.
pub fn find_quote_in<'c>(
    text: &str,
    collapsed: impl FnOnce() -> &'c Collapsed,
    quote: &str,
) -> Option<Range<usize>> {
    let quote = quote.trim();
    if quote.is_empty() {
        return None;
    }
    if let Some(start) = memchr::memmem::find(text.as_bytes(), quote.as_bytes()) {
        return Some(start..start + quote.len());
    }
    let norm_quote = Collapsed::new(quote).text;
    let c = collapsed();
    let start = memchr::memmem::find(c.text.as_bytes(), norm_quote.as_bytes())?;
    let end = start + norm_quote.len();
    // The quote is trimmed, so it ends in a non-space, whose bytes map 1:1.
    Some(c.to_original(start)..c.to_original(end - 1) + 1)
}

/// A text with every run of whitespace replaced by one space, and where
/// its bytes came from: a list of the points where the offset between the
/// two changes (after a run longer than one byte), not one entry per byte.
pub struct Collapsed {
    text: String,
    /// (offset in `text`, offset in the original) from which bytes map 1:1.
    shifts: Vec<(usize, usize)>,
}

impl Collapsed {
    pub fn new(text: &str) -> Self {
        let mut out = String::with_capacity(text.len());
        let mut shifts = vec![(0, 0)];
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !c.is_whitespace() {
                out.push(c);
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek().filter(|(_, d)| d.is_whitespace()) {
                end = j + d.len_utf8();
                chars.next();
            }
            out.push(' ');
            if end - i != 1 {
                // The space stands for bytes i..end: the next byte is `end`.
                shifts.push((out.len() - 1, i));
                shifts.push((out.len(), end));
            }
        }
        Collapsed { text: out, shifts }
    }

    /// The original byte offset of byte `i` of the collapsed text.
    fn to_original(&self, i: usize) -> usize {
        let k = self.shifts.partition_point(|&(n, _)| n <= i) - 1;
        let (n, o) = self.shifts[k];
        o + (i - n)
    }
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
    fn collapsed_text_maps_back_to_the_original() {
        let text = "a  b\u{a0}c\n\n d e";
        let c = Collapsed::new(text);
        assert_eq!(c.text, "a b c d e");
        for (i, want) in [
            (0, 0),
            (1, 1),
            (2, 3),
            (3, 4),
            (4, 6),
            (5, 7),
            (6, 10),
            (8, 12),
        ] {
            assert_eq!(c.to_original(i), want, "byte {i}");
        }
    }

    #[test]
    fn ranges_land_on_char_boundaries_with_multibyte_text() {
        let text = "Niger’s  décision — été";
        let r = find_quote(text, "Niger’s décision — été").unwrap();
        assert_eq!(&text[r], text);
    }
}
