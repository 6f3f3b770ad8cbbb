//! `E`: the store opened in `$VISUAL` or `$EDITOR` at the selected event,
//! source or quote, the terminal handed over and taken back.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use crate::store::locate::Locator;
use crate::tui::app::{App, Overlay, Pane};

/// A file to open at a line and column (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditRequest {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The file is a note's text, to be read back as that note.
    pub note: Option<crate::annotate::notes::Target>,
    /// The file is a story's introduction or a step's prose.
    pub story: Option<crate::tui::panes::story::ProseOf>,
}

/// The editor's command line: `$VISUAL`, else `$EDITOR`, else `vi`, with
/// the position given the way the editor takes it.
pub fn command(req: &EditRequest) -> Command {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".into());
    command_for(&editor, req)
}

/// The command line for `editor` (as `$EDITOR` spells it) at `req`.
pub fn command_for(editor: &str, req: &EditRequest) -> Command {
    // "code --wait": the program and its own arguments.
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi").to_string();
    let mut cmd = Command::new(&program);
    cmd.args(words);
    let name = Path::new(&program)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (l, c, p) = (req.line, req.column, req.path.display());
    match name.as_str() {
        "vi" | "vim" | "nvim" | "gvim" | "mvim" => {
            cmd.arg(format!("+call cursor({l}, {c})")).arg(&req.path)
        }
        "hx" | "helix" | "micro" | "kak" => cmd.arg(format!("{p}:{l}:{c}")),
        "code" | "codium" | "subl" | "zed" => cmd.arg("--goto").arg(format!("{p}:{l}:{c}")),
        // nano, emacs, joe, ne, mg and most others: +LINE:COLUMN or +LINE.
        "nano" | "emacs" | "emacsclient" => cmd.arg(format!("+{l}:{c}")).arg(&req.path),
        _ => cmd.arg(format!("+{l}")).arg(&req.path),
    };
    cmd
}

/// Runs the editor on the real terminal: the explorer's screen is left,
/// the editor gets the terminal as a shell would give it, `after` runs as
/// soon as the editor has ended (a note is saved there, before anything
/// the terminal does can fail), and the screen comes back, whatever the
/// editor did. Returns what to say: empty when the editor ended well.
pub fn run(
    terminal: &mut DefaultTerminal,
    req: &EditRequest,
    after: impl FnOnce(&str),
) -> io::Result<String> {
    let mut out = io::stdout();
    execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen
    )?;
    disable_raw_mode()?;
    // Ctrl-C in the editor is the editor's: it must not end the explorer.
    crate::tui::term::signals::pause_interrupt(true);
    let status = command(req).status();
    crate::tui::term::signals::pause_interrupt(false);
    let said = match status {
        Ok(s) if s.success() => String::new(),
        Ok(s) => format!("The editor ended with {s}"),
        Err(e) => format!(
            "Could not start the editor ({e}); set VISUAL or EDITOR to one that is installed"
        ),
    };
    after(&said);
    enable_raw_mode()?;
    execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    terminal.clear()?;
    Ok(said)
}

impl App {
    /// `E`: where to open the store for what is selected: the quote in the
    /// sources pane or the reader, else the source in the reader, else the
    /// event. Positions are looked up in the file as it is now.
    pub(in crate::tui) fn open_in_editor(&mut self) {
        let Some(path) = self.store_path.clone() else {
            self.status = Some(
                "The built-in store is not a file: :write FILE makes it one, then E edits it"
                    .into(),
            );
            return;
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                self.status = Some(format!("Cannot read {}: {e}", path.display()));
                return;
            }
        };
        let locator = Locator::new(&text);
        let m = &self.model;
        let at = match &self.overlay {
            Overlay::Reader(r) => locator.find_by_id("sources", &m.source(r.source).id, None),
            _ => self.selected_event().and_then(|e| {
                let ev = m.event(e);
                let quote = (self.focus == Pane::Sources)
                    .then(|| ev.evidence.get(self.sources_cursor))
                    .flatten()
                    .map(|q| q.text.as_str());
                locator.find_by_id("events", &ev.id, quote)
            }),
        };
        let (line, column) = at.unwrap_or((1, 1));
        self.edit = Some(EditRequest {
            path,
            line,
            column,
            note: None,
            story: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(cmd: &Command) -> Vec<String> {
        cmd.get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn each_editor_gets_the_position_its_own_way() {
        let req = EditRequest {
            path: "s.ron".into(),
            line: 12,
            column: 5,
            note: None,
            story: None,
        };
        assert_eq!(
            args(&command_for("vim", &req)),
            ["+call cursor(12, 5)", "s.ron"]
        );
        assert_eq!(
            args(&command_for("/usr/bin/nvim", &req)),
            ["+call cursor(12, 5)", "s.ron"]
        );
        assert_eq!(args(&command_for("hx", &req)), ["s.ron:12:5"]);
        assert_eq!(
            args(&command_for("code --wait", &req)),
            ["--wait", "--goto", "s.ron:12:5"]
        );
        assert_eq!(args(&command_for("nano", &req)), ["+12:5", "s.ron"]);
        assert_eq!(args(&command_for("ed", &req)), ["+12", "s.ron"]);
    }
}
