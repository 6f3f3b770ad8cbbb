//! Timesketch CSV or JSONL (told apart by the first character: `{` is
//! JSONL): `message`, `datetime` (or `timestamp`) and `timestamp_desc`,
//! and any other columns.
//!
//! Dates: Timesketch times are exact; annals dates are days, so an event
//! is on the day written in `datetime` (ISO 8601, the time of day and the
//! offset dropped, or any date form [`super::read_date_in`] reads), or the
//! UTC day of an epoch number, in `datetime` or `timestamp`. As Timesketch
//! does, an epoch number's unit is told by its magnitude: under 10^11
//! seconds, under 10^14 milliseconds, under 10^17 microseconds, else
//! nanoseconds (1658689261, 1658689261123, 1658689261123456 and
//! 1658689261123456789 are all 2022-07-24); the summary counts each unit
//! read. A record exported by annals
//! carries `date_as_written` and `end_as_written`: those are read instead,
//! so the precision comes back as it was (`~2023-07`, `[..2023-12]`).
//!
//! Fields: `message` is the title; `id` the event id when unused;
//! `summary`, `actors`, `places` and `tags` (annals') and `tag`
//! (Timesketch's) are what they say, lists or `;`-separated cells;
//! `timestamp_desc` is a tag (except annals' own, which only restates the
//! precision); annals' derived fields `start`, `end`, `precision`,
//! `origins` are dropped; every other column becomes a line of the summary
//! (`column: value`).
//!
//! Evidence: one source for the file (`kind: Dataset`, outlet "Timesketch
//! timeline", titled with the file name) whose text is every record's
//! message, one paragraph each, so each event quotes its message. A
//! record with annals' `first_quote` also quotes it, from a source of its
//! own whose `original` is the first of the record's `sources` (an excerpt
//! of that article) and whose URL is the record's `url`.

use std::io::{BufRead, BufReader, Read};

use super::csv::{Header, read_error, values};
use super::{Builder, first_byte, read_date_in, slug};
use crate::evidence::date::{Date, iso_day};
use crate::store::{Derivation, EventRec, QuoteRec, SourceKind, SourceRec};

/// A cell: text, or a list (JSON arrays).
enum Cell {
    Text(String),
    List(Vec<String>),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.trim().to_string(),
            Cell::List(v) => v.join("; "),
        }
    }

    fn list(&self) -> Vec<String> {
        match self {
            Cell::Text(s) => values(s).map(str::to_string).collect(),
            Cell::List(v) => v
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        }
    }
}

fn cell_of(v: &serde_json::Value) -> Cell {
    match v {
        serde_json::Value::String(s) => Cell::Text(s.clone()),
        serde_json::Value::Null => Cell::Text(String::new()),
        serde_json::Value::Array(a) => Cell::List(
            a.iter()
                .map(|x| match x {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
        ),
        other => Cell::Text(other.to_string()),
    }
}

/// Fields read for what they are, not put in the summary.
const KNOWN: [&str; 16] = [
    "message",
    "datetime",
    "timestamp",
    "timestamp_desc",
    "id",
    "date_as_written",
    "end_as_written",
    "summary",
    "actors",
    "places",
    "tags",
    "tag",
    "sources",
    "first_quote",
    "url",
    "__ts_emojis",
];
/// annals' fields that are worked out from the date and sources.
const DERIVED: [&str; 4] = ["start", "end", "precision", "origins"];

struct Ctx<'a> {
    file_source: usize,
    file: &'a str,
}

/// How the records' days were read, for the summary.
#[derive(Default)]
struct Tally {
    /// Epoch numbers read per unit: seconds, ms, µs, ns.
    units: [usize; 4],
    /// Datetimes whose time of day was dropped.
    times: usize,
}

const UNITS: [&str; 4] = ["seconds", "milliseconds", "microseconds", "nanoseconds"];

pub(super) fn read<R: Read>(input: R, name: &str, b: &mut Builder) -> Result<(), String> {
    let mut r = BufReader::new(input);
    let file = std::path::Path::new(name)
        .file_name()
        .map_or(name.to_string(), |f| f.to_string_lossy().into_owned());
    let file_source = b.growing_source(SourceRec {
        id: "timesketch".into(),
        outlet: "Timesketch timeline".into(),
        title: file.clone().into(),
        published: None,
        url: None,
        kind: SourceKind::Dataset,
        author: None,
        language: None,
        based_on: None,
        original: None,
        derivation: None,
        text: Default::default(),
    });
    let ctx = Ctx {
        file_source,
        file: &file,
    };
    let mut tally = Tally::default();
    let jsonl = first_byte(&mut r).map_err(|e| crate::export::plain_io(&e))? == Some(b'{');
    if jsonl {
        b.set_unit("line");
        let mut line = Vec::new();
        let mut n = 0;
        loop {
            line.clear();
            let got = r
                .read_until(b'\n', &mut line)
                .map_err(|e| crate::export::plain_io(&e))?;
            if got == 0 {
                break;
            }
            n += 1;
            let text = std::str::from_utf8(&line)
                .map_err(|_| format!("invalid UTF-8 on line {n}: the file must be UTF-8 text"))?;
            let text = text.trim_start_matches('\u{feff}').trim();
            if text.is_empty() {
                continue;
            }
            b.row();
            let v: serde_json::Value =
                serde_json::from_str(text).map_err(|e| format!("line {n} is not JSON: {e}"))?;
            let Some(obj) = v.as_object() else {
                b.skip(n, "not a JSON object");
                continue;
            };
            let fields: Vec<(String, Cell)> =
                obj.iter().map(|(k, v)| (k.clone(), cell_of(v))).collect();
            if let Err(reason) = one(&ctx, &fields, n, b, &mut tally) {
                b.skip(n, reason);
            }
        }
    } else {
        b.set_unit("row");
        let mut rdr = ::csv::ReaderBuilder::new().flexible(true).from_reader(r);
        let h = Header::of(&mut rdr)?;
        let mut missing = Vec::new();
        if h.col("message").is_none() {
            missing.push("message");
        }
        if h.col("datetime").is_none() && h.col("timestamp").is_none() {
            missing.push("datetime (or timestamp)");
        }
        h.require(&missing)?;
        let names: Vec<String> = rdr
            .headers()
            .map_err(read_error)?
            .iter()
            .map(|n| n.trim_start_matches('\u{feff}').trim().to_lowercase())
            .collect();
        let mut rec = ::csv::StringRecord::new();
        let mut row = 1;
        while rdr.read_record(&mut rec).map_err(read_error)? {
            row += 1;
            b.row();
            if rec.len() != h.len() {
                b.skip(row, h.width_reason(rec.len()));
                continue;
            }
            let fields: Vec<(String, Cell)> = names
                .iter()
                .zip(rec.iter())
                .map(|(k, v)| (k.clone(), Cell::Text(v.to_string())))
                .collect();
            if let Err(reason) = one(&ctx, &fields, row, b, &mut tally) {
                b.skip(row, reason);
            }
        }
    }
    if tally.times > 0 {
        b.note(format!(
            "{} datetime value(s) had a time of day: annals dates are days, so the day as written was kept and the time and its offset dropped (annals' own date_as_written is read when present)",
            tally.times
        ));
    }
    let units: Vec<String> = UNITS
        .iter()
        .zip(tally.units)
        .filter(|(_, n)| *n > 0)
        .map(|(u, n)| format!("{n} in {u}"))
        .collect();
    if !units.is_empty() {
        b.note(format!(
            "epoch numbers read by their magnitude, as Timesketch does (under 10^11 seconds, 10^14 milliseconds, 10^17 microseconds, else nanoseconds): {}; each became its UTC day",
            units.join(", ")
        ));
    }
    Ok(())
}

/// An epoch number's UTC day and the index of its unit in [`UNITS`], the
/// unit told by magnitude as Timesketch does. `None` when `text` is not a
/// number.
pub(crate) fn epoch_day(text: &str) -> Option<(String, usize)> {
    let t = text.trim();
    let (value, whole): (f64, Option<i128>) = match t.parse::<i128>() {
        Ok(n) => (n as f64, Some(n)),
        Err(_) => {
            let numeric = !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
            let v: f64 = t.parse().ok().filter(|v: &f64| v.is_finite() && numeric)?;
            (v, None)
        }
    };
    let unit = match value.abs() {
        a if a < 1e11 => 0,
        a if a < 1e14 => 1,
        a if a < 1e17 => 2,
        _ => 3,
    };
    let per_day: i128 = 86_400 * [1, 1_000, 1_000_000, 1_000_000_000][unit];
    let day = match whole {
        Some(n) => i64::try_from(n.div_euclid(per_day)).ok()?,
        None => (value / per_day as f64).floor() as i64,
    };
    // Past year 9999 is no day annals writes.
    (day.abs() < 2_932_897).then(|| (iso_day(day), unit))
}

/// The day a record happened on, from `datetime` or `timestamp`.
fn day_of(datetime: &str, timestamp: &str, tally: &mut Tally) -> Result<String, String> {
    if !datetime.is_empty() {
        if let Some((day, unit)) = epoch_day(datetime) {
            tally.units[unit] += 1;
            return Ok(day);
        }
        let read = read_date_in(datetime, None).map_err(|why| {
            format!("datetime {why}, or an epoch number (seconds, milliseconds, microseconds or nanoseconds, told by magnitude)")
        })?;
        if read.time.is_some() {
            tally.times += 1;
        }
        return Ok(read.date);
    }
    let (day, unit) = epoch_day(timestamp)
        .ok_or_else(|| format!("no datetime, and timestamp {timestamp:?} is not an epoch number (seconds, milliseconds, microseconds or nanoseconds since 1970, told by magnitude)"))?;
    tally.units[unit] += 1;
    Ok(day)
}

fn one(
    ctx: &Ctx,
    fields: &[(String, Cell)],
    row: usize,
    b: &mut Builder,
    tally: &mut Tally,
) -> Result<(), String> {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, c)| c);
    let text = |k: &str| get(k).map(Cell::text).unwrap_or_default();
    let list = |k: &str| get(k).map(Cell::list).unwrap_or_default();
    let message = text("message");
    if message.is_empty() {
        return Err("empty message".into());
    }
    let as_written = text("date_as_written");
    let from_annals = Date::parse(&as_written).is_ok();
    let (date, end) = if from_annals {
        let end = text("end_as_written");
        (as_written, Date::parse(&end).is_ok().then_some(end))
    } else {
        (day_of(&text("datetime"), &text("timestamp"), tally)?, None)
    };
    let id = match b.take_id(&text("id")) {
        Some(id) => id,
        None => b.fresh_id(&slug(&message)),
    };
    let (file_source, quote) = b.append(ctx.file_source, &message);
    let mut evidence = vec![QuoteRec {
        source: file_source,
        quote,
    }];
    let first_quote = text("first_quote");
    if !first_quote.is_empty() {
        let sources = list("sources");
        let url = text("url");
        let quote = crate::store::shared::SharedStr::from(first_quote.as_str());
        let source = b.fresh_id(&format!("{id}-quote"));
        let source = b.source(SourceRec {
            id: source,
            outlet: "Timesketch timeline".into(),
            title: format!("{}, {} {row}: first quote", ctx.file, b.unit()).into(),
            published: None,
            url: (!url.is_empty()).then(|| url.into()),
            kind: SourceKind::Dataset,
            author: None,
            language: None,
            based_on: None,
            derivation: sources.first().map(|_| Derivation::Excerpt),
            original: sources.first().map(|s| s.as_str().into()),
            text: quote.clone(),
        });
        evidence.push(QuoteRec { source, quote });
    }
    let desc = text("timestamp_desc");
    let tag_values = list("tags")
        .into_iter()
        .chain(list("tag"))
        .chain((!from_annals && !desc.is_empty()).then_some(desc));
    let tags = super::csv::unique(tag_values.map(|t| b.shared(&t)));
    let actors = super::csv::unique(list("actors").iter().filter_map(|a| b.actor(a, "actor")));
    let places = super::csv::unique(
        list("places")
            .iter()
            .filter_map(|p| b.place(&[(p, "place")], None)),
    );
    let mut summary: Vec<String> = Vec::new();
    let own = text("summary");
    if !own.is_empty() {
        summary.push(own);
    }
    for (k, c) in fields {
        let v = c.text();
        if KNOWN.contains(&k.as_str())
            || (from_annals && DERIVED.contains(&k.as_str()))
            || v.is_empty()
        {
            continue;
        }
        summary.push(format!("{k}: {v}"));
    }
    account(
        fields,
        b,
        from_annals,
        id.as_str() == text("id"),
        !first_quote.is_empty(),
    );
    b.event(EventRec {
        id,
        date: date.into(),
        end: end.map(Into::into),
        title: message.into(),
        summary: (!summary.is_empty()).then(|| summary.join("\n").into()),
        tags,
        actors,
        places,
        evidence,
    });
    Ok(())
}

/// Counts each field of an imported record in the summary: kept, and as
/// what, or not kept, and why.
fn account(
    fields: &[(String, Cell)],
    b: &mut Builder,
    from_annals: bool,
    id_taken: bool,
    quoted: bool,
) {
    let given = |k: &str| fields.iter().any(|(n, c)| n == k && !c.text().is_empty());
    let has_datetime = given("datetime");
    for (k, c) in fields {
        if c.text().is_empty() {
            continue;
        }
        let k = k.as_str();
        let kept = |b: &mut Builder, how: &str| b.kept(k, how);
        let lost = |b: &mut Builder, why: &str| b.lost(k, why);
        match k {
            "message" => kept(b, "as the titles, quoted from the file's source"),
            "datetime" | "timestamp" if from_annals => {
                lost(b, "annals' date_as_written gives the date")
            }
            "datetime" => kept(b, "as the events' days (any time of day dropped)"),
            "timestamp" if !has_datetime => kept(b, "as the events' UTC days"),
            "timestamp" => lost(b, "datetime gives the day"),
            "timestamp_desc" if from_annals => {
                lost(b, "annals' own, which restates the date's precision")
            }
            "timestamp_desc" => kept(b, "as tags"),
            "id" if id_taken => kept(b, "as the events' ids"),
            "id" => lost(b, "an id already used: the event got another"),
            "date_as_written" | "end_as_written" if from_annals => kept(b, "as the events' dates"),
            "date_as_written" | "end_as_written" => lost(b, "not a date annals reads"),
            "summary" => kept(b, "as the summaries"),
            "actors" => kept(b, "as actors (names only)"),
            "places" => kept(b, "as places (names only)"),
            "tags" | "tag" => kept(b, "as tags"),
            "sources" if quoted => kept(
                b,
                "the first as the original of the first quote's source; the others are not kept",
            ),
            "sources" => lost(
                b,
                "source names only: without a first_quote nothing quotes them",
            ),
            "first_quote" => kept(b, "quoted from a source of its own"),
            "url" if quoted => kept(b, "as the first quote's source's URL"),
            "url" => lost(b, "without a first_quote there is no source to give it to"),
            "__ts_emojis" => lost(b, "Timesketch's display emojis"),
            _ if from_annals && DERIVED.contains(&k) => {
                lost(b, "worked out by annals' export from the date and sources")
            }
            _ => kept(b, "as \"column: value\" lines of the summaries"),
        }
    }
}
