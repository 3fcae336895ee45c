//! The plan stage (pure): what the packet holds and in what order, computed once from the
//! case, its deadlines, the clock and the zone: exhibits in date order and numbered, the
//! deadline lines, the missed promises, the letter's text, the Bates prefix and the stamp's
//! lead, and the case's warnings: every character no font of the packet has, a member's name
//! the stamp or the Bates prefix cannot use, dates after today.

use super::font::metrics;
use super::sections::{DeadlineLine, ExhibitEntry, Front, MissedClock};
use crate::deadline::{self, Deadline, DeadlineKind, Status};
use crate::model::Case;
use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

/// What goes where, before any file is opened.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub case: &'a Case,
    /// In packet order, numbered from 1; hashes and page counts are filled in by the merge.
    pub exhibits: Vec<ExhibitEntry>,
    /// The law's deadlines, for the cover and the timeline.
    pub deadlines: Vec<DeadlineLine>,
    /// Every deadline the case has (promises too), for the build report.
    pub computed: Vec<Deadline>,
    /// Per event (same order as `case.events`): was its promise missed?
    pub missed: Vec<bool>,
    /// The decision clocks the plan missed, for the cover and the timeline.
    pub missed_clocks: Vec<MissedClock>,
    /// The cover's "Prepared" date and the letter's date.
    pub prepared: NaiveDate,
    /// The letter: the case's own letter.md, else the template filled in.
    pub letter: String,
    pub bates_prefix: String,
    /// What the stamp says before the page numbers.
    pub stamp_lead: String,
    /// Characters no font has, each naming the field it is in.
    pub warnings: Vec<String>,
    /// The clinical charts' numbers, as the app shows them too.
    pub charts: crate::readings::ReadingCharts,
    /// The coverage-criteria checklist of the case's service, evaluated once: the letter
    /// states it, and the packet's page shows it when `checklist_page` is set.
    pub checklist: Option<crate::checklist::Evaluation>,
    /// Whether the packet carries the coverage-criteria page (`--checklist`).
    pub checklist_page: bool,
}

/// Plans the packet of `case` (named `case_name` in deadlines) at `now` in `tz`.
pub fn plan<'a>(case: &'a Case, case_name: &str, now: NaiveDateTime, tz: Tz) -> Plan<'a> {
    let computed = deadline::case_deadlines(case, Some(case_name), now, tz).deadlines;
    let deadlines: Vec<DeadlineLine> = computed
        .iter()
        // Promises are shown in the timeline's own rows; the cover lists the law's deadlines.
        .filter(|d| d.kind != DeadlineKind::Promise)
        .map(|d| DeadlineLine {
            label: d.label.clone(),
            due: d.due_text.clone(),
            basis: d.basis_text.clone(),
            rule: d.rule.clone(),
            citation: d.citation.clone(),
            status: d.status.as_str().to_string(),
            overdue: d.status == Status::Overdue,
            warnings: d.warnings.clone(),
        })
        .collect();
    let exhibits = numbered_exhibits(case);
    let missed = missed_promises(case, now, tz);
    let missed_clocks = missed_clocks(&computed, now);
    let prepared = now.date();
    let checklist = crate::checklist::evaluate(case);
    let letter = match &case.letter {
        Some(t) => t.clone(),
        None => super::letters::template(
            &Front {
                case,
                exhibits: &exhibits,
                sections: &[],
                deadlines: &deadlines,
                missed: &missed,
                missed_clocks: &missed_clocks,
                total_pages: 0,
                prepared,
            },
            super::letters::criteria(checklist.as_ref()),
        ),
    };
    Plan {
        case,
        exhibits,
        deadlines,
        computed,
        missed,
        missed_clocks,
        prepared,
        letter,
        bates_prefix: case.bates_prefix(),
        stamp_lead: super::stamp::StampText::lead(case),
        warnings: case_warnings(case, now.date()),
        charts: crate::readings::charts(case),
        checklist,
        checklist_page: false,
    }
}

/// The exhibits in packet order (date order, ties as given), numbered from 1.
pub fn numbered_exhibits(case: &Case) -> Vec<ExhibitEntry> {
    case.exhibit_order()
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let e = &case.exhibits[i];
            ExhibitEntry {
                number: n + 1,
                index: i,
                kind: e.kind,
                date: e.date,
                title: e.title.clone(),
                source: e.file.clone(),
                sha256: String::new(),
                first_page: 0,
                pages: 0,
                part: None,
            }
        })
        .collect()
}

/// Per event: was its promise missed at `now`?
pub fn missed_promises(case: &Case, now: NaiveDateTime, tz: Tz) -> Vec<bool> {
    (0..case.events.len()).map(|i| deadline::promise_is_missed(case, i, now, tz)).collect()
}

/// The plan's decision clocks (on an appeal or on the prior-authorization request) that ran out
/// before a decision: still open and overdue at `now`, or decided late.
pub fn missed_clocks(deadlines: &[Deadline], now: NaiveDateTime) -> Vec<MissedClock> {
    deadlines
        .iter()
        .filter(|d| matches!(d.kind, DeadlineKind::PlanDecision | DeadlineKind::InitialDecision))
        .filter(|d| d.done_late.is_some() || (d.status == Status::Overdue && !d.closed))
        .map(|d| {
            let end = d.done_late.unwrap_or(now.date());
            MissedClock {
                label: d.label.clone(),
                due: d.due,
                due_time: d.due_time,
                due_text: d.due_text.clone(),
                citation: d.citation.clone(),
                days_late: end.signed_duration_since(d.due).num_days().max(0),
                decided: d.done_late.is_some(),
            }
        })
        .collect()
}

/// The case's text that the packet prints, each with the field it comes from.
fn printed_fields(case: &Case) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = Vec::new();
    fn put<'c>(out: &mut Vec<(String, &'c str)>, k: String, v: Option<&'c str>) {
        out.extend(v.map(|v| (k, v)));
    }
    let (m, i) = (&case.member, &case.info);
    put(&mut out, "case.title".into(), Some(&i.title));
    put(&mut out, "case.reference".into(), i.reference.as_deref());
    put(&mut out, "case.denial_reason".into(), i.denial_reason.as_deref());
    put(&mut out, "case.requested_action".into(), i.requested_action.as_deref());
    put(&mut out, "member.name".into(), Some(&m.name));
    put(&mut out, "member.member_id".into(), Some(&m.member_id));
    put(&mut out, "member.payer".into(), Some(&m.payer));
    if let Some(p) = &case.provider {
        put(&mut out, "provider.clinician".into(), p.clinician.as_deref());
        put(&mut out, "provider.organization".into(), p.organization.as_deref());
    }
    if let Some(s) = &case.submitter {
        put(&mut out, "submitter.name".into(), Some(&s.name));
        put(&mut out, "submitter.role".into(), s.role.as_deref());
    }
    for (n, e) in case.events.iter().enumerate() {
        put(&mut out, format!("event {} summary", n + 1), Some(&e.summary));
        put(&mut out, format!("event {} counterpart", n + 1), e.counterpart.as_deref());
        put(&mut out, format!("event {} reference", n + 1), e.reference.as_deref());
    }
    for (n, e) in case.exhibits.iter().enumerate() {
        put(&mut out, format!("exhibit {} ({}) title", n + 1, e.file), Some(&e.title));
        put(&mut out, format!("exhibit {} ({}) caption", n + 1, e.file), e.caption.as_deref());
    }
    // The clinical charts print these.
    for (n, w) in case.wounds.iter().enumerate() {
        put(&mut out, format!("wound {} site", n + 1), Some(&w.site));
        put(&mut out, format!("wound {} stage", n + 1), w.stage.as_deref());
    }
    for (n, m) in case.mobility.iter().enumerate() {
        put(&mut out, format!("mobility {} instrument", n + 1), Some(&m.instrument));
        put(&mut out, format!("mobility {} unit", n + 1), Some(&m.unit));
    }
    put(&mut out, "letter.md".into(), case.letter.as_deref());
    out
}

/// What the case itself gives warnings for, on `today`: characters no font has, a stamp or Bates
/// prefix without the member's name, and dates after today (`check` says the same).
pub fn case_warnings(case: &Case, today: NaiveDate) -> Vec<String> {
    let mut out = missing_characters(case);
    out.extend(super::stamp::StampText::name_warning(case));
    out.extend(case.bates_prefix_warning());
    out.extend(case.dates_after(today));
    out
}

/// A warning for each field with characters that no font of the packet has.
pub fn missing_characters(case: &Case) -> Vec<String> {
    printed_fields(case).into_iter().filter_map(|(field, text)| missing_in(&field, text)).collect()
}

/// `field: 漢 (U+6F22) and 字 (U+5B57) are not in the packet's fonts and print as ?`.
pub fn missing_in(field: &str, text: &str) -> Option<String> {
    let m = metrics();
    let mut missing: Vec<char> = text.chars().filter(|c| !m.covers(*c)).collect();
    missing.sort_unstable();
    missing.dedup();
    if missing.is_empty() {
        return None;
    }
    let shown: Vec<String> = missing.iter().take(8).map(|c| format!("{c} (U+{:04X})", *c as u32)).collect();
    let more = if missing.len() > 8 { format!(" and {} more", missing.len() - 8) } else { String::new() };
    let (is, prints) = if missing.len() == 1 { ("is", "prints") } else { ("are", "print") };
    Some(format!("{field}: {}{more} {is} not in the packet's fonts and {prints} as ?", shown.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(days_late: i64, decided: bool) -> MissedClock {
        let due = chrono::NaiveDate::from_ymd_opt(2025, 12, 20).unwrap();
        let at = due.and_hms_opt(17, 0, 0);
        MissedClock {
            label: "Plan decides".into(),
            due,
            due_time: at,
            due_text: "2025-12-20 17:00 CST".into(),
            citation: "42 CFR 422.590(a)".into(),
            days_late,
            decided,
        }
    }

    #[test]
    fn the_cover_counts_in_words_what_the_plan_missed() {
        use super::super::sections::missed_summary;
        assert_eq!(missed_summary(&[true, false, true, true], &[]).as_deref(), Some("3 promised dates missed"));
        assert_eq!(missed_summary(&[true], &[clock(12, false)]).as_deref(), Some("1 promised date missed; decision overdue by 12 days"));
        assert_eq!(missed_summary(&[false], &[clock(1, true)]).as_deref(), Some("decision made 1 day late"));
        assert_eq!(missed_summary(&[], &[clock(0, false)]).as_deref(), Some("decision overdue since 2025-12-20 17:00 CST"));
        assert_eq!(missed_summary(&[false, false], &[]), None);
    }

    #[test]
    fn a_character_no_font_has_is_named_with_its_field() {
        assert_eq!(missing_in("member.name", "Ивана Łukasz Ελένη"), None);
        let w = missing_in("member.name", "山田 太郎").unwrap();
        assert!(w.starts_with("member.name: "), "{w}");
        assert!(w.contains("山 (U+5C71)") && w.ends_with("are not in the packet's fonts and print as ?"), "{w}");
    }

    #[test]
    fn the_readings_text_the_charts_print_is_checked_for_missing_characters() {
        let dir = std::env::temp_dir().join(format!("redress-plan-readings-{}", std::process::id()));
        let folder = crate::demo::write_demo(&dir, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
        let mut case = crate::casefile::load(&folder).unwrap().case;
        let _ = std::fs::remove_dir_all(&dir);
        let at = crate::model::Moment::parse("2025-09-02").unwrap();
        case.wounds.push(crate::model::WoundMeasurement {
            at,
            site: "踵".into(),
            length_cm: 1.0,
            width_cm: 1.0,
            depth_cm: None,
            stage: None,
        });
        assert_eq!(missing_characters(&case), ["wound 1 site: 踵 (U+8E35) is not in the packet's fonts and prints as ?"]);
    }
}
