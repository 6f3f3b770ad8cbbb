//! A story exported in its own order: a Markdown narrative (the
//! introduction, then each step's prose with its event, quote or
//! disagreement cited as the briefing cites them), a TimelineJS timeline
//! (slides go by date, so each says where it stands in the story), or
//! JSON listing the steps in story order. A step whose event, quote or
//! disagreement is gone is shown as missing, never dropped.

use std::collections::HashMap;

use super::markdown::{Notes, conflict_values, full_cite, md_escape, md_escape_block};
use super::*;
use crate::annotate::stories::{Found, Story, Target};
use crate::evidence::words::span_words;

/// The formats a story exports to.
pub fn story_format_refusal(format: Format) -> Option<String> {
    match format {
        Format::Md | Format::TimelineJs | Format::Json => None,
        other => Some(format!(
            "a story exports to md, timelinejs or json, not {}",
            other.name()
        )),
    }
}

/// A story in `format`, made on day `on` (`YYYY-MM-DD`).
pub fn render_story(m: &Model, story: &Story, format: Format, on: &str) -> Result<Vec<u8>, String> {
    if let Some(why) = story_format_refusal(format) {
        return Err(why);
    }
    let found = story.resolve(m);
    match format {
        Format::Md => Ok(story_markdown(m, story, &found, on).into_bytes()),
        Format::TimelineJs => pretty_json(&story_timeline(m, story, &found)),
        _ => pretty_json(&story_json(m, story, &found)),
    }
}

/// The analyst's Markdown as written, without control characters (tabs
/// and line breaks kept).
fn prose(s: &str) -> String {
    s.chars()
        .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
}

/// What a step is about, in words, for headings and missing steps.
fn step_kind(on: &Target) -> &'static str {
    match on {
        Target::Event(_) => "event",
        Target::Quote { .. } => "quote",
        Target::Conflict { .. } => "disagreement",
    }
}

/// The event line of the narrative: date in words, title, places, and
/// its quotes as footnotes (`quotes`: the indices of the quotes cited).
fn event_line(m: &Model, e: Ix, quotes: &[usize], notes: &mut Notes) -> String {
    let ev = m.event(e);
    let mut line = format!(
        "**{}** — {}",
        md_escape(&span_words(ev.date, ev.end)),
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
    let marks: Vec<String> = quotes
        .iter()
        .filter_map(|&k| ev.evidence.get(k))
        .map(|q| notes.cite(m, q))
        .collect();
    line.push_str(&marks.join(", "));
    line
}

fn story_markdown(m: &Model, story: &Story, found: &[Found], on: &str) -> String {
    let n = found.len();
    let missing = found.iter().filter(|f| f.is_missing()).count();
    let mut out = format!("# {}\n\n", md_escape(&story.name));
    let _ = writeln!(out, "- **Store**: {}", md_escape(&m.meta.title));
    let steps = match missing {
        0 => format!("{n} step{}", if n == 1 { "" } else { "s" }),
        k => format!("{n} steps, {k} of them missing from the store"),
    };
    let _ = writeln!(out, "- **Story**: {steps}, in the analyst's order");
    let _ = writeln!(out, "- **Made**: {on} with annals\n");
    let intro = prose(&story.intro);
    if !intro.is_empty() {
        let _ = writeln!(out, "{intro}\n");
    }
    let mut notes = Notes::default();
    let held: BTreeSet<Ix> = found.iter().filter_map(|f| f.event(m)).collect();
    for (k, (step, f)) in story.steps.iter().zip(found).enumerate() {
        let _ = writeln!(out, "## Step {} of {n}\n", k + 1);
        let text = prose(&step.text);
        if !text.is_empty() {
            let _ = writeln!(out, "{text}\n");
        }
        match *f {
            Found::Event(e) => {
                let all: Vec<usize> = (0..m.event(e).evidence.len()).collect();
                let _ = writeln!(out, "{}\n", event_line(m, e, &all, &mut notes));
                if let Some(s) = &m.event(e).summary {
                    let _ = writeln!(out, "{}\n", md_escape_block(s));
                }
            }
            Found::Quote(e, q) => {
                let _ = writeln!(out, "{}\n", event_line(m, e, &[q], &mut notes));
                let quote = &m.event(e).evidence[q];
                let _ = writeln!(out, "> {}\n", md_escape_block(&quote.text));
            }
            Found::Conflict(c) => {
                let conflict = &m.conflicts[c as usize];
                let how = if conflict.compatible {
                    " — compatible: these values can all be true at once"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "Where sources disagree: **{}** ({}){how}:\n",
                    md_escape(&conflict.attribute),
                    md_escape(m.subject_name(conflict.subject))
                );
                conflict_values(&mut out, m, conflict, &held, &mut notes);
                let _ = writeln!(out);
            }
            Found::Missing(ref why) => {
                let _ = writeln!(
                    out,
                    "*Missing: this step's {} is no longer in the store ({}).*\n",
                    step_kind(&step.on),
                    md_escape(why)
                );
            }
        }
    }
    if !notes.sources.is_empty() {
        let _ = writeln!(out, "## Sources\n");
        for &s in &notes.sources {
            let _ = writeln!(out, "- {}", full_cite(m, s));
        }
    }
    for (i, line) in notes.lines.iter().enumerate() {
        let _ = writeln!(out, "\n[^{}]: {line}", i + 1);
    }
    out
}

/// Prose as HTML paragraphs: escaped, blank lines between paragraphs,
/// single line breaks kept.
fn prose_html(s: &str) -> String {
    prose(s)
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(timelinejs::html_escape).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect()
}

fn story_timeline(m: &Model, story: &Story, found: &[Found]) -> serde_json::Value {
    let n = found.len();
    // Each slide's text starts with the steps that show its event.
    let mut lead: HashMap<Ix, String> = HashMap::new();
    let mut about = prose_html(&story.intro);
    for (k, (step, f)) in story.steps.iter().zip(found).enumerate() {
        let what = match f {
            Found::Quote(e, q) => format!(
                ": the quote “{}”",
                timelinejs::html_escape(&m.event(*e).evidence[*q].text)
            ),
            Found::Conflict(c) => format!(
                ": where sources disagree over {}",
                timelinejs::html_escape(&m.conflicts[*c as usize].attribute)
            ),
            _ => String::new(),
        };
        let head = format!("<p><strong>Step {} of {n}</strong>{what}</p>", k + 1);
        let html = format!("{head}{}", prose_html(&step.text));
        match (f.event(m), f) {
            (Some(e), _) => lead.entry(e).or_default().push_str(&html),
            (None, Found::Missing(why)) => {
                let _ = write!(
                    about,
                    "{head}<p><em>Missing: this step's {} is no longer in the store ({}).</em></p>{}",
                    step_kind(&step.on),
                    timelinejs::html_escape(why),
                    prose_html(&step.text)
                );
            }
            // A disagreement about no event: told on the title slide.
            (None, _) => about.push_str(&html),
        }
    }
    let mut events: Vec<Ix> = lead.keys().copied().collect();
    events.sort_unstable();
    let story_text = timelinejs::StoryText { about, lead };
    timelinejs::timelinejs_story(m, &events, &story.name, &story_text)
}

fn quote_json(m: &Model, q: &Quote) -> serde_json::Value {
    let s = m.source(q.source);
    json!({ "source": s.id.as_str(), "outlet": s.outlet.as_str(), "quote": q.text.as_str() })
}

fn event_json(m: &Model, e: Ix) -> serde_json::Value {
    let ev = m.event(e);
    json!({
        "id": ev.id.as_str(),
        "title": ev.title.as_str(),
        "date": ev.date.to_string(),
        "end": ev.end.map(|d| d.to_string()),
        "when": span_words(ev.date, ev.end),
        "summary": ev.summary.as_deref(),
        "places": ev.places.iter().map(|&p| m.place(p).name.as_str()).collect::<Vec<_>>(),
        "quotes": ev.evidence.iter().map(|q| quote_json(m, q)).collect::<Vec<_>>(),
    })
}

fn conflict_json(m: &Model, c: Ix) -> serde_json::Value {
    let conflict = &m.conflicts[c as usize];
    let values: Vec<serde_json::Value> = conflict
        .claims
        .iter()
        .map(|&ci| {
            let cl = &m.claims[ci as usize];
            json!({
                "value": cl.value.as_str(),
                "as_of": cl.as_of.map(|d| d.to_string()),
                "independent_origins": m.origin_count(&cl.evidence),
                "events": cl.events.iter().map(|&e| m.event(e).id.as_str()).collect::<Vec<_>>(),
                "quotes": cl.evidence.iter().map(|q| quote_json(m, q)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "subject": m.subject_id(conflict.subject),
        "attribute": conflict.attribute.as_str(),
        "compatible": conflict.compatible,
        "values": values,
    })
}

fn story_json(m: &Model, story: &Story, found: &[Found]) -> serde_json::Value {
    let n = found.len();
    let steps: Vec<serde_json::Value> = story
        .steps
        .iter()
        .zip(found)
        .enumerate()
        .map(|(k, (step, f))| {
            let mut v = json!({
                "step": k + 1,
                "of": n,
                "kind": step_kind(&step.on),
                "prose": step.text,
            });
            match *f {
                Found::Event(e) => v["event"] = event_json(m, e),
                Found::Quote(e, q) => {
                    v["event"] = event_json(m, e);
                    v["quote"] = quote_json(m, &m.event(e).evidence[q]);
                }
                Found::Conflict(c) => {
                    v["disagreement"] = conflict_json(m, c);
                    if let Some(e) = f.event(m) {
                        v["event"] = event_json(m, e);
                    }
                }
                Found::Missing(ref why) => {
                    v["missing"] = json!(why);
                    v["names"] = json!(step.on);
                }
            }
            v
        })
        .collect();
    json!({
        "story": story.name,
        "store": m.meta.title.as_str(),
        "introduction": story.intro,
        "steps": steps,
    })
}
