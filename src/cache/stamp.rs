//! Which store, exactly, a cache file was made from: its bytes' hash and
//! length, and what the file system said of it when it was read.
//!
//! Hashing a 1.5 GB store takes a third of a warm open. Beside a store's
//! model file, a times file (`KEY.times`) says what the file system said
//! of the store when bytes with that hash were read: device, inode,
//! length, modification and change times, to the nanosecond. The explorer
//! opens from the cache when they are what the file system says now, and
//! hashes the store after the first frame (`Verify`): an edit that
//! slipped past the times reloads the store then. Times are only written
//! for a store that had not changed for a few seconds when it was read (a
//! second write within the file system's clock tick could leave them as
//! they were): when it is parsed, or hashed by an open that found it
//! unchanged (a store just saved, copied or touched is hashed once more).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Which store, exactly, a cache file was made from.
#[derive(Clone, Debug)]
pub(super) struct Stamp {
    pub(super) key: String,
    /// xxh3 of the store's bytes, and their length.
    pub(super) hash: u64,
    pub(super) len: u64,
    pub(super) file: FileStat,
}

/// What the file system says of a store file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct FileStat {
    pub(super) dev: u64,
    pub(super) ino: u64,
    /// Modification and status change times: seconds, nanoseconds.
    pub(super) mtime: (i64, u32),
    pub(super) ctime: (i64, u32),
    /// Both times were over `SETTLED` old when this was taken: a later
    /// change cannot leave them as they are.
    pub(super) settled: bool,
}

/// How long a store must have been left alone for its times to vouch
/// for its bytes: more than a clock tick of any file system (FAT: 2 s).
const SETTLED: Duration = Duration::from_secs(3);

impl FileStat {
    /// What `meta` (of the store, just taken) says.
    #[cfg(unix)]
    pub(super) fn of(meta: &std::fs::Metadata) -> FileStat {
        use std::os::unix::fs::MetadataExt;
        let at = |s: i64, ns: i64| (s, ns.clamp(0, 999_999_999) as u32);
        let (mtime, ctime) = (
            at(meta.mtime(), meta.mtime_nsec()),
            at(meta.ctime(), meta.ctime_nsec()),
        );
        // Nanoseconds since the epoch, as i128: no time overflows.
        let ns = |(s, n): (i64, u32)| i128::from(s) * 1_000_000_000 + i128::from(n);
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        let latest = ns(mtime).max(ns(ctime));
        FileStat {
            dev: meta.dev(),
            ino: meta.ino(),
            mtime,
            ctime,
            settled: now - latest > SETTLED.as_nanos() as i128,
        }
    }

    #[cfg(not(unix))]
    pub(super) fn of(_meta: &std::fs::Metadata) -> FileStat {
        FileStat::default()
    }

    /// Whether this, written in a cache file, says the store is as `now`
    /// finds it: the same file, not changed since it was read.
    pub(super) fn vouches_for(&self, now: &FileStat) -> bool {
        self.settled
            && (self.dev, self.ino, self.mtime, self.ctime)
                == (now.dev, now.ino, now.mtime, now.ctime)
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(FILE_STAT_BYTES);
        out.extend_from_slice(&self.dev.to_le_bytes());
        out.extend_from_slice(&self.ino.to_le_bytes());
        for (s, ns) in [self.mtime, self.ctime] {
            out.extend_from_slice(&s.to_le_bytes());
            out.extend_from_slice(&ns.to_le_bytes());
        }
        out
    }

    /// What `bytes` wrote (for times that were settled).
    fn from_bytes(b: &[u8]) -> Option<FileStat> {
        if b.len() != FILE_STAT_BYTES {
            return None;
        }
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes"));
        Some(FileStat {
            dev: u64_at(0),
            ino: u64_at(8),
            mtime: (u64_at(16) as i64, u32_at(24)),
            ctime: (u64_at(28) as i64, u32_at(36)),
            settled: true,
        })
    }
}

const FILE_STAT_BYTES: usize = 8 + 8 + 12 + 12;

/// The first bytes of a times file.
const TIMES_MAGIC: &[u8; 8] = b"ANNALSTM";

/// Keeps, beside the model file, that the store was `stamp.file` when its
/// bytes hashed to `stamp.hash`, if those times can vouch for its bytes.
pub(super) fn keep_times(dir: &Path, stamp: &Stamp) {
    if stamp.file.settled {
        let file = super::dir::cache_file(dir, &stamp.key, "times");
        let _ = super::file::write_file(&file, TIMES_MAGIC, stamp, &[&stamp.file.bytes()]);
    }
}

/// The hash of the store's bytes, if the times file in `dir` says the
/// store (with this key and length) is as `now` finds it.
pub(super) fn vouched_hash(dir: &Path, (key, len): (&str, u64), now: &FileStat) -> Option<u64> {
    use super::file::{Header, open_regular};
    use std::io::Read;
    let file = super::dir::cache_file(dir, key, "times");
    let mut bytes = Vec::new();
    // A few hundred bytes: more is not a times file.
    open_regular(&file)?
        .take(4096)
        .read_to_end(&mut bytes)
        .ok()?;
    let (header, start) = Header::parse(&bytes, TIMES_MAGIC)?;
    let [at] = <[_; 1]>::try_from(header.sections_of((key, len), 1, start, bytes.len())?).ok()?;
    let payload = &bytes[at];
    if xxhash_rust::xxh3::xxh3_64(payload) != header.sections[0].1 {
        return None;
    }
    let then = FileStat::from_bytes(payload)?;
    then.vouches_for(now).then_some(header.hash)
}

/// A model opened from the cache on the file system's word: the store is
/// hashed once the explorer shows it, to be sure.
#[derive(Clone, Debug)]
pub struct Verify {
    pub(super) store: PathBuf,
    pub(super) hash: u64,
    /// The model file that vouched for it.
    pub(super) model_file: PathBuf,
}

impl Verify {
    /// Whether the store's bytes are those the model was made from. If
    /// not (an edit the file system's times did not show), its model file
    /// is removed, so that the next open parses the store.
    pub fn holds(&self) -> bool {
        let read = std::sync::atomic::AtomicU64::new(0);
        // A store that cannot be read now is not known to differ.
        let holds = super::hash_file(&self.store, &read).is_none_or(|h| h == self.hash);
        if !holds {
            let _ = std::fs::remove_file(&self.model_file);
        }
        holds
    }

    /// The store hashed.
    pub fn store(&self) -> &Path {
        &self.store
    }
}
