//! Semantic checks and model building: turns a parsed `StoreFile` into a
//! `Model`, collecting every problem instead of stopping at the first.
//!
//! One pass per concern, each in its file: ids and references (`refs`),
//! sources and their lineage (`sources`), evidence and quotes
//! (`evidence`), places (`places`), actors, events, relations and claims
//! (`records`); then the indexes of the valid model (`index`). Each costs
//! O(n log n) in the size of the store, whatever its shape.

mod check;
mod evidence;
mod index;
mod places;
mod records;
mod refs;
mod sources;

use crate::model::{Ix, Model, Subject};
use crate::store::StoreFile;
use check::Checker;
use evidence::{Evidence, find_quotes};
pub(crate) use index::by_event;
use records::Tags;
use refs::Resolver;

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

/// Builds the model, or returns every problem found.
pub fn build(file: StoreFile) -> Result<Model, Vec<Problem>> {
    let Checked {
        meta,
        sources,
        origins,
        actors,
        places,
        events,
        relations,
        mut claims,
        tags,
        mut ids,
    } = checked(file, true)?;
    let events = in_chronological_order(events, &mut ids, &mut claims);
    Ok(index::index(Model {
        meta,
        sources,
        origins,
        actors,
        places,
        events,
        relations,
        claims,
        tags: tags.names,
        ids,
        tag_ids: tags.ids,
        ..Model::default()
    }))
}

/// Checks the store exactly as `build` does (every problem it would
/// find), without the model: each event is dropped once checked. For a
/// store about to be written, whose model nobody opens: a million events'
/// model beside their records was most of an import's peak memory.
pub fn check(file: StoreFile) -> Result<(), Vec<Problem>> {
    checked(file, false).map(drop)
}

/// What the checks make of a store with no problem: the model's parts,
/// not yet ordered or indexed (neither can find a problem).
struct Checked {
    meta: crate::store::Meta,
    sources: Vec<crate::model::Source>,
    origins: Vec<crate::model::Origin>,
    actors: Vec<crate::model::Actor>,
    places: Vec<crate::model::Place>,
    /// Empty unless the events were kept.
    events: Vec<crate::model::Event>,
    relations: Vec<crate::model::Relation>,
    claims: Vec<crate::model::Claim>,
    tags: Tags,
    ids: crate::model::Ids,
}

/// Every check of a store, in one pass per concern; the events are
/// kept only with `keep_events`.
fn checked(file: StoreFile, keep_events: bool) -> Result<Checked, Vec<Problem>> {
    let mut ck = Checker::new();
    ck.not_empty(
        Checker::at(Section::Meta, 0),
        &"meta",
        "title",
        &file.meta.title,
    );
    // Ids are unique across the whole store, so a claim's subject or an
    // export's --ids needs no kind.
    let (ids, declared) = refs::declare_ids(&mut ck, &file);
    let resolver = Resolver::new(&ids, &declared, &file);
    let StoreFile {
        meta,
        sources,
        actors,
        places,
        events,
        relations,
        claims,
    } = file;
    let mut model_sources = sources::check_sources(&mut ck, &resolver, sources);
    let origins = sources::origins(&mut ck, &mut model_sources);
    // Finding quotes in their articles is the costliest check and each is
    // independent: do them all up front, on every core, in the order the
    // passes below consume them.
    let found = find_quotes(
        &model_sources,
        &resolver,
        events
            .iter()
            .flat_map(|e| &e.evidence)
            .chain(relations.iter().flat_map(|r| &r.evidence))
            .chain(claims.iter().flat_map(|c| &c.evidence))
            .collect(),
    );
    let mut evidence = Evidence {
        found: found.into_iter(),
        resolver: &resolver,
        sources: &model_sources,
        closest: Default::default(),
        explained: 0,
    };
    let model_actors = records::check_actors(&mut ck, actors);
    let model_places = places::check_places(&mut ck, &resolver, places);
    let mut tags = Tags::default();
    let model_events = records::check_events(
        &mut ck,
        &resolver,
        &mut evidence,
        &mut tags,
        events,
        keep_events,
    );
    let model_relations = records::check_relations(&mut ck, &resolver, &mut evidence, relations);
    let model_claims = records::check_claims(&mut ck, &resolver, &mut evidence, claims);
    if !ck.problems.is_empty() {
        ck.summarise();
        return Err(ck.problems);
    }
    Ok(Checked {
        meta,
        sources: model_sources,
        origins,
        actors: model_actors,
        places: model_places,
        events: model_events,
        relations: model_relations,
        claims: model_claims,
        tags,
        ids,
    })
}

/// The events in chronological order (stable: equal dates keep file
/// order), with the ids and claims that name events renumbered to match.
fn in_chronological_order(
    mut events: Vec<crate::model::Event>,
    ids: &mut crate::model::Ids,
    claims: &mut [crate::model::Claim],
) -> Vec<crate::model::Event> {
    // Each key beside its event's number, sorted as one: comparisons read
    // neighbours in memory, not keys at random (a third of the time at a
    // million events). The number last keeps equal dates in file order.
    let mut keyed: Vec<_> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.date.sort_key(), e.days().last, i))
        .collect();
    keyed.sort_unstable();
    let mut order: Vec<usize> = keyed.into_iter().map(|(_, _, i)| i).collect();
    let mut new_ix = vec![0 as Ix; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_ix[old] = new as Ix;
    }
    permute(&mut events, &mut order);
    for ix in ids.events.values_mut() {
        *ix = new_ix[*ix as usize];
    }
    for c in claims {
        if let Subject::Event(ix) = &mut c.subject {
            *ix = new_ix[*ix as usize];
        }
        for ix in &mut c.events {
            *ix = new_ix[*ix as usize];
        }
        c.events.sort_unstable();
    }
    events
}

/// A loop's ids joined by arrows, its middle left out when it is long.
fn loop_path(names: &[&str]) -> String {
    if names.len() <= 12 {
        return names.join(" -> ");
    }
    format!(
        "{} -> … {} more … -> {}",
        names[..6].join(" -> "),
        names.len() - 9,
        names[names.len() - 3..].join(" -> ")
    )
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

/// The threads to share `items` items of work among: every core, unless
/// there is too little work to share.
fn threads(items: usize) -> usize {
    if items < 4096 {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `f` of each of `items`' parts, on `threads` threads (this one among
/// them), the results in order.
fn in_parts<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    if threads <= 1 || items.len() < 2 {
        return vec![f(items)];
    }
    in_turns(
        &items
            .chunks(items.len().div_ceil(threads))
            .collect::<Vec<_>>(),
        threads,
        |part| f(part),
    )
}

/// `f` of each item, on `threads` threads (this one among them), each
/// taking the next item when done with one, the results in order: a
/// thread slowed by another program leaves its next items to the others.
fn in_turns<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    if threads <= 1 || items.len() < 2 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut all: Vec<(usize, R)> = std::thread::scope(|s| {
        let others: Vec<_> = (1..threads.min(items.len()))
            .map(|_| s.spawn(work))
            .collect();
        let mut all = work();
        for h in others {
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    all.sort_unstable_by_key(|&(i, _)| i);
    all.into_iter().map(|(_, r)| r).collect()
}

pub(crate) fn shorten(s: &str, max: usize) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `check` finds every problem `build` finds, in every invalid
    /// fixture that parses, and passes what `build` passes.
    #[test]
    fn check_finds_what_build_finds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut compared = 0;
        for sub in ["invalid", "valid"] {
            for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
                let path = entry.unwrap().path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let Ok(file) = crate::store::load::parse(&text, "t") else {
                    continue;
                };
                let built = build(file.clone()).map(|_| ());
                assert_eq!(check(file), built, "{}", path.display());
                compared += usize::from(built.is_err());
            }
        }
        let niger = crate::store::load::parse(crate::store::load::BUILTIN_STORE, "n").unwrap();
        assert_eq!(check(niger), Ok(()));
        assert!(compared >= 10, "{compared} invalid stores compared");
    }

    #[test]
    fn permute_moves_each_item_to_its_new_place() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f', 'g'];
        // Two cycles (0 3 1, 2 4) and two items that stay (5, 6).
        let mut order = vec![3, 0, 4, 1, 2, 5, 6];
        permute(&mut items, &mut order);
        assert_eq!(items, ['d', 'a', 'e', 'b', 'c', 'f', 'g']);
    }
}
