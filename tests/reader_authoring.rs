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

/// An explorer over a copy of the Niger store in a temp dir.
fn temp_store() -> (tempfile::TempDir, std::path::PathBuf, String, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("niger.ron");
    let original =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/niger.ron")).unwrap();
    std::fs::write(&path, &original).unwrap();
    let mut a = App::inline(annals::load_path(&path).unwrap());
    a.store_path = Some(path.clone());
    (dir, path, original, a)
}

/// `new` is `old` with one run of bytes inserted, which is returned.
fn inserted(old: &str, new: &str) -> String {
    assert!(new.len() > old.len(), "nothing was added");
    let p = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let n = new.len() - old.len();
    assert_eq!(&new[p + n..], &old[p..], "the rest changed");
    new[p..p + n].to_string()
}

/// The reader at the end of the article of the selected event's first
/// quote, with its last sentence selected (no event quotes it).
fn select_last_sentence(a: &mut App) -> String {
    keys(a, "<Enter>");
    screen(a, 80, 24);
    keys(a, "G");
    screen(a, 80, 24);
    keys(a, "v");
    selected(a).unwrap()
}

#[test]
fn a_selection_is_quoted_on_the_selected_event_and_undone() {
    let (_dir, path, original, mut a) = temp_store();
    let event_id = a.model.event(a.selected_event().unwrap()).id.to_string();
    let passage = select_last_sentence(&mut a);
    keys(&mut a, "+");
    let status = a.status.clone().unwrap_or_default();
    assert!(status.starts_with("Quoted on"), "{status}");
    let now = std::fs::read_to_string(&path).unwrap();
    let added = inserted(&original, &now);
    let words = passage.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(added.contains("quote: "), "{added}");
    assert!(annals::load_str(&now, "x").is_ok());
    // The explorer shows the store as written: the event has the quote,
    // and the reader is open at it.
    let e = a.model.event_by_id(&event_id).unwrap();
    assert!(
        a.model.event(e).evidence.iter().any(|q| *q.text == *words),
        "{words}"
    );
    assert_eq!(a.selected_event(), Some(e));
    assert_eq!(current_quote(&a), passage);
    // U puts the file back byte for byte.
    keys(&mut a, "U");
    assert!(std::fs::read_to_string(&path).unwrap() == original);
    let e = a.model.event_by_id(&event_id).unwrap();
    assert!(!a.model.event(e).evidence.iter().any(|q| *q.text == *words));
    keys(&mut a, "U");
    assert!(
        a.status
            .as_deref()
            .unwrap_or("")
            .contains("Nothing to undo")
    );
}

#[test]
fn the_form_refuses_a_bad_date_then_writes_the_event_and_undo_restores() {
    let (_dir, path, original, mut a) = temp_store();
    let passage = select_last_sentence(&mut a);
    keys(&mut a, "e");
    assert!(matches!(a.overlay, Overlay::EventForm(_)));
    // The quote is filled in verbatim; the date checked as typed.
    keys(&mut a, "2024-13");
    let s = screen(&mut a, 160, 45);
    let head: String = passage.chars().take(40).collect();
    assert!(s.contains(&head), "{s}");
    assert!(s.contains("✗ month 13 does not exist"), "{s}");
    assert!(s.contains("[2024-03..2024-05]"), "{s}");
    keys(&mut a, "<Tab>Withdrawal talks<Enter>");
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("date: month 13 does not exist"), "{s}");
    assert!(std::fs::read_to_string(&path).unwrap() == original);
    // An unknown actor needs a kind; with one it is made.
    keys(&mut a, "<BackTab><BS><BS>03<Tab><Tab><Tab>junta<Enter>");
    // Picked twice: said, not added twice.
    keys(&mut a, "niger-junta<Enter>");
    assert!(screen(&mut a, 160, 45).contains("“niger-junta” is picked already"));
    keys(&mut a, &"<BS>".repeat(11));
    keys(&mut a, "Riverside Council<Enter>");
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("a new actor needs a kind"), "{s}");
    keys(
        &mut a,
        " (organisation)<Enter><Tab>Niamey<Enter><Tab>talks<Enter>",
    );
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("✓ month"), "{s}");
    keys(&mut a, "<Enter>");
    assert!(
        !matches!(a.overlay, Overlay::EventForm(_)),
        "{}",
        screen(&mut a, 160, 45)
    );
    let now = std::fs::read_to_string(&path).unwrap();
    assert_ne!(now, original);
    let m = annals::load_str(&now, "x").unwrap();
    let e = m
        .event_by_id("2024-03-withdrawal-talks")
        .expect("the event");
    let ev = m.event(e);
    let actors: Vec<&str> = ev.actors.iter().map(|&x| &*m.actor(x).id).collect();
    assert!(actors.contains(&"niger-junta"), "{actors:?}");
    assert!(
        ev.actors
            .iter()
            .any(|&x| &*m.actor(x).name == "Riverside Council"),
        "{actors:?}"
    );
    // The explorer shows it, selected.
    let shown = a.selected_event().map(|e| a.model.event(e).id.to_string());
    assert_eq!(shown.as_deref(), Some("2024-03-withdrawal-talks"));
    keys(&mut a, "<Esc>:undo<Enter>");
    assert!(std::fs::read_to_string(&path).unwrap() == original);
    assert!(a.model.event_by_id("2024-03-withdrawal-talks").is_none());
}

#[test]
fn the_built_in_store_says_it_must_first_be_written_to_a_file() {
    let mut a = niger_reader();
    keys(&mut a, "v+");
    assert!(
        a.status.as_deref().unwrap_or("").contains("built-in store"),
        "{:?}",
        a.status
    );
    keys(&mut a, "e");
    assert!(matches!(a.overlay, Overlay::Reader(_)));
    assert!(a.status.as_deref().unwrap_or("").contains("built-in store"));
    keys(&mut a, "<Esc><Esc>U");
    assert!(a.status.as_deref().unwrap_or("").contains("built-in store"));
}

#[test]
fn the_reader_shows_coverage_and_steps_through_sentences_not_quoted_yet() {
    let mut a = niger_reader();
    let Overlay::Reader(r) = &a.overlay else {
        panic!()
    };
    let source = r.source;
    let cov = annals::evidence::coverage::of_source(&a.model, source);
    assert!(!cov.unused.is_empty());
    let s = screen(&mut a, 160, 45);
    assert!(
        s.contains(&format!(" {:.0}% quoted ", cov.percent())),
        "{s}"
    );
    keys(&mut a, "u");
    let status = a.status.clone().unwrap_or_default();
    assert!(
        status.starts_with(&format!("Not quoted yet (1/{}): holds ", cov.unused.len())),
        "{status}"
    );
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("│▶ "), "{s}");
    // v selects the sentence u went to.
    keys(&mut a, "v");
    let Overlay::Reader(r) = &a.overlay else {
        panic!()
    };
    assert_eq!(
        r.selection.as_ref().map(|s| s.span.clone()),
        Some(cov.unused[0].span.clone())
    );
    keys(&mut a, "<Esc>u");
    let status = a.status.clone().unwrap_or_default();
    assert!(status.starts_with("Not quoted yet (2/"), "{status}");
}

#[test]
fn control_characters_in_a_selection_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.ron");
    let store = annals::author::new_store("t");
    let source = annals::author::NewSource {
        id: "a".into(),
        outlet: "O".into(),
        title: "T".into(),
        text: "Alpha beta \u{1b}[2J gamma. Delta epsilon.".into(),
        ..Default::default()
    };
    let store = annals::author::add_source(&store, &source).unwrap();
    std::fs::write(&path, &store).unwrap();
    let mut a = App::inline(annals::load_path(&path).unwrap());
    a.store_path = Some(path.clone());
    keys(&mut a, "/Alpha<Enter>");
    screen(&mut a, 80, 24);
    keys(&mut a, "ve");
    assert!(
        a.status
            .as_deref()
            .unwrap_or("")
            .contains("control characters"),
        "{:?}",
        a.status
    );
    assert!(matches!(a.overlay, Overlay::Reader(_)));
    assert!(std::fs::read_to_string(&path).unwrap() == store);
    // Past the escape sequence the words are clean: the form opens on them.
    keys(&mut a, "<Esc>vWWWe");
    let Overlay::EventForm(f) = &a.overlay else {
        panic!("no form: {:?}", a.status)
    };
    assert_eq!(f.quote, "gamma.");
}

#[test]
fn the_form_draws_at_any_size_without_panicking() {
    let (_dir, _path, _original, mut a) = temp_store();
    select_last_sentence(&mut a);
    keys(
        &mut a,
        "e[2024..<Tab>日本語の題<Tab><Tab>ju<Down><Down><Down>",
    );
    for w in [1, 5, 19, 20, 21, 40, 80, 200] {
        for h in [1, 3, 7, 8, 9, 24, 60] {
            screen(&mut a, w, h);
        }
    }
    assert!(matches!(a.overlay, Overlay::EventForm(_)));
}

#[test]
fn after_a_write_the_reader_shows_the_new_share_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.ron");
    let store = annals::author::new_store("t");
    let source = annals::author::NewSource {
        id: "a".into(),
        outlet: "O".into(),
        title: "T".into(),
        text: "The river rose in 2024. Homes were flooded.".into(),
        ..Default::default()
    };
    let store = annals::author::add_source(&store, &source).unwrap();
    std::fs::write(&path, &store).unwrap();
    let mut a = App::inline(annals::load_path(&path).unwrap());
    a.store_path = Some(path.clone());
    keys(&mut a, "/river rose<Enter>");
    assert!(screen(&mut a, 80, 24).contains(" 0% quoted "));
    keys(&mut a, "ve2024<Tab>The river rose<Enter>");
    let s = screen(&mut a, 80, 24);
    let Overlay::Reader(r) = &a.overlay else {
        panic!("{s}")
    };
    let share = 100.0 * "The river rose in 2024.".len() as f64 / source.text.len() as f64;
    assert!((r.percent - share).abs() < 0.01, "{}", r.percent);
    assert!(s.contains(&format!(" {share:.0}% quoted ")), "{s}");
    keys(&mut a, "U");
    assert!(screen(&mut a, 80, 24).contains(" 0% quoted "));
}

/// Opens the reader on the source `id`, found by searching its title.
fn reader_of(a: &mut App, title_words: &str, id: &str) {
    keys(a, &format!("/{title_words}"));
    screen(a, 120, 40);
    for _ in 0..10 {
        keys(a, "<Enter>");
        if let Overlay::Reader(r) = &a.overlay
            && a.model.source(r.source).id.as_str() == id
        {
            return;
        }
        keys(a, "<Esc>/");
        screen(a, 120, 40);
        keys(a, "<Down>");
    }
    panic!("no reader on {id}");
}

#[test]
fn equals_in_the_reader_shows_a_rewrite_beside_its_original() {
    let mut a = App::inline(annals::load_builtin().unwrap());
    reader_of(
        &mut a,
        "Russian military personnel enter an air base",
        "personnel-rewrite",
    );
    keys(&mut a, "=");
    let Overlay::Compare(v) = &a.overlay else {
        panic!("no comparison opened: {:?}", a.status);
    };
    let other = a.model.source(v.overlaps[v.current].other).id.to_string();
    assert_eq!(other, "reuters-based-personnel");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Shared: 9 of 14 sentences"), "{s}");
    // Each row holds a passage of the rewrite and one of the report.
    let (l, r) = &v_passages(&a)[0];
    let first_row = s.lines().nth(3).unwrap();
    assert!(
        first_row.contains(&l[..20]) && first_row.contains(&r[..20]),
        "{s}"
    );
    keys(&mut a, "<Esc>");
    assert!(matches!(a.overlay, Overlay::Reader(_)));
}

fn v_passages(a: &App) -> Vec<(String, String)> {
    let Overlay::Compare(v) = &a.overlay else {
        return Vec::new();
    };
    let o = &v.overlaps[v.current];
    let (left, right) = (a.model.source(v.source), a.model.source(o.other));
    o.passages
        .iter()
        .map(|(x, y)| {
            (
                left.text[x.clone()].to_string(),
                right.text[y.clone()].to_string(),
            )
        })
        .collect()
}

#[test]
fn equals_on_an_article_nobody_copies_says_so() {
    let mut a = App::inline(annals::load_builtin().unwrap());
    reader_of(
        &mut a,
        "US Troops Leave Niger After Military Junta",
        "dexter-troops-leave",
    );
    keys(&mut a, "=");
    assert!(matches!(a.overlay, Overlay::Reader(_)));
    assert!(
        a.status
            .as_deref()
            .unwrap_or("")
            .contains("No other source shares"),
        "{:?}",
        a.status
    );
}

/// A short copy's sentences are found in its original's long ones, but
/// not the other way: `=` on the original still shows the copy.
#[test]
fn equals_on_an_original_shows_the_short_copy_that_took_from_it() {
    let long = "The northern dam on the Serin river failed after engineers reported cracks in its concrete wall and the reservoir rose through the night above every flood marker. \
                Rescue crews from three provinces evacuated villages along the lower valley while helicopters lifted stranded farmers from flooded orchards and barns.";
    let short = "The northern dam on the Serin river failed. \
                 Helicopters lifted stranded farmers from flooded orchards.";
    let store = format!(
        r##"(meta: (title: "Dams"), sources: [
            (id: "original", outlet: "A", title: "The dam report", kind: News, text: r#"{long}"#),
            (id: "copy", outlet: "B", title: "Short wire copy", kind: News, text: r#"{short}"#),
        ])"##
    );
    let model = annals::load_str(&store, "dams.ron").unwrap();
    let copy = annals::evidence::overlap::against_store(short, &model, Some(1));
    assert!(!copy.is_empty(), "the copy does not find its original");
    let original = annals::evidence::overlap::against_store(long, &model, Some(0));
    assert!(
        original.is_empty(),
        "the case this test is about: one-sided"
    );
    let mut a = App::inline(model);
    reader_of(&mut a, "The dam report", "original");
    keys(&mut a, "=");
    let Overlay::Compare(v) = &a.overlay else {
        panic!("no comparison opened: {:?}", a.status);
    };
    assert_eq!(a.model.source(v.overlaps[0].other).id.as_str(), "copy");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Shared: ") && s.contains("of 2 sentences"),
        "{s}"
    );
    assert!(s.contains("│ Helicopters lifted stranded farmers"), "{s}");
}
