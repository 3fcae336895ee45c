//! Reading a backup archive into a temporary folder, entry by entry, and checking every file
//! against the manifest and the manifest against its checksum.

use super::error::BackupError;
use super::manifest::{self, Entry, FileEntry, Manifest, FORMAT, MAX_MANIFEST};
use crate::atomic::{hex, HashingWriter};
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

/// Where ustar's magic sits in the first header, and how a header block is long.
const MAGIC_AT: usize = 257;
const BLOCK: usize = 512;

/// What was read: each file's size and SHA-256 by entry, and the manifest's bytes.
#[derive(Default)]
struct Unpacked {
    files: BTreeMap<String, (u64, String)>,
    manifest: Option<Vec<u8>>,
    sum: Option<Vec<u8>>,
}

/// Unpacks `archive`: the database to `db` (an encrypted store's key file beside it), documents
/// under `vault`. Returns the manifest once every file matches it.
pub(super) fn unpack(archive: &Path, db: &Path, vault: &Path) -> Result<Manifest> {
    check_kind(archive)?;
    let file = File::open(archive).map_err(|e| Error::io(archive, e))?;
    let mut tar = tar::Archive::new(BufReader::new(file));
    let mut got = Unpacked::default();
    for entry in tar.entries().map_err(|e| read_error(archive, e))? {
        let entry = entry.map_err(|e| read_error(archive, e))?;
        read_entry(archive, entry, db, vault, &mut got)?;
    }
    check(archive, got)
}

/// A file that is not a tar archive at all is not a backup; an empty one is cut short.
fn check_kind(archive: &Path) -> Result<()> {
    let mut head = Vec::with_capacity(BLOCK);
    File::open(archive).and_then(|f| f.take(BLOCK as u64).read_to_end(&mut head)).map_err(|e| Error::io(archive, e))?;
    if head.is_empty() {
        return Err(truncated(archive, "it is empty"));
    }
    if head.len() < BLOCK {
        return Err(truncated(archive, "it ends inside its first entry"));
    }
    if &head[MAGIC_AT..MAGIC_AT + 5] != b"ustar" {
        return Err(BackupError::NotABackup { archive: archive.to_path_buf(), why: "it is not a backup archive".into() }.into());
    }
    Ok(())
}

fn read_entry<R: Read>(archive: &Path, mut entry: tar::Entry<R>, db: &Path, vault: &Path, got: &mut Unpacked) -> Result<()> {
    let not_ours = |why: &str| Error::from(BackupError::NotABackup { archive: archive.to_path_buf(), why: why.into() });
    if entry.header().entry_type() != tar::EntryType::Regular {
        return Err(not_ours("it holds something other than files"));
    }
    let name = String::from_utf8(entry.path_bytes().into_owned()).map_err(|_| not_ours("it holds files a Redress backup does not"))?;
    let kind = manifest::entry(&name).ok_or_else(|| not_ours("it holds files a Redress backup does not"))?;
    let size = entry.header().size().map_err(|_| damaged(archive, format!("the size of {name} is not a number")))?;
    if got.files.contains_key(&name)
        || (kind == Entry::Manifest && got.manifest.is_some())
        || (kind == Entry::ManifestSum && got.sum.is_some())
    {
        return Err(damaged(archive, format!("it holds {} twice", what(&name))));
    }
    match kind {
        Entry::Manifest | Entry::ManifestSum => {
            if size > MAX_MANIFEST {
                return Err(damaged(archive, format!("{} is impossibly large", what(&name))));
            }
            let mut bytes = Vec::with_capacity(size as usize);
            (&mut entry).take(size).read_to_end(&mut bytes).map_err(|e| read_error(archive, e))?;
            if bytes.len() as u64 != size {
                return Err(truncated(archive, &format!("it ends inside {}", what(&name))));
            }
            *(if kind == Entry::Manifest { &mut got.manifest } else { &mut got.sum }) = Some(bytes);
        }
        Entry::Database => {
            let hashed = copy_out(archive, &name, &mut entry, size, db)?;
            got.files.insert(name, hashed);
        }
        Entry::KeyFile => {
            let hashed = copy_out(archive, &name, &mut entry, size, &crate::store::key_path(db))?;
            got.files.insert(name, hashed);
        }
        Entry::Document(sha) => {
            let shard = vault.join(&sha[..2]);
            fs::create_dir_all(&shard).map_err(|e| Error::io(&shard, e))?;
            let hashed = copy_out(archive, &name, &mut entry, size, &shard.join(&sha))?;
            got.files.insert(name, hashed);
        }
    }
    Ok(())
}

/// Copies an entry's `size` bytes into the new file `dest`, hashing them; returns the count and
/// the SHA-256.
fn copy_out(archive: &Path, name: &str, entry: &mut impl Read, size: u64, dest: &Path) -> Result<(u64, String)> {
    let file = fs::OpenOptions::new().write(true).create_new(true).open(dest).map_err(|e| Error::io(dest, e))?;
    let mut out = HashingWriter { inner: io::BufWriter::new(file), hasher: Sha256::new(), bytes: 0 };
    let mut data = entry.take(size);
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match data.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(archive, e)),
        };
        io::Write::write_all(&mut out, &buf[..n]).map_err(|e| Error::io(dest, e))?;
    }
    let (bytes, sha) = out.finish().map_err(|e| Error::io(dest, e))?;
    if bytes != size {
        return Err(truncated(archive, &format!("it ends inside {}", what(name))));
    }
    Ok((bytes, sha))
}

/// The manifest, once its checksum and every file's size and hash agree with it.
fn check(archive: &Path, got: Unpacked) -> Result<Manifest> {
    let (Some(json), Some(sum)) = (got.manifest, got.sum) else {
        return Err(truncated(archive, "it ends before its manifest"));
    };
    if hex(&Sha256::digest(&json)).as_bytes() != sum.as_slice() {
        return Err(damaged(archive, "its manifest does not match its checksum".into()));
    }
    let format = serde_json::from_slice::<serde_json::Value>(&json).ok().and_then(|v| v["format"].as_u64());
    match format {
        Some(f) if f > u64::from(FORMAT) => {
            let format = u32::try_from(f).unwrap_or(u32::MAX);
            return Err(BackupError::NewerFormat { archive: archive.to_path_buf(), format, known: FORMAT }.into());
        }
        _ => {}
    }
    let manifest: Manifest = serde_json::from_slice(&json).map_err(|_| damaged(archive, "its manifest cannot be read".into()))?;
    let mut listed: BTreeMap<String, &FileEntry> = manifest.documents.iter().map(|d| (manifest::document_entry(&d.name), d)).collect();
    listed.insert(manifest::DATABASE.into(), &manifest.database);
    if let Some(key) = &manifest.key_file {
        listed.insert(manifest::KEY_FILE.into(), key);
    }
    for (name, want) in &listed {
        match got.files.get(name) {
            None => return Err(damaged(archive, format!("its manifest lists {}, which it does not hold", what(name)))),
            Some((bytes, sha)) if *bytes != want.bytes || *sha != want.sha256 => {
                return Err(damaged(archive, format!("{} is not what its manifest says (its SHA-256 differs)", what(name))));
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = got.files.keys().find(|n| !listed.contains_key(*n)) {
        return Err(damaged(archive, format!("it holds {}, which its manifest does not list", what(extra))));
    }
    Ok(manifest)
}

/// An entry in words: "its database", "document 2cf24dba5fb0…".
fn what(name: &str) -> String {
    match manifest::entry(name) {
        Some(Entry::Document(sha)) => format!("document {}…", &sha[..12]),
        Some(Entry::Manifest | Entry::ManifestSum) => "its manifest".into(),
        Some(Entry::KeyFile) => "its key file".into(),
        _ => "its database".into(),
    }
}

/// A read error of the archive: the end reached too early, a damaged header, or the disk.
fn read_error(archive: &Path, e: io::Error) -> Error {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => truncated(archive, "it ends inside an entry"),
        io::ErrorKind::Other | io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
            damaged(archive, "an entry's header is damaged".into())
        }
        _ => Error::io(PathBuf::from(archive), e),
    }
}

fn truncated(archive: &Path, what: &str) -> Error {
    BackupError::Truncated { archive: archive.to_path_buf(), what: what.into() }.into()
}

fn damaged(archive: &Path, what: String) -> Error {
    BackupError::Damaged { archive: archive.to_path_buf(), what }.into()
}
