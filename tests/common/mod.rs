//! Helpers shared by the integration tests that need a hostile file
//! system: a tiny tmpfs that fills up, and running as a user who may not
//! write where root may.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// A tmpfs of a few kilobytes, to fill. Mounting needs root (or a user
/// namespace); `None` where that is not allowed.
pub struct TinyFs {
    pub dir: tempfile::TempDir,
}

impl TinyFs {
    pub fn mount(kb: u32) -> Option<TinyFs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={kb}k,mode=0777"),
                "tmpfs",
            ])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            Some(TinyFs { dir })
        } else {
            eprintln!("cannot mount a tmpfs here: skipping the full-disk case");
            None
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for TinyFs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// setpriv's arguments that make the rest of its command line run as
/// `nobody`, with no groups.
const AS_NOBODY: [&str; 3] = ["--reuid=65534", "--regid=65534", "--clear-groups"];

/// What runs a command as an ordinary user: nothing when we are one,
/// setpriv as `nobody` when we are root (root may write anywhere); None
/// when we are root and setpriv is missing.
fn unprivileged_runner() -> Option<Vec<&'static str>> {
    if !is_root() {
        return Some(Vec::new());
    }
    let has_setpriv = Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_setpriv {
        eprintln!("root without setpriv: skipping the permission case");
        return None;
    }
    Some([&["setpriv"][..], &AS_NOBODY].concat())
}

/// A command for `bin` that runs as an ordinary user.
pub fn unprivileged(bin: &str) -> Option<Command> {
    let runner = unprivileged_runner()?;
    Some(match runner.split_first() {
        None => Command::new(bin),
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(bin);
            c
        }
    })
}

/// The same as a prefix for a shell command line ("" when we are not root).
pub fn unprivileged_prefix() -> Option<String> {
    let runner = unprivileged_runner()?;
    Some(runner.iter().map(|a| format!("{a} ")).collect())
}

/// Names in `dir`, sorted: to show that a failed write left no temporary
/// file behind.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}
