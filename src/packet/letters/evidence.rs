//! The clinical evidence a letter states: the readings with the exhibits that hold them (the
//! numbers and captions as `readings` computes them), and the denial's stated points, each
//! answered with the evidence that addresses it.

use super::{capitalized, cite, cite_all, end_sentence, of_kinds};
use crate::model::{ExhibitKind, Spo2Reading};
use crate::packet::sections::{ExhibitEntry, Front};
use crate::readings::{self, Chart, ReadingCharts, QUALIFYING_SPO2};
use chrono::NaiveDate;
use ExhibitKind::*;

/// Where SpO2 readings are recorded, the most specific first.
const SPO2_KINDS: [ExhibitKind; 2] = [OxygenLog, ProgressNote];
const WOUND_KINDS: [ExhibitKind; 2] = [WoundPhoto, ProgressNote];
const MOBILITY_KINDS: [ExhibitKind; 2] = [MobilityAssessment, ProgressNote];
/// The treating clinician's evaluation, order and statement.
const CLINICIAN_KINDS: [ExhibitKind; 3] = [ProgressNote, PhysicianOrder, MedicalNecessityLetter];

/// The exhibits of `kinds` dated `day`, else dated the day after (an overnight study is
/// reported the next morning).
fn held_on<'a>(f: &'a Front, day: NaiveDate, kinds: &[ExhibitKind]) -> Vec<&'a ExhibitEntry> {
    [Some(day), day.succ_opt()]
        .into_iter()
        .flatten()
        .map(|d| f.exhibits.iter().filter(|e| e.date == d && kinds.contains(&e.kind)).collect::<Vec<_>>())
        .find(|v| !v.is_empty())
        .unwrap_or_default()
}

/// `SpO2 86 % at rest on room air on 2025-09-02, {{exhibit:oximetry}}`: the reading, and the
/// exhibits of its day that record it.
pub fn spo2_reading(f: &Front, r: &Spo2Reading) -> String {
    let mut s = format!("SpO2 {} on {}", readings::spo2_finding(r), r.at.date());
    let held = held_on(f, r.at.date(), &SPO2_KINDS);
    if !held.is_empty() {
        s.push_str(&format!(", {}", cite_all(f.case, &held)));
    }
    s
}

/// The exhibits that hold any point of `chart`, in packet order.
fn chart_exhibits<'a>(f: &'a Front, chart: &Chart, kinds: &[ExhibitKind]) -> Vec<&'a ExhibitEntry> {
    let mut out: Vec<&ExhibitEntry> = chart.points.iter().flat_map(|p| held_on(f, p.when.date(), kinds)).collect();
    out.sort_by_key(|e| e.number);
    out.dedup_by_key(|e| e.number);
    out
}

/// A chart's caption as a sentence, with the exhibits that hold its readings.
fn chart_sentence(f: &Front, chart: &Chart, kinds: &[ExhibitKind]) -> String {
    let held = chart_exhibits(f, chart, kinds);
    let cited = if held.is_empty() { String::new() } else { format!(" ({})", cite_all(f.case, &held)) };
    end_sentence(&format!("{}{cited}", capitalized(&chart.caption)))
}

/// The qualifying SpO2 readings as list items.
fn qualifying_items(f: &Front) -> String {
    readings::qualifying_spo2(&f.case.spo2).into_iter().map(|r| format!("- {}\n", spo2_reading(f, r))).collect()
}

/// The "Clinical findings" section: the SpO2 caption and each qualifying reading with its
/// exhibit (or, when the answer to point `listed_at` of the denial lists them, where to find
/// them), then each wound's and each mobility instrument's change; none without readings.
pub fn findings(f: &Front, charts: &ReadingCharts, listed_at: Option<usize>) -> Option<String> {
    if charts.is_empty() {
        return None;
    }
    let mut s = String::from("## Clinical findings\n\n");
    if let Some(c) = &charts.spo2 {
        s.push_str(&format!("**Oxygen saturation.** {}", end_sentence(&capitalized(&c.caption))));
        let items = qualifying_items(f);
        match listed_at {
            _ if items.is_empty() => s.push_str("\n\n"),
            Some(n) => s.push_str(&format!(
                " Each reading at or below {QUALIFYING_SPO2} % is listed with the exhibit that records it under point {n} of the denial below.\n\n"
            )),
            None => s.push_str(&format!("\n\nThe readings at or below {QUALIFYING_SPO2} %:\n\n{items}\n")),
        }
    }
    for c in &charts.wounds {
        s.push_str(&format!("**Wound area.** {}\n\n", chart_sentence(f, c, &WOUND_KINDS)));
    }
    for c in &charts.mobility {
        s.push_str(&format!("**Mobility.** {}\n\n", chart_sentence(f, c, &MOBILITY_KINDS)));
    }
    Some(s)
}

/// The denial reason split into the points it states: at colons, semicolons, line breaks and
/// the ends of sentences.
pub fn denial_points(reason: &str) -> Vec<String> {
    reason
        .split([';', ':', '\n'])
        .flat_map(|p| p.split(". "))
        .map(|p| p.trim().trim_end_matches('.').trim())
        .filter(|p| !p.is_empty())
        .map(capitalized)
        .collect()
}

/// What a point of the denial is about, by its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Saturation,
    Wound,
    Mobility,
    Order,
    Timeliness,
    Necessity,
    Other,
}

pub fn topic(point: &str) -> Topic {
    let p = point.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| p.contains(w));
    if has(&["saturation", "spo2", "oxygen", "oximetr", "hypox", "desaturat"]) {
        Topic::Saturation
    } else if has(&["wound", "ulcer", "healing", "pressure injur"]) {
        Topic::Wound
    } else if has(&["mobility", "ambulat", "walk", "homebound", "gait", "functional"]) {
        Topic::Mobility
    } else if has(&["order", "prescription", "prescribed", "signed", "signature"]) {
        Topic::Order
    } else if has(&["timely", "late", "deadline", "filing limit"]) {
        Topic::Timeliness
    } else if has(&["necess", "clinical", "document", "record", "evaluation", "face-to-face", "criteria", "information"]) {
        Topic::Necessity
    } else {
        Topic::Other
    }
}

/// `{{exhibit:order}} (Signed standard written order for home oxygen)`, one per exhibit.
fn titled(f: &Front, list: &[&ExhibitEntry]) -> String {
    list.iter().map(|e| format!("{} ({})", cite(f.case, e), e.title.trim())).collect::<Vec<_>>().join("; ")
}

/// The answer to one stated point, in Markdown (a paragraph, with a list where it helps).
pub fn answer(f: &Front, charts: &ReadingCharts, point: &str) -> String {
    let specific = match topic(point) {
        Topic::Saturation => saturation_answer(f, charts),
        Topic::Wound => charts_answer(f, &charts.wounds, &WOUND_KINDS, "The wound's measurements are enclosed"),
        Topic::Mobility => charts_answer(f, &charts.mobility, &MOBILITY_KINDS, "The mobility assessments are enclosed"),
        Topic::Order => exhibits_answer(f, &[PhysicianOrder], "The signed order is enclosed"),
        Topic::Timeliness => {
            exhibits_answer(f, &[FaxConfirmation, DeliveryConfirmation], "The record of when it was sent and received is enclosed")
        }
        Topic::Necessity => necessity_answer(f, charts),
        Topic::Other => None,
    };
    specific.unwrap_or_else(|| by_kind(f))
}

fn saturation_answer(f: &Front, charts: &ReadingCharts) -> Option<String> {
    let Some(c) = &charts.spo2 else { return exhibits_answer(f, &[OxygenLog], "The oxygen saturation testing is enclosed") };
    let items = qualifying_items(f);
    if items.is_empty() {
        let logs = of_kinds(f, &[OxygenLog]);
        let cited = if logs.is_empty() { String::new() } else { format!(" ({})", cite_all(f.case, &logs)) };
        return Some(format!("The saturation testing is documented{cited}: {}\n\n", end_sentence(&c.caption)));
    }
    Some(format!(
        "The qualifying saturation is documented: {} Each reading at or below {QUALIFYING_SPO2} % and the exhibit that records it:\n\n{items}\n",
        end_sentence(&c.caption)
    ))
}

fn charts_answer(f: &Front, charts: &[Chart], kinds: &[ExhibitKind], lead: &str) -> Option<String> {
    if charts.is_empty() {
        return exhibits_answer(f, &kinds[..1], lead);
    }
    Some(charts.iter().map(|c| format!("{}\n\n", chart_sentence(f, c, kinds))).collect())
}

fn exhibits_answer(f: &Front, kinds: &[ExhibitKind], lead: &str) -> Option<String> {
    let list = of_kinds(f, kinds);
    (!list.is_empty()).then(|| format!("{lead}: {}.\n\n", titled(f, &list)))
}

fn necessity_answer(f: &Front, charts: &ReadingCharts) -> Option<String> {
    let mut s = String::new();
    let captions: Vec<String> = charts.all().map(|c| c.caption.clone()).collect();
    if !captions.is_empty() {
        s.push_str(&format!("The clinical findings above establish the need: {}.", captions.join("; ")));
    }
    let clinician = of_kinds(f, &CLINICIAN_KINDS);
    if !clinician.is_empty() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!("The treating clinician's evaluation and order are enclosed: {}.", titled(f, &clinician)));
    }
    (!s.is_empty()).then(|| format!("{s}\n\n"))
}

/// The fallback answer: the enclosed exhibits by kind (the denial notice left out).
fn by_kind(f: &Front) -> String {
    let mut kinds: Vec<ExhibitKind> = f.exhibits.iter().map(|e| e.kind).filter(|k| *k != DenialLetter).collect();
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        return "The treating clinician's findings stated in this letter answer this point.\n\n".into();
    }
    let mut s = String::from("The enclosed records answer this point:\n\n");
    for k in kinds {
        s.push_str(&format!("- {}: {}\n", k.label(), titled(f, &of_kinds(f, &[k]))));
    }
    s.push('\n');
    s
}
