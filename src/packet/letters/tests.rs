use crate::model::*;
use chrono::NaiveDate;

fn now() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 10).unwrap().and_hms_opt(9, 0, 0).unwrap()
}

fn demo(tag: &str) -> Case {
    let dir = std::env::temp_dir().join(format!("redress-letters-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let folder = crate::demo::write_demo(&dir, now().date()).unwrap();
    let case = crate::casefile::load(&folder).unwrap().case;
    let _ = std::fs::remove_dir_all(&dir);
    case
}

/// The demo case as a provider appeal with no organization and no submitter.
fn appeal(tag: &str) -> Case {
    let mut case = demo(tag);
    case.info.kind = CaseKind::ProviderAppeal;
    case.letter = None;
    case.submitter = None;
    let p = case.provider.get_or_insert(Provider { organization: None, clinician: None, npi: None, phone: None, fax: None });
    p.organization = None;
    p.clinician = Some("Priya Natarajan, MD".into());
    p.npi = Some("1829475635".into());
    p.phone = None;
    p.fax = None;
    case.info.denial_reason = Some("Not medically necessary.".into());
    case.info.requested_action = Some("Approve home oxygen as ordered.".into());
    case
}

fn letter(case: &Case) -> String {
    crate::packet::template_letter(case, now(), chrono_tz::America::Chicago)
}

/// The lines after "Sincerely,".
fn signature(text: &str) -> &str {
    text.rsplit_once("Sincerely,").map(|(_, s)| s.trim()).unwrap_or("")
}

#[test]
fn a_provider_appeal_without_an_organization_is_asked_and_signed_by_the_clinician_not_the_member() {
    let case = appeal("clinician");
    let member = case.member.name.clone();
    let t = letter(&case);
    assert!(t.contains("On behalf of the member, Priya Natarajan, MD requests a"), "{t}");
    assert!(!t.contains(&format!("On behalf of the member, {member} requests")), "{t}");
    assert!(t.contains("was ordered by Priya Natarajan, MD (NPI 1829475635), who supports this request."), "{t}");
    let sig = signature(&t);
    assert!(sig.starts_with("**Priya Natarajan, MD**"), "{sig}");
    assert!(sig.contains("NPI 1829475635"), "{sig}");
    assert!(!sig.contains(&member), "the member signs a provider's appeal: {sig}");
}

#[test]
fn a_reason_or_a_request_ending_in_a_period_is_not_punctuated_twice() {
    let t = letter(&appeal("period"));
    assert!(t.contains("stating: “Not medically necessary.” On behalf of"), "{t}");
    assert!(t.contains("**We ask that the plan: Approve home oxygen as ordered.**"), "{t}");
    for doubled in [".”.", "..", ".**."] {
        assert!(!t.contains(doubled), "{doubled:?} in {t}");
    }
    let mut case = appeal("no-period");
    case.info.denial_reason = Some("Not medically necessary".into());
    case.info.requested_action = Some("Approve home oxygen".into());
    let t = letter(&case);
    assert!(t.contains("stating: “Not medically necessary”. On behalf of"), "{t}");
    assert!(t.contains("**We ask that the plan: Approve home oxygen.**"), "{t}");
}

#[test]
fn the_organization_asks_the_clinician_signs_and_the_submitter_is_the_contact() {
    let mut case = appeal("organization");
    case.provider.as_mut().unwrap().organization = Some("Lakeshore Home Respiratory".into());
    case.provider.as_mut().unwrap().fax = Some("312-555-0149".into());
    case.submitter =
        Some(Submitter { name: "Dana Whitfield".into(), role: Some("Intake coordinator".into()), phone: Some("312-555-0100".into()) });
    let t = letter(&case);
    assert!(t.contains("On behalf of the member, Lakeshore Home Respiratory requests a"), "{t}");
    assert!(t.contains("(NPI 1829475635)"), "{t}");
    assert!(t.contains("Please contact Dana Whitfield (Intake coordinator) at 312-555-0100 with any question"), "{t}");
    let sig = signature(&t);
    assert_eq!(sig, "**Priya Natarajan, MD**\n\nNPI 1829475635\n\nLakeshore Home Respiratory\n\nFax 312-555-0149", "{t}");
}

#[test]
fn with_only_an_npi_the_provider_asks_as_we() {
    let mut case = appeal("npi-only");
    case.provider.as_mut().unwrap().clinician = None;
    let t = letter(&case);
    assert!(t.contains("On behalf of the member, we request a"), "{t}");
    assert!(t.contains("was ordered by the clinician with NPI 1829475635, who supports"), "{t}");
    assert!(!signature(&t).contains(&case.member.name), "{t}");
}

#[test]
fn a_member_signs_their_own_grievance() {
    let mut case = appeal("grievance");
    case.info.kind = CaseKind::MemberGrievance;
    let t = letter(&case);
    assert!(t.contains("I am filing this grievance"), "{t}");
    assert!(signature(&t).starts_with(&format!("**{}**", case.member.name)), "{t}");
    assert!(!t.contains("NPI"), "a grievance is the member's own: {t}");
}
