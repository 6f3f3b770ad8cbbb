//! Inputs of ordinary size but hostile shape load, fail and search in time
//! and memory proportional to their size. Each of these took minutes (or
//! did not finish) when the work grew with the square of the input; the
//! benchmarks in `benches/shapes.rs` give the figures.

use annals::SearchIndex;

const SOURCE: &str = r#"(id: "s", outlet: "O", title: "T", text: "Words here.")"#;
const EVIDENCE: &str = r#"evidence: [(source: "s", quote: "Words")]"#;

fn load(text: &str) -> Result<annals::Model, annals::LoadError> {
    annals::load_str(text, "shape.ron")
}

#[test]
fn a_within_chain_thousands_deep_loads_filters_and_exports() {
    let n = 16_000;
    let mut s = format!("(meta: (title: \"chain\"), sources: [{SOURCE}], places: [\n");
    for i in 0..n {
        let within = if i == 0 {
            String::new()
        } else {
            format!(", within: \"p{}\"", i - 1)
        };
        s.push_str(&format!(
            "(id: \"p{i}\", name: \"P{i}\", kind: \"k\"{within}),\n"
        ));
    }
    s.push_str(&format!(
        "], events: [(id: \"deep\", date: \"2024\", title: \"E\", places: [\"p{}\"], {EVIDENCE})])",
        n - 1
    ));
    let m = load(&s).unwrap();
    let root = m.entity("p0").map(|_| 0).unwrap();
    assert_eq!(m.events_at_place(root).len(), 1);
    assert_eq!(m.place_ancestors_upto((n - 1) as u32, 6).len(), 6);
    assert_eq!(m.place_ancestors((n - 1) as u32).len(), n - 1);
    // A slice brings the whole chain, and loads again.
    let ron = annals::export::render(&m, &[0], annals::export::Format::Ron, "x").unwrap();
    let back = annals::load_bytes(ron, "x.ron").unwrap();
    assert_eq!(back.places.len(), n);
}

#[test]
fn a_within_loop_at_the_end_of_a_long_chain_is_reported_once() {
    let n = 10_000;
    let mut s = String::from("(meta: (title: \"loop\"), places: [\n");
    for i in 0..n {
        // p0 <- p1 <- ... <- p(n-1), and p0 within p(n-1): one loop of n.
        let up = if i == 0 { n - 1 } else { i - 1 };
        s.push_str(&format!(
            "(id: \"p{i}\", name: \"P\", kind: \"k\", within: \"p{up}\"),\n"
        ));
    }
    s.push_str("])");
    let err = load(&s).unwrap_err();
    assert_eq!(
        err.diagnostics.len(),
        1,
        "{:?}",
        &err.diagnostics[..2.min(err.diagnostics.len())]
    );
    assert!(
        err.diagnostics[0]
            .message
            .contains("within loop: p0 -> p9999 -> p9998")
    );
}

#[test]
fn thousands_of_unknown_references_are_listed_up_to_a_bound_then_counted() {
    let n = 20_000;
    let mut s = String::from("(meta: (title: \"refs\"), sources: [\n");
    for i in 0..n {
        s.push_str(&format!(
            "(id: \"src-{i}\", outlet: \"O\", title: \"T\", text: \"Words here.\"),\n"
        ));
    }
    s.push_str("], events: [\n");
    for i in 0..n {
        s.push_str(&format!(
            "(id: \"e{i}\", date: \"2024\", title: \"E\", evidence: [(source: \"source-{i}\", quote: \"Words\")]),\n"
        ));
    }
    s.push_str("])");
    let err = load(&s).unwrap_err();
    // 200 listed, with their positions, then one line for the rest.
    assert_eq!(err.diagnostics.len(), 201);
    assert!(
        err.diagnostics[0]
            .message
            .contains("unknown source \"source-0\"")
    );
    let last = err.diagnostics.last().unwrap();
    assert_eq!(
        last.message,
        "19800 more problems in events evidence from here on, like the 200 above, not listed"
    );
    assert_eq!(last.line, 20_000 + 3 + 200);
    assert_eq!((err.unlisted, err.problem_count()), (19_800, 20_000));
}

#[test]
fn positions_on_a_one_line_store_are_found_without_rescanning_the_line() {
    let n = 20_000;
    let mut s = format!("(meta: (title: \"one line\"), sources: [{SOURCE}], events: [");
    for i in 0..n {
        s.push_str(&format!(
            "(id: \"e{i}\", date: \"2023-02-30\", title: \"é\", {EVIDENCE}),"
        ));
    }
    s.push_str("])");
    assert!(!s.contains('\n'));
    let err = load(&s).unwrap_err();
    assert_eq!(err.diagnostics.len(), 201);
    // Columns count characters, not bytes: each item has one "é".
    let d = &err.diagnostics[1];
    let item = s.find("(id: \"e1\"").unwrap();
    let col = s[..item].chars().count() + "(id: \"e1\", date: ".len() + 1;
    assert_eq!((d.line, d.column), (1, col));
}

#[test]
fn a_long_id_with_a_typo_gets_no_suggestion_but_a_position() {
    let id = "x".repeat(100_000);
    let typo = format!("{}y", &id[1..]);
    let s = format!(
        "(meta: (title: \"t\"), sources: [(id: \"{id}\", outlet: \"O\", title: \"T\", text: \"Words here.\")], \
         events: [(id: \"e\", date: \"2024\", title: \"E\", evidence: [(source: \"{typo}\", quote: \"Words\")])])"
    );
    let err = load(&s).unwrap_err();
    assert_eq!(err.diagnostics.len(), 1);
    let message = &err.diagnostics[0].message;
    assert!(!message.contains("did you mean"));
    // The id is shown cut short, so the message stays a line.
    assert!(message.len() < 300, "{} bytes", message.len());
}

#[test]
fn many_quotes_with_other_whitespace_collapse_each_article_once() {
    // Quotes copied across line breaks: each must still be found, at the
    // right place in its article.
    let para = "The troops left the base  at dawn.\nThey did not return. ";
    let text = para.repeat(2_000);
    let mut s = format!(
        "(meta: (title: \"ws\"), sources: [(id: \"s\", outlet: \"O\", title: \"T\", text: {text:?})], events: ["
    );
    for i in 0..2_000 {
        s.push_str(&format!(
            "(id: \"e{i}\", date: \"2024\", title: \"E\", evidence: [(source: \"s\", quote: \"base at dawn. They did\")]),"
        ));
    }
    s.push_str("])");
    let m = load(&s).unwrap();
    let q = &m.events[0].evidence[0];
    assert_eq!(
        &m.sources[0].text[q.span.clone()],
        "base  at dawn.\nThey did"
    );
}

#[test]
fn a_huge_unbroken_token_is_not_indexed_and_search_stays_bounded() {
    let blob: String = "QUJD".repeat(1_250_000); // 5 MB without a space
    let s = format!(
        "(meta: (title: \"b64\"), sources: [(id: \"s\", outlet: \"O\", title: \"T\", text: \"the quick brown fox {blob} jumps over the lazy dog\")], \
         events: [(id: \"e\", date: \"2024\", title: \"E\", evidence: [(source: \"s\", quote: \"lazy dog\")])])"
    );
    let m = load(&s).unwrap();
    let index = SearchIndex::build(&m);
    let hits = index.search(&m, "quick brown fox jumps over the lazy dog", 10);
    assert!(hits.iter().any(|h| h.target.kind() == "source"));
    // A query as long as the blob's start matches nothing, quickly.
    assert!(index.search(&m, &"QUJD".repeat(800), 10).is_empty());
}

#[test]
fn one_article_quoted_by_thousands_of_events_is_searched_once() {
    let n = 20_000;
    let sentences: Vec<String> = (0..n)
        .map(|i| format!("Sentence number {i} says something."))
        .collect();
    let text = sentences.join(" ");
    let mut s = format!(
        "(meta: (title: \"hub article\"), sources: [(id: \"s\", outlet: \"O\", title: \"T\", text: {text:?})], events: ["
    );
    for i in (0..n).rev() {
        // Every other quote copied across a "line break" (two spaces).
        let q = if i % 2 == 0 {
            format!("number {i} says")
        } else {
            format!("number  {i}\\nsays")
        };
        s.push_str(&format!(
            "(id: \"e{i}\", date: \"2024\", title: \"E\", evidence: [(source: \"s\", quote: \"{q}\")]),"
        ));
    }
    s.push_str("])");
    let m = load(&s).unwrap();
    for ev in &m.events {
        let q = &ev.evidence[0];
        let found = &m.sources[0].text[q.span.clone()];
        assert_eq!(found, format!("number {} says", &ev.id[1..]));
    }
}
