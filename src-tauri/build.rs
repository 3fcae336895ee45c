//! Declares the app's own commands so the capability file can allow exactly them.

fn main() {
    let commands: &[&str] = &[
        "list_cases",
        "get_case",
        "create_case",
        "save_case",
        "restore_documents",
        "add_documents",
        "unlock_document",
        "document_bytes",
        "document_thumbnail",
        "profiles",
        "estimate_packet",
        "build_packet",
        "build_fax_preview",
        "cancel_build",
        "packet_bytes",
        "volume_bytes",
        "fax_preview_bytes",
        "save_packet_as",
        "save_volume_as",
        "claim_file_letter",
        "save_claim_file_letter",
        "open_packet_folder",
        "import_folder",
        "export_case",
        "load_demo",
        "rules",
        "read_notice",
        "read_claim",
        "notice_picture",
        "notice_bytes",
        "create_case_from_reading",
        "apply_reading",
        "backup_settings",
        "set_backup_keep",
        "back_up_now",
        "encryption_status",
        "unlock_store",
        "encrypt_store",
        "decrypt_store",
        "open_backup_folder",
    ];
    let attrs = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(e) = tauri_build::try_build(attrs) {
        panic!("tauri build script failed: {e:#}");
    }
}
