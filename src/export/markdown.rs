//! The Markdown briefing: what it covers and how it was made, a
//! chronology with places, summaries and footnoted quotes, where sources
//! disagree (each value with its quotes), the actors and their relations,
//! and the sources it cites, each cited in full once.

use super::*;

/// Markdown text is data too: keep store text from being read as markup
/// by CommonMark, GFM or pandoc's `commonmark_x` (its TeX math, `smart`
/// punctuation, sub- and superscript, emoji, attributes, entities), so it
/// renders as the same characters. Line breaks become spaces.
pub(super) fn md_escape(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let dots = |i: usize| {
        let before = chars[..i].iter().rev().take_while(|&&d| d == '.').count();
        let after = chars[i + 1..].iter().take_while(|&&d| d == '.').count();
        before + after + 1
    };
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '$' | '~' | '^' | '@'
            | '&' | '{' | '}' | '"' | '\'' => true,
            // `--` and `---` are dashes to `smart`, `...` an ellipsis.
            '-' => prev == Some('-') || next == Some('-'),
            '.' => dots(i) >= 3,
            // `:name:` is an emoji.
            ':' => next.is_some_and(|n| n.is_ascii_alphanumeric() || matches!(n, '_' | '+' | '-')),
            _ => false,
        };
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => {
                if escape {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

/// `md_escape` for text that starts a line (a paragraph, a quote): a
/// first character that would begin a list, a heading, a definition or a
/// div is escaped too, as is the `.` or `)` of a leading `1.`, `a)`, `iv.`.
pub(super) fn md_escape_block(s: &str) -> String {
    let text = md_escape(s.trim_start());
    let first = text.chars().next();
    if first.is_some_and(|c| c.is_ascii_punctuation() && c != '\\') {
        return format!("\\{text}");
    }
    let lead = text.chars().take_while(|c| c.is_alphanumeric()).count();
    if let Some((at, '.' | ')')) = text.char_indices().nth(lead)
        && lead > 0
    {
        return format!("{}\\{}", &text[..at], &text[at..]);
    }
    text
}

/// A date in words, as the TimelineJS export writes it.
fn when(d: Date) -> String {
    crate::evidence::words::date_words(d)
}

/// A date in words within a sentence ("as of on or after c. March 2024").
fn when_inline(d: Date) -> String {
    crate::evidence::words::date_words_inline(d)
}

/// "1 event", "2 events".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The short citation of a footnote: outlet and date, sponsored flagged.
fn short_cite(m: &Model, s: Ix) -> String {
    let src = m.source(s);
    let mut cite = md_escape(&src.outlet);
    if let Some(d) = src.published {
        cite.push_str(&format!(", {}", when(d)));
    }
    if src.is_sponsored() {
        cite.push_str(" **(sponsored content)**");
    }
    cite
}

/// The full citation, in the source list: outlet, title, date, kind,
/// lineage, URL.
pub(super) fn full_cite(m: &Model, s: Ix) -> String {
    let src = m.source(s);
    let date = src.published.map_or("undated".to_string(), when);
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
pub(super) struct Notes {
    pub(super) lines: Vec<String>,
    pub(super) sources: BTreeSet<Ix>,
}

impl Notes {
    /// A footnote for a quote; its marker. The quote is a block quote, its
    /// characters as the article has them (its own quotation marks kept),
    /// the citation under it. Markers are separated by commas where they
    /// follow each other, so they render as separate numbers (`[^2][^3]`
    /// renders as "²³", read as 23).
    pub(super) fn cite(&mut self, m: &Model, q: &Quote) -> String {
        self.sources.insert(q.source);
        self.lines.push(format!(
            "> {}\n\n    — {}",
            md_escape_block(&q.text),
            short_cite(m, q.source)
        ));
        format!("[^{}]", self.lines.len())
    }

    pub(super) fn markers(&mut self, m: &Model, quotes: &[Quote]) -> String {
        let marks: Vec<String> = quotes.iter().map(|q| self.cite(m, q)).collect();
        marks.join(", ")
    }
}

/// How and when the briefing was made, for its header.
pub struct Made<'a> {
    /// The filters the slice was made with, in words; empty for none.
    pub filters: &'a [String],
    /// Marked events rather than the filters': `filters` are then the
    /// filters on when the marked events were exported.
    pub marked: bool,
    /// How many of the marked events those filters hide (marked under
    /// other filters, or none).
    pub marked_hidden: usize,
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
            marked_hidden: 0,
            on: crate::evidence::date::iso_day(days),
            notes: None,
        }
    }
}

fn header(out: &mut String, m: &Model, events: &[Ix], title: &str, made: &Made) {
    let _ = writeln!(out, "# {}\n", md_escape(title));
    let _ = writeln!(out, "- **Store**: {}", md_escape(&m.meta.title));
    let filters: Vec<String> = made.filters.iter().map(|f| md_escape(f)).collect();
    let filters = filters.join("; ");
    let selection = match (made.marked, filters.is_empty()) {
        (false, true) => "all events, no filters".to_string(),
        (false, false) => format!("filtered by {filters}"),
        (true, true) => "events marked by hand in the explorer, no filters on".to_string(),
        (true, false) => {
            let hidden = match made.marked_hidden {
                0 => String::new(),
                n => format!(
                    "; {} of the marked events outside these filters (marked under others)",
                    n
                ),
            };
            format!("events marked by hand in the explorer, with the filters {filters} on{hidden}")
        }
    };
    let _ = writeln!(out, "- **Selection**: {selection}");
    let _ = writeln!(
        out,
        "- **Covers**: {}, {}",
        count(events.len(), "event", "events"),
        md_escape(&super::span_words(m, events))
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
        let mut line = format!(
            "- **{}** {}",
            md_escape(&crate::evidence::words::span_words(ev.date, ev.end)),
            md_escape(&ev.title)
        );
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
            let _ = writeln!(out, "\n  {}\n", md_escape_block(s));
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
    // Compatible disagreements too: they are listed there, as such.
    let disputed = |ci: Ix| m.conflicts.iter().any(|c| c.claims.contains(&ci));
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
            .map(|d| format!(" (as of {})", when_inline(d)))
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

/// An event named in "Where sources disagree" that the briefing does not
/// hold: its title, its date in words, and that it is not here.
fn outside(m: &Model, e: Ix) -> String {
    let ev = m.event(e);
    format!(
        "“{}”, {}, not in this briefing",
        md_escape(&ev.title),
        md_escape(&crate::evidence::words::span_words(ev.date, ev.end))
    )
}

fn disagreements(out: &mut String, m: &Model, events: &[Ix], notes: &mut Notes) {
    let held: BTreeSet<Ix> = events.iter().copied().collect();
    // The disagreements about these events, in store order: those the
    // explorer marks on them (`!`), and the compatible ones that would
    // mark them were they not compatible (a claim names one, or it is the
    // subject).
    let about = |c: &crate::model::Conflict| {
        matches!(c.subject, Subject::Event(e) if held.contains(&e))
            || c.claims.iter().any(|&ci| {
                m.claims[ci as usize]
                    .events
                    .iter()
                    .any(|e| held.contains(e))
            })
    };
    let listed: Vec<&crate::model::Conflict> = m.conflicts.iter().filter(|c| about(c)).collect();
    if listed.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Where sources disagree\n");
    // Contradictions first, then values that can all be true at once.
    for c in listed
        .iter()
        .filter(|c| !c.compatible)
        .chain(listed.iter().filter(|c| c.compatible))
    {
        let subject = match c.subject {
            Subject::Event(e) if !held.contains(&e) => outside(m, e),
            s => md_escape(m.subject_name(s)),
        };
        let how = if c.compatible {
            " — compatible: these values can all be true at once"
        } else {
            ""
        };
        let _ = writeln!(out, "- **{}** ({subject}){how}:", md_escape(&c.attribute));
        conflict_values(out, m, c, &held, notes);
    }
}

/// The values of a disagreement, one line each: the value, as of when,
/// the outlets that state it and their independent origins, a warning
/// when only sponsored content does, the events it is about when none is
/// held, and its quotes as footnotes.
pub(super) fn conflict_values(
    out: &mut String,
    m: &Model,
    c: &crate::model::Conflict,
    held: &BTreeSet<Ix>,
    notes: &mut Notes,
) {
    for &ci in &c.claims {
        let cl = &m.claims[ci as usize];
        let as_of = cl
            .as_of
            .map(|d| format!(", as of {}", when_inline(d)))
            .unwrap_or_default();
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
        // A value about events none of which is here says which.
        let elsewhere = if !cl.events.is_empty() && !cl.events.iter().any(|e| held.contains(e)) {
            let named: Vec<String> = cl.events.iter().map(|&e| outside(m, e)).collect();
            format!(" — about {}", named.join("; "))
        } else {
            String::new()
        };
        let mut outlets: Vec<String> = cl
            .evidence
            .iter()
            .map(|q| md_escape(&m.source(q.source).outlet))
            .collect();
        outlets.dedup();
        let _ = writeln!(
            out,
            "  - {}{}: {} ({}){flag}{elsewhere}{}",
            md_escape(&cl.value),
            md_escape(&as_of),
            outlets.join("; "),
            count(origins, "independent origin", "independent origins"),
            notes.markers(m, &cl.evidence)
        );
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
            (Some(a), Some(b)) => format!(" ({} – {})", when(a), when(b)),
            (Some(a), None) => format!(" (since {})", when_inline(a)),
            (None, Some(b)) => format!(" (until {})", when_inline(b)),
            (None, None) => " (undated)".to_string(),
        };
        let _ = writeln!(
            out,
            "- {} → {} → {}{}",
            md_escape(&m.actor(r.from).name),
            md_escape(&r.kind),
            md_escape(&m.actor(r.to).name),
            md_escape(&when)
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
        for (i, line) in notes.lines.iter().enumerate() {
            let _ = writeln!(out, "\n[^{}]: {line}", i + 1);
        }
    }
    out
}
