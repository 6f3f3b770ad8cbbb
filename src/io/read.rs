//! Reading a file annals does not own (a notes sidecar, a session, the
//! settings file, an article): only a regular file, opened without
//! blocking, and read with a bound on the bytes read, not on the size the
//! file system reports (`/dev/zero` and `/proc` files report 0).

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file: a FIFO, a device, a directory, a socket.
    NotRegular {
        path: PathBuf,
        kind: &'static str,
    },
    /// More than the bound was read.
    TooLarge {
        path: PathBuf,
        max: u64,
    },
    Io {
        path: PathBuf,
        source: io::Error,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular { path, kind } => {
                write!(f, "{}: is {kind}, not a regular file", path.display())
            }
            ReadError::TooLarge { path, max } => write!(
                f,
                "{}: over the {} a file of this kind may have",
                path.display(),
                size(*max)
            ),
            ReadError::Io { path, source } => {
                write!(
                    f,
                    "{}: {}",
                    path.display(),
                    crate::io::atomic::plain(source)
                )
            }
        }
    }
}

impl std::error::Error for ReadError {}

/// "64 MB", "4 KB", "100 bytes".
fn size(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{} MB", n >> 20),
        n if n >= 1 << 10 => format!("{} KB", n >> 10),
        n => format!("{n} bytes"),
    }
}

/// What a file that is not regular is, in words.
fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// Opens `path` for reading without blocking (a FIFO with no writer would
/// block a plain open for good), and refuses what is not a regular file.
/// Links are followed: a notes file may be a link the analyst made.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    let io_err = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io_err)?;
    // Checked on the open file, not the path: the path cannot be swapped
    // between the check and the read.
    let ft = file.metadata().map_err(io_err)?.file_type();
    if !ft.is_file() {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
            kind: kind_of(ft),
        });
    }
    Ok(file)
}

/// The bytes of the regular file at `path`, at most `max` of them.
/// `Ok(None)` when there is no such file.
pub fn read_bounded(path: &Path, max: u64) -> Result<Option<Vec<u8>>, ReadError> {
    let file = match open_regular(path) {
        Ok(f) => f,
        Err(ReadError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let reported = file.metadata().map(|m| m.len()).unwrap_or(0);
    // The reported size is a hint for the buffer, never more than the bound.
    let mut bytes = Vec::with_capacity(reported.min(max) as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            max,
        });
    }
    Ok(Some(bytes))
}

/// `read_bounded`, as UTF-8 text.
pub fn read_text_bounded(path: &Path, max: u64) -> Result<Option<String>, ReadError> {
    match read_bounded(path, max)? {
        None => Ok(None),
        Some(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| ReadError::Io {
                path: path.to_path_buf(),
                source: io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("not UTF-8 text (at byte {})", e.utf8_error().valid_up_to()),
                ),
            }),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_none_and_a_small_one_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("n.ron");
        assert!(read_bounded(&p, 10).unwrap().is_none());
        std::fs::write(&p, "hello").unwrap();
        assert_eq!(read_bounded(&p, 10).unwrap().unwrap(), b"hello");
        assert_eq!(read_text_bounded(&p, 5).unwrap().unwrap(), "hello");
    }

    #[test]
    fn the_bound_counts_bytes_read_not_the_size_reported() {
        // /dev/zero reports a size of 0 and never ends; through a link, as
        // a planted sidecar would be.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("zero.ron");
        std::os::unix::fs::symlink("/dev/zero", &p).unwrap();
        let e = read_bounded(&p, 1 << 20).unwrap_err();
        assert!(matches!(e, ReadError::NotRegular { .. }), "{e}");
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 1001]).unwrap();
        let e = read_bounded(&big, 1000).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { .. }), "{e}");
        assert!(read_bounded(&big, 1001).is_ok());
    }

    #[test]
    fn a_fifo_is_refused_at_once_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("fifo.ron");
        let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // Without O_NONBLOCK this open would block: no one writes. On
        // another thread, so that a regression fails instead of hanging.
        let (tx, rx) = std::sync::mpsc::channel();
        let fifo = p.clone();
        std::thread::spawn(move || tx.send(read_bounded(&fifo, 100).map(|_| ())));
        let got = rx.recv_timeout(std::time::Duration::from_secs(5));
        let e = got.expect("reading a FIFO blocked").unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        let e = read_bounded(dir.path(), 100).unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
    }
}
