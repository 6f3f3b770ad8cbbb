//! Styles. Only the terminal's own palette colours and modifiers; with
//! `NO_COLOR` set, modifiers alone. Two themes, for dark and light
//! backgrounds: yellow text is unreadable on white, and grey (colour 8) is
//! the background itself in Solarized Dark, so neither is used where it
//! would vanish. Highlights set both colours, never one over an unknown
//! background.

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    /// Colours for a light background.
    pub light: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to a non-empty value (no-color.org);
    /// light or dark from `ANNALS_THEME`, dark when unset.
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let light =
            std::env::var("ANNALS_THEME").is_ok_and(|v| v.trim().eq_ignore_ascii_case("light"));
        Theme {
            color: !no_color,
            light,
        }
    }

    /// The theme to use: `--theme`'s value if given, else `ANNALS_THEME`'s.
    pub fn resolve(flag: Option<&str>) -> Result<Theme, String> {
        let mut theme = Theme::from_env();
        if let Some(name) = flag {
            theme.light = Theme::parse_name(name)?;
        }
        Ok(theme)
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
        if self.color && self.light {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
    pub fn border(self) -> Style {
        self.dim()
    }
    pub fn focused_border(self) -> Style {
        self.fg(self.accent()).add_modifier(Modifier::BOLD)
    }
    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    /// Matched characters and quotes in their article.
    pub fn highlight(self) -> Style {
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
        let base = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        match (self.color, self.light) {
            (false, _) => base.add_modifier(Modifier::REVERSED),
            (true, false) => base.fg(Color::Black).bg(Color::Yellow),
            (true, true) => base.fg(Color::Black).bg(Color::LightYellow),
        }
    }
    pub fn heading(self) -> Style {
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
        self.fg(self.accent())
    }
    pub fn conflict(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn sponsored(self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }
    pub fn chip(self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Cyan)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn key(self) -> Style {
        self.fg(self.accent()).add_modifier(Modifier::BOLD)
    }
    pub fn kind(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn mark(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }
}
