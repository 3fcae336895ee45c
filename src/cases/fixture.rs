//! The UI's development fixture (`npm run dev`, then `/?fixture`) is the library's own output:
//! the demo case and a few others, as the app's commands return them on one fixed day, written
//! to `ui/src/lib/fixture.gen.json`. `make bindings` rewrites it; a test fails when it drifts.

use super::*;
use crate::store::Store;
use chrono::NaiveDate;

/// The day the fixture's cases are shown as of.
fn clock() -> Clock {
    Clock { now: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(10, 0, 0).unwrap(), tz: chrono_tz::America::Chicago }
}

/// Other cases for the case list: each a different program and kind.
const OTHERS: &[&str] = &[
    r#"[case]
kind = "provider-appeal"
title = "Power wheelchair (K0823) denied"
program = "medicaid-managed-care"
notice_date = "2026-09-29"
reference = "MCO-77120"
procedures = ["K0823"]
[member]
name = "Rosa Delgado"
dob = "1958-06-02"
member_id = "MCD5521907"
payer = "Prairie Care Medicaid"
"#,
    r#"[case]
kind = "member-grievance"
title = "Wound care visits cut to 1/week"
program = "erisa"
notice_date = "2026-11-06"
reference = "GRV-2026-3318"
[member]
name = "Anna Kowalski"
dob = "1962-11-30"
member_id = "UHX88120455"
payer = "Midwest Employers Health"
"#,
    r#"[case]
kind = "provider-appeal"
title = "Home infusion (J1561) not authorized"
program = "contract"
contract_days = 30
notice_date = "2026-11-01"
reference = "VND-4410"
[member]
name = "James O'Neill"
dob = "1971-01-09"
member_id = "BCX20011872"
payer = "BlueLake PPO"
"#,
    r#"[case]
kind = "regulator-complaint"
title = "Repeated missed oxygen deliveries"
program = "state-doi"
notice_date = "2026-10-17"
[member]
name = "Mae Thompson"
dob = "1939-04-17"
member_id = "AHP3009981"
payer = "Acme Health Plan"
"#,
];

/// The fixture's JSON: the day, and each case's detail as `getCase` returns it.
fn fixture_json(scratch: &std::path::Path) -> String {
    let mut store = Store::open(&scratch.join("redress.db")).unwrap();
    let mut details = vec![load_demo(&mut store, scratch, clock()).unwrap()];
    for text in OTHERS {
        let doc = crate::model::CaseDoc::from_case(&crate::casefile::parse(text).unwrap());
        details.push(create(&mut store, &doc, clock()).unwrap());
    }
    let rules = rules();
    let profiles = super::profiles(&store).unwrap();
    let today = clock().now.format("%Y-%m-%dT%H:%M").to_string();
    let v = serde_json::json!({ "generated_by": "make bindings (src/cases/fixture.rs)", "now": today, "cases": details, "rules": rules, "profiles": profiles });
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

#[test]
fn the_ui_fixture_is_the_librarys_own_output() {
    let scratch = std::env::temp_dir().join(format!("redress-ui-fixture-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let want = fixture_json(&scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(want.contains("\"id\": \"hayes-oxygen-appeal\""));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/fixture.gen.json");
    if std::env::var_os("REDRESS_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "ui/src/lib/fixture.gen.json is out of date: run `make bindings`");
}
