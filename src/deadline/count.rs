//! Counting one rule from the facts: which version of the rule applies, what starts it (given
//! or presumed), the window's arithmetic, the weekend rule, the notice's own date, the status.

use super::rules::{CountedFrom, Earlier, Purpose, Rule, Window};
use super::{calendar, due_text, status_at, Basis, Deadline, DeadlineKind, NOTICE_GOVERNS};
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

/// What starts a decision clock: a moment in the user's wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    pub at: NaiveDateTime,
    /// False when only a date was recorded: hours then run from the start of that day.
    pub has_time: bool,
    /// `Filed` or `PaRequested`.
    pub basis: Basis,
    /// The UTC offset (seconds east) the moment was written with, where it says which of a
    /// wall-clock time that happens twice is meant.
    pub offset: Option<i32>,
}

impl Start {
    /// The start a moment in the user's wall-clock time gives.
    pub fn of(m: crate::model::Moment, basis: Basis) -> Start {
        Start { at: m.local, has_time: m.has_time, basis, offset: m.offset }
    }
}

/// What a rule is counted from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The date that starts a filing window: the notice's date, the decision before, or the
    /// day a missed clock ran out (for an event-counted rule: the date of the event).
    pub notice_date: NaiveDate,
    /// Which of those `notice_date` is: `NoticeDate`, `Decision` or `MissedDeadline`.
    pub anchor: Basis,
    pub received_date: Option<NaiveDate>,
    pub contract_days: Option<u32>,
    /// The filing deadline printed on the notice, when recorded.
    pub notice_deadline: Option<NaiveDate>,
    /// For decision clocks: the filing or the prior-authorization request.
    pub request: Option<Start>,
}

impl Facts {
    /// The facts of a notice dated `notice_date` and nothing else.
    pub fn notice(notice_date: NaiveDate) -> Facts {
        Facts { notice_date, anchor: Basis::NoticeDate, received_date: None, contract_days: None, notice_deadline: None, request: None }
    }

    /// The facts of a request (a filing, or a prior-authorization request) at `start`.
    pub fn request(start: Start) -> Facts {
        Facts { request: Some(start), ..Facts::notice(start.at.date()) }
    }
}

/// The window that applies: the rule's own, or the one before the regulation changed.
struct Version {
    window: Window,
    counted_from: CountedFrom,
    presumed_receipt_days: Option<u32>,
    earlier: Option<Earlier>,
}

fn version(rule: &Rule, facts: &Facts) -> Version {
    let anchor = match rule.counted_from {
        CountedFrom::Request | CountedFrom::PaRequest => facts.request.map(|s| s.at.date()),
        _ => Some(facts.notice_date),
    };
    let earlier = rule.earlier.filter(|e| {
        let until = NaiveDate::from_ymd_opt(e.until.0, e.until.1, e.until.2);
        anchor.zip(until).is_some_and(|(a, u)| a < u)
    });
    match earlier {
        Some(e) => Version { window: e.window, counted_from: e.counted_from, presumed_receipt_days: e.presumed_receipt_days, earlier },
        None => Version {
            window: rule.window,
            counted_from: rule.counted_from,
            presumed_receipt_days: rule.presumed_receipt_days,
            earlier: None,
        },
    }
}

/// Where the count begins, in words and as a moment.
struct Begin {
    at: NaiveDateTime,
    /// A request's start as an instant in the zone, which an hour rule counts from.
    instant: Option<DateTime<Tz>>,
    has_time: bool,
    basis: Basis,
    text: String,
    /// Receipt presumed later than the given date would be (late receipt): that start.
    presumed: Option<NaiveDate>,
}

fn anchor_name(anchor: Basis) -> &'static str {
    match anchor {
        Basis::Decision => "the decision",
        Basis::EventDate => "the event",
        _ => "the notice date",
    }
}

fn begin(v: &Version, facts: &Facts, tz: Tz, warnings: &mut Vec<String>) -> Option<Begin> {
    let day = |d: NaiveDate, basis: Basis, text: String| Begin {
        at: d.and_time(NaiveTime::MIN),
        instant: None,
        has_time: false,
        basis,
        text,
        presumed: None,
    };
    let notice = facts.notice_date;
    if facts.anchor == Basis::MissedDeadline {
        return Some(day(notice, Basis::MissedDeadline, format!("the day the plan's decision clock ran out, {notice}")));
    }
    match v.counted_from {
        CountedFrom::NoticeDate => {
            warnings.extend(received_unused(facts, anchor_name(facts.anchor)));
            Some(day(notice, facts.anchor, format!("{} {notice}", anchor_name(facts.anchor))))
        }
        CountedFrom::Event => {
            warnings.extend(received_unused(facts, "the event complained of"));
            Some(day(notice, Basis::EventDate, format!("the event complained of, {notice}")))
        }
        CountedFrom::Receipt => Some(receipt(v, facts, warnings)?),
        CountedFrom::Request | CountedFrom::PaRequest => Some(request(facts.request?, matches!(v.window, Window::Hours(_)), tz, warnings)?),
        CountedFrom::None => None,
    }
}

/// The note for a received date a rule counted from the notice (or the event) does not use.
fn received_unused(facts: &Facts, counts_from: &str) -> Option<String> {
    let r = facts.received_date.filter(|_| facts.anchor == Basis::NoticeDate)?;
    Some(format!("the received date {r} does not move this deadline: the rule counts from {counts_from}"))
}

/// A request's start: its moment in the zone. For an hour clock, whose end is shown in its
/// zone, the start is too, with what was taken where the wall-clock time written does not exist
/// there or happens twice; a day clock's end is a day, which neither changes.
fn request(s: Start, hours: bool, tz: Tz, warnings: &mut Vec<String>) -> Option<Begin> {
    let what = if s.basis == Basis::PaRequested { "the prior-authorization request" } else { "the filing" };
    let (instant, note) = calendar::localize_noted(tz, s.at, s.offset)?;
    let when = match (s.has_time, hours) {
        (true, true) => {
            warnings.extend(note);
            instant.format("%Y-%m-%d %H:%M %Z").to_string()
        }
        (true, false) => s.at.format("%Y-%m-%d %H:%M").to_string(),
        (false, _) => s.at.date().to_string(),
    };
    Some(Begin { at: s.at, instant: Some(instant), has_time: s.has_time, basis: s.basis, text: format!("{what}, {when}"), presumed: None })
}

/// A receipt-counted start: the date given, else the presumption, else the notice date.
fn receipt(v: &Version, facts: &Facts, warnings: &mut Vec<String>) -> Option<Begin> {
    let notice = facts.notice_date;
    let of = anchor_name(facts.anchor);
    let presumed = match v.presumed_receipt_days {
        Some(n) => Some((n, notice.checked_add_days(Days::new(u64::from(n)))?)),
        None => None,
    };
    let (date, basis, text, late) = match (facts.received_date, presumed) {
        (Some(r), Some((n, p))) if r > p => (
            r,
            Basis::ReceivedDate,
            format!("receipt on {r} (entered), later than the {n} days after {of} {notice} that the rule presumes"),
            Some(p),
        ),
        (Some(r), Some((n, p))) if r < p => {
            (r, Basis::ReceivedDate, format!("receipt on {r} (entered), earlier than the presumed {p}, {n} days after {of} {notice}"), None)
        }
        (Some(r), _) => (r, Basis::ReceivedDate, format!("receipt on {r} (entered)"), None),
        (None, Some((n, p))) => {
            warnings
                .push(format!("receipt presumed {p}, {n} days after {of} {notice}: enter the date it arrived if it came earlier or later"));
            (p, Basis::PresumedReceipt, format!("receipt presumed {p}, {n} days after {of} {notice}"), None)
        }
        (None, None) => {
            warnings.push(format!("counted from {of} ({notice}): receipt was assumed on that day; enter received_date if it came later"));
            (notice, Basis::NoticeDateAsReceipt, format!("{of} {notice}, taken as the day of receipt"), None)
        }
    };
    Some(Begin { at: date.and_time(NaiveTime::MIN), instant: None, has_time: false, basis, text, presumed: late })
}

/// A window counted out: the last day, and the instant for hour rules.
struct Counted {
    due: NaiveDate,
    due_at: Option<DateTime<Tz>>,
    days: Option<u32>,
    months: Option<u32>,
    hours: Option<u32>,
    counting: &'static str,
}

/// Counts `window` from `start` (an hour rule from `instant`, where the start has one).
fn count(
    window: Window,
    start: NaiveDateTime,
    instant: Option<DateTime<Tz>>,
    facts: &Facts,
    tz: Tz,
    warnings: &mut Vec<String>,
) -> Option<Counted> {
    let from = start.date();
    let plain = |due, counting| Counted { due, due_at: None, days: None, months: None, hours: None, counting };
    match window {
        Window::CalendarDays(n) => Some(Counted { days: Some(n), ..plain(from.checked_add_days(Days::new(u64::from(n)))?, "calendar") }),
        // A state's own window, where the person entered the days its law allows.
        Window::ContractDays | Window::StateSet => {
            let n = facts.contract_days?;
            if window == Window::StateSet {
                warnings.push(format!("{n} days as entered for the state's law: no federal rule sets this window"));
            }
            Some(Counted { days: Some(n), ..plain(from.checked_add_days(Days::new(u64::from(n)))?, "calendar") })
        }
        Window::Months(n) => {
            let (due, rolled) = add_months_or_next(from, n)?;
            if rolled {
                warnings.push(format!("{from} + {n} months has no such day: the first day of the next month, {due}"));
            }
            Some(Counted { months: Some(n), ..plain(due, "months") })
        }
        Window::Hours(n) => {
            let end = calendar::add_hours(instant.or_else(|| calendar::localize(tz, start))?, n)?;
            Some(Counted { due_at: Some(end), hours: Some(n), ..plain(end.date_naive(), "hours") })
        }
        Window::AnyTime => None,
    }
}

/// `date` plus `n` calendar months: the same day number, or, where that month has no such day,
/// the first day of the month after it (31 Oct + 4 months → 1 Mar). True when it rolled over.
pub fn add_months_or_next(date: NaiveDate, n: u32) -> Option<(NaiveDate, bool)> {
    let first = date.with_day(1)?.checked_add_months(Months::new(n))?;
    match first.with_day(date.day()) {
        Some(d) => Some((d, false)),
        None => Some((first.checked_add_months(Months::new(1))?, true)),
    }
}

/// A date moved off a weekend or federal holiday, and whether it moved.
struct Settled {
    due: NaiveDate,
    moved: bool,
    /// The earlier day the move would end on were holidays counted on their own dates only,
    /// when a holiday observed on a Friday or Monday made the difference.
    own_dates: Option<NaiveDate>,
}

/// Moves a date off a weekend or federal holiday when the rule says so; the warning says why.
fn settle(rule: &Rule, due: NaiveDate, warnings: &mut Vec<String>) -> Settled {
    let stays = Settled { due, moved: false, own_dates: None };
    if !rule.moves_off_weekend {
        return stays;
    }
    match calendar::non_business_reason(due).zip(calendar::next_business_day(due)) {
        Some((reason, next)) => {
            warnings.push(format!("falls on {reason}: moved to the next business day, {next}"));
            let own_dates = calendar::first_business_day_by_own_dates(due).filter(|own| *own < next);
            Settled { due: next, moved: true, own_dates }
        }
        None => stays,
    }
}

/// The warning for a last day moved past a holiday observed on another day than its own.
fn own_dates_warning(own: NaiveDate) -> String {
    let name = calendar::federal_holiday(own).unwrap_or("the holiday");
    format!(
        "{own} counts as {name} only because the holiday itself falls on a weekend: where only its own date counts, the last day is {own}, the safe date to file by"
    )
}

/// Counts one rule from the facts. `None` when the rule has no date to compute (any time, or
/// state-set without the days entered), when what starts it is missing (no request for a clock,
/// no `contract_days`), or
/// when the date would leave the calendar.
pub fn compute(rule: &Rule, facts: &Facts, now: NaiveDateTime, tz: Tz) -> Option<Deadline> {
    let mut warnings = Vec::new();
    let v = version(rule, facts);
    if let Some(e) = v.earlier {
        warnings.push(format!("the rule before {}-{:02}-{:02} applies: {}", e.until.0, e.until.1, e.until.2, e.window_text));
    }
    let start = begin(&v, facts, tz, &mut warnings)?;
    if !rule.note.is_empty() {
        warnings.push(rule.note.to_string());
    }
    if matches!(v.window, Window::Hours(_)) && !start.has_time {
        warnings.push(format!("no time of day was recorded: the hours are counted from the start of {}", start.at.date()));
    }
    let counted = count(v.window, start.at, start.instant, facts, tz, &mut warnings)?;
    let settled = settle(rule, counted.due, &mut warnings);
    let (mut due, moved) = (settled.due, settled.moved);
    let mut due_at = counted.due_at;
    let mut safe_due = None;
    if let Some(p) = start.presumed {
        let safe =
            count(v.window, p.and_time(NaiveTime::MIN), None, facts, tz, &mut Vec::new()).map(|c| settle(rule, c.due, &mut Vec::new()).due);
        if let Some(safe) = safe {
            warnings.push(format!(
                "the later receipt rests on evidence that the notice arrived late: the presumed receipt gives {safe}, the safe date to file by"
            ));
            safe_due = Some(safe);
        }
    }
    let filing = rule.purpose == Purpose::Filing;
    let mut keep_moved = moved;
    if filing {
        if let Some(stated) = facts.notice_deadline {
            if stated < due {
                warnings.push(format!("the notice states {stated}, earlier than the computed {due}: the notice's date is used"));
                due = stated;
                due_at = None;
                keep_moved = false;
            } else if stated > due {
                warnings.push(format!("the notice states {stated}, later than the computed {due}: the earlier, computed date is used"));
            }
        }
        // Where the notice's earlier date is used, the holiday's own date no longer matters.
        if let Some(own) = settled.own_dates.filter(|own| *own < due) {
            warnings.push(own_dates_warning(own));
            safe_due = Some(safe_due.map_or(own, |s: NaiveDate| s.min(own)));
        }
        // Only the member's filings: a plan's decision on a weekend is the plan's problem.
        if !keep_moved {
            if let Some(reason) = calendar::non_business_reason(due) {
                warnings.push(format!("falls on {reason}: file earlier"));
            }
        }
    }
    let (status, days_left) = status_at(due, due_at, now, tz);
    Some(Deadline {
        case: None,
        kind: if filing { DeadlineKind::FileAppeal } else { DeadlineKind::PlanDecision },
        due,
        due_time: due_at.map(|t| t.naive_local()),
        rule: rule.id.to_string(),
        citation: rule.citation.to_string(),
        counted_from: start.at.date(),
        days: counted.days,
        counting: counted.counting,
        days_left,
        status,
        program: rule.program.as_str().to_string(),
        label: rule.action.to_string(),
        warnings,
        months: counted.months,
        hours: counted.hours,
        notice_governs: NOTICE_GOVERNS,
        basis: start.basis,
        basis_given: start.basis.given(),
        basis_text: start.text,
        due_text: due_text(due, due_at),
        time_zone: due_at.map(|_| tz.name().to_string()),
        due_at: due_at.map(|t| t.fixed_offset()),
        checked: rule.checked,
        safe_due,
        closed: false,
        done_late: None,
        done_on: None,
        due_utc: due_at.map(|t| t.with_timezone(&Utc)),
    })
}

/// Moves a deadline `days` calendar days later (an extension the plan took) and recounts its
/// status at `now`.
pub(super) fn extend(d: &mut Deadline, days: u32, now: NaiveDateTime, tz: Tz) {
    let Some(due) = d.due.checked_add_days(Days::new(u64::from(days))) else { return };
    let due_at = d.due_time.and_then(|t| t.checked_add_days(Days::new(u64::from(days)))).and_then(|t| calendar::localize(tz, t));
    d.due = due;
    d.due_time = due_at.map(|t| t.naive_local());
    d.due_at = due_at.map(|t| t.fixed_offset());
    d.due_utc = due_at.map(|t| t.with_timezone(&Utc));
    d.due_text = due_text(due, due_at);
    (d.status, d.days_left) = status_at(due, due_at, now, tz);
}
