//! Deadlines: each rule of the table counted from a case's facts, with a status, what it was
//! counted from, warnings, the plan's decision clocks and their extensions, the next level
//! (also when a missed clock opens it early), and missed promises.
//!
//! Everything here is a pure function: the clock (`now`, the user's local wall-clock time) and
//! the time zone are passed in. Only [`local_tz`] looks at the environment, for callers to use.
//!
//! ```
//! use chrono::NaiveDate;
//! use redress::deadline::{quick, Quick, Status};
//! use redress::model::Program;
//!
//! let notice = NaiveDate::from_ymd_opt(2025, 9, 10).unwrap();
//! let today = NaiveDate::from_ymd_opt(2025, 11, 2).unwrap();
//! let q = Quick::new(Program::MedicareAdvantage, notice);
//! let d = &quick(&q, today.and_hms_opt(12, 0, 0).unwrap(), chrono_tz::UTC).unwrap()[0];
//! // Receipt presumed 5 days after the notice (15 Sep), + 60 days = 14 Nov.
//! assert_eq!(d.due, NaiveDate::from_ymd_opt(2025, 11, 14).unwrap());
//! assert_eq!((d.citation.as_str(), d.days_left, d.status), ("42 CFR 422.582(b), (b)(1)", 12, Status::Open));
//! ```

pub mod calendar;
mod case;
mod count;
pub mod ics;
mod promise;
pub mod rules;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_exact;
#[cfg(test)]
mod tests_hand;

pub use case::{case_deadlines, quick, CaseDeadlines, Quick, QuickError};
pub use count::{compute, Facts, Start};
pub use ics::to_ics;
pub use promise::{promise_is_missed, MissedPromise};
pub use rules::{
    decision_clock, decision_clocks, filing_rules, level_rule, next_step, rule, rules, CountedFrom, Extension, Purpose, Rule, Window,
};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The line every deadline carries: the notice, not Redress, is the authority.
pub const NOTICE_GOVERNS: &str = "The deadline stated on your notice governs.";

/// What a deadline is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum DeadlineKind {
    /// The member or provider files the level the case is at.
    FileAppeal,
    /// The plan (or reviewer) must decide a filed appeal.
    PlanDecision,
    /// The plan must decide a prior-authorization request (before any denial).
    InitialDecision,
    /// The member files the next level after a decision (or after the plan missed its clock).
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
            DeadlineKind::InitialDecision => "initial-decision",
            DeadlineKind::NextLevel => "next-level",
            DeadlineKind::Promise => "promise",
        }
    }
}

/// Where a deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "DeadlineStatus"))]
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

/// What a deadline was counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// The date printed on the notice.
    NoticeDate,
    /// The day the notice arrived, as the user entered it.
    ReceivedDate,
    /// The day the notice is presumed to have arrived (the notice date plus the rule's days).
    PresumedReceipt,
    /// A receipt rule without a presumption and no received date: the notice date is taken.
    NoticeDateAsReceipt,
    /// The event complained of (a grievance), recorded as the case's notice date.
    EventDate,
    /// The moment the appeal was filed (an appeal-filed event or a submission).
    Filed,
    /// The moment prior authorization was requested (`pa_requested`).
    PaRequested,
    /// The decision of the level before (for the next level).
    Decision,
    /// The day the plan's decision clock ran out (deemed exhaustion).
    MissedDeadline,
    /// A promise made on a call.
    Promise,
}

impl Basis {
    /// Whether the date was given (by the user or a document) rather than presumed or assumed.
    pub fn given(self) -> bool {
        !matches!(self, Basis::PresumedReceipt | Basis::NoticeDateAsReceipt)
    }
}

/// One computed deadline. Its serde shape uses the field names below; the command line maps it
/// to the documented shape of `deadline --json` (cli.md), where `rule` is the program.
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
    pub program: String,
    /// A short phrase for people: "File the reconsideration".
    pub label: String,
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    pub notice_governs: &'static str,
    /// What the window was counted from, and whether that date was given or presumed.
    pub basis: Basis,
    pub basis_given: bool,
    /// The same in words: "receipt presumed 2025-09-15, 5 days after the notice date 2025-09-10".
    pub basis_text: String,
    /// The due date (and time, with its zone, for hour rules) as people read it.
    pub due_text: String,
    /// The IANA time zone the due time is in, for hour rules and timed promises.
    pub time_zone: Option<String>,
    /// The instant a timed deadline runs out, with its UTC offset.
    pub due_at: Option<DateTime<FixedOffset>>,
    /// ✓ in the spec: the rule was matched against the regulation's text.
    pub checked: bool,
    /// The date a safer reading gives, when the deadline shown rests on evidence (late receipt).
    pub safe_due: Option<NaiveDate>,
    /// What the deadline waited for happened, but after it (filed or decided late): no longer
    /// open, and kept as evidence.
    pub closed: bool,
    /// The day it was done, when that was after the deadline (filed or decided late): how late
    /// the plan was is evidence. Not part of the JSON.
    #[serde(skip)]
    pub done_late: Option<NaiveDate>,
    /// The day it was done, when that was in time (`met`): filed, decided. Not part of the
    /// JSON.
    #[serde(skip)]
    pub done_on: Option<NaiveDate>,
    /// The instant a timed deadline runs out, for calendars; not part of the JSON.
    #[serde(skip)]
    pub due_utc: Option<DateTime<Utc>>,
}

impl Deadline {
    /// The lines a view prints under the date: the rule and citation, what it was counted
    /// from, and each warning. (Views print [`NOTICE_GOVERNS`] once after their deadlines.)
    pub fn explanation(&self) -> Vec<String> {
        let mut lines = vec![format!("rule {} · {}", self.rule, self.citation), format!("counted from {}", self.basis_text)];
        lines.extend(self.warnings.iter().map(|w| format!("warning: {w}")));
        lines
    }

    /// For a deadline met, what met it and when: "met: filed 2026-05-10" (a promise: "met").
    pub fn met_text(&self) -> Option<String> {
        if self.status != Status::Met {
            return None;
        }
        let done = match self.kind {
            DeadlineKind::FileAppeal | DeadlineKind::NextLevel => "filed",
            DeadlineKind::PlanDecision | DeadlineKind::InitialDecision => "decided",
            DeadlineKind::Promise => "kept",
        };
        Some(match self.done_on {
            Some(day) => format!("met: {done} {day}"),
            None => "met".to_string(),
        })
    }
}

/// Days left at or under which a day-counted deadline is due soon.
const DUE_SOON_DAYS: i64 = 7;
/// Hours left at or under which an hour-counted deadline is due soon.
const DUE_SOON_HOURS: i64 = 24;

fn day_status(days_left: i64) -> Status {
    if days_left < 0 {
        Status::Overdue
    } else if days_left <= DUE_SOON_DAYS {
        Status::DueSoon
    } else {
        Status::Open
    }
}

fn hour_status(left: chrono::TimeDelta) -> Status {
    if left < chrono::TimeDelta::zero() {
        Status::Overdue
    } else if left.num_minutes() <= DUE_SOON_HOURS * 60 {
        Status::DueSoon
    } else {
        Status::Open
    }
}

/// The status and days left of a deadline ending at the end of `due` (or at `due_at`), at `now`.
fn status_at(due: NaiveDate, due_at: Option<DateTime<Tz>>, now: NaiveDateTime, tz: Tz) -> (Status, i64) {
    let days_left = due.signed_duration_since(now.date()).num_days();
    let status = match due_at.zip(calendar::localize(tz, now)) {
        Some((end, now_at)) => hour_status(end.signed_duration_since(now_at)),
        None => day_status(days_left),
    };
    (status, days_left)
}

/// "2026-03-09 13:00 PDT", or the date alone.
fn due_text(due: NaiveDate, due_at: Option<DateTime<Tz>>) -> String {
    match due_at {
        Some(t) => t.format("%Y-%m-%d %H:%M %Z").to_string(),
        None => due.to_string(),
    }
}

/// The user's time zone: `TZ` when it names an IANA zone, else the system's, else UTC. The one
/// function here that reads the environment; callers pass its answer in.
pub fn local_tz() -> Tz {
    local_zone().tz
}

/// The user's time zone, and what to tell them when `TZ` names none Redress knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalZone {
    pub tz: Tz,
    /// Set when `TZ` is set to something that is not a known IANA zone: UTC is taken then, as
    /// the system's own clock functions take it.
    pub warning: Option<String>,
}

/// [`local_tz`] with its warning: the zone `TZ` names (`America/New_York`, `:America/New_York`
/// or a path into a zoneinfo folder), else UTC with a warning when `TZ` is set to something
/// else; with no `TZ`, the system's zone, else UTC.
pub fn local_zone() -> LocalZone {
    match std::env::var("TZ") {
        Ok(v) if !v.trim().is_empty() => zone_named(&v),
        _ => {
            let system = iana_time_zone::get_timezone().ok().and_then(|name| name.parse::<Tz>().ok());
            LocalZone { tz: system.unwrap_or(chrono_tz::UTC), warning: None }
        }
    }
}

/// The zone a `TZ` value names, or UTC with the warning that says so.
fn zone_named(value: &str) -> LocalZone {
    let name = value.trim().trim_start_matches(':');
    let name = name.rsplit_once("zoneinfo/").map_or(name, |(_, n)| n);
    match name.parse::<Tz>() {
        Ok(tz) => LocalZone { tz, warning: None },
        Err(_) => LocalZone {
            tz: chrono_tz::UTC,
            warning: Some(format!(
                "TZ={value} is not a time zone Redress knows: times are shown in UTC (set TZ to a zone such as America/New_York)"
            )),
        },
    }
}
