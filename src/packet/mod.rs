//! The packet: one chronological, stamped, bookmarked PDF made from a case folder.
//!
//! The build streams: each exhibit is opened, its pages written to the file and its memory
//! released before the next is opened. Generated front matter, stamps (which need the page
//! count), bookmarks and fonts are written last; page order comes from the page tree, not
//! from where objects sit in the file.

mod assemble;
mod canvas;
mod flow;
mod font;
mod letter;
pub mod sections;
mod stamp;
mod writer;

pub use sections::{ExhibitEntry, SectionEntry};

use crate::casefile::CaseFolder;
use crate::error::{Error, Problem, Result};
use crate::import::{self, Format};
use assemble::{Assembler, PageRecord};
use canvas::Canvas;
use chrono::{DateTime, NaiveDateTime, Utc};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use sections::{DeadlineLine, Front};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Where the build is, for progress bars.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Progress {
    /// Steps done and the total; each exhibit is a step, and so is the front matter.
    pub done: usize,
    pub total: usize,
    pub message: String,
}

pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How to build. The clock is passed in: `now` for deadlines and the cover's date,
/// `created` (from `SOURCE_DATE_EPOCH`) to fix every date in the file.
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// Where to write; default `packet.pdf` in the case folder.
    pub out: Option<PathBuf>,
    /// The local time "now"; default the system clock.
    pub now: Option<NaiveDateTime>,
    /// A fixed creation time, making the output byte-identical run to run.
    pub created: Option<DateTime<Utc>>,
    pub progress: Option<ProgressFn>,
    /// A size budget: photos are downsampled and recompressed, step by step, until it fits.
    pub max_bytes: Option<u64>,
    /// Black-and-white generated pages and stamps, for fax machines.
    pub fax: bool,
    /// Set from another thread to stop the build; nothing is left behind.
    pub cancel: Option<Arc<AtomicBool>>,
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
}

/// Photo downsampling steps tried under a size budget: longest side in pixels, JPEG quality.
const PHOTO_STEPS: [(u32, u8); 6] = [(3000, 85), (2400, 80), (1800, 75), (1400, 70), (1000, 60), (700, 50)];

/// Builds the packet for a case folder and writes it atomically.
pub fn build(folder: &CaseFolder, opts: &BuildOptions) -> Result<BuildReport> {
    let out = opts.out.clone().unwrap_or_else(|| folder.dir.join("packet.pdf"));
    let steps: Vec<Option<(u32, u8)>> = match opts.max_bytes {
        Some(_) => std::iter::once(None).chain(PHOTO_STEPS.iter().copied().map(Some)).collect(),
        None => vec![None],
    };
    let mut last_size = 0;
    for step in steps {
        let target = AtomicFile::create(&out)?;
        let file = target.file.try_clone().map_err(|e| Error::io(&target.temp, e))?;
        let sink = HashingWriter { inner: BufWriter::with_capacity(1 << 20, file), hasher: Sha256::new(), bytes: 0 };
        let mut report = assemble_packet(folder, opts, step, sink, &target.temp)?;
        if let Some(max) = opts.max_bytes {
            if report.bytes > max {
                // Too big: this attempt's temporary file is dropped, the next step tried.
                last_size = report.bytes;
                continue;
            }
            if let Some((edge, quality)) = step {
                report.warnings.push(format!(
                    "photos were downsampled to at most {edge} pixels and recompressed (JPEG quality {quality}) to fit the {} budget",
                    human_bytes(max)
                ));
            }
        }
        target.commit()?;
        report.output = out;
        return Ok(report);
    }
    Err(Error::Other(format!(
        "the packet cannot fit in {}: with every photo at 700 pixels it is still {}; the PDFs and scans take the rest (split the packet or leave out pages)",
        human_bytes(opts.max_bytes.unwrap_or(0)),
        human_bytes(last_size)
    )))
}

/// `10.2 MB`.
pub fn human_bytes(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else {
        format!("{:.0} KB", n as f64 / 1e3)
    }
}

/// Parses a size such as `10MB`, `1.5 MB`, `500KB`, `20MiB` or a plain number of bytes.
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let v = n * mult;
    (v.is_finite() && v >= 1.0).then_some(v as u64)
}

fn cancelled(opts: &BuildOptions) -> bool {
    opts.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
}

fn report_progress(opts: &BuildOptions, done: usize, total: usize, message: String) {
    if let Some(p) = &opts.progress {
        p(&Progress { done, total, message });
    }
}

fn assemble_packet(
    folder: &CaseFolder,
    opts: &BuildOptions,
    photo_step: Option<(u32, u8)>,
    sink: HashingWriter<BufWriter<File>>,
    temp: &Path,
) -> Result<BuildReport> {
    let io = |e: std::io::Error| Error::io(temp, e);
    let case = &folder.case;
    let now = opts.now.unwrap_or_else(|| chrono::Local::now().naive_local());
    let created = opts.created.unwrap_or_else(Utc::now);
    let prepared = match opts.created {
        Some(c) => c.date_naive(),
        None => now.date(),
    };
    let tz = crate::deadline::local_tz();
    let case_name = folder.name();
    let computed = crate::deadline::case_deadlines(case, Some(&case_name), now, tz);
    let deadlines: Vec<DeadlineLine> = computed
        .deadlines
        .iter()
        // Promises are shown in the timeline's own rows; the cover lists the law's deadlines.
        .filter(|d| d.kind != crate::deadline::DeadlineKind::Promise)
        .map(|d| DeadlineLine {
            label: d.label.clone(),
            due: d.due_text.clone(),
            basis: d.basis_text.clone(),
            rule: d.rule.clone(),
            citation: d.citation.clone(),
            status: d.status.as_str().to_string(),
            warnings: d.warnings.clone(),
        })
        .collect();
    let missed: Vec<bool> = (0..case.events.len()).map(|i| crate::deadline::promise_is_missed(case, i, now, tz)).collect();

    let mut asm = Assembler::new(sink, opts.fax).map_err(io)?;
    let order = case.exhibit_order();
    let steps = order.len() + 1;
    let mut body: Vec<PageRecord> = Vec::new();
    let mut entries: Vec<ExhibitEntry> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();

    for (n, &idx) in order.iter().enumerate() {
        if cancelled(opts) {
            return Err(Error::Cancelled);
        }
        let ex = &case.exhibits[idx];
        report_progress(opts, n, steps, format!("Exhibit {} of {}: {}", n + 1, order.len(), ex.title));
        let at = || crate::error::Location::Exhibit { number: idx + 1, file: ex.file.clone() };
        let label = at().to_string();
        let path = folder.exhibit_path(ex);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Problem::new("", at(), format!("cannot be read: {e}")));
                continue;
            }
        };
        let sha256 = hex(&Sha256::digest(&bytes));
        let mut entry = ExhibitEntry {
            number: n + 1,
            index: idx,
            kind: ex.kind,
            date: ex.date,
            title: ex.title.clone(),
            source: ex.file.clone(),
            sha256,
            first_page: 0,
            pages: 0,
        };
        let placed = place_exhibit(&mut asm, ex, &mut entry, bytes, &mut warnings, &label, photo_step);
        match placed {
            Ok(pages) => {
                if problems.is_empty() {
                    body.extend(pages);
                }
                entries.push(entry);
            }
            Err(Placement::Problem(why)) => problems.push(Problem::new("", at(), why.to_string())),
            Err(Placement::Io(e)) => return Err(io(e)),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    if cancelled(opts) {
        return Err(Error::Cancelled);
    }
    report_progress(opts, order.len(), steps, "Cover, contents, timeline and letter".into());

    // The letter: the case's own, else the template, filled in once (it does not depend on
    // page numbers).
    let templated;
    let letter_case = if case.letter.is_some() {
        case
    } else {
        let front = Front { case, exhibits: &entries, sections: &[], deadlines: &deadlines, missed: &missed, total_pages: 0, prepared };
        templated = crate::model::Case { letter: Some(letter::template(&front)), ..case.clone() };
        &templated
    };

    // Front matter and manifest: laid out until their page counts settle, since the
    // contents and the cover print page numbers that depend on them.
    let body_pages = body.len();
    let mut front_count = 0;
    let mut manifest_count = 0;
    let mut rendered: Option<Layout> = None;
    for _ in 0..4 {
        let total = front_count + body_pages + manifest_count;
        let mut offset = front_count + 1;
        for e in entries.iter_mut() {
            e.first_page = offset;
            offset += e.pages;
        }
        let sections = section_entries(front_count, body_pages, manifest_count, &rendered);
        let front =
            Front { case, exhibits: &entries, sections: &sections, deadlines: &deadlines, missed: &missed, total_pages: total, prepared };
        let parts: Vec<(SectionEntry, Vec<Canvas>)> = vec![
            (sec("cover", "Cover"), sections::cover(&mut asm.fonts, &front)),
            (sec("contents", "Contents"), sections::contents(&mut asm.fonts, &front)),
            (sec("timeline", "Timeline"), sections::timeline(&mut asm.fonts, &front)),
            (sec("letter", "Letter"), sections::letter(&mut asm.fonts, &Front { case: letter_case, ..front })),
            (sec("charts", "Clinical charts"), charts(case)),
        ];
        let manifest = sections::manifest(&mut asm.fonts, &front);
        let new_front: usize = parts.iter().map(|p| p.1.len()).sum();
        let settled = new_front == front_count && manifest.len() == manifest_count;
        front_count = new_front;
        manifest_count = manifest.len();
        rendered = Some((parts, manifest));
        if settled {
            break;
        }
    }
    let Some((parts, manifest)) = rendered else { return Err(Error::Other("internal error: front matter was not laid out".into())) };
    let total = front_count + body_pages + manifest_count;

    // Page objects in packet order.
    let front_ids: Vec<ObjectId> = (0..front_count).map(|_| asm.w.alloc()).collect();
    let manifest_ids: Vec<ObjectId> = (0..manifest_count).map(|_| asm.w.alloc()).collect();
    let all_ids: Vec<ObjectId> = front_ids.iter().copied().chain(body.iter().map(|p| p.id)).chain(manifest_ids.iter().copied()).collect();
    let mut records: Vec<PageRecord> = Vec::with_capacity(total);
    let front_canvases: Vec<&Canvas> = parts.iter().flat_map(|p| p.1.iter()).collect();
    for (c, id) in front_canvases.iter().zip(&front_ids) {
        records.push(asm.canvas_page(c, *id, &all_ids).map_err(io)?);
    }
    records.extend(body.iter().copied());
    for (c, id) in manifest.iter().zip(&manifest_ids) {
        records.push(asm.canvas_page(c, *id, &all_ids).map_err(io)?);
    }

    // Stamps, now that the page count is known.
    let stamp = stamp::StampText::new(case, total);
    for (i, r) in records.iter().enumerate() {
        let content = stamp::stamp_content(&mut asm.fonts, &r.view, &stamp.line(i + 1));
        asm.generated(r.stamp, &content).map_err(io)?;
    }

    // Sections for the report and the bookmarks.
    let mut sections_out = Vec::new();
    let mut page = 1;
    for (s, pages) in &parts {
        if !pages.is_empty() {
            sections_out.push(SectionEntry { first_page: page, pages: pages.len(), ..s.clone() });
            page += pages.len();
        }
    }
    for e in &entries {
        sections_out.push(SectionEntry {
            kind: "exhibit",
            title: format!("Exhibit {} · {}", e.number, e.kind.label()),
            first_page: e.first_page,
            pages: e.pages,
        });
    }
    sections_out.push(SectionEntry {
        kind: "manifest",
        title: "Manifest".into(),
        first_page: front_count + body_pages + 1,
        pages: manifest_count,
    });

    let mut pages_dict = Dictionary::new();
    pages_dict.set("Type", Object::Name(b"Pages".to_vec()));
    pages_dict.set("Kids", all_ids.iter().map(|id| Object::Reference(*id)).collect::<Vec<_>>());
    pages_dict.set("Count", total as i64);
    asm.w.write(asm.pages_root, &Object::Dictionary(pages_dict)).map_err(io)?;

    let outline = write_outline(&mut asm, &sections_out, &entries, &all_ids).map_err(io)?;
    asm.fonts.finish(&mut asm.w).map_err(io)?;

    let title = format!("{} — {}", sections::packet_title(case), case.member.name);
    let mut info = Dictionary::new();
    info.set("Title", text_string(&title));
    if let Some(s) = &case.submitter {
        info.set("Author", text_string(&s.name));
    }
    info.set("Subject", text_string(&case.info.title));
    info.set("Creator", text_string("Redress"));
    info.set("Producer", text_string(&format!("Redress {}", env!("CARGO_PKG_VERSION"))));
    let stamp_date = Object::String(created.format("D:%Y%m%d%H%M%SZ").to_string().into_bytes(), StringFormat::Literal);
    info.set("CreationDate", stamp_date.clone());
    info.set("ModDate", stamp_date);
    let info_id = asm.w.alloc();
    asm.w.write(info_id, &Object::Dictionary(info)).map_err(io)?;

    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", asm.pages_root);
    catalog.set("Outlines", outline);
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    catalog.set("Lang", text_string("en-US"));
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", true);
    catalog.set("ViewerPreferences", prefs);
    let root = asm.w.alloc();
    asm.w.write(root, &Object::Dictionary(catalog)).map_err(io)?;

    // The file identifier is derived from what the packet is made of, so that the same case
    // gives the same bytes.
    let mut h = Sha256::new();
    h.update(crate::casefile::to_toml(case).as_bytes());
    h.update(case.letter.as_deref().unwrap_or("").as_bytes());
    for e in &entries {
        h.update(e.sha256.as_bytes());
    }
    h.update(created.to_rfc3339().as_bytes());
    let digest = h.finalize();
    let mut file_id = [0u8; 16];
    file_id.copy_from_slice(&digest[..16]);
    let sink = asm.w.finish(root, info_id, file_id).map_err(io)?;
    let (bytes, sha) = sink.finish().map_err(io)?;
    report_progress(opts, steps, steps, "Done".into());

    Ok(BuildReport {
        output: PathBuf::new(),
        pages: total,
        bytes,
        sha256: sha,
        sections: sections_out,
        exhibits: entries,
        deadlines: computed.deadlines,
        warnings,
    })
}

fn sec(kind: &'static str, title: &str) -> SectionEntry {
    SectionEntry { kind, title: title.into(), first_page: 0, pages: 0 }
}

/// The section list the contents page prints, from the previous layout pass's page counts.
/// The generated sections with their pages, and the manifest's pages.
type Layout = (Vec<(SectionEntry, Vec<Canvas>)>, Vec<Canvas>);

fn section_entries(front: usize, body: usize, manifest: usize, prev: &Option<Layout>) -> Vec<SectionEntry> {
    let mut out = Vec::new();
    let mut page = 1;
    let counts: Vec<(SectionEntry, usize)> = match prev {
        Some((parts, _)) => parts.iter().map(|(s, c)| (s.clone(), c.len())).collect(),
        None => vec![
            (sec("cover", "Cover"), 1),
            (sec("contents", "Contents"), 1),
            (sec("timeline", "Timeline"), 1),
            (sec("letter", "Letter"), 1),
        ],
    };
    for (s, n) in counts {
        if n > 0 {
            out.push(SectionEntry { first_page: page, pages: n, ..s });
            page += n;
        }
    }
    out.push(SectionEntry { kind: "manifest", title: "Manifest".into(), first_page: front + body + 1, pages: manifest });
    out
}

/// The clinical charts section: empty until the charts issue draws SpO2, wound and
/// mobility charts here. Its place in the order is already fixed.
fn charts(_case: &crate::model::Case) -> Vec<Canvas> {
    Vec::new()
}

enum Placement {
    Problem(import::Error),
    Io(std::io::Error),
}

impl From<std::io::Error> for Placement {
    fn from(e: std::io::Error) -> Self {
        Placement::Io(e)
    }
}

/// Opens one exhibit, writes its separator and pages, and fills in its page count.
/// An exhibit's file opened and checked, ready to be placed.
enum Opened {
    Pdf(Box<import::pdf::SourcePdf>),
    /// One photo, or each image of a multi-page TIFF (a fax).
    Photos(Vec<import::image::Photo>),
    Text {
        text: String,
        markdown: bool,
    },
}

impl Opened {
    /// Pages the exhibit's own content takes (its separator not counted); text is laid out
    /// only when placed, so it counts as one here.
    fn pages(&self) -> usize {
        match self {
            Opened::Pdf(src) => src.pages.len(),
            Opened::Photos(p) => p.len(),
            Opened::Text { .. } => 1,
        }
    }
}

/// Opens an exhibit as the build will place it: the content must be what the name says, the
/// page selection must fit, and the file must not be encrypted, truncated or too large.
/// Warnings go to `warnings`; the error says what is wrong with the file.
fn open_exhibit(
    ex: &crate::model::Exhibit,
    bytes: &[u8],
    photo_step: Option<(u32, u8)>,
    warnings: &mut Vec<String>,
) -> Result<Opened, import::Error> {
    let format = import::detect(&ex.file, bytes)?;
    if ex.pages.is_some() && format != Format::Pdf {
        return Err(import::Error::Unsupported("has a page selection, but only PDFs have pages to select".into()));
    }
    let image = |kind| {
        let limits = import::image::Limits::default();
        match photo_step {
            // TIFFs are scans and faxes: a size budget leaves them as they are.
            Some((edge, quality)) if kind != import::image::ImageFormat::Tiff => {
                import::image::recompress(bytes, kind, &limits, edge, quality).map(|p| vec![p])
            }
            _ => import::image::open_pages(bytes, kind, &limits),
        }
    };
    Ok(match format {
        Format::Pdf => {
            let src = import::pdf::open(bytes, ex.pages.as_ref())?;
            warnings.extend(src.warnings.iter().cloned());
            Opened::Pdf(Box::new(src))
        }
        Format::Jpeg => Opened::Photos(image(import::image::ImageFormat::Jpeg)?),
        Format::Png => Opened::Photos(image(import::image::ImageFormat::Png)?),
        Format::Tiff => Opened::Photos(image(import::image::ImageFormat::Tiff)?),
        Format::Text | Format::Markdown => {
            let (text, warning) = import::text::decode(bytes)?;
            warnings.extend(warning);
            Opened::Text { text, markdown: format == Format::Markdown }
        }
        Format::Heif => return Err(import::Error::Unsupported(import::HEIF_UNSUPPORTED.into())),
    })
}

/// Opens an exhibit's bytes exactly as the build will (see `open_exhibit`) and says how many
/// pages it gives, with any warnings; the error says what is wrong with the file. The app
/// runs this when a document is added, so a file the build would refuse is named at once.
pub fn check_exhibit(ex: &crate::model::Exhibit, bytes: &[u8]) -> std::result::Result<(usize, Vec<String>), import::Error> {
    let mut warnings = Vec::new();
    let opened = open_exhibit(ex, bytes, None, &mut warnings)?;
    Ok((opened.pages(), warnings))
}

/// Opens one exhibit, writes its separator and pages, and fills in its page count.
#[allow(clippy::too_many_arguments)]
fn place_exhibit<W: Write>(
    asm: &mut Assembler<W>,
    ex: &crate::model::Exhibit,
    entry: &mut ExhibitEntry,
    bytes: Vec<u8>,
    warnings: &mut Vec<String>,
    label: &str,
    photo_step: Option<(u32, u8)>,
) -> Result<Vec<PageRecord>, Placement> {
    let mut notes = Vec::new();
    let opened = open_exhibit(ex, &bytes, photo_step, &mut notes).map_err(Placement::Problem)?;
    warnings.extend(notes.iter().map(|w| format!("{label}: {w}")));
    drop(bytes);
    let mut out = Vec::new();
    // Text is laid out first: the separator prints the exhibit's page count.
    let text_pages = match &opened {
        Opened::Text { text, markdown } => sections::text_pages(&mut asm.fonts, text, *markdown),
        _ => Vec::new(),
    };
    entry.pages = 1 + if text_pages.is_empty() { opened.pages() } else { text_pages.len() };
    let sep = sections::separator(&mut asm.fonts, entry, None);
    let id = asm.w.alloc();
    out.push(asm.canvas_page(&sep, id, &[])?);
    match opened {
        Opened::Pdf(src) => out.extend(asm.pdf_pages(*src)?),
        Opened::Photos(photos) => {
            for (k, photo) in photos.iter().enumerate() {
                let image = asm.image_object(photo)?;
                let mut caption = vec![format!("Exhibit {} · {} · {}", entry.number, ex.date, ex.title)];
                if photos.len() > 1 {
                    caption[0].push_str(&format!(" · image {} of {}", k + 1, photos.len()));
                }
                caption.extend(ex.caption.clone());
                let o = photo.orientation;
                let page = sections::photo_page(
                    &mut asm.fonts,
                    ("RdIm1", image),
                    photo.displayed_size(),
                    |x, y, w, h| o.matrix(x, y, w, h),
                    &caption,
                );
                let id = asm.w.alloc();
                out.push(asm.canvas_page(&page, id, &[])?);
            }
        }
        Opened::Text { .. } => {
            for p in &text_pages {
                let id = asm.w.alloc();
                out.push(asm.canvas_page(p, id, &[])?);
            }
        }
    }
    Ok(out)
}

/// Writes the bookmarks: one per section, exhibits nested under "Exhibits".
fn write_outline<W: Write>(
    asm: &mut Assembler<W>,
    sections: &[SectionEntry],
    exhibits: &[ExhibitEntry],
    ids: &[ObjectId],
) -> std::io::Result<ObjectId> {
    struct Item {
        title: String,
        page: usize,
        children: Vec<Item>,
    }
    let mut items: Vec<Item> = Vec::new();
    for s in sections {
        if s.kind == "exhibit" {
            continue;
        }
        if s.kind == "manifest" && !exhibits.is_empty() {
            items.push(Item {
                title: "Exhibits".into(),
                page: exhibits[0].first_page,
                children: exhibits
                    .iter()
                    .map(|e| Item {
                        title: format!("Exhibit {} · {} · {} — {}", e.number, e.kind.label(), e.date, e.title),
                        page: e.first_page,
                        children: vec![],
                    })
                    .collect(),
            });
        }
        items.push(Item { title: s.title.clone(), page: s.first_page, children: vec![] });
    }
    let root = asm.w.alloc();
    fn write_level<W: Write>(
        w: &mut writer::PdfWriter<W>,
        items: &[Item],
        parent: ObjectId,
        ids: &[ObjectId],
    ) -> std::io::Result<(Option<ObjectId>, Option<ObjectId>, usize)> {
        let my_ids: Vec<ObjectId> = items.iter().map(|_| w.alloc()).collect();
        let mut count = items.len();
        for (i, item) in items.iter().enumerate() {
            let mut d = Dictionary::new();
            d.set("Title", text_string(&item.title));
            d.set("Parent", parent);
            if i > 0 {
                d.set("Prev", my_ids[i - 1]);
            }
            if i + 1 < items.len() {
                d.set("Next", my_ids[i + 1]);
            }
            if let Some(page) = ids.get(item.page.saturating_sub(1)) {
                d.set("Dest", vec![Object::Reference(*page), Object::Name(b"XYZ".to_vec()), Object::Null, Object::Null, Object::Null]);
            }
            if !item.children.is_empty() {
                let (first, last, n) = write_level(w, &item.children, my_ids[i], ids)?;
                if let (Some(f), Some(l)) = (first, last) {
                    d.set("First", f);
                    d.set("Last", l);
                    // Positive: the exhibits are shown expanded.
                    d.set("Count", n as i64);
                    count += n;
                }
            }
            w.write(my_ids[i], &Object::Dictionary(d))?;
        }
        Ok((my_ids.first().copied(), my_ids.last().copied(), count))
    }
    let (first, last, count) = write_level(&mut asm.w, &items, root, ids)?;
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(f), Some(l)) = (first, last) {
        d.set("First", f);
        d.set("Last", l);
    }
    d.set("Count", count as i64);
    asm.w.write(root, &Object::Dictionary(d))?;
    Ok(root)
}

/// A PDF text string: plain when ASCII, UTF-16BE with a byte-order mark otherwise.
fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut b = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(b, StringFormat::Hexadecimal)
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hashes and counts what passes through, so the report needs no second read of the file.
struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> HashingWriter<W> {
    fn finish(mut self) -> std::io::Result<(u64, String)> {
        self.inner.flush()?;
        Ok((self.bytes, hex(&self.hasher.finalize())))
    }
}

/// A file written under a temporary name in the target's folder and renamed into place
/// only when complete; dropped without `commit`, it removes itself.
pub struct AtomicFile {
    pub file: File,
    pub temp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<AtomicFile> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(Error::Other(format!("{}: the folder to write into does not exist", dir.display())));
        }
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "packet.pdf".into());
        remove_stale_temps(&dir, &name);
        let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let temp = dir.join(format!(".{name}.{}.{nonce}.tmp", std::process::id()));
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp).map_err(|e| Error::io(&temp, e))?;
        Ok(AtomicFile { file, temp, target: target.to_path_buf(), done: false })
    }

    /// Flushes to disk, renames over the target and makes the rename durable.
    pub fn commit(mut self) -> Result<()> {
        self.file.sync_all().map_err(|e| Error::io(&self.temp, e))?;
        std::fs::rename(&self.temp, &self.target).map_err(|e| Error::io(&self.target, e))?;
        self.done = true;
        if let Some(dir) = self.target.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

/// Removes temporary files that an earlier, killed build of the same target left behind
/// (those whose process is gone), so no half-written packet lingers beside it.
fn remove_stale_temps(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let prefix = format!(".{name}.");
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix).and_then(|r| r.strip_suffix(".tmp")) else { continue };
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else { continue };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// The letter the packet carries when the case has no letter of its own.
pub fn template_letter(case: &crate::model::Case, now: NaiveDateTime) -> String {
    let entries: Vec<ExhibitEntry> = case
        .exhibit_order()
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let e = &case.exhibits[i];
            ExhibitEntry {
                number: n + 1,
                index: i,
                kind: e.kind,
                date: e.date,
                title: e.title.clone(),
                source: e.file.clone(),
                sha256: String::new(),
                first_page: 0,
                pages: 0,
            }
        })
        .collect();
    let tz = crate::deadline::local_tz();
    let missed: Vec<bool> = (0..case.events.len()).map(|i| crate::deadline::promise_is_missed(case, i, now, tz)).collect();
    let front = Front { case, exhibits: &entries, sections: &[], deadlines: &[], missed: &missed, total_pages: 0, prepared: now.date() };
    letter::template(&front)
}

/// What `check` found: the exhibits open, with their page counts, and any warnings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckReport {
    pub exhibits: usize,
    pub pages: usize,
    pub warnings: Vec<String>,
}

/// Validates a case folder without building: opens every exhibit as the build would
/// (format, encryption, damage, page selection, image size) and reports every problem.
pub fn check(folder: &CaseFolder) -> Result<CheckReport> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut pages = 0;
    for (idx, ex) in folder.case.exhibits.iter().enumerate() {
        let at = || crate::error::Location::Exhibit { number: idx + 1, file: ex.file.clone() };
        let label = at().to_string();
        let bytes = match std::fs::read(folder.exhibit_path(ex)) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Problem::new("", at(), format!("cannot be read: {e}")));
                continue;
            }
        };
        let mut notes = Vec::new();
        let result = open_exhibit(ex, &bytes, None, &mut notes).map(|o| o.pages());
        warnings.extend(notes.iter().map(|w| format!("{label}: {w}")));
        match result {
            Ok(n) => pages += n,
            Err(why) => problems.push(Problem::new("", at(), why.to_string())),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(CheckReport { exhibits: folder.case.exhibits.len(), pages, warnings })
}

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
        let r = build(&folder, &BuildOptions { progress: Some(progress), cancel: Some(cancel), ..Default::default() });
        assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
        let after: Vec<_> = std::fs::read_dir(&folder.dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(before, after, "no packet and no temporary file");
        assert_eq!(*steps.lock().unwrap(), vec![0, 1, 2], "progress is reported per exhibit, and the build stops at once");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sizes_parse_in_decimal_and_binary_units() {
        assert_eq!(parse_size("10MB"), Some(10_000_000));
        assert_eq!(parse_size("1.5 mb"), Some(1_500_000));
        assert_eq!(parse_size("500KB"), Some(500_000));
        assert_eq!(parse_size("20MiB"), Some(20 * 1024 * 1024));
        assert_eq!(parse_size("12345"), Some(12345));
        for bad in ["", "MB", "ten MB", "5 parsecs", "0"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
    }
}
