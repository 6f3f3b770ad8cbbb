//! The help overlay (`?`): every key, from one table the README copies.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, Overlay};
use crate::tui::keys::keymap::Keymap;
use crate::tui::theme::Theme;
use crate::tui::widgets::frame::popup_frame;
use crate::tui::widgets::text::wrap;

/// (section, keys, what they do)
pub const KEYS: &[(&str, &str, &str)] = &[
    ("Everywhere", "Ctrl-C", "quit, from anywhere"),
    (
        "Everywhere",
        "q",
        "quit; in a view or overlay (not a text box): close it",
    ),
    (
        "Everywhere",
        "Esc",
        "close the view or overlay (back to the one under it)",
    ),
    ("Everywhere", "?", "this help (j k PgDn PgUp scroll it)"),
    ("Everywhere", "Tab, Shift-Tab", "next, previous pane"),
    ("Everywhere", "1 2 3", "timeline, relationships, sources"),
    (
        "Everywhere",
        "/",
        "fuzzy search everything (jumps; :text filters)",
    ),
    ("Everywhere", ":", "command line (below)"),
    (
        "Everywhere",
        "i",
        "details of the selected event, actor, place or conflict",
    ),
    (
        "Everywhere",
        "y",
        "copy the selected quote with its citation",
    ),
    (
        "Everywhere",
        "Y",
        "copy the selected event as a Markdown line",
    ),
    (
        "Everywhere",
        "E",
        "open the store in $VISUAL/$EDITOR at the selected event, quote or article; saving reloads it",
    ),
    (
        "Everywhere",
        "*",
        "star or unstar the selected event (* in the row; ⁑ starred and noted)",
    ),
    (
        "Everywhere",
        "a",
        "write a note on the selected event, quote or disagreement, in the editor (¶ in the row)",
    ),
    (
        "Everywhere",
        "m",
        "the map in place of the relationships pane (places of the shown events)",
    ),
    (
        "Everywhere",
        "z",
        "widen the focused pane; again: it alone; again: panes shared",
    ),
    ("Everywhere", "Backspace", "remove the last filter"),
    ("Everywhere", "X", "clear all filters"),
    (
        "Everywhere",
        "U",
        "undo the explorer's last write to the store (a quote or an event added)",
    ),
    (
        "Everywhere",
        "mouse",
        "click focuses a pane and selects a row; wheel scrolls",
    ),
    (
        "Panes",
        "j k, ↓ ↑",
        "next, previous item of the focused pane",
    ),
    ("Panes", "PgDn PgUp", "a page down, up in the focused pane"),
    (
        "Panes",
        "g G, Home End",
        "first, last item of the focused pane",
    ),
    ("Timeline", "[ ]", "previous, next month"),
    ("Timeline", "{ }", "previous, next year"),
    ("Timeline", "Enter", "read the first quote in its article"),
    (
        "Timeline",
        "Space",
        "mark or unmark the event (● in the row)",
    ),
    (
        "Timeline",
        "v",
        "start or end a range of marks that follows the cursor",
    ),
    ("Timeline", "A", "mark every event the filters show"),
    ("Timeline", "u", "clear the marks"),
    (
        "Timeline",
        "e",
        "export the marked events, or else the shown ones",
    ),
    (
        "Timeline",
        "markers",
        "[n] independent origins · ! sources conflict · $ sponsored only",
    ),
    (
        "Relationships",
        "Enter",
        "filter the timeline to that actor or place",
    ),
    (
        "Relationships",
        "i",
        "an actor's relations over time, or a place",
    ),
    (
        "Map",
        "j k, Enter",
        "choose a place, filter the timeline to it",
    ),
    (
        "Map",
        "+ -, 0",
        "zoom in, out; frame the shown places again",
    ),
    ("Map", "H J K L", "pan west, south, north, east"),
    ("Map", "mouse", "a click selects the nearest place"),
    (
        "Sources",
        "Enter",
        "open the article at the quote, or the conflict",
    ),
    ("Story", "> <", "next, previous step (the panes follow it)"),
    (
        "Story",
        "S D",
        "add the selected event, quote or disagreement after this step; remove this step",
    ),
    ("Story", "( )", "move this step earlier, later"),
    (
        "Story",
        "W I",
        "this step's prose, the introduction, in the editor",
    ),
    (
        "Conflict",
        "j k, Enter",
        "choose a quote, read it in its article",
    ),
    ("Reader", "n N", "next, previous quote (or match, after /)"),
    (
        "Reader",
        "/",
        "find words in the article; Esc ends the find",
    ),
    ("Reader", "j k, PgDn PgUp, g G", "scroll"),
    (
        "Reader",
        "v",
        "select a passage: the sentence u went to, the current quote or the top sentence shown",
    ),
    (
        "Reader",
        "w b, B W",
        "the selection's end a word on, back; its start a word back, on",
    ),
    (
        "Reader",
        ") (",
        "the selection's end to the next, previous sentence's end",
    ),
    (
        "Reader",
        "mouse",
        "drag over the text to select whole words; wheel scrolls",
    ),
    (
        "Reader",
        "Esc",
        "clear the selection (or end the find), then close",
    ),
    (
        "Reader",
        "+",
        "quote the selection on the selected event, in the store file",
    ),
    (
        "Reader",
        "e",
        "a new event quoting the selection: the form (below)",
    ),
    (
        "Reader",
        "u",
        "next sentence no event quotes that holds a date, a number or an actor's name (· in the margin), and why",
    ),
    (
        "Reader",
        "=",
        "side by side, the passages another source shares with this one (Tab: the next source)",
    ),
    ("Event form", "Tab, Shift-Tab", "next, previous field"),
    (
        "Event form",
        "typing",
        "the date is checked as typed; actors, places and tags suggest the store's",
    ),
    (
        "Event form",
        "↑ ↓, Enter",
        "choose a suggestion and add it; “Name (kind)” makes a new actor or place",
    ),
    (
        "Event form",
        "Enter",
        "outside a list's typing: write the event; problems are shown, nothing written",
    ),
    (
        "Event form",
        "Backspace",
        "in an empty list: take back its last",
    ),
    ("Event form", "Esc", "cancel; nothing is written"),
    ("Search", "typing", "results update on every key"),
    ("Search", "↑ ↓, Ctrl-P Ctrl-N", "choose a result"),
    (
        "Search",
        "Enter",
        "actor/place: filter · event: jump · quote/source: read",
    ),
    ("Search", "Esc", "back, nothing changed"),
    ("Export", "Tab Shift-Tab, ↓ ↑", "next, previous format"),
    (
        "Export",
        "typing",
        "the file name (← → Home End move, Ctrl-W deletes a word)",
    ),
    ("Export", "Ctrl-U", "clear the file name"),
    ("Export", "Enter", "write the file"),
    (
        "Export",
        "y n",
        "replace the file that is there, or not (when asked)",
    ),
    ("Export", "Esc", "cancel, nothing written"),
    (
        "Commands",
        ":from 2024-03",
        "only events on or after a date (2024, 2024-03, 2024-03-15)",
    ),
    ("Commands", ":to 2024-05", "only events on or before a date"),
    (
        "Commands",
        ":actor russia",
        "filter by actor (id, name or alias)",
    ),
    (
        "Commands",
        ":place agadez",
        "filter by place (includes places within it)",
    ),
    ("Commands", ":tag withdrawal", "filter by tag"),
    (
        "Commands",
        ":source reuters",
        "events quoting a source (id, title, outlet)",
    ),
    (
        "Commands",
        ":kind sponsored",
        "events quoting a source of that kind",
    ),
    (
        "Commands",
        ":only sponsored",
        "events resting only on that kind",
    ),
    (
        "Commands",
        ":text cost",
        "events whose text has these words",
    ),
    (
        "Commands",
        "chips",
        "one kind's chips widen (or); kinds narrow (and)",
    ),
    (
        "Commands",
        ":at 2024-04-01",
        "relations as they stood that day; :at alone undoes",
    ),
    (
        "Commands",
        ":note TEXT",
        "a one-line note on the selection; :note alone removes it",
    ),
    (
        "Commands",
        ":starred, :noted",
        "only starred events, only events with notes",
    ),
    (
        "Commands",
        ":disputes",
        "every disagreement: contradicting (!) or compatible (≈); Enter opens one",
    ),
    (
        "Commands",
        ":disputed",
        "only events a disagreement is about (the ! rows)",
    ),
    (
        "Commands",
        ":story new NAME",
        "a story of the marked events, in the order they were marked",
    ),
    (
        "Commands",
        ":story NAME, :stories",
        "open a story (:story close closes it); list the stories",
    ),
    (
        "Commands",
        ":prose TEXT, :intro TEXT",
        "this step's prose, the story's introduction, in one line",
    ),
    (
        "Commands",
        ":save NAME",
        "save the filters as a view (annals list --view NAME too)",
    ),
    (
        "Commands",
        ":view NAME",
        "put a saved view's filters back; :view lists them",
    ),
    ("Commands", ":clear", "clear all filters"),
    (
        "Commands",
        ":write FILE",
        "write the store to FILE with its stars and notes (:write! replaces)",
    ),
    (
        "Commands",
        ":problems",
        "list why the store does not load; Enter edits there",
    ),
    (
        "Commands",
        ":undo",
        "undo the explorer's last write to the store, as U does",
    ),
    (
        "Commands",
        "↑ ↓",
        "earlier commands; an error keeps the line to fix",
    ),
];

fn section_lines(app: &App, w: usize) -> Vec<Vec<Line<'static>>> {
    section_lines_with(app.theme, &app.keys, w)
}

/// The help's lines, a list per section; the rows of rebindable keys show
/// the keys bound now (`Keymap::help_keys`).
fn section_lines_with(theme: Theme, bound: &Keymap, w: usize) -> Vec<Vec<Line<'static>>> {
    let mut out: Vec<Vec<Line<'static>>> = Vec::new();
    let mut section = "";
    for &(sec, keys, what) in KEYS {
        let keys = bound.help_keys(sec, keys);
        if sec != section {
            out.push(vec![Line::styled(sec, theme.heading())]);
            section = sec;
        }
        if let Some(cur) = out.last_mut() {
            // Wrapped under its column, never cut.
            let rows = wrap(what, w.saturating_sub(22).max(1));
            for (i, r) in rows.into_iter().enumerate() {
                let keys = if i == 0 {
                    format!("  {keys:<20}")
                } else {
                    " ".repeat(22)
                };
                cur.push(Line::from(vec![
                    Span::styled(keys, theme.key()),
                    Span::raw(what[r].trim_end().to_string()),
                ]));
            }
        }
    }
    out
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let popup = area.centered(
        Constraint::Max(150),
        Constraint::Max(KEYS.len() as u16 + 12),
    );
    if popup.width < 20 || popup.height < 5 {
        return;
    }
    let inner = popup_frame(
        f,
        popup,
        Line::styled(" Keys · j/k scroll · Esc or q closes ", theme.title()),
        theme,
    );
    let [text, foot] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let total: usize = section_lines(app, (text.width as usize).div_ceil(2))
        .iter()
        .map(|s| s.len() + 1)
        .sum();
    // Two columns when one would not fit and two do; else one that scrolls.
    let two =
        text.height as usize * 2 > total && (text.height as usize) < total && text.width >= 100;
    let Overlay::Help(pager) = &mut app.overlay else {
        return;
    };
    if !two {
        let sections = section_lines_with(theme, &app.keys, text.width as usize);
        let mut lines: Vec<Line<'static>> = Vec::new();
        for sec in sections {
            if !lines.is_empty() {
                lines.push(Line::raw(""));
            }
            lines.extend(sec);
        }
        pager.draw(f, text, lines);
        let more = pager.position().unwrap_or_default();
        f.render_widget(Paragraph::new(more).style(theme.dim()), foot);
        return;
    }
    let cols: Vec<Rect> = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
        .spacing(2)
        .split(text)
        .to_vec();
    let sections = section_lines_with(theme, &app.keys, cols[0].width as usize);
    let per_col = total.div_ceil(cols.len());
    let mut col = 0;
    let mut lines: Vec<Line<'static>> = Vec::new();
    for sec in sections {
        if col + 1 < cols.len() && lines.len() + sec.len() > per_col {
            f.render_widget(Paragraph::new(std::mem::take(&mut lines)), cols[col]);
            col += 1;
        }
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.extend(sec);
    }
    f.render_widget(Paragraph::new(lines), cols[col]);
}
