//! Importing events from other tools' files into a store: ACLED CSV,
//! Timesketch CSV or JSONL, TimelineJS3 JSON or its Google-Sheet CSV, and
//! any CSV with a column mapping.
//!
//! The shared part is here: a [`Builder`] that collects records, giving
//! each actor one id per name, each place one id per `within` chain, each
//! source one id; row errors (a bad row is skipped with its number and the
//! reason, never the whole import); a [`Summary`]; and writing the store
//! through the exporter's RON writer, atomically. Each format reads its
//! input as a stream (a CSV row at a time), so memory follows the store
//! built, not the input. Every store built is validated as `annals check`
//! would before anything is written.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;

use crate::evidence::date::{Date, MONTH_NAMES, PartialDate, iso_day};
use crate::store::shared::SharedStr;
use crate::store::{ActorRec, ClaimRec, EventRec, Meta, PlaceRec, SourceRec, StoreFile};

pub mod acled;
pub mod csv;
pub mod timelinejs;
pub mod timesketch;

/// Inputs larger than this are refused before reading (2 GiB).
pub const MAX_INPUT_BYTES: u64 = 2 << 30;
/// The summary lists this many skipped rows; the rest are counted.
pub const LISTED_SKIPS: usize = 20;
/// The summary counts this many fields by name; the rest together.
pub const MAX_FIELDS: usize = 200;
const OTHER_FIELDS: &str = "(other fields)";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    Acled,
    Timesketch,
    TimelineJs,
    Csv,
}

impl ImportFormat {
    pub const ALL: [ImportFormat; 4] = [
        ImportFormat::Acled,
        ImportFormat::Timesketch,
        ImportFormat::TimelineJs,
        ImportFormat::Csv,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ImportFormat::Acled => "acled",
            ImportFormat::Timesketch => "timesketch",
            ImportFormat::TimelineJs => "timelinejs",
            ImportFormat::Csv => "csv",
        }
    }
}

impl FromStr for ImportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ImportFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown import format {s:?}: expected acled, timesketch, timelinejs or csv"
                )
            })
    }
}

/// How to import.
#[derive(Clone, Debug)]
pub struct Options {
    /// The store's title; by default the input's own (TimelineJS) or
    /// "Imported from FILE".
    pub title: Option<String>,
    /// For the generic CSV: store field → column (`date=when`).
    pub map: Vec<(String, String)>,
    /// Inputs over this many bytes are refused.
    pub max_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            title: None,
            map: Vec::new(),
            max_bytes: MAX_INPUT_BYTES,
        }
    }
}

/// Parses `--map date=when,title=what`: pairs separated by commas.
pub fn parse_map(spec: &str) -> Result<Vec<(String, String)>, String> {
    spec.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("--map: {pair:?} is not FIELD=COLUMN"))?;
            let k = k.trim().to_ascii_lowercase();
            if !csv::FIELDS.contains(&k.as_str()) {
                return Err(format!(
                    "--map: unknown field {k:?}: expected one of {}",
                    csv::FIELDS.join(", ")
                ));
            }
            Ok((k, v.trim().to_string()))
        })
        .collect()
}

/// Why an import stopped without writing anything.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },
    #[error("{path} is {size} bytes, over the {cap}-byte limit for an import")]
    TooBig { path: String, size: u64, cap: u64 },
    /// The input is not what the format expects: a missing column, broken
    /// JSON, invalid UTF-8.
    #[error("{path}: {reason}")]
    Malformed { path: String, reason: String },
    #[error("{path}: nothing to import: no row gave an event")]
    Empty { path: String, summary: Box<Summary> },
    /// A bug: the store built does not pass `annals check`.
    #[error("the imported store does not pass check (a bug in the importer): {0}")]
    Invalid(String),
}

/// One input row that was skipped, and why. `row` counts as a
/// spreadsheet does for CSV (the header is row 1), lines for JSONL, slides
/// for TimelineJS JSON (from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub reason: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub format: &'static str,
    /// What `RowError::row` counts: "row", "line" or "slide".
    pub unit: &'static str,
    pub rows: usize,
    pub events: usize,
    pub actors: usize,
    pub places: usize,
    pub sources: usize,
    pub claims: usize,
    /// The first skipped rows (at most `LISTED_SKIPS`).
    pub skipped: Vec<RowError>,
    /// Skipped rows not listed.
    pub unlisted: usize,
    /// What was read differently from how it was written (dropped times,
    /// coordinates left out), one line each.
    pub notes: Vec<String>,
    /// Per field of the input, how many values were kept and how many were
    /// not, and why: nothing is dropped without being counted here.
    pub fields: Vec<FieldUse>,
}

/// What became of one field of the input (`media.url`, `location`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldUse {
    pub field: String,
    /// Values kept, and where they went ("as the sources' URLs").
    pub kept: usize,
    pub kept_as: String,
    /// Values not kept, and why ("annals has no field for them").
    pub lost: usize,
    pub lost_why: String,
}

impl Summary {
    pub fn skipped_total(&self) -> usize {
        self.skipped.len() + self.unlisted
    }
}

/// "1 event", "2 events".
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {} read: {}, {}, {}, {}, {} created; {} {} skipped",
            self.format,
            self.rows,
            units(self.rows, self.unit),
            count(self.events, "event"),
            count(self.actors, "actor"),
            count(self.places, "place"),
            count(self.sources, "source"),
            count(self.claims, "claim"),
            self.skipped_total(),
            units(self.skipped_total(), self.unit)
        )?;
        for s in &self.skipped {
            write!(f, "\n  {} {}: {}", self.unit, s.row, s.reason)?;
        }
        if self.unlisted > 0 {
            write!(
                f,
                "\n  … and {} more {} skipped",
                self.unlisted,
                units(self.unlisted, self.unit)
            )?;
        }
        for n in &self.notes {
            write!(f, "\nnote: {n}")?;
        }
        for u in &self.fields {
            if u.kept > 0 {
                write!(
                    f,
                    "\nkept: {}: {} {}",
                    u.field,
                    count(u.kept, "value"),
                    u.kept_as
                )?;
            }
            if u.lost > 0 {
                write!(
                    f,
                    "\nnot kept: {}: {} ({})",
                    u.field,
                    count(u.lost, "value"),
                    u.lost_why
                )?;
            }
        }
        Ok(())
    }
}

/// "1 row", "2 rows".
fn units(n: usize, unit: &str) -> String {
    if n == 1 {
        unit.to_string()
    } else {
        format!("{unit}s")
    }
}

/// Whitespace collapsed, case and accents folded: how names are compared.
fn name_key(s: &str) -> String {
    crate::search::fold::fold_str(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// An id from a name: letters and digits, lower case, joined by hyphens.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in crate::search::fold::fold_str(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "x".into()
    } else {
        out.to_string()
    }
}

/// A source whose text grows as rows quote it (one per input file).
struct Growing {
    rec: SourceRec,
    text: String,
}

/// Collects the records of an import.
pub struct Builder {
    store: StoreFile,
    ids: std::collections::HashSet<SharedStr>,
    actors: HashMap<String, usize>,
    /// Names exactly as met, to skip folding a name met before.
    actor_names: HashMap<String, usize>,
    place_names: HashMap<(Option<SharedStr>, String), usize>,
    places: HashMap<(Option<SharedStr>, String), usize>,
    sources: HashMap<SharedStr, ()>,
    growing: Vec<Growing>,
    strings: HashMap<String, SharedStr>,
    suffixes: HashMap<String, usize>,
    summary: Summary,
}

impl Builder {
    pub fn new(format: ImportFormat, unit: &'static str) -> Builder {
        Builder {
            store: StoreFile::default(),
            ids: Default::default(),
            actors: HashMap::new(),
            actor_names: HashMap::new(),
            place_names: HashMap::new(),
            places: HashMap::new(),
            sources: HashMap::new(),
            growing: Vec::new(),
            strings: HashMap::new(),
            suffixes: HashMap::new(),
            summary: Summary {
                format: format.name(),
                unit,
                ..Summary::default()
            },
        }
    }

    /// One string shared by every record that repeats it (tags, kinds).
    pub fn shared(&mut self, s: &str) -> SharedStr {
        if let Some(v) = self.strings.get(s) {
            return v.clone();
        }
        let v = SharedStr::from(s);
        self.strings.insert(s.to_string(), v.clone());
        v
    }

    /// An id not yet used: `base`, else `base-2`, `base-3`, …
    pub fn fresh_id(&mut self, base: &str) -> SharedStr {
        let base = if base.trim().is_empty() {
            "x"
        } else {
            base.trim()
        };
        let mut id = SharedStr::from(base);
        if !self.ids.contains(&id) {
            self.ids.insert(id.clone());
            return id;
        }
        // Each base remembers its next number, so many places of one name
        // do not probe every number taken before.
        let n = self.suffixes.entry(base.to_string()).or_insert(2);
        loop {
            id = format!("{base}-{n}").into();
            *n += 1;
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    /// Takes `id` exactly, if no record has it yet.
    pub fn take_id(&mut self, id: &str) -> Option<SharedStr> {
        let id = SharedStr::from(id.trim());
        (!id.is_empty() && self.ids.insert(id.clone())).then_some(id)
    }

    pub fn has_id(&self, id: &str) -> bool {
        self.ids.contains(&SharedStr::from(id))
    }

    /// The actor of this name (compared ignoring case, accents and extra
    /// spaces), created on first use. A kind other than "actor" replaces
    /// the generic "actor" given before. `None` for an empty name.
    pub fn actor(&mut self, name: &str, kind: &str) -> Option<SharedStr> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let i = match self.actor_names.get(name) {
            Some(&i) => Some(i),
            None => {
                let i = self.actors.get(&name_key(name)).copied();
                if let Some(i) = i {
                    self.actor_names.insert(name.to_string(), i);
                }
                i
            }
        };
        if let Some(i) = i {
            if self.store.actors[i].kind.as_str() == "actor" && kind != "actor" {
                self.store.actors[i].kind = self.shared(kind);
            }
            return Some(self.store.actors[i].id.clone());
        }
        let id = self.fresh_id(&slug(name));
        let kind = self.shared(kind);
        self.actors.insert(name_key(name), self.store.actors.len());
        self.actor_names
            .insert(name.to_string(), self.store.actors.len());
        self.store.actors.push(ActorRec {
            id: id.clone(),
            name: name.into(),
            aliases: vec![],
            kind,
            description: None,
        });
        Some(id)
    }

    /// The last place of a chain, outermost first (`[(Niger, country),
    /// (Tillaberi, region)]`), each created on first use within the one
    /// before it; empty names are left out. `coordinates` go to the last
    /// place when it has none yet. `None` when every name is empty.
    pub fn place(
        &mut self,
        chain: &[(&str, &str)],
        coordinates: Option<(f64, f64)>,
    ) -> Option<SharedStr> {
        self.place_at(chain, coordinates).0
    }

    /// As [`Builder::place`], and whether `coordinates` (when given) are
    /// the place's: `false` when it already had others from an earlier row.
    pub fn place_at(
        &mut self,
        chain: &[(&str, &str)],
        coordinates: Option<(f64, f64)>,
    ) -> (Option<SharedStr>, bool) {
        let mut coordinates_kept = true;
        let chain: Vec<(&str, &str)> = chain
            .iter()
            .map(|&(n, k)| (n.trim(), k))
            .filter(|(n, _)| !n.is_empty())
            .collect();
        let mut within: Option<SharedStr> = None;
        for (i, &(name, kind)) in chain.iter().enumerate() {
            let last = i + 1 == chain.len();
            let raw = (within.clone(), name.to_string());
            let found = match self.place_names.get(&raw) {
                Some(&at) => Some(at),
                None => {
                    let at = self.places.get(&(within.clone(), name_key(name))).copied();
                    if let Some(at) = at {
                        self.place_names.insert(raw.clone(), at);
                    }
                    at
                }
            };
            let id = match found {
                Some(at) => {
                    // A place first met without coordinates takes the first given.
                    let p = &mut self.store.places[at];
                    if last && p.coordinates.is_none() {
                        p.coordinates = coordinates;
                    } else if last && coordinates.is_some() && p.coordinates != coordinates {
                        coordinates_kept = false;
                    }
                    p.id.clone()
                }
                None => {
                    let id = self.fresh_id(&slug(name));
                    let kind = self.shared(kind);
                    self.places
                        .insert((within.clone(), name_key(name)), self.store.places.len());
                    self.place_names.insert(raw, self.store.places.len());
                    self.store.places.push(PlaceRec {
                        id: id.clone(),
                        name: name.into(),
                        aliases: vec![],
                        kind,
                        within: within.clone(),
                        coordinates: if last { coordinates } else { None },
                    });
                    id
                }
            };
            within = Some(id);
        }
        (within, coordinates_kept)
    }

    /// Adds a source whose id is unused; an id already taken by a source
    /// keeps the first (sources are one per id). Returns its id.
    pub fn source(&mut self, rec: SourceRec) -> SharedStr {
        if self.sources.contains_key(&rec.id) {
            return rec.id;
        }
        self.ids.insert(rec.id.clone());
        self.sources.insert(rec.id.clone(), ());
        let id = rec.id.clone();
        self.store.sources.push(rec);
        id
    }

    /// A source whose text is made of the quotes appended to it; written
    /// at the end. Returns its index for `append`.
    pub fn growing_source(&mut self, mut rec: SourceRec) -> usize {
        rec.id = self.fresh_id(&rec.id);
        self.sources.insert(rec.id.clone(), ());
        self.growing.push(Growing {
            rec,
            text: String::new(),
        });
        self.growing.len() - 1
    }

    /// Appends `quote` to a growing source as a paragraph of its own;
    /// returns the source's id and the quote as it is now in its text.
    pub fn append(&mut self, source: usize, quote: &str) -> (SharedStr, SharedStr) {
        let g = &mut self.growing[source];
        if !g.text.is_empty() {
            g.text.push_str("\n\n");
        }
        g.text.push_str(quote.trim());
        (g.rec.id.clone(), quote.trim().into())
    }

    pub fn event(&mut self, e: EventRec) {
        self.store.events.push(e);
    }

    pub fn claim(&mut self, c: ClaimRec) {
        self.store.claims.push(c);
    }

    /// Counts a row read.
    pub fn row(&mut self) {
        self.summary.rows += 1;
    }

    /// Records a skipped row.
    pub fn skip(&mut self, row: usize, reason: impl Into<String>) {
        if self.summary.skipped.len() < LISTED_SKIPS {
            self.summary.skipped.push(RowError {
                row,
                reason: reason.into(),
            });
        } else {
            self.summary.unlisted += 1;
        }
    }

    /// What rows are called in the summary: "row", "line", "slide".
    pub fn set_unit(&mut self, unit: &'static str) {
        self.summary.unit = unit;
    }

    pub fn unit(&self) -> &'static str {
        self.summary.unit
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.summary.notes.push(note.into());
    }

    /// Counts a value of the input field `field` kept, `how` ("as the
    /// sources' URLs"). The first `how` given for a field is the one shown.
    pub fn kept(&mut self, field: &str, how: &str) {
        let u = self.field_use(field);
        u.kept += 1;
        if u.kept_as.is_empty() {
            u.kept_as = how.to_string();
        }
    }

    /// Counts a value of the input field `field` not kept, and `why`.
    pub fn lost(&mut self, field: &str, why: &str) {
        let u = self.field_use(field);
        u.lost += 1;
        if u.lost_why.is_empty() {
            u.lost_why = why.to_string();
        }
    }

    /// Counts `n` values of `field` kept, `how` (for an importer that
    /// counts per column itself).
    pub fn kept_many(&mut self, field: &str, n: usize, how: &str) {
        if n > 0 {
            let u = self.field_use(field);
            u.kept += n;
            if u.kept_as.is_empty() {
                u.kept_as = how.to_string();
            }
        }
    }

    /// Counts `n` values of `field` not kept, and `why`.
    pub fn lost_many(&mut self, field: &str, n: usize, why: &str) {
        if n > 0 {
            let u = self.field_use(field);
            u.lost += n;
            if u.lost_why.is_empty() {
                u.lost_why = why.to_string();
            }
        }
    }

    /// The count of `field`, made on first use; fields stay in the order
    /// first met. Inputs have few fields, so a linear look-up is enough;
    /// past `MAX_FIELDS` (JSONL records may each have keys of their own)
    /// the rest are counted together.
    fn field_use(&mut self, field: &str) -> &mut FieldUse {
        let fields = &mut self.summary.fields;
        let field = if fields.len() >= MAX_FIELDS && !fields.iter().any(|u| u.field == field) {
            OTHER_FIELDS
        } else {
            field
        };
        let i = match fields.iter().position(|u| u.field == field) {
            Some(i) => i,
            None => {
                fields.push(FieldUse {
                    field: field.to_string(),
                    ..FieldUse::default()
                });
                fields.len() - 1
            }
        };
        &mut fields[i]
    }

    pub fn events_so_far(&self) -> usize {
        self.store.events.len()
    }

    /// The store and the summary. `title` is used when the options give none.
    pub fn finish(mut self, title: String) -> (StoreFile, Summary) {
        for g in std::mem::take(&mut self.growing) {
            if !g.text.is_empty() {
                let mut rec = g.rec;
                rec.text = g.text.into();
                self.store.sources.push(rec);
            }
        }
        self.store.meta = Meta {
            title: title.into(),
            description: SharedStr::default(),
        };
        let s = &mut self.summary;
        s.events = self.store.events.len();
        s.actors = self.store.actors.len();
        s.places = self.store.places.len();
        s.sources = self.store.sources.len();
        s.claims = self.store.claims.len();
        (self.store, self.summary)
    }
}

/// The date forms the imports read, named in every date error.
pub const DATE_FORMS: &str = "2024-03-15, 2024-03, 2024, ~2024-03, [2024-03..2024-05], \
15 March 2024, 15-Mar-2024, March 15, 2024, March 2024, 15-03-2024 (day first), \
2024/03/15, 25/06/2024 (when only one reading is a date), \
2024-03-15T10:20:00Z (also with an offset or a space; the time is dropped)";

/// A date read from a cell: annals' form, and the time of day written
/// after it when there was one (dropped: annals dates are days).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateRead {
    pub date: String,
    pub time: Option<String>,
}

/// A date in words or numbers, as annals writes it, or `None`:
/// annals' own forms (`2024`, `2024-03`, `~2024-03`, `[2024-03..2024-05]`),
/// `15 March 2024`, `15-Mar-2024`, `March 15, 2024`, `March 2024`, and
/// `15-03-2024` (day first, as ACLED's codebook writes dd-mm-yyyy). The
/// precision is what was written: never a day that was not given. A date
/// with a time of day or a two-digit year is `None` here: see
/// [`read_date_in`].
pub fn read_date(text: &str) -> Option<String> {
    read_date_in(text, None)
        .ok()
        .filter(|r| r.time.is_none())
        .map(|r| r.date)
}

/// Reads a date as [`read_date`] does, and also an ISO date and time
/// (`2024-03-15T10:20:00Z`, `2024-03-15 10:20:00+02:00`: the day as
/// written kept, the time returned apart), and a two-digit year
/// (`16-Feb-21`) when `year`, evidence from the same row (ACLED's `year`
/// column), settles its century. Never a guessed century: without
/// evidence the error names both readings. The error says why, and names
/// the forms that are read ([`DATE_FORMS`]).
pub fn read_date_in(text: &str, year: Option<i32>) -> Result<DateRead, String> {
    let t = text.trim();
    let fail = |why: String| Err(format!("{why}; dates are read as {DATE_FORMS}"));
    if t.is_empty() {
        return fail("is empty".into());
    }
    if Date::parse(t).is_ok() {
        return Ok(DateRead {
            date: t.to_string(),
            time: None,
        });
    }
    if let Some((day, time)) = iso_datetime(t) {
        return Ok(DateRead {
            date: day.to_string(),
            time: Some(time.to_string()),
        });
    }
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let month = |w: &str| -> Option<u8> {
        let w = w.trim_end_matches('.').to_ascii_lowercase();
        if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        MONTH_NAMES
            .iter()
            .position(|m| m.to_ascii_lowercase().starts_with(&w))
            .map(|i| i as u8 + 1)
    };
    let digits = |w: &str, n: usize| w.len() == n && w.bytes().all(|b| b.is_ascii_digit());
    let num = |w: &str| -> Option<u32> {
        (!w.is_empty() && w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    // The years a year cell may mean: itself when written in full; for two
    // digits, the one the row's evidence settles, else both centuries.
    let years = |w: &str| -> Result<Vec<i32>, String> {
        if digits(w, 4) {
            return Ok(vec![w.parse().unwrap_or(0)]);
        }
        if !digits(w, 2) {
            return Err(format!("{t:?} is not a date"));
        }
        let yy: i32 = w.parse().unwrap_or(0);
        match year {
            Some(y) if y.rem_euclid(100) == yy => Ok(vec![y]),
            Some(y) => Err(format!(
                "{t:?} has the two-digit year {w}, which is not the row's year {y}"
            )),
            None => Ok(vec![1900 + yy, 2000 + yy]),
        }
    };
    // Every (day, month) the words may mean, with the years.
    let mut days: Vec<(u32, u8)> = Vec::new();
    let ys: Vec<i32> = match words.as_slice() {
        [a, b, c] if digits(a, 4) => {
            // "2024/03/15": year first is always year, month, day.
            match (num(b), num(c)) {
                (Some(m), Some(d)) if t.contains('/') && (1..=12).contains(&m) => {
                    days.push((d, m as u8))
                }
                _ => {
                    return fail(match Date::parse(t) {
                        Err(e) if !t.contains('/') => format!("{t:?} is not a date: {e}"),
                        _ => format!("{t:?} is not a date"),
                    });
                }
            }
            vec![a.parse().unwrap_or(0)]
        }
        [a, b, c] => {
            match (num(a), month(b), month(a), num(b)) {
                (Some(d), Some(m), _, _) => days.push((d, m)),
                (_, _, Some(m), Some(d)) => days.push((d, m)),
                _ => match (num(a), num(b)) {
                    (Some(x), Some(y)) => {
                        // Day first ("15-03-2024", ACLED's dd-mm-yyyy); with
                        // slashes also month first (U.S.), when it is a date.
                        if (1..=12).contains(&y) {
                            days.push((x, y as u8));
                        }
                        if t.contains('/') && (1..=12).contains(&x) && x != y {
                            days.push((y, x as u8));
                        }
                    }
                    _ => return fail(format!("{t:?} is not a date")),
                },
            }
            match years(c) {
                Ok(ys) => ys,
                Err(why) => return fail(why),
            }
        }
        [m, y] if digits(y, 4) => match month(m) {
            Some(m) => {
                let text = format!("{y}-{m:02}");
                return match Date::parse(&text) {
                    Ok(_) => Ok(DateRead {
                        date: text,
                        time: None,
                    }),
                    Err(e) => fail(format!("{t:?} is not a date: {e}")),
                };
            }
            None => return fail(format!("{t:?} is not a date")),
        },
        _ => {
            return fail(match Date::parse(t) {
                Err(e) if t.starts_with(|c: char| c.is_ascii_digit()) && t.contains('-') => {
                    format!("{t:?} is not a date: {e}")
                }
                _ => format!("{t:?} is not a date"),
            });
        }
    };
    let mut readings: Vec<String> = Vec::new();
    let mut last_error = None;
    for &y in &ys {
        for &(d, m) in &days {
            let text = format!("{y:04}-{m:02}-{d:02}");
            match Date::parse(&text) {
                Ok(_) => readings.push(text),
                Err(e) => last_error = Some(e),
            }
        }
    }
    match readings.as_slice() {
        [one] => Ok(DateRead {
            date: one.clone(),
            time: None,
        }),
        [] => fail(match last_error {
            Some(e) => format!("{t:?} is not a date: {e}"),
            None => format!("{t:?} is not a date"),
        }),
        many => {
            let said: Vec<String> = many.iter().map(|r| reading(r)).collect();
            let why = if ys.len() > 1 {
                "has a two-digit year and nothing in the row gives the century"
            } else {
                "reads both day/month and month/day"
            };
            fail(format!(
                "{t:?} {why}: {}; write the one meant as YYYY-MM-DD",
                said.join(" or ")
            ))
        }
    }
}

/// `2024-08-05 (5 August)`: a reading of an ambiguous date, in words.
fn reading(iso: &str) -> String {
    let month = iso
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTH_NAMES.get(m.wrapping_sub(1)));
    let day = iso.get(8..10).and_then(|d| d.parse::<u32>().ok());
    match (day, month) {
        (Some(d), Some(m)) => format!("{iso} ({d} {m})"),
        _ => iso.to_string(),
    }
}

/// An ISO 8601 date and time, `2024-03-15T10:20:00Z`, `2024-03-15
/// 10:20:00.123+02:00`, `2024-03-15T10:20`: the day and the rest.
fn iso_datetime(t: &str) -> Option<(&str, &str)> {
    let (day, rest) = (t.get(..10)?, t.get(10..)?);
    let time = rest.strip_prefix(['T', 't', ' '])?.trim_start();
    let d = PartialDate::parse(day).ok()?;
    if d.day.is_none() || d.approximate || day.len() != 10 {
        return None;
    }
    // HH:MM[:SS[.fraction]] then Z, or ±HH[:]MM, or nothing.
    let b = time.as_bytes();
    let two = |i: usize, max: u32| -> bool {
        b.get(i..i + 2)
            .filter(|p| p.iter().all(u8::is_ascii_digit))
            .is_some_and(|p| u32::from(p[0] - b'0') * 10 + u32::from(p[1] - b'0') <= max)
    };
    if !(two(0, 24) && b.get(2) == Some(&b':') && two(3, 59)) {
        return None;
    }
    let mut i = 5;
    if b.get(i) == Some(&b':') {
        if !two(i + 1, 60) {
            return None;
        }
        i += 3;
        if matches!(b.get(i), Some(b'.' | b',')) {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
    }
    let zone = time.get(i..)?.trim_start();
    let zb = zone.as_bytes();
    let zone_ok = match zb.first() {
        None => true,
        Some(b'Z' | b'z') => zb.len() == 1,
        Some(b'+' | b'-') => {
            let two_at = |j: usize| {
                zb.get(j..j + 2)
                    .is_some_and(|p| p.iter().all(u8::is_ascii_digit))
            };
            match zb.len() {
                3 => two_at(1),
                5 => two_at(1) && two_at(3),
                6 => two_at(1) && zb[3] == b':' && two_at(4),
                _ => false,
            }
        }
        _ => false,
    };
    zone_ok.then_some((day, time))
}

/// Why `text` is not read as a date, for a skipped row's reason: it names
/// both readings of an ambiguous date, and the forms that are read.
pub fn date_problem(text: &str) -> String {
    match read_date_in(text, None) {
        Err(why) => why,
        Ok(r) if r.time.is_some() => format!(
            "{:?} has a time of day, which is not read here; dates are read as {DATE_FORMS}",
            text.trim()
        ),
        Ok(_) => format!("{:?} is a date", text.trim()),
    }
}

/// The day `days` away from an ISO day, as an ISO day.
pub fn shift_day(day: &str, days: i64) -> Option<String> {
    let d = PartialDate::parse(day).ok()?;
    d.day?;
    Some(iso_day(d.first_day() + days))
}

/// Reads the start of a stream to tell JSON from CSV: its first byte that
/// is not whitespace (or a byte-order mark).
pub(crate) fn first_byte<R: Read>(r: &mut BufReader<R>) -> std::io::Result<Option<u8>> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        let skip = buf
            .iter()
            .position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF))
            .unwrap_or(buf.len());
        if skip < buf.len() {
            let b = buf[skip];
            return Ok(Some(b));
        }
        let n = buf.len();
        r.consume(n);
    }
}

/// Imports `input` (any reader) in `format`; `name` names it in messages
/// and in the default title.
pub fn import_reader<R: Read>(
    format: ImportFormat,
    input: R,
    name: &str,
    opts: &Options,
) -> Result<(StoreFile, Summary), ImportError> {
    let mut b = Builder::new(
        format,
        match format {
            ImportFormat::Timesketch => "record",
            _ => "row",
        },
    );
    let mut own_title = None;
    let malformed = |reason: String| ImportError::Malformed {
        path: name.to_string(),
        reason,
    };
    match format {
        ImportFormat::Acled => acled::read(input, &mut b).map_err(malformed)?,
        ImportFormat::Csv => csv::read(input, &mut b, &opts.map).map_err(malformed)?,
        ImportFormat::Timesketch => timesketch::read(input, name, &mut b).map_err(malformed)?,
        ImportFormat::TimelineJs => {
            own_title = timelinejs::read(input, name, &mut b).map_err(malformed)?
        }
    }
    let base = Path::new(name)
        .file_name()
        .map_or(name.to_string(), |f| f.to_string_lossy().into_owned());
    let title = opts
        .title
        .clone()
        .or(own_title)
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| format!("Imported from {base}"));
    let (store, summary) = b.finish(title);
    if store.events.is_empty() {
        return Err(ImportError::Empty {
            path: name.to_string(),
            summary: Box::new(summary),
        });
    }
    Ok((store, summary))
}

/// Imports the file at `path`, refusing one over `opts.max_bytes`.
pub fn import_path(
    format: ImportFormat,
    path: &Path,
    opts: &Options,
) -> Result<(StoreFile, Summary), ImportError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| ImportError::Io {
        path: name.clone(),
        reason: crate::export::plain_io(&e),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(ImportError::Io {
            path: name,
            reason: "is a directory".into(),
        });
    }
    if meta.len() > opts.max_bytes {
        return Err(ImportError::TooBig {
            path: name,
            size: meta.len(),
            cap: opts.max_bytes,
        });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // A file that grows while read is still held to the limit.
    import_reader(format, file.take(opts.max_bytes + 1), &name, opts)
}

/// Checks the store as `annals check` would.
pub fn validate(store: &StoreFile) -> Result<(), ImportError> {
    crate::validate::build(store.clone())
        .map(|_| ())
        .map_err(|problems| {
            ImportError::Invalid(
                problems
                    .iter()
                    .take(5)
                    .map(|p| p.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
}

/// The store as RON text, as `annals export --format ron` writes it.
pub fn ron(store: &StoreFile) -> Result<String, String> {
    crate::export::ron_text(store)
}

/// Validates the store and writes it to `path` atomically; an existing
/// file is replaced only with `replace`.
pub fn write_store(
    store: &StoreFile,
    path: &Path,
    replace: bool,
) -> Result<crate::io::atomic::Written, ImportError> {
    validate(store)?;
    let text = ron(store).map_err(ImportError::Invalid)?;
    crate::io::atomic::write_atomic(path, text.as_bytes(), replace).map_err(|e| {
        ImportError::Write {
            path: path.display().to_string(),
            reason: match e {
                crate::io::atomic::WriteError::Exists(_) => e.to_string(),
                other => other.reason(),
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_each_field_kept_and_not_kept() {
        let mut b = Builder::new(ImportFormat::TimelineJs, "slide");
        b.kept("media.url", "as the sources' URLs");
        b.kept("media.url", "ignored: the first reason stays");
        b.lost("media.caption", "annals has no field for them");
        b.lost("media.caption", "");
        let (_, s) = b.finish("t".into());
        let text = s.to_string();
        assert!(
            text.contains("kept: media.url: 2 values as the sources' URLs"),
            "{text}"
        );
        assert!(
            text.contains("not kept: media.caption: 2 values (annals has no field for them)"),
            "{text}"
        );
        assert!(!text.contains("not kept: media.url"), "{text}");
    }

    #[test]
    fn dates_keep_the_precision_written() {
        assert_eq!(read_date("2024-03-15").as_deref(), Some("2024-03-15"));
        assert_eq!(read_date("15 March 2024").as_deref(), Some("2024-03-15"));
        assert_eq!(read_date("15-Mar-2024").as_deref(), Some("2024-03-15"));
        assert_eq!(read_date("March 15, 2024").as_deref(), Some("2024-03-15"));
        assert_eq!(read_date("March 2024").as_deref(), Some("2024-03"));
        assert_eq!(read_date("15-03-2024").as_deref(), Some("2024-03-15"));
        assert_eq!(read_date("~2024").as_deref(), Some("~2024"));
        assert_eq!(read_date("30 February 2023"), None);
        assert_eq!(read_date("yesterday"), None);
        assert_eq!(shift_day("2024-03-01", -7).as_deref(), Some("2024-02-23"));
    }

    #[test]
    fn two_digit_years_are_settled_by_the_row_never_guessed() {
        let r = read_date_in("16-Feb-21", Some(2021)).unwrap();
        assert_eq!(r.date, "2021-02-16");
        assert_eq!(
            read_date_in("16-Feb-99", Some(1999)).unwrap().date,
            "1999-02-16"
        );
        // Nothing settles it: both readings named, no guess.
        let e = read_date_in("16-Feb-21", None).unwrap_err();
        assert!(
            e.contains("1921-02-16 (16 February) or 2021-02-16 (16 February)"),
            "{e}"
        );
        assert_eq!(read_date("16-Feb-21"), None);
        // Evidence that contradicts the date is not overruled.
        let e = read_date_in("16-Feb-21", Some(2020)).unwrap_err();
        assert!(e.contains("not the row's year 2020"), "{e}");
    }

    #[test]
    fn every_date_error_names_the_forms_read() {
        for bad in [
            "yesterday",
            "16-Feb-21",
            "05/08/2024",
            "2024-02-30",
            "30 February 2023",
            "",
        ] {
            let e = date_problem(bad);
            for form in [
                "15-Mar-2024",
                "15 March 2024",
                "March 15, 2024",
                "2024-03-15T10:20:00Z",
            ] {
                assert!(e.contains(form), "{bad:?}: {e}");
            }
        }
        assert!(
            date_problem("30 February 2023").contains("29 days")
                || date_problem("30 February 2023").contains("28"),
            "{}",
            date_problem("30 February 2023")
        );
    }

    #[test]
    fn iso_datetimes_keep_the_day_and_say_the_time() {
        for (t, time) in [
            ("2024-03-15T10:20:00Z", "10:20:00Z"),
            ("2024-03-15T23:10:05-05:00", "23:10:05-05:00"),
            ("2024-03-15 10:20:00", "10:20:00"),
            ("2024-03-15T10:20:00.877297+0200", "10:20:00.877297+0200"),
            ("2024-03-15T10:20", "10:20"),
        ] {
            let r = read_date_in(t, None).unwrap_or_else(|e| panic!("{t}: {e}"));
            assert_eq!(r.date, "2024-03-15", "{t}");
            assert_eq!(r.time.as_deref(), Some(time), "{t}");
        }
        for bad in [
            "2024-03-15T25:00",
            "2024-03-15Tnoon",
            "2024-02-30T10:00:00Z",
            "2024-03-15T10:20:00 CET",
        ] {
            assert!(read_date_in(bad, None).is_err(), "{bad}");
        }
        // read_date (TimelineJS's) still reads days only.
        assert_eq!(read_date("2024-03-15T10:20:00Z"), None);
    }

    #[test]
    fn actors_and_places_are_shared() {
        let mut b = Builder::new(ImportFormat::Acled, "row");
        let a = b.actor("Military Forces", "state forces").unwrap();
        assert_eq!(b.actor(" military  forces ", "actor").unwrap(), a);
        let p = b
            .place(
                &[("Niger", "country"), ("Niamey", "city")],
                Some((1.0, 2.0)),
            )
            .unwrap();
        assert_eq!(
            b.place(&[("Niger", "country"), ("niamey", "city")], None),
            Some(p.clone())
        );
        // The same name in another chain is another place.
        let q = b
            .place(&[("Mali", "country"), ("Niamey", "city")], None)
            .unwrap();
        assert_ne!(p, q);
        assert!(b.actor("  ", "actor").is_none());
    }
}
