//! The Markdown briefing: a chronology with cited quotes, the actors,
//! where sources disagree, and the sources.

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

pub(super) fn markdown(m: &Model, events: &[Ix], title: &str) -> String {
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
