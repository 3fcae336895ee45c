//! Writes a case back as case.toml text, keeping every field.

use crate::model::*;
use toml::{Table, Value};

fn put(t: &mut Table, key: &str, v: impl Into<Value>) {
    t.insert(key.into(), v.into());
}

fn put_opt(t: &mut Table, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        put(t, key, v.clone());
    }
}

fn date(d: chrono::NaiveDate) -> Value {
    Value::String(d.format("%Y-%m-%d").to_string())
}

fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::Integer(x as i64)
    } else {
        Value::Float(x)
    }
}

/// The case as case.toml text (letter.md is written separately).
pub fn to_toml(case: &Case) -> String {
    let i = &case.info;
    let mut c = Table::new();
    put(&mut c, "kind", i.kind.as_str());
    put(&mut c, "title", i.title.clone());
    put(&mut c, "program", i.program.as_str());
    put_opt(&mut c, "level", &i.level);
    if let Some(d) = i.contract_days {
        put(&mut c, "contract_days", d as i64);
    }
    put(&mut c, "urgency", i.urgency.as_str());
    if let Some(s) = i.service {
        put(&mut c, "service", s.as_str());
    }
    if let Some(m) = i.pa_requested {
        put(&mut c, "pa_requested", m.to_string());
    }
    c.insert("notice_date".into(), date(i.notice_date));
    if let Some(d) = i.received_date {
        c.insert("received_date".into(), date(d));
    }
    if let Some(d) = i.notice_deadline {
        c.insert("notice_deadline".into(), date(d));
    }
    put_opt(&mut c, "reference", &i.reference);
    put_opt(&mut c, "claim_number", &i.claim_number);
    put_opt(&mut c, "authorization_number", &i.authorization_number);
    put_opt(&mut c, "denial_reason", &i.denial_reason);
    put_opt(&mut c, "requested_action", &i.requested_action);
    if !i.diagnoses.is_empty() {
        put(&mut c, "diagnoses", i.diagnoses.clone());
    }
    if !i.procedures.is_empty() {
        put(&mut c, "procedures", i.procedures.clone());
    }
    put_opt(&mut c, "bates_prefix", &i.bates_prefix);

    let mut root = Table::new();
    root.insert("case".into(), Value::Table(c));

    let m = &case.member;
    let mut t = Table::new();
    put(&mut t, "name", m.name.clone());
    t.insert("dob".into(), date(m.dob));
    put(&mut t, "member_id", m.member_id.clone());
    put(&mut t, "payer", m.payer.clone());
    put_opt(&mut t, "phone", &m.phone);
    root.insert("member".into(), Value::Table(t));

    if let Some(p) = &case.provider {
        let mut t = Table::new();
        put_opt(&mut t, "organization", &p.organization);
        put_opt(&mut t, "clinician", &p.clinician);
        put_opt(&mut t, "npi", &p.npi);
        put_opt(&mut t, "phone", &p.phone);
        put_opt(&mut t, "fax", &p.fax);
        root.insert("provider".into(), Value::Table(t));
    }
    if let Some(s) = &case.submitter {
        let mut t = Table::new();
        put(&mut t, "name", s.name.clone());
        put_opt(&mut t, "role", &s.role);
        put_opt(&mut t, "phone", &s.phone);
        root.insert("submitter".into(), Value::Table(t));
    }

    let arr = |items: Vec<Table>| Value::Array(items.into_iter().map(Value::Table).collect());
    if !case.exhibits.is_empty() {
        let items = case.exhibits.iter().map(|e| {
            let mut t = Table::new();
            put(&mut t, "file", e.file.clone());
            put(&mut t, "kind", e.kind.as_str());
            t.insert("date".into(), date(e.date));
            put(&mut t, "title", e.title.clone());
            if let Some(p) = &e.pages {
                put(&mut t, "pages", p.text.clone());
            }
            put_opt(&mut t, "caption", &e.caption);
            t
        });
        root.insert("exhibit".into(), arr(items.collect()));
    }
    if !case.events.is_empty() {
        let items = case.events.iter().map(|e| {
            let mut t = Table::new();
            put(&mut t, "at", e.at.to_string());
            put(&mut t, "kind", e.kind.as_str());
            put(&mut t, "summary", e.summary.clone());
            put_opt(&mut t, "reference", &e.reference);
            put_opt(&mut t, "counterpart", &e.counterpart);
            if let Some(p) = e.promised {
                put(&mut t, "promised", p.to_string());
            }
            t
        });
        root.insert("event".into(), arr(items.collect()));
    }
    if !case.spo2.is_empty() {
        let items = case.spo2.iter().map(|r| {
            let mut t = Table::new();
            put(&mut t, "at", r.at.to_string());
            t.insert("percent".into(), num(r.percent));
            put(&mut t, "activity", r.activity.as_str());
            t.insert("oxygen_lpm".into(), num(r.oxygen_lpm));
            if let Some(p) = r.pulse {
                put(&mut t, "pulse", p as i64);
            }
            t
        });
        root.insert("spo2".into(), arr(items.collect()));
    }
    if !case.wounds.is_empty() {
        let items = case.wounds.iter().map(|w| {
            let mut t = Table::new();
            put(&mut t, "at", w.at.to_string());
            put(&mut t, "site", w.site.clone());
            t.insert("length_cm".into(), num(w.length_cm));
            t.insert("width_cm".into(), num(w.width_cm));
            if let Some(d) = w.depth_cm {
                t.insert("depth_cm".into(), num(d));
            }
            put_opt(&mut t, "stage", &w.stage);
            t
        });
        root.insert("wound".into(), arr(items.collect()));
    }
    if !case.mobility.is_empty() {
        let items = case.mobility.iter().map(|m| {
            let mut t = Table::new();
            put(&mut t, "at", m.at.to_string());
            put(&mut t, "instrument", m.instrument.clone());
            t.insert("value".into(), num(m.value));
            put(&mut t, "unit", m.unit.clone());
            t
        });
        root.insert("mobility".into(), arr(items.collect()));
    }
    if !case.submissions.is_empty() {
        let items = case.submissions.iter().map(|s| {
            let mut t = Table::new();
            put(&mut t, "at", s.at.to_string());
            put(&mut t, "method", s.method.as_str());
            put(&mut t, "to", s.to.clone());
            put_opt(&mut t, "confirmation", &s.confirmation);
            put_opt(&mut t, "packet_sha256", &s.packet_sha256);
            t
        });
        root.insert("submission".into(), arr(items.collect()));
    }
    toml::to_string(&root).expect("a toml table always serialises")
}
