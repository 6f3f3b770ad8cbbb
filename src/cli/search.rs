//! `annals search`: fuzzy search over actors, places, events, sources
//! and quotes, with `--explain`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::json;

use annals::Model;
use annals::SearchIndex;
use annals::Target;
use annals::io::safe::{self, safe};

use super::load_with_index;
use super::out::{finish, report, say};

/// Id and name of a search result; a quote also names its outlet.
pub(super) fn target_id_and_name(m: &Model, t: Target) -> (String, String) {
    let name = match t {
        Target::Quote { event, quote } => {
            let src = m.source(m.event(event).evidence[quote as usize].source);
            format!("{} ({})", t.name(m), src.outlet)
        }
        _ => t.label(m),
    };
    (t.id(m), name)
}

pub(super) struct SearchOutput {
    pub(super) limit: usize,
    pub(super) json: bool,
    pub(super) stats: bool,
    pub(super) explain: bool,
}

pub(super) fn search(store: Option<&PathBuf>, query: &str, how: &SearchOutput) -> ExitCode {
    let (m, kept) = match load_with_index(store) {
        Ok(loaded) => loaded,
        Err(e) => return report(&e),
    };
    let index = match kept {
        Some(kept) => kept.load_or_build(&m),
        None => SearchIndex::build(&m),
    };
    let started = Instant::now();
    let hits = index.search(&m, query, how.limit);
    if how.stats {
        say(&format!(
            "search: {:.3} ms, {} results",
            started.elapsed().as_secs_f64() * 1e3,
            hits.len()
        ));
    }
    if hits.is_empty() {
        say(&format!(
            "no match for {}",
            safe(&format!("{:?}", query.trim()))
        ));
        if how.json {
            // Still valid JSON for a program reading it.
            let _ = finish(writeln!(std::io::stdout().lock(), "[]"));
        }
        return ExitCode::FAILURE;
    }
    let mut out = std::io::stdout().lock();
    let res = if how.json {
        let rows: Vec<_> = hits
            .iter()
            .map(|h| {
                let (id, name) = target_id_and_name(&m, h.target);
                json!({
                    "kind": h.target.kind(),
                    "id": id,
                    "name": name,
                    "field": h.field.label(),
                    "matched": h.text,
                    "positions": h.positions,
                    "score": h.score,
                    "sponsored": h.sponsored,
                    "whole_field": h.whole_field,
                    "why": h.why,
                })
            })
            .collect();
        writeln!(
            out,
            "{}",
            safe::json_safe(serde_json::Value::Array(rows).to_string())
        )
    } else {
        print_hits(&mut out, &m, &hits, how.explain)
    };
    finish(res)
}

pub(super) fn print_hits(
    out: &mut impl Write,
    m: &Model,
    hits: &[annals::Hit],
    explain: bool,
) -> std::io::Result<()> {
    let rows: Vec<(String, String, &annals::Hit)> = hits
        .iter()
        .map(|h| {
            let (id, name) = target_id_and_name(m, h.target);
            (id, name, h)
        })
        .collect();
    let id_width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    for (id, name, h) in &rows {
        let extra = if matches!(h.target, Target::Quote { .. })
            || (h.text != *name && !h.text.is_empty())
        {
            format!("  · {}", safe(&h.text))
        } else {
            String::new()
        };
        let sponsored = if h.sponsored { "  [sponsored]" } else { "" };
        writeln!(
            out,
            "{:<6}  {:<id_width$}  {}{sponsored}{}",
            h.target.kind(),
            safe(id),
            safe(name),
            extra
        )?;
        if explain {
            writeln!(out, "        {}", safe(&explanation(h)))?;
        }
    }
    Ok(())
}

/// `score 150 = "wagner" exact +100, name +30, whole field +20`.
pub(super) fn explanation(h: &annals::Hit) -> String {
    let mut parts: Vec<String> = h
        .why
        .iter()
        .map(|w| {
            if w.query == w.word {
                format!("{:?} {} +{}", w.query, w.tier.label(), w.points)
            } else {
                format!(
                    "{:?} {} {:?} +{}",
                    w.query,
                    w.tier.label(),
                    w.word,
                    w.points
                )
            }
        })
        .collect();
    if h.why.is_empty() {
        parts.push("letters scattered across words".into());
    } else {
        parts.push(format!("{} +{}", h.field.label(), h.field.weight()));
        if h.whole_field {
            parts.push(format!("whole field +{}", annals::search::WHOLE_FIELD));
        }
    }
    format!("score {} = {}", h.score, parts.join(", "))
}
