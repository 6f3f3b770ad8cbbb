//! ACLED CSV, columns as in ACLED's codebook, in any order; a subset will
//! do: `event_id_cnty`, `event_date`, `country` or `location`, and `notes`
//! are required.
//!
//! Each row is one event, its evidence the row's notes, verbatim, from a
//! source of its own (`kind: Dataset`, id `acled-` and the event id, outlet
//! "ACLED record (reported by: …)"). Dates: `time_precision` 1 (or none) is
//! the day; 2, "the week or weekend", is the uncertain span of the coded
//! day ± 7 days, which holds any week containing it; 3, "the month", is
//! the month. Actors (actor1, actor2 and the `;`-separated associated
//! actors) are one per name, their kind from inter1/inter2 (codes or
//! ACLED's words). Places are chains country → admin1 → admin2 → admin3 →
//! location, the location with the coordinates; `geo_precision` is said in
//! the event's summary (it belongs to the event, not the place). Tags:
//! event_type, sub_event_type and ACLED's own `tags`. Fatalities become a
//! claim about the event, quoting the notes. No relation is inferred from
//! actor1 and actor2.

use std::io::Read;

use super::csv::{Header, read_error};
use super::{Builder, read_date, shift_day};
use crate::store::shared::SharedStr;
use crate::store::{ClaimRec, EventRec, QuoteRec, SourceKind, SourceRec};

/// What an inter1/inter2 code means (ACLED codebook).
fn actor_kind(inter: &str) -> String {
    match inter.trim() {
        "1" => "state forces".into(),
        "2" => "rebel group".into(),
        "3" => "political militia".into(),
        "4" => "identity militia".into(),
        "5" => "rioters".into(),
        "6" => "protesters".into(),
        "7" => "civilians".into(),
        "8" => "external/other forces".into(),
        "" | "0" => "actor".into(),
        words if !words.bytes().all(|b| b.is_ascii_digit()) => words.to_lowercase(),
        _ => "actor".into(),
    }
}

fn geo_precision(code: &str) -> Option<&'static str> {
    match code.trim() {
        "1" => Some("geo_precision 1: the named location itself"),
        "2" => Some("geo_precision 2: near the named location, or part of its area"),
        "3" => Some("geo_precision 3: only a larger area is known; the coordinates stand for it"),
        _ => None,
    }
}

pub(super) fn read<R: Read>(input: R, b: &mut Builder) -> Result<(), String> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(input);
    let h = Header::of(&mut rdr)?;
    let mut missing: Vec<&str> = ["event_id_cnty", "event_date", "notes"]
        .into_iter()
        .filter(|c| h.col(c).is_none())
        .collect();
    if h.col("country").is_none() && h.col("location").is_none() {
        missing.push("country or location");
    }
    h.require(&missing)?;
    let mut rec = ::csv::StringRecord::new();
    let mut row = 1;
    let mut bad_coordinates = 0usize;
    while rdr.read_record(&mut rec).map_err(read_error)? {
        row += 1;
        b.row();
        if rec.len() != h.len() {
            b.skip(row, h.width_reason(rec.len()));
            continue;
        }
        match one(&h, &rec, b) {
            Ok(coords_ok) => bad_coordinates += usize::from(!coords_ok),
            Err(reason) => b.skip(row, reason),
        }
    }
    if bad_coordinates > 0 {
        b.note(format!(
            "{bad_coordinates} row(s) had a latitude/longitude that is not a coordinate: left out (said in the event's summary)"
        ));
    }
    b.note("ACLED dates: time_precision 2 (a week) became the coded day ± 7 days, uncertain; 3 (a month) became the month");
    Ok(())
}

/// One row; `Ok(false)` when it was imported without its coordinates.
fn one(h: &Header, r: &::csv::StringRecord, b: &mut Builder) -> Result<bool, String> {
    let get = |c: &str| h.get(r, c);
    let id = get("event_id_cnty");
    if id.is_empty() {
        return Err("empty event_id_cnty".into());
    }
    let notes = h.raw(r, "notes");
    if notes.trim().is_empty() {
        return Err(format!("{id}: empty notes: no text to quote as evidence"));
    }
    let written = get("event_date");
    let day = read_date(written)
        .ok_or_else(|| format!("{id}: event_date {}", super::date_problem(written)))?;
    let precision = get("time_precision");
    let (date, date_note) = match precision {
        "" | "1" => (day.clone(), None),
        "2" => {
            let (lo, hi) = shift_day(&day, -7).zip(shift_day(&day, 7)).ok_or_else(|| {
                format!("{id}: time_precision 2 needs a day, event_date is {written:?}")
            })?;
            (
                format!("[{lo}..{hi}]"),
                Some(format!(
                    "Date: ACLED time_precision 2 (the week or weekend): coded {day}, so some day from {lo} to {hi}."
                )),
            )
        }
        "3" => (
            day.get(..7).unwrap_or(&day).to_string(),
            Some(format!(
                "Date: ACLED time_precision 3 (the month): coded {day}, so some day of {}.",
                day.get(..7).unwrap_or(&day)
            )),
        ),
        other => {
            return Err(format!(
                "{id}: time_precision {other:?}: expected 1, 2 or 3"
            ));
        }
    };
    let year = get("year");
    if !year.is_empty() && !day.starts_with(year) {
        return Err(format!(
            "{id}: event_date {written:?} is not in the year column's {year}"
        ));
    }
    let event_id = b
        .take_id(id)
        .ok_or_else(|| format!("{id}: event_id_cnty repeats an earlier row"))?;

    let text = SharedStr::from(notes);
    let quote = text.trimmed();
    let reported_by = get("source");
    let source = b.fresh_id(&format!("acled-{id}"));
    let source = b.source(SourceRec {
        id: source,
        outlet: if reported_by.is_empty() {
            "ACLED record".into()
        } else {
            format!("ACLED record (reported by: {reported_by})").into()
        },
        title: format!("ACLED {id}").into(),
        published: None,
        url: None,
        kind: SourceKind::Dataset,
        author: None,
        language: None,
        based_on: None,
        original: None,
        derivation: None,
        text,
    });
    let evidence = vec![QuoteRec { source, quote }];

    let mut actors = Vec::new();
    for (name, inter, assoc) in [
        ("actor1", "inter1", "assoc_actor_1"),
        ("actor2", "inter2", "assoc_actor_2"),
    ] {
        if let Some(a) = b.actor(get(name), &actor_kind(get(inter))) {
            actors.push(a);
        }
        for n in get(assoc).split(';') {
            if let Some(a) = b.actor(n, "actor") {
                actors.push(a);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    actors.retain(|a| seen.insert(a.clone()));

    let lat = get("latitude");
    let lon = get("longitude");
    let coordinates = match (lat.parse::<f64>(), lon.parse::<f64>()) {
        (Ok(la), Ok(lo))
            if la.is_finite() && lo.is_finite() && la.abs() <= 90.0 && lo.abs() <= 180.0 =>
        {
            Some((la, lo))
        }
        _ => None,
    };
    let coords_ok = coordinates.is_some() || (lat.is_empty() && lon.is_empty());
    // geo_precision 2 and 3: the coordinates stand for an area around the
    // location or a larger one; the map draws such places as areas.
    let location_kind = match get("geo_precision").trim() {
        "2" | "3" => "approximate location",
        _ => "location",
    };
    let chain = [
        (get("country"), "country"),
        (get("admin1"), "admin1"),
        (get("admin2"), "admin2"),
        (get("admin3"), "admin3"),
        (get("location"), location_kind),
    ];
    let place = b.place(&chain, coordinates);
    let place_name = chain
        .iter()
        .rev()
        .find(|(n, _)| !n.is_empty())
        .map_or("", |(n, _)| *n);

    let event_type = get("event_type");
    let sub_type = get("sub_event_type");
    let mut tags = Vec::new();
    for t in [event_type, sub_type]
        .into_iter()
        .chain(get("tags").split(';'))
    {
        let t = t.trim();
        if !t.is_empty() {
            let t = b.shared(t);
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
    }

    let what = [sub_type, event_type]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("Event");
    let mut title = what.to_string();
    if !place_name.is_empty() {
        title.push_str(&format!(" in {place_name}"));
    }
    let named: Vec<&str> = [get("actor1"), get("actor2")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !named.is_empty() {
        title.push_str(&format!(": {}", named.join("; ")));
    }

    let mut summary = Vec::new();
    let coded: Vec<&str> = [get("disorder_type"), event_type, sub_type]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !coded.is_empty() {
        summary.push(format!("ACLED {id}: {}.", coded.join(" / ")));
    }
    summary.extend(date_note);
    if let Some(g) = geo_precision(get("geo_precision")) {
        summary.push(format!("Location: ACLED {g}."));
    }
    if !coords_ok {
        summary.push(format!(
            "Location: the coordinates given ({lat:?}, {lon:?}) are not valid and were left out."
        ));
    }
    if !get("civilian_targeting").is_empty() {
        summary.push(format!("{}.", get("civilian_targeting")));
    }
    let scale = get("source_scale");
    if !scale.is_empty() {
        summary.push(format!("Source scale: {scale}."));
    }

    let fatalities = get("fatalities");
    if !fatalities.is_empty() {
        let attribute = b.shared("fatalities");
        b.claim(ClaimRec {
            subject: event_id.clone(),
            attribute,
            value: fatalities.into(),
            as_of: None,
            events: vec![],
            value_date: None,
            value_number: fatalities.parse::<f64>().ok().filter(|n| n.is_finite()),
            value_min: None,
            value_max: None,
            evidence: evidence.clone(),
        });
    }
    b.event(EventRec {
        id: event_id,
        date: date.into(),
        end: None,
        title: title.into(),
        summary: (!summary.is_empty()).then(|| summary.join(" ").into()),
        tags,
        actors,
        places: place.into_iter().collect(),
        evidence,
    });
    Ok(coords_ok)
}
