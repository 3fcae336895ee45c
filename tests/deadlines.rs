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
    assert_eq!(v[0]["citation"], "42 CFR 422.582(b), (b)(1)");
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
    assert_eq!(redress(t.path(), &["deadline", "--program", "medicare", "--notice-date", "2025-01-10"]).status.code(), Some(2));
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
    assert_eq!(cite("ma-reconsideration").as_deref(), Some("42 CFR 422.582(b), (b)(1)"));
    assert_eq!(cite("ma-partb-drug").as_deref(), Some("42 CFR 422.590(c)"));
    // 15 filing windows, 16 decision clocks, 6 initial prior-authorization clocks.
    assert_eq!(v.as_array().unwrap().len(), 37);
    // Each rule carries how it is counted: the basis, the presumption, the weekend rule, the mark.
    let r = |id: &str| v.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone();
    let ma = r("ma-reconsideration");
    assert_eq!((ma["counted_from"].as_str(), ma["presumed_receipt_days"].as_u64()), (Some("receipt"), Some(5)));
    assert_eq!(ma["weekend_rule"], "kept, with a warning to file earlier");
    assert_eq!(ma["earlier"]["until"], serde_json::json!([2025, 1, 1]));
    let aca = r("aca-external-review");
    assert_eq!(aca["weekend_rule"], "next-business-day");
    assert_eq!(aca["checked"], false);
    assert_eq!(r("medicare-redetermination")["checked"], true);
    assert_eq!(r("ma-standard-service")["extension"], serde_json::json!({"days": {"days": 14, "citation": "42 CFR 422.590(f)"}}));
    assert_eq!(r("ma-partb-drug")["extension"], "none");
}

#[test]
fn deadline_text_shows_its_basis_every_warning_and_that_the_notice_governs() {
    let t = TempDir::new("quick-text");
    // Notice 12 Sep 2025, receipt presumed 17 Sep, + 60 = Sun 16 Nov 2025.
    let o = redress(t.path(), &["deadline", "--program", "medicare-advantage", "--notice-date", "2025-09-12", "--today", "2025-09-15"]);
    ok(&o);
    let out = stdout(&o);
    assert!(out.contains("File the reconsideration: 2025-11-16 (62 days left, open)"), "{out}");
    assert!(out.contains("rule ma-reconsideration · 42 CFR 422.582(b), (b)(1)"), "{out}");
    assert!(out.contains("counted from receipt presumed 2025-09-17, 5 days after the notice date 2025-09-12"), "{out}");
    assert!(out.contains("warning: receipt presumed 2025-09-17"), "{out}");
    assert!(out.contains("warning: falls on a Sunday: file earlier"), "{out}");
    assert!(out.trim_end().ends_with("The deadline stated on your notice governs."), "{out}");
    // An early receipt counts from the day it came: 13 Sep + 60 = Wed 12 Nov.
    let o = redress(
        t.path(),
        &["deadline", "--program", "medicare-advantage", "--notice-date", "2025-09-12", "--received-date", "2025-09-13", "--json"],
    );
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v[0]["due"].as_str(), v[0]["basis"].as_str(), v[0]["basis_given"].as_bool()),
        (Some("2025-11-12"), Some("received-date"), Some(true))
    );
}

#[test]
fn every_deadline_option_takes_effect_or_is_refused() {
    let t = TempDir::new("quick-options");
    let base = ["deadline", "--program", "medicare-advantage", "--notice-date", "2026-03-02"];
    let with = |extra: &[&str]| -> Vec<String> { base.iter().chain(extra).map(|s| s.to_string()).collect() };
    let run = |args: Vec<String>| redress(t.path(), &args.iter().map(String::as_str).collect::<Vec<_>>());
    // A received date before the notice is refused, as case.toml refuses it; on the command
    // line that is the command line's mistake (exit 2).
    let o = run(with(&["--received-date", "2026-03-01"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the received date 2026-03-01 is before the notice date 2026-03-02"), "{}", stderr(&o));
    // Unknown values are refused with the choices.
    let o = run(with(&["--service", "wheelchair"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("part-b-drug"), "{}", stderr(&o));
    let o = run(with(&["--level", "appeals-council"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ma-reconsideration"), "{}", stderr(&o));
    assert_eq!(run(with(&["--filed", "noon"])).status.code(), Some(2));
    // Expedited without a filing names the 72-hour clock; with one it counts it. The filing at
    // 15:00 -05:00 is 12:00 in Los Angeles; + 72 h across the spring change = 13:00 PDT 9 Mar.
    let o = run(with(&["--urgency", "expedited", "--today", "2026-03-03"]));
    ok(&o);
    assert!(stdout(&o).contains("72 hours (42 CFR 422.590(e))"), "{}", stdout(&o));
    let args = with(&["--urgency", "expedited", "--filed", "2026-03-06T15:00-05:00", "--today", "2026-03-06", "--json"]);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(&args)
        .current_dir(t.path())
        .env("TZ", "America/Los_Angeles")
        .output()
        .unwrap();
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let clock = v.as_array().unwrap().iter().find(|d| d["rule_id"] == "ma-expedited").expect("the expedited clock");
    assert_eq!(clock["due_time"], "2026-03-09T13:00:00");
    assert_eq!(clock["due_text"], "2026-03-09 13:00 PDT");
    assert_eq!(clock["time_zone"], "America/Los_Angeles");
    assert_eq!(clock["due_at"], "2026-03-09T13:00:00-07:00");
    // A Part B drug request takes the 7-day clock: 2 Mar + 7 = 9 Mar.
    let o = run(with(&["--service", "part-b-drug", "--filed", "2026-03-02", "--json"]));
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().any(|d| d["rule_id"] == "ma-partb-drug" && d["due"] == "2026-03-09"), "{v}");
    // A prior-authorization request counts the plan's initial clock, answered by the notice:
    // requested 24 Feb + 7 = 3 Mar, the notice of 2 Mar is in time; requested 20 Feb + 7 =
    // 27 Feb, the notice came 3 days late.
    let pa = |requested: &str| -> serde_json::Value {
        let o = run(with(&["--pa-requested", requested, "--json"]));
        ok(&o);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v.as_array().unwrap().iter().find(|d| d["rule_id"] == "ma-pa-standard").cloned().expect("the initial clock")
    };
    let on_time = pa("2026-02-24");
    assert_eq!((on_time["due"].as_str(), on_time["status"].as_str()), (Some("2026-03-03"), Some("met")));
    let late = pa("2026-02-20");
    assert_eq!((late["due"].as_str(), late["status"].as_str()), (Some("2026-02-27"), Some("overdue")));
    assert!(late["warnings"][0].as_str().unwrap().starts_with("decided 2026-03-02, after this deadline"));
    // Every option has its help text.
    let help = stdout(&redress(t.path(), &["deadline", "--help"]));
    for words in [
        "The day the notice actually arrived",
        "selects the expedited decision clock",
        "service, payment, part-b-drug or drug",
        "the earlier date is used",
        "The level being filed",
        "counts the plan's decision clock",
        "counts the plan's initial decision clock",
        "Days allowed by the contract",
    ] {
        assert!(help.contains(words), "no help saying {words:?}:\n{help}");
    }
}

#[test]
fn deadlines_text_shows_every_warning_and_the_calendar_stamp_is_utc() {
    let t = TempDir::new("deadlines-text");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    redress::demo::write_demo(&t.join("a"), today).unwrap();
    let o = redress(t.path(), &["deadlines", "a", "--today", "2026-01-01"]);
    ok(&o);
    let out = stdout(&o);
    // The demo's notice (20 Dec 2025) arrived on 21 Dec: 60 days on, 19 Feb 2026; the notice
    // itself prints 65 days from its date, 23 Feb, which is later: the earlier date is used.
    assert!(out.contains("2026-02-19"), "{out}");
    assert!(out.contains("counted from receipt on 2025-12-21 (entered)"), "{out}");
    assert!(out.contains("warning: the notice states 2026-02-23, later than the computed 2026-02-19"), "{out}");
    assert!(out.contains("The deadline stated on your notice governs."), "{out}");
    // The plan's prior-authorization clock, decided late, is evidence, not an open deadline.
    assert!(!out.contains("ma-pa-standard"), "{out}");
    // DTSTAMP is UTC: noon of the pinned day in Chicago (CST, UTC-6) is 18:00Z.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["deadlines", "a", "--today", "2026-01-02", "--ics", "cal.ics"])
        .current_dir(t.path())
        .env("TZ", "America/Chicago")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    ok(&o);
    let ics = std::fs::read_to_string(t.join("cal.ics")).unwrap();
    assert!(ics.contains("DTSTAMP:20260102T180000Z"), "{ics}");
    assert!(!ics.contains("DTSTAMP:20260102T120000Z"));
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

/// `--ics` over an earlier calendar writes a new file and renames it into place: the earlier
/// file (kept here under a second name by a hard link, as a calendar app that has it open
/// would see it) is never rewritten in place, and no temporary file is left.
#[test]
fn the_calendar_is_replaced_whole_never_rewritten_in_place() {
    let t = TempDir::new("ics-atomic");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    redress::demo::write_demo(&t.join("a"), today).unwrap();
    redress::demo::write_demo(&t.join("b"), today - chrono::Days::new(30)).unwrap();
    ok(&redress(t.path(), &["deadlines", "a", "--today", "2026-01-01", "--ics", "cal.ics"]));
    let first = std::fs::read(t.join("cal.ics")).unwrap();
    std::fs::hard_link(t.join("cal.ics"), t.join("seen-by-a-reader.ics")).unwrap();
    ok(&redress(t.path(), &["deadlines", "b", "--today", "2026-01-01", "--ics", "cal.ics"]));
    assert!(std::fs::read(t.join("cal.ics")).unwrap() != first, "the second calendar should hold case b's dates");
    assert!(std::fs::read(t.join("seen-by-a-reader.ics")).unwrap() == first, "the first calendar was written over in place");
    let mut names: Vec<String> =
        std::fs::read_dir(t.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.retain(|n| !n.starts_with("redress-test.db"));
    names.sort();
    assert_eq!(names, ["a", "b", "cal.ics", "seen-by-a-reader.ics"]);
}

/// The real binary with `TZ` set to `tz`, and a private database.
fn redress_in(dir: &std::path::Path, tz: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(args)
        .current_dir(dir)
        .env("REDRESS_DB", dir.join("redress-test.db"))
        .env("TZ", tz)
        .output()
        .expect("run redress")
}

#[test]
fn deadlines_lists_every_case_that_reads_and_names_each_folder_that_does_not() {
    let t = TempDir::new("batch");
    for name in ["good", "typo", "later"] {
        std::fs::create_dir_all(t.join(name)).unwrap();
    }
    write_case(&t.join("good"), &case_toml(&[]), &[]);
    write_case(&t.join("later"), &case_toml(&[]).replace("2025-09-10", "2025-10-01"), &[]);
    write_case(&t.join("typo"), &case_toml(&[]).replace("notice_date = \"2025-09-10\"", "notice_date = \"2025-02-30\""), &[]);
    let o = redress(t.path(), &["deadlines", "good", "typo", "later", "missing", "--today", "2025-09-20"]);
    assert_eq!(o.status.code(), Some(1), "a folder that does not read fails the command");
    let (out, err) = (stdout(&o), stderr(&o));
    // Both good cases are listed, soonest first, in spite of the one between them.
    let good = out.find("  good  ").unwrap_or_else(|| panic!("{out}"));
    let later = out.find("  later  ").unwrap_or_else(|| panic!("{out}"));
    assert!(good < later, "{out}");
    assert!(out.contains("The deadline stated on your notice governs."), "{out}");
    // Each bad folder is named with what is wrong in it.
    assert!(err.contains("error: typo/case.toml: case.notice_date: `2025-02-30` is not a date: February 2025 has no day 30"), "{err}");
    assert!(err.contains("error: missing/case.toml: "), "{err}");
    assert!(err.trim_end().ends_with("error: typo and missing could not be read: their deadlines are not listed"), "{err}");
    // As JSON and as a calendar, the same: the good ones written, the failure said.
    let o = redress(t.path(), &["deadlines", "typo", "good", "--today", "2025-09-20", "--json", "--ics", "cal.ics"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().iter().map(|d| d["case"].as_str().unwrap()).collect::<Vec<_>>(), ["good"]);
    assert!(std::fs::read_to_string(t.join("cal.ics")).unwrap().contains("BEGIN:VEVENT"));
    assert!(stderr(&o).contains("typo could not be read: its deadlines are not listed nor in the calendar"), "{}", stderr(&o));
    ok(&redress(t.path(), &["deadlines", "good", "later", "--today", "2025-09-20"]));
}

#[test]
fn command_line_dates_are_refused_in_the_words_case_toml_uses() {
    let t = TempDir::new("cli-dates");
    let refused = |extra: &[&str]| -> String {
        let mut args = vec!["deadline", "--program", "medicare-advantage"];
        args.extend_from_slice(extra);
        let o = redress(t.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
        stderr(&o).trim_end().to_string()
    };
    assert_eq!(refused(&["--notice-date", "2026-02-30"]), "error: --notice-date: `2026-02-30` is not a date: February 2026 has no day 30");
    assert_eq!(
        refused(&["--notice-date", "3/2/26"]),
        "error: --notice-date: `3/2/26` is not a date: write it as YYYY-MM-DD, such as 2025-09-10"
    );
    assert_eq!(
        refused(&["--notice-date", "2026-03-02", "--received-date", "2026-03-04T10:00"]),
        "error: --received-date: `2026-03-04T10:00` is not a date: give the day alone, 2026-03-04"
    );
    assert_eq!(
        refused(&["--notice-date", "2026-03-02", "--today", "tomorrow"]),
        "error: --today: `tomorrow` is not a date: write it as YYYY-MM-DD, such as 2025-09-10"
    );
    assert_eq!(
        refused(&["--notice-date", "2026-03-02", "--notice-deadline", "2026-13-01"]),
        "error: --notice-deadline: `2026-13-01` is not a date: there is no month 13 (months are 01 to 12)"
    );
    assert_eq!(
        refused(&["--notice-date", "2026-03-02", "--pa-requested", "2026-02-30T10:00"]),
        "error: --pa-requested: `2026-02-30T10:00` is not a date or time: February 2026 has no day 30"
    );
    let o = redress(t.path(), &["deadlines", "--today", "2026-04-31"]);
    assert_eq!((o.status.code(), stderr(&o).trim_end()), (Some(2), "error: --today: `2026-04-31` is not a date: April 2026 has no day 31"));
    // case.toml says the same of the same mistake.
    std::fs::create_dir_all(t.join("c")).unwrap();
    write_case(&t.join("c"), &case_toml(&[]).replace("notice_date = \"2025-09-10\"", "notice_date = \"2026-02-30\""), &[]);
    let o = redress(t.path(), &["check", "c"]);
    assert!(stderr(&o).contains("case.notice_date: `2026-02-30` is not a date: February 2026 has no day 30"), "{}", stderr(&o));
}

#[test]
fn every_bad_command_line_value_exits_2_with_a_sentence() {
    let t = TempDir::new("cli-values");
    let refused = |args: &[&str]| -> String {
        let o = redress(t.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        stderr(&o).trim_end().to_string()
    };
    let notice = ["--notice-date", "2026-03-02"];
    let with = |program: &str, extra: &[&str]| -> Vec<String> {
        ["deadline", "--program", program].iter().chain(&notice).chain(extra).map(|s| s.to_string()).collect()
    };
    let run = |args: Vec<String>| refused(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(run(with("medicare", &[])).starts_with("error: --program: unknown program `medicare` (expected one of: erisa |"));
    assert_eq!(run(with("erisa", &["--urgency", "fast"])), "error: --urgency: unknown urgency `fast` (expected standard | expedited)");
    let window = "a window of days is a whole number from 1 to 3650";
    assert_eq!(
        run(with("contract", &["--contract-days", "0"])),
        format!("error: --contract-days: a window of 0 days would end on the day it is counted from: {window}")
    );
    assert_eq!(run(with("contract", &["--contract-days", "-5"])), format!("error: --contract-days: a window cannot be -5 days: {window}"));
    assert_eq!(run(with("contract", &["--contract-days=-5"])), format!("error: --contract-days: a window cannot be -5 days: {window}"));
    assert_eq!(
        run(with("contract", &["--contract-days", "100000"])),
        format!("error: --contract-days: 100000 days is more than ten years: {window}")
    );
    assert_eq!(run(with("contract", &[])), "error: program `contract` needs the number of days the contract allows");
    ok(&redress(t.path(), &with("contract", &["--contract-days", "30"]).iter().map(String::as_str).collect::<Vec<_>>()));
    // case.toml refuses 0 days in the same words.
    std::fs::create_dir_all(t.join("c")).unwrap();
    let toml = case_toml(&[]).replace("program = \"medicare-advantage\"", "program = \"contract\"\ncontract_days = 0");
    write_case(&t.join("c"), &toml, &[]);
    let o = redress(t.path(), &["check", "c"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("case.contract_days: a window of 0 days would end on the day it is counted from: {window}")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_met_deadline_says_when_it_was_met() {
    let t = TempDir::new("met");
    let o = redress(
        t.path(),
        &[
            "deadline",
            "--program",
            "medicare-advantage",
            "--notice-date",
            "2026-03-06",
            "--filed",
            "2026-05-10T23:59",
            "--today",
            "2026-05-12",
        ],
    );
    ok(&o);
    assert!(stdout(&o).contains("File the reconsideration: 2026-05-10 (met: filed 2026-05-10)\n"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("overdue"), "{}", stdout(&o));
}

#[test]
fn an_hour_clock_shows_its_start_in_its_zone_and_says_what_a_missing_hour_became() {
    let t = TempDir::new("hours");
    let expedited = |tz: &str, filed: &str| {
        let args = [
            "deadline",
            "--program",
            "aca",
            "--level",
            "aca-external-review",
            "--notice-date",
            "2026-03-01",
            "--urgency",
            "expedited",
            "--filed",
            filed,
            "--today",
            "2026-03-02",
        ];
        let o = redress_in(t.path(), tz, &args);
        ok(&o);
        (stdout(&o), stderr(&o))
    };
    let (out, err) = expedited("America/New_York", "2026-03-07T15:30");
    assert!(out.contains("counted from the filing, 2026-03-07 15:30 EST\n"), "{out}");
    assert!(out.contains("2026-03-10 16:30 EDT"), "{out}");
    assert_eq!(err, "");
    let (out, _) = expedited("America/New_York", "2026-03-08T02:30");
    assert!(out.contains("counted from the filing, 2026-03-08 03:30 EDT\n"), "{out}");
    assert!(
        out.contains(
            "warning: 2026-03-08 02:30 does not exist in America/New_York (the clocks went forward that night): it is taken as 03:30 EDT"
        ),
        "{out}"
    );
    let (out, _) = expedited("America/New_York", "2026-11-01T01:30");
    assert!(out.contains("warning: 2026-11-01 01:30 happens twice in America/New_York (the clocks went back that night): the first, 01:30 EDT, is taken; the second is 01:30 EST"), "{out}");
    // A TZ that names no zone: UTC, said once.
    let (out, err) = expedited("Not/AZone", "2026-03-07T15:30");
    assert!(out.contains("counted from the filing, 2026-03-07 15:30 UTC\n"), "{out}");
    let warning =
        "warning: TZ=Not/AZone is not a time zone Redress knows: times are shown in UTC (set TZ to a zone such as America/New_York)";
    assert_eq!(err.matches(warning).count(), 1, "{err}");
}

#[test]
fn a_received_date_the_rule_does_not_use_and_a_holiday_on_a_weekend_are_said() {
    let t = TempDir::new("said");
    let o = redress(
        t.path(),
        &[
            "deadline",
            "--program",
            "medicaid-managed-care",
            "--notice-date",
            "2026-03-06",
            "--received-date",
            "2026-03-10",
            "--today",
            "2026-03-07",
        ],
    );
    ok(&o);
    assert!(stdout(&o).contains("File the plan appeal: 2026-05-05"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("warning: the received date 2026-03-10 does not move this deadline: the rule counts from the notice date"),
        "{}",
        stdout(&o)
    );
    // 120 days from 6 March 2026 is Saturday 4 July, Independence Day (observed Friday 3 July).
    let o = redress(
        t.path(),
        &[
            "deadline",
            "--program",
            "medicaid-managed-care",
            "--level",
            "medicaid-fair-hearing",
            "--notice-date",
            "2026-03-06",
            "--today",
            "2026-03-07",
        ],
    );
    ok(&o);
    assert!(
        stdout(&o)
            .contains("warning: falls on a Saturday and Independence Day (federal holiday, observed Friday 2026-07-03): file earlier"),
        "{}",
        stdout(&o)
    );
}
