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
            // Grey 241 (#626262), 6:1 on white: colour 8 is 4:1, faint.
            Style::new().fg(Color::Indexed(241))
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
        // Colour 12 is 4.4:1 on black: sky blue (75, #5fafff) there.
        self.fg(if self.light {
            Color::Blue
        } else {
            Color::Indexed(75)
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
        self.fg(self.red()).add_modifier(Modifier::BOLD)
    }
    /// Colour 1 is 3.6:1 on black: the bright red there.
    fn red(self) -> Color {
        if self.light {
            Color::Red
        } else {
            Color::LightRed
        }
    }
    /// Colour 2 is 2.2:1 on white: a dark green (22, #005f00) there.
    fn green(self) -> Color {
        if self.light {
            Color::Indexed(22)
        } else {
            Color::Green
        }
    }
    pub fn sponsored(self) -> Style {
        self.paint(StyleName::Sponsored, self.sponsored_base())
    }
    fn sponsored_base(self) -> Style {
        // Colour 5 is 4.4:1 on black: the bright magenta there.
        self.fg(if self.light {
            Color::Magenta
        } else {
            Color::LightMagenta
        })
        .add_modifier(Modifier::BOLD)
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
        self.fg(self.green())
    }
    pub fn error(self) -> Style {
        self.paint(StyleName::Error, self.error_base())
    }
    fn error_base(self) -> Style {
        self.fg(self.red()).add_modifier(Modifier::BOLD)
    }
    pub fn mark(self) -> Style {
        self.paint(StyleName::Mark, self.mark_base())
    }
    fn mark_base(self) -> Style {
        self.fg(self.green()).add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xterm's default RGB for a palette colour (the 16 named, the 6x6x6
    /// cube and the greys of the 256); `None` for the terminal's own.
    fn rgb(c: Color) -> Option<(u8, u8, u8)> {
        const BASE: [(u8, u8, u8); 16] = [
            (0, 0, 0),
            (205, 0, 0),
            (0, 205, 0),
            (205, 205, 0),
            (0, 0, 238),
            (205, 0, 205),
            (0, 205, 205),
            (229, 229, 229),
            (127, 127, 127),
            (255, 0, 0),
            (0, 255, 0),
            (255, 255, 0),
            (92, 92, 255),
            (255, 0, 255),
            (0, 255, 255),
            (255, 255, 255),
        ];
        let named = [
            Color::Black,
            Color::Red,
            Color::Green,
            Color::Yellow,
            Color::Blue,
            Color::Magenta,
            Color::Cyan,
            Color::Gray,
            Color::DarkGray,
            Color::LightRed,
            Color::LightGreen,
            Color::LightYellow,
            Color::LightBlue,
            Color::LightMagenta,
            Color::LightCyan,
            Color::White,
        ];
        let cube = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
        match c {
            Color::Reset => None,
            Color::Rgb(r, g, b) => Some((r, g, b)),
            Color::Indexed(i) if i < 16 => Some(BASE[usize::from(i)]),
            Color::Indexed(i) if i < 232 => {
                let i = i - 16;
                Some((cube(i / 36), cube(i / 6 % 6), cube(i % 6)))
            }
            Color::Indexed(i) => {
                let v = 8 + 10 * (i - 232);
                Some((v, v, v))
            }
            named_colour => named
                .iter()
                .position(|&n| n == named_colour)
                .map(|i| BASE[i]),
        }
    }

    /// WCAG relative luminance.
    fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
        let lin = |v: u8| {
            let c = f64::from(v) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    fn styles(t: Theme) -> Vec<(&'static str, Style)> {
        vec![
            ("text", t.text()),
            ("dim", t.dim()),
            ("border", t.border()),
            ("focused_border", t.focused_border()),
            ("title", t.title()),
            ("selected", t.selected()),
            ("highlight", t.highlight()),
            ("current_quote", t.current_quote()),
            ("heading", t.heading()),
            ("date", t.date()),
            ("conflict", t.conflict()),
            ("sponsored", t.sponsored()),
            ("chip", t.chip()),
            ("key", t.key()),
            ("kind", t.kind()),
            ("error", t.error()),
            ("mark", t.mark()),
            ("reversed mark", t.mark().reversed()),
            ("reversed sponsored", t.sponsored().reversed()),
        ]
    }

    /// Every style of both themes, as drawn on the theme's background
    /// (xterm's black, or white; the default text black on white, xterm's
    /// white, #e5e5e5, on black), reverse video swapping the two: at least
    /// 4.5:1 (WCAG AA). Dimming is the terminal's and not counted.
    #[test]
    fn every_style_is_readable_on_its_background() {
        for light in [false, true] {
            let t = Theme {
                color: true,
                light,
                ..Default::default()
            };
            let (page, ink) = if light {
                ((255, 255, 255), (0, 0, 0))
            } else {
                ((0, 0, 0), (229, 229, 229))
            };
            for (name, style) in styles(t) {
                let mut fg = style.fg.and_then(rgb).unwrap_or(ink);
                let mut bg = style.bg.and_then(rgb).unwrap_or(page);
                if style.add_modifier.contains(Modifier::REVERSED) {
                    (fg, bg) = (bg, fg);
                }
                let c = contrast(fg, bg);
                assert!(
                    c >= 4.5,
                    "light {light}: {name} is {c:.2}:1 ({fg:?} on {bg:?})"
                );
            }
        }
    }

    #[test]
    fn xterm_values_and_the_wcag_formula() {
        assert_eq!(rgb(Color::DarkGray), Some((127, 127, 127)));
        assert_eq!(rgb(Color::Indexed(22)), Some((0, 95, 0)));
        assert_eq!(rgb(Color::Indexed(241)), Some((98, 98, 98)));
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
        // Colour 8 and colour 2 on white: what the light theme no longer uses.
        assert!(contrast(rgb(Color::DarkGray).unwrap(), (255, 255, 255)) < 4.5);
        assert!(contrast(rgb(Color::Green).unwrap(), (255, 255, 255)) < 4.5);
    }
}
