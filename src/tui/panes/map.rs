//! The map (`m`, in place of the relationships pane): the places of the
//! events shown, on ratatui's canvas world map, framed to them. A place
//! without coordinates is drawn at the nearest place containing it that
//! has some, as a ring (less precise), as are countries and regions.
//! Counts per place are worked out once per filter change, so a frame
//! costs the same for a million events as for thirty.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::widgets::canvas::{Canvas, Circle, Map, MapResolution};

use crate::model::{Ix, Model};
use crate::tui::app::{App, Chip};
use crate::tui::control::Control;
use crate::tui::widgets::text::fit;

/// Kinds of place that are areas, drawn as rings however precise their
/// coordinates: a country's coordinates are its middle, not where things were.
const AREAS: &[&str] = &[
    "continent",
    "region",
    "country",
    "state",
    "province",
    "admin1",
    "admin2",
    "admin3",
];

/// Areas drawn with a ring as well as their mark, at most.
const MAX_RINGS: usize = 40;

/// One mark on the map: a place with coordinates, and the events shown there.
#[derive(Clone, Debug, PartialEq)]
pub struct Spot {
    pub place: Ix,
    pub lat: f64,
    pub lon: f64,
    pub events: u32,
    /// False when it stands for places without coordinates, or is an area.
    pub precise: bool,
}

#[derive(Debug, Default)]
pub struct MapState {
    pub on: bool,
    /// 1 frames the shown places; each step in doubles it.
    pub zoom: i32,
    /// Offset of the centre, in degrees (longitude, latitude).
    pub pan: (f64, f64),
    /// Which spot is selected (they are in order of event count).
    pub cursor: usize,
    /// The spots of `visible` at filter generation `.0`.
    spots: Option<(u64, Vec<Spot>)>,
    /// Where the map was drawn last, and its bounds, for the mouse.
    pub drawn: Option<(Rect, [f64; 2], [f64; 2])>,
    /// The timeline's selected event at the last draw: when it changes,
    /// the chosen place follows it.
    followed: Option<Ix>,
}

/// The nearest of `p` and the places containing it that has coordinates,
/// and whether that is `p` itself.
fn located(m: &Model, p: Ix) -> Option<(Ix, bool)> {
    if m.place(p).coordinates.is_some() {
        return Some((p, true));
    }
    m.place_ancestors_upto(p, 32)
        .into_iter()
        .find(|&a| m.place(a).coordinates.is_some())
        .map(|a| (a, false))
}

/// The spots of `events`, most events first. A spot counts the events at
/// its place and at the places within it, as filtering to it does.
pub fn spots(m: &Model, events: &[Ix]) -> Vec<Spot> {
    let mut by_place: HashMap<Ix, (u32, bool)> = HashMap::new();
    for &e in events {
        for &p in &m.event(e).places {
            if let Some((at, own)) = located(m, p) {
                by_place.entry(at).or_insert((0, true)).1 &= own;
            }
        }
    }
    let mut seen: Vec<Ix> = Vec::new();
    for &e in events {
        seen.clear();
        for &p in &m.event(e).places {
            let Some((at, _)) = located(m, p) else {
                continue;
            };
            let within = m.place_ancestors_upto(p, 32);
            for spot in std::iter::once(at).chain(within) {
                // An event counts once per spot, however many of its places
                // fall there or within it.
                if !seen.contains(&spot)
                    && let Some(entry) = by_place.get_mut(&spot)
                {
                    seen.push(spot);
                    entry.0 += 1;
                }
            }
        }
    }
    let mut out: Vec<Spot> = by_place
        .into_iter()
        .filter_map(|(p, (events, own))| {
            let place = m.place(p);
            let (lat, lon) = place.coordinates?;
            let kind = place.kind.to_lowercase();
            let area = AREAS.contains(&kind.as_str()) || kind.starts_with("approximate");
            Some(Spot {
                place: p,
                lat,
                lon,
                events,
                precise: own && !area,
            })
        })
        .collect();
    out.sort_by(|a, b| b.events.cmp(&a.events).then(a.place.cmp(&b.place)));
    out
}

/// Bounds that hold every spot, padded, never narrower than a city's
/// surroundings, shaped like the area they are drawn in (a cell is about
/// twice as tall as wide).
/// Zoomed in, the frame centres on `focus` (the chosen place), not on the
/// middle of all of them.
pub fn frame(
    spots: &[Spot],
    area: Rect,
    zoom: i32,
    pan: (f64, f64),
    focus: Option<(f64, f64)>,
) -> ([f64; 2], [f64; 2]) {
    let (mut lo_x, mut hi_x, mut lo_y, mut hi_y) = (180.0f64, -180.0f64, 90.0f64, -90.0f64);
    let core = framed(spots);
    for s in &core {
        lo_x = lo_x.min(s.lon);
        hi_x = hi_x.max(s.lon);
        lo_y = lo_y.min(s.lat);
        hi_y = hi_y.max(s.lat);
    }
    if spots.is_empty() {
        (lo_x, hi_x, lo_y, hi_y) = (-180.0, 180.0, -60.0, 85.0);
    }
    let (cx, cy) = match focus.filter(|_| zoom > 0) {
        Some((x, y)) => (x + pan.0, y + pan.1),
        None => ((lo_x + hi_x) / 2.0 + pan.0, (lo_y + hi_y) / 2.0 + pan.1),
    };
    // A margin of a fifth of the span on every side (names go right of
    // their marks), and a city's surroundings at least.
    let mut w = ((hi_x - lo_x) * 1.4).max(4.0);
    let mut h = ((hi_y - lo_y) * 1.4).max(2.0);
    // Degrees per cell alike across and down: cells are ~1:2.
    let cells = (
        f64::from(area.width.max(1)),
        f64::from(area.height.max(1)) * 2.0,
    );
    if w / cells.0 > h / cells.1 {
        h = w / cells.0 * cells.1;
    } else {
        w = h / cells.1 * cells.0;
    }
    let scale = 2f64.powi(-zoom.clamp(-4, 12));
    let (w, h) = ((w * scale).min(360.0), (h * scale).min(180.0));
    ([cx - w / 2.0, cx + w / 2.0], [cy - h / 2.0, cy + h / 2.0])
}

/// The spots the map is framed to: the busiest places that between them
/// hold four fifths of the events counted (a lone event in Honolulu does
/// not shrink the Sahel to a few cells; `-` zooms out to it), and only
/// points when there are any (a country's middle is not where things were).
fn framed(spots: &[Spot]) -> Vec<&Spot> {
    let any_precise = spots.iter().any(|s| s.precise);
    // Busiest first, as the spots are sorted.
    let points: Vec<&Spot> = spots.iter().filter(|s| s.precise || !any_precise).collect();
    let total: u64 = points.iter().map(|s| u64::from(s.events)).sum();
    let mut held = 0u64;
    let mut n = 0;
    for s in &points {
        held += u64::from(s.events);
        n += 1;
        if held * 5 >= total * 4 {
            break;
        }
    }
    points.into_iter().take(n).collect()
}

/// A mark by how many events a place has.
fn marker(events: u32, precise: bool) -> &'static str {
    match (precise, events) {
        (false, _) => "○",
        (true, 0..=1) => "•",
        (true, 2..=4) => "●",
        (true, _) => "⬤",
    }
}

impl App {
    /// The spots of the events shown, worked out again after a filter change.
    pub fn map_spots(&mut self) -> &[Spot] {
        let generation = self.filter_generation;
        if self.map.spots.as_ref().map(|(g, _)| *g) != Some(generation) {
            let s = spots(&self.model, &self.visible);
            self.map.spots = Some((generation, s));
            self.map.cursor = 0;
        }
        self.map.spots.as_ref().map_or(&[], |(_, s)| s)
    }

    /// Keys in the map: j/k (↓/↑) choose a place, Enter filters to it,
    /// + and - zoom, H J K L pan, 0 frames the shown places again.
    pub(in crate::tui) fn step_map(&mut self, control: Control) {
        let n = self.map_spots().len();
        let last = n.saturating_sub(1);
        let step = {
            let ([x0, x1], [y0, y1]) = self
                .map
                .drawn
                .map_or(([0.0, 10.0], [0.0, 10.0]), |d| (d.1, d.2));
            ((x1 - x0) / 8.0, (y1 - y0) / 8.0)
        };
        match control {
            Control::Down => self.map.cursor = (self.map.cursor + 1).min(last),
            Control::Up => self.map.cursor = self.map.cursor.saturating_sub(1),
            Control::Top => self.map.cursor = 0,
            Control::Bottom => self.map.cursor = last,
            Control::Enter => {
                let cursor = self.map.cursor;
                if let Some(s) = self.map_spots().get(cursor).cloned() {
                    self.add_chip(Chip::Place(s.place));
                }
            }
            Control::MapZoom(z) => self.map.zoom = (self.map.zoom + z).clamp(-4, 12),
            Control::MapPan(dx, dy) => {
                self.map.pan.0 += f64::from(dx) * step.0;
                self.map.pan.1 += f64::from(dy) * step.1;
            }
            Control::MapReset => {
                self.map.zoom = 0;
                self.map.pan = (0.0, 0.0);
            }
            _ => self.step_timeline(control),
        }
    }

    /// A click on the map selects the nearest place.
    pub(in crate::tui) fn click_map(&mut self, column: u16, row: u16) {
        let Some((area, [x0, x1], [y0, y1])) = self.map.drawn else {
            return;
        };
        if !area.contains(Position::new(column, row)) {
            return;
        }
        let fx = (f64::from(column - area.x) + 0.5) / f64::from(area.width.max(1));
        let fy = (f64::from(row - area.y) + 0.5) / f64::from(area.height.max(1));
        let (lon, lat) = (x0 + fx * (x1 - x0), y1 - fy * (y1 - y0));
        let nearest = self
            .map_spots()
            .iter()
            .enumerate()
            .map(|(i, s)| (i, (s.lon - lon).powi(2) + (s.lat - lat).powi(2)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i);
        if let Some(i) = nearest {
            self.map.cursor = i;
        }
    }
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    if area.width < 12 || area.height < 5 {
        f.render_widget(
            Paragraph::new("Too small for a map").style(app.theme.dim()),
            area,
        );
        return;
    }
    let theme = app.theme;
    let spots: Vec<Spot> = app.map_spots().to_vec();
    let [canvas_area, label_area] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Fill(1),
        ratatui::layout::Constraint::Length(2),
    ])
    .areas(area);
    let focus = spots.get(app.map.cursor).map(|s| (s.lon, s.lat));
    let (xb, yb) = frame(&spots, canvas_area, app.map.zoom, app.map.pan, focus);
    app.map.drawn = Some((canvas_area, xb, yb));
    let selected: Vec<Ix> = app.selected_event().map_or(Vec::new(), |e| {
        app.model
            .event(e)
            .places
            .iter()
            .filter_map(|&p| located(&app.model, p).map(|(a, _)| a))
            .collect()
    });
    let event = app.selected_event();
    if event != app.map.followed {
        app.map.followed = event;
        if let Some(i) = spots.iter().position(|s| selected.contains(&s.place)) {
            app.map.cursor = i;
        }
    }
    let cursor = app.map.cursor;
    let shown = visible_marks(&spots, canvas_area, xb, yb, cursor, &selected);
    let land = if theme.color {
        Color::DarkGray
    } else {
        Color::Reset
    };
    let ring_r = (xb[1] - xb[0]) / 40.0;
    let names = labels(&app.model, &spots, &shown, canvas_area, xb, yb);
    let label_style = theme.title();
    let (normal, chosen, current) = (theme.key(), theme.highlight(), theme.selected());
    let canvas = Canvas::default()
        .marker(Marker::Braille)
        .x_bounds(xb)
        .y_bounds(yb)
        .paint(|ctx| {
            ctx.draw(&Map {
                resolution: MapResolution::High,
                color: land,
            });
            ctx.layer();
            // Rings for the areas with the most events only: each ring is
            // hundreds of dots, and the ○ marks the rest.
            for s in shown
                .iter()
                .rev()
                .map(|&i| &spots[i])
                .filter(|s| !s.precise)
                .take(MAX_RINGS)
            {
                ctx.draw(&Circle {
                    x: s.lon,
                    y: s.lat,
                    radius: ring_r,
                    color: normal.fg.unwrap_or(Color::Reset),
                });
            }
            ctx.layer();
            for (i, s) in shown.iter().map(|&i| (i, &spots[i])) {
                let style: Style = if i == cursor {
                    current
                } else if selected.contains(&s.place) {
                    chosen
                } else {
                    normal
                };
                ctx.print(
                    s.lon,
                    s.lat,
                    Span::styled(marker(s.events, s.precise), style),
                );
            }
            for (lon, lat, name) in &names {
                ctx.print(*lon, *lat, Span::styled(name.clone(), label_style));
            }
        });
    f.render_widget(canvas, canvas_area);
    draw_label(app, f, label_area, &spots);
}

/// The spots to draw: at most one per cell of `area` (the one with the
/// most events; the chosen and the selected event's first), and only those
/// inside the bounds, so a store with thousands of places draws in the
/// time of a screenful.
fn visible_marks(
    spots: &[Spot],
    area: Rect,
    [x0, x1]: [f64; 2],
    [y0, y1]: [f64; 2],
    cursor: usize,
    selected: &[Ix],
) -> Vec<usize> {
    let (w, h) = (
        usize::from(area.width.max(1)),
        usize::from(area.height.max(1)),
    );
    let mut taken = vec![false; w * h];
    let cell = |s: &Spot| -> Option<usize> {
        if s.lon < x0 || s.lon > x1 || s.lat < y0 || s.lat > y1 {
            return None;
        }
        let cx = (((s.lon - x0) / (x1 - x0)) * w as f64) as usize;
        let cy = (((y1 - s.lat) / (y1 - y0)) * h as f64) as usize;
        Some(cy.min(h - 1) * w + cx.min(w - 1))
    };
    let first = spots
        .iter()
        .enumerate()
        .filter(|(i, s)| *i == cursor || selected.contains(&s.place));
    let rest = spots.iter().enumerate();
    let mut out = Vec::new();
    for (i, s) in first.chain(rest) {
        if let Some(c) = cell(s)
            && !taken[c]
        {
            taken[c] = true;
            out.push(i);
        }
    }
    // Drawn in reverse: the chosen one printed last, on top.
    out.reverse();
    out
}

/// Most names written beside their marks: the busiest places.
const MAX_LABELS: usize = 6;

/// Names for the busiest marks drawn, each right of its mark where it
/// overlaps no other mark or name: (longitude, latitude, name).
fn labels(
    m: &Model,
    spots: &[Spot],
    shown: &[usize],
    area: Rect,
    [x0, x1]: [f64; 2],
    [y0, y1]: [f64; 2],
) -> Vec<(f64, f64, String)> {
    let (w, h) = (
        usize::from(area.width.max(1)),
        usize::from(area.height.max(1)),
    );
    // Cells as the canvas prints text: over `w - 1` and `h - 1`, cut.
    let cell = |s: &Spot| {
        let cx = ((s.lon - x0) * (w - 1) as f64 / (x1 - x0)) as usize;
        let cy = ((y1 - s.lat) * (h - 1) as f64 / (y1 - y0)) as usize;
        (cx.min(w - 1), cy.min(h - 1))
    };
    let mut taken = vec![false; w * h];
    for &i in shown {
        let (cx, cy) = cell(&spots[i]);
        taken[cy * w + cx] = true;
    }
    let mut busiest: Vec<usize> = shown.to_vec();
    busiest.sort_unstable();
    let mut out = Vec::new();
    for i in busiest {
        if out.len() == MAX_LABELS {
            break;
        }
        let s = &spots[i];
        let (cx, cy) = cell(s);
        let name = fit(&m.place(s.place).name, 18);
        let len = crate::tui::widgets::text::width(&name);
        // Right of the mark, else left of it (near the right edge).
        let free = |from: usize, to: usize| to <= w && (from..to).all(|x| !taken[cy * w + x]);
        let (from, to) = if free(cx + 1, cx + 2 + len) {
            (cx + 1, cx + 2 + len)
        } else if cx > len && free(cx - len - 1, cx) {
            (cx - len, cx)
        } else {
            continue;
        };
        (from..to).for_each(|x| taken[cy * w + x] = true);
        // The middle of the cell right of the mark.
        let lon = x0 + (from as f64 + 0.5) * (x1 - x0) / (w - 1).max(1) as f64;
        out.push((lon, s.lat, name));
    }
    out
}

/// Under the map: the chosen place, its count, and the keys.
fn draw_label(app: &App, f: &mut Frame, area: Rect, spots: &[Spot]) {
    let theme = app.theme;
    let w = area.width as usize;
    let first = match spots.get(app.map.cursor) {
        Some(s) => {
            let p = app.model.place(s.place);
            let how = if s.precise {
                ""
            } else {
                " (area, or places within it)"
            };
            format!(
                "{} · {} event{}{how}",
                p.name,
                s.events,
                if s.events == 1 { "" } else { "s" }
            )
        }
        None => "No place of the shown events has coordinates".into(),
    };
    // Places outside the frame are said, not silently left out.
    let off = app.map.drawn.map_or(0, |(_, [x0, x1], [y0, y1])| {
        spots
            .iter()
            .filter(|s| s.lon < x0 || s.lon > x1 || s.lat < y0 || s.lat > y1)
            .count()
    });
    let off = if off > 0 {
        format!(" ({off} off the map)")
    } else {
        String::new()
    };
    let lines = vec![
        Line::styled(fit(&first, w), theme.title()),
        Line::styled(
            fit(
                &format!(
                    "{} places{off} · j/k place · Enter filter · +/- zoom · H J K L pan · 0 reset · m close",
                    spots.len()
                ),
                w,
            ),
            theme.dim(),
        ),
    ];
    f.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_without_coordinates_fall_back_and_count_once_per_event() {
        let m = crate::load_builtin().unwrap();
        let all: Vec<Ix> = (0..m.events.len() as Ix).collect();
        let s = spots(&m, &all);
        assert!(!s.is_empty());
        // Sorted by count, and no event counted twice at one spot.
        assert!(s.windows(2).all(|w| w[0].events >= w[1].events));
        let germany = s
            .iter()
            .find(|s| m.place(s.place).name.as_str() == "Germany");
        if let Some(g) = germany {
            assert!(!g.precise, "a country is an area");
        }
        let niamey = s
            .iter()
            .find(|s| m.place(s.place).name.as_str() == "Niamey");
        assert!(niamey.is_some_and(|n| n.precise));
    }

    #[test]
    fn the_frame_holds_every_spot_and_a_lone_city_gets_surroundings() {
        let area = Rect::new(0, 0, 60, 20);
        let spot = |lat, lon| Spot {
            place: 0,
            lat,
            lon,
            events: 1,
            precise: true,
        };
        let ([x0, x1], [y0, y1]) = frame(
            &[spot(13.5, 2.1), spot(17.0, 8.0)],
            area,
            0,
            (0.0, 0.0),
            None,
        );
        assert!(x0 < 2.1 && x1 > 8.0 && y0 < 13.5 && y1 > 17.0);
        let ([x0, x1], _) = frame(&[spot(13.5, 2.1)], area, 0, (0.0, 0.0), None);
        assert!(x1 - x0 >= 3.0);
        let ([a0, a1], _) = frame(&[spot(13.5, 2.1)], area, 1, (0.0, 0.0), None);
        assert!((a1 - a0) < (x1 - x0), "zooming in narrows the frame");
    }
}
