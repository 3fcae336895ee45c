//! Deadlines: each rule of the table counted from a case's facts, with a status, warnings, the plan's decision clocks, the next level, and missed promises.
//!
//! Everything here is a pure function: the clock (`now`, the user's local wall-clock time) and
//! the time zone are passed in. Only [`local_tz`] looks at the environment, for callers to use.
//!
//! ```
//! use chrono::NaiveDate;
//! use redress::deadline::{quick, Status};
//! use redress::model::{Program, Urgency};
//!
//! let notice = NaiveDate::from_ymd_opt(2025, 9, 10).unwrap();
//! let today = NaiveDate::from_ymd_opt(2025, 11, 2).unwrap();
//! let d = &quick(Program::MedicareAdvantage, notice, None, Urgency::Standard, None, today, chrono_tz::UTC)[0];
//! assert_eq!(d.due, NaiveDate::from_ymd_opt(2025, 11, 14).unwrap()); // 65 days
//! assert_eq!((d.citation.as_str(), d.days_left, d.status), ("42 CFR 422.582(b)", 12, Status::Open));
//! ```

pub mod calendar;
pub mod ics;
pub mod rules;
#[cfg(test)]
mod tests;

pub use ics::to_ics;
pub use rules::{decision_clock, decision_clocks, filing_rules, level_rule, next_level, rule, rules, CountedFrom, Purpose, Rule, Window};

use crate::model::{Case, CaseInfo, Event, EventKind, Moment, Program, Urgency};
use chrono::{DateTime, Days, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// The line every deadline carries: the notice, not Redress, is the authority.
pub const NOTICE_GOVERNS: &str = "The deadline stated on your notice governs.";

/// Days left at or under which a day-counted deadline is due soon.
const DUE_SOON_DAYS: i64 = 7;
/// Hours left at or under which an hour-counted deadline is due soon.
const DUE_SOON_HOURS: i64 = 24;

/// What a deadline is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeadlineKind {
    /// The member or provider files the level the case is at.
    FileAppeal,
    /// The plan (or reviewer) must decide a filed appeal.
    PlanDecision,
    /// The member files the next level after a decision.
    NextLevel,
    /// A committed date someone gave on a call (not law; "expected").
    Promise,
}

impl DeadlineKind {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::FileAppeal => "file-appeal",
            DeadlineKind::PlanDecision => "plan-decision",
            DeadlineKind::NextLevel => "next-level",
            DeadlineKind::Promise => "promise",
        }
    }
}

/// Where a deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Open,
    /// ≤ 7 days left, or ≤ 24 hours for an hour rule.
    DueSoon,
    Overdue,
    /// Done on or before the deadline (filed, decided, delivered).
    Met,
}

impl Status {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::DueSoon => "due-soon",
            Status::Overdue => "overdue",
            Status::Met => "met",
        }
    }
}

/// One computed deadline. Serialises to the shape of `deadline --json` in cli.md, with extra
/// fields after the documented ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deadline {
    /// The case folder's name, when the deadline belongs to a case.
    pub case: Option<String>,
    pub kind: DeadlineKind,
    /// The last day: the deadline is the end of this day in the user's time zone.
    pub due: NaiveDate,
    /// For hour rules and timed promises: the local wall-clock moment it runs out.
    pub due_time: Option<NaiveDateTime>,
    /// The rule id, e.g. `ma-reconsideration` (`promise` for a promise).
    #[serde(rename = "rule_id")]
    pub rule: String,
    pub citation: String,
    /// The start; day 1 is the day after it.
    pub counted_from: NaiveDate,
    /// The window in days, for day-counted rules.
    pub days: Option<u32>,
    /// `calendar`, `months` or `hours`.
    pub counting: &'static str,
    pub days_left: i64,
    pub status: Status,
    /// The case's program id (the rule's own program when computed without a case).
    /// Serialised as `rule`, as in cli.md's example (`"rule": "medicare-advantage"`).
    #[serde(rename = "rule")]
    pub program: String,
    /// A short phrase for people: "File the reconsideration".
    pub label: String,
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    pub notice_governs: &'static str,
    /// The instant a timed deadline runs out, for calendars; not part of the JSON.
    #[serde(skip)]
    pub due_utc: Option<DateTime<Utc>>,
}

/// What a rule is counted from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The date on the notice (for an event-counted rule: the date of the event).
    pub notice_date: NaiveDate,
    pub received_date: Option<NaiveDate>,
    pub urgency: Urgency,
    pub contract_days: Option<u32>,
    /// The filing deadline printed on the notice, when recorded.
    pub notice_deadline: Option<NaiveDate>,
    /// For decision clocks: when the appeal was filed (local wall-clock time).
    pub request_at: Option<NaiveDateTime>,
}

impl Facts {
    /// The facts of a case's own notice.
    pub fn from_case(info: &CaseInfo) -> Facts {
        Facts {
            notice_date: info.notice_date,
            received_date: info.received_date,
            urgency: info.urgency,
            contract_days: info.contract_days,
            notice_deadline: info.notice_deadline,
            request_at: None,
        }
    }
}

/// Counts one rule from the facts. `None` when the rule has no date to compute (any time,
/// state-set), when what starts it is missing (no request for a clock, no `contract_days`), or
/// when the date would leave the calendar.
pub fn compute(rule: &Rule, facts: &Facts, now: NaiveDateTime, tz: Tz) -> Option<Deadline> {
    let mut warnings = Vec::new();
    let start = match rule.counted_from {
        CountedFrom::NoticeDate | CountedFrom::Event => facts.notice_date.and_time(NaiveTime::MIN),
        CountedFrom::Receipt => {
            let received = match (facts.received_date, rule.presumed_receipt_days) {
                (Some(received), _) => received,
                (None, Some(days)) => facts.notice_date.checked_add_days(Days::new(u64::from(days)))?,
                (None, None) => {
                    warnings.push(format!(
                        "counted from the notice date ({}): receipt was assumed on that day; enter received_date if it came later",
                        facts.notice_date
                    ));
                    facts.notice_date
                }
            };
            received.and_time(NaiveTime::MIN)
        }
        CountedFrom::Request => facts.request_at?,
        CountedFrom::None => return None,
    };
    let counted_from = start.date();

    let mut days = None;
    let mut months = None;
    let mut hours = None;
    let mut due_at: Option<DateTime<Tz>> = None;
    let (computed, counting) = match rule.window {
        Window::CalendarDays(n) => {
            days = Some(n);
            (counted_from.checked_add_days(Days::new(u64::from(n)))?, "calendar")
        }
        Window::ContractDays => {
            let n = facts.contract_days?;
            days = Some(n);
            (counted_from.checked_add_days(Days::new(u64::from(n)))?, "calendar")
        }
        Window::Months(n) => {
            months = Some(n);
            // chrono clamps a day the end month lacks (31 Oct + 4 months = 28 Feb).
            (counted_from.checked_add_months(Months::new(n))?, "months")
        }
        Window::Hours(n) => {
            hours = Some(n);
            let end = calendar::add_hours(calendar::localize(tz, start)?, n)?;
            due_at = Some(end);
            (end.date_naive(), "hours")
        }
        Window::AnyTime | Window::StateSet => return None,
    };

    let mut due = computed;
    let filing = rule.purpose == Purpose::Filing;
    let mut moved = false;
    if rule.moves_off_weekend {
        if let Some(reason) = calendar::non_business_reason(due) {
            if let Some(next) = calendar::next_business_day(due) {
                warnings.push(format!("falls on {reason}: moved to the next business day, {next}"));
                due = next;
                moved = true;
            }
        }
    }
    if filing {
        if let Some(stated) = facts.notice_deadline {
            if stated < due {
                warnings.push(format!("the notice states {stated}, earlier than the computed {due}: the notice's date is used"));
                due = stated;
                due_at = None;
                moved = false;
            } else if stated > due {
                warnings.push(format!("the notice states {stated}, later than the computed {due}: the earlier, computed date is used"));
            }
        }
        // Only the member's filings: a plan's decision on a weekend is the plan's problem.
        if !moved {
            if let Some(reason) = calendar::non_business_reason(due) {
                warnings.push(format!("falls on {reason}: file earlier"));
            }
        }
    }

    let days_left = due.signed_duration_since(now.date()).num_days();
    let status = match due_at.zip(calendar::localize(tz, now)) {
        Some((end, now_at)) => hour_status(end.signed_duration_since(now_at)),
        None => day_status(days_left),
    };
    Some(Deadline {
        case: None,
        kind: if filing { DeadlineKind::FileAppeal } else { DeadlineKind::PlanDecision },
        due,
        due_time: due_at.map(|t| t.naive_local()),
        rule: rule.id.to_string(),
        citation: rule.citation.to_string(),
        counted_from,
        days,
        counting,
        days_left,
        status,
        program: rule.program.as_str().to_string(),
        label: rule.action.to_string(),
        warnings,
        months,
        hours,
        notice_governs: NOTICE_GOVERNS,
        due_utc: due_at.map(|t| t.with_timezone(&Utc)),
    })
}

fn day_status(days_left: i64) -> Status {
    if days_left < 0 {
        Status::Overdue
    } else if days_left <= DUE_SOON_DAYS {
        Status::DueSoon
    } else {
        Status::Open
    }
}

fn hour_status(left: TimeDelta) -> Status {
    if left < TimeDelta::zero() {
        Status::Overdue
    } else if left.num_minutes() <= DUE_SOON_HOURS * 60 {
        Status::DueSoon
    } else {
        Status::Open
    }
}

/// The filing deadline of a program's first level, for `redress deadline` (a quick answer
/// without a case). Empty when that level has no computed date.
pub fn quick(
    program: Program,
    notice_date: NaiveDate,
    received_date: Option<NaiveDate>,
    urgency: Urgency,
    contract_days: Option<u32>,
    today: NaiveDate,
    tz: Tz,
) -> Vec<Deadline> {
    let facts = Facts { notice_date, received_date, urgency, contract_days, notice_deadline: None, request_at: None };
    filing_rules(program)
        .first()
        .and_then(|id| rule(id))
        .and_then(|r| compute(r, &facts, today.and_time(NaiveTime::MIN), tz))
        .map(|mut d| {
            d.program = program.as_str().to_string();
            d
        })
        .into_iter()
        .collect()
}

/// A promise whose moment passed with nothing delivered, scheduled or decided in time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissedPromise {
    pub case: Option<String>,
    pub promised: Moment,
    /// When the promise was made (the event that recorded it).
    pub event_at: Moment,
    pub summary: String,
    pub reference: Option<String>,
    pub counterpart: Option<String>,
    /// Days from the promised date to the late fulfilment, or to today while still unkept.
    pub days_overdue: i64,
    /// The first delivered/scheduled/decision event after the promised moment, if any.
    pub fulfilled_late: Option<Moment>,
}

/// A case's deadlines, soonest first, and the promises it has seen broken.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseDeadlines {
    pub deadlines: Vec<Deadline>,
    pub missed_promises: Vec<MissedPromise>,
}

/// A filing (appeal-filed event or submission) or a decision, in the order things happened.
#[derive(Debug, Clone, Copy)]
struct Milestone {
    at: Moment,
    filing: bool,
}

/// Whether `a` can be taken as happening at or after `b`. A moment without a time of day is
/// somewhere in its day, so on the same day it counts as not before.
fn not_before(a: &Moment, b: &Moment) -> bool {
    a.date() > b.date() || (a.date() == b.date() && (!a.has_time || !b.has_time || a.local >= b.local))
}

/// Whether `m` is on or before the deadline (the end of its last day, or its exact moment).
fn in_time(m: &Moment, d: &Deadline) -> bool {
    match d.due_time {
        Some(t) if m.has_time => m.local <= t,
        _ => m.date() <= d.due,
    }
}

/// Every deadline of a case: the filing deadline of its level (`met` once an appeal-filed
/// event or a submission is on or before it), the plan's decision clock once filed (`met` once
/// a decision is on or before it), the next level once decided, and so on up the ladder; then
/// its promises. Soonest first.
pub fn case_deadlines(case: &Case, case_name: Option<&str>, now: NaiveDateTime, tz: Tz) -> CaseDeadlines {
    let info = &case.info;
    let mut out: Vec<Deadline> = Vec::new();

    let mut milestones: Vec<Milestone> = case
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::AppealFiled => Some(Milestone { at: e.at, filing: true }),
            EventKind::Decision => Some(Milestone { at: e.at, filing: false }),
            _ => None,
        })
        .chain(case.submissions.iter().map(|s| Milestone { at: s.at, filing: true }))
        .collect();
    milestones.sort_by_key(|m| m.at);
    let mut used = vec![false; milestones.len()];
    // Each milestone serves one level only, so a filing is never also the next level's filing.
    let mut take = |filing: bool, after: &Moment| -> Option<Moment> {
        let i = (0..milestones.len()).find(|&i| !used[i] && milestones[i].filing == filing && not_before(&milestones[i].at, after))?;
        used[i] = true;
        Some(milestones[i].at)
    };

    let first = filing_rules(info.program).first().and_then(|id| rule(id));
    let mut level_warning = None;
    let mut current = match &info.level {
        None => first,
        Some(level) => level_rule(info.program, level).or_else(|| {
            level_warning = Some(format!("level \"{level}\" is not a level of the {} program: its first level is counted", info.program));
            first
        }),
    };
    let mut facts = Facts::from_case(info);
    let mut kind = DeadlineKind::FileAppeal;
    // Filings before the notice answer an earlier request (the one denied), not this level.
    let mut after = Moment { local: info.notice_date.and_time(NaiveTime::MIN), has_time: false, offset: None };

    // The ladder is short; the bound only guards against a cycle in the table.
    for _ in 0..rules().len() {
        let Some(level) = current else { break };
        let filed = take(true, &after);
        if let Some(mut d) = compute(level, &facts, now, tz) {
            d.kind = kind;
            if kind == DeadlineKind::NextLevel {
                d.warnings
                    .push(format!("counted from the decision of {}: applies if that decision was not fully favourable", facts.notice_date));
                if level.program != info.program {
                    d.warnings.push(format!("applies to: {}", level.program_label));
                }
            }
            d.warnings.extend(level_warning.take());
            match filed {
                Some(f) if in_time(&f, &d) => d.status = Status::Met,
                Some(f) => d.warnings.push(format!("filed {}, after this deadline", f.display_short())),
                None => {}
            }
            out.push(d);
        }
        let Some(filed) = filed else { break };

        let decided = take(false, &filed);
        if let Some(clock) = decision_clock(level.id, info.urgency).and_then(rule) {
            let clock_facts = Facts {
                notice_date: filed.date(),
                received_date: None,
                urgency: info.urgency,
                contract_days: None,
                notice_deadline: None,
                request_at: Some(filed.local),
            };
            if let Some(mut d) = compute(clock, &clock_facts, now, tz) {
                if matches!(clock.window, Window::Hours(_)) && !filed.has_time {
                    d.warnings.push(format!("the filing has no time of day: the hours are counted from the start of {}", filed.date()));
                }
                if let Some(alt) = rules::alternative_clock(level.id, info.urgency).and_then(rule) {
                    d.warnings.push(format!(
                        "counted as a {} ({}); a {} has {} ({})",
                        clock.level, clock.window_text, alt.level, alt.window_text, alt.citation
                    ));
                }
                match decided {
                    Some(m) if in_time(&m, &d) => d.status = Status::Met,
                    Some(m) => d.warnings.push(format!("decided {}, after this deadline", m.display_short())),
                    None => {}
                }
                out.push(d);
            }
        }
        let Some(decided) = decided else { break };

        current = next_level(level.id).and_then(rule);
        facts = Facts {
            notice_date: decided.date(),
            received_date: None,
            urgency: info.urgency,
            contract_days: info.contract_days,
            notice_deadline: None,
            request_at: None,
        };
        kind = DeadlineKind::NextLevel;
        after = decided;
    }

    let mut missed = Vec::new();
    for (i, event) in case.events.iter().enumerate() {
        let Some(check) = check_promise(&case.events, i, now) else {
            continue;
        };
        out.push(promise_deadline(info.program, event, &check, now, tz));
        if check.missed {
            let end = check.late.map(|m| m.date()).unwrap_or(now.date());
            missed.push(MissedPromise {
                case: None,
                promised: check.promised,
                event_at: event.at,
                summary: event.summary.clone(),
                reference: event.reference.clone(),
                counterpart: event.counterpart.clone(),
                days_overdue: end.signed_duration_since(check.promised.date()).num_days().max(0),
                fulfilled_late: check.late,
            });
        }
    }

    for d in &mut out {
        d.case = case_name.map(str::to_string);
        d.program = info.program.as_str().to_string();
    }
    for m in &mut missed {
        m.case = case_name.map(str::to_string);
    }
    out.sort_by_key(|d| (d.due, d.due_time.is_none(), d.due_time, d.kind));
    missed.sort_by_key(|m| m.promised);
    CaseDeadlines { deadlines: out, missed_promises: missed }
}

/// What became of one promise.
struct PromiseCheck {
    promised: Moment,
    /// Delivered, scheduled or decided after the promise was made and by the promised moment.
    kept: bool,
    /// The first such event after the promised moment, when it was kept late.
    late: Option<Moment>,
    /// The promised moment has passed and it was not kept in time.
    missed: bool,
}

fn check_promise(events: &[Event], index: usize, now: NaiveDateTime) -> Option<PromiseCheck> {
    let event = events.get(index)?;
    let promised = event.promised?;
    let answers = events.iter().enumerate().filter(|(j, e)| {
        *j != index && matches!(e.kind, EventKind::Delivered | EventKind::Scheduled | EventKind::Decision) && not_before(&e.at, &event.at)
    });
    let mut kept = false;
    let mut late: Option<Moment> = None;
    for (_, e) in answers {
        if not_before(&promised, &e.at) {
            kept = true;
        } else if late.is_none_or(|l| e.at < l) {
            late = Some(e.at);
        }
    }
    // A promise without a time of day runs to the end of its day.
    let passed = if promised.has_time { now > promised.local } else { now.date() > promised.date() };
    Some(PromiseCheck { promised, kept, late: if kept { None } else { late }, missed: passed && !kept })
}

fn promise_deadline(program: Program, event: &Event, check: &PromiseCheck, now: NaiveDateTime, tz: Tz) -> Deadline {
    let promised = check.promised;
    let due = promised.date();
    let days_left = due.signed_duration_since(now.date()).num_days();
    let status = if check.kept {
        Status::Met
    } else if check.missed {
        Status::Overdue
    } else if promised.has_time {
        hour_status(promised.local.signed_duration_since(now))
    } else {
        day_status(days_left)
    };
    let due_utc = if promised.has_time {
        match promised.offset.and_then(FixedOffset::east_opt) {
            Some(offset) => offset.from_local_datetime(&promised.local).earliest().map(|t| t.with_timezone(&Utc)),
            None => calendar::localize(tz, promised.local).map(|t| t.with_timezone(&Utc)),
        }
    } else {
        None
    };
    let mut source = format!("promise made {}", event.at.display_short());
    if let Some(who) = &event.counterpart {
        source.push_str(&format!(" by {who}"));
    }
    if let Some(reference) = &event.reference {
        source.push_str(&format!(", ref {reference}"));
    }
    let mut warnings = Vec::new();
    if let Some(late) = check.late {
        warnings.push(format!("kept late, {}", late.display_short()));
    }
    Deadline {
        case: None,
        kind: DeadlineKind::Promise,
        due,
        due_time: promised.has_time.then_some(promised.local),
        rule: "promise".into(),
        citation: source,
        counted_from: event.at.date(),
        days: None,
        counting: if promised.has_time { "hours" } else { "calendar" },
        days_left,
        status,
        program: program.as_str().to_string(),
        label: format!("Promised: {}", event.summary),
        warnings,
        months: None,
        hours: None,
        notice_governs: NOTICE_GOVERNS,
        due_utc,
    }
}

/// Whether the promise recorded on `case.events[event_index]` is missed at `now`: its moment
/// passed with no delivered, scheduled or decision event between the promise and that moment.
/// False for an event without a promise or an index out of range.
pub fn promise_is_missed(case: &Case, event_index: usize, now: NaiveDateTime) -> bool {
    check_promise(&case.events, event_index, now).is_some_and(|c| c.missed)
}

/// The user's time zone: `TZ` when it names an IANA zone, else the system's, else UTC. The one
/// function here that reads the environment; callers pass its answer in.
pub fn local_tz() -> Tz {
    let from_env = std::env::var("TZ").ok().and_then(|v| v.trim_start_matches(':').parse::<Tz>().ok());
    from_env.or_else(|| iana_time_zone::get_timezone().ok().and_then(|name| name.parse::<Tz>().ok())).unwrap_or(chrono_tz::UTC)
}
