//! The timeline pane: events under year and month headings, with markers,
//! and a density strip of events per month. Only the rows on screen are
//! built, so a million events draw as fast as thirty.

use crate::evidence::date::{PartialDate, year_text};
use crate::tui::control::Control;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::{Ix, Model};
use crate::tui::app::App;
use crate::tui::widgets::text::{fit, safe, width, wrap};

use crate::evidence::date::MONTH_NAMES as MONTHS;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimelineState {
    /// Index into `App::visible` of the selected event.
    pub cursor: usize,
    /// Index into `App::visible` of the first event drawn.
    pub top: usize,
    /// Rows the list had at the last draw (for paging).
    pub height: usize,
}

/// Events per month over the store's whole span, for the density strip;
/// over a span of more than `MAX_BUCKETS` months (10,000 years), per run
/// of `step` months, so its size never follows the years a store spans.
#[derive(Clone, Debug, Default)]
pub struct Density {
    pub first_year: i32,
    pub last_year: i32,
    /// Months per count (at least 1).
    pub step: i64,
    pub counts: Vec<u32>,
}

/// The most counts the density strip keeps.
const MAX_BUCKETS: i64 = 120_000;

impl Density {
    pub fn month_index(&self, d: PartialDate) -> usize {
        let months = (i64::from(d.year) - i64::from(self.first_year)) * 12
            + i64::from(d.month.unwrap_or(1))
            - 1;
        (months / self.step.max(1)).clamp(0, self.counts.len().saturating_sub(1) as i64) as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    /// A year, a year and month, or (`true`) the year's events whose month
    /// is not known, listed after some whose month is.
    Heading(i32, Option<u8>, bool),
    Event(usize),
}

fn group(m: &Model, e: Ix) -> (i32, Option<u8>) {
    m.event(e).date.year_month()
}

/// The rows shown from `top` down, at most `height`. The first row is
/// always a heading, so the period on screen is always named.
fn rows(m: &Model, visible: &[Ix], top: usize, height: usize) -> Vec<Row> {
    let mut out = Vec::with_capacity(height);
    let mut prev = None;
    let mut i = top;
    while out.len() < height && i < visible.len() {
        let g = group(m, visible[i]);
        if prev != Some(g) {
            // Undated months after dated ones of the same year: a group of
            // their own, not the year's heading again out of order.
            let unknown = g.1.is_none() && i > 0 && group(m, visible[i - 1]).0 == g.0;
            out.push(Row::Heading(g.0, g.1, unknown));
            prev = Some(g);
        }
        if out.len() < height {
            out.push(Row::Event(i));
        }
        i += 1;
    }
    out
}

/// Rows needed to show events `top..=cursor`, headings included.
fn rows_needed(m: &Model, visible: &[Ix], top: usize, cursor: usize) -> usize {
    let mut n = 0;
    let mut prev = None;
    for &e in &visible[top..=cursor] {
        let g = group(m, e);
        if prev != Some(g) {
            n += 1;
            prev = Some(g);
        }
        n += 1;
    }
    n
}

/// The first event to draw so that the cursor is on screen, moving as little as possible.
pub fn scroll_top(m: &Model, visible: &[Ix], top: usize, cursor: usize, height: usize) -> usize {
    if visible.is_empty() || height == 0 {
        return 0;
    }
    let cursor = cursor.min(visible.len() - 1);
    if cursor < top {
        return fill_screen(m, visible, cursor, height);
    }
    // Only the last `height` events can matter: each takes at least one row.
    let top = top.max(cursor.saturating_sub(height));
    if rows_needed(m, visible, top, cursor) <= height {
        return fill_screen(m, visible, top, height);
    }
    let mut t = cursor;
    while t > 0 && rows_needed(m, visible, t - 1, cursor) <= height {
        t -= 1;
    }
    t
}

/// `top`, moved up while the events from there to the last still fit:
/// after a filter leaves few events, none hides above an empty screen.
fn fill_screen(m: &Model, visible: &[Ix], top: usize, height: usize) -> usize {
    let last = visible.len() - 1;
    if last - top >= height {
        return top;
    }
    let mut t = top;
    while t > 0 && rows_needed(m, visible, t - 1, last) <= height {
        t -= 1;
    }
    t
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let strip = area.height >= 8;
    let below_list = if strip { 2 } else { 0 };
    // The selected event in full under the list, when there is room.
    let block = if area.height >= 16 {
        selected_block(app, area.width as usize)
    } else {
        Vec::new()
    };
    let block_h = if block.is_empty() {
        0
    } else {
        block.len() as u16 + 1
    };
    let list_h = (area.height - below_list - block_h) as usize;
    if block_h > 0 {
        let block_area = Rect {
            y: area.y + list_h as u16,
            height: block_h,
            ..area
        };
        let mut lines = vec![Line::styled(
            "╌".repeat(area.width as usize),
            app.theme.dim(),
        )];
        lines.extend(block);
        f.render_widget(Paragraph::new(lines), block_area);
    }
    let m = &app.model;
    let theme = app.theme;
    app.timeline.height = list_h;
    app.timeline.top = scroll_top(
        m,
        &app.visible,
        app.timeline.top,
        app.timeline.cursor,
        list_h,
    );
    if app.visible.is_empty() {
        let msg = if app.broken {
            "The store does not load. :problems lists why; Enter on a problem opens the editor there, and saving reloads."
        } else if m.events.is_empty() {
            "This store has no events."
        } else if app.text_waits.is_some() {
            "Indexing… the text filter is answered once the search index is ready."
        } else {
            "No events match the filters. Backspace removes the last filter, X clears all."
        };
        f.render_widget(
            Paragraph::new(msg)
                .style(theme.dim())
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let w = area.width as usize;
    let mut lines = Vec::with_capacity(list_h);
    for (r, row) in rows(m, &app.visible, app.timeline.top, list_h)
        .into_iter()
        .enumerate()
    {
        match row {
            Row::Heading(y, mo, unknown) => {
                let label = match mo {
                    Some(mo) => format!("── {} {} ", year_text(y), MONTHS[(mo - 1) as usize % 12]),
                    None if unknown => format!("── {}, month not known ", year_text(y)),
                    None => format!("── {} ", year_text(y)),
                };
                let fill = w.saturating_sub(width(&label));
                lines.push(Line::styled(
                    fit(&format!("{label}{}", "─".repeat(fill)), w),
                    theme.heading(),
                ));
            }
            Row::Event(i) => {
                app.areas.timeline_rows.push((area.y + r as u16, i));
                lines.push(event_line(app, i, w));
            }
        }
    }
    let list_area = Rect {
        height: list_h as u16,
        ..area
    };
    f.render_widget(Paragraph::new(lines), list_area);
    if strip {
        let strip_area = Rect {
            y: area.y + area.height - 2,
            height: 2,
            ..area
        };
        f.render_widget(Paragraph::new(density_lines(app, w)), strip_area);
    }
}

/// Lines of the block under the list: the selected event's whole title,
/// its date or span, how many origins back it, and which claims about it
/// sources dispute (the `!` of its row).
fn selected_block(app: &App, w: usize) -> Vec<Line<'static>> {
    let Some(e) = app.selected_event() else {
        return Vec::new();
    };
    let m = &app.model;
    let theme = app.theme;
    let ev = m.event(e);
    let mut lines: Vec<Line<'static>> = wrap(&ev.title, w.max(1))
        .into_iter()
        .take(2)
        .map(|r| Line::styled(safe(ev.title[r].trim_end()), theme.title()))
        .collect();
    let origins = m.event_origins(e);
    let mut facts = format!(
        "{} · {origins} independent origin{}",
        ev.when(),
        if origins == 1 { "" } else { "s" }
    );
    if m.rests_on_sponsored(e) {
        facts.push_str(" · $ sponsored only");
    }
    facts.push_str(" · i details");
    lines.push(Line::styled(fit(&facts, w), theme.dim()));
    let conflicts = m.conflicts_of_event(e);
    if !conflicts.is_empty() {
        let names: Vec<String> = conflicts
            .iter()
            .take(5)
            .map(|&c| crate::tui::overlays::conflict::conflict_name(m, c))
            .collect();
        lines.push(Line::styled(
            fit(&format!("! disputed: {}", names.join("; ")), w),
            theme.conflict(),
        ));
    }
    lines
}

/// Columns for the date and the space after it: the store's longest date,
/// so `~1903-11-03` and `[2024-03-15..2024-05]` never run into the title;
/// in a narrow pane at most a third of it, a longer date cut with `…`
/// (the block under the list shows it whole).
pub fn date_column(m: &Model, w: usize) -> usize {
    m.date_width.clamp(10, 30).min((w / 3).max(11)) + 1
}

fn event_line(app: &App, i: usize, w: usize) -> Line<'static> {
    let m = &app.model;
    let theme = app.theme;
    let e = app.visible[i];
    let ev = m.event(e);
    let selected = i == app.timeline.cursor;
    let col = date_column(m, w);
    let date = format!("{:<col$}", fit(&ev.when(), col - 1));
    let mut markers: Vec<Span<'static>> = Vec::new();
    markers.push(Span::styled(
        format!(" [{}]", m.event_origins(e)),
        theme.dim(),
    ));
    let conflict = !m.conflicts_of_event(e).is_empty();
    markers.push(Span::styled(
        if conflict { " !" } else { "  " },
        theme.conflict(),
    ));
    let sponsored = m.rests_on_sponsored(e);
    markers.push(Span::styled(
        if sponsored { " $" } else { "  " },
        theme.sponsored(),
    ));
    let markers_w: usize = markers.iter().map(|s| width(&s.content)).sum();
    let title_w = w.saturating_sub(3 + col + markers_w);
    let title = fit(&ev.title, title_w);
    let pad = title_w.saturating_sub(width(&title));
    let pointer = if selected { "›" } else { " " };
    let mark = if app.marks.contains(&e) { "●" } else { " " };
    // The analyst's own: `*` starred, `¶` a note on it or its quotes,
    // `⁑` both.
    let id = ev.id.as_str();
    let noted = app.noted.own.binary_search(&e).is_ok();
    let own = match (app.notes.is_starred(id), noted) {
        (true, true) => "⁑",
        (true, false) => "*",
        (false, true) => "¶",
        (false, false) => " ",
    };
    let mut spans = vec![
        Span::raw(pointer),
        Span::styled(mark, theme.mark()),
        Span::styled(own, theme.key()),
        Span::styled(date, theme.date()),
        Span::raw(title),
        Span::raw(" ".repeat(pad)),
    ];
    spans.extend(markers);
    let line = Line::from(spans);
    if selected {
        line.style(theme.selected())
    } else {
        line
    }
}

/// The row under the density bars, `w` columns: the first year at the
/// left, the last at the right when both fit, and `▲` under the cursor's
/// month. A label the cursor would cover moves aside instead (`▲2024`,
/// `2025▲`) so that no digit is ever hidden.
fn under_row(w: usize, first: &str, last: &str, cursor: Option<usize>) -> Vec<char> {
    let mut row = vec![' '; w];
    let covers = |start: usize, len: usize| cursor.is_some_and(|c| c >= start && c < start + len);
    let first_start = match cursor {
        Some(c) if covers(0, first.len()) => c + 1,
        _ => 0,
    };
    let first_end = first_start + first.len();
    if first_end <= w {
        row[first_start..first_end]
            .iter_mut()
            .zip(first.chars())
            .for_each(|(cell, ch)| *cell = ch);
    }
    let last_start = match cursor {
        Some(c) if covers(w.saturating_sub(last.len()), last.len()) => c.checked_sub(last.len()),
        _ => w.checked_sub(last.len()),
    };
    // Only when a space still separates it from the first year.
    if let Some(start) = last_start.filter(|&s| first_end <= w && s > first_end) {
        row[start..start + last.len()]
            .iter_mut()
            .zip(last.chars())
            .for_each(|(cell, ch)| *cell = ch);
    }
    if let Some(c) = cursor.filter(|&c| c < w) {
        row[c] = '▲';
    }
    row
}

const BARS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn density_lines(app: &App, w: usize) -> Vec<Line<'static>> {
    let d = &app.density;
    let theme = app.theme;
    let months = d.counts.len();
    if months == 0 || w == 0 {
        return Vec::new();
    }
    let col_of = |month: usize| month * w / months;
    let mut cols = vec![0u32; w];
    for (mi, &c) in d.counts.iter().enumerate() {
        cols[col_of(mi).min(w - 1)] += c;
    }
    let max = cols.iter().copied().max().unwrap_or(0).max(1);
    let bars: String = cols
        .iter()
        .map(|&c| {
            if c == 0 {
                ' '
            } else {
                BARS[(1 + (c as usize * 7) / max as usize).min(8)]
            }
        })
        .collect();
    let cursor_col = app
        .selected_event()
        .map(|e| col_of(d.month_index(app.model.event(e).date.anchor())).min(w - 1));
    let first = year_text(d.first_year);
    let last = year_text(d.last_year);
    let under = under_row(w, &first, &last, cursor_col);
    let mut under_spans = Vec::new();
    match cursor_col {
        Some(c) => {
            let before: String = under[..c].iter().collect();
            let after: String = under[c + 1..].iter().collect();
            under_spans.push(Span::styled(before, theme.dim()));
            under_spans.push(Span::styled("▲", theme.mark()));
            under_spans.push(Span::styled(after, theme.dim()));
        }
        None => under_spans.push(Span::styled(under.iter().collect::<String>(), theme.dim())),
    }
    vec![
        Line::from(Span::styled(bars, Style::new().patch(theme.heading()))),
        Line::from(under_spans),
    ]
}

impl App {
    pub(in crate::tui) fn step_timeline(&mut self, control: Control) {
        let cur = self.timeline.cursor;
        let page = self.timeline.height.max(2) - 1;
        match control {
            Control::Down => self.set_cursor(cur + 1),
            Control::Up => self.set_cursor(cur.saturating_sub(1)),
            Control::PageDown => self.set_cursor(cur + page),
            Control::PageUp => self.set_cursor(cur.saturating_sub(page)),
            Control::Top => self.set_cursor(0),
            Control::Bottom => self.set_cursor(usize::MAX),
            Control::NextMonth => self.jump(false, true),
            Control::PrevMonth => self.jump(false, false),
            Control::NextYear => self.jump(true, true),
            Control::PrevYear => self.jump(true, false),
            Control::Enter => {
                if let Some(e) = self.selected_event()
                    && let Some(q) = self.model.event(e).evidence.first()
                {
                    let (src, span) = (q.source, q.span.clone());
                    self.open_reader(src, Some(span));
                }
            }
            _ => {}
        }
    }

    /// First day of the month (or year) of `d`.
    fn period_start(d: PartialDate, year: bool) -> i64 {
        let month = if year {
            None
        } else {
            Some(d.month.unwrap_or(1))
        };
        PartialDate {
            year: d.year,
            month,
            day: None,
            approximate: false,
        }
        .first_day()
    }

    /// Index in `visible` of the first event starting on or after `day`.
    fn first_from(&self, day: i64) -> usize {
        self.visible
            .partition_point(|&e| self.model.event(e).date.anchor().first_day() < day)
    }

    /// `[` `]` `{` `}`: to the first event of the previous or next month or year.
    fn jump(&mut self, year: bool, forward: bool) {
        let Some(e) = self.selected_event() else {
            return;
        };
        let date = self.model.event(e).date.anchor();
        let start = Self::period_start(date, year);
        let target = if forward {
            let next_start = if year {
                PartialDate::year(date.year + 1).first_day()
            } else {
                let (y, m) = match date.month {
                    Some(12) => (date.year + 1, 1),
                    Some(m) => (date.year, m + 1),
                    None => (date.year, 2),
                };
                PartialDate {
                    year: y,
                    month: Some(m),
                    day: None,
                    approximate: false,
                }
                .first_day()
            };
            let i = self.first_from(next_start);
            if i >= self.visible.len() {
                return;
            }
            i
        } else {
            let first_of_this = self.first_from(start);
            if first_of_this < self.timeline.cursor {
                first_of_this
            } else if first_of_this == 0 {
                return;
            } else {
                let prev = self
                    .model
                    .event(self.visible[first_of_this - 1])
                    .date
                    .anchor();
                self.first_from(Self::period_start(prev, year))
            }
        };
        self.set_cursor(target);
    }

    pub(in crate::tui) fn compute_density(&self) -> Density {
        let m = &self.model;
        let Some((first, last)) = m.span() else {
            return Density::default();
        };
        let (first, last) = (first.anchor(), last.anchor());
        let months = ((i64::from(last.year) - i64::from(first.year)).max(0) + 1) * 12;
        let step = (months + MAX_BUCKETS - 1) / MAX_BUCKETS;
        let mut d = Density {
            first_year: first.year,
            last_year: last.year.max(first.year),
            step,
            counts: vec![0; ((months + step - 1) / step) as usize],
        };
        for &e in &self.visible {
            let i = d.month_index(m.event(e).date.anchor());
            d.counts[i] += 1;
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::under_row;

    fn row(w: usize, cursor: Option<usize>) -> String {
        under_row(w, "2023", "2024", cursor).into_iter().collect()
    }

    #[test]
    fn year_labels_sit_at_both_ends() {
        assert_eq!(row(12, None), "2023    2024");
        assert_eq!(row(12, Some(5)), "2023 ▲  2024");
    }

    #[test]
    fn the_cursor_never_hides_a_digit_of_a_year() {
        assert_eq!(row(12, Some(0)), "▲2023   2024");
        assert_eq!(row(12, Some(3)), "   ▲2023    ");
        assert_eq!(row(14, Some(3)), "   ▲2023  2024");
        assert_eq!(row(12, Some(11)), "2023   2024▲");
        assert_eq!(row(12, Some(8)), "2023    ▲   ");
        assert_eq!(row(16, Some(8)), "2023    ▲   2024");
        assert_eq!(row(16, Some(13)), "2023     2024▲  ");
    }

    #[test]
    fn narrow_rows_drop_labels_rather_than_overlap_them() {
        assert_eq!(row(8, None), "2023    ");
        assert_eq!(row(9, None), "2023 2024");
        assert_eq!(row(3, None), "   ");
        assert_eq!(row(3, Some(2)), "  ▲");
        assert_eq!(row(1, Some(0)), "▲");
    }
}

#[cfg(test)]
mod first_frame_tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::tui::{App, view};

    /// The first frame needs the events in order and their marks, not
    /// what only filters use (events by actor, place, source, tag): at a
    /// million events that is made after it, on another thread.
    #[test]
    fn the_first_frame_does_not_make_what_only_filters_need() {
        let mut app = App::inline(crate::load_builtin().expect("the built-in store"));
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("a terminal");
        terminal.draw(|f| view::draw(&mut app, f)).expect("drawn");
        assert!(
            app.model.by_event.get().is_none(),
            "made before it was needed"
        );
        // Made on first use, the same as made by another thread.
        let actor = app.model.event(0).actors[0];
        assert!(app.model.events_of_actor(actor).contains(&0));
        assert!(app.model.by_event.get().is_some());
    }
}
