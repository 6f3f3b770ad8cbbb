//! Writing stores by hand, helped: a new store with its sections explained,
//! and an article, an event or a quote added to a store as an edit of its
//! text (comments and layout kept byte for byte), checked before it is
//! written; `undo` writes an edit and takes it back.

mod event;
#[cfg(test)]
mod event_tests;
mod insert;
mod outline;
pub mod undo;

pub use event::{Edit, NewEntity, NewEvent, NewQuote, add_event, add_quote, event_id};

use crate::store::SourceKind;
use outline::outline;

/// A new store: valid as it is, each section explained for the person
/// who will fill it in.
pub fn new_store(title: &str) -> String {
    let title = ron_string(title);
    format!(
        r#"// An annals event store. The format is described in annals' data/README.md;
// `annals check FILE` lists every problem with its line and column.
(
    meta: (
        title: {title},
        // description: "What this collection is about, and what it leaves out.",
    ),

    // The articles, whole, so every quote can be found in them.
    // `annals add-source FILE ARTICLE.txt --outlet … --title …` adds one.
    // kind: News, Sponsored, OfficialStatement, PressRelease, Report, Opinion,
    // Reference, Book, Archive, Dataset or Other. A copy or rewrite of
    // another article says so (original: "…", derivation: Rewrite).
    sources: [
    ],

    // Who acts: (id: "un", name: "United Nations", kind: "organisation",
    // aliases: ["UN"], description: "…").
    actors: [
    ],

    // Where: (id: "niamey", name: "Niamey", kind: "city", within: "niger",
    // coordinates: (13.51, 2.11)).
    places: [
    ],

    // What happened, never more precise than the sources: "2024",
    // "2024-03", "~2024-03" (about), "[2024-03..2024-05]" (some time
    // between), "[2024-03..]" (on or after). Each event quotes its sources
    // verbatim: evidence: [(source: "id", quote: "exact words")].
    events: [
    ],

    // How actors stand to each other, and since or until when:
    // (from: "a", to: "b", kind: "allied with", since: "2023-07", evidence: […]).
    relations: [
    ],

    // What sources state about an actor, place or event; claims with the
    // same subject and attribute but different values are disagreements,
    // recorded, not resolved: (subject: "id", attribute: "cost", value: "…",
    // evidence: […]).
    claims: [
    ],
)
"#
    )
}

/// A source to add to a store.
#[derive(Clone, Debug, Default)]
pub struct NewSource {
    pub id: String,
    pub outlet: String,
    pub title: String,
    pub published: Option<String>,
    pub url: Option<String>,
    pub kind: SourceKind,
    /// The byline, as printed.
    pub author: Option<String>,
    /// A BCP 47 tag: `en`, `fr`.
    pub language: Option<String>,
    /// The id of a stored source this one derives from, and how.
    pub based_on: Option<String>,
    pub derivation: Option<crate::store::Derivation>,
    pub text: String,
}

/// A string as a RON literal: escaped on one line.
fn ron_string(s: &str) -> String {
    ron::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Text as a RON raw string, keeping its line breaks: `r#"…"#` with one
/// `#` more than the longest run of `#` after a `"` in the text (found in
/// one pass: trying 1, 2, 3… was quadratic on `"` and many `#`).
fn raw_string(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut longest = 0;
    for (i, _) in text.match_indices('"') {
        let run = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
        longest = longest.max(run);
    }
    let h = "#".repeat(longest + 1);
    format!("r{h}\"{text}\"{h}")
}

/// The record of a source, indented as a list item, its lines ended by
/// `nl` (the store's own line ending; the article's text is kept as is).
fn source_record(s: &NewSource, nl: &str) -> String {
    let mut out = String::from("        (\n");
    let field = |out: &mut String, name: &str, value: String| {
        out.push_str(&format!("            {name}: {value},\n"));
    };
    field(&mut out, "id", ron_string(&s.id));
    field(&mut out, "outlet", ron_string(&s.outlet));
    field(&mut out, "title", ron_string(&s.title));
    if let Some(d) = &s.published {
        field(&mut out, "published", ron_string(d));
    }
    if let Some(u) = &s.url {
        field(&mut out, "url", ron_string(u));
    }
    let kind = ron::to_string(&s.kind).unwrap_or_else(|_| "News".into());
    field(&mut out, "kind", kind);
    for (name, value) in [
        ("author", &s.author),
        ("language", &s.language),
        ("based_on", &s.based_on),
    ] {
        if let Some(v) = value {
            field(&mut out, name, ron_string(v));
        }
    }
    if let Some(d) = s.derivation {
        let d = ron::to_string(&d).unwrap_or_else(|_| "Rewrite".into());
        field(&mut out, "derivation", d);
    }
    let text = raw_string(&s.text);
    let mut out = out.replace('\n', nl);
    out.push_str(&format!("            text: {text},{nl}        ),{nl}"));
    out
}

/// `text` with `source` added at the end of its `sources` list (or a new
/// list before the store's closing parenthesis). Everything else stays as
/// it was. Errors when the store's shape cannot be found.
pub fn add_source(text: &str, source: &NewSource) -> Result<String, String> {
    let o = outline(text);
    let nl = insert::newline(text);
    let record = source_record(source, nl);
    if let Some(&outline::List { open, close, .. }) = o.list("sources") {
        // After the last item, keeping what precedes the `]` on its line.
        let before = text[open + 1..close].trim_end();
        let needs_comma = !before.is_empty() && !before.ends_with(',');
        let insert_at = open + 1 + before.len();
        let mut out = String::with_capacity(text.len() + record.len() + 8);
        out.push_str(&text[..insert_at]);
        if needs_comma {
            out.push(',');
        }
        out.push_str(nl);
        out.push_str(record.trim_end_matches(['\r', '\n']));
        out.push_str(nl);
        // The `]`'s own indentation, as it was.
        let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
        let indent = &text[line_start..close];
        if indent.trim().is_empty() {
            out.push_str(indent);
        } else {
            out.push_str("    ");
        }
        out.push_str(&text[close..]);
        return Ok(out);
    }
    let (end, comma) = insert::before_top_close(text, &o)?;
    Ok(format!(
        "{}{comma}{nl}    sources: [{nl}{record}    ],{nl}{}",
        &text[..end],
        &text[o.top_close.unwrap_or(text.len())..]
    ))
}

/// How long an id made from a title may grow, in characters, before its
/// last whole word.
const ID_BUDGET: usize = 40;

/// Words an id does not end on: a title cut after one reads as cut
/// mid-phrase (`valley-river-bursts-its-banks-as`).
const TRAILING_WORDS: &[&str] = &[
    "a", "after", "amid", "an", "and", "as", "at", "before", "but", "by", "for", "from", "in",
    "into", "is", "its", "of", "on", "or", "over", "than", "that", "the", "their", "to", "with",
];

/// An id for a source from its title: lowercase whole words joined by `-`,
/// as many as fit in `ID_BUDGET` characters (the first always), not ending
/// on a function word, not one of `taken`.
pub fn source_id(title: &str, taken: &[&str]) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut len = 0;
    for w in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = w.to_lowercase();
        let grown = len + usize::from(len > 0) + w.chars().count();
        if !words.is_empty() && grown > ID_BUDGET {
            break;
        }
        len = grown;
        words.push(w);
    }
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| TRAILING_WORDS.contains(&w.as_str()))
    {
        words.pop();
    }
    let base = if words.is_empty() {
        "source".to_string()
    } else {
        words.join("-")
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id.as_str()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> NewSource {
        NewSource {
            id: "new-one".into(),
            outlet: "Daily \"Test\"".into(),
            title: "A title".into(),
            published: Some("2024-03-02".into()),
            kind: SourceKind::News,
            text: text.into(),
            ..NewSource::default()
        }
    }

    #[test]
    fn a_new_store_is_valid_and_takes_a_source() {
        let text = new_store("My \"store\"");
        let m = crate::load_str(&text, "new.ron").unwrap();
        assert_eq!(m.meta.title.as_str(), "My \"store\"");
        let mut first = source("Line one.\n\nSays \"#quoted\"# here.");
        first.author = Some("Jo \"Ink\" Doe".into());
        first.language = Some("en".into());
        let added = add_source(&text, &first).unwrap();
        let m = crate::load_str(&added, "new.ron").unwrap();
        assert_eq!(m.sources.len(), 1);
        assert_eq!(
            m.sources[0].text.as_str(),
            "Line one.\n\nSays \"#quoted\"# here."
        );
        assert!(added.contains("Line one.\n\nSays"), "line breaks kept raw");
        assert_eq!(m.sources[0].author.as_deref(), Some("Jo \"Ink\" Doe"));
        assert_eq!(m.sources[0].language.as_deref(), Some("en"));
        let mut copy = source("Line one, copied.");
        copy.id = "copy".into();
        copy.based_on = Some("new-one".into());
        copy.derivation = Some(crate::store::Derivation::Copy);
        let m = crate::load_str(&add_source(&added, &copy).unwrap(), "new.ron").unwrap();
        assert_eq!(
            m.sources[1].lineage,
            crate::model::Lineage::BasedOn(0, crate::store::Derivation::Copy)
        );
    }

    #[test]
    fn adding_keeps_everything_else_byte_for_byte() {
        let text = include_str!("../../data/niger.ron");
        let added = add_source(text, &source("An article.")).unwrap();
        let m = crate::load_str(&added, "niger.ron").unwrap();
        assert_eq!(m.sources.len(), 6);
        // The original text is a prefix and a suffix around one insertion.
        let prefix = text
            .bytes()
            .zip(added.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let suffix = text
            .bytes()
            .rev()
            .zip(added.bytes().rev())
            .take_while(|(a, b)| a == b)
            .count();
        assert!(
            prefix + suffix >= text.len(),
            "{prefix} + {suffix} < {}",
            text.len()
        );
    }

    #[test]
    fn a_crlf_store_stays_crlf_and_the_article_text_as_it_was() {
        let crlf = new_store("Floods").replace('\n', "\r\n");
        let mut s = source("Rain fell.\nThe river rose.");
        s.id = "a".into();
        let out = add_source(&crlf, &s).unwrap();
        // Every line break outside the article is CRLF, the article's own
        // break is kept as it was written.
        let without_article = out.replace("Rain fell.\nThe river rose.", "");
        assert!(
            !without_article.replace("\r\n", "").contains('\n'),
            "{out:?}"
        );
        let m = crate::load_str(&out, "s.ron").unwrap();
        assert_eq!(m.sources[0].text.as_str(), "Rain fell.\nThe river rose.");
    }

    #[test]
    fn raw_strings_take_one_hash_more_than_the_text_has_in_linear_time() {
        assert_eq!(raw_string("plain"), "r#\"plain\"#");
        assert_eq!(
            raw_string("a \"# b \"### c"),
            "r####\"a \"# b \"### c\"####"
        );
        // 200,000 `#` after a quote: one pass, not 200,000.
        let text = format!("\"{}", "#".repeat(200_000));
        assert!(raw_string(&text).starts_with(&format!("r{}\"", "#".repeat(200_001))));
    }

    #[test]
    fn a_store_without_a_sources_list_gets_one() {
        let text = "(meta: (title: \"t\"), events: [])\n";
        let added = add_source(text, &source("Text.")).unwrap();
        let m = crate::load_str(&added, "t.ron").unwrap();
        assert_eq!(m.sources.len(), 1);
        assert!(added.starts_with("(meta: (title: \"t\"), events: []"));
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_confuse_the_scan() {
        let text = "// sources: [ not this\n(\n meta: (title: \"a ] b\"),\n sources: [\n  // ] no\n ],\n)\n";
        let added = add_source(text, &source("x")).unwrap();
        assert_eq!(crate::load_str(&added, "t.ron").unwrap().sources.len(), 1);
    }

    #[test]
    fn ids_come_from_titles_and_stay_distinct() {
        assert_eq!(
            source_id("U.S. Troops Leave Niger!", &[]),
            "u-s-troops-leave-niger"
        );
        assert_eq!(source_id("Same", &["same"]), "same-2");
        assert_eq!(source_id("", &[]), "source");
    }

    #[test]
    fn ids_take_whole_words_up_to_a_budget_and_end_on_no_function_word() {
        assert_eq!(
            source_id("Valley River Bursts Its Banks As Heavy Rains Continue", &[]),
            "valley-river-bursts-its-banks-as-heavy"
        );
        assert_eq!(
            source_id(
                "Flood waters reach the town hall of Lower Valley as rain falls",
                &[]
            ),
            "flood-waters-reach-the-town-hall"
        );
        assert_eq!(
            source_id("Valley river bursts its banks as the rain goes on", &[]),
            "valley-river-bursts-its-banks"
        );
        // A first word longer than the budget is kept whole.
        let long = "a".repeat(50);
        assert_eq!(source_id(&format!("{long} b"), &[]), long);
        assert_eq!(source_id("The", &[]), "the");
        assert_eq!(source_id("Été à Niamey", &[]), "été-à-niamey");
    }
}
