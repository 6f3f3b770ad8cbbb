//! The relationships pane: the selected event's actors and places, and the
//! relations among its actors as they stood on the event's date.

use crate::tui::control::Control;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::evidence::date::{DaySpan, PartialDate};
use crate::tui::app::{App, Chip};
use crate::tui::widgets::frame::draw_scrolled;
use crate::tui::widgets::text::{fit, safe, width, wrap};
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

/// A relation with what it covers; "may hold" when an uncertain start or
/// end leaves open whether it held over `days`.
pub fn relation_line(m: &Model, r: &Relation, days: DaySpan) -> String {
    let mut line = format!(
        "{} → {} → {}  ({})",
        m.actor(r.from).name,
        r.kind,
        m.actor(r.to).name,
        crate::tui::overlays::details::relation_span(r)
    );
    if !surely_held(r, days) {
        line.push_str(" · may hold");
    }
    line
}

/// Whether `r` held over all of `days` whatever its uncertain bounds turn
/// out to be: from the latest day it may have begun to the earliest it may
/// have ended. An unknown bound (none given) is not an uncertain one.
pub fn surely_held(r: &Relation, days: DaySpan) -> bool {
    let first = r.since.map_or(i64::MIN, |d| d.last_day());
    let last = r.until.map_or(i64::MAX, |d| d.first_day());
    first <= days.first && days.last <= last
}

/// The first MAX_SHOWN relations, and how many more there are.
fn push_relations(
    lines: &mut Vec<Line<'static>>,
    m: &Model,
    (rels, days): (&[Ix], DaySpan),
    w: usize,
    style: Style,
) {
    for &r in rels.iter().take(MAX_SHOWN) {
        let line = relation_line(m, &m.relations[r as usize], days);
        push_wrapped(lines, &line, w, style);
    }
    if rels.len() > MAX_SHOWN {
        lines.push(Line::styled(
            format!("  … and {} more", rels.len() - MAX_SHOWN),
            style,
        ));
    }
}

fn push_wrapped_heading(lines: &mut Vec<Line<'static>>, text: &str, w: usize, style: Style) {
    for r in wrap(text, w.max(1)) {
        lines.push(Line::styled(safe(text[r].trim_end()), style));
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
    at: Option<PartialDate>,
    /// The days the list is for.
    days: DaySpan,
    active: Vec<Ix>,
    near: Vec<Ix>,
}

impl Shown {
    fn of(m: &Model, e: Ix, at: Option<PartialDate>) -> Shown {
        let ev = m.event(e);
        let days = at.map_or(ev.days(), |d| DaySpan {
            first: d.first_day(),
            last: d.last_day(),
        });
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
            at,
            days,
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
    let Some(e) = crate::tui::panes::selected_or_note(app, f, area) else {
        return;
    };
    let at = app.relations_at;
    if app.relations_shown.as_ref().map(|s| (s.event, s.at)) != Some((e, at)) {
        app.relations_shown = Some(Shown::of(m, e, at));
    }
    let shown = app.relations_shown.take().expect("just set");
    let w = area.width as usize;
    let ev = m.event(e);
    let items = app.relation_items();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut item_lines: Vec<usize> = Vec::new();
    let focused = app.focus == crate::tui::app::Pane::Relations;

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
    // Say which days the list covers: a period's whole span, or `:at`'s day.
    let heading = match at {
        Some(d) => format!("Relations on {d} (set by :at; :at alone undoes)"),
        None if ev.end.is_some() => format!("Relations during {}", ev.when()),
        None => format!("Relations on {}", ev.date),
    };
    push_wrapped_heading(&mut lines, &heading, w, theme.title());
    if shown.active.is_empty() {
        lines.push(Line::styled("  none recorded", theme.dim()));
    }
    push_relations(&mut lines, m, (&shown.active, shown.days), w, theme.text());
    if !shown.near.is_empty() {
        lines.push(Line::styled("Began or ended nearby", theme.title()));
        push_relations(&mut lines, m, (&shown.near, shown.days), w, theme.dim());
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

/// The widest line the pane would draw for the selected event with room
/// to spare: a name with its kind, or a relation on one line.
pub fn widest_line(app: &mut App) -> usize {
    let Some(e) = app.selected_event() else {
        return 0;
    };
    let model = Arc::clone(&app.model);
    let m = &*model;
    let at = app.relations_at;
    if app.relations_shown.as_ref().map(|s| (s.event, s.at)) != Some((e, at)) {
        app.relations_shown = Some(Shown::of(m, e, at));
    }
    let Some(shown) = app.relations_shown.as_ref() else {
        return 0;
    };
    let ev = m.event(e);
    let names = ev
        .actors
        .iter()
        .map(|&a| width(&m.actor(a).name) + width(&m.actor(a).kind))
        .chain(ev.places.iter().map(|&p| {
            let chain: usize = m
                .place_ancestors_upto(p, 6)
                .iter()
                .map(|&a| width(&m.place(a).name) + 3)
                .sum();
            width(&m.place(p).name) + chain + width(&m.place(p).kind)
        }))
        .map(|w| w + 4);
    let relations = [&shown.active, &shown.near].into_iter().flat_map(|rels| {
        rels.iter()
            .take(MAX_SHOWN)
            .map(|&r| 4 + width(&relation_line(m, &m.relations[r as usize], shown.days)))
    });
    names.chain(relations).max().unwrap_or(0)
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

    pub(in crate::tui) fn step_relations(&mut self, control: Control) {
        let n = self.relation_items().len();
        match control {
            Control::Down => {
                self.relations_cursor = (self.relations_cursor + 1).min(n.saturating_sub(1))
            }
            Control::Up => self.relations_cursor = self.relations_cursor.saturating_sub(1),
            Control::PageDown => {
                self.relations_cursor = (self.relations_cursor + 10).min(n.saturating_sub(1))
            }
            Control::PageUp => self.relations_cursor = self.relations_cursor.saturating_sub(10),
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

    /// `:at DATE`: relations as they stood on that day, for any event;
    /// `:at` alone goes back to each event's own date.
    pub(in crate::tui) fn relations_at(&mut self, arg: &str) -> Result<(), String> {
        if arg.is_empty() {
            self.relations_at = None;
            self.status = Some("Relations follow the selected event's date".into());
            return Ok(());
        }
        let d = PartialDate::parse(arg).map_err(|e| e.to_string())?;
        self.relations_at = Some(d);
        self.status = Some(format!(
            "Relations as they stood on {d} (`:at` alone undoes)"
        ));
        Ok(())
    }
}
