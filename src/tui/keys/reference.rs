//! The keys reference (docs/reference/keys.md) written from the table, with
//! the default bindings: a test compares the file's generated part with
//! this, so a key added, changed or dropped here fails it until the page is
//! written again (`UPDATE_DOCS=1`).

use crate::tui::keys::bar;
use crate::tui::keys::keymap::Keymap;
use crate::tui::keys::table::{KEYS, Place, bar_entries};

/// Where the generated part of the page starts and ends.
pub const START: &str = "<!-- keys:start: written from src/tui/keys/table.rs -->";
pub const END: &str = "<!-- keys:end -->";

/// A table cell: `|` would end it.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Every row of the table, a Markdown table per section, then what the key
/// bar shows in each place.
pub fn markdown() -> String {
    let keys = Keymap::default();
    let mut out = String::new();
    let mut section = "";
    for row in KEYS {
        if row.section != section {
            section = row.section;
            out.push_str(&format!("\n### {section}\n\n| keys | what |\n|---|---|\n"));
        }
        out.push_str(&format!(
            "| `{}` | {} |\n",
            cell(&keys.row_keys(row)),
            cell(row.what)
        ));
    }
    out.push_str(
        "\n### The key bar\n\n\
         The bottom line shows the keys of where you are, as many as fit: \
         first at 80 columns, then what a wider terminal adds.\n\n\
         | where | at 80 columns | wider, in order |\n|---|---|---|\n",
    );
    for place in Place::ALL {
        let fits = bar::entries(place, &keys, 80);
        let shown = |e: &[(String, &str)]| {
            e.iter()
                .map(|(k, w)| format!("`{}` {w}", cell(k)))
                .collect::<Vec<_>>()
                .join(" · ")
        };
        let more: Vec<(String, &str)> = bar_entries(place)
            .into_iter()
            .map(|e| (keys.bar_label(e), e.word))
            .filter(|e| !fits.contains(e))
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            place.name(),
            shown(&fits),
            shown(&more)
        ));
    }
    out
}
