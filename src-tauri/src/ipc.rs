//! What the shell keeps between commands, and how library errors reach the UI.

use redress::cases::{AppError, AppErrorKind, Clock};
use redress::store::Store;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

/// The open store and the flag that cancels a running build.
pub struct AppState {
    pub store: Mutex<Option<Store>>,
    pub db_path: PathBuf,
    pub cancel: Arc<AtomicBool>,
}

/// Every command's result: errors carry a `kind` the UI switches on.
pub type Reply<T> = Result<T, AppError>;

impl AppState {
    pub fn new(db_path: PathBuf) -> AppState {
        AppState { store: Mutex::new(None), db_path, cancel: Arc::new(AtomicBool::new(false)) }
    }

    /// Runs `f` with the store, opening it on first use.
    pub fn with<T>(&self, f: impl FnOnce(&mut Store) -> redress::Result<T>) -> Reply<T> {
        let mut guard = self
            .store
            .lock()
            .map_err(|_| AppError::new(AppErrorKind::Store, "the store is unavailable after an earlier failure; restart Redress"))?;
        if guard.is_none() {
            *guard = Some(Store::open(&self.db_path)?);
        }
        match guard.as_mut() {
            Some(store) => f(store).map_err(AppError::from),
            None => Err(AppError::new(AppErrorKind::Store, "the store could not be opened")),
        }
    }
}

/// The clock, read here at the edge and passed into the library.
pub fn clock() -> Clock {
    Clock { now: chrono::Local::now().naive_local(), tz: redress::deadline::local_tz() }
}
