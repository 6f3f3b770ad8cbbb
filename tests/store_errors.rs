//! Every broken store in tests/fixtures/invalid gives exactly the errors its
//! `// expect: LINE:COL: message` lines name (a sidecar `.expect` file for
//! stores that cannot hold a comment), all in one run.

use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v
}

fn expectations(path: &Path) -> Vec<String> {
    let sidecar = path.with_extension("expect");
    let text =
        std::fs::read_to_string(if sidecar.exists() { &sidecar } else { path }).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.strip_prefix("// expect: "))
        .map(str::to_string)
        .collect()
}

#[test]
fn each_broken_store_reports_every_expected_error_with_its_position() {
    let files = fixtures();
    assert!(files.len() >= 14, "fixtures missing: {files:?}");
    for path in files {
        let expected = expectations(&path);
        assert!(
            !expected.is_empty(),
            "{} has no expectations",
            path.display()
        );
        let err = annals::load_path(&path).expect_err(&format!("{} should fail", path.display()));
        assert_eq!(err.file, path.display().to_string());
        let rendered: Vec<String> = err
            .diagnostics
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect();
        assert_eq!(
            rendered.len(),
            expected.len(),
            "{}: got {rendered:#?}, expected {expected:#?}",
            path.display()
        );
        for want in &expected {
            assert!(
                rendered.iter().any(|got| got.contains(want.as_str())),
                "{}: no error matching {want:?} in {rendered:#?}",
                path.display()
            );
        }
    }
}

#[test]
fn errors_render_as_file_line_column() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid/duplicate_id.ron");
    let text = annals::load_path(&path).unwrap_err().to_string();
    let first = text.lines().next().unwrap();
    assert!(
        first.ends_with("duplicate_id.ron:5:56: error: duplicate id \"a\": already used by actor number 1 of actors"),
        "{first}"
    );
}

#[test]
fn missing_file_directory_and_invalid_utf8_are_clear_errors() {
    let missing = annals::load_path(Path::new("no/such/store.ron")).unwrap_err();
    assert!(
        missing
            .to_string()
            .contains("no/such/store.ron: error: cannot read the store")
    );

    let dir = tempfile::tempdir().unwrap();
    let as_dir = annals::load_path(dir.path()).unwrap_err();
    assert!(as_dir.to_string().contains("is a directory"), "{as_dir}");

    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, b"(\n  meta: (title: \"caf\xe9\"),\n)").unwrap();
    let e = annals::load_path(&bad).unwrap_err();
    assert_eq!((e.diagnostics[0].line, e.diagnostics[0].column), (2, 21));
    assert!(e.to_string().contains("invalid UTF-8"), "{e}");
}

/// The real binary on every broken store: a non-zero exit, and the first
/// line of its report names the file, a line and a column. A hang fails
/// the test through the timeout instead of stalling the run.
#[test]
fn the_binary_fails_cleanly_on_every_broken_store() {
    for path in fixtures() {
        for args in [vec!["check"], vec![]] {
            let out = assert_cmd::Command::cargo_bin("annals")
                .unwrap()
                .args(&args)
                .arg(&path)
                .timeout(std::time::Duration::from_secs(60))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{}: {stderr}", path.display());
            let first = stderr.lines().next().unwrap_or_default();
            let prefix = format!("{}:", path.display());
            let rest = first.strip_prefix(&prefix).unwrap_or_else(|| {
                panic!(
                    "{}: report does not start with the file: {first}",
                    path.display()
                )
            });
            let mut parts = rest.splitn(3, ':');
            let (line, col) = (parts.next().unwrap(), parts.next().unwrap_or(""));
            assert!(
                line.parse::<usize>().is_ok_and(|l| l >= 1)
                    && col.parse::<usize>().is_ok_and(|c| c >= 1),
                "{}: no line:column in {first}",
                path.display()
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

#[test]
fn missing_file_and_directory_exit_non_zero_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.ron");
    for (path, says) in [
        (missing.as_path(), "cannot read the store"),
        (dir.path(), "is a directory"),
    ] {
        assert_cmd::Command::cargo_bin("annals")
            .unwrap()
            .arg("check")
            .arg(path)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(1)
            .stderr(predicates::str::contains(format!(
                "{}: error: {says}",
                path.display()
            )));
    }
}

/// Line and column (1-based, in chars) of byte offset `at` in `text`.
fn position(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, column)
}

/// The built-in store cut short at hundreds of points, inside strings,
/// between fields, mid-word and mid-character: every cut is an error placed
/// within what is left of the file, never a panic and never a store.
#[test]
fn a_store_cut_short_anywhere_is_an_error_within_the_file() {
    let full = annals::store::load::BUILTIN_STORE;
    let mut cuts: Vec<usize> = (0..400).collect();
    cuts.extend((400..full.len()).step_by(61));
    let mut tried = 0;
    for cut in cuts {
        let bytes = full.as_bytes()[..cut].to_vec();
        if full.as_bytes()[cut..].iter().all(u8::is_ascii_whitespace) {
            continue; // only the final newline is gone: still a whole store
        }
        tried += 1;
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        let err = match annals::load_bytes(bytes, "cut.ron") {
            Ok(_) => panic!("a store cut at byte {cut} loaded"),
            Err(e) => e,
        };
        let d = &err.diagnostics[0];
        assert!(
            d.line >= 1 && d.line <= lines && d.column >= 1,
            "cut at {cut}: {err}"
        );
    }
    assert!(tried > 1000, "only {tried} cuts tried");
}

#[test]
fn a_huge_string_loads_and_an_unclosed_one_is_placed_at_its_start() {
    let huge = "word ".repeat(4 << 20); // 20 MB in one string
    let store = format!(
        "(\n    meta: (title: \"T\", description: \"{huge}\"),\n    actors: [(id: \"a\", name: \"A\", kind: \"state\")],\n)\n"
    );
    let m = annals::load_str(&store, "huge.ron").expect("a long string is still a string");
    assert_eq!(m.actors.len(), 1);

    let unclosed = format!("(\n    meta: (title: \"T\", description: \"{huge}\n)\n");
    let e = annals::load_str(&unclosed, "unclosed.ron").unwrap_err();
    assert_eq!(
        (e.diagnostics[0].line, e.diagnostics[0].column),
        (2, 37),
        "{e}"
    );
    assert!(e.diagnostics[0].message.contains("not closed"), "{e}");

    let not_quoted = format!(
        "(\n    meta: (title: \"T\"),\n    sources: [(id: \"s\", outlet: \"O\", title: \"S\", kind: News, text: \"short\")],\n    events: [(id: \"e\", date: \"2024\", title: \"E\", evidence: [(source: \"s\", quote: \"{huge}\")])],\n)\n"
    );
    let e = annals::load_str(&not_quoted, "quote.ron").unwrap_err();
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    assert_eq!(
        e.diagnostics[0].line,
        4,
        "{}",
        e.diagnostics[0].message.len()
    );
    assert!(
        e.diagnostics[0].message.len() < 400,
        "the error repeats the whole quote"
    );
}

/// A large generated store, correct but for one reference in its very last
/// record: the binary names that line, having read everything before it.
#[test]
fn one_bad_reference_at_the_end_of_a_large_store_is_found_and_placed() {
    let mut store = annals::synth::generate(20_000, 3);
    let last = store
        .claims
        .last_mut()
        .expect("generated stores have claims");
    last.subject = "no-such-subject-zz".into();
    let text = annals::synth::to_ron(&store);
    let at = text.find("\"no-such-subject-zz\"").unwrap();
    let (line, column) = position(&text, at);
    assert!(line > 100_000, "the store is large: {line} lines");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.ron");
    std::fs::write(&path, &text).unwrap();
    let out = assert_cmd::Command::cargo_bin("annals")
        .unwrap()
        .arg("check")
        .arg(&path)
        .timeout(std::time::Duration::from_secs(300))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want = format!("{}:{line}:{column}: error: ", path.display());
    assert!(stderr.starts_with(&want), "want {want}, got {stderr}");
    assert!(
        stderr.contains("unknown subject \"no-such-subject-zz\""),
        "{stderr}"
    );
    assert!(stderr.contains("1 problem found"), "{stderr}");
}
