//! The real binary in a real terminal (tmux): it opens, answers keys,
//! quits on `q`, and leaves the terminal as it found it.

use std::process::Command;
use std::time::{Duration, Instant};

mod common;

struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", &self.session])
    }

    /// Polls the screen until `done` holds for it (60 s at most) and
    /// returns that screen.
    fn wait_until(&self, waiting_for: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if done(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "timed out waiting for {waiting_for}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_for(&self, what: &str) -> String {
        self.wait_until(&format!("{what:?}"), |s| s.contains(what))
    }

    /// Waits until `what` is no longer on the screen.
    fn wait_gone(&self, what: &str) {
        self.wait_until(&format!("{what:?} to go"), |s| !s.contains(what));
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        self.cmd(&args);
    }

    fn literal(&self, text: &str) {
        self.cmd(&["send-keys", "-t", &self.session, "-l", text]);
    }

    /// A fresh detached pane of `width` x `height` running `sh`, returned
    /// once the shell shows its prompt. Typing before the prompt is out
    /// races the shell: the echoed command and its output then start after
    /// the prompt instead of at column 0.
    fn shell(name: &str, width: u16, height: u16) -> Tmux {
        let t = Tmux {
            socket: format!("annals-e2e-{name}-{}", std::process::id()),
            session: name.into(),
        };
        let (w, h) = (width.to_string(), height.to_string());
        t.cmd(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            &w,
            "-y",
            &h,
            // Each test its own sessions: none restored from another.
            &format!(
                "env PS1='{PROMPT}' ANNALS_CONFIG=/nonexistent/annals-e2e.toml ANNALS_STATE_DIR={} sh",
                std::env::temp_dir()
                    .join(format!("annals-e2e-state-{name}-{}", std::process::id()))
                    .display()
            ),
        ]);
        // capture-pane drops the trailing space
        t.wait_for(PROMPT.trim_end());
        t
    }

    /// Types `command` at the prompt and presses Enter.
    fn run(&self, command: &str) {
        self.literal(command);
        self.keys(&["Enter"]);
    }

    /// The screen with lines the terminal wrapped joined back into one, so
    /// a long message can be checked whatever the paths' lengths.
    fn screen_joined(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-J", "-t", &self.session])
    }
}

/// Printed after annals exits: the terminal modes it left (checked by
/// `assert_restored`), then an end mark to wait for.
const MODES: &str = "echo MODES: $(stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo); printf '%s-%s\\n' MODES END";

/// The test shells' prompt, unlike anything annals or the tests print.
const PROMPT: &str = "e2e-sh> ";

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd(&["kill-server"]);
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// True (skip) where tmux is missing, which CI never allows.
fn skip_without_tmux() -> bool {
    if tmux_available() {
        return false;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have tmux (.ci/run installs it)"
    );
    eprintln!("tmux not installed: skipping this end-to-end test");
    true
}

#[test]
fn explorer_in_tmux_searches_filters_and_restores_the_terminal() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::shell("e2e", 140, 40);
    let bin = env!("CARGO_BIN_EXE_annals");
    t.run(&format!("{bin}; echo EXIT=$?"));
    let s = t.wait_for("1 Timeline");
    assert!(s.contains("38 of 38 events"), "{s}");
    assert_eq!(
        t.cmd(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim(),
        "1"
    );

    t.keys(&["/"]);
    t.literal("abse 101");
    t.wait_for("place    Air Base 101");
    t.keys(&["Enter"]);
    let s = t.wait_for("place: Air Base 101");
    assert!(s.contains("5 of 38 events"), "{s}");
    assert!(
        s.lines()
            .any(|l| l.contains("[~2024-03-15..]") && l.contains("Russian military")),
        "{s}"
    );

    t.keys(&["q"]);
    let s = t.wait_for("EXIT=0");
    assert!(
        !s.contains("1 Timeline"),
        "the explorer's screen was left behind:\n{s}"
    );
    assert_eq!(
        t.cmd(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim(),
        "0"
    );
    assert_eq!(
        t.cmd(&["display", "-p", "-t", "e2e", "#{cursor_flag}"])
            .trim(),
        "1"
    );
}

#[test]
fn a_bad_store_is_reported_before_the_terminal_is_taken() {
    let bad = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/invalid/duplicate_id.ron"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .arg(bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("duplicate_id.ron:5:56: error: duplicate id"),
        "{err}"
    );
    // No escape sequences: the terminal was never switched.
    assert!(!out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b));
}

#[test]
fn a_large_store_shows_loading_progress_and_quits_while_loading() {
    if skip_without_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("large.ron");
    // Large enough to take seconds to load in a test build.
    std::fs::write(
        &store,
        annals::synth::to_ron(&annals::synth::generate(60_000, 5)),
    )
    .unwrap();
    let t = Tmux::shell("load", 100, 30);
    let bin = env!("CARGO_BIN_EXE_annals");
    t.run(&format!("{bin} {}; echo EXIT=$?", store.display()));
    let s = t.wait_for("annals: loading");
    assert!(s.contains("large.ron"), "{s}");
    assert!(s.contains(" MB"), "{s}");
    t.keys(&["q"]);
    let s = t.wait_for("EXIT=0");
    assert!(!s.contains("annals: loading"), "{s}");
    assert_eq!(
        t.cmd(&["display", "-p", "-t", "load", "#{alternate_on}"])
            .trim(),
        "0"
    );
}

/// A store whose text carries terminal escape sequences, C1 controls, bidi
/// and zero-width characters, explored in a real terminal: the pane title
/// is not changed (OSC 0/2), nothing reaches the clipboard (OSC 52), the
/// screen is not cleared or written over (CSI), and the text is shown as
/// visible characters. Then, as a control, the same sequences printed raw
/// do change the title and the clipboard, so the checks can fail.
#[test]
fn hostile_store_text_cannot_take_over_a_real_terminal() {
    if skip_without_tmux() {
        return;
    }
    let store = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/hostile.ron"
    );
    let t = Tmux::shell("hostile", 160, 45);
    // Let applications set the clipboard, so an OSC 52 would show up as a buffer.
    t.cmd(&["set-option", "-g", "set-clipboard", "on"]);
    let title = || t.cmd(&["display", "-p", "-t", "hostile", "#{pane_title}"]);
    let before = title();
    let bin = env!("CARGO_BIN_EXE_annals");
    t.run(&format!("{bin} {store}; echo EXIT=$?"));
    let s = t.wait_for("1 Timeline");
    // Walk every place store text is drawn: panes, reader, search, help.
    // Wait for the reader to close before the next key: Esc and a key read
    // together are Alt+key to the terminal.
    for k in ["j", "j", "2", "3", "Enter", "n", "n"] {
        t.keys(&[k]);
        std::thread::sleep(Duration::from_millis(60));
    }
    t.wait_for("Esc/q close");
    t.keys(&["Escape"]);
    t.wait_gone("Esc/q close");
    for k in ["1", "k", "k"] {
        t.keys(&[k]);
        std::thread::sleep(Duration::from_millis(60));
    }
    t.keys(&["/"]);
    t.literal("pwned");
    let searched = t.wait_for("results");
    t.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(200));
    let after_walk = t.screen();

    for screen in [&s, &searched, &after_walk] {
        let first = screen.lines().next().unwrap_or_default();
        assert!(
            first.contains("annals"),
            "the header was overwritten:\n{screen}"
        );
        assert!(
            screen.contains("1 Timeline"),
            "the layout was cleared:\n{screen}"
        );
    }
    assert!(s.contains("Hostile␛]0;TITLE-PWNED␇ store␛[2J"), "{s}");
    assert!(after_walk.contains("Clear␛[2J␛[3J screen"), "{after_walk}");
    assert!(searched.contains("PWNED"), "{searched}");
    assert_eq!(title(), before, "the store changed the terminal's title");
    assert_eq!(
        t.cmd(&["list-buffers"]),
        "",
        "the store wrote to the clipboard"
    );

    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    assert_eq!(title(), before);
    assert_eq!(t.cmd(&["list-buffers"]), "");

    // An export written to the terminal through its device file is made
    // harmless as `-o -` is (it set the pane title).
    t.run(&format!(
        "{bin} export {store} --format csv -o /dev/stdout; echo EXPORTED=$?"
    ));
    t.wait_for("EXPORTED=0");
    assert_eq!(title(), before, "export -o /dev/stdout changed the title");

    // The control: the same kinds of sequence, printed raw, do get through.
    // (DO''NE: the command line as typed must not match the wait.)
    t.run(r"printf '\033]2;RAW-TITLE\007\033]52;c;Q0xJUA==\007'; echo DO''NE");
    t.wait_for("DONE");
    assert_eq!(title().trim(), "RAW-TITLE");
    assert!(t.cmd(&["list-buffers"]).contains("CLIP"));
}

/// Runs `command` in a shell in a fresh tmux pane, sends `keys` once the
/// explorer shows `ready`, and returns the screen once the shell prints the
/// exit status and the terminal modes that followed.
fn run_until_exit(name: &str, command: &str, ready: &str, keys: &[&str]) -> (Tmux, String) {
    let t = Tmux::shell(name, 120, 40);
    t.run(&format!("{command}; echo EXIT=$?; {MODES}"));
    t.wait_for(ready);
    if !keys.is_empty() {
        t.keys(keys);
    }
    t.wait_for("MODES-END");
    let s = t.screen_joined();
    (t, s)
}

/// What must hold once annals has exited, however it exited: the normal
/// screen, a visible cursor, no mouse reporting, and cooked mode with echo.
fn assert_restored(t: &Tmux, screen: &str) {
    let flag = |f: &str| {
        t.cmd(&["display", "-p", "-t", &t.session, f])
            .trim()
            .to_string()
    };
    assert_eq!(
        flag("#{alternate_on}"),
        "0",
        "still on the alternate screen"
    );
    assert_eq!(flag("#{cursor_flag}"), "1", "the cursor is hidden");
    assert_eq!(flag("#{mouse_any_flag}"), "0", "mouse reporting left on");
    assert_eq!(flag("#{mouse_button_flag}"), "0", "mouse reporting left on");
    assert!(
        screen.lines().any(|l| l.trim_end() == "MODES: icanon echo"),
        "raw mode left on:\n{screen}"
    );
    assert!(
        !screen.contains("1 Timeline"),
        "the explorer's screen was left behind:\n{screen}"
    );
}

#[test]
fn the_terminal_is_restored_after_a_panic_while_drawing() {
    if skip_without_tmux() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_annals");
    let (t, s) = run_until_exit(
        "panic",
        &format!("RUST_BACKTRACE=0 ANNALS_FAULT=panic {bin}"),
        "1 Timeline",
        &["j"],
    );
    assert!(s.contains("EXIT=101"), "{s}");
    // The panic message is printed on the restored screen, from column 0.
    assert!(
        s.lines()
            .any(|l| l.starts_with("thread 'main'") && l.contains("panicked")),
        "{s}"
    );
    assert!(s.contains("injected fault: ANNALS_FAULT=panic"), "{s}");
    assert_restored(&t, &s);
}

#[test]
fn the_terminal_is_restored_after_an_error_return() {
    if skip_without_tmux() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_annals");
    let (t, s) = run_until_exit(
        "error",
        &format!("ANNALS_FAULT=error {bin}"),
        "1 Timeline",
        &["j"],
    );
    assert!(s.contains("EXIT=1"), "{s}");
    assert!(
        s.lines()
            .any(|l| l.starts_with("annals: terminal error: injected fault: ANNALS_FAULT=error")),
        "{s}"
    );
    assert_restored(&t, &s);
}

/// A search that panics on the worker thread is reported in the search
/// box; nothing is printed over the explorer, which goes on working.
#[test]
fn a_search_that_panics_is_reported_and_the_explorer_goes_on() {
    if skip_without_tmux() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_annals");
    let t = Tmux::shell("search-panic", 120, 40);
    t.run(&format!("ANNALS_FAULT=search-panic {bin}; echo EXIT=$?"));
    t.wait_for("1 Timeline");
    t.keys(&["/"]);
    t.literal("r");
    let s = t.wait_for("search failed");
    assert!(
        s.contains("injected fault: ANNALS_FAULT=search-panic"),
        "{s}"
    );
    assert!(!s.contains("panicked"), "a panic message was printed:\n{s}");
    assert!(
        s.lines().next().unwrap_or_default().contains("annals"),
        "{s}"
    );
    t.literal("uss");
    t.wait_for("actor    Russia");
    t.keys(&["Enter"]);
    t.wait_for("actor: Russia");
    t.keys(&["q"]);
    let s = t.wait_for("EXIT=0");
    assert!(!s.contains("panicked"), "{s}");
}

/// Exporting where the user may not write, in the real binary run as an
/// ordinary user: the dialog says why in plain words and stays open, the
/// existing file is untouched, nothing is left behind, and the explorer
/// goes on.
#[test]
fn an_export_denied_permission_keeps_the_explorer_and_the_file() {
    if skip_without_tmux() {
        return;
    }
    let Some(as_user) = common::unprivileged_prefix() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("brief.md");
    std::fs::write(&existing, "precious").unwrap();
    let read_only = |mode| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    };
    read_only(0o555);
    let bin = env!("CARGO_BIN_EXE_annals");
    let t = Tmux::shell("denied", 120, 40);
    t.run(&format!(
        "cd {} && {as_user}{bin}; echo EXIT=$?",
        dir.path().display()
    ));
    t.wait_for("1 Timeline");
    // Replacing the existing file, then a new one.
    t.keys(&["e"]);
    t.wait_for("Enter write");
    t.keys(&["C-u"]);
    t.literal("brief.md");
    t.keys(&["Enter"]);
    t.wait_for("Replace it?");
    t.keys(&["y"]);
    let s = t.wait_for("Export failed");
    assert!(s.contains("Export failed: Permission denied"), "{s}");
    assert!(s.contains("Nothing was written"), "{s}");
    assert!(
        !s.contains(".annals-export"),
        "the temporary file is named:\n{s}"
    );
    t.keys(&["C-u"]);
    t.literal("new.md");
    t.wait_gone("Export failed");
    t.keys(&["Enter"]);
    let s = t.wait_for("Export failed");
    assert!(s.contains("new.md"), "the typed name was lost:\n{s}");
    t.keys(&["Escape"]);
    t.wait_gone("Export failed");
    t.keys(&["j"]);
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    read_only(0o755);
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "precious");
    assert_eq!(common::names_in(dir.path()), ["brief.md"]);
}

/// A large store whose only problem is at its very end: the loading
/// screen shows, then the explorer opens on the problem list (nothing
/// behind it), and quitting gives the terminal back.
#[test]
fn a_large_broken_store_opens_on_its_problems_after_the_loading_screen() {
    if skip_without_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("broken.ron");
    let mut file = annals::synth::generate(60_000, 9);
    file.claims.last_mut().unwrap().subject = "nobody-at-all".into();
    std::fs::write(&store, annals::synth::to_ron(&file)).unwrap();
    let bin = env!("CARGO_BIN_EXE_annals");
    let t = Tmux::shell("broken", 120, 40);
    t.run(&format!("{bin} {}; echo EXIT=$?; {MODES}", store.display()));
    t.wait_for("annals: loading");
    let s = t.wait_until("the problem list", |s| {
        s.contains("The store does not load") && s.contains("unknown subject")
    });
    assert!(
        s.contains("broken.ron:"),
        "the problem's file and line:\n{s}"
    );
    assert!(!s.contains("annals: loading"), "{s}");
    t.keys(&["Escape"]);
    t.wait_for(":problems lists why");
    t.keys(&["q"]);
    t.wait_for("MODES-END");
    let s = t.screen_joined();
    assert!(s.contains("EXIT=0"), "{s}");
    assert_restored(&t, &s);
}

/// A store saved broken opens on its problems; Enter opens the editor at
/// the problem's line, and the save that fixes it shows the store.
#[test]
fn a_broken_store_opens_on_its_problems_and_the_editor_fixes_it() {
    if skip_without_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("floods.ron");
    let good = include_str!("../data/niger.ron");
    let broken = good.replacen("id: \"coup\"", "id: \"coup\", bogus: 1", 1);
    std::fs::write(&store, &broken).unwrap();
    let line = broken.lines().position(|l| l.contains("bogus: 1")).unwrap() + 1;
    // The "editor" records where it was asked to open and removes the fault.
    let editor = dir.path().join("editor.sh");
    let log = dir.path().join("opened");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\necho \"$@\" > {}\nsed -i 's/, bogus: 1//' \"$2\"\n",
            log.display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(&editor)
        .status()
        .unwrap();
    let t = Tmux::shell("opensbroken", 100, 30);
    let bin = env!("CARGO_BIN_EXE_annals");
    t.run(&format!(
        "VISUAL='{} ' {bin} {}; echo EXIT=$?",
        editor.display(),
        store.display()
    ));
    let s = t.wait_until("the problem list", |s| {
        s.contains("The store does not load") && s.contains("bogus")
    });
    assert!(s.contains(&format!("floods.ron:{line}:")), "{s}");
    assert!(s.contains("did not load"), "{s}");
    t.keys(&["Enter"]);
    let s = t.wait_until("the fixed store", |s| {
        s.contains("Reloaded") && s.contains("Military coup")
    });
    assert!(!s.contains("The store does not load"), "{s}");
    let opened = std::fs::read_to_string(&log).unwrap();
    assert!(opened.starts_with(&format!("+{line} ")), "{opened}");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}

/// The control for the two tests above: a program that leaves the
/// alternate screen on, the cursor hidden and raw mode set is caught.
#[test]
fn a_terminal_left_broken_is_caught_by_the_restore_checks() {
    if skip_without_tmux() {
        return;
    }
    let (t, s) = run_until_exit(
        "broken-control",
        r"printf '\033[?1049h\033[?25l\033[?1000h READY '; stty -icanon -echo",
        "READY",
        &[],
    );
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| assert_restored(&t, &s)));
    assert!(caught.is_err(), "a broken terminal passed the checks:\n{s}");
}

/// SIGTERM, SIGHUP and SIGINT sent from outside (a window closed, `kill`)
/// end the explorer with the terminal restored, not left in raw mode on
/// the alternate screen.
#[test]
fn the_terminal_is_restored_after_a_signal() {
    if skip_without_tmux() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_annals");
    for sig in ["TERM", "HUP", "INT"] {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("pid");
        let t = Tmux::shell(&format!("signal-{sig}"), 120, 40);
        t.run(&format!(
            "sh -c 'echo $$ > {}; exec {bin}'; echo EXIT=$?; {MODES}",
            pidfile.display()
        ));
        t.wait_for("1 Timeline");
        let pid = std::fs::read_to_string(&pidfile).unwrap();
        let killed = std::process::Command::new("kill")
            .args([&format!("-{sig}"), pid.trim()])
            .status()
            .unwrap();
        assert!(killed.success());
        t.wait_for("MODES-END");
        let s = t.screen_joined();
        assert_restored(&t, &s);
    }
}

/// SIGTERM while the main thread is stuck (on a file, say: injected here
/// with `ANNALS_FAULT=hang`) still ends the explorer with the terminal
/// restored: the signal thread restores it when the main thread does not.
#[test]
fn a_signal_restores_the_terminal_even_when_the_main_thread_is_stuck() {
    if skip_without_tmux() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_annals");
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let t = Tmux::shell("signal-stuck", 120, 40);
    t.run(&format!(
        "ANNALS_FAULT=hang sh -c 'echo $$ > {}; exec {bin}'; echo EXIT=$?; {MODES}",
        pidfile.display()
    ));
    t.wait_for("1 Timeline");
    t.keys(&["j"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", pid.trim()])
        .status()
        .unwrap();
    assert!(killed.success());
    t.wait_for("MODES-END");
    let s = t.screen_joined();
    assert!(s.contains("EXIT=143"), "{s}");
    assert_restored(&t, &s);
}

/// The authoring loop, end to end: `E` hands the terminal to an editor (a
/// script here) at the selected event's line; its save is reloaded with the
/// selection kept; a save that breaks the store keeps the last good version
/// and lists the problem with its line; the next good save clears it.
#[test]
fn editing_the_store_reloads_it_and_a_broken_save_lists_its_problems() {
    if skip_without_tmux() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("annals-e2e-edit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = dir.join("s.ron");
    std::fs::write(&store, include_str!("../data/niger.ron")).unwrap();
    // The "editor": records where it was asked to open, then edits as told
    // by the file `plan` (rename a title, or break the file).
    let editor = dir.join("editor.sh");
    let log = dir.join("opened");
    let plan = dir.join("plan");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\necho \"$@\" > {log}\nsh {plan} \"$2\"\n",
            log = log.display(),
            plan = plan.display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(&editor)
        .status()
        .unwrap();
    std::fs::write(
        &plan,
        "sed -i 's/Military coup in Niger overthrows/EDITED coup overthrows/' \"$1\"\n",
    )
    .unwrap();
    let t = Tmux::shell("edit", 140, 40);
    let bin = env!("CARGO_BIN_EXE_annals");
    t.run(&format!(
        "VISUAL='{} ' {bin} {}; echo EXIT=$?",
        editor.display(),
        store.display()
    ));
    t.wait_for("1 Timeline");
    // Select the coup (the fourth event) and open the editor there.
    for _ in 0..3 {
        t.keys(&["j"]);
        std::thread::sleep(Duration::from_millis(50));
    }
    t.keys(&["E"]);
    // The frame may be caught half drawn: wait for all of it.
    let s = t.wait_until("the reloaded store", |s| {
        s.contains("EDITED coup overthrows") && s.contains("Reloaded")
    });
    let opened = std::fs::read_to_string(&log).unwrap();
    let line: usize = opened
        .split_whitespace()
        .next()
        .and_then(|a| a.strip_prefix('+'))
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("the editor was not given a line: {opened}"));
    let text = std::fs::read_to_string(&store).unwrap();
    assert!(
        text.lines()
            .nth(line)
            .unwrap_or("")
            .contains("id: \"coup\""),
        "opened at line {line}, not at the coup"
    );
    assert!(s.contains("Reloaded"), "{s}");
    assert!(
        s.lines()
            .any(|l| l.contains('›') && l.contains("EDITED coup")),
        "the selection stayed on the edited event:\n{s}"
    );
    // A save that breaks the store.
    std::fs::write(
        &plan,
        "sed -i 's/id: \"coup\"/id: \"coup\", bogus: 1/' \"$1\"\n",
    )
    .unwrap();
    t.keys(&["E"]);
    let s = t.wait_until("the problems", |s| {
        s.contains("The store does not load") && s.contains("bogus")
    });
    assert!(
        s.contains(&format!("s.ron:{}:", line + 1)),
        "the problem's line:\n{s}"
    );
    assert!(s.contains("unexpected field named `bogus`"), "{s}");
    t.keys(&["Escape"]);
    // The last good version stays (waited for whole: a frame can be
    // caught half drawn).
    t.wait_until("the last good version", |s| {
        !s.contains("The store does not load") && s.contains("EDITED coup")
    });
    // Fixed in the editor again: the good version loads.
    std::fs::write(&plan, "sed -i 's/, bogus: 1//' \"$1\"\n").unwrap();
    t.keys(&["E"]);
    let s = t.wait_for("Reloaded");
    assert!(!s.contains("The store does not load"), "{s}");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Open, filter, mark, star, quit; open again: everything is back.
#[test]
fn a_session_comes_back_after_quitting() {
    if skip_without_tmux() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("annals-e2e-session-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = dir.join("s.ron");
    std::fs::write(&store, include_str!("../data/niger.ron")).unwrap();
    let t = Tmux::shell("session", 160, 45);
    let bin = env!("CARGO_BIN_EXE_annals");
    let open = format!("{bin} {}; echo EXIT=$?", store.display());
    t.run(&open);
    t.wait_for("1 Timeline");
    t.keys(&[":"]);
    t.literal("actor niger junta");
    t.keys(&["Enter"]);
    t.wait_for("actor: Niger junta");
    for k in ["j", "Space", "j", "*"] {
        t.keys(&[k]);
        std::thread::sleep(Duration::from_millis(60));
    }
    let before = t.wait_for("Starred");
    let selected = before
        .lines()
        .find(|l| l.contains('›') && l.contains('*'))
        .map(|l| l.to_string())
        .unwrap_or_else(|| panic!("no starred selected row:\n{before}"));
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    t.run("clear");
    t.run(&open);
    let after = t.wait_until("the restored session", |s| {
        s.contains("last session is back") && s.contains("1 marked")
    });
    assert!(after.contains("actor: Niger junta"), "{after}");
    let title_part = selected.split_whitespace().rev().nth(2).unwrap_or("");
    assert!(
        after
            .lines()
            .any(|l| l.contains('›') && l.contains('*') && l.contains(title_part)),
        "the same event selected and starred:\n{after}"
    );
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    // --fresh starts clean.
    t.run("clear");
    t.run(&format!("{bin} --fresh {}; echo EXIT=$?", store.display()));
    let fresh = t.wait_for("1 Timeline");
    assert!(
        fresh.contains("38 of 38 events") && !fresh.contains("actor: Niger junta"),
        "{fresh}"
    );
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A load cache file cut short under a running explorer (another program
/// truncating it in place) ends the explorer with a bus error, which it
/// cannot survive: the terminal is still restored, and it says why.
#[test]
fn the_terminal_is_restored_after_a_bus_error() {
    if skip_without_tmux() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_annals");
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let store = dir.path().join("store.ron");
    std::fs::write(
        &store,
        annals::synth::to_ron(&annals::synth::generate(3000, 5)),
    )
    .unwrap();
    let wrote = std::process::Command::new(bin)
        .env("ANNALS_CACHE_DIR", &cache)
        .arg("check")
        .arg(&store)
        .output()
        .unwrap();
    assert!(wrote.status.success());
    let model = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "model"))
        .expect("the model file is written");
    let t = Tmux::shell("bus-error", 120, 40);
    t.run(&format!(
        "ANNALS_CACHE_DIR={} {bin} {}; echo EXIT=$?; echo; {MODES}",
        cache.display(),
        store.display()
    ));
    t.wait_for("1 Timeline");
    // Cut short in place, not replaced: the pages the model's strings
    // point into are gone from under it.
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&model)
        .unwrap();
    f.set_len(100).unwrap();
    // The search thread building its index may touch the lost pages
    // first; else the last events' titles, not read yet, do. A key typed
    // after the end is echoed by the shell's terminal: on a line of its own.
    let start = Instant::now();
    while !t.screen().contains("EXIT=") && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(100));
    }
    if !t.screen().contains("EXIT=") {
        t.keys(&["G"]);
    }
    t.wait_for("MODES-END");
    let s = t.screen_joined();
    assert!(s.contains("EXIT=135"), "{s}");
    assert!(s.contains("annals: bus error"), "{s}");
    assert_restored(&t, &s);
}

/// The files in the load cache directory `dir`, by name.
fn cache_files(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Waits (a minute at most) until the cache in `dir` holds a model and an
/// index file and nothing half-written, then checks the next open of
/// `store` comes from it and equals the parsed model.
fn cache_is_finished(dir: &std::path::Path, store: &std::path::Path) {
    let start = Instant::now();
    let done = |f: &[String]| {
        f.iter().any(|n| n.ends_with(".model"))
            && f.iter().any(|n| n.ends_with(".index"))
            && !f.iter().any(|n| n.starts_with(".annals-cache-"))
    };
    while !done(&cache_files(dir)) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the cache was never finished: {:?}",
            cache_files(dir)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let opened =
        annals::cache::open_in(Some(dir), store, &annals::store::load::Progress::default())
            .unwrap();
    assert!(opened.from_cache, "the next open comes from the cache");
    assert!(opened.model == annals::load_path(store).unwrap());
    let kept = opened.index.expect("the cache is in use");
    assert!(kept.load(&opened.model).is_some(), "the index is kept");
}

/// Whether the process `pid` is gone (or a zombie).
fn process_gone(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |s| {
        s.rsplit(')')
            .next()
            .is_some_and(|r| r.trim_start().starts_with('Z'))
    })
}

/// Quitting (q) or closing the terminal does not wait for the load cache
/// (here its writes wait for a file the test makes only after the
/// explorer has ended): a process of its own finishes it afterwards, out
/// of the terminal, and the next open reads it.
#[test]
fn the_end_does_not_wait_for_the_load_cache_and_it_is_finished_after() {
    if skip_without_tmux() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_annals");
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store.ron");
    let synth = annals::synth::generate(400, 11);
    std::fs::write(&store, annals::synth::to_ron(&synth)).unwrap();
    for ending in ["q", "closing the terminal"] {
        let cache = dir.path().join(format!("cache-{}", ending.len()));
        let go = dir.path().join(format!("go-{}", ending.len()));
        let t = Tmux::shell(&format!("later{}", ending.len()), 120, 40);
        let pid_file = dir.path().join(format!("pid-{}", ending.len()));
        t.run(&format!(
            "sh -c 'echo $$ > {}; exec env ANNALS_CACHE_DIR={} ANNALS_FAULT_CACHE_WAIT={} {bin} {}'; echo EXIT=$?",
            pid_file.display(),
            cache.display(),
            go.display(),
            store.display()
        ));
        t.wait_for("1 Timeline");
        let pid = std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .to_string();
        if ending == "q" {
            t.keys(&["q"]);
            t.wait_for("EXIT=0");
        } else {
            drop(t);
            let start = Instant::now();
            while !process_gone(&pid) {
                assert!(start.elapsed() < Duration::from_secs(60), "never ended");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        assert!(process_gone(&pid), "{ending}: the explorer has ended");
        let files = cache_files(&cache);
        assert!(
            !files.iter().any(|f| f.ends_with(".model")),
            "{ending}: nothing written before it may be: {files:?}"
        );
        std::fs::write(&go, "").unwrap();
        cache_is_finished(&cache, &store);
    }
}

/// A cache left to finish after the end holds no pipe of whoever ran
/// annals: a program reading its output sees the end at once (here the
/// explorer, without a terminal, stops at once after loading).
#[test]
fn the_cache_finished_after_the_end_holds_no_pipe() {
    let bin = env!("CARGO_BIN_EXE_annals");
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store.ron");
    let synth = annals::synth::generate(400, 12);
    std::fs::write(&store, annals::synth::to_ron(&synth)).unwrap();
    let (cache, go) = (dir.path().join("cache"), dir.path().join("go"));
    let mut child = Command::new(bin)
        .env("ANNALS_CACHE_DIR", &cache)
        .env("ANNALS_FAULT_CACHE_WAIT", &go)
        .arg(&store)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut said = String::new();
        let _ = out.read_to_string(&mut said);
        let _ = err.read_to_string(&mut said);
        let _ = tx.send(said);
    });
    let said = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the pipes are closed when annals ends, though the cache is not written");
    assert!(said.contains("not a terminal"), "{said}");
    assert!(!child.wait().unwrap().success());
    assert!(!cache_files(&cache).iter().any(|f| f.ends_with(".model")));
    std::fs::write(&go, "").unwrap();
    // The model only: without a terminal no search thread began an index.
    let start = Instant::now();
    while !cache_files(&cache).iter().any(|f| f.ends_with(".model")) {
        assert!(start.elapsed() < Duration::from_secs(60), "never written");
        std::thread::sleep(Duration::from_millis(50));
    }
    let opened = annals::cache::open_in(
        Some(&cache),
        &store,
        &annals::store::load::Progress::default(),
    )
    .unwrap();
    assert!(opened.from_cache);
}
