//! Stories: the file beside the store, the command line (`stories`,
//! `export --story`, `check`), and the explorer.

use std::path::{Path, PathBuf};

use annals::annotate::stories::{Stories, Target, stories_path};
use pulldown_cmark::{Event as MdEvent, Options, Parser, Tag};

/// A copy of the built-in store in a fresh directory.
fn store_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("annals-stories-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = dir.join("s.ron");
    std::fs::write(&store, include_str!("../data/niger.ron")).unwrap();
    store
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

/// A story of an event, a quote of the coup, the coup's date dispute, an
/// event no longer in the store, and the relocation; prose on three.
fn write_story(store: &Path) -> String {
    let m = annals::load_path(store).unwrap();
    let coup = m.event_by_id("coup").unwrap();
    let quote = annals::annotate::notes::quote_target(&m, coup, 2).unwrap();
    let mut s = Stories::default();
    let story = s
        .create(
            "The withdrawal",
            vec![
                Target::Event("coup".into()),
                quote,
                Target::Conflict {
                    subject: "coup".into(),
                    attribute: "date of the coup".into(),
                },
                Target::Event("gone-event".into()),
                Target::Event("relocation-101-to-201".into()),
            ],
        )
        .unwrap();
    story.intro = "How the *partnership* ended.".into();
    story.steps[0].text = "It starts with the **coup**.".into();
    story.steps[2].text = "Sources differ on when.".into();
    story.steps[4].text = "Then the troops moved north.".into();
    let text = s.to_text();
    std::fs::write(stories_path(store), &text).unwrap();
    text
}

#[test]
fn stories_lists_each_step_found_or_missing_and_as_json() {
    let store = store_copy("list");
    let s = store.to_str().unwrap();
    let (ok, out, err) = annals(&["stories", s]);
    assert!(ok && out.contains("no stories"), "{out}{err}");
    write_story(&store);
    let (ok, out, err) = annals(&["stories", s]);
    assert!(ok, "{err}");
    assert!(out.contains("The withdrawal — 5 steps, 1 missing"), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let at = |needle: &str| lines.iter().position(|l| l.contains(needle)).unwrap();
    assert!(at("1. event coup") < at("2. quote from coup"));
    assert!(at("3. disagreement over date of the coup") < at("4. MISSING event gone-event"));
    assert!(
        at("4. MISSING") < at("5. event relocation-101-to-201"),
        "{out}"
    );
    assert!(out.contains("Sources differ on when."));
    let (ok, out, err) = annals(&["stories", s, "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let steps = v[0]["steps"].as_array().unwrap();
    assert_eq!(v[0]["name"], "The withdrawal");
    assert_eq!(steps.len(), 5);
    assert_eq!(steps[3]["found"], false);
    assert_eq!(steps[4]["event"], "relocation-101-to-201");
    assert_eq!(steps[1]["event"], "coup");
}

#[test]
fn check_reports_dangling_steps_and_errors_with_their_lines() {
    let store = store_copy("check");
    let s = store.to_str().unwrap();
    let text = write_story(&store);
    let (ok, _, err) = annals(&["check", s]);
    assert!(!ok, "a missing step fails the check");
    let line = text.lines().position(|l| l.contains("gone-event")).unwrap() + 1;
    assert!(
        err.contains(&format!(
            "s.stories.ron:{line}: step 4 of the story \"The withdrawal\": the store has no event \"gone-event\""
        )),
        "{err}"
    );
    // Fixed, the check passes.
    std::fs::write(stories_path(&store), text.replace("gone-event", "coup")).unwrap();
    let (ok, _, err) = annals(&["check", s]);
    assert!(ok, "{err}");
    // A repeated name and a hand-edited syntax error: where, and not lost.
    let twice = "(stories: [\n  (name: \"a\"),\n  (name: \"a\"),\n])\n";
    std::fs::write(stories_path(&store), twice).unwrap();
    let (ok, _, err) = annals(&["check", s]);
    assert!(
        !ok && err.contains("s.stories.ron:3:10: a second story named \"a\""),
        "{err}"
    );
    std::fs::write(stories_path(&store), "(stories: [\n  (name: \"a\",, ),\n])").unwrap();
    let (ok, _, err) = annals(&["stories", s]);
    assert!(!ok && err.contains("s.stories.ron:2:"), "{err}");
    assert_eq!(
        std::fs::read_to_string(stories_path(&store)).unwrap(),
        "(stories: [\n  (name: \"a\",, ),\n])"
    );
}

fn export(store: &Path, format: &str) -> String {
    let (ok, out, err) = annals(&[
        "export",
        store.to_str().unwrap(),
        "--story",
        "The withdrawal",
        "-f",
        format,
        "-o",
        "-",
    ]);
    assert!(ok, "{err}");
    out
}

#[test]
fn the_markdown_narrative_goes_in_story_order_and_renders() {
    let store = store_copy("md");
    write_story(&store);
    let md = export(&store, "md");
    let at = |needle: &str| {
        md.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in\n{md}"))
    };
    assert!(at("# The withdrawal") < at("How the *partnership* ended."));
    for k in 1..5 {
        assert!(at(&format!("## Step {k} of 5")) < at(&format!("## Step {} of 5", k + 1)));
    }
    assert!(
        at("## Step 1 of 5") < at("It starts with the **coup**.")
            && at("It starts with the **coup**.") < at("## Step 2 of 5")
    );
    // The event with its date in words; a quote step shows its quote.
    assert!(at("**Between February 2023 and c. August 2023** — Military coup") < at("## Step 2"));
    assert!(at("> This decision comes after a military coup") > at("## Step 2"));
    // The disagreement's values and who states them, at its step.
    assert!(at("Where sources disagree: **date of the coup**") > at("## Step 3"));
    assert!(
        at("in February 2023: (outlet not stated; byline Dexter) (1 independent origin)")
            < at("## Step 4")
    );
    // The missing step is shown, not dropped.
    assert!(at("*Missing: this step's event is no longer in the store") > at("## Step 4"));
    assert!(at("Then the troops moved north.") > at("## Step 5"));
    // Every footnote resolves and the prose renders as Markdown.
    let (mut refs, mut defs) = (Vec::new(), Vec::new());
    let mut strong = Vec::new();
    let mut in_strong = false;
    for ev in Parser::new_ext(&md, Options::ENABLE_FOOTNOTES) {
        match ev {
            MdEvent::FootnoteReference(l) => refs.push(l.to_string()),
            MdEvent::Start(Tag::FootnoteDefinition(l)) => defs.push(l.to_string()),
            MdEvent::Start(Tag::Strong) => in_strong = true,
            MdEvent::End(pulldown_cmark::TagEnd::Strong) => in_strong = false,
            MdEvent::Text(t) if in_strong => strong.push(t.to_string()),
            _ => {}
        }
    }
    assert!(!refs.is_empty());
    refs.sort();
    refs.dedup();
    defs.sort();
    assert_eq!(refs, defs, "every marker has its own footnote");
    assert!(strong.iter().any(|s| s == "coup"), "{strong:?}");
    if let Some(html) = pandoc_html(&md) {
        assert!(html.contains("<strong>coup</strong>"), "{html}");
        assert!(html.contains("Step 5 of 5"));
        assert_eq!(
            html.matches("class=\"footnote-ref\"").count(),
            md.matches("[^").count() - defs.len(),
            "pandoc renders each marker as a footnote"
        );
    }
}

/// pandoc's HTML of `md` read as `commonmark_x`; `None` (skipped) without
/// pandoc, outside CI.
fn pandoc_html(md: &str) -> Option<String> {
    use std::io::Write;
    let path = std::env::var_os("PATH")?;
    let Some(bin) = std::env::split_paths(&path)
        .map(|d| d.join("pandoc"))
        .find(|p| p.is_file())
    else {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "no pandoc in CI"
        );
        eprintln!("stories: pandoc SKIPPED, not on PATH");
        return None;
    };
    let mut child = std::process::Command::new(bin)
        .args(["-f", "commonmark_x", "-t", "html", "--wrap=none"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(md.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn timelinejs_slides_say_where_they_stand_and_json_keeps_story_order() {
    let store = store_copy("tl");
    write_story(&store);
    let v: serde_json::Value = serde_json::from_str(&export(&store, "timelinejs")).unwrap();
    let slides = v["events"].as_array().unwrap();
    // Two events: the coup (steps 1 to 3) and the relocation (step 5).
    assert_eq!(slides.len(), 2, "{v}");
    let coup = slides.iter().find(|s| s["unique_id"] == "coup").unwrap();
    let text = coup["text"]["text"].as_str().unwrap();
    assert!(text.contains("<strong>Step 1 of 5</strong>"), "{text}");
    assert!(text.contains("<strong>Step 3 of 5</strong>: where sources disagree"));
    assert!(text.contains("It starts with the **coup**."), "prose kept");
    let title = v["title"]["text"]["text"].as_str().unwrap();
    assert!(title.contains("How the *partnership* ended."));
    assert!(
        title.contains("Step 4 of 5") && title.contains("Missing"),
        "the missing step is on the title slide: {title}"
    );
    assert_eq!(v["title"]["text"]["headline"], "The withdrawal");

    let v: serde_json::Value = serde_json::from_str(&export(&store, "json")).unwrap();
    let steps = v["steps"].as_array().unwrap();
    let kinds: Vec<&str> = steps.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["event", "quote", "disagreement", "event", "event"]);
    assert_eq!(steps[0]["event"]["id"], "coup");
    assert_eq!(steps[4]["event"]["id"], "relocation-101-to-201");
    assert!(steps[3]["missing"].as_str().unwrap().contains("gone-event"));
    assert_eq!(steps[2]["disagreement"]["attribute"], "date of the coup");
    assert_eq!(steps[0]["prose"], "It starts with the **coup**.");
}

#[test]
fn export_story_refuses_what_does_not_apply() {
    let store = store_copy("refuse");
    write_story(&store);
    let s = store.to_str().unwrap();
    let (ok, _, err) = annals(&["export", s, "--story", "nope", "-f", "md", "-o", "-"]);
    assert!(
        !ok && err.contains("no story named \"nope\"") && err.contains("The withdrawal"),
        "{err}"
    );
    let (ok, _, err) = annals(&[
        "export",
        s,
        "--story",
        "The withdrawal",
        "-f",
        "csv",
        "-o",
        "-",
    ]);
    assert!(!ok && err.contains("md, timelinejs or json"), "{err}");
    let (ok, _, err) = annals(&[
        "export",
        s,
        "--story",
        "The withdrawal",
        "--actor",
        "niger junta",
        "-f",
        "md",
        "-o",
        "-",
    ]);
    assert!(!ok && err.contains("no filters"), "{err}");
    // A file is written atomically and not replaced without --force.
    let out = store.with_file_name("story.md");
    let o = out.to_str().unwrap();
    let (ok, _, err) = annals(&[
        "export",
        s,
        "--story",
        "The withdrawal",
        "-f",
        "md",
        "-o",
        o,
    ]);
    assert!(ok && err.contains("wrote the story"), "{err}");
    let (ok, _, _) = annals(&[
        "export",
        s,
        "--story",
        "The withdrawal",
        "-f",
        "md",
        "-o",
        o,
    ]);
    assert!(!ok, "not replaced without --force");
}

// ----- the explorer -----

use annals::tui::App;
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

fn command(app: &mut App, line: &str) {
    keys(app, &format!(":{line}"));
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

fn app_on(store: &Path) -> App {
    let mut a = App::inline(annals::load_path(store).unwrap());
    a.store_path = Some(store.to_path_buf());
    a.load_notes();
    a.load_stories();
    a
}

fn selected_id(a: &App) -> String {
    a.model.event(a.selected_event().unwrap()).id.to_string()
}

/// Marks five events out of date order: the 3rd, 4th, 2nd, 6th, 7th.
fn mark_five(a: &mut App) -> Vec<String> {
    let mut ids = Vec::new();
    for moves in ["jj", "j", "kk", "jjjj", "j"] {
        keys(a, moves);
        ids.push(selected_id(a));
        keys(a, " ");
    }
    ids
}

#[test]
fn a_story_of_five_marked_events_steps_in_mark_order_and_survives_reopening() {
    let store = store_copy("tui");
    let mut a = app_on(&store);
    let marked = mark_five(&mut a);
    command(&mut a, "story new The case");
    let saved = Stories::load(&stories_path(&store)).unwrap();
    let steps: Vec<Target> = saved
        .get("The case")
        .unwrap()
        .steps
        .iter()
        .map(|s| s.on.clone())
        .collect();
    let want: Vec<Target> = marked.iter().map(|id| Target::Event(id.clone())).collect();
    assert_eq!(steps, want, "steps in the order the events were marked");
    assert_eq!(selected_id(&a), marked[0], "the panes follow step 1");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("Step 1 of 5"), "{s}");
    // Prose on three steps: one line, and the editor's file read back.
    command(&mut a, "prose First, **cooperation**.");
    keys(&mut a, ">");
    assert_eq!(selected_id(&a), marked[1]);
    keys(&mut a, "W");
    let req = a.edit.take().expect("the editor is asked for");
    std::fs::write(&req.path, "From the editor.\nSecond line.").unwrap();
    a.finish_prose(&req);
    assert!(!req.path.exists(), "the prose file goes once saved");
    keys(&mut a, ">>");
    command(&mut a, "prose Step four prose.");
    command(&mut a, "intro Why it ended.");
    let s = screen(&mut a, 160, 45);
    assert!(
        s.contains("Step 4 of 5") && s.contains("Step four prose."),
        "{s}"
    );
    let saved = Stories::load(&stories_path(&store)).unwrap();
    let story = saved.get("The case").unwrap();
    assert_eq!(story.intro, "Why it ended.");
    let prose: Vec<&str> = story.steps.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        prose,
        [
            "First, **cooperation**.",
            "From the editor.\nSecond line.",
            "",
            "Step four prose.",
            ""
        ]
    );
    // Past the last step it stays there; back to the first.
    keys(&mut a, ">>>");
    assert!(screen(&mut a, 80, 24).contains("Step 5 of 5"));
    assert_eq!(selected_id(&a), marked[4]);
    keys(&mut a, "<<<<<<");
    assert_eq!(selected_id(&a), marked[0]);
    keys(&mut a, ">");

    // Quit and reopen: the session brings the story back at its step.
    let session = a.to_session("k", 0);
    let mut b = app_on(&store);
    b.restore_session(session, false);
    let s = screen(&mut b, 80, 24);
    assert!(
        s.contains("Story: The case") && s.contains("Step 2 of 5"),
        "{s}"
    );
    assert!(s.contains("From the editor."), "{s}");
    keys(&mut b, ">");
    assert_eq!(selected_id(&b), marked[2]);
    assert_eq!(
        b.marked_in_order()
            .iter()
            .map(|&e| b.model.event(e).id.to_string())
            .collect::<Vec<_>>(),
        marked,
        "marks keep their order in the session"
    );
    // :stories lists it; Enter opens it at step 1.
    command(&mut b, "story close");
    assert!(!screen(&mut b, 80, 24).contains("Story: The case"));
    command(&mut b, "stories");
    let s = screen(&mut b, 80, 24);
    assert!(s.contains("The case") && s.contains("5 steps"), "{s}");
    b.step(Control::Enter);
    assert!(screen(&mut b, 80, 24).contains("Step 1 of 5"));
    assert_eq!(selected_id(&b), marked[0]);
}

#[test]
fn steps_are_added_removed_and_moved_and_a_quote_step_selects_its_quote() {
    let store = store_copy("edit");
    let mut a = app_on(&store);
    keys(&mut a, " j ");
    let (first, second) = {
        let v = a.marked_in_order();
        (
            a.model.event(v[0]).id.to_string(),
            a.model.event(v[1]).id.to_string(),
        )
    };
    command(&mut a, "story new s");
    // A quote of the coup, added after step 1.
    let coup = a.model.event_by_id("coup").unwrap();
    a.select_event(coup);
    keys(&mut a, "3j");
    keys(&mut a, "S");
    let on = |_: &App| {
        Stories::load(&stories_path(&store))
            .unwrap()
            .get("s")
            .unwrap()
            .steps
            .iter()
            .map(|s| s.on.clone())
            .collect::<Vec<_>>()
    };
    let quote = annals::annotate::notes::quote_target(&a.model, coup, 1).unwrap();
    assert_eq!(
        on(&a),
        [
            Target::Event(first.clone()),
            quote.clone(),
            Target::Event(second.clone())
        ]
    );
    assert!(screen(&mut a, 80, 24).contains("Step 2 of 3"));
    // Moved later, then earlier: order saved each time.
    keys(&mut a, ")");
    assert_eq!(on(&a)[2], quote);
    keys(&mut a, "((");
    assert_eq!(on(&a)[0], quote);
    // Stepping onto it selects the quote in the Sources pane.
    keys(&mut a, "><");
    assert_eq!(a.selected_event(), Some(coup));
    assert_eq!(a.focus, annals::tui::app::Pane::Sources);
    assert_eq!(a.sources_cursor, 1);
    keys(&mut a, "D");
    assert_eq!(on(&a), [Target::Event(first), Target::Event(second)]);
}

#[test]
fn a_broken_stories_file_is_said_and_never_overwritten() {
    let store = store_copy("broken");
    std::fs::write(stories_path(&store), "(stories: [oops").unwrap();
    let mut a = app_on(&store);
    assert!(
        a.status.as_deref().unwrap().contains("Stories not loaded"),
        "{:?}",
        a.status
    );
    keys(&mut a, " ");
    command(&mut a, "story new x");
    assert!(
        a.status.as_deref().unwrap().contains("could not be read"),
        "{:?}",
        a.status
    );
    assert_eq!(
        std::fs::read_to_string(stories_path(&store)).unwrap(),
        "(stories: [oops"
    );
}

/// A session whose story cannot be reopened (its file broke since) says
/// so, rather than only "your last session is back".
#[test]
fn a_session_s_story_that_cannot_reopen_is_said() {
    let store = store_copy("lost-story");
    let mut a = app_on(&store);
    mark_five(&mut a);
    command(&mut a, "story new kept");
    command(&mut a, "story kept");
    let session = a.to_session("k", 0);
    std::fs::write(stories_path(&store), "(stories: [oops").unwrap();
    let mut b = app_on(&store);
    b.restore_session(session, false);
    let status = b.status.clone().unwrap();
    assert!(
        status.contains("Story \"kept\" was open and is not")
            && status.contains("could not be read"),
        "{status}"
    );
}
