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
use crate::model::Model;

/// Bump whenever the model's types (or how they are written) change.
pub const FORMAT: u32 = 2;

const MAGIC: &[u8; 8] = b"ANNALSMC";

/// Where cache files are kept, if the platform has a place for them.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("ANNALS_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy().ok()?;
    Some(base.cache_dir().join("annals"))
}

/// The cache file of the store with this key (canonical path).
fn cache_file(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{:016x}.model", xxh3_64(key.as_bytes())))
}

/// At most this many cache files are kept: writing one removes the least
/// recently used beyond it (a million-event store's is about 150 MB).
pub const MAX_FILES: usize = 8;

/// Removes the least recently used cache files beyond `MAX_FILES`: a use
/// (a load from it) or a write sets a file's modification time.
fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "model"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (_, old) in files.into_iter().skip(MAX_FILES) {
        let _ = std::fs::remove_file(old);
    }
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
}

/// What it takes to write a model's cache file.
pub struct PendingWrite {
    file: PathBuf,
    key: String,
    hash: u64,
    len: u64,
    text: Arc<String>,
}

/// The header, before the payload.
struct Header {
    format: u32,
    hash: u64,
    len: u64,
    payload_len: u64,
    checksum: u64,
    key: String,
    version: String,
}

impl Header {
    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.key.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.format.to_le_bytes());
        out.extend_from_slice(&self.hash.to_le_bytes());
        out.extend_from_slice(&self.len.to_le_bytes());
        out.extend_from_slice(&self.payload_len.to_le_bytes());
        out.extend_from_slice(&self.checksum.to_le_bytes());
        for s in [&self.key, &self.version] {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        out
    }

    /// The header at the start of `b` and where the payload starts.
    fn parse(b: &[u8]) -> Option<(Header, usize)> {
        let mut at = 0usize;
        let mut take = |n: usize| -> Option<&[u8]> {
            let s = b.get(at..at.checked_add(n)?)?;
            at += n;
            Some(s)
        };
        if take(8)? != MAGIC {
            return None;
        }
        let format = u32::from_le_bytes(take(4)?.try_into().ok()?);
        let mut u64s = [0u64; 4];
        for v in &mut u64s {
            *v = u64::from_le_bytes(take(8)?.try_into().ok()?);
        }
        let mut strings = [String::new(), String::new()];
        for s in &mut strings {
            let n = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
            *s = String::from_utf8(take(n)?.to_vec()).ok()?;
        }
        let [key, version] = strings;
        let [hash, len, payload_len, checksum] = u64s;
        let header = Header {
            format,
            hash,
            len,
            payload_len,
            checksum,
            key,
            version,
        };
        Some((header, at))
    }
}

/// The payload of the cache file for this store, if there is a valid one.
fn read_valid(file: &Path, key: &str, hash: u64, len: u64) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(file).ok()?;
    let (h, start) = Header::parse(&bytes)?;
    let fits = h.format == FORMAT
        && h.version == env!("CARGO_PKG_VERSION")
        && h.key == key
        && h.hash == hash
        && h.len == len
        && (bytes.len() - start) as u64 == h.payload_len;
    if !fits || xxh3_64(&bytes[start..]) != h.checksum {
        return None;
    }
    bytes.drain(..start);
    Some(bytes)
}

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
        })
    };
    let Some(dir) = dir else {
        return plain();
    };
    if path.is_dir() {
        return plain();
    }
    progress.enter(Stage::Reading);
    let Ok(bytes) = load::read_counting(path, progress) else {
        // Says why, as a load without the cache would.
        return plain();
    };
    let name = path.display().to_string();
    let hash = xxh3_64(&bytes);
    let len = bytes.len() as u64;
    let key = crate::state::store_key(Some(path));
    let file = cache_file(dir, &key);
    let payload = read_valid(&file, &key, hash, len);
    let text = Arc::new(load::text_of(bytes, &name)?);
    if let Some(payload) = payload {
        progress.enter(Stage::Checking);
        let decoded = crate::shared::caching(&text, || {
            codec()
                .with_limit(payload.len() as u64)
                .deserialize::<Model>(&payload)
        });
        if let Ok(model) = decoded {
            touch(&file);
            return Ok(Opened {
                model,
                from_cache: true,
                content: Some(hash),
                pending: None,
            });
        }
    }
    let model = load::load_text_with(&text, &name, progress)?;
    Ok(Opened {
        model,
        from_cache: false,
        content: Some(hash),
        pending: Some(PendingWrite {
            file,
            key,
            hash,
            len,
            text,
        }),
    })
}

impl PendingWrite {
    /// Writes the cache file of `model` (the model this was made with),
    /// atomically: a reader sees the old file or the whole new one.
    pub fn write(self, model: &Model) -> Result<(), String> {
        let payload = crate::shared::caching(&self.text, || codec().serialize(model))
            .map_err(|e| format!("the model could not be encoded: {e}"))?;
        let header = Header {
            format: FORMAT,
            hash: self.hash,
            len: self.len,
            payload_len: payload.len() as u64,
            checksum: xxh3_64(&payload),
            key: self.key,
            version: env!("CARGO_PKG_VERSION").into(),
        }
        .bytes();
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        crate::export::write_atomic_with(&self.file, true, |f| {
            f.write_all(&header)?;
            f.write_all(&payload)
        })
        .map_err(|e| e.to_string())?;
        if let Some(dir) = self.file.parent() {
            prune(dir);
        }
        Ok(())
    }

    /// The cache file this writes.
    pub fn file(&self) -> &Path {
        &self.file
    }
}

/// Removes every file in the cache directory; how many it removed.
pub fn clear() -> Result<(PathBuf, usize), String> {
    let dir = cache_dir().ok_or("no cache directory on this system")?;
    clear_in(&dir).map(|n| (dir, n))
}

/// Removes every file in `dir`; how many it removed.
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
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::remove_file(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            n += 1;
        }
    }
    Ok(n)
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
