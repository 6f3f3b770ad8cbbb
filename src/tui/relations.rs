//! The relationships pane: the selected event's actors and places, and the
//! relations among its actors as they stood on the event's date.

use super::control::Control;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::app::{App, Chip};
use super::text::{fit, safe, width, wrap};
use super::view::draw_scrolled;
use crate::date::DaySpan;
use std::sync::Arc;

use crate::model::{Ix, Model, Relation};
use ratatui::style::Style;

/// A selectable line of the relationships pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelItem {
    Actor(Ix),
    Place(Ix),
}

/// How close a relation's start or end must be to count as "near" the event.
const NEAR_DAYS: i64 = 120;

fn relation_line(m: &Model, r: &Relation) -> String {
    let mut s = format!(
        "{} → {} → {}",
        m.actor(r.from).name,
        r.kind,
        m.actor(r.to).name
    );
    match (r.since, r.until) {
        (Some(a), Some(b)) => s.push_str(&format!("  ({a} – {b})")),
        (Some(a), None) => s.push_str(&format!("  (since {a})")),
        (None, Some(b)) => s.push_str(&format!("  (until {b})")),
        (None, None) => {}
    }
    s
}

/// The first MAX_SHOWN relations, and how many more there are.
fn push_relations(lines: &mut Vec<Line<'static>>, m: &Model, rels: &[Ix], w: usize, style: Style) {
    for &r in rels.iter().take(MAX_SHOWN) {
        push_wrapped(lines, &relation_line(m, &m.relations[r as usize]), w, style);
    }
    if rels.len() > MAX_SHOWN {
        lines.push(Line::styled(
            format!("  … and {} more", rels.len() - MAX_SHOWN),
            style,
        ));
    }
}

/// A relation, wrapped under a two-column indent so nothing is cut off.
fn push_wrapped(lines: &mut Vec<Line<'static>>, text: &str, w: usize, style: Style) {
    let inner = w.saturating_sub(4).max(1);
    for (i, r) in wrap(text, inner).into_iter().enumerate() {
        let indent = if i == 0 { "  " } else { "    " };
        lines.push(Line::styled(
            format!("{indent}{}", safe(text[r].trim_end())),
            style,
        ));
    }
}

/// The relations of one event's actors: those that held on its date and
/// those that began or ended near it.
pub struct Shown {
    event: Ix,
    active: Vec<Ix>,
    near: Vec<Ix>,
}

impl Shown {
    fn of(m: &Model, e: Ix) -> Shown {
        let ev = m.event(e);
        let days = ev.days();
        let active = m.relations_during(&ev.actors, days);
        let near_span = DaySpan {
            first: days.first.saturating_sub(NEAR_DAYS),
            last: days.last.saturating_add(NEAR_DAYS),
        };
        // `active` is sorted: a lookup, not a scan, per relation.
        let near = m
            .relations_during(&ev.actors, near_span)
            .into_iter()
            .filter(|r| active.binary_search(r).is_err())
            .collect();
        Shown {
            event: e,
            active,
            near,
        }
    }
}

/// Relation lines shown under each heading; the rest are counted.
const MAX_SHOWN: usize = 200;

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let model = Arc::clone(&app.model);
    let m = &*model;
    let Some(e) = super::view::selected_or_note(app, f, area) else {
        return;
    };
    if app.relations_shown.as_ref().map(|s| s.event) != Some(e) {
        app.relations_shown = Some(Shown::of(m, e));
    }
    let shown = app.relations_shown.take().expect("just set");
    let w = area.width as usize;
    let ev = m.event(e);
    let items = app.relation_items();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut item_lines: Vec<usize> = Vec::new();
    let focused = app.focus == super::app::Pane::Relations;

    let mut push_item = |lines: &mut Vec<Line<'static>>, idx: usize, text: String, kind: &str| {
        item_lines.push(lines.len());
        let selected = idx == app.relations_cursor;
        let pointer = if selected { "› " } else { "  " };
        let main = fit(&text, w.saturating_sub(2));
        let room = w.saturating_sub(2 + width(&main) + 2);
        let mut spans = vec![Span::raw(pointer), Span::raw(main)];
        if room >= 4 {
            spans.push(Span::styled(format!("  {}", fit(kind, room)), theme.kind()));
        }
        let line = Line::from(spans);
        lines.push(if selected && focused {
            line.style(theme.selected())
        } else {
            line
        });
    };

    lines.push(Line::styled("Actors", theme.title()));
    if ev.actors.is_empty() {
        lines.push(Line::styled("  none named", theme.dim()));
    }
    for (idx, item) in items.iter().enumerate() {
        match *item {
            RelItem::Actor(a) => {
                let actor = m.actor(a);
                push_item(&mut lines, idx, actor.name.to_string(), &actor.kind);
            }
            RelItem::Place(p) => {
                if idx == ev.actors.len() {
                    lines.push(Line::styled("Places", theme.title()));
                }
                let place = m.place(p);
                // The nearest few: a line, not the whole gazetteer.
                let chain: Vec<&str> = m
                    .place_ancestors_upto(p, 6)
                    .iter()
                    .map(|&a| m.place(a).name.as_str())
                    .collect();
                let text = if chain.is_empty() {
                    place.name.to_string()
                } else {
                    format!("{} · {}", place.name, chain.join(" · "))
                };
                push_item(&mut lines, idx, text, &place.kind);
            }
        }
    }
    if ev.places.is_empty() {
        lines.push(Line::styled("Places", theme.title()));
        lines.push(Line::styled("  none named", theme.dim()));
    }

    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Relations on {}", ev.date),
        theme.title(),
    ));
    if shown.active.is_empty() {
        lines.push(Line::styled("  none recorded", theme.dim()));
    }
    push_relations(&mut lines, m, &shown.active, w, theme.text());
    if !shown.near.is_empty() {
        lines.push(Line::styled("Began or ended nearby", theme.title()));
        push_relations(&mut lines, m, &shown.near, w, theme.dim());
    }
    app.relations_shown = Some(shown);

    // Names come from the store: everything above went through `fit`/`safe`.
    debug_assert!(
        lines
            .iter()
            .all(|l| l.spans.iter().all(|s| safe(&s.content) == s.content))
    );
    app.areas.relation_rows = draw_scrolled(f, area, lines, &item_lines, app.relations_cursor, 0);
}

impl App {
    /// The selectable lines of the relationships pane: the event's actors, then places.
    pub fn relation_items(&self) -> Vec<RelItem> {
        let Some(e) = self.selected_event() else {
            return Vec::new();
        };
        let ev = self.model.event(e);
        ev.actors
            .iter()
            .map(|&a| RelItem::Actor(a))
            .chain(ev.places.iter().map(|&p| RelItem::Place(p)))
            .collect()
    }

    pub(super) fn step_relations(&mut self, control: Control) {
        let n = self.relation_items().len();
        match control {
            Control::Down => {
                self.relations_cursor = (self.relations_cursor + 1).min(n.saturating_sub(1))
            }
            Control::Up => self.relations_cursor = self.relations_cursor.saturating_sub(1),
            Control::Top => self.relations_cursor = 0,
            Control::Bottom => self.relations_cursor = n.saturating_sub(1),
            Control::Enter => match self.relation_items().get(self.relations_cursor) {
                Some(RelItem::Actor(a)) => self.add_chip(Chip::Actor(*a)),
                Some(RelItem::Place(p)) => self.add_chip(Chip::Place(*p)),
                None => {}
            },
            _ => self.step_timeline(control),
        }
    }
}
