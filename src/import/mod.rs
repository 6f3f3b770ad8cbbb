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

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;

use crate::evidence::date::{PartialDate, iso_day};
use crate::store::StoreFile;

pub mod acled;
mod builder;
mod cameo;
pub mod csv;
mod dates;
pub mod gdelt;
mod parquet;
mod text;
pub mod timelinejs;
pub mod timesketch;

pub use builder::{Builder, KeyedPlace};
pub use dates::{DATE_FORMS, DateRead, date_problem, read_date, read_date_in};

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
    Gdelt,
    Parquet,
}

impl ImportFormat {
    pub const ALL: [ImportFormat; 6] = [
        ImportFormat::Acled,
        ImportFormat::Timesketch,
        ImportFormat::TimelineJs,
        ImportFormat::Csv,
        ImportFormat::Gdelt,
        ImportFormat::Parquet,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ImportFormat::Acled => "acled",
            ImportFormat::Timesketch => "timesketch",
            ImportFormat::TimelineJs => "timelinejs",
            ImportFormat::Csv => "csv",
            ImportFormat::Gdelt => "gdelt",
            ImportFormat::Parquet => "parquet",
        }
    }

    /// Whether `--map` applies: any CSV, any Parquet table.
    pub fn takes_map(self) -> bool {
        matches!(self, ImportFormat::Csv | ImportFormat::Parquet)
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
                    "unknown import format {s:?}: expected acled, timesketch, timelinejs, csv, gdelt or parquet"
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
    /// For the generic CSV and Parquet: store field → column (`date=when`).
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

/// The day `days` away from an ISO day, as an ISO day.
/// `None` also when that day is one a store cannot write (past year 9999,
/// where only a year is written): the row is skipped, not the import.
pub fn shift_day(day: &str, days: i64) -> Option<String> {
    let d = PartialDate::parse(day).ok()?;
    d.day?;
    let shifted = iso_day(d.first_day().checked_add(days)?);
    PartialDate::parse(&shifted).is_ok().then_some(shifted)
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
        ImportFormat::Gdelt => gdelt::read(input, &mut b).map_err(malformed)?,
        ImportFormat::Parquet => {
            return Err(malformed(
                "Parquet is read from a file, not a stream".into(),
            ));
        }
    }
    finish(b, own_title, name, opts)
}

/// The store built, titled, or `Empty` when no row gave an event.
fn finish(
    b: Builder,
    own_title: Option<String>,
    name: &str,
    opts: &Options,
) -> Result<(StoreFile, Summary), ImportError> {
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
    map_large_buffers_apart();
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
    let mut file = std::fs::File::open(path).map_err(io)?;
    if matches!(format, ImportFormat::Gdelt | ImportFormat::Parquet) {
        let mut magic = [0u8; 4];
        let n = file.read(&mut magic).map_err(io)?;
        std::io::Seek::rewind(&mut file).map_err(io)?;
        if &magic[..n] == parquet::MAGIC {
            return import_parquet(format, file, &name, opts);
        }
        if format == ImportFormat::Parquet {
            return Err(ImportError::Malformed {
                path: name,
                reason: "not a Parquet file: it does not begin with PAR1".into(),
            });
        }
    }
    // A file that grows while read is still held to the limit.
    import_reader(format, file.take(opts.max_bytes + 1), &name, opts)
}

/// A Parquet file: GDELT's table, or any table through `--map`.
fn import_parquet(
    format: ImportFormat,
    file: std::fs::File,
    name: &str,
    opts: &Options,
) -> Result<(StoreFile, Summary), ImportError> {
    let mut b = Builder::new(format, "row");
    match format {
        ImportFormat::Gdelt => gdelt::read_parquet(file, &mut b),
        _ => parquet::read_mapped(file, &mut b, &opts.map),
    }
    .map_err(|reason| ImportError::Malformed {
        path: name.to_string(),
        reason,
    })?;
    finish(b, None, name, opts)
}

/// Checks the store as `annals check` would.
pub fn validate(store: &StoreFile) -> Result<(), ImportError> {
    crate::validate::check(store.clone()).map_err(|problems| invalid(&problems))
}

/// The store as RON text, as `annals export --format ron` writes it.
pub fn ron(store: &StoreFile) -> Result<String, String> {
    crate::export::ron_text(store)
}

/// Writes the store to `path` atomically, and checks it as `annals
/// check` would: nothing is left at `path` unless it passes. An existing
/// file is replaced only with `replace`. The text goes to the file as it
/// is made, and the store is then checked without building its model
/// (`validate::check`), each record let go once checked: a store of a
/// million events fits in memory once.
pub fn write_store(
    store: StoreFile,
    path: &Path,
    replace: bool,
) -> Result<crate::io::atomic::Written, ImportError> {
    give_back_freed_memory();
    let mut store = Some(store);
    let mut checked: Option<Result<(), ImportError>> = None;
    let written = crate::io::atomic::write_atomic_with(path, replace, |file| {
        crate::export::write_ron(store.as_ref().expect("written once"), file)?;
        let store = store.take().expect("checked once");
        let ok = crate::validate::check(store).map_err(|problems| invalid(&problems));
        let passed = ok.is_ok();
        checked = Some(ok);
        if passed {
            Ok(())
        } else {
            Err(std::io::Error::other("the store does not pass check"))
        }
    });
    if let Some(Err(e)) = checked {
        return Err(e);
    }
    let written = written.map_err(|e| ImportError::Write {
        path: path.display().to_string(),
        reason: match e {
            crate::io::atomic::WriteError::Exists(_) => e.to_string(),
            other => other.reason(),
        },
    })?;
    match checked {
        Some(Ok(())) => Ok(written),
        // Not written at all: refused before the writing (the file exists).
        _ => Err(ImportError::Invalid("the store was not checked".into())),
    }
}

/// Hands the memory freed so far back to the system: the importer's maps,
/// dropped by now, are scattered among the store's records, where glibc
/// would keep their pages and the check would add its own above them.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn give_back_freed_memory() {
    // SAFETY: malloc_trim only returns free pages of the allocator's own
    // heaps to the system; it touches no memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_back_freed_memory() {}

/// Buffers of 256 KiB and more (a Parquet page, a read buffer) get
/// mappings of their own, given back when freed. Otherwise glibc raises
/// that bound as such buffers come and go, and they land among the
/// store's records, leaving holes it cannot give back (60 MB at a million
/// Parquet rows).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn map_large_buffers_apart() {
    // SAFETY: mallopt only sets a tunable of the allocator; no memory is
    // touched, and a value it refuses leaves the default.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 10);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn map_large_buffers_apart() {}

fn invalid(problems: &[crate::validate::Problem]) -> ImportError {
    ImportError::Invalid(
        problems
            .iter()
            .take(5)
            .map(|p| p.message.clone())
            .collect::<Vec<_>>()
            .join("; "),
    )
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
    fn days_shift() {
        assert_eq!(shift_day("2024-03-01", -7).as_deref(), Some("2024-02-23"));
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
