//! The rule that a case reads only files inside its folder, applied to where a path leads once
//! links are followed: a link in the folder (to a file, or to a folder on the way) that leads
//! outside it is refused as `../x` is, since a folder that arrives by zip or git can carry
//! links to anywhere. Links that stay inside the folder are followed.

use super::{CaseFolder, CASE_FILE, LETTER_FILE};
use crate::error::{Location, Problem};
use std::path::{Path, PathBuf};

/// The case folder as it is on disk (every link followed), to judge the files it reads by.
pub(crate) struct Inside(Option<PathBuf>);

impl Inside {
    pub(crate) fn of(dir: &Path) -> Inside {
        Inside(dir.canonicalize().ok())
    }

    /// Where `path` leads, when that is outside the folder; `None` when it stays inside, or
    /// when it leads nowhere (a missing file is told of elsewhere).
    pub(crate) fn outside(&self, path: &Path) -> Option<PathBuf> {
        let root = self.0.as_ref()?;
        let real = path.canonicalize().ok()?;
        (!real.starts_with(root)).then_some(real)
    }

    /// The problem of `file` (located `at`), when `path`, its place in the folder, leads outside.
    pub(crate) fn problem(&self, path: &Path, file: &str, at: Location) -> Option<Problem> {
        let target = self.outside(path)?;
        Some(Problem::new(file, at, outside(&target)))
    }
}

/// What is wrong with a file that leads to `target`, outside the folder, and what to do.
fn outside(target: &Path) -> String {
    format!("is a link to a file outside the case folder ({}); copy the file into the case folder instead", target.display())
}

/// Every file a case read from a folder takes that leads outside the folder: case.toml,
/// letter.md and each exhibit's file. None for a case from the database, whose files are the
/// vault's.
pub fn links_outside(folder: &CaseFolder) -> Vec<Problem> {
    if folder.sources.is_some() {
        return Vec::new();
    }
    let inside = Inside::of(&folder.dir);
    let own = [CASE_FILE, LETTER_FILE].into_iter().filter_map(|f| inside.problem(&folder.dir.join(f), f, Location::File));
    let exhibits = folder.case.exhibits.iter().enumerate().filter_map(|(i, ex)| {
        let at = Location::Exhibit { number: i + 1, file: ex.file.clone() };
        inside.problem(&folder.dir.join(&ex.file), CASE_FILE, at)
    });
    own.chain(exhibits).collect()
}
