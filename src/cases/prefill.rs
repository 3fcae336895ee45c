//! Values read from a file (a denial notice, a claim file) for the fields of a case, each with
//! where it came from; and what accepting them does: the values put into the case's document,
//! checked as case.toml is, and the notice kept as the case's denial-letter exhibit — all in one
//! transaction, or nothing at all.

use super::ops::{safe_name, tidy, unique_exhibit_id, unique_file};
use crate::casefile::{CaseDoc, CaseInfoDoc, MemberDoc, ProviderDoc, SubmitterDoc, CASE_FILE};
use crate::error::{Error, Problem, Result};
use crate::model::{Case, Exhibit, ExhibitKind};
use crate::store::Store;
use crate::words::{Rect, WordSource};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A value read from a file for one field of a case, with where it came from. Nothing is saved
/// until the person accepts, corrects or clears it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Prefill {
    /// The `CaseDoc` key it fills, as case.toml spells it: "case.notice_date", "member.member_id",
    /// "case.diagnoses" (a list key: one code per Prefill), "case.program", "case.notice_deadline"…
    pub target: String,
    /// The field's name for people ("Member ID").
    pub label: String,
    /// The value in the form the key takes (dates as YYYY-MM-DD), always found in `source.text`
    /// or computed from it (a stated "within 60 days" deadline; say how in `source.note`).
    pub value: String,
    pub source: Provenance,
}

/// Where a [`Prefill`]'s value came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Provenance {
    /// The page (from 1) and box (`crate::words::Rect`, units of that page) for a notice; `None`
    /// for a claim file.
    pub page: Option<u32>,
    pub rect: Option<Rect>,
    /// What it was read from: the notice's line, the FHIR path, the 835 segment.
    pub text: String,
    /// 0–1.
    pub confidence: f32,
    /// Why, where the value is not the text itself ("60 days from the notice date 2026-03-02",
    /// "the form CMS-10003-NDMC is Medicare Advantage's").
    pub note: Option<String>,
}

/// One page of a file read: its size in its boxes' units and where its words came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ReadPage {
    pub page: u32,
    pub width: f32,
    pub height: f32,
    pub source: WordSource,
}

/// What reading one file found, for the app's confirm view and the command line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Reading {
    pub file_name: String,
    /// "notice" or "claim".
    pub kind: String,
    /// Each page's size in its boxes' units and where its words came from (empty for a claim).
    pub pages: Vec<ReadPage>,
    pub values: Vec<Prefill>,
    /// Fields looked for and not found ("No member ID was found"), and other things to know.
    pub notes: Vec<String>,
}

/// Puts accepted values into `doc`: a list key's value is appended unless the list has it
/// already, any other key's value replaces what was there. An unknown target, or a value a key
/// cannot hold, is a problem naming the target; every problem is returned at once and `doc` is
/// left as it was. The result is checked by the usual codecs (`CaseDoc::to_case`) before
/// anything is saved.
pub fn apply(doc: &mut CaseDoc, accepted: &[Prefill]) -> std::result::Result<(), Vec<Problem>> {
    let mut tables = Tables::of(doc);
    let mut problems = Vec::new();
    for p in accepted {
        if let Err(message) = tables.set(&p.target, p.value.trim()) {
            problems.push(Problem::new(CASE_FILE, p.target.as_str(), message));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    tables.into_doc(doc).map_err(|(key, message)| vec![Problem::new(CASE_FILE, key.as_str(), message)])
}

/// The tables a value can fill, as JSON objects keyed as case.toml keys them.
struct Tables(serde_json::Map<String, serde_json::Value>);

/// The tables of one entry each, with their keys and the keys that hold lists.
fn table_keys(table: &str) -> Option<(&'static [&'static str], serde_json::Value)> {
    let default_of = |v: std::result::Result<serde_json::Value, serde_json::Error>| v.unwrap_or_default();
    Some(match table {
        "case" => (CaseInfoDoc::KEYS, default_of(serde_json::to_value(CaseInfoDoc::default()))),
        "member" => (MemberDoc::KEYS, default_of(serde_json::to_value(MemberDoc::default()))),
        "provider" => (ProviderDoc::KEYS, default_of(serde_json::to_value(ProviderDoc::default()))),
        "submitter" => (SubmitterDoc::KEYS, default_of(serde_json::to_value(SubmitterDoc::default()))),
        _ => return None,
    })
}

impl Tables {
    fn of(doc: &CaseDoc) -> Tables {
        match serde_json::to_value(doc) {
            Ok(serde_json::Value::Object(map)) => Tables(map),
            _ => Tables(serde_json::Map::new()),
        }
    }

    fn set(&mut self, target: &str, value: &str) -> std::result::Result<(), String> {
        let unknown = || format!("`{target}` is not a key of case.toml a value can be read into");
        let (table, key) = target.split_once('.').ok_or_else(unknown)?;
        let (keys, defaults) = table_keys(table).ok_or_else(unknown)?;
        if !keys.contains(&key) {
            return Err(unknown());
        }
        if value.is_empty() {
            return Err("the value is empty".into());
        }
        let entry = self.0.entry(table.to_string()).or_insert_with(|| serde_json::Value::Object(Default::default()));
        if !entry.is_object() {
            *entry = serde_json::Value::Object(Default::default());
        }
        let fields = entry.as_object_mut().ok_or_else(unknown)?;
        if defaults.get(key).is_some_and(serde_json::Value::is_array) {
            let list = fields.entry(key.to_string()).or_insert_with(|| serde_json::Value::Array(Vec::new()));
            if let serde_json::Value::Array(items) = list {
                if !items.iter().any(|v| v.as_str() == Some(value)) {
                    items.push(value.into());
                }
            }
        } else {
            fields.insert(key.to_string(), value.into());
        }
        Ok(())
    }

    /// The document back; a key whose raw form is a number (`contract_days`) takes the value as
    /// a number.
    fn into_doc(mut self, doc: &mut CaseDoc) -> std::result::Result<(), (String, String)> {
        for (table, fields) in self.0.iter_mut() {
            let Some(fields) = fields.as_object_mut() else { continue };
            for (key, v) in fields.iter_mut() {
                if table == "case" && key == "contract_days" {
                    if let Some(text) = v.as_str() {
                        let n: f64 = text.parse().map_err(|_| (format!("case.{key}"), format!("`{text}` is not a number of days")))?;
                        *v = n.into();
                    }
                }
            }
        }
        *doc = serde_json::from_value(serde_json::Value::Object(self.0))
            .map_err(|_| ("case".to_string(), "the values read do not make a case document".to_string()))?;
        Ok(())
    }
}

/// The values a person accepts from `read` with their corrections: every value of a key in
/// `clear` dropped; each `set` (key, value) replacing what was read for its key (given more
/// than once for a list key, each is one entry), its source saying it was given by hand.
pub fn accept_with(read: &[Prefill], set: &[(String, String)], clear: &[String]) -> Vec<Prefill> {
    let dropped = |t: &str| clear.iter().any(|c| c == t) || set.iter().any(|(k, _)| k == t);
    let mut out: Vec<Prefill> = read.iter().filter(|p| !dropped(&p.target)).cloned().collect();
    out.extend(set.iter().map(|(key, value)| Prefill {
        target: key.clone(),
        label: key.clone(),
        value: value.clone(),
        source: Provenance { page: None, rect: None, text: value.clone(), confidence: 1.0, note: Some("given by hand".into()) },
    }));
    out
}

/// The keys a case must have, with what each holds, for naming the ones a reading lacks.
pub const REQUIRED_KEYS: &[(&str, &str)] = &[
    ("case.kind", "provider-appeal | member-grievance | regulator-complaint"),
    ("case.title", "a short title for the case"),
    ("case.program", "the rule set the plan falls under: see `redress rules`"),
    ("case.notice_date", "the date on the notice, YYYY-MM-DD"),
    ("member.name", "the member's name"),
    ("member.dob", "the member's date of birth, YYYY-MM-DD"),
    ("member.member_id", "the member's ID with the plan"),
    ("member.payer", "the plan's name"),
];

/// The required keys (with what each holds) that `doc` with `accepted` in it leaves empty.
pub fn missing_keys(doc: &CaseDoc, accepted: &[Prefill]) -> Vec<(&'static str, &'static str)> {
    let mut doc = doc.clone();
    let _ = apply(&mut doc, accepted);
    let Ok(serde_json::Value::Object(tables)) = serde_json::to_value(&doc) else { return Vec::new() };
    REQUIRED_KEYS
        .iter()
        .filter(|(key, _)| {
            let (table, k) = key.split_once('.').unwrap_or((key, ""));
            tables.get(table).and_then(|t| t.get(k)).and_then(|v| v.as_str()).is_none_or(|v| v.trim().is_empty())
        })
        .copied()
        .collect()
}

/// The case `doc` with the accepted values in it, checked as case.toml is.
fn case_with(doc: &CaseDoc, accepted: &[Prefill]) -> Result<Case> {
    let mut doc = doc.clone();
    apply(&mut doc, accepted).map_err(Error::Invalid)?;
    tidy(&doc).to_case()
}

/// A notice opened as the build opens it, as the case's denial-letter exhibit dated the notice
/// date, under `docs/` with a name and id of its own in the case.
struct NoticeExhibit {
    exhibit: Exhibit,
    path: PathBuf,
    bytes: Vec<u8>,
}

fn notice_exhibit(case: &Case, path: &Path) -> Result<NoticeExhibit> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let file = unique_file(case, &format!("docs/{}", safe_name(&name)));
    let exhibit = Exhibit {
        file: file.clone(),
        kind: ExhibitKind::DenialLetter,
        date: case.info.notice_date,
        title: "Denial notice".into(),
        pages: None,
        caption: None,
        id: Some(unique_exhibit_id(case, "docs/denial-notice")),
        meets: Vec::new(),
    };
    crate::packet::check_exhibit(&exhibit, &bytes).map_err(|why| Error::Document { file: name, why })?;
    Ok(NoticeExhibit { exhibit, path: path.to_path_buf(), bytes })
}

/// Creates a case from the new-case form's document and the values accepted from a reading, and
/// for a notice, the file as its denial-letter exhibit dated the notice date. The case and its
/// exhibit are written in one transaction: when anything is wrong (a value, the file) nothing
/// is saved. (The notice's content goes into the vault just before; should the transaction
/// fail, no case refers to it and the store's clean-up of unused documents removes it, as for
/// `add_documents`.) Returns the new case's id.
pub fn create_case_from_reading(store: &mut Store, doc: &CaseDoc, accepted: &[Prefill], notice: Option<&Path>) -> Result<String> {
    let mut case = case_with(doc, accepted)?;
    let mut documents = HashMap::new();
    if let Some(path) = notice {
        let n = notice_exhibit(&case, path)?;
        documents.insert(n.exhibit.file.clone(), store.vault().put(&n.path)?);
        case.exhibits.push(n.exhibit);
    }
    let name = format!("{} {}", case.member.last_name(), case.info.title);
    store.create_case(&case, &name, &documents)
}

/// Saves a stored case's document with the values accepted from a reading in it, and for a
/// notice the case does not hold yet, the file as its denial-letter exhibit dated the notice
/// date: one transaction, nothing saved when anything is wrong. Returns the exhibit's `file`
/// when one was added.
pub fn add_reading_to_case(
    store: &mut Store,
    id: &str,
    doc: &CaseDoc,
    accepted: &[Prefill],
    notice: Option<&Path>,
) -> Result<Option<String>> {
    let mut case = case_with(doc, accepted)?;
    let mut added = HashMap::new();
    if let Some(path) = notice {
        let n = notice_exhibit(&case, path)?;
        let (_, held) = store.case_with_documents(id)?;
        let sha = store.vault().put(&n.path)?;
        if !held.values().any(|s| *s == sha) {
            added.insert(n.exhibit.file.clone(), sha);
            case.exhibits.push(n.exhibit);
        }
    }
    store.save_case(id, &case, &added)?;
    Ok(added.into_keys().next())
}

/// Writes a new case folder `dir` from `doc` with the accepted values in it: case.toml, and for
/// a notice, the file copied into `docs/` as the denial-letter exhibit. The folder is made
/// beside `dir` under a temporary name and renamed when complete; `dir` must not exist.
pub fn write_case_from_reading(dir: &Path, doc: &CaseDoc, accepted: &[Prefill], notice: Option<&Path>) -> Result<PathBuf> {
    if dir.exists() {
        return Err(Error::Other(format!("{}: already exists; name a new folder for the case", dir.display())));
    }
    let mut case = case_with(doc, accepted)?;
    let exhibit = notice.map(|path| notice_exhibit(&case, path)).transpose()?;
    if dir.file_name().is_none() {
        return Err(Error::Other(format!("{}: name a new folder for the case", dir.display())));
    }
    crate::atomic::create_dir_whole(dir, |temp| {
        if let Some(n) = exhibit {
            let docs = temp.join("docs");
            std::fs::create_dir_all(&docs).map_err(|e| Error::io(&docs, e))?;
            crate::atomic::write_atomically(&temp.join(&n.exhibit.file), &n.bytes)?;
            crate::atomic::sync_dir(&docs)?;
            case.exhibits.push(n.exhibit);
        }
        crate::atomic::write_atomically(&temp.join(CASE_FILE), crate::casefile::to_toml(&case).as_bytes())
    })?;
    Ok(dir.to_path_buf())
}

#[cfg(test)]
mod tests;
