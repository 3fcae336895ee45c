//! Why a backup cannot be restored, each with the archive or store it concerns; every one of
//! them leaves the store as it was.

use std::path::PathBuf;

/// A backup refused, or a store a restore will not replace.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Not a Redress backup at all (another kind of file, or a tar of other files).
    #[error("{}: is not a Redress backup ({why}); nothing was changed", .archive.display())]
    NotABackup { archive: PathBuf, why: String },
    /// The archive ends early: copied or downloaded only in part.
    #[error("{}: is cut short ({what}); nothing was changed: use a complete copy of the backup", .archive.display())]
    Truncated { archive: PathBuf, what: String },
    /// Something in the archive is not what its manifest says.
    #[error("{}: is damaged ({what}); nothing was changed: use another backup", .archive.display())]
    Damaged { archive: PathBuf, what: String },
    /// Made by a newer Redress, in a format this one does not know.
    #[error("{}: was made by a newer version of Redress (backup format {format}; this version reads up to {known}); nothing was changed: update Redress to restore it", .archive.display())]
    NewerFormat { archive: PathBuf, format: u32, known: u32 },
    /// The store has changes the backup does not: restoring would lose them.
    #[error("{}: has changes from {store_change}, newer than the backup {} ({}); nothing was changed: restoring would lose them, add --force to restore anyway", .store.display(), .archive.display(), backup_dates(.store_change, .backup_change.as_deref(), .made))]
    StoreIsNewer { store: PathBuf, archive: PathBuf, store_change: String, backup_change: Option<String>, made: String },
    /// The store cannot be opened to compare it with the backup.
    #[error("{}: cannot be read to compare it with the backup ({detail}); nothing was changed: add --force to replace it with the backup", .store.display())]
    StoreUnreadable { store: PathBuf, detail: String },
    /// Another program's database is where the store should be.
    #[error("{}: is not a Redress database; nothing was changed: restore into another file with --db", .store.display())]
    NotAStore { store: PathBuf },
    /// The store is open elsewhere (the app, another command).
    #[error("{}: is in use by another Redress (the app or a command); nothing was changed: close it, then restore again", .store.display())]
    InUse { store: PathBuf },
}

fn backup_dates(store_change: &str, change: Option<&str>, made: &str) -> String {
    match change {
        // History is stamped to the second: the store has more changes within that second.
        Some(c) if c == store_change => format!("its latest change {c} too, with fewer changes by then; backed up {made}"),
        Some(c) => format!("its latest change {c}, backed up {made}"),
        None => format!("no changes, backed up {made}"),
    }
}
