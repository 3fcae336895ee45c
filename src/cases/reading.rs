//! What the app does with a notice or claim file the person drops or picks: the file read into a
//! [`Reading`] for the confirm view, the page pictures that view shows, and the case made (or
//! updated) from the values the person accepted. Thin wrappers: the reading is `notice`'s and
//! `ocr`'s, the saving `prefill`'s.

use super::ops::{detail, Clock};
use super::prefill::{add_reading_to_case, create_case_from_reading, Prefill, Reading};
use super::views::CaseDetail;
use crate::casefile::CaseDoc;
use crate::error::{Error, Result};
use crate::ocr::{OcrError, Tesseract};
use crate::store::Store;
use std::path::Path;

/// The longer side of a page's picture as the confirm view shows it, in pixels.
const PICTURE_SIDE: u32 = 2000;

/// Reads a notice (a PDF, a photo or scan): each page's words from its own text, or by OCR,
/// then the values of a case's fields found in them, each with its page and box. Slow where a
/// page is read by OCR (seconds a page): the app runs it off its UI thread.
pub fn read_notice(path: &Path) -> Result<Reading> {
    let (name, bytes) = file(path)?;
    let pages = crate::ocr::read_pages(&name, &bytes, &Tesseract::default()).map_err(ocr_error)?;
    Ok(crate::notice::read_notice(&name, &pages))
}

/// Reads a claim file (FHIR R4 JSON, X12 835) into the values it gives a case.
pub fn read_claim(path: &Path) -> Result<Reading> {
    let (name, bytes) = file(path)?;
    let imported = crate::claims::read(&bytes).map_err(|e| Error::Other(format!("{name}: {e}")))?;
    Ok(crate::claims::prefill::reading(&name, &imported))
}

/// Page `page` (from 1) of a scanned notice or photo as the upright PNG that OCR read, for the
/// confirm view to draw the boxes of what was found on it.
pub fn notice_picture(path: &Path, page: u32) -> Result<Vec<u8>> {
    let (name, bytes) = file(path)?;
    crate::ocr::upright_png(&name, &bytes, page, PICTURE_SIDE).map_err(ocr_error)
}

/// A file's name (what its format is told by) and its bytes.
fn file(path: &Path) -> Result<(String, Vec<u8>)> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok((name, bytes))
}

/// A file that cannot be opened is a document error, as when it is added; the rest (Tesseract
/// missing, a page it could not read) are said as they are.
fn ocr_error(e: OcrError) -> Error {
    match e {
        OcrError::File { file, why } => Error::Document { file, why },
        other => Error::Other(other.to_string()),
    }
}

/// Creates a case from the confirm view: the form's document with the accepted values in it,
/// and a notice as its denial-letter exhibit, in one transaction. The new case's working view.
pub fn create_from_reading(
    store: &mut Store,
    doc: &CaseDoc,
    accepted: &[Prefill],
    notice: Option<&Path>,
    clock: Clock,
) -> Result<CaseDetail> {
    let id = create_case_from_reading(store, doc, accepted, notice)?;
    detail(store, &id, clock)
}

/// Applies the accepted values (and a notice the case does not hold yet) to case `id`.
pub fn apply_reading(
    store: &mut Store,
    id: &str,
    doc: &CaseDoc,
    accepted: &[Prefill],
    notice: Option<&Path>,
    clock: Clock,
) -> Result<CaseDetail> {
    add_reading_to_case(store, id, doc, accepted, notice)?;
    detail(store, id, clock)
}

/// The bytes of a notice being confirmed, for the page the confirm view draws from its text layer.
pub fn notice_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::Provenance;
    use crate::demo::fixtures;
    use crate::demo::fixtures::notices::medicare_advantage;
    use crate::words::WordSource;

    fn value(target: &str, value: &str) -> Prefill {
        let source = Provenance { page: Some(1), rect: None, text: value.into(), confidence: 0.9, note: None };
        Prefill { target: target.into(), label: target.into(), value: value.into(), source }
    }

    fn clock() -> Clock {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap();
        Clock { now, tz: chrono_tz::America::Chicago }
    }

    /// What the confirm view gets back: the new case's working view, with the notice as its
    /// denial letter and the deadline the notice states among its deadlines; applying a second
    /// reading to it updates it.
    #[test]
    fn the_confirm_view_gets_the_case_with_its_notice_and_deadline() {
        let dir = std::env::temp_dir().join(format!("redress-reading-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut store = Store::open(&dir.join("redress.db")).unwrap();
        let notice = dir.join("Denial Letter.pdf");
        std::fs::write(&notice, fixtures::text_pdf(&["Notice of Denial of Medical Coverage"])).unwrap();
        let mut form = CaseDoc::default();
        form.case.kind = "provider-appeal".into();
        form.case.title = "Home oxygen denial".into();
        form.case.urgency = "standard".into();
        form.member.name = "Ana Ruiz".into();
        form.member.dob = "1950-04-02".into();
        let accepted = [
            value("case.notice_date", "2026-03-02"),
            value("case.program", "medicare-advantage"),
            value("member.member_id", "XJK-4471"),
            value("member.payer", "Acme Advantage"),
            value("case.notice_deadline", "2026-04-20"),
        ];
        let d = create_from_reading(&mut store, &form, &accepted, Some(&notice), clock()).unwrap();
        assert_eq!(d.doc.member.member_id, "XJK-4471");
        assert_eq!(d.doc.exhibit.len(), 1);
        assert_eq!((d.doc.exhibit[0].kind.as_str(), d.doc.exhibit[0].date.as_str()), ("denial-letter", "2026-03-02"));
        assert!(d.exhibits[0].sha256.is_some(), "the notice is in the vault: {:?}", d.exhibits);
        assert!(d.deadlines.iter().any(|x| x.due == "2026-04-20"), "the stated deadline governs: {:?}", d.deadlines);

        let again = apply_reading(&mut store, &d.id, &d.doc, &[value("case.reference", "UM-88")], None, clock()).unwrap();
        assert_eq!(again.doc.case.reference.as_deref(), Some("UM-88"));
        assert_eq!(again.doc.exhibit.len(), 1);
        // A refused value saves nothing.
        let bad = apply_reading(&mut store, &d.id, &again.doc, &[value("member.dob", "not a date")], None, clock());
        assert!(bad.is_err());
        assert_eq!(crate::cases::detail(&store, &d.id, clock()).unwrap().doc.member.dob, "1950-04-02");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// What the confirm view is handed for a notice with a text layer (read from it, no OCR):
    /// every value the layout prints, on its page, with a box inside that page; and a page
    /// picture of a photographed notice, upright.
    #[test]
    fn a_notice_is_read_for_the_confirm_view_with_its_pages() {
        let dir = std::env::temp_dir().join(format!("redress-read-notice-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let layout = medicare_advantage();
        let pdf = dir.join("Denial.pdf");
        std::fs::write(&pdf, fixtures::notices::notice_pdf(&layout)).unwrap();
        let r = read_notice(&pdf).unwrap();
        assert_eq!((r.file_name.as_str(), r.kind.as_str(), r.pages.len()), ("Denial.pdf", "notice", layout.pages.len()));
        assert!(r.pages.iter().all(|p| p.source == WordSource::TextLayer), "{:?}", r.pages);
        for want in &layout.expected {
            let v = r.values.iter().find(|v| v.target == want.target && v.value == want.value);
            let v = v.unwrap_or_else(|| panic!("{} = {} not found in {:#?}", want.target, want.value, r.values));
            assert_eq!(v.source.page, Some(want.page), "{}", want.target);
            let page = &r.pages[want.page as usize - 1];
            let b = v.source.rect.unwrap_or_else(|| panic!("{} has no box", want.target));
            assert!(b.x >= 0.0 && b.y >= 0.0 && b.x + b.w <= page.width && b.y + b.h <= page.height, "{}: {b:?} on {page:?}", want.target);
        }
        // A picture only for pages without their own text.
        let err = notice_picture(&pdf, 1).unwrap_err().to_string();
        assert!(err.contains("Denial.pdf") && err.contains("page 1") && err.contains("its own text"), "{err}");

        let photo = dir.join("IMG_4471.jpg");
        std::fs::write(&photo, fixtures::notice_scan(&layout.pages[..1], fixtures::ScanFormat::PhotoExif6)).unwrap();
        let png = notice_picture(&photo, 1).unwrap();
        let shown = image::load_from_memory(&png).unwrap();
        // Stored on its side (EXIF orientation 6): shown as the letter is read, 8.5 in wide at
        // 200 pixels to the inch, wider than the half page is tall.
        assert_eq!(shown.width(), 1700, "upright, as the letter is read: {}×{}", shown.width(), shown.height());
        assert!(shown.height() < shown.width());
        assert!(shown.width().max(shown.height()) <= PICTURE_SIDE);

        let missing = read_notice(&dir.join("gone.pdf")).unwrap_err().to_string();
        assert!(missing.contains("gone.pdf"), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A claim file gives its values without pages; a file that is not one is named.
    #[test]
    fn a_claim_file_is_read_for_the_confirm_view() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/claims");
        let r = read_claim(&fixtures.join("remit-dme.835")).unwrap();
        assert_eq!((r.kind.as_str(), r.pages.len()), ("claim", 0));
        assert!(r.values.iter().any(|v| v.target == "member.member_id"), "{:#?}", r.values);
        assert!(r.values.iter().all(|v| v.source.page.is_none() && v.source.rect.is_none()));
        let dir = std::env::temp_dir().join(format!("redress-read-claim-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("eob.json");
        std::fs::write(&bad, "{ not json").unwrap();
        let err = read_claim(&bad).unwrap_err().to_string();
        assert!(err.starts_with("eob.json: "), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
