//! The sources pane: each quote behind the selected event, highlighted in a
//! few lines of its article, and the conflicts between sources that touch it.

use super::control::Control;
use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::app::{App, Pane};
use super::text::{fit, marked, width, wrap};
use super::view::draw_scrolled;
use crate::model::{Ix, Lineage, Model, Source};

/// Characters of article text shown on each side of a quote.
const CONTEXT: usize = 160;

/// A byte range around `span` in `text`: up to CONTEXT chars each side,
/// within the quote's paragraph, starting and ending at word boundaries.
pub fn context(text: &str, span: &Range<usize>) -> Range<usize> {
    let para_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let para_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    let before = &text[para_start..span.start];
    let mut start = before
        .char_indices()
        .rev()
        .nth(CONTEXT)
        .map_or(para_start, |(i, _)| para_start + i);
    if start > para_start
        && let Some(sp) = text[start..span.start].find(' ')
    {
        start += sp + 1;
    }
    let after = &text[span.end..para_end];
    let mut end = after
        .char_indices()
        .nth(CONTEXT)
        .map_or(para_end, |(i, _)| span.end + i);
    if end < para_end
        && let Some(sp) = text[span.end..end].rfind(' ')
    {
        end = span.end + sp;
    }
    start..end
}

pub fn source_label(m: &Model, s: &Source) -> String {
    let mut parts = vec![s.outlet.to_string()];
    parts.extend(s.author.as_ref().map(|a| format!("by {a}")));
    if let Some(d) = s.published {
        parts.push(d.to_string());
    }
    parts.push(s.kind.label().to_string());
    parts.extend(m.lineage_label(s));
    parts.join(" · ")
}

fn conflict_lines(m: &Model, e: Ix, w: usize, app: &App) -> Vec<Line<'static>> {
    let theme = app.theme;
    let mut lines = Vec::new();
    let conflicts = m.conflicts_of_event(e);
    if conflicts.is_empty() {
        return lines;
    }
    lines.push(Line::styled("Conflicting claims", theme.conflict()));
    for &c in conflicts {
        let c = &m.conflicts[c as usize];
        lines.push(Line::from(vec![
            Span::styled("  ! ", theme.conflict()),
            Span::styled(
                fit(
                    &format!("{} — {}", c.attribute, m.subject_name(c.subject)),
                    w.saturating_sub(4),
                ),
                theme.title(),
            ),
        ]));
        let claims: Vec<_> = c.claims.iter().map(|&i| &m.claims[i as usize]).collect();
        let value_w = claims
            .iter()
            .map(|cl| width(&cl.value))
            .max()
            .unwrap_or(0)
            .min(w / 2);
        for cl in claims {
            let mut outlets: Vec<String> = cl
                .evidence
                .iter()
                .map(|q| {
                    let s = m.source(q.source);
                    let mut o = s.outlet.to_string();
                    if s.is_sponsored() {
                        o.push_str(" (SPONSORED)");
                    }
                    if !matches!(s.lineage, Lineage::Original) {
                        o.push_str(" (derived)");
                    }
                    o
                })
                .collect();
            outlets.dedup();
            // Copies of one original are one voice.
            let origins = m.origin_count(&cl.evidence);
            let value = fit(&cl.value, value_w);
            let pad = value_w.saturating_sub(width(&value));
            let as_of = cl
                .as_of
                .map(|d| format!(" (as of {d})"))
                .unwrap_or_default();
            let rest_w = w.saturating_sub(4 + value_w + 3);
            lines.push(Line::from(vec![
                Span::raw("    "),
                Span::styled(value, theme.highlight()),
                Span::raw(" ".repeat(pad)),
                Span::styled(" │ ", theme.dim()),
                Span::raw(fit(
                    &format!("[{origins}] {}{as_of}", outlets.join(", ")),
                    rest_w,
                )),
            ]));
        }
    }
    lines
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let m = &app.model;
    let Some(e) = super::view::selected_or_note(app, f, area) else {
        return;
    };
    let w = area.width as usize;
    let focused = app.focus == Pane::Sources;
    let ev = m.event(e);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut quote_lines = Vec::new();
    // Only the quotes that can be on screen around the cursor are built
    // (each takes at least four rows): an event may have thousands.
    let reach = area.height as usize;
    let first = app.sources_cursor.saturating_sub(reach);
    let last = app
        .sources_cursor
        .saturating_add(reach + 1)
        .min(ev.evidence.len());
    for (i, q) in ev.evidence.iter().enumerate().take(last).skip(first) {
        let s = m.source(q.source);
        let selected = i == app.sources_cursor;
        quote_lines.push(lines.len());
        let mut head = vec![
            Span::raw(if selected { "› " } else { "  " }),
            Span::styled(format!("[{}] ", i + 1), theme.key()),
        ];
        let sponsored = s.is_sponsored();
        let flag = if sponsored { " SPONSORED " } else { "" };
        head.push(Span::styled(
            fit(&source_label(m, s), w.saturating_sub(6 + flag.len())),
            theme.title(),
        ));
        if sponsored {
            head.push(Span::raw(" "));
            head.push(Span::styled(flag, theme.sponsored().reversed()));
        }
        let head = Line::from(head);
        lines.push(if selected && focused {
            head.style(theme.selected())
        } else {
            head
        });
        lines.push(Line::styled(
            format!("    “{}”", fit(&s.title, w.saturating_sub(6))),
            theme.dim(),
        ));
        let ctx = context(&s.text, &q.span);
        let text = &s.text;
        let prefix = if ctx.start > 0 { "…" } else { "" };
        let suffix = if ctx.end < text.len() { "…" } else { "" };
        let inner = w.saturating_sub(4).max(1);
        for line in wrap(&text[ctx.clone()], inner) {
            let abs = ctx.start + line.start..ctx.start + line.end;
            let mut spans = vec![Span::raw("    ")];
            if abs.start == ctx.start && !prefix.is_empty() {
                spans.push(Span::styled(prefix, theme.dim()));
            }
            spans.extend(marked(
                text,
                abs.clone(),
                std::slice::from_ref(&q.span),
                theme.dim(),
                theme.highlight(),
            ));
            if abs.end == ctx.end && !suffix.is_empty() {
                spans.push(Span::styled(suffix, theme.dim()));
            }
            lines.push(Line::from(spans));
        }
        lines.push(Line::raw(""));
    }
    if last == ev.evidence.len() {
        lines.extend(conflict_lines(m, e, w, app));
    }

    // A quote is its header and a few lines of text: keep them together.
    let selected = app.sources_cursor - first.min(app.sources_cursor);
    app.areas.source_rows = draw_scrolled(f, area, lines, &quote_lines, selected, 4)
        .into_iter()
        .map(|(y, i)| (y, i + first))
        .collect();
}

impl App {
    pub(super) fn step_sources(&mut self, control: Control) {
        let n = self
            .selected_event()
            .map_or(0, |e| self.model.event(e).evidence.len());
        match control {
            Control::Down => {
                self.sources_cursor = (self.sources_cursor + 1).min(n.saturating_sub(1))
            }
            Control::Up => self.sources_cursor = self.sources_cursor.saturating_sub(1),
            Control::Top => self.sources_cursor = 0,
            Control::Bottom => self.sources_cursor = n.saturating_sub(1),
            Control::Enter => {
                if let Some(e) = self.selected_event()
                    && let Some(q) = self.model.event(e).evidence.get(self.sources_cursor)
                {
                    let (src, span) = (q.source, q.span.clone());
                    self.open_reader(src, Some(span));
                }
            }
            _ => self.step_timeline(control),
        }
    }
}
