//! Fuzzes the explorer's key handling: arbitrary keys, pastes, clicks and
//! terminal sizes on the built-in store, drawn after each step. Nothing may
//! panic, and `App::check_invariants` must hold after every step and frame.
#![no_main]

use annals::tui::App;
use annals::tui::view;
use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

const KEYS: &[KeyCode] = &[
    KeyCode::Char('j'),
    KeyCode::Char('k'),
    KeyCode::Char('/'),
    KeyCode::Char(':'),
    KeyCode::Char('e'),
    KeyCode::Char(' '),
    KeyCode::Char('v'),
    KeyCode::Char('A'),
    KeyCode::Char('u'),
    KeyCode::Char('['),
    KeyCode::Char(']'),
    KeyCode::Char('{'),
    KeyCode::Char('}'),
    KeyCode::Char('?'),
    KeyCode::Char('X'),
    KeyCode::Char('n'),
    KeyCode::Char('N'),
    KeyCode::Char('1'),
    KeyCode::Char('2'),
    KeyCode::Char('3'),
    KeyCode::Char('a'),
    KeyCode::Char('r'),
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Backspace,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::PageUp,
    KeyCode::PageDown,
    KeyCode::Home,
    KeyCode::End,
];

fuzz_target!(|data: &[u8]| {
    let model = annals::load_builtin().expect("the built-in store loads");
    let mut app = App::inline(model);
    let (mut w, mut h) = (120u16, 40u16);
    let mut bytes = data.iter().copied();
    let mut steps = 0;
    while let Some(b) = bytes.next() {
        steps += 1;
        if steps > 400 {
            break;
        }
        let event = match b % 8 {
            0 => {
                // A resize, from 1x1 up.
                w = u16::from(bytes.next().unwrap_or(80)) + 1;
                h = u16::from(bytes.next().unwrap_or(24)) / 2 + 1;
                None
            }
            1 => {
                let text: String = bytes.by_ref().take(8).map(char::from).collect();
                Some(Event::Paste(text))
            }
            2 => Some(Event::Mouse(MouseEvent {
                kind: if b & 16 == 0 {
                    MouseEventKind::Down(MouseButton::Left)
                } else {
                    MouseEventKind::ScrollDown
                },
                column: u16::from(bytes.next().unwrap_or(0)) % w,
                row: u16::from(bytes.next().unwrap_or(0)) % h,
                modifiers: KeyModifiers::NONE,
            })),
            _ => {
                let code = KEYS[usize::from(bytes.next().unwrap_or(0)) % KEYS.len()];
                Some(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
            }
        };
        if let Some(e) = event {
            app.handle_event(&e);
        }
        app.check_invariants().expect("after a step");
        if app.quit {
            break;
        }
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
        t.draw(|f| view::draw(&mut app, f)).expect("a frame");
        app.check_invariants().expect("after a frame");
    }
});
