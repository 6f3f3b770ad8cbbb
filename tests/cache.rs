//! The load cache: a second load of an unchanged store comes from the
//! cache and equals the parsed model; an edit, a damaged, cut short or
//! foreign cache file, or `--no-cache`, mean parsing; a store that does
//! not load is never cached; `annals cache --clear` empties the directory.

use std::path::{Path, PathBuf};

use annals::Model;
use annals::cache::{Opened, open_in};
use annals::store::load::Progress;
use assert_cmd::Command;

fn open(dir: &Path, store: &Path) -> Opened {
    open_in(Some(dir), store, &Progress::default()).expect("the store loads")
}

/// Opens `store` through the cache in `dir`, writing the cache if it parsed.
fn open_and_write(dir: &Path, store: &Path) -> (Model, bool) {
    let o = open(dir, store);
    if let Some(w) = o.pending {
        w.write(&o.model).expect("the cache is written");
    }
    (o.model, o.from_cache)
}

/// The model files in `dir` (beside them: times files, index files).
fn models(dir: &Path) -> Vec<PathBuf> {
    let mut m = files(dir);
    m.retain(|f| f.extension().is_some_and(|e| e == "model"));
    m
}

fn files(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(e) => e.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// A store of a few hundred synthetic events, in `dir`.
fn synth_store(dir: &Path) -> PathBuf {
    let path = dir.join("synth.ron");
    std::fs::write(
        &path,
        annals::synth::to_ron(&annals::synth::generate(300, 7)),
    )
    .unwrap();
    path
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

#[test]
fn the_second_load_of_an_unchanged_store_comes_from_the_cache_and_equals_the_parsed_model() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let builtin = tmp.path().join("niger.ron");
    std::fs::write(&builtin, annals::store::load::BUILTIN_STORE).unwrap();
    let mut stores = vec![synth_store(tmp.path()), builtin];
    for f in std::fs::read_dir(fixture("tests/fixtures/valid")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "ron") && annals::load_path(&p).is_ok() {
            stores.push(p);
        }
    }
    assert!(stores.len() >= 5, "{stores:?}");
    for store in &stores {
        let parsed = annals::load_path(store).unwrap();
        let (first, from_cache) = open_and_write(&cache, store);
        assert!(!from_cache, "{}: nothing cached yet", store.display());
        assert!(first == parsed);
        let (second, from_cache) = open_and_write(&cache, store);
        assert!(from_cache, "{}: the second load is cached", store.display());
        assert!(
            second == parsed,
            "{}: the cached model differs",
            store.display()
        );
        // Nothing left to write after a load from the cache; the hash a
        // session is compared with comes along, as reading would give it.
        let again = open(&cache, store);
        assert!(again.pending.is_none());
        let content = annals::annotate::sessions::content_hash(Some(store));
        assert_eq!(again.content, Some(content));
        assert_eq!(
            open(&tmp.path().join("other"), store).content,
            Some(content)
        );
    }
    let kept = stores.len().min(annals::cache::MAX_STORES);
    assert_eq!(
        models(&cache).len(),
        kept,
        "one model file per store, the latest few"
    );
}

#[test]
fn an_edit_to_the_store_invalidates_its_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let store = synth_store(tmp.path());
    open_and_write(&cache, &store);
    assert!(open_and_write(&cache, &store).1);
    // One byte changed, same length: a title.
    let text = std::fs::read_to_string(&store).unwrap();
    let at = text.find("title: \"").unwrap() + 8;
    let mut edited = text.clone().into_bytes();
    edited[at] = if edited[at] == b'Q' { b'R' } else { b'Q' };
    std::fs::write(&store, &edited).unwrap();
    let (m, from_cache) = open_and_write(&cache, &store);
    assert!(!from_cache, "an edited store is parsed again");
    assert!(m == annals::load_path(&store).unwrap());
    assert!(open_and_write(&cache, &store).1, "and cached again");
    // Appending a comment changes the bytes, not the model: still parsed.
    std::fs::write(
        &store,
        format!("{}\n// a note\n", String::from_utf8(edited).unwrap()),
    )
    .unwrap();
    assert!(!open_and_write(&cache, &store).1);
}

/// Long enough for a store's times to vouch for it (`cache/stamp.rs`).
const SETTLE: std::time::Duration = std::time::Duration::from_millis(3_200);

#[test]
fn a_store_left_alone_opens_on_its_times_and_is_hashed_after() {
    use annals::cache::open_in_trusting_times;
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let store = synth_store(tmp.path());
    let trusting =
        |s: &Path| open_in_trusting_times(Some(&cache), s, &Progress::default()).unwrap();
    // Cached just after it was written: its times vouch for nothing.
    open_and_write(&cache, &store);
    let o = trusting(&store);
    assert!(o.from_cache && o.verify.is_none(), "hashed, not trusted");
    // Cached once it had been left alone: the times vouch for it.
    std::thread::sleep(SETTLE);
    std::fs::write(&store, std::fs::read(&store).unwrap()).unwrap();
    std::thread::sleep(SETTLE);
    open_and_write(&cache, &store);
    let o = trusting(&store);
    assert!(o.from_cache, "from the cache");
    let verify = o.verify.expect("opened on its times: to be hashed after");
    assert!(o.model == annals::load_path(&store).unwrap());
    assert!(verify.holds(), "the store is what the model was made from");
    // Commands that print what a store says hash it first, always.
    assert!(open(&cache, &store).verify.is_none());
    // Any edit changes the times: parsed again, even trusting them (one
    // byte of a title, the length the same).
    let mut bytes = std::fs::read(&store).unwrap();
    let at = String::from_utf8_lossy(&bytes).find("title: \"").unwrap() + 8;
    bytes[at] = if bytes[at] == b'Q' { b'R' } else { b'Q' };
    std::fs::write(&store, &bytes).unwrap();
    assert!(!trusting(&store).from_cache);
    // Had the times not shown it, the hash after does: the model file
    // goes, and the next open parses.
    assert!(!verify.holds());
    assert!(
        !files(&cache)
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "model"))
    );
    assert!(!open(&cache, &store).from_cache);
}

#[test]
fn a_damaged_or_cut_short_cache_file_is_ignored_and_the_store_parsed() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let store = synth_store(tmp.path());
    let parsed = annals::load_path(&store).unwrap();
    open_and_write(&cache, &store);
    let [file] = models(&cache).try_into().unwrap();
    let good = std::fs::read(&file).unwrap();
    assert!(good.len() > 1000);
    let check = |bytes: &[u8], what: &str| {
        std::fs::write(&file, bytes).unwrap();
        let o = open(&cache, &store);
        assert!(!o.from_cache, "{what}: not read from the cache");
        assert!(o.model == parsed, "{what}: the model is the parsed one");
    };
    // Every one of the first 64 bytes (the header), then 200 spread over the rest.
    let positions: Vec<usize> = (0..64)
        .chain((0..200).map(|i| 64 + i * (good.len() - 65) / 199))
        .collect();
    for at in positions {
        let mut bad = good.clone();
        bad[at] ^= 0x5a;
        check(&bad, &format!("byte {at} flipped"));
    }
    for len in [0, 1, 7, 8, 40, 63, good.len() / 2, good.len() - 1] {
        check(&good[..len], &format!("cut to {len} bytes"));
    }
    let mut longer = good.clone();
    longer.push(0);
    check(&longer, "a byte too many");
    // Restored, it is used again.
    std::fs::write(&file, &good).unwrap();
    assert!(open(&cache, &store).from_cache);
}

#[test]
fn a_cache_file_of_another_store_is_not_used() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let a = synth_store(tmp.path());
    let b = tmp.path().join("b.ron");
    std::fs::write(&b, annals::store::load::BUILTIN_STORE).unwrap();
    open_and_write(&cache, &a);
    let [a_file] = models(&cache).try_into().unwrap();
    open_and_write(&cache, &b);
    let b_file = models(&cache).into_iter().find(|f| *f != a_file).unwrap();
    std::fs::copy(&a_file, &b_file).unwrap();
    let o = open(&cache, &b);
    assert!(!o.from_cache);
    assert!(o.model == annals::load_path(&b).unwrap());
    // The same bytes at another path: another key, so not this one's
    // either, even in its file.
    let a2 = tmp.path().join("a2.ron");
    std::fs::copy(&a, &a2).unwrap();
    let before = models(&cache);
    open_and_write(&cache, &a2);
    let a2_file = models(&cache)
        .into_iter()
        .find(|f| !before.contains(f))
        .unwrap();
    std::fs::copy(&a_file, &a2_file).unwrap();
    assert!(!open(&cache, &a2).from_cache);
}

#[test]
fn a_store_that_does_not_load_is_never_cached() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let store = tmp.path().join("bad.ron");
    let text = annals::store::load::BUILTIN_STORE.replacen("date: \"", "date: \"not a date ", 1);
    std::fs::write(&store, text).unwrap();
    for _ in 0..2 {
        assert!(open_in(Some(&cache), &store, &Progress::default()).is_err());
    }
    std::fs::write(&store, "( meta: (title: \"cut").unwrap();
    assert!(open_in(Some(&cache), &store, &Progress::default()).is_err());
    assert!(files(&cache).is_empty());
    // Through the command line too.
    Command::cargo_bin("annals")
        .unwrap()
        .env("ANNALS_CACHE_DIR", &cache)
        .args(["check".as_ref(), store.as_os_str()])
        .assert()
        .failure();
    assert!(files(&cache).is_empty());
}

#[test]
fn no_cache_bypasses_the_cache_and_cache_clear_empties_it() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let store = synth_store(tmp.path());
    let annals = || {
        let mut c = Command::cargo_bin("annals").unwrap();
        c.env("ANNALS_CACHE_DIR", &cache);
        c
    };
    let check = |extra: &[&str]| {
        annals()
            .arg("check")
            .args(extra)
            .arg(&store)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let plain = check(&["--no-cache"]);
    assert!(files(&cache).is_empty(), "--no-cache writes nothing");
    for cmd in [
        &["list", "--no-cache"][..],
        &["export", "--no-cache", "-f", "csv", "-o", "-"],
        // Before the command's name as well.
        &["--no-cache", "check"],
        &["--no-cache", "list"],
    ] {
        annals().args(cmd).arg(&store).assert().success();
    }
    annals()
        .args([
            "search".as_ref(),
            "--no-cache".as_ref(),
            store.as_os_str(),
            "base".as_ref(),
        ])
        .assert()
        .success();
    assert!(
        files(&cache).is_empty(),
        "nor does list, export or search with it"
    );
    assert_eq!(check(&[]), plain, "parsed and cached");
    let [file] = models(&cache).try_into().unwrap();
    assert_eq!(check(&[]), plain, "from the cache, the same counts");
    // With --no-cache a damaged cache file is not even read, nor replaced.
    std::fs::write(&file, b"junk").unwrap();
    assert_eq!(check(&["--no-cache"]), plain);
    assert_eq!(std::fs::read(&file).unwrap(), b"junk");
    assert_eq!(check(&[]), plain, "damaged: parsed, and rewritten");
    assert_ne!(std::fs::read(&file).unwrap(), b"junk");
    let out = annals()
        .arg("cache")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with(&cache.display().to_string()), "{out}");
    // The model file, and a times file if the store was left alone long
    // enough before it was read.
    let n = files(&cache).len();
    let said = format!("{n} file{},", if n == 1 { "" } else { "s" });
    assert!(out.contains(&said), "{out}");
    annals()
        .args(["cache", "--clear"])
        .assert()
        .success()
        .stdout(format!(
            "removed {n} file{} from {}\n",
            if n == 1 { "" } else { "s" },
            cache.display()
        ));
    assert!(files(&cache).is_empty());
}

#[test]
fn the_cache_keeps_the_most_recently_used_stores_only() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let max = annals::cache::MAX_STORES;
    let stores: Vec<PathBuf> = (0..max + 2)
        .map(|i| {
            let p = tmp.path().join(format!("s{i}.ron"));
            std::fs::write(&p, annals::store::load::BUILTIN_STORE).unwrap();
            p
        })
        .collect();
    for s in &stores[..max] {
        open_and_write(&cache, s);
    }
    assert_eq!(models(&cache).len(), max);
    // The first is used again: the second and third are now the oldest.
    assert!(open_and_write(&cache, &stores[0]).1);
    for s in &stores[max..] {
        open_and_write(&cache, s);
    }
    assert_eq!(models(&cache).len(), max);
    assert!(open(&cache, &stores[0]).from_cache, "used lately: kept");
    assert!(
        !open(&cache, &stores[1]).from_cache,
        "least recently used: removed"
    );
    assert!(!open(&cache, &stores[2]).from_cache);
    assert!(open(&cache, &stores[max + 1]).from_cache);
}

/// Queries that find something in `m`: words of its first event, actor
/// and source, a prefix, a typo, and one that finds nothing.
fn queries(m: &Model) -> Vec<String> {
    let first_word = |s: &str| s.split_whitespace().next().unwrap_or("").to_lowercase();
    let title = first_word(&m.events[0].title);
    let mut typo: Vec<char> = title.chars().collect();
    typo.swap(0, 1);
    vec![
        title.clone(),
        title.chars().take(3).collect(),
        typo.into_iter().collect(),
        first_word(&m.actors[0].name),
        first_word(&m.sources[0].outlet),
        format!("{} {}", title, first_word(&m.places[0].name)),
        "qqqzzzx".into(),
    ]
}

#[test]
fn the_search_index_is_kept_beside_the_model_and_answers_as_a_built_one() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let store = synth_store(tmp.path());
    let o = open(&cache, &store);
    let kept = o.index.expect("the cache is in use");
    assert!(kept.load(&o.model).is_none(), "nothing kept yet");
    let built = kept.load_or_build(&o.model);
    let index_file = || {
        files(&cache)
            .into_iter()
            .find(|f| f.extension().is_some_and(|e| e == "index"))
    };
    let file = index_file().expect("the index is kept");
    o.pending.unwrap().write(&o.model).unwrap();
    // Opened again, from the cache: the kept index answers as the built one.
    let warm = open(&cache, &store);
    assert!(warm.from_cache);
    let kept = warm.index.expect("the cache is in use");
    let read = kept.load(&warm.model).expect("the kept index is read");
    let qs = queries(&warm.model);
    let mut found = 0;
    for q in &qs {
        let hits = read.search(&warm.model, q, 20);
        assert_eq!(hits, built.search(&warm.model, q, 20), "{q}");
        found += usize::from(!hits.is_empty());
    }
    assert!(found >= 5, "the queries find something: {found}");
    // Damaged or cut short: refused, then built and kept again.
    let good = std::fs::read(&file).unwrap();
    for at in (0..good.len()).step_by(good.len() / 150 + 1) {
        let mut bad = good.clone();
        bad[at] ^= 0x5a;
        std::fs::write(&file, &bad).unwrap();
        assert!(kept.load(&warm.model).is_none(), "byte {at} flipped");
    }
    for len in [0, 8, 60, good.len() / 2, good.len() - 1] {
        std::fs::write(&file, &good[..len]).unwrap();
        assert!(kept.load(&warm.model).is_none(), "cut to {len}");
    }
    let rebuilt = kept.load_or_build(&warm.model);
    assert_eq!(std::fs::read(&file).unwrap(), good, "kept again");
    assert_eq!(
        rebuilt.search(&warm.model, &qs[0], 20),
        read.search(&warm.model, &qs[0], 20)
    );
    // The store edited: its old index is not used for the new model.
    let text = std::fs::read_to_string(&store).unwrap();
    std::fs::write(&store, format!("{text}\n// edited\n")).unwrap();
    let edited = open(&cache, &store);
    assert!(!edited.from_cache);
    assert!(edited.index.unwrap().load(&edited.model).is_none());
}

#[test]
fn annals_search_keeps_its_index_and_answers_the_same_from_it() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let store = synth_store(tmp.path());
    let m = annals::load_path(&store).unwrap();
    let q = queries(&m).remove(0);
    let search = || {
        Command::cargo_bin("annals")
            .unwrap()
            .env("ANNALS_CACHE_DIR", &cache)
            .args([
                "search".as_ref(),
                store.as_os_str(),
                q.as_ref(),
                "--json".as_ref(),
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let first = search();
    let kinds = |ext: &str| {
        files(&cache)
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == ext))
            .count()
    };
    assert_eq!((kinds("model"), kinds("index")), (1, 1));
    assert_eq!(search(), first, "from the cache, the same answer");
}

#[test]
fn list_text_answers_from_a_kept_index_as_it_does_by_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let store = synth_store(tmp.path());
    let m = annals::load_path(&store).unwrap();
    let words: Vec<String> = m.events[..3].iter().map(|e| e.title.to_string()).collect();
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("annals")
            .unwrap()
            .env("ANNALS_CACHE_DIR", &cache)
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), out.stdout)
    };
    let s = store.to_str().unwrap();
    // The index kept first (by a search), then `list --text` with it.
    assert_eq!(run(&["search", s, "a"]).0, Some(0));
    let index_file = files(&cache)
        .into_iter()
        .find(|f| f.extension().is_some_and(|e| e == "index"))
        .expect("the index is kept");
    for title in &words {
        for text in [title.as_str(), &title[..3], "zzqx"] {
            let read = run(&["--no-cache", "list", s, "--text", text]);
            assert_eq!(run(&["list", s, "--text", text]), read, "{text:?}");
        }
    }
    // A damaged index is not used: the answer is still the one read.
    let mut bytes = std::fs::read(&index_file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&index_file, bytes).unwrap();
    let text = &words[0][..4];
    let read = run(&["--no-cache", "list", s, "--text", text]);
    assert_eq!(run(&["list", s, "--text", text]), read);
}

/// The explorer's search thread's answer to `query`.
fn worker_answer(
    model: &std::sync::Arc<Model>,
    kept: Option<annals::cache::IndexCache>,
    query: &str,
) -> Vec<annals::search::Hit> {
    use annals::tui::searcher::Searcher;
    use annals::tui::term::fault::Fault;
    let searcher = Searcher::worker(std::sync::Arc::clone(model), Fault::None, kept);
    assert!(searcher.submit(model, 1, query).is_none());
    let start = std::time::Instant::now();
    loop {
        if let Some((_, answer)) = searcher.poll() {
            return answer.expect("answered");
        }
        assert!(start.elapsed().as_secs() < 60, "no answer");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn the_explorer_search_thread_keeps_the_index_it_built_and_reads_it_next_time() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let store = synth_store(tmp.path());
    let o = open(&cache, &store);
    let model = std::sync::Arc::new(o.model);
    let q = queries(&model).remove(0);
    let first = worker_answer(&model, o.index.clone(), &q);
    assert!(!first.is_empty());
    // Kept by another thread, after the answer: wait for it.
    let start = std::time::Instant::now();
    let kept = o.index.expect("the cache is in use");
    while kept.load(&model).is_none() {
        assert!(start.elapsed().as_secs() < 60, "the index is never kept");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(worker_answer(&model, Some(kept), &q), first);
}

#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_a_cache_file_is_passed_over_and_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let store = synth_store(tmp.path());
    let o = open(&cache, &store);
    o.pending.unwrap().write(&o.model).unwrap();
    let [file] = models(&cache).try_into().unwrap();
    std::fs::remove_file(&file).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&file).status();
    assert!(made.unwrap().success(), "mkfifo");
    // Opening a FIFO for reading waits for a writer: never, here.
    let (tx, rx) = std::sync::mpsc::channel();
    let (c, s) = (cache.clone(), store.clone());
    std::thread::spawn(move || {
        let _ = tx.send(open_and_write(&c, &s).1);
    });
    let from_cache = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the open never returned");
    assert!(!from_cache);
    assert!(std::fs::metadata(&file).unwrap().is_file(), "replaced");
    assert!(open(&cache, &store).from_cache);
}
