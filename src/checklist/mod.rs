//! Coverage-criteria checklists: what a reviewer looks for before approving home oxygen, home
//! health, wound care, DME or home infusion, each item with the rule it comes from, and the
//! evaluation of a case against the checklist of its `service`. Pure: the case (and, in the
//! packet, each exhibit's Bates pages) is all it reads.
//!
//! Each item is **met** (naming the exhibit, reading, event or case field that meets it),
//! a **gap** (nothing meets it yet) or **contradicted** (a reading or fact fails it). `redress
//! check`, the app's checklist panel, the packet's optional "Coverage criteria" page and the
//! letter ([`letter_paragraphs`]) all show the same [`Evaluation`].

mod evaluate;
mod items;
mod letter;
#[cfg(test)]
mod tests;

pub use evaluate::evaluate;
pub use items::{checklist, item_by_id, Item, Rule, ITEMS};
pub use letter::letter_paragraphs;

use serde::{Deserialize, Serialize};

/// Where a checklist item stands for a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "ChecklistStatus"))]
pub enum Status {
    /// Something in the case meets it.
    Met,
    /// Nothing meets it yet.
    Gap,
    /// A reading or fact of the case fails it.
    Contradicted,
}

impl Status {
    /// The word printed beside the item ("Met", "Gap", "Contradicted"), so a page read in
    /// black and white, or aloud, says it without colour.
    pub fn word(self) -> &'static str {
        match self {
            Status::Met => "Met",
            Status::Gap => "Gap",
            Status::Contradicted => "Contradicted",
        }
    }
}

/// What kind of thing is the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "EvidenceKind"))]
pub enum EvidenceKind {
    /// A document of the case.
    Exhibit,
    /// An SpO2, wound or mobility reading.
    Reading,
    /// An event of the case's history (an order, a delivery).
    Event,
    /// A field of `[case]` (diagnoses, procedures).
    CaseField,
}

/// The exhibit a piece of evidence is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "ChecklistExhibit"))]
pub struct ExhibitRef {
    /// Its place in `case.exhibits` (the case document's `exhibit` list).
    pub index: u32,
    /// Its number in the packet (date order).
    pub number: u32,
    /// Its stable `id`, which a letter cites it by.
    pub id: Option<String>,
    pub title: String,
    /// How it is cited: "Exhibit 4", or, once the packet is laid out, "Exhibit 4, pages
    /// HAYES-000031–HAYES-000036".
    pub cited: String,
}

/// One thing that meets, or fails, an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "ChecklistEvidence"))]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// What it is, as people read it: "SpO2 84 % during sleep on room air, 2025-09-02",
    /// "Overnight pulse oximetry report (2025-09-03)", "diagnoses J44.1, R09.02".
    pub text: String,
    /// The exhibit, when the evidence is one.
    pub exhibit: Option<ExhibitRef>,
    /// The user said so: the exhibit lists the item in its `meets`.
    pub stated: bool,
}

impl Evidence {
    /// One line for people: "Exhibit 1 (oximetry): Overnight pulse oximetry report
    /// (2025-09-03)", "SpO2 84 % during sleep on room air, 2025-09-02"; "(stated)" when the
    /// exhibit's `meets` names the item.
    pub fn line(&self) -> String {
        let stated = if self.stated { " (stated)" } else { "" };
        match &self.exhibit {
            Some(x) => {
                let id = x.id.as_ref().map(|id| format!(" ({id})")).unwrap_or_default();
                format!("{}{id}: {}{stated}", x.cited, self.text)
            }
            None => format!("{}{stated}", self.text),
        }
    }
}

/// One item of the checklist, evaluated for a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "ChecklistItemView"))]
pub struct ItemResult {
    /// The item's id, which an exhibit's `meets` names.
    pub id: String,
    /// What the reviewer looks for.
    pub criterion: String,
    /// The document it comes from ("NCD 240.2 Home Use of Oxygen").
    pub source: String,
    /// Where in it ("NCD 240.2 §B").
    pub citation: String,
    pub status: Status,
    /// Why, in one sentence: what meets it, what is missing, or what fails it.
    pub note: String,
    /// What meets it (met) or fails it (contradicted); empty for a gap.
    pub evidence: Vec<Evidence>,
}

/// A case's checklist: the service's items, each with its status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "ChecklistView"))]
pub struct Evaluation {
    /// The case's `service` (`home-oxygen`…).
    pub service: String,
    /// "Home oxygen".
    pub service_label: String,
    pub items: Vec<ItemResult>,
}

impl Evaluation {
    /// How many items have `status`.
    pub fn count(&self, status: Status) -> usize {
        self.items.iter().filter(|i| i.status == status).count()
    }

    /// "5 of 7 met; 1 gap; 1 contradicted".
    pub fn summary(&self) -> String {
        let (met, gap, bad) = (self.count(Status::Met), self.count(Status::Gap), self.count(Status::Contradicted));
        let mut s = format!("{met} of {} met", self.items.len());
        if gap > 0 {
            s.push_str(&format!("; {gap} {}", if gap == 1 { "gap" } else { "gaps" }));
        }
        if bad > 0 {
            s.push_str(&format!("; {bad} contradicted"));
        }
        s
    }

    /// The checklist as `redress check` prints it: a heading with the summary, then each item's
    /// status word, criterion and citation, with what meets or fails it (or what is missing).
    pub fn to_text(&self) -> String {
        let mut out = format!("Coverage criteria: {} ({})\n", self.service_label.to_lowercase(), self.summary());
        for item in &self.items {
            out.push_str(&format!("  {:<13}{} [{}]\n", item.status.word(), item.criterion, item.citation));
            out.push_str(&format!("  {:<13}{}\n", "", item.note));
            for e in &item.evidence {
                out.push_str(&format!("  {:<13}- {}\n", "", e.line()));
            }
        }
        out
    }

    /// Writes each exhibit's citation with `cite` (given the exhibit's index in
    /// `case.exhibits`): the packet passes its Bates ranges once the pages are laid out.
    pub fn cite_exhibits(&mut self, cite: impl Fn(usize) -> Option<String>) {
        for e in self.items.iter_mut().flat_map(|i| i.evidence.iter_mut()).filter_map(|e| e.exhibit.as_mut()) {
            if let Some(text) = cite(e.index as usize) {
                e.cited = text;
            }
        }
    }
}
