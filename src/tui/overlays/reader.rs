//! The reader: a whole article over the panes, scrolled to a quote, every
//! quote taken from it highlighted and the current one marked.

use crate::model::Ix;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::ops::Range;

use crate::tui::app::{App, Overlay};
use crate::tui::control::Control;
use crate::tui::panes::sources::source_label;
use crate::tui::widgets::frame::popup_frame;
use crate::tui::widgets::text::{fit, layered, wrap};
use tui_input::Input;

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
    /// `/` in the reader: words found in the article; n/N move over them.
    pub find: Option<Find>,
}

/// A find in the article: what was typed and where it occurs.
pub struct Find {
    pub input: Input,
    /// Still typing: keys are text until Enter.
    pub typing: bool,
    pub matches: Vec<Range<usize>>,
    pub current: usize,
}

/// Matches kept per find: enough to step through, bounded for any article.
const MAX_MATCHES: usize = 10_000;

/// Where `needle` occurs in `text`, ignoring ASCII case, in one pass.
fn occurrences(text: &str, needle: &str) -> Vec<Range<usize>> {
    if needle.trim().is_empty() {
        return Vec::new();
    }
    let Ok(ac) = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([needle])
    else {
        return Vec::new();
    };
    ac.find_iter(text)
        .take(MAX_MATCHES)
        .map(|m| m.range())
        .collect()
}

impl Reader {
    /// Applies a key; returns what the status line should say, if anything.
    pub fn step(&mut self, control: &Control, text: &str) -> Option<String> {
        let page = self.height.max(2) - 1;
        let max = self.lines.saturating_sub(self.height.max(1));
        match control {
            Control::Enter => {
                if let Some(f) = &mut self.find {
                    f.typing = false;
                    // The first match from the top of the view, not after it.
                    let top = self.wrapped.as_ref().and_then(|(_, l)| l.get(self.scroll));
                    let from = top.map_or(0, |l| l.start);
                    let first = f.matches.partition_point(|m| m.start < from);
                    f.current = if first < f.matches.len() { first } else { 0 };
                    return self.show_match(text);
                }
            }
            Control::Down => self.scroll = (self.scroll + 1).min(max),
            Control::Up => self.scroll = self.scroll.saturating_sub(1),
            Control::PageDown => self.scroll = (self.scroll + page).min(max),
            Control::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Control::Top => self.scroll = 0,
            Control::Bottom => self.scroll = max,
            Control::NextQuote if self.find.is_some() => return self.next_match(text, true),
            Control::PrevQuote if self.find.is_some() => return self.next_match(text, false),
            Control::NextQuote if !self.quotes.is_empty() => {
                self.current = (self.current + 1) % self.quotes.len();
                self.follow = true;
            }
            Control::PrevQuote if !self.quotes.is_empty() => {
                self.current = (self.current + self.quotes.len() - 1) % self.quotes.len();
                self.follow = true;
            }
            _ => {}
        }
        None
    }

    /// `/`: starts a new find.
    pub fn start_find(&mut self) {
        self.find = Some(Find {
            input: Input::default(),
            typing: true,
            matches: Vec::new(),
            current: 0,
        });
    }

    /// The typed words changed: find them again.
    pub fn find_again(&mut self, text: &str) {
        if let Some(f) = &mut self.find {
            f.matches = occurrences(text, f.input.value());
            f.current = 0;
        }
    }

    /// Moves to the next (or previous) match and scrolls to it.
    fn next_match(&mut self, text: &str, forward: bool) -> Option<String> {
        let f = self.find.as_mut()?;
        let n = f.matches.len();
        if n > 0 {
            f.current = if forward {
                (f.current + 1) % n
            } else {
                (f.current + n - 1) % n
            };
        }
        self.show_match(text)
    }

    /// Scrolls to the current match; says so when there is none.
    fn show_match(&mut self, text: &str) -> Option<String> {
        let f = self.find.as_ref()?;
        if f.matches.is_empty() {
            return Some(format!("Not in this article: {}", f.input.value()));
        }
        let at = f.matches[f.current].start;
        let line = self.wrapped.as_ref().map_or(0, |(_, lines)| {
            lines.iter().position(|l| l.end > at).unwrap_or(0)
        });
        self.scroll = line.saturating_sub(3);
        let _ = text;
        None
    }
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let model = std::sync::Arc::clone(&app.model);
    let Overlay::Reader(r) = &mut app.overlay else {
        return;
    };
    // The margin around the frame is cleared too: no column of the pane
    // behind shows beside the article (as if it were part of it).
    f.render_widget(ratatui::widgets::Clear, area);
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
    let url_rows = u16::from(s.url.is_some() && inner.height >= 8);
    let [meta_area, url_area, text_area, keys_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(url_rows),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    f.render_widget(
        Paragraph::new(fit(&source_label(&app.model, s), meta_area.width as usize))
            .style(theme.dim()),
        meta_area,
    );
    if let Some(url) = &s.url {
        f.render_widget(
            Paragraph::new(fit(url, url_area.width as usize)).style(theme.dim()),
            url_area,
        );
    }

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
    let strong = theme.current_quote();
    let (found, found_now): (&[Range<usize>], Vec<Range<usize>>) = match &r.find {
        Some(f) => (
            &f.matches,
            f.matches.get(f.current).cloned().into_iter().collect(),
        ),
        None => (&[], Vec::new()),
    };
    let lines: Vec<Line<'static>> = wrapped
        .iter()
        .skip(r.scroll)
        .take(r.height)
        .map(|l| {
            // Every quote underlined; the current one highlighted.
            Line::from(layered(
                &s.text,
                l.clone(),
                &[
                    (&r.quotes, underline),
                    (&current, strong),
                    (found, theme.highlight()),
                    (&found_now, theme.current_quote()),
                ],
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
    let line_pos = format!("line {}/{}", (r.scroll + 1).min(r.lines), r.lines);
    let keys = match &r.find {
        Some(find) if find.typing => format!(
            "find: {}▏ · Enter to find · Esc cancels",
            find.input.value()
        ),
        Some(find) => format!(
            "“{}”: {} · n/N next/previous match · Esc ends the find · {line_pos}",
            find.input.value(),
            if find.matches.is_empty() {
                "not found".to_string()
            } else {
                format!("match {}/{}", find.current + 1, find.matches.len())
            }
        ),
        None => format!(
            "{pos} · n/N next/previous quote · / find · y copy quote · j/k PgUp/PgDn scroll · Esc/q close · {line_pos}"
        ),
    };
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
        // A quote that backs a claim, not an event, joins the list.
        if let Some(a) = &at
            && quotes
                .binary_search_by_key(&(a.start, a.end), |r| (r.start, r.end))
                .is_err()
        {
            quotes.push(a.clone());
            quotes.sort_by_key(|r| (r.start, r.end));
        }
        let current = at
            .and_then(|a| quotes.iter().position(|q| *q == a))
            .unwrap_or(0);
        self.open(Overlay::Reader(Reader {
            source,
            quotes,
            current,
            scroll: 0,
            follow: true,
            lines: 0,
            height: 0,
            wrapped: None,
            find: None,
        }));
    }
}
