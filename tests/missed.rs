//! The record of what the plan failed to do: every promised date missed and every decision
//! clock run out, marked on the timeline and counted on the cover. Worked by hand; the tests'
//! clock is 2026-01-01 (`SOURCE_DATE_EPOCH` in `util::redress`).

use crate::util::*;

/// An MA pre-service reconsideration filed 2025-11-20 (the plan's clock: 30 calendar days, due
/// 2025-12-20, 42 CFR 422.590(a)) with five promises:
/// - 2025-11-24 17:00 and 2025-11-28: nothing by then (the scheduling of 12-04 comes late): missed;
/// - 2025-12-05 12:00: kept by the scheduling of 2025-12-04;
/// - 2025-12-15: nothing by then: missed;
/// - 2026-01-05: not yet due.
fn case(decision: Option<&str>) -> String {
    let mut toml = case_toml(&[("note.txt", "progress-note", "2025-11-12", "Progress note", "")])
        .replace("notice_date = \"2025-09-10\"", "notice_date = \"2025-11-10\"")
        .replace("urgency = \"standard\"\n", "urgency = \"standard\"\nservice = \"service\"\n");
    let event = |at: &str, kind: &str, summary: &str, promised: Option<&str>| {
        let promised = promised.map(|p| format!("promised = \"{p}\"\n")).unwrap_or_default();
        format!("\n[[event]]\nat = \"{at}\"\nkind = \"{kind}\"\nsummary = \"{summary}\"\n{promised}")
    };
    toml.push_str(&event("2025-11-20T14:00", "appeal-filed", "Reconsideration request faxed", None));
    toml.push_str(&event("2025-11-21T10:00", "call", "Intake: decision by Monday", Some("2025-11-24T17:00")));
    toml.push_str(&event("2025-11-25T10:00", "call", "Intake: decision by Friday", Some("2025-11-28")));
    toml.push_str(&event("2025-12-01T09:00", "call", "Intake: a peer review will be scheduled", Some("2025-12-05T12:00")));
    toml.push_str(&event("2025-12-04T15:00", "scheduled", "Peer review scheduled for 12-08", None));
    toml.push_str(&event("2025-12-10T09:00", "call", "Supervisor: decision by the 15th", Some("2025-12-15")));
    toml.push_str(&event("2025-12-30T09:00", "call", "Supervisor: decision next week", Some("2026-01-05")));
    if let Some(at) = decision {
        toml.push_str(&event(at, "decision", "Reconsideration decided", None));
    }
    toml
}

/// The cover's and the timeline's text of the case's packet.
fn built(tag: &str, decision: Option<&str>) -> (TempDir, String, String) {
    let t = TempDir::new(tag);
    write_case(t.path(), &case(decision), &[("note.txt", b"note".to_vec())]);
    let r = build_json(t.path());
    let texts = page_texts(&t.join("packet.pdf"));
    let section = |kind: &str| {
        let s = r["sections"].as_array().unwrap().iter().find(|s| s["kind"] == kind).unwrap();
        let first = s["first_page"].as_u64().unwrap() as usize;
        texts[first - 1..first - 1 + s["pages"].as_u64().unwrap() as usize].join("\n")
    };
    let (cover, timeline) = (section("cover"), section("timeline"));
    (t, cover, timeline)
}

#[test]
fn the_cover_counts_missed_promises_and_how_overdue_the_decision_is() {
    let (_t, cover, timeline) = built("missed-open", None);
    assert!(cover.contains("Missed by the plan"), "{cover}");
    assert!(cover.contains("3 promised dates missed; decision overdue by 12 days"), "{cover}");
    // Three promises and the plan's clock, each marked where it fell due.
    assert_eq!(timeline.matches("MISSED").count(), 4, "{timeline}");
    let at = |needle: &str| timeline.find(needle).unwrap_or_else(|| panic!("{needle} in {timeline}"));
    assert!(at("2025-12-10") < at("Deadline missed:") && at("Deadline missed:") < at("2025-12-30"), "in date order: {timeline}");
    assert!(timeline.contains("2025-12-20"), "{timeline}");
}

#[test]
fn a_decision_made_late_is_counted_as_late_not_overdue() {
    let (_t, cover, timeline) = built("missed-late", Some("2025-12-23T11:00"));
    assert!(cover.contains("3 promised dates missed; decision made 3 days late"), "{cover}");
    assert_eq!(timeline.matches("MISSED").count(), 4, "{timeline}");
}

#[test]
fn a_case_with_nothing_missed_gets_no_line_on_the_cover() {
    let t = TempDir::new("missed-none");
    let toml = case_toml(&[("note.txt", "progress-note", "2025-09-12", "Progress note", "")]);
    write_case(t.path(), &toml, &[("note.txt", b"note".to_vec())]);
    build_json(t.path());
    let texts = page_texts(&t.join("packet.pdf"));
    assert!(!texts[0].contains("Missed by the plan"), "{}", texts[0]);
    assert!(!texts.iter().any(|p| p.contains("MISSED")));
}
