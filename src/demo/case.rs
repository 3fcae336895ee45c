//! The demo case as data: who, what was denied, the exhibits, the history and the readings.

use crate::model::*;
use crate::{Error, Result};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, TimeDelta};

pub(super) const MEMBER: &str = "Walter Hayes";
pub(super) const DOB: (i32, u32, u32) = (1947, 3, 14);
pub(super) const MEMBER_ID: &str = "MAH4417730921";
pub(super) const MEMBER_PHONE: &str = "773-555-0192";
pub(super) const PAYER: &str = "Lakeshore Advantage Plus (HMO)";
pub(super) const ORGANIZATION: &str = "Northside Home Medical";
pub(super) const CLINICIAN: &str = "Priya Natarajan, MD";
/// Luhn-valid with the 80840 prefix (checked in the tests).
pub(super) const NPI: &str = "1829475635";
pub(super) const PROVIDER_PHONE: &str = "312-555-0148";
pub(super) const PROVIDER_FAX: &str = "312-555-0149";
pub(super) const SUBMITTER: &str = "Dana Whitfield";
pub(super) const SUBMITTER_ROLE: &str = "Intake coordinator";
pub(super) const SUBMITTER_PHONE: &str = "312-555-0148 ext. 214";
pub(super) const AUTHORIZATION: &str = "PA-88213406";
pub(super) const PLAN_UM_FAX: &str = "312-555-0186";
pub(super) const CALL1_REF: &str = "LAP-C-118204";
pub(super) const CALL2_REF: &str = "LAP-A-220761";
pub(super) const ELIGIBILITY_REF: &str = "ELIG-20931";
pub(super) const DENIAL_REASON: &str = "Not medically necessary: qualifying oxygen saturation not documented";
pub(super) const REQUESTED_ACTION: &str = "Approve home oxygen concentrator (E1390), 2 L/min continuous by nasal cannula, 12 months";

/// The exhibit files, relative to the case folder.
pub(super) const OXIMETRY_SCAN: &str = "docs/overnight-oximetry-report.pdf";
pub(super) const PROGRESS_NOTE: &str = "docs/progress-note.md";
pub(super) const OXIMETER_PHOTO: &str = "docs/oximeter-photo.jpg";
pub(super) const ORDER: &str = "docs/order-home-oxygen.pdf";
pub(super) const FAX_CONFIRMATION: &str = "docs/fax-confirmation.tiff";
pub(super) const PORTAL_SCREENSHOT: &str = "docs/portal-status.png";
pub(super) const DENIAL_LETTER: &str = "docs/denial-notice.pdf";
pub(super) const CALL_LOG: &str = "docs/call-log.txt";

/// Every date of the story, counted from the day the demo is written so its deadlines are live.
pub(super) struct Dates {
    today: NaiveDate,
}

/// The furthest the story reaches from `today`, in days, either way.
const SPAN: u64 = 400;

impl Dates {
    pub fn new(today: NaiveDate) -> Result<Dates> {
        // Checked once here so that `day` can use plain arithmetic.
        if today.checked_sub_days(Days::new(SPAN)).is_none() || today.checked_add_days(Days::new(SPAN)).is_none() {
            return Err(Error::Other(format!("{today} is too close to the end of the calendar for a demo case")));
        }
        Ok(Dates { today })
    }

    /// The date `offset` days from today.
    pub fn day(&self, offset: i64) -> NaiveDate {
        self.today + TimeDelta::days(offset.clamp(-(SPAN as i64), SPAN as i64))
    }

    pub fn oximetry_night(&self) -> NaiveDate {
        self.day(-33)
    }
    pub fn oximetry_report(&self) -> NaiveDate {
        self.day(-32)
    }
    pub fn visit(&self) -> NaiveDate {
        self.day(-31)
    }
    pub fn order(&self) -> NaiveDate {
        self.day(-30)
    }
    pub fn verification(&self) -> NaiveDate {
        self.day(-29)
    }
    pub fn fax(&self) -> NaiveDate {
        self.day(-28)
    }
    pub fn first_call(&self) -> NaiveDate {
        self.day(-24)
    }
    /// The decision date promised on the first call; it passes with nothing.
    pub fn first_promise(&self) -> NaiveDate {
        self.day(-21)
    }
    pub fn portal_check(&self) -> NaiveDate {
        self.day(-19)
    }
    pub fn notice(&self) -> NaiveDate {
        self.day(-12)
    }
    pub fn second_call(&self) -> NaiveDate {
        self.day(-10)
    }
    /// The notice came by mail the day before the call to the appeals line.
    pub fn received(&self) -> NaiveDate {
        self.day(-11)
    }
    pub fn second_promise(&self) -> NaiveDate {
        self.day(2)
    }
    /// The filing deadline printed on the notice: 65 days (42 CFR 422.582(b)).
    pub fn notice_deadline(&self) -> NaiveDate {
        self.day(-12 + 65)
    }
    pub fn dob(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(DOB.0, DOB.1, DOB.2).unwrap_or_default()
    }
    /// The plan's case number, which carries the year of the notice as plans' numbers do.
    pub fn reference(&self) -> String {
        format!("LAP-UM-{}-041773", self.notice().year())
    }
}

/// A wall-clock moment on `date`.
pub(super) fn at(date: NaiveDate, hour: u32, minute: u32) -> Moment {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN);
    Moment { local: date.and_time(time), has_time: true, offset: None }
}

fn on(date: NaiveDate) -> Moment {
    Moment { local: date.and_time(NaiveTime::MIN), has_time: false, offset: None }
}

/// An exhibit named by `id`, which the letter cites it by.
fn exhibit(id: &str, file: &str, kind: ExhibitKind, date: NaiveDate, title: &str, caption: Option<&str>) -> Exhibit {
    Exhibit {
        file: file.into(),
        kind,
        date,
        title: title.into(),
        pages: None,
        caption: caption.map(Into::into),
        id: Some(id.into()),
        meets: Vec::new(),
    }
}

fn event(
    at: Moment,
    kind: EventKind,
    summary: &str,
    reference: Option<&str>,
    counterpart: Option<&str>,
    promised: Option<Moment>,
) -> Event {
    Event { at, kind, summary: summary.into(), reference: reference.map(Into::into), counterpart: counterpart.map(Into::into), promised }
}

fn spo2(at: Moment, percent: f64, activity: Activity, oxygen_lpm: f64, pulse: u32) -> Spo2Reading {
    Spo2Reading { at, percent, activity, oxygen_lpm, pulse: Some(pulse) }
}

/// The whole demo case.
pub(super) fn build(d: &Dates) -> Case {
    let reference = d.reference();
    let info = CaseInfo {
        kind: CaseKind::ProviderAppeal,
        title: "Home oxygen authorization denial".into(),
        program: Program::MedicareAdvantage,
        urgency: Urgency::Standard,
        service: Some(Service::HomeOxygen),
        // The fax of the request; the plan's 7-day clock ran out long before its denial.
        pa_requested: Some(at(d.fax(), 14, 40)),
        notice_date: d.notice(),
        received_date: Some(d.received()),
        notice_deadline: Some(d.notice_deadline()),
        reference: Some(reference.clone()),
        authorization_number: Some(AUTHORIZATION.into()),
        denial_reason: Some(DENIAL_REASON.into()),
        requested_action: Some(REQUESTED_ACTION.into()),
        diagnoses: vec!["J44.1".into(), "R09.02".into()],
        procedures: vec!["E1390".into()],
        // Whatever the demo does not give stays empty, so a new optional field needs no line here.
        ..CaseInfo::default()
    };
    let exhibits = vec![
        exhibit(
            "oximetry",
            OXIMETRY_SCAN,
            ExhibitKind::OxygenLog,
            d.oximetry_report(),
            "Overnight pulse oximetry report, room air (scanned)",
            None,
        ),
        exhibit(
            "progress-note",
            PROGRESS_NOTE,
            ExhibitKind::ProgressNote,
            d.visit(),
            "Pulmonary follow-up visit with 6-minute walk test",
            None,
        ),
        exhibit(
            "oximeter-photo",
            OXIMETER_PHOTO,
            ExhibitKind::OxygenLog,
            d.visit(),
            "Photo of fingertip oximeter during the visit",
            Some("At rest on room air: SpO2 88%, pulse 96"),
        ),
        exhibit("order", ORDER, ExhibitKind::PhysicianOrder, d.order(), "Signed standard written order for home oxygen", None),
        exhibit(
            "fax-confirmation",
            FAX_CONFIRMATION,
            ExhibitKind::FaxConfirmation,
            d.fax(),
            "Fax transmission report: prior authorization request",
            None,
        ),
        exhibit(
            "portal-status",
            PORTAL_SCREENSHOT,
            ExhibitKind::Screenshot,
            d.portal_check(),
            "Plan portal: request still pending after the promised date",
            None,
        ),
        exhibit("denial", DENIAL_LETTER, ExhibitKind::DenialLetter, d.notice(), "Notice of denial of medical coverage", None),
        exhibit("call-log", CALL_LOG, ExhibitKind::Correspondence, d.second_call(), "Call log kept by the intake coordinator", None),
    ];
    // The visit note is where the treating practitioner reads the oximetry: stated, so the
    // checklist shows the key at work.
    let exhibits: Vec<Exhibit> = exhibits
        .into_iter()
        .map(|e| match e.id.as_deref() {
            Some("progress-note") => Exhibit { meets: vec!["oxygen-practitioner-evaluation".into()], ..e },
            _ => e,
        })
        .collect();
    let events = vec![
        event(
            at(d.order(), 16, 10),
            EventKind::Order,
            "Dr. Natarajan signed the order for home oxygen, 2 L/min continuous, 12 months",
            None,
            None,
            None,
        ),
        event(
            at(d.verification(), 9, 5),
            EventKind::Verification,
            "Eligibility and DME benefits verified on the plan portal; prior authorization required for E1390",
            Some(ELIGIBILITY_REF),
            Some("Lakeshore provider portal"),
            None,
        ),
        event(
            at(d.fax(), 14, 40),
            EventKind::Fax,
            "Prior authorization request faxed with order, overnight oximetry and progress note (9 pages)",
            Some(AUTHORIZATION),
            Some(&format!("Lakeshore utilization management, fax {PLAN_UM_FAX}")),
            None,
        ),
        event(
            at(d.first_call(), 11, 15),
            EventKind::Call,
            "Called plan utilization management: request received and pending clinical review; decision promised",
            Some(CALL1_REF),
            Some("Denise R., utilization management intake"),
            Some(at(d.first_promise(), 17, 0)),
        ),
        event(
            on(d.notice()),
            EventKind::Denial,
            "Plan denied the request: qualifying oxygen saturation not documented (not medically necessary)",
            Some(&reference),
            None,
            None,
        ),
        event(
            at(d.second_call(), 15, 20),
            EventKind::Call,
            "Called plan appeals: provider may request reconsideration for the member; case file and review criteria promised",
            Some(CALL2_REF),
            Some("Marcus T., Appeals and Grievances"),
            Some(at(d.second_promise(), 17, 0)),
        ),
    ];
    let night = d.oximetry_night();
    let morning = d.oximetry_report();
    let visit = d.visit();
    let earlier = d.day(-45);
    let spo2 = vec![
        spo2(at(earlier, 10, 20), 90.0, Activity::Rest, 0.0, 91),
        spo2(at(earlier, 10, 40), 86.0, Activity::Exertion, 0.0, 108),
        spo2(at(night, 23, 40), 87.0, Activity::Sleep, 0.0, 78),
        spo2(at(morning, 2, 15), 84.0, Activity::Sleep, 0.0, 74),
        spo2(at(morning, 4, 30), 86.0, Activity::Sleep, 0.0, 76),
        spo2(at(visit, 10, 30), 88.0, Activity::Rest, 0.0, 96),
        spo2(at(visit, 10, 50), 83.0, Activity::Exertion, 0.0, 112),
        spo2(at(visit, 11, 5), 92.0, Activity::Exertion, 2.0, 104),
        spo2(at(visit, 11, 20), 95.0, Activity::Rest, 2.0, 90),
    ];
    let walk = |date, metres| MobilityScore { at: on(date), instrument: "6-minute walk test".into(), value: metres, unit: "m".into() };
    let mobility = vec![walk(d.day(-75), 280.0), walk(earlier, 245.0), walk(visit, 210.0)];
    Case {
        info,
        member: Member {
            name: MEMBER.into(),
            dob: d.dob(),
            member_id: MEMBER_ID.into(),
            payer: PAYER.into(),
            phone: Some(MEMBER_PHONE.into()),
        },
        provider: Some(Provider {
            organization: Some(ORGANIZATION.into()),
            clinician: Some(CLINICIAN.into()),
            npi: Some(NPI.into()),
            phone: Some(PROVIDER_PHONE.into()),
            fax: Some(PROVIDER_FAX.into()),
        }),
        submitter: Some(Submitter { name: SUBMITTER.into(), role: Some(SUBMITTER_ROLE.into()), phone: Some(SUBMITTER_PHONE.into()) }),
        exhibits,
        events,
        spo2,
        wounds: Vec::new(),
        mobility,
        submissions: Vec::new(),
        letter: None,
    }
}
