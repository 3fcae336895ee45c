//! Fax mode: the demo case plus a colour scanned PDF (a colour picture, a highlighter band
//! under text, a shading, transparency, an inline image, a spot colour, a highlight and a
//! coloured annotation) and a colour photo, built with `fax`. Every page renders to pure black
//! and white, every image is a 1-bit CCITT picture, every numbered page's stamp is still text,
//! the cover sheet names the recipient and the pages sent, and the highlighted page is warned
//! of.

use crate::util::*;
use lopdf::{dictionary, Document, Object, Stream};
use std::path::Path;

/// A letter page scanned in colour: white paper, dark blue lines of "text" and a yellow
/// highlighter band, as an RGB picture; drawn over it, real text on a yellow band, an orange
/// rule, a shading, half-transparent ink, a spot colour, an inline RGB image and a logo with a
/// soft mask; a highlight annotation and a red square without appearances.
fn colour_scan() -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let (w, h) = (850u32, 1100u32);
    let mut scan = image::RgbImage::from_pixel(w, h, image::Rgb([250, 248, 240]));
    for line in 0..12u32 {
        let y = 300 + line * 40;
        let colour = if line == 4 { [255, 240, 60] } else { [250, 248, 240] };
        for yy in y - 6..y + 22 {
            for x in 80..760 {
                scan.put_pixel(x, yy, image::Rgb(colour));
            }
        }
        for yy in y..y + 14 {
            for x in (90..700).filter(|x| x % 23 < 17) {
                scan.put_pixel(x, yy, image::Rgb([20, 30, 110]));
            }
        }
    }
    let scan = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
        "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "FlateDecode" },
        deflate(scan.as_raw()),
    ));
    let alpha: Vec<u8> = (0..64 * 64).map(|i| ((i % 64) * 4) as u8).collect();
    let smask = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 64, "Height" => 64,
        "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "FlateDecode" },
        deflate(&alpha),
    ));
    let logo = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 64, "Height" => 64,
        "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "FlateDecode", "SMask" => smask },
        deflate(&[200, 20, 20].repeat(64 * 64)),
    ));
    let tint = Object::Array(vec![
        "Separation".into(),
        "Spot".into(),
        "DeviceRGB".into(),
        Object::Dictionary(dictionary! { "FunctionType" => 2, "Domain" => vec![0.into(), 1.into()],
        "C0" => vec![1.into(), 1.into(), 1.into()], "C1" => vec![0.into(), 0.5.into(), 0.into()], "N" => 1 }),
    ]);
    let shading = dictionary! { "ShadingType" => 2, "ColorSpace" => "DeviceRGB",
    "Coords" => vec![0.into(), 0.into(), 200.into(), 0.into()],
    "Function" => dictionary! { "FunctionType" => 2, "Domain" => vec![0.into(), 1.into()],
        "C0" => vec![0.1.into(), 0.1.into(), 0.5.into()], "C1" => vec![0.2.into(), 0.2.into(), 0.6.into()], "N" => 1 } };
    let inline: String = (0..16).map(|i| if i % 2 == 0 { "\u{c8}\u{14}\u{14}" } else { "\u{f0}\u{f0}\u{f0}" }).collect();
    let inline: Vec<u8> = inline.chars().map(|c| c as u8).collect();
    let mut content = b"q 612 0 0 792 0 0 cm /Scan Do Q\n\
        1 1 0 rg 72 650 300 20 re f 0 0 0.6 rg BT /F1 12 Tf 76 656 Td (Highlighted finding: SpO2 84 percent) Tj ET\n\
        1 0.5 0 RG 2 w 72 630 m 400 630 l S\n\
        q /Half gs 0.2 0.6 0.2 rg BT /F1 12 Tf 76 610 Td (Half-transparent green words) Tj ET Q\n\
        q 300 540 200 40 re W n /Sh1 sh Q\n\
        /CS0 cs 0.8 scn 72 540 100 30 re f\n\
        q 40 0 0 40 450 640 cm /Logo Do Q\n\
        q 30 0 0 30 520 640 cm BI /W 4 /H 4 /CS /RGB /BPC 8 ID "
        .to_vec();
    content.extend_from_slice(&inline);
    content.extend_from_slice(b"\nEI Q\n");
    let content = doc.add_object(Stream::new(dictionary! {}, content));
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let half = doc.add_object(dictionary! { "Type" => "ExtGState", "ca" => 0.5, "CA" => 0.5 });
    let highlight = doc.add_object(dictionary! { "Type" => "Annot", "Subtype" => "Highlight",
    "Rect" => vec![72.into(), 650.into(), 372.into(), 670.into()], "C" => vec![1.into(), 1.into(), 0.into()],
    "QuadPoints" => vec![72.into(), 670.into(), 372.into(), 670.into(), 72.into(), 650.into(), 372.into(), 650.into()] });
    let square = doc.add_object(dictionary! { "Type" => "Annot", "Subtype" => "Square",
    "Rect" => vec![420.into(), 520.into(), 520.into(), 600.into()], "C" => vec![1.into(), 0.into(), 0.into()], "F" => 4 });
    let page = dictionary! {
        "Type" => "Page",
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        "Contents" => content,
        "Resources" => dictionary! {
            "Font" => dictionary! { "F1" => font },
            "XObject" => dictionary! { "Scan" => scan, "Logo" => logo },
            "ExtGState" => dictionary! { "Half" => half },
            "ColorSpace" => dictionary! { "CS0" => tint },
            "Shading" => dictionary! { "Sh1" => shading },
        },
        "Annots" => vec![highlight.into(), square.into()],
    };
    one_page_pdf(doc, page)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// The demo case with the colour scan and a colour photo added, built in fax mode.
fn build(t: &TempDir) -> (std::path::PathBuf, redress::packet::BuildReport) {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let dir = redress::demo::write_demo(&t.join("case"), day).unwrap();
    std::fs::write(dir.join("docs/colour-scan.pdf"), colour_scan()).unwrap();
    std::fs::write(dir.join("docs/wound.jpg"), redress::demo::fixtures::jpeg_plain(900, 700, 3)).unwrap();
    let mut toml = std::fs::read_to_string(dir.join("case.toml")).unwrap();
    toml.push_str(
        "\n[[exhibit]]\nfile = \"docs/colour-scan.pdf\"\nkind = \"progress-note\"\ndate = \"2026-11-28\"\ntitle = \"Colour scan\"\n",
    );
    toml.push_str("\n[[exhibit]]\nfile = \"docs/wound.jpg\"\nkind = \"photo\"\ndate = \"2026-11-29\"\ntitle = \"Colour photo\"\n");
    std::fs::write(dir.join("case.toml"), toml).unwrap();
    let folder = redress::casefile::load(&dir).unwrap();
    let now = day.and_hms_opt(9, 0, 0).unwrap();
    let out = t.join("fax.pdf");
    let opts = redress::packet::BuildOptions {
        out: Some(out.clone()),
        fax: true,
        fax_to: Some("1-800-555-0199".into()),
        ..redress::packet::BuildOptions::new(now, now.and_utc(), chrono_tz::America::Chicago)
    };
    let report = redress::packet::build(&folder, &opts).unwrap();
    (out, report)
}

/// Every page rendered without anti-aliasing at `dpi` (at least the fax pictures' own
/// resolution, so no picture is scaled down into greys by the renderer) is black and white.
fn pages_black_and_white(pdf: &Path, pages: usize, dpi: u32) {
    let dir = pdf.with_file_name("pages");
    std::fs::create_dir_all(&dir).unwrap();
    let root = dir.join("p");
    let o =
        tool("pdftoppm", &["-r", &dpi.to_string(), "-gray", "-aa", "no", "-aaVector", "no", pdf.to_str().unwrap(), root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), pages);
    for (n, file) in files.iter().enumerate() {
        let mid = pgm_pixels(&std::fs::read(file).unwrap()).iter().filter(|v| **v != 0 && **v != 255).count();
        assert_eq!(mid, 0, "page {} has {mid} grey pixels", n + 1);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The pixels of a binary PGM (`P5`, width, height, 255, then one byte a pixel).
fn pgm_pixels(pgm: &[u8]) -> &[u8] {
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    assert_eq!(&pgm[..2], b"P5");
    &pgm[at + 1..]
}

#[test]
fn a_fax_packet_is_black_and_white_with_its_stamps_and_a_cover_sheet() {
    let t = TempDir::new("fax-packet");
    let (pdf, report) = build(&t);
    qpdf_check(&pdf);
    let pages = page_count(&pdf);
    assert_eq!(report.pages, pages, "the report counts the cover sheet");
    assert_eq!((report.volumes[0].pages, report.volumes[0].last_page), (pages, pages - 1), "but numbers only the packet's pages");

    // The fax pictures are 200 dpi as shown, a little more where a page is shrunk above the
    // stamp band: 220 dpi draws every pel at least once.
    pages_black_and_white(&pdf, pages, 220);

    let doc = Document::load(&pdf).unwrap();
    let mut images = 0;
    for (id, o) in &doc.objects {
        let Object::Stream(s) = o else { continue };
        if s.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image") {
            continue;
        }
        images += 1;
        let filter = s.dict.get(b"Filter").and_then(Object::as_name).ok();
        let bits = s.dict.get(b"BitsPerComponent").and_then(Object::as_i64).ok();
        let mask = s.dict.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false);
        assert_eq!((filter, bits), (Some(&b"CCITTFaxDecode"[..]), Some(1)), "image {id:?}: {:?}", s.dict);
        assert!(mask, "image {id:?} is a black stencil on white: {:?}", s.dict);
        let k = s.dict.get(b"DecodeParms").and_then(Object::as_dict).and_then(|p| p.get(b"K")).and_then(Object::as_i64);
        assert_eq!(k.ok(), Some(-1), "Group 4");
    }
    // The scan, three oximetry pages, two photos, the TIFF, the screenshot, the logo.
    assert!(images >= 8, "{images} images");

    let texts = page_texts(&pdf);
    let cover = &texts[0];
    assert!(cover.contains("1-800-555-0199"), "{cover}");
    assert!(cover.contains("Lakeshore Advantage Plus"), "{cover}");
    assert!(cover.contains(&format!("{pages} including this cover sheet")), "{cover}");
    assert!(cover.contains("CONFIDENTIALITY NOTICE"), "{cover}");
    assert!(!cover.contains("Page 1 of"), "the cover sheet is not numbered");
    for (k, text) in texts.iter().enumerate().skip(1) {
        let stamp = format!("Page {k} of {} · HAYES-{k:06}", pages - 1);
        assert!(text.contains(&stamp), "page {} lacks its stamp {stamp}: {text}", k + 1);
    }
    assert!(texts.iter().any(|t| t.contains("Highlighted finding")), "the scan's own text stays text");

    let warned = report.warnings.iter().find(|w| w.contains("colour-scan.pdf"));
    assert!(warned.is_some_and(|w| w.contains("page 1") && w.contains("will not show on the fax")), "{:?}", report.warnings);
}

/// `grey` (0 ink) as an Adobe CMYK JPEG stored as Photoshop and scanners store it (each sample
/// inverted, Adobe's marker saying so, every component at full resolution; as YCCK where
/// `ycck`), on a Letter page with the `/Decode [1 0 1 0 1 0 1 0]` img2pdf writes for it.
fn adobe_cmyk_scan(grey: &image::GrayImage, ycck: bool) -> Vec<u8> {
    use lopdf::{dictionary, Stream};
    // Black type in black ink alone, a red mark at the top left in magenta and yellow.
    let cmyk: Vec<u8> =
        grey.enumerate_pixels().flat_map(|(x, y, p)| if x < 40 && y < 40 { [0, 255, 255, 0] } else { [0, 0, 0, 255 - p.0[0]] }).collect();
    let color = if ycck { jpeg_encoder::ColorType::CmykAsYcck } else { jpeg_encoder::ColorType::Cmyk };
    let mut jpeg = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 85);
    if !ycck {
        encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    }
    encoder.encode(&cmyk, grey.width() as u16, grey.height() as u16, color).unwrap();
    let decode: Vec<Object> = [1, 0, 1, 0, 1, 0, 1, 0].iter().map(|v| Object::Integer(*v)).collect();
    letter_page_pdf(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => grey.width() as i64, "Height" => grey.height() as i64,
        "ColorSpace" => "DeviceCMYK", "BitsPerComponent" => 8, "Filter" => "DCTDecode", "Decode" => decode },
        jpeg,
    ))
}

/// The share of a page's pixels that are dark, and of those where two renderings differ in
/// dark and light.
fn dark_and_differing(a: &image::RgbImage, b: &image::RgbImage) -> (f64, f64) {
    assert_eq!(a.dimensions(), b.dimensions());
    let dark = |p: &image::Rgb<u8>| u32::from(p.0[0]) + u32::from(p.0[1]) + u32::from(p.0[2]) < 3 * 128;
    let n = f64::from(a.width() * a.height());
    let darks = a.pixels().filter(|p| dark(p)).count() as f64;
    let differ = a.pixels().zip(b.pixels()).filter(|(p, q)| dark(p) != dark(q)).count() as f64;
    (darks / n, differ / n)
}

#[test]
fn cmyk_jpeg_and_png_predictor_scans_are_faxed_black_type_on_white_paper() {
    let t = TempDir::new("fax-cmyk");
    let lines = ["TOP OF THE SCANNED PAGE", "Saturation 84 percent at rest"];
    let page = letter_scan(&lines, 100.0, false);
    let tall = letter_scan(&lines, 150.0, true);
    let docs = [
        ("cmyk.pdf", adobe_cmyk_scan(&page, false)),
        ("ycck.pdf", adobe_cmyk_scan(&page, true)),
        ("png.pdf", letter_page_pdf(png_predictor_image(&tall))),
    ];
    let exhibits: Vec<_> =
        docs.iter().enumerate().map(|(i, (name, _))| (*name, "other", ["2025-09-01", "2025-09-02", "2025-09-03"][i], *name, "")).collect();
    write_case(t.path(), &case_toml(&exhibits), &docs.iter().map(|(n, b)| (*n, b.clone())).collect::<Vec<_>>());
    let o = redress(t.path(), &["build", ".", "--json", "--fax", "--fax-to", "1-800-555-0199", "--out", "fax.pdf"]);
    ok(&o);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let fax = t.join("fax.pdf");
    qpdf_check(&fax);
    let warnings = report["warnings"].as_array().unwrap();
    assert!(!warnings.iter().any(|w| w.as_str().unwrap().contains(".pdf), page")), "every image was made black and white: {warnings:?}");
    for (i, (name, source)) in docs.iter().enumerate() {
        std::fs::write(t.join("source.pdf"), source).unwrap();
        // The exhibit's page: after the fax cover sheet and its separator.
        let at = report["exhibits"][i]["first_page"].as_u64().unwrap() as usize + 2;
        let (faxed, shown) = (render(&fax, at, 40), render(&t.join("source.pdf"), 1, 40));
        let (dark, differ) = dark_and_differing(&faxed, &shown);
        assert!((0.002..0.1).contains(&dark), "{name}: {:.1} % of the faxed page is dark: white paper, black type", dark * 100.0);
        assert!(differ < 0.02, "{name}: the faxed page differs from the scan in {:.1} % of its pixels", differ * 100.0);
    }
    let doc = Document::load(&fax).unwrap();
    for (id, o) in &doc.objects {
        let Object::Stream(s) = o else { continue };
        if s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image") {
            assert_eq!(s.dict.get(b"Filter").and_then(Object::as_name).ok(), Some(&b"CCITTFaxDecode"[..]), "image {id:?}: {:?}", s.dict);
        }
    }
}
