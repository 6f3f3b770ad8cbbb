//! The load cache: once a store has loaded and passed validation, its
//! model, a copy of its text and (once built) its search index are kept in
//! the platform's cache directory (`$XDG_CACHE_HOME/annals/` on Linux;
//! `ANNALS_CACHE_DIR` overrides it), and the next open of the same,
//! unchanged store reads them instead of parsing and checking the RON
//! again, or building the index.
//!
//! A store's files are keyed by its canonical path and a hash (xxh3) of
//! its bytes, so any edit makes them stale. The model file holds the
//! events, the rest of the model (strings as ranges of the text) and the
//! text; it is memory-mapped (`crate::store::mapped`), so the strings share the
//! map and a million-event store is not copied into memory. Nothing in
//! them is trusted blindly (`file::Header`): a magic number, the format
//! and annals versions, the store's path, hash and length, and each
//! section's length and checksum (xxh3) must all agree; the text must be
//! UTF-8, the index's numbers must fit the model; a section that still
//! does not decode is ignored. A stale, cut short, corrupt or foreign file
//! is parsed past and rewritten.
//!
//! `dir.rs`: which files are annals', pruning and clearing; `file.rs`: the
//! header, and writing a file atomically; `later.rs`: the explorer's
//! writes, which its end does not wait for; `repr.rs`: how the model's
//! maps are written.

mod dir;
mod file;
pub mod later;
mod repr;
mod stamp;

pub use dir::{MAX_BYTES, MAX_STORES, cache_dir, clear, clear_in, usage_in};
pub(crate) use repr::{map_repr, meta_repr};

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use bincode::Options;
use xxhash_rust::xxh3::xxh3_64;

use crate::model::{ByEvent, Event, Model};
use crate::search::SearchIndex;
use crate::store::load::{self, LoadError, Progress, Stage};
use crate::store::mapped::{MappedFile, MappedText};
use crate::store::shared::Text;
use dir::cache_file;
use file::{Header, open_regular, touch, write_file};
pub use stamp::Verify;
use stamp::{FileStat, Stamp};

/// Bump whenever the model's types (or how they are written) change.
pub const FORMAT: u32 = 9;

/// The first bytes of a model file and of an index file.
const MODEL_MAGIC: &[u8; 8] = b"ANNALSMC";
const INDEX_MAGIC: &[u8; 8] = b"ANNALSIX";

/// The same options to write and to read.
fn codec() -> impl Options {
    bincode::DefaultOptions::new()
}

/// A store opened through the cache.
pub struct Opened {
    pub model: Model,
    /// The model came from the cache (the store was not parsed).
    pub from_cache: bool,
    /// The hash of the store's bytes as read (`sessions::content_hash`), when
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
    /// The model came from the cache on the file system's word that the
    /// store is unchanged (`open_trusting_times`): hash it, once there is
    /// time, to be sure.
    pub verify: Option<Verify>,
}

/// What it takes to write a model's cache file.
#[derive(Clone)]
pub struct PendingWrite {
    file: PathBuf,
    stamp: Stamp,
    text: Arc<Text>,
}

/// Loads a store from a file: from its cache file when there is a valid
/// one for these exact bytes, else by parsing (and then `pending` says
/// what to write). `use_cache` false, or no cache directory, is a plain
/// `load::load_path_with`.
pub fn open(path: &Path, progress: &Progress, use_cache: bool) -> Result<Opened, LoadError> {
    open_in(cache_dir().filter(|_| use_cache).as_deref(), path, progress)
}

/// `open`, except that a store the file system says is unchanged since
/// its cache file was made (`stamp.rs`) is not hashed first: `verify`
/// says how to, after. What the explorer does: a third of a warm open is
/// hashing the store.
pub fn open_trusting_times(
    path: &Path,
    progress: &Progress,
    use_cache: bool,
) -> Result<Opened, LoadError> {
    let dir = cache_dir().filter(|_| use_cache);
    open_with(dir.as_deref(), path, progress, true)
}

/// `open` with the cache in `dir` (none: no cache).
pub fn open_in(dir: Option<&Path>, path: &Path, progress: &Progress) -> Result<Opened, LoadError> {
    open_with(dir, path, progress, false)
}

/// `open_trusting_times` with the cache in `dir` (none: no cache).
pub fn open_in_trusting_times(
    dir: Option<&Path>,
    path: &Path,
    progress: &Progress,
) -> Result<Opened, LoadError> {
    open_with(dir, path, progress, true)
}

fn open_with(
    dir: Option<&Path>,
    path: &Path,
    progress: &Progress,
    trust_times: bool,
) -> Result<Opened, LoadError> {
    let plain = || {
        load::load_path_with(path, progress).map(|model| Opened {
            model,
            from_cache: false,
            content: None,
            pending: None,
            index: None,
            verify: None,
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
    let key = crate::annotate::sessions::store_key(Some(path));
    let file = cache_file(dir, &key, "model");
    let now = FileStat::of(&meta);
    let times_say = stamp::vouched_hash(dir, (&key, meta.len()), &now);
    let vouched = times_say.filter(|_| trust_times);
    if let Some((model, mut stamp)) = from_cache(&file, path, (&key, meta.len()), vouched, progress)
    {
        touch(&file);
        let hashed = vouched != Some(stamp.hash);
        if times_say != Some(stamp.hash) {
            // Found unchanged: its times can vouch for it next time.
            stamp.file = now;
            stamp::keep_times(dir, &stamp);
        }
        let verify = (!hashed).then(|| Verify {
            store: path.to_path_buf(),
            hash: stamp.hash,
            model_file: file.clone(),
        });
        return Ok(Opened {
            model,
            from_cache: true,
            content: Some(stamp.hash),
            pending: None,
            index: Some(IndexCache::new(dir, stamp)),
            verify,
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
        // As it was before the bytes were read: a change while they were
        // read shows as a change of the times.
        file: now,
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
        verify: None,
    })
}

/// The model in the cache file `file`, if the file is valid and was made
/// from the store at `path` as it is now, and the stamp of that store.
/// The store is not hashed if its times vouch for the hash the file
/// was made from (`vouched`).
///
/// The file is: the events, the rest of the model, the store's text.
/// Both cores work: this thread checks the text is UTF-8 and decodes the
/// events; the other hashes the store if need be, checksums the text and
/// decodes the rest of the model. The model is only taken if the store's
/// hash (or its times) and the text's checksum match.
fn from_cache(
    file: &Path,
    path: &Path,
    (key, len): (&str, u64),
    vouched: Option<u64>,
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
    let hash_store = vouched != Some(header.hash);
    progress.enter(Stage::Reading);
    progress.total.store(len, Ordering::Relaxed);
    if !hash_store {
        progress.read.store(len, Ordering::Relaxed);
    }
    let (events, other) = std::thread::scope(|s| {
        let (text_tx, text_rx) = std::sync::mpsc::channel::<Option<Arc<Text>>>();
        let (text_part, rest_part) = (&bytes[text_at.clone()], &bytes[rest_at]);
        let other = s.spawn(move || {
            let store = match hash_store {
                true => hash_file(path, &progress.read)?,
                false => header.hash,
            };
            let text_sum = xxh3_64(text_part);
            let text = text_rx.recv().ok()??;
            let (mut rest, by_event) = decode::<(Model, ByEvent)>(&text, rest_part)?;
            rest.keep_by_event(by_event);
            Some((store, text_sum, rest))
        });
        let text = MappedText::new(Arc::clone(&mapped), text_at.clone());
        let _ = text_tx.send(text.as_ref().map(|t| Arc::new(Text::Mapped(t.share()))));
        let text = text.map(|t| Arc::new(Text::Mapped(t)));
        progress.enter(Stage::Checking);
        let events = text.and_then(|t| decode::<Vec<Event>>(&t, &bytes[events_at]));
        (events, other.join().ok().flatten())
    });
    let (store, text_sum, mut model) = other?;
    let fresh = store == header.hash && text_sum == header.sections[2].1;
    model.events = events.filter(|_| fresh)?;
    let stamp = Stamp {
        key: key.to_string(),
        hash: store,
        len,
        file: FileStat::default(),
    };
    Some((model, stamp))
}

/// A section of a model file, its strings ranges of `text`.
fn decode<T: serde::de::DeserializeOwned>(text: &Arc<Text>, payload: &[u8]) -> Option<T> {
    crate::store::shared::caching(text, || {
        codec()
            .with_limit(payload.len() as u64)
            .deserialize::<T>(payload)
    })
    .ok()
}

/// xxh3 of a file's bytes, read a megabyte at a time (not kept: the text
/// the model needs is in the cache file); `read` counts the bytes.
pub(super) fn hash_file(path: &Path, read: &std::sync::atomic::AtomicU64) -> Option<u64> {
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
        read.store(total, Ordering::Relaxed);
    }
    Some(hasher.digest())
}

impl PendingWrite {
    /// Writes the cache file of `model` (the model this was made with):
    /// the events, the rest of the model (strings as ranges of the text),
    /// then the text.
    pub fn write(self, model: &Model) -> Result<(), String> {
        // Kept with the model: made now if the model has not made it yet.
        self.write_with(model, model.by_event())
    }

    /// `write`, in a process with no other thread (`later.rs`'s copy of
    /// the explorer): a thread that was making the model's indexes when
    /// the process was copied never ends there, so they are made anew
    /// rather than waited for.
    pub(super) fn write_alone(self, model: &Model) -> Result<(), String> {
        match model.by_event_if_made() {
            Some(by) => self.write_with(model, by),
            None => self.write_with(model, &crate::validate::by_event(model)),
        }
    }

    fn write_with(self, model: &Model, by_event: &ByEvent) -> Result<(), String> {
        let why = |e: bincode::Error| format!("the model could not be encoded: {e}");
        let events = crate::store::shared::caching(&self.text, || codec().serialize(&model.events));
        // The model's own encoding leaves the events out (`Model::events`).
        let rest =
            crate::store::shared::caching(&self.text, || codec().serialize(&(model, by_event)));
        let (events, rest) = (events.map_err(why)?, rest.map_err(why)?);
        let sections: [&[u8]; 3] = [&events, &rest, self.text.as_bytes()];
        write_file(&self.file, MODEL_MAGIC, &self.stamp, &sections)?;
        if let Some(dir) = self.file.parent() {
            stamp::keep_times(dir, &self.stamp);
        }
        Ok(())
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
        if header.hash != self.stamp.hash || xxh3_64(payload) != header.sections[0].1 {
            return None;
        }
        let index = crate::search::stored::decode(payload, model)?;
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
