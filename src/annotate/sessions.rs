//! Sessions: what the explorer was showing for a store (filters, marks,
//! the selected event, the focused pane, histories) and the views saved
//! by name, kept in the platform's state directory
//! (`$XDG_STATE_HOME/annals/sessions/` on Linux; `ANNALS_STATE_DIR`
//! overrides it) and restored when the same store is opened again.
//! Everything is kept by id, so an edited store keeps what still applies.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::evidence::date::PartialDate;
use crate::filter::{Filter, resolve_kind};
use crate::model::{Entity, Model};

/// A filter as saved: ids, names and words that outlive an edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChipRec {
    Actor(String),
    Place(String),
    Tag(String),
    Source(String),
    Kind(String),
    Only(String),
    Text(String),
    From(String),
    To(String),
    Starred,
    Noted,
    Disputed,
}

/// One store's session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Session {
    /// The store, as opened (canonical path, or "built-in").
    pub store: String,
    /// The store's content when the session was saved: a different one
    /// means it changed since.
    pub content: u64,
    pub chips: Vec<ChipRec>,
    pub marks: Vec<String>,
    pub selected: Option<String>,
    pub focus: String,
    pub relations_at: Option<String>,
    pub search_history: Vec<String>,
    pub command_history: Vec<String>,
    /// Filters saved by name (`:save NAME`).
    pub views: BTreeMap<String, Vec<ChipRec>>,
    /// The story open (`:story NAME`), by name, and its step (0-based).
    pub story: Option<String>,
    pub story_step: usize,
}

/// Session files larger than this are not read.
const MAX_BYTES: u64 = 16 << 20;

/// Where sessions are kept, if the platform has a place for them.
pub fn state_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("ANNALS_STATE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy().ok()?;
    Some(
        base.state_dir()
            .unwrap_or_else(|| base.data_dir())
            .join("annals"),
    )
}

/// The key of a store: its canonical path, or "built-in".
pub fn store_key(store: Option<&Path>) -> String {
    match store {
        None => "built-in".into(),
        Some(p) => {
            let p = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            match p.to_str() {
                Some(s) => s.to_string(),
                // Not UTF-8: written with its bytes escaped (quoted, so it
                // cannot be a real path written plainly), since replacing
                // them would give two paths one key.
                None => format!("{p:?}"),
            }
        }
    }
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// A hash of the store's content, to tell whether it changed: xxh3 of
/// its bytes, the hash the load cache keys a store by, so that a load
/// through the cache has it already (`cache::Opened::content`).
///
/// Only a regular file is read (0 for a FIFO or a device, which reading
/// again at quit would block on or never finish), a block at a time.
pub fn content_hash(store: Option<&Path>) -> u64 {
    use std::io::Read;
    use xxhash_rust::xxh3::{Xxh3, xxh3_64};
    let Some(p) = store else {
        return xxh3_64(crate::store::load::BUILTIN_STORE.as_bytes());
    };
    let Ok(mut file) = crate::io::read::open_regular(p) else {
        return 0;
    };
    let mut hasher = Xxh3::new();
    let mut block = vec![0; 1 << 16];
    loop {
        match file.read(&mut block) {
            Ok(0) => return hasher.digest(),
            Ok(n) => hasher.update(&block[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return 0,
        }
    }
}

/// The session file of a store.
pub fn session_path(key: &str) -> Option<PathBuf> {
    Some(
        state_dir()?
            .join("sessions")
            .join(format!("{:016x}.ron", hash(key.as_bytes()))),
    )
}

impl Session {
    /// The saved session of `key`: none if there is none; an error (to say
    /// once, then ignore) if it cannot be read.
    pub fn load(key: &str) -> Result<Option<Session>, String> {
        let Some(path) = session_path(key) else {
            return Ok(None);
        };
        Session::load_at(&path, key)
    }

    /// `load`, from the session file at `path`: only a regular file, read
    /// with a bound (a FIFO there must not freeze the explorer's start).
    pub fn load_at(path: &Path, key: &str) -> Result<Option<Session>, String> {
        let text = match crate::io::read::read_text_bounded(path, MAX_BYTES) {
            Ok(Some(text)) => text,
            Ok(None) => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let s: Session = ron::from_str(&text).map_err(|e| format!("{}:{e}", path.display()))?;
        // Two stores whose paths hash alike: not this one's.
        Ok((s.store == key).then_some(s))
    }

    /// Saves the session, atomically, creating the directory.
    pub fn save(&self) -> Result<(), String> {
        let path = session_path(&self.store).ok_or("no state directory on this system")?;
        self.save_at(&path)
    }

    /// `save`, to `path`: never through a link or a FIFO found there.
    pub fn save_at(&self, path: &Path) -> Result<(), String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new())
            .map_err(|e| e.to_string())?;
        crate::io::atomic::write_own(path, text.as_bytes())
            .map_err(|e| format!("{}: {}", path.display(), e.reason()))
    }
}

/// Saved filters as a `Filter` of `m`, with whether they asked for starred
/// or noted events, and what no longer applies in words.
pub fn to_filter(m: &Model, chips: &[ChipRec]) -> (Filter, bool, bool, Vec<String>) {
    let mut f = Filter::default();
    let (mut starred, mut noted) = (false, false);
    let mut gone = Vec::new();
    for c in chips {
        let ok = match c {
            ChipRec::Actor(id) => match m.entity(id) {
                Some(Entity::Actor(a)) => {
                    f.actors.push(a);
                    true
                }
                _ => false,
            },
            ChipRec::Place(id) => match m.entity(id) {
                Some(Entity::Place(p)) => {
                    f.places.push(p);
                    true
                }
                _ => false,
            },
            ChipRec::Source(id) => match m.entity(id) {
                Some(Entity::Source(s)) => {
                    f.sources.push(s);
                    true
                }
                _ => false,
            },
            ChipRec::Tag(t) => m.tag_ix(t).map(|t| f.tags.push(t)).is_some(),
            ChipRec::Kind(k) => resolve_kind(k).map(|k| f.kinds.push(k)).is_ok(),
            ChipRec::Only(k) => resolve_kind(k).map(|k| f.only_kinds.push(k)).is_ok(),
            ChipRec::Text(t) => {
                f.texts.push(t.clone());
                true
            }
            ChipRec::From(d) => PartialDate::parse(d).map(|d| f.from = Some(d)).is_ok(),
            ChipRec::To(d) => PartialDate::parse(d).map(|d| f.to = Some(d)).is_ok(),
            ChipRec::Starred => {
                starred = true;
                true
            }
            ChipRec::Noted => {
                noted = true;
                true
            }
            ChipRec::Disputed => {
                f.disputed = true;
                true
            }
        };
        if !ok {
            gone.push(describe(c));
        }
    }
    (f, starred, noted, gone)
}

/// A saved filter in words, for messages.
pub fn describe(c: &ChipRec) -> String {
    match c {
        ChipRec::Actor(x) => format!("actor {x:?}"),
        ChipRec::Place(x) => format!("place {x:?}"),
        ChipRec::Tag(x) => format!("tag {x:?}"),
        ChipRec::Source(x) => format!("source {x:?}"),
        ChipRec::Kind(x) => format!("kind {x:?}"),
        ChipRec::Only(x) => format!("only {x:?}"),
        ChipRec::Text(x) => format!("text {x:?}"),
        ChipRec::From(x) => format!("from {x}"),
        ChipRec::To(x) => format!("to {x}"),
        ChipRec::Starred => "starred".into(),
        ChipRec::Noted => "noted".into(),
        ChipRec::Disputed => "disputed".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_hash_is_the_hash_of_the_bytes_and_zero_for_a_fifo() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.ron");
        let bytes = vec![b'x'; 200_000];
        std::fs::write(&p, &bytes).unwrap();
        assert_eq!(content_hash(Some(&p)), xxh3_64_of(&bytes));
        #[cfg(unix)]
        {
            let fifo = dir.path().join("fifo.ron");
            let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || tx.send(content_hash(Some(&fifo))));
            let got = rx.recv_timeout(std::time::Duration::from_secs(5));
            assert_eq!(got, Ok(0), "hashing a FIFO store blocked");
        }
    }

    fn xxh3_64_of(b: &[u8]) -> u64 {
        xxhash_rust::xxh3::xxh3_64(b)
    }

    #[cfg(unix)]
    #[test]
    fn a_session_file_that_is_a_fifo_or_a_link_is_neither_waited_on_nor_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.ron");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let (tx, rx) = std::sync::mpsc::channel();
        let at = fifo.clone();
        std::thread::spawn(move || tx.send(Session::load_at(&at, "k").is_err()));
        let refused = rx.recv_timeout(std::time::Duration::from_secs(5));
        assert_eq!(refused, Ok(true), "a FIFO session blocked or was read");
        let target = dir.path().join("elsewhere.txt");
        std::fs::write(&target, "theirs").unwrap();
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let s = Session {
            store: "k".into(),
            ..Session::default()
        };
        assert!(s.save_at(&link).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "theirs");
    }

    #[cfg(unix)]
    #[test]
    fn paths_that_are_not_utf8_keep_keys_of_their_own() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join(std::ffi::OsStr::from_bytes(b"x\xff.ron"));
        let b = dir.path().join(std::ffi::OsStr::from_bytes(b"x\xfe.ron"));
        std::fs::write(&a, "").unwrap();
        std::fs::write(&b, "").unwrap();
        assert_ne!(store_key(Some(&a)), store_key(Some(&b)));
        // A UTF-8 path keeps its key as it was.
        let c = dir.path().join("été.ron");
        std::fs::write(&c, "").unwrap();
        let plain = std::fs::canonicalize(&c).unwrap();
        assert_eq!(store_key(Some(&c)), plain.to_str().unwrap());
    }

    #[test]
    fn saved_filters_come_back_by_id_and_say_what_is_gone() {
        let m = crate::load_builtin().unwrap();
        let chips = vec![
            ChipRec::Actor("russia".into()),
            ChipRec::Actor("no-such-actor".into()),
            ChipRec::Kind("sponsored".into()),
            ChipRec::From("2024-03".into()),
            ChipRec::Starred,
        ];
        let (f, starred, noted, gone) = to_filter(&m, &chips);
        assert_eq!(f.actors.len(), 1);
        assert_eq!(f.kinds.len(), 1);
        assert_eq!(f.from.unwrap().to_string(), "2024-03");
        assert!(starred && !noted);
        assert_eq!(gone, vec!["actor \"no-such-actor\""]);
    }
}
