//! Size budgets that shrink scans too: a scanned PDF's page images and photos made smaller at
//! the step an estimate chooses, text still readable, lossless and vector content kept.

use crate::util::*;
use lopdf::{Document, Object};
use redress::demo::fixtures;
use redress::packet::{build, BuildOptions, BuildReport, Progress};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The lines of the scanned letter, each a word Tesseract can find.
const SCAN_LINES: [&str; 4] =
    ["Appeal of denied oxygen coverage", "Saturation readings attached", "Physician signature enclosed", "Reference CCX-2025-0142"];

/// A one-page scanned letter at 300 dpi (JPEG quality 90, as office scanners save).
fn scan() -> Vec<u8> {
    fixtures::scanned_text_pdf(&[SCAN_LINES.iter().map(|l| l.to_string()).collect()], 300.0, 90)
}

/// Builds the case in `dir` in this process with `max` bytes, counting the attempts (each
/// reports its first exhibit once).
fn build_counted(dir: &std::path::Path, out: &str, max: Option<u64>) -> (redress::Result<BuildReport>, usize) {
    let folder = redress::casefile::load(dir).unwrap();
    let attempts = Arc::new(AtomicUsize::new(0));
    let seen = attempts.clone();
    let now = chrono::NaiveDate::from_ymd_opt(2025, 9, 20).unwrap().and_hms_opt(9, 0, 0).unwrap();
    let opts = BuildOptions {
        out: Some(dir.join(out)),
        max_bytes: max,
        progress: Some(Arc::new(move |p: &Progress| {
            if p.done == 0 {
                seen.fetch_add(1, Ordering::Relaxed);
            }
        })),
        ..BuildOptions::new(now, now.and_utc(), chrono_tz::America::Chicago)
    };
    let r = build(&folder, &opts);
    (r, attempts.load(Ordering::Relaxed))
}

/// The image XObjects of a PDF: width, filter and data.
fn images(pdf: &std::path::Path) -> Vec<(i64, String, Vec<u8>)> {
    let doc = Document::load(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| match o {
            Object::Stream(s) if s.dict.get(b"Subtype").ok().and_then(|n| n.as_name().ok()) == Some(b"Image") => Some((
                s.dict.get(b"Width").unwrap().as_i64().unwrap(),
                String::from_utf8_lossy(s.dict.get(b"Filter").unwrap().as_name().unwrap()).into_owned(),
                s.content.clone(),
            )),
            _ => None,
        })
        .collect()
}

/// Mean difference of two renderings of the same page, 0–255 per sample.
fn mean_difference(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let sum: u64 = a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| u64::from(x.abs_diff(*y))).sum();
    sum as f64 / a.as_raw().len() as f64
}

#[test]
fn a_scanned_pdf_and_photos_fit_a_small_budget_in_two_builds_and_stay_readable() {
    let t = TempDir::new("budget-scan");
    write_case(
        t.path(),
        &case_toml(&[
            ("letter-scan.pdf", "correspondence", "2025-09-01", "Scanned letter", ""),
            ("wound.jpg", "wound-photo", "2025-09-02", "Wound photo", ""),
        ]),
        &[("letter-scan.pdf", scan()), ("wound.jpg", fixtures::jpeg_plain(1600, 1200, 7))],
    );
    let (full, attempts) = build_counted(t.path(), "full.pdf", None);
    let full = full.unwrap();
    assert_eq!(attempts, 1);
    let budget = full.bytes / 2;
    let (small, attempts) = build_counted(t.path(), "small.pdf", Some(budget));
    let small = small.unwrap();
    assert!(small.bytes <= budget, "{} over the {budget} budget", small.bytes);
    assert_eq!(attempts, 2, "one build to measure, one at the estimated step");
    let pdf = t.join("small.pdf");
    qpdf_check(&pdf);
    // What was done is reported per exhibit, in the report and in words.
    let scans = small.shrunk.iter().find(|e| e.title == "Scanned letter").expect("the scan was shrunk");
    assert_eq!(scans.images, 1);
    assert!(scans.after < scans.before && scans.what.contains("1 scanned page downsampled (to at most"), "{scans:?}");
    assert!(small.shrunk.iter().any(|e| e.title == "Wound photo" && e.what.contains("1 photo")), "{:?}", small.shrunk);
    assert!(small.warnings.iter().any(|w| w.contains("Scanned letter") && w.contains("budget")), "{:?}", small.warnings);
    // The scan's images stay at the floor or above: 8.5 in across, at least 150 dpi.
    let widths: Vec<i64> = images(&pdf).iter().filter(|(_, f, _)| f == "DCTDecode").map(|i| i.0).collect();
    assert!(widths.iter().any(|w| *w >= (8.5 * 150.0) as i64 && *w < 2550), "{widths:?}");
    // The scanned page, rendered at a low resolution, is the page it was.
    let page = small.exhibits[0].first_page + 1;
    let (before, after) = (render(&t.join("full.pdf"), page, 50), render(&pdf, page, 50));
    let blank = image::RgbImage::from_pixel(before.width(), before.height(), image::Rgb([228, 228, 228]));
    let (changed, whole) = (mean_difference(&before, &after), mean_difference(&before, &blank));
    assert!(changed < 2.0 && changed * 5.0 < whole, "the rendering moved by {changed:.2} (the letter's ink is {whole:.2})");
    // And its words are still read where Tesseract is installed.
    if let Ok(o) = std::process::Command::new("tesseract").arg("--version").output() {
        if o.status.success() {
            // The letter's lines are in the page's top third.
            let png = t.join("page.png");
            let whole = render(&pdf, page, 150);
            image::imageops::crop_imm(&whole, 0, 0, whole.width(), whole.height() / 3).to_image().save(&png).unwrap();
            let o = std::process::Command::new("tesseract")
                .args([png.to_str().unwrap(), "-", "--psm", "6"])
                .env("OMP_THREAD_LIMIT", "1")
                .output()
                .unwrap();
            let text = stdout(&o);
            for word in ["oxygen", "Saturation", "Physician", "CCX-2025-0142"] {
                assert!(text.contains(word), "{word} is not read in:\n{text}");
            }
        }
    }
}

#[test]
fn the_same_case_and_budget_give_the_same_bytes() {
    let t = TempDir::new("budget-same");
    let scan = scan();
    // The scan alone must lose more than half its bytes.
    let budget = scan.len() as u64 / 2;
    write_case(t.path(), &case_toml(&[("scan.pdf", "correspondence", "2025-09-01", "Scan", "")]), &[("scan.pdf", scan)]);
    let one = build_counted(t.path(), "one.pdf", Some(budget)).0.unwrap();
    let two = build_counted(t.path(), "two.pdf", Some(budget)).0.unwrap();
    assert!(!one.shrunk.is_empty());
    assert_eq!(one.sha256, two.sha256);
}

/// A one-page PDF showing a lossless (Flate) RGB screenshot of `w` × `h` pixels across the page.
fn screenshot_pdf(w: u32, h: u32) -> (Vec<u8>, Vec<u8>) {
    use lopdf::{dictionary, Stream};
    let pixels: Vec<u8> = (0..w * h).flat_map(|i| [(i % w * 7) as u8, (i / w * 5) as u8, ((i % 13) * 19) as u8]).collect();
    let mut doc = Document::with_version("1.7");
    let mut image = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
        "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8 },
        pixels,
    );
    image.compress().unwrap();
    let data = image.content.clone();
    let image = doc.add_object(image);
    let content = doc.add_object(Stream::new(dictionary! {}, b"q 540 0 0 405 36 300 cm /Im1 Do Q".to_vec()));
    let page = dictionary! { "Type" => "Page", "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
    "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image } }, "Contents" => content };
    (one_page_pdf(doc, page), data)
}

#[test]
fn lossless_screenshots_and_vector_pages_are_kept_while_photos_shrink() {
    let t = TempDir::new("budget-lossless");
    let (portal, flate) = screenshot_pdf(600, 450);
    let photo = fixtures::jpeg_plain(1600, 1200, 7);
    let note = fixtures::text_pdf(&["Progress note: walked 40 feet with oxygen, saturation 86 percent."]);
    write_case(
        t.path(),
        &case_toml(&[
            ("portal.pdf", "other", "2025-09-01", "Portal page", ""),
            ("note.pdf", "progress-note", "2025-09-02", "Note", ""),
            ("screen.png", "other", "2025-09-03", "Screenshot", ""),
            ("photo.jpg", "wound-photo", "2025-09-04", "Photo", ""),
        ]),
        &[("portal.pdf", portal), ("note.pdf", note.clone()), ("screen.png", fixtures::png_rgb(800, 600)), ("photo.jpg", photo.clone())],
    );
    let full = build_counted(t.path(), "full.pdf", None).0.unwrap();
    // The photo alone must lose 60 % of its bytes.
    let budget = full.bytes - photo.len() as u64 * 6 / 10;
    let (small, attempts) = build_counted(t.path(), "small.pdf", Some(budget));
    let small = small.unwrap();
    assert!(small.bytes <= budget && attempts <= 2, "{} bytes in {attempts} builds", small.bytes);
    qpdf_check(&t.join("small.pdf"));
    assert_eq!(small.shrunk.iter().map(|e| e.title.as_str()).collect::<Vec<_>>(), ["Photo"], "only the photo is shrunk");
    let images = images(&t.join("small.pdf"));
    assert!(images.iter().any(|(w, f, d)| *w == 600 && f == "FlateDecode" && *d == flate), "the PDF's screenshot is the same bytes");
    let png = images.iter().find(|(w, _, _)| *w == 800).expect("the PNG screenshot");
    assert_eq!(png.1, "FlateDecode");
    let same: Vec<_> = crate::util::render(&t.join("full.pdf"), full.exhibits[2].first_page + 1, 72).into_raw();
    assert_eq!(same, render(&t.join("small.pdf"), small.exhibits[2].first_page + 1, 72).into_raw(), "the PNG's page is unchanged");
    assert!(images.iter().any(|(w, f, _)| *w < 1600 && f == "DCTDecode"), "the photo was downsampled: {images:?}");
    // The text page's content is written as it was.
    let doc = Document::load_mem(&note).unwrap();
    let packet = Document::load(t.join("small.pdf")).unwrap();
    let decoded = |s: &lopdf::Stream| s.decompressed_content().unwrap_or_else(|_| s.content.clone());
    for id in doc.get_page_contents(*doc.get_pages().values().next().unwrap()) {
        let content = decoded(doc.get_object(id).unwrap().as_stream().unwrap());
        assert!(content.len() > 20);
        let found = packet.objects.values().any(|o| matches!(o, Object::Stream(s) if decoded(s) == content));
        assert!(found, "the note's content stream is in the packet unchanged");
    }
}

#[test]
fn a_budget_below_the_readable_floor_fails_at_once_naming_the_size_there() {
    let t = TempDir::new("budget-floor");
    write_case(
        t.path(),
        &case_toml(&[("letter-scan.pdf", "correspondence", "2025-09-01", "Scanned letter", "")]),
        &[("letter-scan.pdf", scan())],
    );
    let (r, attempts) = build_counted(t.path(), "small.pdf", Some(20_000));
    let e = r.unwrap_err().to_string();
    assert!(e.contains("cannot fit in 20 KB") && e.contains("at the readable floor") && e.contains("150 dpi"), "{e}");
    let about: String = e.split("still be about ").nth(1).unwrap().chars().take_while(|c| *c != ';').collect();
    let at_floor = redress::size::parse_size(&about).unwrap_or_else(|| panic!("{about}"));
    assert!(at_floor > 30_000, "{e}");
    assert_eq!(attempts, 1, "the estimate says so without building again");
    assert!(!t.join("small.pdf").exists());
}

/// One page of 3 × 2 in showing `image` over all of it.
fn image_page(doc: &mut Document, pages: lopdf::ObjectId, image: lopdf::Stream) -> lopdf::ObjectId {
    use lopdf::{dictionary, Stream};
    let image = doc.add_object(image);
    let content = doc.add_object(Stream::new(dictionary! {}, b"q 216 0 0 144 0 0 cm /Im1 Do Q".to_vec()));
    doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages, "MediaBox" => vec![0.into(), 0.into(), 216.into(), 144.into()],
    "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image } }, "Contents" => content })
}

/// A PDF whose pages show images a budget must shrink right or leave alone: a grey JPEG read
/// inverted (`/Decode [1 0]`), a CMYK JPEG, a palette image, an image with a soft mask, and a
/// colour JPEG; each 900 × 600 pixels (300 dpi), with the streams of those left alone.
fn awkward_images() -> (Vec<u8>, Vec<Vec<u8>>) {
    use lopdf::{dictionary, Object, Stream};
    let (w, h) = (900u32, 600u32);
    let level = |x: u32, y: u32| -> u8 {
        if (x / 30 + y / 45).is_multiple_of(3) {
            30
        } else {
            (120 + (x + y) / 12 % 120) as u8
        }
    };
    let grey = image::DynamicImage::ImageLuma8(image::GrayImage::from_fn(w, h, |x, y| image::Luma([level(x, y)])));
    let colour = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| image::Rgb([level(x, y), (y / 3 % 256) as u8, 90])));
    let jpeg = |img: &image::DynamicImage, grey: bool| redress::import::image::encode_jpeg(img, grey, 92).unwrap();
    let cmyk: Vec<u8> = (0..w * h).flat_map(|i| [(i % w / 4) as u8, 40, (i / w / 3) as u8, 10]).collect();
    let mut cmyk_jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut cmyk_jpeg, 92).encode(&cmyk, w as u16, h as u16, jpeg_encoder::ColorType::Cmyk).unwrap();
    let flate = |data: &[u8]| {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    };
    let dict = |space: Object, filter: &str| {
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
        "ColorSpace" => space, "BitsPerComponent" => 8, "Filter" => Object::Name(filter.as_bytes().to_vec()) }
    };
    let mut doc = Document::with_version("1.7");
    let pages = doc.new_object_id();
    let mut inverted = dict("DeviceGray".into(), "DCTDecode");
    inverted.set("Decode", vec![1.into(), 0.into()]);
    let palette: Vec<u8> = (0..=255u8).flat_map(|i| [i, 255 - i, i / 2]).collect();
    let indexed =
        Object::Array(vec!["Indexed".into(), "DeviceRGB".into(), 255.into(), Object::String(palette, lopdf::StringFormat::Hexadecimal)]);
    let mask = doc.add_object(Stream::new(dict("DeviceGray".into(), "FlateDecode"), flate(grey.as_bytes())));
    let mut masked = dict("DeviceRGB".into(), "FlateDecode");
    masked.set("SMask", mask);
    let indices: Vec<u8> = grey.as_bytes().iter().map(|v| 255 - v).collect();
    let kept = vec![cmyk_jpeg.clone(), flate(&indices), flate(colour.as_bytes())];
    let images = [
        Stream::new(inverted, jpeg(&grey, true)),
        Stream::new(dict("DeviceCMYK".into(), "DCTDecode"), cmyk_jpeg),
        Stream::new(dict(indexed, "FlateDecode"), kept[1].clone()),
        Stream::new(masked, kept[2].clone()),
        Stream::new(dict("DeviceRGB".into(), "DCTDecode"), jpeg(&colour, false)),
    ];
    let kids: Vec<Object> = images.into_iter().map(|i| image_page(&mut doc, pages, i).into()).collect();
    doc.objects.insert(pages, Object::Dictionary(dictionary! { "Type" => "Pages", "Count" => kids.len() as i64, "Kids" => kids }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    (bytes, kept)
}

#[test]
fn awkward_images_are_shrunk_right_or_left_as_they_are() {
    let t = TempDir::new("budget-awkward");
    let (pdf, kept) = awkward_images();
    write_case(t.path(), &case_toml(&[("images.pdf", "other", "2025-09-01", "Images", "")]), &[("images.pdf", pdf)]);
    let full = build_counted(t.path(), "full.pdf", None).0.unwrap();
    let (small, _) = build_counted(t.path(), "small.pdf", Some(full.bytes * 8 / 10));
    let small = small.unwrap();
    qpdf_check(&t.join("small.pdf"));
    let shrunk = &small.shrunk[0];
    assert_eq!(shrunk.images, 2, "the inverted grey JPEG and the colour JPEG: {shrunk:?}");
    let packet = images(&t.join("small.pdf"));
    for data in &kept {
        assert!(packet.iter().any(|(_, _, d)| d == data), "an image a JPEG cannot stand in for is the same bytes");
    }
    // Every page looks as it did.
    let first = small.exhibits[0].first_page + 1;
    for page in first..first + 5 {
        let (before, after) = (render(&t.join("full.pdf"), page, 40), render(&t.join("small.pdf"), page, 40));
        let changed = mean_difference(&before, &after);
        assert!(changed < 3.0, "page {page} moved by {changed:.2}");
    }
}

/// A case of three scanned letters and a photo.
fn letters_case(t: &TempDir) {
    write_case(
        t.path(),
        &case_toml(&[
            ("a-scan.pdf", "correspondence", "2025-09-01", "Scanned letter", ""),
            ("b-scan.pdf", "correspondence", "2025-09-02", "Second letter", ""),
            ("c-scan.pdf", "correspondence", "2025-09-03", "Third letter", ""),
            ("wound.jpg", "wound-photo", "2025-09-04", "Wound photo", ""),
        ]),
        &[("a-scan.pdf", scan()), ("b-scan.pdf", scan()), ("c-scan.pdf", scan()), ("wound.jpg", fixtures::jpeg_plain(1600, 1200, 7))],
    );
}

#[test]
fn the_estimate_the_app_shows_takes_the_scans_shrunk_under_a_budget_and_a_fax_as_faxed() {
    let t = TempDir::new("budget-estimate");
    letters_case(&t);
    let folder = redress::casefile::load(t.path()).unwrap();
    let full = build_counted(t.path(), "full.pdf", None).0.unwrap();
    let now = chrono::NaiveDate::from_ymd_opt(2025, 9, 20).unwrap().and_hms_opt(9, 0, 0).unwrap();
    let opts = |max: u64, fax: bool| BuildOptions {
        out: Some(t.join("x.pdf")),
        max_bytes: Some(max),
        fax,
        ..BuildOptions::new(now, now.and_utc(), chrono_tz::America::Chicago)
    };
    // Scans over the budget as they are, in one file once shrunk; before any build the app's
    // dialog says so (counting the scans as they are, it said several volumes), and about how
    // big. So for a fax, which makes every page a 1-bit picture.
    for (max, fax) in [(full.bytes / 2, false), (full.bytes / 4, false), (full.bytes / 8, true)] {
        let estimate = redress::packet::estimate(&folder, &opts(max, fax)).unwrap();
        let built = build(&folder, &opts(max, fax)).unwrap();
        assert_eq!(built.volumes.len().max(1), 1, "{max} bytes, fax {fax}");
        // A fax's pages are counted at what a page of its kind takes, erring toward one more.
        let volumes = if fax { 1..=2 } else { 1..=1 };
        assert!(volumes.contains(&estimate.volumes), "{max} bytes, fax {fax}: {estimate:?}");
        let near = estimate.bytes as f64 / built.bytes as f64;
        assert!((0.4..2.5).contains(&near), "{max} bytes, fax {fax}: estimated {} for {}", estimate.bytes, built.bytes);
    }
}

#[test]
fn a_scan_stored_with_a_png_predictor_is_made_smaller() {
    let t = TempDir::new("budget-png-predictor");
    // What img2pdf makes of a PNG scan: Flate behind a PNG predictor, 1700 × 2200 pixels.
    let scan = png_scan(200.0);
    let stored = scan.content.clone();
    let pdf = letter_page_pdf(scan);
    write_case(t.path(), &case_toml(&[("scan.pdf", "correspondence", "2025-09-01", "PNG scan", "")]), &[("scan.pdf", pdf)]);
    let full = build_counted(t.path(), "full.pdf", None).0.unwrap();
    let budget = full.bytes - stored.len() as u64 / 2;
    let small = build_counted(t.path(), "small.pdf", Some(budget)).0.unwrap_or_else(|e| panic!("{e}"));
    assert!(small.bytes <= budget, "{} over the {budget} budget", small.bytes);
    qpdf_check(&t.join("small.pdf"));
    let shrunk = small.shrunk.iter().find(|e| e.title == "PNG scan").unwrap_or_else(|| panic!("the scan was shrunk: {:?}", small.shrunk));
    assert!(shrunk.after < shrunk.before && shrunk.before == stored.len() as u64, "{shrunk:?}");
    let packet = images(&t.join("small.pdf"));
    // Smaller in bytes; a lossless scan keeps at least 200 dpi, so it may stay 1700 pixels wide
    // as a JPEG.
    assert!(packet.iter().all(|(w, _, d)| *w <= 1700 && d.len() < stored.len()), "the scan's image is smaller");
    // The page still reads as it did.
    let page = small.exhibits[0].first_page + 1;
    let (before, after) = (render(&t.join("full.pdf"), page, 50), render(&t.join("small.pdf"), page, 50));
    assert!(mean_difference(&before, &after) < 3.0);
}

/// A grainy letter scan at `dpi` as img2pdf stores a PNG.
fn png_scan(dpi: f64) -> lopdf::Stream {
    png_predictor_image(&letter_scan(&SCAN_LINES, dpi, true))
}

#[test]
fn a_budget_no_step_can_meet_names_the_scans_left_at_full_size_and_why() {
    use lopdf::{dictionary, Stream};
    let t = TempDir::new("budget-jpx");
    // A JPEG 2000 page (its data is never decoded: 300 KB that no step touches).
    let mut rng = Rng::new(7);
    let data: Vec<u8> = (0..300_000).map(|_| rng.next_u64() as u8).collect();
    let jpx = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1700, "Height" => 2200, "ColorSpace" => "DeviceGray",
        "BitsPerComponent" => 8, "Filter" => "JPXDecode" },
        data,
    );
    write_case(
        t.path(),
        &case_toml(&[("jpx-scan.pdf", "correspondence", "2025-09-01", "JPEG 2000 scan", "")]),
        &[("jpx-scan.pdf", letter_page_pdf(jpx))],
    );
    let (r, _) = build_counted(t.path(), "small.pdf", Some(150_000));
    let e = r.unwrap_err().to_string();
    assert!(e.contains("cannot fit in 150 KB"), "{e}");
    assert!(
        e.contains("exhibit 1 (jpx-scan.pdf): 1 scanned page stored as JPEG 2000, an encoding Redress cannot make smaller (300 KB)"),
        "{e}"
    );
}

/// The lines of the screenshot's text, each with a word Tesseract can find.
const SCREEN_LINES: [&str; 3] =
    ["Claim status: PENDING since 2026-11-09", "Reference LAP-UM-2026-041773", "Prior authorization request received"];

/// A 2560 × 1600 screenshot as a Mac saves one (RGBA, every pixel opaque): a grainy picture on
/// the left half, lines of 16-pixel text on white on the right, the same bytes on every run.
fn screenshot_png() -> Vec<u8> {
    let (w, h) = (2560u32, 1600u32);
    let mut text = image::GrayImage::from_pixel(w / 2, h, image::Luma([255]));
    for (i, line) in SCREEN_LINES.iter().cycle().take(60).enumerate() {
        fixtures::draw_line(&mut text, 40.0, 60.0 + 24.0 * i as f32, 16.0, 20, line);
    }
    let grain = |x: u32, y: u32| (x.wrapping_mul(0x9E37_79B1) ^ y.wrapping_mul(0x85EB_CA77)).wrapping_mul(0x2C1B_3C6D) >> 27;
    let img = image::RgbaImage::from_fn(w, h, |x, y| match x.checked_sub(w / 2) {
        Some(tx) => {
            let v = text.get_pixel(tx, y).0[0];
            image::Rgba([v, v, v, 255])
        }
        None => {
            let n = (grain(x, y) >> 2) as u8;
            image::Rgba([(40 + x / 8) as u8 + n, (60 + y / 10) as u8 + n, 150u8.wrapping_sub((x / 12) as u8) / 2 + n, 255])
        }
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(img).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    png
}

/// The packet's images of at least 100 pixels across: width, filter.
fn large_images(pdf: &std::path::Path) -> Vec<(i64, String)> {
    images(pdf).into_iter().filter(|(w, _, _)| *w >= 100).map(|(w, f, _)| (w, f)).collect()
}

/// What Tesseract reads in the top lines of the text half of the widest image of `pdf`
/// (taken out as stored by poppler's `pdfimages`, enlarged twice), or `None` where Tesseract
/// is not installed.
fn screenshot_text(pdf: &std::path::Path) -> Option<String> {
    let installed = std::process::Command::new("tesseract").arg("--version").output().is_ok_and(|o| o.status.success());
    if !installed {
        return None;
    }
    let prefix = pdf.with_file_name("taken");
    let o = std::process::Command::new("pdfimages").args(["-png", pdf.to_str().unwrap(), prefix.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "pdfimages failed: {}", stderr(&o));
    let dir = pdf.parent().unwrap();
    let taken: Vec<image::RgbImage> = names(dir)
        .iter()
        .filter(|n| n.starts_with("taken-"))
        .map(|n| {
            let img = image::open(dir.join(n)).unwrap().to_rgb8();
            std::fs::remove_file(dir.join(n)).unwrap();
            img
        })
        .collect();
    let widest = taken.into_iter().max_by_key(|i| i.width()).unwrap();
    let (w, h) = (widest.width() / 2, widest.height() / 8);
    let lines = image::imageops::crop_imm(&widest, widest.width() / 2, 0, w, h).to_image();
    let png = dir.join("lines.png");
    image::imageops::resize(&lines, w * 2, h * 2, image::imageops::FilterType::Triangle).save(&png).unwrap();
    let o = std::process::Command::new("tesseract")
        .args([png.to_str().unwrap(), "-", "--psm", "6"])
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .unwrap();
    Some(stdout(&o))
}

#[test]
fn a_large_screenshot_a_little_over_the_budget_is_downsampled_losslessly_and_its_text_still_reads() {
    let t = TempDir::new("budget-screenshot");
    write_case(t.path(), &case_toml(&[("shot.png", "screenshot", "2025-09-01", "Portal status", "")]), &[("shot.png", screenshot_png())]);
    let full = build_counted(t.path(), "full.pdf", None).0.unwrap();
    // 14 % over: a lossless downsample fits, with room to spare; never the floor's 700 pixels.
    let budget = full.bytes * 88 / 100;
    let (small, attempts) = build_counted(t.path(), "small.pdf", Some(budget));
    let small = small.unwrap();
    let pdf = t.join("small.pdf");
    assert!(small.bytes <= budget && attempts <= 3, "{} bytes in {attempts} builds", small.bytes);
    assert!(small.bytes > budget / 3, "{} bytes: far more shrunk than the {budget} budget needs", small.bytes);
    qpdf_check(&pdf);
    let found = large_images(&pdf);
    assert!(matches!(found.as_slice(), [(w, f)] if *w >= 1600 && *w < 2560 && f == "FlateDecode"), "{found:?}");
    let what = &small.shrunk[0].what;
    assert!(what.starts_with("1 PNG image downsampled (to at most ") && what.ends_with("pixels), kept lossless"), "{what}");
    assert!(small.warnings.iter().any(|w| w.contains(what.as_str())) && !what.contains("photo"), "{:?}", small.warnings);
    if let Some(text) = screenshot_text(&pdf) {
        for word in ["PENDING", "LAP-UM-2026-041773"] {
            assert!(text.contains(word), "{word} is not read in:\n{text}");
        }
    }
    // Under what its lossless floor takes: a JPEG, at a good quality and still large.
    let budget = full.bytes / 7;
    let (small, _) = build_counted(t.path(), "small.pdf", Some(budget));
    let small = small.unwrap();
    assert!(small.bytes <= budget, "{} over {budget}", small.bytes);
    let found = large_images(&pdf);
    assert!(matches!(found.as_slice(), [(w, f)] if *w >= 1600 && f == "DCTDecode"), "{found:?}");
    let what = &small.shrunk[0].what;
    let quality: u8 = what.rsplit("quality ").next().and_then(|q| q.parse().ok()).unwrap_or_else(|| panic!("{what}"));
    assert!(what.starts_with("1 PNG image ") && what.matches("quality").count() == 1 && quality >= 75, "{what}");
    if let Some(text) = screenshot_text(&pdf) {
        assert!(text.contains("LAP-UM-2026-041773"), "not read in:\n{text}");
    }
}

#[test]
fn a_photo_beside_a_large_screenshot_shrinks_while_the_screenshot_stays_lossless() {
    let t = TempDir::new("budget-screenshot-photo");
    let photo = fixtures::jpeg_plain(4000, 3000, 7);
    write_case(
        t.path(),
        &case_toml(&[
            ("shot.png", "screenshot", "2025-09-01", "Portal status", ""),
            ("wound.jpg", "wound-photo", "2025-09-02", "Wound photo", ""),
        ]),
        &[("shot.png", screenshot_png()), ("wound.jpg", photo)],
    );
    let full = build_counted(t.path(), "full.pdf", None).0.unwrap();
    let budget = full.bytes * 6 / 10;
    let (small, _) = build_counted(t.path(), "small.pdf", Some(budget));
    let small = small.unwrap();
    assert!(small.bytes <= budget, "{} over {budget}", small.bytes);
    let found = large_images(&t.join("small.pdf"));
    assert!(found.iter().any(|(w, f)| *w >= 1600 && *w <= 2560 && f == "FlateDecode"), "the screenshot stays lossless: {found:?}");
    assert!(found.iter().any(|(w, f)| *w >= 1400 && *w < 4000 && f == "DCTDecode"), "the photo is downsampled, not crushed: {found:?}");
    let words: Vec<&str> = small.shrunk.iter().map(|e| e.what.as_str()).collect();
    assert!(words.iter().any(|w| w.starts_with("1 photo downsampled")) && !words.iter().any(|w| w.contains("PNG image made")), "{words:?}");
}
