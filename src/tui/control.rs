//! Keys and mouse events become `Control`s; `App::step` applies them.
//! Which control a key means depends on what is open (a text box takes
//! letters as text).

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::app::{App, Overlay, Pane};

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

fn key_control(app: &App, key: KeyEvent) -> Control {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
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
        // Overlays close with Esc and q, as pagers do; Ctrl-C quits.
        Overlay::Help(_) => match key.code {
            KeyCode::Char('q') | KeyCode::Esc | KeyCode::Char('?') | KeyCode::Enter => {
                Control::Close
            }
            _ => movement(key).unwrap_or(Control::Nothing),
        },
        Overlay::Reader(r) if r.find.as_ref().is_some_and(|f| f.typing) => match key.code {
            KeyCode::Esc => Control::Close,
            KeyCode::Enter => Control::Enter,
            _ => Control::Input(key),
        },
        Overlay::Reader(_) => match key.code {
            KeyCode::Char('q') | KeyCode::Esc | KeyCode::Backspace => Control::Close,
            KeyCode::Char('n') => Control::NextQuote,
            KeyCode::Char('N') => Control::PrevQuote,
            KeyCode::Char('/') => Control::OpenSearch,
            KeyCode::Char('y') => Control::CopyQuote,
            KeyCode::Char('?') => Control::Help,
            _ => movement(key).unwrap_or(Control::Nothing),
        },
        Overlay::Details(_) => match key.code {
            KeyCode::Char('q') | KeyCode::Esc | KeyCode::Char('i') | KeyCode::Backspace => {
                Control::Close
            }
            KeyCode::Char('Y') => Control::CopyEvent,
            KeyCode::Char('?') => Control::Help,
            _ => movement(key).unwrap_or(Control::Nothing),
        },
        Overlay::Problems(_) => match key.code {
            KeyCode::Char('q') | KeyCode::Esc => Control::Close,
            KeyCode::Enter => Control::Enter,
            KeyCode::Char('?') => Control::Help,
            _ => movement(key).unwrap_or(Control::Nothing),
        },
        Overlay::Conflict(_) => match key.code {
            KeyCode::Char('q') | KeyCode::Esc | KeyCode::Backspace => Control::Close,
            KeyCode::Enter => Control::Enter,
            KeyCode::Char('y') => Control::CopyQuote,
            KeyCode::Char('?') => Control::Help,
            _ => movement(key).unwrap_or(Control::Nothing),
        },
        Overlay::None => match key.code {
            KeyCode::Char('q') => Control::Quit,
            KeyCode::Tab => Control::FocusNext,
            KeyCode::BackTab => Control::FocusPrev,
            KeyCode::Char('1') => Control::Focus(Pane::Timeline),
            KeyCode::Char('2') => Control::Focus(Pane::Relations),
            KeyCode::Char('3') => Control::Focus(Pane::Sources),
            KeyCode::Char('[') => Control::PrevMonth,
            KeyCode::Char(']') => Control::NextMonth,
            KeyCode::Char('{') => Control::PrevYear,
            KeyCode::Char('}') => Control::NextYear,
            KeyCode::Enter => Control::Enter,
            KeyCode::Backspace => Control::PopFilter,
            KeyCode::Char('X') => Control::ClearFilters,
            KeyCode::Char('/') => Control::OpenSearch,
            KeyCode::Char(':') => Control::OpenCommand,
            KeyCode::Char('?') => Control::Help,
            KeyCode::Esc => Control::Close,
            KeyCode::Char(' ') => Control::ToggleMark,
            KeyCode::Char('v') => Control::RangeMark,
            KeyCode::Char('A') => Control::MarkAll,
            KeyCode::Char('u') => Control::ClearMarks,
            KeyCode::Char('e') => Control::OpenExport,
            KeyCode::Char('i') => Control::Details,
            KeyCode::Char('y') => Control::CopyQuote,
            KeyCode::Char('Y') => Control::CopyEvent,
            KeyCode::Char('E') => Control::Edit,
            KeyCode::Char('*') => Control::ToggleStar,
            KeyCode::Char('a') => Control::Annotate,
            _ => movement(key).unwrap_or(Control::Nothing),
        },
    }
}

fn movement(key: KeyEvent) -> Option<Control> {
    Some(match key.code {
        KeyCode::Char('j') | KeyCode::Down => Control::Down,
        KeyCode::Char('k') | KeyCode::Up => Control::Up,
        KeyCode::PageDown => Control::PageDown,
        KeyCode::PageUp => Control::PageUp,
        KeyCode::Char('g') | KeyCode::Home => Control::Top,
        KeyCode::Char('G') | KeyCode::End => Control::Bottom,
        _ => return None,
    })
}
