//! The closest passage to quotes not found verbatim: 1,000 near-miss
//! quotes (a word changed, a word dropped, straight quotes for curly ones)
//! against one 1 MB article, made up here from a fixed vocabulary and a
//! fixed seed. Three benchmarks: indexing the article, the 1,000 quotes
//! against that index, and `annals check`'s path for them (a store of one
//! source and 1,000 events whose quotes all miss, loaded whole).

use std::sync::OnceLock;

use annals::evidence::closest::ArticleIndex;

fn main() {
    divan::main();
}

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

const WORDS: &[&str] = &[
    "the",
    "river",
    "rose",
    "over",
    "its",
    "banks",
    "and",
    "flooded",
    "valley",
    "towns",
    "officials",
    "said",
    "on",
    "Tuesday",
    "that",
    "rain",
    "had",
    "fallen",
    "for",
    "three",
    "days",
    "in",
    "north",
    "$100",
    "million",
    "damage",
    "roads",
    "bridges",
    "were",
    "closed",
    "residents",
    "left",
    "homes",
    "“worst”",
    "flood",
    "since",
    "1998",
    "according",
    "to",
    "agency",
    "which",
    "counted",
    "people",
    "displaced",
    "by",
    "water",
    "levels",
    "near",
    "record",
    "authorities’",
    "warned",
    "more",
];

struct Case {
    article: String,
    quotes: Vec<String>,
}

/// The article (1 MB) and 1,000 quotes of 8 to 30 of its words, each
/// with one near miss.
fn case() -> &'static Case {
    static CASE: OnceLock<Case> = OnceLock::new();
    CASE.get_or_init(|| {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut words: Vec<&str> = Vec::new();
        let mut len = 0;
        while len < 1 << 20 {
            let w = WORDS[rng.next(WORDS.len() as u64) as usize];
            len += w.len() + 1;
            words.push(w);
        }
        let article = words.join(" ");
        let quotes = (0..1000)
            .map(|i| {
                let n = 8 + rng.next(23) as usize;
                let at = rng.next((words.len() - n) as u64) as usize;
                let mut q: Vec<String> = words[at..at + n].iter().map(|w| w.to_string()).collect();
                let k = rng.next(n as u64) as usize;
                match i % 3 {
                    0 => q[k] = "$400".into(),
                    1 => {
                        q.remove(k);
                    }
                    _ => {
                        q[k] = format!("\"{}\"", q[k].trim_matches(['“', '”']));
                    }
                }
                q.join(" ")
            })
            .collect();
        Case { article, quotes }
    })
}

#[divan::bench(sample_count = 10)]
fn index_a_1mb_article() -> ArticleIndex {
    ArticleIndex::new(&case().article)
}

#[divan::bench(sample_count = 10)]
fn thousand_near_misses(b: divan::Bencher) {
    let c = case();
    let index = ArticleIndex::new(&c.article);
    b.bench(|| {
        c.quotes
            .iter()
            .filter(|q| index.closest(&c.article, q).is_some())
            .count()
    });
}

/// A store of the article and one event per quote, as `annals check`
/// reads it.
fn store() -> &'static String {
    static STORE: OnceLock<String> = OnceLock::new();
    STORE.get_or_init(|| {
        let c = case();
        let ron = |s: &str| ron::to_string(s).unwrap();
        let events: Vec<String> = (c.quotes.iter().enumerate())
            .map(|(i, q)| {
                format!(
                    "(id: \"e{i}\", date: \"2024\", title: \"E\", evidence: [(source: \"a\", quote: {})])",
                    ron(q)
                )
            })
            .collect();
        format!(
            "(meta: (title: \"t\"), sources: [(id: \"a\", outlet: \"o\", title: \"t\", text: {})], events: [{}])",
            ron(&c.article),
            events.join(",\n")
        )
    })
}

#[divan::bench(sample_count = 5)]
fn load_a_store_whose_1000_quotes_all_miss() -> usize {
    let e = annals::load_str(store(), "bench.ron").unwrap_err();
    e.diagnostics.len() + e.unlisted
}
