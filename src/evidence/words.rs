//! Dates in English words, as TimelineJS3 writes them ("July 26, 2023",
//! "July 2023", "2023"), "c. " before an approximate one, and an uncertain
//! one as "Between … and …", "On or after …" or "On or before …". Never
//! more precise than written: each bound keeps its own precision. The
//! TimelineJS export's `display_date` and the Markdown briefing both write
//! dates with these.

use super::date::{Date, MONTH_NAMES, PartialDate};
use super::year::year_words;

/// A partial date in words, "c. " before it when approximate. A year
/// before 0000 reads as TimelineJS3 shows it: `-3500` is "3500 BCE".
pub fn human(d: PartialDate) -> String {
    let circa = if d.approximate { "c. " } else { "" };
    let year = year_words(d.year);
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{circa}{} {day}, {year}", month_name(m)),
        (Some(m), None) => format!("{circa}{} {year}", month_name(m)),
        _ => format!("{circa}{year}"),
    }
}

fn month_name(m: u8) -> &'static str {
    MONTH_NAMES[(m as usize).clamp(1, 12) - 1]
}

/// What TimelineJS shows for a date that is not exact; `None` for an exact
/// date, which TimelineJS formats itself the same way.
pub fn display_date(date: Date) -> Option<String> {
    match date {
        Date::On(d) if !d.approximate => None,
        Date::On(d) => Some(human(d)),
        Date::Between(lo, hi) => Some(format!("Between {} and {}", human(lo), human(hi))),
        Date::OnOrAfter(lo) => Some(format!("On or after {}", human(lo))),
        Date::OnOrBefore(hi) => Some(format!("On or before {}", human(hi))),
    }
}

/// A date in words, whether exact or not, as it starts a sentence.
pub fn date_words(date: Date) -> String {
    display_date(date).unwrap_or_else(|| human(date.anchor()))
}

/// A date in words within a sentence: "on or after c. March 15, 2024".
pub fn date_words_inline(date: Date) -> String {
    let w = date_words(date);
    for (cap, low) in [("Between ", "between "), ("On or ", "on or ")] {
        if let Some(rest) = w.strip_prefix(cap) {
            return format!("{low}{rest}");
        }
    }
    w
}

/// A start and an optional end in words: "c. July 2023 – September 19,
/// 2023"; the start alone when there is no end or it is the same.
pub fn span_words(start: Date, end: Option<Date>) -> String {
    match end {
        Some(end) if end != start => format!("{} – {}", date_words(start), date_words(end)),
        _ => date_words(start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(s: &str) -> Option<String> {
        display_date(Date::parse(s).unwrap())
    }

    #[test]
    fn display_dates_read_as_words_at_the_written_precision() {
        assert_eq!(shown("2023-07"), None);
        assert_eq!(shown("2023-07-26"), None);
        assert_eq!(shown("~2023-07").as_deref(), Some("c. July 2023"));
        assert_eq!(shown("~2018").as_deref(), Some("c. 2018"));
        assert_eq!(shown("~2023-07-26").as_deref(), Some("c. July 26, 2023"));
        assert_eq!(
            shown("[2023-02..2024]").as_deref(),
            Some("Between February 2023 and 2024")
        );
        assert_eq!(
            shown("[~2023-07..2023-09-19]").as_deref(),
            Some("Between c. July 2023 and September 19, 2023")
        );
        assert_eq!(
            shown("[~2024-03-15..]").as_deref(),
            Some("On or after c. March 15, 2024")
        );
        assert_eq!(
            shown("[..2023-12]").as_deref(),
            Some("On or before December 2023")
        );
    }

    #[test]
    fn words_within_a_sentence_and_spans() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(date_words(d("2023-07")), "July 2023");
        assert_eq!(date_words(d("-0044-03-15")), "March 15, 44 BCE");
        assert_eq!(
            date_words_inline(d("[~2024-03..]")),
            "on or after c. March 2024"
        );
        assert_eq!(date_words_inline(d("~2023-12")), "c. December 2023");
        assert_eq!(
            span_words(d("2023-07-26"), Some(d("[..2023-12]"))),
            "July 26, 2023 – On or before December 2023"
        );
        assert_eq!(span_words(d("2024"), Some(d("2024"))), "2024");
    }
}
