//! Exporting a slice of the timeline: a self-contained store (RON or JSON),
//! CSV, a Markdown briefing, or a TimelineJS3 timeline. Files are written
//! atomically and never replace an existing file unless asked to.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde_json::json;

use crate::date::{Date, DaySpan};
use crate::model::{Ix, Lineage, Model, Quote, Subject};
use crate::shared::SharedStr;
use crate::store::{
    ActorRec, ClaimRec, EventRec, Meta, PlaceRec, QuoteRec, RelationRec, SourceRec, StoreFile,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Ron,
    Json,
    Csv,
    Md,
    TimelineJs,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Ron,
        Format::Json,
        Format::Csv,
        Format::Md,
        Format::TimelineJs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Ron => "ron",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Md => "md",
            Format::TimelineJs => "timelinejs",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::TimelineJs => "timeline.json",
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
                format!("unknown format {s:?}: expected ron, json, csv, md or timelinejs")
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
                    evidence: c.evidence.iter().map(|q| quote_rec(m, q)).collect(),
                }
            })
            .collect(),
    }
}

/// The slice in `format`, as bytes to write.
pub fn render(m: &Model, events: &[Ix], format: Format, title: &str) -> Result<Vec<u8>, String> {
    match format {
        Format::Ron => {
            let store = slice_store(m, events, title);
            let pretty = ron::ser::PrettyConfig::new()
                .struct_names(false)
                .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
            ron::Options::default()
                .to_string_pretty(&store, pretty)
                .map(|s| s.into_bytes())
                .map_err(|e| e.to_string())
        }
        Format::Json => serde_json::to_string_pretty(&slice_store(m, events, title))
            .map(|s| crate::safe::json_safe(s).into_bytes())
            .map_err(|e| e.to_string()),
        Format::Csv => csv_bytes(m, events).map_err(|e| e.to_string()),
        Format::Md => Ok(markdown(m, events, title).into_bytes()),
        Format::TimelineJs => serde_json::to_string_pretty(&timelinejs(m, events, title))
            .map(|s| crate::safe::json_safe(s).into_bytes())
            .map_err(|e| e.to_string()),
    }
}

pub const CSV_HEADER: [&str; 9] = [
    "id",
    "date",
    "precision",
    "title",
    "actors",
    "places",
    "tags",
    "sources",
    "first_quote",
];

fn csv_bytes(m: &Model, events: &[Ix]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for &e in events {
        let ev = m.event(e);
        let mut srcs: Vec<&str> = ev
            .evidence
            .iter()
            .map(|q| m.source(q.source).id.as_str())
            .collect();
        srcs.dedup();
        let join = |v: Vec<&str>| v.join("; ");
        w.write_record([
            ev.id.as_str(),
            &ev.date.to_string(),
            ev.date.precision_label(),
            &ev.title,
            &join(
                ev.actors
                    .iter()
                    .map(|&a| m.actor(a).name.as_str())
                    .collect(),
            ),
            &join(
                ev.places
                    .iter()
                    .map(|&p| m.place(p).name.as_str())
                    .collect(),
            ),
            &join(
                ev.tags
                    .iter()
                    .map(|&t| m.tags[t as usize].as_str())
                    .collect(),
            ),
            &join(srcs),
            ev.evidence.first().map_or("", |q| q.text.as_str()),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
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

/// Markdown text is data too: keep store text from being read as markup.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn source_cite(m: &Model, s: Ix) -> String {
    let s = m.source(s);
    let date = s.published.map_or("undated".to_string(), |d| d.to_string());
    let sponsored = if s.is_sponsored() {
        " **(sponsored content)**"
    } else {
        ""
    };
    format!(
        "{}, “{}”, {date}{sponsored}",
        md_escape(&s.outlet),
        md_escape(&s.title)
    )
}

fn markdown(m: &Model, events: &[Ix], title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md_escape(title));
    let _ = writeln!(out, "{} events, {}.\n", events.len(), span_label(m, events));
    let _ = writeln!(out, "## Chronology\n");
    let mut notes: Vec<(String, Ix)> = Vec::new();
    for &e in events {
        let ev = m.event(e);
        let mut refs = String::new();
        for q in &ev.evidence {
            notes.push((q.text.to_string(), q.source));
            let _ = write!(refs, "[^{}]", notes.len());
        }
        let _ = writeln!(out, "- **{}** {}{refs}", ev.date, md_escape(&ev.title));
    }
    let parts = Parts::of(m, events);
    let _ = writeln!(out, "\n## Actors\n");
    for &a in &parts.actors {
        let a = m.actor(a);
        let _ = writeln!(out, "- **{}** ({})", md_escape(&a.name), md_escape(&a.kind));
    }
    let span = match (events.first(), events.last()) {
        (Some(&a), Some(&b)) => DaySpan {
            first: m.event(a).date.first_day(),
            last: m.event(b).days().last,
        },
        _ => DaySpan::ALL,
    };
    let rels: Vec<Ix> = parts
        .relations
        .iter()
        .copied()
        .filter(|&r| m.relations[r as usize].days().overlaps(&span))
        .collect();
    if !rels.is_empty() {
        let _ = writeln!(out, "\n## Relations in the span\n");
        for r in rels {
            let r = &m.relations[r as usize];
            let mut when = String::new();
            if let Some(s) = r.since {
                let _ = write!(when, " since {s}");
            }
            if let Some(u) = r.until {
                let _ = write!(when, " until {u}");
            }
            let _ = writeln!(
                out,
                "- {} → {} → {}{when}",
                md_escape(&m.actor(r.from).name),
                md_escape(&r.kind),
                md_escape(&m.actor(r.to).name)
            );
        }
    }
    // The conflicts the explorer marks on these events (`!`), in store order.
    let mut marked: Vec<Ix> = events
        .iter()
        .flat_map(|&e| m.conflicts_of_event(e).iter().copied())
        .collect();
    marked.sort_unstable();
    marked.dedup();
    let conflicts: Vec<_> = marked.iter().map(|&c| &m.conflicts[c as usize]).collect();
    if !conflicts.is_empty() {
        let _ = writeln!(out, "\n## Where sources disagree\n");
        for c in conflicts {
            let _ = writeln!(
                out,
                "- **{}** ({}):",
                md_escape(&c.attribute),
                md_escape(m.subject_name(c.subject))
            );
            for &ci in &c.claims {
                let cl = &m.claims[ci as usize];
                let mut who: Vec<String> = cl
                    .evidence
                    .iter()
                    .map(|q| {
                        let s = m.source(q.source);
                        let sponsored = if s.is_sponsored() {
                            " **(sponsored content)**"
                        } else {
                            ""
                        };
                        format!("{}{sponsored}", md_escape(&s.outlet))
                    })
                    .collect();
                who.dedup();
                let as_of = cl.as_of.map(|d| format!(", as of {d}")).unwrap_or_default();
                let origins = m.origin_count(&cl.evidence);
                let _ = writeln!(
                    out,
                    "  - {}{as_of}: {} ({origins} independent {})",
                    md_escape(&cl.value),
                    who.join("; "),
                    if origins == 1 { "origin" } else { "origins" }
                );
            }
        }
    }
    let _ = writeln!(out, "\n## Sources\n");
    for &s in &parts.sources {
        let url = m
            .source(s)
            .url
            .as_deref()
            .map(|u| format!(" <{}>", u.replace(['<', '>', ' ', '\n'], "")))
            .unwrap_or_default();
        let lineage = m
            .lineage_label(m.source(s))
            .map(|l| format!(" ({})", md_escape(&l)))
            .unwrap_or_default();
        let _ = writeln!(out, "- {}{lineage}{url}", source_cite(m, s));
    }
    if !notes.is_empty() {
        let _ = writeln!(out);
        for (i, (quote, src)) in notes.iter().enumerate() {
            let _ = writeln!(
                out,
                "[^{}]: “{}” — {}",
                i + 1,
                md_escape(quote),
                source_cite(m, *src)
            );
        }
    }
    out
}

/// A TimelineJS date: the anchor at its own precision (TimelineJS has no
/// uncertain dates), with the date as written shown when it is not exact.
fn tl_date(date: Date) -> serde_json::Value {
    let d = date.anchor();
    let mut v = json!({ "year": d.year });
    if let Some(mo) = d.month {
        v["month"] = json!(mo);
    }
    if let Some(day) = d.day {
        v["day"] = json!(day);
    }
    if d.approximate || date.is_uncertain() {
        v["display_date"] = json!(date.to_string());
    }
    v
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn timelinejs(m: &Model, events: &[Ix], title: &str) -> serde_json::Value {
    let evs: Vec<serde_json::Value> = events
        .iter()
        .map(|&e| {
            let ev = m.event(e);
            let mut text = String::new();
            if let Some(s) = &ev.summary {
                let _ = write!(text, "<p>{}</p>", html_escape(s));
            }
            for q in &ev.evidence {
                let s = m.source(q.source);
                let _ = write!(
                    text,
                    "<blockquote>{}</blockquote><p>— {}{}</p>",
                    html_escape(&q.text),
                    html_escape(&s.outlet),
                    if s.is_sponsored() {
                        " (sponsored content)"
                    } else {
                        ""
                    }
                );
            }
            let mut v = json!({
                "unique_id": ev.id,
                "start_date": tl_date(ev.date),
                "text": { "headline": html_escape(&ev.title), "text": text },
            });
            if let Some(end) = ev.end {
                v["end_date"] = tl_date(end);
            }
            if let Some(&t) = ev.tags.first() {
                v["group"] = json!(html_escape(&m.tags[t as usize]));
            }
            v
        })
        .collect();
    json!({
        "title": {
            "text": {
                "headline": html_escape(title),
                "text": format!("<p>{} events, {}</p>", events.len(), span_label(m, events)),
            }
        },
        "events": evs,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0} already exists; not replacing it (use --force to replace)")]
    Exists(PathBuf),
    #[error("cannot write {path}: {}", plain(source))]
    Io { path: PathBuf, source: io::Error },
}

impl WriteError {
    /// Why, without the path (for a dialog that shows the path already).
    pub fn reason(&self) -> String {
        match self {
            WriteError::Exists(_) => "the file already exists".into(),
            WriteError::Io { source, .. } => plain(source),
        }
    }
}

/// The system's words for an I/O error, without what people did not ask
/// about: the temporary file's path that tempfile adds, the error number.
fn plain(e: &io::Error) -> String {
    let words = match e.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code).to_string(),
        None => e.to_string(),
    };
    match words.find(" (os error ") {
        Some(at) => words[..at].to_string(),
        None => words,
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// directory, then a rename. Without `replace`, an existing file is an
/// error and stays untouched, even if it appears while writing.
pub fn write_atomic(path: &Path, bytes: &[u8], replace: bool) -> Result<Written, WriteError> {
    write_atomic_with(path, replace, |file| file.write_all(bytes))
}

/// How an export reached its destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// A regular file, written whole or not at all.
    Atomically,
    /// A device, a FIFO, a terminal (`/dev/stdout`): written to as it is,
    /// since there is no file to replace.
    Directly,
}

/// `write_atomic`, with the writing done by `write` into the temporary
/// file. If `write` fails (a full disk, say) the temporary file is removed
/// and `path`, whether or not it existed, is left exactly as it was. A
/// symbolic link is followed: the file it names is replaced and the link
/// kept. What is not a regular file (a device, a FIFO) is written through.
pub fn write_atomic_with(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut std::fs::File) -> io::Result<()>,
) -> Result<Written, WriteError> {
    let io_err = |source: io::Error| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    if path.as_os_str().is_empty() {
        return Err(io_err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no file name given",
        )));
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(io_err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            )));
        }
        Ok(m) if !m.is_file() => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io_err)?;
            write(&mut f).map_err(io_err)?;
            return Ok(Written::Directly);
        }
        _ => {}
    }
    let target = follow_links(path).map_err(io_err)?;
    let path = target.as_path();
    if !replace && std::fs::symlink_metadata(path).is_ok() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".annals-export-");
    // A temporary file is private (0600); an export is an ordinary file:
    // the permissions of the file it replaces, else 0666 less the umask.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o666));
        builder.permissions(perms);
    }
    let mut tmp = builder.tempfile_in(dir).map_err(io_err)?;
    write(tmp.as_file_mut()).map_err(io_err)?;
    tmp.as_file().sync_all().map_err(io_err)?;
    if replace {
        tmp.persist(path).map_err(|e| io_err(e.error))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                WriteError::Exists(path.to_path_buf())
            } else {
                io_err(e.error)
            }
        })?;
    }
    Ok(Written::Atomically)
}

/// The path a chain of symbolic links ends at (the path itself when it is
/// not a link), so that replacing the file keeps the links to it.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "too many levels of symbolic links",
    ))
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
    base = crate::fold::fold_str(&base)
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
    if selection.is_empty() {
        m.meta.title.to_string()
    } else {
        format!("{} ({selection})", m.meta.title)
    }
}
