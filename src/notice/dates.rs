//! Dates as notices write them: "March 2, 2026", "Mar. 2, 2026", "2 March 2026", "03/02/2026",
//! "03-02-2026" and "03/02/26" (US order, as US plans write them; a two-digit year as POSIX reads
//! it: 69–99 the 1900s, 00–68 the 2000s, so a birth date stays in the past) and "2026-03-02".

use chrono::NaiveDate;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

const MONTH: &str = r"(?i:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|sep(?:t(?:ember)?)?\.?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)";

/// Every shape of date, each alternative naming its parts.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let written = format!(r"(?P<m1>{MONTH})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})");
    let european = format!(r"(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH})\s+(?P<y2>\d{{4}})");
    let slashed = r"(?P<m3>\d{1,2})/(?P<d3>\d{1,2})/(?P<y3>\d{4})";
    let iso = r"(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})";
    let dashed = r"(?P<m5>\d{1,2})-(?P<d5>\d{1,2})-(?P<y5>\d{4})";
    let short = r"(?P<m6>\d{1,2})/(?P<d6>\d{1,2})/(?P<y6>\d{2})";
    Regex::new(&format!(r"\b(?:{written}|{european}|{slashed}|{iso}|{dashed}|{short})\b")).expect("the date pattern is valid")
});

fn month_number(name: &str) -> Option<u32> {
    let key: String = name.to_ascii_lowercase().chars().take(3).collect();
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    months.iter().position(|m| *m == key).map(|i| i as u32 + 1)
}

/// Every date in `text`, with where it is written.
pub(super) fn dates_in(text: &str) -> Vec<(NaiveDate, Range<usize>)> {
    DATE.captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?.range();
            if inside_a_number(text, &whole) {
                return None;
            }
            let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
            let (y, m, d) = if let Some(m) = c.name("m1") {
                (num("y1")?, month_number(m.as_str())?, num("d1")?)
            } else if let Some(m) = c.name("m2") {
                (num("y2")?, month_number(m.as_str())?, num("d2")?)
            } else if c.name("m3").is_some() {
                (num("y3")?, num("m3")?, num("d3")?)
            } else if c.name("m5").is_some() {
                (num("y5")?, num("m5")?, num("d5")?)
            } else if c.name("m6").is_some() {
                (century(num("y6")?), num("m6")?, num("d6")?)
            } else {
                (num("y4")?, num("m4")?, num("d4")?)
            };
            NaiveDate::from_ymd_opt(y as i32, m, d).map(|date| (date, whole))
        })
        .collect()
}

/// The year a two-digit year stands for: 69–99 in the 1900s, 00–68 in the 2000s (POSIX's
/// `strptime` `%y`).
fn century(yy: u32) -> u32 {
    if yy >= 69 {
        1900 + yy
    } else {
        2000 + yy
    }
}

/// Whether the date written at `at` is part of a longer run of digits and its own separators (a
/// claim number "10-15-2026-88432"), not a date; a range "09/28/2026-10/10/2026" is two dates.
fn inside_a_number(text: &str, at: &Range<usize>) -> bool {
    let written = &text[at.clone()];
    let sep = ['/', '-'].into_iter().find(|s| written.contains(*s));
    let joins = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || Some(c) == sep);
    joins(text[..at.start].chars().next_back()) || joins(text[at.end..].chars().next())
}

/// The date `text` is, when it is one date and nothing else (bar spaces and a full stop).
pub(super) fn only_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim().trim_end_matches('.');
    match dates_in(t).as_slice() {
        [(date, r)] if r.start == 0 && r.end == t.len() => Some(*date),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_the_ways_notices_write_them() {
        for (text, want) in [
            ("March 2, 2026", d(2026, 3, 2)),
            ("Mar. 2, 2026", d(2026, 3, 2)),
            ("Apr 6 2026", d(2026, 4, 6)),
            ("2 March 2026", d(2026, 3, 2)),
            ("03/02/2026", d(2026, 3, 2)),
            ("1/5/2026", d(2026, 1, 5)),
            ("2026-03-02", d(2026, 3, 2)),
            ("SEPTEMBER 30, 2025", d(2025, 9, 30)),
            ("Sept. 30, 2025", d(2025, 9, 30)),
            ("03-02-2026", d(2026, 3, 2)),
            ("11/20/26", d(2026, 11, 20)),
            ("12/31/99", d(1999, 12, 31)),
            ("1/2/68", d(2068, 1, 2)),
        ] {
            assert_eq!(only_date(text), Some(want), "{text}");
        }
        for not_one in [
            "February 30, 2026",
            "13/01/2026",
            "Date: March 2, 2026",
            "March 2026",
            "12-26-045-118-400",
            "10-15-2026-88432",
            "1/5/2026/7",
            "",
        ] {
            assert_eq!(only_date(not_one), None, "{not_one}");
        }
        let found = dates_in("Claims Processed Between December 1, 2025 and February 28, 2026");
        assert_eq!(found.iter().map(|(d, _)| *d).collect::<Vec<_>>(), [d(2025, 12, 1), d(2026, 2, 28)]);
        assert_eq!(&"Claims Processed Between December 1, 2025"[found[0].1.clone()], "December 1, 2025");
        let range = dates_in("dates of service 09/28/2026-10/10/2026, claim 10-15-2026-88432");
        assert_eq!(range.iter().map(|(d, _)| *d).collect::<Vec<_>>(), [d(2026, 9, 28), d(2026, 10, 10)]);
    }
}
