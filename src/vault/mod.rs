//! The vault: exhibit documents copied beside the database, named by their SHA-256, each
//! written atomically and stored once however many cases use it.
//!
//! Layout: `<vault>/ab/abcdef…` (the first two hex digits as a folder, so no folder grows
//! huge). A document is copied into a temporary file in the vault root while it is hashed,
//! flushed to disk, renamed under its hash and the folder flushed, so a crash leaves either the
//! whole file under its name or a temporary file that the next [`Vault::open`] removes (once
//! its writer is gone: see [`crate::atomic`] for how that is told).
//!
//! In an encrypted store every document is written encrypted ([`crate::crypto::stream`]) and
//! still named by the SHA-256 of its plain content; reading and checking decrypt as they
//! stream. A file without the encrypted header is read as it is, so a store half-way through
//! a switch still reads.

use crate::atomic::{self, hex, TempFile, TEMP_SUFFIX};
use crate::crypto::stream::{self, EncryptWriter};
use crate::crypto::FileKey;
use crate::error::{Error, Result};
use crate::store::{DocumentProblem, StoreError};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Read and write in pieces this large: documents are never held whole in memory.
const CHUNK: usize = 256 * 1024;

/// The folder of documents beside the database.
#[derive(Debug, Clone)]
pub struct Vault {
    root: PathBuf,
    /// Set in an encrypted store: documents are written encrypted and read decrypted.
    key: Option<FileKey>,
}

impl Vault {
    /// Opens (creating if needed) the vault at `root` and removes temporary files that a
    /// crashed import left behind.
    pub fn open(root: &Path) -> Result<Vault> {
        Vault::open_with(root, None)
    }

    /// [`Vault::open`] for a store whose documents are encrypted under `key` (`None`: plain).
    pub fn open_with(root: &Path, key: Option<FileKey>) -> Result<Vault> {
        fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
        let vault = Vault { root: root.to_path_buf(), key };
        vault.clean_temporaries();
        Ok(vault)
    }

    /// The vault's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the document with this SHA-256 (64 lower-case hex digits) is kept. A text that is
    /// not such a hash gets a path that never exists, so [`Vault::verify`] reports it.
    pub fn path(&self, sha: &str) -> PathBuf {
        if is_sha256(sha) {
            self.root.join(&sha[..2]).join(sha)
        } else {
            self.root.join("not-a-sha256")
        }
    }

    /// Copies the file at `source` into the vault and returns its SHA-256. The copy is hashed
    /// as it streams; content already in the vault (and still intact) is not stored again.
    pub fn put(&self, source: &Path) -> Result<String> {
        Ok(self.put_counted(source)?.0)
    }

    /// [`Vault::put`], also giving the document's size in bytes.
    pub fn put_counted(&self, source: &Path) -> Result<(String, u64)> {
        let mut input = File::open(source).map_err(|e| Error::io(source, e))?;
        // Nothing else in the vault root ends in `.tmp`; the file stays locked until renamed.
        let mut temp = TempFile::create_in(&self.root, "")?;
        let (sha, bytes) = match &self.key {
            None => copy_hashing(&mut input, source, &mut temp.file, &self.root)?,
            Some(key) => {
                let mut sealed = EncryptWriter::new(key, &mut temp.file).map_err(|e| Error::io(&self.root, e))?;
                let out = copy_hashing(&mut input, source, &mut sealed, &self.root)?;
                sealed.finish().map_err(|e| Error::io(&self.root, e))?;
                out
            }
        };
        let dest = self.path(&sha);

        // The same content is stored once; a damaged copy already there is replaced.
        if dest.exists() {
            if matches!(self.hash(&dest), Ok((h, _)) if h == sha) {
                // Freshly wanted again: a stored copy no case uses yet must not look old to
                // `remove_unused` while this import is still writing its case.
                let _ = File::open(&dest).and_then(|f| f.set_modified(SystemTime::now()));
                return Ok((sha, bytes));
            }
            fs::remove_file(&dest).map_err(|e| Error::io(&dest, e))?;
        }
        let shard = dest.parent().unwrap_or(&self.root).to_path_buf();
        if !shard.is_dir() {
            fs::create_dir_all(&shard).map_err(|e| Error::io(&shard, e))?;
            atomic::sync_dir(&self.root)?;
        }
        make_read_only(&temp.path);
        temp.persist(&dest)?;
        Ok((sha, bytes))
    }

    /// The plain content's SHA-256 of a vault file, decrypting when it is encrypted. A file
    /// that fails to decrypt is [`std::io::ErrorKind::InvalidData`].
    fn hash(&self, path: &Path) -> std::io::Result<(String, u64)> {
        let mut input = stream::open(path, self.key.as_ref())?;
        let mut w = atomic::HashingWriter { inner: std::io::sink(), hasher: Sha256::new(), bytes: 0 };
        std::io::copy(&mut input, &mut w)?;
        let (bytes, sha) = w.finish()?;
        Ok((sha, bytes))
    }

    /// The content of the document `sha`, decrypted, after checking its hash: for the app to
    /// show or preview a document.
    pub fn read(&self, sha: &str) -> Result<Vec<u8>> {
        let path = self.verify(sha)?;
        stream::read(&path, self.key.as_ref()).map_err(|e| document(path, DocumentProblem::Unreadable(e)))
    }

    /// The path of an intact document: an error naming the vault file when it is missing or
    /// its content no longer hashes to `sha`. Reads the whole file (streaming) to check.
    ///
    /// In an encrypted store the file at the path is encrypted: read it through
    /// [`Vault::read`] or [`Vault::copy_out`].
    pub fn verify(&self, sha: &str) -> Result<PathBuf> {
        Ok(self.verify_counted(sha)?.0)
    }

    /// [`Vault::verify`], also giving the document's size in bytes.
    pub fn verify_counted(&self, sha: &str) -> Result<(PathBuf, u64)> {
        let path = self.path(sha);
        if !is_sha256(sha) {
            return Err(document(path, DocumentProblem::NotAHash));
        }
        match self.hash(&path) {
            Ok((h, bytes)) if h == sha => Ok((path, bytes)),
            Ok(_) => Err(document(path, DocumentProblem::Changed)),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(document(path, DocumentProblem::Changed)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(document(path, DocumentProblem::Missing)),
            Err(e) => Err(document(path, DocumentProblem::Unreadable(e))),
        }
    }

    /// Copies the document `sha` to `dest` (a new file), checking the hash as it streams and
    /// flushing the copy to disk; the copy is removed when the vault file turns out damaged.
    pub fn copy_out(&self, sha: &str, dest: &Path) -> Result<()> {
        let path = self.path(sha);
        let mut input = match stream::open(&path, self.key.as_ref()) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(document(path, DocumentProblem::Missing)),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => return Err(document(path, DocumentProblem::Changed)),
            Err(e) => return Err(Error::io(&path, e)),
        };
        // Created by us just now, so ours to remove if the copy fails.
        let mut output = TempFile::create_new(dest)?;
        match copy_hashing(&mut input, &path, &mut output.file, dest) {
            Ok((h, _)) if h == sha => {}
            Ok(_) => return Err(document(path, DocumentProblem::Changed)),
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::InvalidData => {
                return Err(document(path, DocumentProblem::Changed))
            }
            Err(e) => return Err(e),
        }
        output.file.sync_all().map_err(|e| Error::io(dest, e))?;
        output.keep();
        Ok(())
    }

    /// Removes stored documents that no case uses (left by an import that was killed before
    /// it committed) once they are older than `min_age`, so an import still in progress is
    /// never touched. Returns how many were removed; errors only mean some stay.
    pub fn remove_unused(&self, used: &std::collections::HashSet<String>, min_age: std::time::Duration) -> usize {
        let mut removed = 0;
        let Ok(shards) = fs::read_dir(&self.root) else { return 0 };
        for shard in shards.flatten().filter(|e| e.path().is_dir()) {
            let Ok(files) = fs::read_dir(shard.path()) else { continue };
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if !is_sha256(&name) || used.contains(&name) {
                    continue;
                }
                let age = f.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| SystemTime::now().duration_since(t).ok());
                if age.is_some_and(|a| a >= min_age) && fs::remove_file(f.path()).is_ok() {
                    removed += 1;
                }
            }
        }
        removed
    }

    /// Encrypts (or decrypts) every document under `key`, each replaced by its converted copy
    /// by a rename, for `store::encrypt` and `store::decrypt`. A document already converted is
    /// left alone, so this can be run again after a stop; one whose content no longer matches
    /// its name either way is left as it is and named in the result.
    pub(crate) fn convert_all(&self, key: &FileKey, encrypt: bool) -> Result<crate::store::Switched> {
        let mut switched = crate::store::Switched::default();
        let Ok(shards) = fs::read_dir(&self.root) else { return Ok(switched) };
        for shard in shards.flatten().filter(|e| e.path().is_dir()) {
            let Ok(files) = fs::read_dir(shard.path()) else { continue };
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if !is_sha256(&name) {
                    continue;
                }
                match self.convert(&f.path(), &name, key, encrypt)? {
                    Some(true) => switched.files += 1,
                    Some(false) => {}
                    None => switched.damaged.push(f.path()),
                }
            }
        }
        Ok(switched)
    }

    /// Converts one document: `Some(true)` when converted, `Some(false)` when it already was,
    /// `None` when it is damaged. Plain means its bytes hash to its name; a file without the
    /// encrypted header is plain (or damaged, which encrypting keeps as it is).
    fn convert(&self, path: &Path, sha: &str, key: &FileKey, encrypt: bool) -> Result<Option<bool>> {
        let has_header = stream::is_encrypted(path).map_err(|e| Error::io(path, e))?;
        if encrypt && has_header {
            // Encrypted already, unless a plain document happens to begin like one.
            let sealed = Vault { root: self.root.clone(), key: Some(key.clone()) };
            if matches!(sealed.hash(path), Ok((h, _)) if h == sha) {
                return Ok(Some(false));
            }
        }
        if !encrypt && !has_header {
            return Ok(Some(false));
        }
        let mut input = File::open(path).map_err(|e| Error::io(path, e))?;
        let mut temp = TempFile::create_in(&self.root, "")?;
        let wrote = if encrypt {
            EncryptWriter::new(key, &mut temp.file)
                .and_then(|mut w| std::io::copy(&mut input, &mut w).and_then(|_| w.finish()).map(|_| true))
                .map_err(|e| Error::io(path, e))?
        } else {
            // Decrypted and hashed in one pass; kept only when it is the document named.
            let mut hasher = Sha256::new();
            let copied = stream::DecryptReader::new(key, std::io::BufReader::new(input)).and_then(|mut r| {
                let mut buf = vec![0u8; CHUNK];
                loop {
                    let n = r.read(&mut buf)?;
                    if n == 0 {
                        return Ok(());
                    }
                    hasher.update(&buf[..n]);
                    temp.file.write_all(&buf[..n])?;
                }
            });
            match copied {
                Ok(()) => hex(&hasher.finalize()) == sha,
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => false,
                Err(e) => return Err(Error::io(path, e)),
            }
        };
        if !wrote {
            // Neither decrypts to its name nor is plain content: damaged, left as it is.
            return Ok(if matches!(hash_file(path), Ok(h) if h == sha) { Some(false) } else { None });
        }
        make_read_only(&temp.path);
        temp.persist(path)?;
        Ok(Some(true))
    }

    /// Removes temporary files whose writer is gone. Another process may be importing into
    /// the same vault right now; its files are locked and stay. Errors are ignored, since a
    /// leftover costs only disk space.
    fn clean_temporaries(&self) {
        atomic::remove_abandoned(&self.root, |name| name.ends_with(TEMP_SUFFIX));
    }
}

/// Streams `input` into `output` in chunks, hashing as it goes; returns the SHA-256 in hex and
/// the byte count. Errors name the file that failed (`from` for reading, `to` for writing).
fn copy_hashing(input: &mut dyn Read, from: &Path, output: &mut dyn Write, to: &Path) -> Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut bytes = 0u64;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(from, e)),
        };
        hasher.update(&buf[..n]);
        bytes += n as u64;
        output.write_all(&buf[..n]).map_err(|e| Error::io(to, e))?;
    }
    Ok((hex(&hasher.finalize()), bytes))
}

/// The SHA-256 of a file, read in pieces.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut f = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(hex(&hasher.finalize()))
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Vault files are never edited in place; read-only makes an accidental edit less likely.
fn make_read_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o444));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// A vault file that cannot be used, and why.
fn document(path: PathBuf, problem: DocumentProblem) -> Error {
    Error::Store(StoreError::Document { path, problem })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redress-vault-{name}-{}-{}", std::process::id(), atomic::nonce()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn same_content_is_stored_once_and_verifies() {
        let dir = scratch("once");
        let vault = Vault::open(&dir.join("vault")).unwrap();
        fs::write(dir.join("a.txt"), b"hello").unwrap();
        fs::write(dir.join("b.txt"), b"hello").unwrap();
        let a = vault.put(&dir.join("a.txt")).unwrap();
        let b = vault.put(&dir.join("b.txt")).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assert_eq!(vault.verify(&a).unwrap(), vault.path(&a));
        let files: Vec<_> = fs::read_dir(vault.path(&a).parent().unwrap()).unwrap().collect();
        assert_eq!(files.len(), 1);
        assert!(vault.verify("00").is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_damaged_copy_is_reported_and_replaced_on_the_next_put() {
        let dir = scratch("damaged");
        let vault = Vault::open(&dir.join("vault")).unwrap();
        fs::write(dir.join("a.txt"), b"original").unwrap();
        let sha = vault.put(&dir.join("a.txt")).unwrap();
        let path = vault.path(&sha);
        fs::remove_file(&path).unwrap();
        assert!(vault.verify(&sha).unwrap_err().to_string().contains("missing"));
        fs::write(&path, b"tampered").unwrap();
        let err = vault.verify(&sha).unwrap_err().to_string();
        assert!(err.contains("no longer matches") && err.contains(&path.display().to_string()), "{err}");
        assert!(vault.copy_out(&sha, &dir.join("out.txt")).is_err());
        assert!(!dir.join("out.txt").exists());
        vault.put(&dir.join("a.txt")).unwrap();
        assert!(vault.verify(&sha).is_ok());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn leftover_temporaries_of_dead_writers_are_cleaned_at_open() {
        let dir = scratch("temps");
        let root = dir.join("vault");
        fs::create_dir_all(&root).unwrap();
        // A crashed writer's file: nobody holds its lock, on every system (no `/proc` needed).
        fs::write(root.join("4000000000-1.tmp"), b"partial").unwrap();
        // A writer still at work (in this process or another) holds its file's lock.
        let mine = TempFile::create_in(&root, "").unwrap();
        Vault::open(&root).unwrap();
        assert!(!root.join("4000000000-1.tmp").exists());
        assert!(mine.path.exists());
        drop(mine);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn documents_no_case_uses_go_once_they_are_old() {
        let dir = std::env::temp_dir().join(format!("redress-vault-gc-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let vault = Vault::open(&dir.join("vault")).unwrap();
        for (name, text) in [("used", "in a case"), ("old", "left by a killed import"), ("new", "an import still running")] {
            fs::write(dir.join(name), text).unwrap();
        }
        let used = vault.put(&dir.join("used")).unwrap();
        let old = vault.put(&dir.join("old")).unwrap();
        let new = vault.put(&dir.join("new")).unwrap();
        let two_days_ago = SystemTime::now() - std::time::Duration::from_secs(2 * 24 * 3600);
        for sha in [&used, &old] {
            File::open(vault.path(sha)).unwrap().set_modified(two_days_ago).unwrap();
        }
        let keep: std::collections::HashSet<String> = [used.clone()].into_iter().collect();
        assert_eq!(vault.remove_unused(&keep, std::time::Duration::from_secs(24 * 3600)), 1);
        assert!(vault.path(&used).exists() && vault.path(&new).exists());
        assert!(!vault.path(&old).exists());
        // Putting an old unused document again makes it fresh, so it survives until its case commits.
        fs::write(dir.join("old"), "left by a killed import").unwrap();
        let again = vault.put(&dir.join("old")).unwrap();
        File::open(vault.path(&again)).unwrap().set_modified(two_days_ago).unwrap();
        vault.put(&dir.join("old")).unwrap();
        assert_eq!(vault.remove_unused(&keep, std::time::Duration::from_secs(24 * 3600)), 0);
        let _ = fs::remove_dir_all(&dir);
    }
}
