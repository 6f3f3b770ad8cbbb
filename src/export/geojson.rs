//! GeoJSON (RFC 7946): where the slice's events happened.
//!
//! One Point feature per place with coordinates, `[longitude, latitude]`
//! (the store writes `(latitude, longitude)`). An event is put at each place
//! it names that has coordinates, and for a place without them at the
//! nearest place containing it that has them (an event at Air Base 101 is
//! shown at Niamey, with `at` naming the base). A place reached only through
//! a place within it is not listed unless an event lands there. Properties:
//! `id`, `name`, `kind`, `within` (the containing place's id, or null: two
//! places may share a name), `within_name` (its name, or null),
//! and `events` (id, date and end as written, title, and `at` when the event
//! names a place inside this one). Events that no located place holds are
//! listed by id in the top-level foreign member `unlocated`, with the
//! slice's `title`.

use std::collections::BTreeMap;

use super::*;

/// The nearest place with coordinates: the place itself or one containing it.
fn located(m: &Model, place: Ix) -> Option<Ix> {
    std::iter::once(place)
        .chain(m.place_ancestors(place))
        .find(|&p| m.place(p).coordinates.is_some())
}

pub(super) fn geojson(m: &Model, events: &[Ix], title: &str) -> serde_json::Value {
    // Located place -> its events, in slice order, each with the place it names.
    let mut at: BTreeMap<Ix, Vec<(Ix, Ix)>> = BTreeMap::new();
    let mut unlocated = Vec::new();
    for &e in events {
        let mut placed = false;
        for &p in &m.event(e).places {
            if let Some(l) = located(m, p) {
                let list = at.entry(l).or_default();
                // One entry per event and located place, however many of
                // its places fall there.
                if !list.iter().any(|&(ev, _)| ev == e) {
                    list.push((e, p));
                }
                placed = true;
            }
        }
        if !placed {
            unlocated.push(json!(m.event(e).id));
        }
    }
    let features: Vec<serde_json::Value> = at
        .into_iter()
        .map(|(p, evs)| {
            let place = m.place(p);
            let (lat, lon) = place.coordinates.unwrap_or_default();
            let events: Vec<serde_json::Value> = evs
                .into_iter()
                .map(|(e, named)| {
                    let ev = m.event(e);
                    let mut v = json!({
                        "id": ev.id,
                        "date": ev.date.to_string(),
                        "title": ev.title,
                    });
                    if let Some(end) = ev.end {
                        v["end"] = json!(end.to_string());
                    }
                    if named != p {
                        v["at"] = json!(m.place(named).id);
                    }
                    v
                })
                .collect();
            json!({
                "type": "Feature",
                "id": place.id,
                "geometry": { "type": "Point", "coordinates": [lon, lat] },
                "properties": {
                    "id": place.id,
                    "name": place.name,
                    "kind": place.kind,
                    "within": place.within.map(|w| m.place(w).id.clone()),
                    "within_name": place.within.map(|w| m.place(w).name.clone()),
                    "events": events,
                },
            })
        })
        .collect();
    json!({
        "type": "FeatureCollection",
        "title": title,
        "features": features,
        "unlocated": unlocated,
    })
}
