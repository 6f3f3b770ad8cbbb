//! Exporting a slice of the timeline: a self-contained store (RON or JSON),
//! CSV, a Markdown briefing, or a TimelineJS3 timeline. Files are written
//! atomically and never replace an existing file unless asked to.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::str::FromStr;

use serde_json::json;

use crate::evidence::date::{Date, DaySpan};
use crate::model::{Ix, Lineage, Model, Quote, Subject};
use crate::store::shared::SharedStr;
use crate::store::{
    ActorRec, ClaimRec, EventRec, Meta, PlaceRec, QuoteRec, RelationRec, SourceRec, StoreFile,
};

mod bom;
mod csv;
mod geojson;
mod markdown;
mod story;
mod timelinejs;
mod timesketch;

pub use self::csv::CSV_HEADER;
use self::csv::csv_bytes;
pub(crate) use crate::io::atomic::plain as plain_io;
pub use bom::{UTF8_BOM, bom_refusal, render_with_bom};
use geojson::geojson;
pub use markdown::Made;
use markdown::markdown;
pub use story::{render_story, story_format_refusal};
use timelinejs::timelinejs;
pub use timelinejs::{DERIVED_TITLE_TAG, ERA_TAG, UNTAGGED_GROUP};
use timesketch::timesketch;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Ron,
    Json,
    Csv,
    Md,
    TimelineJs,
    GeoJson,
    Timesketch,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Ron,
        Format::Json,
        Format::Csv,
        Format::Md,
        Format::TimelineJs,
        Format::GeoJson,
        Format::Timesketch,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Ron => "ron",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Md => "md",
            Format::TimelineJs => "timelinejs",
            Format::GeoJson => "geojson",
            Format::Timesketch => "timesketch",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::TimelineJs => "timeline.json",
            Format::Timesketch => "timesketch.jsonl",
            other => other.name(),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Format::Ron => "self-contained store (opens in annals)",
            Format::Json => "the same store as JSON",
            Format::Csv => "one row per event",
            Format::Md => "briefing with cited quotes",
            Format::TimelineJs => "Knight Lab TimelineJS3 JSON",
            Format::GeoJson => "GeoJSON map of the events' places",
            Format::Timesketch => "Timesketch JSONL, one event a line",
        }
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown format {s:?}: expected ron, json, csv, md, timelinejs, geojson or timesketch"
                )
            })
    }
}

fn quote_rec(m: &Model, q: &Quote) -> QuoteRec {
    QuoteRec {
        source: m.source(q.source).id.clone(),
        quote: q.text.clone(),
    }
}

fn date_str(d: Option<Date>) -> Option<SharedStr> {
    d.map(|d| d.to_string().into())
}

/// What a slice holds, as indices into the model.
pub struct Parts {
    pub events: BTreeSet<Ix>,
    pub actors: BTreeSet<Ix>,
    pub places: BTreeSet<Ix>,
    pub sources: BTreeSet<Ix>,
    pub relations: Vec<Ix>,
    pub claims: Vec<Ix>,
}

impl Parts {
    pub fn of(m: &Model, events: &[Ix]) -> Parts {
        let events: BTreeSet<Ix> = events.iter().copied().collect();
        let mut actors = BTreeSet::new();
        let mut places = BTreeSet::new();
        let mut sources = BTreeSet::new();
        // Every event is the whole store: a full copy, with the actors,
        // places and sources no event refers to (and so every relation and
        // claim, below).
        if events.len() == m.events.len() {
            actors.extend(0..m.actors.len() as Ix);
            places.extend(0..m.places.len() as Ix);
            sources.extend(0..m.sources.len() as Ix);
        }
        for &e in &events {
            let ev = m.event(e);
            actors.extend(ev.actors.iter().copied());
            for &p in &ev.places {
                // Up the chain until a place already in: each place once.
                let mut cur = Some(p);
                while let Some(q) = cur {
                    if !places.insert(q) {
                        break;
                    }
                    cur = m.place(q).within;
                }
            }
            sources.extend(ev.evidence.iter().map(|q| q.source));
        }
        let relations: Vec<Ix> = (0..m.relations.len() as Ix)
            .filter(|&r| {
                let rel = &m.relations[r as usize];
                actors.contains(&rel.from) && actors.contains(&rel.to)
            })
            .collect();
        let claims: Vec<Ix> = (0..m.claims.len() as Ix)
            .filter(|&c| match m.claims[c as usize].subject {
                Subject::Actor(a) => actors.contains(&a),
                Subject::Place(p) => places.contains(&p),
                Subject::Event(e) => events.contains(&e),
            })
            .collect();
        for &r in &relations {
            sources.extend(m.relations[r as usize].evidence.iter().map(|q| q.source));
        }
        for &c in &claims {
            sources.extend(m.claims[c as usize].evidence.iter().map(|q| q.source));
        }
        // A source's lineage comes along, so origins count the same.
        for s in sources.clone() {
            let mut cur = s;
            while let Lineage::BasedOn(up, _) = m.source(cur).lineage {
                if !sources.insert(up) {
                    break;
                }
                cur = up;
            }
        }
        Parts {
            events,
            actors,
            places,
            sources,
            relations,
            claims,
        }
    }
}

/// The slice as a self-contained store: its events and everything they
/// reference (actors; places and the places containing them; sources), the
/// relations among the included actors, and the claims about included
/// subjects, with the sources their evidence cites.
pub fn slice_store(m: &Model, events: &[Ix], title: &str) -> StoreFile {
    let Parts {
        events,
        actors,
        places,
        sources,
        relations,
        claims,
    } = Parts::of(m, events);
    StoreFile {
        meta: Meta {
            title: title.into(),
            description: m.meta.description.clone(),
        },
        sources: sources
            .iter()
            .map(|&s| {
                let s = m.source(s);
                let (based_on, original, derivation) = match &s.lineage {
                    Lineage::Original => (None, None, None),
                    Lineage::BasedOn(up, how) => (Some(m.source(*up).id.clone()), None, Some(*how)),
                    Lineage::External(name, how) => (None, Some(name.clone()), Some(*how)),
                };
                SourceRec {
                    id: s.id.clone(),
                    outlet: s.outlet.clone(),
                    title: s.title.clone(),
                    published: date_str(s.published),
                    url: s.url.clone(),
                    kind: s.kind,
                    author: s.author.clone(),
                    language: s.language.clone(),
                    based_on,
                    original,
                    derivation,
                    text: s.text.clone(),
                }
            })
            .collect(),
        actors: actors
            .iter()
            .map(|&a| {
                let a = m.actor(a);
                ActorRec {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    aliases: a.aliases.clone(),
                    kind: a.kind.clone(),
                    description: a.description.clone(),
                }
            })
            .collect(),
        places: places
            .iter()
            .map(|&p| {
                let p = m.place(p);
                PlaceRec {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    aliases: p.aliases.clone(),
                    kind: p.kind.clone(),
                    within: p.within.map(|w| m.place(w).id.clone()),
                    coordinates: p.coordinates,
                }
            })
            .collect(),
        events: events
            .iter()
            .map(|&e| {
                let ev = m.event(e);
                EventRec {
                    id: ev.id.clone(),
                    date: ev.date.to_string().into(),
                    end: date_str(ev.end),
                    title: ev.title.clone(),
                    summary: ev.summary.clone(),
                    tags: ev
                        .tags
                        .iter()
                        .map(|&t| m.tags[t as usize].clone())
                        .collect(),
                    actors: ev.actors.iter().map(|&a| m.actor(a).id.clone()).collect(),
                    places: ev.places.iter().map(|&p| m.place(p).id.clone()).collect(),
                    evidence: ev.evidence.iter().map(|q| quote_rec(m, q)).collect(),
                }
            })
            .collect(),
        relations: relations
            .iter()
            .map(|&r| {
                let r = &m.relations[r as usize];
                RelationRec {
                    from: m.actor(r.from).id.clone(),
                    to: m.actor(r.to).id.clone(),
                    kind: r.kind.clone(),
                    since: date_str(r.since),
                    until: date_str(r.until),
                    evidence: r.evidence.iter().map(|q| quote_rec(m, q)).collect(),
                }
            })
            .collect(),
        claims: claims
            .iter()
            .map(|&c| {
                let c = &m.claims[c as usize];
                ClaimRec {
                    subject: m.subject_id(c.subject).into(),
                    attribute: c.attribute.clone(),
                    value: c.value.clone(),
                    as_of: date_str(c.as_of),
                    // Only the events the slice holds, so it stays self-contained.
                    events: c
                        .events
                        .iter()
                        .filter(|e| events.contains(e))
                        .map(|&e| m.event(e).id.clone())
                        .collect(),
                    value_date: date_str(c.value_date),
                    value_number: c.value_number,
                    value_min: c.value_min,
                    value_max: c.value_max,
                    evidence: c.evidence.iter().map(|q| quote_rec(m, q)).collect(),
                }
            })
            .collect(),
    }
}

/// The events of a slice a format cannot carry, and why: they are not in
/// the file, and whoever exports is told which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    pub why: &'static str,
    pub events: Vec<Ix>,
}

impl LeftOut {
    /// One line saying how many were left out, why, and which (the first
    /// `shown` by id and date as written, the rest counted).
    pub fn describe(&self, m: &Model, format: Format, shown: usize) -> String {
        let n = self.events.len();
        let mut out = format!(
            "{n} event{} left out of the {} file: {}",
            if n == 1 { "" } else { "s" },
            format.name(),
            self.why
        );
        for (i, &e) in self.events.iter().take(shown).enumerate() {
            let ev = m.event(e);
            let _ = write!(
                out,
                "{}{} ({})",
                if i == 0 { ": " } else { ", " },
                ev.id,
                crate::evidence::date::span_label(&ev.date, ev.end.as_ref())
            );
        }
        if n > shown {
            let _ = write!(out, " and {} more", n - shown);
        }
        out
    }
}

/// What `format` leaves out of the slice, `None` when it keeps every
/// event. Only Timesketch leaves any out: its `datetime` is ISO 8601 as
/// Python reads it, years 0001 to 9999, so an event placed before or
/// after them is not written (rather than put on a day it is not).
pub fn left_out(m: &Model, events: &[Ix], format: Format) -> Option<LeftOut> {
    match format {
        Format::Timesketch => {
            let out: Vec<Ix> = events
                .iter()
                .copied()
                .filter(|&e| !timesketch::fits(&m.event(e).date))
                .collect();
            (!out.is_empty()).then_some(LeftOut {
                why: timesketch::OUT_OF_RANGE,
                events: out,
            })
        }
        _ => None,
    }
}

/// The slice in `format`, as bytes to write.
pub fn render(m: &Model, events: &[Ix], format: Format, title: &str) -> Result<Vec<u8>, String> {
    render_made(m, events, format, title, &Made::today())
}

/// `render`, saying in the briefing how the slice was made.
pub fn render_made(
    m: &Model,
    events: &[Ix],
    format: Format,
    title: &str,
    made: &Made,
) -> Result<Vec<u8>, String> {
    match format {
        Format::Ron => ron_text(&slice_store(m, events, title)).map(String::into_bytes),
        Format::Json => pretty_json(&slice_store(m, events, title)),
        Format::Csv => csv_bytes(m, events).map_err(|e| e.to_string()),
        Format::Md => Ok(markdown(m, events, title, made).into_bytes()),
        Format::TimelineJs => pretty_json(&timelinejs(m, events, title)),
        Format::GeoJson => pretty_json(&geojson(m, events, title)),
        Format::Timesketch => timesketch(m, events).map_err(|e| e.to_string()),
    }
}

/// Indented JSON, its invisible and control characters escaped.
fn pretty_json(value: &impl serde::Serialize) -> Result<Vec<u8>, String> {
    serde_json::to_string_pretty(value)
        .map(|s| crate::io::safe::json_safe(s).into_bytes())
        .map_err(|e| e.to_string())
}

/// The first and last dates of the slice, as text.
pub fn span_label(m: &Model, events: &[Ix]) -> String {
    match (events.first(), events.last()) {
        (Some(&a), Some(&b)) => {
            let (a, b) = (m.event(a).date, m.event(b).end.unwrap_or(m.event(b).date));
            if a == b {
                a.to_string()
            } else {
                format!("{a} to {b}")
            }
        }
        _ => "no events".into(),
    }
}

/// The slice's first and last dates in words ("c. July 2023 – On or
/// after c. March 15, 2024"), as the TimelineJS title slide and the
/// briefing write them: the same dates as `span_label`, without the
/// store's notation.
pub fn span_words(m: &Model, events: &[Ix]) -> String {
    match (events.first(), events.last()) {
        (Some(&a), Some(&b)) => {
            let (a, b) = (m.event(a).date, m.event(b).end.unwrap_or(m.event(b).date));
            crate::evidence::words::span_words(a, Some(b))
        }
        _ => "no events".into(),
    }
}

/// A file name for the slice: from the filters when there are any, else
/// from its span. Only letters, digits and dashes.
pub fn default_file_name(parts: &[String], m: &Model, events: &[Ix], format: Format) -> String {
    let mut base = if parts.is_empty() {
        // The anchors of the first and last dates: a name, not a claim.
        match (events.first(), events.last()) {
            (Some(&a), Some(&b)) => {
                let last = m.event(b).end.unwrap_or(m.event(b).date);
                format!("annals-{}-to-{}", m.event(a).date.anchor(), last.anchor())
            }
            _ => "annals-no-events".into(),
        }
    } else {
        format!("annals-{}", parts.join("-"))
    };
    base = crate::search::fold::fold_str(&base)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    base.truncate(80);
    format!("{}.{}", base.trim_end_matches('-'), format.extension())
}

/// The title of an exported slice: the store's, and what was selected.
pub fn slice_title(m: &Model, selection: &str) -> String {
    let suffix = format!(" ({selection})");
    // A slice of a slice made with the same filters keeps one suffix.
    if selection.is_empty() || m.meta.title.ends_with(&suffix) {
        m.meta.title.to_string()
    } else {
        format!("{}{suffix}", m.meta.title)
    }
}

/// How a store is written as RON; `escape` for a store with control or
/// invisible characters.
fn ron_config(escape: bool) -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .struct_names(false)
        .escape_strings(escape)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// A store as RON. Texts keep their line breaks (raw strings where they
/// hold quotes or backslashes), so an exported article stays editable; a
/// store with control or invisible characters is written escaped instead,
/// so they cannot hide in the file.
pub(crate) fn ron_text(store: &StoreFile) -> Result<String, String> {
    let plain = ron::Options::default()
        .to_string_pretty(store, ron_config(false))
        .map_err(|e| e.to_string())?;
    let harmless = plain.chars().all(harmless);
    if harmless {
        return Ok(plain);
    }
    ron::Options::default()
        .to_string_pretty(store, ron_config(true))
        .map_err(|e| e.to_string())
}

/// Printable ASCII, a tab or a line break: harmless, without a look at
/// each char (most of a store's text).
fn plain(b: u8) -> bool {
    matches!(b, b' '..=b'~' | b'\n' | b'\t')
}

fn harmless(c: char) -> bool {
    c == '\n' || c == '\t' || crate::io::safe::safe_char(c) == c
}

/// `ron_text` written to a file as it is made, never whole in memory (a
/// store of a million events is gigabytes of text): the same bytes. The
/// plain text is written first; if it holds a character that must be
/// escaped, the file is emptied and written again, escaped.
pub(crate) fn write_ron(store: &StoreFile, file: &mut std::fs::File) -> std::io::Result<()> {
    use std::io::{Seek, Write};
    for escape in [false, true] {
        let mut out = RonOut {
            file: std::io::BufWriter::with_capacity(1 << 20, &mut *file),
            check: !escape,
            harmless: true,
            error: None,
        };
        let made = ron::Options::default().to_writer_pretty(&mut out, store, ron_config(escape));
        if let Some(e) = out.error.take() {
            return Err(e);
        }
        if !out.harmless {
            // Met a character to escape: start again, escaping.
            drop(out);
            file.set_len(0)?;
            file.rewind()?;
            continue;
        }
        made.map_err(std::io::Error::other)?;
        return out.file.flush();
    }
    Ok(())
}

/// The RON serializer's text, on its way to a file: checked for what
/// `ron_text` would escape, and stopped at the first write error.
struct RonOut<W: std::io::Write> {
    file: W,
    check: bool,
    harmless: bool,
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> std::fmt::Write for RonOut<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.check && self.harmless && !s.bytes().all(plain) && !s.chars().all(harmless) {
            // Written escaped instead: the rest of this pass is wasted.
            self.harmless = false;
            return Err(std::fmt::Error);
        }
        self.file.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_bytes_are_harmless_chars() {
        for b in 0..=u8::MAX {
            if plain(b) {
                assert!(b.is_ascii() && harmless(char::from(b)), "{b:#x}");
            }
        }
        assert!(!plain(b'\r') && !plain(0x1b) && !plain(0x7f));
    }

    #[test]
    fn a_store_written_to_a_file_is_its_ron_text() {
        for title in ["Plain title", "A carriage\rreturn", "Hidden\u{200b}space"] {
            let mut store = StoreFile::default();
            store.meta.title = title.into();
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("s.ron");
            let mut file = std::fs::File::create(&path).unwrap();
            write_ron(&store, &mut file).unwrap();
            drop(file);
            let written = std::fs::read_to_string(&path).unwrap();
            assert_eq!(written, ron_text(&store).unwrap());
            assert_eq!(written.contains(title), title.chars().all(harmless));
        }
    }
}
