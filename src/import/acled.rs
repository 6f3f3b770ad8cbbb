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
//! location, each place's kind its position in that chain (never the
//! row's `geo_precision`, which belongs to the event and is said in its
//! summary), the location with the coordinates. Tags:
//! event_type, sub_event_type and ACLED's own `tags`. Fatalities become a
//! claim about the event, quoting the notes. No relation is inferred from
//! actor1 and actor2.
//!
//! Dates: `event_date` in any form [`super::read_date_in`] reads, and
//! ACLED's older exports' `16-Feb-21`: a two-digit year is settled by the
//! row's `year` column, never by a guessed century (without it the row is
//! skipped, both readings named). Every column is accounted for in the
//! summary: kept, and as what, or not kept, and why.

use std::io::Read;

use super::csv::{Header, read_error};
use super::{Builder, name_key, read_date_in, shift_day};
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

/// What becomes of a column's values: `Ok(how they are kept)` or
/// `Err(why they are not)`.
fn disposition(column: &str) -> Result<&'static str, &'static str> {
    match column {
        "event_id_cnty" => Ok("as the events' ids"),
        "event_date" => Ok("as the events' dates"),
        "year" => Ok("to check event_date and settle two-digit years"),
        "time_precision" => Ok("as the dates' precision (said in the summaries)"),
        "disorder_type" | "civilian_targeting" | "source_scale" => Ok("in the events' summaries"),
        "event_type" | "sub_event_type" => Ok("as tags and in the titles"),
        "actor1" | "actor2" | "assoc_actor_1" | "assoc_actor_2" => Ok("as actors"),
        "inter1" | "inter2" => Ok("as the actors' kinds"),
        "country" | "admin1" | "admin2" | "admin3" => {
            Ok("as places (country → admin1 → admin2 → admin3 → location)")
        }
        "location" => Ok("as the events' places"),
        "latitude" | "longitude" => Ok("as the locations' coordinates"),
        "geo_precision" => Ok("in the events' summaries (it belongs to the event, not the place)"),
        "source" => Ok("in the sources' outlets"),
        "notes" => Ok("as the quoted evidence"),
        "fatalities" => Ok("as claims about the events (attribute fatalities)"),
        "tags" => Ok("as tags"),
        "interaction" => Err("a code combining inter1 and inter2, which the actors' kinds give"),
        "iso" | "iso3" => Err("the country's code; the country is kept by name"),
        "region" => Err("ACLED's world region; places start at the country"),
        "timestamp" => Err("when ACLED last changed the record, not when the event happened"),
        "population_1km" | "population_2km" | "population_5km" | "population_best" => {
            Err("annals has no field for a place's population")
        }
        "data_id" | "event_id_no_cnty" => Err("ACLED's internal numbers; event_id_cnty is the id"),
        _ => Err("not a column of ACLED's codebook that annals reads"),
    }
}

/// What became of a row's coordinates.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Coordinates {
    Kept,
    /// Not a latitude and longitude.
    Invalid,
    /// The place had others, from an earlier row.
    Other,
    Absent,
}

/// What a row imported: how its coordinates and date were read.
struct RowRead {
    coordinates: Coordinates,
    two_digit_year: bool,
    /// event_date had a time of day, dropped.
    time: bool,
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
    let names = h.names().to_vec();
    let (lat_col, lon_col) = (h.col("latitude"), h.col("longitude"));
    // Per column: values of imported rows that were not empty.
    let mut filled = vec![0usize; names.len()];
    let (mut bad_coordinates, mut other_coordinates, mut two_digit_years) =
        (0usize, 0usize, 0usize);
    let mut times = 0usize;
    while rdr.read_record(&mut rec).map_err(read_error)? {
        row += 1;
        b.row();
        if rec.len() != h.len() {
            b.skip(row, h.width_reason(rec.len()));
            continue;
        }
        match one(&h, &rec, b) {
            Ok(read) => {
                two_digit_years += usize::from(read.two_digit_year);
                times += usize::from(read.time);
                for (i, cell) in rec.iter().enumerate() {
                    let coordinate = Some(i) == lat_col || Some(i) == lon_col;
                    if cell.trim().is_empty()
                        || (coordinate && read.coordinates != Coordinates::Kept)
                    {
                        continue;
                    }
                    if let Some(n) = filled.get_mut(i) {
                        *n += 1;
                    }
                }
                match read.coordinates {
                    Coordinates::Invalid => bad_coordinates += 1,
                    Coordinates::Other => other_coordinates += 1,
                    Coordinates::Kept | Coordinates::Absent => {}
                }
            }
            Err(reason) => b.skip(row, reason),
        }
    }
    for (name, n) in names.iter().zip(filled) {
        match disposition(&name.to_lowercase()) {
            Ok(how) => b.kept_many(name, n, how),
            Err(why) => b.lost_many(name, n, why),
        }
    }
    for name in ["latitude", "longitude"] {
        b.lost_many(
            name,
            bad_coordinates,
            "not a coordinate; said in the event's summary",
        );
        b.lost_many(
            name,
            other_coordinates,
            "the location keeps the coordinates of its first row, and these differ; said in the event's summary",
        );
    }
    if times > 0 {
        b.note(format!(
            "{times} event_date value(s) had a time of day: annals dates are days, so the day as written was kept and the time dropped"
        ));
    }
    if two_digit_years > 0 {
        b.note(format!(
            "{two_digit_years} event_date value(s) had a two-digit year (16-Feb-21): the century is the row's year column's"
        ));
    }
    b.note("ACLED dates: time_precision 2 (a week) became the coded day ± 7 days, uncertain; 3 (a month) became the month");
    Ok(())
}

/// One row.
fn one(h: &Header, r: &::csv::StringRecord, b: &mut Builder) -> Result<RowRead, String> {
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
    let year = get("year");
    let year_given = match year {
        "" => None,
        y => Some(
            y.parse::<i32>()
                .ok()
                .filter(|y| (1..=9999).contains(y))
                .ok_or_else(|| format!("{id}: year {y:?} is not a year"))?,
        ),
    };
    let read =
        read_date_in(written, year_given).map_err(|why| format!("{id}: event_date {why}"))?;
    let (day, time) = (read.date, read.time.is_some());
    // A year of two digits, as ACLED's older exports wrote (16-Feb-21).
    let two_digit_year = read_date_in(written, None).is_err();
    let precision = get("time_precision");
    let (date, date_note) = match precision {
        "" | "1" => (day.clone(), None),
        "2" => {
            let (lo, hi) = shift_day(&day, -7).zip(shift_day(&day, 7)).ok_or_else(|| {
                format!(
                    "{id}: time_precision 2 needs a day whose week a store can write, event_date is {written:?}"
                )
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
    // A place's kind is its position in the chain: geo_precision says how
    // precisely this event was placed, so it stays with the event.
    let chain = [
        (get("country"), "country"),
        (get("admin1"), "admin1"),
        (get("admin2"), "admin2"),
        (get("admin3"), "admin3"),
        (get("location"), "location"),
    ];
    let (place, coordinates_kept) = b.place_at(&chain, coordinates);
    let coordinates_read = match (coordinates, coords_ok, coordinates_kept) {
        (Some(_), _, true) => Coordinates::Kept,
        (Some(_), _, false) => Coordinates::Other,
        (None, false, _) => Coordinates::Invalid,
        (None, true, _) => Coordinates::Absent,
    };
    let place_name = chain
        .iter()
        .rev()
        .find(|(n, _)| !n.is_empty())
        .map_or("", |(n, _)| *n);

    let event_type = get("event_type");
    let sub_type = get("sub_event_type");
    let tags = super::csv::unique(
        [event_type, sub_type]
            .into_iter()
            .chain(get("tags").split(';'))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| b.shared(t)),
    );

    let what = [sub_type, event_type]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("Event");
    let mut title = what.to_string();
    if !place_name.is_empty() {
        title.push_str(&format!(" in {place_name}"));
    }
    // An actor on both sides (a split group, clashes within one force) is
    // named once.
    let mut named: Vec<&str> = Vec::new();
    for a in [get("actor1"), get("actor2")] {
        if !a.is_empty() && !named.iter().any(|n| name_key(n) == name_key(a)) {
            named.push(a);
        }
    }
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
    if coordinates_read == Coordinates::Other {
        summary.push(format!(
            "Location: this row gave the coordinates ({lat}, {lon}); the place keeps those of its first row."
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
    Ok(RowRead {
        coordinates: coordinates_read,
        two_digit_year,
        time,
    })
}
