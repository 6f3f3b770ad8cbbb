//! How the columns are shared among the three panes side by side: each
//! asks for what it holds (the timeline its titles, the relationships
//! their longest relation, the sources their longest heading), and `z`
//! widens the focused pane or gives it the whole screen.

use crate::tui::app::{App, Pane};
use crate::tui::widgets::text::width;

/// `z` cycles: panes shared, the focused one widened, the focused one alone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Zoom {
    #[default]
    Shared,
    Wide,
    Full,
}

impl Zoom {
    pub fn next(self) -> Zoom {
        match self {
            Zoom::Shared => Zoom::Wide,
            Zoom::Wide => Zoom::Full,
            Zoom::Full => Zoom::Shared,
        }
    }
}

/// Columns no pane gets less of side by side: the timeline, the
/// relationships (or the map), the sources.
const MINS: [usize; 3] = [40, 26, 26];
/// The others' columns beside a widened pane.
const BESIDE: usize = 20;
/// What each pane takes before the others' needs are met, in hundredths
/// of the width: the rest goes to whichever still needs it.
const FAIR: [usize; 3] = [62, 30, 26];

/// Columns for the three panes out of `total`, given what each needs
/// (borders included), the timeline's first; room nobody needs is shared
/// evenly. A `widened` pane is served first and in full.
pub fn split(total: usize, needs: [usize; 3], widened: Option<usize>) -> [usize; 3] {
    split_led(total, needs, widened, widened)
}

/// `split`, with the `lead` pane served first and in full: the map, or
/// the widened pane.
fn split_led(
    total: usize,
    needs: [usize; 3],
    widened: Option<usize>,
    lead: Option<usize>,
) -> [usize; 3] {
    let mins = match widened {
        Some(i) => {
            let mut m = [BESIDE; 3];
            m[i] = MINS[i];
            m
        }
        None => MINS,
    };
    let mins_sum: usize = mins.iter().sum();
    if total <= mins_sum {
        // Too narrow for the minimums (never side by side): in proportion.
        let a = total * mins[0] / mins_sum;
        let b = total * mins[1] / mins_sum;
        return [a, b, total - a - b];
    }
    let mut w = mins;
    let mut rest = total - mins_sum;
    let give = |w: &mut [usize; 3], i: usize, upto: usize, rest: &mut usize| {
        let more = upto.saturating_sub(w[i]).min(*rest);
        w[i] += more;
        *rest -= more;
    };
    let order = match lead {
        Some(1) => [1, 0, 2],
        Some(2) => [2, 0, 1],
        _ => [0, 1, 2],
    };
    for i in order {
        let fair = total * FAIR[i] / 100;
        let upto = if widened == Some(i) || lead == Some(i) {
            needs[i]
        } else {
            needs[i].min(fair)
        };
        give(&mut w, i, upto, &mut rest);
    }
    for i in order {
        give(&mut w, i, needs[i], &mut rest);
    }
    let each = rest / 3;
    w[0] += rest - 2 * each;
    w[1] += each;
    w[2] += each;
    w
}

/// The panes side by side and their columns (a pane with no columns is
/// not drawn), for a body `total` columns wide and `rows` high.
pub fn columns(app: &mut App, total: u16, rows: u16) -> [(Pane, u16); 3] {
    let focus = app.focus.index();
    let total = usize::from(total);
    let w = match app.zoom {
        Zoom::Full => {
            let mut w = [0; 3];
            w[focus] = total;
            w
        }
        zoom => {
            let mut needs = [
                timeline_need(app, usize::from(rows)),
                relations_need(app, total),
                sources_need(app, usize::from(rows)),
            ];
            let widened = (zoom == Zoom::Wide).then(|| {
                // Widened: all it could use, the others their least.
                needs[focus] = total;
                focus
            });
            // The map is read whole or not at all: it is served first.
            let lead = widened.or(app.map.on.then_some(1));
            split_led(total, needs, widened, lead)
        }
    };
    let w = w.map(|c| c.min(usize::from(u16::MAX)) as u16);
    [
        (Pane::Timeline, w[0]),
        (Pane::Relations, w[1]),
        (Pane::Sources, w[2]),
    ]
}

/// The timeline's columns for the titles that can be on screen: those
/// from the first drawn down a screenful (bounded by the rows, not the
/// store).
fn timeline_need(app: &App, rows: usize) -> usize {
    let m = &app.model;
    let top = app.timeline.top.min(app.visible.len());
    let end = (top + rows).min(app.visible.len());
    let title = app.visible[top..end]
        .iter()
        .map(|&e| width(&m.event(e).title))
        .max()
        .unwrap_or(0);
    // Borders, pointer and marks, the date column, the markers.
    2 + 3 + crate::tui::panes::timeline::date_column(m, usize::MAX) + title + 9
}

/// The relationships' columns: the longest relation or name shown on one
/// line; the map asks for a third of the width.
fn relations_need(app: &mut App, total: usize) -> usize {
    if app.map.on {
        return total * 34 / 100;
    }
    2 + crate::tui::panes::relations::widest_line(app)
}

/// The sources' columns: a quote's heading and article title on one line,
/// and at least what makes the quoted text comfortable to read.
fn sources_need(app: &App, rows: usize) -> usize {
    let Some(e) = app.selected_event() else {
        return 0;
    };
    let m = &app.model;
    let first = app.sources_cursor.saturating_sub(rows);
    let widest = m
        .event(e)
        .evidence
        .iter()
        .skip(first)
        .take(rows * 2 + 1)
        .map(|q| {
            let s = m.source(q.source);
            let flag = if s.is_sponsored() { 11 } else { 0 };
            let head = 6 + width(&crate::tui::panes::sources::source_label(m, s)) + flag;
            head.max(6 + width(&s.title))
        })
        .max()
        .unwrap_or(0);
    2 + widest.clamp(36, 60)
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn every_column_is_given_out() {
        for total in [0, 50, 96, 120, 160, 200, 400] {
            for needs in [[0, 0, 0], [300, 300, 300], [60, 40, 50], [150, 30, 40]] {
                let w = split(total, needs, None);
                assert_eq!(w.iter().sum::<usize>(), total, "{total} {needs:?}");
            }
        }
    }

    #[test]
    fn needs_met_when_they_fit_and_the_rest_shared() {
        let w = split(240, [110, 60, 50], None);
        assert_eq!(w, [118, 66, 56]);
        // Short of room: the timeline keeps its share, the others what is left.
        assert_eq!(split(160, [150, 80, 80], None), [99, 35, 26]);
        // Nobody needs much: the minimums, and the rest evenly.
        assert_eq!(split(120, [0, 0, 0], None), [50, 35, 35]);
    }

    #[test]
    fn the_widened_pane_takes_all_but_the_others_least() {
        assert_eq!(split(160, [60, 160, 50], Some(1)), [20, 120, 20]);
        assert_eq!(split(160, [160, 40, 50], Some(0)), [120, 20, 20]);
        assert_eq!(split(160, [160, 40, 50], None), [99, 35, 26]);
    }
}
