//! Writing an export: atomically, never replacing a file unless asked.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0} already exists; not replacing it (use --force to replace)")]
    Exists(PathBuf),
    #[error("cannot write {path}: {}", plain(source))]
    Io { path: PathBuf, source: io::Error },
}

impl WriteError {
    /// Why, without the path (for a dialog that shows the path already).
    pub fn reason(&self) -> String {
        match self {
            WriteError::Exists(_) => "the file already exists".into(),
            WriteError::Io { source, .. } => plain(source),
        }
    }
}

/// The system's words for an I/O error, without what people did not ask
/// about: the temporary file's path that tempfile adds, the error number.
pub(crate) fn plain(e: &io::Error) -> String {
    let words = match e.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code).to_string(),
        None => e.to_string(),
    };
    match words.find(" (os error ") {
        Some(at) => words[..at].to_string(),
        None => words,
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// directory, then a rename. Without `replace`, an existing file is an
/// error and stays untouched, even if it appears while writing.
pub fn write_atomic(path: &Path, bytes: &[u8], replace: bool) -> Result<Written, WriteError> {
    write_atomic_with(path, replace, |file| file.write_all(bytes))
}

/// How an export reached its destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// A regular file, written whole or not at all.
    Atomically,
    /// A device, a FIFO, a terminal (`/dev/stdout`): written to as it is,
    /// since there is no file to replace.
    Directly,
}

/// `write_atomic`, with the writing done by `write` into the temporary
/// file. If `write` fails (a full disk, say) the temporary file is removed
/// and `path`, whether or not it existed, is left exactly as it was. A
/// symbolic link is followed: the file it names is replaced and the link
/// kept. What is not a regular file (a device, a FIFO) is written through.
pub fn write_atomic_with(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut std::fs::File) -> io::Result<()>,
) -> Result<Written, WriteError> {
    let io_err = |source: io::Error| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    if path.as_os_str().is_empty() {
        return Err(io_err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no file name given",
        )));
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(io_err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            )));
        }
        Ok(m) if !m.is_file() => {
            let mut f = open_direct(path).map_err(io_err)?;
            write(&mut f).map_err(io_err)?;
            return Ok(Written::Directly);
        }
        _ => {}
    }
    let target = follow_links(path).map_err(io_err)?;
    let path = target.as_path();
    if !replace && std::fs::symlink_metadata(path).is_ok() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let mut tmp = temp_beside(path, ".annals-export-").map_err(io_err)?;
    write(tmp.as_file_mut()).map_err(io_err)?;
    tmp.as_file().sync_all().map_err(io_err)?;
    if replace {
        tmp.persist(path).map_err(|e| io_err(e.error))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                WriteError::Exists(path.to_path_buf())
            } else {
                io_err(e.error)
            }
        })?;
    }
    Ok(Written::Atomically)
}

/// How long a FIFO is given for a reader to open it.
const READER_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Opens a device or FIFO for writing without waiting for a reader: a
/// FIFO that no program reads would block the open for good (and the
/// explorer with it): a reader gets `READER_WAIT` to appear. Once open,
/// writes block as usual.
fn open_direct(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        use std::os::unix::io::AsRawFd;
        options.custom_flags(libc::O_NONBLOCK);
        // A reader may be starting (`cat pipe &` just before): it gets a
        // moment to open its end, then the FIFO is refused.
        let deadline = std::time::Instant::now() + READER_WAIT;
        let f = loop {
            match options.open(path) {
                Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
                    if std::time::Instant::now() >= deadline {
                        return Err(io::Error::new(
                            io::ErrorKind::WouldBlock,
                            "no program is reading this FIFO",
                        ));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => break other?,
            }
        };
        // SAFETY: fcntl on a descriptor this function owns.
        unsafe {
            let fd = f.as_raw_fd();
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
        Ok(f)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// Writes one of annals' own files (a notes sidecar, a session)
/// atomically, replacing it. Unlike an export it is never written through
/// a symbolic link, a FIFO or a device found at `path`: a folder received
/// from someone else may hold one, aimed at a file of the user's. The
/// temporary file is made beside `path`, so the file stays in its folder.
pub fn write_own(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io_err = |source: io::Error| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(io_err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "it is a symbolic link; annals writes this file only as a regular file",
            )));
        }
        Ok(m) if !m.is_file() => {
            return Err(io_err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "it is not a regular file (a FIFO, a device or a directory)",
            )));
        }
        _ => {}
    }
    let mut tmp = temp_beside(path, ".annals-").map_err(io_err)?;
    tmp.write_all(bytes).map_err(io_err)?;
    tmp.as_file().sync_all().map_err(io_err)?;
    // rename(2) replaces a link put at `path` meanwhile, never its target.
    tmp.persist(path).map_err(|e| io_err(e.error))?;
    Ok(())
}

/// A new temporary file in `path`'s folder, to be renamed over it. A
/// temporary file is private (0600); the file it becomes is an ordinary
/// one: the permissions of the file it replaces, else 0666 less the umask.
fn temp_beside(path: &Path, prefix: &str) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    let replaced = std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.permissions());
    #[cfg(unix)]
    if replaced.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = builder.tempfile_in(dir)?;
    // Set after creation: the umask would narrow them at creation.
    if let Some(perms) = replaced {
        tmp.as_file().set_permissions(perms)?;
    }
    Ok(tmp)
}

/// The path a chain of symbolic links ends at (the path itself when it is
/// not a link), so that replacing the file keeps the links to it.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "too many levels of symbolic links",
    ))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn own_files_are_never_written_through_a_link_or_a_fifo() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("planted.txt");
        // A dangling link: writing through it would create `target`.
        let link = dir.path().join("s.notes.ron");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = write_own(&link, b"x").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(!target.exists());
        // A link to an existing file leaves that file as it was.
        std::fs::write(&target, "theirs").unwrap();
        assert!(write_own(&link, b"x").is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "theirs");
        // A FIFO is refused (writing would block until someone reads).
        let fifo = dir.path().join("fifo.ron");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(write_own(&fifo, b"x").is_err());
        // An export to a FIFO no one reads is refused at once, not waited on.
        let (tx, rx) = std::sync::mpsc::channel();
        let at = fifo.clone();
        std::thread::spawn(move || tx.send(write_atomic(&at, b"x", true).is_err()));
        let refused = rx.recv_timeout(std::time::Duration::from_secs(5));
        assert_eq!(refused, Ok(true), "an export to an unread FIFO blocked");
        // A regular file is replaced, keeping its permissions (a notes
        // file a team shares is not made private by a star).
        use std::os::unix::fs::PermissionsExt;
        let own = dir.path().join("own.ron");
        std::fs::write(&own, "old").unwrap();
        std::fs::set_permissions(&own, std::fs::Permissions::from_mode(0o664)).unwrap();
        write_own(&own, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&own).unwrap(), "new");
        let mode = std::fs::metadata(&own).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o664);
    }
}

/// Whether a file annals edits in place (a store) may be replaced. A
/// rename over it would succeed where writing to it would not: a file
/// without write permission, or not writable by this user, is refused, so
/// the owner's "read-only" is kept (and so is the file's owner).
pub fn check_editable(path: &Path) -> Result<(), String> {
    let shown = || crate::io::safe::safe(&path.display().to_string());
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", shown()))?;
    if meta.permissions().readonly() {
        return Err(format!(
            "{} is read-only; nothing was written (make it writable to edit it)",
            shown()
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes())
            .map_err(|_| format!("{} is not a path annals can use", shown()))?;
        // SAFETY: `c` is a valid NUL-terminated path for the call's length.
        if unsafe { libc::access(c.as_ptr(), libc::W_OK) } != 0 {
            return Err(format!(
                "{} is not writable by you; nothing was written",
                shown()
            ));
        }
    }
    Ok(())
}
