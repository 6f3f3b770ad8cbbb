//! Reading the dates of other tools' files: annals' own forms, dates in
//! words, day-first numbers, slashed dates only when they read one way,
//! ISO datetimes (the day kept, the time given apart), and two-digit years
//! only where the row's evidence settles the century. Every error says
//! why and names the forms read.

use crate::evidence::date::{Date, MONTH_NAMES, PartialDate};

/// The date forms the imports read, named in every date error.
pub const DATE_FORMS: &str = "2024-03-15, 2024-03, 2024, ~2024-03, [2024-03..2024-05], \
15 March 2024, 15-Mar-2024, March 15, 2024, March 2024, 15-03-2024 (day first), \
2024/03/15, 25/06/2024 (when only one reading is a date), \
2024-03-15T10:20:00Z (also with an offset or a space; the time is dropped)";

/// A date read from a cell: annals' form, and the time of day written
/// after it when there was one (dropped: annals dates are days).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateRead {
    pub date: String,
    pub time: Option<String>,
}

/// A date in words or numbers, as annals writes it, or `None`:
/// annals' own forms (`2024`, `2024-03`, `~2024-03`, `[2024-03..2024-05]`),
/// `15 March 2024`, `15-Mar-2024`, `March 15, 2024`, `March 2024`, and
/// `15-03-2024` (day first, as ACLED's codebook writes dd-mm-yyyy). The
/// precision is what was written: never a day that was not given. A date
/// with a time of day or a two-digit year is `None` here: see
/// [`read_date_in`].
pub fn read_date(text: &str) -> Option<String> {
    read_date_in(text, None)
        .ok()
        .filter(|r| r.time.is_none())
        .map(|r| r.date)
}

/// Reads a date as [`read_date`] does, and also an ISO date and time
/// (`2024-03-15T10:20:00Z`, `2024-03-15 10:20:00+02:00`: the day as
/// written kept, the time returned apart), and a two-digit year
/// (`16-Feb-21`) when `year`, evidence from the same row (ACLED's `year`
/// column), settles its century. Never a guessed century: without
/// evidence the error names both readings. The error says why, and names
/// the forms that are read ([`DATE_FORMS`]).
pub fn read_date_in(text: &str, year: Option<i32>) -> Result<DateRead, String> {
    let t = text.trim();
    let fail = |why: String| Err(format!("{why}; dates are read as {DATE_FORMS}"));
    if t.is_empty() {
        return fail("is empty".into());
    }
    // annals' own forms, signed years included, and TimelineJS3's words
    // for years before 0000 ("3500 BCE").
    if let Some(date) = crate::evidence::year::written_or_bce_words(t) {
        return Ok(DateRead { date, time: None });
    }
    if let Some((day, time)) = iso_datetime(t) {
        return Ok(DateRead {
            date: day.to_string(),
            time: Some(time.to_string()),
        });
    }
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let month = |w: &str| -> Option<u8> {
        let w = w.trim_end_matches('.').to_ascii_lowercase();
        if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        MONTH_NAMES
            .iter()
            .position(|m| m.to_ascii_lowercase().starts_with(&w))
            .map(|i| i as u8 + 1)
    };
    let digits = |w: &str, n: usize| w.len() == n && w.bytes().all(|b| b.is_ascii_digit());
    let num = |w: &str| -> Option<u32> {
        (!w.is_empty() && w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    // The years a year cell may mean: itself when written in full; for two
    // digits, the one the row's evidence settles, else both centuries.
    let years = |w: &str| -> Result<Vec<i32>, String> {
        if digits(w, 4) {
            return Ok(vec![w.parse().unwrap_or(0)]);
        }
        if !digits(w, 2) {
            return Err(format!("{t:?} is not a date"));
        }
        let yy: i32 = w.parse().unwrap_or(0);
        match year {
            Some(y) if y.rem_euclid(100) == yy => Ok(vec![y]),
            Some(y) => Err(format!(
                "{t:?} has the two-digit year {w}, which is not the row's year {y}"
            )),
            None => Ok(vec![1900 + yy, 2000 + yy]),
        }
    };
    // Every (day, month) the words may mean, with the years.
    let mut days: Vec<(u32, u8)> = Vec::new();
    let ys: Vec<i32> = match words.as_slice() {
        [a, b, c] if digits(a, 4) => {
            // "2024/03/15": year first is always year, month, day.
            match (num(b), num(c)) {
                (Some(m), Some(d)) if t.contains('/') && (1..=12).contains(&m) => {
                    days.push((d, m as u8))
                }
                _ => {
                    return fail(match Date::parse(t) {
                        Err(e) if !t.contains('/') => format!("{t:?} is not a date: {e}"),
                        _ => format!("{t:?} is not a date"),
                    });
                }
            }
            vec![a.parse().unwrap_or(0)]
        }
        [a, b, c] => {
            match (num(a), month(b), month(a), num(b)) {
                (Some(d), Some(m), _, _) => days.push((d, m)),
                (_, _, Some(m), Some(d)) => days.push((d, m)),
                _ => match (num(a), num(b)) {
                    (Some(x), Some(y)) => {
                        // Day first ("15-03-2024", ACLED's dd-mm-yyyy); with
                        // slashes also month first (U.S.), when it is a date.
                        if (1..=12).contains(&y) {
                            days.push((x, y as u8));
                        }
                        if t.contains('/') && (1..=12).contains(&x) && x != y {
                            days.push((y, x as u8));
                        }
                    }
                    _ => return fail(format!("{t:?} is not a date")),
                },
            }
            match years(c) {
                Ok(ys) => ys,
                Err(why) => return fail(why),
            }
        }
        [m, y] if digits(y, 4) => match month(m) {
            Some(m) => {
                let text = format!("{y}-{m:02}");
                return match Date::parse(&text) {
                    Ok(_) => Ok(DateRead {
                        date: text,
                        time: None,
                    }),
                    Err(e) => fail(format!("{t:?} is not a date: {e}")),
                };
            }
            None => return fail(format!("{t:?} is not a date")),
        },
        _ => {
            return fail(match Date::parse(t) {
                Err(e) if t.starts_with(|c: char| c.is_ascii_digit()) && t.contains('-') => {
                    format!("{t:?} is not a date: {e}")
                }
                _ => format!("{t:?} is not a date"),
            });
        }
    };
    let mut readings: Vec<String> = Vec::new();
    let mut last_error = None;
    for &y in &ys {
        for &(d, m) in &days {
            let text = format!("{y:04}-{m:02}-{d:02}");
            match Date::parse(&text) {
                Ok(_) => readings.push(text),
                Err(e) => last_error = Some(e),
            }
        }
    }
    match readings.as_slice() {
        [one] => Ok(DateRead {
            date: one.clone(),
            time: None,
        }),
        [] => fail(match last_error {
            Some(e) => format!("{t:?} is not a date: {e}"),
            None => format!("{t:?} is not a date"),
        }),
        many => {
            let said: Vec<String> = many.iter().map(|r| reading(r)).collect();
            let why = if ys.len() > 1 {
                "has a two-digit year and nothing in the row gives the century"
            } else {
                "reads both day/month and month/day"
            };
            fail(format!(
                "{t:?} {why}: {}; write the one meant as YYYY-MM-DD",
                said.join(" or ")
            ))
        }
    }
}

/// `2024-08-05 (5 August)`: a reading of an ambiguous date, in words.
fn reading(iso: &str) -> String {
    let month = iso
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTH_NAMES.get(m.wrapping_sub(1)));
    let day = iso.get(8..10).and_then(|d| d.parse::<u32>().ok());
    match (day, month) {
        (Some(d), Some(m)) => format!("{iso} ({d} {m})"),
        _ => iso.to_string(),
    }
}

/// An ISO 8601 date and time, `2024-03-15T10:20:00Z`, `2024-03-15
/// 10:20:00.123+02:00`, `2024-03-15T10:20`: the day and the rest.
fn iso_datetime(t: &str) -> Option<(&str, &str)> {
    let (day, rest) = (t.get(..10)?, t.get(10..)?);
    let time = rest.strip_prefix(['T', 't', ' '])?.trim_start();
    let d = PartialDate::parse(day).ok()?;
    if d.day.is_none() || d.approximate || day.len() != 10 {
        return None;
    }
    // HH:MM[:SS[.fraction]] then Z, or ±HH[:]MM, or nothing.
    let b = time.as_bytes();
    let two = |i: usize, max: u32| -> bool {
        b.get(i..i + 2)
            .filter(|p| p.iter().all(u8::is_ascii_digit))
            .is_some_and(|p| u32::from(p[0] - b'0') * 10 + u32::from(p[1] - b'0') <= max)
    };
    if !(two(0, 24) && b.get(2) == Some(&b':') && two(3, 59)) {
        return None;
    }
    let mut i = 5;
    if b.get(i) == Some(&b':') {
        if !two(i + 1, 60) {
            return None;
        }
        i += 3;
        if matches!(b.get(i), Some(b'.' | b',')) {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
    }
    let zone = time.get(i..)?.trim_start();
    let zb = zone.as_bytes();
    let zone_ok = match zb.first() {
        None => true,
        Some(b'Z' | b'z') => zb.len() == 1,
        Some(b'+' | b'-') => {
            let two_at = |j: usize| {
                zb.get(j..j + 2)
                    .is_some_and(|p| p.iter().all(u8::is_ascii_digit))
            };
            match zb.len() {
                3 => two_at(1),
                5 => two_at(1) && two_at(3),
                6 => two_at(1) && zb[3] == b':' && two_at(4),
                _ => false,
            }
        }
        _ => false,
    };
    zone_ok.then_some((day, time))
}

/// Why `text` is not read as a date, for a skipped row's reason: it names
/// both readings of an ambiguous date, and the forms that are read.
pub fn date_problem(text: &str) -> String {
    match read_date_in(text, None) {
        Err(why) => why,
        Ok(r) if r.time.is_some() => format!(
            "{:?} has a time of day, which is not read here; dates are read as {DATE_FORMS}",
            text.trim()
        ),
        Ok(_) => format!("{:?} is a date", text.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_the_precision_written() {
        assert_eq!(read_date("2024-03-15").as_deref(), Some("2024-03-15"));
        assert_eq!(read_date("15 March 2024").as_deref(), Some("2024-03-15"));
        assert_eq!(read_date("15-Mar-2024").as_deref(), Some("2024-03-15"));
        assert_eq!(read_date("March 15, 2024").as_deref(), Some("2024-03-15"));
        assert_eq!(read_date("March 2024").as_deref(), Some("2024-03"));
        assert_eq!(read_date("15-03-2024").as_deref(), Some("2024-03-15"));
        assert_eq!(read_date("~2024").as_deref(), Some("~2024"));
        assert_eq!(read_date("30 February 2023"), None);
        assert_eq!(read_date("yesterday"), None);
    }

    #[test]
    fn two_digit_years_are_settled_by_the_row_never_guessed() {
        let r = read_date_in("16-Feb-21", Some(2021)).unwrap();
        assert_eq!(r.date, "2021-02-16");
        assert_eq!(
            read_date_in("16-Feb-99", Some(1999)).unwrap().date,
            "1999-02-16"
        );
        // Nothing settles it: both readings named, no guess.
        let e = read_date_in("16-Feb-21", None).unwrap_err();
        assert!(
            e.contains("1921-02-16 (16 February) or 2021-02-16 (16 February)"),
            "{e}"
        );
        assert_eq!(read_date("16-Feb-21"), None);
        // Evidence that contradicts the date is not overruled.
        let e = read_date_in("16-Feb-21", Some(2020)).unwrap_err();
        assert!(e.contains("not the row's year 2020"), "{e}");
    }

    #[test]
    fn every_date_error_names_the_forms_read() {
        for bad in [
            "yesterday",
            "16-Feb-21",
            "05/08/2024",
            "2024-02-30",
            "30 February 2023",
            "",
        ] {
            let e = date_problem(bad);
            for form in [
                "15-Mar-2024",
                "15 March 2024",
                "March 15, 2024",
                "2024-03-15T10:20:00Z",
            ] {
                assert!(e.contains(form), "{bad:?}: {e}");
            }
        }
        assert!(
            date_problem("30 February 2023").contains("29 days")
                || date_problem("30 February 2023").contains("28"),
            "{}",
            date_problem("30 February 2023")
        );
    }

    #[test]
    fn iso_datetimes_keep_the_day_and_say_the_time() {
        for (t, time) in [
            ("2024-03-15T10:20:00Z", "10:20:00Z"),
            ("2024-03-15T23:10:05-05:00", "23:10:05-05:00"),
            ("2024-03-15 10:20:00", "10:20:00"),
            ("2024-03-15T10:20:00.877297+0200", "10:20:00.877297+0200"),
            ("2024-03-15T10:20", "10:20"),
        ] {
            let r = read_date_in(t, None).unwrap_or_else(|e| panic!("{t}: {e}"));
            assert_eq!(r.date, "2024-03-15", "{t}");
            assert_eq!(r.time.as_deref(), Some(time), "{t}");
        }
        for bad in [
            "2024-03-15T25:00",
            "2024-03-15Tnoon",
            "2024-02-30T10:00:00Z",
            "2024-03-15T10:20:00 CET",
        ] {
            assert!(read_date_in(bad, None).is_err(), "{bad}");
        }
        // read_date (TimelineJS's) still reads days only.
        assert_eq!(read_date("2024-03-15T10:20:00Z"), None);
    }
}
