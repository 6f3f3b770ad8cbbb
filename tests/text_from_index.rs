//! `:text` / `--text` answered from the search index finds exactly the
//! events that reading every event's text finds: on generated stores of
//! hostile text (case, accents written both ways, compounds, words too
//! long to index, CJK, joiners, words inside words), on the fixtures and
//! the built-in store, with other filters and several texts at once.

use annals::filter::Filter;
use annals::{Model, SearchIndex};
use proptest::prelude::*;

/// Pieces text is made of: words a query may start, end or cut inside.
const PIECES: &[&str] = &[
    "Niger",
    "niger",
    "NIGER",
    "Niger’s",
    "nigers",
    "Café",
    "cafe",
    "CAFÉ",
    "cafe\u{301}",
    "U.S.",
    "U.S.-Russian",
    "us",
    "Russian",
    "Bunau-Varilla",
    "bunau",
    "5,609",
    "5609",
    "609",
    "x-ray",
    "Airbase",
    "air",
    "base",
    "basement",
    "ab101",
    "101",
    "Gatún",
    "gatun",
    "巴拿马",
    "運河",
    "ß",
    "straße",
    "İstanbul",
    "Ωmega",
    "٣٤",
    "تهران\u{200C}ی",
    "no\u{200C}n",
    "d'Arc",
    "it's",
    "e.g.",
    "a",
    "I",
    "Zz",
];

fn long_word(n: usize) -> String {
    // Longer than the index keeps (96 bytes): read from the text instead.
    format!("{}-tail", "Q".repeat(60 + n * 10))
}

/// A phrase of one to five pieces, separated as text separates words.
fn phrase() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => (0usize..4).prop_map(long_word),
    ];
    let sep = proptest::sample::select(vec![" ", " ", ", ", " — ", "; ", " (", ") ", "-", "."]);
    proptest::collection::vec((piece, sep), 1..6).prop_map(|v| {
        let s: String = v.into_iter().map(|(p, s)| format!("{p}{s}")).collect();
        s.trim()
            .trim_matches(|c: char| c == '-' || c == '.')
            .to_string()
    })
}

fn ron(s: &str) -> String {
    format!("{s:?}")
}

/// A store of `events` events whose titles, summaries, tags, quotes and
/// actors' and places' names and aliases are the phrases given.
fn store(phrases: &[String], events: usize) -> Model {
    let p = |i: usize| {
        let s = &phrases[i % phrases.len()];
        if s.trim().is_empty() {
            "x".to_string()
        } else {
            s.clone()
        }
    };
    let quotes: Vec<String> = (0..phrases.len())
        .map(|i| format!("Q{i} {}", p(i)))
        .collect();
    let text = quotes.join(". ");
    let mut out = String::from(
        "(meta: (title: \"t\"), sources: [(id: \"s\", outlet: \"o\", title: \"t\", kind: News, text: ",
    );
    out.push_str(&ron(&text));
    out.push_str(")], actors: [");
    for a in 0..3 {
        out.push_str(&format!(
            "(id: \"a{a}\", name: {}, aliases: [{}], kind: \"group\", description: {}),",
            ron(&format!("A{a} {}", p(a * 5 + 1))),
            ron(&p(a * 5 + 2)),
            ron(&p(a * 5 + 3)),
        ));
    }
    out.push_str("], places: [");
    for l in 0..3 {
        let within = if l == 2 { ", within: \"p0\"" } else { "" };
        out.push_str(&format!(
            "(id: \"p{l}\", name: {}, aliases: [{}], kind: \"city\"{within}),",
            ron(&format!("P{l} {}", p(l * 7 + 4))),
            ron(&p(l * 7 + 5)),
        ));
    }
    out.push_str("], events: [");
    for e in 0..events {
        let tag = if e % 3 == 0 {
            format!("tags: [{}], ", ron(&p(e + 6)))
        } else {
            String::new()
        };
        let summary = if e % 2 == 0 {
            format!("summary: {}, ", ron(&p(e * 3 + 1)))
        } else {
            String::new()
        };
        let q = |k: usize| format!("(source: \"s\", quote: {})", ron(&quotes[k % quotes.len()]));
        // Every event quotes a source; some two.
        let quote = if e % 4 == 3 {
            format!("{}, {}", q(e * 5), q(e + 1))
        } else {
            q(e * 5)
        };
        out.push_str(&format!(
            "(id: \"e{e}\", date: \"2024-01-{:02}\", title: {}, {summary}{tag}actors: [\"a{}\"], places: [\"p{}\"], evidence: [{quote}]),",
            1 + e % 28,
            ron(&p(e * 2)),
            e % 3,
            e % 3,
        ));
    }
    out.push_str("])");
    annals::store::load::load_str(&out, "generated.ron").unwrap_or_else(|e| panic!("{e}\n{out}"))
}

/// What reading finds and what the index finds, for these texts.
fn both(m: &Model, index: &SearchIndex, filter: &Filter) -> (Vec<u32>, Vec<u32>) {
    (filter.apply(m), filter.apply_with(m, Some(index)))
}

/// Queries cut from the store's own words: whole, their starts, their
/// insides and ends, other cases.
fn queries_from(phrases: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for ph in phrases {
        for w in ph.split_whitespace() {
            let chars: Vec<char> = w.chars().collect();
            out.push(w.to_string());
            out.push(w.to_uppercase());
            for cut in [1, 2, 3] {
                out.push(chars.iter().take(cut).collect());
                out.push(chars.iter().skip(cut).collect());
            }
        }
        out.push(ph.clone());
    }
    out.retain(|q| !annals::search::tokens::query_terms(q).is_empty());
    out.sort();
    out.dedup();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn the_index_finds_what_reading_finds_on_generated_hostile_stores(
        phrases in proptest::collection::vec(phrase(), 4..14),
        events in 1usize..40,
        extra in proptest::collection::vec(proptest::sample::select(PIECES), 0..3),
    ) {
        let m = store(&phrases, events);
        let index = SearchIndex::build(&m);
        let mut queries = queries_from(&phrases);
        queries.extend(extra.iter().map(|s| s.to_string()));
        for (k, q) in queries.iter().enumerate() {
            let one = Filter { texts: vec![q.clone()], ..Filter::default() };
            let (read, indexed) = both(&m, &index, &one);
            prop_assert_eq!(read, indexed, "text {:?}", q);
            // Two texts at once, and a text with an actor filter.
            let other = &queries[(k * 7 + 3) % queries.len()];
            let two = Filter { texts: vec![q.clone(), other.clone()], ..Filter::default() };
            let (read, indexed) = both(&m, &index, &two);
            prop_assert_eq!(read, indexed, "texts {:?} and {:?}", q, other);
            let with_actor = Filter { actors: vec![(k % 3) as u32], ..one };
            let (read, indexed) = both(&m, &index, &with_actor);
            prop_assert_eq!(read, indexed, "text {:?} and actor {}", q, k % 3);
        }
    }
}

fn fixture(name: &str) -> Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    annals::load_path(&path).unwrap()
}

#[test]
fn the_index_finds_what_reading_finds_on_the_fixtures_and_the_built_in_store() {
    let mut models = vec![annals::load_builtin().unwrap()];
    for f in [
        "small",
        "panama",
        "hostile",
        "wide",
        "ambiguous",
        "bridge",
        "evidence",
    ] {
        models.push(fixture(&format!("tests/fixtures/valid/{f}.ron")));
    }
    models.push(
        annals::store::load::load_str(
            &annals::synth::to_ron(&annals::synth::generate(300, 9)),
            "synth.ron",
        )
        .unwrap(),
    );
    let mut checked = 0;
    for m in &models {
        let index = SearchIndex::build(m);
        let mut texts: Vec<String> = m
            .events
            .iter()
            .take(12)
            .map(|e| e.title.to_string())
            .collect();
        texts.extend(m.actors.iter().take(12).map(|a| a.name.to_string()));
        texts.extend(m.places.iter().take(12).map(|p| p.name.to_string()));
        texts.extend(m.tags.iter().take(12).map(|t| t.to_string()));
        let queries = queries_from(&texts);
        for q in &queries {
            let f = Filter {
                texts: vec![q.clone()],
                ..Filter::default()
            };
            let (read, indexed) = both(m, &index, &f);
            assert_eq!(read, indexed, "text {q:?} in {}", m.meta.title);
            checked += usize::from(!read.is_empty());
        }
    }
    // Not only queries that find nothing.
    assert!(checked > 500, "{checked}");
}

/// Sends typed keys (`<Enter>` for Enter) to the explorer.
fn keys(app: &mut annals::tui::App, s: &str) {
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    for part in s.split_inclusive("<Enter>") {
        let (typed, enter) = match part.strip_suffix("<Enter>") {
            Some(t) => (t, true),
            None => (part, false),
        };
        for c in typed.chars() {
            app.handle_event(&Event::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
        if enter {
            app.handle_event(&Event::Key(KeyEvent::new(
                KeyCode::Enter,
                KeyModifiers::NONE,
            )));
        }
    }
}

fn screen(app: &mut annals::tui::App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 30)).unwrap();
    t.draw(|f| annals::tui::view::draw(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    buf.content.iter().map(|c| c.symbol()).collect()
}

#[test]
fn on_a_large_store_text_waits_for_the_index_says_so_and_keeps_the_selected_event() {
    let m = annals::load_builtin().unwrap();
    let niger = Filter {
        texts: vec!["niger".into()],
        ..Filter::default()
    };
    let matching = niger.apply(&m);
    let mut a = annals::tui::App::inline(m);
    // A store too large to read every event's text at a key, before its
    // index is ready.
    a.text_read_limit = 0;
    a.text_index = None;
    let kept = matching[matching.len() / 2];
    let other = matching[matching.len() / 3];
    a.select_event(kept);
    keys(&mut a, ":text niger<Enter>");
    assert!(a.visible.is_empty(), "nothing is shown before the index");
    assert!(screen(&mut a).contains("Indexing…"), "{}", screen(&mut a));
    a.check_invariants().unwrap();
    // Keys go on meanwhile; an event selected then (a session's, a
    // search result's) keeps the filter and is selected once it applies.
    keys(&mut a, "jjk");
    a.select_event(other);
    assert_eq!(a.chips.len(), 1, "the text filter stays");
    a.check_invariants().unwrap();
    assert!(a.poll_search(), "the index arrives: the screen changes");
    assert_eq!(a.visible, matching);
    assert_eq!(a.selected_event(), Some(other));
    assert!(!screen(&mut a).contains("Indexing…"));
    a.check_invariants().unwrap();
    // Removing the filter before the index is ready keeps the selection too.
    let mut b = annals::tui::App::inline(annals::load_builtin().unwrap());
    b.text_read_limit = 0;
    b.text_index = None;
    b.select_event(kept);
    keys(&mut b, ":text niger<Enter>");
    b.chips.clear();
    b.refilter();
    assert_eq!(b.selected_event(), Some(kept));
    b.check_invariants().unwrap();
}
