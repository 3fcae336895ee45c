//! Reads a case folder (`case.toml`, `letter.md`, the exhibit files) into the model, collecting
//! every problem instead of stopping at the first; and writes a case back as a folder.

mod encoding;
mod inside;
mod read;
mod syntax;
mod write;

pub use crate::model::{
    CaseDoc, CaseInfoDoc, EventDoc, ExhibitDoc, MemberDoc, MobilityDoc, ProviderDoc, Spo2Doc, SubmissionDoc, SubmitterDoc, WoundDoc,
};
pub(crate) use encoding::decode as decode_text;
pub use inside::links_outside;
pub(crate) use syntax::toml_problem;
pub use write::to_toml;

use crate::error::{Error, Location, Problem, Result};
use crate::model::codec::{inside_folder, Checker};
use crate::model::*;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

pub const CASE_FILE: &str = "case.toml";
pub const LETTER_FILE: &str = "letter.md";

/// A case read from a folder, with the folder it came from.
#[derive(Debug, Clone)]
pub struct CaseFolder {
    pub dir: PathBuf,
    pub case: Case,
    /// Where each exhibit's bytes really are, by its `file` as written in case.toml, when
    /// not under `dir` (a case from the database reads its documents from the vault).
    pub sources: Option<std::collections::HashMap<String, PathBuf>>,
    /// The case's name when it does not come from the folder's name (a database case).
    pub display_name: Option<String>,
    /// The private folder of decrypted working copies the sources point into (a case from an
    /// encrypted store), removed when the last clone of this folder is dropped.
    pub work: Option<std::sync::Arc<crate::crypto::WorkDir>>,
}

impl CaseFolder {
    /// The path of an exhibit's file.
    pub fn exhibit_path(&self, exhibit: &Exhibit) -> PathBuf {
        match self.sources.as_ref().and_then(|s| s.get(&exhibit.file)) {
            Some(p) => p.clone(),
            None => self.dir.join(&exhibit.file),
        }
    }
    /// The name people know the case by: the folder's name.
    pub fn name(&self) -> String {
        if let Some(n) = &self.display_name {
            return n.clone();
        }
        self.dir
            .canonicalize()
            .unwrap_or_else(|_| self.dir.clone())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "case".into())
    }
}

/// Reads and validates a case folder's `case.toml` and `letter.md`, and checks that every
/// exhibit file exists and that none of these leads outside the folder through a link.
/// Opening the exhibits themselves is the importer's work.
pub fn load(dir: &Path) -> Result<CaseFolder> {
    if dir.is_file() {
        return Err(Error::Invalid(vec![not_a_folder(dir)]));
    }
    let path = dir.join(CASE_FILE);
    let inside = inside::Inside::of(dir);
    if let Some(problem) = too_large(&path, CASE_FILE, "a case file").or_else(|| inside.problem(&path, CASE_FILE, Location::File)) {
        return Err(Error::Invalid(vec![problem]));
    }
    let text = match std::fs::read(&path) {
        Ok(bytes) => encoding::decode(CASE_FILE, bytes).map_err(|p| Error::Invalid(vec![p]))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let what = if dir.is_dir() { "not found in the case folder" } else { "the case folder does not exist" };
            return Err(Error::Invalid(vec![Problem::new(CASE_FILE, "", format!("{what} ({})", dir.display()))]));
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    if let Some(problem) = inside.problem(&dir.join(LETTER_FILE), LETTER_FILE, Location::File) {
        return Err(Error::Invalid(vec![problem]));
    }
    let letter = match std::fs::read(dir.join(LETTER_FILE)) {
        Ok(bytes) => Some(encoding::decode(LETTER_FILE, bytes).map_err(|p| Error::Invalid(vec![p]))?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(dir.join(LETTER_FILE), e)),
    };
    let mut case = match parse(&text) {
        Ok(c) => c,
        Err(Error::Invalid(mut problems)) => {
            // Report the exhibits' own problems in the same run: missing files, and files the
            // build would refuse, read from the entries that name a file.
            let stubs = exhibit_stubs(&text);
            problems.extend(exhibit_problems(dir, &inside, stubs.iter().map(|(i, e)| (*i, e)), true));
            return Err(Error::Invalid(problems));
        }
        Err(e) => return Err(e),
    };
    case.letter = letter;
    let problems = exhibit_problems(dir, &inside, case.exhibits.iter().enumerate(), false);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(CaseFolder { dir: dir.to_path_buf(), case, sources: None, display_name: None, work: None })
}

/// The problem of a case folder given as a file (`base.toml`, or the case.toml itself), named
/// as it was given.
fn not_a_folder(path: &Path) -> Problem {
    let own_file = path.file_name().is_some_and(|n| n == CASE_FILE);
    let advice = match own_file {
        true => format!("give its folder, {}", crate::atomic::dir_of(path).display()),
        false => "give the case folder, the folder that holds case.toml".to_string(),
    };
    Problem::new(path.display().to_string(), "", format!("is a file, not a case folder; {advice}"))
}

/// A small TOML file (`what` it is: "a case file") past its size limit, refused before it is
/// read: a case is a page of text.
pub(crate) fn too_large(path: &Path, file: &str, what: &str) -> Option<Problem> {
    let bytes = std::fs::metadata(path).ok()?.len();
    (bytes > crate::limits::CASE_TOML_BYTES).then(|| {
        let (size, limit) = (crate::size::human_bytes(bytes), crate::size::human_bytes(crate::limits::CASE_TOML_BYTES));
        Problem::new(file, "", format!("is {size}, more than the {limit} {what} may be; is it the right file?"))
    })
}

/// Missing exhibit files, files that lead outside the folder, and (with `open`) files whose
/// content the build would refuse.
fn exhibit_problems<'a>(
    dir: &Path,
    inside: &inside::Inside,
    exhibits: impl IntoIterator<Item = (usize, &'a Exhibit)>,
    open: bool,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, ex) in exhibits {
        let p = dir.join(&ex.file);
        let at = Location::Exhibit { number: i + 1, file: ex.file.clone() };
        if !p.is_file() {
            let what = if p.exists() { "is not a file".to_string() } else { not_found(dir, &ex.file) };
            problems.push(Problem::exhibit(at, what));
        } else if let Some(problem) = inside.problem(&p, CASE_FILE, at.clone()) {
            problems.push(problem);
        } else if open {
            match std::fs::read(&p) {
                Ok(bytes) => {
                    if let Err(why) = crate::packet::check_exhibit(ex, &bytes) {
                        // Located like the build's own refusals: "exhibit N (file): why".
                        problems.push(Problem::exhibit(at, why.to_string()));
                    }
                }
                Err(e) => problems.push(Problem::exhibit(at, format!("cannot be read: {e}"))),
            }
        }
    }
    problems
}

/// "file not found", and where the path holds backslashes (as Windows writes paths) or what a
/// backslash escape inside "…" made of one (`docs\new.pdf` reads as docs, a line break, ew.pdf),
/// the path to write instead when that file is there. Such a path is not taken as its `/` form:
/// case.toml's paths are written one way on every system, and outside Windows a backslash is a
/// character of a file's name.
fn not_found(dir: &Path, file: &str) -> String {
    if !file.chars().any(|c| slash_for(c).is_some()) {
        return "file not found".into();
    }
    let slashed: String = file.chars().map(|c| slash_for(c).map_or(c.to_string(), str::to_string)).collect();
    if dir.join(&slashed).is_file() {
        format!("file not found: write the path as {slashed}, with / (case.toml's paths use / on every system)")
    } else {
        "file not found (case.toml's paths are written with /, such as docs/note.pdf)".into()
    }
}

/// What a backslash was meant as, for a backslash or the character a TOML escape made of one
/// and the letter after it (`\n`, a line break, from `docs\new.pdf`).
fn slash_for(c: char) -> Option<&'static str> {
    Some(match c {
        '\\' => "/",
        '\n' => "/n",
        '\r' => "/r",
        '\t' => "/t",
        '\u{8}' => "/b",
        '\u{c}' => "/f",
        '\u{1b}' => "/e",
        _ => return None,
    })
}

/// The `[[exhibit]]` entries of a case.toml that does not parse as a whole, as far as each can
/// be read (a file path inside the folder; the rest defaulted), with its 0-based position.
fn exhibit_stubs(text: &str) -> Vec<(usize, Exhibit)> {
    let Ok(table) = text.parse::<Table>() else { return Vec::new() };
    let Some(Value::Array(items)) = table.get("exhibit") else { return Vec::new() };
    let str_of = |t: &Table, k: &str| t.get(k).and_then(Value::as_str).map(str::to_string);
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let t = item.as_table()?;
            let file = str_of(t, "file").map(|f| f.trim().to_string()).filter(|f| !f.is_empty() && inside_folder(f))?;
            let kind = str_of(t, "kind").and_then(|k| ExhibitKind::parse(&k)).unwrap_or(ExhibitKind::Other);
            let pages = str_of(t, "pages").and_then(|p| PageSelection::parse(&p));
            Some((i, Exhibit { file, kind, date: NaiveDate::MIN, title: String::new(), pages, caption: None, id: None, meets: Vec::new() }))
        })
        .collect()
}

/// Parses the text of a case.toml. Every problem found is reported at once.
pub fn parse(text: &str) -> Result<Case> {
    let table: Table = match text.parse() {
        Ok(t) => t,
        Err(e) => return Err(Error::Invalid(vec![toml_problem(CASE_FILE, "a case file", text, &e)])),
    };
    let mut c = Checker::new(CASE_FILE);
    let doc = read::doc(&table, &mut c);
    match doc.check(&mut c) {
        Some(case) if c.problems.is_empty() => Ok(case),
        _ => Err(Error::Invalid(c.problems)),
    }
}

#[cfg(test)]
mod tests;
