//! Store text as drawn: everything from a store goes through `safe`
//! (`crate::io::safe`, re-exported here) so control characters, escape
//! sequences, bidi overrides and zero-width characters become visible,
//! harmless characters, one for one, and match positions stay valid. Also:
//! highlighting, width-aware truncation, wrapping.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::Span;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

pub use crate::io::safe::{safe, safe_char};

/// Display width of one grapheme as drawn, measured as ratatui's buffer
/// measures it (so "❤\u{fe0f}" is two columns, "e\u{301}" one).
fn grapheme_width(g: &str) -> usize {
    if g.chars().all(|c| safe_char(c) == c) {
        g.width()
    } else {
        g.chars().map(safe_char).collect::<String>().width()
    }
}

/// Display width of `s` as drawn.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// `s` made safe and cut to `max` columns, with "…" when cut. One pass,
/// stopping at the cut, so a huge string costs no more than a short one.
pub fn fit(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    // Where the text would end if an ellipsis has to follow it.
    let mut cut: Option<usize> = None;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        if cut.is_none() && used + w + 1 > max {
            cut = Some(out.len());
        }
        if used + w > max {
            out.truncate(cut.unwrap_or(out.len()));
            if max > 0 {
                out.push('…');
            }
            return out;
        }
        out.extend(g.chars().map(safe_char));
        used += w;
    }
    out
}

/// Spans of `s` (made safe) in which the chars at `positions` (char
/// indices, ascending) are drawn with `hl`, the rest with `base`. A
/// grapheme is highlighted whole when any of its chars is: a span must not
/// start with a combining mark, which would be lost.
pub fn highlighted(s: &str, positions: &[usize], base: Style, hl: Style) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut cur = String::new();
    let mut cur_hl = false;
    let mut next = positions.iter().peekable();
    let mut i = 0; // char index of the grapheme's first char
    for g in s.graphemes(true) {
        let n = g.chars().count();
        while next.peek().is_some_and(|&&p| p < i) {
            next.next();
        }
        let is_hl = next.peek().is_some_and(|&&p| p < i + n);
        if is_hl != cur_hl && !cur.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut cur),
                if cur_hl { hl } else { base },
            ));
        }
        cur_hl = is_hl;
        cur.extend(g.chars().map(safe_char));
        i += n;
    }
    if !cur.is_empty() {
        spans.push(Span::styled(cur, if cur_hl { hl } else { base }));
    }
    spans
}

/// Spans of `text[range]` (made safe) with the parts inside any of `marks`
/// (byte ranges of `text`) drawn with `hl`.
pub fn marked(
    text: &str,
    range: Range<usize>,
    marks: &[Range<usize>],
    base: Style,
    hl: Style,
) -> Vec<Span<'static>> {
    layered(text, range, &[(marks, hl)], base)
}

/// Spans of `text[range]` (made safe), each part styled by the last layer
/// whose ranges cover it, or `base`.
pub fn layered(
    text: &str,
    range: Range<usize>,
    layers: &[(&[Range<usize>], Style)],
    base: Style,
) -> Vec<Span<'static>> {
    // Only the marks on this line, widened to whole graphemes: a mark that
    // begins or ends inside one (a quote starting with a combining accent)
    // must not cut it in two, or the accent is drawn alone or lost.
    let bounds = grapheme_bounds(text, range.clone());
    let snap = |m: &Range<usize>| match &bounds {
        None => m.clone(),
        Some(b) => {
            let start = if m.start > range.start {
                b[b.partition_point(|&x| x <= m.start) - 1]
            } else {
                m.start
            };
            let end = if m.end < range.end {
                b[b.partition_point(|&x| x < m.end)]
            } else {
                m.end
            };
            start..end
        }
    };
    let own: Vec<(Vec<Range<usize>>, Style)> = layers
        .iter()
        .map(|(marks, st)| {
            let on_line = marks
                .iter()
                .filter(|m| m.start < range.end && m.end > range.start)
                .map(snap);
            (on_line.collect(), *st)
        })
        .collect();
    let layers: Vec<(&[Range<usize>], Style)> = own.iter().map(|(m, st)| (&m[..], *st)).collect();
    let layers = &layers[..];
    let mut spans = Vec::new();
    let mut pos = range.start;
    let mut cuts: Vec<usize> = layers
        .iter()
        .flat_map(|(marks, _)| marks.iter().flat_map(|m| [m.start, m.end]))
        .filter(|&p| p > range.start && p < range.end)
        .collect();
    cuts.push(range.end);
    cuts.sort_unstable();
    cuts.dedup();
    for cut in cuts {
        if cut <= pos {
            continue;
        }
        let style = layers
            .iter()
            .rev()
            .find(|(marks, _)| marks.iter().any(|m| m.start <= pos && pos < m.end))
            .map_or(base, |(_, st)| *st);
        if let Some(piece) = text.get(pos..cut) {
            spans.push(Span::styled(safe(piece), style));
        }
        pos = cut;
    }
    spans
}

/// The byte offsets where graphemes of `text[range]` begin, and its end;
/// None when the slice is ASCII (every byte is a grapheme).
fn grapheme_bounds(text: &str, range: Range<usize>) -> Option<Vec<usize>> {
    let slice = text.get(range.clone())?;
    if slice.is_ascii() {
        return None;
    }
    let mut b: Vec<usize> = slice
        .grapheme_indices(true)
        .map(|(i, _)| range.start + i)
        .collect();
    b.push(range.end);
    Some(b)
}

/// Wraps `text` to `width` columns: byte ranges of the lines, breaking at
/// spaces where it can and at newlines always. Wide chars never straddle.
pub fn wrap(text: &str, width: usize) -> Vec<Range<usize>> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for para in split_paragraphs(text) {
        let mut start = para.start;
        let mut used = 0;
        let mut last_space: Option<usize> = None;
        let graphemes: Box<dyn Iterator<Item = (usize, &str)>> = if text[para.clone()].is_ascii() {
            // Every ASCII char is its own grapheme, one column wide as drawn
            // (controls become one-column pictures): skip segmentation.
            let p = &text[para.clone()];
            Box::new((0..p.len()).map(move |i| (i, &p[i..i + 1])))
        } else {
            Box::new(text[para.clone()].grapheme_indices(true))
        };
        for (at, g) in graphemes {
            let i = para.start + at;
            let w = if g.len() == 1 { 1 } else { grapheme_width(g) };
            if used + w > width && i > start {
                let cut = match last_space {
                    Some(sp) if sp > start => sp + 1,
                    _ => i,
                };
                lines.push(start..cut);
                start = cut;
                used = self::width(&text[start..i]);
                last_space = None;
            }
            if g == " " {
                last_space = Some(i);
            }
            used += w;
        }
        lines.push(start..para.end);
    }
    lines
}

fn split_paragraphs(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let r = start..start + line.len();
        start = r.end + 1;
        r
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_respects_wide_chars() {
        assert_eq!(fit("北京欢迎你", 5), "北京…");
        assert_eq!(width(&fit("北京欢迎你", 5)), 5);
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("abcdef", 4), "abc…");
    }

    #[test]
    fn widths_are_measured_by_grapheme_as_ratatui_draws_them() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        for s in [
            "❤\u{fe0f} love",
            "e\u{301}te\u{301}",
            "1\u{fe0f}\u{20e3} keycap",
            "🇫🇷 flag",
            "👨\u{200d}👩\u{200d}👧 family",
            "北京 and 🙂",
            "\u{301}leading mark",
            "a\u{1b}[2Jb\u{200b}c",
        ] {
            let mut buf = Buffer::empty(Rect::new(0, 0, 80, 1));
            let end = buf.set_stringn(0, 0, safe(s), 80, Style::new());
            assert_eq!(width(s), end.0 as usize, "{s:?}");
            for max in 0..width(s) {
                let cut = fit(s, max);
                assert!(width(&cut) <= max, "{s:?} cut to {max}: {cut:?}");
            }
        }
        assert_eq!(fit("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
    }

    #[test]
    fn highlights_the_given_chars() {
        let hl = Style::new().bold();
        let spans = highlighted("Russia", &[0, 1, 2, 3], Style::new(), hl);
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].content, "Russ");
        assert_eq!(spans[0].style, hl);
        assert_eq!(spans[1].content, "ia");
    }

    #[test]
    fn marks_byte_ranges() {
        let text = "one two three";
        let hl = Style::new().bold();
        let spans = marked(
            text,
            0..text.len(),
            std::slice::from_ref(&(4..7)),
            Style::new(),
            hl,
        );
        let parts: Vec<(&str, bool)> = spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style == hl))
            .collect();
        assert_eq!(parts, [("one ", false), ("two", true), (" three", false)]);
    }

    fn parts<'a>(spans: &'a [Span<'static>], hl: Style) -> Vec<(&'a str, bool)> {
        spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style == hl))
            .collect()
    }

    /// One mark (clippy reads `[a..b]` as a likely typo for a range).
    fn one(r: Range<usize>) -> Vec<Range<usize>> {
        vec![r]
    }

    #[test]
    fn marks_never_split_a_grapheme() {
        // "Cafe\u{301} noir": the accent (bytes 4..6) belongs to the e.
        let text = "Cafe\u{301} noir";
        let hl = Style::new().bold();
        let whole = 0..text.len();
        // A mark starting on the accent takes the whole é.
        let spans = marked(text, whole.clone(), &one(4..10), Style::new(), hl);
        assert_eq!(
            parts(&spans, hl),
            [("Caf", false), ("e\u{301} noi", true), ("r", false)]
        );
        // A mark ending on the accent takes it too.
        let spans = marked(text, whole.clone(), &one(0..4), Style::new(), hl);
        assert_eq!(parts(&spans, hl), [("Cafe\u{301}", true), (" noir", false)]);
        // The layer on top still wins where both cover a grapheme.
        let top = Style::new().italic();
        let spans = layered(
            text,
            whole,
            &[(&one(0..11), hl), (&one(5..6), top)],
            Style::new(),
        );
        let styled: Vec<(&str, Style)> = spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style))
            .collect();
        assert_eq!(styled, [("Caf", hl), ("e\u{301}", top), (" noir", hl)]);
        // Marks off the drawn line are ignored; on a later line they count.
        let spans = marked(text, 6..text.len(), &[0..4, 7..9], Style::new(), hl);
        assert_eq!(
            parts(&spans, hl),
            [(" ", false), ("no", true), ("ir", false)]
        );
    }

    #[test]
    fn wraps_at_spaces_and_newlines() {
        let text = "aaa bbb ccc\ndd";
        let lines: Vec<&str> = wrap(text, 7).into_iter().map(|r| &text[r]).collect();
        assert_eq!(lines, ["aaa ", "bbb ccc", "dd"]);
        let cjk = "北京欢迎你";
        let lines: Vec<&str> = wrap(cjk, 5).into_iter().map(|r| &cjk[r]).collect();
        assert_eq!(lines, ["北京", "欢迎", "你"]);
    }
}
