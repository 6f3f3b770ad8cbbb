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
use crate::tui::keys::table::{BarEntry, KeyRow, Part, Shown};

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

    /// The keys of a row of the table as bound now. With the default
    /// bindings, exactly `row.keys`; rows of fixed keys are `row.keys`
    /// whatever the bindings.
    pub fn row_keys(&self, row: &KeyRow) -> Cow<'static, str> {
        let shown: Vec<String> = match row.shown {
            Shown::Fixed => return Cow::Borrowed(row.keys),
            Shown::First => row
                .actions
                .iter()
                .map(|group| {
                    group
                        .iter()
                        .map(|a| self.first(*a, Key::label))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect(),
            Shown::All(sep) => row.actions.iter().map(|g| self.all(g, sep)).collect(),
        };
        Cow::Owned(shown.join(", "))
    }

    /// An entry's keys in the key bar (`j/k`, `[ ]`, `⌫/X`) as bound now:
    /// the first key of each action; fixed keys as they are.
    pub fn bar_label(&self, entry: &BarEntry) -> String {
        let short = |k: Key| {
            if k == Key::plain(KeyName::Backspace) {
                "⌫".to_string()
            } else {
                k.label()
            }
        };
        let shown: Vec<String> = entry
            .parts
            .iter()
            .map(|p| match p {
                Part::Fixed(s) => (*s).to_string(),
                Part::Bound(a) => self.first(*a, short),
            })
            .collect();
        shown.join(entry.sep)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Action as A;
    use crate::tui::keys::table::{KEYS, Place, bar_entries};

    fn row(section: &str, keys: &str) -> &'static KeyRow {
        KEYS.iter()
            .find(|r| r.section == section && r.keys == keys)
            .unwrap()
    }

    fn entry(place: Place, word: &str) -> &'static BarEntry {
        bar_entries(place)
            .into_iter()
            .find(|e| e.word == word)
            .unwrap()
    }

    #[test]
    fn default_bindings_show_the_keys_the_table_writes() {
        let k = Keymap::default();
        for r in KEYS {
            assert_eq!(k.row_keys(r), r.keys, "{} {}", r.section, r.keys);
        }
        for place in Place::ALL {
            for e in bar_entries(place) {
                assert!(!k.bar_label(e).contains("none"), "{place:?} {e:?}");
            }
        }
        assert_eq!(k.bar_label(entry(Place::Relations, "date")), ":at");
        assert_eq!(k.bar_label(entry(Place::Timeline, "filters")), "⌫/X");
    }

    #[test]
    fn every_action_has_a_row_in_the_table() {
        for a in A::ALL {
            assert!(
                KEYS.iter()
                    .any(|r| r.actions.iter().any(|g| g.contains(&a))),
                "{} is in no row of the keys table",
                a.name()
            );
        }
    }

    #[test]
    fn rebound_keys_are_shown() {
        let mut b = Bindings::default();
        b.set(A::NextMonth, vec![Key::parse("n").unwrap()]);
        b.set(A::Down, vec![Key::parse("Ctrl-n").unwrap()]);
        let k = Keymap::new(b);
        assert_eq!(k.row_keys(row("Timeline", "[ ]")), "[ n");
        assert_eq!(k.row_keys(row("Panes", "j k, ↓ ↑")), "Ctrl-n k/↑");
        assert_eq!(
            k.row_keys(row("Reader", "j k, PgDn PgUp, g G")),
            "Ctrl-n k, PgDn PgUp, g G"
        );
        assert_eq!(k.bar_label(entry(Place::Timeline, "month")), "[ n");
        assert_eq!(k.bar_label(entry(Place::Timeline, "move")), "Ctrl-n/k");
        assert_eq!(k.row_keys(row("Reader", "n N")), "n N");
        assert_eq!(k.bar_label(entry(Place::Reader, "quote")), "n/N");
    }
}
