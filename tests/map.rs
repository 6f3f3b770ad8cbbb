//! The map: places of the shown events, selection, filtering, sizes.

use annals::tui::App;
use annals::tui::app::{Chip, Pane};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| annals::tui::view::draw(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| {
            let l: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
            l.trim_end().to_string() + "\n"
        })
        .collect()
}

fn app() -> App {
    App::inline(annals::load_builtin().unwrap())
}

#[test]
fn m_shows_the_map_in_place_of_the_relationships_and_back() {
    let mut a = app();
    keys(&mut a, "m");
    assert!(a.map.on && a.focus == Pane::Relations);
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("2 Map") && !s.contains("2 Relationships"), "{s}");
    assert!(s.contains("places") && s.contains(" · j/k place"), "{s}");
    insta::assert_snapshot!("map_160x45", s);
    keys(&mut a, "++");
    insta::assert_snapshot!("map_120x36_zoomed", screen(&mut a, 120, 36));
    keys(&mut a, "m");
    assert!(!a.map.on);
    assert!(screen(&mut a, 160, 45).contains("2 Relationships"));
}

#[test]
fn choosing_a_place_and_enter_filters_the_timeline_to_it() {
    let mut a = app();
    keys(&mut a, "m");
    screen(&mut a, 160, 45);
    let spots = a.map_spots().to_vec();
    assert!(spots.len() > 3, "{}", spots.len());
    // The chosen place starts at the selected event's; j moves to the
    // next (they are in order of event count).
    let start = a.map.cursor;
    let first = a.model.event(a.selected_event().unwrap()).places.clone();
    assert!(
        first.contains(&spots[start].place)
            || a.model
                .place_ancestors(first[0])
                .contains(&spots[start].place),
        "the chosen place follows the selected event"
    );
    keys(&mut a, "j");
    let chosen = spots[(start + 1).min(spots.len() - 1)].clone();
    let s = screen(&mut a, 160, 45);
    let name = a.model.place(chosen.place).name.to_string();
    assert!(
        s.contains(&format!("{name} · {} event", chosen.events)),
        "{s}"
    );
    keys(&mut a, "\n");
    assert_eq!(a.chips, vec![Chip::Place(chosen.place)]);
    assert!(!a.visible.is_empty());
    assert!(a.check_invariants().is_ok());
    // The map then shows only the places of the filtered events.
    let after = a.map_spots().len();
    assert!(after <= spots.len());
}

#[test]
fn a_date_range_keeps_only_the_places_of_its_events() {
    let mut a = app();
    keys(&mut a, "m");
    let all = a.map_spots().len();
    a.run_command("from 2018").unwrap();
    a.run_command("to 2018").unwrap();
    let later: Vec<_> = a.map_spots().to_vec();
    assert!(later.len() < all, "{} of {all}", later.len());
    let expect = annals::tui::panes::map::spots(&a.model, &a.visible);
    assert_eq!(later, expect);
}

#[test]
fn places_without_coordinates_are_drawn_at_the_place_containing_them_as_areas() {
    let m = annals::load_builtin().unwrap();
    let home = m
        .places
        .iter()
        .position(|p| p.coordinates.is_none())
        .expect("a place without coordinates") as u32;
    let events = m.events_at_place(home);
    assert!(!events.is_empty());
    let spots = annals::tui::panes::map::spots(&m, &events);
    let within = m.place(home).within.unwrap();
    let s = spots
        .iter()
        .find(|s| s.place == within)
        .expect("drawn at the place containing it");
    assert!(!s.precise);
}

#[test]
fn a_click_selects_the_nearest_place_and_tiny_sizes_do_not_panic() {
    let mut a = app();
    keys(&mut a, "m");
    screen(&mut a, 160, 45);
    let (area, xb, yb) = a.map.drawn.unwrap();
    let target = a.map_spots()[2].clone();
    let fx = (target.lon - xb[0]) / (xb[1] - xb[0]);
    let fy = (yb[1] - target.lat) / (yb[1] - yb[0]);
    let column = area.x + (fx * f64::from(area.width)) as u16;
    let row = area.y + (fy * f64::from(area.height)) as u16;
    a.handle_event(&Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
    let cursor = a.map.cursor;
    let chosen = a.map_spots()[cursor].clone();
    let d = (chosen.lon - target.lon).abs() + (chosen.lat - target.lat).abs();
    assert!(
        d < (xb[1] - xb[0]) / 10.0,
        "clicked near {target:?}, got {chosen:?}"
    );
    for (w, h) in [(40, 10), (41, 12), (80, 24), (200, 50), (300, 80)] {
        screen(&mut a, w, h);
    }
    keys(&mut a, "HJKL----++++++++++++++++0");
    screen(&mut a, 80, 24);
}

#[test]
fn without_colour_the_map_uses_none() {
    let model = annals::load_builtin().unwrap();
    let searcher = annals::tui::searcher::Searcher::inline(&model);
    let mut a = App::new(
        std::sync::Arc::new(model),
        searcher,
        annals::tui::theme::Theme {
            color: false,
            light: false,
            ..Default::default()
        },
    );
    keys(&mut a, "m");
    let mut t = Terminal::new(TestBackend::new(160, 45)).unwrap();
    t.draw(|f| annals::tui::view::draw(&mut a, f)).unwrap();
    let (area, ..) = a.map.drawn.unwrap();
    let buf = t.backend().buffer();
    for y in area.y..area.y + area.height {
        for x in area.x..area.x + area.width {
            let c = &buf[(x, y)];
            assert!(
                c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset,
                "a colour at {x},{y}: {c:?}"
            );
        }
    }
}

/// geo_precision belongs to the event (said in its summary), not to the
/// place: an ACLED location is a location, drawn as a point, whatever
/// precision the first row naming it had (issue 26).
#[test]
fn an_acled_location_is_a_point_whatever_its_first_rows_precision() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/acled.csv"
    );
    let (store, _) = annals::import::import_path(
        annals::import::ImportFormat::Acled,
        std::path::Path::new(path),
        &annals::import::Options::default(),
    )
    .unwrap();
    let text = annals::import::ron(&store).unwrap();
    let m = annals::load_str(&text, "acled.ron").unwrap();
    let all: Vec<u32> = (0..m.events.len() as u32).collect();
    let spots = annals::tui::panes::map::spots(&m, &all);
    let lesk = spots
        .iter()
        .find(|s| m.place(s.place).name.as_str() == "Lesk")
        .expect("Lesk (geo_precision 2)");
    assert!(lesk.precise);
    assert_eq!(m.place(lesk.place).kind.as_str(), "location");
    let kovo = spots
        .iter()
        .find(|s| m.place(s.place).name.as_str() == "Kovo")
        .expect("Kovo (geo_precision 1)");
    assert!(kovo.precise);
}
