//! The model built from real stores: the Niger store and a small fixture.

use annals::evidence::date::DaySpan;
use annals::filter::{Filter, resolve_actor, resolve_place};
use annals::model::Subject;
use annals::{Model, PartialDate, SearchIndex, Target};

fn small() -> Model {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/small.ron"
    );
    annals::load_path(std::path::Path::new(path)).unwrap()
}

fn niger() -> Model {
    annals::load_builtin().unwrap_or_else(|e| panic!("the built-in store must load:\n{e}"))
}

fn ids(m: &Model, events: &[u32]) -> Vec<String> {
    events.iter().map(|&e| m.event(e).id.to_string()).collect()
}

#[test]
fn events_are_in_chronological_order_with_precision_kept() {
    let m = small();
    assert_eq!(
        ids(&m, &(0..3).collect::<Vec<_>>()),
        ["boast", "signed", "ended"]
    );
    assert_eq!(m.event(2).date.to_string(), "~2024-05");
    assert_eq!(m.event(0).date.to_string(), "2024");
}

#[test]
fn place_index_includes_places_within() {
    let m = small();
    let land = resolve_place(&m, "Betaland").unwrap();
    let base = resolve_place(&m, "base one").unwrap();
    assert_eq!(ids(&m, &m.events_at_place(land)), ["signed", "ended"]);
    assert_eq!(ids(&m, &m.events_at_place(base)), ["signed"]);
    let city = resolve_place(&m, "city").unwrap();
    assert_eq!(m.place_ancestors(base), vec![city, land]);
}

#[test]
fn actor_source_and_tag_indexes() {
    let m = small();
    let alpha = resolve_actor(&m, "ALPHA").unwrap();
    assert_eq!(ids(&m, m.events_of_actor(alpha)), ["boast", "signed"]);
    let s1 = m.sources.iter().position(|s| s.id == "s1").unwrap() as u32;
    assert_eq!(ids(&m, m.events_citing_source(s1)), ["signed", "ended"]);
    let deal = m.tag_ix("deal").unwrap();
    assert_eq!(ids(&m, m.events_with_tag(deal)), ["signed", "ended"]);
}

#[test]
fn quotes_are_located_in_their_article() {
    let m = small();
    let ended = m.event_by_id("ended").unwrap();
    let q = &m.event(ended).evidence[0];
    let text = &m.source(q.source).text;
    // Whitespace differs ("Land   ended"); the span covers the text as written.
    assert_eq!(&text[q.span.clone()], "Beta Land   ended the deal.");
}

#[test]
fn relations_as_they_stood_on_a_date() {
    let m = small();
    let alpha = resolve_actor(&m, "alpha").unwrap();
    let on = |d: &str| {
        let d = annals::Date::parse(d).unwrap();
        m.relations_during(&[alpha], DaySpan::of(&d, None)).len()
    };
    assert_eq!(on("2024-04-10"), 1);
    assert_eq!(on("2024-02"), 0);
    assert_eq!(on("2024-06-01"), 0);
}

#[test]
fn conflicts_are_derived_from_claims() {
    let m = small();
    assert_eq!(m.conflicts.len(), 1);
    let c = &m.conflicts[0];
    let signed = m.event_by_id("signed").unwrap();
    assert_eq!(c.subject, Subject::Event(signed));
    assert_eq!(c.claims.len(), 2);
    assert_eq!(m.conflicts_of_event(signed), &[0]);
    let ended = m.event_by_id("ended").unwrap();
    assert!(m.conflicts_of_event(ended).is_empty());
}

#[test]
fn sponsored_only_events_are_known() {
    let m = small();
    assert!(m.rests_on_sponsored(m.event_by_id("boast").unwrap()));
    assert!(!m.rests_on_sponsored(m.event_by_id("signed").unwrap()));
}

#[test]
fn filters_combine_actor_place_and_dates() {
    let m = small();
    let f = Filter {
        actors: vec![resolve_actor(&m, "beta land").unwrap()],
        from: Some(PartialDate::parse("2024-04").unwrap()),
        ..Filter::default()
    };
    assert_eq!(ids(&m, &f.apply(&m)), ["ended"]);
    let f = Filter {
        places: vec![resolve_place(&m, "betaland").unwrap()],
        to: Some(PartialDate::parse("2024-03").unwrap()),
        ..Filter::default()
    };
    assert_eq!(ids(&m, &f.apply(&m)), ["signed"]);
    // A year-precision event overlaps any range within its year.
    let f = Filter {
        from: Some(PartialDate::parse("2024-06").unwrap()),
        ..Filter::default()
    };
    assert_eq!(ids(&m, &f.apply(&m)), ["boast"]);
}

#[test]
fn resolving_names_reports_unknown_and_ambiguous() {
    let m = niger();
    let e = resolve_actor(&m, "rusia").unwrap_err().to_string();
    assert!(
        e.contains("no actor matches \"rusia\"") && e.contains("Russia (russia)"),
        "{e}"
    );
    // "Niger" is both a state (actor) and a country (place): each resolves in its own kind.
    assert_eq!(m.actor(resolve_actor(&m, "Niger").unwrap()).id, "niger");
    assert_eq!(
        m.place(resolve_place(&m, "niger").unwrap()).id,
        "niger-country"
    );
}

#[test]
fn niger_store_holds_what_the_articles_report() {
    let m = niger();
    assert!(m.events.len() >= 25, "{} events", m.events.len());
    assert!(m.actors.len() >= 25, "{} actors", m.actors.len());
    assert!(m.places.len() >= 12, "{} places", m.places.len());
    assert!(m.relations.len() >= 15, "{} relations", m.relations.len());
    let sponsored: Vec<&str> = m
        .sources
        .iter()
        .filter(|s| s.is_sponsored())
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(
        sponsored,
        ["U.S. Restarts Recon Missions in Niger Amid Tensions"]
    );
    let attrs: Vec<&str> = m.conflicts.iter().map(|c| c.attribute.as_str()).collect();
    for want in [
        "date of the coup",
        "U.S. troops in Niger",
        "cost of Air Base 201",
    ] {
        assert!(attrs.contains(&want), "no conflict on {want:?}: {attrs:?}");
    }
    let ab101 = resolve_place(&m, "Airbase 101").unwrap();
    assert_eq!(m.place(ab101).id, "air-base-101");
    let niamey = resolve_place(&m, "niamey").unwrap();
    assert!(m.place_ancestors(ab101).contains(&niamey));
    for e in m.events_at_place(ab101) {
        assert!(m.events_at_place(niamey).contains(&e));
    }
}

/// What a fact-check of the store against its five articles found, kept.
#[test]
fn niger_store_states_no_more_than_its_articles() {
    let m = niger();
    // No article names April 2024: nothing may be dated in it.
    let april = annals::evidence::date::DaySpan::of(&annals::Date::parse("2024-04").unwrap(), None);
    for ev in &m.events {
        let d = ev.date;
        let exactly_april = d.earliest().is_some_and(|f| f >= april.first)
            && d.latest().is_some_and(|l| l <= april.last);
        assert!(!exactly_april, "{} is dated {d}", ev.id);
    }
    // Background facts with no date in the articles have no earliest day.
    for id in [
        "leaves-ecowas-g5",
        "aes-formed",
        "french-expelled",
        "wagner-in-mali",
    ] {
        let ev = m.event(m.event_by_id(id).unwrap());
        assert_eq!(ev.date.earliest(), None, "{id} is dated {}", ev.date);
    }
    // The Reuters-based report and its rewrite are one origin.
    let origin = |id: &str| m.sources.iter().find(|s| s.id == id).unwrap().origin;
    assert_eq!(
        origin("reuters-based-personnel"),
        origin("personnel-rewrite")
    );
    assert_eq!(m.origins.len(), 4);
    // The disagreements the first version missed are recorded.
    let attrs: Vec<&str> = m.conflicts.iter().map(|c| c.attribute.as_str()).collect();
    for want in [
        "junta ordered U.S. troops out",
        "who decided the U.S. withdrawal",
        "what broke the U.S.-Niger partnership",
    ] {
        assert!(attrs.contains(&want), "no conflict on {want:?}: {attrs:?}");
    }
    // A conflict marks the events it bears on, not every event of an actor.
    let marked = (0..m.events.len() as u32)
        .filter(|&e| !m.conflicts_of_event(e).is_empty())
        .count();
    assert!(
        marked * 3 < m.events.len(),
        "{marked} of {} marked",
        m.events.len()
    );
    let strikes = m.event_by_id("drone-strikes").unwrap();
    assert!(m.conflicts_of_event(strikes).is_empty());
}

fn first_hit(m: &Model, q: &str) -> (Target, String) {
    let index = SearchIndex::build(m);
    let hits = index.search(m, q, 10);
    let h = hits.first().unwrap_or_else(|| panic!("no hits for {q:?}"));
    (h.target, h.text.clone())
}

#[test]
fn search_ranks_the_obvious_answer_first() {
    let m = niger();
    let (t, _) = first_hit(&m, "abse 101");
    assert_eq!(
        t,
        Target::Place {
            place: resolve_place(&m, "air-base-101").unwrap()
        }
    );
    let (t, _) = first_hit(&m, "russ");
    assert_eq!(
        t,
        Target::Actor {
            actor: resolve_actor(&m, "russia").unwrap()
        }
    );
    let (t, _) = first_hit(&m, "NIAMEY");
    assert_eq!(
        t,
        Target::Place {
            place: resolve_place(&m, "niamey").unwrap()
        }
    );
}

#[test]
fn search_reaches_quotes_and_article_text_through_words() {
    let m = niger();
    let index = SearchIndex::build(&m);
    let hits = index.search(&m, "uranium", 50);
    assert!(
        hits.iter()
            .any(|h| matches!(h.target, Target::Quote { .. })),
        "{hits:#?}"
    );
    assert!(
        hits.iter()
            .any(|h| matches!(h.target, Target::Source { .. }))
    );
    // The highlighted characters spell the matched word.
    for h in &hits {
        let chars: Vec<char> = h.text.chars().collect();
        let marked: String = h.positions.iter().map(|&p| chars[p]).collect();
        assert!(
            marked.to_lowercase().contains("uranium"),
            "{marked:?} in {:?}",
            h.text
        );
    }
    assert!(index.search(&m, "zzqxj", 10).is_empty());
    assert!(index.search(&m, "   ", 10).is_empty());
}

#[test]
fn search_ignores_case_and_accents_and_positions_fit_the_original() {
    let src = r#"(meta: (title: "T"),
        sources: [(id: "s", outlet: "O", title: "Un rapport", text: "La Base Aérienne est ici.")],
        places: [(id: "ba", name: "Base Aérienne 101", kind: "base")],
    )"#;
    let m = annals::load_str(src, "inline").unwrap();
    let index = SearchIndex::build(&m);
    let hits = index.search(&m, "aerienne", 10);
    assert_eq!(hits[0].target, Target::Place { place: 0 });
    assert_eq!(hits[0].text, "Base Aérienne 101");
    let chars: Vec<char> = hits[0].text.chars().collect();
    let marked: String = hits[0].positions.iter().map(|&p| chars[p]).collect();
    assert_eq!(marked, "Aérienne");
}

/// The date filter looks only at a window of the timeline; it must find
/// exactly what checking every event finds, long events included.
#[test]
fn date_filter_matches_checking_every_event() {
    let text = annals::synth::to_ron(&annals::synth::generate(3_000, 3));
    let m = annals::load_str(&text, "synthetic").unwrap();
    assert!(
        m.events.iter().any(|e| e.end.is_some()),
        "some events span years"
    );
    for (from, to) in [
        (Some("1970"), Some("1970")),
        (Some("1980-02"), Some("1983-07-15")),
        (None, Some("1966")),
        (Some("2020"), None),
        (Some("1999-12-31"), Some("1999-12-31")),
        (Some("2030"), Some("2040")),
    ] {
        let f = Filter {
            from: from.map(|d| d.parse().unwrap()),
            to: to.map(|d| d.parse().unwrap()),
            ..Filter::default()
        };
        let days = f.days();
        let brute: Vec<u32> = (0..m.events.len() as u32)
            .filter(|&e| m.event(e).days().overlaps(&days))
            .collect();
        assert_eq!(f.apply(&m), brute, "from {from:?} to {to:?}");
    }
}
