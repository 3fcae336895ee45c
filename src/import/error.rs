//! Why an exhibit file cannot be opened: one variant per kind of failure, each carrying the
//! sentence a person reads (about the file, never a parser's words). Callers match on the
//! variant; the caller names the file or exhibit.

use std::fmt;

/// Why a file was refused. The text of each variant completes "docs/scan.pdf …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A PDF that opens only with a password (a user password). It can be unlocked with
    /// [`crate::import::pdf::unlock`].
    NeedsPassword,
    /// A password was given but it does not open the PDF.
    WrongPassword,
    /// The file ends before its content does (cut off while being saved, downloaded or copied).
    Truncated(String),
    /// The file is complete but its content is broken.
    Damaged(String),
    /// The content is not the format the file's name says (or there is no content at all).
    NotTheFormat(String),
    /// Reading it would take more memory than is safe (a decompression bomb, a huge scan).
    TooLarge(String),
    /// A real file of a kind or variant Redress cannot place in a PDF (HEIC, 12-bit JPEG…).
    Unsupported(String),
    /// The exhibit's page selection asks for a page the PDF does not have.
    NoSuchPage {
        /// The selection as written (`1-3,7`).
        selection: String,
        /// The highest page it asks for.
        asked: u32,
        /// The pages the document has.
        pages: usize,
    },
}

/// The kind of an [`Error`], without its sentence: what the app's UI switches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    NeedsPassword,
    WrongPassword,
    Truncated,
    Damaged,
    NotTheFormat,
    TooLarge,
    Unsupported,
    NoSuchPage,
}

/// What a person can do about a PDF that needs a password.
pub const NEEDS_PASSWORD: &str = "is encrypted and needs a password to open; unlock it with its password (when adding it in \
     the app, or with `redress unlock`) to keep an unprotected copy, and try again";

/// What a person can do when the password given does not open the PDF.
pub const WRONG_PASSWORD: &str = "does not open with that password; check the password (it is case-sensitive) and try again";

impl Error {
    /// The kind alone, for matching across the IPC boundary.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NeedsPassword => ErrorKind::NeedsPassword,
            Error::WrongPassword => ErrorKind::WrongPassword,
            Error::Truncated(_) => ErrorKind::Truncated,
            Error::Damaged(_) => ErrorKind::Damaged,
            Error::NotTheFormat(_) => ErrorKind::NotTheFormat,
            Error::TooLarge(_) => ErrorKind::TooLarge,
            Error::Unsupported(_) => ErrorKind::Unsupported,
            Error::NoSuchPage { .. } => ErrorKind::NoSuchPage,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NeedsPassword => f.write_str(NEEDS_PASSWORD),
            Error::WrongPassword => f.write_str(WRONG_PASSWORD),
            Error::Truncated(s) | Error::Damaged(s) | Error::NotTheFormat(s) | Error::TooLarge(s) | Error::Unsupported(s) => f.write_str(s),
            Error::NoSuchPage { selection, asked, pages } => {
                let s = if *pages == 1 { "" } else { "s" };
                write!(f, "page selection `{selection}` asks for page {asked} but the document has {pages} page{s}")
            }
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_wire_name_and_the_sentence_is_for_people() {
        assert_eq!(serde_json::to_value(ErrorKind::NeedsPassword).unwrap(), "needs-password");
        assert_eq!(serde_json::to_value(ErrorKind::NotTheFormat).unwrap(), "not-the-format");
        assert_eq!(Error::Truncated("is truncated".into()).kind(), ErrorKind::Truncated);
        let locked = Error::NeedsPassword.to_string();
        assert!(locked.contains("encrypted") && locked.contains("password"), "{locked}");
        assert!(Error::WrongPassword.to_string().contains("that password"));
    }
}
