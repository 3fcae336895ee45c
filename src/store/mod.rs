//! The case store: every case in one SQLite database, its documents in the [`Vault`] beside it;
//! the only module that speaks SQL.
//!
//! ```no_run
//! use redress::store::Store;
//! let mut store = Store::open(&Store::default_path())?;
//! let folder = redress::casefile::load(std::path::Path::new("hayes-oxygen-appeal"))?;
//! let id = store.import_folder(&folder)?; // "hayes-oxygen-appeal"
//! let again = store.load(&id)?;            // documents read from the vault, hash-checked
//! store.export(&id, std::path::Path::new("copy-of-hayes"))?;
//! # Ok::<(), redress::Error>(())
//! ```
//!
//! Durability is the point: `synchronous=FULL` in WAL mode, a case imported in one
//! transaction after its documents are safely in the vault, and an export that appears under
//! its name only when complete.

mod crypt;
mod error;
mod rows;
mod schema;

pub use crate::crypto::{DataKey, KdfParams, Passphrase};
pub use crypt::{beside_folders, connect, decrypt, encrypt, encrypt_with, key_path, protection, Protection, Switched};
pub use error::{DocumentProblem, ExhibitDocument, ExhibitProblem, StoreError};

use crate::atomic::{self, write_new as write_synced, TempDir};
use crate::casefile::{to_toml, CaseFolder, CASE_FILE, LETTER_FILE};
use crate::error::{Error, Result};
use crate::model::{Case, CaseKind, Program};
use crate::packet::fingerprints::{self, Fingerprints};
use crate::vault::Vault;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rows::{ReadError, StoredExhibit};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use schema::{MigrateError, Refusal};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// The environment variable that points the command line (and the app) at another database.
pub const DB_ENV: &str = "REDRESS_DB";
/// How long to wait for another process's write (an import elsewhere) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(15);
/// Longest case id made from a folder name, before any `-2` suffix.
const MAX_ID_LEN: usize = 48;

/// What a copy of the database holds ([`Store::copy_database`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseCopy {
    pub schema_version: i64,
    /// The latest history entry (RFC 3339, UTC).
    pub latest_change: Option<String>,
    /// How many history entries it holds.
    pub history_entries: u64,
    pub cases: usize,
    /// The SHA-256 of every document its cases use.
    pub documents: BTreeSet<String>,
}

/// One line of `redress cases`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CaseSummary {
    pub id: String,
    pub title: String,
    pub member_name: String,
    pub kind: CaseKind,
    pub program: Program,
    pub notice_date: NaiveDate,
    pub exhibits: usize,
}

/// Something that happened to a case in the store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryEntry {
    /// UTC, RFC 3339 (`2025-11-26T23:10:04Z`).
    pub at: String,
    pub what: String,
}

/// An open database and its vault.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    vault: Vault,
    /// The data key of an encrypted store.
    key: Option<DataKey>,
    clock: Box<dyn Fn() -> DateTime<Utc> + Send>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Store {
    /// The database the app and the command line share: `$REDRESS_DB` when set, else
    /// `redress.db` in the user's data folder (`~/.local/share/redress` on Linux).
    pub fn default_path() -> PathBuf {
        if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
            return PathBuf::from(p);
        }
        match directories::ProjectDirs::from("org", "Redress", "Redress") {
            Some(dirs) => dirs.data_dir().join("redress.db"),
            // No home folder to be found: the current folder is the only place left.
            None => PathBuf::from("redress.db"),
        }
    }

    /// Opens the database at `path`, creating it (and its folder) when missing, and brings
    /// its schema up to date. A file that is not a Redress database, is damaged, or was
    /// written by a newer Redress is refused with a message naming it, and left untouched.
    ///
    /// An encrypted store is refused ([`StoreError::NeedsPassphrase`]): open it with
    /// [`Store::open_with`].
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, None)
    }

    /// [`Store::open`] for a store that may be encrypted: `passphrase` unlocks it (a wrong one
    /// is [`StoreError::WrongPassphrase`], and nothing is changed); a store half-way through
    /// a switch has the switch finished first. A plain store needs no passphrase and ignores one.
    pub fn open_with(path: &Path, passphrase: Option<&Passphrase>) -> Result<Store> {
        if path.is_dir() {
            return Err(StoreError::NotAFile { path: path.to_path_buf() }.into());
        }
        let key = crypt::unlock(path, passphrase)?;
        crypt::remove_abandoned(path, false);
        if key.is_none() && crypt::is_encrypted_database(path) {
            // Noise and an encrypted database look alike without the key.
            let detail =
                format!("it is not plain SQLite: either damaged, or encrypted and its key file {} is missing", key_path(path).display());
            return Err(StoreError::Damaged { path: path.to_path_buf(), detail, source: None }.into());
        }
        Store::open_keyed(path, key)
    }

    fn open_keyed(path: &Path, key: Option<DataKey>) -> Result<Store> {
        let dir = dir_of(path);
        create_private_dir(&dir)?;
        let mut conn = connect(path, key.as_ref())?;
        // Nothing is written before this check passes.
        schema::inspect(&conn).map_err(|r| refused(path, r))?;
        // WAL lets the app read while the command line imports; FULL makes every commit
        // survive a power cut. A file system without WAL support keeps its journal mode.
        let _: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).map_err(|e| sql(path, e))?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(|e| sql(path, e))?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(|e| sql(path, e))?;
        schema::migrate(&mut conn).map_err(|e| match e {
            MigrateError::Newer(v) => refused(path, Refusal::Newer(v)),
            MigrateError::Sql(e) => sql(path, e),
        })?;
        let vault = Vault::open_with(&dir.join("vault"), key.as_ref().map(DataKey::file_key))?;
        if key.is_some() {
            crate::crypto::workdir::remove_abandoned(&dir);
        }
        let store = Store { conn, path: path.to_path_buf(), vault, key, clock: Box::new(Utc::now) };
        store.remove_unused_documents();
        Ok(store)
    }

    /// The schema version of the open database (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64> {
        self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| self.sql(e))
    }

    /// When anything last happened to any case (the latest history entry, RFC 3339 UTC), or
    /// `None` for a store without history.
    pub fn latest_change(&self) -> Result<Option<String>> {
        self.conn.query_row("SELECT max(at) FROM history", [], |r| r.get(0)).map_err(|e| self.sql(e))
    }

    /// How many history entries there are, over every case.
    pub fn history_entries(&self) -> Result<u64> {
        self.conn.query_row("SELECT count(*) FROM history", [], |r| r.get::<_, i64>(0)).map(|n| n.max(0) as u64).map_err(|e| self.sql(e))
    }

    /// The SHA-256 of every document a case uses, each once.
    pub fn documents_in_use(&self) -> Result<BTreeSet<String>> {
        let mut st = self.conn.prepare("SELECT DISTINCT sha256 FROM exhibits").map_err(|e| self.sql(e))?;
        let rows = st.query_map([], |r| r.get::<_, String>(0)).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<BTreeSet<_>>>().map_err(|e| self.sql(e))
    }

    /// Copies the whole database, as one consistent snapshot, into the new file `dest` with
    /// SQLite's online backup (other connections may go on writing meanwhile), and says what
    /// the copy holds, read from the copy itself. The copy is left in rollback-journal mode,
    /// one self-contained file, flushed to disk.
    pub fn copy_database(&self, dest: &Path) -> Result<DatabaseCopy> {
        // Keyed as the store is: an encrypted store's copy is encrypted under the same key.
        let mut copy = connect(dest, self.key.as_ref())?;
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy).map_err(|e| sql(dest, e))?;
            backup.run_to_completion(1024, Duration::from_millis(10), None).map_err(|e| sql(dest, e))?;
        }
        let _: String = copy.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0)).map_err(|e| sql(dest, e))?;
        let held =
            Store { conn: copy, path: dest.to_path_buf(), vault: self.vault.clone(), key: self.key.clone(), clock: Box::new(Utc::now) };
        let info = DatabaseCopy {
            schema_version: held.schema_version()?,
            latest_change: held.latest_change()?,
            history_entries: held.history_entries()?,
            cases: held.cases()?.len(),
            documents: held.documents_in_use()?,
        };
        held.conn.close().map_err(|(_, e)| sql(dest, e))?;
        fs::File::open(dest).and_then(|f| f.sync_all()).map_err(|e| Error::io(dest, e))?;
        Ok(info)
    }

    /// A setting's stored value (`backup.keep`), `None` when never set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional().map_err(|e| self.sql(e))
    }

    /// Stores a setting's value, replacing the one before.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(|_| ())
            .map_err(|e| self.sql(e))
    }

    /// Documents a killed import left in the vault, which no case uses, are removed a day
    /// after they were written; a day keeps clear of any import still running elsewhere.
    fn remove_unused_documents(&self) {
        let used: Result<std::collections::HashSet<String>, _> = self
            .conn
            .prepare("SELECT DISTINCT sha256 FROM exhibits")
            .and_then(|mut st| st.query_map([], |r| r.get::<_, String>(0))?.collect());
        if let Ok(used) = used {
            self.vault.remove_unused(&used, std::time::Duration::from_secs(24 * 60 * 60));
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder the database is in, where what a build keeps beside it goes (OCR readings,
    /// picture checks' verdicts).
    pub fn folder(&self) -> PathBuf {
        dir_of(&self.path)
    }

    /// The documents' folder.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// The data key of an encrypted store (`None`: plain), for opening copies of its database
    /// with [`connect`].
    pub fn key(&self) -> Option<&DataKey> {
        self.key.as_ref()
    }

    /// Replaces the clock that stamps the history (the system clock by default).
    pub fn set_clock(&mut self, clock: impl Fn() -> DateTime<Utc> + Send + 'static) {
        self.clock = Box::new(clock);
    }

    fn now(&self) -> String {
        (self.clock)().to_rfc3339_opts(SecondsFormat::Secs, true)
    }

    /// Copies a case folder into the store and returns the new case's id (the folder's name
    /// as a slug, `-2`, `-3`… when taken). Every document goes into the vault first; then the
    /// whole case is written in one transaction, so a crash leaves either the complete case or
    /// none of it (at worst, vault files no case uses).
    pub fn import_folder(&mut self, folder: &CaseFolder) -> Result<String> {
        // A file reached through a link to outside the folder is refused, as `load` refuses it.
        let outside = crate::casefile::links_outside(folder);
        if !outside.is_empty() {
            return Err(Error::Invalid(outside));
        }
        let case = &folder.case;
        let mut stored: Vec<StoredExhibit> = Vec::with_capacity(case.exhibits.len());
        let mut by_source: HashMap<PathBuf, StoredExhibit> = HashMap::new();
        for ex in &case.exhibits {
            let source = folder.exhibit_path(ex);
            if let Some(s) = by_source.get(&source) {
                stored.push(s.clone());
                continue;
            }
            let (sha256, bytes) = self.vault.put_counted(&source)?;
            let s = StoredExhibit { sha256, bytes };
            by_source.insert(source, s.clone());
            stored.push(s);
        }

        let name = folder.name();
        let base = slug(&name);
        let now = self.now();
        let from = folder.dir.canonicalize().unwrap_or_else(|_| folder.dir.clone());
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| sql(&path, e))?;
        let id = unique_id(&tx, &base).map_err(|e| sql(&path, e))?;
        rows::insert_case(&tx, &id, &name, case, &stored, &now).map_err(|e| sql(&path, e))?;
        add_history(&tx, &id, &now, &format!("imported from folder {}", from.display())).map_err(|e| sql(&path, e))?;
        tx.commit().map_err(|e| sql(&path, e))?;
        Ok(id)
    }

    /// Every case, by id.
    pub fn cases(&self) -> Result<Vec<CaseSummary>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT c.id, c.title, c.member_name, c.kind, c.program, c.notice_date,
                        (SELECT count(*) FROM exhibits e WHERE e.case_id = c.id)
                 FROM cases c ORDER BY c.id",
            )
            .map_err(|e| self.sql(e))?;
        let mut rows = st.query([]).map_err(|e| self.sql(e))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(|e| self.sql(e))? {
            let get = |i| r.get::<_, String>(i).map_err(|e| self.sql(e));
            let id = get(0)?;
            let damaged = |col: &str| self.read_err(&id, ReadError::Damaged(format!("the stored {col} is not valid")));
            let exhibits: i64 = r.get(6).map_err(|e| self.sql(e))?;
            out.push(CaseSummary {
                title: get(1)?,
                member_name: get(2)?,
                kind: CaseKind::parse(&get(3)?).ok_or_else(|| damaged("cases.kind"))?,
                program: Program::parse(&get(4)?).ok_or_else(|| damaged("cases.program"))?,
                notice_date: NaiveDate::parse_from_str(&get(5)?, "%Y-%m-%d").map_err(|_| damaged("cases.notice_date"))?,
                exhibits: exhibits.max(0) as usize,
                id,
            });
        }
        Ok(out)
    }

    /// Whether a case with this id is in the store.
    pub fn contains(&self, case_id: &str) -> Result<bool> {
        let found = self.conn.query_row("SELECT 1 FROM cases WHERE id = ?1", [case_id], |_| Ok(())).optional().map_err(|e| self.sql(e))?;
        Ok(found.is_some())
    }

    /// The case as data, without touching its documents (for deadlines and lists).
    pub fn case(&self, case_id: &str) -> Result<Case> {
        Ok(self.read(case_id)?.0)
    }

    /// The case ready to build: a [`CaseFolder`] whose `sources` point each exhibit's `file`
    /// at its vault copy, whose `display_name` is the case id and whose `dir` is the
    /// database's folder. Every document is hash-checked first (one a build hashed before and
    /// unchanged since, by its `fstat` fingerprint, is not read again: `packet::fingerprints`);
    /// a missing or changed vault file is an error naming the exhibit and the vault file, never
    /// used.
    ///
    /// In an encrypted store the sources are decrypted working copies in a private folder
    /// (`CaseFolder::work`), removed when the last clone of the folder is dropped.
    pub fn load(&self, case_id: &str) -> Result<CaseFolder> {
        let (case, stored) = self.read(case_id)?;
        let work = match &self.key {
            Some(key) => {
                let dir = dir_of(&self.path);
                let unique: HashMap<&str, u64> = stored.iter().map(|s| (s.sha256.as_str(), s.bytes)).collect();
                let needs = unique.values().sum();
                Some(std::sync::Arc::new(crate::crypto::WorkDir::create(&dir, key.file_key(), needs).map_err(|e| Error::io(&dir, e))?))
            }
            None => None,
        };
        let display_name = Some(case_id.to_string());
        let mut folder = CaseFolder { dir: dir_of(&self.path), case, sources: Some(HashMap::new()), display_name, work };
        // The fingerprints the case's builds keep (none for an encrypted store: its working
        // copies are new each time).
        let hashed = Fingerprints::read(folder.work.is_none().then(|| fingerprints::beside(&folder)));
        let mut sources = HashMap::new();
        let mut problems = Vec::new();
        for (i, (ex, st)) in folder.case.exhibits.iter().zip(&stored).enumerate() {
            let found = match &folder.work {
                None => self.verified(&st.sha256, &hashed),
                Some(w) => self.working_copy(w, &st.sha256),
            };
            match found {
                Ok(p) => {
                    sources.insert(ex.file.clone(), p);
                }
                Err(e) => problems.push(exhibit_document(i, &ex.file, e)),
            }
        }
        // The documents hashed here are not hashed again by the build that follows.
        hashed.keep();
        if !problems.is_empty() {
            let advice = if problems.len() == 1 {
                "import the case again from its folder to restore the document"
            } else {
                "import the case again from its folder to restore the documents"
            };
            return Err(StoreError::Exhibits { case_id: Some(case_id.to_string()), exhibits: problems, advice }.into());
        }
        folder.sources = Some(sources);
        Ok(folder)
    }

    /// The vault file of document `sha`, hash-checked: by the SHA-256 a build or a load took of
    /// it when `hashed` holds one for the file as `fstat` finds it now (read whole and hashed to
    /// `sha` before, and unchanged since: device, inode, size, modification and change times, as
    /// the build itself trusts them), else by reading it whole, the hash then noted in `hashed`
    /// for the build (a first build of a stored case so hashes each document once, not twice).
    fn verified(&self, sha: &str, hashed: &Fingerprints) -> Result<PathBuf> {
        let path = self.vault.path(sha);
        match hashed.sha256_of(&path) {
            Ok(h) if h == sha => Ok(path),
            // Missing, unreadable or changed: the vault's own check says which, in its words.
            _ => self.vault.verify(sha),
        }
    }

    /// The decrypted copy of document `sha` in `work` (made once however many exhibits use it).
    fn working_copy(&self, work: &crate::crypto::WorkDir, sha: &str) -> Result<PathBuf> {
        let path = work.path().join(sha);
        if !path.exists() {
            self.vault.copy_out(sha, &path)?;
        }
        Ok(path)
    }

    /// Writes the case out as a folder at `dir` (which must not exist, or be empty): case.toml,
    /// letter.md when the case has one, and every document under the path its case.toml
    /// gives. The folder is made under a temporary name beside `dir`, flushed to disk, and
    /// renamed into place only when complete.
    pub fn export(&mut self, case_id: &str, dir: &Path) -> Result<PathBuf> {
        let (case, stored) = self.read(case_id)?;
        if dir.exists() {
            let empty = fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
            if !dir.is_dir() || !empty {
                return Err(Error::Other(format!(
                    "{}: already exists and is not an empty folder; name a new folder to export into",
                    dir.display()
                )));
            }
        }
        let Some(name) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return Err(Error::Other(format!("{}: name a new folder to export into", dir.display())));
        };
        let parent = dir_of(dir);
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let temp = parent.join(format!(".{name}.{}-{}.export.tmp", std::process::id(), atomic::nonce()));
        let guard = TempDir::create(&temp).map_err(|e| atomic::not_created(e, dir, &parent))?;
        // A write that fails names the file as it would have been in `dir`.
        let named = |e| atomic::as_if_in(e, &temp, dir);

        // Documents first: a letter.md that is also an exhibit is the same file.
        let mut folders: BTreeSet<PathBuf> = BTreeSet::from([temp.clone()]);
        let mut written: HashSet<&str> = HashSet::new();
        for (i, (ex, st)) in case.exhibits.iter().zip(&stored).enumerate() {
            let one = |problem| StoreError::Exhibits {
                case_id: Some(case_id.to_string()),
                exhibits: vec![ExhibitDocument { number: i + 1, file: ex.file.clone(), problem }],
                advice: "import the case again from its folder to restore it",
            };
            let Some(rel) = inside_folder(&ex.file) else {
                return Err(one(ExhibitProblem::Outside).into());
            };
            if !written.insert(ex.file.as_str()) {
                continue;
            }
            let dest = temp.join(&rel);
            if let Some(p) = dest.parent() {
                fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
                folders.extend(p.ancestors().take_while(|a| a.starts_with(&temp)).map(Path::to_path_buf));
            }
            self.vault.copy_out(&st.sha256, &dest).map_err(|e| match e {
                e @ Error::Store(_) => one(ExhibitProblem::Vault(Box::new(e))).into(),
                other => named(other),
            })?;
        }
        if let Some(letter) = &case.letter {
            let path = temp.join(LETTER_FILE);
            if !path.exists() {
                write_synced(&path, letter.as_bytes()).map_err(named)?;
            }
        }
        write_synced(&temp.join(CASE_FILE), to_toml(&case).as_bytes()).map_err(named)?;
        // Deepest first, so each folder's entry is durable before its parent's.
        for f in folders.iter().rev() {
            atomic::sync_dir(f)?;
        }

        if let Err(e) = fs::rename(&temp, dir) {
            // Windows will not rename over a folder, even an empty one (checked above).
            if dir.is_dir() && fs::remove_dir(dir).is_ok() {
                fs::rename(&temp, dir).map_err(|e| Error::io(dir, e))?;
            } else {
                return Err(Error::io(dir, e));
            }
        }
        guard.disarm();
        atomic::sync_dir(&parent)?;
        let to = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        self.note(case_id, &format!("exported to folder {}", to.display()))?;
        Ok(dir.to_path_buf())
    }

    /// The case's history, oldest first.
    pub fn history(&self, case_id: &str) -> Result<Vec<HistoryEntry>> {
        self.require(case_id)?;
        let mut st = self.conn.prepare("SELECT at, what FROM history WHERE case_id = ?1 ORDER BY seq").map_err(|e| self.sql(e))?;
        let rows = st.query_map([case_id], |r| Ok(HistoryEntry { at: r.get(0)?, what: r.get(1)? })).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
    }

    /// Adds a line to the case's history ("packet built", "exported").
    pub fn note(&mut self, case_id: &str, what: &str) -> Result<()> {
        self.require(case_id)?;
        let now = self.now();
        add_history(&self.conn, case_id, &now, what).map_err(|e| self.sql(e))
    }

    fn require(&self, case_id: &str) -> Result<()> {
        if self.contains(case_id)? {
            Ok(())
        } else {
            Err(self.read_err(case_id, ReadError::Missing))
        }
    }

    fn read(&self, case_id: &str) -> Result<(Case, Vec<StoredExhibit>)> {
        rows::read_case(&self.conn, case_id).map_err(|e| self.read_err(case_id, e))
    }

    /// Creates a case from data (as the app's "New case" does) and returns its id, a slug of
    /// `name` made unique. Its exhibits' documents must already be in the vault: `documents`
    /// maps each exhibit's `file` to its SHA-256.
    pub fn create_case(&mut self, case: &Case, name: &str, documents: &HashMap<String, String>) -> Result<String> {
        let stored = self.stored_for(case, &HashMap::new(), documents)?;
        let now = self.now();
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| sql(&path, e))?;
        let id = unique_id(&tx, &slug(name)).map_err(|e| sql(&path, e))?;
        rows::insert_case(&tx, &id, name, case, &stored, &now).map_err(|e| sql(&path, e))?;
        add_history(&tx, &id, &now, "created").map_err(|e| sql(&path, e))?;
        tx.commit().map_err(|e| sql(&path, e))?;
        Ok(id)
    }

    /// Replaces a case's data with `case` in one transaction, keeping its id, creation time and
    /// history, and records what changed. An exhibit keeps the document stored under its
    /// `file`; a new exhibit's document must be in `added` (file → SHA-256, from the vault).
    pub fn save_case(&mut self, case_id: &str, case: &Case, added: &HashMap<String, String>) -> Result<()> {
        let (old, old_stored) = self.read(case_id)?;
        let by_file: HashMap<String, rows::StoredExhibit> = old.exhibits.iter().map(|e| e.file.clone()).zip(old_stored).collect();
        let stored = self.stored_for(case, &by_file, added)?;
        let what = describe_changes(&old, case);
        if what.is_empty() {
            return Ok(());
        }
        let now = self.now();
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| sql(&path, e))?;
        rows::update_case(&tx, case_id, case, &stored).map_err(|e| sql(&path, e))?;
        add_history(&tx, case_id, &now, &what).map_err(|e| sql(&path, e))?;
        tx.commit().map_err(|e| sql(&path, e))?;
        Ok(())
    }

    /// The case and, for each exhibit's `file`, the SHA-256 of its stored document: one read.
    pub fn case_with_documents(&self, case_id: &str) -> Result<(Case, HashMap<String, String>)> {
        let (case, stored) = self.read(case_id)?;
        let documents = case.exhibits.iter().zip(stored).map(|(e, s)| (e.file.clone(), s.sha256)).collect();
        Ok((case, documents))
    }

    fn stored_for(
        &self,
        case: &Case,
        existing: &HashMap<String, rows::StoredExhibit>,
        added: &HashMap<String, String>,
    ) -> Result<Vec<rows::StoredExhibit>> {
        let mut out = Vec::with_capacity(case.exhibits.len());
        let mut problems = Vec::new();
        for (i, ex) in case.exhibits.iter().enumerate() {
            if let Some(sha) = added.get(&ex.file) {
                match self.vault.verify_counted(sha) {
                    Ok((_, bytes)) => {
                        out.push(rows::StoredExhibit { sha256: sha.clone(), bytes });
                    }
                    Err(e) => problems.push(exhibit_document(i, &ex.file, e)),
                }
            } else if let Some(s) = existing.get(&ex.file) {
                out.push(s.clone());
            } else {
                problems.push(ExhibitDocument { number: i + 1, file: ex.file.clone(), problem: ExhibitProblem::NotStored });
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(StoreError::Exhibits { case_id: None, exhibits: problems, advice: "" }.into())
        }
    }

    fn sql(&self, e: rusqlite::Error) -> Error {
        sql(&self.path, e)
    }

    fn read_err(&self, case_id: &str, e: ReadError) -> Error {
        match e {
            ReadError::Missing => Error::NoSuchCase { id: case_id.to_string(), db: self.path.clone() },
            ReadError::Damaged(detail) => StoreError::CaseDamaged { path: self.path.clone(), case_id: case_id.to_string(), detail }.into(),
            ReadError::Sql(e) => self.sql(e),
        }
    }
}

/// The database at `path` (keyed with `key` when encrypted), held so that no one else can use it until the hold is dropped, for
/// a restore to put another file in its place: its write-ahead log folded into the file and
/// switched off, an exclusive lock taken. `Ok(None)` when there is no database there.
/// [`StoreError::Locked`] when another connection has it open (the app, another command).
pub(crate) fn hold_for_replacement(path: &Path, wait: Duration, key: Option<&DataKey>) -> Result<Option<Held>> {
    if !path.exists() {
        return Ok(None);
    }
    let conn = connect(path, key)?;
    conn.busy_timeout(wait).map_err(|e| sql(path, e))?;
    let locked = |e: rusqlite::Error| StoreError::sql(path, e, wait).into();
    // Leaving WAL mode needs every other connection closed: this is the test that none is open.
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0)).map_err(locked)?;
    if !mode.eq_ignore_ascii_case("delete") {
        let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None);
        return Err(locked(busy));
    }
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE").map_err(locked)?;
    conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;").map_err(locked)?;
    Ok(Some(Held { _conn: conn }))
}

/// A database no one else can open until this is dropped ([`hold_for_replacement`]).
pub(crate) struct Held {
    _conn: Connection,
}

fn sql(path: &Path, e: rusqlite::Error) -> Error {
    StoreError::sql(path, e, BUSY_TIMEOUT).into()
}

/// A vault error for exhibit `i` (0-based) as one line of [`StoreError::Exhibits`].
fn exhibit_document(i: usize, file: &str, e: Error) -> ExhibitDocument {
    ExhibitDocument { number: i + 1, file: file.to_string(), problem: ExhibitProblem::Vault(Box::new(e)) }
}

fn refused(path: &Path, why: Refusal) -> Error {
    let path = path.to_path_buf();
    match why {
        // A full or failing disk is said as such: the file itself may well be fine.
        Refusal::Damaged(_, Some(source)) if error::is_io_failure(&source) => StoreError::Sql { path, source },
        Refusal::Damaged(detail, source) => StoreError::Damaged { path, detail, source },
        Refusal::Foreign => StoreError::Foreign { path },
        Refusal::Newer(version) => StoreError::Newer { path, version, known: schema::latest() },
    }
    .into()
}

fn add_history(conn: &Connection, case_id: &str, at: &str, what: &str) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO history (case_id, at, what) VALUES (?1, ?2, ?3)", params![case_id, at, what]).map(|_| ())
}

/// The first free id among `base`, `base-2`, `base-3`…; run inside the import's transaction,
/// which holds the write lock, so two imports cannot take the same id.
fn unique_id(conn: &Connection, base: &str) -> rusqlite::Result<String> {
    let mut st = conn.prepare("SELECT 1 FROM cases WHERE id = ?1")?;
    let mut n = 1u64;
    loop {
        let id = if n == 1 { base.to_string() } else { format!("{base}-{n}") };
        if !st.exists([&id])? {
            return Ok(id);
        }
        n += 1;
    }
}

/// A case id from a folder name: lower-case ASCII letters and digits, runs of anything else
/// as one `-`; `case` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(MAX_ID_LEN);
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "case".into()
    } else {
        out.to_string()
    }
}

/// The folder a file is in, `.` for a bare name.
/// Creates the database's folder, if it is new readable by its owner alone (the documents and
/// the database beneath it are other users' business on a shared computer). A folder that
/// exists is left as it is.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(|e| Error::io(dir, e))?;
    }
    Ok(())
}

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `file` as a relative path that stays inside the folder, or `None`.
fn inside_folder(file: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in Path::new(file).components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// A line for the history: what a save changed, in the user's words; empty when nothing did.
fn describe_changes(old: &Case, new: &Case) -> String {
    let mut parts = Vec::new();
    let (o, n) = (old, new);
    if (&o.info, &o.member, &o.provider, &o.submitter) != (&n.info, &n.member, &n.provider, &n.submitter) {
        parts.push("identifiers changed".to_string());
    }
    // "1 document added", "3 documents added", "documents edited".
    let mut count = |what: &str, a: usize, b: usize, same: bool| {
        let n = |k: usize| if k == 1 { format!("1 {}", what.strip_suffix('s').unwrap_or(what)) } else { format!("{k} {what}") };
        if b > a {
            parts.push(format!("{} added", n(b - a)));
        } else if b < a {
            parts.push(format!("{} removed", n(a - b)));
        } else if !same {
            parts.push(format!("{what} edited"));
        }
    };
    count("documents", o.exhibits.len(), n.exhibits.len(), o.exhibits == n.exhibits);
    count("log events", o.events.len(), n.events.len(), o.events == n.events);
    let readings = |c: &Case| c.spo2.len() + c.wounds.len() + c.mobility.len();
    let same_readings = (&o.spo2, &o.wounds, &o.mobility) == (&n.spo2, &n.wounds, &n.mobility);
    count("readings", readings(o), readings(n), same_readings);
    count("submissions", o.submissions.len(), n.submissions.len(), o.submissions == n.submissions);
    if o.letter != n.letter {
        parts.push("letter edited".into());
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch folder for one test.
    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redress-store-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_database_written_by_schema_version_2_opens_with_the_same_cases_and_history() {
        let dir = scratch("v2");
        let db = dir.join("redress.db");
        fs::write(&db, include_bytes!("fixtures/redress-v2.db")).unwrap();
        let store = Store::open(&db).unwrap();
        let version: i64 = store.conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, 4);

        let ids: Vec<String> = store.cases().unwrap().into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["hayes-oxygen-appeal", "ortiz-infusion"]);
        // The demo as that version imported it, and the created case with its letter.
        let demo = crate::demo::write_demo(&dir.join("demo"), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
        let mut want = crate::casefile::load(&demo).unwrap().case;
        // Exhibit ids and `meets` came after version 2: the demo it imported had none, named
        // its service by the clock's word (`service`), before the field's services, and its
        // fax report and portal screenshot by the kinds there were before theirs.
        use crate::model::ExhibitKind::*;
        want.exhibits.iter_mut().for_each(|e| {
            e.id = None;
            e.meets.clear();
            e.kind = match e.kind {
                FaxConfirmation => DeliveryConfirmation,
                Screenshot => Correspondence,
                k => k,
            };
        });
        want.info.service = Some(crate::model::Service::Service);
        assert_eq!(store.case("hayes-oxygen-appeal").unwrap(), want);
        let mut second = crate::casefile::parse(include_str!("fixtures/second-case.toml")).unwrap();
        second.letter = Some("# To the plan\n\nPlease pay the claim.\n".into());
        assert_eq!(store.case("ortiz-infusion").unwrap(), second);

        let (_, documents) = store.case_with_documents("hayes-oxygen-appeal").unwrap();
        for ex in &want.exhibits {
            let bytes = fs::read(demo.join(&ex.file)).unwrap();
            let sha: String = sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(&bytes))
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(documents[&ex.file], sha, "{}", ex.file);
        }
        let history: Vec<String> =
            store.history("hayes-oxygen-appeal").unwrap().into_iter().map(|h| format!("{} {}", h.at, h.what)).collect();
        assert_eq!(
            history,
            [
                "2026-01-02T15:04:05Z imported from folder /home/user/cases/hayes-oxygen-appeal",
                "2026-01-02T15:04:05Z packet built: 31 pages (SHA-256 00)"
            ]
        );
        assert_eq!(store.history("ortiz-infusion").unwrap().len(), 1);
        drop(store);
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn a_saved_case_keeps_its_history_and_comes_back_as_saved() {
        let dir = scratch("save");
        let mut store = Store::open(&dir.join("redress.db")).unwrap();
        let mut case = crate::casefile::parse(include_str!("fixtures/second-case.toml")).unwrap();
        let id = store.create_case(&case, "Ortiz infusion", &HashMap::new()).unwrap();
        case.info.title = "Home infusion still not authorized".into();
        case.letter = Some("Dear plan".into());
        store.save_case(&id, &case, &HashMap::new()).unwrap();
        assert_eq!(store.case(&id).unwrap(), case);
        let what: Vec<String> = store.history(&id).unwrap().into_iter().map(|h| h.what).collect();
        assert_eq!(what, ["created", "identifiers changed, letter edited"]);
        assert_eq!(store.cases().unwrap()[0].title, "Home infusion still not authorized");
        drop(store);
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn a_stored_document_that_fails_the_checks_is_named_as_damaged() {
        let dir = scratch("damaged-doc");
        let db = dir.join("redress.db");
        let mut store = Store::open(&db).unwrap();
        let case = crate::casefile::parse(include_str!("fixtures/second-case.toml")).unwrap();
        let id = store.create_case(&case, "Ortiz", &HashMap::new()).unwrap();
        store.conn.execute("UPDATE cases SET doc = json_set(doc, '$.member.dob', 'soon')", []).unwrap();
        let err = store.case(&id).unwrap_err();
        assert!(matches!(&err, Error::Store(StoreError::CaseDamaged { case_id, .. }) if case_id == "ortiz"), "{err:?}");
        assert!(err.to_string().contains("member.dob: is not a date"), "{err}");
        store.conn.execute("UPDATE cases SET doc = '[1]'", []).unwrap();
        assert!(matches!(store.case(&id), Err(Error::Store(StoreError::CaseDamaged { .. }))));
        drop(store);
        let _ = fs::remove_dir_all(dir);
    }

    /// A scratch folder with a store holding one case of one progress note, and the case's id.
    fn store_with_a_note(name: &str, note: &[u8]) -> (PathBuf, Store, String) {
        let dir = scratch(name);
        let folder = dir.join("case");
        fs::create_dir_all(&folder).unwrap();
        let exhibit = "[[exhibit]]\nfile = \"note.txt\"\nkind = \"progress-note\"\ndate = \"2025-09-01\"\ntitle = \"Note\"\n";
        fs::write(folder.join(CASE_FILE), format!("{}\n{exhibit}", include_str!("fixtures/second-case.toml"))).unwrap();
        fs::write(folder.join("note.txt"), note).unwrap();
        let mut store = Store::open(&dir.join("redress.db")).unwrap();
        let id = store.import_folder(&crate::casefile::load(&folder).unwrap()).unwrap();
        (dir, store, id)
    }

    #[cfg(unix)]
    #[test]
    fn a_document_a_build_hashed_before_is_not_read_again_while_its_fingerprint_holds() {
        use crate::packet::fingerprints::Fingerprint;
        let (dir, store, id) = store_with_a_note("fingerprinted", b"infusion given at home");
        let loaded = store.load(&id).unwrap();
        let copy = loaded.exhibit_path(&loaded.case.exhibits[0]);
        let sha = crate::packet::hex(&<sha2::Sha256 as sha2::Digest>::digest(b"infusion given at home"));
        // Its content altered, its size kept (a damage no fingerprint can show would be taken as
        // the entry says: the entry stands for a hash of this very state of the file).
        let mut writable = fs::metadata(&copy).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        writable.set_readonly(false);
        fs::set_permissions(&copy, writable).unwrap();
        fs::write(&copy, b"INFUSION given at home").unwrap();
        assert!(store.load(&id).is_err(), "no entry: read whole, and refused");
        // An entry a build kept for the file as it now is, naming the document's SHA-256: the
        // file is not read, so the load takes it.
        let hashed = Fingerprints::read(Some(fingerprints::beside(&loaded)));
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3);
        hashed.hashed(Fingerprint::of(&fs::File::open(&copy).unwrap()).unwrap(), &sha, later);
        hashed.keep();
        assert_eq!(store.load(&id).unwrap().exhibit_path(&loaded.case.exhibits[0]), copy);
        // Any other state of the file is read whole again.
        fs::write(&copy, b"INFUSION GIVEN at home").unwrap();
        assert!(store.load(&id).is_err());
        drop(store);
        let _ = fs::remove_dir_all(dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_document_a_load_hashed_is_not_hashed_again_by_the_build_after_it() {
        let (dir, store, id) = store_with_a_note("load-hashes", b"wound dressed at home");
        let fresh = store.load(&id).unwrap();
        let vault_file = fs::File::open(fresh.exhibit_path(&fresh.case.exhibits[0])).unwrap();
        let kept = || Fingerprints::read(Some(fingerprints::beside(&fresh))).known(&vault_file);
        assert_eq!(kept(), None, "a file hashed within two seconds of its last change is not vouched for");
        // Once its times are settled, the load that hashes it keeps the hash for the build.
        std::thread::sleep(std::time::Duration::from_millis(2100));
        store.load(&id).unwrap();
        let sha = crate::packet::hex(&<sha2::Sha256 as sha2::Digest>::digest(b"wound dressed at home"));
        assert_eq!(kept(), Some(sha));
        drop(store);
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn refusals_are_typed_and_keep_the_path() {
        let dir = scratch("refusals");
        let newer = dir.join("newer.db");
        drop(Store::open(&newer).unwrap());
        Connection::open(&newer).unwrap().execute_batch("PRAGMA user_version = 99;").unwrap();
        match Store::open(&newer) {
            Err(Error::Store(StoreError::Newer { path, version: 99, known: 4 })) => assert_eq!(path, newer),
            other => panic!("{other:?}"),
        }
        let foreign = dir.join("foreign.db");
        Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE notes(body TEXT);").unwrap();
        assert!(matches!(Store::open(&foreign), Err(Error::Store(StoreError::Foreign { path })) if path == foreign));
        let noise = dir.join("noise.db");
        fs::write(&noise, vec![0x5a; 8192]).unwrap();
        assert!(matches!(Store::open(&noise), Err(Error::Store(StoreError::Damaged { path, .. })) if path == noise));
        assert!(matches!(Store::open(&dir), Err(Error::Store(StoreError::NotAFile { .. }))));
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn a_database_another_writer_holds_is_locked_not_damaged() {
        let dir = scratch("locked");
        let db = dir.join("redress.db");
        let mut store = Store::open(&db).unwrap();
        store.conn.busy_timeout(Duration::from_millis(50)).unwrap();
        let other = Connection::open(&db).unwrap();
        other.execute_batch("BEGIN IMMEDIATE; INSERT INTO cases (id, folder_name, kind, title, program, notice_date, member_name, created_at, doc) VALUES ('x', 'x', 'provider-appeal', 't', 'erisa', '2025-01-01', 'm', 'now', '{}');").unwrap();
        let case = crate::casefile::parse(include_str!("fixtures/second-case.toml")).unwrap();
        match store.create_case(&case, "Ortiz", &HashMap::new()) {
            Err(Error::Store(StoreError::Locked { path, .. })) => assert_eq!(path, db),
            other => panic!("{other:?}"),
        }
        other.execute_batch("ROLLBACK;").unwrap();
        drop(store);
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn slugs_are_short_lowercase_and_never_empty() {
        assert_eq!(slug("hayes-oxygen-appeal"), "hayes-oxygen-appeal");
        assert_eq!(slug("Smith  Oxygen_Appeal (2025)"), "smith-oxygen-appeal-2025");
        assert_eq!(slug("--Ünïcode--"), "n-code");
        assert_eq!(slug("…"), "case");
        assert!(slug(&"x".repeat(200)).len() <= MAX_ID_LEN);
    }

    #[test]
    fn only_paths_inside_the_folder_are_written() {
        assert_eq!(inside_folder("docs/a.pdf"), Some(PathBuf::from("docs/a.pdf")));
        assert_eq!(inside_folder("./a.pdf"), Some(PathBuf::from("a.pdf")));
        assert_eq!(inside_folder("../a.pdf"), None);
        assert_eq!(inside_folder("/etc/passwd"), None);
        assert_eq!(inside_folder(""), None);
    }
}
