//! Structure-aware companion to the byte-level fuzz target: a valid
//! generated store is changed field by field (references pointed elsewhere
//! or nowhere, impossible dates, ids duplicated, quotes rewritten, places
//! made to contain themselves, text full of quotes, escapes and wide
//! characters), written out as RON and loaded. Loading never panics; a store
//! that cannot be valid is refused with positioned errors inside the file;
//! a store that loads is searched, exported and loads again from its export.

use annals::export::{Format, render};
use annals::store::{QuoteRec, StoreFile};
use annals::synth;
use annals::{Ix, SearchIndex, SharedStr};
use proptest::prelude::*;

/// A value to write into a field: one of the store's own ids (by index,
/// modulo their number), or a fixed string.
#[derive(Clone, Debug)]
enum Val {
    Id(usize),
    Text(&'static str),
}

/// Strings no generated store uses as an id; some are fine as text.
const TEXTS: &[&str] = &[
    "nobody-zz",
    "",
    " ",
    "quote \" inside",
    "back\\slash",
    "line\nbreak",
    "\u{1b}]0;title\u{7}\u{1b}[2J",
    "北京欢迎你",
    "Cafe\u{301}",
    "👩‍👩‍👧",
    "2023-02-30",
    "2023-13-01",
    "2023-07-26",
    "~2023",
    "2024-02-29",
    "2023-07",
    "-1",
    "r#\"raw\"#",
    "/* not a comment */",
];

/// Texts that can never be a valid date.
const BAD_DATES: &[&str] = &["nobody-zz", "", " ", "2023-02-30", "2023-13-01", "-1"];

#[derive(Clone, Debug)]
enum Change {
    EventActor(usize, Val),
    EventPlace(usize, Val),
    EventDate(usize, Val),
    EventEnd(usize, Option<Val>),
    EventId(usize, Val),
    EventTitle(usize, Val),
    EvidenceSource(usize, Val),
    EvidenceQuote(usize, Val),
    DropEvidence(usize),
    PlaceWithin(usize, Option<Val>),
    PlaceCoordinates(usize, (f64, f64)),
    ActorName(usize, Val),
    ActorId(usize, Val),
    RelationEnds(usize, Val, Val),
    RelationSince(usize, Option<Val>),
    ClaimSubject(usize, Val),
    SourcePublished(usize, Option<Val>),
    SourceText(usize, Val),
}

fn val() -> impl Strategy<Value = Val> {
    prop_oneof![
        (0..10_000usize).prop_map(Val::Id),
        proptest::sample::select(TEXTS).prop_map(Val::Text),
    ]
}

fn change() -> impl Strategy<Value = Change> {
    let i = 0..10_000usize;
    let coord = prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-0.0),
        -1000.0..1000.0f64,
    ];
    prop_oneof![
        (i.clone(), val()).prop_map(|(i, v)| Change::EventActor(i, v)),
        (i.clone(), val()).prop_map(|(i, v)| Change::EventPlace(i, v)),
        (i.clone(), val()).prop_map(|(i, v)| Change::EventDate(i, v)),
        (i.clone(), proptest::option::of(val())).prop_map(|(i, v)| Change::EventEnd(i, v)),
        (i.clone(), val()).prop_map(|(i, v)| Change::EventId(i, v)),
        (i.clone(), val()).prop_map(|(i, v)| Change::EventTitle(i, v)),
        (i.clone(), val()).prop_map(|(i, v)| Change::EvidenceSource(i, v)),
        (i.clone(), val()).prop_map(|(i, v)| Change::EvidenceQuote(i, v)),
        i.clone().prop_map(Change::DropEvidence),
        (i.clone(), proptest::option::of(val())).prop_map(|(i, v)| Change::PlaceWithin(i, v)),
        (i.clone(), (coord.clone(), coord)).prop_map(|(i, c)| Change::PlaceCoordinates(i, c)),
        (i.clone(), val()).prop_map(|(i, v)| Change::ActorName(i, v)),
        (i.clone(), val()).prop_map(|(i, v)| Change::ActorId(i, v)),
        (i.clone(), val(), val()).prop_map(|(i, a, b)| Change::RelationEnds(i, a, b)),
        (i.clone(), proptest::option::of(val())).prop_map(|(i, v)| Change::RelationSince(i, v)),
        (i.clone(), val()).prop_map(|(i, v)| Change::ClaimSubject(i, v)),
        (i.clone(), proptest::option::of(val())).prop_map(|(i, v)| Change::SourcePublished(i, v)),
        (i, val()).prop_map(|(i, v)| Change::SourceText(i, v)),
    ]
}

/// Every id of the store, in a fixed order.
fn ids(s: &StoreFile) -> Vec<SharedStr> {
    let mut v: Vec<SharedStr> = Vec::new();
    v.extend(s.sources.iter().map(|x| x.id.clone()));
    v.extend(s.actors.iter().map(|x| x.id.clone()));
    v.extend(s.places.iter().map(|x| x.id.clone()));
    v.extend(s.events.iter().map(|x| x.id.clone()));
    v
}

fn resolve(v: &Val, ids: &[SharedStr]) -> SharedStr {
    match v {
        Val::Id(i) => ids[i % ids.len()].clone(),
        Val::Text(t) => (*t).into(),
    }
}

/// Applies `c`; true when the store certainly cannot be valid afterwards.
fn apply(s: &mut StoreFile, c: &Change) -> bool {
    let ids = ids(s);
    let r = |v: &Val| resolve(v, &ids);
    // A reference to no id at all, or a date that cannot be one.
    let dangling = |v: &Val| matches!(v, Val::Text(_));
    let bad_date = |v: &Val| matches!(v, Val::Text(t) if BAD_DATES.contains(t));
    let n_events = s.events.len();
    let pick = |i: &usize, n: usize| i % n.max(1);
    match c {
        Change::EventActor(i, v) => {
            let e = &mut s.events[pick(i, n_events)];
            match e.actors.first_mut() {
                Some(a) => *a = r(v),
                None => e.actors.push(r(v)),
            }
            dangling(v)
        }
        Change::EventPlace(i, v) => {
            let e = &mut s.events[pick(i, n_events)];
            match e.places.first_mut() {
                Some(p) => *p = r(v),
                None => e.places.push(r(v)),
            }
            dangling(v)
        }
        Change::EventDate(i, v) => {
            s.events[pick(i, n_events)].date = r(v);
            bad_date(v) || matches!(v, Val::Id(_))
        }
        Change::EventEnd(i, v) => {
            s.events[pick(i, n_events)].end = v.as_ref().map(r);
            v.as_ref()
                .is_some_and(|v| bad_date(v) || matches!(v, Val::Id(_)))
        }
        Change::EventId(i, v) => {
            s.events[pick(i, n_events)].id = r(v);
            false
        }
        Change::EventTitle(i, v) => {
            s.events[pick(i, n_events)].title = r(v);
            false
        }
        Change::EvidenceSource(i, v) => {
            let e = &mut s.events[pick(i, n_events)];
            if let Some(q) = e.evidence.first_mut() {
                q.source = r(v);
                return dangling(v);
            }
            false
        }
        Change::EvidenceQuote(i, v) => {
            let e = &mut s.events[pick(i, n_events)];
            match e.evidence.first_mut() {
                Some(q) => q.quote = r(v),
                None => e.evidence.push(QuoteRec {
                    source: s.sources[0].id.clone(),
                    quote: r(v),
                }),
            }
            false
        }
        Change::DropEvidence(i) => {
            s.events[pick(i, n_events)].evidence.clear();
            true
        }
        Change::PlaceWithin(i, v) => {
            let n = s.places.len();
            s.places[pick(i, n)].within = v.as_ref().map(r);
            v.as_ref().is_some_and(dangling)
        }
        Change::PlaceCoordinates(i, c) => {
            let n = s.places.len();
            s.places[pick(i, n)].coordinates = Some(*c);
            false
        }
        Change::ActorName(i, v) => {
            let n = s.actors.len();
            s.actors[pick(i, n)].name = r(v);
            false
        }
        Change::ActorId(i, v) => {
            let n = s.actors.len();
            s.actors[pick(i, n)].id = r(v);
            false
        }
        Change::RelationEnds(i, a, b) => {
            let n = s.relations.len();
            if n == 0 {
                return false;
            }
            let rel = &mut s.relations[pick(i, n)];
            rel.from = r(a);
            rel.to = r(b);
            dangling(a) || dangling(b)
        }
        Change::RelationSince(i, v) => {
            let n = s.relations.len();
            if n == 0 {
                return false;
            }
            s.relations[pick(i, n)].since = v.as_ref().map(r);
            v.as_ref()
                .is_some_and(|v| bad_date(v) || matches!(v, Val::Id(_)))
        }
        Change::ClaimSubject(i, v) => {
            let n = s.claims.len();
            if n == 0 {
                return false;
            }
            s.claims[pick(i, n)].subject = r(v);
            dangling(v)
        }
        Change::SourcePublished(i, v) => {
            let n = s.sources.len();
            s.sources[pick(i, n)].published = v.as_ref().map(r);
            v.as_ref()
                .is_some_and(|v| bad_date(v) || matches!(v, Val::Id(_)))
        }
        Change::SourceText(i, v) => {
            let n = s.sources.len();
            s.sources[pick(i, n)].text = r(v);
            false
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]
    #[test]
    fn a_changed_store_loads_or_is_refused_with_positions(
        seed in 0..1000u64,
        changes in proptest::collection::vec(change(), 1..6),
    ) {
        let mut store = synth::generate(24, seed);
        let mut must_fail = false;
        for c in &changes {
            must_fail |= apply(&mut store, c);
        }
        let text = synth::to_ron(&store);
        let lines: Vec<&str> = text.split('\n').collect();
        match annals::load_str(&text, "changed.ron") {
            Err(e) => {
                prop_assert!(!e.diagnostics.is_empty());
                for d in &e.diagnostics {
                    prop_assert!(!d.message.trim().is_empty());
                    prop_assert!(
                        d.line >= 1 && d.line <= lines.len(),
                        "line {} outside the file: {}", d.line, d.message
                    );
                    let len = lines[d.line - 1].chars().count();
                    prop_assert!(
                        d.column >= 1 && d.column <= len + 1,
                        "column {} outside line {} ({} chars): {}",
                        d.column, d.line, len, d.message
                    );
                }
            }
            Ok(model) => {
                prop_assert!(!must_fail, "accepted a store that cannot be valid:\n{changes:?}");
                prop_assert_eq!(model.events.len(), store.events.len());
                let index = SearchIndex::build(&model);
                let _ = index.search(&model, "base 1", 20);
                let all: Vec<Ix> = (0..model.events.len() as Ix).collect();
                let ron = render(&model, &all, Format::Ron, "changed").unwrap();
                let again = annals::load_str(&String::from_utf8(ron).unwrap(), "export.ron");
                prop_assert!(again.is_ok(), "its export does not load: {:?}", again.err());
                for f in [Format::Json, Format::Csv, Format::Md, Format::TimelineJs] {
                    prop_assert!(render(&model, &all, f, "changed").is_ok());
                }
            }
        }
    }
}

#[test]
fn an_unchanged_generated_store_loads() {
    // The control for the property above: without changes nothing fails.
    for seed in 0..20 {
        let text = synth::to_ron(&synth::generate(24, seed));
        annals::load_str(&text, "plain.ron").unwrap();
    }
}
