//! The reader: a whole article over the panes, scrolled to a quote, every
//! quote taken from it highlighted and the current one marked.

use crate::evidence::coverage::{Reason, Unused};
use crate::model::{Ix, Model};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::ops::Range;

use crate::tui::app::{App, Overlay};
use crate::tui::control::Control;
use crate::tui::overlays::selection::{Move, Selection, byte_at_column, sentence_from};
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
    /// The passage selected (`v`, a mouse drag), to quote.
    pub selection: Option<Selection>,
    /// The article's sentences, found at the first selection key.
    pub sentences: Option<Vec<Range<usize>>>,
    /// Where the text was drawn, for the mouse.
    pub text_area: Rect,
    /// Where the mouse was pressed in the text: a drag selects from there.
    pub drag_from: Option<usize>,
    /// Sentences no quote touches that hold a date, a number or a stored
    /// actor's name, in text order; `u` steps through them.
    pub unused: Vec<Unused>,
    /// The one `u` went to last.
    pub on_unused: Option<usize>,
    /// The share of the article quoted, in percent.
    pub percent: f64,
}

/// A find in the article: what was typed and where it occurs.
pub struct Find {
    pub input: Input,
    /// Still typing: keys are text until Enter.
    pub typing: bool,
    pub matches: Vec<Range<usize>>,
    pub current: usize,
}

/// Words of a selection counted for the key bar, at most: drawing stays
/// bounded however much is selected.
const MAX_COUNTED: usize = 10_000;

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
                self.on_unused = None;
                self.current = (self.current + 1) % self.quotes.len();
                self.follow = true;
            }
            Control::PrevQuote if !self.quotes.is_empty() => {
                self.on_unused = None;
                self.current = (self.current + self.quotes.len() - 1) % self.quotes.len();
                self.follow = true;
            }
            _ => {}
        }
        None
    }

    /// A selection key: starts the selection (at the current quote when
    /// it is on screen, else at the first sentence shown) or moves it.
    pub fn select(&mut self, mv: Move, text: &str) -> Option<String> {
        let sentences = self
            .sentences
            .get_or_insert_with(|| crate::tui::overlays::selection::sentences(text));
        if mv == Move::Start {
            let shown = self.wrapped.as_ref().map(|(_, l)| {
                let top = l.get(self.scroll).map_or(0, |r| r.start);
                let bottom = l
                    .get(self.scroll + self.height.max(1) - 1)
                    .or(l.last())
                    .map_or(text.len(), |r| r.end);
                top..bottom
            });
            let shown = shown.unwrap_or(0..text.len());
            let quote = self.quotes.get(self.current).filter(|q| {
                q.start >= shown.start && q.start < shown.end && !text[(*q).clone()].is_empty()
            });
            // The sentence `u` went to, else the current quote, when shown.
            let unused = self.on_unused.and_then(|i| self.unused.get(i));
            let unused = unused.filter(|u| u.span.start >= shown.start && u.span.start < shown.end);
            let span = (unused.map(|u| u.span.clone()))
                .or_else(|| quote.cloned())
                .or_else(|| sentence_from(sentences, shown.start));
            return match span {
                Some(span) => {
                    self.selection = Some(Selection::new(span));
                    None
                }
                None => Some("Nothing here to select".into()),
            };
        }
        let Some(sel) = &mut self.selection else {
            return Some("No passage selected: v starts a selection".into());
        };
        if sel.step(mv, text, sentences) {
            None
        } else {
            Some(
                match mv {
                    Move::WordBack | Move::StartForward => "One word is the least selected",
                    Move::SentenceBack => "No sentence ends inside the selection",
                    _ => "The article ends there",
                }
                .into(),
            )
        }
    }

    /// The byte drawn at a screen cell, and the wrapped line it is on.
    pub fn byte_at(&self, column: u16, row: u16, text: &str) -> Option<(usize, Range<usize>)> {
        let a = self.text_area;
        if row < a.y || row >= a.y + a.height || column < a.x || a.width == 0 {
            return None;
        }
        let lines = &self.wrapped.as_ref()?.1;
        let line = lines.get(self.scroll + usize::from(row - a.y))?.clone();
        let col = usize::from(column - a.x);
        Some((byte_at_column(text, line.clone(), col), line))
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

/// What an unused sentence holds, in words: "a date, a number and the
/// name of Niger junta".
fn reasons(model: &Model, reasons: &[Reason]) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for r in reasons {
        match r {
            Reason::Date => words.push("a date".into()),
            Reason::Number => words.push("a number".into()),
            Reason::Actor(a) if names.len() < 4 => names.push(model.actor(*a).name.to_string()),
            Reason::Actor(_) => {}
        }
    }
    if !names.is_empty() {
        words.push(format!("the name of {}", names.join(", ")));
    }
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => words.concat(),
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
    let share = format!(" {:.0}% quoted ", r.percent);
    let mut title = vec![
        Span::styled(
            fit(
                &format!(" {} ", s.title),
                (popup.width as usize).saturating_sub(4 + share.len()),
            ),
            theme.title(),
        ),
        Span::styled(share, theme.dim()),
    ];
    if s.is_sponsored() {
        title.push(Span::styled(" SPONSORED ", theme.sponsored().reversed()));
    }
    let inner = popup_frame(f, popup, Line::from(title), theme);
    let url_rows = u16::from(s.url.is_some() && inner.height >= 8);
    let sel_rows = u16::from(r.selection.is_some() && inner.height >= 6);
    let [meta_area, url_area, text_area, sel_area, keys_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(url_rows),
        Constraint::Fill(1),
        Constraint::Length(sel_rows),
        Constraint::Length(1),
    ])
    .areas(inner);
    if let Some(sel) = &r.selection {
        // Cut to the width before it is copied: a selection may be long.
        let shown = fit(sel.text(&s.text), sel_area.width.saturating_sub(2) as usize);
        f.render_widget(
            Paragraph::new(format!("“{shown}”")).style(theme.selected()),
            sel_area,
        );
    }
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

    // A gutter marks the lines of sentences not quoted yet, where there is
    // room for one.
    let gutter_cols = if text_area.width >= 24 { 2 } else { 0 };
    let [gutter, text_area] =
        Layout::horizontal([Constraint::Length(gutter_cols), Constraint::Fill(1)]).areas(text_area);
    let width = text_area.width.saturating_sub(1).max(1) as usize;
    if r.wrapped.as_ref().is_none_or(|(w, _)| *w != width) {
        r.wrapped = Some((width, wrap(&s.text, width)));
    }
    let wrapped = r.wrapped.as_ref().map_or(&[][..], |(_, lines)| &lines[..]);
    r.lines = wrapped.len();
    r.height = text_area.height as usize;
    r.text_area = text_area;
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
    let selected: Vec<Range<usize>> = r.selection.iter().map(|s| s.span.clone()).collect();
    let shown = &wrapped[r.scroll.min(wrapped.len())..(r.scroll + r.height).min(wrapped.len())];
    let (from, to) = (
        shown.first().map_or(0, |l| l.start),
        shown.last().map_or(0, |l| l.end),
    );
    // Only the unused sentences on screen: drawing stays bounded.
    let first = r.unused.partition_point(|u| u.span.end <= from);
    let last = r.unused.partition_point(|u| u.span.start < to);
    let unused_here = &r.unused[first..last.max(first)];
    let unused: Vec<Range<usize>> = unused_here.iter().map(|u| u.span.clone()).collect();
    let marks: Vec<Line<'static>> = shown
        .iter()
        .map(|l| {
            let at = unused_here
                .iter()
                .position(|u| u.span.start < l.end && u.span.end > l.start);
            match at {
                Some(i) if r.on_unused == Some(first + i) => Line::styled("▶", theme.date()),
                Some(_) => Line::styled("·", theme.date()),
                None => Line::raw(""),
            }
        })
        .collect();
    f.render_widget(Paragraph::new(marks), gutter);
    let lines: Vec<Line<'static>> = shown
        .iter()
        .map(|l| {
            // Every quote underlined; the current one highlighted; the
            // sentences not quoted yet in italics.
            Line::from(layered(
                &s.text,
                l.clone(),
                &[
                    (&unused, theme.text().italic()),
                    (&r.quotes, underline),
                    (&current, strong),
                    (found, theme.highlight()),
                    (&found_now, theme.current_quote()),
                    (&selected, theme.selected()),
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
        None if r.selection.is_some() => {
            let words = r.selection.as_ref().map_or(0, |sel| {
                use unicode_segmentation::UnicodeSegmentation;
                sel.text(&s.text)
                    .unicode_words()
                    .take(MAX_COUNTED + 1)
                    .count()
            });
            let more = if words > MAX_COUNTED { "+" } else { "" };
            let words = words.min(MAX_COUNTED);
            format!(
                "{words}{more} word{} selected · + quote it on the selected event · e new event · w/b end ±word · B/W start ±word · )/( end ±sentence · Esc clears · {line_pos}",
                if words == 1 { "" } else { "s" }
            )
        }
        None => format!(
            "{pos} · n/N next/previous quote · v select · / find · y copy quote · j/k PgUp/PgDn scroll · Esc/q close · {line_pos}"
        ),
    };
    f.render_widget(
        Paragraph::new(fit(&keys, keys_area.width as usize)).style(theme.dim()),
        keys_area,
    );
}

impl App {
    /// The coverage of one source of the model shown, kept for the last
    /// source read: one source's work (its text, the store's quotes and
    /// actor names), not the whole store's.
    fn coverage(
        &mut self,
        source: Ix,
    ) -> std::sync::Arc<crate::evidence::coverage::SourceCoverage> {
        let key = std::sync::Arc::as_ptr(&self.model) as usize;
        match &self.coverage {
            Some((k, s, c)) if *k == key && *s == source => std::sync::Arc::clone(c),
            _ => {
                let c = crate::evidence::coverage::of_source(&self.model, source);
                let c = std::sync::Arc::new(c);
                self.coverage = Some((key, source, std::sync::Arc::clone(&c)));
                c
            }
        }
    }

    /// `u` in the reader: the next sentence not quoted yet that holds a
    /// date, a number or an actor's name, and why.
    pub(crate) fn next_unused(&mut self) {
        let model = std::sync::Arc::clone(&self.model);
        let Overlay::Reader(r) = &mut self.overlay else {
            return;
        };
        if r.unused.is_empty() {
            self.status = Some(
                "No sentence here holds a date, a number or an actor's name that no event quotes"
                    .into(),
            );
            return;
        }
        let i = r.on_unused.map_or(0, |i| (i + 1) % r.unused.len());
        r.on_unused = Some(i);
        let at = r.unused[i].span.start;
        if let Some((_, lines)) = &r.wrapped {
            r.scroll = lines.partition_point(|l| l.end <= at).saturating_sub(3);
        }
        let why = reasons(&model, &r.unused[i].reasons);
        self.status = Some(format!(
            "Not quoted yet ({}/{}): holds {why}; v selects it",
            i + 1,
            r.unused.len()
        ));
    }

    /// A selection key in the reader.
    pub(crate) fn select_passage(&mut self, mv: Move) {
        let model = std::sync::Arc::clone(&self.model);
        if let Overlay::Reader(r) = &mut self.overlay {
            self.status = r.select(mv, &model.source(r.source).text);
        }
    }

    /// Opens the reader over a source, at the quote `at` (or its first quote).
    pub fn open_reader(&mut self, source: Ix, at: Option<Range<usize>>) {
        let cov = self.coverage(source);
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
            selection: None,
            sentences: None,
            text_area: Rect::default(),
            drag_from: None,
            unused: cov.unused.clone(),
            on_unused: None,
            percent: cov.percent(),
        }));
    }
}
