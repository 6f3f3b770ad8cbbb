//! The explorer, driven through its own key handling on a TestBackend.

use annals::filter::{resolve_actor, resolve_place};
use annals::tui::App;
use annals::tui::app::{Chip, Overlay, Pane};
use annals::tui::view;
use annals::{Model, PartialDate};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

fn niger() -> Model {
    annals::load_builtin().unwrap()
}

/// An explorer whose relative export names land in the system temp dir,
/// never in the repository.
fn app() -> App {
    let mut a = App::inline(niger());
    a.export_dir = std::env::temp_dir();
    a
}

/// Sends keys: plain chars, or `<Enter>`, `<Esc>`, `<Tab>`, `<BackTab>`,
/// `<BS>`, `<Down>`, `<Up>`, `<PgDn>`, `<C-c>`.
fn keys(app: &mut App, s: &str) {
    let mut rest = s;
    while !rest.is_empty() {
        let (code, mods, len) = if rest.starts_with('<') && rest.contains('>') {
            let end = rest.find('>').unwrap();
            let name = &rest[1..end];
            let (code, mods) = match name {
                "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
                "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
                "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
                "BackTab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                "BS" => (KeyCode::Backspace, KeyModifiers::NONE),
                "Down" => (KeyCode::Down, KeyModifiers::NONE),
                "Up" => (KeyCode::Up, KeyModifiers::NONE),
                "PgDn" => (KeyCode::PageDown, KeyModifiers::NONE),
                "C-c" => (KeyCode::Char('c'), KeyModifiers::CONTROL),
                "C-u" => (KeyCode::Char('u'), KeyModifiers::CONTROL),
                "C-w" => (KeyCode::Char('w'), KeyModifiers::CONTROL),
                "C-a" => (KeyCode::Char('a'), KeyModifiers::CONTROL),
                "C-e" => (KeyCode::Char('e'), KeyModifiers::CONTROL),
                "C-b" => (KeyCode::Char('b'), KeyModifiers::CONTROL),
                "C-k" => (KeyCode::Char('k'), KeyModifiers::CONTROL),
                "C-y" => (KeyCode::Char('y'), KeyModifiers::CONTROL),
                "C-Left" => (KeyCode::Left, KeyModifiers::CONTROL),
                "A-BS" => (KeyCode::Backspace, KeyModifiers::ALT),
                "Del" => (KeyCode::Delete, KeyModifiers::NONE),
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

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn selected_id(app: &App) -> String {
    app.model
        .event(app.selected_event().unwrap())
        .id
        .to_string()
}

#[test]
fn main_screen_wide() {
    let mut a = app();
    insta::assert_snapshot!("main_160x45", screen(&mut a, 160, 45));
}

#[test]
fn main_screen_medium() {
    let mut a = app();
    keys(&mut a, "jjjj");
    insta::assert_snapshot!("main_120x36", screen(&mut a, 120, 36));
}

#[test]
fn narrow_screen_shows_tabs() {
    let mut a = app();
    let s = screen(&mut a, 100, 30);
    assert!(s.contains("1 Timeline   2 Relationships   3 Sources"));
    insta::assert_snapshot!("narrow_timeline_100x30", s);
    keys(&mut a, "2");
    insta::assert_snapshot!("narrow_relations_100x30", screen(&mut a, 100, 30));
    keys(&mut a, "<Tab>");
    insta::assert_snapshot!("narrow_sources_100x30", screen(&mut a, 100, 30));
}

#[test]
fn too_small_terminal_says_so() {
    let mut a = app();
    let s = screen(&mut a, 30, 8);
    assert!(s.contains("Terminal too small"), "{s}");
}

#[test]
fn no_panic_at_any_size() {
    let mut a = app();
    keys(&mut a, "jjj");
    for w in [1, 2, 5, 10, 39, 40, 41, 60, 80, 119, 120, 121, 200, 300] {
        for h in [1, 2, 3, 5, 9, 10, 11, 15, 24, 50, 100] {
            screen(&mut a, w, h);
            keys(&mut a, "/ab");
            screen(&mut a, w, h);
            keys(&mut a, "<Esc>?");
            screen(&mut a, w, h);
            keys(&mut a, "<Esc>3<Enter>");
            screen(&mut a, w, h);
            keys(&mut a, "<Esc>1");
        }
    }
}

#[test]
fn search_abse_101_then_enter_filters_to_air_base_101() {
    let mut a = app();
    keys(&mut a, "/abse 101");
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("› place    Air Base 101"), "{s}");
    insta::assert_snapshot!("search_abse_101", s);
    keys(&mut a, "<Enter>");
    let m = &a.model;
    let ab101 = resolve_place(m, "air-base-101").unwrap();
    assert_eq!(a.chips, vec![Chip::Place(ab101)]);
    assert_eq!(a.visible, m.events_at_place(ab101));
    assert!(matches!(a.overlay, Overlay::None));
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("5 of 38 events  place: Air Base 101"), "{s}");
}

#[test]
fn search_russ_filters_to_russia_and_esc_changes_nothing() {
    let mut a = app();
    keys(&mut a, "jj/russ<Esc>");
    assert!(a.chips.is_empty());
    assert_eq!(a.timeline.cursor, 2);
    keys(&mut a, "/russ<Enter>");
    let russia = resolve_actor(&a.model, "russia").unwrap();
    assert_eq!(a.chips, vec![Chip::Actor(russia)]);
    assert_eq!(a.visible, a.model.events_of_actor(russia));
}

#[test]
fn search_on_an_event_jumps_to_it_and_on_a_quote_opens_the_reader() {
    let mut a = app();
    keys(&mut a, "/two-star general<Enter>");
    assert_eq!(selected_id(&a), "two-star-general-sent");
    keys(&mut a, "/uranium");
    let Overlay::Search(sb) = &a.overlay else {
        panic!("search closed")
    };
    let quote_at = sb
        .hits
        .iter()
        .position(|h| matches!(h.target, annals::Target::Quote { .. }))
        .expect("a quote hit");
    for _ in 0..quote_at {
        keys(&mut a, "<Down>");
    }
    keys(&mut a, "<Enter>");
    assert!(matches!(a.overlay, Overlay::Reader(_)));
    assert_eq!(selected_id(&a), "mid-march-meeting");
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("uranium"), "{s}");
}

/// Polls the search worker until an answer changes the screen.
fn wait_for_search(app: &mut App) {
    let start = std::time::Instant::now();
    while !app.poll_search() {
        assert!(start.elapsed().as_secs() < 60, "the search never answered");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn a_failed_search_says_so_and_the_next_query_works() {
    use annals::tui::searcher::Searcher;
    use annals::tui::term::fault::Fault;
    use annals::tui::theme::Theme;
    let model = std::sync::Arc::new(niger());
    let searcher = Searcher::worker(std::sync::Arc::clone(&model), Fault::PanicInSearch, None);
    let mut a = App::new(
        model,
        searcher,
        Theme {
            color: true,
            light: false,
            ..Default::default()
        },
    );
    keys(&mut a, "/rus");
    assert!(screen(&mut a, 120, 40).contains("searching…"));
    wait_for_search(&mut a);
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("search failed: injected fault: ANNALS_FAULT=search-panic"),
        "{s}"
    );
    assert!(!s.contains("searching…"), "{s}");
    // One more key searches again, on the same worker.
    keys(&mut a, "s");
    wait_for_search(&mut a);
    let s = screen(&mut a, 120, 40);
    assert!(!s.contains("search failed"), "{s}");
    assert!(s.contains("actor    Russia"), "{s}");
    keys(&mut a, "<Enter>");
    let russia = resolve_actor(&a.model, "russia").unwrap();
    assert_eq!(a.chips, vec![Chip::Actor(russia)]);
}

#[test]
fn typing_q_in_search_is_text_not_quit() {
    let mut a = app();
    keys(&mut a, "/q");
    assert!(!a.quit);
    keys(&mut a, "<Esc>q");
    assert!(a.quit);
    let mut b = app();
    keys(&mut b, "/<C-c>");
    assert!(b.quit);
}

#[test]
fn timeline_navigation_keys() {
    let mut a = app();
    let n = a.visible.len();
    keys(&mut a, "G");
    assert_eq!(a.timeline.cursor, n - 1);
    keys(&mut a, "g");
    assert_eq!(a.timeline.cursor, 0);
    keys(&mut a, "jjk");
    assert_eq!(a.timeline.cursor, 1);
    keys(&mut a, "<PgDn>");
    assert!(a.timeline.cursor > 1);
    // Years: 2018 → 2023 → 2024, and back.
    keys(&mut a, "g}");
    assert_eq!(
        a.model
            .event(a.selected_event().unwrap())
            .date
            .anchor()
            .year,
        2023
    );
    keys(&mut a, "}");
    assert_eq!(
        a.model
            .event(a.selected_event().unwrap())
            .date
            .anchor()
            .year,
        2024
    );
    keys(&mut a, "{");
    assert_eq!(selected_id(&a), "us-nigerien-cooperation");
    // Months within 2023 go by each date's anchor: the coup is only known
    // to lie between February and about August, then about July.
    keys(&mut a, "]");
    assert_eq!(selected_id(&a), "coup");
    keys(&mut a, "]");
    assert_eq!(selected_id(&a), "cooperation-paused");
    assert_eq!(
        a.model
            .event(a.selected_event().unwrap())
            .date
            .anchor()
            .month,
        Some(7)
    );
    keys(&mut a, "j");
    assert_eq!(selected_id(&a), "isr-resumed");
    keys(&mut a, "[");
    assert_eq!(selected_id(&a), "cooperation-paused");
    keys(&mut a, "[");
    assert_eq!(selected_id(&a), "coup");
}

#[test]
fn focus_keys() {
    let mut a = app();
    assert_eq!(a.focus, Pane::Timeline);
    keys(&mut a, "<Tab>");
    assert_eq!(a.focus, Pane::Relations);
    keys(&mut a, "<Tab>");
    assert_eq!(a.focus, Pane::Sources);
    keys(&mut a, "<Tab>");
    assert_eq!(a.focus, Pane::Timeline);
    keys(&mut a, "<BackTab>");
    assert_eq!(a.focus, Pane::Sources);
    keys(&mut a, "2");
    assert_eq!(a.focus, Pane::Relations);
    keys(&mut a, "1");
    assert_eq!(a.focus, Pane::Timeline);
}

#[test]
fn relationships_enter_filters_and_backspace_and_x_undo() {
    let mut a = app();
    keys(&mut a, "/troops and equipment<Enter>");
    assert_eq!(selected_id(&a), "relocation-101-to-201");
    insta::assert_snapshot!("relationships_relocation", screen(&mut a, 160, 45));
    // Actors: U.S. military; places: Air Base 101, Air Base 201.
    keys(&mut a, "2j<Enter>");
    let ab101 = resolve_place(&a.model, "air-base-101").unwrap();
    assert_eq!(a.chips, vec![Chip::Place(ab101)]);
    assert_eq!(a.focus, Pane::Timeline);
    assert_eq!(selected_id(&a), "relocation-101-to-201");
    keys(&mut a, "2<Enter>");
    let usm = resolve_actor(&a.model, "us-military").unwrap();
    assert_eq!(a.chips, vec![Chip::Place(ab101), Chip::Actor(usm)]);
    keys(&mut a, "<BS>");
    assert_eq!(a.chips, vec![Chip::Place(ab101)]);
    keys(&mut a, ":from 2024-01<Enter>X");
    assert!(a.chips.is_empty());
    assert_eq!(a.visible.len(), a.model.events.len());
}

#[test]
fn relationships_show_relations_as_they_stood() {
    let mut a = app();
    keys(&mut a, "/junta orders<Enter>");
    assert_eq!(selected_id(&a), "junta-orders-us-out");
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("Relations on [~2024-03-15..]"), "{s}");
    assert!(s.contains("Niger junta → orders out →"), "{s}");
    // Training that ended by September 2023 is not shown as current in 2024.
    assert!(!s.contains("(until [~2023-07..2023-09-19])"), "{s}");
}

#[test]
fn sources_pane_reader_and_quote_cycling() {
    let mut a = app();
    // `z` widens the sources: their headings on one line.
    keys(&mut a, "/troops and equipment<Enter>3z");
    a.status = None;
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("SPONSORED"), "{s}");
    // The Reuters-based report and its rewrite: two sources, one origin.
    assert!(
        s.contains("[2] (outlet not stated; based on a Reuters"),
        "{s}"
    );
    let e = a.selected_event().unwrap();
    assert_eq!((a.model.source_count(e), a.model.event_origins(e)), (3, 2));
    insta::assert_snapshot!("sources_relocation", s);
    keys(&mut a, "j<Enter>");
    let Overlay::Reader(r) = &a.overlay else {
        panic!("reader not open")
    };
    let (first, total) = (r.current, r.quotes.len());
    assert!(total > 1);
    let s = screen(&mut a, 160, 45);
    assert!(s.contains(&format!("quote {}/{total}", first + 1)), "{s}");
    insta::assert_snapshot!("reader", s);
    keys(&mut a, "n");
    let Overlay::Reader(r) = &a.overlay else {
        panic!()
    };
    assert_eq!(r.current, (first + 1) % total);
    keys(&mut a, "NN");
    let Overlay::Reader(r) = &a.overlay else {
        panic!()
    };
    assert_eq!(r.current, (first + total - 1) % total);
    keys(&mut a, "<Esc>");
    assert!(matches!(a.overlay, Overlay::None));
}

#[test]
fn command_line_sets_dates_actors_places_and_reports_errors() {
    let mut a = app();
    keys(&mut a, ":from 2024-03<Enter>:to 2024-05<Enter>");
    let s = screen(&mut a, 160, 45);
    assert!(
        s.contains("from 2024-03") && s.contains("to 2024-05"),
        "{s}"
    );
    // Shown: every event whose possible days overlap March to May 2024.
    let range = annals::evidence::date::DaySpan {
        first: PartialDate::parse("2024-03").unwrap().first_day(),
        last: PartialDate::parse("2024-05").unwrap().last_day(),
    };
    for e in 0..a.model.events.len() as u32 {
        let ev = a.model.event(e);
        assert_eq!(
            a.visible.contains(&e),
            ev.days().overlaps(&range),
            "{}",
            ev.date
        );
    }
    assert!(a.visible.len() > 10, "{}", a.visible.len());
    keys(&mut a, ":place agadez<Enter>");
    let agadez = resolve_place(&a.model, "agadez").unwrap();
    assert!(a.chips.contains(&Chip::Place(agadez)));
    keys(&mut a, ":clear<Enter>:actor russia<Enter>");
    let russia = resolve_actor(&a.model, "russia").unwrap();
    assert_eq!(a.chips, vec![Chip::Actor(russia)]);
    // An error keeps the line, to be fixed, and says why under it.
    keys(&mut a, ":from 2024-02-30<Enter>");
    let error = |a: &App| match &a.overlay {
        Overlay::Command(cl) => (cl.input.value().to_string(), cl.error.clone().unwrap()),
        _ => panic!("the command line closed on an error"),
    };
    let (line, why) = error(&a);
    assert_eq!(line, "from 2024-02-30");
    assert!(why.contains("not a real day"), "{why}");
    keys(&mut a, "<Esc>:bogus<Enter>");
    assert!(error(&a).1.contains("unknown command"));
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("unknown command"), "{s}");
}

#[test]
fn command_line_suggests_the_command_meant_and_recalls_history() {
    let mut a = app();
    keys(&mut a, ":form 2024<Enter>");
    let Overlay::Command(cl) = &a.overlay else {
        panic!("closed")
    };
    assert!(cl.error.as_deref().unwrap().contains("did you mean from?"));
    // Fix the typo in place: the text is still there.
    keys(&mut a, "<Esc>:to 2024-05<Enter>:tag withdrawal<Enter>");
    assert_eq!(a.history, vec!["form 2024", "to 2024-05", "tag withdrawal"]);
    keys(&mut a, ":<Up><Up>");
    let Overlay::Command(cl) = &a.overlay else {
        panic!("closed")
    };
    assert_eq!(cl.input.value(), "to 2024-05");
    keys(&mut a, "<Down><Down>");
    let Overlay::Command(cl) = &a.overlay else {
        panic!("closed")
    };
    assert_eq!(cl.input.value(), "", "back to what was being typed");
}

#[test]
fn help_overlay_lists_keys() {
    let mut a = app();
    keys(&mut a, "?");
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("quit, from anywhere"), "{s}");
    insta::assert_snapshot!("help", s);
    // The rest is a scroll away.
    keys(&mut a, "G");
    let s = screen(&mut a, 160, 45);
    assert!(
        s.contains(":place agadez") && s.contains("clear all filters"),
        "{s}"
    );
    keys(&mut a, "<Esc>");
    assert!(matches!(a.overlay, Overlay::None));
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    let mut a = app();
    screen(&mut a, 160, 45);
    let (row, idx) = a.areas.timeline_rows[5];
    a.handle_event(&Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 10,
        row,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(a.timeline.cursor, idx);
    a.handle_event(&Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(a.timeline.cursor, idx + 3);
    // A click in the sources pane focuses it.
    a.handle_event(&Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 150,
        row: 10,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(a.focus, Pane::Sources);
}

const HOSTILE: &str = r#"(
    meta: (title: "Evil\u{1b}]0;pwned\u{7} store\u{1b}[2J"),
    sources: [(id: "s", outlet: "Out\u{9b}31mlet", title: "T\u{202e}itle", text: "Some \u{1b}]52;c;ZXZpbA==\u{7} text with 北京 and 🙂 emoji.")],
    actors: [(id: "a", name: "北京政府\u{200b}", kind: "government")],
    events: [
        (id: "e1", date: "2024-01", title: "北京欢迎你 — wide title that goes on and on and on and on", actors: ["a"], evidence: [(source: "s", quote: "text with 北京")]),
        (id: "e2", date: "2024-02", title: "Plain\u{1b}[H title", evidence: [(source: "s", quote: "Some")]),
        (id: "e3", date: "2024-03", title: "🙂🙂 emoji title", evidence: [(source: "s", quote: "emoji")]),
    ],
)"#;

/// Collects what the backend writes to the terminal.
#[derive(Clone, Default)]
struct Sink(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything the explorer writes to the terminal while showing `store`
/// in every pane, the reader, search results and help, at 160x40.
fn bytes_sent_for(store: &str) -> String {
    use ratatui::backend::CrosstermBackend;
    let m = annals::load_str(store, "hostile").unwrap();
    let mut a = App::inline(m);
    let sink = Sink::default();
    // A fixed viewport: the test's stdout is no terminal to ask for a size.
    let options = ratatui::TerminalOptions {
        viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 160, 40)),
    };
    let mut t = Terminal::with_options(CrosstermBackend::new(sink.clone()), options).unwrap();
    for k in [
        "",
        "j",
        "j",
        "2",
        "3",
        "<Enter>",
        "n",
        "n",
        "<Esc>",
        "1",
        "k",
        "<Esc>/",
        "pwned",
        "<Esc>/北",
        "<Esc>/clip",
        "<Esc>?",
        "<Esc>e",
    ] {
        keys(&mut a, k);
        t.draw(|f| view::draw(&mut a, f)).unwrap();
    }
    let bytes = sink.0.borrow().clone();
    String::from_utf8(bytes).expect("the terminal is sent UTF-8")
}

#[test]
fn store_text_never_reaches_the_terminal_raw() {
    let file = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/hostile.ron"
    ))
    .unwrap();
    for store in [HOSTILE, file.as_str()] {
        let text = bytes_sent_for(store);
        // What ratatui itself sends is CSI cursor moves (ESC[row;colH) and
        // SGR styles; none of these forms, which the stores carry, ever.
        for raw in [
            "\u{1b}]",
            "\u{1b}P",
            "\u{1b}\\",
            "\u{1b}[2J",
            "\u{1b}[3J",
            "\u{1b}[H",
            "\u{1b}[K",
            "\u{1b}7",
            "\u{1b}8",
            "\u{1b}[31m",
            "Evil\u{1b}",
            "Cursor\u{1b}",
            "\u{7}",
        ] {
            assert!(!text.contains(raw), "{raw:?} reached the terminal");
        }
        let forbidden = |c: char| {
            matches!(c, '\u{80}'..='\u{9f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{61c}' | '\u{2028}' | '\u{2029}')
        };
        assert!(
            !text.chars().any(forbidden),
            "a C1 control, bidi or zero-width character reached the terminal"
        );
        // Every ESC sent starts a sequence ratatui writes: CSI with digits
        // and semicolons only, ending in a letter.
        for (i, _) in text.match_indices('\u{1b}') {
            let seq: String = text[i + 1..]
                .chars()
                .take_while(|c| !c.is_ascii_alphabetic())
                .collect();
            assert!(
                seq.starts_with('[')
                    && seq[1..]
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ';' || c == '?'),
                "unexpected escape {:?}",
                &text[i..(i + 12).min(text.len())]
            );
        }
        assert!(
            text.contains("␛]0;"),
            "the hostile text is shown, harmlessly"
        );
    }
}

#[test]
fn wide_characters_keep_marker_columns_aligned() {
    let m = annals::load_str(HOSTILE, "hostile").unwrap();
    let mut a = App::inline(m);
    let mut t = Terminal::new(TestBackend::new(150, 30)).unwrap();
    t.draw(|f| view::draw(&mut a, f)).unwrap();
    let buf = t.backend().buffer().clone();
    // The column of "[1]" on each event row, in cells.
    let mut cols = Vec::new();
    for &(y, _) in &a.areas.timeline_rows {
        let cells: Vec<&str> = (0..150).map(|x| buf[(x, y)].symbol()).collect();
        let at = cells
            .windows(3)
            .position(|w| w == ["[", "1", "]"])
            .expect("marker");
        cols.push(at);
    }
    assert_eq!(cols.len(), 3);
    assert!(cols.iter().all(|&c| c == cols[0]), "{cols:?}");
}

#[test]
fn no_color_draws_without_colours() {
    let mut a = App::new(
        std::sync::Arc::new(niger()),
        annals::tui::searcher::Searcher::inline(&niger()),
        annals::tui::theme::Theme {
            color: false,
            light: false,
            ..Default::default()
        },
    );
    let mut t = Terminal::new(TestBackend::new(160, 45)).unwrap();
    t.draw(|f| view::draw(&mut a, f)).unwrap();
    let buf = t.backend().buffer();
    use ratatui::style::Color;
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
}

/// The value of the text box open now.
fn text_box(a: &App) -> String {
    match &a.overlay {
        Overlay::Search(sb) => sb.input.value().to_string(),
        Overlay::Command(cl) => cl.input.value().to_string(),
        Overlay::Export(d) => d.input.value().to_string(),
        _ => panic!("no text box open"),
    }
}

#[test]
fn text_boxes_take_the_editing_keys_the_reference_gives() {
    // Search, the command line and the export dialog's file name: the
    // keys of the "Text boxes" rows of the keys table.
    for open in ["/", ":", "e<C-u>"] {
        let mut a = app();
        keys(&mut a, open);
        keys(&mut a, "one two three");
        assert_eq!(text_box(&a), "one two three", "{open}");
        keys(&mut a, "<C-w>");
        assert_eq!(text_box(&a), "one two ", "{open} Ctrl-W");
        keys(&mut a, "<A-BS>");
        assert_eq!(text_box(&a), "one ", "{open} Alt-Backspace");
        keys(&mut a, "<C-a><Del>");
        assert_eq!(text_box(&a), "ne ", "{open} Ctrl-A, Delete");
        keys(&mut a, "<C-k>");
        assert_eq!(text_box(&a), "", "{open} Ctrl-K");
        keys(&mut a, "<C-y>");
        assert_eq!(text_box(&a), "ne ", "{open} Ctrl-Y");
        keys(&mut a, "<C-e>x<C-Left>y<C-b>z");
        assert_eq!(text_box(&a), "ne zyx", "{open} Ctrl-E, Ctrl-Left, Ctrl-B");
        keys(&mut a, "<C-u>");
        assert_eq!(text_box(&a), "", "{open} Ctrl-U");
    }
}

#[test]
fn marking_with_space_range_all_and_clear() {
    let mut a = app();
    keys(&mut a, " j ");
    assert_eq!(a.marks.len(), 2);
    keys(&mut a, "k ");
    assert_eq!(a.marks.len(), 1);
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("1 marked"), "{s}");
    assert!(s.contains("●"), "{s}");
    keys(&mut a, "u");
    assert!(a.marks.is_empty());
    // A range follows the cursor until v again.
    keys(&mut a, "gvjjj");
    assert_eq!(a.marks.len(), 4);
    keys(&mut a, "k");
    assert_eq!(a.marks.len(), 3);
    keys(&mut a, "vjjj");
    assert_eq!(a.marks.len(), 3);
    keys(&mut a, ":place air base 101<Enter>A");
    assert_eq!(a.marks.len(), 3 + 5);
    keys(&mut a, "u");
    assert!(a.marks.is_empty());
}

fn export_path(a: &mut App, path: &str) {
    keys(a, "e<C-u>");
    keys(a, path);
    keys(a, "<Enter>");
}

#[test]
fn export_dialog_writes_the_filtered_slice_and_asks_before_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app();
    keys(&mut a, ":place air base 101<Enter>e");
    let s = screen(&mut a, 160, 45);
    assert!(
        s.contains("the 5 events the filters show (nothing marked)"),
        "{s}"
    );
    assert!(s.contains("annals-air-base-101.md"), "{s}");
    insta::assert_snapshot!("export_dialog", s);
    keys(&mut a, "<Tab>");
    assert!(screen(&mut a, 160, 45).contains("annals-air-base-101.timeline.json"));
    keys(&mut a, "<Esc>");
    assert!(matches!(a.overlay, Overlay::None));

    let out = dir.path().join("slice.md");
    let out_s = out.to_str().unwrap().to_string();
    export_path(&mut a, &out_s);
    assert!(
        a.status.as_deref().unwrap().starts_with("Wrote 5 events"),
        "{:?}",
        a.status
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("# U.S. withdrawal from Niger, 2023-2024 (Air Base 101)"),
        "{text}"
    );

    // The file exists now: asked first; n goes back, y replaces.
    std::fs::write(&out, "keep me").unwrap();
    export_path(&mut a, &out_s);
    assert!(screen(&mut a, 160, 45).contains("Replace it? y / n"));
    keys(&mut a, "n");
    assert!(matches!(&a.overlay, Overlay::Export(d) if !d.confirm_replace));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    keys(&mut a, "<Enter>y");
    assert!(matches!(a.overlay, Overlay::None));
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("# U.S."));
}

#[test]
fn export_of_marked_events_and_errors_in_the_status_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app();
    keys(&mut a, " jj ");
    keys(&mut a, "e");
    assert!(screen(&mut a, 160, 45).contains("the 2 marked events"));
    // Tab through the formats (md first) to csv, however many there are.
    for _ in 0..annals::export::Format::ALL.len() {
        if matches!(&a.overlay, Overlay::Export(d) if d.format == annals::export::Format::Csv) {
            break;
        }
        keys(&mut a, "<Tab>");
    }
    let out = dir.path().join("marked.csv");
    keys(&mut a, "<C-u>");
    keys(&mut a, out.to_str().unwrap());
    keys(&mut a, "<Enter>");
    let rows = csv::Reader::from_path(&out).unwrap().records().count();
    assert_eq!(rows, 2);

    let bad = dir.path().join("no/such/dir/x.md");
    export_path(&mut a, bad.to_str().unwrap());
    let status = a.status.clone().unwrap();
    assert!(
        status.starts_with("Export failed: cannot write"),
        "{status}"
    );
    // The dialog stays open, with the reason, for the name to be fixed.
    assert!(!a.quit && matches!(a.overlay, Overlay::Export(_)));
    assert!(screen(&mut a, 160, 45).contains("Export failed: No such file or directory"));
}

mod random_keys {
    use super::*;
    use proptest::prelude::*;

    /// Keys worth mashing: movement, panes, overlays, filters, marks, text.
    const KEYS: &[&str] = &[
        "j",
        "k",
        "g",
        "G",
        "[",
        "]",
        "{",
        "}",
        "<PgDn>",
        "<Tab>",
        "<BackTab>",
        "1",
        "2",
        "3",
        "<Enter>",
        "<Esc>",
        "<BS>",
        "X",
        "/",
        ":",
        "?",
        "n",
        "N",
        " ",
        "v",
        "A",
        "u",
        "e",
        "a",
        "r",
        "1",
        "0",
        "<Down>",
        "<Up>",
        "<C-u>",
        "北",
        "w",
        "b",
        ")",
        "(",
        "W",
        "B",
        "+",
        "U",
    ];

    /// One thing a user or their terminal can do.
    #[derive(Clone, Debug)]
    enum Action {
        Key(usize),
        Resize(u16, u16),
        Click(u16, u16),
        Drag(u16, u16),
        Wheel(u16, u16, bool),
    }

    /// Sizes from the smallest to the largest, with both ends certain to come up.
    fn size() -> impl Strategy<Value = (u16, u16)> {
        prop_oneof![
            1 => Just((1, 1)),
            1 => Just((300, 100)),
            1 => (1u16..=3, 1u16..=3),
            6 => (1u16..=300, 1u16..=100),
        ]
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            12 => (0..KEYS.len()).prop_map(Action::Key),
            2 => size().prop_map(|(w, h)| Action::Resize(w, h)),
            1 => (0u16..300, 0u16..100).prop_map(|(x, y)| Action::Click(x, y)),
            1 => (0u16..300, 0u16..100).prop_map(|(x, y)| Action::Drag(x, y)),
            1 => (0u16..300, 0u16..100, any::<bool>()).prop_map(|(x, y, d)| Action::Wheel(x, y, d)),
        ]
    }

    fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Event {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_key_sequence_at_any_size_keeps_a_consistent_state(
            hostile in any::<bool>(),
            start in size(),
            actions in proptest::collection::vec(action(), 1..150)
        ) {
            let dir = tempfile::tempdir().unwrap();
            let mut a = if hostile {
                App::inline(annals::load_str(HOSTILE, "hostile").unwrap())
            } else {
                app()
            };
            a.export_dir = dir.path().to_path_buf();
            let mut t = Terminal::new(TestBackend::new(start.0, start.1)).unwrap();
            for action in actions {
                match action {
                    Action::Key(k) => keys(&mut a, KEYS[k]),
                    Action::Resize(w, h) => {
                        t.backend_mut().resize(w, h);
                        a.handle_event(&Event::Resize(w, h));
                    }
                    Action::Click(x, y) => a.handle_event(&mouse(MouseEventKind::Down(MouseButton::Left), x, y)),
                    Action::Drag(x, y) => a.handle_event(&mouse(MouseEventKind::Drag(MouseButton::Left), x, y)),
                    Action::Wheel(x, y, down) => {
                        let kind = if down { MouseEventKind::ScrollDown } else { MouseEventKind::ScrollUp };
                        a.handle_event(&mouse(kind, x, y))
                    }
                }
                if a.quit {
                    break;
                }
                prop_assert_eq!(a.check_invariants(), Ok(()), "after {:?}", action);
                t.draw(|f| view::draw(&mut a, f)).unwrap();
                prop_assert_eq!(a.check_invariants(), Ok(()), "after drawing");
                // The selected event is on screen whenever the timeline shows any.
                if !a.areas.timeline_rows.is_empty() {
                    prop_assert!(
                        a.areas.timeline_rows.iter().any(|&(_, i)| i == a.timeline.cursor),
                        "cursor {} not among drawn rows {:?}", a.timeline.cursor, a.areas.timeline_rows
                    );
                }
                // Every drawn row is inside the terminal.
                let size = t.size().unwrap();
                prop_assert!(a.areas.timeline_rows.iter().all(|&(y, _)| y < size.height));
            }
        }
    }
}

/// The screen as a user sees it: a wide character's hidden second cell is
/// not printed, and under each row with highlighted (underlined) cells a
/// line marks them with `^`, so snapshots show where highlights land.
fn screen_marked(app: &mut App, w: u16, h: u16) -> String {
    use ratatui::buffer::CellWidth;
    use ratatui::style::Modifier;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(app, f)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let (mut line, mut mask) = (String::new(), String::new());
        let mut x = 0;
        while x < w {
            let cell = &buf[(x, y)];
            let cw = cell.symbol().cell_width().max(1);
            line.push_str(cell.symbol());
            let mark = if cell.modifier.contains(Modifier::UNDERLINED) {
                "^"
            } else {
                " "
            };
            mask.push_str(&mark.repeat(cw as usize));
            x += cw;
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if mask.contains('^') {
            out.push_str(mask.trim_end());
            out.push('\n');
        }
    }
    out
}

fn wide_app() -> App {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/valid/wide.ron");
    let mut a = App::inline(annals::load_path(std::path::Path::new(path)).unwrap());
    a.export_dir = std::env::temp_dir();
    a
}

/// Display columns (not cells, not chars) at which `needle` starts in each
/// line of `screen` that has it.
fn columns_of(screen: &str, needle: &str) -> Vec<usize> {
    screen
        .lines()
        .filter_map(|l| {
            l.find(needle)
                .map(|at| annals::tui::widgets::text::width(&l[..at]))
        })
        .collect()
}

#[test]
fn wide_and_combining_text_keeps_columns_aligned() {
    let mut a = wide_app();
    let s = screen_marked(&mut a, 160, 20);
    insta::assert_snapshot!("wide_main_160x20", s);
    // Every event row's source-count marker sits in the same column.
    let rows: String = s
        .lines()
        .filter(|l| l.starts_with("│›  2024") || l.starts_with("│   2024"))
        .map(|l| format!("{l}\n"))
        .collect();
    let all = columns_of(&rows, "[");
    assert_eq!(all.len(), 4, "{s}");
    assert!(all.iter().all(|&c| c == all[0]), "{all:?}\n{s}");
    // And every pane border (│) on a row is where the rows above have it.
    let borders: Vec<Vec<usize>> = s
        .lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| {
            l.char_indices()
                .filter(|&(_, c)| c == '│')
                .map(|(i, _)| annals::tui::widgets::text::width(&l[..i]))
                .collect()
        })
        .collect();
    assert!(borders.len() > 5);
    assert!(borders.iter().all(|b| b == &borders[0]), "{borders:?}");
}

/// The line of the first search result: the first after the count that
/// is not a `^` line (highlights behind the box have those too).
fn first_result(lines: &[&str]) -> usize {
    let count = lines.iter().position(|l| l.contains("results ·")).unwrap();
    (count + 1..lines.len())
        .find(|&i| !lines[i].trim_start().starts_with('^'))
        .unwrap()
}

#[test]
fn search_highlights_land_on_wide_and_accented_characters() {
    let mut a = wide_app();
    keys(&mut a, "/北京");
    let s = screen_marked(&mut a, 120, 30);
    insta::assert_snapshot!("wide_search_beijing", s);
    // The first hit's highlight covers exactly 北京: four columns.
    let lines: Vec<&str> = s.lines().collect();
    let row = first_result(&lines);
    let mask = lines[row + 1];
    let at = annals::tui::widgets::text::width(&lines[row][..lines[row].find("北京").unwrap()]);
    assert_eq!(mask.find('^'), Some(at), "{s}");
    assert_eq!(mask.matches('^').count(), 4, "{s}");

    // Accent-folded: "cafe" matches "Cafe\u{301}" (five chars, four columns).
    keys(&mut a, "<Esc>/cafe de");
    let s = screen_marked(&mut a, 120, 30);
    insta::assert_snapshot!("wide_search_cafe", s);
    let lines: Vec<&str> = s.lines().collect();
    let row = first_result(&lines);
    // The accent is still drawn, on the highlighted e.
    let found = lines[row].find("Cafe\u{301}").expect("the accent is drawn");
    let at = annals::tui::widgets::text::width(&lines[row][..found]);
    assert_eq!(&lines[row + 1][at..at + 4], "^^^^", "{s}");
}

#[test]
fn quotes_with_wide_text_are_highlighted_in_their_article() {
    let mut a = wide_app();
    keys(&mut a, "jj3");
    let s = screen_marked(&mut a, 160, 24);
    insta::assert_snapshot!("wide_sources_quote", s);
    keys(&mut a, "<Enter>");
    let s = screen_marked(&mut a, 100, 24);
    insta::assert_snapshot!("wide_reader_quote", s);
    let lines: Vec<&str> = s.lines().collect();
    let row = lines
        .iter()
        .position(|l| l.contains("我们很高兴"))
        .expect("the quote");
    let at =
        annals::tui::widgets::text::width(&lines[row][..lines[row].find("我们很高兴").unwrap()]);
    assert_eq!(lines[row + 1].find('^'), Some(at), "{s}");
}

mod common;

/// Exports that fail (onto a directory, onto a full disk) leave the file
/// they would have replaced as it was; the explorer goes on, the dialog
/// says why and keeps the name, and the next export works.
#[test]
fn failed_exports_change_nothing_and_the_explorer_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app();
    a.export_dir = dir.path().to_path_buf();
    std::fs::create_dir(dir.path().join("taken")).unwrap();
    keys(&mut a, "jj");
    export_path(&mut a, "taken");
    let Overlay::Export(d) = &a.overlay else {
        panic!("the dialog closed on a failure")
    };
    assert_eq!(d.input.value(), "taken");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Export failed: is a directory"), "{s}");
    assert!(s.contains("Nothing was written"), "{s}");
    assert!(dir.path().join("taken").is_dir());

    // Typing clears the error; a good name then writes and closes.
    keys(&mut a, "<BS><BS><BS><BS><BS>ok.md");
    let Overlay::Export(d) = &a.overlay else {
        panic!()
    };
    assert!(d.error.is_none());
    assert_eq!(a.status, None, "the failure's status line is stale");
    keys(&mut a, "<Enter>");
    assert!(matches!(a.overlay, Overlay::None));
    // The whole path of what was written.
    let status = a.status.clone().unwrap();
    let full = std::path::absolute(a.export_dir.join("ok.md")).unwrap();
    assert!(
        status.starts_with(&format!("Wrote 38 events to {}", full.display())),
        "{status}"
    );
    assert!(a.check_invariants().is_ok());

    if let Some(fs) = common::TinyFs::mount(16) {
        let existing = fs.path().join("full.ron");
        std::fs::write(&existing, "precious").unwrap();
        a.export_dir = fs.path().to_path_buf();
        // ron of the whole store: far more than 16 KiB.
        keys(&mut a, "e<C-u>full.ron<Up><Up><Up><Enter>");
        let Overlay::Export(d) = &a.overlay else {
            panic!()
        };
        assert!(d.confirm_replace, "asks before replacing");
        keys(&mut a, "y");
        let s = screen(&mut a, 120, 40);
        assert!(s.contains("No space left on device"), "{s}");
        assert_eq!(std::fs::read_to_string(&existing).unwrap(), "precious");
        assert_eq!(common::names_in(fs.path()), ["full.ron"]);
        keys(&mut a, "<Esc>j");
        assert!(!a.quit && matches!(a.overlay, Overlay::None));
    }
}

#[test]
fn with_every_event_filtered_out_the_panes_say_no_event_is_selected() {
    let mut a = app();
    // (A date alone cannot empty it: open-ended dates such as
    // `[~2024-03-15..]` may fall in any later year.)
    keys(&mut a, ":actor bazoum<Enter>:from 2099-01-01<Enter>");
    assert!(a.visible.is_empty());
    let s = screen(&mut a, 160, 45);
    assert_eq!(s.matches("No event selected.").count(), 2, "{s}");
    assert!(s.contains("0 of 38 events"), "{s}");
    // Enter and the pane keys do nothing harmful with nothing selected.
    keys(&mut a, "2<Enter>j3<Enter>jk1<Enter> ");
    a.check_invariants().unwrap();
    keys(&mut a, "<BS>");
    assert_eq!(selected_id(&a), "coup");
    assert!(!screen(&mut a, 160, 45).contains("No event selected."));
}

#[test]
fn uncertain_and_approximate_dates_keep_the_title_column_and_markers_count_origins() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/evidence.ron"
    );
    let m = annals::load_path(std::path::Path::new(path)).unwrap();
    let mut a = App::inline(m);
    let mut t = Terminal::new(TestBackend::new(150, 30)).unwrap();
    t.draw(|f| view::draw(&mut a, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut title_cols = Vec::new();
    for &(y, i) in &a.areas.timeline_rows {
        let row: String = (0..150).map(|x| buf[(x, y)].symbol()).collect();
        let ev = a.model.event(a.visible[i]);
        let date = ev.date.to_string();
        let at_date = row.find(&date).unwrap_or_else(|| panic!("{date} in {row}"));
        let at_title = row.find(ev.title.as_str()).expect("title");
        assert!(
            at_title > at_date + date.len(),
            "date runs into title: {row}"
        );
        title_cols.push(row[..at_title].chars().count());
        let origins = a.model.event_origins(a.visible[i]);
        assert!(row.contains(&format!("[{origins}]")), "{row}");
    }
    assert_eq!(title_cols.len(), 6);
    assert!(
        title_cols.iter().all(|&c| c == title_cols[0]),
        "{title_cols:?}"
    );
    // Two sources, one origin: the wire and its copy.
    let announce = a.model.event_by_id("announce").unwrap();
    assert_eq!(a.model.source_count(announce), 2);
    assert_eq!(a.model.event_origins(announce), 1);
}

#[test]
fn search_box_says_no_match_and_flags_sponsored_results() {
    let mut a = app();
    keys(&mut a, "/zzqx");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("no match · edit the query, or Esc back"), "{s}");
    keys(&mut a, "<Esc>/restarts recon");
    let s = screen(&mut a, 120, 40);
    let line = s
        .lines()
        .find(|l| l.contains("U.S. Restarts Recon Missions"))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(line.contains("source $ "), "{line}");
}

#[test]
fn an_empty_date_range_is_refused_with_a_reason() {
    let mut a = app();
    keys(&mut a, ":from 2024-05<Enter>:to 2024-03<Enter>");
    assert_eq!(a.chips.len(), 1);
    assert!(matches!(a.chips[0], Chip::From(_)));
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("the range is empty: from 2024-05 is after to 2024-03"),
        "{s}"
    );
}

#[test]
fn a_paste_is_one_edit_and_one_search() {
    let mut a = app();
    keys(&mut a, "/");
    let before = match &a.overlay {
        Overlay::Search(sb) => sb.generation,
        _ => panic!("search not open"),
    };
    let pasted = "wagner\ngroup ".repeat(2_000);
    a.handle_event(&Event::Paste(pasted));
    let Overlay::Search(sb) = &a.overlay else {
        panic!("search closed")
    };
    assert_eq!(sb.generation, before + 1, "one search for the whole paste");
    assert!(sb.input.value().starts_with("wagner group wagner"));
    assert_eq!(sb.input.value().chars().count(), 10_000);
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Wagner Group"), "{s}");
    a.check_invariants().unwrap();
}

/// An event with 30,000 quotes and an actor with 100,000 relations draw
/// only what is on screen (the rest counted), wherever the cursor is.
#[test]
fn long_quote_and_relation_lists_draw_what_fits() {
    let n_quotes = 30_000;
    let n_rel = 100_000;
    let mut s = String::from(
        "(meta: (title: \"hub\"), sources: [(id: \"s\", outlet: \"O\", title: \"T\", text: \"Words here.\")], actors: [(id: \"hub\", name: \"Hub\", kind: \"k\"),\n",
    );
    for i in 0..n_rel {
        s.push_str(&format!("(id: \"a{i}\", name: \"A{i}\", kind: \"k\"),\n"));
    }
    s.push_str("], events: [(id: \"e\", date: \"2024\", title: \"Many quotes\", actors: [\"hub\"], evidence: [\n");
    for _ in 0..n_quotes {
        s.push_str("(source: \"s\", quote: \"Words\"),");
    }
    s.push_str("])], relations: [\n");
    for i in 0..n_rel {
        s.push_str(&format!(
            "(from: \"hub\", to: \"a{i}\", kind: \"knows\", evidence: [(source: \"s\", quote: \"Words\")]),\n"
        ));
    }
    s.push_str("])");
    let m = annals::load_str(&s, "hub.ron").unwrap();
    let mut a = App::inline(m);
    let screen_now = |a: &mut App| screen(a, 160, 45);
    // 200 relations shown (wrapped), then the count of the rest.
    let tall = screen(&mut a, 160, 600);
    assert!(tall.contains("… and 99800 more"), "{tall}");
    assert!(tall.contains("Hub → knows → A199"), "{tall}");
    assert!(!tall.contains("Hub → knows → A200 "), "{tall}");
    keys(&mut a, "3G");
    a.sources_cursor = n_quotes - 1;
    let shot = screen_now(&mut a);
    assert!(shot.contains("[30000]"), "{shot}");
    a.check_invariants().unwrap();
}

#[test]
fn a_long_export_name_scrolls_to_keep_the_cursor_in_view() {
    let mut a = app();
    keys(&mut a, "e");
    let long = format!("{}-end.md", "a".repeat(300));
    keys(&mut a, &long);
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| view::draw(&mut a, f)).unwrap();
    let s = t.backend().to_string();
    assert!(s.contains("a-end.md"), "{s}");
    let cursor = t.get_cursor_position().unwrap();
    assert!(cursor.x < 100 && s.lines().nth(cursor.y as usize + 1).is_some());
}

#[test]
fn a_filter_that_leaves_few_events_shows_them_all_from_the_top() {
    let mut a = app();
    keys(&mut a, "G:place airbase 101<Enter>");
    assert_eq!(a.visible.len(), 5);
    let s = screen(&mut a, 160, 45);
    for title in [
        "U.S. troops and equipment move",
        "Russian military personnel at Airbase",
    ] {
        assert!(s.contains(title), "{title}: {s}");
    }
    assert_eq!(a.timeline.top, 0);
}

/// A filter chip shows what was typed: tag characters (invisible ASCII)
/// and escapes in it are drawn visible, never sent raw.
#[test]
fn filter_chips_are_drawn_safe() {
    use ratatui::backend::CrosstermBackend;
    let mut a = App::inline(annals::load_builtin().unwrap());
    a.add_chip(annals::tui::app::Chip::Text(
        "x\u{e0041}\u{e0042}\u{1b}]0;pwned\u{7}".into(),
    ));
    let sink = Sink::default();
    let options = ratatui::TerminalOptions {
        viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 160, 40)),
    };
    let mut t = Terminal::with_options(CrosstermBackend::new(sink.clone()), options).unwrap();
    t.draw(|f| annals::tui::view::draw(&mut a, f)).unwrap();
    let text = String::from_utf8_lossy(&sink.0.borrow()).into_owned();
    assert!(text.contains("pwned"), "the chip is not drawn");
    assert!(
        !text.contains('\u{e0041}'),
        "a tag character reached the terminal"
    );
    assert!(
        !text.contains("\u{1b}]0;"),
        "an OSC sequence reached the terminal"
    );
}

/// Typed (not pasted) text is taken up to the input's bound, then said
/// to be full: each key's work stays bounded (100,000 typed characters
/// took 8 s, each one searching and copying all before it).
#[test]
fn typed_input_stops_at_its_bound_and_says_so() {
    use annals::tui::app::MAX_INPUT_CHARS;
    let mut a = App::inline(annals::load_builtin().unwrap());
    // The command line: the search box is bounded by the same check, but
    // searches at each key, which makes a slow test.
    keys(&mut a, ":");
    for _ in 0..MAX_INPUT_CHARS + 50 {
        a.handle_event(&Event::Key(KeyEvent::new(
            KeyCode::Char('w'),
            KeyModifiers::NONE,
        )));
    }
    let Overlay::Command(cl) = &a.overlay else {
        panic!("the command line closed");
    };
    assert_eq!(cl.input.value().chars().count(), MAX_INPUT_CHARS);
    assert!(a.status.as_deref().unwrap_or("").contains("At most"));
    // Pasted text is bounded the same way, however often it comes.
    a.handle_event(&Event::Paste("more".repeat(10)));
    let Overlay::Command(cl) = &a.overlay else {
        panic!("the command line closed");
    };
    assert_eq!(cl.input.value().chars().count(), MAX_INPUT_CHARS);
}

/// Years before 0000 and after 9999: headings as the dates write them,
/// `{`/`}` jump across year 0000, and the density strip stays small over
/// two million years.
#[test]
fn signed_years_in_headings_jumps_and_the_density_strip() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/ancient.ron"
    );
    let mut a =
        App::inline(annals::load_str(&std::fs::read_to_string(path).unwrap(), path).unwrap());
    let s = screen(&mut a, 100, 30);
    assert!(s.contains("── -3500 ─"), "{s}");
    assert!(s.contains("── -0044 March ─"), "{s}");
    assert!(s.contains("── 2021 ─"), "{s}");
    assert_eq!(selected_id(&a), "first-houses");
    keys(&mut a, "}}");
    assert_eq!(selected_id(&a), "fall");
    keys(&mut a, "}");
    assert_eq!(selected_id(&a), "new-hall");
    keys(&mut a, "{{");
    assert_eq!(selected_id(&a), "wall");

    let text = std::fs::read_to_string(path)
        .unwrap()
        .replace(r#"date: "~-3500""#, r#"date: "Y-999999""#)
        .replace(
            r#"date: "2021",
            end: "Y12000""#,
            r#"date: "Y999999""#,
        );
    let mut a = App::inline(annals::load_str(&text, "far.ron").unwrap());
    assert!(
        a.density.counts.len() <= 120_000,
        "{}",
        a.density.counts.len()
    );
    assert_eq!(a.density.counts.iter().sum::<u32>(), 5);
    let s = screen(&mut a, 100, 30);
    assert!(s.contains("Y-999999") && s.contains("Y999999"), "{s}");
}

/// `:disputes` lists every disagreement; Enter opens one in the conflict
/// view and Esc comes back to the list; `:disputed` keeps the `!` rows.
#[test]
fn disputes_list_opens_a_disagreement_and_disputed_filters() {
    let m = annals::load_path(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/bridge.ron"
    )))
    .unwrap();
    let mut a = App::inline(m);
    keys(&mut a, ":disputes<Enter>");
    assert!(matches!(a.overlay, Overlay::Disputes(_)));
    let s = screen(&mut a, 100, 24);
    assert!(s.contains("Disagreements (2)"), "{s}");
    assert!(s.contains("≈ cost of the bridge"), "{s}");
    assert!(s.contains("compatible"), "{s}");
    assert!(s.contains("! years to build"), "{s}");
    keys(&mut a, "j<Enter>");
    let Overlay::Conflict(v) = &a.overlay else {
        panic!("Enter did not open the conflict view");
    };
    assert_eq!(v.conflict, 1);
    let s = screen(&mut a, 100, 24);
    assert!(s.contains("they contradict each other"), "{s}");
    keys(&mut a, "<Esc>");
    assert!(matches!(a.overlay, Overlay::Disputes(_)));
    keys(&mut a, "<Esc>:disputed<Enter>");
    let s = screen(&mut a, 100, 24);
    assert!(
        s.contains("1 of 2 events  disputed") && !s.contains("disputed: disputed"),
        "{s}"
    );
    let ids: Vec<&str> = a
        .visible
        .iter()
        .map(|&e| a.model.event(e).id.as_str())
        .collect();
    assert_eq!(ids, ["works-begin"]);
}

/// Search finds claims by what is claimed and by their values; Enter on
/// one opens its disagreement at that value, over the event it is about.
#[test]
fn search_finds_a_claim_and_enter_opens_its_disagreement() {
    let m = annals::load_path(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/bridge.ron"
    )))
    .unwrap();
    let mut a = App::inline(m);
    keys(&mut a, "/over $100 million");
    let Overlay::Search(sb) = &a.overlay else {
        panic!("search closed")
    };
    let first = sb.hits.first().expect("a hit").target;
    assert!(
        matches!(first, annals::Target::Claim { claim: 1 }),
        "{first:?}"
    );
    let s = screen(&mut a, 120, 30);
    assert!(s.contains("cost of the bridge: over $100 million"), "{s}");
    keys(&mut a, "<Enter>");
    let Overlay::Conflict(v) = &a.overlay else {
        panic!("Enter did not open the disagreement")
    };
    assert_eq!((v.conflict, v.cursor), (0, 1));
    assert_eq!(selected_id(&a), "opening");
    // Words of what is claimed and of the value, together.
    keys(&mut a, "<Esc>/years 5");
    let Overlay::Search(sb) = &a.overlay else {
        panic!("search closed")
    };
    let first = sb.hits.first().expect("a hit").target;
    assert!(
        matches!(first, annals::Target::Claim { claim: 4 }),
        "{first:?}"
    );
}

/// With filters on, `:disputes` lists the disagreements about the events
/// shown, as `annals disputes` with the same filters does.
#[test]
fn disputes_list_follows_the_filters() {
    let m = annals::load_path(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/bridge.ron"
    )))
    .unwrap();
    let mut a = App::inline(m);
    keys(&mut a, ":text opens<Enter>:disputes<Enter>");
    let s = screen(&mut a, 100, 24);
    assert!(
        s.contains("Disagreements about the events shown (1 of 2)"),
        "{s}"
    );
    assert!(s.contains("cost of the bridge"), "{s}");
    assert!(!s.contains("years to build"), "{s}");
}
