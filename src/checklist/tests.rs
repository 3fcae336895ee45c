//! Hand-worked cases, one per service, each with an item met, a gap and a contradiction; and
//! the table itself, every item's citation printed.

use super::*;
use crate::casefile::CaseDoc;
use crate::model::*;
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(text: &str) -> Moment {
    Moment::parse(text).unwrap()
}

fn case(service: Service) -> Case {
    Case {
        info: CaseInfo { title: "Denial".into(), service: Some(service), ..CaseInfo::new(Program::MedicareAdvantage, d(2025, 10, 1)) },
        member: Member { name: "John Smith".into(), dob: d(1945, 1, 23), member_id: "M1".into(), payer: "Plan".into(), phone: None },
        provider: None,
        submitter: None,
        exhibits: vec![],
        events: vec![],
        spo2: vec![],
        wounds: vec![],
        mobility: vec![],
        submissions: vec![],
        letter: None,
    }
}

fn exhibit(kind: ExhibitKind, date: NaiveDate, title: &str, id: Option<&str>) -> Exhibit {
    Exhibit {
        file: format!("docs/{}.pdf", title.to_lowercase().replace(' ', "-")),
        kind,
        date,
        title: title.into(),
        pages: None,
        caption: None,
        id: id.map(Into::into),
        meets: vec![],
    }
}

fn event(when: &str, kind: EventKind, summary: &str) -> Event {
    Event { at: at(when), kind, summary: summary.into(), reference: None, counterpart: None, promised: None }
}

fn spo2(when: &str, percent: f64, activity: Activity, oxygen_lpm: f64) -> Spo2Reading {
    Spo2Reading { at: at(when), percent, activity, oxygen_lpm, pulse: None }
}

fn wound(when: &str, site: &str, length_cm: f64, width_cm: f64, stage: Option<&str>) -> WoundMeasurement {
    WoundMeasurement { at: at(when), site: site.into(), length_cm, width_cm, depth_cm: None, stage: stage.map(Into::into) }
}

fn get<'a>(e: &'a Evaluation, id: &str) -> &'a ItemResult {
    e.items.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("no item {id}"))
}

fn status(e: &Evaluation, id: &str) -> Status {
    get(e, id).status
}

#[test]
fn every_item_has_a_source_a_citation_and_an_id_of_its_own() {
    let cited_from = ["42 CFR ", "NCD ", "LCD ", "MBPM ", "Policy Article ", "Social Security Act "];
    for item in ITEMS {
        println!("{:<14} {:<32} {}", item.service.as_str(), item.id, item.citation);
        assert!(!item.source.trim().is_empty() && !item.criterion.trim().is_empty(), "{}", item.id);
        assert!(cited_from.iter().any(|p| item.citation.starts_with(p)), "{}: {}", item.id, item.citation);
        assert!(item.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", item.id);
        assert_eq!(ITEMS.iter().filter(|i| i.id == item.id).count(), 1, "{} twice", item.id);
        assert_eq!(item_by_id(item.id), Some(item));
    }
    for service in [Service::HomeOxygen, Service::HomeHealth, Service::WoundCare, Service::Dme, Service::HomeInfusion] {
        assert!(checklist(service).count() >= 4, "{service}");
    }
    for service in [Service::Service, Service::Payment, Service::PartBDrug, Service::Drug] {
        assert_eq!(checklist(service).count(), 0, "{service}");
        assert_eq!(evaluate(&case(service)), None);
    }
    let mut no_service = case(Service::HomeOxygen);
    no_service.info.service = None;
    assert_eq!(evaluate(&no_service), None);
}

#[test]
fn home_oxygen_readings_above_88_contradict_and_one_at_86_meets() {
    let mut c = case(Service::HomeOxygen);
    c.exhibits.push(exhibit(ExhibitKind::PhysicianOrder, d(2025, 9, 10), "Order", Some("order")));
    c.spo2 = vec![
        spo2("2025-09-02T08:00", 91.0, Activity::Rest, 0.0),
        spo2("2025-09-02T08:20", 90.0, Activity::Exertion, 0.0),
        // On oxygen: not a qualifying test, whatever its value.
        spo2("2025-09-02T08:40", 85.0, Activity::Rest, 2.0),
    ];
    let e = evaluate(&c).unwrap();
    let q = get(&e, "oxygen-qualifying-test");
    assert_eq!(q.status, Status::Contradicted);
    assert_eq!(q.note, "every SpO2 on room air (2) is above 88 %: the lowest is 90 % on exertion on room air, 2025-09-02");
    assert_eq!(status(&e, "oxygen-written-order"), Status::Met);
    assert_eq!(get(&e, "oxygen-written-order").evidence[0].exhibit.as_ref().unwrap().cited, "Exhibit 1");
    assert_eq!(status(&e, "oxygen-delivery"), Status::Gap);
    assert_eq!(status(&e, "oxygen-time-of-need"), Status::Gap, "no qualifying test yet");

    // A test at 86 % at rest on room air, 8 days before the order.
    c.spo2.push(spo2("2025-09-02T09:00", 86.0, Activity::Rest, 0.0));
    let e = evaluate(&c).unwrap();
    let q = get(&e, "oxygen-qualifying-test");
    assert_eq!(
        (q.status, q.note.as_str()),
        (Status::Met, "1 reading at or below 88 % on room air; lowest 86 % at rest on room air, 2025-09-02")
    );
    assert_eq!(q.evidence[0].text, "SpO2 86 % at rest on room air, 2025-09-02");
    let t = get(&e, "oxygen-time-of-need");
    assert_eq!((t.status, t.note.as_str()), (Status::Met, "qualifying test on 2025-09-02, 8 days before the order of 2025-09-10"));
    assert_eq!(e.summary(), "3 of 6 met; 3 gaps");
}

#[test]
fn home_health_encounter_outside_90_days_contradicts_and_meets_states_skilled_need() {
    let mut c = case(Service::HomeHealth);
    c.exhibits = vec![
        exhibit(ExhibitKind::PhysicianOrder, d(2025, 9, 1), "Plan of care", None),
        exhibit(ExhibitKind::MobilityAssessment, d(2025, 8, 20), "Mobility assessment", Some("mobility")),
        // 120 days before the start of care.
        exhibit(ExhibitKind::ProgressNote, d(2025, 5, 9), "Office visit", None),
    ];
    c.events = vec![event("2025-09-06", EventKind::Delivered, "First skilled nursing visit")];
    let e = evaluate(&c).unwrap();
    assert_eq!(status(&e, "home-health-homebound"), Status::Met);
    assert_eq!(status(&e, "home-health-plan-of-care"), Status::Met);
    assert_eq!(status(&e, "home-health-skilled-need"), Status::Gap);
    let f = get(&e, "home-health-face-to-face");
    assert_eq!(f.status, Status::Contradicted);
    assert_eq!(
        f.note,
        "the nearest encounter note (Exhibit 1) is 120 days before the start of care (2025-09-06): outside 90 days before to 30 days after"
    );

    // The person states that the plan of care shows the skilled need.
    c.exhibits[0].meets = vec!["home-health-skilled-need".into()];
    // And a visit 20 days after the start of care meets the encounter.
    c.exhibits.push(exhibit(ExhibitKind::ProgressNote, d(2025, 9, 26), "Home visit", None));
    let e = evaluate(&c).unwrap();
    let s = get(&e, "home-health-skilled-need");
    assert_eq!((s.status, s.note.as_str()), (Status::Met, "stated: Exhibit 3 meets it"));
    assert!(s.evidence[0].stated);
    assert_eq!(status(&e, "home-health-face-to-face"), Status::Met);
}

#[test]
fn wound_care_healed_wound_contradicts_and_debridement_qualifies() {
    let mut c = case(Service::WoundCare);
    c.wounds = vec![wound("2025-08-01", "left heel", 4.0, 3.0, Some("3")), wound("2025-09-01", "left heel", 0.0, 0.0, Some("3"))];
    c.exhibits.push(exhibit(ExhibitKind::WoundPhoto, d(2025, 8, 1), "Heel photo", Some("heel")));
    let e = evaluate(&c).unwrap();
    let open = get(&e, "wound-still-open");
    assert_eq!((open.status, open.note.as_str()), (Status::Contradicted, "the latest measurement of every wound is 0 cm: healed"));
    assert_eq!(open.evidence[0].text, "left heel 0 × 0 cm, stage 3, 2025-09-01");
    assert_eq!(status(&e, "wound-evaluation"), Status::Met);
    assert_eq!(status(&e, "wound-qualifying"), Status::Gap);

    c.info.procedures = vec!["97597".into()];
    c.wounds.push(wound("2025-09-15", "sacrum", 2.5, 2.0, None));
    let e = evaluate(&c).unwrap();
    assert_eq!(get(&e, "wound-qualifying").note, "debridement (97597)");
    let open = get(&e, "wound-still-open");
    assert_eq!((open.status, open.note.as_str()), (Status::Met, "1 wound is still open at the latest measurement"));

    // Stage 1 pressure ulcers alone do not qualify.
    c.info.procedures.clear();
    c.wounds = vec![wound("2025-09-01", "sacrum", 1.0, 1.0, Some("Stage 1"))];
    assert_eq!(status(&evaluate(&c).unwrap(), "wound-qualifying"), Status::Contradicted);
}

#[test]
fn dme_delivered_before_its_order_contradicts() {
    let mut c = case(Service::Dme);
    c.exhibits.push(exhibit(ExhibitKind::PhysicianOrder, d(2025, 9, 10), "Order for a hospital bed", None));
    c.events = vec![event("2025-09-05T10:00", EventKind::Delivered, "Hospital bed delivered")];
    let e = evaluate(&c).unwrap();
    let o = get(&e, "dme-order-before-delivery");
    assert_eq!((o.status, o.note.as_str()), (Status::Contradicted, "delivered on 2025-09-05, before the order of 2025-09-10"));
    assert_eq!(o.evidence[0].text, "Delivered 2025-09-05 10:00: Hospital bed delivered");
    assert_eq!(status(&e, "dme-written-order"), Status::Met);
    assert_eq!(status(&e, "dme-delivery"), Status::Met);
    assert_eq!(status(&e, "dme-medical-record"), Status::Gap);
}

#[test]
fn home_infusion_insulin_pump_contradicts_and_a_drug_code_meets() {
    let mut c = case(Service::HomeInfusion);
    c.info.procedures = vec!["E0784".into(), "J1561".into()];
    let e = evaluate(&c).unwrap();
    let p = get(&e, "infusion-pump");
    assert_eq!(
        (p.status, p.note.as_str()),
        (Status::Contradicted, "E0784 is an insulin pump: insulin pump systems are not home infusion drugs")
    );
    assert_eq!(get(&e, "infusion-drug").note, "drug J1561");
    assert_eq!(status(&e, "infusion-condition"), Status::Gap);
    c.info.procedures = vec!["E0781".into()];
    assert_eq!(status(&evaluate(&c).unwrap(), "infusion-pump"), Status::Met);
}

#[test]
fn a_contradiction_stands_against_a_statement() {
    let mut c = case(Service::HomeOxygen);
    let mut log = exhibit(ExhibitKind::OxygenLog, d(2025, 9, 2), "Oximetry", Some("oximetry"));
    log.meets = vec!["oxygen-qualifying-test".into()];
    c.exhibits.push(log);
    c.spo2 = vec![spo2("2025-09-02T08:00", 93.0, Activity::Rest, 0.0)];
    let q = evaluate(&c).unwrap().items.into_iter().find(|i| i.id == "oxygen-qualifying-test").unwrap();
    assert_eq!(q.status, Status::Contradicted);
    assert!(q.note.ends_with(", although Exhibit 1 is stated to meet it"), "{}", q.note);
}

#[test]
fn meets_names_an_item_of_the_cases_own_checklist() {
    let mut c = case(Service::HomeOxygen);
    c.exhibits.push(exhibit(ExhibitKind::OxygenLog, d(2025, 9, 2), "Oximetry", None));
    let mut doc = CaseDoc::from_case(&c);
    doc.exhibit[0].meets = vec!["oxygen-qualifying-test".into(), "no-such-item".into(), "home-health-homebound".into()];
    let problems = match doc.to_case() {
        Err(crate::Error::Invalid(p)) => p,
        other => panic!("{other:?}"),
    };
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(
        text[0].contains("exhibit 1 (docs/oximetry.pdf): meets") && text[0].contains("`no-such-item` is not a checklist item"),
        "{text:?}"
    );
    assert!(
        text[1].contains("`home-health-homebound` is an item of the home-health checklist, but the case's service is home-oxygen"),
        "{text:?}"
    );
    doc.exhibit[0].meets = vec!["oxygen-qualifying-test".into()];
    assert_eq!(doc.to_case().unwrap().exhibits[0].meets, ["oxygen-qualifying-test"]);
}

#[test]
fn the_letter_states_what_is_met_citing_exhibits_by_id_or_number() {
    let mut c = case(Service::HomeOxygen);
    c.info.diagnoses = vec!["J44.1".into()];
    c.exhibits = vec![
        exhibit(ExhibitKind::OxygenLog, d(2025, 9, 2), "Overnight oximetry", Some("oximetry")),
        exhibit(ExhibitKind::ProgressNote, d(2025, 9, 3), "Visit", None),
    ];
    c.spo2 = vec![spo2("2025-09-02T02:00", 84.0, Activity::Sleep, 0.0)];
    let e = evaluate(&c).unwrap();
    let text = letter_paragraphs(&e);
    assert!(text.starts_with("The request meets 3 of the 6 coverage criteria for home oxygen that a reviewer looks for:\n\n- **LCD L33797, Group I criteria 1, 2 and 4**: "), "{text}");
    assert!(text.contains("1 reading at or below 88 % on room air; lowest 84 % during sleep on room air, 2025-09-02 (SpO2 84 % during sleep on room air, 2025-09-02; {{exhibit:oximetry}})."), "{text}");
    assert!(text.contains("(Exhibit 2)"), "{text}");
    assert!(!text.contains("Proof of delivery"), "gaps stay out of the letter: {text}");
    // Nothing met, nothing said.
    assert_eq!(letter_paragraphs(&evaluate(&case(Service::Dme)).unwrap()), "");
}

#[test]
fn the_packet_writes_each_exhibits_bates_pages_into_its_citation() {
    let mut c = case(Service::Dme);
    c.exhibits.push(exhibit(ExhibitKind::PhysicianOrder, d(2025, 9, 10), "Order", None));
    let mut e = evaluate(&c).unwrap();
    e.cite_exhibits(|i| (i == 0).then(|| "Exhibit 1, pages SMITH-000004–SMITH-000005".to_string()));
    assert_eq!(get(&e, "dme-written-order").evidence[0].exhibit.as_ref().unwrap().cited, "Exhibit 1, pages SMITH-000004–SMITH-000005");
}
