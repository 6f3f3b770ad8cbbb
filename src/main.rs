//! annals: the command line, and the explorer with no command (see `cli`).

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

mod cli;

fn main() -> ExitCode {
    // Returning ends the process, a load the user walked away from included.
    // `annals --help` says where the settings file is read from.
    let settings = cli::config::help_text();
    let matches = cli::Cli::command()
        .after_help(settings.clone())
        .after_long_help(format!("{}\n\n{settings}", cli::examples::ROOT))
        .get_matches();
    match cli::Cli::from_arg_matches(&matches).and_then(cli::Cli::explorer_args_alone) {
        Ok(parsed) => cli::run(parsed),
        Err(e) => e.format(&mut cli::Cli::command()).exit(),
    }
}
