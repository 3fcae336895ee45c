use super::*;
use crate::demo::fixtures::draw_line;
use crate::demo::fixtures::{notice_scan_drawn, ScanFormat};
use image::{GrayImage, Luma};

/// A strip of grey paper with `lines` set at 12 pt for 300 dpi (50 pixels to the em).
fn strip(lines: &[&str]) -> (GrayImage, Vec<[u32; 4]>) {
    let mut page = GrayImage::from_pixel(1400, 120 + 90 * lines.len() as u32, Luma([228]));
    let boxes = lines.iter().enumerate().map(|(i, l)| draw_line(&mut page, 60.0, 100.0 + 90.0 * i as f32, 50.0, 30, l).unwrap()).collect();
    (page, boxes)
}

#[test]
fn tesseract_reads_generated_type_word_for_word_with_boxes_in_pixels() {
    let lines = ["Member ID: XJK-4471", "Notice date March 2, 2026"];
    let (picture, drawn) = strip(&lines);
    let page = Tesseract::default().read(&picture, Some(300), 3).expect("Tesseract must be installed for the tests (make installs it)");
    assert_eq!(page.page, 3);
    assert_eq!((page.width, page.height), (picture.width() as f32, picture.height() as f32));
    assert_eq!(page.source, crate::words::WordSource::Ocr);
    let read: Vec<String> = page.lines().into_iter().map(|l| l.text).collect();
    assert_eq!(read, lines);
    for (line, drawn) in page.lines().iter().zip(&drawn) {
        let (rect, confidence) = page.locate(line, 0..line.text.len()).unwrap();
        assert!(confidence > 0.8, "{confidence}");
        for (got, want) in [rect.x, rect.y, rect.w, rect.h].iter().zip(drawn) {
            assert!((got - *want as f32).abs() <= 3.0, "{rect:?} against drawn {drawn:?}");
        }
    }
}

#[test]
fn a_program_that_does_not_exist_is_tesseract_missing() {
    let runner = Tesseract { program: "redress-no-such-tesseract".into(), ..Tesseract::default() };
    let (picture, _) = strip(&["x"]);
    let error = runner.read(&picture, None, 1).unwrap_err();
    assert!(matches!(error, OcrError::Missing), "{error:?}");
    assert!(error.to_string().contains("install tesseract-ocr and tesseract-ocr-eng"), "{error}");
    assert!(matches!(runner.check(), Err(OcrError::Missing)));
    Tesseract::default().check().expect("Tesseract with its English data must be installed for the tests");
}
/// What Tesseract 5.3 printed for [`strip`]'s two lines (`tesseract strip.png stdout --dpi 300
/// -l eng tsv`), and for a page of qpdf's test file `boxes.pdf` rendered at 150 dpi, whose page
/// edges it read as words of blank text.
const TWO_LINES: &str = include_str!("testdata/two-lines.tsv");
const BOXES_PAGE: &str = include_str!("testdata/boxes-page.tsv");

#[test]
fn tesseract_tsv_becomes_words_with_lines_boxes_and_confidence() {
    let words = parse_tsv(TWO_LINES).unwrap();
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(texts, ["Member", "ID:", "XJK-4471", "Notice", "date", "March", "2,", "2026"]);
    assert_eq!(words.iter().map(|w| w.line).collect::<Vec<_>>(), [0, 0, 0, 1, 1, 1, 1, 1]);
    assert_eq!(words[2].rect, crate::words::Rect { x: 369.0, y: 63.0, w: 221.0, h: 47.0 });
    assert!((words[2].confidence - 0.916_262_2).abs() < 1e-6);

    let words = parse_tsv(BOXES_PAGE).unwrap();
    assert_eq!(words.len(), 42, "the five blank words at the page's edges are left out");
    assert!(words.iter().all(|w| !w.text.trim().is_empty() && (0.0..=1.0).contains(&w.confidence)));
    let page = crate::words::PageWords { page: 1, width: 1275.0, height: 1650.0, source: crate::words::WordSource::Ocr, words };
    let lines: Vec<String> = page.lines().into_iter().map(|l| l.text).collect();
    assert_eq!(lines.len(), 7, "{lines:?}");
    assert_eq!(lines[0], "red rectangle at media [0 0 612 792]");
    assert_eq!(lines[6], "Rotate: 0");

    assert_eq!(parse_tsv("not a table"), None);
    assert_eq!(parse_tsv(""), None);
}

/// Two pages of a notice, as the generators set them.
fn notice() -> Vec<Vec<String>> {
    let page = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    vec![
        page(&[
            "Notice of Denial of Medical Coverage",
            "Date of this notice: March 2, 2026",
            "Member ID: XJK-4471-09",
            "",
            "Reference number RX-20260302-118",
        ]),
        page(&["You have the right to appeal within 60 days.", "Fax your appeal to 1-800-555-0199"]),
    ]
}

/// Reads `format`'s file back and checks every line word for word, on the right page, within
/// `slack` page units of where it was drawn.
fn reads_back(format: ScanFormat, pages: &[Vec<String>]) {
    let scan = notice_scan_drawn(pages, format);
    let read = read_pages(format.file_name(), &scan.bytes, &Tesseract::default()).unwrap_or_else(|e| panic!("{format:?}: {e}"));
    let expected_pages = if matches!(format, ScanFormat::PhotoExif6 | ScanFormat::Png) { 1 } else { pages.len() };
    assert_eq!(read.len(), expected_pages, "{format:?}");
    for ((page, drawn), lines) in read.iter().zip(&scan.pages).zip(pages) {
        assert_eq!(page.source, crate::words::WordSource::Ocr);
        assert!((page.width - drawn.width).abs() < 1.0 && (page.height - drawn.height).abs() < 1.0, "{format:?}: {page:?} {drawn:?}");
        let slack = drawn.width * 0.01;
        let found = page.lines();
        let wanted: Vec<(&String, crate::words::Rect)> = lines.iter().zip(&drawn.lines).filter_map(|(l, r)| r.map(|r| (l, r))).collect();
        let texts: Vec<&str> = found.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, wanted.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(), "{format:?} page {}", page.page);
        for (line, (_, want)) in found.iter().zip(&wanted) {
            let (got, _) = page.locate(line, 0..line.text.len()).unwrap();
            let off = [got.x - want.x, got.y - want.y, got.w - want.w, got.h - want.h];
            assert!(off.iter().all(|d| d.abs() <= slack), "{format:?} {:?}: read at {got:?}, drawn at {want:?}", line.text);
        }
    }
}

#[test]
fn a_png_at_150_dpi_is_read_word_for_word_in_its_pixels() {
    reads_back(ScanFormat::Png, &notice()[..1]);
}

#[test]
fn a_phone_photo_stored_on_its_side_is_read_upright() {
    reads_back(ScanFormat::PhotoExif6, &notice()[..1]);
}

#[test]
fn every_page_of_a_fax_tiff_is_read_with_square_pixels() {
    reads_back(ScanFormat::FaxTiff, &notice());
}

#[test]
fn a_scanned_pdf_turned_two_degrees_is_read_in_points() {
    reads_back(ScanFormat::ScannedPdf, &notice());
}

#[test]
fn a_pdf_page_with_its_own_text_is_read_from_it_and_a_scanned_one_by_ocr() {
    let scanned = notice_scan_drawn(&notice()[1..], ScanFormat::ScannedPdf);
    let text = crate::demo::fixtures::text_pdf(&["Notice of Denial of Medical Coverage\nMember ID: XJK-4471-09"]);
    // Joined with qpdf: the text page first, the scanned page second.
    let dir = std::env::temp_dir().join(format!("redress-ocr-mixed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b, out) = (dir.join("a.pdf"), dir.join("b.pdf"), dir.join("mixed.pdf"));
    std::fs::write(&a, &text).unwrap();
    std::fs::write(&b, &scanned.bytes).unwrap();
    let status = std::process::Command::new("qpdf").arg("--empty").arg("--pages").arg(&a).arg(&b).arg("--").arg(&out).status().unwrap();
    assert!(status.success());
    let mixed = std::fs::read(&out).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let pages = read_pages("mixed.pdf", &mixed, &Tesseract::default()).unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].source, crate::words::WordSource::TextLayer);
    assert_eq!(pages[0].lines()[1].text, "Member ID: XJK-4471-09");
    assert_eq!(pages[1].source, crate::words::WordSource::Ocr);
    assert_eq!(pages[1].lines()[0].text, notice()[1][0]);
    // The text page has no picture to show; the scanned one has.
    let refused = upright_png("mixed.pdf", &mixed, 1, 800).unwrap_err();
    assert!(matches!(refused, OcrError::NoPicture { page: 1, pages: 2, has_text: true, .. }), "{refused}");
    let png = image::load_from_memory(&upright_png("mixed.pdf", &mixed, 2, 800).unwrap()).unwrap();
    assert_eq!(png.width(), 800);
    assert!(matches!(upright_png("mixed.pdf", &mixed, 3, 800), Err(OcrError::NoPicture { page: 3, .. })));
}

#[test]
fn ocr_missing_is_said_when_a_picture_needs_it_and_a_text_file_is_not_a_page() {
    let png = crate::demo::fixtures::notice_scan(&notice()[..1], ScanFormat::Png);
    let missing = Tesseract { program: "redress-no-such-tesseract".into(), ..Tesseract::default() };
    assert!(matches!(read_pages("notice.png", &png, &missing), Err(OcrError::Missing)));
    let wrong = read_pages("notice.pdf", &png, &Tesseract::default()).unwrap_err();
    assert!(wrong.to_string().starts_with("notice.pdf is named as a PDF"), "{wrong}");
    assert!(matches!(read_pages("notice.txt", b"Member ID", &Tesseract::default()), Err(OcrError::NotAPage { .. })));
}
