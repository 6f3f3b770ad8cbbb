//! Runs searches. In the explorer a worker thread builds the index and
//! answers queries, so typing never waits on a search; only the newest
//! query's results are kept. Tests search inline, deterministically.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, OnceLock};
use std::thread;

use crate::cache::IndexCache;
use crate::cache::later;
use crate::model::Model;
use crate::search::{Hit, SearchIndex};
use crate::tui::term::fault::Fault;

/// The index kept in the load cache for `model`, else one built now and
/// kept there by another thread, so that the first answer does not wait
/// for the write (a second at a million events). A quit before it is kept
/// leaves the rest to `cache::later::hand_off`.
fn index_for(model: &Arc<Model>, cached: Option<IndexCache>) -> Arc<SearchIndex> {
    if let Some(index) = cached.as_ref().and_then(|c| c.load(model)) {
        return Arc::new(index);
    }
    let pending = cached.as_ref().map(|c| later::index_to_keep(c, model));
    let index = Arc::new(SearchIndex::build(model));
    if let (Some(cache), Some(pending)) = (cached, pending) {
        later::keep_index_later(pending, cache, Arc::clone(&index));
    }
    index
}

/// A query's results, or why there are none: a search that panicked (a
/// bug) is reported in the search box instead of leaving it waiting.
pub type Answer = Result<Vec<Hit>, String>;

/// How many results the search box shows at most.
pub const LIMIT: usize = 200;

pub enum Searcher {
    Inline(Arc<SearchIndex>),
    Worker {
        queries: Sender<(u64, String)>,
        results: Receiver<(u64, Answer)>,
        /// The index, once the worker has read or built it: `:text`
        /// is answered from it.
        index: Arc<OnceLock<Arc<SearchIndex>>>,
    },
}

impl Searcher {
    pub fn inline(model: &Model) -> Self {
        Searcher::Inline(Arc::new(SearchIndex::build(model)))
    }

    /// A worker thread that reads the index from the load cache (`cached`)
    /// or builds it (and keeps it there), then answers the newest query.
    /// It outlives a panic in a search: that query is answered with the
    /// panic's message and the next one is searched as usual.
    pub fn worker(model: Arc<Model>, fault: Fault, cached: Option<IndexCache>) -> Self {
        let (qtx, qrx) = channel::<(u64, String)>();
        let (rtx, rrx) = channel();
        let ready = Arc::new(OnceLock::new());
        let slot = Arc::clone(&ready);
        thread::spawn(move || {
            let index = guarded(|| index_for(&model, cached));
            if let Ok(index) = &index {
                let _ = slot.set(Arc::clone(index));
            }
            let mut first = true;
            while let Ok(mut job) = qrx.recv() {
                // Skip queries already superseded by newer keystrokes.
                while let Ok(newer) = qrx.try_recv() {
                    job = newer;
                }
                let answer = match &index {
                    Ok(index) => guarded(|| {
                        fault.in_search(std::mem::take(&mut first));
                        index.search(&model, &job.1, LIMIT)
                    }),
                    Err(why) => Err(format!("the search index could not be built: {why}")),
                };
                if rtx.send((job.0, answer)).is_err() {
                    break;
                }
            }
        });
        Searcher::Worker {
            queries: qtx,
            results: rrx,
            index: ready,
        }
    }

    /// The search index, if it is ready.
    pub fn index(&self) -> Option<Arc<SearchIndex>> {
        match self {
            Searcher::Inline(index) => Some(Arc::clone(index)),
            Searcher::Worker { index, .. } => index.get().cloned(),
        }
    }

    /// Starts a search; inline searches answer at once.
    pub fn submit(&self, model: &Model, generation: u64, query: &str) -> Option<Answer> {
        match self {
            Searcher::Inline(index) => Some(Ok(index.search(model, query, LIMIT))),
            Searcher::Worker { queries, .. } => {
                // A dead worker only means no results; the explorer goes on.
                let _ = queries.send((generation, query.to_string()));
                None
            }
        }
    }

    /// The newest finished result, if any arrived.
    pub fn poll(&self) -> Option<(u64, Answer)> {
        match self {
            Searcher::Inline(_) => None,
            Searcher::Worker { results, .. } => results.try_iter().last(),
        }
    }
}

/// Runs `f`, turning a panic into its message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn wait(searcher: &Searcher) -> (u64, Answer) {
        let start = Instant::now();
        loop {
            if let Some(answer) = searcher.poll() {
                return answer;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "no answer");
            thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn a_search_that_panics_is_answered_with_why_and_the_worker_goes_on() {
        let model = Arc::new(crate::load_builtin().unwrap());
        let searcher = Searcher::worker(Arc::clone(&model), Fault::PanicInSearch, None);
        assert!(searcher.submit(&model, 1, "russ").is_none());
        let (generation, answer) = wait(&searcher);
        assert_eq!(generation, 1);
        let why = answer.expect_err("the injected panic is an error");
        assert!(why.contains("injected fault"), "{why}");
        // The same query again is searched and found.
        searcher.submit(&model, 2, "russ");
        let (generation, answer) = wait(&searcher);
        assert_eq!(generation, 2);
        let hits = answer.expect("the worker survived the panic");
        assert!(!hits.is_empty());
    }

    #[test]
    fn guarded_keeps_the_panic_message() {
        assert_eq!(guarded(|| 7), Ok(7));
        assert_eq!(guarded(|| -> u8 { panic!("static") }), Err("static".into()));
        let n = 3;
        assert_eq!(
            guarded(|| -> u8 { panic!("formatted {n}") }),
            Err("formatted 3".into())
        );
    }
}
