//! The model's indexes, filled once it is valid: events by actor, place,
//! source and tag, relations by actor, claims by subject, and conflicts
//! with the events they mark.

use std::collections::HashMap;

use super::norm;
use super::places::place_tree;
use crate::model::{ByEvent, Claim, Conflict, Ix, Model, Subject};

/// What a claim's value is compared by: its normalised date or number
/// when it has one, else its words.
#[derive(PartialEq)]
enum ValueKey {
    Date(i64, i64),
    Number(u64),
    Text(String),
}

fn value_key(c: &Claim) -> ValueKey {
    if let Some(d) = c.value_date {
        ValueKey::Date(d.first_day(), d.last_day())
    } else if let Some(n) = c.value_number {
        // +0.0 and -0.0 are one value.
        ValueKey::Number((n + 0.0).to_bits())
    } else {
        ValueKey::Text(norm(&c.value))
    }
}

/// The range of values a claim allows, when it has one: its date's days,
/// or its number (a point) within `value_min..value_max`. `None` for
/// words alone.
fn value_range(c: &Claim) -> Option<(f64, f64)> {
    if let Some(d) = c.value_date {
        return Some((d.first_day() as f64, d.last_day() as f64));
    }
    if c.value_number.is_none() && c.value_min.is_none() && c.value_max.is_none() {
        return None;
    }
    let lo = c.value_min.or(c.value_number).unwrap_or(f64::NEG_INFINITY);
    let hi = c.value_max.or(c.value_number).unwrap_or(f64::INFINITY);
    Some((lo, hi))
}

/// Whether every claim's value can hold at once: each has a range, and
/// the ranges share a point (on a line, ranges that meet pairwise all do).
fn compatible(claims: &[Claim], members: &[Ix]) -> bool {
    let mut lo = f64::NEG_INFINITY;
    let mut hi = f64::INFINITY;
    for &c in members {
        let Some((a, b)) = value_range(&claims[c as usize]) else {
            return false;
        };
        lo = lo.max(a);
        hi = hi.min(b);
    }
    lo <= hi
}

/// The events of each actor, source and tag, and the place tree with the
/// events at each place (`Model::by_event`).
pub(crate) fn by_event(m: &Model) -> ByEvent {
    let mut actor_events = vec![Vec::new(); m.actors.len()];
    let mut source_events = vec![Vec::new(); m.sources.len()];
    let mut tag_events = vec![Vec::new(); m.tags.len()];
    let (place_subtree, place_event_pairs) = place_tree(m);
    for (i, e) in m.events.iter().enumerate() {
        let i = i as Ix;
        for &a in &e.actors {
            actor_events[a as usize].push(i);
        }
        for q in &e.evidence {
            let list: &mut Vec<Ix> = &mut source_events[q.source as usize];
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
        for &t in &e.tags {
            tag_events[t as usize].push(i);
        }
    }
    ByEvent {
        actor_events,
        source_events,
        tag_events,
        place_subtree,
        place_event_pairs,
    }
}

/// Fills the model's indexes but those made on first use (`by_event`):
/// by date, relation and claim.
pub(super) fn index(mut m: Model) -> Model {
    let conflicts = conflicts_of(&m.claims);
    let dates = Dates::of(&m);
    m.actor_relations = actor_relations(&m);
    m.subject_claims = subject_claims(&m.claims);
    m.longest_event_days = dates.longest_event_days;
    m.open_events = dates.open_events;
    m.date_width = dates.date_width;
    m.event_conflicts = event_conflicts(&m, &conflicts);
    m.conflicts = conflicts;
    m
}

/// The disagreements each event is marked with: those about it, named by
/// a claim's `events` or as the subject, never an event that merely falls
/// in the period a claim speaks of. Compatible ones mark nothing.
fn event_conflicts(m: &Model, conflicts: &[Conflict]) -> Vec<Vec<Ix>> {
    let mut out: Vec<Vec<Ix>> = vec![Vec::new(); m.events.len()];
    for (ci, c) in conflicts.iter().enumerate() {
        if c.compatible {
            continue;
        }
        let named = c.claims.iter().flat_map(|&i| &m.claims[i as usize].events);
        let subject = match c.subject {
            Subject::Event(e) => Some(e),
            _ => None,
        };
        for &e in named.chain(subject.iter()) {
            out[e as usize].push(ci as Ix);
        }
    }
    for list in &mut out {
        list.sort_unstable();
        list.dedup();
    }
    out
}

/// The date filter's figures.
struct Dates {
    longest_event_days: i64,
    open_events: Vec<Ix>,
    date_width: usize,
}

impl Dates {
    fn of(m: &Model) -> Dates {
        // Events with both bounds known are in order of their first day,
        // which the date filter's window relies on; the others it checks
        // apart.
        let (bounded, open_events): (Vec<Ix>, Vec<Ix>) =
            (0..m.events.len() as Ix).partition(|&e| {
                let d = m.events[e as usize].days();
                d.first != i64::MIN && d.last != i64::MAX
            });
        let longest_event_days = bounded
            .iter()
            .map(|&e| {
                let d = m.events[e as usize].days();
                d.last - d.first
            })
            .max()
            .unwrap_or(0);
        let date_width = m
            .events
            .iter()
            .map(|e| crate::evidence::date::span_label_len(&e.date, e.end.as_ref()))
            .max()
            .unwrap_or(0);
        Dates {
            longest_event_days,
            open_events,
            date_width,
        }
    }
}

fn actor_relations(m: &Model) -> Vec<Vec<Ix>> {
    let mut out = vec![Vec::new(); m.actors.len()];
    for (i, r) in m.relations.iter().enumerate() {
        out[r.from as usize].push(i as Ix);
        if r.to != r.from {
            out[r.to as usize].push(i as Ix);
        }
    }
    out
}

fn subject_claims(claims: &[Claim]) -> HashMap<Subject, Vec<Ix>> {
    let mut out: HashMap<Subject, Vec<Ix>> = HashMap::new();
    for (i, c) in claims.iter().enumerate() {
        out.entry(c.subject).or_default().push(i as Ix);
    }
    out
}

/// Conflicts: claims on the same subject and attribute with more than one
/// distinct value.
fn conflicts_of(claims: &[Claim]) -> Vec<Conflict> {
    let mut groups: HashMap<(Subject, String), Vec<Ix>> = HashMap::new();
    let mut group_order: Vec<(Subject, String)> = Vec::new();
    for (i, c) in claims.iter().enumerate() {
        let key = (c.subject, norm(&c.attribute));
        let entry = groups.entry(key.clone()).or_default();
        if entry.is_empty() {
            group_order.push(key);
        }
        entry.push(i as Ix);
    }
    let mut conflicts = Vec::new();
    for key in group_order {
        let members = &groups[&key];
        let first = value_key(&claims[members[0] as usize]);
        if members
            .iter()
            .any(|&c| value_key(&claims[c as usize]) != first)
        {
            conflicts.push(Conflict {
                subject: key.0,
                attribute: claims[members[0] as usize].attribute.clone(),
                claims: members.clone(),
                compatible: compatible(claims, members),
            });
        }
    }
    conflicts
}
