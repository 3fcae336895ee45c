//! Promises made on calls (an agent's committed date) tracked like deadlines, and the ones missed.

use super::{day_status, due_text, hour_status, Basis, Deadline, DeadlineKind, Status, NOTICE_GOVERNS};
use crate::model::{Case, Event, EventKind, Moment, Program};
use chrono::{NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

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

/// Whether `a` can be taken as happening at or after `b`. A moment without a time of day is
/// somewhere in its day, so on the same day it counts as not before.
pub(super) fn not_before(a: &Moment, b: &Moment) -> bool {
    a.date() > b.date() || (a.date() == b.date() && (!a.has_time || !b.has_time || a.local >= b.local))
}

/// What became of one promise.
pub(super) struct PromiseCheck {
    pub promised: Moment,
    /// Delivered, scheduled or decided after the promise was made and by the promised moment.
    pub kept: bool,
    /// The first such event after the promised moment, when it was kept late.
    pub late: Option<Moment>,
    /// The promised moment has passed and it was not kept in time.
    pub missed: bool,
}

/// `events` must already be in the user's wall-clock time (see `case::in_zone`).
pub(super) fn check_promise(events: &[Event], index: usize, now: NaiveDateTime) -> Option<PromiseCheck> {
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

pub(super) fn missed_promise(event: &Event, check: &PromiseCheck, now: NaiveDateTime) -> MissedPromise {
    let end = check.late.map(|m| m.date()).unwrap_or(now.date());
    MissedPromise {
        case: None,
        promised: check.promised,
        event_at: event.at,
        summary: event.summary.clone(),
        reference: event.reference.clone(),
        counterpart: event.counterpart.clone(),
        days_overdue: end.signed_duration_since(check.promised.date()).num_days().max(0),
        fulfilled_late: check.late,
    }
}

pub(super) fn promise_deadline(program: Program, event: &Event, check: &PromiseCheck, now: NaiveDateTime, tz: Tz) -> Deadline {
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
    let due_at = if promised.has_time { super::calendar::localize(tz, promised.local) } else { None };
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
        basis_text: format!("the {} of {}", event.kind.label().to_lowercase(), event.at.display_short()),
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
        basis: Basis::Promise,
        basis_given: true,
        due_text: due_text(due, due_at),
        time_zone: due_at.map(|_| tz.name().to_string()),
        due_at: due_at.map(|t| t.fixed_offset()),
        checked: false,
        safe_due: None,
        // A promise kept late is over; one never kept is still owed.
        closed: check.late.is_some(),
        done_late: check.late.map(|m| m.date()),
        done_on: None,
        due_utc: due_at.map(|t| t.with_timezone(&Utc)),
    }
}

/// Whether the promise recorded on `case.events[event_index]` is missed at `now` (the user's
/// wall-clock time in `tz`): its moment passed with no delivered, scheduled or decision event
/// between the promise and that moment. False for an event without a promise or an index out
/// of range.
pub fn promise_is_missed(case: &Case, event_index: usize, now: NaiveDateTime, tz: Tz) -> bool {
    let events: Vec<Event> = case.events.iter().map(|e| super::case::event_in_zone(e, tz)).collect();
    check_promise(&events, event_index, now).is_some_and(|c| c.missed)
}
