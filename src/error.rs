//! The library's error type: every variant says which file, key or exhibit is wrong.

use std::fmt;
use std::path::PathBuf;

/// One problem found in a case folder: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The file the problem is in, relative to the case folder (`case.toml`, `docs/note.pdf`).
    pub file: String,
    /// Where in the file: `member.dob`, `exhibit 3 (docs/note.pdf)`.
    pub location: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl Problem {
    pub fn new(file: impl Into<String>, location: impl Into<String>, message: impl Into<String>) -> Self {
        Problem { file: file.into(), location: location.into(), message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.file.is_empty() {
            write!(f, "{}: {}", self.location, self.message)
        } else if self.location.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.location, self.message)
        }
    }
}

/// Everything that can go wrong in Redress.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The case folder breaks the contract; every problem found is listed.
    #[error("{}", list(.0))]
    Invalid(Vec<Problem>),
    /// An exhibit could not be read or placed.
    #[error("exhibit {number} ({file}): {message}")]
    Exhibit { number: usize, file: String, message: String },
    /// Reading or writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// The database holds no case with this id.
    #[error("no case `{id}` in {}", .db.display())]
    NoSuchCase { id: String, db: PathBuf },
    /// A store (database or vault) problem, with the file and the cause.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The build was cancelled by the caller; nothing was written.
    #[error("cancelled")]
    Cancelled,
    /// Anything else, with a message that names what it concerns.
    #[error("{0}")]
    Other(String),
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
    /// The individual problems, for reports that list them one per line.
    pub fn problems(&self) -> Vec<String> {
        match self {
            Error::Invalid(p) => p.iter().map(|p| p.to_string()).collect(),
            other => vec![other.to_string()],
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
