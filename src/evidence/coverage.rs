//! How much of each source the store uses: the byte ranges its events,
//! relations and claims quote, and the sentences no quote touches that hold
//! a date, a number or the name of a stored actor (the evidence not yet
//! taken). One pass over each source's text; actor names are found with one
//! automaton for all of them, not actor by actor.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use unicode_segmentation::UnicodeSegmentation;

use crate::evidence::date::MONTH_NAMES;
use crate::model::{Ix, Model, Quote};
use crate::search::tokens::{fold_word, is_joiner, words};

/// Why a sentence no quote touches is worth a look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    Date,
    Number,
    Actor(Ix),
}

/// A sentence no quote touches, and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unused {
    pub span: Range<usize>,
    pub reasons: Vec<Reason>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceCoverage {
    pub source: Ix,
    /// Byte ranges quoted by events, relations or claims; sorted, merged.
    pub quoted: Vec<Range<usize>>,
    pub quoted_bytes: usize,
    pub text_bytes: usize,
    /// Events quoting it, in chronological order.
    pub events: Vec<Ix>,
    /// Sentences holding a date, a number or a stored actor's name, not quoted.
    pub unused: Vec<Unused>,
}

impl SourceCoverage {
    /// The share of the text quoted, in percent (0 for an empty text).
    pub fn percent(&self) -> f64 {
        if self.text_bytes == 0 {
            return 0.0;
        }
        self.quoted_bytes as f64 * 100.0 / self.text_bytes as f64
    }
}

/// The sentences of `text` as byte ranges (Unicode sentence boundaries; a
/// line break ends one too), without their surrounding white space. A
/// boundary after an abbreviation on the same line ("U.S. Troops", "Gen.
/// Tiani") is not one.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (at, s) in text.split_sentence_bound_indices() {
        let lead = s.len() - s.trim_start().len();
        let body = s.trim();
        if body.is_empty() {
            continue;
        }
        let r = at + lead..at + lead + body.len();
        match out.last_mut() {
            Some(last)
                if ends_abbreviated(&text[last.clone()])
                    && !text[last.end..r.start].contains('\n') =>
            {
                last.end = r.end
            }
            _ => out.push(r),
        }
    }
    out
}

/// Titles and initials written with a full stop.
const ABBREVIATIONS: [&str; 12] = [
    "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Gen.", "Col.", "Lt.", "Sgt.", "Gov.", "Sen.", "Rep.",
];

/// Whether a sentence ends on an abbreviation: a title, or initials such
/// as "U.S." (letters each followed by a full stop).
fn ends_abbreviated(sentence: &str) -> bool {
    let last = sentence.rsplit(char::is_whitespace).next().unwrap_or("");
    if ABBREVIATIONS.contains(&last) {
        return true;
    }
    let chars: Vec<char> = last.chars().collect();
    chars.len() >= 4
        && chars.len().is_multiple_of(2)
        && chars.chunks(2).all(|p| p[0].is_uppercase() && p[1] == '.')
}

/// The coverage of one source.
pub fn of_source(model: &Model, source: Ix) -> SourceCoverage {
    let quotes = all_quotes(model).filter(|q| q.source == source);
    let spans = quotes.map(|q| q.span.clone()).collect();
    build(model, source, spans, &Names::of(model))
}

/// The coverage of every source, in store order: the quotes are read once
/// and the names' automaton built once.
pub fn of_store(model: &Model) -> Vec<SourceCoverage> {
    let mut spans: Vec<Vec<Range<usize>>> = vec![Vec::new(); model.sources.len()];
    for q in all_quotes(model) {
        if let Some(list) = spans.get_mut(q.source as usize) {
            list.push(q.span.clone());
        }
    }
    let names = Names::of(model);
    spans
        .into_iter()
        .enumerate()
        .map(|(i, s)| build(model, i as Ix, s, &names))
        .collect()
}

fn all_quotes(model: &Model) -> impl Iterator<Item = &Quote> {
    let events = model.events.iter().flat_map(|e| &e.evidence);
    let relations = model.relations.iter().flat_map(|r| &r.evidence);
    let claims = model.claims.iter().flat_map(|c| &c.evidence);
    events.chain(relations).chain(claims)
}

fn build(model: &Model, source: Ix, spans: Vec<Range<usize>>, names: &Names) -> SourceCoverage {
    let text = model.source(source).text.as_str();
    let quoted = merge(spans, text.len());
    let quoted_bytes = quoted.iter().map(|r| r.len()).sum();
    let mut unused = Vec::new();
    let mut reasons = reasons_by_sentence(text, names);
    let mut q = 0;
    for (span, why) in reasons.drain(..) {
        while q < quoted.len() && quoted[q].end <= span.start {
            q += 1;
        }
        let touched = quoted.get(q).is_some_and(|r| r.start < span.end);
        if !touched && !why.is_empty() {
            unused.push(Unused { span, reasons: why });
        }
    }
    SourceCoverage {
        source,
        quoted,
        quoted_bytes,
        text_bytes: text.len(),
        events: model.events_citing_source(source).to_vec(),
        unused,
    }
}

/// Ranges sorted and merged where they touch or overlap; clamped to the text.
fn merge(mut spans: Vec<Range<usize>>, len: usize) -> Vec<Range<usize>> {
    spans.retain(|r| r.start < r.end.min(len));
    spans.sort_unstable_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for r in spans {
        let r = r.start..r.end.min(len);
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Each sentence with what it holds (possibly nothing), in text order.
fn reasons_by_sentence(text: &str, names: &Names) -> Vec<(Range<usize>, Vec<Reason>)> {
    let mut out: Vec<(Range<usize>, Vec<Reason>)> = sentences(text)
        .into_iter()
        .map(|s| (s, Vec::new()))
        .collect();
    let mut found: Vec<(usize, Reason)> = dated_and_numbered(text);
    found.extend(names.find(text));
    found.sort_unstable_by_key(|&(at, _)| at);
    let mut s = 0;
    for (at, why) in found {
        while s < out.len() && out[s].0.end <= at {
            s += 1;
        }
        if let Some((span, list)) = out.get_mut(s)
            && span.start <= at
        {
            list.push(why);
        }
    }
    for (_, list) in &mut out {
        list.sort_unstable();
        list.dedup();
    }
    out
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Numbers in words that count as numbers ("one" is too common to).
const NUMBER_WORDS: [&str; 26] = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "dozen",
    "dozens",
    "half",
];

/// Where the text names a date (a month, a weekday, a year, an ISO date)
/// or a number (digits or a number word).
fn dated_and_numbered(text: &str) -> Vec<(usize, Reason)> {
    let tokens: Vec<(usize, &str)> = words(text).collect();
    let starts_digit = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|(_, w)| w.starts_with(|c: char| c.is_ascii_digit()))
    };
    let month = |i: usize| tokens.get(i).is_some_and(|(_, w)| MONTH_NAMES.contains(w));
    let mut out = Vec::new();
    for (i, &(at, w)) in tokens.iter().enumerate() {
        let near_digit = starts_digit(i + 1) || (i > 0 && starts_digit(i - 1));
        let near_month = month(i + 1) || (i > 0 && month(i - 1));
        // "19 September", "September 19": a day of the month.
        let day = w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()) && near_month;
        if day || is_date(w, near_digit) {
            out.push((at, Reason::Date));
        } else if w.contains(|c: char| c.is_ascii_digit())
            || NUMBER_WORDS.contains(&fold_word(w).as_str())
        {
            out.push((at, Reason::Number));
        }
    }
    out
}

/// A word naming a date. "May" is a month only beside a number ("May 5",
/// "May 2023"): otherwise it is the verb.
fn is_date(word: &str, near_digit: bool) -> bool {
    if is_year_or_iso(word) {
        return true;
    }
    // "mid-March", "Monday's": the parts between joiners.
    word.split(is_joiner).any(|part| {
        WEEKDAYS.contains(&part) || (MONTH_NAMES.contains(&part) && (part != "May" || near_digit))
    })
}

/// 1000 to 2199, "1990s", or an ISO date starting with such a year.
fn is_year_or_iso(word: &str) -> bool {
    let b = word.as_bytes();
    if b.len() < 4 || !b[..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let year_like = (b"10".as_slice()..=b"21".as_slice()).contains(&&b[..2]);
    let rest = &word[4..];
    year_like
        && (rest.is_empty()
            || rest == "s"
            || (rest.starts_with('-') && rest[1..].starts_with(|c: char| c.is_ascii_digit())))
}

/// The stored actors' names and aliases, folded, in one automaton.
struct Names {
    automaton: Option<AhoCorasick>,
    /// Per pattern: the actors it names, and whether it is an acronym.
    patterns: Vec<(Vec<Ix>, bool)>,
}

/// A word part of a normalised text: where it is in the normalised text
/// and in the original.
struct Part {
    norm: Range<usize>,
    orig: Range<usize>,
}

/// The text's words folded (case, accents), split at hyphens and
/// apostrophes, dots dropped (`U.S.` is `us`), joined by single spaces:
/// a name matches across line breaks and whatever case it is printed in.
fn normalise(text: &str) -> (String, Vec<Part>) {
    let mut norm = String::with_capacity(text.len());
    let mut parts = Vec::new();
    for (at, w) in words(text) {
        let mut from = 0;
        for (i, c) in w.char_indices().chain([(w.len(), '-')]) {
            if !(is_joiner(c) && c != '.') {
                continue;
            }
            let folded: String = fold_word(&w[from..i])
                .chars()
                .filter(|&c| c != '.')
                .collect();
            if !folded.is_empty() {
                if !norm.is_empty() {
                    norm.push(' ');
                }
                let start = norm.len();
                norm.push_str(&folded);
                parts.push(Part {
                    norm: start..norm.len(),
                    orig: at + from..at + i,
                });
            }
            from = i + c.len_utf8();
        }
    }
    (norm, parts)
}

/// A name with no lower-case letter ("US", "UN"): printed in lower case it
/// is another word ("us"), so it matches only where the text has it in
/// capitals.
fn is_acronym(name: &str) -> bool {
    name.chars().any(char::is_alphabetic) && !name.chars().any(char::is_lowercase)
}

impl Names {
    fn of(model: &Model) -> Names {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut keys: Vec<String> = Vec::new();
        let mut patterns: Vec<(Vec<Ix>, bool)> = Vec::new();
        for (i, a) in model.actors.iter().enumerate() {
            for name in std::iter::once(&a.name).chain(&a.aliases) {
                let key = normalise(name).0;
                if key.is_empty() {
                    continue;
                }
                let p = *index.entry(key.clone()).or_insert_with(|| {
                    keys.push(key);
                    patterns.push((Vec::new(), true));
                    patterns.len() - 1
                });
                let (actors, acronym) = &mut patterns[p];
                if actors.last() != Some(&(i as Ix)) {
                    actors.push(i as Ix);
                }
                *acronym &= is_acronym(name);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keys)
            .ok();
        Names {
            automaton,
            patterns,
        }
    }

    /// Where the text names a stored actor: whole words only.
    fn find(&self, text: &str) -> Vec<(usize, Reason)> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let (norm, parts) = normalise(text);
        let mut out = Vec::new();
        for m in ac.find_iter(&norm) {
            let first = parts.partition_point(|p| p.norm.start < m.start());
            let last = parts.partition_point(|p| p.norm.end < m.end());
            let (Some(a), Some(b)) = (parts.get(first), parts.get(last)) else {
                continue;
            };
            if a.norm.start != m.start() || b.norm.end != m.end() {
                continue;
            }
            let (actors, acronym) = &self.patterns[m.pattern().as_usize()];
            if *acronym && text[a.orig.start..b.orig.end].contains(char::is_lowercase) {
                continue;
            }
            out.extend(actors.iter().map(|&x| (a.orig.start, Reason::Actor(x))));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(text: &str, quote: &str, actors: &str) -> Model {
        let ron = format!(
            r##"(meta: (title: "t"),
            sources: [(id: "s", outlet: "o", title: "t", text: r#"{text}"#)],
            actors: [{actors}],
            events: [(id: "e", date: "2024", title: "E",
                evidence: [(source: "s", quote: "{quote}")])])"##
        );
        crate::load_str(&ron, "t.ron").unwrap()
    }

    fn spans<'a>(text: &'a str, c: &SourceCoverage) -> Vec<&'a str> {
        c.unused.iter().map(|u| &text[u.span.clone()]).collect()
    }

    #[test]
    fn sentences_end_at_stops_and_line_breaks() {
        let text = "U.S. Troops left. Then Gen. Tiani spoke!\nTitle line U.S.\n\n  Last one? ";
        let s: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            s,
            [
                "U.S. Troops left.",
                "Then Gen. Tiani spoke!",
                "Title line U.S.",
                "Last one?"
            ]
        );
        assert!(sentences("  \n ").is_empty());
    }

    #[test]
    fn quoted_ranges_merge_and_count_bytes() {
        assert_eq!(
            merge(vec![5..9, 0..3, 2..4, 9..10, 20..30], 25),
            [0..4, 5..10, 20..25]
        );
        let text = "The river rose. It rained.";
        let m = store(text, "river rose", "");
        let c = of_source(&m, 0);
        assert_eq!(c.quoted, vec![4usize..14]);
        assert_eq!((c.quoted_bytes, c.text_bytes), (10, text.len()));
        assert_eq!(c.events, [0]);
        assert!((c.percent() - 1000.0 / text.len() as f64).abs() < 1e-9);
    }

    #[test]
    fn unused_sentences_hold_dates_numbers_or_actors_and_no_quote() {
        let text = "The river rose on 3 May. Nothing here. On Monday the Red Cross came. \
                    It was 2024-03-15. Twelve houses fell. The Cross left in March. \
                    We may go. They told us.";
        let m = store(
            text,
            "river rose",
            r#"(id: "rc", name: "Red Cross", kind: "ngo", aliases: ["the Cross"]),
               (id: "us", name: "United States", aliases: ["US"], kind: "state")"#,
        );
        let c = of_source(&m, 0);
        assert_eq!(
            spans(text, &c),
            [
                "On Monday the Red Cross came.",
                "It was 2024-03-15.",
                "Twelve houses fell.",
                "The Cross left in March."
            ]
        );
        let reasons: Vec<&[Reason]> = c.unused.iter().map(|u| &u.reasons[..]).collect();
        assert_eq!(
            reasons,
            [
                &[Reason::Date, Reason::Actor(0)][..],
                &[Reason::Date][..],
                &[Reason::Number][..],
                &[Reason::Date, Reason::Actor(0)][..],
            ]
        );
    }

    #[test]
    fn names_match_folded_across_lines_as_whole_words_and_acronyms_in_capitals() {
        let m = store(
            "Ok.",
            "Ok",
            r#"(id: "us", name: "United States", aliases: ["US", "U.S."], kind: "state"),
               (id: "ac", name: "Aérienne Base", kind: "base")"#,
        );
        let names = Names::of(&m);
        let found =
            |t: &str| -> Vec<usize> { names.find(t).into_iter().map(|(at, _)| at).collect() };
        assert_eq!(found("the UNITED\nstates, thus"), [4]);
        assert_eq!(found("tell us, US and U.S.-Russia"), [9, 16]);
        assert_eq!(found("base AERIENNE BASE"), [5]);
        assert!(found("the United Statesman").is_empty());
    }

    #[test]
    fn years_and_iso_dates_are_dates_other_digits_numbers() {
        assert!(is_year_or_iso("2024") && is_year_or_iso("1990s") && is_year_or_iso("2024-03"));
        assert!(!is_year_or_iso("600") && !is_year_or_iso("5000") && !is_year_or_iso("2024x"));
        assert!(is_date("mid-March", false) && is_date("May", true) && !is_date("May", false));
        let kinds = |t: &str| -> Vec<Reason> {
            dated_and_numbered(t).into_iter().map(|(_, r)| r).collect()
        };
        assert_eq!(kinds("September 19, 2023"), [Reason::Date; 3]);
        assert_eq!(
            kinds("19 May, 600 troops"),
            [Reason::Date, Reason::Date, Reason::Number]
        );
    }

    #[test]
    fn the_niger_store_has_coverage_for_every_source() {
        let m = crate::load_builtin().unwrap();
        let all = of_store(&m);
        assert_eq!(all.len(), m.sources.len());
        for (i, c) in all.iter().enumerate() {
            assert_eq!(c, &of_source(&m, i as Ix));
            assert!(c.quoted_bytes > 0 && c.quoted_bytes <= c.text_bytes);
            for u in &c.unused {
                assert!(
                    c.quoted
                        .iter()
                        .all(|q| q.end <= u.span.start || u.span.end <= q.start)
                );
            }
        }
    }
}
