//! Dates worked out by hand from the regulations' own words, for the awkward cases: notices
//! dated on a Friday or before a federal holiday, holidays observed on another day because
//! they fall on a weekend, month ends, the leap day of 2028, 72-hour clocks started at a time
//! of day and crossing a daylight-saving change, extensions, a missed clock, a late filing.
//! Each example quotes the words it applies; the arithmetic sits beside it.

use super::tests::{at, case, d, noon};
use super::*;
use crate::model::{Case, Event, EventKind, Moment, Program, Service, Urgency};
use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::America::{Chicago, Denver, Los_Angeles, New_York};
use chrono_tz::Tz;

/// A filing window counted from a notice (and its receipt, when given).
fn filing(id: &str, notice: NaiveDate, received: Option<NaiveDate>) -> Deadline {
    let facts = Facts { received_date: received, ..Facts::notice(notice) };
    compute(rule(id).unwrap(), &facts, noon(d(2020, 1, 1)), New_York).unwrap_or_else(|| panic!("{id} has no date"))
}

/// A decision clock started by a filing at a local wall-clock time in `tz`.
fn clock(id: &str, filed: NaiveDateTime, tz: Tz) -> Deadline {
    let start = Start { at: filed, has_time: true, basis: Basis::Filed, offset: None };
    compute(rule(id).unwrap(), &Facts::request(start), noon(d(2020, 1, 1)), tz).unwrap_or_else(|| panic!("{id} has no date"))
}

fn event(at: &str, kind: EventKind) -> Event {
    Event { at: Moment::parse(at).unwrap(), kind, summary: format!("{kind}"), reference: None, counterpart: None, promised: None }
}

fn find<'a>(list: &'a [Deadline], id: &str) -> &'a Deadline {
    list.iter().find(|x| x.rule == id).unwrap_or_else(|| panic!("no {id} in {:?}", list.iter().map(|x| &x.rule).collect::<Vec<_>>()))
}

fn has(d: &Deadline, text: &str) -> bool {
    d.warnings.iter().any(|w| w.contains(text))
}

fn with_service(mut c: Case, service: Service) -> Case {
    c.info.service = Some(service);
    c
}

#[test]
fn presumed_receipt_windows_keep_a_weekend_or_holiday_date_and_warn() {
    // 42 CFR 422.582(b), (b)(1): 60 calendar days from receipt, "presumed to be 5 calendar
    // days after the date" on the notice. Notice Fri 2 Jan 2026 → receipt Wed 7 Jan; + 60:
    // Jan 24 left → 24, Feb 28 → 52, Mar 8 → 60 = Sun 8 Mar 2026. The section says nothing of
    // weekends: the date stays and the member is told to file earlier.
    let got = filing("ma-reconsideration", d(2026, 1, 2), None);
    assert_eq!((got.counted_from, got.due), (d(2026, 1, 7), d(2026, 3, 8)));
    assert!(has(&got, "falls on a Sunday: file earlier"), "{:?}", got.warnings);
    // 42 CFR 423.582(b): "within 60 calendar days after receipt of the written coverage
    // determination notice"; (b)(1) "presumed to be 5 calendar days after the date of the
    // written coverage determination". Notice Wed 23 Dec 2026, the day before Christmas Eve →
    // receipt Mon 28 Dec; + 60: Dec 3 left → 3, Jan 31 → 34, Feb 26 → 60 = Fri 26 Feb 2027.
    assert_eq!(filing("partd-redetermination", d(2026, 12, 23), None).due, d(2027, 2, 26));
    // 42 CFR 405.942(a): "within 120 calendar days from the date a party receives the notice";
    // (a)(1) presumed "5 calendar days after the date of the notice". Notice Mon 1 Mar 2027 →
    // receipt 6 Mar; + 120: Mar 25 left → 25, Apr → 55, May → 86, Jun → 116, Jul 4 → 120 =
    // Sun 4 Jul 2027, Independence Day on a Sunday (observed Mon 5 Jul). Kept, with a warning.
    let got = filing("medicare-redetermination", d(2027, 3, 1), None);
    assert_eq!(got.due, d(2027, 7, 4));
    assert!(
        has(&got, "falls on a Sunday and Independence Day (federal holiday, observed Monday 2027-07-05): file earlier"),
        "{:?}",
        got.warnings
    );
    // 42 CFR 405.962(a): "within 180 calendar days from the date the party receives the notice
    // of the redetermination", (a)(1) presumed 5 calendar days after. Notice Tue 23 Jun 2026 →
    // receipt 28 Jun; + 180: Jun 2 left → 2, Jul → 33, Aug → 64, Sep → 94, Oct → 125, Nov →
    // 155, Dec 25 → 180 = Fri 25 Dec 2026, Christmas Day. Kept, with a warning.
    let got = filing("medicare-reconsideration", d(2026, 6, 23), None);
    assert_eq!(got.due, d(2026, 12, 25));
    assert!(has(&got, "falls on Christmas Day (federal holiday): file earlier"), "{:?}", got.warnings);
    // 42 CFR 405.1002(a)(1), (a)(3): 60 calendar days after receipt, presumed 5 calendar days
    // after the date of the notice. Notice Thu 24 Feb 2028 → receipt Tue 29 Feb 2028, the leap
    // day; + 60: Mar 31 → 31, Apr 29 → 60 = Sat 29 Apr 2028.
    let got = filing("medicare-alj", d(2028, 2, 24), None);
    assert_eq!((got.counted_from, got.due), (d(2028, 2, 29), d(2028, 4, 29)));
    assert!(has(&got, "falls on a Saturday: file earlier"), "{:?}", got.warnings);
}

#[test]
fn receipt_given_either_side_of_the_presumption() {
    // 42 CFR 422.582(b): 60 calendar days from receipt. Notice Fri 26 Jun 2026, received Mon
    // 29 Jun (before the presumed 1 Jul): Jun 1 left → 1, Jul → 32, Aug 28 → 60 = Fri 28 Aug.
    let got = filing("ma-reconsideration", d(2026, 6, 26), Some(d(2026, 6, 29)));
    assert_eq!((got.due, got.safe_due), (d(2026, 8, 28), None));
    // 42 CFR 423.582(b)(1): presumed 5 calendar days after the date "unless there is evidence
    // to the contrary". Notice Wed 30 Jun 2027, received Mon 12 Jul (the presumption says Mon 5
    // Jul): 12 Jul + 60: Jul 19 left → 19, Aug → 50, Sep 10 → 60 = Fri 10 Sep 2027. The
    // presumption's date, 5 Jul + 60: Jul 26 → 26, Aug → 57, Sep 3 → 60 = Fri 3 Sep, is the
    // safe one.
    let got = filing("partd-redetermination", d(2027, 6, 30), Some(d(2027, 7, 12)));
    assert_eq!((got.due, got.safe_due), (d(2027, 9, 10), Some(d(2027, 9, 3))));
    // 29 CFR 2560.503-1(h)(3)(i): "at least 180 days following receipt of a notification of an
    // adverse benefit determination" (no presumption). Received Mon 10 Jan 2028 + 180: Jan 21
    // left → 21, Feb 29 → 50, Mar → 81, Apr → 111, May → 142, Jun → 172, Jul 8 → 180 = Sat 8
    // Jul 2028. Nothing in the paragraph moves it.
    let got = filing("erisa-appeal", d(2028, 1, 5), Some(d(2028, 1, 10)));
    assert_eq!(got.due, d(2028, 7, 8));
    assert!(has(&got, "falls on a Saturday: file earlier"), "{:?}", got.warnings);
}

#[test]
fn windows_from_the_notice_date_across_holidays_and_the_leap_day() {
    // 42 CFR 438.402(c)(2)(ii): "60 calendar days from the date on the adverse benefit
    // determination notice". Notice Mon 25 Oct 2027 + 60: Oct 6 left → 6, Nov → 36, Dec 24 →
    // 60 = Fri 24 Dec 2027, the day Christmas (Sat 25 Dec) is observed. Kept, with a warning.
    let got = filing("medicaid-mc-appeal", d(2027, 10, 25), None);
    assert_eq!(got.due, d(2027, 12, 24));
    assert!(has(&got, "falls on Christmas Day (federal holiday): file earlier"), "{:?}", got.warnings);
    // 42 CFR 438.408(f)(2): "no later than 120 calendar days from the date of the ... notice
    // of resolution". Notice Fri 5 Nov 2027 + 120: Nov 25 left → 25, Dec → 56, Jan → 87, Feb 29
    // → 116, Mar 4 → 120 = Sat 4 Mar 2028.
    assert_eq!(filing("medicaid-fair-hearing", d(2027, 11, 5), None).due, d(2028, 3, 4));
    // 42 CFR 422.564(d)(1): a grievance "no later than 60 days after the event or incident".
    // Event Fri 31 Dec 2027 + 60: Jan → 31, Feb 29 → 60 = Tue 29 Feb 2028.
    assert_eq!(filing("ma-grievance", d(2027, 12, 31), None).due, d(2028, 2, 29));
    // 42 CFR 422.602(b), counted from the date of the IRE's notice (the earlier reading).
    // Notice Tue 2 Nov 2027 + 60: Nov 28 left → 28, Dec → 59, Jan 1 → 60 = Sat 1 Jan 2028,
    // New Year's Day (observed Fri 31 Dec 2027). Kept, with a warning.
    let got = filing("ma-alj", d(2027, 11, 2), None);
    assert_eq!(got.due, d(2028, 1, 1));
    assert!(
        has(&got, "falls on a Saturday and New Year's Day (federal holiday, observed Friday 2027-12-31): file earlier"),
        "{:?}",
        got.warnings
    );
    // 42 CFR 423.600(a), from the redetermination notice's date: Sat 1 Jan 2028 + 60: Jan 30
    // left → 30, Feb 29 → 59, Mar 1 → 60 = Wed 1 Mar 2028.
    assert_eq!(filing("partd-ire", d(2028, 1, 1), None).due, d(2028, 3, 1));
    // A contract of 45 days from the notice: Mon 12 Oct 2026 + 45: Oct 19 left → 19, Nov 26 →
    // 45 = Thu 26 Nov 2026, Thanksgiving. No regulation moves it.
    let facts = Facts { contract_days: Some(45), ..Facts::notice(d(2026, 10, 12)) };
    let got = compute(rule("contract").unwrap(), &facts, noon(d(2020, 1, 1)), New_York).unwrap();
    assert_eq!(got.due, d(2026, 11, 26));
    assert!(has(&got, "falls on Thanksgiving Day (federal holiday): file earlier"), "{:?}", got.warnings);
}

#[test]
fn external_review_moves_past_observed_holidays_and_month_ends() {
    // 45 CFR 147.136(d)(2)(i): "within four months after the date of receipt"; "If there is no
    // corresponding date four months after the date of receipt of such a notice, then the
    // request must be filed by the first day of the fifth month following the receipt of the
    // notice"; "If the last filing date would fall on a Saturday, Sunday, or Federal holiday,
    // the last filing date is extended to the next day that is not a Saturday, Sunday, or
    // Federal holiday." Federal holidays are taken as observed (5 U.S.C. 6103(b)).
    let cases = [
        // Receipt Thu 4 Mar 2027 → Sun 4 Jul 2027; Mon 5 Jul is Independence Day observed →
        // Tue 6 Jul.
        (d(2027, 3, 4), d(2027, 7, 6)),
        // Receipt Tue 24 Aug 2027 → Fri 24 Dec 2027, Christmas observed → Sat, Sun → Mon 27 Dec.
        (d(2027, 8, 24), d(2027, 12, 27)),
        // Receipt Tue 31 Aug 2027 → Fri 31 Dec 2027, New Year's Day 2028 observed → Mon 3 Jan.
        (d(2027, 8, 31), d(2028, 1, 3)),
        // Receipt Thu 31 Aug 2028 → Sun 31 Dec 2028; Mon 1 Jan 2029 is New Year's Day → Tue 2 Jan.
        (d(2028, 8, 31), d(2029, 1, 2)),
        // Receipt Tue 25 Aug 2026 → Fri 25 Dec 2026, Christmas → Mon 28 Dec.
        (d(2026, 8, 25), d(2026, 12, 28)),
    ];
    for (receipt, want) in cases {
        let got = filing("aca-external-review", receipt, Some(receipt));
        assert_eq!(got.due, want, "receipt {receipt}");
        assert!(has(&got, &format!("moved to the next business day, {want}")), "{receipt}: {:?}", got.warnings);
    }
    // Receipt Sat 30 Oct 2027 → 30 Feb 2028 does not exist, even in a leap year: the first day
    // of the fifth month, Wed 1 Mar 2028, a business day.
    let got = filing("aca-external-review", d(2027, 10, 30), Some(d(2027, 10, 30)));
    assert_eq!(got.due, d(2028, 3, 1));
    assert!(has(&got, "has no such day") && !has(&got, "moved"), "{:?}", got.warnings);
}

#[test]
fn seventy_two_hours_run_from_the_time_of_day_through_clock_changes_and_holidays() {
    // 42 CFR 422.590(e): "no later than 72 hours after receiving the request". Filed 16:30 EST
    // Fri 12 Mar 2027 = 21:30 UTC; clocks go forward Sun 14 Mar; + 72 h = 21:30 UTC Mon 15 Mar
    // = 17:30 EDT.
    let got = clock("ma-expedited", at(2027, 3, 12, 16, 30), New_York);
    assert_eq!(got.due_text, "2027-03-15 17:30 EDT");
    // 42 CFR 438.408(b)(3): "no longer than 72 hours after the MCO, PIHP, or PAHP receives the
    // appeal". Filed 09:00 CDT Fri 30 Oct 2026 = 14:00 UTC; clocks go back Sun 1 Nov; + 72 h =
    // 14:00 UTC Mon 2 Nov = 08:00 CST.
    assert_eq!(clock("medicaid-mc-expedited", at(2026, 10, 30, 9, 0), Chicago).due_text, "2026-11-02 08:00 CST");
    // 29 CFR 2560.503-1(i)(2)(i): "not later than 72 hours after receipt of the claimant's
    // request for review". Hours run through the weekend and the holiday: 14:00 MDT Thu 2 Jul
    // 2026 (Independence Day falls on Sat 4 Jul, observed Fri 3 Jul) + 72 h = 14:00 Sun 5 Jul.
    assert_eq!(clock("erisa-urgent", at(2026, 7, 2, 14, 0), Denver).due_text, "2026-07-05 14:00 MDT");
    // 42 CFR 422.572(a): an expedited organization determination "no later than 72 hours after
    // receiving the request". 20:00 PST Thu 31 Dec 2026 + 72 h = 20:00 PST Sun 3 Jan 2027.
    let start = Start { at: at(2026, 12, 31, 20, 0), has_time: true, basis: Basis::PaRequested, offset: None };
    let got = compute(rule("ma-pa-expedited").unwrap(), &Facts::request(start), noon(d(2020, 1, 1)), Los_Angeles).unwrap();
    assert_eq!(got.due_text, "2027-01-03 20:00 PST");
    // 01:30 on Sun 1 Nov 2026 happens twice in New York; the first (EDT, 05:30 UTC) is the
    // earlier reading: + 72 h = 05:30 UTC Wed 4 Nov = 00:30 EST.
    assert_eq!(clock("ma-expedited", at(2026, 11, 1, 1, 30), New_York).due_text, "2026-11-04 00:30 EST");
    // 02:30 on Sun 14 Mar 2027 never happens in New York; read as 03:30 EDT (07:30 UTC, the
    // same instant as 02:30 EST): + 72 h = 07:30 UTC Wed 17 Mar = 03:30 EDT.
    assert_eq!(clock("ma-expedited", at(2027, 3, 14, 2, 30), New_York).due_text, "2027-03-17 03:30 EDT");
}

#[test]
fn a_time_written_with_another_offset_is_that_instant() {
    // 42 CFR 423.590(d)(1): "no later than 72 hours after receiving the request". Filed
    // 2026-03-06T23:30-08:00 = 07:30 UTC Sat 7 Mar; + 72 h = 07:30 UTC Tue 10 Mar, which in New
    // York (clocks forward Sun 8 Mar) is 03:30 EDT.
    let mut c =
        case(Program::MedicarePartD, Urgency::Expedited, d(2026, 3, 5), vec![event("2026-03-06T23:30-08:00", EventKind::AppealFiled)]);
    c.info.service = None;
    let list = case_deadlines(&c, None, noon(d(2026, 3, 7)), New_York).deadlines;
    assert_eq!(find(&list, "partd-expedited").due_text, "2026-03-10 03:30 EDT");
}

#[test]
fn day_clocks_of_the_plan_end_on_their_day_whatever_it_is() {
    let day_clock = |id: &str, filed: NaiveDate| clock(id, filed.and_hms_opt(9, 0, 0).unwrap(), New_York).due;
    // 42 CFR 423.590(a)(1): 7 calendar days from receipt. Fri 24 Dec 2027 + 7 = Fri 31 Dec 2027.
    assert_eq!(day_clock("partd-standard", d(2027, 12, 24)), d(2027, 12, 31));
    // 42 CFR 423.590(b): 14 calendar days. Sun 20 Feb 2028 + 14: Feb 9 left → 9, Mar 5 → 14.
    assert_eq!(day_clock("partd-payment", d(2028, 2, 20)), d(2028, 3, 5));
    // 29 CFR 2560.503-1(i)(2)(iii)(A): "not later than 60 days after receipt". Fri 31 Dec 2027
    // + 60: Jan → 31, Feb 29 → 60 = Tue 29 Feb 2028.
    assert_eq!(day_clock("erisa-postservice", d(2027, 12, 31)), d(2028, 2, 29));
    // 42 CFR 438.408(b)(1): "90 calendar days from the day the MCO ... receives the grievance".
    // Wed 1 Dec 2027 + 90: Dec 30 left → 30, Jan → 61, Feb 29 → 90 = Tue 29 Feb 2028.
    assert_eq!(day_clock("medicaid-mc-grievance-resolution", d(2027, 12, 1)), d(2028, 2, 29));
    // 45 CFR 147.136(d)(2): the IRO decides "within 45 days after the IRO receives the request".
    // Wed 11 Nov 2026 (Veterans Day) + 45: Nov 19 left → 19, Dec 26 → 45 = Sat 26 Dec 2026.
    assert_eq!(day_clock("aca-standard-external", d(2026, 11, 11)), d(2026, 12, 26));
    // 42 CFR 422.568(b)(1): 14 calendar days for requests before 2026 (7 from then). Requested
    // Mon 29 Dec 2025 + 14 = Mon 12 Jan 2026; requested Fri 2 Jan 2026 17:00 + 7 = Fri 9 Jan.
    let pa = |when: NaiveDateTime| {
        let start = Start { at: when, has_time: true, basis: Basis::PaRequested, offset: None };
        compute(rule("ma-pa-standard").unwrap(), &Facts::request(start), noon(d(2020, 1, 1)), New_York).unwrap().due
    };
    assert_eq!(pa(at(2025, 12, 29, 10, 0)), d(2026, 1, 12));
    assert_eq!(pa(at(2026, 1, 2, 17, 0)), d(2026, 1, 9));
}

#[test]
fn an_expedited_clock_extended_across_the_spring_change() {
    // 42 CFR 422.590(e): 72 hours; 422.590(f): the plan "may extend the timeframe by up to 14
    // calendar days". Filed 10:00 EST Thu 5 Mar 2026 = 15:00 UTC; + 72 h = 15:00 UTC Sun 8 Mar =
    // 11:00 EDT (clocks forward that morning). Extension noticed Fri 6 Mar: 14 calendar days
    // later, Sun 22 Mar 11:00 EDT.
    let c = with_service(
        case(
            Program::MedicareAdvantage,
            Urgency::Expedited,
            d(2026, 3, 2),
            vec![event("2026-03-05T10:00", EventKind::AppealFiled), event("2026-03-06T09:00", EventKind::Extension)],
        ),
        Service::Service,
    );
    let list = case_deadlines(&c, None, noon(d(2026, 3, 7)), New_York).deadlines;
    let got = find(&list, "ma-expedited");
    assert_eq!(got.due_text, "2026-03-22 11:00 EDT");
    assert!(has(got, "extended by 14 days"), "{:?}", got.warnings);
}

#[test]
fn a_missed_medicaid_clock_opens_the_fair_hearing_from_the_day_it_ran_out() {
    // 42 CFR 438.408(b)(2): 30 calendar days. Filed Thu 26 Nov 2026 (Thanksgiving) + 30: Nov 4
    // left → 4, Dec 26 → 30 = Sat 26 Dec 2026. No resolution by 10 Jan 2027: 438.408(c)(3),
    // the enrollee "is deemed to have exhausted" the plan's appeals, and 438.408(f)(2)'s 120
    // days run from 26 Dec: Dec 5 left → 5, Jan → 36, Feb → 64, Mar → 95, Apr 25 → 120 = Sun 25
    // Apr 2027.
    let c = case(Program::MedicaidManagedCare, Urgency::Standard, d(2026, 11, 20), vec![event("2026-11-26", EventKind::AppealFiled)]);
    let list = case_deadlines(&c, None, noon(d(2027, 1, 10)), New_York).deadlines;
    assert_eq!((find(&list, "medicaid-mc-standard").due, find(&list, "medicaid-mc-standard").status), (d(2026, 12, 26), Status::Overdue));
    let next = find(&list, "medicaid-fair-hearing");
    assert_eq!((next.due, next.basis), (d(2027, 4, 25), Basis::MissedDeadline));
    assert!(has(next, "falls on a Sunday: file earlier"), "{:?}", next.warnings);
}

#[test]
fn a_late_filing_with_good_cause_closes_the_window_and_starts_the_plans_clock() {
    // 42 CFR 422.582(b): notice Tue 6 Jan 2026, presumed receipt 11 Jan, due Thu 12 Mar 2026.
    // Filed Wed 1 Apr 2026 with a good-cause statement (422.582(c): the plan "may extend the
    // timeframe"): the window is closed and kept as filed late; the plan's 30 calendar days
    // (422.590(a)) run from the filing: Apr 29 left → 29, May 1 → 30 = Fri 1 May 2026.
    let c = with_service(
        case(Program::MedicareAdvantage, Urgency::Standard, d(2026, 1, 6), vec![event("2026-04-01", EventKind::AppealFiled)]),
        Service::Service,
    );
    let list = case_deadlines(&c, None, noon(d(2026, 4, 2)), New_York).deadlines;
    let filing = find(&list, "ma-reconsideration");
    assert_eq!((filing.due, filing.closed, filing.done_late), (d(2026, 3, 12), true, Some(d(2026, 4, 1))));
    assert!(has(filing, "filed 2026-04-01, after this deadline"), "{:?}", filing.warnings);
    assert_eq!(find(&list, "ma-standard-service").due, d(2026, 5, 1));
}

#[test]
fn an_urgent_care_appeal_is_never_a_payment_request() {
    // 29 CFR 2560.503-1(m)(1): a "claim involving urgent care" is a claim "for medical care or
    // treatment" where the non-urgent time periods "could seriously jeopardize the life or
    // health of the claimant": care not yet given, a kind of pre-service claim. A request to be
    // paid for care already given is a post-service claim ((m)(3)), decided "not later than 60
    // days after receipt" ((i)(2)(iii)(A)), expedited or not. Filed Fri 6 Mar 2026 + 60: Mar 25
    // left → 25, Apr → 55, May 5 → 60 = Tue 5 May 2026, not 72 hours.
    let c = with_service(
        case(Program::Erisa, Urgency::Expedited, d(2026, 3, 2), vec![event("2026-03-06T10:00", EventKind::AppealFiled)]),
        Service::Payment,
    );
    let list = case_deadlines(&c, None, noon(d(2026, 3, 7)), New_York).deadlines;
    assert!(!list.iter().any(|x| x.rule == "erisa-urgent"), "{:?}", list.iter().map(|x| &x.rule).collect::<Vec<_>>());
    let got = find(&list, "erisa-postservice");
    assert_eq!(got.due, d(2026, 5, 5));
    assert!(has(got, "urgent care"), "{:?}", got.warnings);
    // The same at external review: 45 CFR 147.136(d)(3)(i) keeps the expedited review for care
    // still to be given. Filed Fri 6 Mar 2026 + 45 (standard, (d)(2)): Mar 25 left → 25, Apr 20
    // → 45 = Mon 20 Apr 2026.
    let mut c = with_service(
        case(Program::Aca, Urgency::Expedited, d(2026, 1, 5), vec![event("2026-03-06T10:00", EventKind::AppealFiled)]),
        Service::Payment,
    );
    c.info.level = Some("aca-external-review".into());
    let list = case_deadlines(&c, None, noon(d(2026, 3, 7)), New_York).deadlines;
    assert!(!list.iter().any(|x| x.rule == "aca-expedited-external"), "{:?}", list.iter().map(|x| &x.rule).collect::<Vec<_>>());
    let got = find(&list, "aca-standard-external");
    assert_eq!(got.due, d(2026, 4, 20));
    assert!(has(got, "care still to be given"), "{:?}", got.warnings);
}

#[test]
fn a_move_past_a_holiday_observed_in_place_names_the_earlier_date() {
    // 45 CFR 147.136(d)(2)(i) moves a last day on "a Saturday, Sunday, or Federal holiday". 5
    // U.S.C. 6103(a) names Independence Day "July 4"; in 2027 that is a Sunday, observed Mon 5
    // Jul. Receipt Thu 4 Mar 2027 → Sun 4 Jul → Tue 6 Jul, counting the observed Monday; where
    // only the holiday's own date counts, Mon 5 Jul is the last day, and the member is told so.
    let got = filing("aca-external-review", d(2027, 3, 4), Some(d(2027, 3, 4)));
    assert_eq!(
        (got.due, got.safe_due),
        (d(2027, 7, 6), Some(d(2027, 7, 5))),
        "the safe date is the deadline's too, as a late receipt's is"
    );
    assert!(has(&got, "2027-07-05 counts as Independence Day only because the holiday itself falls on a weekend"), "{:?}", got.warnings);
    // The notice states an earlier date, which governs: the holiday's own date no longer matters.
    let facts = Facts { received_date: Some(d(2027, 3, 4)), notice_deadline: Some(d(2027, 7, 1)), ..Facts::notice(d(2027, 3, 4)) };
    let got = compute(rule("aca-external-review").unwrap(), &facts, noon(d(2020, 1, 1)), New_York).unwrap();
    assert_eq!((got.due, got.safe_due), (d(2027, 7, 1), None));
    assert!(!has(&got, "safe date"), "{:?}", got.warnings);
    // Fri 24 Dec 2027 is Christmas observed (the 25th is a Saturday): receipt Tue 24 Aug 2027
    // → Fri 24 Dec → Mon 27 Dec, or Fri 24 Dec itself by the holiday's own date.
    let got = filing("aca-external-review", d(2027, 8, 24), Some(d(2027, 8, 24)));
    assert_eq!(got.due, d(2027, 12, 27));
    assert!(has(&got, "the last day is 2027-12-24, the safe date"), "{:?}", got.warnings);
    // Christmas on its own date (Fri 25 Dec 2026) is a holiday on either reading: no such line.
    let got = filing("aca-external-review", d(2026, 8, 25), Some(d(2026, 8, 25)));
    assert_eq!(got.due, d(2026, 12, 28));
    assert!(!has(&got, "safe date"), "{:?}", got.warnings);
    // Labor Day is never observed in place of another day.
    assert!(!calendar::observed_in_place(d(2026, 9, 7)));
    assert!(calendar::observed_in_place(d(2027, 12, 31)) && calendar::observed_in_place(d(2027, 7, 5)));
    assert!(!calendar::observed_in_place(d(2026, 12, 25)));
}
