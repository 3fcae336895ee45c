//! The case as the app edits it: case.toml's shape as JSON, with dates and times as text the
//! way a person types them. It becomes a `Case` through the very same reader as case.toml, so
//! the app's form errors name the same keys (`member.dob`) as `redress check`.

use super::{parse, to_toml};
use crate::error::{Error, Problem, Result};
use crate::model::Case;
use serde::{Deserialize, Serialize};

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

macro_rules! doc_struct {
    ($(#[$m:meta])* $name:ident { $(req $r:ident: $rt:ty,)* $(opt $o:ident: $ot:ty,)* $(list $l:ident,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
        pub struct $name {
            $(pub $r: $rt,)*
            $(#[serde(default, skip_serializing_if = "Option::is_none")] #[cfg_attr(feature = "typescript", ts(optional = nullable))] pub $o: Option<$ot>,)*
            $(#[serde(default)] pub $l: Vec<String>,)*
        }
    };
}

doc_struct!(CaseInfoDoc {
    req kind: String, req title: String, req program: String, req urgency: String, req notice_date: String,
    opt level: String, opt contract_days: f64, opt service: String, opt pa_requested: String, opt received_date: String, opt notice_deadline: String,
    opt reference: String, opt claim_number: String, opt authorization_number: String, opt denial_reason: String,
    opt requested_action: String, opt bates_prefix: String,
    list diagnoses, list procedures,
});
doc_struct!(MemberDoc { req name: String, req dob: String, req member_id: String, req payer: String, opt phone: String, });
doc_struct!(ProviderDoc { opt organization: String, opt clinician: String, opt npi: String, opt phone: String, opt fax: String, });
doc_struct!(SubmitterDoc { req name: String, opt role: String, opt phone: String, });
doc_struct!(
    /// A document of the case. `file` is its name as case.toml writes it (`docs/order.pdf`).
    ExhibitDoc { req file: String, req kind: String, req date: String, req title: String, opt pages: String, opt caption: String, }
);
doc_struct!(EventDoc { req at: String, req kind: String, req summary: String, opt reference: String, opt counterpart: String, opt promised: String, });
doc_struct!(Spo2Doc { req at: String, req percent: f64, req activity: String, opt oxygen_lpm: f64, opt pulse: f64, });
doc_struct!(WoundDoc { req at: String, req site: String, req length_cm: f64, req width_cm: f64, opt depth_cm: f64, opt stage: String, });
doc_struct!(MobilityDoc { req at: String, req instrument: String, req value: f64, req unit: String, });
doc_struct!(SubmissionDoc { req at: String, req method: String, req to: String, opt confirmation: String, opt packet_sha256: String, });

impl CaseDoc {
    /// The document of a case.
    pub fn from_case(case: &Case) -> CaseDoc {
        // The model and case.toml already agree field for field; going through the text keeps
        // one mapping, not two.
        let mut doc: CaseDoc = toml::from_str(&to_toml(case)).unwrap_or_default();
        doc.letter = case.letter.clone();
        doc
    }

    /// The case, validated as case.toml is: every problem at once, each naming its key.
    pub fn to_case(&self) -> Result<Case> {
        let mut plain = self.clone();
        plain.letter = None;
        blank_to_none(&mut plain);
        let text = toml::to_string(&plain)
            .map_err(|e| Error::Invalid(vec![Problem::new("case", "", format!("cannot be written as case.toml: {e}"))]))?;
        let mut case = parse(&text)?;
        case.letter = self.letter.clone().filter(|l| !l.trim().is_empty());
        Ok(case)
    }
}

/// Fields left empty in a form mean "not given".
fn blank_to_none(doc: &mut CaseDoc) {
    fn b(o: &mut Option<String>) {
        if o.as_deref().is_some_and(|s| s.trim().is_empty()) {
            *o = None;
        }
    }
    let c = &mut doc.case;
    for o in [
        &mut c.level,
        &mut c.service,
        &mut c.pa_requested,
        &mut c.received_date,
        &mut c.notice_deadline,
        &mut c.reference,
        &mut c.claim_number,
        &mut c.authorization_number,
        &mut c.denial_reason,
        &mut c.requested_action,
        &mut c.bates_prefix,
    ] {
        b(o);
    }
    c.diagnoses.retain(|d| !d.trim().is_empty());
    c.procedures.retain(|d| !d.trim().is_empty());
    b(&mut doc.member.phone);
    if let Some(p) = &mut doc.provider {
        for o in [&mut p.organization, &mut p.clinician, &mut p.npi, &mut p.phone, &mut p.fax] {
            b(o);
        }
    }
    if let Some(s) = &mut doc.submitter {
        b(&mut s.role);
        b(&mut s.phone);
    }
    for e in &mut doc.exhibit {
        b(&mut e.pages);
        b(&mut e.caption);
    }
    for e in &mut doc.event {
        b(&mut e.reference);
        b(&mut e.counterpart);
        b(&mut e.promised);
    }
    for w in &mut doc.wound {
        b(&mut w.stage);
    }
    for s in &mut doc.submission {
        b(&mut s.confirmation);
        b(&mut s.packet_sha256);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_round_trips_through_its_document() {
        let dir = std::env::temp_dir().join(format!("redress-doc-{}", std::process::id()));
        let folder = crate::demo::write_demo(&dir, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
        let case = super::super::load(&folder).unwrap().case;
        let doc = CaseDoc::from_case(&case);
        assert_eq!(doc.member.name, "Walter Hayes");
        let again = doc.to_case().unwrap();
        assert_eq!(to_toml(&case), to_toml(&again));
        let json = serde_json::to_string(&doc).unwrap();
        let back: CaseDoc = serde_json::from_str(&json).unwrap();
        assert_eq!(back, doc);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn form_errors_name_the_same_keys_as_case_toml() {
        let mut doc = CaseDoc::default();
        doc.case.kind = "provider-appeal".into();
        doc.case.title = "T".into();
        doc.case.program = "erisa".into();
        doc.case.urgency = "standard".into();
        doc.case.notice_date = "2025-13-01".into();
        doc.case.reference = Some("  ".into());
        doc.member = MemberDoc { name: "A B".into(), dob: "1950-01-01".into(), member_id: "1".into(), payer: "P".into(), phone: None };
        doc.provider = Some(ProviderDoc { npi: Some("1234567890".into()), ..Default::default() });
        let Err(Error::Invalid(p)) = doc.to_case() else { panic!() };
        let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        assert!(text.iter().any(|t| t.contains("case.notice_date")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("provider.npi")), "{text:?}");
        assert_eq!(text.len(), 2, "{text:?}");
    }
}
