//! The merge stage: streams the exhibits into the packet one at a time, in the plan's
//! order. Each file is read and hashed once, opened as the build opens it, and written as a
//! separator page then its pages: PDF pages copied (renumbered past the objects already
//! written, as in lopdf's merge example; page-tree nodes never copied; XMP metadata left
//! behind), photos as image pages, text laid out. Its memory is released before the next
//! exhibit is opened. What the layout needs comes back: page counts and the pages written.

use super::budget::{ExhibitImages, ImageInfo, Shrink};
use super::dests;
use super::font::{metrics, Face};
use super::forms::{self, FormGroup};
use super::images::{self, Changes};
use super::layers::{self, Layers};
use super::ocr::{self, Reader};
use super::plan::{missing_in, Plan};
use super::sections::{self, ExhibitEntry};
use super::stamp::{self, apply, Matrix};
use super::verdicts::Verdicts;
use super::wrap;
use super::write::{PacketWriter, PageRecord};
use super::writer::{deflate, PdfWriter};
use super::ExhibitShrink;
use crate::casefile::CaseFolder;
use crate::error::{Error, Problem, Result};
use crate::import::pdf::{self, SourcePdf};
use crate::import::{self, image::Photo, Format};
use crate::model::PageSelection;
use crate::packet::writer::Sink;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io;

/// What the merge wrote.
#[derive(Debug)]
pub struct Merged {
    /// The plan's exhibits with their hashes and page counts (separator included).
    pub exhibits: Vec<ExhibitEntry>,
    /// The exhibits' pages in packet order.
    pub pages: Vec<PageRecord>,
    pub warnings: Vec<String>,
    /// Bytes each exhibit took in the file (same order as `exhibits`).
    pub bytes: Vec<u64>,
    /// The images each exhibit holds, as found: taken when the merge is given
    /// [`Shrink::NONE`] (a size budget's first build), empty otherwise.
    pub images: Vec<ExhibitImages>,
    /// What a shrink step did to each exhibit whose images it changed.
    pub shrunk: Vec<ExhibitShrink>,
    /// The exhibits' layers and forms, for the packet's catalog.
    pub layers: Layers,
    pub forms: Vec<FormGroup>,
}

/// Called before each exhibit with its position, count and title; an error (cancelled)
/// stops the merge.
pub type OnExhibit<'a> = &'a dyn Fn(usize, usize, &str) -> Result<()>;
/// What a failed write to the packet is told as: the error names the file being written (a
/// full disk is not the exhibit's fault).
pub type WriteError<'a> = &'a dyn Fn(io::Error) -> Error;

/// Streams every exhibit of the plan into `out`. Every exhibit that cannot be read or
/// opened is named; then nothing of the merge is used. The exhibits are read and opened one
/// ahead on another core (`prefetch`).
pub fn merge<W: Sink>(
    out: &mut PacketWriter<W>,
    folder: &CaseFolder,
    plan: &Plan,
    (shrink, verdicts): (Option<&Shrink>, &Verdicts),
    on_exhibit: OnExhibit,
    ocr: Option<&mut Reader>,
    written: WriteError,
) -> Result<Merged> {
    // OCR reads an image exhibit's pictures from its file.
    let keep_bytes = ocr.is_some();
    let ahead = super::prefetch::Ahead { folder, plan, keep_bytes, verdicts, shrink, fax: out.fax };
    ahead.run(|fetched| merge_fetched(out, plan, shrink, on_exhibit, ocr, written, fetched))
}

/// The merge's loop over the exhibits as `prefetch` hands them over, in the plan's order.
fn merge_fetched<W: Sink>(
    out: &mut PacketWriter<W>,
    plan: &Plan,
    shrink: Option<&Shrink>,
    on_exhibit: OnExhibit,
    mut ocr: Option<&mut Reader>,
    written: WriteError,
    fetched: &mut dyn Iterator<Item = io::Result<super::prefetch::Fetched>>,
) -> Result<Merged> {
    let case = plan.case;
    let mut merged = Merged {
        exhibits: Vec::new(),
        pages: Vec::new(),
        warnings: Vec::new(),
        bytes: Vec::new(),
        images: Vec::new(),
        shrunk: Vec::new(),
        layers: Layers::default(),
        forms: Vec::new(),
    };
    let mut problems: Vec<Problem> = Vec::new();
    let min_width = super::stamp::min_width(metrics(), &plan.stamp_lead, &plan.bates_prefix);
    for ((n, planned), fetched) in plan.exhibits.iter().enumerate().zip(fetched) {
        let ex = &case.exhibits[planned.index];
        on_exhibit(n, plan.exhibits.len(), &ex.title)?;
        if let Some(r) = ocr.as_deref_mut() {
            r.step = (n, plan.exhibits.len() + 1);
        }
        let at = || crate::error::Location::Exhibit { number: planned.index + 1, file: ex.file.clone() };
        let label = at().to_string();
        let fetched = match fetched {
            Ok(f) => f,
            Err(e) => {
                problems.push(Problem::exhibit(at(), format!("cannot be read: {e}")));
                continue;
            }
        };
        let mut entry = ExhibitEntry { sha256: fetched.sha256.clone(), ..planned.clone() };
        let start = out.w.position();
        match place_exhibit(out, ex, &mut entry, fetched, &label, shrink, min_width, ocr.as_deref_mut()) {
            Ok(placed) => {
                merged.bytes.push(out.w.position() - start);
                if problems.is_empty() {
                    merged.pages.extend(placed.pages);
                }
                merged.warnings.extend(placed.warnings);
                budgeted(&mut merged, shrink, &entry, placed.images, &placed.changes);
                merged.layers.extend(placed.layers);
                merged.forms.extend(placed.form);
                merged.exhibits.push(entry);
            }
            Err(Placement::Problem(why)) => problems.push(Problem::exhibit(at(), why.to_string())),
            Err(Placement::Io(e)) => return Err(written(e)),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(merged)
}

/// Adds an exhibit's inventory (when measuring) and what the step did to it to `merged`.
fn budgeted(merged: &mut Merged, shrink: Option<&Shrink>, entry: &ExhibitEntry, images: Vec<ImageInfo>, changes: &Changes) {
    let Some(s) = shrink else { return };
    if s.level == 0 {
        merged.images.push(ExhibitImages { number: entry.number, images });
    } else if changes.count() > 0 {
        merged.shrunk.push(ExhibitShrink {
            number: entry.number,
            title: entry.title.clone(),
            images: changes.count(),
            before: changes.before,
            after: changes.after,
            what: changes.words(s),
        });
    }
}

pub(super) enum Placement {
    Problem(import::Error),
    Io(io::Error),
}

impl From<io::Error> for Placement {
    fn from(e: io::Error) -> Self {
        Placement::Io(e)
    }
}

/// An exhibit's file opened and checked, ready to be placed.
pub(super) enum Opened {
    Pdf(Box<SourcePdf>),
    /// One photo, or each image of a multi-page TIFF (a fax), and the format it came in.
    Photos(Vec<Photo>, Format),
    Text {
        text: String,
        markdown: bool,
    },
}

impl Opened {
    /// Pages the exhibit's own content takes (its separator not counted); text is laid out
    /// only when placed, so it counts as one here.
    pub(super) fn pages(&self) -> usize {
        match self {
            Opened::Pdf(src) => src.pages.len(),
            Opened::Photos(p, _) => p.len(),
            Opened::Text { .. } => 1,
        }
    }
}

/// Opens an exhibit as the build will place it: the content must be what the name says, the
/// page selection must fit, and the file must not be encrypted, truncated or too large.
/// Warnings go to `warnings`; the error says what is wrong with the file.
pub(super) fn open_exhibit(ex: &crate::model::Exhibit, bytes: &[u8], warnings: &mut Vec<String>) -> Result<Opened, import::Error> {
    open_exhibit_checked(ex, Cow::Borrowed(bytes), warnings, import::image::PictureCheck::Full)
}

/// [`open_exhibit`], a JPEG's picture left unchecked when `check` says these bytes passed before.
/// Given its own buffer, a photo is made in it (`import::image::open_pages_checked`).
pub(super) fn open_exhibit_checked(
    ex: &crate::model::Exhibit,
    bytes: Cow<'_, [u8]>,
    warnings: &mut Vec<String>,
    check: import::image::PictureCheck,
) -> Result<Opened, import::Error> {
    let format = import::detect(&ex.file, &bytes)?;
    if let Some(why) = ex.pages.as_ref().and_then(|_| no_pages_to_select(format)) {
        return Err(why);
    }
    if let Some(image) = format.image() {
        let limits = import::image::Limits::default();
        let pictures = import::image::open_pages_checked(bytes, image, &limits, check)?;
        return Ok(Opened::Photos(select_pictures(ex.pages.as_ref(), pictures)?, format));
    }
    Ok(match format {
        Format::Pdf => {
            let src = import::pdf::open(&bytes, ex.pages.as_ref())?;
            warnings.extend(src.warnings.iter().cloned());
            Opened::Pdf(Box::new(src))
        }
        // Text or Markdown: every image format is opened above.
        _ => {
            let (text, warning) = import::text::decode(&bytes)?;
            warnings.extend(warning);
            Opened::Text { text, markdown: format == Format::Markdown }
        }
    })
}

/// Why a page selection cannot apply to a file of this format: a single picture or a text
/// has no pages to select (a PDF and a TIFF of scanned or faxed pages have).
fn no_pages_to_select(format: Format) -> Option<import::Error> {
    let why = match format {
        Format::Pdf | Format::Tiff => return None,
        Format::Text | Format::Markdown => format!("a {} has no pages to select", format.label()),
        _ => format!("a {} is one picture with no pages to select (only PDFs and TIFF scans or faxes have)", format.label()),
    };
    Some(import::Error::Unsupported(format!("has a page selection, but {why}; remove `pages` from the exhibit")))
}

/// The pictures of a multi-page TIFF a page selection asks for, in its order, as a PDF's
/// pages are selected: a page past the last is refused, naming the pages the file has.
fn select_pictures(selection: Option<&PageSelection>, pictures: Vec<Photo>) -> Result<Vec<Photo>, import::Error> {
    let Some(sel) = selection else { return Ok(pictures) };
    if sel.last_page() as usize > pictures.len() {
        return Err(import::Error::NoSuchPage { selection: sel.text.clone(), asked: sel.last_page(), pages: pictures.len() });
    }
    Ok(sel.pages().map(|n| pictures[n as usize - 1].clone()).collect())
}

/// Where the exhibit's `k`-th picture (from 0, in its selection's order) is in its file, from 0.
pub(super) fn picture_in_file(ex: &crate::model::Exhibit, k: usize) -> usize {
    ex.pages.as_ref().and_then(|s| s.pages().nth(k)).map_or(k, |n| n as usize - 1)
}

/// One exhibit as written.
struct Placed {
    pages: Vec<PageRecord>,
    warnings: Vec<String>,
    /// The exhibit's images as found, and what a shrink step did to them.
    images: Vec<ImageInfo>,
    changes: Changes,
    layers: Layers,
    form: Option<FormGroup>,
}

/// Writes one opened exhibit's separator and pages, and fills in its page count; with `ocr`,
/// its scanned pages get their words as invisible text.
#[allow(clippy::too_many_arguments)]
fn place_exhibit<W: Sink>(
    out: &mut PacketWriter<W>,
    ex: &crate::model::Exhibit,
    entry: &mut ExhibitEntry,
    fetched: super::prefetch::Fetched,
    label: &str,
    shrink: Option<&Shrink>,
    min_width: f64,
    mut ocr: Option<&mut Reader>,
) -> Result<Placed, Placement> {
    let fonts = metrics();
    let super::prefetch::Fetched { opened, notes, bytes, images, changes, faxed, .. } = fetched;
    let opened = opened.map_err(Placement::Problem)?;
    // OCR reads an image exhibit's pictures from the file itself (`bytes`, kept for it).
    let bytes = if ocr.is_some() { bytes } else { Vec::new() };
    let warnings = notes.iter().map(|w| format!("{label}: {w}")).collect();
    let mut placed = Placed { pages: Vec::new(), warnings, images, changes, layers: Layers::default(), form: None };
    // Text is laid out first: the separator prints the exhibit's page count.
    let text_pages = match &opened {
        Opened::Text { text, markdown } => {
            placed.warnings.extend(missing_in(label, text));
            super::volumes::window_pages(sections::text_pages(fonts, text, *markdown), entry.part)
        }
        _ => Vec::new(),
    };
    entry.pages = 1 + if text_pages.is_empty() { opened.pages() } else { text_pages.len() };
    let sep = sections::separator(fonts, entry, super::volumes::part_note(entry).as_deref());
    let id = out.w.alloc();
    placed.pages.push(out.page(&sep, id, &[])?);
    match opened {
        Opened::Pdf(src) => {
            let pdf = pdf_pages(out, *src, (entry, label), min_width, shrink, ocr)?;
            placed.warnings.extend(pdf.warnings);
            placed.pages.extend(pdf.pages);
            placed.images = pdf.images;
            placed.changes = pdf.changes;
            placed.layers = pdf.layers;
            placed.form = pdf.form;
        }
        Opened::Photos(photos, format) => {
            let words = match ocr.as_deref_mut() {
                // A part of a split exhibit reads the file's pictures and keeps its own.
                Some(r) => {
                    let all = entry.part.map_or(photos.len(), |p| p.of);
                    super::volumes::window_pages(photo_words(r, (&bytes, format), all, (entry, ex)), entry.part)
                }
                None => vec![None; photos.len()],
            };
            let mut faxed = faxed.into_iter();
            for (k, photo) in photos.iter().enumerate() {
                // In fax mode the picture is written once its place on the page is known.
                let image = if out.fax { out.w.alloc() } else { out.image(photo)? };
                let (page, shown) = photo_page(fonts, image, photo, &photo_caption(entry, ex, (k, photos.len())));
                if out.fax {
                    let made = faxed.next().unwrap_or_else(|| super::fax::photo(photo, (shown.2, shown.3), (ex.kind, format)));
                    fax_photo(out, image, made, &mut placed.warnings, (label, k + 1))?;
                }
                let hidden =
                    words[k].as_ref().and_then(|w| ocr::layer(w, ocr::pixels_onto(f64::from(w.width), f64::from(w.height), shown)));
                if let (Some(r), Some(_)) = (ocr.as_deref_mut(), &hidden) {
                    r.wrote();
                }
                let id = out.w.alloc();
                placed.pages.push(out.page_with_text(&page, id, &[], hidden.as_deref())?);
            }
        }
        Opened::Text { .. } => {
            for p in &text_pages {
                let id = out.w.alloc();
                placed.pages.push(out.page(p, id, &[])?);
            }
        }
    }
    Ok(placed)
}

/// Under a size budget: each photo's inventory as opened, then the photo made smaller at step
/// `s` where it changes it (one at a time, on the thread that fetched the exhibit).
pub(super) fn shrink_photos(
    bytes: &[u8],
    photos: &mut [Photo],
    format: Format,
    s: &Shrink,
    images: &mut Vec<ImageInfo>,
    changes: &mut Changes,
) {
    for photo in photos.iter_mut() {
        let info = images::photo_info(photo, format);
        if let Some(small) = images::shrink_photo(bytes, photo, format, s) {
            changes.add(&info, s, (info.bytes, images::photo_bytes(&small)));
            *photo = small;
        }
        images.push(info);
    }
}

/// The caption under photo `k` of `count` of an exhibit (counted in the whole file, for a part
/// of a split exhibit too).
pub(super) fn photo_caption(entry: &ExhibitEntry, ex: &crate::model::Exhibit, (k, count): (usize, usize)) -> Vec<String> {
    let mut caption = vec![format!("Exhibit {} · {} · {}", entry.number, ex.date, ex.title)];
    let (before, all) = entry.part.map_or((0, count), |p| (p.from, p.of));
    if all > 1 {
        caption[0].push_str(&format!(" · image {} of {all}", before + k + 1));
    }
    caption.extend(ex.caption.clone());
    caption
}

/// A photo's page, its picture drawn as image `image`, and where the page shows the upright
/// picture (x, y, width, height in points).
pub(super) fn photo_page(
    fonts: &super::font::Metrics,
    image: ObjectId,
    photo: &Photo,
    caption: &[String],
) -> (super::canvas::Canvas, (f64, f64, f64, f64)) {
    let o = photo.orientation;
    let shown = std::cell::Cell::new((0.0, 0.0, 0.0, 0.0));
    let matrix = |x, y, w, h| {
        shown.set((x, y, w, h));
        o.matrix(x, y, w, h)
    };
    let page = sections::photo_page(fonts, ("RdIm1", image), (photo.displayed_size(), photo.pixel.span), matrix, caption);
    (page, shown.get())
}

/// Writes a photo (or TIFF page) under `id` as fax mode sends it (`made` by `fax::photo` at the
/// size its page shows it); a warning naming image `k` when light marks on it will not show.
fn fax_photo<W: Sink>(
    out: &mut PacketWriter<W>,
    id: ObjectId,
    made: Result<(super::fax::FaxImage, bool), import::Error>,
    warnings: &mut Vec<String>,
    (label, k): (&str, usize),
) -> Result<(), Placement> {
    let (fax, faded) = made.map_err(Placement::Problem)?;
    out.w.write_stream(id, fax.dictionary(), &fax.g4)?;
    if faded {
        warnings.push(format!("{label}, image {k}: {}", super::fax::FADED));
    }
    Ok(())
}

/// An exhibit PDF as written: its pages, layers and form, its images as found and what a
/// shrink step did to them, and what fax mode warned of.
struct PdfPlaced {
    images: Vec<ImageInfo>,
    changes: Changes,
    pages: Vec<PageRecord>,
    warnings: Vec<String>,
    layers: Layers,
    form: Option<FormGroup>,
}

/// Copies the selected pages of `exhibit`, a PDF, into the packet, each wrapped so its
/// content and its annotations sit above the stamp band, with the exhibit's layers and form;
/// with `ocr`, a scanned page's words are drawn over it as invisible text.
fn pdf_pages<W: Sink>(
    out: &mut PacketWriter<W>,
    src: SourcePdf,
    (exhibit, label): (&ExhibitEntry, &str),
    min_width: f64,
    shrink: Option<&Shrink>,
    ocr: Option<&mut Reader>,
) -> io::Result<PdfPlaced> {
    let number = exhibit.number;
    let SourcePdf { mut doc, pages, all_pages, .. } = src;
    // Read before any object is copied: the groups' names are changed in the document.
    let mut layers = layers::read(&mut doc, number).unwrap_or_default();
    let mut form = forms::read(&doc);
    // Under a size budget, the images the pages show and how large.
    let found = if shrink.is_some() { images::pdf_images(&doc, &pages) } else { Default::default() };
    let mut changes = Changes::default();
    // Page-tree nodes are rebuilt, never copied: references to them become null.
    let mut tree: HashSet<ObjectId> = all_pages.iter().copied().collect();
    for (id, o) in &doc.objects {
        if let Object::Dictionary(d) = o {
            if d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Pages") {
                tree.insert(*id);
            }
        }
    }
    let mut selected: HashMap<ObjectId, ObjectId> = HashMap::new();
    let new_ids: Vec<ObjectId> = pages
        .iter()
        .map(|p| {
            let id = out.w.alloc();
            selected.entry(*p).or_insert(id);
            id
        })
        .collect();
    let mut r = Renumber { map: HashMap::new(), queue: Vec::new(), selected: &selected, tree: &tree };
    let font_regular = Object::Reference(out.fonts.id(Face::Regular));
    let mut placed = AnnotPlacements::default();
    let mut names = dests::NamedDests::default();

    // Phase 1: build every page dictionary while the document is whole.
    let mut hidden_texts = match ocr {
        Some(r) => scan_texts(r, &doc, &pages, &all_pages, exhibit),
        None => vec![None; pages.len()],
    };
    // Fax mode makes the pages black and white once OCR has read their grey pictures.
    let mut warnings = if out.fax { super::fax::exhibit(&mut doc, &pages, &all_pages, label) } else { Vec::new() };
    let mut written = Vec::with_capacity(pages.len());
    for (k, (old, new)) in pages.iter().zip(&new_ids).enumerate() {
        let geo = pdf::geometry(&doc, *old);
        let page = doc.get_dictionary(*old).cloned().unwrap_or_default();
        let unit = user_unit(&page);
        // Decoded once, for the band's check and for the wrap; past the stream limit (which
        // opening already refused) it is taken as balanced and the band as not free.
        let content = doc.get_page_content_with_limit(*old, crate::limits::STREAM_DECODED).ok();
        let free = band_is_free(&doc, *old, content.as_deref(), &geo, unit);
        let place = stamp::place(geo.visible(), geo.rotate, unit, free, min_width);
        let m = if place.moves() { place.content } else { stamp::IDENTITY };
        let annots = place_annotations(&mut doc, *old, m, geo.visible(), &mut placed);
        let number_in_file = all_pages.iter().position(|p| p == old).map_or(k + 1, |i| i + 1);
        let annots = annots.map(|a| leave_out_attachments(&doc, a, &mut warnings, (label, number_in_file)));
        let annots = annots.map(|a| dests::resolve(&mut doc, a, &mut names, &dests::Pages { kept: &selected, all: &tree }));
        let hidden = hidden_texts[k].take();
        let hidden_font = match &hidden {
            Some(_) => Some(Object::Reference(out.ocr_font()?)),
            None => None,
        };
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Page".to_vec()));
        dict.set("Parent", out.pages_root);
        match place.page_box {
            Some(b) => dict.set("MediaBox", rect(b)),
            None => {
                dict.set("MediaBox", kept_rect(geo.media_box));
                if let Some(c) = geo.crop_box {
                    dict.set("CropBox", kept_rect(c));
                }
            }
        }
        if geo.rotate != 0 {
            dict.set("Rotate", geo.rotate);
        }
        if unit != 1.0 {
            dict.set("UserUnit", Object::Real(unit as f32));
        }
        let res = resources(&doc, &geo, &mut r, &mut out.w, font_regular.clone(), hidden_font.clone());
        let mut nesting = content.as_deref().map(wrap::nesting).unwrap_or_default();
        let contents: Vec<Object> = match (content, nesting.stops_reader) {
            // Content a reader stops reading part-way would take the stamp after it with it:
            // it is drawn as a form of its own, which the reader stops alone. A form saves
            // and restores around itself, so its saves and restores need no balancing.
            (Some(content), true) => {
                nesting = wrap::Nesting::default();
                let form = out.w.alloc();
                out.w.write_stream(form, content_form(&geo, res.clone()), &deflate(&content))?;
                let mut xobjects = Dictionary::new();
                xobjects.set(wrap::CONTENT_FORM, Object::Reference(form));
                let mut fonts = Dictionary::new();
                fonts.set(Face::Regular.resource(), font_regular.clone());
                if let Some(f) = &hidden_font {
                    fonts.set(ocr::FONT, f.clone());
                }
                dict.set(
                    "Resources",
                    Dictionary::from_iter([("Font", Object::Dictionary(fonts)), ("XObject", Object::Dictionary(xobjects))]),
                );
                let call = out.w.alloc();
                out.w.write_stream(call, Dictionary::new(), format!("/{} Do", wrap::CONTENT_FORM).as_bytes())?;
                vec![Object::Reference(call)]
            }
            _ => {
                dict.set("Resources", res);
                let mut contents: Vec<Object> = match page.get(b"Contents") {
                    Ok(Object::Reference(id)) => match doc.objects.get(id) {
                        Some(Object::Array(a)) => a.clone(),
                        _ => vec![Object::Reference(*id)],
                    },
                    Ok(Object::Array(a)) => a.clone(),
                    _ => Vec::new(),
                };
                for c in &mut contents {
                    r.rewrite(&mut out.w, c);
                }
                contents
            }
        };
        let pre = out.w.alloc();
        out.w.write_stream(pre, Dictionary::new(), wrap::prelude(&place, geo.visible(), &nesting).as_bytes())?;
        let post = out.w.alloc();
        out.w.write_stream(post, Dictionary::new(), wrap::postlude(&nesting).as_bytes())?;
        let stamp = out.w.alloc();
        let mut all = vec![Object::Reference(pre)];
        all.extend(contents);
        all.push(Object::Reference(post));
        if let Some(hidden) = hidden {
            let c = place.content;
            let text = out.w.alloc();
            let ops = format!("q {} {} {} {} {} {} cm\n{hidden}Q\n", c[0], c[1], c[2], c[3], c[4], c[5]);
            let flate = Dictionary::from_iter([("Filter", Object::Name(b"FlateDecode".to_vec()))]);
            out.w.write_stream(text, flate, &deflate(ops.as_bytes()))?;
            all.push(Object::Reference(text));
        }
        all.push(Object::Reference(stamp));
        dict.set("Contents", all);
        for (key, v) in [(&b"Annots"[..], annots), (b"Group", page.get(b"Group").ok().cloned())] {
            if let Some(mut v) = v {
                disarm(&mut v);
                r.rewrite(&mut out.w, &mut v);
                dict.set(key.to_vec(), v);
            }
        }
        written.push((*new, dict, PageRecord { id: *new, stamp, view: place.view }));
    }
    for (id, dict, _) in &written {
        out.w.write(*id, &Object::Dictionary(dict.clone()))?;
    }
    if let Some(form) = form.as_mut() {
        for (original, copy) in &placed.copies {
            forms::adopt(&mut doc, *original, *copy, form);
        }
    }
    let roots: HashSet<ObjectId> = form.iter().flat_map(|f| f.roots()).collect();
    for o in layers.objects_mut().chain(form.iter_mut().flat_map(|f| f.objects_mut())) {
        r.rewrite(&mut out.w, o);
    }
    let form = form.map(|form| FormGroup { group: out.w.alloc(), name: format!("Exhibit {number}"), form });
    // The images made smaller first, several at a time.
    let mut shrunk = shrink.map(|step| images::shrink_pdf_images(&mut doc, &found, step)).unwrap_or_default();
    // Phase 2: every object the pages reach, each taken out of the document as written.
    while let Some(old) = r.queue.pop() {
        let new = r.map[&old];
        let mut obj = doc.objects.remove(&old).unwrap_or(Object::Null);
        if let Object::Stream(s) = &mut obj {
            s.dict.remove(b"Length");
            strip_xmp(s);
            if let (Some(step), Some(info), Some(sizes)) = (shrink, found.get(&old), shrunk.remove(&old)) {
                changes.add(info, step, sizes);
            }
        }
        disarm(&mut obj);
        r.rewrite(&mut out.w, &mut obj);
        if let (true, Some(g), Object::Dictionary(d)) = (roots.contains(&old), &form, &mut obj) {
            d.set("Parent", Object::Reference(g.group));
        }
        out.w.write_owned(new, obj)?;
    }
    let images = found.into_values().collect();
    Ok(PdfPlaced { images, changes, pages: written.into_iter().map(|(_, _, rec)| rec).collect(), warnings, layers, form })
}

/// The words of an exhibit's `count` photos (or a TIFF's pages), read from its file before any
/// is placed so that several are read at a time.
fn photo_words(
    r: &mut Reader,
    (bytes, format): (&[u8], Format),
    count: usize,
    (exhibit, ex): (&ExhibitEntry, &crate::model::Exhibit),
) -> Vec<Option<crate::words::PageWords>> {
    let number = exhibit.number;
    // A picture is named in the cache by its place in the file, and in progress by its place
    // in the exhibit's selection.
    let in_file: Vec<usize> = (0..count).map(|k| picture_in_file(ex, k)).collect();
    let jobs: Vec<ocr::Job> = in_file
        .iter()
        .enumerate()
        .map(|(k, n)| ocr::Job {
            page: format!("image {}", n + 1),
            label: if count == 1 { format!("Exhibit {number}") } else { format!("Exhibit {number}, image {} of {count}", k + 1) },
        })
        .collect();
    let prepare = || {
        ocr::photo_pictures(bytes, format).and_then(|p| match ex.pages {
            None if p.len() == count => Ok(p),
            Some(_) if in_file.iter().all(|n| *n < p.len()) => Ok(p),
            _ => Err("its pages could not all be read".into()),
        })
    };
    let read = |i: usize, pictures: &Vec<_>, o: &_| ocr::read_picture(o, &pictures[in_file[i]], in_file[i] as u32 + 1);
    r.read_all(&exhibit.sha256, &jobs, prepare, read)
}

/// The invisible text of each selected page of an exhibit PDF that is a scan
/// (`ocr::scanned_image`) whose words could be read, in the page's own space; read before any
/// page is placed so that several are read at a time. A page is named in the cache by its
/// number in the file, and in progress by its place in the selection.
fn scan_texts(r: &mut Reader, doc: &Document, pages: &[ObjectId], all_pages: &[ObjectId], exhibit: &ExhibitEntry) -> Vec<Option<String>> {
    let mut scans: Vec<(usize, ObjectId, u32, Matrix)> = Vec::new();
    let mut jobs = Vec::new();
    for (k, page) in pages.iter().enumerate() {
        let geo = pdf::geometry(doc, *page);
        let Ok(content) = doc.get_page_content_with_limit(*page, crate::limits::STREAM_DECODED) else { continue };
        if ocr::scanned_image(doc, &content, geo.resources.as_ref(), geo.visible()).is_none() {
            continue;
        }
        let at = all_pages.iter().position(|p| p == page).unwrap_or(k) + 1;
        jobs.push(ocr::Job { page: format!("page {at}"), label: format!("Exhibit {}, page {} of {}", exhibit.number, k + 1, pages.len()) });
        scans.push((k, *page, at as u32, ocr::seen_onto(geo.visible(), geo.rotate)));
    }
    let words = r.read_all(&exhibit.sha256, &jobs, || Ok(()), |i, _, o| ocr::read_scan(o, doc, scans[i].1, scans[i].2));
    let mut texts = vec![None; pages.len()];
    for ((k, _, _, to_page), words) in scans.iter().zip(words) {
        texts[*k] = words.and_then(|w| ocr::layer(&w, *to_page));
        if texts[*k].is_some() {
            r.wrote();
        }
    }
    texts
}

/// The page's resources, renumbered, with the stamp's font added (it is already a packet
/// object, so it is added after renumbering), and the invisible text's when it has some.
fn resources<W: Sink>(
    doc: &Document,
    geo: &pdf::PageGeometry,
    r: &mut Renumber,
    w: &mut PdfWriter<W>,
    stamp_font: Object,
    hidden_font: Option<Object>,
) -> Object {
    let mut res = match geo.resources.as_ref().map(|o| doc.dereference(o)) {
        Some(Ok((_, Object::Dictionary(d)))) => d.clone(),
        _ => Dictionary::new(),
    };
    let fonts = match res.get(b"Font").ok().map(|o| doc.dereference(o)) {
        Some(Ok((_, Object::Dictionary(d)))) => d.clone(),
        _ => Dictionary::new(),
    };
    res.remove(b"Font");
    let mut res_obj = Object::Dictionary(res);
    r.rewrite(w, &mut res_obj);
    let mut fonts_obj = Object::Dictionary(fonts);
    r.rewrite(w, &mut fonts_obj);
    if let Object::Dictionary(f) = &mut fonts_obj {
        f.set(Face::Regular.resource(), stamp_font);
        if let Some(font) = hidden_font {
            f.set(ocr::FONT, font);
        }
    }
    if let Object::Dictionary(res) = &mut res_obj {
        res.set("Font", fonts_obj);
    }
    res_obj
}

/// Whether the page's own visual bottom margin is already free for the stamp: nothing painted
/// and no visible annotation there. `/Rotate` turns the page clockwise, so the visual bottom
/// is the page's lowest y at 0, its highest x at 90, its highest y at 180 and its lowest x at
/// 270. Otherwise the content is shrunk above the band.
fn band_is_free(doc: &Document, page: ObjectId, content: Option<&[u8]>, geo: &pdf::PageGeometry, unit: f64) -> bool {
    let vis = geo.visible();
    let seen = stamp::View::with_unit(vis, geo.rotate, unit);
    let band = (stamp::band(seen.width, seen.height) + 2.0) / unit;
    let clear = |[x0, y0, x1, y1]: [f64; 4]| match geo.rotate {
        90 => x1 <= vis[2] - band,
        180 => y1 <= vis[3] - band,
        270 => x0 >= vis[0] + band,
        _ => y0 >= vis[1] + band,
    };
    content.and_then(|c| pdf::painted_box(doc, c, geo.resources.as_ref())).is_some_and(clear)
        && annotations(doc, page).iter().filter_map(|a| visible_rect(doc, a)).all(clear)
}

/// The page's annotation dictionaries (those stored inline and those referenced).
fn annotations(doc: &Document, page: ObjectId) -> Vec<Dictionary> {
    let Ok(d) = doc.get_dictionary(page) else { return Vec::new() };
    let items = match d.get(b"Annots").ok().map(|a| doc.dereference(a)) {
        Some(Ok((_, Object::Array(a)))) => a.clone(),
        _ => return Vec::new(),
    };
    items
        .iter()
        .filter_map(|o| match doc.dereference(o) {
            Ok((_, Object::Dictionary(d))) => Some(d.clone()),
            _ => None,
        })
        .collect()
}

/// The rectangle an annotation covers on the page (normalised), unless it is hidden or a
/// popup (shown only when opened, and then by the viewer, not on paper).
fn visible_rect(doc: &Document, a: &Dictionary) -> Option<[f64; 4]> {
    const HIDDEN: i64 = 1 << 1;
    let flags = a.get(b"F").ok().and_then(|f| f.as_i64().ok()).unwrap_or(0);
    let popup = a.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Popup");
    if flags & HIDDEN != 0 || popup {
        return None;
    }
    let r = numbers(doc.dereference(a.get(b"Rect").ok()?).ok()?.1)?;
    (r.len() == 4).then(|| [r[0].min(r[2]), r[1].min(r[3]), r[0].max(r[2]), r[1].max(r[3])])
}

fn numbers(o: &Object) -> Option<Vec<f64>> {
    o.as_array().ok()?.iter().map(|n| n.as_float().ok().map(f64::from).or_else(|| n.as_i64().ok().map(|i| i as f64))).collect()
}

fn reals(v: &[f64]) -> Object {
    Object::Array(v.iter().map(|x| Object::Real(*x as f32)).collect())
}

/// Where each annotation an exhibit's pages reference was placed: the matrix it was moved by
/// and its dictionary as the file had it, so that a page placed otherwise gets its own copy;
/// and the copies made, each with its original, so a copied widget joins its field.
#[derive(Default)]
struct AnnotPlacements {
    first: HashMap<ObjectId, (Matrix, Dictionary)>,
    copies: Vec<(ObjectId, ObjectId)>,
}

/// The page's annotations moved with its content by `m`, the matrix the content is drawn
/// with (each one's rectangle, quadrilaterals, ink paths, vertices and lines, read through
/// indirect references), as the array the packet page lists; a popup reached only through its
/// note's `/Popup` moves too. One lying wholly outside the page's `visible` box, never seen in
/// the original, is hidden: moved onto the packet page it would show. An annotation another
/// page placed with another matrix (two pages may list the same one) is copied, so each page's
/// annotations sit on its own content; the first placement keeps the object, and with it its
/// place in a form's field tree. The file's own array is not changed: pages may share it.
fn place_annotations(doc: &mut Document, page: ObjectId, m: Matrix, visible: [f64; 4], placed: &mut AnnotPlacements) -> Option<Object> {
    let mut items = match doc.get_dictionary(page).ok()?.get(b"Annots").ok()? {
        Object::Reference(id) => doc.objects.get(id)?.as_array().ok()?.clone(),
        Object::Array(a) => a.clone(),
        _ => return None,
    };
    let mut here = HashMap::new();
    for item in items.iter_mut() {
        match item {
            Object::Reference(id) => *id = place_one(doc, *id, m, visible, (placed, &mut here)),
            Object::Dictionary(d) => {
                resolve_geometry(doc, d);
                transform_annotation(d, m, visible);
                forms::scale_appearance(doc, d, scale_of(m));
                place_popup(doc, d, None, m, visible, (placed, &mut here));
            }
            _ => {}
        }
    }
    Some(Object::Array(items))
}

/// Places annotation `id` by `m` and says which object the page lists for it: `id` itself
/// unless another page placed it otherwise, then a copy of the original placed by `m`. `here`
/// remembers what this page already placed (a note's popup may also be listed, and a loop of
/// `/Popup` references ends).
fn place_one(
    doc: &mut Document,
    id: ObjectId,
    m: Matrix,
    visible: [f64; 4],
    (placed, here): (&mut AnnotPlacements, &mut HashMap<ObjectId, ObjectId>),
) -> ObjectId {
    if let Some(target) = here.get(&id) {
        return *target;
    }
    let Some(Object::Dictionary(current)) = doc.objects.get(&id) else { return id };
    let (target, mut d) = match placed.first.get(&id) {
        Some((first, _)) if *first == m => {
            here.insert(id, id);
            return id;
        }
        Some((_, original)) => {
            let original = original.clone();
            let copy = unused_id(doc);
            placed.copies.push((id, copy));
            (copy, original)
        }
        None => {
            let original = current.clone();
            placed.first.insert(id, (m, original.clone()));
            (id, original)
        }
    };
    here.insert(id, target);
    resolve_geometry(doc, &mut d);
    transform_annotation(&mut d, m, visible);
    forms::scale_appearance(doc, &mut d, scale_of(m));
    place_popup(doc, &mut d, Some(target), m, visible, (placed, here));
    doc.objects.insert(target, Object::Dictionary(d));
    target
}

/// How much `m`, a uniform scale and a move, scales lengths.
fn scale_of(m: Matrix) -> f64 {
    (m[0] * m[3] - m[1] * m[2]).abs().sqrt()
}

/// An object number no object of the document has: past the highest one held, since a
/// repaired document's own count may lag behind what its table was rebuilt with.
pub(super) fn unused_id(doc: &mut Document) -> ObjectId {
    let highest = doc.objects.keys().map(|id| id.0).max().unwrap_or(0);
    doc.max_id = doc.max_id.max(highest);
    doc.new_object_id()
}

/// Places the popup of note `d` (object `note` when it is one) with it, pointing each at the
/// other when the popup had to be copied.
fn place_popup(
    doc: &mut Document,
    d: &mut Dictionary,
    note: Option<ObjectId>,
    m: Matrix,
    visible: [f64; 4],
    (placed, here): (&mut AnnotPlacements, &mut HashMap<ObjectId, ObjectId>),
) {
    let Some(popup) = d.get(b"Popup").ok().and_then(|p| p.as_reference().ok()) else { return };
    let target = place_one(doc, popup, m, visible, (placed, here));
    if target == popup {
        return;
    }
    d.set("Popup", target);
    if let (Some(note), Some(Object::Dictionary(p))) = (note, doc.objects.get_mut(&target)) {
        p.set("Parent", note);
    }
}

/// The keys an annotation's geometry is read from, made direct (with their numbers, and an ink
/// list's paths) so that a file that writes them as indirect objects is moved like any other;
/// the shared objects themselves are left as they are.
fn resolve_geometry(doc: &Document, a: &mut Dictionary) {
    let direct = |o: &Object| -> Object {
        match doc.dereference(o) {
            Ok((_, Object::Array(items))) => Object::Array(
                items
                    .iter()
                    .map(|i| match doc.dereference(i) {
                        Ok((_, Object::Array(inner))) => Object::Array(
                            inner.iter().map(|n| doc.dereference(n).map(|(_, n)| n.clone()).unwrap_or(Object::Null)).collect(),
                        ),
                        Ok((_, n)) => n.clone(),
                        Err(_) => Object::Null,
                    })
                    .collect(),
            ),
            Ok((_, other)) => other.clone(),
            Err(_) => Object::Null,
        }
    };
    for key in [&b"Rect"[..], b"RD", b"QuadPoints", b"Vertices", b"L", b"CL", b"InkList"] {
        if let Ok(v) = a.get(key) {
            let v = direct(v);
            a.set(key.to_vec(), v);
        }
    }
}

/// Transforms an annotation's geometry by `m`, a uniform scale and a move; hides it when it
/// lay wholly outside the page's `visible` box.
fn transform_annotation(a: &mut Dictionary, m: Matrix, visible: [f64; 4]) {
    if m == stamp::IDENTITY {
        return;
    }
    if let Some(r) = a.get(b"Rect").ok().and_then(numbers).filter(|r| r.len() == 4) {
        let (lo_x, lo_y, hi_x, hi_y) = (r[0].min(r[2]), r[1].min(r[3]), r[0].max(r[2]), r[1].max(r[3]));
        if hi_x < visible[0] || lo_x > visible[2] || hi_y < visible[1] || lo_y > visible[3] {
            const HIDDEN: i64 = 1 << 1;
            let flags = a.get(b"F").ok().and_then(|f| f.as_i64().ok()).unwrap_or(0);
            a.set("F", flags | HIDDEN);
        }
        let corners = [(r[0], r[1]), (r[2], r[1]), (r[0], r[3]), (r[2], r[3])].map(|(x, y)| apply(m, x, y));
        let xs = corners.map(|c| c.0);
        let ys = corners.map(|c| c.1);
        let min = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
        let max = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
        a.set("Rect", reals(&[min(xs), min(ys), max(xs), max(ys)]));
    }
    // The inner margins of a square, circle or free-text box are lengths: they scale.
    let scale = scale_of(m);
    if let Some(rd) = a.get(b"RD").ok().and_then(numbers) {
        a.set("RD", reals(&rd.iter().map(|d| d * scale).collect::<Vec<_>>()));
    }
    let points = |v: Vec<f64>| -> Vec<f64> {
        v.chunks(2)
            .flat_map(|p| match p {
                [x, y] => {
                    let (x, y) = apply(m, *x, *y);
                    vec![x, y]
                }
                other => other.to_vec(),
            })
            .collect()
    };
    for key in [&b"QuadPoints"[..], b"Vertices", b"L", b"CL"] {
        if let Some(v) = a.get(key).ok().and_then(numbers) {
            a.set(key.to_vec(), reals(&points(v)));
        }
    }
    if let Ok(Object::Array(paths)) = a.get(b"InkList") {
        let moved: Vec<Object> = paths.iter().map(|p| numbers(p).map(|v| reals(&points(v))).unwrap_or_else(|| p.clone())).collect();
        a.set("InkList", moved);
    }
}

/// The page's annotations without its file attachments: the file an attachment annotation
/// holds would reach the plan unseen (no printout shows it, no manifest lists it). The
/// annotation is left out whole, with the popup that belongs to it, rather than kept as an
/// icon without its file: a pin that opens nothing would say the packet holds a file it does
/// not. Each is named in a warning, so the person can add the file as an exhibit of its own.
fn leave_out_attachments(doc: &Document, annots: Object, warnings: &mut Vec<String>, (label, page): (&str, usize)) -> Object {
    let Object::Array(items) = annots else { return annots };
    let dict = |o: &Object| doc.dereference(o).ok().and_then(|(_, o)| o.as_dict().ok().cloned());
    let is_attachment = |d: &Dictionary| d.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"FileAttachment");
    let mut left_out = Vec::new();
    for item in &items {
        if let Some(d) = dict(item).filter(is_attachment) {
            left_out.push(item.clone());
            let name = attached_name(doc, &d);
            warnings.push(format!(
                "{label}: page {page}'s attached file {name} left out: attach it as its own exhibit if the plan should have it"
            ));
        }
    }
    if left_out.is_empty() {
        return Object::Array(items);
    }
    let belongs = |d: &Dictionary| d.get(b"Parent").ok().is_some_and(|p| left_out.contains(p));
    let kept = items.into_iter().filter(|o| !left_out.contains(o) && !dict(o).is_some_and(|d| belongs(&d))).collect();
    Object::Array(kept)
}

/// The name an attachment annotation gives its file (its file specification's `/UF`, `/F` or
/// the string it is), or "without a name".
fn attached_name(doc: &Document, annot: &Dictionary) -> String {
    let spec = annot.get(b"FS").ok().and_then(|fs| doc.dereference(fs).ok()).map(|(_, o)| o);
    let name = match spec {
        Some(Object::Dictionary(d)) => [&b"UF"[..], b"F", b"Unix", b"DOS", b"Mac"]
            .iter()
            .find_map(|k| d.get(k).ok().and_then(|n| doc.dereference(n).ok()).and_then(|(_, n)| lopdf::decode_text_string(n).ok())),
        Some(o) => lopdf::decode_text_string(o).ok(),
        None => None,
    };
    match name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) {
        Some(n) => n,
        None => "without a name".to_string(),
    }
}

/// What an exhibit PDF would run or send (a script, a program launched, a form submitted or
/// data imported, a media player) when the packet is opened, a page shown or a link or field
/// used: such an action becomes null (as if absent), and every additional-actions entry
/// (`/AA`) is dropped. Links to places and web addresses stay. A file specification loses
/// the files embedded in it (`/EF`, `/RF`) wherever it is reached from, so no attached file
/// travels with the packet unseen; a link into an embedded file (`GoToE`) goes with them.
fn disarm(obj: &mut Object) {
    const ACTIVE: [&[u8]; 9] =
        [b"JavaScript", b"Launch", b"SubmitForm", b"ImportData", b"Rendition", b"Movie", b"Sound", b"RichMediaExecute", b"GoToE"];
    match obj {
        Object::Dictionary(d) => {
            if d.get(b"S").ok().and_then(|s| s.as_name().ok()).is_some_and(|s| ACTIVE.contains(&s)) {
                *obj = Object::Null;
                return;
            }
            d.remove(b"AA");
            d.remove(b"EF");
            d.remove(b"RF");
            d.iter_mut().for_each(|(_, v)| disarm(v));
        }
        Object::Array(items) => items.iter_mut().for_each(disarm),
        _ => {}
    }
}

/// XMP metadata attached to an image or a form inside an exhibit PDF (editing software
/// leaves authors, tools and history there) is not carried into the packet. Pages' own
/// metadata never is: their dictionaries are rebuilt from the keys a page needs.
fn strip_xmp(s: &mut lopdf::Stream) {
    let subtype = s.dict.get(b"Subtype").ok().and_then(|t| t.as_name().ok());
    if matches!(subtype, Some(b"Image") | Some(b"Form")) {
        s.dict.remove(b"Metadata");
    }
}

/// A JPEG inside an exhibit PDF (a phone's scanner app makes these) can carry the phone's
/// EXIF: GPS position, camera serial. Its metadata segments are removed as for a photo; the
/// compressed image itself is copied unchanged. Done to every image of the document as it is
/// opened (`prefetch`, on the cores the merge leaves free), before any is copied.
pub(super) fn strip_embedded_photos(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        if let Object::Stream(s) = object {
            strip_embedded_photo_metadata(s);
        }
    }
}

/// One stream of [`strip_embedded_photos`]: anything unexpected leaves it as it is.
fn strip_embedded_photo_metadata(s: &mut lopdf::Stream) {
    let is_image = s.dict.get(b"Subtype").ok().and_then(|t| t.as_name().ok()) == Some(b"Image");
    let dct = match s.dict.get(b"Filter") {
        Ok(Object::Name(n)) => n == b"DCTDecode",
        Ok(Object::Array(a)) => a.len() == 1 && a[0].as_name().ok() == Some(b"DCTDecode"),
        _ => false,
    };
    if !is_image || !dct || !s.content.starts_with(&[0xFF, 0xD8]) {
        return;
    }
    if let Ok(Some(clean)) = crate::import::image::strip_jpeg_metadata_if_any(&s.content) {
        s.content = clean;
    }
}

/// A rectangle as the copied page's dictionary holds it (points, to 1/1000).
fn rect(r: [f64; 4]) -> Object {
    let real = |x: f64| {
        let r = (x * 1000.0).round() / 1000.0;
        if r == r.trunc() {
            Object::Integer(r as i64)
        } else {
            Object::Real(r as f32)
        }
    };
    Object::Array(r.iter().map(|x| real(*x)).collect())
}

/// The form a page's content is drawn as when a reader would stop reading it part-way: its
/// box the page's MediaBox (nothing outside it is shown on the page either), its resources
/// the page's.
fn content_form(geo: &pdf::PageGeometry, resources: Object) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"XObject".to_vec()));
    d.set("Subtype", Object::Name(b"Form".to_vec()));
    d.set("BBox", kept_rect(geo.media_box));
    d.set("Resources", resources);
    d.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    d
}

/// A box of a page left as it is, as the exhibit held it: rounding it to 1/1000 (as `rect`
/// does the boxes it computes) would move the page's edges by a fraction of a point, and the
/// page would no longer be the one it was. The exhibit's reals were read as `f32`, so they
/// are written back as they were read.
fn kept_rect(r: [f64; 4]) -> Object {
    let exact = |x: f64| if x == x.trunc() && x.abs() < 1e15 { Object::Integer(x as i64) } else { Object::Real(x as f32) };
    Object::Array(r.iter().map(|x| exact(*x)).collect())
}

/// The page's `/UserUnit` (points per unit), 1 when absent or not a usable number.
pub(super) fn user_unit(page: &Dictionary) -> f64 {
    let unit = page.get(b"UserUnit").ok().and_then(|u| u.as_float().ok().map(f64::from).or_else(|| u.as_i64().ok().map(|i| i as f64)));
    unit.filter(|u| u.is_finite() && *u > 0.0 && *u <= 1000.0).unwrap_or(1.0)
}

/// Maps an exhibit's object numbers to fresh ones in the packet and remembers which objects
/// still have to be copied.
struct Renumber<'a> {
    map: HashMap<ObjectId, ObjectId>,
    queue: Vec<ObjectId>,
    selected: &'a HashMap<ObjectId, ObjectId>,
    tree: &'a HashSet<ObjectId>,
}

impl Renumber<'_> {
    fn rewrite<W: Sink>(&mut self, w: &mut PdfWriter<W>, obj: &mut Object) {
        match obj {
            Object::Reference(r) => {
                if let Some(n) = self.selected.get(r) {
                    *r = *n;
                } else if self.tree.contains(r) {
                    *obj = Object::Null;
                } else if let Some(n) = self.map.get(r) {
                    *r = *n;
                } else {
                    let n = w.alloc();
                    self.map.insert(*r, n);
                    self.queue.push(*r);
                    *r = n;
                }
            }
            Object::Array(a) => a.iter_mut().for_each(|o| self.rewrite(w, o)),
            Object::Dictionary(d) => d.iter_mut().for_each(|(_, o)| self.rewrite(w, o)),
            Object::Stream(s) => s.dict.iter_mut().for_each(|(_, o)| self.rewrite(w, o)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where [`photo_page`] shows a photo of `width` × `height` pixels shaped `pixel`.
    fn shown(width: u32, height: u32, pixel: import::image::PixelShape) -> (f64, f64, f64, f64) {
        let jpeg = crate::demo::fixtures::jpeg_plain(8, 8, 1);
        let base = import::image::open(&jpeg, import::image::ImageFormat::Jpeg, &Default::default()).unwrap();
        let photo = Photo { width, height, pixel, ..base };
        photo_page(metrics(), (1, 0), &photo, &["Exhibit 1".to_string()]).1
    }

    #[test]
    fn a_small_picture_is_shown_at_96_to_the_inch_and_as_large_once_shrunk() {
        use import::image::PixelShape;
        // 400 × 300 pixels at 96 to the inch: 300 × 225 pt, centred on a landscape page.
        let (x, _, w, h) = shown(400, 300, PixelShape::SQUARE);
        assert_eq!((x, w, h), (246.0, 300.0, 225.0));
        // The same picture made 200 × 150 by a size budget: each pixel spans two, as large.
        let (_, _, w, h) = shown(200, 150, PixelShape::SQUARE.resampled(400, 200));
        assert_eq!((w, h), (300.0, 225.0));
        // A large picture still fits its page, as before.
        let (_, _, w, _) = shown(4000, 2000, PixelShape::SQUARE);
        assert_eq!(w, 720.0);
    }

    #[test]
    fn an_annotation_moves_and_shrinks_with_the_content() {
        let m = stamp::place([0.0, 0.0, 612.0, 792.0], 0, 1.0, false, 400.0).content;
        let mut a = Dictionary::new();
        a.set("Rect", vec![100.into(), 0.into(), 200.into(), 20.into()]);
        a.set("QuadPoints", vec![100.into(), 20.into(), 200.into(), 20.into(), 100.into(), 0.into(), 200.into(), 0.into()]);
        a.set("InkList", vec![Object::Array(vec![100.into(), 0.into(), 150.into(), 10.into()])]);
        transform_annotation(&mut a, m, [0.0, 0.0, 612.0, 792.0]);
        let r = numbers(a.get(b"Rect").unwrap()).unwrap();
        let (x0, y0) = apply(m, 100.0, 0.0);
        let (x1, y1) = apply(m, 200.0, 20.0);
        for (got, want) in r.iter().zip([x0, y0, x1, y1]) {
            assert!((got - want).abs() < 1e-3, "{r:?}");
        }
        assert!(r[1] >= stamp::BAND - 1e-3, "the link no longer lies in the stamp band: {r:?}");
        let q = numbers(a.get(b"QuadPoints").unwrap()).unwrap();
        assert!((q[5] - y0).abs() < 1e-3 && (q[1] - y1).abs() < 1e-3, "{q:?}");
        let ink = numbers(&a.get(b"InkList").unwrap().as_array().unwrap()[0]).unwrap();
        assert!((ink[1] - y0).abs() < 1e-3, "{ink:?}");
    }

    #[test]
    fn an_annotation_outside_the_visible_box_stays_unseen_and_margins_scale() {
        let m = stamp::place([0.0, 0.0, 612.0, 792.0], 0, 1.0, false, 400.0).content;
        let mut outside = Dictionary::new();
        outside.set("Rect", vec![(-80).into(), 100.into(), (-10).into(), 120.into()]);
        outside.set("F", 4);
        transform_annotation(&mut outside, m, [0.0, 0.0, 612.0, 792.0]);
        assert_eq!(outside.get(b"F").unwrap().as_i64().unwrap(), 4 | 2);
        let mut square = Dictionary::new();
        square.set("Rect", vec![100.into(), 100.into(), 200.into(), 200.into()]);
        square.set("RD", vec![10.into(), 10.into(), 10.into(), 10.into()]);
        transform_annotation(&mut square, m, [0.0, 0.0, 612.0, 792.0]);
        assert!(square.get(b"F").is_err(), "a visible annotation keeps its flags");
        let rd = numbers(square.get(b"RD").unwrap()).unwrap();
        assert!((rd[0] - 10.0 * m[0]).abs() < 1e-3, "{rd:?}");
    }

    #[test]
    fn hidden_annotations_and_popups_do_not_occupy_the_band() {
        let doc = Document::with_version("1.7");
        let mut a = Dictionary::new();
        a.set("Rect", vec![10.into(), 15.into(), 0.into(), 5.into()]);
        assert_eq!(visible_rect(&doc, &a), Some([0.0, 5.0, 10.0, 15.0]));
        a.set("F", 2);
        assert_eq!(visible_rect(&doc, &a), None);
        a.set("F", 4);
        a.set("Subtype", Object::Name(b"Popup".to_vec()));
        assert_eq!(visible_rect(&doc, &a), None);
    }

    fn annotated_page(doc: &mut Document, annots: Object) -> ObjectId {
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Annots", annots);
        doc.add_object(page)
    }

    fn rect_of(doc: &Document, annots: &Object, i: usize) -> Vec<f64> {
        let a = doc.dereference(&annots.as_array().unwrap()[i]).unwrap().1.as_dict().unwrap();
        numbers(a.get(b"Rect").unwrap()).unwrap()
    }

    #[test]
    fn an_annotation_two_pages_share_is_placed_on_each_with_its_own_copy() {
        let mut doc = Document::with_version("1.7");
        let mut link = Dictionary::new();
        link.set("Subtype", Object::Name(b"Link".to_vec()));
        link.set("Rect", vec![100.into(), 0.into(), 200.into(), 20.into()]);
        let link = doc.add_object(link);
        let shared = doc.add_object(Object::Array(vec![Object::Reference(link)]));
        let (shrunk, kept) = (annotated_page(&mut doc, Object::Reference(shared)), annotated_page(&mut doc, Object::Reference(shared)));
        let visible = [0.0, 0.0, 612.0, 792.0];
        let m = stamp::place(visible, 0, 1.0, false, 400.0).content;
        let mut placed = AnnotPlacements::default();
        let on_shrunk = place_annotations(&mut doc, shrunk, m, visible, &mut placed).unwrap();
        let on_kept = place_annotations(&mut doc, kept, stamp::IDENTITY, visible, &mut placed).unwrap();
        let again = place_annotations(&mut doc, shrunk, m, visible, &mut placed).unwrap();
        let (x0, y0) = apply(m, 100.0, 0.0);
        assert!((rect_of(&doc, &on_shrunk, 0)[1] - y0).abs() < 1e-3 && (rect_of(&doc, &on_shrunk, 0)[0] - x0).abs() < 1e-3);
        assert_eq!(rect_of(&doc, &on_kept, 0), vec![100.0, 0.0, 200.0, 20.0], "the kept page's link is where the file put it");
        assert_ne!(on_kept, on_shrunk, "each page lists its own object");
        assert_eq!(again, on_shrunk, "a page listed twice is not moved twice");
        assert_eq!(doc.get_object(shared).unwrap().as_array().unwrap(), &vec![Object::Reference(link)], "the file's array is unchanged");
    }

    #[test]
    fn an_annotation_whose_geometry_is_indirect_is_moved() {
        let mut doc = Document::with_version("1.7");
        let rect = doc.add_object(Object::Array(vec![100.into(), 0.into(), 200.into(), 20.into()]));
        let y = doc.add_object(Object::Integer(20));
        let mut ink = Dictionary::new();
        ink.set("Subtype", Object::Name(b"Ink".to_vec()));
        ink.set("Rect", Object::Reference(rect));
        ink.set("QuadPoints", vec![100.into(), Object::Reference(y), 200.into(), 20.into()]);
        ink.set("InkList", vec![Object::Reference(rect)]);
        let page = annotated_page(&mut doc, Object::Array(vec![Object::Dictionary(ink)]));
        let visible = [0.0, 0.0, 612.0, 792.0];
        let m = stamp::place(visible, 0, 1.0, false, 400.0).content;
        let annots = place_annotations(&mut doc, page, m, visible, &mut AnnotPlacements::default()).unwrap();
        let a = annots.as_array().unwrap()[0].as_dict().unwrap();
        let (x0, y0) = apply(m, 100.0, 0.0);
        let (_, y1) = apply(m, 200.0, 20.0);
        let r = numbers(a.get(b"Rect").unwrap()).unwrap();
        assert!((r[0] - x0).abs() < 1e-3 && (r[1] - y0).abs() < 1e-3, "{r:?}");
        let q = numbers(a.get(b"QuadPoints").unwrap()).unwrap();
        assert!((q[1] - y1).abs() < 1e-3, "{q:?}");
        let path = numbers(&a.get(b"InkList").unwrap().as_array().unwrap()[0]).unwrap();
        assert!((path[1] - y0).abs() < 1e-3, "{path:?}");
        assert_eq!(doc.get_object(rect).unwrap().as_array().unwrap()[0], Object::Integer(100), "the shared array is left as it is");
    }

    fn corpus(path: &str) -> Document {
        Document::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(path)).unwrap()
    }

    fn free(doc: &Document, n: u32) -> (i64, bool) {
        let page = doc.get_pages()[&n];
        let geo = pdf::geometry(doc, page);
        let content = doc.get_page_content(page);
        (geo.rotate, band_is_free(doc, page, Some(&content), &geo, 1.0))
    }

    #[test]
    fn a_rotated_page_whose_visual_foot_is_free_is_left_as_it_is() {
        // qpdf's test files: text near the top left of a letter page, turned 90 and 270.
        let rotated = corpus("qpdf+qpdf/qpdf/qtest/qpdf/rotated.pdf");
        assert_eq!(free(&rotated, 3), (270, true));
        let inherited = corpus("qpdf+qpdf/qpdf/qtest/qpdf/inherited-rotate.pdf");
        assert_eq!(free(&inherited, 1), (90, true));
    }

    #[test]
    fn a_rotated_page_with_ink_at_its_visual_foot_is_not_free() {
        // A bar along the page's right edge is the visual bottom at 90, the top at 270.
        for (rotate, want) in [(90, false), (270, true), (0, true)] {
            let mut doc = Document::with_version("1.7");
            let content = doc.add_object(lopdf::Stream::new(Dictionary::new(), b"580 300 20 200 re f".to_vec()));
            let mut page = Dictionary::new();
            page.set("Type", Object::Name(b"Page".to_vec()));
            page.set("MediaBox", vec![0.into(), 0.into(), 612.into(), 792.into()]);
            page.set("Rotate", rotate);
            page.set("Contents", Object::Reference(content));
            let id = doc.add_object(page);
            let geo = pdf::geometry(&doc, id);
            let content = doc.get_page_content(id);
            assert_eq!(band_is_free(&doc, id, Some(&content), &geo, 1.0), want, "Rotate {rotate}");
        }
    }
}
