//! Semantic checks and model building: turns a parsed `StoreFile` into a
//! `Model`, collecting every problem instead of stopping at the first.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::date::{Date, DaySpan, PartialDate};
use crate::model::{Actor, Lineage, Origin, Source};
use crate::model::{Claim, Conflict, Entity, Event, Ix, Model, Place, Quote, Relation, Subject};
use std::sync::OnceLock;

use crate::quote::{Collapsed, find_many, find_quote_in};
use crate::shared::SharedStr;
use crate::store::{QuoteRec, StoreFile};

/// Which list of the store a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Meta,
    Sources,
    Actors,
    Places,
    Events,
    Relations,
    Claims,
}

impl Section {
    pub fn field_name(self) -> &'static str {
        match self {
            Section::Meta => "meta",
            Section::Sources => "sources",
            Section::Actors => "actors",
            Section::Places => "places",
            Section::Events => "events",
            Section::Relations => "relations",
            Section::Claims => "claims",
        }
    }

    fn item_name(self) -> &'static str {
        match self {
            Section::Meta => "meta",
            Section::Sources => "source",
            Section::Actors => "actor",
            Section::Places => "place",
            Section::Events => "event",
            Section::Relations => "relation",
            Section::Claims => "claim",
        }
    }
}

/// One semantic problem: where it is (section, item, field, and the offending
/// value when there is one) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub section: Section,
    /// Position of the item in its list, as written in the file.
    pub index: usize,
    pub field: Option<&'static str>,
    pub value: Option<String>,
    pub message: String,
    /// For the line that stands for problems not listed: how many.
    pub unlisted: usize,
}

struct Checker {
    problems: Vec<Problem>,
    /// Problems per (section, field), to stop listing after the first few
    /// hundred of one kind: the report stays readable and bounded.
    per_kind: HashMap<Kind, (usize, Option<At>)>,
}

/// A kind of problem: the section (as a number) and field it is in.
type Kind = (usize, Option<&'static str>);

/// Problems of one kind listed before the rest are only counted.
const MAX_PER_KIND: usize = 200;

/// Where in the file an item is, for its problems.
#[derive(Clone, Copy)]
struct At {
    section: Section,
    index: usize,
}

impl Checker {
    fn report(
        &mut self,
        at: At,
        field: Option<&'static str>,
        value: Option<&str>,
        message: String,
    ) {
        let kind = (at.section as usize, field);
        let (count, first_unlisted) = self.per_kind.entry(kind).or_insert((0, None));
        *count += 1;
        if *count > MAX_PER_KIND {
            first_unlisted.get_or_insert(at);
            return;
        }
        self.problems.push(Problem {
            section: at.section,
            index: at.index,
            field,
            value: value.map(str::to_string),
            message,
            unlisted: 0,
        });
    }

    /// One problem more for each kind that had too many to list.
    fn summarise(&mut self) {
        let mut more: Vec<_> = self
            .per_kind
            .iter()
            .filter_map(|(&(_, field), &(count, at))| Some((at?, field, count - MAX_PER_KIND)))
            .collect();
        more.sort_by_key(|(at, field, _)| (at.section as usize, at.index, *field));
        for (at, field, n) in more {
            let what = match field {
                Some(f) => format!("{} {f}", at.section.field_name()),
                None => at.section.field_name().to_string(),
            };
            self.problems.push(Problem {
                section: at.section,
                index: at.index,
                field,
                value: None,
                message: format!(
                    "{n} more problems in {what} from here on, like the {MAX_PER_KIND} above, not listed"
                ),
                unlisted: n,
            });
        }
    }

    fn date(
        &mut self,
        at: At,
        label: &dyn fmt::Display,
        field: &'static str,
        text: &str,
    ) -> Option<Date> {
        match Date::parse(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.report(
                    at,
                    Some(field),
                    Some(text),
                    format!("{label}: {field}: {e}"),
                );
                None
            }
        }
    }

    fn not_empty(&mut self, at: At, label: &dyn fmt::Display, field: &'static str, text: &str) {
        if text.trim().is_empty() {
            self.report(at, Some(field), None, format!("{label}: {field} is empty"));
        }
    }
}

/// Ids longer than this get no "did you mean" (the comparison grows with
/// the square of the length).
const MAX_SUGGESTED_LEN: usize = 64;
/// Only the first unknown references get a suggestion: each one is
/// compared with every id, and the first few typos are the useful ones.
const MAX_SUGGESTIONS: usize = 50;

/// The closest id among `candidates`, if any is close enough to be a likely typo.
fn did_you_mean<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let n = wanted.chars().count();
    if n > MAX_SUGGESTED_LEN {
        return None;
    }
    let wanted_l = wanted.to_lowercase();
    candidates
        // A close id has a close length: skip the rest before comparing.
        .filter(|c| c.len() <= 4 * MAX_SUGGESTED_LEN && c.chars().count().abs_diff(n) <= n / 2 + 1)
        .map(|c| {
            (
                strsim::normalized_levenshtein(&wanted_l, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "event \"coup\"", formatted only when a problem is reported.
struct Label<'a>(Section, &'a str);

impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.0.item_name(), self.1)
    }
}

fn label(section: Section, id: &str) -> Label<'_> {
    Label(section, id)
}

struct Resolver<'a> {
    ids: &'a FxHashMap<SharedStr, Entity>,
    /// Suggestions made so far (at most MAX_SUGGESTIONS).
    suggested: std::cell::Cell<usize>,
}

impl Resolver<'_> {
    /// Resolves `id` to an entity the `want` function accepts, or explains why not.
    fn resolve(
        &self,
        id: &str,
        want_name: &str,
        want: impl Fn(Entity) -> Option<Ix>,
    ) -> Result<Ix, String> {
        match self.ids.get(id) {
            Some(&e) => want(e).ok_or_else(|| {
                format!(
                    "{id:?} is {} {}, not {} {want_name}",
                    article(e.kind_name()),
                    e.kind_name(),
                    article(want_name)
                )
            }),
            None => {
                let same_kind = self
                    .ids
                    .iter()
                    .filter(|(_, e)| want(**e).is_some())
                    .map(|(k, _)| k.as_str());
                let tries = self.suggested.get();
                self.suggested.set(tries + 1);
                let suggestion = if tries < MAX_SUGGESTIONS {
                    did_you_mean(id, same_kind)
                } else {
                    None
                };
                // A huge id is shown cut short: the line stays a line.
                let id = shorten(id, 80);
                match suggestion {
                    Some(s) => Err(format!("unknown {want_name} {id:?} (did you mean {s:?}?)")),
                    None => Err(format!("unknown {want_name} {id:?}")),
                }
            }
        }
    }
}

/// Where an entity was declared, while event indices are still file indices.
fn entity_origin(e: Entity) -> (Section, usize) {
    match e {
        Entity::Source(i) => (Section::Sources, i as usize),
        Entity::Actor(i) => (Section::Actors, i as usize),
        Entity::Place(i) => (Section::Places, i as usize),
        Entity::Event(i) => (Section::Events, i as usize),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn want_source(e: Entity) -> Option<Ix> {
    if let Entity::Source(i) = e {
        Some(i)
    } else {
        None
    }
}
fn want_actor(e: Entity) -> Option<Ix> {
    if let Entity::Actor(i) = e {
        Some(i)
    } else {
        None
    }
}
fn want_event(e: Entity) -> Option<Ix> {
    if let Entity::Event(i) = e {
        Some(i)
    } else {
        None
    }
}
fn want_place(e: Entity) -> Option<Ix> {
    if let Entity::Place(i) = e {
        Some(i)
    } else {
        None
    }
}

/// Where each quote stands in its source's text, in the order given; `None`
/// where the source is unknown or the quote is not in it.
fn find_quotes(
    sources: &[Source],
    ids: &FxHashMap<SharedStr, Entity>,
    quotes: Vec<&QuoteRec>,
) -> Vec<Option<Range<usize>>> {
    // An article's whitespace is collapsed at most once, shared by all its
    // quotes that are not in it verbatim.
    let collapsed: Vec<OnceLock<Collapsed>> = (0..sources.len()).map(|_| OnceLock::new()).collect();
    let find = |q: &QuoteRec| match ids.get(q.source.as_str()) {
        Some(&Entity::Source(s)) => {
            let text = &sources[s as usize].text;
            let lazy = || collapsed[s as usize].get_or_init(|| Collapsed::new(text));
            find_quote_in(text, lazy, &q.quote)
        }
        _ => None,
    };
    // Articles quoted many times are searched for all their quotes in one
    // pass; the rest quote by quote, on every core.
    let mut by_source: FxHashMap<Ix, Vec<usize>> = FxHashMap::default();
    for (i, q) in quotes.iter().enumerate() {
        if let Some(&Entity::Source(s)) = ids.get(q.source.as_str()) {
            by_source.entry(s).or_default().push(i);
        }
    }
    let mut spans = vec![None; quotes.len()];
    let mut done = vec![false; quotes.len()];
    for (&s, idx) in by_source.iter().filter(|(_, idx)| idx.len() >= MANY_QUOTES) {
        let text = &sources[s as usize].text;
        let lazy = || collapsed[s as usize].get_or_init(|| Collapsed::new(text));
        let qs: Vec<&str> = idx.iter().map(|&i| quotes[i].quote.as_str()).collect();
        for (&i, span) in idx.iter().zip(find_many(text, lazy, &qs)) {
            spans[i] = span;
            done[i] = true;
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || quotes.len() < 1024 {
        for (i, q) in quotes.iter().enumerate().filter(|&(i, _)| !done[i]) {
            spans[i] = find(q);
        }
        return spans;
    }
    let chunk = quotes.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for ((part, out), skip) in quotes
            .chunks(chunk)
            .zip(spans.chunks_mut(chunk))
            .zip(done.chunks(chunk))
        {
            scope.spawn(move || {
                for ((q, o), &skip) in part.iter().zip(out).zip(skip) {
                    if !skip {
                        *o = find(q);
                    }
                }
            });
        }
    });
    spans
}

/// From this many quotes of one article on, they are found in one pass.
const MANY_QUOTES: usize = 16;

/// A source's lineage: `based_on` (a source here) or `original` (one
/// elsewhere), and how it derives.
fn lineage(
    ck: &mut Checker,
    at: At,
    l: &dyn fmt::Display,
    resolver: &Resolver,
    s: &crate::store::SourceRec,
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
        (Some(id), None) => match resolver.resolve(id, "source", want_source) {
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
fn origins(ck: &mut Checker, sources: &mut [Source]) -> Vec<Origin> {
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
            names.join(" -> "),
            sources[first].id
        ),
    );
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
                    At {
                        section: Section::Places,
                        index: p,
                    },
                    Some("within"),
                    places[p].within.map(|w| places[w as usize].id.as_str()),
                    format!(
                        "place {:?}: within loop: {} -> {}",
                        places[p].id,
                        names.join(" -> "),
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

/// Builds the model, or returns every problem found.
pub fn build(file: StoreFile) -> Result<Model, Vec<Problem>> {
    let mut ck = Checker {
        problems: Vec::new(),
        per_kind: HashMap::new(),
    };
    let StoreFile {
        meta,
        sources,
        actors,
        places,
        events,
        relations,
        claims,
    } = file;

    ck.not_empty(
        At {
            section: Section::Meta,
            index: 0,
        },
        &"meta",
        "title",
        &meta.title,
    );

    // Ids are unique across the whole store, so a claim's subject or an
    // export's --ids needs no kind.
    let mut ids: FxHashMap<SharedStr, Entity> = FxHashMap::default();
    ids.reserve(sources.len() + actors.len() + places.len() + events.len());
    let mut declare = |ck: &mut Checker, at: At, id: &SharedStr, entity: Entity| {
        if id.trim().is_empty() {
            ck.report(
                at,
                Some("id"),
                None,
                format!("{}: id is empty", at.section.item_name()),
            );
            return;
        }
        if let Some(&first) = ids.get(id.as_str()) {
            let (sec, i) = entity_origin(first);
            ck.report(
                at,
                Some("id"),
                Some(id),
                format!(
                    "duplicate id {id:?}: already used by {} number {} of {}",
                    sec.item_name(),
                    i + 1,
                    sec.field_name()
                ),
            );
        } else {
            ids.insert(id.clone(), entity);
        }
    };
    for (i, s) in sources.iter().enumerate() {
        declare(
            &mut ck,
            At {
                section: Section::Sources,
                index: i,
            },
            &s.id,
            Entity::Source(i as Ix),
        );
    }
    for (i, a) in actors.iter().enumerate() {
        declare(
            &mut ck,
            At {
                section: Section::Actors,
                index: i,
            },
            &a.id,
            Entity::Actor(i as Ix),
        );
    }
    for (i, p) in places.iter().enumerate() {
        declare(
            &mut ck,
            At {
                section: Section::Places,
                index: i,
            },
            &p.id,
            Entity::Place(i as Ix),
        );
    }
    // Events get their final (chronological) index later; file index for now.
    for (i, e) in events.iter().enumerate() {
        declare(
            &mut ck,
            At {
                section: Section::Events,
                index: i,
            },
            &e.id,
            Entity::Event(i as Ix),
        );
    }
    let resolver = Resolver {
        ids: &ids,
        suggested: std::cell::Cell::new(0),
    };

    // Sources.
    let mut model_sources = Vec::with_capacity(sources.len());
    for (i, s) in sources.into_iter().enumerate() {
        let at = At {
            section: Section::Sources,
            index: i,
        };
        let l = label(Section::Sources, &s.id);
        ck.not_empty(at, &l, "outlet", &s.outlet);
        ck.not_empty(at, &l, "title", &s.title);
        ck.not_empty(at, &l, "text", &s.text);
        let published = s
            .published
            .as_deref()
            .and_then(|d| ck.date(at, &l, "published", d));
        let lineage = lineage(&mut ck, at, &l, &resolver, &s);
        model_sources.push(Source {
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
    let origins = origins(&mut ck, &mut model_sources);

    // Finding quotes in their articles is the costliest check and each is
    // independent: do them all up front, on every core, in the order the
    // pass below consumes them.
    let quote_spans = find_quotes(
        &model_sources,
        &ids,
        events
            .iter()
            .flat_map(|e| &e.evidence)
            .chain(relations.iter().flat_map(|r| &r.evidence))
            .chain(claims.iter().flat_map(|c| &c.evidence))
            .collect(),
    );
    let mut quote_spans = quote_spans.into_iter();
    let mut evidence =
        |ck: &mut Checker, at: At, l: &dyn fmt::Display, recs: Vec<QuoteRec>| -> Vec<Quote> {
            if recs.is_empty() {
                ck.report(
                    at,
                    Some("evidence"),
                    None,
                    format!("{l}: no evidence: at least one quote from a source is needed"),
                );
            }
            let mut out = Vec::with_capacity(recs.len());
            for q in recs {
                let found = quote_spans.next().flatten();
                let src = match resolver.resolve(&q.source, "source", want_source) {
                    Ok(s) => s,
                    Err(msg) => {
                        ck.report(
                            at,
                            Some("evidence"),
                            Some(&q.source),
                            format!("{l}: evidence: {msg}"),
                        );
                        continue;
                    }
                };
                if q.quote.trim().is_empty() {
                    ck.report(
                        at,
                        Some("evidence"),
                        Some(&q.source),
                        format!("{l}: evidence: empty quote"),
                    );
                    continue;
                }
                let source = &model_sources[src as usize];
                match found {
                    Some(span) => out.push(Quote {
                        source: src,
                        text: q.quote,
                        span,
                    }),
                    None => ck.report(
                        at,
                        Some("evidence"),
                        Some(&q.quote),
                        format!(
                            "{l}: quote not found verbatim in source {:?}: {:?}",
                            source.id,
                            shorten(&q.quote, 60)
                        ),
                    ),
                }
            }
            out
        };

    // Actors.
    let mut model_actors = Vec::with_capacity(actors.len());
    for (i, a) in actors.into_iter().enumerate() {
        let at = At {
            section: Section::Actors,
            index: i,
        };
        let l = label(Section::Actors, &a.id);
        ck.not_empty(at, &l, "name", &a.name);
        model_actors.push(Actor {
            id: a.id,
            name: a.name,
            aliases: a.aliases,
            kind: a.kind,
            description: a.description,
        });
    }

    // Places.
    let mut model_places = Vec::with_capacity(places.len());
    for (i, p) in places.into_iter().enumerate() {
        let at = At {
            section: Section::Places,
            index: i,
        };
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
                .resolve(w, "place", want_place)
                .map_err(|msg| {
                    ck.report(at, Some("within"), Some(w), format!("{l}: within: {msg}"))
                })
                .ok()
        });
        model_places.push(Place {
            id: p.id,
            name: p.name,
            aliases: p.aliases,
            kind: p.kind,
            within,
            coordinates: p.coordinates,
        });
    }
    break_within_loops(&mut ck, &mut model_places);

    // Tags, interned.
    let mut tags: Vec<SharedStr> = Vec::new();
    let mut tag_ids: FxHashMap<SharedStr, Ix> = FxHashMap::default();

    // Events.
    let mut model_events: Vec<Event> = Vec::with_capacity(events.len());
    for (i, e) in events.into_iter().enumerate() {
        let at = At {
            section: Section::Events,
            index: i,
        };
        let l = label(Section::Events, &e.id);
        ck.not_empty(at, &l, "title", &e.title);
        let date = ck.date(at, &l, "date", &e.date);
        let end = e.end.as_deref().and_then(|d| ck.date(at, &l, "end", d));
        if let (Some(d), Some(en)) = (date, end)
            && en.last_day() < d.first_day()
        {
            ck.report(
                at,
                Some("end"),
                e.end.as_deref(),
                format!("{l}: end {en} is before its date {d}"),
            );
        }
        let resolve_all = |ck: &mut Checker,
                           field: &'static str,
                           list: &[SharedStr],
                           want_name: &str,
                           want: fn(Entity) -> Option<Ix>| {
            let mut out = Vec::with_capacity(list.len());
            let mut seen = rustc_hash::FxHashSet::default();
            for id in list {
                // A repeated id is one mistake, reported once.
                if !seen.insert(id.as_str()) {
                    continue;
                }
                match resolver.resolve(id, want_name, want) {
                    Ok(ix) => out.push(ix),
                    Err(msg) => {
                        ck.report(at, Some(field), Some(id), format!("{l}: {field}: {msg}"))
                    }
                }
            }
            out
        };
        let ev_actors = resolve_all(&mut ck, "actors", &e.actors, "actor", want_actor);
        let ev_places = resolve_all(&mut ck, "places", &e.places, "place", want_place);
        let mut ev_tags = Vec::with_capacity(e.tags.len());
        for t in &e.tags {
            let t = t.trimmed();
            if t.is_empty() {
                ck.report(at, Some("tags"), None, format!("{l}: tags: empty tag"));
                continue;
            }
            let ix = *tag_ids.entry(t.clone()).or_insert_with(|| {
                tags.push(t);
                (tags.len() - 1) as Ix
            });
            if !ev_tags.contains(&ix) {
                ev_tags.push(ix);
            }
        }
        let ev_evidence = evidence(&mut ck, at, &l, e.evidence);
        model_events.push(Event {
            id: e.id,
            // A bad date is reported; the placeholder never reaches a model.
            date: date.unwrap_or(Date::On(PartialDate::year(0))),
            end,
            title: e.title,
            summary: e.summary,
            tags: ev_tags,
            actors: ev_actors,
            places: ev_places,
            evidence: ev_evidence,
        });
    }

    // Relations.
    let mut model_relations = Vec::with_capacity(relations.len());
    for (i, r) in relations.into_iter().enumerate() {
        let at = At {
            section: Section::Relations,
            index: i,
        };
        let l = format!("relation {} -> {}", r.from, r.to);
        ck.not_empty(at, &l, "kind", &r.kind);
        let from = resolver
            .resolve(&r.from, "actor", want_actor)
            .map_err(|m| ck.report(at, Some("from"), Some(&r.from), format!("{l}: from: {m}")));
        let to = resolver
            .resolve(&r.to, "actor", want_actor)
            .map_err(|m| ck.report(at, Some("to"), Some(&r.to), format!("{l}: to: {m}")));
        let since = r.since.as_deref().and_then(|d| ck.date(at, &l, "since", d));
        let until = r.until.as_deref().and_then(|d| ck.date(at, &l, "until", d));
        if let (Some(s), Some(u)) = (since, until)
            && u.last_day() < s.first_day()
        {
            ck.report(
                at,
                Some("until"),
                r.until.as_deref(),
                format!("{l}: until {u} is before since {s}"),
            );
        }
        let ev = evidence(&mut ck, at, &l, r.evidence);
        if let (Ok(from), Ok(to)) = (from, to) {
            model_relations.push(Relation {
                from,
                to,
                kind: r.kind,
                since,
                until,
                evidence: ev,
            });
        }
    }

    // Claims (subjects resolved to file indices of events for now).
    let mut model_claims = Vec::with_capacity(claims.len());
    for (i, c) in claims.into_iter().enumerate() {
        let at = At {
            section: Section::Claims,
            index: i,
        };
        let l = format!("claim {:?} of {:?}", c.attribute, c.subject);
        ck.not_empty(at, &l, "attribute", &c.attribute);
        ck.not_empty(at, &l, "value", &c.value);
        let subject = match ids.get(c.subject.as_str()) {
            Some(Entity::Actor(a)) => Some(Subject::Actor(*a)),
            Some(Entity::Place(p)) => Some(Subject::Place(*p)),
            Some(Entity::Event(e)) => Some(Subject::Event(*e)),
            Some(Entity::Source(_)) => {
                ck.report(at, Some("subject"), Some(&c.subject), format!("{l}: subject {:?} is a source; a claim is about an actor, a place or an event", c.subject));
                None
            }
            None => {
                let tries = resolver.suggested.get();
                resolver.suggested.set(tries + 1);
                let suggestion = (tries < MAX_SUGGESTIONS)
                    .then(|| {
                        did_you_mean(
                            &c.subject,
                            ids.iter()
                                .filter(|(_, e)| !matches!(e, Entity::Source(_)))
                                .map(|(k, _)| k.as_str()),
                        )
                    })
                    .flatten();
                let msg = match suggestion {
                    Some(s) => {
                        format!("{l}: unknown subject {:?} (did you mean {s:?}?)", c.subject)
                    }
                    None => format!(
                        "{l}: unknown subject {:?}: no actor, place or event has that id",
                        c.subject
                    ),
                };
                ck.report(at, Some("subject"), Some(&c.subject), msg);
                None
            }
        };
        let as_of = c.as_of.as_deref().and_then(|d| ck.date(at, &l, "as_of", d));
        let value_date = c
            .value_date
            .as_deref()
            .and_then(|d| ck.date(at, &l, "value_date", d));
        if let Some(n) = c.value_number.filter(|n| !n.is_finite()) {
            ck.report(
                at,
                Some("value_number"),
                None,
                format!("{l}: value_number: {n} is not a number"),
            );
        }
        let mut events = Vec::with_capacity(c.events.len());
        for id in &c.events {
            match resolver.resolve(id, "event", want_event) {
                Ok(ix) => events.push(ix),
                Err(m) => ck.report(at, Some("events"), Some(id), format!("{l}: events: {m}")),
            }
        }
        // Sorted and deduplicated again once events have their final order.
        events.sort_unstable();
        events.dedup();
        let ev = evidence(&mut ck, at, &l, c.evidence);
        if let Some(subject) = subject {
            model_claims.push(Claim {
                subject,
                attribute: c.attribute,
                value: c.value,
                as_of,
                events,
                value_date,
                value_number: c.value_number,
                evidence: ev,
            });
        }
    }

    if !ck.problems.is_empty() {
        ck.summarise();
        return Err(ck.problems);
    }

    // Chronological order; `sort_by` is stable so equal dates keep file order.
    let mut order: Vec<usize> = (0..model_events.len()).collect();
    let keys: Vec<_> = model_events
        .iter()
        .map(|e| (e.date.sort_key(), e.days().last))
        .collect();
    order.sort_by_key(|&i| keys[i]);
    let mut new_ix = vec![0 as Ix; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_ix[old] = new as Ix;
    }
    let mut events = model_events;
    permute(&mut events, &mut order);
    for e in ids.values_mut() {
        if let Entity::Event(ix) = e {
            *ix = new_ix[*ix as usize];
        }
    }
    for c in &mut model_claims {
        if let Subject::Event(ix) = &mut c.subject {
            *ix = new_ix[*ix as usize];
        }
        for ix in &mut c.events {
            *ix = new_ix[*ix as usize];
        }
        c.events.sort_unstable();
        c.events.dedup();
    }

    Ok(index(Model {
        meta,
        sources: model_sources,
        origins,
        actors: model_actors,
        places: model_places,
        events,
        relations: model_relations,
        claims: model_claims,
        tags,
        ids,
        tag_ids,
        ..Model::default()
    }))
}

/// Reorders `items` in place so that `items[new] = old items[order[new]]`,
/// without a second copy of the items. `order` is used up.
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// Normalised form of an attribute or value, so that "Cost " and "cost" agree.
fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

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

/// Each place's range of depth-first numbers, and (number, event) pairs.
type PlaceTree = (Vec<(u32, u32)>, Vec<(u32, Ix)>);

/// Places numbered in depth-first order, so the places within a place are
/// a range of numbers: `subtree[p]` is p's range, and the pairs (number of
/// an event's place, event) sorted let `events_at_place` read the events at
/// a place or within it as a range. Linear in the places, whatever the
/// depth of `within` chains (validation has broken any loop).
fn place_tree(m: &Model) -> PlaceTree {
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

/// Fills the model's indexes.
fn index(mut m: Model) -> Model {
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
        .map(|e| e.date.text_len())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_moves_each_item_to_its_new_place() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f', 'g'];
        // Two cycles (0 3 1, 2 4) and two items that stay (5, 6).
        let mut order = vec![3, 0, 4, 1, 2, 5, 6];
        permute(&mut items, &mut order);
        assert_eq!(items, ['d', 'a', 'e', 'b', 'c', 'f', 'g']);
    }
}
