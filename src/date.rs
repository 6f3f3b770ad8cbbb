//! Partial dates: `2024`, `2024-04`, `2024-04-19`, each optionally `~`-prefixed
//! (approximate). A date keeps the precision it was written with.

use std::cmp::Ordering;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
        "expected a date like 2024, 2024-04 or 2024-04-19 (optionally prefixed with ~), found {0:?}"
    )]
    Format(String),
    #[error("month {month} does not exist in {text:?}")]
    Month { text: String, month: u32 },
    #[error("{text:?} is not a real day: {month:02} of {year} has {max} days")]
    Day {
        text: String,
        year: i32,
        month: u8,
        max: u8,
    },
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
        let format_err = || DateError::Format(text.to_string());
        let trimmed = text.trim();
        let (approximate, rest) = match trimmed.strip_prefix('~') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, trimmed),
        };
        let mut parts = rest.split('-');
        let year_part = parts.next().ok_or_else(format_err)?;
        if year_part.len() != 4 || !year_part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format_err());
        }
        let year: i32 = year_part.parse().map_err(|_| format_err())?;
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
                    text: text.to_string(),
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
                        text: text.to_string(),
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
        write!(f, "{:04}", self.year)?;
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

    pub fn of(start: &PartialDate, end: Option<&PartialDate>) -> Self {
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
            "-2024",
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
        let march = DaySpan::of(&d("2024-03"), None);
        assert!(march.overlaps(&DaySpan::of(&d("2024-03-31"), None)));
        assert!(!march.overlaps(&DaySpan::of(&d("2024-04-01"), None)));
        assert!(march.overlaps(&DaySpan::of(&d("2024"), None)));
        let leap = DaySpan::of(&d("2024-02"), None);
        assert_eq!(leap.last - leap.first, 28);
        assert_eq!(d("1970-01-01").first_day(), 0);
        assert_eq!(d("2000-03-01").first_day(), 11_017);
    }
}
