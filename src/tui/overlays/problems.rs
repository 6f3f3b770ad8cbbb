//! The problems of a store that does not load: each with its line and
//! column, Enter opens the editor there. After an edit the explorer keeps
//! showing the last version that loaded; a store that never loaded opens
//! on this list, empty behind it, until a save makes it load.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::store::load::LoadError;
use crate::tui::app::{App, Overlay};
use crate::tui::control::Control;
use crate::tui::term::editor::EditRequest;
use crate::tui::widgets::frame::{draw_scrolled, popup_frame};
use crate::tui::widgets::text::{fit, safe, wrap};

/// Rows a line of a message may wrap onto (a line of the store quoted in
/// it can be long).
const MAX_WRAPPED: usize = 8;

/// Problems listed; the rest are counted (a broken file may have thousands).
const MAX_LISTED: usize = 500;

pub struct ProblemsView {
    pub error: LoadError,
    pub cursor: usize,
}

impl App {
    /// A reload failed: say so and list why, keeping the last good model.
    pub fn show_problems(&mut self, error: LoadError) {
        let n = error.problem_count();
        let plural = if n == 1 { "" } else { "s" };
        self.status = Some(if self.broken {
            format!(
                "{} has {n} problem{plural} and did not load: Enter on one opens the editor there; saving reloads",
                error.file
            )
        } else {
            format!(
                "{} has {n} problem{plural}: showing the last version that loaded (Esc closes the list)",
                error.file
            )
        });
        self.problems = Some(error.clone());
        self.overlay = Overlay::Problems(ProblemsView { error, cursor: 0 });
        self.behind.clear();
    }

    /// `:problems`: the list again, while the store still does not load.
    pub fn reopen_problems(&mut self) -> Result<(), String> {
        let error = self
            .problems
            .clone()
            .ok_or("the store loads: it has no problems to list")?;
        self.overlay = Overlay::Problems(ProblemsView { error, cursor: 0 });
        self.behind.clear();
        Ok(())
    }

    pub(in crate::tui) fn step_problems(&mut self, control: Control) {
        let Overlay::Problems(v) = &mut self.overlay else {
            return;
        };
        let last = v.error.diagnostics.len().min(MAX_LISTED).saturating_sub(1);
        match control {
            Control::Down => v.cursor = (v.cursor + 1).min(last),
            Control::Up => v.cursor = v.cursor.saturating_sub(1),
            Control::PageDown => v.cursor = (v.cursor + 10).min(last),
            Control::PageUp => v.cursor = v.cursor.saturating_sub(10),
            Control::Top => v.cursor = 0,
            Control::Bottom => v.cursor = last,
            Control::Enter => {
                if let (Some(d), Some(path)) =
                    (v.error.diagnostics.get(v.cursor), self.store_path.clone())
                {
                    self.edit = Some(EditRequest {
                        path,
                        line: d.line.max(1),
                        column: d.column.max(1),
                        note: None,
                        story: None,
                    });
                }
            }
            _ => {}
        }
    }
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let Overlay::Problems(v) = &app.overlay else {
        return;
    };
    let popup = area.centered(Constraint::Max(120), Constraint::Percentage(100));
    if popup.width < 20 || popup.height < 5 {
        return;
    }
    let inner = popup_frame(
        f,
        popup,
        Line::styled(" The store does not load ", theme.error()),
        theme,
    );
    let hint = if app.broken {
        "j/k choose · Enter open the editor there · Esc or q close (:problems reopens)"
    } else {
        "j/k choose · Enter open the editor there · Esc or q close (the last good version stays)"
    };
    let hint_rows = wrap(hint, inner.width as usize).len().clamp(1, 2) as u16;
    let [list, keys] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(hint_rows)]).areas(inner);
    let w = list.width as usize;
    let mut lines = Vec::new();
    let mut items = Vec::new();
    for (i, d) in v.error.diagnostics.iter().take(MAX_LISTED).enumerate() {
        items.push(lines.len());
        let selected = i == v.cursor;
        let head = format!("{}:{}:{}", v.error.file, d.line, d.column);
        let line = Line::from(vec![
            Span::raw(if selected { "› " } else { "  " }),
            Span::styled(fit(&head, w.saturating_sub(2)), theme.key()),
        ]);
        lines.push(if selected {
            line.style(theme.selected())
        } else {
            line
        });
        // Wrapped, not cut: "did you mean" comes at the end of a line.
        let inner = w.saturating_sub(4).max(1);
        for part in d.message.lines().take(6) {
            for r in wrap(part, inner).into_iter().take(MAX_WRAPPED) {
                lines.push(Line::raw(format!("    {}", safe(part[r].trim_end()))));
            }
        }
    }
    let more = v
        .error
        .problem_count()
        .saturating_sub(v.error.diagnostics.len().min(MAX_LISTED));
    if more > 0 {
        lines.push(Line::styled(format!("  … and {more} more"), theme.dim()));
    }
    draw_scrolled(f, list, lines, &items, v.cursor, 3);
    f.render_widget(
        Paragraph::new(hint)
            .style(theme.dim())
            .wrap(ratatui::widgets::Wrap { trim: true }),
        keys,
    );
}
