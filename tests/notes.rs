//! Stars and notes: the sidecar beside the store, in the explorer.

use annals::annotate::notes::{Notes, Target, sidecar_path};
use annals::tui::App;
use annals::tui::app::{Chip, Overlay, Pane};
use annals::tui::control::Control;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle_event(&Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

fn enter(app: &mut App) {
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| annals::tui::view::draw(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
        .collect()
}

/// An explorer on a copy of the built-in store in a fresh directory.
fn app_on_copy(name: &str) -> (App, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("annals-notes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = dir.join("s.ron");
    std::fs::write(&store, include_str!("../data/niger.ron")).unwrap();
    let mut a = App::inline(annals::load_path(&store).unwrap());
    a.store_path = Some(store.clone());
    a.load_notes();
    (a, store)
}

#[test]
fn stars_and_notes_are_saved_beside_the_store_and_shown() {
    let (mut a, store) = app_on_copy("save");
    keys(&mut a, "j*");
    let e = a.selected_event().unwrap();
    let id = a.model.event(e).id.to_string();
    keys(&mut a, ":note Check this date against the wire copy");
    enter(&mut a);
    let sidecar = sidecar_path(&store);
    assert!(sidecar.ends_with("s.notes.ron"));
    let saved = Notes::load(&sidecar).unwrap();
    assert!(saved.is_starred(&id));
    assert_eq!(
        saved.note(&Target::Event(id.clone())),
        Some("Check this date against the wire copy")
    );
    // The store itself is untouched.
    assert_eq!(
        std::fs::read_to_string(&store).unwrap(),
        include_str!("../data/niger.ron")
    );
    let s = screen(&mut a, 160, 45);
    // Starred and noted: ⁑.
    assert!(s.lines().any(|l| l.contains('›') && l.contains('⁑')), "{s}");
    keys(&mut a, "i");
    let s = screen(&mut a, 120, 60);
    assert!(
        s.contains("Your notes") && s.contains("Check this date"),
        "{s}"
    );
}

#[test]
fn a_note_on_a_quote_and_filters_by_starred_and_noted() {
    let (mut a, _store) = app_on_copy("filters");
    keys(&mut a, "jj*");
    let starred = a.selected_event().unwrap();
    let noted = (0..a.model.events.len() as u32)
        .find(|&e| e != starred && a.model.event(e).evidence.len() > 1)
        .unwrap();
    a.select_event(noted);
    keys(&mut a, "3j");
    assert_eq!(a.focus, Pane::Sources);
    keys(&mut a, ":note the second quote");
    enter(&mut a);
    let target = annals::annotate::notes::quote_target(&a.model, noted, 1).unwrap();
    assert_eq!(a.notes.note(&target), Some("the second quote"));
    keys(&mut a, ":starred");
    enter(&mut a);
    assert_eq!(a.visible, vec![starred]);
    a.step(Control::ClearFilters);
    keys(&mut a, ":noted");
    enter(&mut a);
    assert_eq!(a.visible, vec![noted]);
    assert!(a.chips.contains(&Chip::Noted));
    assert!(a.check_invariants().is_ok());
}

#[test]
fn notes_are_found_by_search() {
    let (mut a, _store) = app_on_copy("search");
    keys(&mut a, "jjj");
    let e = a.selected_event().unwrap();
    keys(&mut a, ":note zebra crossing checked");
    enter(&mut a);
    keys(&mut a, "gg/zebra");
    let Overlay::Search(sb) = &a.overlay else {
        panic!("search closed")
    };
    let first = sb.hits.first().expect("the note is found");
    assert_eq!(first.target, annals::Target::Event { event: e });
    assert!(first.text.contains("zebra"));
    enter(&mut a);
    assert_eq!(a.selected_event(), Some(e));
}

#[test]
fn a_broken_sidecar_is_reported_and_not_overwritten() {
    let (mut a, store) = app_on_copy("broken");
    let sidecar = sidecar_path(&store);
    std::fs::write(&sidecar, "(stars: [oops").unwrap();
    a.load_notes();
    assert!(a.status.as_deref().unwrap().contains("Notes not loaded"));
    keys(&mut a, "*");
    assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), "(stars: [oops");
}

fn annals(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_reports_dangling_notes_with_their_lines_and_export_takes_notes_along() {
    let (_a, store) = app_on_copy("cli");
    let sidecar = sidecar_path(&store);
    let mut n = Notes::default();
    n.toggle_star("coup");
    n.set_note(Target::Event("coup".into()), "Dates disagree");
    std::fs::write(&sidecar, n.to_text()).unwrap();
    let s = store.to_str().unwrap();
    let (ok, _, err) = annals(&["check", s]);
    assert!(ok, "{err}");
    n.toggle_star("no-such-event");
    let text = n.to_text();
    std::fs::write(&sidecar, &text).unwrap();
    let (ok, _, err) = annals(&["check", s]);
    assert!(!ok, "a dangling star fails the check");
    let line = text
        .lines()
        .position(|l| l.contains("no-such-event"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("s.notes.ron:{line}: star on \"no-such-event\"")),
        "{err}"
    );
    // The briefing shows the notes under their event; a RON export writes them beside it.
    let (ok, md, err) = annals(&["export", s, "--notes", "-f", "md", "-o", "-"]);
    assert!(ok, "{err}");
    assert!(md.contains("> **Analyst's note:** Dates disagree"), "{md}");
    assert!(md.contains("> *Starred by the analyst.*"));
    let out = store.with_file_name("slice.ron");
    let (ok, _, err) = annals(&[
        "export",
        s,
        "--notes",
        "--actor",
        "niger junta",
        "-f",
        "ron",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let beside = Notes::load(&sidecar_path(&out)).unwrap();
    let slice = annals::load_path(&out).unwrap();
    assert!(
        beside.dangling(&slice, &beside.to_text()).is_empty(),
        "only the slice's notes"
    );
    let (ok, md, _) = annals(&["export", s, "-f", "md", "-o", "-"]);
    assert!(
        ok && !md.contains("Analyst's note"),
        "notes only when asked"
    );
}

#[test]
fn a_starred_event_with_a_note_shows_both_and_the_briefing_keeps_them_apart() {
    let (mut a, store) = app_on_copy("both");
    keys(&mut a, "j*");
    keys(&mut a, ":note first line");
    enter(&mut a);
    let s = screen(&mut a, 160, 45);
    assert!(s.lines().any(|l| l.contains('›') && l.contains('⁑')), "{s}");
    let id = a.model.event(a.selected_event().unwrap()).id.to_string();
    let mut n = Notes::load(&sidecar_path(&store)).unwrap();
    n.set_note(Target::Event(id), "Line one\nLine two");
    std::fs::write(sidecar_path(&store), n.to_text()).unwrap();
    let (ok, md, err) = annals(&[
        "export",
        store.to_str().unwrap(),
        "--notes",
        "-f",
        "md",
        "-o",
        "-",
    ]);
    assert!(ok, "{err}");
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&md));
    // Two paragraphs in the quote, and the note's line break kept.
    assert!(
        html.contains("Starred by the analyst.</em></p>\n<p>"),
        "{html}"
    );
    assert!(html.contains("Line one<br />\nLine two"), "{html}");
}

#[test]
fn a_note_on_a_disagreement_lands_on_every_event_it_marks_and_is_found() {
    let (mut a, _store) = app_on_copy("conflict");
    let e = (0..a.model.events.len() as u32)
        .find(|&e| !a.model.conflicts_of_event(e).is_empty())
        .unwrap();
    a.select_event(e);
    a.step(Control::Focus(Pane::Sources));
    a.step(Control::Bottom);
    let c = a.selected_conflict().expect("a disagreement selected");
    keys(&mut a, ":note ask the ministry about this figure");
    enter(&mut a);
    // Every event the disagreement marks, found by looking at each event.
    let marked: Vec<u32> = (0..a.model.events.len() as u32)
        .filter(|&x| a.model.conflicts_of_event(x).contains(&c))
        .collect();
    keys(&mut a, ":noted");
    enter(&mut a);
    assert_eq!(a.visible, marked);
    a.step(Control::ClearFilters);
    keys(&mut a, "/ministry");
    let Overlay::Search(sb) = &a.overlay else {
        panic!("search closed")
    };
    assert_eq!(
        sb.hits.first().map(|h| h.target),
        Some(annals::Target::Event { event: marked[0] })
    );
}

/// `annals ARGS`, killed after 20 s: a file that blocks must fail the
/// test, not hang it. Returns (success, stderr), or None when it hung.
fn annals_deadline(args: &[&std::ffi::OsStr]) -> Option<(bool, String)> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            return Some((status.success(), err));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[cfg(unix)]
fn mkfifo(p: &std::path::Path) {
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[cfg(unix)]
#[test]
fn check_refuses_a_fifo_or_dev_zero_in_the_notes_place_at_once() {
    let (_, store) = app_on_copy("fifo");
    let sidecar = sidecar_path(&store);
    mkfifo(&sidecar);
    let (ok, err) = annals_deadline(&["check".as_ref(), store.as_os_str()])
        .expect("check blocked on a FIFO in the notes' place");
    assert!(!ok);
    assert!(err.contains("FIFO"), "{err}");
    std::fs::remove_file(&sidecar).unwrap();
    // /dev/zero reports a size of 0 and never ends.
    std::os::unix::fs::symlink("/dev/zero", &sidecar).unwrap();
    let (ok, err) = annals_deadline(&["check".as_ref(), store.as_os_str()])
        .expect("check read /dev/zero without bound");
    assert!(!ok);
    assert!(err.contains("not a regular file"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_star_never_writes_through_a_planted_link_and_says_it_was_not_saved() {
    let (mut a, store) = app_on_copy("link");
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("chosen-by-the-sender.txt");
    std::os::unix::fs::symlink(&target, sidecar_path(&store)).unwrap();
    a.load_notes();
    keys(&mut a, "*");
    assert!(
        !target.exists(),
        "the star created a file outside the store's folder"
    );
    let status = a.status.clone().unwrap();
    assert!(status.contains("NOT SAVED"), "{status}");
}

#[test]
fn a_star_while_the_notes_file_is_broken_is_refused_not_lost() {
    let (mut a, store) = app_on_copy("broken-star");
    std::fs::write(sidecar_path(&store), "(stars: [oops").unwrap();
    a.load_notes();
    keys(&mut a, "*");
    let status = a.status.clone().unwrap();
    assert!(status.starts_with("Not starred"), "{status}");
    let e = a.selected_event().unwrap();
    assert!(!a.notes.is_starred(&a.model.event(e).id));
}

/// The built-in store is not a file: `:write FILE` makes it one, carrying
/// the stars and notes over, and what is starred from then on is saved.
#[test]
fn write_gives_the_built_in_store_a_file_and_keeps_its_stars_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = App::inline(annals::load_builtin().unwrap());
    a.export_dir = dir.path().to_path_buf();
    keys(&mut a, "*");
    let first = a.model.event(a.selected_event().unwrap()).id.to_string();
    assert!(a.status.as_deref().unwrap().contains(":write FILE"));
    keys(&mut a, ":write mine.ron");
    enter(&mut a);
    let store = dir.path().join("mine.ron");
    assert_eq!(
        std::fs::read_to_string(&store).unwrap(),
        include_str!("../data/niger.ron")
    );
    let notes = Notes::load(&sidecar_path(&store)).unwrap();
    assert!(notes.is_starred(&first), "the star was not carried over");
    assert_eq!(a.store_path.as_deref(), Some(store.as_path()));
    // Stars from now on are saved beside the new file.
    keys(&mut a, "j*");
    let second = a.model.event(a.selected_event().unwrap()).id.to_string();
    let notes = Notes::load(&sidecar_path(&store)).unwrap();
    assert!(notes.is_starred(&first) && notes.is_starred(&second));
    assert!(annals::load_path(&store).is_ok());
}

#[test]
fn write_never_replaces_a_file_unless_told_to() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("taken.ron");
    std::fs::write(&store, "precious").unwrap();
    let mut a = App::inline(annals::load_builtin().unwrap());
    a.export_dir = dir.path().to_path_buf();
    keys(&mut a, ":write taken.ron");
    enter(&mut a);
    assert_eq!(std::fs::read_to_string(&store).unwrap(), "precious");
    assert!(a.store_path.is_none());
    let Overlay::Command(cl) = &a.overlay else {
        panic!("the command line closed on an error");
    };
    assert!(
        cl.error.as_deref().unwrap().contains(":write! taken.ron"),
        "{:?}",
        cl.error
    );
    a.step(Control::Close);
    keys(&mut a, ":write! taken.ron");
    enter(&mut a);
    assert_eq!(
        std::fs::read_to_string(&store).unwrap(),
        include_str!("../data/niger.ron")
    );
}

/// A store that never loaded: the explorer's empty model says so and
/// `:problems` brings the list back; the first good load clears it.
#[test]
fn a_store_opened_broken_keeps_its_problems_until_it_loads() {
    let bad = "(meta: (title: \"x\"), events: [(id: \"a\", bogus: 1)])";
    let err = annals::load_str(bad, "floods.ron").unwrap_err();
    let mut a = App::inline(annals::model::Model::default());
    a.broken = true;
    a.show_problems(err);
    assert!(a.status.as_deref().unwrap().contains("did not load"));
    a.step(Control::Close);
    assert!(matches!(a.overlay, Overlay::None));
    assert!(screen(&mut a, 80, 24).contains(":problems lists why"));
    keys(&mut a, ":problems");
    enter(&mut a);
    assert!(matches!(a.overlay, Overlay::Problems(_)));
    let model = std::sync::Arc::new(annals::load_builtin().unwrap());
    let searcher = annals::tui::searcher::Searcher::inline(&model);
    a.replace_model(model, searcher);
    a.broken = false;
    keys(&mut a, ":problems");
    enter(&mut a);
    assert!(!matches!(a.overlay, Overlay::Problems(_)));
}
