//! Where a packet may be written, checked before anything is: a file (not a folder) in a folder
//! that exists, and never a file the build reads — the case's case.toml or letter.md, or an
//! exhibit's file — under the packet's name or a name its volumes are written (or removed)
//! under (`packet-vol1-of-2.pdf` beside `packet.pdf`). Two paths are one file when they name
//! the same folder (links followed) and the same name (`./x/../case.toml`), or where the file
//! exists, the same device and inode (a hard link, a link to it).

use super::volumes::is_volume_of;
use crate::atomic::{check_target, dir_of};
use crate::casefile::{CaseFolder, CASE_FILE, LETTER_FILE};
use crate::error::{Error, Input, Result, Unwritable};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Refuses to write the packet to `out` where it would write over a file the build reads, or
/// where no file can be written; nothing is written either way.
pub(crate) fn check(folder: &CaseFolder, out: &Path) -> Result<()> {
    check_target(out, Some("packet.pdf"))?;
    let written = Written::of(out);
    for (input, path) in inputs(folder) {
        if let Some((path, other_name, volume)) = written.clash(&path) {
            let volume_of = volume.then(|| out.to_path_buf());
            return Err(Error::Unwritable { path, why: Unwritable::Input { input, other_name, volume_of } });
        }
    }
    Ok(())
}

/// The files a build of `folder` reads: case.toml and (when there) letter.md for a case read
/// from a folder, and each exhibit's file.
fn inputs(folder: &CaseFolder) -> Vec<(Input, PathBuf)> {
    let own = match folder.sources {
        None => vec![(Input::CaseFile, folder.dir.join(CASE_FILE)), (Input::Letter, folder.dir.join(LETTER_FILE))],
        Some(_) => Vec::new(),
    };
    let own = own.into_iter().filter(|(_, path)| path.exists());
    let exhibits = folder
        .case
        .exhibits
        .iter()
        .enumerate()
        .map(|(i, ex)| (Input::Exhibit { number: i + 1, file: ex.file.clone() }, folder.exhibit_path(ex)));
    own.chain(exhibits).collect()
}

/// The names a build to `out` writes or removes: its folder (links followed), the packet's
/// name, and the files there now under the packet's or a volume's name, by identity.
struct Written {
    out: PathBuf,
    folder: Option<PathBuf>,
    name: Option<OsString>,
    files: Vec<(Identity, PathBuf, bool)>,
}

impl Written {
    fn of(out: &Path) -> Written {
        let dir = dir_of(out);
        let mut files: Vec<(Identity, PathBuf, bool)> = identity(out).map(|id| (id, out.to_path_buf(), false)).into_iter().collect();
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name();
            if is_volume_of(&name.to_string_lossy(), out) {
                let path = out.with_file_name(&name);
                files.extend(identity(&path).map(|id| (id, path, true)));
            }
        }
        Written { out: out.to_path_buf(), folder: dir.canonicalize().ok(), name: out.file_name().map(OsString::from), files }
    }

    /// Where writing the packet meets the input at `path`: the path written, whether the input
    /// is there under another name, and whether it is a volume's.
    fn clash(&self, path: &Path) -> Option<(PathBuf, bool, bool)> {
        if let Some(name) = path.file_name().filter(|_| self.folder.is_some() && dir_of(path).canonicalize().ok() == self.folder) {
            if Some(name) == self.name.as_deref() {
                return Some((self.out.clone(), false, false));
            }
            if is_volume_of(&name.to_string_lossy(), &self.out) {
                return Some((self.out.with_file_name(name), false, true));
            }
        }
        let id = identity(path)?;
        self.files.iter().find(|(f, ..)| *f == id).map(|(_, written, volume)| (written.clone(), true, *volume))
    }
}

/// What makes two paths one file: its device and inode (a link followed).
#[cfg(unix)]
type Identity = (u64, u64);

#[cfg(unix)]
fn identity(path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Where no inode is at hand, the file's path once every link is followed.
#[cfg(not(unix))]
type Identity = PathBuf;

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<Identity> {
    path.canonicalize().ok()
}
