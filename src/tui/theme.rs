//! Styles. Only the terminal's own palette colours and modifiers; with
//! `NO_COLOR` set, modifiers alone. Two themes, for dark and light
//! backgrounds: yellow text is unreadable on white, and grey (colour 8) is
//! the background itself in Solarized Dark, so neither is used where it
//! would vanish. Highlights set both colours, never one over an unknown
//! background.

use ratatui::style::{Color, Modifier, Style};

use crate::config::{Palette, StyleName};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    /// Colours for a light background.
    pub light: bool,
    /// Colours the settings file sets over the theme's (`[colors]`).
    pub palette: Palette,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to a non-empty value (no-color.org);
    /// light or dark from `ANNALS_THEME`, dark when unset.
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme {
            color: !no_color,
            light: Theme::env_light().unwrap_or(false),
            palette: Palette::default(),
        }
    }

    /// `ANNALS_THEME`: light when it says so, dark when it says anything
    /// else, `None` when unset or empty.
    fn env_light() -> Option<bool> {
        std::env::var("ANNALS_THEME")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| v.trim().eq_ignore_ascii_case("light"))
    }

    /// The theme to use: `--theme`'s value if given, else `ANNALS_THEME`'s.
    pub fn resolve(flag: Option<&str>) -> Result<Theme, String> {
        Theme::resolve_with(flag, None, Palette::default())
    }

    /// The theme to use: `--theme` (`flag`), else `ANNALS_THEME`, else the
    /// settings file's `theme` (`file`), else dark; with the file's colours.
    pub fn resolve_with(
        flag: Option<&str>,
        file: Option<bool>,
        palette: Palette,
    ) -> Result<Theme, String> {
        let mut theme = Theme::from_env();
        let flag = flag.map(Theme::parse_name).transpose()?;
        theme.light = Theme::choose_light(flag, Theme::env_light(), file);
        theme.palette = palette;
        Ok(theme)
    }

    /// Light or dark: the first given of `--theme`, `ANNALS_THEME` and the
    /// settings file; dark when none is.
    pub fn choose_light(flag: Option<bool>, env: Option<bool>, file: Option<bool>) -> bool {
        flag.or(env).or(file).unwrap_or(false)
    }

    /// `style` with the settings file's colours for `name`, if it sets any
    /// (never with `NO_COLOR`). A background replaces reverse video.
    fn paint(self, name: StyleName, style: Style) -> Style {
        match self.palette.get(name) {
            Some(p) if self.color => {
                let style = style.fg(p.fg);
                match p.bg {
                    Some(bg) => style.bg(bg).remove_modifier(Modifier::REVERSED),
                    None => style,
                }
            }
            _ => style,
        }
    }

    /// `--theme`'s value: `light` or `dark`.
    pub fn parse_name(name: &str) -> Result<bool, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "light" => Ok(true),
            "dark" => Ok(false),
            other => Err(format!("unknown theme {other:?}: light or dark")),
        }
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn text(self) -> Style {
        Style::new()
    }
    /// Secondary text. On dark backgrounds the terminal's own dimming, not
    /// colour 8 (which some dark palettes make the background colour).
    pub fn dim(self) -> Style {
        self.paint(StyleName::Dim, self.dim_base())
    }
    fn dim_base(self) -> Style {
        if self.color && self.light {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
    pub fn border(self) -> Style {
        self.paint(StyleName::Border, self.border_base())
    }
    fn border_base(self) -> Style {
        self.dim()
    }
    pub fn focused_border(self) -> Style {
        self.paint(StyleName::FocusedBorder, self.focused_border_base())
    }
    fn focused_border_base(self) -> Style {
        self.fg(self.accent()).add_modifier(Modifier::BOLD)
    }
    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn selected(self) -> Style {
        self.paint(StyleName::Selected, self.selected_base())
    }
    fn selected_base(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    /// Matched characters and quotes in their article.
    pub fn highlight(self) -> Style {
        self.paint(StyleName::Highlight, self.highlight_base())
    }
    fn highlight_base(self) -> Style {
        let base = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        match (self.color, self.light) {
            (false, _) => base,
            (true, false) => base.fg(Color::Yellow),
            (true, true) => base.fg(Color::Blue),
        }
    }
    /// The reader's current quote and find match: both colours set, dark
    /// text on a light block in either theme.
    pub fn current_quote(self) -> Style {
        self.paint(StyleName::CurrentQuote, self.current_quote_base())
    }
    fn current_quote_base(self) -> Style {
        let base = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        match (self.color, self.light) {
            (false, _) => base.add_modifier(Modifier::REVERSED),
            (true, false) => base.fg(Color::Black).bg(Color::Yellow),
            (true, true) => base.fg(Color::Black).bg(Color::LightYellow),
        }
    }
    pub fn heading(self) -> Style {
        self.paint(StyleName::Heading, self.heading_base())
    }
    fn heading_base(self) -> Style {
        self.fg(if self.light {
            Color::Blue
        } else {
            Color::LightBlue
        })
        .add_modifier(Modifier::BOLD)
    }
    /// Cyan is pale on white: blue there.
    fn accent(self) -> Color {
        if self.light { Color::Blue } else { Color::Cyan }
    }
    pub fn date(self) -> Style {
        self.paint(StyleName::Date, self.date_base())
    }
    fn date_base(self) -> Style {
        self.fg(self.accent())
    }
    pub fn conflict(self) -> Style {
        self.paint(StyleName::Conflict, self.conflict_base())
    }
    fn conflict_base(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn sponsored(self) -> Style {
        self.paint(StyleName::Sponsored, self.sponsored_base())
    }
    fn sponsored_base(self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }
    pub fn chip(self) -> Style {
        self.paint(StyleName::Chip, self.chip_base())
    }
    fn chip_base(self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Cyan)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn key(self) -> Style {
        self.paint(StyleName::Key, self.key_base())
    }
    fn key_base(self) -> Style {
        self.fg(self.accent()).add_modifier(Modifier::BOLD)
    }
    pub fn kind(self) -> Style {
        self.paint(StyleName::Kind, self.kind_base())
    }
    fn kind_base(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn error(self) -> Style {
        self.paint(StyleName::Error, self.error_base())
    }
    fn error_base(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn mark(self) -> Style {
        self.paint(StyleName::Mark, self.mark_base())
    }
    fn mark_base(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }
}
