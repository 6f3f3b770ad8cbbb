//! The key bar, the bottom line: which of the table's entries for where
//! the user is fit the terminal's width.

use crate::tui::keys::keymap::Keymap;
use crate::tui::keys::table::{Place, bar_entries};
use crate::tui::widgets::text::width;

/// The entries shown in `place` at `cols` columns, as (keys bound now,
/// word), in the order drawn. Each is drawn ` KEYS WORD `; they are taken
/// by rank, the lowest first, while they fit (one that does not is passed
/// over for a shorter one after it); rank 0 is always kept, and drawn
/// last. The last entry's trailing blank may fall off the edge.
pub fn entries(place: Place, keys: &Keymap, cols: usize) -> Vec<(String, &'static str)> {
    let all: Vec<(u8, String, &'static str)> = bar_entries(place)
        .into_iter()
        .map(|e| (e.rank, keys.bar_label(e), e.word))
        .collect();
    let cost = |label: &str, word: &str| width(label) + width(word) + 3;
    let always: usize = all
        .iter()
        .filter(|(rank, ..)| *rank == 0)
        .map(|(_, l, w)| cost(l, w))
        .sum();
    let mut room = (cols + 1).saturating_sub(always);
    let mut shown = Vec::new();
    let mut last = Vec::new();
    for (rank, label, word) in all {
        if rank == 0 {
            last.push((label, word));
        } else if cost(&label, word) <= room {
            room -= cost(&label, word);
            shown.push((label, word));
        }
    }
    shown.extend(last);
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(place: Place, cols: usize) -> String {
        entries(place, &Keymap::default(), cols)
            .iter()
            .map(|(k, w)| format!(" {k} {w} "))
            .collect()
    }

    #[test]
    fn at_80_columns_the_timeline_bar_has_marks_and_export() {
        let l = line(Place::Timeline, 80);
        assert!(l.trim_end().chars().count() <= 80, "{l}");
        for key in [" j/k move ", " Enter read ", " / search ", " Space mark "] {
            assert!(l.contains(key), "{key:?} not in {l:?}");
        }
        assert!(
            l.contains(" e export ") && l.ends_with(" ? help  q quit "),
            "{l}"
        );
    }

    #[test]
    fn wider_terminals_show_more_keys_map_and_stars_included() {
        let narrow = line(Place::Timeline, 80);
        let wide = line(Place::Timeline, 100);
        assert!(
            !narrow.contains(" m map ") && wide.contains(" m map "),
            "{wide}"
        );
        assert!(wide.contains(" * star "), "{wide}");
        let widest = line(Place::Timeline, 400);
        for e in bar_entries(Place::Timeline) {
            assert!(widest.contains(e.word), "{} missing at 400 columns", e.word);
        }
    }

    #[test]
    fn a_narrow_bar_keeps_help_and_quit() {
        assert_eq!(line(Place::Timeline, 20), " ? help  q quit ");
        assert_eq!(line(Place::Timeline, 0), " ? help  q quit ");
        // In an overlay, how to leave it is always there.
        assert_eq!(line(Place::Search, 0), " Esc back ");
    }
}
