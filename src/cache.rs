//! The load cache: once a store has loaded and passed validation, its
//! model is kept in binary form in the platform's cache directory
//! (`$XDG_CACHE_HOME/annals/` on Linux; `ANNALS_CACHE_DIR` overrides it),
//! and the next open of the same, unchanged store reads that instead of
//! parsing and checking the RON again.
//!
//! A cache file is keyed by the store's canonical path and a hash (xxh3)
//! of its bytes, so any edit makes it stale. It holds no copy of the
//! store's text: its strings are (start, len) ranges of the text, which is
//! read anyway to hash it, and they share that one buffer again on load.
//! Nothing in it is trusted blindly: a header with a magic number, the
//! format version, the store's path, hash and length, the payload's
//! length and its checksum (xxh3) must all agree before the payload is
//! read, and a payload that still does not decode is ignored. A stale,
//! cut short, corrupt or foreign file is parsed past and rewritten.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bincode::Options;
use xxhash_rust::xxh3::xxh3_64;

use crate::load::{self, LoadError, Progress, Stage};
use crate::mapped::{MappedFile, MappedText};
use crate::model::{Event, Model};
use crate::search::SearchIndex;
use crate::shared::Text;

/// Bump whenever the model's types (or how they are written) change.
pub const FORMAT: u32 = 3;

/// The first bytes of a model file and of an index file.
const MODEL_MAGIC: &[u8; 8] = b"ANNALSMC";
const INDEX_MAGIC: &[u8; 8] = b"ANNALSIX";

/// Where cache files are kept, if the platform has a place for them.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("ANNALS_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy().ok()?;
    Some(base.cache_dir().join("annals"))
}

/// The cache file of the store with this key (canonical path): `model`
/// or `index`.
fn cache_file(dir: &Path, key: &str, kind: &str) -> PathBuf {
    dir.join(format!("{:016x}.{kind}", xxh3_64(key.as_bytes())))
}

/// What a file in the cache directory is, by its name. Only these are
/// annals': everything else there (the directory may be shared, or set by
/// mistake to one that holds other files) is never counted or removed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Own {
    /// `<16 hex digits>.model` or `.index`.
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
    (hex && (ext == "model" || ext == "index")).then_some(Own::Cache)
}

/// A cache file opened for reading, if it is a regular file: a FIFO put
/// in its place would block the open forever.
fn open_regular(path: &Path) -> Option<std::fs::File> {
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    std::fs::File::open(path).ok()
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
fn prune(dir: &Path) {
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

/// Marks a cache file as just used, for `prune`.
fn touch(file: &Path) {
    if let Ok(f) = std::fs::File::options().append(true).open(file) {
        let _ = f.set_modified(std::time::SystemTime::now());
    }
}

/// The same options to write and to read.
fn codec() -> impl Options {
    bincode::DefaultOptions::new()
}

/// A store opened through the cache.
pub struct Opened {
    pub model: Model,
    /// The model came from the cache (the store was not parsed).
    pub from_cache: bool,
    /// The hash of the store's bytes as read (`state::content_hash`), when
    /// the cache was in use: a session compares it without reading the
    /// store again.
    pub content: Option<u64>,
    /// The cache file to write for this model, when it was parsed and the
    /// cache is in use: `PendingWrite::write`, on another thread if the
    /// caller has something better to do.
    pub pending: Option<PendingWrite>,
    /// Where this store's search index is kept, when the cache is in use:
    /// read it from there, or build it and keep it there.
    pub index: Option<IndexCache>,
}

/// Which store, exactly, a cache file was made from.
#[derive(Clone, Debug)]
struct Stamp {
    key: String,
    /// xxh3 of the store's bytes, and their length.
    hash: u64,
    len: u64,
}

/// What it takes to write a model's cache file.
pub struct PendingWrite {
    file: PathBuf,
    stamp: Stamp,
    text: Arc<Text>,
}

/// The header, before the sections.
struct Header {
    format: u32,
    hash: u64,
    len: u64,
    /// Each section's length and checksum (xxh3), in file order.
    sections: Vec<(u64, u64)>,
    key: String,
    version: String,
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
    fn parse(b: &[u8], magic: &[u8; 8]) -> Option<(Header, usize)> {
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
    fn sections_of(
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
fn write_file(
    file: &Path,
    magic: &[u8; 8],
    stamp: &Stamp,
    sections: &[&[u8]],
) -> Result<(), String> {
    let header = Header::new(stamp, sections).bytes(magic);
    let dir = file.parent().unwrap_or(Path::new("."));
    let said = |e: std::io::Error| format!("{}: {e}", file.display());
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .map_err(said)?;
    tmp.write_all(&header).map_err(said)?;
    for s in sections {
        tmp.write_all(s).map_err(said)?;
    }
    tmp.persist(file).map_err(|e| said(e.error))?;
    prune(dir);
    Ok(())
}

/// How the temporary file of a cache file being written is named.
const TEMP_PREFIX: &str = ".annals-cache-";

/// Loads a store from a file: from its cache file when there is a valid
/// one for these exact bytes, else by parsing (and then `pending` says
/// what to write). `use_cache` false, or no cache directory, is a plain
/// `load::load_path_with`.
pub fn open(path: &Path, progress: &Progress, use_cache: bool) -> Result<Opened, LoadError> {
    open_in(cache_dir().filter(|_| use_cache).as_deref(), path, progress)
}

/// `open` with the cache in `dir` (none: no cache).
pub fn open_in(dir: Option<&Path>, path: &Path, progress: &Progress) -> Result<Opened, LoadError> {
    let plain = || {
        load::load_path_with(path, progress).map(|model| Opened {
            model,
            from_cache: false,
            content: None,
            pending: None,
            index: None,
        })
    };
    let Some(dir) = dir else {
        return plain();
    };
    let Ok(meta) = std::fs::metadata(path) else {
        return plain();
    };
    if !meta.is_file() {
        return plain();
    }
    let key = crate::state::store_key(Some(path));
    let file = cache_file(dir, &key, "model");
    if let Some((model, stamp)) = from_cache(&file, path, (&key, meta.len()), progress) {
        touch(&file);
        return Ok(Opened {
            model,
            from_cache: true,
            content: Some(stamp.hash),
            pending: None,
            index: Some(IndexCache::new(dir, stamp)),
        });
    }
    progress.enter(Stage::Reading);
    let Ok(bytes) = load::read_counting(path, progress) else {
        // Says why, as a load without the cache would.
        return plain();
    };
    let stamp = Stamp {
        key,
        hash: xxh3_64(&bytes),
        len: bytes.len() as u64,
    };
    let name = path.display().to_string();
    let text = Arc::new(Text::from(load::text_of(bytes, &name)?));
    let model = load::load_text_with(&text, &name, progress)?;
    Ok(Opened {
        model,
        from_cache: false,
        content: Some(stamp.hash),
        index: Some(IndexCache::new(dir, stamp.clone())),
        pending: Some(PendingWrite { file, stamp, text }),
    })
}

/// The model in the cache file `file`, if the file is valid and was made
/// from the store at `path` as it is now, and the stamp of that store.
///
/// The file is: the events, the rest of the model, the store's text.
/// Both cores work: this thread checks the text is UTF-8, decodes the
/// events and hashes the text; the other hashes the store, then decodes
/// the rest of the model. The model is only taken if the store's hash matches.
fn from_cache(
    file: &Path,
    path: &Path,
    (key, len): (&str, u64),
    progress: &Progress,
) -> Option<(Model, Stamp)> {
    let mapped = Arc::new(MappedFile::open(&open_regular(file)?).ok()?);
    let bytes = mapped.bytes();
    let (header, start) = Header::parse(bytes, MODEL_MAGIC)?;
    let ranges = header.sections_of((key, len), 3, start, bytes.len())?;
    let [events_at, rest_at, text_at] = <[_; 3]>::try_from(ranges).ok()?;
    let sums_hold = [&events_at, &rest_at]
        .iter()
        .zip(&header.sections)
        .all(|(at, &(_, sum))| xxh3_64(&bytes[(*at).clone()]) == sum);
    if !sums_hold {
        return None;
    }
    progress.enter(Stage::Reading);
    progress
        .total
        .store(len, std::sync::atomic::Ordering::Relaxed);
    let (events, text_sum, other) = std::thread::scope(|s| {
        let (text_tx, text_rx) = std::sync::mpsc::channel::<Option<Arc<Text>>>();
        let (text_part, rest_part) = (&bytes[text_at.clone()], &bytes[rest_at]);
        let other = s.spawn(move || {
            let store = hash_file(path, &progress.read)?;
            let text = text_rx.recv().ok()??;
            let rest = decode::<Model>(&text, rest_part)?;
            Some((store, rest))
        });
        let text = MappedText::new(Arc::clone(&mapped), text_at.clone());
        let _ = text_tx.send(text.as_ref().map(|t| Arc::new(Text::Mapped(t.share()))));
        let text = text.map(|t| Arc::new(Text::Mapped(t)));
        progress.enter(Stage::Checking);
        let events = text.and_then(|t| decode::<Vec<Event>>(&t, &bytes[events_at]));
        // Here rather than on the other thread, which has more to do.
        let text_sum = xxh3_64(text_part);
        (events, text_sum, other.join().ok().flatten())
    });
    let (store, mut model) = other?;
    let fresh = store == header.hash && text_sum == header.sections[2].1;
    model.events = events.filter(|_| fresh)?;
    let stamp = Stamp {
        key: key.to_string(),
        hash: store,
        len,
    };
    Some((model, stamp))
}

/// A section of a model file, its strings ranges of `text`.
fn decode<T: serde::de::DeserializeOwned>(text: &Arc<Text>, payload: &[u8]) -> Option<T> {
    crate::shared::caching(text, || {
        codec()
            .with_limit(payload.len() as u64)
            .deserialize::<T>(payload)
    })
    .ok()
}

/// xxh3 of a file's bytes, read a megabyte at a time (not kept: the text
/// the model needs is in the cache file); `read` counts the bytes.
fn hash_file(path: &Path, read: &std::sync::atomic::AtomicU64) -> Option<u64> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).ok()?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        hasher.update(&buf[..n]);
        total += n as u64;
        read.store(total, std::sync::atomic::Ordering::Relaxed);
    }
    Some(hasher.digest())
}

impl PendingWrite {
    /// Writes the cache file of `model` (the model this was made with):
    /// the events, the rest of the model (strings as ranges of the text),
    /// then the text.
    pub fn write(self, model: &Model) -> Result<(), String> {
        let why = |e: bincode::Error| format!("the model could not be encoded: {e}");
        let events = crate::shared::caching(&self.text, || codec().serialize(&model.events));
        // The model's own encoding leaves the events out (`Model::events`).
        let rest = crate::shared::caching(&self.text, || codec().serialize(model));
        let (events, rest) = (events.map_err(why)?, rest.map_err(why)?);
        let sections: [&[u8]; 3] = [&events, &rest, self.text.as_bytes()];
        write_file(&self.file, MODEL_MAGIC, &self.stamp, &sections)
    }

    /// The cache file this writes.
    pub fn file(&self) -> &Path {
        &self.file
    }
}

/// Where a store's search index is kept: beside its model file, written
/// by whoever built the index (the explorer's search thread), since a
/// million events take seconds to index and the first frame does not wait.
#[derive(Clone, Debug)]
pub struct IndexCache {
    file: PathBuf,
    stamp: Stamp,
}

impl IndexCache {
    fn new(dir: &Path, stamp: Stamp) -> IndexCache {
        IndexCache {
            file: cache_file(dir, &stamp.key, "index"),
            stamp,
        }
    }

    /// The index kept for `model`, if there is a valid one.
    pub fn load(&self, model: &Model) -> Option<SearchIndex> {
        // Mapped, not read: decoding copies it once, into the index.
        let mapped = MappedFile::open(&open_regular(&self.file)?).ok()?;
        let bytes = mapped.bytes();
        let (header, start) = Header::parse(bytes, INDEX_MAGIC)?;
        let stamp = (self.stamp.key.as_str(), self.stamp.len);
        let [at] = <[_; 1]>::try_from(header.sections_of(stamp, 1, start, bytes.len())?).ok()?;
        let payload = &bytes[at];
        let valid = header.hash == self.stamp.hash && xxh3_64(payload) == header.sections[0].1;
        let index = crate::search::stored::decode(payload, model).filter(|_| valid)?;
        touch(&self.file);
        Some(index)
    }

    /// Keeps `index` (of the model this was made for).
    pub fn store(&self, index: &SearchIndex) -> Result<(), String> {
        let payload = crate::search::stored::encode(index);
        write_file(&self.file, INDEX_MAGIC, &self.stamp, &[&payload])
    }

    /// The index kept for `model`, else one built now and kept.
    pub fn load_or_build(&self, model: &Model) -> SearchIndex {
        self.load(model).unwrap_or_else(|| {
            let index = SearchIndex::build(model);
            let _ = self.store(&index);
            index
        })
    }
}

/// Cache files being written on other threads, for `finish_writes`.
static WRITERS: std::sync::Mutex<Vec<std::thread::JoinHandle<()>>> =
    std::sync::Mutex::new(Vec::new());

/// Runs `write` (of a cache file) on its own thread, which
/// `finish_writes` waits for before the program ends.
pub fn write_in_background(write: impl FnOnce() + Send + 'static) {
    let handle = std::thread::spawn(write);
    let mut writers = WRITERS.lock().unwrap_or_else(|e| e.into_inner());
    writers.retain(|w| !w.is_finished());
    writers.push(handle);
}

/// Waits for the cache files being written; `before_waiting` is called
/// first if there are any (to say why the program has not ended yet).
pub fn finish_writes(before_waiting: impl FnOnce()) {
    let writers = std::mem::take(&mut *WRITERS.lock().unwrap_or_else(|e| e.into_inner()));
    if writers.iter().any(|w| !w.is_finished()) {
        before_waiting();
    }
    for w in writers {
        let _ = w.join();
    }
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

/// The model's `meta` in a form a binary format can read back: `Meta`
/// itself skips an empty description when written, for the store.
pub(crate) mod meta_repr {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::shared::SharedStr;
    use crate::store::Meta;

    pub fn serialize<S: Serializer>(m: &Meta, s: S) -> Result<S::Ok, S::Error> {
        (&m.title, &m.description).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Meta, D::Error> {
        let (title, description) = <(SharedStr, SharedStr)>::deserialize(d)?;
        Ok(Meta { title, description })
    }
}

/// A hash map written as its entries and read back into a map made at its
/// full size at once. Read through serde's own map code, a map with a
/// fixed hasher (Fx) grows while its entries arrive in the order of the
/// table they came from, and its probes collide: at a million ids that
/// took 2.6 s of a 3.8 s load, at once it takes well under a second.
pub(crate) mod map_repr {
    use std::hash::{BuildHasher, Hash};

    use serde::de::{SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    type Map<K, V, S> = std::collections::HashMap<K, V, S>;

    pub fn serialize<K: Serialize, V: Serialize, S, Z: Serializer>(
        m: &Map<K, V, S>,
        s: Z,
    ) -> Result<Z::Ok, Z::Error> {
        let mut seq = s.serialize_seq(Some(m.len()))?;
        for entry in m {
            seq.serialize_element(&entry)?;
        }
        seq.end()
    }

    pub fn deserialize<'de, K, V, S, D>(d: D) -> Result<Map<K, V, S>, D::Error>
    where
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
        S: BuildHasher + Default,
        D: Deserializer<'de>,
    {
        struct Entries<K, V, S>(std::marker::PhantomData<(K, V, S)>);
        impl<'de, K, V, S> Visitor<'de> for Entries<K, V, S>
        where
            K: Deserialize<'de> + Eq + Hash,
            V: Deserialize<'de>,
            S: BuildHasher + Default,
        {
            type Value = Map<K, V, S>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map's entries")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                // The entries first: the map is made at its size at once
                // (a stated length could be a lie, the entries are not).
                let mut entries: Vec<(K, V)> = Vec::new();
                while let Some(e) = seq.next_element()? {
                    entries.push(e);
                }
                let mut m = Map::with_capacity_and_hasher(entries.len(), S::default());
                m.extend(entries);
                Ok(m)
            }
        }
        d.deserialize_seq(Entries(std::marker::PhantomData))
    }
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
