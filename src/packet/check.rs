//! Checking a case folder without building: every exhibit opened exactly as the build opens
//! it (the merge stage's `open_exhibit`), with every problem reported.

use super::merge::open_exhibit;
use crate::casefile::CaseFolder;
use crate::error::{Error, Problem, Result};
use crate::import;

/// What `check` found: the exhibits open, with their page counts, and any warnings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckReport {
    pub exhibits: usize,
    pub pages: usize,
    pub warnings: Vec<String>,
    /// The coverage-criteria checklist of the case's `service`, when it has one: gaps and
    /// contradictions are for the person to see, never a reason to refuse.
    pub checklist: Option<crate::checklist::Evaluation>,
}

/// Validates a case folder without building: opens every exhibit as the build would
/// (format, encryption, damage, page selection, image size) and reports every problem, with
/// the warnings a build on `today` gives about the case itself (`plan::case_warnings`).
pub fn check(folder: &CaseFolder, today: chrono::NaiveDate) -> Result<CheckReport> {
    super::refuse_outside(folder)?;
    let mut problems = Vec::new();
    let mut warnings = super::plan::case_warnings(&folder.case, today);
    let mut pages = 0;
    for (idx, ex) in folder.case.exhibits.iter().enumerate() {
        let at = || crate::error::Location::Exhibit { number: idx + 1, file: ex.file.clone() };
        let label = at().to_string();
        let bytes = match std::fs::read(folder.exhibit_path(ex)) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Problem::exhibit(at(), format!("cannot be read: {e}")));
                continue;
            }
        };
        let mut notes = Vec::new();
        let result = open_exhibit(ex, &bytes, &mut notes).map(|o| o.pages());
        warnings.extend(notes.iter().map(|w| format!("{label}: {w}")));
        match result {
            Ok(n) => pages += n,
            Err(why) => problems.push(Problem::exhibit(at(), why.to_string())),
        }
    }
    let checklist = crate::checklist::evaluate(&folder.case);
    problems.extend(super::cite::dangling(&letter(&folder.case, checklist.as_ref()), &folder.case));
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(CheckReport { exhibits: folder.case.exhibits.len(), pages, warnings, checklist })
}

/// The letter the build would carry. Which exhibits the template cites does not depend on the
/// clock, so it is drawn at the notice date here, where no clock is passed in.
fn letter(case: &crate::model::Case, checklist: Option<&crate::checklist::Evaluation>) -> String {
    match &case.letter {
        Some(own) => own.clone(),
        None => super::template_letter(case, checklist, case.info.notice_date.and_time(chrono::NaiveTime::MIN), chrono_tz::UTC),
    }
}

/// Opens an exhibit's bytes exactly as the build will and says how many pages it gives, with
/// any warnings; the error says what is wrong with the file. The app runs this when a
/// document is added, so a file the build would refuse is named at once.
pub fn check_exhibit(ex: &crate::model::Exhibit, bytes: &[u8]) -> std::result::Result<CheckedExhibit, import::Error> {
    let mut warnings = Vec::new();
    let opened = open_exhibit(ex, bytes, &mut warnings)?;
    let scan = match &opened {
        super::merge::Opened::Photos(photos, import::Format::Jpeg) => photos.first().and_then(|p| p.scan),
        _ => None,
    };
    Ok(CheckedExhibit { pages: opened.pages(), warnings, scan })
}

/// What [`check_exhibit`] found in a file the build would take.
#[derive(Debug)]
pub struct CheckedExhibit {
    /// Pages the exhibit's own content takes.
    pub pages: usize,
    /// The opening's warnings.
    pub warnings: Vec<String>,
    /// A JPEG of one scan: where its picture data lies in these bytes (`Photo::scan`), which
    /// a verdict on them keeps (`verdicts::keep_whole`).
    pub scan: Option<import::image::ScanEnd>,
}
