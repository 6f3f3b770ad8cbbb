//! `annals import gdelt` of a million GDELT 2.0 rows (ANNALS_GDELT_ROWS to
//! change it): wall time and peak memory (the child's maximum resident
//! set) of the real binary, for GDELT's tab-separated export and for the
//! same rows as Parquet in BigQuery's types. The goal: 90 s or less and
//! 2.5 GB or less on the project's machine (2 cores).
//!
//! The rows are made up, generated on first use into `target/bench-import/`
//! (about 400 MB of export, and its Parquet) with a fixed seed: never
//! GDELT's data. Their shape follows GDELT's: about three events an
//! article, a few thousand actors, tens of thousands of places, every
//! column filled as GDELT fills it.
//!
//! Run: `cargo bench --bench gdelt`. It prints, per shape, the rows, the
//! seconds and the peak RSS, and whether each is within the goal.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[path = "common/process.rs"]
mod process;

use parquet::basic::Compression;
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

const GOAL_SECONDS: f64 = 90.0;
const GOAL_BYTES: u64 = 2_500_000_000;

fn rows() -> usize {
    std::env::var("ANNALS_GDELT_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Real CAMEO codes (code, base, root, quad class, Goldstein scale).
const CODES: [(&str, &str, &str, &str, &str); 16] = [
    ("010", "010", "01", "1", "0.0"),
    ("020", "020", "02", "1", "3.0"),
    ("036", "036", "03", "1", "4.0"),
    ("042", "042", "04", "1", "1.9"),
    ("043", "043", "04", "1", "2.8"),
    ("046", "046", "04", "1", "7.0"),
    ("051", "051", "05", "1", "3.4"),
    ("0841", "084", "08", "2", "7.0"),
    ("111", "111", "11", "3", "-2.0"),
    ("112", "112", "11", "3", "-2.0"),
    ("141", "141", "14", "3", "-6.5"),
    ("173", "173", "17", "4", "-5.0"),
    ("180", "180", "18", "4", "-9.0"),
    ("190", "190", "19", "4", "-10.0"),
    ("193", "193", "19", "4", "-10.0"),
    ("1823", "182", "18", "4", "-10.0"),
];
const TYPES: [&str; 8] = ["GOV", "MIL", "REB", "COP", "OPP", "BUS", "MED", ""];

/// One `*Geo_` group: Type, FullName, CountryCode, ADM1, ADM2, Lat, Long, FeatureID.
fn geo(rng: &mut Rng, out: &mut String) {
    let c = rng.next(200);
    match rng.next(10) {
        0 => {
            let _ = write!(
                out,
                "1\tCountry {c}\tC{c}\tC{c}\t\t{}\t{}\tC{c}",
                (c % 160) as f64 - 80.0,
                (c % 340) as f64 - 170.0
            );
        }
        1 => {
            let a = rng.next(20);
            let _ = write!(
                out,
                "5\tProvince {a} of {c}, Country {c}\tC{c}\tC{c}{a:02}\t\t{}.5\t{}.25\tC{c}{a:02}",
                (c % 160) as i64 - 80,
                (c % 340) as i64 - 170
            );
        }
        _ => {
            let a = rng.next(20);
            let town = rng.next(100);
            let feature = -(c as i64 * 100_000 + a as i64 * 1000 + town as i64);
            let _ = write!(
                out,
                "4\tTown {town} of {a}, Province {a} of {c}, Country {c}\tC{c}\tC{c}{a:02}\t{}\t{}\t{}\t{feature}",
                c * 100 + a,
                ((c % 160) as f64 - 80.0) + town as f64 / 200.0,
                ((c % 340) as f64 - 170.0) + a as f64 / 50.0,
            );
        }
    }
}

/// GDELT's export: 61 tab-separated columns, written once.
fn export_path() -> PathBuf {
    let n = rows();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-import");
    let path = dir.join(format!("gdelt-{n}.export.CSV"));
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("target/ is writable");
    let tmp = path.with_extension("tmp");
    let mut w = BufWriter::new(File::create(&tmp).expect("target/ is writable"));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut line = String::new();
    let mut article = 0u64;
    for i in 0..n {
        line.clear();
        // About three events an article.
        if rng.next(3) == 0 {
            article += 1;
        }
        let day = 1 + rng.next(28);
        let month = 1 + rng.next(12);
        let date = format!("2024{month:02}{day:02}");
        let (code, base, root, quad, gold) = CODES[rng.next(CODES.len() as u64) as usize];
        let _ = write!(
            line,
            "{}\t{date}\t2024{month:02}\t2024\t2024.{:04}\t",
            1_180_000_000 + i as u64,
            (month * 30 + day) * 10_000 / 365
        );
        for _ in 0..2 {
            let c = rng.next(200);
            let who = rng.next(25);
            let t = TYPES[rng.next(TYPES.len() as u64) as usize];
            let _ = write!(
                line,
                "C{c:03}{t}\tGROUP {who} OF COUNTRY {c}\tC{c:03}\t\t\t\t\t{t}\t\t\t"
            );
        }
        let _ = write!(
            line,
            "{}\t{code}\t{base}\t{root}\t{quad}\t{gold}\t{}\t{}\t{}\t{:.6}\t",
            rng.next(2),
            1 + rng.next(20),
            1 + rng.next(5),
            1 + rng.next(20),
            rng.next(2000) as f64 / 100.0 - 10.0
        );
        for _ in 0..3 {
            geo(&mut rng, &mut line);
            line.push('\t');
        }
        let _ = write!(
            line,
            "2024{month:02}{day:02}{:02}{:02}00\thttps://news-{}.example/{article}/story-{article}.html",
            rng.next(24),
            rng.next(4) * 15,
            article % 500
        );
        line.push('\n');
        w.write_all(line.as_bytes()).expect("target/ is writable");
    }
    w.flush().expect("target/ is writable");
    drop(w);
    std::fs::rename(&tmp, &path).expect("target/ is writable");
    path
}

/// The export's columns: BigQuery's types for them.
fn bigquery_type(i: usize) -> &'static str {
    match i {
        0..=3 | 25 | 29 | 31..=33 | 35 | 43 | 51 | 59 => "INT64",
        4 | 30 | 34 | 40 | 41 | 48 | 49 | 56 | 57 => "DOUBLE",
        _ => "STRING",
    }
}

/// The same rows as Parquet in BigQuery's types (Snappy, 100,000 rows a
/// row group), written once.
fn parquet_path(export: &Path) -> PathBuf {
    let path = export.with_extension("parquet");
    if path.exists() {
        return path;
    }
    let fields: String = (0..61)
        .map(|i| match bigquery_type(i) {
            "INT64" => format!("OPTIONAL INT64 c{i};"),
            "DOUBLE" => format!("OPTIONAL DOUBLE c{i};"),
            _ => format!("OPTIONAL BYTE_ARRAY c{i} (UTF8);"),
        })
        .collect();
    // GDELT's names: the first line of the guide's list is enough to
    // rename c0..c60 below.
    let names = gdelt_names();
    let mut message = format!("message events {{ {fields} }}");
    for (i, n) in names.iter().enumerate().rev() {
        message = message.replace(&format!(" c{i};"), &format!(" {n};"));
        message = message.replace(&format!(" c{i} (UTF8);"), &format!(" {n} (UTF8);"));
    }
    let schema = Arc::new(parse_message_type(&message).expect("a valid schema"));
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build(),
    );
    let tmp = path.with_extension("tmp");
    let mut writer = SerializedFileWriter::new(
        File::create(&tmp).expect("target/ is writable"),
        schema,
        props,
    )
    .expect("a writer");
    let text = std::fs::read_to_string(export).expect("the export");
    let lines: Vec<&str> = text.lines().collect();
    for group in lines.chunks(100_000) {
        let cells: Vec<Vec<&str>> = group.iter().map(|l| l.split('\t').collect()).collect();
        let mut rg = writer.next_row_group().expect("a row group");
        let mut c = 0;
        while let Some(mut col) = rg.next_column().expect("a column") {
            let column: Vec<&str> = cells.iter().map(|r| r[c]).collect();
            let def: Vec<i16> = column.iter().map(|v| i16::from(!v.is_empty())).collect();
            let present = column.iter().filter(|v| !v.is_empty());
            match col.untyped() {
                ColumnWriter::Int64ColumnWriter(w) => {
                    let v: Vec<i64> = present.map(|v| v.parse().expect("an integer")).collect();
                    w.write_batch(&v, Some(&def), None).expect("written");
                }
                ColumnWriter::DoubleColumnWriter(w) => {
                    let v: Vec<f64> = present.map(|v| v.parse().expect("a number")).collect();
                    w.write_batch(&v, Some(&def), None).expect("written");
                }
                ColumnWriter::ByteArrayColumnWriter(w) => {
                    let v: Vec<ByteArray> = present.map(|v| ByteArray::from(*v)).collect();
                    w.write_batch(&v, Some(&def), None).expect("written");
                }
                _ => unreachable!(),
            }
            col.close().expect("closed");
            c += 1;
        }
        rg.close().expect("closed");
    }
    writer.close().expect("closed");
    std::fs::rename(&tmp, &path).expect("target/ is writable");
    path
}

fn gdelt_names() -> Vec<String> {
    let guide = include_str!("../docs/guide/gdelt.md");
    let list = guide
        .split("names = [")
        .nth(1)
        .and_then(|r| r.split(']').next())
        .expect("the guide lists GDELT's 61 names");
    let names: Vec<String> = list
        .split(',')
        .map(|n| n.trim().trim_matches('\'').to_string())
        .collect();
    assert_eq!(names.len(), 61);
    names
}

/// Runs `annals import gdelt INPUT -o` a store in a temporary folder.
fn import(input: &Path) -> process::Cost {
    let out = tempfile::tempdir().expect("a temporary folder");
    let store = out.path().join("gdelt.ron");
    let cost = process::run(
        std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(["import", "gdelt"])
            .arg(input)
            .arg("-o")
            .arg(&store),
    );
    assert!(store.exists(), "the store was written");
    cost
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: nothing to time.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let export = export_path();
    let parquet = parquet_path(&export);
    for (shape, path) in [("export", &export), ("parquet", &parquet)] {
        let cost = import(path);
        let (seconds, cpu, rss) = (cost.wall.as_secs_f64(), cost.cpu.as_secs_f64(), cost.peak);
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        println!(
            "gdelt {shape}: {} rows ({:.0} MB): {seconds:.1} s ({cpu:.1} s of processor), peak RSS {:.2} GB ({}; goal ≤{GOAL_SECONDS} s, ≤{:.1} GB)",
            rows(),
            size as f64 / 1e6,
            rss as f64 / 1e9,
            if seconds <= GOAL_SECONDS && rss <= GOAL_BYTES {
                "within the goal"
            } else {
                "OVER THE GOAL"
            },
            GOAL_BYTES as f64 / 1e9
        );
    }
}
