//! The store file watched: when it changes (an editor saved it), it is
//! loaded again off the interface thread. Polling its size and time, not
//! file-system events: editors that save by writing a new file and
//! renaming it over the old one would leave an event watch on a file that
//! no longer exists.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant, SystemTime};

use crate::model::Model;
use crate::store::load::LoadError;

/// How often the file is looked at.
const EVERY: Duration = Duration::from_millis(300);

type Stamp = Option<(SystemTime, u64)>;

/// When and how large the file was last written; `None` while it is not a
/// regular file (gone mid-save, or a FIFO put in its place: loading one
/// would block the loading thread, and live reload with it, for good).
fn stamp(path: &PathBuf) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    Some((meta.modified().ok()?, meta.len()))
}

/// A store loaded again, and the hash of its bytes
/// (`sessions::content_hash`): taken here, so that a quit after a reload
/// need not read a large store again for its session.
pub type Reloaded = (Result<Model, LoadError>, u64);

pub struct Watcher {
    path: PathBuf,
    seen: Stamp,
    next_check: Instant,
    loading: Option<Receiver<Reloaded>>,
    /// The model shown came from the load cache on the file system's
    /// word: the store is hashed on the first poll (after the first
    /// frame), and loaded again if it is not what the model was made from.
    verify: Option<crate::cache::Verify>,
    verifying: Option<Receiver<bool>>,
}

impl Watcher {
    pub fn new(path: PathBuf) -> Self {
        let seen = stamp(&path);
        Watcher {
            path,
            seen,
            next_check: Instant::now() + EVERY,
            loading: None,
            verify: None,
            verifying: None,
        }
    }

    /// Hashes the store on the first poll (see `verify`).
    pub fn verify(&mut self, verify: crate::cache::Verify) {
        self.verify = Some(verify);
    }

    /// The file watched.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// The file as it is now is already shown (the explorer wrote it):
    /// it is not loaded again.
    pub fn seen_now(&mut self) {
        self.seen = stamp(&self.path);
    }

    /// A finished load of a changed file, if one is ready. Cheap to call
    /// on every turn of the event loop.
    pub fn poll(&mut self) -> Option<Reloaded> {
        if let Some(v) = self.verify.take() {
            let (tx, rx) = channel();
            std::thread::spawn(move || tx.send(v.holds()));
            self.verifying = Some(rx);
        }
        if let Some(Ok(holds)) = self.verifying.as_ref().map(Receiver::try_recv) {
            self.verifying = None;
            if !holds {
                self.load();
                return None;
            }
        }
        if let Some(rx) = &self.loading {
            match rx.try_recv() {
                Ok(result) => {
                    self.loading = None;
                    return Some(result);
                }
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => self.loading = None,
            }
        }
        let now = Instant::now();
        if now < self.next_check {
            return None;
        }
        self.next_check = now + EVERY;
        let current = stamp(&self.path);
        // A file that is gone (mid-save) is looked at again next time.
        if current.is_none() || current == self.seen {
            return None;
        }
        self.seen = current;
        self.load();
        None
    }

    /// Loads the store again, on a thread.
    fn load(&mut self) {
        let (tx, rx) = channel();
        let path = self.path.clone();
        std::thread::spawn(move || {
            let model = crate::store::load::load_path(&path);
            let content = crate::annotate::sessions::content_hash(Some(&path));
            let _ = tx.send((model, content));
        });
        self.loading = Some(rx);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_model_opened_on_the_stores_times_is_checked_and_reloaded_if_they_lied() {
        let dir = tempfile::tempdir().unwrap();
        let (path, cache) = (dir.path().join("s.ron"), dir.path().join("cache"));
        let store = crate::synth::to_ron(&crate::synth::generate(200, 4));
        std::fs::write(&path, &store).unwrap();
        // Left alone long enough for its times to vouch for it.
        std::thread::sleep(Duration::from_millis(3_200));
        let progress = crate::store::load::Progress::default();
        let parsed = crate::cache::open_in(Some(&cache), &path, &progress).unwrap();
        parsed.pending.unwrap().write(&parsed.model).unwrap();
        let o = crate::cache::open_in_trusting_times(Some(&cache), &path, &progress).unwrap();
        let verify = o.verify.expect("opened on the store's times");
        // Changed behind the times' back (here simply after the watcher
        // took them): the hash after the first frame finds it.
        let at = store.find("title: \"").unwrap() + 8;
        let mut edited = store.into_bytes();
        edited[at] = if edited[at] == b'Q' { b'R' } else { b'Q' };
        std::fs::write(&path, &edited).unwrap();
        let mut w = Watcher::new(path.clone());
        w.verify(verify);
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some((result, content)) = w.poll() {
                let m = result.unwrap();
                assert!(m == crate::load_path(&path).unwrap());
                assert!(m != o.model);
                let hash = crate::annotate::sessions::content_hash(Some(&path));
                assert_eq!(content, hash, "the session's hash comes along");
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the changed store was never reloaded");
    }

    #[test]
    fn a_fifo_for_a_moment_in_the_store_place_does_not_stop_live_reload() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.ron");
        let store = crate::store::load::BUILTIN_STORE;
        std::fs::write(&path, store).unwrap();
        let mut w = Watcher::new(path.clone());
        std::fs::remove_file(&path).unwrap();
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        std::thread::sleep(EVERY + Duration::from_millis(50));
        assert!(w.poll().is_none());
        assert!(w.loading.is_none(), "a load of the FIFO was started");
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, format!("{store}\n")).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
            if let Some((result, _)) = w.poll() {
                assert!(result.is_ok());
                return;
            }
        }
        panic!("the saved store was never reloaded");
    }
}
