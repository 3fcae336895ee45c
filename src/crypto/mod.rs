//! Encryption at rest: the passphrase, the data key it unlocks, and the file format of every
//! encrypted file beside the database (vault documents, the app's packets, the OCR readings).
//!
//! A random 32-byte data key encrypts everything; it is kept in a small key file beside the
//! database, wrapped (XChaCha20-Poly1305) under a key derived from the passphrase with Argon2id
//! ([`keyfile`]). The database gets a key of its own derived from the data key (SQLCipher's raw
//! key), and the files another ([`stream`]: XChaCha20-Poly1305 in the STREAM construction, in
//! chunks, so a large scan is never whole in memory). Keys and passphrases are wiped from
//! memory when dropped and never printed.
//!
//! Files a build needs on disk are decrypted into a private working folder ([`WorkDir`]),
//! removed when the build is done.

pub mod keyfile;
pub mod stream;
pub mod workdir;

pub use keyfile::{KdfParams, KeyFile, KeyState};
pub use workdir::WorkDir;

use sha2::{Digest, Sha256};
use std::sync::Arc;
use zeroize::Zeroizing;

/// A passphrase: wiped from memory when dropped, never printed (`Debug` shows `***`).
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(text: impl Into<String>) -> Passphrase {
        Passphrase(Zeroizing::new(text.into()))
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether two passphrases are the same (when one is typed twice).
    pub fn same_as(&self, other: &Passphrase) -> bool {
        self.0 == other.0
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(***)")
    }
}

/// The store's random data key: wiped from memory when dropped, never printed.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(***)")
    }
}

impl DataKey {
    /// A new key from the operating system's random source.
    pub(crate) fn random() -> std::io::Result<DataKey> {
        let mut key = Zeroizing::new([0u8; 32]);
        random(&mut key[..])?;
        Ok(DataKey(key))
    }

    pub(crate) fn from_bytes(bytes: Zeroizing<[u8; 32]>) -> DataKey {
        DataKey(bytes)
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// SQLCipher's raw key for the database, as `PRAGMA key` takes it: `x'…'`.
    pub(crate) fn sql_key(&self) -> Zeroizing<String> {
        let sub = self.derive(b"redress database key v1");
        let mut s = Zeroizing::new(String::with_capacity(67));
        s.push_str("x'");
        for b in sub.iter() {
            s.push_str(&format!("{b:02x}"));
        }
        s.push('\'');
        s
    }

    /// The key that encrypts files (vault documents, packets, OCR readings).
    pub fn file_key(&self) -> FileKey {
        FileKey(Arc::new(self.derive(b"redress file key v1")))
    }

    /// A key of its own for each use, so the database and the files never share one.
    fn derive(&self, label: &[u8]) -> Zeroizing<[u8; 32]> {
        let mut h = Sha256::new();
        h.update(label);
        h.update(&self.0[..]);
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&h.finalize());
        out
    }
}

/// The key of the encrypted files, cheap to share among the vault, the packets and the cache.
#[derive(Clone)]
pub struct FileKey(Arc<Zeroizing<[u8; 32]>>);

impl std::fmt::Debug for FileKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileKey(***)")
    }
}

impl FileKey {
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// Fills `buf` from the operating system's random source.
pub(crate) fn random(buf: &mut [u8]) -> std::io::Result<()> {
    getrandom::fill(buf).map_err(|e| std::io::Error::other(format!("the system's random source failed ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_passphrases_never_print() {
        let p = Passphrase::new("correct horse");
        assert_eq!(format!("{p:?}"), "Passphrase(***)");
        let k = DataKey::random().unwrap();
        assert_eq!(format!("{k:?} {:?}", k.file_key()), "DataKey(***) FileKey(***)");
    }

    #[test]
    fn the_database_and_the_files_get_different_keys() {
        let k = DataKey::random().unwrap();
        let sql = k.sql_key();
        assert!(sql.starts_with("x'") && sql.ends_with('\'') && sql.len() == 67);
        let file: String = k.file_key().bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert!(!sql.contains(&file));
        assert_ne!(DataKey::random().unwrap().bytes(), k.bytes());
    }
}
