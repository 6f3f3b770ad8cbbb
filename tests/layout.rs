//! The shape of the code: the layout block of docs/reference/layout.md
//! matches the tree,
//! and the rules that keep the data flowing one way hold.

use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The page whose layout block names every folder and top file of `src/`.
const LAYOUT_DOC: &str = "docs/reference/layout.md";

/// The entries of the layout block (docs/reference/layout.md), as paths
/// below the project
/// (`src/cli`, `src/tui/panes`, `src/model.rs`).
fn layout_entries() -> Vec<String> {
    let readme = fs::read_to_string(Path::new(ROOT).join(LAYOUT_DOC)).unwrap();
    let start = readme
        .find("<!-- layout:start -->")
        .expect("layout start marker");
    let end = readme
        .find("<!-- layout:end -->")
        .expect("layout end marker");
    let mut parents: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    for line in readme[start..end].lines() {
        let indent = line.len() - line.trim_start().len();
        let Some(name) = line.split_whitespace().next() else {
            continue;
        };
        if line.starts_with("```") || line.starts_with("<!--") {
            continue;
        }
        let depth = indent / 2;
        parents.truncate(depth);
        let path = if depth == 0 {
            name.trim_end_matches('/').to_string()
        } else {
            format!("{}/{}", parents.join("/"), name.trim_end_matches('/'))
        };
        if name.ends_with('/') {
            parents.push(name.trim_end_matches('/').to_string());
        }
        if depth > 0 {
            entries.push(path);
        }
    }
    entries
}

/// Folders and `.rs` files directly in `dir`, as paths below the project.
fn children(dir: &str) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(Path::new(ROOT).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "rs"))
        .map(|p| format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    out.sort();
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_path_in_the_layout_block_exists() {
    let entries = layout_entries();
    assert!(entries.len() > 10, "layout block not read: {entries:?}");
    for e in &entries {
        assert!(
            Path::new(ROOT).join(e).exists(),
            "{LAYOUT_DOC} names {e}, which is not in the tree"
        );
    }
}

#[test]
fn every_folder_and_top_file_of_src_is_in_the_layout_block() {
    let entries = layout_entries();
    let tui_folders = children("src/tui")
        .into_iter()
        .filter(|p| Path::new(ROOT).join(p).is_dir());
    for p in children("src").into_iter().chain(tui_folders) {
        assert!(
            entries.contains(&p),
            "{p} is in the tree but not in the layout block of {LAYOUT_DOC}"
        );
    }
}

#[test]
fn few_files_stand_directly_in_src_and_in_src_tui() {
    let count = |dir| children(dir).iter().filter(|p| p.ends_with(".rs")).count();
    assert!(count("src") <= 10, "{} .rs files in src/", count("src"));
    assert!(
        count("src/tui") <= 12,
        "{} .rs files in src/tui/",
        count("src/tui")
    );
}

#[test]
fn no_source_file_is_over_900_lines() {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    for f in files {
        let n = fs::read_to_string(&f).unwrap().lines().count();
        assert!(n <= 900, "{} has {n} lines", f.display());
    }
}

#[test]
fn the_core_imports_no_front_end_and_nothing_imports_the_command_line() {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    let front = [
        "src/tui/",
        "src/cli/",
        "src/main.rs",
        "src/lib.rs",
        "src/config.rs",
    ];
    for f in files {
        let rel = f
            .strip_prefix(ROOT)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(&f).unwrap();
        if !rel.starts_with("src/cli/") && rel != "src/main.rs" {
            assert!(
                !text.contains("crate::cli"),
                "{rel} imports the command line"
            );
        }
        if front.iter().any(|p| rel.starts_with(p)) {
            continue;
        }
        for word in ["crate::tui", "ratatui", "crossterm"] {
            assert!(!text.contains(word), "the core file {rel} names {word}");
        }
    }
}

#[test]
fn notes_and_sessions_do_not_import_the_exports() {
    for f in ["src/annotate/notes.rs", "src/annotate/sessions.rs"] {
        let text = fs::read_to_string(Path::new(ROOT).join(f)).unwrap();
        assert!(!text.contains("crate::export"), "{f} imports the exports");
    }
}
