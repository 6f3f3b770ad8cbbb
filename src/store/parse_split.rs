//! Parsing a store on every core.
//!
//! The text is cut into parts at guessed item starts of its lists (an
//! event, a source, a relation, a claim: a `(` after a `,` or `[` where
//! `fast_parse` reads such a record), each part is read on whichever
//! thread is free, from its cut to the next. A part starting at a cut is
//! used only if the part before it, read from the start of the file or
//! from a cut itself used, arrives exactly at that cut, between two items
//! of the same list: from there both would read the same items the same
//! way. A part that passes a cut without arriving there reads on to the
//! next cut it does arrive at (or the end), and the parts it passed are
//! dropped and told to stop. So the parts used join into one reading of
//! the file from start to end, whatever the guesses; a wrong guess costs
//! time, never a different store.
//!
//! Anything unexpected (an error, a field read twice or unknown at the
//! top level, an attribute other than at the start) gives `None`, every
//! part is told to stop, and the caller parses the whole file with ron,
//! which gives the same store or the error with its position.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ron::Options;

use crate::store::fast_parse::Scan;
use crate::store::shared::{Text, sharing};
use crate::store::{
    ActorRec, ClaimRec, EventRec, Meta, PlaceRec, RelationRec, SourceRec, StoreFile, ron_options,
};

/// Below this, a store parses in a few milliseconds on one core.
pub(crate) const MIN_SPLIT: usize = 1 << 20;
/// No part is shorter than this: each cut costs a few probes.
pub(crate) const MIN_PART: usize = 256 << 10;

/// Parts per thread: a part is a few percent of the work, so a thread
/// slowed by another program leaves its next parts to the others.
const PARTS_PER_THREAD: usize = 4;

/// `text` parsed as a store on `threads` threads, in parts of at least
/// `min_part` bytes; `None` when it is not a store this reads (see the
/// module comment). `reached` counts the bytes parsed, for progress.
pub(crate) fn parse(
    text: &Arc<Text>,
    reached: Option<&AtomicU64>,
    threads: usize,
    min_part: usize,
) -> Option<StoreFile> {
    parse_joining(text, reached, threads, min_part).0
}

/// `parse`, and whether it used a part read from a cut.
fn parse_joining(
    text: &Arc<Text>,
    reached: Option<&AtomicU64>,
    threads: usize,
    min_part: usize,
) -> (Option<StoreFile>, bool) {
    let Some((start, options)) = header(text) else {
        return (None, false);
    };
    let parts = (threads.max(1) * PARTS_PER_THREAD).min(text.len() / min_part.max(1));
    let cuts = if threads > 1 && parts > 1 {
        cuts(text, start, parts, &options)
    } else {
        Vec::new()
    };
    let run = Run {
        text,
        options: &options,
        start,
        cuts: &cuts,
        reached,
        next: AtomicUsize::new(0),
        stop: (0..=cuts.len()).map(|_| AtomicBool::new(false)).collect(),
        failed: AtomicBool::new(false),
        state: Mutex::new(Chain {
            done: (0..=cuts.len()).map(|_| None).collect(),
            at: 0,
            complete: false,
        }),
    };
    let workers = threads.clamp(1, cuts.len() + 1);
    std::thread::scope(|s| {
        for _ in 1..workers {
            // No thread to be had: the others do its parts.
            let _ = std::thread::Builder::new()
                .name("annals-parse".into())
                .spawn_scoped(s, || run.work());
        }
        run.work();
    });
    run.join()
}

/// Where the store's value starts (after the file's attributes), and the
/// options its values are read with (the extensions those enable).
fn header(text: &str) -> Option<(usize, Options)> {
    let de = ron::Deserializer::from_str_with_options(text, &ron_options()).ok()?;
    // Every struct named, as explicit_struct_names asks: ron's to check.
    if de
        .extensions()
        .contains(ron::extensions::Extensions::EXPLICIT_STRUCT_NAMES)
    {
        return None;
    }
    let start = text.len() - de.remainder().len();
    Some((
        start,
        Options::default().with_default_extension(de.extensions()),
    ))
}

/// A top-level list of the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum List {
    Sources,
    Actors,
    Places,
    Events,
    Relations,
    Claims,
}

/// A guessed start of an item of `list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cut {
    at: usize,
    list: List,
}

/// What a part read of one top-level field: all of it, or the end of a
/// list begun in an earlier part (`opened` false), or its beginning (up to
/// a cut: `closed` false).
struct Piece {
    items: Items,
    opened: bool,
    closed: bool,
}

enum Items {
    Meta(Meta),
    Sources(Vec<SourceRec>),
    Actors(Vec<ActorRec>),
    Places(Vec<PlaceRec>),
    Events(Vec<EventRec>),
    Relations(Vec<RelationRec>),
    Claims(Vec<ClaimRec>),
}

impl Items {
    /// Which field, as a number (meta is 6).
    fn field(&self) -> usize {
        match self {
            Items::Sources(_) => List::Sources as usize,
            Items::Actors(_) => List::Actors as usize,
            Items::Places(_) => List::Places as usize,
            Items::Events(_) => List::Events as usize,
            Items::Relations(_) => List::Relations as usize,
            Items::Claims(_) => List::Claims as usize,
            Items::Meta(_) => 6,
        }
    }

    fn len(&self) -> usize {
        match self {
            Items::Sources(v) => v.len(),
            Items::Actors(v) => v.len(),
            Items::Places(v) => v.len(),
            Items::Events(v) => v.len(),
            Items::Relations(v) => v.len(),
            Items::Claims(v) => v.len(),
            Items::Meta(_) => 1,
        }
    }
}

/// What one part read, and where it ended: at the start of the part
/// numbered `landed`, or at the end of the file.
struct Part {
    pieces: Vec<Piece>,
    landed: Option<usize>,
}

/// The parts read so far, and how far they join from the start.
struct Chain {
    /// Each part's result once read (`Some(None)`: it failed or stopped).
    done: Vec<Option<Option<Part>>>,
    /// The first part of the chain not yet read.
    at: usize,
    /// The chain has reached the end of the file.
    complete: bool,
}

/// One parse, shared by the threads working on it.
struct Run<'a> {
    text: &'a Arc<Text>,
    options: &'a Options,
    start: usize,
    cuts: &'a [Cut],
    reached: Option<&'a AtomicU64>,
    /// The next part to read.
    next: AtomicUsize,
    /// Per part: its result is not needed.
    stop: Vec<AtomicBool>,
    /// The chain failed: the caller parses with ron.
    failed: AtomicBool,
    state: Mutex<Chain>,
}

impl Run<'_> {
    /// Reads parts until none is left.
    fn work(&self) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i > self.cuts.len() || self.failed.load(Ordering::Relaxed) {
                return;
            }
            let part = if self.stop[i].load(Ordering::Relaxed) {
                None
            } else {
                sharing(self.text, None, || self.part(i))
            };
            self.finished(i, part);
        }
    }

    /// Records part `i`'s result and follows the chain as far as it goes:
    /// parts it passes over are told to stop; a failure stops them all.
    fn finished(&self, i: usize, part: Option<Part>) {
        let mut chain = self.state.lock().unwrap_or_else(|e| e.into_inner());
        chain.done[i] = Some(part);
        while !chain.complete {
            let at = chain.at;
            let Some(result) = &chain.done[at] else {
                return;
            };
            match result.as_ref().map(|p| p.landed) {
                None => {
                    self.failed.store(true, Ordering::Relaxed);
                    self.stop
                        .iter()
                        .for_each(|s| s.store(true, Ordering::Relaxed));
                    return;
                }
                Some(Some(next)) => {
                    for s in &self.stop[at + 1..next] {
                        s.store(true, Ordering::Relaxed);
                    }
                    chain.at = next;
                }
                Some(None) => {
                    chain.complete = true;
                    for s in &self.stop[at + 1..] {
                        s.store(true, Ordering::Relaxed);
                    }
                }
            }
        }
    }

    /// Part `i`: from the start of the file (0) or from cut `i - 1`.
    fn part(&self, i: usize) -> Option<Part> {
        let from = if i == 0 {
            self.start
        } else {
            self.cuts[i - 1].at
        };
        let mut reader = PartReader {
            scan: Scan::new(self.text, self.text, from, self.options),
            run: self,
            me: i,
            next_cut: i,
            pieces: Vec::new(),
            reported: from,
        };
        let landed = if i == 0 {
            reader.store()?
        } else {
            match reader.list_from(self.cuts[i - 1].list, false)? {
                Some(landed) => Some(landed),
                None => reader.rest_of_store()?,
            }
        };
        reader.report();
        Some(Part {
            pieces: reader.pieces,
            landed,
        })
    }

    /// The store the chain read, if it reached the end of the file, and
    /// whether it used a part read from a cut.
    fn join(self) -> (Option<StoreFile>, bool) {
        let chain = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        if !chain.complete || self.failed.load(Ordering::Relaxed) {
            return (None, false);
        }
        let mut parts = Vec::new();
        let mut done = chain.done;
        let mut at = 0;
        loop {
            let Some(Some(part)) = done[at].take() else {
                return (None, false);
            };
            let landed = part.landed;
            parts.push(part);
            match landed {
                Some(next) => at = next,
                None => break,
            }
        }
        let joined = parts.len() > 1;
        (assemble(parts), joined)
    }
}

/// Puts the pieces of the chain's parts together, in order: each field
/// once, a list continued only where one was left open.
fn assemble(parts: Vec<Part>) -> Option<StoreFile> {
    let pieces: Vec<Piece> = parts.into_iter().flat_map(|p| p.pieces).collect();
    // Each list's length first: every list is allocated once, exactly.
    let mut lens = [0usize; 7];
    let mut open: Option<usize> = None;
    let mut seen = [false; 7];
    for p in &pieces {
        let field = p.items.field();
        if p.opened {
            if open.is_some() || seen[field] {
                return None;
            }
            seen[field] = true;
        } else if open != Some(field) {
            return None;
        }
        lens[field] += p.items.len();
        open = (!p.closed).then_some(field);
    }
    if open.is_some() || !seen[6] {
        return None;
    }
    let mut file = StoreFile {
        sources: Vec::with_capacity(lens[List::Sources as usize]),
        actors: Vec::with_capacity(lens[List::Actors as usize]),
        places: Vec::with_capacity(lens[List::Places as usize]),
        events: Vec::with_capacity(lens[List::Events as usize]),
        relations: Vec::with_capacity(lens[List::Relations as usize]),
        claims: Vec::with_capacity(lens[List::Claims as usize]),
        ..StoreFile::default()
    };
    for p in pieces {
        match p.items {
            Items::Meta(m) => file.meta = m,
            Items::Sources(v) => file.sources.extend(v),
            Items::Actors(v) => file.actors.extend(v),
            Items::Places(v) => file.places.extend(v),
            Items::Events(v) => file.events.extend(v),
            Items::Relations(v) => file.relations.extend(v),
            Items::Claims(v) => file.claims.extend(v),
        }
    }
    Some(file)
}

/// Progress is said every this many bytes a part reads.
const REPORT_STEP: usize = 1 << 16;

/// Reads one part.
struct PartReader<'a, 'r> {
    scan: Scan<'a>,
    run: &'r Run<'a>,
    me: usize,
    /// The first cut not yet passed (as an index into `run.cuts`).
    next_cut: usize,
    pieces: Vec<Piece>,
    /// Where progress was last said.
    reported: usize,
}

impl<'a> PartReader<'a, '_> {
    fn report(&mut self) {
        if let Some(r) = self.run.reached {
            r.fetch_add((self.scan.pos - self.reported) as u64, Ordering::Relaxed);
        }
        self.reported = self.scan.pos;
    }

    /// The whole store, from its value's first byte; `Some(landed)`.
    fn store(&mut self) -> Option<Option<usize>> {
        let s = &mut self.scan;
        s.ws()?;
        // A struct name before `(` is ron's to check.
        if !s.eat(b'(') {
            return None;
        }
        self.fields(true)
    }

    /// The top level after a list this part began in: a comma, then more
    /// fields, to the end of the file.
    fn rest_of_store(&mut self) -> Option<Option<usize>> {
        let had_comma = self.scan.comma()?;
        self.fields(had_comma)
    }

    /// Top-level fields up to the store's `)` and the end of the file,
    /// or up to a cut it arrives at.
    fn fields(&mut self, mut had_comma: bool) -> Option<Option<usize>> {
        loop {
            self.scan.ws()?;
            if self.scan.eat(b')') {
                break;
            }
            if !had_comma {
                return None;
            }
            let name = self.scan.name()?;
            self.scan.ws()?;
            if !self.scan.eat(b':') {
                return None;
            }
            self.scan.ws()?;
            let list = match name {
                b"meta" => {
                    let meta = self.scan.meta()?;
                    self.pieces.push(Piece {
                        items: Items::Meta(meta),
                        opened: true,
                        closed: true,
                    });
                    None
                }
                b"sources" => Some(List::Sources),
                b"actors" => Some(List::Actors),
                b"places" => Some(List::Places),
                b"events" => Some(List::Events),
                b"relations" => Some(List::Relations),
                b"claims" => Some(List::Claims),
                _ => return None,
            };
            if let Some(list) = list {
                if !self.scan.eat(b'[') {
                    return None;
                }
                if let Some(landed) = self.list_from(list, true)? {
                    return Some(Some(landed));
                }
            }
            had_comma = self.scan.comma()?;
        }
        // ron's `end`: nothing but whitespace and comments after.
        self.scan.ws()?;
        (self.scan.pos == self.scan.text.len()).then_some(None)
    }

    /// The items of `list` from here (just after its `[`, or at an item);
    /// `Some(Some(part))` if it arrives at the cut starting that part.
    fn list_from(&mut self, list: List, opened: bool) -> Option<Option<usize>> {
        let (items, landed) = match list {
            List::Sources => self.items(list, Scan::source, Items::Sources)?,
            List::Actors => self.items(list, Scan::actor, Items::Actors)?,
            List::Places => self.items(list, Scan::place, Items::Places)?,
            List::Events => self.items(list, Scan::event, Items::Events)?,
            List::Relations => self.items(list, Scan::relation, Items::Relations)?,
            List::Claims => self.items(list, Scan::claim, Items::Claims)?,
        };
        self.pieces.push(Piece {
            items,
            opened,
            closed: landed.is_none(),
        });
        Some(landed)
    }

    /// Items up to the list's `]` (taken), or up to the cut it arrives at
    /// between two items: then `Some(part)`, with the cursor there.
    fn items<T>(
        &mut self,
        list: List,
        read: fn(&mut Scan<'a>) -> Option<T>,
        wrap: fn(Vec<T>) -> Items,
    ) -> Option<(Items, Option<usize>)> {
        let mut out = Vec::new();
        let mut had_comma = true;
        loop {
            self.scan.ws()?;
            if self.scan.eat(b']') {
                return Some((wrap(out), None));
            }
            if !had_comma {
                return None;
            }
            if let Some(part) = self.at_cut(list) {
                return Some((wrap(out), Some(part)));
            }
            out.push(read(&mut self.scan)?);
            had_comma = self.scan.comma()?;
            if self.scan.pos - self.reported >= REPORT_STEP {
                self.report();
                if self.run.stop[self.me].load(Ordering::Relaxed) {
                    return None;
                }
            }
        }
    }

    /// At an item of `list`: the part whose cut is here, if there is one
    /// (cuts passed on the way are passed for good).
    fn at_cut(&mut self, list: List) -> Option<usize> {
        let pos = self.scan.pos;
        let cuts = self.run.cuts;
        while self.next_cut < cuts.len() && cuts[self.next_cut].at < pos {
            self.next_cut += 1;
        }
        let cut = cuts.get(self.next_cut)?;
        (cut.at == pos && cut.list == list).then_some(self.next_cut + 1)
    }
}

/// Where to cut `text` into `parts` parts of about equal work, from
/// `from` on: at a guessed item start near each of the points that
/// divide the work evenly. Sorted, each cut once.
fn cuts(text: &Arc<Text>, from: usize, parts: usize, options: &Options) -> Vec<Cut> {
    let mut out: Vec<Cut> = Vec::new();
    for target in targets(&text[from..], parts) {
        let Some(cut) = guess(text, from + target, options) else {
            continue;
        };
        if out.last().is_none_or(|last| last.at < cut.at) {
            out.push(cut);
        }
    }
    out
}

/// The offsets that divide the work of reading `text` into `parts`
/// parts, estimated from its bytes and its strings: a store's lists cost
/// per field (most of the events' bytes) more than per byte of a long
/// string (an article's text), which is passed over at once. Strings are
/// counted in a sample at the start of each 256th of the text.
fn targets(text: &str, parts: usize) -> Vec<usize> {
    const CHUNKS: usize = 256;
    const SAMPLE: usize = 16 << 10;
    /// What a string costs in bytes' worth, measured on synthetic stores.
    const STRING: usize = 100;
    let bytes = text.as_bytes();
    let chunk = bytes.len().div_ceil(CHUNKS).max(1);
    let costs: Vec<usize> = bytes
        .chunks(chunk)
        .map(|c| {
            let sample = &c[..c.len().min(SAMPLE)];
            let strings = memchr::memchr_iter(b'"', sample).count() / 2;
            c.len() + strings * STRING * c.len() / sample.len()
        })
        .collect();
    let total: usize = costs.iter().sum();
    let mut out = Vec::new();
    let mut before = 0;
    let mut next = 1;
    for (i, &cost) in costs.iter().enumerate() {
        while next < parts && before + cost >= total * next / parts {
            let into = (total * next / parts - before) * chunk / cost.max(1);
            out.push((i * chunk + into).min(bytes.len()));
            next += 1;
        }
        before += cost;
    }
    out
}

/// An item start at or after `from`: a `(` after a `,` or `[` (and
/// whitespace) where an event, a source, a relation or a claim can be
/// read. Bounded: it looks through at most `LOOK` bytes, tries at most
/// `TRIES` places, each read within `PROBE` bytes (an item longer than
/// that is not cut at).
fn guess(text: &Arc<Text>, from: usize, options: &Options) -> Option<Cut> {
    const LOOK: usize = 1 << 20;
    const TRIES: usize = 64;
    const PROBE: usize = 1 << 20;
    let bytes = text.as_bytes();
    let end = (from + LOOK).min(bytes.len());
    memchr::memchr_iter(b'(', bytes.get(from..end)?)
        .map(|i| from + i)
        .filter(|&at| {
            let before = text[..at].trim_end_matches([' ', '\t', '\r', '\n']);
            before.ends_with([',', '['])
        })
        .take(TRIES)
        .find_map(|at| {
            let probe = &text[..char_floor(text, at + PROBE)];
            let reads = |list: List| {
                let mut s = Scan::new(probe, text, at, options);
                sharing(text, None, || match list {
                    List::Events => s.event().is_some(),
                    List::Sources => s.source().is_some(),
                    List::Relations => s.relation().is_some(),
                    List::Claims => s.claim().is_some(),
                    List::Actors | List::Places => false,
                })
            };
            [List::Events, List::Sources, List::Relations, List::Claims]
                .into_iter()
                .find(|&list| reads(list))
                .map(|list| Cut { at, list })
        })
}

/// The largest char boundary of `text` at or before `at`.
fn char_floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
#[path = "parse_split_tests.rs"]
mod tests;
