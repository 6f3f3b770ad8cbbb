//! The explorer writing its store: a selected passage quoted on an event,
//! or a new event from the form, written as `add-source` writes (the rest
//! of the file byte for byte, loaded before it is written, atomically),
//! then shown; and the last writes undone.

use std::path::PathBuf;
use std::sync::Arc;

use crate::author::undo::{undo, write_edit};
use crate::author::{NewEntity, NewEvent, NewQuote, add_event, add_quote};
use crate::io::read::read_text_bounded;
use crate::model::Ix;
use crate::tui::app::{App, Overlay};
use crate::tui::overlays::event_form::{DATE, EventForm, SUMMARY, TITLE};
use crate::tui::searcher::Searcher;

/// Writes kept to undo, newest last; older ones are dropped.
const MAX_UNDO: usize = 32;
/// A store read to be edited is refused past this size.
const MAX_STORE_BYTES: u64 = 4 << 30;

/// Said when there is no file to write to.
pub const NO_FILE: &str = "This is the built-in store, not a file: nothing can be written to it. :write FILE makes it one (with its stars and notes), then this works";

impl App {
    /// The store's file, or why there is none.
    fn store_file(&self) -> Result<PathBuf, String> {
        self.store_path.clone().ok_or_else(|| NO_FILE.to_string())
    }

    /// The passage selected in the reader, as a quote: its source id and
    /// its words (runs of spaces and line breaks made one space: quotes
    /// match across them), or why it cannot be one.
    fn selected_quote(&self) -> Result<(Ix, NewQuote), String> {
        let Overlay::Reader(r) = &self.overlay else {
            return Err("Select a passage in the reader first (v, or drag the mouse)".into());
        };
        let Some(sel) = &r.selection else {
            return Err("No passage selected: v starts a selection, or drag the mouse".into());
        };
        let s = self.model.source(r.source);
        let words: Vec<&str> = sel.text(&s.text).split_whitespace().collect();
        let text = words.join(" ");
        if !text.chars().any(char::is_alphanumeric) {
            return Err("The selection holds no words: nothing to quote".into());
        }
        if text.chars().any(char::is_control) {
            return Err("The selection holds control characters: a quote cannot carry them".into());
        }
        let quote = NewQuote {
            source: s.id.to_string(),
            text,
        };
        Ok((r.source, quote))
    }

    /// `+` in the reader: the selection becomes one more quote of the
    /// selected event.
    pub(crate) fn quote_selection(&mut self) {
        self.status = Some(match self.try_quote_selection() {
            Ok(said) | Err(said) => said,
        });
    }

    fn try_quote_selection(&mut self) -> Result<String, String> {
        let (_, quote) = self.selected_quote()?;
        let path = self.store_file()?;
        let event = self.selected_event().ok_or(
            "No event is selected: choose one in the timeline first, or e starts a new one",
        )?;
        let event_id = self.model.event(event).id.to_string();
        let title = self.model.event(event).title.to_string();
        let before = read_store(&path)?;
        let after = add_quote(&before, &self.model, &event_id, &quote)
            .map_err(|errs| format!("Nothing was written: {}", errs.join("; ")))?;
        self.write_and_show(&path, &before, &after, &event_id)?;
        self.reopen_reader(&quote.source, &quote.text);
        Ok(format!("Quoted on “{title}”; U undoes it"))
    }

    /// `e` in the reader: the form for a new event quoting the selection.
    pub(crate) fn open_event_form(&mut self) {
        let opened = self.selected_quote().and_then(|(source, quote)| {
            self.store_file()?;
            let s = self.model.source(source);
            Ok(EventForm::new(source, &s.id, &s.title, &quote.text))
        });
        match opened {
            Ok(form) => self.open(Overlay::EventForm(Box::new(form))),
            Err(e) => self.status = Some(e),
        }
    }

    /// Enter in the form: the event written, or every problem shown in
    /// the form and nothing written.
    pub(crate) fn submit_event_form(&mut self) {
        let Overlay::EventForm(form) = &self.overlay else {
            return;
        };
        let (source, quote) = (form.source_id.clone(), form.quote.clone());
        let result = self.write_event(form.new_event());
        match result {
            Ok(title) => {
                self.status = Some(format!("Event “{title}” written; U undoes it"));
                self.reopen_reader(&source, &quote);
            }
            Err(errs) => {
                if let Overlay::EventForm(form) = &mut self.overlay {
                    form.errors = errs;
                }
            }
        }
    }

    fn write_event(&mut self, ev: NewEvent) -> Result<String, Vec<String>> {
        let path = self.store_file().map_err(|e| vec![e])?;
        let mut pre = Vec::new();
        if let Err(e) = crate::evidence::date::Date::parse(&ev.date) {
            pre.push(format!("date: {e}"));
        }
        if ev.title.trim().is_empty() {
            pre.push("title: an event needs a title".into());
        }
        if !pre.is_empty() {
            return Err(pre);
        }
        let before = read_store(&path).map_err(|e| vec![e])?;
        let edit = add_event(&before, &self.model, &ev)?;
        self.write_and_show(&path, &before, &edit.text, &edit.event_id)
            .map_err(|e| vec![e])?;
        Ok(ev.title)
    }

    /// Writes `after` over `before`, keeps what undoes it, and shows the
    /// store as written with `event_id` selected.
    fn write_and_show(
        &mut self,
        path: &std::path::Path,
        before: &str,
        after: &str,
        event_id: &str,
    ) -> Result<(), String> {
        let u = write_edit(path, before, after)?;
        if self.undo.len() == MAX_UNDO {
            self.undo.remove(0);
        }
        self.undo.push(u);
        self.wrote = true;
        self.show_written(after, path);
        if let Some(e) = self.model.event_by_id(event_id) {
            self.select_event(e);
        }
        Ok(())
    }

    /// The store as just written, in place of the model.
    fn show_written(&mut self, text: &str, path: &std::path::Path) {
        match crate::load_str(text, &path.display().to_string()) {
            Ok(model) => {
                let model = Arc::new(model);
                let searcher = self.searcher.like(&model);
                self.replace_model(model, searcher);
            }
            // write_edit loaded it: this cannot fail, but if it did the
            // file watcher's reload would show the problems.
            Err(e) => self.show_problems(e),
        }
    }

    /// The reader again over the source `id` (in the new model), at the
    /// quote `text`.
    fn reopen_reader(&mut self, id: &str, text: &str) {
        let Some(crate::model::Entity::Source(source)) = self.model.entity(id) else {
            return;
        };
        let s = self.model.source(source);
        let at = crate::evidence::quote::find_quote(&s.text, text);
        self.open_reader(source, at);
    }

    /// `U`, `:undo`: the last write put back, unless the file changed since.
    pub(crate) fn undo_last_write(&mut self) {
        self.status = Some(match self.try_undo() {
            Ok(said) | Err(said) => said,
        });
    }

    pub(crate) fn try_undo(&mut self) -> Result<String, String> {
        let path = self.store_file()?;
        let Some(u) = self.undo.last() else {
            return Err("Nothing to undo: the explorer has not written the store".into());
        };
        undo(u)?;
        self.undo.pop();
        self.wrote = true;
        let reading = match &self.overlay {
            Overlay::Reader(r) => Some((self.model.source(r.source).id.to_string(), r.scroll)),
            _ => None,
        };
        let text = read_store(&path)?;
        self.show_written(&text, &path);
        // The article read stays open, where it was.
        if let Some((id, scroll)) = reading
            && let Some(crate::model::Entity::Source(s)) = self.model.entity(&id)
        {
            self.open_reader(s, None);
            if let Overlay::Reader(r) = &mut self.overlay {
                r.scroll = scroll;
                r.follow = false;
            }
        }
        let left = self.undo.len();
        Ok(format!(
            "Undone: {} is as it was before the write{}",
            crate::io::safe::safe(&path.display().to_string()),
            if left > 0 {
                format!(" ({left} more to undo)")
            } else {
                String::new()
            }
        ))
    }
}

/// The store file's text, or why it cannot be read.
fn read_store(path: &std::path::Path) -> Result<String, String> {
    let shown = crate::io::safe::safe(&path.display().to_string());
    match read_text_bounded(path, MAX_STORE_BYTES) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(format!("{shown} is gone; nothing was written")),
        Err(e) => Err(format!("cannot read {e}; nothing was written")),
    }
}

impl EventForm {
    /// The event the form describes.
    pub fn new_event(&self) -> NewEvent {
        let names =
            |i: usize| -> Vec<String> { self.picks[i].iter().map(|p| p.value.clone()).collect() };
        let new = |i: usize| -> Vec<NewEntity> {
            self.picks[i]
                .iter()
                .filter_map(|p| {
                    Some(NewEntity {
                        id: None,
                        name: p.value.clone(),
                        kind: p.new_kind.clone()?,
                        within: None,
                    })
                })
                .collect()
        };
        let summary = self.value(SUMMARY);
        NewEvent {
            id: None,
            date: self.value(DATE).to_string(),
            title: self.value(TITLE).to_string(),
            summary: (!summary.is_empty()).then(|| summary.to_string()),
            actors: names(0),
            places: names(1),
            tags: names(2),
            quotes: vec![NewQuote {
                source: self.source_id.clone(),
                text: self.quote.clone(),
            }],
            new_actors: new(0),
            new_places: new(1),
        }
    }
}

impl Searcher {
    /// A searcher of the same sort (inline in tests, else a worker) over
    /// another model.
    pub fn like(&self, model: &Arc<crate::model::Model>) -> Searcher {
        match self {
            Searcher::Inline(_) => Searcher::inline(model),
            Searcher::Worker { .. } => Searcher::worker(
                Arc::clone(model),
                crate::tui::term::fault::Fault::from_env(),
                None,
            ),
        }
    }
}
