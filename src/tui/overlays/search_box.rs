//! The fuzzy search popup (`/`).

use crate::tui::searcher::Answer;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;

use crate::search::Hit;
use crate::tui::app::{App, Overlay};
use crate::tui::widgets::frame::popup_frame;
use crate::tui::widgets::text::{fit, highlighted, width};

pub struct SearchBox {
    pub input: Input,
    pub hits: Vec<Hit>,
    pub selected: usize,
    pub generation: u64,
    /// A query was sent and its results have not arrived.
    pub waiting: bool,
    /// Why the newest query has no results: its search failed.
    pub failed: Option<String>,
}

impl SearchBox {
    /// Takes the newest query's answer.
    pub fn answer(&mut self, answer: Answer) {
        self.waiting = false;
        self.selected = 0;
        match answer {
            Ok(hits) => {
                self.hits = hits;
                self.failed = None;
            }
            Err(why) => {
                self.hits = Vec::new();
                self.failed = Some(why);
            }
        }
    }
}

/// The matched text in `budget` columns, its highlights kept honest: it
/// starts a few characters before the first match when the match would be
/// cut off (`may_skip`), is cut at the end, and positions past the cut are
/// dropped.
fn snippet(app: &App, h: &Hit, budget: usize, may_skip: bool) -> Vec<Span<'static>> {
    let theme = app.theme;
    if width(&h.text) <= budget {
        return highlighted(&h.text, &h.positions, theme.text(), theme.highlight());
    }
    let first = h.positions.first().copied().unwrap_or(0);
    let skip = if may_skip && first + 8 > budget {
        first.saturating_sub(4)
    } else {
        0
    };
    let text: String = h.text.chars().skip(skip).collect();
    let positions: Vec<usize> = h
        .positions
        .iter()
        .filter_map(|p| p.checked_sub(skip))
        .collect();
    let mut v = Vec::new();
    let mut budget = budget;
    if skip > 0 {
        v.push(Span::raw("…"));
        budget -= 1;
    }
    let cut: String = fit(&text, budget);
    let keep = cut.chars().count().saturating_sub(1);
    let pos: Vec<usize> = positions.into_iter().filter(|&p| p < keep).collect();
    v.extend(highlighted(
        &text.chars().take(keep).collect::<String>(),
        &pos,
        theme.text(),
        theme.highlight(),
    ));
    v.push(Span::raw("…"));
    v
}

fn hit_line(app: &App, h: &Hit, selected: bool, w: usize) -> Line<'static> {
    let theme = app.theme;
    let kind = format!("{:<7}", h.target.kind());
    let mut spans = vec![
        Span::raw(if selected { "› " } else { "  " }),
        Span::styled(kind, theme.kind()),
        // Sponsored content is flagged as in the timeline.
        Span::styled(if h.sponsored { "$ " } else { "  " }, theme.sponsored()),
    ];
    let budget = w.saturating_sub(11);
    let name = h.target.label(&app.model);
    if name == h.text {
        // The text is the name: it starts at its start, whatever the match.
        spans.extend(snippet(app, h, budget, false));
    } else {
        // The result names what it is first; the snippet takes what is left.
        let name_w = width(&name).min((budget / 2).max(budget.saturating_sub(width(&h.text) + 2)));
        let name = fit(&name, name_w);
        let rest = budget.saturating_sub(width(&name) + 2);
        spans.push(Span::styled(name, theme.title()));
        if rest >= 4 {
            spans.push(Span::raw("  "));
            spans.extend(snippet(app, h, rest, true));
        }
    }
    let line = Line::from(spans);
    if selected {
        line.style(theme.selected())
    } else {
        line
    }
}

pub fn draw_search(app: &App, f: &mut Frame, area: Rect) {
    let Overlay::Search(sb) = &app.overlay else {
        return;
    };
    let theme = app.theme;
    let popup = area.centered(Constraint::Percentage(80), Constraint::Percentage(80));
    if popup.width < 20 || popup.height < 5 {
        return;
    }
    let inner = popup_frame(f, popup, Line::styled(" Search ", theme.title()), theme);
    let [input_area, status_area, list_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    let w = input_area.width.saturating_sub(3) as usize;
    let scroll = sb.input.visual_scroll(w);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("/ ", theme.key()),
            Span::raw(crate::tui::widgets::text::safe(sb.input.value())),
        ]))
        .scroll((0, scroll as u16)),
        input_area,
    );
    let cx = input_area.x + 2 + (sb.input.visual_cursor().saturating_sub(scroll)) as u16;
    f.set_cursor_position(Position::new(
        cx.min(input_area.right().saturating_sub(1)),
        input_area.y,
    ));
    let (status, style) = if sb.waiting {
        ("searching…".to_string(), theme.dim())
    } else if let Some(why) = &sb.failed {
        (
            format!(
                "search failed: {} · edit the query to try again",
                crate::tui::widgets::text::safe(why)
            ),
            theme.error(),
        )
    } else if sb.input.value().trim().is_empty() {
        (
            "type to search events, actors, places, sources and quotes".to_string(),
            theme.dim(),
        )
    } else if sb.hits.is_empty() {
        (
            "no match · edit the query, or Esc back".to_string(),
            theme.dim(),
        )
    } else {
        let count = format!(
            "{} result{} · ↑/↓ choose · Enter go · Esc back",
            sb.hits.len(),
            if sb.hits.len() == 1 { "" } else { "s" }
        );
        (count, theme.dim())
    };
    f.render_widget(Paragraph::new(status).style(style), status_area);
    let h = list_area.height as usize;
    let offset = sb.selected.saturating_sub(h.saturating_sub(1));
    let lines: Vec<Line<'static>> = sb
        .hits
        .iter()
        .enumerate()
        .skip(offset)
        .take(h)
        .map(|(i, hit)| hit_line(app, hit, i == sb.selected, list_area.width as usize))
        .collect();
    f.render_widget(Paragraph::new(lines), list_area);
}

impl App {
    /// The query changed: a new search, answered now or by the worker.
    pub(in crate::tui) fn search_again(&mut self) {
        let Overlay::Search(sb) = &mut self.overlay else {
            return;
        };
        self.generation += 1;
        sb.generation = self.generation;
        let query = sb.input.value().to_string();
        match self.searcher.submit(&self.model, sb.generation, &query) {
            Some(answer) => {
                sb.answer(answer);
                self.add_note_hits();
            }
            None => sb.waiting = true,
        }
    }

    /// `/`: the search box; in the reader, a find in the article.
    pub(in crate::tui) fn open_search(&mut self) {
        if let Overlay::Reader(r) = &mut self.overlay {
            r.start_find();
            return;
        }
        self.open(Overlay::Search(SearchBox {
            input: Input::default(),
            hits: Vec::new(),
            selected: 0,
            generation: self.generation,
            waiting: false,
            failed: None,
        }));
    }
}
