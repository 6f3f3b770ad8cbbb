//! The validated in-memory model: ids resolved to compact indices, events in
//! chronological order, and the indexes the explorer and the command line use.

use std::collections::HashMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::ops::Range;

use crate::evidence::date::{Date, DaySpan};
use crate::store::shared::SharedStr;
use crate::store::{Derivation, Meta, SourceKind};

/// Index of a source, actor, place, event, relation or claim in its list.
pub type Ix = u32;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: SharedStr,
    pub outlet: SharedStr,
    pub title: SharedStr,
    pub published: Option<Date>,
    pub url: Option<SharedStr>,
    pub kind: SourceKind,
    pub author: Option<SharedStr>,
    pub language: Option<SharedStr>,
    pub lineage: Lineage,
    /// The independent origin this source goes back to: an index into
    /// `Model::origins`. Copies of one original share it.
    pub origin: Ix,
    pub text: SharedStr,
}

/// Where a source's text comes from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Lineage {
    /// Its own reporting.
    #[default]
    Original,
    /// Derived from a source in this store.
    BasedOn(Ix, Derivation),
    /// Derived from an original the store does not hold.
    External(SharedStr, Derivation),
}

/// An independent origin of evidence: a source that derives from nothing
/// in the store, or an original that sources outside the store name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Origin {
    Source(Ix),
    External(SharedStr),
}

impl Source {
    pub fn is_sponsored(&self) -> bool {
        self.kind == SourceKind::Sponsored
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub id: SharedStr,
    pub name: SharedStr,
    pub aliases: Vec<SharedStr>,
    pub kind: SharedStr,
    pub description: Option<SharedStr>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub id: SharedStr,
    pub name: SharedStr,
    pub aliases: Vec<SharedStr>,
    pub kind: SharedStr,
    pub within: Option<Ix>,
    pub coordinates: Option<(f64, f64)>,
}

/// A verbatim quote from a source, with where it stands in the source's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub source: Ix,
    pub text: SharedStr,
    /// Byte range of the quote in the source's text.
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: SharedStr,
    pub date: Date,
    pub end: Option<Date>,
    pub title: SharedStr,
    pub summary: Option<SharedStr>,
    /// Boxed slices, a word smaller than vectors: an event is made in
    /// place of its record, so no larger (`validate::records`).
    pub tags: Box<[Ix]>,
    pub actors: Box<[Ix]>,
    pub places: Box<[Ix]>,
    pub evidence: Vec<Quote>,
}

impl Event {
    pub fn days(&self) -> DaySpan {
        DaySpan::of(&self.date, self.end.as_ref())
    }

    /// Its date, or its span when it has an end: `1904-05-04 → 1914-08-15`.
    pub fn when(&self) -> String {
        crate::evidence::date::span_label(&self.date, self.end.as_ref())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    pub from: Ix,
    pub to: Ix,
    pub kind: SharedStr,
    pub since: Option<Date>,
    pub until: Option<Date>,
    pub evidence: Vec<Quote>,
}

impl Relation {
    /// The days the relation may have held: from the earliest possible
    /// start to the latest possible end, open where either is unknown.
    pub fn days(&self) -> DaySpan {
        DaySpan {
            first: self.since.map_or(i64::MIN, |d| d.first_day()),
            last: self.until.map_or(i64::MAX, |d| d.last_day()),
        }
    }
}

/// What a claim is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Subject {
    Actor(Ix),
    Place(Ix),
    Event(Ix),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub subject: Subject,
    pub attribute: SharedStr,
    pub value: SharedStr,
    pub as_of: Option<Date>,
    /// The events the claim bears on, in chronological order.
    pub events: Vec<Ix>,
    pub value_date: Option<Date>,
    pub value_number: Option<f64>,
    /// The range the value's words allow (`ClaimRec::value_min`, `_max`).
    pub value_min: Option<f64>,
    pub value_max: Option<f64>,
    pub evidence: Vec<Quote>,
    /// "attribute: value", the claim as search finds it: a query may mix
    /// words of both ("troops 600").
    pub label: SharedStr,
}

/// Claims about the same subject and attribute that give different values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub subject: Subject,
    pub attribute: SharedStr,
    /// Indices into `Model::claims`, in file order.
    pub claims: Vec<Ix>,
    /// Whether the values can all be true at once: their numeric ranges or
    /// dates overlap ("$100 million" and "over $100 million"). A compatible
    /// disagreement is listed as such and marks no event.
    pub compatible: bool,
}

/// What an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Entity {
    Source(Ix),
    Actor(Ix),
    Place(Ix),
    Event(Ix),
}

impl Entity {
    pub fn kind_name(self) -> &'static str {
        match self {
            Entity::Source(_) => "source",
            Entity::Actor(_) => "actor",
            Entity::Place(_) => "place",
            Entity::Event(_) => "event",
        }
    }
}

/// The store's ids, one map for each kind of thing they name: resolving a
/// reference to an actor searches the actors' ids, a map small enough to
/// stay in the processor's cache, not a million events'. An id names one
/// thing in the whole store (validation sees to it).
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Ids {
    #[serde(with = "crate::cache::map_repr")]
    pub(crate) sources: FxHashMap<SharedStr, Ix>,
    #[serde(with = "crate::cache::map_repr")]
    pub(crate) actors: FxHashMap<SharedStr, Ix>,
    #[serde(with = "crate::cache::map_repr")]
    pub(crate) places: FxHashMap<SharedStr, Ix>,
    #[serde(with = "crate::cache::map_repr")]
    pub(crate) events: FxHashMap<SharedStr, Ix>,
}

impl Ids {
    /// The ids of one kind of thing.
    pub(crate) fn of(&self, kind: Kind) -> &FxHashMap<SharedStr, Ix> {
        match kind {
            Kind::Source => &self.sources,
            Kind::Actor => &self.actors,
            Kind::Place => &self.places,
            Kind::Event => &self.events,
        }
    }

    pub(crate) fn of_mut(&mut self, kind: Kind) -> &mut FxHashMap<SharedStr, Ix> {
        match kind {
            Kind::Source => &mut self.sources,
            Kind::Actor => &mut self.actors,
            Kind::Place => &mut self.places,
            Kind::Event => &mut self.events,
        }
    }

    /// What `id` names, of any kind.
    pub(crate) fn get(&self, id: &str) -> Option<Entity> {
        Kind::ALL
            .into_iter()
            .find_map(|k| self.of(k).get(id).map(|&ix| k.entity(ix)))
    }

    /// Every id, with what it names.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&SharedStr, Entity)> {
        Kind::ALL
            .into_iter()
            .flat_map(move |k| self.of(k).iter().map(move |(id, &ix)| (id, k.entity(ix))))
    }
}

/// The kinds of thing an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Source,
    Actor,
    Place,
    Event,
}

impl Kind {
    pub(crate) const ALL: [Kind; 4] = [Kind::Source, Kind::Actor, Kind::Place, Kind::Event];

    pub(crate) fn entity(self, ix: Ix) -> Entity {
        match self {
            Kind::Source => Entity::Source(ix),
            Kind::Actor => Entity::Actor(ix),
            Kind::Place => Entity::Place(ix),
            Kind::Event => Entity::Event(ix),
        }
    }

    /// The word for it: "source", "actor", "place", "event".
    pub(crate) fn name(self) -> &'static str {
        self.entity(0).kind_name()
    }
}

/// The events of each actor, source and tag, and the place tree with the
/// events at each place: what the filters need.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ByEvent {
    pub(crate) actor_events: Vec<Vec<Ix>>,
    pub(crate) source_events: Vec<Vec<Ix>>,
    pub(crate) tag_events: Vec<Vec<Ix>>,
    /// Each place's range of depth-first numbers: itself and the places within it.
    pub(crate) place_subtree: Vec<(u32, u32)>,
    /// (depth-first number of a place, an event there), sorted.
    pub(crate) place_event_pairs: Vec<(u32, Ix)>,
}

/// Serialize/Deserialize: for the load cache (`crate::cache`) only; a
/// change to these types must bump `cache::FORMAT`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Model {
    #[serde(with = "crate::cache::meta_repr")]
    pub meta: Meta,
    pub sources: Vec<Source>,
    /// The independent origins of the sources.
    pub origins: Vec<Origin>,
    pub actors: Vec<Actor>,
    pub places: Vec<Place>,
    /// In chronological order (stable: equal dates keep file order).
    /// Not in the model's encoding: the load cache writes them apart, to
    /// decode them and the rest on two cores at once.
    #[serde(skip)]
    pub events: Vec<Event>,
    pub relations: Vec<Relation>,
    pub claims: Vec<Claim>,
    pub conflicts: Vec<Conflict>,
    pub tags: Vec<SharedStr>,
    pub(crate) ids: Ids,
    #[serde(with = "crate::cache::map_repr")]
    pub(crate) tag_ids: FxHashMap<SharedStr, Ix>,
    /// What the filters need, made on first use (`Model::by_event`): the
    /// explorer's first frame does not wait for it. The load cache keeps
    /// it beside the model (`cache::PendingWrite::write`).
    #[serde(skip)]
    pub(crate) by_event: OnceLock<ByEvent>,
    pub(crate) actor_relations: Vec<Vec<Ix>>,
    #[serde(with = "crate::cache::map_repr")]
    pub(crate) subject_claims: HashMap<Subject, Vec<Ix>>,
    pub(crate) event_conflicts: Vec<Vec<Ix>>,
    /// The most days any event with both bounds known spans, less one.
    pub(crate) longest_event_days: i64,
    /// The longest date of any event, in characters: the width of a date column.
    pub date_width: usize,
    /// Events whose earliest start or latest end is open, in order: the
    /// date filter checks them apart from the window it scans.
    pub(crate) open_events: Vec<Ix>,
}

/// Equal models hold the same things and indexes, whether or not either
/// has made what it makes on first use (made now if not).
impl PartialEq for Model {
    fn eq(&self, o: &Self) -> bool {
        // Every field named: a field added is compared, or said not to be.
        let Model {
            meta,
            sources,
            origins,
            actors,
            places,
            events,
            relations,
            claims,
            conflicts,
            tags,
            ids,
            tag_ids,
            by_event: _,
            actor_relations,
            subject_claims,
            event_conflicts,
            longest_event_days,
            date_width,
            open_events,
        } = self;
        *meta == o.meta
            && *sources == o.sources
            && *origins == o.origins
            && *actors == o.actors
            && *places == o.places
            && *events == o.events
            && *relations == o.relations
            && *claims == o.claims
            && *conflicts == o.conflicts
            && *tags == o.tags
            && *ids == o.ids
            && *tag_ids == o.tag_ids
            && self.by_event() == o.by_event()
            && *actor_relations == o.actor_relations
            && *subject_claims == o.subject_claims
            && *event_conflicts == o.event_conflicts
            && *longest_event_days == o.longest_event_days
            && *date_width == o.date_width
            && *open_events == o.open_events
    }
}

impl Model {
    /// What the filters need (events by actor, source, tag and place),
    /// made now if no one has yet. Made on whichever thread asks first;
    /// any other waits for it.
    pub(crate) fn by_event(&self) -> &ByEvent {
        self.by_event
            .get_or_init(|| crate::validate::by_event(self))
    }

    /// Makes now what the model makes on first use, so that a later use
    /// does not wait: for a thread to call once the first frame is shown.
    pub fn make_indexes(&self) {
        self.by_event();
    }

    /// `make_indexes`, with `first` run as they begin to be made (while a
    /// use of them from another thread waits): for a test's fault.
    pub fn make_indexes_after(&self, first: impl FnOnce()) {
        self.by_event.get_or_init(|| {
            first();
            crate::validate::by_event(self)
        });
    }

    /// What `by_event` gives, if it is made.
    pub(crate) fn by_event_if_made(&self) -> Option<&ByEvent> {
        self.by_event.get()
    }

    /// Takes `by` (read from the load cache) as what `by_event` gives.
    pub(crate) fn keep_by_event(&mut self, by: ByEvent) {
        self.by_event = OnceLock::from(by);
    }

    pub fn entity(&self, id: &str) -> Option<Entity> {
        self.ids.get(id)
    }

    pub fn event_by_id(&self, id: &str) -> Option<Ix> {
        match self.entity(id)? {
            Entity::Event(ix) => Some(ix),
            _ => None,
        }
    }

    pub fn event(&self, ix: Ix) -> &Event {
        &self.events[ix as usize]
    }
    pub fn actor(&self, ix: Ix) -> &Actor {
        &self.actors[ix as usize]
    }
    pub fn place(&self, ix: Ix) -> &Place {
        &self.places[ix as usize]
    }
    pub fn source(&self, ix: Ix) -> &Source {
        &self.sources[ix as usize]
    }

    /// Events involving the actor, in chronological order.
    pub fn events_of_actor(&self, actor: Ix) -> &[Ix] {
        &self.by_event().actor_events[actor as usize]
    }

    /// Events at the place or at any place within it, in chronological
    /// order. Costs the number of such events, whatever the depth.
    pub fn events_at_place(&self, place: Ix) -> Vec<Ix> {
        let by = self.by_event();
        let Some(&(lo, hi)) = by.place_subtree.get(place as usize) else {
            return Vec::new();
        };
        let pairs = &by.place_event_pairs;
        let from = pairs.partition_point(|&(n, _)| n < lo);
        let to = pairs.partition_point(|&(n, _)| n < hi);
        let mut out: Vec<Ix> = pairs[from..to].iter().map(|&(_, e)| e).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn events_citing_source(&self, source: Ix) -> &[Ix] {
        &self.by_event().source_events[source as usize]
    }

    pub fn tag_ix(&self, tag: &str) -> Option<Ix> {
        self.tag_ids.get(tag).copied()
    }

    pub fn events_with_tag(&self, tag: Ix) -> &[Ix] {
        &self.by_event().tag_events[tag as usize]
    }

    /// Relations involving the actor, in file order.
    pub fn relations_of_actor(&self, actor: Ix) -> &[Ix] {
        &self.actor_relations[actor as usize]
    }

    /// Relations of any of `actors` that held during `days`.
    pub fn relations_during(&self, actors: &[Ix], days: DaySpan) -> Vec<Ix> {
        let mut out: Vec<Ix> = actors
            .iter()
            .flat_map(|&a| self.relations_of_actor(a).iter().copied())
            .filter(|&r| self.relations[r as usize].days().overlaps(&days))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The places containing `place`, nearest first (validation leaves no loop).
    pub fn place_ancestors(&self, place: Ix) -> Vec<Ix> {
        self.place_ancestors_upto(place, usize::MAX)
    }

    /// The nearest `max` places containing `place`, for display.
    pub fn place_ancestors_upto(&self, place: Ix, max: usize) -> Vec<Ix> {
        let mut out = Vec::new();
        let mut cur = self.place(place).within;
        while let Some(p) = cur {
            if out.len() >= max.min(self.places.len()) {
                break;
            }
            out.push(p);
            cur = self.place(p).within;
        }
        out
    }

    pub fn claims_about(&self, subject: Subject) -> &[Ix] {
        self.subject_claims
            .get(&subject)
            .map_or(&[][..], Vec::as_slice)
    }

    /// Conflicts about the event itself, its actors or its places.
    pub fn conflicts_of_event(&self, event: Ix) -> &[Ix] {
        &self.event_conflicts[event as usize]
    }

    /// True when every quote backing the event comes from sponsored sources.
    pub fn rests_on_sponsored(&self, event: Ix) -> bool {
        let ev = self.event(event);
        !ev.evidence.is_empty()
            && ev
                .evidence
                .iter()
                .all(|q| self.source(q.source).is_sponsored())
    }

    /// Distinct sources backing the event.
    pub fn source_count(&self, event: Ix) -> usize {
        let mut s: Vec<Ix> = self
            .event(event)
            .evidence
            .iter()
            .map(|q| q.source)
            .collect();
        s.sort_unstable();
        s.dedup();
        s.len()
    }

    /// Independent origins backing these quotes: copies, rewrites and
    /// summaries of one original count once.
    pub fn origin_count(&self, quotes: &[Quote]) -> usize {
        let mut o: Vec<Ix> = quotes
            .iter()
            .map(|q| self.source(q.source).origin)
            .collect();
        o.sort_unstable();
        o.dedup();
        o.len()
    }

    /// Independent origins backing the event: what `[n]` shows.
    pub fn event_origins(&self, event: Ix) -> usize {
        self.origin_count(&self.event(event).evidence)
    }

    /// "rewrite of Reuters report", for a source that is not independent.
    pub fn lineage_label(&self, s: &Source) -> Option<String> {
        match &s.lineage {
            Lineage::Original => None,
            Lineage::BasedOn(up, how) => {
                Some(format!("{} of {}", how.label(), self.source(*up).outlet))
            }
            Lineage::External(name, how) => Some(format!("{} of {name}", how.label())),
        }
    }

    /// The origin in words: a source's id, or the external original named.
    pub fn origin_name(&self, origin: Ix) -> &str {
        match &self.origins[origin as usize] {
            Origin::Source(s) => &self.source(*s).id,
            Origin::External(name) => name,
        }
    }

    pub fn subject_name(&self, subject: Subject) -> &str {
        match subject {
            Subject::Actor(a) => &self.actor(a).name,
            Subject::Place(p) => &self.place(p).name,
            Subject::Event(e) => &self.event(e).title,
        }
    }

    pub fn subject_id(&self, subject: Subject) -> &str {
        match subject {
            Subject::Actor(a) => &self.actor(a).id,
            Subject::Place(p) => &self.place(p).id,
            Subject::Event(e) => &self.event(e).id,
        }
    }

    /// The first and last dates of the events, as written: the first
    /// event's date and the end (or date) reaching latest.
    pub fn span(&self) -> Option<(Date, Date)> {
        let first = self.events.first()?.date;
        let last = self
            .events
            .iter()
            .map(|e| e.end.unwrap_or(e.date))
            .max_by_key(|d| (d.latest().unwrap_or(d.anchor().last_day()), d.sort_key()))?;
        Some((first, last))
    }
}
