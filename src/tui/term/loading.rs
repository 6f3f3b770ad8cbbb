//! The loading screen: shown while a large store loads on another thread,
//! with how far it has got. q, Esc and Ctrl-C quit at once.

use std::io;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};
use ratatui::{DefaultTerminal, Frame};

use crate::model::Model;
use crate::store::load::{Diagnostic, LoadError, Progress, Stage};
use crate::tui::theme::Theme;
use crate::tui::widgets::frame::popup_frame;
use crate::tui::widgets::text::fit;

/// Draws progress until the load ends (`Some` of its result) or the user
/// quits (`None`).
pub fn wait(
    terminal: &mut DefaultTerminal,
    name: &str,
    progress: &Progress,
    result: &Receiver<Result<std::sync::Arc<Model>, LoadError>>,
    theme: Theme,
) -> io::Result<Option<Result<std::sync::Arc<Model>, LoadError>>> {
    loop {
        terminal.draw(|f| draw(f, name, progress, theme))?;
        // A short wait: the explorer appears as soon as the load ends.
        if crate::tui::term::signals::stop_requested()
            || (event::poll(Duration::from_millis(15))? && quits(&event::read()?))
        {
            return Ok(None);
        }
        match result.recv_timeout(Duration::ZERO) {
            Ok(r) => return Ok(Some(r)),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Ok(Some(Err(LoadError {
                    file: name.to_string(),
                    unlisted: 0,
                    diagnostics: vec![Diagnostic {
                        line: 0,
                        column: 0,
                        message: "loading stopped unexpectedly (an internal error)".into(),
                    }],
                })));
            }
        }
    }
}

/// q, Esc or Ctrl-C.
fn quits(ev: &Event) -> bool {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            matches!(k.code, KeyCode::Char('q') | KeyCode::Esc)
                || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL))
        }
        _ => false,
    }
}

pub fn draw(f: &mut Frame, name: &str, progress: &Progress, theme: Theme) {
    let (stage, done, total) = progress.now();
    let area = f
        .area()
        .centered(Constraint::Max(72), Constraint::Length(7));
    if area.width < 12 || area.height < 3 {
        f.render_widget(Paragraph::new("loading… (q quits)"), f.area());
        return;
    }
    let title = Line::from(Span::styled(" annals: loading ", theme.title()));
    let inner = popup_frame(f, area, title, theme);
    let w = inner.width as usize;
    let [file, what, gauge, _, hint] = Layout::vertical([Constraint::Length(1); 5]).areas(inner);
    f.render_widget(Paragraph::new(fit(name, w)), file);
    let mb = |b: u64| b as f64 / 1e6;
    let what_line = match stage {
        Stage::Checking => format!("{}… ({:.0} MB)", stage.label(), mb(total)),
        _ => format!("{}… {:.0} of {:.0} MB", stage.label(), mb(done), mb(total)),
    };
    f.render_widget(Paragraph::new(fit(&what_line, w)), what);
    // Reading and parsing each fill the bar once; checking shows it full.
    let ratio = if total == 0 {
        0.0
    } else {
        (done as f64 / total as f64).clamp(0.0, 1.0)
    };
    f.render_widget(
        Gauge::default()
            .ratio(ratio)
            .gauge_style(theme.highlight())
            .label(format!("{:.0}%", ratio * 100.0)),
        gauge,
    );
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("q", theme.key()),
            Span::raw(" / "),
            Span::styled("Esc", theme.key()),
            Span::raw(" / "),
            Span::styled("Ctrl-C", theme.key()),
            Span::raw(" quit"),
        ])),
        hint,
    );
}
