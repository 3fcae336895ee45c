//! The Redress desktop shell: Tauri 2 around the `redress` library. It adapts only: commands
//! (`commands.rs`), state and errors (`ipc.rs`), dialogs and notifications (plugins). Every
//! operation is a library function that the command line reaches too.

mod commands;
mod dialogs;
mod ipc;

use ipc::AppState;
use tauri::Manager;

/// Where the app keeps its database: `REDRESS_DB` when set (tests), else the user's data folder.
fn db_path() -> std::path::PathBuf {
    redress::store::Store::default_path()
}

/// Diagnostics go to standard error as plain lines (level, target, message and counts): the
/// library logs events and kinds, never a case's names, dates, identifiers or documents.
fn start_logging() {
    let _ = tracing_subscriber::fmt().with_writer(std::io::stderr).with_ansi(false).with_max_level(tracing::Level::INFO).try_init();
}

/// Files dropped on the window, as the native drop reports them (never as the page says): they
/// may be read, as files picked in the open dialog may. Recorded before the window can ask for
/// them (the window hears of the drop on this same thread's next turn).
fn record_drop(app: &tauri::AppHandle, paths: &[std::path::PathBuf]) {
    app.state::<AppState>().picked.grant(redress::cases::Access::Read, paths.iter().cloned());
}

pub fn run() {
    start_logging();
    let state = AppState::new(db_path());
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                record_drop(window.app_handle(), paths);
            }
        })
        .on_webview_event(|webview, event| {
            if let tauri::WebviewEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                record_drop(webview.app_handle(), paths);
            }
        })
        .setup(|app| {
            // `make run` asks for the demo case on an empty database, so a new user sees a real case at once.
            if std::env::var("REDRESS_DEMO").as_deref() == Ok("1") {
                let state = app.state::<AppState>();
                let scratch = state.db_path.with_file_name("demo-source");
                let loaded = state.with(|s| {
                    if s.cases()?.is_empty() {
                        redress::cases::load_demo(s, &scratch, ipc::clock()).map(|_| ())
                    } else {
                        Ok(())
                    }
                });
                if let Err(e) = loaded {
                    tracing::warn!(kind = ?e.kind, "the demo case could not be loaded");
                }
            }
            notifications::start(app.handle().clone());
            backups::start(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::list_cases,
            commands::get_case,
            commands::create_case,
            commands::save_case,
            commands::restore_documents,
            commands::add_documents,
            commands::unlock_document,
            commands::document_bytes,
            commands::document_thumbnail,
            commands::profiles,
            commands::estimate_packet,
            commands::build_packet,
            commands::build_fax_preview,
            commands::cancel_build,
            commands::packet_bytes,
            commands::volume_bytes,
            commands::fax_preview_bytes,
            commands::save_packet_as,
            commands::save_volume_as,
            commands::claim_file_letter,
            commands::save_claim_file_letter,
            commands::open_packet_folder,
            commands::import_folder,
            commands::export_case,
            commands::load_demo,
            commands::rules,
            commands::read_notice,
            commands::read_claim,
            commands::notice_picture,
            commands::notice_bytes,
            commands::create_case_from_reading,
            commands::apply_reading,
            commands::pick_documents,
            commands::pick_notice,
            commands::pick_claim_file,
            commands::pick_case_folder,
            commands::pick_export_folder,
            commands::pick_save_path,
            commands::ask,
            commands::backup_settings,
            commands::set_backup_keep,
            commands::back_up_now,
            commands::encryption_status,
            commands::unlock_store,
            commands::encrypt_store,
            commands::decrypt_store,
            commands::open_backup_folder,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("Redress could not start: {e}");
        std::process::exit(1);
    }
}

mod notifications {
    //! Desktop notifications for deadlines due soon or overdue: at start, then daily.

    use crate::ipc::{clock, AppState};
    use tauri::{AppHandle, Manager};
    use tauri_plugin_notification::NotificationExt;

    pub fn start(app: AppHandle) {
        std::thread::spawn(move || loop {
            let alerts = match app.state::<AppState>().store.with(|s| redress::cases::alerts(s, clock())) {
                Ok(alerts) => alerts,
                // An encrypted store not unlocked yet, or one being switched: asked again soon.
                Err(e) if crate::ipc::waits_for_passphrase(&e) => {
                    std::thread::sleep(std::time::Duration::from_secs(30));
                    continue;
                }
                Err(_) => Vec::new(),
            };
            for (who, d) in alerts {
                let when = if d.status == redress::deadline::Status::Overdue {
                    format!("overdue since {}", d.due)
                } else {
                    format!("due {} ({} days left)", d.due, d.days_left)
                };
                let shown = app
                    .notification()
                    .builder()
                    .title(format!("Redress: {} — {}", d.label, who))
                    .body(format!("{when} · {}", d.citation))
                    .show();
                if shown.is_err() {
                    tracing::warn!("a deadline notification could not be shown");
                }
            }
            std::thread::sleep(std::time::Duration::from_secs(24 * 60 * 60));
        });
    }
}

mod backups {
    //! The daily backup: at start, then checked every hour while the app is open.

    use crate::ipc::AppState;
    use tauri::{AppHandle, Manager};

    pub fn start(app: AppHandle) {
        std::thread::spawn(move || loop {
            let due = app.state::<AppState>().store.backup_if_due(chrono::Utc::now());
            if due.as_ref().is_err_and(crate::ipc::waits_for_passphrase) {
                // Made once the store is unlocked, or its switch is done.
                std::thread::sleep(std::time::Duration::from_secs(60));
                continue;
            }
            if let Err(e) = due {
                tracing::warn!(kind = ?redress::cases::kind_of(&e), "the daily backup failed");
            }
            std::thread::sleep(std::time::Duration::from_secs(60 * 60));
        });
    }
}
