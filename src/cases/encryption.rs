//! Encryption at rest in the app, on the store's own switch ([`crate::store::encrypt`],
//! [`crate::store::decrypt`]): whether the store needs its passphrase, unlocking it, the offer
//! at first run, and switching on and off while the app is open. The shell only adapts these.
//!
//! The app's [`SharedStore`] is closed for a switch (the switch replaces the database file, which
//! an open connection must not outlive) and opened again with the passphrase after it; while it
//! is closed, every other command is refused at once with [`StoreError::Switching`] rather than
//! made to wait, so the window never hangs on one.

use super::shared::SharedStore;
use crate::error::{Error, Result};
use crate::store::{self, KdfParams, Passphrase, Protection, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::atomic::Ordering;

/// What the app shows before the case list: the Unlock screen, the first-run offer, or neither;
/// and the Settings screen's Encryption section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct EncryptionStatus {
    /// `Encrypted` or `Switching` (a switch was stopped): the store opens only with its passphrase.
    pub protection: Protection,
    /// The store is open in the app (a plain store is opened on first use; an encrypted one
    /// once unlocked).
    pub unlocked: bool,
    /// There was no database when the app started: offer to protect the cases. Said once a run.
    pub first_run: bool,
}

/// The encryption switch the app asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Switch {
    On,
    Off,
}

impl SharedStore {
    /// Whether the store is plain, encrypted or half-switched, whether it is open, and (the first
    /// time it is asked after a start without a database) that this is a first run.
    pub fn encryption_status(&self) -> Result<EncryptionStatus> {
        let protection = store::protection(self.path())?;
        let unlocked = self.is_open();
        let first_run = self.first_run.swap(false, Ordering::SeqCst) && protection == Protection::Plain;
        Ok(EncryptionStatus { protection, unlocked, first_run })
    }

    /// Opens an encrypted store with its passphrase (a half-done switch is finished on the way);
    /// a wrong one is [`StoreError::WrongPassphrase`] and nothing changes. An open store stays.
    pub fn unlock(&self, passphrase: &Passphrase) -> Result<()> {
        let mut guard = self.lock_store()?;
        if guard.is_none() {
            *guard = Some(Store::open_with(self.path(), Some(passphrase))?);
        }
        Ok(())
    }

    /// Encrypts the store under `passphrase` at the strength the app uses
    /// ([`KdfParams::STRONG`]): see [`SharedStore::encrypt_with`].
    pub fn encrypt(&self, passphrase: &Passphrase, now: DateTime<Utc>) -> Result<()> {
        self.encrypt_with(passphrase, KdfParams::STRONG, now)
    }

    /// Encrypts the store (or finishes an encryption that was stopped), waiting for a running
    /// build or backup first, and opens it again with `passphrase`. An empty passphrase is
    /// refused. `params` is the key derivation's cost (tests pass cheap ones).
    ///
    /// The backups made before hold every case unencrypted: once a new backup (encrypted, made
    /// `now`) is written, they are removed. When it cannot be written they stay, and the
    /// Settings screen says why the backup failed.
    pub fn encrypt_with(&self, passphrase: &Passphrase, params: KdfParams, now: DateTime<Utc>) -> Result<()> {
        if passphrase.is_empty() {
            return Err(Error::Other("the passphrase is empty: type one to protect the cases with".into()));
        }
        let folder = super::backups::backups_folder_of(self.path());
        let plain = super::backups::list(&folder);
        self.switch(Switch::On, passphrase, params)?;
        if !plain.is_empty() {
            self.replace_plain_backups(&folder, &plain, now);
        }
        Ok(())
    }

    /// Backs up the encrypted store, then removes the `plain` backups made before it.
    fn replace_plain_backups(&self, folder: &std::path::Path, plain: &[(DateTime<Utc>, std::path::PathBuf)], now: DateTime<Utc>) {
        if self.back_up_now(now).is_err() {
            return;
        }
        // The newest is the one just written (named by the second: it may have replaced one).
        let new = super::backups::list(folder).pop().map(|(_, p)| p);
        let mut removed = 0;
        for (_, path) in plain.iter().filter(|(_, p)| Some(p) != new.as_ref()) {
            if std::fs::remove_file(path).is_ok() {
                removed += 1;
            }
        }
        tracing::info!(removed, "the unencrypted backups were replaced by an encrypted one");
    }

    /// Decrypts the store back to plain files (or finishes a decryption that was stopped) and
    /// opens it again. The passphrase is checked before anything is closed: a wrong one is
    /// [`StoreError::WrongPassphrase`], and the store stays open as it was.
    pub fn decrypt(&self, passphrase: &Passphrase) -> Result<()> {
        if store::protection(self.path())? == Protection::Encrypted {
            // Opened beside the app's own connection, only to prove the passphrase.
            drop(Store::open_with(self.path(), Some(passphrase))?);
        }
        self.switch(Switch::Off, passphrase, KdfParams::STRONG)
    }

    /// Closes the store, switches it, and opens it again; while it is closed, other commands are
    /// refused ([`SharedStore::with`]). After a failure the store is opened again as it can be
    /// (a switch that was stopped is finished by the next unlock).
    fn switch(&self, to: Switch, passphrase: &Passphrase, params: KdfParams) -> Result<()> {
        let _no_build = self.builds.lock().unwrap_or_else(|e| e.into_inner());
        let _no_backup = self.backups.lock().unwrap_or_else(|e| e.into_inner());
        {
            let mut guard = self.lock_store()?;
            if self.switching.swap(true, Ordering::SeqCst) {
                return Err(StoreError::Switching { path: self.path().to_path_buf() }.into());
            }
            // Closed here, before the database file is replaced.
            drop(guard.take());
        }
        tracing::info!(on = to == Switch::On, "switching the store's encryption");
        let switched = match to {
            Switch::On => store::encrypt_with(self.path(), passphrase, params).map(|_| ()),
            Switch::Off => store::decrypt(self.path(), passphrase).map(|_| ()),
        };
        let reopened = Store::open_with(self.path(), Some(passphrase));
        let guard = self.lock_store();
        self.switching.store(false, Ordering::SeqCst);
        let mut guard = guard?;
        match (switched, reopened) {
            (Ok(()), Ok(s)) => {
                *guard = Some(s);
                tracing::info!("the store's encryption was switched");
                Ok(())
            }
            (Err(e), reopened) => {
                *guard = reopened.ok();
                Err(e)
            }
            (Ok(()), Err(e)) => Err(e),
        }
    }
}

/// The error of a lock a panicking thread left.
pub(super) fn poisoned() -> Error {
    Error::Other("the store is unavailable after an earlier failure; restart Redress".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::{detail, load_demo, overview, Clock};
    use crate::cases::{kind_of, AppErrorKind};
    use std::path::{Path, PathBuf};

    const CHEAP: KdfParams = KdfParams { memory_kib: 64, passes: 1, lanes: 1 };

    fn clock() -> Clock {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap();
        Clock { now, tz: chrono_tz::America::Chicago }
    }

    fn now() -> DateTime<Utc> {
        clock().now.and_utc()
    }

    fn fresh(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redress-appcrypt-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Every file under `dir` (the store's folder) and its bytes, to prove nothing changed.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push((p.clone(), std::fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn the_first_run_is_offered_once_and_a_store_switched_on_is_unlocked_at_the_next_start() {
        let dir = fresh("on");
        let db = dir.join("redress.db");
        let app = SharedStore::new(db.clone());
        let first = app.encryption_status().unwrap();
        assert_eq!(first, EncryptionStatus { protection: Protection::Plain, unlocked: false, first_run: true });
        assert!(!app.encryption_status().unwrap().first_run, "the offer is made once a run");

        let id = app.with(|s| load_demo(s, &dir.join("demo"), clock())).unwrap().id;
        // A backup made before: it holds the case unencrypted.
        app.back_up_now(now() - chrono::Duration::days(2)).unwrap();
        let backups = dir.join("backups");
        let plain = crate::cases::backups::list(&backups);
        assert_eq!(plain.len(), 1);
        let pass = Passphrase::new("correct horse battery staple");
        assert!(app.encrypt_with(&Passphrase::new(""), CHEAP, now()).is_err(), "an empty passphrase protects nothing");
        app.encrypt_with(&pass, CHEAP, now()).unwrap();
        assert_eq!(app.encryption_status().unwrap().protection, Protection::Encrypted);
        assert!(app.encryption_status().unwrap().unlocked, "the app's store is open again after the switch");
        assert_eq!(app.with(|s| detail(s, &id, clock())).unwrap().doc.member.name, "Walter Hayes");
        // The unencrypted backup is replaced by an encrypted one.
        let now_there = crate::cases::backups::list(&backups);
        assert_eq!(now_there.len(), 1, "{now_there:?}");
        assert!(!plain[0].1.exists(), "the unencrypted backup is still there");
        let bytes = std::fs::read(&now_there[0].1).unwrap();
        assert!(!bytes.windows(12).any(|w| w == b"Walter Hayes"), "the new backup holds the member's name in plain");
        drop(app);

        // The next start: the store needs its passphrase, and nothing is read before it.
        let again = SharedStore::new(db.clone());
        assert_eq!(
            again.encryption_status().unwrap(),
            EncryptionStatus { protection: Protection::Encrypted, unlocked: false, first_run: false }
        );
        let refused = again.with(|s| overview(s, clock())).unwrap_err();
        assert!(matches!(refused, Error::Store(StoreError::NeedsPassphrase { .. })), "{refused:?}");
        assert_eq!(kind_of(&refused), AppErrorKind::NeedsPassphrase);

        let before = snapshot(&dir);
        let wrong = again.unlock(&Passphrase::new("correct horse battery stapler")).unwrap_err();
        assert_eq!(kind_of(&wrong), AppErrorKind::WrongPassphrase, "{wrong}");
        assert!(snapshot(&dir) == before, "a wrong passphrase changed the store's files");
        assert!(!again.encryption_status().unwrap().unlocked);

        again.unlock(&pass).unwrap();
        let cases = again.with(|s| overview(s, clock())).unwrap();
        assert_eq!(cases.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn switching_off_takes_the_right_passphrase_and_leaves_a_plain_store_open() {
        let dir = fresh("off");
        let db = dir.join("redress.db");
        let app = SharedStore::new(db.clone());
        let id = app.with(|s| load_demo(s, &dir.join("demo"), clock())).unwrap().id;
        let pass = Passphrase::new("tulip meadow 42");
        app.encrypt_with(&pass, CHEAP, now()).unwrap();

        let before = snapshot(&dir);
        let wrong = app.decrypt(&Passphrase::new("tulip meadow 43")).unwrap_err();
        assert_eq!(kind_of(&wrong), AppErrorKind::WrongPassphrase, "{wrong}");
        assert!(snapshot(&dir) == before, "a wrong passphrase changed the store's files");
        assert!(app.encryption_status().unwrap().unlocked, "the store stays open after a wrong passphrase");
        assert_eq!(app.with(|s| overview(s, clock())).unwrap().len(), 1);

        app.decrypt(&pass).unwrap();
        let status = app.encryption_status().unwrap();
        assert_eq!((status.protection, status.unlocked), (Protection::Plain, true));
        assert!(!store::key_path(&db).exists(), "a plain store has no key file");
        // A plain store opens without a passphrase, with its case and documents.
        let plain = Store::open(&db).unwrap();
        let folder = plain.load(&id).unwrap();
        assert!(!folder.case.exhibits.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
