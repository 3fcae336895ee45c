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
