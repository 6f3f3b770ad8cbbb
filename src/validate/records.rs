//! Actors, events, relations and claims: required fields, dates, the
//! references they make, and their evidence.

use rustc_hash::{FxHashMap, FxHashSet};

use super::Section;
use super::check::{Checker, label};
use super::evidence::Evidence;
use super::refs::{Resolver, did_you_mean, seen_before};
use crate::evidence::date::{Date, PartialDate};
use crate::model::{Actor, Claim, Entity, Event, Ix, Kind, Relation, Subject};
use crate::store::shared::SharedStr;
use crate::store::{ActorRec, ClaimRec, EventRec, RelationRec};

pub(super) fn check_actors(ck: &mut Checker, actors: Vec<ActorRec>) -> Vec<Actor> {
    let mut out = Vec::with_capacity(actors.len());
    for (i, a) in actors.into_iter().enumerate() {
        let at = Checker::at(Section::Actors, i);
        ck.not_empty(at, &label(Section::Actors, &a.id), "name", &a.name);
        out.push(Actor {
            id: a.id,
            name: a.name,
            aliases: a.aliases,
            kind: a.kind,
            description: a.description,
        });
    }
    out
}

/// Tags, interned: each distinct tag once.
#[derive(Default)]
pub(super) struct Tags {
    pub(super) names: Vec<SharedStr>,
    pub(super) ids: FxHashMap<SharedStr, Ix>,
}

impl Tags {
    fn intern(&mut self, t: SharedStr) -> Ix {
        *self.ids.entry(t.clone()).or_insert_with(|| {
            self.names.push(t);
            (self.names.len() - 1) as Ix
        })
    }
}

/// Events, in file order (`build` puts them in chronological order).
pub(super) fn check_events(
    ck: &mut Checker,
    resolver: &Resolver,
    evidence: &mut Evidence,
    tags: &mut Tags,
    events: Vec<EventRec>,
    keep: bool,
) -> Vec<Event> {
    if !keep {
        // Checked and dropped one by one (import's check): no list kept.
        for (i, e) in events.into_iter().enumerate() {
            drop(check_event(ck, resolver, evidence, tags, i, e));
        }
        return Vec::new();
    }
    // Mapped and collected, the events are made in the records' own
    // allocation (std collects in place when the item is no larger): no
    // second list of 100,000 events beside the first at the load's peak.
    let mut out: Vec<Event> = events
        .into_iter()
        .enumerate()
        .map(|(i, e)| check_event(ck, resolver, evidence, tags, i, e))
        .collect();
    // The records' room is a little more than the events need.
    out.shrink_to_fit();
    out
}

/// One event, the `i`th in the file.
fn check_event(
    ck: &mut Checker,
    resolver: &Resolver,
    evidence: &mut Evidence,
    tags: &mut Tags,
    i: usize,
    e: EventRec,
) -> Event {
    let at = Checker::at(Section::Events, i);
    let l = label(Section::Events, &e.id);
    ck.not_empty(at, &l, "title", &e.title);
    let date = ck.date(at, &l, "date", &e.date);
    let end = e.end.as_deref().and_then(|d| ck.date(at, &l, "end", d));
    if let (Some(d), Some(en)) = (date, end)
        && en.last_day() < d.first_day()
    {
        let msg = format!("{l}: end {en} is before its date {d}");
        ck.report(at, Some("end"), e.end.as_deref(), msg);
    }
    let actors = resolver.resolve_all(ck, at, &l, "actors", &e.actors, Kind::Actor);
    let places = resolver.resolve_all(ck, at, &l, "places", &e.places, Kind::Place);
    let mut ev_tags = Vec::with_capacity(e.tags.len());
    let mut seen = FxHashSet::default();
    for t in &e.tags {
        let t = t.trimmed();
        if t.is_empty() {
            ck.report(at, Some("tags"), None, format!("{l}: tags: empty tag"));
            continue;
        }
        let ix = tags.intern(t);
        if !seen_before(&ev_tags, &mut seen, |&t| t, &ix) {
            ev_tags.push(ix);
        }
    }
    let ev_evidence = evidence.check(ck, at, &l, e.evidence);
    Event {
        id: e.id,
        // A bad date is reported; the placeholder never reaches a model.
        date: date.unwrap_or(Date::On(PartialDate::year(0))),
        end,
        title: e.title,
        summary: e.summary,
        tags: ev_tags.into_boxed_slice(),
        actors: actors.into_boxed_slice(),
        places: places.into_boxed_slice(),
        evidence: ev_evidence,
    }
}

// `check_events` makes the events in place of their records only while
// an event is no larger than its record.
const _: () = assert!(std::mem::size_of::<Event>() <= std::mem::size_of::<EventRec>());

pub(super) fn check_relations(
    ck: &mut Checker,
    resolver: &Resolver,
    evidence: &mut Evidence,
    relations: Vec<RelationRec>,
) -> Vec<Relation> {
    let mut out = Vec::with_capacity(relations.len());
    for (i, r) in relations.into_iter().enumerate() {
        let at = Checker::at(Section::Relations, i);
        let l = format!("relation {} -> {}", r.from, r.to);
        ck.not_empty(at, &l, "kind", &r.kind);
        let from = resolver
            .resolve(&r.from, Kind::Actor)
            .map_err(|m| ck.report(at, Some("from"), Some(&r.from), format!("{l}: from: {m}")));
        let to = resolver
            .resolve(&r.to, Kind::Actor)
            .map_err(|m| ck.report(at, Some("to"), Some(&r.to), format!("{l}: to: {m}")));
        let since = r.since.as_deref().and_then(|d| ck.date(at, &l, "since", d));
        let until = r.until.as_deref().and_then(|d| ck.date(at, &l, "until", d));
        if let (Some(s), Some(u)) = (since, until)
            && u.last_day() < s.first_day()
        {
            let msg = format!("{l}: until {u} is before since {s}");
            ck.report(at, Some("until"), r.until.as_deref(), msg);
        }
        let ev = evidence.check(ck, at, &l, r.evidence);
        if let (Ok(from), Ok(to)) = (from, to) {
            out.push(Relation {
                from,
                to,
                kind: r.kind,
                since,
                until,
                evidence: ev,
            });
        }
    }
    out
}

/// Claims, their subjects and events by file index (renumbered by `build`).
pub(super) fn check_claims(
    ck: &mut Checker,
    resolver: &Resolver,
    evidence: &mut Evidence,
    claims: Vec<ClaimRec>,
) -> Vec<Claim> {
    let mut out = Vec::with_capacity(claims.len());
    for (i, c) in claims.into_iter().enumerate() {
        let at = Checker::at(Section::Claims, i);
        let l = format!("claim {:?} of {:?}", c.attribute, c.subject);
        ck.not_empty(at, &l, "attribute", &c.attribute);
        ck.not_empty(at, &l, "value", &c.value);
        let subject = claim_subject(resolver, &c.subject)
            .map_err(|msg| ck.report(at, Some("subject"), Some(&c.subject), format!("{l}: {msg}")));
        let as_of = c.as_of.as_deref().and_then(|d| ck.date(at, &l, "as_of", d));
        let value_date = c
            .value_date
            .as_deref()
            .and_then(|d| ck.date(at, &l, "value_date", d));
        for (field, n) in [
            ("value_number", c.value_number),
            ("value_min", c.value_min),
            ("value_max", c.value_max),
        ] {
            if let Some(n) = n.filter(|n| !n.is_finite()) {
                let msg = format!("{l}: {field}: {n} is not a number");
                ck.report(at, Some(field), None, msg);
            }
        }
        if let (Some(lo), Some(hi)) = (c.value_min, c.value_max)
            && lo > hi
        {
            let msg = format!("{l}: value_min {lo} is more than value_max {hi}");
            ck.report(at, Some("value_min"), None, msg);
        }
        if let Some(n) = c.value_number
            && (c.value_min.is_some_and(|lo| n < lo) || c.value_max.is_some_and(|hi| n > hi))
        {
            let msg = format!("{l}: value_number {n} is outside value_min..value_max");
            ck.report(at, Some("value_number"), None, msg);
        }
        let mut events = resolver.resolve_all(ck, at, &l, "events", &c.events, Kind::Event);
        events.sort_unstable();
        let ev = evidence.check(ck, at, &l, c.evidence);
        if let Ok(subject) = subject {
            let label = format!("{}: {}", c.attribute, c.value).into();
            out.push(Claim {
                subject,
                attribute: c.attribute,
                value: c.value,
                as_of,
                events,
                value_date,
                value_number: c.value_number,
                value_min: c.value_min,
                value_max: c.value_max,
                evidence: ev,
                label,
            });
        }
    }
    out
}

/// What a claim is about: an actor, a place or an event, never a source.
fn claim_subject(resolver: &Resolver, id: &str) -> Result<Subject, String> {
    match resolver.ids.get(id) {
        Some(Entity::Actor(a)) => Ok(Subject::Actor(a)),
        Some(Entity::Place(p)) => Ok(Subject::Place(p)),
        Some(Entity::Event(e)) => Ok(Subject::Event(e)),
        Some(Entity::Source(_)) => Err(format!(
            "subject {id:?} is a source; a claim is about an actor, a place or an event"
        )),
        None => {
            let not_source = resolver
                .ids
                .iter()
                .filter(|(_, e)| !matches!(e, Entity::Source(_)))
                .map(|(k, _)| k.as_str());
            let suggestion = if resolver.may_suggest() {
                did_you_mean(id, not_source)
            } else {
                None
            };
            Err(match suggestion {
                Some(s) => format!("unknown subject {id:?} (did you mean {s:?}?)"),
                None => format!("unknown subject {id:?}: no actor, place or event has that id"),
            })
        }
    }
}
