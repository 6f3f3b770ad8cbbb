//! The command line, run as a user would: the real binary.

use assert_cmd::Command;
use predicates::prelude::*;

fn annals() -> Command {
    Command::cargo_bin("annals").unwrap()
}

fn fixture(p: &str) -> String {
    format!("{}/tests/fixtures/{p}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn check_counts_the_builtin_store() {
    annals()
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("data/niger.ron (built in): ok"))
        .stdout(predicate::str::is_match(r"5 sources, 4 independent origins, \d+ actors, \d+ places, \d+ events, \d+ relations, \d+ claims, \d+ conflicts").unwrap());
}

#[test]
fn check_json_is_parseable() {
    let out = annals()
        .args(["check", "--json", &fixture("valid/small.ron")])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["counts"]["events"], 3);
    assert_eq!(v["counts"]["conflicts"], 1);
}

#[test]
fn check_reports_every_problem_and_fails() {
    annals()
        .args(["check", &fixture("invalid/unknown_reference.ron")])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "unknown_reference.ron:11:57: error: place \"p\": within: unknown place \"zz\"",
        ))
        .stderr(predicate::str::contains("did you mean \"alpha\"?"))
        .stderr(predicate::str::contains("3 problems found"));
    let out = annals()
        .args(["check", "--json", &fixture("invalid/no_evidence.ron")])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"].as_array().unwrap().len(), 4);
    assert_eq!(v["errors"][0]["line"], 9);
}

#[test]
fn check_on_missing_file_fails_cleanly() {
    annals()
        .args(["check", "does-not-exist.ron"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "does-not-exist.ron: error: cannot read the store",
        ));
}

#[test]
fn list_filters_by_place_actor_and_dates() {
    annals()
        .args(["list", &fixture("valid/small.ron")])
        .assert()
        .success()
        .stdout("2024        boast   Alpha Corp praises itself\n2024-03     signed  Alpha Corp signs a deal with Beta Land\n~2024-05    ended   Beta Land ends the deal\n");
    annals()
        .args(["list", &fixture("valid/small.ron"), "--actor", "ALPHA", "--from", "2024-02"])
        .assert()
        .success()
        .stdout("2024        boast   Alpha Corp praises itself\n2024-03     signed  Alpha Corp signs a deal with Beta Land\n");
    annals()
        .args([
            "list",
            "--place",
            "Airbase 101",
            "--from",
            "2024-03",
            "--to",
            "2024-05",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("russians-at-airbase-101"))
        .stdout(predicate::str::contains("relocation-101-to-201").not());
    annals()
        .args(["list", "--tag", "uranium"])
        .assert()
        .success()
        .stdout(predicate::str::contains("mid-march-meeting"));
}

#[test]
fn list_names_candidates_for_ambiguous_or_unknown_names() {
    annals()
        .args(["list", &fixture("valid/ambiguous.ron"), "--actor", "smith"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "\"smith\" is ambiguous: it could be Ann Smith (ann), Bob Smith (bob)",
        ));
    annals()
        .args(["list", "--actor", "rusia"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "no actor matches \"rusia\"; did you mean Russia (russia)",
        ));
    annals()
        .args(["list", "--from", "2024-02-30"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a real day"));
}

#[test]
fn list_json_and_stats() {
    let out = annals()
        .args(["list", "--json", "--stats", "--actor", "russia"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["id"].is_string() && r["date"].is_string() && r["precision"].is_string())
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("filter: "));
}

#[test]
fn search_prints_ranked_results_with_kind_and_id() {
    let out = annals()
        .args(["search", "abse 101", "--limit", "3"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with("place")
            && first.contains("air-base-101")
            && first.contains("Air Base 101"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 3);

    let out = annals()
        .args(["search", "russ", "--json", "--stats"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["kind"], "actor");
    assert_eq!(v[0]["id"], "russia");
    assert_eq!(v[0]["positions"], serde_json::json!([0, 1, 2, 3]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("search: "));
}

#[test]
fn search_takes_a_store_before_the_query() {
    annals()
        .args(["search", &fixture("valid/small.ron"), "base one"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "place   base  The Base  · Base One",
        ));
}

#[test]
fn every_command_has_help() {
    for cmd in [&[][..], &["check"], &["list"], &["search"]] {
        annals()
            .args(cmd)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: annals"));
    }
}

/// The characters no store text may put on a terminal: ESC and the other C0
/// controls but newline, DEL, C1 controls, bidi embeddings, overrides and
/// isolates, and zero-width characters.
fn raw_controls(out: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(out)
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
        })
        .collect()
}

#[test]
fn store_text_is_printed_harmlessly_by_list_search_and_check() {
    let hostile = fixture("valid/hostile.ron");
    for args in [
        vec!["list", &hostile],
        vec!["search", &hostile, "pwned"],
        vec!["search", &hostile, "evil"],
        vec!["search", &hostile, "clipboard"],
        vec!["search", &hostile, "desrever"],
    ] {
        let out = annals().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.lines().count() >= 1, "{args:?}: nothing printed");
        assert_eq!(raw_controls(&out.stdout), [], "{args:?}:\n{text}");
        assert!(
            text.contains('␛') || args[2] == "desrever",
            "{args:?}:\n{text}"
        );
    }
    // A filter that names nothing suggests names from the store.
    let out = annals()
        .args(["list", "--place", "plac", &hostile])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean Place␛"), "{err}");
    assert_eq!(raw_controls(&out.stderr), [], "{err}");

    // Error messages quote the store's text too: ids in references, and a
    // raw escape where the syntax expects something else.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(&hostile).unwrap();
    let broken = text
        .replace(r#"actors: ["a"]"#, r#"actors: ["\u{1b}]0;ID-PWNED\u{7}"]"#)
        .replace(
            "    events: [",
            "    relations: [(from: \"\\u{1b}[2J\", to: \"a\u{202e}\", kind: \"x\")],\n    events: [",
        );
    assert_ne!(broken, text);
    let syntax = text.replace("kind: News", "kind: \u{1b}]0;KIND-PWNED\u{7}News");
    for (name, store) in [("refs.ron", broken), ("syntax.ron", syntax)] {
        let path = dir.path().join(name);
        std::fs::write(&path, store).unwrap();
        for args in [vec!["check"], vec!["list"], vec![]] {
            let out = annals().args(&args).arg(&path).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{name} {args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains(name) && err.contains("error:"), "{err}");
            assert_eq!(raw_controls(&out.stderr), [], "{name} {args:?}:\n{err}");
        }
    }
}

const PANAMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/valid/panama.ron"
);

#[test]
fn search_says_no_match_instead_of_inventing_one() {
    for query in ["tiani", "zzqx", "photosynthesis"] {
        annals()
            .args(["search", query])
            .assert()
            .failure()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains(format!("no match for {query:?}")));
    }
    // With --json, an empty list: still JSON for a program reading it.
    annals()
        .args(["search", "tiani", "--json"])
        .assert()
        .code(1)
        .stdout("[]\n");
}

#[test]
fn search_explains_ranking_and_marks_sponsored_results() {
    annals()
        .args(["search", "wagner", "--explain", "--limit", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "score 145 = \"wagner\" exact +100, alias +25, whole field +20",
        ));
    annals()
        .args(["search", "restarts recon", "--limit", "1"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("amulus-recon").and(predicate::str::contains("[sponsored]")),
        );
    let out = annals()
        .args(["search", "ausitn", "--json", "--limit", "1"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["id"], "lloyd-austin");
    assert_eq!(v[0]["why"][0]["tier"], "typo");
    assert_eq!(v[0]["why"][0]["word"], "austin");
    assert_eq!(v[0]["sponsored"], false);
}

#[test]
fn filters_take_names_by_their_words_and_list_ambiguous_ones() {
    annals()
        .args(["list", PANAMA, "--actor", "Omar Torrijos"])
        .assert()
        .success()
        .stdout(predicate::str::is_empty().not());
    annals()
        .args(["list", PANAMA, "--actor", "William C Gorgas"])
        .assert()
        .success()
        .stdout(predicate::str::contains("gorgas-mosquito-campaign"));
    annals()
        .args(["list", "--actor", "russian"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("is ambiguous").and(predicate::str::contains(
                "Russian military (russian-military)",
            )),
        );
}

#[test]
fn a_closed_or_full_stdout_ends_every_command_quietly_with_a_failing_status() {
    let bin = assert_cmd::cargo::cargo_bin("annals");
    let bin = bin.display();
    // bash runs annals in place of itself (exec), so its status is annals's.
    for args in [
        "check",
        "check --json",
        "list",
        "search russ",
        "export -f csv -o -",
    ] {
        // A reader that went away before annals writes (the read end of
        // its stdout pipe is closed at once; loading the store takes far
        // longer): no panic, no message, status 1.
        let mut child = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("exec {bin} {args}"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args}: {err}");
        assert!(err.is_empty(), "{args}: {err}");
        if std::path::Path::new("/dev/full").exists() {
            let out = std::process::Command::new("bash")
                .arg("-c")
                .arg(format!("{bin} {args} > /dev/full; echo status=$? >&2"))
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("status=1"), "{args}: {err}");
            assert!(err.contains("No space left on device"), "{args}: {err}");
            assert!(!err.contains("panicked"), "{args}: {err}");
        }
    }
}

#[test]
fn odd_inputs_get_clear_words() {
    let dir = tempfile::tempdir().unwrap();
    // A byte-order mark some editors write first is not part of the store.
    let bom = dir.path().join("bom.ron");
    std::fs::write(&bom, "\u{feff}(meta: (title: \"t\"))").unwrap();
    annals().args(["check"]).arg(&bom).assert().success();
    // A device that never ends: its first NUL byte is the error.
    annals()
        .args(["check", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/dev/zero:1:1: error: NUL byte"));
    // An empty date range is a usage mistake, said as such.
    annals()
        .args(["list", "--from", "2024-05", "--to", "2024-03"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the range is empty: from 2024-05 is after to 2024-03",
        ));
}

#[cfg(unix)]
#[test]
fn a_store_path_need_not_be_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"n\xffiger.ron"));
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/niger.ron"),
        &path,
    )
    .unwrap();
    for cmd in ["check", "list", "search"] {
        let mut c = annals();
        c.arg(cmd).arg(&path);
        if cmd == "search" {
            c.arg("russ");
        }
        c.assert().success();
    }
}

#[test]
fn the_explorer_without_a_terminal_says_so() {
    annals()
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "standard output is not a terminal",
        ))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn json_output_never_carries_raw_terminal_controls() {
    let hostile = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/hostile.ron"
    );
    for args in [
        vec!["list", hostile, "--json"],
        vec!["export", hostile, "--format", "json", "-o", "-"],
        vec!["export", hostile, "--format", "timelinejs", "-o", "-"],
    ] {
        let out = annals().args(&args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.is_empty(), "{args:?}");
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c))
            .collect();
        assert!(bad.is_empty(), "{args:?}: {bad:?}");
        // Still JSON.
        serde_json::from_str::<serde_json::Value>(&text).unwrap();
    }
}

#[test]
fn a_pasted_paragraph_searches_its_first_words_only() {
    let words = "wagner ".repeat(15_000);
    let out = annals()
        .args(["search", "--json", "-n", "1", &words])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["id"], "wagner-group");
    assert_eq!(v[0]["why"].as_array().unwrap().len(), 32);
}

#[test]
fn repeated_actors_widen_and_other_filters_narrow() {
    let small = fixture("valid/small.ron");
    // Either actor: boast has only Alpha, ended only Beta.
    annals()
        .args(["list", &small, "--actor", "alpha", "--actor", "beta"])
        .assert()
        .success()
        .stdout("2024        boast   Alpha Corp praises itself\n2024-03     signed  Alpha Corp signs a deal with Beta Land\n~2024-05    ended   Beta Land ends the deal\n");
    annals()
        .args([
            "list", &small, "--actor", "alpha", "--actor", "beta", "--place", "betaland",
        ])
        .assert()
        .success()
        .stdout("2024-03     signed  Alpha Corp signs a deal with Beta Land\n~2024-05    ended   Beta Land ends the deal\n");
    annals()
        .args(["list", &small, "--source", "promo weekly"])
        .assert()
        .success()
        .stdout("2024        boast  Alpha Corp praises itself\n");
}

#[test]
fn list_by_source_kind_and_only_kind() {
    annals()
        .args(["list", &fixture("valid/small.ron"), "--kind", "sponsored"])
        .assert()
        .success()
        .stdout("2024        boast  Alpha Corp praises itself\n");
    // The Niger store's sponsored article backs some events alone and
    // some with other sources: --kind lists both, --only the first.
    annals()
        .args(["list", "--kind", "sponsored"])
        .assert()
        .success()
        .stdout(predicate::str::contains("isr-resumed"))
        .stdout(predicate::str::contains("relocation-101-to-201"));
    annals()
        .args(["list", "--only", "Sponsored"])
        .assert()
        .success()
        .stdout(predicate::str::contains("isr-resumed"))
        .stdout(predicate::str::contains("relocation-101-to-201").not());
    annals()
        .args(["list", "--only", "sponsored", "--only", "news", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"relocation-101-to-201\""));
}

#[test]
fn list_by_text_matches_words() {
    let small = fixture("valid/small.ron");
    annals()
        .args(["list", &small, "--text", "deal BASE"])
        .assert()
        .success()
        .stdout("2024-03     signed  Alpha Corp signs a deal with Beta Land\n");
    // A word of a quote only.
    annals()
        .args(["list", &small, "--text", "best"])
        .assert()
        .success()
        .stdout("2024        boast  Alpha Corp praises itself\n");
    // Each --text must match; a piece of a word is no word.
    annals()
        .args(["list", &small, "--text", "deal", "--text", "best"])
        .assert()
        .success()
        .stdout("");
    annals()
        .args(["list", &small, "--text", "nded"])
        .assert()
        .success()
        .stdout("");
    annals()
        .args(["list", &small, "--text", " — "])
        .assert()
        .failure()
        .stderr(predicate::str::contains("has no word to look for"));
    annals()
        .args(["list", "--text", "uranium"])
        .assert()
        .success()
        .stdout(predicate::str::contains("mid-march-meeting"));
}

#[test]
fn unknown_kinds_and_sources_suggest_names() {
    annals()
        .args(["list", "--kind", "sponsered"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "annals: no source kind matches \"sponsered\"; did you mean sponsored?",
        ));
    annals()
        .args(["list", "--only", "oficial-statement"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("did you mean official statement"));
    annals()
        .args(["list", "--kind", "official-statement"])
        .assert()
        .success();
    annals()
        .args([
            "list",
            &fixture("valid/small.ron"),
            "--source",
            "promo weakly",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "no source matches \"promo weakly\"; did you mean Buy our product (s2)",
        ));
}

#[test]
fn list_shows_a_period_from_start_to_end_in_aligned_columns() {
    let out = annals().args(["list", PANAMA]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("~1904 → 1914-08-15       us-construction "),
        "{text}"
    );
    assert!(text.contains("1905 → 1907 "), "{text}");
    // The id column starts at the same character on every line.
    let json = annals().args(["list", "--json", PANAMA]).output().unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), rows.as_array().unwrap().len());
    let columns: Vec<usize> = lines
        .iter()
        .zip(rows.as_array().unwrap())
        .map(|(line, row)| {
            let id = format!(" {} ", row["id"].as_str().unwrap());
            line[..line.find(&id).expect("id on its line")]
                .chars()
                .count()
        })
        .collect();
    assert!(
        columns.iter().all(|&c| c == columns[0]),
        "{columns:?}\n{text}"
    );
}

#[test]
fn export_takes_the_new_filters_and_names_them_in_its_title() {
    annals()
        .args([
            "export",
            &fixture("valid/small.ron"),
            "--actor",
            "alpha",
            "--actor",
            "beta",
            "--only",
            "sponsored",
            "-f",
            "md",
            "-o",
            "-",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# Small store (Alpha Corp or Beta Land, only sponsored)\n",
        ))
        .stdout(predicate::str::contains("Alpha Corp praises itself"))
        .stdout(predicate::str::contains("Beta Land ends the deal").not());
}

#[test]
fn explorer_arguments_with_a_command_are_refused_and_say_where_the_store_goes() {
    let store = fixture("valid/panama.ron");
    let refused = |args: &[&str], says: &str| {
        let out = annals().args(args).assert().failure().code(2);
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(err.contains(says), "{args:?}: {err}");
    };
    refused(&[&store, "check"], "a store goes after the command's name");
    refused(&["--fresh", "list", &store], "--fresh is for the explorer");
    refused(
        &["--theme", "light", "check"],
        "--theme is for the explorer",
    );
    // --no-cache goes either side of the command's name.
    for args in [
        ["--no-cache", "check", &store],
        ["check", "--no-cache", &store],
    ] {
        annals()
            .args(args)
            .assert()
            .success()
            .stdout(predicates::str::contains("ok"));
    }
}

/// Years before 0000 (and one after 9999): in order, filtered by signed
/// `--from` and `--to`, and in `list --json` as written with their days.
#[test]
fn signed_years_are_listed_filtered_and_given_as_json() {
    let store = fixture("valid/ancient.ron");
    annals()
        .args(["list", &store])
        .assert()
        .success()
        .stdout(predicate::str::is_match(
            r"(?s)^~-3500 .*first-houses.*\n\[\.\.-3000\] .*wall.*\n-0044-03-15 .*fall.*\n2021 .*new-hall.*\n2021 → Y12000 .*vault-seal",
        ).unwrap());
    let out = annals()
        .args([
            "list", &store, "--from", "-3000", "--to", "-0044-03", "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows: Vec<(String, String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().into(),
                e["date"].as_str().unwrap().into(),
                e["latest"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("wall".into(), "[..-3000]".into(), "-3000-12-31".into()),
            ("fall".into(), "-0044-03-15".into(), "-0044-03-15".into()),
        ]
    );
    // After year 9999, and a lasting event reaching it.
    annals()
        .args(["list", &store, "--from", "Y11000", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(r#""end":"Y12000""#))
        .stdout(predicate::str::contains(r#""id":"vault-seal""#))
        .stdout(predicate::str::contains("new-hall").not());
    // A year out of bounds is refused with the bounds.
    annals()
        .args(["list", &store, "--from", "Y-1000000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Y-999999 to Y999999"));
}

/// `annals disputes` lists every disagreement, compatible ones told apart,
/// with the events each is about; `list --disputed` gives exactly the
/// events a contradiction marks.
#[test]
fn disputes_lists_every_disagreement_and_list_disputed_the_marked_events() {
    let store = fixture("valid/bridge.ron");
    let out = annals()
        .args(["disputes", "--json", &store])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    let summary: Vec<(&str, bool, usize)> = rows
        .iter()
        .map(|d| {
            (
                d["attribute"].as_str().unwrap(),
                d["compatible"].as_bool().unwrap(),
                d["values"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("cost of the bridge", true, 3),
            ("years to build", false, 2)
        ]
    );
    assert_eq!(rows[1]["events"][0]["id"], "works-begin");
    assert_eq!(rows[0]["values"][1]["outlets"][0], "Courier");
    annals()
        .args(["disputes", &store])
        .assert()
        .success()
        .stdout(predicate::str::contains("cost of the bridge — compatible"))
        .stdout(predicate::str::contains(
            "years to build (Vell bridge) — contradicting",
        ))
        .stdout(predicate::str::contains(
            "2 disagreements: 1 contradicting, 1 compatible",
        ));
    // Filtered: only the disagreements about the selected events.
    let out = annals()
        .args(["disputes", "--json", "--text", "opens", &store])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    // The compatible cost marks nothing; the contradiction marks its event.
    let out = annals()
        .args(["list", "--json", "--disputed", &store])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["works-begin"]);
}

/// On the built-in store, every disagreement of the model is listed.
#[test]
fn disputes_of_the_builtin_store_are_the_models() {
    let m = annals::load_builtin().unwrap();
    let out = annals().args(["disputes", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["attribute"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = m.conflicts.iter().map(|c| c.attribute.as_str()).collect();
    assert_eq!(names, want);
}
