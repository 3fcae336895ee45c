//! What the app shows, as plain serialisable data (also exported as TypeScript types).

use super::documents::RefusedDocument;
use crate::casefile::CaseDoc;
use serde::{Deserialize, Serialize};

/// One row of the case list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CaseOverview {
    pub id: String,
    pub title: String,
    /// `provider-appeal`, `member-grievance`, `regulator-complaint`.
    pub kind: String,
    pub kind_label: String,
    pub program: String,
    pub program_label: String,
    pub member_name: String,
    pub member_id: String,
    pub reference: Option<String>,
    /// The treating clinician, and the plan's claim and authorization numbers, for search.
    pub clinician: Option<String>,
    pub claim_number: Option<String>,
    pub authorization_number: Option<String>,
    pub exhibits: u32,
    /// The soonest deadline that is not met, if any.
    pub next_deadline: Option<DeadlineView>,
    pub missed_promises: u32,
}

/// A deadline as the app shows it, with the rule and citation it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DeadlineView {
    pub kind: crate::deadline::DeadlineKind,
    pub label: String,
    /// `YYYY-MM-DD`: the deadline is the end of this day.
    pub due: String,
    /// `YYYY-MM-DDTHH:MM` for hour rules.
    pub due_time: Option<String>,
    pub rule_id: String,
    pub citation: String,
    pub counted_from: String,
    /// What it was counted from, in words: "receipt presumed 2025-09-15, 5 days after …".
    pub basis: String,
    /// False when the start was presumed or assumed rather than given.
    pub basis_given: bool,
    /// The due date, and the time with its zone for hour rules ("2026-03-09 13:00 PDT").
    pub due_text: String,
    /// The IANA time zone of an hour rule's due time.
    pub time_zone: Option<String>,
    /// Done, but after the deadline (filed or decided late): kept as evidence, no longer open.
    pub closed: bool,
    pub days_left: i32,
    pub status: crate::deadline::Status,
    pub warnings: Vec<String>,
}

/// A promise that passed with nothing delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct MissedPromiseView {
    pub promised: String,
    pub event_at: String,
    pub summary: String,
    pub reference: Option<String>,
    pub counterpart: Option<String>,
    pub days_overdue: i32,
}

/// A step of the escalation ladder: what comes after the current level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct LadderStep {
    pub rule_id: String,
    pub level: String,
    pub window: String,
    pub citation: String,
    /// True for the level the case is at now.
    pub current: bool,
}

/// What the app knows about an exhibit beyond what case.toml says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ExhibitInfo {
    /// The exhibit's `file`, as in the case document.
    pub file: String,
    pub sha256: Option<String>,
    /// The number it gets in the packet (date order).
    pub number: u32,
    /// What the file's name says it is; empty (null) for a name Redress does not know.
    pub format: Option<crate::import::Format>,
    /// What the letter's preview writes for `{{exhibit:id}}` citing it (`Exhibit 4`); the
    /// packet adds its Bates pages.
    pub citation: String,
}

/// A whole case as the case screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CaseDetail {
    pub id: String,
    pub doc: CaseDoc,
    pub exhibits: Vec<ExhibitInfo>,
    pub deadlines: Vec<DeadlineView>,
    pub missed_promises: Vec<MissedPromiseView>,
    pub ladder: Vec<LadderStep>,
    /// The letter the packet will carry when the case has none of its own.
    pub template_letter: String,
    /// The clinical charts' captions and tables, as the packet prints them.
    pub readings: crate::readings::ReadingCharts,
    /// The coverage-criteria checklist of the case's `service` (home oxygen, home health,
    /// wound care, DME, home infusion), each item met, a gap or contradicted; none for a case
    /// without such a service. Optional in TypeScript, so views made before it still type.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub checklist: Option<crate::checklist::Evaluation>,
    /// The last packet built for the case, if it is still there.
    pub packet: Option<PacketView>,
}

/// A built packet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PacketView {
    pub path: String,
    pub pages: u32,
    pub bytes: u32,
    pub sha256: String,
    pub sections: Vec<SectionView>,
    pub warnings: Vec<String>,
    /// When it was built, `YYYY-MM-DDTHH:MM` local time (empty for packets built before this
    /// was recorded).
    #[serde(default)]
    pub built: String,
    /// Every file of the packet in order: one, or each volume of a split packet (`path` is
    /// the first). Empty in reports written before volumes were recorded.
    #[serde(default)]
    pub volumes: Vec<VolumeView>,
    /// The destination profile it was built for (empty: none).
    #[serde(default)]
    pub profile: String,
}

/// One file of a built packet: the whole packet, or one volume of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct VolumeView {
    pub path: String,
    /// The file's name alone, as the list shows it.
    pub name: String,
    /// 1-based, of `of` volumes.
    pub number: u32,
    pub of: u32,
    pub pages: u32,
    /// The packet page numbers (as stamped) of its first and last numbered page.
    pub first_page: u32,
    pub last_page: u32,
    pub bytes: u32,
    pub sha256: String,
}

/// A destination profile as the build dialog offers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ProfileView {
    pub name: String,
    pub description: String,
    /// What it enforces, one short phrase each ("at most 10.0 MB a file").
    pub enforces: Vec<String>,
    /// Whether it is fax mode.
    pub fax: bool,
    /// One of the person's own (from profiles.toml beside the database), not a built-in.
    pub own: bool,
}

/// What a build for a profile is expected to make, before it is built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct EstimateView {
    /// The profile it was estimated for (empty: none).
    pub profile: String,
    pub pages: u32,
    pub bytes: u32,
    pub volumes: u32,
}

/// What adding documents did: every file that could be added is, and each one that could not
/// is named with why (unreadable, not what its name says, encrypted, truncated, already in the
/// case).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct AddedDocuments {
    /// The case with the documents that were added.
    pub detail: CaseDetail,
    /// The exhibit `file` of each document added, in the order given.
    pub added: Vec<String>,
    /// One per file not added: `location` is the file's name, `message` why, `reason` why as
    /// a kind (`needs-password` offers the unlock dialog).
    pub refused: Vec<RefusedDocument>,
    /// Where each added document's suggested date came from, so the person checks the weak ones.
    pub dates: Vec<SuggestedDate>,
}

/// Where the date suggested for an added document came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SuggestedDate {
    pub file: String,
    pub source: super::suggest::DateSource,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SectionView {
    /// A union in TypeScript (`"cover" | "contents" | …`); old reports read the same strings.
    pub kind: crate::packet::SectionKind,
    pub title: String,
    pub first_page: u32,
    pub pages: u32,
}

/// A deadline rule with its citation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RuleView {
    pub id: String,
    pub program: String,
    pub level: String,
    pub window: String,
    pub citation: String,
}

/// Build progress, sent as the `build-progress` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ProgressView {
    pub done: u32,
    pub total: u32,
    pub message: String,
}

/// One problem in a case, by the key it concerns (`member.dob`, `exhibit 2 (docs/x.pdf)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ProblemView {
    pub location: String,
    pub message: String,
}
