//! Writing stores: `annals new`, `annals add-source`.

use std::path::PathBuf;
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

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("annals-authoring-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn new_writes_a_valid_commented_store_and_never_replaces_one() {
    let d = dir("new");
    let store = d.join("s.ron");
    let s = store.to_str().unwrap();
    let (ok, _, err) = annals(&["new", s, "--title", "Floods of 2024"]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&store).unwrap();
    assert!(text.contains("// What happened, never more precise than the sources"));
    let (ok, _, err) = annals(&["check", s]);
    assert!(ok, "{err}");
    std::fs::write(&store, "mine").unwrap();
    let (ok, _, err) = annals(&["new", s, "--title", "Other"]);
    assert!(!ok && err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&store).unwrap(), "mine");
}

#[test]
fn add_source_appends_the_article_as_written_and_keeps_the_rest() {
    let d = dir("add");
    let store = d.join("s.ron");
    let original = include_str!("../data/niger.ron");
    std::fs::write(&store, original).unwrap();
    let article = d.join("a.txt");
    std::fs::write(
        &article,
        "Flood waters rose.\n\nThe mayor said \"stay home\".\n",
    )
    .unwrap();
    let (s, a) = (store.to_str().unwrap(), article.to_str().unwrap());
    let (ok, _, err) = annals(&[
        "add-source",
        s,
        a,
        "--outlet",
        "River Gazette",
        "--title",
        "Waters rise",
        "--published",
        "2024-05-02",
        "--kind",
        "news",
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("added source \"waters-rise\""), "{err}");
    let text = std::fs::read_to_string(&store).unwrap();
    // One insertion: the old text is a prefix and a suffix of the new.
    let prefix = original
        .bytes()
        .zip(text.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = original
        .bytes()
        .rev()
        .zip(text.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert!(prefix + suffix >= original.len());
    assert!(
        text.contains("Flood waters rose.\n\nThe mayor said \"stay home\"."),
        "line breaks kept"
    );
    let m = annals::load_str(&text, "s.ron").unwrap();
    let src = m
        .sources
        .iter()
        .find(|x| x.id.as_str() == "waters-rise")
        .unwrap();
    assert_eq!(src.outlet.as_str(), "River Gazette");
    // The same text again, or the same id: refused, file unchanged.
    let (ok, _, err) = annals(&["add-source", s, a, "--outlet", "X", "--title", "Again"]);
    assert!(!ok && err.contains("already in the store"), "{err}");
    let other = d.join("b.txt");
    std::fs::write(&other, "Something else.").unwrap();
    let (ok, _, err) = annals(&[
        "add-source",
        s,
        other.to_str().unwrap(),
        "--outlet",
        "X",
        "--title",
        "T",
        "--id",
        "waters-rise",
    ]);
    assert!(!ok && err.contains("already has a source"), "{err}");
    let (ok, _, err) = annals(&[
        "add-source",
        s,
        other.to_str().unwrap(),
        "--outlet",
        "X",
        "--title",
        "T",
        "--published",
        "2024-02-30",
    ]);
    assert!(!ok && err.contains("2024-02-30"), "{err}");
    assert_eq!(std::fs::read_to_string(&store).unwrap(), text);
}

#[test]
fn add_source_refuses_a_broken_store_and_a_non_text_article() {
    let d = dir("refuse");
    let store = d.join("s.ron");
    std::fs::write(&store, "(meta: (title: \"t\"), events: [(id: \"e\")])").unwrap();
    let article = d.join("a.txt");
    std::fs::write(&article, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let (ok, _, err) = annals(&[
        "add-source",
        store.to_str().unwrap(),
        article.to_str().unwrap(),
        "--outlet",
        "X",
        "--title",
        "T",
    ]);
    assert!(!ok && err.contains("fix them before adding"), "{err}");
    std::fs::write(&store, annals::author::new_store("t")).unwrap();
    let (ok, _, err) = annals(&[
        "add-source",
        store.to_str().unwrap(),
        article.to_str().unwrap(),
        "--outlet",
        "X",
        "--title",
        "T",
    ]);
    assert!(!ok && err.contains("not UTF-8"), "{err}");
}
