//! `annals sources`: each source with its kind, outlet, origin, how much of
//! it the store quotes and what it holds that no quote takes yet; with
//! `--overlap`, the stored sources that share passages and whether the
//! store records that one derives from the other.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Value, json};

use annals::Model;
use annals::evidence::coverage::{self, Reason, SourceCoverage};
use annals::evidence::overlap::{self, Overlap};
use annals::io::safe::{self, safe};
use annals::model::{Ix, Lineage};

use super::out::{finish, plural, report};

pub(super) fn sources(store: Option<&PathBuf>, json: bool, overlaps: bool) -> ExitCode {
    let m = match super::load(store) {
        Ok(m) => m,
        Err(e) => return report(&e),
    };
    let mut out = std::io::stdout().lock();
    let res = match (overlaps, json) {
        (false, false) => write_list(&mut out, &m),
        (false, true) => write_json(&mut out, list_json(&m)),
        (true, false) => write_overlaps(&mut out, &m),
        (true, true) => write_json(&mut out, overlaps_json(&m)),
    };
    finish(res)
}

fn write_json(out: &mut impl Write, v: Value) -> std::io::Result<()> {
    writeln!(out, "{}", safe::json_safe(v.to_string()))
}

/// "original", "based on reuters-report (rewrite)", "external original
/// (summary): a Reuters report".
fn origin_words(m: &Model, s: Ix) -> String {
    match &m.source(s).lineage {
        Lineage::Original => "original".into(),
        Lineage::BasedOn(up, how) => format!("based on {} ({})", m.source(*up).id, how.label()),
        Lineage::External(name, how) => format!("external original ({}): {name}", how.label()),
    }
}

fn origin_json(m: &Model, s: Ix) -> Value {
    match &m.source(s).lineage {
        Lineage::Original => json!({"type": "original"}),
        Lineage::BasedOn(up, how) => json!({
            "type": "based_on", "source": m.source(*up).id, "derivation": how.label()
        }),
        Lineage::External(name, how) => json!({
            "type": "external", "original": name, "derivation": how.label()
        }),
    }
}

fn dated(c: &SourceCoverage) -> usize {
    c.unused
        .iter()
        .filter(|u| u.reasons.contains(&Reason::Date))
        .count()
}

fn write_list(out: &mut impl Write, m: &Model) -> std::io::Result<()> {
    let all = coverage::of_store(m);
    let width = |f: &dyn Fn(&SourceCoverage) -> usize| all.iter().map(f).max().unwrap_or(0);
    let id_w = width(&|c| m.source(c.source).id.chars().count());
    let kind_w = width(&|c| m.source(c.source).kind.label().len());
    for c in &all {
        let s = m.source(c.source);
        writeln!(
            out,
            "{:<id_w$}  {:<kind_w$}  {:>3.0}% quoted  {} unused ({} dated)  {}",
            safe(&s.id),
            s.kind.label(),
            c.percent(),
            c.unused.len(),
            dated(c),
            safe(&origin_words(m, c.source)),
        )?;
        writeln!(out, "    outlet: {}", safe(&s.outlet))?;
        let ids: Vec<&str> = c.events.iter().map(|&e| m.event(e).id.as_str()).collect();
        if ids.is_empty() {
            writeln!(out, "    no event quotes it")?;
        } else {
            let n = ids.len();
            let what = plural(n, "event");
            writeln!(out, "    {n} {what}: {}", safe(&ids.join(", ")))?;
        }
    }
    Ok(())
}

fn reason_json(m: &Model, r: Reason) -> String {
    match r {
        Reason::Date => "date".into(),
        Reason::Number => "number".into(),
        Reason::Actor(a) => format!("actor:{}", m.actor(a).id),
    }
}

fn list_json(m: &Model) -> Value {
    let rows: Vec<Value> = coverage::of_store(m)
        .iter()
        .map(|c| {
            let s = m.source(c.source);
            let unused: Vec<Value> = c
                .unused
                .iter()
                .map(|u| {
                    let reasons: Vec<String> =
                        u.reasons.iter().map(|&r| reason_json(m, r)).collect();
                    json!({"start": u.span.start, "end": u.span.end, "reasons": reasons})
                })
                .collect();
            let events: Vec<&str> = c.events.iter().map(|&e| m.event(e).id.as_str()).collect();
            json!({
                "id": s.id,
                "kind": s.kind.label(),
                "outlet": s.outlet,
                "title": s.title,
                "origin": origin_json(m, c.source),
                "coverage": (c.percent() * 10.0).round() / 10.0,
                "quoted_bytes": c.quoted_bytes,
                "text_bytes": c.text_bytes,
                "unused": c.unused.len(),
                "unused_dated": dated(c),
                "unused_sentences": unused,
                "events": events,
            })
        })
        .collect();
    Value::Array(rows)
}

/// Whether the store says one derives from the other: `based_on` either
/// way, or one origin reached otherwise (a chain, one external original).
fn recorded(m: &Model, a: Ix, b: Ix) -> Option<&'static str> {
    let based = |x: Ix, y: Ix| matches!(m.source(x).lineage, Lineage::BasedOn(up, _) if up == y);
    if based(a, b) || based(b, a) {
        Some("based_on")
    } else if m.source(a).origin == m.source(b).origin {
        Some("same_origin")
    } else {
        None
    }
}

/// Two stored sources sharing passages: `a` the one sharing the larger
/// part of its sentences (the likelier copy), `back` the other way.
struct Pair {
    a: Ix,
    ab: Overlap,
    back: Option<Overlap>,
}

/// Pairs where either way reaches the floor, most shared first.
fn pairs(m: &Model) -> Vec<Pair> {
    let mut all = overlap::within_store(m);
    // Larger share first, so the first of a pair met is its `a`.
    all.sort_by(|(a, x), (b, y)| {
        y.share()
            .total_cmp(&x.share())
            .then(a.cmp(b))
            .then(x.other.cmp(&y.other))
    });
    let mut seen = std::collections::HashMap::new();
    let mut out: Vec<Pair> = Vec::new();
    for (s, o) in all {
        let key = (s.min(o.other), s.max(o.other));
        match seen.get(&key) {
            Some(&at) => {
                let p: &mut Pair = &mut out[at];
                p.back = Some(o);
            }
            None if o.share() >= overlap::FLOOR => {
                seen.insert(key, out.len());
                out.push(Pair {
                    a: s,
                    ab: o,
                    back: None,
                });
            }
            None => {}
        }
    }
    for p in out.iter_mut().filter(|p| p.back.is_none()) {
        let text = &m.source(p.ab.other).text;
        p.back = Some(overlap::reversed(&p.ab, p.a, text));
    }
    out
}

fn write_overlaps(out: &mut impl Write, m: &Model) -> std::io::Result<()> {
    let all = pairs(m);
    if all.is_empty() {
        return writeln!(
            out,
            "no source shares {:.0}% of its sentences or more with another",
            overlap::FLOOR * 100.0
        );
    }
    for p in &all {
        let (a, b) = (&m.source(p.a).id, &m.source(p.ab.other).id);
        let (back_n, back_of) = p
            .back
            .as_ref()
            .map_or((0, 0), |o| (o.shared_sentences, o.sentences));
        writeln!(
            out,
            "{} ~ {}: {} of {} sentences of the first ({:.0}%), {} of {} of the second ({:.0}%)",
            safe(a),
            safe(b),
            p.ab.shared_sentences,
            p.ab.sentences,
            p.ab.share() * 100.0,
            back_n,
            back_of,
            back_n as f64 * 100.0 / back_of.max(1) as f64,
        )?;
        let status = match recorded(m, p.a, p.ab.other) {
            Some("based_on") => "recorded: one is based_on the other".to_string(),
            Some(_) => "recorded: both go back to one original".to_string(),
            None => "NOT RECORDED: if one copies the other, give the copy based_on: \"<the other's id>\"".to_string(),
        };
        writeln!(out, "    {}", safe(&status))?;
    }
    Ok(())
}

fn passages_json(o: &Overlap) -> Vec<Value> {
    o.passages
        .iter()
        .map(|(a, b)| json!({"start": a.start, "end": a.end, "other_start": b.start, "other_end": b.end}))
        .collect()
}

fn overlaps_json(m: &Model) -> Value {
    let rows: Vec<Value> = pairs(m)
        .iter()
        .map(|p| {
            let back = p.back.as_ref();
            json!({
                "source": m.source(p.a).id,
                "other": m.source(p.ab.other).id,
                "shared_sentences": p.ab.shared_sentences,
                "sentences": p.ab.sentences,
                "share": (p.ab.share() * 1000.0).round() / 1000.0,
                "other_shared_sentences": back.map_or(0, |o| o.shared_sentences),
                "other_sentences": back.map_or(0, |o| o.sentences),
                "other_share": back.map_or(0.0, |o| (o.share() * 1000.0).round() / 1000.0),
                "recorded": recorded(m, p.a, p.ab.other),
                "passages": passages_json(&p.ab),
            })
        })
        .collect();
    Value::Array(rows)
}
