//! The reader: a whole article over the panes, scrolled to a quote, every
//! quote taken from it highlighted and the current one marked.

use crate::model::Ix;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::ops::Range;

use super::app::{App, Overlay};
use super::sources::source_label;
use super::text::{fit, layered, wrap};
use super::view::popup_frame;

/// The whole-article reader, scrolled to a quote.
pub struct Reader {
    pub source: Ix,
    /// Byte ranges of every quote taken from this article, in text order.
    pub quotes: Vec<Range<usize>>,
    pub current: usize,
    /// First line shown, of the wrapped text.
    pub scroll: usize,
    /// Scroll to the current quote at the next draw (wrapping depends on width).
    pub follow: bool,
    /// Set by drawing: wrapped line count and visible height.
    pub lines: usize,
    pub height: usize,
    /// The article wrapped at a width, kept while the width stays: a long
    /// article is not re-wrapped at every key.
    pub wrapped: Option<(usize, Vec<Range<usize>>)>,
}

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

impl App {
    /// Opens the reader over a source, at the quote `at` (or its first quote).
    pub fn open_reader(&mut self, source: Ix, at: Option<Range<usize>>) {
        let m = &self.model;
        let mut quotes: Vec<Range<usize>> = m
            .events_citing_source(source)
            .iter()
            .flat_map(|&e| m.event(e).evidence.iter())
            .filter(|q| q.source == source)
            .map(|q| q.span.clone())
            .collect();
        quotes.sort_by_key(|r| (r.start, r.end));
        quotes.dedup();
        let current = at
            .and_then(|a| quotes.iter().position(|q| *q == a))
            .unwrap_or(0);
        self.overlay = Overlay::Reader(Reader {
            source,
            quotes,
            current,
            scroll: 0,
            follow: true,
            lines: 0,
            height: 0,
            wrapped: None,
        });
    }
}
