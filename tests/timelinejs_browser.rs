//! The TimelineJS export in a real browser: the built-in store's events,
//! exported whole, loaded into TimelineJS3 (the npm package
//! `@knight-lab/timelinejs`) in headless Chromium. Every event must become
//! a slide (plus the title slide) and a marker, every era an era band, and
//! neither TimelineJS nor the page may report an error.
//!
//! Needs `chromium` (or `$ANNALS_CHROMIUM`) and the npm package, found at
//! `$ANNALS_TIMELINEJS_DIR` or else `target/timelinejs/node_modules/
//! @knight-lab/timelinejs`. Skipped, with a message, when either is missing;
//! in CI `.ci/run` installs both first, and the test fails instead of
//! skipping when `CI` is set.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use annals::Ix;
use annals::export::{self, Format};

fn package_dir() -> PathBuf {
    match std::env::var_os("ANNALS_TIMELINEJS_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target/timelinejs/node_modules/@knight-lab/timelinejs"),
    }
}

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ANNALS_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// Missing tools: skip with a message, except in CI, which installs them.
fn unavailable(what: &str) {
    let msg = format!("timelinejs_browser: SKIPPED, {what} (see .ci/run to install)");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}");
    }
    eprintln!("{msg}");
}

/// What the page saw: slides, markers, era bands, and every error.
#[derive(Debug)]
struct Seen {
    ready: bool,
    slides: usize,
    markers: usize,
    eras: usize,
    errors: String,
}

/// The page: TimelineJS from the package, the data inline, and a report of
/// what was built written into `#result` for `--dump-dom` to read.
fn page(pkg: &Path, data: &str) -> String {
    let dist = pkg.join("dist");
    // Inline in a script element: no `</script>` may end it early.
    let data = data.replace("</", "<\\/");
    format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="file://{css}">
<script>
window.__errors = [];
window.addEventListener('error', e => window.__errors.push('page: ' + e.message));
const origError = console.error;
console.error = (...a) => {{ window.__errors.push('console: ' + a.join(' ')); origError(...a); }};
</script>
<script src="file://{js}"></script>
</head><body>
<div id="timeline" style="width: 1200px; height: 700px"></div>
<pre id="result">PENDING</pre>
<script>
let ready = false;
let tl = null;
try {{
  const data = {data};
  tl = new TL.Timeline('timeline', data, {{ hash_bookmark: false }});
  tl.on('ready', () => {{ ready = true; }});
}} catch (e) {{
  window.__errors.push('construct: ' + e);
}}
setTimeout(() => {{
  const errs = window.__errors.slice();
  if (tl && tl.config && tl.config.getErrors) {{
    tl.config.getErrors().forEach(e => errs.push('config: ' + (e.message_key || e)));
  }}
  const msg = document.querySelector('.tl-message-full');
  if (msg && msg.offsetParent !== null && msg.textContent.trim()) {{
    errs.push('message: ' + msg.textContent.trim());
  }}
  const n = s => document.querySelectorAll(s).length;
  document.getElementById('result').textContent =
    'RESULT ready=' + ready + ' slides=' + n('.tl-slide') + ' markers=' + n('.tl-timemarker') +
    ' eras=' + n('.tl-timeera') + ' errors=' + errs.length + ' END ' + errs.join(' | ');
}}, 3000);
</script>
</body></html>
"#,
        css = dist.join("css/timeline.css").display(),
        js = dist.join("js/timeline.js").display(),
    )
}

fn field(report: &str, key: &str) -> Option<String> {
    let at = report.find(&format!(" {key}="))? + key.len() + 2;
    Some(report[at..].split(' ').next()?.to_string())
}

/// Loads `data` into TimelineJS in headless Chromium; an error when the
/// browser gave no report in time.
fn run(browser: &Path, pkg: &Path, data: &str) -> Result<Seen, String> {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("timeline.html");
    std::fs::write(&html, page(pkg, data)).unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--disable-extensions",
            "--allow-file-access-from-files",
            "--window-size=1280,800",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", browser.display()))?;
    // Read both pipes on threads so a chatty browser cannot block.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().ok();
            child.wait().ok();
            return Err("chromium took more than 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    let Some(at) = out.find("RESULT ") else {
        return Err(format!(
            "no report in the page (still PENDING: {}); stderr:\n{err}",
            out.contains("PENDING")
        ));
    };
    let report = &out[at..];
    let report = &report[..report.find("</pre>").unwrap_or(report.len())];
    let num = |k: &str| field(report, k).and_then(|v| v.parse().ok()).unwrap_or(0);
    Ok(Seen {
        ready: field(report, "ready").as_deref() == Some("true"),
        slides: num("slides"),
        markers: num("markers"),
        eras: num("eras"),
        errors: report[report.find(" END").unwrap_or(0)..].to_string(),
    })
}

#[test]
fn niger_store_loads_in_timelinejs_with_a_slide_per_event() {
    let pkg = package_dir();
    if !pkg.join("dist/js/timeline.js").is_file() {
        return unavailable(&format!(
            "no TimelineJS package at {} (npm install @knight-lab/timelinejs, or set ANNALS_TIMELINEJS_DIR)",
            pkg.display()
        ));
    }
    let Some(browser) = chromium() else {
        return unavailable(
            "no chromium on PATH (apt-get install chromium, or set ANNALS_CHROMIUM)",
        );
    };
    let started = Instant::now();

    let m = annals::load_builtin().unwrap();
    let all: Vec<Ix> = (0..m.events.len() as Ix).collect();
    let bytes = export::render(&m, &all, Format::TimelineJs, &m.meta.title).unwrap();
    let data = String::from_utf8(bytes).unwrap();
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    let eras = v.get("eras").and_then(|e| e.as_array()).map_or(0, Vec::len);

    let seen = run(&browser, &pkg, &data).unwrap();
    eprintln!("timelinejs_browser: {seen:?} in {:?}", started.elapsed());
    assert_eq!(
        seen.errors.trim(),
        "END",
        "TimelineJS reported errors: {seen:?}"
    );
    assert!(seen.ready, "TimelineJS never became ready: {seen:?}");
    assert_eq!(seen.slides, m.events.len() + 1, "{seen:?}");
    assert_eq!(seen.markers, m.events.len(), "{seen:?}");
    assert_eq!(seen.eras, eras, "{seen:?}");

    // A store with periods: slides with an end date.
    let m = annals::load_path(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/panama.ron"),
    )
    .unwrap();
    let all: Vec<Ix> = (0..m.events.len() as Ix).collect();
    let bytes = export::render(&m, &all, Format::TimelineJs, &m.meta.title).unwrap();
    let seen = run(&browser, &pkg, &String::from_utf8(bytes).unwrap()).unwrap();
    eprintln!("timelinejs_browser: panama {seen:?}");
    assert_eq!(
        seen.errors.trim(),
        "END",
        "TimelineJS reported errors: {seen:?}"
    );
    assert_eq!(seen.slides, m.events.len() + 1, "{seen:?}");

    // A TimelineJS file imported and exported again: its eras are era
    // bands, not slides, and every slide is drawn.
    let (store, _) = annals::import::import_path(
        annals::import::ImportFormat::TimelineJs,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/timeline_media.json"),
        &annals::import::Options::default(),
    )
    .unwrap();
    let m = annals::load_str(&annals::import::ron(&store).unwrap(), "media.ron").unwrap();
    let all: Vec<Ix> = (0..m.events.len() as Ix).collect();
    let bytes = export::render(&m, &all, Format::TimelineJs, &m.meta.title).unwrap();
    let back: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let eras = back["eras"].as_array().map_or(0, Vec::len);
    let slides = back["events"].as_array().map_or(0, Vec::len);
    assert_eq!((slides, eras), (7, 2));
    let seen = run(&browser, &pkg, &String::from_utf8(bytes).unwrap()).unwrap();
    eprintln!("timelinejs_browser: round trip {seen:?}");
    assert_eq!(
        seen.errors.trim(),
        "END",
        "TimelineJS reported errors: {seen:?}"
    );
    assert!(seen.ready, "{seen:?}");
    assert_eq!(seen.slides, slides + 1, "{seen:?}");
    assert_eq!(seen.markers, slides, "{seen:?}");
    assert_eq!(seen.eras, eras, "{seen:?}");

    // The control: broken data must be caught by the same page. An era
    // without an end date is an error TimelineJS reports.
    let mut broken = v.clone();
    broken["eras"] =
        serde_json::json!([{ "start_date": { "year": 2023 }, "text": { "headline": "x" } }]);
    let seen = run(&browser, &pkg, &broken.to_string()).unwrap();
    assert!(
        seen.errors.contains("config:") || seen.errors.contains("message:"),
        "broken data went unnoticed: {seen:?}"
    );
    assert!(!seen.ready, "{seen:?}");
    eprintln!(
        "timelinejs_browser: the broken control was caught: {}",
        seen.errors
    );
}

/// A story's TimelineJS export: the slides of its steps' events, each
/// saying where it stands in the story, load as any export does.
#[test]
fn a_story_loads_in_timelinejs_with_a_slide_per_event_of_its_steps() {
    use annals::annotate::stories::{Stories, Target};
    let pkg = package_dir();
    if !pkg.join("dist/js/timeline.js").is_file() {
        return unavailable(&format!("no TimelineJS package at {}", pkg.display()));
    }
    let Some(browser) = chromium() else {
        return unavailable("no chromium on PATH");
    };
    let m = annals::load_builtin().unwrap();
    let coup = m.event_by_id("coup").unwrap();
    let mut stories = Stories::default();
    let story = stories
        .create(
            "The withdrawal",
            vec![
                Target::Event("relocation-101-to-201".into()),
                annals::annotate::notes::quote_target(&m, coup, 0).unwrap(),
                annals::annotate::notes::conflict_target(&m, 0),
                Target::Event("gone".into()),
                Target::Event("drone-strikes".into()),
            ],
        )
        .unwrap();
    story.intro = "An <intro> & more.".into();
    story.steps[0].text = "First, **the move**.\n\nA second paragraph.".into();
    let bytes = export::render_story(&m, story, Format::TimelineJs, "2024-01-01").unwrap();
    let data = String::from_utf8(bytes).unwrap();
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    let slides = v["events"].as_array().unwrap().len();
    assert!(data.contains("Step 1 of 5"), "{data}");
    let seen = run(&browser, &pkg, &data).unwrap();
    eprintln!("timelinejs_browser: story {seen:?}");
    assert_eq!(
        seen.errors.trim(),
        "END",
        "TimelineJS reported errors: {seen:?}"
    );
    assert!(seen.ready, "{seen:?}");
    assert_eq!(seen.slides, slides + 1, "{seen:?}");
    assert_eq!(seen.markers, slides, "{seen:?}");
}
