//! Loading a store: read, parse, validate, index. Every failure becomes a
//! `LoadError` naming the file and, for each problem, its line and column.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use crate::io::safe::safe;
use crate::model::Model;
use crate::store::locate::Locator;
use crate::store::parse_split;
use crate::store::shared::Text;
use crate::store::{StoreFile, ron_options};
use crate::validate::{self, Problem};

/// The built-in store, embedded in the binary.
pub const BUILTIN_NAME: &str = "data/niger.ron";
pub const BUILTIN_STORE: &str = include_str!("../../data/niger.ron");

/// One problem in a store. `line` and `column` are 1-based; 0 when the
/// problem has no position (the file could not be read at all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// How a line standing for unlisted problems ends (see `validate`).
pub const UNLISTED_TAIL: &str = "above, not listed";

/// Everything wrong with one store file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Problems counted but not listed (after the first few hundred of a kind).
    pub unlisted: usize,
}

/// One line per diagnostic, for people: messages quote the store's text,
/// so they are made safe to print (no escape sequences reach a terminal).
impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = safe(&self.file);
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let message = safe(&d.message);
            if d.line == 0 {
                write!(f, "{file}: error: {message}")?;
            } else {
                write!(f, "{file}:{}:{}: error: {message}", d.line, d.column)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// How many problems there are, listed or not (a line that counts
    /// unlisted ones is not a problem itself).
    pub fn problem_count(&self) -> usize {
        let summary_lines = usize::from(self.unlisted > 0)
            * self
                .diagnostics
                .iter()
                .filter(|d| d.message.ends_with(UNLISTED_TAIL))
                .count();
        self.diagnostics.len() - summary_lines + self.unlisted
    }

    fn whole_file(file: &str, message: String) -> Self {
        LoadError {
            file: file.to_string(),
            unlisted: 0,
            diagnostics: vec![Diagnostic {
                line: 0,
                column: 0,
                message,
            }],
        }
    }
}

/// Loads the built-in store.
pub fn load_builtin() -> Result<Model, LoadError> {
    load_str(BUILTIN_STORE, BUILTIN_NAME)
}

/// How far a load has got, readable from another thread while it runs.
#[derive(Debug, Default)]
pub struct Progress {
    stage: AtomicU8,
    pub(crate) total: AtomicU64,
    pub(crate) read: AtomicU64,
    parsed: Arc<AtomicU64>,
}

/// The stages of a load, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Reading,
    Parsing,
    Checking,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Reading => "reading",
            Stage::Parsing => "parsing",
            Stage::Checking => "checking and indexing",
        }
    }
}

impl Progress {
    /// The stage, and the bytes done of the file's total in that stage.
    pub fn now(&self) -> (Stage, u64, u64) {
        let total = self.total.load(Ordering::Relaxed);
        match self.stage.load(Ordering::Relaxed) {
            0 => (Stage::Reading, self.read.load(Ordering::Relaxed), total),
            // At most the total: a second half parsed from a wrong guess
            // counted bytes the first half counts again.
            1 => (
                Stage::Parsing,
                self.parsed.load(Ordering::Relaxed).min(total),
                total,
            ),
            _ => (Stage::Checking, total, total),
        }
    }

    pub(crate) fn enter(&self, stage: Stage) {
        self.stage.store(stage as u8, Ordering::Relaxed);
    }
}

/// Loads a store from a file.
pub fn load_path(path: &Path) -> Result<Model, LoadError> {
    load_path_with(path, &Progress::default())
}

/// At most this is reserved up front from a file's stated length.
const MAX_RESERVE: usize = 1 << 30;
/// A pipe or device is read at most this far.
const MAX_STREAM: u64 = 4 << 30;

/// Reads a whole file, counting the bytes in `progress` as they come.
pub(crate) fn read_counting(path: &Path, progress: &Progress) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let len = if meta.is_file() { meta.len() } else { 0 };
    progress.total.store(len, Ordering::Relaxed);
    // The length is the file system's word, but a file can grow while it
    // is read: reserve what it says, capped, and let the vector grow.
    let reserve = usize::try_from(len).unwrap_or(0).min(MAX_RESERVE);
    let mut bytes = match read_halves(&file, reserve, progress) {
        Some(bytes) => {
            // Whatever the file grew by meanwhile is read on below.
            use std::io::Seek;
            file.seek(std::io::SeekFrom::Start(bytes.len() as u64))?;
            bytes
        }
        None => Vec::with_capacity(reserve.saturating_add(1)),
    };
    let mut chunk = vec![0u8; 8 << 20];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        bytes.extend_from_slice(&chunk[..n]);
        progress.read.store(bytes.len() as u64, Ordering::Relaxed);
        // A NUL byte is an error already (reported with its position):
        // no need to read on, and /dev/zero would never end.
        if memchr::memchr(0, &chunk[..n]).is_some() {
            break;
        }
        if !meta.is_file() && bytes.len() as u64 > MAX_STREAM {
            return Err(std::io::Error::other(format!(
                "not a regular file, and it sent over {} GiB without ending",
                MAX_STREAM >> 30
            )));
        }
    }
    progress.total.store(bytes.len() as u64, Ordering::Relaxed);
    Ok(bytes)
}

/// Files at least this long are read on two threads (`read_halves`).
const HALVES_FROM: usize = 16 << 20;

/// The first `len` bytes of a large regular file, read on two threads at
/// once, a half each: most of reading a file into memory is the kernel
/// handing out fresh pages, and two cores do that in about half the time.
/// None if the file is shorter than `len` (it changed) or a read fails:
/// the caller reads it the ordinary way.
#[cfg(unix)]
fn read_halves(file: &std::fs::File, len: usize, progress: &Progress) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    if len < HALVES_FROM {
        return None;
    }
    let read_part = |part: &mut [u8], offset: usize| -> bool {
        let mut done = 0;
        while done < part.len() {
            let end = (done + (8 << 20)).min(part.len());
            match file.read_at(&mut part[done..end], (offset + done) as u64) {
                Ok(0) => return false,
                Ok(n) => {
                    done += n;
                    progress.read.fetch_add(n as u64, Ordering::Relaxed);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        true
    };
    let mut bytes = vec![0u8; len];
    let (first, second) = bytes.split_at_mut(len / 2);
    let whole = std::thread::scope(|s| {
        let other = s.spawn(|| read_part(second, len / 2));
        let mine = read_part(first, 0);
        mine && other.join().unwrap_or(false)
    });
    if !whole {
        progress.read.store(0, Ordering::Relaxed);
    }
    whole.then_some(bytes)
}

#[cfg(not(unix))]
fn read_halves(_: &std::fs::File, _: usize, _: &Progress) -> Option<Vec<u8>> {
    None
}

/// Loads a store from a file, reporting how far it has got in `progress`.
pub fn load_path_with(path: &Path, progress: &Progress) -> Result<Model, LoadError> {
    let name = path.display().to_string();
    if path.is_dir() {
        return Err(LoadError::whole_file(
            &name,
            "is a directory, expected a store file (.ron)".into(),
        ));
    }
    progress.enter(Stage::Reading);
    let bytes = read_counting(path, progress)
        .map_err(|e| LoadError::whole_file(&name, format!("cannot read the store: {e}")))?;
    load_bytes_with(bytes, &name, progress)
}

/// Loads a store from raw bytes, which need not be UTF-8; `name` names it
/// in errors.
pub fn load_bytes(bytes: Vec<u8>, name: &str) -> Result<Model, LoadError> {
    load_bytes_with(bytes, name, &Progress::default())
}

fn load_bytes_with(bytes: Vec<u8>, name: &str, progress: &Progress) -> Result<Model, LoadError> {
    let text = Arc::new(Text::from(text_of(bytes, name)?));
    load_text_with(&text, name, progress)
}

/// A store's bytes as its text: UTF-8, without a leading byte-order mark,
/// no NUL byte.
pub(crate) fn text_of(bytes: Vec<u8>, name: &str) -> Result<String, LoadError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // Lossless: `valid` is exactly the valid UTF-8 prefix.
        let prefix = std::str::from_utf8(valid).unwrap_or_default();
        let (line, column) = end_position(prefix);
        LoadError {
            file: name.to_string(),
            unlisted: 0,
            diagnostics: vec![Diagnostic {
                line,
                column,
                message: "invalid UTF-8: a store must be UTF-8 text".into(),
            }],
        }
    })?;
    let mut text = text;
    if text.starts_with(BOM) {
        text.drain(..BOM.len_utf8());
    }
    // A NUL byte means a binary or corrupted file, not a store someone
    // wrote; a string that needs one can say `\u{0}`.
    if let Some(at) = memchr::memchr(0, text.as_bytes()) {
        let (line, column) = end_position(&text[..at]);
        return Err(LoadError {
            file: name.to_string(),
            unlisted: 0,
            diagnostics: vec![Diagnostic {
                line,
                column,
                message: "NUL byte: a store is text, this looks like a binary or damaged file"
                    .into(),
            }],
        });
    }
    Ok(text)
}

/// Parses, validates and indexes store text; the model's strings share `text`.
pub(crate) fn load_text_with(
    text: &Arc<Text>,
    name: &str,
    progress: &Progress,
) -> Result<Model, LoadError> {
    progress.enter(Stage::Parsing);
    let file = parse_with(text, name, Some(Arc::clone(&progress.parsed)))?;
    progress.enter(Stage::Checking);
    validate::build(file).map_err(|problems| locate_problems(text, name, &problems))
}

/// Line and column just after the end of `s`.
fn end_position(s: &str) -> (usize, usize) {
    let line = 1 + s.matches('\n').count();
    let column = 1 + s.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, column)
}

/// Parses and validates store text; `name` names it in errors.
pub fn load_str(text: &str, name: &str) -> Result<Model, LoadError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    load_text(Arc::new(Text::from(text.to_string())), name)
}

/// A UTF-8 byte-order mark, which some editors put first: not part of the
/// store, so it is dropped (positions count from after it).
const BOM: char = '\u{feff}';

/// Parses and validates store text; the model's strings share `text`.
pub fn load_text(text: Arc<Text>, name: &str) -> Result<Model, LoadError> {
    let file = parse_shared(&text, name)?;
    validate::build(file).map_err(|problems| locate_problems(&text, name, &problems))
}

/// Parses store text without semantic checks.
pub fn parse(text: &str, name: &str) -> Result<StoreFile, LoadError> {
    parse_shared(&Arc::new(Text::from(text.to_string())), name)
}

/// Parses store text without semantic checks; the strings share `text`.
pub fn parse_shared(text: &Arc<Text>, name: &str) -> Result<StoreFile, LoadError> {
    parse_with(text, name, None)
}

fn parse_with(
    text: &Arc<Text>,
    name: &str,
    reached: Option<Arc<AtomicU64>>,
) -> Result<StoreFile, LoadError> {
    let content = skip_space_and_comments(text);
    if content.is_empty() {
        return Err(LoadError {
            file: name.to_string(),
            unlisted: 0,
            diagnostics: vec![Diagnostic {
                line: 1,
                column: 1,
                message: "the file is empty; expected a store: ( meta: (title: \"…\"), events: [ … ], … )".into(),
            }],
        });
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = if text.len() >= parse_split::MIN_SPLIT {
        cores
    } else {
        1
    };
    if let Some(file) = parse_split::parse(text, reached.as_deref(), threads, parse_split::MIN_PART)
    {
        return Ok(file);
    }
    if let Some(r) = &reached {
        // Parsed again from the start.
        r.store(0, Ordering::Relaxed);
    }
    crate::store::shared::sharing(text, reached, || ron_options().from_str::<StoreFile>(text)).map_err(
        |e| {
            let (line, column) = (e.span.start.line, e.span.start.col);
            let mut message = syntax_message(&e.code);
            if matches!(e.code, ron::Error::ExpectedIdentifier)
                && char_at(text, line, column) == Some('"')
            {
                message = "syntax error: expected a name without quotes here, found a string \
                           (a source's kind is written `kind: Sponsored`, not `kind: \"Sponsored\"`)"
                    .into();
            }
            // ron often reports a cut-short file as whatever it expected
            // next; say plainly that the file ends there.
            if !matches!(e.code, ron::Error::Eof) && at_end(text, e.span.end.line, e.span.end.col) {
                let what = message.strip_prefix("syntax error: ").unwrap_or(&message);
                message = format!("unexpected end of file: {what}");
            }
            LoadError {
                file: name.to_string(),
                unlisted: 0,
                diagnostics: vec![Diagnostic {
                    line,
                    column,
                    message,
                }],
            }
        },
    )
}

/// The char at 1-based `line`:`column` of `text`.
fn char_at(text: &str, line: usize, column: usize) -> Option<char> {
    let start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes()).nth(line - 2)? + 1
    };
    text[start..].chars().nth(column.checked_sub(1)?)
}

/// What follows the leading whitespace and comments of `s`.
fn skip_space_and_comments(mut s: &str) -> &str {
    loop {
        s = s.trim_start();
        if let Some(rest) = s.strip_prefix("//") {
            s = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return s;
        }
    }
}

/// Whether 1-based `line`:`column` is at or past the last thing in `text`
/// that is neither whitespace nor a comment.
fn at_end(text: &str, line: usize, column: usize) -> bool {
    let Some(line_start) = (if line <= 1 {
        Some(0)
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(line - 2)
            .map(|i| i + 1)
    }) else {
        return true;
    };
    let rest = &text[line_start..];
    let offset = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    skip_space_and_comments(&rest[offset..]).is_empty()
}

/// The store's record types as serde names them, and as a reader of the
/// store would say them.
const TYPE_WORDS: [(&str, &str); 10] = [
    ("`StoreFile`", "the store"),
    ("`Meta`", "meta"),
    ("enum `SourceKind`", "a source's kind"),
    ("`SourceRec`", "a source"),
    ("`ActorRec`", "an actor"),
    ("`PlaceRec`", "a place"),
    ("`QuoteRec`", "a piece of evidence"),
    ("`EventRec`", "an event"),
    ("`RelationRec`", "a relation"),
    ("`ClaimRec`", "a claim"),
];

/// ron's message, with a plainer word where it helps.
fn syntax_message(code: &ron::Error) -> String {
    match code {
        ron::Error::Eof => {
            "unexpected end of file: the store is cut short (a closing `)`, `]` or `\"` is missing)"
                .into()
        }
        ron::Error::ExpectedStringEnd => {
            "a string is not closed: its closing `\"` is missing".into()
        }
        ron::Error::ExpectedIdentifier => "syntax error: expected a field name".into(),
        ron::Error::ExceededRecursionLimit => {
            "nested too deeply: brackets go deeper than any store needs".into()
        }
        other => {
            let mut s = other.to_string().replace("for struct `", "for `");
            // serde names our Rust types; say what they are in the store.
            for (rust, words) in TYPE_WORDS {
                s = s.replace(rust, words);
            }
            // ron says "Expected ..."; keep its words, in our case.
            let mut c = s.chars();
            match c.next() {
                Some(f) => format!("syntax error: {}{}", f.to_lowercase(), c.as_str()),
                None => "syntax error".into(),
            }
        }
    }
}

fn locate_problems(text: &str, name: &str, problems: &[Problem]) -> LoadError {
    let locator = Locator::new(text);
    let diagnostics = problems
        .iter()
        .map(|p| {
            let (line, column) =
                locator.find(p.section.field_name(), p.index, p.field, p.value.as_deref());
            Diagnostic {
                line,
                column,
                message: p.message.clone(),
            }
        })
        .collect();
    LoadError {
        file: name.to_string(),
        unlisted: problems.iter().map(|p| p.unlisted).sum(),
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_read_on_two_threads_is_read_whole_and_in_order() {
        // Over HALVES_FROM, with a multi-byte character across the middle.
        let line = "événement à Agadez, 2024 — ";
        let mut text = String::new();
        while text.len() < HALVES_FROM + 1000 {
            text.push_str(line);
            text.push('\n');
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ron");
        std::fs::write(&path, &text).unwrap();
        let progress = Progress::default();
        let bytes = read_counting(&path, &progress).unwrap();
        assert_eq!(bytes.len(), text.len());
        assert!(bytes == text.as_bytes(), "the bytes differ");
        assert_eq!(progress.read.load(Ordering::Relaxed), text.len() as u64);
        assert_eq!(progress.total.load(Ordering::Relaxed), text.len() as u64);
        // A file shorter than it was said to be: the ordinary read instead.
        let file = std::fs::File::open(&path).unwrap();
        assert!(read_halves(&file, text.len() + 10, &progress).is_none());
        assert_eq!(progress.read.load(Ordering::Relaxed), 0);
    }
}
