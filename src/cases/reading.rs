//! What the app does with a notice or claim file the person drops or picks: the file read into a
//! [`Reading`] for the confirm view, the page pictures that view shows, and the case made (or
//! updated) from the values the person accepted. Thin wrappers: the reading is `notice`'s and
//! `ocr`'s, the saving `prefill`'s.

use super::ops::{detail, Clock};
use super::prefill::{add_reading_to_case, create_case_from_reading, Prefill};
use super::views::CaseDetail;
use crate::casefile::CaseDoc;
use crate::error::{Error, Result};
use crate::store::Store;
use std::path::Path;

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
}
