//! The Examples section of each command's long help (`--help`), also in
//! the manual page (`annals man`).

pub const ROOT: &str = "\
Examples:
  annals                          open the explorer on the built-in store
  annals my-story.ron             open the explorer on a store
  annals --theme light            colours for a light background
  annals check my-story.ron       validate a store
  annals list --actor russia      the events an actor is in
  annals export -f md -o b.md     a briefing of every event
  annals completions bash > ~/.local/share/bash-completion/completions/annals
  annals man | man -l -           the manual page";

pub const CHECK: &str = "\
Examples:
  annals check                    the built-in store: its counts
  annals check my-story.ron       every problem as FILE:LINE:COLUMN: error: ...
  annals check --json my-story.ron";

pub const LIST: &str = "\
Examples:
  annals list --place \"airbase 101\" --from 2024-03 --to 2024-05
  annals list --actor russia --actor russian-military --place niamey
  annals list --kind sponsored        events quoting a sponsored source
  annals list --text \"uranium iran\"   events holding both words
  annals list --disputed --json";

pub const DISPUTES: &str = "\
Examples:
  annals disputes
  annals disputes --actor russia --json";

pub const SOURCES: &str = "\
Examples:
  annals sources
  annals sources --overlap            copies and rewrites, recorded or not
  annals sources --json my-story.ron";

pub const SEARCH: &str = "\
Examples:
  annals search \"abse 101\"
  annals search my-story.ron russ --limit 5 --json
  annals search wagner --explain      why each result ranks where it does";

pub const IMPORT: &str = "\
Examples:
  annals import acled events.csv -o sahel.ron
  annals import timesketch host.jsonl -o host.ron
  annals import timelinejs story.timeline.json -o story.ron
  annals import csv notes.csv --map date=when,title=what,quote=text -o notes.ron
  annals import gdelt 20240315.export.CSV -o gdelt.ron
  annals import gdelt slice.parquet -o gdelt.ron
  annals import parquet table.parquet --map date=day,title=headline,quote=text -o t.ron
  annals import acled events.csv --dry-run";

pub const EXPORT: &str = "\
Examples:
  annals export --place \"airbase 101\" --format md -o briefing.md
  annals export --ids coup,putin-call --format csv -o -
  annals export --actor russia --format ron -o russia.ron
  annals export --format csv --bom -o niger.csv
  annals export my-story.ron --story case -f md -o case.md";

pub const STORIES: &str = "\
Examples:
  annals stories my-story.ron
  annals stories my-story.ron --json";

pub const NEW: &str = "\
Examples:
  annals new floods.ron --title \"Floods of 2024\"";

pub const ADD_SOURCE: &str = "\
Examples:
  annals add-source floods.ron article.txt --outlet \"River Gazette\" \\
      --title \"Waters rise\" --published 2024-05-02
  annals add-source floods.ron copy.txt --outlet Post --title \"Waters rise again\" \\
      --based-on waters-rise --derivation copy";

pub const ADD_EVENT: &str = "\
Examples:
  annals add-event floods.ron --date 2024-05 --title \"River floods Alda\" \\
      --quote 'waters-rise:The river burst its banks' --actor \"Water agency\" \\
      --new-place Alda:town --tag flood";

pub const CONFIG: &str = "\
Examples:
  annals config                       check the settings file
  annals config --path
  annals config --print-default > ~/.config/annals/config.toml";

pub const CACHE: &str = "\
Examples:
  annals cache
  annals cache --clear";

pub const COMPLETIONS: &str = "\
Examples:
  annals completions bash > ~/.local/share/bash-completion/completions/annals
  annals completions zsh > ~/.zfunc/_annals    (fpath+=~/.zfunc in ~/.zshrc)
  annals completions fish > ~/.config/fish/completions/annals.fish
  annals completions powershell >> $PROFILE";

pub const MAN: &str = "\
Examples:
  annals man | man -l -
  annals man > ~/.local/share/man/man1/annals.1";
