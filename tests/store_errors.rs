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
