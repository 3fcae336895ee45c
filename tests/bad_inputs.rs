//! Every kind of bad input: a clear error naming the exhibit, exit 1, nothing written.

use crate::util::*;
use redress::demo::fixtures;

/// Builds a one-exhibit case and expects failure with `words` in the message and no packet.
fn refused(file: &str, bytes: Vec<u8>, extra: &str, words: &[&str]) {
    let t = TempDir::new("bad");
    write_case(t.path(), &case_toml(&[(file, "progress-note", "2025-09-01", "Bad one", extra)]), &[(file, bytes)]);
    let before = names(t.path());
    let o = redress(t.path(), &["build", "."]);
    assert_eq!(o.status.code(), Some(1), "{file}: expected exit 1\n{}", stderr(&o));
    let err = stderr(&o);
    // Named as case.toml names the exhibit, as every problem of the case is.
    assert!(err.contains(&format!("case.toml: exhibit 1 ({file}): ")), "{file}: the message names the exhibit:\n{err}");
    for w in words {
        assert!(err.contains(w), "{file}: expected {w:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(names(t.path()), before, "{file}: nothing may be left behind");
    // `check` finds the same problem without building.
    let c = redress(t.path(), &["check", "."]);
    assert_eq!(c.status.code(), Some(1), "check should refuse {file} too");
    assert!(stderr(&c).contains(&format!("case.toml: exhibit 1 ({file}): ")), "{}", stderr(&c));
}

#[test]
fn pdf_that_needs_a_password_is_refused_with_what_to_do() {
    refused("locked.pdf", fixtures::encrypted_pdf("user-secret", "owner-secret"), "", &["encrypted", "password"]);
}

#[test]
fn owner_password_only_pdf_opens() {
    let t = TempDir::new("owner");
    write_case(
        t.path(),
        &case_toml(&[("o.pdf", "progress-note", "2025-09-01", "Owner only", "")]),
        &[("o.pdf", fixtures::encrypted_pdf("", "owner-secret"))],
    );
    let r = build_json(t.path());
    qpdf_check(&t.join("packet.pdf"));
    assert_eq!(r["exhibits"][0]["pages"], 2);
}

#[test]
fn truncated_pdf_is_refused_not_silently_emptied() {
    let full = fixtures::text_pdf(&["page one text", "page two text", "page three text"]);
    for fraction in [0.3, 0.6, 0.9] {
        refused("cut.pdf", fixtures::truncate(&full, fraction), "", &[]);
    }
}

#[test]
fn broken_xref_is_repaired_with_a_warning() {
    let t = TempDir::new("xref");
    write_case(
        t.path(),
        &case_toml(&[("x.pdf", "progress-note", "2025-09-01", "Broken xref", "")]),
        &[("x.pdf", fixtures::broken_xref_pdf())],
    );
    let r = build_json(t.path());
    let warnings = r["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w.as_str().unwrap().starts_with("exhibit 1 (x.pdf): cross-reference table was broken")),
        "{warnings:?}"
    );
    qpdf_check(&t.join("packet.pdf"));
}

#[test]
fn bytes_before_the_header_are_repaired_with_the_warning_and_a_whole_pdf_has_none() {
    let t = TempDir::new("shifted");
    let whole = fixtures::text_pdf(&["page one text", "page two text"]);
    // Five bytes before the header: every offset of the table points five bytes short.
    let shifted = [&b"JUNK\n"[..], &whole].concat();
    write_case(
        t.path(),
        &case_toml(&[
            ("whole.pdf", "progress-note", "2025-09-01", "Whole", ""),
            ("shifted.pdf", "progress-note", "2025-09-02", "Shifted", ""),
        ]),
        &[("whole.pdf", whole), ("shifted.pdf", shifted)],
    );
    let r = build_json(t.path());
    let warnings: Vec<&str> = r["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert_eq!(warnings, ["exhibit 2 (shifted.pdf): cross-reference table was broken and has been repaired"]);
    assert_eq!(r["exhibits"][1]["pages"], 3, "its separator and both pages");
    qpdf_check(&t.join("packet.pdf"));
    let texts = page_texts(&t.join("packet.pdf"));
    assert_eq!(texts.iter().filter(|p| p.contains("page two text")).count(), 2, "each exhibit's second page");
}

#[test]
fn a_web_page_after_the_end_of_a_pdf_is_left_out_with_a_warning_and_a_cut_update_is_refused() {
    let t = TempDir::new("appended");
    let whole = fixtures::text_pdf(&["page one text", "page two text"]);
    let error_page = b"<html><body><p>502 Bad Gateway: the upstream server reset the stream.</p></body></html>\n".repeat(40);
    write_case(
        t.path(),
        &case_toml(&[("upload.pdf", "progress-note", "2025-09-01", "Uploaded", "")]),
        &[("upload.pdf", [&whole[..], &error_page].concat())],
    );
    let r = build_json(t.path());
    let warnings: Vec<&str> = r["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("exhibit 1 (upload.pdf): has data after the end of the PDF ("), "{warnings:?}");
    assert_eq!(r["exhibits"][0]["pages"], 3, "its separator and both pages");
    qpdf_check(&t.join("packet.pdf"));
    let texts = page_texts(&t.join("packet.pdf"));
    assert!(texts.iter().any(|p| p.contains("page two text")) && !texts.iter().any(|p| p.contains("Bad Gateway")));
    // A later update cut short after the end marker: never read as the revision before it.
    let update = [&b"\n9 0 obj\n<< /Length 8000 >>\nstream\n"[..], &[b'x'; 3000]].concat();
    refused("cut-update.pdf", [&whole[..], &update].concat(), "", &["truncated", "after the end of the PDF", "complete copy"]);
}

#[test]
fn file_that_is_not_what_its_name_says_is_refused() {
    refused("photo.pdf", fixtures::jpeg_plain(64, 48, 1), "", &["JPEG"]);
    refused("scan.jpg", fixtures::text_pdf(&["x"]), "", &["PDF"]);
    refused("note.png", b"just some text".to_vec(), "", &["PNG"]);
}

#[test]
fn truncated_images_and_decompression_bombs_are_refused() {
    let jpeg = fixtures::jpeg_plain(200, 150, 2);
    refused("cut.jpg", fixtures::truncate(&jpeg, 0.5), "", &["truncated"]);
    let png = fixtures::png_rgb(200, 150);
    refused("cut.png", fixtures::truncate(&png, 0.5), "", &[]);
    refused("bomb.png", fixtures::png_bomb(), "", &["too large"]);
}

#[test]
fn page_selection_outside_the_document_is_refused() {
    refused("short.pdf", fixtures::text_pdf(&["one", "two"]), "pages = \"1-5\"", &["page 5", "2 pages"]);
    let fax = fixtures::notice_scan(&[vec!["one".into()], vec!["two".into()], vec!["three".into()]], fixtures::ScanFormat::FaxTiff);
    refused("fax.tiff", fax, "pages = \"2-4\"", &["page selection `2-4` asks for page 4 but the document has 3 pages"]);
}

#[test]
fn a_page_selection_on_a_single_picture_or_text_says_it_has_no_pages_to_select() {
    refused("photo.jpg", fixtures::jpeg_plain(64, 48, 1), "pages = \"1\"", &["a JPEG image is one picture", "remove `pages`"]);
    refused("shot.png", fixtures::png_rgb(64, 48), "pages = \"1\"", &["a PNG image is one picture", "remove `pages`"]);
    refused("note.txt", b"hello".to_vec(), "pages = \"1\"", &["a text file has no pages to select", "remove `pages`"]);
}

#[test]
fn missing_file_and_bad_fields_are_all_reported_at_once() {
    let t = TempDir::new("fields");
    let toml =
        case_toml(&[("gone.pdf", "progress-note", "2025-09-01", "Missing", ""), ("fake.pdf", "other", "2025-09-02", "Not a PDF", "")])
            .replace("dob = \"1945-01-23\"", "dob = \"1945-13-40\"")
            .replace("program = \"medicare-advantage\"", "program = \"medicare\"")
            + "\n[provider]\nnpi = \"1234567890\"\n";
    write_case(t.path(), &toml, &[("fake.pdf", b"hello, not a PDF".to_vec())]);
    for cmd in ["build", "check"] {
        let o = redress(t.path(), &[cmd, "."]);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        // The fields, the missing file and the unreadable one, all in one run.
        for w in [
            "case.toml: member.dob: is not a date: its month is not one of 01 to 12",
            "case.toml: case.program: unknown program `medicare`",
            "case.toml: provider.npi: `1234567890` is not a valid NPI",
            "case.toml: exhibit 1 (gone.pdf): file not found",
            "case.toml: exhibit 2 (fake.pdf): is named as a PDF",
        ] {
            assert!(err.contains(w), "{cmd}: expected {w:?} in:\n{err}");
        }
        assert!(!err.contains("1945-13-40"), "a date of birth is never repeated:\n{err}");
        assert_eq!(names(t.path()), ["case.toml", "fake.pdf"], "{cmd} wrote something");
    }
    // Fix the fields: now the missing file is what remains.
    write_case(t.path(), &case_toml(&[("gone.pdf", "progress-note", "2025-09-01", "Missing", "")]), &[]);
    let o = redress(t.path(), &["build", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("case.toml: exhibit 1 (gone.pdf): file not found"), "{}", stderr(&o));
}

#[test]
fn case_toml_mistakes_are_named_by_line_key_and_value() {
    let t = TempDir::new("toml-words");
    let good = case_toml(&[("docs/denial.txt", "denial-letter", "2025-09-10", "Notice of denial", "")]);
    let docs = [("docs/denial.txt", b"Denial notice text".to_vec())];
    // The one problem `check` finds in the case.toml made of `bytes`, as it prints it.
    let problem = |bytes: Vec<u8>| {
        write_case(t.path(), "", &docs);
        std::fs::write(t.join("case.toml"), bytes).unwrap();
        let o = redress(t.path(), &["check", "."]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("(1 problem)"), "{err}");
        err.lines().last().unwrap_or("").trim().to_string()
    };
    // Windows Notepad's "Unicode" (UTF-16 with its byte order mark) is read as text.
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(good.replace('\n', "\r\n").encode_utf16().flat_map(u16::to_le_bytes)).collect();
    write_case(t.path(), "", &docs);
    std::fs::write(t.join("case.toml"), utf16).unwrap();
    ok(&redress(t.path(), &["check", "."]));
    let with = |from: &str, to: &[u8]| {
        let at = good.find(from).unwrap_or_else(|| panic!("{from}"));
        [&good.as_bytes()[..at], to, &good.as_bytes()[at + from.len()..]].concat()
    };
    let title = "title = \"Home oxygen authorization denial\"";
    assert_eq!(
        problem(with("Home oxygen", b"Caf\xe9 oxygen")),
        "case.toml: line 3: byte 0xE9 (\u{e9} in Windows-1252) is not UTF-8: save the file as UTF-8"
    );
    assert_eq!(
        problem(with(title, b"title = \"Test\"\ntitle = \"Again\"")),
        "case.toml: line 4: `title` is set twice in [case] (first on line 3)"
    );
    assert_eq!(
        problem(with(title, b"title = \"Test")),
        "case.toml: line 3: the text started with \" is not closed: end it with \" on the same line"
    );
    assert_eq!(
        problem(with("notice_date = \"2025-09-10\"", b"notice_date = \"2026-02-30\"")),
        "case.toml: case.notice_date: `2026-02-30` is not a date: February 2026 has no day 30"
    );
    assert_eq!(
        problem(with("\"docs/denial.txt\"", b"\"\"")),
        "case.toml: exhibit 1: file: is empty: give the document's path inside the case folder"
    );
    assert_eq!(
        problem(with("\"docs/denial.txt\"", b"'docs\\denial.txt'")),
        "case.toml: exhibit 1 (docs\\denial.txt): file not found: write the path as docs/denial.txt, with / (case.toml's paths use / on every system)"
    );
    // A problem found opening the exhibit is named as case.toml names it, as a missing file is.
    write_case(t.path(), &good, &[("docs/denial.txt", Vec::new())]);
    let o = redress(t.path(), &["check", "."]);
    assert!(stderr(&o).contains("\n  case.toml: exhibit 1 (docs/denial.txt): is empty (0 bytes)"), "{}", stderr(&o));
}

#[test]
fn a_failed_build_keeps_the_previous_packet() {
    let t = TempDir::new("keep");
    write_case(t.path(), &case_toml(&[("a.txt", "progress-note", "2025-09-01", "Good", "")]), &[("a.txt", b"fine".to_vec())]);
    build_json(t.path());
    let good = std::fs::read(t.join("packet.pdf")).unwrap();
    std::fs::write(t.join("a.txt"), b"\0\0binary\0").unwrap();
    let o = redress(t.path(), &["build", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(t.join("packet.pdf")).unwrap(), good, "the old packet is untouched");
    assert_eq!(names(t.path()), ["a.txt", "case.toml", "packet.pdf"]);
}

#[test]
fn garbage_never_panics() {
    // Random bytes under every name the importer knows.
    let mut seed: u64 = 0x2545F4914F6CDD1D;
    for name in ["x.pdf", "x.jpg", "x.png", "x.tiff", "x.txt", "x.md", "x.heic"] {
        for len in [1usize, 7, 100, 5000] {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            let t = TempDir::new("garbage");
            write_case(t.path(), &case_toml(&[(name, "other", "2025-09-01", "Garbage", "")]), &[(name, bytes)]);
            let o = redress(t.path(), &["build", "."]);
            assert!(!stderr(&o).contains("panicked"), "{name} ({len} bytes): {}", stderr(&o));
            assert!(matches!(o.status.code(), Some(0) | Some(1)), "{name}: {:?}", o.status);
        }
    }
}

#[test]
fn a_heic_file_without_its_picture_is_refused_with_what_to_do() {
    // The start of an iPhone HEIC file (a box size, `ftyp`, brand `heic`) and nothing more.
    let mut heic = vec![0, 0, 0, 0x18];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    heic.resize(2048, 0);
    refused("IMG_0042.heic", heic, "", &["damaged HEIC photo", "get a fresh copy, or export it from the phone as JPEG"]);
}

/// A progressive photo from the corpus, whole, and with its fifth scan (an AC band) losing the
/// second half of its data, the scans after it kept.
fn progressive_photo_and_cut_short() -> (Vec<u8>, Vec<u8>) {
    let photo = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/python-pillow+Pillow/Tests/images/app13-multiple.jpg"),
    )
    .unwrap();
    let at = |from: usize, marker: u8| from + photo[from..].windows(2).position(|w| w == [0xFF, marker]).unwrap();
    let mut sos = 0;
    for _ in 0..5 {
        sos = at(sos + 2, 0xDA);
    }
    let data = sos + 2 + usize::from(u16::from_be_bytes([photo[sos + 2], photo[sos + 3]]));
    let next = (data..photo.len() - 1).find(|&i| photo[i] == 0xFF && photo[i + 1] != 0).unwrap();
    let cut = (data + (next - data) / 2..next).find(|&i| photo[i] != 0xFF && photo[i - 1] != 0xFF).unwrap();
    let damaged = [&photo[..cut], &photo[next..]].concat();
    (photo, damaged)
}

#[test]
fn a_progressive_photo_with_a_scan_cut_short_is_refused_naming_it() {
    refused("IMG_0107.jpg", progressive_photo_and_cut_short().1, "", &["damaged JPEG", "take or export the photo again"]);
}

#[test]
fn a_photo_found_whole_once_is_checked_again_when_its_bytes_change() {
    let (photo, damaged) = progressive_photo_and_cut_short();
    let t = TempDir::new("kept-verdict");
    let toml = case_toml(&[("IMG_0107.jpg", "wound-photo", "2025-09-01", "Wound", "")]);
    write_case(t.path(), &toml, &[("IMG_0107.jpg", photo)]);
    build_json(t.path());
    // Entries are spread over folders by their names' first two characters, as the vault's.
    let kept = || -> Vec<std::path::PathBuf> {
        let spread = std::fs::read_dir(t.join(".redress/checked")).unwrap().map(|d| d.unwrap().path());
        spread.flat_map(|d| std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path())).collect()
    };
    assert_eq!(kept().len(), 1, "the photo's verdict is kept beside the case");
    // The same name, other bytes: the kept verdict is not theirs, and the damage is found.
    std::fs::write(t.join("IMG_0107.jpg"), damaged).unwrap();
    let o = redress(t.path(), &["build", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("damaged JPEG"), "{}", stderr(&o));
    assert_eq!(kept().len(), 1, "a refusal is never kept");
}

#[cfg(unix)]
#[test]
fn a_link_to_a_file_outside_the_case_folder_is_refused_and_one_inside_is_followed() {
    let t = TempDir::new("links");
    let case = t.join("case");
    std::fs::create_dir_all(t.join("elsewhere")).unwrap();
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(t.join("elsewhere/secret.txt"), b"SECRET FROM OUTSIDE").unwrap();
    write_case(
        &case,
        &case_toml(&[
            ("docs/link.txt", "progress-note", "2025-09-01", "A link to a file", ""),
            ("docs/away/secret.txt", "progress-note", "2025-09-02", "Through a linked folder", ""),
        ]),
        &[("docs/a.txt", b"a note".to_vec())],
    );
    // A file link (absolute) and a folder link (relative) on the way, both to outside.
    std::os::unix::fs::symlink(t.join("elsewhere/secret.txt"), case.join("docs/link.txt")).unwrap();
    std::os::unix::fs::symlink("../../elsewhere", case.join("docs/away")).unwrap();
    let before = tree(t.path());
    let outside = "is a link to a file outside the case folder";
    for cmd in ["check", "build", "import"] {
        let o = redress(t.path(), &[cmd, "case"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{cmd}: expected exit 1\n{err}");
        for w in [
            &format!("exhibit 1 (docs/link.txt): {outside}") as &str,
            &format!("exhibit 2 (docs/away/secret.txt): {outside}"),
            "copy the file into the case folder instead",
        ] {
            assert!(err.contains(w), "{cmd}: expected {w:?} in:\n{err}");
        }
        assert!(tree(t.path()) == before, "{cmd}: nothing may be written");
    }
    // A letter.md that leads outside is refused the same way.
    write_case(&case, &case_toml(&[("docs/a.txt", "progress-note", "2025-09-01", "Note", "")]), &[]);
    std::os::unix::fs::symlink(t.join("elsewhere/secret.txt"), case.join("letter.md")).unwrap();
    let o = redress(t.path(), &["build", "case"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(&format!("letter.md: {outside}")), "{}", stderr(&o));
    assert!(!case.join("packet.pdf").exists());
    // Links that stay inside the folder are followed.
    std::fs::remove_file(case.join("letter.md")).unwrap();
    std::os::unix::fs::symlink("a.txt", case.join("docs/same.txt")).unwrap();
    std::os::unix::fs::symlink("docs", case.join("papers")).unwrap();
    write_case(
        &case,
        &case_toml(&[
            ("docs/same.txt", "progress-note", "2025-09-01", "Linked", ""),
            ("papers/a.txt", "progress-note", "2025-09-02", "Through a folder link", ""),
        ]),
        &[],
    );
    ok(&redress(t.path(), &["build", "case"]));
    assert!(page_texts(&case.join("packet.pdf")).iter().filter(|p| p.contains("a note")).count() == 2);
}

fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// A page whose words come first and many little marks after them, its content compressed and
/// then damaged by `harm`; with an image whose Flate data (under a PNG predictor) is cut short.
fn damaged_flate_page(words: &str, harm: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut rng = Rng::new(7);
    let mut content = format!("BT /F1 18 Tf 72 700 Td ({words}) Tj ET\n").into_bytes();
    content.extend(b"q 100 0 0 100 300 300 cm /Im0 Do Q\n");
    for _ in 0..3000 {
        content.extend(format!("{} {} 2 2 re f\n", 72 + rng.below(400), 200 + rng.below(400)).into_bytes());
    }
    let mut doc = Document::with_version("1.7");
    let content = doc.add_object(Stream::new(dictionary! { "Filter" => "FlateDecode" }, harm(zlib(&content))));
    let rows: Vec<u8> = (0..64 * 65).map(|i| if i % 65 == 0 { 0 } else { rng.below(256) as u8 }).collect();
    let image = zlib(&rows);
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 64, "Height" => 64, "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8, "Filter" => "FlateDecode",
            "DecodeParms" => dictionary! { "Predictor" => 15, "Columns" => 64 },
        },
        image[..image.len() / 2].to_vec(),
    ));
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let page = dictionary! {
        "Type" => "Page", "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()], "Contents" => content,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => dictionary! { "Im0" => Object::Reference(image) } },
    };
    one_page_pdf(doc, page)
}

/// Flate data corrupt part-way or cut short, in a page's content and in an image: the build
/// warns that the page is carried as readers show it, and carries just that, what decodes of
/// each as a whole stream, so the packet passes `qpdf --check` and the words before the damage
/// still read.
#[test]
fn a_page_with_broken_flate_data_is_carried_as_what_decodes_and_the_packet_checks_clean() {
    let t = TempDir::new("broken-flate");
    let cut = damaged_flate_page("Words before the cut", |z| z[..z.len() * 2 / 3].to_vec());
    let corrupt = damaged_flate_page("Words before the garbage", |mut z| {
        let at = z.len() * 2 / 3;
        z.splice(at..at, std::iter::repeat_n(0xA5, 40));
        z
    });
    write_case(
        t.path(),
        &case_toml(&[("cut.pdf", "progress-note", "2025-09-01", "Cut", ""), ("corrupt.pdf", "progress-note", "2025-09-02", "Corrupt", "")]),
        &[("cut.pdf", cut), ("corrupt.pdf", corrupt)],
    );
    let r = build_json(t.path());
    let warnings: Vec<&str> = r["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    for (file, what) in [("cut.pdf", "its content is cut short"), ("corrupt.pdf", "its content's compressed data is broken")] {
        let said = warnings.iter().find(|w| w.starts_with("exhibit ") && w.contains(file)).unwrap_or_else(|| panic!("{warnings:?}"));
        assert!(said.contains(what) && said.contains("an image's data is broken or cut short"), "{said}");
    }
    qpdf_check(&t.join("packet.pdf"));
    let texts = page_texts(&t.join("packet.pdf")).join("\n");
    assert!(texts.contains("Words before the cut") && texts.contains("Words before the garbage"), "{texts}");
}
