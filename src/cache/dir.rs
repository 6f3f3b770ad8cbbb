//! The cache directory: where it is, which files in it are annals',
//! keeping it within bounds, and emptying it.

use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

use super::file::TEMP_PREFIX;

/// Where cache files are kept, if the platform has a place for them.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("ANNALS_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy().ok()?;
    Some(base.cache_dir().join("annals"))
}

/// The cache file of the store with this key (canonical path): `model`,
/// `index` or `times`.
pub(super) fn cache_file(dir: &Path, key: &str, kind: &str) -> PathBuf {
    dir.join(format!("{:016x}.{kind}", xxh3_64(key.as_bytes())))
}

/// What a file in the cache directory is, by its name. Only these are
/// annals': everything else there (the directory may be shared, or set by
/// mistake to one that holds other files) is never counted or removed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Own {
    /// `<16 hex digits>.model`, `.index` or `.times`.
    Cache,
    /// The temporary file of one being written.
    Temp,
}

fn own(path: &Path) -> Option<Own> {
    let name = path.file_name()?.to_str()?;
    if name.starts_with(TEMP_PREFIX) {
        return Some(Own::Temp);
    }
    let (stem, ext) = name.split_once('.')?;
    let hex = stem.len() == 16 && stem.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && matches!(ext, "model" | "index" | "times")).then_some(Own::Cache)
}

/// At most this many stores keep cache files: writing one removes the
/// least recently used beyond it.
pub const MAX_STORES: usize = 8;

/// And at most this many bytes of cache files in all, the newest store's
/// kept whatever its size (a million-event store's are about 1.9 GB: the
/// model file holds a copy of the store's text).
pub const MAX_BYTES: u64 = 8 << 30;

/// Removes the least recently used cache files beyond `MAX_STORES` stores
/// or `MAX_BYTES`, and temporary files a killed writer left: a use (a load
/// from it) or a write sets a file's modification time.
pub(super) fn prune(dir: &Path) {
    prune_to(dir, MAX_STORES, MAX_BYTES);
}

fn prune_to(dir: &Path, max_stores: usize, max_bytes: u64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    let mut files: Vec<(std::time::SystemTime, u64, PathBuf)> = Vec::new();
    for e in entries.flatten() {
        let (path, Ok(meta)) = (e.path(), e.metadata()) else {
            continue;
        };
        let Ok(modified) = meta.modified() else {
            continue;
        };
        match own(&path) {
            Some(Own::Cache) if meta.is_file() => files.push((modified, meta.len(), path)),
            Some(Own::Temp) if meta.is_file() && is_stale_temp(modified, now) => {
                let _ = std::fs::remove_file(path);
            }
            _ => {}
        }
    }
    // Newest first: a store's files count from its newest one.
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    let mut stores: Vec<std::ffi::OsString> = Vec::new();
    let mut bytes = 0u64;
    for (_, len, path) in files {
        let stem = path.file_stem().unwrap_or_default().to_os_string();
        if !stores.contains(&stem) {
            stores.push(stem);
        }
        bytes = bytes.saturating_add(len);
        let newest = stores.len() == 1;
        if !newest && (stores.len() > max_stores || bytes > max_bytes) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A temporary file of a cache file being written (`write_file`)
/// untouched for an hour: its writer was killed before it could rename or
/// remove it (a quit does not wait for the search index to be kept).
fn is_stale_temp(modified: std::time::SystemTime, now: std::time::SystemTime) -> bool {
    now.duration_since(modified)
        .is_ok_and(|age| age.as_secs() > 3600)
}

/// Removes annals' files from the cache directory; how many it removed.
pub fn clear() -> Result<(PathBuf, usize), String> {
    let dir = cache_dir().ok_or("no cache directory on this system")?;
    clear_in(&dir).map(|n| (dir, n))
}

/// Removes annals' files in `dir` (see `Own`); how many it removed.
pub fn clear_in(dir: &Path) -> Result<usize, String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    };
    let mut n = 0;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let p = entry.path();
        if own(&p).is_none() || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        match std::fs::remove_file(&p) {
            Ok(()) => n += 1,
            // Renamed or removed meanwhile by another annals: gone anyway.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", p.display())),
        }
    }
    Ok(n)
}

/// How many of annals' files `dir` holds, and their bytes.
pub fn usage_in(dir: &Path) -> (u64, u64) {
    let (mut files, mut bytes) = (0u64, 0u64);
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if let (Some(_), Ok(m)) = (own(&e.path()), e.metadata())
                && m.is_file()
            {
                files += 1;
                bytes += m.len();
            }
        }
    }
    (files, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, name: &str, bytes: usize, age_secs: u64) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, vec![b'x'; bytes]).unwrap();
        let f = std::fs::File::options().append(true).open(&p).unwrap();
        let when = std::time::SystemTime::now() - std::time::Duration::from_secs(age_secs);
        f.set_modified(when).unwrap();
        p
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn pruning_keeps_the_newest_stores_within_the_byte_cap_and_the_newest_always() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        // Store a: newest (its index newer than its model); b, c older.
        let (a, b, c) = ("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc");
        file(d, &format!("{a}.model"), 50, 10);
        file(d, &format!("{a}.index"), 50, 5);
        file(d, &format!("{b}.model"), 30, 20);
        file(d, &format!("{b}.index"), 30, 25);
        file(d, &format!("{c}.model"), 10, 30);
        // Not annals' files, however old: never removed.
        file(d, "word2vec.model", 10, 99_000);
        file(d, "0123456789abcdef.model.bak", 10, 99_000);
        let others = ["0123456789abcdef.model.bak", "word2vec.model"];
        let with = |ours: &[&str]| {
            let mut v: Vec<String> = ours.iter().map(|s| s.to_string()).collect();
            v.extend(others.iter().map(|s| s.to_string()));
            v.sort();
            v
        };
        prune_to(d, 2, 1000);
        let (ai, am, bi, bm) = (
            format!("{a}.index"),
            format!("{a}.model"),
            format!("{b}.index"),
            format!("{b}.model"),
        );
        assert_eq!(names(d), with(&[&ai, &am, &bi, &bm]));
        // 130 bytes allowed: a (100), then b's model (130), not b's index.
        prune_to(d, 8, 130);
        assert_eq!(names(d), with(&[&ai, &am, &bm]));
        // The newest store stays even when it alone is over the cap.
        prune_to(d, 8, 10);
        assert_eq!(names(d), with(&[&ai, &am]));
        // Clearing removes annals' files only.
        assert_eq!(clear_in(d).unwrap(), 2);
        assert_eq!(names(d), with(&[]));
        assert_eq!(usage_in(d), (0, 0));
    }

    #[test]
    fn pruning_removes_temporary_files_left_for_an_hour_only() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        file(d, ".annals-cache-a1", 5, 4000);
        file(d, ".annals-cache-b2", 5, 60);
        file(d, "notes.txt", 5, 4000);
        prune_to(d, 8, 1000);
        assert_eq!(names(d), [".annals-cache-b2", "notes.txt"]);
    }
}
