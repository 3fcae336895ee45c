//! `redress read-notice` through the real binary, on notices generated as text PDFs: the values
//! with their pages and boxes as JSON, the plain listing, and `--case`, whose folder `check`
//! accepts and whose filing deadline is the notice's own where it is earlier.

use crate::util::*;
use redress::demo::fixtures::notices::{self, NoticeLayout};

fn write_notice(t: &TempDir, layout: &NoticeLayout) -> String {
    let name = format!("{}.pdf", layout.name);
    std::fs::write(t.join(&name), notices::notice_pdf(layout)).unwrap();
    name
}

#[test]
fn read_notice_json_gives_every_value_with_its_page_and_box() {
    let t = TempDir::new("read-notice-json");
    let layout = notices::medicare_advantage();
    let file = write_notice(&t, &layout);
    let o = redress(t.path(), &["read-notice", &file, "--json"]);
    ok(&o);
    let r: redress::cases::Reading = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((r.file_name.as_str(), r.kind.as_str(), r.pages.len()), (file.as_str(), "notice", 2));
    assert_eq!(serde_json::to_value(r.pages[1].source).unwrap(), "text_layer");
    let words = notices::notice_words(&layout);
    for want in &layout.expected {
        let v = r.values.iter().find(|v| v.target == want.target && v.value == want.value);
        let v = v.unwrap_or_else(|| panic!("{} = {:?} not read: {:?}", want.target, want.value, r.values));
        assert_eq!(v.source.page, Some(want.page), "{}", want.target);
        // The box the text layer gives holds the words the value was read from, as the PDF places them.
        let rect = v.source.rect.unwrap();
        let page = &words[want.page as usize - 1];
        let held: Vec<&str> = page
            .words
            .iter()
            .filter(|w| {
                let (cx, cy) = (w.rect.x + w.rect.w / 2.0, w.rect.y + w.rect.h / 2.0);
                cx >= rect.x && cx <= rect.x + rect.w && cy >= rect.y && cy <= rect.y + rect.h
            })
            .map(|w| w.text.as_str())
            .collect();
        assert!(!held.is_empty(), "{}: {rect:?} holds no words", want.target);
        assert!(held.iter().all(|w| v.source.text.contains(w)), "{}: {held:?} vs {:?}", want.target, v.source.text);
    }
    for lacking in &layout.lacks {
        assert!(r.values.iter().all(|v| v.target != *lacking), "{lacking} was read from a notice without it");
    }
    assert!(r.notes.iter().any(|n| n == "No claim number was found"), "{:?}", r.notes);
}

#[test]
fn read_notice_lists_each_value_with_its_line_and_the_notes() {
    let t = TempDir::new("read-notice-text");
    let file = write_notice(&t, &notices::erisa());
    let o = redress(t.path(), &["read-notice", &file]);
    ok(&o);
    let out = stdout(&o);
    assert!(out.starts_with(&format!("{file}: 1 page (text layer)\n")), "{out}");
    assert!(
        out.contains("Member ID (member.member_id): KBA884210377\n    page 1, confidence 0.95, from \"Member ID: KBA884210377\"\n"),
        "{out}"
    );
    assert!(out.contains("Program (case.program): erisa\n"), "{out}");
    assert!(out.contains("Notes:\n  - No reference number was found\n"), "{out}");
    let missing = redress(t.path(), &["read-notice", "gone.pdf"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("gone.pdf"), "{}", stderr(&missing));
}

#[test]
fn read_notice_case_writes_a_folder_check_accepts_and_the_stated_deadline_governs() {
    let t = TempDir::new("read-notice-case");
    // The MSN says "by June 30, 2026"; the redetermination rule gives 120 days from receipt
    // presumed 5 days after March 2: July 5. The earlier, the notice's, governs.
    let file = write_notice(&t, &notices::summary_notice());
    let o = redress(t.path(), &["read-notice", &file, "--case", "alvarez"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for key in ["case.kind", "member.dob", "member.member_id", "member.payer"] {
        assert!(err.contains(&format!("  {key}: ")), "{key} not named: {err}");
    }
    assert!(!err.contains("member.name") && !err.contains("case.notice_date"), "{err}");
    assert!(!t.join("alvarez").exists(), "nothing written");

    let args = [
        "read-notice",
        &file,
        "--case",
        "alvarez",
        "--set",
        "case.kind=member-grievance",
        "--set",
        "member.dob=1948-07-19",
        "--set",
        "member.member_id=1EG4-TE5-MK72",
        "--set",
        "member.payer=Medicare",
        "--clear",
        "case.diagnoses",
    ];
    let o = redress(t.path(), &args);
    ok(&o);
    assert!(stdout(&o).ends_with("Case folder written: alvarez\n"), "{}", stdout(&o));
    let toml = std::fs::read_to_string(t.join("alvarez/case.toml")).unwrap();
    assert!(toml.contains("notice_deadline = \"2026-06-30\""), "{toml}");
    assert!(toml.contains("program = \"original-medicare\""), "{toml}");
    assert!(toml.contains("procedures = [\"A4253\"]") && !toml.contains("E11.9"), "{toml}");
    assert!(toml.contains("kind = \"denial-letter\"") && toml.contains("date = \"2026-03-02\""), "{toml}");
    assert!(toml.contains("appeal_phone = \"1-877-555-0123\""), "{toml}");
    assert_eq!(std::fs::read(t.join(&format!("alvarez/docs/{file}"))).unwrap(), std::fs::read(t.join(&file)).unwrap());
    ok(&redress(t.path(), &["check", "alvarez"]));
    let o = redress(t.path(), &["deadlines", "alvarez", "--today", "2026-03-10", "--json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let file_appeal = v.as_array().unwrap().iter().find(|d| d["kind"] == "file-appeal").expect("a filing deadline");
    assert_eq!(file_appeal["due"], "2026-06-30", "{file_appeal}");

    // An existing folder is never written into.
    let again = redress(t.path(), &args);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    // --set without --case is a usage error.
    assert_eq!(redress(t.path(), &["read-notice", &file, "--set", "member.dob=1948-07-19"]).status.code(), Some(2));
}

#[test]
fn read_notice_reads_a_phone_photo_of_a_letter_by_ocr() {
    let Some(_tesseract) = redress::demo::fixtures::tesseract() else { return };
    use redress::demo::fixtures::{notice_scan_drawn, ScanFormat};
    let t = TempDir::new("read-notice-photo");
    let layout = notices::erisa();
    let scan = notice_scan_drawn(&layout.pages, ScanFormat::PhotoExif6);
    std::fs::write(t.join("letter.jpg"), &scan.bytes).unwrap();
    let o = redress(t.path(), &["read-notice", "letter.jpg", "--json"]);
    ok(&o);
    let r: redress::cases::Reading = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(serde_json::to_value(r.pages[0].source).unwrap(), "ocr");
    let drawn = &scan.pages[0];
    for target in [
        "case.notice_date",
        "case.program",
        "member.member_id",
        "case.claim_number",
        "case.diagnoses",
        "case.procedures",
        "case.appeal_fax",
    ] {
        for want in layout.expected.iter().filter(|e| e.target == target) {
            let v = r.values.iter().find(|v| v.target == target && v.value == want.value);
            let v = v.unwrap_or_else(|| panic!("{target} = {:?} not read by OCR: {:?}\n{:?}", want.value, r.values, r.notes));
            // Its box is on the line the value was drawn on, in the upright photo's pixels.
            let rect = v.source.rect.unwrap();
            let (cx, cy) = (rect.x + rect.w / 2.0, rect.y + rect.h / 2.0);
            let line = drawn.lines.iter().position(|b| b.is_some_and(|b| cx >= b.x && cx <= b.x + b.w && cy >= b.y && cy <= b.y + b.h));
            let line = line.unwrap_or_else(|| panic!("{target}'s box {rect:?} is on no drawn line"));
            let printed = &layout.pages[0][line];
            let first = if v.source.note.is_some() {
                v.source.text.split_whitespace().next().unwrap()
            } else {
                v.value.split_whitespace().next().unwrap()
            };
            assert!(printed.contains(first), "{target}: box on {printed:?}, value {:?}", v.value);
        }
    }
    // Nothing is read that the letter does not say (OCR may change a letter's case, no more).
    for v in &r.values {
        let expected = layout.expected.iter().any(|e| e.target == v.target && e.value.eq_ignore_ascii_case(&v.value));
        assert!(expected, "{} = {:?} is not on the letter", v.target, v.value);
    }
}
