//! Fuzzes search with arbitrary queries over the built-in store: it must
//! never panic, return at most the limit, one result per target, and
//! highlight only characters that are in the shown text.
#![no_main]

use std::sync::OnceLock;

use annals::{Model, SearchIndex};
use libfuzzer_sys::fuzz_target;

fn store() -> &'static (Model, SearchIndex) {
    static STORE: OnceLock<(Model, SearchIndex)> = OnceLock::new();
    STORE.get_or_init(|| {
        let m = annals::load_builtin().expect("the built-in store loads");
        let index = SearchIndex::build(&m);
        (m, index)
    })
}

fuzz_target!(|data: &[u8]| {
    let (m, index) = store();
    let query = String::from_utf8_lossy(data);
    let limit = data.first().map_or(20, |&b| usize::from(b % 64));
    let hits = index.search(m, &query, limit);
    assert!(hits.len() <= limit);
    let mut targets = std::collections::HashSet::new();
    for h in &hits {
        assert!(targets.insert(h.target), "a target listed twice");
        let n = h.text.chars().count();
        assert!(h.positions.iter().all(|&p| p < n), "a highlight past the text");
    }
});
