//! `annals config` and the settings file's part in opening the explorer:
//! the command line over `annals::config`.

use std::io::Write;
use std::process::ExitCode;

use annals::config;
use annals::io::safe::safe;
use annals::tui::settings::Settings;

use super::out::{fail, finish, say};

#[derive(clap::Args, Debug)]
pub struct ConfigArgs {
    /// Print the default settings, explained
    ///
    /// Prints the default settings file, every setting and key explained
    /// (`annals config --print-default > FILE` to start one).
    #[arg(long, conflicts_with = "path")]
    pub print_default: bool,
    /// Print where the settings file is read from
    #[arg(long)]
    pub path: bool,
}

/// Where the settings file is read from, for `annals --help`.
pub fn help_text() -> String {
    let at = config::path().map_or_else(
        || "none (no home directory)".to_string(),
        |p| safe(&p.display().to_string()),
    );
    format!(
        "Settings file (theme, colours, keys):\n  {at}\n\
         {} names another; `annals config --print-default` explains each.",
        config::PATH_VAR
    )
}

/// `annals config`: without options, checks the settings file and lists
/// its problems (exit status 1 when it has some).
pub fn run(args: &ConfigArgs) -> ExitCode {
    if args.print_default {
        return finish(
            std::io::stdout()
                .lock()
                .write_all(config::default_file().as_bytes()),
        );
    }
    let Some(path) = config::path() else {
        return fail("no settings file: there is no home directory to find it in");
    };
    let shown = safe(&path.display().to_string());
    if args.path {
        return finish(writeln!(std::io::stdout().lock(), "{shown}"));
    }
    if !path.exists() {
        say(&format!("{shown}: not found; the defaults are used"));
        return ExitCode::SUCCESS;
    }
    let (_, problems) = config::load(&path);
    if problems.is_empty() {
        say(&format!("{shown}: no problems"));
        return ExitCode::SUCCESS;
    }
    report(&path, &problems);
    ExitCode::FAILURE
}

/// The explorer's settings: `--theme`, `ANNALS_THEME` and the settings
/// file. The file's problems are printed (they also show in the status
/// line); a bad `--theme` is an error.
pub fn explorer_settings(flag: Option<&str>) -> Result<Settings, ExitCode> {
    let loaded = Settings::load(flag).map_err(|e| fail(&e))?;
    if let Some(path) = &loaded.path {
        report(path, &loaded.problems);
    }
    Ok(loaded.settings)
}

fn report(path: &std::path::Path, problems: &[config::Problem]) {
    if problems.is_empty() {
        return;
    }
    for p in problems {
        say(&safe(&p.display(path)));
    }
    let n = problems.len();
    say(&format!(
        "{n} problem{} in the settings file; {} left at {} default",
        if n == 1 { "" } else { "s" },
        if n == 1 {
            "that setting is"
        } else {
            "those settings are"
        },
        if n == 1 { "its" } else { "their" },
    ));
}
