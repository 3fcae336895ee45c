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

mod dates;
mod fields;
mod program;
mod text;

#[cfg(test)]
mod tests;

use crate::cases::{Prefill, Provenance, ReadPage, Reading};
use crate::error::{Error, Result};
use crate::words::PageWords;
use std::path::Path;
use text::{Doc, Spot};

/// Reads the notice file at `path`: each page's words from its text layer, then
/// [`read_notice`]. A page with no text (a scan) is named in the notes: its words need OCR.
pub fn read_file(path: &Path) -> Result<Reading> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let document = |why| Error::Document { file: name.clone(), why };
    if crate::import::detect(&name, &bytes).map_err(document)? != crate::import::Format::Pdf {
        return Err(document(crate::import::Error::Unsupported(
            "is a picture: reading a photo, scan or fax of a notice needs OCR, which this build does not have yet".into(),
        )));
    }
    let pages = crate::import::textlayer::pdf_words(&bytes, &name).map_err(document)?;
    let mut reading = read_notice(&name, &pages);
    let blank: Vec<String> = pages.iter().filter(|p| p.words.is_empty()).map(|p| p.page.to_string()).collect();
    if !blank.is_empty() {
        reading.notes.push(format!("Page {} has no text layer (a scan): its words were not read", blank.join(", ")));
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
