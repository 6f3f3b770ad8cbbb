//! `annals completions SHELL` and `annals man`: shell completion scripts
//! and the manual page, both made from the command line's own definition
//! (`Cli`), so a command or option added there is in them.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_mangen::Man;

use super::Cli;
use super::out::finish;

/// `annals completions SHELL`: the script on standard output.
pub(super) fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "annals", &mut script);
    finish(std::io::stdout().lock().write_all(&script))
}

/// `annals man`: the manual page, roff, on standard output.
pub(super) fn man() -> ExitCode {
    let res = page().and_then(|p| std::io::stdout().lock().write_all(&p));
    finish(res)
}

/// One page for the whole program, as ripgrep's, fd's and bat's are:
/// `man annals` and a search in it find every command and option.
fn page() -> std::io::Result<Vec<u8>> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let man = Man::new(cmd.clone()).manual("annals manual");
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    writeln!(out, ".SH COMMANDS")?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub
            .get_bin_name()
            .map_or_else(|| format!("annals {}", sub.get_name()), str::to_string);
        writeln!(out, ".SS \"{name}\"")?;
        let m = Man::new(sub.clone());
        let mut part = Vec::new();
        m.render_synopsis_section(&mut part)?;
        m.render_description_section(&mut part)?;
        m.render_options_section(&mut part)?;
        out.extend(without_headings(&part));
        if let Some(examples) = sub.get_after_long_help() {
            examples_roff(&mut out, &examples.to_string())?;
        }
    }
    if let Some(examples) = cmd.get_after_long_help() {
        writeln!(out, ".SH EXAMPLES")?;
        examples_roff(&mut out, &examples.to_string())?;
    }
    writeln!(out, ".SH ENVIRONMENT")?;
    for (var, what) in ENVIRONMENT {
        writeln!(out, ".TP\n\\fB{var}\\fR\n{}", escape(what))?;
    }
    writeln!(out, ".SH \"SEE ALSO\"")?;
    writeln!(
        out,
        "The user guide and reference in the docs/ folder of annals' sources; \
         the store format in data/README.md."
    )?;
    man.render_version_section(&mut out)?;
    Ok(once_defined(&out))
}

/// Each of clap_mangen's renders starts by defining the quote string
/// (`.ie \n(.g .ds Aq ...`, `.el .ds Aq ...`): kept once, at the top.
fn once_defined(roff: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut seen = [false, false];
    let mut out = String::new();
    for line in text.lines() {
        let which = [".ie \\n(.g .ds Aq", ".el .ds Aq"]
            .iter()
            .position(|p| line.starts_with(p));
        if let Some(i) = which {
            if seen[i] {
                continue;
            }
            seen[i] = true;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

/// The variables annals reads, for the ENVIRONMENT section.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "ANNALS_CONFIG",
        "the settings file (default: $XDG_CONFIG_HOME/annals/config.toml, ~/.config/annals/config.toml)",
    ),
    ("ANNALS_THEME", "light or dark: the explorer's colours"),
    ("NO_COLOR", "when set, no colours at all"),
    (
        "ANNALS_CACHE_DIR",
        "the load cache (default: $XDG_CACHE_HOME/annals, ~/.cache/annals)",
    ),
    (
        "ANNALS_STATE_DIR",
        "where sessions are kept (default: $XDG_STATE_HOME/annals, ~/.local/state/annals)",
    ),
    ("VISUAL, EDITOR", "the editor E and a opens (default: vi)"),
];

/// A subcommand's sections with paragraphs for their `.SH` lines: they
/// are part of its `.SS` under COMMANDS.
fn without_headings(roff: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::new();
    for line in text.lines() {
        // A new paragraph where the section began.
        out.push_str(if line.starts_with(".SH ") {
            ".PP"
        } else {
            line
        });
        out.push('\n');
    }
    out.into_bytes()
}

/// The `Examples:` of a long help as roff: each example line kept as it is
/// (`.nf`), in a block indented under its heading.
fn examples_roff(out: &mut Vec<u8>, text: &str) -> std::io::Result<()> {
    writeln!(out, ".PP\n.nf\n.RS 2")?;
    for line in text.lines() {
        writeln!(out, "{}", escape(line))?;
    }
    writeln!(out, ".RE\n.fi")
}

/// Text made safe for roff: backslashes doubled, and a line starting with
/// `.` or `'` is not read as a request.
fn escape(line: &str) -> String {
    let s = line.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with('.') || s.starts_with('\'') {
        format!("\\&{s}")
    } else {
        s
    }
}
