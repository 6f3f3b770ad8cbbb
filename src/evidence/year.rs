//! Years as dates write them (EDTF): four digits from `0000` to `9999`,
//! signed before `0000` (`-3500`, `-0044`), and beyond four digits with
//! EDTF's `Y`, a year alone (`Y12000`, `Y-12000`), up to `MAX_YEAR`
//! either side; and years in TimelineJS3's English words ("3500 BCE").
//! A year is kept as written, never renumbered.

use std::fmt;

use super::date::{DateError, MONTH_NAMES, PartialDate, clip};

/// The furthest year from 0000 annals takes, either side: `Y999999`,
/// `Y-999999`. Day numbers stay far inside `i64` (and years inside `i32`
/// after a step of one year either way).
pub const MAX_YEAR: i32 = 999_999;

/// A year as a date writes it (EDTF): `2024`, `0044`, `-0044`, `-3500`,
/// and beyond four digits with EDTF's `Y`: `Y12000`, `Y-12000`.
pub fn year_text(year: i32) -> String {
    let mut s = String::new();
    let _ = write_year(&mut s, year);
    s
}

pub(super) fn write_year(f: &mut impl fmt::Write, year: i32) -> fmt::Result {
    let abs = year.unsigned_abs();
    let sign = if year < 0 { "-" } else { "" };
    if abs > 9999 {
        write!(f, "Y{sign}{abs}")
    } else {
        write!(f, "{sign}{abs:04}")
    }
}

/// How many characters `year_text` writes.
pub(super) fn year_len(year: i32) -> usize {
    let abs = year.unsigned_abs();
    let digits = abs.checked_ilog10().map_or(1, |l| l as usize + 1);
    usize::from(year < 0) + if abs > 9999 { 1 + digits } else { 4 }
}

/// The year of a date as written: `2024`, `-0044`, `Y12000`, `Y-12000`.
/// Returns the year and whether it was written with `Y` (a year alone).
pub(super) fn parse_year(part: &str, text: &str) -> Result<(i32, bool), DateError> {
    let year_err = |why| DateError::Year {
        text: clip(text),
        why,
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(y) = part.strip_prefix('Y') {
        let (neg, abs) = match y.strip_prefix('-') {
            Some(a) => (true, a),
            None => (false, y),
        };
        if !digits(abs) {
            return Err(DateError::Format(clip(text)));
        }
        if abs.len() <= 4 || abs.starts_with('0') {
            return Err(year_err(
                "EDTF's Y is for years beyond four digits (Y12000); write a shorter year as 2024 or -0044",
            ));
        }
        return match abs.parse::<i32>() {
            Ok(a) if abs.len() <= 6 && a <= MAX_YEAR => Ok((if neg { -a } else { a }, true)),
            _ => Err(year_err("annals takes years from Y-999999 to Y999999")),
        };
    }
    let (neg, abs) = match part.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, part),
    };
    if !digits(abs) {
        return Err(DateError::Format(clip(text)));
    }
    if abs.len() > 4 {
        return Err(year_err(
            "a year beyond four digits is written with EDTF's Y, alone: Y12000, Y-12000",
        ));
    }
    if abs.len() < 4 {
        return Err(DateError::Format(clip(text)));
    }
    // Four digits: cannot overflow.
    let a: i32 = abs.parse().map_err(|_| DateError::Format(clip(text)))?;
    if neg && a == 0 {
        return Err(year_err("-0000 is not a year: year 0 is written 0000"));
    }
    Ok((if neg { -a } else { a }, false))
}

/// A year in words as TimelineJS3 shows it (in English): the number, and
/// before year 0000 its magnitude and "BCE" (`-3500` is "3500 BCE",
/// `-0044` "44 BCE"; `0000` is "0"). TimelineJS3 puts the sign's "BCE" on
/// the number as written, without renumbering, and so does annals.
pub fn year_words(year: i32) -> String {
    if year < 0 {
        format!("{} BCE", year.unsigned_abs())
    } else {
        year.to_string()
    }
}

/// A date before year 0000 in TimelineJS3's English words, as annals'
/// TimelineJS export writes them ("3500 BCE", "March 44 BCE", "March 15,
/// 44 BCE"), as a date (`-3500`, `-0044-03`, `-0044-03-15`): the inverse
/// of `year_words`. `None` for anything else.
pub fn read_bce_words(text: &str) -> Option<String> {
    let rest = text.trim().strip_suffix(" BCE")?.trim_end();
    let (before, year) = match rest.rsplit_once(' ') {
        Some((b, y)) => (b.trim_end().strip_suffix(',').unwrap_or(b), y),
        None => ("", rest),
    };
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(year, 6) || year.starts_with('0') {
        return None;
    }
    let year = -year.parse::<i32>().ok()?;
    let month = |m: &str| MONTH_NAMES.iter().position(|n| *n == m).map(|i| i + 1);
    let text = match before.split_whitespace().collect::<Vec<_>>().as_slice() {
        [] => year_text(year),
        [m] => format!("{}-{:02}", year_text(year), month(m)?),
        [m, d] if digits(d, 2) => format!("{}-{:02}-{d:0>2}", year_text(year), month(m)?),
        _ => return None,
    };
    PartialDate::parse(&text).is_ok().then_some(text)
}

/// A date as annals writes it (`-0044-03-15`), or in TimelineJS3's words
/// for a year before 0000 (`March 15, 44 BCE`, read by `read_bce_words`),
/// as annals writes it; `None` for anything else. For importers.
pub fn written_or_bce_words(text: &str) -> Option<String> {
    match crate::evidence::date::Date::parse(text) {
        Ok(_) => Some(text.to_string()),
        Err(_) => read_bce_words(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::date::{Date, DaySpan, Precision, iso_day};

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn u(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn signed_years_parse_and_print_as_written() {
        for s in [
            "-3500",
            "-0044-03-15",
            "~-0044-03",
            "0000",
            "-0001",
            "Y12000",
            "Y-12000",
            "Y999999",
            "Y-999999",
            "[-3500..-3000]",
            "[..-0044-03-15]",
            "[Y-12000..-9999]",
        ] {
            assert_eq!(u(s).to_string(), s, "{s}");
            assert_eq!(u(s).text_len(), s.len(), "{s}");
        }
        assert_eq!(d("-0044-03-15").year, -44);
        assert_eq!(d("Y-12000").year, -12_000);
        assert_eq!(d("-0044~"), d("~-0044"));
        assert_eq!(d("-3500").precision(), Precision::Year);
        assert_eq!(year_text(-44), "-0044");
        assert_eq!(year_text(12_000), "Y12000");
        assert_eq!(year_text(7), "0007");
    }

    #[test]
    fn signed_years_refuse_what_edtf_does_not_write() {
        let year_err = |s: &str| match PartialDate::parse(s) {
            Err(DateError::Year { why, .. }) => why,
            other => panic!("{s:?}: {other:?}"),
        };
        // Out of bounds, and said so.
        assert!(year_err("Y1000000").contains("Y-999999 to Y999999"));
        assert!(year_err("Y-1000000").contains("Y-999999 to Y999999"));
        assert!(year_err("Y99999999999999999999").contains("Y999999"));
        // Beyond four digits only with Y; Y only beyond four digits.
        assert!(year_err("12000").contains("EDTF's Y"));
        assert!(year_err("-12000").contains("EDTF's Y"));
        assert!(year_err("Y2024").contains("beyond four digits"));
        assert!(year_err("Y012000").contains("beyond four digits"));
        assert!(year_err("Y12000-03").contains("no month or day"));
        assert!(year_err("-0000").contains("0000"));
        for bad in [
            "Y",
            "Y-",
            "-",
            "~-",
            "Y--12000",
            "Y+12000",
            "+2024",
            "-0044-3",
            "-0044-02-30",
            "Y12a00",
            "-y2024",
            "- 0044",
            "Y 12000",
        ] {
            assert!(
                PartialDate::parse(bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
        let msg = PartialDate::parse("-0045-02-29").unwrap_err().to_string();
        assert!(msg.contains("February -0045 has 28 days"), "{msg}");
    }

    #[test]
    fn signed_years_count_days_and_leap_years_across_year_zero() {
        // Year 0 and -0004 are leap years (proleptic Gregorian, astronomical);
        // -0001 and -0100 are not; -0400 is.
        for ok in ["0000-02-29", "-0004-02-29", "-0400-02-29"] {
            assert!(PartialDate::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["-0001-02-29", "-0100-02-29"] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
        // The last day of -0001 is the day before the first of 0000.
        assert_eq!(d("-0001").last_day() + 1, d("0000").first_day());
        assert_eq!(d("0000").last_day() - d("0000").first_day(), 365);
        // 1 January of year 1 is day -719162 (ISO 8601).
        assert_eq!(d("0001-01-01").first_day(), -719_162);
        for s in ["-3500-01-01", "-0044-03-15", "0000-02-29", "-0001-12-31"] {
            assert_eq!(iso_day(d(s).first_day()), s);
        }
        assert_eq!(iso_day(d("Y12000").first_day()), "+12000-01-01");
        assert_eq!(iso_day(d("Y-12000").last_day()), "-12000-12-31");
        // The extremes: no overflow, and still in order.
        let (lo, hi) = (d("Y-999999"), d("Y999999"));
        assert_eq!(iso_day(lo.first_day()), "-999999-01-01");
        assert_eq!(iso_day(hi.last_day()), "+999999-12-31");
        assert!(lo.first_day() < d("-9999").first_day());
        assert!(hi.last_day() > d("9999-12-31").last_day());
        assert_eq!(iso_day(i64::MIN).len(), iso_day(i64::MIN).trim().len());
        let _ = iso_day(i64::MAX);
    }

    #[test]
    fn signed_years_order_before_the_common_era() {
        let mut dates: Vec<Date> = [
            "2024",
            "0000",
            "-0001",
            "Y-12000",
            "-0044-03-15",
            "-0044",
            "-3500",
            "[..-3000]",
            "Y12000",
            "~-3500",
        ]
        .into_iter()
        .map(u)
        .collect();
        dates.sort();
        let shown: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            [
                "Y-12000",
                "-3500",
                "~-3500",
                "[..-3000]",
                "-0044",
                "-0044-03-15",
                "-0001",
                "0000",
                "2024",
                "Y12000"
            ]
        );
        assert_eq!(u("[-3500..-3400]").year_month(), (-3500, None));
        assert_eq!(u("-0044-03-15").year_month(), (-44, Some(3)));
        // A filter from -3000 shows -2999 and not -3001.
        let from = DaySpan {
            first: d("-3000").first_day(),
            last: i64::MAX,
        };
        assert!(DaySpan::of(&u("-2999"), None).overlaps(&from));
        assert!(!DaySpan::of(&u("-3001"), None).overlaps(&from));
        assert!(DaySpan::of(&u("[..-3000-01]"), None).overlaps(&from));
    }

    #[test]
    fn years_before_0000_in_timelinejs_words() {
        assert_eq!(year_words(-3500), "3500 BCE");
        assert_eq!(year_words(-44), "44 BCE");
        assert_eq!(year_words(0), "0");
        assert_eq!(year_words(2024), "2024");
        for (words, date) in [
            ("3500 BCE", "-3500"),
            ("March 44 BCE", "-0044-03"),
            ("March 15, 44 BCE", "-0044-03-15"),
            ("12000 BCE", "Y-12000"),
        ] {
            assert_eq!(read_bce_words(words).as_deref(), Some(date), "{words}");
        }
        for not in [
            "3500",
            "BCE",
            " BCE",
            "0 BCE",
            "044 BCE",
            "March 12000 BCE",
            "Brumaire 44 BCE",
            "February 30, 44 BCE",
            "1000000 BCE",
            "-44 BCE",
            "3500 BC",
        ] {
            assert_eq!(read_bce_words(not), None, "{not}");
        }
    }
}
