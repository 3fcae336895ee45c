//! The app's backups: made daily (when the newest is over a day old) and on request, into the
//! `backups` folder beside the database, the last N kept (N a setting, default 7, 0 = no
//! automatic backups). Each is a [`crate::backup`] archive named by when it was made.

use crate::backup::{Backup, Snapshot};
use crate::error::{Error, Result};
use crate::store::Store;
use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};

/// The setting that says how many automatic backups to keep.
pub const KEEP_SETTING: &str = "backup.keep";
/// The setting that holds why the last backup failed (cleared by the next that succeeds).
const FAILURE_SETTING: &str = "backup.failure";
/// How many backups are kept when the setting was never changed.
pub const DEFAULT_KEEP: u32 = 7;
/// Most backups the setting may keep.
pub const MAX_KEEP: u32 = 365;
/// A backup's name: `redress-backup-20261206-183000.tar` (UTC).
const PREFIX: &str = "redress-backup-";
const SUFFIX: &str = ".tar";
const STAMP: &str = "%Y%m%d-%H%M%S";

/// The Settings screen's backup part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct BackupSettings {
    /// How many automatic backups are kept; 0: none are made.
    pub keep: u32,
    /// Where they are.
    pub folder: String,
    /// When the newest was made (RFC 3339, UTC), if there is one.
    pub last: Option<String>,
    /// How many there are.
    pub count: u32,
    /// Why the last attempt failed, when it did.
    pub failure: Option<String>,
}

/// A backup taken from the store and still to be written ([`Snapshot::write`]) to `target`.
#[derive(Debug)]
pub struct PendingBackup {
    pub snapshot: Snapshot,
    pub target: PathBuf,
}

/// The `backups` folder beside the database.
pub fn backups_folder(store: &Store) -> PathBuf {
    backups_folder_of(store.path())
}

/// The `backups` folder beside the database at `db`.
pub(super) fn backups_folder_of(db: &Path) -> PathBuf {
    db.parent().map(Path::to_path_buf).unwrap_or_default().join("backups")
}

/// The backups folder, made (inside the store's own folder) when there is none yet, for the
/// file manager to show.
pub fn backups_folder_made(store: &Store) -> Result<PathBuf> {
    let folder = backups_folder(store);
    fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    Ok(folder)
}

/// The settings as the Settings screen shows them.
pub fn backup_settings(store: &Store) -> Result<BackupSettings> {
    let folder = backups_folder(store);
    let all = list(&folder);
    Ok(BackupSettings {
        keep: keep(store)?,
        last: all.last().map(|(at, _)| at.to_rfc3339_opts(SecondsFormat::Secs, true)),
        count: all.len() as u32,
        failure: store.setting(FAILURE_SETTING)?.filter(|f| !f.is_empty()),
        folder: folder.display().to_string(),
    })
}

/// Sets how many automatic backups to keep (0: none are made; those there are stay) and
/// removes the oldest beyond a lower number at once.
pub fn set_backup_keep(store: &mut Store, keep: u32) -> Result<BackupSettings> {
    if keep > MAX_KEEP {
        return Err(Error::Other(format!("backups to keep: {keep} is more than {MAX_KEEP}")));
    }
    store.set_setting(KEEP_SETTING, &keep.to_string())?;
    prune(&backups_folder(store), keep)?;
    backup_settings(store)
}

/// Whether an automatic backup is due: backups are on, there is a case, and the newest backup
/// is a day old or there is none.
pub fn backup_due(store: &Store, now: DateTime<Utc>) -> Result<bool> {
    if keep(store)? == 0 || store.cases()?.is_empty() {
        return Ok(false);
    }
    Ok(list(&backups_folder(store)).last().is_none_or(|(at, _)| now - *at >= chrono::Duration::days(1)))
}

/// The file a backup of the database at `db` made `now` goes to, in its backups folder.
pub fn backup_file(db: &Path, now: DateTime<Utc>) -> PathBuf {
    backups_folder_of(db).join(format!("{PREFIX}{}{SUFFIX}", now.format(STAMP)))
}

/// Takes the store's snapshot for a backup made `now` (the slow writing is done without the store).
pub fn prepare_backup(store: &Store, now: DateTime<Utc>) -> Result<PendingBackup> {
    let target = backup_file(store.path(), now);
    Ok(PendingBackup { snapshot: Snapshot::take(store, &backups_folder(store), now)?, target })
}

/// Notes how a backup went: the oldest beyond the number kept removed after a success, the
/// reason kept after a failure (shown on the Settings screen, and returned).
pub fn finish_backup(store: &mut Store, written: Result<Backup>) -> Result<BackupSettings> {
    match written {
        Ok(b) => {
            tracing::info!(cases = b.manifest.cases, documents = b.manifest.documents.len(), "backup written");
            store.set_setting(FAILURE_SETTING, "")?;
            prune(&backups_folder(store), keep(store)?)?;
            backup_settings(store)
        }
        Err(e) => {
            tracing::warn!(kind = ?super::kind_of(&e), "a backup failed");
            store.set_setting(FAILURE_SETTING, &e.to_string())?;
            Err(e)
        }
    }
}

/// Backs up now (Settings' "Back up now", and the daily backup when the store is not shared).
pub fn back_up_now(store: &mut Store, now: DateTime<Utc>) -> Result<BackupSettings> {
    let written = prepare_backup(store, now).and_then(|p| p.snapshot.write(&p.target));
    finish_backup(store, written)
}

fn keep(store: &Store) -> Result<u32> {
    Ok(store.setting(KEEP_SETTING)?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_KEEP))
}

/// The backups in `folder`, oldest first, by the time in their names.
pub(super) fn list(folder: &Path) -> Vec<(DateTime<Utc>, PathBuf)> {
    let Ok(entries) = fs::read_dir(folder) else { return Vec::new() };
    let mut out: Vec<(DateTime<Utc>, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?.to_string();
            let at = NaiveDateTime::parse_from_str(&stamp, STAMP).ok()?.and_utc();
            Some((at, e.path()))
        })
        .collect();
    out.sort();
    out
}

/// Removes the oldest backups beyond `keep` (none when `keep` is 0: backups are off, those
/// there are stay).
fn prune(folder: &Path, keep: u32) -> Result<()> {
    let all = list(folder);
    if keep == 0 || all.len() <= keep as usize {
        return Ok(());
    }
    for (_, path) in &all[..all.len() - keep as usize] {
        fs::remove_file(path).map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn a_daily_backup_is_due_after_a_day_and_only_the_last_n_are_kept() {
        let dir = std::env::temp_dir().join(format!("redress-backups-{}-{}", std::process::id(), crate::atomic::nonce()));
        let mut store = Store::open(&dir.join("redress.db")).unwrap();
        assert!(!backup_due(&store, at(1, 9)).unwrap(), "nothing to back up in an empty store");
        let clock = crate::cases::Clock { now: at(1, 9).naive_utc(), tz: chrono_tz::UTC };
        crate::cases::load_demo(&mut store, &dir, clock).unwrap();
        assert!(backup_due(&store, at(1, 9)).unwrap());
        assert_eq!(backup_settings(&store).unwrap().keep, DEFAULT_KEEP);

        set_backup_keep(&mut store, 3).unwrap();
        for day in 1..=5 {
            back_up_now(&mut store, at(day, 9)).unwrap();
        }
        assert!(!backup_due(&store, at(5, 20)).unwrap(), "the newest is under a day old");
        assert!(backup_due(&store, at(6, 9)).unwrap());
        let s = backup_settings(&store).unwrap();
        assert_eq!((s.count, s.last.as_deref(), s.failure), (3, Some("2026-12-05T09:00:00Z"), None));
        let names: Vec<String> = list(&backups_folder(&store)).iter().map(|(a, _)| a.format("%d").to_string()).collect();
        assert_eq!(names, ["03", "04", "05"], "the two oldest were removed");

        set_backup_keep(&mut store, 1).unwrap();
        assert_eq!(backup_settings(&store).unwrap().count, 1);
        set_backup_keep(&mut store, 0).unwrap();
        assert!(!backup_due(&store, at(20, 9)).unwrap(), "0 turns automatic backups off");
        assert_eq!(backup_settings(&store).unwrap().count, 1, "turning them off removes none");
        assert!(set_backup_keep(&mut store, MAX_KEEP + 1).is_err());

        // A backup that cannot be written is an error, and the Settings screen says why.
        fs::remove_dir_all(backups_folder(&store)).unwrap();
        fs::write(backups_folder(&store), b"a file where the folder should be").unwrap();
        assert!(back_up_now(&mut store, at(21, 9)).is_err());
        assert!(backup_settings(&store).unwrap().failure.is_some());
        fs::remove_file(backups_folder(&store)).unwrap();
        back_up_now(&mut store, at(22, 9)).unwrap();
        assert_eq!(backup_settings(&store).unwrap().failure, None, "cleared by the next backup");
        drop(store);
        let _ = fs::remove_dir_all(&dir);
    }
}

#[cfg(test)]
mod shared_tests {
    use super::*;
    use crate::cases::SharedStore;

    /// As the app does it: Back up now through the shared store, then the backup restored elsewhere.
    #[test]
    fn back_up_now_through_the_shared_store_restores_every_case() {
        let dir = std::env::temp_dir().join(format!("redress-backups-shared-{}-{}", std::process::id(), crate::atomic::nonce()));
        let shared = SharedStore::new(dir.join("data/redress.db"));
        let clock = crate::cases::Clock { now: chrono::Utc::now().naive_utc(), tz: chrono_tz::UTC };
        shared.with(|s| crate::cases::load_demo(s, &dir, clock)).unwrap();
        let case = crate::casefile::parse(include_str!("../store/fixtures/second-case.toml")).unwrap();
        shared.with(|s| s.create_case(&case, "Ortiz", &std::collections::HashMap::new())).unwrap();
        let now = chrono::Utc::now();
        let settings = shared.back_up_now(now).unwrap();
        assert_eq!(settings.count, 1);
        // The daily backup: none while the newest is under a day old, one once it is older.
        assert_eq!(shared.backup_if_due(now + chrono::Duration::hours(23)).unwrap(), None);
        let later = shared.backup_if_due(now + chrono::Duration::hours(25)).unwrap().expect("a day later one is due");
        assert_eq!(later.count, 2);
        let file = list(&backups_folder_of(&dir.join("data/redress.db"))).swap_remove(0).1;
        crate::backup::restore(&file, &dir.join("elsewhere/redress.db"), &Default::default()).unwrap();
        let again = Store::open(&dir.join("elsewhere/redress.db")).unwrap();
        assert_eq!(again.cases().unwrap().len(), 2);
        drop(again);
        let _ = fs::remove_dir_all(&dir);
    }
}
