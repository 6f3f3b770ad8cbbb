//! Positions for semantic problems. serde gives no spans, so after a store
//! has parsed, a light scan of its text outlines where each item, field and
//! string literal stands. Only used when there is something to report.

use std::collections::HashMap;

/// Bytes between two char-count checkpoints.
const CHECKPOINT: usize = 4096;

struct Field {
    name: String,
    pos: usize,
    /// Byte ranges of the string literals in the field, quotes included.
    strings: Vec<(usize, usize)>,
}

struct Item {
    pos: usize,
    fields: Vec<Field>,
}

pub struct Locator<'a> {
    src: &'a str,
    line_starts: Vec<usize>,
    /// Chars before every CHECKPOINT-th byte, so a column is counted from
    /// the nearest checkpoint, not from the start of a line that may be
    /// the whole file.
    chars_before: Vec<usize>,
    sections: HashMap<String, (usize, Vec<Item>)>,
}

impl<'a> Locator<'a> {
    pub fn new(src: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut chars_before = Vec::with_capacity(src.len() / CHECKPOINT + 1);
        let mut count = 0;
        for chunk in src.as_bytes().chunks(CHECKPOINT) {
            chars_before.push(count);
            // Chars are counted by their first bytes (not 0b10xxxxxx).
            count += chunk.iter().filter(|&&b| (b as i8) >= -0x40).count();
        }
        let mut loc = Locator {
            src,
            line_starts,
            chars_before,
            sections: HashMap::new(),
        };
        loc.scan();
        loc
    }

    fn scan(&mut self) {
        let b = self.src.as_bytes();
        let mut i = 0;
        let mut depth = 0usize;
        let mut section: Option<String> = None;
        let mut item_depth = 0usize;
        let mut in_list = false;
        let mut pending_ident: Option<(String, usize)> = None;
        while i < b.len() {
            let c = b[i];
            match c {
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    let mut nest = 1;
                    i += 2;
                    while i < b.len() && nest > 0 {
                        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                            nest += 1;
                            i += 2;
                        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                            nest -= 1;
                            i += 2;
                        } else {
                            i += 1;
                        }
                    }
                    continue;
                }
                b'"' => {
                    let start = i;
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    i = (i + 1).min(b.len());
                    self.add_string(&section, depth, item_depth, start, i);
                    pending_ident = None;
                    continue;
                }
                b'r' if matches!(b.get(i + 1), Some(b'#') | Some(b'"'))
                    && (i == 0 || !is_ident(b[i - 1])) =>
                {
                    let start = i;
                    let mut j = i + 1;
                    let mut hashes = 0;
                    while j < b.len() && b[j] == b'#' {
                        hashes += 1;
                        j += 1;
                    }
                    if b.get(j) == Some(&b'"') {
                        j += 1;
                        loop {
                            if j >= b.len() {
                                break;
                            }
                            if b[j] == b'"'
                                && b.len() >= j + 1 + hashes
                                && b[j + 1..j + 1 + hashes].iter().all(|&h| h == b'#')
                            {
                                j += 1 + hashes;
                                break;
                            }
                            j += 1;
                        }
                        self.add_string(&section, depth, item_depth, start, j.min(b.len()));
                        i = j;
                        pending_ident = None;
                        continue;
                    }
                }
                b'\'' => {
                    i += 1;
                    while i < b.len() && b[i] != b'\'' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                    continue;
                }
                b':' => {
                    if let Some((name, pos)) = pending_ident.take() {
                        if depth == 1 {
                            section = Some(name.clone());
                            self.sections.entry(name).or_insert((pos, Vec::new()));
                        } else if depth == item_depth
                            && let Some(items) = self.items_mut(&section)
                            && let Some(item) = items.last_mut()
                        {
                            item.fields.push(Field {
                                name,
                                pos,
                                strings: Vec::new(),
                            });
                        }
                    }
                }
                b'(' | b'[' | b'{' => {
                    if depth == 1 && section.is_some() {
                        in_list = c == b'[';
                        if c == b'(' {
                            item_depth = 2;
                            self.push_item(&section, i);
                        }
                    } else if depth == 2 && in_list && c == b'(' {
                        item_depth = 3;
                        self.push_item(&section, i);
                    }
                    depth += 1;
                }
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ if is_ident_start(c) => {
                    let start = i;
                    while i < b.len() && is_ident(b[i]) {
                        i += 1;
                    }
                    pending_ident = Some((self.src[start..i].to_string(), start));
                    continue;
                }
                _ => {}
            }
            if !c.is_ascii_whitespace() && c != b':' {
                pending_ident = None;
            }
            i += 1;
        }
    }

    fn items_mut(&mut self, section: &Option<String>) -> Option<&mut Vec<Item>> {
        self.sections
            .get_mut(section.as_deref()?)
            .map(|(_, items)| items)
    }

    fn push_item(&mut self, section: &Option<String>, pos: usize) {
        if let Some(items) = self.items_mut(section) {
            items.push(Item {
                pos,
                fields: Vec::new(),
            });
        }
    }

    fn add_string(
        &mut self,
        section: &Option<String>,
        depth: usize,
        item_depth: usize,
        start: usize,
        end: usize,
    ) {
        if depth < item_depth || item_depth == 0 {
            return;
        }
        if let Some(items) = self.items_mut(section)
            && let Some(item) = items.last_mut()
            && let Some(field) = item.fields.last_mut()
        {
            field.strings.push((start, end));
        }
    }

    /// The decoded content of a string literal.
    fn literal(&self, (start, end): (usize, usize)) -> Option<String> {
        let lit = self.src.get(start..end)?;
        if let Some(inner) = lit.strip_prefix('"').and_then(|s| s.strip_suffix('"'))
            && !inner.contains('\\')
        {
            return Some(inner.to_string());
        }
        ron::from_str::<String>(lit).ok()
    }

    /// Line and column (1-based) of the item of `section` whose `id` is
    /// `id`, or of the string literal in it equal to `value` (a quote).
    pub fn find_by_id(
        &self,
        section: &str,
        id: &str,
        value: Option<&str>,
    ) -> Option<(usize, usize)> {
        let (_, items) = self.sections.get(section)?;
        let item = items.iter().find(|item| {
            item.fields.iter().any(|f| {
                f.name == "id"
                    && f.strings
                        .first()
                        .is_some_and(|&s| self.literal(s).as_deref() == Some(id))
            })
        })?;
        if let Some(v) = value {
            for f in &item.fields {
                if let Some(&s) = f
                    .strings
                    .iter()
                    .find(|&&s| self.literal(s).as_deref() == Some(v))
                {
                    return Some(self.line_col(s.0));
                }
            }
        }
        Some(self.line_col(item.pos))
    }

    /// Line and column (1-based) of an item's field, or of the string literal
    /// in it equal to `value`. Falls back to the item, then the section.
    pub fn find(
        &self,
        section: &str,
        index: usize,
        field: Option<&str>,
        value: Option<&str>,
    ) -> (usize, usize) {
        let Some((section_pos, items)) = self.sections.get(section) else {
            return (1, 1);
        };
        let Some(item) = items.get(index) else {
            return self.line_col(*section_pos);
        };
        let Some(f) = field.and_then(|name| item.fields.iter().find(|f| f.name == name)) else {
            return self.line_col(item.pos);
        };
        if let Some(v) = value
            && let Some(&s) = f
                .strings
                .iter()
                .find(|&&s| self.literal(s).as_deref() == Some(v))
        {
            return self.line_col(s.0);
        }
        self.line_col(f.pos)
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        (line, self.chars_to(offset) - self.chars_to(start) + 1)
    }

    /// Chars in the text before byte `offset`, from the nearest checkpoint.
    fn chars_to(&self, offset: usize) -> usize {
        let k = offset / CHECKPOINT;
        let base = self.chars_before.get(k).copied().unwrap_or(0);
        let from = (k * CHECKPOINT).min(offset);
        base + self.src.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| (b as i8) >= -0x40)
            .count()
    }
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r##"// a comment with "quotes" and (brackets
(
    meta: (title: "T"),
    events: [
        (id: "a", title: "x", actors: ["one", "two"]),
        (
            id: "b",
            title: r#"raw "quoted" (text"#,
            actors: ["three", "esc\"aped"],
        ),
    ],
)
"##;

    #[test]
    fn finds_items_fields_and_values() {
        let l = Locator::new(SRC);
        assert_eq!(l.find("events", 0, None, None), (5, 9));
        assert_eq!(l.find("events", 0, Some("actors"), Some("two")), (5, 47));
        assert_eq!(l.find("events", 1, Some("id"), None), (7, 13));
        assert_eq!(l.find("events", 1, Some("actors"), Some("three")), (9, 22));
        assert_eq!(
            l.find("events", 1, Some("actors"), Some("esc\"aped")),
            (9, 31)
        );
        assert_eq!(l.find("meta", 0, Some("title"), None), (3, 12));
        // Missing pieces fall back to the nearest thing that exists.
        assert_eq!(l.find("events", 1, Some("places"), None), (6, 9));
        assert_eq!(l.find("events", 9, None, None), (4, 5));
        assert_eq!(l.find("claims", 0, None, None), (1, 1));
    }
}

#[cfg(test)]
mod find_by_id_tests {
    use super::Locator;

    #[test]
    fn items_and_quotes_are_found_by_id() {
        let src = include_str!("../../data/niger.ron");
        let l = Locator::new(src);
        let (line, col) = l.find_by_id("events", "coup", None).unwrap();
        let text_line = src.lines().nth(line - 1).unwrap();
        assert!(
            text_line.trim_start().starts_with('('),
            "{line}:{col} {text_line}"
        );
        let next = src.lines().nth(line).unwrap();
        assert!(next.contains("id: \"coup\""), "{next}");
        // A quote: the line and column where its literal starts.
        let m = crate::load_str(src, "niger.ron").unwrap();
        let ev = m.events.iter().find(|e| e.evidence.len() > 1).unwrap();
        let q = &ev.evidence[1].text;
        let (line, col) = l.find_by_id("events", &ev.id, Some(q)).unwrap();
        let at: String = src
            .lines()
            .nth(line - 1)
            .unwrap()
            .chars()
            .skip(col - 1)
            .collect();
        assert!(at.starts_with('"') && at[1..].starts_with(&q[..10]), "{at}");
        let (line, _) = l.find_by_id("sources", "amulus-recon", None).unwrap();
        assert!(src.lines().nth(line).unwrap().contains("amulus-recon"));
        assert!(l.find_by_id("events", "no-such-event", None).is_none());
    }
}
