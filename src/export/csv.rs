//! CSV: one row per event, for spreadsheets and scripts.

use super::*;

pub const CSV_HEADER: [&str; 9] = [
    "id",
    "date",
    "precision",
    "title",
    "actors",
    "places",
    "tags",
    "sources",
    "first_quote",
];

pub(super) fn csv_bytes(m: &Model, events: &[Ix]) -> Result<Vec<u8>, ::csv::Error> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for &e in events {
        let ev = m.event(e);
        let mut srcs: Vec<&str> = ev
            .evidence
            .iter()
            .map(|q| m.source(q.source).id.as_str())
            .collect();
        srcs.dedup();
        let join = |v: Vec<&str>| v.join("; ");
        w.write_record([
            ev.id.as_str(),
            &ev.date.to_string(),
            ev.date.precision_label(),
            &ev.title,
            &join(
                ev.actors
                    .iter()
                    .map(|&a| m.actor(a).name.as_str())
                    .collect(),
            ),
            &join(
                ev.places
                    .iter()
                    .map(|&p| m.place(p).name.as_str())
                    .collect(),
            ),
            &join(
                ev.tags
                    .iter()
                    .map(|&t| m.tags[t as usize].as_str())
                    .collect(),
            ),
            &join(srcs),
            ev.evidence.first().map_or("", |q| q.text.as_str()),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
