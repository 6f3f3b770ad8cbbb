//! The whole screen: header, panes (side by side, or as tabs on narrow
//! terminals), key bar, and whatever overlay is open.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::tui::app::{App, Overlay, Pane};
use crate::tui::keys::table::Place;
use crate::tui::overlays::{
    command_line, conflict, details, export_dialog, help, reader, search_box,
};
use crate::tui::panes::{relations, sources, timeline};
use crate::tui::widgets::text::{fit, width};

/// Narrower than this, the panes become tabs.
pub const WIDE: u16 = 120;
/// Smaller than this, only a note is drawn.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

pub fn draw(app: &mut App, f: &mut Frame) {
    let area = f.area();
    // Rows drawn last frame may be gone (a resize, a tab switch): the mouse
    // must only ever hit what is on screen now.
    app.areas = Default::default();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Terminal too small: {}x{}, needs at least {MIN_WIDTH}x{MIN_HEIGHT}. q quits.",
            area.width, area.height
        );
        f.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let footer_rows = match app.overlay {
        Overlay::Command(_) => command_line::rows(app, area.width),
        _ => status_rows(app, area.width) + 1,
    };
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(footer_rows.min(area.height / 3)),
    ])
    .areas(area);
    draw_header(app, f, header);
    // An open story takes a strip under the panes.
    let [body, strip] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(crate::tui::panes::story::rows(app, body.height)),
    ])
    .areas(body);
    crate::tui::panes::story::draw(app, f, strip);
    if area.width >= WIDE {
        // Each pane the columns its content asks for (`widths`).
        let mut x = body.x;
        for (pane, w) in crate::tui::panes::widths::columns(app, body.width, body.height) {
            if w > 0 {
                draw_pane(
                    app,
                    f,
                    pane,
                    Rect {
                        x,
                        width: w,
                        ..body
                    },
                );
            }
            x += w;
        }
    } else {
        let [tabs, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
        draw_tabs(app, f, tabs);
        draw_pane(app, f, app.focus, rest);
    }
    match app.overlay {
        Overlay::Command(_) => command_line::draw(app, f, footer),
        _ => draw_footer(app, f, footer),
    }
    match app.overlay {
        Overlay::Help(_) => help::draw(app, f, body),
        Overlay::Search(_) => search_box::draw_search(app, f, body),
        Overlay::Reader(_) => reader::draw(app, f, body),
        Overlay::Export(_) => export_dialog::draw(app, f, body),
        Overlay::Details(_) => details::draw(app, f, body),
        Overlay::Conflict(_) => conflict::draw(app, f, body),
        Overlay::Disputes(_) => crate::tui::overlays::disputes::draw(app, f, body),
        Overlay::Compare(_) => crate::tui::overlays::compare::draw(app, f, body),
        Overlay::Problems(_) => crate::tui::overlays::problems::draw(app, f, body),
        Overlay::Stories(_) => crate::tui::overlays::stories::draw(app, f, body),
        Overlay::EventForm(_) => crate::tui::overlays::event_form::draw(app, f, body),
        Overlay::None | Overlay::Command(_) => {}
    }
}

fn draw_pane(app: &mut App, f: &mut Frame, pane: Pane, rect: Rect) {
    let theme = app.theme;
    let focused = app.focus == pane;
    let n = match pane {
        Pane::Timeline => 1,
        Pane::Relations => 2,
        Pane::Sources => 3,
    };
    let title = if focused {
        Line::from(vec![Span::styled(
            format!(" {n} {} ● ", pane_title(app, pane)),
            theme.focused_border(),
        )])
    } else {
        Line::styled(format!(" {n} {} ", pane_title(app, pane)), theme.dim())
    };
    let block = Block::bordered().title(title).border_style(if focused {
        theme.focused_border()
    } else {
        theme.border()
    });
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    app.areas.panes.push((pane, rect));
    match pane {
        Pane::Timeline => timeline::draw(app, f, inner),
        Pane::Relations if app.map.on => crate::tui::panes::map::draw(app, f, inner),
        Pane::Relations => relations::draw(app, f, inner),
        Pane::Sources => sources::draw(app, f, inner),
    }
}

/// A pane's title; the relationships pane's place says "Map" when the
/// map is in it.
fn pane_title(app: &App, pane: Pane) -> &'static str {
    if pane == Pane::Relations && app.map.on {
        "Map"
    } else {
        pane.title()
    }
}

fn draw_tabs(app: &App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let mut spans = Vec::new();
    for (i, p) in Pane::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, pane_title(app, *p));
        spans.push(if *p == app.focus {
            Span::styled(label, theme.selected())
        } else {
            Span::styled(label, theme.dim())
        });
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("Tab switches", theme.dim()));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_header(app: &App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let m = &app.model;
    let w = area.width as usize;
    let count = format!(" {} of {} events ", app.visible.len(), m.events.len());
    let mut spans = vec![Span::styled(" annals ", theme.chip()), Span::raw(" ")];
    // The title and the count stay whole: filter chips are cut first,
    // and the title yields only what the first chip needs to be seen.
    let filtered = !app.chips.is_empty() || app.relations_at.is_some();
    let chips_least = if filtered { 12 } else { 0 };
    let title_w = w.saturating_sub(width(&count) + 12 + chips_least).min(60);
    spans.push(Span::styled(fit(&m.meta.title, title_w), theme.title()));
    spans.push(Span::styled(" │", theme.dim()));
    spans.push(Span::raw(count));
    if !app.marks.is_empty() || app.range.is_some() {
        let range = if app.range.is_some() { " (range)" } else { "" };
        spans.push(Span::styled(
            format!(" {} marked{range} ", app.marks.len()),
            theme.mark().reversed(),
        ));
        spans.push(Span::raw(" "));
    }
    let mut chips: Vec<(String, bool)> = Vec::new();
    // One chip per kind, its values joined by "or"; kinds joined by "and".
    for (kind, values) in chip_groups(app) {
        let joiner = if kind == "text" { " and " } else { " or " };
        let text = match kind {
            // Nothing more to say than the kind.
            "starred" | "disputed" => kind.to_string(),
            "noted" => "with notes".to_string(),
            "from" | "to" => format!("{kind} {}", values.join(joiner)),
            _ => format!("{kind}: {}", values.join(joiner)),
        };
        chips.push((text, true));
    }
    if let Some(d) = app.relations_at {
        chips.push((format!("relations at {d}"), false));
    }
    let mut room = w.saturating_sub(spans.iter().map(|s| width(&s.content)).sum());
    for (i, (text, is_filter)) in chips.iter().enumerate() {
        let and = if i > 0 && *is_filter { "and " } else { "" };
        let need = width(and) + width(text) + 3;
        // What does not fit is cut with "…", never dropped silently.
        let shown = if need <= room {
            text.clone()
        } else {
            fit(text, room.saturating_sub(width(and) + 3))
        };
        if shown.is_empty() || room <= width(and) + 4 {
            // Not even a cut chip fits: say more filters are on.
            spans.push(Span::styled(fit("…", room), theme.dim()));
            break;
        }
        spans.push(Span::styled(and, theme.dim()));
        let style = if *is_filter {
            theme.chip()
        } else {
            theme.mark().reversed()
        };
        spans.push(Span::styled(format!(" {shown} "), style));
        spans.push(Span::raw(" "));
        room = room.saturating_sub(width(and) + width(&shown) + 3);
        if shown != *text {
            break;
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The chips by kind, in the order each kind was first added.
pub fn chip_groups(app: &App) -> Vec<(&'static str, Vec<String>)> {
    let mut groups: Vec<(&'static str, Vec<String>)> = Vec::new();
    for chip in &app.chips {
        let kind = chip.kind_name();
        // Typed words and names from the store: made safe to draw.
        let value = crate::tui::widgets::text::safe(&chip.value(&app.model));
        match groups.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, v)) => v.push(value),
            None => groups.push((kind, vec![value])),
        }
    }
    groups
}

/// Where the key bar is, for its entries (`keys::table`); none while the
/// command line takes the bottom.
fn bar_place(app: &App) -> Option<Place> {
    Some(match (&app.overlay, app.focus) {
        (Overlay::Command(_), _) => return None,
        (Overlay::Search(_), _) => Place::Search,
        (Overlay::Reader(_), _) => Place::Reader,
        (Overlay::Help(_), _) => Place::Help,
        (Overlay::Compare(_), _) => Place::Compare,
        (Overlay::Details(_), _) => Place::Details,
        (Overlay::Disputes(_), _) => Place::Disputes,
        (Overlay::Stories(_), _) => Place::Stories,
        (Overlay::Conflict(_), _) => Place::Conflict,
        (Overlay::Export(_), _) => Place::Export,
        (Overlay::EventForm(_), _) => Place::EventForm,
        (Overlay::Problems(_), _) => Place::Problems,
        (Overlay::None, Pane::Timeline) => Place::Timeline,
        (Overlay::None, Pane::Relations) if app.map.on => Place::Map,
        (Overlay::None, Pane::Relations) => Place::Relations,
        (Overlay::None, Pane::Sources) => Place::Sources,
    })
}

/// Lines the status message needs above the key bar (at most 3).
fn status_rows(app: &App, cols: u16) -> u16 {
    app.status.as_ref().map_or(0, |s| {
        (width(s) + 2)
            .div_ceil(usize::from(cols.max(1)))
            .clamp(1, 3) as u16
    })
}

fn draw_footer(app: &App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let [status_area, bar] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    if let Some(s) = &app.status {
        f.render_widget(
            Paragraph::new(format!(" {}", crate::tui::widgets::text::safe(s)))
                .style(theme.error())
                .wrap(ratatui::widgets::Wrap { trim: true }),
            status_area,
        );
    }
    let Some(place) = bar_place(app) else {
        return;
    };
    let spans: Vec<Span> = crate::tui::keys::bar::entries(place, &app.keys, bar.width.into())
        .into_iter()
        .flat_map(|(k, what)| {
            [
                Span::styled(format!(" {k}"), theme.key()),
                Span::styled(format!(" {what} "), theme.dim()),
            ]
        })
        .collect();
    f.render_widget(Paragraph::new(Line::from(spans)), bar);
}
