//! `annals import`: each format through the library and the binary, bad
//! rows skipped with their number, malformed inputs refused with nothing
//! written, and exports read back with their dates and precision.

use std::path::Path;

use annals::import::{self, ImportError, ImportFormat, Options, Summary};
use annals::store::StoreFile;
use assert_cmd::Command;
use predicates::prelude::*;

fn fixture(p: &str) -> String {
    format!("{}/tests/fixtures/import/{p}", env!("CARGO_MANIFEST_DIR"))
}

fn import_file(format: ImportFormat, p: &str) -> (StoreFile, Summary) {
    import::import_path(format, Path::new(&fixture(p)), &Options::default()).unwrap()
}

fn import_text(
    format: ImportFormat,
    text: &[u8],
    opts: &Options,
) -> Result<(StoreFile, Summary), ImportError> {
    import::import_reader(format, text, "input", opts)
}

/// The store as written, loaded as `annals check` loads it.
fn loads(store: &StoreFile) -> annals::Model {
    let text = import::ron(store).unwrap();
    annals::load_str(&text, "imported.ron").unwrap_or_else(|e| panic!("{e}"))
}

fn event<'a>(s: &'a StoreFile, id: &str) -> &'a annals::store::EventRec {
    s.events
        .iter()
        .find(|e| e.id.as_str() == id)
        .unwrap_or_else(|| panic!("no event {id}"))
}

fn skipped_rows(s: &Summary) -> Vec<usize> {
    s.skipped.iter().map(|r| r.row).collect()
}

#[test]
fn acled_rows_become_events_with_honest_dates() {
    let (store, summary) = import_file(ImportFormat::Acled, "acled.csv");
    loads(&store);
    assert_eq!(summary.rows, 10);
    assert_eq!(summary.events, 7);
    // Empty notes, an impossible day, a repeated event id.
    assert_eq!(skipped_rows(&summary), [5, 8, 9]);
    assert!(summary.skipped[0].reason.contains("empty notes"));
    assert!(summary.skipped[2].reason.contains("repeats"));
    assert_eq!(event(&store, "ARD1001").date.as_str(), "2024-03-15");
    // time_precision 2: the week, as an uncertain span; 3: the month.
    assert_eq!(
        event(&store, "ARD1002").date.as_str(),
        "[2024-03-08..2024-03-22]"
    );
    assert_eq!(event(&store, "ARD1003").date.as_str(), "2024-03");
    // "15 March 2024" and "06-04-2024" (day first) are days.
    assert_eq!(event(&store, "ARD1009").date.as_str(), "2024-04-06");
    let tags: Vec<&str> = event(&store, "ARD1001")
        .tags
        .iter()
        .map(|t| t.as_str())
        .collect();
    assert_eq!(tags, ["Battles", "Armed clash"]);
}

#[test]
fn acled_actors_places_sources_and_claims() {
    let (store, _) = import_file(ImportFormat::Acled, "acled.csv");
    let names: Vec<&str> = store.actors.iter().map(|a| a.name.as_str()).collect();
    // One actor per name; associated actors split on ';'.
    assert_eq!(
        names.iter().filter(|n| **n == "Free Hills Front").count(),
        1
    );
    assert!(names.contains(&"Traders (Ardan)") && names.contains(&"Farmers (Ardan)"));
    let kind = |n: &str| {
        store
            .actors
            .iter()
            .find(|a| a.name.as_str() == n)
            .unwrap()
            .kind
            .as_str()
    };
    assert_eq!(kind("Military Forces of Ardan (2020-)"), "state forces");
    assert_eq!(kind("Traders (Ardan)"), "actor");
    // Places: one per chain, the location with its coordinates.
    let kovo = store
        .places
        .iter()
        .find(|p| p.name.as_str() == "Kovo")
        .unwrap();
    assert_eq!(kovo.coordinates, Some((12.5, 3.25)));
    assert_eq!(kovo.within.as_deref(), Some("kovo-district"));
    assert_eq!(
        store
            .places
            .iter()
            .filter(|p| p.name.as_str() == "Kovo")
            .count(),
        1
    );
    // A source per row: the notes, kind Dataset; the quote is the notes.
    let src = store
        .sources
        .iter()
        .find(|s| s.id.as_str() == "acled-ARD1001")
        .unwrap();
    assert_eq!(src.kind, annals::store::SourceKind::Dataset);
    assert_eq!(
        src.outlet.as_str(),
        "ACLED record (reported by: Ardan Daily)"
    );
    assert_eq!(
        event(&store, "ARD1001").evidence[0].quote.as_str(),
        src.text.trim()
    );
    // Fatalities as given; no relation invented.
    let fatal = store
        .claims
        .iter()
        .find(|c| c.subject.as_str() == "ARD1001")
        .unwrap();
    assert_eq!(
        (fatal.attribute.as_str(), fatal.value.as_str()),
        ("fatalities", "3")
    );
    assert_eq!(fatal.value_number, Some(3.0));
    let unknown = store
        .claims
        .iter()
        .find(|c| c.subject.as_str() == "ARD1006")
        .unwrap();
    assert_eq!(
        (unknown.value.as_str(), unknown.value_number),
        ("unknown", None)
    );
    assert!(store.relations.is_empty());
}

/// An export in ACLED's own shape (its column order, CRLF line ends, the
/// older exports' `16-Feb-21` dates), with invented rows.
#[test]
fn acled_two_digit_years_are_settled_by_the_year_column() {
    let (store, summary) = import_file(ImportFormat::Acled, "acled_export.csv");
    loads(&store);
    assert_eq!(summary.rows, 6);
    // Before: 0 events (every date refused). Now all but the row whose
    // year column is empty.
    assert_eq!(summary.events, 5, "{summary}");
    assert_eq!(event(&store, "ARD2001").date.as_str(), "2021-02-16");
    assert_eq!(event(&store, "ARD2006").date.as_str(), "2021-03");
    assert_eq!(skipped_rows(&summary), [5]);
    let why = &summary.skipped[0].reason;
    assert!(
        why.contains("1921-03-03 (3 March) or 2021-03-03 (3 March)"),
        "{why}"
    );
    assert!(
        why.contains("15-Mar-2024") && why.contains("15 March 2024"),
        "{why}"
    );
    assert!(summary.to_string().contains("two-digit year"), "{summary}");
}

#[test]
fn acled_place_kinds_come_from_the_chain_not_the_first_row() {
    let (store, _) = import_file(ImportFormat::Acled, "acled_export.csv");
    // Kovo is first met in a row with geo_precision 3, then with 1: it is a
    // location for both; the precision stays with each event.
    let kovo: Vec<_> = store
        .places
        .iter()
        .filter(|p| p.name.as_str() == "Kovo")
        .collect();
    assert_eq!(kovo.len(), 1);
    assert_eq!(kovo[0].kind.as_str(), "location");
    let kind = |n: &str| {
        store
            .places
            .iter()
            .find(|p| p.name.as_str() == n)
            .unwrap()
            .kind
            .as_str()
    };
    assert_eq!(kind("Kovo Town"), "admin3");
    assert_eq!(kind("Tarn"), "location");
    let summary = |id: &str| {
        event(&store, id)
            .summary
            .as_deref()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        summary("ARD2001").contains("geo_precision 3"),
        "{}",
        summary("ARD2001")
    );
    assert!(
        summary("ARD2002").contains("geo_precision 1"),
        "{}",
        summary("ARD2002")
    );
    // The place keeps its first coordinates; a row giving others says so.
    assert_eq!(kovo[0].coordinates, Some((12.5, 3.25)));
    assert!(
        summary("ARD2005").contains("12.5010"),
        "{}",
        summary("ARD2005")
    );
}

#[test]
fn acled_an_actor_on_both_sides_is_named_once() {
    let (store, _) = import_file(ImportFormat::Acled, "acled_export.csv");
    let e = event(&store, "ARD2003");
    assert_eq!(
        e.title.matches("Free Hills Front").count(),
        1,
        "{}",
        e.title
    );
    assert_eq!(e.actors.len(), 1);
    // Different actors are both named.
    let t = &event(&store, "ARD2001").title;
    assert!(
        t.contains("Military Forces of Ardan (2020-); Free Hills Front"),
        "{t}"
    );
}

#[test]
fn acled_every_column_is_accounted_for() {
    let (_, summary) = import_file(ImportFormat::Acled, "acled_export.csv");
    let text = summary.to_string();
    for column in [
        "iso",
        "region",
        "timestamp",
        "population_best",
        "interaction",
    ] {
        assert!(
            text.contains(&format!("not kept: {column}: 5 values (")),
            "{column}: {text}"
        );
    }
    for column in [
        "admin3",
        "fatalities",
        "geo_precision",
        "notes",
        "year",
        "event_date",
    ] {
        assert!(
            text.contains(&format!("kept: {column}: ")),
            "{column}: {text}"
        );
    }
    // The one row whose coordinates differ from the place's first.
    assert!(text.contains("not kept: latitude: 1 value ("), "{text}");
    // Every column of the header is there.
    let header = std::fs::read_to_string(fixture("acled_export.csv")).unwrap();
    for column in header.lines().next().unwrap().split(',') {
        assert!(
            summary.fields.iter().any(|f| f.field == column),
            "{column} is not accounted for"
        );
    }
}

/// ACLED's fatalities, a claim about the event, reach the briefing and
/// the CSV export.
#[test]
fn acled_fatalities_reach_the_briefing_and_the_csv() {
    use annals::export::{self, CSV_HEADER, Format};
    let (store, _) = import_file(ImportFormat::Acled, "acled_export.csv");
    let m = loads(&store);
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let csv = export::render(&m, &all, Format::Csv, "T").unwrap();
    let mut r = csv::Reader::from_reader(csv.as_slice());
    let col = |name: &str| CSV_HEADER.iter().position(|&h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let row = rows.iter().find(|r| &r[col("id")] == "ARD2001").unwrap();
    assert_eq!(&row[col("fatalities")], "4");
    let row = rows.iter().find(|r| &r[col("id")] == "ARD2002").unwrap();
    assert_eq!(&row[col("fatalities")], "2");
    let md = String::from_utf8(export::render(&m, &all, Format::Md, "T").unwrap()).unwrap();
    // Under its event, citing the notes' footnote the event already has.
    let at = md.find("Armed clash in Kovo").expect("the event");
    let below = &md[at..];
    let marker = &below[below.find("[^").unwrap()..below.find('\n').unwrap()];
    let line = below.lines().find(|l| l.contains("fatalities")).unwrap();
    assert_eq!(line.trim(), format!("- fatalities: 4{marker}"), "{md}");
}

#[test]
fn acled_takes_any_column_order_and_a_subset() {
    let csv = "NOTES,location,EVENT_DATE,event_id_cnty\n\"Something happened, said X.\",Kovo,2024-05-01,K1\n";
    let (store, summary) =
        import_text(ImportFormat::Acled, csv.as_bytes(), &Options::default()).unwrap();
    loads(&store);
    assert_eq!(summary.events, 1);
    assert_eq!(store.events[0].places.len(), 1);
    // A time of day in event_date is dropped, and said so.
    let csv = "event_id_cnty,event_date,notes,location\nK2,2024-05-01T10:00:00Z,\"Said.\",Kovo\n";
    let (store, summary) =
        import_text(ImportFormat::Acled, csv.as_bytes(), &Options::default()).unwrap();
    assert_eq!(store.events[0].date.as_str(), "2024-05-01");
    assert!(
        summary
            .to_string()
            .contains("1 event_date value(s) had a time of day"),
        "{summary}"
    );
}

#[test]
fn malformed_inputs_are_refused_with_a_reason() {
    let semi = "event_id_cnty;event_date;country;notes\nA1;2024-01-01;X;Y\n";
    let e = import_text(ImportFormat::Acled, semi.as_bytes(), &Options::default()).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("missing required columns event_id_cnty, event_date, notes"),
        "{msg}"
    );
    assert!(msg.contains("separated by ';'"), "{msg}");

    let bad_utf8 = b"event_id_cnty,event_date,country,notes\nA1,2024-01-01,X,caf\xe9\n";
    let msg = import_text(ImportFormat::Acled, bad_utf8, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("invalid UTF-8"), "{msg}");

    let msg = import_text(
        ImportFormat::TimelineJs,
        b"{\"events\": [",
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(msg.contains("not TimelineJS JSON"), "{msg}");

    let msg = import_text(
        ImportFormat::Timesketch,
        b"{\"message\": \"a\"\n",
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(msg.contains("line 1 is not JSON"), "{msg}");

    let small = Options {
        max_bytes: 100,
        ..Options::default()
    };
    let e = import::import_path(
        ImportFormat::Acled,
        Path::new(&fixture("acled.csv")),
        &small,
    )
    .unwrap_err();
    assert!(matches!(e, ImportError::TooBig { cap: 100, .. }), "{e}");
}

#[test]
fn only_the_first_skipped_rows_are_listed() {
    let mut csv = String::from("event_id_cnty,event_date,country,notes\n");
    for i in 0..30 {
        csv.push_str(&format!("E{i},2024-01-01,X,\n"));
    }
    csv.push_str("OK,2024-01-01,X,fine\n");
    let (_, s) = import_text(ImportFormat::Acled, csv.as_bytes(), &Options::default()).unwrap();
    assert_eq!(
        (s.skipped.len(), s.unlisted, s.skipped_total()),
        (20, 10, 30)
    );
    assert_eq!(s.skipped[0].row, 2);
    assert!(s.to_string().contains("and 10 more rows skipped"));
}

#[test]
fn timesketch_csv_and_jsonl() {
    for file in ["timesketch.csv", "timesketch.jsonl"] {
        let (store, summary) = import_file(ImportFormat::Timesketch, file);
        loads(&store);
        assert_eq!(summary.events, 3, "{file}");
        assert_eq!(summary.skipped.len(), 2, "{file}: {summary}");
        let dates: Vec<&str> = store.events.iter().map(|e| e.date.as_str()).collect();
        // The day as written in datetime, or the UTC day of timestamp.
        assert_eq!(dates, ["2024-03-15", "2024-03-15", "2024-03-17"], "{file}");
        let first = &store.events[0];
        assert_eq!(first.title.as_str(), "User alice logged in");
        assert!(first.tags.iter().any(|t| t.as_str() == "Login Time"));
        assert!(
            first
                .summary
                .as_deref()
                .unwrap()
                .contains("hostname: srv-01")
        );
    }
    let (_, s) = import_file(ImportFormat::Timesketch, "timesketch.jsonl");
    assert_eq!(skipped_rows(&s), [4, 5]);
}

/// Timesketch reads an epoch number's unit from its magnitude; so does
/// annals, and says which units it read.
#[test]
fn timesketch_timestamps_by_magnitude() {
    let (store, summary) = import_file(ImportFormat::Timesketch, "timesketch_units.csv");
    loads(&store);
    let dates: Vec<&str> = store.events.iter().map(|e| e.date.as_str()).collect();
    assert_eq!(
        dates,
        [
            "2024-03-15", // seconds
            "2024-03-15", // milliseconds
            "2024-03-15", // microseconds
            "2024-03-15", // nanoseconds
            "2024-03-15", // an epoch in datetime
            "2024-03-15", // ISO datetime, the time dropped
            "1969-12-31", // a second before 1970's second day
        ],
        "{summary}"
    );
    assert_eq!(skipped_rows(&summary), [9]);
    let text = summary.to_string();
    assert!(
        text.contains("3 in seconds, 1 in milliseconds, 1 in microseconds, 1 in nanoseconds"),
        "{text}"
    );
    assert!(
        text.contains("1 datetime value(s) had a time of day"),
        "{text}"
    );
    // Every column is accounted for; a timestamp beside a datetime is not read.
    assert!(text.contains("kept: data_type: 7 values"), "{text}");
    assert!(
        text.contains("not kept: timestamp: 1 value (datetime gives the day)"),
        "{text}"
    );
    // The three rows of Timesketch's own test: one instant in s, ms and µs.
    let csv = "message,timestamp,timestamp_desc\n\
               seconds,1658689261,test\n\
               milliseconds,1658689261123,test\n\
               microseconds,1658689261123456,test\n\
               nanoseconds,1658689261123456789,test\n";
    let (store, _) = import_text(
        ImportFormat::Timesketch,
        csv.as_bytes(),
        &Options::default(),
    )
    .unwrap();
    let dates: Vec<&str> = store.events.iter().map(|e| e.date.as_str()).collect();
    assert_eq!(dates, ["2022-07-24"; 4]);
    // JSON numbers too, and an epoch in datetime.
    let jsonl = "{\"message\": \"a\", \"timestamp\": 1658689261123, \"timestamp_desc\": \"t\"}\n\
                 {\"message\": \"b\", \"datetime\": 1658689261, \"timestamp_desc\": \"t\"}\n";
    let (store, _) = import_text(
        ImportFormat::Timesketch,
        jsonl.as_bytes(),
        &Options::default(),
    )
    .unwrap();
    let dates: Vec<&str> = store.events.iter().map(|e| e.date.as_str()).collect();
    assert_eq!(dates, ["2022-07-24"; 2]);
}

#[test]
fn timelinejs_json_keeps_each_dates_precision() {
    let (store, summary) = import_file(ImportFormat::TimelineJs, "timeline.json");
    loads(&store);
    assert_eq!(store.meta.title.as_str(), "The Ardan & Kovo crisis");
    let by_title = |t: &str| store.events.iter().find(|e| e.title.as_str() == t).unwrap();
    assert_eq!(by_title("Drought year").date.as_str(), "2023");
    assert_eq!(
        by_title("Drought year").summary.as_deref(),
        Some("Rains failed.")
    );
    assert_eq!(by_title("Clashes begin").date.as_str(), "2024-03");
    assert!(
        by_title("Clashes begin")
            .summary
            .as_deref()
            .unwrap()
            .contains("Media credit: Ardan Daily")
    );
    let siege = event(&store, "siege");
    assert_eq!(
        (siege.date.as_str(), siege.end.as_deref()),
        ("2024-03-15", Some("2024-04-02"))
    );
    assert!(
        by_title("Talks")
            .summary
            .as_deref()
            .unwrap()
            .contains("Shown as: Early April")
    );
    // The era repeating the siege is dropped; the other is a period.
    assert_eq!(
        store
            .events
            .iter()
            .filter(|e| e.title.as_str() == "Siege of Kovo")
            .count(),
        1
    );
    let era = by_title("Transition period");
    assert_eq!(
        (era.date.as_str(), era.end.as_deref()),
        ("2024", Some("2025"))
    );
    assert!(era.tags.iter().any(|t| t.as_str() == "era"));
    assert_eq!(summary.events, 5);
    assert_eq!(skipped_rows(&summary), [6, 7, 8]);
}

#[test]
fn timelinejs_sheet_csv() {
    let (store, summary) = import_file(ImportFormat::TimelineJs, "timeline_sheet.csv");
    loads(&store);
    assert_eq!(store.meta.title.as_str(), "The Ardan crisis (sheet)");
    let dates: Vec<(&str, Option<&str>)> = store
        .events
        .iter()
        .map(|e| (e.date.as_str(), e.end.as_deref()))
        .collect();
    assert_eq!(
        dates,
        [
            ("2023", None),
            ("2024-03", None),
            ("2024-03-15", Some("2024-04-02")),
            ("2024", Some("2025"))
        ]
    );
    assert_eq!(skipped_rows(&summary), [7]);
}

#[test]
fn generic_csv_through_a_mapping() {
    let opts = Options {
        map: import::parse_map(
            "date=when,title=what,actors=who,places=where,quote=text,source=outlet,url=link,tags=labels",
        )
        .unwrap(),
        ..Options::default()
    };
    let (store, summary) =
        import::import_path(ImportFormat::Csv, Path::new(&fixture("generic.csv")), &opts).unwrap();
    loads(&store);
    assert_eq!(summary.events, 4);
    assert_eq!(skipped_rows(&summary), [6, 7]);
    let dates: Vec<&str> = store.events.iter().map(|e| e.date.as_str()).collect();
    assert_eq!(
        dates,
        ["2024-03-15", "~2024-03", "[2024-03..2024-04]", "2024-04-02"]
    );
    assert_eq!(store.events[0].actors.len(), 2);
    assert_eq!(store.events[0].tags.len(), 2);
    // Rows with the same outlet and URL share a source holding both quotes.
    assert_eq!(
        store.events[0].evidence[0].source,
        store.events[2].evidence[0].source
    );
    assert_eq!(store.sources.len(), 3);
    // Without a mapping the required fields are missing, and said so.
    let msg = import::import_path(
        ImportFormat::Csv,
        Path::new(&fixture("generic.csv")),
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        msg.contains("date, title, quote") && msg.contains("--map"),
        "{msg}"
    );
    assert!(import::parse_map("dat=when").is_err());
}

/// annals' own exports of the built-in store, imported back: every event,
/// with its id, title, date and end exactly as written.
#[test]
fn generic_csv_reads_iso_datetimes_and_accounts_for_every_column() {
    let csv = "when,what,text,notes\n\
               2024-03-15T10:20:00Z,Zulu,\"A quote.\",x\n\
               2024-03-16T23:10:05-05:00,Offset,\"B quote.\",\n\
               2024-03-17 08:00:00,Space,\"C quote.\",y\n\
               05/08/2024,Ambiguous,\"D quote.\",z\n";
    let opts = Options {
        map: import::parse_map("date=when,title=what,quote=text").unwrap(),
        ..Options::default()
    };
    let (store, summary) = import_text(ImportFormat::Csv, csv.as_bytes(), &opts).unwrap();
    loads(&store);
    let dates: Vec<&str> = store.events.iter().map(|e| e.date.as_str()).collect();
    // The day as written; the time dropped, and said.
    assert_eq!(dates, ["2024-03-15", "2024-03-16", "2024-03-17"]);
    let text = summary.to_string();
    assert!(text.contains("3 date(s) had a time of day"), "{text}");
    assert_eq!(skipped_rows(&summary), [5]);
    assert!(
        summary.skipped[0]
            .reason
            .contains("2024-08-05 (5 August) or 2024-05-08 (8 May)"),
        "{text}"
    );
    assert!(text.contains("kept: when: 3 values as date"), "{text}");
    assert!(
        text.contains("not kept: notes: 2 values (mapped to no field"),
        "{text}"
    );
}

#[test]
fn exports_come_back_with_their_dates() {
    let m = annals::load_builtin().unwrap();
    let all: Vec<annals::Ix> = (0..m.events.len() as annals::Ix).collect();
    for (format, back) in [
        (annals::export::Format::TimelineJs, ImportFormat::TimelineJs),
        (annals::export::Format::Timesketch, ImportFormat::Timesketch),
    ] {
        let bytes = annals::export::render(&m, &all, format, "Niger").unwrap();
        let (store, summary) = import_text(back, &bytes, &Options::default()).unwrap();
        assert_eq!(summary.skipped_total(), 0, "{summary}");
        let model = loads(&store);
        assert_eq!(model.events.len(), m.events.len(), "{format:?}");
        for (a, b) in m.events.iter().zip(&model.events) {
            assert_eq!(a.id, b.id, "{format:?}");
            assert_eq!(a.title, b.title, "{format:?}");
            assert_eq!(a.date, b.date, "{format:?} {}", a.id);
            assert_eq!(a.end, b.end, "{format:?} {}", a.id);
        }
    }
}

// The binary.

fn annals() -> Command {
    Command::cargo_bin("annals").unwrap()
}

#[test]
fn cli_imports_and_the_store_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("acled.ron");
    annals()
        .args(["import", "acled", &fixture("acled.csv"), "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("acled: 10 rows read: 7 events"))
        .stderr(predicate::str::contains("row 5: ARD1004: empty notes"))
        .stderr(predicate::str::contains("wrote 7 events to"));
    annals()
        .arg("check")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("7 events"));
}

#[test]
fn cli_never_replaces_without_force_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("store.ron");
    std::fs::write(&out, "keep me").unwrap();
    let run = |extra: &[&str]| {
        let mut c = annals();
        c.args(["import", "timelinejs", &fixture("timeline.json"), "-o"])
            .arg(&out)
            .args(extra);
        c.assert()
    };
    run(&[])
        .failure()
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    run(&["--dry-run"])
        .success()
        .stderr(predicate::str::contains("nothing written"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    run(&["--force", "--title", "Mine"]).success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        annals::load_str(&text, "x").unwrap().meta.title.as_str(),
        "Mine"
    );
    // Nothing needed but the input with --dry-run.
    annals()
        .args([
            "import",
            "timesketch",
            &fixture("timesketch.jsonl"),
            "--dry-run",
        ])
        .assert()
        .success();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn cli_malformed_input_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("semi.csv");
    std::fs::write(
        &input,
        "event_id_cnty;event_date;country;notes\nA;2024-01-01;X;Y\n",
    )
    .unwrap();
    let out = dir.path().join("out.ron");
    annals()
        .args(["import", "acled"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing required columns"))
        .stderr(predicate::str::contains("nothing written"));
    assert!(!out.exists());
    // --map is for csv only: a usage error.
    annals()
        .args([
            "import",
            "acled",
            &fixture("acled.csv"),
            "--dry-run",
            "--map",
            "date=x",
        ])
        .assert()
        .code(2);
    annals()
        .args([
            "import",
            "csv",
            &fixture("generic.csv"),
            "--dry-run",
            "--map",
            "when=date",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field"));
}

#[test]
fn a_slashed_date_that_reads_both_ways_is_refused_not_guessed() {
    use annals::import::{date_problem, read_date};
    assert_eq!(read_date("05/06/2024"), None);
    // The hint gives both readings of the very date, not a fixed example.
    let p = date_problem("05/08/2024");
    assert!(
        p.contains("2024-08-05 (5 August) or 2024-05-08 (8 May)"),
        "{p}"
    );
    assert!(date_problem("05/06/2024").contains("2024-06-05 (5 June) or 2024-05-06 (6 May)"));
    // The same day either way round is no ambiguity.
    assert_eq!(read_date("05/05/2024").as_deref(), Some("2024-05-05"));
    assert_eq!(read_date("06/25/2024").as_deref(), Some("2024-06-25"));
    // Unambiguous either way round of a slash: the day is over 12.
    assert_eq!(read_date("25/06/2024").as_deref(), Some("2024-06-25"));
    // ACLED's dashes are day first.
    assert_eq!(read_date("05-06-2024").as_deref(), Some("2024-06-05"));
    assert!(
        date_problem("2024-02-30").contains("29 days"),
        "{}",
        date_problem("2024-02-30")
    );
}

/// A TimelineJS file shaped like TimelineJS3's own examples (title slide
/// with text and media, eras, media URLs, a blockquote media, a slide with
/// text and no headline, `<br>` in headlines): nothing of it is dropped
/// without a word.
#[test]
fn timelinejs_media_quotes_and_untitled_slides_are_kept() {
    let (store, summary) = import_file(ImportFormat::TimelineJs, "timeline_media.json");
    let model = loads(&store);
    assert_eq!(store.meta.title.as_str(), "The Vell valley canal works");
    assert!(
        store
            .meta
            .description
            .starts_with("How the lower Vell valley was drained"),
        "{:?}",
        store.meta.description
    );
    let by_title = |t: &str| {
        store
            .events
            .iter()
            .find(|e| e.title.as_str() == t)
            .unwrap_or_else(|| panic!("no event {t:?}"))
    };
    // <br> in a headline: a space in a one-line title.
    by_title("First survey of the lower marshes");
    assert_eq!(
        event(&store, "cut-floods").title.as_str(),
        "The cut floods twice"
    );
    // The media URL is the URL of the source the event quotes.
    let url_of = |e: &annals::store::EventRec| {
        let src = &e.evidence[0].source;
        let s = store.sources.iter().find(|s| &s.id == src).unwrap();
        s.url.as_deref().map(str::to_string)
    };
    assert_eq!(
        url_of(by_title("Second survey")).as_deref(),
        Some("https://en.wikipedia.org/wiki/Second_Vell_Survey")
    );
    // Two slides with one media URL share its source.
    assert_eq!(
        by_title("Lock gates hung at Harrow Ford").evidence[0].source,
        by_title("The canal opens").evidence[0].source
    );
    // A slide with text and no headline: its first sentence, marked.
    let vote = by_title("The valley council votes to fund a canal.");
    assert!(vote.tags.iter().any(|t| t.as_str() == "title-from-text"));
    assert_eq!(
        vote.evidence[0].quote.as_str(),
        "The valley council votes to fund a canal."
    );
    // A slide whose only content is a blockquote in its media: the quote.
    let quote = "“We shall cut the canal straight through the marsh, whatever it costs.” — Council chair, March 1874";
    let cut = store
        .events
        .iter()
        .find(|e| e.evidence.iter().any(|q| q.quote.as_str() == quote))
        .expect("the blockquote is evidence");
    assert_eq!(
        cut.title.as_str(),
        "“We shall cut the canal straight through the marsh, whatever it costs.”"
    );
    assert!(cut.tags.iter().any(|t| t.as_str() == "title-from-text"));
    // Eras are events tagged era.
    let era = by_title("Digging the canal");
    assert!(era.tags.iter().any(|t| t.as_str() == "era"));
    assert_eq!(era.end.as_deref(), Some("1889-11-02"));
    assert_eq!(model.events.len(), 9);
    assert_eq!(summary.skipped_total(), 0, "{summary}");
    // The accounting: every field read or not.
    let text = summary.to_string();
    for line in [
        "kept: media.url: 5 values as the URL of the source the event quotes",
        "kept: media.url (a blockquote): 1 value",
        "kept: media.caption: 4 values",
        "kept: media.credit: 3 values",
        "not kept: media.thumbnail: 1 value",
        "not kept: background: 1 value",
        "not kept: start_date.hour: 1 value",
        "not kept: autolink: 1 value",
        "kept: title.text.text: 1 value as the store's description",
        "not kept: title.media.url: 1 value",
        "kept: eras: 2 values",
        "kept: group: 4 values",
    ] {
        assert!(text.contains(line), "{line:?} not in:\n{text}");
    }
}

/// The slides, eras and groups of a TimelineJS file: headline (one line),
/// start and end as numbers, media URL, group.
type Slides = Vec<(String, Vec<i64>, Vec<i64>, String, String)>;

fn slides_of(v: &serde_json::Value, key: &str) -> Slides {
    let num = |d: &serde_json::Value, k: &str| match &d[k] {
        serde_json::Value::String(s) => s.parse::<i64>().ok(),
        n => n.as_i64(),
    };
    let date = |d: &serde_json::Value| -> Vec<i64> {
        ["year", "month", "day"]
            .iter()
            .filter_map(|k| num(d, k))
            .collect()
    };
    let mut out: Slides = v[key]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let headline = annals::import::timelinejs::html_to_text(
                s["text"]["headline"].as_str().unwrap_or(""),
            );
            (
                headline.split_whitespace().collect::<Vec<_>>().join(" "),
                date(&s["start_date"]),
                date(&s["end_date"]),
                s["media"]["url"].as_str().unwrap_or("").to_string(),
                // TimelineJS puts slides without a group in a row of their
                // own when others have one; annals' export names it.
                match s["group"].as_str() {
                    Some(annals::export::UNTAGGED_GROUP) | None => String::new(),
                    Some(g) => g.to_string(),
                },
            )
        })
        .collect();
    out.sort();
    out
}

/// Imported and exported again, a TimelineJS file has the same slides,
/// eras and groups: headlines, dates and media URLs.
#[test]
fn timelinejs_round_trip_keeps_slides_eras_and_groups() {
    let path = fixture("timeline_media.json");
    let before: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let (store, _) = import_file(ImportFormat::TimelineJs, "timeline_media.json");
    let model = loads(&store);
    let all: Vec<annals::Ix> = (0..model.events.len() as annals::Ix).collect();
    let bytes = annals::export::render(
        &model,
        &all,
        annals::export::Format::TimelineJs,
        &model.meta.title,
    )
    .unwrap();
    let after: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let (slides, eras) = (slides_of(&before, "events"), slides_of(&before, "eras"));
    assert_eq!(slides.len(), 7);
    assert_eq!(eras.len(), 2);
    assert_eq!(slides_of(&after, "events"), slides);
    assert_eq!(slides_of(&after, "eras"), eras);
    let groups = |s: &Slides| {
        s.iter()
            .map(|x| x.4.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(groups(&slides_of(&after, "events")), groups(&slides));
    // The title slide's text comes back.
    assert_eq!(
        annals::import::timelinejs::html_to_text(after["title"]["text"]["text"].as_str().unwrap()),
        annals::import::timelinejs::html_to_text(before["title"]["text"]["text"].as_str().unwrap())
    );
    // And once more: the export of the import of the export is the same.
    let (again, _) = import_text(ImportFormat::TimelineJs, &bytes, &Options::default()).unwrap();
    let again = loads(&again);
    let bytes2 = annals::export::render(
        &again,
        &all,
        annals::export::Format::TimelineJs,
        &again.meta.title,
    )
    .unwrap();
    let after2: serde_json::Value = serde_json::from_slice(&bytes2).unwrap();
    assert_eq!(slides_of(&after2, "events"), slides);
    assert_eq!(slides_of(&after2, "eras"), eras);
}

/// TimelineJS3 takes signed years (its own template has slides at
/// `"year": "-3500"`): they come in as written, and annals' export of
/// years before 0000 and after 9999 comes back with the same dates.
#[test]
fn timelinejs_signed_years_come_in_and_round_trip() {
    let json = br#"{
        "title": {"text": {"headline": "Bronze and after"}},
        "events": [
            {"start_date": {"year": "-3500"}, "text": {"headline": "Writing in clay"}},
            {"start_date": {"year": -44, "month": "3", "day": "15"}, "text": {"headline": "The ides"}},
            {"start_date": {"year": "-12000"}, "text": {"headline": "Ice retreats"}},
            {"start_date": {"year": "-1000000"}, "text": {"headline": "Too far back"}},
            {"start_date": {"year": "-12000", "month": "3"}, "text": {"headline": "A month of a long year"}}
        ]
    }"#;
    let (store, summary) =
        import_text(ImportFormat::TimelineJs, json, &Options::default()).unwrap();
    loads(&store);
    let date = |t: &str| {
        store
            .events
            .iter()
            .find(|e| e.title.as_str() == t)
            .unwrap_or_else(|| panic!("no {t}"))
            .date
            .to_string()
    };
    assert_eq!(date("Writing in clay"), "-3500");
    assert_eq!(date("The ides"), "-0044-03-15");
    assert_eq!(date("Ice retreats"), "Y-12000");
    assert_eq!(skipped_rows(&summary), [5, 6], "{summary}");
    let said = summary.to_string();
    assert!(said.contains("-999999 to 999999"), "{said}");
    assert!(said.contains("takes no month or day"), "{said}");

    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/ancient.ron"
    );
    let m = annals::load_str(&std::fs::read_to_string(path).unwrap(), path).unwrap();
    let all: Vec<annals::Ix> = (0..m.events.len() as annals::Ix).collect();
    let bytes = annals::export::render(&m, &all, annals::export::Format::TimelineJs, "T").unwrap();
    let (store, summary) =
        import_text(ImportFormat::TimelineJs, &bytes, &Options::default()).unwrap();
    assert_eq!(summary.skipped_total(), 0, "{summary}");
    let back = loads(&store);
    for (a, b) in m.events.iter().zip(&back.events) {
        assert_eq!((&a.id, a.date, a.end), (&b.id, b.date, b.end));
    }
}

/// A one-line file is all header: the missing-column error quotes 200
/// characters of it and its length, not the whole line (a 300 MB line was
/// copied into the message, and printed).
#[test]
fn a_missing_column_error_quotes_a_long_header_cut() {
    let line = format!("{}\n", "x".repeat(1 << 20));
    let err = import_text(ImportFormat::Csv, line.as_bytes(), &Options::default())
        .unwrap_err()
        .to_string();
    assert!(err.len() < 1000, "{} bytes of message", err.len());
    assert!(err.contains("1 column, 1048576 bytes in all"), "{err}");
}

/// A row whose date the model cannot hold is skipped and named; the rest
/// is imported (an ACLED week around 9999-12-30 reaches into year 10000,
/// and stopped the whole import as "a bug in the importer").
#[test]
fn a_row_whose_date_a_store_cannot_write_is_skipped_not_the_import() {
    let csv = "notes,event_date,event_id_cnty,time_precision,country,location,year\n\
        \"A clash near Kovo.\",2024-03-15,K1,1,Ardan,Kovo,2024\n\
        \"A late clash near Kovo.\",9999-12-30,K2,2,Ardan,Kovo,9999\n";
    let (store, summary) =
        import_text(ImportFormat::Acled, csv.as_bytes(), &Options::default()).unwrap();
    assert_eq!(store.events.len(), 1);
    assert_eq!(summary.skipped.len(), 1);
    assert!(summary.skipped[0].reason.contains("K2"), "{summary}");
}

/// Many `;`-separated tags and many `&` are read as they are (the work is
/// linear; `benches/import.rs` has the figures).
#[test]
fn long_lists_and_lone_ampersands_are_read_whole() {
    let tags: Vec<String> = (0..2000).map(|i| format!("t{}", i % 1500)).collect();
    let csv = format!(
        "date,title,quote,tags\n2024-03-15,A title,A quote,{}\n",
        tags.join(";")
    );
    let (store, _) = import_text(ImportFormat::Csv, csv.as_bytes(), &Options::default()).unwrap();
    let got: Vec<&str> = store.events[0].tags.iter().map(|t| t.as_str()).collect();
    let want: Vec<String> = (0..1500).map(|i| format!("t{i}")).collect();
    assert_eq!(got, want);
    let json = format!(
        r#"{{"events": [{{"start_date": {{"year": "2024"}}, "text": {{"headline": "A &amp; B", "text": "{} &amp; &#x41;"}}}}]}}"#,
        "& ".repeat(3000)
    );
    let (store, _) = import_text(
        ImportFormat::TimelineJs,
        json.as_bytes(),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(store.events[0].title.as_str(), "A & B");
    let summary = store.events[0].summary.as_deref().unwrap_or("");
    assert!(
        summary.ends_with("& & A"),
        "{:?}",
        &summary[summary.len() - 20..]
    );
}
