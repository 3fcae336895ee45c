//! The private folder that holds decrypted working copies while a build needs files on disk.
//!
//! It is made in `$XDG_RUNTIME_DIR` when that is set (memory-backed on Linux, and its owner's
//! alone), else in the store's own folder, readable by its owner alone (mode 700), and removed
//! with everything in it when the [`WorkDir`] is dropped: when the build ends, on error and on
//! panic. A folder left by a killed process (its lock free) is removed the next time a store
//! is opened ([`remove_abandoned`]).

use super::FileKey;
use crate::atomic::nonce;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

const PREFIX: &str = "redress-work-";
const LOCK: &str = ".lock";

/// A private working folder of an encrypted store, removed when dropped, with the key its
/// files are encrypted under when they go back beside the database (a built packet).
#[derive(Debug)]
pub struct WorkDir {
    path: PathBuf,
    key: FileKey,
    /// Held (locked) while the folder is in use.
    _lock: File,
}

impl WorkDir {
    /// A new private folder in `$XDG_RUNTIME_DIR`, or in `fallback` when that is not set or
    /// has not twice `needs` bytes free (it is memory-backed, and often a tenth of the memory).
    pub fn create(fallback: &Path, key: FileKey, needs: u64) -> io::Result<WorkDir> {
        let parent = parent(runtime_dir(), fallback, needs);
        let path = parent.join(format!("{PREFIX}{}-{}", std::process::id(), nonce()));
        make_private_dir(&path)?;
        let lock = File::create(path.join(LOCK)).inspect(|f| {
            // No locks on this file system: the folder is still removed when dropped.
            let _ = f.try_lock();
        });
        match lock {
            Ok(lock) => Ok(WorkDir { path, key, _lock: lock }),
            Err(e) => {
                let _ = fs::remove_dir_all(&path);
                Err(e)
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The store's file key.
    pub fn key(&self) -> &FileKey {
        &self.key
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// `$XDG_RUNTIME_DIR`, when it is set and a folder.
fn runtime_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from).filter(|p| p.is_absolute() && p.is_dir())
}

/// Where a working folder for `needs` bytes goes: the runtime folder when it has twice that
/// free, else `fallback`.
fn parent(runtime: Option<PathBuf>, fallback: &Path, needs: u64) -> PathBuf {
    match runtime {
        Some(p) if free_bytes(&p).is_some_and(|free| free / 2 >= needs) => p,
        _ => fallback.to_path_buf(),
    }
}

/// The bytes free to this user on the file system of `dir` (`None`: not known).
fn free_bytes(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        let s = rustix::fs::statvfs(dir).ok()?;
        Some(s.f_bavail.saturating_mul(s.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

fn make_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Removes the working folders that killed processes left in `$XDG_RUNTIME_DIR` and in
/// `fallback`: those whose lock can be taken. Errors only mean some stay.
pub fn remove_abandoned(fallback: &Path) {
    for parent in runtime_dir().into_iter().chain([fallback.to_path_buf()]) {
        let Ok(entries) = fs::read_dir(&parent) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(PREFIX) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let free = File::open(entry.path().join(LOCK)).map(|f| f.try_lock().is_ok());
            // A folder without its lock file was killed while being made.
            if free.unwrap_or(true) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_is_private_and_gone_when_dropped_and_a_dead_ones_is_cleaned() {
        let scratch = std::env::temp_dir().join(format!("redress-workdir-{}-{}", std::process::id(), nonce()));
        fs::create_dir_all(&scratch).unwrap();
        let work = WorkDir::create(&scratch, crate::crypto::DataKey::random().unwrap().file_key(), 0).unwrap();
        let path = work.path().to_path_buf();
        fs::write(path.join("doc.pdf"), b"plain").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o700);
        }
        // A live one stays; a dead one (no lock held) goes.
        let dead = scratch.join(format!("{PREFIX}1-1"));
        fs::create_dir_all(&dead).unwrap();
        fs::write(dead.join(LOCK), b"").unwrap();
        remove_abandoned(&scratch);
        assert!(path.exists() && !dead.exists());
        drop(work);
        assert!(!path.exists());
        fs::remove_dir_all(&scratch).unwrap();
    }

    #[test]
    fn working_copies_go_to_the_runtime_folder_only_when_it_has_room() {
        let runtime = std::env::temp_dir();
        let fallback = Path::new("/nonexistent-store-folder");
        assert_eq!(parent(Some(runtime.clone()), fallback, 1 << 20), runtime);
        assert_eq!(parent(Some(runtime), fallback, u64::MAX / 4), fallback);
        assert_eq!(parent(None, fallback, 0), fallback);
    }
}
