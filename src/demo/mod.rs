//! The demo case folder and the document generators that it and the tests share.
//!
//! ```no_run
//! let today = chrono::Local::now().date_naive();
//! let dir = redress::demo::write_demo(std::path::Path::new("hayes-oxygen-appeal"), today)?;
//! let folder = redress::casefile::load(&dir)?;
//! assert_eq!(folder.case.member.name, "Walter Hayes");
//! # Ok::<(), redress::Error>(())
//! ```

mod case;
mod documents;
pub mod fixtures;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod harness;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod mutate;
mod pictures;
pub mod walk;

#[cfg(test)]
mod tests;

use crate::atomic::write_atomically;
use crate::casefile::{to_toml, CASE_FILE};
use crate::{Error, Result};
use case::Dates;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Writes a sample case folder at `dir` (created if needed) and returns it: a provider appeal
/// of a denied home oxygen authorization under Medicare Advantage, with `case.toml` and one
/// document of every kind the importer reads under `docs/`. Every date counts back from
/// `today`, so the filing deadline is live; the same `today` gives the same bytes.
///
/// A new folder appears whole or not at all (written under a temporary name beside it, then
/// renamed). Over an earlier demo the new files are written whole beside the folder first, so a
/// full disk stops the demo before anything in it changes; then each is renamed over its old
/// version. Files the demo does not write are left alone; a `letter.md` someone added stays and
/// replaces the template letter.
pub fn write_demo(dir: &Path, today: NaiveDate) -> Result<PathBuf> {
    let dates = Dates::new(today)?;
    let mut files = documents_of(&dates)?;
    // Last, so a folder whose case.toml exists has every exhibit it names.
    files.push((CASE_FILE, to_toml(&case::build(&dates)).into_bytes()));
    if dir.exists() {
        let (staged, temp) = crate::atomic::TempDir::beside(dir)?;
        write_files(&temp, &files).map_err(|e| crate::atomic::as_if_in(e, &temp, dir))?;
        let docs = dir.join("docs");
        std::fs::create_dir_all(&docs).map_err(|e| Error::io(&docs, e))?;
        for (file, _) in &files {
            std::fs::rename(temp.join(file), dir.join(file)).map_err(|e| Error::io(dir.join(file), e))?;
        }
        crate::atomic::sync_dir(&docs)?;
        crate::atomic::sync_dir(dir)?;
        drop(staged);
    } else {
        crate::atomic::create_dir_whole(dir, |temp| write_files(temp, &files))?;
    }
    Ok(dir.to_path_buf())
}

/// Writes `files` (paths relative to `dir`, each in `dir` or its `docs/`), each atomically.
fn write_files(dir: &Path, files: &[(&str, Vec<u8>)]) -> Result<()> {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).map_err(|e| Error::io(&docs, e))?;
    for (file, bytes) in files {
        write_atomically(&dir.join(file), bytes)?;
    }
    Ok(())
}

/// Every exhibit file of the demo with its contents.
fn documents_of(d: &Dates) -> Result<Vec<(&'static str, Vec<u8>)>> {
    use fixtures::{try_pdf_with, PageSpec, PdfOptions};
    let titled = |title: &str, pages: Vec<String>| PdfOptions {
        pages: pages.iter().map(|t| PageSpec::letter(t)).collect(),
        object_streams: false,
        title: Some(title.to_string()),
    };
    let [denial1, denial2] = documents::denial(d);
    Ok(vec![
        (case::OXIMETRY_SCAN, fixtures::scanned_pdf_from(&pictures::oximetry_scan(d))?),
        (case::PROGRESS_NOTE, documents::progress_note(d).into_bytes()),
        (case::OXIMETER_PHOTO, pictures::oximeter_photo(d)?),
        (case::ORDER, try_pdf_with(&titled("Standard written order: home oxygen", vec![documents::order(d)]))?),
        (case::FAX_CONFIRMATION, pictures::fax_confirmation(d)?),
        (case::PORTAL_SCREENSHOT, pictures::portal_screenshot(d)?),
        (case::DENIAL_LETTER, try_pdf_with(&titled("Notice of Denial of Medical Coverage", vec![denial1, denial2]))?),
        (case::CALL_LOG, documents::call_log(d).into_bytes()),
    ])
}
