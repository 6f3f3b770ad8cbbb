//! The model's indexes, filled once it is valid: events by actor, place,
//! source and tag, relations by actor, claims by subject, and conflicts
//! with the events they mark.

use std::collections::HashMap;

use super::norm;
use super::places::place_tree;
use crate::date::{Date, DaySpan};
use crate::model::{Claim, Conflict, Ix, Model, Subject};

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

/// The days the dates cover, as sorted, disjoint spans.
fn merged_periods(dates: impl Iterator<Item = Date>) -> Vec<DaySpan> {
    let mut spans: Vec<DaySpan> = dates.map(|d| DaySpan::of(&d, None)).collect();
    spans.sort_unstable_by_key(|s| s.first);
    let mut out: Vec<DaySpan> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.first <= last.last.saturating_add(1) => {
                last.last = last.last.max(s.last)
            }
            _ => out.push(s),
        }
    }
    out
}

/// Fills the model's indexes.
pub(super) fn index(mut m: Model) -> Model {
    // Events with both bounds known are in order of their first day, which
    // the date filter's window relies on; the others it checks apart.
    let (bounded, open): (Vec<Ix>, Vec<Ix>) = (0..m.events.len() as Ix).partition(|&e| {
        let d = m.events[e as usize].days();
        d.first != i64::MIN && d.last != i64::MAX
    });
    m.longest_event_days = bounded
        .iter()
        .map(|&e| {
            let d = m.events[e as usize].days();
            d.last - d.first
        })
        .max()
        .unwrap_or(0);
    m.open_events = open;
    m.date_width = m
        .events
        .iter()
        .map(|e| crate::date::span_label_len(&e.date, e.end.as_ref()))
        .max()
        .unwrap_or(0);
    let mut actor_events = vec![Vec::new(); m.actors.len()];
    let mut source_events = vec![Vec::new(); m.sources.len()];
    let mut tag_events = vec![Vec::new(); m.tags.len()];
    let (subtree, place_pairs) = place_tree(&m);
    m.place_subtree = subtree;
    m.place_event_pairs = place_pairs;
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
    let mut actor_relations = vec![Vec::new(); m.actors.len()];
    for (i, r) in m.relations.iter().enumerate() {
        actor_relations[r.from as usize].push(i as Ix);
        if r.to != r.from {
            actor_relations[r.to as usize].push(i as Ix);
        }
    }
    let mut subject_claims: HashMap<Subject, Vec<Ix>> = HashMap::new();
    for (i, c) in m.claims.iter().enumerate() {
        subject_claims.entry(c.subject).or_default().push(i as Ix);
    }
    // Conflicts: same subject and attribute, more than one distinct value.
    let mut groups: HashMap<(Subject, String), Vec<Ix>> = HashMap::new();
    let mut group_order: Vec<(Subject, String)> = Vec::new();
    for (i, c) in m.claims.iter().enumerate() {
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
        let first = value_key(&m.claims[members[0] as usize]);
        if members
            .iter()
            .any(|&c| value_key(&m.claims[c as usize]) != first)
        {
            conflicts.push(Conflict {
                subject: key.0,
                attribute: m.claims[members[0] as usize].attribute.clone(),
                claims: members.clone(),
            });
        }
    }
    let mut event_conflicts: Vec<Vec<Ix>> = vec![Vec::new(); m.events.len()];
    for (ci, c) in conflicts.iter().enumerate() {
        let mut mark = |e: Ix| {
            let list = &mut event_conflicts[e as usize];
            if list.last() != Some(&(ci as Ix)) {
                list.push(ci as Ix);
            }
        };
        for &claim in &c.claims {
            m.claims[claim as usize]
                .events
                .iter()
                .for_each(|&e| mark(e));
        }
        let of_subject: &[Ix] = match c.subject {
            Subject::Event(e) => {
                mark(e);
                &[]
            }
            Subject::Actor(a) => &actor_events[a as usize],
            Subject::Place(p) => &m.events_at_place(p),
        };
        // An actor's or place's events in the periods dated claims speak of;
        // undated claims mark only the events they name.
        let periods = merged_periods(c.claims.iter().filter_map(|&i| m.claims[i as usize].as_of));
        if periods.is_empty() {
            continue;
        }
        for &e in of_subject {
            let days = m.events[e as usize].days();
            let at = periods.partition_point(|p| p.last < days.first);
            if periods.get(at).is_some_and(|p| p.first <= days.last) {
                mark(e);
            }
        }
    }
    for list in &mut event_conflicts {
        list.sort_unstable();
        list.dedup();
    }
    m.actor_events = actor_events;
    m.source_events = source_events;
    m.tag_events = tag_events;
    m.actor_relations = actor_relations;
    m.subject_claims = subject_claims;
    m.conflicts = conflicts;
    m.event_conflicts = event_conflicts;
    m
}
