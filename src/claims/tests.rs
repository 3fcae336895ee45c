//! Each fixture (written after the CARIN Blue Button and Da Vinci PAS examples and the X12 835
//! structure) read field by field with its provenance; absent fields stay absent; broken files
//! are refused naming the field or segment.

use super::*;

const BUNDLE: &str = include_str!("../../tests/fixtures/claims/eob-bundle.json");
const PREAUTH: &str = include_str!("../../tests/fixtures/claims/eob-preauth.json");
const PAS: &str = include_str!("../../tests/fixtures/claims/claimresponse-pas.json");
const REMIT: &str = include_str!("../../tests/fixtures/claims/remit.835");

fn one(text: &str) -> ClaimFound {
    let mut found = read(text.as_bytes()).unwrap();
    assert_eq!(found.claims.len(), 1);
    found.claims.remove(0)
}

/// The place each value of a field was found, with the value.
fn at(c: &ClaimFound, field: Field) -> Vec<(&str, &str)> {
    c.values.iter().filter(|f| f.field == field).map(|f| (f.value.as_str(), f.at.as_str())).collect()
}

#[test]
fn carin_bundle_fills_the_case_with_paths() {
    let c = one(BUNDLE);
    assert_eq!(c.kind, "ExplanationOfBenefit");
    let e = "Bundle.entry[0].resource";
    assert_eq!(at(&c, Field::ClaimNumber), [("CLM-2026-000417", &*format!("{e}.identifier[0].value"))]);
    // The patient's MB identifier (not its MRN) and the coverage's subscriber ID.
    assert_eq!(
        at(&c, Field::MemberId),
        [("XJH448120", "Bundle.entry[1].resource.identifier[0].value"), ("XJH448120", "Bundle.entry[2].resource.subscriberId")]
    );
    assert_eq!(at(&c, Field::MemberName), [("Ana Rivera", "Bundle.entry[1].resource.name[0]")]);
    assert!(c.all(Field::Payer).iter().all(|p| *p == "Example Health Plan"));
    assert_eq!(
        at(&c, Field::ServiceCode),
        [("E1390", &*format!("{e}.item[0].productOrService.coding[0].code"))],
        "the NDC coding is not a HCPCS code"
    );
    assert_eq!(c.all(Field::DiagnosisCode), ["J44.1", "R0902"]);
    assert_eq!(at(&c, Field::ServiceDate)[2], ("2026-01-05", &*format!("{e}.item[0].servicedDate")));
    assert_eq!(at(&c, Field::AdjustmentReason), [("50", &*format!("{e}.item[0].adjudication[0].reason.coding[0].code"))]);
    assert_eq!(c.all(Field::Outcome), ["complete"]);
    assert_eq!(c.all(Field::Disposition), ["Claim denied"]);
    // Absent in the file, absent here.
    for absent in [Field::Authorization, Field::RemarkCode, Field::ChargeAmount, Field::PaidAmount] {
        assert!(c.all(absent).is_empty(), "{absent:?}");
    }
    assert!(c.rejected.is_empty());
}

#[test]
fn prior_authorization_eob_gives_its_numbers_and_refuses_bad_codes() {
    let c = one(PREAUTH);
    assert_eq!(c.all(Field::Use), ["preauthorization"]);
    // A prior authorization's own identifier is an authorization number, not a claim number.
    assert_eq!(c.all(Field::Authorization), ["PA-88213", "AUTH-2026-0042", "AUTH-2026-0043"]);
    assert!(c.all(Field::ClaimNumber).is_empty());
    assert_eq!(
        at(&c, Field::MemberId),
        [
            ("W123456789", "ExplanationOfBenefit.patient.identifier.value"),
            ("W1234 5678", "ExplanationOfBenefit.contained[0].identifier[0].value")
        ]
    );
    assert_eq!(c.all(Field::ServiceDate), ["2026-02-01", "2026-04-30"]);
    assert_eq!(c.all(Field::ServiceCode), ["94760"]);
    assert_eq!(c.all(Field::AdjustmentReason), ["50"]);
    assert_eq!(at(&c, Field::RemarkCode), [("N115", "ExplanationOfBenefit.item[0].adjudication[0].reason.coding[1].code")]);
    assert_eq!(c.all(Field::Disposition), ["Not medically necessary", "Oxygen saturation readings were not provided."]);
    let refused: Vec<_> = c.rejected.iter().map(|r| (r.field, r.value.as_str(), r.at.as_str())).collect();
    assert_eq!(
        refused,
        [
            (Field::ServiceCode, "9476", "ExplanationOfBenefit.item[0].productOrService.coding[1].code"),
            (Field::DiagnosisCode, "R9.02", "ExplanationOfBenefit.diagnosis[0].diagnosisCodeableConcept.coding[0].code"),
        ]
    );
    assert!(c.all(Field::DiagnosisCode).is_empty(), "a refused code is not kept");
}

#[test]
fn pas_claim_response_reads_its_single_pre_auth_ref() {
    let c = one(PAS);
    assert_eq!(c.kind, "ClaimResponse");
    assert_eq!(at(&c, Field::Authorization)[1], ("PAS-AUTH-7781", "ClaimResponse.preAuthRef"));
    assert_eq!(at(&c, Field::ServiceCode), [("E0431", "ClaimResponse.addItem[0].productOrService.coding[0].code")]);
    assert_eq!(c.all(Field::ServiceDate), ["2026-03-10"]);
    assert_eq!(c.all(Field::AdjustmentReason), ["197"]);
    assert_eq!(c.all(Field::Payer), ["Example Payer"]);
    // `Patient/pat-x` is not in the file: no member ID is made up.
    assert!(c.all(Field::MemberId).is_empty());
    assert_eq!(c.all(Field::Disposition), ["Certified in part"]);
}

#[test]
fn remittance_claims_with_segments_and_elements() {
    let found = read(REMIT.as_bytes()).unwrap();
    assert_eq!(found.format, Format::X12_835);
    let [first, second] = found.claims.as_slice() else { panic!("two CLPs, got {}", found.claims.len()) };
    assert_eq!(at(first, Field::ClaimNumber), [("2026011200417", "segment 12 CLP07")]);
    assert_eq!(at(first, Field::Outcome), [("4", "segment 12 CLP02")]);
    assert_eq!(at(first, Field::Payer), [("EXAMPLE HEALTH PLAN", "segment 7 N102")]);
    assert_eq!(at(first, Field::MemberId), [("XJH448120", "segment 14 NM109")]);
    assert_eq!(first.all(Field::MemberName), ["ANA RIVERA"]);
    assert_eq!(at(first, Field::ServiceCode), [("E1390", "segment 16 SVC01-2")]);
    assert_eq!(at(first, Field::ServiceDate), [("20260105", "segment 15 DTM02"), ("20260105", "segment 17 DTM02")]);
    let cas: Vec<_> =
        first.values.iter().filter(|f| f.field == Field::AdjustmentReason).map(|f| (f.group.as_deref(), f.value.as_str())).collect();
    assert_eq!(cas, [(Some("CO"), "50"), (Some("CO"), "50")]);
    let outcome = first.values.iter().find(|f| f.field == Field::Outcome).unwrap();
    assert_eq!((outcome.value.as_str(), outcome.meaning), ("4", Some("denied")));
    assert_eq!(at(first, Field::RemarkCode), [("N115", "segment 19 LQ02")]);
    assert!(first.all(Field::Authorization).is_empty());
    // The second claim: paid, its patient's and the insured's IDs, two PR adjustments in one CAS.
    assert_eq!(second.all(Field::PaidAmount), ["150.00", "150.00"]);
    assert_eq!(second.all(Field::MemberId), ["XJH448120", "XJH448100"]);
    assert_eq!(second.all(Field::ServiceCode), ["94760"]);
    let cas: Vec<_> =
        second.values.iter().filter(|f| f.field == Field::AdjustmentReason).map(|f| (f.group.as_deref(), f.at.as_str())).collect();
    assert_eq!(cas, [(Some("PR"), "segment 25 CAS02"), (Some("PR"), "segment 25 CAS05")]);
    let pr = second.values.iter().find(|f| f.field == Field::AdjustmentReason).unwrap();
    assert_eq!(pr.meaning, Some("patient responsibility"));
    assert!(second.all(Field::RemarkCode).is_empty(), "the first claim's LQ is not the second's");
}

#[test]
fn separators_come_from_the_isa_header() {
    // The same remittance with `|` between elements, `^` in composites and a newline ending segments.
    let other = REMIT.replace('*', "|").replace(':', "^").replace("~\n", "\n");
    assert!(other.contains("|^\nGS|") && other.contains("SVC|HC^94760^RR|"));
    assert_eq!(read(other.as_bytes()).unwrap(), read(REMIT.as_bytes()).unwrap());
}

fn error(text: &str) -> String {
    read(text.as_bytes()).unwrap_err().to_string()
}

#[test]
fn malformed_files_are_refused_naming_the_place() {
    assert!(error("{\"resourceType\": \"ExplanationOfBenefit\", ").contains("ends before the JSON is complete"));
    assert!(error("{\"resourceType\": \"Patient\"}").contains("`resourceType` is `Patient`"));
    assert!(error("{\"id\": \"x\"}").contains("`resourceType` is missing"));
    let bad_item = PREAUTH.replace("\"servicedPeriod\": {", "\"servicedPeriod\": 3, \"x\": {");
    assert_eq!(error(&bad_item), "`ExplanationOfBenefit.item[0]` has the wrong type: FHIR puts an item there");
    let bad_outcome = PAS.replace("\"outcome\": \"complete\"", "\"outcome\": 1");
    assert!(error(&bad_outcome).starts_with("`ClaimResponse.outcome` has the wrong type"));
    assert!(error("{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": \"Patient\"}}]}")
        .contains("no ExplanationOfBenefit"));
    assert!(error("ST*835*0001~CLP*1~").contains("ISA header"));
    assert!(error("ISA*00*x~").contains("ISA header is cut short"));
    let cut = &REMIT[..REMIT.find("CAS*CO*50*212.50~").unwrap() + 8];
    assert_eq!(error(cut), "segment 13 (CAS) is cut short: the file ends before its terminator");
    let short = REMIT.replace("CLP*PCN-1002*1*180.00*150.00*30.00*MB*2026011200418*12*1~", "CLP*PCN-1002*1*180.00~");
    assert_eq!(error(&short), "segment 20 (CLP) has 3 elements; CLP needs 7 (CLP01 to CLP07)");
    assert!(error(&REMIT.replace("ST*835", "ST*837")).contains("transaction set 837, not an 835"));
    assert_eq!(read(b"  \n").unwrap_err(), ClaimError::Empty);
}

#[test]
fn any_cut_of_a_claim_file_is_read_or_refused_without_panic() {
    for text in [BUNDLE, PREAUTH, PAS, REMIT] {
        for end in (0..text.len()).step_by(3).filter(|&e| text.is_char_boundary(e)) {
            let cut = &text.as_bytes()[..end];
            if let Err(e) = read(cut) {
                assert!(!e.to_string().is_empty());
            }
            // The same bytes with one changed to a separator or a quote.
            let mut bent = text.as_bytes().to_vec();
            bent[end] = [b'*', b'~', b'"', b':'][end % 4];
            let _ = read(&bent);
        }
    }
}

#[test]
fn blue_button_style_eob_finds_the_mbi_and_skips_icd9() {
    let eob = r##"{"resourceType": "ExplanationOfBenefit", "id": "carrier--1",
      "identifier": [{"system": "https://bluebutton.cms.gov/resources/variables/clm_id", "value": "-8800001"}],
      "contained": [{"resourceType": "Patient", "id": "p",
        "identifier": [{"type": {"coding": [{"code": "MC"}]}, "system": "http://hl7.org/fhir/sid/us-mbi", "value": "1S00E00AA00"}]}],
      "patient": {"reference": "#p"},
      "diagnosis": [
        {"diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-9-cm", "code": "4928"}]}},
        {"diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "J449"}]}}]}"##;
    let c = one(eob);
    assert_eq!(at(&c, Field::MemberId), [("1S00E00AA00", "ExplanationOfBenefit.contained[0].identifier[0].value")]);
    assert_eq!(c.all(Field::ClaimNumber), ["-8800001"]);
    assert_eq!(c.all(Field::DiagnosisCode), ["J449"], "an ICD-9 coding is not an ICD-10 code");
    assert!(c.rejected.is_empty());
    assert!(c.all(Field::MemberName).is_empty() && c.all(Field::Payer).is_empty());
}
