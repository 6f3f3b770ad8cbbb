//! The load cache: opening a store by parsing it (cold) against opening it
//! from its cache file (warm), and the explorer's first frame after each;
//! building the search index on every core and on one; `:text` answered
//! from the index and by reading every event.
//!
//! `ANNALS_BENCH_SIZES=100000 cargo bench --bench cache` (default: 10k and
//! 100k; 1M when named: its store is generated once, in minutes and ~3 GB,
//! under `target/bench-stores/`, shared with `benches/annals.rs`). The
//! cache files go to `target/bench-cache/`, written once before the warm
//! runs.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use annals::cache::{open_in, open_in_trusting_times};
use annals::store::load::Progress;
use annals::tui::App;
use annals::tui::searcher::Searcher;
use annals::tui::theme::Theme;
use annals::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

fn sizes() -> Vec<usize> {
    common::sizes_or(&[10_000, 100_000])
}

use common::store_path;

fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-cache")
}

/// The store of `n` events, with its cache files (model and index) written.
fn cached_store(n: usize) -> PathBuf {
    let path = store_path(n);
    let o = open_in(Some(&cache_dir()), &path, &Progress::default()).expect("valid");
    if let Some(w) = o.pending {
        w.write(&o.model).expect("target/ is writable");
    }
    o.index
        .expect("the cache is in use")
        .load_or_build(&o.model);
    path
}

/// The first frame of the explorer once the model is there. The explorer
/// builds the search index on a worker thread and does not wait for it;
/// here an index built beforehand stands in for that worker, since
/// workers left building after each sample would slow the next ones.
fn first_frame(model: annals::Model, index: &Arc<annals::SearchIndex>) -> App {
    let mut app = App::new(
        Arc::new(model),
        Searcher::Inline(Arc::clone(index)),
        Theme::default(),
    );
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    terminal.draw(|f| view::draw(&mut app, f)).unwrap();
    // Returned, so that dropping the model is not timed.
    app
}

/// The index of the store of `n` events (not timed).
fn index(n: usize) -> Arc<annals::SearchIndex> {
    let m = annals::load_path(&store_path(n)).expect("valid");
    Arc::new(annals::SearchIndex::build(&m))
}

/// read + parse + validate + index (what `--no-cache` does).
#[divan::bench(args = sizes(), sample_count = 5, sample_size = 1)]
fn load_cold(bencher: divan::Bencher, n: usize) {
    let path = store_path(n);
    bencher.bench(|| open_in(None, &path, &Progress::default()).expect("valid"));
}

/// read + hash + check the cache file + decode the model.
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
fn load_warm(bencher: divan::Bencher, n: usize) {
    let path = cached_store(n);
    bencher.bench(|| {
        let o = open_in(Some(&cache_dir()), &path, &Progress::default()).expect("valid");
        assert!(o.from_cache);
        o
    });
}

/// Writing the cache file (serialize, checksum, write atomically), which
/// the explorer does on a thread after the first frame.
#[divan::bench(args = sizes(), sample_count = 5, sample_size = 1)]
fn write(bencher: divan::Bencher, n: usize) {
    let path = store_path(n);
    let dir = cache_dir().join("write");
    bencher
        .with_inputs(|| {
            // Parsed each time: the last sample's file is removed first.
            let _ = annals::cache::clear_in(&dir);
            open_in(Some(&dir), &path, &Progress::default()).expect("valid")
        })
        .bench_local_values(|o| o.pending.expect("parsed").write(&o.model).expect("written"));
}

/// What the explorer does: read + check the cache file + decode the model,
/// the store not hashed first when its times vouch for it (it is hashed
/// after the first frame).
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
fn load_warm_trusting_times(bencher: divan::Bencher, n: usize) {
    let path = cached_store(n);
    bencher.bench(|| {
        let o =
            open_in_trusting_times(Some(&cache_dir()), &path, &Progress::default()).expect("valid");
        assert!(o.from_cache && o.verify.is_some(), "opened on the times");
        o
    });
}

/// From nothing to the explorer's first frame, warm, as the explorer
/// opens (`load_warm_trusting_times`).
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
fn first_frame_warm(bencher: divan::Bencher, n: usize) {
    let path = cached_store(n);
    let index = index(n);
    bencher.bench(|| {
        let o =
            open_in_trusting_times(Some(&cache_dir()), &path, &Progress::default()).expect("valid");
        first_frame(o.model, &index)
    });
}

/// The same, the store hashed first (as before the times file).
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
fn first_frame_warm_hashed(bencher: divan::Bencher, n: usize) {
    let path = cached_store(n);
    let index = index(n);
    bencher.bench(|| {
        let o = open_in(Some(&cache_dir()), &path, &Progress::default()).expect("valid");
        first_frame(o.model, &index)
    });
}

/// The model of the store of `n` events, from its cache (not timed).
fn warm_model(n: usize) -> annals::Model {
    let path = cached_store(n);
    open_in(Some(&cache_dir()), &path, &Progress::default())
        .expect("valid")
        .model
}

/// Building the search index on every core (the explorer's search
/// thread, after the first frame, when none is kept).
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn index_build(bencher: divan::Bencher, n: usize) {
    let m = warm_model(n);
    bencher.bench_local(|| annals::SearchIndex::build(&m));
}

/// The same on one core: the ratio is what the cores give.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn index_build_one_core(bencher: divan::Bencher, n: usize) {
    let m = warm_model(n);
    bencher.bench_local(|| annals::SearchIndex::build_on(&m, 1));
}

/// Words `:text` is benchmarked with: a common one, a rare one (an
/// actor's name), the start of words, and two words.
const TEXT_WORDS: [&str; 4] = ["troops", "gorannadi", "t", "troops base"];

/// `:text WORD` answered from the search index, for each of `TEXT_WORDS`
/// in turn (what the explorer does once the index is ready).
#[divan::bench(args = sizes(), sample_count = 20, sample_size = 1)]
fn text_from_index(bencher: divan::Bencher, n: usize) {
    let m = warm_model(n);
    let index = annals::SearchIndex::build(&m);
    let mut k = 0;
    bencher.bench_local(|| {
        let f = annals::Filter {
            texts: vec![TEXT_WORDS[k % TEXT_WORDS.len()].into()],
            ..annals::Filter::default()
        };
        k += 1;
        f.apply_with(&m, Some(&index))
    });
}

/// `:text WORD` by reading every event's text (before the index).
#[divan::bench(args = sizes(), sample_count = 4, sample_size = 1)]
fn text_by_reading(bencher: divan::Bencher, n: usize) {
    let m = warm_model(n);
    let mut k = 0;
    bencher.bench_local(|| {
        let f = annals::Filter {
            texts: vec![TEXT_WORDS[k % TEXT_WORDS.len()].into()],
            ..annals::Filter::default()
        };
        k += 1;
        f.apply(&m)
    });
}

/// From nothing to the explorer's first frame, cold.
#[divan::bench(args = sizes(), sample_count = 5, sample_size = 1)]
fn first_frame_cold(bencher: divan::Bencher, n: usize) {
    let path = store_path(n);
    let index = index(n);
    bencher.bench(|| {
        let o = open_in(None, &path, &Progress::default()).expect("valid");
        first_frame(o.model, &index)
    });
}

/// Reading the search index from its cache file, which the explorer's
/// search thread does after the first frame (building it takes 11 s at 1M).
#[divan::bench(args = sizes(), sample_count = 5, sample_size = 1)]
fn index_warm(bencher: divan::Bencher, n: usize) {
    let path = cached_store(n);
    let o = open_in(Some(&cache_dir()), &path, &Progress::default()).expect("valid");
    let kept = o.index.expect("the cache is in use");
    bencher.bench(|| kept.load(&o.model).expect("the index is kept"));
}

/// The first key of a search (one letter, the explorer's 200 results) on
/// an index just read from the cache: nothing warmed up by earlier
/// searches. The letters begin the benchmark queries of `benches/annals.rs`.
#[divan::bench(args = sizes(), sample_count = 6, sample_size = 1)]
fn first_key_warm(bencher: divan::Bencher, n: usize) {
    let path = cached_store(n);
    let o = open_in(Some(&cache_dir()), &path, &Progress::default()).expect("valid");
    let kept = o.index.expect("the cache is in use");
    let mut k = 0;
    bencher
        .with_inputs(|| kept.load(&o.model).expect("the index is kept"))
        .bench_local_values(|index| {
            let key = ["a", "t", "g"][k % 3];
            k += 1;
            let hits = index.search(&o.model, key, 200);
            // Dropping the index is not timed.
            (hits, index)
        });
}
