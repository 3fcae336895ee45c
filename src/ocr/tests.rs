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
    let Some(_tesseract) = crate::demo::fixtures::tesseract() else { return };
    let lines = ["Member ID: XJK-4471", "Notice date March 2, 2026"];
    let (picture, drawn) = strip(&lines);
    let page = Tesseract::default().read(&picture, 3).expect("Tesseract must be installed for the tests (make installs it)");
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
fn tesseract_without_its_english_data_or_past_its_time_says_so() {
    let Some(_tesseract) = crate::demo::fixtures::tesseract() else { return };
    let (picture, _) = strip(&["Member ID"]);
    let empty = std::env::temp_dir().join(format!("redress-ocr-no-data-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let no_data = Tesseract { data_dir: Some(empty.clone()), ..Tesseract::default() };
    let read = no_data.read(&picture, 1);
    let checked = no_data.check();
    std::fs::remove_dir_all(&empty).unwrap();
    assert!(matches!(read, Err(OcrError::NoEnglish)), "{read:?}");
    assert!(matches!(checked, Err(OcrError::NoEnglish)), "{checked:?}");
    assert!(OcrError::NoEnglish.to_string().contains("install tesseract-ocr-eng"));

    let hurried = Tesseract { timeout: std::time::Duration::from_millis(1), ..Tesseract::default() };
    let late = hurried.read(&picture, 1).unwrap_err();
    assert!(matches!(late, OcrError::TimedOut { seconds: 0 }), "{late:?}");
}

#[test]
fn a_program_that_does_not_exist_is_tesseract_missing() {
    let runner = Tesseract { program: "redress-no-such-tesseract".into(), ..Tesseract::default() };
    let (picture, _) = strip(&["x"]);
    let error = runner.read(&picture, 1).unwrap_err();
    assert!(matches!(error, OcrError::Missing), "{error:?}");
    assert!(error.to_string().contains("install tesseract-ocr and tesseract-ocr-eng"), "{error}");
    assert!(matches!(runner.check(), Err(OcrError::Missing)));
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
/// `slack` page units of where it was drawn; returns the file.
fn reads_back(format: ScanFormat, pages: &[Vec<String>]) -> crate::demo::fixtures::NoticeScan {
    let scan = notice_scan_drawn(pages, format);
    let read = read_pages(format.file_name(), &scan.bytes, &Tesseract::default()).unwrap_or_else(|e| panic!("{format:?}: {e}"));
    let expected_pages = if matches!(format, ScanFormat::ScannedPdf | ScanFormat::FaxTiff) { pages.len() } else { 1 };
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
    scan
}

#[test]
fn a_png_at_150_dpi_is_read_word_for_word_in_its_pixels() {
    let Some(_tesseract) = crate::demo::fixtures::tesseract() else { return };
    reads_back(ScanFormat::Png, &notice()[..1]);
}

#[test]
fn a_phone_photo_stored_on_its_side_is_read_upright_and_shown_as_read() {
    let Some(_tesseract) = crate::demo::fixtures::tesseract() else { return };
    let scan = reads_back(ScanFormat::PhotoExif6, &notice()[..1]);
    let shown = image::load_from_memory(&upright_png("photo.jpg", &scan.bytes, 1, 1000).unwrap()).unwrap();
    // Upright (wider than tall, as drawn) and no larger than asked: boxes scale by the width.
    assert_eq!(shown.width(), 1000);
    let ratio = shown.height() as f32 / shown.width() as f32;
    assert!((ratio - scan.pages[0].height / scan.pages[0].width).abs() < 0.01, "{ratio}");
}

#[test]
fn an_iphone_heic_photo_is_read_upright() {
    let Some(_tesseract) = crate::demo::fixtures::tesseract() else { return };
    reads_back(ScanFormat::HeicPhoto, &notice()[..1]);
}

#[test]
fn every_page_of_a_fax_tiff_is_read_with_square_pixels() {
    let Some(_tesseract) = crate::demo::fixtures::tesseract() else { return };
    reads_back(ScanFormat::FaxTiff, &notice());
}

#[test]
fn the_generated_fax_is_a_tiff_libtiff_reads() {
    let Some(_tesseract) = crate::demo::fixtures::tesseract() else { return };
    // Tesseract opens the file itself (through leptonica and libtiff): the Group 4 coding and
    // the directories are read by another implementation than the one Redress uses.
    let fax = crate::demo::fixtures::notice_scan(&notice(), ScanFormat::FaxTiff);
    let dir = std::env::temp_dir().join(format!("redress-ocr-fax-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("fax.tif"), &fax).unwrap();
    let out = std::process::Command::new("tesseract")
        .arg(dir.join("fax.tif"))
        .args(["stdout", "-l", "eng"])
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // Read as stored (its pixels not made square), a letter may slip: the first line of each
    // page is enough to show both pages decode.
    for page in notice() {
        assert!(text.contains(page[0].as_str()), "{:?} not in {text}", page[0]);
    }
}

#[test]
fn a_scanned_pdf_turned_two_degrees_is_read_in_points() {
    let Some(_tesseract) = crate::demo::fixtures::tesseract() else { return };
    reads_back(ScanFormat::ScannedPdf, &notice());
}

#[test]
fn a_pdf_page_with_its_own_text_is_read_from_it_and_a_scanned_one_by_ocr() {
    let Some(_tesseract) = crate::demo::fixtures::tesseract() else { return };
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
    let pages = read_pages("mixed.pdf", &mixed, &Tesseract::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].source, crate::words::WordSource::TextLayer);
    assert_eq!(pages[0].lines()[1].text, "Member ID: XJK-4471-09");
    assert_eq!(pages[1].source, crate::words::WordSource::Ocr);
    assert_eq!(pages[1].lines()[0].text, notice()[1][0]);
    // The text page has no picture to show; the scanned one has.
    let refused = upright_png("mixed.pdf", &mixed, 1, 800).unwrap_err();
    assert!(matches!(refused, OcrError::NoPicture { page: 1, .. }), "{refused}");
    let png = image::load_from_memory(&upright_png("mixed.pdf", &mixed, 2, 800).unwrap()).unwrap();
    assert_eq!(png.width(), 800);
    let beyond = upright_png("mixed.pdf", &mixed, 3, 800).unwrap_err();
    assert_eq!(beyond.to_string(), "mixed.pdf has no page 3: it has 2");
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

/// A one-page PDF whose page (MediaBox `size` points, `/Rotate` `rotate`) draws `image` over
/// the whole of it.
fn one_image_pdf(image: lopdf::Stream, size: (f64, f64), rotate: i64) -> Vec<u8> {
    let content = format!("q {} 0 0 {} 0 0 cm /Im1 Do Q", size.0, size.1);
    one_page_pdf(Some(image), content.into_bytes(), size, rotate)
}

/// A one-page PDF of `content`, with `image` as its `/Im1`.
fn one_page_pdf(image: Option<lopdf::Stream>, content: Vec<u8>, size: (f64, f64), rotate: i64) -> Vec<u8> {
    use lopdf::{dictionary, Object};
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image = doc.add_object(image.unwrap_or_else(|| lopdf::Stream::new(dictionary! {}, Vec::new())));
    let content = doc.add_object(lopdf::Stream::new(dictionary! {}, content));
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), Object::Real(size.0 as f32), Object::Real(size.1 as f32)],
        "Rotate" => rotate,
        "Contents" => content,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image } },
    });
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_fax_image_on_a_page_turned_by_rotate_is_read_upright_in_points() {
    let Some(_tesseract) = crate::demo::fixtures::tesseract() else { return };
    use lopdf::dictionary;
    let lines = ["Your request was denied on March 2, 2026", "Call 1-800-555-0199 to appeal"];
    // The page as a person sees it, at 200 dpi; stored turned a quarter back, as /Rotate 90 turns it.
    let mut upright = image::GrayImage::from_pixel(1700, 600, Luma([255]));
    let drawn: Vec<[u32; 4]> =
        lines.iter().enumerate().map(|(i, l)| draw_line(&mut upright, 150.0, 200.0 + 110.0 * i as f32, 56.0, 0, l).unwrap()).collect();
    let stored = image::imageops::rotate270(&upright);
    let parms = dictionary! { "K" => -1, "Columns" => stored.width() as i64, "Rows" => stored.height() as i64 };
    let image = lopdf::Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => stored.width() as i64, "Height" => stored.height() as i64,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1, "Filter" => "CCITTFaxDecode", "DecodeParms" => parms,
        },
        crate::demo::fixtures::group4(&stored),
    );
    let points = |px: u32| px as f32 * 72.0 / 200.0;
    let pdf = one_image_pdf(image, (f64::from(points(stored.width())), f64::from(points(stored.height()))), 90);
    let pages = read_pages("fax.pdf", &pdf, &Tesseract::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pages.len(), 1);
    let page = &pages[0];
    assert_eq!((page.width.round(), page.height.round()), (points(1700).round(), points(600).round()));
    let found = page.lines();
    assert_eq!(found.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(), lines);
    for (line, want) in found.iter().zip(&drawn) {
        let (got, _) = page.locate(line, 0..line.text.len()).unwrap();
        let off = [got.x - points(want[0]), got.y - points(want[1]), got.w - points(want[2]), got.h - points(want[3])];
        assert!(off.iter().all(|d| d.abs() <= 3.0), "{:?}: read at {got:?}, drawn at {want:?} pixels", line.text);
    }
}

#[test]
fn a_page_stored_as_jbig2_is_refused_naming_the_page() {
    use lopdf::dictionary;
    let image = lopdf::Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 100, "Height" => 100,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1, "Filter" => "JBIG2Decode",
        },
        vec![0; 64],
    );
    let pdf = one_image_pdf(image, (72.0, 72.0), 0);
    let refused = read_pages("scan.pdf", &pdf, &Tesseract::default()).unwrap_err();
    assert!(refused.to_string().starts_with("scan.pdf, page 1, has its picture stored as JBIG2"), "{refused}");
}

/// Small pictures in every way a page reaches OCR, each picture a few hundred pixels.
fn small_seeds() -> Vec<(&'static str, crate::demo::mutate::Target, Vec<u8>)> {
    use crate::demo::mutate::Target;
    use lopdf::dictionary;
    let (page, _) = strip(&["Member ID"]);
    let page = image::imageops::resize(&page, 280, 50, image::imageops::FilterType::Triangle);
    let image = |filter: &str, bits: i64, data: Vec<u8>, parms: lopdf::Dictionary| {
        lopdf::Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 280, "Height" => 50, "ColorSpace" => "DeviceGray",
                "BitsPerComponent" => bits, "Filter" => filter.to_string(), "DecodeParms" => parms,
            },
            data,
        )
    };
    let jpeg = crate::demo::fixtures::raster::jpeg(page.as_raw(), 280, 50, image::ExtendedColorType::L8, 80).unwrap();
    let flate = crate::demo::fixtures::raster::zlib(page.as_raw()).unwrap();
    let ccitt = crate::demo::fixtures::group4(&page);
    vec![
        ("a.pdf", Target::Pdf, one_image_pdf(image("DCTDecode", 8, jpeg, dictionary! {}), (100.0, 18.0), 0)),
        ("b.pdf", Target::Pdf, one_image_pdf(image("FlateDecode", 8, flate, dictionary! {}), (100.0, 18.0), 90)),
        (
            "c.pdf",
            Target::Pdf,
            one_image_pdf(image("CCITTFaxDecode", 1, ccitt, dictionary! { "K" => -1, "Columns" => 280 }), (100.0, 18.0), 270),
        ),
        ("d.jpg", Target::Jpeg, crate::demo::fixtures::jpeg_upright_marked(6, false)),
        ("e.png", Target::Png, crate::demo::fixtures::png_palette(40, 30)),
        ("f.tif", Target::Tiff, crate::demo::fixtures::tiff_rgb(40, 30)),
    ]
}

#[test]
fn damaged_pictures_are_refused_or_read_never_a_panic() {
    let mut rng = crate::demo::mutate::Rng::new(12);
    let seeds = small_seeds();
    for (name, target, seed) in &seeds {
        upright_png(name, seed, 1, 200).unwrap_or_else(|e| panic!("{name}: {e}"));
        for _ in 0..30 {
            let donor = &rng.pick(&seeds).2;
            let mutant = crate::demo::mutate::mutate(*target, seed, donor, &mut rng);
            let outcome = std::panic::catch_unwind(|| upright_png(name, &mutant.bytes, 1, 200));
            assert!(outcome.is_ok(), "{name} mutated by {} panicked", mutant.how);
        }
    }
}

#[test]
fn a_png_kept_as_its_own_rows_decodes_as_the_image_crate_decodes_the_file() {
    use crate::import::image::{open, Encoding, ImageFormat, Limits};
    let grey = crate::demo::fixtures::notice_scan(&notice()[..1], ScanFormat::Png);
    for png in [grey, crate::demo::fixtures::png_palette(40, 30), crate::demo::fixtures::png_rgb(40, 30)] {
        let photo = open(&png, ImageFormat::Png, &Limits::default()).unwrap();
        assert!(matches!(photo.encoding, Encoding::FlatePng { .. }), "{:?}", photo.encoding);
        let ours = photo_grey(&photo).unwrap();
        // The file decoded by the image crate, its colours weighed as here (Rec. 601).
        let rgb = image::load_from_memory(&png).unwrap().into_rgb8();
        let theirs: Vec<u8> =
            rgb.pixels().map(|p| ((u32::from(p.0[0]) * 299 + u32::from(p.0[1]) * 587 + u32::from(p.0[2]) * 114) / 1000) as u8).collect();
        assert_eq!(ours.dimensions(), rgb.dimensions());
        assert_eq!(ours.as_raw(), &theirs);
    }
}

#[test]
fn an_inline_image_is_drawn_as_an_image_object_is_and_a_compressed_one_is_named() {
    let (page, _) = strip(&["Member ID"]);
    let page = image::imageops::resize(&page, 280, 50, image::imageops::FilterType::Triangle);
    let mut content = b"q 100 0 0 18 0 0 cm BI /W 280 /H 50 /BPC 8 /CS /G ID ".to_vec();
    content.extend_from_slice(page.as_raw());
    content.extend_from_slice(b"\nEI Q");
    let pdf = one_page_pdf(None, content, (100.0, 18.0), 0);
    // 280 pixels over 100 points is 201.6 dpi: drawn at that, pixel for pixel.
    let shown = image::load_from_memory(&upright_png("inline.pdf", &pdf, 1, 1000).unwrap()).unwrap().into_luma8();
    assert_eq!(shown, page);

    let compressed = one_page_pdf(None, b"q 10 0 0 10 0 0 cm BI /W 2 /H 2 /BPC 8 /CS /G /F /Fl ID xxxx\nEI Q".to_vec(), (10.0, 10.0), 0);
    let refused = upright_png("inline.pdf", &compressed, 1, 100).unwrap_err();
    assert!(refused.to_string().starts_with("inline.pdf, page 1, has its picture stored as a compressed inline image"), "{refused}");
}

/// A page of white paper with a black bar of "text" across its top, as CMYK samples (0 no
/// ink): `width` × `height`, the bar over rows 10 to 30.
fn cmyk_page(width: u32, height: u32) -> Vec<u8> {
    (0..width * height).flat_map(|i| if (10..30).contains(&(i / width)) { [0, 0, 0, 255] } else { [0, 0, 0, 0] }).collect()
}

/// `cmyk` encoded by `jpeg_encoder` as `color` (which writes Adobe's marker and stores each
/// sample inverted, as Photoshop does; every component at full resolution, as Photoshop
/// samples CMYK), the marker left out where `adobe` is false.
fn cmyk_jpeg(cmyk: &[u8], width: u32, height: u32, color: jpeg_encoder::ColorType, adobe: bool) -> Vec<u8> {
    let mut jpeg = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 90);
    if color == jpeg_encoder::ColorType::Cmyk {
        encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    }
    encoder.encode(cmyk, width as u16, height as u16, color).unwrap();
    if adobe {
        return jpeg;
    }
    let at = jpeg.windows(2).position(|w| w == [0xFF, 0xEE]).expect("an APP14 segment");
    let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
    jpeg.drain(at..at + 2 + length);
    jpeg
}

/// The mean of a grey picture's rows `rows`, 0 black.
fn mean_of(grey: &GrayImage, rows: std::ops::Range<u32>) -> f64 {
    let values: Vec<f64> =
        rows.flat_map(|y| (0..grey.width()).map(move |x| (x, y))).map(|(x, y)| f64::from(grey.get_pixel(x, y).0[0])).collect();
    values.iter().sum::<f64>() / values.len() as f64
}

#[test]
fn cmyk_and_ycck_jpegs_in_a_pdf_are_read_as_pdf_readers_show_them() {
    use jpeg_encoder::ColorType;
    use lopdf::{dictionary, Object};
    let (w, h) = (64u32, 48u32);
    let page = cmyk_page(w, h);
    // Stored as the encoder writes it: each sample inverted (what Adobe's marker announces).
    let as_stored: Vec<u8> = page.iter().map(|v| 255 - v).collect();
    let image = |jpeg: Vec<u8>, decode: bool| {
        let mut d = dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
        "ColorSpace" => "DeviceCMYK", "BitsPerComponent" => 8, "Filter" => "DCTDecode" };
        if decode {
            d.set("Decode", [1, 0, 1, 0, 1, 0, 1, 0].iter().map(|v| Object::Integer(*v)).collect::<Vec<_>>());
        }
        lopdf::Stream::new(d, jpeg)
    };
    let doc = lopdf::Document::with_version("1.7");
    // PDF readers take the samples as stored (libjpeg's reading: Adobe's marker says how to
    // undo a YCCK transform, not to invert) and then `/Decode`: what img2pdf writes for an
    // Adobe JPEG, and a page without the `/Decode` a negative, as poppler shows it.
    for (name, jpeg, decode, white) in [
        ("Adobe CMYK with /Decode", cmyk_jpeg(&page, w, h, ColorType::Cmyk, true), true, true),
        ("Adobe YCCK with /Decode", cmyk_jpeg(&page, w, h, ColorType::CmykAsYcck, true), true, true),
        ("Adobe CMYK without /Decode", cmyk_jpeg(&page, w, h, ColorType::Cmyk, true), false, false),
        ("Adobe YCCK without /Decode", cmyk_jpeg(&page, w, h, ColorType::CmykAsYcck, true), false, false),
        ("inverted CMYK without a marker, with /Decode", cmyk_jpeg(&page, w, h, ColorType::Cmyk, false), true, true),
        ("plain CMYK without a marker", cmyk_jpeg(&as_stored, w, h, ColorType::Cmyk, false), false, true),
    ] {
        let grey = xobject_grey(&doc, &image(jpeg, decode)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let (bar, paper) = (mean_of(&grey, 12..28), mean_of(&grey, 34..h));
        match white {
            true => assert!(paper > 240.0 && bar < 20.0, "{name}: paper {paper:.0}, text {bar:.0}"),
            // The paper's stored samples, all 255, read as full ink on all four.
            false => assert!(paper < 20.0, "{name}: a negative, as readers show it: paper {paper:.0}"),
        }
    }
    // The same JPEGs given as photos: the packet writes an Adobe one with that `/Decode`, and
    // its fax and OCR pictures read it so.
    for (name, jpeg) in [
        ("Adobe CMYK", cmyk_jpeg(&page, w, h, ColorType::Cmyk, true)),
        ("Adobe YCCK", cmyk_jpeg(&page, w, h, ColorType::CmykAsYcck, true)),
        ("plain CMYK", cmyk_jpeg(&as_stored, w, h, ColorType::Cmyk, false)),
    ] {
        let photo = crate::import::image::open(&jpeg, crate::import::image::ImageFormat::Jpeg, &Default::default()).unwrap();
        let grey = photo_grey(&photo).unwrap();
        let (bar, paper) = (mean_of(&grey, 12..28), mean_of(&grey, 34..h));
        assert!(paper > 240.0 && bar < 20.0, "{name} photo: paper {paper:.0}, text {bar:.0}");
    }
}

/// Rows of `row` bytes led each by its PNG filter's byte, the filters taken in turn (none,
/// sub, up, average, Paeth), pixels `step` bytes apart.
fn png_filtered(raw: &[u8], row: usize, step: usize) -> Vec<u8> {
    let paeth = |a: u8, b: u8, c: u8| {
        let p = i16::from(a) + i16::from(b) - i16::from(c);
        let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
        if pa <= pb && pa <= pc {
            a
        } else if pb <= pc {
            b
        } else {
            c
        }
    };
    let zeros = vec![0u8; row];
    let mut out = Vec::new();
    for (y, line) in raw.chunks(row).enumerate() {
        let filter = (y % 5) as u8;
        let up = if y == 0 { &zeros[..] } else { &raw[(y - 1) * row..y * row] };
        out.push(filter);
        for i in 0..row {
            let (a, b, c) = (if i >= step { line[i - step] } else { 0 }, up[i], if i >= step { up[i - step] } else { 0 });
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                _ => paeth(a, b, c),
            };
            out.push(line[i].wrapping_sub(predicted));
        }
    }
    out
}

/// Each sample less the one a pixel before it in its row (TIFF predictor 2), for 8-bit samples.
fn tiff_differenced(raw: &[u8], row: usize, step: usize) -> Vec<u8> {
    raw.chunks(row).flat_map(|line| (0..row).map(move |i| if i >= step { line[i].wrapping_sub(line[i - step]) } else { line[i] })).collect()
}

#[test]
fn images_behind_png_or_tiff_predictors_and_16_bit_images_are_read() {
    use lopdf::dictionary;
    // Taller than the slack for a PNG row's filter byte once was.
    let (w, h) = (40u32, 1500u32);
    let level = |x: u32, y: u32| ((x * 5 + y * 3) % 251) as u8;
    let grey: Vec<u8> = (0..h).flat_map(|y| (0..w).map(move |x| level(x, y))).collect();
    let rgb: Vec<u8> = grey.iter().flat_map(|v| [*v, *v, *v]).collect();
    // 16 bits a sample, big-endian: the high byte the level, the low byte noise.
    let wide: Vec<u8> = grey.iter().enumerate().flat_map(|(i, v)| [*v, (i * 7 % 256) as u8]).collect();
    let zlib = |data: &[u8]| crate::demo::fixtures::raster::zlib(data).unwrap();
    let image = |space: &str, bits: i64, colors: i64, predictor: i64, data: Vec<u8>| {
        lopdf::Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
            "ColorSpace" => space.to_string(), "BitsPerComponent" => bits, "Filter" => "FlateDecode",
            "DecodeParms" => dictionary! { "Predictor" => predictor, "Colors" => colors, "BitsPerComponent" => bits, "Columns" => w as i64 } },
            zlib(&data),
        )
    };
    let w8 = w as usize;
    let cases = [
        ("grey, PNG predictors", image("DeviceGray", 8, 1, 15, png_filtered(&grey, w8, 1))),
        ("RGB, PNG predictors", image("DeviceRGB", 8, 3, 15, png_filtered(&rgb, w8 * 3, 3))),
        ("16-bit grey, PNG predictors", image("DeviceGray", 16, 1, 15, png_filtered(&wide, w8 * 2, 2))),
        ("16-bit grey", image("DeviceGray", 16, 1, 1, wide.clone())),
        ("RGB, TIFF predictor", image("DeviceRGB", 8, 3, 2, tiff_differenced(&rgb, w8 * 3, 3))),
    ];
    let doc = lopdf::Document::with_version("1.7");
    for (name, stream) in cases {
        let read = xobject_grey(&doc, &stream).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(read.as_raw(), &grey, "{name}");
        // And as stored, for a size budget to make it smaller.
        let components = if name.starts_with("RGB") { 3 } else { 1 };
        let stored = pdfpage::stored_pixels(&stream, w, h, components).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(stored.to_luma8().as_raw(), &grey, "{name}, as stored");
    }
}

#[test]
fn images_in_encodings_redress_does_not_decode_are_named_so() {
    use lopdf::dictionary;
    let doc = lopdf::Document::with_version("1.7");
    for (filter, named) in [("JPXDecode", "JPEG 2000"), ("JBIG2Decode", "JBIG2")] {
        let stream = lopdf::Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 10, "Height" => 10, "Filter" => filter },
            vec![0; 40],
        );
        assert_eq!(xobject_grey(&doc, &stream).unwrap_err(), pdfpage::Undecoded::Encoding(named));
    }
    let broken = lopdf::Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 10, "Height" => 10, "ColorSpace" => "DeviceGray",
        "BitsPerComponent" => 8, "Filter" => "DCTDecode" },
        vec![0xFF, 0xD8, 0xFF, 0xD9],
    );
    assert!(matches!(xobject_grey(&doc, &broken), Err(pdfpage::Undecoded::Other(_))));
}
