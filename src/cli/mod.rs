//! The command line: its arguments, and one file per command. `out` is the
//! one path for everything printed; nothing outside `cli/` imports from here.

mod add_event;
pub mod author;
mod cache;
mod check;
pub mod config;
mod disputes;
mod explore;
mod export;
mod import;
mod list;
mod out;
mod search;
mod slice;
mod sources;
mod stories;

use self::cache::cache;
use self::check::check;
use self::export::{Output, export};
use self::import::import;
use self::list::list;
use self::search::{SearchOutput, search};
pub use self::slice::FilterArgs;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand};

use annals::export::Format;
use annals::store::load::Progress;
use annals::{LoadError, Model};

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
    /// List every disagreement between sources: each value with its
    /// outlets and independent origins, the events it is about, and
    /// whether the values contradict each other or can all hold.
    Disputes {
        /// The event store (RON). Default: the built-in store.
        store: Option<PathBuf>,
        /// With filters: the disagreements about the events they select.
        #[command(flatten)]
        filter: FilterArgs,
        /// Print the disagreements as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the sources: kind, outlet, origin, how much of each the events
    /// quote, its sentences with a date, a number or an actor's name that
    /// no quote takes yet, and the events quoting it.
    Sources {
        /// The event store (RON). Default: the built-in store.
        store: Option<PathBuf>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// Instead: the stored sources that share sentences with another
        /// (copies, rewrites), and whether the store records it.
        #[arg(long)]
        overlap: bool,
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
        /// Export this story (from STORE.stories.ron) in its own order
        /// instead of a slice: md (a narrative), timelinejs or json.
        #[arg(long, value_name = "NAME")]
        story: Option<String>,
    },
    /// List the stories kept beside a store (STORE.stories.ron) and their
    /// steps, each found in the store or missing.
    Stories {
        /// The event store (RON). Default: the built-in store.
        store: Option<PathBuf>,
        /// Print the stories as JSON.
        #[arg(long)]
        json: bool,
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
    /// Add an event to a store: its quotes checked verbatim, its actors and
    /// places by id, name or alias; every problem named, nothing written
    /// unless all is well. Prints the new event's id.
    AddEvent(crate::cli::add_event::AddEventArgs),
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
pub(super) fn load_with_index(
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

pub fn run(cli: Cli) -> ExitCode {
    NO_CACHE.store(cli.no_cache, Ordering::Relaxed);
    match cli.command {
        Some(Command::Cache { clear }) => cache(clear),
        None => match crate::cli::config::explorer_settings(cli.theme.as_deref()) {
            Ok(settings) => explore::explore(cli.store.as_ref(), settings, cli.fresh),
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
        Some(Command::Stories { store, json }) => stories::stories(store.as_ref(), json),
        Some(Command::Disputes {
            store,
            filter,
            json,
        }) => disputes::disputes(store.as_ref(), &filter, json),
        Some(Command::Sources {
            store,
            json,
            overlap,
        }) => sources::sources(store.as_ref(), json, overlap),
        Some(Command::New {
            store,
            title,
            force,
        }) => crate::cli::author::new(&store, &title, force),
        Some(Command::AddSource(args)) => crate::cli::author::add_source(&args),
        Some(Command::AddEvent(args)) => add_event::add_event(&args),
        Some(Command::Export {
            store,
            filter,
            ids,
            format,
            output,
            force,
            bom,
            notes,
            story,
            ..
        }) => {
            let to = Output {
                format,
                path: &output,
                force,
                bom,
                notes,
                story: story.as_deref(),
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
