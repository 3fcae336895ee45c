//! The verdicts of the exhibits' picture checks, kept so that a rebuild does not check the same
//! bytes again. Whether a JPEG's picture is whole (its scans walked code by code, and decoded
//! where the walk does not judge it) depends only on its bytes and on the checks' version
//! (`import::image::PICTURE_CHECKS`); so "whole" is kept under the file's SHA-256 and that
//! version, in a folder beside the case as OCR readings are. The file is still read in every
//! build and hashed unless its fingerprint vouches for its hash (`fingerprints`), so a changed
//! file is a new key and is checked again; a refusal is never kept,
//! so it is checked, and said, again each time. Within one build the verdicts are remembered
//! even with no folder, so a size budget's later attempts do not check the photos again.

use super::fingerprints::Fingerprints;
use crate::casefile::CaseFolder;
use crate::import::image::{PictureCheck, ScanEnd, PICTURE_CHECKS};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where a case's verdicts are kept: a case folder's `.redress/checked/`, or for a case in the
/// database `checked/` beside the database (beside the `ocr/` readings of
/// `OcrOptions::beside`). Each entry names a SHA-256 and a verdict, with where a JPEG's picture
/// data lies in the file (two byte offsets), nothing of the document's content.
pub fn beside(folder: &CaseFolder) -> PathBuf {
    match folder.sources {
        Some(_) => beside_database(&folder.dir),
        None => folder.dir.join(".redress").join("checked"),
    }
}

/// Where the verdicts of the cases in the database in `folder` are kept.
pub fn beside_database(folder: &Path) -> PathBuf {
    folder.join("checked")
}

/// Keeps the verdict that the JPEG with this SHA-256 passed the full picture check, found when
/// it was added to a case in the database (`cases::add_documents` opens each file as the build
/// will), in `dir` (a case's [`beside`]), with where its picture data lies when it has one scan
/// (`Photo::scan` of those very bytes): the case's first build then need not walk it again,
/// nor look through it for its scan's end. One that cannot be kept costs only a check at that
/// build.
pub fn keep_whole(dir: &Path, sha256: &str, scan: Option<ScanEnd>) {
    if write_entry(&entry_path(dir, sha256), sha256, scan).is_err() {
        tracing::debug!("a picture check's verdict could not be kept");
    }
}

/// The verdicts one build knows: those kept in its folder (when it has one) and those it finds,
/// which [`Verdicts::keep`] writes once the packet is in place (a refused build leaves nothing).
/// Beside them, the input files' SHA-256 by their stat fingerprints (`fingerprints`).
pub(super) struct Verdicts {
    dir: Option<PathBuf>,
    /// Files (by SHA-256) known whole, with where the picture data of a JPEG of one scan lies,
    /// and those of them to be kept (found whole, or their scan's end found, in this build).
    whole: Mutex<(Known, Vec<String>)>,
    /// The input files' SHA-256 by fingerprint.
    pub files: Fingerprints,
    /// The fax pictures of the photos, kept for the build's later attempts when it may make
    /// more than one ([`Verdicts::keeping_fax_pictures`]).
    pub fax_pictures: super::fax::Pictures,
}

impl Verdicts {
    /// The verdicts kept in `dir`, and the fingerprints kept beside it when `fingerprints` (not
    /// for an encrypted store's case, whose working copies are new each build).
    pub fn new(dir: Option<PathBuf>, fingerprints: bool) -> Verdicts {
        let hashed = dir.as_deref().filter(|_| fingerprints).map(super::fingerprints::beside_checked);
        let (whole, files) = (Mutex::new((HashMap::new(), Vec::new())), Fingerprints::read(hashed));
        Verdicts { dir, whole, files, fax_pictures: super::fax::Pictures::default() }
    }

    /// These verdicts, with the fax pictures of the photos kept for the build's later attempts
    /// when `keep` (a fax under a size budget, built as one file and perhaps then in volumes).
    pub fn keeping_fax_pictures(self, keep: bool) -> Verdicts {
        Verdicts { fax_pictures: super::fax::Pictures::new(keep), ..self }
    }

    /// How the picture of the file with this SHA-256 (hex) is to be checked.
    pub fn check(&self, sha256: &str) -> PictureCheck {
        let remembered = self.whole.lock().ok().and_then(|w| w.0.get(sha256).copied());
        if let Some(scan) = remembered {
            return PictureCheck::KnownWhole(scan);
        }
        let Some(scan) = self.dir.as_ref().and_then(|d| kept(d, sha256)) else {
            return PictureCheck::Full;
        };
        // Remembered for the build's later attempts, and not written again (it is kept).
        if let Ok(mut w) = self.whole.lock() {
            w.0.insert(sha256.to_string(), scan);
        }
        PictureCheck::KnownWhole(scan)
    }

    /// Notes that the file with this SHA-256 passed the full check, or was known to and has
    /// now had its scan's end found (`scan`: the opened photo's `Photo::scan`, found in the
    /// very bytes this hash is of); kept unless it was kept so already.
    pub fn passed(&self, sha256: &str, scan: Option<ScanEnd>) {
        if let Ok(mut w) = self.whole.lock() {
            if w.0.insert(sha256.to_string(), scan) != Some(scan) {
                w.1.push(sha256.to_string());
            }
        }
    }

    /// Writes the verdicts this build found into the folder. One that cannot be kept (a
    /// read-only case folder) costs only a check next time.
    pub fn keep(&self) {
        self.files.keep();
        let (Some(dir), Ok(mut w)) = (&self.dir, self.whole.lock()) else { return };
        let (known, found) = &mut *w;
        let failed = found
            .drain(..)
            .filter(|sha256| write_entry(&entry_path(dir, sha256), sha256, known.get(sha256).copied().flatten()).is_err())
            .count();
        if failed > 0 {
            tracing::debug!(failed, "picture checks' verdicts could not be kept");
        }
    }
}

/// Files known whole by SHA-256, each with its scan's end where one is known.
type Known = HashMap<String, Option<ScanEnd>>;

/// What an entry holds: the file it is about, the checks' version and the verdict, with where
/// the picture data of a JPEG of one scan lies in the file (an entry kept before this was
/// kept has none: the strip then looks for it, and the entry is kept again with it).
#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    sha256: String,
    checks: u32,
    verdict: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scan: Option<ScanEnd>,
    /// SHA-256 of the entry's other fields (`sum_of`): a damaged entry that still reads as
    /// JSON must not send the strip to the wrong place in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sum: Option<String>,
}

/// What an entry's `sum` is for its fields.
fn sum_of(sha256: &str, checks: u32, verdict: &str, scan: &ScanEnd) -> String {
    let fields = format!("{sha256} {checks} {verdict} {} {} {}", scan.start, scan.end, scan.restarts_in_order);
    super::hex(&Sha256::digest(fields.as_bytes()))
}

const WHOLE: &str = "whole";

/// `<dir>/ab/abcdef…` named by the file's SHA-256 and the checks' version together, so a new
/// version finds none of the old entries.
fn entry_path(dir: &Path, sha256: &str) -> PathBuf {
    let key = super::hex(&Sha256::digest(format!("picture checks {PICTURE_CHECKS}\n{sha256}").as_bytes()));
    dir.join(&key[..2]).join(format!("{key}.json"))
}

/// Whether `dir` keeps the verdict that the file with this SHA-256 passed these checks.
pub fn kept_whole(dir: &Path, sha256: &str) -> bool {
    kept(dir, sha256).is_some()
}

/// The verdict `dir` keeps that the file with this SHA-256 passed these checks, with its
/// scan's end where the entry has one.
pub fn kept(dir: &Path, sha256: &str) -> Option<Option<ScanEnd>> {
    read_entry(&entry_path(dir, sha256), sha256)
}

/// Whether the entry at `path` says the file with this SHA-256 passed these checks; anything
/// else (missing, cut short, another file or version) is no verdict, and the file is checked.
fn read_entry(path: &Path, sha256: &str) -> Option<Option<ScanEnd>> {
    let bytes = std::fs::read(path).ok()?;
    let entry = serde_json::from_slice::<Entry>(&bytes).ok()?;
    let whole = entry.sha256 == sha256 && entry.checks == PICTURE_CHECKS && entry.verdict == WHOLE;
    // A scan's end is taken only as it was written, and only for data the walk found whole.
    let scan = entry.scan.filter(|s| s.restarts_in_order && entry.sum.as_deref() == Some(&sum_of(sha256, entry.checks, &entry.verdict, s)));
    whole.then_some(scan)
}

fn write_entry(path: &Path, sha256: &str, scan: Option<ScanEnd>) -> crate::error::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| crate::error::Error::io(dir, e))?;
    }
    let sum = scan.as_ref().map(|s| sum_of(sha256, PICTURE_CHECKS, WHOLE, s));
    let entry = Entry { sha256: sha256.to_string(), checks: PICTURE_CHECKS, verdict: WHOLE.to_string(), scan, sum };
    let json = serde_json::to_vec(&entry).map_err(|e| crate::error::Error::Other(e.to_string()))?;
    crate::atomic::write_cache(path, &json)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const OTHER: &str = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    #[test]
    fn a_verdict_is_kept_by_content_and_version_and_a_damaged_entry_is_none() {
        let dir = std::env::temp_dir().join(format!("redress-verdicts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let kept = dir.join("checked");
        let first = Verdicts::new(Some(kept.clone()), false);
        assert_eq!(first.check(FILE), PictureCheck::Full, "nothing kept yet");
        first.passed(FILE, None);
        assert_eq!(Verdicts::new(Some(kept.clone()), false).check(FILE), PictureCheck::Full, "kept only when the build keeps it");
        first.keep();
        let later = Verdicts::new(Some(kept.clone()), false);
        assert_eq!(later.check(FILE), PictureCheck::KnownWhole(None), "a later build finds it");
        assert_eq!(later.check(OTHER), PictureCheck::Full, "another file's bytes are checked");
        // An entry cut short, or naming another file, or another version, is no verdict.
        let path = entry_path(&kept, FILE);
        let json = std::fs::read(&path).unwrap();
        for bad in [json[..json.len() / 2].to_vec(), String::from_utf8_lossy(&json).replace(FILE, OTHER).into_bytes()] {
            std::fs::write(&path, bad).unwrap();
            assert_eq!(Verdicts::new(Some(kept.clone()), false).check(FILE), PictureCheck::Full);
        }
        let old = format!(r#"{{"sha256":"{FILE}","checks":{},"verdict":"whole"}}"#, PICTURE_CHECKS + 1);
        std::fs::write(&path, old).unwrap();
        assert_eq!(Verdicts::new(Some(kept), false).check(FILE), PictureCheck::Full);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_scan_end_is_kept_with_its_verdict_and_an_entry_without_one_still_passes() {
        let dir = std::env::temp_dir().join(format!("redress-verdicts-scan-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let folder = dir.join("checked");
        let scan = ScanEnd { start: 623, end: 2_203_117, restarts_in_order: true };
        let first = Verdicts::new(Some(folder.clone()), false);
        first.passed(FILE, Some(scan));
        first.keep();
        assert_eq!(Verdicts::new(Some(folder.clone()), false).check(FILE), PictureCheck::KnownWhole(Some(scan)));
        // An entry as builds kept it before the scan's end was kept: still passed, the end
        // looked for, and once found kept with it.
        let path = entry_path(&folder, FILE);
        std::fs::write(&path, format!(r#"{{"sha256":"{FILE}","checks":{PICTURE_CHECKS},"verdict":"whole"}}"#)).unwrap();
        let old = Verdicts::new(Some(folder.clone()), false);
        assert_eq!(old.check(FILE), PictureCheck::KnownWhole(None));
        old.passed(FILE, Some(scan));
        assert_eq!(old.check(FILE), PictureCheck::KnownWhole(Some(scan)), "the build's later attempts take it");
        assert_eq!(kept(&folder, FILE), Some(None), "kept only when the build keeps it");
        old.keep();
        assert_eq!(kept(&folder, FILE), Some(Some(scan)));
        let json = std::fs::read_to_string(&path).unwrap();
        // An end damaged into another number: the verdict stands, the end is looked for again.
        std::fs::write(&path, json.replace("2203117", "2203118")).unwrap();
        assert_eq!(kept(&folder, FILE), Some(None));
        // Restarts out of order are never a verdict's, however the entry came to say so.
        let out_of_order = ScanEnd { restarts_in_order: false, ..scan };
        let sum = sum_of(FILE, PICTURE_CHECKS, WHOLE, &out_of_order);
        std::fs::write(&path, json.replace("true", "false").replace(&sum_of(FILE, PICTURE_CHECKS, WHOLE, &scan), &sum)).unwrap();
        assert_eq!(kept(&folder, FILE), Some(None));
        std::fs::write(&path, &json).unwrap();
        // An end that is not a scan's end (a word for a number) makes the entry no verdict.
        let json = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, json.replace("2203117", "\"far\"")).unwrap();
        assert_eq!(Verdicts::new(Some(folder.clone()), false).check(FILE), PictureCheck::Full);
        // A photo added to a case keeps its end too.
        keep_whole(&folder, OTHER, Some(scan));
        assert_eq!(kept(&folder, OTHER), Some(Some(scan)));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn without_a_folder_a_verdict_lasts_the_build() {
        let v = Verdicts::new(None, false);
        v.passed(FILE, None);
        assert_eq!(v.check(FILE), PictureCheck::KnownWhole(None));
        assert_eq!(Verdicts::new(None, false).check(FILE), PictureCheck::Full);
    }
}
