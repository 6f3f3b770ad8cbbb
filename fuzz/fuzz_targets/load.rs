//! Fuzzes the loader with arbitrary bytes: it must return a model or a
//! `LoadError` with at least one diagnostic, never panic, overflow its
//! stack or hang. A store that loads must also survive what the explorer
//! does next: indexing, a search, and exporting it whole and loading that.
#![no_main]

use annals::export::{Format, render};
use annals::{Ix, SearchIndex, load_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match load_bytes(data.to_vec(), "fuzz.ron") {
        Err(e) => {
            assert!(!e.diagnostics.is_empty(), "an error without a diagnostic");
            let _ = e.to_string();
        }
        Ok(model) => {
            let index = SearchIndex::build(&model);
            let _ = index.search(&model, "a b", 20);
            let all: Vec<Ix> = (0..model.events.len() as Ix).collect();
            let ron = render(&model, &all, Format::Ron, "fuzz").expect("render ron");
            let text = String::from_utf8(ron).expect("export is UTF-8");
            if let Err(e) = annals::load_str(&text, "export.ron") {
                panic!("an exported store does not load: {e}\n{text}");
            }
            for f in [
                Format::Json,
                Format::Csv,
                Format::Md,
                Format::TimelineJs,
                Format::Timesketch,
            ] {
                let _ = render(&model, &all, f, "fuzz");
            }
        }
    }
});
