//! Knight Lab TimelineJS3 JSON.

use super::*;

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

pub(super) fn timelinejs(m: &Model, events: &[Ix], title: &str) -> serde_json::Value {
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
