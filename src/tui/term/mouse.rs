//! The mouse: a click focuses a pane and selects a row; the wheel scrolls.

use ratatui::layout::Position;

use crate::tui::app::{App, Overlay, Pane};
use crate::tui::control::Control;
use crate::tui::overlays::selection::Selection;

impl App {
    fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        let p = Position::new(column, row);
        self.areas
            .panes
            .iter()
            .find(|(_, r)| r.contains(p))
            .map(|(pane, _)| *pane)
    }

    pub(in crate::tui) fn click(&mut self, column: u16, row: u16) {
        if let Overlay::Reader(_) = self.overlay {
            self.press_in_reader(column, row);
            return;
        }
        if !matches!(self.overlay, Overlay::None) {
            return;
        }
        let Some(pane) = self.pane_at(column, row) else {
            return;
        };
        self.focus = pane;
        let hit = |rows: &[(u16, usize)]| rows.iter().find(|(y, _)| *y == row).map(|(_, i)| *i);
        match pane {
            Pane::Timeline => {
                if let Some(i) = hit(&self.areas.timeline_rows) {
                    self.set_cursor(i);
                }
            }
            Pane::Relations if self.map.on => self.click_map(column, row),
            Pane::Relations => {
                if let Some(i) = hit(&self.areas.relation_rows) {
                    self.relations_cursor = i;
                }
            }
            Pane::Sources => {
                if let Some(i) = hit(&self.areas.source_rows) {
                    self.sources_cursor = i;
                }
            }
        }
    }

    /// A press in the reader's text: where a drag selecting words begins
    /// (it clears what was selected).
    fn press_in_reader(&mut self, column: u16, row: u16) {
        let model = std::sync::Arc::clone(&self.model);
        let Overlay::Reader(r) = &mut self.overlay else {
            return;
        };
        let text = &model.source(r.source).text;
        r.drag_from = r.byte_at(column, row, text).map(|(at, _)| at);
        if r.drag_from.is_some() {
            r.selection = None;
        }
    }

    /// The mouse dragged to a cell: in the reader, the words from where
    /// the press was to there are selected.
    pub(in crate::tui) fn drag(&mut self, column: u16, row: u16) {
        let model = std::sync::Arc::clone(&self.model);
        let Overlay::Reader(r) = &mut self.overlay else {
            return;
        };
        let text = &model.source(r.source).text;
        // Past the text's last row or above its first: the nearest row
        // shown, so a drag can run to the edge.
        let a = r.text_area;
        let row = row.clamp(a.y, (a.y + a.height).saturating_sub(1));
        let found = r.byte_at(column.max(a.x), row, text);
        if let (Some((at, line)), Some(from)) = (found, r.drag_from) {
            r.selection = Selection::dragged(text, from, at, line);
        }
    }

    pub(in crate::tui) fn scroll_at(&mut self, column: u16, row: u16, down: bool) {
        let step = if down { Control::Down } else { Control::Up };
        if let Overlay::Reader(_) = self.overlay {
            for _ in 0..3 {
                self.step_overlay_or_pane(step.clone());
            }
            return;
        }
        if !matches!(self.overlay, Overlay::None) {
            return;
        }
        if let Some(pane) = self.pane_at(column, row) {
            self.focus = pane;
            for _ in 0..3 {
                self.step_overlay_or_pane(step.clone());
            }
        }
    }
}
