//! The shape of a store's text, found without parsing it: where its
//! lists open and close, so records can be added and nothing else moved.

use std::ops::Range;

/// A list in the text: its brackets and the byte range of its last item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct List {
    pub open: usize,
    pub close: usize,
    pub last_item: Option<Range<usize>>,
}

/// A record of the `events` list: its id's literal and its evidence list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct EventItem {
    pub id: Option<Range<usize>>,
    pub evidence: Option<List>,
}

/// Byte offsets that matter in a store's text: the top-level parentheses,
/// its lists by field name and the records of `events`, found by a scan
/// that skips strings, raw strings and comments.
#[derive(Debug, Default)]
pub(super) struct Outline {
    pub top_close: Option<usize>,
    pub lists: Vec<(String, List)>,
    pub events: Vec<EventItem>,
}

impl Outline {
    pub fn list(&self, name: &str) -> Option<&List> {
        self.lists.iter().find(|(n, _)| n == name).map(|(_, l)| l)
    }
}

/// An open bracket or parenthesis while scanning.
struct Frame {
    open: usize,
    name: Option<Range<usize>>,
    last_item: Option<Range<usize>>,
    event: Option<EventItem>,
}

/// What the scan meets, besides comments and spaces.
enum Token {
    Open(usize),
    Close(usize),
    Str(Range<usize>),
    Ident(Range<usize>),
}

pub(super) fn outline(text: &str) -> Outline {
    let mut out = Outline::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut pending: Option<Range<usize>> = None;
    let name_is =
        |r: &Option<Range<usize>>, s: &str| r.as_ref().is_some_and(|r| &text[r.clone()] == s);
    scan(text, |tok| match tok {
        Token::Ident(r) => pending = Some(r),
        Token::Str(r) => {
            let name = pending.take();
            if let Some(f) = stack.last_mut() {
                f.last_item = Some(r.clone());
                if let Some(ev) = f.event.as_mut().filter(|_| name_is(&name, "id")) {
                    ev.id = Some(r);
                }
            }
        }
        Token::Open(at) => {
            let name = pending.take();
            // A record directly in the top-level `events` list.
            let in_events = stack.len() == 2 && name_is(&stack[1].name, "events");
            let event = (in_events && text.as_bytes()[at] == b'(').then(EventItem::default);
            stack.push(Frame {
                open: at,
                name,
                last_item: None,
                event,
            });
        }
        Token::Close(at) => {
            pending = None;
            let Some(f) = stack.pop() else { return };
            let list = List {
                open: f.open,
                close: at,
                last_item: f.last_item,
            };
            match stack.len() {
                0 => out.top_close = Some(at),
                1 if text.as_bytes()[at] == b']' => {
                    if let Some(n) = &f.name {
                        out.lists.push((text[n.clone()].to_string(), list));
                    }
                }
                3 if name_is(&f.name, "evidence") => {
                    if let Some(ev) = stack[2].event.as_mut() {
                        ev.evidence = Some(list);
                    }
                }
                _ => {}
            }
            if let Some(ev) = f.event {
                out.events.push(ev);
            }
            if let Some(parent) = stack.last_mut() {
                parent.last_item = Some(f.open..at + 1);
            }
        }
    });
    out
}

/// Calls `f` with each bracket, string and identifier of `text`, in order.
fn scan(text: &str, mut f: impl FnMut(Token)) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = block_comment_end(b, i);
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
                    let end = text[j + 1..]
                        .find(&close)
                        .map_or(b.len(), |k| j + 1 + k + close.len());
                    f(Token::Str(i..end));
                    i = end;
                    continue;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                f(Token::Str(start..i));
                continue;
            }
            b'(' | b'[' => f(Token::Open(i)),
            b')' | b']' => f(Token::Close(i)),
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                f(Token::Ident(start..i));
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// Where the block comment opening at `i` ends (RON block comments nest).
fn block_comment_end(b: &[u8], mut i: usize) -> usize {
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
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_events_ids_and_evidence_are_found_past_strings_and_comments() {
        let text = "// events: [ not this\n(\n meta: (title: \"a ] b\"),\n /* (nested /* ] */) */ events: [\n  (id: \"e1\", evidence: [(source: \"s\", quote: r#\"x \"] y\"#)]),\n  (id: \"e2\", evidence: []),\n  // ] no\n ],\n)\n";
        let o = outline(text);
        assert_eq!(o.top_close, Some(text.rfind(')').unwrap()));
        let events = o.list("events").unwrap();
        assert_eq!(
            &text[events.open..=events.close],
            &text[text.find("[\n  (id").unwrap()..text.rfind(']').unwrap() + 1]
        );
        assert_eq!(
            &text[events.last_item.clone().unwrap()],
            "(id: \"e2\", evidence: [])"
        );
        let ids: Vec<&str> = o
            .events
            .iter()
            .map(|e| &text[e.id.clone().unwrap()])
            .collect();
        assert_eq!(ids, ["\"e1\"", "\"e2\""]);
        let ev = o.events[0].evidence.as_ref().unwrap();
        assert_eq!(
            &text[ev.last_item.clone().unwrap()],
            "(source: \"s\", quote: r#\"x \"] y\"#)"
        );
        assert_eq!(o.events[1].evidence.as_ref().unwrap().last_item, None);
        assert!(o.list("meta").is_none(), "a record is not a list");
    }

    #[test]
    fn an_unclosed_string_or_bracket_does_not_panic() {
        for text in [
            "(events: [\"abc",
            "(events: [(id: r#\"x",
            "))]]",
            "(/* /* */",
            "\\",
        ] {
            let _ = outline(text);
        }
    }
}
