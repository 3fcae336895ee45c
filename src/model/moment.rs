//! A point in time as case.toml writes it: a date, a local date-time, or an RFC 3339 time.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;
use std::fmt;

/// When something happened. Ordering and display use the wall-clock time written in the file;
/// the offset, when given, is kept so nothing is lost on a round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Moment {
    pub local: NaiveDateTime,
    /// False when only a date was given.
    pub has_time: bool,
    /// Seconds east of UTC, when the file gave an offset.
    pub offset: Option<i32>,
}

impl Moment {
    /// Parses `2025-09-03`, `2025-09-03T10:15`, `2025-09-03T10:15:30` or RFC 3339.
    pub fn parse(text: &str) -> Option<Moment> {
        let text = text.trim();
        if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(Moment { local: d.and_time(NaiveTime::MIN), has_time: false, offset: None });
        }
        for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"] {
            if let Ok(t) = NaiveDateTime::parse_from_str(text, fmt) {
                return Some(Moment { local: t, has_time: true, offset: None });
            }
        }
        // RFC 3339, also with the seconds left out (`2025-09-03T10:15-05:00`).
        let with_secs =
            if text.len() > 16 && text.is_char_boundary(16) && text.as_bytes().get(16).is_some_and(|b| !b.is_ascii_digit() && *b != b':') {
                format!("{}:00{}", &text[..16], &text[16..])
            } else {
                text.to_string()
            };
        for candidate in [text, with_secs.as_str()] {
            if let Ok(t) = DateTime::<FixedOffset>::parse_from_rfc3339(candidate) {
                return Some(Moment { local: t.naive_local(), has_time: true, offset: Some(t.offset().local_minus_utc()) });
            }
        }
        None
    }

    pub fn date(&self) -> NaiveDate {
        self.local.date()
    }

    /// `2025-09-03 10:15`, or the date alone.
    pub fn display_short(&self) -> String {
        if self.has_time {
            self.local.format("%Y-%m-%d %H:%M").to_string()
        } else {
            self.local.format("%Y-%m-%d").to_string()
        }
    }
}

/// Why a text is not a date `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotADate {
    /// Not written as `YYYY-MM-DD`.
    Form,
    /// Written so, with a month that is not 1 to 12.
    NoMonth { month: u32 },
    /// Written so, with a day its month does not have.
    NoDay { year: i32, month: u32, day: u32 },
}

/// Reads a date written `YYYY-MM-DD` (spaces around it ignored; a one-digit month or day
/// taken too), or says why it is not one: every date of case.toml is read here, so each says
/// the same. A year is four digits: `26-03-06` is not the year 26.
pub fn parse_date(text: &str) -> Result<NaiveDate, NotADate> {
    let text = text.trim();
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else { return Err(NotADate::Form) };
    if !(digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2)) {
        return Err(NotADate::Form);
    }
    let (year, month, day) = (y.parse().unwrap_or(0), m.parse().unwrap_or(0), d.parse().unwrap_or(0));
    NaiveDate::from_ymd_opt(year, month, day).ok_or(if (1..=12).contains(&month) {
        NotADate::NoDay { year, month, day }
    } else {
        NotADate::NoMonth { month }
    })
}

impl NotADate {
    /// The problem with a date's `text`, such as "`2026-02-30` is not a date: February 2026 has
    /// no day 30"; with no text (a date of birth, never repeated) it names what is wrong without
    /// the value. `example` is a date of the kind expected, for a text not written as a date.
    pub fn sentence(&self, text: Option<&str>, example: &str) -> String {
        let lead = match text {
            Some(t) => format!("`{t}` is not a date"),
            None => "is not a date".to_string(),
        };
        match (self, text) {
            (NotADate::Form, _) => format!("{lead} (expected YYYY-MM-DD, such as {example})"),
            (why, Some(_)) => format!("{lead}: {}", why.why()),
            (NotADate::NoMonth { .. }, None) => format!("{lead}: its month is not one of 01 to 12"),
            (NotADate::NoDay { .. }, None) => format!("{lead}: its month has no such day"),
        }
    }

    /// What makes a date written `YYYY-MM-DD` impossible: "February 2026 has no day 30",
    /// "there is no month 13".
    pub fn why(&self) -> String {
        match *self {
            NotADate::Form => "it is not written YYYY-MM-DD".to_string(),
            NotADate::NoMonth { month } => format!("there is no month {month}"),
            NotADate::NoDay { year, month, day } => {
                let first = NaiveDate::from_ymd_opt(year, month, 1);
                let name = first.map(|d| d.format("%B %Y").to_string()).unwrap_or_else(|| format!("month {month} of {year}"));
                format!("{name} has no day {day}")
            }
        }
    }
}

impl PartialOrd for Moment {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By the wall-clock time written; at the same time a date alone comes before a time, and the
/// offset breaks the last tie, so ordering agrees with equality.
impl Ord for Moment {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.local, self.has_time, self.offset).cmp(&(other.local, other.has_time, other.offset))
    }
}

/// Writes the moment back in the form it was read.
impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.has_time {
            return write!(f, "{}", self.local.format("%Y-%m-%d"));
        }
        let secs = if self.local.and_utc().timestamp() % 60 != 0 { ":%S" } else { "" };
        let base = self.local.format(&format!("%Y-%m-%dT%H:%M{secs}")).to_string();
        match self.offset {
            None => f.write_str(&base),
            Some(0) => write!(f, "{base}Z"),
            Some(o) => {
                let sign = if o < 0 { '-' } else { '+' };
                let o = o.abs();
                write!(f, "{base}{sign}{:02}:{:02}", o / 3600, (o % 3600) / 60)
            }
        }
    }
}

impl Serialize for Moment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_back_every_form() {
        for text in ["2025-09-03", "2025-09-03T10:15", "2025-09-03T10:15:30", "2025-09-03T10:15:00-05:00", "2025-09-03T10:15Z"] {
            let m = Moment::parse(text).unwrap_or_else(|| panic!("{text}"));
            let again = Moment::parse(&m.to_string()).unwrap();
            assert_eq!(m, again, "{text}");
        }
        assert_eq!(Moment::parse("2025-09-03T10:15:00-05:00").unwrap().to_string(), "2025-09-03T10:15-05:00");
        assert!(Moment::parse("2025-02-30").is_none());
        assert!(Moment::parse("yesterday").is_none());
    }

    #[test]
    fn a_date_that_is_not_one_says_why() {
        assert_eq!(parse_date(" 2028-02-29 "), Ok(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()));
        assert_eq!(parse_date("2026-3-6"), Ok(NaiveDate::from_ymd_opt(2026, 3, 6).unwrap()));
        assert_eq!(parse_date("2026-02-30").unwrap_err().why(), "February 2026 has no day 30");
        assert_eq!(parse_date("2026-04-31").unwrap_err().why(), "April 2026 has no day 31");
        assert_eq!(parse_date("2026-01-00").unwrap_err().why(), "January 2026 has no day 0");
        assert_eq!(parse_date("2026-13-01").unwrap_err().why(), "there is no month 13");
        assert_eq!(parse_date("2026-00-10").unwrap_err().why(), "there is no month 0");
        for form in ["3/2/26", "2026-03", "2026-03-06T10:00", "26-03-06", "2026-03-06-1", "", "2026-0x-01"] {
            assert_eq!(parse_date(form), Err(NotADate::Form), "{form}");
        }
        let e = parse_date("2026-02-30").unwrap_err();
        assert_eq!(e.sentence(Some("2026-02-30"), "2025-09-10"), "`2026-02-30` is not a date: February 2026 has no day 30");
        assert_eq!(e.sentence(None, "1950-04-02"), "is not a date: its month has no such day");
        assert_eq!(
            NotADate::Form.sentence(Some("3/2/26"), "2025-09-10"),
            "`3/2/26` is not a date (expected YYYY-MM-DD, such as 2025-09-10)"
        );
    }

    #[test]
    fn ordering_agrees_with_equality() {
        let day = Moment::parse("2025-09-03").unwrap();
        let midnight = Moment::parse("2025-09-03T00:00").unwrap();
        let with_offset = Moment::parse("2025-09-03T00:00-05:00").unwrap();
        assert_ne!(day, midnight);
        assert_ne!(day.cmp(&midnight), std::cmp::Ordering::Equal);
        assert_ne!(midnight.cmp(&with_offset), std::cmp::Ordering::Equal);
        assert!(day < midnight && midnight < Moment::parse("2025-09-03T00:01").unwrap());
        assert_eq!(midnight.cmp(&Moment::parse("2025-09-03T00:00").unwrap()), std::cmp::Ordering::Equal);
    }
}
