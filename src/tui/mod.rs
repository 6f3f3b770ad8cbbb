//! The explorer: a full-screen ratatui front end over the core.
//!
//! `app` holds the state they share and applies `control`s (from `keys/`);
//! `view` lays out the screen. `panes/` and `overlays/` each own their
//! state, keys and drawing; `term/` is the terminal's plumbing; `widgets/`
//! the drawing helpers below them all.

pub mod annotate;
pub mod app;
pub mod control;
pub mod copy;
pub mod invariants;
pub mod keys;
pub mod overlays;
pub mod panes;
pub mod searcher;
pub mod session;
pub mod settings;
pub mod term;
pub mod theme;
pub mod view;
pub mod widgets;

use crate::tui::term::editor;
use crate::tui::term::fault;
use crate::tui::term::loading;
use crate::tui::term::signals;
use crate::tui::term::watch;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;

use crate::model::Model;
use crate::store::load::{LoadError, Progress};
pub use app::App;
use searcher::Searcher;
use settings::Settings;

/// Runs the explorer until the user quits. The terminal is restored on
/// return, on error and on panic.
pub fn run(model: impl Into<Arc<Model>>, launch: Launch) -> io::Result<()> {
    with_terminal(|terminal| explore(terminal, model, launch))
}

/// How a session that began while the store was loading ended.
pub enum Ended {
    /// The user quit the explorer, or quit while it loaded.
    Quit,
    /// The store did not load; nothing was explored.
    LoadFailed(LoadError),
}

/// Takes over the terminal at once and shows loading progress until the
/// store arrives on `result` (then explores it) or the user quits.
pub fn run_loading(
    name: &str,
    progress: &Progress,
    result: &Receiver<Result<Arc<Model>, LoadError>>,
    launch: Launch,
) -> io::Result<Ended> {
    with_terminal(|terminal| {
        match loading::wait(terminal, name, progress, result, launch.settings.theme)? {
            Some(Ok(model)) => explore(terminal, model, launch).map(|()| Ended::Quit),
            Some(Err(e)) if opens_broken(launch.store.as_deref(), &e) => {
                let launch = Launch {
                    broken: Some(e),
                    ..launch
                };
                explore(terminal, Model::default(), launch).map(|()| Ended::Quit)
            }
            Some(Err(e)) => Ok(Ended::LoadFailed(e)),
            None => Ok(Ended::Quit),
        }
    })
}

/// Runs the explorer on a store that does not load, opened on its
/// problems: Enter opens the editor at one, and a save that makes the store
/// load shows it.
pub fn run_broken(error: LoadError, launch: Launch) -> io::Result<()> {
    let launch = Launch {
        broken: Some(error),
        ..launch
    };
    with_terminal(|terminal| explore(terminal, Model::default(), launch))
}

/// Whether a failed load is worth opening the explorer on: the store is a
/// file with problems at lines in it, which the editor can fix (not a
/// file that is missing, unreadable or not text).
pub fn opens_broken(store: Option<&std::path::Path>, error: &LoadError) -> bool {
    let is_file = store.is_some_and(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()));
    is_file && error.diagnostics.iter().any(|d| d.line > 0)
}

/// Runs `f` on the full-screen terminal, restored afterwards whatever
/// happens: on return, on error and on panic.
fn with_terminal<R>(f: impl FnOnce(&mut DefaultTerminal) -> io::Result<R>) -> io::Result<R> {
    // ratatui::init() installs a panic hook that restores the terminal;
    // ours also releases the mouse first.
    // Without a terminal there is nothing to draw on: say so, not panic.
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return Err(io::Error::other(
            "standard output is not a terminal; the explorer needs one (annals list, search and export print to files and pipes)",
        ));
    }
    signals::save_terminal();
    let mut terminal = ratatui::try_init()?;
    let ratatui_hook = std::panic::take_hook();
    let owner = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        // Only a panic on the thread that draws ends the explorer. Another
        // thread's (the search worker's) would otherwise restore the
        // terminal under a running explorer and print over its screen.
        if std::thread::current().id() != owner {
            return;
        }
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui_hook(info);
    }));
    signals::install();
    // A paste arrives as one event: one edit, one search, not one a char.
    let result = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)
        .and_then(|_| f(&mut terminal));
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    result
}

/// Events applied between two frames at most, so the screen still follows
/// a flood of input.
const MAX_EVENTS_PER_FRAME: usize = 512;

/// How the explorer starts.
#[derive(Clone, Debug)]
pub struct Launch {
    /// Theme, key bindings and what the settings file's problems were.
    pub settings: Settings,
    /// The store's file; none for the built-in store.
    pub store: Option<PathBuf>,
    /// Start clean: the last session is not restored (it is replaced on quit).
    pub fresh: bool,
    /// The store's content hash (`sessions::content_hash`), once the load has
    /// it: the session is compared with it instead of reading the store
    /// again (a second at a million events).
    pub content: Arc<std::sync::OnceLock<u64>>,
    /// Where the store's search index is kept, once the load knows.
    pub index: Arc<std::sync::OnceLock<crate::cache::IndexCache>>,
    /// How to make sure of a model the load cache gave on the file
    /// system's word (`cache::open_trusting_times`), once the load knows.
    pub verify: Arc<std::sync::OnceLock<crate::cache::Verify>>,
    /// The store did not load: the explorer opens on these problems.
    pub broken: Option<LoadError>,
}

/// The explorer's event loop, until the user quits.
fn explore(
    terminal: &mut DefaultTerminal,
    model: impl Into<Arc<Model>>,
    launch: Launch,
) -> io::Result<()> {
    let model: Arc<Model> = model.into();
    // What only filters need is made on another thread, while the first
    // frame is drawn (a million events: a second of work).
    {
        let model = Arc::clone(&model);
        std::thread::spawn(move || model.make_indexes());
    }
    let fault = fault::Fault::from_env();
    let searcher = Searcher::worker(Arc::clone(&model), fault, launch.index.get().cloned());
    let settings = launch.settings;
    let mut app = App::new(model, searcher, settings.theme);
    app.keys = settings.keys;
    app.status = settings.notice;
    let store = launch.store;
    let mut watcher = store.clone().map(watch::Watcher::new);
    if let (Some(w), Some(v)) = (watcher.as_mut(), launch.verify.get()) {
        w.verify(v.clone());
    }
    let key = crate::annotate::sessions::store_key(store.as_deref());
    app.store_path = store;
    app.load_notes();
    app.load_stories();
    if let Some(e) = launch.broken {
        // Nothing to restore the session onto until the store loads.
        app.broken = true;
        app.show_problems(e);
    } else if !launch.fresh {
        restore(&mut app, &key, launch.content.get().copied());
    }
    app.content = launch.content.get().copied();
    let result = event_loop(terminal, &mut app, &mut watcher, fault, launch.fresh);
    if app.broken {
        // The store never loaded: the last session is kept as it was.
        return result;
    }
    // `:write` on the built-in store: the session is the new file's.
    let key = crate::annotate::sessions::store_key(app.store_path.as_deref());
    // Saved however the explorer ends; a failure is no reason to keep the
    // person's terminal: it is said on the way out at most. The store is
    // hashed again only if the explorer wrote it: at a million events
    // hashing it means reading 1.5 GB, which a quit should not wait for
    // (the load and the watcher's reloads hash it as they read it).
    let content = app
        .content
        .unwrap_or_else(|| crate::annotate::sessions::content_hash(app.store_path.as_deref()));
    let _ = app.to_session(&key, content).save();
    // Not freed: the process ends next, and freeing a million events one
    // by one would hold up the end by a third of a second.
    std::mem::forget(app);
    result
}

/// The file watched follows the store's: `:write` gives the built-in store
/// one.
fn follow_store(app: &App, watcher: &mut Option<watch::Watcher>) {
    let watched = watcher.as_ref().map(|w| w.path());
    if let Some(path) = &app.store_path
        && watched != Some(path.as_path())
    {
        *watcher = Some(watch::Watcher::new(path.clone()));
    }
}

/// The last session of the store `key`, if any; an unreadable one is said
/// once and left (the next quit replaces it).
fn restore(app: &mut App, key: &str, content: Option<u64>) {
    match crate::annotate::sessions::Session::load(key) {
        Ok(Some(s)) => {
            let now = content.unwrap_or_else(|| {
                crate::annotate::sessions::content_hash(app.store_path.as_deref())
            });
            let changed = s.content != now;
            app.restore_session(s, changed);
        }
        Ok(None) => {}
        Err(e) => app.status = Some(format!("Last session not restored (ignored): {e}")),
    }
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    watcher: &mut Option<watch::Watcher>,
    fault: fault::Fault,
    fresh: bool,
) -> io::Result<()> {
    let mut keys_read = false;
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|f| {
                view::draw(app, f);
                fault.in_draw(keys_read);
            })?;
            dirty = false;
        }
        if app.quit || signals::stop_requested() {
            return Ok(());
        }
        // Everything typed so far is applied before the next frame: keys
        // never wait behind drawing (a burst is one frame, not one each).
        let mut wait = Duration::from_millis(40);
        let mut handled = 0;
        while handled < MAX_EVENTS_PER_FRAME && event::poll(wait)? {
            let ev = event::read()?;
            app.handle_event(&ev);
            if matches!(ev, event::Event::Key(_)) {
                keys_read = true;
                fault.in_loop()?;
            }
            dirty = true;
            handled += 1;
            wait = Duration::ZERO;
            if app.quit {
                break;
            }
        }
        if std::mem::take(&mut app.wrote)
            && let Some(w) = watcher.as_mut()
        {
            w.seen_now();
        }
        dirty |= app.poll_search();
        if let Some((result, content)) = watcher.as_mut().and_then(watch::Watcher::poll) {
            match result {
                Ok(model) => {
                    let model = Arc::new(model);
                    let searcher = Searcher::worker(Arc::clone(&model), fault, None);
                    app.replace_model(model, searcher);
                    app.content = Some(content);
                    if std::mem::take(&mut app.broken) && !fresh {
                        let key = crate::annotate::sessions::store_key(app.store_path.as_deref());
                        restore(app, &key, Some(content));
                    }
                }
                Err(e) => app.show_problems(e),
            }
            dirty = true;
        }
        if let Some(req) = app.edit.take() {
            editor::run(terminal, &req, |said| {
                if said.is_empty() {
                    app.finish_note(&req);
                    app.finish_prose(&req);
                } else {
                    app.status = Some(said.to_string());
                }
            })?;
            dirty = true;
        }
        follow_store(app, watcher);
        if let Some(text) = app.to_copy.take() {
            copy::send(&text);
        }
    }
}
