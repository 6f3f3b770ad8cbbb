//! Any CSV, read through a mapping of store fields to columns:
//! `--map date=when,title=what,actors=who,places=where,quote=text,source=outlet`
//! (and `summary`, `tags`, `url`, `end`). A field not mapped is read from
//! the column of its own name when there is one. `date`, `title` and
//! `quote` are required. Cells of `actors`, `places` and `tags` hold
//! several values separated by `;`.
//!
//! Evidence: the quote cell, from a source per outlet and URL (rows with
//! the same outlet and URL share one source, whose text is their quotes,
//! each a paragraph, in row order); rows without either get a source of
//! their own. So every quote is verbatim in its source's text. Actors
//! (kind "actor") and places (kind "place", no `within`) are one per name.

use std::collections::HashMap;
use std::io::Read;

use super::{Builder, read_date_in, slug};
use crate::store::{EventRec, QuoteRec, SourceKind, SourceRec};

/// The fields `--map` can name.
pub const FIELDS: [&str; 10] = [
    "date", "end", "title", "summary", "actors", "places", "tags", "quote", "source", "url",
];

/// A CSV header: its columns by name, compared ignoring case and spaces
/// around them.
pub(crate) struct Header {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Header {
    pub(crate) fn of<R: Read>(rdr: &mut ::csv::Reader<R>) -> Result<Header, String> {
        let names: Vec<String> = rdr
            .headers()
            .map_err(read_error)?
            .iter()
            .map(|n| n.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        Ok(Header::from_names(names))
    }

    /// A header of these names (a Parquet table's columns).
    pub(crate) fn from_names(names: Vec<String>) -> Header {
        let mut index = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            index.entry(n.to_lowercase()).or_insert(i);
        }
        Header { names, index }
    }

    /// The columns' names, as written (trimmed).
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    pub(crate) fn col(&self, name: &str) -> Option<usize> {
        self.index.get(&name.trim().to_lowercase()).copied()
    }

    /// The cell of column `name`, trimmed; empty when there is no such column.
    pub(crate) fn get<'r>(&self, r: &'r ::csv::StringRecord, name: &str) -> &'r str {
        self.raw(r, name).trim()
    }

    /// The cell as written.
    pub(crate) fn raw<'r>(&self, r: &'r ::csv::StringRecord, name: &str) -> &'r str {
        self.col(name).and_then(|i| r.get(i)).unwrap_or("")
    }

    /// An error naming the missing columns, and the delimiter when the
    /// header looks split by another one.
    pub(crate) fn require(&self, missing: &[&str]) -> Result<(), String> {
        if missing.is_empty() {
            return Ok(());
        }
        let mut msg = format!(
            "missing required column{} {} (the header has: {})",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            header_shown(&self.names)
        );
        if self.names.len() == 1
            && let Some(d) = [';', '\t', '|']
                .into_iter()
                .find(|d| self.names[0].contains(*d))
        {
            msg.push_str(&format!(
                "; the header looks separated by {d:?}: annals reads CSV separated by commas"
            ));
        }
        Err(msg)
    }

    pub(crate) fn width_reason(&self, got: usize) -> String {
        format!("{got} fields, the header has {}", self.len())
    }
}

/// The header's names for a message: at most 200 characters of them (a
/// one-line file of 300 MB is all header, and was copied whole into the
/// message), and how long it was.
fn header_shown(names: &[String]) -> String {
    let total = names
        .iter()
        .map(|n| n.len() + 2)
        .sum::<usize>()
        .saturating_sub(2);
    let mut shown = String::new();
    for n in names {
        if shown.len() > MAX_SHOWN * 4 {
            break;
        }
        if !shown.is_empty() {
            shown.push_str(", ");
        }
        // At most a few hundred bytes of each name are copied.
        let end = n.char_indices().nth(MAX_SHOWN).map_or(n.len(), |(i, _)| i);
        shown.push_str(&n[..end]);
    }
    match shown.char_indices().nth(MAX_SHOWN) {
        None if shown.len() == total => shown,
        cut_at => {
            let end = cut_at.map_or(shown.len(), |(i, _)| i);
            format!(
                "{}… ({} column{}, {total} bytes in all)",
                &shown[..end],
                names.len(),
                if names.len() == 1 { "" } else { "s" }
            )
        }
    }
}

/// How much of an input a message quotes.
const MAX_SHOWN: usize = 200;

/// A CSV error that stops the import: invalid UTF-8, unreadable input.
pub(crate) fn read_error(e: ::csv::Error) -> String {
    let at = e
        .position()
        .map(|p| format!(" at line {}", p.line()))
        .unwrap_or_default();
    match e.kind() {
        ::csv::ErrorKind::Utf8 { .. } => format!("invalid UTF-8{at}: the file must be UTF-8 text"),
        ::csv::ErrorKind::Io(io) => format!("cannot read{at}: {}", crate::export::plain_io(io)),
        _ => format!("{e}"),
    }
}

/// The items in their first order, each once. Hashed: a cell of 80,000
/// `;`-separated tags made a `Vec::contains` per item quadratic.
pub(crate) fn unique<T: Eq + std::hash::Hash + Clone>(
    items: impl IntoIterator<Item = T>,
) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|x| seen.insert(x.clone()))
        .collect()
}

/// Splits a cell on `;`, trimmed, empty values left out.
pub(crate) fn values(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|v| !v.is_empty())
}

pub(super) fn read<R: Read>(
    input: R,
    b: &mut Builder,
    map: &[(String, String)],
) -> Result<(), String> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(input);
    let h = Header::of(&mut rdr)?;
    let mut m = Mapped::new(&h, map)?;
    let mut rec = ::csv::StringRecord::new();
    let mut row = 1;
    while rdr.read_record(&mut rec).map_err(read_error)? {
        row += 1;
        b.row();
        if rec.len() != h.len() {
            b.skip(row, h.width_reason(rec.len()));
            continue;
        }
        m.row(b, row, &rec);
    }
    m.finish(&h, b);
    Ok(())
}

/// A table read through a mapping, a row at a time: a CSV's, or a
/// Parquet table's (`parquet.rs`), whose rows come as CSV records.
pub(super) struct Mapped {
    /// Field → column index.
    cols: HashMap<&'static str, usize>,
    /// Per column: the fields it gives.
    gives: Vec<Vec<&'static str>>,
    /// Per column: values of imported rows that were not empty.
    filled: Vec<usize>,
    times: usize,
    by_article: HashMap<(String, String), usize>,
}

impl Mapped {
    /// The mapping checked against the header: every column it names
    /// exists, and date, title and quote are found.
    pub(super) fn new(h: &Header, map: &[(String, String)]) -> Result<Mapped, String> {
        let mut cols: HashMap<&'static str, usize> = HashMap::new();
        let mut unknown = Vec::new();
        for f in FIELDS {
            let column = map
                .iter()
                .rev()
                .find(|(k, _)| k == f)
                .map(|(_, c)| c.as_str());
            match column {
                Some(c) => match h.col(c) {
                    Some(i) => {
                        cols.insert(f, i);
                    }
                    None => unknown.push(format!("{f}={c}")),
                },
                None => {
                    if let Some(i) = h.col(f) {
                        cols.insert(f, i);
                    }
                }
            }
        }
        if !unknown.is_empty() {
            return Err(format!(
                "--map names columns the file does not have: {} (the header has: {})",
                unknown.join(", "),
                h.names.join(", ")
            ));
        }
        let missing: Vec<&str> = ["date", "title", "quote"]
            .into_iter()
            .filter(|f| !cols.contains_key(f))
            .collect();
        if !missing.is_empty() {
            h.require(&missing).map_err(|e| {
                format!("{e}; map them with --map, e.g. --map date=when,title=what,quote=text")
            })?;
        }
        let mut gives: Vec<Vec<&'static str>> = vec![Vec::new(); h.len()];
        for f in FIELDS {
            if let Some(&i) = cols.get(f) {
                gives[i].push(f);
            }
        }
        Ok(Mapped {
            cols,
            gives,
            filled: vec![0; h.len()],
            times: 0,
            by_article: HashMap::new(),
        })
    }

    /// Imports one row (number `row` in skip messages), or skips it.
    pub(super) fn row(&mut self, b: &mut Builder, row: usize, rec: &::csv::StringRecord) {
        let cols = &self.cols;
        let cell = |f: &str| cols.get(f).and_then(|&i| rec.get(i)).unwrap_or("").trim();
        let title = cell("title");
        let quote = cell("quote");
        let written = cell("date");
        if title.is_empty() {
            b.skip(row, "empty title");
            return;
        }
        if quote.is_empty() {
            b.skip(row, "empty quote: an event needs a quote as evidence");
            return;
        }
        let date = match read_date_in(written, None) {
            Ok(d) => d,
            Err(why) => {
                b.skip(row, format!("date {why}"));
                return;
            }
        };
        let end = match cell("end") {
            "" => None,
            e => match read_date_in(e, None) {
                Ok(e) => Some(e),
                Err(why) => {
                    b.skip(row, format!("end {why}"));
                    return;
                }
            },
        };
        self.times += usize::from(date.time.is_some())
            + usize::from(end.as_ref().is_some_and(|e| e.time.is_some()));
        let (date, end) = (date.date, end.map(|e| e.date));
        if let Some(e) = &end {
            let (s, e) = (
                crate::evidence::date::Date::parse(&date).map(|d| d.first_day()),
                crate::evidence::date::Date::parse(e).map(|d| d.last_day()),
            );
            if let (Ok(s), Ok(e)) = (s, e)
                && e < s
            {
                b.skip(
                    row,
                    format!("end {:?} is before date {written:?}", cell("end")),
                );
                return;
            }
        }
        let outlet = cell("source");
        let url = cell("url");
        let src = source(&mut self.by_article, b, outlet, url);
        let (source, quote) = b.append(src, quote);
        let actors = values(cell("actors"))
            .filter_map(|a| b.actor(a, "actor"))
            .collect::<Vec<_>>();
        let places = values(cell("places"))
            .filter_map(|p| b.place(&[(p, "place")], None))
            .collect::<Vec<_>>();
        let tags = unique(values(cell("tags")).map(|t| b.shared(t)));
        for (i, v) in rec.iter().enumerate() {
            if !v.trim().is_empty()
                && let Some(n) = self.filled.get_mut(i)
            {
                *n += 1;
            }
        }
        let id = b.fresh_id(&slug(title));
        let summary = cell("summary");
        b.event(EventRec {
            id,
            date: date.into(),
            end: end.map(Into::into),
            title: title.into(),
            summary: (!summary.is_empty()).then(|| summary.into()),
            tags,
            actors: dedup(actors),
            places: dedup(places),
            evidence: vec![QuoteRec { source, quote }],
        });
    }

    /// Every column accounted for.
    pub(super) fn finish(self, h: &Header, b: &mut Builder) {
        for ((name, fields), n) in h.names.iter().zip(&self.gives).zip(self.filled) {
            if fields.is_empty() {
                b.lost_many(
                    name,
                    n,
                    "mapped to no field: --map FIELD=COLUMN would read it",
                );
            } else {
                b.kept_many(name, n, &format!("as {}", fields.join(" and ")));
            }
        }
        if self.times > 0 {
            b.note(format!(
                "{} date(s) had a time of day: annals dates are days, so the day as written was kept and the time dropped",
                self.times
            ));
        }
    }
}

/// The source of rows with this outlet and URL; rows without either get
/// one of their own.
fn source(
    by_article: &mut HashMap<(String, String), usize>,
    b: &mut Builder,
    outlet: &str,
    url: &str,
) -> usize {
    let key = (outlet.to_string(), url.to_string());
    if let Some(&s) = by_article.get(&key)
        && (!outlet.is_empty() || !url.is_empty())
    {
        return s;
    }
    let s = b.growing_source(SourceRec {
        id: format!(
            "source-{}",
            slug(if outlet.is_empty() { "row" } else { outlet })
        )
        .into(),
        outlet: if outlet.is_empty() {
            "(outlet not stated)".into()
        } else {
            outlet.into()
        },
        title: if url.is_empty() {
            format!(
                "Quotes from {}",
                if outlet.is_empty() {
                    "the table"
                } else {
                    outlet
                }
            )
            .into()
        } else {
            url.into()
        },
        published: None,
        url: (!url.is_empty()).then(|| url.into()),
        kind: SourceKind::Other,
        author: None,
        language: None,
        based_on: None,
        original: None,
        derivation: None,
        text: Default::default(),
    });
    if !outlet.is_empty() || !url.is_empty() {
        by_article.insert(key, s);
    }
    s
}

fn dedup<T: Eq + std::hash::Hash + Clone>(v: Vec<T>) -> Vec<T> {
    unique(v)
}
