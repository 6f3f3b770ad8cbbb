//! A cache file: its header, and writing it atomically.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use xxhash_rust::xxh3::xxh3_64;

use super::{FORMAT, Stamp};

/// The header, before the sections.
pub(super) struct Header {
    pub(super) format: u32,
    pub(super) hash: u64,
    pub(super) len: u64,
    /// Each section's length and checksum (xxh3), in file order.
    pub(super) sections: Vec<(u64, u64)>,
    pub(super) key: String,
    pub(super) version: String,
}

/// Reads a header's fields in order.
struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

/// At most this many sections: a damaged count allocates nothing large.
const MAX_SECTIONS: u32 = 4;

impl Header {
    fn new(stamp: &Stamp, sections: &[&[u8]]) -> Header {
        Header {
            format: FORMAT,
            hash: stamp.hash,
            len: stamp.len,
            sections: sections
                .iter()
                .map(|s| (s.len() as u64, xxh3_64(s)))
                .collect(),
            key: stamp.key.clone(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }

    fn bytes(&self, magic: &[u8; 8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.key.len());
        out.extend_from_slice(magic);
        out.extend_from_slice(&self.format.to_le_bytes());
        out.extend_from_slice(&self.hash.to_le_bytes());
        out.extend_from_slice(&self.len.to_le_bytes());
        out.extend_from_slice(&(self.sections.len() as u32).to_le_bytes());
        for (len, sum) in &self.sections {
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&sum.to_le_bytes());
        }
        for s in [&self.key, &self.version] {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        out
    }

    /// The header at the start of `b` and where the sections start.
    pub(super) fn parse(b: &[u8], magic: &[u8; 8]) -> Option<(Header, usize)> {
        let mut r = Cursor { b, at: 0 };
        if r.take(8)? != magic {
            return None;
        }
        let format = r.u32()?;
        let (hash, len) = (r.u64()?, r.u64()?);
        let n = r.u32()?;
        if n > MAX_SECTIONS {
            return None;
        }
        let mut sections = Vec::new();
        for _ in 0..n {
            sections.push((r.u64()?, r.u64()?));
        }
        let key = r.string()?;
        let version = r.string()?;
        let header = Header {
            format,
            hash,
            len,
            sections,
            key,
            version,
        };
        Some((header, r.at))
    }

    /// Made by this annals from a store with this key and length, with
    /// `n` sections that fill the rest of the file exactly: their ranges.
    pub(super) fn sections_of(
        &self,
        stamp: (&str, u64),
        n: usize,
        start: usize,
        file_len: usize,
    ) -> Option<Vec<std::ops::Range<usize>>> {
        let fits = self.format == FORMAT
            && self.version == env!("CARGO_PKG_VERSION")
            && self.key == stamp.0
            && self.len == stamp.1
            && self.sections.len() == n;
        if !fits {
            return None;
        }
        let mut ranges = Vec::new();
        let mut at = start;
        for &(len, _) in &self.sections {
            let end = at.checked_add(usize::try_from(len).ok()?)?;
            ranges.push(at..end);
            at = end;
        }
        (at == file_len).then_some(ranges)
    }
}

/// Writes `sections` after their header to `file`, atomically: a reader
/// sees the old file or the whole new one. Not synced to disk: after a
/// crash a torn file fails its checksums and is only parsed past, and
/// syncing 1.7 GB made a quit after a first open wait seconds for it.
pub(super) fn write_file(
    file: &Path,
    magic: &[u8; 8],
    stamp: &Stamp,
    sections: &[&[u8]],
) -> Result<(), String> {
    let header = Header::new(stamp, sections).bytes(magic);
    let dir = file.parent().unwrap_or(Path::new("."));
    let said = |e: std::io::Error| format!("{}: {e}", file.display());
    // Not made again by a process finishing the cache after the explorer
    // (`later.rs`): a directory removed meanwhile (a test's) stays so.
    if !OWN_PROCESS.load(Ordering::Relaxed) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .map_err(said)?;
    let listed = Listed::new(tmp.path()).ok_or_else(|| "the explorer is ending".to_string())?;
    tmp.write_all(&header).map_err(said)?;
    for s in sections {
        tmp.write_all(s).map_err(said)?;
    }
    tmp.persist(file).map_err(|e| said(e.error))?;
    drop(listed);
    super::dir::prune(dir);
    Ok(())
}

/// Temporary files of cache files being written by this process's
/// threads, for `abandon_writes`.
static WRITING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set by `abandon_writes`: no more are begun.
static ABANDONED: AtomicBool = AtomicBool::new(false);
/// Set in the process `later::hand_off` starts, which does not list its
/// files: it alone writes them, and a thread of its parent may have
/// held the list's lock when it was made.
static OWN_PROCESS: AtomicBool = AtomicBool::new(false);

fn writing() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    WRITING.lock().unwrap_or_else(|e| e.into_inner())
}

/// A temporary file listed in `WRITING` while it is written.
struct Listed(Option<PathBuf>);

impl Listed {
    /// None once writes are abandoned.
    fn new(path: &Path) -> Option<Listed> {
        if OWN_PROCESS.load(Ordering::Relaxed) {
            return Some(Listed(None));
        }
        let mut w = writing();
        if ABANDONED.load(Ordering::Relaxed) {
            return None;
        }
        w.push(path.to_path_buf());
        Some(Listed(Some(path.to_path_buf())))
    }
}

impl Drop for Listed {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            writing().retain(|w| *w != p);
        }
    }
}

/// Removes the temporary files this process's threads are writing and
/// lets no more begin: the process is ending, and they will not be
/// finished. A thread renaming one meanwhile either finds it gone or
/// has put a whole file in place.
pub(super) fn abandon_writes() {
    let mut w = writing();
    ABANDONED.store(true, Ordering::Relaxed);
    for p in w.drain(..) {
        let _ = std::fs::remove_file(p);
    }
}

/// This is the process `later::hand_off` started (see `OWN_PROCESS`).
pub(super) fn in_own_process() {
    OWN_PROCESS.store(true, Ordering::Relaxed);
}

/// How the temporary file of a cache file being written is named.
pub(super) const TEMP_PREFIX: &str = ".annals-cache-";

/// A cache file opened for reading, if it is a regular file: a FIFO put
/// in its place would block the open forever.
pub(super) fn open_regular(path: &Path) -> Option<std::fs::File> {
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    std::fs::File::open(path).ok()
}

/// Marks a cache file as just used, for `prune`.
pub(super) fn touch(file: &Path) {
    if let Ok(f) = std::fs::File::options().append(true).open(file) {
        let _ = f.set_modified(std::time::SystemTime::now());
    }
}
