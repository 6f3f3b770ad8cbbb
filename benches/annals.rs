//! Benchmarks at 10k, 100k and 1M events: load, per-keystroke search,
//! filters, one frame of the explorer, and exporting a 10k-event slice.
//!
//! `cargo bench` runs them all (the 1M store takes a few minutes to generate
//! the first time and ~3 GB of memory); `ANNALS_BENCH_SIZES=10000,100000
//! cargo bench` picks sizes. Synthetic stores are generated once, by
//! `annals::synth` with seed 1, and kept under `target/bench-stores/`.
//! Divan prints fastest, slowest, median and mean for each:
//! docs/reference/performance.md quotes medians and slowest.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use annals::export::{self, Format};
use annals::filter::{self, Filter};
use annals::tui::App;
use annals::tui::searcher::Searcher;
use annals::tui::theme::Theme;
use annals::tui::view;
use annals::{Model, PartialDate, SearchIndex};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

/// The sizes to run: all three, or those in ANNALS_BENCH_SIZES.
fn sizes() -> Vec<usize> {
    common::sizes_or(&[10_000, 100_000, 1_000_000])
}

use common::store_path;

struct Loaded {
    model: Arc<Model>,
    index: Arc<SearchIndex>,
}

/// Each size is loaded once per run and shared by the benchmarks.
fn loaded(n: usize) -> Arc<Loaded> {
    static CACHE: OnceLock<Mutex<HashMap<usize, Arc<Loaded>>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap();
    Arc::clone(cache.entry(n).or_insert_with(|| {
        let model = annals::load_path(&store_path(n)).expect("synthetic stores are valid");
        let index = SearchIndex::build(&model);
        Arc::new(Loaded {
            model: Arc::new(model),
            index: Arc::new(index),
        })
    }))
}

/// read + parse + validate + index, from a file.
#[divan::bench(args = sizes(), sample_count = 5, sample_size = 1)]
fn load(bencher: divan::Bencher, n: usize) {
    let path = store_path(n);
    bencher.bench(|| annals::load_path(&path).expect("valid"));
}

/// Per-keystroke latency of typing `query` one key at a time: each sample
/// is one keystroke, the search for the query typed so far, as the
/// explorer's search worker runs it (best 100 results).
fn type_query(bencher: divan::Bencher, n: usize, query: &str) {
    let l = loaded(n);
    let prefixes: Vec<&str> = query
        .char_indices()
        .skip(1)
        .map(|(i, _)| &query[..i])
        .chain([query])
        .collect();
    let mut k = 0;
    bencher.bench_local(|| {
        let prefix = prefixes[k % prefixes.len()];
        k += 1;
        l.index.search(&l.model, prefix, 100)
    });
}

/// The benchmark queries: a base, an actor, two words, a misspelling.
mod search_keystroke {
    use super::*;

    #[divan::bench(args = sizes(), sample_count = 200, sample_size = 1)]
    fn base(bencher: divan::Bencher, n: usize) {
        type_query(bencher, n, "abse 12");
    }

    #[divan::bench(args = sizes(), sample_count = 200, sample_size = 1)]
    fn actor(bencher: divan::Bencher, n: usize) {
        type_query(bencher, n, "tarekbela");
    }

    #[divan::bench(args = sizes(), sample_count = 200, sample_size = 1)]
    fn two_words(bencher: divan::Bencher, n: usize) {
        type_query(bencher, n, "troops withdrawal");
    }

    #[divan::bench(args = sizes(), sample_count = 200, sample_size = 1)]
    fn misspelling(bencher: divan::Bencher, n: usize) {
        type_query(bencher, n, "goverment");
    }
}

#[divan::bench(args = sizes(), sample_count = 50)]
fn filter_actor(bencher: divan::Bencher, n: usize) {
    let l = loaded(n);
    let actor = filter::resolve_actor(&l.model, "a7").expect("actor a7 exists");
    let f = Filter {
        actors: vec![actor],
        ..Filter::default()
    };
    bencher.bench(|| f.apply(&l.model));
}

#[divan::bench(args = sizes(), sample_count = 50)]
fn filter_place(bencher: divan::Bencher, n: usize) {
    let l = loaded(n);
    // A country: its events include those of every place within it.
    let place = filter::resolve_place(&l.model, "c1").expect("place c1 exists");
    let f = Filter {
        places: vec![place],
        ..Filter::default()
    };
    bencher.bench(|| f.apply(&l.model));
}

#[divan::bench(args = sizes(), sample_count = 50)]
fn filter_dates(bencher: divan::Bencher, n: usize) {
    let l = loaded(n);
    let f = Filter {
        from: Some("1990".parse::<PartialDate>().unwrap()),
        to: Some("1999-06".parse::<PartialDate>().unwrap()),
        ..Filter::default()
    };
    bencher.bench(|| f.apply(&l.model));
}

/// One frame of the explorer on a 200x50 TestBackend, the cursor in the
/// middle of the timeline.
#[divan::bench(args = sizes(), sample_count = 100)]
fn draw_frame(bencher: divan::Bencher, n: usize) {
    let l = loaded(n);
    let mut app = App::new(
        Arc::clone(&l.model),
        Searcher::Inline(Arc::clone(&l.index)),
        Theme {
            color: true,
            light: false,
            ..Default::default()
        },
    );
    app.timeline.cursor = app.visible.len() / 2;
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    terminal.draw(|f| view::draw(&mut app, f)).unwrap();
    bencher.bench_local(|| {
        terminal.draw(|f| view::draw(&mut app, f)).unwrap();
    });
}

/// Frames with what the analysis views add: the details overlay (`i`), the
/// relationships pane as of a date (`:at`), and a keystroke that moves the
/// cursor then draws, so the cost of one key is what is measured.
fn app_mid(l: &Loaded) -> App {
    let mut app = App::new(
        Arc::clone(&l.model),
        Searcher::Inline(Arc::clone(&l.index)),
        Theme {
            color: true,
            light: false,
            ..Default::default()
        },
    );
    app.timeline.cursor = app.visible.len() / 2;
    app
}

#[divan::bench(args = sizes(), sample_count = 100)]
fn draw_frame_details(bencher: divan::Bencher, n: usize) {
    let l = loaded(n);
    let mut app = app_mid(&l);
    app.step(annals::tui::control::Control::Details);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    bencher.bench_local(|| {
        terminal.draw(|f| view::draw(&mut app, f)).unwrap();
    });
}

/// A frame with the map in place of the relationships pane: drawn from
/// per-place counts, made once per filter change (the first frame pays).
#[divan::bench(args = sizes(), sample_count = 100)]
fn draw_frame_map(bencher: divan::Bencher, n: usize) {
    let l = loaded(n);
    let mut app = app_mid(&l);
    app.step(annals::tui::control::Control::ToggleMap);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    terminal.draw(|f| view::draw(&mut app, f)).unwrap();
    bencher.bench_local(|| {
        terminal.draw(|f| view::draw(&mut app, f)).unwrap();
    });
}

#[divan::bench(args = sizes(), sample_count = 100)]
fn key_down_and_frame(bencher: divan::Bencher, n: usize) {
    let l = loaded(n);
    let mut app = app_mid(&l);
    app.run_command("at 1995-06").expect("a date");
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    let mut down = true;
    bencher.bench_local(|| {
        // Down and up in turn: the cursor stays in the middle.
        let c = if down {
            annals::tui::control::Control::Down
        } else {
            annals::tui::control::Control::Up
        };
        down = !down;
        app.step(c);
        terminal.draw(|f| view::draw(&mut app, f)).unwrap();
    });
}

#[divan::bench(args = sizes(), sample_count = 20)]
fn filter_only_kind(bencher: divan::Bencher, n: usize) {
    let l = loaded(n);
    let f = Filter {
        only_kinds: vec![annals::store::SourceKind::Sponsored],
        ..Filter::default()
    };
    bencher.bench(|| f.apply(&l.model));
}

#[divan::bench(args = sizes(), sample_count = 10)]
fn filter_text(bencher: divan::Bencher, n: usize) {
    let l = loaded(n);
    let f = Filter {
        texts: vec!["base".into()],
        ..Filter::default()
    };
    bencher.bench(|| f.apply(&l.model));
}

/// The middle 10,000 events of the timeline.
fn middle_10k(m: &Model) -> Vec<u32> {
    let mid = m.events.len() / 2;
    (mid.saturating_sub(5_000)..(mid + 5_000).min(m.events.len()))
        .map(|i| i as u32)
        .collect()
}

fn export(bencher: divan::Bencher, n: usize, format: Format) {
    let l = loaded(n);
    let slice = middle_10k(&l.model);
    bencher.bench(|| export::render(&l.model, &slice, format, "bench").expect("renders"));
}

/// Exporting a 10,000-event slice in each format.
mod export_10k {
    use super::*;

    #[divan::bench(args = sizes(), sample_count = 20)]
    fn ron(bencher: divan::Bencher, n: usize) {
        export(bencher, n, Format::Ron);
    }

    #[divan::bench(args = sizes(), sample_count = 20)]
    fn json(bencher: divan::Bencher, n: usize) {
        export(bencher, n, Format::Json);
    }

    #[divan::bench(args = sizes(), sample_count = 20)]
    fn csv(bencher: divan::Bencher, n: usize) {
        export(bencher, n, Format::Csv);
    }

    #[divan::bench(args = sizes(), sample_count = 20)]
    fn markdown(bencher: divan::Bencher, n: usize) {
        export(bencher, n, Format::Md);
    }

    #[divan::bench(args = sizes(), sample_count = 20)]
    fn timelinejs(bencher: divan::Bencher, n: usize) {
        export(bencher, n, Format::TimelineJs);
    }
}
