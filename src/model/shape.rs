//! The one shape of a case. Each table is declared once below, field by field: the model's
//! type, the raw type (what case.toml, the app's form and the store's JSON hold) and the codec
//! between them. From that one line come the model struct, the raw struct (also the app's
//! TypeScript type), the keys case.toml accepts, the checks with their messages, and the way
//! back from the model to the raw form.

use super::codec::*;
use super::{is_cpt_or_hcpcs, is_icd10cm, npi_is_valid};
use super::{Activity, Case, CaseKind, EventKind, ExhibitKind, Moment, PageSelection, Program, Service, SubmissionMethod, Urgency};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Declares a table of the case: the model struct, its raw struct and the codecs between.
/// Fields come in four groups: `req` (the raw value is required), `opt` (the raw value may be
/// left out), `list` (a list of text), `tags` (a list of text that may be left out, also in the
/// app's TypeScript type, and is not written when empty).
macro_rules! case_table {
    (
        $(#[$m:meta])*
        $model:ident, $(#[$rm:meta])* $raw:ident {
            $( req $(#[$rd:meta])* $r:ident: $rt:ty => $rr:ty = $rc:expr; )*
            $( opt $(#[$od:meta])* $o:ident: $ot:ty => $or:ty = $oc:expr; )*
            $( list $(#[$ld:meta])* $l:ident = $lc:expr; )*
            $( tags $(#[$td:meta])* $t:ident = $tc:expr; )*
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize)]
        pub struct $model {
            $( $(#[$rd])* pub $r: $rt, )*
            $( $(#[$od])* pub $o: $ot, )*
            $( $(#[$ld])* pub $l: Vec<String>, )*
            $( $(#[$td])* pub $t: Vec<String>, )*
        }

        $(#[$rm])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
        pub struct $raw {
            $( pub $r: $rr, )*
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                #[cfg_attr(feature = "typescript", ts(optional = nullable))]
                pub $o: Option<$or>,
            )*
            $( #[serde(default)] pub $l: Vec<String>, )*
            $(
                #[serde(default, skip_serializing_if = "Vec::is_empty")]
                #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
                pub $t: Vec<String>,
            )*
        }

        impl $raw {
            /// The keys of the table, in order.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($r),)* $(stringify!($o),)* $(stringify!($l),)* $(stringify!($t),)*];

            /// Reads every key from `source`.
            pub fn fill(source: &mut impl Source) -> $raw {
                $raw {
                    $( $r: source.field(stringify!($r), Codec::<$rt, $rr>::expects(&$rc)), )*
                    $( $o: source.field(stringify!($o), Codec::<$ot, Option<$or>>::expects(&$oc)), )*
                    $( $l: source.field(stringify!($l), Codec::<Vec<String>, Vec<String>>::expects(&$lc)), )*
                    $( $t: source.field(stringify!($t), Codec::<Vec<String>, Vec<String>>::expects(&$tc)), )*
                }
            }

            /// The model, or `None` with every problem in `c`, each named by its key under `at`.
            pub fn to_model(&self, at: &At, c: &mut Checker) -> Option<$model> {
                $( let $r = Codec::<$rt, $rr>::read(&$rc, &self.$r, &at.key(stringify!($r)), c); )*
                $( let $o = Codec::<$ot, Option<$or>>::read(&$oc, &self.$o, &at.key(stringify!($o)), c); )*
                $( let $l = Codec::<Vec<String>, Vec<String>>::read(&$lc, &self.$l, &at.key(stringify!($l)), c); )*
                $( let $t = Codec::<Vec<String>, Vec<String>>::read(&$tc, &self.$t, &at.key(stringify!($t)), c); )*
                Some($model { $($r: $r?,)* $($o: $o?,)* $($l: $l?,)* $($t: $t?,)* })
            }

            /// The raw form of `m`.
            pub fn of(m: &$model) -> $raw {
                $raw {
                    $( $r: Codec::<$rt, $rr>::write(&$rc, &m.$r), )*
                    $( $o: Codec::<$ot, Option<$or>>::write(&$oc, &m.$o), )*
                    $( $l: Codec::<Vec<String>, Vec<String>>::write(&$lc, &m.$l), )*
                    $( $t: Codec::<Vec<String>, Vec<String>>::write(&$tc, &m.$t), )*
                }
            }
        }
    };
}

fn npi_check(n: &str) -> std::result::Result<(), String> {
    if npi_is_valid(n) {
        return Ok(());
    }
    let why = if n.len() == 10 && n.chars().all(|ch| ch.is_ascii_digit()) { "fails its check digit" } else { "must be 10 digits" };
    Err(format!("`{n}` is not a valid NPI: {why}"))
}

fn bates_check(p: &str) -> std::result::Result<(), String> {
    if p.len() > 20 || !p.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
        return Err(format!("`{p}` must be up to 20 letters, digits, - or _"));
    }
    Ok(())
}

/// Lowercase letters, digits and hyphens: what can be typed inside `{{exhibit:…}}` with no
/// quoting, and reads the same in case.toml, the letter and a URL.
fn exhibit_id_check(id: &str) -> std::result::Result<(), String> {
    let shaped = id.len() <= 40 && id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
    if !shaped {
        return Err(format!("`{id}` must be up to 40 lowercase letters, digits or hyphens (e.g. `oximetry`, `order-2025-09`)"));
    }
    Ok(())
}

/// Two exhibits with the same id would make a letter's citation ambiguous: each later one is a
/// problem naming the first.
fn unique_exhibit_ids(exhibits: &[ExhibitDoc], c: &mut Checker) {
    let mut seen: Vec<(&str, String)> = Vec::new();
    for (i, e) in exhibits.iter().enumerate() {
        let Some(id) = e.id.as_deref().map(str::trim).filter(|id| !id.is_empty()) else { continue };
        let name = entry_name("exhibit", i, Some(&e.file));
        match seen.iter().find(|(s, _)| *s == id) {
            Some((_, first)) => {
                c.problem(format!("{name}: id"), format!("\"{id}\" is already the id of {first}; each exhibit's id must be unique"))
            }
            None => seen.push((id, name)),
        }
    }
}

/// The ids of checklist items (an exhibit's `meets`): each must name an item of some
/// checklist; whether it is in the case's own is checked with the whole case
/// ([`meets_in_service`]).
struct ItemIds;

impl Codec<Vec<String>, Vec<String>> for ItemIds {
    fn read(&self, raw: &Vec<String>, at: &Loc, c: &mut Checker) -> Option<Vec<String>> {
        if c.failed(&at.text) {
            return None;
        }
        let mut out = Vec::new();
        for id in raw.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
            match crate::checklist::item_by_id(id) {
                Some(_) => out.push(id.to_string()),
                None => c.problem(
                    &at.text,
                    format!("`{id}` is not a checklist item (`redress check` lists the items of the case's service, each with its id)"),
                ),
            }
        }
        Some(out)
    }
    fn write(&self, model: &Vec<String>) -> Vec<String> {
        model.clone()
    }
    fn expects(&self) -> &'static str {
        "a list of checklist item ids in quotes"
    }
}

/// An exhibit's `meets` names items of the case's own checklist: each other id is a problem
/// naming the exhibit, the id and the checklist it belongs to.
fn meets_in_service(info: &CaseInfo, exhibits: &[ExhibitDoc], c: &mut Checker) {
    for (i, e) in exhibits.iter().enumerate() {
        for id in e.meets.iter().map(|id| id.trim()) {
            let Some(item) = crate::checklist::item_by_id(id) else { continue };
            if Some(item.service) == info.service {
                continue;
            }
            let case_has = match info.service.filter(|s| crate::checklist::checklist(*s).next().is_some()) {
                Some(s) => format!("the case's service is {s}"),
                None => "the case has no checklist: set `service` in [case] to the service the exhibit's item belongs to".to_string(),
            };
            c.problem(
                format!("{}: meets", entry_name("exhibit", i, Some(&e.file))),
                format!("`{id}` is an item of the {} checklist, but {case_has}", item.service),
            );
        }
    }
}

fn sha256_check(h: &str) -> std::result::Result<(), String> {
    if h.len() != 64 || !h.chars().all(|ch| ch.is_ascii_hexdigit()) {
        return Err("must be 64 hexadecimal digits".into());
    }
    Ok(())
}

case_table!(
    /// The `[case]` table.
    #[derive(Default)]
    CaseInfo, CaseInfoDoc {
        req kind: CaseKind => String = Kind;
        req title: String => String = Text;
        req #[doc = "The rule set the plan falls under."] program: Program => String = Kind;
        req urgency: Urgency => String = KindOr(Urgency::Standard);
        req notice_date: NaiveDate => String = Date;
        opt level: Option<String> => String = Text;
        opt contract_days: Option<u32> => f64 = Days;
        opt #[doc = "What was requested (`service` in case.toml); unknown when not given."] service: Option<Service> => String = Kind;
        opt #[doc = "When the provider asked the plan for prior authorization (the initial decision clocks)."] pa_requested: Option<Moment> => String = When;
        opt received_date: Option<NaiveDate> => String = Date;
        opt notice_deadline: Option<NaiveDate> => String = Date;
        opt reference: Option<String> => String = Text;
        opt claim_number: Option<String> => String = Text;
        opt authorization_number: Option<String> => String = Text;
        opt denial_reason: Option<String> => String = Text;
        opt requested_action: Option<String> => String = Text;
        opt bates_prefix: Option<String> => String = Checked(bates_check);
        opt #[doc = "Where the plan's notice says to send an appeal, as it writes it."] appeal_address: Option<String> => String = Text;
        opt #[doc = "The phone number the notice gives for appeals."] appeal_phone: Option<String> => String = Text;
        opt #[doc = "The fax number the notice gives for appeals."] appeal_fax: Option<String> => String = Text;
        list diagnoses = Codes(is_icd10cm, "ICD-10-CM");
        list procedures = Codes(is_cpt_or_hcpcs, "HCPCS/CPT");
    }
);

case_table!(
    /// The `[member]` table.
    Member, MemberDoc {
        req name: String => String = Text;
        req dob: NaiveDate => String = Birth;
        req member_id: String => String = Text;
        req payer: String => String = Text;
        opt phone: Option<String> => String = Text;
    }
);

case_table!(
    /// The `[provider]` table.
    Provider, ProviderDoc {
        opt organization: Option<String> => String = Text;
        opt clinician: Option<String> => String = Text;
        opt npi: Option<String> => String = Checked(npi_check);
        opt phone: Option<String> => String = Text;
        opt fax: Option<String> => String = Text;
    }
);

case_table!(
    /// The `[submitter]` table: who sends the packet.
    Submitter, SubmitterDoc {
        req name: String => String = Text;
        opt role: Option<String> => String = Text;
        opt phone: Option<String> => String = Text;
    }
);

case_table!(
    /// A document in the packet.
    Exhibit,
    /// A document of the case. `file` is its name as case.toml writes it (`docs/order.pdf`).
    ExhibitDoc {
        req #[doc = "Path relative to the case folder, as written in case.toml."] file: String => String = FilePath;
        req kind: ExhibitKind => String = Kind;
        req date: NaiveDate => String = Date;
        req title: String => String = Text;
        opt pages: Option<PageSelection> => String = Pages;
        opt caption: Option<String> => String = Text;
        opt #[doc = "A stable name a letter cites it by (`{{exhibit:oximetry}}`), so its number and pages are filled in at build time."] id: Option<String> => String = Checked(exhibit_id_check);
        tags #[doc = "The coverage-criteria checklist items this exhibit meets, by id (`oxygen-qualifying-test`), as the person states it."] meets = ItemIds;
    }
);

case_table!(
    /// Something that happened: a call, a fax, a delivery, a decision.
    Event, EventDoc {
        req at: Moment => String = When;
        req kind: EventKind => String = Kind;
        req summary: String => String = Text;
        opt reference: Option<String> => String = Text;
        opt counterpart: Option<String> => String = Text;
        opt promised: Option<Moment> => String = When;
    }
);

case_table!(
    /// An SpO2 reading.
    Spo2Reading, Spo2Doc {
        req at: Moment => String = When;
        req percent: f64 => f64 = Number(1.0, 100.0);
        req activity: Activity => String = Kind;
        opt #[doc = "Litres a minute; 0 is room air."] oxygen_lpm: f64 => f64 = Number(0.0, 60.0);
        opt pulse: Option<u32> => f64 = Number(10.0, 300.0);
    }
);

case_table!(
    /// A wound measurement.
    WoundMeasurement, WoundDoc {
        req at: Moment => String = When;
        req site: String => String = Text;
        req length_cm: f64 => f64 = Number(0.0, 200.0);
        req width_cm: f64 => f64 = Number(0.0, 200.0);
        opt depth_cm: Option<f64> => f64 = Number(0.0, 50.0);
        opt stage: Option<String> => String = Text;
    }
);

case_table!(
    /// A mobility score (a walk test, a scale).
    MobilityScore, MobilityDoc {
        req at: Moment => String = When;
        req instrument: String => String = Text;
        req value: f64 => f64 = Number(-1e9, 1e9);
        req unit: String => String = AnyText;
    }
);

case_table!(
    /// A packet sent to the plan.
    Submission, SubmissionDoc {
        req at: Moment => String = When;
        req method: SubmissionMethod => String = Kind;
        req to: String => String = Text;
        opt confirmation: Option<String> => String = Text;
        opt packet_sha256: Option<String> => String = Checked(sha256_check);
    }
);

/// The whole case in its raw shape: case.toml's tables as the app edits them and the store
/// keeps them (JSON), dates and times as text the way a person types them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CaseDoc {
    pub case: CaseInfoDoc,
    pub member: MemberDoc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitter: Option<SubmitterDoc>,
    #[serde(default)]
    pub exhibit: Vec<ExhibitDoc>,
    #[serde(default)]
    pub event: Vec<EventDoc>,
    #[serde(default)]
    pub spo2: Vec<Spo2Doc>,
    #[serde(default)]
    pub wound: Vec<WoundDoc>,
    #[serde(default)]
    pub mobility: Vec<MobilityDoc>,
    #[serde(default)]
    pub submission: Vec<SubmissionDoc>,
    /// The letter's own text (letter.md); absent to use the template for the case's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
}

/// The tables of case.toml, in the order they are read.
pub const TABLES: &[&str] = &["case", "member", "provider", "submitter", "exhibit", "event", "spo2", "wound", "mobility", "submission"];

/// How an entry of an array is named: `exhibit 3 (docs/x.pdf)`, `event 2`.
pub fn entry_name(table: &str, index: usize, file: Option<&str>) -> String {
    match file {
        Some(f) if !f.trim().is_empty() => format!("{table} {} ({})", index + 1, f.trim()),
        _ => format!("{table} {}", index + 1),
    }
}

fn entries<R, M>(
    c: &mut Checker,
    table: &str,
    items: &[R],
    file: impl Fn(&R) -> Option<&str>,
    read: impl Fn(&R, &At, &mut Checker) -> Option<M>,
) -> Vec<M> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let name = entry_name(table, i, file(item));
        if c.failed(&format!("{table} {}", i + 1)) {
            continue;
        }
        if let Some(m) = read(item, &At::entry(name), c) {
            out.push(m);
        }
    }
    out
}

impl CaseDoc {
    /// The raw form of a case: a plain mapping that cannot fail.
    pub fn from_case(case: &Case) -> CaseDoc {
        CaseDoc {
            case: CaseInfoDoc::of(&case.info),
            member: MemberDoc::of(&case.member),
            provider: case.provider.as_ref().map(ProviderDoc::of),
            submitter: case.submitter.as_ref().map(SubmitterDoc::of),
            exhibit: case.exhibits.iter().map(ExhibitDoc::of).collect(),
            event: case.events.iter().map(EventDoc::of).collect(),
            spo2: case.spo2.iter().map(Spo2Doc::of).collect(),
            wound: case.wounds.iter().map(WoundDoc::of).collect(),
            mobility: case.mobility.iter().map(MobilityDoc::of).collect(),
            submission: case.submissions.iter().map(SubmissionDoc::of).collect(),
            letter: case.letter.clone(),
        }
    }

    /// The case, validated as case.toml is: every problem at once, each naming its key.
    pub fn to_case(&self) -> Result<Case> {
        let mut c = Checker::new(crate::casefile::CASE_FILE);
        match self.check(&mut c) {
            Some(case) if c.problems.is_empty() => Ok(case),
            _ => Err(Error::Invalid(c.problems)),
        }
    }

    /// The case, with every problem in `c`. Tables and entries `c` marks failed (missing from
    /// the file, or not tables) are skipped: they were reported where they were read.
    pub fn check(&self, c: &mut Checker) -> Option<Case> {
        let info = if c.failed("case") { None } else { self.case.to_model(&At::table("case"), c) };
        let member = if c.failed("member") { None } else { self.member.to_model(&At::table("member"), c) };
        let provider = self.provider.as_ref().filter(|_| !c.failed("provider")).map(|p| p.to_model(&At::table("provider"), c));
        let submitter = self.submitter.as_ref().filter(|_| !c.failed("submitter")).map(|s| s.to_model(&At::table("submitter"), c));
        let exhibits = entries(c, "exhibit", &self.exhibit, |e| Some(e.file.as_str()), ExhibitDoc::to_model);
        unique_exhibit_ids(&self.exhibit, c);
        let events = entries(c, "event", &self.event, |_| None, EventDoc::to_model);
        let spo2 = entries(c, "spo2", &self.spo2, |_| None, Spo2Doc::to_model);
        let wounds = entries(c, "wound", &self.wound, |_| None, WoundDoc::to_model);
        let mobility = entries(c, "mobility", &self.mobility, |_| None, MobilityDoc::to_model);
        let submissions = entries(c, "submission", &self.submission, |_| None, SubmissionDoc::to_model);
        if let (Some(info), Some(m)) = (&info, &member) {
            if m.dob > info.notice_date {
                c.problem("member.dob", format!("is after the notice date {}: it cannot be the member's date of birth", info.notice_date));
            }
        }
        if let Some(info) = &info {
            cross_checks(info, c);
            meets_in_service(info, &self.exhibit, c);
        }
        Some(Case {
            info: info?,
            member: member?,
            provider: provider.flatten(),
            submitter: submitter.flatten(),
            exhibits,
            events,
            spo2,
            wounds,
            mobility,
            submissions,
            letter: self.letter.clone().filter(|l| !l.trim().is_empty()),
        })
    }
}

/// The checks of `[case]` that concern two of its keys.
fn cross_checks(info: &CaseInfo, c: &mut Checker) {
    if info.program == Program::Contract && info.contract_days.is_none() && !c.failed("case.contract_days") {
        c.problem("case.contract_days", "required when program = \"contract\" (the number of days the contract allows)");
    }
    if let Some(r) = info.received_date {
        if r < info.notice_date {
            c.problem("case.received_date", format!("{r} is before the notice date {}", info.notice_date));
        }
    }
}
