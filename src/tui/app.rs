//! The explorer's state, and `App::step`, which applies one `Control` to it.
//! Drawing lives in the pane modules; keys are mapped in `control`.

use std::sync::Arc;

use ratatui::crossterm::event::{Event, KeyCode, KeyModifiers};
use ratatui::layout::Rect;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::evidence::date::PartialDate;
use crate::export::Format;
use crate::filter::Filter;
use crate::model::{Ix, Model};
use crate::search::Target;
use crate::store::SourceKind;
use crate::tui::control::{Control, control_for};
use crate::tui::overlays::command_line::CommandLine;
use crate::tui::overlays::conflict::ConflictView;
use crate::tui::overlays::details::Details;
use crate::tui::overlays::export_dialog::ExportDialog;
use crate::tui::overlays::pager::Pager;
use crate::tui::overlays::reader::Reader;
use crate::tui::overlays::search_box::SearchBox;
use crate::tui::panes::timeline::{Density, TimelineState};
use crate::tui::searcher::Searcher;
use crate::tui::theme::Theme;
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

    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|&p| p == self).unwrap_or(0)
    }
}

/// One active filter, shown as a chip in the header. Chips of one kind
/// widen (actor A or actor B), chips of different kinds narrow (and).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chip {
    Actor(Ix),
    Place(Ix),
    Tag(Ix),
    Source(Ix),
    Kind(SourceKind),
    Only(SourceKind),
    Text(String),
    From(PartialDate),
    To(PartialDate),
    /// Events the analyst starred.
    Starred,
    /// Events with a note on them, their quotes or disagreements.
    Noted,
    /// Events a disagreement is about (`!`).
    Disputed,
}

impl Chip {
    /// What the chip says after its kind's name ("Russia").
    pub fn value(&self, m: &Model) -> String {
        match self {
            Chip::Actor(a) => m.actor(*a).name.to_string(),
            Chip::Place(p) => m.place(*p).name.to_string(),
            Chip::Tag(t) => m.tags[*t as usize].to_string(),
            Chip::Source(s) => m.source(*s).title.to_string(),
            Chip::Kind(k) | Chip::Only(k) => k.label().to_string(),
            Chip::Text(t) => format!("“{t}”"),
            Chip::From(d) | Chip::To(d) => d.to_string(),
            Chip::Starred => "starred".into(),
            Chip::Noted => "with notes".into(),
            Chip::Disputed => "disputed".into(),
        }
    }

    /// The kind's name: chips with the same one are ORed.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Chip::Actor(_) => "actor",
            Chip::Place(_) => "place",
            Chip::Tag(_) => "tag",
            Chip::Source(_) => "source",
            Chip::Kind(_) => "source kind",
            Chip::Only(_) => "only",
            // Each text must match: they narrow, unlike the others.
            Chip::Text(_) => "text",
            Chip::From(_) => "from",
            Chip::To(_) => "to",
            // Each narrows: starred and noted means both.
            Chip::Starred => "starred",
            Chip::Noted => "noted",
            Chip::Disputed => "disputed",
        }
    }

    pub fn label(&self, m: &Model) -> String {
        format!("{}: {}", self.kind_name(), self.value(m))
    }
}

pub enum Overlay {
    None,
    Help(Pager),
    Search(SearchBox),
    Command(CommandLine),
    Reader(Reader),
    Compare(crate::tui::overlays::compare::CompareView),
    Export(ExportDialog),
    Details(Details),
    Conflict(ConflictView),
    Disputes(crate::tui::overlays::disputes::DisputesView),
    Problems(crate::tui::overlays::problems::ProblemsView),
    Stories(crate::tui::overlays::stories::StoriesView),
    EventForm(Box<crate::tui::overlays::event_form::EventForm>),
}

impl Overlay {
    /// Views that another can open over (a quote from a conflict, help in
    /// the reader) and that come back when it closes.
    fn returns(&self) -> bool {
        matches!(
            self,
            Overlay::Help(_)
                | Overlay::Reader(_)
                | Overlay::Details(_)
                | Overlay::Conflict(_)
                | Overlay::Disputes(_)
        )
    }
}

/// Views kept under the open one; more are dropped from the bottom.
const MAX_BEHIND: usize = 8;

/// Where things were drawn, for the mouse.
#[derive(Clone, Debug, Default)]
pub struct Areas {
    pub panes: Vec<(Pane, Rect)>,
    /// Screen row of each drawn timeline event, with its index in `visible`.
    pub timeline_rows: Vec<(u16, usize)>,
    pub relation_rows: Vec<(u16, usize)>,
    pub source_rows: Vec<(u16, usize)>,
}

/// At most this much of a paste is taken, and an input box holds at most
/// this much: work per key stays bounded however much is typed.
pub const MAX_INPUT_CHARS: usize = 10_000;

/// Whether `event` would add a character to an input already full.
fn overflows(input: &Input, event: &Event) -> bool {
    let adds = matches!(event, Event::Key(k) if matches!(k.code, KeyCode::Char(_))
        && !k.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT));
    // Bytes first: cheap, and no more chars than bytes.
    adds && input.value().len() >= MAX_INPUT_CHARS
        && input.value().chars().count() >= MAX_INPUT_CHARS
}

pub struct App {
    pub model: Arc<Model>,
    pub(super) searcher: Searcher,
    pub theme: Theme,
    /// Key bindings (the settings file's `[keys]`, else the defaults).
    pub keys: crate::tui::keys::keymap::Keymap,
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
    pub relations_shown: Option<crate::tui::panes::relations::Shown>,
    pub sources_cursor: usize,
    /// `:at`: the day the relationships pane shows relations for, instead
    /// of the selected event's.
    pub relations_at: Option<PartialDate>,
    pub status: Option<String>,
    /// Views under the open overlay, reopened in turn as each closes.
    pub behind: Vec<Overlay>,
    /// Text to put in the clipboard: the event loop sends it (tests read it).
    pub to_copy: Option<String>,
    /// The map, shown in place of the relationships pane.
    pub map: crate::tui::panes::map::MapState,
    /// `z`: the panes shared, the focused one widened, or it alone.
    pub zoom: crate::tui::panes::widths::Zoom,
    /// Counts filter changes, so views built from `visible` know when to
    /// build again.
    pub filter_generation: u64,
    /// Stars and notes, from the sidecar beside the store.
    pub notes: crate::annotate::notes::Notes,
    /// Where the notes land in the model, remade when either changes.
    pub noted: crate::annotate::notes::NotedIndex,
    /// Where they are saved; none for the built-in store, or while the
    /// sidecar is broken (it is not overwritten).
    pub notes_path: Option<std::path::PathBuf>,
    /// Lines typed on the command line, oldest first.
    pub history: Vec<String>,
    /// Queries searched (Enter in the search box), oldest first.
    pub search_history: Vec<String>,
    /// Filters saved by name.
    pub views: std::collections::BTreeMap<String, Vec<crate::annotate::sessions::ChipRec>>,
    /// The store's file, when it is one: `E` opens it, saves reload it.
    pub store_path: Option<std::path::PathBuf>,
    /// Why the store does not load, while it does not (`:problems`).
    pub problems: Option<crate::store::load::LoadError>,
    /// The store has not loaded since the explorer opened on its problems:
    /// the model is empty, and the last session is neither restored nor
    /// replaced until it does.
    pub broken: bool,
    /// How much of the last source read its quotes cover, with the model
    /// it was worked out for (by its address): reading it again is free.
    pub coverage: Option<(usize, Ix, Arc<crate::evidence::coverage::SourceCoverage>)>,
    /// The explorer's writes to the store, newest last: `U` undoes them.
    pub undo: Vec<crate::author::undo::Undo>,
    /// The explorer wrote the store and shows it: the file watcher need
    /// not load it again.
    pub wrote: bool,
    /// `E` asked for the editor: the event loop hands the terminal over.
    pub edit: Option<crate::tui::term::editor::EditRequest>,
    pub quit: bool,
    pub density: Density,
    pub areas: Areas,
    /// Marked events: the slice to export when there are any.
    pub marks: BTreeSet<Ix>,
    /// The marked events in the order they were marked (`:story new`).
    pub mark_order: Vec<Ix>,
    /// The stories beside the store, where they are saved (none for the
    /// built-in store, or while the file is broken), and the open one.
    pub stories: crate::annotate::stories::Stories,
    pub stories_path: Option<std::path::PathBuf>,
    pub story: Option<crate::tui::panes::story::OpenStory>,
    /// `v`: the event where the range started, and the marks before it.
    pub range: Option<(Ix, BTreeSet<Ix>)>,
    /// Where relative export file names are written: the current directory.
    pub export_dir: std::path::PathBuf,
    pub(super) generation: u64,
    /// The search index once ready: `:text` is answered from it.
    pub text_index: Option<Arc<crate::search::SearchIndex>>,
    /// Above this many events `:text` waits for the index rather than
    /// read every event's text (seconds at a million, every key waiting).
    pub text_read_limit: usize,
    /// While `:text` waits for the index: the event to keep selected.
    pub(crate) text_waits: Option<Option<Ix>>,
    /// The hash of the store's bytes the model was made from, when known
    /// (`sessions::content_hash`): the session is saved with it.
    pub content: Option<u64>,
}

/// `text_read_limit`: reading this many events' text takes a moment.
const TEXT_READ_LIMIT: usize = 20_000;

impl App {
    pub fn new(model: Arc<Model>, searcher: Searcher, theme: Theme) -> Self {
        let mut app = App {
            model,
            searcher,
            theme,
            keys: crate::tui::keys::keymap::Keymap::default(),
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
            relations_at: None,
            status: None,
            behind: Vec::new(),
            to_copy: None,
            history: Vec::new(),
            search_history: Vec::new(),
            views: Default::default(),
            notes: Default::default(),
            noted: Default::default(),
            map: Default::default(),
            zoom: Default::default(),
            filter_generation: 0,
            notes_path: None,
            store_path: None,
            problems: None,
            broken: false,
            coverage: None,
            undo: Vec::new(),
            wrote: false,
            edit: None,
            quit: false,
            density: Density::default(),
            areas: Areas::default(),
            marks: BTreeSet::new(),
            mark_order: Vec::new(),
            stories: Default::default(),
            stories_path: None,
            story: None,
            range: None,
            export_dir: std::path::PathBuf::from("."),
            generation: 0,
            text_index: None,
            text_read_limit: TEXT_READ_LIMIT,
            text_waits: None,
            content: None,
        };
        app.text_index = app.searcher.index();
        app.refilter();
        app
    }

    /// An app that searches inline, for tests and benchmarks.
    pub fn inline(model: Model) -> Self {
        let searcher = Searcher::inline(&model);
        App::new(
            Arc::new(model),
            searcher,
            Theme {
                color: true,
                light: false,
                ..Theme::default()
            },
        )
    }

    pub fn selected_event(&self) -> Option<Ix> {
        self.visible.get(self.timeline.cursor).copied()
    }

    pub fn filter(&self) -> Filter {
        let mut f = Filter::default();
        for c in &self.chips {
            match c {
                Chip::Actor(a) => f.actors.push(*a),
                Chip::Place(p) => f.places.push(*p),
                Chip::Tag(t) => f.tags.push(*t),
                Chip::Source(s) => f.sources.push(*s),
                Chip::Kind(k) => f.kinds.push(*k),
                Chip::Only(k) => f.only_kinds.push(*k),
                Chip::Text(t) => f.texts.push(t.clone()),
                Chip::From(d) => f.from = Some(*d),
                Chip::To(d) => f.to = Some(*d),
                Chip::Disputed => f.disputed = true,
                // Not the store's: applied by `apply_filters`.
                Chip::Starred | Chip::Noted => {}
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
        let waited = self.text_index.is_none() && self.text_waits.is_some();
        if self.text_index.is_none() {
            self.text_index = self.searcher.index();
        }
        if waited && self.text_index.is_some() {
            self.refilter();
            return true;
        }
        let Some((generation, answer)) = self.searcher.poll() else {
            return false;
        };
        if let Overlay::Search(sb) = &mut self.overlay
            && sb.generation == generation
        {
            sb.answer(answer);
            self.add_note_hits();
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
            Control::Help => self.open(Overlay::Help(Pager::default())),
            Control::Close => self.close(),
            Control::OpenSearch => self.open_search(),
            Control::OpenCommand => self.open(Overlay::Command(CommandLine::new())),
            Control::Details => self.open_details(),
            Control::CopyQuote => self.copy_quote(),
            Control::CopyEvent => self.copy_event(),
            Control::Edit => self.open_in_editor(),
            Control::ToggleStar => self.toggle_star(),
            Control::Annotate => self.annotate(),
            Control::Zoom => {
                self.zoom = self.zoom.next();
                let focused = self.focus.title();
                self.status = Some(match self.zoom {
                    crate::tui::panes::widths::Zoom::Shared => "Panes share the width (z)".into(),
                    crate::tui::panes::widths::Zoom::Wide => {
                        format!("{focused} widened (z again: alone)")
                    }
                    crate::tui::panes::widths::Zoom::Full => {
                        format!("{focused} alone (z again: shared)")
                    }
                });
            }
            Control::ToggleMap => {
                self.map.on = !self.map.on;
                self.focus = if self.map.on {
                    Pane::Relations
                } else {
                    Pane::Timeline
                };
            }
            // In the form, Tab moves between its fields.
            Control::FocusNext | Control::FocusPrev
                if matches!(self.overlay, Overlay::EventForm(_)) =>
            {
                self.step_overlay_or_pane(control)
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
                if let Some(e) = self.selected_event() {
                    self.mark_order.retain(|&m| m != e);
                    if !self.marks.remove(&e) {
                        self.marks.insert(e);
                        self.mark_order.push(e);
                    }
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
                self.mark_order.clear();
            }
            Control::Story(key) => self.story_key(key),
            Control::OpenExport => self.open_export(),
            Control::Click { column, row } => self.click(column, row),
            Control::Drag { column, row } => self.drag(column, row),
            Control::Select(mv) => self.select_passage(mv),
            Control::NextUnused => self.next_unused(),
            Control::AddQuote => self.quote_selection(),
            Control::NewEvent => self.open_event_form(),
            Control::Compare => self.open_compare(),
            Control::Undo => self.undo_last_write(),
            Control::Scroll { column, row, down } => self.scroll_at(column, row, down),
            other => self.step_overlay_or_pane(other),
        }
    }

    pub(super) fn step_overlay_or_pane(&mut self, control: Control) {
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
                    let query = sb.input.value().trim().to_string();
                    if !query.is_empty() && self.search_history.last() != Some(&query) {
                        self.search_history.push(query);
                    }
                    let Overlay::Search(sb) = &self.overlay else {
                        return;
                    };
                    if let Some(hit) = sb.hits.get(sb.selected).cloned() {
                        self.overlay = Overlay::None;
                        self.go_to(hit.target);
                    }
                }
                _ => {}
            },
            Overlay::Command(_) => self.step_command(control),
            Overlay::Reader(r) => {
                let text = &self.model.source(r.source).text;
                if let Some(status) = r.step(&control, text) {
                    self.status = Some(status);
                }
            }
            Overlay::Help(p) => {
                p.step(&control);
            }
            Overlay::Details(d) => {
                d.pager.step(&control);
            }
            Overlay::Conflict(_) => self.step_conflict(control),
            Overlay::Disputes(_) => self.step_disputes(control),
            Overlay::Problems(_) => self.step_problems(control),
            Overlay::Compare(_) => self.step_compare(control),
            Overlay::Stories(_) => self.step_stories(control),
            Overlay::EventForm(form) => {
                use crate::tui::overlays::event_form::Outcome;
                if form.step(&control, &self.model) == Outcome::Submit {
                    self.submit_event_form();
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
            Overlay::None => match self.focus {
                Pane::Timeline => self.step_timeline(control),
                Pane::Relations if self.map.on => self.step_map(control),
                Pane::Relations => self.step_relations(control),
                Pane::Sources => self.step_sources(control),
            },
        }
    }

    /// Typed text for the open search box or command line.
    /// Pasted text goes into the open input as one edit: one search for a
    /// pasted query, not one per character. Line breaks become spaces.
    fn paste(&mut self, text: &str) {
        let room = |input: &Input| MAX_INPUT_CHARS.saturating_sub(input.value().chars().count());
        let clean: String = text
            .chars()
            .take(MAX_INPUT_CHARS)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let insert = |input: &mut Input| {
            let clean: String = clean.chars().take(room(input)).collect();
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
            Overlay::Reader(r) => {
                if let Some(find) = &mut r.find {
                    insert(&mut find.input);
                    let text = &self.model.source(r.source).text;
                    r.find_again(text);
                }
            }
            Overlay::Export(d) if !d.confirm_replace => {
                insert(&mut d.input);
                d.edited = true;
            }
            Overlay::EventForm(form) => {
                insert(&mut form.inputs[form.field]);
                form.changed(&self.model);
            }
            _ => {}
        }
    }

    fn input(&mut self, event: &Event) {
        let full = match &self.overlay {
            Overlay::Search(sb) => overflows(&sb.input, event),
            Overlay::Command(cl) => overflows(&cl.input, event),
            Overlay::Reader(r) => r.find.as_ref().is_some_and(|f| overflows(&f.input, event)),
            Overlay::Export(d) => overflows(&d.input, event),
            Overlay::EventForm(form) => overflows(&form.inputs[form.field], event),
            _ => false,
        };
        if full {
            self.status = Some(format!("At most {MAX_INPUT_CHARS} characters here"));
            return;
        }
        match &mut self.overlay {
            Overlay::Search(sb) => {
                let changed = sb.input.handle_event(event).is_some_and(|r| r.value);
                if changed {
                    self.search_again();
                }
            }
            Overlay::Command(cl) => {
                let changed = cl.input.handle_event(event).is_some_and(|r| r.value);
                // The error was about the old text.
                cl.error = cl.error.take().filter(|_| !changed);
            }
            Overlay::Reader(r) => {
                if let Some(find) = &mut r.find
                    && find.input.handle_event(event).is_some_and(|c| c.value)
                {
                    let text = &self.model.source(r.source).text;
                    r.find_again(text);
                }
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
            Overlay::EventForm(form) => form.input(event, &self.model),
            _ => {}
        }
    }

    /// Opens `overlay` over the current one; a view under it comes back
    /// when it closes.
    pub fn open(&mut self, overlay: Overlay) {
        let under = std::mem::replace(&mut self.overlay, overlay);
        if under.returns() {
            if self.behind.len() == MAX_BEHIND {
                self.behind.remove(0);
            }
            self.behind.push(under);
        } else {
            self.behind.clear();
        }
    }

    /// Esc or q: closes the open overlay (back to the one under it); with
    /// none open, ends a range of marks.
    fn close(&mut self) {
        match &mut self.overlay {
            // Esc on "replace?" goes back to the dialog.
            Overlay::Export(d) if d.confirm_replace => d.confirm_replace = false,
            // Esc in the reader first ends a find, then a selection.
            Overlay::Reader(r) if r.find.is_some() => r.find = None,
            Overlay::Reader(r) if r.selection.is_some() => r.selection = None,
            Overlay::None => self.range = None,
            _ => self.overlay = self.behind.pop().unwrap_or(Overlay::None),
        }
    }

    pub(super) fn set_cursor(&mut self, cursor: usize) {
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

    /// The events to export: the marked ones, or else the shown ones.
    pub fn slice(&self) -> (Vec<Ix>, bool) {
        if self.marks.is_empty() {
            (self.visible.clone(), false)
        } else {
            (self.marks.iter().copied().collect(), true)
        }
    }

    // ----- filters -----

    pub fn add_chip(&mut self, chip: Chip) {
        // One date bound of each kind; a new one replaces the old.
        self.chips.retain(|c| match (c, &chip) {
            (Chip::From(_), Chip::From(_)) | (Chip::To(_), Chip::To(_)) => false,
            (a, b) => a != b,
        });
        self.chips.push(chip);
        self.refilter();
        self.focus = Pane::Timeline;
    }

    /// The events every chip lets through: the store's filters, then
    /// stars and notes.
    pub fn apply_filters(&self) -> Vec<Ix> {
        if self.text_must_wait() {
            return Vec::new();
        }
        let mut v = self
            .filter()
            .apply_with(&self.model, self.text_index.as_deref());
        if self.chips.contains(&Chip::Starred) {
            let starred = self.notes.starred_events(&self.model);
            v.retain(|e| starred.binary_search(e).is_ok());
        }
        if self.chips.contains(&Chip::Noted) {
            v.retain(|e| self.noted.events.binary_search(e).is_ok());
        }
        v
    }

    /// Whether a `:text` filter waits for the search index.
    pub fn text_must_wait(&self) -> bool {
        self.text_index.is_none()
            && self.model.events.len() > self.text_read_limit
            && self.chips.iter().any(|c| matches!(c, Chip::Text(_)))
    }

    /// Recomputes the visible events, keeping the cursor on the same event
    /// or the nearest one after it.
    pub fn refilter(&mut self) {
        self.filter_generation += 1;
        let keep = self
            .text_waits
            .take()
            .unwrap_or_else(|| self.selected_event());
        self.visible = self.apply_filters();
        if self.text_must_wait() {
            self.text_waits = Some(keep);
        }
        let cursor = keep.map_or(0, |e| self.visible.partition_point(|&v| v < e));
        self.timeline.cursor = cursor.min(self.visible.len().saturating_sub(1));
        self.timeline.top = self.timeline.top.min(self.timeline.cursor);
        self.relations_cursor = 0;
        self.sources_cursor = 0;
        self.density = self.compute_density();
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
            Target::Claim { claim } => self.go_to_claim(claim),
        }
    }

    /// A claim found by search: the disagreement it is part of, opened at
    /// its value over the event it is about; else that event, and the
    /// claim in the status line.
    fn go_to_claim(&mut self, claim: Ix) {
        let m = Arc::clone(&self.model);
        let c = &m.claims[claim as usize];
        let event = c.events.first().copied().or(match c.subject {
            crate::model::Subject::Event(e) => Some(e),
            _ => None,
        });
        if let Some(e) = event {
            self.select_event(e);
            self.focus = Pane::Timeline;
        }
        let conflict = m.conflicts.iter().position(|k| k.claims.contains(&claim));
        match conflict {
            Some(k) => {
                let items = crate::tui::overlays::conflict::items(&m, k as Ix);
                let cursor = items.iter().position(|&(cl, _)| cl == claim).unwrap_or(0);
                self.open(Overlay::Conflict(ConflictView {
                    conflict: k as Ix,
                    cursor,
                }));
            }
            None => {
                self.status = Some(format!(
                    "{}: {} (no source disagrees)",
                    c.attribute, c.value
                ))
            }
        }
    }

    /// Selects an event, clearing the filters if they hide it.
    pub fn select_event(&mut self, event: Ix) {
        if self.text_waits.is_some() {
            // Selected once `:text` is answered (or the next event it lets through).
            self.text_waits = Some(Some(event));
            return;
        }
        if self.visible.binary_search(&event).is_err() {
            self.chips.clear();
            self.refilter();
            self.status = Some("Filters cleared to show the event".into());
        }
        if let Ok(i) = self.visible.binary_search(&event) {
            self.set_cursor(i);
        }
    }
}
