//! A disagreement between sources: every value claimed, who claims it
//! (independent origins counted, sponsored flagged) and the quotes. Enter
//! opens a quote in its article.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::{Ix, Model, Quote};
use crate::tui::app::{App, Overlay};
use crate::tui::panes::sources::source_label;
use crate::tui::widgets::frame::{draw_scrolled, popup_frame};
use crate::tui::widgets::text::{fit, safe, wrap};

/// Quotes listed per claim, and claims listed; more are counted. The view
/// is built at each frame, so a claim with thousands of quotes must not
/// make it slow.
const MAX_QUOTES: usize = 100;
const MAX_CLAIMS: usize = 200;

pub struct ConflictView {
    pub conflict: Ix,
    /// Which quote is selected, over all claims in order.
    pub cursor: usize,
}

/// Every selectable quote: (claim, index of the quote in its evidence).
pub fn items(m: &Model, conflict: Ix) -> Vec<(Ix, usize)> {
    m.conflicts[conflict as usize]
        .claims
        .iter()
        .take(MAX_CLAIMS)
        .flat_map(|&c| {
            (0..m.claims[c as usize].evidence.len().min(MAX_QUOTES)).map(move |q| (c, q))
        })
        .collect()
}

/// The selected quote of the open conflict view.
pub fn selected_quote(m: &Model, v: &ConflictView) -> Option<Quote> {
    items(m, v.conflict)
        .get(v.cursor)
        .map(|&(c, q)| m.claims[c as usize].evidence[q].clone())
}

/// A conflict's name (`disputes::name`).
pub fn conflict_name(m: &Model, conflict: Ix) -> String {
    crate::disputes::name(m, conflict)
}

/// A conflict as text to copy: each value with who claims it.
pub fn conflict_text(m: &Model, conflict: Ix) -> String {
    let c = &m.conflicts[conflict as usize];
    let mut out = format!("Sources disagree on {}:", conflict_name(m, conflict));
    for &cl in c.claims.iter().take(MAX_CLAIMS) {
        let claim = &m.claims[cl as usize];
        let cites: Vec<String> = claim
            .evidence
            .iter()
            .take(MAX_QUOTES)
            .map(|q| crate::tui::copy::cite_quote(m, q))
            .collect();
        out.push_str(&format!("\n- {}: {}", claim.value, cites.join("; ")));
    }
    out
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let m = std::sync::Arc::clone(&app.model);
    let Overlay::Conflict(v) = &app.overlay else {
        return;
    };
    let popup = area.centered(Constraint::Max(120), Constraint::Percentage(100));
    if popup.width < 20 || popup.height < 6 {
        return;
    }
    let inner = popup_frame(
        f,
        popup,
        Line::styled(" Sources disagree ", theme.conflict()),
        theme,
    );
    let [text, keys] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let w = text.width as usize;
    let c = &m.conflicts[v.conflict as usize];
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut item_lines = Vec::new();
    lines.push(Line::styled(
        fit(&conflict_name(&m, v.conflict), w),
        theme.title(),
    ));
    lines.push(Line::styled(
        fit(
            &if c.compatible {
                format!(
                    "{} values claimed; compatible: they can all hold",
                    c.claims.len()
                )
            } else {
                format!(
                    "{} values claimed; they contradict each other; none is chosen here",
                    c.claims.len()
                )
            },
            w,
        ),
        theme.dim(),
    ));
    let mut n = 0;
    for &cl in c.claims.iter().take(MAX_CLAIMS) {
        let claim = &m.claims[cl as usize];
        lines.push(Line::raw(""));
        let origins = m.origin_count(&claim.evidence);
        let sponsored = claim
            .evidence
            .iter()
            .all(|q| m.source(q.source).is_sponsored());
        let mut head = vec![
            Span::styled(
                fit(&claim.value, w.saturating_sub(30).max(10)),
                theme.highlight(),
            ),
            Span::styled(
                format!(
                    "  {origins} independent origin{}",
                    if origins == 1 { "" } else { "s" }
                ),
                theme.dim(),
            ),
        ];
        if let Some(r) = crate::disputes::read_as(claim) {
            head.push(Span::styled(format!(" · read as {r}"), theme.dim()));
        }
        if let Some(d) = claim.as_of {
            head.push(Span::styled(format!(" · as of {d}"), theme.dim()));
        }
        if sponsored {
            head.push(Span::styled(" SPONSORED ", theme.sponsored().reversed()));
        }
        lines.push(Line::from(head));
        for q in claim.evidence.iter().take(MAX_QUOTES) {
            let s = m.source(q.source);
            let selected = n == v.cursor;
            item_lines.push(lines.len());
            let label = fit(&source_label(&m, s), w.saturating_sub(4));
            let head = Line::from(vec![
                Span::raw(if selected { "› " } else { "  " }),
                Span::styled(
                    label,
                    if s.is_sponsored() {
                        theme.sponsored()
                    } else {
                        theme.text()
                    },
                ),
            ]);
            lines.push(if selected {
                head.style(theme.selected())
            } else {
                head
            });
            let quote = format!("“{}”", q.text);
            for r in wrap(&quote, w.saturating_sub(4).max(10)) {
                lines.push(Line::styled(
                    format!("    {}", safe(quote[r].trim_end())),
                    theme.dim(),
                ));
            }
            n += 1;
        }
        if claim.evidence.len() > MAX_QUOTES {
            lines.push(Line::styled(
                format!("  … and {} more quotes", claim.evidence.len() - MAX_QUOTES),
                theme.dim(),
            ));
        }
    }
    if c.claims.len() > MAX_CLAIMS {
        lines.push(Line::styled(
            format!("… and {} more claims", c.claims.len() - MAX_CLAIMS),
            theme.dim(),
        ));
    }
    draw_scrolled(f, text, lines, &item_lines, v.cursor, 3);
    f.render_widget(
        Paragraph::new(fit(
            "j/k choose a quote · Enter read it in its article · y copy it with its citation · Esc or q close",
            keys.width as usize,
        ))
        .style(theme.dim()),
        keys,
    );
}

impl App {
    /// j/k over the quotes; Enter reads one in its article (this view
    /// comes back when the reader closes).
    pub(in crate::tui) fn step_conflict(&mut self, control: crate::tui::control::Control) {
        use crate::tui::control::Control;
        let m = std::sync::Arc::clone(&self.model);
        let Overlay::Conflict(v) = &mut self.overlay else {
            return;
        };
        let n = items(&m, v.conflict).len();
        let last = n.saturating_sub(1);
        match control {
            Control::Down => v.cursor = (v.cursor + 1).min(last),
            Control::Up => v.cursor = v.cursor.saturating_sub(1),
            Control::PageDown => v.cursor = (v.cursor + 5).min(last),
            Control::PageUp => v.cursor = v.cursor.saturating_sub(5),
            Control::Top => v.cursor = 0,
            Control::Bottom => v.cursor = last,
            Control::Enter => {
                if let Some(q) = selected_quote(&m, v) {
                    self.open_reader(q.source, Some(q.span));
                }
            }
            _ => {}
        }
    }
}
