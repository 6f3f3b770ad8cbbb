//! The command line: `check`, `list`, `search`, and opening the explorer.

pub mod author;
pub mod config;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use serde_json::json;

use annals::evidence::date::iso_day;
use annals::export::{self, Format};
use annals::filter::{
    Filter, ResolveError, resolve_actor, resolve_kind, resolve_place, resolve_source, resolve_tag,
};
use annals::io::atomic;
use annals::io::safe::{self, safe};
use annals::model::Ix;
use annals::search::tokens::query_terms;
use annals::store::load::Progress;
use annals::{LoadError, Model, PartialDate, SearchIndex, Target};

/// Explore a timeline of events collected from news articles.
///
/// With no command, opens the explorer on STORE (the built-in store when
/// none is given).
#[derive(Parser, Debug)]
#[command(
    name = "annals",
    version,
    subcommand_negates_reqs = true,
    override_usage = "annals [OPTIONS] [STORE]\n       annals [--no-cache] <COMMAND>"
)]
pub struct Cli {
    /// The event store to open (RON). Default: the built-in store.
    pub store: Option<PathBuf>,
    /// Colours for a light or dark terminal background (default: the
    /// ANNALS_THEME environment variable, else the settings file's theme,
    /// else dark). NO_COLOR turns colours off.
    #[arg(long, value_name = "light|dark")]
    pub theme: Option<String>,
    /// Start clean: do not restore the last session of this store (its
    /// filters, marks and place); quitting saves the new one.
    #[arg(long)]
    pub fresh: bool,
    /// Parse the store even if the load cache has it, and write no cache
    /// (see `annals cache`). Before or after the command's name.
    #[arg(long, global = true)]
    pub no_cache: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The explorer's own arguments (a store, --theme, --fresh) are not
    /// taken with a command: `annals STORE check` would check the built-in
    /// store. `--no-cache` goes with either, before or after the command.
    pub fn explorer_args_alone(self) -> Result<Self, clap::Error> {
        let message = if self.store.is_some() {
            "a store goes after the command's name: annals check STORE"
        } else if self.theme.is_some() {
            "--theme is for the explorer, not for a command"
        } else if self.fresh {
            "--fresh is for the explorer, not for a command"
        } else {
            ""
        };
        match &self.command {
            Some(_) if !message.is_empty() => Err(clap::Error::raw(
                clap::error::ErrorKind::ArgumentConflict,
                message,
            )),
            _ => Ok(self),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate a store: print its counts, or every problem found.
    Check {
        /// The event store (RON). Default: the built-in store.
        store: Option<PathBuf>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List matching events in chronological order: date, id, title.
    List {
        /// The event store (RON). Default: the built-in store.
        store: Option<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
        /// Print the events as JSON.
        #[arg(long)]
        json: bool,
        /// Print to stderr how long the filtering took.
        #[arg(long)]
        stats: bool,
    },
    /// Fuzzy-search actors, places, events, sources and quotes.
    #[command(override_usage = "annals search [OPTIONS] [STORE] <QUERY>")]
    Search {
        /// [STORE] QUERY: the store is optional (default: the built-in store).
        #[arg(required = true, num_args = 1..=2, value_name = "STORE_AND_QUERY")]
        args: Vec<std::ffi::OsString>,
        /// At most this many results.
        #[arg(long, short = 'n', default_value_t = 20)]
        limit: usize,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// Print to stderr how long the search itself took.
        #[arg(long)]
        stats: bool,
        /// Under each result, why it ranked there: each query word, the word
        /// it matched and how (exact, prefix, typo, in word), and the points
        /// for the field.
        #[arg(long)]
        explain: bool,
    },
    /// Import events from another tool's file into a new store (RON):
    /// acled (ACLED CSV), timesketch (CSV or JSONL), timelinejs (JSON or
    /// the Google-Sheet CSV), or csv (any CSV, with --map).
    Import {
        /// acled, timesketch, timelinejs or csv.
        format: annals::import::ImportFormat,
        /// The file to read.
        input: PathBuf,
        /// The store to write (RON). Not needed with --dry-run.
        #[arg(long, short = 'o', required_unless_present = "dry_run")]
        output: Option<PathBuf>,
        /// Replace the store if it exists (otherwise it is left untouched).
        #[arg(long)]
        force: bool,
        /// Read and check everything, print the summary, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// csv only: store fields to columns, e.g.
        /// date=when,title=what,actors=who,places=where,quote=text,source=outlet
        /// (also summary, tags, url, end). Repeatable.
        #[arg(long, value_name = "FIELD=COLUMN,...")]
        map: Vec<String>,
        /// The store's title (default: the input's own, or "Imported from FILE").
        #[arg(long)]
        title: Option<String>,
    },
    /// Export a slice of the timeline: the events the filters (and --ids) select.
    Export {
        /// The event store (RON). Default: the built-in store.
        store: Option<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
        /// Only these events (comma-separated ids), within the filters.
        #[arg(long, value_delimiter = ',')]
        ids: Vec<String>,
        /// ron (a store that opens in annals), json, csv, md (a briefing),
        /// timelinejs, geojson (a map) or timesketch (JSONL).
        #[arg(long, short = 'f')]
        format: Format,
        /// The file to write, or - for standard output.
        #[arg(long, short = 'o')]
        output: String,
        /// Replace the file if it exists (otherwise it is left untouched).
        #[arg(long)]
        force: bool,
        /// Start a CSV with a UTF-8 byte-order mark, so that Excel on Windows
        /// and LibreOffice's default import read it as UTF-8. CSV only.
        #[arg(long)]
        bom: bool,
        /// Take the analyst's stars and notes (STORE.notes.ron) along: under
        /// their events in a Markdown briefing; beside a RON or JSON export
        /// as OUTPUT.notes.ron.
        #[arg(long)]
        notes: bool,
    },
    /// Write a new, empty store whose sections explain themselves.
    New {
        /// The file to write (never replaced without --force).
        store: PathBuf,
        /// The store's title.
        #[arg(long)]
        title: String,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Add an article to a store, as written (line breaks kept), leaving the
    /// rest of the file as it was.
    AddSource(crate::cli::author::AddSourceArgs),
    /// The settings file (theme, colours, keys): check it, print its path,
    /// or print the defaults.
    Config(crate::cli::config::ConfigArgs),
    /// The load cache: print its directory and what it holds, or clear it.
    Cache {
        /// Remove every file in the cache directory.
        #[arg(long)]
        clear: bool,
    },
}

/// Filters: several values of one option widen (`--actor a --actor b`:
/// either), different options narrow (`--actor a --place x`: both).
#[derive(Args, Debug, Default, Clone)]
pub struct FilterArgs {
    /// Only events involving this actor (id, name or alias); repeat for any of several.
    #[arg(long, value_name = "ACTOR")]
    pub actor: Vec<String>,
    /// Only events at this place or a place within it (id, name or alias); repeatable.
    #[arg(long, value_name = "PLACE")]
    pub place: Vec<String>,
    /// Only events on or after this date (2024, 2024-03 or 2024-03-15).
    #[arg(long)]
    pub from: Option<PartialDate>,
    /// Only events on or before this date (2024, 2024-05 or 2024-05-31).
    #[arg(long)]
    pub to: Option<PartialDate>,
    /// Only events with this tag; repeatable.
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Only events quoting this source (id, title or outlet); repeatable.
    #[arg(long, value_name = "ID|TITLE|OUTLET")]
    pub source: Vec<String>,
    /// Only events quoting a source of this kind (news, sponsored, official
    /// statement, press release, report, opinion, reference, book, archive,
    /// dataset record, other); repeatable.
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<String>,
    /// Only events whose every quote comes from a source of this kind
    /// (`--only sponsored`: nothing else backs them); repeat to allow several kinds.
    #[arg(long, value_name = "KIND")]
    pub only: Vec<String>,
    /// Only events with these words (or words starting so) in their title,
    /// summary, tags, actors, places or quotes; each --text must match.
    #[arg(long, value_name = "WORDS")]
    pub text: Vec<String>,
    /// The filters of a view saved in the explorer (`:save NAME`) for this
    /// store, with any of the options above added.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
}

impl FilterArgs {
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
        };
        f.check_range()?;
        Ok(f)
    }
}

/// Set once from `--no-cache`, before any store is loaded.
static NO_CACHE: AtomicBool = AtomicBool::new(false);

/// Whether stores are loaded through the load cache (not with `--no-cache`).
pub fn use_cache() -> bool {
    !NO_CACHE.load(Ordering::Relaxed)
}

/// Loads a store: through the load cache, writing it after a parse (a
/// cache that cannot be written only means the next load parses again).
pub fn load(store: Option<&PathBuf>) -> Result<Model, LoadError> {
    load_with_index(store).map(|(m, _)| m)
}

/// `load`, and where the store's search index is kept (none without the
/// cache, or for the built-in store).
fn load_with_index(
    store: Option<&PathBuf>,
) -> Result<(Model, Option<annals::cache::IndexCache>), LoadError> {
    match store {
        Some(p) => {
            let opened = annals::cache::open(p, &Progress::default(), use_cache())?;
            if let Some(pending) = opened.pending {
                let _ = pending.write(&opened.model);
            }
            Ok((opened.model, opened.index))
        }
        None => annals::load_builtin().map(|m| (m, None)),
    }
}

pub fn store_name(store: Option<&PathBuf>) -> String {
    store.map_or_else(
        || format!("{} (built in)", annals::store::load::BUILTIN_NAME),
        |p| p.display().to_string(),
    )
}

/// Prints a load error and gives the failing exit code.
pub fn report(e: &LoadError) -> ExitCode {
    let n = e.problem_count();
    let unlisted = if e.unlisted > 0 {
        format!(" ({} not listed)", e.unlisted)
    } else {
        String::new()
    };
    say(&format!(
        "{e}\n{n} problem{} found{unlisted}",
        if n == 1 { "" } else { "s" }
    ));
    ExitCode::FAILURE
}

/// Writes a line to stderr. Everything the command line says goes through
/// here or `finish`: text from a store or a file name is made safe by the
/// caller, and a closed or full stderr is not worth a panic.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Prints an error and gives the failing exit code. Messages can quote
/// the store ("did you mean …"), so they are made safe to print.
pub fn fail(msg: &str) -> ExitCode {
    say(&format!("annals: {}", safe(msg)));
    ExitCode::FAILURE
}

pub fn run(cli: Cli) -> ExitCode {
    NO_CACHE.store(cli.no_cache, Ordering::Relaxed);
    match cli.command {
        Some(Command::Cache { clear }) => cache(clear),
        None => match crate::cli::config::explorer_settings(cli.theme.as_deref()) {
            Ok(settings) => crate::explore(cli.store.as_ref(), settings, cli.fresh),
            Err(code) => code,
        },
        Some(Command::Config(args)) => crate::cli::config::run(&args),
        Some(Command::Check { store, json, .. }) => check(store.as_ref(), json),
        Some(Command::List {
            store,
            filter,
            json,
            stats,
            ..
        }) => list(store.as_ref(), &filter, json, stats),
        Some(Command::New {
            store,
            title,
            force,
        }) => crate::cli::author::new(&store, &title, force),
        Some(Command::AddSource(args)) => crate::cli::author::add_source(&args),
        Some(Command::Export {
            store,
            filter,
            ids,
            format,
            output,
            force,
            bom,
            notes,
            ..
        }) => {
            let to = Output {
                format,
                path: &output,
                force,
                bom,
                notes,
            };
            export(store.as_ref(), &filter, &ids, &to)
        }
        Some(Command::Import {
            format,
            input,
            output,
            force,
            dry_run,
            map,
            title,
        }) => import(
            format,
            &input,
            output.as_deref(),
            force,
            dry_run,
            &map,
            title,
        ),
        Some(Command::Search {
            mut args,
            limit,
            json,
            stats,
            explain,
            ..
        }) => {
            // A store path need not be UTF-8; a query is text.
            let query = args
                .pop()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let store = args.pop().map(PathBuf::from);
            let how = SearchOutput {
                limit,
                json,
                stats,
                explain,
            };
            search(store.as_ref(), &query, &how)
        }
    }
}

fn check(store: Option<&PathBuf>, json: bool) -> ExitCode {
    let name = store_name(store);
    match load(store) {
        Ok(m) => {
            // The store's own result first; the notes beside it after.
            let printed = check_ok(&m, &name, json);
            let code = match store.and_then(|p| check_notes(&m, p)) {
                Some(code) => code,
                None => printed,
            };
            // The process ends here: freeing the model item by item would
            // only cost time (a tenth of a check at 100,000 events).
            std::mem::forget(m);
            code
        }
        Err(e) if json => {
            let errors: Vec<_> = e
                .diagnostics
                .iter()
                .map(|d| json!({ "line": d.line, "column": d.column, "message": d.message }))
                .collect();
            let res = writeln!(
                std::io::stdout().lock(),
                "{}",
                safe::json_safe(
                    json!({ "file": e.file, "ok": false, "errors": errors }).to_string()
                )
            );
            finish(res);
            ExitCode::FAILURE
        }
        Err(e) => report(&e),
    }
}

/// The store and the filter its arguments name, or the exit code of the failure.
/// The store, the filter the options and a saved view make, and the
/// events it selects (a view may ask for starred or noted events, which
/// the notes file beside the store says).
fn load_filtered(
    store: Option<&PathBuf>,
    args: &FilterArgs,
) -> Result<(Model, Filter, Vec<annals::Ix>, std::time::Duration), ExitCode> {
    let m = load(store).map_err(|e| report(&e))?;
    let mut filter = args.to_filter(&m).map_err(|e| fail(&e))?;
    let Some(name) = &args.view else {
        let started = Instant::now();
        let events = filter.apply(&m);
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
    let mut events = filter.apply(&m);
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

fn list(store: Option<&PathBuf>, args: &FilterArgs, json: bool, stats: bool) -> ExitCode {
    let (m, _filter, events, took) = match load_filtered(store, args) {
        Ok(v) => v,
        Err(code) => return code,
    };
    if stats {
        say(&format!(
            "filter: {:.3} ms, {} of {} events",
            took.as_secs_f64() * 1e3,
            events.len(),
            m.events.len()
        ));
    }
    let mut out = std::io::stdout().lock();
    let res = if json {
        let rows: Vec<_> = events
            .iter()
            .map(|&e| {
                let ev = m.event(e);
                let days = ev.days();
                let day = |d: i64| (d != i64::MIN && d != i64::MAX).then(|| iso_day(d));
                json!({
                    "id": ev.id,
                    "date": ev.date.to_string(),
                    "end": ev.end.map(|d| d.to_string()),
                    "precision": ev.date.precision_label(),
                    // The possible days, null where a bound is open.
                    "earliest": day(days.first),
                    "latest": day(days.last),
                    "origins": m.event_origins(e),
                    "title": ev.title,
                })
            })
            .collect();
        writeln!(
            out,
            "{}",
            safe::json_safe(serde_json::Value::Array(rows).to_string())
        )
    } else {
        let id_width = events
            .iter()
            .map(|&e| m.event(e).id.chars().count())
            .max()
            .unwrap_or(0);
        // A period shows its span: "1904-05-04 → 1914-08-15".
        let when = |e: Ix| {
            let ev = m.event(e);
            match ev.end {
                Some(end) => format!("{} → {end}", ev.date),
                None => ev.date.to_string(),
            }
        };
        let dates: Vec<String> = events.iter().map(|&e| when(e)).collect();
        let date_width = dates
            .iter()
            .map(|d| d.chars().count())
            .max()
            .unwrap_or(0)
            .max(11);
        events.iter().zip(&dates).try_for_each(|(&e, date)| {
            let ev = m.event(e);
            writeln!(
                out,
                "{date:<date_width$} {:<id_width$}  {}",
                safe(&ev.id),
                safe(&ev.title)
            )
        })
    };
    finish(res)
}

/// Prints a store's counts (`check` of a store that loaded).
fn check_ok(m: &Model, name: &str, json: bool) -> ExitCode {
    let counts = [
        ("sources", m.sources.len()),
        ("origins", m.origins.len()),
        ("actors", m.actors.len()),
        ("places", m.places.len()),
        ("events", m.events.len()),
        ("relations", m.relations.len()),
        ("claims", m.claims.len()),
        ("conflicts", m.conflicts.len()),
    ];
    if json {
        let c: serde_json::Map<String, serde_json::Value> = counts
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        finish(writeln!(
            std::io::stdout().lock(),
            "{}",
            safe::json_safe(json!({ "file": name, "ok": true, "counts": c }).to_string())
        ))
    } else {
        let line: Vec<String> = counts
            .iter()
            .map(|&(k, v)| match k {
                "origins" => format!("{v} independent {}", plural(v, "origin")),
                _ => format!("{v} {}", plural(v, k.trim_end_matches('s'))),
            })
            .collect();
        finish(writeln!(
            std::io::stdout().lock(),
            "{}: ok\n{}",
            safe(name),
            line.join(", ")
        ))
    }
}

/// The notes file beside a store, against the store: it parses, and its
/// stars and notes name what the store has. `None` when all is well (or
/// there is none); else the problems, printed, and the failing code.
fn check_notes(m: &Model, store: &std::path::Path) -> Option<ExitCode> {
    let path = annals::annotate::notes::sidecar_path(store);
    let text = std::fs::read_to_string(&path).ok()?;
    let shown = safe(&path.display().to_string());
    let notes = match annals::annotate::notes::Notes::parse(&text) {
        Ok(n) => n,
        Err(e) => {
            say(&format!("{shown}:{}", safe(&e)));
            return Some(ExitCode::FAILURE);
        }
    };
    let dangling = notes.dangling(m, &text);
    if dangling.is_empty() {
        return None;
    }
    for (line, why) in &dangling {
        say(&format!("{shown}:{line}: {}", safe(why)));
    }
    say(&format!(
        "{} problem{} in the notes beside the store",
        dangling.len(),
        if dangling.len() == 1 { "" } else { "s" }
    ));
    Some(ExitCode::FAILURE)
}

/// "1 event", "2 events".
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// Output to a closed pipe (`annals list | head`) is not an error.
/// The exit status after writing to stdout: a reader that went away
/// (`annals list | head`) ends the command quietly, a full disk says so;
/// either way the status says the output is not all there.
pub fn finish(res: std::io::Result<()>) -> ExitCode {
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::FAILURE,
        Err(e) => fail(&format!(
            "writing to standard output: {}",
            plain_io_error(&e)
        )),
    }
}

/// An I/O error in plain words, without "(os error 28)".
fn plain_io_error(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Id and name of a search result; a quote also names its outlet.
fn target_id_and_name(m: &Model, t: Target) -> (String, String) {
    let name = match t {
        Target::Quote { event, quote } => {
            let src = m.source(m.event(event).evidence[quote as usize].source);
            format!("{} ({})", t.name(m), src.outlet)
        }
        _ => t.name(m).to_string(),
    };
    (t.id(m), name)
}

struct SearchOutput {
    limit: usize,
    json: bool,
    stats: bool,
    explain: bool,
}

fn search(store: Option<&PathBuf>, query: &str, how: &SearchOutput) -> ExitCode {
    let (m, kept) = match load_with_index(store) {
        Ok(loaded) => loaded,
        Err(e) => return report(&e),
    };
    let index = match kept {
        Some(kept) => kept.load_or_build(&m),
        None => SearchIndex::build(&m),
    };
    let started = Instant::now();
    let hits = index.search(&m, query, how.limit);
    if how.stats {
        say(&format!(
            "search: {:.3} ms, {} results",
            started.elapsed().as_secs_f64() * 1e3,
            hits.len()
        ));
    }
    if hits.is_empty() {
        say(&format!(
            "no match for {}",
            safe(&format!("{:?}", query.trim()))
        ));
        if how.json {
            // Still valid JSON for a program reading it.
            let _ = finish(writeln!(std::io::stdout().lock(), "[]"));
        }
        return ExitCode::FAILURE;
    }
    let mut out = std::io::stdout().lock();
    let res = if how.json {
        let rows: Vec<_> = hits
            .iter()
            .map(|h| {
                let (id, name) = target_id_and_name(&m, h.target);
                json!({
                    "kind": h.target.kind(),
                    "id": id,
                    "name": name,
                    "field": h.field.label(),
                    "matched": h.text,
                    "positions": h.positions,
                    "score": h.score,
                    "sponsored": h.sponsored,
                    "whole_field": h.whole_field,
                    "why": h.why,
                })
            })
            .collect();
        writeln!(
            out,
            "{}",
            safe::json_safe(serde_json::Value::Array(rows).to_string())
        )
    } else {
        print_hits(&mut out, &m, &hits, how.explain)
    };
    finish(res)
}

fn print_hits(
    out: &mut impl Write,
    m: &Model,
    hits: &[annals::Hit],
    explain: bool,
) -> std::io::Result<()> {
    let rows: Vec<(String, String, &annals::Hit)> = hits
        .iter()
        .map(|h| {
            let (id, name) = target_id_and_name(m, h.target);
            (id, name, h)
        })
        .collect();
    let id_width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    for (id, name, h) in &rows {
        let extra = if matches!(h.target, Target::Quote { .. })
            || (h.text != *name && !h.text.is_empty())
        {
            format!("  · {}", safe(&h.text))
        } else {
            String::new()
        };
        let sponsored = if h.sponsored { "  [sponsored]" } else { "" };
        writeln!(
            out,
            "{:<6}  {:<id_width$}  {}{sponsored}{}",
            h.target.kind(),
            safe(id),
            safe(name),
            extra
        )?;
        if explain {
            writeln!(out, "        {}", safe(&explanation(h)))?;
        }
    }
    Ok(())
}

/// `score 150 = "wagner" exact +100, name +30, whole field +20`.
fn explanation(h: &annals::Hit) -> String {
    let mut parts: Vec<String> = h
        .why
        .iter()
        .map(|w| {
            if w.query == w.word {
                format!("{:?} {} +{}", w.query, w.tier.label(), w.points)
            } else {
                format!(
                    "{:?} {} {:?} +{}",
                    w.query,
                    w.tier.label(),
                    w.word,
                    w.points
                )
            }
        })
        .collect();
    if h.why.is_empty() {
        parts.push("letters scattered across words".into());
    } else {
        parts.push(format!("{} +{}", h.field.label(), h.field.weight()));
        if h.whole_field {
            parts.push(format!("whole field +{}", annals::search::WHOLE_FIELD));
        }
    }
    format!("score {} = {}", h.score, parts.join(", "))
}

/// Where and how `export` writes.
struct Output<'a> {
    format: Format,
    /// A file, or - for standard output.
    path: &'a str,
    force: bool,
    bom: bool,
    notes: bool,
}

fn export(store: Option<&PathBuf>, args: &FilterArgs, ids: &[String], to: &Output) -> ExitCode {
    let &Output {
        format,
        path: output,
        force,
        bom,
        notes: with_notes,
    } = to;
    // A usage error, said before the store is read.
    if bom && let Some(why) = export::bom_refusal(format) {
        say(&format!("annals: {why}"));
        return ExitCode::from(2);
    }
    let (m, filter, mut events, _) = match load_filtered(store, args) {
        Ok(v) => v,
        Err(code) => return code,
    };
    if !ids.is_empty() {
        let mut wanted = Vec::new();
        for id in ids {
            match m.event_by_id(id.trim()) {
                Some(e) => wanted.push(e),
                None => return fail(&format!("no event has the id {:?}", id.trim())),
            }
        }
        events.retain(|e| wanted.contains(e));
    }
    let words = filter.describe(&m);
    let title = export::slice_title(&m, &words.join(", "));
    let mut words = words;
    if !ids.is_empty() {
        words.push(format!("ids {}", ids.join(", ")));
    }
    let notes = match (with_notes, store) {
        (false, _) => None,
        (true, None) => return fail("the built-in store has no notes file (--notes)"),
        (true, Some(p)) => {
            match annals::annotate::notes::Notes::load(&annals::annotate::notes::sidecar_path(p)) {
                Ok(n) => Some(n.slice(&m, &events)),
                Err(e) => return fail(&e),
            }
        }
    };
    let made = export::Made {
        filters: &words,
        notes: notes.as_ref(),
        ..export::Made::today()
    };
    let bytes = match export::render_with_bom(&m, &events, format, &title, &made, bom) {
        Ok(b) => b,
        Err(e) => return fail(&format!("cannot export: {e}")),
    };
    if output == "-" {
        // Exports carry the store's text exactly; a terminal gets it made
        // harmless (a file or a pipe gets the bytes as they are).
        use std::io::IsTerminal;
        let mut out = std::io::stdout().lock();
        if out.is_terminal() {
            let text = safe::safe_lines(&String::from_utf8_lossy(&bytes));
            return finish(out.write_all(text.as_bytes()));
        }
        return finish(out.write_all(&bytes));
    }
    match atomic::write_atomic(std::path::Path::new(output), &bytes, force) {
        Ok(how) => {
            let directly = match how {
                atomic::Written::Atomically => "",
                atomic::Written::Directly => ", written directly: not a regular file",
            };
            say(&format!(
                "wrote {} events to {} ({}{directly})",
                events.len(),
                safe(output),
                format.name()
            ));
            match notes.filter(|n| !n.is_empty() && matches!(format, Format::Ron | Format::Json)) {
                None => ExitCode::SUCCESS,
                Some(n) => export_notes_beside(&n, std::path::Path::new(output), force),
            }
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// The slice's notes as a sidecar beside a RON or JSON export.
fn export_notes_beside(
    notes: &annals::annotate::notes::Notes,
    output: &std::path::Path,
    force: bool,
) -> ExitCode {
    let path = annals::annotate::notes::sidecar_path(output);
    match atomic::write_atomic(&path, notes.to_text().as_bytes(), force) {
        Ok(_) => {
            say(&format!(
                "wrote the notes to {}",
                safe(&path.display().to_string())
            ));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// `annals import`: reads, builds and checks a store, prints the summary,
/// and writes it (unless --dry-run) atomically, never over a file without
/// --force. Bad rows are skipped and listed; a malformed input writes nothing.
fn import(
    format: annals::import::ImportFormat,
    input: &std::path::Path,
    output: Option<&std::path::Path>,
    force: bool,
    dry_run: bool,
    map: &[String],
    title: Option<String>,
) -> ExitCode {
    use annals::import::{self, ImportError, ImportFormat};
    if !map.is_empty() && format != ImportFormat::Csv {
        say("annals: --map is for the csv format only");
        return ExitCode::from(2);
    }
    let mut pairs = Vec::new();
    for m in map {
        match import::parse_map(m) {
            Ok(p) => pairs.extend(p),
            Err(e) => {
                say(&format!("annals: {}", safe(&e)));
                return ExitCode::from(2);
            }
        }
    }
    // Refused before the work, not after it.
    if !dry_run
        && !force
        && let Some(out) = output
        && out.exists()
    {
        return fail(&format!(
            "{} already exists; not replacing it (use --force to replace); nothing imported",
            safe(&out.display().to_string())
        ));
    }
    let opts = import::Options {
        title,
        map: pairs,
        ..import::Options::default()
    };
    let (store, summary) = match import::import_path(format, input, &opts) {
        Ok(v) => v,
        Err(ImportError::Empty { path, summary }) => {
            say(&safe::safe_lines(&summary.to_string()));
            return fail(&format!(
                "{path}: nothing to import: no row gave an event; nothing written"
            ));
        }
        Err(e) => return fail(&format!("{e}; nothing written")),
    };
    say(&safe::safe_lines(&summary.to_string()));
    if dry_run {
        return match import::validate(&store) {
            Ok(()) => {
                say("dry run: the store passes check; nothing written");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&format!("{e}; nothing written")),
        };
    }
    let Some(output) = output else {
        return fail("no output file (-o STORE.ron)");
    };
    match import::write_store(&store, output, force) {
        Ok(_) => {
            say(&format!(
                "wrote {} events to {}",
                store.events.len(),
                safe(&output.display().to_string())
            ));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("{e}; nothing written")),
    }
}

/// `annals cache`: where the load cache is and what it holds; `--clear`
/// removes its files.
fn cache(clear: bool) -> ExitCode {
    if clear {
        return match annals::cache::clear() {
            Ok((dir, n)) => finish(writeln!(
                std::io::stdout().lock(),
                "removed {n} file{} from {}",
                if n == 1 { "" } else { "s" },
                safe(&dir.display().to_string())
            )),
            Err(e) => fail(&e),
        };
    }
    let Some(dir) = annals::cache::cache_dir() else {
        return fail("no cache directory on this system");
    };
    let (files, bytes) = annals::cache::usage_in(&dir);
    finish(writeln!(
        std::io::stdout().lock(),
        "{}\n{files} file{}, {:.1} MB",
        safe(&dir.display().to_string()),
        if files == 1 { "" } else { "s" },
        bytes as f64 / 1e6
    ))
}
