//! `annals list`: matching events in chronological order.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use annals::evidence::date::iso_day;
use annals::io::safe::{self, safe};
use annals::model::Ix;

use super::FilterArgs;
use super::out::{finish, say};
use super::slice::load_filtered;

pub(super) fn list(
    store: Option<&PathBuf>,
    args: &FilterArgs,
    json: bool,
    stats: bool,
) -> ExitCode {
    let (m, _filter, events, took) = match load_filtered(store, args) {
        Ok(v) => v,
        Err(code) => return code,
    };
    if stats {
        say(&format!(
            "filter: {:.3} ms, {} of {} events",
            took.as_secs_f64() * 1e3,
            events.len(),
            m.events.len()
        ));
    }
    let mut out = std::io::stdout().lock();
    let res = if json {
        let rows: Vec<_> = events
            .iter()
            .map(|&e| {
                let ev = m.event(e);
                let days = ev.days();
                let day = |d: i64| (d != i64::MIN && d != i64::MAX).then(|| iso_day(d));
                json!({
                    "id": ev.id,
                    "date": ev.date.to_string(),
                    "end": ev.end.map(|d| d.to_string()),
                    "precision": ev.date.precision_label(),
                    // The possible days, null where a bound is open.
                    "earliest": day(days.first),
                    "latest": day(days.last),
                    "origins": m.event_origins(e),
                    "title": ev.title,
                })
            })
            .collect();
        writeln!(
            out,
            "{}",
            safe::json_safe(serde_json::Value::Array(rows).to_string())
        )
    } else {
        let id_width = events
            .iter()
            .map(|&e| m.event(e).id.chars().count())
            .max()
            .unwrap_or(0);
        // A period shows its span: "1904-05-04 → 1914-08-15".
        let when = |e: Ix| {
            let ev = m.event(e);
            match ev.end {
                Some(end) => format!("{} → {end}", ev.date),
                None => ev.date.to_string(),
            }
        };
        let dates: Vec<String> = events.iter().map(|&e| when(e)).collect();
        let date_width = dates
            .iter()
            .map(|d| d.chars().count())
            .max()
            .unwrap_or(0)
            .max(11);
        events.iter().zip(&dates).try_for_each(|(&e, date)| {
            let ev = m.event(e);
            writeln!(
                out,
                "{date:<date_width$} {:<id_width$}  {}",
                safe(&ev.id),
                safe(&ev.title)
            )
        })
    };
    finish(res)
}
