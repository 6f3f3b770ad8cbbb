//! The [`Builder`] every importer fills: one id per actor name, one per
//! place `within` chain, one per source; skipped rows and the summary.

use std::sync::Arc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet};

use super::{
    FieldUse, ImportFormat, LISTED_SKIPS, MAX_FIELDS, OTHER_FIELDS, RowError, Summary, name_key,
    slug,
};
use crate::store::shared::{SharedStr, Text};
use crate::store::{ActorRec, ClaimRec, EventRec, PlaceRec, QuoteRec, SourceRec, StoreFile};

/// A source whose text grows as rows quote it (one per input file).
struct Growing {
    rec: SourceRec,
    text: String,
}

/// An event's quote to point into its growing source's text once that
/// text is whole (`Builder::finish`): a range, not a copy.
struct Quoted {
    event: usize,
    evidence: usize,
    source: usize,
    start: usize,
    len: usize,
}

/// What [`Builder::place_keyed`] did with a row's place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyedPlace {
    /// `false` when the place already had other coordinates.
    pub coordinates_kept: bool,
    /// A link was named another way than when first met.
    pub renamed: bool,
}

/// Collects the records of an import.
pub struct Builder {
    pub(super) store: StoreFile,
    ids: FxHashSet<SharedStr>,
    actors: HashMap<String, usize>,
    /// Names exactly as met, to skip folding a name met before.
    actor_names: HashMap<String, usize>,
    place_names: HashMap<(Option<SharedStr>, String), usize>,
    places: HashMap<(Option<SharedStr>, String), usize>,
    /// Places by the input's own key for them (GDELT's codes).
    keyed: HashMap<String, usize>,
    sources: HashMap<SharedStr, ()>,
    growing: Vec<Growing>,
    quoted: Vec<Quoted>,
    /// What a quote made by `event_quoting` is until `finish`.
    no_quote: SharedStr,
    strings: HashMap<String, SharedStr>,
    suffixes: HashMap<String, usize>,
    summary: Summary,
}

impl Builder {
    pub fn new(format: ImportFormat, unit: &'static str) -> Builder {
        Builder {
            store: StoreFile::default(),
            ids: Default::default(),
            actors: HashMap::default(),
            actor_names: HashMap::default(),
            place_names: HashMap::default(),
            places: HashMap::default(),
            keyed: HashMap::default(),
            sources: HashMap::default(),
            growing: Vec::new(),
            quoted: Vec::new(),
            no_quote: SharedStr::default(),
            strings: HashMap::default(),
            suffixes: HashMap::default(),
            summary: Summary {
                format: format.name(),
                unit,
                ..Summary::default()
            },
        }
    }

    /// One string shared by every record that repeats it (tags, kinds).
    pub fn shared(&mut self, s: &str) -> SharedStr {
        if let Some(v) = self.strings.get(s) {
            return v.clone();
        }
        let v = SharedStr::from(s);
        self.strings.insert(s.to_string(), v.clone());
        v
    }

    /// An id not yet used: `base`, else `base-2`, `base-3`, …
    pub fn fresh_id(&mut self, base: &str) -> SharedStr {
        let base = if base.trim().is_empty() {
            "x"
        } else {
            base.trim()
        };
        let mut id = SharedStr::from(base);
        if !self.ids.contains(&id) {
            self.ids.insert(id.clone());
            return id;
        }
        // Each base remembers its next number, so many places of one name
        // do not probe every number taken before.
        let n = self.suffixes.entry(base.to_string()).or_insert(2);
        loop {
            id = format!("{base}-{n}").into();
            *n += 1;
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    /// Takes `id` exactly, if no record has it yet.
    pub fn take_id(&mut self, id: &str) -> Option<SharedStr> {
        let id = SharedStr::from(id.trim());
        (!id.is_empty() && self.ids.insert(id.clone())).then_some(id)
    }

    pub fn has_id(&self, id: &str) -> bool {
        self.ids.contains(&SharedStr::from(id))
    }

    /// The actor of this name (compared ignoring case, accents and extra
    /// spaces), created on first use. A kind other than "actor" replaces
    /// the generic "actor" given before. `None` for an empty name.
    pub fn actor(&mut self, name: &str, kind: &str) -> Option<SharedStr> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let i = match self.actor_names.get(name) {
            Some(&i) => Some(i),
            None => {
                let i = self.actors.get(&name_key(name)).copied();
                if let Some(i) = i {
                    self.actor_names.insert(name.to_string(), i);
                }
                i
            }
        };
        if let Some(i) = i {
            if self.store.actors[i].kind.as_str() == "actor" && kind != "actor" {
                self.store.actors[i].kind = self.shared(kind);
            }
            return Some(self.store.actors[i].id.clone());
        }
        let id = self.fresh_id(&slug(name));
        let kind = self.shared(kind);
        self.actors.insert(name_key(name), self.store.actors.len());
        self.actor_names
            .insert(name.to_string(), self.store.actors.len());
        self.store.actors.push(ActorRec {
            id: id.clone(),
            name: name.into(),
            aliases: vec![],
            kind,
            description: None,
        });
        Some(id)
    }

    /// The last place of a chain, outermost first (`[(Niger, country),
    /// (Tillaberi, region)]`), each created on first use within the one
    /// before it; empty names are left out. `coordinates` go to the last
    /// place when it has none yet. `None` when every name is empty.
    pub fn place(
        &mut self,
        chain: &[(&str, &str)],
        coordinates: Option<(f64, f64)>,
    ) -> Option<SharedStr> {
        self.place_at(chain, coordinates).0
    }

    /// As [`Builder::place`], and whether `coordinates` (when given) are
    /// the place's: `false` when it already had others from an earlier row.
    pub fn place_at(
        &mut self,
        chain: &[(&str, &str)],
        coordinates: Option<(f64, f64)>,
    ) -> (Option<SharedStr>, bool) {
        let mut coordinates_kept = true;
        let chain: Vec<(&str, &str)> = chain
            .iter()
            .map(|&(n, k)| (n.trim(), k))
            .filter(|(n, _)| !n.is_empty())
            .collect();
        let mut within: Option<SharedStr> = None;
        for (i, &(name, kind)) in chain.iter().enumerate() {
            let last = i + 1 == chain.len();
            let raw = (within.clone(), name.to_string());
            let found = match self.place_names.get(&raw) {
                Some(&at) => Some(at),
                None => {
                    let at = self.places.get(&(within.clone(), name_key(name))).copied();
                    if let Some(at) = at {
                        self.place_names.insert(raw.clone(), at);
                    }
                    at
                }
            };
            let id = match found {
                Some(at) => {
                    // A place first met without coordinates takes the first given.
                    let p = &mut self.store.places[at];
                    if last && p.coordinates.is_none() {
                        p.coordinates = coordinates;
                    } else if last && coordinates.is_some() && p.coordinates != coordinates {
                        coordinates_kept = false;
                    }
                    p.id.clone()
                }
                None => {
                    let id = self.fresh_id(&slug(name));
                    let kind = self.shared(kind);
                    self.places
                        .insert((within.clone(), name_key(name)), self.store.places.len());
                    self.place_names.insert(raw, self.store.places.len());
                    self.store.places.push(PlaceRec {
                        id: id.clone(),
                        name: name.into(),
                        aliases: vec![],
                        kind,
                        within: within.clone(),
                        coordinates: if last { coordinates } else { None },
                    });
                    id
                }
            };
            within = Some(id);
        }
        (within, coordinates_kept)
    }

    /// The last place of a chain whose links carry the input's own key
    /// (`(key, name, kind)`, outermost first; a gazetteer's code): a link
    /// is found by its key, never by its name, so a place keeps one id
    /// whatever a row calls it, and two places of one name stay two. A
    /// place is made on first use within the link before it, with its
    /// first name; `coordinates` go to the last link, as in
    /// [`Builder::place_at`]. Links with an empty name are left out.
    pub fn place_keyed(
        &mut self,
        chain: &[(&str, &str, &str)],
        coordinates: Option<(f64, f64)>,
    ) -> (Option<SharedStr>, KeyedPlace) {
        let mut got = KeyedPlace {
            coordinates_kept: true,
            renamed: false,
        };
        let chain: Vec<&(&str, &str, &str)> = chain
            .iter()
            .filter(|(_, n, _)| !n.trim().is_empty())
            .collect();
        let mut within: Option<SharedStr> = None;
        for (i, &&(key, name, kind)) in chain.iter().enumerate() {
            let last = i + 1 == chain.len();
            let name = name.trim();
            let at = match self.keyed.get(key) {
                Some(&at) => {
                    let p = &mut self.store.places[at];
                    got.renamed |= p.name.as_str() != name;
                    if last && p.coordinates.is_none() {
                        p.coordinates = coordinates;
                    } else if last && coordinates.is_some() && p.coordinates != coordinates {
                        got.coordinates_kept = false;
                    }
                    at
                }
                None => {
                    let id = self.fresh_id(&slug(name));
                    // Id and name in one buffer: hundreds of thousands of places.
                    let [id, name] = SharedStr::joined([&id, name]);
                    self.share_id(&id);
                    let kind = self.shared(kind);
                    let at = self.store.places.len();
                    self.keyed.insert(key.to_string(), at);
                    self.store.places.push(PlaceRec {
                        id,
                        name,
                        aliases: vec![],
                        kind,
                        within: within.clone(),
                        coordinates: if last { coordinates } else { None },
                    });
                    at
                }
            };
            within = Some(self.store.places[at].id.clone());
        }
        (within, got)
    }

    /// Adds a source whose id is unused; an id already taken by a source
    /// keeps the first (sources are one per id). Returns its id.
    pub fn source(&mut self, rec: SourceRec) -> SharedStr {
        if self.sources.contains_key(&rec.id) {
            return rec.id;
        }
        self.ids.insert(rec.id.clone());
        self.sources.insert(rec.id.clone(), ());
        let id = rec.id.clone();
        self.store.sources.push(rec);
        id
    }

    /// A source whose text is made of the quotes appended to it; written
    /// at the end. Returns its index for `append`.
    pub fn growing_source(&mut self, mut rec: SourceRec) -> usize {
        rec.id = self.fresh_id(&rec.id);
        self.sources.insert(rec.id.clone(), ());
        self.growing.push(Growing {
            rec,
            text: String::new(),
        });
        self.growing.len() - 1
    }

    /// Appends `quote` to a growing source as a paragraph of its own;
    /// returns the source's id and the quote as it is now in its text.
    pub fn append(&mut self, source: usize, quote: &str) -> (SharedStr, SharedStr) {
        let g = &mut self.growing[source];
        if !g.text.is_empty() {
            g.text.push_str("\n\n");
        }
        g.text.push_str(quote.trim());
        (g.rec.id.clone(), quote.trim().into())
    }

    /// Adds `e` with one more quote: `quote`, appended to the growing
    /// source `source` as a paragraph of its own (as `append` does). The
    /// quote is kept as a range of the source's text, not a copy of it.
    pub fn event_quoting(&mut self, mut e: EventRec, source: usize, quote: &str) {
        let g = &mut self.growing[source];
        if !g.text.is_empty() {
            g.text.push_str("\n\n");
        }
        let quote = quote.trim();
        self.quoted.push(Quoted {
            event: self.store.events.len(),
            evidence: e.evidence.len(),
            source,
            start: g.text.len(),
            len: quote.len(),
        });
        g.text.push_str(quote);
        e.evidence.push(QuoteRec {
            source: g.rec.id.clone(),
            quote: self.no_quote.clone(),
        });
        self.store.events.push(e);
    }

    /// The id `take_id` took, now kept as `id` (the same text): the record
    /// and the set of ids share one string.
    pub fn share_id(&mut self, id: &SharedStr) {
        self.ids.replace(id.clone());
    }

    pub fn event(&mut self, e: EventRec) {
        self.store.events.push(e);
    }

    pub fn claim(&mut self, c: ClaimRec) {
        self.store.claims.push(c);
    }

    /// Counts a row read.
    pub fn row(&mut self) {
        self.summary.rows += 1;
    }

    /// Records a skipped row.
    pub fn skip(&mut self, row: usize, reason: impl Into<String>) {
        if self.summary.skipped.len() < LISTED_SKIPS {
            self.summary.skipped.push(RowError {
                row,
                reason: reason.into(),
            });
        } else {
            self.summary.unlisted += 1;
        }
    }

    /// What rows are called in the summary: "row", "line", "slide".
    pub fn set_unit(&mut self, unit: &'static str) {
        self.summary.unit = unit;
    }

    pub fn unit(&self) -> &'static str {
        self.summary.unit
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.summary.notes.push(note.into());
    }

    /// Counts a value of the input field `field` kept, `how` ("as the
    /// sources' URLs"). The first `how` given for a field is the one shown.
    pub fn kept(&mut self, field: &str, how: &str) {
        let u = self.field_use(field);
        u.kept += 1;
        if u.kept_as.is_empty() {
            u.kept_as = how.to_string();
        }
    }

    /// Counts a value of the input field `field` not kept, and `why`.
    pub fn lost(&mut self, field: &str, why: &str) {
        let u = self.field_use(field);
        u.lost += 1;
        if u.lost_why.is_empty() {
            u.lost_why = why.to_string();
        }
    }

    /// Counts `n` values of `field` kept, `how` (for an importer that
    /// counts per column itself).
    pub fn kept_many(&mut self, field: &str, n: usize, how: &str) {
        if n > 0 {
            let u = self.field_use(field);
            u.kept += n;
            if u.kept_as.is_empty() {
                u.kept_as = how.to_string();
            }
        }
    }

    /// Counts `n` values of `field` not kept, and `why`.
    pub fn lost_many(&mut self, field: &str, n: usize, why: &str) {
        if n > 0 {
            let u = self.field_use(field);
            u.lost += n;
            if u.lost_why.is_empty() {
                u.lost_why = why.to_string();
            }
        }
    }

    /// The count of `field`, made on first use; fields stay in the order
    /// first met. Inputs have few fields, so a linear look-up is enough;
    /// past `MAX_FIELDS` (JSONL records may each have keys of their own)
    /// the rest are counted together.
    fn field_use(&mut self, field: &str) -> &mut FieldUse {
        let fields = &mut self.summary.fields;
        let field = if fields.len() >= MAX_FIELDS && !fields.iter().any(|u| u.field == field) {
            OTHER_FIELDS
        } else {
            field
        };
        let i = match fields.iter().position(|u| u.field == field) {
            Some(i) => i,
            None => {
                fields.push(FieldUse {
                    field: field.to_string(),
                    ..FieldUse::default()
                });
                fields.len() - 1
            }
        };
        &mut fields[i]
    }

    pub fn events_so_far(&self) -> usize {
        self.store.events.len()
    }

    /// The store and the summary. `title` is used when the options give none.
    pub fn finish(mut self, title: String) -> (StoreFile, Summary) {
        let mut texts = Vec::with_capacity(self.growing.len());
        for g in std::mem::take(&mut self.growing) {
            if g.text.is_empty() {
                texts.push(None);
                continue;
            }
            let mut rec = g.rec;
            let mut text = g.text;
            text.shrink_to_fit();
            let text = Arc::new(Text::from(text));
            rec.text = SharedStr::in_text(&text, 0, text.len());
            self.store.sources.push(rec);
            texts.push(Some(text));
        }
        for q in std::mem::take(&mut self.quoted) {
            if let Some(text) = &texts[q.source] {
                self.store.events[q.event].evidence[q.evidence].quote =
                    SharedStr::in_text(text, q.start, q.len);
            }
        }
        // The description is the input's own, when it has one (TimelineJS).
        self.store.meta.title = title.into();
        let s = &mut self.summary;
        s.events = self.store.events.len();
        s.actors = self.store.actors.len();
        s.places = self.store.places.len();
        s.sources = self.store.sources.len();
        s.claims = self.store.claims.len();
        (self.store, self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SourceKind;

    fn event(id: &str) -> EventRec {
        EventRec {
            id: id.into(),
            date: "2024-01-02".into(),
            end: None,
            title: "t".into(),
            summary: None,
            tags: vec![],
            actors: vec![],
            places: vec![],
            evidence: vec![],
        }
    }

    #[test]
    fn a_quote_made_with_its_event_is_a_range_of_its_sources_text() {
        let mut b = Builder::new(ImportFormat::Gdelt, "row");
        let s = b.growing_source(SourceRec {
            id: "src".into(),
            outlet: "o".into(),
            title: "t".into(),
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
        b.append(s, "Header.");
        b.event_quoting(event("e1"), s, "  First record.  ");
        b.event_quoting(event("e2"), s, "Second record.");
        let (store, _) = b.finish("t".into());
        let text = store.sources[0].text.as_str();
        assert_eq!(text, "Header.\n\nFirst record.\n\nSecond record.");
        let range = text.as_ptr() as usize..text.as_ptr() as usize + text.len();
        for (e, want) in store.events.iter().zip(["First record.", "Second record."]) {
            let q = &e.evidence[0];
            assert_eq!((q.source.as_str(), q.quote.as_str()), ("src", want));
            assert!(range.contains(&(q.quote.as_ptr() as usize)), "a copy");
        }
    }
}
