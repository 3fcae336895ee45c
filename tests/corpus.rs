//! The corpus test: every real file in `tests/corpus/` (listed with its source in
//! `tests/corpus/SOURCES.md`) is built as the one exhibit of a case, and either comes out page
//! for page as poppler shows it, or is refused with the reason `EXPECTED` gives for it.
//!
//! Page for page means: the exhibit has as many pages as `pdfinfo` counts in the input (one per
//! frame for images), the packet passes `qpdf --check` unless the input itself fails it, and
//! each exhibit page, rendered by `pdftoppm` (its CropBox, as viewers show it) and cropped to
//! its ink (the stamp band left out), looks like the input's own
//! rendering cropped the same way, within a tolerance.

use crate::placement::render_visible;
use crate::util::*;
use std::path::{Path, PathBuf};

/// What a corpus file must do.
enum Outcome {
    /// Builds; the number is the exhibit's page count when `pdfinfo` cannot count it (images).
    Builds(Option<usize>),
    /// Builds page for page, with a warning that names the exhibit and contains these words.
    Warns(&'static str),
    /// Builds page for page as qpdf reads the file, where poppler misreads the input itself
    /// (the pages are compared with qpdf's rewrite of the input); the words say how.
    BuildsAsQpdf(&'static str),
    /// Refused: the message must contain these words.
    Refused(&'static str),
}

use Outcome::*;

const EXPECTED: &[(&str, Outcome)] = &[
    ("qpdf+qpdf/qpdf/qtest/qpdf/bad-xref-entry.pdf", Warns("page 1's content was damaged")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/bad22.pdf", Warns("page 1's content was damaged")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/bad25.pdf", Warns("page 1 has lost part of its content")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/boxes.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/boxes2.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/pages-loop.pdf", Warns("it loops back once")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/rotated.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/direct-pages.pdf", BuildsAsQpdf("poppler draws the first direct page blank")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/invalid-id-xref.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/issue-117.pdf", Warns("page 1 is damaged in the file itself")),
    // PDF reading (issue 10): how files are written, repaired xrefs, damaged streams, page
    // trees, and every encryption with an empty user password.
    ("qpdf+qpdf/qpdf/qtest/qpdf/incremental-2.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/reuse-xref-stream.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/need-appearances-utf8.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/c-linearized.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/object-stream.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/compress-objstm-xref.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/hybrid-xref.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/inherited-rotate.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/page-inherit-mediabox.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/xref-errors.pdf", Warns("has been rebuilt")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/bad-xref.pdf", Warns("has been rebuilt")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/append-page-content-damaged.pdf", Warns("has been rebuilt")),
    // Its table reads but points beside the page: the table is rebuilt, as qpdf rebuilds it.
    ("qpdf+qpdf/qpdf/qtest/qpdf/bad34.pdf", Warns("has been rebuilt")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/broken-lzw.pdf", Warns("page 1 is damaged in the file itself (its content's compressed data is broken)")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/damaged-inline-image-out.pdf", Warns("page 1 is damaged in the file itself (an image's data is broken")),
    ("qpdf+qpdf/qpdf/qtest/qpdf/eof-in-inline-image.pdf", Warns("a bad inline image or debris stops its content from being read in full")),
    (
        "qpdf+qpdf/qpdf/qtest/qpdf/unfilterable.pdf",
        Warns("page 1 is damaged in the file itself (its content is encoded in a way no PDF reader can decode)"),
    ),
    // Its broken stream hangs off the page under a key no reader draws, and is not carried.
    ("qpdf+qpdf/qpdf/qtest/qpdf/damaged-stream.pdf", Builds(None)),
    ("qpdf+qpdf/qpdf/qtest/qpdf/duplicate-page-inherited.pdf", Warns("lists the same page more than once")),
    // qpdf finds a loop and no page; poppler counts one from /Count but has no page to draw.
    ("qpdf+qpdf/qpdf/qtest/qpdf/deep-pages.pdf", Refused("has no pages that a PDF reader could show")),
    // /Count 0: qpdf counts no page and poppler refuses the count.
    ("qpdf+qpdf/qpdf/qtest/qpdf/many-nulls.pdf", Refused("has no pages that a PDF reader could show")),
    // The catalog names the page itself as its page tree: the tree is found from its /Parent.
    ("qpdf+qpdf/qpdf/qtest/qpdf/pages-is-page.pdf", Warns("points to a page where its list of pages belongs")),
    ("mozilla+pdf.js/test/pdfs/issue21436.pdf", Warns("points to a page where its list of pages belongs")),
    // Its object stream's /Type is not /ObjStm: read where the table places its objects.
    ("qpdf+qpdf/qpdf/qtest/qpdf/bad35.pdf", Builds(None)),
    // `/Filter /Fl` (the inline-image abbreviation) padded with spaces, on every stream.
    ("qpdf+qpdf/qpdf/qtest/qpdf/filter-abbreviation.pdf", Builds(None)),
    // Names with a `#` not followed by two hex digits, kept as part of the name.
    ("qpdf+qpdf/qpdf/qtest/qpdf/name-pound-images.pdf", Builds(None)),
    // `/X 1 0 R 0 R` in its catalog: the stray `0 R` is dropped, as qpdf drops it.
    ("qpdf+qpdf/qpdf/qtest/qpdf/indirect-r-arg.pdf", Builds(None)),
    // Ends at `startxref` with no offset and no %%EOF: read whole, its table rebuilt, with a
    // warning; its 400 × 50 pt page gets a larger page with a readable stamp.
    ("mozilla+pdf.js/test/pdfs/issue6069.pdf", Builds(None)),
    // AES-256 with its /CF (and the filter in it) written as references: resolved, then decrypted.
    ("mozilla+pdf.js/test/pdfs/issue7665.pdf", Builds(None)),
    // Two files joined, the second encrypted (user password `test`) and its startxref counted
    // from its own start. qpdf and poppler rebuild the table from the first trailer, so read
    // no encryption and show the second copy's encrypted content as a blank page: so does
    // Redress, saying the page shows blank and that a protected version was passed over.
    ("mozilla+pdf.js/test/pdfs/issue15893_reduced.pdf", Warns("page 1 is damaged in the file itself (none of its content reads")),
    // Its `%PDF` header line is gone; the objects follow a comment. Read as qpdf and poppler read it.
    ("mozilla+pdf.js/test/pdfs/bug1606566.pdf", Builds(None)),
    // Fuzzed: no header, a cross-reference stream without /Length, mangled catalog and page.
    // qpdf and poppler find one empty page with no content and no size; lopdf cannot rebuild
    // its table, and the file is refused as damaged, not as "not a PDF".
    ("qpdf+qpdf/qpdf/qtest/qpdf/fuzz-16214.pdf", Refused("is damaged and cannot be read; get a fresh copy")),
    // Fuzzed: `/Kids` starts with a NUL, the page dictionary mangled. poppler finds no page
    // (it draws a 0 × 0 page, "Kids object is wrong type") and qpdf lists none.
    ("mozilla+pdf.js/test/pdfs/poppler-937-0-fuzzed.pdf", Refused("is damaged: its list of pages cannot be read")),
    ("py-pdf+sample-files/005-libreoffice-writer-password/libreoffice-writer-password.pdf", Refused("needs a password")),
    ("py-pdf+sample-files/008-reportlab-inline-image/inline-image.pdf", Builds(None)),
    ("py-pdf+sample-files/024-annotations/annotated_pdf.pdf", Builds(None)),
    ("redress+made/pdf-encryption/pdflatex-4-pages-rc4-40.pdf", Builds(None)),
    ("redress+made/pdf-encryption/pdflatex-4-pages-rc4-128.pdf", Builds(None)),
    ("redress+made/pdf-encryption/pdflatex-4-pages-aes-128.pdf", Builds(None)),
    ("redress+made/pdf-encryption/pdflatex-4-pages-aes-256.pdf", Builds(None)),
    ("redress+made/fax-g3/ref-g4.tif", Builds(Some(1))),
    ("redress+made/fax-g3/g3-1d.tif", Builds(Some(1))),
    ("redress+made/fax-g3/g3-1d-fill.tif", Builds(Some(1))),
    ("redress+made/fax-g3/g3-2d.tif", Builds(Some(1))),
    ("redress+made/fax-g3/g3-2d-fill-lsb.tif", Builds(Some(1))),
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
    ("python-pillow+Pillow/Tests/images/hopper_webp.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/hopper_lzma.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/12bit.cropped.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/12in16bit.tif", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/10ct_32bit_128.tiff", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/tiff_tiled_planar_16bit_RGB.tiff", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/tiff_strip_planar_16bit_RGBa.tiff", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/tiff_16bit_RGB.tiff", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/pil_sample_cmyk.jpg", Builds(Some(1))),
    ("python-pillow+Pillow/Tests/images/app13-multiple.jpg", Builds(Some(1))),
    // Progressive, as libjpeg writes it (DC and AC scans, first and refining).
    ("ianare+exif-samples/jpg/tests/32-lens_data.jpeg", Builds(Some(1))),
    // Progressive and cut short in its scans.
    ("python-pillow+Pillow/Tests/images/truncated_jpeg.jpg", Refused("truncated JPEG")),
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
    // Page geometry: form fields, links, ink, layers, tiny and small pages, UserUnit.
    ("mozilla+pdf.js/test/pdfs/annotation-text-widget.pdf", Builds(None)),
    ("mozilla+pdf.js/test/pdfs/annotation-link-text-popup.pdf", Builds(None)),
    ("mozilla+pdf.js/test/pdfs/annotation-caret-ink.pdf", Builds(None)),
    ("mozilla+pdf.js/test/pdfs/bug1947248_forms.pdf", Builds(None)),
    ("mozilla+pdf.js/test/pdfs/visibility_expressions.pdf", Builds(None)),
    ("mozilla+pdf.js/test/pdfs/issue11878_reduced.pdf", Builds(None)),
    ("mozilla+pdf.js/test/pdfs/issue4461.pdf", Builds(None)),
    ("mozilla+pdf.js/test/pdfs/issue6019.pdf", Builds(None)),
    ("mozilla+pdf.js/test/pdfs/issue19176.pdf", Builds(None)),
    ("made/rotated-crop-form.pdf", Builds(None)),
    ("made/hidden-layer.pdf", Builds(None)),
    ("made/need-appearances.pdf", Builds(None)),
    ("made/unbalanced.pdf", Builds(None)),
    ("made/userunit-ink.pdf", Builds(None)),
    // Widgets two pages share and place differently: each page's copy joins its field.
    ("made/shared-form.pdf", Builds(None)),
];

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
    // Words of a library's own error text must never reach a person.
    if let Some(raw) = redress::demo::harness::RAW_WORDING.iter().find(|w| said.contains(*w)) {
        return Err(format!("a library's own wording ({raw}) reached the user: {said}"));
    }
    match outcome {
        Refused(words) if o.status.success() => Err(format!("built, but should be refused ({words})")),
        Refused(words) if said.contains(words) && said.contains(&name) => Ok(()),
        Refused(words) => Err(format!("refused, but not for the reason expected ({words}): {said}")),
        Builds(_) | Warns(_) | BuildsAsQpdf(_) if !o.status.success() => Err(format!("refused: {said}")),
        Warns(words) if !said.contains(&format!("exhibit 1 (docs/{name}): ")) || !said.contains(words) => {
            Err(format!("built without the warning expected ({words}): {said}"))
        }
        // The input is rendered from its copy in the case folder: rendering writes beside it.
        Builds(pages) => check_packet(dir.path(), &copy, *pages, &o.stdout),
        Warns(_) => check_packet(dir.path(), &copy, None, &o.stdout),
        BuildsAsQpdf(why) => {
            let rewritten = dir.join("qpdf-rewrite.pdf");
            let q = tool("qpdf", &["--empty", "--pages", copy.to_str().unwrap(), "--", rewritten.to_str().unwrap()]);
            if !matches!(q.status.code(), Some(0 | 3)) {
                return Err(format!("qpdf cannot rewrite the input: {}", stderr(&q)));
            }
            check_packet(dir.path(), &rewritten, None, &o.stdout).map_err(|e| format!("{e} (against qpdf's rewrite: {why})"))
        }
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
    // No worse than the input: damage the input itself carries (and the build warned about)
    // may fail the packet's check too.
    if !qpdf_check_passes(&packet) && qpdf_check_passes(source) {
        let check = tool("qpdf", &["--check", packet.to_str().unwrap()]);
        return Err(format!("qpdf --check fails on the packet, not on the input: {}{}", stdout(&check), stderr(&check)));
    }
    if pages.is_some() {
        return Ok(()); // images: their look is checked by the photo tests
    }
    let kept = crate::placement::check(source, &packet, first, expected)?;
    for (page, kept) in kept.into_iter().enumerate() {
        let (at, band, foot_at) = match crate::placement::packet_sheet(&packet, first + page) {
            Some(sheet) => {
                let (w, h) = sheet.points();
                (dpi((w / sheet.unit, h / sheet.unit)), sheet.band_share(), foot_dpi(sheet.unit))
            }
            None => (40, STAMP_BAND, foot_dpi(1.0)),
        };
        let rendered = render_visible(source, page + 1, dpi_of(source, page + 1));
        if kept && !blank_foot(&rendered, band) {
            return Err(format!("page {} was left as it is, but its own content reaches into the stamp band", page + 1));
        }
        let input = ink(&rendered, 0.0);
        let placed = render_visible(&packet, first + page, at);
        let covered = inked_share(&render_visible(&packet, first + page, foot_at), band);
        if covered > FOOT_INK {
            return Err(format!("page {}: {:.0} % of the stamp band is inked: content runs under the stamp", page + 1, covered * 100.0));
        }
        if covered == 0.0 {
            return Err(format!("page {}: its stamp band is blank: the stamp is not shown", page + 1));
        }
        let output = ink(&placed, band);
        let difference = distance(&input, &output);
        if difference > TOLERANCE {
            return Err(format!("page {} does not look like the input's (difference {difference:.3})", page + 1));
        }
    }
    Ok(())
}

/// The most of a packet page's stamp band that may be inked: the stamp's rule and text take
/// a few per cent; content run under the stamp takes far more.
const FOOT_INK: f64 = 0.15;

/// A resolution at which the stamp band of a page in units of `unit` points is 40 pixels
/// high, so the stamp's own ink is measured in it, not its blur.
fn foot_dpi(unit: f64) -> u32 {
    (40.0 * 72.0 * unit / crate::placement::BAND) as u32
}

/// The share of the bottom `band` of a rendered page that is not white.
fn inked_share(img: &image::RgbImage, band: f64) -> f64 {
    let from = (img.height() as f64 * (1.0 - band)).ceil() as u32;
    let rows = img.height().saturating_sub(from);
    let inked = (from..img.height())
        .flat_map(|y| (0..img.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0.iter().any(|c| *c < 200))
        .count();
    inked as f64 / (rows.max(1) * img.width().max(1)) as f64
}

/// Whether the bottom `band` share of a rendered page is blank: where the stamp goes on a
/// page whose content is left where it was.
fn blank_foot(img: &image::RgbImage, band: f64) -> bool {
    let from = (img.height() as f64 * (1.0 - band)).ceil() as u32;
    (from..img.height()).all(|y| (0..img.width()).all(|x| img.get_pixel(x, y).0.iter().all(|c| *c >= 200)))
}

/// A resolution at which a page of `size` points renders at least 400 pixels on its longest
/// side, so a label or a thumbnail is compared as more than a few pixels.
fn dpi((w, h): (f64, f64)) -> u32 {
    let longest = w.max(h);
    if longest > 0.0 {
        (400.0 * 72.0 / longest).clamp(40.0, 7200.0) as u32
    } else {
        40
    }
}

/// `dpi` for an input's page as poppler measures it (points, `/UserUnit` not applied).
fn dpi_of(pdf: &Path, page: usize) -> u32 {
    let p = page.to_string();
    let info = pdfinfo(pdf, &["-f", &p, "-l", &p]);
    let size = info.lines().find_map(|l| l.split_once(" size:").map(|(_, v)| v.to_string()));
    let numbers: Vec<f64> = size.unwrap_or_default().split_whitespace().filter_map(|v| v.parse().ok()).collect();
    match numbers[..] {
        [w, h, ..] => dpi((w, h)),
        _ => 40,
    }
}

fn qpdf_check_passes(pdf: &Path) -> bool {
    let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    check.status.success() && stdout(&check).contains("No syntax or stream encoding errors")
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
