//! The store as the app shares it between its commands and its notification thread: one lock,
//! taken for each command's reads and writes and never for the length of a packet build.

use super::backups::{backup_due, finish_backup, prepare_backup, BackupSettings};
use super::ops::{prepare_build_for, record_build, run_build};
use super::packets::{build_fax_preview, estimate_view, fax_preview_options, with_profile};
use super::views::{EstimateView, PacketView};
use crate::error::Result;
use crate::packet::BuildOptions;
use crate::store::{Store, StoreError};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The app's store, opened on first use. A build holds the store's lock only to load the case
/// and to record the packet; while the packet is made, other commands and the notification
/// thread go on. Builds wait for each other, so a packet and its report always belong together.
#[derive(Debug)]
pub struct SharedStore {
    path: PathBuf,
    store: Mutex<Option<Store>>,
    pub(super) builds: Mutex<()>,
    pub(super) backups: Mutex<()>,
    /// There was no database when the app started ([`SharedStore::encryption_status`]).
    pub(super) first_run: AtomicBool,
    /// The store is closed for an encryption switch ([`SharedStore::encrypt`]).
    pub(super) switching: AtomicBool,
}

impl SharedStore {
    /// The store of the database at `path`, not opened yet.
    pub fn new(path: PathBuf) -> SharedStore {
        let first_run = AtomicBool::new(!path.exists());
        SharedStore {
            path,
            store: Mutex::new(None),
            builds: Mutex::new(()),
            backups: Mutex::new(()),
            first_run,
            switching: AtomicBool::new(false),
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` with the store, opening it on first use. An encrypted store is opened only by
    /// [`SharedStore::unlock`] (until then: [`StoreError::NeedsPassphrase`]); while its encryption
    /// is being switched, [`StoreError::Switching`] at once.
    pub fn with<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        let mut guard = self.lock_store()?;
        let store = match guard.take() {
            Some(store) => guard.insert(store),
            None if self.switching.load(Ordering::SeqCst) => return Err(StoreError::Switching { path: self.path.clone() }.into()),
            None => guard.insert(Store::open(&self.path)?),
        };
        f(store)
    }

    /// The lock on the store (open or not).
    pub(super) fn lock_store(&self) -> Result<MutexGuard<'_, Option<Store>>> {
        self.store.lock().map_err(|_| super::encryption::poisoned())
    }

    /// Whether the store is open.
    pub(super) fn is_open(&self) -> bool {
        self.lock_store().is_ok_and(|g| g.is_some())
    }

    /// Builds case `id`'s packet: loaded under the store's lock, built outside it, recorded
    /// under it again.
    pub fn build(&self, id: &str, opts: BuildOptions) -> Result<PacketView> {
        self.build_for(id, "", opts)
    }

    /// [`SharedStore::build`] for the destination profile named (empty: none): its limits set
    /// on `opts` (the person's own profiles read beside the database).
    pub fn build_for(&self, id: &str, profile: &str, opts: BuildOptions) -> Result<PacketView> {
        // Nothing a panicking build left behind is guarded here, only the order of builds.
        let _one_at_a_time = self.builds.lock().unwrap_or_else(|e| e.into_inner());
        let (job, opts) = self.with(|s| prepare_build_for(s, id, profile, opts))?;
        let built = run_build(job, opts)?;
        self.with(|s| record_build(s, &built))
    }

    /// What a build of case `id` for the profile named is expected to make: the case loaded
    /// under the store's lock, its exhibits counted outside it.
    pub fn estimate(&self, id: &str, profile: &str, opts: BuildOptions) -> Result<EstimateView> {
        let (folder, opts) = self.with(|s| Ok((s.load(id)?, with_profile(s, profile, opts)?)))?;
        estimate_view(&folder, profile, &opts)
    }

    /// Backs the store up now into its backups folder: the snapshot taken under the store's
    /// lock, the archive written outside it.
    pub fn back_up_now(&self, now: DateTime<Utc>) -> Result<BackupSettings> {
        let _one_at_a_time = self.backups.lock().unwrap_or_else(|e| e.into_inner());
        let pending = self.with(|s| prepare_backup(s, now));
        let written = pending.and_then(|p| p.snapshot.write(&p.target));
        self.with(|s| finish_backup(s, written))
    }

    /// The daily backup, when one is due ([`backup_due`]); `None` when none was.
    pub fn backup_if_due(&self, now: DateTime<Utc>) -> Result<Option<BackupSettings>> {
        if !self.with(|s| backup_due(s, now))? {
            return Ok(None);
        }
        self.back_up_now(now).map(Some)
    }

    /// Builds case `id`'s fax preview (its own file; nothing recorded), in turn with builds.
    pub fn fax_preview(&self, id: &str, opts: BuildOptions) -> Result<PacketView> {
        let _one_at_a_time = self.builds.lock().unwrap_or_else(|e| e.into_inner());
        let (folder, opts) = self.with(|s| Ok((s.load(id)?, fax_preview_options(s, id, opts))))?;
        build_fax_preview(&folder, &opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::{detail, load_demo, overview, save, Clock};
    use crate::packet::{Progress, ProgressFn};
    use std::sync::mpsc;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    fn clock() -> Clock {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap();
        Clock { now, tz: chrono_tz::America::Chicago }
    }

    /// A build is held still inside its exhibits (from its progress callback) while other
    /// commands run; each must answer at once, not wait for the build to end.
    #[test]
    fn commands_answer_while_a_build_runs() {
        let dir = std::env::temp_dir().join(format!("redress-shared-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let shared = Arc::new(SharedStore::new(dir.join("redress.db")));
        let id = shared.with(|s| load_demo(s, &dir, clock())).unwrap().id;

        let (building, started) = mpsc::channel::<()>();
        let (release, go) = mpsc::channel::<()>();
        let go = std::sync::Mutex::new(go);
        let progress: ProgressFn = Arc::new(move |p: &Progress| {
            if p.done == 2 {
                let _ = building.send(());
                // Bounded, so a failing test never hangs.
                let _ = go.lock().unwrap().recv_timeout(Duration::from_secs(60));
            }
        });
        let opts = BuildOptions { progress: Some(progress), ..BuildOptions::new(clock().now, clock().now.and_utc(), clock().tz) };
        let builder = {
            let (shared, id) = (shared.clone(), id.clone());
            std::thread::spawn(move || shared.build(&id, opts))
        };
        started.recv_timeout(Duration::from_secs(60)).expect("the build did not start");

        // The case list (what the notification thread reads too), and a save, while it builds.
        let (answer, answered) = mpsc::channel();
        {
            let (shared, id) = (shared.clone(), id.clone());
            std::thread::spawn(move || {
                let t = Instant::now();
                let listed = shared.with(|s| overview(s, clock()));
                let saved = shared.with(|s| {
                    let mut doc = detail(s, &id, clock())?.doc;
                    doc.case.title = "Saved during the build".into();
                    save(s, &id, &doc, clock())
                });
                let _ = answer.send((listed, saved, t.elapsed()));
            });
        }
        let during = answered.recv_timeout(Duration::from_secs(10));
        release.send(()).unwrap();
        let built = builder.join().unwrap();

        let (listed, saved, took) = during.expect("a command waited for the build to finish");
        assert_eq!(listed.unwrap().len(), 1);
        assert_eq!(saved.unwrap().doc.case.title, "Saved during the build");
        assert!(took < Duration::from_secs(5), "the commands took {took:?}");
        let v = built.unwrap();
        assert!(v.pages > 10, "{v:?}");
        let history = shared.with(|s| s.history(&id)).unwrap();
        assert!(history.iter().any(|h| h.what.starts_with("packet built:")), "{history:?}");
        let again = shared.with(|s| detail(s, &id, clock())).unwrap();
        assert_eq!(again.packet, Some(v.clone()), "the report beside the packet is the one just built");

        // The report is replaced whole by the next build, never rewritten in place: a reader
        // holding the old one (here through a hard link) still has all of it.
        let report = std::path::Path::new(&v.path).with_extension("json");
        let old = std::fs::read(&report).unwrap();
        std::fs::hard_link(&report, dir.join("seen-by-a-reader.json")).unwrap();
        shared
            .with(|s| {
                let mut doc = detail(s, &id, clock())?.doc;
                doc.case.title = "Built twice".into();
                save(s, &id, &doc, clock())
            })
            .unwrap();
        let second = shared.build(&id, BuildOptions::new(clock().now, clock().now.and_utc(), clock().tz)).unwrap();
        assert_ne!(second.sha256, v.sha256);
        assert!(std::fs::read(&report).unwrap() != old, "the second build's report is in place");
        assert!(std::fs::read(dir.join("seen-by-a-reader.json")).unwrap() == old, "the report was written over in place");
        let packets = report.parent().unwrap();
        let left: Vec<_> = std::fs::read_dir(packets).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 2, "only the packet and its report: {left:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
