//! The corpus test: every real file in `tests/corpus/` (listed with its source in
//! `tests/corpus/SOURCES.md`) is built as the one exhibit of a case, and either comes out page
//! for page as poppler shows it, or is refused with the reason `EXPECTED` gives for it.
//!
//! Page for page means: the exhibit has as many pages as `pdfinfo` counts in the input (one per
//! frame for images), the packet passes `qpdf --check`, and each exhibit page, rendered by
//! `pdftoppm` and cropped to its ink (the stamp band left out), looks like the input's own
//! rendering cropped the same way, within a tolerance.

use crate::util::*;
use std::path::{Path, PathBuf};

/// What a corpus file must do.
enum Outcome {
    /// Builds; the number is the exhibit's page count when `pdfinfo` cannot count it (images).
    Builds(Option<usize>),
    /// Builds page for page, with a warning that names the exhibit and contains these words.
    Warns(&'static str),
    /// Refused: the message must contain these words.
    Refused(&'static str),
    /// Known wrong today (issue 10 is open): the test prints what happens and does not fail.
    Pending(&'static str),
}

use Outcome::*;

const EXPECTED: &[(&str, Outcome)] = &[
    ("qpdf+qpdf/qpdf/qtest/qpdf/bad-xref-entry.pdf", Warns("page 1's content was damaged")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/bad22.pdf", Warns("page 1's content was damaged")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/bad25.pdf", Warns("page 1 has lost part of its content")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/boxes.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/boxes2.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/pages-loop.pdf", Warns("reaches the same page more than once")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/rotated.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/direct-pages.pdf", Pending("pages written as direct objects are not found: refused as having no pages")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/invalid-id-xref.pdf", Pending("owner-password-only with an odd /ID: refused as needing a password")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/issue-117.pdf", Pending("repairable by qpdf, refused as truncated")),
    ("recurser+exif-orientation-examples/Landscape_3.jpg", Builds(Some(1))),
    ("recurser+exif-orientation-examples/Landscape_6.jpg", Builds(Some(1))),
    ("recurser+exif-orientation-examples/Landscape_8.jpg", Builds(Some(1))),
    ("recurser+exif-orientation-examples/Portrait_5.jpg", Builds(Some(1))),
    ("recurser+exif-orientation-examples/Portrait_6.jpg", Builds(Some(1))),
    ("lunapaint+pngsuite/png/basn3p04.png", Builds(Some(1))),
    ("lunapaint+pngsuite/png/basn6a16.png", Builds(Some(1))),
    ("lunapaint+pngsuite/png/tbrn2c08.png", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/g4-multi.tiff", Builds(Some(3))),
    ("python-pillow+Pillow/Tests/images/hopper_bigtiff.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/hopper_gray_4bpp.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/lab.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/multipage.tiff", Builds(Some(3))),
    ("python-pillow+Pillow/Tests/images/old-style-jpeg-compression.tif", Builds(Some(1))),
    ("ianare+exif-samples/heic/IMG_5195.HEIC", Builds(Some(1))),
    // Image variants: TIFF colour models, compressions and layouts, HEIC, odd JPEGs and PNGs.
    ("python-pillow+Pillow/Tests/images/hopper_jpg.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/tiff_strip_ycbcr_jpeg_2x2_sampling.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/tiff_tiled_ycbcr_jpeg_1x1_sampling.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/tiff_16bit_RGBa.tiff", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/tiff_tiled_cmyk_jpeg.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/tiff_strip_cmyk_16l_jpeg.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/hopper.Lab.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/lab-red.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/tiff_gray_2_4_bpp/hopper2.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/g4_orientation_6.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/uint16_1_4660.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/hopper_webp.tif", Refused("compression this version cannot read")),
    ("python-pillow+Pillow/Tests/images/tiff_tiled_planar_16bit_RGB.tiff", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/tiff_strip_planar_16bit_RGBa.tiff", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/tiff_16bit_RGB.tiff", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/pil_sample_cmyk.jpg", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/app13-multiple.jpg", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/exif_gps.jpg", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/hopper_orientation_2.jpg", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/hopper_orientation_4.jpg", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/hopper_orientation_7.jpg", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/flower.jpg", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/flower2.jpg", Builds(Some(1))),
    ("lunapaint+pngsuite/png/basi2c16.png", Builds(Some(1))),
    ("lunapaint+pngsuite/png/basn0g01.png", Builds(Some(1))),
    ("lunapaint+pngsuite/png/basn4a08.png", Builds(Some(1))),
    ("lunapaint+pngsuite/png/exif2c08.png", Builds(Some(1))),
    ("ianare+exif-samples/heic/samplefilehub.heif", Builds(Some(1))),
];

/// Words of a library's own error text that must never reach a person.
const RAW_WORDING: &[&str] = &["Unknown(", "Decode Error", "couldn't parse", "failed parsing", "Format error", "ImageError"];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

#[test]
fn every_corpus_file_is_listed_with_its_outcome() {
    let mut files = Vec::new();
    collect(&corpus(), &mut files);
    for file in files {
        let rel = file.strip_prefix(corpus()).unwrap().to_string_lossy().into_owned();
        if rel == "SOURCES.md" {
            continue;
        }
        assert!(EXPECTED.iter().any(|(name, _)| *name == rel), "{rel} is in tests/corpus but not in corpus.rs's EXPECTED list");
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_file_builds_page_for_page_or_is_refused_for_a_true_reason() {
    let mut failures = Vec::new();
    for (rel, outcome) in EXPECTED {
        if let Err(why) = try_file(rel, outcome) {
            failures.push(format!("{rel}: {why}"));
        }
    }
    assert!(failures.is_empty(), "corpus files that came out wrong:\n{}", failures.join("\n"));
}

fn try_file(rel: &str, outcome: &Outcome) -> Result<(), String> {
    let source = corpus().join(rel);
    let name = source.file_name().unwrap().to_string_lossy().into_owned();
    let dir = TempDir::new("corpus");
    let toml = case_toml(&[(&format!("docs/{name}"), "other", "2025-09-01", "Corpus file", "")]);
    write_case(dir.path(), &toml, &[(&format!("docs/{name}"), std::fs::read(&source).unwrap())]);
    let copy = dir.join(&format!("docs/{name}"));
    let o = redress(dir.path(), &["build", ".", "--json"]);
    let said = format!("{}{}", stdout(&o), stderr(&o));
    if let Some(raw) = RAW_WORDING.iter().find(|w| said.contains(*w)) {
        return Err(format!("a library's own wording ({raw}) reached the user: {said}"));
    }
    match outcome {
        Pending(what) => {
            eprintln!("pending (issue 10): {rel}: {what}; exit {:?}", o.status.code());
            Ok(())
        }
        Refused(words) if o.status.success() => Err(format!("built, but should be refused ({words})")),
        Refused(words) if said.contains(words) && said.contains(&name) => Ok(()),
        Refused(words) => Err(format!("refused, but not for the reason expected ({words}): {said}")),
        Builds(_) | Warns(_) if !o.status.success() => Err(format!("refused: {said}")),
        Warns(words) if !said.contains(&format!("exhibit 1 (docs/{name}): ")) || !said.contains(words) => {
            Err(format!("built without the warning expected ({words}): {said}"))
        }
        // The input is rendered from its copy in the case folder: rendering writes beside it.
        Builds(pages) => check_packet(dir.path(), &copy, *pages, &o.stdout),
        Warns(_) => check_packet(dir.path(), &copy, None, &o.stdout),
    }
}

/// The packet carries the file page for page: counts, `qpdf --check`, and each page's look.
fn check_packet(dir: &Path, source: &Path, pages: Option<usize>, report: &[u8]) -> Result<(), String> {
    let report: serde_json::Value = serde_json::from_slice(report).map_err(|e| format!("build --json: {e}"))?;
    let exhibit = &report["exhibits"][0];
    let carried = exhibit["pages"].as_u64().unwrap_or(0) as usize - 1;
    let first = exhibit["first_page"].as_u64().unwrap_or(0) as usize + 1;
    let expected = pages.unwrap_or_else(|| page_count(source));
    if carried != expected {
        return Err(format!("{carried} pages carried, the input has {expected}"));
    }
    let packet = dir.join("packet.pdf");
    let check = tool("qpdf", &["--check", packet.to_str().unwrap()]);
    if !check.status.success() || !stdout(&check).contains("No syntax or stream encoding errors") {
        return Err(format!("qpdf --check fails on the packet: {}", stdout(&check)));
    }
    if pages.is_some() {
        return Ok(()); // images: their look is checked by the photo tests
    }
    for page in 0..expected {
        let input = ink(&render(source, page + 1, 40), 0.0);
        let output = ink(&render(&packet, first + page, 40), STAMP_BAND);
        let difference = distance(&input, &output);
        if difference > TOLERANCE {
            return Err(format!("page {} does not look like the input's (difference {difference:.3})", page + 1));
        }
    }
    Ok(())
}

/// The share of a packet page's height at its foot left out of the comparison (the stamp).
const STAMP_BAND: f64 = 0.07;
/// Mean difference (0 to 1) allowed between the two renderings, cropped and scaled alike.
const TOLERANCE: f64 = 0.12;
const SIDE: u32 = 48;

/// The page's ink: cropped to its non-white pixels (all but the bottom `band`), scaled to a
/// small square of greys, so a page shrunk and moved compares with the original. A blank page
/// is all white.
fn ink(img: &image::RgbImage, band: f64) -> Vec<f64> {
    let height = (img.height() as f64 * (1.0 - band)) as u32;
    let grey = image::imageops::grayscale(&image::imageops::crop_imm(img, 0, 0, img.width(), height).to_image());
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in grey.enumerate_pixels() {
        if p.0[0] < 200 {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
    }
    if x0 > x1 {
        return vec![1.0; (SIDE * SIDE) as usize];
    }
    let cropped = image::imageops::crop_imm(&grey, x0, y0, x1 - x0 + 1, y1 - y0 + 1).to_image();
    let small = image::imageops::resize(&cropped, SIDE, SIDE, image::imageops::FilterType::Triangle);
    small.pixels().map(|p| p.0[0] as f64 / 255.0).collect()
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f64>() / a.len() as f64
}
