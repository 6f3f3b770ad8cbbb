//! The export dialog (`e`): what will be written, in which format, where.

use crate::export;
use crate::io::atomic;
use ratatui::Frame;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;

use crate::export::Format;
use crate::tui::app::{App, Overlay};
use crate::tui::widgets::frame::popup_frame;
use crate::tui::widgets::text::{fit, safe};

/// The export dialog (`e`).
pub struct ExportDialog {
    pub format: Format,
    pub input: Input,
    /// The user typed a name: changing the format no longer renames.
    pub edited: bool,
    /// The file exists: waiting for y/n.
    pub confirm_replace: bool,
    /// Which events and what they bring along, worked out once on opening
    /// (the slice cannot change while the dialog is open).
    pub which: String,
    pub contents: String,
    /// Why the last attempt failed; the dialog stays open to fix the name.
    pub error: Option<String>,
}

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

impl App {
    pub(in crate::tui) fn slice_words(&self) -> Vec<String> {
        let (events, marked) = self.slice();
        if marked {
            vec![format!("{} marked events", events.len())]
        } else {
            self.filter().describe(&self.model)
        }
    }

    pub(in crate::tui) fn default_export_name(&self, format: Format) -> String {
        let (events, marked) = self.slice();
        let words = if marked {
            Vec::new()
        } else {
            self.slice_words()
        };
        export::default_file_name(&words, &self.model, &events, format)
    }

    pub(in crate::tui) fn export_dialog_format(&self) -> Format {
        match &self.overlay {
            Overlay::Export(d) => d.format,
            _ => Format::Md,
        }
    }

    pub(in crate::tui) fn open_export(&mut self) {
        let format = Format::Md;
        let (events, marked) = self.slice();
        let which = if marked {
            format!("the {} marked events", events.len())
        } else if self.chips.is_empty() {
            format!("all {} events (nothing marked, no filters)", events.len())
        } else {
            format!(
                "the {} events the filters show (nothing marked)",
                events.len()
            )
        };
        let p = export::Parts::of(&self.model, &events);
        let contents = format!(
            "{} events, {} actors, {} places, {} sources, {} relations, {} claims",
            p.events.len(),
            p.actors.len(),
            p.places.len(),
            p.sources.len(),
            p.relations.len(),
            p.claims.len()
        );
        self.overlay = Overlay::Export(ExportDialog {
            format,
            input: Input::new(self.default_export_name(format)),
            edited: false,
            confirm_replace: false,
            which,
            contents,
            error: None,
        });
    }

    /// Writes the slice as the dialog says. An existing file needs `replace`
    /// (asked for first); the outcome goes to the status line.
    pub(in crate::tui) fn export_now(&mut self, replace: bool) {
        let Overlay::Export(d) = &mut self.overlay else {
            return;
        };
        let name = d.input.value().trim().to_string();
        if name.is_empty() {
            self.status = Some("Give the file a name".into());
            return;
        }
        let path = self.export_dir.join(&name);
        if path.exists() && !replace && !path.is_dir() {
            d.confirm_replace = true;
            return;
        }
        let format = d.format;
        let (events, _) = self.slice();
        let title = export::slice_title(&self.model, &self.slice_words().join(", "));
        // The status line gets the whole story, the dialog the reason.
        let (_, marked) = self.slice();
        // The filters on, marked events or not, and how many of the marked
        // events they hide (marked under other filters).
        let words = self.filter().describe(&self.model);
        let marked_hidden = if marked {
            events.iter().filter(|e| !self.visible.contains(e)).count()
        } else {
            0
        };
        let made = export::Made {
            filters: &words,
            marked,
            marked_hidden,
            ..export::Made::today()
        };
        let result = match export::render_made(&self.model, &events, format, &title, &made) {
            Err(e) => Err((format!("Export failed: {e}"), e)),
            Ok(bytes) => atomic::write_atomic(&path, &bytes, replace)
                .map_err(|e| (format!("Export failed: {e}"), e.reason())),
        };
        match result {
            Ok(_) => {
                self.overlay = Overlay::None;
                // The whole path: where it went is what one looks for next.
                let shown = std::path::absolute(&path).unwrap_or(path.clone());
                let left = export::left_out(&self.model, &events, format);
                let n = events.len() - left.as_ref().map_or(0, |l| l.events.len());
                let mut status = format!(
                    "Wrote {n} event{} to {} ({})",
                    if n == 1 { "" } else { "s" },
                    shown.display(),
                    format.name()
                );
                if let Some(l) = left {
                    status.push_str("; ");
                    status.push_str(&l.describe(&self.model, format, 3));
                }
                self.status = Some(status);
            }
            Err((whole, reason)) => {
                // Nothing was written and nothing replaced; keep the dialog
                // so the name can be fixed rather than typed again.
                if let Overlay::Export(d) = &mut self.overlay {
                    d.confirm_replace = false;
                    d.error = Some(format!("Export failed: {reason}"));
                }
                self.status = Some(whole);
            }
        }
    }
}
