//! The cases as the app works with them: the case list with each case's next deadline, a
//! case's working view, and the edits the app makes, all on top of the store.

mod app_error;
mod backups;
#[cfg(test)]
mod contract;
mod documents;
mod encryption;
#[cfg(test)]
mod fixture;
mod ops;
mod packets;
mod prefill;
mod reading;
mod scope;
mod shared;
mod suggest;
pub mod views;

pub use app_error::*;
pub use backups::*;
pub use documents::*;
pub use encryption::*;
pub use ops::*;
pub use packets::*;
pub use prefill::*;
pub use reading::*;
pub use scope::{filter_extension, Access, Dialog, DialogFilter, Picked, DOCUMENT_EXTENSIONS};
pub use shared::SharedStore;
pub use suggest::DateSource;

pub use views::*;

/// The TypeScript declarations of every type the app's IPC carries, in dependency order.
#[cfg(feature = "typescript")]
pub fn typescript_types() -> String {
    use crate::casefile::*;
    use ts_rs::TS;
    let cfg = ts_rs::Config::default();
    let decls = [
        crate::deadline::DeadlineKind::decl(&cfg),
        crate::deadline::Status::decl(&cfg),
        crate::import::Format::decl(&cfg),
        CaseInfoDoc::decl(&cfg),
        MemberDoc::decl(&cfg),
        ProviderDoc::decl(&cfg),
        SubmitterDoc::decl(&cfg),
        ExhibitDoc::decl(&cfg),
        EventDoc::decl(&cfg),
        Spo2Doc::decl(&cfg),
        WoundDoc::decl(&cfg),
        MobilityDoc::decl(&cfg),
        SubmissionDoc::decl(&cfg),
        CaseDoc::decl(&cfg),
        CaseOverview::decl(&cfg),
        DeadlineView::decl(&cfg),
        MissedPromiseView::decl(&cfg),
        LadderStep::decl(&cfg),
        ExhibitInfo::decl(&cfg),
        crate::readings::Marker::decl(&cfg),
        crate::readings::ChartPoint::decl(&cfg),
        crate::readings::Threshold::decl(&cfg),
        crate::readings::LegendEntry::decl(&cfg),
        crate::readings::Chart::decl(&cfg),
        crate::readings::ReadingCharts::decl(&cfg),
        crate::checklist::Status::decl(&cfg),
        crate::checklist::EvidenceKind::decl(&cfg),
        crate::checklist::ExhibitRef::decl(&cfg),
        crate::checklist::Evidence::decl(&cfg),
        crate::checklist::ItemResult::decl(&cfg),
        crate::checklist::Evaluation::decl(&cfg),
        CaseDetail::decl(&cfg),
        VolumeView::decl(&cfg),
        PacketView::decl(&cfg),
        ProfileView::decl(&cfg),
        EstimateView::decl(&cfg),
        crate::packet::SectionKind::decl(&cfg),
        SectionView::decl(&cfg),
        RuleView::decl(&cfg),
        ProgressView::decl(&cfg),
        ProblemView::decl(&cfg),
        DateSource::decl(&cfg),
        SuggestedDate::decl(&cfg),
        RefusalReason::decl(&cfg),
        RefusedDocument::decl(&cfg),
        AddedDocuments::decl(&cfg),
        AppErrorKind::decl(&cfg),
        AppError::decl(&cfg),
        BackupSettings::decl(&cfg),
        crate::store::Protection::decl(&cfg),
        EncryptionStatus::decl(&cfg),
        crate::words::Rect::decl(&cfg),
        crate::words::WordSource::decl(&cfg),
        Provenance::decl(&cfg),
        Prefill::decl(&cfg),
        ReadPage::decl(&cfg),
        Reading::decl(&cfg),
    ];
    decls.iter().map(|d| format!("export {d}\n")).collect()
}

/// The app's commands: name, parameters (TypeScript), result type. The desktop shell
/// implements each with the same name in snake case; the UI calls them only through the
/// generated wrappers.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    ("listCases", "", "CaseOverview[]"),
    ("getCase", "id: string", "CaseDetail"),
    ("createCase", "doc: CaseDoc", "CaseDetail"),
    ("saveCase", "id: string, doc: CaseDoc", "CaseDetail"),
    ("restoreDocuments", "id: string, doc: CaseDoc, documents: Record<string,string>", "CaseDetail"),
    ("addDocuments", "id: string, paths: string[]", "AddedDocuments"),
    ("unlockDocument", "id: string, path: string, password: string", "AddedDocuments"),
    ("documentBytes", "id: string, file: string", "ArrayBuffer"),
    ("documentThumbnail", "id: string, file: string", "ArrayBuffer"),
    ("profiles", "", "ProfileView[]"),
    ("estimatePacket", "id: string, profile: string", "EstimateView"),
    ("buildPacket", "id: string, checklist: boolean, ocr: boolean, profile: string", "PacketView"),
    ("buildFaxPreview", "id: string, checklist: boolean", "PacketView"),
    ("cancelBuild", "", "null"),
    ("packetBytes", "id: string", "ArrayBuffer"),
    ("volumeBytes", "id: string, number: number", "ArrayBuffer"),
    ("faxPreviewBytes", "id: string", "ArrayBuffer"),
    ("savePacketAs", "id: string, path: string", "string"),
    ("saveVolumeAs", "id: string, number: number, path: string", "string"),
    ("claimFileLetter", "id: string", "string"),
    ("saveClaimFileLetter", "id: string, path: string", "string"),
    ("openPacketFolder", "id: string", "null"),
    ("importFolder", "path: string", "CaseDetail"),
    ("exportCase", "id: string, dir: string", "string"),
    ("loadDemo", "", "CaseDetail"),
    ("rules", "", "RuleView[]"),
    ("readNotice", "path: string", "Reading"),
    ("readClaim", "path: string", "Reading"),
    ("noticePicture", "path: string, page: number", "ArrayBuffer"),
    ("noticeBytes", "path: string", "ArrayBuffer"),
    ("createCaseFromReading", "doc: CaseDoc, accepted: Prefill[], path: string | null", "CaseDetail"),
    ("applyReading", "id: string, doc: CaseDoc, accepted: Prefill[], path: string | null", "CaseDetail"),
    // The native dialogs, opened by the shell, which records what is picked (`Picked`).
    ("pickDocuments", "startIn: string | null", "string[] | null"),
    ("pickNotice", "startIn: string | null", "string | null"),
    ("pickClaimFile", "startIn: string | null", "string | null"),
    ("pickCaseFolder", "", "string | null"),
    ("pickExportFolder", "", "string | null"),
    ("pickSavePath", "defaultName: string, title: string", "string | null"),
    ("ask", "message: string, title: string, yes: string, no: string", "boolean"),
    ("backupSettings", "", "BackupSettings"),
    ("setBackupKeep", "keep: number", "BackupSettings"),
    ("backUpNow", "", "BackupSettings"),
    ("encryptionStatus", "", "EncryptionStatus"),
    ("unlockStore", "passphrase: string", "null"),
    ("encryptStore", "passphrase: string", "null"),
    ("decryptStore", "passphrase: string", "null"),
    ("openBackupFolder", "", "null"),
];

/// The whole generated `ui/src/lib/bindings.gen.ts`: the types and one typed function per
/// command, so the UI never spells a command name.
#[cfg(feature = "typescript")]
pub fn typescript_bindings() -> String {
    let mut s = String::from(
        "// Generated by `make bindings` from the Rust types (src/cases). Do not edit: `make test` fails when this\n// file and the Rust side disagree.\n\nimport { invoke } from \"@tauri-apps/api/core\";\n\n",
    );
    s.push_str(&typescript_types());
    s.push_str("\n/** Every command of the app, typed. A failed command rejects with an `AppError`. */\nexport const commands = {\n");
    for (name, params, ret) in COMMANDS {
        let args: Vec<&str> = params.split(", ").filter(|p| !p.is_empty()).map(|p| p.split(':').next().unwrap_or("").trim()).collect();
        let call = if args.is_empty() { String::new() } else { format!(", {{ {} }}", args.join(", ")) };
        s.push_str(&format!("  {name}: ({params}): Promise<{ret}> => invoke<{ret}>(\"{}\"{call}),\n", snake(name)));
    }
    s.push_str("};\n\n/** The events the app sends. */\nexport const EVENTS = { buildProgress: \"build-progress\" } as const;\n");
    s.push_str(&typescript_vocabularies());
    s
}

/// The closed sets of case.toml values with their labels, and the identifier checks' patterns
/// and examples with the library's verdicts, as TypeScript constants: the UI's drop-downs and
/// checks while typing come from here, not from copies.
#[cfg(feature = "typescript")]
pub fn typescript_vocabularies() -> String {
    use crate::model::*;
    fn table<K: Vocabulary>(name: &str, what: &str) -> String {
        let rows: Vec<String> = K::ALL.iter().map(|k| format!("  {}: {},", json(k.as_str()), json(k.label()))).collect();
        format!(
            "\n/** {what}: each value as case.toml spells it, with its label. */\nexport const {name} = {{\n{}\n}} as const;\n",
            rows.join("\n")
        )
    }
    fn json(s: &str) -> String {
        serde_json::to_string(s).unwrap_or_default()
    }
    let verdicts = |codes: &[&str], f: &dyn Fn(&str) -> bool| {
        codes.iter().map(|c| format!("  [{}, {}],", json(c), f(c))).collect::<Vec<_>>().join("\n")
    };
    let mut s = String::from("\n// The closed sets of case.toml values and the identifier checks, from the library (src/model).\n");
    s.push_str(&table::<CaseKind>("CASE_KINDS", "Who is fighting the denial"));
    s.push_str(&table::<Program>("PROGRAMS", "The rule set the plan falls under"));
    s.push_str(&table::<Urgency>("URGENCIES", "Standard or expedited handling"));
    s.push_str(&table::<Service>("SERVICES", "What was requested (`service` in case.toml): it picks the plan's decision clock"));
    s.push_str(&table::<ExhibitKind>("EXHIBIT_KINDS", "What an exhibit is"));
    s.push_str(&table::<EventKind>("EVENT_KINDS", "What happened in an event of the case's history"));
    s.push_str(&table::<Activity>("ACTIVITIES", "What the patient was doing during an SpO2 reading"));
    s.push_str(&table::<SubmissionMethod>("SUBMISSION_METHODS", "How a packet was sent"));
    s.push_str(&format!(
        "\n/** ICD-10-CM's shape (the library's `is_icd10cm`). */\nexport const ICD10CM_PATTERN = {};\n/** HCPCS Level II or CPT (the library's `is_cpt_or_hcpcs`). */\nexport const CPT_OR_HCPCS_PATTERN = {};\n/** The prefix an NPI's Luhn check digit is computed over. */\nexport const NPI_LUHN_PREFIX = {};\n",
        json(ICD10CM_PATTERN),
        json(CPT_OR_HCPCS_PATTERN),
        json(NPI_LUHN_PREFIX)
    ));
    s.push_str(&format!(
        "\n/** Codes with the library's verdicts: [code, ICD-10-CM?]. */\nexport const ICD10CM_EXAMPLES: [string, boolean][] = [\n{}\n];\n",
        verdicts(CODE_EXAMPLES, &is_icd10cm)
    ));
    s.push_str(&format!("\n/** Codes with the library's verdicts: [code, HCPCS or CPT?]. */\nexport const CPT_OR_HCPCS_EXAMPLES: [string, boolean][] = [\n{}\n];\n", verdicts(CODE_EXAMPLES, &is_cpt_or_hcpcs)));
    s.push_str(&format!(
        "\n/** NPIs with the library's verdicts: [npi, valid?]. */\nexport const NPI_EXAMPLES: [string, boolean][] = [\n{}\n];\n",
        verdicts(NPI_EXAMPLES, &npi_is_valid)
    ));
    s
}

/// `listCases` → `list_cases`.
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(all(test, feature = "typescript"))]
mod tests {
    /// The committed bindings match the Rust types; `REDRESS_BLESS=1` rewrites them.
    #[test]
    fn typescript_bindings_are_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings.gen.ts");
        let want = super::typescript_bindings();
        if std::env::var_os("REDRESS_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(have == want, "ui/src/lib/bindings.gen.ts is out of date: run `make bindings`");
    }
}
