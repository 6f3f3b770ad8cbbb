//! Every width, every theme: the explorer at 80x24, 120x40 and 200x50,
//! dark and light, as text (layout) and as styled runs (colours).

use annals::tui::App;
use annals::tui::app::Chip;
use annals::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 50)];

fn app(light: bool) -> App {
    let model = annals::load_builtin().unwrap();
    let searcher = annals::tui::searcher::Searcher::inline(&model);
    let mut a = App::new(
        std::sync::Arc::new(model),
        searcher,
        Theme {
            color: true,
            light,
            ..Default::default()
        },
    );
    a.export_dir = std::env::temp_dir();
    a
}

/// Plain characters, or `<Enter>`, `<Esc>`, `<Down>`.
fn keys(app: &mut App, s: &str) {
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let (code, len) = match rest.find('>').filter(|_| c == '<') {
            Some(end) => (
                match &rest[1..end] {
                    "Enter" => KeyCode::Enter,
                    "Esc" => KeyCode::Esc,
                    "Down" => KeyCode::Down,
                    other => panic!("unknown key {other}"),
                },
                end + 1,
            ),
            None => (KeyCode::Char(c), c.len_utf8()),
        };
        app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        rest = &rest[len..];
    }
}

fn draw(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| annals::tui::view::draw(app, f)).unwrap();
    t.backend().buffer().clone()
}

fn text(app: &mut App, w: u16, h: u16) -> String {
    let buf = draw(app, w, h);
    (0..h)
        .map(|y| {
            let l: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
            l.trim_end().to_string() + "\n"
        })
        .collect()
}

/// Every run of one style: `fg bg modifiers: text`.
fn styled(app: &mut App, w: u16, h: u16) -> String {
    let buf = draw(app, w, h);
    let mut out = String::new();
    for y in 0..h {
        let mut run = String::new();
        let mut style = None;
        for x in 0..w {
            let c = &buf[(x, y)];
            let s = (c.fg, c.bg, c.modifier);
            if style != Some(s) {
                if let Some(p) = style.filter(|_| !run.trim().is_empty()) {
                    out.push_str(&format!("{:?} {:?} {:?}: {}\n", p.0, p.1, p.2, run.trim()));
                }
                run.clear();
                style = Some(s);
            }
            run.push_str(c.symbol());
        }
        if let Some(p) = style.filter(|_| !run.trim().is_empty()) {
            out.push_str(&format!("{:?} {:?} {:?}: {}\n", p.0, p.1, p.2, run.trim()));
        }
    }
    out
}

/// The screen `prepare` leads to: text at every size, styled runs at
/// 120x40 in both themes.
fn snapshots(name: &str, prepare: impl Fn(&mut App)) {
    for (w, h) in SIZES {
        let mut a = app(false);
        prepare(&mut a);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(&mut a, w, h));
    }
    for light in [false, true] {
        let mut a = app(light);
        prepare(&mut a);
        let theme = if light { "light" } else { "dark" };
        insta::assert_snapshot!(format!("{name}_{theme}"), styled(&mut a, 120, 40));
    }
}

/// The rows of the timeline pane that show `title` cut with `…`.
fn cut_titles(screen: &str, titles: &[String]) -> Vec<String> {
    titles
        .iter()
        .filter(|t| {
            !screen.contains(t.as_str()) && {
                let head: String = t.chars().take(20).collect();
                screen.contains(&head)
            }
        })
        .cloned()
        .collect()
}

fn titles(a: &App) -> Vec<String> {
    a.visible
        .iter()
        .map(|&e| a.model.event(e).title.to_string())
        .collect()
}

#[test]
fn timeline_at_every_size() {
    snapshots("timeline", |_| {});
}

#[test]
fn at_200_columns_titles_of_80_characters_are_whole() {
    let mut a = app(false);
    let s = text(&mut a, 200, 50);
    let short: Vec<String> = titles(&a)
        .into_iter()
        .filter(|t| t.chars().count() <= 80)
        .collect();
    let cut = cut_titles(&s, &short);
    assert!(cut.is_empty(), "titles cut at 200 columns: {cut:#?}\n{s}");
}

#[test]
fn z_widens_the_focused_pane_then_gives_it_the_screen() {
    let mut a = app(false);
    let before = text(&mut a, 120, 40);
    assert!(before.contains("2 Relationships") && before.contains("3 Sources"));
    let cut_before = cut_titles(&before, &titles(&a)).len();
    keys(&mut a, "z");
    let wide = text(&mut a, 120, 40);
    assert!(wide.contains("2 Relationships") && wide.contains("3 Sources"));
    let cut_wide = cut_titles(&wide, &titles(&a)).len();
    assert!(cut_wide < cut_before, "{cut_before} → {cut_wide}\n{wide}");
    keys(&mut a, "z");
    let full = text(&mut a, 120, 40);
    assert!(!full.contains("2 Relationships") && !full.contains("3 Sources"));
    assert!(
        full.lines().nth(1).unwrap().chars().count() == 120,
        "{full}"
    );
    keys(&mut a, "z");
    assert_eq!(
        a.status.take().as_deref(),
        Some("Panes share the width (z)")
    );
    assert_eq!(text(&mut a, 120, 40), before);
    // The relationships widened: every relation on one line.
    keys(&mut a, "2z");
    let rel = text(&mut a, 120, 40);
    assert!(
        rel.contains("U.S. military → trains → Nigerien armed forces  (until"),
        "{rel}"
    );
}

#[test]
fn each_heading_once_and_months_not_known_grouped() {
    let mut a = app(false);
    let s = text(&mut a, 200, 50);
    let headings: Vec<&str> = s
        .lines()
        .filter_map(|l| l.strip_prefix("│── "))
        .map(|l| l.split(" ─").next().unwrap())
        .collect();
    let mut seen = headings.clone();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len(),
        headings.len(),
        "a heading repeated: {headings:?}"
    );
    assert!(headings.contains(&"2023, month not known"), "{headings:?}");
}

/// Four filters of three kinds.
fn filtered(a: &mut App) {
    let m = &a.model;
    let chips = [
        Chip::Place(annals::filter::resolve_place(m, "air-base-101").unwrap()),
        Chip::Place(annals::filter::resolve_place(m, "niamey").unwrap()),
        Chip::Actor(annals::filter::resolve_actor(m, "russia").unwrap()),
        Chip::Text("troops".into()),
    ];
    for c in chips {
        a.add_chip(c);
    }
}

#[test]
fn header_with_filters_at_every_size() {
    snapshots("header", filtered);
}

#[test]
fn the_header_keeps_the_title_and_count_and_cuts_chips_first() {
    for (w, h) in SIZES {
        let mut a = app(false);
        filtered(&mut a);
        let s = text(&mut a, w, h);
        let header = s.lines().next().unwrap();
        let count = format!("{} of 38 events", a.visible.len());
        assert!(
            header.contains("U.S. withdrawal from Niger, 2023-2024") && header.contains(&count),
            "{w}: {header}"
        );
        assert!(
            header.contains("place: Air Base 101 or Niamey") || header.ends_with('…'),
            "{w}: {header}"
        );
    }
}

fn searched(a: &mut App) {
    keys(a, "/airbase 101");
}

#[test]
fn search_results_at_every_size() {
    snapshots("search", searched);
}

#[test]
fn every_search_result_names_what_it_is_at_80_columns() {
    let mut a = app(false);
    searched(&mut a);
    results_are_named(&mut a);
    // A title whose match lies past the cut still starts at its start.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/panama.ron"
    );
    let mut a = App::inline(annals::load_path(std::path::Path::new(path)).unwrap());
    keys(&mut a, "/canal");
    results_are_named(&mut a);
}

fn results_are_named(a: &mut App) {
    let s = text(a, 80, 24);
    let annals::tui::app::Overlay::Search(sb) = &a.overlay else {
        panic!("search not open");
    };
    assert!(sb.hits.len() > 5);
    let rows: Vec<&str> = s
        .lines()
        .skip_while(|l| !l.contains("results ·"))
        .skip(1)
        .take_while(|l| !l.contains('└'))
        .collect();
    for (hit, row) in sb.hits.iter().zip(&rows) {
        let label = hit.target.label(&a.model);
        let head: String = label.chars().take(12).collect();
        assert!(row.contains(&head), "{label:?} not named in {row:?}\n{s}");
    }
}

/// The problems of a store that does not load, listed.
fn broken(a: &mut App) {
    let text = include_str!("fixtures/invalid/unknown_reference.ron");
    let err = annals::load_str(text, "unknown_reference.ron").unwrap_err();
    a.show_problems(err);
}

#[test]
fn problems_at_every_size() {
    snapshots("problems", broken);
}

#[test]
fn problems_wrap_at_80_columns_rather_than_cut() {
    let mut a = app(false);
    broken(&mut a);
    let s = text(&mut a, 80, 24);
    assert!(!s.contains('…'), "{s}");
    assert!(s.contains("Esc or q close"), "{s}");
}

#[test]
fn help_wraps_at_80_columns_and_lists_the_export_keys() {
    let mut a = app(false);
    keys(&mut a, "?");
    // The top of help and its end: the export keys are among the last.
    let mut s = text(&mut a, 80, 200);
    keys(&mut a, "G");
    s.push_str(&text(&mut a, 80, 200));
    for words in [
        "saving reloads it",
        "Ctrl-U",
        "clear the file name",
        "next, previous format",
    ] {
        assert!(s.contains(words), "{words:?} not in\n{s}");
    }
}

/// Details of the first event whose date is open at its end (`[X..]`).
fn open_dated_details(a: &mut App) {
    let i = a
        .visible
        .iter()
        .position(|&e| a.model.event(e).when().ends_with("..]"))
        .expect("an event dated on or after");
    keys(a, &"j".repeat(i));
    keys(a, "i");
}

#[test]
fn details_at_every_size() {
    snapshots("details", open_dated_details);
}

#[test]
fn details_word_an_open_date_as_the_exports_do() {
    let mut a = app(false);
    open_dated_details(&mut a);
    let s = text(&mut a, 120, 40);
    assert!(s.contains("(on or after c. March 2024)"), "{s}");
    assert!(!s.contains("(between)"), "{s}");
}

#[test]
fn an_actors_relations_over_time_in_date_order_and_in_line() {
    let mut a = app(false);
    keys(&mut a, "2i");
    let s = text(&mut a, 120, 40);
    let rows: Vec<&str> = s
        .lines()
        .skip_while(|l| !l.contains("Relations over time"))
        .skip(1)
        .take_while(|l| l.contains('→'))
        .collect();
    assert!(rows.len() >= 3, "{s}");
    // Where the relation starts after its date (`since X`, `A – B`,
    // `until X`, `undated`), in display columns.
    let name_at: Vec<usize> = rows
        .iter()
        .map(|l| {
            let start = l
                .match_indices("│  ")
                .map(|(i, _)| i)
                .find(|&i| !l[i + "│  ".len()..].starts_with(' '))
                .unwrap();
            let inner = &l[start..];
            let words = inner.split_whitespace().skip(1);
            let date_words = match inner.split_whitespace().nth(1).unwrap() {
                "since" | "until" => 2,
                "undated" => 1,
                _ => 3,
            };
            let first = words.clone().nth(date_words).unwrap();
            let mut at = 0;
            for (i, w) in inner.split(' ').enumerate() {
                if i > 0 && w == first {
                    break;
                }
                at += w.len() + 1;
            }
            annals::tui::widgets::text::width(&l[..start + at])
        })
        .collect();
    assert!(
        name_at.windows(2).all(|w| w[0] == w[1]),
        "names not in line: {rows:#?}"
    );
    // Years in the order written: each row's first year no earlier than the last.
    let year = |l: &str| {
        l.split(|c: char| !c.is_ascii_digit())
            .find(|t| t.len() == 4)
            .map(|t| t.parse::<i32>().unwrap())
    };
    let years: Vec<i32> = rows.iter().filter_map(|l| year(l)).collect();
    assert!(years.windows(2).all(|w| w[0] <= w[1]), "{rows:#?}");
}

#[test]
fn the_reader_at_80_columns_hides_the_pane_behind() {
    let mut a = app(false);
    keys(&mut a, "<Enter>");
    let s = text(&mut a, 80, 24);
    for l in s.lines().skip(3).take(15) {
        assert!(
            l.starts_with("  ") || l.is_empty(),
            "the pane shows beside the reader: {l:?}\n{s}"
        );
    }
}

fn mapped(a: &mut App) {
    keys(a, "m");
}

#[test]
fn map_at_every_size() {
    snapshots("map", mapped);
}

#[test]
fn the_map_counts_a_city_with_the_places_within_it_as_its_filter_does() {
    let mut a = app(false);
    mapped(&mut a);
    let s = text(&mut a, 80, 24);
    let model = std::sync::Arc::clone(&a.model);
    let niamey = a
        .map_spots()
        .iter()
        .position(|s| model.place(s.place).name.as_str() == "Niamey")
        .expect("Niamey on the map");
    let counted = a.map_spots()[niamey].events as usize;
    keys(&mut a, &format!("g{}", "j".repeat(niamey)));
    keys(&mut a, "<Enter>");
    assert_eq!(counted, a.visible.len(), "{s}");
    assert!(counted > 1);
}

#[test]
fn the_map_at_80x24_names_its_busiest_places_and_frames_the_sahel() {
    let mut a = app(false);
    mapped(&mut a);
    let s = text(&mut a, 80, 24);
    assert!(s.contains("Niamey") && s.contains("Air Base 201"), "{s}");
    assert!(s.contains("off the map"), "{s}");
}
