//! Places: names, coordinates on Earth, `within` references without
//! loops, and the depth-first numbering that makes "at a place or within
//! it" a range.

use super::check::{Checker, label};
use super::refs::Resolver;
use super::{Section, loop_path};
use crate::model::{Ix, Kind, Model, Place};
use crate::store::PlaceRec;

pub(super) fn check_places(
    ck: &mut Checker,
    resolver: &Resolver,
    places: Vec<PlaceRec>,
) -> Vec<Place> {
    let mut out = Vec::with_capacity(places.len());
    for (i, p) in places.into_iter().enumerate() {
        let at = Checker::at(Section::Places, i);
        let l = label(Section::Places, &p.id);
        ck.not_empty(at, &l, "name", &p.name);
        if let Some((lat, lon)) = p.coordinates
            && !(lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0)
        {
            ck.report(
                at,
                Some("coordinates"),
                None,
                format!(
                    "{l}: coordinates ({lat}, {lon}) are not a place on Earth \
                     (latitude -90 to 90, longitude -180 to 180, in degrees)"
                ),
            );
        }
        let within = p.within.as_deref().and_then(|w| {
            resolver
                .resolve(w, Kind::Place)
                .map_err(|msg| {
                    ck.report(at, Some("within"), Some(w), format!("{l}: within: {msg}"))
                })
                .ok()
        });
        out.push(Place {
            id: p.id,
            name: p.name,
            aliases: p.aliases,
            kind: p.kind,
            within,
            coordinates: p.coordinates,
        });
    }
    break_within_loops(ck, &mut out);
    out
}

/// Reports each `within` loop once and breaks it, so nothing downstream
/// walks it forever. Each place is walked once: linear whatever the chains.
fn break_within_loops(ck: &mut Checker, places: &mut [Place]) {
    const UNSEEN: usize = usize::MAX;
    // The walk that first reached each place.
    let mut walk = vec![UNSEEN; places.len()];
    let mut in_loop = vec![false; places.len()];
    let mut path: Vec<usize> = Vec::new();
    for start in 0..places.len() {
        path.clear();
        let mut cur = Some(start);
        while let Some(p) = cur {
            if walk[p] == start {
                // Back on this walk's own path: the path from p is a loop.
                let from = path.iter().position(|&q| q == p).unwrap_or(0);
                let ring = &path[from..];
                ring.iter().for_each(|&q| in_loop[q] = true);
                let names: Vec<&str> = ring.iter().map(|&q| places[q].id.as_str()).collect();
                ck.report(
                    Checker::at(Section::Places, p),
                    Some("within"),
                    places[p].within.map(|w| places[w as usize].id.as_str()),
                    format!(
                        "place {:?}: within loop: {} -> {}",
                        places[p].id,
                        loop_path(&names),
                        places[p].id
                    ),
                );
                break;
            }
            if walk[p] != UNSEEN {
                break;
            }
            walk[p] = start;
            path.push(p);
            cur = places[p].within.map(|w| w as usize);
        }
    }
    for (p, looped) in places.iter_mut().zip(in_loop) {
        if looped {
            p.within = None;
        }
    }
}

/// Each place's range of depth-first numbers, and (number, event) pairs.
pub(super) type PlaceTree = (Vec<(u32, u32)>, Vec<(u32, Ix)>);

/// Places numbered in depth-first order, so the places within a place are
/// a range of numbers: `subtree[p]` is p's range, and the pairs (number of
/// an event's place, event) sorted let `events_at_place` read the events at
/// a place or within it as a range. Linear in the places, whatever the
/// depth of `within` chains (validation has broken any loop).
pub(super) fn place_tree(m: &Model) -> PlaceTree {
    let n = m.places.len();
    let mut children: Vec<Vec<Ix>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, p) in m.places.iter().enumerate() {
        match p.within {
            Some(w) => children[w as usize].push(i as Ix),
            None => roots.push(i as Ix),
        }
    }
    let mut subtree = vec![(0u32, 0u32); n];
    let mut next = 0u32;
    // (place, whether its children were pushed); an explicit stack, as a
    // chain may be deeper than the call stack.
    let mut stack: Vec<(Ix, bool)> = roots.into_iter().rev().map(|r| (r, false)).collect();
    while let Some((p, done)) = stack.pop() {
        if done {
            subtree[p as usize].1 = next;
            continue;
        }
        subtree[p as usize].0 = next;
        next += 1;
        stack.push((p, true));
        stack.extend(children[p as usize].iter().rev().map(|&c| (c, false)));
    }
    let mut pairs: Vec<(u32, Ix)> = m
        .events
        .iter()
        .enumerate()
        .flat_map(|(e, ev)| ev.places.iter().map(move |&p| (p, e as Ix)))
        .map(|(p, e)| (subtree[p as usize].0, e))
        .collect();
    pairs.sort_unstable();
    (subtree, pairs)
}
