//! Two sources side by side, only where they share passages: what a copy
//! or a rewrite took from an article, so the analyst can record it as
//! based on it (a rewrite is not a second source). Opened with `=` in the
//! reader; Tab goes to the next source sharing passages.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use crate::evidence::overlap::{self, Overlap};
use crate::model::Ix;
use crate::tui::app::{App, Overlay};
use crate::tui::control::Control;
use crate::tui::overlays::pager::Pager;
use crate::tui::widgets::frame::popup_frame;
use crate::tui::widgets::text::{fit, width, wrap};

/// Lines one passage may take in its column: a long shared paragraph is
/// cut, the reader shows it whole.
const MAX_PASSAGE_LINES: usize = 12;

pub struct CompareView {
    /// The source read.
    pub source: Ix,
    /// The stored sources sharing its sentences, best first.
    pub overlaps: Vec<Overlap>,
    /// The one shown.
    pub current: usize,
    pub pager: Pager,
}

impl App {
    /// `=` in the reader: the sources this one shares passages with.
    pub(crate) fn open_compare(&mut self) {
        let Overlay::Reader(r) = &self.overlay else {
            return;
        };
        let source = r.source;
        let text = &self.model.source(source).text;
        let mut overlaps = overlap::against_store(text, &self.model, Some(source));
        if overlaps.is_empty() {
            overlaps = overlap::toward(&self.model, source);
        }
        if overlaps.is_empty() {
            self.status = Some(format!(
                "No other source shares {:.0}% of this one's sentences or more",
                overlap::FLOOR * 100.0
            ));
            return;
        }
        self.open(Overlay::Compare(CompareView {
            source,
            overlaps,
            current: 0,
            pager: Pager::default(),
        }));
    }

    pub(in crate::tui) fn step_compare(&mut self, control: Control) {
        let Overlay::Compare(v) = &mut self.overlay else {
            return;
        };
        match control {
            Control::FocusNext => {
                v.current = (v.current + 1) % v.overlaps.len().max(1);
                v.pager = Pager::default();
            }
            Control::FocusPrev => {
                let n = v.overlaps.len().max(1);
                v.current = (v.current + n - 1) % n;
                v.pager = Pager::default();
            }
            other => {
                v.pager.step(&other);
            }
        }
    }
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let model = std::sync::Arc::clone(&app.model);
    let Overlay::Compare(v) = &mut app.overlay else {
        return;
    };
    let Some(o) = v.overlaps.get(v.current) else {
        return;
    };
    if area.width < 24 || area.height < 6 {
        return;
    }
    let (left, right) = (model.source(v.source), model.source(o.other));
    let title = format!(
        " Shared: {} of {} sentences ({:.0}%) with {} ",
        o.shared_sentences,
        o.sentences,
        o.share() * 100.0,
        left_or_id(&right.outlet, &right.id)
    );
    let inner = popup_frame(
        f,
        area,
        Line::styled(fit(&title, area.width as usize - 4), theme.title()),
        theme,
    );
    let [heads, body, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let col = (inner.width as usize).saturating_sub(3) / 2;
    let head = format!(
        "{}{}",
        pad(&fit(&format!("this: {}", left.title), col), col + 3),
        fit(
            &format!("{}: {}", left_or_id(&right.outlet, &right.id), right.title),
            col
        )
    );
    f.render_widget(Line::styled(head, theme.key()), heads);
    let mut lines = Vec::new();
    for (a, b) in &o.passages {
        let l = column(&left.text[a.clone()], col);
        let r = column(&right.text[b.clone()], col);
        for i in 0..l.len().max(r.len()) {
            let cell = |c: &Vec<String>| c.get(i).cloned().unwrap_or_default();
            lines.push(Line::from(vec![
                Span::raw(pad(&cell(&l), col)),
                Span::styled(" │ ", theme.dim()),
                Span::raw(cell(&r)),
            ]));
        }
        lines.push(Line::raw(""));
    }
    v.pager.draw(f, body, lines);
    let more = if v.overlaps.len() > 1 {
        format!(" · Tab next of {} sources", v.overlaps.len())
    } else {
        String::new()
    };
    let hint = format!("j/k scroll{more} · Esc back to the reader");
    f.render_widget(
        Line::styled(fit(&hint, keys.width as usize), theme.dim()),
        keys,
    );
}

/// A passage wrapped to a column's width, at most MAX_PASSAGE_LINES.
fn column(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = wrap(text, width.max(1))
        .into_iter()
        .take(MAX_PASSAGE_LINES)
        .map(|r| fit(text[r].trim_end(), width))
        .collect();
    if out.len() == MAX_PASSAGE_LINES {
        out.push("…".into());
    }
    out
}

fn left_or_id(outlet: &str, id: &str) -> String {
    if outlet.trim().is_empty() {
        id.to_string()
    } else {
        outlet.to_string()
    }
}

/// `s` (already fitted) padded with spaces to `w` columns.
fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}
