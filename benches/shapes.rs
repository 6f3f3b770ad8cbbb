//! Hostile input shapes: each reproduces an attack from the project's issue
//! 13 ("Bounded work on any input"), a store (or a query) built so that
//! loading, validating or searching it does far more work, or takes far
//! more memory, than its size warrants. Once that work is bounded, each of
//! these takes seconds at most, in memory a small multiple of the file.
//!
//! The shapes (sizes are those of the generated store text):
//!
//! - `deep_chain` (~1.1 MB, valid): 16,000 places, each `within` the one
//!   before, and a few events at the deepest place. Times load.
//! - `hub_actor` (~16 MB, valid): one actor with 100,000 relations to
//!   100,000 other actors. Times load.
//! - `unknown_refs` (~4.3 MB, invalid): 20,000 sources `src-N` and 20,000
//!   events citing `source-N`, so 20,000 unknown-id problems, each a "did
//!   you mean" among 40,000 ids. Times load (it fails).
//! - `one_line` (~11 MB, invalid): 100,000 events dated `2023-02-30`, the
//!   whole store on one line (no newlines), so every problem's column is
//!   far into one line. Times load (it fails).
//! - `long_ids` (~200 KB, invalid): an actor whose id is 100 KB, and an
//!   event naming it with a one-character typo. Times load (it fails).
//! - `big_article` (~100 MB, valid): one source of 100 MB of repeated
//!   sentences and one event quoting a sentence near the end, its
//!   whitespace differing from the article's (a line break and a double
//!   space where the quote has single spaces). Times load.
//! - `shifted_quotes` (~11 MB, valid): 20 sources of ~500 KB and 2,000
//!   events, each quoting its source with whitespace differing from the
//!   article. Times load.
//! - `quote_hub` (~2.3 MB, valid): one event with 30,000 quotes. Times load
//!   and, separately, `SearchIndex::build`.
//! - `base64_article` (~5 MB, valid): an article holding one 5 MB run of
//!   letters and digits (no spaces) among normal text. Times
//!   `SearchIndex::build`, and a search for a 43-character sentence.
//! - `paste_query` (the built-in store): one search with a 100,000-character
//!   query of random words, and one with a 3,000-character single word.
//!
//! Each input is generated in memory once, on first use, outside the timed
//! part. Run one shape with
//!
//! ```text
//! cargo bench --bench shapes -- deep_chain
//! ```
//!
//! and write every generated store to a directory, to try with
//! `annals check` (nothing is timed then):
//!
//! ```text
//! ANNALS_SHAPES_DIR=/tmp/shapes cargo bench --bench shapes
//! ```

use std::fmt::Write as _;
use std::sync::OnceLock;

use annals::{LoadError, Model, SearchIndex};

fn main() {
    if let Some(dir) = std::env::var_os("ANNALS_SHAPES_DIR") {
        dump(std::path::Path::new(&dir));
        return;
    }
    divan::main();
}

/// A shape's generator: the store text.
type Generate = fn() -> String;

/// Every generated store, by name.
const SHAPES: &[(&str, Generate)] = &[
    ("deep_chain", gen_deep_chain),
    ("hub_actor", gen_hub_actor),
    ("unknown_refs", gen_unknown_refs),
    ("one_line", gen_one_line),
    ("long_ids", gen_long_ids),
    ("big_article", gen_big_article),
    ("shifted_quotes", gen_shifted_quotes),
    ("quote_hub", gen_quote_hub),
    ("base64_article", gen_base64_article),
];

/// Writes each shape's store to `dir/NAME.ron` and its size to stdout.
fn dump(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).expect("the directory can be created");
    for (name, generate) in SHAPES {
        let text = generate();
        let path = dir.join(format!("{name}.ron"));
        std::fs::write(&path, &text).expect("the directory is writable");
        println!("{name}: {} bytes, {}", text.len(), path.display());
    }
}

// ---------------------------------------------------------------------------
// Generation helpers

/// A small deterministic generator (xorshift64*), so every run builds the
/// same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The start of a store, up to and including `sources: [`.
fn open_store(out: &mut String, title: &str) {
    write!(out, "(\n    meta: (title: \"{title}\"),\n    sources: [\n").unwrap();
}

/// One source; `text` is written as a raw string and must not hold `"#`.
fn source(out: &mut String, id: &str, text: &str) {
    debug_assert!(!text.contains("\"#"));
    writeln!(
        out,
        "        (id: \"{id}\", outlet: \"Bench Wire\", title: \"Report {id}\", text: r#\"{text}\"#),"
    )
    .unwrap();
}

/// A plain text, and a quote that occurs in it verbatim.
const WORDS_TEXT: &str = "Words here.";
const WORDS_QUOTE: &str = "Words";

/// A store's text, generated once per run.
fn cached(cell: &'static OnceLock<String>, generate: Generate) -> &'static str {
    cell.get_or_init(generate)
}

/// Loads a store that must be valid; on failure names the first problem
/// (the whole error may be millions of lines).
fn load_valid(text: &str, name: &str) -> Model {
    match annals::load_str(text, name) {
        Ok(m) => m,
        Err(e) => panic!("{name} should be valid: {}", first_problem(&e)),
    }
}

fn first_problem(e: &LoadError) -> String {
    let n = e.diagnostics.len();
    match e.diagnostics.first() {
        Some(d) => {
            let msg: String = d.message.chars().take(300).collect();
            format!("{n} problem(s), first {}:{}: {msg}", d.line, d.column)
        }
        None => "an error with no diagnostics".to_string(),
    }
}

// ---------------------------------------------------------------------------
// The shapes

/// 16,000 places, each within the previous one, and 5 events at the
/// deepest place.
fn gen_deep_chain() -> String {
    const N: usize = 16_000;
    let mut out = String::with_capacity(1_300_000);
    open_store(&mut out, "deep chain");
    source(&mut out, "s", WORDS_TEXT);
    out.push_str("    ],\n    places: [\n");
    for i in 0..N {
        write!(out, "    (id: \"p-{i:05}\", name: \"P{i}\", kind: \"area\"").unwrap();
        if i > 0 {
            write!(out, ", within: \"p-{:05}\"", i - 1).unwrap();
        }
        out.push_str("),\n");
    }
    out.push_str("    ],\n    events: [\n");
    for e in 0..5 {
        writeln!(
            out,
            "        (id: \"event-{e}\", date: \"2024-01-0{}\", title: \"Event {e}\", places: [\"p-{:05}\"], \
             evidence: [(source: \"s\", quote: \"{WORDS_QUOTE}\")]),",
            e + 1,
            N - 1
        )
        .unwrap();
    }
    out.push_str("    ],\n)\n");
    out
}

/// One actor with 100,000 relations to 100,000 other actors.
fn gen_hub_actor() -> String {
    const N: usize = 100_000;
    let mut out = String::with_capacity(14_000_000);
    open_store(&mut out, "hub actor");
    source(&mut out, "s", WORDS_TEXT);
    out.push_str("    ],\n    actors: [\n");
    out.push_str("        (id: \"hub\", name: \"Hub\", kind: \"government\"),\n");
    for i in 0..N {
        writeln!(
            out,
            "        (id: \"a-{i}\", name: \"Actor {i}\", kind: \"person\"),"
        )
        .unwrap();
    }
    out.push_str("    ],\n    relations: [\n");
    for i in 0..N {
        writeln!(
            out,
            "        (from: \"hub\", to: \"a-{i}\", kind: \"knows\", evidence: [(source: \"s\", quote: \"{WORDS_QUOTE}\")]),"
        )
        .unwrap();
    }
    out.push_str("    ],\n)\n");
    out
}

/// INVALID: 20,000 sources `src-N` and 20,000 events citing `source-N`.
fn gen_unknown_refs() -> String {
    const N: usize = 20_000;
    let mut out = String::with_capacity(4_500_000);
    open_store(&mut out, "unknown refs");
    for i in 0..N {
        source(&mut out, &format!("src-{i}"), WORDS_TEXT);
    }
    out.push_str("    ],\n    events: [\n");
    for i in 0..N {
        writeln!(
            out,
            "        (id: \"event-{i}\", date: \"2024\", title: \"Event {i}\", \
             evidence: [(source: \"source-{i}\", quote: \"{WORDS_QUOTE}\")]),"
        )
        .unwrap();
    }
    out.push_str("    ],\n)\n");
    out
}

/// INVALID: 100,000 events dated 2023-02-30, all on one line.
fn gen_one_line() -> String {
    const N: usize = 100_000;
    let mut out = String::with_capacity(12_000_000);
    out.push_str("(meta: (title: \"one line\"), sources: [");
    write!(
        out,
        "(id: \"s\", outlet: \"Bench Wire\", title: \"Report\", text: \"{WORDS_TEXT}\")"
    )
    .unwrap();
    out.push_str("], events: [");
    for i in 0..N {
        write!(
            out,
            "(id: \"event-{i}\", date: \"2023-02-30\", title: \"Event {i}\", \
             evidence: [(source: \"s\", quote: \"{WORDS_QUOTE}\")]), "
        )
        .unwrap();
    }
    out.push_str("])");
    debug_assert!(!out.contains('\n'));
    out
}

/// INVALID: an actor with a 100 KB id, and an event naming it with one
/// character changed.
fn gen_long_ids() -> String {
    const LEN: usize = 100_000;
    let id: String = "abcdefghij".repeat(LEN / 10);
    let mut typo = id.clone().into_bytes();
    typo[LEN / 2] = b'z';
    let typo = String::from_utf8(typo).unwrap();
    let mut out = String::with_capacity(2 * LEN + 1_000);
    open_store(&mut out, "long ids");
    source(&mut out, "s", WORDS_TEXT);
    out.push_str("    ],\n    actors: [\n");
    writeln!(
        out,
        "        (id: \"{id}\", name: \"Long\", kind: \"person\"),"
    )
    .unwrap();
    out.push_str("        (id: \"short\", name: \"Short\", kind: \"person\"),\n");
    out.push_str("    ],\n    events: [\n");
    writeln!(
        out,
        "        (id: \"event\", date: \"2024\", title: \"Event\", actors: [\"{typo}\"], \
         evidence: [(source: \"s\", quote: \"{WORDS_QUOTE}\")]),"
    )
    .unwrap();
    out.push_str("    ],\n)\n");
    out
}

/// A 100 MB article of repeated sentences, sharing their first words with
/// the one quoted near the end, and one event quoting that one with single
/// spaces where the article has a line break and a double space.
fn gen_big_article() -> String {
    const SIZE: usize = 100_000_000;
    const FILLER: &str = "The convoy left the base at dawn and\ndrove north along the river road. ";
    const TARGET: &str = "The convoy left the base at dusk and\ndrove  south to the border post. ";
    const QUOTE: &str = "The convoy left the base at dusk and drove south to the border post.";
    let mut text = String::with_capacity(SIZE + 1_000);
    while text.len() < SIZE - 10 * FILLER.len() {
        text.push_str(FILLER);
    }
    text.push_str(TARGET);
    for _ in 0..5 {
        text.push_str(FILLER);
    }
    let mut out = String::with_capacity(text.len() + 1_000);
    open_store(&mut out, "big article");
    source(&mut out, "s", &text);
    drop(text);
    out.push_str("    ],\n    events: [\n");
    writeln!(
        out,
        "        (id: \"event\", date: \"2024\", title: \"Event\", evidence: [(source: \"s\", quote: \"{QUOTE}\")]),"
    )
    .unwrap();
    out.push_str("    ],\n)\n");
    out
}

/// Sentence `k` of report `r`, its words joined by `sep(j)` after word `j`.
fn shifted_sentence(out: &mut String, r: usize, k: usize, sep: impl Fn(usize) -> &'static str) {
    let words = [
        "In".to_string(),
        "report".to_string(),
        format!("{r},"),
        "item".to_string(),
        format!("{k}"),
        "says".to_string(),
        "the".to_string(),
        "patrol".to_string(),
        "reached".to_string(),
        "checkpoint".to_string(),
        format!("{k}"),
        "before".to_string(),
        "noon.".to_string(),
    ];
    for (j, w) in words.iter().enumerate() {
        out.push_str(w);
        out.push_str(if j + 1 == words.len() { " " } else { sep(j) });
    }
}

/// 20 sources of ~500 KB and 2,000 events, each quoting a sentence of its
/// source that the article writes with a line break and a double space.
fn gen_shifted_quotes() -> String {
    const SOURCES: usize = 20;
    const SOURCE_SIZE: usize = 500_000;
    const EVENTS_PER_SOURCE: usize = 100;
    // Sentences are ~75 bytes: ~6,600 per source.
    let per_source = SOURCE_SIZE / 75;
    let stride = per_source / EVENTS_PER_SOURCE;
    let mut out = String::with_capacity(SOURCES * SOURCE_SIZE + 1_000_000);
    open_store(&mut out, "shifted quotes");
    for r in 0..SOURCES {
        let mut text = String::with_capacity(SOURCE_SIZE + 1_000);
        for k in 0..per_source {
            // Every sentence breaks its line after one word and doubles a
            // space after another; the quotes have single spaces.
            let nl = k % 6;
            let dbl = 6 + k % 5;
            shifted_sentence(&mut text, r, k, |j| {
                if j == nl {
                    "\n"
                } else if j == dbl {
                    "  "
                } else {
                    " "
                }
            });
        }
        source(&mut out, &format!("report-{r}"), &text);
    }
    out.push_str("    ],\n    events: [\n");
    for r in 0..SOURCES {
        for e in 0..EVENTS_PER_SOURCE {
            // Spread over the article, the last ones near its end.
            let k = e * stride + stride - 1;
            let mut quote = String::new();
            shifted_sentence(&mut quote, r, k, |_| " ");
            let quote = quote.trim_end();
            writeln!(
                out,
                "        (id: \"event-{r}-{e}\", date: \"2024\", title: \"Event {r} {e}\", \
                 evidence: [(source: \"report-{r}\", quote: \"{quote}\")]),"
            )
            .unwrap();
        }
    }
    out.push_str("    ],\n)\n");
    out
}

/// One event with 30,000 quotes, all of one source.
fn gen_quote_hub() -> String {
    const N: usize = 30_000;
    let mut text = String::with_capacity(N * 20);
    for i in 0..N {
        write!(text, "Item {i} is here. ").unwrap();
    }
    let mut out = String::with_capacity(text.len() + N * 40 + 1_000);
    open_store(&mut out, "quote hub");
    source(&mut out, "s", &text);
    out.push_str("    ],\n    events: [\n");
    out.push_str("        (id: \"event\", date: \"2024\", title: \"Event\", evidence: [\n");
    for i in 0..N {
        writeln!(
            out,
            "            (source: \"s\", quote: \"Item {i} is here.\"),"
        )
        .unwrap();
    }
    out.push_str("        ]),\n    ],\n)\n");
    out
}

/// An article with one 5 MB run of letters and digits among normal text.
fn gen_base64_article() -> String {
    const RUN: usize = 5_000_000;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = Rng(0x05ee_db64);
    let mut text = String::with_capacity(RUN + 10_000);
    let para = "The quick brown fox jumps over the lazy dog near the old mill. \
                Officials said the attachment below was sent by the ministry.\n";
    for _ in 0..20 {
        text.push_str(para);
    }
    text.push_str("Attachment: ");
    text.extend((0..RUN).map(|_| ALPHABET[rng.below(ALPHABET.len())] as char));
    text.push('\n');
    for _ in 0..20 {
        text.push_str(para);
    }
    let mut out = String::with_capacity(text.len() + 1_000);
    open_store(&mut out, "base64 article");
    source(&mut out, "s", &text);
    out.push_str("    ],\n    events: [\n");
    out.push_str(
        "        (id: \"event\", date: \"2024\", title: \"Attachment sent\", \
         evidence: [(source: \"s\", quote: \"Officials said the attachment below was sent by the ministry.\")]),\n",
    );
    out.push_str("    ],\n)\n");
    out
}

/// A query of random words, `len` characters long.
fn random_words_query(len: usize) -> String {
    const VOCAB: &[&str] = &[
        "niger",
        "junta",
        "troops",
        "base",
        "air",
        "withdrawal",
        "russian",
        "american",
        "military",
        "coup",
        "agadez",
        "niamey",
        "drone",
        "personnel",
        "ministry",
        "statement",
        "report",
        "the",
        "of",
        "and",
        "wagner",
        "sahel",
        "security",
        "government",
        "france",
        "embassy",
        "xqzv",
        "lorem",
        "ipsum",
        "goverment",
        "soldiers",
        "agreement",
    ];
    let mut rng = Rng(0x9a57e);
    let mut q = String::with_capacity(len + 16);
    while q.len() < len {
        if !q.is_empty() {
            q.push(' ');
        }
        q.push_str(VOCAB[rng.below(VOCAB.len())]);
    }
    q.truncate(len);
    q
}

/// A single word of `len` random lowercase letters.
fn random_word(len: usize) -> String {
    let mut rng = Rng(0x1e77e5);
    (0..len)
        .map(|_| (b'a' + rng.below(26) as u8) as char)
        .collect()
}

// ---------------------------------------------------------------------------
// The benchmarks

/// 16,000 nested places. Bounded: well under a second, memory a small
/// multiple of the file (seconds at most).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn deep_chain(bencher: divan::Bencher) {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = cached(&TEXT, gen_deep_chain);
    bencher.bench(|| load_valid(text, "deep_chain"));
}

/// 100,000 relations of one actor. Bounded: seconds at most, memory a
/// small multiple of the file.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn hub_actor(bencher: divan::Bencher) {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = cached(&TEXT, gen_hub_actor);
    bencher.bench(|| load_valid(text, "hub_actor"));
}

/// 20,000 unknown source ids, each with a "did you mean". Bounded: seconds
/// at most, memory a small multiple of the file (the report included).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn unknown_refs(bencher: divan::Bencher) {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = cached(&TEXT, gen_unknown_refs);
    bencher.bench(|| annals::load_str(text, "unknown_refs").is_err());
}

/// 100,000 impossible dates on one line. Bounded: seconds at most, memory
/// a small multiple of the file (the report included).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn one_line(bencher: divan::Bencher) {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = cached(&TEXT, gen_one_line);
    bencher.bench(|| annals::load_str(text, "one_line").is_err());
}

/// A typo in a 100 KB id. Bounded: well under a second (no 100 KB x 100 KB
/// edit distance), memory a small multiple of the file.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn long_ids(bencher: divan::Bencher) {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = cached(&TEXT, gen_long_ids);
    bencher.bench(|| annals::load_str(text, "long_ids").is_err());
}

/// A quote near the end of a 100 MB article, its whitespace shifted.
/// Bounded: seconds at most, memory a small multiple of the file.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn big_article(bencher: divan::Bencher) {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = cached(&TEXT, gen_big_article);
    bencher.bench(|| load_valid(text, "big_article"));
}

/// 2,000 whitespace-shifted quotes in 20 articles of 500 KB. Bounded:
/// seconds at most, memory a small multiple of the file.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn shifted_quotes(bencher: divan::Bencher) {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = cached(&TEXT, gen_shifted_quotes);
    bencher.bench(|| load_valid(text, "shifted_quotes"));
}

static QUOTE_HUB: OnceLock<String> = OnceLock::new();

/// One event with 30,000 quotes. Bounded: seconds at most for load and for
/// the index, memory a small multiple of the file.
mod quote_hub {
    use super::*;

    /// Load (parse + validate). Bounded: seconds at most, memory a small
    /// multiple of the file.
    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn load(bencher: divan::Bencher) {
        let text = cached(&QUOTE_HUB, gen_quote_hub);
        bencher.bench(|| load_valid(text, "quote_hub"));
    }

    /// `SearchIndex::build`. Bounded: seconds at most, memory a small
    /// multiple of the file.
    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn index(bencher: divan::Bencher) {
        static MODEL: OnceLock<Model> = OnceLock::new();
        let model =
            MODEL.get_or_init(|| load_valid(cached(&QUOTE_HUB, gen_quote_hub), "quote_hub"));
        bencher.bench(|| SearchIndex::build(model));
    }
}

/// The base64 store, loaded once.
fn base64_model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| load_valid(&gen_base64_article(), "base64_article"))
}

/// A 5 MB run of letters and digits in an article. Bounded: seconds at
/// most for the index, milliseconds for a search, memory a small multiple
/// of the file.
mod base64_article {
    use super::*;

    /// `SearchIndex::build`. Bounded: seconds at most, memory a small
    /// multiple of the file.
    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn index(bencher: divan::Bencher) {
        let model = base64_model();
        bencher.bench(|| SearchIndex::build(model));
    }

    /// One search for a 43-character sentence, best 100. Bounded:
    /// milliseconds (seconds at most), memory a small multiple of the file.
    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn search(bencher: divan::Bencher) {
        static INDEX: OnceLock<SearchIndex> = OnceLock::new();
        let model = base64_model();
        let index = INDEX.get_or_init(|| SearchIndex::build(model));
        bencher.bench(|| index.search(model, "the quick brown fox jumps over the lazy dog", 100));
    }
}

/// The built-in store and its index, loaded once.
fn builtin() -> &'static (Model, SearchIndex) {
    static BUILTIN: OnceLock<(Model, SearchIndex)> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        let model = annals::load_builtin().expect("the built-in store is valid");
        let index = SearchIndex::build(&model);
        (model, index)
    })
}

/// A pasted query against the built-in store. Bounded: milliseconds
/// (seconds at most), memory a small multiple of the query.
mod paste_query {
    use super::*;

    /// 100,000 characters of random words. Bounded: milliseconds (seconds
    /// at most), memory a small multiple of the query.
    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn words_100k(bencher: divan::Bencher) {
        static QUERY: OnceLock<String> = OnceLock::new();
        let query = QUERY.get_or_init(|| random_words_query(100_000));
        let (model, index) = builtin();
        bencher.bench(|| index.search(model, query, 100));
    }

    /// One 3,000-character word. Bounded: milliseconds (seconds at most),
    /// memory a small multiple of the query.
    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn word_3k(bencher: divan::Bencher) {
        static QUERY: OnceLock<String> = OnceLock::new();
        let query = QUERY.get_or_init(|| random_word(3_000));
        let (model, index) = builtin();
        bencher.bench(|| index.search(model, query, 100));
    }
}
