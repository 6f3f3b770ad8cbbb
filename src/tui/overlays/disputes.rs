//! The disagreements of the store as a list (`:disputes`): each with how
//! many values, whether they contradict or can all hold, and the events it
//! is about. Enter opens one in the conflict view (this list comes back
//! when it closes).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

use crate::model::Ix;
use crate::tui::app::{App, Overlay};
use crate::tui::control::Control;
use crate::tui::overlays::conflict::ConflictView;
use crate::tui::widgets::frame::{draw_scrolled, popup_frame};
use crate::tui::widgets::text::fit;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DisputesView {
    /// The disagreements listed: all, or those about the events the
    /// filters show.
    pub conflicts: Vec<Ix>,
    /// Whether the filters narrowed the list.
    pub filtered: bool,
    pub cursor: usize,
    /// Rows drawn last time: what PgDn and PgUp move by.
    pub page: usize,
}

impl App {
    /// `:disputes`: the list, or a word that there is none.
    /// With filters on, the list has the disagreements about the events
    /// they show, as `annals disputes` with the same filters does.
    pub(in crate::tui) fn open_disputes(&mut self) {
        if self.model.conflicts.is_empty() {
            self.status = Some("No disagreements in this store".into());
            return;
        }
        let filtered = !self.chips.is_empty();
        let conflicts: Vec<Ix> = if filtered {
            crate::disputes::in_slice(&self.model, &self.visible)
                .iter()
                .map(|d| d.conflict)
                .collect()
        } else {
            (0..self.model.conflicts.len() as Ix).collect()
        };
        if conflicts.is_empty() {
            self.status = Some("No disagreement is about the events the filters show".into());
            return;
        }
        self.open(Overlay::Disputes(DisputesView {
            conflicts,
            filtered,
            cursor: 0,
            page: 1,
        }));
    }

    pub(in crate::tui) fn step_disputes(&mut self, control: Control) {
        let Overlay::Disputes(v) = &mut self.overlay else {
            return;
        };
        let n = v.conflicts.len();
        let last = n.saturating_sub(1);
        let page = v.page.max(1);
        match control {
            Control::Down => v.cursor = (v.cursor + 1).min(last),
            Control::Up => v.cursor = v.cursor.saturating_sub(1),
            Control::PageDown => v.cursor = (v.cursor + page).min(last),
            Control::PageUp => v.cursor = v.cursor.saturating_sub(page),
            Control::Top => v.cursor = 0,
            Control::Bottom => v.cursor = last,
            Control::Enter if n > 0 => {
                let conflict = v.conflicts[v.cursor.min(last)];
                self.open(Overlay::Conflict(ConflictView {
                    conflict,
                    cursor: 0,
                }));
            }
            _ => {}
        }
    }
}

/// One row's text: the name, then how the values stand and the events
/// (at under 70 columns only how they stand: the name is what is read).
fn row(app: &App, c: Ix, w: usize) -> (String, String) {
    let m = &app.model;
    let conflict = &m.conflicts[c as usize];
    let events = crate::disputes::events_of(m, c).len();
    let how = if conflict.compatible {
        "compatible"
    } else {
        "contradicting"
    };
    let tail = if w < 70 {
        format!("  {how}")
    } else {
        format!(
            "  {} values, {how}, {} event{}",
            conflict.claims.len(),
            events,
            if events == 1 { "" } else { "s" }
        )
    };
    (crate::disputes::name(m, c), tail)
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let Overlay::Disputes(v) = &app.overlay else {
        return;
    };
    let popup = area.centered(Constraint::Max(110), Constraint::Percentage(100));
    if popup.width < 20 || popup.height < 5 {
        return;
    }
    let n = v.conflicts.len();
    let title = if v.filtered {
        format!(
            " Disagreements about the events shown ({n} of {}) ",
            app.model.conflicts.len()
        )
    } else {
        format!(" Disagreements ({n}) ")
    };
    let inner = popup_frame(f, popup, Line::styled(title, theme.conflict()), theme);
    let list = inner;
    let w = list.width as usize;
    // Only the rows that can be on screen are made.
    let h = list.height as usize;
    let first = v.cursor.saturating_sub(h.saturating_sub(1));
    let shown: Vec<usize> = (first..n.min(first + h)).collect();
    let mut lines = Vec::with_capacity(shown.len());
    for &i in &shown {
        let c = v.conflicts[i] as usize;
        let (name, tail) = row(app, c as Ix, w);
        let compatible = app.model.conflicts[c].compatible;
        let mark = if compatible { "≈ " } else { "! " };
        let room = w.saturating_sub(2 + crate::tui::widgets::text::width(&tail));
        let name_style = if i == v.cursor {
            theme.title().reversed()
        } else {
            theme.title()
        };
        lines.push(Line::from(vec![
            Span::styled(
                mark,
                if compatible {
                    theme.dim()
                } else {
                    theme.conflict()
                },
            ),
            Span::styled(fit(&name, room.max(8)), name_style),
            Span::styled(fit(&tail, w.saturating_sub(room.max(8) + 2)), theme.dim()),
        ]));
    }
    let item_lines: Vec<usize> = (0..lines.len()).collect();
    // The keys are in the key bar below.
    let cursor = v.cursor - first;
    draw_scrolled(f, list, lines, &item_lines, cursor, 0);
    if let Overlay::Disputes(v) = &mut app.overlay {
        v.page = h.max(1);
    }
}
