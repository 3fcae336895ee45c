//! The database's schema as a list of migrations, and the checks made before any is applied.
//!
//! `PRAGMA user_version` is the number of migrations applied. A new version of the schema is a
//! new entry at the end of [`MIGRATIONS`]; entries already released are never edited.

use rusqlite::{Connection, TransactionBehavior};

/// Marks a database as Redress's (`PRAGMA application_id`, "RDRS"), so another program's
/// SQLite file given by mistake is refused rather than altered.
pub(super) const APPLICATION_ID: i64 = 0x5244_5253;

/// Migration n (1-based) takes the schema from version n - 1 to n.
pub(super) const MIGRATIONS: &[&str] = &[MIGRATION_1, MIGRATION_2];

/// The schema version this build writes.
pub(super) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

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
    /// Not SQLite, or SQLite reports damage; the detail is SQLite's own words.
    Damaged(String),
    /// Another program's SQLite database.
    Foreign,
    /// Written by a newer Redress: its version.
    Newer(i64),
}

/// Looks at the file before anything is written to it: whose it is, which version, and
/// whether SQLite finds it intact. Reads only.
pub(super) fn inspect(conn: &Connection) -> Result<(), Refusal> {
    let damaged = |e: rusqlite::Error| Refusal::Damaged(e.to_string());
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
        return Err(Refusal::Damaged(format!("its schema version {version} is impossible")));
    }
    let mut stmt = conn.prepare("PRAGMA quick_check").map_err(damaged)?;
    let findings: Vec<String> =
        stmt.query_map([], |r| r.get::<_, String>(0)).map_err(damaged)?.collect::<Result<_, _>>().map_err(damaged)?;
    match findings.first().map(String::as_str) {
        Some("ok") => Ok(()),
        Some(first) => Err(Refusal::Damaged(format!(
            "SQLite's check found {} problem{}, the first: {first}",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" }
        ))),
        None => Err(Refusal::Damaged("SQLite's check gave no answer".into())),
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
