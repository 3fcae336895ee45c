//! Worked examples for the corrected rules (deadline-rules.md, issue 7): receipt dates both
//! ways, month windows, UTC offsets, Part B drugs, the CMS-0057-F clocks, extensions and
//! deemed exhaustion. Each date is counted by hand in the comment beside it.

use super::tests::{at, d, noon};
use super::*;
use crate::model::{Case, Event, EventKind, Moment, Program, Service, Urgency};
use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::America::{Los_Angeles, New_York};
use chrono_tz::Tz;

fn run(id: &str, f: &Facts) -> Deadline {
    compute(rule(id).unwrap(), f, noon(d(2020, 1, 1)), New_York).unwrap_or_else(|| panic!("{id} has no date"))
}

fn received(notice: NaiveDate, received: NaiveDate) -> Facts {
    Facts { received_date: Some(received), ..Facts::notice(notice) }
}

fn event(at: &str, kind: EventKind) -> Event {
    Event { at: Moment::parse(at).unwrap(), kind, summary: format!("{kind}"), reference: None, counterpart: None, promised: None }
}

fn case(program: Program, notice: NaiveDate, events: Vec<Event>) -> Case {
    super::tests::case(program, Urgency::Standard, notice, events)
}

fn all(c: &Case, now: NaiveDateTime, tz: Tz) -> Vec<Deadline> {
    case_deadlines(c, None, now, tz).deadlines
}

fn find<'a>(list: &'a [Deadline], id: &str) -> &'a Deadline {
    list.iter().find(|x| x.rule == id).unwrap_or_else(|| panic!("no {id} in {:?}", list.iter().map(|x| &x.rule).collect::<Vec<_>>()))
}

fn has(d: &Deadline, text: &str) -> bool {
    d.warnings.iter().any(|w| w.contains(text))
}

#[test]
fn ma_reconsideration_counts_from_an_early_receipt_earlier() {
    // Notice Tue 6 Jan 2026, arrived Thu 8 Jan. 8 Jan + 60: Jan 23 left → 23, Feb 28 → 51,
    // Mar 9 → 60 = Mon 9 Mar 2026. The presumption (11 Jan + 60 = Thu 12 Mar) would be 3 days late.
    let got = run("ma-reconsideration", &received(d(2026, 1, 6), d(2026, 1, 8)));
    assert_eq!((got.due, got.counted_from, got.basis, got.basis_given), (d(2026, 3, 9), d(2026, 1, 8), Basis::ReceivedDate, true));
    assert!(got.basis_text.contains("earlier than the presumed 2026-01-11"), "{}", got.basis_text);
    assert_eq!(got.safe_due, None);
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    let presumed = run("ma-reconsideration", &Facts::notice(d(2026, 1, 6)));
    assert_eq!((presumed.due, presumed.basis, presumed.basis_given), (d(2026, 3, 12), Basis::PresumedReceipt, false));
    assert!(has(&presumed, "receipt presumed 2026-01-11"));
}

#[test]
fn a_late_receipt_gives_a_later_date_and_names_the_safe_one() {
    // Notice Tue 6 Jan 2026, arrived Mon 19 Jan. 19 Jan + 60: Jan 12 left → 12, Feb 28 → 40,
    // Mar 20 → 60 = Fri 20 Mar 2026. The presumption gives Thu 12 Mar: the safe date.
    let got = run("ma-reconsideration", &received(d(2026, 1, 6), d(2026, 1, 19)));
    assert_eq!((got.due, got.safe_due), (d(2026, 3, 20), Some(d(2026, 3, 12))));
    assert!(has(&got, "evidence that the notice arrived late") && has(&got, "2026-03-12"), "{:?}", got.warnings);
    // The same for every rule that counts from a presumed receipt: Original Medicare
    // redetermination, notice 2 Mar 2026 (presumed 7 Mar), arrived 17 Mar. 17 Mar + 120:
    // Mar 14 left → 14, Apr → 44, May → 75, Jun → 105, Jul 15 → 120 = Wed 15 Jul 2026; the
    // presumption: 7 Mar + 120: Mar → 24, Apr → 54, May → 85, Jun → 115, Jul 5 → 120 (Sun).
    let got = run("medicare-redetermination", &received(d(2026, 3, 2), d(2026, 3, 17)));
    assert_eq!((got.due, got.safe_due), (d(2026, 7, 15), Some(d(2026, 7, 5))));
}

#[test]
fn ma_notices_before_2025_keep_sixty_days_from_their_date() {
    // Notice 2 Dec 2024, before 422.582(b) counted from receipt: 2 Dec + 60: Dec 29 left → 29,
    // Jan 31 → 60 = Fri 31 Jan 2025.
    let got = run("ma-reconsideration", &Facts::notice(d(2024, 12, 2)));
    assert_eq!((got.due, got.basis), (d(2025, 1, 31), Basis::NoticeDate));
    assert!(has(&got, "the rule before 2025-01-01 applies"));
}

#[test]
fn four_months_without_that_day_end_on_the_first_of_the_next_month() {
    // 45 CFR 147.136(d)(2)(i)'s own example: receipt on 30 October → 1 March. Receipt 30 Oct
    // 2026 + 4 months = 30 Feb 2027, which does not exist → Mon 1 Mar 2027 (a business day).
    let got = run("aca-external-review", &received(d(2026, 10, 30), d(2026, 10, 30)));
    assert_eq!(got.due, d(2027, 3, 1));
    assert!(has(&got, "has no such day"), "{:?}", got.warnings);
    assert!(!has(&got, "file earlier"));
    // Receipt 30 Oct 2025 → 1 Mar 2026, a Sunday → the next business day, Mon 2 Mar 2026.
    let got = run("aca-external-review", &received(d(2025, 10, 30), d(2025, 10, 30)));
    assert_eq!(got.due, d(2026, 3, 2));
    assert!(has(&got, "falls on a Sunday: moved to the next business day, 2026-03-02"), "{:?}", got.warnings);
    // A leap year has 29 February: receipt 29 Oct 2027 + 4 months = Tue 29 Feb 2028.
    assert_eq!(run("aca-external-review", &received(d(2027, 10, 29), d(2027, 10, 29))).due, d(2028, 2, 29));
}

#[test]
fn external_review_on_labor_day_moves_to_the_next_business_day() {
    // Receipt Thu 7 May 2026 + 4 months = Mon 7 Sep 2026, Labor Day (1 Sep is a Tuesday, so
    // the first Monday is the 7th) → Tue 8 Sep 2026.
    let got = run("aca-external-review", &received(d(2026, 5, 7), d(2026, 5, 7)));
    assert_eq!(got.due, d(2026, 9, 8));
    assert!(has(&got, "falls on Labor Day (federal holiday): moved to the next business day, 2026-09-08"), "{:?}", got.warnings);
}

#[test]
fn a_time_with_a_utc_offset_is_that_instant_in_the_users_zone() {
    // Filed 2026-03-06T15:00-05:00 = 20:00 UTC = 12:00 PST in Los Angeles. + 72 h = 20:00 UTC
    // Mon 9 Mar = 13:00 PDT (clocks went forward on Sun 8 Mar 2026). Read as local 15:00 it
    // would end at 16:00 PDT, three hours late.
    let mut c = case(Program::MedicareAdvantage, d(2026, 3, 2), vec![event("2026-03-06T15:00-05:00", EventKind::AppealFiled)]);
    c.info.urgency = Urgency::Expedited;
    let list = all(&c, at(2026, 3, 7, 9, 0), Los_Angeles);
    let got = find(&list, "ma-expedited");
    assert_eq!(got.due_time, Some(at(2026, 3, 9, 13, 0)));
    assert_eq!(got.due_text, "2026-03-09 13:00 PDT");
    assert_eq!(got.time_zone.as_deref(), Some("America/Los_Angeles"));
    assert_eq!(got.due_at.map(|t| t.to_rfc3339()).as_deref(), Some("2026-03-09T13:00:00-07:00"));
    assert_eq!(got.counted_from, d(2026, 3, 6));
    assert!(got.basis_text.contains("2026-03-06 12:00"), "{}", got.basis_text);
    // The filing is met by the submission moment seen the same way.
    let filing = find(&list, "ma-reconsideration");
    assert_eq!(filing.status, Status::Met);
}

#[test]
fn seventy_two_hours_across_both_daylight_saving_changes() {
    // Spring: 10:00 EST Fri 6 Mar 2026 = 15:00 UTC; + 72 h = 15:00 UTC Mon 9 Mar = 11:00 EDT.
    let start = Start { at: at(2026, 3, 6, 10, 0), has_time: true, basis: Basis::Filed, offset: None };
    let got = run("medicaid-mc-expedited", &Facts::request(start));
    assert_eq!((got.due_time, got.due_text.as_str()), (Some(at(2026, 3, 9, 11, 0)), "2026-03-09 11:00 EDT"));
    // Autumn: 10:00 EDT Fri 30 Oct 2026 = 14:00 UTC; clocks go back on Sun 1 Nov; + 72 h =
    // 14:00 UTC Mon 2 Nov = 09:00 EST.
    let start = Start { at: at(2026, 10, 30, 10, 0), has_time: true, basis: Basis::Filed, offset: None };
    let got = run("medicaid-mc-expedited", &Facts::request(start));
    assert_eq!((got.due_time, got.due_text.as_str()), (Some(at(2026, 11, 2, 9, 0)), "2026-11-02 09:00 EST"));
    assert_eq!(got.time_zone.as_deref(), Some("America/New_York"));
}

#[test]
fn a_part_b_drug_reconsideration_has_seven_days_and_no_extension() {
    // Filed Mon 2 Feb 2026 + 7 = Mon 9 Feb 2026 (42 CFR 422.590(c)); not 30 days (4 Mar).
    let mut c = case(
        Program::MedicareAdvantage,
        d(2026, 1, 26),
        vec![event("2026-02-02", EventKind::AppealFiled), event("2026-02-05", EventKind::Extension)],
    );
    c.info.service = Some(Service::PartBDrug);
    let list = all(&c, noon(d(2026, 2, 10)), New_York);
    let got = find(&list, "ma-partb-drug");
    assert_eq!((got.due, got.status, got.citation.as_str()), (d(2026, 2, 9), Status::Overdue, "42 CFR 422.590(c)"));
    assert!(has(got, "allows none (42 CFR 422.590(c))"), "{:?}", got.warnings);
    assert!(!list.iter().any(|x| x.rule == "ma-standard-service"));
    // Expedited: 09:30 Mon 2 Feb + 72 h = 09:30 Thu 5 Feb (42 CFR 422.590(e)).
    c.info.urgency = Urgency::Expedited;
    c.events = vec![event("2026-02-02T09:30", EventKind::AppealFiled)];
    let list = all(&c, noon(d(2026, 2, 3)), New_York);
    assert_eq!(find(&list, "ma-partb-drug-expedited").due_time, Some(at(2026, 2, 5, 9, 30)));
}

#[test]
fn a_payment_request_takes_the_payment_clock_and_says_why_not_expedited() {
    // Part D payment redetermination: filed Mon 2 Feb 2026 + 14 = Mon 16 Feb (42 CFR 423.590(b)).
    let mut c = case(Program::MedicarePartD, d(2026, 1, 20), vec![event("2026-02-02", EventKind::AppealFiled)]);
    c.info.service = Some(Service::Payment);
    let list = all(&c, noon(d(2026, 2, 3)), New_York);
    assert_eq!(find(&list, "partd-payment").due, d(2026, 2, 16));
    c.info.urgency = Urgency::Expedited;
    let list = all(&c, noon(d(2026, 2, 3)), New_York);
    assert!(has(find(&list, "partd-payment"), "expedited review does not apply to a payment request"));
}

#[test]
fn prior_authorization_clocks_change_on_the_first_of_2026() {
    let pa = |program: Program, urgency: Urgency, requested: &str, notice: NaiveDate| {
        let mut c = case(program, notice, vec![]);
        c.info.urgency = urgency;
        c.info.pa_requested = Some(Moment::parse(requested).unwrap());
        all(&c, noon(d(2025, 11, 1)), New_York).into_iter().find(|x| x.kind == DeadlineKind::InitialDecision)
    };
    // MA, 2026: requested Mon 5 Jan + 7 = Mon 12 Jan (42 CFR 422.568(b)(1)).
    let got = pa(Program::MedicareAdvantage, Urgency::Standard, "2026-01-05", d(2026, 1, 20)).unwrap();
    assert_eq!((got.rule.as_str(), got.due, got.basis), ("ma-pa-standard", d(2026, 1, 12), Basis::PaRequested));
    // Before 2026 the old clock: requested Mon 22 Dec 2025 + 14: Dec 31 → 9, Jan 5 → 14.
    let got = pa(Program::MedicareAdvantage, Urgency::Standard, "2025-12-22", d(2026, 1, 20)).unwrap();
    assert_eq!(got.due, d(2026, 1, 5));
    assert!(has(&got, "the rule before 2026-01-01 applies: 14 calendar days"), "{:?}", got.warnings);
    // MA expedited: 16:00 Mon 5 Jan 2026 + 72 h = 16:00 Thu 8 Jan (42 CFR 422.572(a)).
    let got = pa(Program::MedicareAdvantage, Urgency::Expedited, "2026-01-05T16:00", d(2026, 1, 20)).unwrap();
    assert_eq!((got.rule.as_str(), got.due_time), ("ma-pa-expedited", Some(at(2026, 1, 8, 16, 0))));
    // Medicaid managed care, 2026: Tue 10 Feb + 7 = Tue 17 Feb, with the rating-period caveat;
    // 2025: Mon 3 Nov + 14 = Mon 17 Nov.
    let got = pa(Program::MedicaidManagedCare, Urgency::Standard, "2026-02-10", d(2026, 3, 1)).unwrap();
    assert_eq!((got.rule.as_str(), got.due), ("medicaid-mc-pa-standard", d(2026, 2, 17)));
    assert!(has(&got, "rating period"), "{:?}", got.warnings);
    assert_eq!(pa(Program::MedicaidManagedCare, Urgency::Standard, "2025-11-03", d(2025, 12, 1)).unwrap().due, d(2025, 11, 17));
    // Medicaid expedited: 08:00 Tue 10 Feb + 72 h = 08:00 Fri 13 Feb (42 CFR 438.210(d)(2)).
    let got = pa(Program::MedicaidManagedCare, Urgency::Expedited, "2026-02-10T08:00", d(2026, 3, 1)).unwrap();
    assert_eq!(got.due_time, Some(at(2026, 2, 13, 8, 0)));
    // ERISA pre-service claims keep 15 days either side of 2026: Tue 10 Feb 2026 → Wed 25 Feb;
    // Mon 10 Feb 2025 → Tue 25 Feb 2025.
    assert_eq!(pa(Program::Erisa, Urgency::Standard, "2026-02-10", d(2026, 3, 1)).unwrap().due, d(2026, 2, 25));
    assert_eq!(pa(Program::Erisa, Urgency::Standard, "2025-02-10", d(2025, 3, 1)).unwrap().due, d(2025, 2, 25));
    // An urgent ERISA claim: 09:00 Tue 10 Feb 2026 + 72 h = 09:00 Fri 13 Feb (2560.503-1(f)(2)(i)).
    let got = pa(Program::Erisa, Urgency::Expedited, "2026-02-10T09:00", d(2026, 3, 1)).unwrap();
    assert_eq!((got.rule.as_str(), got.due_time), ("erisa-pa-urgent", Some(at(2026, 2, 13, 9, 0))));
    // An expedited MA request keeps 72 hours either side of 2026: 16:00 Mon 29 Dec 2025 + 72 h
    // = 16:00 Thu 1 Jan 2026.
    let got = pa(Program::MedicareAdvantage, Urgency::Expedited, "2025-12-29T16:00", d(2026, 1, 20)).unwrap();
    assert_eq!(got.due_time, Some(at(2026, 1, 1, 16, 0)));
    // ACA plans: the same 15 days, and the note that exchange QHPs are outside CMS-0057-F.
    let got = pa(Program::Aca, Urgency::Standard, "2026-02-10", d(2026, 3, 1)).unwrap();
    assert!(has(&got, "QHP issuers"), "{:?}", got.warnings);
    // Original Medicare has no prior-authorization clock in the table.
    assert!(pa(Program::OriginalMedicare, Urgency::Standard, "2026-02-10", d(2026, 3, 1)).is_none());
}

#[test]
fn the_denial_notice_answers_the_prior_authorization_request() {
    // Requested Mon 5 Jan 2026, due Mon 12 Jan. A notice dated Sat 10 Jan is in time; one dated
    // Thu 15 Jan is three days late, which stays on the record as evidence.
    let mut c = case(Program::MedicareAdvantage, d(2026, 1, 10), vec![]);
    c.info.pa_requested = Some(Moment::parse("2026-01-05T14:20").unwrap());
    let on_time = all(&c, noon(d(2026, 1, 20)), New_York);
    assert_eq!(find(&on_time, "ma-pa-standard").status, Status::Met);
    c.info.notice_date = d(2026, 1, 15);
    let late = all(&c, noon(d(2026, 1, 20)), New_York);
    let got = find(&late, "ma-pa-standard");
    assert_eq!((got.status, got.closed), (Status::Overdue, true));
    assert!(has(got, "decided 2026-01-15, after this deadline"), "{:?}", got.warnings);
    assert!(!find(&on_time, "ma-pa-standard").closed);
    // Drugs are outside these clocks: nothing is counted and the filing deadline says so.
    c.info.service = Some(Service::PartBDrug);
    let list = all(&c, noon(d(2026, 1, 20)), New_York);
    assert!(!list.iter().any(|x| x.kind == DeadlineKind::InitialDecision));
    assert!(has(find(&list, "ma-reconsideration"), "drugs are excluded"), "{:?}", find(&list, "ma-reconsideration").warnings);
}

#[test]
fn an_extension_moves_the_plans_date_by_its_allowance() {
    // MA standard reconsideration filed Mon 2 Feb 2026 + 30: Feb 26 left → 26, Mar 4 → 30.
    // The plan gives notice of an extension on 20 Feb: + 14 = Wed 18 Mar (42 CFR 422.590(f)).
    let mut c = case(
        Program::MedicareAdvantage,
        d(2026, 1, 20),
        vec![event("2026-02-02", EventKind::AppealFiled), event("2026-02-20", EventKind::Extension)],
    );
    c.info.service = Some(Service::Service);
    let list = all(&c, noon(d(2026, 3, 10)), New_York);
    let got = find(&list, "ma-standard-service");
    assert_eq!((got.due, got.status), (d(2026, 3, 18), Status::Open));
    assert!(has(got, "extended by 14 days: the plan gave notice on 2026-02-20 (42 CFR 422.590(f))"), "{:?}", got.warnings);
    // The member's filing date never moves.
    assert_eq!(find(&list, "ma-reconsideration").status, Status::Met);
    // Medicaid: filed Mon 2 Mar + 30 = Wed 1 Apr; extended on 20 Mar → Wed 15 Apr (438.408(c)).
    let c = case(
        Program::MedicaidManagedCare,
        d(2026, 2, 20),
        vec![event("2026-03-02", EventKind::AppealFiled), event("2026-03-20", EventKind::Extension)],
    );
    let list = all(&c, noon(d(2026, 3, 21)), New_York);
    assert_eq!(find(&list, "medicaid-mc-standard").due, d(2026, 4, 15));
    // Notice of an extension after the deadline does not move it.
    let c = case(
        Program::MedicaidManagedCare,
        d(2026, 2, 20),
        vec![event("2026-03-02", EventKind::AppealFiled), event("2026-04-03", EventKind::Extension)],
    );
    let list = all(&c, noon(d(2026, 4, 4)), New_York);
    let got = find(&list, "medicaid-mc-standard");
    assert_eq!(got.due, d(2026, 4, 1));
    assert!(has(got, "after this deadline: it does not move it"), "{:?}", got.warnings);
}

#[test]
fn a_missed_plan_clock_opens_the_next_level_at_once() {
    // Medicaid appeal filed Mon 2 Mar 2026, due Wed 1 Apr, no decision by Sun 5 Apr: the state
    // fair hearing is open now (42 CFR 438.408(c)(3)), 120 days from 1 Apr: Apr 29 left → 29,
    // May → 60, Jun → 90, Jul 30 → 120 = Thu 30 Jul 2026.
    let c = case(Program::MedicaidManagedCare, d(2026, 2, 20), vec![event("2026-03-02", EventKind::AppealFiled)]);
    let list = all(&c, noon(d(2026, 4, 5)), New_York);
    assert_eq!(find(&list, "medicaid-mc-standard").status, Status::Overdue);
    let next = find(&list, "medicaid-fair-hearing");
    assert_eq!((next.kind, next.due, next.basis), (DeadlineKind::NextLevel, d(2026, 7, 30), Basis::MissedDeadline));
    assert!(next.warnings[0].starts_with("open now: the plan missed its deadline of 2026-04-01"), "{:?}", next.warnings);
    assert!(has(next, "42 CFR 438.408(c)(3)"));
    // Before the clock runs out, nothing opens early.
    assert!(!all(&c, noon(d(2026, 3, 31)), New_York).iter().any(|x| x.rule == "medicaid-fair-hearing"));
    // ERISA: pre-service appeal filed 2 Mar, due 1 Apr; external review opens, 4 months from
    // 1 Apr = Sat 1 Aug 2026 → Mon 3 Aug (45 CFR 147.136(b)(2)(ii)(F)).
    let c = case(Program::Erisa, d(2026, 2, 20), vec![event("2026-03-02", EventKind::AppealFiled)]);
    let list = all(&c, noon(d(2026, 4, 5)), New_York);
    let next = find(&list, "aca-external-review");
    assert_eq!(next.due, d(2026, 8, 3));
    assert!(has(next, "147.136(b)(2)(ii)(F)"));
    // MA: the plan itself must send the case on to the IRE (42 CFR 422.590(d)).
    let c = case(Program::MedicareAdvantage, d(2026, 2, 20), vec![event("2026-03-02", EventKind::AppealFiled)]);
    let list = all(&c, noon(d(2026, 4, 5)), New_York);
    assert!(has(find(&list, "ma-standard-service"), "missed: the missed deadline counts as an affirmation"), "{list:?}");
}

#[test]
fn the_next_level_is_never_blank() {
    // MA: plan decision, then the IRE's on Mon 4 May 2026; ALJ within 60 days of that notice:
    // May 27 left → 27, Jun → 57, Jul 3 → 60 = Fri 3 Jul 2026, observed Independence Day.
    let c = case(
        Program::MedicareAdvantage,
        d(2026, 2, 20),
        vec![
            event("2026-03-02", EventKind::AppealFiled),
            event("2026-03-25", EventKind::Decision),
            event("2026-05-04", EventKind::Decision),
        ],
    );
    let list = all(&c, noon(d(2026, 5, 5)), New_York);
    let alj = find(&list, "ma-alj");
    assert_eq!((alj.kind, alj.due, alj.citation.as_str()), (DeadlineKind::NextLevel, d(2026, 7, 3), "42 CFR 422.602(b)"));
    assert!(has(alj, "Independence Day"));
    // Without the IRE's decision yet, the plan's clock says what comes next.
    let c = case(
        Program::MedicareAdvantage,
        d(2026, 2, 20),
        vec![event("2026-03-02", EventKind::AppealFiled), event("2026-03-25", EventKind::Decision)],
    );
    let list = all(&c, noon(d(2026, 3, 26)), New_York);
    assert!(has(find(&list, "ma-standard-service"), "goes to the IRE"), "{list:?}");
    // Part D: redetermination decided Tue 10 Mar 2026; the IRE within 60 days of that date:
    // Mar 21 left → 21, Apr → 51, May 9 → 60 = Sat 9 May 2026 (kept, with a warning).
    let c = case(
        Program::MedicarePartD,
        d(2026, 2, 20),
        vec![event("2026-03-02", EventKind::AppealFiled), event("2026-03-10", EventKind::Decision)],
    );
    let list = all(&c, noon(d(2026, 3, 11)), New_York);
    let ire = find(&list, "partd-ire");
    assert_eq!((ire.due, ire.citation.as_str()), (d(2026, 5, 9), "42 CFR 423.600(a)"));
    assert!(has(ire, "falls on a Saturday: file earlier"));
    // ACA external review filed: the IRO's standard decision in 45 days, Mon 2 Mar 2026 + 45:
    // Mar 29 left → 29, Apr 16 → 45 = Thu 16 Apr 2026.
    let mut c = case(Program::Aca, d(2026, 1, 5), vec![event("2026-01-20", EventKind::AppealFiled)]);
    c.events.push(event("2026-02-10", EventKind::Decision));
    c.events.push(event("2026-03-02", EventKind::AppealFiled));
    let list = all(&c, noon(d(2026, 3, 3)), New_York);
    assert_eq!(find(&list, "aca-standard-external").due, d(2026, 4, 16));
}

#[test]
fn every_option_of_a_quick_answer_takes_effect_or_is_refused() {
    let now = noon(d(2026, 1, 7));
    let base = Quick::new(Program::MedicareAdvantage, d(2026, 1, 6));
    // A received date before the notice is refused, as case.toml refuses it.
    let early = Quick { received_date: Some(d(2026, 1, 5)), ..base.clone() };
    assert_eq!(quick(&early, now, New_York), Err(QuickError::ReceivedBeforeNotice { received: d(2026, 1, 5), notice: d(2026, 1, 6) }));
    // Expedited without a filing: the expedited clock is named.
    let exp = Quick { urgency: Urgency::Expedited, ..base.clone() };
    let got = quick(&exp, now, New_York).unwrap();
    assert!(has(&got[0], "72 hours (42 CFR 422.590(e))"), "{:?}", got[0].warnings);
    // With the filing it is counted: 09:00 Wed 7 Jan + 72 h = 09:00 Sat 10 Jan.
    let filed = Quick { filed: Moment::parse("2026-01-07T09:00"), ..exp.clone() };
    let got = quick(&filed, now, New_York).unwrap();
    assert_eq!(got.iter().find(|x| x.rule == "ma-expedited").and_then(|x| x.due_time), Some(at(2026, 1, 10, 9, 0)));
    // A program without an expedited clock says so.
    let om = Quick { urgency: Urgency::Expedited, ..Quick::new(Program::OriginalMedicare, d(2026, 1, 6)) };
    assert!(has(&quick(&om, now, New_York).unwrap()[0], "has no expedited clock"));
    // An unknown level is refused; a known one is counted.
    let bad = Quick { level: Some("appeal-council".into()), ..base.clone() };
    assert!(matches!(quick(&bad, now, New_York), Err(QuickError::UnknownLevel { .. })));
    let alj = Quick { level: Some("medicare-alj".into()), ..Quick::new(Program::OriginalMedicare, d(2026, 1, 6)) };
    assert_eq!(quick(&alj, now, New_York).unwrap()[0].rule, "medicare-alj");
    // The notice's own deadline, when earlier, wins.
    let stated = Quick { notice_deadline: Some(d(2026, 3, 1)), ..base.clone() };
    assert_eq!(quick(&stated, now, New_York).unwrap()[0].due, d(2026, 3, 1));
    // A prior-authorization request counts the initial clock.
    let pa = Quick { pa_requested: Moment::parse("2026-01-02"), ..base };
    assert_eq!(
        quick(&pa, now, New_York).unwrap().iter().find(|x| x.kind == DeadlineKind::InitialDecision).map(|x| x.due),
        Some(d(2026, 1, 9))
    );
}

#[test]
fn the_fair_hearing_window_is_the_regulations_and_says_so() {
    // 42 CFR 438.408(f)(2): 120 days from the notice of resolution, not set lower by a state.
    let got = run("medicaid-fair-hearing", &Facts::notice(d(2026, 6, 1)));
    // 1 Jun 2026 + 120: Jun 29 left → 29, Jul → 60, Aug → 91, Sep 29 → 120 = Tue 29 Sep.
    assert_eq!(got.due, d(2026, 9, 29));
    assert!(has(&got, "not by the state") && has(&got, "notice_deadline"), "{:?}", got.warnings);
}

#[test]
fn every_rule_of_the_table_has_a_worked_example() {
    // A rule added to the table without a hand-checked example fails here.
    // The list of every id in `every_rule_of_both_tables_is_present_once` is not an example.
    let listed = include_str!("tests.rs");
    let list = listed.find("let expected = [").zip(listed.find("assert_eq!(ids, expected);")).map(|(a, b)| &listed[a..b]).unwrap_or("");
    let examples = [listed.replace(list, ""), include_str!("tests_exact.rs").replace("format!(\"\\\"{id}\\\"\")", "")].concat();
    let missing: Vec<&str> = rules().iter().map(|r| r.id).filter(|id| !examples.contains(&format!("\"{id}\""))).collect();
    assert!(missing.is_empty(), "no worked example for {missing:?}");
}

#[test]
fn the_services_of_this_field_keep_the_item_or_service_clocks() {
    // A home-oxygen (or home-health, wound-care, dme, home-infusion) case is an item or service:
    // every program, both urgencies, with a prior-authorization request and an appeal filed,
    // gets exactly the deadlines a `service` case gets.
    let now = noon(d(2026, 2, 3));
    let mut compared = 0;
    for program in Program::ALL {
        for urgency in Urgency::ALL {
            let mut c = case(*program, d(2026, 1, 20), vec![event("2026-02-02T09:30", EventKind::AppealFiled)]);
            c.info.urgency = *urgency;
            c.info.pa_requested = Some(Moment::parse("2026-01-05T10:00").unwrap());
            c.info.contract_days = Some(30);
            c.info.service = Some(Service::Service);
            let expected = all(&c, now, New_York);
            compared += expected.len();
            for s in [Service::HomeOxygen, Service::HomeHealth, Service::WoundCare, Service::Dme, Service::HomeInfusion] {
                c.info.service = Some(s);
                assert_eq!(all(&c, now, New_York), expected, "{program} {urgency} {s}");
            }
            // And they differ from a payment request's where the rules tell them apart.
            if *program == Program::MedicareAdvantage && *urgency == Urgency::Standard {
                c.info.service = Some(Service::Payment);
                assert_ne!(all(&c, now, New_York), expected);
            }
        }
    }
    assert!(compared > 20, "{compared}");
}
