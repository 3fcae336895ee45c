//! A new case folder from a case's raw form (read from a claim file or a notice, with what the
//! person gave): the keys set by name as case.toml spells them, the whole case checked as
//! case.toml is (every required key the values lack named), then written under a temporary name
//! beside the folder and renamed into place. A folder that exists is refused; nothing
//! half-written is left behind.

use super::{to_toml, CASE_FILE};
use crate::atomic::{self, TempDir};
use crate::error::{Error, Problem, Result};
use crate::model::{Case, CaseDoc, CaseInfoDoc, MemberDoc, ProviderDoc, SubmitterDoc};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// The tables a key may name, with their keys and list keys.
fn table_keys(table: &str) -> Option<&'static [&'static str]> {
    Some(match table {
        "case" => CaseInfoDoc::KEYS,
        "member" => MemberDoc::KEYS,
        "provider" => ProviderDoc::KEYS,
        "submitter" => SubmitterDoc::KEYS,
        _ => return None,
    })
}

/// Keys that hold a list (one code added at a time) and keys that hold a number.
const LIST_KEYS: &[&str] = &["case.diagnoses", "case.procedures"];
const NUMBER_KEYS: &[&str] = &["case.contract_days"];

/// Sets `key` (`member.member_id`, `case.diagnoses`) to `value` as case.toml would hold it; a
/// list key gains the value unless it holds it already. The value's own checks come later, when
/// the whole case is checked. An unknown key or a number that is not one is a problem naming it.
pub fn set_key(doc: &mut CaseDoc, key: &str, value: &str) -> std::result::Result<(), Problem> {
    let (table, field) = split_key(key)?;
    let value = value.trim();
    let new = if NUMBER_KEYS.contains(&key) {
        let n: f64 = value.parse().map_err(|_| Problem::new(CASE_FILE, key, format!("`{value}` is not a number")))?;
        Value::from(n)
    } else {
        Value::from(value)
    };
    edit(doc, table, |t| {
        if LIST_KEYS.contains(&key) {
            let list = t.entry(field).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = list {
                if !items.contains(&new) {
                    items.push(new);
                }
            }
        } else {
            t.insert(field.to_string(), new);
        }
    })
}

/// Clears `key`: an optional key is left out, a list emptied, a required key made empty (and
/// then reported missing by the checks).
pub fn clear_key(doc: &mut CaseDoc, key: &str) -> std::result::Result<(), Problem> {
    let (table, field) = split_key(key)?;
    edit(doc, table, |t| {
        t.remove(field);
    })
}

fn split_key(key: &str) -> std::result::Result<(&str, &str), Problem> {
    let unknown = || {
        Problem::new(
            CASE_FILE,
            key,
            "is not a key this command sets (a key of [case], [member], [provider] or [submitter], as case.toml spells it)",
        )
    };
    let (table, field) = key.split_once('.').ok_or_else(unknown)?;
    match table_keys(table) {
        Some(keys) if keys.contains(&field) => Ok((table, field)),
        _ => Err(unknown()),
    }
}

/// Edits one table of the raw case through its JSON form (the raw shape is plain text, numbers
/// and lists, so it always converts both ways).
fn edit(doc: &mut CaseDoc, table: &str, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> std::result::Result<(), Problem> {
    let broken = || Problem::new(CASE_FILE, table, "cannot be edited");
    let mut root = serde_json::to_value(&*doc).map_err(|_| broken())?;
    let t = root.as_object_mut().ok_or_else(broken)?.entry(table).or_insert_with(|| Value::Object(Default::default()));
    if t.is_null() {
        *t = Value::Object(Default::default());
    }
    f(t.as_object_mut().ok_or_else(broken)?);
    *doc = serde_json::from_value(root).map_err(|_| broken())?;
    Ok(())
}

/// The case `doc` makes, checked as case.toml is: a key with no value is missing (a required
/// one reported as such, `urgency` taken as standard), as it would be in the file written.
pub fn check(doc: &CaseDoc) -> Result<Case> {
    let broken = || Error::Other("the case cannot be written as case.toml".into());
    let toml::Value::Table(mut root) = toml::Value::try_from(doc).map_err(|_| broken())? else { return Err(broken()) };
    leave_out_empty(&mut root);
    super::parse(&toml::to_string(&root).map_err(|_| broken())?)
}

/// Drops empty text and empty lists, in every table.
fn leave_out_empty(t: &mut toml::Table) {
    t.retain(|_, v| !matches!(v, toml::Value::String(s) if s.is_empty()) && !matches!(v, toml::Value::Array(a) if a.is_empty()));
    for (_, v) in t.iter_mut() {
        if let toml::Value::Table(inner) = v {
            leave_out_empty(inner);
        }
    }
}

/// Writes a new case folder at `dir` from `doc`, with `files` (each a path inside the folder, as
/// case.toml names it, and the file to copy there). Returns the case. Refused, with nothing
/// written, when `dir` exists or the case fails its checks (every problem listed, each naming
/// its key).
pub fn create_folder(dir: &Path, doc: &CaseDoc, files: &[(String, PathBuf)]) -> Result<Case> {
    if dir.exists() {
        return Err(Error::Other(format!("{}: already exists; name a new folder for the case", dir.display())));
    }
    let case = check(doc)?;
    let Some(name) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Err(Error::Other(format!("{}: name a new folder for the case", dir.display())));
    };
    let parent = atomic::dir_of(dir);
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let temp = parent.join(format!(".{name}.{}-{}.new.tmp", std::process::id(), atomic::nonce()));
    let guard = TempDir::create(&temp)?;
    let mut folders = vec![temp.clone()];
    for (rel, source) in files {
        if !crate::model::codec::inside_folder(rel) {
            return Err(Error::Other(format!("{rel}: a file of the case must be inside its folder")));
        }
        let dest = temp.join(rel);
        if let Some(p) = dest.parent().filter(|p| !folders.iter().any(|f| f == p)) {
            fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
            folders.push(p.to_path_buf());
        }
        let bytes = fs::read(source).map_err(|e| Error::io(source, e))?;
        atomic::write_new(&dest, &bytes)?;
    }
    atomic::write_new(&temp.join(CASE_FILE), to_toml(&case).as_bytes())?;
    for f in folders.iter().rev() {
        atomic::sync_dir(f)?;
    }
    if dir.exists() {
        return Err(Error::Other(format!("{}: was made by something else meanwhile; name a new folder for the case", dir.display())));
    }
    fs::rename(&temp, dir).map_err(|e| Error::io(dir, e))?;
    guard.disarm();
    atomic::sync_dir(&parent)?;
    Ok(case)
}
