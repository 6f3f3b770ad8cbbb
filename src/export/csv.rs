//! CSV: one row per event, for spreadsheets and scripts.

use super::*;

pub const CSV_HEADER: [&str; 16] = [
    "id",
    "start",
    "end",
    "date_as_written",
    "end_as_written",
    "precision",
    "title",
    "summary",
    "actors",
    "places",
    "tags",
    "sources",
    "origins",
    "first_quote",
    "fatalities",
    "claims",
];

/// The claims about an event: the values of those with attribute
/// `fatalities` (ACLED's, each value once, every one kept where sources
/// differ), and the others as `attribute: value`.
fn claim_cells(m: &Model, e: Ix) -> (String, String) {
    let mut fatalities = Vec::new();
    let mut others = Vec::new();
    for &ci in m.claims_about(crate::model::Subject::Event(e)) {
        let cl = &m.claims[ci as usize];
        if cl.attribute.eq_ignore_ascii_case("fatalities") {
            fatalities.push(cl.value.to_string());
        } else {
            let as_of = cl
                .as_of
                .map(|d| format!(" (as of {d})"))
                .unwrap_or_default();
            others.push(format!("{}{as_of}: {}", cl.attribute, cl.value));
        }
    }
    (
        join_unique(fatalities.iter().map(String::as_str)),
        join_unique(others.iter().map(String::as_str)),
    )
}

/// The characters that make a spreadsheet read a cell as a formula when
/// they come first (OWASP, "CSV Injection"): `=`, `+`, `-`, `@`, tab and
/// carriage return.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell made inert for spreadsheets: prefixed with `'` when it starts
/// like a formula. For text from the store, and for dates, which start
/// so only before year 0000 (`-0044-03-15`, which a spreadsheet would
/// compute as -62) or beyond 9999 (`+12000-01-01`); counts never do.
pub(super) fn text_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(FORMULA_STARTS) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// Each value once, in the order they first come.
pub(super) fn unique<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen
}

/// Values joined with "; ", each once, in the order they first come.
pub(super) fn join_unique<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    unique(values).join("; ")
}

/// A source as a reader names it: `Outlet, “Title”`, or the outlet alone
/// when it has no title. Never its id, which means nothing outside the store.
pub(super) fn source_name(s: &crate::model::Source) -> String {
    if s.title.trim().is_empty() {
        s.outlet.to_string()
    } else {
        format!("{}, “{}”", s.outlet, s.title)
    }
}

/// The names of the sources an event quotes, in quote order (repeats kept).
pub(super) fn source_names(m: &Model, e: Ix) -> Vec<String> {
    m.event(e)
        .evidence
        .iter()
        .map(|q| source_name(m.source(q.source)))
        .collect()
}

/// A day as `YYYY-MM-DD`, empty when open (`i64::MIN` or `i64::MAX`).
pub(super) fn day_cell(day: i64) -> String {
    if day == i64::MIN || day == i64::MAX {
        String::new()
    } else {
        crate::evidence::date::iso_day(day)
    }
}

pub(super) fn csv_bytes(m: &Model, events: &[Ix]) -> Result<Vec<u8>, ::csv::Error> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for &e in events {
        let ev = m.event(e);
        // The earliest possible start and the latest possible end.
        let days = ev.days();
        let text = |s: &str| text_cell(s).into_owned();
        let (fatalities, claims) = claim_cells(m, e);
        w.write_record([
            text(&ev.id),
            text(&day_cell(days.first)),
            text(&day_cell(days.last)),
            text(&ev.date.to_string()),
            text(&ev.end.map(|d| d.to_string()).unwrap_or_default()),
            ev.date.precision_label().to_string(),
            text(&ev.title),
            text(ev.summary.as_deref().unwrap_or("")),
            text(&join_unique(
                ev.actors.iter().map(|&a| m.actor(a).name.as_str()),
            )),
            text(&join_unique(
                ev.places.iter().map(|&p| m.place(p).name.as_str()),
            )),
            text(&join_unique(
                ev.tags.iter().map(|&t| m.tags[t as usize].as_str()),
            )),
            text(&join_unique(source_names(m, e).iter().map(String::as_str))),
            m.event_origins(e).to_string(),
            text(ev.evidence.first().map_or("", |q| q.text.as_str())),
            text(&fatalities),
            text(&claims),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
