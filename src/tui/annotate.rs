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

/// A note written in the editor is read back up to this size.
const MAX_NOTE_BYTES: u64 = 1 << 20;

/// A new file in `dir` holding `text`, for the editor: created exclusively
/// under a random name (a link or file planted in a shared temporary
/// folder is never written through), readable by its owner alone.
pub(in crate::tui) fn note_file(
    dir: &std::path::Path,
    text: &str,
) -> std::io::Result<std::path::PathBuf> {
    use std::io::Write;
    let mut file = tempfile::Builder::new()
        .prefix("annals-note-")
        .suffix(".txt")
        .tempfile_in(dir)?;
    file.write_all(text.as_bytes())?;
    let (_, path) = file.keep().map_err(|e| e.error)?;
    Ok(path)
}

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

    /// After a change: the index of where notes land, and the file. The
    /// status says what became of the change (`done`: "Starred").
    fn save_notes(&mut self, done: &str) {
        self.noted = self.notes.index(&self.model);
        self.status = Some(match &self.notes_path {
            Some(path) => match self.notes.save(path) {
                Ok(()) => done.to_string(),
                Err(e) => format!("{done}, but NOT SAVED: {e}"),
            },
            None if self.store_path.is_none() => {
                format!(
                    "{done}; the built-in store is not a file: :write FILE keeps it, with stars and notes"
                )
            }
            None => format!(
                "{done}, but NOT SAVED: the notes file could not be read (fix it, then reopen)"
            ),
        });
    }

    /// Whether changes can be saved: false (and said) when the store has a
    /// notes file that could not be read, which is never overwritten.
    fn notes_writable(&mut self, what: &str) -> bool {
        if self.notes_path.is_none() && self.store_path.is_some() {
            self.status = Some(format!(
                "{what}: the notes file beside the store could not be read; fix it first"
            ));
            return false;
        }
        true
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
        if !self.notes_writable("Not starred") {
            return;
        }
        let id = self.model.event(e).id.to_string();
        let on = self.notes.toggle_star(&id);
        self.save_notes(if on { "Starred" } else { "Star removed" });
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
        if !self.notes_writable("Note not saved") {
            return Ok(());
        }
        self.notes.set_note(target, text);
        self.save_notes(if text.trim().is_empty() {
            "Note removed"
        } else {
            "Note saved"
        });
        Ok(())
    }

    /// `a`: the note on the selection, in the editor (several lines).
    pub(super) fn annotate(&mut self) {
        let Some(target) = self.note_target() else {
            self.status = Some("No event selected".into());
            return;
        };
        if !self.notes_writable("No note") {
            return;
        }
        let text = self.notes.note(&target).unwrap_or("").to_string();
        let path = match note_file(&std::env::temp_dir(), &text) {
            Ok(p) => p,
            Err(e) => {
                self.status = Some(format!("Cannot write a note file: {e}"));
                return;
            }
        };
        self.edit = Some(EditRequest {
            path,
            line: 1,
            column: 1,
            note: Some(target),
            story: None,
        });
    }

    /// After the editor: the note file's text becomes the note.
    pub fn finish_note(&mut self, req: &EditRequest) {
        let Some(target) = req.note.clone() else {
            return;
        };
        match crate::io::read::read_text_bounded(&req.path, MAX_NOTE_BYTES) {
            Ok(Some(text)) => {
                self.notes.set_note(target, &text);
                self.save_notes(if text.trim().is_empty() {
                    "Note removed"
                } else {
                    "Note saved"
                });
                // The note file is removed only once the note is in the
                // sidecar; else it is where the text can still be found.
                if self
                    .status
                    .as_deref()
                    .is_some_and(|s| !s.contains("NOT SAVED"))
                {
                    let _ = std::fs::remove_file(&req.path);
                } else if let Some(s) = &mut self.status {
                    s.push_str(&format!("; the text is kept in {}", req.path.display()));
                }
            }
            Ok(None) => self.status = Some("The note file is gone: nothing saved".into()),
            Err(e) => {
                self.status = Some(format!("The note was not read back, and is kept: {e}"));
            }
        }
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

#[cfg(all(test, unix))]
mod tests {
    use super::note_file;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_note_file_is_new_private_and_never_a_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("private.txt");
        std::fs::write(&victim, "keep me").unwrap();
        // The name the note file once had, planted as a link to the victim.
        let planted = dir
            .path()
            .join(format!("annals-note-{}.txt", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let path = note_file(dir.path(), "my note").unwrap();
        assert_ne!(path, planted);
        let meta = std::fs::symlink_metadata(&path).unwrap();
        assert!(meta.file_type().is_file());
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "my note");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    }
}
