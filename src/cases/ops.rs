//! The operations the app performs on stored cases. Each takes the store and the clock
//! (`now`, the time zone) from the caller.

use super::documents::{Refusal, RefusedDocument};
pub use super::suggest::*;
use super::views::*;
use crate::casefile::{CaseDoc, CaseFolder};
use crate::deadline::{self, Deadline, DeadlineKind, Status};
use crate::error::{Error, Result};
use crate::model::Case;
use crate::packet::{self, BuildOptions, BuildReport};
use crate::store::Store;
use chrono::NaiveDateTime;
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
        kind: d.kind,
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
        closed: d.closed,
        days_left: d.days_left.clamp(i32::MIN as i64, i32::MAX as i64) as i32,
        status: d.status,
        warnings: d.warnings.clone(),
    }
}

/// [`view`] of a deadline of `case` at `clock`: a filing deadline counted from a notice or
/// receipt date after today (a typo such as 2062 for 2026) carries that date's warning too, so
/// the app says why it is decades away. The packet's cover does not print it.
fn view_in(d: &Deadline, case: &Case, clock: Clock) -> DeadlineView {
    let mut v = view(d);
    if d.kind == DeadlineKind::FileAppeal {
        let given = [("the notice date", Some(case.info.notice_date)), ("the received date", case.info.received_date)];
        v.warnings.extend(given.iter().filter_map(|&(what, date)| crate::model::after_today(what, date?, clock.now.date())));
    }
    v
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
            .map(|d| view_in(d, &case, clock));
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
            clinician: case.provider.as_ref().and_then(|p| p.clinician.clone()),
            claim_number: case.info.claim_number.clone(),
            authorization_number: case.info.authorization_number.clone(),
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
    let citations = packet::cite::preview_citations(&case);
    let exhibits = case
        .exhibits
        .iter()
        .zip(&number)
        .zip(citations)
        .map(|((e, n), citation)| ExhibitInfo {
            citation,
            file: e.file.clone(),
            sha256: documents.get(&e.file).cloned(),
            number: *n,
            format: crate::import::format_from_name(&e.file),
        })
        .collect();
    let checklist = crate::checklist::evaluate(&case);
    Ok(CaseDetail {
        id: id.to_string(),
        doc: CaseDoc::from_case(&case),
        exhibits,
        deadlines: d.deadlines.iter().map(|d| view_in(d, &case, clock)).collect(),
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
        template_letter: packet::template_letter(&case, checklist.as_ref(), clock.now, clock.tz),
        readings: crate::readings::charts(&case),
        checklist,
        packet: super::packets::last_packet(store, id),
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

/// An NPI as people write and paste it (`123-456-7893`, `123 456 7893`) as its ten digits:
/// spaces and the usual separators are dropped when nothing else is there. Anything else is
/// left as typed, for the check to name.
pub fn normalize_npi(text: &str) -> String {
    let t = text.trim();
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '-' | '.' | '/' | '(' | ')')) {
        t.chars().filter(char::is_ascii_digit).collect()
    } else {
        t.to_string()
    }
}

/// The form's document as the case reader takes it: what people type tidied the way they mean it.
pub(super) fn tidy(doc: &CaseDoc) -> CaseDoc {
    let mut doc = doc.clone();
    if let Some(npi) = doc.provider.as_mut().and_then(|p| p.npi.as_mut()) {
        *npi = normalize_npi(npi);
    }
    doc
}

/// Creates a case from the new-case form.
pub fn create(store: &mut Store, doc: &CaseDoc, clock: Clock) -> Result<CaseDetail> {
    let case = tidy(doc).to_case()?;
    let name = format!("{} {}", case.member.last_name(), case.info.title);
    let id = store.create_case(&case, &name, &HashMap::new())?;
    detail(store, &id, clock)
}

/// Saves the case screen's edits.
pub fn save(store: &mut Store, id: &str, doc: &CaseDoc, clock: Clock) -> Result<CaseDetail> {
    restore_documents(store, id, doc, &HashMap::new(), clock)
}

/// Saves the case with documents brought back that were removed from it (an undone removal):
/// `documents` maps each such exhibit's file to the SHA-256 its content had, which must still
/// be in the vault. Exhibits the case still holds keep their stored content.
pub fn restore_documents(
    store: &mut Store,
    id: &str,
    doc: &CaseDoc,
    documents: &HashMap<String, String>,
    clock: Clock,
) -> Result<CaseDetail> {
    let case = tidy(doc).to_case()?;
    // A plain save brings nothing back, and needs no read of what the case holds now.
    let back: HashMap<String, String> = if documents.is_empty() {
        HashMap::new()
    } else {
        let (_, held) = store.case_with_documents(id)?;
        documents.iter().filter(|(file, _)| !held.contains_key(*file)).map(|(f, s)| (f.clone(), s.clone())).collect()
    };
    // The store checks each one against the vault and names the exhibit it cannot bring back.
    store.save_case(id, &case, &back)?;
    detail(store, id, clock)
}

/// Adds documents to a case: each one is opened as the build will open it, copied into the
/// vault and appended as an exhibit with a suggested kind, date and title (all editable
/// afterwards). Every file that can be added is; each one that cannot (unreadable, not what its
/// name says, encrypted, truncated, or a document the case already has) is named with why, and
/// the others are added all the same.
pub fn add_documents(store: &mut Store, id: &str, paths: &[PathBuf], clock: Clock) -> Result<AddedDocuments> {
    let (mut case, documents) = store.case_with_documents(id)?;
    let mut batch = Batch::new(&case, &documents);
    for path in paths {
        match opened(path, clock) {
            Ok(doc) => batch.add(store, &mut case, path, doc, clock)?,
            Err((name, why)) => batch.refused.push((name, path, why)),
        }
    }
    if !batch.added.is_empty() {
        store.save_case(id, &case, &batch.added)?;
    }
    // Kept once the documents are in, so the case's first build does not walk them again.
    let kept = packet::verdicts::beside_database(&store.folder());
    for (sha, scan) in &batch.checked_whole {
        packet::verdicts::keep_whole(&kept, sha, *scan);
    }
    let refused = refused_documents(&case, batch.refused, &batch.added_files);
    for r in &refused {
        tracing::info!(reason = ?r.reason, "a document was not added");
    }
    tracing::info!(added = batch.added_files.len(), refused = refused.len(), "documents added");
    Ok(AddedDocuments { detail: detail(store, id, clock)?, added: batch.added_files, refused, dates: batch.dates })
}

/// A file read and opened as the build will open it, not yet in the vault.
struct Opened {
    /// Its file name.
    name: String,
    bytes: Vec<u8>,
    /// The exhibit it was opened as: its kind suggested by its name, dated today.
    probe: crate::model::Exhibit,
    checked: packet::CheckedExhibit,
}

/// Reads the file at `path` and opens it as the build will; or why it cannot be added, with
/// the name it is refused under.
fn opened(path: &Path, clock: Clock) -> std::result::Result<Opened, (String, Refusal)> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let bytes = match std::fs::read(path) {
        Ok(b) if path.is_file() => b,
        _ => return Err((path.display().to_string(), Refusal::Unreadable)),
    };
    let probe = crate::model::Exhibit {
        file: name.clone(),
        kind: suggest_kind(&name),
        date: clock.now.date(),
        title: String::new(),
        pages: None,
        caption: None,
        id: None,
        meets: Vec::new(),
    };
    match packet::check_exhibit(&probe, &bytes) {
        Ok(checked) => Ok(Opened { name, bytes, probe, checked }),
        Err(why) => Err((name, Refusal::Because(why))),
    }
}

/// What one call of `add_documents` has added and refused so far.
struct Batch<'p> {
    /// What each document's content is in the case (its SHA-256 to its exhibit file), to
    /// catch the same file added twice.
    by_sha: HashMap<String, String>,
    /// Each exhibit file added, with its content's SHA-256.
    added: HashMap<String, String>,
    /// The exhibit files added, in the order given.
    added_files: Vec<String>,
    dates: Vec<SuggestedDate>,
    /// Each file refused: the name it is refused under, its path, and why.
    refused: Vec<(String, &'p Path, Refusal)>,
    /// Photos whose picture the check walked whole, by SHA-256, with their scan's end.
    checked_whole: Vec<(String, Option<crate::import::image::ScanEnd>)>,
}

impl<'p> Batch<'p> {
    /// An empty batch for `case`, whose exhibit files hold `documents` (file to SHA-256).
    fn new(case: &Case, documents: &HashMap<String, String>) -> Batch<'p> {
        let mut by_sha: HashMap<String, String> = HashMap::new();
        for e in &case.exhibits {
            if let Some(sha) = documents.get(&e.file) {
                by_sha.entry(sha.clone()).or_insert_with(|| e.file.clone());
            }
        }
        Batch { by_sha, added: HashMap::new(), added_files: Vec::new(), dates: Vec::new(), refused: Vec::new(), checked_whole: Vec::new() }
    }

    /// Puts the opened file at `path` in the vault and appends it to `case` as an exhibit with
    /// suggested kind, date and title; refused when the case already holds its content.
    fn add(&mut self, store: &mut Store, case: &mut Case, path: &'p Path, doc: Opened, clock: Clock) -> Result<()> {
        let sha = store.vault().put(path)?;
        if let Some(file) = self.by_sha.get(&sha) {
            self.refused.push((doc.name, path, Refusal::Duplicate(file.clone())));
            return Ok(());
        }
        if walked_whole(&doc.name, &doc.bytes, &sha) {
            self.checked_whole.push((sha.clone(), doc.checked.scan));
        }
        let file = unique_file(case, &format!("docs/{}", safe_name(&doc.name)));
        let suggested = suggest(path, &doc.name, &doc.bytes, clock);
        self.dates.push(SuggestedDate { file: file.clone(), source: suggested.date_source });
        let exhibit_id = unique_exhibit_id(case, &file);
        case.exhibits.push(crate::model::Exhibit {
            file: file.clone(),
            kind: suggested.kind,
            date: suggested.date,
            title: suggested.title,
            id: Some(exhibit_id),
            ..doc.probe
        });
        self.by_sha.insert(sha.clone(), file.clone());
        self.added.insert(file.clone(), sha);
        self.added_files.push(file);
        Ok(())
    }
}

/// Each refused file with why in words; a duplicate named by the exhibit number its original
/// has now, with this batch (`added_files`) in `case`.
fn refused_documents(case: &Case, refused: Vec<(String, &Path, Refusal)>, added_files: &[String]) -> Vec<RefusedDocument> {
    let order = case.exhibit_order();
    let number = |file: &str| order.iter().position(|&i| case.exhibits[i].file == file).map(|n| n + 1).unwrap_or(0);
    refused
        .into_iter()
        .map(|(name, path, why)| {
            let message = match &why {
                Refusal::Unreadable => "is not a file that can be read".into(),
                Refusal::Because(e) => e.to_string(),
                Refusal::Duplicate(file) if added_files.contains(file) => format!("is the same document as {file}, added with it"),
                Refusal::Duplicate(file) => format!("is already in the case as exhibit {} ({file})", number(file)),
            };
            RefusedDocument { location: name, message, path: path.display().to_string(), reason: why.reason() }
        })
        .collect()
}

/// Whether the check `add_documents` made walked this photo's picture whole, as the build
/// would, for the bytes the vault now holds under `sha` (the file may have changed between the
/// check's read and the vault's): then its verdict, and the scan's end the check found in
/// those bytes, are kept under `sha`.
fn walked_whole(name: &str, bytes: &[u8], sha: &str) -> bool {
    use sha2::{Digest, Sha256};
    crate::import::detect(name, bytes).is_ok_and(|f| f == crate::import::Format::Jpeg) && packet::hex(&Sha256::digest(bytes)) == sha
}

pub(super) fn safe_name(name: &str) -> String {
    let s: String = name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '-' }).collect();
    if s.trim_matches(['.', '-']).is_empty() {
        "document".into()
    } else {
        s
    }
}

pub(super) fn unique_file(case: &Case, want: &str) -> String {
    if !case.exhibits.iter().any(|e| e.file == want) {
        return want.to_string();
    }
    let (stem, ext) = match want.rsplit_once('.') {
        Some((s, e)) if !s.ends_with('/') => (s.to_string(), format!(".{e}")),
        _ => (want.to_string(), String::new()),
    };
    (2..).map(|n| format!("{stem}-{n}{ext}")).find(|f| !case.exhibits.iter().any(|e| &e.file == f)).unwrap_or_default()
}

/// An id for a document added as `file`, so the letter cites it by `{{exhibit:…}}` (its number
/// and Bates pages written out at each build, never stale): its file name's words in lowercase
/// joined by hyphens (`docs/Overnight Oximetry.pdf` → `overnight-oximetry`), `-2`, `-3`… when
/// the case has it already; within the 40 characters an id may have.
pub(super) fn unique_exhibit_id(case: &Case, file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut slug = String::new();
    for c in stem.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(34);
    let slug = match slug.trim_end_matches('-') {
        "" => "document",
        s => s,
    };
    let taken = |id: &str| case.exhibits.iter().any(|e| e.id.as_deref() == Some(id));
    std::iter::once(slug.to_string()).chain((2..).map(|n| format!("{slug}-{n}"))).find(|id| !taken(id)).unwrap_or_default()
}

/// The verified vault path of one of a case's documents. In an encrypted store the file there
/// is encrypted: read the document with [`document_bytes`].
pub fn document_path(store: &Store, id: &str, file: &str) -> Result<PathBuf> {
    let (_, documents) = store.case_with_documents(id)?;
    let sha = documents.get(file).ok_or_else(|| crate::store::StoreError::NoDocument { case_id: id.into(), file: file.into() })?;
    store.vault().verify(sha)
}

/// One of a case's documents, hash-checked (and decrypted in an encrypted store).
pub fn document_bytes(store: &Store, id: &str, file: &str) -> Result<Vec<u8>> {
    let (_, documents) = store.case_with_documents(id)?;
    let sha = documents.get(file).ok_or_else(|| crate::store::StoreError::NoDocument { case_id: id.into(), file: file.into() })?;
    store.vault().read(sha)
}

/// A small PNG of one of a case's image documents (the first page of a TIFF scan or fax, a HEIC
/// photo), for the documents list: the app's web view shows JPEG and PNG itself but not these.
pub fn document_thumbnail(store: &Store, id: &str, file: &str) -> Result<Vec<u8>> {
    let bytes = document_bytes(store, id, file)?;
    let document = |why| Error::Document { file: file.to_string(), why };
    let format = crate::import::detect(file, &bytes)
        .map_err(document)?
        .image()
        .ok_or_else(|| document(crate::import::Error::NotTheFormat("is not an image".into())))?;
    crate::import::image::preview_png(&bytes, format, 320).map_err(document)
}

/// Where the app writes a case's packet, beside the database (a split packet's volumes are
/// named after it: `{id}-packet-vol1-of-3.pdf`).
pub fn packet_path(store: &Store, id: &str) -> PathBuf {
    super::packets::packets_dir(store).join(format!("{id}-packet.pdf"))
}

/// How an app build reads scanned pages (`build --ocr`): Tesseract from the `PATH`, its readings
/// kept in `ocr/` beside the database, where `OcrOptions::beside` keeps those of a stored case.
pub fn ocr_options(store: &Store) -> crate::packet::OcrOptions {
    let dir = super::packets::store_dir(store).join("ocr");
    crate::packet::OcrOptions { key: super::packets::file_key(store), ..crate::packet::OcrOptions::new(Some(dir)) }
}

pub(super) fn report_path(store: &Store, id: &str) -> PathBuf {
    packet_path(store, id).with_extension("json")
}

/// A stored case ready to build without the store: its documents hash-checked in the vault
/// (whose files are named by their content and never changed in place), and where its packet
/// and the packet's report go. Made by [`prepare_build`] under the store's lock.
#[derive(Debug)]
pub struct BuildJob {
    id: String,
    folder: CaseFolder,
    out: PathBuf,
    report: PathBuf,
    /// The destination profile the build is for (empty: none).
    profile: String,
}

/// A packet built and on disk with its report, waiting to be noted in the case's history by
/// [`record_build`].
#[derive(Debug, Clone)]
pub struct BuiltPacket {
    id: String,
    view: PacketView,
}

/// Builds a stored case's packet into the app's packets folder and records it in the history.
/// The app's shell runs the three steps itself, holding the store only for the first and last
/// (see [`crate::cases::SharedStore::build`]).
pub fn build(store: &mut Store, id: &str, opts: BuildOptions) -> Result<PacketView> {
    let job = prepare_build(store, id)?;
    let built = run_build(job, opts)?;
    record_build(store, &built)
}

/// Loads what a build of case `id` needs from the store.
pub fn prepare_build(store: &Store, id: &str) -> Result<BuildJob> {
    let folder: CaseFolder = store.load(id)?;
    Ok(BuildJob { id: id.to_string(), folder, out: packet_path(store, id), report: report_path(store, id), profile: String::new() })
}

/// [`prepare_build`] for the destination profile named (empty: none), with `opts` set to its
/// limits.
pub fn prepare_build_for(store: &Store, id: &str, profile: &str, opts: BuildOptions) -> Result<(BuildJob, BuildOptions)> {
    let opts = super::packets::with_profile(store, profile, opts)?;
    Ok((BuildJob { profile: profile.to_string(), ..prepare_build(store, id)? }, opts))
}

/// Builds the packet and writes its report beside it, each atomically; needs no store.
pub fn run_build(job: BuildJob, mut opts: BuildOptions) -> Result<BuiltPacket> {
    if let Some(dir) = job.out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    opts.out = Some(job.out.clone());
    // Photos checked once are not walked again (their verdicts kept by content).
    opts.checked.get_or_insert_with(|| packet::verdicts::beside(&job.folder));
    let r: BuildReport = super::packets::build_into_packets(&job.folder, &opts)?;
    let v = super::packets::packet_view(&r, &job.profile, &opts);
    let json = serde_json::to_string(&v).map_err(|e| Error::io(&job.report, e.into()))?;
    let key = job.folder.work.as_ref().map(|w| w.key());
    crate::crypto::stream::write_atomically(&job.report, json.as_bytes(), key)?;
    tracing::info!(
        pages = v.pages,
        bytes = v.bytes,
        exhibits = job.folder.case.exhibits.len(),
        warnings = v.warnings.len(),
        "packet built"
    );
    Ok(BuiltPacket { id: job.id, view: v })
}

/// Notes a built packet in its case's history.
pub fn record_build(store: &mut Store, built: &BuiltPacket) -> Result<PacketView> {
    let v = &built.view;
    store.note(&built.id, &format!("packet built: {} pages (SHA-256 {})", v.pages, v.sha256))?;
    Ok(v.clone())
}

/// Copies the case's last packet to where the user chose, atomically.
pub fn save_packet_as(store: &Store, id: &str, dest: &Path) -> Result<String> {
    super::packets::save_volume_as(store, id, 1, dest)
}

/// The member's request for a free copy of the claim file and the criteria used (Markdown),
/// dated today: what the app shows before it is saved or printed.
pub fn claim_file_letter(store: &Store, id: &str, clock: Clock) -> Result<String> {
    let case = store.case(id)?;
    Ok(packet::letters::claim_file_letter(&case, clock.now.date()))
}

/// Writes that request to `dest`: a one-letter PDF, or its Markdown when `dest` ends in `.md`.
/// Returns the path written.
pub fn save_claim_file_letter(store: &Store, id: &str, dest: &Path, clock: Clock) -> Result<String> {
    let case = store.case(id)?;
    let created =
        deadline::calendar::localize(clock.tz, clock.now).map(|t| t.with_timezone(&chrono::Utc)).unwrap_or_else(|| clock.now.and_utc());
    packet::letters::write_claim_file_letter(&case, clock.now.date(), dest, created)?;
    Ok(dest.display().to_string())
}

/// Writes the demo case into `scratch` and imports it.
pub fn load_demo(store: &mut Store, scratch: &Path, clock: Clock) -> Result<CaseDetail> {
    let dir = crate::demo::write_demo(&scratch.join("hayes-oxygen-appeal"), clock.now.date())?;
    let folder = crate::casefile::load(&dir)?;
    let id = store.import_folder(&folder)?;
    tracing::info!(exhibits = folder.case.exhibits.len(), "demo case loaded");
    let _ = std::fs::remove_dir_all(&dir);
    detail(store, &id, clock)
}

/// Imports a case folder.
pub fn import_folder(store: &mut Store, dir: &Path, clock: Clock) -> Result<CaseDetail> {
    let folder = crate::casefile::load(dir)?;
    let id = store.import_folder(&folder)?;
    tracing::info!(exhibits = folder.case.exhibits.len(), "case folder imported");
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
            if matches!(d.status, Status::DueSoon | Status::Overdue) {
                out.push((c.member_name.clone(), d));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExhibitKind;
    use chrono::NaiveDate;

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

    /// A fresh store in its own folder, with one case (no documents) from the demo's identifiers.
    fn store_with_case(tag: &str) -> (PathBuf, Store, String) {
        let dir = std::env::temp_dir().join(format!("redress-ops-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut store = Store::open(&dir.join("redress.db")).unwrap();
        let demo = load_demo(&mut store, &dir, clock()).unwrap();
        let mut doc = demo.doc.clone();
        doc.exhibit.clear();
        doc.member.name = "Ana Ruiz".into();
        let id = create(&mut store, &doc, clock()).unwrap().id;
        (dir, store, id)
    }

    #[test]
    fn a_notice_date_after_today_is_warned_beside_the_filing_deadline_the_app_shows() {
        let (dir, mut store, id) = store_with_case("future");
        let mut doc = detail(&store, &id, clock()).unwrap().doc;
        let filing = |d: &CaseDetail| d.deadlines.iter().find(|x| x.kind == DeadlineKind::FileAppeal).unwrap().warnings.clone();
        let warned = |w: &[String]| w.iter().any(|w| w.ends_with("is after today (2026-01-10): is the year right?"));
        assert!(!warned(&filing(&detail(&store, &id, clock()).unwrap())));
        doc.case.notice_date = "2062-01-02".into();
        doc.case.received_date = None;
        let saved = save(&mut store, &id, &doc, clock()).unwrap();
        assert!(
            filing(&saved).contains(&"the notice date 2062-01-02 is after today (2026-01-10): is the year right?".to_string()),
            "{:?}",
            filing(&saved)
        );
        let next = overview(&store, clock()).unwrap().into_iter().find(|c| c.id == id).unwrap().next_deadline.unwrap();
        assert!(warned(&next.warnings), "{:?}", next.warnings);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_app_build_keeps_its_ocr_readings_where_a_stored_cases_are_kept() {
        let (dir, store, id) = store_with_case("ocr-cache");
        let folder = store.load(&id).unwrap();
        assert_eq!(ocr_options(&store).cache, crate::packet::OcrOptions::beside(&folder).cache);
        assert_eq!(ocr_options(&store).cache, Some(dir.join("ocr")));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_claim_file_request_of_a_stored_case_is_shown_and_saved_as_pdf_or_markdown() {
        let (dir, store, id) = store_with_case("claim-file");
        let text = claim_file_letter(&store, &id, clock()).unwrap();
        assert!(text.starts_with("January 10, 2026\n\n"), "{text}");
        assert!(text.contains("My name is Ana Ruiz. I ask for a free copy of the complete claim file"), "{text}");
        let pdf = dir.join("request.pdf");
        assert_eq!(save_claim_file_letter(&store, &id, &pdf, clock()).unwrap(), pdf.display().to_string());
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
        let md = dir.join("request.md");
        save_claim_file_letter(&store, &id, &md, clock()).unwrap();
        assert_eq!(std::fs::read_to_string(&md).unwrap(), text, "the Markdown saved is the letter shown");
        let missing = save_claim_file_letter(&store, &id, &dir.join("no-such-folder/request.pdf"), clock()).unwrap_err();
        assert!(missing.to_string().contains("no-such-folder"), "{missing}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_photo_added_is_kept_as_checked_so_the_first_build_does_not_walk_it_again() {
        use crate::demo::fixtures;
        use crate::packet::verdicts;
        use sha2::{Digest, Sha256};
        let (dir, mut store, id) = store_with_case("checked");
        let (photo, note) = (fixtures::jpeg_plain(64, 48, 5), fixtures::text_pdf(&["Visit note"]));
        std::fs::write(dir.join("heel.jpg"), &photo).unwrap();
        std::fs::write(dir.join("note.pdf"), &note).unwrap();
        let kept = verdicts::beside(&store.load(&id).unwrap());
        let sha = |bytes: &[u8]| crate::packet::hex(&Sha256::digest(bytes));
        assert!(!verdicts::kept_whole(&kept, &sha(&photo)), "nothing kept before the photo is added");
        add_documents(&mut store, &id, &[dir.join("heel.jpg"), dir.join("note.pdf")], clock()).unwrap();
        assert!(verdicts::kept_whole(&kept, &sha(&photo)), "the photo's check is kept where the case's builds look");
        let opened = crate::import::image::open(&photo, crate::import::image::ImageFormat::Jpeg, &Default::default()).unwrap();
        assert!(opened.scan.is_some());
        assert_eq!(verdicts::kept(&kept, &sha(&photo)), Some(opened.scan), "with where its picture data lies");
        assert!(!verdicts::kept_whole(&kept, &sha(&note)), "only a photo's picture check is kept");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn adding_files_adds_the_good_ones_and_names_every_bad_one_in_plain_words() {
        use crate::demo::fixtures;
        let (dir, mut store, id) = store_with_case("partial");
        let put = |name: &str, bytes: &[u8]| {
            let p = dir.join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        let note = put("progress-note.pdf", &fixtures::text_pdf(&["Visit note", "page two"]));
        let locked = put("locked.pdf", &fixtures::encrypted_pdf("user-secret", "owner-secret"));
        let cut = put("cut.pdf", &fixtures::truncate(&fixtures::text_pdf(&["one", "two", "three"]), 0.5));
        let fake = put("scan.pdf", b"just some text, not a PDF");
        let photo = put("wound.jpg", &fixtures::jpeg_plain(64, 48, 3));
        let missing = dir.join("gone.pdf");
        let r = add_documents(&mut store, &id, &[note.clone(), locked, cut, fake, missing, photo], clock()).unwrap();

        assert_eq!(r.added, ["docs/progress-note.pdf", "docs/wound.jpg"]);
        assert_eq!(r.detail.doc.exhibit.len(), 2, "the good files are in the case");
        let why = |name: &str| r.refused.iter().find(|p| p.location.ends_with(name)).map(|p| p.message.clone()).unwrap_or_default();
        assert_eq!(r.refused.len(), 4, "{:?}", r.refused);
        assert!(why("locked.pdf").contains("encrypted") && why("locked.pdf").contains("password"), "{}", why("locked.pdf"));
        assert!(why("cut.pdf").starts_with("is truncated"), "{}", why("cut.pdf"));
        assert!(why("scan.pdf").contains("not a PDF") || why("scan.pdf").contains("is not"), "{}", why("scan.pdf"));
        assert_eq!(why("gone.pdf"), "is not a file that can be read");
        for p in &r.refused {
            for parser_words in ["parsing", "cross reference", "xref", "Error", "lopdf"] {
                assert!(!p.message.contains(parser_words), "a parser's words reach the person: {p:?}");
            }
        }
        // What was refused left nothing behind in the case.
        assert_eq!(detail(&store, &id, clock()).unwrap().doc.exhibit.len(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_added_documents_id_is_its_names_words_unique_and_within_the_ids_rules() {
        let mut case = crate::casefile::parse(include_str!("../store/fixtures/second-case.toml")).unwrap();
        let exhibit = crate::model::Exhibit {
            file: "docs/overnight-oximetry.pdf".into(),
            kind: crate::model::ExhibitKind::OxygenLog,
            date: case.info.notice_date,
            title: "Overnight oximetry".into(),
            pages: None,
            caption: None,
            id: Some("overnight-oximetry".into()),
            meets: Vec::new(),
        };
        case.exhibits = vec![exhibit];
        let id = |file: &str| unique_exhibit_id(&case, file);
        assert_eq!(id("docs/Overnight Oximetry.pdf"), "overnight-oximetry-2");
        assert_eq!(id("docs/IMG_0107 (1).HEIC"), "img-0107-1");
        assert_eq!(id("docs/Ärztlicher Befund.pdf"), "rztlicher-befund");
        assert_eq!(id("docs/____.pdf"), "document");
        let long = id("docs/a-very-long-name-of-a-scanned-fax-from-the-plan-about-the-denial.pdf");
        assert_eq!(long, "a-very-long-name-of-a-scanned-fax");
        // Each passes the checks case.toml's ids pass, beside the id already there.
        for made in [long, id("docs/x.y.z.tif"), id("docs/Overnight Oximetry.pdf")] {
            let mut with = case.clone();
            let mut second = with.exhibits[0].clone();
            second.id = Some(made.clone());
            with.exhibits.push(second);
            crate::casefile::parse(&crate::casefile::to_toml(&with)).unwrap_or_else(|e| panic!("{made}: {e}"));
        }
    }

    #[test]
    fn the_same_file_added_twice_is_named_as_the_exhibit_it_already_is() {
        use crate::demo::fixtures;
        let (dir, mut store, id) = store_with_case("twice");
        let order = dir.join("order.pdf");
        std::fs::write(&order, fixtures::text_pdf(&["Signed order"])).unwrap();
        let note = dir.join("note.pdf");
        std::fs::write(&note, fixtures::text_pdf(&["A note"])).unwrap();
        let first = add_documents(&mut store, &id, &[note.clone(), order.clone()], clock()).unwrap();
        assert_eq!(first.added.len(), 2);
        let number = first.detail.exhibits.iter().find(|x| x.file == "docs/order.pdf").unwrap().number;

        // Again, and once more under another name: neither becomes order-2.pdf.
        let copy = dir.join("order (1).pdf");
        std::fs::copy(&order, &copy).unwrap();
        let again = add_documents(&mut store, &id, &[order, copy], clock()).unwrap();
        assert!(again.added.is_empty(), "{:?}", again.added);
        assert_eq!(again.refused.len(), 2);
        for p in &again.refused {
            assert_eq!(p.message, format!("is already in the case as exhibit {number} (docs/order.pdf)"));
        }
        assert_eq!(again.detail.doc.exhibit.len(), 2);

        // The same file twice in one batch: added once, the second named.
        let photo = dir.join("heel.jpg");
        std::fs::write(&photo, fixtures::jpeg_plain(40, 30, 9)).unwrap();
        let batch = add_documents(&mut store, &id, &[photo.clone(), photo], clock()).unwrap();
        assert_eq!(batch.added, ["docs/heel.jpg"]);
        // Each added document has an id the letter cites it by, from its name, unique.
        let ids: Vec<_> = batch.detail.doc.exhibit.iter().map(|e| e.id.clone().unwrap_or_default()).collect();
        assert_eq!(ids, ["note", "order", "heel"]);
        assert_eq!(batch.refused[0].message, "is the same document as docs/heel.jpg, added with it");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_tiff_fax_gets_a_png_thumbnail() {
        let (dir, mut store, id) = store_with_case("tiff");
        let fax = dir.join("fax-report.tiff");
        std::fs::write(&fax, crate::demo::fixtures::tiff_rgb(1700, 2200)).unwrap();
        let r = add_documents(&mut store, &id, &[fax], clock()).unwrap();
        let png = document_thumbnail(&store, &id, &r.added[0]).unwrap();
        let thumb = ::image::load_from_memory_with_format(&png, ::image::ImageFormat::Png).unwrap();
        assert_eq!((thumb.width().max(thumb.height())), 320);
        assert!(thumb.height() > thumb.width(), "a portrait page stays portrait");
        // The demo's fax report, as the demo case holds it.
        let demo = overview(&store, clock()).unwrap().into_iter().find(|c| c.member_name == "Walter Hayes").unwrap();
        let png = document_thumbnail(&store, &demo.id, "docs/fax-confirmation.tiff").unwrap();
        assert!(::image::load_from_memory_with_format(&png, ::image::ImageFormat::Png).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_removed_document_comes_back_from_the_vault_when_its_removal_is_undone() {
        let (dir, mut store, id) = store_with_case("undo");
        let note = dir.join("note.md");
        std::fs::write(&note, "# Progress note\n\nWalked 40 m; SpO2 86%.\n").unwrap();
        let added = add_documents(&mut store, &id, &[note], clock()).unwrap().detail;
        let kept = added.doc.clone();
        let sha = added.exhibits[0].sha256.clone().unwrap();
        // Removed and saved: the case no longer holds it.
        let mut removed = kept.clone();
        removed.exhibit.clear();
        assert!(save(&mut store, &id, &removed, clock()).unwrap().doc.exhibit.is_empty());
        // Saving it back without its content is refused, naming the exhibit.
        let Err(e) = save(&mut store, &id, &kept, clock()) else { panic!("an exhibit with no stored content was saved") };
        assert!(e.to_string().contains(&kept.exhibit[0].file), "{e}");
        // Brought back with the content it had.
        let map = HashMap::from([(kept.exhibit[0].file.clone(), sha.clone())]);
        let back = restore_documents(&mut store, &id, &kept, &map, clock()).unwrap();
        assert_eq!(back.doc, kept);
        assert_eq!(back.exhibits[0].sha256.as_deref(), Some(sha.as_str()));
        // A content the vault does not hold is refused, naming the file.
        let mut other = removed.clone();
        save(&mut store, &id, &other, clock()).unwrap();
        other.exhibit = kept.exhibit.clone();
        let bogus = HashMap::from([(kept.exhibit[0].file.clone(), "0".repeat(64))]);
        let Err(e) = restore_documents(&mut store, &id, &other, &bogus, clock()) else { panic!("a content the vault lacks was accepted") };
        assert!(e.to_string().contains(&kept.exhibit[0].file) && e.to_string().contains("missing"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_npi_typed_or_pasted_with_separators_is_saved_as_its_digits() {
        assert_eq!(normalize_npi("123-456-7893"), "1234567893");
        assert_eq!(normalize_npi(" 123 456 7893 "), "1234567893");
        assert_eq!(normalize_npi("(123) 456.7893"), "1234567893");
        assert_eq!(normalize_npi("12345abc90"), "12345abc90", "anything else is left for the check to name");
        let (dir, mut store, id) = store_with_case("npi");
        let mut doc = detail(&store, &id, clock()).unwrap().doc;
        doc.provider.get_or_insert_with(Default::default).npi = Some("123-456-7893".into());
        let saved = save(&mut store, &id, &doc, clock()).unwrap();
        assert_eq!(saved.doc.provider.unwrap().npi.as_deref(), Some("1234567893"));
        doc.provider.as_mut().unwrap().npi = Some("123-456-7890".into());
        let Err(Error::Invalid(p)) = save(&mut store, &id, &doc, clock()) else { panic!("a wrong check digit was accepted") };
        assert_eq!(p[0].location, "provider.npi", "{p:?}");
        let _ = std::fs::remove_dir_all(&dir);
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
        let added = add_documents(&mut store, &created.id, std::slice::from_ref(&photo), clock()).unwrap();
        // Where the suggested date came from is said, so the app can ask to check the weak ones.
        assert_eq!(added.dates, [SuggestedDate { file: "docs/wound-left-heel.jpg".into(), source: super::super::DateSource::Metadata }]);
        let with_doc = added.detail;
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

        // A HEIC file that holds no picture is refused when added, naming the file and what to do.
        let heic = dir.join("IMG_0042.HEIC");
        std::fs::write(&heic, [&[0u8, 0, 0, 0x18][..], b"ftypheic\0\0\0\0mif1heic"].concat()).unwrap();
        let r = add_documents(&mut store, &created.id, &[heic], clock()).unwrap();
        assert!(r.added.is_empty());
        assert_eq!(r.refused[0].location, "IMG_0042.HEIC");
        assert!(r.refused[0].message.starts_with("is a damaged HEIC photo"), "{:?}", r.refused);
        assert_eq!(detail(&store, &created.id, clock()).unwrap().doc.exhibit.len(), 1, "nothing was added");

        // Bad input is refused with the key named, and nothing changes.
        let mut bad = doc.clone();
        bad.member.dob = "1950-02-31".into();
        let Err(Error::Invalid(p)) = save(&mut store, &created.id, &bad, clock()) else { panic!() };
        assert_eq!(p[0].location, "member.dob");
        assert_eq!(detail(&store, &created.id, clock()).unwrap().doc, doc);

        // Build: packet and report kept beside the database.
        let v = build(&mut store, &created.id, BuildOptions::new(clock().now, clock().now.and_utc(), clock().tz)).unwrap();
        assert!(v.pages >= 6);
        assert_eq!(detail(&store, &created.id, clock()).unwrap().packet, Some(v));
        let cases = overview(&store, clock()).unwrap();
        assert_eq!(cases.len(), 2);
        assert!(cases.iter().all(|c| c.next_deadline.is_some()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
