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
                "case.notice_deadline" => "days",
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
