//! Which events a command works on: the filter options, a saved view,
//! starred or noted events.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use annals::Model;
use annals::PartialDate;
use annals::cache::IndexCache;
use annals::filter::{
    Filter, ResolveError, resolve_actor, resolve_kind, resolve_place, resolve_source, resolve_tag,
};
use annals::io::safe::safe;
use annals::search::tokens::query_terms;

use super::load_with_index;
use super::out::{fail, report, say};

/// Filters: several values of one option widen (`--actor a --actor b`:
/// either), different options narrow (`--actor a --place x`: both).
#[derive(Args, Debug, Default, Clone)]
pub struct FilterArgs {
    /// Only events with this actor (repeatable)
    ///
    /// The actor's id, name or alias, ignoring case and accents; repeat for
    /// any of several.
    #[arg(long, value_name = "ACTOR")]
    pub actor: Vec<String>,
    /// Only events at this place or within it
    ///
    /// The place's id, name or alias; a place includes the places within it
    /// (Niamey includes Air Base 101). Repeatable.
    #[arg(long, value_name = "PLACE")]
    pub place: Vec<String>,
    /// Only events on or after this date
    ///
    /// A partial date: 2024, 2024-03, 2024-03-15; before year 0000 signed:
    /// -3000. An event is kept when any day it may cover is in the range.
    #[arg(long, allow_hyphen_values = true)]
    pub from: Option<PartialDate>,
    /// Only events on or before this date
    ///
    /// A partial date: 2024, 2024-05, 2024-05-31; before year 0000 signed:
    /// -0044.
    #[arg(long, allow_hyphen_values = true)]
    pub to: Option<PartialDate>,
    /// Only events with this tag (repeatable)
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Only events quoting this source (repeatable)
    ///
    /// The source's id, title or outlet (an outlet with several sources is
    /// ambiguous).
    #[arg(long, value_name = "SOURCE")]
    pub source: Vec<String>,
    /// Only events quoting a source of this kind
    ///
    /// news, sponsored, official statement, press release, report, opinion,
    /// reference, book, archive, dataset record, other. Repeatable.
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<String>,
    /// Only events backed by this kind of source alone
    ///
    /// Only events whose every quote comes from a source of this kind
    /// (`--only sponsored`: nothing else backs them); repeat to allow
    /// several kinds.
    #[arg(long, value_name = "KIND")]
    pub only: Vec<String>,
    /// Only events holding these words
    ///
    /// Every word (or a word starting so), ignoring case and accents, in
    /// the event's title, summary, tags, actors, places or quotes; each
    /// --text must match.
    #[arg(long, value_name = "WORDS")]
    pub text: Vec<String>,
    /// Only events a disagreement is about
    ///
    /// The events marked `!` in the explorer.
    #[arg(long)]
    pub disputed: bool,
    /// The filters of a view saved in the explorer
    ///
    /// A view saved with `:save NAME` for this store, with any of the
    /// options above added.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
}

impl FilterArgs {
    /// No filter given.
    pub fn is_empty(&self) -> bool {
        let FilterArgs {
            actor,
            place,
            from,
            to,
            tag,
            source,
            kind,
            only,
            text,
            disputed,
            view,
        } = self;
        [actor, place, tag, source, kind, only, text]
            .iter()
            .all(|v| v.is_empty())
            && from.is_none()
            && to.is_none()
            && !disputed
            && view.is_none()
    }

    pub fn to_filter(&self, m: &Model) -> Result<Filter, String> {
        fn each<T>(
            values: &[String],
            resolve: impl Fn(&str) -> Result<T, ResolveError>,
        ) -> Result<Vec<T>, String> {
            values
                .iter()
                .map(|v| resolve(v).map_err(|e| e.to_string()))
                .collect()
        }
        if let Some(t) = self.text.iter().find(|t| query_terms(t).is_empty()) {
            return Err(format!("--text {t:?} has no word to look for"));
        }
        let f = Filter {
            actors: each(&self.actor, |q| resolve_actor(m, q))?,
            places: each(&self.place, |q| resolve_place(m, q))?,
            tags: each(&self.tag, |q| resolve_tag(m, q))?,
            sources: each(&self.source, |q| resolve_source(m, q))?,
            kinds: each(&self.kind, resolve_kind)?,
            only_kinds: each(&self.only, resolve_kind)?,
            texts: self.text.clone(),
            from: self.from,
            to: self.to,
            disputed: self.disputed,
        };
        f.check_range()?;
        Ok(f)
    }
}

/// The events `filter` selects, `--text` answered from the store's kept
/// search index when there is one: reading every event's text takes
/// seconds at a million events, reading the index a fraction of one.
fn select(m: &Model, filter: &Filter, kept: Option<&IndexCache>) -> Vec<annals::Ix> {
    let index = kept
        .filter(|_| !filter.texts.is_empty())
        .and_then(|k| k.load(m));
    filter.apply_with(m, index.as_ref())
}

/// The store, the filter the options and a saved view make, and the
/// events it selects (a view may ask for starred or noted events, which
/// the notes file beside the store says).
pub(super) fn load_filtered(
    store: Option<&PathBuf>,
    args: &FilterArgs,
) -> Result<(Model, Filter, Vec<annals::Ix>, std::time::Duration), ExitCode> {
    let (m, kept) = load_with_index(store).map_err(|e| report(&e))?;
    let mut filter = args.to_filter(&m).map_err(|e| fail(&e))?;
    let Some(name) = &args.view else {
        let started = Instant::now();
        let events = select(&m, &filter, kept.as_ref());
        return Ok((m, filter, events, started.elapsed()));
    };
    use annals::annotate::sessions::{self, Session};
    let key = sessions::store_key(store.map(PathBuf::as_path));
    let session = Session::load(&key).map_err(|e| fail(&e))?;
    let views = session.map(|s| s.views).unwrap_or_default();
    let Some(recs) = views.get(name) else {
        let names: Vec<&str> = views.keys().map(String::as_str).collect();
        return Err(fail(&format!(
            "no view {name:?} saved for this store{}",
            if names.is_empty() {
                String::new()
            } else {
                format!("; saved: {}", names.join(", "))
            }
        )));
    };
    let (v, starred, noted, gone) = sessions::to_filter(&m, recs);
    if !gone.is_empty() {
        say(&format!(
            "annals: view {name:?}: no longer in the store: {}",
            safe(&gone.join(", "))
        ));
    }
    filter.actors.extend(v.actors);
    filter.places.extend(v.places);
    filter.tags.extend(v.tags);
    filter.sources.extend(v.sources);
    filter.kinds.extend(v.kinds);
    filter.only_kinds.extend(v.only_kinds);
    filter.texts.extend(v.texts);
    filter.from = filter.from.or(v.from);
    filter.to = filter.to.or(v.to);
    let started = Instant::now();
    let mut events = select(&m, &filter, kept.as_ref());
    if starred || noted {
        let notes = match store {
            Some(p) => {
                annals::annotate::notes::Notes::load(&annals::annotate::notes::sidecar_path(p))
                    .map_err(|e| fail(&e))?
            }
            None => annals::annotate::notes::Notes::default(),
        };
        if starred {
            let s = notes.starred_events(&m);
            events.retain(|e| s.binary_search(e).is_ok());
        }
        if noted {
            let n = notes.noted_events(&m);
            events.retain(|e| n.binary_search(e).is_ok());
        }
    }
    Ok((m, filter, events, started.elapsed()))
}
