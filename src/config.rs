//! The settings file: where it is, what it may say, and its defaults.
//!
//! A TOML file, `$ANNALS_CONFIG` or else `annals/config.toml` in the
//! platform's configuration directory (`$XDG_CONFIG_HOME`, by default
//! `~/.config`, on Linux). It sets the theme, colours of named styles and
//! the explorer's key bindings. Every problem in it is reported with its
//! line and column and leaves that one setting at its default: a bad file
//! never stops the explorer.
//!
//! Keys here are plain values (`Key`), not terminal events: the explorer
//! (`tui::keys::keymap`) maps its events onto them.

use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::style::Color;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The environment variable naming the settings file.
pub const PATH_VAR: &str = "ANNALS_CONFIG";

/// Where the settings file is: `$ANNALS_CONFIG` when set and not empty,
/// else `annals/config.toml` in the platform's configuration directory.
/// `None` when there is no home directory to find that in.
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(PATH_VAR).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy().ok()?;
    Some(base.config_dir().join("annals").join("config.toml"))
}

/// An explorer action a key can be bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Quit,
    Help,
    NextPane,
    PrevPane,
    Timeline,
    Relationships,
    Sources,
    Search,
    Command,
    Details,
    CopyQuote,
    CopyEvent,
    Edit,
    PopFilter,
    ClearFilters,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    PrevMonth,
    NextMonth,
    PrevYear,
    NextYear,
    Enter,
    Mark,
    RangeMark,
    MarkAll,
    ClearMarks,
    Export,
    Star,
    Annotate,
    Map,
    Undo,
    Zoom,
}

impl Action {
    pub const ALL: [Action; 36] = [
        Action::Quit,
        Action::Help,
        Action::NextPane,
        Action::PrevPane,
        Action::Timeline,
        Action::Relationships,
        Action::Sources,
        Action::Search,
        Action::Command,
        Action::Details,
        Action::CopyQuote,
        Action::CopyEvent,
        Action::Edit,
        Action::PopFilter,
        Action::ClearFilters,
        Action::Down,
        Action::Up,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::PrevMonth,
        Action::NextMonth,
        Action::PrevYear,
        Action::NextYear,
        Action::Enter,
        Action::Mark,
        Action::RangeMark,
        Action::MarkAll,
        Action::ClearMarks,
        Action::Export,
        Action::Star,
        Action::Annotate,
        Action::Map,
        Action::Undo,
        Action::Zoom,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// (name in the file, default keys, what it does)
    fn spec(self) -> (&'static str, &'static [&'static str], &'static str) {
        match self {
            Action::Quit => ("quit", &["q"], "quit; in a view or overlay: close it"),
            Action::Help => ("help", &["?"], "the help overlay"),
            Action::NextPane => ("next_pane", &["Tab"], "focus the next pane"),
            Action::PrevPane => ("prev_pane", &["Shift-Tab"], "focus the previous pane"),
            Action::Timeline => ("timeline", &["1"], "focus the timeline"),
            Action::Relationships => ("relationships", &["2"], "focus the relationships"),
            Action::Sources => ("sources", &["3"], "focus the sources"),
            Action::Search => ("search", &["/"], "fuzzy search; in the reader: find"),
            Action::Command => ("command", &[":"], "the command line"),
            Action::Details => ("details", &["i"], "details of what is selected"),
            Action::CopyQuote => ("copy_quote", &["y"], "copy the quote with its citation"),
            Action::CopyEvent => ("copy_event", &["Y"], "copy the event as Markdown"),
            Action::Edit => ("edit", &["E"], "open the store in $VISUAL/$EDITOR"),
            Action::PopFilter => ("pop_filter", &["Backspace"], "remove the last filter"),
            Action::ClearFilters => ("clear_filters", &["X"], "clear all filters"),
            Action::Down => ("down", &["j", "Down"], "next item; scroll down"),
            Action::Up => ("up", &["k", "Up"], "previous item; scroll up"),
            Action::PageDown => ("page_down", &["PgDn"], "a page down"),
            Action::PageUp => ("page_up", &["PgUp"], "a page up"),
            Action::Top => ("top", &["g", "Home"], "first item"),
            Action::Bottom => ("bottom", &["G", "End"], "last item"),
            Action::PrevMonth => ("prev_month", &["["], "timeline: previous month"),
            Action::NextMonth => ("next_month", &["]"], "timeline: next month"),
            Action::PrevYear => ("prev_year", &["{"], "timeline: previous year"),
            Action::NextYear => ("next_year", &["}"], "timeline: next year"),
            Action::Enter => (
                "enter",
                &["Enter"],
                "read, filter to or open what is selected",
            ),
            Action::Mark => ("mark", &["Space"], "mark or unmark the event"),
            Action::RangeMark => ("range_mark", &["v"], "start or end a range of marks"),
            Action::MarkAll => ("mark_all", &["A"], "mark every event shown"),
            Action::ClearMarks => ("clear_marks", &["u"], "clear the marks"),
            Action::Export => ("export", &["e"], "export the marked or shown events"),
            Action::Star => ("star", &["*"], "star or unstar the event"),
            Action::Annotate => ("note", &["a"], "write a note on what is selected"),
            Action::Map => ("map", &["m"], "the map in place of the relationships pane"),
            Action::Undo => (
                "undo",
                &["U"],
                "undo the explorer's last write to the store",
            ),
            Action::Zoom => (
                "zoom",
                &["z"],
                "widen the focused pane, then give it the screen",
            ),
        }
    }

    /// Its name in the settings file (`next_month`).
    pub fn name(self) -> &'static str {
        self.spec().0
    }

    /// What it does, for the default file's comments.
    pub fn about(self) -> &'static str {
        self.spec().2
    }

    /// Its default keys.
    pub fn default_keys(self) -> Vec<Key> {
        self.spec()
            .1
            .iter()
            .map(|k| Key::parse(k).expect("default keys parse"))
            .collect()
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// A key that is not a character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyName {
    Char(char),
    Enter,
    Tab,
    /// Shift-Tab.
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    F(u8),
}

/// A key with its modifiers, as written in the settings file: `n`, `]`,
/// `Space`, `Enter`, `Ctrl-n`, `Alt-x`, `Shift-Tab`, `PgDn`, `F5`.
/// A character's shift is in the character (`Y`, `{`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub name: KeyName,
    pub ctrl: bool,
    pub alt: bool,
}

/// Named keys: (names accepted, ignoring case; the key; how it is shown).
const NAMED: &[(&[&str], KeyName, &str)] = &[
    (&["space"], KeyName::Char(' '), "Space"),
    (&["enter", "return"], KeyName::Enter, "Enter"),
    (&["tab"], KeyName::Tab, "Tab"),
    (&["backtab", "shift-tab"], KeyName::BackTab, "Shift-Tab"),
    (&["backspace", "bs", "⌫"], KeyName::Backspace, "Backspace"),
    (&["delete", "del"], KeyName::Delete, "Delete"),
    (&["insert", "ins"], KeyName::Insert, "Insert"),
    (&["up", "↑"], KeyName::Up, "↑"),
    (&["down", "↓"], KeyName::Down, "↓"),
    (&["left", "←"], KeyName::Left, "←"),
    (&["right", "→"], KeyName::Right, "→"),
    (&["pgup", "pageup"], KeyName::PageUp, "PgUp"),
    (&["pgdn", "pagedown", "pgdown"], KeyName::PageDown, "PgDn"),
    (&["home"], KeyName::Home, "Home"),
    (&["end"], KeyName::End, "End"),
];

impl Key {
    pub const fn plain(name: KeyName) -> Key {
        Key {
            name,
            ctrl: false,
            alt: false,
        }
    }

    /// Reads a key as written in the settings file.
    pub fn parse(text: &str) -> Result<Key, String> {
        let bad = || {
            format!(
                "unknown key {text:?}: a character (n, ], Y), a name (Space, Enter, Tab, Shift-Tab, Backspace, Delete, Insert, Up, Down, Left, Right, PgUp, PgDn, Home, End, F1-F12), optionally after Ctrl- or Alt-"
            )
        };
        if text == "Ctrl-C" || text.eq_ignore_ascii_case("ctrl-c") {
            return Err("Ctrl-C always quits; it cannot be bound".into());
        }
        let mut key = Key::plain(KeyName::Enter);
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                key.ctrl = true;
                rest = &rest[5..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                key.alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let lower = rest.to_ascii_lowercase();
        let mut chars = rest.chars();
        key.name = if let Some(&(_, name, _)) =
            NAMED.iter().find(|(names, ..)| names.contains(&&*lower))
        {
            name
        } else if let (Some(c), None) = (chars.next(), chars.next()) {
            if c.is_control() {
                return Err(bad());
            }
            // Ctrl-N and Ctrl-n are the same key to a terminal.
            KeyName::Char(if key.ctrl { c.to_ascii_lowercase() } else { c })
        } else if let Some(n) = lower
            .strip_prefix('f')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=24).contains(n))
        {
            KeyName::F(n)
        } else if lower == "esc" || lower == "escape" {
            return Err("Esc always closes the view or overlay; it cannot be bound".into());
        } else {
            return Err(bad());
        };
        if key.ctrl && key.name == KeyName::Char('c') {
            return Err("Ctrl-C always quits; it cannot be bound".into());
        }
        Ok(key)
    }

    /// How the help shows it: `n`, `Space`, `Ctrl-n`, `PgDn`, `↓`.
    pub fn label(self) -> String {
        let name = match self.name {
            // A key from the settings file may be any character: an
            // invisible one is shown visible (a tag character as `�`).
            KeyName::Char(c) if c != ' ' => crate::io::safe::safe_char(c).to_string(),
            KeyName::F(n) => format!("F{n}"),
            other => NAMED
                .iter()
                .find(|(_, k, _)| *k == other)
                .map_or_else(String::new, |(_, _, shown)| (*shown).to_string()),
        };
        let ctrl = if self.ctrl { "Ctrl-" } else { "" };
        let alt = if self.alt { "Alt-" } else { "" };
        format!("{ctrl}{alt}{name}")
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Which keys each action has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bindings {
    keys: Vec<Vec<Key>>,
}

impl Default for Bindings {
    fn default() -> Self {
        Bindings {
            keys: Action::ALL.iter().map(|a| a.default_keys()).collect(),
        }
    }
}

impl Bindings {
    pub fn keys(&self, action: Action) -> &[Key] {
        &self.keys[action.index()]
    }

    /// Binds `action` to `keys` only (its defaults are replaced).
    pub fn set(&mut self, action: Action, keys: Vec<Key>) {
        let mut unique: Vec<Key> = Vec::new();
        for k in keys {
            if !unique.contains(&k) {
                unique.push(k);
            }
        }
        self.keys[action.index()] = unique;
    }

    /// The action `key` is bound to.
    pub fn action(&self, key: Key) -> Option<Action> {
        Action::ALL
            .into_iter()
            .find(|a| self.keys[a.index()].contains(&key))
    }

    /// A key bound to two actions, and those actions.
    fn clash(&self) -> Option<(Key, Action, Action)> {
        for (i, a) in Action::ALL.iter().enumerate() {
            for b in &Action::ALL[i + 1..] {
                if let Some(k) = self.keys(*a).iter().find(|k| self.keys(*b).contains(k)) {
                    return Some((*k, *a, *b));
                }
            }
        }
        None
    }
}

/// The styles whose colours the `[colors]` table may set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StyleName {
    Highlight,
    CurrentQuote,
    Heading,
    Date,
    Conflict,
    Sponsored,
    Key,
    Dim,
    Border,
    FocusedBorder,
    Selected,
    Chip,
    Kind,
    Error,
    Mark,
}

impl StyleName {
    pub const ALL: [StyleName; 15] = [
        StyleName::Highlight,
        StyleName::CurrentQuote,
        StyleName::Heading,
        StyleName::Date,
        StyleName::Conflict,
        StyleName::Sponsored,
        StyleName::Key,
        StyleName::Dim,
        StyleName::Border,
        StyleName::FocusedBorder,
        StyleName::Selected,
        StyleName::Chip,
        StyleName::Kind,
        StyleName::Error,
        StyleName::Mark,
    ];

    /// (name in the file, what it colours, its default)
    fn spec(self) -> (&'static str, &'static str, &'static str) {
        match self {
            StyleName::Highlight => (
                "highlight",
                "search matches, quotes in their article",
                "dark: yellow; light: blue",
            ),
            StyleName::CurrentQuote => (
                "current_quote",
                "the reader's current quote or match",
                "dark: black on yellow; light: black on light-yellow",
            ),
            StyleName::Heading => (
                "heading",
                "year and month headings, help sections",
                "dark: light-blue; light: blue",
            ),
            StyleName::Date => ("date", "dates", "dark: cyan; light: blue"),
            StyleName::Conflict => ("conflict", "the ! marker, disputed claims", "red"),
            StyleName::Sponsored => ("sponsored", "the $ marker, sponsored content", "magenta"),
            StyleName::Key => (
                "key",
                "keys in the key bar and help",
                "dark: cyan; light: blue",
            ),
            StyleName::Dim => (
                "dim",
                "secondary text",
                "dark: the terminal's dim; light: dark-gray",
            ),
            StyleName::Border => ("border", "pane borders", "as dim"),
            StyleName::FocusedBorder => (
                "focused_border",
                "the focused pane's border",
                "dark: cyan; light: blue",
            ),
            StyleName::Selected => ("selected", "the selected row", "reversed"),
            StyleName::Chip => ("chip", "filter chips in the header", "black on cyan"),
            StyleName::Kind => ("kind", "kinds of actors, places and sources", "green"),
            StyleName::Error => ("error", "the status line", "red"),
            StyleName::Mark => ("mark", "marks (●)", "green"),
        }
    }

    pub fn name(self) -> &'static str {
        self.spec().0
    }

    fn from_name(name: &str) -> Option<StyleName> {
        StyleName::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// A colour setting: text colour, and a background when one is given
/// (`"black on yellow"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paint {
    pub fg: Color,
    pub bg: Option<Color>,
}

impl Paint {
    pub fn parse(text: &str) -> Result<Paint, String> {
        let color = |c: &str| {
            let c = c.trim();
            c.parse::<Color>().map_err(|_| {
                format!(
                    "unknown colour {c:?}: a name (black, red, green, yellow, blue, magenta, cyan, gray, dark-gray, light-red … light-cyan, white, reset), an index 0-255, or #rrggbb"
                )
            })
        };
        match text.split_once(" on ") {
            Some((fg, bg)) => Ok(Paint {
                fg: color(fg)?,
                bg: Some(color(bg)?),
            }),
            None => Ok(Paint {
                fg: color(text)?,
                bg: None,
            }),
        }
    }
}

/// The colours the file sets, by style. `Copy`, so a theme can carry it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Palette {
    paints: [Option<Paint>; StyleName::ALL.len()],
}

impl Palette {
    pub fn get(&self, style: StyleName) -> Option<Paint> {
        self.paints[style as usize]
    }
    pub fn set(&mut self, style: StyleName, paint: Paint) {
        self.paints[style as usize] = Some(paint);
    }
}

/// What the settings file says; what it leaves out is the default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// `theme`: light (true) or dark; `None` when not set.
    pub light: Option<bool>,
    pub colors: Palette,
    pub keys: Bindings,
}

/// A problem in the settings file. Its setting keeps its default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based; 0 when the problem is not at a place in the file.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    /// `PATH:LINE:COLUMN: error: MESSAGE`
    pub fn display(&self, path: &Path) -> String {
        if self.line == 0 {
            format!("{}: error: {}", path.display(), self.message)
        } else {
            format!(
                "{}:{}:{}: error: {}",
                path.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

/// Reads the settings file at `path`. A missing file is the defaults;
/// one that cannot be read is the defaults and a problem.
pub fn load(path: &Path) -> (Config, Vec<Problem>) {
    let problem = |message: String| {
        (
            Config::default(),
            vec![Problem {
                line: 0,
                column: 0,
                message,
            }],
        )
    };
    match crate::io::read::read_bounded(path, MAX_SETTINGS_BYTES) {
        Ok(Some(bytes)) => match String::from_utf8(bytes) {
            Ok(text) => parse(&text),
            Err(_) => problem("not UTF-8 text; every setting left at its default".into()),
        },
        Ok(None) => (Config::default(), Vec::new()),
        Err(e) => problem(format!(
            "cannot read it ({e}); every setting left at its default"
        )),
    }
}

/// How much of a problem's message is shown (it may quote a bad value).
const MAX_MESSAGE_CHARS: usize = 300;

/// A settings file is a page of text; more is not one.
const MAX_SETTINGS_BYTES: u64 = 1 << 20;

/// Reads settings from TOML text. Every problem is listed; each leaves its
/// setting at the default (a syntax error: every setting).
pub fn parse(text: &str) -> (Config, Vec<Problem>) {
    let mut cx = Cx {
        text,
        problems: Vec::new(),
    };
    let mut config = Config::default();
    let table = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            let message = e.message().trim().to_string();
            cx.problem(at, format!("{message}; every setting left at its default"));
            return (config, cx.problems);
        }
    };
    for (key, value) in table.get_ref() {
        match key.get_ref().as_ref() {
            "theme" => match value.get_ref().as_str() {
                Some(s) => match s.trim().to_ascii_lowercase().as_str() {
                    "light" => config.light = Some(true),
                    "dark" => config.light = Some(false),
                    _ => cx.problem(
                        value.span().start,
                        format!("unknown theme {s:?}: \"dark\" or \"light\""),
                    ),
                },
                None => cx.problem(
                    value.span().start,
                    "theme is a string: \"dark\" or \"light\"".into(),
                ),
            },
            "colors" => match value.get_ref().as_table() {
                Some(t) => cx.colors(t, &mut config.colors),
                None => cx.problem(
                    value.span().start,
                    "colors is a table: [colors] then lines like highlight = \"magenta\"".into(),
                ),
            },
            "keys" => match value.get_ref().as_table() {
                Some(t) => cx.keys(t, &mut config.keys),
                None => cx.problem(
                    value.span().start,
                    "keys is a table: [keys] then lines like next_month = [\"]\", \"n\"]".into(),
                ),
            },
            other => cx.unknown(key, other, "setting", &["theme", "colors", "keys"]),
        }
    }
    cx.problems.sort_by_key(|p| (p.line, p.column));
    (config, cx.problems)
}

struct Cx<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

impl Cx<'_> {
    fn problem(&mut self, at: usize, message: String) {
        let (line, column) = line_column(self.text, at);
        // A bad value is quoted in the message: a long one is cut.
        self.problems.push(Problem {
            line,
            column,
            message: crate::io::safe::cut(&message, MAX_MESSAGE_CHARS),
        });
    }

    fn unknown(
        &mut self,
        key: &Spanned<toml::de::DeString<'_>>,
        name: &str,
        what: &str,
        known: &[&str],
    ) {
        let near = known
            .iter()
            .filter(|k| strsim::jaro_winkler(k, name) > 0.8)
            .max_by(|a, b| strsim::jaro_winkler(a, name).total_cmp(&strsim::jaro_winkler(b, name)));
        let hint = match near {
            Some(k) => format!("did you mean {k:?}?"),
            None => format!("known: {}", known.join(", ")),
        };
        self.problem(key.span().start, format!("unknown {what} {name:?}; {hint}"));
    }

    fn colors(&mut self, table: &DeTable<'_>, palette: &mut Palette) {
        let names: Vec<&str> = StyleName::ALL.iter().map(|s| s.name()).collect();
        for (key, value) in table {
            let Some(style) = StyleName::from_name(key.get_ref()) else {
                self.unknown(key, key.get_ref(), "style", &names);
                continue;
            };
            match value.get_ref().as_str() {
                Some(s) => match Paint::parse(s) {
                    Ok(p) => palette.set(style, p),
                    Err(e) => self.problem(value.span().start, format!("{}: {e}", style.name())),
                },
                None => self.problem(
                    value.span().start,
                    format!(
                        "{} is a string: \"COLOUR\" or \"COLOUR on COLOUR\"",
                        style.name()
                    ),
                ),
            }
        }
    }

    fn keys(&mut self, table: &DeTable<'_>, bindings: &mut Bindings) {
        let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        // The actions the file sets, with where, in file order.
        let mut set: Vec<(usize, Action)> = Vec::new();
        for (key, value) in table {
            let Some(action) = Action::from_name(key.get_ref()) else {
                self.unknown(key, key.get_ref(), "action", &names);
                continue;
            };
            let items: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
                DeValue::Array(a) => a.iter().collect(),
                _ => vec![value],
            };
            let mut keys = Vec::new();
            let mut ok = true;
            for item in items {
                let parsed = match item.get_ref().as_str() {
                    Some(s) => Key::parse(s),
                    None => Err(format!(
                        "a key is a string: {} = [\"n\", \"Ctrl-n\"]",
                        action.name()
                    )),
                };
                match parsed {
                    Ok(k) => keys.push(k),
                    Err(e) => {
                        self.problem(
                            item.span().start,
                            format!("{}: {e}; it keeps its default keys", action.name()),
                        );
                        ok = false;
                    }
                }
            }
            if ok {
                bindings.set(action, keys);
                set.push((key.span().start, action));
            }
        }
        set.sort();
        // A key bound to two actions: the later binding in the file (or the
        // one the file sets, against a default) goes back to its defaults,
        // until no key is bound twice. Defaults never clash, so this ends.
        while let Some((key, a, b)) = bindings.clash() {
            let Some(pos) = set.iter().rposition(|&(_, x)| x == a || x == b) else {
                break;
            };
            let (at, undo) = set.remove(pos);
            let other = if undo == a { b } else { a };
            bindings.set(undo, undo.default_keys());
            self.problem(
                at,
                format!(
                    "{:?} is bound to both {} and {}; {} keeps its default keys ({})",
                    key.label_for_file(),
                    other.name(),
                    undo.name(),
                    undo.name(),
                    undo.default_keys()
                        .iter()
                        .map(|k| k.label_for_file())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            );
        }
    }
}

/// 1-based line and column (in characters) of byte `at` in `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// The default settings file, every setting explained: what
/// `annals config --print-default` writes. It reads back as the defaults.
pub fn default_file() -> String {
    let mut out = String::new();
    out.push_str(
        "# annals settings: a TOML file at $ANNALS_CONFIG, else annals/config.toml in the\n\
         # platform's configuration directory ($XDG_CONFIG_HOME, by default ~/.config, on\n\
         # Linux). Every setting may be left out. A problem is reported with its line\n\
         # and column and leaves that setting at its default.\n\
         \n\
         # Colours for a \"dark\" or \"light\" terminal background. --theme and the\n\
         # ANNALS_THEME environment variable win over this. NO_COLOR turns colours off.\n\
         theme = \"dark\"\n\
         \n\
         # Colours of named styles, over the theme's: \"COLOUR\" (the text) or\n\
         # \"COLOUR on COLOUR\" (text on a background). A COLOUR is a name (black, red,\n\
         # green, yellow, blue, magenta, cyan, gray, dark-gray, light-red, light-green,\n\
         # light-yellow, light-blue, light-magenta, light-cyan, white, reset), an index\n\
         # 0-255, or #rrggbb. Bold, underline and reverse stay as the theme has them.\n\
         [colors]\n",
    );
    for s in StyleName::ALL {
        let (name, what, default) = s.spec();
        let line = format!("# {name} = \"…\"");
        out.push_str(&format!("{line:<28}# {what} (default {default})\n"));
    }
    out.push_str(
        "\n\
         # Keys of the explorer's actions: one key or a list. A list replaces the\n\
         # action's default keys; [] unbinds it. A key: a character (n, ], Y), Space,\n\
         # Enter, Tab, Shift-Tab, Backspace, Delete, Insert, Up, Down, Left, Right,\n\
         # PgUp, PgDn, Home, End, F1-F12, each optionally after Ctrl- or Alt-\n\
         # (Ctrl-n). A key may be bound to one action only. Ctrl-C always quits and\n\
         # Esc always closes; text boxes (search, command line, export) and the\n\
         # reader's n and N keep their keys.\n\
         [keys]\n",
    );
    for a in Action::ALL {
        let keys: Vec<String> = a
            .default_keys()
            .iter()
            .map(|k| toml_string(&k.label_for_file()))
            .collect();
        let line = format!("{} = [{}]", a.name(), keys.join(", "));
        out.push_str(&format!("{line:<28}# {}\n", a.about()));
    }
    out
}

impl Key {
    /// How the default file writes it: ASCII names (`Down`, not `↓`).
    fn label_for_file(self) -> String {
        match self.name {
            KeyName::Up => "Up".into(),
            KeyName::Down => "Down".into(),
            KeyName::Left => "Left".into(),
            KeyName::Right => "Right".into(),
            KeyName::BackTab => "Shift-Tab".into(),
            _ => self.label(),
        }
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_never_clash_and_round_trip_through_labels() {
        assert_eq!(Bindings::default().clash(), None);
        for a in Action::ALL {
            for k in a.default_keys() {
                assert_eq!(Key::parse(&k.label()), Ok(k), "{a:?}");
                assert_eq!(Key::parse(&k.label_for_file()), Ok(k), "{a:?}");
            }
            assert_eq!(Action::from_name(a.name()), Some(a));
        }
    }

    #[test]
    fn lines_and_columns_count_characters() {
        assert_eq!(line_column("a\nbé = 1", 5), (2, 3));
        assert_eq!(line_column("", 0), (1, 1));
    }
}
