//! Writing an edit of a store, and undoing it: the edit is loaded before
//! it is written, a file changed by someone else meanwhile is never
//! overwritten, and the write is atomic.

use std::path::{Path, PathBuf};

use crate::io::atomic::{check_editable, write_atomic};
use crate::io::read::read_text_bounded;

/// A store is read whole to be compared; past this it is refused.
const MAX_STORE_BYTES: u64 = 4 << 30;

/// What undoes a write: the file, its text before, and a digest of what
/// was written (to see that no one changed it since).
#[derive(Clone, Debug)]
pub struct Undo {
    path: PathBuf,
    before: String,
    written: u64,
}

impl Undo {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn digest(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

fn shown(p: &Path) -> String {
    crate::io::safe::safe(&p.display().to_string())
}

/// The file's text now (`None` when it is gone).
fn current(path: &Path) -> Result<Option<String>, String> {
    read_text_bounded(path, MAX_STORE_BYTES).map_err(|e| format!("cannot read {e}"))
}

/// Loads `after` (annals::load_str) and refuses to write when it does not
/// load; refuses when the file on disk is no longer `before`; writes
/// atomically; returns what undoes it.
pub fn write_edit(path: &Path, before: &str, after: &str) -> Result<Undo, String> {
    if let Err(e) = crate::load_str(after, &path.display().to_string()) {
        return Err(format!(
            "the edit would leave the store broken; nothing was written:\n{e}"
        ));
    }
    match current(path)? {
        Some(now) if now == before => {}
        Some(_) => {
            return Err(format!(
                "{} changed since it was read; nothing was written (reload it and try again)",
                shown(path)
            ));
        }
        None => return Err(format!("{} is gone; nothing was written", shown(path))),
    }
    check_editable(path)?;
    write_atomic(path, after.as_bytes(), true)
        .map_err(|e| format!("cannot write {}: {}", shown(path), e.reason()))?;
    Ok(Undo {
        path: path.to_path_buf(),
        before: before.to_string(),
        written: digest(after),
    })
}

/// Puts the file back as it was, unless it changed since the write (then
/// says so and writes nothing).
pub fn undo(u: &Undo) -> Result<(), String> {
    match current(&u.path)? {
        Some(now) if digest(&now) == u.written => {}
        _ => {
            return Err(format!(
                "{} changed since the edit was written; it was not undone",
                shown(&u.path)
            ));
        }
    }
    check_editable(&u.path)?;
    write_atomic(&u.path, u.before.as_bytes(), true)
        .map_err(|e| format!("cannot write {}: {}", shown(&u.path), e.reason()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORE: &str = "(meta: (title: \"t\"))\n";
    const EDITED: &str = "(meta: (title: \"t2\"))\n";

    #[test]
    fn an_edit_is_written_and_undone() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.ron");
        std::fs::write(&p, STORE).unwrap();
        let u = write_edit(&p, STORE, EDITED).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), EDITED);
        undo(&u).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), STORE);
    }

    #[test]
    fn a_broken_edit_or_a_changed_file_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.ron");
        std::fs::write(&p, STORE).unwrap();
        let e = write_edit(&p, STORE, "(meta: (title: ))").unwrap_err();
        assert!(e.contains("broken"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), STORE);
        // Someone saved the file meanwhile: their text stays.
        std::fs::write(&p, EDITED).unwrap();
        let e = write_edit(&p, STORE, EDITED).unwrap_err();
        assert!(e.contains("changed since it was read"), "{e}");
        assert!(write_edit(&dir.path().join("gone.ron"), STORE, EDITED).is_err());
    }

    #[test]
    fn undo_leaves_a_file_changed_after_the_write() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.ron");
        std::fs::write(&p, STORE).unwrap();
        let u = write_edit(&p, STORE, EDITED).unwrap();
        let theirs = "(meta: (title: \"theirs\"))\n";
        std::fs::write(&p, theirs).unwrap();
        let e = undo(&u).unwrap_err();
        assert!(e.contains("not undone"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), theirs);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_store_is_not_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.ron");
        std::fs::write(&p, STORE).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
        let e = write_edit(&p, STORE, EDITED).unwrap_err();
        assert!(e.contains("read-only"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), STORE);
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o444);
    }
}
