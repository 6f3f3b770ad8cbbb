//! Filters: how values and kinds combine, and the source, source-kind,
//! only-kind and text filters, against the small fixture and the Niger store.

use annals::filter::{Filter, resolve_actor, resolve_kind, resolve_place, resolve_source};
use annals::model::Ix;
use annals::store::SourceKind;
use annals::{Model, PartialDate};

fn small() -> Model {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/small.ron"
    );
    annals::load_path(std::path::Path::new(path)).unwrap()
}

fn panama() -> Model {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/panama.ron"
    );
    annals::load_path(std::path::Path::new(path)).unwrap()
}

fn niger() -> Model {
    annals::load_builtin().unwrap()
}

fn ids(m: &Model, events: &[Ix]) -> Vec<String> {
    events.iter().map(|&e| m.event(e).id.to_string()).collect()
}

fn source(m: &Model, id: &str) -> Ix {
    m.sources.iter().position(|s| s.id == id).unwrap() as Ix
}

fn text(m: &Model, texts: &[&str]) -> Vec<String> {
    let f = Filter {
        texts: texts.iter().map(|t| t.to_string()).collect(),
        ..Filter::default()
    };
    ids(m, &f.apply(m))
}

#[test]
fn values_of_one_kind_widen_and_kinds_narrow() {
    let m = small();
    let alpha = resolve_actor(&m, "alpha").unwrap();
    let beta = resolve_actor(&m, "beta").unwrap();
    let either = Filter {
        actors: vec![alpha, beta],
        ..Filter::default()
    };
    // boast has only alpha, ended only beta: both are in.
    assert_eq!(ids(&m, &either.apply(&m)), ["boast", "signed", "ended"]);
    // An actor and a place: both must hold.
    let f = Filter {
        actors: vec![alpha],
        places: vec![resolve_place(&m, "betaland").unwrap()],
        ..Filter::default()
    };
    assert_eq!(ids(&m, &f.apply(&m)), ["signed"]);
    // Two places widen, an actor narrows them.
    let f = Filter {
        places: vec![
            resolve_place(&m, "base one").unwrap(),
            resolve_place(&m, "betaland").unwrap(),
        ],
        actors: vec![beta],
        ..Filter::default()
    };
    assert_eq!(ids(&m, &f.apply(&m)), ["signed", "ended"]);
    // Two actors, a kind and a date range.
    let f = Filter {
        actors: vec![alpha, beta],
        kinds: vec![SourceKind::News],
        from: Some(PartialDate::parse("2024-04").unwrap()),
        ..Filter::default()
    };
    assert_eq!(ids(&m, &f.apply(&m)), ["ended"]);
}

#[test]
fn sources_and_kinds_select_events_quoting_them() {
    let m = small();
    let (s1, s2) = (source(&m, "s1"), source(&m, "s2"));
    let by = |sources: Vec<Ix>| {
        ids(
            &m,
            &Filter {
                sources,
                ..Filter::default()
            }
            .apply(&m),
        )
    };
    assert_eq!(by(vec![s2]), ["boast"]);
    assert_eq!(by(vec![s1]), ["signed", "ended"]);
    assert_eq!(by(vec![s1, s2]), ["boast", "signed", "ended"]);
    let kinds = |kinds: Vec<SourceKind>| {
        ids(
            &m,
            &Filter {
                kinds,
                ..Filter::default()
            }
            .apply(&m),
        )
    };
    assert_eq!(kinds(vec![SourceKind::Sponsored]), ["boast"]);
    assert_eq!(
        kinds(vec![SourceKind::Sponsored, SourceKind::News]),
        ["boast", "signed", "ended"]
    );
    // No source of that kind: nothing.
    assert!(kinds(vec![SourceKind::Opinion]).is_empty());
}

#[test]
fn sources_resolve_by_id_title_or_outlet() {
    let m = small();
    let s2 = source(&m, "s2");
    assert_eq!(resolve_source(&m, "s2"), Ok(s2));
    assert_eq!(resolve_source(&m, "promo weekly"), Ok(s2));
    assert_eq!(resolve_source(&m, "Buy our product"), Ok(s2));
    let e = resolve_source(&m, "Promo Weekyl").unwrap_err().to_string();
    assert!(
        e.contains("no source matches") && e.contains("Buy our product (s2)"),
        "{e}"
    );
    // Two sources of one outlet: the outlet is ambiguous and says which.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/small.ron"
    ))
    .unwrap()
    .replace("Promo Weekly", "Daily Test");
    let m = annals::store::load::load_str(&text, "two.ron").unwrap();
    let e = resolve_source(&m, "daily test").unwrap_err().to_string();
    assert!(
        e.contains("is ambiguous")
            && e.contains("The base and the city (s1)")
            && e.contains("Buy our product (s2)"),
        "{e}"
    );
}

#[test]
fn kinds_resolve_by_label_in_any_spelling() {
    for q in [
        "official statement",
        "Official-Statement",
        "official_statement",
        "OfficialStatement",
    ] {
        assert_eq!(resolve_kind(q), Ok(SourceKind::OfficialStatement), "{q}");
    }
    assert_eq!(resolve_kind(" SPONSORED "), Ok(SourceKind::Sponsored));
    assert_eq!(resolve_kind("dataset record"), Ok(SourceKind::Dataset));
    assert_eq!(resolve_kind("dataset"), Ok(SourceKind::Dataset));
    let e = resolve_kind("sponsered").unwrap_err().to_string();
    assert!(
        e.contains("no source kind matches \"sponsered\"; did you mean sponsored"),
        "{e}"
    );
    // Nothing close: every kind is named.
    let e = resolve_kind("zzzz").unwrap_err().to_string();
    assert!(e.contains("news") && e.contains("dataset record"), "{e}");
}

/// `only sponsored` on the Niger store: exactly the events every quote of
/// which comes from its one sponsored source, found by looking at each.
#[test]
fn only_sponsored_is_the_events_resting_on_sponsored_sources_alone() {
    let m = niger();
    let sponsored: Vec<Ix> = (0..m.sources.len() as Ix)
        .filter(|&s| m.source(s).kind == SourceKind::Sponsored)
        .collect();
    assert_eq!(sponsored.len(), 1);
    let all = |e: Ix| {
        let ev = m.event(e);
        !ev.evidence.is_empty() && ev.evidence.iter().all(|q| sponsored.contains(&q.source))
    };
    let any = |e: Ix| {
        m.event(e)
            .evidence
            .iter()
            .any(|q| sponsored.contains(&q.source))
    };
    let every: Vec<Ix> = (0..m.events.len() as Ix).collect();
    let only_expected: Vec<Ix> = every.iter().copied().filter(|&e| all(e)).collect();
    let kind_expected: Vec<Ix> = every.iter().copied().filter(|&e| any(e)).collect();
    let only = Filter {
        only_kinds: vec![SourceKind::Sponsored],
        ..Filter::default()
    }
    .apply(&m);
    let kind = Filter {
        kinds: vec![SourceKind::Sponsored],
        ..Filter::default()
    }
    .apply(&m);
    assert_eq!(only, only_expected);
    assert_eq!(kind, kind_expected);
    // Some events rest on it alone, others have other sources too.
    assert!(!only.is_empty());
    assert!(only.len() < kind.len(), "{} {}", only.len(), kind.len());
    // Sponsored or news: events backed by nothing but those two kinds.
    let allowed = [SourceKind::Sponsored, SourceKind::News];
    let expected: Vec<Ix> = every
        .iter()
        .copied()
        .filter(|&e| {
            let ev = m.event(e);
            !ev.evidence.is_empty()
                && ev
                    .evidence
                    .iter()
                    .all(|q| allowed.contains(&m.source(q.source).kind))
        })
        .collect();
    let got = Filter {
        only_kinds: allowed.to_vec(),
        ..Filter::default()
    }
    .apply(&m);
    assert_eq!(got, expected);
    assert!(got.len() > only.len());
}

/// Every combination of a few values of each kind gives what checking
/// each event against the rule (one of each kind's values, every kind)
/// gives.
#[test]
fn combinations_match_checking_every_event() {
    let m = niger();
    let actor = |q: &str| resolve_actor(&m, q).unwrap();
    let place = |q: &str| resolve_place(&m, q).unwrap();
    let actor_sets: Vec<Vec<Ix>> = vec![
        vec![],
        vec![actor("russia")],
        vec![actor("russia"), actor("us-military")],
        vec![actor("niger"), actor("pentagon"), actor("joe-biden")],
    ];
    let place_sets: Vec<Vec<Ix>> = vec![
        vec![],
        vec![place("niger-country")],
        vec![place("agadez"), place("niamey")],
    ];
    let tag_sets: Vec<Vec<Ix>> = vec![vec![], vec![0, 1]];
    let source_sets: Vec<Vec<Ix>> = vec![vec![], vec![0], vec![1, 3]];
    let kind_sets = vec![
        vec![],
        vec![SourceKind::Sponsored],
        vec![SourceKind::News, SourceKind::Other],
    ];
    let only_sets = vec![
        vec![],
        vec![SourceKind::News],
        vec![SourceKind::News, SourceKind::Other],
    ];
    let froms = [None, Some(PartialDate::parse("2024").unwrap())];
    let within = |q: Ix, p: Ix| q == p || m.place_ancestors(q).contains(&p);
    let mut non_empty = 0;
    let mut runs = 0;
    for actors in &actor_sets {
        for places in &place_sets {
            for tags in &tag_sets {
                for sources in &source_sets {
                    for kinds in &kind_sets {
                        for only in &only_sets {
                            for from in froms {
                                let f = Filter {
                                    actors: actors.clone(),
                                    places: places.clone(),
                                    tags: tags.clone(),
                                    sources: sources.clone(),
                                    kinds: kinds.clone(),
                                    only_kinds: only.clone(),
                                    from,
                                    ..Filter::default()
                                };
                                let days = f.days();
                                let expected: Vec<Ix> = (0..m.events.len() as Ix)
                                    .filter(|&e| {
                                        let ev = m.event(e);
                                        let q = &ev.evidence;
                                        let kind = |i: usize| m.source(q[i].source).kind;
                                        (actors.is_empty()
                                            || actors.iter().any(|a| ev.actors.contains(a)))
                                            && (places.is_empty()
                                                || places.iter().any(|&p| {
                                                    ev.places.iter().any(|&x| within(x, p))
                                                }))
                                            && (tags.is_empty()
                                                || tags.iter().any(|t| ev.tags.contains(t)))
                                            && (sources.is_empty()
                                                || q.iter().any(|q| sources.contains(&q.source)))
                                            && (kinds.is_empty()
                                                || (0..q.len()).any(|i| kinds.contains(&kind(i))))
                                            && (only.is_empty()
                                                || (!q.is_empty()
                                                    && (0..q.len())
                                                        .all(|i| only.contains(&kind(i)))))
                                            && ev.days().overlaps(&days)
                                    })
                                    .collect();
                                let got = f.apply(&m);
                                assert_eq!(got, expected, "{f:?}");
                                runs += 1;
                                non_empty += usize::from(!got.is_empty());
                            }
                        }
                    }
                }
            }
        }
    }
    // The check means something only if many combinations find events.
    assert!(non_empty * 5 > runs, "{non_empty} of {runs}");
}

#[test]
fn text_matches_words_and_their_starts_but_nothing_fuzzy() {
    let m = small();
    // "best" is only in boast's quote.
    assert_eq!(text(&m, &["best"]), ["boast"]);
    assert_eq!(text(&m, &["BEST"]), ["boast"]);
    // The start of a word: "end" finds "ends" (title) and "ended" (quote).
    assert_eq!(text(&m, &["end"]), ["ended"]);
    assert_eq!(text(&m, &["deal"]), ["signed", "ended"]);
    // A piece inside a word, or a typo: nothing.
    assert!(text(&m, &["nded"]).is_empty());
    assert!(text(&m, &["bset"]).is_empty());
    assert!(text(&m, &["dael"]).is_empty());
    // Every word of a text must be there (in any field); every text too.
    assert_eq!(text(&m, &["deal base"]), ["signed"]); // summary "at the base"
    assert_eq!(text(&m, &["deal", "base"]), ["signed"]);
    assert!(text(&m, &["deal", "best"]).is_empty());
    // Actors' aliases and places' names count: "Base One" is where signed is.
    assert_eq!(text(&m, &["one"]), ["signed"]);
    assert_eq!(text(&m, &["betaland"]), ["ended"]);
    // With another filter: narrowed.
    let f = Filter {
        texts: vec!["alpha".into()],
        kinds: vec![SourceKind::News],
        ..Filter::default()
    };
    assert_eq!(ids(&m, &f.apply(&m)), ["signed"]);
}

#[test]
fn text_ignores_case_and_accents_and_reads_compounds() {
    let m = panama();
    let gatun = text(&m, &["GATUN"]);
    assert!(
        gatun.contains(&"gatun-lake-created".to_string()),
        "{gatun:?}"
    );
    assert_eq!(text(&m, &["gatún"]), gatun);
    let hay = text(&m, &["Hay–Bunau-Varilla"]);
    assert!(
        hay.contains(&"hay-bunau-varilla-treaty".to_string()),
        "{hay:?}"
    );
    assert!(
        text(&m, &["varilla"]).contains(&"bunau-varilla-lobbies".to_string()),
        "a part of a compound is a word"
    );
    assert!(text(&m, &["arilla"]).is_empty());
}

#[test]
fn describe_names_each_kind_once_with_its_values() {
    let m = small();
    let f = Filter {
        actors: vec![
            resolve_actor(&m, "alpha").unwrap(),
            resolve_actor(&m, "beta").unwrap(),
        ],
        sources: vec![source(&m, "s1")],
        kinds: vec![SourceKind::Sponsored, SourceKind::OfficialStatement],
        only_kinds: vec![SourceKind::Sponsored],
        texts: vec!["cost".into(), " deal ".into()],
        from: Some(PartialDate::parse("2024-03").unwrap()),
        ..Filter::default()
    };
    assert_eq!(
        f.describe(&m),
        [
            "Alpha Corp or Beta Land",
            "source: The base and the city",
            "sponsored or official statement sources",
            "only sponsored",
            "text \"cost\"",
            "text \"deal\"",
            "from 2024-03",
        ]
    );
}
