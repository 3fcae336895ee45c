//! Runs one file through what the app and the command line do with it, in-process, with a
//! deadline: what the mutation suite (`tests/mutations.rs`) and the fuzz harness
//! (`examples/fuzz.rs`) share. An exhibit is read as when it is added (its facts, an image's
//! preview) and built as the one exhibit of a small case; a case.toml replaces the demo case's own. Every run must
//! end in a packet or in a message that names the file in the user's words.

use super::mutate::Target;
use crate::packet::{build, BuildOptions};
use chrono::{NaiveDate, TimeZone, Utc};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Words of a library's own error text that must never reach a person.
pub const RAW_WORDING: &[&str] =
    &["Unknown(", "Decode Error", "couldn't parse", "failed parsing", "Format error", "ImageError", "nom::", "recurs"];

/// How one run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// A packet of this many pages was written (at [`Harness::packet`]).
    Built { pages: usize },
    /// Refused with a message that names the file in the user's words.
    Refused(String),
    /// Refused with a message that breaks the rules (names no file, or a library's wording).
    BadMessage(String),
    /// The build panicked, with the panic's message.
    Panicked(String),
    /// The build did not end within the deadline.
    Hung,
}

impl Verdict {
    /// A verdict the suite accepts: a packet or a clear refusal.
    pub fn is_sound(&self) -> bool {
        matches!(self, Verdict::Built { .. } | Verdict::Refused(_))
    }
}

/// A scratch folder holding the demo case and a one-exhibit case, where files are built.
pub struct Harness {
    root: PathBuf,
    demo_toml: Vec<u8>,
    runs: usize,
}

/// The exhibit file's name in the one-exhibit case, without its extension.
const EXHIBIT: &str = "docs/mutant";

impl Harness {
    /// Writes the demo case under `root` (created if needed, emptied of an earlier harness).
    pub fn new(root: &Path) -> crate::Result<Harness> {
        let _ = std::fs::remove_dir_all(root);
        let demo = crate::demo::write_demo(&root.join("demo"), today())?;
        let demo_toml = std::fs::read(demo.join("case.toml")).map_err(|e| crate::Error::io(&demo, e))?;
        Ok(Harness { root: root.to_path_buf(), demo_toml, runs: 0 })
    }

    /// The seeds of `target`: the demo's own documents (or its case.toml), then the files of
    /// `corpus` (a folder of real files, read recursively), in a fixed order.
    pub fn seeds(&self, target: Target, corpus: &Path) -> Vec<Vec<u8>> {
        if target == Target::CaseToml {
            return vec![self.demo_toml.clone()];
        }
        let mut files = files_under(&self.root.join("demo/docs"));
        files.extend(files_under(corpus));
        files.iter().filter(|p| target_of(p) == Some(target)).filter_map(|p| std::fs::read(p).ok()).collect()
    }

    /// Where the last packet built was written.
    pub fn packet(&self) -> PathBuf {
        self.root.join("packet.pdf")
    }

    /// Builds `bytes` as a file of `target` on another thread, waiting at most `deadline`. A
    /// run that hangs is left running and the harness moves to a fresh folder.
    /// A panic is caught; a crash in a C library (libheif) would end the process, so HEIC
    /// mutants are built by the real binary instead (`tests/mutations.rs`).
    pub fn run(&mut self, target: Target, bytes: &[u8], deadline: Duration) -> Verdict {
        let case = match self.prepare(target, bytes) {
            Ok(dir) => dir,
            Err(e) => return Verdict::BadMessage(format!("the harness could not write its case: {e}")),
        };
        let (out, file) = (self.packet(), named_file(target));
        let _ = std::fs::remove_file(&out);
        let (send, receive) = mpsc::channel();
        let (name, input) = (file.clone(), bytes.to_vec());
        let spawned = std::thread::Builder::new().name("mutant".into()).spawn(move || {
            let ran = std::panic::catch_unwind(move || {
                read_as_added(target, &name, &input);
                build_case(&case, out)
            });
            let _ = send.send(ran);
        });
        if spawned.is_err() {
            return Verdict::BadMessage("the harness could not start a thread".into());
        }
        match receive.recv_timeout(deadline) {
            Ok(Ok(Ok(pages))) => Verdict::Built { pages },
            Ok(Ok(Err(message))) => judge(&message, &file),
            Ok(Err(panic)) => Verdict::Panicked(panic_message(panic.as_ref())),
            Err(_) => {
                // The hung build still owns its folder: later runs use another.
                self.runs += 1;
                Verdict::Hung
            }
        }
    }

    /// Writes the case the run builds and returns its folder.
    fn prepare(&mut self, target: Target, bytes: &[u8]) -> std::io::Result<PathBuf> {
        if target == Target::CaseToml {
            let dir = self.root.join("demo");
            std::fs::write(dir.join("case.toml"), bytes)?;
            return Ok(dir);
        }
        let dir = self.root.join(format!("one-{}", self.runs));
        std::fs::create_dir_all(dir.join("docs"))?;
        let file = named_file(target);
        std::fs::write(dir.join(&file), bytes)?;
        std::fs::write(dir.join("case.toml"), one_exhibit_case(&file))?;
        Ok(dir)
    }
}

/// The one-exhibit case's file for `target`, or case.toml.
fn named_file(target: Target) -> String {
    match target {
        Target::CaseToml => crate::casefile::CASE_FILE.to_string(),
        t => format!("{EXHIBIT}.{}", t.extension()),
    }
}

/// The files under `dir`, recursively, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for path in std::fs::read_dir(&d).into_iter().flatten().flatten().map(|e| e.path()) {
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The target a file is a seed of, by its name.
pub fn target_of(path: &Path) -> Option<Target> {
    match crate::import::format_from_name(&path.to_string_lossy())? {
        crate::import::Format::Pdf => Some(Target::Pdf),
        crate::import::Format::Jpeg => Some(Target::Jpeg),
        crate::import::Format::Png => Some(Target::Png),
        crate::import::Format::Tiff => Some(Target::Tiff),
        crate::import::Format::Heif => Some(Target::Heif),
        _ => None,
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

/// What the app reads of a document when it is added, besides opening it as the build does:
/// what the file says about itself (for suggestions) and, for an image, its preview. Neither
/// may fail loudly; both must end.
fn read_as_added(target: Target, name: &str, bytes: &[u8]) {
    let _ = crate::import::facts::read(name, bytes);
    let format = match target {
        Target::Jpeg => crate::import::image::ImageFormat::Jpeg,
        Target::Png => crate::import::image::ImageFormat::Png,
        Target::Tiff => crate::import::image::ImageFormat::Tiff,
        Target::Heif => crate::import::image::ImageFormat::Heif,
        Target::Pdf | Target::CaseToml => return,
    };
    let _ = crate::import::image::preview_png(bytes, format, 256);
}

/// Loads and builds the case at `dir` into `out`: the packet's page count, or the message.
fn build_case(dir: &Path, out: PathBuf) -> Result<usize, String> {
    let folder = crate::casefile::load(dir).map_err(|e| e.to_string())?;
    let created = Utc.timestamp_opt(1_767_225_600, 0).single().unwrap_or_default();
    let now = today().and_hms_opt(9, 0, 0).unwrap_or_default();
    let mut opts = BuildOptions::new(now, created, chrono_tz::America::Chicago);
    opts.out = Some(out);
    build(&folder, &opts).map(|r| r.pages).map_err(|e| e.to_string())
}

/// A refusal is sound when it names the file and carries none of a library's own wording.
fn judge(message: &str, file: &str) -> Verdict {
    if let Some(raw) = RAW_WORDING.iter().find(|w| message.contains(*w)) {
        return Verdict::BadMessage(format!("a library's wording ({raw}): {message}"));
    }
    let names_a_file = message.contains(file) || (file == crate::casefile::CASE_FILE && message.contains("docs/"));
    if !names_a_file {
        return Verdict::BadMessage(format!("does not name {file}: {message}"));
    }
    Verdict::Refused(message.to_string())
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default()
}

fn one_exhibit_case(file: &str) -> String {
    format!(
        r#"[case]
kind = "provider-appeal"
title = "Mutation suite"
program = "medicare-advantage"
urgency = "standard"
notice_date = "2025-09-10"
denial_reason = "Not medically necessary"
requested_action = "Approve home oxygen"

[member]
name = "Test Member"
dob = "1945-01-23"
member_id = "XJH123456789"
payer = "Acme Health Plan"

[[exhibit]]
file = "{file}"
kind = "other"
date = "2025-09-01"
title = "The mutant"
"#
    )
}
