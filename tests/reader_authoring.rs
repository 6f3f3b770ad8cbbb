//! Turning a passage of an article into evidence from the explorer: the
//! reader's selection (keys and mouse), quoting it on an event, a new
//! event from it through the form, and undoing the write.

use annals::tui::App;
use annals::tui::app::Overlay;
use annals::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// Sends keys: plain chars, or `<Enter>`, `<Esc>`, `<Tab>`, `<BackTab>`,
/// `<BS>`, `<Down>`, `<Up>`.
fn keys(app: &mut App, s: &str) {
    let mut rest = s;
    while !rest.is_empty() {
        let (code, mods, len) = if rest.starts_with('<') && rest.contains('>') {
            let end = rest.find('>').unwrap();
            let (code, mods) = match &rest[1..end] {
                "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
                "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
                "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
                "BackTab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                "BS" => (KeyCode::Backspace, KeyModifiers::NONE),
                "Down" => (KeyCode::Down, KeyModifiers::NONE),
                "Up" => (KeyCode::Up, KeyModifiers::NONE),
                other => panic!("unknown key {other}"),
            };
            (code, mods, end + 1)
        } else {
            let c = rest.chars().next().unwrap();
            (KeyCode::Char(c), KeyModifiers::NONE, c.len_utf8())
        };
        app.handle_event(&Event::Key(KeyEvent::new(code, mods)));
        rest = &rest[len..];
    }
}

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.handle_event(&Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let line: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The selected text in the open reader.
fn selected(app: &App) -> Option<String> {
    let Overlay::Reader(r) = &app.overlay else {
        panic!("reader not open")
    };
    let text = &app.model.source(r.source).text;
    r.selection.as_ref().map(|s| s.text(text).to_string())
}

fn current_quote(app: &App) -> String {
    let Overlay::Reader(r) = &app.overlay else {
        panic!("reader not open")
    };
    let text = &app.model.source(r.source).text;
    text[r.quotes[r.current].clone()].to_string()
}

fn niger_reader() -> App {
    let mut a = App::inline(annals::load_builtin().unwrap());
    keys(&mut a, "/troops and equipment<Enter>3j<Enter>");
    screen(&mut a, 120, 40);
    a
}

#[test]
fn a_selection_starts_at_the_quote_and_moves_by_word_and_sentence() {
    let mut a = niger_reader();
    let quote = current_quote(&a);
    keys(&mut a, "v");
    assert_eq!(selected(&a).as_deref(), Some(quote.as_str()));
    keys(&mut a, "w");
    let one_more = selected(&a).unwrap();
    assert!(one_more.starts_with(&quote) && one_more.len() > quote.len());
    let added = one_more[quote.len()..].trim();
    assert!(
        added.split_whitespace().count() == 1,
        "one word added: {added:?}"
    );
    // Back a word: the quote's words, up to its last one.
    keys(&mut a, "b");
    let words = quote.trim_end_matches(|c: char| !c.is_alphanumeric());
    assert_eq!(selected(&a).as_deref(), Some(words));
    // The start one word back: one word before the quote's.
    keys(&mut a, "B");
    let s = selected(&a).unwrap();
    assert!(s.ends_with(words) && s.len() > words.len(), "{s:?}");
    let before = s[..s.len() - words.len()].trim();
    assert_eq!(before.split_whitespace().count(), 1, "{s:?}");
    keys(&mut a, "W");
    assert_eq!(selected(&a).as_deref(), Some(words));
    keys(&mut a, ")");
    let to_end = selected(&a).unwrap();
    assert!(
        to_end.ends_with('.') || to_end.ends_with('"') || to_end.ends_with('”'),
        "{to_end:?}"
    );
    keys(&mut a, ")(");
    assert_eq!(selected(&a).unwrap(), to_end);
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("selected · + quote it"), "{s}");
    // The passage is shown verbatim (its beginning, at this width).
    let start: String = to_end.chars().take(30).collect();
    assert!(s.contains(&format!("“{start}")), "{s}");
    // Esc clears the selection, then closes the reader.
    keys(&mut a, "<Esc>");
    assert_eq!(selected(&a), None);
    keys(&mut a, "<Esc>");
    assert!(matches!(a.overlay, Overlay::None));
}

#[test]
fn without_a_quote_on_screen_the_selection_is_the_top_sentence() {
    let mut a = niger_reader();
    screen(&mut a, 80, 24);
    keys(&mut a, "G");
    screen(&mut a, 80, 24);
    keys(&mut a, "v");
    let s = selected(&a).unwrap();
    assert!(!s.is_empty() && s != current_quote(&a), "{s:?}");
    // Words keys with nothing selected say how to start.
    keys(&mut a, "<Esc>w");
    assert!(a.status.as_deref().unwrap_or("").contains("v starts"));
}

#[test]
fn a_mouse_drag_selects_whole_words() {
    let mut a = niger_reader();
    let Overlay::Reader(r) = &a.overlay else {
        panic!()
    };
    let area = r.text_area;
    let (x, y) = (area.x + 3, area.y + 1);
    mouse(&mut a, MouseEventKind::Down(MouseButton::Left), x, y);
    assert_eq!(selected(&a), None);
    mouse(
        &mut a,
        MouseEventKind::Drag(MouseButton::Left),
        x + 20,
        y + 1,
    );
    let s = selected(&a).expect("a drag selects");
    let Overlay::Reader(r) = &a.overlay else {
        panic!()
    };
    let text = &a.model.source(r.source).text;
    let span = r.selection.as_ref().unwrap().span.clone();
    // Whole words: neither end cuts one.
    let cuts = |i: usize| {
        text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && text[i..].chars().next().is_some_and(char::is_alphanumeric)
    };
    assert!(!cuts(span.start) && !cuts(span.end), "{s:?}");
    assert!(s.split_whitespace().count() >= 3, "{s:?}");
    // Dragging back above the press selects the other way.
    mouse(
        &mut a,
        MouseEventKind::Drag(MouseButton::Left),
        area.x,
        area.y,
    );
    let back = selected(&a).unwrap();
    assert_ne!(back, s);
}
