//! The case as plain data: identifiers, exhibits, events, readings. No I/O here.

pub mod codec;
mod codes;
mod moment;
mod shape;

pub use codes::{
    is_cpt_or_hcpcs, is_icd10cm, npi_is_valid, CODE_EXAMPLES, CPT_OR_HCPCS_PATTERN, ICD10CM_PATTERN, NPI_EXAMPLES, NPI_LUHN_PREFIX,
};
pub use moment::{parse_date, Moment, NotADate};
pub use shape::*;

use chrono::NaiveDate;
use serde::Serialize;

/// A closed set of values with their case.toml spelling and a label for people: what the
/// case reader checks against and the UI's drop-downs offer (both from the same table).
pub trait Vocabulary: Sized + Copy + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];
    /// The spelling used in case.toml and JSON.
    fn as_str(self) -> &'static str;
    /// A label for people.
    fn label(self) -> &'static str;
    /// Parses the case.toml spelling.
    fn parse(text: &str) -> Option<Self>;
    /// The accepted spellings, for error messages.
    fn choices() -> String {
        Self::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(" | ")
    }
}

/// Declares a closed set of string-valued kinds with their case.toml spelling and a label.
macro_rules! kinds {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal : $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The spelling used in case.toml and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// A label for people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            /// Parses the case.toml spelling.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
            /// The accepted spellings, for error messages.
            pub fn choices() -> String {
                [$($text),+].join(" | ")
            }
        }

        impl Vocabulary for $name {
            const ALL: &'static [Self] = $name::ALL;
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
            fn parse(text: &str) -> Option<Self> {
                $name::parse(text)
            }
        }

        /// The first value declared.
        impl Default for $name {
            fn default() -> Self {
                $name::ALL[0]
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

kinds!(
    /// Who is fighting the denial, and so what the packet is called.
    CaseKind {
        ProviderAppeal = "provider-appeal": "Provider appeal",
        MemberGrievance = "member-grievance": "Member grievance",
        RegulatorComplaint = "regulator-complaint": "Regulator complaint",
    }
);

kinds!(
    /// The rule set the plan falls under (see deadline-rules.md).
    Program {
        Erisa = "erisa": "Employer group health plan (ERISA)",
        Aca = "aca": "Individual or group plan (ACA)",
        MedicareAdvantage = "medicare-advantage": "Medicare Advantage",
        MedicarePartD = "medicare-part-d": "Medicare Part D",
        OriginalMedicare = "original-medicare": "Original Medicare",
        MedicaidManagedCare = "medicaid-managed-care": "Medicaid managed care",
        Contract = "contract": "Provider contract",
        StateDoi = "state-doi": "State Department of Insurance",
    }
);

kinds!(
    /// Standard or expedited handling.
    Urgency {
        Standard = "standard": "Standard",
        Expedited = "expedited": "Expedited",
    }
);

kinds!(
    /// What was requested, where the rules tell kinds apart: the plan's decision clock differs
    /// for a payment, a Part B drug or another drug. The services of this field name the
    /// coverage-criteria checklist that applies (`checklist`) and count as an item or service.
    Service {
        Service = "service": "Item or service (pre-service)",
        Payment = "payment": "Payment (post-service)",
        PartBDrug = "part-b-drug": "Part B drug",
        Drug = "drug": "Prescription drug",
        HomeOxygen = "home-oxygen": "Home oxygen",
        HomeHealth = "home-health": "Home health",
        WoundCare = "wound-care": "Wound care",
        Dme = "dme": "Durable medical equipment",
        HomeInfusion = "home-infusion": "Home infusion",
    }
);

impl Service {
    /// The kind of request the decision clocks tell apart: the services of this field (home
    /// oxygen, home health, wound care, DME, home infusion) are items or services, counted on the
    /// pre-service clock as `service` is.
    pub fn clock_kind(self) -> Service {
        match self {
            Service::HomeOxygen | Service::HomeHealth | Service::WoundCare | Service::Dme | Service::HomeInfusion => Service::Service,
            other => other,
        }
    }
}

kinds!(
    /// What an exhibit is.
    ExhibitKind {
        PhysicianOrder = "physician-order": "Physician order",
        DenialLetter = "denial-letter": "Denial letter",
        ProgressNote = "progress-note": "Progress note",
        OxygenLog = "oxygen-log": "Oxygen saturation log",
        WoundPhoto = "wound-photo": "Wound photo",
        MobilityAssessment = "mobility-assessment": "Mobility assessment",
        DeliveryConfirmation = "delivery-confirmation": "Delivery confirmation",
        Correspondence = "correspondence": "Correspondence",
        MedicalNecessityLetter = "medical-necessity-letter": "Letter of medical necessity",
        Photo = "photo": "Photo",
        Screenshot = "screenshot": "Screenshot",
        FaxConfirmation = "fax-confirmation": "Fax confirmation",
        Other = "other": "Other document",
    }
);

kinds!(
    /// What happened in an event of the case's history (the most common first: the UI's
    /// drop-down offers them in this order).
    EventKind {
        Call = "call": "Call",
        Fax = "fax": "Fax",
        Email = "email": "Email",
        Order = "order": "Order",
        Referral = "referral": "Referral",
        Verification = "verification": "Verification",
        Scheduled = "scheduled": "Scheduled",
        Delivered = "delivered": "Delivered",
        Missed = "missed": "Missed",
        Denial = "denial": "Denial",
        Escalation = "escalation": "Escalation",
        AppealFiled = "appeal-filed": "Appeal filed",
        Decision = "decision": "Decision",
        Extension = "extension": "Extension",
        Other = "other": "Other",
    }
);

kinds!(
    /// What the patient was doing during an SpO2 reading.
    Activity {
        Rest = "rest": "Rest",
        Exertion = "exertion": "Exertion",
        Sleep = "sleep": "Sleep",
    }
);

kinds!(
    /// How a packet was sent.
    SubmissionMethod {
        Fax = "fax": "Fax",
        Portal = "portal": "Portal",
        Mail = "mail": "Mail",
        Email = "email": "Email",
        Hand = "hand": "Hand delivery",
    }
);

/// A whole case: everything case.toml and letter.md hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub info: CaseInfo,
    pub member: Member,
    pub provider: Option<Provider>,
    pub submitter: Option<Submitter>,
    pub exhibits: Vec<Exhibit>,
    pub events: Vec<Event>,
    pub spo2: Vec<Spo2Reading>,
    pub wounds: Vec<WoundMeasurement>,
    pub mobility: Vec<MobilityScore>,
    pub submissions: Vec<Submission>,
    /// The body of letter.md, when the case has its own letter.
    pub letter: Option<String>,
}

/// A page selection such as `1-3,5`: 1-based inclusive ranges, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSelection {
    pub text: String,
    pub ranges: Vec<(u32, u32)>,
}

impl Serialize for PageSelection {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl PageSelection {
    /// Parses `1-3,5`; `None` when the text is not a selection.
    pub fn parse(text: &str) -> Option<PageSelection> {
        let mut ranges = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
                None => {
                    let n: u32 = part.parse().ok()?;
                    (n, n)
                }
            };
            if a == 0 || b < a {
                return None;
            }
            ranges.push((a, b));
        }
        if ranges.is_empty() {
            return None;
        }
        Some(PageSelection { text: text.to_string(), ranges })
    }

    /// The highest page the selection asks for.
    pub fn last_page(&self) -> u32 {
        self.ranges.iter().map(|r| r.1).max().unwrap_or(0)
    }

    /// The selected 1-based page numbers, in order.
    pub fn pages(&self) -> impl Iterator<Item = u32> + '_ {
        self.ranges.iter().flat_map(|&(a, b)| a..=b)
    }
}

impl CaseInfo {
    /// A provider appeal under `program` on a notice dated `notice_date`, every optional field
    /// empty: the start for code that fills in what it knows.
    pub fn new(program: Program, notice_date: NaiveDate) -> CaseInfo {
        CaseInfo { program, notice_date, ..CaseInfo::default() }
    }
}

impl Member {
    /// `Smith, J` — the short form the stamp uses.
    pub fn short_name(&self) -> String {
        let parts: Vec<&str> = self.name.split_whitespace().collect();
        match parts.as_slice() {
            [] => String::new(),
            [one] => one.to_string(),
            [first, .., last] => {
                let initial: String = first.chars().take(1).collect();
                format!("{last}, {initial}")
            }
        }
    }
    /// The member's last name, for the default Bates prefix.
    pub fn last_name(&self) -> &str {
        self.name.split_whitespace().last().unwrap_or("")
    }
}

impl Case {
    /// The Bates prefix: the case's own, or the member's last name in capitals (letters only).
    pub fn bates_prefix(&self) -> String {
        if let Some(p) = &self.info.bates_prefix {
            return p.clone();
        }
        let p: String = self.member.last_name().chars().filter(|c| c.is_alphanumeric()).flat_map(|c| c.to_uppercase()).collect();
        if p.is_empty() {
            "REDRESS".into()
        } else {
            p
        }
    }

    /// Exhibits in packet order: by their own date, ties in the order given. Returns
    /// indices into `self.exhibits`; exhibit number n is `order[n - 1]`.
    pub fn exhibit_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.exhibits.len()).collect();
        order.sort_by_key(|&i| (self.exhibits[i].date, i));
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_selection_parses_ranges_and_rejects_nonsense() {
        let s = PageSelection::parse("1-3, 5").unwrap();
        assert_eq!(s.ranges, vec![(1, 3), (5, 5)]);
        assert_eq!(s.pages().collect::<Vec<_>>(), vec![1, 2, 3, 5]);
        assert_eq!(s.last_page(), 5);
        for bad in ["", "0", "3-1", "a", "1-", "1,,2"] {
            assert!(PageSelection::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn kinds_round_trip_their_spelling() {
        for k in ExhibitKind::ALL {
            assert_eq!(ExhibitKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(Program::parse("medicare-advantage"), Some(Program::MedicareAdvantage));
        assert_eq!(Program::parse("medicare"), None);
    }

    #[test]
    fn short_name_is_last_comma_initial() {
        let m = Member {
            name: "John Q. Smith".into(),
            dob: NaiveDate::from_ymd_opt(1945, 1, 23).unwrap(),
            member_id: "X".into(),
            payer: "P".into(),
            phone: None,
        };
        assert_eq!(m.short_name(), "Smith, J");
    }
}
