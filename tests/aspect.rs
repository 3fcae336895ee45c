//! Pictures whose pixels are not square (a fax received in standard or fine mode, a JPEG whose
//! JFIF header says so) are placed at their true shape, in the packet, under a size budget and
//! in fax mode; and small pictures are not blown up to fill their page.

use crate::util::*;
use lopdf::{Document, Object};
use redress::demo::fixtures::{self, FaxPage};
use std::path::Path;

/// How a photo page places its picture: the matrix it is drawn with, the picture's stored
/// pixels and the page's size in points.
struct Placed {
    m: [f64; 6],
    pixels: (f64, f64),
    page: (f64, f64),
}

impl Placed {
    /// The box the picture covers on the page, in points.
    fn size(&self) -> (f64, f64) {
        (self.m[0].abs() + self.m[2].abs(), self.m[1].abs() + self.m[3].abs())
    }

    /// Stored pixels to the inch along the stored rows and down the stored columns.
    fn ppi(&self) -> (f64, f64) {
        let (along, down) = (self.m[0].hypot(self.m[1]), self.m[2].hypot(self.m[3]));
        (self.pixels.0 * 72.0 / along, self.pixels.1 * 72.0 / down)
    }
}

fn num(o: &Object) -> f64 {
    match o {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => f64::from(*r),
        other => panic!("not a number: {other:?}"),
    }
}

/// The picture of packet page `page` (from 1): the `cm` its first content stream draws the
/// image with, the image's `/Width` and `/Height`, and the page's media box.
fn placed(pdf: &Path, page: usize) -> Placed {
    let doc = Document::load(pdf).unwrap();
    let id = doc.get_pages()[&(page as u32)];
    let dict = doc.get_dictionary(id).unwrap();
    let media: Vec<f64> = dict.get(b"MediaBox").unwrap().as_array().unwrap().iter().map(num).collect();
    let first = match dict.get(b"Contents").unwrap() {
        Object::Array(a) => a[0].as_reference().unwrap(),
        other => other.as_reference().unwrap(),
    };
    let stream = doc.get_object(first).unwrap().as_stream().unwrap();
    let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    let ops = lopdf::content::Content::decode(&data).unwrap().operations;
    let at = ops.iter().position(|o| o.operator == "Do").expect("the page draws its picture");
    let cm = ops[..at].iter().rev().find(|o| o.operator == "cm").expect("drawn through a matrix");
    let m: [f64; 6] = cm.operands.iter().map(num).collect::<Vec<_>>().try_into().unwrap();
    let name = ops[at].operands[0].as_name().unwrap();
    let resources = dict.get(b"Resources").unwrap().as_dict().unwrap();
    let image = resources.get(b"XObject").unwrap().as_dict().unwrap().get(name).unwrap().as_reference().unwrap();
    let image = &doc.get_object(image).unwrap().as_stream().unwrap().dict;
    let pixels = (num(image.get(b"Width").unwrap()), num(image.get(b"Height").unwrap()));
    Placed { m, pixels, page: (media[2] - media[0], media[3] - media[1]) }
}

/// A letter page drawn with square pixels at 204 to the inch (1728 × 2244: 8.47 × 11 in): a
/// frame and a filled disc in its middle, a bar across its top.
fn letter_page() -> image::GrayImage {
    let (w, h) = (1728u32, 2244u32);
    image::GrayImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (f64::from(x) - f64::from(w) / 2.0, f64::from(y) - f64::from(h) / 2.0);
        let disc = dx.hypot(dy) < 500.0;
        let frame = x.min(w - 1 - x) < 12 || y.min(h - 1 - y) < 12;
        let bar = (100..160).contains(&y) && (200..1528).contains(&x);
        image::Luma([if disc || frame || bar { 0 } else { 255 }])
    })
}

/// The black disc's box on a rendered page (width, height, in pixels), looked for in the
/// middle three fifths of the page each way, where the frame, the bar and the caption are not.
fn disc(img: &image::RgbImage) -> (u32, u32) {
    let (w, h) = img.dimensions();
    let (across, down) = (w / 5..w * 4 / 5, h / 5..h * 4 / 5);
    let dark = |x: u32, y: u32| img.get_pixel(x, y).0[0] < 100;
    let xs: Vec<u32> = across.clone().filter(|&x| down.clone().filter(|&y| dark(x, y)).count() > 2).collect();
    let ys: Vec<u32> = down.clone().filter(|&y| across.clone().filter(|&x| dark(x, y)).count() > 2).collect();
    let span = |v: &[u32]| v.last().unwrap() - v.first().unwrap() + 1;
    (span(&xs), span(&ys))
}

fn close(found: f64, wanted: f64, within: f64, what: &str) {
    assert!((found / wanted - 1.0).abs() < within, "{what}: {found:.4}, wanted {wanted:.4}");
}

/// Fax pages of one letter page in standard mode (upright, and stored for turning a quarter
/// clockwise, TIFF Orientation 6) and in fine mode.
fn fax_case(t: &TempDir) {
    let page = letter_page();
    let tiff = |dpi, orientation| fixtures::fax_tiff_pages(&[FaxPage::squeezed(&page, dpi, orientation)]);
    write_case(
        t.path(),
        &case_toml(&[
            ("standard.tif", "correspondence", "2025-09-01", "Standard-mode fax", ""),
            ("standard-6.tif", "correspondence", "2025-09-02", "Standard-mode fax, turned", ""),
            ("fine.tif", "correspondence", "2025-09-03", "Fine-mode fax", ""),
        ]),
        &[("standard.tif", tiff((204, 98), 1)), ("standard-6.tif", tiff((204, 98), 6)), ("fine.tif", tiff((204, 196), 1))],
    );
}

/// 8.47 × 11 in: the letter page as the fax machine scanned it.
const LETTER: f64 = (1728.0 / 204.0) / 11.0;

#[test]
fn fax_pages_of_standard_and_fine_resolution_are_letter_pages_in_the_packet_and_the_fax() {
    let t = TempDir::new("aspect-fax");
    fax_case(&t);
    for fax in [false, true] {
        let out = if fax { "fax.pdf" } else { "packet.pdf" };
        let mut args = vec!["--out", out];
        if fax {
            args.push("--fax");
        }
        let r = build_json_with(t.path(), &args);
        let pdf = t.join(out);
        qpdf_check(&pdf);
        let pages: Vec<usize> = r["exhibits"].as_array().unwrap().iter().map(|e| e["first_page"].as_u64().unwrap() as usize + 1).collect();
        // The fax's cover sheet comes first, outside the numbered pages.
        let pages: Vec<usize> = pages.iter().map(|p| p + usize::from(fax)).collect();
        let mode = if fax { "fax" } else { "packet" };
        for (&page, (what, turned)) in pages.iter().zip([("standard", false), ("standard, turned", true), ("fine", false)]) {
            let p = placed(&pdf, page);
            let (w, h) = p.size();
            let what = format!("{mode}, {what} (page {page})");
            if turned {
                assert!(p.page.0 > p.page.1, "{what}: a landscape page, {:?}", p.page);
                close(w / h, 1.0 / LETTER, 0.01, &format!("{what}: width over height"));
            } else {
                assert!(p.page.0 < p.page.1, "{what}: a portrait page, {:?}", p.page);
                close(w / h, LETTER, 0.01, &format!("{what}: width over height"));
            }
            let (along, down) = p.ppi();
            if fax {
                // Made again from the picture at its true shape: 200 to the inch both ways.
                close(along, 200.0, 0.02, &format!("{what}: pixels to the inch across"));
                close(down, 200.0, 0.02, &format!("{what}: pixels to the inch down"));
            } else {
                // The file's own pixels, each as tall as its resolution says.
                let rows = if what.contains("fine") { 196.0 } else { 98.0 };
                close(along / down, 204.0 / rows, 0.01, &format!("{what}: resolution across over down"));
            }
        }
        // Seen as a reader sees it: the disc is round, not a flat ellipse.
        let (w, h) = disc(&render(&pdf, pages[0], 40));
        close(f64::from(w) / f64::from(h), 1.0, 0.06, &format!("{mode}: the disc's width over its height"));
    }
}

/// A JPEG whose JFIF header gives `across` × `down` pixels to the inch.
fn with_jfif_density(mut jpeg: Vec<u8>, across: u16, down: u16) -> Vec<u8> {
    let at = jpeg.windows(5).position(|w| w == b"JFIF\0").expect("the encoder writes a JFIF header");
    jpeg[at + 7] = 1;
    jpeg[at + 8..at + 10].copy_from_slice(&across.to_be_bytes());
    jpeg[at + 10..at + 12].copy_from_slice(&down.to_be_bytes());
    jpeg
}

#[test]
fn a_photo_with_tall_pixels_keeps_its_shape_when_a_size_budget_shrinks_it() {
    let t = TempDir::new("aspect-budget");
    // 1600 × 1200 pixels at 200 × 100 to the inch: 8 × 12 in, portrait.
    let jpeg = with_jfif_density(fixtures::jpeg_plain(1600, 1200, 7), 200, 100);
    write_case(t.path(), &case_toml(&[("tall.jpg", "wound-photo", "2025-09-01", "Tall pixels", "")]), &[("tall.jpg", jpeg)]);
    let full = build_json_with(t.path(), &["--out", "full.pdf"]);
    let page = full["exhibits"][0]["first_page"].as_u64().unwrap() as usize + 1;
    let budget = (std::fs::metadata(t.join("full.pdf")).unwrap().len() / 3).to_string();
    build_json_with(t.path(), &["--out", "small.pdf", "--max-bytes", &budget]);
    let (before, after) = (placed(&t.join("full.pdf"), page), placed(&t.join("small.pdf"), page));
    assert!(after.pixels.0 < before.pixels.0, "the budget shrank the photo: {:?}", after.pixels);
    for (p, what) in [(&before, "as it is"), (&after, "shrunk")] {
        assert!(p.page.0 < p.page.1, "{what}: a portrait page");
        let (w, h) = p.size();
        close(w / h, 8.0 / 12.0, 0.01, &format!("{what}: width over height"));
    }
    close(after.size().0, before.size().0, 0.001, "shown as large shrunk as not");
}

#[test]
fn a_small_picture_is_shown_at_96_pixels_to_the_inch_not_blown_up() {
    let t = TempDir::new("aspect-small");
    write_case(
        t.path(),
        &case_toml(&[
            ("shot.png", "correspondence", "2025-09-01", "Small screenshot", ""),
            ("dot.png", "correspondence", "2025-09-02", "One pixel", ""),
            ("large.png", "correspondence", "2025-09-03", "Large screenshot", ""),
        ]),
        &[("shot.png", fixtures::png_rgb(400, 300)), ("dot.png", fixtures::png_rgb(1, 1)), ("large.png", fixtures::png_rgb(1600, 1000))],
    );
    let r = build_json(t.path());
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    let page = |k: usize| r["exhibits"][k]["first_page"].as_u64().unwrap() as usize + 1;
    let shot = placed(&pdf, page(0));
    assert_eq!(shot.size(), (300.0, 225.0), "400 × 300 pixels at 96 to the inch");
    // Centred across its page.
    close(shot.m[4] + 150.0, shot.page.0 / 2.0, 1e-4, "the picture's middle");
    assert_eq!(placed(&pdf, page(1)).size(), (0.75, 0.75));
    // A picture larger than its page is scaled to fit as before: 720 pt across a landscape page.
    let large = placed(&pdf, page(2));
    close(large.size().0, 720.0, 1e-4, "the large screenshot's width");
    assert!(large.ppi().0 > 96.0);
}
