//! Deadlines from the command line: `deadline`, `rules`, `deadlines` with `--json` and `--ics`,
//! the calendar checked by an independent parser (Python's icalendar).

use crate::util::*;

#[test]
fn quick_deadline_for_a_rule_with_its_citation() {
    let t = TempDir::new("quick");
    let o = redress(
        t.path(),
        &["deadline", "--program", "medicare-advantage", "--notice-date", "2025-09-10", "--today", "2025-11-02", "--json"],
    );
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["due"], "2025-11-14");
    assert_eq!(v[0]["citation"], "42 CFR 422.582(b)");
    assert_eq!(v[0]["days_left"], 12);
    assert_eq!(v[0]["status"], "open");
    // Original Medicare: 5-day receipt presumption, then 120 days.
    let o = redress(
        t.path(),
        &["deadline", "--program", "original-medicare", "--notice-date", "2025-01-10", "--today", "2025-01-11", "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["counted_from"], "2025-01-15");
    assert_eq!(v[0]["due"], "2025-05-15");
    assert_eq!(redress(t.path(), &["deadline", "--program", "medicare", "--notice-date", "2025-01-10"]).status.code(), Some(1));
}

#[test]
fn rules_are_listed_with_citations_exactly_as_in_the_table() {
    let t = TempDir::new("rules");
    let o = redress(t.path(), &["rules", "--json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let cite = |id: &str| v.as_array().unwrap().iter().find(|r| r["id"] == id).map(|r| r["citation"].as_str().unwrap().to_string());
    assert_eq!(cite("medicare-redetermination").as_deref(), Some("42 CFR 405.942(a), (a)(1)"));
    assert_eq!(cite("erisa-urgent").as_deref(), Some("29 CFR 2560.503-1(i)(2)(i)"));
    assert_eq!(cite("contract").as_deref(), Some("per contract"));
    assert_eq!(v.as_array().unwrap().len(), 25);
}

#[test]
fn deadlines_of_many_cases_soonest_first_and_as_a_calendar() {
    let t = TempDir::new("ics");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    redress::demo::write_demo(&t.join("a"), today).unwrap();
    redress::demo::write_demo(&t.join("b"), today - chrono::Days::new(30)).unwrap();
    let o = redress(t.path(), &["deadlines", "a", "b", "--today", "2026-01-01", "--json", "--ics", "cal.ics"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let dues: Vec<&str> = v.as_array().unwrap().iter().map(|d| d["due"].as_str().unwrap()).collect();
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted, "soonest first");
    assert!(v.as_array().unwrap().iter().any(|d| d["case"] == "b" && d["kind"] == "file-appeal"));

    let script = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for ev in cal.walk('VEVENT'):
    alarms = [str(a.get('TRIGGER').to_ical().decode()) for a in ev.walk('VALARM')]
    out.append({'uid': str(ev.get('UID')), 'summary': str(ev.get('SUMMARY')), 'start': ev.decoded('DTSTART').isoformat(), 'alarms': alarms, 'description': str(ev.get('DESCRIPTION'))})
print(json.dumps(out))
"#;
    let parse = |file: &str| -> serde_json::Value {
        let o = std::process::Command::new("python3").arg("-c").arg(script).arg(t.join(file)).output().expect("python3");
        assert!(o.status.success(), "icalendar could not parse the file: {}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let events = parse("cal.ics");
    let open_day_rules: Vec<&serde_json::Value> = v.as_array().unwrap().iter().filter(|d| d["status"] != "met").collect();
    assert_eq!(events.as_array().unwrap().len(), open_day_rules.len(), "one event per open deadline");
    for d in open_day_rules.iter().filter(|d| d["due_time"].is_null()) {
        let due = d["due"].as_str().unwrap();
        let e = events
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["start"].as_str().unwrap().starts_with(due) && e["summary"].as_str().unwrap().contains(d["case"].as_str().unwrap()))
            .unwrap_or_else(|| panic!("no event for {d}"));
        let alarms: Vec<&str> = e["alarms"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        if d["kind"] != "promise" {
            assert_eq!(alarms, ["-P7D", "-P1D"], "{e}");
            assert!(e["description"].as_str().unwrap().contains(d["citation"].as_str().unwrap()));
        }
    }
    // A second export gives the same UIDs: calendars update rather than duplicate.
    ok(&redress(t.path(), &["deadlines", "a", "b", "--today", "2026-01-02", "--ics", "cal2.ics"]));
    let uids = |e: &serde_json::Value| {
        let mut u: Vec<String> = e.as_array().unwrap().iter().map(|x| x["uid"].as_str().unwrap().to_string()).collect();
        u.sort();
        u
    };
    assert_eq!(uids(&events), uids(&parse("cal2.ics")));
}
