//! The packet: one chronological, stamped, bookmarked PDF made from a case folder.
//!
//! A build is a line of stages, each handing the next plain data:
//!
//! 1. `plan` (pure): exhibit order and numbers, deadline lines, missed
//!    promises, the letter, the Bates prefix, from the case, `now` and the zone;
//! 2. `merge`: streams each exhibit's pages into the file, one exhibit at a
//!    time, and returns their page counts and hashes;
//! 3. `layout` (pure): the front matter and the manifest as display lists,
//!    settled on their own page count;
//! 4. `stamp`: the footer stamp of every page, now that the count is known;
//! 5. `write`: the generated pages, stamps, page tree,
//!    bookmarks, fonts, document information, catalog and cross references.
//!
//! The file is written under a temporary name and renamed into place only when complete.
//! Under a page or size limit that one file cannot keep, `volumes` divides the packet into a
//! set of files, each written by the same stages, renamed into place together.

pub mod budget;
mod canvas;
mod charts;
mod check;
pub mod cite;
mod coverage;
mod dests;
pub mod fax;
pub(crate) mod fingerprints;
mod flow;
mod font;
mod forms;
mod images;
mod layers;
mod layout;
pub mod letters;
mod merge;
mod ocr;
mod output;
mod plan;
mod prefetch;
pub mod profile;
pub mod sections;
mod stamp;
pub mod verdicts;
mod volumes;
mod wrap;
mod write;
mod writer;

pub use check::{check, check_exhibit, CheckReport, CheckedExhibit};
pub use letters::template_letter;
pub use ocr::{OcrOptions, OcrSummary};
pub use profile::Profile;
pub use sections::{ExhibitEntry, SectionEntry, SectionKind};
pub use volumes::build::{estimate, Estimate};
pub(crate) use volumes::remove_stale;
pub use volumes::LimitError;

use crate::atomic::AtomicFile;
use crate::casefile::CaseFolder;
use crate::error::{Error, Result};
use crate::packet::writer::Sink;
use crate::size::human_bytes;
use budget::{ExhibitImages, Shrink};
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use font::metrics;
use merge::Merged;
use plan::Plan;
use sha2::{Digest, Sha256};

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use write::{PacketWriter, PageRecord};

/// Where the build is, for progress bars.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Progress {
    /// Steps done and the total; each exhibit is a step, and so is the front matter.
    pub done: usize,
    pub total: usize,
    pub message: String,
}

pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How to build. The clock and the zone are the caller's: the library reads neither.
#[derive(Clone)]
pub struct BuildOptions {
    /// Where to write; default `packet.pdf` in the case folder.
    pub out: Option<PathBuf>,
    /// The wall-clock time "now" in `tz`: for deadlines, missed promises and the cover's date.
    pub now: NaiveDateTime,
    /// The creation time written into the file (fixed, from `SOURCE_DATE_EPOCH`, for
    /// byte-identical output run to run).
    pub created: DateTime<Utc>,
    /// The time zone deadlines are counted in.
    pub tz: Tz,
    pub progress: Option<ProgressFn>,
    /// A size budget: images of photos and of scanned PDFs are downsampled and recompressed,
    /// at the step an estimate finds (`budget`), until it fits; past the readable floor the
    /// packet is split into volumes. In fax mode nothing is shrunk: a fax over it is split.
    pub max_bytes: Option<u64>,
    /// Fax mode (`packet::fax`): every page pure black and white, scans and photos 1-bit at
    /// 200 dpi in CCITT Group 4, with an unnumbered fax cover sheet in front.
    pub fax: bool,
    /// Set from another thread to stop the build; nothing is left behind.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Adds a "Coverage criteria" page after the letter and charts: each item of the case's
    /// checklist met, a gap or contradicted (off by default: some do not want to show gaps).
    pub checklist: bool,
    /// `--ocr`: scanned pages of exhibits get an invisible text layer read by Tesseract, so the
    /// packet can be searched (off by default: without it nothing runs Tesseract).
    pub ocr: Option<OcrOptions>,
    /// `--max-pages`: the most pages one file may hold; a longer packet is split into volumes.
    pub max_pages: Option<usize>,
    /// The most files (volumes) the destination accepts, and the most bytes in all of them.
    pub max_files: Option<usize>,
    pub max_total_bytes: Option<u64>,
    /// The fax number (and name) the fax cover sheet is addressed to; without it, the plan's
    /// appeal fax from the case.
    pub fax_to: Option<String>,
    /// Output file names of ASCII letters, digits, `-`, `_` and `.` only (portals refuse others).
    pub safe_names: bool,
    /// Where the verdicts of the exhibits' picture checks are kept by content, so that a
    /// rebuild does not walk the same photos again ([`verdicts::beside`] the case; `None`:
    /// remembered for this build only). The command line and the app keep them beside the case.
    /// Beside this folder, `hashed.json` keeps each input file's SHA-256 under its stat
    /// fingerprint, so that a rebuild does not hash unchanged files again (not for a case of an
    /// encrypted store).
    pub checked: Option<PathBuf>,
}

impl BuildOptions {
    /// A build at `now` (wall clock in `tz`), stamped as created at `created`, with every
    /// other option at its default.
    pub fn new(now: NaiveDateTime, created: DateTime<Utc>, tz: Tz) -> BuildOptions {
        BuildOptions {
            out: None,
            now,
            created,
            tz,
            progress: None,
            max_bytes: None,
            fax: false,
            cancel: None,
            checklist: false,
            ocr: None,
            max_pages: None,
            max_files: None,
            max_total_bytes: None,
            fax_to: None,
            safe_names: false,
            checked: None,
        }
    }
}

/// What a build made (the JSON of `redress build --json`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuildReport {
    /// The file written, or the first volume of a packet in volumes.
    pub output: PathBuf,
    /// The packet's numbered pages ("Page i of N"): of all its volumes together, their
    /// unnumbered covers not counted.
    pub pages: usize,
    /// Bytes of the file, or of all the volumes together.
    pub bytes: u64,
    /// The SHA-256 of the file, or of the first volume (each volume's is in `volumes`).
    pub sha256: String,
    pub sections: Vec<SectionEntry>,
    pub exhibits: Vec<ExhibitEntry>,
    pub deadlines: Vec<crate::deadline::Deadline>,
    pub warnings: Vec<String>,
    /// What OCR did, when it was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrSummary>,
    /// The files written, in order: one, or each volume of a split packet (`output` is the
    /// first).
    pub volumes: Vec<Volume>,
    /// What a size budget did to each exhibit's images (empty without a budget).
    pub shrunk: Vec<ExhibitShrink>,
}

/// One file of the packet: the whole packet, or one volume of it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Volume {
    pub output: PathBuf,
    /// 1-based; `of` volumes in all.
    pub number: usize,
    pub of: usize,
    /// Pages in this file, and the packet page numbers (as stamped) of its first and last
    /// numbered page.
    pub pages: usize,
    pub first_page: usize,
    pub last_page: usize,
    pub bytes: u64,
    pub sha256: String,
}

/// What a size budget did to one exhibit's images.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExhibitShrink {
    /// The exhibit's number in the packet, and its title.
    pub number: usize,
    pub title: String,
    /// Images changed, their bytes before and after.
    pub images: usize,
    pub before: u64,
    pub after: u64,
    /// In words: "12 scanned pages to 150 dpi, JPEG quality 60".
    pub what: String,
}

/// Builds the packet for a case folder and writes it atomically.
/// Under a page or size limit the packet may be written as a set of volumes instead
/// (`volumes`): all renamed into place together, once each is whole.
pub fn build(folder: &CaseFolder, opts: &BuildOptions) -> Result<BuildReport> {
    // A fax under a size budget is built as one file first, to be measured, and then perhaps in
    // volumes: its photos' fax pictures are made once for both.
    let verdicts =
        verdicts::Verdicts::new(opts.checked.clone(), folder.work.is_none()).keeping_fax_pictures(opts.fax && opts.max_bytes.is_some());
    let report = build_with(folder, opts, &verdicts)?;
    // Kept only once the packet is in place: a refused build leaves nothing behind.
    verdicts.keep();
    Ok(report)
}

/// [`build`], its photos' picture checks skipped where `verdicts` knows their bytes whole.
fn build_with(folder: &CaseFolder, opts: &BuildOptions, verdicts: &verdicts::Verdicts) -> Result<BuildReport> {
    let out = volumes::safe_path(opts.out.clone().unwrap_or_else(|| folder.dir.join("packet.pdf")), opts.safe_names);
    refuse_outside(folder)?;
    output::check(folder, &out)?;
    let mut plan = plan::plan(&folder.case, &folder.name(), opts.now, opts.tz);
    plan.checklist_page = opts.checklist;
    cite::check(&plan.letter, plan.case)?;
    if let Some(o) = &opts.ocr {
        ocr::check_available(o)?;
    }
    let mut reader = opts.ocr.as_ref().map(|o| ocr::Reader::new(o, opts.progress.as_ref(), opts.cancel.clone()));
    let limits = volumes::Limits::of(opts);
    // A fax's pictures are 1-bit at the size their pages show them, which no shrink step makes
    // smaller and only a build measures: under a size budget the single file is built first and
    // the packet divided by what each exhibit took there, page limit or not.
    let measure_first = opts.fax && opts.max_bytes.is_some();
    // A page limit splits at once; a size budget alone shrinks images first (below).
    if limits.pages.is_some() && !measure_first {
        if let Some(report) = volumes::build::build_split(folder, &plan, opts, &out, reader.as_mut(), (None, verdicts))? {
            return Ok(report);
        }
    }
    // Under a budget, an attempt that fits is held there while a milder step is tried.
    let labels: Vec<(usize, String)> = plan
        .exhibits
        .iter()
        .map(|e| {
            (e.number, crate::error::Location::Exhibit { number: e.index + 1, file: plan.case.exhibits[e.index].file.clone() }.to_string())
        })
        .collect();
    let mut budget = opts.max_bytes.map(|max| Budget::<(AtomicFile, Attempt)> { labels, ..Budget::new(max) });
    let mut shrink = budget.as_ref().filter(|_| !opts.fax).map(|_| Shrink::NONE);
    // What each exhibit took as it is (the first attempt), should the packet go out in volumes.
    let mut as_is: Option<Vec<(usize, u64)>> = None;
    loop {
        let target = AtomicFile::create(&out)?.holding_replaced();
        let mut attempt = build_once(folder, &plan, opts, (shrink.as_ref(), verdicts), &target, reader.as_mut())?;
        as_is.get_or_insert_with(|| attempt.report.exhibits.iter().map(|e| e.number).zip(attempt.exhibit_bytes.iter().copied()).collect());
        let over_pages = measure_first && opts.max_pages.is_some_and(|p| attempt.report.pages > p);
        let (bytes, images) = (attempt.report.bytes, std::mem::take(&mut attempt.images));
        let next = match budget.as_mut() {
            Some(b) => match b.next((target, attempt), bytes, images) {
                // A fax within its budget but over its page limit (built first to be measured)
                // goes out in volumes too.
                Ok(_) if over_pages => Err(b.cannot(bytes)),
                next => next,
            },
            None => Ok(Next::Keep((target, attempt))),
        };
        let next = match next {
            Ok(next) => next,
            // No shrink above the readable floor makes one file fit: the packet goes out in
            // volumes under the budget, unless not even that can fit.
            Err(cannot) => {
                // The attempts are dropped (their temporary files removed) with the budget.
                let inventory = budget.map(|b| b.inventory).unwrap_or_default();
                let measured =
                    volumes::build::Measured::new(as_is.as_deref().unwrap_or_default(), inventory, opts.max_bytes.unwrap_or(u64::MAX));
                return volumes::build::build_split(folder, &plan, opts, &out, reader.as_mut(), (Some(&measured), verdicts))?.ok_or(cannot);
            }
        };
        let (target, attempt) = match next {
            Next::Build(step) | Next::Milder(step) => {
                shrink = Some(step);
                continue;
            }
            Next::Keep(kept) => kept,
        };
        volumes::check_total(attempt.report.bytes, &limits)?;
        target.commit()?;
        volumes::remove_stale(&out, &[]);
        return Ok(finished(attempt.report, out, opts.max_bytes));
    }
}

/// Refuses a case read from a folder that takes a file from outside it through a link: the
/// rule `casefile::load` applies, kept here for a folder made otherwise or changed since.
pub(crate) fn refuse_outside(folder: &CaseFolder) -> Result<()> {
    let outside = crate::casefile::links_outside(folder);
    match outside.is_empty() {
        true => Ok(()),
        false => Err(Error::Invalid(outside)),
    }
}

/// The report of the attempt kept, with its one file and what a size budget did in words.
fn finished(mut report: BuildReport, out: PathBuf, max: Option<u64>) -> BuildReport {
    if let Some(max) = max {
        report.warnings.extend(shrink_warnings(&report.shrunk, max));
    }
    report.volumes = vec![Volume {
        output: out.clone(),
        number: 1,
        of: 1,
        pages: report.pages,
        first_page: 1,
        // The numbered pages (a fax cover sheet leads the file unnumbered).
        last_page: report.sections.iter().map(|s| s.pages).sum(),
        bytes: report.bytes,
        sha256: report.sha256.clone(),
    }];
    report.output = out;
    report
}

/// Bookmarks whose pages are numbered in the packet, for a file in which `by` unnumbered pages
/// come first.
fn shifted(items: Vec<write::OutlineItem>, by: usize) -> Vec<write::OutlineItem> {
    items.into_iter().map(|i| write::OutlineItem { title: i.title, page: i.page + by, children: shifted(i.children, by) }).collect()
}

/// What a size budget did, one line per exhibit, in words.
fn shrink_warnings(shrunk: &[ExhibitShrink], max: u64) -> Vec<String> {
    shrunk
        .iter()
        .map(|e| {
            format!(
                "Exhibit {} ({}): {} ({} → {}), to fit the {} budget",
                e.number,
                e.title,
                e.what,
                human_bytes(e.before),
                human_bytes(e.after),
                human_bytes(max)
            )
        })
        .collect()
}

/// The most kinds of images a refusal names as kept at full size.
const KEPT_NAMED: usize = 6;

/// What to do after an attempt `A` under a size budget.
#[derive(Debug)]
enum Next<A> {
    /// Keep this attempt: the one just built, or, when the milder step tried after it did not
    /// fit, the one the budget held meanwhile.
    Keep(A),
    /// Build again at this step (the attempt does not fit, and is dropped).
    Build(Shrink),
    /// The attempt fits, but the estimate, corrected by it, says this milder step fits too:
    /// the budget holds the attempt while that is built.
    Milder(Shrink),
}

/// A size budget across the build's attempts: the first measures (every image as it is, its
/// inventory taken), the second is built at the step the estimate chooses; a third only when
/// that missed, at the step chosen again with the estimate corrected by what the second
/// measured: a stronger one when it did not fit, a milder one of the same kind (lossless images
/// kept so, or made JPEGs) when it took less than 40 % of the budget (the second held, and
/// kept should the milder not fit). Should the stronger one miss too, the floor is the last
/// try. An estimate a little over the budget at the floor is built to see.
struct Budget<A> {
    max: u64,
    /// Each exhibit's label ("exhibit 2 (docs/scan.pdf)") by its number in the packet, for
    /// the refusal.
    labels: Vec<(usize, String)>,
    inventory: Vec<ExhibitImages>,
    /// Bytes of everything but the inventory's images.
    fixed: u64,
    /// The step last built, when it was not the first attempt; and whether it was the retry.
    last: Option<Shrink>,
    retried: bool,
    /// An earlier attempt that fits, held while a milder step is built.
    held: Option<A>,
}

impl<A> Budget<A> {
    fn new(max: u64) -> Budget<A> {
        Budget { max, labels: Vec::new(), inventory: Vec::new(), fixed: 0, last: None, retried: false, held: None }
    }

    /// After `attempt`, of `bytes` (with the `images` it found, when it measured): what to do
    /// next; an error when even the readable floor cannot fit.
    fn next(&mut self, attempt: A, bytes: u64, images: Vec<ExhibitImages>) -> Result<Next<A>> {
        let fits = bytes <= self.max;
        let Some(last) = self.last else {
            if fits {
                return Ok(Next::Keep(attempt));
            }
            self.inventory = images;
            let found: u64 = self.inventory.iter().flat_map(|e| &e.images).map(|i| i.bytes).sum();
            self.fixed = bytes.saturating_sub(found);
            // An estimate a little over at the floor is tried: grainy scans shrink more than
            // estimated (not when the floor changes nothing: a fax's pictures, fixed images).
            let step = match budget::choose(&self.inventory, self.fixed, self.max) {
                Err(c) if c.at_floor <= self.max.saturating_add(self.max / 2) && c.at_floor < bytes => Shrink::FLOOR,
                chosen => chosen.map_err(|c| self.cannot(c.at_floor))?,
            };
            return Ok(self.build(step));
        };
        if fits && !self.retried && bytes < self.max / 10 * 4 {
            // Far under: a milder step, chosen with the estimate corrected by this build.
            self.retried = true;
            let (inv, fixed, max, c) = (&self.inventory, self.fixed, self.max, self.correction(bytes, &last));
            let levels = budget::same_kind_from(&last)..last.level;
            let Some(milder) = budget::choose_in(inv, fixed, max, c, levels) else { return Ok(Next::Keep(attempt)) };
            self.held = Some(attempt);
            self.last = Some(milder);
            return Ok(Next::Milder(milder));
        }
        match (fits, self.held.take()) {
            (true, _) => Ok(Next::Keep(attempt)),
            // The milder step did not fit: the attempt held before it is kept.
            (false, Some(held)) => Ok(Next::Keep(held)),
            (false, None) if last == Shrink::FLOOR => Err(self.cannot(bytes)),
            (false, None) if self.retried => Ok(self.build(Shrink::FLOOR)),
            (false, None) => {
                // Over: a stronger step, the estimate corrected with a little to spare.
                self.retried = true;
                let c = self.correction(bytes, &last).max(1.0) * 1.15;
                let stronger = budget::choose_in(&self.inventory, self.fixed, self.max, c, last.level + 1..budget::STEPS.len());
                Ok(self.build(stronger.unwrap_or(Shrink::FLOOR)))
            }
        }
    }

    fn build(&mut self, step: Shrink) -> Next<A> {
        self.last = Some(step);
        Next::Build(step)
    }

    /// What the images a build of `bytes` at `step` changed took over what was estimated.
    fn correction(&self, bytes: u64, step: &Shrink) -> f64 {
        budget::correction(&self.inventory, step, bytes.saturating_sub(self.fixed))
    }

    /// The packet cannot fit: `at_floor` bytes at the readable floor (estimated, or measured),
    /// with the images no step makes smaller named by exhibit.
    fn cannot(&self, at_floor: u64) -> Error {
        let kept = self.kept();
        let kept = match kept.is_empty() {
            true => String::new(),
            false => format!("these images cannot be made smaller and stay at full size: {}; ", kept.join("; ")),
        };
        Error::Other(format!(
            "the packet cannot fit in {}: at the readable floor (scans at {} dpi, photos at {} pixels, lowest JPEG quality) it would still be about {}; \
             {kept}the PDFs' text and drawings, fax pages and the generated pages take the rest, and not even volumes of it would each fit (raise the budget or leave out pages)",
            human_bytes(self.max),
            budget::FLOOR_DPI,
            Shrink::FLOOR.edge,
            human_bytes(at_floor)
        ))
    }

    /// The images of the inventory no step makes smaller, in words, each after its exhibit's
    /// label, the largest first; past [`KEPT_NAMED`], how many more.
    fn kept(&self) -> Vec<String> {
        let label =
            |n: usize| self.labels.iter().find(|(number, _)| *number == n).map_or_else(|| format!("exhibit {n}"), |(_, l)| l.clone());
        let mut kept: Vec<(u64, String)> = self
            .inventory
            .iter()
            .flat_map(|e| budget::kept_words(e).into_iter().map(move |(bytes, words)| (bytes, format!("{}: {words}", label(e.number)))))
            .collect();
        kept.sort_by_key(|k| std::cmp::Reverse(k.0));
        let more = kept.len().saturating_sub(KEPT_NAMED);
        let mut words: Vec<String> = kept.into_iter().take(KEPT_NAMED).map(|(_, w)| w).collect();
        if more > 0 {
            words.push(format!("and {more} more"));
        }
        words
    }
}

/// One attempt at the packet, written to `target`'s temporary file.
struct Attempt {
    report: BuildReport,
    /// Bytes each exhibit took, as written.
    exhibit_bytes: Vec<u64>,
    /// The images each exhibit holds, when the attempt measured them (`Shrink::NONE`).
    images: Vec<ExhibitImages>,
}

/// The stages, in order, writing into `target`.
fn build_once(
    folder: &CaseFolder,
    plan: &Plan,
    opts: &BuildOptions,
    (shrink, verdicts): (Option<&Shrink>, &verdicts::Verdicts),
    target: &AtomicFile,
    mut reader: Option<&mut ocr::Reader>,
) -> Result<Attempt> {
    let io = |e: std::io::Error| target.error(e);
    let file = target.file.try_clone().map_err(io)?;
    let sink = writer::Offloaded::new(file);
    let mut out = PacketWriter::new(sink, opts.fax).map_err(io)?;
    let steps = plan.exhibits.len() + 1;
    let on_exhibit = |n: usize, of: usize, title: &str| {
        stop_if_cancelled(opts)?;
        report_progress(opts, n, steps, format!("Exhibit {} of {of}: {title}", n + 1));
        Ok(())
    };
    if let Some(r) = reader.as_deref_mut() {
        r.attempt();
    }
    let merged = merge::merge(&mut out, folder, plan, (shrink, verdicts), &on_exhibit, reader.as_deref_mut(), &io)?;
    stop_if_cancelled(opts)?;
    report_progress(opts, plan.exhibits.len(), steps, "Cover, contents, timeline and letter".into());
    let laid = layout::layout(metrics(), plan, &merged.exhibits, merged.pages.len())?;
    let front: Vec<&canvas::Canvas> = laid.front_pages().collect();
    let pages = write_generated(&mut out, &front, &merged.pages, &laid.manifest).map_err(io)?;
    debug_assert_eq!(pages.len(), laid.total_pages, "the layout counted every page");
    let text = stamp::StampText { lead: plan.stamp_lead.clone(), prefix: plan.bates_prefix.clone(), total: pages.len() };
    let views: Vec<stamp::View> = pages.iter().map(|p| p.view).collect();
    out.stamp_all(&pages, &stamp::stamps(metrics(), &views, &text, 1)).map_err(io)?;
    let mut warnings = plan.warnings.clone();
    let cover = match opts.fax {
        true => Some(fax::write_cover(&mut out, plan, opts, &text, &fax::Sent::whole(text.total)).map_err(io)?),
        false => None,
    };
    warnings.extend(cover.as_ref().and_then(|c| c.1.clone()));
    let ids: Vec<lopdf::ObjectId> = cover.map(|c| c.0).into_iter().chain(pages.iter().map(|p| p.id)).collect();
    // A fax cover sheet leads the file unnumbered: the page labels then name it and give the
    // rest their Bates numbers, as a volume's do.
    let unnumbered = ids.len() - pages.len();
    let labels = match unnumbered {
        0 => Vec::new(),
        _ => volumes::label_ranges(&volumes::Labels {
            cover: "Fax cover".into(),
            prefix: plan.bates_prefix.clone(),
            first: 1,
            pages: pages.len(),
        }),
    };
    let case = plan.case;
    let finish = write::Finish {
        pages: &ids,
        outline: shifted(write::outline_items(&laid.sections, &laid.exhibits), unnumbered),
        labels,
        title: format!("{} — {}", sections::packet_title(case), case.member.name),
        author: case.submitter.as_ref().map(|s| s.name.clone()),
        subject: case.info.title.clone(),
        created: opts.created,
        file_id: file_id(plan, &merged, opts.created),
        layers: &merged.layers,
        forms: &merged.forms,
    };
    let (bytes, sha256) = out.finish(&finish).and_then(writer::Offloaded::finish).map_err(io)?;
    report_progress(opts, steps, steps, "Done".into());
    warnings.extend(merged.warnings);
    if let Some(r) = &reader {
        warnings.extend(r.warnings.iter().cloned());
    }
    let report = BuildReport {
        output: PathBuf::new(),
        pages: ids.len(),
        bytes,
        sha256,
        sections: laid.sections,
        exhibits: laid.exhibits,
        deadlines: plan.computed.clone(),
        warnings,
        ocr: reader.map(|r| r.summary.clone()),
        volumes: Vec::new(),
        shrunk: merged.shrunk,
    };
    Ok(Attempt { report, exhibit_bytes: merged.bytes, images: merged.images })
}

/// Writes the front matter and the manifest around the exhibits' pages (`front` or
/// `manifest` empty in a volume without them), and returns every page in packet order.
fn write_generated<W: Sink>(
    out: &mut PacketWriter<W>,
    front: &[&canvas::Canvas],
    exhibits: &[PageRecord],
    manifest: &[canvas::Canvas],
) -> std::io::Result<Vec<PageRecord>> {
    let front_ids: Vec<lopdf::ObjectId> = front.iter().map(|_| out.w.alloc()).collect();
    let manifest_ids: Vec<lopdf::ObjectId> = manifest.iter().map(|_| out.w.alloc()).collect();
    let all: Vec<lopdf::ObjectId> =
        front_ids.iter().copied().chain(exhibits.iter().map(|p| p.id)).chain(manifest_ids.iter().copied()).collect();
    let mut pages = Vec::with_capacity(all.len());
    for (c, id) in front.iter().zip(&front_ids) {
        pages.push(out.page(c, *id, &all)?);
    }
    pages.extend(exhibits.iter().copied());
    for (c, id) in manifest.iter().zip(&manifest_ids) {
        pages.push(out.page(c, *id, &all)?);
    }
    Ok(pages)
}

/// The file identifier, derived from what the packet is made of, so that the same case gives
/// the same bytes.
fn file_id(plan: &Plan, merged: &Merged, created: DateTime<Utc>) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update(crate::casefile::to_toml(plan.case).as_bytes());
    h.update(plan.case.letter.as_deref().unwrap_or("").as_bytes());
    for e in &merged.exhibits {
        h.update(e.sha256.as_bytes());
    }
    h.update(created.to_rfc3339().as_bytes());
    let digest = h.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    id
}

fn stop_if_cancelled(opts: &BuildOptions) -> Result<()> {
    match &opts.cancel {
        Some(c) if c.load(Ordering::Relaxed) => Err(Error::Cancelled),
        _ => Ok(()),
    }
}

fn report_progress(opts: &BuildOptions, done: usize, total: usize, message: String) {
    if let Some(p) = &opts.progress {
        p(&Progress { done, total, message });
    }
}

pub(crate) use crate::atomic::hex;

#[cfg(test)]
mod tests {
    use super::*;
    use budget::{Coding, ImageInfo, Shown};

    /// Four 1 MB scans at 300 dpi, as a first build finds them.
    fn scans() -> Vec<ExhibitImages> {
        let scan = ImageInfo {
            width: 2550,
            height: 3300,
            components: 1,
            bytes: 1_000_000,
            coding: Coding::Jpeg { quality: 75 },
            shown: Shown::InPdf { dpi: 300.0, scan: true },
        };
        vec![ExhibitImages { number: 1, images: vec![scan; 4] }]
    }

    fn step(n: Next<u32>) -> Shrink {
        match n {
            Next::Build(s) | Next::Milder(s) => s,
            _ => panic!("a step to build was expected"),
        }
    }

    #[test]
    fn a_budget_builds_at_the_estimated_step_and_retries_once_when_it_misses() {
        // Each attempt is its number here; the budget says which to keep.
        // Fits at once: kept.
        assert!(matches!(Budget::new(5_000_000).next(1, 4_100_000, scans()).unwrap(), Next::Keep(1)));
        // Estimated right: the second build is kept.
        let mut b = Budget::new(2_000_000);
        let first = step(b.next(1, 4_100_000, scans()).unwrap());
        assert!(first.level > 0);
        assert!(matches!(b.next(2, 1_900_000, Vec::new()).unwrap(), Next::Keep(2)));
        // Missed over: a stronger step, then the floor, then a clear error naming its size.
        let mut b = Budget::new(2_000_000);
        let first = step(b.next(1, 4_100_000, scans()).unwrap());
        let second = step(b.next(2, 2_600_000, Vec::new()).unwrap());
        assert!(second.level > first.level);
        if second != Shrink::FLOOR {
            assert_eq!(step(b.next(3, 2_300_000, Vec::new()).unwrap()), Shrink::FLOOR);
        }
        let e = b.next(4, 2_100_000, Vec::new()).unwrap_err().to_string();
        assert!(e.contains("cannot fit in 2.0 MB") && e.contains("still be about 2.1 MB"), "{e}");
        // Missed far under: a milder step is tried while the fitting build is held, and kept
        // when the milder one does not fit.
        let mut b = Budget::new(2_000_000);
        let first = step(b.next(1, 4_100_000, scans()).unwrap());
        let milder = b.next(2, 500_000, Vec::new()).unwrap();
        assert!(matches!(milder, Next::Milder(s) if s.level < first.level));
        assert!(matches!(b.next(3, 2_200_000, Vec::new()).unwrap(), Next::Keep(2)));
    }

    /// A 2560 × 1600 screenshot of 5.5 MB stored without a predictor, as a first build finds it.
    fn screenshot() -> Vec<ExhibitImages> {
        let shot = ImageInfo {
            width: 2560,
            height: 1600,
            components: 3,
            bytes: 5_474_000,
            coding: Coding::Lossless { predicted: false },
            shown: Shown::PhotoPage,
        };
        vec![ExhibitImages { number: 1, images: vec![shot] }]
    }

    #[test]
    fn a_screenshot_far_under_the_budget_is_built_again_milder_of_the_same_kind() {
        let shot = &screenshot()[0].images[0];
        // Kept lossless, and far under: the milder step tried still downsamples it (the step
        // that leaves it as it is cannot fit, however the others were estimated).
        let mut b = Budget::new(3_000_000);
        let first = step(b.next(1, 5_654_000, screenshot()).unwrap());
        assert_eq!(first.make(shot), Some(budget::Make::Lossless));
        let milder = step(b.next(2, 1_000_000, Vec::new()).unwrap());
        assert!(milder.level < first.level && milder.make(shot) == Some(budget::Make::Lossless), "{milder:?}");
        // Made a JPEG, and far under: a milder JPEG, larger or better, not a lossless step the
        // JPEG's bytes say nothing of.
        let mut b = Budget::new(1_500_000);
        let first = step(b.next(1, 5_654_000, screenshot()).unwrap());
        assert!(first.makes_jpegs(), "{first:?}");
        let milder = step(b.next(2, 400_000, Vec::new()).unwrap());
        assert!(milder.level < first.level && milder.makes_jpegs(), "{milder:?}");
    }

    #[test]
    fn a_cancelled_build_leaves_nothing_behind() {
        let dir = std::env::temp_dir().join(format!("redress-cancel-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let folder = crate::demo::write_demo(&dir, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
        let folder = crate::casefile::load(&folder).unwrap();
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let steps = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = steps.clone();
        // Cancelled from the progress callback once the third exhibit starts, as the app's
        // Cancel button does from another thread.
        let progress: ProgressFn = Arc::new(move |p: &Progress| {
            seen.lock().unwrap().push(p.done);
            if p.done == 2 {
                flag.store(true, Ordering::Relaxed);
            }
        });
        let before: Vec<_> = std::fs::read_dir(&folder.dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        let now = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let opts = BuildOptions { progress: Some(progress), cancel: Some(cancel), ..BuildOptions::new(now, now.and_utc(), chrono_tz::UTC) };
        let r = build(&folder, &opts);
        assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
        let after: Vec<_> = std::fs::read_dir(&folder.dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(before, after, "no packet and no temporary file");
        assert_eq!(*steps.lock().unwrap(), vec![0, 1, 2], "progress is reported per exhibit, and the build stops at once");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
