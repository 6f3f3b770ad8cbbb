//! The table-like exports: CSV for spreadsheets and scripts (columns,
//! sortable days, source names, no repeats, formulas made inert, the
//! byte-order mark) and Timesketch JSONL (the three required fields).

use annals::evidence::date::{days_in_month, iso_day};
use annals::export::{self, CSV_HEADER, Format, Made, UTF8_BOM};
use annals::{Ix, Model};
use assert_cmd::Command;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/valid/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The built-in store and the fixtures with uncertain dates, lineage and
/// formulas: each with all its events.
fn stores() -> Vec<Model> {
    let mut v = vec![annals::load_builtin().unwrap()];
    for f in ["evidence.ron", "panama.ron", "formulas.ron", "small.ron"] {
        v.push(annals::load_path(std::path::Path::new(&fixture(f))).unwrap());
    }
    v
}

fn all(m: &Model) -> Vec<Ix> {
    (0..m.events.len() as Ix).collect()
}

/// The CSV export of every event, read back: the header and the rows.
fn csv_rows(m: &Model) -> (Vec<String>, Vec<csv::StringRecord>) {
    let bytes = export::render(m, &all(m), Format::Csv, "t").unwrap();
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    (header, r.records().map(Result::unwrap).collect())
}

fn col(name: &str) -> usize {
    CSV_HEADER.iter().position(|&h| h == name).unwrap()
}

/// The characters that start a formula (OWASP).
const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

const TEXT_COLUMNS: [&str; 10] = [
    "id",
    "title",
    "summary",
    "actors",
    "places",
    "tags",
    "sources",
    "first_quote",
    "fatalities",
    "claims",
];

/// A text cell as the store has it: the `'` added before a formula removed.
fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA) => rest,
        _ => cell,
    }
}

#[test]
fn csv_has_the_documented_columns_one_row_per_event() {
    assert_eq!(
        CSV_HEADER,
        [
            "id",
            "start",
            "end",
            "date_as_written",
            "end_as_written",
            "precision",
            "title",
            "summary",
            "actors",
            "places",
            "tags",
            "sources",
            "origins",
            "first_quote",
            "fatalities",
            "claims",
        ]
    );
    for m in stores() {
        let (header, rows) = csv_rows(&m);
        assert_eq!(header, CSV_HEADER);
        assert_eq!(rows.len(), m.events.len());
        for (row, e) in rows.iter().zip(all(&m)) {
            let ev = m.event(e);
            assert_eq!(row.len(), CSV_HEADER.len());
            assert_eq!(unneutralised(&row[col("id")]), ev.id.as_str());
            assert_eq!(&row[col("date_as_written")], ev.date.to_string());
            assert_eq!(
                &row[col("end_as_written")],
                ev.end.map(|d| d.to_string()).unwrap_or_default()
            );
            assert_eq!(&row[col("precision")], ev.date.precision_label());
            assert_eq!(
                unneutralised(&row[col("summary")]),
                ev.summary.as_deref().unwrap_or("")
            );
            assert_eq!(&row[col("origins")], m.event_origins(e).to_string());
        }
    }
}

#[test]
fn csv_start_and_end_are_the_possible_days_and_sort_as_text() {
    for m in stores() {
        let (_, rows) = csv_rows(&m);
        let mut starts: Vec<(&str, i64)> = Vec::new();
        for (row, e) in rows.iter().zip(all(&m)) {
            let days = m.event(e).days();
            let (start, end) = (&row[col("start")], &row[col("end")]);
            // Empty exactly where the bound is open.
            assert_eq!(start.is_empty(), days.first == i64::MIN, "{row:?}");
            assert_eq!(end.is_empty(), days.last == i64::MAX, "{row:?}");
            if !start.is_empty() {
                assert_eq!(start, iso_day(days.first));
                assert_eq!(start.len(), 10, "{start}");
                starts.push((start, days.first));
            }
            if !end.is_empty() {
                assert_eq!(end, iso_day(days.last));
                assert!(start.is_empty() || start <= end, "{row:?}");
            }
        }
        // In the export's (chronological) order the starts never go back…
        assert!(
            starts.windows(2).all(|w| w[0].0 <= w[1].0),
            "{:?}",
            starts.iter().map(|s| s.0).collect::<Vec<_>>()
        );
        // …and sorting them as text is sorting them by day.
        for a in &starts {
            for b in &starts {
                assert_eq!(a.0.cmp(b.0), a.1.cmp(&b.1), "{} vs {}", a.0, b.0);
            }
        }
    }
}

#[test]
fn csv_names_sources_by_outlet_and_title_never_by_id() {
    for m in stores() {
        let (_, rows) = csv_rows(&m);
        for (row, e) in rows.iter().zip(all(&m)) {
            let cell = unneutralised(&row[col("sources")]);
            for q in &m.event(e).evidence {
                let s = m.source(q.source);
                let name = format!("{}, “{}”", s.outlet, s.title);
                assert!(cell.contains(&name), "{name} not in {cell}");
            }
            for item in cell.split("; ") {
                assert!(
                    m.sources.iter().all(|s| s.id.as_str() != item),
                    "a source id in {cell}"
                );
            }
        }
    }
}

#[test]
fn csv_cells_hold_each_value_once_in_order() {
    for m in stores() {
        let (_, rows) = csv_rows(&m);
        for (row, e) in rows.iter().zip(all(&m)) {
            let ev = m.event(e);
            for c in ["actors", "places", "tags"] {
                let items: Vec<&str> = unneutralised(&row[col(c)])
                    .split("; ")
                    .filter(|s| !s.is_empty())
                    .collect();
                let mut seen = items.clone();
                seen.sort_unstable();
                seen.dedup();
                assert_eq!(seen.len(), items.len(), "{c} repeats: {row:?}");
            }
            // Source names may hold "; " themselves: count each one.
            let cell = unneutralised(&row[col("sources")]);
            for q in &ev.evidence {
                let s = m.source(q.source);
                let name = format!("{}, “{}”", s.outlet, s.title);
                assert_eq!(cell.matches(&name).count(), 1, "{name} repeats: {cell}");
            }
        }
    }
    // Two sources with one outlet and title, and one actor listed after
    // another: one name each, first order kept.
    let m = annals::load_path(std::path::Path::new(&fixture("formulas.ron"))).unwrap();
    let (_, rows) = csv_rows(&m);
    let row = rows.iter().find(|r| &r[col("id")] == "'=cmd").unwrap();
    assert_eq!(&row[col("sources")], "Daily Test, “Same title”");
    assert_eq!(&row[col("origins")], "2");
    let row = rows.iter().find(|r| &r[col("id")] == "plain").unwrap();
    assert_eq!(&row[col("actors")], "Jama’at leaders; @everyone");
}

#[test]
fn csv_text_cells_never_start_a_formula_and_other_cells_are_untouched() {
    let m = annals::load_path(std::path::Path::new(&fixture("formulas.ron"))).unwrap();
    let (_, rows) = csv_rows(&m);
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            assert!(!cell.starts_with(FORMULA), "{}: {cell:?}", CSV_HEADER[i]);
            if !TEXT_COLUMNS.contains(&CSV_HEADER[i]) {
                assert!(!cell.starts_with('\''), "{}: {cell:?}", CSV_HEADER[i]);
            }
        }
    }
    let row = |id: &str| rows.iter().find(|r| &r[col("id")] == id).unwrap();
    let cmd = row("'=cmd");
    assert_eq!(
        &cmd[col("title")],
        "'=HYPERLINK(\"https://example.invalid\",\"click\")"
    );
    assert_eq!(&cmd[col("summary")], "'+1 more sign");
    assert_eq!(&cmd[col("actors")], "'@everyone; Jama’at leaders");
    assert_eq!(&cmd[col("places")], "'-Lowland");
    assert_eq!(&cmd[col("tags")], "'=tag; plain");
    assert_eq!(&cmd[col("first_quote")], "'=1+1 said the sign.");
    assert_eq!(&row("minus")[col("title")], "'-5% growth");
    assert_eq!(&row("tab")[col("title")], "'\rCarriage return first");
    assert_eq!(&row("tab")[col("first_quote")], "'\tTabbed quote here.");
    assert_eq!(&row("tab")[col("sources")], "'+Plus Wire, “Tabs”");
    // A cell that already starts with ' is not a formula: left as it is.
    assert_eq!(&row("at")[col("summary")], "'quoted already");
    // Dates: an open start is empty, not prefixed.
    assert_eq!(&row("minus")[col("start")], "");
    assert_eq!(&row("minus")[col("date_as_written")], "[..2024-02]");
}

fn annals() -> Command {
    Command::cargo_bin("annals").unwrap()
}

#[test]
fn the_byte_order_mark_is_written_only_with_bom_and_only_for_csv() {
    let store = fixture("formulas.ron");
    let plain = annals()
        .args(["export", &store, "-f", "csv", "-o", "-"])
        .output()
        .unwrap();
    assert!(plain.status.success());
    assert!(plain.stdout.starts_with(b"id,start,"));
    let marked = annals()
        .args(["export", &store, "-f", "csv", "--bom", "-o", "-"])
        .output()
        .unwrap();
    assert!(marked.status.success());
    assert_eq!(&marked.stdout[..3], UTF8_BOM);
    assert_eq!(&marked.stdout[3..], plain.stdout.as_slice());
    assert!(
        String::from_utf8(marked.stdout)
            .unwrap()
            .contains("Jama’at")
    );

    // To a file too.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    annals()
        .args(["export", &store, "-f", "csv", "--bom", "-o"])
        .arg(&path)
        .assert()
        .success();
    assert_eq!(std::fs::read(&path).unwrap()[..3], UTF8_BOM);

    // Other formats refuse it as a usage error, before writing anything.
    for f in Format::ALL.into_iter().filter(|&f| f != Format::Csv) {
        let path = dir.path().join(format!("out.{}", f.extension()));
        annals()
            .args(["export", &store, "-f", f.name(), "--bom", "-o"])
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("--bom is for csv only"));
        assert!(!path.exists(), "{}", f.name());
    }

    // The library: the same bytes with the mark, or an error.
    let m = annals::load_path(std::path::Path::new(&store)).unwrap();
    let evs = all(&m);
    let without =
        export::render_with_bom(&m, &evs, Format::Csv, "t", &Made::today(), false).unwrap();
    assert_eq!(without, export::render(&m, &evs, Format::Csv, "t").unwrap());
    let with = export::render_with_bom(&m, &evs, Format::Csv, "t", &Made::today(), true).unwrap();
    assert_eq!(with[..3], UTF8_BOM);
    assert!(export::render_with_bom(&m, &evs, Format::Json, "t", &Made::today(), true).is_err());
    assert!(export::render_with_bom(&m, &evs, Format::Json, "t", &Made::today(), false).is_ok());
}

/// `YYYY-MM-DDT00:00:00+00:00`, a real day: RFC 3339 as Timesketch reads it.
fn rfc3339_midnight_utc(s: &str) -> Option<i64> {
    let (day, time) = s.split_once('T')?;
    if time != "00:00:00+00:00" || day.len() != 10 {
        return None;
    }
    let mut parts = day.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let mo: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
        return None;
    }
    let days = annals::PartialDate::parse(day).ok()?.first_day();
    (iso_day(days) == day).then_some(days)
}

#[test]
fn timesketch_lines_carry_message_datetime_and_timestamp_desc() {
    for m in stores() {
        let bytes = export::render(&m, &all(&m), Format::Timesketch, "t").unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.ends_with('\n'));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), m.events.len());
        for (line, e) in lines.iter().zip(all(&m)) {
            let ev = m.event(e);
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["message"], ev.title.as_str(), "{line}");
            let datetime = v["datetime"].as_str().unwrap();
            let day = rfc3339_midnight_utc(datetime)
                .unwrap_or_else(|| panic!("not RFC 3339: {datetime}"));
            let desc = v["timestamp_desc"].as_str().unwrap();
            assert!(desc.starts_with("Event date ("), "{desc}");
            // The earliest possible day; the latest when the start is open.
            match ev.date.earliest() {
                Some(first) => assert_eq!(day, first, "{line}"),
                None => {
                    assert_eq!(day, ev.date.last_day(), "{line}");
                    assert!(desc.contains("latest possible day"), "{desc}");
                }
            }
            if !ev.date.is_uncertain() {
                assert_eq!(
                    desc.contains("approximate"),
                    ev.date.anchor().approximate,
                    "{desc}"
                );
                assert!(desc.contains(&format!("{} precision", ev.date.precision_label())));
            }
            assert_eq!(v["id"], ev.id.as_str());
            assert_eq!(v["date_as_written"], ev.date.to_string());
            assert_eq!(v["origins"], m.event_origins(e));
            assert!(v["actors"].is_array() && v["sources"].is_array());
            assert!(v["first_quote"].is_string() && v["url"].is_string());
        }
    }
    // An open start, on its latest possible day.
    let m = annals::load_path(std::path::Path::new(&fixture("evidence.ron"))).unwrap();
    let protest = m.event_by_id("protest").unwrap();
    let line = export::render(&m, &[protest], Format::Timesketch, "t").unwrap();
    let v: serde_json::Value = serde_json::from_slice(&line).unwrap();
    assert_eq!(v["datetime"], "2019-12-31T00:00:00+00:00");
    assert_eq!(
        v["timestamp_desc"],
        "Event date (uncertain: latest possible day)"
    );
    assert_eq!(v["start"], "");
    // Store text goes in as it is: Timesketch is not a spreadsheet.
    let m = annals::load_path(std::path::Path::new(&fixture("formulas.ron"))).unwrap();
    let cmd = m.event_by_id("=cmd").unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&export::render(&m, &[cmd], Format::Timesketch, "t").unwrap())
            .unwrap();
    assert_eq!(v["id"], "=cmd");
    assert_eq!(v["url"], "https://example.invalid/1");
    assert_eq!(
        v["sources"],
        serde_json::json!(["Daily Test, “Same title”"])
    );
}

#[test]
fn timesketch_is_a_format_by_name_with_its_extension() {
    assert_eq!("timesketch".parse::<Format>(), Ok(Format::Timesketch));
    assert!(Format::ALL.contains(&Format::Timesketch));
    assert_eq!(Format::Timesketch.extension(), "timesketch.jsonl");
    let err = "pdf".parse::<Format>().unwrap_err();
    assert!(err.contains("timesketch"), "{err}");
    let out = annals()
        .args(["export", "--ids", "coup", "-f", "timesketch", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], "coup");
    assert_eq!(v["datetime"], "2023-02-01T00:00:00+00:00");
}
