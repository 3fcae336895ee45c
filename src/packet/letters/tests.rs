use crate::model::*;
use chrono::NaiveDate;

fn now() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 10).unwrap().and_hms_opt(9, 0, 0).unwrap()
}

/// The demo case written on `now()`, read back once (writing its documents takes a while).
fn demo() -> Case {
    static DEMO: std::sync::OnceLock<Case> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("redress-letters-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let folder = crate::demo::write_demo(&dir, now().date()).unwrap();
        let case = crate::casefile::load(&folder).unwrap().case;
        let _ = std::fs::remove_dir_all(&dir);
        case
    })
    .clone()
}

/// The demo case as a provider appeal with no organization and no submitter.
fn appeal() -> Case {
    let mut case = demo();
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
    crate::packet::template_letter(case, crate::checklist::evaluate(case).as_ref(), now(), chrono_tz::America::Chicago)
}

/// The lines after "Sincerely,".
fn signature(text: &str) -> &str {
    text.rsplit_once("Sincerely,").map(|(_, s)| s.trim()).unwrap_or("")
}

#[test]
fn a_provider_appeal_without_an_organization_is_asked_and_signed_by_the_clinician_not_the_member() {
    let case = appeal();
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
    let t = letter(&appeal());
    assert!(t.contains("stating: “Not medically necessary.” On behalf of"), "{t}");
    assert!(t.contains("**We ask that the plan: Approve home oxygen as ordered.**"), "{t}");
    for doubled in [".”.", "..", ".**."] {
        assert!(!t.contains(doubled), "{doubled:?} in {t}");
    }
    let mut case = appeal();
    case.info.denial_reason = Some("Not medically necessary".into());
    case.info.requested_action = Some("Approve home oxygen".into());
    let t = letter(&case);
    assert!(t.contains("stating: “Not medically necessary”. On behalf of"), "{t}");
    assert!(t.contains("**We ask that the plan: Approve home oxygen.**"), "{t}");
}

#[test]
fn the_organization_asks_the_clinician_signs_and_the_submitter_is_the_contact() {
    let mut case = appeal();
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
    let mut case = appeal();
    case.provider.as_mut().unwrap().clinician = None;
    let t = letter(&case);
    assert!(t.contains("On behalf of the member, we request a"), "{t}");
    assert!(t.contains("was ordered by the clinician with NPI 1829475635, who supports"), "{t}");
    assert!(!signature(&t).contains(&case.member.name), "{t}");
}

#[test]
fn a_member_signs_their_own_grievance() {
    let mut case = appeal();
    case.info.kind = CaseKind::MemberGrievance;
    let t = letter(&case);
    assert!(t.contains("I am filing this grievance"), "{t}");
    assert!(signature(&t).starts_with(&format!("**{}**", case.member.name)), "{t}");
    assert!(!t.contains("NPI"), "a grievance is the member's own: {t}");
    // A member's appeal at a named level asks for that level.
    case.info.level = Some("reconsideration".into());
    let t = letter(&case);
    assert!(t.contains("My name is Walter Hayes. I ask for a reconsideration of the decision of Lakeshore Advantage Plus (HMO) dated December 29, 2025"), "{t}");
}

fn tz() -> chrono_tz::Tz {
    chrono_tz::America::Chicago
}

fn of_kind(mut case: Case, kind: CaseKind) -> Case {
    case.info.kind = kind;
    case
}

#[test]
fn the_letter_of_medical_necessity_states_the_findings_with_their_numbers_and_exhibits() {
    // The demo written on 2026-01-10: the overnight study on the night of 2025-12-08, reported
    // on 2025-12-09; the visit with the walk test and the photo of the oximeter on 2025-12-10.
    let t = letter(&demo());
    for want in [
        "**Re: Request for Reconsideration — Letter of medical necessity — Walter Hayes, DOB 03/14/1947, Member ID MAH4417730921",
        "Approve home oxygen concentrator (E1390), 2 L/min continuous by nasal cannula, 12 months. HCPCS/CPT: E1390.",
        "- J44.1 (ICD-10-CM)\n- R09.02 (ICD-10-CM)\n",
        "**Oxygen saturation.** 6 of 9 readings ≤ 88 %; lowest 83 % on exertion on room air, 2025-12-10. Each reading at or below 88 % is listed with the exhibit that records it under point 2 of the denial below.",
        "- SpO2 84 % during sleep on room air on 2025-12-09, {{exhibit:oximetry}}\n",
        // The night's first reading is in the report dated the next morning.
        "- SpO2 87 % during sleep on room air on 2025-12-08, {{exhibit:oximetry}}\n",
        "- SpO2 83 % on exertion on room air on 2025-12-10, {{exhibit:progress-note}}; {{exhibit:oximeter-photo}}\n",
        // A reading no exhibit of its day records is stated without a citation.
        "- SpO2 86 % on exertion on room air on 2025-11-26\n",
        "**Mobility.** 6-minute walk test: 280 m on 2025-10-27 to 210 m on 2025-12-10 (−25 %); higher is better, so this is worse ({{exhibit:progress-note}}).",
        "The notice of December 29, 2025 ({{exhibit:denial}}) gives this reason: “Not medically necessary: qualifying oxygen saturation not documented”",
        "### 1. “Not medically necessary.”\n\nThe clinical findings above establish the need: 6 of 9 readings ≤ 88 %",
        "The treating clinician's evaluation and order are enclosed: {{exhibit:progress-note}} (Pulmonary follow-up visit with 6-minute walk test); {{exhibit:order}} (Signed standard written order for home oxygen).",
        "### 2. “Qualifying oxygen saturation not documented.”\n\nThe qualifying saturation is documented:",
        "Sincerely,\n\n**Priya Natarajan, MD**\n\nNPI 1829475635\n\nNorthside Home Medical\n\nPhone 312-555-0148 · Fax 312-555-0149\n",
    ] {
        assert!(t.contains(want), "{want:?} in\n{t}");
    }
    assert_eq!(t.matches("- SpO2 84 % during sleep").count(), 1, "the readings are listed once, under the point they answer");
    assert_eq!(t.matches("How the coverage criteria are met").count(), 1, "the demo's home-oxygen checklist, stated once");
}

#[test]
fn the_coverage_criteria_are_placed_under_their_heading_when_given() {
    let case = demo();
    let exhibits = crate::packet::plan::numbered_exhibits(&case);
    let f = crate::packet::sections::Front {
        case: &case,
        exhibits: &exhibits,
        sections: &[],
        deadlines: &[],
        missed: &[],
        missed_clocks: &[],
        total_pages: 0,
        prepared: now().date(),
    };
    let t = super::template(&f, Some("- Qualifying saturation: met by {{exhibit:oximetry}}.\n".into()));
    let at = t.find("## How the coverage criteria are met\n\n- Qualifying saturation: met by {{exhibit:oximetry}}.\n").expect(&t);
    assert!(t.find("## Clinical findings").unwrap() < at && at < t.find("## The denial, answered point by point").unwrap(), "{t}");
    for kind in [CaseKind::MemberGrievance, CaseKind::RegulatorComplaint] {
        let case = of_kind(case.clone(), kind);
        let f = crate::packet::sections::Front { case: &case, ..f };
        assert!(!super::template(&f, Some("criteria".into())).contains("coverage criteria"), "{kind}: only the clinician argues criteria");
    }
}

#[test]
fn a_denial_reason_is_split_into_its_points_and_each_answered_by_what_it_is_about() {
    use super::evidence::{denial_points, topic, Topic};
    assert_eq!(
        denial_points("Not medically necessary: qualifying oxygen saturation not documented; no signed order. Missing face-to-face"),
        ["Not medically necessary", "Qualifying oxygen saturation not documented", "No signed order", "Missing face-to-face"]
    );
    let topics: Vec<Topic> = [
        "Not medically necessary",
        "SpO2 not documented",
        "Wound not healing",
        "Not homebound",
        "No signed order",
        "Request was late",
        "Benefit excluded",
    ]
    .iter()
    .map(|p| topic(p))
    .collect();
    use Topic::*;
    assert_eq!(topics, [Necessity, Saturation, Wound, Mobility, Order, Timeliness, Other]);
    // A point about nothing the case holds is answered with the exhibits by kind.
    let mut case = demo();
    case.info.denial_reason = Some("Benefit excluded under the plan".into());
    let t = letter(&case);
    assert!(t.contains("### 1. “Benefit excluded under the plan.”\n\nThe enclosed records answer this point:\n\n"), "{t}");
    assert!(t.contains("- Physician order: {{exhibit:order}} (Signed standard written order for home oxygen)\n"), "{t}");
    assert!(!t.contains("- Denial letter:"), "{t}");
}

#[test]
fn the_member_tells_what_happened_in_date_order_and_each_promise_not_kept() {
    let t = letter(&of_kind(demo(), CaseKind::MemberGrievance));
    assert!(
        t.contains("- On December 17, 2025 at 11:15 AM I was promised an answer by 5:00 PM on December 20, 2025 (Denise R., utilization management intake; reference LAP-C-118204). Nothing came by then.\n"),
        "{t}"
    );
    // The second promise (due January 12) has not passed on January 10.
    assert!(!t.contains("I was promised an answer by 5:00 PM on January 12, 2026"), "{t}");
    let first = t.find("**December 11, 2025 at 4:10 PM** — Order:").expect(&t);
    let call = t.find("**December 17, 2025 at 11:15 AM** — Call with Denise R., utilization management intake: Called plan utilization management: request received and pending clinical review; decision promised. Reference number: LAP-C-118204.").expect(&t);
    let denial = t.find("**December 29, 2025** — Denial:").expect(&t);
    assert!(first < call && call < denial, "in date order: {t}");
    assert!(t.contains("Please send me your answer in writing. You can reach me at 773-555-0192."), "{t}");
    assert!(signature(&t).starts_with("**Walter Hayes**\n\nMember ID MAH4417730921"), "{t}");
}

#[test]
fn the_regulator_complaint_lists_the_plans_missed_deadlines_with_their_citations() {
    let case = of_kind(demo(), CaseKind::RegulatorComplaint);
    let t = letter(&case);
    // The request was faxed on 2025-12-13 under the 14-day clock of requests made before 2026,
    // due 2025-12-27; the denial came on 2025-12-29.
    assert!(
        t.contains("## Deadlines the plan missed\n\n- Plan decides the prior-authorization request was due by 2025-12-27 under 42 CFR 422.568(b)(1); decision made 2 days late.\n"),
        "{t}"
    );
    // The demo's plan is a Medicare Advantage plan: Medicare, not the state, hears the complaint.
    assert!(
        t.contains("\n\nCenters for Medicare & Medicaid Services, Medicare complaints (Medicare Complaint Form; 1-800-MEDICARE)\n\n"),
        "{t}"
    );
    assert!(t.contains("To the Centers for Medicare & Medicaid Services:"), "{t}");
    assert!(t.contains("- Provider: Priya Natarajan, MD (NPI 1829475635), Northside Home Medical, phone 312-555-0148\n"), "{t}");
    assert!(t.contains("## Promises the plan did not keep\n\n- On December 17, 2025"), "{t}");
    let mut medicaid = case.clone();
    medicaid.info.program = Program::MedicaidManagedCare;
    let t = letter(&medicaid);
    assert!(t.contains("\n\nState Medicaid Managed Care Ombudsman\n\n") && t.contains("To the Medicaid Managed Care Ombudsman:"), "{t}");
    let mut employer = case.clone();
    employer.info.program = Program::Erisa;
    let t = letter(&employer);
    assert!(t.contains("\n\nU.S. Department of Labor, Employee Benefits Security Administration, Benefits Advisors\n\n"), "{t}");
    let mut individual = case.clone();
    individual.info.program = Program::Aca;
    let t = letter(&individual);
    assert!(t.contains("\n\nConsumer Services, State Department of Insurance\n\n"), "{t}");
    assert!(t.contains("To the Department of Insurance, Consumer Services:"), "{t}");
}

#[test]
fn the_claim_file_request_cites_the_right_where_the_program_states_one() {
    let mut case = demo();
    let want = [
        (Program::Erisa, Some("(29 CFR 2560.503-1(h)(2)(iii) and (m)(8))")),
        (Program::Aca, Some("(29 CFR 2560.503-1(h)(2)(iii))")),
        (Program::MedicaidManagedCare, Some("including the medical necessity criteria and any processes, strategies or evidentiary standards used in setting coverage limits (42 CFR 438.404(b)(2))")),
        (Program::MedicareAdvantage, None),
        (Program::MedicarePartD, None),
        (Program::OriginalMedicare, None),
        (Program::Contract, None),
        (Program::StateDoi, None),
    ];
    assert_eq!(want.len(), Program::ALL.len());
    for (program, cited) in want {
        case.info.program = program;
        let t = super::claim_file_letter(&case, now().date());
        assert!(
            t.contains("I ask for a free copy of the complete claim file (case file) for your decision dated December 29, 2025"),
            "{t}"
        );
        match cited {
            Some(c) => assert!(t.contains(c), "{program}: {c} in {t}"),
            None => assert!(!t.contains("CFR"), "{program}: no right found, no citation: {t}"),
        }
        assert!(!t.contains("{{exhibit:"), "a letter printed alone cites no exhibit");
    }
}

/// A case with only what case.toml requires.
fn bare(kind: CaseKind) -> Case {
    let mut case = demo();
    case.info = CaseInfo { kind, title: "Denial".into(), ..CaseInfo::new(Program::Erisa, case.info.notice_date) };
    case.member.phone = None;
    case.provider = None;
    case.submitter = None;
    case.exhibits.clear();
    case.events.clear();
    case.spo2.clear();
    case.mobility.clear();
    case
}

#[test]
fn a_missing_field_leaves_out_its_sentence_never_a_placeholder() {
    for kind in CaseKind::ALL {
        let case = bare(*kind);
        for t in [letter(&case), super::claim_file_letter(&case, now().date())] {
            for bad in [
                "None",
                "()",
                "“”",
                " ,",
                " .",
                "..",
                "{{",
                "  ",
                ": .",
                "## Enclosures",
                "## What happened",
                "## Diagnoses",
                "## Clinical findings",
                "## The denial",
            ] {
                assert!(!t.contains(bad), "{kind}: {bad:?} in\n{t}");
            }
            assert!(!t.contains("\n\n\n"), "{kind}: an empty section left a gap:\n{t}");
        }
    }
    let t = letter(&bare(CaseKind::ProviderAppeal));
    assert!(t.contains("On behalf of the member, we request an internal appeal of that decision."), "{t}");
    assert!(t.trim_end().ends_with("Sincerely,"), "no one to sign, no signature line: {t}");
}

#[test]
fn every_citation_of_a_template_names_an_exhibit_and_the_preview_is_what_the_packet_carries() {
    for kind in CaseKind::ALL {
        let case = of_kind(demo(), *kind);
        let t = letter(&case);
        assert!(crate::packet::cite::dangling(&t, &case).is_empty(), "{kind}: {t}");
        let plan = crate::packet::plan::plan(&case, "demo", now(), tz());
        assert_eq!(plan.letter, t, "{kind}: the app previews the letter the packet carries");
    }
}

#[test]
fn a_wound_is_stated_with_its_change_and_the_photos_of_its_days() {
    let mut case = demo();
    let at = |t: &str| Moment::parse(t).unwrap();
    let wound = |t: &str, l: f64, w: f64| WoundMeasurement {
        at: at(t),
        site: "left heel".into(),
        length_cm: l,
        width_cm: w,
        depth_cm: None,
        stage: None,
    };
    // 3.1 × 2.0 = 6.2 cm², then 2.0 × 1.5 = 3 cm²: −52 %.
    case.wounds = vec![wound("2025-12-01", 3.1, 2.0), wound("2025-12-15", 2.0, 1.5)];
    let photo = Exhibit {
        file: "docs/heel.jpg".into(),
        kind: ExhibitKind::WoundPhoto,
        date: NaiveDate::from_ymd_opt(2025, 12, 15).unwrap(),
        title: "Left heel, second measurement".into(),
        pages: None,
        caption: None,
        id: Some("heel".into()),
        meets: Vec::new(),
    };
    case.exhibits.push(photo);
    case.info.denial_reason = Some("Wound not healing with current care".into());
    let t = letter(&case);
    let sentence = "Left heel: 6.2 cm² on 2025-12-01 to 3 cm² on 2025-12-15 (−52 % since the first) ({{exhibit:heel}}).";
    assert!(t.contains(&format!("**Wound area.** {sentence}")), "{t}");
    assert!(t.contains(&format!("### 1. “Wound not healing with current care.”\n\n{sentence}\n")), "{t}");
}

#[test]
fn the_letter_of_medical_necessity_states_how_the_checklist_of_its_service_is_met() {
    let case = appeal();
    assert_eq!(case.info.service, Some(Service::HomeOxygen));
    let t = letter(&case);
    let (_, criteria) = t.split_once("How the coverage criteria are met").expect("the criteria heading");
    // The qualifying test is met by the overnight oximetry, cited by its id so the build writes
    // its Bates pages, with the LCD it comes from.
    let qualifying = crate::checklist::item_by_id("oxygen-qualifying-test").unwrap();
    let line = criteria.lines().find(|l| l.contains(qualifying.citation)).expect("the qualifying test's line");
    assert!(line.contains("{{exhibit:oximetry}}"), "{line}");
    // Without a service there is no checklist and no heading.
    let mut plain = case.clone();
    plain.info.service = None;
    assert!(!letter(&plain).contains("How the coverage criteria are met"));
}
