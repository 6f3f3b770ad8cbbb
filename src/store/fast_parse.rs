//! A hand-written reader of the store's records, giving what ron's serde
//! path gives for the RON stores are written in, several times faster.
//!
//! Why: ron reads a char at a time through serde's visitors, and parsing
//! was most of what opening a large store cost. Here a string is found
//! with one `memchr` and becomes a range of the text, a field name is
//! matched as bytes, whitespace is skipped a byte at a time.
//!
//! Exactness: this reader follows ron's grammar step for step (where ron
//! skips whitespace and comments, what ends a string, when a comma is
//! needed), and anything it does not take for certain is left to ron: a
//! value it does not read itself (an escaped string, `None`, `Some(..)`,
//! a number) is read by ron from that byte, and a record with anything
//! else unexpected (a struct name, an unknown or repeated field, a
//! missing one, any error) is read whole by ron from its first byte. RON
//! values read the same wherever they start, so either way the result is
//! ron's. `None` means even ron could not read it: the caller parses the
//! whole file with ron, for its error and position.

use std::sync::Arc;

use serde::Deserialize;

use crate::store::shared::{SharedStr, Text};
use crate::store::{
    ActorRec, ClaimRec, Derivation, EventRec, Meta, PlaceRec, QuoteRec, RelationRec, SourceKind,
    SourceRec,
};

/// Where the reader is in a text, and what it reads with.
pub(crate) struct Scan<'t> {
    pub(crate) text: &'t str,
    b: &'t [u8],
    pub(crate) pos: usize,
    /// The buffer strings share: `text` is all of it or a prefix of it.
    buf: &'t Arc<Text>,
    options: &'t ron::Options,
}

impl<'t> Scan<'t> {
    /// A reader of `text` (which must be `buf` or a prefix of it) at `pos`.
    pub(crate) fn new(
        text: &'t str,
        buf: &'t Arc<Text>,
        pos: usize,
        options: &'t ron::Options,
    ) -> Self {
        debug_assert!(buf.as_ptr() == text.as_ptr() && text.len() <= buf.len());
        Scan {
            text,
            b: text.as_bytes(),
            pos,
            buf,
            options,
        }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// Past whitespace and comments, as ron's `skip_ws` goes. `None` where
    /// ron would fail (a `/` that starts no comment, an unclosed `/*`).
    pub(crate) fn ws(&mut self) -> Option<()> {
        const SPACES: u64 = u64::from_le_bytes(*b"        ");
        loop {
            // Indentation, eight spaces at a time: a quarter of a
            // pretty-printed store's bytes.
            while let Some(&word) = self.b.get(self.pos..).and_then(|r| r.first_chunk::<8>()) {
                let other = u64::from_le_bytes(word) ^ SPACES;
                if other != 0 {
                    self.pos += (other.trailing_zeros() / 8) as usize;
                    break;
                }
                self.pos += 8;
            }
            match self.b.get(self.pos) {
                Some(b' ' | b'\n' | b'\t' | b'\r' | b'\x0B' | b'\x0C') => self.pos += 1,
                Some(b'/') => self.comment()?,
                Some(&c) if c >= 0x80 => {
                    let ch = self.text[self.pos..].chars().next()?;
                    if !matches!(
                        ch,
                        '\u{85}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
                    ) {
                        return Some(());
                    }
                    self.pos += ch.len_utf8();
                }
                _ => return Some(()),
            }
        }
    }

    /// A comment, from its `/`; block comments nest.
    fn comment(&mut self) -> Option<()> {
        match self.b.get(self.pos + 1) {
            Some(b'/') => {
                self.pos = memchr::memchr(b'\n', &self.b[self.pos..])
                    .map_or(self.b.len(), |i| self.pos + i);
                Some(())
            }
            Some(b'*') => {
                self.pos += 2;
                let mut level = 1;
                while level > 0 {
                    let i = memchr::memchr2(b'/', b'*', &self.b[self.pos..])?;
                    self.pos += i;
                    match (self.b[self.pos], self.b.get(self.pos + 1)) {
                        (b'/', Some(b'*')) => (level, self.pos) = (level + 1, self.pos + 2),
                        (b'*', Some(b'/')) => (level, self.pos) = (level - 1, self.pos + 2),
                        _ => self.pos += 1,
                    }
                }
                Some(())
            }
            _ => None,
        }
    }

    /// Takes `c` if it is next (no whitespace skipped).
    pub(crate) fn eat(&mut self, c: u8) -> bool {
        let next = self.peek() == Some(c);
        self.pos += usize::from(next);
        next
    }

    /// ron's `comma`: whitespace, an optional comma, whitespace; says
    /// whether there was a comma.
    pub(crate) fn comma(&mut self) -> Option<bool> {
        self.ws()?;
        let had = self.eat(b',');
        if had {
            self.ws()?;
        }
        Some(had)
    }

    /// A field or variant name of ASCII letters, digits and `_`, with
    /// nothing after it that ron would read as part of a name.
    pub(crate) fn name(&mut self) -> Option<&'t [u8]> {
        let rest = &self.b[self.pos..];
        if !matches!(rest.first(), Some(b'a'..=b'z' | b'A'..=b'Z' | b'_')) {
            return None;
        }
        let len = rest
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
            .unwrap_or(rest.len());
        // A raw name (`r#x`), a name going on in other letters, or one
        // with `.`, `+` or `-` (which ron reads to suggest a raw name).
        if matches!(rest.get(len), Some(c) if *c >= 0x80 || matches!(c, b'#' | b'.' | b'+' | b'-' | b'"' | b'\''))
        {
            return None;
        }
        self.pos += len;
        Some(&rest[..len])
    }

    /// One value, read by ron from here; `None` if ron cannot. An
    /// attribute (`#!`) is taken by ron only at the start of a file.
    pub(crate) fn ron<T: Deserialize<'t>>(&mut self) -> Option<T> {
        if self.peek() == Some(b'#') {
            return None;
        }
        let rest = &self.text[self.pos..];
        let mut de = ron::Deserializer::from_str_with_options(rest, self.options).ok()?;
        let value = T::deserialize(&mut de).ok()?;
        self.pos += rest.len() - de.remainder().len();
        Some(value)
    }

    /// A string: a range of the text when it has no escapes.
    pub(crate) fn string(&mut self) -> Option<SharedStr> {
        let at = self.pos;
        match self.peek() {
            Some(b'"') => {
                let i = memchr::memchr2(b'"', b'\\', &self.b[at + 1..])?;
                if self.b[at + 1 + i] == b'\\' {
                    return self.ron();
                }
                self.pos = at + 2 + i;
                Some(SharedStr::in_text(self.buf, at + 1, i))
            }
            Some(b'r') => self.raw_string(),
            _ => self.ron(),
        }
    }

    /// `r"…"`, `r#"…"#`: ends at the first `"` followed by as many `#`.
    fn raw_string(&mut self) -> Option<SharedStr> {
        let rest = &self.b[self.pos + 1..];
        let hashes = rest.iter().take_while(|&&c| c == b'#').count();
        if rest.get(hashes) != Some(&b'"') {
            return self.ron();
        }
        let body = self.pos + 1 + hashes + 1;
        let end = &rest[..hashes + 1];
        // The `"` and the hashes that close it, in that order.
        let mut closing = Vec::with_capacity(hashes + 1);
        closing.push(b'"');
        closing.extend_from_slice(&end[..hashes]);
        let i = memchr::memmem::find(&self.b[body..], &closing)?;
        self.pos = body + i + closing.len();
        Some(SharedStr::in_text(self.buf, body, i))
    }

    /// An optional string: a string here is `Some` (ron's implicit_some);
    /// `None`, `Some(…)` and the rest are ron's.
    fn opt_string(&mut self) -> Option<Option<SharedStr>> {
        match self.peek() {
            Some(b'"') => self.string().map(Some),
            _ => self.ron(),
        }
    }

    /// `[item, …]`, each item read by `item`.
    fn list<T>(&mut self, item: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        if !self.eat(b'[') {
            return None;
        }
        let mut out = Vec::new();
        let mut had_comma = true;
        loop {
            self.ws()?;
            if self.eat(b']') {
                return Some(exact(out));
            }
            if !had_comma {
                return None;
            }
            out.push(item(self)?);
            had_comma = self.comma()?;
        }
    }

    fn strings(&mut self) -> Option<Vec<SharedStr>> {
        self.list(Self::string)
    }

    /// A struct's `(name: value, …)`, each field read by `field`, which
    /// fails on a name it does not know or has met before.
    fn fields(&mut self, mut field: impl FnMut(&mut Self, &[u8]) -> Option<()>) -> Option<()> {
        // A struct name before `(` is ron's to check.
        if !self.eat(b'(') {
            return None;
        }
        let mut had_comma = true;
        loop {
            self.ws()?;
            if self.eat(b')') {
                return Some(());
            }
            if !had_comma {
                return None;
            }
            let name = self.name()?;
            self.ws()?;
            if !self.eat(b':') {
                return None;
            }
            self.ws()?;
            field(self, name)?;
            had_comma = self.comma()?;
        }
    }

    /// A record: read here, else by ron from its first byte.
    pub(crate) fn record<T: Deserialize<'t>>(
        &mut self,
        fast: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<T> {
        let start = self.pos;
        fast(self).or_else(|| {
            self.pos = start;
            self.ron()
        })
    }

    pub(crate) fn meta(&mut self) -> Option<Meta> {
        self.record(|p| {
            let (mut title, mut description) = (None, None);
            p.fields(|p, name| match name {
                b"title" => once(&mut title, p.string()),
                b"description" => once(&mut description, p.string()),
                _ => None,
            })?;
            Some(Meta {
                title: title?,
                description: description.unwrap_or_default(),
            })
        })
    }

    fn quote(&mut self) -> Option<QuoteRec> {
        self.record(|p| {
            let (mut source, mut quote) = (None, None);
            p.fields(|p, name| match name {
                b"source" => once(&mut source, p.string()),
                b"quote" => once(&mut quote, p.string()),
                _ => None,
            })?;
            Some(QuoteRec {
                source: source?,
                quote: quote?,
            })
        })
    }

    fn quotes(&mut self) -> Option<Vec<QuoteRec>> {
        self.list(Self::quote)
    }

    pub(crate) fn event(&mut self) -> Option<EventRec> {
        self.record(|p| {
            let (mut id, mut date, mut end, mut title, mut summary) =
                (None, None, None, None, None);
            let (mut tags, mut actors, mut places, mut evidence) = (None, None, None, None);
            p.fields(|p, name| match name {
                b"id" => once(&mut id, p.string()),
                b"date" => once(&mut date, p.string()),
                b"end" => once(&mut end, p.opt_string()),
                b"title" => once(&mut title, p.string()),
                b"summary" => once(&mut summary, p.opt_string()),
                b"tags" => once(&mut tags, p.strings()),
                b"actors" => once(&mut actors, p.strings()),
                b"places" => once(&mut places, p.strings()),
                b"evidence" => once(&mut evidence, p.quotes()),
                _ => None,
            })?;
            Some(EventRec {
                id: id?,
                date: date?,
                end: end.flatten(),
                title: title?,
                summary: summary.flatten(),
                tags: tags.unwrap_or_default(),
                actors: actors.unwrap_or_default(),
                places: places.unwrap_or_default(),
                evidence: evidence.unwrap_or_default(),
            })
        })
    }

    pub(crate) fn source(&mut self) -> Option<SourceRec> {
        self.record(|p| {
            let (mut id, mut outlet, mut title, mut published, mut url) =
                (None, None, None, None, None);
            let (mut kind, mut author, mut language, mut based_on) = (None, None, None, None);
            let (mut original, mut derivation, mut text) = (None, None, None);
            p.fields(|p, name| match name {
                b"id" => once(&mut id, p.string()),
                b"outlet" => once(&mut outlet, p.string()),
                b"title" => once(&mut title, p.string()),
                b"published" => once(&mut published, p.opt_string()),
                b"url" => once(&mut url, p.opt_string()),
                b"kind" => once(&mut kind, p.kind()),
                b"author" => once(&mut author, p.opt_string()),
                b"language" => once(&mut language, p.opt_string()),
                b"based_on" => once(&mut based_on, p.opt_string()),
                b"original" => once(&mut original, p.opt_string()),
                b"derivation" => once(&mut derivation, p.ron::<Option<Derivation>>()),
                b"text" => once(&mut text, p.string()),
                _ => None,
            })?;
            Some(SourceRec {
                id: id?,
                outlet: outlet?,
                title: title?,
                published: published.flatten(),
                url: url.flatten(),
                kind: kind.unwrap_or_default(),
                author: author.flatten(),
                language: language.flatten(),
                based_on: based_on.flatten(),
                original: original.flatten(),
                derivation: derivation.flatten(),
                text: text?,
            })
        })
    }

    /// A source's kind, a bare variant name as ron reads one.
    fn kind(&mut self) -> Option<SourceKind> {
        let start = self.pos;
        let found = self.name().and_then(|n| {
            SourceKind::ALL
                .into_iter()
                .find(|k| variant(*k).as_bytes() == n)
        });
        found.or_else(|| {
            self.pos = start;
            self.ron()
        })
    }

    pub(crate) fn actor(&mut self) -> Option<ActorRec> {
        self.record(|p| {
            let (mut id, mut name, mut aliases, mut kind, mut description) =
                (None, None, None, None, None);
            p.fields(|p, field| match field {
                b"id" => once(&mut id, p.string()),
                b"name" => once(&mut name, p.string()),
                b"aliases" => once(&mut aliases, p.strings()),
                b"kind" => once(&mut kind, p.string()),
                b"description" => once(&mut description, p.opt_string()),
                _ => None,
            })?;
            Some(ActorRec {
                id: id?,
                name: name?,
                aliases: aliases.unwrap_or_default(),
                kind: kind?,
                description: description.flatten(),
            })
        })
    }

    pub(crate) fn place(&mut self) -> Option<PlaceRec> {
        self.record(|p| {
            let (mut id, mut name, mut aliases, mut kind) = (None, None, None, None);
            let (mut within, mut coordinates) = (None, None);
            p.fields(|p, field| match field {
                b"id" => once(&mut id, p.string()),
                b"name" => once(&mut name, p.string()),
                b"aliases" => once(&mut aliases, p.strings()),
                b"kind" => once(&mut kind, p.string()),
                b"within" => once(&mut within, p.opt_string()),
                b"coordinates" => once(&mut coordinates, p.ron::<Option<(f64, f64)>>()),
                _ => None,
            })?;
            Some(PlaceRec {
                id: id?,
                name: name?,
                aliases: aliases.unwrap_or_default(),
                kind: kind?,
                within: within.flatten(),
                coordinates: coordinates.flatten(),
            })
        })
    }

    pub(crate) fn relation(&mut self) -> Option<RelationRec> {
        self.record(|p| {
            let (mut from, mut to, mut kind, mut since, mut until) = (None, None, None, None, None);
            let mut evidence = None;
            p.fields(|p, name| match name {
                b"from" => once(&mut from, p.string()),
                b"to" => once(&mut to, p.string()),
                b"kind" => once(&mut kind, p.string()),
                b"since" => once(&mut since, p.opt_string()),
                b"until" => once(&mut until, p.opt_string()),
                b"evidence" => once(&mut evidence, p.quotes()),
                _ => None,
            })?;
            Some(RelationRec {
                from: from?,
                to: to?,
                kind: kind?,
                since: since.flatten(),
                until: until.flatten(),
                evidence: evidence.unwrap_or_default(),
            })
        })
    }

    pub(crate) fn claim(&mut self) -> Option<ClaimRec> {
        self.record(|p| {
            let (mut subject, mut attribute, mut value, mut as_of) = (None, None, None, None);
            let (mut events, mut value_date, mut value_number) = (None, None, None);
            let (mut value_min, mut value_max, mut evidence) = (None, None, None);
            p.fields(|p, name| match name {
                b"subject" => once(&mut subject, p.string()),
                b"attribute" => once(&mut attribute, p.string()),
                b"value" => once(&mut value, p.string()),
                b"as_of" => once(&mut as_of, p.opt_string()),
                b"events" => once(&mut events, p.strings()),
                b"value_date" => once(&mut value_date, p.opt_string()),
                b"value_number" => once(&mut value_number, p.ron::<Option<f64>>()),
                b"value_min" => once(&mut value_min, p.ron::<Option<f64>>()),
                b"value_max" => once(&mut value_max, p.ron::<Option<f64>>()),
                b"evidence" => once(&mut evidence, p.quotes()),
                _ => None,
            })?;
            Some(ClaimRec {
                subject: subject?,
                attribute: attribute?,
                value: value?,
                as_of: as_of.flatten(),
                events: events.unwrap_or_default(),
                value_date: value_date.flatten(),
                value_number: value_number.flatten(),
                value_min: value_min.flatten(),
                value_max: value_max.flatten(),
                evidence: evidence.unwrap_or_default(),
            })
        })
    }
}

/// Sets a field met for the first time; one met twice is ron's to report.
fn once<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value?);
    Some(())
}

/// A kind as the store writes it: the variant's name.
fn variant(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::News => "News",
        SourceKind::Sponsored => "Sponsored",
        SourceKind::OfficialStatement => "OfficialStatement",
        SourceKind::PressRelease => "PressRelease",
        SourceKind::Report => "Report",
        SourceKind::Opinion => "Opinion",
        SourceKind::Reference => "Reference",
        SourceKind::Book => "Book",
        SourceKind::Archive => "Archive",
        SourceKind::Dataset => "Dataset",
        SourceKind::Other => "Other",
    }
}

/// `items` in a vector of their exact length. Growth leaves room for
/// four, and a store's lists (an event's tags, actors, evidence) mostly
/// hold one or two: the room would stay allocated for the whole load.
/// Copied rather than shrunk in place: the tail a shrink frees is a hole
/// in the heap, while the vector freed here is the size the next list
/// asks for first, and is handed to it.
fn exact<T>(mut items: Vec<T>) -> Vec<T> {
    if items.len() == items.capacity() {
        return items;
    }
    let mut out = Vec::with_capacity(items.len());
    out.append(&mut items);
    out
}
