//! The command line's own documentation: `-h` and `--help` of every
//! command, the shell completion scripts and the manual page. Every test
//! walks the commands `annals --help` lists, so a command added is checked
//! without changing this file.

use std::io::Write;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

fn annals(args: &[&str]) -> String {
    let out = Command::cargo_bin("annals")
        .unwrap()
        .args(args)
        .env("HOME", "/nonexistent-home")
        .env_remove("ANNALS_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    assert!(out.status.success(), "annals {args:?} failed: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The commands `annals --help` lists (not clap's `help`).
fn subcommands() -> Vec<String> {
    let help = annals(&["--help"]);
    let list = help
        .split("Commands:\n")
        .nth(1)
        .expect("a Commands section")
        .split("\n\n")
        .next()
        .unwrap();
    let names: Vec<String> = list
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    names
}

/// Each command's arguments: no command (the explorer), then every one.
fn every_command() -> Vec<Vec<String>> {
    let mut all = vec![vec![]];
    all.extend(subcommands().into_iter().map(|s| vec![s]));
    all
}

/// The entries of the help's lists (arguments, options, commands): each
/// entry's first line and the lines that continue it.
fn entries(help: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    let mut in_list = false;
    for line in help.lines() {
        if ["Arguments:", "Options:", "Commands:"].contains(&line) {
            in_list = true;
            continue;
        }
        if line.is_empty() || !line.starts_with(' ') {
            in_list = false;
            continue;
        }
        if !in_list {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        // An option's line starts with `-` however deep; an argument's or
        // a command's at two spaces. Deeper text continues the entry above.
        let continues = indent > 2 && !line.trim_start().starts_with('-');
        match out.last_mut() {
            Some(e) if continues => e.push(line),
            _ => out.push(vec![line]),
        }
    }
    out
}

/// An entry's help text: what follows its name after two spaces.
fn summary(first_line: &str) -> &str {
    let t = first_line.trim_start();
    t.find("  ").map_or("", |i| t[i..].trim())
}

#[test]
fn short_help_gives_each_option_one_line_of_80_columns() {
    for args in every_command() {
        let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
        a.push("-h");
        let help = annals(&a);
        for line in help.lines() {
            assert!(
                line.chars().count() <= 80,
                "annals {a:?}: a line over 80 columns:\n{line}"
            );
        }
        let found = entries(&help);
        assert!(!found.is_empty(), "annals {a:?}: no options read:\n{help}");
        for e in found {
            assert_eq!(e.len(), 1, "annals {a:?}: an entry over one line:\n{e:#?}");
            let text = summary(e[0]);
            assert!(!text.is_empty(), "annals {a:?}: no help for {:?}", e[0]);
            let first = text.chars().next().unwrap();
            assert!(
                !first.is_lowercase(),
                "annals {a:?}: help starting in lower case: {:?}",
                e[0]
            );
            assert!(
                !text.ends_with('.'),
                "annals {a:?}: a short help ending with a period: {:?}",
                e[0]
            );
        }
        // The command's own line: no period either.
        let about = help.lines().next().unwrap();
        assert!(!about.ends_with('.'), "annals {a:?}: {about:?}");
    }
}

#[test]
fn long_help_of_every_command_has_examples_of_it() {
    for args in every_command() {
        let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
        a.push("--help");
        let help = annals(&a);
        let examples = help
            .split("\nExamples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("annals {a:?} --help has no Examples section:\n{help}"));
        let call = format!("annals {}", args.join(" "));
        assert!(
            examples
                .lines()
                .any(|l| l.trim_start().starts_with(call.trim_end())),
            "annals {a:?}: no example runs {call:?}:\n{examples}"
        );
    }
}

/// How each shell's script offers a command at the top level.
fn offers(shell: &str, script: &str, sub: &str) -> bool {
    match shell {
        // `opts="-h -V ... check list ..."` for annals itself.
        "bash" => script
            .lines()
            .skip_while(|l| l.trim() != "annals)")
            .find(|l| l.trim_start().starts_with("opts="))
            .is_some_and(|l| l.split(['"', ' ']).any(|w| w == sub)),
        "zsh" => script.contains(&format!("'{sub}:")),
        "fish" => script.contains(&format!("__fish_annals_needs_command\" -a \"{sub}\"")),
        "powershell" => script.contains(&format!("[CompletionResult]::new('{sub}'")),
        "elvish" => script.contains(&format!("cand {sub} ")),
        other => panic!("no check for {other}"),
    }
}

#[test]
fn completion_scripts_offer_every_command() {
    let subs = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = annals(&["completions", shell]);
        for sub in &subs {
            assert!(
                offers(shell, &script, sub),
                "the {shell} completions do not offer {sub}"
            );
        }
        // And the options of a command: export's --format.
        assert!(script.contains("format"), "{shell}: no --format");
    }
}

/// `shell` with `args` on `script` (given on stdin): whether it accepts
/// it; `None` (skipped, with a message) when the shell is not installed,
/// outside CI.
fn parses(shell: &str, args: &[&str], script: &str) -> Option<bool> {
    let child = Command::new(shell)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        let msg = format!("cli_docs: {shell} SKIPPED, not on PATH (apt-get install {shell})");
        let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(!in_ci, "{msg}");
        eprintln!("{msg}");
        return None;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if !out.status.success() {
        eprintln!("{shell}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Some(out.status.success())
}

#[test]
fn completion_scripts_parse_in_their_shells() {
    let bash = annals(&["completions", "bash"]);
    assert_eq!(parses("bash", &["-n"], &bash), Some(true));
    // A control: a broken script is refused.
    assert_eq!(
        parses("bash", &["-n"], &bash.replace("esac", "")),
        Some(false)
    );
    let zsh = annals(&["completions", "zsh"]);
    assert_ne!(parses("zsh", &["-n"], &zsh), Some(false));
    let fish = annals(&["completions", "fish"]);
    assert_ne!(parses("fish", &["--no-execute"], &fish), Some(false));
}

#[test]
fn the_manual_page_renders_with_every_command_and_option() {
    let roff = annals(&["man"]);
    assert!(
        roff.starts_with(".ie") || roff.starts_with(".TH"),
        "{roff:.200}"
    );
    // groff renders it without a warning (-ww: all of them, -z: no output).
    let mut child = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-rLL=80n"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("groff (apt-get install groff-base)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(roff.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && warnings.is_empty(), "{warnings}");
    // groff writes bold and underlined text by overstriking (a character,
    // a backspace, another), hyphens and quotes its own way: plain ASCII.
    let mut plain = String::new();
    for c in String::from_utf8_lossy(&out.stdout).chars() {
        match c {
            '\u{8}' => {
                plain.pop();
            }
            '\u{2010}' | '\u{2212}' => plain.push('-'),
            '\u{2018}' | '\u{2019}' => plain.push('\''),
            c => plain.push(c),
        }
    }
    for sub in subcommands() {
        assert!(
            plain.contains(&format!("annals {sub}")),
            "no {sub} in the page"
        );
        let help = annals(&[&sub, "-h"]);
        for e in entries(&help) {
            let name = e[0].trim_start();
            let long = name.split([',', ' ']).find(|w| w.starts_with("--"));
            if let Some(long) = long.filter(|l| !["--help", "--version"].contains(l)) {
                assert!(plain.contains(long), "the page lacks {sub}'s {long}");
            }
        }
    }
    for section in ["NAME", "SYNOPSIS", "OPTIONS", "COMMANDS", "EXAMPLES"] {
        assert!(plain.contains(section), "no {section}");
    }
}
