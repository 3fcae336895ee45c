//! What the app may touch on disk: only the files and folders the person picked in a dialog
//! the shell opened, or dropped on the window. The shell records each pick and each native drop
//! in a [`Picked`] and checks every path a command receives from the window against it; any
//! other path is refused with [`AppErrorKind::NotPicked`], so a page that was made to ask for
//! another file gets nothing. What a dialog offers (titles, filters) is here too, beside the
//! rule it feeds.

use super::{AppError, AppErrorKind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What a picked path may be used for: read (a file from the open dialog or dropped on the
/// window, a case folder to import) or written (a save dialog's path, a folder to export into).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    Read,
    Write,
}

/// The paths the person picked or dropped during this run of the app, each with what it may be
/// used for; kept until the app closes.
#[derive(Debug, Default)]
pub struct Picked {
    granted: Mutex<HashSet<(Access, PathBuf)>>,
}

impl Picked {
    /// Records paths the person picked in a native dialog, or dropped on the window.
    pub fn grant(&self, access: Access, paths: impl IntoIterator<Item = PathBuf>) {
        self.lock().extend(paths.into_iter().map(|p| (access, p)));
    }

    /// Ok when `path` was picked (or dropped) for `access`; else a `not-picked` error naming it.
    pub fn check(&self, access: Access, path: &Path) -> Result<(), AppError> {
        if self.lock().contains(&(access, path.to_path_buf())) {
            return Ok(());
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
        let (verb, how) = match access {
            Access::Read => ("open", "picked in Redress's open dialog or dropped on its window"),
            Access::Write => ("write to", "chosen in Redress's save or folder dialog"),
        };
        Err(AppError::new(AppErrorKind::NotPicked, format!("Redress did not {verb} {name}: it was not {how}.")))
    }

    /// [`Self::check`] for each path: one that was not picked refuses them all.
    pub fn check_all(&self, access: Access, paths: &[PathBuf]) -> Result<(), AppError> {
        paths.iter().try_for_each(|p| self.check(access, p))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<(Access, PathBuf)>> {
        // A panic elsewhere while holding the lock leaves the set whole: keep using it.
        self.granted.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What a native dialog the shell opens asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    /// Documents to add to a case (several).
    Documents,
    /// One denial notice to read.
    Notice,
    /// One claim file (FHIR JSON, X12 835) to read.
    ClaimFile,
    /// A case folder (with its case.toml) to import.
    CaseFolder,
    /// The folder a case is exported into.
    ExportFolder,
}

/// One filter of a dialog: its name and the extensions it shows, as the platform's dialog
/// should hold them ([`filter_extension`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialogFilter {
    pub name: &'static str,
    pub extensions: Vec<String>,
}

/// The extensions of what the app's documents can be.
pub const DOCUMENT_EXTENSIONS: [&str; 10] = ["pdf", "jpg", "jpeg", "png", "tif", "tiff", "heic", "heif", "txt", "md"];

impl Dialog {
    /// The dialog's title (the real-window tests find the dialog by it).
    pub fn title(self) -> &'static str {
        match self {
            Dialog::Documents => "Add documents to the case",
            Dialog::Notice => "Read a denial notice",
            Dialog::ClaimFile => "Import a claim file",
            Dialog::CaseFolder => "Import a case folder (with its case.toml)",
            Dialog::ExportFolder => "Export the case as a folder into…",
        }
    }

    /// What a pick from this dialog may be used for.
    pub fn access(self) -> Access {
        match self {
            Dialog::ExportFolder => Access::Write,
            _ => Access::Read,
        }
    }

    /// Whether the dialog picks several files at once.
    pub fn several(self) -> bool {
        self == Dialog::Documents
    }

    /// Whether the dialog picks a folder rather than files.
    pub fn folder(self) -> bool {
        matches!(self, Dialog::CaseFolder | Dialog::ExportFolder)
    }

    /// The dialog's filters on the platform the app runs on (`linux`: GTK's dialog), "All files" last.
    pub fn filters(self, linux: bool) -> Vec<DialogFilter> {
        let (name, exts): (&str, Vec<&str>) = match self {
            Dialog::Documents => ("Documents and photos", DOCUMENT_EXTENSIONS.to_vec()),
            Dialog::Notice => {
                ("Notices (PDF, photos, scans)", DOCUMENT_EXTENSIONS.into_iter().filter(|e| !["txt", "md"].contains(e)).collect())
            }
            Dialog::ClaimFile => ("Claim files (FHIR JSON, X12 835)", vec!["json", "835", "x12", "edi", "txt"]),
            Dialog::CaseFolder | Dialog::ExportFolder => return Vec::new(),
        };
        let all = DialogFilter { name: "All files", extensions: vec!["*".into()] };
        vec![DialogFilter { name, extensions: exts.into_iter().map(|e| filter_extension(e, linux)).collect() }, all]
    }
}

/// An extension as the native dialog's filter should hold it. GTK's file filter (Linux) matches
/// its glob case-sensitively, so `IMG_4471.JPG` would be hidden by `*.jpg`: there each letter
/// becomes a class (`[jJ][pP][gG]`). macOS and Windows match extensions whatever their case,
/// and would read the brackets literally.
pub fn filter_extension(ext: &str, linux: bool) -> String {
    if !linux {
        return ext.to_string();
    }
    ext.chars().map(|c| if c.is_alphabetic() { format!("[{}{}]", c.to_lowercase(), c.to_uppercase()) } else { c.to_string() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_not_picked_or_dropped_is_refused_with_its_own_kind() {
        let picked = Picked::default();
        let notice = PathBuf::from("/home/me/Downloads/denial.pdf");
        let key = PathBuf::from("/home/me/.ssh/id_ed25519");
        let e = picked.check(Access::Read, &key).unwrap_err();
        assert_eq!(e.kind, AppErrorKind::NotPicked);
        assert_eq!(e.message, "Redress did not open id_ed25519: it was not picked in Redress's open dialog or dropped on its window.");
        assert_eq!(serde_json::to_value(e.kind).unwrap(), "not-picked");

        picked.grant(Access::Read, [notice.clone()]);
        assert_eq!(picked.check(Access::Read, &notice), Ok(()));
        assert_eq!(picked.check(Access::Read, &key).unwrap_err().kind, AppErrorKind::NotPicked);
        // The same file under another spelling, or its folder, is another path.
        assert!(picked.check(Access::Read, Path::new("/home/me/Downloads/../Downloads/denial.pdf")).is_err());
        assert!(picked.check(Access::Read, Path::new("/home/me/Downloads")).is_err());
        // One path not picked refuses the whole set.
        assert_eq!(picked.check_all(Access::Read, std::slice::from_ref(&notice)), Ok(()));
        assert_eq!(picked.check_all(Access::Read, &[notice.clone(), key]).unwrap_err().kind, AppErrorKind::NotPicked);
    }

    #[test]
    fn a_file_picked_to_read_cannot_be_written_nor_a_save_path_read() {
        let picked = Picked::default();
        let (doc, copy) = (PathBuf::from("/home/me/order.pdf"), PathBuf::from("/home/me/Desktop/packet.pdf"));
        picked.grant(Access::Read, [doc.clone()]);
        picked.grant(Access::Write, [copy.clone()]);
        let e = picked.check(Access::Write, &doc).unwrap_err();
        assert_eq!(
            (e.kind, e.message.as_str()),
            (AppErrorKind::NotPicked, "Redress did not write to order.pdf: it was not chosen in Redress's save or folder dialog.")
        );
        assert_eq!(picked.check(Access::Read, &copy).unwrap_err().kind, AppErrorKind::NotPicked);
        assert_eq!(picked.check(Access::Write, &copy), Ok(()));
    }

    /// GTK's own glob rule for a filter pattern: `*` any run, `[..]` one of, else the character.
    fn gtk_matches(pattern: &str, name: &str) -> bool {
        fn go(p: &[char], n: &[char]) -> bool {
            match p.first() {
                None => n.is_empty(),
                Some('*') => (0..=n.len()).any(|i| go(&p[1..], &n[i..])),
                Some('[') => {
                    let close = p.iter().position(|&c| c == ']').expect("a closed class");
                    !n.is_empty() && p[1..close].contains(&n[0]) && go(&p[close + 1..], &n[1..])
                }
                Some(c) => n.first() == Some(c) && go(&p[1..], &n[1..]),
            }
        }
        go(&pattern.chars().collect::<Vec<_>>(), &name.chars().collect::<Vec<_>>())
    }

    #[test]
    fn the_document_dialog_shows_files_whatever_the_case_of_their_extension_on_linux() {
        let shown = |linux, name| Dialog::Documents.filters(linux)[0].extensions.iter().any(|e| gtk_matches(&format!("*.{e}"), name));
        for name in ["IMG_4471.JPG", "IMG_4471.jpg", "scan.Pdf", "IMG_0042.HEIC", "TX_Report_0417.TIF", "note.MD", "photo.jpeg"] {
            assert!(shown(true, name), "{name}");
        }
        assert!(!shown(true, "letter.docx"));
        assert!(!shown(true, "archive.pdf.zip"));
        // Elsewhere the dialog matches whatever the case, and would read brackets literally.
        let plain = Dialog::Documents.filters(false);
        assert!(plain[0].extensions.contains(&"jpg".to_string()) && plain[0].extensions.iter().all(|e| !e.contains('[')));
        assert_eq!(filter_extension("tif", true), "[tT][iI][fF]");
        assert_eq!(filter_extension("835", true), "835");
        assert_eq!(Dialog::Notice.filters(true)[1], DialogFilter { name: "All files", extensions: vec!["*".into()] });
        assert!(!Dialog::Notice.filters(false)[0].extensions.contains(&"md".to_string()));
        assert!(Dialog::ExportFolder.filters(true).is_empty() && Dialog::ExportFolder.access() == Access::Write);
    }
}
