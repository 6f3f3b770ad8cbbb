//! One GDELT record into an event: checked whole before anything is made,
//! so a skipped row leaves no actor, place or source behind.

use std::fmt::Write as _;

use ::csv::StringRecord;

use super::{
    ACTORS, ARTICLES, BASE_CODE, DATE_ADDED, EVENT_CODE, GEOS, GOLDSTEIN, Gdelt, Geo, ID, IS_ROOT,
    MENTIONS, MONTH_YEAR, QUAD, ROOT_CODE, SOURCE_URL, SOURCES, SQLDATE, TONE, YEAR, places,
};
use crate::import::{Builder, cameo, name_key, slug};
use crate::store::shared::SharedStr;
use crate::store::{EventRec, SourceKind, SourceRec};

/// The labels of the three `*Geo_` groups, in `GEOS` order.
const GEO_LABELS: [&str; 3] = ["Actor1Geo", "Actor2Geo", "ActionGeo"];

impl Gdelt {
    /// Imports one row, or says why not.
    pub(super) fn one(&mut self, b: &mut Builder, rec: &StringRecord) -> Result<(), String> {
        let cols = self.cols;
        // Each cell trimmed once: a row's cells are read many times.
        let cells: [&str; 61] =
            std::array::from_fn(|f| cols[f].and_then(|i| rec.get(i)).unwrap_or("").trim());
        let get = |f: usize| cells[f];
        let id = get(ID);
        if id.is_empty() || !id.bytes().all(|c| c.is_ascii_digit()) {
            return Err(format!("GLOBALEVENTID {id:?} is not a number"));
        }
        let day = day_of(get(SQLDATE)).map_err(|why| format!("{id}: SQLDATE {why}"))?;
        let digits: String = day.chars().filter(char::is_ascii_digit).collect();
        for (f, name, len) in [(YEAR, "Year", 4), (MONTH_YEAR, "MonthYear", 6)] {
            let v = get(f);
            if !v.is_empty() && digits.get(..len) != Some(v) {
                return Err(format!(
                    "{id}: {name} {v} is not SQLDATE's ({})",
                    &digits[..len]
                ));
            }
        }
        let (code, restored) = settle(get(EVENT_CODE), 3);
        if code.is_empty() {
            return Err(format!("{id}: empty EventCode"));
        }
        let (base, restored_base) = settle(get(BASE_CODE), 3);
        let (root, restored_root) = settle(get(ROOT_CODE), 2);
        for (n, &at) in ACTORS.iter().enumerate() {
            if get(at + 1).is_empty() && !get(at).is_empty() {
                let n = n + 1;
                return Err(format!(
                    "{id}: Actor{n}Code {} has no Actor{n}Name",
                    get(at)
                ));
            }
        }
        let mut geos: [Option<Geo>; 3] = [None, None, None];
        for (i, &at) in GEOS.iter().enumerate() {
            geos[i] = places::geo(&get, at, GEO_LABELS[i]).map_err(|why| format!("{id}: {why}"))?;
        }
        let event_id = b
            .take_id(id)
            .ok_or_else(|| format!("{id}: GLOBALEVENTID repeats an earlier row"))?;
        self.restored +=
            usize::from(restored) + usize::from(restored_base) + usize::from(restored_root);

        let mut actors: Vec<SharedStr> = Vec::with_capacity(2);
        for at in ACTORS {
            let kind = cameo::actor_kind(get(at + 7)).unwrap_or("actor");
            if let Some(a) = b.actor(get(at + 1), kind)
                && !actors.contains(&a)
            {
                actors.push(a);
            }
        }
        let mut place_ids: Vec<SharedStr> = Vec::with_capacity(3);
        let mut summary = String::with_capacity(640);
        event_sentence(&mut summary, &code, &base, &root, get(QUAD), get(GOLDSTEIN));
        if cameo::event_name(&code).is_none() {
            self.unnamed_codes += 1;
        }
        for (n, &at) in ACTORS.iter().enumerate() {
            if !get(at + 1).is_empty() {
                actor_sentence(&mut summary, n + 1, &get, at);
            }
        }
        // The action's place first; an actor's where it differs.
        for i in [2, 0, 1] {
            let Some(g) = &geos[i] else { continue };
            if i < 2 && geos[2].as_ref().is_some_and(|a| a.same(g)) {
                continue;
            }
            let (place, kept) = self.place(b, g);
            places::sentence(&mut summary, GEO_LABELS[i], g, kept);
            if let Some(p) = place
                && !place_ids.contains(&p)
            {
                place_ids.push(p);
            }
        }
        coverage_sentence(&mut summary, &get);
        added_sentence(&mut summary, get(DATE_ADDED));

        let url = get(SOURCE_URL);
        let src = self.source(b, url, id);
        let record = record_text(id, &day, &code, &get, geos[2].as_ref());
        let mut tags: Vec<SharedStr> = Vec::with_capacity(3);
        for t in [
            cameo::event_name(&code),
            cameo::event_name(&root),
            cameo::quad_class(get(QUAD)),
        ]
        .into_iter()
        .flatten()
        {
            let t = b.shared(t);
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        // Days repeat: one string each.
        let date = b.shared(&day);
        // A record's own strings in one buffer (a million events' strings
        // each on its own were a sixth of the store's memory).
        let title = title(&code, &get, geos[2].as_ref());
        let [event_id, title, summary] = SharedStr::joined([&event_id, &title, &summary]);
        b.share_id(&event_id);
        let event = EventRec {
            id: event_id,
            date,
            end: None,
            title,
            summary: Some(summary),
            tags,
            actors,
            places: place_ids,
            evidence: Vec::with_capacity(1),
        };
        // The quote is its source's text, not a copy of it.
        b.event_quoting(event, src, &record);
        Ok(())
    }

    /// The growing source of the article at `url`: one per SOURCEURL, so
    /// events coded from one article are one witness; a row without one
    /// has a source of its own.
    fn source(&mut self, b: &mut Builder, url: &str, id: &str) -> usize {
        if let Some(&s) = self.by_url.get(url) {
            return s;
        }
        let web = url.starts_with("http://") || url.starts_with("https://");
        let base = if url.is_empty() {
            format!("gdelt-{id}-record")
        } else {
            let bare = url.split_once("://").map_or(url, |(_, rest)| rest);
            format!("gdelt-{}", slug(bare))
        };
        let (title, from) = match (url.is_empty(), web) {
            (true, _) => (
                format!("GDELT event {id}, no source URL given"),
                "an article GDELT names no URL for".to_string(),
            ),
            (false, true) => (
                format!("GDELT events coded from {url}"),
                "the article at this source's URL".to_string(),
            ),
            (false, false) => (
                format!("GDELT events coded from: {url}"),
                format!("the report GDELT cites as \u{201c}{url}\u{201d}"),
            ),
        };
        let outlet = b.shared("GDELT 2.0 event records");
        // Title and URL in one buffer: a source an article.
        let [title, url_text] = SharedStr::joined([&title, if web { url } else { "" }]);
        let s = b.growing_source(SourceRec {
            id: base.into(),
            outlet,
            title,
            published: None,
            url: web.then_some(url_text),
            kind: SourceKind::Dataset,
            author: None,
            language: None,
            based_on: None,
            original: None,
            derivation: None,
            text: Default::default(),
        });
        b.append(
            s,
            &format!(
                "Event records GDELT 2.0 coded by machine from {from}: GDELT's codes for what it reports, not its words."
            ),
        );
        if !url.is_empty() {
            self.by_url.insert(url.to_string(), s);
        }
        s
    }
}

/// SQLDATE's day: `YYYYMMDD` as GDELT writes it, or `YYYY-MM-DD` (a
/// Parquet DATE column), as annals writes a day.
fn day_of(v: &str) -> Result<String, String> {
    let iso = match v.len() {
        8 if v.bytes().all(|c| c.is_ascii_digit()) => {
            format!("{}-{}-{}", &v[..4], &v[4..6], &v[6..])
        }
        10 => v.to_string(),
        _ => return Err(format!("{v:?} is not a day (YYYYMMDD)")),
    };
    match crate::evidence::date::PartialDate::parse(&iso) {
        Ok(d) if d.day.is_some() && !d.approximate && iso.len() == 10 => Ok(iso),
        Ok(_) => Err(format!("{v:?} is not a day (YYYYMMDD)")),
        Err(e) => Err(format!("{v:?} is not a day: {e}")),
    }
}

/// A code as GDELT writes it, and whether its leading zeros were given
/// back (see `cameo::restore_zero`).
fn settle(code: &str, min: usize) -> (String, bool) {
    match cameo::restore_zero(code, min) {
        Some(c) => (c, true),
        None => (code.to_string(), false),
    }
}

/// A number as Rust writes it (`0.0` and `0` are one number, whichever
/// tool wrote it), or the text as written when it is not one.
pub(super) fn number(v: &str) -> String {
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() => n.to_string(),
        _ => v.to_string(),
    }
}

/// Starts a sentence of the summary.
fn start(out: &mut String) {
    if !out.is_empty() {
        out.push(' ');
    }
}

/// "CAMEO 043 Host a visit (root 04 Consult; Verbal cooperation,
/// QuadClass 1); Goldstein scale 2.8."
fn event_sentence(
    out: &mut String,
    code: &str,
    base: &str,
    root: &str,
    quad: &str,
    goldstein: &str,
) {
    let named = |out: &mut String, c: &str| {
        let _ = match cameo::event_name(c) {
            Some(n) => write!(out, "{c} {n}"),
            None => write!(out, "{c} (not in the CAMEO codebook)"),
        };
    };
    start(out);
    out.push_str("CAMEO ");
    named(out, code);
    let mut open = false;
    let mut part = |out: &mut String| {
        out.push_str(if open { "; " } else { " (" });
        open = true;
    };
    if !base.is_empty() && base != code {
        part(out);
        out.push_str("base ");
        named(out, base);
    }
    if !root.is_empty() && root != code {
        part(out);
        out.push_str("root ");
        named(out, root);
    }
    if !quad.is_empty() {
        part(out);
        if let Some(n) = cameo::quad_class(quad) {
            out.push_str(n);
            out.push_str(", ");
        }
        out.push_str("QuadClass ");
        out.push_str(quad);
    }
    if open {
        out.push(')');
    }
    if !goldstein.is_empty() {
        out.push_str("; Goldstein scale ");
        out.push_str(&number(goldstein));
    }
    out.push('.');
}

/// "Actor1 ARDAN: CAMEO ARDGOV; country ARD; type GOV (Government)."
fn actor_sentence<'r>(out: &mut String, n: usize, get: &impl Fn(usize) -> &'r str, at: usize) {
    start(out);
    let _ = write!(out, "Actor{n} {}", get(at + 1));
    let mut first = true;
    let mut say = |out: &mut String, label: &str| {
        out.push_str(if first { ": " } else { "; " });
        first = false;
        out.push_str(label);
    };
    for (label, k) in [
        ("CAMEO ", 0),
        ("country ", 2),
        ("known group ", 3),
        ("ethnic ", 4),
    ] {
        if !get(at + k).is_empty() {
            say(out, label);
            out.push_str(get(at + k));
        }
    }
    let religions = [get(at + 5), get(at + 6)];
    for (i, r) in religions.iter().filter(|r| !r.is_empty()).enumerate() {
        if i == 0 {
            say(out, "religion ");
        } else {
            out.push_str(", ");
        }
        out.push_str(r);
    }
    for (i, t) in (7..=9)
        .map(|k| get(at + k))
        .filter(|t| !t.is_empty())
        .enumerate()
    {
        if i == 0 {
            say(out, "type ");
        } else {
            out.push_str(", ");
        }
        out.push_str(t);
        if let Some(name) = cameo::actor_type(t) {
            let _ = write!(out, " ({name})");
        }
    }
    out.push('.');
}

/// How GDELT saw the event first: mentions, sources, articles, tone.
fn coverage_sentence<'r>(out: &mut String, get: &impl Fn(usize) -> &'r str) {
    let mut parts: Vec<String> = Vec::with_capacity(5);
    for (f, word) in [
        (MENTIONS, "mentions"),
        (SOURCES, "sources"),
        (ARTICLES, "articles"),
    ] {
        if !get(f).is_empty() {
            parts.push(format!("{} {word}", number(get(f))));
        }
    }
    if !get(TONE).is_empty() {
        parts.push(format!("average tone {}", number(get(TONE))));
    }
    match get(IS_ROOT) {
        "" => {}
        "1" | "true" => parts.push("a root event (in a lead paragraph)".into()),
        "0" | "false" => parts.push("not a root event".into()),
        v => parts.push(format!("IsRootEvent {v}")),
    }
    start(out);
    if parts.is_empty() {
        out.push_str("GDELT gives no counts.");
        return;
    }
    let _ = write!(
        out,
        "In the 15 minutes GDELT first saw it: {}.",
        parts.join(", ")
    );
}

/// "Added to GDELT 2024-01-15 23:45:00 UTC." from DATEADDED.
fn added_sentence(out: &mut String, v: &str) {
    if v.is_empty() {
        return;
    }
    start(out);
    let _ = if v.len() == 14 && v.bytes().all(|c| c.is_ascii_digit()) {
        write!(
            out,
            "Added to GDELT {}-{}-{} {}:{}:{} UTC.",
            &v[..4],
            &v[4..6],
            &v[6..8],
            &v[8..10],
            &v[10..12],
            &v[12..]
        )
    } else {
        write!(out, "Added to GDELT: DATEADDED {v}.")
    };
}

/// The record said plainly: what the evidence quotes.
fn record_text<'r>(
    id: &str,
    day: &str,
    code: &str,
    get: &impl Fn(usize) -> &'r str,
    action: Option<&Geo>,
) -> String {
    let mut parts = Vec::new();
    let actor = |n: usize| {
        let at = ACTORS[n];
        let (name, code) = (get(at + 1), get(at));
        match (name.is_empty(), code.is_empty()) {
            (true, _) => None,
            (false, true) => Some(format!("Actor{} {name}", n + 1)),
            (false, false) => Some(format!("Actor{} {name} ({code})", n + 1)),
        }
    };
    parts.extend(actor(0));
    parts.push(match cameo::event_name(code) {
        Some(name) => format!("event {code}, {name}"),
        None => format!("event {code}"),
    });
    parts.extend(actor(1));
    parts.push(format!("day {day}"));
    if let Some(g) = action {
        parts.push(format!("place {}", g.full));
    }
    format!("GDELT event {id} codes: {}.", parts.join("; "))
}

/// "Host a visit in Port Vell: ARDAN; KOVAN": an actor on both sides
/// named once.
fn title<'r>(code: &str, get: &impl Fn(usize) -> &'r str, action: Option<&Geo>) -> String {
    let mut title = match cameo::event_name(code) {
        Some(name) => name.to_string(),
        None => format!("CAMEO event {code}"),
    };
    if let Some(place) = action.and_then(|g| g.full.split(',').next()).map(str::trim)
        && !place.is_empty()
    {
        title.push_str(&format!(" in {place}"));
    }
    let mut named: Vec<&str> = Vec::new();
    for at in ACTORS {
        let a = get(at + 1);
        if !a.is_empty() && !named.iter().any(|n| name_key(n) == name_key(a)) {
            named.push(a);
        }
    }
    if !named.is_empty() {
        title.push_str(&format!(": {}", named.join("; ")));
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqldate_is_a_day_or_the_row_is_skipped() {
        assert_eq!(day_of("20240115").unwrap(), "2024-01-15");
        assert_eq!(day_of("2024-01-15").unwrap(), "2024-01-15");
        for bad in [
            "20240230",
            "2024011",
            "202401",
            "yesterday",
            "",
            "2024-1-15",
        ] {
            assert!(day_of(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_read_alike_from_every_tool() {
        assert_eq!(number("0.0"), "0");
        assert_eq!(number("0"), "0");
        assert_eq!(number("-1.5000"), "-1.5");
        assert_eq!(number("2.60770975056689"), "2.60770975056689");
        assert_eq!(number("n/a"), "n/a");
    }
}
