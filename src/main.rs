use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

mod cli;

/// Opens the explorer on a store. Load errors are reported before the
/// terminal is taken over.
fn explore(store: Option<&PathBuf>) -> ExitCode {
    let model = match cli::load(store) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match annals::tui::run(model) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("annals: terminal error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}
