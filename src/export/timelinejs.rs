//! Knight Lab TimelineJS3 JSON.
//!
//! Dates: TimelineJS has no uncertain dates, so each date is given at its
//! anchor's own precision, and a date that is not exact carries a
//! `display_date` in TimelineJS's own English style ("July 26, 2023",
//! "July 2023", "2023"): "c. July 2023" when approximate, "Between
//! c. July 2023 and September 19, 2023", "On or after March 15, 2024" or
//! "On or before December 2023" when uncertain. Each bound keeps the
//! precision it was written with.
//!
//! Slides: `unique_id` is the event id when it is already a safe HTML id
//! (ASCII letters, digits, `-`, `_`), else a sanitized form made unique
//! (TimelineJS uses it as the slide's element id and in `#event-…` links,
//! and renames ids that collide). `media` is the first quote from a source
//! with a URL (else the first quote) as a blockquote, credited to its outlet
//! (sponsored content flagged), linked and captioned with the article.
//! `group` is the first tag; in a slice where some events have tags and
//! some not, the untagged ones go under `(untagged)`, as TimelineJS would
//! otherwise draw them in a group row without a label. Each event with an
//! end date that differs from its start also becomes an era.

use std::collections::HashSet;

use super::*;
use crate::evidence::date::{MONTH_NAMES, PartialDate, year_words};

/// Label for events without a tag in a slice where others have one.
pub const UNTAGGED_GROUP: &str = "(untagged)";

/// A partial date in TimelineJS's English formats, "c. " before it when
/// approximate: never more precise than written.
/// A year before 0000 reads as TimelineJS3 shows it: `-3500` is "3500 BCE".
fn human(d: PartialDate) -> String {
    let circa = if d.approximate { "c. " } else { "" };
    let year = year_words(d.year);
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{circa}{} {day}, {year}", month_name(m)),
        (Some(m), None) => format!("{circa}{} {year}", month_name(m)),
        _ => format!("{circa}{year}"),
    }
}

fn month_name(m: u8) -> &'static str {
    MONTH_NAMES[(m as usize).clamp(1, 12) - 1]
}

/// What TimelineJS shows for a date that is not exact; `None` for an exact
/// date, which TimelineJS formats itself the same way.
pub fn display_date(date: Date) -> Option<String> {
    match date {
        Date::On(d) if !d.approximate => None,
        Date::On(d) => Some(human(d)),
        Date::Between(lo, hi) => Some(format!("Between {} and {}", human(lo), human(hi))),
        Date::OnOrAfter(lo) => Some(format!("On or after {}", human(lo))),
        Date::OnOrBefore(hi) => Some(format!("On or before {}", human(hi))),
    }
}

/// A date in words, whether exact or not.
fn words(date: Date) -> String {
    display_date(date).unwrap_or_else(|| human(date.anchor()))
}

/// The slice's first and last dates in words, for the title slide (the
/// same dates as `span_label`, without the store's notation).
fn span_words(m: &Model, events: &[Ix]) -> String {
    match (events.first(), events.last()) {
        (Some(&a), Some(&b)) => {
            let (a, b) = (m.event(a).date, m.event(b).end.unwrap_or(m.event(b).date));
            if a == b {
                words(a)
            } else {
                format!("{} – {}", words(a), words(b))
            }
        }
        _ => "no events".into(),
    }
}

/// A TimelineJS date: the anchor at its own precision, with the date in
/// words when it is not exact.
fn tl_date(date: Date) -> serde_json::Value {
    let d = date.anchor();
    let mut v = json!({ "year": d.year });
    if let Some(mo) = d.month {
        v["month"] = json!(mo);
    }
    if let Some(day) = d.day {
        v["day"] = json!(day);
    }
    if let Some(shown) = display_date(date) {
        v["display_date"] = json!(shown);
    }
    v
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Slide ids, one per event in order, then the title's: each event's id
/// when safe, else a sanitized form; all distinct.
fn slide_ids(ids: &[&str]) -> (Vec<String>, String) {
    let mut used: HashSet<String> = ids
        .iter()
        .filter(|id| is_safe_id(id))
        .map(|id| id.to_string())
        .collect();
    let fresh = |base: &str, used: &mut HashSet<String>| -> String {
        let base = if base.is_empty() { "event" } else { base };
        let mut candidate = base.to_string();
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        used.insert(candidate.clone());
        candidate
    };
    let out = ids
        .iter()
        .map(|&id| {
            if is_safe_id(id) {
                return id.to_string();
            }
            let mut s = String::new();
            for c in crate::search::fold::fold_str(id).chars() {
                if c.is_ascii_alphanumeric() || c == '_' {
                    s.push(c);
                } else if !s.ends_with('-') {
                    s.push('-');
                }
            }
            fresh(s.trim_matches('-'), &mut used)
        })
        .collect();
    let title = fresh("title", &mut used);
    (out, title)
}

pub(super) fn timelinejs(m: &Model, events: &[Ix], title: &str) -> serde_json::Value {
    let ids: Vec<&str> = events.iter().map(|&e| &*m.event(e).id).collect();
    let (slide_ids, title_id) = slide_ids(&ids);
    let any_tagged = events.iter().any(|&e| !m.event(e).tags.is_empty());
    let mut eras = Vec::new();
    let evs: Vec<serde_json::Value> = events
        .iter()
        .zip(slide_ids)
        .map(|(&e, unique_id)| {
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
                "unique_id": unique_id,
                "start_date": tl_date(ev.date),
                "text": { "headline": html_escape(&ev.title), "text": text },
            });
            if let Some(end) = ev.end {
                let end_date = tl_date(end);
                let start_date = &v["start_date"];
                // TimelineJS drops an end date whose fields match the
                // start's, and an era without an end is an error.
                let same = ["year", "month", "day"]
                    .iter()
                    .all(|k| start_date[k] == end_date[k]);
                if !same {
                    eras.push(json!({
                        "start_date": start_date.clone(),
                        "end_date": end_date.clone(),
                        "text": { "headline": html_escape(&ev.title) },
                    }));
                }
                v["end_date"] = end_date;
            }
            // The first quote from a source with a URL (else the first
            // quote), shown as a quote: TimelineJS draws any URL it cannot
            // embed as an image, so an article link would be a broken
            // picture. The link and caption lead to the article.
            let quote = ev
                .evidence
                .iter()
                .find(|q| m.source(q.source).url.is_some())
                .or(ev.evidence.first());
            if let Some(q) = quote {
                let s = m.source(q.source);
                let credit = if s.is_sponsored() {
                    format!("{} (sponsored content)", html_escape(&s.outlet))
                } else {
                    html_escape(&s.outlet)
                };
                let mut media = json!({
                    "url": format!("<blockquote>“{}”</blockquote>", html_escape(&q.text)),
                    "credit": credit,
                    "caption": html_escape(&s.title),
                });
                if let Some(url) = s.url.as_deref() {
                    media["link"] = json!(url);
                    media["caption"] = json!(format!(
                        "<a href=\"{}\">{}</a>",
                        html_escape(url),
                        html_escape(&s.title)
                    ));
                }
                v["media"] = media;
            }
            match ev.tags.first() {
                Some(&t) => v["group"] = json!(html_escape(&m.tags[t as usize])),
                None if any_tagged => v["group"] = json!(UNTAGGED_GROUP),
                None => {}
            }
            v
        })
        .collect();
    let mut out = json!({
        "title": {
            "unique_id": title_id,
            "text": {
                "headline": html_escape(title),
                "text": format!("<p>{} events, {}</p>", events.len(), span_words(m, events)),
            }
        },
        "events": evs,
    });
    if !eras.is_empty() {
        out["eras"] = json!(eras);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(s: &str) -> Option<String> {
        display_date(Date::parse(s).unwrap())
    }

    #[test]
    fn display_dates_read_as_words_at_the_written_precision() {
        assert_eq!(shown("2023-07"), None);
        assert_eq!(shown("2023-07-26"), None);
        assert_eq!(shown("~2023-07").as_deref(), Some("c. July 2023"));
        assert_eq!(shown("~2018").as_deref(), Some("c. 2018"));
        assert_eq!(shown("~2023-07-26").as_deref(), Some("c. July 26, 2023"));
        assert_eq!(
            shown("[2023-02..2024]").as_deref(),
            Some("Between February 2023 and 2024")
        );
        assert_eq!(
            shown("[~2023-07..2023-09-19]").as_deref(),
            Some("Between c. July 2023 and September 19, 2023")
        );
        assert_eq!(
            shown("[~2024-03-15..]").as_deref(),
            Some("On or after c. March 15, 2024")
        );
        assert_eq!(
            shown("[..2023-12]").as_deref(),
            Some("On or before December 2023")
        );
    }

    #[test]
    fn slide_ids_are_safe_and_distinct() {
        let (ids, title) = slide_ids(&["coup", "a b", "a-b", "", "title", "é/x", "a  b"]);
        assert_eq!(ids[0], "coup");
        assert_eq!(ids[2], "a-b");
        assert_eq!(ids[1], "a-b-2");
        assert_eq!(ids[3], "event");
        assert_eq!(ids[4], "title");
        assert_eq!(ids[5], "e-x");
        assert_eq!(ids[6], "a-b-3");
        assert_eq!(title, "title-2");
        let all: HashSet<&String> = ids.iter().chain([&title]).collect();
        assert_eq!(all.len(), ids.len() + 1);
        assert!(all.iter().all(|id| is_safe_id(id)));
    }
}
