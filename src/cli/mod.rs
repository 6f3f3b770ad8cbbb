//! The command line: its arguments, and one file per command. `out` is the
//! one path for everything printed; nothing outside `cli/` imports from here.

mod add_event;
pub mod author;
mod cache;
mod check;
pub mod config;
mod disputes;
pub mod examples;
mod explore;
mod export;
mod import;
mod list;
mod out;
mod search;
mod shell;
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

/// Explore a timeline of events collected from news articles
///
/// With no command, opens the explorer on STORE (the built-in store when
/// none is given).
#[derive(Parser, Debug)]
#[command(
    name = "annals",
    version,
    subcommand_negates_reqs = true,
    override_usage = "annals [OPTIONS] [STORE]\n       annals [--no-cache] <COMMAND>",
    after_long_help = examples::ROOT
)]
pub struct Cli {
    /// The event store to open (RON)
    ///
    /// Default: the built-in store.
    pub store: Option<PathBuf>,
    /// Colours for a light or dark background
    ///
    /// Default: the ANNALS_THEME environment variable, else the settings
    /// file's theme, else dark. NO_COLOR turns colours off.
    #[arg(long, value_name = "light|dark")]
    pub theme: Option<String>,
    /// Do not restore this store's last session
    ///
    /// Starts clean: the last session's filters, marks and place are not
    /// restored; quitting saves the new one.
    #[arg(long)]
    pub fresh: bool,
    /// Neither read nor write the load cache
    ///
    /// Parses the store even if the load cache has it, and writes no cache
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
    /// Validate a store: its counts, or every problem
    ///
    /// Prints the store's counts, or every problem found, each as
    /// FILE:LINE:COLUMN: error: ... (exit status 1).
    #[command(after_long_help = examples::CHECK)]
    Check {
        /// The event store (default: the built-in store)
        store: Option<PathBuf>,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// List matching events by date: date, id, title
    ///
    /// Lists the events the filters select, in chronological order. Values
    /// of one filter widen the selection, different filters narrow it.
    #[command(after_long_help = examples::LIST)]
    List {
        /// The event store (default: the built-in store)
        store: Option<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
        /// Print the events as JSON
        #[arg(long)]
        json: bool,
        /// Print to stderr how long filtering took
        #[arg(long)]
        stats: bool,
    },
    /// List the disagreements between sources
    ///
    /// Each disagreement: every value with its outlets and independent
    /// origins, the events it is about, and whether the values contradict
    /// each other or can all hold.
    #[command(after_long_help = examples::DISPUTES)]
    Disputes {
        /// The event store (default: the built-in store)
        store: Option<PathBuf>,
        /// With filters: the disagreements about the events they select.
        #[command(flatten)]
        filter: FilterArgs,
        /// Print the disagreements as JSON
        #[arg(long)]
        json: bool,
    },
    /// List the sources and how much of each is quoted
    ///
    /// Each source: kind, outlet, origin, how much of it the events quote,
    /// its sentences with a date, a number or an actor's name that no quote
    /// takes yet, and the events quoting it.
    #[command(after_long_help = examples::SOURCES)]
    Sources {
        /// The event store (default: the built-in store)
        store: Option<PathBuf>,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
        /// List sources sharing sentences instead
        ///
        /// Instead: the stored sources that share sentences with another
        /// (copies, rewrites), and whether the store records it.
        #[arg(long)]
        overlap: bool,
    },
    /// Fuzzy-search actors, places, events, sources and quotes
    #[command(
        override_usage = "annals search [OPTIONS] [STORE] <QUERY>",
        after_long_help = examples::SEARCH
    )]
    Search {
        /// [STORE] QUERY (default store: the built-in one)
        #[arg(required = true, num_args = 1..=2, value_name = "STORE_AND_QUERY")]
        args: Vec<std::ffi::OsString>,
        /// At most this many results
        #[arg(long, short = 'n', default_value_t = 20)]
        limit: usize,
        /// Print the results as JSON
        #[arg(long)]
        json: bool,
        /// Print to stderr how long the search took
        #[arg(long)]
        stats: bool,
        /// Say why each result ranks where it does
        ///
        /// Under each result: each query word, the word it matched and how
        /// (exact, prefix, typo, in word), and the points for the field.
        #[arg(long)]
        explain: bool,
    },
    /// Make a new store from another tool's file
    ///
    /// Imports events from another tool's file into a new store (RON):
    /// acled (ACLED CSV), timesketch (CSV or JSONL), timelinejs (JSON or
    /// the Google-Sheet CSV), csv (any CSV, with --map), gdelt (GDELT 2.0
    /// events: its tab-separated export, a CSV with its column names, or
    /// Parquet), or parquet (any Parquet table, with --map).
    #[command(after_long_help = examples::IMPORT)]
    Import {
        /// The input's format
        ///
        /// acled, timesketch, timelinejs, csv, gdelt or parquet.
        format: annals::import::ImportFormat,
        /// The file to read
        input: PathBuf,
        /// The store to write (not with --dry-run)
        #[arg(long, short = 'o', required_unless_present = "dry_run")]
        output: Option<PathBuf>,
        /// Replace the store if it exists
        ///
        /// Without it, an existing file is left untouched.
        #[arg(long)]
        force: bool,
        /// Read and check everything, write nothing
        ///
        /// Prints the summary as an import would, and writes nothing.
        #[arg(long)]
        dry_run: bool,
        /// The column of each store field (csv, parquet)
        ///
        /// For csv and parquet only: store fields to columns (date, title,
        /// quote, actors, places, tags, summary, source, url, end).
        /// Repeatable. For example:
        /// date=when,title=what,actors=who,places=where,quote=text,source=outlet
        #[arg(long, value_name = "FIELD=COLUMN,...")]
        map: Vec<String>,
        /// The store's title
        ///
        /// Default: the input's own, or "Imported from FILE".
        #[arg(long)]
        title: Option<String>,
    },
    /// Export the events the filters select to a file
    ///
    /// Exports a slice of the timeline: the events the filters (and --ids)
    /// select, or a story, in one format.
    #[command(after_long_help = examples::EXPORT)]
    Export {
        /// The event store (default: the built-in store)
        store: Option<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
        /// Only these events (ids, comma-separated)
        #[arg(long, value_delimiter = ',')]
        ids: Vec<String>,
        /// The format to write
        ///
        /// ron (a store that opens in annals), json, csv, md (a briefing),
        /// timelinejs, geojson (a map) or timesketch (JSONL).
        #[arg(long, short = 'f')]
        format: Format,
        /// The file to write, or - for stdout
        #[arg(long, short = 'o')]
        output: String,
        /// Replace the file if it exists
        ///
        /// Without it, an existing file is left untouched.
        #[arg(long)]
        force: bool,
        /// CSV: start with a byte-order mark
        ///
        /// Starts a CSV with a UTF-8 byte-order mark, so that Excel on
        /// Windows and LibreOffice's default import read it as UTF-8. CSV
        /// only.
        #[arg(long)]
        bom: bool,
        /// Take the stars and notes along
        ///
        /// Takes the analyst's stars and notes (STORE.notes.ron) along: under
        /// their events in a Markdown briefing; beside a RON or JSON export
        /// as OUTPUT.notes.ron.
        #[arg(long)]
        notes: bool,
        /// Export this story, in its order
        ///
        /// Exports a story (from STORE.stories.ron) in its own order
        /// instead of a slice: md (a narrative), timelinejs or json.
        #[arg(long, value_name = "NAME")]
        story: Option<String>,
    },
    /// List the stories kept beside a store
    ///
    /// Lists the stories in STORE.stories.ron and their steps, each found
    /// in the store or missing.
    #[command(after_long_help = examples::STORIES)]
    Stories {
        /// The event store (default: the built-in store)
        store: Option<PathBuf>,
        /// Print the stories as JSON
        #[arg(long)]
        json: bool,
    },
    /// Write a new store whose sections explain themselves
    #[command(after_long_help = examples::NEW)]
    New {
        /// The file to write
        ///
        /// Never replaced without --force.
        store: PathBuf,
        /// The store's title
        #[arg(long)]
        title: String,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Add an article to a store, as written
    ///
    /// Adds the article with its line breaks, leaving the rest of the file
    /// byte for byte as it was; writes nothing unless the result loads.
    #[command(
        override_usage = "annals add-source [OPTIONS] --outlet <OUTLET> --title <TITLE>\n       \
                          <STORE> <FILE>",
        after_long_help = examples::ADD_SOURCE
    )]
    AddSource(crate::cli::author::AddSourceArgs),
    /// Add an event to a store; prints its id
    ///
    /// Its quotes are checked verbatim, its actors and places found by id,
    /// name or alias; every problem is named, and nothing is written unless
    /// all is well. Prints the new event's id.
    #[command(after_long_help = examples::ADD_EVENT)]
    AddEvent(crate::cli::add_event::AddEventArgs),
    /// Check the settings file, or print its path or defaults
    ///
    /// The settings file (theme, colours, keys): without options, checks it
    /// and lists every problem (exit status 1 when there are some).
    #[command(after_long_help = examples::CONFIG)]
    Config(crate::cli::config::ConfigArgs),
    /// Show the load cache's place and size, or clear it
    #[command(after_long_help = examples::CACHE)]
    Cache {
        /// Remove annals' files from the cache directory
        #[arg(long)]
        clear: bool,
    },
    /// Print a shell completion script
    ///
    /// Prints the completion script for SHELL on standard output: every
    /// command and option of annals, from its own definition.
    #[command(after_long_help = examples::COMPLETIONS)]
    Completions {
        /// The shell: bash, zsh, fish, powershell, elvish
        #[arg(hide_possible_values = true)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff)
    ///
    /// Prints annals(1), one page for every command and option, on
    /// standard output.
    #[command(after_long_help = examples::MAN)]
    Man,
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
        Some(Command::Completions { shell }) => shell::completions(shell),
        Some(Command::Man) => shell::man(),
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
