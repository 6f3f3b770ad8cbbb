//! Exporting slices: round trips, golden files for every format, CSV and
//! TimelineJS structure, atomic writes, and the command line.

use std::collections::BTreeSet;
use std::path::Path;

use annals::export::{self, CSV_HEADER, Format, Parts};
use annals::filter::resolve_place;
use annals::io::atomic::{self, write_atomic};
use annals::model::Subject;
use annals::{Ix, Model};
use assert_cmd::Command;
use proptest::prelude::*;

fn niger() -> Model {
    annals::load_builtin().unwrap()
}

/// The fixed slice of the golden files: the events at Air Base 101.
fn golden_slice(m: &Model) -> Vec<Ix> {
    m.events_at_place(resolve_place(m, "air-base-101").unwrap())
        .to_vec()
}

fn golden_path(format: Format) -> String {
    format!(
        "{}/tests/golden/air-base-101.{}",
        env!("CARGO_MANIFEST_DIR"),
        format.extension()
    )
}

#[test]
fn golden_files_for_every_format() {
    let m = niger();
    let slice = golden_slice(&m);
    for f in Format::ALL {
        // A fixed day: the briefing says when it was made.
        let made = export::Made {
            filters: &[],
            marked: false,
            marked_hidden: 0,
            on: "2026-01-01".into(),
            notes: None,
        };
        let bytes = export::render_made(&m, &slice, f, "Air Base 101", &made).unwrap();
        let got = String::from_utf8(bytes).unwrap();
        let path = golden_path(f);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("missing {path}; run with UPDATE_GOLDEN=1"));
        assert_eq!(got, want, "{} differs from {path}", f.name());
    }
}

/// id, date, title, actor ids, place ids, (source id, quote) pairs.
type EventSummary = (
    String,
    String,
    String,
    Vec<String>,
    Vec<String>,
    Vec<(String, String)>,
);

/// What must survive a round trip, by id so indices may differ.
#[derive(Debug, PartialEq)]
struct Summary {
    events: Vec<EventSummary>,
    actors: BTreeSet<(String, String)>,
    relations: BTreeSet<(String, String, String)>,
    conflicts: BTreeSet<(String, String, BTreeSet<String>)>,
}

fn summary_of(m: &Model, events: &[Ix], keep: &Parts) -> Summary {
    let subject_kept = |s: Subject| match s {
        Subject::Actor(a) => keep.actors.contains(&a),
        Subject::Place(p) => keep.places.contains(&p),
        Subject::Event(e) => keep.events.contains(&e),
    };
    Summary {
        events: events
            .iter()
            .map(|&e| {
                let ev = m.event(e);
                (
                    ev.id.to_string(),
                    ev.date.to_string(),
                    ev.title.to_string(),
                    ev.actors
                        .iter()
                        .map(|&a| m.actor(a).id.to_string())
                        .collect(),
                    ev.places
                        .iter()
                        .map(|&p| m.place(p).id.to_string())
                        .collect(),
                    ev.evidence
                        .iter()
                        .map(|q| (m.source(q.source).id.to_string(), q.text.to_string()))
                        .collect(),
                )
            })
            .collect(),
        actors: keep
            .actors
            .iter()
            .map(|&a| (m.actor(a).id.to_string(), m.actor(a).name.to_string()))
            .collect(),
        relations: keep
            .relations
            .iter()
            .map(|&r| {
                let r = &m.relations[r as usize];
                (
                    m.actor(r.from).id.to_string(),
                    r.kind.to_string(),
                    m.actor(r.to).id.to_string(),
                )
            })
            .collect(),
        conflicts: m
            .conflicts
            .iter()
            .filter(|c| subject_kept(c.subject))
            .map(|c| {
                (
                    m.subject_id(c.subject).to_string(),
                    c.attribute.to_string(),
                    c.claims
                        .iter()
                        .map(|&i| m.claims[i as usize].value.to_string())
                        .collect(),
                )
            })
            .collect(),
    }
}

fn whole(m: &Model) -> Parts {
    Parts::of(m, &(0..m.events.len() as Ix).collect::<Vec<_>>())
}

fn check_round_trip(m: &Model, slice: &[Ix]) {
    let want = summary_of(m, slice, &Parts::of(m, slice));
    let ron = export::render(m, slice, Format::Ron, "slice").unwrap();
    let back = annals::load_str(std::str::from_utf8(&ron).unwrap(), "exported.ron")
        .unwrap_or_else(|e| panic!("exported RON does not load:\n{e}"));
    let all: Vec<Ix> = (0..back.events.len() as Ix).collect();
    assert_eq!(summary_of(&back, &all, &whole(&back)), want);

    let json = export::render(m, slice, Format::Json, "slice").unwrap();
    let file: annals::store::StoreFile = serde_json::from_slice(&json).unwrap();
    let back = annals::validate::build(file).unwrap();
    assert_eq!(summary_of(&back, &all, &whole(&back)), want);
}

#[test]
fn whole_store_and_empty_slice_round_trip() {
    let m = niger();
    check_round_trip(&m, &(0..m.events.len() as Ix).collect::<Vec<_>>());
    check_round_trip(&m, &[]);
    check_round_trip(&m, &golden_slice(&m));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_slice_round_trips_through_ron_and_json(picks in proptest::collection::vec(any::<bool>(), 38..=38)) {
        let m = niger();
        let slice: Vec<Ix> = (0..m.events.len() as Ix).filter(|&i| picks[i as usize % picks.len()]).collect();
        check_round_trip(&m, &slice);
    }
}

#[test]
fn csv_reads_back_with_one_row_per_event() {
    let m = niger();
    let slice = golden_slice(&m);
    let bytes = export::render(&m, &slice, Format::Csv, "t").unwrap();
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), CSV_HEADER);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), slice.len());
    for (row, &e) in rows.iter().zip(&slice) {
        let ev = m.event(e);
        assert_eq!(row[0], ev.id);
        assert_eq!(&row[3], ev.date.to_string());
        assert_eq!(&row[5], ev.date.precision_label());
        assert_eq!(row[6], ev.title);
        assert_eq!(row[13], ev.evidence[0].text);
    }
    // RFC 4180: CRLF line ends, quotes doubled inside quoted fields.
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("\r\n"));
    assert!(text.contains("\"\"not great but in the short term manageable\"\"\""));
}

#[test]
fn timelinejs_has_the_required_fields_at_each_events_precision() {
    let m = niger();
    let slice: Vec<Ix> = (0..m.events.len() as Ix).collect();
    let v: serde_json::Value =
        serde_json::from_slice(&export::render(&m, &slice, Format::TimelineJs, "T").unwrap())
            .unwrap();
    assert!(v["title"]["text"]["headline"].is_string());
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), m.events.len());
    for (ev, &e) in events.iter().zip(&slice) {
        let date = m.event(e).date;
        let d = date.anchor();
        let start = &ev["start_date"];
        // Not exact: the date in words is what TimelineJS shows, never the
        // store's notation; an exact date TimelineJS formats itself.
        if d.approximate || date.is_uncertain() {
            let shown = start["display_date"].as_str().unwrap();
            assert!(
                !shown.contains(['[', '~', '.']) || shown.contains("c. "),
                "{ev}"
            );
            assert!(shown.contains(&d.year.to_string()), "{ev}");
        } else {
            assert!(start.get("display_date").is_none(), "{ev}");
        }
        assert_eq!(start["year"], d.year, "{ev}");
        assert_eq!(start["month"].as_u64(), d.month.map(u64::from), "{ev}");
        assert_eq!(start["day"].as_u64(), d.day.map(u64::from), "{ev}");
        assert!(
            ev["text"]["headline"]
                .as_str()
                .is_some_and(|h| !h.is_empty())
        );
        assert!(ev["text"]["text"].is_string());
        assert!(ev["group"].is_string());
        assert_eq!(ev["unique_id"], m.event(e).id.as_str());
    }
}

fn timelinejs_of(m: &Model, slice: &[Ix]) -> serde_json::Value {
    serde_json::from_slice(&export::render(m, slice, Format::TimelineJs, "T").unwrap()).unwrap()
}

fn small_with_urls() -> Model {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/small.ron"
    ))
    .unwrap()
    .replace(
        r#"outlet: "Daily Test","#,
        r#"outlet: "Daily Test", url: "https://example.org/base?a=1&b=2","#,
    )
    .replace(
        r#"outlet: "Promo Weekly","#,
        r#"outlet: "Promo <Weekly>", url: "https://example.org/promo","#,
    );
    annals::load_str(&text, "small-with-urls.ron").unwrap()
}

#[test]
fn timelinejs_media_credits_the_first_cited_source_with_a_url() {
    let m = small_with_urls();
    let all: Vec<Ix> = (0..m.events.len() as Ix).collect();
    let v = timelinejs_of(&m, &all);
    let by_id = |id: &str| {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["unique_id"] == id)
            .unwrap()
            .clone()
    };
    let signed = by_id("signed");
    assert_eq!(signed["media"]["link"], "https://example.org/base?a=1&b=2");
    assert_eq!(signed["media"]["credit"], "Daily Test");
    let quote = m.event(m.event_by_id("signed").unwrap()).evidence[0]
        .text
        .to_string();
    // An article's URL TimelineJS cannot embed: the quote, linked to it.
    let shown = signed["media"]["url"].as_str().unwrap();
    assert!(
        shown.starts_with("<blockquote>")
            && shown.contains(quote.split_whitespace().next().unwrap()),
        "{shown}"
    );
    assert!(
        signed["media"]["caption"]
            .as_str()
            .unwrap()
            .starts_with("<a href=\"https://example.org/base?a=1&amp;b=2\">")
    );
    let boast = by_id("boast");
    assert_eq!(boast["media"]["link"], "https://example.org/promo");
    assert_eq!(
        boast["media"]["credit"],
        "Promo &lt;Weekly&gt; (sponsored content)"
    );
    // An image TimelineJS shows: its URL is the media itself.
    let m = annals::load_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/valid/small.ron"
        ))
        .unwrap()
        .replace(
            r#"outlet: "Daily Test","#,
            r#"outlet: "Daily Test", url: "https://example.org/photo.JPG?w=1","#,
        ),
        "small-image.ron",
    )
    .unwrap();
    let signed = m.event_by_id("signed").unwrap();
    let v = timelinejs_of(&m, &[signed]);
    assert_eq!(
        v["events"][0]["media"]["url"],
        "https://example.org/photo.JPG?w=1"
    );
    assert!(v["events"][0]["media"].get("link").is_none());
}

/// Each quote is shown once: in the media or in the text, never both;
/// with no URL anywhere (the built-in store) too.
#[test]
fn timelinejs_shows_each_quote_once() {
    for m in [niger(), small_with_urls()] {
        let all: Vec<Ix> = (0..m.events.len() as Ix).collect();
        let v = timelinejs_of(&m, &all);
        for (e, &ix) in v["events"].as_array().unwrap().iter().zip(&all) {
            let shown = format!(
                "{}{}",
                e["media"]["url"].as_str().unwrap_or(""),
                e["text"]["text"].as_str().unwrap()
            );
            for q in &m.event(ix).evidence {
                let quoted = format!("<blockquote>{}</blockquote>", html(&q.text));
                assert_eq!(shown.matches(&quoted).count(), 1, "{quoted} in {e}");
            }
            if m.sources.iter().all(|s| s.url.is_none()) {
                assert!(e["media"].get("link").is_none(), "{e}");
            }
        }
    }
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn timelinejs_groups_only_tagged_events_and_never_an_unlabelled_row() {
    let m = small_with_urls();
    let boast = m.event_by_id("boast").unwrap();
    let signed = m.event_by_id("signed").unwrap();
    // Untagged alone: no group at all.
    let v = timelinejs_of(&m, &[boast]);
    assert!(v["events"][0].get("group").is_none(), "{v}");
    // Tagged alone: its first tag.
    let v = timelinejs_of(&m, &[signed]);
    assert_eq!(v["events"][0]["group"], "deal");
    // Mixed: the untagged event gets a labelled row, not an empty one.
    let mut both = vec![boast, signed];
    both.sort();
    let v = timelinejs_of(&m, &both);
    for ev in v["events"].as_array().unwrap() {
        let g = ev["group"].as_str().unwrap();
        assert!(!g.trim().is_empty(), "{ev}");
        if ev["unique_id"] == "boast" {
            assert_eq!(g, "(untagged)");
        }
    }
}

/// Events tagged `era` with an end are era bands, not slides; other
/// lasting events are slides with an end date, not eras.
#[test]
fn timelinejs_eras_are_the_events_tagged_era() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/panama.ron"
    );
    let m = annals::load_path(Path::new(path)).unwrap();
    let all: Vec<Ix> = (0..m.events.len() as Ix).collect();
    let v = timelinejs_of(&m, &all);
    let periods: Vec<&str> = m
        .events
        .iter()
        .filter(|e| e.end.is_some())
        .map(|e| &*e.title)
        .collect();
    assert!(!periods.is_empty());
    assert!(v.get("eras").is_none(), "{}", v["eras"]);
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), m.events.len());
    let with_end = events
        .iter()
        .filter(|e| e.get("end_date").is_some())
        .count();
    assert_eq!(with_end, periods.len());

    // The same store with its lasting events tagged era: bands, no slides.
    let text = std::fs::read_to_string(path).unwrap();
    let tagged = annals::load_str(&text.replace("tags: [", "tags: [\"era\", "), "era.ron").unwrap();
    let eras_of: Vec<Ix> = (0..tagged.events.len() as Ix)
        .filter(|&e| {
            let ev = tagged.event(e);
            ev.end.is_some() && ev.tags.iter().any(|&t| &*tagged.tags[t as usize] == "era")
        })
        .collect();
    assert!(!eras_of.is_empty());
    let all: Vec<Ix> = (0..tagged.events.len() as Ix).collect();
    let v = timelinejs_of(&tagged, &all);
    let eras = v["eras"].as_array().unwrap();
    assert!(eras.len() <= eras_of.len() && !eras.is_empty());
    assert_eq!(
        v["events"].as_array().unwrap().len() + eras.len(),
        all.len()
    );
    for era in eras {
        assert!(era["start_date"]["year"].is_i64(), "{era}");
        assert!(era["end_date"]["year"].is_i64(), "{era}");
        assert!(era["text"]["headline"].is_string(), "{era}");
    }
    // No group row for the era tag.
    for e in v["events"].as_array().unwrap() {
        assert_ne!(e["group"], "era", "{e}");
    }
}

#[test]
fn timelinejs_ids_are_unique_and_distinct_from_the_title() {
    let m = niger();
    let all: Vec<Ix> = (0..m.events.len() as Ix).collect();
    let v = timelinejs_of(&m, &all);
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for ev in v["events"].as_array().unwrap() {
        assert!(ids.insert(ev["unique_id"].as_str().unwrap().to_string()));
    }
    assert!(!ids.contains(v["title"]["unique_id"].as_str().unwrap()));
}

/// RFC 7946 basics for a FeatureCollection of Points; the features.
fn check_geojson(v: &serde_json::Value) -> Vec<serde_json::Value> {
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().unwrap();
    for f in features {
        assert_eq!(f["type"], "Feature", "{f}");
        assert_eq!(f["geometry"]["type"], "Point", "{f}");
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        assert_eq!(c.len(), 2, "{f}");
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!((-180.0..=180.0).contains(&lon), "{f}");
        assert!((-90.0..=90.0).contains(&lat), "{f}");
        assert!(f["properties"].is_object(), "{f}");
    }
    features.clone()
}

#[test]
fn geojson_puts_events_at_located_places_longitude_first() {
    let m = niger();
    let all: Vec<Ix> = (0..m.events.len() as Ix).collect();
    let v: serde_json::Value =
        serde_json::from_slice(&export::render(&m, &all, Format::GeoJson, "T").unwrap()).unwrap();
    let features = check_geojson(&v);
    let niamey = features
        .iter()
        .find(|f| f["id"] == "niamey")
        .expect("Niamey has coordinates and events");
    // The store writes (13.51, 2.11): latitude first. GeoJSON: longitude first.
    assert_eq!(
        niamey["geometry"]["coordinates"],
        serde_json::json!([2.11, 13.51])
    );
    let props = &niamey["properties"];
    assert_eq!(props["name"], "Niamey");
    assert_eq!(props["kind"], "city");
    // `within` is the parent's id (two places may share a name), its name
    // beside it.
    assert_eq!(props["within"], "niger-country");
    assert_eq!(props["within_name"], "Niger");
    // An event at the AFRICOM home bases (no coordinates: the articles do
    // not name them) is shown at Germany, the place containing them.
    let home = m.event_by_id("return-to-germany").unwrap();
    let germany = features
        .iter()
        .find(|f| f["id"] == "germany")
        .expect("Germany has coordinates");
    let ev = germany["properties"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "return-to-germany")
        .unwrap();
    assert_eq!(ev["date"], m.event(home).date.to_string());
    assert_eq!(ev["title"], m.event(home).title.as_str());
    assert_eq!(ev["at"], "africom-home-bases");
    // Every event is on the map or listed as unlocated, never both.
    let mapped: BTreeSet<&str> = features
        .iter()
        .flat_map(|f| f["properties"]["events"].as_array().unwrap())
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let unlocated: BTreeSet<&str> = v["unlocated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(mapped.is_disjoint(&unlocated));
    assert_eq!(mapped.len() + unlocated.len(), m.events.len());
    // Panama: periods keep their end, and every feature is valid.
    let m = annals::load_path(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/panama.ron"
    )))
    .unwrap();
    let all: Vec<Ix> = (0..m.events.len() as Ix).collect();
    let v: serde_json::Value =
        serde_json::from_slice(&export::render(&m, &all, Format::GeoJson, "T").unwrap()).unwrap();
    let features = check_geojson(&v);
    assert!(features.len() > 1);
    assert!(
        features
            .iter()
            .flat_map(|f| f["properties"]["events"].as_array().unwrap())
            .any(|e| e["end"].is_string())
    );
}

#[test]
fn markdown_briefing_cites_every_quote_and_flags_sponsored_sources() {
    let m = niger();
    let slice: Vec<Ix> = (0..m.events.len() as Ix).collect();
    let md =
        String::from_utf8(export::render(&m, &slice, Format::Md, "Briefing").unwrap()).unwrap();
    // A footnote per quote: the events', then the disagreements' values'.
    let mut quotes: usize = m.events.iter().map(|e| e.evidence.len()).sum();
    // Every disagreement about an event (the whole store is the slice),
    // compatible ones too.
    for c in &m.conflicts {
        let about_events = matches!(c.subject, annals::model::Subject::Event(_))
            || c.claims
                .iter()
                .any(|&cl| !m.claims[cl as usize].events.is_empty());
        if about_events {
            for &cl in &c.claims {
                quotes += m.claims[cl as usize].evidence.len();
            }
        }
    }
    assert!(
        md.contains(&format!("[^{quotes}]: > ")),
        "last footnote missing"
    );
    assert!(!md.contains(&format!("[^{}]:", quotes + 1)));
    assert!(md.contains("Amulus News, “U.S. Restarts Recon Missions in Niger Amid Tensions”, September 19, 2023 **(sponsored content)**"));
    assert!(md.contains("## Where sources disagree") && md.contains("**date of the coup**"));
    assert!(md.contains("## Relations in the span"));
}

#[test]
fn atomic_write_refuses_to_replace_and_leaves_no_partial_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.md");
    write_atomic(&path, b"first", false).unwrap();
    let err = write_atomic(&path, b"second", false).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"first");
    write_atomic(&path, b"third", true).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"third");
    // A missing directory or a directory as the target: clear errors.
    let err = write_atomic(&dir.path().join("nope/out.md"), b"x", false).unwrap_err();
    assert!(err.to_string().contains("cannot write"), "{err}");
    let err = write_atomic(dir.path(), b"x", true).unwrap_err();
    assert!(err.to_string().contains("is a directory"), "{err}");
    // Only the one file: no temporary files left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("out.md")]);
}

#[test]
fn default_file_names_come_from_filters_or_span() {
    let m = niger();
    let slice = golden_slice(&m);
    let name = export::default_file_name(
        &["Air Base 101".into(), "from 2024-03".into()],
        &m,
        &slice,
        Format::Md,
    );
    assert_eq!(name, "annals-air-base-101-from-2024-03.md");
    let name = export::default_file_name(&[], &m, &slice, Format::TimelineJs);
    assert_eq!(name, "annals-2023-07-to-2024-03-15.timeline.json");
}

fn annals() -> Command {
    Command::cargo_bin("annals").unwrap()
}

#[test]
fn cli_exports_checks_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("slice.ron");
    let out_s = out.to_str().unwrap();
    annals()
        .args([
            "export",
            "--place",
            "airbase 101",
            "--from",
            "2024-03",
            "--to",
            "2024-05",
            "-f",
            "ron",
            "-o",
            out_s,
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains("wrote 4 events"));
    annals().args(["check", out_s]).assert().success();
    let listed = annals().args(["list", out_s]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), 4);

    std::fs::write(&out, "precious").unwrap();
    annals()
        .args(["export", "-f", "md", "-o", out_s])
        .assert()
        .failure()
        .stderr(predicates::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    annals()
        .args(["export", "-f", "md", "-o", out_s, "--force"])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("# U.S. withdrawal from Niger")
    );
}

#[test]
fn cli_exports_ids_to_stdout_and_reports_bad_ids() {
    annals()
        .args(["export", "--ids", "coup,putin-call", "-f", "csv", "-o", "-"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "id,start,end,date_as_written,end_as_written,precision,title",
        ))
        .stdout(predicates::str::contains(
            "coup,2023-02-01,2023-08-31,[2023-02..~2023-08],,between",
        ))
        .stdout(predicates::str::contains(
            "putin-call,2024-03-01,2024-03-31,~2024-03,,month",
        ));
    annals()
        .args(["export", "--ids", "coup,nope", "-f", "csv", "-o", "-"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("no event has the id \"nope\""));
    annals()
        .args(["export", "-f", "pdf", "-o", "-"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("unknown format"));
    let dir = tempfile::tempdir().unwrap();
    annals()
        .args([
            "export",
            "-f",
            "md",
            "-o",
            dir.path().join("missing/x.md").to_str().unwrap(),
        ])
        .assert()
        .failure()
        .stderr(predicates::str::contains("cannot write"));
}

#[test]
fn golden_ron_passes_check() {
    let path = golden_path(Format::Ron);
    annals::load_path(Path::new(&path)).unwrap();
}

/// An export is an ordinary file, readable as the umask allows, not a
/// private temporary; replacing a file keeps that file's permissions.
#[cfg(unix)]
#[test]
fn exported_files_get_ordinary_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.csv");
    annals::io::atomic::write_atomic(&new, b"x\n", false).unwrap();
    let mode = std::fs::metadata(&new).unwrap().permissions().mode() & 0o777;
    // Whatever the umask, the owner can read and write, and it is not the
    // tempfile's 0600 unless the umask itself hides everything else.
    assert_eq!(mode & 0o600, 0o600);
    let umask_hides_all = {
        let probe = dir.path().join("probe");
        std::fs::write(&probe, b"").unwrap();
        std::fs::metadata(&probe).unwrap().permissions().mode() & 0o077 == 0
    };
    assert!(umask_hides_all || mode & 0o044 != 0, "mode {mode:o}");

    let kept = dir.path().join("kept.csv");
    std::fs::write(&kept, b"old").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
    annals::io::atomic::write_atomic(&kept, b"new", true).unwrap();
    assert_eq!(std::fs::read(&kept).unwrap(), b"new");
    let mode = std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

mod common;
use common::{TinyFs, names_in, unprivileged};

/// A write that fails half way (as on a full disk) removes its temporary
/// file and leaves the file it was to replace exactly as it was.
#[test]
fn a_write_failing_half_way_leaves_the_existing_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brief.md");
    std::fs::write(&path, "precious").unwrap();
    let err = atomic::write_atomic_with(&path, true, |f| {
        use std::io::Write;
        f.write_all(b"half of the new")?;
        Err(std::io::Error::from_raw_os_error(28)) // ENOSPC
    })
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!("cannot write {}: ", path.display())),
        "{msg}"
    );
    assert!(msg.contains("No space left on device"), "{msg}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
    assert_eq!(names_in(dir.path()), ["brief.md"]);
}

#[test]
fn exporting_onto_a_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("brief.md");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("inside.txt"), "kept").unwrap();
    for replace in [false, true] {
        let err = write_atomic(&target, b"new", replace)
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("brief.md: is a directory"), "{err}");
    }
    assert!(target.is_dir());
    assert_eq!(
        std::fs::read_to_string(target.join("inside.txt")).unwrap(),
        "kept"
    );
    assert_eq!(names_in(dir.path()), ["brief.md"]);
}

/// A real full disk: a 64 KiB tmpfs holding a file to replace, and an
/// export far larger than the space left.
#[test]
fn a_full_disk_leaves_the_existing_file_untouched() {
    let Some(fs) = TinyFs::mount(64) else { return };
    let path = fs.path().join("store.ron");
    std::fs::write(&path, "precious").unwrap();
    let big = vec![b'x'; 1 << 20];
    let err = write_atomic(&path, &big, true).unwrap_err().to_string();
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
    assert_eq!(names_in(fs.path()), ["store.ron"]);
    // Through the binary, too: a clear message and a failing exit.
    Command::cargo_bin("annals")
        .unwrap()
        .args(["export", "--format", "ron", "--force", "-o"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("No space left on device"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
}

/// Permission denied, through the binary run as an ordinary user: to a
/// directory it may not write to, neither a new file nor a replacement.
#[test]
fn permission_denied_is_a_clear_error_and_changes_nothing() {
    let Some(_) = unprivileged("true") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brief.csv");
    std::fs::write(&path, "precious").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Readable and searchable by all, writable by no one but root.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("annals");
    for (target, force) in [(dir.path().join("new.csv"), false), (path.clone(), true)] {
        let mut cmd = unprivileged(bin.to_str().unwrap()).unwrap();
        cmd.args(["export", "--format", "csv", "-o"]).arg(&target);
        if force {
            cmd.arg("--force");
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        // The file asked for and why; not the temporary file's name.
        assert_eq!(
            stderr.trim_end(),
            format!(
                "annals: cannot write {}: Permission denied",
                target.display()
            )
        );
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert_eq!(names_in(dir.path()), ["brief.csv"]);
}

#[cfg(unix)]
#[test]
fn exports_write_through_links_devices_and_fifos_as_the_user_means() {
    use annals::io::atomic::Written;
    let dir = tempfile::tempdir().unwrap();
    // A symbolic link: the file it names is replaced, the link stays.
    let real = dir.path().join("real.md");
    let link = dir.path().join("link.md");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink("real.md", &link).unwrap();
    assert!(matches!(
        write_atomic(&link, b"x", false),
        Err(atomic::WriteError::Exists(_))
    ));
    assert_eq!(
        write_atomic(&link, b"new", true).unwrap(),
        Written::Atomically
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    // A device is written to, not replaced, with or without --force.
    assert_eq!(
        write_atomic(std::path::Path::new("/dev/null"), b"x", false).unwrap(),
        Written::Directly
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // A FIFO is written through to its reader.
    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    assert_eq!(
        write_atomic(&fifo, b"through the pipe", true).unwrap(),
        Written::Directly
    );
    assert_eq!(reader.join().unwrap(), "through the pipe");
    assert!(!std::fs::symlink_metadata(&fifo).unwrap().is_file());
    // An empty name is a clear error.
    let err = write_atomic(std::path::Path::new(""), b"x", true).unwrap_err();
    assert!(err.to_string().contains("no file name given"), "{err}");
}

// Years before 0000 and after 9999.

fn ancient() -> Model {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/ancient.ron"
    );
    annals::load_str(&std::fs::read_to_string(path).unwrap(), path).unwrap()
}

fn all(m: &Model) -> Vec<Ix> {
    (0..m.events.len() as Ix).collect()
}

#[test]
fn signed_years_go_to_timelinejs_as_numbers_and_bce_words() {
    let m = ancient();
    let tl = timelinejs_of(&m, &all(&m));
    let slide = |id: &str| {
        tl["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["unique_id"] == id)
            .unwrap_or_else(|| panic!("no slide {id}"))
            .clone()
    };
    let houses = slide("first-houses");
    assert_eq!(houses["start_date"]["year"], -3500);
    assert_eq!(houses["start_date"]["display_date"], "c. 3500 BCE");
    let fall = slide("fall");
    assert_eq!(fall["start_date"]["year"], -44);
    assert_eq!(
        (&fall["start_date"]["month"], &fall["start_date"]["day"]),
        (&serde_json::json!(3), &serde_json::json!(15))
    );
    assert_eq!(
        slide("wall")["start_date"]["display_date"],
        "On or before 3000 BCE"
    );
    assert_eq!(slide("vault-seal")["end_date"]["year"], 12000);
}

#[test]
fn signed_years_in_the_store_csv_and_geojson() {
    let m = ancient();
    // The store: dates as written, and it loads again.
    let ron = String::from_utf8(export::render(&m, &all(&m), Format::Ron, "T").unwrap()).unwrap();
    assert!(ron.contains(r#""-0044-03-15""#) && ron.contains(r#""Y12000""#));
    let back = annals::load_str(&ron, "back.ron").unwrap();
    assert_eq!(
        back.event(back.event_by_id("fall").unwrap())
            .date
            .to_string(),
        "-0044-03-15"
    );
    // CSV: a date starting with - or + is made inert for spreadsheets.
    let csv = String::from_utf8(export::render(&m, &all(&m), Format::Csv, "T").unwrap()).unwrap();
    let fall = csv.lines().find(|l| l.starts_with("fall,")).unwrap();
    assert!(
        fall.starts_with("fall,'-0044-03-15,'-0044-03-15,'-0044-03-15,,day,"),
        "{fall}"
    );
    let seal = csv.lines().find(|l| l.starts_with("vault-seal,")).unwrap();
    assert!(
        seal.starts_with("vault-seal,2021-01-01,'+12000-12-31,2021,Y12000,"),
        "{seal}"
    );
    let geo =
        String::from_utf8(export::render(&m, &all(&m), Format::GeoJson, "T").unwrap()).unwrap();
    assert!(geo.contains(r#""date": "~-3500""#), "{geo}");
}

#[test]
fn timesketch_leaves_out_what_its_datetime_cannot_hold_and_says_so() {
    let m = ancient();
    let events = all(&m);
    let jsonl =
        String::from_utf8(export::render(&m, &events, Format::Timesketch, "T").unwrap()).unwrap();
    let ids: Vec<String> = jsonl
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, [r#""new-hall""#, r#""vault-seal""#]);
    let left = export::left_out(&m, &events, Format::Timesketch).unwrap();
    let said = left.describe(&m, Format::Timesketch, 2);
    assert!(
        said.starts_with("3 events left out of the timesketch file: Timesketch's datetime takes the years 0001 to 9999"),
        "{said}"
    );
    assert!(
        said.ends_with(": first-houses (~-3500), wall ([..-3000]) and 1 more"),
        "{said}"
    );
    // The other formats keep every event.
    for f in Format::ALL.into_iter().filter(|&f| f != Format::Timesketch) {
        assert_eq!(export::left_out(&m, &events, f), None, "{f:?}");
    }
    // The binary says it on stderr and counts what it wrote.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.timesketch.jsonl");
    Command::cargo_bin("annals")
        .unwrap()
        .args([
            "export",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/valid/ancient.ron"
            ),
            "--format",
            "timesketch",
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "annals: 3 events left out of the timesketch file",
        ))
        .stderr(predicates::str::contains("fall (-0044-03-15)"))
        .stderr(predicates::str::contains("wrote 2 events to"));
}
