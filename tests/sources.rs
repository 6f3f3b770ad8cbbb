//! `annals sources` (coverage, overlap) and what `add-source` writes and
//! says: author, language, based_on, and the stored article a new one
//! shares its sentences with.

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
    let d = std::env::temp_dir().join(format!("annals-sources-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const FLOOD_A: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/flood_a.txt");
const FLOOD_B: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/flood_b.txt");
const A_TITLE: &str = "Valley river bursts its banks as rain continues";

/// A new store about a flood with article A in it.
fn flood_store(name: &str) -> (PathBuf, String) {
    let store = dir(name).join("floods.ron");
    let s = store.to_str().unwrap().to_string();
    assert!(annals(&["new", &s, "--title", "Eastbridge flood"]).0);
    let (ok, _, err) = annals(&[
        "add-source",
        &s,
        FLOOD_A,
        "--outlet",
        "River Gazette",
        "--title",
        A_TITLE,
        "--author",
        "Mara Lind",
        "--language",
        "en",
    ]);
    assert!(ok, "{err}");
    (store, s)
}

#[test]
fn sources_lists_kind_outlet_origin_coverage_unused_and_events() {
    let (ok, out, err) = annals(&["sources"]);
    assert!(ok, "{err}");
    let line = |id: &str| out.lines().find(|l| l.starts_with(id)).unwrap().to_string();
    let amulus = line("amulus-recon ");
    assert!(
        amulus.contains("sponsored") && amulus.contains("original"),
        "{amulus}"
    );
    assert!(
        amulus.contains("% quoted") && amulus.contains("unused ("),
        "{amulus}"
    );
    let rewrite = line("personnel-rewrite ");
    assert!(
        rewrite.contains("external original (rewrite): a Reuters report"),
        "{rewrite}"
    );
    assert!(out.contains("    outlet: Amulus News\n"), "{out}");
    assert!(
        out.contains("events: us-nigerien-cooperation, coup,"),
        "{out}"
    );
}

#[test]
fn sources_json_gives_coverage_unused_sentences_and_origins() {
    let (ok, out, err) = annals(&["sources", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let amulus = &rows[0];
    assert_eq!(amulus["id"], "amulus-recon");
    assert_eq!(amulus["kind"], "sponsored");
    assert_eq!(amulus["origin"]["type"], "original");
    let (quoted, total) = (
        amulus["quoted_bytes"].as_u64().unwrap(),
        amulus["text_bytes"].as_u64().unwrap(),
    );
    assert!(quoted > 0 && quoted < total);
    let pct = amulus["coverage"].as_f64().unwrap();
    assert!((pct - quoted as f64 * 100.0 / total as f64).abs() < 0.1);
    // "Tuesday September 19, 2023": a date no quote takes.
    let unused = amulus["unused_sentences"].as_array().unwrap();
    assert_eq!(unused.len() as u64, amulus["unused"].as_u64().unwrap());
    assert!(
        unused
            .iter()
            .any(|u| u["reasons"] == serde_json::json!(["date"])),
        "{unused:?}"
    );
    assert!(unused.iter().any(|u| {
        u["reasons"]
            .as_array()
            .unwrap()
            .contains(&"actor:niger".into())
    }));
    assert_eq!(amulus["unused_dated"], 1);
    assert_eq!(rows[3]["origin"]["type"], "external");
    assert_eq!(rows[3]["origin"]["derivation"], "rewrite");
}

#[test]
fn sources_overlap_finds_the_rewrite_and_says_it_is_recorded() {
    let (ok, out, err) = annals(&["sources", "--overlap"]);
    assert!(ok, "{err}");
    assert_eq!(
        out,
        "personnel-rewrite ~ reuters-based-personnel: 9 of 14 sentences of the first (64%), \
         10 of 31 of the second (32%)\n    recorded: both go back to one original\n"
    );
    let (ok, out, _) = annals(&["sources", "--overlap", "--json"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["source"], "personnel-rewrite");
    assert_eq!(v[0]["recorded"], "same_origin");
    assert_eq!(v[0]["passages"].as_array().unwrap().len(), 9);
}

#[test]
fn add_source_writes_author_language_and_says_what_a_new_article_shares() {
    let (store, s) = flood_store("add");
    let text = std::fs::read_to_string(&store).unwrap();
    assert!(text.contains("author: \"Mara Lind\",") && text.contains("language: \"en\","));
    // The id is whole words, not ending on "as".
    assert!(
        text.contains("id: \"valley-river-bursts-its-banks-as-rain\","),
        "{text}"
    );
    let (ok, _, err) = annals(&[
        "add-source",
        &s,
        FLOOD_B,
        "--outlet",
        "Eastbridge Post",
        "--title",
        "Eastbridge under water",
    ]);
    assert!(ok, "{err}");
    assert!(
        err.contains(&format!(
            "the article shares 44% of its sentences (4 of 9) with \"{A_TITLE}\" \
             (valley-river-bursts-its-banks-as-rain): if it is a copy, add --based-on \
             valley-river-bursts-its-banks-as-rain"
        )),
        "{err}"
    );
    assert!(
        err.contains("added source \"eastbridge-under-water\""),
        "{err}"
    );
    let (_, out, _) = annals(&["sources", "--overlap", &s]);
    assert!(out.contains("NOT RECORDED"), "{out}");
}

#[test]
fn add_source_records_based_on_with_its_derivation() {
    let (store, s) = flood_store("based");
    let (ok, _, err) = annals(&[
        "add-source",
        &s,
        FLOOD_B,
        "--outlet",
        "Eastbridge Post",
        "--title",
        "Eastbridge under water",
        "--based-on",
        "valley-river-bursts-its-banks-as-rain",
        "--derivation",
        "copy",
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("recorded with --based-on"), "{err}");
    let text = std::fs::read_to_string(&store).unwrap();
    assert!(
        text.contains(
            "based_on: \"valley-river-bursts-its-banks-as-rain\",\n            derivation: Copy,"
        ),
        "{text}"
    );
    let (_, out, _) = annals(&["sources", &s]);
    assert!(
        out.contains("based on valley-river-bursts-its-banks-as-rain (copy)"),
        "{out}"
    );
    let (_, out, _) = annals(&["sources", "--overlap", &s]);
    assert!(out.contains("recorded: one is based_on the other"), "{out}");
}

#[test]
fn add_source_refuses_an_unknown_based_on_or_derivation_and_writes_nothing() {
    let (store, s) = flood_store("refuse");
    let before = std::fs::read_to_string(&store).unwrap();
    let add = |extra: &[&str]| {
        let mut args = vec!["add-source", &s, FLOOD_B, "--outlet", "P", "--title", "T"];
        args.extend_from_slice(extra);
        annals(&args)
    };
    let (ok, _, err) = add(&["--based-on", "nope"]);
    assert!(
        !ok && err.contains("--based-on \"nope\": the store has no source with that id"),
        "{err}"
    );
    let (ok, _, err) = add(&[
        "--based-on",
        "valley-river-bursts-its-banks-as-rain",
        "--derivation",
        "remix",
    ]);
    assert!(
        !ok && err.contains("expected rewrite, copy, summary"),
        "{err}"
    );
    let (ok, _, _) = add(&["--derivation", "copy"]);
    assert!(!ok, "--derivation needs --based-on");
    assert_eq!(std::fs::read_to_string(&store).unwrap(), before);
}
