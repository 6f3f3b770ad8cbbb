//! The model's indexes, filled once it is valid: events by actor, place,
//! source and tag, relations by actor, claims by subject, and conflicts
//! with the events they mark.

use std::collections::HashMap;

use super::norm;
use super::places::place_tree;
use crate::evidence::date::{Date, DaySpan};
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

/// The events of each actor, source and tag, and the place tree with the
/// events at each place.
struct ByEvent {
    actor_events: Vec<Vec<Ix>>,
    source_events: Vec<Vec<Ix>>,
    tag_events: Vec<Vec<Ix>>,
    place_subtree: Vec<(u32, u32)>,
    place_event_pairs: Vec<(u32, Ix)>,
}

fn by_event(m: &Model) -> ByEvent {
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

/// Fills the model's indexes: what goes by event on another thread, what
/// goes by date, relation and claim on this one.
pub(super) fn index(mut m: Model) -> Model {
    let (by, (conflicts, actor_relations, subject_claims, dates)) = std::thread::scope(|s| {
        let by = s.spawn(|| by_event(&m));
        let here = (
            conflicts_of(&m.claims),
            actor_relations(&m),
            subject_claims(&m.claims),
            Dates::of(&m),
        );
        let by = by.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (by, here)
    });
    m.place_subtree = by.place_subtree;
    m.place_event_pairs = by.place_event_pairs;
    m.longest_event_days = dates.longest_event_days;
    m.open_events = dates.open_events;
    m.date_width = dates.date_width;
    let actor_events = by.actor_events;
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
    m.source_events = by.source_events;
    m.tag_events = by.tag_events;
    m.actor_relations = actor_relations;
    m.subject_claims = subject_claims;
    m.conflicts = conflicts;
    m.event_conflicts = event_conflicts;
    m
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
            });
        }
    }
    conflicts
}
