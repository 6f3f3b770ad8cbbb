//! The exports a journalist sends as they are: the Markdown briefing read
//! by a CommonMark parser with footnotes, and RON/JSON copies of a store.

use annals::Model;
use annals::export::{self, Format, Made};
use pulldown_cmark::{Event, Options, Parser, Tag};

fn niger() -> Model {
    annals::load_builtin().unwrap()
}

fn briefing(m: &Model, events: &[u32], filters: &[String]) -> String {
    let made = Made {
        filters,
        marked: false,
        on: "2026-12-01".into(),
        notes: None,
    };
    let title = export::slice_title(m, &filters.join(", "));
    String::from_utf8(export::render_made(m, events, Format::Md, &title, &made).unwrap()).unwrap()
}

fn html(md: &str) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, Parser::new_ext(md, Options::ENABLE_FOOTNOTES));
    out
}

/// Footnote references and definitions, by label.
fn footnotes(md: &str) -> (Vec<String>, Vec<String>) {
    let (mut refs, mut defs) = (Vec::new(), Vec::new());
    for ev in Parser::new_ext(md, Options::ENABLE_FOOTNOTES) {
        match ev {
            Event::FootnoteReference(l) => refs.push(l.to_string()),
            Event::Start(Tag::FootnoteDefinition(l)) => defs.push(l.to_string()),
            _ => {}
        }
    }
    (refs, defs)
}

#[test]
fn every_footnote_marker_resolves_to_its_own_footnote_and_renders_apart() {
    let m = niger();
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let md = briefing(&m, &all, &[]);
    let (refs, mut defs) = footnotes(&md);
    let quotes: usize = m.events.iter().map(|e| e.evidence.len()).sum();
    assert!(
        refs.len() >= quotes,
        "{} markers for {quotes} quotes",
        refs.len()
    );
    let mut unique = refs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), refs.len(), "each marker is its own footnote");
    defs.sort();
    assert_eq!(
        unique, defs,
        "every marker has a definition and no definition is unused"
    );
    // Two markers side by side render as one number ("²¹²²" reads 2122).
    let h = html(&md);
    assert!(h.contains("footnote-reference"), "{h}");
    assert!(!h.contains("</sup><sup"), "adjacent markers");
}

#[test]
fn the_header_says_store_selection_span_and_day() {
    let m = niger();
    let russia = annals::filter::resolve_actor(&m, "russia").unwrap();
    let f = annals::Filter {
        actors: vec![russia],
        ..Default::default()
    };
    let events = f.apply(&m);
    let md = briefing(&m, &events, &f.describe(&m));
    assert!(md.contains("- **Store**: "), "{md}");
    assert!(md.contains("- **Selection**: filtered by Russia"), "{md}");
    assert!(
        md.contains(&format!("- **Covers**: {} events, ", events.len())),
        "{md}"
    );
    assert!(md.contains("- **Made**: 2026-12-01"), "{md}");
    // The slice's title carries the filter once, even re-filtered.
    assert_eq!(md.matches("(Russia)").count(), 1, "{md}");
}

#[test]
fn quotes_are_not_quoted_twice_and_counts_agree_in_number() {
    let m = niger();
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let md = briefing(&m, &all, &[]);
    assert!(
        !md.contains("““") && !md.contains("””"),
        "doubled quote marks"
    );
    for bad in ["1 events", "1 claims", "1 sources", "1 independent origins"] {
        assert!(!md.contains(bad), "{bad}");
    }
    let one = briefing(&m, &all[..1], &[]);
    assert!(one.contains("- **Covers**: 1 event, "), "{one}");
}

#[test]
fn the_chronology_has_spans_places_and_summaries() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/panama.ron"
    );
    let m = annals::load_path(std::path::Path::new(path)).unwrap();
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let md = briefing(&m, &all, &[]);
    let e = m
        .events
        .iter()
        .find(|e| e.end.is_some() && e.summary.is_some() && !e.places.is_empty())
        .unwrap();
    let when = e.when().replace('[', "\\[").replace(']', "\\]");
    assert!(md.contains(&format!("- **{when}**")), "{when}\n{md}");
    assert!(md.contains(m.place(e.places[0]).name.as_str()), "{md}");
    let summary: String = e
        .summary
        .as_ref()
        .unwrap()
        .split_whitespace()
        .take(5)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(md.contains(&summary), "{summary}");
}

#[test]
fn disagreements_list_values_with_quotes_sources_and_sponsored_flags() {
    let m = niger();
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let md = briefing(&m, &all, &[]);
    let section = &md[md.find("## Where sources disagree").expect("section")..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    // Every value of a marked conflict, each with a footnoted quote.
    let sponsored_value = m
        .claims
        .iter()
        .find(|c| c.evidence.iter().all(|q| m.source(q.source).is_sponsored()));
    for line in section.lines().filter(|l| l.starts_with("  - ")) {
        assert!(line.contains("[^"), "a value without its quote: {line}");
        assert!(line.contains("independent origin"), "{line}");
    }
    if let Some(c) = sponsored_value {
        let line = section
            .lines()
            .find(|l| l.starts_with(&format!("  - {}", c.value)))
            .expect("the sponsored value");
        assert!(line.contains("sponsored content only"), "{line}");
    }
}

#[test]
fn only_cited_sources_are_listed_and_empty_sections_are_not_printed() {
    let m = niger();
    // One event: its sources only.
    let e = 0u32;
    let md = briefing(&m, &[e], &[]);
    let listed = md[md.find("## Sources").unwrap()..]
        .lines()
        .filter(|l| l.starts_with("- "))
        .count();
    let mut cited: Vec<u32> = m.event(e).evidence.iter().map(|q| q.source).collect();
    for &c in m.conflicts_of_event(e) {
        for &cl in &m.conflicts[c as usize].claims {
            cited.extend(m.claims[cl as usize].evidence.iter().map(|q| q.source));
        }
    }
    cited.sort_unstable();
    cited.dedup();
    assert_eq!(listed, cited.len(), "{md}");
    let empty = briefing(&m, &[], &[]);
    assert!(empty.contains("No events match"), "{empty}");
    assert!(!empty.contains("## "), "no empty sections: {empty}");
    for h in ["## Chronology", "## Actors", "## Sources"] {
        assert_eq!(md.matches(h).count(), 1, "{h}");
    }
}

#[test]
fn an_unfiltered_ron_or_json_export_is_a_full_copy() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/panama.ron"
    );
    let m = annals::load_path(std::path::Path::new(path)).unwrap();
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let ron = export::render(&m, &all, Format::Ron, &m.meta.title).unwrap();
    let copy = annals::load_str(std::str::from_utf8(&ron).unwrap(), "copy.ron").unwrap();
    assert_eq!(copy.actors.len(), m.actors.len());
    assert_eq!(copy.places.len(), m.places.len());
    assert_eq!(copy.sources.len(), m.sources.len());
    assert_eq!(copy.relations.len(), m.relations.len());
    assert_eq!(copy.claims.len(), m.claims.len());
    let json = export::render(&m, &all, Format::Json, &m.meta.title).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["actors"].as_array().unwrap().len(), m.actors.len());
}

#[test]
fn ron_keeps_line_breaks_editable_and_escapes_hidden_characters() {
    let m = niger();
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let ron = String::from_utf8(export::render(&m, &all, Format::Ron, "t").unwrap()).unwrap();
    let article = &m.sources[0].text;
    let para = article.lines().find(|l| l.len() > 40).unwrap();
    assert!(ron.contains(para), "an article's paragraph as written");
    assert!(!ron.contains("\\n"), "no escaped line breaks");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/hostile.ron"
    );
    let h = annals::load_path(std::path::Path::new(path)).unwrap();
    let all: Vec<u32> = (0..h.events.len() as u32).collect();
    let ron = String::from_utf8(export::render(&h, &all, Format::Ron, "t").unwrap()).unwrap();
    assert!(!ron.contains('\u{1b}'), "an escape character written raw");
    annals::load_str(&ron, "copy.ron").expect("still a valid store");
}
