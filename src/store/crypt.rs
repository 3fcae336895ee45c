//! Encryption at rest for the store: whether a store is encrypted, the one function that opens
//! a database connection (with SQLCipher's key when the store is encrypted), and switching a
//! store between plain and encrypted.
//!
//! An encrypted store has a key file beside its database (`redress.key` beside `redress.db`:
//! [`key_path`]) holding the data key wrapped under the passphrase ([`crate::crypto::keyfile`]).
//! The key file also says whether a switch is under way, so a switch killed at any point is
//! finished (or, by the opposite command, undone) the next time: the database is converted
//! through `sqlcipher_export` into a temporary file renamed over it, each file beside it is
//! replaced by its converted copy by a rename, and the key file says "encrypted" (or is
//! removed) only when everything is done. Each step can be run again: what is already
//! converted is recognised and left alone.

use super::{dir_of, sql, Store, StoreError, BUSY_TIMEOUT};
use crate::atomic::{self, TempFile};
use crate::crypto::keyfile::KeyFileError;
use crate::crypto::{stream, DataKey, FileKey, KdfParams, KeyFile, KeyState, Passphrase};
use crate::error::{Error, Result};
use rusqlite::Connection;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

/// How a store's files are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum Protection {
    /// Plain files: no passphrase needed.
    Plain,
    /// Encrypted: opening it takes the passphrase.
    Encrypted,
    /// Half-way through `encrypt` or `decrypt` (a switch was stopped): opening it with the
    /// passphrase finishes the switch.
    Switching,
}

/// What a switch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Switched {
    /// The store was already as asked: nothing was done.
    pub already: bool,
    /// Files converted (documents, packets, OCR readings), besides the database.
    pub files: usize,
    /// Files that could not be converted because they are damaged (their content no longer
    /// matches, or they do not decrypt): left as they are, and named.
    pub damaged: Vec<PathBuf>,
}

/// The key file of the database at `db`: `redress.key` beside `redress.db`.
pub fn key_path(db: &Path) -> PathBuf {
    db.with_extension("key")
}

/// Whether the store whose database is at `db` is plain, encrypted, or half-way through a
/// switch. A store that does not exist yet is plain.
pub fn protection(db: &Path) -> Result<Protection> {
    Ok(match read_key_file(db)? {
        None => Protection::Plain,
        Some(k) if k.state == KeyState::Encrypted => Protection::Encrypted,
        Some(_) => Protection::Switching,
    })
}

/// Opens a connection to the database at `path`, keyed with the store's data key when the
/// store is encrypted: every connection to a store's database is made here. Nothing is read
/// yet (a wrong key shows at the first query).
pub fn connect(path: &Path, key: Option<&DataKey>) -> Result<Connection> {
    let conn =
        Connection::open(path).map_err(|e| StoreError::Damaged { path: path.to_path_buf(), detail: e.to_string(), source: Some(e) })?;
    if let Some(key) = key {
        // `PRAGMA key` takes no bound parameters; the key is hex digits only.
        let mut statement = zeroize::Zeroizing::new(String::from("PRAGMA key = \""));
        statement.push_str(&key.sql_key());
        statement.push_str("\";");
        conn.execute_batch(&statement).map_err(|e| sql(path, e))?;
    }
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| sql(path, e))?;
    Ok(conn)
}

/// Encrypts the store at `db` under `passphrase` (Argon2id at [`KdfParams::STRONG`]), or
/// finishes an encryption that was stopped. See [`encrypt_with`].
pub fn encrypt(db: &Path, passphrase: &Passphrase) -> Result<Switched> {
    encrypt_with(db, passphrase, KdfParams::STRONG)
}

/// Encrypts the store at `db`: a new data key wrapped under `passphrase` with `params`, then
/// the database, the vault and everything beside them converted. A store half-way through a
/// switch takes its own key file's passphrase (another is [`StoreError::WrongPassphrase`],
/// and nothing is changed) and is finished. An encrypted store is left as it is.
pub fn encrypt_with(db: &Path, passphrase: &Passphrase, params: KdfParams) -> Result<Switched> {
    let _lock = SwitchLock::take(db)?;
    let (file, key) = match read_key_file(db)? {
        Some(file) => {
            let key = unwrap_key(db, &file, passphrase)?;
            if file.state == KeyState::Encrypted {
                return Ok(Switched { already: true, ..Switched::default() });
            }
            (file, key)
        }
        None => {
            // Opened plain first: a foreign, damaged or newer database is refused untouched,
            // and an older one brought up to date.
            drop(Store::open(db)?);
            alone(db, None)?;
            let (file, key) = KeyFile::create(passphrase, params, KeyState::Encrypting).map_err(|e| Error::io(key_path(db), e))?;
            atomic::write_atomically(&key_path(db), &file.to_json())?;
            (file, key)
        }
    };
    let file = set_state(db, file, KeyState::Encrypting)?;
    let switched = convert(db, &key, true)?;
    set_state(db, file, KeyState::Encrypted)?;
    Ok(switched)
}

/// Decrypts the store at `db` (its passphrase is `passphrase`, else
/// [`StoreError::WrongPassphrase`] and nothing is changed), or finishes a switch that was
/// stopped the plain way. A plain store is left as it is.
pub fn decrypt(db: &Path, passphrase: &Passphrase) -> Result<Switched> {
    let _lock = SwitchLock::take(db)?;
    let Some(file) = read_key_file(db)? else {
        return Ok(Switched { already: true, ..Switched::default() });
    };
    let key = unwrap_key(db, &file, passphrase)?;
    alone(db, Some(&key))?;
    set_state(db, file, KeyState::Decrypting)?;
    let switched = convert(db, &key, false)?;
    let path = key_path(db);
    fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    atomic::sync_dir(&dir_of(db))?;
    Ok(switched)
}

/// The data key of the store at `db`, finishing a switch that was stopped; `None` for a plain
/// store. What [`Store::open_with`] calls.
pub(super) fn unlock(db: &Path, passphrase: Option<&Passphrase>) -> Result<Option<DataKey>> {
    let Some(file) = read_key_file(db)? else { return Ok(None) };
    let passphrase = passphrase.ok_or_else(|| StoreError::NeedsPassphrase { path: db.to_path_buf() })?;
    let key = unwrap_key(db, &file, passphrase)?;
    match file.state {
        KeyState::Encrypted => Ok(Some(key)),
        KeyState::Encrypting => {
            encrypt_with(db, passphrase, file.params)?;
            Ok(Some(key))
        }
        KeyState::Decrypting => {
            decrypt(db, passphrase)?;
            Ok(None)
        }
    }
}

fn read_key_file(db: &Path) -> Result<Option<KeyFile>> {
    let path = key_path(db);
    let text = match fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    KeyFile::parse(&text).map(Some).map_err(|e| key_error(&path, e))
}

fn unwrap_key(db: &Path, file: &KeyFile, passphrase: &Passphrase) -> Result<DataKey> {
    file.unwrap_key(passphrase).map_err(|e| key_error(&key_path(db), e))
}

fn key_error(path: &Path, e: KeyFileError) -> Error {
    match e {
        KeyFileError::WrongPassphrase => StoreError::WrongPassphrase { path: path.to_path_buf() },
        KeyFileError::Damaged(detail) => StoreError::KeyFile { path: path.to_path_buf(), detail },
    }
    .into()
}

/// Checks that no other connection has the database open (the app), before anything is
/// changed: its log folded into the file, which SQLite allows only to the one connection.
fn alone(db: &Path, key: Option<&DataKey>) -> Result<()> {
    if !db.exists() {
        return Ok(());
    }
    let key = if is_plain_database(db)? { None } else { key };
    let conn = connect(db, key)?;
    conn.busy_timeout(std::time::Duration::from_millis(500)).map_err(|e| sql(db, e))?;
    let mode: String = match conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0)) {
        Ok(m) => m,
        Err(e) if matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)) => {
            "wal".into()
        }
        Err(e) => return Err(sql(db, e)),
    };
    if mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::InUse { path: db.to_path_buf() }.into());
    }
    Ok(())
}

/// Writes the key file with `state` (when it says otherwise).
fn set_state(db: &Path, mut file: KeyFile, state: KeyState) -> Result<KeyFile> {
    if file.state != state {
        file.state = state;
        atomic::write_atomically(&key_path(db), &file.to_json())?;
    }
    Ok(file)
}

/// Converts the database, then every file beside it, to encrypted or to plain.
fn convert(db: &Path, key: &DataKey, encrypt: bool) -> Result<Switched> {
    let dir = dir_of(db);
    // The switch lock is held: no live switch owns what is left.
    remove_abandoned(db, true);
    convert_database(db, key, encrypt)?;
    let file_key = key.file_key();
    let mut switched = crate::vault::Vault::open_with(&dir.join("vault"), None)?.convert_all(&file_key, encrypt)?;
    for folder in beside_folders(&dir) {
        convert_folder(&folder, &file_key, encrypt, &mut switched)?;
    }
    Ok(switched)
}

/// The folders beside the database, other than the vault, that hold health data and are
/// encrypted with it: the app's packets and the OCR readings.
pub fn beside_folders(dir: &Path) -> [PathBuf; 2] {
    [dir.join("packets"), dir.join("ocr")]
}

/// Removes what a stopped switch left beside the database, once nobody is writing it: a
/// temporary converted database and a key file's unfinished write (decrypting removes the key
/// file, never writing it again, so that write would not clear it). Run at every open and
/// switch; `with_journals` (under the switch lock only) also SQLite's journals of a temporary
/// database, which hold no lock of their own to tell a live one.
pub(super) fn remove_abandoned(db: &Path, with_journals: bool) {
    let dir = dir_of(db);
    let prefix = switch_prefix(db);
    let key_temp = format!(".{}.", key_path(db).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    atomic::remove_abandoned(&dir, |n| {
        (n.starts_with(&prefix) && (with_journals || n.ends_with(atomic::TEMP_SUFFIX)))
            || (n.starts_with(&key_temp) && n.ends_with(atomic::TEMP_SUFFIX))
    });
}

/// How the temporary files of a database conversion are named: `.redress.db.switch.`.
fn switch_prefix(db: &Path) -> String {
    format!(".{}.switch.", db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
}

/// Whether the file at `db` is there and not plain SQLite: an encrypted database (whose key
/// file is missing, when this is asked), or something else entirely.
pub(super) fn is_encrypted_database(db: &Path) -> bool {
    fs::metadata(db).is_ok_and(|m| m.is_file() && m.len() >= 1024) && !is_plain_database(db).unwrap_or(true)
}

/// Whether the database file is plain SQLite (an encrypted one begins with random bytes).
fn is_plain_database(db: &Path) -> Result<bool> {
    let mut head = [0u8; 16];
    let n = std::io::Read::read(&mut File::open(db).map_err(|e| Error::io(db, e))?, &mut head).map_err(|e| Error::io(db, e))?;
    Ok(n == 16 && &head == b"SQLite format 3\0")
}

/// Rewrites the database encrypted (or plain) with `sqlcipher_export` into a temporary file
/// beside it, flushed and renamed over it. A database already in that form is left alone.
fn convert_database(db: &Path, key: &DataKey, encrypt: bool) -> Result<()> {
    if !db.exists() || fs::metadata(db).map(|m| m.len() == 0).unwrap_or(false) {
        return Ok(());
    }
    if is_plain_database(db)? != encrypt {
        return Ok(());
    }
    let dir = dir_of(db);
    let prefix = switch_prefix(db);
    let source = connect(db, (!encrypt).then_some(key))?;
    // Folds the write-ahead log into the file and removes it: a log must never meet the
    // converted file that replaces this one.
    let _: String = source.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0)).map_err(|e| sql(db, e))?;
    // `sqlcipher_export` copies the tables, not the header's numbers: those are set after it.
    let version: i64 = source.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| sql(db, e))?;
    let app_id: i64 = source.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(|e| sql(db, e))?;
    let temp = TempFile::create_in(&dir, &prefix)?;
    let target_key = if encrypt { key.sql_key() } else { zeroize::Zeroizing::new(String::new()) };
    let attach = |c: &Connection| -> rusqlite::Result<()> {
        c.execute("ATTACH DATABASE ?1 AS target KEY ?2", rusqlite::params![temp.path.to_string_lossy(), target_key.as_str()])?;
        c.query_row("SELECT sqlcipher_export('target')", [], |_| Ok(()))?;
        c.execute_batch(&format!(
            "PRAGMA target.user_version = {version}; PRAGMA target.application_id = {app_id}; DETACH DATABASE target;"
        ))
    };
    attach(&source).map_err(|e| sql(db, e))?;
    source.close().map_err(|(_, e)| sql(db, e))?;
    temp.persist(db)?;
    for side in ["-wal", "-shm", "-journal"] {
        let _ = fs::remove_file(format!("{}{side}", db.display()));
    }
    Ok(())
}

/// Converts every file under `folder` (its temporary files aside) as the vault's are, each
/// replaced by its converted copy by a rename.
fn convert_folder(folder: &Path, key: &FileKey, encrypt: bool, switched: &mut Switched) -> Result<()> {
    let Ok(entries) = fs::read_dir(folder) else { return Ok(()) };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            convert_folder(&path, key, encrypt, switched)?;
        } else if kind.is_file() && !name.ends_with(atomic::TEMP_SUFFIX) {
            match convert_file(&path, key, encrypt)? {
                Converted::Yes => switched.files += 1,
                Converted::Already => {}
                Converted::Damaged => switched.damaged.push(path),
            }
        }
    }
    Ok(())
}

/// What converting one file did.
pub(crate) enum Converted {
    Yes,
    Already,
    Damaged,
}

/// Converts one file whose content has no name to check it by: encrypted when it does not
/// decrypt under `key` already; decrypted when it does.
fn convert_file(path: &Path, key: &FileKey, encrypt: bool) -> Result<Converted> {
    let sealed = stream::is_encrypted(path).map_err(|e| Error::io(path, e))? && decrypts(path, key);
    if sealed == encrypt {
        return Ok(if encrypt || !stream::is_encrypted(path).unwrap_or(false) { Converted::Already } else { Converted::Damaged });
    }
    let mut out = atomic::AtomicFile::create(path)?;
    let mut input = File::open(path).map_err(|e| Error::io(path, e))?;
    let copied = if encrypt {
        stream::EncryptWriter::new(key, &mut out.file)
            .and_then(|mut w| std::io::copy(&mut input, &mut w).and_then(|_| w.finish().map(|_| ())))
    } else {
        stream::DecryptReader::new(key, std::io::BufReader::new(input)).and_then(|mut r| std::io::copy(&mut r, &mut out.file).map(|_| ()))
    };
    copied.map_err(|e| out.error(e))?;
    out.commit()?;
    Ok(Converted::Yes)
}

/// Whether the file decrypts whole under `key`.
fn decrypts(path: &Path, key: &FileKey) -> bool {
    File::open(path)
        .and_then(|f| stream::DecryptReader::new(key, std::io::BufReader::new(f)))
        .and_then(|mut r| std::io::copy(&mut r, &mut std::io::sink()))
        .is_ok()
}

/// One switch at a time: an exclusive lock on the store's folder while it runs (released by
/// the system however the process ends).
struct SwitchLock {
    _held: Option<File>,
}

impl SwitchLock {
    fn take(db: &Path) -> Result<SwitchLock> {
        let dir = dir_of(db);
        // A store's folder is its owner's alone, whoever makes it first.
        super::create_private_dir(&dir)?;
        // Folders cannot be opened as files everywhere; there the lock is not taken.
        let Ok(f) = File::open(&dir) else { return Ok(SwitchLock { _held: None }) };
        match f.try_lock() {
            Ok(()) => Ok(SwitchLock { _held: Some(f) }),
            Err(fs::TryLockError::WouldBlock) => Err(StoreError::Switching { path: db.to_path_buf() }.into()),
            Err(fs::TryLockError::Error(_)) => Ok(SwitchLock { _held: None }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const CHEAP: KdfParams = KdfParams { memory_kib: 64, passes: 1, lanes: 1 };

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redress-crypt-{tag}-{}-{}", std::process::id(), atomic::nonce()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A store with one case and one document; the case's id and the document's SHA-256.
    fn store_with_a_case(dir: &Path) -> (PathBuf, String, String) {
        let db = dir.join("redress.db");
        let mut store = Store::open(&db).unwrap();
        let case = crate::casefile::parse(include_str!("fixtures/second-case.toml")).unwrap();
        fs::write(dir.join("note.txt"), "Ortiz infusion note, member ID W123456789").unwrap();
        let sha = store.vault().put(&dir.join("note.txt")).unwrap();
        let mut case = case;
        case.exhibits.push(crate::model::Exhibit {
            file: "docs/note.txt".into(),
            kind: crate::model::ExhibitKind::Correspondence,
            date: chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            title: "Note".into(),
            pages: None,
            caption: None,
            id: None,
            meets: Vec::new(),
        });
        let id = store.create_case(&case, "Ortiz", &HashMap::from([("docs/note.txt".to_string(), sha.clone())])).unwrap();
        (db, id, sha)
    }

    #[test]
    fn an_encrypted_store_opens_only_with_its_passphrase_and_decrypts_back() {
        let dir = scratch("round");
        let (db, id, sha) = store_with_a_case(&dir);
        let want = Store::open(&db).unwrap().case(&id).unwrap();
        let pass = Passphrase::new("horse battery staple");
        assert_eq!(protection(&db).unwrap(), Protection::Plain);
        let done = encrypt_with(&db, &pass, CHEAP).unwrap();
        assert_eq!((done.files, done.damaged.len()), (1, 0));
        assert_eq!(protection(&db).unwrap(), Protection::Encrypted);
        assert!(!fs::read(&db).unwrap().windows(5).any(|w| w == b"Ortiz"));
        let vault_file = dir.join("vault").join(&sha[..2]).join(&sha);
        assert!(stream::is_encrypted(&vault_file).unwrap());

        assert!(matches!(Store::open(&db), Err(Error::Store(StoreError::NeedsPassphrase { .. }))));
        // Without its key file the database is named encrypted, not damaged, and left as it is.
        fs::rename(key_path(&db), dir.join("aside")).unwrap();
        let err = Store::open(&db).unwrap_err();
        assert!(matches!(&err, Error::Store(StoreError::Damaged { .. })) && err.to_string().contains("redress.key is missing"), "{err}");
        fs::rename(dir.join("aside"), key_path(&db)).unwrap();
        let wrong = Store::open_with(&db, Some(&Passphrase::new("horse battery stapler")));
        assert!(matches!(wrong, Err(Error::Store(StoreError::WrongPassphrase { .. }))), "{wrong:?}");
        let store = Store::open_with(&db, Some(&pass)).unwrap();
        assert_eq!(store.case(&id).unwrap(), want);
        let folder = store.load(&id).unwrap();
        // OCR's readings of this case are kept encrypted, by the command line and the app alike.
        assert!(crate::packet::OcrOptions::beside(&folder).key.is_some() && crate::cases::ocr_options(&store).key.is_some());
        let copy = folder.exhibit_path(&folder.case.exhibits[0]);
        assert_eq!(fs::read_to_string(&copy).unwrap(), "Ortiz infusion note, member ID W123456789");
        drop(folder);
        assert!(!copy.exists(), "the working copy is removed with the folder");
        assert_eq!(store.vault().read(&sha).unwrap(), b"Ortiz infusion note, member ID W123456789");
        drop(store);

        assert!(encrypt_with(&db, &pass, CHEAP).unwrap().already);
        assert!(matches!(decrypt(&db, &Passphrase::new("nope")), Err(Error::Store(StoreError::WrongPassphrase { .. }))));
        assert_eq!(decrypt(&db, &pass).unwrap().files, 1);
        assert_eq!(protection(&db).unwrap(), Protection::Plain);
        assert!(!key_path(&db).exists());
        assert_eq!(crate::vault::hash_file(&vault_file).unwrap(), sha);
        let plain = Store::open(&db).unwrap();
        assert_eq!(plain.case(&id).unwrap(), want);
        let folder = plain.load(&id).unwrap();
        assert!(folder.work.is_none() && crate::packet::OcrOptions::beside(&folder).key.is_none());
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn a_store_another_process_has_open_is_not_switched_and_nothing_changes() {
        let dir = scratch("in-use");
        let (db, _, _) = store_with_a_case(&dir);
        let app = Store::open(&db).unwrap();
        let err = encrypt_with(&db, &Passphrase::new("p"), CHEAP).unwrap_err();
        assert!(matches!(err, Error::Store(StoreError::InUse { .. })), "{err:?}");
        assert_eq!(protection(&db).unwrap(), Protection::Plain);
        drop(app);
        encrypt_with(&db, &Passphrase::new("p"), CHEAP).unwrap();
        let app = Store::open_with(&db, Some(&Passphrase::new("p"))).unwrap();
        let err = decrypt(&db, &Passphrase::new("p")).unwrap_err();
        assert!(matches!(err, Error::Store(StoreError::InUse { .. })), "{err:?}");
        assert_eq!(protection(&db).unwrap(), Protection::Encrypted);
        drop(app);
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn a_damaged_document_is_named_and_left_while_the_rest_is_decrypted() {
        let dir = scratch("damaged");
        let (db, _, sha) = store_with_a_case(&dir);
        let store = Store::open(&db).unwrap();
        fs::write(dir.join("other.txt"), "another document").unwrap();
        let other = store.vault().put(&dir.join("other.txt")).unwrap();
        drop(store);
        let pass = Passphrase::new("p");
        encrypt_with(&db, &pass, CHEAP).unwrap();
        let path = dir.join("vault").join(&sha[..2]).join(&sha);
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::remove_file(&path).unwrap();
        fs::write(&path, &bytes).unwrap();
        let done = decrypt(&db, &pass).unwrap();
        assert_eq!((done.files, done.damaged.clone()), (1, vec![path.clone()]));
        assert_eq!(fs::read(&path).unwrap(), bytes, "the damaged file is left as it was");
        let store = Store::open(&db).unwrap();
        assert!(store.vault().verify(&other).is_ok());
        let err = store.vault().verify(&sha).unwrap_err().to_string();
        assert!(err.contains("has been changed or damaged"), "{err}");
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn a_switch_stopped_half_way_is_finished_by_the_next_open() {
        let dir = scratch("resume");
        let (db, id, sha) = store_with_a_case(&dir);
        let pass = Passphrase::new("p");
        // Stopped after the key file and the database, before the vault.
        let (file, key) = KeyFile::create(&pass, CHEAP, KeyState::Encrypting).unwrap();
        atomic::write_atomically(&key_path(&db), &file.to_json()).unwrap();
        convert_database(&db, &key, true).unwrap();
        assert_eq!(protection(&db).unwrap(), Protection::Switching);
        assert!(matches!(Store::open(&db), Err(Error::Store(StoreError::NeedsPassphrase { .. }))));
        let store = Store::open_with(&db, Some(&pass)).unwrap();
        assert_eq!(protection(&db).unwrap(), Protection::Encrypted);
        assert!(store.vault().verify(&sha).is_ok());
        assert!(stream::is_encrypted(&store.vault().path(&sha)).unwrap());
        assert_eq!(store.case(&id).unwrap().exhibits.len(), 1);
        let _ = fs::remove_dir_all(dir);
    }
}
