//! The one table of the explorer's keys. The help overlay (`?`), the key
//! bar at the bottom of the screen and docs/reference/keys.md are all made
//! from it: a key added here is shown in all three, and a test fails when
//! the reference differs.

use crate::config::Action;
use Action as A;

/// Where the key bar is: the focused pane, or the overlay open over it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Timeline,
    Relations,
    Map,
    Sources,
    Search,
    Reader,
    Compare,
    Help,
    Details,
    Disputes,
    Stories,
    Conflict,
    Export,
    EventForm,
    Problems,
}

impl Place {
    pub const ALL: [Place; 15] = [
        Place::Timeline,
        Place::Relations,
        Place::Map,
        Place::Sources,
        Place::Search,
        Place::Reader,
        Place::Compare,
        Place::Help,
        Place::Details,
        Place::Disputes,
        Place::Stories,
        Place::Conflict,
        Place::Export,
        Place::EventForm,
        Place::Problems,
    ];

    /// How the reference names it.
    pub fn name(self) -> &'static str {
        match self {
            Place::Timeline => "the timeline",
            Place::Relations => "the relationships pane",
            Place::Map => "the map",
            Place::Sources => "the sources pane",
            Place::Search => "search",
            Place::Reader => "the reader",
            Place::Compare => "shared passages (=)",
            Place::Help => "this help",
            Place::Details => "details (i)",
            Place::Disputes => "disagreements (:disputes)",
            Place::Stories => "stories (:stories)",
            Place::Conflict => "a conflict",
            Place::Export => "the export dialog",
            Place::EventForm => "the new-event form",
            Place::Problems => "problems (:problems)",
        }
    }
}

const PANES: &[Place] = &[
    Place::Timeline,
    Place::Relations,
    Place::Map,
    Place::Sources,
];
const LISTS: &[Place] = &[Place::Timeline, Place::Relations, Place::Sources];
const CLOSE: &[Place] = &[
    Place::Help,
    Place::Details,
    Place::Disputes,
    Place::Stories,
    Place::Conflict,
];

/// A key's name in the key bar: fixed, or the first key bound to an
/// action now (the settings file's `[keys]` may rebind it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Fixed(&'static str),
    Bound(Action),
}

use Part::{Bound as B, Fixed as F};

/// One entry of the key bar: where it is shown, its keys (joined by
/// `sep`), its word, and its rank. The bar takes entries by rank, the
/// lowest first, as long as they fit; rank 0 is always shown, at the end.
#[derive(Debug)]
pub struct BarEntry {
    pub on: &'static [Place],
    pub parts: &'static [Part],
    pub sep: &'static str,
    pub word: &'static str,
    pub rank: u8,
}

const fn bar(
    rank: u8,
    on: &'static [Place],
    parts: &'static [Part],
    sep: &'static str,
    word: &'static str,
) -> BarEntry {
    BarEntry {
        on,
        parts,
        sep,
        word,
        rank,
    }
}

/// How a row writes its keys when they are rebound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Fixed keys: written as the table has them.
    Fixed,
    /// Every key of each group's actions: `j k, ↓ ↑` (the separator joins
    /// the actions of a group).
    All(&'static str),
    /// The first key of each action, groups joined by `, `:
    /// `j k, PgDn PgUp, g G`.
    First,
}

/// A row of the help and of the reference.
#[derive(Debug)]
pub struct KeyRow {
    pub section: &'static str,
    /// The keys as the defaults bind them.
    pub keys: &'static str,
    pub what: &'static str,
    /// The actions bound to these keys, in groups (none: fixed keys).
    pub actions: &'static [&'static [Action]],
    pub shown: Shown,
    pub bar: &'static [BarEntry],
}

/// A row of fixed keys.
const fn fixed(section: &'static str, keys: &'static str, what: &'static str) -> KeyRow {
    KeyRow {
        section,
        keys,
        what,
        actions: &[],
        shown: Shown::Fixed,
        bar: &[],
    }
}

/// A row of rebindable keys: every key of `actions`, joined by spaces.
const fn bound(
    section: &'static str,
    keys: &'static str,
    what: &'static str,
    actions: &'static [&'static [Action]],
) -> KeyRow {
    KeyRow {
        section,
        keys,
        what,
        actions,
        shown: Shown::All(" "),
        bar: &[],
    }
}

impl KeyRow {
    const fn shown(mut self, shown: Shown) -> KeyRow {
        self.shown = shown;
        self
    }

    const fn bar(mut self, bar: &'static [BarEntry]) -> KeyRow {
        self.bar = bar;
        self
    }
}

const EVERYWHERE: &str = "Everywhere";

pub const KEYS: &[KeyRow] = &[
    bound(
        EVERYWHERE,
        "?",
        "this help (j k PgDn PgUp scroll it)",
        &[&[A::Help]],
    )
    .bar(&[
        bar(0, PANES, &[B(A::Help)], "", "help"),
        bar(1, &[Place::Help], &[B(A::Down), B(A::Up)], "/", "scroll"),
    ]),
    fixed(EVERYWHERE, "Ctrl-C", "quit, from anywhere"),
    bound(
        EVERYWHERE,
        "q",
        "quit; in a view or overlay (not a text box): close it",
        &[&[A::Quit]],
    )
    .bar(&[bar(0, PANES, &[B(A::Quit)], "", "quit")]),
    fixed(
        EVERYWHERE,
        "Esc",
        "close the view or overlay (back to the one under it)",
    )
    .bar(&[
        bar(0, CLOSE, &[F("Esc"), B(A::Quit)], "/", "close"),
        bar(0, &[Place::Reader], &[F("Esc"), B(A::Quit)], "/", "close"),
        bar(0, &[Place::Compare], &[F("Esc")], "", "back"),
        bar(0, &[Place::Problems], &[F("Esc")], "", "close"),
    ]),
    bound(
        EVERYWHERE,
        "Tab, Shift-Tab",
        "next, previous pane",
        &[&[A::NextPane, A::PrevPane]],
    )
    .shown(Shown::All(", "))
    .bar(&[bar(11, PANES, &[B(A::NextPane)], "", "pane")]),
    bound(
        EVERYWHERE,
        "1 2 3",
        "timeline, relationships, sources",
        &[&[A::Timeline, A::Relationships, A::Sources]],
    ),
    bound(
        EVERYWHERE,
        "/",
        "fuzzy search everything (jumps; :text filters)",
        &[&[A::Search]],
    )
    .bar(&[bar(3, PANES, &[B(A::Search)], "", "search")]),
    bound(EVERYWHERE, ":", "command line (below)", &[&[A::Command]])
        .bar(&[bar(4, PANES, &[B(A::Command)], "", "command")]),
    bound(
        EVERYWHERE,
        "i",
        "details of the selected event, actor, place or conflict",
        &[&[A::Details]],
    )
    .bar(&[
        bar(9, LISTS, &[B(A::Details)], "", "details"),
        bar(1, &[Place::Details], &[B(A::Down), B(A::Up)], "/", "scroll"),
    ]),
    bound(
        EVERYWHERE,
        "y",
        "copy the selected quote with its citation",
        &[&[A::CopyQuote]],
    )
    .bar(&[
        bar(10, &[Place::Timeline], &[B(A::CopyQuote)], "", "copy"),
        bar(5, &[Place::Sources], &[B(A::CopyQuote)], "", "copy quote"),
        bar(6, &[Place::Reader], &[B(A::CopyQuote)], "", "copy"),
        bar(3, &[Place::Conflict], &[B(A::CopyQuote)], "", "copy"),
    ]),
    bound(
        EVERYWHERE,
        "Y",
        "copy the selected event as a Markdown line",
        &[&[A::CopyEvent]],
    )
    .bar(&[
        bar(2, &[Place::Details], &[B(A::CopyEvent)], "", "copy"),
        bar(20, &[Place::Timeline], &[B(A::CopyEvent)], "", "copy event"),
    ]),
    bound(
        EVERYWHERE,
        "E",
        "open the store in $VISUAL/$EDITOR at the selected event, quote or article; saving reloads it",
        &[&[A::Edit]],
    )
    .bar(&[bar(21, LISTS, &[B(A::Edit)], "", "edit")]),
    bound(
        EVERYWHERE,
        "*",
        "star or unstar the selected event (* in the row; ⁑ starred and noted)",
        &[&[A::Star]],
    )
    .bar(&[bar(8, &[Place::Timeline], &[B(A::Star)], "", "star")]),
    bound(
        EVERYWHERE,
        "a",
        "write a note on the selected event, quote or disagreement, in the editor (¶ in the row)",
        &[&[A::Annotate]],
    )
    .bar(&[bar(
        18,
        &[Place::Timeline, Place::Sources],
        &[B(A::Annotate)],
        "",
        "note",
    )]),
    bound(
        EVERYWHERE,
        "m",
        "the map in place of the relationships pane (places of the shown events)",
        &[&[A::Map]],
    )
    .bar(&[
        bar(7, &[Place::Timeline, Place::Relations], &[B(A::Map)], "", "map"),
        bar(7, &[Place::Map], &[B(A::Map)], "", "relations"),
    ]),
    bound(
        EVERYWHERE,
        "z",
        "widen the focused pane; again: it alone; again: panes shared",
        &[&[A::Zoom]],
    )
    .bar(&[bar(19, PANES, &[B(A::Zoom)], "", "zoom")]),
    bound(
        EVERYWHERE,
        "Backspace",
        "remove the last filter",
        &[&[A::PopFilter]],
    )
    .bar(&[bar(
        14,
        &[Place::Timeline, Place::Relations, Place::Map],
        &[B(A::PopFilter), B(A::ClearFilters)],
        "/",
        "filters",
    )]),
    bound(EVERYWHERE, "X", "clear all filters", &[&[A::ClearFilters]]),
    bound(
        EVERYWHERE,
        "U",
        "undo the explorer's last write to the store (a quote or an event added)",
        &[&[A::Undo]],
    ),
    fixed(
        EVERYWHERE,
        "mouse",
        "click focuses a pane and selects a row; wheel scrolls",
    ),
    bound(
        "Panes",
        "j k, ↓ ↑",
        "next, previous item of the focused pane",
        &[&[A::Down, A::Up]],
    )
    .bar(&[
        bar(
            1,
            &[Place::Timeline, Place::Relations],
            &[B(A::Down), B(A::Up)],
            "/",
            "move",
        ),
        bar(1, &[Place::Sources], &[B(A::Down), B(A::Up)], "/", "quote"),
    ]),
    bound(
        "Panes",
        "PgDn PgUp",
        "a page down, up in the focused pane",
        &[&[A::PageDown, A::PageUp]],
    ),
    bound(
        "Panes",
        "g G, Home End",
        "first, last item of the focused pane",
        &[&[A::Top, A::Bottom]],
    ),
    bound(
        "Timeline",
        "[ ]",
        "previous, next month",
        &[&[A::PrevMonth, A::NextMonth]],
    )
    .bar(&[bar(
        12,
        &[Place::Timeline],
        &[B(A::PrevMonth), B(A::NextMonth)],
        " ",
        "month",
    )]),
    bound(
        "Timeline",
        "{ }",
        "previous, next year",
        &[&[A::PrevYear, A::NextYear]],
    )
    .bar(&[bar(
        13,
        &[Place::Timeline],
        &[B(A::PrevYear), B(A::NextYear)],
        " ",
        "year",
    )]),
    bound(
        "Timeline",
        "Enter",
        "read the first quote in its article",
        &[&[A::Enter]],
    )
    .bar(&[bar(2, &[Place::Timeline], &[B(A::Enter)], "", "read")]),
    bound(
        "Timeline",
        "Space",
        "mark or unmark the event (● in the row)",
        &[&[A::Mark]],
    )
    .bar(&[bar(5, &[Place::Timeline], &[B(A::Mark)], "", "mark")]),
    bound(
        "Timeline",
        "v",
        "start or end a range of marks that follows the cursor",
        &[&[A::RangeMark]],
    )
    .bar(&[bar(15, &[Place::Timeline], &[B(A::RangeMark)], "", "range")]),
    bound(
        "Timeline",
        "A",
        "mark every event the filters show",
        &[&[A::MarkAll]],
    )
    .bar(&[bar(16, &[Place::Timeline], &[B(A::MarkAll)], "", "mark all")]),
    bound("Timeline", "u", "clear the marks", &[&[A::ClearMarks]])
        .bar(&[bar(17, &[Place::Timeline], &[B(A::ClearMarks)], "", "unmark")]),
    bound(
        "Timeline",
        "e",
        "export the marked events, or else the shown ones",
        &[&[A::Export]],
    )
    .bar(&[bar(6, &[Place::Timeline], &[B(A::Export)], "", "export")]),
    fixed(
        "Timeline",
        "markers",
        "[n] independent origins · ! sources conflict · $ sponsored only",
    ),
    bound(
        "Relationships",
        "Enter",
        "filter the timeline to that actor or place",
        &[&[A::Enter]],
    )
    .bar(&[bar(2, &[Place::Relations], &[B(A::Enter)], "", "filter to it")]),
    bound(
        "Relationships",
        "i",
        "an actor's relations over time, or a place",
        &[&[A::Details]],
    ),
    bound(
        "Map",
        "j k, Enter",
        "choose a place, filter the timeline to it",
        &[&[A::Down, A::Up], &[A::Enter]],
    )
    .shown(Shown::First)
    .bar(&[
        bar(1, &[Place::Map], &[B(A::Down), B(A::Up)], "/", "place"),
        bar(2, &[Place::Map], &[B(A::Enter)], "", "filter to it"),
    ]),
    fixed(
        "Map",
        "+ -, 0",
        "zoom in, out; frame the shown places again",
    )
    .bar(&[bar(5, &[Place::Map], &[F("+/-")], "", "zoom")]),
    fixed("Map", "H J K L", "pan west, south, north, east")
        .bar(&[bar(6, &[Place::Map], &[F("HJKL")], "", "pan")]),
    fixed("Map", "mouse", "a click selects the nearest place"),
    bound(
        "Sources",
        "Enter",
        "open the article at the quote, or the conflict",
        &[&[A::Enter]],
    )
    .bar(&[bar(2, &[Place::Sources], &[B(A::Enter)], "", "read / open")]),
    fixed("Story", "> <", "next, previous step (the panes follow it)"),
    fixed(
        "Story",
        "S D",
        "add the selected event, quote or disagreement after this step; remove this step",
    ),
    fixed("Story", "( )", "move this step earlier, later"),
    fixed(
        "Story",
        "W I",
        "this step's prose, the introduction, in the editor",
    ),
    bound(
        "Conflict",
        "j k, Enter",
        "choose a quote, read it in its article",
        &[&[A::Down, A::Up], &[A::Enter]],
    )
    .shown(Shown::First)
    .bar(&[
        bar(1, &[Place::Conflict], &[B(A::Down), B(A::Up)], "/", "quote"),
        bar(2, &[Place::Conflict], &[B(A::Enter)], "", "read"),
    ]),
    fixed("Reader", "n N", "next, previous quote (or match, after /)")
        .bar(&[bar(1, &[Place::Reader], &[F("n"), F("N")], "/", "quote")]),
    bound(
        "Reader",
        "/",
        "find words in the article; Esc ends the find",
        &[&[A::Search]],
    )
    .bar(&[bar(5, &[Place::Reader], &[B(A::Search)], "", "find")]),
    bound(
        "Reader",
        "j k, PgDn PgUp, g G",
        "scroll",
        &[&[A::Down, A::Up], &[A::PageDown, A::PageUp], &[A::Top, A::Bottom]],
    )
    .shown(Shown::First)
    .bar(&[
        bar(7, &[Place::Reader], &[B(A::Down), B(A::Up)], "/", "scroll"),
        bar(1, &[Place::Compare], &[B(A::Down), B(A::Up)], "/", "scroll"),
    ]),
    fixed(
        "Reader",
        "v",
        "select a passage: the sentence u went to, the current quote or the top sentence shown",
    )
    .bar(&[bar(2, &[Place::Reader], &[F("v")], "", "select")]),
    fixed(
        "Reader",
        "w b, B W",
        "the selection's end a word on, back; its start a word back, on",
    ),
    fixed(
        "Reader",
        ") (",
        "the selection's end to the next, previous sentence's end",
    ),
    fixed(
        "Reader",
        "mouse",
        "drag over the text to select whole words; wheel scrolls",
    ),
    fixed(
        "Reader",
        "Esc",
        "clear the selection (or end the find), then close",
    ),
    fixed(
        "Reader",
        "+",
        "quote the selection on the selected event, in the store file",
    ),
    fixed(
        "Reader",
        "e",
        "a new event quoting the selection: the form (below)",
    ),
    fixed(
        "Reader",
        "u",
        "next sentence no event quotes that holds a date, a number or an actor's name (· in the margin), and why",
    )
    .bar(&[bar(3, &[Place::Reader], &[F("u")], "", "not quoted")]),
    fixed(
        "Reader",
        "=",
        "side by side, the passages another source shares with this one (Tab: the next source)",
    )
    .bar(&[
        bar(4, &[Place::Reader], &[F("=")], "", "shared"),
        bar(2, &[Place::Compare], &[F("Tab")], "", "next source"),
    ]),
    fixed("Event form", "Tab, Shift-Tab", "next, previous field")
        .bar(&[bar(1, &[Place::EventForm], &[F("Tab")], "", "field")]),
    fixed(
        "Event form",
        "typing",
        "the date is checked as typed; actors, places and tags suggest the store's",
    ),
    fixed(
        "Event form",
        "↑ ↓, Enter",
        "choose a suggestion and add it; “Name (kind)” makes a new actor or place",
    ),
    fixed(
        "Event form",
        "Enter",
        "outside a list's typing: write the event; problems are shown, nothing written",
    )
    .bar(&[bar(2, &[Place::EventForm], &[F("Enter")], "", "add / write")]),
    fixed(
        "Event form",
        "Backspace",
        "in an empty list: take back its last",
    ),
    fixed("Event form", "Esc", "cancel; nothing is written")
        .bar(&[bar(0, &[Place::EventForm], &[F("Esc")], "", "cancel")]),
    fixed("Search", "typing", "results update on every key"),
    fixed("Search", "↑ ↓, Ctrl-P Ctrl-N", "choose a result")
        .bar(&[bar(1, &[Place::Search], &[F("↑↓")], "", "choose")]),
    fixed(
        "Search",
        "Enter",
        "actor/place: filter · event: jump · quote/source: read",
    )
    .bar(&[bar(2, &[Place::Search], &[F("Enter")], "", "go")]),
    fixed("Search", "Esc", "back, nothing changed")
        .bar(&[bar(0, &[Place::Search], &[F("Esc")], "", "back")]),
    fixed("Export", "Tab Shift-Tab, ↓ ↑", "next, previous format")
        .bar(&[bar(1, &[Place::Export], &[F("Tab")], "", "format")]),
    fixed(
        "Export",
        "typing",
        "the file name (← → Home End move, Ctrl-W deletes a word)",
    ),
    fixed("Export", "Ctrl-U", "clear the file name")
        .bar(&[bar(3, &[Place::Export], &[F("Ctrl-U")], "", "clear name")]),
    fixed("Export", "Enter", "write the file")
        .bar(&[bar(2, &[Place::Export], &[F("Enter")], "", "write")]),
    fixed(
        "Export",
        "y n",
        "replace the file that is there, or not (when asked)",
    ),
    fixed("Export", "Esc", "cancel, nothing written")
        .bar(&[bar(0, &[Place::Export], &[F("Esc")], "", "cancel")]),
    fixed(
        "Text boxes",
        "where",
        "search, the command line, the export dialog's file name, the reader's find, the event form's fields",
    ),
    fixed(
        "Text boxes",
        "← →, Ctrl-B Ctrl-F",
        "the cursor a character back, on",
    ),
    fixed("Text boxes", "Ctrl-← Ctrl-→", "the cursor a word back, on"),
    fixed(
        "Text boxes",
        "Home End, Ctrl-A Ctrl-E",
        "the cursor to the start, the end",
    ),
    fixed(
        "Text boxes",
        "Backspace, Ctrl-H",
        "delete the character before the cursor",
    ),
    fixed(
        "Text boxes",
        "Delete",
        "delete the character under the cursor",
    ),
    fixed(
        "Text boxes",
        "Ctrl-W, Alt-Backspace",
        "delete the word before the cursor",
    ),
    fixed("Text boxes", "Ctrl-Delete", "delete the word after the cursor"),
    fixed("Text boxes", "Ctrl-K", "delete to the end"),
    fixed("Text boxes", "Ctrl-U", "clear the whole text"),
    fixed(
        "Text boxes",
        "Ctrl-Y",
        "put back the text deleted last (by Ctrl-U, Ctrl-W, Ctrl-K)",
    ),
    fixed(
        "Text boxes",
        "paste",
        "goes in as one edit (one search, not one per character)",
    ),
    fixed(
        "Commands",
        ":from 2024-03",
        "only events on or after a date (2024, 2024-03, 2024-03-15)",
    ),
    fixed("Commands", ":to 2024-05", "only events on or before a date"),
    fixed(
        "Commands",
        ":actor russia",
        "filter by actor (id, name or alias)",
    ),
    fixed(
        "Commands",
        ":place agadez",
        "filter by place (includes places within it)",
    ),
    fixed("Commands", ":tag withdrawal", "filter by tag"),
    fixed(
        "Commands",
        ":source reuters",
        "events quoting a source (id, title, outlet)",
    ),
    fixed(
        "Commands",
        ":kind sponsored",
        "events quoting a source of that kind",
    ),
    fixed(
        "Commands",
        ":only sponsored",
        "events resting only on that kind",
    ),
    fixed(
        "Commands",
        ":text cost",
        "events whose text has these words",
    ),
    fixed(
        "Commands",
        "chips",
        "one kind's chips widen (or); kinds narrow (and)",
    ),
    fixed(
        "Commands",
        ":at 2024-04-01",
        "relations as they stood that day; :at alone undoes",
    )
    .bar(&[bar(
        8,
        &[Place::Relations],
        &[B(A::Command), F("at")],
        "",
        "date",
    )]),
    fixed(
        "Commands",
        ":note TEXT",
        "a one-line note on the selection; :note alone removes it",
    ),
    fixed(
        "Commands",
        ":starred, :noted",
        "only starred events, only events with notes",
    ),
    fixed(
        "Commands",
        ":disputes",
        "every disagreement: contradicting (!) or compatible (≈); Enter opens one",
    )
    .bar(&[
        bar(1, &[Place::Disputes], &[B(A::Down), B(A::Up)], "/", "choose"),
        bar(2, &[Place::Disputes], &[B(A::Enter)], "", "open"),
    ]),
    fixed(
        "Commands",
        ":disputed",
        "only events a disagreement is about (the ! rows)",
    ),
    fixed(
        "Commands",
        ":story new NAME",
        "a story of the marked events, in the order they were marked",
    ),
    fixed(
        "Commands",
        ":story NAME, :stories",
        "open a story (:story close closes it); list the stories",
    )
    .bar(&[
        bar(1, &[Place::Stories], &[B(A::Down), B(A::Up)], "/", "choose"),
        bar(2, &[Place::Stories], &[B(A::Enter)], "", "open"),
    ]),
    fixed(
        "Commands",
        ":prose TEXT, :intro TEXT",
        "this step's prose, the story's introduction, in one line",
    ),
    fixed(
        "Commands",
        ":save NAME",
        "save the filters as a view (annals list --view NAME too)",
    ),
    fixed(
        "Commands",
        ":view NAME",
        "put a saved view's filters back; :view lists them",
    ),
    fixed("Commands", ":clear", "clear all filters"),
    fixed(
        "Commands",
        ":write FILE",
        "write the store to FILE with its stars and notes (:write! replaces)",
    ),
    fixed(
        "Commands",
        ":problems",
        "list why the store does not load; Enter edits there",
    )
    .bar(&[
        bar(1, &[Place::Problems], &[B(A::Down), B(A::Up)], "/", "problem"),
        bar(2, &[Place::Problems], &[B(A::Enter)], "", "edit there"),
    ]),
    fixed(
        "Commands",
        ":undo",
        "undo the explorer's last write to the store, as U does",
    ),
    fixed(
        "Commands",
        "↑ ↓",
        "earlier commands; an error keeps the line to fix",
    ),
];

/// The key bar's entries for `place`, every one, lowest rank first.
pub fn bar_entries(place: Place) -> Vec<&'static BarEntry> {
    let mut out: Vec<&'static BarEntry> = KEYS
        .iter()
        .flat_map(|r| r.bar.iter())
        .filter(|b| b.on.contains(&place))
        .collect();
    out.sort_by_key(|b| b.rank);
    out
}
