//! What the shell keeps between commands, and how library errors reach the UI.

use redress::cases::{AppError, Clock, PacketView, Picked, SharedStore};
use redress::packet::BuildOptions;
use redress::store::Store;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// The store (opened on first use, locked per command, never for a whole build), the flag
/// that cancels a running build, and the paths the person picked in a dialog or dropped on the
/// window (the only ones the commands accept).
pub struct AppState {
    pub store: SharedStore,
    pub db_path: PathBuf,
    pub cancel: Arc<AtomicBool>,
    pub picked: Picked,
}

/// Every command's result: errors carry a `kind` the UI switches on.
pub type Reply<T> = Result<T, AppError>;

impl AppState {
    pub fn new(db_path: PathBuf) -> AppState {
        AppState { store: SharedStore::new(db_path.clone()), db_path, cancel: Arc::new(AtomicBool::new(false)), picked: Picked::default() }
    }

    /// Runs `f` with the store, opening it on first use.
    pub fn with<T>(&self, f: impl FnOnce(&mut Store) -> redress::Result<T>) -> Reply<T> {
        self.store.with(f).map_err(AppError::from)
    }

    /// Builds a case's packet, holding the store only to load the case and to record the packet.
    pub fn build(&self, id: &str, profile: &str, opts: BuildOptions) -> Reply<PacketView> {
        self.store.build_for(id, profile, opts).map_err(AppError::from)
    }
}

/// The clock, read here at the edge and passed into the library.
pub fn clock() -> Clock {
    Clock { now: chrono::Local::now().naive_local(), tz: redress::deadline::local_tz() }
}

/// Runs slow library work (a build, reading a notice by OCR) on a blocking thread, off the UI
/// thread; `what` names it if it stops unexpectedly ("the build").
pub async fn off_ui<T: Send + 'static, E: Into<AppError> + Send + 'static>(
    what: &str,
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Reply<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| AppError::new(redress::cases::AppErrorKind::Other, format!("{what} stopped unexpectedly: {e}")))?
        .map_err(Into::into)
}

/// Whether a command failed only because the store waits for its passphrase (an encrypted store
/// not unlocked yet) or is being switched: the background threads try again later.
pub fn waits_for_passphrase(e: &redress::Error) -> bool {
    use redress::cases::AppErrorKind::{NeedsPassphrase, Switching};
    matches!(redress::cases::kind_of(e), NeedsPassphrase | Switching)
}
