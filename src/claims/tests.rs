//! Each fixture (written after the CARIN Blue Button and Da Vinci PAS examples and the X12 835
//! structure) read field by field with its provenance; absent fields stay absent; broken files
//! are refused naming the field or segment.

use super::*;

const BUNDLE: &str = include_str!("../../tests/fixtures/claims/eob-bundle.json");
const PREAUTH: &str = include_str!("../../tests/fixtures/claims/eob-preauth.json");
const PAS: &str = include_str!("../../tests/fixtures/claims/claimresponse-pas.json");
const REMIT: &str = include_str!("../../tests/fixtures/claims/remit.835");
const DME: &str = include_str!("../../tests/fixtures/claims/remit-dme.835");

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
    assert_eq!(at(first, Field::ServiceDate), [("2026-01-05", "segment 15 DTM02"), ("2026-01-05", "segment 17 DTM02")]);
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
    for text in [BUNDLE, PREAUTH, PAS, REMIT, DME] {
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

/// A value with its meaning, group and reason code.
type Described<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

/// Each value of a field with its meaning, group and reason code.
fn described(found: &[Found], field: Field) -> Vec<Described<'_>> {
    found.iter().filter(|f| f.field == field).map(|f| (f.value.as_str(), f.meaning, f.group.as_deref(), f.reason.as_deref())).collect()
}

#[test]
fn the_payment_its_trace_number_and_provider_level_adjustments() {
    let found = read(DME.as_bytes()).unwrap();
    let p = &found.payment;
    assert_eq!(described(p, Field::PaymentAmount), [("862.55", Some("remittance information only"), None, None)]);
    assert_eq!(p.iter().find(|f| f.field == Field::PaymentAmount).unwrap().at, "segment 4 BPR02");
    assert_eq!(described(p, Field::PaymentMethod), [("ACH", Some("automated clearing house (ACH) transfer"), None, None)]);
    let dates: Vec<_> = [Field::PaymentDate, Field::RemittanceDate, Field::FiscalPeriodEnd]
        .into_iter()
        .map(|field| p.iter().find(|f| f.field == field).map(|f| (f.value.as_str(), f.at.as_str())))
        .collect();
    assert_eq!(
        dates,
        [Some(("2026-03-05", "segment 4 BPR16")), Some(("2026-03-02", "segment 6 DTM02")), Some(("2026-12-31", "segment 46 PLB02"))]
    );
    assert_eq!(
        p.iter().find(|f| f.field == Field::TraceNumber).map(|f| (f.value.as_str(), f.at.as_str())),
        Some(("0012345678", "segment 5 TRN02"))
    );
    let reasons: Vec<_> =
        p.iter().filter(|f| f.field == Field::ProviderAdjustmentReason).map(|f| (f.value.as_str(), f.description, f.at.as_str())).collect();
    assert_eq!(reasons, [("WO", Some("Overpayment Recovery"), "segment 46 PLB03-1"), ("L6", Some("Interest Owed"), "segment 46 PLB05-1")]);
    let amounts: Vec<_> = described(p, Field::ProviderAdjustment).into_iter().map(|(v, _, _, r)| (v, r)).collect();
    assert_eq!(amounts, [("45.00", Some("WO")), ("-2.15", Some("L6"))]);
    // What the claims paid, less what the PLB takes, plus the interest it adds, is the payment.
    let paid: f64 =
        found.claims.iter().map(|c| c.values.iter().find(|f| f.field == Field::PaidAmount).unwrap().value.parse::<f64>().unwrap()).sum();
    assert!((paid - 45.00 + 2.15 - 862.55).abs() < 0.005);
}

#[test]
fn claim_dates_are_iso_dates_and_amounts_say_what_they_are() {
    let found = read(DME.as_bytes()).unwrap();
    let [denied, paid, _] = found.claims.as_slice() else { panic!("three CLPs") };
    let dates = |c: &ClaimFound, field| -> Vec<(String, Option<&str>)> {
        c.values.iter().filter(|f| f.field == field).map(|f| (format!("{} {}", f.value, f.at), f.meaning)).collect()
    };
    assert_eq!(
        dates(denied, Field::ServiceDate),
        [
            ("2026-02-01 segment 17 DTM02".to_string(), Some("claim statement period start")),
            ("2026-02-28 segment 18 DTM02".to_string(), Some("claim statement period end")),
            ("2026-02-01 segment 20 DTM02".to_string(), Some("service period start")),
            ("2026-02-28 segment 21 DTM02".to_string(), Some("service period end")),
        ]
    );
    assert_eq!(dates(denied, Field::ReceivedDate), [("2026-02-25 segment 16 DTM02".to_string(), Some("received by the payer"))]);
    assert_eq!(dates(paid, Field::CoverageExpired), [("2026-12-31 segment 28 DTM02".to_string(), Some("coverage expiration"))]);
    assert_eq!(denied.all(Field::Authorization), ["PA2026-00871"]);
    // CLP03–05 are the claim's, SVC02–03 the line's; `905.4` is written with two places.
    assert_eq!(
        described(&paid.values, Field::PaidAmount),
        [
            ("905.40", Some("the claim's"), None, None),
            ("704.00", Some("the service line's"), None, None),
            ("201.40", Some("the service line's"), None, None)
        ]
    );
    assert_eq!(at(paid, Field::PatientResponsibility), [("226.35", "segment 24 CLP05")]);
    assert_eq!(paid.all(Field::ChargeAmount), ["1180.00", "900.00", "280.00"]);
    // Each adjustment's amount with its group and reason; they add up to the charge less the payment.
    let adjusted = described(&paid.values, Field::AdjustmentAmount);
    let pairs: Vec<_> = adjusted.iter().map(|(v, _, g, r)| (*v, g.unwrap(), r.unwrap())).collect();
    assert_eq!(pairs, [("176.00", "PR", "2"), ("20.00", "CO", "45"), ("50.35", "PR", "2"), ("28.25", "CO", "45")]);
    let total: f64 = adjusted.iter().map(|(v, ..)| v.parse::<f64>().unwrap()).sum();
    assert!((total - (1180.00 - 905.40)).abs() < 0.005);
    assert_eq!(
        described(&denied.values, Field::AdjustmentQuantity),
        [("1", Some("contractual obligation (not billed to the patient)"), Some("CO"), Some("50"))]
    );
}

#[test]
fn every_code_in_the_fixtures_is_described_or_said_not_to_be() {
    let mut codes = Vec::new();
    for text in [BUNDLE, PREAUTH, PAS, REMIT, DME] {
        let found = read(text.as_bytes()).unwrap();
        let values = found.claims.iter().flat_map(|c| c.values.iter()).chain(found.payment.iter());
        for f in values.filter(|f| matches!(f.field, Field::AdjustmentReason | Field::RemarkCode | Field::ProviderAdjustmentReason)) {
            codes.push((f.value.clone(), f.description.expect("a code is printed with its description")));
        }
    }
    let unknown: Vec<_> = codes.iter().filter(|(_, d)| *d == codes::NOT_IN_TABLE).map(|(c, _)| c.as_str()).collect();
    assert_eq!(unknown, ["N102"], "only the remark code the table lacks");
    let text = |code: &str| codes.iter().find(|(c, _)| c == code).unwrap().1;
    assert!(text("50").contains("not deemed a 'medical necessity' by the payer"));
    assert!(text("197").starts_with("Precertification/authorization/notification/pre-treatment absent"));
    assert!(text("N115").starts_with("This decision was based on a Local Coverage Determination (LCD)"));
    assert!(text("MA130").contains("the claim is unprocessable"));
    assert!(text("252").starts_with("An attachment/other documentation is required"));
    assert!(codes.len() > 15, "{codes:?}");
}

#[test]
fn the_code_tables_hold_the_codes_the_issue_names() {
    let carcs = "1 2 3 4 5 11 16 18 22 23 29 45 50 55 56 96 97 109 119 146 147 150 151 167 170 171 181 182 183 185 197 198 204 226 227 236 242 252 253 256 B7 B9 B15 B20";
    let missing: Vec<_> = carcs.split(' ').filter(|c| codes::carc(c).is_none()).collect();
    assert!(missing.is_empty(), "{missing:?}");
    let rarcs = "N115 N386 M127 N130 MA130 N290 N432 N657 M51 N4 N10 M119";
    let missing: Vec<_> = rarcs.split(' ').filter(|c| codes::rarc(c).is_none()).collect();
    assert!(missing.is_empty(), "{missing:?}");
    // 125 was not read anywhere: it is not guessed.
    assert_eq!(codes::carc("125"), None);
}

#[test]
fn amounts_and_dates_as_x12_writes_them() {
    let one_claim = |clp: &str, extra: &str| {
        let text = REMIT.replacen("CLP*PCN-1001*4*212.50*0*0*", clp, 1).replacen("DTM*232*20260105~", extra, 1);
        read(text.as_bytes()).map(|f| f.claims[0].clone())
    };
    for (written, read_as) in [("212.5", "212.50"), ("-0", "0.00"), (".5", "0.50"), ("0012", "12.00"), ("-3.125", "-3.125"), ("7.", "7.00")]
    {
        let c = one_claim(&format!("CLP*PCN-1001*4*{written}*0*0*"), "DTM*232*20260105~").unwrap();
        assert_eq!(c.all(Field::ChargeAmount)[0], read_as, "{written}");
    }
    for bad in ["12.3.4", "1e5", "+1", "-", ".", "1,000.00", "12 3"] {
        let e = one_claim(&format!("CLP*PCN-1001*4*212.50*{bad}*0*"), "DTM*232*20260105~").unwrap_err();
        assert_eq!(e.to_string(), format!("CLP04 (paid) in claim 1 (segment 12): `{bad}` is not an amount"));
    }
    // A DTP with a range (RD8), as some payers send it, gives its first and last day.
    let c = one_claim("CLP*PCN-1001*4*212.50*0*0*", "DTP*472*RD8*20260101-20260131~").unwrap();
    assert_eq!(at(&c, Field::ServiceDate)[..2], [("2026-01-01", "segment 15 DTP03 from"), ("2026-01-31", "segment 15 DTP03 to")]);
    for (line, message) in [
        ("DTM*232*20260230~", "DTM02 (claim statement period start) in claim 1 (segment 15): `20260230` is not a date (CCYYMMDD)"),
        ("DTM*050*2026015~", "DTM02 (received by the payer) in claim 1 (segment 15): `2026015` is not a date (CCYYMMDD)"),
        (
            "DTP*472*RD8*20260131-20260101~",
            "DTP03 (date of service) in claim 1 (segment 15): `20260131-20260101` is not a range of dates (CCYYMMDD-CCYYMMDD)",
        ),
    ] {
        assert_eq!(one_claim("CLP*PCN-1001*4*212.50*0*0*", line).unwrap_err().to_string(), message);
    }
}

#[test]
fn malformed_payment_values_name_their_element() {
    let e = |from: &str, to: &str| read(DME.replacen(from, to, 1).as_bytes()).unwrap_err().to_string();
    assert_eq!(
        e("*DA*0009876543*20260305~", "*DA*0009876543*2026-03-05~"),
        "BPR16 (payment date) in segment 4: `2026-03-05` is not a date (CCYYMMDD)"
    );
    assert_eq!(e("BPR*I*862.55*", "BPR*I*862,55*"), "BPR02 (payment) in segment 4: `862,55` is not an amount");
    assert_eq!(e("*L6*-2.15~", "*L6*-2.1.5~"), "PLB06 (provider-level adjustment) in segment 46: `-2.1.5` is not an amount");
    assert_eq!(e("CAS*CO*50*425.00*1~", "CAS*CO*50*425.00*one~"), "CAS04 (adjusted units) in claim 1 (segment 22): `one` is not a number");
    assert_eq!(e("*900.00*704.00**20~", "*900.00*70.4.00**20~"), "SVC03 (paid) in claim 2 (segment 29): `70.4.00` is not an amount");
}

/// The values for the case's keys as (key, value, where).
fn case_values(text: &str, index: usize) -> (Vec<(String, String, String)>, Vec<String>) {
    let found = read(text.as_bytes()).unwrap();
    let (values, notes) = prefill::values(&found, index);
    (values.into_iter().map(|v| (v.target, v.value, v.source.text)).collect(), notes)
}

#[test]
fn a_denied_claim_fills_the_case_keys_with_the_codes_words() {
    let found = read(DME.as_bytes()).unwrap();
    assert_eq!(prefill::default_claim(&found), 0);
    let (values, notes) = case_values(DME, 0);
    let keys: Vec<_> = values.iter().map(|(k, v, _)| (k.as_str(), v.as_str())).filter(|(k, _)| *k != "case.denial_reason").collect();
    assert_eq!(
        keys,
        [
            ("member.name", "GRACE OKAFOR"),
            ("member.member_id", "7XK2MM4QA11"),
            ("member.payer", "EXAMPLE MEDICARE ADVANTAGE PLAN"),
            ("case.claim_number", "2026030100231"),
            ("case.authorization_number", "PA2026-00871"),
            ("case.procedures", "E1390"),
        ]
    );
    let (_, reason, text) = values.iter().find(|(k, ..)| k == "case.denial_reason").unwrap();
    assert!(reason.starts_with("CO 50: These are non-covered services because this is not deemed a 'medical necessity' by the payer. N115: This decision was based on a Local Coverage Determination (LCD)."), "{reason}");
    assert_eq!(text, "segment 22 CAS02: 50; segment 23 LQ02: N115");
    assert!(notes.iter().any(|n| n.contains("service period start 2026-02-01 (segment 20 DTM02)")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("3 claims; these values are claim 1's")), "{notes:?}");
}

#[test]
fn a_paid_claim_has_no_denial_reason_and_a_code_not_in_the_table_says_so() {
    // Claim 2 was paid with coinsurance and the fee schedule's reduction only: no denial reason.
    let (values, notes) = case_values(DME, 1);
    assert!(values.iter().all(|(k, ..)| k != "case.denial_reason"));
    assert_eq!(values.iter().filter(|(k, ..)| k == "case.procedures").map(|(_, v, _)| v.as_str()).collect::<Vec<_>>(), ["J1569", "E0781"]);
    assert!(notes.iter().any(|n| n == "The claim was not denied or adjusted: no denial reason"), "{notes:?}");
    // Claim 3: CO 252 with a claim-level MA130 and line-level M127 and N102 (not in the table).
    let (values, notes) = case_values(DME, 2);
    let reason = &values.iter().find(|(k, ..)| k == "case.denial_reason").unwrap().1;
    assert!(reason.starts_with("MA130: Your claim contains incomplete and/or invalid information"), "{reason}");
    assert!(reason.contains(" CO 252: An attachment/other documentation is required to adjudicate this claim/service. M127: Missing patient medical record for this service. N102: not in Redress's table."), "{reason}");
    assert!(values.iter().all(|(k, ..)| k != "case.authorization_number"));
    assert!(notes.iter().any(|n| n == "No authorization number was found in the file"), "{notes:?}");
}

#[test]
fn a_fhir_claim_fills_the_case_keys_with_its_paths() {
    let (values, _) = case_values(PREAUTH, 0);
    let find = |key: &str| values.iter().filter(|(k, ..)| k == key).map(|(_, v, t)| (v.as_str(), t.as_str())).collect::<Vec<_>>();
    // The first of two member IDs; the other is a note.
    assert_eq!(find("member.member_id"), [("W123456789", "ExplanationOfBenefit.patient.identifier.value: W123456789")]);
    assert_eq!(find("case.authorization_number")[0].0, "PA-88213");
    assert_eq!(find("case.procedures"), [("94760", "ExplanationOfBenefit.item[0].productOrService.coding[0].code: 94760")]);
    assert!(find("case.diagnoses").is_empty(), "the refused R9.02 is not offered");
    let reason = find("case.denial_reason");
    assert!(
        reason[0].0.starts_with("CARC 50: These are non-covered services")
            && reason[0].0.contains("N115: This decision was based on a Local Coverage Determination"),
        "{reason:?}"
    );
}
