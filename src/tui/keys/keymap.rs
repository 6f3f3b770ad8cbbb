//! Key bindings: which terminal keys mean which explorer action, from the
//! settings file's `[keys]` (defaults otherwise), and how the help overlay
//! and the key bar name the keys actually bound.
//!
//! Ctrl-C (quit) and Esc (close) are fixed, and so are the keys of text
//! boxes and the reader's `n`/`N`.

use std::borrow::Cow;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::{Action, Bindings, Key, KeyName};
use crate::tui::app::Pane;
use crate::tui::control::Control;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keymap {
    bindings: Bindings,
}

impl Keymap {
    pub fn new(bindings: Bindings) -> Self {
        Keymap { bindings }
    }

    pub fn bindings(&self) -> &Bindings {
        &self.bindings
    }

    /// The action a key pressed is bound to.
    pub fn action(&self, key: KeyEvent) -> Option<Action> {
        self.bindings.action(key_of(key)?)
    }

    /// Whether `key` is bound to `action`.
    pub fn is(&self, key: KeyEvent, action: Action) -> bool {
        key_of(key).is_some_and(|k| self.bindings.keys(action).contains(&k))
    }

    /// Moving in a list or scrolling, if `key` is bound to that.
    pub fn movement(&self, key: KeyEvent) -> Option<Control> {
        match self.action(key)? {
            Action::Down => Some(Control::Down),
            Action::Up => Some(Control::Up),
            Action::PageDown => Some(Control::PageDown),
            Action::PageUp => Some(Control::PageUp),
            Action::Top => Some(Control::Top),
            Action::Bottom => Some(Control::Bottom),
            _ => None,
        }
    }

    /// The control `key` means in the panes (no overlay open).
    pub fn pane_control(&self, key: KeyEvent) -> Control {
        self.action(key).map_or(Control::Nothing, control)
    }

    /// The keys of a help row (`section`, its keys as the default table
    /// writes them), as bound now. With the default bindings, exactly
    /// `keys`; rows of fixed keys are `keys` whatever the bindings.
    pub fn help_keys(&self, section: &str, keys: &'static str) -> Cow<'static, str> {
        let Some((_, _, parts, mode)) = HELP_ROWS
            .iter()
            .find(|(sec, k, ..)| *sec == section && *k == keys)
        else {
            return Cow::Borrowed(keys);
        };
        let shown: Vec<String> = parts
            .iter()
            .map(|part| match mode {
                Mode::First => part
                    .iter()
                    .map(|a| self.first(*a, Key::label))
                    .collect::<Vec<_>>()
                    .join(" "),
                Mode::All(sep) => self.all(part, sep),
            })
            .collect();
        Cow::Owned(shown.join(", "))
    }

    /// A key in the key bar (`j/k`, `[ ]`, `⌫/X`) as bound now: the first
    /// key of each action. Fixed keys are returned as they are.
    pub fn footer_label(&self, label: &'static str) -> Cow<'static, str> {
        if let Some(rest) = label.strip_prefix(":at") {
            let command = self.first(Action::Command, Key::label);
            return Cow::Owned(format!("{command}at{rest}"));
        }
        let Some((_, actions, sep)) = FOOTER.iter().find(|(l, ..)| *l == label) else {
            return Cow::Borrowed(label);
        };
        let short = |k: Key| {
            if k == Key::plain(KeyName::Backspace) {
                "⌫".to_string()
            } else {
                k.label()
            }
        };
        let prefix = if label.starts_with("Esc/") {
            "Esc/"
        } else {
            ""
        };
        let shown: Vec<String> = actions.iter().map(|a| self.first(*a, short)).collect();
        Cow::Owned(format!("{prefix}{}", shown.join(sep)))
    }

    /// The first key of `action`, shown by `label`; `none` when unbound.
    fn first(&self, action: Action, label: impl Fn(Key) -> String) -> String {
        self.bindings
            .keys(action)
            .first()
            .map_or_else(|| "none".to_string(), |k| label(*k))
    }

    /// Every key of `actions`: their first keys, then their second ones
    /// (`j k, ↓ ↑`) when each has as many; else each action's keys joined
    /// by `/`.
    fn all(&self, actions: &[Action], sep: &str) -> String {
        let lists: Vec<Vec<String>> = actions
            .iter()
            .map(|a| self.bindings.keys(*a).iter().map(|k| k.label()).collect())
            .collect();
        let n = lists[0].len();
        if n > 0 && lists.iter().all(|l| l.len() == n) {
            (0..n)
                .map(|i| {
                    lists
                        .iter()
                        .map(|l| l[i].as_str())
                        .collect::<Vec<_>>()
                        .join(sep)
                })
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            lists
                .iter()
                .map(|l| {
                    if l.is_empty() {
                        "none".to_string()
                    } else {
                        l.join("/")
                    }
                })
                .collect::<Vec<_>>()
                .join(sep)
        }
    }
}

/// The control an action means in the panes.
pub fn control(action: Action) -> Control {
    match action {
        Action::Quit => Control::Quit,
        Action::Help => Control::Help,
        Action::NextPane => Control::FocusNext,
        Action::PrevPane => Control::FocusPrev,
        Action::Timeline => Control::Focus(Pane::Timeline),
        Action::Relationships => Control::Focus(Pane::Relations),
        Action::Sources => Control::Focus(Pane::Sources),
        Action::Search => Control::OpenSearch,
        Action::Command => Control::OpenCommand,
        Action::Details => Control::Details,
        Action::CopyQuote => Control::CopyQuote,
        Action::CopyEvent => Control::CopyEvent,
        Action::Edit => Control::Edit,
        Action::PopFilter => Control::PopFilter,
        Action::ClearFilters => Control::ClearFilters,
        Action::Down => Control::Down,
        Action::Up => Control::Up,
        Action::PageDown => Control::PageDown,
        Action::PageUp => Control::PageUp,
        Action::Top => Control::Top,
        Action::Bottom => Control::Bottom,
        Action::PrevMonth => Control::PrevMonth,
        Action::NextMonth => Control::NextMonth,
        Action::PrevYear => Control::PrevYear,
        Action::NextYear => Control::NextYear,
        Action::Enter => Control::Enter,
        Action::Mark => Control::ToggleMark,
        Action::RangeMark => Control::RangeMark,
        Action::MarkAll => Control::MarkAll,
        Action::ClearMarks => Control::ClearMarks,
        Action::Export => Control::OpenExport,
        Action::Star => Control::ToggleStar,
        Action::Annotate => Control::Annotate,
        Action::Map => Control::ToggleMap,
        Action::Undo => Control::Undo,
        Action::Zoom => Control::Zoom,
    }
}

/// A terminal key as the settings file names it. Shift is in the
/// character (`Y`), or makes Tab Shift-Tab; other shifted keys are the key.
pub fn key_of(key: KeyEvent) -> Option<Key> {
    let name = match key.code {
        KeyCode::Char(c) => KeyName::Char(if key.modifiers.contains(KeyModifiers::CONTROL) {
            c.to_ascii_lowercase()
        } else {
            c
        }),
        KeyCode::Enter => KeyName::Enter,
        KeyCode::Tab if key.modifiers.contains(KeyModifiers::SHIFT) => KeyName::BackTab,
        KeyCode::Tab => KeyName::Tab,
        KeyCode::BackTab => KeyName::BackTab,
        KeyCode::Backspace => KeyName::Backspace,
        KeyCode::Delete => KeyName::Delete,
        KeyCode::Insert => KeyName::Insert,
        KeyCode::Up => KeyName::Up,
        KeyCode::Down => KeyName::Down,
        KeyCode::Left => KeyName::Left,
        KeyCode::Right => KeyName::Right,
        KeyCode::PageUp => KeyName::PageUp,
        KeyCode::PageDown => KeyName::PageDown,
        KeyCode::Home => KeyName::Home,
        KeyCode::End => KeyName::End,
        KeyCode::F(n) => KeyName::F(n),
        _ => return None,
    };
    Some(Key {
        name,
        ctrl: key.modifiers.contains(KeyModifiers::CONTROL),
        alt: key.modifiers.contains(KeyModifiers::ALT),
    })
}

enum Mode {
    /// Every key: `j k, ↓ ↑`, the actions' keys joined by the separator.
    All(&'static str),
    /// The first key of each action: `j k, PgDn PgUp, g G`.
    First,
}

use Action as A;

/// The help rows of rebindable keys: (section, keys as the default table
/// writes them, the actions in them, how they are written).
#[allow(clippy::type_complexity)]
const HELP_ROWS: &[(&str, &str, &[&[Action]], Mode)] = &[
    ("Everywhere", "q", &[&[A::Quit]], Mode::All(" ")),
    ("Everywhere", "?", &[&[A::Help]], Mode::All(" ")),
    (
        "Everywhere",
        "Tab, Shift-Tab",
        &[&[A::NextPane, A::PrevPane]],
        Mode::All(", "),
    ),
    (
        "Everywhere",
        "1 2 3",
        &[&[A::Timeline, A::Relationships, A::Sources]],
        Mode::All(" "),
    ),
    ("Everywhere", "/", &[&[A::Search]], Mode::All(" ")),
    ("Everywhere", ":", &[&[A::Command]], Mode::All(" ")),
    ("Everywhere", "i", &[&[A::Details]], Mode::All(" ")),
    ("Everywhere", "y", &[&[A::CopyQuote]], Mode::All(" ")),
    ("Everywhere", "Y", &[&[A::CopyEvent]], Mode::All(" ")),
    ("Everywhere", "E", &[&[A::Edit]], Mode::All(" ")),
    ("Everywhere", "*", &[&[A::Star]], Mode::All(" ")),
    ("Everywhere", "a", &[&[A::Annotate]], Mode::All(" ")),
    ("Everywhere", "m", &[&[A::Map]], Mode::All(" ")),
    ("Everywhere", "z", &[&[A::Zoom]], Mode::All(" ")),
    (
        "Everywhere",
        "Backspace",
        &[&[A::PopFilter]],
        Mode::All(" "),
    ),
    ("Everywhere", "X", &[&[A::ClearFilters]], Mode::All(" ")),
    ("Everywhere", "U", &[&[A::Undo]], Mode::All(" ")),
    ("Panes", "j k, ↓ ↑", &[&[A::Down, A::Up]], Mode::All(" ")),
    (
        "Panes",
        "PgDn PgUp",
        &[&[A::PageDown, A::PageUp]],
        Mode::All(" "),
    ),
    (
        "Panes",
        "g G, Home End",
        &[&[A::Top, A::Bottom]],
        Mode::All(" "),
    ),
    (
        "Timeline",
        "[ ]",
        &[&[A::PrevMonth, A::NextMonth]],
        Mode::All(" "),
    ),
    (
        "Timeline",
        "{ }",
        &[&[A::PrevYear, A::NextYear]],
        Mode::All(" "),
    ),
    ("Timeline", "Enter", &[&[A::Enter]], Mode::All(" ")),
    ("Timeline", "Space", &[&[A::Mark]], Mode::All(" ")),
    ("Timeline", "v", &[&[A::RangeMark]], Mode::All(" ")),
    ("Timeline", "A", &[&[A::MarkAll]], Mode::All(" ")),
    ("Timeline", "u", &[&[A::ClearMarks]], Mode::All(" ")),
    ("Timeline", "e", &[&[A::Export]], Mode::All(" ")),
    ("Relationships", "Enter", &[&[A::Enter]], Mode::All(" ")),
    ("Relationships", "i", &[&[A::Details]], Mode::All(" ")),
    ("Sources", "Enter", &[&[A::Enter]], Mode::All(" ")),
    (
        "Conflict",
        "j k, Enter",
        &[&[A::Down, A::Up], &[A::Enter]],
        Mode::First,
    ),
    ("Reader", "/", &[&[A::Search]], Mode::All(" ")),
    (
        "Reader",
        "j k, PgDn PgUp, g G",
        &[
            &[A::Down, A::Up],
            &[A::PageDown, A::PageUp],
            &[A::Top, A::Bottom],
        ],
        Mode::First,
    ),
];

/// Key-bar labels of rebindable keys: (label, actions, separator).
const FOOTER: &[(&str, &[Action], &str)] = &[
    ("j/k", &[A::Down, A::Up], "/"),
    ("i", &[A::Details], ""),
    ("Enter", &[A::Enter], ""),
    ("/", &[A::Search], ""),
    (":", &[A::Command], ""),
    ("[ ]", &[A::PrevMonth, A::NextMonth], " "),
    ("{ }", &[A::PrevYear, A::NextYear], " "),
    (
        "Space/v/A/u",
        &[A::Mark, A::RangeMark, A::MarkAll, A::ClearMarks],
        "/",
    ),
    ("e", &[A::Export], ""),
    ("y/Y", &[A::CopyQuote, A::CopyEvent], "/"),
    ("y", &[A::CopyQuote], ""),
    ("Y", &[A::CopyEvent], ""),
    ("Tab", &[A::NextPane], ""),
    ("⌫/X", &[A::PopFilter, A::ClearFilters], "/"),
    ("?", &[A::Help], ""),
    ("q", &[A::Quit], ""),
    ("Esc/q", &[A::Quit], ""),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_bindings_show_the_default_help_and_key_bar() {
        let k = Keymap::default();
        for (sec, keys, _) in crate::tui::overlays::help::KEYS {
            assert_eq!(k.help_keys(sec, keys), *keys, "{sec} {keys}");
        }
        for (label, ..) in FOOTER {
            assert_eq!(k.footer_label(label), *label);
        }
        assert_eq!(k.footer_label(":at"), ":at");
    }

    #[test]
    fn help_rows_name_keys_of_the_table() {
        for (sec, keys, ..) in HELP_ROWS {
            assert!(
                crate::tui::overlays::help::KEYS
                    .iter()
                    .any(|(s, k, _)| s == sec && k == keys),
                "{sec} {keys}"
            );
        }
    }

    #[test]
    fn rebound_keys_are_shown() {
        let mut b = Bindings::default();
        b.set(A::NextMonth, vec![Key::parse("n").unwrap()]);
        b.set(A::Down, vec![Key::parse("Ctrl-n").unwrap()]);
        let k = Keymap::new(b);
        assert_eq!(k.help_keys("Timeline", "[ ]"), "[ n");
        assert_eq!(k.help_keys("Panes", "j k, ↓ ↑"), "Ctrl-n k/↑");
        assert_eq!(
            k.help_keys("Reader", "j k, PgDn PgUp, g G"),
            "Ctrl-n k, PgDn PgUp, g G"
        );
        assert_eq!(k.footer_label("[ ]"), "[ n");
        assert_eq!(k.footer_label("j/k"), "Ctrl-n/k");
        assert_eq!(k.help_keys("Reader", "n N"), "n N");
    }
}
