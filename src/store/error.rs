//! What can go wrong with the database and the vault, each with the file it concerns and the
//! cause underneath, so callers can tell a damaged file from a busy one without reading text.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// A store error: the database or vault file, and what is wrong with it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The path names a folder.
    #[error("{}: is a folder, not a database file", .path.display())]
    NotAFile { path: PathBuf },
    /// Not SQLite, or SQLite finds it damaged; refused and left as it is.
    #[error("{}: is not a Redress database or is damaged ({detail}); it was left as it is: restore it from a backup, or move it aside to start a new one", .path.display())]
    Damaged {
        path: PathBuf,
        detail: String,
        #[source]
        source: Option<rusqlite::Error>,
    },
    /// Another program's SQLite database; refused and left as it is.
    #[error("{}: is another program's SQLite database, not Redress's; it was left as it is: choose another file with --db", .path.display())]
    Foreign { path: PathBuf },
    /// Written by a newer Redress; refused and left as it is.
    #[error("{}: was written by a newer version of Redress (database version {version}; this version knows up to {known}); it was left as it is: update Redress to open it", .path.display())]
    Newer { path: PathBuf, version: i64, known: i64 },
    /// Another process held the write lock for longer than the store waits.
    #[error("{}: is busy: another Redress is writing to it (waited {} s); try again when it has finished", .path.display(), .waited.as_secs())]
    Locked {
        path: PathBuf,
        waited: Duration,
        #[source]
        source: rusqlite::Error,
    },
    /// Any other database error; a full disk is said in words.
    #[error("{}: {}", .path.display(), sql_text(.source))]
    Sql {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// A stored case is not what this version writes.
    #[error("{}: case {case_id}: {detail}; the database may be damaged", .path.display())]
    CaseDamaged { path: PathBuf, case_id: String, detail: String },
    /// A vault file cannot be used.
    #[error("vault file {} {problem}", .path.display())]
    Document { path: PathBuf, problem: DocumentProblem },
    /// Exhibits whose documents cannot be used, each named.
    #[error("{}", exhibit_lines(.case_id.as_deref(), .exhibits, .advice))]
    Exhibits { case_id: Option<String>, exhibits: Vec<ExhibitDocument>, advice: &'static str },
    /// The store is encrypted and no passphrase was given.
    #[error("{}: is encrypted: give its passphrase (in REDRESS_PASSPHRASE, or when asked)", .path.display())]
    NeedsPassphrase { path: PathBuf },
    /// The passphrase does not unlock the key file; nothing was changed.
    #[error("the passphrase is not the one this store was encrypted with ({}); nothing was changed", .path.display())]
    WrongPassphrase { path: PathBuf },
    /// The key file cannot be read as one.
    #[error("{}: cannot be used as the store's key file: {detail}; it was left as it is: restore it from a backup", .path.display())]
    KeyFile { path: PathBuf, detail: String },
    /// Another process is encrypting or decrypting the store right now.
    #[error("{}: another Redress is encrypting or decrypting this store right now; try again when it has finished", .path.display())]
    Switching { path: PathBuf },
    /// Another process has the database open, so it cannot be switched now.
    #[error("{}: is open in another Redress (the app, or another command); close it, then encrypt or decrypt again; nothing was changed", .path.display())]
    InUse { path: PathBuf },
    /// The case has no exhibit with this file.
    #[error("case {case_id} has no document {file}")]
    NoDocument { case_id: String, file: String },
}

/// What is wrong with a vault file.
#[derive(Debug)]
pub enum DocumentProblem {
    /// The name asked for is not a SHA-256, so no vault file can hold it.
    NotAHash,
    Missing,
    /// Its content no longer hashes to its name.
    Changed,
    Unreadable(std::io::Error),
}

impl fmt::Display for DocumentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentProblem::NotAHash => f.write_str("cannot exist: the name asked for is not a SHA-256"),
            DocumentProblem::Missing => f.write_str("is missing"),
            DocumentProblem::Changed => f.write_str("has been changed or damaged (its SHA-256 no longer matches)"),
            DocumentProblem::Unreadable(e) => write!(f, "cannot be read: {e}"),
        }
    }
}

/// One exhibit whose document cannot be used.
#[derive(Debug)]
pub struct ExhibitDocument {
    /// 1-based, in the order case.toml gives.
    pub number: usize,
    pub file: String,
    pub problem: ExhibitProblem,
}

#[derive(Debug)]
pub enum ExhibitProblem {
    /// The vault file is missing, changed or unreadable.
    Vault(Box<crate::Error>),
    /// No document was stored for the exhibit.
    NotStored,
    /// The stored file name is not a path inside a folder.
    Outside,
}

impl fmt::Display for ExhibitProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExhibitProblem::Vault(e) => write!(f, "{e}"),
            ExhibitProblem::NotStored => f.write_str("no document is stored for it; add the file again"),
            ExhibitProblem::Outside => f.write_str("the stored file name is not a path inside a folder"),
        }
    }
}

/// The disk could not be read or written (full, or failing): nothing says the file is damaged.
pub(crate) fn is_io_failure(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure))
}

/// SQLite's words, or a full disk in plain words: `SQLITE_FULL`, or the shared-memory file
/// beside the database not growing (`SQLITE_IOERR_SHMSIZE`), which only a full disk or a file
/// size limit makes fail.
fn sql_text(e: &rusqlite::Error) -> String {
    const SHM_SIZE: i32 = rusqlite::ffi::SQLITE_IOERR_SHMSIZE;
    let full = match e {
        rusqlite::Error::SqliteFailure(f, _) => f.code == rusqlite::ErrorCode::DiskFull || f.extended_code == SHM_SIZE,
        _ => false,
    };
    if full {
        crate::error::DISK_FULL.to_string()
    } else if e.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure) {
        // SQLite tells a full disk apart only by ENOSPC: a file size limit or quota comes as this.
        "the disk refused a read or write (it may be full, or failing); free some space or check the disk, and try again".into()
    } else {
        e.to_string()
    }
}

fn exhibit_lines(case_id: Option<&str>, exhibits: &[ExhibitDocument], advice: &str) -> String {
    let case = case_id.map(|c| format!("case {c}: ")).unwrap_or_default();
    let mut lines: Vec<String> = exhibits.iter().map(|e| format!("{case}exhibit {} ({}): {}", e.number, e.file, e.problem)).collect();
    if !advice.is_empty() {
        lines.push(advice.to_string());
    }
    lines.join("\n")
}

impl StoreError {
    /// A database error on `path`: a busy database is [`StoreError::Locked`].
    pub fn sql(path: &std::path::Path, source: rusqlite::Error, waited: Duration) -> StoreError {
        let busy = matches!(source.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked));
        if busy {
            StoreError::Locked { path: path.to_path_buf(), waited, source }
        } else {
            StoreError::Sql { path: path.to_path_buf(), source }
        }
    }
}
