//! `build --ocr`: a scanned page's words are found by `pdftotext` on its packet page, the page
//! looks the same, other pages are unchanged, a rebuild reads nothing again, a damaged kept
//! reading is read again, and without Tesseract nothing is written.

use crate::util::*;
use redress::demo::fixtures::{notice_scan, ScanFormat};
use redress::packet::{build, BuildOptions, OcrOptions};
use std::path::{Path, PathBuf};

/// The words of the scanned notice, one line each.
const NOTICE: [&str; 3] = ["Notice of Denial of Medical Coverage", "Member ID XJH123456789", "Your request for home oxygen was denied."];

fn notice(format: ScanFormat) -> Vec<u8> {
    notice_scan(&[NOTICE.iter().map(|l| l.to_string()).collect()], format)
}

/// A case of a scanned notice (a flatbed's PDF, turned 2°, no text) and a typed note.
fn scanned_case(dir: &Path) {
    let toml = case_toml(&[
        ("docs/notice.pdf", "denial-letter", "2025-09-10", "Denial notice", ""),
        ("docs/note.pdf", "progress-note", "2025-09-12", "Progress note", ""),
    ]);
    let note = redress::demo::fixtures::text_pdf(&["Progress note\nWalked 40 m on room air; SpO2 86 %."]);
    write_case(dir, &toml, &[("docs/notice.pdf", notice(ScanFormat::ScannedPdf)), ("docs/note.pdf", note)]);
}

/// The packet page (1-based) of an exhibit's first page of its own, after its separator.
fn first_page_of(report: &serde_json::Value, exhibit: usize) -> usize {
    report["exhibits"][exhibit - 1]["first_page"].as_u64().unwrap() as usize + 1
}

#[test]
fn a_scanned_page_is_searchable_on_its_packet_page_and_looks_the_same() {
    let Some(_tesseract) = redress::demo::fixtures::tesseract() else { return };
    let dir = TempDir::new("ocr-build");
    scanned_case(dir.path());
    let o = redress(dir.path(), &["build", ".", "--out", "plain.pdf", "--json"]);
    ok(&o);
    let plain: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(plain.get("ocr").is_none(), "a build without --ocr reports nothing of it");
    assert!(!dir.join(".redress").exists(), "and keeps nothing");
    let o = redress(dir.path(), &["build", ".", "--out", "searchable.pdf", "--ocr", "--json"]);
    ok(&o);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["ocr"]["pages"], 1, "{report}");
    assert_eq!(report["ocr"]["with_text"], 1, "{report}");
    assert!(stderr(&o).contains("OCR: Exhibit 1, page 1 of 1 ("), "progress names the page and its time: {}", stderr(&o));
    let (plain_pdf, searchable) = (dir.join("plain.pdf"), dir.join("searchable.pdf"));
    qpdf_check(&searchable);

    let scan = first_page_of(&report, 1);
    let (before, after) = (page_texts(&plain_pdf), page_texts(&searchable));
    assert_eq!(before.len(), after.len());
    let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let read = words(&after[scan - 1]);
    let stamp = words(&before[scan - 1]);
    let wanted: Vec<String> = NOTICE.iter().flat_map(|l| words(l)).collect();
    assert_eq!(read[..wanted.len()], wanted[..], "the notice's words in reading order, then the stamp: {read:?}");
    assert_eq!(read[wanted.len()..], stamp[..], "the stamp is as it was");
    for (n, (b, a)) in before.iter().zip(&after).enumerate() {
        if n + 1 != scan {
            assert_eq!(b, a, "page {} is unchanged", n + 1);
        }
    }
    assert_eq!(render(&plain_pdf, scan, 60), render(&searchable, scan, 60), "the scanned page looks the same");
    words_lie_on_their_ink(&searchable, scan, wanted.len());
    let note = first_page_of(&report, 2);
    assert_eq!(render(&plain_pdf, note, 60), render(&searchable, note, 60), "the typed page looks the same");
    let kept = std::fs::read_dir(dir.join(".redress/ocr")).unwrap().count();
    assert_eq!(kept, 1, "one reading kept, in the case folder's .redress/ocr");
}

#[test]
fn a_photo_of_a_letter_taken_on_its_side_is_searchable_upright() {
    let Some(_tesseract) = redress::demo::fixtures::tesseract() else { return };
    let dir = TempDir::new("ocr-photo");
    let toml = case_toml(&[("docs/notice.jpg", "denial-letter", "2025-09-10", "Photo of the notice", "")]);
    write_case(dir.path(), &toml, &[("docs/notice.jpg", notice(ScanFormat::PhotoExif6))]);
    let o = redress(dir.path(), &["build", ".", "--ocr", "--json"]);
    ok(&o);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let page = report["exhibits"][0]["first_page"].as_u64().unwrap() as usize + 1;
    let text = page_texts(&dir.join("packet.pdf"))[page - 1].clone();
    let lines: Vec<String> = text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[..3], NOTICE, "each line of the photo read across, in order: {lines:?}");
}

/// Each of the first `count` words `pdftotext -bbox` finds on `page` lies over the scan's ink,
/// in a box no taller than a line of its 12-point type.
fn words_lie_on_their_ink(pdf: &Path, page: usize, count: usize) {
    let p = page.to_string();
    let o = tool("pdftotext", &["-bbox", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"]);
    let html = stdout(&o);
    let picture = image::DynamicImage::ImageRgb8(render(pdf, page, 100)).to_luma8();
    let k = 100.0 / 72.0;
    for line in html.lines().filter(|l| l.trim_start().starts_with("<word")).take(count) {
        let attr = |name: &str| -> f64 {
            let at = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[at..].split('"').next().unwrap().parse().unwrap()
        };
        let (x0, y0, x1, y1) = (attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax"));
        assert!(y1 - y0 < 20.0 && x1 > x0, "{line}");
        let (mut ink, mut all) = (0, 0);
        for y in (y0 * k) as u32..(y1 * k) as u32 {
            for x in (x0 * k) as u32..(x1 * k) as u32 {
                all += 1;
                ink += usize::from(picture.get_pixel(x, y).0[0] < 120);
            }
        }
        assert!(ink * 12 > all, "{line}: {ink} of {all} pixels under it are ink");
    }
}

/// A Tesseract that writes a line to `log` each time it is run, then runs the real one.
#[cfg(unix)]
fn logged_tesseract(dir: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let (script, log) = (dir.join("tesseract-logged"), dir.join("runs.log"));
    std::fs::write(&script, format!("#!/bin/sh\necho \"$1\" >> '{}'\nexec tesseract \"$@\"\n", log.display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, log)
}

/// How many pages the logged Tesseract read (its `--list-langs` checks not counted).
fn reads(log: &Path) -> usize {
    std::fs::read_to_string(log).unwrap_or_default().lines().filter(|l| *l != "--list-langs").count()
}

fn options(dir: &Path, program: &Path) -> BuildOptions {
    let now = chrono::NaiveDate::from_ymd_opt(2025, 9, 20).unwrap().and_hms_opt(9, 0, 0).unwrap();
    let mut ocr = OcrOptions::new(Some(dir.join("kept")));
    ocr.tesseract.program = program.into();
    BuildOptions { ocr: Some(ocr), ..BuildOptions::new(now, now.and_utc(), chrono_tz::UTC) }
}

#[cfg(unix)]
#[test]
fn a_rebuild_reads_nothing_again_and_a_damaged_kept_reading_is_read_again() {
    let Some(_tesseract) = redress::demo::fixtures::tesseract() else { return };
    let dir = TempDir::new("ocr-cache");
    scanned_case(dir.path());
    let (program, log) = logged_tesseract(dir.path());
    let folder = redress::casefile::load(dir.path()).unwrap();
    let opts = options(dir.path(), &program);
    let first = build(&folder, &opts).unwrap();
    assert_eq!(reads(&log), 1, "the scanned page is read once; the typed page is not a scan");
    let again = build(&folder, &opts).unwrap();
    assert_eq!(reads(&log), 1, "the rebuild runs no Tesseract on a page");
    assert_eq!(again.ocr.as_ref().map(|o| (o.read, o.cached)), Some((0, 1)));
    assert_eq!(again.sha256, first.sha256, "the same packet, byte for byte");

    let entries: Vec<PathBuf> = walk(&dir.join("kept"));
    assert_eq!(entries.len(), 1);
    for damage in [&b"{\"page\": 1, \"wid"[..], b"not a reading", b""] {
        std::fs::write(&entries[0], damage).unwrap();
        let before = reads(&log);
        let mended = build(&folder, &opts).unwrap();
        assert_eq!(reads(&log), before + 1, "a damaged reading is read again");
        assert_eq!(mended.sha256, first.sha256, "and gives the same packet");
        assert!(mended.warnings.is_empty(), "{:?}", mended.warnings);
    }
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(&entries[0]).unwrap()).unwrap();
    assert_eq!(kept["source"], "ocr", "the damaged entry was written again");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}

#[test]
fn without_tesseract_ocr_is_refused_before_anything_is_written() {
    let dir = TempDir::new("ocr-missing");
    scanned_case(dir.path());
    let folder = redress::casefile::load(dir.path()).unwrap();
    let before = names(dir.path());
    let err = build(&folder, &options(dir.path(), Path::new("redress-no-such-tesseract"))).unwrap_err().to_string();
    assert!(err.contains("needs Tesseract") && err.contains("install tesseract-ocr"), "{err}");
    assert_eq!(names(dir.path()), before, "no packet, no temporary file, no kept readings");
}
