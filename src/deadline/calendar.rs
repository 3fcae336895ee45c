//! US federal holidays computed by rule (observed dates), business days, and hour counting across daylight-saving changes.

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Weekday};
use chrono_tz::Tz;

/// The federal holidays of `year` (5 U.S.C. 6103) as (observed date, name), in date order.
/// A holiday on a Saturday is observed the Friday before, on a Sunday the Monday after, so New
/// Year's Day of `year` may be observed on 31 December of the year before.
pub fn federal_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let fixed = |month: u32, day: u32, name: &'static str| NaiveDate::from_ymd_opt(year, month, day).map(|d| (observed(d), name));
    let nth = |month: u32, weekday: Weekday, n: u8, name: &'static str| {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, n).map(|d| (d, name))
    };
    let last_monday_of_may = NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Mon, 5)
        .or_else(|| NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Mon, 4))
        .map(|d| (d, "Memorial Day"));
    let mut days: Vec<(NaiveDate, &'static str)> = [
        fixed(1, 1, "New Year's Day"),
        // Observed since 1986.
        nth(1, Weekday::Mon, 3, "Martin Luther King Jr. Day").filter(|_| year >= 1986),
        nth(2, Weekday::Mon, 3, "Washington's Birthday"),
        last_monday_of_may,
        // Made a federal holiday on 17 June 2021, and observed that year on Friday 18 June.
        fixed(6, 19, "Juneteenth National Independence Day").filter(|_| year >= 2021),
        fixed(7, 4, "Independence Day"),
        nth(9, Weekday::Mon, 1, "Labor Day"),
        nth(10, Weekday::Mon, 2, "Columbus Day"),
        fixed(11, 11, "Veterans Day"),
        nth(11, Weekday::Thu, 4, "Thanksgiving Day"),
        fixed(12, 25, "Christmas Day"),
    ]
    .into_iter()
    .flatten()
    .collect();
    days.sort();
    days
}

/// The day a holiday falling on `date` is observed.
fn observed(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date.pred_opt().unwrap_or(date),
        Weekday::Sun => date.succ_opt().unwrap_or(date),
        _ => date,
    }
}

/// The federal holiday observed on `date`, if any.
pub fn federal_holiday(date: NaiveDate) -> Option<&'static str> {
    // 31 December can be the observed New Year's Day of the next year.
    let years = [Some(date.year()), date.year().checked_add(1)];
    years.into_iter().flatten().flat_map(federal_holidays).find(|(d, _)| *d == date).map(|(_, name)| name)
}

/// Monday to Friday and not an observed federal holiday.
pub fn is_business_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && federal_holiday(date).is_none()
}

/// The first business day after `date` (not `date` itself); `None` only at the end of the calendar.
pub fn next_business_day(date: NaiveDate) -> Option<NaiveDate> {
    let mut day = date;
    // A weekend next to a holiday is the longest run of non-business days (4); 14 is plenty.
    for _ in 0..14 {
        day = day.succ_opt()?;
        if is_business_day(day) {
            return Some(day);
        }
    }
    None
}

/// `date` moved forward by `n` business days (day 1 is the first business day after `date`).
pub fn add_business_days(date: NaiveDate, n: u32) -> Option<NaiveDate> {
    let mut day = date;
    for _ in 0..n {
        day = next_business_day(day)?;
    }
    Some(day)
}

/// The holidays of 5 U.S.C. 6103(a) named by their own date, which can fall on a weekend.
const DATED_HOLIDAYS: [(u32, u32); 5] = [(1, 1), (6, 19), (7, 4), (11, 11), (12, 25)];

/// Whether `date` is a federal holiday only as the Friday or Monday observed in place of a
/// holiday whose own date is the Saturday or Sunday next to it.
pub fn observed_in_place(date: NaiveDate) -> bool {
    let own = match date.weekday() {
        Weekday::Fri => date.succ_opt(),
        Weekday::Mon => date.pred_opt(),
        _ => None,
    };
    own.is_some_and(|own| DATED_HOLIDAYS.contains(&(own.month(), own.day())) && federal_holiday(date).is_some())
}

/// `date`, or the first day after it, that is neither a Saturday, a Sunday nor a federal
/// holiday when a holiday observed in place of one on a weekend is not counted: the earlier
/// reading of "Federal holiday" (5 U.S.C. 6103(a) names the holidays by their own dates).
pub fn first_business_day_by_own_dates(date: NaiveDate) -> Option<NaiveDate> {
    let mut day = date;
    for _ in 0..14 {
        if is_business_day(day) || observed_in_place(day) {
            return Some(day);
        }
        day = day.succ_opt()?;
    }
    None
}

/// The holiday whose own date `date` is, when that date falls on a weekend and the holiday is
/// observed on the Friday or Monday next to it (Saturday 4 July 2026: Independence Day).
pub fn weekend_holiday(date: NaiveDate) -> Option<&'static str> {
    if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) || !DATED_HOLIDAYS.contains(&(date.month(), date.day())) {
        return None;
    }
    federal_holiday(observed(date))
}

/// Why `date` is not a business day, in words that fit "falls on …": "a Sunday",
/// "Thanksgiving Day (federal holiday)", "a Saturday and Independence Day (federal holiday,
/// observed Friday 2026-07-03)".
pub fn non_business_reason(date: NaiveDate) -> Option<String> {
    let day = match date.weekday() {
        Weekday::Sat => "a Saturday",
        Weekday::Sun => "a Sunday",
        _ => return federal_holiday(date).map(|name| format!("{name} (federal holiday)")),
    };
    Some(match weekend_holiday(date) {
        Some(name) => {
            let on = observed(date);
            format!("{day} and {name} (federal holiday, observed {} {on})", on.format("%A"))
        }
        None => day.to_string(),
    })
}

/// `start` plus `hours` of elapsed time: across the spring-forward change the wall clock reads
/// one hour later than naive counting, across fall-back one hour earlier.
pub fn add_hours(start: DateTime<Tz>, hours: u32) -> Option<DateTime<Tz>> {
    start.checked_add_signed(TimeDelta::try_hours(i64::from(hours))?)
}

/// The instant that a wall-clock time names in `tz`. An ambiguous time (fall-back) is the
/// earlier instant; a time that does not exist (spring-forward gap) is read one hour later,
/// which is the wall clock people see once the clocks have moved.
pub fn localize(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Tz>> {
    tz.from_local_datetime(&local).earliest().or_else(|| {
        let later = local.checked_add_signed(TimeDelta::try_hours(1)?)?;
        tz.from_local_datetime(&later).earliest()
    })
}

/// [`localize`], with the sentence that says what was taken when the wall-clock time does not
/// exist in `tz` or happens twice there. `offset` (seconds east of UTC), when the time was
/// written with one, says which of two it is.
pub fn localize_noted(tz: Tz, local: NaiveDateTime, offset: Option<i32>) -> Option<(DateTime<Tz>, Option<String>)> {
    let when = local.format("%Y-%m-%d %H:%M");
    let zone = tz.name();
    let taken = |t: DateTime<Tz>| t.format("%H:%M %Z").to_string();
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some((t, None)),
        LocalResult::Ambiguous(first, second) => {
            if let Some(o) = offset {
                if let Some(t) = [first, second].into_iter().find(|t| t.offset().fix().local_minus_utc() == o) {
                    return Some((t, None));
                }
            }
            let note = format!(
                "{when} happens twice in {zone} (the clocks went back that night): the first, {}, is taken; the second is {}",
                taken(first),
                taken(second)
            );
            Some((first, Some(note)))
        }
        LocalResult::None => {
            let t = localize(tz, local)?;
            Some((t, Some(format!("{when} does not exist in {zone} (the clocks went forward that night): it is taken as {}", taken(t)))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn holidays_fall_on_their_observed_dates_across_years() {
        // Thanksgiving 2025: 1 Nov is a Saturday, so Thursdays are 6, 13, 20, 27.
        assert_eq!(federal_holiday(d(2025, 11, 27)), Some("Thanksgiving Day"));
        // Juneteenth 2027 is a Saturday: observed Friday 18 June, not on the 19th.
        assert_eq!(federal_holiday(d(2027, 6, 18)), Some("Juneteenth National Independence Day"));
        assert_eq!(federal_holiday(d(2027, 6, 19)), None);
        // Christmas 2022 is a Sunday: observed Monday 26 December.
        assert_eq!(federal_holiday(d(2022, 12, 26)), Some("Christmas Day"));
        assert_eq!(federal_holiday(d(2022, 12, 25)), None);
        // New Year's Day 2022 is a Saturday: observed Friday 31 December 2021.
        assert_eq!(federal_holiday(d(2021, 12, 31)), Some("New Year's Day"));
        assert_eq!(federal_holiday(d(2022, 1, 1)), None);
        // Independence Day 2026 is a Saturday (Friday 3 July); 2027 a Sunday (Monday 5 July).
        assert_eq!(federal_holiday(d(2026, 7, 3)), Some("Independence Day"));
        assert_eq!(federal_holiday(d(2027, 7, 5)), Some("Independence Day"));
        // Veterans Day 2023 is a Saturday: observed Friday 10 November.
        assert_eq!(federal_holiday(d(2023, 11, 10)), Some("Veterans Day"));
        // The Monday holidays of 2025: 1 Jan is a Wednesday, so the third Monday is 20 Jan;
        // 1 Feb a Saturday, third Monday 17 Feb; 31 May a Saturday, last Monday 26 May;
        // 1 Sep a Monday; 1 Oct a Wednesday, second Monday 13 Oct.
        assert_eq!(federal_holiday(d(2025, 1, 20)), Some("Martin Luther King Jr. Day"));
        assert_eq!(federal_holiday(d(2025, 2, 17)), Some("Washington's Birthday"));
        assert_eq!(federal_holiday(d(2025, 5, 26)), Some("Memorial Day"));
        assert_eq!(federal_holiday(d(2025, 9, 1)), Some("Labor Day"));
        assert_eq!(federal_holiday(d(2025, 10, 13)), Some("Columbus Day"));
        // Memorial Day 2021: May has five Mondays (3, 10, 17, 24, 31).
        assert_eq!(federal_holiday(d(2021, 5, 31)), Some("Memorial Day"));
        // Juneteenth did not exist in 2020.
        assert_eq!(federal_holiday(d(2020, 6, 19)), None);
        assert_eq!(federal_holidays(2025).len(), 11);
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        // Wednesday 26 Nov 2025 → Thanksgiving Thursday → Friday 28 Nov.
        assert_eq!(next_business_day(d(2025, 11, 26)), Some(d(2025, 11, 28)));
        // Friday 2 July 2027 → weekend → Monday 5 July is observed Independence Day → Tuesday 6.
        assert_eq!(next_business_day(d(2027, 7, 2)), Some(d(2027, 7, 6)));
        assert!(!is_business_day(d(2025, 11, 16)));
        assert!(is_business_day(d(2025, 11, 14)));
        // Monday 22 Dec 2025 + 5: 23, 24, (25 Christmas), 26, 29, 30.
        assert_eq!(add_business_days(d(2025, 12, 22), 5), Some(d(2025, 12, 30)));
        assert_eq!(add_business_days(d(2025, 12, 22), 0), Some(d(2025, 12, 22)));
        assert_eq!(next_business_day(NaiveDate::MAX), None);
        // The ends of chrono's calendar answer without panicking (1 Jan of its first year is
        // a New Year's Day like any other).
        assert_eq!(federal_holiday(NaiveDate::MAX), None);
        let _ = federal_holiday(NaiveDate::MIN);
    }

    #[test]
    fn seventy_two_hours_across_spring_forward_land_an_hour_later_on_the_wall_clock() {
        let tz: Tz = chrono_tz::America::New_York;
        // 10:00 EST Fri 7 Mar 2025 = 15:00 UTC; +72 h = 15:00 UTC Mon 10 Mar = 11:00 EDT
        // (clocks went forward at 02:00 on Sunday 9 March).
        let start = localize(tz, d(2025, 3, 7).and_hms_opt(10, 0, 0).unwrap()).unwrap();
        let end = add_hours(start, 72).unwrap();
        assert_eq!(end.naive_local(), d(2025, 3, 10).and_hms_opt(11, 0, 0).unwrap());
        // Across fall-back (2 Nov 2025) the wall clock reads an hour earlier: 10:00 EDT Fri
        // 31 Oct = 14:00 UTC; +72 h = 14:00 UTC Mon 3 Nov = 09:00 EST.
        let start = localize(tz, d(2025, 10, 31).and_hms_opt(10, 0, 0).unwrap()).unwrap();
        let end = add_hours(start, 72).unwrap();
        assert_eq!(end.naive_local(), d(2025, 11, 3).and_hms_opt(9, 0, 0).unwrap());
    }

    #[test]
    fn wall_clock_times_in_the_gap_or_the_overlap_still_localize() {
        let tz: Tz = chrono_tz::America::New_York;
        // 02:30 on 9 Mar 2025 does not exist; it reads as 03:30 EDT.
        let gap = localize(tz, d(2025, 3, 9).and_hms_opt(2, 30, 0).unwrap()).unwrap();
        assert_eq!(gap.naive_local(), d(2025, 3, 9).and_hms_opt(3, 30, 0).unwrap());
        // 01:30 on 2 Nov 2025 happens twice; the first (EDT, 05:30 UTC) is taken.
        let twice = localize(tz, d(2025, 11, 2).and_hms_opt(1, 30, 0).unwrap()).unwrap();
        assert_eq!(twice.naive_utc(), d(2025, 11, 2).and_hms_opt(5, 30, 0).unwrap());
    }

    #[test]
    fn non_business_reasons_read_as_a_phrase() {
        assert_eq!(non_business_reason(d(2025, 11, 16)).as_deref(), Some("a Sunday"));
        assert_eq!(non_business_reason(d(2025, 11, 27)).as_deref(), Some("Thanksgiving Day (federal holiday)"));
        assert_eq!(non_business_reason(d(2025, 11, 14)), None);
    }

    #[test]
    fn a_weekend_day_that_is_a_holiday_by_its_own_date_is_said_to_be_both() {
        assert_eq!(
            non_business_reason(d(2026, 7, 4)).as_deref(),
            Some("a Saturday and Independence Day (federal holiday, observed Friday 2026-07-03)")
        );
        // New Year's Day 2028 is a Saturday, observed Friday 31 December 2027.
        assert_eq!(
            non_business_reason(d(2028, 1, 1)).as_deref(),
            Some("a Saturday and New Year's Day (federal holiday, observed Friday 2027-12-31)")
        );
        // Christmas 2022 is a Sunday, observed Monday 26 December.
        assert_eq!(
            non_business_reason(d(2022, 12, 25)).as_deref(),
            Some("a Sunday and Christmas Day (federal holiday, observed Monday 2022-12-26)")
        );
        // Juneteenth 2020 was no holiday yet; 2027's is a Saturday.
        assert_eq!(non_business_reason(d(2020, 6, 20)).as_deref(), Some("a Saturday"));
        assert_eq!(weekend_holiday(d(2027, 6, 19)), Some("Juneteenth National Independence Day"));
        assert_eq!(weekend_holiday(d(2027, 7, 4)), Some("Independence Day"));
        // A weekday holiday on its own date, and an observed Friday, are not weekend holidays.
        assert_eq!(weekend_holiday(d(2025, 7, 4)), None);
        assert_eq!(weekend_holiday(d(2026, 7, 3)), None);
    }

    #[test]
    fn a_time_in_the_gap_or_the_overlap_is_taken_as_before_and_said() {
        let tz: Tz = chrono_tz::America::New_York;
        let gap = d(2026, 3, 8).and_hms_opt(2, 30, 0).unwrap();
        let (t, note) = localize_noted(tz, gap, None).unwrap();
        assert_eq!(Some(t), localize(tz, gap));
        assert_eq!(
            note.as_deref(),
            Some("2026-03-08 02:30 does not exist in America/New_York (the clocks went forward that night): it is taken as 03:30 EDT")
        );
        let twice = d(2026, 11, 1).and_hms_opt(1, 30, 0).unwrap();
        let (t, note) = localize_noted(tz, twice, None).unwrap();
        assert_eq!(Some(t), localize(tz, twice));
        assert_eq!(
            note.as_deref(),
            Some("2026-11-01 01:30 happens twice in America/New_York (the clocks went back that night): the first, 01:30 EDT, is taken; the second is 01:30 EST")
        );
        // Written with its offset, the second is the one meant, and nothing needs saying.
        let (t, note) = localize_noted(tz, twice, Some(-5 * 3600)).unwrap();
        assert_eq!((t.naive_utc(), note), (d(2026, 11, 1).and_hms_opt(6, 30, 0).unwrap(), None));
        let (t, note) = localize_noted(tz, d(2026, 3, 7).and_hms_opt(15, 30, 0).unwrap(), None).unwrap();
        assert_eq!((t.format("%H:%M %Z").to_string(), note), ("15:30 EST".to_string(), None));
    }
}
