use super::*;
use crate::demo::fixtures;
use crate::error::Location;
use chrono::NaiveDate;

fn read(target: &str, value: &str) -> Prefill {
    Prefill {
        target: target.into(),
        label: target.into(),
        value: value.into(),
        source: Provenance { page: Some(1), rect: None, text: value.into(), confidence: 0.9, note: None },
    }
}

/// A new-case form with what a notice does not say (kind, title, date of birth) filled in.
fn form() -> CaseDoc {
    let mut doc = CaseDoc::default();
    doc.case.kind = "provider-appeal".into();
    doc.case.title = "Home oxygen denial".into();
    doc.case.program = "erisa".into();
    doc.case.urgency = "standard".into();
    doc.member.name = "Ana Ruiz".into();
    doc.member.dob = "1950-04-02".into();
    doc.member.payer = "Typed Plan".into();
    doc
}

fn notice_values() -> Vec<Prefill> {
    vec![
        read("case.notice_date", "2026-03-02"),
        read("case.program", "medicare-advantage"),
        read("member.member_id", "XJK-4471"),
        read("member.payer", "Acme Advantage"),
        read("case.diagnoses", "J44.1"),
        read("case.diagnoses", "R09.02"),
        read("case.procedures", "E1390"),
        read("case.notice_deadline", "2026-05-01"),
        read("case.appeal_fax", "1-800-555-0198"),
    ]
}

#[test]
fn accepted_values_fill_their_keys_and_lists_gain_each_code_once() {
    let mut doc = form();
    doc.case.diagnoses = vec!["J44.1".into()];
    apply(&mut doc, &notice_values()).unwrap();
    assert_eq!(doc.case.notice_date, "2026-03-02");
    assert_eq!(doc.case.program, "medicare-advantage");
    assert_eq!(doc.member.member_id, "XJK-4471");
    assert_eq!(doc.member.payer, "Acme Advantage", "a read value replaces what was typed");
    assert_eq!(doc.case.diagnoses, ["J44.1", "R09.02"], "appended, no duplicate");
    assert_eq!(doc.case.procedures, ["E1390"]);
    assert_eq!(doc.case.appeal_fax.as_deref(), Some("1-800-555-0198"));
    assert_eq!(doc.member.name, "Ana Ruiz", "what no value targets is kept");
    // The usual codecs read the result.
    let case = doc.to_case().unwrap();
    assert_eq!(case.info.notice_date, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    assert_eq!(case.info.notice_deadline, NaiveDate::from_ymd_opt(2026, 5, 1));
    assert_eq!(case.info.program, crate::model::Program::MedicareAdvantage);
}

#[test]
fn a_table_the_form_lacks_is_made_and_a_number_key_takes_a_number() {
    let mut doc = form();
    apply(&mut doc, &[read("provider.fax", "555-0112"), read("case.contract_days", "45")]).unwrap();
    assert_eq!(doc.provider.as_ref().and_then(|p| p.fax.as_deref()), Some("555-0112"));
    assert_eq!(doc.case.contract_days, Some(45.0));
    let bad = apply(&mut doc, &[read("case.contract_days", "forty")]).unwrap_err();
    assert_eq!(bad[0].location, Location::Key("case.contract_days".into()));
}

#[test]
fn unknown_targets_are_each_named_and_the_document_is_left_as_it_was() {
    let mut doc = form();
    let before = doc.clone();
    let problems =
        apply(&mut doc, &[read("case.member_id", "X"), read("member.dob", "1950-01-01"), read("ledger.total", "3"), read("case", "x")])
            .unwrap_err();
    let named: Vec<String> = problems.iter().map(|p| p.location.to_string()).collect();
    assert_eq!(named, ["case.member_id", "ledger.total", "case"]);
    assert!(problems[0].message.contains("`case.member_id` is not a key"), "{}", problems[0].message);
    assert_eq!(doc, before, "nothing applied when any value is refused");
}

#[test]
fn a_value_the_codecs_refuse_is_named_by_its_key_when_the_case_is_made() {
    let e = case_with(&form(), &[read("case.notice_date", "2026-03-02"), read("case.diagnoses", "not-a-code")]).unwrap_err();
    assert!(e.problems().iter().any(|p| p.contains("case.diagnoses") && p.contains("not-a-code")), "{:?}", e.problems());
}

#[test]
fn a_reading_crosses_json_as_it_is() {
    let r = Reading {
        file_name: "notice.pdf".into(),
        kind: "notice".into(),
        pages: vec![ReadPage { page: 1, width: 612.0, height: 792.0, source: WordSource::TextLayer }],
        values: vec![Prefill {
            source: Provenance {
                rect: Some(Rect { x: 72.0, y: 90.5, w: 80.0, h: 10.0 }),
                note: Some("60 days from the notice date 2026-03-02".into()),
                ..read("case.notice_deadline", "2026-05-01").source
            },
            ..read("case.notice_deadline", "2026-05-01")
        }],
        notes: vec!["No member ID was found".into()],
    };
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["pages"][0]["source"], "text_layer");
    assert_eq!(json["values"][0]["source"]["rect"]["y"], 90.5);
    let back: Reading = serde_json::from_value(json).unwrap();
    assert_eq!(back, r);
}

/// A store in a fresh folder of its own, and a text-PDF notice beside it.
fn scratch(tag: &str) -> (PathBuf, Store, PathBuf) {
    let dir = std::env::temp_dir().join(format!("redress-prefill-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::open(&dir.join("redress.db")).unwrap();
    let notice = dir.join("Denial Notice.pdf");
    std::fs::write(&notice, fixtures::text_pdf(&["Notice of Denial of Medical Coverage", "page two"])).unwrap();
    (dir, store, notice)
}

#[test]
fn a_case_made_from_a_reading_holds_the_values_and_the_notice_as_its_denial_letter() {
    let (dir, mut store, notice) = scratch("create");
    let id = create_case_from_reading(&mut store, &form(), &notice_values(), Some(&notice)).unwrap();
    let (case, documents) = store.case_with_documents(&id).unwrap();
    assert_eq!(case.member.member_id, "XJK-4471");
    assert_eq!(case.info.diagnoses, ["J44.1", "R09.02"]);
    assert_eq!(case.exhibits.len(), 1);
    let e = &case.exhibits[0];
    assert_eq!((e.file.as_str(), e.kind, e.id.as_deref()), ("docs/Denial-Notice.pdf", ExhibitKind::DenialLetter, Some("denial-notice")));
    assert_eq!(e.date, case.info.notice_date, "dated the notice date");
    let stored = std::fs::read(store.vault().verify(&documents[&e.file]).unwrap()).unwrap();
    assert_eq!(stored, std::fs::read(&notice).unwrap(), "the vault holds the notice as it was");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn nothing_is_saved_when_a_value_or_the_notice_is_wrong() {
    let (dir, mut store, notice) = scratch("refused");
    let mut values = notice_values();
    values.push(read("case.procedures", "XYZ"));
    let e = create_case_from_reading(&mut store, &form(), &values, Some(&notice)).unwrap_err();
    assert!(e.problems().iter().any(|p| p.contains("case.procedures")), "{:?}", e.problems());
    let fake = dir.join("notice.pdf");
    std::fs::write(&fake, b"plain words, not a PDF").unwrap();
    let e = create_case_from_reading(&mut store, &form(), &notice_values(), Some(&fake)).unwrap_err();
    assert!(matches!(&e, Error::Document { file, .. } if file == "notice.pdf"), "{e:?}");
    let gone = create_case_from_reading(&mut store, &form(), &notice_values(), Some(&dir.join("gone.pdf"))).unwrap_err();
    assert!(gone.to_string().contains("gone.pdf"), "{gone}");
    assert!(store.cases().unwrap().is_empty(), "no case was created");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_reading_added_to_a_stored_case_updates_it_and_adds_the_notice_once() {
    let (dir, mut store, notice) = scratch("add");
    let mut doc = form();
    doc.case.notice_date = "2026-02-20".into();
    doc.member.member_id = "OLD-1".into();
    let id = create_case_from_reading(&mut store, &doc, &[], None).unwrap();
    let doc = CaseDoc::from_case(&store.case(&id).unwrap());
    let added = add_reading_to_case(&mut store, &id, &doc, &notice_values(), Some(&notice)).unwrap();
    assert_eq!(added.as_deref(), Some("docs/Denial-Notice.pdf"));
    let case = store.case(&id).unwrap();
    assert_eq!(case.member.member_id, "XJK-4471");
    assert_eq!(case.exhibits[0].date, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    // The same notice again changes nothing more: it is already the case's document.
    let doc = CaseDoc::from_case(&case);
    assert_eq!(add_reading_to_case(&mut store, &id, &doc, &notice_values(), Some(&notice)).unwrap(), None);
    assert_eq!(store.case(&id).unwrap().exhibits.len(), 1);
    // A refused value leaves the stored case as it was.
    assert!(add_reading_to_case(&mut store, &id, &doc, &[read("member.dob", "2030-01-01")], None).is_err());
    assert_eq!(store.case(&id).unwrap(), case);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_case_folder_is_written_whole_from_a_reading_or_not_at_all() {
    let (dir, _store, notice) = scratch("folder");
    let out = dir.join("cases/ruiz");
    write_case_from_reading(&out, &form(), &notice_values(), Some(&notice)).unwrap();
    let folder = crate::casefile::load(&out).unwrap();
    assert_eq!(folder.case.exhibits[0].kind, ExhibitKind::DenialLetter);
    assert_eq!(std::fs::read(out.join("docs/Denial-Notice.pdf")).unwrap(), std::fs::read(&notice).unwrap());
    let again = write_case_from_reading(&out, &form(), &notice_values(), Some(&notice)).unwrap_err();
    assert!(again.to_string().contains("already exists"), "{again}");
    let bad = dir.join("cases/bad");
    assert!(write_case_from_reading(&bad, &form(), &[read("case.notice_date", "soon")], Some(&notice)).is_err());
    assert!(!bad.exists());
    let left: Vec<_> = std::fs::read_dir(dir.join("cases")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(left, [std::ffi::OsString::from("ruiz")], "no temporary folder left behind");
    let _ = std::fs::remove_dir_all(&dir);
}
