//! Dates, moments and windows of days as people type them, and the sentence that says what is
//! wrong with one that is not: the one reader case.toml's codecs and the command line share, so
//! the same mistake gets the same words wherever it is made.
//!
//! ```
//! use redress::model::dates::{read_date, window_days};
//!
//! assert_eq!(read_date("3/2/26").unwrap_err().to_string(), "`3/2/26` is not a date: write it as YYYY-MM-DD, such as 2025-09-10");
//! assert_eq!(read_date("2026-02-30").unwrap_err().to_string(), "`2026-02-30` is not a date: February 2026 has no day 30");
//! assert!(window_days(0.0).is_err());
//! ```

use super::Moment;
use chrono::NaiveDate;
use std::fmt;

/// The date every message gives as its example.
pub const DATE_EXAMPLE: &str = "2025-09-10";

/// The days a window the person enters may hold (a contract's, or a state law's): from one day
/// to ten years.
pub const WINDOW_DAYS: std::ops::RangeInclusive<u32> = 1..=3650;

/// A text that is not a date (or, where a time may follow, not a date or time), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADate {
    /// The text as given.
    pub text: String,
    /// Whether a time of day was allowed after the date.
    pub moment: bool,
    pub why: Why,
}

/// What is wrong with a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Not written as the reader takes it (YYYY-MM-DD, and a time after it for a moment).
    Form,
    /// Written YYYY-MM-DD, with a month that is not 1 to 12.
    NoSuchMonth(u32),
    /// Written YYYY-MM-DD, with a day its month does not have.
    NoSuchDay { year: i32, month: u32, day: u32 },
    /// A date and time where only the date is taken: the date it gives.
    HasTime(NaiveDate),
}

impl fmt::Display for NotADate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.moment { "a date or time" } else { "a date" };
        write!(f, "`{}` is not {what}: {}", self.text, self.reason(DATE_EXAMPLE))
    }
}

impl NotADate {
    /// What is wrong, after "is not a date: ", with `example` as the date to copy.
    pub fn reason(&self, example: &str) -> String {
        match self.why {
            Why::Form if self.moment => {
                format!("write it as {example}, {example}T15:00 or, with its UTC offset, {example}T15:00-05:00")
            }
            Why::Form => format!("write it as YYYY-MM-DD, such as {example}"),
            Why::NoSuchMonth(m) => format!("there is no month {m} (months are 01 to 12)"),
            Why::NoSuchDay { year, month, day } => format!("{} {year} has no day {day}", month_name(month)),
            Why::HasTime(d) => format!("give the day alone, {d}"),
        }
    }

    /// The problem without the text given or any part of it, for a value never repeated (a
    /// date of birth): "is not a date: its month has no such day".
    pub fn unquoted(&self, example: &str) -> String {
        let reason = match self.why {
            Why::Form => return format!("is not a date: {}", self.reason(example)),
            Why::NoSuchMonth(_) => "its month is not one of 01 to 12",
            Why::NoSuchDay { .. } => "its month has no such day",
            Why::HasTime(_) => "give the day alone, without a time",
        };
        format!("is not a date: {reason}")
    }
}

impl std::error::Error for NotADate {}

fn month_name(month: u32) -> &'static str {
    u8::try_from(month).ok().and_then(|m| chrono::Month::try_from(m).ok()).map_or("that month", |m| m.name())
}

/// A date written `YYYY-MM-DD` (a one-digit month or day taken too; spaces around it
/// ignored). A year is four digits: `26-03-06` is not the year 26.
pub fn read_date(text: &str) -> Result<NaiveDate, NotADate> {
    let t = text.trim();
    if let Some(d) = numbers(t).and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)) {
        return Ok(d);
    }
    let why = match Moment::parse(t) {
        Some(m) if m.has_time => Why::HasTime(m.date()),
        _ => why_not(t),
    };
    Err(NotADate { text: t.to_string(), moment: false, why })
}

/// A date, a local date and time, or a time with its UTC offset, as [`Moment::parse`] reads them.
pub fn read_moment(text: &str) -> Result<Moment, NotADate> {
    let t = text.trim();
    Moment::parse(t).ok_or_else(|| NotADate { text: t.to_string(), moment: true, why: why_not(t) })
}

/// Why `text` (which did not read) is not a date: a day or month its calendar lacks where the
/// date part is written YYYY-MM-DD, else its form.
fn why_not(text: &str) -> Why {
    let date_part = text.split(['T', 't', ' ']).next().unwrap_or(text);
    let Some((year, month, day)) = numbers(date_part) else { return Why::Form };
    if !(1..=12).contains(&month) {
        Why::NoSuchMonth(month)
    } else if NaiveDate::from_ymd_opt(year, month, day).is_none() {
        Why::NoSuchDay { year, month, day }
    } else {
        Why::Form
    }
}

/// The numbers of a date written `YYYY-MM-DD` (month and day of one or two digits).
fn numbers(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(y, 4..=4) || !digits(m, 1..=2) || !digits(d, 1..=2) {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

/// A number that cannot be a window of days, as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAWindow {
    pub text: String,
}

impl fmt::Display for NotAWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (min, max) = (WINDOW_DAYS.start(), WINDOW_DAYS.end());
        let t = &self.text;
        match t.parse::<f64>() {
            Ok(0.0) => write!(f, "a window of 0 days would end on the day it is counted from"),
            Ok(v) if v.is_finite() && v > f64::from(*max) => write!(f, "{t} days is more than ten years"),
            Ok(v) if v.is_finite() && v > 0.0 && v.fract() != 0.0 => write!(f, "{t} is not a whole number of days"),
            Ok(v) if v < 0.0 => write!(f, "a window cannot be {t} days"),
            _ => write!(f, "`{t}` is not a number of days"),
        }?;
        write!(f, ": a window of days is a whole number from {min} to {max}")
    }
}

impl std::error::Error for NotAWindow {}

/// A window of days (`contract_days`): a whole number in [`WINDOW_DAYS`].
pub fn window_days(v: f64) -> Result<u32, NotAWindow> {
    let whole = v.is_finite() && v.fract() == 0.0 && v >= f64::from(*WINDOW_DAYS.start()) && v <= f64::from(*WINDOW_DAYS.end());
    if whole {
        Ok(v as u32)
    } else {
        Err(NotAWindow { text: v.to_string() })
    }
}

/// A window of days typed as text (`--contract-days 30`).
pub fn read_window_days(text: &str) -> Result<u32, NotAWindow> {
    let t = text.trim();
    match t.parse::<f64>() {
        Ok(v) => window_days(v).map_err(|_| NotAWindow { text: t.to_string() }),
        Err(_) => Err(NotAWindow { text: t.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(r: Result<impl fmt::Debug, impl fmt::Display>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_date_that_does_not_read_says_what_to_write() {
        assert_eq!(read_date(" 2026-03-02 "), Ok(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()));
        assert_eq!(said(read_date("3/2/26")), "`3/2/26` is not a date: write it as YYYY-MM-DD, such as 2025-09-10");
        assert_eq!(said(read_date("tomorrow")), "`tomorrow` is not a date: write it as YYYY-MM-DD, such as 2025-09-10");
        assert_eq!(said(read_date("")), "`` is not a date: write it as YYYY-MM-DD, such as 2025-09-10");
    }

    #[test]
    fn a_year_is_four_digits_and_a_date_of_birth_is_never_repeated() {
        assert_eq!(read_date("2026-3-6"), Ok(NaiveDate::from_ymd_opt(2026, 3, 6).unwrap()));
        for form in ["26-03-06", "2026-03", "2026-03-06-1", "2026-0x-01"] {
            assert_eq!(read_date(form).unwrap_err().why, Why::Form, "{form}");
        }
        let no_day = read_date("1950-02-30").unwrap_err();
        assert_eq!(no_day.unquoted("1950-04-02"), "is not a date: its month has no such day");
        assert_eq!(read_date("1950-13-02").unwrap_err().unquoted("1950-04-02"), "is not a date: its month is not one of 01 to 12");
        assert_eq!(read_date("2/3/50").unwrap_err().unquoted("1950-04-02"), "is not a date: write it as YYYY-MM-DD, such as 1950-04-02");
    }

    #[test]
    fn a_day_or_month_the_calendar_lacks_is_named() {
        assert_eq!(said(read_date("2026-02-30")), "`2026-02-30` is not a date: February 2026 has no day 30");
        assert_eq!(said(read_date("2026-02-29")), "`2026-02-29` is not a date: February 2026 has no day 29");
        assert!(read_date("2028-02-29").is_ok(), "2028 is a leap year");
        assert_eq!(said(read_date("2026-04-31")), "`2026-04-31` is not a date: April 2026 has no day 31");
        assert_eq!(said(read_date("2026-04-00")), "`2026-04-00` is not a date: April 2026 has no day 0");
        assert_eq!(said(read_date("2026-13-01")), "`2026-13-01` is not a date: there is no month 13 (months are 01 to 12)");
    }

    #[test]
    fn a_date_with_a_time_where_a_date_is_wanted_says_to_give_the_day() {
        assert_eq!(said(read_date("2026-03-04T10:00")), "`2026-03-04T10:00` is not a date: give the day alone, 2026-03-04");
        assert_eq!(said(read_date("2026-03-04T10:00-05:00")), "`2026-03-04T10:00-05:00` is not a date: give the day alone, 2026-03-04");
    }

    #[test]
    fn a_moment_that_does_not_read_says_every_form_it_takes() {
        assert!(read_moment("2026-03-04T10:00").is_ok_and(|m| m.has_time));
        assert!(read_moment("2026-03-04").is_ok_and(|m| !m.has_time));
        let form = "write it as 2025-09-10, 2025-09-10T15:00 or, with its UTC offset, 2025-09-10T15:00-05:00";
        assert_eq!(said(read_moment("2026-03-04T25:00")), format!("`2026-03-04T25:00` is not a date or time: {form}"));
        assert_eq!(said(read_moment("next week")), format!("`next week` is not a date or time: {form}"));
        assert_eq!(said(read_moment("2026-02-30T10:00")), "`2026-02-30T10:00` is not a date or time: February 2026 has no day 30");
    }

    #[test]
    fn a_window_of_days_is_a_whole_number_from_one() {
        assert_eq!(window_days(30.0), Ok(30));
        assert_eq!(window_days(3650.0), Ok(3650));
        let rule = ": a window of days is a whole number from 1 to 3650";
        assert_eq!(said(window_days(0.0)), format!("a window of 0 days would end on the day it is counted from{rule}"));
        assert_eq!(said(read_window_days("0")), format!("a window of 0 days would end on the day it is counted from{rule}"));
        assert_eq!(said(read_window_days("-5")), format!("a window cannot be -5 days{rule}"));
        assert_eq!(said(window_days(-5.0)), format!("a window cannot be -5 days{rule}"));
        assert_eq!(said(read_window_days("2.5")), format!("2.5 is not a whole number of days{rule}"));
        assert_eq!(said(read_window_days("100000")), format!("100000 days is more than ten years{rule}"));
        assert_eq!(said(read_window_days("thirty")), format!("`thirty` is not a number of days{rule}"));
        assert_eq!(said(window_days(f64::NAN)), format!("`NaN` is not a number of days{rule}"));
        assert_eq!(read_window_days(" 45 "), Ok(45));
    }
}
