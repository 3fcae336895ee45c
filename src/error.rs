//! The library's error type: every variant says which file, key or exhibit is wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in a case folder: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The file the problem is in, relative to the case folder (`case.toml`, `docs/note.pdf`).
    pub file: String,
    /// Where in the file: `member.dob`, `exhibit 3 (docs/note.pdf)`.
    pub location: Location,
    /// What is wrong, in plain words.
    pub message: String,
}

impl Problem {
    pub fn new(file: impl Into<String>, location: impl Into<Location>, message: impl Into<String>) -> Self {
        Problem { file: file.into(), location: location.into(), message: message.into() }
    }
    /// A problem of an exhibit's file (it cannot be read or opened, its page selection does
    /// not fit it), named where case.toml names the exhibit, as every problem of the case is:
    /// `case.toml: exhibit 3 (docs/note.pdf): is empty (0 bytes)`.
    pub fn exhibit(location: Location, message: impl Into<String>) -> Self {
        Problem::new(crate::casefile::CASE_FILE, location, message)
    }
}

/// Where in a file a [`Problem`] is. Written as people read it (`member.dob`, `line 2`,
/// `exhibit 3 (docs/note.pdf)`), which is also how it is serialised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole.
    File,
    /// A key of case.toml (`member.dob`, `exhibit[2].date`).
    Key(String),
    /// A line of the file, for a syntax error.
    Line(usize),
    /// An exhibit, by its number in case.toml's order, and its file.
    Exhibit { number: usize, file: String },
    /// A page of an exhibit (1-based).
    Page { number: usize, file: String, page: u32 },
}

impl Location {
    /// Whether it names nothing narrower than the file.
    pub fn is_empty(&self) -> bool {
        match self {
            Location::File => true,
            Location::Key(k) => k.is_empty(),
            _ => false,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Key(k) => f.write_str(k),
            Location::Line(n) => write!(f, "line {n}"),
            Location::Exhibit { number, file } => write!(f, "exhibit {number} ({file})"),
            Location::Page { number, file, page } => write!(f, "exhibit {number} ({file}), page {page}"),
        }
    }
}

/// A key, or the whole file when empty.
impl From<&str> for Location {
    fn from(key: &str) -> Self {
        if key.is_empty() {
            Location::File
        } else {
            Location::Key(key.to_string())
        }
    }
}

impl From<String> for Location {
    fn from(key: String) -> Self {
        if key.is_empty() {
            Location::File
        } else {
            Location::Key(key)
        }
    }
}

/// Compares as written, so a test can say `assert_eq!(p.location, "member.dob")`.
impl PartialEq<&str> for Location {
    fn eq(&self, other: &&str) -> bool {
        match self {
            Location::File => other.is_empty(),
            Location::Key(k) => k == other,
            written => written.to_string().as_str() == *other,
        }
    }
}

impl serde::Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
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
    /// A document (a file being added, unlocked or shown) cannot be opened; `why` says why
    /// (needs a password, truncated, damaged…). Its sentence is part of the message, so it is
    /// not also given as the error's source (which would print it twice).
    #[error("{file} {why}")]
    Document { file: String, why: crate::import::Error },
    /// A claim file (FHIR JSON or an X12 835) cannot be read; `why` names the field or segment.
    #[error("{file}: {why}")]
    Claim { file: String, why: Box<crate::claims::ClaimError> },
    /// Reading or writing a file failed; a full disk (or a file size limit) is said in words.
    #[error("{}: {}", .path.display(), io_text(.source))]
    Io { path: PathBuf, source: std::io::Error },
    /// A file cannot be written where it was asked to go (`why` says why); nothing was written.
    #[error("{}", .why.sentence(.path))]
    Unwritable { path: PathBuf, why: Unwritable },
    /// The database holds no case with this id.
    #[error("no case `{id}` in {}", .db.display())]
    NoSuchCase { id: String, db: PathBuf },
    /// A store (database or vault) problem, with the file and the cause.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A backup cannot be restored, or the store will not be replaced by it; nothing changed.
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    /// The case has no packet yet (build it first).
    #[error("case {id} has no packet yet: build it first")]
    NoPacket { id: String },
    /// No profile of this name (`build --profile`); `known` are the names there are.
    #[error("no profile `{name}` (the profiles are: {})", .known.join(", "))]
    UnknownProfile { name: String, known: Vec<String> },
    /// The build was cancelled by the caller; nothing was written.
    #[error("cancelled")]
    Cancelled,
    /// The packet cannot be written within the destination's limits (files, bytes, pages);
    /// nothing was written.
    #[error("{0}")]
    Limits(crate::packet::LimitError),
    /// Anything else, with a message that names what it concerns.
    #[error("{0}")]
    Other(String),
}

/// Why a file cannot be written at the path it was asked to go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unwritable {
    /// The path names a folder (it is one, or ends in a slash); `example` is a file name to
    /// suggest in it (`packet.pdf`).
    Folder { example: Option<String> },
    /// Where its folder should be there is a file.
    NotInFolder { parent: PathBuf },
    /// Its folder does not let a new file be made in it: permission is denied, or (`read_only`)
    /// the file system is read-only.
    FolderNotWritable { folder: PathBuf, read_only: bool },
    /// The file is one the build reads, under this name or (`other_name`) another; `volume_of`
    /// is the packet whose volumes are written, or removed, under the path.
    Input { input: Input, other_name: bool, volume_of: Option<PathBuf> },
}

/// A file a build reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// The case folder's case.toml.
    CaseFile,
    /// The case folder's letter.md.
    Letter,
    /// An exhibit's file, by its number in case.toml's order and its `file`.
    Exhibit { number: usize, file: String },
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::CaseFile => f.write_str("the case's case.toml"),
            Input::Letter => f.write_str("the case's letter.md"),
            Input::Exhibit { number, file } => write!(f, "the file of exhibit {number} ({file})"),
        }
    }
}

impl Input {
    /// What to do instead of writing over it.
    fn advice(&self) -> &'static str {
        match self {
            Input::CaseFile | Input::Letter => "write the packet to another file, such as packet.pdf in the case folder",
            Input::Exhibit { .. } => {
                "write the packet to another file, or give the exhibit's file another name (and its `file` in case.toml)"
            }
        }
    }
}

impl Unwritable {
    /// The sentence people read, about `path`.
    fn sentence(&self, path: &Path) -> String {
        let p = path.display();
        match self {
            Unwritable::Folder { example: Some(name) } => {
                format!("{p} names a folder: give a file name, such as {}", path.join(name).display())
            }
            Unwritable::Folder { example: None } => format!("{p} names a folder: give the name of a file to write"),
            Unwritable::NotInFolder { parent } => format!("cannot write {p}: {} is a file, not a folder", parent.display()),
            Unwritable::FolderNotWritable { folder, read_only } => {
                let why = if *read_only { "it is on a read-only file system" } else { "permission denied" };
                format!("cannot write {p}: the folder {} cannot be written to ({why})", folder.display())
            }
            Unwritable::Input { input, other_name, volume_of } => {
                let name = if *other_name { " (the same file under another name)" } else { "" };
                let advice = input.advice();
                match volume_of {
                    None => format!("{p} is {input}{name}: the packet would overwrite it; {advice}"),
                    Some(out) => format!(
                        "{p} is {input}{name}, and a build to {} writes its volumes (or removes old ones) under that name: \
                         the build would overwrite or remove it; {advice}",
                        out.display()
                    ),
                }
            }
        }
    }
}

/// What an I/O error means for the person: a full disk in plain words (with what to do), any
/// other error as the system says it.
pub(crate) fn io_text(e: &std::io::Error) -> String {
    if is_disk_full(e) {
        DISK_FULL.to_string()
    } else {
        e.to_string()
    }
}

/// How a write that found no room is told, wherever it happened.
pub(crate) const DISK_FULL: &str = "the disk is full (no room was left to write it); free some space and try again";

/// No room left: the disk or the person's quota is full, or the file passed the size the
/// system allows a process to write.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{FileTooLarge, QuotaExceeded, StorageFull};
    matches!(e.kind(), StorageFull | QuotaExceeded | FileTooLarge)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_reads_and_serialises_as_people_write_it() {
        let exhibit = Problem::new("", Location::Exhibit { number: 3, file: "docs/note.pdf".into() }, "is truncated");
        assert_eq!(exhibit.to_string(), "exhibit 3 (docs/note.pdf): is truncated");
        assert_eq!(serde_json::to_value(&exhibit).unwrap()["location"], "exhibit 3 (docs/note.pdf)");
        let key = Problem::new("case.toml", "member.dob", "is not a date");
        assert_eq!(key.location, Location::Key("member.dob".into()));
        assert_eq!(key.to_string(), "case.toml: member.dob: is not a date");
        assert_eq!(Problem::new("letter.md", "", "is not UTF-8 text").to_string(), "letter.md: is not UTF-8 text");
        assert_eq!(Location::Line(2), "line 2");
        let page = Location::Page { number: 1, file: "a.pdf".into(), page: 4 };
        assert_eq!(page.to_string(), "exhibit 1 (a.pdf), page 4");
        let doc = Error::Document { file: "cut.pdf".into(), why: crate::import::Error::Truncated("is truncated".into()) };
        assert_eq!(doc.to_string(), "cut.pdf is truncated");
    }
}
