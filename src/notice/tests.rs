use super::*;
use crate::demo::fixtures::notices::{self, NoticeLayout};

fn read(layout: &NoticeLayout) -> Reading {
    read_notice(&format!("{}.pdf", layout.name), &notices::notice_words(layout))
}

/// The words a value's box holds on its page.
fn words_in(pages: &[PageWords], v: &Prefill) -> String {
    let (Some(page), Some(r)) = (v.source.page, v.source.rect) else { return String::new() };
    let p = &pages[page as usize - 1];
    let inside = |w: &crate::words::Word| {
        let (cx, cy) = (w.rect.x + w.rect.w / 2.0, w.rect.y + w.rect.h / 2.0);
        cx >= r.x && cx <= r.x + r.w && cy >= r.y && cy <= r.y + r.h
    };
    p.words.iter().filter(|w| inside(w)).map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// Whether `value` is what `text` says: the text itself (lines joined by a space or a comma),
/// or a date written in the text.
fn in_text(value: &str, text: &str) -> bool {
    let spaced = text.replace('\n', " ");
    let commas = text.replace('\n', ", ");
    spaced.contains(value) || commas.contains(value) || dates::dates_in(text).iter().any(|(d, _)| d.to_string() == value)
}

#[test]
fn every_expected_value_is_found_on_its_page_with_a_box_holding_its_words() {
    for layout in notices::notice_layouts() {
        let pages = notices::notice_words(&layout);
        let r = read(&layout);
        for want in &layout.expected {
            let got: Vec<&Prefill> = r.values.iter().filter(|v| v.target == want.target).collect();
            let Some(v) = got.iter().find(|v| v.value == want.value) else {
                panic!("{}: {} = {:?} not found; got {:?}\nnotes: {:?}", layout.name, want.target, want.value, got, r.notes);
            };
            assert_eq!(v.source.page, Some(want.page), "{}: {} on the wrong page", layout.name, want.target);
            let held = words_in(&pages, v);
            assert!(!held.is_empty(), "{}: {}'s box holds no words", layout.name, want.target);
            let source_words: Vec<&str> = v.source.text.split_whitespace().collect();
            for w in held.split(' ') {
                assert!(source_words.contains(&w), "{}: {}'s box holds {w:?}, not in {:?}", layout.name, want.target, v.source.text);
            }
            let literal = v.source.text.replace('\n', " ").contains(&v.value) || v.source.text.replace('\n', ", ").contains(&v.value);
            if literal {
                for w in v.value.split_whitespace().map(|w| w.trim_end_matches(',')) {
                    assert!(held.split(' ').any(|h| h.contains(w)), "{}: {}'s box holds {held:?}, not {w:?}", layout.name, want.target);
                }
            }
            assert!(v.source.confidence > 0.5 && v.source.confidence <= 1.0, "{}: {v:?}", layout.name);
        }
    }
}

#[test]
fn nothing_is_found_for_what_a_layout_lacks_and_each_absence_is_a_note() {
    for layout in notices::notice_layouts() {
        let r = read(&layout);
        for lacking in &layout.lacks {
            let got: Vec<&Prefill> = r.values.iter().filter(|v| v.target == *lacking).collect();
            assert!(got.is_empty(), "{}: {lacking} was not on the notice, yet {got:?}", layout.name);
        }
        // Each absent field is named in the notes (an absent urgency is the usual standard).
        for lacking in layout.lacks.iter().filter(|t| **t != "case.urgency") {
            let named = match *lacking {
                "member.payer" => "plan name",
                "member.member_id" => "member",
                "case.reference" => "reference number",
                "case.claim_number" => "claim number",
                "case.authorization_number" => "authorization number",
                // None stated, or one counted from receipt, which the rules count.
                "case.notice_deadline" if r.notes.iter().any(|n| n.contains("days after the member receives it")) => {
                    "after the member receives it"
                }
                "case.notice_deadline" => "No appeal deadline stated",
                "case.procedures" => "HCPCS/CPT",
                "case.diagnoses" => "ICD-10-CM",
                "case.appeal_phone" => "appeal phone",
                "case.appeal_fax" => "appeal fax",
                other => panic!("no note is known for {other}"),
            };
            assert!(r.notes.iter().any(|n| n.contains(named)), "{}: no note names {lacking}: {:?}", layout.name, r.notes);
        }
    }
}

#[test]
fn every_value_is_in_its_text_or_says_how_it_was_made() {
    for layout in notices::notice_layouts() {
        let r = read(&layout);
        let printed: Vec<String> = layout.pages.concat();
        for v in &r.values {
            assert!(
                in_text(&v.value, &v.source.text) || v.source.note.is_some(),
                "{}: {} = {:?} is neither in {:?} nor explained",
                layout.name,
                v.target,
                v.value,
                v.source.text
            );
            for line in v.source.text.lines() {
                assert!(printed.iter().any(|p| p == line), "{}: {line:?} is not a line of the notice", layout.name);
            }
        }
        // Nothing is found twice for a key that holds one value.
        for v in r.values.iter().filter(|v| !matches!(v.target.as_str(), "case.procedures" | "case.diagnoses")) {
            assert_eq!(r.values.iter().filter(|w| w.target == v.target).count(), 1, "{}: {} twice", layout.name, v.target);
        }
        // And nothing beyond what the layout expects.
        for v in &r.values {
            assert!(
                layout.expected.iter().any(|e| e.target == v.target && e.value == v.value),
                "{}: {} = {:?} was not expected",
                layout.name,
                v.target,
                v.value
            );
        }
    }
}

#[test]
fn computed_and_inferred_values_say_how() {
    let r = read(&notices::medicare_advantage());
    let deadline = r.values.iter().find(|v| v.target == "case.notice_deadline").unwrap();
    assert_eq!(deadline.source.note.as_deref(), Some("65 days from the notice date 2026-03-02, as the notice states"));
    assert_eq!(deadline.source.text, "Plan Appeal: Ask Sunrise Health Advantage for an appeal within 65 days of the date of\nthis notice. We can give you more time if you have a good reason for missing the deadline.");
    let program = r.values.iter().find(|v| v.target == "case.program").unwrap();
    assert!(program.source.note.as_deref().unwrap().contains("CMS-10003"), "{program:?}");
    let erisa = read(&notices::erisa());
    let note = erisa.values.iter().find(|v| v.target == "case.program").and_then(|v| v.source.note.clone()).unwrap();
    assert!(note.contains("502(a)") && note.contains("2560.503-1"), "{note}");
    assert!(erisa.notes.iter().any(|n| n.contains("180 days after the member receives it")), "{:?}", erisa.notes);
    let msn = read(&notices::summary_notice());
    assert!(msn.notes.iter().any(|n| n.contains("masked (XXXXXXX789A)")), "{:?}", msn.notes);
    assert!(msn.notes.iter().any(|n| n == "No plan name was found"), "{:?}", msn.notes);
    let part_d = read(&notices::part_d());
    assert!(
        part_d.notes.iter().any(|n| n.starts_with("Expedited (fast) appeal, page 1: \"Ask for an expedited (fast) redetermination")),
        "{:?}",
        part_d.notes
    );
}

#[test]
fn words_read_less_surely_make_values_less_sure_and_no_words_make_no_values() {
    let layout = notices::erisa();
    let mut pages = notices::notice_words(&layout);
    for w in pages[0].words.iter_mut().filter(|w| w.text == "KBA884210377") {
        w.confidence = 0.5;
    }
    let r = read_notice("scan.pdf", &pages);
    let id = r.values.iter().find(|v| v.target == "member.member_id").unwrap();
    assert!((id.source.confidence - 0.5 * 0.95).abs() < 1e-6, "{id:?}");
    let blank = read_notice("blank.pdf", &[PageWords { words: vec![], ..pages[0].clone() }]);
    assert!(blank.values.is_empty());
    assert!(blank.notes[0].starts_with("No words were read"), "{:?}", blank.notes);
    assert_eq!(blank.pages.len(), 1);
}

/// A small deterministic generator (xorshift), so the damaged readings are the same each run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Words as a poor scan reads them: some dropped, some cut short or run together, letters read
/// as others, lines merged; whatever is found must still be in the text it was read from, and
/// nothing may panic.
#[test]
fn damaged_readings_never_panic_and_never_invent_a_value() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for layout in notices::notice_layouts() {
        for _ in 0..40 {
            let mut pages = notices::notice_words(&layout);
            for p in &mut pages {
                let mut kept = Vec::new();
                for mut w in std::mem::take(&mut p.words) {
                    match rng.below(12) {
                        0 => continue,
                        1 => w.text = w.text.chars().take(1 + rng.below(w.text.len())).collect(),
                        2 => w.text = w.text.replace('0', "O").replace('l', "1").replace('.', ","),
                        3 => w.line = w.line.saturating_sub(1),
                        4 => w.text.push_str("é’"),
                        _ => {}
                    }
                    w.confidence = 0.3 + 0.7 * (rng.below(100) as f32 / 100.0);
                    kept.push(w);
                }
                p.words = kept;
            }
            let r = read_notice("damaged.pdf", &pages);
            for v in &r.values {
                assert!(in_text(&v.value, &v.source.text) || v.source.note.is_some(), "{}: {v:?}", layout.name);
                assert!((0.0..=1.0).contains(&v.source.confidence), "{v:?}");
                let page = v.source.page.unwrap() as usize;
                assert!(page >= 1 && page <= pages.len());
            }
        }
    }
}

#[test]
fn the_older_ndmc_layout_is_read_too_its_reason_after_a_colon_and_two_labels_on_a_line() {
    let layout = NoticeLayout {
        name: "ndmc-2007",
        pages: vec![vec![
            "NOTICE OF DENIAL OF MEDICAL COVERAGE".into(),
            "Date: 09/10/2025".into(),
            "Beneficiary's name: John Smith Member ID Number: XJH123456789".into(),
            "We denied this request because: your plan does not cover a second wheelchair".into(),
            "within five years of the first.".into(),
            "".into(),
            "What If I Don't Agree With This Decision?".into(),
            "You have the right to appeal. To exercise it, file your appeal in writing within 60".into(),
            "calendar days after the date of this notice.".into(),
        ]],
        expected: vec![],
        lacks: vec![],
    };
    let r = read(&layout);
    let value = |t: &str| r.values.iter().find(|v| v.target == t).map(|v| v.value.clone());
    assert_eq!(
        value("case.denial_reason").as_deref(),
        Some("your plan does not cover a second wheelchair within five years of the first.")
    );
    assert_eq!(value("case.notice_deadline").as_deref(), Some("2025-11-09"), "60 days from 2025-09-10");
    assert_eq!(value("case.program").as_deref(), Some("medicare-advantage"));
    assert_eq!(value("member.name").as_deref(), Some("John Smith"), "the name ends where the next label starts");
    assert_eq!(value("member.member_id").as_deref(), Some("XJH123456789"));
}

#[test]
fn a_letter_dated_by_its_mailing_date_counts_its_window_from_the_date_of_the_denial() {
    for label in ["Letter date:", "Date mailed:", "Mailing date:", "Date:"] {
        for window in ["within 60 days from the date of the denial", "within 60 days of the date of our decision"] {
            let dated = format!("{label} 01/30/2026");
            let appeal = format!("You may appeal {window}.");
            let r = read_lines(&["Harbor Community Health Plan", &dated, "Member: Ana Ruiz", "", "Your right to appeal", &appeal]);
            assert_eq!(value_of(&r, "case.notice_date").as_deref(), Some("2026-01-30"), "{label}");
            assert_eq!(value_of(&r, "case.notice_deadline").as_deref(), Some("2026-03-31"), "{label} {window}: 60 days from 2026-01-30");
            assert_eq!(value_of(&r, "member.payer").as_deref(), Some("Harbor Community Health Plan"));
        }
    }
}

#[test]
fn the_window_to_keep_services_going_is_a_note_never_the_appeal_deadline() {
    let head = ["Harbor Community Health Plan", "Date: 03/02/2026", "Member: Ana Ruiz", ""];
    let first = [
        "Your right to appeal: If you want your services to continue while your appeal is decided,",
        "you must ask for an appeal within 10 days of the date of this notice. You have 60",
        "calendar days from the date of this notice to ask for an appeal.",
    ];
    let r = read_lines(&[&head[..], &first].concat());
    assert_eq!(value_of(&r, "case.notice_deadline").as_deref(), Some("2026-05-01"), "60 days from 2026-03-02, not 10");
    let kept: Vec<&String> = r.notes.iter().filter(|n| n.contains("keep services going")).collect();
    assert_eq!(kept.len(), 1, "{:?}", r.notes);
    assert!(kept[0].contains("within 10 days of its date: by 2026-03-12"), "{kept:?}");
    // Only the window to keep benefits: no appeal deadline is made of it.
    let only = ["You may appeal. To keep your benefits while you appeal, ask within 10 days of the date of this notice."];
    let r = read_lines(&[&head[..], &only].concat());
    assert!(r.values.iter().all(|v| v.target != "case.notice_deadline"), "{:?}", r.values);
    assert!(r.notes.iter().any(|n| n.contains("by 2026-03-12")), "{:?}", r.notes);
}

#[test]
fn a_state_medicaid_notice_of_action_gives_its_mid_and_its_reason() {
    let r = read_lines(&[
        "Trillium Health Resources",
        "Notice of Action",
        "Date: 04/01/2026",
        "Beneficiary: Dana Whitfield",
        "MID: 900123456Q",
        "Service Authorization Request # SAR-55120",
        "",
        "We made our decision because:",
        "The requested hours of personal care are more than the assessed need.",
        "",
        "If you disagree, you may appeal within 60 days of the date of this notice.",
    ]);
    assert_eq!(value_of(&r, "member.name").as_deref(), Some("Dana Whitfield"));
    assert_eq!(value_of(&r, "member.member_id").as_deref(), Some("900123456Q"));
    assert_eq!(value_of(&r, "case.authorization_number").as_deref(), Some("SAR-55120"));
    assert_eq!(
        value_of(&r, "case.denial_reason").as_deref(),
        Some("The requested hours of personal care are more than the assessed need.")
    );
    assert_eq!(value_of(&r, "case.notice_deadline").as_deref(), Some("2026-05-31"));
}

/// The reading of a one-page notice of `lines` (an empty line is a gap).
fn read_lines(lines: &[&str]) -> Reading {
    read(&NoticeLayout { name: "lines", pages: vec![lines.iter().map(|l| l.to_string()).collect()], expected: vec![], lacks: vec![] })
}

fn value_of(r: &Reading, target: &str) -> Option<String> {
    r.values.iter().find(|v| v.target == target).map(|v| v.value.clone())
}

#[test]
fn a_name_ends_before_the_next_label_and_only_the_members_own_id_is_taken() {
    let r = read_lines(&["Member: Maria Lopez Member ID: 4471099"]);
    assert_eq!(
        (value_of(&r, "member.name").as_deref(), value_of(&r, "member.member_id").as_deref()),
        (Some("Maria Lopez"), Some("4471099"))
    );
    for line in ["Patient: Maria Lopez Claim ID: 20260302", "To: Maria Lopez Provider ID: 1234567", "Name: Maria Lopez Group ID: 88"] {
        let r = read_lines(&["Lakeside Health Plan", line]);
        assert_eq!(value_of(&r, "member.name").as_deref(), Some("Maria Lopez"), "{line}");
        assert_eq!(value_of(&r, "member.member_id"), None, "{line}: not the member's ID");
    }
    let r = read_lines(&["Name: Mary Ann Smith"]);
    assert_eq!(value_of(&r, "member.name").as_deref(), Some("Mary Ann Smith"), "a name of three words runs to the line's end");
}

#[test]
fn the_appeal_window_is_found_past_the_plans_own_clock_and_continued_coverage() {
    let date = "Date: 03/02/2026";
    let r = read_lines(&[
        date,
        "",
        "You may appeal our decision to deny continued coverage of skilled nursing care within",
        "60 days of the date of this notice.",
    ]);
    assert_eq!(value_of(&r, "case.notice_deadline").as_deref(), Some("2026-05-01"), "{:?}", r.notes);
    assert!(!r.notes.iter().any(|n| n.contains("keep services going")), "{:?}", r.notes);
    let r = read_lines(&[
        date,
        "",
        "About your appeal: we will send you our decision within 30 days of receipt of your appeal.",
        "",
        "You must ask for an appeal within 60 days of the date of this notice.",
    ]);
    assert_eq!(value_of(&r, "case.notice_deadline").as_deref(), Some("2026-05-01"), "{:?}", r.notes);
    assert!(!r.notes.iter().any(|n| n.contains("30 days")), "the plan's clock is no window of the member's: {:?}", r.notes);
}

#[test]
fn a_bracketed_code_beside_a_diagnosis_or_a_plan_is_no_procedure() {
    let r = read_lines(&[
        "Sunrise Health Medicare Advantage (HMO) (H1234)",
        "Diagnosis: type 2 diabetes with hyperglycemia (E1165)",
        "Service: Blood glucose test strips (A4253)",
    ]);
    let codes: Vec<&str> = r.values.iter().filter(|v| v.target == "case.procedures").map(|v| v.value.as_str()).collect();
    assert_eq!(codes, ["A4253"]);
}

#[test]
fn a_medicaid_notice_offering_external_review_stays_medicaid() {
    let r = read_lines(&[
        "Notice of Adverse Benefit Determination",
        "Medicaid ID: 77120044",
        "",
        "You may ask for a fair hearing from the State, or for an independent external review.",
    ]);
    assert_eq!(value_of(&r, "case.program").as_deref(), Some("medicaid-managed-care"));
}

#[test]
fn the_reason_runs_on_over_a_wrapped_line_and_a_heading_is_no_plan() {
    let r = read_lines(&[
        "Notice of Denial of Medical Coverage",
        "Your Health Care Services Were Denied",
        "Why did we deny your request?",
        "We denied the MRI of",
        "your right knee because the records show no injury.",
        "",
        "We denied payment for the following reason",
        "The records do not show a visit on that day.",
    ]);
    assert_eq!(
        value_of(&r, "case.denial_reason").as_deref(),
        Some("We denied the MRI of your right knee because the records show no injury.")
    );
    assert_eq!(value_of(&r, "member.payer"), None);
    assert_ne!(value_of(&r, "case.title").as_deref(), Some("The records do not show a visit on that day"));
}

#[test]
fn a_notice_of_action_greets_the_member_and_its_reason_ends_where_the_appeal_starts() {
    let r = read_lines(&[
        "Sunshine State Health Plan",
        "Notice of Action",
        "03/02/2026",
        "Dear Luis Ortega:",
        "We made our decision because:",
        "The mobility assessment does not show that a manual wheelchair cannot meet your needs.",
        "If you do not agree with this decision, you have the right to request an appeal.",
        "You must ask for a plan appeal within 60 days of the date on this notice.",
    ]);
    assert_eq!(value_of(&r, "member.name").as_deref(), Some("Luis Ortega"));
    assert_eq!(
        value_of(&r, "case.denial_reason").as_deref(),
        Some("The mobility assessment does not show that a manual wheelchair cannot meet your needs.")
    );
    for greeting in ["Dear Ms. Rivera:", "Dear Dr. Amal Chen:", "Dear Member:"] {
        let r = read_lines(&["Sunshine State Health Plan", greeting]);
        assert_eq!(value_of(&r, "member.name"), None, "{greeting}");
    }
    let r = read_lines(&["Why did we decide this?", "The records do not show a need for more than 20 hours a week."]);
    assert_eq!(value_of(&r, "case.denial_reason").as_deref(), Some("The records do not show a need for more than 20 hours a week."));
}

#[test]
fn an_explanation_of_benefits_gives_its_date_its_remark_and_its_employers_plan() {
    let r = read_lines(&[
        "Northwind Health Insurance Company",
        "EXPLANATION OF BENEFITS - THIS IS NOT A BILL",
        "Statement date: 09/14/26",
        "Group: 0045521 Acme Manufacturing Employee Health Plan",
        "Remark codes:",
        "N1 - This service is not covered because prior authorization was not obtained.",
        "",
        "Your right to appeal: You have 180 days from the date you receive this notice to file an appeal.",
    ]);
    assert_eq!(value_of(&r, "case.notice_date").as_deref(), Some("2026-09-14"));
    assert_eq!(value_of(&r, "case.program").as_deref(), Some("erisa"));
    assert_eq!(
        value_of(&r, "case.denial_reason").as_deref(),
        Some("N1 - This service is not covered because prior authorization was not obtained.")
    );
    assert!(r.notes.iter().any(|n| n.contains("180 days after the member receives it")), "{:?}", r.notes);
}

#[test]
fn a_to_line_names_the_member_only_at_the_head_and_a_bare_id_only_beside_the_name() {
    let r = read_lines(&["Lakeside Health Plan", "To: Maria Lopez ID: 4471-09", "Provider ID: 1234567"]);
    assert_eq!(value_of(&r, "member.name").as_deref(), Some("Maria Lopez"));
    assert_eq!(value_of(&r, "member.member_id").as_deref(), Some("4471-09"));
    // A provider's ID on its own line is not the member's.
    let r = read_lines(&["Lakeside Health Plan", "Member: Maria Lopez", "Provider ID: 1234567"]);
    assert_eq!(value_of(&r, "member.member_id"), None);
    // "To:" far down the letter (an appeal's address) is no member's name.
    let mut lines = vec!["Lakeside Health Plan"; 16];
    lines.push("To: Lakeside Appeals Unit");
    let r = read_lines(&lines);
    assert_eq!(value_of(&r, "member.name"), None);
}

#[test]
fn urgency_is_expedited_only_where_the_decision_itself_was() {
    let urgency = |sentence: &str| {
        let layout =
            NoticeLayout { name: "one", pages: vec![vec!["Date: 09/10/2025".into(), sentence.into()]], expected: vec![], lacks: vec![] };
        let r = read(&layout);
        (r.values.iter().find(|v| v.target == "case.urgency").map(|v| v.value.clone()), r.notes)
    };
    for decided in [
        "We made this decision under the expedited (fast) process.",
        "This was an expedited (fast) review of your request.",
        "Your request was reviewed as an expedited appeal.",
    ] {
        assert_eq!(urgency(decided).0.as_deref(), Some("expedited"), "{decided}");
    }
    for offered in [
        "Ask for a fast appeal if waiting could seriously harm your health.",
        "Your request was not expedited, so we made a standard decision.",
        "You may request an expedited review by calling us.",
    ] {
        let (value, notes) = urgency(offered);
        assert_eq!(value, None, "{offered}");
        assert!(notes.iter().any(|n| n.contains(offered)), "the sentence is a note: {notes:?}");
    }
}

#[test]
fn the_demos_own_denial_notice_gives_every_value_it_prints() {
    // The demo's notice is laid out as a plan's own letter, not as the test layouts: labels on
    // shared lines, "Why we denied your request:", a list of where to send the appeal.
    let dir = std::env::temp_dir().join(format!("redress-notice-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let folder = crate::demo::write_demo(&dir, chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()).unwrap();
    let notice = folder.join("docs/denial-notice.pdf");
    let r = read_file(&notice, &crate::ocr::Tesseract::default()).unwrap();
    let value = |target: &str| r.values.iter().find(|v| v.target == target).map(|v| v.value.as_str());
    let want = [
        ("case.program", "medicare-advantage"),
        ("member.member_id", "MAH4417730921"),
        ("case.reference", "LAP-UM-2026-041773"),
        ("case.authorization_number", "PA-88213406"),
        ("case.title", "stationary oxygen concentrator"),
        ("case.procedures", "E1390"),
        ("case.denial_reason", "Not medically necessary: qualifying oxygen saturation not documented."),
        ("case.appeal_address", "Lakeshore Advantage Plus (HMO), Appeals and Grievances Department, P.O. Box 4415, Chicago, IL 60680-4415"),
        ("case.appeal_phone", "1-800-555-0177"),
        ("case.appeal_fax", "1-312-555-0190"),
    ];
    for (target, expected) in want {
        assert_eq!(value(target), Some(expected), "{target} in {:#?}", r.values);
    }
    assert!(r.values.iter().all(|v| v.source.page.is_some() && v.source.rect.is_some()));
    std::fs::remove_dir_all(&dir).unwrap();
}
