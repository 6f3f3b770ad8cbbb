//! Evidence an analyst can rely on: uncertain dates in order and in filters,
//! independent origins instead of copies, and conflicts marked only on the
//! events their claims bear on. On `tests/fixtures/valid/evidence.ron`, a
//! store about another topic.

use annals::export::{self, Format};
use annals::model::Origin;
use annals::{Filter, Ix, Model, PartialDate};

fn store() -> Model {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/evidence.ron"
    );
    annals::load_path(std::path::Path::new(path)).unwrap()
}

fn ids(m: &Model, events: &[Ix]) -> Vec<String> {
    events.iter().map(|&e| m.event(e).id.to_string()).collect()
}

fn ev(m: &Model, id: &str) -> Ix {
    m.event_by_id(id).unwrap_or_else(|| panic!("no event {id}"))
}

#[test]
fn uncertain_dates_take_their_place_in_the_chronology() {
    let m = store();
    let all: Vec<Ix> = (0..m.events.len() as Ix).collect();
    assert_eq!(
        ids(&m, &all),
        [
            "announce",
            "works-begin",
            "protest",
            "inspection",
            "flooding",
            "opening"
        ]
    );
    let dates: Vec<String> = m.events.iter().map(|e| e.date.to_string()).collect();
    assert_eq!(
        dates,
        [
            "2019-05-02",
            "[2019-06..2019-09]",
            "[..2019-12]",
            "2020-01",
            "[2020-03-15..]",
            "~2021-11-03"
        ]
    );
    assert_eq!(m.date_width, "[2019-06..2019-09]".len());
}

fn range(from: Option<&str>, to: Option<&str>) -> Filter {
    Filter {
        from: from.map(|d| PartialDate::parse(d).unwrap()),
        to: to.map(|d| PartialDate::parse(d).unwrap()),
        ..Filter::default()
    }
}

#[test]
fn date_filters_match_every_possible_day() {
    let m = store();
    let shown = |from, to| ids(&m, &range(from, to).apply(&m));
    // Open-ended dates reach as far as they might.
    assert_eq!(shown(Some("2020-06"), None), ["flooding", "opening"]);
    assert_eq!(shown(None, Some("2019-05")), ["announce", "protest"]);
    assert_eq!(
        shown(Some("2019-07"), Some("2019-08")),
        ["works-begin", "protest"]
    );
    assert_eq!(shown(Some("2019-10"), Some("2019-11")), ["protest"]);
    assert_eq!(
        shown(Some("2021-11-03"), Some("2021-11-03")),
        ["flooding", "opening"]
    );
    // The window the filter scans agrees with checking every event.
    let years = [
        "2018",
        "2019-03",
        "2019-06",
        "2019-12",
        "2020",
        "2020-03-14",
        "2021",
        "2022",
    ];
    for from in years.iter().map(Some).chain([None]) {
        for to in years.iter().map(Some).chain([None]) {
            let f = range(from.copied(), to.copied());
            let days = f.days();
            let brute: Vec<Ix> = (0..m.events.len() as Ix)
                .filter(|&e| m.event(e).days().overlaps(&days))
                .collect();
            assert_eq!(f.apply(&m), brute, "{from:?}..{to:?}");
        }
    }
}

#[test]
fn copies_and_rewrites_of_one_original_count_once() {
    let m = store();
    // wire (with its copy paper-a), the AFP dispatch (paper-b, paper-c: the
    // same original written with other spaces and case), the atlas.
    assert_eq!(m.origins.len(), 3);
    let origin_of = |id: &str| m.sources.iter().find(|s| s.id == id).unwrap().origin;
    assert_eq!(origin_of("wire"), origin_of("paper-a"));
    assert_eq!(origin_of("paper-b"), origin_of("paper-c"));
    assert_ne!(origin_of("wire"), origin_of("atlas"));
    assert_eq!(
        m.origins[origin_of("paper-c") as usize],
        Origin::External("an AFP dispatch".into())
    );
    assert_eq!(m.origin_name(origin_of("paper-a")), "wire");
    assert_eq!(m.source_count(ev(&m, "announce")), 2);
    assert_eq!(m.event_origins(ev(&m, "announce")), 1);
    assert_eq!(m.event_origins(ev(&m, "works-begin")), 1);
    assert_eq!(m.event_origins(ev(&m, "flooding")), 2);
    let paper_a = m.sources.iter().find(|s| s.id == "paper-a").unwrap();
    assert_eq!(
        m.lineage_label(paper_a).as_deref(),
        Some("copy of Northern Wire")
    );
    let paper_c = m.sources.iter().find(|s| s.id == "paper-c").unwrap();
    assert_eq!(
        m.lineage_label(paper_c).as_deref(),
        Some("summary of An  AFP dispatch")
    );
    assert_eq!(paper_c.language.as_deref(), Some("fr"));
}

#[test]
fn a_long_chain_of_rewrites_has_one_origin_and_loads_quickly() {
    // Each source rewrites the one before: a deep chain is walked once.
    let n = 20_000;
    let mut s = String::from("(meta: (title: \"chain\"), sources: [\n");
    for i in 0..n {
        let up = if i == 0 {
            String::new()
        } else {
            format!(", based_on: \"s{}\"", i - 1)
        };
        s.push_str(&format!(
            "(id: \"s{i}\", outlet: \"O\", title: \"T\", text: \"t\"{up}),\n"
        ));
    }
    s.push_str("])");
    let m = annals::load_str(&s, "chain.ron").unwrap();
    assert_eq!(m.origins.len(), 1);
    assert!(m.sources.iter().all(|s| s.origin == 0));
}

fn conflicts_of(m: &Model, id: &str) -> Vec<String> {
    m.conflicts_of_event(ev(m, id))
        .iter()
        .map(|&c| m.conflicts[c as usize].attribute.to_string())
        .collect()
}

#[test]
fn conflicts_mark_only_the_events_their_claims_bear_on() {
    let m = store();
    let attrs: Vec<&str> = m.conflicts.iter().map(|c| c.attribute.as_str()).collect();
    // "in June" and "June 2019" read as the same month: no conflict.
    assert_eq!(attrs, ["cost of the dam", "workers", "owner of the dam"]);
    // Named by a claim, and the claim's subject.
    assert_eq!(conflicts_of(&m, "announce"), ["cost of the dam"]);
    assert_eq!(conflicts_of(&m, "opening"), ["cost of the dam"]);
    // An actor's event that merely falls in the period the dated claims
    // speak of is not what they disagree about: no mark.
    assert!(conflicts_of(&m, "inspection").is_empty());
    // The undated conflict about the contractor marks none of its events.
    for id in ["works-begin", "protest", "flooding"] {
        assert!(conflicts_of(&m, id).is_empty(), "{id}");
    }
    let cost = &m.conflicts[0];
    let origins: Vec<usize> = cost
        .claims
        .iter()
        .map(|&c| m.origin_count(&m.claims[c as usize].evidence))
        .collect();
    // "$2 billion" comes from the wire and its copy: one origin.
    assert_eq!(origins, [1, 1]);
}

#[test]
fn exports_keep_lineage_uncertain_dates_and_claims_and_reload() {
    let m = store();
    // paper-a's event: the exported store must bring the wire it copies.
    let slice = [ev(&m, "announce"), ev(&m, "flooding")];
    let ron = export::render(&m, &slice, Format::Ron, "slice").unwrap();
    let back = annals::load_bytes(ron.clone(), "slice.ron").unwrap();
    // wire (brought along with its copy), the AFP dispatch (a claim about
    // the contractor), the atlas.
    assert_eq!(back.origins.len(), 3);
    assert_eq!(back.event_origins(back.event_by_id("announce").unwrap()), 1);
    let flooding = back.event_by_id("flooding").unwrap();
    assert_eq!(back.event(flooding).date.to_string(), "[2020-03-15..]");
    let text = String::from_utf8(ron).unwrap();
    assert!(text.contains("based_on: \"wire\""), "{text}");
    assert!(text.contains("derivation: Copy"), "{text}");
    // A claim names only the events the slice holds.
    let render = |events: &[Ix]| {
        String::from_utf8(export::render(&m, events, Format::Ron, "s").unwrap()).unwrap()
    };
    let with_both = render(&[ev(&m, "announce"), ev(&m, "opening")]);
    assert!(
        with_both.contains("events: [\n                \"announce\",\n            ],"),
        "{with_both}"
    );
    assert!(
        with_both.contains("value_number: 2000000000.0"),
        "{with_both}"
    );
    let opening_only = render(&[ev(&m, "opening")]);
    assert!(opening_only.contains("cost of the dam"), "{opening_only}");
    assert!(!opening_only.contains("\"announce\""), "{opening_only}");
    annals::load_str(&opening_only, "opening.ron").unwrap();
    let both = [ev(&m, "announce"), ev(&m, "opening")];
    let md = String::from_utf8(export::render(&m, &both, Format::Md, "slice").unwrap()).unwrap();
    assert!(md.contains("(copy of Northern Wire)"), "{md}");
    assert!(
        md.contains("\\$2 billion: Northern Wire; Valley Daily (1 independent origin)"),
        "{md}"
    );
}

/// Values whose ranges overlap ("$100 million", "over $100 million",
/// "millions of dollars") are a compatible disagreement: listed as such,
/// marking no event; ranges that do not meet are a contradiction.
#[test]
fn compatible_values_are_told_apart_and_mark_nothing() {
    let store = r#"(
        meta: (title: "Bridge"),
        sources: [
            (id: "a", outlet: "A", title: "A", text: "The bridge cost $100 million. Work began."),
            (id: "b", outlet: "B", title: "B", text: "The bridge cost over $100 million. Work began."),
            (id: "c", outlet: "C", title: "C", text: "The bridge cost millions of dollars. It took 3 years."),
            (id: "d", outlet: "D", title: "D", text: "The bridge took 5 years to build."),
        ],
        places: [(id: "bridge", name: "Bridge", kind: "bridge")],
        events: [
            (id: "built", date: "2020", title: "Bridge built", places: ["bridge"],
             evidence: [(source: "a", quote: "Work began.")]),
        ],
        claims: [
            (subject: "bridge", attribute: "cost", value: "$100 million", value_number: 100000000.0,
             events: ["built"], evidence: [(source: "a", quote: "The bridge cost $100 million.")]),
            (subject: "bridge", attribute: "cost", value: "over $100 million", value_min: 100000000.0,
             events: ["built"], evidence: [(source: "b", quote: "The bridge cost over $100 million.")]),
            (subject: "bridge", attribute: "cost", value: "millions of dollars",
             value_min: 1000000.0, value_max: 999999999.0,
             events: ["built"], evidence: [(source: "c", quote: "The bridge cost millions of dollars.")]),
            (subject: "bridge", attribute: "years to build", value: "3", value_number: 3.0,
             events: ["built"], evidence: [(source: "c", quote: "It took 3 years.")]),
            (subject: "bridge", attribute: "years to build", value: "5", value_number: 5.0,
             events: ["built"], evidence: [(source: "d", quote: "The bridge took 5 years to build.")]),
        ],
    )"#;
    let m = annals::load_str(store, "bridge.ron").unwrap();
    let kinds: Vec<(&str, bool)> = m
        .conflicts
        .iter()
        .map(|c| (c.attribute.as_str(), c.compatible))
        .collect();
    assert_eq!(kinds, [("cost", true), ("years to build", false)]);
    assert_eq!(conflicts_of(&m, "built"), ["years to build"]);
    // A range that contradicts itself is a problem in the store.
    let bad = store.replace(
        "value_min: 1000000.0, value_max: 999999999.0",
        "value_min: 5.0, value_max: 1.0",
    );
    let e = annals::load_str(&bad, "bridge.ron")
        .unwrap_err()
        .to_string();
    assert!(e.contains("value_min 5 is more than value_max 1"), "{e}");
}
