//! GDELT 2.0 event records, in the three shapes they come in, read into
//! the same store: GDELT's own export (the 15-minute `.export.CSV` files:
//! 61 tab-separated columns, no header, no quoting), a CSV whose header
//! names GDELT's columns (as BigQuery exports a query of
//! `gdelt-bq.gdeltv2.events`; a subset of columns will do, in any order),
//! and Parquet with those names (BigQuery, DuckDB, Spark), read a row
//! group at a time. A zip or gzip archive is refused with how to open it.
//!
//! One event per GLOBALEVENTID (a repeated id is skipped), on SQLDATE's
//! day. GDELT holds no article text: the evidence is GDELT's own record,
//! said plainly ("GDELT event 1180000001 codes: Actor1 …; event 043, Host
//! a visit; …"), in a source per SOURCEURL (kind Dataset, the article's
//! URL) whose text is the records GDELT coded from that article, one
//! paragraph each. Events coded from one article share its source: one
//! witness, however many events. Codes stay text ("043" keeps its zero;
//! one a tool dropped is given back and counted), named from the CAMEO
//! codebook (`cameo.rs`). Actors: Actor1 and Actor2 by name, their kind
//! their first type code named; no relation is made between them. Places:
//! ActionGeo, and Actor1Geo/Actor2Geo where they differ, as country → ADM1
//! → ADM2 → city or landmark, each found by GDELT's own code (country and
//! ADM1 codes, the GAUL ADM2 code, the gazetteer's FeatureID), never by
//! its spelling. Everything else is said in the event's summary.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use ::csv::StringRecord;
use rustc_hash::FxHashMap as HashMap;

use super::csv::{Header, read_error};
use super::{Builder, KeyedPlace};
use crate::store::shared::SharedStr;

mod places;
mod record;

/// GDELT 2.0's event table, in the export's column order (GDELT Event
/// Codebook V2.0; BigQuery's `gdelt-bq.gdeltv2.events` has the same names).
pub const COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

// Positions in `COLUMNS`.
const ID: usize = 0;
const SQLDATE: usize = 1;
const MONTH_YEAR: usize = 2;
const YEAR: usize = 3;
/// Actor1Code and Actor2Code; then Name, CountryCode, KnownGroupCode,
/// EthnicCode, Religion1Code, Religion2Code, Type1Code, Type2Code, Type3Code.
const ACTORS: [usize; 2] = [5, 15];
const IS_ROOT: usize = 25;
const EVENT_CODE: usize = 26;
const BASE_CODE: usize = 27;
const ROOT_CODE: usize = 28;
const QUAD: usize = 29;
const GOLDSTEIN: usize = 30;
const MENTIONS: usize = 31;
const SOURCES: usize = 32;
const ARTICLES: usize = 33;
const TONE: usize = 34;
/// Actor1Geo, Actor2Geo, ActionGeo; then FullName, CountryCode,
/// ADM1Code, ADM2Code, Lat, Long, FeatureID.
const GEOS: [usize; 3] = [35, 43, 51];
const DATE_ADDED: usize = 59;
const SOURCE_URL: usize = 60;

/// The columns a CSV or Parquet table must have to be GDELT's.
const REQUIRED: [&str; 4] = ["GLOBALEVENTID", "SQLDATE", "EventCode", "SOURCEURL"];

/// What became of a column's values: `Ok(how they are kept)` or
/// `Err(why they are not)`.
fn disposition(column: usize) -> Result<&'static str, &'static str> {
    Ok(match column {
        ID => "as the events' ids",
        SQLDATE => "as the events' days",
        MONTH_YEAR | YEAR => "checked against SQLDATE (its month and year)",
        4 => return Err("SQLDATE again, as an approximate fraction of the year"),
        5 | 15 => "in the events' summaries and records (the full CAMEO actor code)",
        6 | 16 => "as actors",
        12 | 22 => "as the actors' kinds (named) and in the summaries",
        7..=14 | 17..=24 => "in the events' summaries",
        EVENT_CODE => "as tags and titles (named from the CAMEO codebook) and in the records",
        BASE_CODE | IS_ROOT | GOLDSTEIN | MENTIONS | SOURCES | ARTICLES | TONE | DATE_ADDED => {
            "in the events' summaries"
        }
        ROOT_CODE | QUAD => "as tags (named) and in the summaries",
        35 | 43 | 51 => "as the places' kinds and in the summaries",
        36 | 44 | 52 => "as places (city, ADM1 and country names) and in the records",
        37 | 45 | 53 => "as the countries' identity (one place per code)",
        38 | 46 | 54 => "as the ADM1 places' identity (one place per code)",
        39 | 47 | 55 => "as ADM2 places, named by their code (GDELT gives no name)",
        40 | 41 | 48 | 49 | 56 | 57 => "as the places' coordinates",
        42 | 50 | 58 => "as the places' identity (one place per FeatureID) and in the summaries",
        SOURCE_URL => "as the sources' URLs",
        _ => return Err("not a column of GDELT 2.0's event table"),
    })
}

/// Which shape the input came in, said in the summary.
#[derive(Clone, Copy)]
enum Shape {
    Export,
    Csv,
    Parquet,
}

/// Reads GDELT's export or a CSV with GDELT's header from a stream.
pub(super) fn read<R: Read>(input: R, b: &mut Builder) -> Result<(), String> {
    let mut r = BufReader::with_capacity(1 << 16, input);
    let head = r
        .fill_buf()
        .map_err(|e| format!("cannot read: {}", crate::export::plain_io(&e)))?;
    refuse_other_files(head)?;
    let line = first_line(head);
    if let Some(delimiter) = header_delimiter(&line) {
        return read_csv(r, delimiter, b);
    }
    if !line.contains('\t') {
        return Err(not_gdelt(&line));
    }
    read_export(r, b)
}

/// Reads a Parquet table with GDELT's column names.
pub(super) fn read_parquet(file: File, b: &mut Builder) -> Result<(), String> {
    let table = super::parquet::open(file)?;
    let h = Header::from_names(table.names().to_vec());
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|c| h.col(c).is_none())
        .collect();
    h.require(&missing)
        .map_err(|e| format!("not GDELT's event table: {e}"))?;
    let mut g = Gdelt::new(&h);
    let mut row = 0;
    table.for_each_row(|rec| {
        row += 1;
        b.row();
        match rec {
            Ok(rec) => g.row(b, row, rec),
            Err(why) => b.skip(row, why),
        }
    })?;
    g.finish(b, Shape::Parquet);
    Ok(())
}

/// An archive or a Parquet file given as a stream: refused with what to do.
fn refuse_other_files(head: &[u8]) -> Result<(), String> {
    if head.starts_with(b"PK\x03\x04") {
        return Err("a zip archive (GDELT publishes its exports as .export.CSV.zip): unzip it and import the .export.CSV inside".into());
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        return Err("gzip-compressed: gunzip it and import the file inside".into());
    }
    if head.starts_with(super::parquet::MAGIC) {
        return Err("a Parquet file, which is read from a file path, not a stream".into());
    }
    Ok(())
}

/// The first line of the input (or its first 64 KiB), without a BOM.
fn first_line(head: &[u8]) -> String {
    let end = memchr::memchr(b'\n', head).unwrap_or(head.len());
    String::from_utf8_lossy(&head[..end])
        .trim_start_matches('\u{feff}')
        .trim_end_matches('\r')
        .to_string()
}

/// The delimiter of a header naming GLOBALEVENTID among its columns.
fn header_delimiter(line: &str) -> Option<u8> {
    let delimiter = if line.contains('\t') { b'\t' } else { b',' };
    line.split(char::from(delimiter))
        .any(|c| {
            c.trim()
                .trim_matches('"')
                .eq_ignore_ascii_case("GLOBALEVENTID")
        })
        .then_some(delimiter)
}

fn not_gdelt(line: &str) -> String {
    let shown: String = line.chars().take(120).collect();
    format!(
        "not GDELT: the first line is neither GDELT 2.0's export (61 tab-separated fields) nor a header naming GLOBALEVENTID (BigQuery's CSV export); it begins {shown:?}"
    )
}

/// GDELT's export: no header, tabs, no quoting (a `"` is text).
fn read_export<R: Read>(input: R, b: &mut Builder) -> Result<(), String> {
    b.set_unit("line");
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .quoting(false)
        .flexible(true)
        .from_reader(input);
    let h = Header::from_names(COLUMNS.iter().map(|c| c.to_string()).collect());
    let mut g = Gdelt::new(&h);
    let mut rec = StringRecord::new();
    let (mut line, mut whole, mut first) = (0, 0, None);
    while rdr.read_record(&mut rec).map_err(read_error)? {
        line += 1;
        b.row();
        first.get_or_insert(rec.len());
        if rec.len() != COLUMNS.len() {
            b.skip(line, width_reason(rec.len()));
            continue;
        }
        whole += 1;
        g.row(b, line, &rec);
    }
    if whole == 0
        && let Some(first) = first
    {
        return Err(format!(
            "not GDELT 2.0's event export: no line has its 61 tab-separated fields (the first has {first}{})",
            if matches!(first, 57 | 58) {
                ", as GDELT 1.0's daily files do: annals reads GDELT 2.0's events"
            } else {
                ""
            }
        ));
    }
    g.finish(b, Shape::Export);
    Ok(())
}

fn width_reason(n: usize) -> String {
    format!("{n} fields, GDELT 2.0's export has 61")
}

/// A CSV (or tab-separated file) whose header names GDELT's columns.
fn read_csv<R: Read>(input: R, delimiter: u8, b: &mut Builder) -> Result<(), String> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(input);
    let h = Header::of(&mut rdr)?;
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|c| h.col(c).is_none())
        .collect();
    h.require(&missing)
        .map_err(|e| format!("not GDELT's event table: {e}"))?;
    let mut g = Gdelt::new(&h);
    let mut rec = StringRecord::new();
    let mut row = 1;
    while rdr.read_record(&mut rec).map_err(read_error)? {
        row += 1;
        b.row();
        if rec.len() != h.len() {
            b.skip(row, h.width_reason(rec.len()));
            continue;
        }
        g.row(b, row, &rec);
    }
    g.finish(b, Shape::Csv);
    Ok(())
}

/// One place a row names: a `*Geo_` group of columns.
struct Geo<'r> {
    kind: &'r str,
    full: &'r str,
    country: &'r str,
    adm1: &'r str,
    adm2: &'r str,
    at: Option<(f64, f64)>,
    feature: &'r str,
}

/// What the import keeps across rows.
struct Gdelt {
    /// GDELT's column → the input's.
    cols: [Option<usize>; 61],
    /// The input's columns: GDELT's, or `None` for another.
    of_input: Vec<Option<usize>>,
    names: Vec<String>,
    /// Per input column: values of imported rows that were not empty.
    filled: Vec<usize>,
    by_url: HashMap<String, usize>,
    /// Each `*Geo_` group met, exactly, and the place it gave.
    geo_cache: HashMap<String, (Option<SharedStr>, KeyedPlace)>,
    geo_key: String,
    restored: usize,
    unnamed_codes: usize,
    renamed_places: usize,
    other_coordinates: usize,
}

impl Gdelt {
    fn new(h: &Header) -> Gdelt {
        let mut cols = [None; 61];
        for (i, c) in COLUMNS.iter().enumerate() {
            cols[i] = h.col(c);
        }
        let of_input = h
            .names()
            .iter()
            .map(|n| COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(n)))
            .collect();
        Gdelt {
            cols,
            of_input,
            names: h.names().to_vec(),
            filled: vec![0; h.len()],
            by_url: HashMap::default(),
            geo_cache: HashMap::default(),
            geo_key: String::new(),
            restored: 0,
            unnamed_codes: 0,
            renamed_places: 0,
            other_coordinates: 0,
        }
    }

    fn row(&mut self, b: &mut Builder, row: usize, rec: &StringRecord) {
        match self.one(b, rec) {
            Ok(()) => {
                for (i, cell) in rec.iter().enumerate() {
                    if !cell.trim().is_empty()
                        && let Some(n) = self.filled.get_mut(i)
                    {
                        *n += 1;
                    }
                }
            }
            Err(why) => b.skip(row, why),
        }
    }

    /// Every column accounted for, and what was read differently.
    fn finish(self, b: &mut Builder, shape: Shape) {
        for ((name, of), n) in self.names.iter().zip(&self.of_input).zip(self.filled) {
            match of.map_or(Err("not a column of GDELT 2.0's event table"), disposition) {
                Ok(how) => b.kept_many(name, n, how),
                Err(why) => b.lost_many(name, n, why),
            }
        }
        b.note(match shape {
            Shape::Export => {
                "read as GDELT 2.0's event export: 61 tab-separated columns, no header"
            }
            Shape::Csv => "read as a table with GDELT 2.0's column names (as BigQuery exports one)",
            Shape::Parquet => "read as a Parquet table with GDELT 2.0's column names",
        });
        b.note("GDELT keeps no article text: each event quotes GDELT's own record of it (its codes said plainly), from one source per SOURCEURL (kind Dataset, with the article's URL) whose text is the records GDELT coded from that article; events coded from one article share its source, one witness however many events");
        b.note("dates: SQLDATE, the day GDELT coded for the event, at day precision; when GDELT added the record (DATEADDED) is in each summary");
        if self.restored > 0 {
            b.note(format!(
                "{} CAMEO code(s) had lost leading zeros (a tool read the column as a number: 43 for 043) and were given back as GDELT writes them",
                self.restored
            ));
        }
        if self.unnamed_codes > 0 {
            b.note(format!(
                "{} event(s) have an EventCode that is not in the CAMEO codebook: kept as written, unnamed",
                self.unnamed_codes
            ));
        }
        if self.renamed_places > 0 {
            b.note(format!(
                "{} place(s) were named another way than by the first row with their code or FeatureID: a place keeps its first name; each row's own is in its record",
                self.renamed_places
            ));
        }
        if self.other_coordinates > 0 {
            b.note(format!(
                "{} place(s) had other coordinates than in the first row with their code or FeatureID: a place keeps its first; each row's own are in its event's summary",
                self.other_coordinates
            ));
        }
    }
}
