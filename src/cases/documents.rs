//! Why a document was not added to a case, and unlocking a password-protected PDF: the
//! unlocked (decrypted, unencrypted) copy is what the vault keeps, so no build needs the
//! password.

use super::ops::{add_documents, Clock};
use super::views::AddedDocuments;
use crate::error::{Error, Result};
use crate::import;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Why a file was not added, for the UI to switch on (a password-protected PDF gets the unlock
/// dialog).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum RefusalReason {
    /// Not a file, or it cannot be read.
    Unreadable,
    /// The case already holds the same content.
    Duplicate,
    NeedsPassword,
    WrongPassword,
    Truncated,
    Damaged,
    NotTheFormat,
    TooLarge,
    Unsupported,
    NoSuchPage,
}

impl From<import::ErrorKind> for RefusalReason {
    fn from(kind: import::ErrorKind) -> Self {
        use import::ErrorKind as K;
        match kind {
            K::NeedsPassword => RefusalReason::NeedsPassword,
            K::WrongPassword => RefusalReason::WrongPassword,
            K::Truncated => RefusalReason::Truncated,
            K::Damaged => RefusalReason::Damaged,
            K::NotTheFormat => RefusalReason::NotTheFormat,
            K::TooLarge => RefusalReason::TooLarge,
            K::Unsupported => RefusalReason::Unsupported,
            K::NoSuchPage => RefusalReason::NoSuchPage,
        }
    }
}

/// A file that was not added: its name, why in words, the path it was picked from (to unlock
/// it with its password), and why as a kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RefusedDocument {
    /// The file's name.
    pub location: String,
    pub message: String,
    pub path: String,
    pub reason: RefusalReason,
}

/// Why a file was not added, as `add_documents` finds it.
pub(super) enum Refusal {
    Unreadable,
    Because(import::Error),
    /// The case already holds the same content, as this exhibit file.
    Duplicate(String),
}

impl Refusal {
    pub(super) fn reason(&self) -> RefusalReason {
        match self {
            Refusal::Unreadable => RefusalReason::Unreadable,
            Refusal::Because(e) => e.kind().into(),
            Refusal::Duplicate(_) => RefusalReason::Duplicate,
        }
    }
}

/// Adds a password-protected PDF to a case: unlocks it with `password`, then adds the unlocked
/// copy as [`add_documents`] adds any file (under the original's name, with the same
/// suggestions) and notes the original's SHA-256 in the case's history. A wrong password is an
/// error ([`import::Error::WrongPassword`]) and adds nothing.
pub fn unlock_document(store: &mut Store, id: &str, path: &Path, password: &str, clock: Clock) -> Result<AddedDocuments> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let unlocked = import::pdf::unlock(&bytes, password).map_err(|why| Error::Document { file: name.clone(), why })?;
    let scratch = Scratch::new(store)?;
    let copy = scratch.dir.join(&name);
    std::fs::write(&copy, &unlocked).map_err(|e| Error::io(&copy, e))?;
    // The original's time, so the date suggested from it is the same as for any other file.
    if let Ok(modified) = std::fs::metadata(path).and_then(|m| m.modified()) {
        let _ = std::fs::File::options().write(true).open(&copy).and_then(|f| f.set_modified(modified));
    }
    let added = add_documents(store, id, &[copy], clock)?;
    if let Some(file) = added.added.first() {
        let original = crate::packet::hex(&<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        store.note(id, &format!("{file} is an unlocked copy of {name} (the password-protected original's SHA-256 is {original})"))?;
    }
    Ok(AddedDocuments {
        refused: added
            .refused
            .into_iter()
            .map(|r| RefusedDocument { location: name.clone(), path: path.display().to_string(), ..r })
            .collect(),
        ..added
    })
}

/// A private folder beside the database for the unlocked copy, removed when dropped.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(store: &Store) -> Result<Scratch> {
        let base = store.path().parent().map(Path::to_path_buf).unwrap_or_default();
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = base.join(format!(".unlock-{}-{n}", std::process::id()));
        // A folder left by a crash of this same process id is stale: start clean.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Scratch { dir })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::{create, detail, load_demo};
    use crate::demo::fixtures;
    use chrono::NaiveDate;

    fn clock() -> Clock {
        Clock { now: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap().and_hms_opt(9, 0, 0).unwrap(), tz: chrono_tz::America::Chicago }
    }

    /// A fresh store in its own folder with one case without documents, and a locked PDF.
    fn setup(tag: &str) -> (PathBuf, Store, String, PathBuf) {
        let dir = std::env::temp_dir().join(format!("redress-unlock-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut store = Store::open(&dir.join("redress.db")).unwrap();
        let mut doc = load_demo(&mut store, &dir, clock()).unwrap().doc;
        doc.exhibit.clear();
        let id = create(&mut store, &doc, clock()).unwrap().id;
        let locked = dir.join("locked-note.pdf");
        std::fs::write(&locked, fixtures::encrypted_pdf("user-secret", "owner-secret")).unwrap();
        (dir, store, id, locked)
    }

    #[test]
    fn a_locked_pdf_is_refused_as_needing_a_password_with_its_path() {
        let (dir, mut store, id, locked) = setup("refused");
        let r = add_documents(&mut store, &id, std::slice::from_ref(&locked), clock()).unwrap();
        assert!(r.added.is_empty());
        assert_eq!(r.refused.len(), 1);
        assert_eq!(r.refused[0].reason, RefusalReason::NeedsPassword);
        assert_eq!(r.refused[0].location, "locked-note.pdf");
        assert_eq!(r.refused[0].path, locked.display().to_string());
        assert_eq!(serde_json::to_value(r.refused[0].reason).unwrap(), "needs-password");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_right_password_stores_an_unlocked_copy_and_notes_the_original() {
        let (dir, mut store, id, locked) = setup("right");
        let r = unlock_document(&mut store, &id, &locked, "user-secret", clock()).unwrap();
        assert_eq!(r.added, ["docs/locked-note.pdf"]);
        assert!(r.refused.is_empty(), "{:?}", r.refused);
        // The vault holds the unlocked copy: it opens without a password, as the build opens it.
        let stored = std::fs::read(crate::cases::document_path(&store, &id, "docs/locked-note.pdf").unwrap()).unwrap();
        assert!(!stored.windows(8).any(|w| w == b"/Encrypt"));
        assert_eq!(import::pdf::open(&stored, None).unwrap().all_pages.len(), 1);
        let original = crate::packet::hex(&<sha2::Sha256 as sha2::Digest>::digest(std::fs::read(&locked).unwrap()));
        let history = store.history(&id).unwrap();
        assert!(history.iter().any(|h| h.what.contains(&original) && h.what.contains("unlocked copy")), "{history:?}");
        // Nothing is left of the scratch copy.
        let left: Vec<_> =
            std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().starts_with(".unlock")).collect();
        assert!(left.is_empty(), "{left:?}");
        // The same file unlocked again is a duplicate, named under its own path.
        let again = unlock_document(&mut store, &id, &locked, "owner-secret", clock()).unwrap();
        assert!(again.added.is_empty());
        assert_eq!(again.refused[0].reason, RefusalReason::Duplicate);
        assert_eq!(again.refused[0].path, locked.display().to_string());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_wrong_password_is_a_clear_error_and_adds_nothing() {
        let (dir, mut store, id, locked) = setup("wrong");
        let e = unlock_document(&mut store, &id, &locked, "guess", clock()).unwrap_err();
        assert!(matches!(&e, Error::Document { why: import::Error::WrongPassword, .. }), "{e:?}");
        assert!(e.to_string().starts_with("locked-note.pdf does not open with that password"), "{e}");
        assert_eq!(crate::cases::AppError::from(e).kind, crate::cases::AppErrorKind::WrongPassword);
        assert!(detail(&store, &id, clock()).unwrap().doc.exhibit.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
