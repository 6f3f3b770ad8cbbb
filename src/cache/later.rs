//! Cache files written while the explorer runs, never holding up its end.
//!
//! The model file is written on a thread once the explorer shows the
//! store, and the search index once the search thread has built it: at a
//! million events, seconds each. Quitting does not wait for them. Whatever
//! is not written yet when the explorer ends (`hand_off`) is finished by
//! a copy of the process that leaves the terminal (Unix: `fork`, a session
//! of its own, no terminal, standard streams on /dev/null): closing the
//! terminal, or quitting at once, still leaves a cache for the next open.
//! The files the explorer's own threads were writing are removed, never
//! renamed into place: a cache file is whole or absent (`file.rs`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once, OnceLock};

use super::{IndexCache, PendingWrite};
use crate::model::Model;
use crate::search::SearchIndex;

/// A cache file still to write.
enum Job {
    Model(PendingWrite, Arc<Model>),
    /// The index of the model, once built (else to build).
    Index(IndexCache, Arc<Model>, Option<Arc<SearchIndex>>),
}

impl Job {
    fn copy(&self) -> Job {
        match self {
            Job::Model(w, m) => Job::Model(w.clone(), Arc::clone(m)),
            Job::Index(c, m, ix) => Job::Index(c.clone(), Arc::clone(m), ix.clone()),
        }
    }

    /// The cache file it writes.
    fn file(&self) -> &std::path::Path {
        match self {
            Job::Model(w, _) => w.file(),
            Job::Index(c, _, _) => &c.file,
        }
    }

    /// Does it, here and now, in the process that finishes the cache.
    fn run(self) {
        wait_if_asked();
        match self {
            Job::Model(w, m) => {
                let _ = w.write_alone(&m);
            }
            Job::Index(c, m, ix) => {
                let ix = ix.unwrap_or_else(|| Arc::new(SearchIndex::build(&m)));
                let _ = c.store(&ix);
            }
        }
    }
}

/// The cache files not written yet, by number.
static JOBS: Mutex<Vec<(u64, Job)>> = Mutex::new(Vec::new());
static NEXT: AtomicU64 = AtomicU64::new(0);

fn jobs() -> std::sync::MutexGuard<'static, Vec<(u64, Job)>> {
    JOBS.lock().unwrap_or_else(|e| e.into_inner())
}

/// A cache file to write: listed for `hand_off` until this is dropped
/// (written, or given up).
pub struct Pending(u64);

impl Pending {
    fn new(job: Job) -> Pending {
        // Read now, before any fork: see `hand_off`.
        let _ = asked_to_wait();
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        jobs().push((n, job));
        Pending(n)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        jobs().retain(|(n, _)| *n != self.0);
    }
}

/// Writes the model file of `model` on a thread of its own.
pub fn write_model_later(write: PendingWrite, model: Arc<Model>) {
    let pending = Pending::new(Job::Model(write.clone(), Arc::clone(&model)));
    std::thread::spawn(move || {
        wait_if_asked();
        let _ = write.write(&model);
        drop(pending);
    });
}

/// Says that the search index of `model` is to be kept in `cache`, once
/// built: a quit before then hands the building over.
pub fn index_to_keep(cache: &IndexCache, model: &Arc<Model>) -> Pending {
    Pending::new(Job::Index(cache.clone(), Arc::clone(model), None))
}

/// Keeps `index` (built for `pending`) on a thread of its own.
pub fn keep_index_later(pending: Pending, cache: IndexCache, index: Arc<SearchIndex>) {
    if let Some((_, Job::Index(_, _, built))) = jobs().iter_mut().find(|(n, _)| *n == pending.0) {
        *built = Some(Arc::clone(&index));
    }
    std::thread::spawn(move || {
        wait_if_asked();
        let _ = cache.store(&index);
        drop(pending);
    });
}

/// At the end of the explorer: the cache files not written yet are left
/// to a process of their own, which outlives the terminal; the files this
/// process was writing are removed. Returns at once, and does nothing the
/// second time.
pub fn hand_off() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Read here: the environment's lock is not taken after fork.
        let _ = asked_to_wait();
        let todo: Vec<Job> = jobs().iter().map(|(_, j)| j.copy()).collect();
        super::file::abandon_writes();
        // Made here: the process finishing them makes no directory (a
        // test's, removed meanwhile, would come back).
        for job in &todo {
            if let Some(dir) = job.file().parent() {
                let _ = std::fs::create_dir_all(dir);
            }
        }
        if !todo.is_empty() {
            finish_elsewhere(todo);
        }
    });
}

/// For tests, `ANNALS_FAULT_CACHE_WAIT=FILE`: cache writes begin only
/// once FILE exists, so that a test can end the explorer before they are
/// done. Unset (always, in normal use), nothing waits.
fn asked_to_wait() -> Option<&'static std::path::Path> {
    static WAIT: OnceLock<Option<std::path::PathBuf>> = OnceLock::new();
    WAIT.get_or_init(|| std::env::var_os("ANNALS_FAULT_CACHE_WAIT").map(Into::into))
        .as_deref()
}

fn wait_if_asked() {
    if let Some(go) = asked_to_wait() {
        let start = std::time::Instant::now();
        while !go.exists() && start.elapsed() < std::time::Duration::from_secs(300) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

/// Runs `todo` in a copy of this process that leaves the terminal.
#[cfg(unix)]
fn finish_elsewhere(todo: Vec<Job>) {
    // SAFETY: fork copies only this thread. The copy touches no lock
    // another thread may have held: the jobs are its own (taken above),
    // the allocator is safe across fork (glibc resets its locks in the
    // child), and file.rs does not list its temporary files there.
    let pid = unsafe { libc::fork() };
    if pid != 0 {
        // This process (or fork failed: the files are left unwritten).
        return;
    }
    // SAFETY: in the child, only calls that change this process's own
    // session, file descriptors, signals and priority.
    unsafe { detach() };
    super::file::in_own_process();
    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        for job in todo {
            job.run();
        }
    }));
    // SAFETY: ends the child at once: no exit handlers, no buffers of the
    // parent's flushed a second time.
    unsafe { libc::_exit(i32::from(done.is_err())) }
}

/// Closes every file descriptor from 3 on.
#[cfg(unix)]
unsafe fn close_from_3() {
    #[cfg(target_os = "linux")]
    // SAFETY: close_range closes this process's descriptors, no more.
    if unsafe { libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32) } == 0 {
        return;
    }
    // SAFETY: as above, one at a time.
    unsafe {
        let max = libc::sysconf(libc::_SC_OPEN_MAX).clamp(3, 65_536) as libc::c_int;
        for fd in 3..max {
            libc::close(fd);
        }
    }
}

#[cfg(not(unix))]
fn finish_elsewhere(_todo: Vec<Job>) {}

/// Leaves the terminal and anything waiting on this process's output: a
/// session of its own (no terminal to hang up on it), standard streams on
/// /dev/null and every other descriptor closed (a test harness reading a
/// pipe waits for its last writer), the explorer's signal handling undone,
/// a lower priority, and at most ten minutes.
#[cfg(unix)]
unsafe fn detach() {
    unsafe {
        libc::setsid();
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
        if null >= 0 {
            for fd in 0..3 {
                libc::dup2(null, fd);
            }
        }
        close_from_3();
        for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGQUIT] {
            libc::signal(sig, libc::SIG_DFL);
        }
        libc::signal(libc::SIGHUP, libc::SIG_IGN);
        libc::nice(10);
        libc::alarm(600);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::channel;
    use std::time::Duration;

    use super::*;
    use crate::store::load::Progress;

    /// The copy of the explorer that finishes the cache has no other
    /// thread. One that was making the model's indexes when it was copied
    /// never ends there: the copy makes its own and writes the cache (it
    /// used to wait for that thread for ever, and stay, holding the
    /// model's memory). Here a thread stuck making them stands for it.
    #[test]
    fn the_model_is_written_alone_while_another_thread_is_stuck_making_its_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store.ron");
        let synth = crate::synth::generate(200, 5);
        std::fs::write(&store, crate::synth::to_ron(&synth)).unwrap();
        let cache = dir.path().join("cache");
        let opened = crate::cache::open_in(Some(&cache), &store, &Progress::default()).unwrap();
        let (model, write) = (Arc::new(opened.model), opened.pending.unwrap());

        let (entered, release) = (channel(), channel::<()>());
        let stuck = Arc::clone(&model);
        std::thread::spawn(move || {
            stuck.make_indexes_after(|| {
                entered.0.send(()).unwrap();
                let _ = release.1.recv();
            });
        });
        entered.1.recv().unwrap();
        let (done_tx, done) = channel();
        let alone = Arc::clone(&model);
        std::thread::spawn(move || done_tx.send(write.write_alone(&alone)));
        let written = done.recv_timeout(Duration::from_secs(60));
        release.0.send(()).unwrap();
        assert!(written.expect("written without waiting").is_ok());

        let again = crate::cache::open_in(Some(&cache), &store, &Progress::default()).unwrap();
        assert!(again.from_cache, "the next open comes from the cache");
        assert!(again.model == crate::load_path(&store).unwrap());
    }
}
