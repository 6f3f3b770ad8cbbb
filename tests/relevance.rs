//! Search quality, measured: every case of `tests/relevance.tsv` (a query,
//! the result that must come first or in the top 3, or `none` when nothing
//! may be returned) over the Niger store and a store on another topic.
//! Prints precision at 1 and 3 and the share of no-match queries answered
//! with noise; every case must hold.

use annals::{Model, SearchIndex};

struct Case {
    store: String,
    query: String,
    expect: String,
    within: usize,
}

fn cases() -> Vec<Case> {
    let text = include_str!("relevance.tsv");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with("store\t"))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "bad line {l:?}");
            Case {
                store: f[0].into(),
                query: f[1].into(),
                expect: f[2].into(),
                within: f[3].parse().expect("within"),
            }
        })
        .collect()
}

fn store(name: &str) -> Model {
    match name {
        "niger" => annals::load_builtin().unwrap(),
        "panama" => annals::load_path(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/valid/panama.ron"
        )))
        .unwrap(),
        other => panic!("unknown store {other}"),
    }
}

#[test]
fn search_finds_what_a_person_expects_and_nothing_for_nonsense() {
    let stores: Vec<(&str, Model)> = ["niger", "panama"].map(|s| (s, store(s))).into();
    let indexes: Vec<SearchIndex> = stores.iter().map(|(_, m)| SearchIndex::build(m)).collect();
    let (mut found, mut at1, mut at3, mut nones, mut noisy) = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 40, "{} cases", all.len());
    for c in &all {
        let k = stores
            .iter()
            .position(|(s, _)| *s == c.store)
            .expect("store");
        let m = &stores[k].1;
        let hits = indexes[k].search(m, &c.query, 10);
        let got: Vec<String> = hits
            .iter()
            .map(|h| format!("{}:{}", h.target.kind(), h.target.id(m)))
            .collect();
        if c.expect == "none" {
            nones += 1;
            if !got.is_empty() {
                noisy += 1;
                failures.push(format!(
                    "{} {:?}: want no match, got {got:?}",
                    c.store, c.query
                ));
            }
            continue;
        }
        found += 1;
        let rank = got.iter().position(|g| *g == c.expect);
        at1 += usize::from(rank == Some(0));
        at3 += usize::from(rank.is_some_and(|r| r < 3));
        if rank.is_none_or(|r| r >= c.within) {
            failures.push(format!(
                "{} {:?}: want {} within {}, got {:?}",
                c.store,
                c.query,
                c.expect,
                c.within,
                &got[..got.len().min(5)]
            ));
        }
    }
    println!(
        "relevance: {} cases; precision at 1 {at1}/{found} ({:.0}%), at 3 {at3}/{found} ({:.0}%); \
         no-match queries answered with noise {noisy}/{nones}",
        all.len(),
        100.0 * at1 as f64 / found as f64,
        100.0 * at3 as f64 / found as f64,
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
