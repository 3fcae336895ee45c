//! `redress import-claim` through the real binary: a FHIR file and an 835 read with their
//! provenance (text and JSON), and broken files refused with exit 1 naming the file and place.

use crate::util::*;
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/claims").join(name).display().to_string()
}

#[test]
fn import_claim_prints_fhir_values_with_their_paths() {
    let t = TempDir::new("claim-fhir");
    let o = redress(t.path(), &["import-claim", &fixture("eob-preauth.json")]);
    ok(&o);
    let out = stdout(&o);
    assert!(out.contains("  authorization: AUTH-2026-0042 (ExplanationOfBenefit.preAuthRef[0])\n"), "{out}");
    assert!(out.contains("  HCPCS/CPT code: 94760 (ExplanationOfBenefit.item[0].productOrService.coding[0].code)\n"), "{out}");
    assert!(out.contains("  refused ICD-10 code: `R9.02` is not an ICD-10-CM code"), "{out}");

    let o = redress(t.path(), &["import-claim", &fixture("eob-preauth.json"), "--json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["format"], "fhir");
    let values = v["claims"][0]["values"].as_array().unwrap();
    let remark = values.iter().find(|f| f["field"] == "remark_code").expect("the RARC");
    assert_eq!(remark["value"], "N115");
    assert_eq!(remark["at"], "ExplanationOfBenefit.item[0].adjudication[0].reason.coding[1].code");
    assert_eq!(v["claims"][0]["rejected"][0]["value"], "9476");
}

#[test]
fn import_claim_reads_an_835() {
    let t = TempDir::new("claim-835");
    let o = redress(t.path(), &["import-claim", &fixture("remit.835"), "--json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["format"], "x12-835");
    let claims = v["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 2);
    let cas = claims[1]["values"].as_array().unwrap().iter().find(|f| f["field"] == "adjustment_reason").unwrap();
    assert_eq!((cas["value"].as_str(), cas["group"].as_str(), cas["at"].as_str()), (Some("1"), Some("PR"), Some("segment 25 CAS02")));
    let o = redress(t.path(), &["import-claim", &fixture("remit.835")]);
    ok(&o);
    let out = stdout(&o);
    assert!(out.contains("  claim number: 2026011200417 (segment 12 CLP07)\n"), "{out}");
    assert!(out.contains("  outcome: 4, denied (segment 12 CLP02)\n"), "{out}");
    assert!(
        out.contains(
            "  adjustment reason (CARC): 50 group CO, contractual obligation (not billed to the patient) — These are non-covered \
             services because this is not deemed a 'medical necessity' by the payer. (segment 13 CAS02)\n"
        ),
        "{out}"
    );
}

#[test]
fn import_claim_refuses_broken_files_naming_the_place() {
    let t = TempDir::new("claim-bad");
    let cases = [
        ("bad.json", "{\"resourceType\": \"ExplanationOfBenefit\", \"outcome\": ", "bad.json: the file is not valid JSON"),
        ("patient.json", "{\"resourceType\": \"Patient\"}", "patient.json: `resourceType` is `Patient`"),
        (
            "items.json",
            "{\"resourceType\": \"ClaimResponse\", \"item\": {}}",
            "items.json: `ClaimResponse.item` has the wrong type: FHIR puts a list there",
        ),
        ("no-isa.835", "ST*835*0001~CLP*A~", "no-isa.835: the file is neither FHIR JSON nor an X12 interchange"),
    ];
    for (name, text, message) in cases {
        std::fs::write(t.join(name), text).unwrap();
        let o = redress(t.path(), &["import-claim", name]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(stderr(&o).contains(message), "{name}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
    let remit = std::fs::read_to_string(fixture("remit.835")).unwrap();
    std::fs::write(t.join("cut.835"), &remit[..remit.find("SVC*HC:E1390").unwrap() + 9]).unwrap();
    let o = redress(t.path(), &["import-claim", "cut.835"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cut.835: segment 16 (SVC) is cut short"), "{}", stderr(&o));
    let o = redress(t.path(), &["import-claim", "missing.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("missing.json"));
}

/// What `--case` needs that a remittance does not hold.
const GIVEN: [&str; 10] = [
    "--set",
    "case.kind=provider-appeal",
    "--set",
    "case.title=Oxygen concentrator denial",
    "--set",
    "case.program=medicare-advantage",
    "--set",
    "case.notice_date=2026-03-02",
    "--set",
    "member.dob=1948-05-17",
];

#[test]
fn import_claim_case_makes_a_folder_check_accepts() {
    let t = TempDir::new("claim-case");
    let remit = fixture("remit-dme.835");
    // Without what the file lacks: each missing key named, nothing written.
    let o = redress(t.path(), &["import-claim", &remit, "--case", "oxygen"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for key in [
        "case.kind must not be empty",
        "case.title must not be empty",
        "case.program must not be empty",
        "case.notice_date missing",
        "member.dob missing",
    ] {
        assert!(err.contains(key), "{key}: {err}");
    }
    assert!(err.contains("give each missing value with --set KEY=VALUE"), "{err}");
    assert!(!err.contains("member.member_id") && !err.contains("member.payer"), "the file gave them: {err}");
    assert!(std::fs::read_dir(t.path()).unwrap().next().is_none(), "nothing left behind");

    let mut args =
        vec!["import-claim", &remit, "--case", "oxygen", "--set", "member.name=Grace Okafor", "--clear", "case.authorization_number"];
    args.extend(GIVEN);
    let o = redress(t.path(), &args);
    ok(&o);
    assert!(stdout(&o).contains("case.denial_reason: CO 50: These are non-covered services"), "{}", stdout(&o));
    let toml = std::fs::read_to_string(t.join("oxygen/case.toml")).unwrap();
    assert!(toml.contains("member_id = \"7XK2MM4QA11\""), "{toml}");
    assert!(toml.contains("name = \"Grace Okafor\""), "--set replaces the name read: {toml}");
    assert!(toml.contains("procedures = [\"E1390\"]"), "{toml}");
    assert!(toml.contains("denial_reason = \"CO 50: These are non-covered services"), "{toml}");
    assert!(!toml.contains("authorization_number"), "--clear leaves it out: {toml}");
    let o = redress(t.path(), &["check", "oxygen"]);
    ok(&o);

    // The folder exists now: refused, and left as it was.
    let o = redress(t.path(), &args);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("oxygen: already exists"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(t.join("oxygen/case.toml")).unwrap(), toml);
}

#[test]
fn import_claim_case_takes_the_claim_asked_for_and_refuses_unknown_keys() {
    let t = TempDir::new("claim-case-2");
    let remit = fixture("remit-dme.835");
    let mut args = vec!["import-claim", &remit, "--case", "infusion", "--claim", "2", "--json"];
    args.extend(GIVEN);
    let o = redress(t.path(), &args);
    ok(&o);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["claim"], 2);
    assert_eq!((v["reading"]["kind"].as_str(), v["reading"]["file_name"].as_str()), (Some("claim"), Some("remit-dme.835")));
    let procedures: Vec<_> = v["reading"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["target"] == "case.procedures")
        .map(|x| x["value"].clone())
        .collect();
    assert_eq!(procedures, ["J1569", "E0781"]);
    let toml = std::fs::read_to_string(t.join("infusion/case.toml")).unwrap();
    assert!(!toml.contains("denial_reason"), "a paid claim has none: {toml}");
    ok(&redress(t.path(), &["check", "infusion"]));

    let mut args = vec!["import-claim", &remit, "--case", "x", "--set", "case.reason=late"];
    args.extend(GIVEN);
    let o = redress(t.path(), &args);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("`case.reason` is not a key of case.toml"), "{}", stderr(&o));
    let o = redress(t.path(), &["import-claim", &remit, "--case", "x", "--clear", "case.diagnoses"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--clear case.diagnoses: the file gave no value for case.diagnoses"), "{}", stderr(&o));
    let o = redress(t.path(), &["import-claim", &remit, "--case", "y", "--claim", "4"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--claim 4: the file holds 3 claim(s)"), "{}", stderr(&o));
    assert!(!t.join("x").exists() && !t.join("y").exists());
}
