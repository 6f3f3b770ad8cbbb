//! Sources: required text, dates, and lineage (what each derives from and
//! the independent origin it goes back to).

use std::fmt;

use rustc_hash::FxHashMap;

use super::check::{At, Checker, label};
use super::refs::Resolver;
use super::{Section, loop_path, norm};
use crate::model::{Ix, Kind, Lineage, Origin, Source};
use crate::store::SourceRec;

/// Checks the sources; their origins are worked out after (`origins`).
pub(super) fn check_sources(
    ck: &mut Checker,
    resolver: &Resolver,
    sources: Vec<SourceRec>,
) -> Vec<Source> {
    let mut out = Vec::with_capacity(sources.len());
    for (i, s) in sources.into_iter().enumerate() {
        let at = Checker::at(Section::Sources, i);
        let l = label(Section::Sources, &s.id);
        ck.not_empty(at, &l, "outlet", &s.outlet);
        ck.not_empty(at, &l, "title", &s.title);
        ck.not_empty(at, &l, "text", &s.text);
        let published = s
            .published
            .as_deref()
            .and_then(|d| ck.date(at, &l, "published", d));
        let lineage = lineage(ck, at, &l, resolver, &s);
        out.push(Source {
            id: s.id,
            outlet: s.outlet,
            title: s.title,
            published,
            url: s.url,
            kind: s.kind,
            author: s.author,
            language: s.language,
            lineage,
            origin: 0,
            text: s.text,
        });
    }
    out
}

/// A source's lineage: `based_on` (a source here) or `original` (one
/// elsewhere), and how it derives.
fn lineage(
    ck: &mut Checker,
    at: At,
    l: &dyn fmt::Display,
    resolver: &Resolver,
    s: &SourceRec,
) -> Lineage {
    let how = s.derivation.unwrap_or_default();
    match (&s.based_on, &s.original) {
        (Some(_), Some(_)) => {
            ck.report(
                at,
                Some("original"),
                None,
                format!("{l}: give based_on (a source in this store) or original (one it does not hold), not both"),
            );
            Lineage::Original
        }
        (Some(id), None) => match resolver.resolve(id, Kind::Source) {
            Ok(ix) => Lineage::BasedOn(ix, how),
            Err(msg) => {
                ck.report(
                    at,
                    Some("based_on"),
                    Some(id),
                    format!("{l}: based_on: {msg}"),
                );
                Lineage::Original
            }
        },
        (None, Some(name)) if name.trim().is_empty() => {
            ck.not_empty(at, l, "original", name);
            Lineage::Original
        }
        (None, Some(name)) => Lineage::External(name.clone(), how),
        (None, None) => {
            if s.derivation.is_some() {
                ck.report(
                    at,
                    Some("derivation"),
                    None,
                    format!("{l}: derivation says how it derives, but from what? add based_on or original"),
                );
            }
            Lineage::Original
        }
    }
}

/// Gives every source its independent origin, following `based_on` to a
/// source that derives from nothing here (or names an external original).
/// Each source is visited once: linear in the store, whatever the chains.
pub(super) fn origins(ck: &mut Checker, sources: &mut [Source]) -> Vec<Origin> {
    const UNSET: Ix = Ix::MAX;
    let mut origins: Vec<Origin> = Vec::new();
    let mut external: FxHashMap<String, Ix> = FxHashMap::default();
    for s in sources.iter_mut() {
        s.origin = UNSET;
    }
    let mut path: Vec<usize> = Vec::new();
    // Which walk last passed a source: meeting the current one again is a loop.
    let mut walked = vec![usize::MAX; sources.len()];
    for start in 0..sources.len() {
        // Walk up until a source with a known origin, a root, or a loop.
        let mut cur = start;
        path.clear();
        let origin = loop {
            if sources[cur].origin != UNSET {
                break sources[cur].origin;
            }
            if walked[cur] == start {
                // `path` ends in a loop; the sources on it are reported
                // once, and each becomes its own origin.
                report_lineage_loop(ck, sources, &path, cur);
                break UNSET;
            }
            path.push(cur);
            walked[cur] = start;
            match &sources[cur].lineage {
                Lineage::BasedOn(up, _) => cur = *up as usize,
                Lineage::External(name, _) => {
                    let key = norm(name);
                    let next = origins.len() as Ix;
                    let ix = *external.entry(key).or_insert(next);
                    if ix == next {
                        origins.push(Origin::External(name.clone()));
                    }
                    break ix;
                }
                Lineage::Original => {
                    origins.push(Origin::Source(cur as Ix));
                    break (origins.len() - 1) as Ix;
                }
            }
        };
        for &p in &path {
            sources[p].origin = if origin == UNSET {
                origins.push(Origin::Source(p as Ix));
                (origins.len() - 1) as Ix
            } else {
                origin
            };
        }
    }
    origins
}

fn report_lineage_loop(ck: &mut Checker, sources: &[Source], path: &[usize], again: usize) {
    let from = path.iter().position(|&p| p == again).unwrap_or(0);
    let ring = &path[from..];
    let names: Vec<&str> = ring.iter().map(|&p| sources[p].id.as_str()).collect();
    let first = ring.first().copied().unwrap_or(again);
    ck.report(
        At {
            section: Section::Sources,
            index: first,
        },
        Some("based_on"),
        match &sources[first].lineage {
            Lineage::BasedOn(up, _) => Some(sources[*up as usize].id.as_str()),
            _ => None,
        },
        format!(
            "source {:?}: based_on loop: {} -> {}",
            sources[first].id,
            loop_path(&names),
            sources[first].id
        ),
    );
}
