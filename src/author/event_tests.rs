//! Tests of events and quotes added to a store's text.

use super::*;

const NIGER: &str = include_str!("../../data/niger.ron");
const QUOTE: &str =
    "The US military presence in Niger has primarily focused on monitoring jihadist activity";

fn niger() -> crate::Model {
    crate::load_str(NIGER, "niger.ron").unwrap()
}

fn event() -> NewEvent {
    NewEvent {
        date: "~2024-03".into(),
        title: "The \"U.S.\" presence, watched \\ again".into(),
        summary: Some("A test event.".into()),
        actors: vec!["pentagon".into(), "Niger Junta".into(), "us".into()],
        places: vec!["Niamey".into()],
        tags: vec!["bases".into(), "Bases".into()],
        quotes: vec![NewQuote {
            source: "dexter-troops-leave".into(),
            text: QUOTE.into(),
        }],
        ..NewEvent::default()
    }
}

/// Whether `small`'s lines all stand in `big`, in order, and `big` has
/// `extra` lines more: nothing of `small` was changed, only lines added.
fn only_lines_added(small: &str, big: &str, extra: usize) -> bool {
    let mut big_lines = big.split('\n');
    let all_found = small.split('\n').all(|l| big_lines.any(|b| b == l));
    all_found && big.split('\n').count() == small.split('\n').count() + extra
}

#[test]
fn an_event_goes_at_the_end_of_the_events_and_the_rest_stays_byte_for_byte() {
    let m = niger();
    let edit = add_event(NIGER, &m, &event()).unwrap();
    assert_eq!(edit.event_id, "2024-03-the-u-s-presence-watched-again");
    let after = crate::load_str(&edit.text, "n.ron").unwrap();
    assert_eq!(after.events.len(), m.events.len() + 1);
    let e = after
        .events
        .iter()
        .find(|e| e.id.as_str() == edit.event_id)
        .unwrap();
    assert_eq!(e.title.as_str(), "The \"U.S.\" presence, watched \\ again");
    let actors: Vec<&str> = e
        .actors
        .iter()
        .map(|&a| after.actors[a as usize].id.as_str())
        .collect();
    assert_eq!(actors, ["pentagon", "niger-junta", "us"]);
    assert_eq!(e.evidence[0].text.as_str(), QUOTE);
    assert_eq!(
        after.tags.iter().filter(|t| t.as_str() == "bases").count(),
        1
    );
    // One insertion, after the last event: a prefix and a suffix of the
    // original around it.
    let prefix = NIGER
        .bytes()
        .zip(edit.text.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = NIGER
        .bytes()
        .rev()
        .zip(edit.text.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert!(prefix + suffix >= NIGER.len(), "{prefix} + {suffix}");
    let inserted = &edit.text[prefix..edit.text.len() - suffix];
    assert!(
        edit.text.contains(
            "        ),\n        (\n            id: \"2024-03-the-u-s-presence-watched-again\",\n"
        ),
        "indented as the other events: {inserted}"
    );
    // Right after the last event.
    let last_event_end = NIGER
        .find("        ),\n    ],\n\n    // Relations")
        .unwrap();
    assert!(prefix >= last_event_end + "        ),".len(), "{prefix}");
}

#[test]
fn new_actors_and_places_are_created_at_the_end_of_their_lists() {
    let m = niger();
    let mut ev = event();
    ev.new_actors = vec![NewEntity {
        name: "Red Cross".into(),
        kind: "organisation".into(),
        ..NewEntity::default()
    }];
    ev.new_places = vec![
        NewEntity {
            name: "Tillabéri".into(),
            kind: "region".into(),
            within: Some("niger-country".into()),
            ..NewEntity::default()
        },
        NewEntity {
            name: "Ayorou".into(),
            kind: "town".into(),
            within: Some("tillabéri".into()),
            ..NewEntity::default()
        },
    ];
    ev.actors.push("red cross".into());
    ev.places = vec!["Ayorou".into()];
    let edit = add_event(NIGER, &m, &ev).unwrap();
    let after = crate::load_str(&edit.text, "n.ron").unwrap();
    let red = after.actors.last().unwrap();
    assert_eq!(
        (red.id.as_str(), red.kind.as_str()),
        ("red-cross", "organisation")
    );
    let ayorou = after.places.last().unwrap();
    let within = &after.places[ayorou.within.unwrap() as usize];
    assert_eq!(within.id.as_str(), "tillabéri");
    assert!(
        edit.text.contains(
            "\n        (id: \"red-cross\", name: \"Red Cross\", kind: \"organisation\"),\n"
        )
    );
    assert!(only_lines_added(NIGER, &edit.text, 3 + 12), "lines changed");
}

#[test]
fn every_problem_is_reported_at_once_and_none_is_written() {
    let m = niger();
    let ev = NewEvent {
        date: "[2024-05..2024-03]".into(),
        title: "A\u{1b}[31m title".into(),
        actors: vec!["Joe Bidden".into(), "Nobody At All".into()],
        places: vec!["Niamy".into()],
        quotes: vec![
            NewQuote {
                source: "dexter-troops-leav".into(),
                text: QUOTE.into(),
            },
            NewQuote {
                source: "dexter-troops-leave".into(),
                text: "  ".into(),
            },
            NewQuote {
                source: "dexter-troops-leave".into(),
                text: QUOTE.replace("US", "U.S."),
            },
        ],
        new_actors: vec![NewEntity {
            name: "Nobody At All".into(),
            ..NewEntity::default()
        }],
        ..NewEvent::default()
    };
    let errs = add_event(NIGER, &m, &ev).unwrap_err();
    let all = errs.join("\n");
    for want in [
        "the date: \"[2024-05..2024-03]\": the earliest bound 2024-05 is after the latest 2024-03",
        "the title holds a control character",
        "no actor is called \"Joe Bidden\"; did you mean Joe Biden (joe-biden)",
        "no place is called \"Niamy\"; did you mean Niamey (niamey)",
        "new actor \"Nobody At All\" has no kind",
        "quote 1: no source has the id \"dexter-troops-leav\"; did you mean",
        "quote 2: the quote is empty",
        "quote 3: not found verbatim in source \"dexter-troops-leave\"",
        "the article says “US military”, the quote “U.S. military”",
    ] {
        assert!(all.contains(want), "missing {want:?} in:\n{all}");
    }
    let impossible = NewEvent {
        date: "2024-02-30".into(),
        ..event()
    };
    let errs = add_event(NIGER, &m, &impossible).unwrap_err();
    assert!(errs[0].contains("2024-02-30"), "{errs:?}");
}

#[test]
fn a_new_store_takes_events_and_keeps_crlf() {
    let crlf = new_store("Floods").replace('\n', "\r\n");
    let s = NewSource {
        id: "a".into(),
        outlet: "O".into(),
        title: "T".into(),
        text: "The river rose on\nTuesday night.".into(),
        ..NewSource::default()
    };
    let text = add_source(&crlf, &s).unwrap();
    let m = crate::load_str(&text, "f.ron").unwrap();
    let ev = NewEvent {
        date: "2024-09".into(),
        title: "River rises".into(),
        actors: vec!["River authority".into()],
        places: vec!["Valley".into()],
        quotes: vec![NewQuote {
            source: "a".into(),
            text: "river rose on\r\nTuesday".into(),
        }],
        new_actors: vec![NewEntity {
            name: "River authority".into(),
            kind: "agency".into(),
            ..NewEntity::default()
        }],
        new_places: vec![NewEntity {
            name: "Valley".into(),
            kind: "region".into(),
            ..NewEntity::default()
        }],
        ..NewEvent::default()
    };
    let edit = add_event(&text, &m, &ev).unwrap();
    let m = crate::load_str(&edit.text, "f.ron").unwrap();
    assert_eq!(
        m.events[0].evidence[0].text.as_str(),
        "river rose on Tuesday"
    );
    assert_eq!(m.actors.len(), 1);
    let without_article = edit.text.replace("rose on\nTuesday", "");
    assert!(
        !without_article.replace("\r\n", "").contains('\n'),
        "{:?}",
        edit.text
    );
    assert!(
        only_lines_added(&text, &edit.text, 1 + 1 + 10),
        "{}",
        edit.text
    );
}

#[test]
fn a_store_without_the_lists_gets_them() {
    let text = "(meta: (title: \"t\"), sources: [(id: \"s\", outlet: \"o\", title: \"t\", text: \"Rain fell.\")])\n";
    let m = crate::load_str(text, "t.ron").unwrap();
    let ev = NewEvent {
        date: "2020".into(),
        title: "Rain".into(),
        places: vec!["Here".into()],
        quotes: vec![NewQuote {
            source: "s".into(),
            text: "Rain fell.".into(),
        }],
        new_places: vec![NewEntity {
            name: "Here".into(),
            kind: "town".into(),
            ..NewEntity::default()
        }],
        ..NewEvent::default()
    };
    let edit = add_event(text, &m, &ev).unwrap();
    let m = crate::load_str(&edit.text, "t.ron").unwrap();
    assert_eq!((m.events.len(), m.places.len()), (1, 1));
    assert!(edit.text.starts_with(text.trim_end().trim_end_matches(')')));
}

#[test]
fn event_ids_are_made_of_the_date_and_whole_words_and_stay_distinct() {
    let mut taken = |id: &str| id == "2024-03-rain-falls";
    assert_eq!(
        event_id("[2024-03..2024-05]", "Rain falls", &mut taken),
        "2024-03-rain-falls-2"
    );
    assert_eq!(
        event_id("~2023", "Rain falls", &mut |_| false),
        "2023-rain-falls"
    );
    let long =
        "Heavy rains flood the valley's lower villages and the river bursts its banks at night";
    let id = event_id("2024", long, &mut |_| false);
    assert!(id.len() <= 54, "{id}");
    assert!(
        long.to_lowercase()
            .replace(['\'', ' '], "-")
            .starts_with(&id[5..]),
        "{id}"
    );
    assert_eq!(event_id("", "", &mut |_| false), "event");
}

#[test]
fn a_quote_is_added_to_an_existing_event() {
    let m = niger();
    let q = NewQuote {
        source: "dexter-troops-leave".into(),
        text: QUOTE.into(),
    };
    let text = add_quote(NIGER, &m, "junta-orders-us-out", &q).unwrap();
    let after = crate::load_str(&text, "n.ron").unwrap();
    let find = |m: &crate::Model| {
        m.events
            .iter()
            .find(|e| e.id.as_str() == "junta-orders-us-out")
            .unwrap()
            .evidence
            .len()
    };
    assert_eq!(find(&after), find(&m) + 1);
    assert!(only_lines_added(NIGER, &text, 1));
    let errs = add_quote(NIGER, &m, "no-such-event", &q).unwrap_err();
    assert!(errs[0].contains("no-such-event"), "{errs:?}");
}
