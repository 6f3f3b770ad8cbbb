//! The help overlay (`?`): every key, from the one table of keys
//! (`tui::keys::table`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, Overlay};
use crate::tui::keys::keymap::Keymap;
use crate::tui::keys::table::KEYS;
use crate::tui::theme::Theme;
use crate::tui::widgets::frame::popup_frame;
use crate::tui::widgets::text::{width, wrap};

fn section_lines(app: &App, w: usize) -> Vec<Vec<Line<'static>>> {
    section_lines_with(app.theme, &app.keys, w)
}

/// The help's lines, a list per section; the rows of rebindable keys show
/// the keys bound now (`Keymap::row_keys`).
fn section_lines_with(theme: Theme, bound: &Keymap, w: usize) -> Vec<Vec<Line<'static>>> {
    let mut out: Vec<Vec<Line<'static>>> = Vec::new();
    let mut section = "";
    for row in KEYS {
        let (sec, what) = (row.section, row.what);
        let keys = bound.row_keys(row);
        if sec != section {
            out.push(vec![Line::styled(sec, theme.heading())]);
            section = sec;
        }
        if let Some(cur) = out.last_mut() {
            // Keys too wide for their column get a line of their own, so
            // they never run into what they do.
            let alone = width(&keys) > 18;
            if alone {
                cur.push(Line::styled(format!("  {keys}"), theme.key()));
            }
            // Wrapped under its column, never cut.
            let rows = wrap(what, w.saturating_sub(22).max(1));
            for (i, r) in rows.into_iter().enumerate() {
                let keys = if i == 0 && !alone {
                    format!(
                        "  {keys}{}",
                        " ".repeat(20usize.saturating_sub(width(&keys)))
                    )
                } else {
                    " ".repeat(22)
                };
                cur.push(Line::from(vec![
                    Span::styled(keys, theme.key()),
                    Span::raw(what[r].trim_end().to_string()),
                ]));
            }
        }
    }
    out
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let popup = area.centered(
        Constraint::Max(150),
        Constraint::Max(KEYS.len() as u16 + 12),
    );
    if popup.width < 20 || popup.height < 5 {
        return;
    }
    let inner = popup_frame(
        f,
        popup,
        Line::styled(" Keys · j/k scroll · Esc or q closes ", theme.title()),
        theme,
    );
    let [text, foot] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let total: usize = section_lines(app, (text.width as usize).div_ceil(2))
        .iter()
        .map(|s| s.len() + 1)
        .sum();
    // Two columns when one would not fit and two do; else one that scrolls.
    let two =
        text.height as usize * 2 > total && (text.height as usize) < total && text.width >= 100;
    let Overlay::Help(pager) = &mut app.overlay else {
        return;
    };
    if !two {
        let sections = section_lines_with(theme, &app.keys, text.width as usize);
        let mut lines: Vec<Line<'static>> = Vec::new();
        for sec in sections {
            if !lines.is_empty() {
                lines.push(Line::raw(""));
            }
            lines.extend(sec);
        }
        pager.draw(f, text, lines);
        let more = pager.position().unwrap_or_default();
        f.render_widget(Paragraph::new(more).style(theme.dim()), foot);
        return;
    }
    let cols: Vec<Rect> = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
        .spacing(2)
        .split(text)
        .to_vec();
    let sections = section_lines_with(theme, &app.keys, cols[0].width as usize);
    let per_col = total.div_ceil(cols.len());
    let mut col = 0;
    let mut lines: Vec<Line<'static>> = Vec::new();
    for sec in sections {
        if col + 1 < cols.len() && lines.len() + sec.len() > per_col {
            f.render_widget(Paragraph::new(std::mem::take(&mut lines)), cols[col]);
            col += 1;
        }
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.extend(sec);
    }
    f.render_widget(Paragraph::new(lines), cols[col]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_run_into_what_they_do() {
        let lines = section_lines_with(Theme::default(), &Keymap::default(), 80);
        let text: Vec<String> = lines
            .iter()
            .flatten()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        for row in KEYS {
            // The keys whole, then at least two spaces or nothing.
            let shown = text.iter().any(|t| {
                t.strip_prefix("  ")
                    .and_then(|t| t.strip_prefix(row.keys))
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with("  "))
            });
            assert!(shown, "{} {:?} runs into its text", row.section, row.keys);
        }
    }
}
