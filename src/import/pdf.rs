//! Opens a PDF exhibit with lopdf: decrypts owner-password-only files, repairs a broken
//! cross-reference table (with a warning), refuses files that need a password or have lost
//! content, and resolves each page's inherited box, rotation and resources. [`unlock`] makes an
//! unencrypted copy of a password-protected PDF with its password.

use super::{Error, Result};
use crate::model::PageSelection;
use lopdf::{xref::XrefRecovery, Dictionary, Document, Object, ObjectId};

/// A PDF ready to have its pages copied into the packet.
pub struct SourcePdf {
    pub doc: Document,
    /// The pages to copy, in packet order (a page may repeat if the selection says so).
    pub pages: Vec<ObjectId>,
    /// Every page of the document, in order.
    pub all_pages: Vec<ObjectId>,
    /// Things the user should know (a repaired cross-reference table).
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
    let mut doc = load(bytes, None)?;
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(Error::NeedsPassword);
    }
    let (all_pages, mut warnings) = whole_pages(&doc, bytes)?;
    crate::limits::check_pdf_size(doc.objects.len(), all_pages.len())?;
    warnings.extend(super::repair::repair_pages(&mut doc, bytes, &all_pages));
    contents_within_limit(&doc, &all_pages)?;
    let pages = match selection {
        None => all_pages.clone(),
        Some(sel) => select(sel, &all_pages)?,
    };
    Ok(SourcePdf { doc, pages, all_pages, warnings })
}

/// Parses the file, decrypting it with `password` (or the empty one), and puts lopdf's
/// failures into a person's words: the parser's own ("failed parsing cross reference table")
/// mean nothing to the person holding the file.
fn load(bytes: &[u8], password: Option<&str>) -> Result<Document> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(Error::NotTheFormat("is not a PDF (it has no %PDF header)".into()));
    }
    crate::limits::check_pdf_nesting(bytes)?;
    let mut options = match password {
        Some(p) => lopdf::LoadOptions::with_password(p),
        None => lopdf::LoadOptions::default(),
    };
    options.max_decompressed_size = Some(crate::limits::STREAM_DECODED);
    let loaded = Document::load_mem_with_options(bytes, options);
    match loaded {
        Ok(d) => Ok(d),
        Err(lopdf::Error::InvalidPassword) | Err(lopdf::Error::Decryption(_)) if password.is_some() => Err(Error::WrongPassword),
        Err(lopdf::Error::InvalidPassword) | Err(lopdf::Error::Decryption(_)) => Err(Error::NeedsPassword),
        Err(_) if !ends_with_eof(bytes) => Err(truncated()),
        Err(_) => Err(Error::Damaged("is damaged and cannot be read; get a fresh copy from whoever sent it".into())),
    }
}

/// Every page of a parsed document, refusing one whose repaired cross-reference table hides
/// lost pages or content; with the warnings the person should see.
fn whole_pages(doc: &Document, bytes: &[u8]) -> Result<(Vec<ObjectId>, Vec<String>)> {
    let mut warnings = Vec::new();
    let all_pages = distinct_pages(doc, &mut warnings);
    let has_eof = ends_with_eof(bytes);
    match doc.xref_recovery {
        Some(XrefRecovery::Reconstructed) => {
            // A rebuilt table can hide a truncated file whose pages silently lost their
            // content: refuse unless every page's content is really there.
            if !has_eof {
                return Err(truncated());
            }
            if let Some(n) = all_pages.iter().position(|p| !page_is_whole(doc, *p)) {
                return Err(Error::Damaged(format!("is damaged: page {} has lost its content", n + 1)));
            }
            warnings.push("cross-reference table was broken and has been rebuilt; check the pages".into());
        }
        Some(_) => warnings.push("cross-reference table was broken and has been repaired".into()),
        None => {}
    }
    if all_pages.is_empty() {
        return Err(if has_eof {
            Error::Damaged("has no pages".into())
        } else {
            Error::Truncated("is truncated or damaged: no pages could be read".into())
        });
    }
    let claimed = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|p| doc.dereference(p).ok())
        .and_then(|(_, p)| p.as_dict().ok().and_then(|d| d.get(b"Count").ok()).and_then(|c| c.as_i64().ok()));
    if let Some(claimed) = claimed {
        if claimed as usize != all_pages.len() && doc.xref_recovery.is_some() {
            return Err(Error::Damaged(format!("is damaged: it claims {claimed} pages but only {} could be read", all_pages.len())));
        }
    }
    Ok((all_pages, warnings))
}

/// The document's pages in order, each once: a page tree that reaches a page twice (a loop, or
/// a page listed under two parents) shows it once, as qpdf and poppler count it, with a warning.
fn distinct_pages(doc: &Document, warnings: &mut Vec<String>) -> Vec<ObjectId> {
    let mut seen = std::collections::HashSet::new();
    let mut pages = Vec::new();
    let mut repeats = 0;
    for page in doc.page_iter() {
        if seen.insert(page) {
            pages.push(page);
        } else {
            repeats += 1;
        }
    }
    if repeats > 0 {
        warnings.push(format!(
            "page tree is damaged: it reaches the same page more than once ({repeats} repeat{}), each page is carried once; check the pages",
            if repeats == 1 { "" } else { "s" }
        ));
    }
    pages
}

/// Refuses a page whose content decompresses past the limit: the build decodes each page's
/// content to see where it paints, and a small Flate stream can claim gigabytes.
fn contents_within_limit(doc: &Document, pages: &[ObjectId]) -> Result<()> {
    for (n, page) in pages.iter().enumerate() {
        if let Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) =
            doc.get_page_content_with_limit(*page, crate::limits::STREAM_DECODED)
        {
            return Err(crate::limits::stream_too_large(&format!("page {}'s content", n + 1)));
        }
    }
    Ok(())
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
    let mut doc = load(bytes, Some(password))?;
    if !doc.was_encrypted() {
        if doc.is_encrypted() {
            // Encrypted in a way that could not be decrypted with this password.
            return Err(Error::WrongPassword);
        }
        open(bytes, None)?;
        return Ok(bytes.to_vec());
    }
    whole_pages(&doc, bytes)?;
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

/// True when every content stream the page names exists and is a stream.
fn page_is_whole(doc: &Document, page: ObjectId) -> bool {
    let (refs, _) = super::repair::content_refs(doc, page);
    refs.iter().all(|r| matches!(doc.objects.get(r), Some(Object::Stream(_))))
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

fn rect(doc: &Document, o: &Object) -> Option<[f64; 4]> {
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

/// The lowest and highest y (page space) that anything on the page paints, read from its
/// content: paths, text (baseline less a descent allowance, up to its size), images and
/// form XObjects (their bounding boxes). `None` when the content cannot be read or uses
/// something whose extent is unknown (shadings), so the caller assumes the worst.
pub fn painted_y_range(doc: &Document, page: ObjectId, resources: Option<&Object>) -> Option<(f64, f64)> {
    let data = doc.get_page_content_with_limit(page, crate::limits::STREAM_DECODED).ok()?;
    let content = lopdf::content::Content::decode(&data).ok()?;
    let xobjects: Option<&Dictionary> = resources
        .and_then(|r| doc.dereference(r).ok())
        .and_then(|(_, r)| r.as_dict().ok())
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|x| doc.dereference(x).ok())
        .and_then(|(_, x)| x.as_dict().ok());
    let mut range = YRange::default();
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
                for (_, y) in path.drain(..) {
                    range.add(y);
                }
            }
            "n" => path.clear(),
            "BT" => {
                tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
                tlm = tm;
            }
            "Tf" => size = o.get(1).and_then(number).unwrap_or(size),
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
                    // above it; their horizontal extent does not matter for a y range.
                    let m = mul(tm, ctm);
                    for dy in [-0.35 * size + rise, size + rise] {
                        range.add(pt(m, 0.0, dy).1);
                    }
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
                    range.add(pt(ctm, x, y).1);
                }
            }
            "BI" => {
                for (x, y) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
                    range.add(pt(ctm, x, y).1);
                }
            }
            // A shading fills the whole clip area: its extent is not known here.
            "sh" => return None,
            _ => {}
        }
    }
    Some(range.get().unwrap_or((f64::INFINITY, f64::NEG_INFINITY)))
}

#[derive(Default)]
struct YRange(Option<(f64, f64)>);

impl YRange {
    fn add(&mut self, y: f64) {
        if y.is_finite() {
            self.0 = Some(match self.0 {
                None => (y, y),
                Some((a, b)) => (a.min(y), b.max(y)),
            });
        }
    }
    fn get(&self) -> Option<(f64, f64)> {
        self.0
    }
}

/// `first` then `second` (PDF's row-vector convention).
fn mul(first: [f64; 6], second: [f64; 6]) -> [f64; 6] {
    let [a, b, c, d, e, f] = first;
    let [a2, b2, c2, d2, e2, f2] = second;
    [a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2]
}

fn pt(m: [f64; 6], x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

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
    fn a_page_selection_past_the_end_names_the_pages() {
        let pdf = fixtures::text_pdf(&["one", "two"]);
        let sel = PageSelection::parse("1-3").unwrap();
        let why = open(&pdf, Some(&sel)).err().unwrap();
        assert_eq!(why, Error::NoSuchPage { selection: "1-3".into(), asked: 3, pages: 2 });
        assert_eq!(why.to_string(), "page selection `1-3` asks for page 3 but the document has 2 pages");
    }
}
