//! The mouse: a click focuses a pane and selects a row; the wheel scrolls.

use ratatui::layout::Position;

use crate::tui::app::{App, Overlay, Pane};
use crate::tui::control::Control;

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
