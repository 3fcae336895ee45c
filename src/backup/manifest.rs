//! The manifest: what a backup holds, with every file's size and SHA-256, and the names the
//! archive's entries may have.

use serde::{Deserialize, Serialize};

/// The archive format this version writes; a backup with a higher one is refused.
pub const FORMAT: u32 = 1;
/// The entry holding the database copy.
pub const DATABASE: &str = "database";
/// The manifest's entry, after every file it describes.
pub const MANIFEST: &str = "manifest.json";
/// The last entry: the manifest's own SHA-256, so a changed date or count is caught too.
pub const MANIFEST_SUM: &str = "manifest.sha256";
/// An encrypted store's key file (its data key wrapped under the passphrase, never the key itself).
pub const KEY_FILE: &str = "redress.key";
/// Largest manifest read (a store of a million documents stays far below).
pub const MAX_MANIFEST: u64 = 256 * 1024 * 1024;

/// What one backup holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`] when written.
    pub format: u32,
    /// When the backup was made (RFC 3339, UTC).
    pub created: String,
    /// The database's schema version.
    pub schema_version: i64,
    /// The store's latest history entry when backed up (RFC 3339, UTC); `None`: no history.
    pub latest_change: Option<String>,
    /// How many history entries it holds (two changes in the same second still count).
    pub history_entries: u64,
    /// How many cases it holds.
    pub cases: usize,
    /// The database copy.
    pub database: FileEntry,
    /// Every document the cases use, as the vault stores it.
    pub documents: Vec<FileEntry>,
    /// The key file of an encrypted store (whose database and documents are backed up
    /// encrypted): restoring it takes the passphrase. `None` for a plain store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<FileEntry>,
}

/// One file of the archive: its vault name (the document's SHA-256) or `database`, and its
/// bytes as stored in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// What an entry's name says it is.
#[derive(Debug, PartialEq, Eq)]
pub enum Entry {
    Database,
    Manifest,
    ManifestSum,
    KeyFile,
    /// A vault document, by its name.
    Document(String),
}

/// The entry a name denotes, or `None` for a name a backup never has.
pub fn entry(name: &str) -> Option<Entry> {
    match name {
        DATABASE => Some(Entry::Database),
        MANIFEST => Some(Entry::Manifest),
        MANIFEST_SUM => Some(Entry::ManifestSum),
        KEY_FILE => Some(Entry::KeyFile),
        _ => {
            let sha = name.strip_prefix("vault/")?;
            let (shard, file) = sha.split_once('/')?;
            (is_sha256(file) && shard == &file[..2]).then(|| Entry::Document(file.to_string()))
        }
    }
}

/// The archive entry name of the vault document `sha`.
pub fn document_entry(sha: &str) -> String {
    format!("vault/{}/{sha}", &sha[..2.min(sha.len())])
}

pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_names_a_backup_writes_are_entries() {
        let sha = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        assert_eq!(entry(&document_entry(sha)), Some(Entry::Document(sha.into())));
        assert_eq!(entry("database"), Some(Entry::Database));
        assert_eq!(entry("manifest.json"), Some(Entry::Manifest));
        for bad in
            ["vault/00/".to_string(), format!("vault/ab/{sha}"), format!("vault/2c/../{sha}"), "../database".into(), "etc/passwd".into()]
        {
            assert_eq!(entry(&bad), None, "{bad}");
        }
    }
}
