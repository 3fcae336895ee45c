//! case.toml's tables into the raw shape ([`CaseDoc`]): unknown tables and keys, values of the
//! wrong type and entries that are not tables are reported here, each with its key; the
//! values themselves are checked on the way to the model.

use crate::model::codec::{At, Checker, FieldValue, RawField, Source};
use crate::model::*;
use toml::{Table, Value};

/// The raw case in `root`, with what it lacks or gets wrong marked in `c`.
pub(super) fn doc(root: &Table, c: &mut Checker) -> CaseDoc {
    for key in root.keys() {
        if !TABLES.contains(&key.as_str()) {
            c.problem(key.clone(), format!("unknown table (expected one of: {})", TABLES.join(", ")));
        }
    }
    CaseDoc {
        case: table(root, "case", true, c, CaseInfoDoc::KEYS, |s| CaseInfoDoc::fill(s)).unwrap_or_default(),
        member: table(root, "member", true, c, MemberDoc::KEYS, |s| MemberDoc::fill(s)).unwrap_or_default(),
        provider: table(root, "provider", false, c, ProviderDoc::KEYS, |s| ProviderDoc::fill(s)),
        submitter: table(root, "submitter", false, c, SubmitterDoc::KEYS, |s| SubmitterDoc::fill(s)),
        exhibit: array(root, "exhibit", c, ExhibitDoc::KEYS, |s| ExhibitDoc::fill(s)),
        event: array(root, "event", c, EventDoc::KEYS, |s| EventDoc::fill(s)),
        spo2: array(root, "spo2", c, Spo2Doc::KEYS, |s| Spo2Doc::fill(s)),
        wound: array(root, "wound", c, WoundDoc::KEYS, |s| WoundDoc::fill(s)),
        mobility: array(root, "mobility", c, MobilityDoc::KEYS, |s| MobilityDoc::fill(s)),
        submission: array(root, "submission", c, SubmissionDoc::KEYS, |s| SubmissionDoc::fill(s)),
        letter: None,
    }
}

/// Reads one table's keys.
struct TomlSource<'a> {
    table: &'a Table,
    at: At,
    c: &'a mut Checker,
}

impl Source for TomlSource<'_> {
    fn field<R: RawField>(&mut self, key: &'static str, expects: &'static str) -> R {
        let loc = self.at.key(key);
        let Some(v) = self.table.get(key) else {
            self.c.mark_missing(&loc);
            return R::default();
        };
        let v = value(v);
        match R::from_value(&v) {
            Some(r) => r,
            None => {
                self.c.problem(&loc.text, format!("must be {expects}, not {}", v.kind_text()));
                self.c.mark_failed(&loc.text);
                R::default()
            }
        }
    }
}

fn value(v: &Value) -> FieldValue {
    match v {
        Value::String(s) => FieldValue::Text(s.clone()),
        Value::Integer(i) => FieldValue::Integer(*i),
        Value::Float(f) => FieldValue::Float(*f),
        Value::Boolean(b) => FieldValue::Bool(*b),
        Value::Datetime(d) => FieldValue::Date(d.to_string()),
        Value::Array(items) => FieldValue::List(items.iter().map(value).collect()),
        Value::Table(_) => FieldValue::Table,
    }
}

fn read_keys<R>(t: &Table, at: At, c: &mut Checker, keys: &[&str], fill: impl FnOnce(&mut TomlSource<'_>) -> R) -> R {
    for key in t.keys() {
        if !keys.contains(&key.as_str()) {
            c.problem(at.key("").text + key, format!("unknown key (expected one of: {})", keys.join(", ")));
        }
    }
    fill(&mut TomlSource { table: t, at, c })
}

fn table<R>(
    root: &Table,
    key: &str,
    required: bool,
    c: &mut Checker,
    keys: &[&str],
    fill: impl FnOnce(&mut TomlSource<'_>) -> R,
) -> Option<R> {
    match root.get(key) {
        Some(Value::Table(t)) => Some(read_keys(t, At::table(key), c, keys, fill)),
        Some(_) => {
            c.problem(key, format!("must be a table ([{key}])"));
            c.mark_failed(key);
            None
        }
        None => {
            if required {
                c.problem(key, format!("missing table [{key}]"));
                c.mark_failed(key);
            }
            None
        }
    }
}

fn array<R: Default>(root: &Table, key: &str, c: &mut Checker, keys: &[&str], fill: impl Fn(&mut TomlSource<'_>) -> R) -> Vec<R> {
    let Some(v) = root.get(key) else { return Vec::new() };
    let Value::Array(items) = v else {
        c.problem(key, format!("must be an array of tables ([[{key}]])"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Table(t) = item else {
            let name = format!("{key} {}", i + 1);
            c.problem(&name, "must be a table");
            c.mark_failed(&name);
            out.push(R::default());
            continue;
        };
        let file = if key == "exhibit" { t.get("file").and_then(Value::as_str) } else { None };
        out.push(read_keys(t, At::entry(entry_name(key, i, file)), c, keys, &fill));
    }
    out
}
