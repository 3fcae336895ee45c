//! The native dialogs, opened by the shell through tauri-plugin-dialog's Rust API, off the UI
//! thread. What the person picks is recorded in the app state (`AppState::picked`) before the
//! window hears of it: those paths, and files dropped on the window, are the only ones the
//! commands accept.

use crate::ipc::{off_ui, AppState, Reply};
use redress::cases::{filter_extension, Access, AppError, AppErrorKind, Dialog};
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Window};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath, MessageDialogButtons, MessageDialogKind};

const LINUX: bool = cfg!(target_os = "linux");

/// Opens `what`'s dialog and records what the person picks; None when cancelled.
pub async fn pick(app: AppHandle, window: Window, what: Dialog, start_in: Option<String>) -> Reply<Option<Vec<PathBuf>>> {
    off_ui("the file dialog", move || {
        let mut dialog = app.dialog().file().set_parent(&window).set_title(what.title());
        for f in what.filters(LINUX) {
            let exts: Vec<&str> = f.extensions.iter().map(String::as_str).collect();
            dialog = dialog.add_filter(f.name, &exts);
        }
        if let Some(dir) = start_in.filter(|d| !d.is_empty()) {
            dialog = dialog.set_directory(dir);
        }
        let picked = match (what.folder(), what.several()) {
            (true, _) => dialog.blocking_pick_folder().map(|p| vec![p]),
            (false, true) => dialog.blocking_pick_files(),
            (false, false) => dialog.blocking_pick_file().map(|p| vec![p]),
        };
        record(&app, what.access(), picked)
    })
    .await
}

/// [`pick`] for a dialog that picks one file or folder.
pub async fn pick_one(app: AppHandle, window: Window, what: Dialog, start_in: Option<String>) -> Reply<Option<PathBuf>> {
    Ok(pick(app, window, what, start_in).await?.and_then(|mut p| p.pop()))
}

/// Asks where to save a PDF and records the answer as a path that may be written.
pub async fn save(app: AppHandle, window: Window, default_name: String, title: String) -> Reply<Option<PathBuf>> {
    off_ui("the save dialog", move || {
        let dialog: FileDialogBuilder<_> = app.dialog().file().set_parent(&window).set_title(title).set_file_name(default_name);
        let picked = dialog.add_filter("PDF", &[&filter_extension("pdf", LINUX)]).blocking_save_file();
        Ok::<_, AppError>(record(&app, Access::Write, picked.map(|p| vec![p]))?.and_then(|mut p| p.pop()))
    })
    .await
}

/// A yes/no question; true for yes.
pub async fn ask(app: AppHandle, window: Window, message: String, title: String, yes: String, no: String) -> Reply<bool> {
    off_ui("the question", move || {
        Ok::<_, AppError>(
            app.dialog()
                .message(message)
                .title(title)
                .kind(MessageDialogKind::Warning)
                .buttons(MessageDialogButtons::OkCancelCustom(yes, no))
                .parent(&window)
                .blocking_show(),
        )
    })
    .await
}

/// The picked paths, recorded for `access` in the app state.
fn record(app: &AppHandle, access: Access, picked: Option<Vec<FilePath>>) -> Reply<Option<Vec<PathBuf>>> {
    let Some(picked) = picked else { return Ok(None) };
    let paths = picked
        .into_iter()
        .map(|p| p.into_path().map_err(|_| AppError::new(AppErrorKind::Io, "The dialog gave a place that is not a file on this computer.")))
        .collect::<Reply<Vec<PathBuf>>>()?;
    app.state::<AppState>().picked.grant(access, paths.clone());
    Ok(Some(paths))
}
