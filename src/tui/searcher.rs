//! Runs searches. In the explorer a worker thread builds the index and
//! answers queries, so typing never waits on a search; only the newest
//! query's results are kept. Tests search inline, deterministically.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;

use crate::model::Model;
use crate::search::{Hit, SearchIndex};

/// How many results the search box shows at most.
pub const LIMIT: usize = 200;

pub enum Searcher {
    Inline(Arc<SearchIndex>),
    Worker {
        queries: Sender<(u64, String)>,
        results: Receiver<(u64, Vec<Hit>)>,
    },
}

impl Searcher {
    pub fn inline(model: &Model) -> Self {
        Searcher::Inline(Arc::new(SearchIndex::build(model)))
    }

    /// A worker thread that builds the index, then answers the newest query.
    pub fn worker(model: Arc<Model>) -> Self {
        let (qtx, qrx) = channel::<(u64, String)>();
        let (rtx, rrx) = channel();
        thread::spawn(move || {
            let index = SearchIndex::build(&model);
            while let Ok(mut job) = qrx.recv() {
                // Skip queries already superseded by newer keystrokes.
                while let Ok(newer) = qrx.try_recv() {
                    job = newer;
                }
                let hits = index.search(&model, &job.1, LIMIT);
                if rtx.send((job.0, hits)).is_err() {
                    break;
                }
            }
        });
        Searcher::Worker {
            queries: qtx,
            results: rrx,
        }
    }

    /// Starts a search; inline searches answer at once.
    pub fn submit(&self, model: &Model, generation: u64, query: &str) -> Option<Vec<Hit>> {
        match self {
            Searcher::Inline(index) => Some(index.search(model, query, LIMIT)),
            Searcher::Worker { queries, .. } => {
                // A dead worker only means no results; the explorer goes on.
                let _ = queries.send((generation, query.to_string()));
                None
            }
        }
    }

    /// The newest finished result, if any arrived.
    pub fn poll(&self) -> Option<(u64, Vec<Hit>)> {
        match self {
            Searcher::Inline(_) => None,
            Searcher::Worker { results, .. } => results.try_iter().last(),
        }
    }
}
