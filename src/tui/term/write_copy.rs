//! `:write FILE`: the store written to a file of its own, its stars and
//! notes carried over beside it. On the built-in store, which is not a
//! file, the explorer then works on the copy, so what is starred or noted
//! from then on is saved.

use std::path::{Path, PathBuf};

use crate::annotate::notes;
use crate::io::atomic::{self, WriteError};
use crate::tui::app::App;

/// A store copied by `:write` is read whole; past this it is not copied.
const MAX_STORE_BYTES: u64 = 4 << 30;

impl App {
    /// `:write FILE` (`replace`: `:write! FILE`, which may replace files).
    pub fn write_copy(&mut self, arg: &str, replace: bool) -> Result<(), String> {
        if arg.is_empty() {
            return Err("write needs a file name: :write mystore.ron".into());
        }
        let path = self.export_dir.join(arg);
        if self.store_path.as_deref() == Some(path.as_path()) {
            return Err("that is the store's own file; name another".into());
        }
        let text = self.store_bytes()?;
        let sidecar = notes::sidecar_path(&path);
        let carry = !self.notes.is_empty();
        if carry && !replace && sidecar.exists() {
            return Err(format!(
                "{} already exists; :write! {arg} replaces it",
                sidecar.display()
            ));
        }
        atomic::write_atomic(&path, &text, replace).map_err(|e| match e {
            WriteError::Exists(_) => {
                format!(
                    "{} already exists; :write! {arg} replaces it",
                    path.display()
                )
            }
            e => format!("cannot write {}: {}", path.display(), e.reason()),
        })?;
        let kept = if carry {
            self.notes.save(&sidecar)?;
            format!(", stars and notes in {}", file_name(&sidecar))
        } else {
            String::new()
        };
        let builtin = self.store_path.is_none();
        self.status = Some(if builtin {
            self.store_path = Some(path.clone());
            self.notes_path = Some(sidecar);
            format!(
                "Wrote {}{kept}: exploring it now; stars and notes are saved, E edits it",
                path.display()
            )
        } else {
            format!("Wrote a copy to {}{kept}", path.display())
        });
        Ok(())
    }

    /// The store's text as it is on disk (the built-in store's, compiled in).
    fn store_bytes(&self) -> Result<Vec<u8>, String> {
        match &self.store_path {
            None => Ok(crate::store::load::BUILTIN_STORE.as_bytes().to_vec()),
            Some(p) => match crate::io::read::read_bounded(p, MAX_STORE_BYTES) {
                Ok(Some(bytes)) => Ok(bytes),
                Ok(None) => Err(format!("{} is gone", p.display())),
                Err(e) => Err(format!("cannot read {e}")),
            },
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| PathBuf::from(p).display().to_string())
}
