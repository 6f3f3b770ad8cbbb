//! The explorer's state, and `App::step`, which applies one `Control` to it.
//! Drawing lives in the pane modules; keys are mapped in `control`.

use std::ops::Range;
use std::sync::Arc;

use ratatui::crossterm::event::Event;
use ratatui::layout::{Position, Rect};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::control::{Control, control_for};
use super::searcher::{Answer, Searcher};
use super::theme::Theme;
use crate::date::PartialDate;
use crate::export::{self, Format};
use crate::filter::{Filter, resolve_actor, resolve_place, resolve_tag};
use crate::model::{Ix, Model};
use crate::search::{Hit, Target};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Timeline,
    Relations,
    Sources,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Timeline, Pane::Relations, Pane::Sources];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Timeline => "Timeline",
            Pane::Relations => "Relationships",
            Pane::Sources => "Sources",
        }
    }

    fn index(self) -> usize {
        Pane::ALL.iter().position(|&p| p == self).unwrap_or(0)
    }
}

/// One active filter, shown as a chip in the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chip {
    Actor(Ix),
    Place(Ix),
    Tag(Ix),
    From(PartialDate),
    To(PartialDate),
}

impl Chip {
    pub fn label(self, m: &Model) -> String {
        match self {
            Chip::Actor(a) => format!("actor: {}", m.actor(a).name),
            Chip::Place(p) => format!("place: {}", m.place(p).name),
            Chip::Tag(t) => format!("tag: {}", m.tags[t as usize]),
            Chip::From(d) => format!("from {d}"),
            Chip::To(d) => format!("to {d}"),
        }
    }
}

pub struct SearchBox {
    pub input: Input,
    pub hits: Vec<Hit>,
    pub selected: usize,
    pub generation: u64,
    /// A query was sent and its results have not arrived.
    pub waiting: bool,
    /// Why the newest query has no results: its search failed.
    pub failed: Option<String>,
}

impl SearchBox {
    /// Takes the newest query's answer.
    pub fn answer(&mut self, answer: Answer) {
        self.waiting = false;
        self.selected = 0;
        match answer {
            Ok(hits) => {
                self.hits = hits;
                self.failed = None;
            }
            Err(why) => {
                self.hits = Vec::new();
                self.failed = Some(why);
            }
        }
    }
}

pub struct CommandLine {
    pub input: Input,
}

/// The whole-article reader, scrolled to a quote.
pub struct Reader {
    pub source: Ix,
    /// Byte ranges of every quote taken from this article, in text order.
    pub quotes: Vec<Range<usize>>,
    pub current: usize,
    /// First line shown, of the wrapped text.
    pub scroll: usize,
    /// Scroll to the current quote at the next draw (wrapping depends on width).
    pub follow: bool,
    /// Set by drawing: wrapped line count and visible height.
    pub lines: usize,
    pub height: usize,
    /// The article wrapped at a width, kept while the width stays: a long
    /// article is not re-wrapped at every key.
    pub wrapped: Option<(usize, Vec<Range<usize>>)>,
}

/// The export dialog (`e`).
pub struct ExportDialog {
    pub format: Format,
    pub input: Input,
    /// The user typed a name: changing the format no longer renames.
    pub edited: bool,
    /// The file exists: waiting for y/n.
    pub confirm_replace: bool,
    /// Which events and what they bring along, worked out once on opening
    /// (the slice cannot change while the dialog is open).
    pub which: String,
    pub contents: String,
    /// Why the last attempt failed; the dialog stays open to fix the name.
    pub error: Option<String>,
}

pub enum Overlay {
    None,
    Help,
    Search(SearchBox),
    Command(CommandLine),
    Reader(Reader),
    Export(ExportDialog),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimelineState {
    /// Index into `App::visible` of the selected event.
    pub cursor: usize,
    /// Index into `App::visible` of the first event drawn.
    pub top: usize,
    /// Rows the list had at the last draw (for paging).
    pub height: usize,
}

/// A selectable line of the relationships pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelItem {
    Actor(Ix),
    Place(Ix),
}

/// Where things were drawn, for the mouse.
#[derive(Clone, Debug, Default)]
pub struct Areas {
    pub panes: Vec<(Pane, Rect)>,
    /// Screen row of each drawn timeline event, with its index in `visible`.
    pub timeline_rows: Vec<(u16, usize)>,
    pub relation_rows: Vec<(u16, usize)>,
    pub source_rows: Vec<(u16, usize)>,
}

/// Events per month over the store's whole span, for the density strip.
#[derive(Clone, Debug, Default)]
pub struct Density {
    pub first_year: i32,
    pub counts: Vec<u32>,
}

impl Density {
    pub fn month_index(&self, d: PartialDate) -> usize {
        let months = (d.year - self.first_year) as i64 * 12 + i64::from(d.month.unwrap_or(1)) - 1;
        months.clamp(0, self.counts.len().saturating_sub(1) as i64) as usize
    }
}

/// At most this much of a paste is taken.
const MAX_PASTE_CHARS: usize = 10_000;

pub struct App {
    pub model: Arc<Model>,
    searcher: Searcher,
    pub theme: Theme,
    pub focus: Pane,
    pub overlay: Overlay,
    pub chips: Vec<Chip>,
    /// The events the filters let through, in chronological order.
    pub visible: Vec<Ix>,
    pub timeline: TimelineState,
    pub relations_cursor: usize,
    /// The relations pane's lists for one event, kept until another event
    /// is selected: an actor may have a hundred thousand relations, too
    /// many to filter on every frame.
    pub relations_shown: Option<super::relations::Shown>,
    pub sources_cursor: usize,
    pub status: Option<String>,
    pub quit: bool,
    pub density: Density,
    pub areas: Areas,
    /// Marked events: the slice to export when there are any.
    pub marks: BTreeSet<Ix>,
    /// `v`: the event where the range started, and the marks before it.
    pub range: Option<(Ix, BTreeSet<Ix>)>,
    /// Where relative export file names are written: the current directory.
    pub export_dir: std::path::PathBuf,
    generation: u64,
}

impl App {
    pub fn new(model: Arc<Model>, searcher: Searcher, theme: Theme) -> Self {
        let mut app = App {
            model,
            searcher,
            theme,
            focus: Pane::Timeline,
            overlay: Overlay::None,
            chips: Vec::new(),
            visible: Vec::new(),
            timeline: TimelineState {
                height: 20,
                ..TimelineState::default()
            },
            relations_cursor: 0,
            relations_shown: None,
            sources_cursor: 0,
            status: None,
            quit: false,
            density: Density::default(),
            areas: Areas::default(),
            marks: BTreeSet::new(),
            range: None,
            export_dir: std::path::PathBuf::from("."),
            generation: 0,
        };
        app.refilter();
        app
    }

    /// An app that searches inline, for tests and benchmarks.
    pub fn inline(model: Model) -> Self {
        let searcher = Searcher::inline(&model);
        App::new(Arc::new(model), searcher, Theme { color: true })
    }

    pub fn selected_event(&self) -> Option<Ix> {
        self.visible.get(self.timeline.cursor).copied()
    }

    pub fn filter(&self) -> Filter {
        let mut f = Filter::default();
        for &c in &self.chips {
            match c {
                Chip::Actor(a) => f.actors.push(a),
                Chip::Place(p) => f.places.push(p),
                Chip::Tag(t) => f.tags.push(t),
                Chip::From(d) => f.from = Some(d),
                Chip::To(d) => f.to = Some(d),
            }
        }
        f
    }

    /// Handles one terminal event.
    pub fn handle_event(&mut self, event: &Event) {
        if let Event::Paste(text) = event {
            self.paste(text);
            return;
        }
        let control = control_for(self, event);
        if let (Control::Input(_), Event::Key(_)) = (&control, event) {
            self.input(event);
        } else {
            self.step(control);
        }
    }

    /// Results from the search worker, if any arrived. True when something changed.
    pub fn poll_search(&mut self) -> bool {
        let Some((generation, answer)) = self.searcher.poll() else {
            return false;
        };
        if let Overlay::Search(sb) = &mut self.overlay
            && sb.generation == generation
        {
            sb.answer(answer);
            return true;
        }
        false
    }

    pub fn step(&mut self, control: Control) {
        if !matches!(control, Control::Redraw | Control::Nothing) {
            self.status = None;
        }
        match control {
            Control::Quit => self.quit = true,
            Control::Redraw | Control::Nothing | Control::Input(_) => {}
            Control::Help => self.overlay = Overlay::Help,
            Control::Close => {
                self.overlay = match std::mem::replace(&mut self.overlay, Overlay::None) {
                    // Esc on "replace?" goes back to the dialog.
                    Overlay::Export(mut d) if d.confirm_replace => {
                        d.confirm_replace = false;
                        Overlay::Export(d)
                    }
                    Overlay::None => {
                        self.range = None;
                        Overlay::None
                    }
                    _ => Overlay::None,
                }
            }
            Control::OpenSearch => self.open_search(),
            Control::OpenCommand => {
                self.overlay = Overlay::Command(CommandLine {
                    input: Input::default(),
                })
            }
            Control::FocusNext => self.focus = Pane::ALL[(self.focus.index() + 1) % 3],
            Control::FocusPrev => self.focus = Pane::ALL[(self.focus.index() + 2) % 3],
            Control::Focus(p) => self.focus = p,
            Control::PopFilter => {
                if self.chips.pop().is_some() {
                    self.refilter();
                }
            }
            Control::ClearFilters => {
                if !self.chips.is_empty() {
                    self.chips.clear();
                    self.refilter();
                }
            }
            Control::ToggleMark => {
                self.range = None;
                if let Some(e) = self.selected_event()
                    && !self.marks.remove(&e)
                {
                    self.marks.insert(e);
                }
            }
            Control::RangeMark => {
                self.range = match self.range.take() {
                    Some(_) => None,
                    None => self.selected_event().map(|e| (e, self.marks.clone())),
                };
                self.extend_range();
            }
            Control::MarkAll => {
                self.range = None;
                self.marks.extend(self.visible.iter().copied());
            }
            Control::ClearMarks => {
                self.range = None;
                self.marks.clear();
            }
            Control::OpenExport => self.open_export(),
            Control::Click { column, row } => self.click(column, row),
            Control::Scroll { column, row, down } => self.scroll_at(column, row, down),
            other => self.step_overlay_or_pane(other),
        }
    }

    fn step_overlay_or_pane(&mut self, control: Control) {
        match &mut self.overlay {
            Overlay::Search(sb) => match control {
                Control::Up => sb.selected = sb.selected.saturating_sub(1),
                Control::Down => {
                    sb.selected = (sb.selected + 1).min(sb.hits.len().saturating_sub(1))
                }
                Control::PageUp => sb.selected = sb.selected.saturating_sub(10),
                Control::PageDown => {
                    sb.selected = (sb.selected + 10).min(sb.hits.len().saturating_sub(1))
                }
                Control::Enter => {
                    if let Some(hit) = sb.hits.get(sb.selected).cloned() {
                        self.overlay = Overlay::None;
                        self.go_to(hit.target);
                    }
                }
                _ => {}
            },
            Overlay::Command(cl) => {
                if control == Control::Enter {
                    let line = cl.input.value().to_string();
                    self.overlay = Overlay::None;
                    self.run_command(&line);
                }
            }
            Overlay::Reader(r) => {
                let page = r.height.max(1);
                let max = r.lines.saturating_sub(page);
                match control {
                    Control::Down => r.scroll = (r.scroll + 1).min(max),
                    Control::Up => r.scroll = r.scroll.saturating_sub(1),
                    Control::PageDown => r.scroll = (r.scroll + page).min(max),
                    Control::PageUp => r.scroll = r.scroll.saturating_sub(page),
                    Control::Top => r.scroll = 0,
                    Control::Bottom => r.scroll = max,
                    Control::NextQuote if !r.quotes.is_empty() => {
                        r.current = (r.current + 1) % r.quotes.len();
                        r.follow = true;
                    }
                    Control::PrevQuote if !r.quotes.is_empty() => {
                        r.current = (r.current + r.quotes.len() - 1) % r.quotes.len();
                        r.follow = true;
                    }
                    _ => {}
                }
            }
            Overlay::Export(d) => {
                let n = Format::ALL.len();
                let i = Format::ALL.iter().position(|&f| f == d.format).unwrap_or(0);
                match control {
                    Control::Down => d.format = Format::ALL[(i + 1) % n],
                    Control::Up => d.format = Format::ALL[(i + n - 1) % n],
                    Control::Enter => {
                        self.export_now(false);
                        return;
                    }
                    _ => {}
                }
                if !d.edited {
                    let name = self.default_export_name(self.export_dialog_format());
                    if let Overlay::Export(d) = &mut self.overlay {
                        d.input = Input::new(name);
                    }
                }
            }
            Overlay::Help => {}
            Overlay::None => match self.focus {
                Pane::Timeline => self.step_timeline(control),
                Pane::Relations => self.step_relations(control),
                Pane::Sources => self.step_sources(control),
            },
        }
    }

    /// Typed text for the open search box or command line.
    /// Pasted text goes into the open input as one edit: one search for a
    /// pasted query, not one per character. Line breaks become spaces.
    fn paste(&mut self, text: &str) {
        let clean: String = text
            .chars()
            .take(MAX_PASTE_CHARS)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let insert = |input: &mut Input| {
            let cursor = input.cursor();
            let value = input.value();
            let at = value
                .char_indices()
                .nth(cursor)
                .map_or(value.len(), |(i, _)| i);
            let new = format!("{}{clean}{}", &value[..at], &value[at..]);
            *input = Input::new(new).with_cursor(cursor + clean.chars().count());
        };
        match &mut self.overlay {
            Overlay::Search(sb) => {
                insert(&mut sb.input);
                self.search_again();
            }
            Overlay::Command(cl) => insert(&mut cl.input),
            Overlay::Export(d) if !d.confirm_replace => {
                insert(&mut d.input);
                d.edited = true;
            }
            _ => {}
        }
    }

    /// The query changed: a new search, answered now or by the worker.
    fn search_again(&mut self) {
        let Overlay::Search(sb) = &mut self.overlay else {
            return;
        };
        self.generation += 1;
        sb.generation = self.generation;
        let query = sb.input.value().to_string();
        match self.searcher.submit(&self.model, sb.generation, &query) {
            Some(answer) => sb.answer(answer),
            None => sb.waiting = true,
        }
    }

    fn input(&mut self, event: &Event) {
        match &mut self.overlay {
            Overlay::Search(sb) => {
                let changed = sb.input.handle_event(event).is_some_and(|r| r.value);
                if changed {
                    self.search_again();
                }
            }
            Overlay::Command(cl) => {
                cl.input.handle_event(event);
            }
            Overlay::Export(d) if d.confirm_replace => {
                if let Event::Key(k) = event {
                    match k.code {
                        ratatui::crossterm::event::KeyCode::Char('y') => self.export_now(true),
                        ratatui::crossterm::event::KeyCode::Char('n') => d.confirm_replace = false,
                        _ => {}
                    }
                }
            }
            Overlay::Export(d) => {
                let changed = d.input.handle_event(event).is_some_and(|r| r.value);
                d.edited |= changed;
                if changed && d.error.take().is_some() {
                    // The failure is being fixed: the status line's account
                    // of it is stale too.
                    self.status = None;
                }
            }
            _ => {}
        }
    }

    fn open_search(&mut self) {
        self.overlay = Overlay::Search(SearchBox {
            input: Input::default(),
            hits: Vec::new(),
            selected: 0,
            generation: self.generation,
            waiting: false,
            failed: None,
        });
    }

    // ----- timeline -----

    fn set_cursor(&mut self, cursor: usize) {
        let cursor = cursor.min(self.visible.len().saturating_sub(1));
        if cursor != self.timeline.cursor {
            self.timeline.cursor = cursor;
            // Scrolling down to show it is the draw's business (it knows
            // the height); never leave the first row below the cursor.
            self.timeline.top = self.timeline.top.min(cursor);
            self.relations_cursor = 0;
            self.sources_cursor = 0;
            self.extend_range();
        }
    }

    /// With a range started (`v`), the marks are the marks from before it
    /// plus the shown events between its start and the cursor.
    fn extend_range(&mut self) {
        let (Some((anchor, base)), Some(cur)) = (&self.range, self.selected_event()) else {
            return;
        };
        let (lo, hi) = if *anchor <= cur {
            (*anchor, cur)
        } else {
            (cur, *anchor)
        };
        let from = self.visible.partition_point(|&e| e < lo);
        let to = self.visible.partition_point(|&e| e <= hi);
        let mut marks = base.clone();
        marks.extend(self.visible[from..to].iter().copied());
        self.marks = marks;
    }

    // ----- export -----

    /// The events to export: the marked ones, or else the shown ones.
    pub fn slice(&self) -> (Vec<Ix>, bool) {
        if self.marks.is_empty() {
            (self.visible.clone(), false)
        } else {
            (self.marks.iter().copied().collect(), true)
        }
    }

    fn slice_words(&self) -> Vec<String> {
        let (events, marked) = self.slice();
        if marked {
            vec![format!("{} marked events", events.len())]
        } else {
            self.filter().describe(&self.model)
        }
    }

    fn default_export_name(&self, format: Format) -> String {
        let (events, marked) = self.slice();
        let words = if marked {
            Vec::new()
        } else {
            self.slice_words()
        };
        export::default_file_name(&words, &self.model, &events, format)
    }

    fn export_dialog_format(&self) -> Format {
        match &self.overlay {
            Overlay::Export(d) => d.format,
            _ => Format::Md,
        }
    }

    fn open_export(&mut self) {
        let format = Format::Md;
        let (events, marked) = self.slice();
        let which = if marked {
            format!("the {} marked events", events.len())
        } else if self.chips.is_empty() {
            format!("all {} events (nothing marked, no filters)", events.len())
        } else {
            format!(
                "the {} events the filters show (nothing marked)",
                events.len()
            )
        };
        let p = export::Parts::of(&self.model, &events);
        let contents = format!(
            "{} events, {} actors, {} places, {} sources, {} relations, {} claims",
            p.events.len(),
            p.actors.len(),
            p.places.len(),
            p.sources.len(),
            p.relations.len(),
            p.claims.len()
        );
        self.overlay = Overlay::Export(ExportDialog {
            format,
            input: Input::new(self.default_export_name(format)),
            edited: false,
            confirm_replace: false,
            which,
            contents,
            error: None,
        });
    }

    /// Writes the slice as the dialog says. An existing file needs `replace`
    /// (asked for first); the outcome goes to the status line.
    fn export_now(&mut self, replace: bool) {
        let Overlay::Export(d) = &mut self.overlay else {
            return;
        };
        let name = d.input.value().trim().to_string();
        if name.is_empty() {
            self.status = Some("Give the file a name".into());
            return;
        }
        let path = self.export_dir.join(&name);
        if path.exists() && !replace && !path.is_dir() {
            d.confirm_replace = true;
            return;
        }
        let format = d.format;
        let (events, _) = self.slice();
        let title = export::slice_title(&self.model, &self.slice_words().join(", "));
        // The status line gets the whole story, the dialog the reason.
        let result = match export::render(&self.model, &events, format, &title) {
            Err(e) => Err((format!("Export failed: {e}"), e)),
            Ok(bytes) => export::write_atomic(&path, &bytes, replace)
                .map_err(|e| (format!("Export failed: {e}"), e.reason())),
        };
        match result {
            Ok(_) => {
                self.overlay = Overlay::None;
                self.status = Some(format!(
                    "Wrote {} events to {name} ({})",
                    events.len(),
                    format.name()
                ));
            }
            Err((whole, reason)) => {
                // Nothing was written and nothing replaced; keep the dialog
                // so the name can be fixed rather than typed again.
                if let Overlay::Export(d) = &mut self.overlay {
                    d.confirm_replace = false;
                    d.error = Some(format!("Export failed: {reason}"));
                }
                self.status = Some(whole);
            }
        }
    }

    fn step_timeline(&mut self, control: Control) {
        let cur = self.timeline.cursor;
        let page = self.timeline.height.max(2) - 1;
        match control {
            Control::Down => self.set_cursor(cur + 1),
            Control::Up => self.set_cursor(cur.saturating_sub(1)),
            Control::PageDown => self.set_cursor(cur + page),
            Control::PageUp => self.set_cursor(cur.saturating_sub(page)),
            Control::Top => self.set_cursor(0),
            Control::Bottom => self.set_cursor(usize::MAX),
            Control::NextMonth => self.jump(false, true),
            Control::PrevMonth => self.jump(false, false),
            Control::NextYear => self.jump(true, true),
            Control::PrevYear => self.jump(true, false),
            Control::Enter => {
                if let Some(e) = self.selected_event()
                    && let Some(q) = self.model.event(e).evidence.first()
                {
                    let (src, span) = (q.source, q.span.clone());
                    self.open_reader(src, Some(span));
                }
            }
            _ => {}
        }
    }

    /// First day of the month (or year) of `d`.
    fn period_start(d: PartialDate, year: bool) -> i64 {
        let month = if year {
            None
        } else {
            Some(d.month.unwrap_or(1))
        };
        PartialDate {
            year: d.year,
            month,
            day: None,
            approximate: false,
        }
        .first_day()
    }

    /// Index in `visible` of the first event starting on or after `day`.
    fn first_from(&self, day: i64) -> usize {
        self.visible
            .partition_point(|&e| self.model.event(e).date.anchor().first_day() < day)
    }

    /// `[` `]` `{` `}`: to the first event of the previous or next month or year.
    fn jump(&mut self, year: bool, forward: bool) {
        let Some(e) = self.selected_event() else {
            return;
        };
        let date = self.model.event(e).date.anchor();
        let start = Self::period_start(date, year);
        let target = if forward {
            let next_start = if year {
                PartialDate::year(date.year + 1).first_day()
            } else {
                let (y, m) = match date.month {
                    Some(12) => (date.year + 1, 1),
                    Some(m) => (date.year, m + 1),
                    None => (date.year, 2),
                };
                PartialDate {
                    year: y,
                    month: Some(m),
                    day: None,
                    approximate: false,
                }
                .first_day()
            };
            let i = self.first_from(next_start);
            if i >= self.visible.len() {
                return;
            }
            i
        } else {
            let first_of_this = self.first_from(start);
            if first_of_this < self.timeline.cursor {
                first_of_this
            } else if first_of_this == 0 {
                return;
            } else {
                let prev = self
                    .model
                    .event(self.visible[first_of_this - 1])
                    .date
                    .anchor();
                self.first_from(Self::period_start(prev, year))
            }
        };
        self.set_cursor(target);
    }

    // ----- relationships -----

    /// The selectable lines of the relationships pane: the event's actors, then places.
    pub fn relation_items(&self) -> Vec<RelItem> {
        let Some(e) = self.selected_event() else {
            return Vec::new();
        };
        let ev = self.model.event(e);
        ev.actors
            .iter()
            .map(|&a| RelItem::Actor(a))
            .chain(ev.places.iter().map(|&p| RelItem::Place(p)))
            .collect()
    }

    fn step_relations(&mut self, control: Control) {
        let n = self.relation_items().len();
        match control {
            Control::Down => {
                self.relations_cursor = (self.relations_cursor + 1).min(n.saturating_sub(1))
            }
            Control::Up => self.relations_cursor = self.relations_cursor.saturating_sub(1),
            Control::Top => self.relations_cursor = 0,
            Control::Bottom => self.relations_cursor = n.saturating_sub(1),
            Control::Enter => match self.relation_items().get(self.relations_cursor) {
                Some(RelItem::Actor(a)) => self.add_chip(Chip::Actor(*a)),
                Some(RelItem::Place(p)) => self.add_chip(Chip::Place(*p)),
                None => {}
            },
            _ => self.step_timeline(control),
        }
    }

    // ----- sources -----

    fn step_sources(&mut self, control: Control) {
        let n = self
            .selected_event()
            .map_or(0, |e| self.model.event(e).evidence.len());
        match control {
            Control::Down => {
                self.sources_cursor = (self.sources_cursor + 1).min(n.saturating_sub(1))
            }
            Control::Up => self.sources_cursor = self.sources_cursor.saturating_sub(1),
            Control::Top => self.sources_cursor = 0,
            Control::Bottom => self.sources_cursor = n.saturating_sub(1),
            Control::Enter => {
                if let Some(e) = self.selected_event()
                    && let Some(q) = self.model.event(e).evidence.get(self.sources_cursor)
                {
                    let (src, span) = (q.source, q.span.clone());
                    self.open_reader(src, Some(span));
                }
            }
            _ => self.step_timeline(control),
        }
    }

    /// Opens the reader over a source, at the quote `at` (or its first quote).
    pub fn open_reader(&mut self, source: Ix, at: Option<Range<usize>>) {
        let m = &self.model;
        let mut quotes: Vec<Range<usize>> = m
            .events_citing_source(source)
            .iter()
            .flat_map(|&e| m.event(e).evidence.iter())
            .filter(|q| q.source == source)
            .map(|q| q.span.clone())
            .collect();
        quotes.sort_by_key(|r| (r.start, r.end));
        quotes.dedup();
        let current = at
            .and_then(|a| quotes.iter().position(|q| *q == a))
            .unwrap_or(0);
        self.overlay = Overlay::Reader(Reader {
            source,
            quotes,
            current,
            scroll: 0,
            follow: true,
            lines: 0,
            height: 0,
            wrapped: None,
        });
    }

    // ----- filters -----

    pub fn add_chip(&mut self, chip: Chip) {
        // One date bound of each kind; a new one replaces the old.
        self.chips.retain(|c| match (c, chip) {
            (Chip::From(_), Chip::From(_)) | (Chip::To(_), Chip::To(_)) => false,
            (a, b) => *a != b,
        });
        self.chips.push(chip);
        self.refilter();
        self.focus = Pane::Timeline;
    }

    /// Recomputes the visible events, keeping the cursor on the same event
    /// or the nearest one after it.
    /// What must hold between any two steps, whatever keys came before:
    /// the property tests call this after every key, resize and draw.
    pub fn check_invariants(&self) -> Result<(), String> {
        let events = self.model.events.len();
        if self.visible != self.filter().apply(&self.model) {
            return Err("the timeline does not show what the filters let through".into());
        }
        let (cursor, top) = (self.timeline.cursor, self.timeline.top);
        if !self.visible.is_empty() && cursor >= self.visible.len() {
            return Err(format!(
                "cursor {cursor} past {} events",
                self.visible.len()
            ));
        }
        if top > cursor {
            return Err(format!("first row {top} is below the cursor {cursor}"));
        }
        if let Some(&e) = self.marks.iter().find(|&&e| e as usize >= events) {
            return Err(format!("mark {e} is not an event"));
        }
        if let Some((anchor, base)) = &self.range {
            if *anchor as usize >= events {
                return Err(format!("range anchor {anchor} is not an event"));
            }
            if !base.is_subset(&self.marks) {
                return Err("a range dropped marks made before it".into());
            }
        }
        let rel_items = self.relation_items().len();
        if self.relations_cursor >= rel_items.max(1) {
            return Err(format!(
                "relations cursor {} of {rel_items}",
                self.relations_cursor
            ));
        }
        let quotes = self
            .selected_event()
            .map_or(0, |e| self.model.event(e).evidence.len());
        if self.sources_cursor >= quotes.max(1) {
            return Err(format!(
                "sources cursor {} of {quotes}",
                self.sources_cursor
            ));
        }
        match &self.overlay {
            Overlay::Search(sb) if sb.selected >= sb.hits.len().max(1) => Err(format!(
                "search selection {} of {}",
                sb.selected,
                sb.hits.len()
            )),
            Overlay::Reader(r) if r.source as usize >= self.model.sources.len() => {
                Err(format!("reader on source {}", r.source))
            }
            Overlay::Reader(r) if r.current >= r.quotes.len().max(1) => Err(format!(
                "reader on quote {} of {}",
                r.current,
                r.quotes.len()
            )),
            _ => Ok(()),
        }
    }

    pub fn refilter(&mut self) {
        let keep = self.selected_event();
        self.visible = self.filter().apply(&self.model);
        let cursor = keep.map_or(0, |e| self.visible.partition_point(|&v| v < e));
        self.timeline.cursor = cursor.min(self.visible.len().saturating_sub(1));
        self.timeline.top = self.timeline.top.min(self.timeline.cursor);
        self.relations_cursor = 0;
        self.sources_cursor = 0;
        self.density = self.compute_density();
    }

    fn compute_density(&self) -> Density {
        let m = &self.model;
        let Some((first, last)) = m.span() else {
            return Density::default();
        };
        let (first, last) = (first.anchor(), last.anchor());
        let months = ((last.year - first.year).max(0) as usize + 1) * 12;
        let mut d = Density {
            first_year: first.year,
            counts: vec![0; months],
        };
        for &e in &self.visible {
            let i = d.month_index(m.event(e).date.anchor());
            d.counts[i] += 1;
        }
        d
    }

    /// Moves to what a search result points at.
    pub fn go_to(&mut self, target: Target) {
        match target {
            Target::Actor { actor } => self.add_chip(Chip::Actor(actor)),
            Target::Place { place } => self.add_chip(Chip::Place(place)),
            Target::Event { event } => {
                self.select_event(event);
                self.focus = Pane::Timeline;
            }
            Target::Quote { event, quote } => {
                self.select_event(event);
                self.sources_cursor = quote as usize;
                self.focus = Pane::Sources;
                let q = &self.model.event(event).evidence[quote as usize];
                let (src, span) = (q.source, q.span.clone());
                self.open_reader(src, Some(span));
            }
            Target::Source { source } => self.open_reader(source, None),
        }
    }

    /// Selects an event, clearing the filters if they hide it.
    pub fn select_event(&mut self, event: Ix) {
        if self.visible.binary_search(&event).is_err() {
            self.chips.clear();
            self.refilter();
            self.status = Some("Filters cleared to show the event".into());
        }
        if let Ok(i) = self.visible.binary_search(&event) {
            self.set_cursor(i);
        }
    }

    /// Runs a `:` command.
    pub fn run_command(&mut self, line: &str) {
        let line = line.trim();
        let (cmd, arg) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let arg = arg.trim();
        let m = Arc::clone(&self.model);
        let result: Result<(), String> = match cmd {
            "" => Ok(()),
            "from" | "to" => match PartialDate::parse(arg) {
                Ok(d) => {
                    let mut would = self.filter();
                    if cmd == "from" {
                        would.from = Some(d);
                    } else {
                        would.to = Some(d);
                    }
                    would.check_range().map(|()| {
                        self.add_chip(if cmd == "from" {
                            Chip::From(d)
                        } else {
                            Chip::To(d)
                        })
                    })
                }
                Err(e) => Err(e.to_string()),
            },
            "actor" => resolve_actor(&m, arg)
                .map(|a| self.add_chip(Chip::Actor(a)))
                .map_err(|e| e.to_string()),
            "place" => resolve_place(&m, arg)
                .map(|p| self.add_chip(Chip::Place(p)))
                .map_err(|e| e.to_string()),
            "tag" => resolve_tag(&m, arg)
                .map(|t| self.add_chip(Chip::Tag(t)))
                .map_err(|e| e.to_string()),
            "clear" => {
                self.step(Control::ClearFilters);
                Ok(())
            }
            "q" | "quit" => {
                self.quit = true;
                Ok(())
            }
            "help" => {
                self.overlay = Overlay::Help;
                Ok(())
            }
            other => Err(format!(
                "unknown command {other:?}: try from DATE, to DATE, actor NAME, place NAME, tag NAME, clear"
            )),
        };
        if let Err(e) = result {
            self.status = Some(e);
        }
    }

    // ----- mouse -----

    fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        let p = Position::new(column, row);
        self.areas
            .panes
            .iter()
            .find(|(_, r)| r.contains(p))
            .map(|(pane, _)| *pane)
    }

    fn click(&mut self, column: u16, row: u16) {
        if !matches!(self.overlay, Overlay::None) {
            return;
        }
        let Some(pane) = self.pane_at(column, row) else {
            return;
        };
        self.focus = pane;
        let hit = |rows: &[(u16, usize)]| rows.iter().find(|(y, _)| *y == row).map(|(_, i)| *i);
        match pane {
            Pane::Timeline => {
                if let Some(i) = hit(&self.areas.timeline_rows) {
                    self.set_cursor(i);
                }
            }
            Pane::Relations => {
                if let Some(i) = hit(&self.areas.relation_rows) {
                    self.relations_cursor = i;
                }
            }
            Pane::Sources => {
                if let Some(i) = hit(&self.areas.source_rows) {
                    self.sources_cursor = i;
                }
            }
        }
    }

    fn scroll_at(&mut self, column: u16, row: u16, down: bool) {
        let step = if down { Control::Down } else { Control::Up };
        if let Overlay::Reader(_) = self.overlay {
            for _ in 0..3 {
                self.step_overlay_or_pane(step.clone());
            }
            return;
        }
        if !matches!(self.overlay, Overlay::None) {
            return;
        }
        if let Some(pane) = self.pane_at(column, row) {
            self.focus = pane;
            for _ in 0..3 {
                self.step_overlay_or_pane(step.clone());
            }
        }
    }
}
