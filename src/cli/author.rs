//! `annals new` and `annals add-source`: the command line over
//! `annals::author`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use annals::author::{self, NewSource};
use annals::evidence::overlap;
use annals::io::atomic;
use annals::io::atomic::Written;
use annals::io::safe::safe;
use annals::store::Derivation;

use super::out::{fail, report, say};

/// Articles larger than this are refused: a store holds articles, not dumps.
const MAX_ARTICLE_BYTES: u64 = 64 << 20;
/// A store edited in place is read whole; past this it is not a store one
/// adds articles to by hand.
const MAX_STORE_BYTES: u64 = 4 << 30;

#[derive(clap::Args, Debug)]
pub struct AddSourceArgs {
    /// The store to add the article to
    pub store: PathBuf,
    /// The article as text (UTF-8), whole
    pub file: PathBuf,
    /// Who published it
    #[arg(long)]
    pub outlet: String,
    /// Its headline
    #[arg(long)]
    pub title: String,
    /// When it was published
    ///
    /// 2024, 2024-03 or 2024-03-15; ~ for about (~2024-03).
    #[arg(long)]
    pub published: Option<String>,
    /// Where it can be read
    #[arg(long)]
    pub url: Option<String>,
    /// Its kind (default: news)
    ///
    /// news, sponsored, official statement, press release, report,
    /// opinion, reference, book, archive, dataset or other.
    #[arg(long)]
    pub kind: Option<String>,
    /// The source's id (default: from the title)
    #[arg(long)]
    pub id: Option<String>,
    /// The byline, as printed
    #[arg(long)]
    pub author: Option<String>,
    /// The text's language (BCP 47: en, fr)
    #[arg(long)]
    pub language: Option<String>,
    /// A stored source this one was made from
    ///
    /// The id of a stored source this one is a copy, rewrite, summary or
    /// translation of (written as based_on).
    #[arg(long, value_name = "ID")]
    pub based_on: Option<String>,
    /// With --based-on: how it was made from it
    ///
    /// rewrite (default), copy, summary, translation or excerpt.
    #[arg(long, requires = "based_on")]
    pub derivation: Option<String>,
}

fn shown(p: &Path) -> String {
    safe(&p.display().to_string())
}

pub fn new(path: &Path, title: &str, force: bool) -> ExitCode {
    let text = author::new_store(title);
    match atomic::write_atomic(path, text.as_bytes(), force) {
        Ok(_) => {
            say(&format!(
                "wrote {} (add articles with annals add-source, then check it with annals check)",
                shown(path)
            ));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("cannot write {}: {}", shown(path), e.reason())),
    }
}

pub fn add_source(a: &AddSourceArgs) -> ExitCode {
    let store_text = match annals::io::read::read_text_bounded(&a.store, MAX_STORE_BYTES) {
        Ok(Some(t)) => t,
        Ok(None) => return fail(&format!("cannot read {}: no such file", shown(&a.store))),
        Err(e) => return fail(&format!("cannot read {e}")),
    };
    // The store must load now, so that what breaks it later is this edit.
    let model = match annals::load_str(&store_text, &a.store.display().to_string()) {
        Ok(m) => m,
        Err(e) => {
            say("annals: the store has problems; fix them before adding a source:");
            return report(&e);
        }
    };
    let text = match read_article(&a.file) {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    if let Some(s) = model.sources.iter().find(|s| s.text.as_str() == text) {
        return fail(&format!(
            "{} is already in the store, as source {:?}",
            shown(&a.file),
            s.id.as_str()
        ));
    }
    let taken: Vec<&str> = model.sources.iter().map(|s| s.id.as_str()).collect();
    let id = match &a.id {
        Some(id) if taken.contains(&id.as_str()) => {
            return fail(&format!(
                "the store already has a source with the id {id:?}"
            ));
        }
        Some(id) => id.clone(),
        None => author::source_id(&a.title, &taken),
    };
    let kind = match &a.kind {
        None => Default::default(),
        Some(k) => match annals::filter::resolve_kind(k) {
            Ok(k) => k,
            Err(e) => return fail(&e.to_string()),
        },
    };
    if let Some(d) = &a.published
        && let Err(e) = annals::Date::parse(d)
    {
        return fail(&format!("--published {d:?}: {e}"));
    }
    let derivation = match lineage(a, &model) {
        Ok(d) => d,
        Err(e) => return fail(&e),
    };
    tell_overlaps(&text, &model, a.based_on.as_deref());
    let source = NewSource {
        id: id.clone(),
        outlet: a.outlet.clone(),
        title: a.title.clone(),
        published: a.published.clone(),
        url: a.url.clone(),
        kind,
        author: a.author.clone(),
        language: a.language.clone(),
        based_on: a.based_on.clone(),
        derivation,
        text,
    };
    let updated = match author::add_source(&store_text, &source) {
        Ok(t) => t,
        Err(e) => return fail(&format!("cannot add to {}: {e}", shown(&a.store))),
    };
    // Checked before anything is written: the file is never left broken.
    if let Err(e) = annals::load_str(&updated, &a.store.display().to_string()) {
        say("annals: the store would not load with this source; nothing was written:");
        return report(&e);
    }
    if let Err(e) = atomic::check_editable(&a.store) {
        return fail(&e);
    }
    match atomic::write_atomic(&a.store, updated.as_bytes(), true) {
        Ok(Written::Atomically) | Ok(Written::Directly) => {
            say(&format!("added source {:?} to {}", id, shown(&a.store)));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("cannot write {}: {}", shown(&a.store), e.reason())),
    }
}

/// `--based-on` names a stored source; `--derivation` is one of the
/// format's.
fn lineage(a: &AddSourceArgs, model: &annals::Model) -> Result<Option<Derivation>, String> {
    if let Some(up) = &a.based_on
        && !matches!(model.entity(up), Some(annals::model::Entity::Source(_)))
    {
        let ids: Vec<&str> = model.sources.iter().map(|s| s.id.as_str()).collect();
        return Err(format!(
            "--based-on {up:?}: the store has no source with that id (its sources: {})",
            ids.join(", ")
        ));
    }
    let Some(d) = &a.derivation else {
        return Ok(None);
    };
    const ALL: [Derivation; 5] = [
        Derivation::Rewrite,
        Derivation::Copy,
        Derivation::Summary,
        Derivation::Translation,
        Derivation::Excerpt,
    ];
    ALL.into_iter()
        .find(|k| k.label().eq_ignore_ascii_case(d.trim()))
        .map(Some)
        .ok_or_else(|| {
            format!("--derivation {d:?}: expected rewrite, copy, summary, translation or excerpt")
        })
}

/// Says which stored sources the new article shares much with, and how
/// to record it as a copy: the article is written all the same (scripts
/// call this; nothing waits for an answer).
fn tell_overlaps(text: &str, model: &annals::Model, based_on: Option<&str>) {
    for o in overlap::against_store(text, model, None) {
        let s = model.source(o.other);
        let title: String = s.title.chars().take(60).collect();
        let cut = if title.len() < s.title.len() {
            "…"
        } else {
            ""
        };
        let advice = if based_on == Some(s.id.as_str()) {
            "recorded with --based-on".to_string()
        } else {
            format!(
                "if it is a copy, give its record based_on: {:?} (next time, --based-on {} does it)",
                s.id.as_str(),
                s.id
            )
        };
        say(&format!(
            "annals: the article shares {:.0}% of its sentences ({} of {}) with {:?} ({}): {}",
            o.share() * 100.0,
            o.shared_sentences,
            o.sentences,
            safe(&format!("{title}{cut}")),
            safe(&s.id),
            safe(&advice),
        ));
    }
}

/// The article's text: UTF-8, at most MAX_ARTICLE_BYTES, not empty.
fn read_article(path: &Path) -> Result<String, String> {
    let bytes = match annals::io::read::read_bounded(path, MAX_ARTICLE_BYTES) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(format!("cannot read {}: no such file", shown(path))),
        Err(e) => return Err(format!("cannot read {}", safe(&e.to_string()))),
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (byte {} is not); convert it first",
            shown(path),
            e.utf8_error().valid_up_to()
        )
    })?;
    // A store holds no NUL byte (the loader refuses the file): an article
    // with one is refused here, before the store is touched.
    if let Some(at) = text.find('\0') {
        return Err(format!(
            "{} has a NUL byte (at byte {at}): it is not plain text; convert it first",
            shown(path)
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    if text.trim().is_empty() {
        return Err(format!("{} is empty", shown(path)));
    }
    Ok(text)
}
