//! Structured claim files read into the values that pre-fill a case: a FHIR R4
//! `ExplanationOfBenefit` or `ClaimResponse` (one resource or a `Bundle`), or an X12 835
//! remittance. Pure parsing: each value is exactly what the file holds, with where it came from;
//! a code that fails the library's format checks is reported, not kept.

pub mod codes;
mod fhir;
pub mod prefill;
#[cfg(test)]
mod tests;
mod x12;

use crate::model::{is_cpt_or_hcpcs, is_icd10cm};
use serde::Serialize;

/// What a value is, for the case it pre-fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The member's ID with the plan.
    MemberId,
    /// The patient's name as the file gives it.
    MemberName,
    /// The plan or payer.
    Payer,
    /// The payer's claim number.
    ClaimNumber,
    /// The provider's own number for the claim (835 CLP01).
    PatientControlNumber,
    /// A prior-authorization number.
    Authorization,
    /// `claim`, `preauthorization` or `predetermination` (FHIR `use`).
    Use,
    /// A date of service (or the first or last of a period).
    ServiceDate,
    /// A HCPCS or CPT code of a service.
    ServiceCode,
    /// An ICD-10 diagnosis code.
    DiagnosisCode,
    /// FHIR `outcome`, or the 835 claim status code (CLP02).
    Outcome,
    /// The payer's words on the decision (FHIR `disposition`, `processNote`).
    Disposition,
    /// The date the payer received the claim (835 DTM*050).
    ReceivedDate,
    /// The date the patient's coverage ended (835 DTM*036).
    CoverageExpired,
    /// The amount charged (a claim's total, or a service line's).
    ChargeAmount,
    /// The amount paid (a claim's total, or a service line's).
    PaidAmount,
    /// What the patient owes (835 CLP05).
    PatientResponsibility,
    /// A claim adjustment reason code (CARC), with its group code in an 835.
    AdjustmentReason,
    /// The amount of one adjustment (835 CAS), with its group and reason code.
    AdjustmentAmount,
    /// The units of service of one adjustment (835 CAS), with its group and reason code.
    AdjustmentQuantity,
    /// A remittance advice remark code (RARC).
    RemarkCode,
    /// The total of the payment (835 BPR02), with how it is handled (BPR01).
    PaymentAmount,
    /// How it is paid (835 BPR04): a check, an ACH transfer, none.
    PaymentMethod,
    /// The check's issue date or the transfer's effective date (835 BPR16).
    PaymentDate,
    /// The check or EFT trace number (835 TRN02).
    TraceNumber,
    /// When the payer produced the remittance (835 DTM*405).
    RemittanceDate,
    /// The last day of the provider's fiscal period a provider-level adjustment falls in (PLB02).
    FiscalPeriodEnd,
    /// A provider-level adjustment's reason code (835 PLB03-1 and its pairs).
    ProviderAdjustmentReason,
    /// A provider-level adjustment's amount (PLB04 and its pairs), with its reason code.
    ProviderAdjustment,
}

impl Field {
    /// The field's name as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::MemberId => "member ID",
            Field::MemberName => "member name",
            Field::Payer => "payer",
            Field::ClaimNumber => "claim number",
            Field::PatientControlNumber => "patient control number",
            Field::Authorization => "authorization",
            Field::Use => "use",
            Field::ServiceDate => "date of service",
            Field::ServiceCode => "HCPCS/CPT code",
            Field::DiagnosisCode => "ICD-10 code",
            Field::Outcome => "outcome",
            Field::Disposition => "disposition",
            Field::ReceivedDate => "received",
            Field::CoverageExpired => "coverage expired",
            Field::ChargeAmount => "charged",
            Field::PaidAmount => "paid",
            Field::PatientResponsibility => "patient responsibility",
            Field::AdjustmentReason => "adjustment reason (CARC)",
            Field::AdjustmentAmount => "adjusted amount",
            Field::AdjustmentQuantity => "adjusted units",
            Field::RemarkCode => "remark code (RARC)",
            Field::PaymentAmount => "payment",
            Field::PaymentMethod => "payment method",
            Field::PaymentDate => "payment date",
            Field::TraceNumber => "check or EFT trace number",
            Field::RemittanceDate => "remittance date",
            Field::FiscalPeriodEnd => "fiscal period end",
            Field::ProviderAdjustmentReason => "provider-level adjustment reason",
            Field::ProviderAdjustment => "provider-level adjustment",
        }
    }
}

/// One value found, with where it is in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    pub field: Field,
    /// As the file holds it; an 835's dates as YYYY-MM-DD and its amounts as decimals with two
    /// places (`212.5` is `212.50`).
    pub value: String,
    /// A FHIR path (`ExplanationOfBenefit.item[0].productOrService.coding[0].code`) or an X12
    /// segment and element (`segment 12 CLP07`).
    pub at: String,
    /// The CAS group code (CO, PR, OA, PI, CR) of an 835 adjustment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// What a code or value means, where X12 fixes it: an 835 claim status (CLP02), a CAS group
    /// code, which date a date is, whether an amount is the claim's or a service line's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<&'static str>,
    /// The adjustment reason code (CARC, or a PLB reason) an amount or quantity belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A CARC's, RARC's or PLB reason's description ([`codes`]), or "not in Redress's table".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'static str>,
}

impl Found {
    fn new(field: Field, value: &str, at: String) -> Found {
        let description = match field {
            Field::AdjustmentReason => Some(codes::carc(value).unwrap_or(codes::NOT_IN_TABLE)),
            Field::RemarkCode => Some(codes::rarc(value).unwrap_or(codes::NOT_IN_TABLE)),
            Field::ProviderAdjustmentReason => Some(codes::plb(value).unwrap_or(codes::NOT_IN_TABLE)),
            _ => None,
        };
        Found { field, value: value.to_string(), at, group: None, meaning: None, reason: None, description }
    }

    fn meaning(mut self, meaning: Option<&'static str>) -> Found {
        self.meaning = meaning;
        self
    }
}

/// An 835 claim status code (CLP02) in words.
fn claim_status(code: &str) -> Option<&'static str> {
    Some(match code {
        "1" => "processed as primary",
        "2" => "processed as secondary",
        "3" => "processed as tertiary",
        "4" => "denied",
        "19" => "processed as primary, forwarded to additional payer(s)",
        "20" => "processed as secondary, forwarded to additional payer(s)",
        "21" => "processed as tertiary, forwarded to additional payer(s)",
        "22" => "reversal of previous payment",
        "23" => "not our claim, forwarded to additional payer(s)",
        "25" => "predetermination pricing only, no payment",
        _ => return None,
    })
}

/// A CAS group code in words.
fn group_meaning(group: &str) -> Option<&'static str> {
    Some(match group {
        "CO" => "contractual obligation (not billed to the patient)",
        "PR" => "patient responsibility",
        "OA" => "other adjustment",
        "PI" => "payer-initiated reduction",
        "CR" => "correction or reversal",
        _ => return None,
    })
}

/// A value the file holds that fails its format check: reported, never kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub field: Field,
    pub value: String,
    pub at: String,
    pub why: String,
}

/// One claim (a FHIR resource or an 835 CLP loop) and what it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClaimFound {
    /// `ExplanationOfBenefit`, `ClaimResponse` or `835 CLP`.
    pub kind: String,
    /// Where the claim starts in the file.
    pub at: String,
    pub values: Vec<Found>,
    pub rejected: Vec<Rejected>,
}

impl ClaimFound {
    fn new(kind: &str, at: &str) -> Self {
        ClaimFound { kind: kind.to_string(), at: at.to_string(), ..Default::default() }
    }

    /// Adds a value the file holds (an empty one is no value).
    fn push(&mut self, field: Field, value: &str, at: String) {
        self.push_group(field, value, at, None);
    }

    fn push_group(&mut self, field: Field, value: &str, at: String, group: Option<&str>) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let why = match field {
            Field::ServiceCode if !is_cpt_or_hcpcs(value) => {
                Some("not a HCPCS or CPT code (a letter A–V and four digits, or five digits, or four and F, T or U)")
            }
            Field::DiagnosisCode if !is_icd10cm(value) => {
                Some("not an ICD-10-CM code (a letter, a digit, a letter or digit, then up to four more)")
            }
            _ => None,
        };
        match why {
            Some(why) => self.rejected.push(Rejected { field, value: value.to_string(), at, why: why.to_string() }),
            None => {
                let meaning = match (field, group) {
                    (Field::Outcome, _) => claim_status(value),
                    (_, Some(g)) => group_meaning(g),
                    _ => None,
                };
                let mut found = Found::new(field, value, at).meaning(meaning);
                found.group = group.map(str::to_string);
                self.values.push(found)
            }
        }
    }

    /// The values of one field, in file order.
    pub fn all(&self, field: Field) -> Vec<&str> {
        self.values.iter().filter(|f| f.field == field).map(|f| f.value.as_str()).collect()
    }
}

/// The format a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Fhir,
    X12_835,
}

/// What a claim file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub format: Format,
    /// What an 835 says of the whole payment, outside any claim: the payment (BPR), its trace
    /// number (TRN), the remittance's date and provider-level adjustments (PLB). Empty for FHIR.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payment: Vec<Found>,
    pub claims: Vec<ClaimFound>,
}

/// Why a claim file cannot be read; each names the field or segment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    #[error("the file is {}, more than the {} a claim file may be; split it, or export fewer claims", crate::size::human_bytes(*.0), crate::size::human_bytes(crate::limits::CLAIM_FILE_BYTES))]
    TooLarge(u64),
    #[error("the file is empty")]
    Empty,
    #[error("the file is not valid JSON (line {line}, column {column}{})", if *.cut_short { ": it ends before the JSON is complete" } else { "" })]
    Json { line: usize, column: usize, cut_short: bool },
    #[error("`{at}` is missing: a FHIR resource names its type")]
    NoResourceType { at: String },
    #[error("`{at}` is `{found}`: Redress reads an ExplanationOfBenefit, a ClaimResponse or a Bundle of them")]
    WrongResource { at: String, found: String },
    #[error("the Bundle holds no ExplanationOfBenefit or ClaimResponse")]
    EmptyBundle,
    #[error("`{at}` has the wrong type: FHIR puts {expected} there")]
    WrongType { at: String, expected: &'static str },
    #[error("the file is neither FHIR JSON nor an X12 interchange: X12 starts with an ISA header")]
    NoIsa,
    #[error("the ISA header is cut short: it needs 16 elements and a segment terminator")]
    ShortIsa,
    #[error("segment {index} ({id}) is cut short: the file ends before its terminator")]
    Truncated { index: usize, id: String },
    #[error("segment {index} ({id}) has {found} elements; {id} needs {needed} ({id}01 to {id}{needed:02})")]
    ShortSegment { index: usize, id: String, found: usize, needed: usize },
    #[error("segment {index} (ST) opens transaction set {found}, not an 835 remittance")]
    Not835 { index: usize, found: String },
    #[error("the interchange holds no 835 transaction set (no ST*835 segment)")]
    No835,
    /// An 835 amount, quantity or date that is not one: `CLP04 (paid) in claim 3 (segment 20):
    /// `12.3.4` is not an amount`.
    #[error("{element} ({meaning}) in {place}: `{value}` is not {expected}")]
    BadValue { element: String, meaning: &'static str, place: String, value: String, expected: &'static str },
}

/// Reads a claim file's bytes: FHIR JSON when it starts with `{`, else X12. A caller reading
/// from disk need read no more than [`crate::limits::CLAIM_FILE_BYTES`] and one byte.
pub fn read(bytes: &[u8]) -> Result<Imported, ClaimError> {
    if bytes.len() as u64 > crate::limits::CLAIM_FILE_BYTES {
        return Err(ClaimError::TooLarge(bytes.len() as u64));
    }
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.is_empty() {
        return Err(ClaimError::Empty);
    }
    if text.starts_with('{') {
        fhir::read(text).map(|claims| Imported { format: Format::Fhir, payment: Vec::new(), claims })
    } else {
        x12::read(text).map(|(payment, claims)| Imported { format: Format::X12_835, payment, claims })
    }
}

/// One line per value: `claim number: 1234 (ExplanationOfBenefit.identifier[0].value)`.
pub fn to_text(imported: &Imported) -> String {
    let mut out = String::new();
    if !imported.payment.is_empty() {
        out.push_str("payment\n");
    }
    for f in &imported.payment {
        out.push_str(&found_line(f));
    }
    for (i, c) in imported.claims.iter().enumerate() {
        out.push_str(&format!("{} {} ({})\n", c.kind, i + 1, c.at));
        for f in &c.values {
            out.push_str(&found_line(f));
        }
        for r in &c.rejected {
            out.push_str(&format!("  refused {}: `{}` is {} ({})\n", r.field.as_str(), r.value, r.why, r.at));
        }
    }
    out
}

/// `  adjustment reason (CARC): 50 group CO, contractual obligation (…) — These are non-covered
/// services … (segment 13 CAS02)`.
fn found_line(f: &Found) -> String {
    let tag = match (f.reason.as_deref(), f.group.as_deref()) {
        (Some(r), Some(g)) => format!(" for {g} {r}"),
        (Some(r), None) => format!(" for {r}"),
        (None, Some(g)) => format!(" group {g}"),
        (None, None) => String::new(),
    };
    let meaning = f.meaning.map(|m| format!(", {m}")).unwrap_or_default();
    let description = f.description.map(|d| format!(" — {d}")).unwrap_or_default();
    format!("  {}: {}{tag}{meaning}{description} ({})\n", f.field.as_str(), f.value, f.at)
}
