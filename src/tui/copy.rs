//! Copying with citations (`y` a quote, `Y` an event), to the clipboard
//! through the terminal (OSC 52: works over SSH and in tmux with
//! `set-clipboard on`) and to the system clipboard where a tool for it is
//! installed.

use std::io::Write;
use std::process::{Command, Stdio};

use base64::Engine;

use crate::model::{Ix, Model, Quote};
use crate::tui::app::{App, Overlay, Pane};
use crate::tui::overlays::conflict::selected_quote;
use crate::tui::overlays::details::About;

/// Terminals cap what OSC 52 carries (xterm: 100,000 bytes of base64).
const MAX_COPY_BYTES: usize = 74_000;

/// “quote” — outlet, “title”, date, URL.
pub fn cite_quote(m: &Model, q: &Quote) -> String {
    let s = m.source(q.source);
    let mut parts = vec![s.outlet.to_string(), format!("“{}”", s.title)];
    parts.extend(s.published.map(|d| d.to_string()));
    parts.extend(s.url.as_ref().map(|u| u.to_string()));
    if s.is_sponsored() {
        parts.push("sponsored content".into());
    }
    format!("“{}” — {}", q.text, parts.join(", "))
}

/// `- **2024-03-16** Title — [Outlet](url), Outlet`: one Markdown line.
pub fn event_markdown(m: &Model, e: Ix) -> String {
    let ev = m.event(e);
    let mut sources: Vec<Ix> = ev.evidence.iter().map(|q| q.source).collect();
    sources.sort_unstable();
    sources.dedup();
    let cites: Vec<String> = sources
        .iter()
        .map(|&s| {
            let s = m.source(s);
            let name = md_escape(&s.outlet);
            match &s.url {
                Some(u) => format!("[{name}](<{u}>)"),
                None => name,
            }
        })
        .collect();
    let mut line = format!("- **{}** {}", ev.when(), md_escape(&ev.title));
    if !cites.is_empty() {
        line.push_str(&format!(" — {}", cites.join("; ")));
    }
    line
}

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

/// The OSC 52 sequence that sets the clipboard to `text`.
pub fn osc52(text: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{b64}\x07")
}

/// Sends `text` to the clipboard: the terminal's, and the system's when
/// a clipboard tool is found. Errors are ignored: the status line has
/// already said what was copied, and a terminal without OSC 52 ignores it.
pub fn send(text: &str) {
    let mut out = std::io::stdout();
    let _ = out.write_all(osc52(text).as_bytes());
    let _ = out.flush();
    let tools: &[(&str, &[&str])] = if std::env::var_os("WAYLAND_DISPLAY").is_some() {
        &[("wl-copy", &[])]
    } else if std::env::var_os("DISPLAY").is_some() {
        &[
            ("xclip", &["-selection", "clipboard"]),
            ("xsel", &["-b", "-i"]),
        ]
    } else if cfg!(target_os = "macos") {
        &[("pbcopy", &[])]
    } else {
        &[]
    };
    for (tool, args) in tools {
        let child = Command::new(tool)
            .args(*args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if let Ok(mut child) = child {
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.write_all(text.as_bytes());
            }
            // Reaped in the background: a clipboard tool may stay to serve.
            std::thread::spawn(move || child.wait());
            return;
        }
    }
}

impl App {
    /// The quote the user is looking at: the reader's current one, the
    /// conflict view's, or the sources pane's.
    fn quote_in_view(&self) -> Option<Quote> {
        let m = &self.model;
        match &self.overlay {
            Overlay::Reader(r) => {
                let span = r.quotes.get(r.current)?;
                let s = m.source(r.source);
                Some(Quote {
                    source: r.source,
                    text: s.text[span.clone()].into(),
                    span: span.clone(),
                })
            }
            Overlay::Conflict(v) => selected_quote(m, v),
            _ => {
                let e = self.selected_event()?;
                let ev = m.event(e);
                let i = if self.focus == Pane::Sources {
                    self.sources_cursor
                } else {
                    0
                };
                ev.evidence.get(i).cloned()
            }
        }
    }

    pub(super) fn copy_quote(&mut self) {
        if matches!(self.overlay, Overlay::None)
            && self.focus == Pane::Sources
            && let Some(c) = self.selected_conflict()
        {
            let text = crate::tui::overlays::conflict::conflict_text(&self.model, c);
            self.set_copy(text, "disagreement with its citations");
            return;
        }
        match self.quote_in_view() {
            Some(q) => {
                let text = cite_quote(&self.model, &q);
                self.set_copy(text, "quote with its citation");
            }
            None => self.status = Some("No quote to copy".into()),
        }
    }

    pub(super) fn copy_event(&mut self) {
        let e = match &self.overlay {
            Overlay::Details(d) => match d.about {
                About::Event(e) => Some(e),
                _ => None,
            },
            _ => self.selected_event(),
        };
        match e {
            Some(e) => {
                let text = event_markdown(&self.model, e);
                self.set_copy(text, "event as a Markdown line");
            }
            None => self.status = Some("No event to copy".into()),
        }
    }

    fn set_copy(&mut self, mut text: String, what: &str) {
        if text.len() > MAX_COPY_BYTES {
            let mut cut = MAX_COPY_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push('…');
        }
        self.status = Some(format!(
            "Copied the {what} ({} characters): {}",
            text.chars().count(),
            crate::tui::widgets::text::fit(&text, 60)
        ));
        self.to_copy = Some(text);
    }

    /// `i`: details of what is selected: the event, or in the
    /// relationships pane an actor or place, or a conflict.
    pub(super) fn open_details(&mut self) {
        if let Some(c) = self
            .selected_conflict()
            .filter(|_| self.focus == Pane::Sources)
        {
            self.open(Overlay::Conflict(
                crate::tui::overlays::conflict::ConflictView {
                    conflict: c,
                    cursor: 0,
                },
            ));
            return;
        }
        let about = match (self.focus, self.relation_items().get(self.relations_cursor)) {
            (Pane::Relations, Some(crate::tui::panes::relations::RelItem::Actor(a))) => {
                About::Actor(*a)
            }
            (Pane::Relations, Some(crate::tui::panes::relations::RelItem::Place(p))) => {
                About::Place(*p)
            }
            _ => match self.selected_event() {
                Some(e) => About::Event(e),
                None => {
                    self.status = Some("No event selected".into());
                    return;
                }
            },
        };
        self.open(Overlay::Details(
            crate::tui::overlays::details::Details::new(about),
        ));
    }
}
