//! How a library error reaches the app: a `kind` the UI switches on (a TypeScript union), the
//! sentence people read, and the problems one per line.

use super::views::ProblemView;
use serde::{Deserialize, Serialize};

/// What kind of failure an [`AppError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum AppErrorKind {
    /// The case breaks the contract: see `problems`.
    Invalid,
    /// No such case.
    NotFound,
    /// The database or the vault failed.
    Store,
    /// Reading or writing a file failed.
    Io,
    /// The build was cancelled.
    Cancelled,
    /// A PDF opens only with a password: the UI offers to enter it.
    NeedsPassword,
    /// The password given does not open the PDF.
    WrongPassword,
    /// A document cannot be opened for another reason (truncated, damaged, not what its name
    /// says, too large, unsupported).
    Document,
    /// The case has no packet yet.
    NoPacket,
    /// A path the window sent that the person did not pick in a dialog of the app's or drop on
    /// its window (`cases::Picked`): nothing was read or written.
    NotPicked,
    /// The store is encrypted: the UI asks for its passphrase (the Unlock screen).
    NeedsPassphrase,
    /// The passphrase given does not open the store; nothing was changed.
    WrongPassphrase,
    /// The store's encryption is being switched: try again when it is done.
    Switching,
    /// Anything else.
    Other,
}

/// An error the UI can switch on by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct AppError {
    pub kind: AppErrorKind,
    pub message: String,
    pub problems: Vec<ProblemView>,
}

impl AppError {
    /// An error of the shell itself (not of the library), with a sentence that names what failed.
    pub fn new(kind: AppErrorKind, message: impl Into<String>) -> AppError {
        AppError { kind, message: message.into(), problems: Vec::new() }
    }
}

/// The kind a library error reaches the UI as.
pub fn kind_of(e: &crate::Error) -> AppErrorKind {
    use crate::import::ErrorKind as Import;
    use crate::Error::*;
    match e {
        Invalid(_) => AppErrorKind::Invalid,
        Document { why, .. } => match why.kind() {
            Import::NeedsPassword => AppErrorKind::NeedsPassword,
            Import::WrongPassword => AppErrorKind::WrongPassword,
            _ => AppErrorKind::Document,
        },
        Io { .. } | Unwritable { .. } => AppErrorKind::Io,
        Claim { .. } => AppErrorKind::Document,
        NoSuchCase { .. } | UnknownProfile { .. } => AppErrorKind::NotFound,
        NoPacket { .. } => AppErrorKind::NoPacket,
        Store(crate::store::StoreError::NeedsPassphrase { .. }) => AppErrorKind::NeedsPassphrase,
        Store(crate::store::StoreError::WrongPassphrase { .. }) => AppErrorKind::WrongPassphrase,
        Store(crate::store::StoreError::Switching { .. }) => AppErrorKind::Switching,
        Store(_) | Backup(_) => AppErrorKind::Store,
        Cancelled => AppErrorKind::Cancelled,
        Limits(_) | Other(_) => AppErrorKind::Other,
    }
}

impl From<crate::Error> for AppError {
    fn from(e: crate::Error) -> Self {
        let problems = match &e {
            crate::Error::Invalid(p) => p
                .iter()
                .map(|p| ProblemView {
                    location: if p.file.is_empty() || p.file == "case.toml" {
                        p.location.to_string()
                    } else {
                        format!("{} {}", p.file, p.location).trim().to_string()
                    },
                    message: p.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let kind = kind_of(&e);
        // The kind and a count only: the message names files and may quote a value typed.
        tracing::warn!(?kind, problems = problems.len(), "the app reports an error");
        AppError { kind, message: e.to_string(), problems }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import;

    #[test]
    fn a_locked_pdf_and_a_wrong_password_reach_the_ui_as_their_own_kinds() {
        let doc = |why| crate::Error::Document { file: "locked.pdf".into(), why };
        let locked = AppError::from(doc(import::Error::NeedsPassword));
        assert_eq!(locked.kind, AppErrorKind::NeedsPassword);
        assert!(locked.message.starts_with("locked.pdf is encrypted"), "{}", locked.message);
        assert_eq!(AppError::from(doc(import::Error::WrongPassword)).kind, AppErrorKind::WrongPassword);
        assert_eq!(AppError::from(doc(import::Error::Truncated("is truncated".into()))).kind, AppErrorKind::Document);
        let json = serde_json::to_value(AppError::from(crate::Error::NoPacket { id: "a".into() })).unwrap();
        assert_eq!(json["kind"], "no-packet");
        assert_eq!(serde_json::to_value(AppErrorKind::NotFound).unwrap(), "not-found");
    }
}
