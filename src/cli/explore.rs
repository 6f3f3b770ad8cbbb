//! Opening the explorer: the store loaded on another thread, a loading
//! screen if it takes long, the load cache written after (and finished
//! after the end, if need be). A store with
//! problems opens on their list, for the editor to fix.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use annals::store::load::Progress;
use annals::tui::Ended;

use super::out::{report, say, store_name};
use super::use_cache;

/// Opens the explorer on a store. A store with problems opens on their
/// list (printed instead when there is no terminal); a large one gets a
/// loading screen at once, which q / Esc / Ctrl-C leave.
pub fn explore(
    store: Option<&PathBuf>,
    settings: annals::tui::settings::Settings,
    fresh: bool,
) -> ExitCode {
    let progress = Arc::new(Progress::default());
    let (tx, rx) = mpsc::channel();
    let content = Arc::new(std::sync::OnceLock::new());
    let index = Arc::new(std::sync::OnceLock::new());
    let verify = Arc::new(std::sync::OnceLock::new());
    {
        let content = Arc::clone(&content);
        let index = Arc::clone(&index);
        let verify = Arc::clone(&verify);
        let store = store.cloned();
        let progress = Arc::clone(&progress);
        let use_cache = use_cache();
        std::thread::spawn(move || {
            let result = match &store {
                Some(p) => {
                    annals::cache::open_trusting_times(p, &progress, use_cache).map(|opened| {
                        if let Some(hash) = opened.content {
                            let _ = content.set(hash);
                        }
                        if let Some(cache) = opened.index {
                            let _ = index.set(cache);
                        }
                        if let Some(v) = opened.verify {
                            let _ = verify.set(v);
                        }
                        let model = Arc::new(opened.model);
                        if let Some(pending) = opened.pending {
                            // Written after the explorer has the model: the
                            // first frame does not wait for it, nor the end.
                            annals::cache::later::write_model_later(pending, Arc::clone(&model));
                        }
                        model
                    })
                }
                None => annals::load_builtin().map(Arc::new),
            };
            let _ = tx.send(result);
        });
    }
    let launch = annals::tui::Launch {
        settings,
        store: store.cloned(),
        fresh,
        content,
        index,
        verify,
        broken: None,
    };
    let outcome = match rx.recv_timeout(Duration::from_millis(300)) {
        Ok(Ok(model)) => annals::tui::run(model, launch).map(|()| Ended::Quit),
        // Without a terminal there is no list to open: the problems are printed.
        Ok(Err(e))
            if std::io::stdout().is_terminal()
                && annals::tui::opens_broken(store.map(PathBuf::as_path), &e) =>
        {
            annals::tui::run_broken(e, launch).map(|()| Ended::Quit)
        }
        Ok(Err(e)) => Ok(Ended::LoadFailed(e)),
        Err(_) => annals::tui::run_loading(&store_name(store), &progress, &rx, launch),
    };
    // Cache files not written yet are finished by a process of their own:
    // the end does not wait for them (seconds at a million events).
    annals::cache::later::hand_off();
    match outcome {
        Ok(Ended::Quit) => ExitCode::SUCCESS,
        Ok(Ended::LoadFailed(e)) => report(&e),
        Err(e) => {
            say(&format!(
                "annals: terminal error: {}",
                annals::io::safe::safe(&e.to_string())
            ));
            ExitCode::FAILURE
        }
    }
}
