//! The database's schema as a list of migrations, and the checks made before any is applied.
//!
//! `PRAGMA user_version` is the number of migrations applied. A new version of the schema is a
//! new entry at the end of [`MIGRATIONS`]; entries already released are never edited.

use rusqlite::{Connection, TransactionBehavior};

/// Marks a database as Redress's (`PRAGMA application_id`, "RDRS"), so another program's
/// SQLite file given by mistake is refused rather than altered.
pub(super) const APPLICATION_ID: i64 = 0x5244_5253;

/// Migration n (1-based) takes the schema from version n - 1 to n.
pub(super) const MIGRATIONS: &[&str] = &[MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4];

/// The schema version this build writes.
pub(super) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Version 4: the app's settings (how many automatic backups to keep), one row per key, kept
/// with the cases so a backup carries them.
const MIGRATION_4: &str = "
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
";

/// Version 3: the case as one JSON document (`cases.doc`, the raw shape the app edits and
/// case.toml holds) beside the few columns the store queries (the list's title, member, kind,
/// program and notice date); `exhibits` keeps only each exhibit's document (file, SHA-256,
/// size). The document is built from the version-2 columns and child tables, which are then
/// dropped; `history` is untouched. JSON values come from SQLite's own JSON functions; nested
/// results pass through `json()` so they stay JSON rather than quoted text.
const MIGRATION_3: &str = "
ALTER TABLE cases ADD COLUMN doc TEXT NOT NULL DEFAULT '{}';
UPDATE cases SET doc = json_object(
    'case', json_object(
        'kind', kind, 'title', title, 'program', program, 'urgency', urgency, 'notice_date', notice_date,
        'level', level, 'contract_days', contract_days, 'service', service, 'pa_requested', pa_requested,
        'received_date', received_date, 'notice_deadline', notice_deadline, 'reference', reference,
        'claim_number', claim_number, 'authorization_number', authorization_number,
        'denial_reason', denial_reason, 'requested_action', requested_action, 'bates_prefix', bates_prefix,
        'diagnoses', json(diagnoses), 'procedures', json(procedures)),
    'member', json_object('name', member_name, 'dob', member_dob, 'member_id', member_id, 'payer', member_payer,
        'phone', member_phone),
    'provider', json(CASE WHEN has_provider = 1 THEN json_object('organization', provider_organization,
        'clinician', provider_clinician, 'npi', provider_npi, 'phone', provider_phone, 'fax', provider_fax) END),
    'submitter', json(CASE WHEN submitter_name IS NOT NULL THEN json_object('name', submitter_name,
        'role', submitter_role, 'phone', submitter_phone) END),
    'exhibit', json((SELECT json_group_array(json_object('file', file, 'kind', kind, 'date', date, 'title', title,
        'pages', pages, 'caption', caption) ORDER BY position) FROM exhibits x WHERE x.case_id = cases.id)),
    'event', json((SELECT json_group_array(json_object('at', at, 'kind', kind, 'summary', summary,
        'reference', reference, 'counterpart', counterpart, 'promised', promised) ORDER BY position)
        FROM events x WHERE x.case_id = cases.id)),
    'spo2', json((SELECT json_group_array(json_object('at', at, 'percent', percent, 'activity', activity,
        'oxygen_lpm', oxygen_lpm, 'pulse', pulse) ORDER BY position) FROM spo2_readings x WHERE x.case_id = cases.id)),
    'wound', json((SELECT json_group_array(json_object('at', at, 'site', site, 'length_cm', length_cm,
        'width_cm', width_cm, 'depth_cm', depth_cm, 'stage', stage) ORDER BY position)
        FROM wound_measurements x WHERE x.case_id = cases.id)),
    'mobility', json((SELECT json_group_array(json_object('at', at, 'instrument', instrument, 'value', value,
        'unit', unit) ORDER BY position) FROM mobility_scores x WHERE x.case_id = cases.id)),
    'submission', json((SELECT json_group_array(json_object('at', at, 'method', method, 'to', recipient,
        'confirmation', confirmation, 'packet_sha256', packet_sha256) ORDER BY position)
        FROM submissions x WHERE x.case_id = cases.id)),
    'letter', letter);
DROP TABLE events;
DROP TABLE spo2_readings;
DROP TABLE wound_measurements;
DROP TABLE mobility_scores;
DROP TABLE submissions;
ALTER TABLE exhibits DROP COLUMN kind;
ALTER TABLE exhibits DROP COLUMN date;
ALTER TABLE exhibits DROP COLUMN title;
ALTER TABLE exhibits DROP COLUMN pages;
ALTER TABLE exhibits DROP COLUMN caption;
ALTER TABLE cases DROP COLUMN level;
ALTER TABLE cases DROP COLUMN contract_days;
ALTER TABLE cases DROP COLUMN urgency;
ALTER TABLE cases DROP COLUMN received_date;
ALTER TABLE cases DROP COLUMN notice_deadline;
ALTER TABLE cases DROP COLUMN reference;
ALTER TABLE cases DROP COLUMN claim_number;
ALTER TABLE cases DROP COLUMN authorization_number;
ALTER TABLE cases DROP COLUMN denial_reason;
ALTER TABLE cases DROP COLUMN requested_action;
ALTER TABLE cases DROP COLUMN diagnoses;
ALTER TABLE cases DROP COLUMN procedures;
ALTER TABLE cases DROP COLUMN bates_prefix;
ALTER TABLE cases DROP COLUMN member_dob;
ALTER TABLE cases DROP COLUMN member_id;
ALTER TABLE cases DROP COLUMN member_payer;
ALTER TABLE cases DROP COLUMN member_phone;
ALTER TABLE cases DROP COLUMN has_provider;
ALTER TABLE cases DROP COLUMN provider_organization;
ALTER TABLE cases DROP COLUMN provider_clinician;
ALTER TABLE cases DROP COLUMN provider_npi;
ALTER TABLE cases DROP COLUMN provider_phone;
ALTER TABLE cases DROP COLUMN provider_fax;
ALTER TABLE cases DROP COLUMN submitter_name;
ALTER TABLE cases DROP COLUMN submitter_role;
ALTER TABLE cases DROP COLUMN submitter_phone;
ALTER TABLE cases DROP COLUMN letter;
ALTER TABLE cases DROP COLUMN service;
ALTER TABLE cases DROP COLUMN pa_requested;
";

/// Version 2: what was requested (`service`) and when prior authorization was asked for
/// (`pa_requested`), for the decision clocks that depend on them. Cases stored before have
/// neither.
const MIGRATION_2: &str = "
ALTER TABLE cases ADD COLUMN service TEXT;
ALTER TABLE cases ADD COLUMN pa_requested TEXT;
";

/// Version 1: the whole case model. Child rows keep their position so a case comes back in
/// the order its case.toml gave; kinds are stored as their case.toml spelling.
const MIGRATION_1: &str = "
CREATE TABLE cases (
    id TEXT PRIMARY KEY NOT NULL,
    folder_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    program TEXT NOT NULL,
    level TEXT,
    contract_days INTEGER,
    urgency TEXT NOT NULL,
    notice_date TEXT NOT NULL,
    received_date TEXT,
    notice_deadline TEXT,
    reference TEXT,
    claim_number TEXT,
    authorization_number TEXT,
    denial_reason TEXT,
    requested_action TEXT,
    diagnoses TEXT NOT NULL,
    procedures TEXT NOT NULL,
    bates_prefix TEXT,
    member_name TEXT NOT NULL,
    member_dob TEXT NOT NULL,
    member_id TEXT NOT NULL,
    member_payer TEXT NOT NULL,
    member_phone TEXT,
    has_provider INTEGER NOT NULL,
    provider_organization TEXT,
    provider_clinician TEXT,
    provider_npi TEXT,
    provider_phone TEXT,
    provider_fax TEXT,
    submitter_name TEXT,
    submitter_role TEXT,
    submitter_phone TEXT,
    letter TEXT,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE exhibits (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    file TEXT NOT NULL,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    title TEXT NOT NULL,
    pages TEXT,
    caption TEXT,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (case_id, position)
) STRICT;
CREATE INDEX exhibits_by_sha256 ON exhibits(sha256);

CREATE TABLE events (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    reference TEXT,
    counterpart TEXT,
    promised TEXT,
    PRIMARY KEY (case_id, position)
) STRICT;

CREATE TABLE spo2_readings (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    at TEXT NOT NULL,
    percent REAL NOT NULL,
    activity TEXT NOT NULL,
    oxygen_lpm REAL NOT NULL,
    pulse INTEGER,
    PRIMARY KEY (case_id, position)
) STRICT;

CREATE TABLE wound_measurements (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    at TEXT NOT NULL,
    site TEXT NOT NULL,
    length_cm REAL NOT NULL,
    width_cm REAL NOT NULL,
    depth_cm REAL,
    stage TEXT,
    PRIMARY KEY (case_id, position)
) STRICT;

CREATE TABLE mobility_scores (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    at TEXT NOT NULL,
    instrument TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    PRIMARY KEY (case_id, position)
) STRICT;

CREATE TABLE submissions (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    at TEXT NOT NULL,
    method TEXT NOT NULL,
    recipient TEXT NOT NULL,
    confirmation TEXT,
    packet_sha256 TEXT,
    PRIMARY KEY (case_id, position)
) STRICT;

CREATE TABLE history (
    seq INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    what TEXT NOT NULL
) STRICT;
CREATE INDEX history_by_case ON history(case_id, seq);
";

/// Why a file cannot be opened as this build's database.
pub(super) enum Refusal {
    /// Not SQLite, or SQLite reports damage: what was found, and SQLite's error when it gave one.
    Damaged(String, Option<rusqlite::Error>),
    /// Another program's SQLite database.
    Foreign,
    /// Written by a newer Redress: its version.
    Newer(i64),
}

/// Looks at the file before anything is written to it: whose it is, which version, and
/// whether SQLite finds it intact. Reads only.
pub(super) fn inspect(conn: &Connection) -> Result<(), Refusal> {
    let damaged = |e: rusqlite::Error| Refusal::Damaged(e.to_string(), Some(e));
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(damaged)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(damaged)?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(damaged)?;
    if app_id != APPLICATION_ID && (app_id != 0 || tables > 0 || version != 0) {
        return Err(Refusal::Foreign);
    }
    if version > latest() {
        return Err(Refusal::Newer(version));
    }
    if version < 0 {
        return Err(Refusal::Damaged(format!("its schema version {version} is impossible"), None));
    }
    let mut stmt = conn.prepare("PRAGMA quick_check").map_err(damaged)?;
    let findings: Vec<String> =
        stmt.query_map([], |r| r.get::<_, String>(0)).map_err(damaged)?.collect::<Result<_, _>>().map_err(damaged)?;
    match findings.first().map(String::as_str) {
        Some("ok") => Ok(()),
        Some(first) => Err(Refusal::Damaged(
            format!("SQLite's check found {} problem{}, the first: {first}", findings.len(), if findings.len() == 1 { "" } else { "s" }),
            None,
        )),
        None => Err(Refusal::Damaged("SQLite's check gave no answer".into(), None)),
    }
}

/// Applies every migration not yet applied, all in one transaction: a crash leaves the old
/// version whole. The version is read again under the write lock, since another process may
/// have migrated the file since [`inspect`].
pub(super) fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > latest() {
        return Err(MigrateError::Newer(version));
    }
    if version == latest() {
        return Ok(());
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

pub(super) enum MigrateError {
    Sql(rusqlite::Error),
    Newer(i64),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sql(e)
    }
}
