//! The export dialog (`e`): what will be written, in which format, where.

use ratatui::Frame;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Overlay};
use super::text::{fit, safe};
use super::view::popup_frame;
use crate::export::Format;

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let Overlay::Export(d) = &app.overlay else {
        return;
    };
    let theme = app.theme;
    let popup = area.centered(Constraint::Max(84), Constraint::Length(12));
    if popup.width < 30 || popup.height < 8 {
        return;
    }
    let inner = popup_frame(f, popup, Line::styled(" Export ", theme.title()), theme);
    let w = inner.width as usize;
    let mut formats = vec![Span::styled("Format  ", theme.dim())];
    for fmt in Format::ALL {
        let label = format!(" {} ", fmt.name());
        formats.push(if fmt == d.format {
            Span::styled(label, theme.selected())
        } else {
            Span::raw(label)
        });
    }
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Slice   ", theme.dim()),
            Span::raw(fit(&d.which, w.saturating_sub(8))),
        ]),
        Line::from(vec![
            Span::styled("Writes  ", theme.dim()),
            Span::raw(fit(&d.contents, w.saturating_sub(8))),
        ]),
        Line::raw(""),
        Line::from(formats),
        Line::styled(format!("        {}", d.format.describe()), theme.dim()),
        // The name itself is drawn below, scrolled to keep the cursor in view.
        Line::styled("File    ", theme.dim()),
        Line::raw(""),
    ];
    if d.confirm_replace {
        lines.push(Line::styled(
            fit(&format!("{} exists. Replace it? y / n", d.input.value()), w),
            theme.error(),
        ));
    } else if let Some(e) = &d.error {
        lines.push(Line::styled(fit(e, w), theme.error()));
        lines.push(Line::styled(
            "Nothing was written. Fix the name and press Enter, or Esc",
            theme.dim(),
        ));
    } else {
        lines.push(Line::styled(
            "Tab/↑↓ format · type the file name · Enter write · Esc cancel",
            theme.dim(),
        ));
    }
    f.render_widget(Paragraph::new(lines), inner);
    let file_y = inner.y + 5;
    let width = inner.width.saturating_sub(9) as usize;
    if width == 0 || file_y >= inner.bottom() {
        return;
    }
    let scroll = d.input.visual_scroll(width);
    let field = Rect {
        x: inner.x + 8,
        y: file_y,
        width: width as u16,
        height: 1,
    };
    f.render_widget(
        Paragraph::new(safe(d.input.value())).scroll((0, scroll as u16)),
        field,
    );
    if !d.confirm_replace {
        let x = field.x + d.input.visual_cursor().saturating_sub(scroll).min(width) as u16;
        f.set_cursor_position(Position::new(
            x.min(inner.right().saturating_sub(1)),
            file_y,
        ));
    }
}
