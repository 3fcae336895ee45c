//! A claim's values as the case keys they fill ([`Prefill`]s for the person to confirm): the
//! member's ID, name and plan, the claim and authorization numbers, the HCPCS/CPT and ICD-10
//! codes, and, for a denied or adjusted claim, the denial reason in the words of its CARC and RARC
//! codes. Each with the file's place it came from; nothing is made up (a date of service, which
//! no case key holds, is a note).

use super::{codes, ClaimFound, Field, Format, Found, Imported};
use crate::cases::{Prefill, Provenance, Reading};

/// A value read from a claim file: no page or box, and as sure as the file is.
fn prefill(target: &str, label: &str, value: String, text: String, note: Option<String>) -> Prefill {
    let source = Provenance { page: None, rect: None, text, confidence: 1.0, note };
    Prefill { target: target.to_string(), label: label.to_string(), value, source }
}

/// What a claim file holds for a case, for the confirm view and the command line: the values of
/// its first denied or adjusted claim (else its first), with notes of what is missing and what
/// else the file says.
pub fn reading(file_name: &str, imported: &Imported) -> Reading {
    reading_of(file_name, imported, default_claim(imported))
}

/// [`reading`] of claim `index` (from 0) of the file.
pub fn reading_of(file_name: &str, imported: &Imported, index: usize) -> Reading {
    let (values, notes) = values(imported, index);
    Reading { file_name: file_name.to_string(), kind: "claim".into(), pages: Vec::new(), values, notes }
}

/// The keys a claim fills, in the order a form shows them: (field, key, label, list key).
const KEYS: &[(Field, &str, &str, bool)] = &[
    (Field::MemberName, "member.name", "Member name", false),
    (Field::MemberId, "member.member_id", "Member ID", false),
    (Field::Payer, "member.payer", "Plan", false),
    (Field::ClaimNumber, "case.claim_number", "Claim number", false),
    (Field::Authorization, "case.authorization_number", "Authorization number", false),
    (Field::ServiceCode, "case.procedures", "HCPCS/CPT code", true),
    (Field::DiagnosisCode, "case.diagnoses", "ICD-10 code", true),
];

/// CARCs that are the plan's ordinary sharing of the cost, not a denial: deductible,
/// coinsurance, co-payment, the fee schedule's reduction, sequestration.
const ROUTINE: &[&str] = &["1", "2", "3", "45", "253"];

/// Which claim of the file a case is made from: the first denied or adjusted one, else the first.
pub fn default_claim(imported: &Imported) -> usize {
    imported.claims.iter().position(|c| denied(c) || !reasons(c).is_empty()).unwrap_or(0)
}

/// The values of claim `index` (from 0) for the case's keys, and notes on what else it says.
pub fn values(imported: &Imported, index: usize) -> (Vec<Prefill>, Vec<String>) {
    let Some(claim) = imported.claims.get(index) else { return (Vec::new(), Vec::new()) };
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for &(field, target, label, list) in KEYS {
        let mut taken: Vec<&Found> = Vec::new();
        for f in claim.values.iter().filter(|f| f.field == field) {
            if taken.iter().any(|t| t.value == f.value) {
                continue;
            }
            if !list && !taken.is_empty() {
                notes.push(format!("{label}: the file also gives `{}` ({}); the first, `{}`, is used", f.value, f.at, taken[0].value));
                continue;
            }
            taken.push(f);
            out.push(prefill(target, label, f.value.clone(), written(f), None));
        }
        if taken.is_empty() && !list {
            notes.push(format!("No {} was found in the file", label.to_lowercase()));
        }
    }
    out.extend(denial_reason(claim));
    notes.extend(dates(claim));
    if imported.claims.len() > 1 {
        notes.push(format!("The file holds {} claims; these values are claim {}'s ({})", imported.claims.len(), index + 1, claim.at));
    }
    if imported.format == Format::X12_835 && !denied(claim) && reasons(claim).is_empty() {
        notes.push("The claim was not denied or adjusted: no denial reason".to_string());
    }
    (out, notes)
}

/// `segment 14 NM109: XJH448120`.
fn written(f: &Found) -> String {
    format!("{}: {}", f.at, f.value)
}

fn denied(c: &ClaimFound) -> bool {
    c.values.iter().any(|f| f.field == Field::Outcome && f.meaning == Some("denied"))
}

/// The claim's adjustment reasons that are more than its ordinary cost sharing, and its remarks.
fn reasons(c: &ClaimFound) -> Vec<&Found> {
    c.values
        .iter()
        .filter(|f| match f.field {
            Field::AdjustmentReason => !ROUTINE.contains(&f.value.as_str()),
            Field::RemarkCode => true,
            _ => false,
        })
        .collect()
}

/// `case.denial_reason`: each code's description with its group code, in the file's order, each
/// code once; for a denied or adjusted claim only.
fn denial_reason(c: &ClaimFound) -> Option<Prefill> {
    let mut parts: Vec<String> = Vec::new();
    let mut places: Vec<String> = Vec::new();
    for f in reasons(c) {
        let code = match &f.group {
            Some(g) => format!("{g} {}", f.value),
            None if f.field == Field::RemarkCode => f.value.clone(),
            None => format!("CARC {}", f.value),
        };
        places.push(written(f));
        let text = f.description.unwrap_or(codes::NOT_IN_TABLE);
        let stop = if text.ends_with('.') { "" } else { "." };
        let part = format!("{code}: {text}{stop}");
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        return None;
    }
    let note = "the descriptions of the claim's adjustment reason and remark codes, from X12's code lists";
    Some(prefill("case.denial_reason", "Denial reason", parts.join(" "), places.join("; "), Some(note.to_string())))
}

/// The claim's dates, which no case key holds: one note naming each with its place.
fn dates(c: &ClaimFound) -> Vec<String> {
    let dated = [Field::ServiceDate, Field::ReceivedDate, Field::CoverageExpired];
    let lines: Vec<String> = c
        .values
        .iter()
        .filter(|f| dated.contains(&f.field))
        .map(|f| format!("{} {} ({})", f.meaning.unwrap_or(f.field.as_str()), f.value, f.at))
        .collect();
    if lines.is_empty() {
        return Vec::new();
    }
    vec![format!("Dates in the claim: {}", lines.join(", "))]
}
