//! Dates as stores write them. A partial date: `2024`, `2024-04`,
//! `2024-04-19`, each optionally approximate (`~2024-04`, or EDTF's
//! `2024-04~`). An uncertain date, known only to lie between two bounds,
//! in EDTF's "one of a set" notation: `[2024-03-15..2024-05]`,
//! `[2024-03-15..]` (on or after), `[..2023-12]` (on or before). A date
//! keeps the precision it was written with.
//!
//! Years are EDTF's: four digits (`0000` to `9999`), signed before year
//! 0000 (`-3500`, `-0044-03-15`), and beyond four digits a year alone with
//! EDTF's `Y` (`Y12000`, `Y-12000`), up to `MAX_YEAR` either side. The
//! number is kept as written: annals never renumbers a year. Days are
//! counted on the proleptic Gregorian calendar with a year 0 (as ISO 8601
//! and JavaScript count them), so `-0004` is a leap year.

use std::cmp::Ordering;
use std::fmt;

pub use super::year::{MAX_YEAR, read_bce_words, year_text, year_words};
use super::year::{parse_year, write_year, year_len};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Precision {
    Year,
    Month,
    Day,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        }
    }
}

/// A date known to a year, a month or a day.
/// Serialize/Deserialize: field by field, for the load cache only (a
/// store writes dates as text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct PartialDate {
    pub year: i32,
    /// 1-12 when known.
    pub month: Option<u8>,
    /// 1-31 when known (only with a month).
    pub day: Option<u8>,
    pub approximate: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error(
        "expected a date like 2024, 2024-04, 2024-04-19 or -0044-03-15 (optionally prefixed with ~), found {0:?}"
    )]
    Format(String),
    #[error("{text:?}: {why}")]
    Year { text: String, why: &'static str },
    #[error(
        "expected an uncertain date like [2024-03-15..2024-05], [2024-03-15..] or [..2023-12], found {0:?}"
    )]
    Range(String),
    #[error("an uncertain date needs at least one bound, found {0:?}")]
    NoBound(String),
    #[error("{text:?}: the earliest bound {lo} is after the latest {hi}")]
    Order {
        text: String,
        lo: String,
        hi: String,
    },
    #[error("month {month} does not exist in {text:?}")]
    Month { text: String, month: u32 },
    #[error("{text:?} is not a real day: {} {} has {max} days", MONTH_NAMES[(*month as usize).clamp(1, 12) - 1], year_text(*year))]
    Day {
        text: String,
        year: i32,
        month: u8,
        max: u8,
    },
}

/// Month names, for messages.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as written, for an error message: cut short when it is long.
pub(super) fn clip(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
            approximate: false,
        }
    }

    pub fn parse(text: &str) -> Result<Self, DateError> {
        let format_err = || DateError::Format(clip(text));
        let trimmed = text.trim();
        let (approximate, rest) = match trimmed.strip_prefix('~') {
            Some(rest) => (true, rest.trim_start()),
            None => match trimmed.strip_suffix('~') {
                // EDTF writes the qualifier after the date.
                Some(rest) => (true, rest.trim_end()),
                None => (false, trimmed),
            },
        };
        // A year before 0000 starts with its sign; so does EDTF's `Y-12000`.
        let (sign, unsigned) = match rest.strip_prefix('-') {
            Some(r) => (1, r),
            None => match rest.strip_prefix("Y-") {
                Some(r) => (2, r),
                None => (0, rest),
            },
        };
        let mut parts = unsigned.split('-');
        let first = parts.next().ok_or_else(format_err)?;
        let year_part = &rest[..sign + first.len()];
        let (year, lettered) = parse_year(year_part, text)?;
        if lettered && unsigned.len() != first.len() {
            // EDTF's Y years are years alone.
            return Err(DateError::Year {
                text: clip(text),
                why: "a year written with EDTF's Y takes no month or day",
            });
        }
        let mut number = |len: usize| -> Result<Option<u32>, DateError> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Some(p.parse().map_err(|_| format_err())?))
                }
                Some(_) => Err(format_err()),
            }
        };
        let month = number(2)?;
        let day = number(2)?;
        if parts.next().is_some() {
            return Err(format_err());
        }
        let month = match month {
            None => None,
            Some(m) if (1..=12).contains(&m) => Some(m as u8),
            Some(m) => {
                return Err(DateError::Month {
                    text: clip(text),
                    month: m,
                });
            }
        };
        let day = match (month, day) {
            (_, None) => None,
            (Some(m), Some(d)) => {
                let max = days_in_month(year, m);
                if d == 0 || d > u32::from(max) {
                    return Err(DateError::Day {
                        text: clip(text),
                        year,
                        month: m,
                        max,
                    });
                }
                Some(d as u8)
            }
            (None, Some(_)) => return Err(format_err()),
        };
        Ok(PartialDate {
            year,
            month,
            day,
            approximate,
        })
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// First day covered, as days since 1970-01-01.
    pub fn first_day(&self) -> i64 {
        days_from_civil(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Last day covered, as days since 1970-01-01.
    pub fn last_day(&self) -> i64 {
        match (self.month, self.day) {
            (Some(m), Some(d)) => days_from_civil(self.year, m, d),
            (Some(m), None) => days_from_civil(self.year, m, days_in_month(self.year, m)),
            _ => days_from_civil(self.year, 12, 31),
        }
    }

    /// The sort key of chronological order: by first day, then the wider span
    /// first (a year heading before the months in it), then exact before approximate.
    pub fn sort_key(&self) -> (i64, Precision, bool) {
        (self.first_day(), self.precision(), self.approximate)
    }

    /// How many characters `to_string` writes (without writing it).
    pub fn text_len(&self) -> usize {
        year_len(self.year)
            + usize::from(self.approximate)
            + 3 * usize::from(self.month.is_some())
            + 3 * usize::from(self.day.is_some())
    }

    /// Year and month, for grouping under headings.
    pub fn year_month(&self) -> (i32, Option<u8>) {
        (self.year, self.month)
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.approximate {
            f.write_str("~")?;
        }
        write_year(f, self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for PartialDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PartialDate::parse(s)
    }
}

/// The day `days` after 1970-01-01 as `YYYY-MM-DD` (the inverse of
/// `days_from_civil`), for machine-readable output: signed before year
/// 0000 (`-3500-01-01`), and beyond four digits signed always
/// (`+12000-01-01`, `-12000-12-31`, ISO 8601's expanded years). Any
/// `i64` is safe: days far outside annals' years are clamped to them.
pub fn iso_day(days: i64) -> String {
    // Beyond ±2 million years, no date annals reads; keeps the sums in range.
    let z = days.clamp(-800_000_000, 800_000_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    match year {
        // As a date writes it: `2024-03-15`, `-0044-03-15`.
        -9999..=9999 => {
            let sign = if year < 0 { "-" } else { "" };
            format!("{sign}{:04}-{month:02}-{day:02}", year.abs())
        }
        // ISO 8601's expanded years, sign always written: `+12000-01-01`.
        _ => format!("{year:+}-{month:02}-{day:02}"),
    }
}

/// A date as a store writes it: known to a year, month or day, or only
/// known to lie between two bounds (either may be open).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Date {
    /// `2024-04`, `~2024-03`.
    On(PartialDate),
    /// `[lo..hi]`: some time from the first day of `lo` to the last of `hi`.
    Between(PartialDate, PartialDate),
    /// `[lo..]`: on or after the first day of `lo`.
    OnOrAfter(PartialDate),
    /// `[..hi]`: on or before the last day of `hi`.
    OnOrBefore(PartialDate),
}

impl Date {
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let trimmed = text.trim();
        let Some(inner) = trimmed.strip_prefix('[') else {
            return PartialDate::parse(text).map(Date::On);
        };
        let range_err = || DateError::Range(clip(text));
        let inner = inner.strip_suffix(']').ok_or_else(range_err)?;
        let (lo, hi) = inner.split_once("..").ok_or_else(range_err)?;
        let bound = |b: &str| -> Result<Option<PartialDate>, DateError> {
            let b = b.trim();
            if b.is_empty() {
                Ok(None)
            } else if b.contains(['[', ']', '.']) {
                Err(range_err())
            } else {
                PartialDate::parse(b).map(Some)
            }
        };
        match (bound(lo)?, bound(hi)?) {
            (None, None) => Err(DateError::NoBound(clip(text))),
            (Some(l), Some(h)) if h.last_day() < l.first_day() => Err(DateError::Order {
                text: clip(text),
                lo: l.to_string(),
                hi: h.to_string(),
            }),
            (Some(l), Some(h)) => Ok(Date::Between(l, h)),
            (Some(l), None) => Ok(Date::OnOrAfter(l)),
            (None, Some(h)) => Ok(Date::OnOrBefore(h)),
        }
    }

    /// The date the order and headings place it by: the date itself, or
    /// the earliest bound, or (when only the latest is known) the latest.
    pub fn anchor(&self) -> PartialDate {
        match *self {
            Date::On(d) | Date::Between(d, _) | Date::OnOrAfter(d) | Date::OnOrBefore(d) => d,
        }
    }

    /// The earliest possible day, `None` when open.
    pub fn earliest(&self) -> Option<i64> {
        match self {
            Date::On(d) | Date::Between(d, _) | Date::OnOrAfter(d) => Some(d.first_day()),
            Date::OnOrBefore(_) => None,
        }
    }

    /// The latest possible day, `None` when open.
    pub fn latest(&self) -> Option<i64> {
        match self {
            Date::On(d) | Date::Between(_, d) | Date::OnOrBefore(d) => Some(d.last_day()),
            Date::OnOrAfter(_) => None,
        }
    }

    /// The earliest possible day; `i64::MIN` when open.
    pub fn first_day(&self) -> i64 {
        self.earliest().unwrap_or(i64::MIN)
    }

    /// The latest possible day; `i64::MAX` when open.
    pub fn last_day(&self) -> i64 {
        self.latest().unwrap_or(i64::MAX)
    }

    /// How many characters `to_string` writes (without writing it).
    pub fn text_len(&self) -> usize {
        match self {
            Date::On(d) => d.text_len(),
            Date::Between(lo, hi) => 4 + lo.text_len() + hi.text_len(),
            Date::OnOrAfter(d) | Date::OnOrBefore(d) => 4 + d.text_len(),
        }
    }

    pub fn is_uncertain(&self) -> bool {
        !matches!(self, Date::On(_))
    }

    /// `year`, `month`, `day`, or `between` for an uncertain date.
    pub fn precision_label(&self) -> &'static str {
        match self {
            Date::On(d) => d.precision().as_str(),
            _ => "between",
        }
    }

    /// The sort key of chronological order: by the anchor's first day;
    /// then the wider span first; then exact, approximate, on-or-after,
    /// on-or-before, so a date never moves ahead of what it is written as.
    pub fn sort_key(&self) -> (i64, Precision, u8) {
        let a = self.anchor();
        let rank = match self {
            Date::On(_) => 0,
            Date::Between(..) | Date::OnOrAfter(_) => 2,
            Date::OnOrBefore(_) => 4,
        } + u8::from(a.approximate);
        (a.first_day(), a.precision(), rank)
    }

    /// The heading a date is listed under: its year and month when the
    /// whole possible range lies in one month, its year when in one year,
    /// else the anchor's year. Never more precise than written.
    pub fn year_month(&self) -> (i32, Option<u8>) {
        match *self {
            Date::On(d) => d.year_month(),
            Date::Between(lo, hi) if lo.year == hi.year => {
                let month = if lo.month.is_some() && lo.month == hi.month {
                    lo.month
                } else {
                    None
                };
                (lo.year, month)
            }
            _ => (self.anchor().year, None),
        }
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Date::On(d) => d.fmt(f),
            Date::Between(lo, hi) => write!(f, "[{lo}..{hi}]"),
            Date::OnOrAfter(lo) => write!(f, "[{lo}..]"),
            Date::OnOrBefore(hi) => write!(f, "[..{hi}]"),
        }
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl From<PartialDate> for Date {
    fn from(d: PartialDate) -> Self {
        Date::On(d)
    }
}

/// An event's date as shown: its start, and its end when it has one
/// (`1904-05-04 → 1914-08-15`).
pub fn span_label(start: &Date, end: Option<&Date>) -> String {
    match end {
        Some(end) => format!("{start} → {end}"),
        None => start.to_string(),
    }
}

/// How many characters `span_label` writes (without writing it).
pub fn span_label_len(start: &Date, end: Option<&Date>) -> usize {
    start.text_len() + end.map_or(0, |e| 3 + e.text_len())
}

/// A closed range of days, for "as it stood on" and date-range filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DaySpan {
    pub first: i64,
    pub last: i64,
}

impl DaySpan {
    pub const ALL: DaySpan = DaySpan {
        first: i64::MIN,
        last: i64::MAX,
    };

    /// The days from the earliest possible start to the latest possible
    /// end (open bounds reach `i64::MIN` or `i64::MAX`).
    pub fn of(start: &Date, end: Option<&Date>) -> Self {
        DaySpan {
            first: start.first_day(),
            last: end.unwrap_or(start).last_day(),
        }
    }

    pub fn overlaps(&self, other: &DaySpan) -> bool {
        self.first <= other.last && other.first <= self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn u(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn uncertain_dates_parse_and_print_as_written() {
        for s in [
            "[2024-03-15..2024-05]",
            "[2024-03-15..]",
            "[..2023-12]",
            "[~2024-03-15..]",
            "[2023..~2024-02]",
            "[1903-11-03..1903-11-03]",
        ] {
            assert_eq!(u(s).to_string(), s);
            assert_eq!(u(s).text_len(), s.len(), "{s}");
            assert!(u(s).is_uncertain());
        }
        assert_eq!(u("[2024-03-15..]"), Date::OnOrAfter(d("2024-03-15")));
        assert_eq!(u("[..2023-12]"), Date::OnOrBefore(d("2023-12")));
        assert_eq!(
            u(" [ 2024-03 .. 2024-05 ] "),
            Date::Between(d("2024-03"), d("2024-05"))
        );
        // Today's forms still mean what they meant, and EDTF's suffix `~` too.
        assert_eq!(u("~1903-11-03"), Date::On(d("~1903-11-03")));
        assert_eq!(u("1903-11-03~"), u("~1903-11-03"));
        assert_eq!(u("~1903-11-03").to_string(), "~1903-11-03");
        for s in ["2024", "~2024-03", "2024-04-19"] {
            assert_eq!(u(s).to_string(), s);
            assert_eq!(u(s).text_len(), s.len());
            assert!(!u(s).is_uncertain());
        }
    }

    #[test]
    fn uncertain_dates_reject_bad_bounds() {
        let err = |s: &str| Date::parse(s).unwrap_err();
        assert!(matches!(err("[..]"), DateError::NoBound(_)));
        assert!(matches!(
            err("[2024-05..2024-03-15]"),
            DateError::Order { .. }
        ));
        assert!(
            err("[2024-05..2024-03-15]")
                .to_string()
                .contains("after the latest 2024-03-15")
        );
        assert!(matches!(
            err("[2023-02-30..]"),
            DateError::Day { max: 28, .. }
        ));
        assert!(matches!(
            err("[..2023-13]"),
            DateError::Month { month: 13, .. }
        ));
        for bad in [
            "[2024",
            "2024]",
            "[2024-2025]",
            "[2024...2025]",
            "[[2024..2025]]",
            "[2024..2025..2026]",
            "[2024/2025]",
            "[March..April]",
            "~[2024..2025]",
            "~2024~",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        // Bounds of the same span in either order of precision are fine.
        assert!(Date::parse("[2024-03..2024-03-01]").is_ok());
    }

    #[test]
    fn possible_days_of_each_form() {
        let day = |s: &str| d(s).first_day();
        let between = u("[2024-03-15..2024-05]");
        assert_eq!(between.earliest(), Some(day("2024-03-15")));
        assert_eq!(between.latest(), Some(day("2024-05-31")));
        let after = u("[2024-03-15..]");
        assert_eq!(
            (after.earliest(), after.latest()),
            (Some(day("2024-03-15")), None)
        );
        assert_eq!(after.last_day(), i64::MAX);
        let before = u("[..2023-12]");
        assert_eq!(
            (before.earliest(), before.latest()),
            (None, Some(day("2023-12-31")))
        );
        assert_eq!(before.first_day(), i64::MIN);
        // An event lasting from an uncertain start to an uncertain end.
        let span = DaySpan::of(&u("[..2023-12]"), Some(&u("[2024-03-15..2024-05]")));
        assert_eq!((span.first, span.last), (i64::MIN, day("2024-05-31")));
        // Filters overlap the possible range.
        let april = DaySpan::of(&u("2024-04"), None);
        assert!(DaySpan::of(&between, None).overlaps(&april));
        assert!(DaySpan::of(&after, None).overlaps(&april));
        assert!(!DaySpan::of(&before, None).overlaps(&april));
        assert_eq!(iso_day(day("2024-03-15")), "2024-03-15");
        assert_eq!(iso_day(day("1903-11-03")), "1903-11-03");
        assert_eq!(iso_day(day("2000-02-29")), "2000-02-29");
        assert_eq!(iso_day(0), "1970-01-01");
    }

    #[test]
    fn chronological_order_places_uncertain_dates_by_their_anchor() {
        let mut dates: Vec<Date> = [
            "[..2024-03]",
            "2024-04",
            "[2024-03-15..]",
            "~2024-03",
            "[2024-03..2024-05]",
            "2024-03",
            "2024-03-15",
            "[~2024-03-15..]",
            "2024",
        ]
        .into_iter()
        .map(u)
        .collect();
        dates.sort();
        let shown: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            [
                "2024",
                "2024-03",
                "~2024-03",
                "[2024-03..2024-05]",
                "[..2024-03]",
                "2024-03-15",
                "[2024-03-15..]",
                "[~2024-03-15..]",
                "2024-04",
            ]
        );
    }

    #[test]
    fn headings_are_never_more_precise_than_the_date() {
        assert_eq!(u("[2024-03-15..2024-03-20]").year_month(), (2024, Some(3)));
        assert_eq!(u("[2024-03-15..2024-05]").year_month(), (2024, None));
        assert_eq!(u("[2023-11..2024-02]").year_month(), (2023, None));
        assert_eq!(u("[2024-03-15..]").year_month(), (2024, None));
        assert_eq!(u("[..2023-12]").year_month(), (2023, None));
        assert_eq!(u("[2024..2024-03]").year_month(), (2024, None));
        assert_eq!(u("~2024-03").year_month(), (2024, Some(3)));
    }

    #[test]
    fn parses_each_precision_and_keeps_it() {
        assert_eq!(d("2024").precision(), Precision::Year);
        assert_eq!(d("2024-04").precision(), Precision::Month);
        assert_eq!(d("2024-04-19").precision(), Precision::Day);
        for s in ["2024", "2024-04", "2024-04-19", "~2024-03", "~1999"] {
            assert_eq!(d(s).to_string(), s);
        }
        assert!(d("~2024-03").approximate);
        assert!(!d("2024-03").approximate);
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        assert!(matches!(
            PartialDate::parse("2023-02-30"),
            Err(DateError::Day { max: 28, .. })
        ));
        assert!(matches!(
            PartialDate::parse("2023-13"),
            Err(DateError::Month { month: 13, .. })
        ));
        assert!(PartialDate::parse("2024-02-29").is_ok());
        assert!(PartialDate::parse("1900-02-29").is_err());
        assert!(PartialDate::parse("2000-02-29").is_ok());
        for bad in [
            "",
            "24",
            "2024-4",
            "2024-04-1",
            "2024/04",
            "2024-04-19-1",
            "March",
            "2024-00",
            "--2024",
            "-24",
            "-02024",
        ] {
            assert!(
                PartialDate::parse(bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
        let msg = PartialDate::parse("2023-02-30").unwrap_err().to_string();
        assert!(msg.contains("28 days"), "{msg}");
    }

    #[test]
    fn order_is_total_across_precisions() {
        let mut dates = [
            d("2024-04-19"),
            d("2024"),
            d("~2024-03"),
            d("2024-03"),
            d("2023-07-26"),
            d("2023-07"),
            d("2024-03-01"),
        ];
        dates.sort();
        let shown: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            [
                "2023-07",
                "2023-07-26",
                "2024",
                "2024-03",
                "~2024-03",
                "2024-03-01",
                "2024-04-19"
            ]
        );
    }

    #[test]
    fn spans_cover_the_written_precision() {
        let march = DaySpan::of(&u("2024-03"), None);
        assert!(march.overlaps(&DaySpan::of(&u("2024-03-31"), None)));
        assert!(!march.overlaps(&DaySpan::of(&u("2024-04-01"), None)));
        assert!(march.overlaps(&DaySpan::of(&u("2024"), None)));
        let leap = DaySpan::of(&u("2024-02"), None);
        assert_eq!(leap.last - leap.first, 28);
        assert_eq!(d("1970-01-01").first_day(), 0);
        assert_eq!(d("2000-03-01").first_day(), 11_017);
    }
}
