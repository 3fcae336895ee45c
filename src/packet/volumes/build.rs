//! Writing a packet as a set of volumes: survey the exhibits, settle the volumes and the front
//! matter on each other, write each volume with the build's own stages (merge, stamps, write)
//! and a page-number offset, and rename the set into place only when every file is whole.

use super::{
    check_total, cover, holds, label_ranges, outline, partition, placed_entries, remove_stale, split_warnings, volume_entries, volume_path,
    CoverText, Labels, LimitError, Limits, Share, Sizes, Surveyed, Where, FILE_BYTES, GENERATED_PAGE_BYTES, PAGE_BYTES,
};
use crate::atomic::AtomicFile;
use crate::casefile::CaseFolder;
use crate::error::{Error, Location, Problem, Result};
use crate::import::{self, Format};
use crate::packet::budget::{self, ExhibitImages, Shrink};
use crate::packet::canvas::Canvas;
use crate::packet::fingerprints::Fingerprints;
use crate::packet::font::metrics;
use crate::packet::layout::{self, Layout};
use crate::packet::plan::Plan;
use crate::packet::verdicts::Verdicts;
use crate::packet::{fax, merge, ocr, sections, stamp, write, writer, BuildOptions, BuildReport, Volume};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What a build is expected to make, for the app's build dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Estimate {
    /// Numbered pages of the whole packet.
    pub pages: usize,
    /// Bytes of every file together, about.
    pub bytes: u64,
    /// Files: 1, or the number of volumes.
    pub volumes: usize,
}

/// What a build would make of the case under `opts`' limits, without writing anything: each
/// exhibit opened once for its pages (photos not even decoded), its bytes taken from its file.
/// Under a size limit the images are taken at the shrink step the build would choose, from an
/// inventory of them (each exhibit opened, its photos not walked), taken from the bytes the
/// survey read where the files' sizes alone exceed the limit; each file is then read once.
pub fn estimate(folder: &CaseFolder, opts: &BuildOptions) -> Result<Estimate> {
    let mut plan = crate::packet::plan::plan(&folder.case, &folder.name(), opts.now, opts.tz);
    plan.checklist_page = opts.checklist;
    let limits = Limits::of(opts);
    // A fax's pictures are never shrunk by a budget.
    let budget = limits.bytes.filter(|_| !opts.fax);
    let early = budget.is_some_and(|max| surely_shrinks(folder, &plan, max));
    let (mut survey, images) = survey_and(folder, &plan, Count::Quick, |planned, bytes| early.then(|| images_of(&plan, planned, bytes)))?;
    if opts.fax {
        as_faxed(&mut survey);
    }
    let split = match budget {
        Some(max) if shrinks(&survey, max) => {
            let images = match early {
                true => images.into_iter().flatten().collect::<Result<_>>()?,
                // Only the pages' own bytes tipped it over (a rare margin): read again for it.
                false => inventory(folder, &plan)?,
            };
            at_budget_step(&mut survey, images, max);
            limits
        }
        _ => split_limits(&limits, &survey),
    };
    let (shares, laid) = settle(&plan, &survey, &split)?;
    Ok(Estimate { pages: laid.total_pages, bytes: shares.iter().map(|v| v.bytes).sum(), volumes: shares.len() })
}

/// About what a fax takes for a page of a PDF exhibit once its scan is a 1-bit Group 4 picture
/// at 200 dpi, and for a photo's page once it is dithered: the benchmark's scanned pages take
/// some 27 KB, its smooth phone photos some 160 KB and a grainier photo up to 360 KB; taken
/// toward the high side, so that an estimate errs toward one volume more.
const FAX_PAGE_BYTES: u64 = 40_000;
const FAX_PHOTO_BYTES: u64 = 300_000;

/// Each surveyed exhibit's bytes as a fax takes them (never more than it has: a page of text
/// stays drawn, not pictured); nothing in a fax is shrunk by a budget.
fn as_faxed(survey: &mut [Surveyed]) {
    for s in survey {
        let own = s.entry.pages.saturating_sub(1) as u64;
        let per_page = if s.photo_bytes > 0 { FAX_PHOTO_BYTES } else { FAX_PAGE_BYTES };
        s.bytes = s.bytes.min(GENERATED_PAGE_BYTES + own * (PAGE_BYTES + per_page));
        s.photo_bytes = 0;
    }
}

/// Whether the exhibits as they are take more than one file of `max` bytes, so that a build
/// would shrink their images.
fn shrinks(survey: &[Surveyed], max: u64) -> bool {
    FILE_BYTES + survey.iter().map(|s| s.bytes).sum::<u64>() > max
}

/// Whether the exhibits' files alone, by their sizes (each with its separator page), take more
/// than one file of `max` bytes, so that [`shrinks`] surely says so too: the survey then takes
/// their images' inventory from the bytes it reads, which is otherwise not needed.
fn surely_shrinks(folder: &CaseFolder, plan: &Plan, max: u64) -> bool {
    let exhibits = plan.exhibits.iter().map(|e| &plan.case.exhibits[e.index]);
    let files: u64 = exhibits.map(|ex| std::fs::metadata(folder.exhibit_path(ex)).map_or(0, |m| m.len()) + GENERATED_PAGE_BYTES).sum();
    FILE_BYTES + files > max
}

/// Each surveyed exhibit's bytes taken at the step a build under `max` would take them at: the
/// mildest that fits one file, else the one the packet is divided at ([`Measured`]), estimated
/// from what its `images` take as they are.
fn at_budget_step(survey: &mut [Surveyed], images: Vec<ExhibitImages>, max: u64) {
    let as_is: Vec<(usize, u64)> = survey.iter().map(|s| (s.entry.number, s.bytes)).collect();
    let found: u64 = images.iter().flat_map(|e| &e.images).map(|i| i.bytes).sum();
    let fixed = (FILE_BYTES + as_is.iter().map(|&(_, b)| b).sum::<u64>()).saturating_sub(found);
    let measured = Measured::new(&as_is, images, max);
    let step = budget::choose(&measured.images, fixed, max).unwrap_or(measured.step);
    for (s, bytes) in survey.iter_mut().zip(bytes_at(&as_is, &measured.images, &step)) {
        s.bytes = bytes;
    }
}

/// The images of every exhibit, in the plan's order, each file read (and surveyed) again.
fn inventory(folder: &CaseFolder, plan: &Plan) -> Result<Vec<ExhibitImages>> {
    survey_and(folder, plan, Count::Quick, |planned, bytes| images_of(plan, planned, bytes))?.1.into_iter().collect()
}

/// An exhibit's images, from its file's `bytes`, as the merge takes their inventory: a PDF's
/// placed on its selected pages, a photo's picture (not walked: nothing is written).
fn images_of(plan: &Plan, planned: &sections::ExhibitEntry, bytes: Vec<u8>) -> Result<ExhibitImages> {
    let ex = &plan.case.exhibits[planned.index];
    let given = std::borrow::Cow::Owned(bytes);
    let opened = merge::open_exhibit_checked(ex, given, &mut Vec::new(), import::image::PictureCheck::KnownWhole(None)).map_err(|why| {
        Error::Invalid(vec![Problem::exhibit(Location::Exhibit { number: planned.index + 1, file: ex.file.clone() }, why.to_string())])
    })?;
    let images = match &opened {
        merge::Opened::Pdf(src) => crate::packet::images::pdf_images(&src.doc, &src.pages).into_values().collect(),
        merge::Opened::Photos(photos, format) => photos.iter().map(|p| crate::packet::images::photo_info(p, *format)).collect(),
        merge::Opened::Text { .. } => Vec::new(),
    };
    Ok(ExhibitImages { number: planned.number, images })
}

/// How a survey counts a PDF's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// As the merge will place them: the file opened as the merge opens it (a build).
    Exact,
    /// From the page tree's own count, the file not parsed whole (an estimate; a file that
    /// cannot be read so is opened as the merge opens it).
    Quick,
}

/// Every exhibit's pages as the merge will place them (separator included) and the bytes it is
/// expected to take, one exhibit at a time (its SHA-256 left blank: [`hash_files`] fills it in
/// when the packet is split). Every exhibit that cannot be read or opened is named.
pub fn survey(folder: &CaseFolder, plan: &Plan, count: Count) -> Result<Vec<Surveyed>> {
    survey_and(folder, plan, count, |_, _| ()).map(|(surveyed, _)| surveyed)
}

/// [`survey`], and `also` done to each exhibit's bytes, which the survey has read (once), its
/// results in the plan's order.
fn survey_and<T>(
    folder: &CaseFolder,
    plan: &Plan,
    count: Count,
    mut also: impl FnMut(&sections::ExhibitEntry, Vec<u8>) -> T,
) -> Result<(Vec<Surveyed>, Vec<T>)> {
    let mut out = Vec::with_capacity(plan.exhibits.len());
    let mut extra = Vec::with_capacity(plan.exhibits.len());
    let mut problems = Vec::new();
    for planned in &plan.exhibits {
        let ex = &plan.case.exhibits[planned.index];
        let at = || Location::Exhibit { number: planned.index + 1, file: ex.file.clone() };
        let bytes = match std::fs::read(folder.exhibit_path(ex)) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Problem::exhibit(at(), format!("cannot be read: {e}")));
                continue;
            }
        };
        match own_pages(ex, &bytes, count) {
            Ok((own, photo)) => {
                let size = bytes.len() as u64;
                let entry = sections::ExhibitEntry { sha256: "0".repeat(64), pages: 1 + own, ..planned.clone() };
                let bytes = size + GENERATED_PAGE_BYTES + own as u64 * PAGE_BYTES;
                out.push(Surveyed { entry, bytes, photo_bytes: if photo { size } else { 0 } });
            }
            Err(why) => problems.push(Problem::exhibit(at(), why.to_string())),
        }
        // Once an exhibit is refused, nothing but the survey's problems is returned.
        if problems.is_empty() {
            extra.push(also(planned, bytes));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok((out, extra))
}

/// Fills in each surveyed exhibit's SHA-256 (the manifest prints them), one file at a time:
/// only a packet in volumes needs them before its exhibits are merged. A file whose fingerprint
/// an earlier build kept its SHA-256 under is not read (`fingerprints`); one hashed here is
/// known to the merge that follows, and kept only once the packet is in place.
fn hash_files(folder: &CaseFolder, plan: &Plan, survey: &mut [Surveyed], files: &Fingerprints) -> Result<()> {
    for s in survey {
        let path = folder.exhibit_path(&plan.case.exhibits[s.entry.index]);
        s.entry.sha256 = files.sha256_of(&path).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// An exhibit's own pages, and whether it is a photo a budget can shrink; cheaply: a photo is
/// one page and is not decoded (the merge checks it), a PDF is opened as the merge opens it.
fn own_pages(ex: &crate::model::Exhibit, bytes: &[u8], count: Count) -> Result<(usize, bool), import::Error> {
    match import::detect(&ex.file, bytes)? {
        Format::Jpeg | Format::Png | Format::Heif if ex.pages.is_none() => Ok((1, true)),
        Format::Pdf if count == Count::Quick => match lopdf::Document::load_metadata_mem(bytes) {
            Ok(m) => Ok((ex.pages.as_ref().map_or(m.page_count as usize, |p| p.pages().count()), false)),
            Err(_) => Ok((import::pdf::open(bytes, ex.pages.as_ref())?.pages.len(), false)),
        },
        Format::Pdf => Ok((import::pdf::open(bytes, ex.pages.as_ref())?.pages.len(), false)),
        format @ (Format::Text | Format::Markdown) if ex.pages.is_none() => {
            let (text, _) = import::text::decode(bytes)?;
            Ok((sections::text_pages(metrics(), &text, format == Format::Markdown).len().max(1), false))
        }
        _ => Ok((merge::open_exhibit(ex, bytes, &mut Vec::new())?.pages(), false)),
    }
}

/// The limits a survey divides the packet by before anything is built (an estimate, or a page
/// limit): a budget alone shrinks images before it splits, so an estimate under a budget alone
/// counts on a split only when what is not photos exceeds a file. (When a single file has
/// been built and no shrink made it fit, `build_split` divides by what it measured instead.)
fn split_limits(limits: &Limits, survey: &[Surveyed]) -> Limits {
    let fixed = FILE_BYTES + survey.iter().map(|s| s.bytes - s.photo_bytes).sum::<u64>();
    match limits.bytes {
        Some(max) if fixed <= max && limits.pages.is_none() => Limits { bytes: None, ..*limits },
        _ => *limits,
    }
}

/// Whether the limits could call for volumes, from the exhibits' file sizes alone: under a
/// size limit alone, not while what is not photos fits one file ([`split_limits`]'s rule), so
/// such a build opens nothing twice.
fn may_split(folder: &CaseFolder, plan: &Plan, limits: &Limits) -> bool {
    let Limits { pages: None, bytes: Some(max), files: None, total: None } = *limits else { return true };
    let fixed: u64 = plan
        .exhibits
        .iter()
        .map(|e| &plan.case.exhibits[e.index])
        .filter(|ex| !matches!(import::format_from_name(&ex.file), Some(Format::Jpeg | Format::Png | Format::Heif)))
        .map(|ex| std::fs::metadata(folder.exhibit_path(ex)).map_or(0, |m| m.len()))
        .sum();
    FILE_BYTES + fixed > max
}

/// Settles the volumes and the front matter on each other: the front matter's length moves
/// every page, so the volumes; the volumes change the contents (each line names its volume).
/// Like the layout, a fixed point that is an error if it does not settle.
pub fn settle(plan: &Plan, survey: &[Surveyed], limits: &Limits) -> Result<(Vec<Share>, Layout)> {
    let mut shares: Vec<Share> = Vec::new();
    let mut front = 0;
    for _ in 0..layout::MAX_PASSES {
        let entries = placed_entries(survey, &shares);
        let body = entries.iter().map(|e| e.pages).sum();
        let vols = (shares.len() > 1).then(|| Where::of(&shares, front, survey.len()));
        let laid = layout::layout_in(metrics(), plan, &entries, body, vols.as_ref())?;
        let sizes = Sizes {
            front_pages: laid.front_pages().count(),
            manifest_pages: laid.manifest.len(),
            exhibits: survey.iter().map(|s| (s.entry.pages, s.bytes)).collect(),
        };
        let next = partition(&sizes, limits)?;
        if next == shares && sizes.front_pages == front {
            return Ok((next, laid));
        }
        (shares, front) = (next, sizes.front_pages);
    }
    Err(Error::Other(format!(
        "the volumes and the contents did not settle after {} layouts; try a larger page or size limit",
        layout::MAX_PASSES
    )))
}

/// A volume written to its temporary file.
struct Written {
    target: AtomicFile,
    volume: Volume,
    warnings: Vec<String>,
    /// What its shrink step did, per exhibit.
    shrunk: Vec<crate::packet::ExhibitShrink>,
}

/// What a single file under a size budget measured, for dividing the packet under it.
pub struct Measured {
    /// The step the packet is divided at: the mildest whose estimate needs no more files than
    /// the readable floor's (so the fewest files, with their images no smaller than that needs).
    pub step: Shrink,
    /// Each exhibit's bytes at `step`, in the plan's order (estimated from what its images took
    /// as they are).
    pub at_step: Vec<u64>,
    /// The images each exhibit holds, as found.
    pub images: Vec<ExhibitImages>,
}

impl Measured {
    /// From the first build's bytes per exhibit (`(number, bytes)`, images as they are), its
    /// inventory, and the budget `max` of each file.
    pub fn new(as_is: &[(usize, u64)], images: Vec<ExhibitImages>, max: u64) -> Measured {
        let at = |step: &Shrink| bytes_at(as_is, &images, step);
        let total = |bytes: &[u64]| bytes.iter().sum::<u64>() as f64;
        // As many files as the floor needs, filled to nine tenths (a division is never exact).
        let files = (total(&at(&Shrink::FLOOR)) / max.max(1) as f64).ceil().max(1.0);
        let room = files * max as f64 * 0.9;
        // Never a step stronger than the mildest that already takes them as small as the floor
        // does (a fax's pictures, which no step changes, are taken as they are).
        let floor = total(&at(&Shrink::FLOOR));
        let step = budget::STEPS.iter().copied().find(|s| total(&at(s)) <= room || total(&at(s)) <= floor).unwrap_or(Shrink::FLOOR);
        Measured { step, at_step: at(&step), images }
    }

    /// The mildest shrink step that keeps volume `v` under `max`, by the same estimate as a
    /// single file's (the floor when none does).
    fn shrink_for(&self, v: &Share, survey: &[Surveyed], max: u64) -> Shrink {
        let numbers: Vec<usize> = v.pieces.iter().map(|p| survey[p.exhibit].entry.number).collect();
        let inv: Vec<ExhibitImages> = self.images.iter().filter(|e| numbers.contains(&e.number)).cloned().collect();
        let fixed = v.bytes.saturating_sub(budget::images_estimate(&inv, &self.step));
        budget::choose(&inv, fixed, max).unwrap_or(Shrink::FLOOR)
    }
}

/// Each exhibit's bytes (`(number, bytes)`, its images as they are) at shrink step `step`, its
/// images' part estimated from the inventory.
fn bytes_at(as_is: &[(usize, u64)], images: &[ExhibitImages], step: &Shrink) -> Vec<u64> {
    as_is
        .iter()
        .map(|&(number, bytes)| match images.iter().find(|e| e.number == number) {
            Some(e) => {
                let found: u64 = e.images.iter().map(|i| i.bytes).sum();
                bytes.saturating_sub(found) + e.images.iter().map(|i| budget::estimate(i, step)).sum::<u64>()
            }
            None => bytes,
        })
        .collect()
}

/// Builds the packet as a set of volumes when the limits call for more than one file;
/// `Ok(None)` when one file keeps them (the single-file build then runs as always), or when
/// not even a volume of one page would keep a size limit. `measured`: a single file was
/// built and no shrink above the readable floor made it fit its size limit, so the limit
/// divides the packet, each exhibit taken at what it would take at `measured.step`, and each
/// volume is then built at the mildest shrink step that keeps it under the limit.
pub fn build_split(
    folder: &CaseFolder,
    plan: &Plan,
    opts: &BuildOptions,
    out: &Path,
    mut reader: Option<&mut ocr::Reader>,
    (measured, verdicts): (Option<&Measured>, &Verdicts),
) -> Result<Option<BuildReport>> {
    let limits = Limits::of(opts);
    if measured.is_none() && !may_split(folder, plan, &limits) {
        return Ok(None);
    }
    let mut survey = survey(folder, plan, Count::Exact)?;
    let split = match measured {
        Some(m) => {
            for (s, b) in survey.iter_mut().zip(&m.at_step) {
                // Its stamps were written after it.
                s.bytes = b + s.entry.pages as u64 * PAGE_BYTES;
            }
            limits
        }
        None => split_limits(&limits, &survey),
    };
    let (mut retried, mut hashed, mut grown) = (false, false, false);
    loop {
        let (shares, laid) = match settle(plan, &survey, &split) {
            // Under a size limit alone, when not even one page of a volume fits, volumes
            // cannot help: the single file's budget says what takes the room (a fax's pages
            // cannot be shrunk: the limit's own error names the page).
            Err(Error::Limits(
                LimitError::FrontTooLarge { .. } | LimitError::PageTooLarge { .. } | LimitError::ManifestTooLarge { .. },
            )) if split.pages.is_none() && !opts.fax => return Ok(None),
            other => other?,
        };
        if shares.len() == 1 {
            match (split.bytes, measured.is_some() && opts.fax && !grown) {
                // A fax built as one file came out over the limit: what its exhibits took there
                // is short of what the file needs (its fonts, its cover sheet), so they are
                // taken at least at the limit, and divided again.
                (Some(max), true) => {
                    rescale(&mut survey, &shares[0], max.saturating_add(1));
                    grown = true;
                    continue;
                }
                _ => return Ok(None),
            }
        }
        if !hashed {
            // The layout again, its manifest with the files' hashes (its page counts do not
            // change: a hash is always 64 characters).
            hash_files(folder, plan, &mut survey, &verdicts.files)?;
            hashed = true;
            continue;
        }
        if let Some(r) = reader.as_deref_mut() {
            r.attempt();
        }
        let mut written = Vec::with_capacity(shares.len());
        for v in &shares {
            crate::packet::stop_if_cancelled(opts)?;
            // A fax's pictures are 1-bit at the size their pages show them: never shrunk.
            let shrink = measured.zip(split.bytes).filter(|_| !opts.fax).map(|(m, max)| m.shrink_for(v, &survey, max));
            let set = (v, shares.as_slice(), &laid, survey.as_slice());
            written.push(write_volume(folder, plan, opts, set, (shrink.as_ref(), verdicts), out, reader.as_deref_mut())?);
        }
        let over = overfull(&shares, &written, split.bytes);
        match (over.first(), split.bytes) {
            (Some(&(v, bytes)), Some(limit)) if retried => return Err(LimitError::VolumeTooLarge { number: v.number, bytes, limit }.into()),
            (Some(_), _) => {
                // The estimate missed: the exhibits of each volume that came out too large
                // are taken at what they measured, and the set is divided again (once).
                for (v, bytes) in over {
                    rescale(&mut survey, v, bytes);
                }
                retried = true;
            }
            (None, _) => return commit(written, (plan, &shares, &laid, &survey), out, opts, reader.as_deref()).map(Some),
        }
    }
}

/// The volumes that came out over the size limit, with their bytes.
fn overfull<'a>(shares: &'a [Share], written: &[Written], limit: Option<u64>) -> Vec<(&'a Share, u64)> {
    let Some(limit) = limit else { return Vec::new() };
    shares.iter().zip(written).map(|(v, w)| (v, w.volume.bytes)).filter(|(_, b)| *b > limit).collect()
}

/// Scales the expected bytes of a volume's exhibits by how much the volume exceeded its
/// estimate, with a margin.
fn rescale(survey: &mut [Surveyed], v: &Share, measured: u64) {
    let ratio = measured as f64 / v.bytes.max(1) as f64 * 1.05;
    for p in &v.pieces {
        let s = &mut survey[p.exhibit];
        s.bytes = (s.bytes as f64 * ratio) as u64;
    }
}

/// The settled set: a volume, all of them, the layout of the whole and the survey.
type SetRef<'a> = (&'a Share, &'a [Share], &'a Layout, &'a [Surveyed]);

/// Writes one volume to a temporary file beside its name: its cover, its share of the pages,
/// their stamps numbered from the volume's first page, its bookmarks and page labels.
fn write_volume(
    folder: &CaseFolder,
    plan: &Plan,
    opts: &BuildOptions,
    (v, shares, laid, survey): SetRef,
    (shrink, verdicts): (Option<&Shrink>, &Verdicts),
    out: &Path,
    reader: Option<&mut ocr::Reader>,
) -> Result<Written> {
    let of = shares.len();
    let path = volume_path(out, v.number, of);
    let target = AtomicFile::create(&path)?.holding_replaced();
    let io = |e: std::io::Error| target.error(e);
    let file = target.file.try_clone().map_err(io)?;
    let sink = writer::Offloaded::new(file);
    let mut w = write::PacketWriter::new(sink, opts.fax).map_err(io)?;
    let front_pages = laid.front_pages().count();
    let cover_page = {
        let t = CoverText {
            title: sections::packet_title(plan.case),
            member: &plan.case.member.name,
            case_title: &plan.case.info.title,
            total_pages: laid.total_pages,
            holds: holds(v, &laid.sections, &laid.exhibits, front_pages),
        };
        let c = cover(metrics(), v, of, &plan.bates_prefix, &t);
        let id = w.w.alloc();
        w.page(&c, id, &[]).map_err(io)?
    };
    // Links on the generated pages resolve to this volume's own pages only.
    w.first_page = v.first - 1;
    let sub = Plan { exhibits: volume_entries(v, survey), ..plan.clone() };
    let before: usize = shares.iter().take(v.number - 1).map(|s| s.pieces.len()).sum();
    let steps = plan.exhibits.len() + 1;
    let on_exhibit = |n: usize, _: usize, title: &str| {
        crate::packet::stop_if_cancelled(opts)?;
        let at = (before + n).min(steps - 1);
        crate::packet::report_progress(opts, at, steps, format!("Volume {} of {of}: {title}", v.number));
        Ok(())
    };
    // Under a budget no single file could meet, the volume's own mildest fitting shrink step.
    let merged = merge::merge(&mut w, folder, &sub, (shrink, verdicts), &on_exhibit, reader, &io)?;
    let front: Vec<&Canvas> = if v.front { laid.front_pages().collect() } else { Vec::new() };
    let manifest: &[Canvas] = if v.manifest { &laid.manifest } else { &[] };
    let pages = crate::packet::write_generated(&mut w, &front, &merged.pages, manifest).map_err(io)?;
    if pages.len() != v.pages {
        return Err(Error::Other(format!(
            "volume {} was to hold {} pages but {} were written (an exhibit's page count changed while the packet was built)",
            v.number,
            v.pages,
            pages.len()
        )));
    }
    let text = stamp::StampText { lead: plan.stamp_lead.clone(), prefix: plan.bates_prefix.clone(), total: laid.total_pages };
    let views: Vec<stamp::View> = pages.iter().map(|p| p.view).collect();
    w.stamp_all(&pages, &stamp::stamps(metrics(), &views, &text, v.first)).map_err(io)?;
    // The cover is not numbered: its reserved stamp stream is left empty.
    w.stamp(&cover_page, &Canvas::new(cover_page.view.width, cover_page.view.height)).map_err(io)?;
    // In fax mode each volume is a fax of its own, its fax cover sheet first.
    let mut warnings = merged.warnings;
    let fax_cover = match opts.fax {
        true => {
            let sent = fax::Sent { first: v.first, last: v.last(), volume: Some((v.number, of)) };
            let (id, warning) = fax::write_cover(&mut w, plan, opts, &text, &sent).map_err(io)?;
            warnings.extend(warning.filter(|_| v.number == 1));
            Some(id)
        }
        false => None,
    };
    let ids: Vec<lopdf::ObjectId> = fax_cover.into_iter().chain(std::iter::once(cover_page.id)).chain(pages.iter().map(|p| p.id)).collect();
    let name = format!("Volume {} of {of}", v.number);
    let labels = Labels { cover: name.clone(), prefix: plan.bates_prefix.clone(), first: v.first, pages: v.pages };
    let mut labels = label_ranges(&labels);
    let mut outline = outline(v, of, &laid.sections, &laid.exhibits, front_pages);
    if fax_cover.is_some() {
        for l in &mut labels {
            l.index += 1;
        }
        labels.insert(0, crate::packet::volumes::LabelRange { index: 0, prefix: "Fax cover".into(), start: None });
        outline = crate::packet::shifted(outline, 1);
    }
    let case = plan.case;
    let finish = write::Finish {
        pages: &ids,
        outline,
        labels,
        title: format!("{} — {} — {name}", sections::packet_title(case), case.member.name),
        author: case.submitter.as_ref().map(|s| s.name.clone()),
        subject: case.info.title.clone(),
        created: opts.created,
        file_id: file_id(survey, v.number, opts),
        layers: &merged.layers,
        forms: &merged.forms,
    };
    let (bytes, sha256) = w.finish(&finish).and_then(writer::Offloaded::finish).map_err(io)?;
    let volume = Volume { output: path, number: v.number, of, pages: ids.len(), first_page: v.first, last_page: v.last(), bytes, sha256 };
    Ok(Written { target, volume, warnings, shrunk: merged.shrunk })
}

/// A volume's file identifier, from what the packet is made of and the volume's number.
fn file_id(survey: &[Surveyed], number: usize, opts: &BuildOptions) -> [u8; 16] {
    let mut h = Sha256::new();
    for s in survey {
        h.update(s.entry.sha256.as_bytes());
    }
    h.update(opts.created.to_rfc3339().as_bytes());
    h.update(format!("volume {number}").as_bytes());
    let mut id = [0u8; 16];
    id.copy_from_slice(&h.finalize()[..16]);
    id
}

/// Checks the set's total, renames every volume into place (only now: each is whole), removes
/// what an earlier build left that is no longer part of the packet, and reports.
fn commit(
    written: Vec<Written>,
    (plan, shares, laid, survey): (&Plan, &[Share], &Layout, &[Surveyed]),
    out: &Path,
    opts: &BuildOptions,
    reader: Option<&ocr::Reader>,
) -> Result<BuildReport> {
    let limits = &Limits::of(opts);
    let bytes: u64 = written.iter().map(|w| w.volume.bytes).sum();
    check_total(bytes, limits)?;
    let mut warnings = plan.warnings.clone();
    warnings.extend(split_warnings(shares, survey));
    let mut volumes = Vec::with_capacity(written.len());
    let mut shrunk = Vec::new();
    for w in written {
        warnings.extend(w.warnings);
        shrunk.extend(w.shrunk);
        w.target.commit()?;
        volumes.push(w.volume);
    }
    if let Some(max) = opts.max_bytes {
        warnings.extend(crate::packet::shrink_warnings(&shrunk, max));
    }
    let keep: Vec<PathBuf> = volumes.iter().map(|v| v.output.clone()).collect();
    remove_stale(out, &keep);
    let steps = plan.exhibits.len() + 1;
    crate::packet::report_progress(opts, steps, steps, "Done".into());
    if let Some(r) = reader {
        warnings.extend(r.warnings.iter().cloned());
    }
    Ok(BuildReport {
        output: volumes[0].output.clone(),
        pages: laid.total_pages,
        bytes,
        sha256: volumes[0].sha256.clone(),
        sections: laid.sections.clone(),
        exhibits: laid.exhibits.clone(),
        deadlines: plan.computed.clone(),
        warnings,
        ocr: reader.map(|r| r.summary.clone()),
        volumes,
        shrunk,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    #[test]
    fn volumes_under_a_budget_are_divided_at_the_mildest_step_that_needs_no_more_files_than_the_floor() {
        use crate::packet::budget::{Coding, ImageInfo, Shown};
        let photo = |bytes| ImageInfo {
            width: 4032,
            height: 3024,
            components: 3,
            bytes,
            coding: Coding::Jpeg { quality: 92 },
            shown: Shown::PhotoPage,
        };
        let images: Vec<ExhibitImages> = (1..=10).map(|n| ExhibitImages { number: n, images: vec![photo(3_000_000)] }).collect();
        let as_is: Vec<(usize, u64)> = (1..=10).map(|n| (n, 3_050_000)).collect();
        let floor = Measured::new(&as_is, images.clone(), 1).at_step.iter().sum::<u64>();
        // A budget a little under the floor's total: two files, and room in them for milder photos.
        let max = floor * 9 / 10;
        let m = Measured::new(&as_is, images.clone(), max);
        let total: u64 = m.at_step.iter().sum();
        assert!(m.step.level < Shrink::FLOOR.level, "{m:?}", m = m.step);
        assert!(total <= 2 * max && total > floor, "{total} in two files of {max} (the floor: {floor})");
        // As it is, the photos fit one file: no shrink at all.
        assert_eq!(Measured::new(&as_is, images, 40_000_000).step, Shrink::NONE);
    }

    #[test]
    fn a_build_in_volumes_cancelled_part_way_leaves_nothing_behind() {
        let dir = std::env::temp_dir().join(format!("redress-volumes-cancel-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let folder = crate::casefile::load(&crate::demo::write_demo(&dir, day).unwrap()).unwrap();
        let before: Vec<_> = std::fs::read_dir(&folder.dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        // Cancelled once the third volume's exhibits start: two volumes are whole by then.
        let progress: crate::packet::ProgressFn = Arc::new(move |p: &crate::packet::Progress| {
            if p.message.starts_with("Volume 3 of") {
                flag.store(true, Ordering::Relaxed);
            }
        });
        let now = day.and_hms_opt(9, 0, 0).unwrap();
        let opts = BuildOptions {
            max_pages: Some(12),
            progress: Some(progress),
            cancel: Some(cancel),
            ..BuildOptions::new(now, now.and_utc(), chrono_tz::UTC)
        };
        let r = crate::packet::build(&folder, &opts);
        assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
        let after: Vec<_> = std::fs::read_dir(&folder.dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(before, after, "no volume and no temporary file");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
