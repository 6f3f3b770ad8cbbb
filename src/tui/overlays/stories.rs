//! The stories beside the store as a list (`:stories`): each with its
//! steps and how many are missing. Enter opens one (`:story NAME`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

use crate::tui::app::{App, Overlay};
use crate::tui::control::Control;
use crate::tui::widgets::frame::{draw_scrolled, popup_frame};
use crate::tui::widgets::text::fit;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoriesView {
    pub cursor: usize,
    /// Each story's missing steps, counted when the list opened.
    pub missing: Vec<usize>,
}

impl App {
    /// `:stories`: the list, or a word that there is none.
    pub(in crate::tui) fn open_stories(&mut self) {
        if self.stories.stories.is_empty() {
            self.status =
                Some("No stories yet: :story new NAME makes one of the marked events".into());
            return;
        }
        let missing = self
            .stories
            .stories
            .iter()
            .map(|s| {
                s.resolve(&self.model)
                    .iter()
                    .filter(|f| f.is_missing())
                    .count()
            })
            .collect();
        self.open(Overlay::Stories(StoriesView { cursor: 0, missing }));
    }

    pub(in crate::tui) fn step_stories(&mut self, control: Control) {
        let Overlay::Stories(v) = &mut self.overlay else {
            return;
        };
        let last = self.stories.stories.len().saturating_sub(1);
        match control {
            Control::Down => v.cursor = (v.cursor + 1).min(last),
            Control::Up => v.cursor = v.cursor.saturating_sub(1),
            Control::PageDown | Control::Bottom => v.cursor = last,
            Control::PageUp | Control::Top => v.cursor = 0,
            Control::Enter => {
                let at = v.cursor.min(last);
                if let Some(name) = self.stories.stories.get(at).map(|s| s.name.clone())
                    && let Err(e) = self.open_story(&name)
                {
                    self.status = Some(e);
                }
            }
            _ => {}
        }
    }
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let Overlay::Stories(v) = &app.overlay else {
        return;
    };
    let popup = area.centered(Constraint::Max(100), Constraint::Percentage(100));
    if popup.width < 20 || popup.height < 5 {
        return;
    }
    let all = &app.stories.stories;
    let title = format!(" Stories ({}) — Enter opens ", all.len());
    let inner = popup_frame(f, popup, Line::styled(title, theme.title()), theme);
    let w = inner.width as usize;
    let h = inner.height as usize;
    let first = v.cursor.saturating_sub(h.saturating_sub(1));
    let mut lines = Vec::new();
    for (i, s) in all.iter().enumerate().skip(first).take(h) {
        let missing = v.missing.get(i).copied().unwrap_or(0);
        let n = s.steps.len();
        let tail = match missing {
            0 => format!("  {n} step{}", if n == 1 { "" } else { "s" }),
            k => format!("  {n} steps, {k} missing"),
        };
        let room = w
            .saturating_sub(crate::tui::widgets::text::width(&tail))
            .max(8);
        let style = if i == v.cursor {
            theme.title().reversed()
        } else {
            theme.title()
        };
        lines.push(Line::from(vec![
            Span::styled(fit(&s.name, room), style),
            Span::styled(fit(&tail, w.saturating_sub(room)), theme.dim()),
        ]));
    }
    let items: Vec<usize> = (0..lines.len()).collect();
    draw_scrolled(f, inner, lines, &items, v.cursor - first, 0);
}
