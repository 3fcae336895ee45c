//! FHIR R4 `ExplanationOfBenefit` and `ClaimResponse` (alone or in a `Bundle`): a small
//! serde model of the parts that pre-fill a case, each part read on its own so a value of the
//! wrong type is named by its path; unknown fields are passed over.

use super::{decimal, ClaimError, ClaimFound, Field, Found};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;

type Obj = Map<String, Value>;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Coding {
    system: Option<String>,
    code: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeableConcept {
    coding: Vec<Coding>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Identifier {
    #[serde(rename = "type")]
    kind: Option<CodeableConcept>,
    value: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Reference {
    reference: Option<String>,
    identifier: Option<Identifier>,
    display: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Period {
    start: Option<String>,
    end: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Adjudication {
    category: Option<CodeableConcept>,
    reason: Option<CodeableConcept>,
    /// A Money, read by [`money`] so a value of the wrong type is named by its path.
    amount: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Item {
    product_or_service: Option<CodeableConcept>,
    serviced_date: Option<String>,
    serviced_period: Option<Period>,
    adjudication: Vec<Adjudication>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Diagnosis {
    diagnosis_codeable_concept: Option<CodeableConcept>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Insurance {
    coverage: Option<Reference>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProcessNote {
    text: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HumanName {
    text: Option<String>,
    family: Option<String>,
    given: Vec<String>,
}

/// The claim resources Redress reads.
const CLAIMS: [&str; 2] = ["ExplanationOfBenefit", "ClaimResponse"];

/// A resource the claims point at (Patient, Coverage, Organization), by the references that
/// reach it, with its path.
type Targets<'a> = HashMap<String, (&'a Obj, String)>;

pub(super) fn read(text: &str) -> Result<Vec<ClaimFound>, ClaimError> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| ClaimError::Json { line: e.line(), column: e.column(), cut_short: e.is_eof() })?;
    let root = root.as_object().ok_or(ClaimError::WrongType { at: "(the file)".into(), expected: "a resource" })?;
    let kind = resource_type(root, "resourceType")?;
    if kind == "Bundle" {
        return bundle(root);
    }
    if !CLAIMS.contains(&kind) {
        return Err(ClaimError::WrongResource { at: "resourceType".into(), found: kind.to_string() });
    }
    let mut targets = Targets::new();
    contained(root, kind, &mut targets)?;
    Ok(vec![claim(root, kind, kind, &targets)?])
}

fn resource_type<'a>(obj: &'a Obj, at: &str) -> Result<&'a str, ClaimError> {
    match obj.get("resourceType") {
        None => Err(ClaimError::NoResourceType { at: at.to_string() }),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(ClaimError::WrongType { at: at.to_string(), expected: "the resource's type as text" }),
    }
}

fn bundle(root: &Obj) -> Result<Vec<ClaimFound>, ClaimError> {
    let entries = array(root, "entry", "Bundle")?;
    let mut resources = Vec::new();
    let mut targets = Targets::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("Bundle.entry[{i}]");
        let entry = entry.as_object().ok_or_else(|| ClaimError::WrongType { at: at.clone(), expected: "an entry" })?;
        let Some(resource) = entry.get("resource") else { continue };
        let path = format!("{at}.resource");
        let resource = resource.as_object().ok_or_else(|| ClaimError::WrongType { at: path.clone(), expected: "a resource" })?;
        let kind = resource_type(resource, &format!("{path}.resourceType"))?;
        if let Some(Value::String(url)) = entry.get("fullUrl") {
            targets.insert(url.clone(), (resource, path.clone()));
        }
        if let Some(Value::String(id)) = resource.get("id") {
            targets.insert(format!("{kind}/{id}"), (resource, path.clone()));
        }
        if CLAIMS.contains(&kind) {
            contained(resource, &path, &mut targets)?;
            resources.push((resource, path, kind));
        }
    }
    if resources.is_empty() {
        return Err(ClaimError::EmptyBundle);
    }
    resources.iter().map(|(r, path, kind)| claim(r, path, kind, &targets)).collect()
}

/// Resources contained in a claim, reached as `#id`.
fn contained<'a>(resource: &'a Obj, at: &str, targets: &mut Targets<'a>) -> Result<(), ClaimError> {
    for (i, c) in array(resource, "contained", at)?.iter().enumerate() {
        let path = format!("{at}.contained[{i}]");
        let c = c.as_object().ok_or_else(|| ClaimError::WrongType { at: path.clone(), expected: "a resource" })?;
        if let Some(Value::String(id)) = c.get("id") {
            targets.insert(format!("#{id}"), (c, path));
        }
    }
    Ok(())
}

/// The field's value, or none; a value of the wrong type is an error naming it.
fn one<T: DeserializeOwned>(obj: &Obj, key: &str, at: &str, expected: &'static str) -> Result<Option<T>, ClaimError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => T::deserialize(v).map(Some).map_err(|_| ClaimError::WrongType { at: format!("{at}.{key}"), expected }),
    }
}

fn array<'a>(obj: &'a Obj, key: &str, at: &str) -> Result<&'a [Value], ClaimError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(ClaimError::WrongType { at: format!("{at}.{key}"), expected: "a list" }),
    }
}

/// Each element of a list read on its own, so the one of the wrong shape is named.
fn many<T: DeserializeOwned>(obj: &Obj, key: &str, at: &str, expected: &'static str) -> Result<Vec<T>, ClaimError> {
    array(obj, key, at)?
        .iter()
        .enumerate()
        .map(|(i, v)| T::deserialize(v).map_err(|_| ClaimError::WrongType { at: format!("{at}.{key}[{i}]"), expected }))
        .collect()
}

fn claim(r: &Obj, at: &str, kind: &str, targets: &Targets) -> Result<ClaimFound, ClaimError> {
    let mut c = ClaimFound::new(kind, at);
    let use_: Option<String> = one(r, "use", at, "text")?;
    let preauth = use_.as_deref() == Some("preauthorization");
    if let Some(u) = &use_ {
        c.push(Field::Use, u, format!("{at}.use"));
    }
    let id_field = if preauth { Field::Authorization } else { Field::ClaimNumber };
    for (i, id) in many::<Identifier>(r, "identifier", at, "an Identifier")?.iter().enumerate() {
        c.push(id_field, id.value.as_deref().unwrap_or(""), format!("{at}.identifier[{i}].value"));
    }
    pre_auth_refs(&mut c, r, at)?;
    parties(&mut c, r, at, targets)?;
    if let Some(p) = one::<Period>(r, "billablePeriod", at, "a Period")? {
        period(&mut c, &p, &format!("{at}.billablePeriod"), ["billable period start", "billable period end"])?;
    }
    for (i, item) in many::<Item>(r, "item", at, "an item")?.iter().enumerate() {
        item_values(&mut c, item, &format!("{at}.item[{i}]"))?;
    }
    for (i, item) in many::<Item>(r, "addItem", at, "an addItem")?.iter().enumerate() {
        item_values(&mut c, item, &format!("{at}.addItem[{i}]"))?;
    }
    for (i, t) in many::<Adjudication>(r, "total", at, "a total")?.iter().enumerate() {
        money(&mut c, t, &format!("{at}.total[{i}]"), "the claim's")?;
    }
    for (i, d) in many::<Diagnosis>(r, "diagnosis", at, "a diagnosis")?.iter().enumerate() {
        let p = format!("{at}.diagnosis[{i}].diagnosisCodeableConcept");
        codes(&mut c, d.diagnosis_codeable_concept.as_ref(), &p, Field::DiagnosisCode, &["icd-10"]);
    }
    for (i, a) in many::<Adjudication>(r, "adjudication", at, "an adjudication")?.iter().enumerate() {
        reason(&mut c, a, &format!("{at}.adjudication[{i}]"));
    }
    if let Some(o) = one::<String>(r, "outcome", at, "text")? {
        c.push(Field::Outcome, &o, format!("{at}.outcome"));
    }
    if let Some(d) = one::<String>(r, "disposition", at, "text")? {
        c.push(Field::Disposition, &d, format!("{at}.disposition"));
    }
    for (i, n) in many::<ProcessNote>(r, "processNote", at, "a processNote")?.iter().enumerate() {
        c.push(Field::Disposition, n.text.as_deref().unwrap_or(""), format!("{at}.processNote[{i}].text"));
    }
    Ok(c)
}

/// `preAuthRef`: a list of text in an ExplanationOfBenefit (and its `insurance`), one text in a
/// ClaimResponse.
fn pre_auth_refs(c: &mut ClaimFound, r: &Obj, at: &str) -> Result<(), ClaimError> {
    let mut push = |v: &Value, path: String| match v {
        Value::String(s) => {
            c.push(Field::Authorization, s, path);
            Ok(())
        }
        _ => Err(ClaimError::WrongType { at: path, expected: "text" }),
    };
    match r.get("preAuthRef") {
        Some(Value::Array(a)) => {
            for (i, v) in a.iter().enumerate() {
                push(v, format!("{at}.preAuthRef[{i}]"))?;
            }
        }
        Some(v) => push(v, format!("{at}.preAuthRef"))?,
        None => {}
    }
    for (i, ins) in array(r, "insurance", at)?.iter().enumerate() {
        let Some(ins) = ins.as_object() else { continue };
        for (j, v) in array(ins, "preAuthRef", &format!("{at}.insurance[{i}]"))?.iter().enumerate() {
            push(v, format!("{at}.insurance[{i}].preAuthRef[{j}]"))?;
        }
    }
    Ok(())
}

/// The member (patient, coverage) and the payer (insurer), from the references and what they
/// reach in the file.
fn parties(c: &mut ClaimFound, r: &Obj, at: &str, targets: &Targets) -> Result<(), ClaimError> {
    if let Some(p) = one::<Reference>(r, "patient", at, "a Reference")? {
        reference_id(c, &p, &format!("{at}.patient"));
        if let Some((t, path)) = p.reference.as_ref().and_then(|x| targets.get(x)) {
            patient(c, t, path)?;
        }
    }
    for (i, ins) in many::<Insurance>(r, "insurance", at, "an insurance")?.iter().enumerate() {
        let Some(cov) = &ins.coverage else { continue };
        reference_id(c, cov, &format!("{at}.insurance[{i}].coverage"));
        if let Some((t, path)) = cov.reference.as_ref().and_then(|x| targets.get(x)) {
            coverage(c, t, path)?;
        }
    }
    if let Some(ins) = one::<Reference>(r, "insurer", at, "a Reference")? {
        c.push(Field::Payer, ins.display.as_deref().unwrap_or(""), format!("{at}.insurer.display"));
        if let Some((t, path)) = ins.reference.as_ref().and_then(|x| targets.get(x)) {
            if let Some(name) = one::<String>(t, "name", path, "text")? {
                c.push(Field::Payer, &name, format!("{path}.name"));
            }
        }
    }
    Ok(())
}

/// A reference given by its identifier (a logical reference) carries the member ID itself.
fn reference_id(c: &mut ClaimFound, r: &Reference, at: &str) {
    if let Some(v) = r.identifier.as_ref().and_then(|i| i.value.as_deref()) {
        c.push(Field::MemberId, v, format!("{at}.identifier.value"));
    }
}

/// A Patient's member identifiers and name.
fn patient(c: &mut ClaimFound, p: &Obj, at: &str) -> Result<(), ClaimError> {
    member_identifiers(c, p, at)?;
    if let Some(n) = many::<HumanName>(p, "name", at, "a HumanName")?.first() {
        match &n.text {
            Some(t) => c.push(Field::MemberName, t, format!("{at}.name[0].text")),
            None => {
                let name: Vec<&str> = n.given.iter().map(String::as_str).chain(n.family.as_deref()).collect();
                c.push(Field::MemberName, &name.join(" "), format!("{at}.name[0]"));
            }
        }
    }
    let born: Option<String> = one(p, "birthDate", at, "a date")?;
    date(c, Field::BirthDate, born.as_deref(), format!("{at}.birthDate"), "the member's date of birth")
}

fn member_identifiers(c: &mut ClaimFound, r: &Obj, at: &str) -> Result<(), ClaimError> {
    for (i, id) in many::<Identifier>(r, "identifier", at, "an Identifier")?.iter().enumerate() {
        // HL7 v2 table 0203: member number (CARIN), Medicare number (Blue Button's MBI), Medicaid number.
        let mb = id.kind.as_ref().is_some_and(|k| k.coding.iter().any(|c| matches!(c.code.as_deref(), Some("MB" | "MC" | "MA"))));
        if mb {
            c.push(Field::MemberId, id.value.as_deref().unwrap_or(""), format!("{at}.identifier[{i}].value"));
        }
    }
    Ok(())
}

/// A Coverage's subscriber ID, member identifiers and payor.
fn coverage(c: &mut ClaimFound, cov: &Obj, at: &str) -> Result<(), ClaimError> {
    if let Some(s) = one::<String>(cov, "subscriberId", at, "text")? {
        c.push(Field::MemberId, &s, format!("{at}.subscriberId"));
    }
    member_identifiers(c, cov, at)?;
    for (i, p) in many::<Reference>(cov, "payor", at, "a Reference")?.iter().enumerate() {
        c.push(Field::Payer, p.display.as_deref().unwrap_or(""), format!("{at}.payor[{i}].display"));
    }
    Ok(())
}

fn period(c: &mut ClaimFound, p: &Period, at: &str, [start, end]: [&'static str; 2]) -> Result<(), ClaimError> {
    date(c, Field::ServiceDate, p.start.as_deref(), format!("{at}.start"), start)?;
    date(c, Field::ServiceDate, p.end.as_deref(), format!("{at}.end"), end)
}

/// A FHIR date (`2026-01-05`, or `2026-01` or `2026` where only that is known) or the date of a
/// dateTime, checked; anything else is refused naming its path.
fn date(c: &mut ClaimFound, field: Field, value: Option<&str>, at: String, meaning: &'static str) -> Result<(), ClaimError> {
    let Some(text) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(()) };
    let day = text.split_once('T').map_or(text, |(d, _)| d);
    let ok = match day.len() {
        4 => day.chars().all(|ch| ch.is_ascii_digit()),
        7 => chrono::NaiveDate::parse_from_str(&format!("{day}-01"), "%Y-%m-%d").is_ok(),
        10 => chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok(),
        _ => false,
    };
    if !ok {
        return Err(ClaimError::BadFhirValue { at, value: text.to_string(), expected: "a date (YYYY-MM-DD)" });
    }
    c.values.push(Found::new(field, day, at).meaning(Some(meaning)));
    Ok(())
}

fn item_values(c: &mut ClaimFound, item: &Item, at: &str) -> Result<(), ClaimError> {
    codes(c, item.product_or_service.as_ref(), &format!("{at}.productOrService"), Field::ServiceCode, &["cpt", "hcpcs"]);
    date(c, Field::ServiceDate, item.serviced_date.as_deref(), format!("{at}.servicedDate"), "date of service")?;
    if let Some(p) = &item.serviced_period {
        period(c, p, &format!("{at}.servicedPeriod"), ["service period start", "service period end"])?;
    }
    for (i, a) in item.adjudication.iter().enumerate() {
        reason(c, a, &format!("{at}.adjudication[{i}]"));
        money(c, a, &format!("{at}.adjudication[{i}]"), "the service line's")?;
    }
    Ok(())
}

/// What an adjudication's or total's amount is, by its category (HL7's adjudication codes and
/// CARIN Blue Button's): the charge, the payment, the patient's share, what was not covered.
fn category(code: &str) -> Option<Field> {
    Some(match code {
        "submitted" => Field::ChargeAmount,
        "benefit" | "paidtoprovider" | "paidtopatient" => Field::PaidAmount,
        "copay" | "deductible" | "coinsurance" | "memberliability" | "paidbypatient" => Field::PatientResponsibility,
        "noncovered" => Field::AdjustmentAmount,
        _ => return None,
    })
}

/// An adjudication's or total's amount (`amount.value`) as a decimal, with its category as the
/// reason; an amount of a category Redress does not place is passed over.
fn money(c: &mut ClaimFound, a: &Adjudication, at: &str, whose: &'static str) -> Result<(), ClaimError> {
    let Some(amount) = &a.amount else { return Ok(()) };
    let code = a.category.as_ref().and_then(|k| k.coding.iter().find_map(|c| c.code.clone())).unwrap_or_default();
    let Some(field) = category(&code) else { return Ok(()) };
    let at = format!("{at}.amount.value");
    let value = match amount.get("value") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Number(n)) => decimal(&n.to_string()),
        Some(_) => None,
    };
    let Some(value) = value else {
        let written = amount.get("value").map(|v| v.to_string()).unwrap_or_default();
        return Err(ClaimError::BadFhirValue { at, value: written, expected: "an amount (a JSON number)" });
    };
    let mut f = Found::new(field, &value, at).meaning(Some(whose));
    f.reason = Some(code);
    c.values.push(f);
    Ok(())
}

/// The codings of a concept whose system is one of `systems` (or is not given); codings of
/// other systems (NDC, revenue centres, …) are not this field's.
fn codes(c: &mut ClaimFound, concept: Option<&CodeableConcept>, at: &str, field: Field, systems: &[&str]) {
    for (i, coding) in concept.map(|k| k.coding.as_slice()).unwrap_or_default().iter().enumerate() {
        let ours = coding.system.as_deref().is_none_or(|s| systems.iter().any(|w| s.to_ascii_lowercase().contains(w)));
        if ours {
            c.push(field, coding.code.as_deref().unwrap_or(""), format!("{at}.coding[{i}].code"));
        }
    }
}

/// An adjudication's reason: a remark code (RARC) by its system, else an adjustment reason (CARC).
fn reason(c: &mut ClaimFound, a: &Adjudication, at: &str) {
    for (i, coding) in a.reason.as_ref().map(|k| k.coding.as_slice()).unwrap_or_default().iter().enumerate() {
        let rarc = coding.system.as_deref().is_some_and(|s| s.contains("remittance-advice-remark") || s.contains("rarc"));
        let field = if rarc { Field::RemarkCode } else { Field::AdjustmentReason };
        c.push(field, coding.code.as_deref().unwrap_or(""), format!("{at}.reason.coding[{i}].code"));
    }
}
