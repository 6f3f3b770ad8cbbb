//! The built-in store against its five articles: what the audit of issue
//! 28 found, kept. The disagreements recorded (and which can all hold at
//! once), the events the `!` marks and nothing else, the hedges kept as the
//! articles write them, the inferences said to be inferences, and the facts
//! the articles state, quoted verbatim.

use annals::Model;
use annals::model::{Claim, Event, Quote, Subject};

fn niger() -> Model {
    annals::load_builtin().unwrap_or_else(|e| panic!("the built-in store must load:\n{e}"))
}

fn event<'m>(m: &'m Model, id: &str) -> &'m Event {
    m.event(m.event_by_id(id).unwrap_or_else(|| panic!("no event {id}")))
}

fn source_id(m: &Model, q: &Quote) -> String {
    m.sources[q.source as usize].id.to_string()
}

/// The claims of one attribute, in file order.
fn claims<'m>(m: &'m Model, attribute: &str) -> Vec<&'m Claim> {
    let v: Vec<&Claim> = m
        .claims
        .iter()
        .filter(|c| c.attribute.as_str() == attribute)
        .collect();
    assert!(!v.is_empty(), "no claims on {attribute:?}");
    v
}

fn claim<'m>(m: &'m Model, attribute: &str, value: &str) -> &'m Claim {
    claims(m, attribute)
        .into_iter()
        .find(|c| c.value.as_str() == value)
        .unwrap_or_else(|| panic!("no claim {value:?} on {attribute:?}"))
}

fn quoted_from(m: &Model, evidence: &[Quote]) -> Vec<String> {
    evidence.iter().map(|q| source_id(m, q)).collect()
}

/// A quote of `source` that is exactly `text`, found as written in the
/// article.
fn has_quote(m: &Model, evidence: &[Quote], source: &str, text: &str) -> bool {
    evidence.iter().any(|q| {
        source_id(m, q) == source
            && q.text.as_str() == text
            && m.sources[q.source as usize].text.contains(text)
    })
}

#[test]
fn every_disagreement_is_recorded_and_compatible_values_are_told_apart() {
    let m = niger();
    let got: Vec<(&str, bool)> = m
        .conflicts
        .iter()
        .map(|c| (c.attribute.as_str(), c.compatible))
        .collect();
    assert_eq!(
        got,
        [
            ("date of the coup", false),
            ("U.S. troops in Niger", false),
            // "$100 million", "over $100 million", "millions of dollars".
            ("cost of Air Base 201", true),
            ("whether the 60 Russians were already in Niger", false),
            ("how the Russian personnel came onto the air base", false),
            ("junta ordered U.S. troops out", false),
            ("who decided the U.S. withdrawal", false),
            ("why the U.S. withdrawal was decided", false),
            ("future of the U.S. troops in Niger", false),
            ("what broke the U.S.-Niger partnership", false),
        ]
    );
    assert_eq!(m.conflicts.iter().filter(|c| !c.compatible).count(), 9);

    // "invaded" in 003's text; "entered" in 003's title and in 004.
    let invaded = claim(
        &m,
        "how the Russian personnel came onto the air base",
        "invaded",
    );
    assert_eq!(
        quoted_from(&m, &invaded.evidence),
        ["reuters-based-personnel"]
    );
    assert!(
        invaded.evidence[0]
            .text
            .contains("have invaded an air base")
    );
    let entered = claim(
        &m,
        "how the Russian personnel came onto the air base",
        "entered",
    );
    assert_eq!(
        quoted_from(&m, &entered.evidence),
        ["reuters-based-personnel", "personnel-rewrite"]
    );
    assert!(entered.evidence.iter().all(|q| q.text.contains("entered")));

    // "would be present" (003) against "the presence" (004).
    let attr = "whether the 60 Russians were already in Niger";
    let would = claim(&m, attr, "would be present");
    assert_eq!(
        quoted_from(&m, &would.evidence),
        ["reuters-based-personnel"]
    );
    let presence = claim(&m, attr, "the presence");
    assert_eq!(quoted_from(&m, &presence.evidence), ["personnel-rewrite"]);
    // One report and its rewrite: one origin between them.
    assert_eq!(
        m.sources[would.evidence[0].source as usize].origin,
        m.sources[presence.evidence[0].source as usize].origin
    );

    // Why the withdrawal: 001, 003 (a sequence, "Following …") and 004.
    let why: Vec<Vec<String>> = claims(&m, "why the U.S. withdrawal was decided")
        .iter()
        .map(|c| quoted_from(&m, &c.evidence))
        .collect();
    assert_eq!(
        why,
        [
            ["dexter-troops-leave"],
            ["reuters-based-personnel"],
            ["personnel-rewrite"]
        ]
    );

    // The cost figures: ranges that share a point.
    let cost = |v: &str| {
        let c = claim(&m, "cost of Air Base 201", v);
        (c.value_number, c.value_min, c.value_max)
    };
    assert_eq!(cost("$100 million"), (Some(100_000_000.0), None, None));
    assert_eq!(cost("over $100 million"), (None, Some(100_000_000.0), None));
    assert_eq!(
        cost("millions of dollars"),
        (None, Some(1_000_000.0), Some(999_999_999.0))
    );

    // Troop counts: each at its time, no invented numbers.
    let troops = claims(&m, "U.S. troops in Niger");
    let at: Vec<(&str, String)> = troops
        .iter()
        .map(|c| (c.value.as_str(), c.as_of.unwrap().to_string()))
        .collect();
    assert_eq!(
        at,
        [
            ("over 1,000", "[..~2023-07]".to_string()),
            ("600", "~2023-12".to_string()),
            ("approximately 1,000", "[~2024-03-15..]".to_string()),
            ("nearly 1,000", "[~2024-03-15..]".to_string()),
        ]
    );
    for c in &troops {
        assert_eq!(
            (c.value_number, c.value_min, c.value_max),
            (None, None, None),
            "{}",
            c.value
        );
    }
    // Before the coup, over 1,000 contradicts none of the later counts.
    assert!(troops[0].events.is_empty());
}

#[test]
fn the_marks_are_exactly_the_events_the_disagreements_are_about() {
    let m = niger();
    let marked: Vec<&str> = (0..m.events.len() as u32)
        .filter(|&e| !m.conflicts_of_event(e).is_empty())
        .map(|e| m.event(e).id.as_str())
        .collect();
    let mut marked = marked;
    marked.sort_unstable();
    assert_eq!(
        marked,
        [
            "coup",
            "junta-orders-us-out",
            "mid-march-meeting",
            "return-to-germany",
            "russians-at-airbase-101",
            "sixty-russians",
            "troops-in-december",
            "us-nigerien-cooperation",
            "us-to-withdraw",
        ]
    );
    let of = |id: &str| -> Vec<&str> {
        m.conflicts_of_event(m.event_by_id(id).unwrap())
            .iter()
            .map(|&c| m.conflicts[c as usize].attribute.as_str())
            .collect()
    };
    // Compatible figures mark nothing; a date-anchoring mention or a date
    // that overlaps marks nothing.
    assert!(of("ab201-built").is_empty());
    assert!(of("russian-trainers-arrive").is_empty());
    assert!(of("flights-declared-illegal").is_empty());
    assert_eq!(
        of("russians-at-airbase-101"),
        ["how the Russian personnel came onto the air base"]
    );
    assert_eq!(
        of("sixty-russians"),
        ["whether the 60 Russians were already in Niger"]
    );
    // A weaker check that holds for any future claim: an event a claim of
    // a disagreement names is its subject, or quotes one of the sources
    // that disagree.
    for c in m.conflicts.iter().filter(|c| !c.compatible) {
        let sources: Vec<u32> = c
            .claims
            .iter()
            .flat_map(|&i| m.claims[i as usize].evidence.iter().map(|q| q.source))
            .collect();
        for &i in &c.claims {
            for &e in &m.claims[i as usize].events {
                let ev = m.event(e);
                assert!(
                    c.subject == Subject::Event(e)
                        || ev.evidence.iter().any(|q| sources.contains(&q.source)),
                    "{} names {} on {:?}",
                    m.claims[i as usize].value,
                    ev.id,
                    c.attribute
                );
            }
        }
    }
}

#[test]
fn hedges_are_kept_as_the_articles_write_them() {
    let m = niger();
    let meeting = event(&m, "mid-march-meeting");
    assert!(
        meeting
            .title
            .contains("indications that Iran was looking for raw resources, including uranium"),
        "{}",
        meeting.title
    );
    for e in &m.events {
        let text = format!("{} {}", e.title, e.summary.as_deref().unwrap_or(""));
        assert!(!text.contains("search for uranium"), "{}: {text}", e.id);
        assert!(!text.contains("Iran's search"), "{}: {text}", e.id);
    }
    let austin = claims(
        &m,
        "U.S. force protection compromised, according to Lloyd Austin",
    );
    assert_eq!(austin.len(), 1);
    assert_eq!(
        austin[0].value.as_str(),
        "as of right moment, I don’t believe that our force protection is really compromised"
    );
    assert!(has_quote(
        &m,
        &austin[0].evidence,
        "reuters-based-personnel",
        "However, as of right moment, I don’t believe that our force protection is really compromised."
    ));
    // 001's hedge on why the U.S. decided.
    assert!(
        claims(&m, "why the U.S. withdrawal was decided")[0]
            .value
            .starts_with("likely ")
    );
}

#[test]
fn inferences_are_said_to_be_inferences() {
    let m = niger();
    let austin = m
        .relations
        .iter()
        .find(|r| m.actor(r.from).id == "lloyd-austin")
        .unwrap();
    assert!(austin.kind.contains("inferred"), "{}", austin.kind);
    let junta = m.actors.iter().find(|a| a.id == "niger-junta").unwrap();
    assert!(
        junta.description.as_deref().unwrap().contains("inference"),
        "{:?}",
        junta.description
    );
    for id in ["sixty-russians", "no-shared-facility"] {
        let e = event(&m, id);
        assert!(
            e.summary.as_deref().unwrap().contains("is an inference"),
            "{id}: {:?}",
            e.summary
        );
    }
    // 001's instructors and 002's trainers are two events, each quoting
    // its own article only.
    assert_eq!(
        quoted_from(&m, &event(&m, "russian-instructors-arrive").evidence),
        ["dexter-troops-leave"]
    );
    let trainers = quoted_from(&m, &event(&m, "russian-trainers-arrive").evidence);
    assert!(
        trainers.iter().all(|s| s == "trainers-summary"),
        "{trainers:?}"
    );
}

#[test]
fn the_facts_the_articles_state_are_there_verbatim() {
    let m = niger();
    let worries = event(&m, "washington-worries-extremists");
    assert!(has_quote(
        &m,
        &worries.evidence,
        "reuters-based-personnel",
        "Washington worries that Islamic extremists in the Sahel would be able to grow in numbers if US military and intelligence resources are not present."
    ));
    let proximity = event(&m, "forces-in-close-proximity");
    assert!(has_quote(
        &m,
        &proximity.evidence,
        "reuters-based-personnel",
        "Russia’s military action, which was originally reported by Reuters, places US and Russian forces in close proximity during a time when the country’s military and diplomatic competition is growing more intense due to the situation in Ukraine."
    ));
    assert!(has_quote(
        &m,
        &proximity.evidence,
        "personnel-rewrite",
        "This development places U.S. and Russian troops in close proximity amid heightened tensions over the conflict in Ukraine, sparking concerns about the fate of U.S. installations post-withdrawal."
    ));
    // One report and its rewrite: one origin.
    assert_eq!(
        m.event_origins(m.event_by_id("forces-in-close-proximity").unwrap()),
        1
    );
}
