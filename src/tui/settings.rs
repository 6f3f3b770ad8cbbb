//! What the explorer starts with: the theme, the key bindings, and a note
//! of the settings file's problems for the status line.

use std::path::PathBuf;

use crate::config::{self, Problem};
use crate::tui::keys::keymap::Keymap;
use crate::tui::theme::Theme;

#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub theme: Theme,
    pub keys: Keymap,
    /// Shown in the status line until the first key: the settings file's
    /// problems, if it has any.
    pub notice: Option<String>,
}

/// The settings file read: where, and its problems.
pub struct Loaded {
    pub settings: Settings,
    pub path: Option<PathBuf>,
    pub problems: Vec<Problem>,
}

impl Settings {
    /// The default keys and the theme `Theme::resolve` gives.
    pub fn with_theme(theme: Theme) -> Settings {
        Settings {
            theme,
            ..Settings::default()
        }
    }

    /// Reads the settings file (`config::path`). The theme is `--theme`
    /// (`flag`), else `ANNALS_THEME`, else the file's, else dark. A bad
    /// `flag` is an error; the file's problems are not: each leaves its
    /// setting at the default, and they are returned to be shown.
    pub fn load(flag: Option<&str>) -> Result<Loaded, String> {
        Settings::load_from(config::path(), flag)
    }

    /// `load` with the settings file at `path` (none: the defaults).
    pub fn load_from(path: Option<PathBuf>, flag: Option<&str>) -> Result<Loaded, String> {
        let (file, problems) = path.as_deref().map(config::load).unwrap_or_default();
        let theme = Theme::resolve_with(flag, file.light, file.colors)?;
        let notice = problems.first().map(|first| {
            let n = problems.len();
            let place = path
                .as_deref()
                .map(|p| first.display(p))
                .unwrap_or_else(|| first.message.clone());
            let more = if n > 1 {
                format!(" (and {} more: annals config lists them)", n - 1)
            } else {
                String::new()
            };
            format!("settings: {place}{more}; defaults kept")
        });
        Ok(Loaded {
            settings: Settings {
                theme,
                keys: Keymap::new(file.keys),
                notice,
            },
            path,
            problems,
        })
    }
}
