//! A case as rows: its raw shape as one JSON document, the columns the list queries, and each
//! exhibit's document; read back through the same checks as case.toml.

use crate::model::codec::Checker;
use crate::model::{Case, CaseDoc};
use rusqlite::{params, Connection, OptionalExtension};

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
    /// What is stored is not what this build writes there: what is wrong.
    Damaged(String),
}

impl From<rusqlite::Error> for ReadError {
    fn from(e: rusqlite::Error) -> Self {
        ReadError::Sql(e)
    }
}

/// The case's document as stored.
fn doc_json(case: &Case) -> rusqlite::Result<String> {
    serde_json::to_string(&CaseDoc::from_case(case)).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
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
    tx.execute(
        "INSERT INTO cases (id, folder_name, kind, title, program, notice_date, member_name, created_at, doc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            folder_name,
            i.kind.as_str(),
            i.title,
            i.program.as_str(),
            i.notice_date.format("%Y-%m-%d").to_string(),
            case.member.name,
            now,
            doc_json(case)?
        ],
    )?;
    insert_exhibits(tx, id, case, exhibits)
}

/// Replaces a stored case's data, keeping its id, folder name, creation time and history.
pub(super) fn update_case(tx: &Connection, id: &str, case: &Case, exhibits: &[StoredExhibit]) -> rusqlite::Result<()> {
    let i = &case.info;
    tx.execute(
        "UPDATE cases SET kind = ?2, title = ?3, program = ?4, notice_date = ?5, member_name = ?6, doc = ?7 WHERE id = ?1",
        params![
            id,
            i.kind.as_str(),
            i.title,
            i.program.as_str(),
            i.notice_date.format("%Y-%m-%d").to_string(),
            case.member.name,
            doc_json(case)?
        ],
    )?;
    tx.execute("DELETE FROM exhibits WHERE case_id = ?1", [id])?;
    insert_exhibits(tx, id, case, exhibits)
}

fn insert_exhibits(tx: &Connection, id: &str, case: &Case, exhibits: &[StoredExhibit]) -> rusqlite::Result<()> {
    let mut st = tx.prepare("INSERT INTO exhibits (case_id, position, file, sha256, bytes) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (n, (e, stored)) in case.exhibits.iter().zip(exhibits).enumerate() {
        st.execute(params![id, n as i64, e.file, stored.sha256, stored.bytes as i64])?;
    }
    Ok(())
}

/// Reads one case back, with its exhibits' documents in exhibit order.
pub(super) fn read_case(conn: &Connection, id: &str) -> Result<(Case, Vec<StoredExhibit>), ReadError> {
    let mut st = conn.prepare_cached("SELECT doc FROM cases WHERE id = ?1")?;
    let json: String = st.query_row([id], |r| r.get(0)).optional()?.ok_or(ReadError::Missing)?;
    let doc: CaseDoc =
        serde_json::from_str(&json).map_err(|e| ReadError::Damaged(format!("its stored document is not the case's shape ({e})")))?;
    let mut c = Checker::new("");
    let case = match doc.check(&mut c) {
        Some(case) if c.problems.is_empty() => case,
        _ => {
            let what: Vec<String> = c.problems.iter().map(|p| p.to_string()).collect();
            return Err(ReadError::Damaged(format!("its stored document fails the case's checks: {}", what.join("; "))));
        }
    };
    let mut st = conn.prepare_cached("SELECT file, sha256, bytes FROM exhibits WHERE case_id = ?1 ORDER BY position")?;
    let mut rows = st.query([id])?;
    let mut stored = Vec::new();
    while let Some(row) = rows.next()? {
        let file: String = row.get(0)?;
        let bytes: i64 = row.get(2)?;
        let bytes = u64::try_from(bytes).map_err(|_| ReadError::Damaged(format!("the stored size of {file} is negative")))?;
        stored.push((file, StoredExhibit { sha256: row.get(1)?, bytes }));
    }
    let same_files = stored.len() == case.exhibits.len() && stored.iter().zip(&case.exhibits).all(|((f, _), e)| *f == e.file);
    if !same_files {
        return Err(ReadError::Damaged("its stored documents do not match its exhibits".into()));
    }
    Ok((case, stored.into_iter().map(|(_, s)| s).collect()))
}
