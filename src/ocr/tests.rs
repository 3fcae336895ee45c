use super::*;
use crate::demo::fixtures::lettering::draw_line;
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
