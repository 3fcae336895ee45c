//! Recovers what qpdf and poppler recover from a damaged PDF's pages, and says what could not
//! be recovered, naming the page: a content stream whose `/Length` is missing or wrong is
//! read up to its `endstream` from the file's bytes; a page's content that is not in the file
//! at all (a lost object, a `null` in its `/Contents` array) is dropped from the page with a
//! warning, so the packet never carries a dangling reference or a silent blank.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Repairs the content streams of `pages` in place; the warnings name each page touched.
pub fn repair_pages(doc: &mut Document, bytes: &[u8], pages: &[ObjectId]) -> Vec<String> {
    let mut warnings = Vec::new();
    let encrypted = doc.was_encrypted();
    for (n, page) in pages.iter().enumerate() {
        let (kept, lost) = content_refs(doc, *page);
        let mut recovered = false;
        let mut missing = lost;
        let mut present = Vec::new();
        for r in kept {
            match recover(doc, bytes, r, encrypted) {
                Recovery::Intact => present.push(r),
                Recovery::Recovered => {
                    recovered = true;
                    present.push(r);
                }
                Recovery::Lost => missing += 1,
            }
        }
        if missing > 0 {
            set_contents(doc, *page, &present);
            warnings.push(format!(
                "page {} has lost part of its content (the file is damaged); check the page, and get a fresh copy if anything is missing",
                n + 1
            ));
        } else if recovered {
            warnings.push(format!("page {}'s content was damaged (a wrong stream length) and has been recovered; check the page", n + 1));
        }
    }
    warnings
}

/// The page's content stream references, and how many entries of `/Contents` are not
/// references at all (`null`s and other debris).
pub(super) fn content_refs(doc: &Document, page: ObjectId) -> (Vec<ObjectId>, usize) {
    let Ok(dict) = doc.get_dictionary(page) else { return (vec![], 0) };
    let items: Vec<Object> = match dict.get(b"Contents") {
        Ok(Object::Reference(r)) => match doc.objects.get(r) {
            Some(Object::Array(a)) => a.clone(),
            _ => vec![Object::Reference(*r)],
        },
        Ok(Object::Array(a)) => a.clone(),
        _ => vec![],
    };
    let refs: Vec<ObjectId> = items.iter().filter_map(|o| o.as_reference().ok()).collect();
    let debris = items.len() - refs.len();
    (refs, debris)
}

fn set_contents(doc: &mut Document, page: ObjectId, refs: &[ObjectId]) {
    if let Ok(dict) = doc.get_dictionary_mut(page) {
        if refs.is_empty() {
            dict.remove(b"Contents");
        } else {
            dict.set("Contents", Object::Array(refs.iter().map(|r| Object::Reference(*r)).collect()));
        }
    }
}

enum Recovery {
    Intact,
    Recovered,
    Lost,
}

/// Checks one content stream against the file's bytes, recovering it where lopdf lost it: a
/// stream read short or long (its `/Length` missing or wrong), or not read at all. A lost
/// stream is rebuilt only when it is unfiltered, since its dictionary is not read here.
fn recover(doc: &mut Document, bytes: &[u8], id: ObjectId, encrypted: bool) -> Recovery {
    let raw = if encrypted { None } else { raw_stream(bytes, id) };
    let declared = doc.get_object(id).ok().and_then(|o| o.as_stream().ok()).and_then(|s| declared_length(doc, &s.dict));
    match (doc.objects.get_mut(&id), raw) {
        (Some(Object::Stream(s)), Some(raw)) if declared != Some(s.content.len()) && trim_eol(&s.content) != raw.content => {
            s.dict.set("Length", raw.content.len() as i64);
            s.set_content(raw.content.to_vec());
            Recovery::Recovered
        }
        (Some(Object::Stream(_)), _) => Recovery::Intact,
        (_, Some(raw)) if !raw.filtered => {
            doc.objects.insert(id, Object::Stream(Stream::new(Dictionary::new(), raw.content.to_vec())));
            Recovery::Recovered
        }
        _ => Recovery::Lost,
    }
}

/// The stream's `/Length`, followed when it is a reference.
fn declared_length(doc: &Document, dict: &Dictionary) -> Option<usize> {
    let (_, length) = doc.dereference(dict.get(b"Length").ok()?).ok()?;
    length.as_i64().ok().and_then(|n| usize::try_from(n).ok())
}

fn trim_eol(bytes: &[u8]) -> &[u8] {
    bytes.strip_suffix(b"\r\n").or_else(|| bytes.strip_suffix(b"\n")).or_else(|| bytes.strip_suffix(b"\r")).unwrap_or(bytes)
}

/// A stream object as the file's bytes hold it: the last `N G obj` header for the id, the
/// bytes between `stream` and the next `endstream` (end-of-line markers left out), and whether
/// its dictionary names a filter.
struct RawStream<'a> {
    content: &'a [u8],
    filtered: bool,
}

fn raw_stream(bytes: &[u8], (num, generation): ObjectId) -> Option<RawStream<'_>> {
    let header = format!("{num} {generation} obj");
    let start = rfind_header(bytes, header.as_bytes())? + header.len();
    let rest = &bytes[start..];
    let keyword = find(rest, b"stream")?;
    if find(rest, b"endobj").is_some_and(|e| e < keyword) {
        return None;
    }
    let dict = &rest[..keyword];
    let mut body = &rest[keyword + b"stream".len()..];
    body = body.strip_prefix(b"\r\n").or_else(|| body.strip_prefix(b"\n")).or_else(|| body.strip_prefix(b"\r")).unwrap_or(body);
    let end = find(body, b"endstream")?;
    let content = trim_eol(&body[..end]);
    Some(RawStream { content, filtered: find(dict, b"/Filter").is_some() })
}

/// The last `N G obj` header in the file (an incremental update's copy wins), not preceded by
/// a digit (so `14 0 obj` is not found as `4 0 obj`).
fn rfind_header(bytes: &[u8], header: &[u8]) -> Option<usize> {
    let mut end = bytes.len();
    while let Some(at) = bytes[..end].windows(header.len()).rposition(|w| w == header) {
        if at == 0 || !bytes[at - 1].is_ascii_digit() {
            return Some(at);
        }
        end = at + header.len() - 1;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
