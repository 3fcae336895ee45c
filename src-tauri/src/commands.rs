//! The app's commands: one line each into the `redress` library (see `redress::cases::COMMANDS`
//! for the contract the generated TypeScript follows).

use crate::dialogs;
use crate::ipc::{clock, off_ui, AppState, Reply};
use redress::casefile::CaseDoc;
use redress::cases::Access::{Read, Write};
use redress::cases::{
    self as cases, AddedDocuments, AppError, AppErrorKind, BackupSettings, CaseDetail, CaseOverview, Dialog, EncryptionStatus,
    EstimateView, PacketView, Prefill, ProfileView, ProgressView, Reading, RuleView,
};
use redress::packet::BuildOptions;
use redress::store::Passphrase;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tauri::ipc::Response;
use tauri::{AppHandle, Emitter, Manager, State, Window};

#[tauri::command]
pub fn list_cases(state: State<AppState>) -> Reply<Vec<CaseOverview>> {
    state.with(|s| cases::overview(s, clock()))
}

#[tauri::command]
pub fn get_case(state: State<AppState>, id: String) -> Reply<CaseDetail> {
    state.with(|s| cases::detail(s, &id, clock()))
}

#[tauri::command]
pub fn create_case(state: State<AppState>, doc: CaseDoc) -> Reply<CaseDetail> {
    state.with(|s| cases::create(s, &doc, clock()))
}

#[tauri::command]
pub fn save_case(state: State<AppState>, id: String, doc: CaseDoc) -> Reply<CaseDetail> {
    state.with(|s| cases::save(s, &id, &doc, clock()))
}

#[tauri::command]
pub fn restore_documents(state: State<AppState>, id: String, doc: CaseDoc, documents: HashMap<String, String>) -> Reply<CaseDetail> {
    state.with(|s| cases::restore_documents(s, &id, &doc, &documents, clock()))
}

#[tauri::command]
pub fn add_documents(state: State<AppState>, id: String, paths: Vec<PathBuf>) -> Reply<AddedDocuments> {
    state.picked.check_all(Read, &paths)?;
    state.with(|s| cases::add_documents(s, &id, &paths, clock()))
}

#[tauri::command]
pub fn unlock_document(state: State<AppState>, id: String, path: PathBuf, password: String) -> Reply<AddedDocuments> {
    state.picked.check(Read, &path)?;
    state.with(|s| cases::unlock_document(s, &id, &path, &password, clock()))
}

#[tauri::command]
pub fn document_bytes(state: State<AppState>, id: String, file: String) -> Reply<Response> {
    state.with(|s| cases::document_bytes(s, &id, &file)).map(Response::new)
}

#[tauri::command]
pub fn document_thumbnail(state: State<AppState>, id: String, file: String) -> Reply<Response> {
    state.with(|s| cases::document_thumbnail(s, &id, &file)).map(Response::new)
}

#[tauri::command]
pub fn profiles(state: State<AppState>) -> Reply<Vec<ProfileView>> {
    state.with(|s| cases::profiles(s))
}

/// Counting an exhibit's pages opens it: off the UI thread, and outside the store's lock.
#[tauri::command]
pub async fn estimate_packet(app: AppHandle, id: String, profile: String) -> Reply<EstimateView> {
    let c = clock();
    off_ui("the estimate", move || {
        app.state::<AppState>().store.estimate(&id, &profile, BuildOptions::new(c.now, chrono::Utc::now(), c.tz))
    })
    .await
}

/// `checklist`: whether the packet carries the coverage-criteria page (`build --checklist`);
/// `ocr`: whether scanned pages are read to make them searchable (`build --ocr`); `profile`:
/// the destination profile's name (empty: none).
#[tauri::command]
pub async fn build_packet(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    checklist: bool,
    ocr: bool,
    profile: String,
) -> Reply<PacketView> {
    state.cancel.store(false, Ordering::Relaxed);
    let emitter = app.clone();
    let progress: redress::packet::ProgressFn = Arc::new(move |p| {
        let _ = emitter.emit("build-progress", ProgressView { done: p.done as u32, total: p.total as u32, message: p.message.clone() });
    });
    let c = clock();
    let opts = BuildOptions {
        progress: Some(progress),
        cancel: Some(state.cancel.clone()),
        checklist,
        ocr: if ocr { Some(state.with(|s| Ok(cases::ocr_options(s)))?) } else { None },
        ..BuildOptions::new(c.now, chrono::Utc::now(), c.tz)
    };
    // The build runs off the UI thread, and the store is locked only while it loads and records.
    let app2 = app.clone();
    off_ui("the build", move || app2.state::<AppState>().build(&id, &profile, opts)).await
}

/// The case built as the fax profile sends it, into a preview file of its own.
#[tauri::command]
pub async fn build_fax_preview(app: AppHandle, id: String, checklist: bool) -> Reply<PacketView> {
    let c = clock();
    let opts = BuildOptions { checklist, ..BuildOptions::new(c.now, chrono::Utc::now(), c.tz) };
    off_ui("the fax preview", move || app.state::<AppState>().store.fax_preview(&id, opts)).await
}

#[tauri::command]
pub fn cancel_build(state: State<AppState>) {
    state.cancel.store(true, Ordering::Relaxed);
}

#[tauri::command]
pub fn packet_bytes(state: State<AppState>, id: String) -> Reply<Response> {
    state.with(|s| cases::volume_bytes(s, &id, 1)).map(Response::new)
}

#[tauri::command]
pub fn volume_bytes(state: State<AppState>, id: String, number: u32) -> Reply<Response> {
    state.with(|s| cases::volume_bytes(s, &id, number)).map(Response::new)
}

#[tauri::command]
pub fn fax_preview_bytes(state: State<AppState>, id: String) -> Reply<Response> {
    state.with(|s| cases::fax_preview_bytes(s, &id)).map(Response::new)
}

#[tauri::command]
pub fn save_packet_as(state: State<AppState>, id: String, path: PathBuf) -> Reply<String> {
    state.picked.check(Write, &path)?;
    state.with(|s| cases::save_packet_as(s, &id, &path))
}

#[tauri::command]
pub fn save_volume_as(state: State<AppState>, id: String, number: u32, path: PathBuf) -> Reply<String> {
    state.picked.check(Write, &path)?;
    state.with(|s| cases::save_volume_as(s, &id, number, &path))
}

#[tauri::command]
pub fn claim_file_letter(state: State<AppState>, id: String) -> Reply<String> {
    state.with(|s| cases::claim_file_letter(s, &id, clock()))
}

#[tauri::command]
pub fn save_claim_file_letter(state: State<AppState>, id: String, path: PathBuf) -> Reply<String> {
    state.picked.check(Write, &path)?;
    state.with(|s| cases::save_claim_file_letter(s, &id, &path, clock()))
}

#[tauri::command]
pub fn open_packet_folder(app: AppHandle, state: State<AppState>, id: String) -> Reply<()> {
    use tauri_plugin_opener::OpenerExt;
    let path = state.with(|s| cases::stored_case_path(s, &id, cases::packet_path))?;
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|e| AppError::new(AppErrorKind::Io, format!("cannot open the folder of {}: {e}", path.display())))
}

#[tauri::command]
pub fn import_folder(state: State<AppState>, path: PathBuf) -> Reply<CaseDetail> {
    state.picked.check(Read, &path)?;
    state.with(|s| cases::import_folder(s, &path, clock()))
}

#[tauri::command]
pub fn export_case(state: State<AppState>, id: String, dir: PathBuf) -> Reply<String> {
    state.picked.check(Write, &dir)?;
    state.with(|s| s.export(&id, &dir).map(|p| p.display().to_string()))
}

#[tauri::command]
pub fn load_demo(state: State<AppState>) -> Reply<CaseDetail> {
    let scratch = state.db_path.with_file_name("demo-source");
    state.with(|s| cases::load_demo(s, &scratch, clock()))
}

#[tauri::command]
pub fn rules() -> Vec<RuleView> {
    cases::rules()
}

/// OCR takes seconds a page: the notice is read off the UI thread, as a packet is built.
#[tauri::command]
pub async fn read_notice(state: State<'_, AppState>, path: PathBuf) -> Reply<Reading> {
    state.picked.check(Read, &path)?;
    off_ui("reading the notice", move || cases::read_notice(&path)).await
}

#[tauri::command]
pub fn read_claim(state: State<AppState>, path: PathBuf) -> Reply<Reading> {
    state.picked.check(Read, &path)?;
    cases::read_claim(&path).map_err(AppError::from)
}

#[tauri::command]
pub async fn notice_picture(state: State<'_, AppState>, path: PathBuf, page: u32) -> Reply<Response> {
    state.picked.check(Read, &path)?;
    off_ui("showing the notice's page", move || cases::notice_picture(&path, page)).await.map(Response::new)
}

#[tauri::command]
pub fn notice_bytes(state: State<AppState>, path: PathBuf) -> Reply<Response> {
    state.picked.check(Read, &path)?;
    cases::notice_bytes(&path).map(Response::new).map_err(AppError::from)
}

/// The form's document with the values the person accepted; `path`: the notice, kept as the
/// case's denial letter (none for a claim file).
#[tauri::command]
pub fn create_case_from_reading(state: State<AppState>, doc: CaseDoc, accepted: Vec<Prefill>, path: Option<PathBuf>) -> Reply<CaseDetail> {
    state.picked.check_all(Read, path.as_slice())?;
    state.with(|s| cases::create_from_reading(s, &doc, &accepted, path.as_deref(), clock()))
}

#[tauri::command]
pub fn apply_reading(state: State<AppState>, id: String, doc: CaseDoc, accepted: Vec<Prefill>, path: Option<PathBuf>) -> Reply<CaseDetail> {
    state.picked.check_all(Read, path.as_slice())?;
    state.with(|s| cases::apply_reading(s, &id, &doc, &accepted, path.as_deref(), clock()))
}

// The native dialogs: the shell opens them and records what the person picks, the only paths
// the commands above accept besides files dropped on the window (`lib.rs`).

/// Documents to add; `start_in`: the folder the dialog opens in (the last one used). None when cancelled.
#[tauri::command]
pub async fn pick_documents(app: AppHandle, window: Window, start_in: Option<String>) -> Reply<Option<Vec<PathBuf>>> {
    dialogs::pick(app, window, Dialog::Documents, start_in).await
}

#[tauri::command]
pub async fn pick_notice(app: AppHandle, window: Window, start_in: Option<String>) -> Reply<Option<PathBuf>> {
    dialogs::pick_one(app, window, Dialog::Notice, start_in).await
}

#[tauri::command]
pub async fn pick_claim_file(app: AppHandle, window: Window, start_in: Option<String>) -> Reply<Option<PathBuf>> {
    dialogs::pick_one(app, window, Dialog::ClaimFile, start_in).await
}

#[tauri::command]
pub async fn pick_case_folder(app: AppHandle, window: Window) -> Reply<Option<PathBuf>> {
    dialogs::pick_one(app, window, Dialog::CaseFolder, None).await
}

#[tauri::command]
pub async fn pick_export_folder(app: AppHandle, window: Window) -> Reply<Option<PathBuf>> {
    dialogs::pick_one(app, window, Dialog::ExportFolder, None).await
}

/// Where to save a PDF, the dialog offering `default_name`; None when cancelled.
#[tauri::command]
pub async fn pick_save_path(app: AppHandle, window: Window, default_name: String, title: String) -> Reply<Option<PathBuf>> {
    dialogs::save(app, window, default_name, title).await
}

/// A yes/no question in a native dialog; true for yes.
#[tauri::command]
pub async fn ask(app: AppHandle, window: Window, message: String, title: String, yes: String, no: String) -> Reply<bool> {
    dialogs::ask(app, window, message, title, yes, no).await
}

#[tauri::command]
pub fn backup_settings(state: State<AppState>) -> Reply<BackupSettings> {
    state.with(|s| cases::backup_settings(s))
}

#[tauri::command]
pub fn set_backup_keep(state: State<AppState>, keep: u32) -> Reply<BackupSettings> {
    state.with(|s| cases::set_backup_keep(s, keep))
}

/// Copying every document takes a while: off the UI thread, the store locked only for the snapshot.
#[tauri::command]
pub async fn back_up_now(app: AppHandle) -> Reply<BackupSettings> {
    off_ui("the backup", move || app.state::<AppState>().store.back_up_now(chrono::Utc::now())).await
}

#[tauri::command]
pub fn encryption_status(state: State<AppState>) -> Reply<EncryptionStatus> {
    state.store.encryption_status().map_err(AppError::from)
}

/// Deriving the key from the passphrase takes a second on purpose: off the UI thread.
#[tauri::command]
pub async fn unlock_store(app: AppHandle, passphrase: String) -> Reply<()> {
    off_ui("unlocking", move || app.state::<AppState>().store.unlock(&Passphrase::new(passphrase))).await
}

/// Re-encrypting every document takes a while: off the UI thread, other commands refused meanwhile;
/// the backups made before are replaced by an encrypted one made now.
#[tauri::command]
pub async fn encrypt_store(app: AppHandle, passphrase: String) -> Reply<()> {
    off_ui("encrypting", move || app.state::<AppState>().store.encrypt(&Passphrase::new(passphrase), chrono::Utc::now())).await
}

#[tauri::command]
pub async fn decrypt_store(app: AppHandle, passphrase: String) -> Reply<()> {
    off_ui("decrypting", move || app.state::<AppState>().store.decrypt(&Passphrase::new(passphrase))).await
}

#[tauri::command]
pub fn open_backup_folder(app: AppHandle, state: State<AppState>) -> Reply<()> {
    use tauri_plugin_opener::OpenerExt;
    let dir = state.with(|s| cases::backups_folder_made(s))?;
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| AppError::new(AppErrorKind::Io, format!("cannot open the folder {}: {e}", dir.display())))
}
