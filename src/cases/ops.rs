//! The operations the app performs on stored cases. Each takes the store and the clock
//! (`now`, the time zone) from the caller.

use super::views::*;
use crate::casefile::{CaseDoc, CaseFolder};
use crate::deadline::{self, Deadline, DeadlineKind, Status};
use crate::error::{Error, Result};
use crate::model::{Case, ExhibitKind};
use crate::packet::{self, BuildOptions, BuildReport};
use crate::store::Store;
use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The clock the operations read: passed in from the edge.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: NaiveDateTime,
    pub tz: Tz,
}

fn view(d: &Deadline) -> DeadlineView {
    DeadlineView {
        kind: d.kind.as_str().into(),
        label: d.label.clone(),
        due: d.due.to_string(),
        due_time: d.due_time.map(|t| t.format("%Y-%m-%dT%H:%M").to_string()),
        rule_id: d.rule.clone(),
        citation: d.citation.clone(),
        counted_from: d.counted_from.to_string(),
        basis: d.basis_text.clone(),
        basis_given: d.basis_given,
        due_text: d.due_text.clone(),
        time_zone: d.time_zone.clone(),
        days_left: d.days_left.clamp(i32::MIN as i64, i32::MAX as i64) as i32,
        status: d.status.as_str().into(),
        warnings: d.warnings.clone(),
    }
}

/// Every case with its next deadline, soonest first (cases without one last).
pub fn overview(store: &Store, clock: Clock) -> Result<Vec<CaseOverview>> {
    let mut out = Vec::new();
    for s in store.cases()? {
        let case = store.case(&s.id)?;
        let d = deadline::case_deadlines(&case, Some(&s.id), clock.now, clock.tz);
        let next = d
            .deadlines
            .iter()
            .filter(|d| d.status != Status::Met && !d.closed && d.kind != DeadlineKind::Promise)
            .min_by_key(|d| (d.due, d.due_time))
            .map(view);
        out.push(CaseOverview {
            id: s.id.clone(),
            title: case.info.title.clone(),
            kind: case.info.kind.as_str().into(),
            kind_label: case.info.kind.label().into(),
            program: case.info.program.as_str().into(),
            program_label: case.info.program.label().into(),
            member_name: case.member.name.clone(),
            member_id: case.member.member_id.clone(),
            reference: case.info.reference.clone(),
            exhibits: case.exhibits.len() as u32,
            next_deadline: next,
            missed_promises: d.missed_promises.len() as u32,
        });
    }
    out.sort_by(|a, b| match (&a.next_deadline, &b.next_deadline) {
        (Some(x), Some(y)) => (&x.due, &x.due_time).cmp(&(&y.due, &y.due_time)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.id.cmp(&b.id),
    });
    Ok(out)
}

/// A case as the case screen shows it.
pub fn detail(store: &Store, id: &str, clock: Clock) -> Result<CaseDetail> {
    let (case, documents) = store.case_with_documents(id)?;
    let d = deadline::case_deadlines(&case, Some(id), clock.now, clock.tz);
    let order = case.exhibit_order();
    let mut number = vec![0u32; case.exhibits.len()];
    for (n, &i) in order.iter().enumerate() {
        number[i] = n as u32 + 1;
    }
    let exhibits = case
        .exhibits
        .iter()
        .zip(&number)
        .map(|(e, n)| ExhibitInfo {
            file: e.file.clone(),
            sha256: documents.get(&e.file).cloned(),
            number: *n,
            format: crate::import::format_from_name(&e.file).map(|f| format!("{f:?}").to_lowercase()).unwrap_or_else(|| "unknown".into()),
        })
        .collect();
    Ok(CaseDetail {
        id: id.to_string(),
        doc: CaseDoc::from_case(&case),
        exhibits,
        deadlines: d.deadlines.iter().map(view).collect(),
        missed_promises: d
            .missed_promises
            .iter()
            .map(|m| MissedPromiseView {
                promised: m.promised.to_string(),
                event_at: m.event_at.to_string(),
                summary: m.summary.clone(),
                reference: m.reference.clone(),
                counterpart: m.counterpart.clone(),
                days_overdue: m.days_overdue.clamp(0, i32::MAX as i64) as i32,
            })
            .collect(),
        ladder: ladder(&case, &d.deadlines),
        template_letter: packet::template_letter(&case, clock.now),
        packet: last_packet(store, id),
    })
}

/// The escalation ladder: the program's filing levels in order, then a regulator complaint.
fn ladder(case: &Case, deadlines: &[Deadline]) -> Vec<LadderStep> {
    let current = deadlines.iter().find(|d| d.kind == DeadlineKind::FileAppeal).map(|d| d.rule.clone());
    let mut ids: Vec<&str> = deadline::filing_rules(case.info.program).to_vec();
    if !ids.contains(&"doi-complaint") {
        ids.push("doi-complaint");
    }
    // A grievance runs beside the appeal levels, not after them: it is on the ladder only
    // for a grievance case.
    let grievance_case = case.info.kind == crate::model::CaseKind::MemberGrievance;
    ids.iter()
        .filter_map(|id| deadline::rule(id))
        .filter(|r| grievance_case || !r.level.contains("grievance"))
        .map(|r| LadderStep {
            rule_id: r.id.into(),
            level: r.level.into(),
            window: r.window_text.into(),
            citation: r.citation.into(),
            current: current.as_deref() == Some(r.id),
        })
        .collect()
}

/// Creates a case from the new-case form.
pub fn create(store: &mut Store, doc: &CaseDoc, clock: Clock) -> Result<CaseDetail> {
    let case = doc.to_case()?;
    let name = format!("{} {}", case.member.last_name(), case.info.title);
    let id = store.create_case(&case, &name, &HashMap::new())?;
    detail(store, &id, clock)
}

/// Saves the case screen's edits.
pub fn save(store: &mut Store, id: &str, doc: &CaseDoc, clock: Clock) -> Result<CaseDetail> {
    let case = doc.to_case()?;
    store.save_case(id, &case, &HashMap::new())?;
    detail(store, id, clock)
}

/// Adds documents to a case: each copied into the vault and appended as an exhibit with a
/// suggested kind, date and title (all editable afterwards).
pub fn add_documents(store: &mut Store, id: &str, paths: &[PathBuf], clock: Clock) -> Result<CaseDetail> {
    let mut case = store.case(id)?;
    let mut added = HashMap::new();
    let mut problems = Vec::new();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !path.is_file() {
            problems.push(crate::Problem::new(path.display().to_string(), "", "is not a file that can be added"));
            continue;
        }
        let head = read_head(path);
        match crate::import::detect(&name, &head) {
            Err(why) => {
                problems.push(crate::Problem::new(name.clone(), "", why));
                continue;
            }
            Ok(crate::import::Format::Heif) => {
                problems.push(crate::Problem::new(name.clone(), "", crate::import::HEIF_UNSUPPORTED));
                continue;
            }
            Ok(_) => {}
        }
        let sha = store.vault().put(path)?;
        let file = unique_file(&case, &format!("docs/{}", safe_name(&name)));
        case.exhibits.push(crate::model::Exhibit {
            file: file.clone(),
            kind: suggest_kind(&name),
            date: suggest_date(path, &head, clock.now.date()),
            title: suggest_title(&name),
            pages: None,
            caption: None,
        });
        added.insert(file, sha);
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    store.save_case(id, &case, &added)?;
    detail(store, id, clock)
}

fn read_head(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut buf = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(1 << 20).read_to_end(&mut buf);
    }
    buf
}

fn safe_name(name: &str) -> String {
    let s: String = name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '-' }).collect();
    if s.trim_matches(['.', '-']).is_empty() {
        "document".into()
    } else {
        s
    }
}

fn unique_file(case: &Case, want: &str) -> String {
    if !case.exhibits.iter().any(|e| e.file == want) {
        return want.to_string();
    }
    let (stem, ext) = match want.rsplit_once('.') {
        Some((s, e)) if !s.ends_with('/') => (s.to_string(), format!(".{e}")),
        _ => (want.to_string(), String::new()),
    };
    (2..).map(|n| format!("{stem}-{n}{ext}")).find(|f| !case.exhibits.iter().any(|e| &e.file == f)).unwrap_or_default()
}

/// A kind guessed from the file name; "other" when nothing fits.
pub fn suggest_kind(name: &str) -> ExhibitKind {
    let n = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["denial", "adverse", "eob"]) {
        ExhibitKind::DenialLetter
    } else if has(&["order", "prescription", "rx", "cmn"]) {
        ExhibitKind::PhysicianOrder
    } else if has(&["wound"]) {
        ExhibitKind::WoundPhoto
    } else if has(&["spo2", "oximetr", "oxygen", "o2"]) {
        ExhibitKind::OxygenLog
    } else if has(&["progress", "note", "visit", "soap"]) {
        ExhibitKind::ProgressNote
    } else if has(&["mobility", "tug", "walk", "pt-eval", "therapy"]) {
        ExhibitKind::MobilityAssessment
    } else if has(&["delivery", "confirmation", "receipt"]) {
        ExhibitKind::DeliveryConfirmation
    } else if has(&["necessity", "lmn"]) {
        ExhibitKind::MedicalNecessityLetter
    } else if has(&["call", "fax", "letter", "email", "portal", "correspondence"]) {
        ExhibitKind::Correspondence
    } else {
        ExhibitKind::Other
    }
}

/// The document's own date where the file tells it (a photo's EXIF date, a PDF's creation
/// date), else the day the file was last changed, else today.
pub fn suggest_date(path: &Path, head: &[u8], today: NaiveDate) -> NaiveDate {
    if let Some(t) = crate::import::image::exif_date(head) {
        return t.date();
    }
    if crate::import::sniff(head) == Some(crate::import::Format::Pdf) {
        if let Some(d) = lopdf::Document::load_metadata(path).ok().and_then(|m| m.creation_date).and_then(|d| pdf_date(&d)) {
            return d;
        }
    }
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| chrono::DateTime::<chrono::Local>::from(t).date_naive())
        .filter(|d| *d <= today)
        .unwrap_or(today)
}

fn pdf_date(s: &str) -> Option<NaiveDate> {
    let digits: String = s.trim_start_matches("D:").chars().take(8).collect();
    NaiveDate::parse_from_str(&digits, "%Y%m%d").ok()
}

/// `order-home-oxygen.pdf` → `Order home oxygen`.
pub fn suggest_title(name: &str) -> String {
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let words = stem.replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => "Document".into(),
    }
}

/// The verified vault path of one of a case's documents.
pub fn document_path(store: &Store, id: &str, file: &str) -> Result<PathBuf> {
    let (_, documents) = store.case_with_documents(id)?;
    let sha = documents.get(file).ok_or_else(|| Error::Store(format!("case {id} has no document {file}")))?;
    store.vault().verify(sha)
}

/// Where the app keeps a case's last packet, beside the database.
pub fn packet_path(store: &Store, id: &str) -> PathBuf {
    let dir = store.path().parent().map(Path::to_path_buf).unwrap_or_default();
    dir.join("packets").join(format!("{id}-packet.pdf"))
}

fn report_path(store: &Store, id: &str) -> PathBuf {
    packet_path(store, id).with_extension("json")
}

fn last_packet(store: &Store, id: &str) -> Option<PacketView> {
    let pdf = packet_path(store, id);
    if !pdf.is_file() {
        return None;
    }
    let text = std::fs::read_to_string(report_path(store, id)).ok()?;
    let v: PacketView = serde_json::from_str(&text).ok()?;
    (v.path == pdf.display().to_string()).then_some(v)
}

/// Builds a stored case's packet into the app's packets folder and records it in the history.
pub fn build(store: &mut Store, id: &str, mut opts: BuildOptions) -> Result<PacketView> {
    let folder: CaseFolder = store.load(id)?;
    let out = packet_path(store, id);
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    opts.out = Some(out.clone());
    let r: BuildReport = packet::build(&folder, &opts)?;
    let v = PacketView {
        path: out.display().to_string(),
        pages: r.pages as u32,
        bytes: r.bytes.min(u32::MAX as u64) as u32,
        sha256: r.sha256.clone(),
        sections: r
            .sections
            .iter()
            .map(|s| SectionView { kind: s.kind.into(), title: s.title.clone(), first_page: s.first_page as u32, pages: s.pages as u32 })
            .collect(),
        warnings: r.warnings.clone(),
    };
    let json = serde_json::to_string(&v).map_err(|e| Error::Other(e.to_string()))?;
    let rp = report_path(store, id);
    std::fs::write(&rp, json).map_err(|e| Error::io(&rp, e))?;
    store.note(id, &format!("packet built: {} pages (SHA-256 {})", r.pages, r.sha256))?;
    Ok(v)
}

/// Copies the case's last packet to where the user chose, atomically.
pub fn save_packet_as(store: &Store, id: &str, dest: &Path) -> Result<String> {
    let src = packet_path(store, id);
    if !src.is_file() {
        return Err(Error::Other(format!("case {id} has no packet yet: build it first")));
    }
    let mut target = packet::AtomicFile::create(dest)?;
    let mut from = std::fs::File::open(&src).map_err(|e| Error::io(&src, e))?;
    std::io::copy(&mut from, &mut target.file).map_err(|e| Error::io(&target.temp, e))?;
    target.commit()?;
    Ok(dest.display().to_string())
}

/// Writes the demo case into `scratch` and imports it.
pub fn load_demo(store: &mut Store, scratch: &Path, clock: Clock) -> Result<CaseDetail> {
    let dir = crate::demo::write_demo(&scratch.join("hayes-oxygen-appeal"), clock.now.date())?;
    let folder = crate::casefile::load(&dir)?;
    let id = store.import_folder(&folder)?;
    let _ = std::fs::remove_dir_all(&dir);
    detail(store, &id, clock)
}

/// Imports a case folder.
pub fn import_folder(store: &mut Store, dir: &Path, clock: Clock) -> Result<CaseDetail> {
    let folder = crate::casefile::load(dir)?;
    let id = store.import_folder(&folder)?;
    detail(store, &id, clock)
}

/// The deadline rules with their citations.
pub fn rules() -> Vec<RuleView> {
    deadline::rules()
        .iter()
        .map(|r| RuleView {
            id: r.id.into(),
            program: r.program.as_str().into(),
            level: r.level.into(),
            window: r.window_text.into(),
            citation: r.citation.into(),
        })
        .collect()
}

/// Deadlines due soon or overdue across all cases, for the app's desktop notifications.
pub fn alerts(store: &Store, clock: Clock) -> Result<Vec<(String, DeadlineView)>> {
    let mut out = Vec::new();
    for c in overview(store, clock)? {
        if let Some(d) = c.next_deadline {
            if d.status == "due-soon" || d.status == "overdue" {
                out.push((c.member_name.clone(), d));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock { now: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap().and_hms_opt(9, 0, 0).unwrap(), tz: chrono_tz::America::Chicago }
    }

    #[test]
    fn suggestions_from_file_names() {
        assert_eq!(suggest_kind("Denial_Notice.pdf"), ExhibitKind::DenialLetter);
        assert_eq!(suggest_kind("overnight-oximetry.pdf"), ExhibitKind::OxygenLog);
        assert_eq!(suggest_kind("IMG_2041.jpg"), ExhibitKind::Other);
        assert_eq!(suggest_title("order-home_oxygen.pdf"), "Order home oxygen");
        assert_eq!(safe_name("a b/c?.pdf"), "a-b-c-.pdf");
    }

    #[test]
    fn the_app_workflow_on_a_real_store() {
        let dir = std::env::temp_dir().join(format!("redress-ops-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut store = Store::open(&dir.join("redress.db")).unwrap();
        let demo = load_demo(&mut store, &dir, clock()).unwrap();
        assert_eq!(demo.doc.member.name, "Walter Hayes");
        assert!(demo.deadlines.iter().any(|d| d.citation == "42 CFR 422.582(b), (b)(1)"));
        assert!(demo.ladder.iter().any(|s| s.current));

        // A new case, a document added, an event logged, saved: all there on reading back.
        let mut doc = demo.doc.clone();
        doc.exhibit.clear();
        doc.event.clear();
        doc.member.name = "Ana Ruiz".into();
        let created = create(&mut store, &doc, clock()).unwrap();
        let photo = dir.join("wound left heel.jpg");
        std::fs::write(&photo, crate::demo::fixtures::jpeg_upright_marked(6, true)).unwrap();
        let with_doc = add_documents(&mut store, &created.id, std::slice::from_ref(&photo), clock()).unwrap();
        assert_eq!(with_doc.doc.exhibit.len(), 1);
        assert_eq!(with_doc.doc.exhibit[0].file, "docs/wound-left-heel.jpg");
        assert_eq!(with_doc.doc.exhibit[0].kind, "wound-photo");
        assert_eq!(with_doc.doc.exhibit[0].date, "2025-09-02", "the EXIF date is suggested");
        let mut doc = with_doc.doc.clone();
        doc.event.push(crate::casefile::EventDoc {
            at: "2026-01-09T10:00".into(),
            kind: "call".into(),
            summary: "Called plan".into(),
            promised: Some("2026-01-09T17:00".into()),
            ..Default::default()
        });
        let saved = save(&mut store, &created.id, &doc, clock()).unwrap();
        assert_eq!(saved.missed_promises.len(), 1);
        let again = detail(&store, &created.id, clock()).unwrap();
        assert_eq!(again.doc, doc);
        let history = store.history(&created.id).unwrap();
        assert!(history.iter().any(|h| h.what.contains("1 document added")), "{history:?}");

        // A HEIC photo is refused when added, naming the file and what to do.
        let heic = dir.join("IMG_0042.HEIC");
        std::fs::write(&heic, [&[0u8, 0, 0, 0x18][..], b"ftypheic\0\0\0\0mif1heic"].concat()).unwrap();
        let Err(Error::Invalid(p)) = add_documents(&mut store, &created.id, &[heic], clock()) else { panic!("HEIC accepted") };
        assert!(p[0].to_string().starts_with("IMG_0042.HEIC: is a HEIC/HEIF photo"), "{p:?}");
        assert_eq!(detail(&store, &created.id, clock()).unwrap().doc.exhibit.len(), 1, "nothing was added");

        // Bad input is refused with the key named, and nothing changes.
        let mut bad = doc.clone();
        bad.member.dob = "1950-02-31".into();
        let Err(Error::Invalid(p)) = save(&mut store, &created.id, &bad, clock()) else { panic!() };
        assert_eq!(p[0].location, "member.dob");
        assert_eq!(detail(&store, &created.id, clock()).unwrap().doc, doc);

        // Build: packet and report kept beside the database.
        let v = build(&mut store, &created.id, BuildOptions { now: Some(clock().now), ..Default::default() }).unwrap();
        assert!(v.pages >= 6);
        assert_eq!(detail(&store, &created.id, clock()).unwrap().packet, Some(v));
        let cases = overview(&store, clock()).unwrap();
        assert_eq!(cases.len(), 2);
        assert!(cases.iter().all(|c| c.next_deadline.is_some()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
