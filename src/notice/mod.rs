//! Reading a denial notice: from the words of its pages (a PDF's text layer or OCR, as
//! [`PageWords`]) to the values of a case's fields, each with where it came from (page, box,
//! the line, how sure) and a note where the value is not the text itself. A value is only ever
//! what the text says (a date written in the form the key takes, a deadline counted from the
//! notice's own words); a field not found is a note, never a guess.
//!
//! The patterns follow what the notices must say and how the standard forms say it: CMS-10003-NDMC
//! (Medicare Advantage), CMS-10146 (Part D), the Medicare Summary Notice (Original Medicare),
//! 29 CFR 2560.503-1(g) (ERISA) and 42 CFR 438.404(b) (Medicaid managed care); see
//! `crate::demo::fixtures::notices` for the layouts they are tested on.
//!
//! Read for the wording (the forms as OMB approved them, and the rules):
//! - CMS-10003-NDMC and its form instructions, OMB 0938-0829 (omb.report/icr/202211-0938-002,
//!   /201106-0938-016, /202409-0938-016): "Date:", "Member number:", "Name:", "Why did we deny your
//!   request?", "within 65 days of the date of this notice" (60 in the older forms), the standard
//!   appeal's address, the fast appeal's phone and fax.
//! - CMS-10146, OMB 0938-0976 (omb.report/icr/202310-0938-007, /201307-0938-022): "Enrollee's
//!   Name:", "Member Number:", "Why did we deny your request?", "within 60 calendar days after the
//!   date of this notice", "expedited (fast)".
//! - The Medicare Summary Notice and its appeal (medicare.gov, "Appeals Level 1": 120 days, the
//!   contractor's address in the MSN's appeals section).
//! - 29 CFR 2560.503-1(g)(1) (the content of an ERISA plan's adverse benefit determination) and
//!   42 CFR 438.404(b) (a Medicaid managed-care plan's notice: reasons, free copies, appeal, State
//!   fair hearing, expedited resolution).

mod dates;
mod fields;
mod program;
mod text;

#[cfg(test)]
mod tests;

use crate::cases::{Prefill, Provenance, ReadPage, Reading};
use crate::ocr::{OcrError, Tesseract};
use crate::words::PageWords;
use std::path::{Path, PathBuf};
use text::{Doc, Spot};

/// Why a notice file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file itself cannot be read.
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// Its pages' words cannot be read: not a PDF or picture, damaged, or OCR needed and
    /// Tesseract missing (the sentence says which).
    #[error(transparent)]
    Pages(#[from] OcrError),
}

/// Reads the notice file at `path`: each page's words (a PDF page's own text, a scanned page,
/// photo or fax by Tesseract: `ocr::read_pages`), then [`read_notice`]. A page on which no
/// words were read is named in the notes.
pub fn read_file(path: &Path, ocr: &Tesseract) -> Result<Reading, ReadError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io { path: path.to_path_buf(), source })?;
    let pages = crate::ocr::read_pages(&name, &bytes, ocr)?;
    let mut reading = read_notice(&name, &pages);
    let blank: Vec<String> = pages.iter().filter(|p| p.words.is_empty()).map(|p| p.page.to_string()).collect();
    if !blank.is_empty() {
        let s = if blank.len() == 1 { "" } else { "s" };
        reading.notes.push(format!("No words were read on page{s} {}", blank.join(", ")));
    }
    Ok(reading)
}

/// A reading as the command line prints it: each value with its label, page, confidence, the
/// line it came from and its note; then the notes.
pub fn to_text(r: &Reading) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut sources: Vec<&str> =
        r.pages.iter().map(|p| if p.source == crate::words::WordSource::Ocr { "OCR" } else { "text layer" }).collect();
    sources.dedup();
    let _ = writeln!(out, "{}: {} page{} ({})", r.file_name, r.pages.len(), if r.pages.len() == 1 { "" } else { "s" }, sources.join(", "));
    for v in &r.values {
        let _ = writeln!(out, "{} ({}): {}", v.label, v.target, v.value);
        let page = v.source.page.map(|p| format!("page {p}, ")).unwrap_or_default();
        let _ = writeln!(out, "    {page}confidence {:.2}, from \"{}\"", v.source.confidence, v.source.text.replace('\n', " / "));
        if let Some(note) = &v.source.note {
            let _ = writeln!(out, "    {note}");
        }
    }
    if !r.notes.is_empty() {
        let _ = writeln!(out, "Notes:");
        for n in &r.notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
    out
}

/// What reading a notice found: every value with its provenance, and a note for each field
/// looked for and not found.
pub fn read_notice(file_name: &str, pages: &[PageWords]) -> Reading {
    let doc = Doc::new(pages);
    let mut found = Found::default();
    if doc.lines.is_empty() {
        found.notes.push("No words were read from the notice: nothing could be filled in".into());
    }
    let notice_date = fields::notice_date(&doc, &mut found);
    fields::plan_name(&doc, &mut found);
    fields::program(&doc, &mut found);
    fields::member_name(&doc, &mut found);
    fields::member_id(&doc, &mut found);
    fields::reference(&doc, &mut found);
    fields::claim_number(&doc, &mut found);
    fields::authorization_number(&doc, &mut found);
    fields::service(&doc, &mut found);
    fields::codes(&doc, &mut found);
    fields::denial_reason(&doc, &mut found);
    fields::deadline(&doc, notice_date, &mut found);
    fields::appeal_address(&doc, &mut found);
    fields::appeal_phone(&doc, &mut found);
    fields::appeal_fax(&doc, &mut found);
    fields::expedited(&doc, &mut found);
    Reading {
        file_name: file_name.to_string(),
        kind: "notice".into(),
        pages: pages.iter().map(|p| ReadPage { page: p.page, width: p.width, height: p.height, source: p.source }).collect(),
        values: found.values,
        notes: found.notes,
    }
}

/// What the fields found so far.
#[derive(Default)]
pub(crate) struct Found {
    values: Vec<Prefill>,
    notes: Vec<String>,
}

/// One value about to be recorded: the key, its label, the value, how sure the pattern is
/// (0–1, multiplied by the words' own confidence) and why, where the value is not the text.
pub(crate) struct Value<'a> {
    pub target: &'a str,
    pub label: &'a str,
    pub value: String,
    pub sure: f32,
    pub note: Option<String>,
}

impl Found {
    /// Records `v` as found at `spot`; false when the spot leads to no words (nothing recorded).
    fn add(&mut self, doc: &Doc, spot: &Spot, v: Value) -> bool {
        let Some(placed) = doc.place(spot) else { return false };
        let source = Provenance {
            page: Some(placed.page),
            rect: Some(placed.rect),
            text: placed.text,
            confidence: (placed.confidence * v.sure).clamp(0.0, 1.0),
            note: v.note,
        };
        self.values.push(Prefill { target: v.target.into(), label: v.label.into(), value: v.value, source });
        true
    }

    fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    fn has(&self, target: &str) -> bool {
        self.values.iter().any(|v| v.target == target)
    }
}
