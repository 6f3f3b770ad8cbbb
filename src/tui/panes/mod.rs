//! The panes side by side: the timeline, the relationships (or the map in
//! their place) and the sources. Each owns its state, keys and drawing.

pub mod map;
pub mod relations;
pub mod sources;
pub mod story;
pub mod timeline;
pub mod widths;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use crate::model::Ix;
use crate::tui::app::App;

/// The selected event of the timeline, for the panes that show one; when
/// none is (the filters hide every event) says so in `area` instead.
pub fn selected_or_note(app: &App, f: &mut Frame, area: Rect) -> Option<Ix> {
    let e = app.selected_event();
    if e.is_none() {
        f.render_widget(
            Paragraph::new("No event selected.").style(app.theme.dim()),
            area,
        );
    }
    e
}
