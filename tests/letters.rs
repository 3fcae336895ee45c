//! The letters, read back from real builds with pdftotext: the letter of medical necessity
//! states each qualifying SpO2 reading with the exhibit and Bates range that record it (checked
//! against the stamps, before and after a reorder), the regulator complaint lists the plan's
//! missed deadline with its citation, and the claim-file request prints on its own.

use crate::citations::{assert_range, page_stamped};
use crate::util::*;
use redress::demo::fixtures;

const READINGS: &str = r#"
[[spo2]]
at = "2025-09-02T10:30"
percent = 86
activity = "rest"

[[spo2]]
at = "2025-09-03T02:15"
percent = 84
activity = "sleep"

[[spo2]]
at = "2025-09-04T09:00"
percent = 93
activity = "rest"
oxygen_lpm = 2
"#;

/// A provider appeal with readings: a progress note without an id on the day of the first
/// reading, a 3-page overnight oximetry report (by id) dated the morning of the second, the
/// order dated `order_date`, and the denial.
fn case(dir: &std::path::Path, kind: &str, order_date: &str) {
    let toml = case_toml(&[
        ("note.txt", "progress-note", "2025-09-02", "Pulmonary visit", ""),
        ("oximetry.pdf", "oxygen-log", "2025-09-03", "Overnight oximetry", "id = \"oximetry\""),
        ("order.txt", "physician-order", order_date, "Signed order", "id = \"order\""),
        ("denial.pdf", "denial-letter", "2025-09-10", "Denial notice", "id = \"denial\""),
    ])
    .replace("kind = \"provider-appeal\"", &format!("kind = \"{kind}\"\npa_requested = \"2025-08-20T09:00\""))
    .replace(
        "denial_reason = \"Not medically necessary\"",
        "denial_reason = \"Not medically necessary: qualifying oxygen saturation not documented\"",
    );
    let docs = vec![
        ("note.txt", b"NOTE-TEXT from the pulmonary visit".to_vec()),
        ("oximetry.pdf", fixtures::text_pdf(&["OXIMETRY-ONE", "OXIMETRY-TWO", "OXIMETRY-THREE"])),
        ("order.txt", b"ORDER-TEXT signed by the physician".to_vec()),
        ("denial.pdf", fixtures::text_pdf(&["DENIAL-ONE", "DENIAL-TWO"])),
    ];
    write_case(dir, &format!("{toml}{READINGS}"), &docs);
}

/// The packet's pages, each flattened to single spaces.
fn flat_pages(pdf: &std::path::Path) -> Vec<String> {
    page_texts(pdf).iter().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// The citation right after `lead` in the letter: `Exhibit n` and its first and last Bates numbers.
fn cited_after(texts: &[String], lead: &str) -> (usize, usize, usize) {
    let page = texts.iter().find(|t| t.contains(lead)).unwrap_or_else(|| panic!("{lead:?} in the packet"));
    let rest = &page[page.find(lead).unwrap() + lead.len()..];
    let rest = rest.strip_prefix("Exhibit ").unwrap_or_else(|| panic!("a citation after {lead:?}: {rest}"));
    let number: usize = rest.split(',').next().unwrap().parse().unwrap();
    let cite = &rest[..rest.find(" • ").unwrap_or(rest.len().min(80))];
    let bates: Vec<usize> =
        cite.split("SMITH-").skip(1).map(|s| s.chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()).collect();
    (number, bates[0], *bates.last().unwrap())
}

#[test]
fn the_letter_of_medical_necessity_cites_each_reading_with_the_bates_range_that_records_it_through_a_reorder() {
    let t = TempDir::new("letters-necessity");
    let oximetry = ["OXIMETRY-ONE", "OXIMETRY-TWO", "OXIMETRY-THREE"];
    // The order first: note 2, oximetry 3. Then the order after the oximetry: note 1, oximetry 2.
    for (order_date, note, oximetry_number) in [("2025-09-01", 2, 3), ("2025-09-05", 1, 2)] {
        case(t.path(), "provider-appeal", order_date);
        build_json(t.path());
        let texts = flat_pages(&t.join("packet.pdf"));
        let letter = texts.iter().find(|p| p.contains("Letter of medical necessity")).expect("the letter");
        assert!(letter.contains("2 of 3 readings ≤ 88 %; lowest 84 % during sleep on room air, 2025-09-03."), "{letter}");
        // A reading on the day of the note, which has no id, is cited by its number.
        let all = texts.join(" ");
        assert!(all.contains(&format!("SpO2 86 % at rest on room air on 2025-09-02, Exhibit {note} ")), "{all}");
        // The overnight reading is in the report dated the next morning, cited with its pages.
        let cite = cited_after(&texts, "SpO2 84 % during sleep on room air on 2025-09-03, ");
        assert_range(&texts, cite, oximetry_number, &oximetry);
        assert_eq!(page_stamped(&texts, cite.1) + 2, page_stamped(&texts, cite.2));
        assert!(all.contains("2. “Qualifying oxygen saturation not documented.”"), "the denial is answered point by point: {all}");
        assert!(!all.contains("SpO2 93 %"), "a reading above 88 % on oxygen is not listed as qualifying");
        assert!(!all.contains("{{exhibit:"), "every citation is written out");
    }
}

#[test]
fn the_regulator_complaint_lists_the_missed_decision_deadline_with_its_citation() {
    let t = TempDir::new("letters-regulator");
    case(t.path(), "regulator-complaint", "2025-09-01");
    build_json(t.path());
    let all = flat_pages(&t.join("packet.pdf")).join(" ");
    // Prior authorization requested 2025-08-20 under the 14-day clock of 42 CFR 422.568(b)(1),
    // due 2025-09-03; the denial came on 2025-09-10.
    assert!(
        all.contains(
            "Plan decides the prior-authorization request was due by 2025-09-03 under 42 CFR 422.568(b)(1); decision made 7 days late."
        ),
        "{all}"
    );
    // A Medicare Advantage plan's complaint goes to Medicare, and the packet's title says so.
    assert!(all.contains("Centers for Medicare & Medicaid Services, Medicare complaints"), "{all}");
    assert!(all.contains("Complaint to Medicare"), "{all}");
    assert!(all.contains("Member: John Smith, date of birth 01/23/1945, member ID XJH123456789"), "{all}");
}

#[test]
fn the_claim_file_request_prints_on_its_own_as_pdf_or_markdown() {
    let t = TempDir::new("letters-claim-file");
    case(t.path(), "member-grievance", "2025-09-01");
    let toml = std::fs::read_to_string(t.join("case.toml")).unwrap().replace("program = \"medicare-advantage\"", "program = \"erisa\"");
    std::fs::write(t.join("case.toml"), toml).unwrap();
    let o = redress(t.path(), &["letter", "claim-file", "."]);
    ok(&o);
    let pdf = t.join("claim-file-request.pdf");
    qpdf_check(&pdf);
    let text = flat_pages(&pdf).join(" ");
    assert!(
        text.contains("I ask for a free copy of the complete claim file (case file) for your decision dated September 10, 2025"),
        "{text}"
    );
    assert!(text.contains("(29 CFR 2560.503-1(h)(2)(iii) and (m)(8))"), "{text}");
    assert!(!text.contains("SMITH-"), "a letter printed alone carries no Bates stamps: {text}");
    let o = redress(t.path(), &["letter", "claim-file", ".", "-o", "request.md"]);
    ok(&o);
    let md = std::fs::read_to_string(t.join("request.md")).unwrap();
    assert!(md.contains("**Re: Request for a copy of the claim file — John Smith, DOB 01/23/1945, Member ID XJH123456789"), "{md}");
    assert!(md.contains("**John Smith**"), "{md}");
}
