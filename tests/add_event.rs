//! `annals add-event`: an event written into a store from the command
//! line; every bad input named, and then nothing written.

use std::path::{Path, PathBuf};
use std::process::Command;

fn annals(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const ARTICLE: &str = "The Ebro river burst its banks on Tuesday night, flooding the towns of Alda and Brisa, officials said.\n\n“We have never seen the water come up this fast,” said Marta Ruiz, the mayor of Alda. Damage to roads was put at $40 million.";
const SOURCE: &str = "river-bursts-its-banks";

/// A store about floods with one article, made with `new` and
/// `add-source`, and one actor written by hand.
fn store(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("annals-add-event-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let s = d.join("floods.ron");
    let a = d.join("a.txt");
    std::fs::write(&a, ARTICLE).unwrap();
    let p = s.to_str().unwrap();
    assert!(annals(&["new", p, "--title", "Floods"]).0);
    let (ok, _, err) = annals(&[
        "add-source",
        p,
        a.to_str().unwrap(),
        "--outlet",
        "Valley Herald",
        "--title",
        "River bursts its banks",
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&s).unwrap().replace(
        "    actors: [\n",
        "    actors: [\n        (id: \"alda-council\", name: \"Alda town council\", aliases: [\"the council\"], kind: \"government\"),\n",
    );
    std::fs::write(&s, text).unwrap();
    s
}

fn quote(text: &str) -> String {
    format!("{SOURCE}:{text}")
}

#[test]
fn an_event_is_added_its_id_printed_and_the_rest_kept_byte_for_byte() {
    let s = store("ok");
    let p = s.to_str().unwrap();
    let before = std::fs::read_to_string(&s).unwrap();
    let q = quote("The Ebro river burst its banks on Tuesday night");
    let (ok, out, err) = annals(&[
        "add-event",
        p,
        "--date",
        "2024-09",
        "--title",
        "The Ebro floods Alda",
        "--quote",
        &q,
        "--actor",
        "THE COUNCIL",
        "--tag",
        "flood",
        "--new-place",
        "Alda:town",
    ]);
    assert!(ok, "{err}");
    assert_eq!(out, "2024-09-the-ebro-floods-alda\n");
    let after = std::fs::read_to_string(&s).unwrap();
    // The old lines all stand, in order; one place line and the event's
    // eleven lines are added.
    let mut new_lines = after.split('\n');
    assert!(
        before.split('\n').all(|l| new_lines.any(|n| n == l)),
        "{after}"
    );
    assert_eq!(
        after.split('\n').count(),
        before.split('\n').count() + 1 + 11
    );
    assert!(
        after
            .contains("            actors: [\"alda-council\"],\n            places: [\"alda\"],\n"),
        "{after}"
    );
    let (ok, _, err) = annals(&["check", p]);
    assert!(ok, "{err}");
    // The same title again gets an id of its own.
    let (ok, out, err) = annals(&[
        "add-event",
        p,
        "--date",
        "2024-09",
        "--title",
        "The Ebro floods Alda",
        "--quote",
        &q,
    ]);
    assert!(ok, "{err}");
    assert_eq!(out, "2024-09-the-ebro-floods-alda-2\n");
}

/// Runs add-event with `args` after the store; it must fail, name `want`
/// and leave the file's bytes as they were.
fn refused(s: &Path, args: &[&str], want: &str) {
    let before = std::fs::read(s).unwrap();
    let mut all = vec!["add-event", s.to_str().unwrap()];
    all.extend_from_slice(args);
    let (ok, out, err) = annals(&all);
    assert!(!ok, "{args:?} was accepted");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains(want), "{args:?}: no {want:?} in {err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(
        std::fs::read(s).unwrap(),
        before,
        "{args:?} changed the file"
    );
}

#[test]
fn each_bad_input_is_named_and_nothing_is_written() {
    let s = store("bad");
    let good = quote("officials said");
    let base = |extra: &[&'static str]| -> Vec<String> {
        let mut v: Vec<String> = ["--date", "2024-09", "--title", "T", "--quote"]
            .iter()
            .map(|x| x.to_string())
            .collect();
        v.push(good.clone());
        v.extend(extra.iter().map(|x| x.to_string()));
        v
    };
    let run = |args: Vec<String>, want: &str| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&s, &refs, want);
    };
    run(
        vec![
            "--date".into(),
            "2024".into(),
            "--title".into(),
            "T".into(),
            "--quote".into(),
            "river-burst:officials said".into(),
        ],
        "no source has the id \"river-burst\"; did you mean River bursts its banks (river-bursts-its-banks)?",
    );
    run(
        vec![
            "--date".into(),
            "2024".into(),
            "--title".into(),
            "T".into(),
            "--quote".into(),
            quote("Damage to roads was put at $400 million."),
        ],
        "closest passage: \"Damage to roads was put at $40 million.\"; the article says “$40 million.”, the quote “$400 million.”",
    );
    run(
        vec![
            "--date".into(),
            "2024".into(),
            "--title".into(),
            "T".into(),
            "--quote".into(),
            quote("\"We have never seen the water come up this fast,\" said Marta Ruiz"),
        ],
        "(curly and straight quotation marks or apostrophes differ)",
    );
    run(
        base(&["--actor", "Alda town counsil"]),
        "no actor is called \"Alda town counsil\"; did you mean Alda town council (alda-council)?",
    );
    run(
        base(&["--new-actor", "Red Cross"]),
        "new actor \"Red Cross\" has no kind",
    );
    run(
        base(&["--new-actor", "Red Cross:"]),
        "new actor \"Red Cross\" has no kind",
    );
    run(
        vec![
            "--date".into(),
            "[2024-05..2024-03]".into(),
            "--title".into(),
            "T".into(),
            "--quote".into(),
            good.clone(),
        ],
        "the date: \"[2024-05..2024-03]\": the earliest bound 2024-05 is after the latest 2024-03",
    );
    run(
        vec![
            "--date".into(),
            "2024-02-30".into(),
            "--title".into(),
            "T".into(),
            "--quote".into(),
            good.clone(),
        ],
        "\"2024-02-30\" is not a real day",
    );
    run(
        vec![
            "--date".into(),
            "2024".into(),
            "--title".into(),
            "Rain\u{1b}[2J".into(),
            "--quote".into(),
            good.clone(),
        ],
        "the title holds a control character ('\\u{1b}')",
    );
    run(
        vec![
            "--date".into(),
            "2024".into(),
            "--title".into(),
            "T".into(),
            "--quote".into(),
            quote("  "),
        ],
        "quote 1: the quote is empty",
    );
    run(
        vec!["--date".into(), "2024".into(), "--title".into(), "T".into()],
        "an event needs at least one quote",
    );
    // Wrong in shape alone (the rest would do): still nothing written.
    run(
        base(&["--quote", "no colon here"]),
        "give it as SOURCE:TEXT",
    );
    run(
        base(&["--new-actor", "Red Cross:organisation:Alda"]),
        "--new-actor \"Red Cross\": give it as NAME:KIND",
    );
}

#[test]
fn every_problem_is_named_in_one_run() {
    let s = store("all");
    let bad_quote = quote("the towns of Alda and Brisa, officials say");
    let args = [
        "--date",
        "[2024-05..2024-03]",
        "--title",
        "",
        "--quote",
        &bad_quote,
        "--actor",
        "Nobody",
        "--new-actor",
        "Red Cross",
    ];
    refused(&s, &args, "5 problems");
    let (_, _, err) = annals(&[&["add-event", s.to_str().unwrap()][..], &args[..]].concat());
    for want in [
        "the date:",
        "the title is empty",
        "the article says “officials said”, the quote “officials say”",
        "no actor is called \"Nobody\"",
        "has no kind",
    ] {
        assert!(err.contains(want), "no {want:?} in {err}");
    }
}

#[test]
fn the_store_must_exist_and_load() {
    let d = std::env::temp_dir().join(format!("annals-add-event-none-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let missing = d.join("missing.ron");
    let (ok, _, err) = annals(&[
        "add-event",
        missing.to_str().unwrap(),
        "--date",
        "2024",
        "--title",
        "T",
        "--quote",
        "a:b",
    ]);
    assert!(!ok && err.contains("no such file"), "{err}");
    assert!(!missing.exists());
    let broken = d.join("broken.ron");
    std::fs::write(&broken, "(meta: (title: ))").unwrap();
    let (ok, _, err) = annals(&[
        "add-event",
        broken.to_str().unwrap(),
        "--date",
        "2024",
        "--title",
        "T",
        "--quote",
        "a:b",
    ]);
    assert!(
        !ok && err.contains("fix them before adding an event"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "(meta: (title: ))"
    );
}

/// The explorer's problem list after a save that breaks a quote: the
/// closest passage and where the two part are on screen, wrapped, at 80
/// columns.
#[test]
fn the_problem_list_shows_the_closest_passage() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let s = store("tui");
    let text = std::fs::read_to_string(&s).unwrap().replace(
        "    events: [\n",
        "    events: [\n        (id: \"e\", date: \"2024\", title: \"T\", evidence: [(source: \"river-bursts-its-banks\", quote: \"Damage to roads was put at $400 million.\")]),\n",
    );
    let err = annals::load_str(&text, "floods.ron").unwrap_err();
    let mut app = annals::tui::App::inline(annals::load_builtin().unwrap());
    app.show_problems(err);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| annals::tui::view::draw(&mut app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let screen: String = (0..24)
        .map(|y| (0..80).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n");
    let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = flat.replace(" │ │ ", " ");
    assert!(
        flat.contains("the article says “$40 million.”, the quote “$400 million.”"),
        "{screen}"
    );
}

/// A read-only store is the owner's "no": the rename that writes a store
/// would replace it all the same, so add-event and add-source refuse it.
#[cfg(unix)]
#[test]
fn a_read_only_store_is_refused_and_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let s = store("read-only");
    std::fs::set_permissions(&s, std::fs::Permissions::from_mode(0o444)).unwrap();
    refused(
        &s,
        &[
            "--date",
            "2024-03",
            "--title",
            "Flood",
            "--quote",
            &quote("burst its banks"),
        ],
        "read-only",
    );
    let article = s.with_file_name("b.txt");
    std::fs::write(&article, "Another article, about the rain.").unwrap();
    let before = std::fs::read(&s).unwrap();
    let (ok, _, err) = annals(&[
        "add-source",
        s.to_str().unwrap(),
        article.to_str().unwrap(),
        "--outlet",
        "X",
        "--title",
        "Rain",
    ]);
    assert!(!ok && err.contains("read-only"), "{err}");
    assert_eq!(std::fs::read(&s).unwrap(), before);
    let mode = std::fs::metadata(&s).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
}
