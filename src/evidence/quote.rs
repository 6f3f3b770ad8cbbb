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
    if let Some(start) = find_first(text.as_bytes(), quote.as_bytes()) {
        return Some(start..start + quote.len());
    }
    let norm_quote = Collapsed::new(quote).text;
    let c = collapsed();
    let start = find_first(c.text.as_bytes(), norm_quote.as_bytes())?;
    let end = start + norm_quote.len();
    // The quote is trimmed, so it ends in a non-space, whose bytes map 1:1.
    Some(c.to_original(start)..c.to_original(end - 1) + 1)
}

/// Places where a needle's first two bytes occur that are compared in full
/// before `find_first` hands over to a full substring search.
const QUICK_TRIES: usize = 8;

/// The first start of `needle` in `hay`. A quote usually stands at one of
/// the first places its first two bytes occur, so those are compared
/// first: setting up a full substring search costs more than searching a
/// whole article. After a few failed comparisons it hands over to one
/// (memmem), so the work stays linear in the article and the quote.
fn find_first(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let [first, second, ..] = *needle else {
        return memchr::memmem::find(hay, needle);
    };
    let mut tries = 0;
    for at in memchr::memchr_iter(first, hay) {
        if hay.get(at + 1) != Some(&second) {
            continue;
        }
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        tries += 1;
        if tries == QUICK_TRIES {
            return memchr::memmem::find(&hay[at..], needle).map(|i| at + i);
        }
    }
    None
}

/// Where each of many quotes stands in one article, in one pass over it
/// (Aho-Corasick) rather than one per quote: a long article quoted a
/// hundred thousand times costs its length plus the quotes', not their
/// product. Quotes not there verbatim get a second pass over the article
/// with whitespace collapsed.
pub fn find_many<'c>(
    text: &str,
    collapsed: impl FnOnce() -> &'c Collapsed,
    quotes: &[&str],
) -> Vec<Option<Range<usize>>> {
    let trimmed: Vec<&str> = quotes.iter().map(|q| q.trim()).collect();
    let mut out = vec![None; quotes.len()];
    let exact = first_matches(text, &trimmed);
    let mut missing = Vec::new();
    for (i, q) in trimmed.iter().enumerate() {
        match exact[i] {
            _ if q.is_empty() => {}
            Some(start) => out[i] = Some(start..start + q.len()),
            None => missing.push(i),
        }
    }
    if missing.is_empty() {
        return out;
    }
    let c = collapsed();
    let norm: Vec<String> = missing
        .iter()
        .map(|&i| Collapsed::new(trimmed[i]).text)
        .collect();
    let norm_refs: Vec<&str> = norm.iter().map(String::as_str).collect();
    let found = first_matches(&c.text, &norm_refs);
    for (k, &i) in missing.iter().enumerate() {
        if let Some(start) = found[k] {
            let end = start + norm[k].len();
            out[i] = Some(c.to_original(start)..c.to_original(end - 1) + 1);
        }
    }
    out
}

/// The first start of each non-empty pattern in `hay`, in one pass.
fn first_matches(hay: &str, patterns: &[&str]) -> Vec<Option<usize>> {
    // Equal patterns share one entry of the automaton.
    let mut unique: Vec<&str> = Vec::new();
    let mut slot: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    let ids: Vec<Option<usize>> = patterns
        .iter()
        .map(|p| {
            (!p.is_empty()).then(|| {
                *slot.entry(p).or_insert_with(|| {
                    unique.push(p);
                    unique.len() - 1
                })
            })
        })
        .collect();
    let mut first: Vec<Option<usize>> = vec![None; unique.len()];
    match aho_corasick::AhoCorasick::new(&unique) {
        Ok(ac) => {
            let mut left = unique.len();
            for m in ac.find_overlapping_iter(hay) {
                let p = m.pattern().as_usize();
                if first[p].is_none() {
                    // Matches come in order of where they end: for one
                    // pattern, the first reported is the leftmost.
                    first[p] = Some(m.start());
                    left -= 1;
                    if left == 0 {
                        break;
                    }
                }
            }
        }
        // Patterns too many for an automaton: one search each, as before.
        Err(_) => {
            for (p, pat) in unique.iter().enumerate() {
                first[p] = memchr::memmem::find(hay.as_bytes(), pat.as_bytes());
            }
        }
    }
    ids.into_iter()
        .map(|id| id.and_then(|p| first[p]))
        .collect()
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
    fn many_quotes_in_one_pass_agree_with_one_at_a_time() {
        let text = "The junta  ordered\nthe   troops out. The troops left. “Ours” stay.";
        let quotes = [
            "ordered the troops out",
            "The troops left.",
            "The troops left.",
            "troops",
            "“Ours” stay",
            "\"Ours\" stay",
            "not there",
            "  ",
            "left. “Ours”",
        ];
        let collapsed = Collapsed::new(text);
        let many = find_many(text, || &collapsed, &quotes);
        let one: Vec<_> = quotes.iter().map(|q| find_quote(text, q)).collect();
        assert_eq!(many, one);
        assert_eq!(&text[many[0].clone().unwrap()], "ordered\nthe   troops out");
        assert_eq!(
            many[3],
            Some(text.find("troops").unwrap()..text.find("troops").unwrap() + 6)
        );
    }

    #[test]
    fn quick_search_agrees_with_memmem() {
        // Many near misses (past QUICK_TRIES) before the match, none, one
        // at the very end, and needles of one and two bytes.
        let near = "ab ".repeat(40);
        let cases: Vec<(String, &str)> = vec![
            (format!("{near}abc"), "abc"),
            (near.clone(), "abc"),
            (format!("x{near}"), "ab "),
            ("aaaaaaaaaaaaaaaaaaab".into(), "aaab"),
            ("aaaaaaaaaaaaaaaaaaaa".into(), "aaab"),
            ("xyz".into(), "z"),
            ("xyz".into(), "yz"),
            ("xy".into(), "xyz"),
            ("".into(), "a"),
        ];
        for (hay, needle) in &cases {
            assert_eq!(
                find_first(hay.as_bytes(), needle.as_bytes()),
                memchr::memmem::find(hay.as_bytes(), needle.as_bytes()),
                "{needle:?} in {hay:?}"
            );
        }
        assert_eq!(find_first(b"ab ab abc", b"abc"), Some(6));
    }

    proptest::proptest! {
        #[test]
        fn quick_search_agrees_with_memmem_on_small_alphabets(
            hay in "[ab ]{0,200}",
            needle in "[ab ]{1,8}",
        ) {
            proptest::prop_assert_eq!(
                find_first(hay.as_bytes(), needle.as_bytes()),
                memchr::memmem::find(hay.as_bytes(), needle.as_bytes())
            );
        }
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
