//! A case against its service's checklist: each item decided from the exhibits' kinds and
//! `meets`, the readings (through `readings`), the events and the case's codes.

use super::items::{checklist, Item, Rule};
use super::{Evaluation, Evidence, EvidenceKind, ExhibitRef, ItemResult, Status};
use crate::model::{Case, Event, EventKind, ExhibitKind, Spo2Reading, WoundMeasurement};
use crate::readings::{self, QUALIFYING_SPO2};
use chrono::NaiveDate;

/// The checklist of the case's `service`, evaluated; `None` when the case names no service
/// or one without a checklist.
pub fn evaluate(case: &Case) -> Option<Evaluation> {
    let service = case.info.service?;
    let facts = Facts::new(case);
    let items: Vec<ItemResult> = checklist(service).map(|item| facts.result(item)).collect();
    if items.is_empty() {
        return None;
    }
    Some(Evaluation { service: service.as_str().to_string(), service_label: service.label().to_string(), items })
}

/// What an item's rule found.
enum Verdict {
    Met(Vec<Evidence>, String),
    Gap(String),
    Contradicted(Vec<Evidence>, String),
}

/// The case, with what the rules ask of it more than once.
struct Facts<'a> {
    case: &'a Case,
    /// Each exhibit's number in the packet, by its index in `case.exhibits`.
    numbers: Vec<u32>,
    /// "Exhibit 4", by index.
    cited: Vec<String>,
}

impl<'a> Facts<'a> {
    fn new(case: &'a Case) -> Facts<'a> {
        let mut numbers = vec![0u32; case.exhibits.len()];
        for (n, &i) in case.exhibit_order().iter().enumerate() {
            numbers[i] = n as u32 + 1;
        }
        Facts { case, numbers, cited: crate::packet::cite::preview_citations(case) }
    }

    fn result(&self, item: &Item) -> ItemResult {
        let stated = self.stated(item.id);
        let (status, mut note, mut evidence) = match self.verdict(item.rule) {
            Verdict::Met(e, n) => (Status::Met, n, e),
            Verdict::Contradicted(e, n) => (Status::Contradicted, n, e),
            Verdict::Gap(_) if !stated.is_empty() => (Status::Met, stated_note(&stated), Vec::new()),
            Verdict::Gap(n) => (Status::Gap, n, Vec::new()),
        };
        if status == Status::Contradicted && !stated.is_empty() {
            note.push_str(&format!(", although {} is stated to meet it", stated_names(&stated)));
        } else {
            for s in stated {
                let same = |e: &Evidence| e.exhibit.as_ref().map(|x| x.index) == s.exhibit.as_ref().map(|x| x.index);
                match evidence.iter_mut().find(|e| same(e)) {
                    Some(e) => e.stated = true,
                    None => evidence.push(s),
                }
            }
        }
        ItemResult {
            id: item.id.to_string(),
            criterion: item.criterion.to_string(),
            source: item.source.to_string(),
            citation: item.citation.to_string(),
            status,
            note,
            evidence,
        }
    }

    fn verdict(&self, rule: Rule) -> Verdict {
        match rule {
            Rule::QualifyingSpo2 => self.qualifying_spo2(),
            Rule::EvaluatedAfterTest => self.evaluated_after_test(),
            Rule::TestBeforeOrder => self.test_before_order(),
            Rule::Order => self.order(),
            Rule::Delivery => self.delivery(),
            Rule::OrderBeforeDelivery => self.order_before_delivery(),
            Rule::Diagnosis => self.diagnosis(),
            Rule::MedicalRecord => self.medical_record(),
            Rule::Homebound => self.homebound(),
            Rule::FaceToFace => self.face_to_face(),
            Rule::Stated => Verdict::Gap(
                "nothing in the case can show this by itself: list the item in the `meets` of the exhibit that shows it".into(),
            ),
            Rule::PlanOfCare => self.plan_of_care(),
            Rule::WoundMeasured => self.wound_measured(),
            Rule::QualifyingWound => self.qualifying_wound(),
            Rule::WoundOpen => self.wound_open(),
            Rule::InfusionPump => self.infusion_pump(),
            Rule::InfusionDrug => self.infusion_drug(),
        }
    }

    // --- Evidence ---

    fn exhibit(&self, index: usize) -> Evidence {
        let e = &self.case.exhibits[index];
        Evidence {
            kind: EvidenceKind::Exhibit,
            text: format!("{} ({})", e.title, e.date),
            exhibit: Some(ExhibitRef {
                index: index as u32,
                number: self.numbers.get(index).copied().unwrap_or(0),
                id: e.id.clone(),
                title: e.title.clone(),
                cited: self.cited.get(index).cloned().unwrap_or_default(),
            }),
            stated: false,
        }
    }

    /// The exhibits of `kinds`, in packet order, as evidence.
    fn exhibits_of(&self, kinds: &[ExhibitKind], keep: impl Fn(NaiveDate) -> bool) -> Vec<Evidence> {
        self.case
            .exhibit_order()
            .into_iter()
            .filter(|&i| kinds.contains(&self.case.exhibits[i].kind) && keep(self.case.exhibits[i].date))
            .map(|i| self.exhibit(i))
            .collect()
    }

    /// The exhibits that list `id` in their `meets`.
    fn stated(&self, id: &str) -> Vec<Evidence> {
        self.case
            .exhibit_order()
            .into_iter()
            .filter(|&i| self.case.exhibits[i].meets.iter().any(|m| m == id))
            .map(|i| Evidence { stated: true, ..self.exhibit(i) })
            .collect()
    }

    fn event(e: &Event) -> Evidence {
        Evidence {
            kind: EvidenceKind::Event,
            text: format!("{} {}: {}", e.kind.label(), e.at.display_short(), e.summary),
            exhibit: None,
            stated: false,
        }
    }

    fn reading(text: String) -> Evidence {
        Evidence { kind: EvidenceKind::Reading, text, exhibit: None, stated: false }
    }

    fn field(text: String) -> Evidence {
        Evidence { kind: EvidenceKind::CaseField, text, exhibit: None, stated: false }
    }

    // --- Facts the rules share ---

    fn events_of(&self, kind: EventKind) -> Vec<&'a Event> {
        let mut v: Vec<&Event> = self.case.events.iter().filter(|e| e.kind == kind).collect();
        v.sort_by_key(|e| e.at);
        v
    }

    /// When the order was written: the earliest physician order exhibit or `order` event, with
    /// its evidence.
    fn order_date(&self) -> Option<(NaiveDate, Evidence)> {
        let exhibits = self.case.exhibit_order().into_iter().filter(|&i| self.case.exhibits[i].kind == ExhibitKind::PhysicianOrder);
        let from_exhibits = exhibits.map(|i| (self.case.exhibits[i].date, self.exhibit(i)));
        let from_events = self.events_of(EventKind::Order).into_iter().map(|e| (e.at.date(), Self::event(e)));
        from_exhibits.chain(from_events).min_by_key(|(d, _)| *d)
    }

    fn first_delivery(&self) -> Option<&'a Event> {
        self.events_of(EventKind::Delivered).into_iter().next()
    }

    fn qualifying(&self) -> Vec<&'a Spo2Reading> {
        let mut v: Vec<&Spo2Reading> = self.case.spo2.iter().filter(|r| readings::qualifies(r)).collect();
        v.sort_by_key(|r| r.at);
        v
    }

    fn progress_notes(&self) -> Vec<usize> {
        self.case.exhibit_order().into_iter().filter(|&i| self.case.exhibits[i].kind == ExhibitKind::ProgressNote).collect()
    }

    /// The latest measurement of each wound site, in the order the sites first appear.
    fn latest_wounds(&self) -> Vec<&'a WoundMeasurement> {
        let mut out: Vec<&WoundMeasurement> = Vec::new();
        for w in &self.case.wounds {
            let site = w.site.trim();
            match out.iter_mut().find(|x| x.site.trim() == site) {
                Some(x) if w.at >= x.at => *x = w,
                Some(_) => {}
                None => out.push(w),
            }
        }
        out
    }

    fn procedures(&self, wanted: impl Fn(&str) -> bool) -> Vec<&'a str> {
        self.case.info.procedures.iter().map(String::as_str).filter(|p| wanted(p)).collect()
    }

    // --- The rules ---

    fn qualifying_spo2(&self) -> Verdict {
        let qualifying = self.qualifying();
        let logs = self.exhibits_of(&[ExhibitKind::OxygenLog], |_| true);
        if !qualifying.is_empty() {
            let mut evidence: Vec<Evidence> = Vec::new();
            for activity in crate::model::Activity::ALL {
                let lowest = qualifying.iter().filter(|r| r.activity == *activity).min_by(|a, b| a.percent.total_cmp(&b.percent));
                if let Some(r) = lowest {
                    evidence.push(Self::reading(format!("SpO2 {}", readings::spo2_phrase(r))));
                }
            }
            evidence.extend(logs);
            let lowest =
                qualifying.iter().min_by(|a, b| a.percent.total_cmp(&b.percent)).map(|r| readings::spo2_phrase(r)).unwrap_or_default();
            let n = qualifying.len();
            let readings_word = if n == 1 { "reading" } else { "readings" };
            return Verdict::Met(evidence, format!("{n} {readings_word} at or below {QUALIFYING_SPO2} % on room air; lowest {lowest}"));
        }
        let room_air: Vec<&Spo2Reading> = self.case.spo2.iter().filter(|r| readings::on_room_air(r)).collect();
        if let Some(lowest) = room_air.iter().min_by(|a, b| a.percent.total_cmp(&b.percent)) {
            let evidence = vec![Self::reading(format!("SpO2 {}", readings::spo2_phrase(lowest)))];
            return Verdict::Contradicted(
                evidence,
                format!(
                    "every SpO2 on room air ({}) is above {QUALIFYING_SPO2} %: the lowest is {}",
                    room_air.len(),
                    readings::spo2_phrase(lowest)
                ),
            );
        }
        match logs.first() {
            Some(log) => Verdict::Gap(format!(
                "{} is an oxygen saturation log: enter its readings as [[spo2]] to check them against {QUALIFYING_SPO2} %",
                cited(log)
            )),
            None => Verdict::Gap("no SpO2 reading on room air".into()),
        }
    }

    fn evaluated_after_test(&self) -> Verdict {
        let Some(first) = self.qualifying().first().map(|r| r.at.date()) else {
            return Verdict::Gap("no qualifying test for the practitioner to evaluate yet".into());
        };
        let notes = self.exhibits_of(&[ExhibitKind::ProgressNote], |d| d >= first);
        if notes.is_empty() {
            return Verdict::Gap(format!("no progress note on or after the first qualifying test of {first}"));
        }
        let note = format!("the treating practitioner's note ({}) follows the qualifying test of {first}", cited(&notes[0]));
        Verdict::Met(notes, note)
    }

    fn test_before_order(&self) -> Verdict {
        let Some((order, order_evidence)) = self.order_date() else {
            return Verdict::Gap("no order date yet (a physician order exhibit or an `order` event)".into());
        };
        let qualifying = self.qualifying();
        let Some(first) = qualifying.first() else {
            return Verdict::Gap("no qualifying test yet".into());
        };
        match qualifying.iter().rev().find(|r| r.at.date() <= order) {
            Some(r) => {
                let days = (order - r.at.date()).num_days();
                let when = match days {
                    0 => "the day of the order".to_string(),
                    1 => format!("1 day before the order of {order}"),
                    _ => format!("{days} days before the order of {order}"),
                };
                Verdict::Met(
                    vec![Self::reading(format!("SpO2 {}", readings::spo2_phrase(r))), order_evidence],
                    format!("qualifying test on {}, {when}", r.at.date()),
                )
            }
            None => Verdict::Gap(format!("the qualifying readings (the first on {}) are after the order of {order}", first.at.date())),
        }
    }

    fn order(&self) -> Verdict {
        let mut evidence = self.exhibits_of(&[ExhibitKind::PhysicianOrder], |_| true);
        let from_exhibit = !evidence.is_empty();
        evidence.extend(self.events_of(EventKind::Order).into_iter().map(Self::event));
        match evidence.first() {
            None => Verdict::Gap("no physician order exhibit or `order` event".into()),
            Some(first) if from_exhibit => {
                let note = format!("the signed order is {}", cited(first));
                Verdict::Met(evidence, note)
            }
            Some(_) => Verdict::Met(evidence, "an order is recorded in the case's history; its document is not yet an exhibit".into()),
        }
    }

    fn delivery(&self) -> Verdict {
        match self.first_delivery() {
            Some(first) => {
                let mut evidence: Vec<Evidence> = self.events_of(EventKind::Delivered).into_iter().map(Self::event).collect();
                evidence.extend(self.exhibits_of(&[ExhibitKind::DeliveryConfirmation], |d| d >= first.at.date()));
                Verdict::Met(evidence, format!("delivered on {}", first.at.date()))
            }
            None => match self.exhibits_of(&[ExhibitKind::DeliveryConfirmation], |_| true).first() {
                Some(c) => Verdict::Gap(format!(
                    "no `delivered` event yet; if {} confirms the item's delivery, add the event or list this item in its `meets`",
                    cited(c)
                )),
                None => Verdict::Gap("no `delivered` event yet".into()),
            },
        }
    }

    fn order_before_delivery(&self) -> Verdict {
        let Some((order, order_evidence)) = self.order_date() else {
            return Verdict::Gap("no order date yet (a physician order exhibit or an `order` event)".into());
        };
        match self.first_delivery() {
            Some(d) if d.at.date() < order => Verdict::Contradicted(
                vec![Self::event(d), order_evidence],
                format!("delivered on {}, before the order of {order}", d.at.date()),
            ),
            Some(d) => {
                Verdict::Met(vec![order_evidence, Self::event(d)], format!("the order of {order} came before delivery on {}", d.at.date()))
            }
            None => Verdict::Met(vec![order_evidence], format!("the order of {order} is on file and nothing has been delivered yet")),
        }
    }

    fn diagnosis(&self) -> Verdict {
        let codes = &self.case.info.diagnoses;
        if codes.is_empty() {
            return Verdict::Gap("no diagnoses in [case]".into());
        }
        let mut evidence = vec![Self::field(format!("diagnoses {}", codes.join(", ")))];
        evidence.extend(self.exhibits_of(&[ExhibitKind::ProgressNote], |_| true));
        Verdict::Met(evidence, format!("diagnosed {}", codes.join(", ")))
    }

    fn medical_record(&self) -> Verdict {
        let kinds = [ExhibitKind::ProgressNote, ExhibitKind::MedicalNecessityLetter];
        self.met_by_exhibit(&kinds, "the medical record is", "no progress note or letter of medical necessity")
    }

    /// Met by the exhibits of `kinds` (the first named: "`what` Exhibit 2"), else a gap.
    fn met_by_exhibit(&self, kinds: &[ExhibitKind], what: &str, gap: &str) -> Verdict {
        let evidence = self.exhibits_of(kinds, |_| true);
        match evidence.first() {
            Some(first) => {
                let note = format!("{what} {}", cited(first));
                Verdict::Met(evidence, note)
            }
            None => Verdict::Gap(gap.into()),
        }
    }

    fn homebound(&self) -> Verdict {
        let mut evidence = self.exhibits_of(&[ExhibitKind::MobilityAssessment], |_| true);
        for chart in readings::mobility_charts(&self.case.mobility) {
            if let Some(last) = chart.rows.last() {
                evidence.push(Self::reading(format!("{}: {}", chart.title, last.join(", "))));
            }
        }
        if evidence.is_empty() {
            return Verdict::Gap("no mobility assessment exhibit or mobility readings".into());
        }
        Verdict::Met(
            evidence,
            "mobility is assessed; the certifying practitioner's note must say why leaving home takes a taxing effort".into(),
        )
    }

    fn face_to_face(&self) -> Verdict {
        let start = match (self.first_delivery(), self.order_date()) {
            (Some(d), _) => d.at.date(),
            (None, Some((o, _))) => o,
            (None, None) => return Verdict::Gap("no start of care yet (a `delivered` event, or the order)".into()),
        };
        let notes = self.progress_notes();
        if notes.is_empty() {
            return Verdict::Gap("no progress note of the encounter".into());
        }
        let offset = |i: usize| (self.case.exhibits[i].date - start).num_days();
        let within: Vec<Evidence> = notes.iter().copied().filter(|&i| (-90..=30).contains(&offset(i))).map(|i| self.exhibit(i)).collect();
        if let Some(first) = within.first() {
            let note = format!("{} is within 90 days before or 30 days after the start of care ({start})", cited(first));
            return Verdict::Met(within, note);
        }
        let nearest = notes.iter().copied().min_by_key(|&i| offset(i).abs()).unwrap_or(notes[0]);
        let days = offset(nearest);
        let when = if days < 0 { format!("{} days before", -days) } else { format!("{days} days after") };
        Verdict::Contradicted(
            vec![self.exhibit(nearest)],
            format!(
                "the nearest encounter note ({}) is {when} the start of care ({start}): outside 90 days before to 30 days after",
                cited(&self.exhibit(nearest))
            ),
        )
    }

    fn plan_of_care(&self) -> Verdict {
        self.met_by_exhibit(
            &[ExhibitKind::PhysicianOrder],
            "the practitioner's signed orders are",
            "no physician order exhibit (the plan of care)",
        )
    }

    fn wound_measured(&self) -> Verdict {
        let latest = self.latest_wounds();
        let photos = self.exhibits_of(&[ExhibitKind::WoundPhoto], |_| true);
        if latest.is_empty() {
            return match photos.first() {
                Some(p) => Verdict::Gap(format!("{} is a wound photo: enter its measurements as [[wound]]", cited(p))),
                None => Verdict::Gap("no wound measurements".into()),
            };
        }
        let mut evidence: Vec<Evidence> = latest.iter().map(|w| Self::reading(readings::wound_phrase(w))).collect();
        evidence.extend(photos);
        let sites = latest.len();
        Verdict::Met(evidence, format!("{sites} wound {} measured", if sites == 1 { "site" } else { "sites" }))
    }

    fn qualifying_wound(&self) -> Verdict {
        let stage_one = |w: &WoundMeasurement| {
            w.stage.as_deref().is_some_and(|s| matches!(s.trim().to_lowercase().trim_start_matches("stage").trim(), "1" | "i"))
        };
        if !self.case.wounds.is_empty() && self.case.wounds.iter().all(stage_one) {
            let evidence = self.latest_wounds().into_iter().map(|w| Self::reading(readings::wound_phrase(w))).collect();
            return Verdict::Contradicted(evidence, "every wound measured is a stage 1 pressure ulcer, which does not qualify".into());
        }
        let debridement = self.procedures(|p| matches!(p, "11042" | "11043" | "11044" | "11045" | "11046" | "11047" | "97597" | "97598"));
        if !debridement.is_empty() {
            let codes = debridement.join(", ");
            return Verdict::Met(vec![Self::field(format!("procedures {codes}"))], format!("debridement ({codes})"));
        }
        Verdict::Gap("no surgical or debridement procedure shown: add its code to procedures, or list this item in the `meets` of the operative or debridement note".into())
    }

    fn wound_open(&self) -> Verdict {
        let latest = self.latest_wounds();
        if latest.is_empty() {
            return Verdict::Gap("no wound measurements".into());
        }
        let healed = |w: &&WoundMeasurement| w.length_cm <= 0.0 || w.width_cm <= 0.0;
        let evidence: Vec<Evidence> = latest.iter().map(|w| Self::reading(readings::wound_phrase(w))).collect();
        if latest.iter().all(healed) {
            return Verdict::Contradicted(evidence, "the latest measurement of every wound is 0 cm: healed".into());
        }
        let open = latest.iter().filter(|w| !healed(w)).count();
        Verdict::Met(evidence, format!("{open} wound {} still open at the latest measurement", if open == 1 { "is" } else { "are" }))
    }

    fn infusion_pump(&self) -> Verdict {
        let pumps = self.procedures(|p| matches!(p, "E0779" | "E0780" | "E0781" | "E0791"));
        if !pumps.is_empty() {
            let codes = pumps.join(", ");
            return Verdict::Met(vec![Self::field(format!("procedures {codes}"))], format!("external infusion pump ({codes})"));
        }
        if !self.procedures(|p| p == "E0784").is_empty() {
            return Verdict::Contradicted(
                vec![Self::field("procedures E0784".into())],
                "E0784 is an insulin pump: insulin pump systems are not home infusion drugs".into(),
            );
        }
        Verdict::Gap("no external infusion pump code (E0779, E0780, E0781, E0791) in procedures".into())
    }

    fn infusion_drug(&self) -> Verdict {
        let drugs = self.procedures(|p| p.starts_with('J'));
        if drugs.is_empty() {
            return Verdict::Gap("no drug code (HCPCS J-code) in procedures".into());
        }
        let codes = drugs.join(", ");
        Verdict::Met(vec![Self::field(format!("procedures {codes}"))], format!("drug {codes}"))
    }
}

/// "Exhibit 4" for an exhibit's evidence.
fn cited(e: &Evidence) -> String {
    e.exhibit.as_ref().map(|x| x.cited.clone()).unwrap_or_else(|| e.text.clone())
}

fn stated_names(stated: &[Evidence]) -> String {
    stated.iter().map(cited).collect::<Vec<_>>().join(", ")
}

fn stated_note(stated: &[Evidence]) -> String {
    format!("stated: {} meets it", stated_names(stated))
}
