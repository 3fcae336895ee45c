//! A case as rows: written in one transaction, read back into the model exactly as imported.

use crate::model::*;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

/// What a stored exhibit adds to the model's: the document's hash and size.
#[derive(Debug, Clone)]
pub(super) struct StoredExhibit {
    pub sha256: String,
    pub bytes: u64,
}

/// Why a stored case could not be read back.
pub(super) enum ReadError {
    Sql(rusqlite::Error),
    /// No case with that id.
    Missing,
    /// A stored value is not what this build writes there: the column.
    Damaged(&'static str),
}

impl From<rusqlite::Error> for ReadError {
    fn from(e: rusqlite::Error) -> Self {
        ReadError::Sql(e)
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Inserts the whole case; the caller owns the transaction.
pub(super) fn insert_case(
    tx: &Connection,
    id: &str,
    folder_name: &str,
    case: &Case,
    exhibits: &[StoredExhibit],
    now: &str,
) -> rusqlite::Result<()> {
    let i = &case.info;
    let m = &case.member;
    let p = case.provider.as_ref();
    let s = case.submitter.as_ref();
    let json = |codes: &[String]| serde_json::to_string(codes).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)));
    let (diagnoses, procedures) = (json(&i.diagnoses)?, json(&i.procedures)?);
    tx.execute(
        "INSERT INTO cases (id, folder_name, kind, title, program, level, contract_days, urgency,
            notice_date, received_date, notice_deadline, reference, claim_number, authorization_number,
            denial_reason, requested_action, diagnoses, procedures, bates_prefix,
            member_name, member_dob, member_id, member_payer, member_phone,
            has_provider, provider_organization, provider_clinician, provider_npi, provider_phone, provider_fax,
            submitter_name, submitter_role, submitter_phone, letter, created_at, service, pa_requested)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
            ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37)",
        params![
            id,
            folder_name,
            i.kind.as_str(),
            i.title,
            i.program.as_str(),
            i.level,
            i.contract_days,
            i.urgency.as_str(),
            date(i.notice_date),
            i.received_date.map(date),
            i.notice_deadline.map(date),
            i.reference,
            i.claim_number,
            i.authorization_number,
            i.denial_reason,
            i.requested_action,
            diagnoses,
            procedures,
            i.bates_prefix,
            m.name,
            date(m.dob),
            m.member_id,
            m.payer,
            m.phone,
            p.is_some(),
            p.and_then(|p| p.organization.clone()),
            p.and_then(|p| p.clinician.clone()),
            p.and_then(|p| p.npi.clone()),
            p.and_then(|p| p.phone.clone()),
            p.and_then(|p| p.fax.clone()),
            s.map(|s| s.name.clone()),
            s.and_then(|s| s.role.clone()),
            s.and_then(|s| s.phone.clone()),
            case.letter,
            now,
            i.service.map(|s| s.as_str()),
            i.pa_requested.map(|m| m.to_string()),
        ],
    )?;
    let mut st = tx.prepare("INSERT INTO exhibits (case_id, position, file, kind, date, title, pages, caption, sha256, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?;
    for (n, (e, stored)) in case.exhibits.iter().zip(exhibits).enumerate() {
        st.execute(params![
            id,
            n as i64,
            e.file,
            e.kind.as_str(),
            date(e.date),
            e.title,
            e.pages.as_ref().map(|p| p.text.clone()),
            e.caption,
            stored.sha256,
            stored.bytes as i64
        ])?;
    }
    let mut st = tx.prepare("INSERT INTO events (case_id, position, at, kind, summary, reference, counterpart, promised) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
    for (n, e) in case.events.iter().enumerate() {
        st.execute(params![
            id,
            n as i64,
            e.at.to_string(),
            e.kind.as_str(),
            e.summary,
            e.reference,
            e.counterpart,
            e.promised.map(|p| p.to_string())
        ])?;
    }
    let mut st = tx.prepare(
        "INSERT INTO spo2_readings (case_id, position, at, percent, activity, oxygen_lpm, pulse) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (n, r) in case.spo2.iter().enumerate() {
        st.execute(params![id, n as i64, r.at.to_string(), r.percent, r.activity.as_str(), r.oxygen_lpm, r.pulse])?;
    }
    let mut st = tx.prepare("INSERT INTO wound_measurements (case_id, position, at, site, length_cm, width_cm, depth_cm, stage) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
    for (n, w) in case.wounds.iter().enumerate() {
        st.execute(params![id, n as i64, w.at.to_string(), w.site, w.length_cm, w.width_cm, w.depth_cm, w.stage])?;
    }
    let mut st =
        tx.prepare("INSERT INTO mobility_scores (case_id, position, at, instrument, value, unit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    for (n, m) in case.mobility.iter().enumerate() {
        st.execute(params![id, n as i64, m.at.to_string(), m.instrument, m.value, m.unit])?;
    }
    let mut st = tx.prepare("INSERT INTO submissions (case_id, position, at, method, recipient, confirmation, packet_sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
    for (n, s) in case.submissions.iter().enumerate() {
        st.execute(params![id, n as i64, s.at.to_string(), s.method.as_str(), s.to, s.confirmation, s.packet_sha256])?;
    }
    Ok(())
}

/// Parses a stored value, naming the column when it is not what this build writes.
fn parse<T>(text: &str, column: &'static str, f: impl Fn(&str) -> Option<T>) -> Result<T, ReadError> {
    f(text).ok_or(ReadError::Damaged(column))
}

fn parse_opt<T>(text: Option<String>, column: &'static str, f: impl Fn(&str) -> Option<T>) -> Result<Option<T>, ReadError> {
    text.map(|t| parse(&t, column, &f)).transpose()
}

fn ymd(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn codes(s: &str) -> Option<Vec<String>> {
    serde_json::from_str(s).ok()
}

/// Reads one case back, with its exhibits' hashes in exhibit order.
pub(super) fn read_case(conn: &Connection, id: &str) -> Result<(Case, Vec<StoredExhibit>), ReadError> {
    let mut st = conn.prepare_cached("SELECT * FROM cases WHERE id = ?1")?;
    let row = st.query_row([id], |r| Ok(CaseRow::read(r))).optional()?.ok_or(ReadError::Missing)?;
    let r = row?;
    let info = CaseInfo {
        kind: parse(&r.kind, "cases.kind", CaseKind::parse)?,
        title: r.title,
        program: parse(&r.program, "cases.program", Program::parse)?,
        level: r.level,
        contract_days: r.contract_days.map(|d| u32::try_from(d).map_err(|_| ReadError::Damaged("cases.contract_days"))).transpose()?,
        urgency: parse(&r.urgency, "cases.urgency", Urgency::parse)?,
        service: parse_opt(r.service, "cases.service", Service::parse)?,
        pa_requested: parse_opt(r.pa_requested, "cases.pa_requested", Moment::parse)?,
        notice_date: parse(&r.notice_date, "cases.notice_date", ymd)?,
        received_date: parse_opt(r.received_date, "cases.received_date", ymd)?,
        notice_deadline: parse_opt(r.notice_deadline, "cases.notice_deadline", ymd)?,
        reference: r.reference,
        claim_number: r.claim_number,
        authorization_number: r.authorization_number,
        denial_reason: r.denial_reason,
        requested_action: r.requested_action,
        diagnoses: parse(&r.diagnoses, "cases.diagnoses", codes)?,
        procedures: parse(&r.procedures, "cases.procedures", codes)?,
        bates_prefix: r.bates_prefix,
    };
    let member = Member {
        name: r.member_name,
        dob: parse(&r.member_dob, "cases.member_dob", ymd)?,
        member_id: r.member_id,
        payer: r.member_payer,
        phone: r.member_phone,
    };
    let provider = r.has_provider.then_some(Provider {
        organization: r.provider_organization,
        clinician: r.provider_clinician,
        npi: r.provider_npi,
        phone: r.provider_phone,
        fax: r.provider_fax,
    });
    let submitter = r.submitter_name.map(|name| Submitter { name, role: r.submitter_role, phone: r.submitter_phone });

    let mut exhibits = Vec::new();
    let mut stored = Vec::new();
    let mut st = conn.prepare_cached(
        "SELECT file, kind, date, title, pages, caption, sha256, bytes FROM exhibits WHERE case_id = ?1 ORDER BY position",
    )?;
    let mut rows = st.query([id])?;
    while let Some(row) = rows.next()? {
        let pages: Option<String> = row.get(4)?;
        exhibits.push(Exhibit {
            file: row.get(0)?,
            kind: parse(&row.get::<_, String>(1)?, "exhibits.kind", ExhibitKind::parse)?,
            date: parse(&row.get::<_, String>(2)?, "exhibits.date", ymd)?,
            title: row.get(3)?,
            pages: parse_opt(pages, "exhibits.pages", PageSelection::parse)?,
            caption: row.get(5)?,
        });
        let bytes: i64 = row.get(7)?;
        stored.push(StoredExhibit { sha256: row.get(6)?, bytes: u64::try_from(bytes).map_err(|_| ReadError::Damaged("exhibits.bytes"))? });
    }

    let mut events = Vec::new();
    let mut st =
        conn.prepare_cached("SELECT at, kind, summary, reference, counterpart, promised FROM events WHERE case_id = ?1 ORDER BY position")?;
    let mut rows = st.query([id])?;
    while let Some(row) = rows.next()? {
        events.push(Event {
            at: parse(&row.get::<_, String>(0)?, "events.at", Moment::parse)?,
            kind: parse(&row.get::<_, String>(1)?, "events.kind", EventKind::parse)?,
            summary: row.get(2)?,
            reference: row.get(3)?,
            counterpart: row.get(4)?,
            promised: parse_opt(row.get(5)?, "events.promised", Moment::parse)?,
        });
    }

    let mut spo2 = Vec::new();
    let mut st =
        conn.prepare_cached("SELECT at, percent, activity, oxygen_lpm, pulse FROM spo2_readings WHERE case_id = ?1 ORDER BY position")?;
    let mut rows = st.query([id])?;
    while let Some(row) = rows.next()? {
        let pulse: Option<i64> = row.get(4)?;
        spo2.push(Spo2Reading {
            at: parse(&row.get::<_, String>(0)?, "spo2_readings.at", Moment::parse)?,
            percent: row.get(1)?,
            activity: parse(&row.get::<_, String>(2)?, "spo2_readings.activity", Activity::parse)?,
            oxygen_lpm: row.get(3)?,
            pulse: pulse.map(|p| u32::try_from(p).map_err(|_| ReadError::Damaged("spo2_readings.pulse"))).transpose()?,
        });
    }

    let mut wounds = Vec::new();
    let mut st = conn.prepare_cached(
        "SELECT at, site, length_cm, width_cm, depth_cm, stage FROM wound_measurements WHERE case_id = ?1 ORDER BY position",
    )?;
    let mut rows = st.query([id])?;
    while let Some(row) = rows.next()? {
        wounds.push(WoundMeasurement {
            at: parse(&row.get::<_, String>(0)?, "wound_measurements.at", Moment::parse)?,
            site: row.get(1)?,
            length_cm: row.get(2)?,
            width_cm: row.get(3)?,
            depth_cm: row.get(4)?,
            stage: row.get(5)?,
        });
    }

    let mut mobility = Vec::new();
    let mut st = conn.prepare_cached("SELECT at, instrument, value, unit FROM mobility_scores WHERE case_id = ?1 ORDER BY position")?;
    let mut rows = st.query([id])?;
    while let Some(row) = rows.next()? {
        mobility.push(MobilityScore {
            at: parse(&row.get::<_, String>(0)?, "mobility_scores.at", Moment::parse)?,
            instrument: row.get(1)?,
            value: row.get(2)?,
            unit: row.get(3)?,
        });
    }

    let mut submissions = Vec::new();
    let mut st = conn.prepare_cached(
        "SELECT at, method, recipient, confirmation, packet_sha256 FROM submissions WHERE case_id = ?1 ORDER BY position",
    )?;
    let mut rows = st.query([id])?;
    while let Some(row) = rows.next()? {
        submissions.push(Submission {
            at: parse(&row.get::<_, String>(0)?, "submissions.at", Moment::parse)?,
            method: parse(&row.get::<_, String>(1)?, "submissions.method", SubmissionMethod::parse)?,
            to: row.get(2)?,
            confirmation: row.get(3)?,
            packet_sha256: row.get(4)?,
        });
    }

    let case = Case { info, member, provider, submitter, exhibits, events, spo2, wounds, mobility, submissions, letter: r.letter };
    Ok((case, stored))
}

/// The `cases` row, read by column name so the query survives added columns.
struct CaseRow {
    kind: String,
    title: String,
    program: String,
    level: Option<String>,
    contract_days: Option<i64>,
    urgency: String,
    service: Option<String>,
    pa_requested: Option<String>,
    notice_date: String,
    received_date: Option<String>,
    notice_deadline: Option<String>,
    reference: Option<String>,
    claim_number: Option<String>,
    authorization_number: Option<String>,
    denial_reason: Option<String>,
    requested_action: Option<String>,
    diagnoses: String,
    procedures: String,
    bates_prefix: Option<String>,
    member_name: String,
    member_dob: String,
    member_id: String,
    member_payer: String,
    member_phone: Option<String>,
    has_provider: bool,
    provider_organization: Option<String>,
    provider_clinician: Option<String>,
    provider_npi: Option<String>,
    provider_phone: Option<String>,
    provider_fax: Option<String>,
    submitter_name: Option<String>,
    submitter_role: Option<String>,
    submitter_phone: Option<String>,
    letter: Option<String>,
}

impl CaseRow {
    fn read(r: &Row) -> rusqlite::Result<CaseRow> {
        Ok(CaseRow {
            kind: r.get("kind")?,
            title: r.get("title")?,
            program: r.get("program")?,
            level: r.get("level")?,
            contract_days: r.get("contract_days")?,
            urgency: r.get("urgency")?,
            service: r.get("service")?,
            pa_requested: r.get("pa_requested")?,
            notice_date: r.get("notice_date")?,
            received_date: r.get("received_date")?,
            notice_deadline: r.get("notice_deadline")?,
            reference: r.get("reference")?,
            claim_number: r.get("claim_number")?,
            authorization_number: r.get("authorization_number")?,
            denial_reason: r.get("denial_reason")?,
            requested_action: r.get("requested_action")?,
            diagnoses: r.get("diagnoses")?,
            procedures: r.get("procedures")?,
            bates_prefix: r.get("bates_prefix")?,
            member_name: r.get("member_name")?,
            member_dob: r.get("member_dob")?,
            member_id: r.get("member_id")?,
            member_payer: r.get("member_payer")?,
            member_phone: r.get("member_phone")?,
            has_provider: r.get("has_provider")?,
            provider_organization: r.get("provider_organization")?,
            provider_clinician: r.get("provider_clinician")?,
            provider_npi: r.get("provider_npi")?,
            provider_phone: r.get("provider_phone")?,
            provider_fax: r.get("provider_fax")?,
            submitter_name: r.get("submitter_name")?,
            submitter_role: r.get("submitter_role")?,
            submitter_phone: r.get("submitter_phone")?,
            letter: r.get("letter")?,
        })
    }
}
