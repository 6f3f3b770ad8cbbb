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
use crate::evidence::words::display_date;

/// Label for events without a tag in a slice where others have one.
pub const UNTAGGED_GROUP: &str = "(untagged)";

/// The tag of an event that is a TimelineJS era: exported as an era band,
/// not a slide (the import of a TimelineJS era gives it).
pub const ERA_TAG: &str = "era";

/// The tag of an event whose title was derived from its text (a TimelineJS
/// slide without a headline): exported without a headline, as it was.
pub const DERIVED_TITLE_TAG: &str = "title-from-text";

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

pub(super) fn html_escape(s: &str) -> String {
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

/// Whether TimelineJS shows `url` as media of its own (an image, a video,
/// a Wikipedia article, a tweet, …), as TimelineJS3's media types tell
/// them apart. Any other URL it draws as a broken image.
pub fn embeddable(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    let path = u.split(['?', '#']).next().unwrap_or("");
    let ext = path.rsplit('/').next().and_then(|f| f.rsplit_once('.'));
    if ext.is_some_and(|(_, e)| {
        matches!(
            e,
            "jpg"
                | "jpeg"
                | "png"
                | "gif"
                | "svg"
                | "webp"
                | "pdf"
                | "mp4"
                | "webm"
                | "mp3"
                | "wav"
                | "m4a"
        )
    }) {
        return true;
    }
    let host = path
        .split("//")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    let on = |h: &str| host == h || host.ends_with(&format!(".{h}"));
    on("wikipedia.org")
        || on("youtube.com")
        || on("youtu.be")
        || on("vimeo.com")
        || on("dailymotion.com")
        || on("dai.ly")
        || on("soundcloud.com")
        || on("twitter.com")
        || on("x.com")
        || on("flic.kr")
        || on("imgur.com")
        || on("documentcloud.org")
        || on("spotify.com")
        || (on("flickr.com") && path.contains("/photos"))
        || (on("instagram.com") && path.contains("/p/"))
        || (on("tiktok.com") && path.contains("/video/"))
        || (on("bsky.app") && path.contains("/post/"))
}

/// Whether an event is written as an era band: tagged `era`, with an end
/// TimelineJS keeps (an end whose fields match the start's it drops, and
/// an era without an end is an error).
fn is_era(m: &Model, e: Ix) -> bool {
    let ev = m.event(e);
    let era = m.tag_ix(ERA_TAG);
    era.is_some_and(|t| ev.tags.contains(&t))
        && ev.end.is_some_and(|end| !same_fields(ev.date, end))
}

fn same_fields(start: Date, end: Date) -> bool {
    let (a, z) = (tl_date(start), tl_date(end));
    ["year", "month", "day"].iter().all(|k| a[k] == z[k])
}

/// The group of an event: its first tag but annals' own marks.
fn group_of(m: &Model, e: Ix) -> Option<&str> {
    m.event(e)
        .tags
        .iter()
        .map(|&t| &*m.tags[t as usize])
        .find(|t| *t != ERA_TAG && *t != DERIVED_TITLE_TAG)
}

pub(super) fn timelinejs(m: &Model, events: &[Ix], title: &str) -> serde_json::Value {
    build(m, events, title, None)
}

/// What a story adds to its timeline: the title slide's text (HTML) in
/// place of the store's description, and HTML to open each event's
/// slide with (where it stands in the story, and the prose).
pub(super) struct StoryText {
    pub(super) about: String,
    pub(super) lead: std::collections::HashMap<Ix, String>,
}

pub(super) fn timelinejs_story(
    m: &Model,
    events: &[Ix],
    title: &str,
    story: &StoryText,
) -> serde_json::Value {
    build(m, events, title, Some(story))
}

fn build(m: &Model, events: &[Ix], title: &str, story: Option<&StoryText>) -> serde_json::Value {
    let ids: Vec<&str> = events.iter().map(|&e| &*m.event(e).id).collect();
    let (slide_ids, title_id) = slide_ids(&ids);
    let derived = m.tag_ix(DERIVED_TITLE_TAG);
    // Era bands have no group: only slides count for the "(untagged)" row.
    let any_grouped = events
        .iter()
        .any(|&e| !is_era(m, e) && group_of(m, e).is_some());
    let mut eras = Vec::new();
    let mut evs = Vec::new();
    for (&e, unique_id) in events.iter().zip(slide_ids) {
        let ev = m.event(e);
        // The media: a quote whose source's URL TimelineJS can show, that
        // URL; else a quote (one from a source with a URL first) as a
        // blockquote, linked to its source. A quote that only repeats the
        // title is not worth the media's place. The quote shown in the
        // media is not repeated in the text.
        let not_title = |q: &&Quote| q.text.trim() != ev.title.trim();
        let url_of = |q: &Quote| m.source(q.source).url.as_deref().map(str::trim);
        let shown_url = ev
            .evidence
            .iter()
            .find(|q| url_of(q).is_some_and(embeddable));
        let shown_quote = if shown_url.is_some() {
            None
        } else {
            ev.evidence
                .iter()
                .filter(not_title)
                .find(|q| url_of(q).is_some())
                .or_else(|| ev.evidence.iter().find(not_title))
        };
        let mut text = story
            .and_then(|s| s.lead.get(&e))
            .cloned()
            .unwrap_or_default();
        if let Some(s) = &ev.summary {
            let _ = write!(text, "<p>{}</p>", html_escape(s));
        }
        for q in &ev.evidence {
            if shown_quote.is_some_and(|s| std::ptr::eq(s, q)) {
                continue;
            }
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
        let headline = if derived.is_some_and(|t| ev.tags.contains(&t)) {
            // Derived from the text on import: TimelineJS showed none.
            String::new()
        } else {
            html_escape(&ev.title)
        };
        if is_era(m, e) {
            eras.push(json!({
                "start_date": tl_date(ev.date),
                "end_date": tl_date(ev.end.unwrap_or(ev.date)),
                "text": { "headline": headline, "text": text },
            }));
            continue;
        }
        let mut v = json!({
            "unique_id": unique_id,
            "start_date": tl_date(ev.date),
            "text": { "headline": headline, "text": text },
        });
        // A lasting event is a slide with an end date; TimelineJS draws
        // its span.
        if let Some(end) = ev.end {
            v["end_date"] = tl_date(end);
        }
        let credit = |s: &crate::model::Source| {
            if s.is_sponsored() {
                format!("{} (sponsored content)", html_escape(&s.outlet))
            } else {
                html_escape(&s.outlet)
            }
        };
        if let Some(q) = shown_url {
            let s = m.source(q.source);
            let url = s.url.as_deref().unwrap_or("").trim();
            let mut media = json!({ "url": url, "credit": credit(s) });
            if s.title.trim() != url {
                media["caption"] = json!(html_escape(&s.title));
            }
            v["media"] = media;
        } else if let Some(q) = shown_quote {
            let s = m.source(q.source);
            let mut media = json!({
                "url": format!("<blockquote>{}</blockquote>", html_escape(&q.text)),
                "credit": credit(s),
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
        match group_of(m, e) {
            Some(g) => v["group"] = json!(html_escape(g)),
            None if any_grouped => v["group"] = json!(UNTAGGED_GROUP),
            None => {}
        }
        evs.push(v);
    }
    let about = if m.meta.description.trim().is_empty() {
        format!("{} events, {}", events.len(), super::span_words(m, events))
    } else {
        m.meta.description.to_string()
    };
    let about: String = match story {
        Some(s) => s.about.clone(),
        None => about
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("<p>{}</p>", html_escape(l)))
            .collect(),
    };
    let mut out = json!({
        "title": {
            "unique_id": title_id,
            "text": {
                "headline": html_escape(title),
                "text": about,
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
