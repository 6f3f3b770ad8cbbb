//! The shape of a store's text, found without parsing it: where its
//! lists open and close, so records can be added and nothing else moved.

/// Byte offsets that matter in a store's text: the top-level parentheses
/// and the `sources` list's brackets, found by a scan that skips strings,
/// raw strings and comments.
#[derive(Debug, Default)]
pub(super) struct Outline {
    pub top_close: Option<usize>,
    pub sources: Option<(usize, usize)>,
}

pub(super) fn outline(text: &str) -> Outline {
    let b = text.as_bytes();
    let mut out = Outline::default();
    let mut depth = 0usize;
    let mut i = 0;
    let mut last_ident: Option<(usize, usize)> = None;
    let mut sources_open: Option<usize> = None;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // RON block comments nest.
                let mut nest = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        nest += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        nest -= 1;
                        i += 2;
                        if nest == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'r' if matches!(b.get(i + 1), Some(b'#') | Some(b'"'))
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) == Some(&b'"') {
                    let close = format!("\"{}", "#".repeat(hashes));
                    i = text[j + 1..]
                        .find(&close)
                        .map_or(b.len(), |k| j + 1 + k + close.len());
                    continue;
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                continue;
            }
            b'(' | b'[' => {
                depth += 1;
                if b[i] == b'[' && depth == 2 {
                    let name = last_ident.map(|(s, e)| &text[s..e]);
                    if name == Some("sources") {
                        sources_open = Some(i);
                    }
                }
            }
            b')' | b']' => {
                if b[i] == b']'
                    && depth == 2
                    && let Some(open) = sources_open.take()
                {
                    out.sources = Some((open, i));
                }
                if depth == 1 && b[i] == b')' {
                    out.top_close = Some(i);
                }
                depth = depth.saturating_sub(1);
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                if depth == 1 {
                    last_ident = Some((start, i));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}
