//! A load cache file's copy of a store's text, memory-mapped.
//!
//! Why a map: reading a 1.5 GB store into memory costs about 0.7 s on this
//! kind of machine, nearly all of it the kernel zeroing fresh pages; mapping
//! a file already in the page cache costs a fifth of that, and pages no one
//! reads are never touched. The map is of annals' own cache file, never of
//! the store: a store is edited in place by some editors, and a file
//! truncated under a map kills the process (SIGBUS). A cache file is only
//! ever replaced whole (written aside, then renamed), which leaves a map of
//! the old one intact.

use std::fs::File;
use std::ops::Range;

use memmap2::{Mmap, MmapOptions};

/// A whole file, mapped read-only.
pub struct MappedFile {
    map: Mmap,
}

impl MappedFile {
    pub fn open(file: &File) -> std::io::Result<MappedFile> {
        // SAFETY: the map is read-only and private to this process. Its
        // contents can only change if another process writes the file in
        // place, which annals never does to a cache file (see the module
        // comment); everything read from it is checked before use.
        let map = unsafe { MmapOptions::new().map(file)? };
        Ok(MappedFile { map })
    }

    pub fn bytes(&self) -> &[u8] {
        &self.map
    }
}

/// A range of a mapped file known to be UTF-8: a text strings can share.
pub struct MappedText {
    file: std::sync::Arc<MappedFile>,
    range: Range<usize>,
}

impl MappedText {
    /// The text in `range` of `file`, if it is in the file and is UTF-8.
    pub fn new(file: std::sync::Arc<MappedFile>, range: Range<usize>) -> Option<MappedText> {
        std::str::from_utf8(file.bytes().get(range.clone())?).ok()?;
        Some(MappedText { file, range })
    }

    /// The same text, for a second `Arc<Text>`: strings decoded on two
    /// threads each count references on their own, not on one contended
    /// counter.
    pub fn share(&self) -> MappedText {
        MappedText {
            file: std::sync::Arc::clone(&self.file),
            range: self.range.clone(),
        }
    }

    pub fn as_str(&self) -> &str {
        let bytes = &self.file.bytes()[self.range.clone()];
        // SAFETY: checked to be UTF-8 in `new`, and the map does not change
        // (see `MappedFile::open`).
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::Arc;

    #[test]
    fn a_range_must_be_in_the_file_and_utf8() {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(b"head\xffbody \xc3\xa9t\xc3\xa9").unwrap();
        let file = Arc::new(MappedFile::open(&f).unwrap());
        let text = MappedText::new(Arc::clone(&file), 5..15).unwrap();
        assert_eq!(text.as_str(), "body été");
        // The invalid byte, a cut through é, and a range past the end.
        assert!(MappedText::new(Arc::clone(&file), 0..8).is_none());
        assert!(MappedText::new(Arc::clone(&file), 5..14).is_none());
        assert!(MappedText::new(file, 5..16).is_none());
    }
}
