//! The case as plain data: identifiers, exhibits, events, readings. No I/O here.

pub mod codec;
mod codes;
pub mod dates;
mod moment;
pub mod name;
mod shape;

pub use codes::{
    is_cpt_or_hcpcs, is_icd10cm, npi_is_valid, CODE_EXAMPLES, CPT_OR_HCPCS_PATTERN, ICD10CM_PATTERN, NPI_EXAMPLES, NPI_LUHN_PREFIX,
};
pub use moment::Moment;
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
    /// `Smith, J` — the short form the stamp uses (see [`name`] for the forms it reads).
    pub fn short_name(&self) -> String {
        name::short(&self.name)
    }
    /// The member's surname as written (`Smith`, `de la Cruz`), for the default Bates prefix.
    pub fn last_name(&self) -> String {
        name::parts(&self.name).surname
    }
}

impl Case {
    /// The Bates prefix: the case's own, else the member's surname in capitals (Latin letters
    /// and digits, accents left out), else [`name::FALLBACK_BATES_PREFIX`].
    pub fn bates_prefix(&self) -> String {
        if let Some(p) = &self.info.bates_prefix {
            return p.clone();
        }
        name::bates_prefix(&self.member.last_name()).unwrap_or_else(|| name::FALLBACK_BATES_PREFIX.into())
    }

    /// Why the Bates prefix is the fallback, when it is: the member's surname has no Latin
    /// letter or digit and case.toml sets no `bates_prefix`.
    pub fn bates_prefix_warning(&self) -> Option<String> {
        if self.info.bates_prefix.is_some() || name::bates_prefix(&self.member.last_name()).is_some() {
            return None;
        }
        let p = name::FALLBACK_BATES_PREFIX;
        Some(format!(
            "member.name: the last name has no Latin letters to make the Bates prefix from, so pages are numbered {p}-000001, {p}-000002…; \
             set bates_prefix in case.toml's [case] (up to 20 letters, digits, - or _) to choose it"
        ))
    }

    /// A warning for each date that cannot be after `today` and is: the notice's, its receipt's
    /// and each exhibit's (almost always a typo, such as 2062 for 2026). Warnings, not
    /// problems: the case still builds.
    pub fn dates_after(&self, today: NaiveDate) -> Vec<String> {
        let file = crate::casefile::CASE_FILE;
        let mut out: Vec<String> = [("case.notice_date", Some(self.info.notice_date)), ("case.received_date", self.info.received_date)]
            .into_iter()
            .filter_map(|(key, date)| after_today(&format!("{file}: {key}"), date?, today))
            .collect();
        for (i, e) in self.exhibits.iter().enumerate() {
            out.extend(after_today(&format!("{file}: exhibit {} ({}): date", i + 1, e.file), e.date, today));
        }
        out
    }

    /// Exhibits in packet order: by their own date, ties in the order given. Returns
    /// indices into `self.exhibits`; exhibit number n is `order[n - 1]`.
    pub fn exhibit_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.exhibits.len()).collect();
        order.sort_by_key(|&i| (self.exhibits[i].date, i));
        order
    }
}

/// `what 2062-03-06 is after today (2026-12-07): is the year right?` when `date` is after
/// `today`.
pub fn after_today(what: &str, date: NaiveDate, today: NaiveDate) -> Option<String> {
    (date > today).then(|| format!("{what} {date} is after today ({today}): is the year right?"))
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

    fn case_of(name: &str) -> Case {
        let notice = NaiveDate::from_ymd_opt(2026, 3, 6).unwrap();
        let member = Member {
            name: name.into(),
            dob: NaiveDate::from_ymd_opt(1945, 1, 23).unwrap(),
            member_id: "X".into(),
            payer: "P".into(),
            phone: None,
        };
        Case {
            info: CaseInfo::new(Program::MedicareAdvantage, notice),
            member,
            provider: None,
            submitter: None,
            exhibits: vec![],
            events: vec![],
            spo2: vec![],
            wounds: vec![],
            mobility: vec![],
            submissions: vec![],
            letter: None,
        }
    }

    fn exhibit(file: &str, date: NaiveDate) -> Exhibit {
        Exhibit {
            file: file.into(),
            kind: ExhibitKind::Other,
            date,
            title: "T".into(),
            pages: None,
            caption: None,
            id: None,
            meets: vec![],
        }
    }

    #[test]
    fn names_as_payers_write_them_give_the_surname_to_the_stamp_and_the_prefix() {
        for (name, short, prefix) in [
            ("Smith, John", "Smith, J", "SMITH"),
            ("John Smith Jr.", "Smith, J", "SMITH"),
            ("Dr. Ann Lee, MD", "Lee, A", "LEE"),
            ("Mary Smith-Jones", "Smith-Jones, M", "SMITHJONES"),
            ("Ana de la Cruz", "de la Cruz, A", "DELACRUZ"),
            ("José Núñez", "Núñez, J", "NUNEZ"),
        ] {
            let c = case_of(name);
            assert_eq!((c.member.short_name().as_str(), c.bates_prefix().as_str()), (short, prefix), "{name}");
            assert_eq!(c.bates_prefix_warning(), None, "{name}");
        }
    }

    #[test]
    fn a_name_without_latin_letters_gives_the_fallback_prefix_and_says_how_to_set_one() {
        let mut c = case_of("李小龙");
        assert_eq!(c.bates_prefix(), "REDRESS");
        let w = c.bates_prefix_warning().expect("a warning");
        assert!(w.starts_with("member.name: ") && w.contains("REDRESS-000001") && w.contains("bates_prefix in case.toml"), "{w}");
        c.info.bates_prefix = Some("LEE".into());
        assert_eq!((c.bates_prefix().as_str(), c.bates_prefix_warning()), ("LEE", None));
    }

    #[test]
    fn dates_after_today_are_warned_naming_the_key_and_value() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let mut c = case_of("John Smith");
        c.info.notice_date = d(2062, 3, 6);
        c.info.received_date = Some(d(2026, 12, 7));
        c.exhibits = vec![exhibit("docs/a.pdf", d(2026, 12, 7)), exhibit("docs/b.pdf", d(2099, 3, 6))];
        assert_eq!(
            c.dates_after(d(2026, 12, 7)),
            [
                "case.toml: case.notice_date 2062-03-06 is after today (2026-12-07): is the year right?",
                "case.toml: exhibit 2 (docs/b.pdf): date 2099-03-06 is after today (2026-12-07): is the year right?",
            ]
        );
        assert!(c.dates_after(d(2099, 3, 6)).is_empty());
    }
}
