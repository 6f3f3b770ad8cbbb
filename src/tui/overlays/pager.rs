//! Scrolling for the overlays that show text: help, details, actor views.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::control::Control;

/// Where a scrolled text stands. Drawing sets `lines` and `height`, so keys
/// know how far they may go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pager {
    pub scroll: usize,
    pub lines: usize,
    pub height: usize,
}

impl Pager {
    fn max(&self) -> usize {
        self.lines.saturating_sub(self.height.max(1))
    }

    /// Applies a movement key; false when `control` is not one. Before the
    /// first draw the size is unknown: the key is kept, and drawing clamps
    /// it (G typed right after opening goes to the end).
    pub fn step(&mut self, control: &Control) -> bool {
        let page = self.height.max(2) - 1;
        self.scroll = match control {
            Control::Down => self.scroll.saturating_add(1),
            Control::Up => self.scroll.saturating_sub(1),
            Control::PageDown => self.scroll.saturating_add(page),
            Control::PageUp => self.scroll.saturating_sub(page),
            Control::Top => 0,
            Control::Bottom => usize::MAX,
            _ => return false,
        };
        if self.height > 0 {
            self.scroll = self.scroll.min(self.max());
        }
        true
    }

    /// Draws the part of `lines` in view and remembers the sizes.
    pub fn draw(&mut self, f: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
        self.lines = lines.len();
        self.height = area.height as usize;
        self.scroll = self.scroll.min(self.max());
        let shown: Vec<Line<'static>> = lines
            .into_iter()
            .skip(self.scroll)
            .take(self.height)
            .collect();
        f.render_widget(Paragraph::new(shown), area);
    }

    /// "lines 1–20 of 45", or nothing when everything fits.
    pub fn position(&self) -> Option<String> {
        (self.lines > self.height).then(|| {
            format!(
                "lines {}–{} of {}",
                self.scroll + 1,
                (self.scroll + self.height).min(self.lines),
                self.lines
            )
        })
    }
}
