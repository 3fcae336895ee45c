//! Finds damage that a page carries into the packet as it is: a content or image stream whose
//! compressed data is broken or cut short, or page content that cannot be read to its end (a
//! bad inline image, debris). Readers show such a page as far as they can read it, so Redress
//! carries it the same way, and says so naming the page: the person can then rescan it or ask
//! for a clean copy. Nothing here changes the document.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::HashSet;

/// What is wrong with one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDamage {
    /// The page's place in the document, from 0.
    pub index: usize,
    pub content: Option<StreamFault>,
    /// The page's content can be decoded but not read to its end as PDF drawing commands.
    pub unreadable: bool,
    /// Images (and the forms that draw them) whose data is broken.
    pub images: usize,
    /// The file was encrypted: data that does not decode may be data lopdf could not decrypt
    /// (an encryption dictionary written in a form it does not follow), not damage.
    pub encrypted: bool,
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
            None if self.unreadable => what.push("a bad inline image or debris stops its content from being read in full".to_string()),
            None => {}
        }
        if self.images > 0 {
            let s = if self.images == 1 { "an image's data is" } else { "images' data are" };
            what.push(format!("{s} broken or cut short"));
        }
        format!(
            "page {} is damaged in the file itself ({}): it is carried as PDF readers show it, which may be incomplete; check the page, and rescan it or ask for a clean copy if anything is missing",
            self.index + 1,
            what.join("; ")
        )
    }
}

/// Decoded data past this size is not checked further (it is read as far as this to tell).
const CHECK_LIMIT: u64 = 256 << 20;

/// The damaged pages among `pages`, each with what is wrong with it.
pub fn scan(doc: &Document, pages: &[ObjectId]) -> Vec<PageDamage> {
    let mut checked: HashSet<ObjectId> = HashSet::new();
    let mut out = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let d = page_damage(doc, *page, index, &mut checked);
        if d.content.is_some() || d.unreadable || d.images > 0 {
            out.push(d);
        }
    }
    out
}

fn page_damage(doc: &Document, page: ObjectId, index: usize, checked: &mut HashSet<ObjectId>) -> PageDamage {
    let (refs, _) = super::repair::content_refs(doc, page);
    let streams: Vec<&Stream> = refs.iter().filter_map(|r| doc.objects.get(r)).filter_map(|o| o.as_stream().ok()).collect();
    let content = streams.iter().find_map(|s| stream_fault(s).or_else(|| undecodable(s).then_some(StreamFault::Undecodable)));
    // Streams can split a command between them, so the page's content is read as one.
    let unreadable = content.is_none() && !readable(&streams);
    let resources = super::pdf::geometry(doc, page).resources;
    let images = broken_images(doc, resources.as_ref(), checked, 0);
    PageDamage { index, content, unreadable, images, encrypted: doc.was_encrypted() }
}

fn readable(streams: &[&Stream]) -> bool {
    let mut data = Vec::new();
    for s in streams {
        match s.decompressed_content_with_limit(CHECK_LIMIT as usize) {
            Ok(d) => data.extend_from_slice(&d),
            // Past the limit, or a filter or its parameters that nothing can decode.
            Err(_) => return false,
        }
        data.push(b'\n');
    }
    lopdf::content::Content::decode(&data).is_ok()
}

/// How many image XObjects the resources reach (through forms, to a few levels) whose data is
/// broken; each stream is checked once for the whole document.
fn broken_images(doc: &Document, resources: Option<&Object>, checked: &mut HashSet<ObjectId>, depth: usize) -> usize {
    let Some(xobjects) = resources.and_then(|r| dict_of(doc, r)).and_then(|r| r.get(b"XObject").ok()).and_then(|x| dict_of(doc, x)) else {
        return 0;
    };
    let mut broken = 0;
    for (_, x) in xobjects.iter() {
        let Ok(id) = x.as_reference() else { continue };
        if !checked.insert(id) {
            continue;
        }
        let Some(Object::Stream(s)) = doc.objects.get(&id) else { continue };
        match s.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => broken += usize::from(stream_fault(s).is_some()),
            Ok(b"Form") if depth < 8 => {
                let inner = s.dict.get(b"Resources").ok();
                broken += usize::from(stream_fault(s).is_some()) + broken_images(doc, inner, checked, depth + 1);
            }
            _ => {}
        }
    }
    broken
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
        b"FlateDecode" | b"Fl" => flate_fault(&s.content),
        b"LZWDecode" | b"LZW" => lzw_fault(&s.content, early_change(s)),
        b"ASCII85Decode" | b"A85" | b"ASCIIHexDecode" | b"AHx" | b"RunLengthDecode" | b"RL" => {
            let first = Stream::new(Dictionary::from_iter([("Filter", Object::Name(filters[0].to_vec()))]), s.content.clone());
            first.decompressed_content_with_limit(CHECK_LIMIT as usize).err().map(|_| StreamFault::Broken)
        }
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

/// Decodes LZW `data` into nothing, to tell whether every code in it is one the table holds.
fn lzw_fault(data: &[u8], early_change: bool) -> Option<StreamFault> {
    use weezl::{decode::Decoder, BitOrder};
    let mut decoder = if early_change { Decoder::with_tiff_size_switch(BitOrder::Msb, 8) } else { Decoder::new(BitOrder::Msb, 8) };
    let mut sink = std::io::sink();
    decoder.into_stream(&mut sink).decode_all(data).status.err().map(|_| StreamFault::Broken)
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

/// Inflates `data` without keeping what it makes, to tell whether it is a whole zlib stream.
fn flate_fault(data: &[u8]) -> Option<StreamFault> {
    use flate2::{Decompress, FlushDecompress, Status};
    // An empty stream names a filter it never needed: readers take it as empty, not damaged.
    if data.trim_ascii().is_empty() {
        return None;
    }
    let mut z = Decompress::new(true);
    let mut out = vec![0u8; 64 << 10];
    loop {
        let (read, wrote) = (z.total_in(), z.total_out());
        let rest = data.get(read as usize..).unwrap_or_default();
        match z.decompress(rest, &mut out, FlushDecompress::None) {
            Ok(Status::StreamEnd) => return None,
            Err(_) => return Some(StreamFault::Broken),
            Ok(_) if z.total_out() > CHECK_LIMIT => return None,
            Ok(_) if z.total_in() == read && z.total_out() == wrote => return Some(StreamFault::CutShort),
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
    fn content_under_a_filter_no_reader_knows_is_undecodable() {
        let plate = Stream::new(Dictionary::from_iter([("Filter", Object::Name(b"PlateDecode".to_vec()))]), b"x".to_vec());
        assert!(undecodable(&plate));
        assert!(!undecodable(&flate(zlib(b"q Q"))));
        let d = PageDamage { index: 0, content: Some(StreamFault::Undecodable), unreadable: false, images: 0, encrypted: false };
        assert!(d.warning().contains("encoded in a way no PDF reader can decode"));
    }

    #[test]
    fn the_warning_names_the_page_and_what_to_do() {
        let d = PageDamage { index: 2, content: Some(StreamFault::CutShort), unreadable: false, images: 1, encrypted: false };
        let w = d.warning();
        assert!(w.starts_with("page 3 is damaged") && w.contains("cut short") && w.contains("an image's data"), "{w}");
        assert!(w.contains("rescan it or ask for a clean copy"));
        let locked = PageDamage { index: 0, content: Some(StreamFault::Broken), unreadable: false, images: 0, encrypted: true };
        assert!(locked.warning().starts_with("page 1's content could not be decrypted, or is broken"), "{}", locked.warning());
    }
}
