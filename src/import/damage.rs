//! Finds damage that a page carries into the packet as it is: a content or image stream whose
//! compressed data is broken or cut short (a JPEG image without its end marker), an image or
//! form the page draws that the file does not hold, or page content that cannot be read to its end (a
//! bad inline image, debris). Readers show such a page as far as they can read it, so Redress
//! carries it the same way, and says so naming the page: the person can then rescan it or ask
//! for a clean copy. Nothing here changes the document but [`mend`], which rewrites each
//! stream found broken as what of it decodes, as readers show it, so the packet carries a
//! stream every reader decodes alike (and `qpdf --check` passes).

use super::Result;
use crate::limits::{STREAM_CHECKED, STREAM_DECODED};
use crate::pdflex::{find, is_regular, is_space};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::HashSet;

/// What is wrong with one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDamage {
    /// The page's place in the document, from 0.
    pub index: usize,
    pub content: Option<StreamFault>,
    /// The page's content can be decoded but not read to its end as PDF drawing commands.
    pub unreadable: Option<Unreadable>,
    /// Images (and the forms that draw them) whose data is broken.
    pub images: usize,
    /// Images whose data decodes whole but is shorter than their size needs: readers draw
    /// the rest blank (or refuse the image).
    pub short_images: usize,
    /// Images or forms the content draws by a name its resources give to an object the file
    /// does not hold: readers draw nothing there.
    pub missing: usize,
    /// The file was encrypted: data that does not decode may be data lopdf could not decrypt
    /// (an encryption dictionary written in a form it does not follow), not damage.
    pub encrypted: bool,
    /// The streams (content, images, forms) whose data is broken or cut short, each named on
    /// the first page found to use it, for [`mend`].
    pub broken: Vec<ObjectId>,
}

/// How far a page's decoded content reads as PDF drawing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Reading stops part way (a bad inline image, debris).
    Stops,
    /// None of it reads as commands (data that is not content at all, such as encrypted data).
    Nothing,
}

/// How a stream's encoded data fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFault {
    /// The data does not decode (a corrupt compressed stream).
    Broken,
    /// The data stops before its encoding says it ends (cut short).
    CutShort,
    /// Content encoded with a filter no reader decodes content with (a misspelt name).
    Undecodable,
}

impl PageDamage {
    /// What the person should know about the page, in their words.
    pub fn warning(&self) -> String {
        if self.encrypted && self.content == Some(StreamFault::Broken) {
            return format!(
                "page {}'s content could not be decrypted, or is broken: the page may come out blank or incomplete; save the PDF again from a PDF reader (without its protection) and add that copy, or ask for a clean copy",
                self.index + 1
            );
        }
        let mut what = Vec::new();
        match self.content {
            Some(StreamFault::Broken) => what.push("its content's compressed data is broken".to_string()),
            Some(StreamFault::CutShort) => what.push("its content is cut short".to_string()),
            Some(StreamFault::Undecodable) => what.push("its content is encoded in a way no PDF reader can decode".to_string()),
            None => match self.unreadable {
                Some(Unreadable::Stops) => what.push("a bad inline image or debris stops its content from being read in full".to_string()),
                Some(Unreadable::Nothing) => {
                    what.push("none of its content reads as a page's drawing commands, so it shows blank".to_string())
                }
                None => {}
            },
        }
        if self.images > 0 {
            let s = if self.images == 1 { "an image's data is" } else { "images' data are" };
            what.push(format!("{s} broken or cut short"));
        }
        if self.short_images > 0 {
            let s = if self.short_images == 1 { "an image holds" } else { "images hold" };
            what.push(format!("{s} less data than its size needs, so part of it shows blank"));
        }
        if self.missing > 0 {
            let s = if self.missing == 1 { "an image or drawing it shows is" } else { "images or drawings it shows are" };
            let them = if self.missing == 1 { "it" } else { "them" };
            what.push(format!("{s} missing from the file, so the page shows without {them}"));
        }
        format!(
            "page {} is damaged in the file itself ({}): it is carried as PDF readers show it, which may be incomplete; check the page, and rescan it or ask for a clean copy if anything is missing",
            self.index + 1,
            what.join("; ")
        )
    }
}

/// The damaged pages among `pages`, each with what is wrong with it. Each page's content is
/// decoded here, once; a page whose content decodes past [`STREAM_DECODED`] is refused (a
/// small Flate stream can claim gigabytes).
pub fn scan(doc: &Document, pages: &[ObjectId]) -> Result<Vec<PageDamage>> {
    let mut checked: HashSet<ObjectId> = HashSet::new();
    let mut out = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let d = page_damage(doc, *page, index, &mut checked)?;
        if d.content.is_some() || d.unreadable.is_some() || d.images > 0 || d.short_images > 0 || d.missing > 0 {
            out.push(d);
        }
    }
    Ok(out)
}

fn page_damage(doc: &Document, page: ObjectId, index: usize, checked: &mut HashSet<ObjectId>) -> Result<PageDamage> {
    let (refs, _) = super::repair::content_refs(doc, page);
    let found: Vec<(ObjectId, &Stream)> = refs.iter().filter_map(|r| Some((*r, doc.objects.get(r)?.as_stream().ok()?))).collect();
    let streams: Vec<&Stream> = found.iter().map(|(_, s)| *s).collect();
    let decoded = decode(&streams).ok_or_else(|| crate::limits::stream_too_large(&format!("page {}'s content", index + 1)))?;
    // Each stream's data is inflated once, here: its fault names the page and marks it to mend.
    let faults: Vec<Option<StreamFault>> = streams.iter().map(|s| stream_fault(s)).collect();
    let content = streams.iter().zip(&faults).find_map(|(s, f)| f.or_else(|| undecodable(s).then_some(StreamFault::Undecodable)));
    let unreadable = if content.is_none() { reading(decoded.as_deref()) } else { None };
    let resources = super::pdf::geometry(doc, page).resources;
    let images = broken_images(doc, resources.as_ref(), checked, 0);
    let mut broken: Vec<ObjectId> =
        found.iter().zip(&faults).filter(|((id, _), f)| f.is_some() && checked.insert(*id)).map(|((id, _), _)| *id).collect();
    broken.extend(&images.ids);
    let missing = decoded.as_deref().map_or(0, |content| missing_xobjects(doc, resources.as_ref(), content));
    Ok(PageDamage {
        index,
        content,
        unreadable,
        images: images.broken,
        short_images: images.short,
        missing,
        encrypted: doc.was_encrypted(),
        broken,
    })
}

/// How many of the XObjects the resources name as objects the file does not hold are drawn
/// by the page's decoded content (`/Name Do`). A name listed but never drawn takes nothing from
/// the page. The content is read once, and only when some entry is missing.
fn missing_xobjects(doc: &Document, resources: Option<&Object>, content: &[u8]) -> usize {
    let Some(xobjects) = resources.and_then(|r| dict_of(doc, r)).and_then(|r| r.get(b"XObject").ok()).and_then(|x| dict_of(doc, x)) else {
        return 0;
    };
    let absent = |x: &Object| x.as_reference().is_ok_and(|id| matches!(doc.objects.get(&id), None | Some(Object::Null)));
    let missing: Vec<&[u8]> = xobjects.iter().filter(|(_, x)| absent(x)).map(|(name, _)| name.as_slice()).collect();
    if missing.is_empty() {
        return 0;
    }
    let drawn = drawn_names(content);
    missing.iter().filter(|name| drawn.contains(*name)).count()
}

/// The names the content draws with the `Do` operator ("/Im0 Do"), in one pass.
fn drawn_names(content: &[u8]) -> HashSet<&[u8]> {
    let mut out = HashSet::new();
    let mut from = 0;
    while let Some(slash) = memchr::memchr(b'/', &content[from..]).map(|k| from + k) {
        let start = slash + 1;
        let end = content[start..].iter().position(|&c| !is_regular(c)).map_or(content.len(), |k| start + k);
        let rest = &content[end..];
        let after = &rest[rest.iter().take_while(|c| is_space(**c)).count()..];
        if after.starts_with(b"Do") && after.get(2).is_none_or(|&c| !is_regular(c)) {
            out.insert(&content[start..end]);
        }
        from = end.max(start);
    }
    out
}

/// The page's content streams decoded and joined as readers read them (streams can split a
/// command between them); `Some(None)` when one cannot be decoded (a filter or its parameters
/// that nothing can decode), `None` when together they decode past [`STREAM_DECODED`].
fn decode(streams: &[&Stream]) -> Option<Option<Vec<u8>>> {
    let mut data = Vec::new();
    for s in streams {
        match s.decompressed_content_with_limit(STREAM_DECODED.saturating_sub(data.len())) {
            Ok(d) => data.extend_from_slice(&d),
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => return None,
            Err(_) => return Some(None),
        }
        data.push(b'\n');
    }
    Some(Some(data))
}

/// How far the page's decoded content (`None`: it cannot be decoded) fails to read as drawing
/// commands, if it does.
fn reading(data: Option<&[u8]>) -> Option<Unreadable> {
    let Some(data) = data else { return Some(Unreadable::Stops) };
    // lopdf's reading stops quietly where the commands stop making sense: content of which it
    // reads nothing, though it holds more than blank space and comments, is not drawing
    // commands at all (qpdf and poppler find nothing in it either).
    match lopdf::content::Content::decode(data) {
        Err(_) => Some(Unreadable::Stops),
        Ok(c) if c.operations.is_empty() && !blank(data) => Some(Unreadable::Nothing),
        Ok(_) => None,
    }
}

/// Whether content holds nothing but blank space and comments.
fn blank(data: &[u8]) -> bool {
    let mut lines = data.split(|c| matches!(c, b'\r' | b'\n'));
    lines.all(|line| {
        let line = line.trim_ascii_start();
        line.is_empty() || line[0] == b'%' || line.iter().all(|c| *c == 0 || c.is_ascii_whitespace())
    })
}

/// How many of the image XObjects the resources reach (through forms, to a few levels).
#[derive(Default)]
struct ImageFaults {
    /// Whose data is broken.
    broken: usize,
    /// Whose data is whole but short of what the image's size needs.
    short: usize,
    /// The broken streams themselves, images and forms, for [`mend`].
    ids: Vec<ObjectId>,
}

/// The image XObjects the resources reach whose data is broken or short; each stream is
/// checked once for the whole document.
fn broken_images(doc: &Document, resources: Option<&Object>, checked: &mut HashSet<ObjectId>, depth: usize) -> ImageFaults {
    let mut faults = ImageFaults::default();
    let Some(xobjects) = resources.and_then(|r| dict_of(doc, r)).and_then(|r| r.get(b"XObject").ok()).and_then(|x| dict_of(doc, x)) else {
        return faults;
    };
    for (_, x) in xobjects.iter() {
        let Ok(id) = x.as_reference() else { continue };
        if !checked.insert(id) {
            continue;
        }
        let Some(Object::Stream(s)) = doc.objects.get(&id) else { continue };
        match s.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") if dct_cut_short(s) => faults.broken += 1,
            Ok(b"Image") => match image_data_len(s) {
                Err(_) => {
                    faults.broken += 1;
                    faults.ids.push(id);
                }
                Ok(Some(len)) => faults.short += usize::from(needed_len(doc, s).is_some_and(|need| len < need)),
                Ok(None) => {}
            },
            Ok(b"Form") if depth < 8 => {
                let inner = s.dict.get(b"Resources").ok();
                let within = broken_images(doc, inner, checked, depth + 1);
                let fault = stream_fault(s).is_some();
                faults.broken += usize::from(fault) + within.broken;
                faults.short += within.short;
                faults.ids.extend(fault.then_some(id).into_iter().chain(within.ids));
            }
            _ => {}
        }
    }
    faults
}

/// An image's decoded length where it costs nothing more than the check for damage: its
/// bytes when unfiltered, the output of the Flate or LZW decoding `stream_fault` does anyway
/// when that is its only filter. `None` where it is not known so cheaply (image codecs such
/// as DCT are never decoded here), or past the check's limit.
fn image_data_len(s: &Stream) -> Result<Option<u64>, StreamFault> {
    let filters = s.filters().unwrap_or_default();
    match filters.as_slice() {
        [] if s.dict.get(b"Filter").is_err() => Ok(Some(s.content.len() as u64)),
        [b"FlateDecode" | b"Fl"] => flate_decode(&s.content).map(|n| (n <= STREAM_CHECKED).then_some(n)),
        [b"LZWDecode" | b"LZW"] => lzw_decode(&s.content, early_change(s)).map(Some),
        _ => stream_fault(s).map_or(Ok(None), Err),
    }
}

/// Whether an image whose one filter is DCT lacks the end-of-image marker (`FF D9`) a whole
/// JPEG's scans end with: its data was cut short, and readers draw the rest of the picture
/// grey. The marker ends the data (blank space and NULs after it allowed), or comes anywhere
/// after the first scan's start (`FF DA`; the coded data never holds it), with what a phone
/// adds after it (a Samsung trailer, a motion photo's video) copied in by an image-to-PDF tool.
/// The data is not decoded.
fn dct_cut_short(s: &Stream) -> bool {
    if !matches!(s.filters().unwrap_or_default().as_slice(), [b"DCTDecode" | b"DCT"]) {
        return false;
    }
    let data = &s.content;
    let end = data.iter().rposition(|&b| !is_space(b)).map_or(&data[..0], |last| &data[..=last]);
    if end.ends_with(b"\xff\xd9") {
        return false;
    }
    find(data, b"\xff\xda").is_none_or(|at| find(&data[at..], b"\xff\xd9").is_none())
}

/// The bytes an image's samples need: rows of `/Width` × components × `/BitsPerComponent`
/// bits, each padded to a byte, and one more byte a row under a PNG predictor. `None` when
/// the image does not say plainly (a colour space looked up elsewhere, odd numbers).
fn needed_len(doc: &Document, s: &Stream) -> Option<u64> {
    let int = |key: &[u8]| s.dict.get(key).ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_i64().ok());
    let (width, height) = (u64::try_from(int(b"Width")?).ok()?, u64::try_from(int(b"Height")?).ok()?);
    let mask = s.dict.get(b"ImageMask").ok().and_then(|m| m.as_bool().ok()) == Some(true);
    let (components, bits) =
        if mask { (1, 1) } else { (components(doc, s.dict.get(b"ColorSpace").ok()?)?, u64::try_from(int(b"BitsPerComponent")?).ok()?) };
    if !matches!(bits, 1 | 2 | 4 | 8 | 16) || width == 0 || height == 0 {
        return None;
    }
    let row = width.checked_mul(components)?.checked_mul(bits)?.div_ceil(8);
    let params = match s.dict.get(b"DecodeParms") {
        Ok(Object::Array(a)) => a.first(),
        Ok(o) => Some(o),
        Err(_) => None,
    };
    let predictor = params.and_then(|p| dict_of(doc, p)).and_then(|p| p.get(b"Predictor").ok()).and_then(|p| p.as_i64().ok()).unwrap_or(1);
    row.checked_add(u64::from(predictor >= 10))?.checked_mul(height)
}

/// How many components a colour space's samples have, when the space says so itself.
fn components(doc: &Document, space: &Object) -> Option<u64> {
    let (_, space) = doc.dereference(space).ok()?;
    let name = match space {
        Object::Name(n) => n.as_slice(),
        Object::Array(a) => a.first()?.as_name().ok()?,
        _ => return None,
    };
    match name {
        b"DeviceGray" | b"G" | b"CalGray" | b"Indexed" | b"I" | b"Separation" => Some(1),
        b"DeviceRGB" | b"RGB" | b"CalRGB" | b"Lab" => Some(3),
        b"DeviceCMYK" | b"CMYK" => Some(4),
        b"ICCBased" => {
            let profile = doc.dereference(space.as_array().ok()?.get(1)?).ok()?.1.as_stream().ok()?;
            u64::try_from(profile.dict.get(b"N").ok()?.as_i64().ok()?).ok()
        }
        b"DeviceN" => Some(doc.dereference(space.as_array().ok()?.get(1)?).ok()?.1.as_array().ok()?.len() as u64),
        _ => None,
    }
}

fn dict_of<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    doc.dereference(o).ok()?.1.as_dict().ok()
}

/// Whether the stream's first filter fails on its data. Only filters that qpdf and poppler
/// decode in full are judged (image codecs such as DCT are the viewer's to read).
pub fn stream_fault(s: &Stream) -> Option<StreamFault> {
    let filters = s.filters().ok()?;
    let first: &[u8] = filters.first()?;
    match first {
        b"FlateDecode" | b"Fl" => flate_decode(&s.content).err(),
        b"LZWDecode" | b"LZW" => lzw_decode(&s.content, early_change(s)).err(),
        b"ASCII85Decode" | b"A85" | b"ASCIIHexDecode" | b"AHx" | b"RunLengthDecode" | b"RL" => {
            let first = Stream::new(Dictionary::from_iter([("Filter", Object::Name(filters[0].to_vec()))]), s.content.clone());
            first.decompressed_content_with_limit(STREAM_DECODED).err().map(|_| StreamFault::Broken)
        }
        _ => None,
    }
}

/// Rewrites each of the `broken` streams as what its first filter decodes of it (the data
/// up to where it breaks or stops, as PDF readers show it), compressed again as a whole Flate
/// stream, the rest of its filters and their parameters kept. Under a predictor only whole
/// rows are kept: a row cut short is one no reader can undo the predictor on. A stream whose
/// data decodes past the limit is left as it is.
pub fn mend(doc: &mut Document, broken: &[ObjectId]) {
    for id in broken {
        if let Some(Object::Stream(s)) = doc.objects.get_mut(id) {
            mend_stream(s);
        }
    }
}

fn mend_stream(s: &mut Stream) {
    let Some(first) = s.filters().ok().and_then(|f| f.first().map(|f| f.to_vec())) else { return };
    let mut alone = Dictionary::from_iter([("Filter", Object::Name(first))]);
    if !early_change(s) {
        alone.set("DecodeParms", Dictionary::from_iter([("EarlyChange", Object::Integer(0))]));
    }
    let Ok(mut data) = Stream::new(alone, s.content.clone()).decompressed_content_with_limit(STREAM_DECODED) else { return };
    if let Some(row) = predictor_row(s) {
        data.truncate(data.len() / row * row);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    if std::io::Write::write_all(&mut z, &data).is_err() {
        return;
    }
    let Ok(content) = z.finish() else { return };
    match s.dict.get_mut(b"Filter") {
        Ok(Object::Array(filters)) if !filters.is_empty() => filters[0] = Object::Name(b"FlateDecode".to_vec()),
        _ => s.dict.set("Filter", Object::Name(b"FlateDecode".to_vec())),
    }
    s.set_content(content);
}

/// The bytes of one row the first filter's predictor works on (with PNG's tag byte), when it
/// has one.
fn predictor_row(s: &Stream) -> Option<usize> {
    let params = match s.dict.get(b"DecodeParms") {
        Ok(Object::Array(a)) => a.first()?.as_dict().ok()?,
        Ok(o) => o.as_dict().ok()?,
        Err(_) => return None,
    };
    let int = |key: &[u8], default: i64| params.get(key).ok().and_then(|v| v.as_i64().ok()).unwrap_or(default).clamp(1, 1 << 20) as usize;
    let bits = int(b"Columns", 1) * int(b"Colors", 1) * int(b"BitsPerComponent", 8);
    match params.get(b"Predictor").ok().and_then(|p| p.as_i64().ok()) {
        Some(2) => Some(bits.div_ceil(8)),
        Some(10..=15) => Some(bits.div_ceil(8) + 1),
        _ => None,
    }
}

/// Whether the first filter's parameters keep LZW's default early code-size change.
fn early_change(s: &Stream) -> bool {
    let params = match s.dict.get(b"DecodeParms") {
        Ok(Object::Array(a)) => a.first(),
        Ok(o) => Some(o),
        Err(_) => None,
    };
    params.and_then(|p| p.as_dict().ok()).and_then(|p| p.get(b"EarlyChange").ok()).and_then(|e| e.as_i64().ok()) != Some(0)
}

/// Decodes LZW `data` into nothing, to tell whether every code in it is one the table holds;
/// how many bytes it makes when it is sound (counted up to a little past [`STREAM_CHECKED`]).
/// Data that ends without its end code is sound, as readers take it.
fn lzw_decode(data: &[u8], early_change: bool) -> Result<u64, StreamFault> {
    use weezl::{decode::Decoder, BitOrder, LzwStatus};
    let mut decoder = if early_change { Decoder::with_tiff_size_switch(BitOrder::Msb, 8) } else { Decoder::new(BitOrder::Msb, 8) };
    let mut out = vec![0u8; 64 << 10];
    let (mut read, mut wrote) = (0usize, 0u64);
    loop {
        let step = decoder.decode_bytes(&data[read..], &mut out);
        read += step.consumed_in;
        wrote += step.consumed_out as u64;
        match step.status {
            Err(_) => return Err(StreamFault::Broken),
            Ok(LzwStatus::Done | LzwStatus::NoProgress) => return Ok(wrote),
            Ok(LzwStatus::Ok) if wrote > STREAM_CHECKED => return Ok(wrote),
            Ok(LzwStatus::Ok) => {}
        }
    }
}

/// Whether a content stream names a filter that no reader decodes content with (a misspelt
/// one, or an image codec): the page then draws nothing from it.
fn undecodable(s: &Stream) -> bool {
    const GENERAL: &[&[u8]] = &[
        b"FlateDecode",
        b"Fl",
        b"LZWDecode",
        b"LZW",
        b"ASCII85Decode",
        b"A85",
        b"ASCIIHexDecode",
        b"AHx",
        b"RunLengthDecode",
        b"RL",
        b"Crypt",
    ];
    s.filters().is_ok_and(|f| f.iter().any(|f| !GENERAL.contains(f)))
}

/// Inflates `data` without keeping what it makes, to tell whether it is a whole zlib stream;
/// how many bytes it makes when it is (counted up to a little past [`STREAM_CHECKED`]).
fn flate_decode(data: &[u8]) -> Result<u64, StreamFault> {
    use flate2::{Decompress, FlushDecompress, Status};
    // An empty stream names a filter it never needed: readers take it as empty, not damaged.
    if data.trim_ascii().is_empty() {
        return Ok(0);
    }
    let mut z = Decompress::new(true);
    let mut out = vec![0u8; 64 << 10];
    loop {
        let (read, wrote) = (z.total_in(), z.total_out());
        let rest = data.get(read as usize..).unwrap_or_default();
        match z.decompress(rest, &mut out, FlushDecompress::None) {
            Ok(Status::StreamEnd) => return Ok(z.total_out()),
            Err(_) => return Err(StreamFault::Broken),
            Ok(_) if z.total_out() > STREAM_CHECKED => return Ok(z.total_out()),
            Ok(_) if z.total_in() == read && z.total_out() == wrote => return Err(StreamFault::CutShort),
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn flate(content: Vec<u8>) -> Stream {
        Stream::new(Dictionary::from_iter([("Filter", Object::Name(b"FlateDecode".to_vec()))]), content)
    }

    #[test]
    fn a_whole_flate_stream_is_sound_and_a_cut_or_corrupt_one_is_not() {
        let whole = zlib(&b"BT /F1 12 Tf (hello) Tj ET\n".repeat(500));
        assert_eq!(stream_fault(&flate(whole.clone())), None);
        assert_eq!(stream_fault(&flate(whole[..whole.len() / 2].to_vec())), Some(StreamFault::CutShort));
        let mut corrupt = whole.clone();
        corrupt[0] = 0x00;
        assert_eq!(stream_fault(&flate(corrupt)), Some(StreamFault::Broken));
        let mut trailing = whole;
        trailing.extend_from_slice(b"\r\n");
        assert_eq!(stream_fault(&flate(trailing)), None, "bytes after the end are not damage");
        assert_eq!(stream_fault(&flate(Vec::new())), None, "an empty stream is empty");
    }

    #[test]
    fn data_that_inflates_past_the_check_limit_is_left_unjudged() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..=STREAM_CHECKED >> 20 {
            z.write_all(&zeros).unwrap();
        }
        let whole = z.finish().unwrap();
        // Cut short after the limit: the check stops at the limit, so it never sees the cut.
        assert_eq!(stream_fault(&flate(whole[..whole.len() - 16].to_vec())), None);
        let mut early = whole[..whole.len() / 2].to_vec();
        early.truncate(early.len().min(4096));
        assert_eq!(stream_fault(&flate(early)), Some(StreamFault::CutShort), "cut short within the limit");
    }

    #[test]
    fn other_filters_are_judged_by_their_decoder_and_image_codecs_not_at_all() {
        let hex = |c: &[u8]| Stream::new(Dictionary::from_iter([("Filter", Object::Name(b"ASCIIHexDecode".to_vec()))]), c.to_vec());
        assert_eq!(stream_fault(&hex(b"48656c6c6f>")), None);
        let dct = Stream::new(Dictionary::from_iter([("Filter", Object::Name(b"DCTDecode".to_vec()))]), b"not a jpeg".to_vec());
        assert_eq!(stream_fault(&dct), None);
        assert_eq!(stream_fault(&Stream::new(Dictionary::new(), b"q Q".to_vec())), None);
    }

    #[test]
    fn lzw_data_with_a_code_the_table_cannot_hold_is_broken() {
        let lzw = |c: &[u8]| Stream::new(Dictionary::from_iter([("Filter", Object::Name(b"LZWDecode".to_vec()))]), c.to_vec());
        // Clear (256), 'A', EOD (257) as 9-bit codes, then the same with a code past the table.
        assert_eq!(stream_fault(&lzw(&[0x80, 0x10, 0x60, 0x20])), None);
        assert_eq!(stream_fault(&lzw(&[0x80, 0x3f, 0xf0, 0x20])), Some(StreamFault::Broken));
    }

    #[test]
    fn content_of_which_nothing_reads_as_commands_is_unreadable() {
        let nothing = Some(Unreadable::Nothing);
        assert_eq!(reading(Some(b"`\xb3\xdf`\xdd)\xdf\xd6t\x04\x8a")), nothing, "ciphertext read as content");
        assert_eq!(reading(Some(b"/potato/Abort << not seen; stopped parsing.")), nothing);
        assert_eq!(reading(Some(b"% only a comment\n  \r\n")), None, "blank content draws nothing, rightly");
        assert_eq!(reading(Some(b"BT /F1 12 Tf (hi) Tj ET")), None);
        assert_eq!(reading(None), Some(Unreadable::Stops), "content nothing can decode");
    }

    #[test]
    fn content_under_a_filter_no_reader_knows_is_undecodable() {
        let plate = Stream::new(Dictionary::from_iter([("Filter", Object::Name(b"PlateDecode".to_vec()))]), b"x".to_vec());
        assert!(undecodable(&plate));
        assert!(!undecodable(&flate(zlib(b"q Q"))));
        let d = PageDamage {
            index: 0,
            content: Some(StreamFault::Undecodable),
            unreadable: None,
            images: 0,
            short_images: 0,
            missing: 0,
            encrypted: false,
            broken: Vec::new(),
        };
        assert!(d.warning().contains("encoded in a way no PDF reader can decode"));
    }

    /// A one-page document drawing `image` (an RGB 10 × 10 picture of 8-bit samples).
    fn page_with_image(filter: Option<&str>, data: Vec<u8>) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.7");
        let mut dict = Dictionary::from_iter([
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Image".to_vec())),
            ("Width", 10.into()),
            ("Height", 10.into()),
            ("ColorSpace", Object::Name(b"DeviceRGB".to_vec())),
            ("BitsPerComponent", 8.into()),
        ]);
        if let Some(f) = filter {
            dict.set("Filter", Object::Name(f.as_bytes().to_vec()));
        }
        let image = doc.add_object(Stream::new(dict, data));
        let resources =
            Dictionary::from_iter([("XObject", Object::Dictionary(Dictionary::from_iter([("Im0", Object::Reference(image))])))]);
        let page =
            doc.add_object(Dictionary::from_iter([("Type", Object::Name(b"Page".to_vec())), ("Resources", Object::Dictionary(resources))]));
        (doc, page)
    }

    #[test]
    fn an_image_shorter_than_its_size_needs_is_named_with_its_page() {
        let (doc, page) = page_with_image(Some("FlateDecode"), zlib(&[0x80; 150]));
        let found = scan(&doc, &[page]).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].short_images, 1);
        let w = found[0].warning();
        assert!(w.starts_with("page 1 is damaged") && w.contains("less data than its size needs"), "{w}");
        for (filter, data) in
            [(Some("FlateDecode"), zlib(&[0x80; 300])), (None, vec![0x80; 300]), (Some("DCTDecode"), b"not decoded\xff\xd9".to_vec())]
        {
            let (doc, page) = page_with_image(filter, data);
            assert!(scan(&doc, &[page]).unwrap().is_empty(), "{filter:?}: whole, or not decoded");
        }
        let (doc, page) = page_with_image(None, vec![0x80; 299]);
        assert_eq!(scan(&doc, &[page]).unwrap()[0].short_images, 1, "an unfiltered image is measured as it is");
    }

    #[test]
    fn a_jpeg_image_without_its_end_marker_is_named_cut_short() {
        let jpeg = |tail: &[u8]| [&b"\xff\xd8\xff\xdb"[..], &[0x42; 16], b"\xff\xda", &[0x42; 48], tail].concat();
        let (doc, page) = page_with_image(Some("DCTDecode"), jpeg(b""));
        let found = scan(&doc, &[page]).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].images, 1);
        assert!(found[0].warning().contains("an image's data is broken or cut short"), "{}", found[0].warning());
        // Whole, with or without padding after the marker.
        for tail in [
            &b"\xff\xd9"[..],
            b"\xff\xd9\r\n",
            b"\xff\xd9\0\0\0",
            b"\xff\xd9\n\0",
            b"\xff\xd9\0\r\n\0",
            b"\xff\xd9SEFHtrailer of a phone",
            b"\xff\xd9\0\0\0\x18ftypmp42 a motion photo's video",
        ] {
            let (doc, page) = page_with_image(Some("DCTDecode"), jpeg(tail));
            assert!(scan(&doc, &[page]).unwrap().is_empty(), "{tail:?}");
        }
        // A thumbnail's end marker before the scan does not end the picture.
        let thumbnail = [&b"\xff\xd8\xff\xe1\0\x08\xff\xd8\xff\xd9"[..], b"\xff\xda", &[0x42; 48]].concat();
        let (doc, page) = page_with_image(Some("DCTDecode"), thumbnail);
        assert_eq!(scan(&doc, &[page]).unwrap().len(), 1, "cut short after its thumbnail");
    }

    /// A one-page document whose content draws `drawn` and whose resources name `/Im0` as
    /// object 99, which the file does not hold.
    fn page_with_a_missing_image(drawn: &[u8]) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.7");
        let content = doc.add_object(Stream::new(Dictionary::new(), drawn.to_vec()));
        let resources =
            Dictionary::from_iter([("XObject", Object::Dictionary(Dictionary::from_iter([("Im0", Object::Reference((99, 0)))])))]);
        let page = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Resources", Object::Dictionary(resources)),
            ("Contents", Object::Reference(content)),
        ]));
        (doc, page)
    }

    #[test]
    fn an_image_the_page_draws_but_the_file_lacks_is_named_with_its_page() {
        let (doc, page) = page_with_a_missing_image(b"q 100 0 0 100 0 0 cm /Im0 Do Q");
        let found = scan(&doc, &[page]).unwrap();
        assert_eq!(found.len(), 1);
        let w = found[0].warning();
        assert!(w.starts_with("page 1 is damaged") && w.contains("missing from the file"), "{w}");
        // Listed in the resources but never drawn: nothing is missing from the page.
        // Listed and named, but not drawn (a font's name, a name in a string): nothing missing.
        for content in [&b"q 100 0 0 100 0 0 cm /Im01 Do Q"[..], b"BT /Im0 12 Tf (x) Tj ET", b"/Im0/Im1 Do", b"/Im0 Dox"] {
            let (doc, page) = page_with_a_missing_image(content);
            assert!(scan(&doc, &[page]).unwrap().is_empty(), "{}", String::from_utf8_lossy(content));
        }
        for content in [&b"/Im0 Do"[..], b"/Im0\nDo", b"q/Im0 Do Q", b"/Im1 Do /Im0 Do"] {
            let (doc, page) = page_with_a_missing_image(content);
            assert_eq!(scan(&doc, &[page]).unwrap().len(), 1, "{}", String::from_utf8_lossy(content));
        }
    }

    #[test]
    fn the_names_a_page_draws_are_read_in_one_pass() {
        let names = drawn_names(b"q /Im0 Do Q /F1 12 Tf /Fm2\r\nDo /X Do/Y Do");
        let mut got: Vec<&[u8]> = names.into_iter().collect();
        got.sort();
        assert_eq!(got, [&b"Fm2"[..], b"Im0", b"X", b"Y"]);
        // Many names and a long content: each byte is looked at a bounded number of times.
        let long = b"/A ".repeat(200_000);
        assert!(drawn_names(&long).is_empty());
    }

    #[test]
    fn a_png_predictor_row_byte_and_an_icc_space_count_in_what_an_image_needs() {
        let mut doc = Document::with_version("1.7");
        let profile = doc.add_object(Stream::new(Dictionary::from_iter([("N", 4.into())]), Vec::new()));
        let dict = Dictionary::from_iter([
            ("Width", 3.into()),
            ("Height", 2.into()),
            ("ColorSpace", Object::Array(vec![Object::Name(b"ICCBased".to_vec()), Object::Reference(profile)])),
            ("BitsPerComponent", 8.into()),
            ("DecodeParms", Object::Dictionary(Dictionary::from_iter([("Predictor", 15.into())]))),
        ]);
        assert_eq!(needed_len(&doc, &Stream::new(dict, Vec::new())), Some(2 * (1 + 3 * 4)));
        let mask = Dictionary::from_iter([("Width", 9.into()), ("Height", 2.into()), ("ImageMask", true.into())]);
        assert_eq!(needed_len(&doc, &Stream::new(mask, Vec::new())), Some(4));
    }

    #[test]
    fn the_warning_names_the_page_and_what_to_do() {
        let d = PageDamage {
            index: 2,
            content: Some(StreamFault::CutShort),
            unreadable: None,
            images: 1,
            short_images: 0,
            missing: 0,
            encrypted: false,
            broken: Vec::new(),
        };
        let w = d.warning();
        assert!(w.starts_with("page 3 is damaged") && w.contains("cut short") && w.contains("an image's data"), "{w}");
        assert!(w.contains("rescan it or ask for a clean copy"));
        let locked = PageDamage {
            index: 0,
            content: Some(StreamFault::Broken),
            unreadable: None,
            images: 0,
            short_images: 0,
            missing: 0,
            encrypted: true,
            broken: Vec::new(),
        };
        assert!(locked.warning().starts_with("page 1's content could not be decrypted, or is broken"), "{}", locked.warning());
    }
}
