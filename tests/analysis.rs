//! The explorer for analysis: details, periods, relations as of a date,
//! conflicts you can select and read, source filters, overlays that follow
//! convention, copying with citations, and themes for light and dark
//! terminals. Driven through the explorer's own key handling.

use annals::Model;
use annals::filter::resolve_actor;
use annals::tui::App;
use annals::tui::app::{Overlay, Pane};
use annals::tui::theme::Theme;
use annals::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

fn app_on(model: Model) -> App {
    let mut a = App::inline(model);
    a.export_dir = std::env::temp_dir();
    a
}

fn niger() -> App {
    app_on(annals::load_builtin().unwrap())
}

fn panama() -> App {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/panama.ron"
    );
    app_on(annals::load_path(std::path::Path::new(path)).unwrap())
}

/// Plain characters, or `<Enter>`, `<Esc>`, `<Up>`, `<Down>`, `<PgDn>`, `<C-c>`.
fn keys(app: &mut App, s: &str) {
    let mut rest = s;
    while !rest.is_empty() {
        let (code, mods, len) = if rest.starts_with('<') && rest.contains('>') {
            let end = rest.find('>').unwrap();
            let code = match &rest[1..end] {
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Up" => KeyCode::Up,
                "Down" => KeyCode::Down,
                "PgDn" => KeyCode::PageDown,
                "Tab" => KeyCode::Tab,
                "C-c" => KeyCode::Char('c'),
                other => panic!("unknown key {other}"),
            };
            let mods = if &rest[1..end] == "C-c" {
                KeyModifiers::CONTROL
            } else {
                KeyModifiers::NONE
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

fn draw(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(app, f)).unwrap();
    t.backend().buffer().clone()
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let buf = draw(app, w, h);
    let mut out = String::new();
    for y in 0..h {
        let line: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Selects the event with this id in the timeline.
fn select(a: &mut App, id: &str) {
    let e = a.model.event_by_id(id).unwrap();
    a.select_event(e);
}

/// The id of an event with conflicts, and one of them.
fn an_event_with_conflicts(a: &App) -> String {
    (0..a.model.events.len() as u32)
        .find(|&e| !a.model.conflicts_of_event(e).is_empty())
        .map(|e| a.model.event(e).id.to_string())
        .unwrap()
}

#[test]
fn details_show_summary_tags_places_actors_and_origins_and_q_closes_them() {
    let mut a = niger();
    let e = (0..a.model.events.len() as u32)
        .find(|&e| {
            let ev = a.model.event(e);
            ev.summary.is_some() && !ev.tags.is_empty()
        })
        .unwrap();
    a.select_event(e);
    keys(&mut a, "i");
    assert!(matches!(a.overlay, Overlay::Details(_)));
    let s = screen(&mut a, 120, 60).replace(['│', '\n'], " ");
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let ev = a.model.event(e);
    let first_words: String = ev
        .summary
        .as_ref()
        .unwrap()
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        s.contains(&first_words),
        "summary missing: {first_words}\n{s}"
    );
    assert!(
        s.contains(a.model.tags[ev.tags[0] as usize].as_str()),
        "{s}"
    );
    assert!(s.contains("independent origin"), "{s}");
    let actor = a.model.actor(ev.actors[0]);
    assert!(
        s.contains(actor.name.as_str()) && s.contains(actor.kind.as_str()),
        "{s}"
    );
    keys(&mut a, "q");
    assert!(!a.quit, "q in a view closes it, not the program");
    assert!(matches!(a.overlay, Overlay::None));
}

#[test]
fn a_period_shows_its_end_in_rows_details_and_the_relations_heading() {
    let mut a = panama();
    let e = (0..a.model.events.len() as u32)
        .find(|&e| a.model.event(e).end.is_some())
        .unwrap();
    a.select_event(e);
    let ev = a.model.event(e).clone();
    let s = screen(&mut a, 200, 50);
    assert!(
        s.contains(&format!("{} → {}", ev.date, ev.end.unwrap())),
        "{s}"
    );
    assert!(s.contains("Relations during"), "{s}");
}

#[test]
fn at_shows_relations_as_they_stood_on_any_date_and_marks_undated_ones() {
    let mut a = niger();
    let junta = resolve_actor(&a.model, "niger junta").unwrap();
    let e = *a.model.events_of_actor(junta).last().unwrap();
    a.select_event(e);
    keys(&mut a, ":at 2024-04-01<Enter>");
    assert_eq!(a.relations_at.unwrap().to_string(), "2024-04-01");
    let later = screen(&mut a, 200, 50);
    assert!(later.contains("Relations on 2024-04-01"), "{later}");
    keys(&mut a, ":at 2023-06-01<Enter>");
    let earlier = screen(&mut a, 200, 50);
    assert!(earlier.contains("Relations on 2023-06-01"), "{earlier}");
    assert_ne!(
        later.replace("2024-04-01", ""),
        earlier.replace("2023-06-01", ""),
        "the relations listed depend on the date"
    );
    keys(&mut a, ":at<Enter>");
    assert!(a.relations_at.is_none());
}

#[test]
fn an_actor_view_lists_relations_over_time_with_undated_ones_marked() {
    let mut a = niger();
    let usm = resolve_actor(&a.model, "U.S. military").unwrap();
    let e = a.model.events_of_actor(usm)[0];
    a.select_event(e);
    let pos = a
        .model
        .event(e)
        .actors
        .iter()
        .position(|&x| x == usm)
        .unwrap();
    keys(&mut a, "2");
    for _ in 0..pos {
        keys(&mut a, "j");
    }
    keys(&mut a, "i");
    let s = screen(&mut a, 160, 60);
    assert!(s.contains("Relations over time"), "{s}");
    let undated = a.model.relations_of_actor(usm).iter().any(|&r| {
        a.model.relations[r as usize].since.is_none()
            && a.model.relations[r as usize].until.is_none()
    });
    assert!(undated, "the store has an undated relation for this actor");
    assert!(s.contains("undated"), "{s}");
}

#[test]
fn a_conflict_is_selectable_lists_every_value_and_enter_reads_a_quote() {
    let mut a = niger();
    let id = an_event_with_conflicts(&a);
    select(&mut a, &id);
    let e = a.selected_event().unwrap();
    let c = a.model.conflicts_of_event(e)[0];
    keys(&mut a, "3G");
    assert_eq!(
        a.selected_conflict(),
        a.model.conflicts_of_event(e).last().copied()
    );
    keys(&mut a, "g");
    for _ in 0..a.model.event(e).evidence.len() {
        keys(&mut a, "j");
    }
    assert_eq!(a.selected_conflict(), Some(c));
    keys(&mut a, "<Enter>");
    assert!(matches!(a.overlay, Overlay::Conflict(_)));
    let s = screen(&mut a, 160, 60);
    for &cl in &a.model.conflicts[c as usize].claims {
        let value = &a.model.claims[cl as usize].value;
        let head: String = value.chars().take(20).collect();
        assert!(s.contains(&head), "value {value:?} missing\n{s}");
    }
    assert!(s.contains("independent origin"), "{s}");
    keys(&mut a, "<Enter>");
    assert!(matches!(a.overlay, Overlay::Reader(_)));
    keys(&mut a, "<Esc>");
    assert!(
        matches!(a.overlay, Overlay::Conflict(_)),
        "back to the conflict"
    );
    keys(&mut a, "q");
    assert!(matches!(a.overlay, Overlay::None) && !a.quit);
}

#[test]
fn the_selected_rows_disputed_claims_are_named_under_the_timeline() {
    let mut a = niger();
    let id = an_event_with_conflicts(&a);
    select(&mut a, &id);
    let e = a.selected_event().unwrap();
    let c = a.model.conflicts_of_event(e)[0];
    let attr = a.model.conflicts[c as usize].attribute.to_string();
    let s = screen(&mut a, 160, 45);
    assert!(s.contains(&format!("! disputed: {attr}")), "{s}");
}

#[test]
fn only_sponsored_kind_and_same_kind_chips_widen() {
    let mut a = niger();
    keys(&mut a, ":only sponsored<Enter>");
    let expect: Vec<u32> = (0..a.model.events.len() as u32)
        .filter(|&e| a.model.rests_on_sponsored(e))
        .collect();
    assert!(!expect.is_empty());
    assert_eq!(a.visible, expect);
    keys(&mut a, "X:actor russia<Enter>");
    let one = a.visible.clone();
    keys(&mut a, ":actor niger junta<Enter>");
    assert!(a.visible.len() > one.len(), "a second actor widens");
    assert!(one.iter().all(|e| a.visible.contains(e)));
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("actor: Russia or Niger junta"), "{s}");
    keys(&mut a, ":kind sponsored<Enter>");
    let s = screen(&mut a, 160, 45);
    assert!(s.contains("and  source kind: sponsored"), "{s}");
    assert!(a.visible.iter().all(|&e| {
        a.model
            .event(e)
            .evidence
            .iter()
            .any(|q| a.model.source(q.source).is_sponsored())
    }));
}

#[test]
fn a_text_filter_narrows_the_timeline() {
    let mut a = niger();
    keys(&mut a, ":text drones<Enter>");
    assert!(!a.visible.is_empty() && a.visible.len() < a.model.events.len());
    keys(&mut a, ":text zzzqqq<Enter>");
    assert!(a.visible.is_empty());
}

#[test]
fn help_scrolls_to_its_last_key_at_80x24() {
    let mut a = niger();
    keys(&mut a, "?");
    let s = screen(&mut a, 80, 24);
    let last = annals::tui::keys::table::KEYS.last().unwrap().what;
    assert!(!s.contains(last), "fits without scrolling? {s}");
    keys(&mut a, "G");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains(last), "{s}");
    keys(&mut a, "<Esc>");
    assert!(matches!(a.overlay, Overlay::None));
}

#[test]
fn paging_keys_act_on_the_focused_pane() {
    let mut a = niger();
    let id = an_event_with_conflicts(&a);
    select(&mut a, &id);
    let cursor = a.timeline.cursor;
    keys(&mut a, "3<PgDn>G");
    assert_eq!(a.timeline.cursor, cursor, "the timeline did not move");
    assert!(a.sources_cursor > 0);
    keys(&mut a, "g");
    assert_eq!(a.sources_cursor, 0);
}

#[test]
fn q_closes_the_reader_and_ctrl_c_quits_from_anywhere() {
    let mut a = niger();
    keys(&mut a, "<Enter>");
    assert!(matches!(a.overlay, Overlay::Reader(_)));
    keys(&mut a, "q");
    assert!(!a.quit && matches!(a.overlay, Overlay::None));
    keys(&mut a, "<Enter>?<C-c>");
    assert!(a.quit);
}

#[test]
fn slash_in_the_reader_finds_words_and_n_moves_over_them() {
    let mut a = niger();
    keys(&mut a, "<Enter>");
    screen(&mut a, 120, 40);
    keys(&mut a, "/niger<Enter>");
    let Overlay::Reader(r) = &a.overlay else {
        panic!("reader closed")
    };
    let f = r.find.as_ref().expect("a find");
    assert!(f.matches.len() > 1, "{}", f.matches.len());
    let text = &a.model.source(r.source).text;
    assert!(
        f.matches
            .iter()
            .all(|m| text[m.clone()].eq_ignore_ascii_case("niger"))
    );
    let at = f.current;
    keys(&mut a, "n");
    let Overlay::Reader(r) = &a.overlay else {
        panic!()
    };
    assert_eq!(
        r.find.as_ref().unwrap().current,
        (at + 1) % r.find.as_ref().unwrap().matches.len()
    );
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("match "), "{s}");
    keys(&mut a, "<Esc>");
    let Overlay::Reader(r) = &a.overlay else {
        panic!("Esc ends the find first")
    };
    assert!(r.find.is_none());
}

#[test]
fn y_copies_the_quote_with_its_citation_and_capital_y_the_event() {
    let mut a = niger();
    keys(&mut a, "3y");
    let e = a.selected_event().unwrap();
    let q = &a.model.event(e).evidence[0];
    let s = a.model.source(q.source);
    let copied = a.to_copy.take().unwrap();
    assert!(
        copied.starts_with(&format!("“{}” — {}", q.text, s.outlet)),
        "{copied}"
    );
    assert!(copied.contains(s.title.as_str()), "{copied}");
    if let Some(url) = &s.url {
        assert!(copied.contains(url.as_str()));
    }
    assert!(a.status.as_deref().unwrap().starts_with("Copied the quote"));
    keys(&mut a, "Y");
    let copied = a.to_copy.take().unwrap();
    assert!(
        copied.starts_with(&format!("- **{}** ", a.model.event(e).when())),
        "{copied}"
    );
    let osc = annals::tui::copy::osc52("hi");
    assert_eq!(osc, "\x1b]52;c;aGk=\x07");
}

#[test]
fn the_key_bar_keeps_help_and_quit_at_80_columns() {
    let mut a = niger();
    for pane in ["1", "2", "3"] {
        keys(&mut a, pane);
        let s = screen(&mut a, 80, 24);
        let bar = s.lines().nth(23).unwrap();
        assert!(bar.contains("? help") && bar.contains("q quit"), "{bar}");
    }
}

#[test]
fn a_long_status_is_wrapped_not_cut() {
    let mut a = niger();
    keys(&mut a, ":actor zzzz nothing like it at all<Enter><Esc>");
    let long = "x".repeat(70) + " " + &"y".repeat(70) + " the end of it";
    a.status = Some(long);
    let s = screen(&mut a, 100, 30);
    assert!(s.contains("the end of it"), "{s}");
}

/// The styles of every cell that shows part of a quote in the reader.
fn quote_cells(a: &mut App) -> Vec<(Color, Color)> {
    let buf = draw(a, 120, 40);
    buf.content()
        .iter()
        .filter(|c| c.modifier.contains(ratatui::style::Modifier::UNDERLINED))
        .map(|c| (c.fg, c.bg))
        .collect()
}

#[test]
fn light_and_dark_themes_keep_highlights_readable() {
    let model = annals::load_builtin().unwrap();
    let searcher = annals::tui::searcher::Searcher::inline(&model);
    let mut light = App::new(
        std::sync::Arc::new(model),
        searcher,
        Theme {
            color: true,
            light: true,
            ..Default::default()
        },
    );
    keys(&mut light, "<Enter>");
    let cells = quote_cells(&mut light);
    assert!(!cells.is_empty());
    // Yellow or white text on a white background cannot be read.
    assert!(
        cells
            .iter()
            .all(|&(fg, _)| !matches!(fg, Color::Yellow | Color::White | Color::LightYellow)),
        "{cells:?}"
    );
    // The current quote sets both colours, dark on light.
    assert!(
        cells.contains(&(Color::Black, Color::LightYellow)),
        "{cells:?}"
    );
    let mut dark = niger();
    keys(&mut dark, "<Enter>");
    let buf = draw(&mut dark, 120, 40);
    // Colour 8 is the background of some dark palettes (Solarized Dark).
    assert!(buf.content().iter().all(|c| c.fg != Color::DarkGray));
    assert!(quote_cells(&mut dark).contains(&(Color::Black, Color::Yellow)));
    assert_eq!(Theme::parse_name("Light"), Ok(true));
    assert!(Theme::parse_name("sepia").is_err());
}

#[test]
fn details_and_conflicts_fit_every_layout_without_panic() {
    let mut a = niger();
    let id = an_event_with_conflicts(&a);
    select(&mut a, &id);
    for (w, h) in [(80, 24), (120, 40), (200, 50), (40, 10), (41, 11)] {
        for k in ["i", "3G<Enter>", "3G<Enter><Enter>", "?G", "2i"] {
            keys(&mut a, k);
            screen(&mut a, w, h);
            keys(&mut a, "<Esc><Esc><Esc>1");
        }
    }
    assert!(!a.quit);
    let _ = Pane::Timeline;
}

#[test]
fn at_a_date_an_uncertain_start_says_may_hold() {
    let mut a = niger();
    let junta = resolve_actor(&a.model, "niger junta").unwrap();
    let e = *a.model.events_of_actor(junta).last().unwrap();
    a.select_event(e);
    keys(&mut a, ":at 2023-06-01<Enter>");
    let day = annals::PartialDate::parse("2023-06-01").unwrap();
    let days = annals::evidence::date::DaySpan {
        first: day.first_day(),
        last: day.last_day(),
    };
    let uncertain = a
        .model
        .relations_of_actor(junta)
        .iter()
        .map(|&r| &a.model.relations[r as usize])
        .find(|r| r.days().overlaps(&days) && !annals::tui::panes::relations::surely_held(r, days))
        .expect("a relation that may or may not have held then")
        .clone();
    let line = annals::tui::panes::relations::relation_line(&a.model, &uncertain, days);
    assert!(line.ends_with(" · may hold"), "{line}");
    let s = screen(&mut a, 200, 60);
    assert!(s.contains("may hold"), "{s}");
    // A relation surely holding then says nothing of the kind.
    let sure = a
        .model
        .relations
        .iter()
        .find(|r| r.since.is_some() && annals::tui::panes::relations::surely_held(r, days))
        .expect("a relation surely holding");
    let line = annals::tui::panes::relations::relation_line(&a.model, sure, days);
    assert!(!line.contains("may hold"), "{line}");
}

#[test]
fn conflict_names_do_not_repeat_their_subject_and_y_copies_a_conflict() {
    let mut a = niger();
    for c in 0..a.model.conflicts.len() as u32 {
        let name = annals::tui::overlays::conflict::conflict_name(&a.model, c);
        let subject = a
            .model
            .subject_name(a.model.conflicts[c as usize].subject)
            .to_string();
        assert!(name.matches(subject.as_str()).count() <= 1, "{name}");
    }
    let id = an_event_with_conflicts(&a);
    select(&mut a, &id);
    keys(&mut a, "3Gy");
    let copied = a.to_copy.take().expect("copied");
    let c = a.selected_conflict().unwrap();
    assert!(copied.starts_with("Sources disagree on "), "{copied}");
    for &cl in &a.model.conflicts[c as usize].claims {
        assert!(
            copied.contains(a.model.claims[cl as usize].value.as_str()),
            "{copied}"
        );
    }
}

#[test]
fn a_find_lands_on_the_first_match_in_view() {
    let mut a = niger();
    keys(&mut a, "<Enter>");
    screen(&mut a, 120, 40);
    keys(&mut a, "g");
    screen(&mut a, 120, 40);
    keys(&mut a, "/niger<Enter>");
    let Overlay::Reader(r) = &a.overlay else {
        panic!("reader closed")
    };
    assert_eq!(
        r.find.as_ref().unwrap().current,
        0,
        "from the top, the first match"
    );
}

/// The reader's styled cells, both themes: a snapshot of what each colour
/// choice draws (text, then every run of one style).
fn styled(a: &mut App, w: u16, h: u16) -> String {
    let buf = draw(a, w, h);
    let mut out = String::new();
    for y in 0..h {
        let mut run = String::new();
        let mut style = None;
        for x in 0..w {
            let c = &buf[(x, y)];
            let s = (c.fg, c.bg, c.modifier);
            if style != Some(s) {
                if !run.trim().is_empty() {
                    out.push_str(&format!(
                        "{:?} {:?} {:?}: {}\n",
                        style.unwrap().0,
                        style.unwrap().1,
                        style.unwrap().2,
                        run.trim()
                    ));
                }
                run.clear();
                style = Some(s);
            }
            run.push_str(c.symbol());
        }
        if !run.trim().is_empty() {
            let s = style.unwrap();
            out.push_str(&format!("{:?} {:?} {:?}: {}\n", s.0, s.1, s.2, run.trim()));
        }
    }
    out
}

#[test]
fn reader_styles_in_light_and_dark_themes() {
    for light in [false, true] {
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
        keys(&mut a, "<Enter>");
        let name = if light {
            "reader_styles_light"
        } else {
            "reader_styles_dark"
        };
        insta::assert_snapshot!(name, styled(&mut a, 90, 30));
    }
}

#[test]
fn a_key_typed_before_an_overlay_is_drawn_still_counts() {
    let mut a = niger();
    keys(&mut a, "iG");
    let s = screen(&mut a, 80, 24);
    assert!(
        s.contains("lines ") && !s.contains("lines 1–"),
        "G went to the end:\n{s}"
    );
}
