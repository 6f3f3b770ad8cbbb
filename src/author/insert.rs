//! Records put into a store's text: after the last item of a list, in
//! the list's own indentation, or in a new list when the store lacks it;
//! the text around them byte for byte.

use super::outline::{List, Outline};

/// One insertion: at a byte offset of the original text.
pub(super) type Insert = (usize, String);

/// A list the store lacks: its name and how to write its record.
pub(super) type Absent<'r> = (&'static str, Box<dyn Fn(&str, &str) -> String + 'r>);

/// The text with each insertion made at its offset of the original.
pub(super) fn splice(text: &str, mut edits: Vec<Insert>) -> String {
    edits.sort_by_key(|(at, _)| *at);
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|(_, s)| s.len()).sum::<usize>());
    let mut from = 0;
    for (at, s) in edits {
        out.push_str(&text[from..at]);
        out.push_str(&s);
        from = at;
    }
    out.push_str(&text[from..]);
    out
}

/// The spaces before `at` on its line, when only spaces precede it.
fn indent_at(text: &str, at: usize) -> Option<&str> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let s = &text[start..at];
    s.chars().all(|c| c == ' ' || c == '\t').then_some(s)
}

/// Adds a record to the list `name` (as `append` does), or notes that
/// the list is absent so that it is created.
pub(super) fn place_in_list<'r>(
    text: &str,
    o: &Outline,
    name: &'static str,
    nl: &str,
    record: impl Fn(&str, &str) -> String + 'r,
    edits: &mut Vec<Insert>,
    absent: &mut Vec<Absent<'r>>,
) {
    match o.list(name) {
        Some(list) => edits.push(append(text, list, nl, &record)),
        None => absent.push((name, Box::new(record))),
    }
}

/// The insertion that adds a record as the last item of `list`, indented
/// as the items before it, right after the last one (what follows it,
/// comments and blank lines, stays as it was). `record(indent, unit)`
/// gives the record's text for its indentation and the store's unit.
pub(super) fn append(
    text: &str,
    list: &List,
    nl: &str,
    record: &dyn Fn(&str, &str) -> String,
) -> Insert {
    let field = leading_space(text, list.open);
    let flat = !text[list.open..list.close].contains('\n');
    let Some(last) = &list.last_item else {
        let unit = if field.is_empty() {
            "    ".to_string()
        } else {
            unit_of(&field)
        };
        let indent = format!("{field}{unit}");
        let rec = record(&indent, &unit);
        let tail = if flat {
            format!("{nl}{field}")
        } else {
            String::new()
        };
        return (list.open + 1, format!("{nl}{indent}{rec},{tail}"));
    };
    let rest = &text[last.end..];
    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let comma = rest[gap..].starts_with(',');
    if flat {
        let rec = record("", "");
        return (last.end, format!(", {rec}"));
    }
    let indent = indent_at(text, last.start).map_or_else(|| format!("{field}    "), str::to_string);
    let unit = indent
        .strip_prefix(field.as_str())
        .filter(|u| !u.is_empty())
        .map_or_else(|| "    ".to_string(), str::to_string);
    let rec = record(&indent, &unit);
    if comma {
        (last.end + gap + 1, format!("{nl}{indent}{rec},"))
    } else {
        (last.end, format!(",{nl}{indent}{rec}"))
    }
}

/// The whitespace that starts the line holding `at`.
fn leading_space(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..at];
    line[..line.len() - line.trim_start_matches([' ', '\t']).len()].to_string()
}

/// One level of indentation, guessed from a line's indentation: a tab if
/// it is made of tabs, else its own width up to four spaces.
fn unit_of(indent: &str) -> String {
    if indent.starts_with('\t') {
        "\t".into()
    } else {
        " ".repeat(indent.len().clamp(2, 4))
    }
}

/// Lists the store lacks, made before its closing parenthesis.
pub(super) fn new_lists(
    text: &str,
    o: &Outline,
    nl: &str,
    absent: &[Absent<'_>],
) -> Result<Insert, String> {
    let (end, comma) = before_top_close(text, o)?;
    let mut s = comma.to_string();
    for (name, record) in absent {
        let rec = record("        ", "    ");
        s.push_str(&format!("{nl}    {name}: [{nl}        {rec},{nl}    ],"));
    }
    Ok((end, s))
}

/// Where new top-level fields go: after the last non-space before the
/// store's closing parenthesis, with the comma they need there.
pub(super) fn before_top_close(text: &str, o: &Outline) -> Result<(usize, &'static str), String> {
    let close = o
        .top_close
        .ok_or("the store's closing parenthesis was not found")?;
    let before = text[..close].trim_end();
    let comma = if before.ends_with(',') || before.ends_with('(') {
        ""
    } else {
        ","
    };
    Ok((before.len(), comma))
}

/// The store's line ending: CRLF when it has any, so a CRLF store keeps it.
pub(super) fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}
