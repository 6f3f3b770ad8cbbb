//! The sources pane: each quote behind the selected event, highlighted in a
//! few lines of its article, and the conflicts between sources that touch it.

use crate::tui::control::Control;
use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::model::{Ix, Lineage, Model, Source};
use crate::tui::app::{App, Overlay, Pane};
use crate::tui::overlays::conflict::ConflictView;
use crate::tui::widgets::frame::draw_scrolled;
use crate::tui::widgets::text::{fit, marked, wrap};

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

/// The event's conflicts as selectable items: a heading each, then every
/// value wrapped with who claims it. Returns the lines and each item's line.
fn conflict_lines(
    app: &App,
    e: Ix,
    w: usize,
    selected: Option<usize>,
    shown: Range<usize>,
) -> (Vec<Line<'static>>, Vec<usize>) {
    let m = &app.model;
    let theme = app.theme;
    let mut lines = Vec::new();
    let mut items = Vec::new();
    let conflicts = m.conflicts_of_event(e);
    if conflicts.is_empty() {
        return (lines, items);
    }
    if shown.start == 0 {
        lines.push(Line::styled(
            "Sources disagree · Enter shows every value and quote",
            theme.conflict(),
        ));
    }
    let focused = app.focus == Pane::Sources;
    for (k, &c) in conflicts
        .iter()
        .enumerate()
        .take(shown.end)
        .skip(shown.start)
    {
        items.push(lines.len());
        let is_sel = selected == Some(k);
        let head = Line::from(vec![
            Span::raw(if is_sel { "› " } else { "  " }),
            Span::styled("! ", theme.conflict()),
            Span::styled(
                fit(
                    &crate::tui::overlays::conflict::conflict_name(m, c),
                    w.saturating_sub(4),
                ),
                theme.title(),
            ),
        ]);
        lines.push(if is_sel && focused {
            head.style(theme.selected())
        } else {
            head
        });
        let conflict = &m.conflicts[c as usize];
        for &cl in conflict.claims.iter().take(20) {
            let cl = &m.claims[cl as usize];
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
            let as_of = cl
                .as_of
                .map(|d| format!(" (as of {d})"))
                .unwrap_or_default();
            let text = format!(
                "{} — {} ({origins} origin{}){as_of}",
                cl.value,
                outlets.join(", "),
                if origins == 1 { "" } else { "s" }
            );
            let value_len = cl.value.len();
            for (n, r) in wrap(&text, w.saturating_sub(6).max(10))
                .into_iter()
                .enumerate()
            {
                let indent = if n == 0 { "    " } else { "      " };
                let part = &text[r.clone()];
                // The value itself highlighted on the first line.
                let spans = if n == 0 && r.start == 0 {
                    let cut = value_len.min(part.len());
                    vec![
                        Span::raw(indent),
                        Span::styled(
                            crate::tui::widgets::text::safe(&part[..cut]),
                            theme.highlight(),
                        ),
                        Span::raw(crate::tui::widgets::text::safe(part[cut..].trim_end())),
                    ]
                } else {
                    vec![
                        Span::raw(indent),
                        Span::raw(crate::tui::widgets::text::safe(part.trim_end())),
                    ]
                };
                lines.push(Line::from(spans));
            }
        }
        if conflict.claims.len() > 20 {
            lines.push(Line::styled(
                format!("    … and {} more values", conflict.claims.len() - 20),
                theme.dim(),
            ));
        }
    }
    (lines, items)
}

/// How many items the sources pane lists for `e`: its quotes, then its conflicts.
pub fn item_count(m: &Model, e: Ix) -> usize {
    m.event(e).evidence.len() + m.conflicts_of_event(e).len()
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let m = &app.model;
    let Some(e) = crate::tui::panes::selected_or_note(app, f, area) else {
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
    let nq = ev.evidence.len();
    let all = item_count(m, e);
    // Items (quotes, then conflicts) that can be on screen around the cursor.
    let first = app.sources_cursor.saturating_sub(reach);
    let last = app.sources_cursor.saturating_add(reach + 1).min(all);
    for (i, q) in ev
        .evidence
        .iter()
        .enumerate()
        .take(last.min(nq))
        .skip(first)
    {
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
    if last > nq {
        let selected = app.sources_cursor.checked_sub(nq);
        let shown = first.saturating_sub(nq)..last - nq;
        let (more, items) = conflict_lines(app, e, w, selected, shown);
        let at = lines.len();
        quote_lines.extend(items.into_iter().map(|l| l + at));
        lines.extend(more);
    }

    // A quote is its header and a few lines of text: keep them together.
    let selected = app.sources_cursor - first.min(app.sources_cursor);
    app.areas.source_rows = draw_scrolled(f, area, lines, &quote_lines, selected, 4)
        .into_iter()
        .map(|(y, i)| (y, i + first))
        .collect();
}

impl App {
    pub(in crate::tui) fn step_sources(&mut self, control: Control) {
        let n = self
            .selected_event()
            .map_or(0, |e| item_count(&self.model, e));
        match control {
            Control::Down => {
                self.sources_cursor = (self.sources_cursor + 1).min(n.saturating_sub(1))
            }
            Control::Up => self.sources_cursor = self.sources_cursor.saturating_sub(1),
            Control::PageDown => {
                self.sources_cursor = (self.sources_cursor + 5).min(n.saturating_sub(1))
            }
            Control::PageUp => self.sources_cursor = self.sources_cursor.saturating_sub(5),
            Control::Top => self.sources_cursor = 0,
            Control::Bottom => self.sources_cursor = n.saturating_sub(1),
            Control::Enter => self.open_source_item(),
            _ => self.step_timeline(control),
        }
    }

    /// Enter on a quote reads it in its article; on a conflict, shows it.
    fn open_source_item(&mut self) {
        let Some(e) = self.selected_event() else {
            return;
        };
        let ev = self.model.event(e);
        if let Some(q) = ev.evidence.get(self.sources_cursor) {
            let (src, span) = (q.source, q.span.clone());
            self.open_reader(src, Some(span));
        } else if let Some(&c) = self
            .model
            .conflicts_of_event(e)
            .get(self.sources_cursor - ev.evidence.len())
        {
            self.open(Overlay::Conflict(ConflictView {
                conflict: c,
                cursor: 0,
            }));
        }
    }

    /// The selected conflict of the sources pane, if a conflict is selected.
    pub fn selected_conflict(&self) -> Option<Ix> {
        let e = self.selected_event()?;
        let nq = self.model.event(e).evidence.len();
        let k = self.sources_cursor.checked_sub(nq)?;
        self.model.conflicts_of_event(e).get(k).copied()
    }
}
