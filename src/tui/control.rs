//! Keys and mouse events become `Control`s; `App::step` applies them.
//! Which control a key means depends on what is open (a text box takes
//! letters as text).

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::config::Action;
use crate::tui::app::{App, Overlay, Pane};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Control {
    Quit,
    FocusNext,
    FocusPrev,
    Focus(Pane),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    PrevMonth,
    NextMonth,
    PrevYear,
    NextYear,
    Enter,
    /// Backspace outside a text box: remove the last filter.
    PopFilter,
    ClearFilters,
    OpenSearch,
    OpenCommand,
    Help,
    Close,
    NextQuote,
    PrevQuote,
    ToggleMark,
    RangeMark,
    MarkAll,
    ClearMarks,
    OpenExport,
    /// `i`: details of what is selected.
    Details,
    /// `y`: the selected quote with its citation, to the clipboard.
    CopyQuote,
    /// `Y`: the selected event as a Markdown line, to the clipboard.
    CopyEvent,
    /// `E`: open the store in the editor at what is selected.
    Edit,
    /// `*`: star or unstar the selected event.
    ToggleStar,
    /// `a`: write a note on what is selected.
    Annotate,
    /// `m`: the map in place of the relationships pane, or back.
    ToggleMap,
    /// `z`: widen the focused pane, then give it the screen, then share.
    Zoom,
    /// In the map: zoom in (1) or out (-1).
    MapZoom(i32),
    /// In the map: move the view by an eighth across (x) and down (y).
    MapPan(i8, i8),
    /// In the map: frame the shown places again.
    MapReset,
    /// A key for the open story (`:story NAME`).
    Story(crate::tui::panes::story::StoryKey),
    /// In the reader: start or move the selected passage.
    Select(crate::tui::overlays::selection::Move),
    /// In the reader: the next sentence no event quotes yet that holds a
    /// date, a number or an actor's name, and why it is marked.
    NextUnused,
    /// With a passage selected: add it as a quote on the selected event.
    AddQuote,
    /// With a passage selected: the form for a new event quoting it.
    NewEvent,
    /// In the reader: the sources sharing passages with this one, side by side.
    Compare,
    /// `U`, `:undo`: put the store back as it was before the explorer's
    /// last write to it.
    Undo,
    /// A key for the open text box.
    Input(KeyEvent),
    Click {
        column: u16,
        row: u16,
    },
    Scroll {
        column: u16,
        row: u16,
        down: bool,
    },
    /// The mouse moved with its left button held.
    Drag {
        column: u16,
        row: u16,
    },
    Redraw,
    Nothing,
}

pub fn control_for(app: &App, event: &Event) -> Control {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_control(app, *key),
        Event::Mouse(m) => mouse_control(*m),
        Event::Resize(..) => Control::Redraw,
        _ => Control::Nothing,
    }
}

fn mouse_control(m: MouseEvent) -> Control {
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => Control::Click {
            column: m.column,
            row: m.row,
        },
        MouseEventKind::Drag(MouseButton::Left) => Control::Drag {
            column: m.column,
            row: m.row,
        },
        MouseEventKind::ScrollDown => Control::Scroll {
            column: m.column,
            row: m.row,
            down: true,
        },
        MouseEventKind::ScrollUp => Control::Scroll {
            column: m.column,
            row: m.row,
            down: false,
        },
        _ => Control::Nothing,
    }
}

/// The reader's fixed keys for selecting and for the sentences not yet
/// quoted (as its `n`/`N`).
fn selection_key(c: char) -> Option<Control> {
    use crate::tui::overlays::selection::Move;
    Some(match c {
        'v' => Control::Select(Move::Start),
        'w' => Control::Select(Move::WordForward),
        'b' => Control::Select(Move::WordBack),
        'B' => Control::Select(Move::StartBack),
        'W' => Control::Select(Move::StartForward),
        ')' => Control::Select(Move::SentenceForward),
        '(' => Control::Select(Move::SentenceBack),
        'u' => Control::NextUnused,
        '+' => Control::AddQuote,
        'e' => Control::NewEvent,
        '=' => Control::Compare,
        _ => return None,
    })
}

fn key_control(app: &App, key: KeyEvent) -> Control {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let keys = &app.keys;
    if ctrl && key.code == KeyCode::Char('c') {
        return Control::Quit;
    }
    match &app.overlay {
        Overlay::Export(d) if d.confirm_replace => match key.code {
            KeyCode::Esc => Control::Close,
            _ => Control::Input(key),
        },
        Overlay::Export(_) => match key.code {
            KeyCode::Esc => Control::Close,
            KeyCode::Enter => Control::Enter,
            KeyCode::Tab | KeyCode::Down => Control::Down,
            KeyCode::BackTab | KeyCode::Up => Control::Up,
            _ => Control::Input(key),
        },
        Overlay::EventForm(_) => match key.code {
            KeyCode::Esc => Control::Close,
            KeyCode::Enter => Control::Enter,
            KeyCode::Tab if key.modifiers.contains(KeyModifiers::SHIFT) => Control::FocusPrev,
            KeyCode::Tab => Control::FocusNext,
            KeyCode::BackTab => Control::FocusPrev,
            KeyCode::Up => Control::Up,
            KeyCode::Down => Control::Down,
            _ => Control::Input(key),
        },
        Overlay::Search(_) | Overlay::Command(_) => match key.code {
            KeyCode::Esc => Control::Close,
            KeyCode::Enter => Control::Enter,
            KeyCode::Up => Control::Up,
            KeyCode::Down => Control::Down,
            KeyCode::Char('p') if ctrl => Control::Up,
            KeyCode::Char('n') if ctrl => Control::Down,
            KeyCode::PageUp => Control::PageUp,
            KeyCode::PageDown => Control::PageDown,
            _ => Control::Input(key),
        },
        // Overlays close with Esc and the quit keys (q), as pagers do;
        // Ctrl-C quits. Other keys are the bindings (`keymap`).
        Overlay::Help(_) => match key.code {
            KeyCode::Esc | KeyCode::Enter => Control::Close,
            _ if keys.is(key, Action::Quit) || keys.is(key, Action::Help) => Control::Close,
            _ => keys.movement(key).unwrap_or(Control::Nothing),
        },
        Overlay::Reader(r) if r.find.as_ref().is_some_and(|f| f.typing) => match key.code {
            KeyCode::Esc => Control::Close,
            KeyCode::Enter => Control::Enter,
            _ => Control::Input(key),
        },
        Overlay::Reader(_) => match key.code {
            KeyCode::Esc | KeyCode::Backspace => Control::Close,
            KeyCode::Char('n') if plain => Control::NextQuote,
            KeyCode::Char('N') if plain => Control::PrevQuote,
            KeyCode::Char(c) if plain && selection_key(c).is_some() => {
                selection_key(c).unwrap_or(Control::Nothing)
            }
            _ => match keys.action(key) {
                Some(Action::Quit) => Control::Close,
                Some(Action::Search) => Control::OpenSearch,
                Some(Action::CopyQuote) => Control::CopyQuote,
                Some(Action::Help) => Control::Help,
                Some(Action::Undo) => Control::Undo,
                _ => keys.movement(key).unwrap_or(Control::Nothing),
            },
        },
        Overlay::Details(_) => match key.code {
            KeyCode::Esc | KeyCode::Backspace => Control::Close,
            _ => match keys.action(key) {
                Some(Action::Quit | Action::Details) => Control::Close,
                Some(Action::CopyEvent) => Control::CopyEvent,
                Some(Action::Help) => Control::Help,
                _ => keys.movement(key).unwrap_or(Control::Nothing),
            },
        },
        Overlay::Compare(_) => match key.code {
            KeyCode::Esc | KeyCode::Backspace => Control::Close,
            KeyCode::Tab => Control::FocusNext,
            KeyCode::BackTab => Control::FocusPrev,
            _ => match keys.action(key) {
                Some(Action::Quit) => Control::Close,
                Some(Action::Help) => Control::Help,
                _ => keys.movement(key).unwrap_or(Control::Nothing),
            },
        },
        Overlay::Problems(_) => match key.code {
            KeyCode::Esc => Control::Close,
            _ => match keys.action(key) {
                Some(Action::Quit) => Control::Close,
                Some(Action::Enter) => Control::Enter,
                Some(Action::Help) => Control::Help,
                _ => keys.movement(key).unwrap_or(Control::Nothing),
            },
        },
        Overlay::Disputes(_) | Overlay::Stories(_) => match key.code {
            KeyCode::Esc | KeyCode::Backspace => Control::Close,
            _ => match keys.action(key) {
                Some(Action::Quit) => Control::Close,
                Some(Action::Enter) => Control::Enter,
                Some(Action::Help) => Control::Help,
                _ => keys.movement(key).unwrap_or(Control::Nothing),
            },
        },
        Overlay::Conflict(_) => match key.code {
            KeyCode::Esc | KeyCode::Backspace => Control::Close,
            _ => match keys.action(key) {
                Some(Action::Quit) => Control::Close,
                Some(Action::Enter) => Control::Enter,
                Some(Action::CopyQuote) => Control::CopyQuote,
                Some(Action::Help) => Control::Help,
                _ => keys.movement(key).unwrap_or(Control::Nothing),
            },
        },
        Overlay::None if app.map.on && app.focus == Pane::Relations => match key.code {
            KeyCode::Esc => Control::Close,
            KeyCode::Char('+') | KeyCode::Char('=') => Control::MapZoom(1),
            KeyCode::Char('-') => Control::MapZoom(-1),
            KeyCode::Char('0') => Control::MapReset,
            KeyCode::Char('H') => Control::MapPan(-1, 0),
            KeyCode::Char('L') => Control::MapPan(1, 0),
            KeyCode::Char('K') => Control::MapPan(0, 1),
            KeyCode::Char('J') => Control::MapPan(0, -1),
            _ => keys.pane_control(key),
        },
        Overlay::None => match key.code {
            KeyCode::Esc => Control::Close,
            KeyCode::Char(c) if plain && app.story.is_some() => crate::tui::panes::story::key(c)
                .map_or_else(|| keys.pane_control(key), Control::Story),
            _ => keys.pane_control(key),
        },
    }
}
