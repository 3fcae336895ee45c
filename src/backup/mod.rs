//! Backups of the whole store, and restoring one.
//!
//! A backup is one plain tar file: `database` (a snapshot of the database made with SQLite's
//! online backup, through the store's own connection code, so an encrypted store's copy stays
//! encrypted), `vault/ab/abcdef…` (each document a case uses, its bytes as the vault stores
//! them), then `manifest.json` ([`Manifest`]: format, when, the schema version, the latest
//! change, each file's size and SHA-256) and `manifest.sha256`. It is written atomically.
//!
//! Restoring unpacks into a temporary folder beside the database, checks every file against
//! the manifest and the manifest against its checksum, opens the copy as a [`Store`] (its own
//! checks and migrations) and verifies every document its cases use through the vault; only
//! then is anything touched. The documents go into the vault first (named by content, so adding
//! them changes no case), then the database copy is renamed over the database in one step,
//! while the old one is held so that no one else has it open. A store with changes newer than
//! the backup is refused unless forced.

mod error;
mod manifest;
mod unpack;

pub use error::BackupError;
pub use manifest::{FileEntry, Manifest, FORMAT};

use crate::atomic::{self, dir_of, hex, AtomicFile, TempDir, TempFile};
use crate::error::{Error, Result};
use crate::store::{self, Passphrase, Store, StoreError};
use crate::vault::Vault;
use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How the temporary copy of the database a backup is made from is named.
const DB_COPY_PREFIX: &str = ".redress-backup-db.";
/// How a restore's temporary folder beside the database is named.
const STAGING_PREFIX: &str = ".restore-";
/// How long a restore waits for another connection to let go of the database.
const IN_USE_WAIT: Duration = Duration::from_secs(2);

/// A backup written.
#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    pub path: PathBuf,
    pub manifest: Manifest,
    /// The archive's size.
    pub bytes: u64,
}

/// A restore done.
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    pub manifest: Manifest,
    /// Whether a database was there before (and is now replaced).
    pub replaced: bool,
    /// Where the store as it was before is backed up, when it was ([`RestoreOptions::keep_current`]).
    pub kept: Option<PathBuf>,
    /// Why it could not be backed up (a store with documents missing), when it could not.
    pub not_kept: Option<String>,
}

/// How a restore treats the store it replaces.
#[derive(Debug, Clone, Default)]
pub struct RestoreOptions {
    /// Replace a store with changes newer than the backup.
    pub force: bool,
    /// Back the store up here, with the time it is made, before replacing it (when there is one
    /// that opens): a forced restore then loses nothing for good.
    pub keep_current: Option<(PathBuf, DateTime<Utc>)>,
    /// The passphrase of an encrypted backup, or of the encrypted store it replaces.
    pub passphrase: Option<Passphrase>,
}

/// Backs the store up into the file `target` (replaced whole when it exists). `now` is when.
pub fn backup(store: &Store, target: &Path, now: DateTime<Utc>) -> Result<Backup> {
    Snapshot::take(store, &dir_of(target), now)?.write(target)
}

/// The store as it was at one moment, ready to be written out without the store: its
/// database copied into a temporary file, the documents that copy uses checked intact.
#[derive(Debug)]
pub struct Snapshot {
    database: TempFile,
    vault: Vault,
    copy: store::DatabaseCopy,
    created: String,
    /// An encrypted store's key file, as it was when the database was copied.
    key_file: Option<Vec<u8>>,
}

impl Snapshot {
    /// Copies the database into a temporary file in `scratch` (the folder the backup goes to);
    /// the documents are read later, by [`Snapshot::write`] (they never change under their names).
    pub fn take(store: &Store, scratch: &Path, now: DateTime<Utc>) -> Result<Snapshot> {
        fs::create_dir_all(scratch).map_err(|e| Error::io(scratch, e))?;
        // What a killed backup left (database copies, unfinished archives of the backups
        // folder), whose locks are gone: it holds the cases too.
        atomic::remove_abandoned(scratch, |n| n.starts_with(".redress-backup-") && n.ends_with(atomic::TEMP_SUFFIX));
        remove_orphan_journals(scratch);
        let database = TempFile::create_in(scratch, DB_COPY_PREFIX)?;
        owner_only(&database.path)?;
        let copy = store.copy_database(&database.path)?;
        let created = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let key_file = match store.key() {
            Some(_) => {
                let path = store::key_path(store.path());
                Some(fs::read(&path).map_err(|e| Error::io(&path, e))?)
            }
            None => None,
        };
        Ok(Snapshot { database, vault: store.vault().clone(), copy, created, key_file })
    }

    /// Writes the archive to `target` atomically: nothing under its name until it is whole.
    /// Each document is verified through the vault first: a missing or changed one is an error
    /// naming its vault file, and no backup that could not be restored is written.
    pub fn write(self, target: &Path) -> Result<Backup> {
        let out = AtomicFile::create(target)?;
        // Every case is in it: readable by its owner alone, wherever it is put.
        owner_only(&out.temp)?;
        let mut tar = tar::Builder::new(BufWriter::new(&out.file));
        let mut entry = |name: &str, source: &Path| append_file(&mut tar, name, source, &out.temp);
        let database = FileEntry { name: manifest::DATABASE.into(), ..entry(manifest::DATABASE, &self.database.path)? };
        let mut documents = Vec::with_capacity(self.copy.documents.len());
        for sha in &self.copy.documents {
            let path = self.vault.verify(sha)?;
            documents.push(FileEntry { name: sha.clone(), ..entry(&manifest::document_entry(sha), &path)? });
        }
        let key_file = match &self.key_file {
            Some(bytes) => {
                append_bytes(&mut tar, manifest::KEY_FILE, bytes).map_err(|e| Error::io(&out.temp, e))?;
                Some(FileEntry { name: manifest::KEY_FILE.into(), bytes: bytes.len() as u64, sha256: hex(&Sha256::digest(bytes)) })
            }
            None => None,
        };
        let manifest = Manifest {
            format: FORMAT,
            created: self.created,
            schema_version: self.copy.schema_version,
            latest_change: self.copy.latest_change,
            history_entries: self.copy.history_entries,
            cases: self.copy.cases,
            database,
            documents,
            key_file,
        };
        let json =
            serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Other(format!("the backup's manifest cannot be written: {e}")))?;
        let sum = hex(&Sha256::digest(&json));
        let written = |e| Error::io(&out.temp, e);
        append_bytes(&mut tar, manifest::MANIFEST, &json).map_err(written)?;
        append_bytes(&mut tar, manifest::MANIFEST_SUM, sum.as_bytes()).map_err(written)?;
        tar.into_inner().and_then(|mut w| w.flush()).map_err(written)?;
        let bytes = out.file.metadata().map_err(written)?.len();
        out.commit()?;
        Ok(Backup { path: target.to_path_buf(), manifest, bytes })
    }
}

/// Removes the files SQLite kept beside database copies that are gone (a killed backup's): the
/// rollback journal, or the write-ahead log and its index while the copy was still in the
/// mode of the database it was copied from; a copy still there is being made, and they stay.
fn remove_orphan_journals(scratch: &Path) {
    let Ok(entries) = fs::read_dir(scratch) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let copy = ["-journal", "-wal", "-shm"].iter().find_map(|side| name.strip_suffix(side));
        let Some(copy) = copy.filter(|c| c.starts_with(DB_COPY_PREFIX)) else { continue };
        if !scratch.join(copy).exists() {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Makes a file readable and writable by its owner alone.
fn owner_only(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(|e| Error::io(path, e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Appends the file at `source` under `name`, hashing it as it streams; its entry (name left
/// empty) says its size and SHA-256.
fn append_file<W: Write>(tar: &mut tar::Builder<W>, name: &str, source: &Path, temp: &Path) -> Result<FileEntry> {
    let file = File::open(source).map_err(|e| Error::io(source, e))?;
    let size = file.metadata().map_err(|e| Error::io(source, e))?.len();
    let mut reader = HashingReader { inner: file.take(size), hasher: Sha256::new(), bytes: 0, failed: None };
    let appended = tar.append_data(&mut header(size), name, &mut reader);
    if let Some(e) = reader.failed.take() {
        return Err(Error::io(source, e));
    }
    appended.map_err(|e| Error::io(temp, e))?;
    if reader.bytes != size {
        return Err(Error::io(source, io::Error::new(io::ErrorKind::UnexpectedEof, "the file became shorter while it was backed up")));
    }
    Ok(FileEntry { name: String::new(), bytes: size, sha256: hex(&reader.hasher.finalize()) })
}

fn append_bytes<W: Write>(tar: &mut tar::Builder<W>, name: &str, bytes: &[u8]) -> io::Result<()> {
    tar.append_data(&mut header(bytes.len() as u64), name, bytes)
}

fn header(size: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_size(size);
    h.set_mode(0o600);
    h
}

/// Hashes what is read through it, and keeps a read error (the tar writer's own error would not
/// say which side failed).
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
    failed: Option<io::Error>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.hasher.update(&buf[..n]);
                self.bytes += n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let kind = e.kind();
                self.failed = Some(e);
                Err(kind.into())
            }
        }
    }
}

/// Restores the backup `archive` as the store whose database is `db`. Everything is checked
/// before anything is changed; a store with changes newer than the backup is refused unless
/// `opts.force`; an encrypted backup, or store, is opened with `opts.passphrase` (without it,
/// [`StoreError::NeedsPassphrase`]; a wrong one is [`StoreError::WrongPassphrase`]; either way
/// nothing is changed). The restored store is kept as the backup was: encrypted under the
/// backup's key file, or plain. See the module documentation for the order of the steps.
pub fn restore(archive: &Path, db: &Path, opts: &RestoreOptions) -> Result<Restored> {
    let force = opts.force;
    let passphrase = opts.passphrase.as_ref();
    let dir = dir_of(db);
    // A new store's folder is its owner's alone, as `Store::open` makes it.
    store::create_private_dir(&dir)?;
    let name = db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "redress.db".into());
    remove_abandoned_staging(&dir);
    let staging = dir.join(format!("{STAGING_PREFIX}{}-{}{}", std::process::id(), atomic::nonce(), atomic::TEMP_SUFFIX));
    let _staging = TempDir::create(&staging)?;
    // Locked for as long as this restore runs (the OS lets go when the process ends), so the
    // next restore tells a killed one's folder from a running one's.
    let _restoring = File::open(&staging).and_then(|f| f.lock().map(|_| f)).map_err(|e| Error::io(&staging, e))?;
    let staged_db = staging.join(&name);
    let manifest = unpack::unpack(archive, &staged_db, &staging.join("vault"))?;
    let staged_key = check_staged(archive, &staged_db, passphrase)?;
    let current = current_key(db, passphrase, force)?;
    if !force {
        refuse_newer(db, archive, &manifest, passphrase)?;
    }
    // A store open elsewhere is refused before the store as it was is backed up.
    drop(hold(db, force, current.as_ref())?);
    // Best effort: a store too damaged to back up is still replaced, which is what forcing asks.
    let (kept, not_kept) = match &opts.keep_current {
        Some((target, now)) => match keep_current(db, target, *now, passphrase) {
            Ok(kept) => (kept, None),
            Err(e) => (None, Some(e.to_string())),
        },
        None => (None, None),
    };
    let held = hold(db, force, current.as_ref())?;
    move_documents(&staging.join("vault"), &dir.join("vault"), staged_key.as_ref())?;
    for extra in ["-wal", "-shm", "-journal"] {
        let stale = dir.join(format!("{name}{extra}"));
        if stale.exists() {
            fs::remove_file(&stale).map_err(|e| Error::io(&stale, e))?;
        }
    }
    let replaced = db.exists();
    // The key file goes with the database: the backup's beside it, or none for a plain backup.
    let (staged_keyfile, keyfile) = (store::key_path(&staged_db), store::key_path(db));
    fs::rename(&staged_db, db).map_err(|e| Error::io(db, e))?;
    if staged_keyfile.exists() {
        fs::rename(&staged_keyfile, &keyfile).map_err(|e| Error::io(&keyfile, e))?;
    } else if keyfile.exists() {
        fs::remove_file(&keyfile).map_err(|e| Error::io(&keyfile, e))?;
    }
    atomic::sync_dir(&dir)?;
    drop(held);
    Ok(Restored { manifest, replaced, kept, not_kept })
}

/// Removes the folders of restores that were killed: the folder's own lock is free (its
/// restore is gone).
fn remove_abandoned_staging(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with(STAGING_PREFIX) || !name.ends_with(atomic::TEMP_SUFFIX) || !e.path().is_dir() {
            continue;
        }
        if File::open(e.path()).is_ok_and(|f| f.try_lock().is_ok()) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Backs up the store at `db` into `target` before it is replaced; nothing when there is no
/// store there or it does not open (a damaged one, replaced only when forced).
fn keep_current(db: &Path, target: &Path, now: DateTime<Utc>, passphrase: Option<&Passphrase>) -> Result<Option<PathBuf>> {
    if !db.exists() {
        return Ok(None);
    }
    let Ok(store) = Store::open_with(db, passphrase) else { return Ok(None) };
    Ok(Some(backup(&store, target, now)?.path))
}

/// Opens the unpacked database as a store (its own checks; an older schema is brought up to
/// date) and reads every case with its documents verified. Returns the data key of an encrypted
/// backup.
fn check_staged(archive: &Path, staged_db: &Path, passphrase: Option<&Passphrase>) -> Result<Option<store::DataKey>> {
    let damaged = |what: String| Error::from(BackupError::Damaged { archive: archive.to_path_buf(), what });
    let store = Store::open_with(staged_db, passphrase).map_err(|e| match e {
        // The backup is encrypted: its passphrase is asked for, not a damaged file reported.
        Error::Store(StoreError::NeedsPassphrase { .. }) => StoreError::NeedsPassphrase { path: archive.to_path_buf() }.into(),
        Error::Store(StoreError::WrongPassphrase { .. }) => StoreError::WrongPassphrase { path: archive.to_path_buf() }.into(),
        Error::Store(StoreError::Newer { version, known, .. }) => damaged(format!(
            "its database was written by a newer version of Redress (database version {version}; this version knows up to {known})"
        )),
        _ => damaged("its database is not a Redress database, or is damaged".into()),
    })?;
    for case in store.cases().map_err(|_| damaged("its database's cases cannot be read".into()))? {
        store.load(&case.id).map_err(|_| damaged(format!("case {} cannot be read back with its documents", case.id)))?;
    }
    Ok(store.key().cloned())
}

/// The data key of the encrypted store at `db` (to hold it for the swap), `None` for a plain or
/// missing one. A store that cannot be opened is replaced as it is when `force`d.
fn current_key(db: &Path, passphrase: Option<&Passphrase>, force: bool) -> Result<Option<store::DataKey>> {
    if !db.exists() || store::protection(db)? == store::Protection::Plain {
        return Ok(None);
    }
    match Store::open_with(db, passphrase) {
        Ok(s) => Ok(s.key().cloned()),
        Err(_) if force => Ok(None),
        Err(e) => Err(e),
    }
}

/// Refuses when the store at `db` has a change later than the backup's latest, naming both.
fn refuse_newer(db: &Path, archive: &Path, manifest: &Manifest, passphrase: Option<&Passphrase>) -> Result<()> {
    if !db.exists() {
        return Ok(());
    }
    let unreadable = |detail: &str| BackupError::StoreUnreadable { store: db.to_path_buf(), detail: detail.into() };
    let store = Store::open_with(db, passphrase).map_err(|e| match e {
        Error::Store(e @ (StoreError::NeedsPassphrase { .. } | StoreError::WrongPassphrase { .. })) => e.into(),
        Error::Store(StoreError::Foreign { .. }) => BackupError::NotAStore { store: db.to_path_buf() }.into(),
        Error::Store(StoreError::Locked { .. }) => BackupError::InUse { store: db.to_path_buf() }.into(),
        Error::Store(StoreError::Newer { .. }) => unreadable("it was written by a newer version of Redress").into(),
        Error::Store(StoreError::Damaged { .. }) => unreadable("it is damaged").into(),
        _ => Error::from(unreadable("it cannot be opened")),
    })?;
    let Some(change) = store.latest_change()? else { return Ok(()) };
    // History is stamped to the second: at the same second, more entries are newer changes.
    let older = match manifest.latest_change.as_ref() {
        Some(b) => change < *b || (change == *b && store.history_entries()? <= manifest.history_entries),
        None => false,
    };
    if older {
        return Ok(());
    }
    Err(BackupError::StoreIsNewer {
        store: db.to_path_buf(),
        archive: archive.to_path_buf(),
        store_change: change,
        backup_change: manifest.latest_change.clone(),
        made: manifest.created.clone(),
    }
    .into())
}

/// Holds the database at `db` for the swap; a store another connection has open is refused.
/// A damaged one cannot be held, and is replaced as it is when `force`d.
fn hold(db: &Path, force: bool, key: Option<&store::DataKey>) -> Result<Option<store::Held>> {
    match store::hold_for_replacement(db, IN_USE_WAIT, key) {
        Ok(h) => Ok(h),
        Err(Error::Store(StoreError::Locked { .. })) => Err(BackupError::InUse { store: db.to_path_buf() }.into()),
        Err(_) if force => Ok(None),
        Err(e) => Err(e),
    }
}

/// Moves each unpacked document into the vault at `to`, where one with the same name (the same
/// content) is not already intact. Adding documents changes no case.
fn move_documents(from: &Path, to: &Path, key: Option<&store::DataKey>) -> Result<()> {
    // Checked with the backup's key: a document there under another key is replaced too.
    let vault = Vault::open_with(to, key.map(store::DataKey::file_key))?;
    let Ok(shards) = fs::read_dir(from) else { return Ok(()) };
    for shard in shards {
        let shard = shard.map_err(|e| Error::io(from, e))?.path();
        let dest_shard = to.join(shard.file_name().unwrap_or_default());
        if !dest_shard.is_dir() {
            fs::create_dir_all(&dest_shard).map_err(|e| Error::io(&dest_shard, e))?;
            atomic::sync_dir(to)?;
        }
        for file in fs::read_dir(&shard).map_err(|e| Error::io(&shard, e))? {
            let file = file.map_err(|e| Error::io(&shard, e))?.path();
            let sha = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
            if vault.verify(&sha).is_err() {
                let dest = vault.path(&sha);
                fs::rename(&file, &dest).map_err(|e| Error::io(&dest, e))?;
            }
        }
        atomic::sync_dir(&dest_shard)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A backup killed while its database copy was in write-ahead mode leaves the log and its
    /// index beside the copy; once the copy is gone (`remove_abandoned`), the next backup
    /// removes them, and what a copy still there has stays.
    #[test]
    fn what_sqlite_kept_beside_a_killed_backups_copy_is_removed_with_it() {
        let dir = std::env::temp_dir().join(format!("redress-backup-orphans-{}-{}", std::process::id(), atomic::nonce()));
        fs::create_dir_all(&dir).unwrap();
        let (gone, live) = (format!("{DB_COPY_PREFIX}1-a.tmp"), format!("{DB_COPY_PREFIX}2-b.tmp"));
        fs::write(dir.join(&live), b"copy").unwrap();
        for side in ["-journal", "-wal", "-shm"] {
            fs::write(dir.join(format!("{gone}{side}")), b"x").unwrap();
            fs::write(dir.join(format!("{live}{side}")), b"x").unwrap();
        }
        fs::write(dir.join("other-wal"), b"x").unwrap();
        remove_orphan_journals(&dir);
        let mut left: Vec<String> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        let mut want = vec![live.clone(), format!("{live}-journal"), format!("{live}-shm"), format!("{live}-wal"), "other-wal".to_string()];
        want.sort();
        assert_eq!(left, want);
        fs::remove_dir_all(&dir).unwrap();
    }

    /// The app backs up through its own open connection, with its latest changes still in the
    /// write-ahead log: the backup holds them.
    #[test]
    fn a_backup_made_through_an_open_store_holds_its_latest_changes() {
        let dir = std::env::temp_dir().join(format!("redress-backup-open-{}-{}", std::process::id(), atomic::nonce()));
        let mut store = Store::open(&dir.join("store/redress.db")).unwrap();
        let clock = crate::cases::Clock {
            now: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(9, 0, 0).unwrap(),
            tz: chrono_tz::UTC,
        };
        crate::cases::load_demo(&mut store, &dir, clock).unwrap();
        let case = crate::casefile::parse(include_str!("../store/fixtures/second-case.toml")).unwrap();
        store.create_case(&case, "Ortiz", &std::collections::HashMap::new()).unwrap();
        let made = backup(&store, &dir.join("b.tar"), Utc::now()).unwrap();
        assert_eq!(made.manifest.cases, 2);
        let restored = restore(&dir.join("b.tar"), &dir.join("elsewhere/redress.db"), &RestoreOptions::default()).unwrap();
        assert_eq!(restored.manifest.cases, 2);
        let again = Store::open(&dir.join("elsewhere/redress.db")).unwrap();
        let ids: Vec<String> = again.cases().unwrap().into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["hayes-oxygen-appeal", "ortiz"]);
        drop((store, again));
        let _ = fs::remove_dir_all(&dir);
    }
}
