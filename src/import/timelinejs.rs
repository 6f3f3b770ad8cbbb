//! TimelineJS3: its JSON (`title`, `events`, `eras`) or its Google-Sheet
//! CSV (Year, Month, Day, Time, End Year, …, Headline, Text, Media, Media
//! Credit, …, Type, Group, Background), told apart by the first character
//! (`{` is JSON).
//!
//! Dates: `start_date`/`end_date` at their own precision: a year alone is
//! the year, with a month the month, with a day the day; times are
//! dropped. A `display_date` in the words annals' export writes ("c. July
//! 2023", "Between February 2023 and 2024", "On or after March 15, 2024",
//! "On or before December 2023") whose date agrees with the date's parts is
//! read back as that date, so approximate and uncertain dates survive an
//! export and import; any other `display_date` is kept in the summary.
//!
//! Fields: `text.headline` is the title (on one line: `<br>` becomes a
//! space), `text.text` the summary (paragraphs kept); a slide without a
//! headline takes the first sentence of its text (or of the quote in its
//! media) as its title, tagged `title-from-text`. `media.url`, when a web
//! address, is the URL of a source of its own (one per URL and caption,
//! titled by the caption) which the slide's event quotes; a `<blockquote>`
//! media is a quote, verbatim, in the event's evidence. `media.credit` is
//! said in the summary; `group` is a tag (annals' "(untagged)" is not);
//! `unique_id` the event id when unused. The title slide's headline is the
//! store's title and its text the store's description. An era that repeats
//! an event (same headline, start and end: annals' older exports wrote one
//! per event that lasts) is dropped; other eras become events over their
//! span, tagged `era`, which the export writes back as eras. Every other
//! field is counted in the summary as not kept, with the reason.
//!
//! Evidence: the timeline is the source. Slides without a media URL quote
//! one source for the file (`kind: Other`, outlet "TimelineJS timeline")
//! whose text is their headlines (or texts, without one) and blockquotes,
//! one paragraph each; slides with one quote the source of that URL, whose
//! text holds theirs.

use std::collections::{HashMap, HashSet};
use std::io::{BufReader, Read};

use serde_json::Value;

use super::csv::{Header, read_error};
pub use super::text::html_to_text;
use super::text::{first_sentence, one_line, title_from};
use super::{Builder, first_byte, read_date, slug};
use crate::evidence::date::Date;
use crate::export::{DERIVED_TITLE_TAG, ERA_TAG};
use crate::store::{EventRec, QuoteRec, SourceKind, SourceRec};

/// The outlet of the sources an import of TimelineJS makes.
const OUTLET: &str = "TimelineJS timeline";

/// A TimelineJS date's parts as written (`year`, `month`, `day`).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
struct Parts {
    year: String,
    month: String,
    day: String,
}

impl Parts {
    fn of(v: &Value) -> Parts {
        let part = |k: &str| match &v[k] {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        Parts {
            year: part("year"),
            month: part("month"),
            day: part("day"),
        }
    }

    fn is_empty(&self) -> bool {
        self.year.is_empty()
    }

    /// The date at the precision given: `2024`, `2024-03`, `2024-03-15`.
    fn date(&self) -> Result<String, String> {
        let num = |s: &str| s.parse::<i64>().ok();
        // Signed years as TimelineJS3 takes them (`-3500`), kept as written.
        let y = num(&self.year)
            .and_then(|y| i32::try_from(y).ok())
            .filter(|y| y.unsigned_abs() <= crate::evidence::date::MAX_YEAR.unsigned_abs())
            .ok_or_else(|| {
                format!(
                    "year {:?} is not a year annals can write (-999999 to 999999)",
                    self.year
                )
            })?;
        let mut text = crate::evidence::date::year_text(y);
        if !self.month.is_empty() {
            let m = num(&self.month)
                .ok_or_else(|| format!("month {:?} is not a number", self.month))?;
            text.push_str(&format!("-{m:02}"));
            if !self.day.is_empty() {
                let d =
                    num(&self.day).ok_or_else(|| format!("day {:?} is not a number", self.day))?;
                text.push_str(&format!("-{d:02}"));
            }
        } else if !self.day.is_empty() {
            return Err("a day without a month".into());
        }
        Date::parse(&text).map_err(|e| e.to_string())?;
        Ok(text)
    }
}

/// A slide's media, as written (HTML kept: `url` may be a blockquote).
#[derive(Default)]
struct Media {
    url: String,
    caption: String,
    credit: String,
    thumbnail: String,
    link: String,
}

/// What a media's `url` is.
enum MediaUse {
    None,
    /// A web address: the URL of the source the slide's event quotes.
    Web(String),
    /// A `<blockquote>`: its text, a quote, and the `link` when it is a
    /// web address.
    Quote {
        text: String,
        link: Option<String>,
    },
    /// Anything else (an `<iframe>`, a relative path): not kept.
    Other,
}

/// `http://`, `https://` or `//`, and no spaces: a URL a source can keep.
fn is_web(url: &str) -> bool {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//"))
        && u.len() > 8
        && !u.contains(char::is_whitespace)
}

impl Media {
    fn of(v: &Value) -> Media {
        let s = |k: &str| v[k].as_str().unwrap_or("").trim().to_string();
        Media {
            url: s("url"),
            caption: s("caption"),
            credit: s("credit"),
            thumbnail: s("thumbnail"),
            link: s("link"),
        }
    }

    fn kind(&self) -> MediaUse {
        if self.url.is_empty() {
            MediaUse::None
        } else if self.url.to_ascii_lowercase().contains("<blockquote") {
            let text = html_to_text(&self.url);
            if text.is_empty() {
                return MediaUse::Other;
            }
            MediaUse::Quote {
                text,
                link: is_web(&self.link).then(|| self.link.trim().to_string()),
            }
        } else if is_web(&self.url) {
            MediaUse::Web(self.url.clone())
        } else {
            MediaUse::Other
        }
    }
}

/// One slide, from JSON or a Sheet row.
#[derive(Default)]
struct Slide {
    start: Parts,
    end: Parts,
    display_date: String,
    end_display: String,
    /// One line: `<br>` and paragraphs become spaces.
    headline: String,
    /// Paragraphs kept, one a line.
    text: String,
    media: Media,
    group: String,
    unique_id: String,
    /// "", "title" or "era".
    kind: String,
    /// From a Google Sheet: fields are named by its columns.
    sheet: bool,
    /// Fields given that annals has no place for (`background`,
    /// `start_date.hour`, `autolink`, unknown ones), by name.
    unread: Vec<String>,
}

/// The keys of a JSON object not in `known`, as `prefix.key`.
fn unknown_keys(v: &Value, prefix: &str, known: &[&str], out: &mut Vec<String>) {
    if let Some(obj) = v.as_object() {
        for (k, val) in obj {
            let empty = val.is_null() || val.as_str().is_some_and(|s| s.trim().is_empty());
            if !known.contains(&k.as_str()) && !empty && out.len() < 64 {
                out.push(if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                });
            }
        }
    }
}

impl Slide {
    fn of(v: &Value, kind: &str) -> Slide {
        let s = |v: &Value| v.as_str().unwrap_or("").to_string();
        let mut unread = Vec::new();
        unknown_keys(
            v,
            "",
            &[
                "start_date",
                "end_date",
                "display_date",
                "text",
                "media",
                "group",
                "unique_id",
            ],
            &mut unread,
        );
        let date_keys = ["year", "month", "day", "display_date"];
        unknown_keys(&v["start_date"], "start_date", &date_keys, &mut unread);
        unknown_keys(&v["end_date"], "end_date", &date_keys, &mut unread);
        unknown_keys(&v["text"], "text", &["headline", "text"], &mut unread);
        let media_keys = ["url", "caption", "credit", "thumbnail", "link"];
        unknown_keys(&v["media"], "media", &media_keys, &mut unread);
        let mut display_date = s(&v["start_date"]["display_date"]);
        if display_date.trim().is_empty() {
            // TimelineJS also takes the label at the slide's level.
            display_date = s(&v["display_date"]);
        }
        Slide {
            start: Parts::of(&v["start_date"]),
            end: Parts::of(&v["end_date"]),
            display_date,
            end_display: s(&v["end_date"]["display_date"]),
            headline: one_line(&html_to_text(&s(&v["text"]["headline"]))),
            text: html_to_text(&s(&v["text"]["text"])),
            media: Media::of(&v["media"]),
            group: one_line(&html_to_text(&s(&v["group"]))),
            unique_id: s(&v["unique_id"]),
            kind: kind.into(),
            sheet: false,
            unread,
        }
    }

    /// What the input calls `field` (a JSON path): a Sheet's column name.
    fn label(&self, field: &'static str) -> &'static str {
        if !self.sheet {
            return field;
        }
        match field {
            "text.headline" => "Headline",
            "text.text" => "Text",
            "media.url" => "Media",
            "media.credit" => "Media Credit",
            "media.caption" => "Media Caption",
            "media.thumbnail" => "Media Thumbnail",
            "media.link" => "Media Link",
            "group" => "Group",
            "start_date.display_date" => "Display Date",
            "end_date.display_date" => "End Display Date",
            "unique_id" => "Unique Id",
            other => other,
        }
    }
}

/// Why a field annals has no place for is not kept.
fn unread_why(field: &str) -> &'static str {
    let leaf = field.rsplit('.').next().unwrap_or(field);
    match leaf {
        "hour" | "minute" | "second" | "millisecond" | "Time" | "End Time" => {
            "annals dates are days: times are dropped"
        }
        "format" => "annals keeps the date, not how TimelineJS formats it",
        "background" | "Background" => "annals has no field for a slide's background",
        "autolink" | "link_target" => "a display option of TimelineJS",
        "alt" | "title" => "annals has no field for a media's alternative text or title",
        _ => "annals has no field for it",
    }
}

/// annals' words for a date ("c. July 2023", "Between … and …") as the
/// date they stand for.
fn date_in_words(words: &str) -> Option<String> {
    let one = |w: &str| -> Option<String> {
        let w = w.trim();
        match w.strip_prefix("c. ") {
            Some(rest) => Some(format!(
                "~{}",
                read_date(rest).filter(|d| !d.contains(['~', '[']))?
            )),
            None => read_date(w).filter(|d| !d.contains(['~', '['])),
        }
    };
    let w = words.trim();
    if let Some(r) = w.strip_prefix("Between ") {
        let (a, b) = r.split_once(" and ")?;
        Some(format!("[{}..{}]", one(a)?, one(b)?))
    } else if let Some(r) = w.strip_prefix("On or after ") {
        Some(format!("[{}..]", one(r)?))
    } else if let Some(r) = w.strip_prefix("On or before ") {
        Some(format!("[..{}]", one(r)?))
    } else {
        one(w)
    }
}

/// The date of a slide bound: `display_date` when it is annals' words for
/// a date anchored where `parts` say, else the parts.
fn slide_date(parts: &Parts, display: &str) -> Result<(String, bool), String> {
    let plain = parts.date()?;
    if let Some(d) = date_in_words(display)
        && let Ok(date) = Date::parse(&d)
        && date.anchor().to_string().trim_start_matches('~') == plain
    {
        return Ok((d, true));
    }
    Ok((plain, false))
}

/// What the slides share while they are read.
struct Ctx {
    /// The file's own source: slides without a media URL quote it.
    file_src: usize,
    /// A source per media URL and caption.
    media: HashMap<(String, String), usize>,
    /// Slides whose title was taken from their text.
    derived: usize,
    /// Dates read from annals' words.
    words: usize,
}

pub(super) fn read<R: Read>(
    input: R,
    name: &str,
    b: &mut Builder,
) -> Result<Option<String>, String> {
    let mut r = BufReader::new(input);
    let json = first_byte(&mut r).map_err(|e| crate::export::plain_io(&e))? == Some(b'{');
    let slides: Vec<Slide> = if json {
        b.set_unit("slide");
        let mut bytes = Vec::new();
        r.read_to_end(&mut bytes)
            .map_err(|e| crate::export::plain_io(&e))?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            format!(
                "invalid UTF-8 at byte {}: the file must be UTF-8 text",
                e.valid_up_to()
            )
        })?;
        let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| format!("not TimelineJS JSON: {e}"))?;
        let events = v["events"]
            .as_array()
            .ok_or("not TimelineJS JSON: no \"events\" list")?;
        let mut top = Vec::new();
        unknown_keys(&v, "", &["title", "events", "eras"], &mut top);
        for field in top {
            b.lost(
                &field,
                "a setting of the whole timeline, which annals has no field for",
            );
        }
        let mut slides = Vec::new();
        if v["title"].is_object() {
            slides.push(Slide::of(&v["title"], "title"));
        }
        slides.extend(events.iter().map(|e| Slide::of(e, "")));
        if let Some(eras) = v["eras"].as_array() {
            slides.extend(eras.iter().map(|e| Slide::of(e, "era")));
        }
        slides
    } else {
        b.set_unit("row");
        sheet(r)?
    };
    let file = std::path::Path::new(name)
        .file_name()
        .map_or(name.to_string(), |f| f.to_string_lossy().into_owned());
    let file_src = b.growing_source(SourceRec {
        id: "timelinejs".into(),
        outlet: OUTLET.into(),
        title: file.into(),
        published: None,
        url: None,
        kind: SourceKind::Other,
        author: None,
        language: None,
        based_on: None,
        original: None,
        derivation: None,
        text: Default::default(),
    });
    let mut ctx = Ctx {
        file_src,
        media: HashMap::new(),
        derived: 0,
        words: 0,
    };
    let mut title = None;
    // Headline, start and end of each event: an era repeating one is dropped.
    let mut spans: HashSet<(String, Parts, Parts)> = HashSet::new();
    // JSON slides are numbered from 1 in order (title first); Sheet rows as
    // a spreadsheet does (the header is row 1).
    let first = if json { 1 } else { 2 };
    for (i, s) in slides.iter().enumerate() {
        let row = i + first;
        if s.kind == "title" {
            title_slide(b, s, &mut title);
            continue;
        }
        b.row();
        if s.kind == "era" {
            if spans.contains(&(s.headline.clone(), s.start.clone(), s.end.clone())) {
                b.lost(
                    "eras",
                    "repeats a slide's headline, start and end (as annals' exports before 0.27 wrote one per lasting event)",
                );
                continue;
            }
        } else {
            spans.insert((s.headline.clone(), s.start.clone(), s.end.clone()));
        }
        if let Err(reason) = slide(b, &mut ctx, s) {
            b.skip(row, reason);
        }
    }
    if ctx.words > 0 {
        b.note(format!(
            "{} dates were read from display_date (annals' words for approximate or uncertain dates)",
            ctx.words
        ));
    }
    if ctx.derived > 0 {
        b.note(format!(
            "{} slides have no headline: each title is the first sentence of the slide's text (or of the quote in its media), quoted from it, and the event is tagged {DERIVED_TITLE_TAG}, as a store has no field to mark a title as derived",
            ctx.derived
        ));
    }
    Ok(title)
}

/// The title slide: its headline names the store, its text describes it;
/// it is no event, so nothing else of it is kept.
fn title_slide(b: &mut Builder, s: &Slide, title: &mut Option<String>) {
    if !s.headline.is_empty() {
        *title = Some(s.headline.clone());
        b.kept(
            &title_label(s, "text.headline"),
            "as the store's title (the title slide)",
        );
    }
    if !s.text.is_empty() {
        // `finish` keeps the description set here.
        b.store.meta.description = s.text.as_str().into();
        b.kept(
            &title_label(s, "text.text"),
            "as the store's description (the title slide)",
        );
    }
    let why = "the title slide, which is no event: nothing in the store cites it";
    for (field, value) in [
        ("media.url", &s.media.url),
        ("media.caption", &s.media.caption),
        ("media.credit", &s.media.credit),
        ("media.thumbnail", &s.media.thumbnail),
        ("media.link", &s.media.link),
    ] {
        if !value.is_empty() {
            b.lost(&title_label(s, field), why);
        }
    }
    for field in &s.unread {
        b.lost(&title_label(s, field), unread_why(field));
    }
}

/// A field of the title slide, told apart from the events' own.
fn title_label(s: &Slide, field: &str) -> String {
    if s.sheet {
        let known = [
            "text.headline",
            "text.text",
            "media.url",
            "media.credit",
            "media.caption",
            "media.thumbnail",
            "media.link",
        ];
        let label = known
            .into_iter()
            .find(|&k| k == field)
            .map_or(field, |k| s.label(k));
        format!("{label} (title row)")
    } else {
        format!("title.{field}")
    }
}

/// The source for a media URL (and caption): the timeline citing it.
fn media_source(b: &mut Builder, ctx: &mut Ctx, url: &str, caption: &str) -> usize {
    let key = (url.to_string(), caption.to_string());
    if let Some(&i) = ctx.media.get(&key) {
        return i;
    }
    let tail = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let i = b.growing_source(SourceRec {
        id: format!("media-{}", slug(tail)).into(),
        outlet: OUTLET.into(),
        title: if caption.is_empty() { url } else { caption }.into(),
        published: None,
        url: Some(url.into()),
        kind: SourceKind::Other,
        author: None,
        language: None,
        based_on: None,
        original: None,
        derivation: None,
        text: Default::default(),
    });
    ctx.media.insert(key, i);
    i
}

/// Where a slide's title comes from.
#[derive(PartialEq)]
enum TitleFrom {
    Headline,
    Text,
    Quote,
}

/// Adds one slide as an event; every field it has is counted as kept or
/// not. Nothing is added when it fails.
fn slide(b: &mut Builder, ctx: &mut Ctx, s: &Slide) -> Result<(), String> {
    let media = s.media.kind();
    let from = if !s.headline.is_empty() {
        TitleFrom::Headline
    } else if !s.text.is_empty() {
        TitleFrom::Text
    } else if matches!(media, MediaUse::Quote { .. }) {
        TitleFrom::Quote
    } else {
        return Err("empty: no headline, text or quote".into());
    };
    if s.start.is_empty() {
        return Err("no start_date year".into());
    }
    let (date, words) = slide_date(&s.start, &s.display_date)?;
    let (end, end_words) = if s.end.is_empty() {
        (None, false)
    } else {
        let (e, w) = slide_date(&s.end, &s.end_display)?;
        let (Ok(a), Ok(z)) = (Date::parse(&date), Date::parse(&e)) else {
            return Err("bad end date".into());
        };
        if z.last_day() < a.first_day() {
            return Err(format!("end_date {e} is before start_date {date}"));
        }
        (Some(e), w)
    };
    ctx.words += usize::from(words) + usize::from(end_words);

    // The slide's text, in the summary; a dated label that is not annals'
    // words, and the media's credit and caption when no source holds it.
    let mut summary = Vec::new();
    if !s.text.is_empty() {
        summary.push(s.text.clone());
        b.kept(s.label("text.text"), "as the event's summary");
    }
    for (field, shown, read, label) in [
        (
            "start_date.display_date",
            &s.display_date,
            words,
            "Shown as",
        ),
        (
            "end_date.display_date",
            &s.end_display,
            end_words,
            "End shown as",
        ),
    ] {
        let shown = one_line(shown);
        if read {
            b.kept(
                &format!("{} (annals' words)", s.label(field)),
                "as the date they stand for",
            );
        } else if !shown.is_empty() {
            summary.push(format!("{label}: {shown}"));
            b.kept(s.label(field), "in the event's summary (\"Shown as: …\")");
        }
    }
    let credit = one_line(&html_to_text(&s.media.credit));
    if !credit.is_empty() {
        summary.push(format!("Media credit: {credit}"));
        b.kept(
            s.label("media.credit"),
            "in the event's summary (\"Media credit: …\")",
        );
    }
    let caption = one_line(&html_to_text(&s.media.caption));

    // The source the slide's words are quoted from: its media's URL (or a
    // quote's link) when it has one, else the file.
    let cited = match &media {
        MediaUse::Web(url) => Some(url.clone()),
        MediaUse::Quote { link, .. } => link.clone(),
        _ => None,
    };
    let cite = match &cited {
        Some(url) => {
            if !caption.is_empty() {
                b.kept(
                    s.label("media.caption"),
                    "as the title of the source holding the media's URL",
                );
            }
            media_source(b, ctx, url, &caption)
        }
        None => {
            if !caption.is_empty() {
                summary.push(format!("Media caption: {caption}"));
                b.kept(
                    &format!("{} (no media URL)", s.label("media.caption")),
                    "in the event's summary (\"Media caption: …\")",
                );
            }
            ctx.file_src
        }
    };
    match &media {
        MediaUse::None => {}
        MediaUse::Web(_) => b.kept(
            s.label("media.url"),
            "as the URL of the source the event quotes",
        ),
        MediaUse::Quote { .. } => b.kept(
            &format!("{} (a blockquote)", s.label("media.url")),
            "as a quote (a blockquote), verbatim, in the event's evidence",
        ),
        MediaUse::Other => b.lost(
            s.label("media.url"),
            "not a web address (an <iframe>, a relative path): a source cannot keep it",
        ),
    }
    if !s.media.link.is_empty() {
        match &media {
            MediaUse::Quote { link: Some(_), .. } => b.kept(
                s.label("media.link"),
                "as the URL of the source holding the quote",
            ),
            _ => b.lost(
                s.label("media.link"),
                "a source keeps one URL: the media's own (or the link is not a web address)",
            ),
        }
    }
    if !s.media.thumbnail.is_empty() {
        b.lost(s.label("media.thumbnail"), "annals has no field for images");
    }
    for field in &s.unread {
        b.lost(field, unread_why(field));
    }

    let mut tags = Vec::new();
    if !s.group.is_empty() {
        if s.group == crate::export::UNTAGGED_GROUP {
            b.lost(
                s.label("group"),
                "annals' own label for events without a tag, not a tag",
            );
        } else {
            tags.push(b.shared(&s.group));
            b.kept(s.label("group"), "as the event's first tag");
        }
    }
    if s.kind == "era" {
        tags.push(b.shared(ERA_TAG));
        b.kept("eras", "as events over their span, tagged era");
    }
    let title = match from {
        TitleFrom::Headline => {
            b.kept(s.label("text.headline"), "as the event's title");
            s.headline.clone()
        }
        TitleFrom::Text => title_from(first_sentence(&s.text)),
        TitleFrom::Quote => match &media {
            MediaUse::Quote { text, .. } => title_from(first_sentence(text)),
            _ => unreachable!("a title from a quote needs one"),
        },
    };
    if from != TitleFrom::Headline {
        ctx.derived += 1;
        tags.push(b.shared(DERIVED_TITLE_TAG));
    }
    let id = match b.take_id(&s.unique_id) {
        Some(id) => {
            b.kept(s.label("unique_id"), "as the event's id");
            id
        }
        None => {
            if !s.unique_id.trim().is_empty() {
                b.lost(
                    s.label("unique_id"),
                    "already the id of another record: a fresh id was made",
                );
            }
            b.fresh_id(&slug(&title))
        }
    };

    // Evidence: the headline (or the text's first sentence) from the
    // source cited, and a quote held in the media.
    let mut evidence = Vec::new();
    match from {
        TitleFrom::Headline => {
            let (source, quote) = b.append(cite, &s.headline);
            evidence.push(QuoteRec { source, quote });
        }
        TitleFrom::Text => {
            let (source, _) = b.append(cite, &s.text);
            let quote = first_sentence(&s.text).into();
            evidence.push(QuoteRec { source, quote });
        }
        TitleFrom::Quote => {}
    }
    if let MediaUse::Quote { text, .. } = &media {
        let (source, quote) = b.append(cite, text);
        evidence.push(QuoteRec { source, quote });
    }
    b.event(EventRec {
        id,
        date: date.into(),
        end: end.map(Into::into),
        title: title.into(),
        summary: (!summary.is_empty()).then(|| summary.join("\n").into()),
        tags,
        actors: vec![],
        places: vec![],
        evidence,
    });
    Ok(())
}

/// The Google-Sheet layout, row by row.
fn sheet<R: Read>(r: R) -> Result<Vec<Slide>, String> {
    let mut rdr = ::csv::ReaderBuilder::new().flexible(true).from_reader(r);
    let h = Header::of(&mut rdr)?;
    let missing: Vec<&str> = ["Year", "Headline"]
        .into_iter()
        .filter(|c| h.col(c).is_none())
        .collect();
    h.require(&missing)?;
    let mut rec = ::csv::StringRecord::new();
    let mut out = Vec::new();
    while rdr.read_record(&mut rec).map_err(read_error)? {
        let g = |c: &str| h.get(&rec, c).trim().to_string();
        let unread = ["Time", "End Time", "Background"]
            .into_iter()
            .filter(|c| !g(c).is_empty())
            .map(String::from)
            .collect();
        out.push(Slide {
            start: Parts {
                year: g("Year"),
                month: g("Month"),
                day: g("Day"),
            },
            end: Parts {
                year: g("End Year"),
                month: g("End Month"),
                day: g("End Day"),
            },
            display_date: g("Display Date"),
            end_display: String::new(),
            headline: one_line(&html_to_text(&g("Headline"))),
            text: html_to_text(&g("Text")),
            media: Media {
                url: g("Media"),
                caption: g("Media Caption"),
                credit: g("Media Credit"),
                thumbnail: g("Media Thumbnail"),
                link: String::new(),
            },
            group: one_line(&html_to_text(&g("Group"))),
            unique_id: String::new(),
            kind: g("Type").to_ascii_lowercase(),
            sheet: true,
            unread,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            html_to_text("<p>A &amp; B</p><blockquote>“x”&nbsp;y</blockquote><p>— Z &#8217;s</p>"),
            "A & B\n“x” y\n— Z ’s"
        );
        assert_eq!(html_to_text("a < b"), "a < b");
    }

    #[test]
    fn annals_words_read_back_as_dates() {
        assert_eq!(date_in_words("c. July 2023").as_deref(), Some("~2023-07"));
        assert_eq!(
            date_in_words("Between c. July 2023 and September 19, 2023").as_deref(),
            Some("[~2023-07..2023-09-19]")
        );
        assert_eq!(
            date_in_words("On or after c. March 15, 2024").as_deref(),
            Some("[~2024-03-15..]")
        );
        assert_eq!(
            date_in_words("On or before December 2023").as_deref(),
            Some("[..2023-12]")
        );
        assert_eq!(date_in_words("the rainy season"), None);
    }
}
