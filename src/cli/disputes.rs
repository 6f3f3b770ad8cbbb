//! `annals disputes`: every disagreement between sources, with its values,
//! who states them and the events it is about.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use annals::Model;
use annals::disputes::{self, Dispute};
use annals::io::safe::{self, safe};

use super::FilterArgs;
use super::out::finish;
use super::slice::load_filtered;

pub(super) fn disputes(store: Option<&PathBuf>, args: &FilterArgs, json: bool) -> ExitCode {
    let (m, filter, events, _) = match load_filtered(store, args) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let list = if filter.is_empty() && args.view.is_none() {
        disputes::all(&m)
    } else {
        disputes::in_slice(&m, &events)
    };
    let mut out = std::io::stdout().lock();
    let res = if json {
        let rows: Vec<_> = list.iter().map(|d| as_json(&m, d)).collect();
        writeln!(
            out,
            "{}",
            safe::json_safe(serde_json::Value::Array(rows).to_string())
        )
    } else {
        list.iter()
            .try_for_each(|d| write!(out, "{}", as_text(&m, d)))
            .and_then(|()| {
                let contradict = list.iter().filter(|d| !compatible(&m, d)).count();
                writeln!(
                    out,
                    "{} disagreement{}: {contradict} contradicting, {} compatible",
                    list.len(),
                    if list.len() == 1 { "" } else { "s" },
                    list.len() - contradict
                )
            })
    };
    finish(res)
}

fn compatible(m: &Model, d: &Dispute) -> bool {
    m.conflicts[d.conflict as usize].compatible
}

/// A disagreement as lines a person reads.
fn as_text(m: &Model, d: &Dispute) -> String {
    let how = if compatible(m, d) {
        "compatible: the values can all hold"
    } else {
        "contradicting"
    };
    let mut s = format!("{} — {how}\n", safe(&d.name));
    for v in &d.values {
        let claim = &m.claims[v.claim as usize];
        let as_of = claim
            .as_of
            .map(|a| format!(", as of {a}"))
            .unwrap_or_default();
        let read = disputes::read_as(claim)
            .map(|r| format!(" (read as {r})"))
            .unwrap_or_default();
        let sponsored = if v.sponsored_only {
            ", sponsored content only"
        } else {
            ""
        };
        s.push_str(&format!(
            "  {:?}{read}{as_of}: {} ({} independent origin{}{sponsored})\n",
            safe(&claim.value),
            safe(&v.outlets.join("; ")),
            v.origins,
            if v.origins == 1 { "" } else { "s" }
        ));
    }
    if d.events.is_empty() {
        s.push_str("  about no event of the store\n");
    }
    for &e in &d.events {
        let ev = m.event(e);
        s.push_str(&format!(
            "  event {} {} {}\n",
            ev.when(),
            safe(&ev.id),
            safe(&ev.title)
        ));
    }
    s
}

fn as_json(m: &Model, d: &Dispute) -> serde_json::Value {
    let c = &m.conflicts[d.conflict as usize];
    let values: Vec<_> = d
        .values
        .iter()
        .map(|v| {
            let claim = &m.claims[v.claim as usize];
            let sources: Vec<_> = claim
                .evidence
                .iter()
                .map(|q| {
                    let s = m.source(q.source);
                    json!({
                        "source": s.id,
                        "outlet": s.outlet,
                        "kind": s.kind.label(),
                        "quote": q.text,
                    })
                })
                .collect();
            json!({
                "value": claim.value,
                "as_of": claim.as_of.map(|d| d.to_string()),
                "value_date": claim.value_date.map(|d| d.to_string()),
                "value_number": claim.value_number,
                "value_min": claim.value_min,
                "value_max": claim.value_max,
                "outlets": v.outlets,
                "independent_origins": v.origins,
                "sponsored_only": v.sponsored_only,
                "evidence": sources,
            })
        })
        .collect();
    let events: Vec<_> = d
        .events
        .iter()
        .map(|&e| {
            let ev = m.event(e);
            json!({"id": ev.id, "date": ev.date.to_string(), "title": ev.title})
        })
        .collect();
    json!({
        "name": d.name,
        "subject": m.subject_id(c.subject),
        "subject_name": m.subject_name(c.subject),
        "attribute": c.attribute,
        "compatible": c.compatible,
        "values": values,
        "events": events,
    })
}
