//! The notice reader on the forms a notice really arrives in: each layout of
//! `demo::fixtures::notices` set as a scanned PDF (200 dpi, grain, specks, turned 2°), a phone
//! photo stored on its side with EXIF orientation 6, a Group 4 fax TIFF at 204 × 196 dpi, and a PNG, read through Tesseract (the real one: the Makefile installs it). Every
//! value the layout holds must be found on its page with a box on the line it was drawn on, and
//! nothing else: no value the layout lacks, no value it does not hold.

use redress::cases::Prefill;
use redress::demo::fixtures::notices::{self, NoticeLayout};
use redress::demo::fixtures::{notice_scan_drawn, NoticeScan, ScanFormat};
use redress::ocr::read_pages;
use redress::words::Rect;

/// The pages of `layout` the format carries: a photo is of the first page only.
fn carried(layout: &NoticeLayout, format: ScanFormat) -> Vec<Vec<String>> {
    match format {
        ScanFormat::PhotoExif6 | ScanFormat::HeicPhoto => layout.pages[..1].to_vec(),
        _ => layout.pages.clone(),
    }
}

/// Whether `found` lies on one of the lines drawn on its page: its middle within a line's box
/// (grown by half a line's height, for the skewed scan's slant and OCR's own boxes).
fn on_a_drawn_line(found: Rect, scan: &NoticeScan, page: u32) -> bool {
    let (mx, my) = (found.x + found.w / 2.0, found.y + found.h / 2.0);
    scan.pages[page as usize - 1].lines.iter().flatten().any(|line| {
        let slack = line.h / 2.0;
        mx >= line.x - slack && mx <= line.x + line.w + slack && my >= line.y - slack && my <= line.y + line.h + slack
    })
}

fn check(layout: NoticeLayout, format: ScanFormat) {
    let Some(tesseract) = redress::demo::fixtures::tesseract() else { return };
    let pages = carried(&layout, format);
    let scan = notice_scan_drawn(&pages, format);
    let name = format.file_name();
    let words = read_pages(name, &scan.bytes, &tesseract).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(words.len(), pages.len(), "{name} ({}): pages read", layout.name);
    let reading = redress::notice::read_notice(name, &words);
    let what = format!("{} as {name}", layout.name);
    let expected: Vec<_> = layout.expected.iter().filter(|e| e.page as usize <= pages.len()).collect();
    for e in &expected {
        let found: Vec<&Prefill> = reading.values.iter().filter(|v| v.target == e.target).collect();
        let hit = found.iter().find(|v| v.value == e.value);
        let Some(hit) = hit else {
            panic!("{what}: {} should be {:?}; found {:?}\nnotes: {:?}", e.target, e.value, found, reading.notes);
        };
        assert_eq!(hit.source.page, Some(e.page), "{what}: {} is on page {}", e.target, e.page);
        let rect = hit.source.rect.unwrap_or_else(|| panic!("{what}: {} has no box", e.target));
        assert!(on_a_drawn_line(rect, &scan, e.page), "{what}: {}'s box {rect:?} is on no line drawn on page {}", e.target, e.page);
        assert!(hit.source.confidence > 0.0 && hit.source.confidence <= 1.0, "{what}: {}'s confidence", e.target);
    }
    for v in &reading.values {
        assert!(
            expected.iter().any(|e| e.target == v.target && e.value == v.value),
            "{what}: {} = {:?} was not in the notice (read from {:?})",
            v.target,
            v.value,
            v.source.text
        );
    }
    for lacked in &layout.lacks {
        assert!(!reading.values.iter().any(|v| v.target == *lacked), "{what}: {lacked} was found though the notice has none");
    }
}

#[test]
fn a_scanned_pdf_notice_turned_two_degrees_gives_every_value_on_its_page() {
    check(notices::medicare_advantage(), ScanFormat::ScannedPdf);
}

#[test]
fn a_phone_photo_of_a_notice_stored_on_its_side_gives_every_value() {
    check(notices::erisa(), ScanFormat::PhotoExif6);
}

#[test]
fn a_faxed_notice_gives_every_value_on_its_page() {
    check(notices::medicaid(), ScanFormat::FaxTiff);
}

#[test]
fn a_png_of_a_notice_gives_every_value() {
    check(notices::summary_notice(), ScanFormat::Png);
}
