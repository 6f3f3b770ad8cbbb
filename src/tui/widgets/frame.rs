//! Frames the overlays and panes share: a popup's cleared, bordered frame,
//! and lines drawn scrolled to keep a selected item on screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::theme::Theme;

/// Draws `lines` scrolled so that the selected item's line (and `after`
/// lines below it) are on screen. `item_lines[i]` is the line of item `i`.
/// Returns the screen row of each item drawn, for the mouse.
pub fn draw_scrolled(
    f: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    item_lines: &[usize],
    selected: usize,
    after: usize,
) -> Vec<(u16, usize)> {
    let h = area.height as usize;
    let sel = item_lines.get(selected).copied().unwrap_or(0);
    let offset = (sel + 1 + after).saturating_sub(h).min(sel);
    let rows = item_lines
        .iter()
        .enumerate()
        .filter(|&(_, &l)| l >= offset && l < offset + h)
        .map(|(i, &l)| (area.y + (l - offset) as u16, i))
        .collect();
    let shown: Vec<Line<'static>> = lines.into_iter().skip(offset).take(h).collect();
    f.render_widget(Paragraph::new(shown), area);
    rows
}

/// Clears `area` and draws the focused frame of an overlay titled `title`;
/// returns the inside.
pub fn popup_frame(f: &mut Frame, area: Rect, title: Line<'static>, theme: Theme) -> Rect {
    f.render_widget(Clear, area);
    let block = Block::bordered()
        .title(title)
        .border_style(theme.focused_border());
    let inner = block.inner(area);
    f.render_widget(block, area);
    inner
}
