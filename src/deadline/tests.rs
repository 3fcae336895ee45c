//! Worked examples with hand-checked dates: the arithmetic sits beside each.

use super::*;
use crate::model::{Case, CaseInfo, Event, EventKind, Member, Moment, Program, Submission, SubmissionMethod, Urgency};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::America::New_York;

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(h, min, 0).unwrap()
}

pub(super) fn noon(date: NaiveDate) -> NaiveDateTime {
    date.and_hms_opt(12, 0, 0).unwrap()
}

fn facts(notice: NaiveDate) -> Facts {
    Facts::notice(notice)
}

fn request(at: NaiveDateTime) -> Facts {
    Facts::request(Start { at, has_time: true, basis: Basis::Filed, offset: None })
}

fn run(id: &str, f: &Facts, now: NaiveDateTime) -> Option<Deadline> {
    compute(rule(id).unwrap_or_else(|| panic!("no rule {id}")), f, now, New_York)
}

fn due(id: &str, f: &Facts) -> NaiveDate {
    run(id, f, at(2020, 1, 1, 0, 0)).unwrap_or_else(|| panic!("{id} has no date")).due
}

/// The quick answer for a notice, seen at noon of `today`.
fn q(program: Program, notice: NaiveDate, contract_days: Option<u32>, today: NaiveDate) -> Vec<Deadline> {
    let ask = Quick { contract_days, ..Quick::new(program, notice) };
    quick(&ask, noon(today), New_York).unwrap()
}

fn utc(t: NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    t.and_utc()
}

fn moment(text: &str) -> Moment {
    Moment::parse(text).unwrap()
}

fn event(at: &str, kind: EventKind, promised: Option<&str>) -> Event {
    Event {
        at: moment(at),
        kind,
        summary: format!("{kind} event"),
        reference: Some("REF-1".into()),
        counterpart: Some("Agent Lee".into()),
        promised: promised.map(moment),
    }
}

pub(super) fn case(program: Program, urgency: Urgency, notice: NaiveDate, events: Vec<Event>) -> Case {
    Case {
        info: CaseInfo { title: "Home oxygen".into(), urgency, ..CaseInfo::new(program, notice) },
        member: Member { name: "John Smith".into(), dob: d(1945, 1, 23), member_id: "M1".into(), payer: "Plan".into(), phone: None },
        provider: None,
        submitter: None,
        exhibits: vec![],
        events,
        spo2: vec![],
        wounds: vec![],
        mobility: vec![],
        submissions: vec![],
        letter: None,
    }
}

#[test]
fn every_filing_rule_has_a_hand_checked_date() {
    // erisa-appeal: received Mon 3 Mar 2025 + 180: Mar 28 left → 28, Apr 30 → 58, May 31 → 89,
    // Jun 30 → 119, Jul 31 → 150, Aug 30 → 180 = Sat 30 Aug 2025.
    let f = Facts { received_date: Some(d(2025, 3, 3)), ..facts(d(2025, 2, 28)) };
    assert_eq!(due("erisa-appeal", &f), d(2025, 8, 30));
    // aca-external-review: 31 Oct 2025 + 4 months = 31 Feb 2026, which does not exist: the first
    // day of the next month, Sun 1 Mar 2026, and a Sunday moves to Mon 2 Mar.
    let f = Facts { received_date: Some(d(2025, 10, 31)), ..facts(d(2025, 10, 31)) };
    assert_eq!(due("aca-external-review", &f), d(2026, 3, 2));
    // ma-reconsideration: 10 Sep 2025, receipt presumed 15 Sep; + 60: Sep → 15, Oct → 46,
    // Nov 14 → 60 (Fri): 65 days from the notice's date.
    assert_eq!(due("ma-reconsideration", &facts(d(2025, 9, 10))), d(2025, 11, 14));
    // ma-grievance: 10 Sep 2025 + 60: Sep → 20, Oct → 51, Nov 9 → 60 (Sun).
    assert_eq!(due("ma-grievance", &facts(d(2025, 9, 10))), d(2025, 11, 9));
    // partd-redetermination: see the leap-day test; 10 Jan 2028 → 15 Jan → 15 Mar 2028.
    assert_eq!(due("partd-redetermination", &facts(d(2028, 1, 10))), d(2028, 3, 15));
    // medicare-redetermination: see the presumption test; 10 Jan 2025 → 15 May 2025.
    assert_eq!(due("medicare-redetermination", &facts(d(2025, 1, 10))), d(2025, 5, 15));
    // medicare-reconsideration: 2 Jun 2025 + 5 = 7 Jun; + 180: Jun → 23, Jul → 54, Aug → 85,
    // Sep → 115, Oct → 146, Nov → 176, Dec 4 → 180 (Thu).
    assert_eq!(due("medicare-reconsideration", &facts(d(2025, 6, 2))), d(2025, 12, 4));
    // medicare-alj: 3 Mar 2025 + 5 = 8 Mar; + 60: Mar → 23, Apr → 53, May 7 → 60 (Wed).
    assert_eq!(due("medicare-alj", &facts(d(2025, 3, 3))), d(2025, 5, 7));
    // medicaid-mc-appeal: see the holiday test; 6 May 2027 → Mon 5 Jul 2027.
    assert_eq!(due("medicaid-mc-appeal", &facts(d(2027, 5, 6))), d(2027, 7, 5));
    // medicaid-fair-hearing: 2 Jun 2025 + 120: Jun → 28, Jul → 59, Aug → 90, Sep 30 → 120 (Tue).
    assert_eq!(due("medicaid-fair-hearing", &facts(d(2025, 6, 2))), d(2025, 9, 30));
    // contract: see the 45-day test.
    let f = Facts { contract_days: Some(45), ..facts(d(2025, 9, 1)) };
    assert_eq!(due("contract", &f), d(2025, 10, 16));
    // No federal date: any time, and state law.
    assert!(run("medicaid-mc-grievance", &facts(d(2025, 9, 1)), noon(d(2025, 9, 1))).is_none());
    assert!(run("doi-complaint", &facts(d(2025, 9, 1)), noon(d(2025, 9, 1))).is_none());
}

#[test]
fn every_decision_clock_has_a_hand_checked_date() {
    let cases: &[(&str, NaiveDateTime, NaiveDate, Option<NaiveDateTime>)] = &[
        // 10:00 EST Fri 7 Mar 2025 + 72 h across spring-forward = 11:00 EDT Mon 10 Mar.
        ("erisa-urgent", at(2025, 3, 7, 10, 0), d(2025, 3, 10), Some(at(2025, 3, 10, 11, 0))),
        // 5 Sep 2025 + 30: Sep → 25, Oct 5 → 30.
        ("erisa-preservice", at(2025, 9, 5, 9, 0), d(2025, 10, 5), None),
        // 5 Sep 2025 + 60: Sep → 25, Oct → 56, Nov 4 → 60.
        ("erisa-postservice", at(2025, 9, 5, 9, 0), d(2025, 11, 4), None),
        // 14:30 Fri 5 Sep 2025 + 72 h, no clock change = 14:30 Mon 8 Sep.
        ("ma-expedited", at(2025, 9, 5, 14, 30), d(2025, 9, 8), Some(at(2025, 9, 8, 14, 30))),
        ("ma-standard-service", at(2025, 9, 5, 9, 0), d(2025, 10, 5), None),
        ("ma-payment", at(2025, 9, 5, 9, 0), d(2025, 11, 4), None),
        // 5 Sep 2025 + 7 = 12 Sep.
        ("partd-standard", at(2025, 9, 5, 9, 0), d(2025, 9, 12), None),
        // 10:00 EDT Fri 31 Oct 2025 (14:00 UTC) + 72 h = 14:00 UTC Mon 3 Nov = 09:00 EST.
        ("partd-expedited", at(2025, 10, 31, 10, 0), d(2025, 11, 3), Some(at(2025, 11, 3, 9, 0))),
        ("medicaid-mc-standard", at(2025, 9, 5, 9, 0), d(2025, 10, 5), None),
        // 20:00 EDT Sat 1 Nov 2025 (00:00 UTC 2 Nov) + 72 h = 00:00 UTC 5 Nov = 19:00 EST 4 Nov.
        ("medicaid-mc-expedited", at(2025, 11, 1, 20, 0), d(2025, 11, 4), Some(at(2025, 11, 4, 19, 0))),
        // 5 Sep 2025 + 90: Sep → 25, Oct → 56, Nov → 86, Dec 4 → 90.
        ("medicaid-mc-grievance-resolution", at(2025, 9, 5, 9, 0), d(2025, 12, 4), None),
        // 16:00 Tue 30 Dec 2025 + 72 h = 16:00 Fri 2 Jan 2026 (EST throughout).
        ("aca-expedited-external", at(2025, 12, 30, 16, 0), d(2026, 1, 2), Some(at(2026, 1, 2, 16, 0))),
    ];
    for (id, start, want_due, want_time) in cases {
        let got = run(id, &request(*start), at(2020, 1, 1, 0, 0)).unwrap();
        assert_eq!((got.due, got.due_time), (*want_due, *want_time), "{id}");
        assert_eq!(got.kind, DeadlineKind::PlanDecision, "{id}");
        assert_eq!(got.counting, if want_time.is_some() { "hours" } else { "calendar" }, "{id}");
        // A plan's clock on a weekend is not the member's to meet: no "file earlier".
        assert!(got.warnings.is_empty(), "{id}: {:?}", got.warnings);
    }
    // No request recorded: no clock.
    assert!(run("ma-expedited", &facts(d(2025, 9, 5)), noon(d(2025, 9, 5))).is_none());
}

#[test]
fn every_rule_of_both_tables_is_present_once() {
    let ids: Vec<&str> = rules().iter().map(|r| r.id).collect();
    let expected = [
        "erisa-appeal",
        "aca-external-review",
        "ma-reconsideration",
        "ma-alj",
        "partd-ire",
        "ma-grievance",
        "partd-redetermination",
        "medicare-redetermination",
        "medicare-reconsideration",
        "medicare-alj",
        "medicaid-mc-appeal",
        "medicaid-mc-grievance",
        "medicaid-fair-hearing",
        "contract",
        "doi-complaint",
        "erisa-urgent",
        "erisa-preservice",
        "erisa-postservice",
        "ma-expedited",
        "ma-standard-service",
        "ma-payment",
        "partd-standard",
        "partd-expedited",
        "medicaid-mc-standard",
        "medicaid-mc-expedited",
        "medicaid-mc-grievance-resolution",
        "aca-expedited-external",
        "aca-standard-external",
        "ma-partb-drug",
        "ma-partb-drug-expedited",
        "partd-payment",
        "ma-pa-standard",
        "ma-pa-expedited",
        "medicaid-mc-pa-standard",
        "medicaid-mc-pa-expedited",
        "erisa-pa-standard",
        "erisa-pa-urgent",
    ];
    assert_eq!(ids, expected);
    for r in rules() {
        assert!(!r.citation.is_empty() && !r.action.is_empty() && !r.level.is_empty(), "{}", r.id);
        // Only 45 CFR 147.136(d)(2)(i) moves a deadline off a weekend or holiday.
        assert_eq!(r.moves_off_weekend, r.id == "aca-external-review", "{}", r.id);
        let presumed =
            ["ma-reconsideration", "medicare-redetermination", "medicare-reconsideration", "medicare-alj", "partd-redetermination"];
        assert_eq!(r.presumed_receipt_days, presumed.contains(&r.id).then_some(5), "{}", r.id);
    }
    for program in Program::ALL {
        for id in filing_rules(*program).iter().chain(decision_clocks(*program)) {
            assert!(rule(id).is_some(), "{program}: {id}");
        }
    }
}

#[test]
fn citations_print_exactly_as_in_the_spec() {
    let cite = |id: &str| rule(id).unwrap().citation;
    assert_eq!(cite("erisa-appeal"), "29 CFR 2560.503-1(h)(3)(i)");
    assert_eq!(cite("aca-external-review"), "45 CFR 147.136(d)(2)(i) (federal process; states ≥ 4 months)");
    assert_eq!(cite("ma-reconsideration"), "42 CFR 422.582(b), (b)(1)");
    assert_eq!(cite("ma-alj"), "42 CFR 422.602(b)");
    // The spec's table says 423.600(b); the window is in paragraph (a) of the regulation.
    assert_eq!(cite("partd-ire"), "42 CFR 423.600(a)");
    assert_eq!(cite("ma-partb-drug"), "42 CFR 422.590(c)");
    assert_eq!(cite("ma-partb-drug-expedited"), "42 CFR 422.590(e)");
    assert_eq!(cite("partd-payment"), "42 CFR 423.590(b)");
    assert_eq!(cite("aca-standard-external"), "45 CFR 147.136(d)(2) (federal process)");
    assert_eq!(cite("ma-pa-standard"), "42 CFR 422.568(b)(1)");
    assert_eq!(cite("ma-pa-expedited"), "42 CFR 422.572(a)");
    assert_eq!(cite("medicaid-mc-pa-standard"), "42 CFR 438.210(d)(1)");
    assert_eq!(cite("medicaid-mc-pa-expedited"), "42 CFR 438.210(d)(2)");
    assert_eq!(cite("erisa-pa-standard"), "29 CFR 2560.503-1(f)(2)(iii)(A)");
    assert_eq!(cite("erisa-pa-urgent"), "29 CFR 2560.503-1(f)(2)(i)");
    assert_eq!(cite("partd-redetermination"), "42 CFR 423.582(b), (b)(1)");
    assert_eq!(cite("medicare-redetermination"), "42 CFR 405.942(a), (a)(1)");
    assert_eq!(cite("medicare-alj"), "42 CFR 405.1002(a)(1), (a)(3)");
    assert_eq!(cite("medicaid-fair-hearing"), "42 CFR 438.408(f)(2)");
    assert_eq!(cite("contract"), "per contract");
    assert_eq!(cite("doi-complaint"), "state law");
    assert_eq!(cite("erisa-postservice"), "29 CFR 2560.503-1(i)(2)(iii)");
    assert_eq!(cite("medicaid-mc-grievance-resolution"), "42 CFR 438.408(b)(1)");
    assert_eq!(cite("aca-expedited-external"), "45 CFR 147.136(d)(3)(iv)");
    // ✓ rows of the spec.
    let checked: Vec<&str> = rules().iter().filter(|r| r.checked).map(|r| r.id).collect();
    assert_eq!(
        checked,
        [
            "partd-redetermination",
            "medicare-redetermination",
            "medicare-reconsideration",
            "medicare-alj",
            "ma-standard-service",
            "ma-payment"
        ]
    );
}

#[test]
fn partd_window_from_january_2028_crosses_the_leap_day() {
    // Notice Mon 10 Jan 2028, receipt presumed 5 days later: 15 Jan. + 60: Jan 16 left → 16,
    // Feb 29 days (leap year) → 45, Mar 15 → 60 = Wed 15 Mar 2028. (In 2027 it would be 16 Mar.)
    let got = run("partd-redetermination", &facts(d(2028, 1, 10)), noon(d(2028, 1, 20))).unwrap();
    assert_eq!(got.counted_from, d(2028, 1, 15));
    assert_eq!(got.due, d(2028, 3, 15));
    assert_eq!(got.days, Some(60));
    assert_eq!(
        got.warnings,
        ["receipt presumed 2028-01-15, 5 days after the notice date 2028-01-10: enter the date it arrived if it came earlier or later"]
    );
    assert_eq!(due("partd-redetermination", &facts(d(2027, 1, 10))), d(2027, 3, 16));
    // Before 2025 the window ran from the notice's own date (89 FR 30841 changed it): Wed 10 Jan
    // 2024 + 60: Jan 21 left → 21, Feb 29 → 50, Mar 10 → 60 = Sun 10 Mar 2024.
    let got = run("partd-redetermination", &facts(d(2024, 1, 10)), noon(d(2024, 1, 20))).unwrap();
    assert_eq!((got.counted_from, got.due, got.basis), (d(2024, 1, 10), d(2024, 3, 10), Basis::NoticeDate));
    assert!(got.warnings[0].starts_with("the rule before 2025-01-01 applies"), "{:?}", got.warnings);
}

#[test]
fn original_medicare_presumes_receipt_five_days_after_the_notice() {
    // Notice 10 Jan 2025 → receipt presumed 15 Jan. + 120: Jan → 16, Feb → 44, Mar → 75,
    // Apr → 105, May 15 → 120 = Thu 15 May 2025.
    let got = run("medicare-redetermination", &facts(d(2025, 1, 10)), noon(d(2025, 2, 1))).unwrap();
    assert_eq!(got.counted_from, d(2025, 1, 15));
    assert_eq!(got.due, d(2025, 5, 15));
    // A recorded receipt date replaces the presumption: 20 Jan + 120 = 20 May.
    let f = Facts { received_date: Some(d(2025, 1, 20)), ..facts(d(2025, 1, 10)) };
    assert_eq!(due("medicare-redetermination", &f), d(2025, 5, 20));
}

#[test]
fn receipt_without_a_presumption_falls_back_to_the_notice_date_with_a_warning() {
    // ERISA counts from receipt with no presumption: notice 3 Mar 2025 + 180 = Sat 30 Aug.
    let got = run("erisa-appeal", &facts(d(2025, 3, 3)), noon(d(2025, 3, 4))).unwrap();
    assert_eq!(got.counted_from, d(2025, 3, 3));
    assert_eq!(got.due, d(2025, 8, 30));
    assert!(got.warnings.iter().any(|w| w.contains("receipt was assumed")), "{:?}", got.warnings);
    assert!(got.warnings.iter().any(|w| w == "falls on a Saturday: file earlier"), "{:?}", got.warnings);
}

#[test]
fn a_deadline_on_a_sunday_is_kept_and_warns() {
    // Notice 12 Sep 2025, receipt presumed 17 Sep; + 60: Sep 13 left → 13, Oct → 44,
    // Nov 16 → 60 = Sun 16 Nov 2025.
    let got = run("ma-reconsideration", &facts(d(2025, 9, 12)), noon(d(2025, 9, 15))).unwrap();
    assert_eq!(got.due, d(2025, 11, 16));
    assert_eq!(got.warnings[1..], ["falls on a Sunday: file earlier"]);
}

#[test]
fn a_deadline_on_a_holiday_observed_on_a_monday_is_kept_and_warns() {
    // Independence Day 2027 is a Sunday, observed Mon 5 Jul. Notice 1 May 2027, receipt
    // presumed 6 May; + 60: May 25 left → 25, Jun → 55, Jul 5 → 60.
    let got = run("ma-reconsideration", &facts(d(2027, 5, 1)), noon(d(2027, 5, 3))).unwrap();
    assert_eq!(got.due, d(2027, 7, 5));
    assert_eq!(got.warnings[1..], ["falls on Independence Day (federal holiday): file earlier"]);
    // Independence Day 2027 is a Sunday, observed Mon 5 Jul. Notice 6 May 2027 + 60:
    // May 25 left → 25, Jun → 55, Jul 5 → 60.
    let got = run("medicaid-mc-appeal", &facts(d(2027, 5, 6)), noon(d(2027, 5, 7))).unwrap();
    assert_eq!(got.due, d(2027, 7, 5));
    assert_eq!(got.warnings, ["falls on Independence Day (federal holiday): file earlier"]);
    // Independence Day 2026 is a Saturday, observed Fri 3 Jul. Notice 4 May 2026 + 60:
    // May 27 left → 27, Jun → 57, Jul 3 → 60.
    let got = run("medicaid-mc-appeal", &facts(d(2026, 5, 4)), noon(d(2026, 5, 5))).unwrap();
    assert_eq!(got.due, d(2026, 7, 3));
    assert_eq!(got.warnings, ["falls on Independence Day (federal holiday): file earlier"]);
}

#[test]
fn hours_run_across_the_spring_forward_change() {
    // 72 h from 10:00 EST Fri 7 Mar 2025 = 11:00 EDT Mon 10 Mar, not 10:00.
    let got = run("ma-expedited", &request(at(2025, 3, 7, 10, 0)), at(2025, 3, 7, 10, 0)).unwrap();
    assert_eq!(got.due_time, Some(at(2025, 3, 10, 11, 0)));
    assert_eq!(got.due, d(2025, 3, 10));
    assert_eq!((got.hours, got.days, got.counting), (Some(72), None, "hours"));
    // 15:00 UTC either way.
    assert_eq!(got.due_utc.map(|t| t.naive_utc()), Some(at(2025, 3, 10, 15, 0)));
}

#[test]
fn a_contract_window_of_45_days() {
    // Notice Mon 1 Sep 2025 + 45: Sep 29 left → 29, Oct 16 → 45 = Thu 16 Oct 2025.
    let f = Facts { contract_days: Some(45), ..facts(d(2025, 9, 1)) };
    let got = run("contract", &f, noon(d(2025, 9, 2))).unwrap();
    assert_eq!((got.due, got.days, got.citation.as_str()), (d(2025, 10, 16), Some(45), "per contract"));
    assert!(got.warnings.is_empty());
    // Without the number of days there is nothing to count.
    assert!(run("contract", &facts(d(2025, 9, 1)), noon(d(2025, 9, 2))).is_none());
    let quick_answer = q(Program::Contract, d(2025, 9, 1), Some(45), d(2025, 9, 2));
    assert_eq!(quick_answer.len(), 1);
    assert_eq!(quick_answer[0].due, d(2025, 10, 16));
    assert_eq!(quick_answer[0].program, "contract");
}

#[test]
fn four_months_of_external_review_count_calendar_months() {
    // 15 Jan 2025 + 4 months = 15 May 2025 (Thu).
    let f = Facts { received_date: Some(d(2025, 1, 15)), ..facts(d(2025, 1, 10)) };
    let got = run("aca-external-review", &f, noon(d(2025, 1, 16))).unwrap();
    assert_eq!((got.due, got.counting, got.months, got.days), (d(2025, 5, 15), "months", Some(4), None));
}

#[test]
fn an_earlier_notice_deadline_wins_and_says_so() {
    // Computed: 10 Sep 2025 + 5 + 60 = Fri 14 Nov. The notice prints Mon 10 Nov: that wins.
    let f = Facts { notice_deadline: Some(d(2025, 11, 10)), ..facts(d(2025, 9, 10)) };
    let got = run("ma-reconsideration", &f, noon(d(2025, 11, 2))).unwrap();
    assert_eq!(got.due, d(2025, 11, 10));
    assert_eq!(got.days_left, 8);
    assert!(got.warnings[1].contains("2025-11-10") && got.warnings[1].contains("2025-11-14"), "{:?}", got.warnings);
    // A later notice date loses to the computed one, also with a word.
    let f = Facts { notice_deadline: Some(d(2025, 11, 20)), ..facts(d(2025, 9, 10)) };
    let got = run("ma-reconsideration", &f, noon(d(2025, 11, 2))).unwrap();
    assert_eq!(got.due, d(2025, 11, 14));
    assert_eq!(got.warnings.len(), 2);
    assert!(got.warnings[1].contains("later than the computed"), "{:?}", got.warnings);
    // The same date: nothing to say but the presumption.
    let f = Facts { notice_deadline: Some(d(2025, 11, 14)), ..facts(d(2025, 9, 10)) };
    assert_eq!(run("ma-reconsideration", &f, noon(d(2025, 11, 2))).unwrap().warnings.len(), 1);
}

#[test]
fn status_runs_open_due_soon_overdue() {
    // Due Fri 14 Nov 2025 (10 Sep + 65).
    let f = facts(d(2025, 9, 10));
    let status = |today: NaiveDate| {
        let got = run("ma-reconsideration", &f, noon(today)).unwrap();
        (got.days_left, got.status)
    };
    assert_eq!(status(d(2025, 11, 2)), (12, Status::Open));
    assert_eq!(status(d(2025, 11, 6)), (8, Status::Open));
    assert_eq!(status(d(2025, 11, 7)), (7, Status::DueSoon));
    assert_eq!(status(d(2025, 11, 14)), (0, Status::DueSoon));
    assert_eq!(status(d(2025, 11, 15)), (-1, Status::Overdue));
    // Hour rules: due-soon within 24 h of the moment. Due 14:30 Mon 8 Sep 2025.
    let f = request(at(2025, 9, 5, 14, 30));
    let status = |now: NaiveDateTime| run("ma-expedited", &f, now).unwrap().status;
    assert_eq!(status(at(2025, 9, 7, 14, 29)), Status::Open);
    assert_eq!(status(at(2025, 9, 7, 14, 30)), Status::DueSoon);
    assert_eq!(status(at(2025, 9, 8, 14, 30)), Status::DueSoon);
    assert_eq!(status(at(2025, 9, 8, 14, 31)), Status::Overdue);
}

#[test]
fn a_filing_on_or_before_the_deadline_is_met_and_starts_the_plans_clock() {
    // MA standard, notice 10 Sep 2025: file by 14 Nov. Filed 10 Nov by fax (a submission).
    let mut c = case(Program::MedicareAdvantage, Urgency::Standard, d(2025, 9, 10), vec![]);
    c.submissions.push(Submission {
        at: moment("2025-11-10T09:15"),
        method: SubmissionMethod::Fax,
        to: "Plan appeals".into(),
        confirmation: None,
        packet_sha256: None,
    });
    let got = case_deadlines(&c, Some("smith-oxygen-appeal"), noon(d(2025, 11, 20)), New_York);
    assert_eq!(got.deadlines.len(), 2);
    let filing = &got.deadlines[0];
    assert_eq!((filing.kind, filing.due, filing.status), (DeadlineKind::FileAppeal, d(2025, 11, 14), Status::Met));
    assert_eq!(filing.case.as_deref(), Some("smith-oxygen-appeal"));
    assert_eq!(filing.label, "File the reconsideration");
    // Plan's clock: 10 Nov + 30 days = Wed 10 Dec 2025 (Nov 20 left → 20, Dec 10 → 30).
    let clock = &got.deadlines[1];
    assert_eq!((clock.kind, clock.rule.as_str()), (DeadlineKind::PlanDecision, "ma-standard-service"));
    assert_eq!((clock.due, clock.status, clock.days_left), (d(2025, 12, 10), Status::Open, 20));
    assert!(clock.warnings.iter().any(|w| w.contains("42 CFR 422.590(b)")), "{:?}", clock.warnings);
    // A decision on 5 Dec meets the clock; Medicare Advantage has no next level in the table.
    c.events.push(event("2025-12-05", EventKind::Decision, None));
    let got = case_deadlines(&c, None, noon(d(2025, 12, 20)), New_York);
    assert_eq!(got.deadlines.iter().map(|d| d.status).collect::<Vec<_>>(), [Status::Met, Status::Met]);
}

#[test]
fn a_late_filing_stays_overdue() {
    let mut c = case(Program::MedicareAdvantage, Urgency::Standard, d(2025, 9, 10), vec![]);
    c.events.push(event("2025-11-17", EventKind::AppealFiled, None));
    let got = case_deadlines(&c, None, noon(d(2025, 11, 18)), New_York);
    assert_eq!(got.deadlines[0].status, Status::Overdue);
    assert!(got.deadlines[0].warnings.iter().any(|w| w.contains("after this deadline")));
}

#[test]
fn an_expedited_case_runs_the_72_hour_clock_from_the_filing() {
    // Filed 14:30 Fri 5 Sep 2025; 72 h later = 14:30 Mon 8 Sep (EDT throughout).
    let filed = event("2025-09-05T14:30", EventKind::AppealFiled, None);
    let c = case(Program::MedicareAdvantage, Urgency::Expedited, d(2025, 9, 3), vec![filed.clone()]);
    let got = case_deadlines(&c, None, at(2025, 9, 7, 16, 0), New_York);
    let clock = got.deadlines.iter().find(|d| d.kind == DeadlineKind::PlanDecision).unwrap();
    assert_eq!(clock.rule, "ma-expedited");
    assert_eq!(clock.citation, "42 CFR 422.590(e)");
    assert_eq!(clock.due_time, Some(at(2025, 9, 8, 14, 30)));
    // 22.5 h left.
    assert_eq!(clock.status, Status::DueSoon);
    // Soonest first: the clock (8 Sep) before the filing deadline it already met (3 Sep + 65 = 7 Nov).
    assert_eq!(got.deadlines[0].kind, DeadlineKind::PlanDecision);
    assert_eq!(got.deadlines[1].status, Status::Met);
    // A decision at 09:00 on 8 Sep meets it; one at 15:00 does not.
    let decided = |time: &str| {
        let c = case(
            Program::MedicareAdvantage,
            Urgency::Expedited,
            d(2025, 9, 3),
            vec![filed.clone(), event(time, EventKind::Decision, None)],
        );
        let got = case_deadlines(&c, None, at(2025, 9, 9, 12, 0), New_York);
        got.deadlines.iter().find(|d| d.kind == DeadlineKind::PlanDecision).unwrap().status
    };
    assert_eq!(decided("2025-09-08T09:00"), Status::Met);
    assert_eq!(decided("2025-09-08T15:00"), Status::Overdue);
}

#[test]
fn original_medicare_climbs_the_ladder_after_each_decision() {
    // Redetermination: notice 10 Jan 2025 → 15 May (see the presumption test); filed 1 Feb;
    // decided 3 Mar. QIC reconsideration: 3 Mar + 5 = 8 Mar, + 180: Mar → 23, Apr → 53,
    // May → 84, Jun → 114, Jul → 145, Aug → 176, Sep 4 → 180 = Thu 4 Sep 2025.
    let c = case(
        Program::OriginalMedicare,
        Urgency::Standard,
        d(2025, 1, 10),
        vec![event("2025-02-01", EventKind::AppealFiled, None), event("2025-03-03", EventKind::Decision, None)],
    );
    let got = case_deadlines(&c, Some("c"), noon(d(2025, 3, 10)), New_York);
    assert_eq!(got.deadlines.len(), 2);
    assert_eq!((got.deadlines[0].rule.as_str(), got.deadlines[0].status), ("medicare-redetermination", Status::Met));
    let next = &got.deadlines[1];
    assert_eq!((next.kind, next.rule.as_str()), (DeadlineKind::NextLevel, "medicare-reconsideration"));
    assert_eq!((next.counted_from, next.due, next.status), (d(2025, 3, 8), d(2025, 9, 4), Status::Open));
    assert_eq!(next.label, "Request the QIC reconsideration");
}

#[test]
fn medicaid_plan_appeal_leads_to_a_state_fair_hearing() {
    // Plan appeal decided 2 Jun 2025: fair hearing by 2 Jun + 120 = 30 Sep 2025.
    let c = case(
        Program::MedicaidManagedCare,
        Urgency::Standard,
        d(2025, 4, 1),
        vec![event("2025-04-15T10:00", EventKind::AppealFiled, None), event("2025-06-02", EventKind::Decision, None)],
    );
    let got = case_deadlines(&c, None, noon(d(2025, 6, 3)), New_York);
    let rules_seen: Vec<(&str, Status)> = got.deadlines.iter().map(|d| (d.rule.as_str(), d.status)).collect();
    // 1 Apr + 60 = 31 May (met 15 Apr); 15 Apr + 30 = 15 May (decided 2 Jun: late);
    // fair hearing 30 Sep.
    assert_eq!(
        rules_seen,
        [("medicaid-mc-standard", Status::Overdue), ("medicaid-mc-appeal", Status::Met), ("medicaid-fair-hearing", Status::Open)]
    );
    assert_eq!(got.deadlines[2].due, d(2025, 9, 30));
}

#[test]
fn the_case_level_picks_the_rule_by_id_or_name() {
    let mut c = case(Program::OriginalMedicare, Urgency::Standard, d(2025, 6, 2), vec![]);
    c.info.level = Some("reconsideration".into());
    let got = case_deadlines(&c, None, noon(d(2025, 6, 3)), New_York);
    // 2 Jun + 5 + 180 = 4 Dec 2025.
    assert_eq!((got.deadlines[0].rule.as_str(), got.deadlines[0].due), ("medicare-reconsideration", d(2025, 12, 4)));
    c.info.level = Some("medicare-alj".into());
    assert_eq!(case_deadlines(&c, None, noon(d(2025, 6, 3)), New_York).deadlines[0].rule, "medicare-alj");
    c.info.level = Some("supreme court".into());
    let got = case_deadlines(&c, None, noon(d(2025, 6, 3)), New_York);
    assert_eq!(got.deadlines[0].rule, "medicare-redetermination");
    assert!(got.deadlines[0].warnings.iter().any(|w| w.contains("supreme court")));
}

#[test]
fn a_notice_deadline_applies_to_the_case_filing_only() {
    let mut c = case(Program::MedicareAdvantage, Urgency::Standard, d(2025, 9, 10), vec![]);
    c.info.notice_deadline = Some(d(2025, 11, 10));
    // 3 Nov to 10 Nov: 7 days left, so due soon (against 14 Nov it would be 11, open).
    let got = case_deadlines(&c, None, noon(d(2025, 11, 3)), New_York);
    assert_eq!(got.deadlines[0].due, d(2025, 11, 10));
    assert_eq!(got.deadlines[0].status, Status::DueSoon);
}

#[test]
fn a_promise_that_passes_unkept_is_missed() {
    // Call Wed 3 Sep 2025: delivery promised by 17:00 Fri 5 Sep. Nothing until a delivery on 9 Sep.
    let events =
        vec![event("2025-09-03T10:15", EventKind::Call, Some("2025-09-05T17:00")), event("2025-09-09T11:00", EventKind::Delivered, None)];
    let c = case(Program::MedicareAdvantage, Urgency::Standard, d(2025, 9, 10), events);
    assert!(!promise_is_missed(&c, 0, at(2025, 9, 5, 17, 0), New_York));
    assert!(promise_is_missed(&c, 0, at(2025, 9, 5, 17, 1), New_York));
    assert!(!promise_is_missed(&c, 1, at(2025, 9, 12, 0, 0), New_York));
    assert!(!promise_is_missed(&c, 7, at(2025, 9, 12, 0, 0), New_York));
    let got = case_deadlines(&c, Some("smith"), at(2025, 9, 12, 9, 0), New_York);
    assert_eq!(got.missed_promises.len(), 1);
    let missed = &got.missed_promises[0];
    assert_eq!(missed.promised, moment("2025-09-05T17:00"));
    assert_eq!(missed.event_at, moment("2025-09-03T10:15"));
    assert_eq!((missed.reference.as_deref(), missed.counterpart.as_deref()), (Some("REF-1"), Some("Agent Lee")));
    // Kept late on 9 Sep: 4 days after 5 Sep.
    assert_eq!((missed.days_overdue, missed.fulfilled_late), (4, Some(moment("2025-09-09T11:00"))));
    assert_eq!(missed.case.as_deref(), Some("smith"));
    let promise = got.deadlines.iter().find(|d| d.kind == DeadlineKind::Promise).unwrap();
    assert_eq!(promise.status, Status::Overdue);
    // Still unkept: days overdue run to today (12 Sep − 5 Sep = 7).
    let c = case(Program::MedicareAdvantage, Urgency::Standard, d(2025, 9, 10), vec![c.events[0].clone()]);
    let got = case_deadlines(&c, None, at(2025, 9, 12, 9, 0), New_York);
    assert_eq!(got.missed_promises[0].days_overdue, 7);
}

#[test]
fn a_promise_kept_in_time_or_still_ahead_is_not_missed() {
    // Scheduled on Thu 4 Sep, before the promised day (date only: runs to the end of 5 Sep).
    let kept = case(
        Program::MedicareAdvantage,
        Urgency::Standard,
        d(2025, 9, 10),
        vec![event("2025-09-03", EventKind::Call, Some("2025-09-05")), event("2025-09-04", EventKind::Scheduled, None)],
    );
    let got = case_deadlines(&kept, None, at(2025, 9, 12, 9, 0), New_York);
    assert!(got.missed_promises.is_empty());
    assert_eq!(got.deadlines.iter().find(|d| d.kind == DeadlineKind::Promise).unwrap().status, Status::Met);
    // A delivery before the promise was made does not keep it.
    let before = case(
        Program::MedicareAdvantage,
        Urgency::Standard,
        d(2025, 9, 10),
        vec![event("2025-09-01", EventKind::Delivered, None), event("2025-09-03", EventKind::Call, Some("2025-09-05"))],
    );
    assert!(promise_is_missed(&before, 1, at(2025, 9, 6, 0, 0), New_York));
    // A date-only promise is not missed during its own day.
    assert!(!promise_is_missed(&before, 1, at(2025, 9, 5, 23, 59), New_York));
    let got = case_deadlines(&before, None, at(2025, 9, 4, 9, 0), New_York);
    let promise = got.deadlines.iter().find(|d| d.kind == DeadlineKind::Promise).unwrap();
    assert_eq!((promise.status, promise.days_left), (Status::DueSoon, 1));
}

#[test]
fn a_state_complaint_counts_the_days_its_law_allows_where_they_are_entered() {
    // 30 days from 2 November 2026: November has 30 days, so 2 December; a Wednesday.
    let got = q(Program::StateDoi, d(2026, 11, 2), Some(30), d(2026, 11, 3));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].rule.as_str(), got[0].due, got[0].citation.as_str()), ("doi-complaint", d(2026, 12, 2), "state law"));
    assert!(got[0].warnings.iter().any(|w| w.contains("30 days as entered for the state's law")), "{:?}", got[0].warnings);
    let mut c = case(Program::StateDoi, Urgency::Standard, d(2026, 11, 2), vec![]);
    c.info.contract_days = Some(60);
    let got = case_deadlines(&c, None, noon(d(2026, 11, 3)), New_York);
    assert_eq!(got.deadlines.iter().map(|d| d.due).collect::<Vec<_>>(), vec![d(2027, 1, 1)], "60 days from 2026-11-02");
}

#[test]
fn programs_without_a_computed_date_give_none() {
    let c = case(Program::StateDoi, Urgency::Standard, d(2025, 9, 10), vec![]);
    assert!(case_deadlines(&c, None, noon(d(2025, 9, 11)), New_York).deadlines.is_empty());
    assert!(q(Program::StateDoi, d(2025, 9, 10), None, d(2025, 9, 11)).is_empty());
    // A Medicaid grievance has no filing limit, but once filed the plan has 90 days:
    // 1 Oct 2025 + 90: Oct 31 → 30, Nov 30 → 60, Dec 30 → 90.
    let mut c =
        case(Program::MedicaidManagedCare, Urgency::Standard, d(2025, 9, 10), vec![event("2025-10-01", EventKind::AppealFiled, None)]);
    c.info.level = Some("grievance".into());
    let got = case_deadlines(&c, None, noon(d(2025, 10, 2)), New_York);
    assert_eq!(got.deadlines.len(), 1);
    assert_eq!((got.deadlines[0].rule.as_str(), got.deadlines[0].due), ("medicaid-mc-grievance-resolution", d(2025, 12, 30)));
}

/// The engine's own field names; the command line's documented shape (where `rule` is the
/// program) is pinned in `tests/cli.rs`, `deadline_json_has_the_documented_shape`.
#[test]
fn json_has_the_engine_field_names() {
    let got = &q(Program::MedicareAdvantage, d(2025, 9, 10), None, d(2025, 11, 2))[0];
    let value = serde_json::to_value(got).unwrap();
    // Receipt presumed Mon 15 Sep (10 Sep + 5); + 60: Sep → 15, Oct → 46, Nov 14 → 60 (Fri).
    let expected = serde_json::json!({
        "case": null, "kind": "file-appeal", "due": "2025-11-14", "due_time": null,
        "program": "medicare-advantage", "citation": "42 CFR 422.582(b), (b)(1)", "counted_from": "2025-09-15",
        "days": 60, "counting": "calendar", "days_left": 12, "status": "open",
        "rule": "ma-reconsideration", "label": "File the reconsideration",
        "warnings": ["receipt presumed 2025-09-15, 5 days after the notice date 2025-09-10: enter the date it arrived if it came earlier or later"],
        "notice_governs": "The deadline stated on your notice governs.",
        "basis": "presumed-receipt", "basis_given": false,
        "basis_text": "receipt presumed 2025-09-15, 5 days after the notice date 2025-09-10",
        "due_text": "2025-11-14", "time_zone": null, "due_at": null, "checked": false, "safe_due": null, "closed": false
    });
    assert_eq!(value, expected);
    let keys: Vec<String> = serde_json::to_value(got).unwrap().as_object().unwrap().keys().cloned().collect();
    assert!(!keys.contains(&"due_utc".to_string()));
    assert_eq!(serde_json::to_value(Status::DueSoon).unwrap(), "due-soon");
    assert_eq!(serde_json::to_value(DeadlineKind::NextLevel).unwrap(), "next-level");
}

#[test]
fn ics_holds_one_all_day_event_per_open_deadline_with_two_reminders() {
    let mut c = case(Program::MedicareAdvantage, Urgency::Standard, d(2025, 9, 10), vec![]);
    c.info.notice_deadline = Some(d(2025, 11, 10));
    let mut got = case_deadlines(&c, Some("smith-oxygen-appeal"), noon(d(2025, 11, 2)), New_York).deadlines;
    got[0].warnings.push("a, b; c\\d\nnext".into());
    let mut met = got[0].clone();
    met.status = Status::Met;
    met.rule = "met-one".into();
    got.push(met);
    let ics = to_ics(&got, utc(at(2025, 11, 2, 12, 0)));
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Redress//Redress//EN\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
    }
    let unfolded = ics.replace("\r\n ", "");
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 1, "the met deadline is skipped");
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20251110\r\nDTEND;VALUE=DATE:20251111\r\n"));
    assert!(unfolded.contains("DTSTAMP:20251102T120000Z\r\n"));
    assert!(unfolded.contains("SUMMARY:Redress: File the reconsideration (smith-oxygen-appeal)\r\n"));
    assert!(unfolded.contains("a\\, b\\; c\\\\d\\nnext"));
    assert!(unfolded.contains("The deadline stated on your notice governs."));
    assert!(unfolded.contains("42 CFR 422.582(b)"));
    assert!(unfolded.contains("TRIGGER:-P7D\r\n") && unfolded.contains("TRIGGER:-P1D\r\n"));
    assert_eq!(unfolded.matches("BEGIN:VALARM").count(), 2);
    // The UID stays when the date moves, so a calendar updates the event in place.
    let uid = |text: &str| text.lines().find(|l| l.starts_with("UID:")).map(str::to_string);
    let mut moved = got[0].clone();
    moved.due = d(2025, 11, 14);
    let again = to_ics(&[moved], utc(at(2025, 11, 3, 12, 0))).replace("\r\n ", "");
    assert_eq!(uid(&unfolded), uid(&again));
    assert!(uid(&unfolded).unwrap().ends_with("@redress"));
}

#[test]
fn ics_writes_an_hour_rule_as_a_timed_event_in_utc() {
    let got = run("ma-expedited", &request(at(2025, 3, 7, 10, 0)), at(2025, 3, 7, 10, 0)).unwrap();
    let ics = to_ics(&[got], utc(at(2025, 3, 7, 15, 0))).replace("\r\n ", "");
    // 11:00 EDT = 15:00 UTC.
    assert!(ics.contains("DTSTART:20250310T150000Z\r\n"), "{ics}");
    assert!(!ics.contains("DTEND"));
}

#[test]
fn nothing_panics_at_the_edges_of_the_calendar() {
    let far = NaiveDate::MAX;
    for r in rules() {
        let start = |at: NaiveDateTime| Some(Start { at, has_time: false, basis: Basis::Filed, offset: None });
        let f = Facts { contract_days: Some(u32::MAX), request: start(far.and_time(NaiveTime::MIN)), ..facts(far) };
        assert!(compute(r, &f, far.and_time(NaiveTime::MIN), New_York).is_none(), "{}", r.id);
        let f = Facts { request: start(NaiveDate::MIN.and_time(NaiveTime::MIN)), ..facts(NaiveDate::MIN) };
        let _ = compute(r, &f, NaiveDate::MAX.and_time(NaiveTime::MIN), New_York);
    }
}

#[test]
fn a_received_date_a_rule_does_not_count_from_is_said_not_to_move_it() {
    // Medicaid's plan appeal counts 60 days from the notice's date (42 CFR 438.402(c)(2)(ii)).
    let ask = Quick { received_date: Some(d(2026, 3, 10)), ..Quick::new(Program::MedicaidManagedCare, d(2026, 3, 6)) };
    let got = &quick(&ask, noon(d(2026, 3, 7)), New_York).unwrap()[0];
    assert_eq!(got.due, d(2026, 5, 5));
    assert!(
        got.warnings
            .contains(&"the received date 2026-03-10 does not move this deadline: the rule counts from the notice date".to_string()),
        "{:?}",
        got.warnings
    );
    // A rule counted from receipt uses it, and says nothing of the kind.
    let ask = Quick { received_date: Some(d(2026, 3, 10)), ..Quick::new(Program::MedicareAdvantage, d(2026, 3, 6)) };
    let got = &quick(&ask, noon(d(2026, 3, 7)), New_York).unwrap()[0];
    assert!(!got.warnings.iter().any(|w| w.contains("does not move")), "{:?}", got.warnings);
}

#[test]
fn a_met_deadline_says_what_met_it_and_when() {
    let ask = Quick { filed: Some(moment("2026-05-10T23:59")), ..Quick::new(Program::MedicareAdvantage, d(2026, 3, 6)) };
    let got = quick(&ask, noon(d(2026, 5, 12)), New_York).unwrap();
    assert_eq!((got[0].status, got[0].met_text().as_deref()), (Status::Met, Some("met: filed 2026-05-10")));
    assert_eq!(got[1].met_text(), None, "the plan's clock is still open");
    // A prior-authorization clock the notice answered in time: decided on the notice's date.
    let ask = Quick { pa_requested: Some(moment("2026-03-02")), ..Quick::new(Program::MedicareAdvantage, d(2026, 3, 6)) };
    let got = quick(&ask, noon(d(2026, 3, 7)), New_York).unwrap();
    let pa = got.iter().find(|d| d.kind == DeadlineKind::InitialDecision).unwrap();
    assert_eq!(pa.met_text().as_deref(), Some("met: decided 2026-03-06"));
}

#[test]
fn an_hour_clock_names_the_zone_of_its_start_and_says_what_a_missing_or_doubled_time_became() {
    let expedited = |filed: &str| {
        let ask = Quick {
            level: Some("aca-external-review".into()),
            urgency: Urgency::Expedited,
            filed: Some(moment(filed)),
            ..Quick::new(Program::Aca, d(2026, 3, 1))
        };
        quick(&ask, noon(d(2026, 3, 2)), New_York).unwrap().into_iter().find(|d| d.kind == DeadlineKind::PlanDecision).unwrap()
    };
    let plain = expedited("2026-03-07T15:30");
    assert_eq!((plain.basis_text.as_str(), plain.due_text.as_str()), ("the filing, 2026-03-07 15:30 EST", "2026-03-10 16:30 EDT"));
    assert!(!plain.warnings.iter().any(|w| w.contains("in America/New_York")), "{:?}", plain.warnings);
    // 02:30 on 8 March 2026 does not exist: it is read as 03:30 EDT, as before, and said.
    let gap = expedited("2026-03-08T02:30");
    assert_eq!((gap.basis_text.as_str(), gap.due_text.as_str()), ("the filing, 2026-03-08 03:30 EDT", "2026-03-11 03:30 EDT"));
    assert!(
        gap.warnings.contains(
            &"2026-03-08 02:30 does not exist in America/New_York (the clocks went forward that night): it is taken as 03:30 EDT".into()
        ),
        "{:?}",
        gap.warnings
    );
    // 01:30 on 1 November 2026 happens twice: the first (EDT) is taken, and said.
    let twice = expedited("2026-11-01T01:30");
    assert_eq!((twice.basis_text.as_str(), twice.due_text.as_str()), ("the filing, 2026-11-01 01:30 EDT", "2026-11-04 00:30 EST"));
    assert!(twice.warnings.iter().any(|w| w.starts_with("2026-11-01 01:30 happens twice in America/New_York")), "{:?}", twice.warnings);
    // Written with the second's offset, the second is meant: an hour later, nothing to say.
    let second = expedited("2026-11-01T01:30-05:00");
    assert_eq!((second.basis_text.as_str(), second.due_text.as_str()), ("the filing, 2026-11-01 01:30 EST", "2026-11-04 01:30 EST"));
    assert!(!second.warnings.iter().any(|w| w.contains("happens twice")), "{:?}", second.warnings);
}

#[test]
fn a_tz_that_names_no_zone_is_utc_with_a_warning() {
    assert_eq!(zone_named("America/New_York"), LocalZone { tz: New_York, warning: None });
    assert_eq!(zone_named(":America/New_York").tz, New_York);
    assert_eq!(zone_named("/usr/share/zoneinfo/America/New_York").tz, New_York);
    let bad = zone_named("Not/AZone");
    assert_eq!(bad.tz, chrono_tz::UTC);
    assert_eq!(
        bad.warning.as_deref(),
        Some("TZ=Not/AZone is not a time zone Redress knows: times are shown in UTC (set TZ to a zone such as America/New_York)")
    );
}

#[test]
fn a_day_clock_keeps_its_start_as_written() {
    // The plan's 30-day clock ends on a day: the start's zone and hour change nothing.
    let ask = Quick { filed: Some(moment("2026-03-08T02:30")), ..Quick::new(Program::MedicareAdvantage, d(2026, 3, 6)) };
    let got = quick(&ask, noon(d(2026, 3, 9)), New_York).unwrap();
    let clock = got.iter().find(|d| d.kind == DeadlineKind::PlanDecision).unwrap();
    assert_eq!((clock.basis_text.as_str(), clock.due), ("the filing, 2026-03-08 02:30", d(2026, 4, 7)));
    assert!(!clock.warnings.iter().any(|w| w.contains("does not exist")), "{:?}", clock.warnings);
}
