use super::*;
use crate::demo::fixtures;
use lopdf::{dictionary, Stream};

/// poppler's words and boxes for one page (`pdftotext -bbox`), the checker.
fn poppler(bytes: &[u8], page: u32) -> (f64, f64, Vec<(String, [f64; 4])>) {
    let path = std::env::temp_dir().join(format!(
        "redress-textlayer-{}-{}.pdf",
        std::process::id(),
        std::thread::current().name().unwrap_or("t").replace(":", "_")
    ));
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-cropbox", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(&path)
        .arg("-")
        .output()
        .expect("poppler's pdftotext is installed (the Makefile installs it)");
    let _ = std::fs::remove_file(&path);
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
    };
    let page_tag = &html[html.find("<page ").unwrap()..];
    let (width, height) = (attr(page_tag, "width"), attr(page_tag, "height"));
    let mut words = Vec::new();
    for part in html.split("<word ").skip(1) {
        let close = part.find('>').unwrap();
        let tag = &part[..close];
        let text = &part[close + 1..part.find("</word>").unwrap()];
        let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
        words.push((text, [attr(tag, "xMin"), attr(tag, "yMin"), attr(tag, "xMax"), attr(tag, "yMax")]));
    }
    (width, height, words)
}

/// Asserts that our words are poppler's, in the same order, each box within `tolerance` points.
fn same_as_poppler(bytes: &[u8], page: u32, tolerance: f32) -> PageWords {
    let ours = pdf_words(bytes, "x.pdf").unwrap().swap_remove(page as usize - 1);
    let (_, _, theirs) = poppler(bytes, page);
    let texts: Vec<&str> = ours.words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(texts, theirs.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>());
    for (w, (_, b)) in ours.words.iter().zip(&theirs) {
        let r = [w.rect.x, w.rect.y, w.rect.x + w.rect.w, w.rect.y + w.rect.h];
        assert!((0..4).all(|i| (r[i] - b[i] as f32).abs() <= tolerance), "{:?}: ours {r:?}, poppler {b:?}", w.text);
    }
    ours
}

/// Our words that poppler finds too (same text, box within `tolerance` points), whatever the
/// order: (found by both, ours, poppler's).
fn agreement(bytes: &[u8], page: u32, tolerance: f32) -> (usize, usize, usize) {
    let ours = pdf_words(bytes, "x.pdf").unwrap().swap_remove(page as usize - 1);
    let (_, _, mut theirs) = poppler(bytes, page);
    let poppler_count = theirs.len();
    let mut both = 0;
    for w in &ours.words {
        let r = [w.rect.x, w.rect.y, w.rect.x + w.rect.w, w.rect.y + w.rect.h];
        let near = |b: &[f64; 4]| (0..4).all(|i| (r[i] - b[i] as f32).abs() <= tolerance);
        if let Some(i) = theirs.iter().position(|(t, b)| *t == w.text && near(b)) {
            theirs.remove(i);
            both += 1;
        }
    }
    (both, ours.words.len(), poppler_count)
}

fn lines(page: &PageWords) -> Vec<String> {
    page.lines().into_iter().map(|l| l.text).collect()
}

/// A one-page PDF drawing `content` with Helvetica (`F1`, no widths given) and Times-Roman
/// (`F2`, widths given), on a page with these boxes and rotation.
fn one_page(content: &str, crop: Option<[i64; 4]>, rotate: i64) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let helvetica = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let widths: Vec<Object> = super::fonts::times_widths().iter().map(|w| Object::Integer(*w as i64)).collect();
    let times = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman", "Encoding" => "WinAnsiEncoding",
        "FirstChar" => 32, "LastChar" => 126, "Widths" => widths,
    });
    let contents = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
    let pages = doc.new_object_id();
    let mut page = dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => contents,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => helvetica, "F2" => times } },
    };
    if let Some(c) = crop {
        page.set("CropBox", c.iter().map(|v| Object::Integer(*v)).collect::<Vec<_>>());
    }
    if rotate != 0 {
        page.set("Rotate", rotate);
    }
    let page = doc.add_object(page);
    doc.objects.insert(pages, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

const NOTICE: &str = "# Notice of Denial\nMember ID: XJK-4471    Claim: CLM-2026-0042\nDate: November 12, 2026\n\n- Item (one): $1,250.00\nWe denied this because the service was not medically necessary.";

#[test]
fn a_plain_page_gives_poppler_words_and_boxes_by_line() {
    let pdf = fixtures::text_pdf(&[NOTICE]);
    let page = same_as_poppler(&pdf, 1, 0.5);
    assert_eq!((page.page, page.width, page.height, page.source), (1, 612.0, 792.0, WordSource::TextLayer));
    let lines = lines(&page);
    assert_eq!(lines[..3], ["Notice of Denial", "Member ID: XJK-4471 Claim: CLM-2026-0042", "Date: November 12, 2026"]);
    assert!(page.words.iter().all(|w| w.confidence == 1.0));
}

#[test]
fn rotated_pages_give_their_words_as_seen() {
    for degrees in [90, 180, 270] {
        let pdf = fixtures::pdf_with(fixtures::PdfOptions {
            pages: vec![fixtures::PageSpec::letter(NOTICE).rotated(degrees)],
            ..fixtures::PdfOptions::default()
        });
        // poppler lists lines running down the page from left to right; they are read from
        // right to left, the first line rightmost.
        let page = pdf_words(&pdf, "x.pdf").unwrap().swap_remove(0);
        let (both, ours, theirs) = agreement(&pdf, 1, 0.5);
        assert!(both == ours && both == theirs && ours == 26, "{degrees}: {both} in common of {ours} and {theirs}");
        let seen = if degrees == 180 { (612.0, 792.0) } else { (792.0, 612.0) };
        assert_eq!((page.width, page.height), seen, "{degrees}");
        assert_eq!(lines(&page)[0], "Notice of Denial", "{degrees}");
    }
    // Landscape, and inherited from the page tree.
    same_as_poppler(&fixtures::landscape_pdf(&[NOTICE]), 1, 0.5);
    let inherited = same_as_poppler(&fixtures::inherited_pdf(&[NOTICE]), 1, 0.5);
    assert_eq!((inherited.width, inherited.height), (612.0, 792.0));
}

/// Kerning inside a word, gaps that part words without a space (as TeX writes them), character
/// and word spacing, horizontal scaling, a moved and scaled matrix, `'` and `"`.
const SPACING: &str = "BT /F1 14 Tf 72 700 Td [(A) 120 (V) 80 (A) 100 (T) 60 (A) 80 (R)] TJ ET
BT /F2 12 Tf 72 670 Td [(Claim) -333 (number) -333 (CLM-0042) -40 (.)] TJ ET
BT /F1 12 Tf 72 640 Td 2 Tc 5 Tw (Spaced out words) Tj 0 Tc 0 Tw ET
BT /F2 10 Tf 80 Tz 72 610 Td (Scaled to eighty) Tj 100 Tz ET
q 1.5 0 0 1.5 50 100 cm BT /F1 10 Tf 20 300 Td 14 TL (Drawn larger) Tj (next line) ' 3 0.5 (and another) \" ET Q";

#[test]
fn kerning_gaps_spacing_and_matrices_place_words_as_poppler_does() {
    let page = same_as_poppler(&one_page(SPACING, None, 0), 1, 0.5);
    let lines = lines(&page);
    assert_eq!(lines[..5], ["AVATAR", "Claim number CLM-0042.", "Spaced out words", "Scaled to eighty", "Drawn larger"]);
}

#[test]
fn a_crop_box_offset_and_rotation_move_the_words_with_the_visible_page() {
    for rotate in [0, 90, 270] {
        let pdf = one_page(SPACING, Some([40, 60, 560, 760]), rotate);
        let page = pdf_words(&pdf, "x.pdf").unwrap().swap_remove(0);
        let (both, ours, theirs) = agreement(&pdf, 1, 0.5);
        assert!(both == ours && both == theirs && ours == 16, "{rotate}: {both} in common of {ours} and {theirs}");
        let seen = if rotate == 0 { (520.0, 700.0) } else { (700.0, 520.0) };
        assert_eq!((page.width, page.height), seen);
    }
    // Text outside the crop box is not seen.
    let page = pdf_words(&one_page(SPACING, Some([300, 300, 600, 780]), 0), "x.pdf").unwrap().swap_remove(0);
    assert!(!page.words.iter().any(|w| w.text == "AVATAR"), "{:?}", lines(&page));
}

#[test]
fn the_packets_own_cid_fonts_read_through_their_to_unicode_maps() {
    let dir = std::env::temp_dir().join(format!("redress-textlayer-letter-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("letter.pdf");
    let markdown = "# Appeal of claim CLM-2026-0042\n\nMember ID XJK-4471 asks for review of the denial dated November 12, 2026. SpO₂ stayed at 86 % or below for 7 minutes — “déjà vu”.";
    let created = chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z").unwrap().with_timezone(&chrono::Utc);
    crate::packet::letters::write_letter_pdf(markdown, &out, "Appeal", None, created).unwrap();
    let pdf = std::fs::read(&out).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let page = same_as_poppler(&pdf, 1, 0.5);
    let text = lines(&page).join(" ");
    assert!(text.contains("Appeal of claim CLM-2026-0042"), "{text}");
    assert!(text.contains("SpO₂ stayed at 86 % or below") && text.contains("“déjà vu”."), "{text}");
}

fn corpus(path: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus")).join(path)).unwrap()
}

#[test]
fn real_files_give_the_words_and_boxes_poppler_gives() {
    for (file, pages) in [
        // pdflatex's Type 1 fonts with their widths, words parted by gaps, encrypted (no user password).
        ("redress+made/pdf-encryption/pdflatex-4-pages-rc4-128.pdf", 1..=2),
        // A rotated, cropped page with a form XObject and filled-in form fields.
        ("made/rotated-crop-form.pdf", 1..=1),
        ("qpdf+qpdf/qpdf/qtest/qpdf/boxes2.pdf", 1..=1),
        ("mozilla+pdf.js/test/pdfs/annotation-text-widget.pdf", 1..=1),
    ] {
        let pdf = corpus(file);
        for page in pages {
            let (both, ours, theirs) = agreement(&pdf, page, 1.0);
            assert!(ours > 20 && both == ours && both == theirs, "{file} page {page}: {both} in common of {ours} and {theirs}");
        }
    }
}

#[test]
fn every_corpus_pdf_reads_without_panic_and_its_boxes_stay_on_the_page() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus"));
    let mut files = vec![root.to_path_buf()];
    let mut read = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().and_then(|e| e.to_str()) != Some("pdf") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        // Opened as the build opens it, and as plain lopdf reads the files the build refuses.
        let mut pages = pdf_words(&bytes, "x.pdf").unwrap_or_default();
        if let Ok(doc) = Document::load_mem(&bytes) {
            for (n, id) in doc.page_iter().enumerate().take(50) {
                pages.extend(page_words(&doc, id, n as u32 + 1));
            }
        }
        for p in &pages {
            let mut line = 0;
            for w in &p.words {
                let r = w.rect;
                assert!(!w.text.is_empty() && !w.text.contains(char::is_whitespace), "{path:?}: {:?}", w.text);
                assert!(r.x >= 0.0 && r.y >= 0.0 && r.w >= 0.0 && r.h >= 0.0, "{path:?}: {w:?}");
                assert!(r.x + r.w <= p.width + 0.01 && r.y + r.h <= p.height + 0.01, "{path:?}: {w:?} on {}x{}", p.width, p.height);
                assert!(w.line >= line, "{path:?}: lines in order");
                line = w.line;
            }
        }
        read += 1;
    }
    assert!(read > 50, "{read} files");
}
