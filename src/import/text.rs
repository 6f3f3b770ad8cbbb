//! Text out of other tools' HTML: tags removed, entities decoded, one-line
//! fields and first sentences. Linear in the text's length.

/// Text from HTML: tags removed (block ends become line breaks), entities
/// decoded, spaces collapsed within lines.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        match after.find('>') {
            Some(gt) => {
                let tag = after[1..gt]
                    .trim_start_matches('/')
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if matches!(
                    tag.as_str(),
                    "p" | "br"
                        | "div"
                        | "blockquote"
                        | "li"
                        | "ul"
                        | "ol"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "tr"
                ) {
                    out.push('\n');
                }
                rest = &after[gt + 1..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        // An entity is short: look for its `;` in the next few bytes only
        // (a search of the whole rest made text of `&` alone quadratic).
        let end = after.as_bytes()[..after.len().min(11)]
            .iter()
            .position(|&c| c == b';');
        let decoded = end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                n if n.starts_with("#x") || n.starts_with("#X") => {
                    char::from_u32(u32::from_str_radix(&n[2..], 16).ok()?)?
                }
                n if n.starts_with('#') => char::from_u32(n[1..].parse().ok()?)?,
                _ => return None,
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text on one line: line breaks (`<br>`, paragraphs) become spaces.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first sentence of a text: up to the first `.`, `!` or `?` followed
/// by a space, or the end of its first line. Verbatim (a slice of it).
pub(super) fn first_sentence(text: &str) -> &str {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '…') {
            // Closing quotes and brackets belong to the sentence.
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = chars.peek() {
                if !matches!(n, '"' | '\'' | '”' | '’' | ')' | ']' | '»') {
                    break;
                }
                end = j + n.len_utf8();
                chars.next();
            }
            if chars.peek().is_none_or(|&(_, n)| n.is_whitespace()) {
                return &line[..end];
            }
        }
    }
    line
}

/// A title from a sentence: at most 160 characters, cut at a space with
/// "…" when longer.
pub(super) fn title_from(sentence: &str) -> String {
    const MAX: usize = 160;
    if sentence.chars().count() <= MAX {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > MAX / 2 => &cut[..at],
        _ => &cut[..],
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentences_and_one_line_titles() {
        assert_eq!(first_sentence("A vote. It is close."), "A vote.");
        assert_eq!(first_sentence("“We go.” — the chair. More."), "“We go.”");
        assert_eq!(
            first_sentence("\n  No stop here\nnext line"),
            "No stop here"
        );
        assert_eq!(first_sentence("3.5 tons moved. Then"), "3.5 tons moved.");
        assert_eq!(one_line("a\nb  c"), "a b c");
        let long = "word ".repeat(60);
        let t = title_from(long.trim());
        assert!(t.ends_with('…') && t.chars().count() <= 161, "{t}");
        assert_eq!(html_to_text("A<br/>B<br />C<br>D"), "A\nB\nC\nD");
    }
}
