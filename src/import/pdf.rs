//! Opens a PDF exhibit with lopdf: decrypts owner-password-only files, repairs a broken
//! cross-reference table (with a warning), reads the page tree and repairs the pages before
//! judging them, refuses files that need a password or have lost pages or content, warns of
//! damage carried, and resolves each page's inherited box, rotation and resources. [`unlock`] makes an
//! unencrypted copy of a password-protected PDF with its password.

use super::pagetree::PageTree;
use super::repair::PageRepair;
use super::{Error, Result};
use crate::model::PageSelection;
use lopdf::{xref::XrefRecovery, Dictionary, Document, Object, ObjectId};
use std::borrow::Cow;

/// A PDF ready to have its pages copied into the packet.
pub struct SourcePdf {
    pub doc: Document,
    /// The pages to copy, in packet order (a page may repeat if the selection says so).
    pub pages: Vec<ObjectId>,
    /// Every page of the document, in order.
    pub all_pages: Vec<ObjectId>,
    /// Things the user should know: a repaired cross-reference table, an odd page tree, pages
    /// repaired or carried with damage (each naming the page).
    pub warnings: Vec<String>,
}

/// A page's attributes after walking up the page tree for the inherited ones.
#[derive(Debug, Clone)]
pub struct PageGeometry {
    pub media_box: [f64; 4],
    /// The visible area: the crop box clipped to the media box, or the media box.
    pub crop_box: Option<[f64; 4]>,
    /// 0, 90, 180 or 270.
    pub rotate: i64,
    pub resources: Option<Object>,
}

impl PageGeometry {
    pub fn visible(&self) -> [f64; 4] {
        self.crop_box.unwrap_or(self.media_box)
    }
}

/// Opens a PDF from its bytes. The error says what is wrong with the file; the caller names
/// the exhibit.
pub fn open(bytes: &[u8], selection: Option<&PageSelection>) -> Result<SourcePdf> {
    let (part, left_out) = super::appended::pdf_part(bytes)?;
    let (mut doc, bytes) = load(&part, None)?;
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(Error::NeedsPassword);
    }
    let (all_pages, mut warnings) = readable_pages(&mut doc, &bytes, None)?;
    if super::crypt::passed_over(&doc, &bytes) {
        warnings.insert(0, super::crypt::PASSED_OVER.into());
    }
    if let Some(n) = left_out {
        warnings.insert(0, super::appended::warning(n));
    }
    let pages = match selection {
        None => all_pages.clone(),
        Some(sel) => select(sel, &all_pages)?,
    };
    Ok(SourcePdf { doc, pages, all_pages, warnings })
}

/// Parses the file, decrypting it with `password` (or the empty one), and puts lopdf's
/// failures into a person's words: the parser's own ("failed parsing cross reference table")
/// mean nothing to the person holding the file. Returns the bytes the document was read from.
fn load<'a>(bytes: &'a [u8], password: Option<&str>) -> Result<(Document, Cow<'a, [u8]>)> {
    if !super::has_pdf_header(bytes) && super::is_pdf_body(bytes) {
        // The objects of a PDF without its header line: read as qpdf and poppler read it, as
        // a PDF of the earliest version (the table, its offsets counted without a header, is
        // rebuilt where it does not fit).
        let headed = [&b"%PDF-1.2\n"[..], bytes].concat();
        let (doc, read) = load(&headed, password)?;
        return Ok((doc, Cow::Owned(read.into_owned())));
    }
    let Some(normalised) = super::normalise::normalise(bytes) else { return load_as_written(bytes, password) };
    let (mut doc, read) = load_as_written(&normalised.bytes, password)?;
    normalised.restore(&mut doc);
    Ok((doc, Cow::Owned(read.into_owned())))
}

fn load_as_written<'a>(bytes: &'a [u8], password: Option<&str>) -> Result<(Document, Cow<'a, [u8]>)> {
    if !super::has_pdf_header(bytes) {
        return Err(Error::NotTheFormat("is not a PDF (it has no %PDF header)".into()));
    }
    crate::limits::check_pdf_nesting(bytes)?;
    let first = parse(bytes, password);
    let locked = match &first {
        Ok(doc) => doc.is_encrypted() && !doc.was_encrypted() && !has_file_id(doc),
        Err(e) => matches!(e, Error::NeedsPassword | Error::WrongPassword),
    };
    if locked {
        // The encryption key is made with the file's /ID; qpdf and poppler take a missing one
        // as empty, and so open such a file (with the empty password or the one given).
        // lopdf refuses to guess.
        if let Some(patched) = with_empty_id(bytes) {
            if let Ok(doc) = parse(&patched, password) {
                if doc.was_encrypted() {
                    return Ok((doc, Cow::Owned(patched)));
                }
            }
        }
    }
    let needs_password = match &first {
        Ok(doc) => doc.is_encrypted() && !doc.was_encrypted(),
        Err(e) => *e == Error::NeedsPassword,
    };
    if password.is_none() && needs_password {
        if let Some(plain) = as_rebuilt_unencrypted(bytes) {
            return Ok(plain);
        }
    }
    first.map(|doc| (doc, Cow::Borrowed(bytes)))
}

/// The file as qpdf and poppler read it when they must rebuild its broken table and its
/// first trailer is not encrypted (a file joined to an encrypted copy of itself): no
/// password is asked for, and the objects are those the scan finds last.
fn as_rebuilt_unencrypted<'a>(bytes: &[u8]) -> Option<(Document, Cow<'a, [u8]>)> {
    let plain = super::crypt::as_first_trailer_reads(bytes)?;
    let doc = parse(&plain, None).ok()?;
    (doc.xref_recovery == Some(XrefRecovery::Reconstructed)).then_some((doc, Cow::Owned(plain)))
}

fn parse(bytes: &[u8], password: Option<&str>) -> Result<Document> {
    match load_lopdf(bytes, password, false) {
        Ok(mut d) => {
            super::objstm::read_mistyped(&mut d);
            Ok(d)
        }
        Err(lopdf::Error::InvalidPassword) | Err(lopdf::Error::Decryption(_)) if password.is_some() => Err(Error::WrongPassword),
        Err(lopdf::Error::InvalidPassword) | Err(lopdf::Error::Decryption(_)) => Err(Error::NeedsPassword),
        Err(_) if !ends_with_eof(bytes) => Err(truncated()),
        Err(_) => Err(Error::Damaged("is damaged and cannot be read; get a fresh copy from whoever sent it".into())),
    }
}

/// lopdf's reading of the file, within the limits, with the crypt filters of an encryption
/// dictionary that lopdf cannot follow (written as references) resolved first.
fn load_lopdf(bytes: &[u8], password: Option<&str>, force_reconstruct: bool) -> lopdf::Result<Document> {
    let options = || lopdf::LoadOptions {
        password: password.map(String::from),
        force_reconstruct,
        max_decompressed_size: Some(crate::limits::STREAM_DECODED),
        ..Default::default()
    };
    let doc = Document::load_mem_with_options(bytes, options())?;
    if !super::crypt::filters_unresolved(&doc) {
        return Ok(doc);
    }
    let direct = super::crypt::with_direct_filters(bytes, password, |b| Document::load_mem_with_options(b, options()));
    direct.unwrap_or(Ok(doc))
}

fn has_file_id(doc: &Document) -> bool {
    doc.trailer.get(b"ID").and_then(Object::as_array).is_ok_and(|a| a.first().is_some_and(|i| i.as_str().is_ok()))
}

/// The file with an empty `/ID` written just before the last `/Encrypt` key (the newest
/// trailer's), or `None` when there is no such key. The bytes before it do not move, so every
/// offset the file gives still holds.
fn with_empty_id(bytes: &[u8]) -> Option<Vec<u8>> {
    let at = bytes.windows(8).rposition(|w| w == b"/Encrypt")?;
    let mut patched = Vec::with_capacity(bytes.len() + 16);
    patched.extend_from_slice(&bytes[..at]);
    patched.extend_from_slice(b"/ID [<> <>] ");
    patched.extend_from_slice(&bytes[at..]);
    Some(patched)
}

/// The document's pages as PDF readers show them, repaired where the file's bytes allow, with
/// the warnings the person should see; refuses a file that has lost pages or content. The
/// repair comes first, so a page is judged by what could be recovered.
fn readable_pages(doc: &mut Document, bytes: &[u8], password: Option<&str>) -> Result<(Vec<ObjectId>, Vec<String>)> {
    let (tree, repairs) = best_reading(doc, bytes, password);
    let complete = ends_with_eof(bytes) || ends_with_startxref(bytes);
    if let Some(why) = no_pages(doc, &tree, complete) {
        return Err(why);
    }
    // A file that ends before its `startxref` and needed its table rebuilt, or lost anything,
    // was cut short; one that lost only what follows `startxref` is whole, as qpdf and poppler
    // read it.
    let rebuilt = doc.xref_recovery == Some(XrefRecovery::Reconstructed);
    if !complete && (rebuilt || repairs.iter().any(|r| r.lost > 0) || dangling(doc, &tree.pages) > 0) {
        return Err(truncated());
    }
    // Before any page is decoded: the damage scan decodes each page's content once, and
    // refuses one past the limit.
    crate::limits::check_pdf_size(doc.objects.len(), tree.pages.len())?;
    let mut warnings = tree.warnings();
    warnings.extend(table_repair(doc, &tree, &repairs, bytes_before_header(bytes))?);
    warnings.extend(repairs.iter().map(|r| r.warning()));
    let damage = super::damage::scan(doc, &tree.pages)?;
    warnings.extend(damage.iter().map(|d| d.warning()));
    // Carried as readers show it: each broken stream as what of it decodes.
    super::damage::mend(doc, &damage.iter().flat_map(|d| d.broken.iter().copied()).collect::<Vec<_>>());
    Ok((tree.pages, warnings))
}

/// Why a document has no page to carry, if it has none.
fn no_pages(doc: &Document, tree: &PageTree, complete: bool) -> Option<Error> {
    let damaged = |what: &str| Some(Error::Damaged(format!("is damaged: {what} cannot be read; get a fresh copy from whoever sent it")));
    if !complete {
        return tree.pages.is_empty().then(|| Error::Truncated("is truncated or damaged: no pages could be read".into()));
    }
    if tree.pages.is_empty() && !tree.lost.is_empty() {
        return damaged(&match tree.lost.len() {
            1 => "its page".to_string(),
            n => format!("its {n} pages"),
        });
    }
    if doc.catalog().ok().and_then(|c| c.get(b"Pages").ok()).and_then(|p| doc.dereference(p).ok()).is_none() {
        return damaged("its list of pages");
    }
    // A tree that says it holds no pages has none for qpdf and poppler either, whatever it lists.
    (tree.pages.is_empty() || claimed_count(doc) == Some(0))
        .then(|| Error::Damaged("has no pages that a PDF reader could show; get a fresh copy from whoever sent it".into()))
}

/// What the person should know about a repaired cross-reference table; refuses a rebuilt file
/// that lost a whole page's content or some of its pages. A table read as written is repaired
/// too when bytes come before the header: its offsets, counted from the file's start, all point
/// that many bytes short of their objects, and were read from the header instead.
fn table_repair(doc: &Document, tree: &PageTree, repairs: &[PageRepair], before_header: usize) -> Result<Option<String>> {
    let Some(recovery) = doc.xref_recovery else { return Ok((before_header > 0).then(|| REPAIRED.into())) };
    if recovery == XrefRecovery::Reconstructed {
        // A page left with nothing to show after a rebuilt table is a lost page, not a blank one.
        if let Some(r) = repairs.iter().find(|r| r.kept == 0 && r.lost > 0) {
            return Err(Error::Damaged(format!("is damaged: page {} has lost its content", r.index + 1)));
        }
    }
    let tree_is_odd = tree.loops + tree.repeats + tree.not_pages + tree.lost.len() > 0;
    if let Some(claimed) = claimed_count(doc).filter(|c| *c != tree.pages.len() && !tree_is_odd) {
        return Err(Error::Damaged(format!("is damaged: it claims {claimed} pages but only {} could be read", tree.pages.len())));
    }
    Ok(Some(match recovery {
        XrefRecovery::Reconstructed => "cross-reference table was broken and has been rebuilt; check the pages".into(),
        _ => REPAIRED.into(),
    }))
}

const REPAIRED: &str = "cross-reference table was broken and has been repaired";

/// How many bytes come before the file's `%PDF-` header. lopdf, as qpdf and poppler, counts
/// the table's offsets from the header, so a file that gained bytes before it (a mail
/// gateway's or an upload's line) still reads, every offset shifted by that many.
fn bytes_before_header(bytes: &[u8]) -> usize {
    bytes.windows(5).position(|w| w == b"%PDF-").unwrap_or(0)
}

/// The page tree and the repaired pages, from the file's cross-reference table or, where that
/// table names objects that are not where it says (pages or content lost), from a table
/// rebuilt by scanning the file, as qpdf rebuilds it; whichever loses less.
fn best_reading(doc: &mut Document, bytes: &[u8], password: Option<&str>) -> (PageTree, Vec<PageRepair>) {
    let tree = super::pagetree::read(doc);
    let repairs = super::repair::repair_pages(doc, bytes, &tree.pages);
    let losses = |t: &PageTree, r: &[PageRepair]| t.not_pages + t.lost.len() + r.iter().map(|r| r.lost).sum::<usize>();
    let lost = losses(&tree, &repairs);
    if (lost == 0 && !tree.pages.is_empty()) || doc.xref_recovery == Some(XrefRecovery::Reconstructed) {
        return (tree, repairs);
    }
    let Ok(mut rebuilt) = load_lopdf(bytes, password, true) else { return (tree, repairs) };
    if rebuilt.xref_recovery != Some(XrefRecovery::Reconstructed) || rebuilt.was_encrypted() != doc.was_encrypted() {
        return (tree, repairs);
    }
    let tree2 = super::pagetree::read(&mut rebuilt);
    let repairs2 = super::repair::repair_pages(&mut rebuilt, bytes, &tree2.pages);
    if losses(&tree2, &repairs2) < lost && tree2.pages.len() >= tree.pages.len() {
        *doc = rebuilt;
        return (tree2, repairs2);
    }
    (tree, repairs)
}

/// The page count the root of the page tree states.
fn claimed_count(doc: &Document) -> Option<usize> {
    let root = doc.catalog().ok()?.get(b"Pages").ok()?;
    let (_, root) = doc.dereference(root).ok()?;
    let count = root.as_dict().ok()?.get(b"Count").ok()?.as_i64().ok()?;
    usize::try_from(count).ok()
}

/// How many references from the pages (their content, resources, annotations and all they
/// reach) name an object the file does not hold: what a file cut short loses. `/Parent` and
/// an annotation's `/P` are not followed (they lead back up), nor `/Length` (read while
/// parsing).
fn dangling(doc: &Document, pages: &[ObjectId]) -> usize {
    let skip = |k: &[u8]| matches!(k, b"Parent" | b"Length" | b"P");
    let mut seen: std::collections::HashSet<ObjectId> = pages.iter().copied().collect();
    let mut queue: Vec<&Object> = pages.iter().filter_map(|p| doc.objects.get(p)).collect();
    let mut missing = 0;
    while let Some(o) = queue.pop() {
        match o {
            Object::Reference(r) if seen.insert(*r) => match doc.objects.get(r) {
                Some(target) => queue.push(target),
                None => missing += 1,
            },
            Object::Array(a) => queue.extend(a.iter()),
            Object::Dictionary(d) => queue.extend(d.iter().filter(|(k, _)| !skip(k)).map(|(_, v)| v)),
            Object::Stream(s) => queue.extend(s.dict.iter().filter(|(k, _)| !skip(k)).map(|(_, v)| v)),
            _ => {}
        }
    }
    missing
}

/// The pages a selection asks for, refusing one that goes past the last page.
fn select(sel: &PageSelection, all_pages: &[ObjectId]) -> Result<Vec<ObjectId>> {
    if sel.last_page() as usize > all_pages.len() {
        return Err(Error::NoSuchPage { selection: sel.text.clone(), asked: sel.last_page(), pages: all_pages.len() });
    }
    Ok(sel.pages().map(|n| all_pages[n as usize - 1]).collect())
}

/// An unlocked copy of a password-protected PDF: decrypted with `password` (the user or the
/// owner password) and written without encryption, so nothing later needs the password. The
/// copy is checked as the build checks any PDF; a wrong password is [`Error::WrongPassword`].
/// A PDF without encryption is its own unlocked copy.
pub fn unlock(bytes: &[u8], password: &str) -> Result<Vec<u8>> {
    let (part, _) = super::appended::pdf_part(bytes)?;
    let (mut doc, bytes) = load(&part, Some(password))?;
    let bytes = bytes.as_ref();
    if !doc.was_encrypted() {
        if doc.is_encrypted() {
            // Encrypted in a way that could not be decrypted with this password.
            return Err(Error::WrongPassword);
        }
        open(bytes, None)?;
        return Ok(bytes.to_vec());
    }
    readable_pages(&mut doc, bytes, Some(password))?;
    // lopdf drops /Encrypt once it has decrypted; make sure nothing of it is written back.
    if let Ok(id) = doc.trailer.get(b"Encrypt").and_then(Object::as_reference) {
        doc.objects.remove(&id);
    }
    doc.trailer.remove(b"Encrypt");
    doc.encryption_state = None;
    // Without the encryption dictionary the numbering has a gap; close it so /Size is exact.
    doc.renumber_objects();
    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out).map_err(|_| Error::Damaged("cannot be written out unlocked; get a fresh copy from whoever sent it".into()))?;
    // The copy must open by itself, as the build will open it.
    open(&out, None)?;
    Ok(out)
}

fn truncated() -> Error {
    Error::Truncated(TRUNCATED.into())
}

const TRUNCATED: &str = "is truncated (the file ends before its end-of-file marker): it was cut off while being saved, downloaded or copied; get a complete copy";

/// Whether the file's last 2 KB hold the `%%EOF` marker a complete PDF ends with.
fn ends_with_eof(bytes: &[u8]) -> bool {
    bytes[bytes.len().saturating_sub(2048)..].windows(5).any(|w| w == b"%%EOF")
}

/// Whether the file's last bytes hold its `startxref` keyword: its writer reached the end, and
/// only the offset or the `%%EOF` after it is missing or wrong.
fn ends_with_startxref(bytes: &[u8]) -> bool {
    bytes[bytes.len().saturating_sub(256)..].windows(9).any(|w| w == b"startxref")
}

/// A PDF number (integer or real) as `f64`.
pub(crate) fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

pub(super) fn rect(doc: &Document, o: &Object) -> Option<[f64; 4]> {
    let (_, o) = doc.dereference(o).ok()?;
    let a = o.as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let v: Vec<f64> = a.iter().filter_map(|x| doc.dereference(x).ok().and_then(|(_, x)| number(x))).collect();
    if v.len() != 4 {
        return None;
    }
    // Normalise so that the first corner is the lower left.
    let r = [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])];
    (r[2] - r[0] > 1.0 && r[3] - r[1] > 1.0).then_some(r)
}

/// Looks a key up on the page, then on its ancestors (MediaBox, CropBox, Rotate, Resources
/// are inheritable).
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut dict = page;
    for _ in 0..64 {
        if let Ok(v) = dict.get(key) {
            return Some(v);
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// The page's effective geometry; US Letter when the file gives no usable MediaBox.
pub fn geometry(doc: &Document, page: ObjectId) -> PageGeometry {
    let empty = Dictionary::new();
    let dict = doc.get_dictionary(page).unwrap_or(&empty);
    let media_box = inherited(doc, dict, b"MediaBox").and_then(|o| rect(doc, o)).unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let crop_box = inherited(doc, dict, b"CropBox").and_then(|o| rect(doc, o)).and_then(|c| {
        let r = [c[0].max(media_box[0]), c[1].max(media_box[1]), c[2].min(media_box[2]), c[3].min(media_box[3])];
        (r[2] - r[0] > 1.0 && r[3] - r[1] > 1.0 && r != media_box).then_some(r)
    });
    let rotate = inherited(doc, dict, b"Rotate")
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| number(o))
        .map(|r| ((r as i64 % 360) + 360) % 360)
        .map(|r| (r / 90) * 90)
        .unwrap_or(0);
    let resources = inherited(doc, dict, b"Resources").cloned();
    PageGeometry { media_box, crop_box, rotate, resources }
}

/// The box `[x0, y0, x1, y1]` (page space) around everything a page paints, read from its
/// decoded content `data` (decoded once by the caller, which also wraps it): paths, text (baseline less a descent allowance, up to its size; its advance at
/// most one em per byte, since the fonts' widths are not read), images and form XObjects
/// (their bounding boxes). Both axes are measured because a `/Rotate 90` or `270` page's
/// visual bottom is a vertical edge. `None` when the content cannot be read or uses
/// something whose extent is unknown (shadings), so the caller assumes the worst; an
/// empty box (lower corner above the upper) when nothing is painted.
pub fn painted_box(doc: &Document, data: &[u8], resources: Option<&Object>) -> Option<[f64; 4]> {
    let content = lopdf::content::Content::decode(data).ok()?;
    let xobjects: Option<&Dictionary> = resources
        .and_then(|r| doc.dereference(r).ok())
        .and_then(|(_, r)| r.as_dict().ok())
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|x| doc.dereference(x).ok())
        .and_then(|(_, x)| x.as_dict().ok());
    let mut range = Extent::default();
    let (mut spacing, mut word, mut scale) = (0.0f64, 0.0f64, 1.0f64);
    let mut ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut stack: Vec<[f64; 6]> = Vec::new();
    let (mut tm, mut tlm) = ([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    let (mut size, mut leading, mut rise) = (12.0f64, 0.0f64, 0.0f64);
    let mut path: Vec<(f64, f64)> = Vec::new();
    let nums = |ops: &[Object]| -> Option<Vec<f64>> { ops.iter().map(number).collect() };
    for op in &content.operations {
        let o = op.operands.as_slice();
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(ctm),
            "cm" => {
                let m = nums(o)?;
                if m.len() != 6 {
                    return None;
                }
                ctm = mul([m[0], m[1], m[2], m[3], m[4], m[5]], ctm);
            }
            "m" | "l" => {
                let p = nums(o)?;
                path.push(pt(ctm, *p.first()?, *p.get(1)?));
            }
            "c" | "v" | "y" => {
                let p = nums(o)?;
                for xy in p.chunks(2) {
                    if xy.len() == 2 {
                        path.push(pt(ctm, xy[0], xy[1]));
                    }
                }
            }
            "re" => {
                let r = nums(o)?;
                let (x, y, w, h) = (*r.first()?, *r.get(1)?, *r.get(2)?, *r.get(3)?);
                for (px, py) in [(x, y), (x + w, y), (x, y + h), (x + w, y + h)] {
                    path.push(pt(ctm, px, py));
                }
            }
            "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                for (x, y) in path.drain(..) {
                    range.add(x, y);
                }
            }
            "n" => path.clear(),
            "BT" => {
                tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
                tlm = tm;
            }
            "Tf" => size = o.get(1).and_then(number).unwrap_or(size),
            "Tc" => spacing = o.first().and_then(number).unwrap_or(spacing),
            "Tw" => word = o.first().and_then(number).unwrap_or(word),
            "Tz" => scale = o.first().and_then(number).map(|z| z / 100.0).unwrap_or(scale),
            "TL" => leading = o.first().and_then(number).unwrap_or(leading),
            "Ts" => rise = o.first().and_then(number).unwrap_or(rise),
            "Td" | "TD" => {
                let p = nums(o)?;
                let (tx, ty) = (*p.first()?, *p.get(1)?);
                if op.operator == "TD" {
                    leading = -ty;
                }
                tlm = mul([1.0, 0.0, 0.0, 1.0, tx, ty], tlm);
                tm = tlm;
            }
            "Tm" => {
                let m = nums(o)?;
                if m.len() != 6 {
                    return None;
                }
                tm = [m[0], m[1], m[2], m[3], m[4], m[5]];
                tlm = tm;
            }
            "T*" | "'" | "\"" | "Tj" | "TJ" => {
                if matches!(op.operator.as_str(), "T*" | "'" | "\"") {
                    tlm = mul([1.0, 0.0, 0.0, 1.0, 0.0, -leading], tlm);
                    tm = tlm;
                }
                if op.operator != "T*" {
                    // The glyphs span from below the baseline (descenders) to about the size
                    // above it, and along it at most the advance estimated from the bytes;
                    // the next string starts after that estimate, so the box only grows.
                    let advance = text_advance(o, size, (spacing, word, scale));
                    let m = mul(tm, ctm);
                    for (dx, dy) in [(0.0, -0.35 * size + rise), (advance, -0.35 * size + rise), (0.0, size + rise), (advance, size + rise)]
                    {
                        let (x, y) = pt(m, dx, dy);
                        range.add(x, y);
                    }
                    tm = mul([1.0, 0.0, 0.0, 1.0, advance, 0.0], tm);
                }
            }
            "Do" => {
                let name = o.first()?.as_name().ok()?;
                let xo = xobjects?.get(name).ok().and_then(|x| doc.dereference(x).ok())?.1.as_stream().ok()?;
                let corners: Vec<(f64, f64)> = match xo.dict.get(b"Subtype").ok()?.as_name().ok()? {
                    b"Image" => vec![(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)],
                    b"Form" => {
                        let b = rect(doc, xo.dict.get(b"BBox").ok()?)?;
                        let fm = match xo.dict.get(b"Matrix").ok().and_then(|m| m.as_array().ok()) {
                            Some(a) if a.len() == 6 => {
                                let v: Vec<f64> = a.iter().filter_map(number).collect();
                                if v.len() != 6 {
                                    return None;
                                }
                                [v[0], v[1], v[2], v[3], v[4], v[5]]
                            }
                            _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
                        };
                        [(b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3])].iter().map(|&(x, y)| pt(fm, x, y)).collect()
                    }
                    _ => return None,
                };
                for (x, y) in corners {
                    let (x, y) = pt(ctm, x, y);
                    range.add(x, y);
                }
            }
            "BI" => {
                for (x, y) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
                    let (x, y) = pt(ctm, x, y);
                    range.add(x, y);
                }
            }
            // A shading fills the whole clip area: its extent is not known here.
            "sh" => return None,
            _ => {}
        }
    }
    Some(range.0.unwrap_or([f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY]))
}

/// An upper bound of how far a text-showing operator moves along its baseline (text space):
/// one em per byte (wider than any glyph of a simple font, and a two-byte font's glyph is two
/// bytes), character and word spacing where they widen it, a `TJ` gap where it opens space.
fn text_advance(operands: &[Object], size: f64, (spacing, word, scale): (f64, f64, f64)) -> f64 {
    let (mut bytes, mut gaps, mut spaces) = (0.0, 0.0, 0.0);
    let mut count = |s: &[u8]| {
        bytes += s.len() as f64;
        spaces += s.iter().filter(|b| **b == b' ').count() as f64;
    };
    for o in operands {
        match o {
            Object::String(s, _) => count(s),
            Object::Array(items) => {
                for i in items {
                    match i {
                        Object::String(s, _) => count(s),
                        // A negative number moves the next glyph right.
                        n => gaps += number(n).map(|g| (-g / 1000.0 * size).max(0.0)).unwrap_or(0.0),
                    }
                }
            }
            _ => {}
        }
    }
    let advance = (bytes * (size.abs() + spacing.max(0.0)) + spaces * word.max(0.0) + gaps) * scale.abs();
    if advance.is_finite() {
        advance
    } else {
        0.0
    }
}

/// The box around the points added, in page space.
#[derive(Default)]
struct Extent(Option<[f64; 4]>);

impl Extent {
    fn add(&mut self, x: f64, y: f64) {
        if x.is_finite() && y.is_finite() {
            self.0 = Some(match self.0 {
                None => [x, y, x, y],
                Some([x0, y0, x1, y1]) => [x0.min(x), y0.min(y), x1.max(x), y1.max(y)],
            });
        }
    }
}

pub(crate) use crate::matrix::{apply as pt, multiply as mul};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::fixtures;

    fn text(bytes: &[u8]) -> String {
        let doc = Document::load_mem(bytes).unwrap();
        doc.extract_text(&[1]).unwrap()
    }

    #[test]
    fn a_pdf_with_a_user_password_needs_it() {
        let locked = fixtures::encrypted_pdf("user-secret", "owner-secret");
        assert_eq!(open(&locked, None).err(), Some(Error::NeedsPassword));
    }

    #[test]
    fn unlocking_with_the_user_or_owner_password_gives_an_unencrypted_copy() {
        let locked = fixtures::encrypted_pdf("user-secret", "owner-secret");
        for password in ["user-secret", "owner-secret"] {
            let copy = unlock(&locked, password).unwrap();
            assert!(!copy.windows(8).any(|w| w == b"/Encrypt"), "{password}: the copy is not encrypted");
            let opened = open(&copy, None).unwrap();
            assert_eq!(opened.all_pages.len(), 1);
            assert!(!opened.doc.is_encrypted() && !opened.doc.was_encrypted());
            assert!(text(&copy).contains("readable only with the password"), "{password}");
        }
    }

    #[test]
    fn a_wrong_password_is_its_own_error() {
        let locked = fixtures::encrypted_pdf("user-secret", "owner-secret");
        assert_eq!(unlock(&locked, "nope").err(), Some(Error::WrongPassword));
        assert_eq!(unlock(&locked, "").err(), Some(Error::WrongPassword));
        assert!(Error::WrongPassword.to_string().contains("password"));
    }

    #[test]
    fn a_pdf_without_a_user_password_is_its_own_unlocked_copy_once_decrypted() {
        let owner_only = fixtures::encrypted_pdf("", "owner-secret");
        let copy = unlock(&owner_only, "anything").unwrap();
        assert!(!copy.windows(8).any(|w| w == b"/Encrypt"));
        let plain = fixtures::text_pdf(&["plain"]);
        assert_eq!(unlock(&plain, "x").unwrap(), plain);
    }

    #[test]
    fn a_truncated_pdf_is_named_truncated_never_in_the_parsers_words() {
        let full = fixtures::text_pdf(&["page one text", "page two text", "page three text"]);
        let locked = fixtures::encrypted_pdf("user-secret", "owner-secret");
        for (bytes, fraction) in [(&full, 0.3), (&full, 0.6), (&full, 0.9), (&locked, 0.5)] {
            let cut = fixtures::truncate(bytes, fraction);
            for got in [open(&cut, None).err(), unlock(&cut, "user-secret").err()] {
                let why = got.expect("a cut file is refused");
                assert!(matches!(why, Error::Truncated(_)), "{fraction}: {why:?}");
                for parser_words in ["parsing", "cross reference", "xref", "Error", "lopdf", "Invalid"] {
                    assert!(!why.to_string().contains(parser_words), "{why}");
                }
            }
        }
    }

    #[test]
    fn an_empty_id_goes_into_the_newest_trailer_and_moves_nothing_before_it() {
        let file = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer << /Root 1 0 R /Encrypt 7 0 R >>\nstartxref\n9\n%%EOF\n";
        let patched = with_empty_id(file).unwrap();
        let at = file.windows(8).position(|w| w == b"/Encrypt").unwrap();
        assert_eq!(&patched[..at], &file[..at]);
        assert!(patched[at..].starts_with(b"/ID [<> <>] /Encrypt"));
        assert_eq!(with_empty_id(b"%PDF-1.4\n"), None);
    }

    #[test]
    fn a_file_that_lost_only_its_eof_marker_ends_whole() {
        assert!(ends_with_startxref(b"trailer <<>>\nstartxref\n3526\n%"));
        assert!(ends_with_startxref(b"trailer <<>>\nstartxref\n"));
        assert!(!ends_with_startxref(b"0000000019 00000 n \n"));
    }

    #[test]
    fn a_page_tree_that_counts_no_pages_has_none() {
        let mut pdf = fixtures::text_pdf(&["one"]);
        let at = pdf.windows(8).position(|w| w == b"/Count 1").expect("the fixture states its count");
        pdf[at + 7] = b'0';
        let why = open(&pdf, None).err().unwrap();
        assert!(why.to_string().contains("has no pages"), "{why}");
    }

    #[test]
    fn an_owner_only_pdf_without_an_id_opens_as_qpdf_opens_it() {
        let file = include_bytes!("../../tests/corpus/qpdf+qpdf/qpdf/qtest/qpdf/invalid-id-xref.pdf");
        let opened = open(file, None).unwrap();
        assert_eq!(opened.all_pages.len(), 1);
        assert!(opened.doc.was_encrypted());
        let copy = unlock(file, "any owner guess").unwrap();
        assert!(!copy.windows(8).any(|w| w == b"/Encrypt"));
        assert_eq!(open(&copy, None).unwrap().all_pages.len(), 1);
    }

    #[test]
    fn a_joined_file_whose_encrypted_half_readers_pass_over_opens_as_they_read_it() {
        let file = include_bytes!("../../tests/corpus/mozilla+pdf.js/test/pdfs/issue15893_reduced.pdf");
        let opened = open(file, None).unwrap();
        assert_eq!(opened.all_pages.len(), 1);
        assert!(!opened.doc.was_encrypted());
        assert!(opened.warnings[0].contains("protected with a password, which PDF readers pass over"), "{:?}", opened.warnings);
        assert!(opened.warnings.iter().any(|w| w.contains("page 1 is damaged") && w.contains("shows blank")), "{:?}", opened.warnings);
        // With its password, the protected version is the one unlocked.
        let copy = unlock(file, "test").unwrap();
        assert!(text(&copy).contains("Issue 15893 - password"));
    }

    #[test]
    fn a_pdf_without_its_header_line_opens_as_readers_open_it() {
        let file = include_bytes!("../../tests/corpus/mozilla+pdf.js/test/pdfs/bug1606566.pdf");
        let opened = open(file, None).unwrap();
        assert_eq!(opened.all_pages.len(), 1);
        assert!(opened.doc.extract_text(&[1]).unwrap().contains("Bug 1606566"));
        let lost = fixtures::text_pdf(&["one"]);
        let at = lost.windows(2).position(|w| w == b"\n%" || w == b"\n1").unwrap() + 1;
        assert_eq!(open(&lost[at..], None).unwrap().all_pages.len(), 1, "a fixture with its first line cut off");
    }

    /// `pdf` with an update (lopdf's incremental save) that makes its first page 300 points
    /// wide, its last `%%EOF` line then cut off when `cut`.
    fn widened(pdf: &[u8], cut: bool) -> Vec<u8> {
        let prev = lopdf::Document::load_mem(pdf).unwrap();
        let page = *prev.get_pages().get(&1).unwrap();
        let mut update = lopdf::IncrementalDocument::create_from(pdf.to_vec(), prev);
        update.opt_clone_object_to_new_document(page).unwrap();
        let media = Object::Array(vec![0.into(), 0.into(), 300.into(), 300.into()]);
        update.new_document.get_object_mut(page).and_then(Object::as_dict_mut).unwrap().set("MediaBox", media);
        let mut out = Vec::new();
        update.save_to(&mut out).unwrap();
        let end = out.windows(5).rposition(|w| w == b"%%EOF").unwrap();
        if cut {
            out.truncate(end);
        }
        out
    }

    #[test]
    fn an_update_whose_end_marker_was_lost_is_still_the_revision_read() {
        let whole = fixtures::text_pdf(&["one"]);
        for cut in [false, true] {
            let opened = open(&widened(&whole, cut), None).unwrap();
            let page = opened.all_pages[0];
            let media = opened.doc.get_dictionary(page).unwrap().get(b"MediaBox").unwrap().as_array().unwrap().clone();
            assert_eq!(media[2].as_float().unwrap(), 300.0, "cut {cut}: the update's page, not the one it replaced");
            assert_eq!(opened.warnings, Vec::<String>::new(), "cut {cut}");
        }
    }

    #[test]
    fn bytes_before_the_header_shift_every_offset_and_are_said_to_be_repaired() {
        let whole = fixtures::text_pdf(&["one", "two"]);
        assert_eq!(open(&whole, None).unwrap().warnings, Vec::<String>::new(), "a whole file is not said to be repaired");
        for junk in [&b"JUNK\n"[..], b"\r\n", b"HTTP/1.1 200 OK\r\n\r\n"] {
            let shifted = [junk, &whole].concat();
            let opened = open(&shifted, None).unwrap();
            assert_eq!(opened.all_pages.len(), 2);
            assert_eq!(opened.warnings, vec!["cross-reference table was broken and has been repaired".to_string()], "{junk:?}");
        }
    }

    /// An error page a faulty upload might add after a PDF: it says "upstream" and "stream".
    fn web_page(size: usize) -> Vec<u8> {
        let page = b"<html><body><p>502 Bad Gateway: the upstream server sent no stream, try again.</p></body></html>\n";
        page.iter().cycle().take(size).copied().collect()
    }

    #[test]
    fn data_after_the_end_of_a_whole_pdf_is_left_out_with_a_warning() {
        let whole = fixtures::text_pdf(&["one", "two"]);
        for size in [1500, 3000, 40_000] {
            let opened = open(&[&whole[..], &web_page(size)].concat(), None).unwrap();
            assert_eq!(opened.all_pages.len(), 2, "{size}");
            assert_eq!(opened.warnings.len(), 1, "{size}: {:?}", opened.warnings);
            assert!(opened.warnings[0].starts_with("has data after the end of the PDF"), "{:?}", opened.warnings);
        }
        // Where readers still find the end marker, the file reads as before, nothing said.
        assert_eq!(open(&[&whole[..], &web_page(500)].concat(), None).unwrap().warnings, Vec::<String>::new());
    }

    #[test]
    fn a_later_update_cut_short_after_the_end_is_refused_never_read_as_its_older_revision() {
        let whole = fixtures::text_pdf(&["one"]);
        for size in [20, 3000] {
            let update = [&b"\n9 0 obj\n<< /Length 9000 >>\nstream\n"[..], &vec![b'A'; size]].concat();
            let why = open(&[&whole[..], &update].concat(), None).err().expect("a cut update is refused");
            assert!(matches!(why, Error::Truncated(_)), "{why:?}");
            assert!(why.to_string().contains("after the end of the PDF") && why.to_string().contains("complete copy"), "{why}");
        }
        // An update that was written in full, only its end marker lost, is whole.
        let update = b"\n9 0 obj\n(new)\nendobj\ntrailer\n<< /Size 10 >>\nstartxref\n0\n";
        assert!(!matches!(open(&[&whole[..], &update[..]].concat(), None), Err(Error::Truncated(_))));
    }

    #[test]
    fn a_page_selection_past_the_end_names_the_pages() {
        let pdf = fixtures::text_pdf(&["one", "two"]);
        let sel = PageSelection::parse("1-3").unwrap();
        let why = open(&pdf, Some(&sel)).err().unwrap();
        assert_eq!(why, Error::NoSuchPage { selection: "1-3".into(), asked: 3, pages: 2 });
        assert_eq!(why.to_string(), "page selection `1-3` asks for page 3 but the document has 2 pages");
    }
}
