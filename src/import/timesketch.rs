//! Timesketch CSV or JSONL (told apart by the first character: `{` is
//! JSONL): `message`, `datetime` (or `timestamp`, microseconds since 1970)
//! and `timestamp_desc`, and any other columns.
//!
//! Dates: Timesketch times are exact; annals dates are days, so an event
//! is on the day written in `datetime` (the time of day and the offset
//! are dropped), or the UTC day of `timestamp`. A record exported by annals
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
use super::{Builder, first_byte, slug};
use crate::evidence::date::{Date, PartialDate, iso_day};
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
            if let Err(reason) = one(&ctx, &fields, n, b) {
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
            if let Err(reason) = one(&ctx, &fields, row, b) {
                b.skip(row, reason);
            }
        }
    }
    b.note("Timesketch times are exact, annals dates are days: the time of day and its offset were dropped (annals' own date_as_written is read when present)");
    Ok(())
}

/// The day a record happened on, from `datetime` or `timestamp`.
fn day_of(datetime: &str, timestamp: &str) -> Result<String, String> {
    if !datetime.is_empty() {
        let day = datetime.get(..10).unwrap_or(datetime);
        return match PartialDate::parse(day) {
            Ok(d) if d.day.is_some() && !d.approximate => Ok(day.to_string()),
            _ => Err(format!(
                "datetime {datetime:?} does not start with a day (YYYY-MM-DD)"
            )),
        };
    }
    let micros: i64 = timestamp
        .parse()
        .map_err(|_| format!("no datetime, and timestamp {timestamp:?} is not a number"))?;
    Ok(iso_day(micros.div_euclid(86_400_000_000)))
}

fn one(ctx: &Ctx, fields: &[(String, Cell)], row: usize, b: &mut Builder) -> Result<(), String> {
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
        (day_of(&text("datetime"), &text("timestamp"))?, None)
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
        let quote = crate::store::shared::SharedStr::from(first_quote);
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
    let mut tags = Vec::new();
    let desc = text("timestamp_desc");
    let tag_values = list("tags")
        .into_iter()
        .chain(list("tag"))
        .chain((!from_annals && !desc.is_empty()).then_some(desc));
    for t in tag_values {
        let t = b.shared(&t);
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    let mut actors = Vec::new();
    for a in list("actors") {
        if let Some(a) = b.actor(&a, "actor")
            && !actors.contains(&a)
        {
            actors.push(a);
        }
    }
    let mut places = Vec::new();
    for p in list("places") {
        if let Some(p) = b.place(&[(&p, "place")], None)
            && !places.contains(&p)
        {
            places.push(p);
        }
    }
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
