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
use crate::words::PageWords;
use text::{Doc, Spot};

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
