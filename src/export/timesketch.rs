//! Timesketch JSONL: one event per line, with the three fields Timesketch
//! requires (`message`, `datetime`, `timestamp_desc`) and the event's own.

use super::csv::{day_cell, source_names, unique};
use super::*;

/// When the event is placed on Timesketch's timeline, which needs one
/// instant: midnight UTC of the earliest possible day, or of the latest
/// possible day when the start is open (`[..2023-12]`: "on or before").
/// The time of day means nothing: annals dates are days at most.
fn placed_on(date: &Date) -> (i64, String) {
    let (day, desc) = match (date.earliest(), date) {
        (Some(day), Date::On(d)) => (
            day,
            format!(
                "Event date ({} precision{})",
                d.precision().as_str(),
                if d.approximate { ", approximate" } else { "" }
            ),
        ),
        (Some(day), _) => (day, "Event date (uncertain: earliest possible day)".into()),
        // A date always has one bound: with no earliest, the latest.
        (None, _) => (
            date.last_day(),
            "Event date (uncertain: latest possible day)".into(),
        ),
    };
    (day, desc)
}

/// Why an event is not in a Timesketch file.
pub(super) const OUT_OF_RANGE: &str = "Timesketch's datetime takes the years 0001 to 9999 only, and these events are placed outside them";

/// Whether Timesketch can place the event: its day (`placed_on`) falls in
/// the years 0001 to 9999, which Timesketch reads `datetime` with (Python's
/// datetime); year 0000 and signed years it cannot read.
pub(super) fn fits(date: &Date) -> bool {
    let (day, _) = placed_on(date);
    let first = crate::evidence::date::PartialDate::year(1).first_day();
    let last = crate::evidence::date::PartialDate::year(9999).last_day();
    (first..=last).contains(&day)
}

/// One event as a Timesketch record.
fn record(m: &Model, e: Ix) -> serde_json::Value {
    let ev = m.event(e);
    let days = ev.days();
    let (day, timestamp_desc) = placed_on(&ev.date);
    let sources = source_names(m, e);
    json!({
        "message": ev.title,
        "datetime": format!("{}T00:00:00+00:00", crate::evidence::date::iso_day(day)),
        "timestamp_desc": timestamp_desc,
        "id": ev.id,
        "start": day_cell(days.first),
        "end": day_cell(days.last),
        "date_as_written": ev.date.to_string(),
        "end_as_written": ev.end.map(|d| d.to_string()).unwrap_or_default(),
        "precision": ev.date.precision_label(),
        "summary": ev.summary.as_deref().unwrap_or(""),
        "actors": unique(ev.actors.iter().map(|&a| m.actor(a).name.as_str())),
        "places": unique(ev.places.iter().map(|&p| m.place(p).name.as_str())),
        "tags": unique(ev.tags.iter().map(|&t| m.tags[t as usize].as_str())),
        "sources": unique(sources.iter().map(String::as_str)),
        "origins": m.event_origins(e),
        "first_quote": ev.evidence.first().map_or("", |q| q.text.as_str()),
        "url": ev
            .evidence
            .first()
            .and_then(|q| m.source(q.source).url.as_deref())
            .unwrap_or(""),
    })
}

/// The slice as JSONL: one compact JSON object per line, each line ending
/// in `\n`; characters a terminal would act on are escaped (still JSON).
pub(super) fn timesketch(m: &Model, events: &[Ix]) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = String::new();
    // What cannot be placed is left out, and `left_out` says so.
    for &e in events.iter().filter(|&&e| fits(&m.event(e).date)) {
        out.push_str(&crate::io::safe::json_safe(serde_json::to_string(
            &record(m, e),
        )?));
        out.push('\n');
    }
    Ok(out.into_bytes())
}
