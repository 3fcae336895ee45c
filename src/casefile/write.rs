//! Writes a case back as case.toml text, keeping every field: its raw shape, with what case.toml
//! leaves unwritten (empty lists, the letter) left out and whole numbers written as such.

use crate::model::{Case, CaseDoc};
use toml::{Table, Value};

/// The case as case.toml text (letter.md is written separately).
pub fn to_toml(case: &Case) -> String {
    let mut doc = CaseDoc::from_case(case);
    doc.letter = None;
    match Value::try_from(&doc) {
        Ok(Value::Table(mut root)) => {
            tidy(&mut root);
            toml::to_string(&root).unwrap_or_default()
        }
        // The raw shape is tables of text, numbers and lists, which always convert.
        _ => String::new(),
    }
}

/// Drops empty lists and writes `86.0` as `86`, in every table.
fn tidy(t: &mut Table) {
    t.retain(|_, v| !matches!(v, Value::Array(a) if a.is_empty()));
    for (_, v) in t.iter_mut() {
        tidy_value(v);
    }
}

fn tidy_value(v: &mut Value) {
    match v {
        Value::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => *v = Value::Integer(*x as i64),
        Value::Table(t) => tidy(t),
        Value::Array(items) => items.iter_mut().for_each(tidy_value),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_and_empty_lists_are_written_as_case_toml_writes_them() {
        let mut t: Table = "a = 86.0\nb = 0.5\nc = []\n[[d]]\ne = 2.0\nf = []\n".parse().unwrap();
        tidy(&mut t);
        assert_eq!(toml::to_string(&t).unwrap(), "a = 86\nb = 0.5\n\n[[d]]\ne = 2\n");
    }
}
