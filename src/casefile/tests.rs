use super::*;

const GOOD: &str = r#"
[case]
kind = "provider-appeal"
title = "Home oxygen authorization denial"
program = "medicare-advantage"
urgency = "standard"
notice_date = 2025-09-10
reference = "CCX-2025-0142"
diagnoses = ["J44.1", "R09.02"]
procedures = ["E1390"]

[member]
name = "John Smith"
dob = "1945-01-23"
member_id = "XJH123456789"
payer = "Acme Health Plan"

[provider]
npi = "1234567893"

[[exhibit]]
file = "docs/order.pdf"
kind = "physician-order"
date = "2025-09-01"
title = "Signed order"
pages = "1-2"

[[event]]
at = "2025-09-03T10:15"
kind = "call"
summary = "Called plan"
promised = "2025-09-05T17:00"

[[spo2]]
at = "2025-09-02T08:00"
percent = 86
activity = "rest"
"#;

#[test]
fn a_good_case_parses() {
    let c = parse(GOOD).unwrap();
    assert_eq!(c.info.program, Program::MedicareAdvantage);
    assert_eq!(c.member.dob, NaiveDate::from_ymd_opt(1945, 1, 23).unwrap());
    assert_eq!(c.exhibits[0].pages.as_ref().unwrap().ranges, vec![(1, 2)]);
    assert_eq!(c.events[0].promised.unwrap().to_string(), "2025-09-05T17:00");
    assert_eq!(c.spo2[0].oxygen_lpm, 0.0);
    assert_eq!(c.bates_prefix(), "SMITH");
}

#[test]
fn every_problem_is_reported_at_once_with_its_key() {
    let bad = GOOD
        .replace("dob = \"1945-01-23\"", "dob = \"1945-02-30\"")
        .replace("kind = \"physician-order\"", "kind = \"prescription\"")
        .replace("\"1234567893\"", "\"1234567890\"")
        .replace("\"E1390\"", "\"E13\"")
        .replace("\"J44.1\"", "\"44.1\"")
        .replace("pages = \"1-2\"", "pages = \"2-1\"")
        .replace("percent = 86", "percent = 186");
    let Err(Error::Invalid(problems)) = parse(&bad) else { panic!("expected problems") };
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    let expect = [
        "case.toml: member.dob: `1945-02-30` is not a date",
        "case.toml: exhibit 1 (docs/order.pdf): kind: unknown kind `prescription`",
        "case.toml: provider.npi: `1234567890` is not a valid NPI: fails its check digit",
        "case.toml: case.procedures: `E13` cannot be a HCPCS/CPT code",
        "case.toml: case.diagnoses: `44.1` cannot be a ICD-10-CM code",
        "case.toml: exhibit 1 (docs/order.pdf): pages: `2-1` is not a page selection",
        "case.toml: spo2 1: percent: 186 is out of range",
    ];
    for e in expect {
        assert!(text.iter().any(|t| t.starts_with(e)), "missing {e:?} in {text:#?}");
    }
    assert_eq!(text.len(), expect.len(), "{text:#?}");
}

#[test]
fn missing_tables_and_keys_are_named() {
    let Err(Error::Invalid(p)) = parse("[case]\nkind = \"provider-appeal\"\n") else { panic!() };
    let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
    assert!(text.contains(&"case.toml: case.title: missing (required)".to_string()), "{text:#?}");
    assert!(text.iter().any(|t| t.starts_with("case.toml: member: missing table")), "{text:#?}");
}

#[test]
fn toml_syntax_errors_give_the_line() {
    let Err(Error::Invalid(p)) = parse("[case]\nkind = \n") else { panic!() };
    assert_eq!(p[0].location, "line 2");
}

#[test]
fn contract_program_needs_days() {
    let bad = GOOD.replace("program = \"medicare-advantage\"", "program = \"contract\"");
    let Err(Error::Invalid(p)) = parse(&bad) else { panic!() };
    assert!(p[0].to_string().contains("case.contract_days: required"), "{p:?}");
}

#[test]
fn writing_and_reading_back_keeps_every_field() {
    let c = parse(GOOD).unwrap();
    let again = parse(&to_toml(&c)).unwrap();
    assert_eq!(format!("{c:?}"), format!("{again:?}"));
}
