//! An event added to a store as an edit of its text: its quotes checked
//! verbatim in their sources, its actors and places resolved (or created
//! with a kind), the record written in the store's own layout, the rest
//! of the file byte for byte, and the result loaded before it is returned.

use super::insert::{append, new_lists, newline, place_in_list, splice};
use super::outline::outline;
use super::ron_string;
use crate::Model;
use crate::evidence::closest::{ArticleIndex, explain};
use crate::evidence::quote::find_quote;
use crate::search::fold::fold_str;

/// A quote to add: `source` is a source's id, `text` its words verbatim.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewQuote {
    pub source: String,
    pub text: String,
}

/// An actor or place to create. `id` defaults to one made from the name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewEntity {
    pub id: Option<String>,
    pub name: String,
    pub kind: String,
    /// For a place: the place it lies within (stored, or a new one).
    pub within: Option<String>,
}

/// An event to add to a store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewEvent {
    /// None: made from the date and the title's whole words, distinct.
    pub id: Option<String>,
    /// The store's date syntax, checked.
    pub date: String,
    pub title: String,
    pub summary: Option<String>,
    /// Each an id, name or alias of a stored actor, or a new actor's name.
    pub actors: Vec<String>,
    /// Likewise for places.
    pub places: Vec<String>,
    pub tags: Vec<String>,
    /// At least one; each checked verbatim in its source.
    pub quotes: Vec<NewQuote>,
    /// Created in the store with their kind.
    pub new_actors: Vec<NewEntity>,
    pub new_places: Vec<NewEntity>,
}

/// The store's text after an edit, and the id of the event it added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub text: String,
    pub event_id: String,
}

/// Ids made from words keep at most this many bytes (whole words).
const ID_BYTES: usize = 48;

/// The store text with the event (and new actors/places) added; the rest
/// byte for byte. Every problem at once.
pub fn add_event(store_text: &str, model: &Model, ev: &NewEvent) -> Result<Edit, Vec<String>> {
    let mut errs = Vec::new();
    let mut taken = Taken::of(model);
    let actors = new_entities("actor", &ev.new_actors, &mut taken, &mut errs, |n| {
        lookup(&model_actors(model), n).is_some()
    });
    let places = new_entities("place", &ev.new_places, &mut taken, &mut errs, |n| {
        lookup(&model_places(model), n).is_some()
    });
    let place_within: Vec<Option<String>> = ev
        .new_places
        .iter()
        .map(|p| {
            let w = p.within.as_deref()?.trim();
            let new: Vec<(&str, &str)> = places
                .iter()
                .map(|(id, e)| (id.as_str(), e.name.as_str()))
                .collect();
            resolve("place", w, &model_places(model), &new)
                .map_err(|e| errs.push(format!("new place {:?}: within: {e}", e_name(&p.name))))
                .ok()
        })
        .collect();
    let event = checked_event(model, ev, &actors, &places, &mut taken, &mut errs);
    if !errs.is_empty() {
        return Err(errs);
    }
    let o = outline(store_text);
    let nl = newline(store_text);
    let mut edits = Vec::new();
    let mut absent = Vec::new();
    let actor_recs: Vec<String> = actors
        .iter()
        .map(|(id, e)| entity_record(id, e, None))
        .collect();
    let place_recs: Vec<String> = places
        .iter()
        .zip(&place_within)
        .map(|((id, e), w)| entity_record(id, e, w.as_deref()))
        .collect();
    for (name, recs) in [("actors", actor_recs), ("places", place_recs)] {
        if recs.is_empty() {
            continue;
        }
        let lines = move |indent: &str, _: &str| recs.join(&format!(",{nl}{indent}"));
        place_in_list(store_text, &o, name, nl, lines, &mut edits, &mut absent);
    }
    let event_id = event.id.clone();
    let record = |indent: &str, unit: &str| event.record(indent, unit, nl);
    place_in_list(
        store_text,
        &o,
        "events",
        nl,
        record,
        &mut edits,
        &mut absent,
    );
    if !absent.is_empty() {
        edits.push(new_lists(store_text, &o, nl, &absent).map_err(|e| vec![e])?);
    }
    let text = splice(store_text, edits);
    loads(&text)?;
    Ok(Edit { text, event_id })
}

/// The store text with one more quote in an existing event's evidence list.
pub fn add_quote(
    store_text: &str,
    model: &Model,
    event_id: &str,
    q: &NewQuote,
) -> Result<String, Vec<String>> {
    let mut errs = Vec::new();
    if !model.events.iter().any(|e| e.id.as_str() == event_id) {
        errs.push(format!("no event has the id {:?}", e_name(event_id)));
    }
    let quote = checked_quote(model, 1, q, &mut errs);
    if !errs.is_empty() {
        return Err(errs);
    }
    let Some(quote) = quote else {
        return Err(vec!["the quote could not be checked".into()]);
    };
    let o = outline(store_text);
    let item = o.events.iter().find(|e| {
        e.id.as_ref()
            .and_then(|r| ron::from_str::<String>(&store_text[r.clone()]).ok())
            .is_some_and(|id| id == event_id)
    });
    let Some(list) = item.and_then(|e| e.evidence.as_ref()) else {
        return Err(vec![format!(
            "the evidence list of event {:?} was not found in the store's text",
            e_name(event_id)
        )]);
    };
    let nl = newline(store_text);
    let record = quote_record(&quote);
    let edit = append(store_text, list, nl, &|_: &str, _: &str| record.clone());
    let text = splice(store_text, vec![edit]);
    loads(&text)?;
    Ok(text)
}

/// The store's line ending: a store written with CRLF keeps it.
/// Refuses a text that would not load, with its diagnostics.
fn loads(text: &str) -> Result<(), Vec<String>> {
    crate::load_str(text, "the edited store")
        .map(|_| ())
        .map_err(|e| {
            let mut out = vec!["the store would not load with this edit:".to_string()];
            out.extend(
                e.diagnostics
                    .iter()
                    .map(|d| format!("line {}, column {}: {}", d.line, d.column, d.message)),
            );
            out
        })
}

/// A shortened name for a message (whole, when short).
fn e_name(s: &str) -> String {
    crate::io::safe::cut(s, 80)
}

/// Every id in the store and those given out by this edit.
struct Taken(rustc_hash::FxHashSet<String>);

impl Taken {
    fn of(m: &Model) -> Self {
        let ids = (m.sources.iter().map(|s| &s.id))
            .chain(m.actors.iter().map(|a| &a.id))
            .chain(m.places.iter().map(|p| &p.id))
            .chain(m.events.iter().map(|e| &e.id));
        Taken(ids.map(|s| s.to_string()).collect())
    }

    fn has(&self, id: &str) -> bool {
        self.0.contains(id)
    }

    /// `base`, or `base-2`, `base-3`… whichever is free; then taken.
    fn distinct(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 2;
        while self.has(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.0.insert(id.clone());
        id
    }
}

/// Lowercase whole words of `text` joined by `-`, at most `ID_BYTES`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = w.to_lowercase();
        if !out.is_empty() && out.len() + 1 + w.len() > ID_BYTES {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w);
    }
    out
}

/// The id part of a date: its first bound without `~` or brackets
/// (`[2024-03..2024-05]` gives `2024-03`).
fn date_slug(date: &str) -> String {
    let d = date.trim().trim_start_matches('[').trim_end_matches(']');
    let first = d.split("..").find(|p| !p.trim().is_empty()).unwrap_or("");
    first
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .trim_matches('-')
        .to_string()
}

/// An id for an event: its date and the title's whole words, distinct.
pub fn event_id(date: &str, title: &str, taken: &mut impl FnMut(&str) -> bool) -> String {
    let base = [date_slug(date), slug(title)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let base = if base.is_empty() {
        "event".into()
    } else {
        base
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Reports a field holding a control character (a line break, an escape).
fn no_control(field: &str, value: &str, errs: &mut Vec<String>) {
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        errs.push(format!(
            "{field} holds a control character ({:?}): {:?}",
            c,
            e_name(value)
        ));
    }
}

/// Reports an empty field; checks the others for control characters.
fn required(field: &str, value: &str, errs: &mut Vec<String>) {
    if value.trim().is_empty() {
        errs.push(format!("{field} is empty"));
    } else {
        no_control(field, value, errs);
    }
}

/// The stored actors or places as (id, name, aliases).
type Named<'a> = Vec<(&'a str, &'a str, Vec<&'a str>)>;

fn model_actors(m: &Model) -> Named<'_> {
    m.actors
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str(), aliases(&a.aliases)))
        .collect()
}

fn model_places(m: &Model) -> Named<'_> {
    m.places
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str(), aliases(&p.aliases)))
        .collect()
}

fn aliases(a: &[crate::SharedStr]) -> Vec<&str> {
    a.iter().map(|s| s.as_str()).collect()
}

/// The stored item `query` names: by id, else by name or alias, ignoring
/// case and accents. `Err` lists the several it could be.
fn lookup<'a>(items: &Named<'a>, query: &str) -> Option<Result<&'a str, Vec<String>>> {
    let q = fold_str(query.trim());
    if let Some((id, _, _)) = items.iter().find(|(id, _, _)| fold_str(id) == q) {
        return Some(Ok(id));
    }
    let hits: Vec<&(&str, &str, Vec<&str>)> = items
        .iter()
        .filter(|(_, name, aliases)| {
            fold_str(name) == q || aliases.iter().any(|a| fold_str(a) == q)
        })
        .collect();
    match hits[..] {
        [] => None,
        [(id, _, _)] => Some(Ok(id)),
        _ => Some(Err(hits
            .iter()
            .map(|(id, n, _)| format!("{n} ({id})"))
            .collect())),
    }
}

/// Up to three stored items whose id, name or alias is close to `query`.
fn did_you_mean(items: &Named<'_>, query: &str) -> String {
    let q = fold_str(query.trim());
    let mut scored: Vec<(f64, String)> = items
        .iter()
        .map(|(id, name, aliases)| {
            let best = [*id, *name]
                .into_iter()
                .chain(aliases.iter().copied())
                .map(|s| {
                    let f = fold_str(s);
                    let part = if !q.is_empty() && f.contains(&q) {
                        0.5
                    } else {
                        0.0
                    };
                    strsim::normalized_levenshtein(&q, &f) + part
                })
                .fold(0.0, f64::max);
            (best, format!("{name} ({id})"))
        })
        .filter(|(s, _)| *s >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let names: Vec<String> = scored.into_iter().take(3).map(|(_, s)| s).collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", names.join(", "))
    }
}

/// The id `query` names among the stored items and the new ones
/// (given as (id, name)).
fn resolve(
    kind: &str,
    query: &str,
    items: &Named<'_>,
    new: &[(&str, &str)],
) -> Result<String, String> {
    let q = fold_str(query.trim());
    if let Some((id, _)) = new
        .iter()
        .find(|(id, n)| fold_str(n) == q || fold_str(id) == q)
    {
        return Ok(id.to_string());
    }
    match lookup(items, query) {
        Some(Ok(id)) => Ok(id.to_string()),
        Some(Err(several)) => Err(format!(
            "{kind} {:?} is ambiguous: it could be {}; give its id",
            e_name(query),
            several.join(", ")
        )),
        None => Err(format!(
            "no {kind} is called {:?}{} (a new {kind} needs a kind to be created)",
            e_name(query),
            did_you_mean(items, query)
        )),
    }
}

/// The new actors or places, checked, with their ids.
fn new_entities(
    kind: &str,
    list: &[NewEntity],
    taken: &mut Taken,
    errs: &mut Vec<String>,
    stored: impl Fn(&str) -> bool,
) -> Vec<(String, NewEntity)> {
    let mut out: Vec<(String, NewEntity)> = Vec::new();
    for e in list {
        let label = format!("new {kind} {:?}", e_name(&e.name));
        required(&format!("new {kind}'s name"), &e.name, errs);
        if e.kind.trim().is_empty() {
            errs.push(format!(
                "{label} has no kind (a person, an organisation, a city…)"
            ));
        } else {
            no_control(&format!("{label}: kind"), &e.kind, errs);
        }
        if let Some(w) = &e.within {
            no_control(&format!("{label}: within"), w, errs);
        }
        if stored(&e.name) {
            errs.push(format!(
                "{label} is already in the store: name it, do not create it"
            ));
        }
        if out
            .iter()
            .any(|(_, o)| fold_str(o.name.trim()) == fold_str(e.name.trim()))
        {
            errs.push(format!("{label} is given twice"));
        }
        let id = match &e.id {
            Some(id) => {
                required(&format!("{label}: id"), id, errs);
                if taken.has(id.trim()) {
                    errs.push(format!("{label}: the id {:?} is already used", e_name(id)));
                }
                taken.distinct(id.trim())
            }
            None => taken.distinct(
                &Some(slug(&e.name))
                    .filter(|s| !s.is_empty())
                    .unwrap_or(kind.into()),
            ),
        };
        // Kept even when wrong, so the event naming it is not also told
        // that no such actor exists; any error stops the edit anyway.
        let clean = NewEntity {
            id: Some(id.clone()),
            name: e.name.trim().into(),
            kind: e.kind.trim().into(),
            within: e.within.clone(),
        };
        out.push((id, clean));
    }
    out
}

/// `(id: "…", name: "…", kind: "…", within: "…")`, on one line.
fn entity_record(id: &str, e: &NewEntity, within: Option<&str>) -> String {
    let mut s = format!(
        "(id: {}, name: {}, kind: {}",
        ron_string(id),
        ron_string(&e.name),
        ron_string(&e.kind)
    );
    if let Some(w) = within {
        s.push_str(&format!(", within: {}", ron_string(w)));
    }
    s.push(')');
    s
}

/// A quote checked: its source's id and its words.
struct Checked {
    source: String,
    text: String,
}

/// `(source: "…", quote: "…")`, on one line.
fn quote_record(q: &Checked) -> String {
    format!(
        "(source: {}, quote: {})",
        ron_string(&q.source),
        ron_string(&q.text)
    )
}

/// A quote's words with each run of whitespace that holds a line break
/// or a tab made one space (a quote copied across lines is still found,
/// and a RON string holds no raw line break).
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.trim().chars() {
        if c.is_whitespace() {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            out.push_str(if run.chars().any(char::is_control) {
                " "
            } else {
                &run
            });
            run.clear();
        }
        out.push(c);
    }
    out
}

/// The quote checked verbatim in its source; problems go to `errs`.
fn checked_quote(model: &Model, n: usize, q: &NewQuote, errs: &mut Vec<String>) -> Option<Checked> {
    let text = one_line(&q.text);
    let label = format!("quote {n}");
    let source = model
        .sources
        .iter()
        .find(|s| s.id.as_str() == q.source.trim());
    let Some(source) = source else {
        let ids: Named<'_> = model
            .sources
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str(), vec![]))
            .collect();
        errs.push(format!(
            "{label}: no source has the id {:?}{}",
            e_name(&q.source),
            did_you_mean(&ids, &q.source)
        ));
        return None;
    };
    if text.is_empty() {
        errs.push(format!("{label}: the quote is empty"));
        return None;
    }
    let before = errs.len();
    no_control(&label, &text, errs);
    if errs.len() > before {
        return None;
    }
    if find_quote(&source.text, &text).is_none() {
        let article = source.text.as_str();
        let index = ArticleIndex::new(article);
        errs.push(format!(
            "{label}: not found verbatim in source {:?}: {:?}; {}",
            source.id.as_str(),
            e_name(&text),
            explain(&index, article, &text)
        ));
        return None;
    }
    Some(Checked {
        source: source.id.to_string(),
        text,
    })
}

/// An event checked, ready to be written.
struct Ready {
    id: String,
    date: String,
    title: String,
    summary: Option<String>,
    tags: Vec<String>,
    actors: Vec<String>,
    places: Vec<String>,
    quotes: Vec<Checked>,
}

fn checked_event(
    model: &Model,
    ev: &NewEvent,
    actors: &[(String, NewEntity)],
    places: &[(String, NewEntity)],
    taken: &mut Taken,
    errs: &mut Vec<String>,
) -> Ready {
    required("the date", &ev.date, errs);
    if !ev.date.trim().is_empty()
        && let Err(e) = crate::Date::parse(ev.date.trim())
    {
        errs.push(format!("the date: {e}"));
    }
    required("the title", &ev.title, errs);
    let summary = ev
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(s) = summary {
        no_control("the summary", s, errs);
    }
    let mut tags: Vec<String> = Vec::new();
    for t in &ev.tags {
        required("a tag", t, errs);
        if !t.trim().is_empty() && !tags.iter().any(|k| fold_str(k) == fold_str(t.trim())) {
            tags.push(t.trim().into());
        }
    }
    let pairs = |l: &[(String, NewEntity)]| -> Vec<(String, String)> {
        l.iter()
            .map(|(id, e)| (id.clone(), e.name.clone()))
            .collect()
    };
    let actors = resolve_all(
        "actor",
        &ev.actors,
        &model_actors(model),
        &pairs(actors),
        errs,
    );
    let places = resolve_all(
        "place",
        &ev.places,
        &model_places(model),
        &pairs(places),
        errs,
    );
    if ev.quotes.is_empty() {
        errs.push("an event needs at least one quote from a source".into());
    }
    let quotes = (ev.quotes.iter().enumerate())
        .filter_map(|(i, q)| checked_quote(model, i + 1, q, errs))
        .collect();
    let id = match ev.id.as_deref().map(str::trim) {
        Some(id) => {
            required("the id", id, errs);
            if taken.has(id) {
                errs.push(format!(
                    "the id {:?} is already used in the store",
                    e_name(id)
                ));
            }
            id.to_string()
        }
        None => event_id(ev.date.trim(), ev.title.trim(), &mut |id| taken.has(id)),
    };
    Ready {
        id,
        date: ev.date.trim().into(),
        title: ev.title.trim().into(),
        summary: summary.map(Into::into),
        tags,
        actors,
        places,
        quotes,
    }
}

/// Each query resolved to an id, once each, in the order given.
fn resolve_all(
    kind: &str,
    queries: &[String],
    items: &Named<'_>,
    new: &[(String, String)],
    errs: &mut Vec<String>,
) -> Vec<String> {
    let new: Vec<(&str, &str)> = new.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let mut out: Vec<String> = Vec::new();
    for q in queries {
        let before = errs.len();
        required(&format!("an {kind}"), q, errs);
        if errs.len() > before {
            continue;
        }
        match resolve(kind, q, items, &new) {
            Ok(id) if !out.contains(&id) => out.push(id),
            Ok(_) => {}
            Err(e) => errs.push(e),
        }
    }
    out
}

impl Ready {
    /// The record, its first line unindented, the others under `indent`.
    fn record(&self, indent: &str, unit: &str, nl: &str) -> String {
        let f = format!("{indent}{unit}");
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|s| ron_string(s)).collect();
            format!("[{}]", items.join(", "))
        };
        let mut lines = vec!["(".to_string()];
        lines.push(format!("{f}id: {},", ron_string(&self.id)));
        lines.push(format!("{f}date: {},", ron_string(&self.date)));
        lines.push(format!("{f}title: {},", ron_string(&self.title)));
        if let Some(s) = &self.summary {
            lines.push(format!("{f}summary: {},", ron_string(s)));
        }
        for (name, v) in [
            ("tags", &self.tags),
            ("actors", &self.actors),
            ("places", &self.places),
        ] {
            if !v.is_empty() {
                lines.push(format!("{f}{name}: {},", list(v)));
            }
        }
        lines.push(format!("{f}evidence: ["));
        for q in &self.quotes {
            lines.push(format!("{f}{unit}{},", quote_record(q)));
        }
        lines.push(format!("{f}],"));
        lines.push(format!("{indent})"));
        lines.join(nl)
    }
}
