//! Photos: upright whatever their EXIF orientation, stripped of metadata, JPEG bytes copied.

use crate::util::*;
use redress::demo::fixtures;

/// Finds the photo on a rendered page (the non-white area above the stamp band) and checks
/// that it shows the marked picture upright: red top half, blue bottom half, green square
/// at the top left.
fn assert_upright(img: &image::RgbImage, what: &str) {
    let band = (img.height() as f64 * 0.12) as u32;
    let (mut x0, mut x1, mut y0, mut y1) = (u32::MAX, 0, u32::MAX, 0);
    for y in 0..img.height() - band {
        for x in 0..img.width() {
            let p = img.get_pixel(x, y);
            let saturated = p.0.iter().max().unwrap() - p.0.iter().min().unwrap() > 150;
            if saturated {
                x0 = x0.min(x);
                x1 = x1.max(x);
                y0 = y0.min(y);
                y1 = y1.max(y);
            }
        }
    }
    assert!(x1 > x0 + 20 && y1 > y0 + 20, "{what}: photo not found");
    let (w, h) = ((x1 - x0) as f64, (y1 - y0) as f64);
    assert!(w > h, "{what}: the upright picture is landscape (400 x 300), found {w} x {h}");
    let at = |fx: f64, fy: f64| *img.get_pixel(x0 + (w * fx) as u32, y0 + (h * fy) as u32);
    let red = |p: image::Rgb<u8>| p[0] > 180 && p[1] < 90 && p[2] < 90;
    let blue = |p: image::Rgb<u8>| p[2] > 180 && p[0] < 90 && p[1] < 90;
    let green = |p: image::Rgb<u8>| p[1] > 180 && p[0] < 90 && p[2] < 90;
    assert!(red(at(0.75, 0.25)), "{what}: top right should be red, is {:?}", at(0.75, 0.25));
    assert!(blue(at(0.5, 0.8)), "{what}: bottom should be blue, is {:?}", at(0.5, 0.8));
    assert!(green(at(0.05, 0.07)), "{what}: top-left corner should be green, is {:?}", at(0.05, 0.07));
    assert!(!green(at(0.95, 0.07)), "{what}: the picture is mirrored");
}

#[test]
fn photos_with_every_exif_orientation_stand_upright() {
    let t = TempDir::new("orient");
    let mut exhibits = Vec::new();
    let mut docs = Vec::new();
    let names: Vec<String> = (1..=8).map(|o| format!("photo-{o}.jpg")).collect();
    for (o, name) in (1..=8u16).zip(&names) {
        docs.push((name.as_str(), fixtures::jpeg_upright_marked(o, true)));
    }
    for (o, name) in names.iter().enumerate() {
        exhibits.push((
            name.as_str(),
            "wound-photo",
            "2025-09-01",
            "Photo",
            if o == 5 { "caption = \"Left heel, 3.1 x 2.0 cm\"" } else { "" },
        ));
    }
    write_case(t.path(), &case_toml(&exhibits), &docs);
    let r = build_json(t.path());
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    let texts = page_texts(&pdf);
    for (n, e) in r["exhibits"].as_array().unwrap().iter().enumerate() {
        assert_eq!(e["pages"], 2, "separator and one photo page");
        let page = e["first_page"].as_u64().unwrap() as usize + 1;
        assert_upright(&render(&pdf, page, 30), &format!("orientation {}", n + 1));
        assert!(texts[page - 1].contains(&format!("Exhibit {} · 2025-09-01 · Photo", n + 1)), "caption on page {page}");
    }
    assert!(texts.iter().any(|t| t.contains("Left heel, 3.1 x 2.0 cm")));
}

#[test]
fn photo_metadata_is_gone_and_jpeg_bytes_are_copied_unchanged() {
    let t = TempDir::new("exif");
    let jpeg = fixtures::jpeg_upright_marked(6, true);
    write_case(t.path(), &case_toml(&[("p.jpg", "wound-photo", "2025-09-01", "Photo", "")]), &[("p.jpg", jpeg.clone())]);
    build_json(t.path());
    let packet = std::fs::read(t.join("packet.pdf")).unwrap();
    let has = |needle: &[u8]| packet.windows(needle.len()).any(|w| w == needle);
    assert!(!has(fixtures::PHOTO_SERIAL.as_bytes()), "camera serial leaked");
    for needle in
        [&b"Exif\0\0"[..], fixtures::PHOTO_COMMENT.as_bytes(), fixtures::XMP_NAMESPACE.as_bytes(), fixtures::PHOTO_MAKE.as_bytes(), b"GPS"]
    {
        assert!(!has(needle), "{:?} found in the packet", String::from_utf8_lossy(needle));
    }
    // The image stream is the JPEG with its metadata segments removed, byte for byte: the
    // scan data from SOS to EOI appears unchanged.
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    assert!(has(&jpeg[sos..]), "the JPEG's compressed scan is not in the packet unchanged");
    let stripped = redress::import::image::strip_jpeg_metadata(&jpeg).unwrap();
    assert!(has(&stripped), "the stripped JPEG is embedded as it is");
}

#[test]
fn png_tiff_and_transparent_images_are_embedded() {
    let t = TempDir::new("png");
    write_case(
        t.path(),
        &case_toml(&[
            ("a.png", "wound-photo", "2025-09-01", "RGB PNG", ""),
            ("b.png", "wound-photo", "2025-09-02", "RGBA PNG", ""),
            ("c.png", "wound-photo", "2025-09-03", "16-bit PNG", ""),
            ("d.png", "wound-photo", "2025-09-04", "Palette PNG", ""),
            ("e.tiff", "wound-photo", "2025-09-05", "TIFF", ""),
        ]),
        &[
            ("a.png", fixtures::png_rgb(300, 200)),
            ("b.png", fixtures::png_rgba(300, 200)),
            ("c.png", fixtures::png_gray16(300, 200)),
            ("d.png", fixtures::png_palette(300, 200)),
            ("e.tiff", fixtures::tiff_rgb(300, 200)),
        ],
    );
    let r = build_json(t.path());
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    assert_eq!(r["exhibits"].as_array().unwrap().len(), 5);
    let list = stdout(&tool("pdfimages", &["-list", pdf.to_str().unwrap()]));
    assert!(list.lines().filter(|l| l.contains(" 300 ") && l.contains(" 200 ")).count() >= 5, "{list}");
    assert!(list.contains("smask"), "the RGBA PNG keeps its transparency as a soft mask:\n{list}");
}

/// A grey TIFF of one page per width, each page 60 pixels high, as a scanner or fax writes
/// several pages into one file.
fn tiff_pages(widths: &[u32]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut tiff = tiff::encoder::TiffEncoder::new(&mut out).unwrap();
    for w in widths {
        let pixels: Vec<u8> = (0..w * 60).map(|i| (i % 251) as u8).collect();
        tiff.write_image::<tiff::encoder::colortype::Gray8>(*w, 60, &pixels).unwrap();
    }
    out.into_inner()
}

/// The widths of the images the packet's pages show, in page order.
fn image_widths(pdf: &std::path::Path) -> Vec<u32> {
    let list = stdout(&tool("pdfimages", &["-list", pdf.to_str().unwrap()]));
    list.lines().skip(2).filter_map(|l| l.split_whitespace().nth(3)?.parse().ok()).collect()
}

#[test]
fn a_page_selection_takes_the_pages_of_a_multi_page_tiff_as_of_a_pdf() {
    let t = TempDir::new("tiffpages");
    write_case(
        t.path(),
        &case_toml(&[
            ("fax.tiff", "correspondence", "2025-09-01", "Fax, pages 3 and 1", "pages = \"3,1\""),
            ("fax.tif", "correspondence", "2025-09-02", "Fax, first two pages", "pages = \"1-2\""),
        ]),
        &[("fax.tiff", tiff_pages(&[110, 220, 330])), ("fax.tif", tiff_pages(&[110, 220, 330]))],
    );
    let r = build_json(t.path());
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    assert_eq!(r["exhibits"][0]["pages"], 3, "its separator and the two pages selected");
    assert_eq!(r["exhibits"][1]["pages"], 3);
    assert_eq!(image_widths(&pdf), [330, 110, 110, 220], "the pages selected, in the order given");
    let c = redress(t.path(), &["check", "."]);
    ok(&c);
}

/// A one-page PDF whose page is a phone photo (with its EXIF, GPS and serial) as a DCT image,
/// as scanner apps write them.
fn pdf_with_phone_jpeg(jpeg: &[u8]) -> Vec<u8> {
    use lopdf::{dictionary, Document, Stream};
    let mut doc = Document::with_version("1.7");
    let img = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 400, "Height" => 300, "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "DCTDecode" },
        jpeg.to_vec(),
    ));
    let content = doc.add_object(Stream::new(dictionary! {}, b"q 400 0 0 300 100 300 cm /Im0 Do Q".to_vec()));
    let page = dictionary! { "Type" => "Page", "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()], "Contents" => content, "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => img } } };
    one_page_pdf(doc, page)
}

#[test]
fn a_phone_photo_inside_an_exhibit_pdf_loses_its_metadata_too() {
    let t = TempDir::new("pdfexif");
    let jpeg = fixtures::jpeg_upright_marked(1, true);
    write_case(
        t.path(),
        &case_toml(&[("scan.pdf", "progress-note", "2025-09-01", "Scanner app PDF", "")]),
        &[("scan.pdf", pdf_with_phone_jpeg(&jpeg))],
    );
    build_json(t.path());
    let packet = std::fs::read(t.join("packet.pdf")).unwrap();
    let has = |needle: &[u8]| packet.windows(needle.len()).any(|w| w == needle);
    assert!(!has(fixtures::PHOTO_SERIAL.as_bytes()), "camera serial leaked from an exhibit PDF");
    assert!(!has(b"Exif\0\0"));
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    assert!(has(&jpeg[sos..]), "the compressed image is copied unchanged");
    qpdf_check(&t.join("packet.pdf"));
}

#[test]
fn heic_photos_stand_upright_turned_once_and_carry_no_metadata() {
    // Each file stores the marked picture turned as a phone held sideways or upside down does,
    // says so in its own rotation (which libheif applies) and again in its EXIF orientation:
    // turned twice, 6 and 8 would lie on their side and 3 would stand on its head.
    let t = TempDir::new("heic");
    let turns = [1u16, 3, 6, 8];
    let names: Vec<String> = turns.iter().map(|o| format!("IMG_000{o}.HEIC")).collect();
    let docs: Vec<(&str, Vec<u8>)> = turns.iter().zip(&names).map(|(&o, n)| (n.as_str(), fixtures::heic_upright_marked(o, true))).collect();
    let exhibits: Vec<_> = names.iter().map(|n| (n.as_str(), "wound-photo", "2025-09-01", "Photo", "")).collect();
    write_case(t.path(), &case_toml(&exhibits), &docs);
    let r = build_json(t.path());
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    for (n, e) in r["exhibits"].as_array().unwrap().iter().enumerate() {
        assert_eq!(e["pages"], 2, "separator and one photo page");
        let page = e["first_page"].as_u64().unwrap() as usize + 1;
        assert_upright(&render(&pdf, page, 30), &format!("HEIC with orientation {}", turns[n]));
    }
    let packet = std::fs::read(&pdf).unwrap();
    let has = |needle: &[u8]| packet.windows(needle.len()).any(|w| w == needle);
    for needle in [&b"Exif"[..], fixtures::PHOTO_SERIAL.as_bytes(), fixtures::PHOTO_MAKE.as_bytes(), b"GPS"] {
        assert!(!has(needle), "{:?} found in the packet", String::from_utf8_lossy(needle));
    }
}

#[test]
fn a_heic_photo_suggests_the_day_it_was_taken() {
    let heic = fixtures::heic_upright_marked(6, false);
    let taken = redress::import::image::exif_date(&heic).expect("the EXIF date is read");
    assert_eq!(taken.format("%Y:%m:%d %H:%M:%S").to_string(), fixtures::PHOTO_TAKEN);
}

#[test]
fn a_heic_photo_shrinks_under_a_size_budget_like_a_jpeg() {
    let t = TempDir::new("heic-budget");
    let heic = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/ianare+exif-samples/heic/samplefilehub.heif")).unwrap();
    write_case(t.path(), &case_toml(&[("photo.heif", "wound-photo", "2025-09-01", "Photo", "")]), &[("photo.heif", heic)]);
    let full = build_json(t.path())["bytes"].as_u64().unwrap();
    // The 640 × 426 photo is stored as a JPEG of about 55 KB: the budget takes half of that.
    let budget = full - 27_000;
    let o = redress(t.path(), &["build", ".", "--json", "--out", "small.pdf", "--max-bytes", &budget.to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(r["bytes"].as_u64().unwrap() <= budget, "{} > {budget}", r["bytes"]);
    assert!(
        r["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("1 photo recompressed")),
        "the build says what it did"
    );
    qpdf_check(&t.join("small.pdf"));
}
