//! `SharedStr`: an immutable string that, when it comes from a store file,
//! points into that file's text instead of owning a copy.
//!
//! Why: a store of 100,000 events is 100-150 MB of text. Parsing it into
//! owned `String`s keeps the file and a second copy of every string alive at
//! once, and allocates a million and a half small strings. Sharing the one
//! buffer halves peak memory and most of the parse time (see
//! docs/reference/performance.md).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// `len` value meaning "the whole buffer": an owned string.
const WHOLE: u32 = u32::MAX;

/// The buffer strings share: a store's text read into memory, or the copy
/// of it in a load cache file, mapped (see `crate::store::mapped`).
pub enum Text {
    Owned(String),
    Mapped(crate::store::mapped::MappedText),
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Owned(s) => s,
            Text::Mapped(m) => m.as_str(),
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Owned(s)
    }
}

/// An immutable string: a range of a shared buffer. 16 bytes, cheap to clone.
#[derive(Clone)]
pub struct SharedStr {
    buf: Arc<Text>,
    start: u32,
    len: u32,
}

impl SharedStr {
    pub fn as_str(&self) -> &str {
        if self.len == WHOLE {
            &self.buf
        } else {
            let start = self.start as usize;
            // In bounds and on char boundaries: checked in `slice_of`, and
            // in bounds when read from the load cache (whose ranges were
            // written from such strings). `get` costs what indexing does,
            // and a range off the boundaries (only in a forged cache file)
            // reads as empty instead of a panic.
            self.buf
                .get(start..start + self.len as usize)
                .unwrap_or_default()
        }
    }

    /// The string without leading and trailing whitespace, sharing the buffer.
    pub fn trimmed(&self) -> SharedStr {
        let t = self.as_str().trim();
        if t.len() == self.as_str().len() {
            return self.clone();
        }
        let offset = t.as_ptr() as usize - self.as_str().as_ptr() as usize;
        let start = if self.len == WHOLE {
            0
        } else {
            self.start as usize
        } + offset;
        match (u32::try_from(start), u32::try_from(t.len())) {
            (Ok(start), Ok(len)) if len != WHOLE => SharedStr {
                buf: Arc::clone(&self.buf),
                start,
                len,
            },
            _ => SharedStr::from(t),
        }
    }

    /// The `len` bytes of `buf` from `start`, which the caller found
    /// between ASCII delimiters (so on char boundaries); an owned copy
    /// when the range does not fit the 32-bit fields.
    pub(crate) fn in_text(buf: &Arc<Text>, start: usize, len: usize) -> SharedStr {
        debug_assert!(buf.is_char_boundary(start) && buf.is_char_boundary(start + len));
        match (u32::try_from(start), u32::try_from(len)) {
            (Ok(start32), Ok(len32)) if len32 != WHOLE => SharedStr {
                buf: Arc::clone(buf),
                start: start32,
                len: len32,
            },
            _ => SharedStr::from(&buf[start..start + len]),
        }
    }

    /// `parts` copied into one buffer, each a range of it: one allocation
    /// for a record's strings, where a string each costs two (its text and
    /// the shared buffer's count), most of a short string's size.
    pub fn joined<const N: usize>(parts: [&str; N]) -> [SharedStr; N] {
        let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut starts = [0; N];
        for (start, part) in starts.iter_mut().zip(parts) {
            *start = text.len();
            text.push_str(part);
        }
        let buf = Arc::new(Text::Owned(text));
        std::array::from_fn(|i| SharedStr::in_text(&buf, starts[i], parts[i].len()))
    }

    /// `s` as a range of `buf` when it lies inside it, else an owned copy.
    fn slice_of(buf: &Arc<Text>, s: &str) -> SharedStr {
        let base = buf.as_ptr() as usize;
        let at = s.as_ptr() as usize;
        let inside = at >= base && at + s.len() <= base + buf.len();
        if inside {
            let start = at - base;
            if let (Ok(start32), Ok(len32)) = (u32::try_from(start), u32::try_from(s.len()))
                && len32 != WHOLE
                && buf.is_char_boundary(start)
                && buf.is_char_boundary(start + s.len())
            {
                return SharedStr {
                    buf: Arc::clone(buf),
                    start: start32,
                    len: len32,
                };
            }
        }
        SharedStr::from(s)
    }
}

/// What the current thread is parsing: the text borrowed strings point
/// into, and where to report how far into it parsing has got.
struct Parsing {
    buf: Arc<Text>,
    /// Where this thread says how far it has got: where its last string
    /// started.
    reached: Option<Arc<AtomicU64>>,
    seen: Cell<u64>,
    published: Cell<u64>,
}

impl Parsing {
    /// Says how far it has got; never less than it said before.
    fn publish(&self) {
        if let Some(r) = &self.reached {
            r.fetch_max(self.seen.get(), Ordering::Relaxed);
            self.published.set(self.seen.get());
        }
    }
}

/// How many bytes a thread parses between two reports of its progress.
const REPORT_STEP: u64 = 1 << 16;

thread_local! {
    static PARSING: RefCell<Option<Parsing>> = const { RefCell::new(None) };
    /// The store text a load cache is written against or read with.
    static CACHING: RefCell<Option<Arc<Text>>> = const { RefCell::new(None) };
}

/// Runs `f` (a serialization or deserialization for the load cache) so
/// that strings pointing into `text` are written and read as (start, len)
/// ranges of it: the text is written once, beside them, and the strings
/// read back share one buffer again.
pub(crate) fn caching<R>(text: &Arc<Text>, f: impl FnOnce() -> R) -> R {
    struct Reset(Option<Arc<Text>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let prev = self.0.take();
            CACHING.with(|c| *c.borrow_mut() = prev);
        }
    }
    let prev = CACHING.with(|c| c.borrow_mut().replace(Arc::clone(text)));
    let _reset = Reset(prev);
    f()
}

fn cache_text() -> Option<Arc<Text>> {
    CACHING.with(|c| c.borrow().clone())
}

/// How a string is written in the load cache.
#[derive(Serialize)]
enum Repr<'a> {
    Range(u32, u32),
    Owned(&'a str),
}

#[derive(serde::Deserialize)]
enum ReprOwned {
    Range(u32, u32),
    Owned(String),
}

/// Runs `f` (a deserialization of `text`) so that the strings it produces
/// share `text` rather than copy it. `reached`, if given, counts the bytes
/// parsing has passed, for a progress bar.
pub(crate) fn sharing<R>(
    text: &Arc<Text>,
    reached: Option<Arc<AtomicU64>>,
    f: impl FnOnce() -> R,
) -> R {
    struct Reset(Option<Parsing>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let prev = self.0.take();
            let ours = PARSING.with(|p| std::mem::replace(&mut *p.borrow_mut(), prev));
            if let Some(ours) = ours {
                ours.publish();
            }
        }
    }
    let now = Parsing {
        buf: Arc::clone(text),
        reached,
        seen: Cell::new(0),
        published: Cell::new(0),
    };
    let prev = PARSING.with(|p| p.borrow_mut().replace(now));
    let _reset = Reset(prev);
    f()
}

impl Default for SharedStr {
    fn default() -> Self {
        SharedStr::from(String::new())
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr {
            buf: Arc::new(Text::Owned(s)),
            start: 0,
            len: WHOLE,
        }
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr::from(s.to_string())
    }
}

impl From<&String> for SharedStr {
    fn from(s: &String) -> Self {
        SharedStr::from(s.clone())
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> Self {
        s.as_str().to_string()
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SharedStr {
    // Same as `str`'s, so that maps keyed by SharedStr can be queried by &str.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let shared_with_cache = self.len != WHOLE
            && CACHING.with(|c| {
                c.borrow()
                    .as_ref()
                    .is_some_and(|t| Arc::ptr_eq(t, &self.buf))
            });
        if shared_with_cache {
            Repr::Range(self.start, self.len).serialize(s)
        } else if CACHING.with(|c| c.borrow().is_some()) {
            Repr::Owned(self.as_str()).serialize(s)
        } else {
            s.serialize_str(self.as_str())
        }
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match cache_text() {
            None => d.deserialize_str(SharedStrVisitor),
            Some(buf) => match ReprOwned::deserialize(d)? {
                ReprOwned::Owned(s) => Ok(SharedStr::from(s)),
                ReprOwned::Range(start, len) => {
                    // The payload is checksummed, and every range was
                    // written from a string of this very text; still, one
                    // outside the text is an error. Its char boundaries
                    // are not checked here: that read a byte of the text
                    // at random for every string (a third of a cached
                    // load at a million events), and `as_str` never
                    // panics on a range that is not on them.
                    let e = start as usize + len as usize;
                    if len == WHOLE || e > buf.len() {
                        return Err(de::Error::custom("a string range outside the store text"));
                    }
                    Ok(SharedStr { buf, start, len })
                }
            },
        }
    }
}

struct SharedStrVisitor;

impl<'de> Visitor<'de> for SharedStrVisitor {
    type Value = SharedStr;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<SharedStr, E> {
        Ok(PARSING.with(|p| match p.borrow().as_ref() {
            Some(parsing) => {
                let shared = SharedStr::slice_of(&parsing.buf, s);
                if shared.len != WHOLE {
                    let at = u64::from(shared.start);
                    parsing.seen.set(at);
                    if at >= parsing.published.get() + REPORT_STEP {
                        parsing.publish();
                    }
                }
                shared
            }
            None => SharedStr::from(s),
        }))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<SharedStr, E> {
        Ok(SharedStr::from(s))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<SharedStr, E> {
        Ok(SharedStr::from(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Rec {
        a: SharedStr,
        b: SharedStr,
    }

    #[test]
    fn strings_parsed_under_sharing_point_into_the_text() {
        let text = Arc::new(Text::from(r#"(a: "plain", b: "esc\"aped")"#.to_string()));
        let reached = Arc::new(AtomicU64::new(0));
        let rec: Rec = sharing(&text, Some(Arc::clone(&reached)), || ron::from_str(&text)).unwrap();
        // The last shared string started at byte 5.
        assert_eq!(reached.load(Ordering::Relaxed), 5);
        assert_eq!(rec.a, "plain");
        assert_eq!(rec.b, "esc\"aped");
        // The plain string shares the buffer; the escaped one had to be built.
        assert!(Arc::ptr_eq(&rec.a.buf, &text));
        assert!(!Arc::ptr_eq(&rec.b.buf, &text));
        // Outside `sharing`, nothing is shared.
        let rec: Rec = ron::from_str(&text).unwrap();
        assert!(!Arc::ptr_eq(&rec.a.buf, &text));
        assert_eq!(rec.a, "plain");
    }

    #[test]
    fn behaves_like_a_str() {
        let s = SharedStr::from("Air Base 101");
        assert_eq!(s.len(), 12);
        assert_eq!(&s[..3], "Air");
        assert_eq!(format!("{s}|{s:?}"), "Air Base 101|\"Air Base 101\"");
        let mut m = std::collections::HashMap::new();
        m.insert(s.clone(), 1);
        assert_eq!(m.get("Air Base 101"), Some(&1));
        assert_eq!(SharedStr::default(), "");
        let padded = SharedStr::from("  é x ");
        assert_eq!(padded.trimmed(), "é x");
        assert_eq!(padded.trimmed().trimmed(), "é x");
        assert!(Arc::ptr_eq(&padded.trimmed().buf, &padded.buf));
        assert_eq!(std::mem::size_of::<SharedStr>(), 16);
        assert_eq!(std::mem::size_of::<Option<SharedStr>>(), 16);
    }

    #[test]
    fn joined_strings_are_ranges_of_one_buffer() {
        let [a, b, c] = SharedStr::joined(["id-1", "", "a summary, é"]);
        assert_eq!(
            (a.as_str(), b.as_str(), c.as_str()),
            ("id-1", "", "a summary, é")
        );
        assert!(Arc::ptr_eq(&a.buf, &c.buf) && Arc::ptr_eq(&a.buf, &b.buf));
        assert_eq!(a.buf.len(), "id-1a summary, é".len());
    }
}
