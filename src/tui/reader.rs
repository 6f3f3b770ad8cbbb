//! The reader: a whole article over the panes, scrolled to a quote, every
//! quote taken from it highlighted and the current one marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Overlay};
use super::sources::source_label;
use super::text::{fit, layered, wrap};
use super::view::popup_frame;

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let model = std::sync::Arc::clone(&app.model);
    let Overlay::Reader(r) = &mut app.overlay else {
        return;
    };
    let popup = area.inner(ratatui::layout::Margin::new(2, 1));
    if popup.width < 10 || popup.height < 5 {
        return;
    }
    let s = model.source(r.source);
    let mut title = vec![Span::styled(
        fit(
            &format!(" {} ", s.title),
            popup.width.saturating_sub(4) as usize,
        ),
        theme.title(),
    )];
    if s.is_sponsored() {
        title.push(Span::styled(" SPONSORED ", theme.sponsored().reversed()));
    }
    let inner = popup_frame(f, popup, Line::from(title), theme);
    let [meta_area, text_area, keys_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    f.render_widget(
        Paragraph::new(fit(&source_label(&app.model, s), meta_area.width as usize))
            .style(theme.dim()),
        meta_area,
    );

    let width = text_area.width.saturating_sub(1).max(1) as usize;
    if r.wrapped.as_ref().is_none_or(|(w, _)| *w != width) {
        r.wrapped = Some((width, wrap(&s.text, width)));
    }
    let wrapped = r.wrapped.as_ref().map_or(&[][..], |(_, lines)| &lines[..]);
    r.lines = wrapped.len();
    r.height = text_area.height as usize;
    if r.follow {
        if let Some(q) = r.quotes.get(r.current) {
            let line = wrapped.iter().position(|l| l.end > q.start).unwrap_or(0);
            r.scroll = line.saturating_sub(3);
        }
        r.follow = false;
    }
    r.scroll = r.scroll.min(r.lines.saturating_sub(r.height.max(1)));
    let current: Vec<_> = r.quotes.get(r.current).cloned().into_iter().collect();
    let underline = theme.text().underlined();
    let strong = theme.highlight().reversed();
    let lines: Vec<Line<'static>> = wrapped
        .iter()
        .skip(r.scroll)
        .take(r.height)
        .map(|l| {
            // Every quote underlined; the current one highlighted.
            Line::from(layered(
                &s.text,
                l.clone(),
                &[(&r.quotes, underline), (&current, strong)],
                theme.text(),
            ))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), text_area);
    let pos = if r.quotes.is_empty() {
        "no quotes from this article".to_string()
    } else {
        format!("quote {}/{}", r.current + 1, r.quotes.len())
    };
    let keys = format!(
        "{pos} · n/N next/previous quote · j/k PgUp/PgDn scroll · Esc close · line {}/{}",
        (r.scroll + 1).min(r.lines),
        r.lines
    );
    f.render_widget(
        Paragraph::new(fit(&keys, keys_area.width as usize)).style(theme.dim()),
        keys_area,
    );
}
