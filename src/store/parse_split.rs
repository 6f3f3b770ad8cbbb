//! Parsing a large store on two cores.
//!
//! ron parses one value from start to end on one thread, and parsing is
//! most of what loading or checking a store costs. Here the top level and
//! each list are walked item by item, each item parsed by ron on its own,
//! and the events list is parsed from two places at once: its first half
//! here and, on another thread, from a guessed item start near its middle
//! to its end. The guess is used only if the first half's parse arrives
//! exactly at it, between two items: from there both parses would read
//! the same items the same way; once it has passed the guess without
//! arriving there, the other thread is told to stop. Anything unexpected
//! (syntax this walk does not take, any error) gives `None` at once,
//! without waiting for the other thread, and the caller parses the whole
//! file with ron as before, which gives the same result or the error with
//! its position.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use ron::Options;
use serde::Deserialize;

use crate::store::shared::{Text, sharing, sharing_from};
use crate::store::{EventRec, StoreFile, ron_options};

/// Below this, a store parses in a few milliseconds on one core.
pub(crate) const MIN_SPLIT: usize = 1 << 20;

/// `text` parsed as a store, the events list on two threads; `None` when
/// it is not a store this walk takes (see the module comment).
pub(crate) fn parse_in_two(
    text: &Arc<Text>,
    reached: Option<Arc<AtomicU64>>,
    min_split: usize,
) -> Option<StoreFile> {
    let middle = (text.len() >= min_split).then(|| middle_by_cost(text));
    parse_guessing_from(text, reached, middle).0
}

/// Where parsing what comes before costs about what parsing what comes
/// after does, estimated from bytes and lines: a store written one field
/// to a line costs most where its lines are short (events) and least in
/// long article texts, so the byte in the middle gave the second half
/// more work (its thread finished 40-80 ms after the first at 100k
/// events). Lines are counted in a sample at the start of each 256th.
fn middle_by_cost(text: &str) -> usize {
    const PARTS: usize = 256;
    const SAMPLE: usize = 16 << 10;
    /// A line's cost in bytes' worth, measured on synthetic stores: a
    /// line of an event costs as much as 230 bytes of an article.
    const LINE: usize = 230;
    let bytes = text.as_bytes();
    let part = bytes.len().div_ceil(PARTS).max(1);
    let costs: Vec<usize> = bytes
        .chunks(part)
        .map(|chunk| {
            let sample = &chunk[..chunk.len().min(SAMPLE)];
            let lines = memchr::memchr_iter(b'\n', sample).count();
            chunk.len() + lines * LINE * chunk.len() / sample.len()
        })
        .collect();
    let half = costs.iter().sum::<usize>() / 2;
    let mut before = 0;
    for (i, &cost) in costs.iter().enumerate() {
        if before + cost >= half {
            let into = (half - before) * part / cost.max(1);
            return (i * part + into).min(bytes.len());
        }
        before += cost;
    }
    bytes.len() / 2
}

/// `parse_in_two`, guessing where the second half starts from `from` on;
/// says too whether the second half's parse was used.
fn parse_guessing_from(
    text: &Arc<Text>,
    reached: Option<Arc<AtomicU64>>,
    from: Option<usize>,
) -> (Option<StoreFile>, bool) {
    let Some(start) = Cursor::start(text) else {
        return (None, false);
    };
    let mut second = from
        .and_then(|from| guess_item(&start, from))
        .and_then(|at| Second::start(text, &start.options, at));
    let mut c = start;
    let file = sharing(text, reached, || {
        let file = c.store(&mut second)?;
        c.skip()?;
        (c.pos == c.text.len()).then_some(file)
    });
    // A second half never met is dropped here, which tells it to stop.
    drop(second);
    (file, c.joined)
}

/// The events a second half read, and where its list ended.
type Half = (Vec<EventRec>, usize);

/// The second half of the events list, being parsed on its own thread
/// from a guessed item start. The thread is not waited for unless its
/// work is used: a wrong guess or an error costs the caller nothing more.
/// Dropped, it tells the thread to stop, whichever way the walk ended.
struct Second {
    at: usize,
    handle: Option<std::thread::JoinHandle<Option<Half>>>,
    stop: Arc<AtomicBool>,
    /// The bytes it has parsed, for the progress of the whole.
    parsed: Arc<AtomicU64>,
}

impl Drop for Second {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Second {
    fn start(text: &Arc<Text>, options: &Options, at: usize) -> Option<Second> {
        let stop = Arc::new(AtomicBool::new(false));
        let parsed = Arc::new(AtomicU64::new(0));
        let (text, options) = (Arc::clone(text), options.clone());
        let (its_stop, its_parsed) = (Arc::clone(&stop), Arc::clone(&parsed));
        let handle = std::thread::Builder::new()
            .name("annals-parse".into())
            .spawn(move || {
                sharing_from(&text, Some(its_parsed), at as u64, || {
                    let mut c = Cursor::new(&text, at, options);
                    let mut out = Vec::new();
                    c.items(&mut out, None, Some(&its_stop))?;
                    Some((out, c.pos))
                })
            });
        // No thread to be had: one parse, as before.
        Some(Second {
            at,
            handle: Some(handle.ok()?),
            stop,
            parsed,
        })
    }
}

/// Where an item of the events list probably starts, from `from` on: a
/// `(` first on its line, after a comma ending the line before, where an
/// event can be read. Bounded: it looks through at most `LOOK` bytes and
/// tries to read an event at most `TRIES` times, each within a stretch of
/// a 256th of the text, at least 4 KiB and at most 64 KiB, so all tries
/// together read at most a quarter of a store of 1 MiB or more (an event
/// longer than the stretch is not guessed at).
fn guess_item(start: &Cursor, from: usize) -> Option<usize> {
    const LOOK: usize = 1 << 20;
    const TRIES: usize = 64;
    let text = start.text;
    let probe_len = (text.len() / (4 * TRIES)).clamp(1 << 12, 1 << 16);
    let bytes = text.as_bytes();
    let end = (from + LOOK).min(bytes.len());
    memchr::memchr_iter(b'(', bytes.get(from..end)?)
        .map(|i| from + i)
        .filter(|&at| {
            let before = text[..at].trim_end_matches([' ', '\t', '\r', '\n']);
            before.ends_with(',') && text[before.len()..at].contains('\n')
        })
        .take(TRIES)
        .find(|&at| {
            let probe = &text[..char_floor(text, at + probe_len)];
            Cursor::new(probe, at, start.options.clone())
                .value::<EventRec>()
                .is_some()
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

/// Whether `skipped`, which ron skipped as whitespace, comments and
/// attributes, is whitespace and comments only: the same skip, done the
/// way ron does it, ends at its end. Any doubt answers no.
fn only_space_and_comments(skipped: &str) -> bool {
    let mut rest = skipped;
    loop {
        rest = rest.trim_start_matches(ron_space);
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |i| &after[i..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            match block_comment_end(after) {
                Some(i) => rest = &after[i..],
                None => return false,
            }
        } else {
            return rest.is_empty();
        }
    }
}

/// ron's whitespace.
fn ron_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\r'
            | '\x0B'
            | '\x0C'
            | '\u{85}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Where a block comment whose `/*` came just before `s` ends, after its
/// `*/`; block comments nest.
fn block_comment_end(s: &str) -> Option<usize> {
    let (mut level, mut i) = (1, 0);
    let b = s.as_bytes();
    while level > 0 {
        match (b.get(i)?, b.get(i + 1)) {
            (b'/', Some(b'*')) => (level, i) = (level + 1, i + 2),
            (b'*', Some(b'/')) => (level, i) = (level - 1, i + 2),
            _ => i += 1,
        }
    }
    Some(i)
}

/// Where the walk is in the text, and the options each item is parsed with.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    options: Options,
    /// Whether the events list was parsed in two halves.
    joined: bool,
}

impl<'a> Cursor<'a> {
    /// After the file's attributes (`#![enable(...)]`), with the
    /// extensions they enable.
    fn start(text: &'a str) -> Option<Self> {
        let de = ron::Deserializer::from_str_with_options(text, &ron_options()).ok()?;
        // The walk reads the top level itself; with explicit struct names
        // ron asks a name of it (`StoreFile(`), which the walk does not
        // check: such a file is ron's to parse whole.
        if de
            .extensions()
            .contains(ron::extensions::Extensions::EXPLICIT_STRUCT_NAMES)
        {
            return None;
        }
        let pos = text.len() - de.remainder().len();
        Some(Cursor {
            text,
            pos,
            options: Options::default().with_default_extension(de.extensions()),
            joined: false,
        })
    }

    fn new(text: &'a str, pos: usize, options: Options) -> Self {
        Cursor {
            text,
            pos,
            options,
            joined: false,
        }
    }

    /// Past whitespace and comments, as ron skips them. Attributes
    /// (`#![...]`) are taken only at the start of a file: one here means
    /// `None`.
    fn skip(&mut self) -> Option<()> {
        let rest = &self.text[self.pos..];
        let de = ron::Deserializer::from_str_with_options(rest, &self.options).ok()?;
        let skipped = rest.len() - de.remainder().len();
        let skipped_text = &rest[..skipped];
        if skipped_text.contains('#') && !only_space_and_comments(skipped_text) {
            return None;
        }
        self.pos += skipped;
        Some(())
    }

    /// Skips, then takes `c` if it is next.
    fn eat(&mut self, c: u8) -> Option<bool> {
        self.skip()?;
        let next = self.text.as_bytes().get(self.pos) == Some(&c);
        if next {
            self.pos += 1;
        }
        Some(next)
    }

    /// A field name: plain lowercase letters only.
    fn name(&mut self) -> Option<&'a str> {
        self.skip()?;
        let rest = &self.text[self.pos..];
        let len = rest.bytes().take_while(u8::is_ascii_lowercase).count();
        self.pos += len;
        (len > 0).then(|| &rest[..len])
    }

    /// One value, parsed by ron.
    fn value<T: Deserialize<'a>>(&mut self) -> Option<T> {
        let rest = &self.text[self.pos..];
        let mut de = ron::Deserializer::from_str_with_options(rest, &self.options).ok()?;
        let value = T::deserialize(&mut de).ok()?;
        self.pos += rest.len() - de.remainder().len();
        Some(value)
    }

    /// The top level: `(field: value, ...)`.
    fn store(&mut self, second: &mut Option<Second>) -> Option<StoreFile> {
        if !self.eat(b'(')? {
            return None;
        }
        let mut file = StoreFile::default();
        let mut seen: Vec<&str> = Vec::new();
        loop {
            if self.eat(b')')? {
                break;
            }
            let name = self.name()?;
            if seen.contains(&name) || !self.eat(b':')? {
                return None;
            }
            seen.push(name);
            self.skip()?;
            match name {
                "meta" => file.meta = self.value()?,
                "sources" => file.sources = self.list()?,
                "actors" => file.actors = self.list()?,
                "places" => file.places = self.list()?,
                "events" => file.events = self.events(second.take())?,
                "relations" => file.relations = self.list()?,
                "claims" => file.claims = self.list()?,
                _ => return None,
            }
            if !self.eat(b',')? {
                if self.eat(b')')? {
                    break;
                }
                return None;
            }
        }
        seen.contains(&"meta").then_some(file)
    }

    /// `[item, ...]`.
    fn list<T: Deserialize<'a>>(&mut self) -> Option<Vec<T>> {
        if !self.eat(b'[')? {
            return None;
        }
        let mut out = Vec::new();
        self.items(&mut out, None, None)?;
        Some(out)
    }

    /// Items up to the list's `]` (taken), or up to an item that starts
    /// where `meet`'s guess is: then `Some(false)`, with the cursor there.
    /// Once past that guess, `meet` is told to stop. `stop` says to give up.
    fn items<T: Deserialize<'a>>(
        &mut self,
        out: &mut Vec<T>,
        meet: Option<&Second>,
        stop: Option<&AtomicBool>,
    ) -> Option<bool> {
        loop {
            if self.eat(b']')? {
                return Some(true);
            }
            if let Some(second) = meet {
                if self.pos == second.at {
                    return Some(false);
                }
                if self.pos > second.at && !second.stop.swap(true, Ordering::Relaxed) {
                    // Its bytes are this parse's to count now.
                    crate::store::shared::add_progress_of(None);
                }
            }
            if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                return None;
            }
            out.push(self.value()?);
            if !self.eat(b',')? {
                return self.eat(b']')?.then_some(true);
            }
        }
    }

    /// The events list; the items from `second`'s guess on are taken
    /// from it if this parse arrives there, between two items.
    fn events(&mut self, second: Option<Second>) -> Option<Vec<EventRec>> {
        if !self.eat(b'[')? {
            return None;
        }
        let mut out = Vec::new();
        let Some(mut second) = second else {
            self.items(&mut out, None, None)?;
            return Some(out);
        };
        crate::store::shared::add_progress_of(Some(Arc::clone(&second.parsed)));
        let ended = self.items(&mut out, Some(&second), None);
        // Met: its count goes on showing while it is waited for.
        let rest = (ended == Some(false))
            .then(|| second.handle.take()?.join().ok()?)
            .flatten();
        let Some((rest, end)) = rest else {
            crate::store::shared::add_progress_of(None);
            return ended.filter(|&closed| closed).map(|_| out);
        };
        out.extend(rest);
        self.pos = end;
        self.joined = true;
        crate::store::shared::parsed_up_to(end as u64);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{generate, to_ron};

    /// Parses `text` both ways, always trying to split; when the walk
    /// gives a store, ron must give the same one. Says whether the walk
    /// gave one and whether it used the second half.
    fn both_ways(text: &str) -> (bool, bool) {
        both_ways_from(text, text.len() / 2)
    }

    fn both_ways_from(text: &str, from: usize) -> (bool, bool) {
        let shared = Arc::new(Text::from(text.to_string()));
        let (walked, joined) = parse_guessing_from(&shared, None, Some(from));
        if let Some(walked) = &walked {
            let ron = ron_options().from_str::<StoreFile>(text);
            let ron = ron.expect("the walk took a store that ron refuses");
            assert!(walked == &ron, "the walk read the store differently");
        }
        (walked.is_some(), joined)
    }

    fn synthetic(events: usize, seed: u64) -> String {
        to_ron(&generate(events, seed))
    }

    /// What comes before the store's top-level fields, and each field
    /// with its text, in file order.
    fn fields(text: &str) -> (String, Vec<String>) {
        let mut head = String::new();
        let mut out: Vec<String> = Vec::new();
        for line in text.split_inclusive('\n') {
            let top = line.starts_with("    ") && !line.starts_with("     ");
            if top
                && line
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_lowercase())
            {
                out.push(String::new());
            }
            match out.last_mut() {
                _ if line.trim_end() == ")" => {}
                Some(field) => field.push_str(line),
                None => head.push_str(line),
            }
        }
        (head, out)
    }

    /// Each extension a file may enable: the walk reads the file as ron's
    /// whole-file parse does, or hands it to ron (a store with
    /// explicit_struct_names and an unnamed top level passed on two cores
    /// and failed on one).
    #[test]
    fn every_enabled_extension_is_read_as_ron_reads_it() {
        let body = synthetic(300, 5);
        for ext in [
            "unwrap_newtypes",
            "implicit_some",
            "unwrap_variant_newtypes",
            "explicit_struct_names",
        ] {
            let text = format!("#![enable({ext})]\n{body}");
            let ron_ok = ron_options().from_str::<StoreFile>(&text).is_ok();
            let (walked, _) = both_ways(&text);
            assert!(!walked || ron_ok, "{ext}: the walk took what ron refuses");
        }
        // Every struct named as explicit_struct_names asks, but the top
        // level: ron refuses it, so the walk must too.
        let pretty = ron::ser::PrettyConfig::new().struct_names(true);
        let named = ron::ser::to_string_pretty(&generate(300, 5), pretty).unwrap();
        let unnamed_top = named.strip_prefix("StoreFile").expect("a named top level");
        for text in [named.clone(), unnamed_top.to_string()] {
            let text = format!("#![enable(explicit_struct_names)]\n{text}");
            let ron_ok = ron_options().from_str::<StoreFile>(&text).is_ok();
            let (walked, _) = both_ways(&text);
            assert!(
                !walked || ron_ok,
                "the walk took an unnamed top level ron refuses"
            );
        }
    }

    #[test]
    fn a_store_one_item_a_line_is_read_in_two_halves_as_ron_reads_it() {
        let text = synthetic(400, 3);
        assert_eq!(both_ways(&text), (true, true));
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(both_ways(&crlf), (true, true));
    }

    #[test]
    fn progress_counts_the_bytes_both_halves_parsed() {
        let text = synthetic(4000, 10);
        let shared = Arc::new(Text::from(text.clone()));
        let reached = Arc::new(AtomicU64::new(0));
        let from = Some(text.len() / 2);
        // Watched as a loading screen would: it must never go back.
        let done = Arc::new(AtomicBool::new(false));
        let watch = {
            let (reached, done) = (Arc::clone(&reached), Arc::clone(&done));
            std::thread::spawn(move || {
                let mut seen = vec![0];
                while !done.load(Ordering::Relaxed) {
                    seen.push(reached.load(Ordering::Relaxed));
                    std::thread::sleep(std::time::Duration::from_micros(50));
                }
                seen
            })
        };
        let (file, joined) = parse_guessing_from(&shared, Some(Arc::clone(&reached)), from);
        done.store(true, Ordering::Relaxed);
        assert!(file.is_some() && joined);
        let seen = watch.join().expect("watched");
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "went back");
        // All but the few bytes between a half's last string and its end,
        // none twice.
        let (counted, len) = (reached.load(Ordering::Relaxed), text.len() as u64);
        assert!(
            counted > len * 99 / 100 && counted < len,
            "{counted} of {len}"
        );
    }

    #[test]
    fn a_second_half_dropped_unmet_is_told_to_stop() {
        let second = ended_second(7);
        let stop = Arc::clone(&second.stop);
        drop(second);
        assert!(stop.load(Ordering::Relaxed));
    }

    #[test]
    fn the_built_in_store_and_a_one_line_store_are_read_as_ron_reads_them() {
        let niger = include_str!("../../data/niger.ron");
        assert!(both_ways(niger).0);
        let one_line = ron_options()
            .to_string(&generate(200, 4))
            .expect("a store serialises");
        assert!(!one_line.contains('\n'));
        assert_eq!(both_ways(&one_line), (true, false));
    }

    #[test]
    fn fields_in_any_order_are_read_as_ron_reads_them() {
        let (head, fields) = fields(&synthetic(300, 5));
        assert_eq!(fields.len(), 7, "meta and six lists");
        let orders: [&[usize]; 4] = [
            &[4, 0, 1, 2, 3, 5, 6],
            &[6, 5, 4, 3, 2, 1, 0],
            &[1, 4, 0, 2, 3],
            &[0, 4],
        ];
        for order in orders {
            let mut text = head.clone();
            for &i in order {
                text.push_str(&fields[i]);
            }
            text.push(')');
            assert!(both_ways(&text).0, "order {order:?}");
        }
    }

    #[test]
    fn an_event_written_inside_a_string_is_not_taken_for_one() {
        // Summaries in raw strings that hold what looks like an event,
        // one to a line after a comma, where the second half is guessed.
        let fake = ",\n        (\n            id: \"fake\",\n            date: \"2020\",\n            \
                    title: \"inside a string\",\n            evidence: [],\n        ),\n        (";
        let text: String = synthetic(200, 6)
            .split_inclusive('\n')
            .map(|line| match line.strip_prefix("            summary: \"") {
                Some(rest) => format!(
                    "            summary: r#\"{}{fake}\"#,\n",
                    rest.trim_end().trim_end_matches("\",")
                ),
                None => line.to_string(),
            })
            .collect();
        let fake_at = text.find("id: \"fake\"").expect("a fake event");
        let from = fake_at - 40;
        let start = Cursor::start(&text).expect("a store");
        let guess = guess_item(&start, from).expect("a guess");
        assert!(guess < fake_at, "the guess is the fake event");
        assert_eq!(both_ways_from(&text, from), (true, false));
        assert!(both_ways(&text).0);
    }

    #[test]
    fn what_the_walk_does_not_take_is_left_to_ron() {
        let text = synthetic(300, 7);
        let cut = text.len() * 3 / 4;
        // Between two events.
        let line = cut + text[cut..].find(",\n        (\n").expect("an event") + 1;
        let with = |insert: &str| format!("{}{insert}{}", &text[..line], &text[line..]);
        // A comment holding `#`, a block comment, attributes where only the
        // file's first lines may have them, an unknown field, a missing
        // comma: none reaches a wrong store.
        let inserts = [
            "\n// see #12",
            "\n/* a, ( */",
            "\n#![enable(unwrap_newtypes)]",
            "\nbogus: 1,",
            "\n)",
        ];
        for insert in inserts {
            both_ways(&with(insert));
        }
        assert_eq!(both_ways(&format!("{text}\nbogus")), (false, true));
        let twice = text.replacen("meta:", "meta: (title: \"x\"),\n    meta:", 1);
        assert!(!both_ways(&twice).0);
    }

    #[test]
    fn a_large_store_loads_as_before_and_its_errors_point_where_they_did() {
        let text = synthetic(1200, 9);
        assert!(text.len() > MIN_SPLIT, "large enough to be split");
        let serial = ron_options().from_str::<StoreFile>(&text).expect("valid");
        let parsed = crate::store::load::parse(&text, "big.ron").expect("valid");
        assert!(parsed == serial);
        // An error in the second half of the events, reported by ron.
        let at = text.len() * 3 / 4;
        let at = at + text[at..].find("            title:").expect("an event");
        let broken = format!(
            "{}            colour: \"red\",\n{}",
            &text[..at],
            &text[at..]
        );
        let want = ron_options()
            .from_str::<StoreFile>(&broken)
            .unwrap_err()
            .span
            .start;
        let got = crate::store::load::parse(&broken, "big.ron").unwrap_err();
        let d = &got.diagnostics[0];
        assert_eq!((d.line, d.column), (want.line, want.col));
        assert!(d.message.contains("colour"), "{}", d.message);
    }

    #[test]
    fn comments_holding_a_hash_are_taken_and_attributes_are_not() {
        assert!(only_space_and_comments("\n  // see issue #42\n  "));
        assert!(only_space_and_comments(" /* a /* #7 */ b */ \u{2028}"));
        assert!(!only_space_and_comments("\n#![enable(unwrap_newtypes)]\n"));
        assert!(!only_space_and_comments("/* a */ #![type = \"x\"]"));
        assert!(!only_space_and_comments("/* never closed #"));
        let text = synthetic(300, 11);
        let cut = text.len() * 3 / 4;
        let line = cut + text[cut..].find(",\n        (\n").expect("an event") + 1;
        let with = format!("{}\n// see issue #42{}", &text[..line], &text[line..]);
        assert_eq!(both_ways(&with), (true, true));
        let after = format!("{text}\n// generated #1\n");
        assert_eq!(both_ways(&after), (true, true));
    }

    /// A `Second` whose thread has already ended, guessed at `at`.
    fn ended_second(at: usize) -> Second {
        Second {
            at,
            handle: Some(std::thread::spawn(|| None)),
            stop: Arc::new(AtomicBool::new(false)),
            parsed: Arc::new(AtomicU64::new(0)),
        }
    }

    #[test]
    fn the_second_half_is_told_to_stop_once_the_first_has_passed_its_guess() {
        let text = "[(a: 1), (a: 2), (a: 3)]";
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct A {
            a: u8,
        }
        let mut c = Cursor::start(text).expect("ron");
        assert_eq!(c.eat(b'['), Some(true));
        // A guess inside the second item: never arrived at, passed.
        let second = ended_second(text.find("a: 2").expect("there"));
        let mut out: Vec<A> = Vec::new();
        assert_eq!(c.items(&mut out, Some(&second), None), Some(true));
        assert_eq!(out.len(), 3);
        assert!(second.stop.load(Ordering::Relaxed), "told to stop");
        // Arrived at exactly: the first half stops there, between items.
        let mut c = Cursor::start(text).expect("ron");
        assert_eq!(c.eat(b'['), Some(true));
        let second = ended_second(text.find("(a: 3)").expect("there"));
        let mut out: Vec<A> = Vec::new();
        assert_eq!(c.items(&mut out, Some(&second), None), Some(false));
        assert_eq!((out.len(), c.pos), (2, second.at));
        assert!(!second.stop.load(Ordering::Relaxed));
        // Told to stop, the second half gives up before its next item.
        let mut c = Cursor::start(text).expect("ron");
        assert_eq!(c.eat(b'['), Some(true));
        let mut out: Vec<A> = Vec::new();
        assert_eq!(c.items(&mut out, None, Some(&AtomicBool::new(true))), None);
        assert!(out.is_empty());
    }

    #[test]
    fn the_second_half_starts_where_the_work_is_halved_not_the_bytes() {
        let uniform = "(id: \"x\"),\n".repeat(100_000);
        let m = middle_by_cost(&uniform) as f64 / uniform.len() as f64;
        assert!((0.49..0.51).contains(&m), "{m}");
        // Long lines (articles) then short ones (events), a megabyte each:
        // the short lines cost far more, so the middle is in them.
        let mixed = format!(
            "{}{}",
            format!("{}\n", "a".repeat(9_999)).repeat(100),
            "x: 1,\n".repeat(166_667)
        );
        let m = middle_by_cost(&mixed) as f64 / mixed.len() as f64;
        assert!((0.70..0.80).contains(&m), "{m}");
        assert_eq!(middle_by_cost(""), 0);
    }

    /// Random edits of a store, each parsed both ways: the walk never
    /// gives a store that ron would not give, nor a different one.
    #[test]
    fn edited_stores_are_never_read_differently() {
        let text = synthetic(120, 8);
        let bytes = text.as_bytes();
        let edits: &[&str] = &[
            "", ",", "(", ")", "[", "]", "\"", "#", "/", "\n", ":", "r#\"", "//", " ",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut taken, mut joined) = (0, 0);
        for _ in 0..400 {
            let mut at = next(bytes.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let len = if next(2) == 0 { 0 } else { next(3) };
            let end = char_floor(&text, at + len);
            let edited = format!(
                "{}{}{}",
                &text[..at],
                edits[next(edits.len())],
                &text[end..]
            );
            let (t, j) = both_ways(&edited);
            taken += usize::from(t);
            joined += usize::from(j && t);
        }
        assert!(
            taken > 100 && joined > 50,
            "taken {taken}, in two halves {joined}"
        );
    }
}
