//! The command line (`:`): filters and settings typed as words.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use tui_input::Input;

use super::app::{App, Chip, Overlay};
use super::control::Control;
use crate::date::PartialDate;
use crate::filter::{resolve_actor, resolve_place, resolve_tag};

pub struct CommandLine {
    pub input: Input,
}

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let Overlay::Command(cl) = &app.overlay else {
        return;
    };
    let theme = app.theme;
    f.render_widget(Clear, area);
    let w = area.width.saturating_sub(2) as usize;
    let scroll = cl.input.visual_scroll(w);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(":", theme.key()),
            Span::raw(super::text::safe(cl.input.value())),
        ]))
        .scroll((0, scroll as u16)),
        area,
    );
    let cx = area.x + 1 + cl.input.visual_cursor().saturating_sub(scroll) as u16;
    f.set_cursor_position(Position::new(
        cx.min(area.right().saturating_sub(1)),
        area.y,
    ));
}

impl App {
    /// Runs a `:` command.
    pub fn run_command(&mut self, line: &str) {
        let line = line.trim();
        let (cmd, arg) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let arg = arg.trim();
        let m = Arc::clone(&self.model);
        let result: Result<(), String> = match cmd {
            "" => Ok(()),
            "from" | "to" => match PartialDate::parse(arg) {
                Ok(d) => {
                    let mut would = self.filter();
                    if cmd == "from" {
                        would.from = Some(d);
                    } else {
                        would.to = Some(d);
                    }
                    would.check_range().map(|()| {
                        self.add_chip(if cmd == "from" {
                            Chip::From(d)
                        } else {
                            Chip::To(d)
                        })
                    })
                }
                Err(e) => Err(e.to_string()),
            },
            "actor" => resolve_actor(&m, arg)
                .map(|a| self.add_chip(Chip::Actor(a)))
                .map_err(|e| e.to_string()),
            "place" => resolve_place(&m, arg)
                .map(|p| self.add_chip(Chip::Place(p)))
                .map_err(|e| e.to_string()),
            "tag" => resolve_tag(&m, arg)
                .map(|t| self.add_chip(Chip::Tag(t)))
                .map_err(|e| e.to_string()),
            "clear" => {
                self.step(Control::ClearFilters);
                Ok(())
            }
            "q" | "quit" => {
                self.quit = true;
                Ok(())
            }
            "help" => {
                self.overlay = Overlay::Help;
                Ok(())
            }
            other => Err(format!(
                "unknown command {other:?}: try from DATE, to DATE, actor NAME, place NAME, tag NAME, clear"
            )),
        };
        if let Err(e) = result {
            self.status = Some(e);
        }
    }
}
