//! TimelineJS3: its JSON (`title`, `events`, `eras`) or its Google-Sheet
//! CSV (Year, Month, Day, Time, End Year, …, Headline, Text, Media, Media
//! Credit, …, Type, Group, Background), told apart by the first character
//! (`{` is JSON).
//!
//! Dates: `start_date`/`end_date` at their own precision: a year alone is
//! the year, with a month the month, with a day the day; times are
//! dropped. A `display_date` in the words annals' export writes ("c. July
//! 2023", "Between February 2023 and 2024", "On or after March 15, 2024",
//! "On or before December 2023") whose date agrees with `start_date` is
//! read back as that date, so approximate and uncertain dates survive an
//! export and import; any other `display_date` is kept in the summary.
//!
//! Fields: `text.headline` is the title, `text.text` the summary, both with
//! HTML reduced to text; `media.credit` is said in the summary; `group` is
//! a tag (annals' "(untagged)" is not); `unique_id` the event id when
//! unused. The title slide's headline is the store's title. An era that
//! repeats an event (same headline, start and end: annals writes one per
//! event that lasts) is dropped; other eras become events over their span,
//! tagged "era".
//!
//! Evidence: one source for the file (`kind: Other`, outlet "TimelineJS
//! timeline") whose text is every slide's headline, one paragraph each;
//! each event quotes its headline.

use std::collections::HashSet;
use std::io::{BufReader, Read};

use serde_json::Value;

use super::csv::{Header, read_error};
use super::{Builder, first_byte, read_date, slug};
use crate::evidence::date::Date;
use crate::store::{EventRec, QuoteRec, SourceKind, SourceRec};

/// Text from HTML: tags removed (block ends become line breaks), entities
/// decoded, spaces collapsed within lines.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        match after.find('>') {
            Some(gt) => {
                let tag = after[1..gt]
                    .trim_start_matches('/')
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if matches!(
                    tag.as_str(),
                    "p" | "br"
                        | "div"
                        | "blockquote"
                        | "li"
                        | "ul"
                        | "ol"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "tr"
                ) {
                    out.push('\n');
                }
                rest = &after[gt + 1..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                n if n.starts_with("#x") || n.starts_with("#X") => {
                    char::from_u32(u32::from_str_radix(&n[2..], 16).ok()?)?
                }
                n if n.starts_with('#') => char::from_u32(n[1..].parse().ok()?)?,
                _ => return None,
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

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

/// One slide, from JSON or a Sheet row.
#[derive(Default)]
struct Slide {
    start: Parts,
    end: Parts,
    display_date: String,
    headline: String,
    text: String,
    credit: String,
    group: String,
    unique_id: String,
    /// "", "title" or "era".
    kind: String,
}

impl Slide {
    fn of(v: &Value, kind: &str) -> Slide {
        let s = |v: &Value| v.as_str().unwrap_or("").to_string();
        Slide {
            start: Parts::of(&v["start_date"]),
            end: Parts::of(&v["end_date"]),
            display_date: s(&v["start_date"]["display_date"]),
            headline: html_to_text(&s(&v["text"]["headline"])),
            text: html_to_text(&s(&v["text"]["text"])),
            credit: html_to_text(&s(&v["media"]["credit"])),
            group: html_to_text(&s(&v["group"])),
            unique_id: s(&v["unique_id"]),
            kind: kind.into(),
        }
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
    let src = b.growing_source(SourceRec {
        id: "timelinejs".into(),
        outlet: "TimelineJS timeline".into(),
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
    let mut title = None;
    // Headline, start and end of each event: an era repeating one is dropped.
    let mut spans: HashSet<(String, Parts, Parts)> = HashSet::new();
    let mut kept_words = 0usize;
    // JSON slides are numbered from 1 in order (title first); Sheet rows as
    // a spreadsheet does (the header is row 1).
    let first = if json { 1 } else { 2 };
    for (i, s) in slides.iter().enumerate() {
        let row = i + first;
        if s.kind == "title" {
            if !s.headline.is_empty() {
                title = Some(s.headline.clone());
            }
            continue;
        }
        b.row();
        if s.kind == "era" {
            if spans.contains(&(s.headline.clone(), s.start.clone(), s.end.clone())) {
                continue;
            }
        } else {
            spans.insert((s.headline.clone(), s.start.clone(), s.end.clone()));
        }
        match slide(b, src, s) {
            Ok(words_used) => kept_words += usize::from(words_used),
            Err(reason) => b.skip(row, reason),
        }
    }
    if kept_words > 0 {
        b.note(format!(
            "{kept_words} dates were read from display_date (annals' words for approximate or uncertain dates)"
        ));
    }
    Ok(title)
}

/// Adds one slide as an event; `Ok(true)` when its date came from its words.
fn slide(b: &mut Builder, src: usize, s: &Slide) -> Result<bool, String> {
    if s.headline.is_empty() {
        return Err("empty headline".into());
    }
    if s.start.is_empty() {
        return Err("no start_date year".into());
    }
    let (date, words) = slide_date(&s.start, &s.display_date)?;
    let end = if s.end.is_empty() {
        None
    } else {
        let e = s.end.date()?;
        let (Ok(a), Ok(z)) = (Date::parse(&date), Date::parse(&e)) else {
            return Err("bad end date".into());
        };
        if z.last_day() < a.first_day() {
            return Err(format!("end_date {e} is before start_date {date}"));
        }
        Some(e)
    };
    let mut summary = Vec::new();
    if !s.text.is_empty() {
        summary.push(s.text.clone());
    }
    if !words && !s.display_date.trim().is_empty() {
        summary.push(format!("Shown as: {}", s.display_date.trim()));
    }
    if !s.credit.is_empty() {
        summary.push(format!("Media credit: {}", s.credit));
    }
    let mut tags = Vec::new();
    if !s.group.is_empty() && s.group != crate::export::UNTAGGED_GROUP {
        tags.push(b.shared(&s.group));
    }
    if s.kind == "era" {
        tags.push(b.shared("era"));
    }
    let id = match b.take_id(&s.unique_id) {
        Some(id) => id,
        None => b.fresh_id(&slug(&s.headline)),
    };
    let (source, quote) = b.append(src, &s.headline);
    b.event(EventRec {
        id,
        date: date.into(),
        end: end.map(Into::into),
        title: s.headline.as_str().into(),
        summary: (!summary.is_empty()).then(|| summary.join("\n").into()),
        tags,
        actors: vec![],
        places: vec![],
        evidence: vec![QuoteRec { source, quote }],
    });
    Ok(words)
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
        let g = |c: &str| h.get(&rec, c).to_string();
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
            headline: html_to_text(&g("Headline")),
            text: html_to_text(&g("Text")),
            credit: html_to_text(&g("Media Credit")),
            group: html_to_text(&g("Group")),
            unique_id: String::new(),
            kind: g("Type").to_ascii_lowercase(),
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
