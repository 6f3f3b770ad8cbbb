//! The Markdown briefing: what it covers and how it was made, a
//! chronology with places, summaries and footnoted quotes, where sources
//! disagree (each value with its quotes), the actors and their relations,
//! and the sources it cites, each cited in full once.

use super::*;

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

/// "1 event", "2 events".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A quote inside curly quotes, once: a quote that is itself quoted speech
/// (“Our troops’ security…”) is not wrapped a second time, and speech
/// quoted inside it takes single marks (“he said, ‘not great’”).
fn quoted(text: &str) -> String {
    let t = text.trim();
    let opens = t.starts_with(['“', '"']);
    let closes = t.ends_with(['”', '"']);
    if opens && closes && t.chars().count() > 1 {
        md_escape(t)
    } else {
        let inner = t.replace('“', "‘").replace('”', "’");
        format!("“{}”", md_escape(&inner))
    }
}

/// The short citation of a footnote: outlet and date, sponsored flagged.
fn short_cite(m: &Model, s: Ix) -> String {
    let src = m.source(s);
    let mut cite = md_escape(&src.outlet);
    if let Some(d) = src.published {
        cite.push_str(&format!(", {d}"));
    }
    if src.is_sponsored() {
        cite.push_str(" **(sponsored content)**");
    }
    cite
}

/// The full citation, in the source list: outlet, title, date, kind,
/// lineage, URL.
fn full_cite(m: &Model, s: Ix) -> String {
    let src = m.source(s);
    let date = src
        .published
        .map_or("undated".to_string(), |d| d.to_string());
    let mut cite = format!(
        "{}, “{}”, {date}",
        md_escape(&src.outlet),
        md_escape(&src.title)
    );
    if let Some(a) = &src.author {
        cite.push_str(&format!(", by {}", md_escape(a)));
    }
    if src.is_sponsored() {
        cite.push_str(" **(sponsored content)**");
    }
    if let Some(l) = m.lineage_label(src) {
        cite.push_str(&format!(" ({})", md_escape(&l)));
    }
    if let Some(u) = &src.url {
        cite.push_str(&format!(" <{}>", u.replace(['<', '>', ' ', '\n'], "")));
    }
    cite
}

/// Footnotes in order of first use; the sources they cite.
#[derive(Default)]
struct Notes {
    lines: Vec<String>,
    sources: BTreeSet<Ix>,
}

impl Notes {
    /// A footnote for a quote; its marker. Markers are separated by commas
    /// where they follow each other, so they render as separate numbers
    /// (`[^2][^3]` renders as "²³", read as 23).
    fn cite(&mut self, m: &Model, q: &Quote) -> String {
        self.sources.insert(q.source);
        self.lines
            .push(format!("{} — {}", quoted(&q.text), short_cite(m, q.source)));
        format!("[^{}]", self.lines.len())
    }

    fn markers(&mut self, m: &Model, quotes: &[Quote]) -> String {
        let marks: Vec<String> = quotes.iter().map(|q| self.cite(m, q)).collect();
        marks.join(", ")
    }
}

/// How and when the briefing was made, for its header.
pub struct Made<'a> {
    /// The filters the slice was made with, in words; empty for none.
    pub filters: &'a [String],
    /// Marked events rather than the filters'.
    pub marked: bool,
    /// The day it was made (`YYYY-MM-DD`).
    pub on: String,
    /// The analyst's stars and notes, to show under their events.
    pub notes: Option<&'a crate::annotate::notes::Notes>,
}

impl Made<'_> {
    /// Made today, with no filters.
    pub fn today() -> Made<'static> {
        let days = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| (d.as_secs() / 86_400) as i64);
        Made {
            filters: &[],
            marked: false,
            on: crate::evidence::date::iso_day(days),
            notes: None,
        }
    }
}

fn header(out: &mut String, m: &Model, events: &[Ix], title: &str, made: &Made) {
    let _ = writeln!(out, "# {}\n", md_escape(title));
    let _ = writeln!(out, "- **Store**: {}", md_escape(&m.meta.title));
    let selection = if made.marked {
        "events marked by hand".to_string()
    } else if made.filters.is_empty() {
        "all events, no filters".to_string()
    } else {
        let words: Vec<String> = made.filters.iter().map(|f| md_escape(f)).collect();
        format!("filtered by {}", words.join("; "))
    };
    let _ = writeln!(out, "- **Selection**: {selection}");
    let _ = writeln!(
        out,
        "- **Covers**: {}, {}",
        count(events.len(), "event", "events"),
        md_escape(&span_label(m, events))
    );
    let _ = writeln!(out, "- **Made**: {} with annals\n", made.on);
}

fn chronology(
    out: &mut String,
    m: &Model,
    events: &[Ix],
    notes: &mut Notes,
    mine: Option<&crate::annotate::notes::Notes>,
) {
    let _ = writeln!(out, "## Chronology\n");
    for &e in events {
        let ev = m.event(e);
        let mut line = format!("- **{}** {}", md_escape(&ev.when()), md_escape(&ev.title));
        if !ev.places.is_empty() {
            let places: Vec<String> = ev
                .places
                .iter()
                .map(|&p| md_escape(&m.place(p).name))
                .collect();
            line.push_str(&format!(" ({})", places.join(", ")));
        }
        let marks: Vec<String> = ev.evidence.iter().map(|q| notes.cite(m, q)).collect();
        line.push_str(&marks.join(", "));
        let _ = writeln!(out, "{line}");
        if let Some(s) = &ev.summary {
            let _ = writeln!(out, "\n  {}\n", md_escape(s));
        }
        event_claims(out, m, e, &marks, notes, ev.summary.is_none());
        if let Some(mine) = mine {
            analyst_notes(out, m, e, mine);
        }
    }
}

/// The claims about an event that no source disputes (ACLED's
/// fatalities), one line each, under it; disputed ones are in "Where
/// sources disagree". A quote the event already cites keeps its footnote.
fn event_claims(
    out: &mut String,
    m: &Model,
    e: Ix,
    marks: &[String],
    notes: &mut Notes,
    blank_first: bool,
) {
    let disputed = |ci: Ix| {
        m.conflicts_of_event(e)
            .iter()
            .any(|&c| m.conflicts[c as usize].claims.contains(&ci))
    };
    let ev = m.event(e);
    let mut lines = Vec::new();
    for &ci in m.claims_about(crate::model::Subject::Event(e)) {
        if disputed(ci) {
            continue;
        }
        let cl = &m.claims[ci as usize];
        let cited: Vec<String> = cl
            .evidence
            .iter()
            .map(|q| {
                match ev
                    .evidence
                    .iter()
                    .position(|o| o.source == q.source && o.text == q.text)
                {
                    Some(i) => marks[i].clone(),
                    None => notes.cite(m, q),
                }
            })
            .collect();
        let as_of = cl
            .as_of
            .map(|d| format!(" (as of {d})"))
            .unwrap_or_default();
        lines.push(format!(
            "  - {}{}: {}{}",
            md_escape(&cl.attribute),
            md_escape(&as_of),
            md_escape(&cl.value),
            cited.join(", ")
        ));
    }
    if lines.is_empty() {
        return;
    }
    if blank_first {
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "{}\n", lines.join("\n"));
}

/// The analyst's star and notes under an event, set apart from what the
/// sources say.
fn analyst_notes(out: &mut String, m: &Model, e: Ix, mine: &crate::annotate::notes::Notes) {
    use crate::annotate::notes::Target;
    let ev = m.event(e);
    let notes = mine.notes_of_event(m, e);
    if notes.is_empty() && !mine.is_starred(&ev.id) {
        return;
    }
    let _ = writeln!(out);
    let mut parts: Vec<String> = Vec::new();
    if mine.is_starred(&ev.id) {
        parts.push("  > *Starred by the analyst.*".into());
    }
    for n in notes {
        let on = match &n.on {
            Target::Event(_) => String::new(),
            Target::Quote { quote, .. } => format!(" on “{}”", md_escape(quote)),
            Target::Conflict { attribute, .. } => {
                format!(" on the disagreement over {}", md_escape(attribute))
            }
        };
        // Each line of the note its own line in the quote (a hard break).
        let lines: Vec<String> = n.text.lines().map(md_escape).collect();
        parts.push(format!(
            "  > **Analyst's note{on}:** {}",
            lines.join("\\\n  > ")
        ));
    }
    // A blank quote line between them: separate paragraphs, not one.
    let _ = writeln!(out, "{}", parts.join("\n  >\n"));
    let _ = writeln!(out);
}

fn disagreements(out: &mut String, m: &Model, events: &[Ix], notes: &mut Notes) {
    // The conflicts the explorer marks on these events (`!`), in store order.
    let mut marked: Vec<Ix> = events
        .iter()
        .flat_map(|&e| m.conflicts_of_event(e).iter().copied())
        .collect();
    marked.sort_unstable();
    marked.dedup();
    if marked.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Where sources disagree\n");
    for c in marked {
        let c = &m.conflicts[c as usize];
        let _ = writeln!(
            out,
            "- **{}** ({}):",
            md_escape(&c.attribute),
            md_escape(m.subject_name(c.subject))
        );
        for &ci in &c.claims {
            let cl = &m.claims[ci as usize];
            let as_of = cl.as_of.map(|d| format!(", as of {d}")).unwrap_or_default();
            let origins = m.origin_count(&cl.evidence);
            let sponsored = !cl.evidence.is_empty()
                && cl
                    .evidence
                    .iter()
                    .all(|q| m.source(q.source).is_sponsored());
            let flag = if sponsored {
                " — **sponsored content only**"
            } else {
                ""
            };
            let mut outlets: Vec<String> = cl
                .evidence
                .iter()
                .map(|q| md_escape(&m.source(q.source).outlet))
                .collect();
            outlets.dedup();
            let _ = writeln!(
                out,
                "  - {}{as_of}: {} ({}){flag}{}",
                md_escape(&cl.value),
                outlets.join("; "),
                count(origins, "independent origin", "independent origins"),
                notes.markers(m, &cl.evidence)
            );
        }
    }
}

fn actors(out: &mut String, m: &Model, parts: &Parts, events: &[Ix]) {
    if parts.actors.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Actors\n");
    for &a in &parts.actors {
        let a = m.actor(a);
        let mut line = format!("- **{}** ({})", md_escape(&a.name), md_escape(&a.kind));
        if let Some(d) = &a.description {
            line.push_str(&format!(": {}", md_escape(d)));
        }
        let _ = writeln!(out, "{line}");
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
    if rels.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Relations in the span\n");
    for r in rels {
        let r = &m.relations[r as usize];
        let when = match (r.since, r.until) {
            (Some(a), Some(b)) => format!(" ({a} – {b})"),
            (Some(a), None) => format!(" (since {a})"),
            (None, Some(b)) => format!(" (until {b})"),
            (None, None) => " (undated)".to_string(),
        };
        let _ = writeln!(
            out,
            "- {} → {} → {}{when}",
            md_escape(&m.actor(r.from).name),
            md_escape(&r.kind),
            md_escape(&m.actor(r.to).name)
        );
    }
}

pub(super) fn markdown(m: &Model, events: &[Ix], title: &str, made: &Made) -> String {
    let mut out = String::new();
    header(&mut out, m, events, title, made);
    if events.is_empty() {
        let _ = writeln!(out, "No events match this selection.");
        return out;
    }
    let mut notes = Notes::default();
    chronology(&mut out, m, events, &mut notes, made.notes);
    disagreements(&mut out, m, events, &mut notes);
    actors(&mut out, m, &Parts::of(m, events), events);
    // Only the sources this briefing cites, each in full once.
    if !notes.sources.is_empty() {
        let _ = writeln!(out, "\n## Sources\n");
        for &s in &notes.sources {
            let _ = writeln!(out, "- {}", full_cite(m, s));
        }
    }
    if !notes.lines.is_empty() {
        let _ = writeln!(out);
        for (i, line) in notes.lines.iter().enumerate() {
            let _ = writeln!(out, "[^{}]: {line}", i + 1);
        }
    }
    out
}
