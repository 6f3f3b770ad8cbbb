//! Sessions: filters, marks, the selected event and views saved per store
//! and restored; a changed store keeps what still applies; a corrupt
//! session is said once and ignored.

use annals::annotate::sessions::{ChipRec, Session};
use annals::tui::App;
use annals::tui::app::{Chip, Pane};
use annals::tui::control::Control;

fn app() -> App {
    App::inline(annals::load_builtin().unwrap())
}

#[test]
fn a_session_round_trips_by_id() {
    let mut a = app();
    let russia = annals::filter::resolve_actor(&a.model, "russia").unwrap();
    a.add_chip(Chip::Actor(russia));
    a.step(Control::Down);
    a.step(Control::ToggleMark);
    a.step(Control::Focus(Pane::Sources));
    a.history.push("actor russia".into());
    let selected = a.selected_event();
    let s = a.to_session("k", 7);
    assert_eq!(s.chips, vec![ChipRec::Actor("russia".into())]);
    let mut b = app();
    b.restore_session(s, false);
    assert_eq!(b.chips, a.chips);
    assert_eq!(b.marks, a.marks);
    assert_eq!(b.selected_event(), selected);
    assert_eq!(b.focus, Pane::Sources);
    assert_eq!(b.history, vec!["actor russia"]);
    assert!(
        b.status
            .as_deref()
            .unwrap()
            .contains("last session is back")
    );
    assert!(b.check_invariants().is_ok());
}

#[test]
fn a_changed_store_keeps_what_applies_and_says_what_did_not() {
    let mut a = app();
    let s = Session {
        store: "k".into(),
        chips: vec![
            ChipRec::Actor("russia".into()),
            ChipRec::Actor("gone-actor".into()),
        ],
        marks: vec!["coup".into(), "gone-event".into()],
        selected: Some("also-gone".into()),
        ..Session::default()
    };
    a.restore_session(s, true);
    assert_eq!(a.chips.len(), 1);
    assert_eq!(a.marks.len(), 1);
    let status = a.status.clone().unwrap();
    assert!(status.contains("The store changed"), "{status}");
    for gone in [
        "actor \"gone-actor\"",
        "marked event \"gone-event\"",
        "selected event \"also-gone\"",
    ] {
        assert!(status.contains(gone), "{gone}: {status}");
    }
}

#[test]
fn views_are_saved_by_name_and_reopened() {
    let mut a = app();
    assert!(a.save_view("x").is_err(), "nothing to save");
    a.run_command("kind sponsored").unwrap();
    a.run_command("save sponsored-only").unwrap();
    a.step(Control::ClearFilters);
    assert!(a.chips.is_empty());
    a.run_command("view sponsored-only").unwrap();
    assert_eq!(a.chips.len(), 1);
    assert!(
        a.run_command("view nope")
            .unwrap_err()
            .contains("sponsored-only")
    );
    a.run_command("view").unwrap();
    assert!(a.status.as_deref().unwrap().contains("sponsored-only"));
}

/// The CLI's `--view` and the session file: through the binary, with its
/// own state directory.
#[test]
fn list_and_export_take_a_saved_view_and_a_corrupt_session_is_an_error_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("annals-sessions-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = dir.join("s.ron");
    std::fs::write(&store, include_str!("../data/niger.ron")).unwrap();
    let state = dir.join("state");
    // The session is keyed by the store's canonical path.
    let key = std::fs::canonicalize(&store).unwrap().display().to_string();
    let mut views = std::collections::BTreeMap::new();
    views.insert(
        "junta".to_string(),
        vec![ChipRec::Actor("niger-junta".into())],
    );
    let s = Session {
        store: key.clone(),
        views,
        ..Session::default()
    };
    let text = ron::ser::to_string_pretty(&s, ron::ser::PrettyConfig::new()).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(args)
            .env("ANNALS_STATE_DIR", &state)
            .output()
            .unwrap()
    };
    // Where the binary keeps this store's session.
    let probe = run(&["list", store.to_str().unwrap(), "--view", "junta"]);
    assert!(!probe.status.success(), "no session yet");
    let sessions = state.join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let hash = {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(key.as_bytes());
        h.write_usize(key.len());
        h.finish()
    };
    let file = sessions.join(format!("{hash:016x}.ron"));
    std::fs::write(&file, &text).unwrap();
    let out = run(&["list", store.to_str().unwrap(), "--view", "junta"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = annals::load_builtin().unwrap();
    let junta = annals::filter::resolve_actor(&m, "niger junta").unwrap();
    let listed = String::from_utf8_lossy(&out.stdout).lines().count();
    assert_eq!(listed, m.events_of_actor(junta).len());
    std::fs::write(&file, "(store: oops").unwrap();
    let out = run(&["list", store.to_str().unwrap(), "--view", "junta"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&file.display().to_string()));
    let _ = std::fs::remove_dir_all(&dir);
}
