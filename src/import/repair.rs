//! Recovers what qpdf and poppler recover from a damaged PDF's pages, and says what could not
//! be recovered, naming the page: a content stream whose `/Length` is missing or wrong is
//! read up to its `endstream` from the file's bytes; a page's content that is not in the file
//! at all (a lost object, a `null` in its `/Contents` array) is dropped from the page with a
//! warning, so the packet never carries a dangling reference or a silent blank.

use crate::pdflex::find;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// What the repair did to one page's content; only pages it touched are listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRepair {
    /// The page's place in the document, from 0.
    pub index: usize,
    /// Content streams read back from the file's bytes (a wrong or missing `/Length`).
    pub recovered: usize,
    /// Content entries that are not in the file at all, now dropped from the page.
    pub lost: usize,
    /// Content streams the page still has.
    pub kept: usize,
}

impl PageRepair {
    /// What the person should know about the page, in their words.
    pub fn warning(&self) -> String {
        let n = self.index + 1;
        if self.lost > 0 {
            format!(
                "page {n} has lost part of its content (the file is damaged); check the page, and get a fresh copy if anything is missing"
            )
        } else {
            format!("page {n}'s content was damaged (a wrong stream length) and has been recovered; check the page")
        }
    }
}

/// Repairs the content streams of `pages` in place, reading the file's bytes where lopdf lost
/// a stream; says what it did to each page it touched.
pub fn repair_pages(doc: &mut Document, bytes: &[u8], pages: &[ObjectId]) -> Vec<PageRepair> {
    let encrypted = doc.was_encrypted();
    // The file is scanned for object headers once, and only if some stream needs it.
    let mut headers: Option<Headers> = None;
    let mut repairs = Vec::new();
    let mut done = std::collections::HashMap::new();
    for (index, page) in pages.iter().enumerate() {
        let (refs, debris) = content_refs(doc, *page);
        let mut repair = PageRepair { index, recovered: 0, lost: debris, kept: 0 };
        let mut present = Vec::new();
        for r in refs {
            let outcome = *done.entry(r).or_insert_with(|| recover(doc, bytes, &mut headers, r, encrypted));
            match outcome {
                Recovery::Intact => present.push(r),
                Recovery::Recovered => {
                    repair.recovered += 1;
                    present.push(r);
                }
                Recovery::Lost => repair.lost += 1,
            }
        }
        repair.kept = present.len();
        if repair.lost > 0 {
            set_contents(doc, *page, &present);
        }
        if repair.lost > 0 || repair.recovered > 0 {
            repairs.push(repair);
        }
    }
    repairs
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

#[derive(Clone, Copy)]
enum Recovery {
    Intact,
    Recovered,
    Lost,
}

/// Checks one content stream against the file's bytes, recovering it where lopdf lost it: a
/// stream read short or long (its `/Length` missing or wrong), or not read at all. A lost
/// stream is rebuilt only when it is unfiltered, since its dictionary is not read here.
fn recover(doc: &mut Document, bytes: &[u8], headers: &mut Option<Headers>, id: ObjectId, encrypted: bool) -> Recovery {
    let declared = doc.get_object(id).ok().and_then(|o| o.as_stream().ok()).and_then(|s| declared_length(doc, &s.dict));
    let looks_whole = match doc.objects.get(&id) {
        Some(Object::Stream(s)) => declared == Some(s.content.len()),
        _ => false,
    };
    // A stream whose length agrees with its dictionary is taken as read, so that a whole file
    // is never scanned; encrypted bytes cannot be read back without the key.
    if looks_whole || encrypted {
        return if doc.objects.get(&id).is_some_and(|o| matches!(o, Object::Stream(_))) { Recovery::Intact } else { Recovery::Lost };
    }
    let raw = raw_stream(bytes, headers.get_or_insert_with(|| Headers::scan(bytes)), id);
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

fn raw_stream<'a>(bytes: &'a [u8], headers: &Headers, id: ObjectId) -> Option<RawStream<'a>> {
    let start = headers.last(id)?;
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

/// Where each `N G obj` header of the file ends, the last one for each id (an incremental
/// update's copy wins); found in one pass over the bytes.
struct Headers(std::collections::HashMap<ObjectId, usize>);

impl Headers {
    fn scan(bytes: &[u8]) -> Headers {
        let mut found = std::collections::HashMap::new();
        let mut at = 0;
        while let Some(k) = find(&bytes[at..], b"obj").map(|k| k + at) {
            if let Some(id) = header_before(bytes, k) {
                found.insert(id, k + 3);
            }
            at = k + 3;
        }
        Headers(found)
    }

    fn last(&self, id: ObjectId) -> Option<usize> {
        self.0.get(&id).copied()
    }
}

/// The id of an `N G obj` header whose `obj` keyword starts at `k`: two numbers separated by
/// white space, the first not part of a longer word (so `14 0 obj` is not `4 0 obj`).
pub(super) fn header_before(bytes: &[u8], k: usize) -> Option<ObjectId> {
    let digits_back = |end: usize| -> Option<(usize, u64)> {
        // An object number or generation has at most 10 digits; a longer run is no header.
        let start = (0..end).rev().take(11).take_while(|&i| bytes[i].is_ascii_digit()).last()?;
        let n = std::str::from_utf8(&bytes[start..end]).ok()?.parse().ok()?;
        Some((start, n))
    };
    let spaces_back = |end: usize| (0..end).rev().take(64).take_while(|&i| bytes[i].is_ascii_whitespace()).last();
    let after_gen = spaces_back(k)?;
    let (gen_start, generation) = digits_back(after_gen)?;
    let after_num = spaces_back(gen_start)?;
    let (num_start, num) = digits_back(after_num)?;
    if num_start > 0 && !(bytes[num_start - 1].is_ascii_whitespace() || b"<>[]()/%".contains(&bytes[num_start - 1])) {
        return None;
    }
    if bytes.get(k + 3).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((u32::try_from(num).ok()?, u16::try_from(generation).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_found_in_one_pass_the_last_copy_winning() {
        let file = b"%PDF-1.4\n4 0 obj\n(old)\nendobj\n14 0 obj\n(x)\nendobj\n4 0 obj\n(new)\nendobj\n9 0 objection\n";
        let headers = Headers::scan(file);
        let at = headers.last((4, 0)).unwrap();
        assert!(file[at..].starts_with(b"\n(new)"), "the incremental update's copy");
        assert!(headers.last((14, 0)).is_some());
        assert_eq!(headers.last((9, 0)), None, "`objection` is no header");
        assert_eq!(headers.0.len(), 2);
    }

    #[test]
    fn a_stream_read_short_is_read_to_its_endstream_and_said() {
        let file = b"%PDF-1.4\n5 0 obj\n<< /Length 3 >>\nstream\nBT (whole text) Tj ET\nendstream\nendobj\n";
        let mut doc = Document::with_version("1.4");
        // lopdf read 4 bytes where the dictionary says 9 and the file holds more.
        let mut short = Stream::new(Dictionary::new(), b"BT (".to_vec());
        short.dict.set("Length", 9);
        doc.objects.insert((5, 0), Object::Stream(short));
        doc.objects.insert(
            (6, 0),
            Object::Dictionary(
                lopdf::dictionary! { "Type" => "Page", "Contents" => vec![Object::from((5, 0)), Object::from((7, 0)), Object::Null] },
            ),
        );
        let repairs = repair_pages(&mut doc, file, &[(6, 0)]);
        assert_eq!(repairs, vec![PageRepair { index: 0, recovered: 1, lost: 2, kept: 1 }]);
        assert_eq!(doc.get_object((5, 0)).unwrap().as_stream().unwrap().content, b"BT (whole text) Tj ET");
        assert_eq!(content_refs(&doc, (6, 0)), (vec![(5, 0)], 0), "the lost entries are gone from the page");
        assert!(repairs[0].warning().starts_with("page 1 has lost part of its content"));
    }
}
