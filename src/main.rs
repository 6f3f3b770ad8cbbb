use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

mod cli;

/// Opens the explorer. Until it lands, points to the subcommands.
fn explore(store: Option<&PathBuf>) -> ExitCode {
    match cli::load(store) {
        Ok(m) => {
            println!(
                "{}: {} events. The explorer is not built yet; try `annals check`, `annals list` or `annals search QUERY` (`annals --help`).",
                m.meta.title,
                m.events.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}
