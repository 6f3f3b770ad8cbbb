//! The explorer: a full-screen ratatui front end over the core.
//!
//! `app` holds the state and applies `control`s; each pane draws itself in
//! its own module; `view` lays out the screen.

pub mod app;
pub mod control;
pub mod export_dialog;
pub mod help;
pub mod reader;
pub mod relations;
pub mod search_box;
pub mod searcher;
pub mod sources;
pub mod text;
pub mod theme;
pub mod timeline;
pub mod view;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

use crate::model::Model;
pub use app::App;
use searcher::Searcher;
use theme::Theme;

/// Runs the explorer until the user quits. The terminal is restored on
/// return, on error and on panic.
pub fn run(model: Model) -> io::Result<()> {
    let model = Arc::new(model);
    let searcher = Searcher::worker(Arc::clone(&model));
    let mut app = App::new(model, searcher, Theme::from_env());

    // ratatui::init() installs a panic hook that restores the terminal;
    // ours also releases the mouse first.
    let mut terminal = ratatui::init();
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        ratatui_hook(info);
    }));
    let result = execute!(io::stdout(), EnableMouseCapture).and_then(|_| {
        let mut dirty = true;
        loop {
            if dirty {
                terminal.draw(|f| view::draw(&mut app, f))?;
                dirty = false;
            }
            if app.quit {
                return Ok(());
            }
            if event::poll(Duration::from_millis(40))? {
                let ev = event::read()?;
                app.handle_event(&ev);
                dirty = true;
            }
            dirty |= app.poll_search();
        }
    });
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}
