//! A case's deadlines: the filing window of its level, the plan's decision clock once filed
//! (with any extension), the next level once decided or as soon as a missed clock opens it, the
//! initial prior-authorization clock, and the promises made on calls.

use super::count::{compute, extend, Facts, Start};
use super::promise::{check_promise, missed_promise, not_before, promise_deadline, MissedPromise};
use super::rules::{self, filing_rules, level_rule, rule, rules, Extension, PaClock, Rule, Window};
use super::{Basis, Deadline, DeadlineKind, Status};
use crate::model::{Case, CaseInfo, Event, EventKind, Moment, Program, Service, Urgency};
use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;

/// A case's deadlines, soonest first, and the promises it has seen broken.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseDeadlines {
    pub deadlines: Vec<Deadline>,
    pub missed_promises: Vec<MissedPromise>,
}

/// A moment in the user's wall-clock time: one written with a UTC offset is that instant, seen
/// from `tz`; one without is already local. Where that wall-clock time happens twice in `tz`
/// (the night the clocks go back), the zone's offset at the instant is kept to say which.
pub(super) fn in_zone(m: Moment, tz: Tz) -> Moment {
    let Some(offset) = m.offset.and_then(FixedOffset::east_opt) else { return m };
    match offset.from_local_datetime(&m.local).single() {
        Some(instant) => {
            let seen = instant.with_timezone(&tz);
            let twice = tz.from_local_datetime(&seen.naive_local()).single().is_none();
            Moment { local: seen.naive_local(), has_time: m.has_time, offset: twice.then(|| seen.offset().fix().local_minus_utc()) }
        }
        None => m,
    }
}

pub(super) fn event_in_zone(e: &Event, tz: Tz) -> Event {
    Event { at: in_zone(e.at, tz), promised: e.promised.map(|p| in_zone(p, tz)), ..e.clone() }
}

fn day(date: NaiveDate) -> Moment {
    Moment { local: date.and_time(NaiveTime::MIN), has_time: false, offset: None }
}

/// Whether `m` is on or before the deadline (the end of its last day, or its exact moment).
fn in_time(m: &Moment, d: &Deadline) -> bool {
    match d.due_time {
        Some(t) if m.has_time => m.local <= t,
        _ => m.date() <= d.due,
    }
}

/// Marks a deadline met by what was done at `done`.
fn met(d: &mut Deadline, done: &Moment) {
    d.status = Status::Met;
    d.done_on = Some(done.date());
}

/// Filings (appeal-filed events and submissions) and decisions, in the order they happened;
/// each serves one level only, so a filing is never also the next level's filing.
struct Milestones {
    list: Vec<(Moment, bool)>,
    used: Vec<bool>,
}

impl Milestones {
    fn new(events: &[Event], submissions: &[Moment]) -> Milestones {
        let mut list: Vec<(Moment, bool)> = events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::AppealFiled => Some((e.at, true)),
                EventKind::Decision => Some((e.at, false)),
                _ => None,
            })
            .chain(submissions.iter().map(|s| (*s, true)))
            .collect();
        list.sort_by_key(|m| m.0);
        let used = vec![false; list.len()];
        Milestones { list, used }
    }

    /// The first unused filing (or decision) not before `after`.
    fn take(&mut self, filing: bool, after: &Moment) -> Option<Moment> {
        let i = (0..self.list.len()).find(|&i| !self.used[i] && self.list[i].1 == filing && not_before(&self.list[i].0, after))?;
        self.used[i] = true;
        Some(self.list[i].0)
    }
}

/// What the deadline engine reads of a case, in the user's wall-clock time.
struct Input<'a> {
    info: &'a CaseInfo,
    events: Vec<Event>,
    submissions: Vec<Moment>,
    pa_requested: Option<Moment>,
}

/// Every deadline of a case: the filing deadline of its level (`met` once an appeal-filed
/// event or a submission is on or before it), the plan's decision clock once filed (`met` once
/// a decision is on or before it, moved by an `extension` event), the next level once decided
/// or once the plan's clock is overdue, and so on up the ladder; the initial prior-authorization
/// clock; then its promises. Soonest first.
pub fn case_deadlines(case: &Case, case_name: Option<&str>, now: NaiveDateTime, tz: Tz) -> CaseDeadlines {
    let input = Input {
        info: &case.info,
        events: case.events.iter().map(|e| event_in_zone(e, tz)).collect(),
        submissions: case.submissions.iter().map(|s| in_zone(s.at, tz)).collect(),
        pa_requested: case.info.pa_requested.map(|m| in_zone(m, tz)),
    };
    let mut out = appeal_deadlines(&input, now, tz);
    let pa = pa_deadline(&input, &mut out, now, tz);
    out.extend(pa);
    let mut missed = Vec::new();
    for (i, event) in input.events.iter().enumerate() {
        let Some(check) = check_promise(&input.events, i, now) else { continue };
        out.push(promise_deadline(input.info.program, event, &check, now, tz));
        if check.missed {
            missed.push(missed_promise(event, &check, now));
        }
    }
    for d in &mut out {
        d.case = case_name.map(str::to_string);
        d.program = input.info.program.as_str().to_string();
    }
    for m in &mut missed {
        m.case = case_name.map(str::to_string);
    }
    out.sort_by_key(|d| (d.due, d.due_time.is_none(), d.due_time, d.kind));
    missed.sort_by_key(|m| m.promised);
    CaseDeadlines { deadlines: out, missed_promises: missed }
}

/// The level the case is at, and a warning when its `level` names none of the program's.
fn current_level(info: &CaseInfo) -> (Option<&'static Rule>, Option<String>) {
    let first = filing_rules(info.program).first().and_then(|id| rule(id));
    match &info.level {
        None => (first, None),
        Some(level) => match level_rule(info.program, level) {
            Some(r) => (Some(r), None),
            None => (first, Some(format!("level \"{level}\" is not a level of the {} program: its first level is counted", info.program))),
        },
    }
}

/// The warning for an expedited case whose program has no expedited clock.
fn urgency_warning(info: &CaseInfo) -> Option<String> {
    (info.urgency == Urgency::Expedited && !rules::has_expedited_clock(info.program)).then(|| {
        format!("urgency is expedited, but the {} program has no expedited clock in the table: the standard windows apply", info.program)
    })
}

fn appeal_deadlines(input: &Input, now: NaiveDateTime, tz: Tz) -> Vec<Deadline> {
    let mut walk = Ladder::new(input, now, tz);
    // The ladder is short; the bound only guards against a cycle in the table.
    for _ in 0..rules().len() {
        let Some(level) = walk.current else { break };
        let Some(filed) = walk.file(level) else { break };
        let Some(decided) = walk.decide(level, filed) else { break };
        walk.climb(level, decided);
    }
    walk.out
}

/// A walk up a case's ladder: each level's filing window, the plan's clock once filed, the
/// next level once decided.
struct Ladder<'a> {
    input: &'a Input<'a>,
    now: NaiveDateTime,
    tz: Tz,
    milestones: Milestones,
    current: Option<&'static Rule>,
    facts: Facts,
    kind: DeadlineKind,
    /// Filings before this moment answer an earlier request, not the current level.
    after: Moment,
    /// Said once, on the first deadline: an unknown level, an urgency without a clock.
    first_warnings: Vec<String>,
    out: Vec<Deadline>,
}

impl<'a> Ladder<'a> {
    fn new(input: &'a Input<'a>, now: NaiveDateTime, tz: Tz) -> Ladder<'a> {
        let info = input.info;
        let (current, level_warning) = current_level(info);
        Ladder {
            input,
            now,
            tz,
            milestones: Milestones::new(&input.events, &input.submissions),
            current,
            facts: Facts {
                notice_date: info.notice_date,
                anchor: Basis::NoticeDate,
                received_date: info.received_date,
                contract_days: info.contract_days,
                notice_deadline: info.notice_deadline,
                request: None,
            },
            kind: DeadlineKind::FileAppeal,
            after: day(info.notice_date),
            first_warnings: level_warning.into_iter().chain(urgency_warning(info)).collect(),
            out: Vec::new(),
        }
    }

    /// The level's filing window (met once filed in time); the filing, if there is one.
    fn file(&mut self, level: &'static Rule) -> Option<Moment> {
        let info = self.input.info;
        let filed = self.milestones.take(true, &self.after);
        if let Some(mut d) = compute(level, &self.facts, self.now, self.tz) {
            d.kind = self.kind;
            if self.kind == DeadlineKind::NextLevel && self.facts.anchor == Basis::Decision {
                d.warnings.push(format!(
                    "counted from the decision of {}: applies if that decision was not fully favourable",
                    self.facts.notice_date
                ));
            }
            if self.kind == DeadlineKind::NextLevel && level.program != info.program {
                d.warnings.push(format!("applies to: {}", level.program_label));
            }
            d.warnings.append(&mut self.first_warnings);
            match filed {
                Some(f) if in_time(&f, &d) => met(&mut d, &f),
                Some(f) => {
                    d.warnings.push(format!("filed {}, after this deadline", f.display_short()));
                    d.closed = true;
                    d.done_late = Some(f.date());
                }
                None => {}
            }
            self.out.push(d);
        }
        filed
    }

    /// The plan's clock on a filing (with extensions, and what a missed clock opens); the
    /// decision that starts the next level, if there is one.
    fn decide(&mut self, level: &'static Rule, filed: Moment) -> Option<Moment> {
        let info = self.input.info;
        let decided = self.milestones.take(false, &filed);
        let Some(pick) = rules::decision_clock(level.id, info.urgency, info.service) else { return decided };
        let clock = pick.clock;
        let start = Start::of(filed, Basis::Filed);
        let Some(mut d) = compute(clock, &Facts::request(start), self.now, self.tz) else { return decided };
        if let Some(alt) = pick.alternative {
            d.warnings.push(format!(
                "counted as a {} ({}); a {} has {} ({}): set service to say which",
                clock.level, clock.window_text, alt.level, alt.window_text, alt.citation
            ));
        }
        d.warnings.extend(pick.note.map(str::to_string));
        apply_extensions(&mut d, clock, &self.input.events, &filed, decided.as_ref(), self.now, self.tz);
        let Some(decided) = decided else {
            let opened = deemed_next_level(info, clock, &mut d, self.now, self.tz);
            self.out.push(d);
            self.out.extend(opened);
            return None;
        };
        if in_time(&decided, &d) {
            met(&mut d, &decided);
        } else {
            d.warnings.push(format!("decided {}, after this deadline", decided.display_short()));
            d.closed = true;
            d.done_late = Some(decided.date());
        }
        let via_ire = rules::next_step(level.id).filter(|s| s.via_ire);
        let from = match via_ire {
            Some(step) => self.milestones.take(false, &decided).or_else(|| {
                d.warnings.push(format!(
                    "a decision that upholds the denial goes to the IRE without a new request (42 CFR 422.590(a)(2)); record the IRE's decision to count the {} window",
                    rule(step.to).map(|r| r.level).unwrap_or("next")
                ));
                None
            }),
            None => Some(decided),
        };
        self.out.push(d);
        from
    }

    /// Moves to the next level of the ladder, counted from `decided`.
    fn climb(&mut self, level: &'static Rule, decided: Moment) {
        self.current = rules::next_step(level.id).and_then(|s| rule(s.to));
        self.facts = next_facts(self.input.info, decided.date(), Basis::Decision);
        self.kind = DeadlineKind::NextLevel;
        self.after = decided;
    }
}

fn next_facts(info: &CaseInfo, date: NaiveDate, anchor: Basis) -> Facts {
    Facts { notice_date: date, anchor, received_date: None, contract_days: info.contract_days, notice_deadline: None, request: None }
}

/// When the plan's clock ran out with no decision: the warning that says what that means, and
/// the next level it opens at once, counted from the day the clock ran out.
fn deemed_next_level(info: &CaseInfo, clock: &Rule, d: &mut Deadline, now: NaiveDateTime, tz: Tz) -> Option<Deadline> {
    if d.status != Status::Overdue {
        return None;
    }
    let deemed = rules::deemed_exhaustion(clock.id)?;
    d.warnings.push(format!("missed: {} ({})", deemed.text, deemed.citation));
    // Where the plan moves the case on itself (MA, to the IRE), the warning is all there is.
    let next = deemed.opens.and_then(rule)?;
    let mut n = compute(next, &next_facts(info, d.due, Basis::MissedDeadline), now, tz)?;
    n.kind = DeadlineKind::NextLevel;
    n.warnings.insert(0, format!("open now: the plan missed its deadline of {}; {} ({})", d.due_text, deemed.text, deemed.citation));
    if next.program != info.program {
        n.warnings.push(format!("applies to: {}", next.program_label));
    }
    Some(n)
}

/// Moves a decision clock by the plan's extension (an `extension` event between the request and
/// the decision), or warns when the clock allows none or the notice came too late.
fn apply_extensions(
    d: &mut Deadline,
    clock: &Rule,
    events: &[Event],
    since: &Moment,
    decided: Option<&Moment>,
    now: NaiveDateTime,
    tz: Tz,
) {
    let mut extended = false;
    let relevant = events
        .iter()
        .filter(|e| e.kind == EventKind::Extension && not_before(&e.at, since) && decided.is_none_or(|m| not_before(m, &e.at)));
    for e in relevant {
        let when = e.at.display_short();
        if !in_time(&e.at, d) {
            d.warnings.push(format!("the plan gave notice of an extension on {when}, after this deadline: it does not move it"));
            continue;
        }
        match clock.extension {
            Extension::Days { days, citation } if !extended => {
                extend(d, days, now, tz);
                d.warnings.push(format!("extended by {days} days: the plan gave notice on {when} ({citation})"));
                extended = true;
            }
            Extension::Days { days, citation } => {
                d.warnings.push(format!(
                    "a second extension noticed on {when} is not counted: the rule allows one of up to {days} days ({citation})"
                ));
            }
            Extension::None => {
                d.warnings.push(format!("the plan gave notice of an extension on {when}, but this clock allows none ({})", clock.citation));
            }
            Extension::NotApplicable => {}
        }
    }
}

/// The plan's clock on the initial prior-authorization request, when the case records one.
/// When the request is outside these clocks, the first filing deadline says why.
fn pa_deadline(input: &Input, out: &mut [Deadline], now: NaiveDateTime, tz: Tz) -> Option<Deadline> {
    let info = input.info;
    let requested = input.pa_requested?;
    let rule = match rules::pa_clock(info.program, info.urgency, info.service) {
        PaClock::Clock { rule, note } => {
            let start = Start::of(requested, Basis::PaRequested);
            let mut d = compute(rule, &Facts::request(start), now, tz)?;
            d.warnings.extend(note.map(str::to_string));
            (rule, d)
        }
        PaClock::Excluded(why) => {
            if let Some(first) = out.iter_mut().find(|d| d.kind == DeadlineKind::FileAppeal) {
                first.warnings.push(format!("prior authorization requested {}: {why}", requested.display_short()));
            }
            return None;
        }
    };
    let (clock, mut d) = rule;
    d.kind = DeadlineKind::InitialDecision;
    let decided = pa_decision(input, &requested);
    apply_extensions(&mut d, clock, &input.events, &requested, decided.as_ref(), now, tz);
    match decided {
        Some(m) if in_time(&m, &d) => met(&mut d, &m),
        Some(m) => {
            d.warnings.push(format!(
                "decided {}, after this deadline: a missed clock is evidence for a grievance or a complaint",
                m.display_short()
            ));
            d.closed = true;
            d.done_late = Some(m.date());
        }
        None if d.status == Status::Overdue => {
            d.warnings.push("no decision recorded: a missed clock is evidence for a grievance or a complaint".into());
        }
        None => {}
    }
    Some(d)
}

/// The plan's answer to the prior-authorization request: the first decision or denial event
/// after it, else the case's notice when the case is at its first level and the notice is not
/// before the request.
fn pa_decision(input: &Input, requested: &Moment) -> Option<Moment> {
    let event = input
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Decision | EventKind::Denial) && not_before(&e.at, requested))
        .map(|e| e.at)
        .min();
    let at_first_level = current_level(input.info).0.map(|r| r.id) == filing_rules(input.info.program).first().copied();
    event.or_else(|| (at_first_level && input.info.notice_date >= requested.date()).then(|| day(input.info.notice_date)))
}

/// What `redress deadline` is asked: a program, a notice, and what else the user knows.
#[derive(Debug, Clone, PartialEq)]
pub struct Quick {
    pub program: Program,
    pub notice_date: NaiveDate,
    pub received_date: Option<NaiveDate>,
    pub urgency: Urgency,
    pub service: Option<Service>,
    pub contract_days: Option<u32>,
    pub notice_deadline: Option<NaiveDate>,
    /// A level of the program (rule id or name); the first when not given.
    pub level: Option<String>,
    /// When the appeal was filed: counts the plan's decision clock.
    pub filed: Option<Moment>,
    /// When prior authorization was requested: counts the initial decision clock.
    pub pa_requested: Option<Moment>,
}

impl Quick {
    pub fn new(program: Program, notice_date: NaiveDate) -> Quick {
        Quick {
            program,
            notice_date,
            received_date: None,
            urgency: Urgency::Standard,
            service: None,
            contract_days: None,
            notice_deadline: None,
            level: None,
            filed: None,
            pa_requested: None,
        }
    }
}

/// Why a quick question cannot be answered as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuickError {
    #[error("the received date {received} is before the notice date {notice}")]
    ReceivedBeforeNotice { received: NaiveDate, notice: NaiveDate },
    #[error("the filing date {filed} is before the notice date {notice}")]
    FiledBeforeNotice { filed: NaiveDate, notice: NaiveDate },
    #[error("program `contract` needs the number of days the contract allows")]
    NoContractDays,
    #[error("`{level}` is not a level of the {program} program (its levels: {choices})")]
    UnknownLevel { level: String, program: Program, choices: String },
}

/// The deadlines of one notice without a case, for `redress deadline`: the filing window of
/// the level asked (the program's first by default), the plan's decision clock when the
/// filing is given, the prior-authorization clock when the request is given. Every option takes
/// effect or is refused.
pub fn quick(q: &Quick, now: NaiveDateTime, tz: Tz) -> Result<Vec<Deadline>, QuickError> {
    if let Some(r) = q.received_date.filter(|r| *r < q.notice_date) {
        return Err(QuickError::ReceivedBeforeNotice { received: r, notice: q.notice_date });
    }
    if let Some(f) = q.filed.map(|f| in_zone(f, tz)).filter(|f| f.date() < q.notice_date) {
        return Err(QuickError::FiledBeforeNotice { filed: f.date(), notice: q.notice_date });
    }
    if q.program == Program::Contract && q.contract_days.is_none() {
        return Err(QuickError::NoContractDays);
    }
    if let Some(level) = q.level.as_deref().filter(|l| level_rule(q.program, l).is_none()) {
        let choices = filing_rules(q.program).join(", ");
        return Err(QuickError::UnknownLevel { level: level.to_string(), program: q.program, choices });
    }
    let info = CaseInfo {
        level: q.level.clone(),
        contract_days: q.contract_days,
        urgency: q.urgency,
        service: q.service,
        pa_requested: q.pa_requested,
        received_date: q.received_date,
        notice_deadline: q.notice_deadline,
        ..CaseInfo::new(q.program, q.notice_date)
    };
    let filed: Vec<Event> = q
        .filed
        .map(|at| Event {
            at,
            kind: EventKind::AppealFiled,
            summary: "Appeal filed".into(),
            reference: None,
            counterpart: None,
            promised: None,
        })
        .into_iter()
        .collect();
    let input = Input {
        info: &info,
        events: filed.iter().map(|e| event_in_zone(e, tz)).collect(),
        submissions: vec![],
        pa_requested: q.pa_requested.map(|m| in_zone(m, tz)),
    };
    let mut out = appeal_deadlines(&input, now, tz);
    if q.filed.is_none() && q.urgency == Urgency::Expedited {
        expedited_hint(&info, &mut out);
    }
    let pa = pa_deadline(&input, &mut out, now, tz);
    out.extend(pa);
    for d in &mut out {
        d.program = q.program.as_str().to_string();
    }
    Ok(out)
}

/// Without a filing the expedited clock has no start: say what it will be.
fn expedited_hint(info: &CaseInfo, out: &mut [Deadline]) {
    let Some(first) = out.iter_mut().find(|d| d.kind == DeadlineKind::FileAppeal) else { return };
    let Some(level) = rule(&first.rule) else { return };
    if let Some(pick) =
        rules::decision_clock(level.id, Urgency::Expedited, info.service).filter(|p| matches!(p.clock.window, Window::Hours(_)))
    {
        first.warnings.push(format!(
            "expedited: once the request is filed the plan decides within {} ({}); give the filing time to count it",
            pick.clock.window_text, pick.clock.citation
        ));
    }
}
