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

/// A command for `bin` that runs as an ordinary user: as `nobody` through
/// setpriv when we are root (root may write anywhere), else as ourselves.
pub fn unprivileged(bin: &str) -> Option<Command> {
    if !is_root() {
        return Some(Command::new(bin));
    }
    let has_setpriv = Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_setpriv {
        eprintln!("root without setpriv: skipping the permission case");
        return None;
    }
    let mut c = Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
    Some(c)
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
