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
        marked_hidden: 0,
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
    let when = annals::evidence::words::span_words(e.date, e.end);
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

/// Runs of whitespace as one space: Markdown joins lines.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The quotes the whole built-in briefing cites: the events', and those
/// of the claims under them or in its disagreements.
fn cited_quotes(m: &Model) -> Vec<&annals::model::Quote> {
    let mut quotes: Vec<&annals::model::Quote> =
        m.events.iter().flat_map(|e| e.evidence.iter()).collect();
    quotes.extend(m.claims.iter().flat_map(|c| c.evidence.iter()));
    quotes
}

/// The text of each footnote definition, as a CommonMark reader renders it.
fn footnote_texts(md: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut inside = false;
    for ev in Parser::new_ext(md, Options::ENABLE_FOOTNOTES) {
        match ev {
            Event::Start(Tag::FootnoteDefinition(_)) => {
                inside = true;
                out.push(String::new());
            }
            Event::End(pulldown_cmark::TagEnd::FootnoteDefinition) => inside = false,
            Event::Text(t) | Event::Code(t) if inside => out.last_mut().unwrap().push_str(&t),
            Event::SoftBreak | Event::HardBreak if inside => out.last_mut().unwrap().push(' '),
            _ => {}
        }
    }
    out.iter().map(|t| squeeze(t)).collect()
}

#[test]
fn every_quote_is_word_for_word_with_its_own_quotation_marks() {
    let m = niger();
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let md = briefing(&m, &all, &[]);
    let notes = footnote_texts(&md);
    let mut altered = Vec::new();
    for q in m.events.iter().flat_map(|e| e.evidence.iter()) {
        let want = squeeze(&q.text);
        assert!(
            squeeze(&m.source(q.source).text).contains(&want),
            "not in its source: {want}"
        );
        if !notes.iter().any(|n| n.contains(&want)) {
            altered.push(want);
        }
    }
    assert!(altered.is_empty(), "quotes not word for word: {altered:#?}");
}

#[test]
fn dates_are_in_words_never_more_precise_than_the_store() {
    let m = niger();
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let md = briefing(&m, &all, &[]);
    // No notation of the store's, escaped or not.
    for bad in ["\\[", "..", "~20", "[~", "[..", "2023-09-19"] {
        assert!(!md.contains(bad), "{bad:?} in\n{md}");
    }
    for (id, words) in [
        ("russians-at-airbase-101", "On or after c. March 15, 2024"),
        ("coup", "Between February 2023 and c. August 2023"),
    ] {
        let e = m.event_by_id(id).unwrap();
        let title = &m.event(e).title;
        assert!(
            md.lines().any(|l| l.starts_with(&format!("- **{words}** "))
                && squeeze(l).contains(&squeeze(title).replace('\'', "\\'"))),
            "{id}: {words}\n{md}"
        );
    }
    assert!(
        md.contains(", September 19, 2023 **(sponsored content)**"),
        "{md}"
    );
}

#[test]
fn disagreements_name_only_events_in_the_briefing_or_say_they_are_not() {
    let m = niger();
    let e = m.event_by_id("troops-in-december").unwrap();
    let md = briefing(&m, &[e], &[]);
    let section = &md[md.find("## Where sources disagree").expect("section")..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let junta = m.event(m.event_by_id("junta-orders-us-out").unwrap());
    let title = md_text(&junta.title);
    for line in section.lines().filter(|l| l.contains(&title)) {
        assert!(line.contains("not in this briefing"), "{line}");
    }
    assert!(section.contains(&title), "{section}");
    // "approximately 1,000" names only the junta's order: said so on its line.
    let later = section
        .lines()
        .find(|l| l.starts_with("  - approximately 1,000"))
        .expect("the value");
    assert!(later.contains("not in this briefing"), "{later}");
    // "600" names this event: no such note.
    let six_hundred = section.lines().find(|l| l.starts_with("  - 600")).unwrap();
    assert!(
        !six_hundred.contains("not in this briefing"),
        "{six_hundred}"
    );
}

/// Store text as the briefing escapes its apostrophes and double quotes.
fn md_text(s: &str) -> String {
    s.replace('\'', "\\'").replace('"', "\\\"")
}

#[test]
fn compatible_values_are_listed_as_compatible_not_as_a_contradiction() {
    let store = r#"(
        meta: (title: "Bridge"),
        sources: [
            (id: "a", outlet: "A", title: "A", text: "The bridge cost $100 million. Work began."),
            (id: "b", outlet: "B", title: "B", text: "The bridge cost over $100 million. Work began."),
            (id: "d", outlet: "D", title: "D", text: "It took 3 years. The bridge took 5 years to build."),
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
            (subject: "bridge", attribute: "years to build", value: "3", value_number: 3.0,
             events: ["built"], evidence: [(source: "d", quote: "It took 3 years.")]),
            (subject: "bridge", attribute: "years to build", value: "5", value_number: 5.0,
             events: ["built"], evidence: [(source: "d", quote: "The bridge took 5 years to build.")]),
        ],
    )"#;
    let m = annals::load_str(store, "bridge.ron").unwrap();
    let md = briefing(&m, &[0], &[]);
    let section = &md[md.find("## Where sources disagree").expect("section")..];
    let cost = section
        .lines()
        .find(|l| l.starts_with("- **cost**"))
        .unwrap_or_else(|| panic!("the compatible values listed\n{md}"));
    assert!(
        cost.contains("compatible: these values can all be true at once"),
        "{cost}"
    );
    let years = section
        .lines()
        .find(|l| l.starts_with("- **years to build**"))
        .unwrap();
    assert!(!years.contains("compatible"), "{years}");
    // Listed once: not also under the event as undisputed.
    let lines = md
        .lines()
        .filter(|l| l.trim_start().starts_with("- \\$100 million:"));
    assert_eq!(lines.count(), 1, "{md}");
    assert!(
        section.find("years to build").unwrap() < section.find("**cost**").unwrap(),
        "contradictions first"
    );
}

#[test]
fn the_selection_line_says_the_filters_and_the_marks() {
    let m = niger();
    let filters = vec!["Russia".to_string(), "from 2024-03".to_string()];
    let made = |marked: bool, marked_hidden: usize| Made {
        filters: &filters,
        marked,
        marked_hidden,
        on: "2026-12-01".into(),
        notes: None,
    };
    let line = |made: &Made| {
        let md =
            String::from_utf8(export::render_made(&m, &[0, 1], Format::Md, "t", made).unwrap())
                .unwrap();
        md.lines()
            .find(|l| l.starts_with("- **Selection**"))
            .unwrap()
            .to_string()
    };
    assert_eq!(
        line(&made(true, 0)),
        "- **Selection**: events marked by hand in the explorer, with the filters Russia; from 2024-03 on"
    );
    assert!(
        line(&made(true, 1))
            .ends_with("; 1 of the marked events outside these filters (marked under others)"),
        "{}",
        line(&made(true, 1))
    );
    assert_eq!(
        line(&made(false, 0)),
        "- **Selection**: filtered by Russia; from 2024-03"
    );
}

// ----- pandoc: the briefing as CommonMark (with pandoc's extensions) and
// GFM read it. Skipped without pandoc, except in CI (`CI=true`), where
// `.ci/run` installs it and the tests fail instead.

fn pandoc() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("ANNALS_PANDOC").filter(|p| !p.is_empty()) {
        return Some(p.into());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("pandoc"))
        .find(|p| p.is_file())
}

/// The HTML pandoc makes of `md` read as `from`; `None` (skipped, with a
/// message) without pandoc, outside CI.
fn pandoc_html(md: &str, from: &str) -> Option<String> {
    use std::io::Write;
    let Some(bin) = pandoc() else {
        let msg =
            "export_briefing: SKIPPED, no pandoc on PATH (apt-get install pandoc; see .ci/run)";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg}");
        }
        eprintln!("{msg}");
        return None;
    };
    let mut child = std::process::Command::new(bin)
        .args(["-f", from, "-t", "html", "--wrap=none"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pandoc runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(md.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pandoc -f {from} failed");
    Some(String::from_utf8(out.stdout).unwrap())
}

/// The text of HTML: tags dropped, entities read, whitespace squeezed.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    squeeze(&text)
}

#[test]
fn pandoc_renders_every_footnote_apart_no_math_and_every_quote_verbatim() {
    let m = niger();
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let md = briefing(&m, &all, &[]);
    let defs = md.lines().filter(|l| l.starts_with("[^")).count();
    for from in ["commonmark_x", "gfm"] {
        let Some(html) = pandoc_html(&md, from) else {
            return;
        };
        assert_eq!(
            html.matches("class=\"math").count(),
            0,
            "{from}: text read as TeX math"
        );
        // Each definition its own footnote, in order.
        assert_eq!(html.matches("<li id=\"fn").count(), defs, "{from}");
        for n in 1..=defs {
            assert!(html.contains(&format!("<li id=\"fn{n}\"")), "{from}: fn{n}");
        }
        let text = html_text(&html);
        let altered: Vec<String> = cited_quotes(&m)
            .iter()
            .map(|q| squeeze(&q.text))
            .filter(|q| !text.contains(q.as_str()))
            .collect();
        assert!(altered.is_empty(), "{from}: quotes altered: {altered:#?}");
    }
}

/// Characters each reader takes for markup, in a title, a summary that
/// starts a line, and a quote: rendered as written.
#[test]
fn markup_characters_in_store_text_render_as_themselves() {
    let text = r#"Costs $5 and $6; a~b~ x^2^ ~~s~~ @doe <b>x</b> [l](u) *e* _e_ `c` a|b #h & &amp; -- --- ... 'single' "double" :smile: {.c} \\ 100%"#;
    let leads = [
        "1. one",
        "- item",
        "+ item",
        ": def",
        "(a) x",
        "a) x",
        "iv. x",
        "# h",
        "> q",
        "=== x",
        "::: div",
        "~ def",
        "| t |",
        "A. Capital",
    ];
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let article = format!("{text} {}", leads.join(" "));
    let events: Vec<String> = leads
        .iter()
        .enumerate()
        .map(|(i, lead)| {
            format!(
                r#"(id: "e{i}", date: "2020", title: "{t}", summary: "{s}", evidence: [(source: "s", quote: "{q}")])"#,
                t = esc(text),
                s = esc(lead),
                q = esc(if i == 0 { text } else { lead })
            )
        })
        .collect();
    let store = format!(
        r#"(meta: (title: "Marks"), sources: [(id: "s", outlet: "O", title: "T", text: "{}")], events: [{}])"#,
        esc(&article),
        events.join(", ")
    );
    let m = annals::load_str(&store, "marks.ron").unwrap();
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let md = briefing(&m, &all, &[]);
    let mut want = vec![text.to_string()];
    want.extend(leads.iter().map(|l| l.to_string()));
    // pulldown-cmark (CommonMark with footnotes) always; pandoc when there.
    let text_of = |html: &str| html_text(html);
    let check = |from: &str, got: &str| {
        for w in &want {
            assert!(
                got.contains(w.as_str()),
                "{from}: {w:?} not rendered as written in\n{got}"
            );
        }
    };
    check("pulldown-cmark", &text_of(&html(&md)));
    for from in ["commonmark_x", "gfm"] {
        let Some(html) = pandoc_html(&md, from) else {
            return;
        };
        assert!(!html.contains("class=\"math"), "{from}");
        check(from, &text_of(&html));
    }
}
