//! The documentation (README.md, docs/, data/README.md) holds together:
//! every relative link reaches a file and every `#anchor` a heading in it,
//! the keys reference is the one the keys table makes, and the commands
//! reference names every command and option `annals --help` lists.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// README.md, data/README.md and every Markdown file under docs/.
fn pages() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    let root = Path::new(ROOT);
    let mut out = vec![root.join("README.md"), root.join("data/README.md")];
    walk(&root.join("docs"), &mut out);
    out.sort();
    out
}

fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES)
}

/// GitHub's anchor for a heading: lower case, spaces to `-`, punctuation
/// but `-` and `_` dropped; a repeated one gets `-1`, `-2`, ...
fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a page's headings.
fn anchors(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut heading: Option<String> = None;
    for ev in parser(text) {
        match ev {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let base = slug(&heading.take().unwrap_or_default());
                let mut s = base.clone();
                let mut n = 0;
                while out.contains(&s) {
                    n += 1;
                    s = format!("{base}-{n}");
                }
                out.insert(s);
            }
            _ => {}
        }
    }
    out
}

/// The links and images of a page that point inside the repository.
fn relative_links(text: &str) -> Vec<String> {
    parser(text)
        .filter_map(|ev| match ev {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .filter(|d| !d.contains("://") && !d.starts_with("mailto:"))
        .collect()
}

/// What is wrong with each relative link of `page`.
fn broken_links(page: &Path) -> Vec<String> {
    let text = fs::read_to_string(page).unwrap();
    let mut broken = Vec::new();
    for link in relative_links(&text) {
        let (path, anchor) = link.split_once('#').unwrap_or((&link, ""));
        let target = if path.is_empty() {
            page.to_path_buf()
        } else {
            page.parent().unwrap().join(path)
        };
        if !target.exists() {
            broken.push(format!("{link}: no file {}", target.display()));
            continue;
        }
        if anchor.is_empty() {
            continue;
        }
        let heads = fs::read_to_string(&target).map(|t| anchors(&t));
        if !heads.is_ok_and(|h| h.contains(anchor)) {
            broken.push(format!(
                "{link}: no heading #{anchor} in {}",
                target.display()
            ));
        }
    }
    broken
}

#[test]
fn github_anchors_are_made_as_github_makes_them() {
    assert_eq!(slug("The load cache"), "the-load-cache");
    assert_eq!(
        slug("`claims`: values sources state, and may disagree on"),
        "claims-values-sources-state-and-may-disagree-on"
    );
    assert_eq!(
        slug("Lineage: a copy is not a second source"),
        "lineage-a-copy-is-not-a-second-source"
    );
    let twice = anchors("## Speed\n\n## Speed\n");
    assert!(
        twice.contains("speed") && twice.contains("speed-1"),
        "{twice:?}"
    );
}

#[test]
fn every_relative_link_reaches_a_file_and_heading() {
    let pages = pages();
    assert!(pages.len() > 10, "{pages:?}");
    let mut broken = Vec::new();
    let mut count = 0;
    for page in &pages {
        count += relative_links(&fs::read_to_string(page).unwrap()).len();
        for b in broken_links(page) {
            broken.push(format!(
                "{}: {b}",
                page.strip_prefix(ROOT).unwrap().display()
            ));
        }
    }
    assert!(count > 50, "only {count} links read");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn a_broken_link_or_anchor_is_found() {
    // The check itself, on a page made for it: a control.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("b.md"), "# Top\n\n## The `x` part\n").unwrap();
    let page = dir.path().join("a.md");
    fs::write(
        &page,
        "[ok](b.md) [ok](b.md#the-x-part) [ok](#here)\n\n## Here\n\n\
         [no](c.md) [no](b.md#nope) [no](#nowhere) ![no](img.png)\n",
    )
    .unwrap();
    let broken = broken_links(&page);
    assert_eq!(broken.len(), 4, "{broken:#?}");
}

/// The part of `page` between `start` and `end` (markers on their own).
fn generated_part(page: &str, start: &str, end: &str) -> (usize, usize) {
    let s = page.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let e = page.find(end).unwrap_or_else(|| panic!("no {end}"));
    (s, e)
}

#[test]
fn the_keys_reference_is_the_keys_table() {
    use annals::tui::keys::reference::{END, START, markdown};
    let path = Path::new(ROOT).join("docs/reference/keys.md");
    let page = fs::read_to_string(&path).unwrap();
    let (s, e) = generated_part(&page, START, END);
    let want = format!("\n{}\n", markdown().trim());
    if page[s..e] != want && std::env::var_os("UPDATE_DOCS").is_some() {
        fs::write(&path, format!("{}{want}{}", &page[..s], &page[e..])).unwrap();
        return;
    }
    assert!(
        page[s..e] == want,
        "docs/reference/keys.md differs from the keys table (src/tui/keys/table.rs); \
         UPDATE_DOCS=1 cargo test --test docs writes it again. First difference:\n{}",
        first_difference(&page[s..e], &want)
    );
}

fn first_difference(have: &str, want: &str) -> String {
    let (h, w): (Vec<&str>, Vec<&str>) = (have.lines().collect(), want.lines().collect());
    for i in 0..h.len().max(w.len()) {
        if h.get(i) != w.get(i) {
            return format!("page:  {:?}\ntable: {:?}", h.get(i), w.get(i));
        }
    }
    String::new()
}

fn annals_help(args: &[&str]) -> String {
    let out = Command::cargo_bin("annals")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// A `## ` section of `page`, from its heading line (which starts with
/// `head`) to the next.
fn section<'a>(page: &'a str, head: &str) -> Option<&'a str> {
    let start = page.find(&format!("\n## {head}"))? + 1;
    let rest = &page[start..];
    Some(&rest[..rest[1..].find("\n## ").map_or(rest.len(), |i| i + 1)])
}

#[test]
fn the_commands_reference_names_every_command_and_option() {
    let page = fs::read_to_string(Path::new(ROOT).join("docs/reference/commands.md")).unwrap();
    let filters = section(&page, "Filters").expect("a Filters section");
    let global = section(&page, "`annals`").expect("a section on `annals` itself");
    let root = annals_help(&["--help"]);
    let list = root
        .split("Commands:\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    let mut subs: Vec<&str> = list
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .collect();
    assert!(subs.len() >= 10);
    subs.insert(0, "");
    for sub in subs {
        let head = format!("`annals{}{sub}", if sub.is_empty() { "" } else { " " });
        let part = section(&page, &head)
            .unwrap_or_else(|| panic!("no heading ## {head}` in docs/reference/commands.md"));
        let mut args = vec!["-h"];
        if !sub.is_empty() {
            args.insert(0, sub);
        }
        for line in annals_help(&args).lines() {
            let t = line.trim_start();
            if !t.starts_with('-') {
                continue;
            }
            let long = t.split([',', ' ']).find(|w| w.starts_with("--")).unwrap();
            if ["--help", "--version"].contains(&long) {
                continue;
            }
            // Filters are given once, under Filters; global options
            // (--no-cache) under `annals`.
            let shared = (part.contains("(#filters)") && filters.contains(&format!("`{long}")))
                || (!sub.is_empty() && global.contains(&format!("`{long}")));
            assert!(
                part.contains(&format!("`{long}")) || shared,
                "docs/reference/commands.md does not give {head}`'s {long} under its heading"
            );
        }
    }
}

#[test]
fn the_settings_reference_names_every_action_and_style() {
    use annals::config::{Action, StyleName};
    let page = fs::read_to_string(Path::new(ROOT).join("docs/reference/settings.md")).unwrap();
    for a in Action::ALL {
        assert!(
            page.contains(&format!("| `{}` |", a.name())),
            "docs/reference/settings.md lacks the action {}",
            a.name()
        );
    }
    for s in StyleName::ALL {
        assert!(
            page.contains(&format!("| `{}` |", s.name())),
            "docs/reference/settings.md lacks the style {}",
            s.name()
        );
    }
}
