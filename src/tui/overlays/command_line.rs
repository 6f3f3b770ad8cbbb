//! The command line (`:`): filters and settings typed as words.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use tui_input::Input;

use crate::evidence::date::PartialDate;
use crate::filter::{resolve_actor, resolve_kind, resolve_place, resolve_source, resolve_tag};
use crate::tui::app::{App, Chip, Overlay};
use crate::tui::control::Control;
use crate::tui::overlays::pager::Pager;

pub struct CommandLine {
    pub input: Input,
    /// Why the last line failed; the line stays to be fixed.
    pub error: Option<String>,
    /// Which history line ↑/↓ shows, and the line being typed before.
    recalled: Option<usize>,
    draft: String,
}

impl CommandLine {
    pub fn new() -> Self {
        CommandLine {
            input: Input::default(),
            error: None,
            recalled: None,
            draft: String::new(),
        }
    }

    /// ↑ (older) or ↓ (newer) through `history`, back to the draft.
    fn recall(&mut self, history: &[String], older: bool) {
        let next = match (self.recalled, older) {
            (None, true) if !history.is_empty() => {
                self.draft = self.input.value().to_string();
                Some(history.len() - 1)
            }
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i + 1 < history.len() => Some(i + 1),
            (Some(_), false) => None,
            (None, _) => return,
        };
        self.recalled = next;
        let text = next.map_or(self.draft.clone(), |i| history[i].clone());
        self.input = Input::new(text);
    }
}

impl Default for CommandLine {
    fn default() -> Self {
        Self::new()
    }
}

/// Lines of history kept.
const MAX_HISTORY: usize = 100;

/// The commands, with what each takes, for help and "did you mean".
pub const COMMANDS: &[(&str, &str)] = &[
    ("from", "DATE"),
    ("to", "DATE"),
    ("actor", "NAME"),
    ("place", "NAME"),
    ("tag", "NAME"),
    ("source", "TITLE"),
    ("kind", "KIND"),
    ("only", "KIND"),
    ("text", "WORDS"),
    ("at", "DATE"),
    ("note", "TEXT"),
    ("save", "NAME"),
    ("view", "NAME"),
    ("write", "FILE"),
    ("problems", ""),
    ("starred", ""),
    ("noted", ""),
    ("disputed", ""),
    ("disputes", ""),
    ("story", "NAME"),
    ("stories", ""),
    ("prose", "TEXT"),
    ("intro", "TEXT"),
    ("clear", ""),
    ("help", ""),
    ("quit", ""),
];

/// "did you mean from?" for a mistyped command.
fn unknown_command(cmd: &str) -> String {
    let best = COMMANDS
        .iter()
        .map(|(c, _)| (strsim::damerau_levenshtein(cmd, c), *c))
        .min()
        .filter(|(d, c)| *d <= 2 && *d < c.len());
    let all: Vec<String> = COMMANDS
        .iter()
        .map(|(c, arg)| format!("{c} {arg}").trim_end().to_string())
        .collect();
    match best {
        Some((_, c)) => format!("unknown command {cmd:?}: did you mean {c}?"),
        None => format!("unknown command {cmd:?}: try {}", all.join(", ")),
    }
}

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let Overlay::Command(cl) = &app.overlay else {
        return;
    };
    let theme = app.theme;
    f.render_widget(Clear, area);
    let [line_area, error_area] = if cl.error.is_some() && area.height >= 2 {
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area)
    } else {
        [area, Rect::default()]
    };
    let w = line_area.width.saturating_sub(2) as usize;
    let scroll = cl.input.visual_scroll(w);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(":", theme.key()),
            Span::raw(crate::tui::widgets::text::safe(cl.input.value())),
        ]))
        .scroll((0, scroll as u16)),
        line_area,
    );
    if let Some(e) = &cl.error {
        f.render_widget(
            Paragraph::new(crate::tui::widgets::text::safe(e))
                .style(theme.error())
                .wrap(Wrap { trim: true }),
            error_area,
        );
    }
    let cx = line_area.x + 1 + cl.input.visual_cursor().saturating_sub(scroll) as u16;
    f.set_cursor_position(Position::new(
        cx.min(line_area.right().saturating_sub(1)),
        line_area.y,
    ));
}

/// Rows the command line needs at `width`: its line and its error.
pub fn rows(app: &App, width: u16) -> u16 {
    match &app.overlay {
        Overlay::Command(CommandLine { error: Some(e), .. }) => {
            1 + (crate::tui::widgets::text::width(e) as u16)
                .div_ceil(width.max(1))
                .clamp(1, 4)
        }
        _ => 1,
    }
}

impl App {
    /// Enter runs the line (kept on an error, to be fixed); ↑/↓ recall.
    pub(in crate::tui) fn step_command(&mut self, control: Control) {
        let Overlay::Command(cl) = &mut self.overlay else {
            return;
        };
        match control {
            Control::Up => cl.recall(&self.history, true),
            Control::Down => cl.recall(&self.history, false),
            Control::Enter => {
                let line = cl.input.value().trim().to_string();
                if !line.is_empty() && self.history.last() != Some(&line) {
                    if self.history.len() == MAX_HISTORY {
                        self.history.remove(0);
                    }
                    self.history.push(line.clone());
                }
                self.overlay = Overlay::None;
                if let Err(e) = self.run_command(&line) {
                    let mut cl = CommandLine::new();
                    cl.input = Input::new(line);
                    cl.error = Some(e);
                    self.overlay = Overlay::Command(cl);
                }
            }
            _ => {}
        }
    }

    /// Runs a `:` command.
    pub fn run_command(&mut self, line: &str) -> Result<(), String> {
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
            "source" => resolve_source(&m, arg)
                .map(|s| self.add_chip(Chip::Source(s)))
                .map_err(|e| e.to_string()),
            "kind" => resolve_kind(arg)
                .map(|k| self.add_chip(Chip::Kind(k)))
                .map_err(|e| e.to_string()),
            "only" => resolve_kind(arg)
                .map(|k| self.add_chip(Chip::Only(k)))
                .map_err(|e| e.to_string()),
            "text" if arg.is_empty() => Err("text needs words: :text cost".into()),
            "text" => {
                self.add_chip(Chip::Text(arg.chars().take(200).collect()));
                Ok(())
            }
            "clear" => {
                self.step(Control::ClearFilters);
                Ok(())
            }
            "q" | "quit" => {
                self.quit = true;
                Ok(())
            }
            "help" => {
                self.open(Overlay::Help(Pager::default()));
                Ok(())
            }
            "at" => self.relations_at(arg),
            "note" => self.set_note_here(arg),
            "write" | "w" => self.write_copy(arg, false),
            "write!" | "w!" => self.write_copy(arg, true),
            "save" => self.save_view(arg),
            "view" | "views" => self.open_view(arg),
            "starred" => {
                self.add_chip(Chip::Starred);
                Ok(())
            }
            "noted" => {
                self.add_chip(Chip::Noted);
                Ok(())
            }
            "disputed" => {
                self.add_chip(Chip::Disputed);
                Ok(())
            }
            "problems" => self.reopen_problems(),
            "undo" => self.try_undo().map(|said| self.status = Some(said)),
            "disputes" => {
                self.open_disputes();
                Ok(())
            }
            "story" => match arg.split_once(char::is_whitespace) {
                Some(("new", name)) => self.new_story(name),
                _ if arg == "new" => Err("story new needs a name: :story new withdrawal".into()),
                _ if arg == "close" => {
                    self.close_story();
                    Ok(())
                }
                _ => self.open_story(arg),
            },
            "stories" => {
                self.open_stories();
                Ok(())
            }
            "prose" => self.prose_here(false, arg),
            "intro" => self.prose_here(true, arg),
            other => Err(unknown_command(other)),
        };
        result
    }
}
