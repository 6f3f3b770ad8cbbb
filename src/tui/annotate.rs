//! Stars (`*`) and notes (`a`, or `:note TEXT`) on what is selected: the
//! event, the quote or the disagreement in the Sources pane. They are
//! saved in the sidecar beside the store at each change.

use crate::annotate::notes::{self, Notes, Target};
use crate::search::fold::fold_str;
use crate::search::{Field, Hit};
use crate::tui::app::{App, Overlay, Pane};
use crate::tui::term::editor::EditRequest;

/// Note results shown first in the search box, at most.
const MAX_NOTE_HITS: usize = 50;

impl App {
    /// Reads the sidecar of the store at `store_path`; a broken one is said
    /// once and left alone (it is not overwritten until it is fixed).
    pub fn load_notes(&mut self) {
        let Some(store) = &self.store_path else {
            return;
        };
        let path = notes::sidecar_path(store);
        match Notes::load(&path) {
            Ok(n) => {
                self.notes = n;
                self.noted = self.notes.index(&self.model);
                self.notes_path = Some(path);
            }
            Err(e) => {
                self.status = Some(format!("Notes not loaded, and not saved until fixed: {e}"));
                self.notes_path = None;
            }
        }
    }

    /// After a change: the index of where notes land, and the file.
    fn save_notes(&mut self) {
        self.noted = self.notes.index(&self.model);
        match &self.notes_path {
            Some(path) => {
                if let Err(e) = self.notes.save(path) {
                    self.status = Some(e);
                }
            }
            None if self.store_path.is_none() => {
                self.status =
                    Some("The built-in store is not a file: notes last until you quit".into());
            }
            None => {}
        }
    }

    /// What a note made now would be on: the selected quote or
    /// disagreement in the Sources pane, else the selected event.
    pub fn note_target(&self) -> Option<Target> {
        let e = self.selected_event()?;
        if self.focus == Pane::Sources {
            if let Some(c) = self.selected_conflict() {
                return Some(notes::conflict_target(&self.model, c));
            }
            if let Some(t) = notes::quote_target(&self.model, e, self.sources_cursor) {
                return Some(t);
            }
        }
        Some(Target::Event(self.model.event(e).id.to_string()))
    }

    pub(super) fn toggle_star(&mut self) {
        let Some(e) = self.selected_event() else {
            return;
        };
        let id = self.model.event(e).id.to_string();
        let on = self.notes.toggle_star(&id);
        self.status = Some(if on { "Starred" } else { "Star removed" }.into());
        self.save_notes();
        if self
            .chips
            .iter()
            .any(|c| matches!(c, crate::tui::app::Chip::Starred))
        {
            self.refilter();
        }
    }

    /// `:note TEXT`: sets the note on the selection (empty text removes it).
    pub fn set_note_here(&mut self, text: &str) -> Result<(), String> {
        let target = self.note_target().ok_or("No event selected")?;
        self.notes.set_note(target, text);
        self.status = Some(if text.trim().is_empty() {
            "Note removed".into()
        } else {
            "Note saved".into()
        });
        self.save_notes();
        Ok(())
    }

    /// `a`: the note on the selection, in the editor (several lines).
    pub(super) fn annotate(&mut self) {
        let Some(target) = self.note_target() else {
            self.status = Some("No event selected".into());
            return;
        };
        let text = self.notes.note(&target).unwrap_or("").to_string();
        let path = std::env::temp_dir().join(format!("annals-note-{}.txt", std::process::id()));
        if let Err(e) = std::fs::write(&path, &text) {
            self.status = Some(format!("Cannot write a note file: {e}"));
            return;
        }
        self.edit = Some(EditRequest {
            path,
            line: 1,
            column: 1,
            note: Some(target),
        });
    }

    /// After the editor: the note file's text becomes the note.
    pub fn finish_note(&mut self, req: &EditRequest) {
        let Some(target) = req.note.clone() else {
            return;
        };
        match std::fs::read_to_string(&req.path) {
            Ok(text) => {
                self.notes.set_note(target, &text);
                self.status = Some(if text.trim().is_empty() {
                    "Note removed".into()
                } else {
                    "Note saved".into()
                });
                self.save_notes();
            }
            Err(e) => self.status = Some(format!("The note was not read back: {e}")),
        }
        let _ = std::fs::remove_file(&req.path);
    }

    /// Notes whose text has every word of `query`, as search results on
    /// their events (notes are few: they are scanned, not indexed).
    pub(super) fn note_hits(&self, query: &str) -> Vec<Hit> {
        let words: Vec<String> = fold_str(query)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut hits = Vec::new();
        for (i, n) in self.notes.notes.iter().enumerate() {
            let folded = self.noted.folded.get(i).map_or("", String::as_str);
            if !words.iter().all(|w| folded.contains(w.as_str())) {
                continue;
            }
            let Some(event) = self.noted.event_of_note.get(i).copied().flatten() else {
                continue;
            };
            let text: String = n
                .text
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(200)
                .collect();
            hits.push(Hit {
                target: crate::search::Target::Event { event },
                field: Field::Note,
                score: 0,
                positions: Vec::new(),
                text: format!("note: {text}"),
                why: Vec::new(),
                whole_field: false,
                sponsored: false,
            });
            if hits.len() == MAX_NOTE_HITS {
                break;
            }
        }
        hits
    }

    /// Puts the notes that match the search box's query first.
    pub(super) fn add_note_hits(&mut self) {
        let Overlay::Search(sb) = &self.overlay else {
            return;
        };
        let hits = self.note_hits(sb.input.value());
        if hits.is_empty() {
            return;
        }
        if let Overlay::Search(sb) = &mut self.overlay {
            sb.failed = None;
            let mut all = hits;
            all.append(&mut sb.hits);
            sb.hits = all;
        }
    }
}
