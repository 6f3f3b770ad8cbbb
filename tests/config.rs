//! The settings file: parsing, its problems, the default file, the path
//! override through the real binary, and keys it rebinds in the explorer.

use annals::config::{self, Action, Bindings, Key, Paint, StyleName};
use annals::tui::App;
use annals::tui::keys::keymap::Keymap;
use annals::tui::settings::Settings;
use annals::tui::theme::Theme;
use annals::tui::view;
use assert_cmd::Command;
use predicates::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};

fn parse_ok(text: &str) -> config::Config {
    let (c, problems) = config::parse(text);
    assert_eq!(problems, vec![], "{text}");
    c
}

fn keys_of(c: &config::Config, a: Action) -> Vec<String> {
    c.keys.keys(a).iter().map(|k| k.label()).collect()
}

/// (line, column, message) of each problem.
fn problems(text: &str) -> (config::Config, Vec<(usize, usize, String)>) {
    let (c, p) = config::parse(text);
    (
        c,
        p.into_iter()
            .map(|p| (p.line, p.column, p.message))
            .collect(),
    )
}

#[test]
fn an_empty_file_is_the_defaults() {
    for text in ["", "# nothing\n", "[colors]\n[keys]\n"] {
        assert_eq!(parse_ok(text), config::Config::default());
    }
    let d = config::Config::default();
    assert_eq!(d.light, None);
    assert_eq!(keys_of(&d, Action::NextMonth), ["]"]);
    assert_eq!(keys_of(&d, Action::Down), ["j", "↓"]);
    assert_eq!(keys_of(&d, Action::Mark), ["Space"]);
}

#[test]
fn each_setting_is_read() {
    let c = parse_ok(
        r##"
theme = "light"
[colors]
highlight = "magenta"
current_quote = "black on #ffcc00"
date = "214"
[keys]
next_month = ["]", "n"]
prev_month = "p"
down = ["j", "Down", "Ctrl-n"]
quit = []
help = "F1"
"##,
    );
    assert_eq!(c.light, Some(true));
    assert_eq!(
        c.colors.get(StyleName::Highlight),
        Some(Paint {
            fg: Color::Magenta,
            bg: None
        })
    );
    assert_eq!(
        c.colors.get(StyleName::CurrentQuote),
        Some(Paint {
            fg: Color::Black,
            bg: Some(Color::Rgb(0xff, 0xcc, 0))
        })
    );
    assert_eq!(
        c.colors.get(StyleName::Date).map(|p| p.fg),
        Some(Color::Indexed(214))
    );
    assert_eq!(c.colors.get(StyleName::Heading), None);
    assert_eq!(keys_of(&c, Action::NextMonth), ["]", "n"]);
    assert_eq!(keys_of(&c, Action::PrevMonth), ["p"]);
    assert_eq!(keys_of(&c, Action::Down), ["j", "↓", "Ctrl-n"]);
    assert_eq!(keys_of(&c, Action::Quit), Vec::<String>::new());
    assert_eq!(keys_of(&c, Action::Help), ["F1"]);
    // What the file leaves out keeps its default.
    assert_eq!(keys_of(&c, Action::Up), ["k", "↑"]);
    assert_eq!(parse_ok("theme = \"dark\"").light, Some(false));
}

#[test]
fn unknown_settings_are_errors_at_their_place_and_the_rest_is_read() {
    let (c, p) = problems(
        "theme = \"light\"\ncolour = 3\n[colors]\nhighlite = \"red\"\n[keys]\nnext_mont = \"n\"\nprev_month = \"p\"\n",
    );
    assert_eq!(p.len(), 3, "{p:?}");
    assert_eq!((p[0].0, p[0].1), (2, 1));
    assert!(p[0].2.contains("unknown setting \"colour\""), "{}", p[0].2);
    assert!(p[0].2.contains("did you mean \"colors\""), "{}", p[0].2);
    assert_eq!((p[1].0, p[1].1), (4, 1));
    assert!(p[1].2.contains("\"highlight\""), "{}", p[1].2);
    assert_eq!((p[2].0, p[2].1), (6, 1));
    assert!(
        p[2].2.contains("unknown action \"next_mont\""),
        "{}",
        p[2].2
    );
    // The good settings are read; the bad ones changed nothing.
    assert_eq!(c.light, Some(true));
    assert_eq!(keys_of(&c, Action::PrevMonth), ["p"]);
    assert_eq!(keys_of(&c, Action::NextMonth), ["]"]);
    assert_eq!(c.colors, config::Palette::default());
}

#[test]
fn bad_values_are_errors_and_keep_the_default() {
    let (c, p) = problems(
        "theme = \"sepia\"\n[colors]\ndate = \"purple\"\nkey = \"red on nothing\"\nmark = 3\n[keys]\nup = [\"k\", \"Hyper-x\"]\ndown = \"Esc\"\nleft = 1\n",
    );
    let at: Vec<(usize, usize)> = p.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(
        at,
        [(1, 9), (3, 8), (4, 7), (5, 8), (7, 12), (8, 8), (9, 1)],
        "{p:?}"
    );
    assert!(p[0].2.contains("unknown theme \"sepia\""));
    assert!(p[1].2.contains("unknown colour \"purple\""));
    assert!(p[2].2.contains("unknown colour \"nothing\""));
    assert!(p[3].2.contains("mark is a string"));
    assert!(p[4].2.contains("unknown key \"Hyper-x\""));
    assert!(p[5].2.contains("Esc always closes"));
    assert_eq!(c, config::Config::default());
}

#[test]
fn a_syntax_error_is_positioned_and_everything_is_default() {
    let (c, p) = problems("theme = \"light\"\n[keys\nquit = \"x\"\n");
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, 2);
    assert!(p[0].2.contains("every setting left at its default"));
    assert_eq!(c, config::Config::default());
}

#[test]
fn a_key_bound_to_two_actions_is_an_error() {
    // Two bindings in the file: the later one goes back to its defaults.
    let (c, p) = problems("[keys]\nnext_month = \"n\"\ndown = [\"n\", \"j\"]\n");
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!((p[0].0, p[0].1), (3, 1));
    assert!(
        p[0].2
            .contains("\"n\" is bound to both next_month and down"),
        "{}",
        p[0].2
    );
    assert_eq!(keys_of(&c, Action::NextMonth), ["n"]);
    assert_eq!(keys_of(&c, Action::Down), ["j", "↓"]);
    // Against a default binding: the file's binding is undone.
    let (c, p) = problems("[keys]\nnext_month = \"j\"\n");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].2.contains("\"j\" is bound to both"), "{}", p[0].2);
    assert_eq!(c, config::Config::default());
    // Taking a key from an action that gives it up is fine.
    let c = parse_ok("[keys]\nnext_month = \"j\"\ndown = \"Down\"\n");
    assert_eq!(keys_of(&c, Action::NextMonth), ["j"]);
    // Undoing one clash may uncover another: none is left.
    let (c, p) = problems("[keys]\nexport = \"x\"\nnext_month = \"j\"\ndown = [\"Down\", \"x\"]\n");
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!((p[0].0, p[1].0), (3, 4), "{p:?}");
    assert_eq!(keys_of(&c, Action::Export), ["x"]);
    assert_eq!(keys_of(&c, Action::Down), ["j", "↓"]);
    assert_eq!(keys_of(&c, Action::NextMonth), ["]"]);
}

#[test]
fn keys_are_written_as_in_the_help() {
    for (text, shown) in [
        ("n", "n"),
        ("Space", "Space"),
        (" ", "Space"),
        ("ctrl-N", "Ctrl-n"),
        ("Alt-x", "Alt-x"),
        ("shift-tab", "Shift-Tab"),
        ("pagedown", "PgDn"),
        ("Down", "↓"),
        ("↓", "↓"),
        ("f5", "F5"),
        ("Backspace", "Backspace"),
    ] {
        assert_eq!(
            Key::parse(text).map(Key::label).as_deref(),
            Ok(shown),
            "{text}"
        );
    }
    for bad in ["", "Ctrl-C", "ctrl-c", "Esc", "Hyper-x", "nn", "F99"] {
        assert!(Key::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_default_file_reads_back_as_the_defaults() {
    let text = config::default_file();
    let c = parse_ok(&text);
    assert_eq!(c.keys, Bindings::default());
    assert_eq!(c.colors, config::Palette::default());
    assert_eq!(c.light, Some(false));
    for a in Action::ALL {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{} = [", a.name()))),
            "{a:?} missing"
        );
    }
    for s in StyleName::ALL {
        assert!(
            text.contains(&format!("# {} = ", s.name())),
            "{s:?} missing"
        );
    }
    // Each colour line, uncommented with a colour, is a setting.
    let colours: String = text
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| l.contains(" = \"…\""))
        .map(|l| format!("{}\n", l.replace("\"…\"", "\"red\"")))
        .collect();
    let c = parse_ok(&format!("[colors]\n{colours}"));
    for s in StyleName::ALL {
        assert_eq!(c.colors.get(s).map(|p| p.fg), Some(Color::Red), "{s:?}");
    }
}

#[test]
fn colours_from_the_file_paint_the_theme_unless_no_color() {
    let c = parse_ok("[colors]\ndate = \"#ff0000\"\nselected = \"black on yellow\"\n");
    let theme = Theme {
        color: true,
        light: false,
        palette: c.colors,
    };
    assert_eq!(theme.date().fg, Some(Color::Rgb(255, 0, 0)));
    let sel = theme.selected();
    assert_eq!((sel.fg, sel.bg), (Some(Color::Black), Some(Color::Yellow)));
    assert!(!sel.add_modifier.contains(Modifier::REVERSED));
    // Unset styles are the theme's.
    assert_eq!(
        theme.heading(),
        Theme {
            palette: Default::default(),
            ..theme
        }
        .heading()
    );
    let plain = Theme {
        color: false,
        ..theme
    };
    assert_eq!(plain.date().fg, None);
    assert!(plain.selected().add_modifier.contains(Modifier::REVERSED));
}

#[test]
fn theme_precedence_flag_then_env_then_file() {
    assert!(Theme::choose_light(Some(true), Some(false), Some(false)));
    assert!(!Theme::choose_light(Some(false), Some(true), Some(true)));
    assert!(Theme::choose_light(None, Some(true), Some(false)));
    assert!(!Theme::choose_light(None, Some(false), Some(true)));
    assert!(Theme::choose_light(None, None, Some(true)));
    assert!(!Theme::choose_light(None, None, None));
}

#[test]
fn settings_problems_become_a_status_line_notice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "[keys]\nnext_month = \"n\"\nwhatever = \"x\"\n").unwrap();
    let loaded = Settings::load_from(Some(path.clone()), None).unwrap();
    assert_eq!(loaded.problems.len(), 1);
    let notice = loaded.settings.notice.unwrap();
    assert!(
        notice.contains("config.toml:3:1: error: unknown action"),
        "{notice}"
    );
    assert!(notice.contains("defaults kept"), "{notice}");
    assert_eq!(
        loaded.settings.keys.bindings().keys(Action::NextMonth),
        [Key::parse("n").unwrap()]
    );
    // No file: the defaults, nothing to say.
    let none = Settings::load_from(Some(dir.path().join("absent.toml")), None).unwrap();
    assert!(none.problems.is_empty() && none.settings.notice.is_none());
    assert_eq!(none.settings.keys, Keymap::default());
    // A bad --theme is still an error.
    assert!(Settings::load_from(None, Some("sepia")).is_err());
}

// The explorer with rebound keys.

fn press(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn rebound(text: &str) -> App {
    let mut app = App::inline(annals::load_builtin().unwrap());
    app.keys = Keymap::new(parse_ok(text).keys);
    app
}

#[test]
fn a_rebound_key_works_and_the_help_and_key_bar_show_it() {
    let mut default = App::inline(annals::load_builtin().unwrap());
    press(&mut default, KeyCode::Char(']'));
    let month_later = default.timeline.cursor;
    assert_ne!(month_later, 0);

    let mut app = rebound("[keys]\nnext_month = \"n\"\n");
    let start = app.timeline.cursor;
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.timeline.cursor, start, "] is no longer bound");
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.timeline.cursor, month_later, "n moves a month");

    let bar = screen(&mut app, 200, 40);
    assert!(bar.contains(" [ n month "), "{bar}");
    press(&mut app, KeyCode::Char('?'));
    let help = screen(&mut app, 160, 80);
    let row = help
        .lines()
        .find(|l| l.contains("previous, next month"))
        .expect("the month row");
    assert!(row.contains("[ n "), "{row}");
    assert!(!row.contains("[ ]"), "{row}");
}

#[test]
fn rebound_movement_and_quit_work_in_overlays_too() {
    let mut app = rebound("[keys]\ndown = [\"Ctrl-n\", \"Down\"]\nquit = \"x\"\nhelp = \"h\"\n");
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char('n'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(app.timeline.cursor, 1);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.timeline.cursor, 1, "j is no longer down");
    press(&mut app, KeyCode::Char('h'));
    assert!(matches!(app.overlay, annals::tui::app::Overlay::Help(_)));
    let help = screen(&mut app, 160, 80);
    assert!(help.contains("Ctrl-n k, ↓ ↑"), "{help}");
    press(&mut app, KeyCode::Char('q'));
    assert!(
        matches!(app.overlay, annals::tui::app::Overlay::Help(_)),
        "q is unbound"
    );
    press(&mut app, KeyCode::Char('x'));
    assert!(matches!(app.overlay, annals::tui::app::Overlay::None));
    assert!(!app.quit);
    press(&mut app, KeyCode::Char('x'));
    assert!(app.quit);
}

// The real binary.

fn annals() -> Command {
    Command::cargo_bin("annals").unwrap()
}

#[test]
fn annals_config_path_follows_annals_config_and_xdg() {
    annals()
        .args(["config", "--path"])
        .env("ANNALS_CONFIG", "/somewhere/else.toml")
        .assert()
        .success()
        .stdout("/somewhere/else.toml\n");
    annals()
        .args(["config", "--path"])
        .env_remove("ANNALS_CONFIG")
        .env("XDG_CONFIG_HOME", "/xdg")
        .assert()
        .success()
        .stdout("/xdg/annals/config.toml\n");
    annals()
        .arg("--help")
        .env("ANNALS_CONFIG", "/somewhere/else.toml")
        .assert()
        .success()
        .stdout(predicate::str::contains("/somewhere/else.toml"))
        .stdout(predicate::str::contains("--print-default"));
}

#[test]
fn annals_config_checks_the_file_annals_config_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "theme = \"light\"\n[keys]\nnext_month = \"n\"\n").unwrap();
    annals()
        .arg("config")
        .env("ANNALS_CONFIG", &path)
        .assert()
        .success()
        .stderr(predicate::str::contains("mine.toml: no problems"));
    std::fs::write(&path, "theme = \"light\"\n[colors]\ndate = \"purple\"\n").unwrap();
    annals()
        .arg("config")
        .env("ANNALS_CONFIG", &path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "mine.toml:3:8: error: date: unknown colour \"purple\"",
        ));
    // Before the explorer starts, the problems are printed (here it then
    // stops: standard output is not a terminal).
    annals()
        .env("ANNALS_CONFIG", &path)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "mine.toml:3:8: error: date: unknown colour",
        ))
        .stderr(predicate::str::contains("1 problem in the settings file"))
        .stderr(predicate::str::contains("not a terminal"));
    annals()
        .arg("config")
        .env("ANNALS_CONFIG", dir.path().join("absent.toml"))
        .assert()
        .success()
        .stderr(predicate::str::contains("not found; the defaults are used"));
}

#[test]
fn print_default_round_trips_through_the_binary() {
    let out = annals()
        .args(["config", "--print-default"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, config::default_file());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, &text).unwrap();
    annals()
        .arg("config")
        .env("ANNALS_CONFIG", &path)
        .assert()
        .success()
        .stderr(predicate::str::contains("no problems"));
}

#[test]
fn the_settings_reference_example_has_no_problems() {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/reference/settings.md"
    ))
    .unwrap();
    let example = page
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .unwrap();
    let c = parse_ok(example);
    assert_eq!(c.light, Some(true));
    assert_eq!(keys_of(&c, Action::NextMonth), ["]", "n"]);
    assert_eq!(keys_of(&c, Action::ClearMarks), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_settings_file_that_never_ends_or_holds_a_huge_value_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("config.toml");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let (_, problems) = annals::config::load(&zero);
    assert!(
        problems[0].message.contains("not a regular file"),
        "{problems:?}"
    );
    // A bad value of 500 KB is quoted cut, not whole.
    let big = dir.path().join("big.toml");
    std::fs::write(&big, format!("theme = \"{}\"\n", "x".repeat(500_000))).unwrap();
    let (_, problems) = annals::config::load(&big);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].message.len() < 1000,
        "{}",
        problems[0].message.len()
    );
    assert!(problems[0].message.contains("bytes in all"));
    // Over the bound: refused whole, the defaults kept.
    std::fs::write(&big, format!("# {}\n", "x".repeat(2 << 20))).unwrap();
    let (_, problems) = annals::config::load(&big);
    assert!(
        problems[0].message.contains("over the 1 MB"),
        "{problems:?}"
    );
}

#[test]
fn a_key_from_the_settings_file_is_labelled_visibly() {
    // A tag character is invisible ASCII: bound to a key, its label in the
    // key bar and the help must not send it raw.
    let key = Key::parse("\u{e0041}").unwrap();
    let label = key.label();
    assert!(!label.contains('\u{e0041}'), "{label:?}");
    assert!(!label.is_empty());
    assert_eq!(Key::parse("n").unwrap().label(), "n");
}
