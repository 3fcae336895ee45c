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

mod canvas;
mod charts;
mod check;
pub mod cite;
mod coverage;
mod flow;
mod font;
mod forms;
mod layers;
mod layout;
pub mod letters;
mod merge;
mod ocr;
mod plan;
mod prefetch;
pub mod sections;
mod stamp;
mod wrap;
mod write;
mod writer;

pub use check::{check, check_exhibit, CheckReport};
pub use letters::template_letter;
pub use ocr::{OcrOptions, OcrSummary};
pub use sections::{ExhibitEntry, SectionEntry, SectionKind};

use crate::atomic::{AtomicFile, HashingWriter};
use crate::casefile::CaseFolder;
use crate::error::{Error, Result};
use crate::size::human_bytes;
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use font::metrics;
use merge::{Merged, PhotoStep};
use plan::Plan;
use sha2::{Digest, Sha256};

use std::io::{BufWriter, Write};
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
    /// A size budget: photos are downsampled and recompressed, step by step, until it fits.
    pub max_bytes: Option<u64>,
    /// Black-and-white generated pages and stamps, for fax machines.
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
        }
    }
}

/// What a build made (the JSON of `redress build --json`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub bytes: u64,
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

/// Photo downsampling steps tried under a size budget: longest side in pixels, JPEG quality.
const PHOTO_STEPS: [(u32, u8); 6] = [(3000, 85), (2400, 80), (1800, 75), (1400, 70), (1000, 60), (700, 50)];

/// Builds the packet for a case folder and writes it atomically.
pub fn build(folder: &CaseFolder, opts: &BuildOptions) -> Result<BuildReport> {
    let out = opts.out.clone().unwrap_or_else(|| folder.dir.join("packet.pdf"));
    let mut plan = plan::plan(&folder.case, &folder.name(), opts.now, opts.tz);
    plan.checklist_page = opts.checklist;
    cite::check(&plan.letter, plan.case)?;
    if let Some(o) = &opts.ocr {
        ocr::check_available(o)?;
    }
    let mut reader = opts.ocr.as_ref().map(|o| ocr::Reader::new(o, opts.progress.as_ref(), opts.cancel.clone()));
    let mut step = None;
    loop {
        let target = AtomicFile::create(&out)?;
        let attempt = build_once(folder, &plan, opts, step, &target, reader.as_mut())?;
        match next_step(opts.max_bytes, &attempt, step)? {
            Some(next) => step = Some(next),
            None => {
                target.commit()?;
                let mut report = attempt.report;
                if let (Some(max), Some(s)) = (opts.max_bytes, step) {
                    report.warnings.push(format!(
                        "photos were downsampled to at most {} pixels and recompressed (JPEG quality {}) to fit the {} budget",
                        s.edge,
                        s.quality,
                        human_bytes(max)
                    ));
                }
                report.volumes = vec![Volume {
                    output: out.clone(),
                    number: 1,
                    of: 1,
                    pages: report.pages,
                    first_page: 1,
                    last_page: report.pages,
                    bytes: report.bytes,
                    sha256: report.sha256.clone(),
                }];
                report.output = out;
                return Ok(report);
            }
        }
    }
}

/// One attempt at the packet, written to `target`'s temporary file.
struct Attempt {
    report: BuildReport,
    /// What photos took (JPEG, PNG): the part of the packet a size budget can shrink.
    jpeg_bytes: u64,
    png_bytes: u64,
}

/// The stages, in order, writing into `target`.
fn build_once(
    folder: &CaseFolder,
    plan: &Plan,
    opts: &BuildOptions,
    step: Option<PhotoStep>,
    target: &AtomicFile,
    mut reader: Option<&mut ocr::Reader>,
) -> Result<Attempt> {
    let io = |e: std::io::Error| Error::io(&target.temp, e);
    let file = target.file.try_clone().map_err(io)?;
    let sink = HashingWriter { inner: BufWriter::with_capacity(1 << 20, file), hasher: Sha256::new(), bytes: 0 };
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
    let merged = merge::merge(&mut out, folder, plan, step, &on_exhibit, reader.as_deref_mut())?;
    stop_if_cancelled(opts)?;
    report_progress(opts, plan.exhibits.len(), steps, "Cover, contents, timeline and letter".into());
    let laid = layout::layout(metrics(), plan, &merged.exhibits, merged.pages.len())?;
    let pages = write_generated(&mut out, &laid, &merged).map_err(io)?;
    debug_assert_eq!(pages.len(), laid.total_pages, "the layout counted every page");
    let text = stamp::StampText { lead: plan.stamp_lead.clone(), prefix: plan.bates_prefix.clone(), total: pages.len() };
    let views: Vec<stamp::View> = pages.iter().map(|p| p.view).collect();
    for (page, s) in pages.iter().zip(stamp::stamps(metrics(), &views, &text)) {
        out.stamp(page, &s).map_err(io)?;
    }
    let ids: Vec<lopdf::ObjectId> = pages.iter().map(|p| p.id).collect();
    let case = plan.case;
    let finish = write::Finish {
        pages: &ids,
        sections: &laid.sections,
        exhibits: &laid.exhibits,
        title: format!("{} — {}", sections::packet_title(case), case.member.name),
        author: case.submitter.as_ref().map(|s| s.name.clone()),
        subject: case.info.title.clone(),
        created: opts.created,
        file_id: file_id(plan, &merged, opts.created),
        layers: &merged.layers,
        forms: &merged.forms,
    };
    let (bytes, sha256) = out.finish(&finish).and_then(HashingWriter::finish).map_err(io)?;
    report_progress(opts, steps, steps, "Done".into());
    let mut warnings = plan.warnings.clone();
    warnings.extend(merged.warnings);
    if let Some(r) = &reader {
        warnings.extend(r.warnings.iter().cloned());
    }
    let report = BuildReport {
        output: PathBuf::new(),
        pages: pages.len(),
        bytes,
        sha256,
        sections: laid.sections,
        exhibits: laid.exhibits,
        deadlines: plan.computed.clone(),
        warnings,
        ocr: reader.map(|r| r.summary.clone()),
        volumes: Vec::new(),
        shrunk: Vec::new(),
    };
    Ok(Attempt { report, jpeg_bytes: merged.jpeg_bytes, png_bytes: merged.png_bytes })
}

/// Writes the front matter and the manifest, and returns every page in packet order.
fn write_generated<W: Write>(out: &mut PacketWriter<W>, laid: &layout::Layout, merged: &Merged) -> std::io::Result<Vec<PageRecord>> {
    let front: Vec<&canvas::Canvas> = laid.front_pages().collect();
    let front_ids: Vec<lopdf::ObjectId> = front.iter().map(|_| out.w.alloc()).collect();
    let manifest_ids: Vec<lopdf::ObjectId> = laid.manifest.iter().map(|_| out.w.alloc()).collect();
    let all: Vec<lopdf::ObjectId> =
        front_ids.iter().copied().chain(merged.pages.iter().map(|p| p.id)).chain(manifest_ids.iter().copied()).collect();
    let mut pages = Vec::with_capacity(all.len());
    for (c, id) in front.iter().zip(&front_ids) {
        pages.push(out.page(c, *id, &all)?);
    }
    pages.extend(merged.pages.iter().copied());
    for (c, id) in laid.manifest.iter().zip(&manifest_ids) {
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

/// What to do after an attempt under a size budget: keep it (`None`), try the next photo
/// step, or give up at once when no step could make it fit.
fn next_step(max: Option<u64>, a: &Attempt, step: Option<PhotoStep>) -> Result<Option<PhotoStep>> {
    let Some(max) = max else { return Ok(None) };
    let bytes = a.report.bytes;
    if bytes <= max {
        return Ok(None);
    }
    let rest = bytes.saturating_sub(a.jpeg_bytes + a.png_bytes);
    let cannot = |why: String| Err(Error::Other(format!("the packet cannot fit in {}: {why}", human_bytes(max))));
    if rest >= max {
        return cannot(format!(
            "without its photos it would still be {}; the PDFs, scans and generated pages take that (split the packet or leave out pages)",
            human_bytes(rest)
        ));
    }
    let at = step.and_then(|s| PHOTO_STEPS.iter().position(|p| (p.0, p.1) == (s.edge, s.quality)));
    let mut next = at.map_or(0, |i| i + 1);
    if a.jpeg_bytes == 0 {
        // Only lossless images are left to shrink, and they are shrunk only at the last step.
        next = PHOTO_STEPS.len() - 1;
    }
    if at.is_some_and(|i| i >= next) || next >= PHOTO_STEPS.len() {
        return cannot(format!(
            "with every photo at 700 pixels it is still {}; the PDFs and scans take the rest (split the packet or leave out pages)",
            human_bytes(bytes)
        ));
    }
    let (edge, quality) = PHOTO_STEPS[next];
    Ok(Some(PhotoStep { edge, quality, last: next == PHOTO_STEPS.len() - 1 }))
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
