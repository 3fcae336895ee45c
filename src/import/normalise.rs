//! Byte-level repairs for files lopdf's parser refuses but qpdf and poppler read. Each keeps
//! every byte where it was, so every offset the file gives still holds, and none touches the
//! data between `stream` and `endstream`. Each changes only what lopdf would misread, so they
//! are made before every parse.

use crate::pdflex::find;
use lopdf::{Document, Object};
use std::borrow::Cow;

/// What was changed, so the parsed document can be given back the file's own names.
pub struct Normalised {
    pub bytes: Vec<u8>,
    /// The byte that stands for each stray `#` (one the file's text outside streams never
    /// uses), if any `#` was replaced.
    stray_hash: Option<u8>,
}

/// The file with its abbreviated stream filters spelt out, stray `#` in names stood in for and
/// stray `n R` after a reference blanked, or `None` when there is none of them.
pub fn normalise(bytes: &[u8]) -> Option<Normalised> {
    // Copied only once a repair writes: most files need none.
    let mut out = Cow::Borrowed(bytes);
    // Found once: none of the repairs moves a byte or writes a stream keyword.
    let spans = outside_streams(bytes);
    let spelt = spell_out_filters(&mut out, &spans) | blank_stray_references(&mut out, &spans);
    let stray_hash = unused_byte(bytes, &spans).filter(|b| replace_stray_hashes(&mut out, &spans, *b));
    match out {
        Cow::Owned(bytes) if spelt || stray_hash.is_some() => Some(Normalised { bytes, stray_hash }),
        _ => None,
    }
}

impl Normalised {
    /// Gives the names read from the file their stray `#` back: qpdf and poppler keep it as
    /// part of the name, so the page's content still finds its resources.
    pub fn restore(&self, doc: &mut Document) {
        let Some(stand_in) = self.stray_hash else { return };
        for object in doc.objects.values_mut() {
            restore_names(object, stand_in);
        }
    }
}

/// Spans of the file outside stream data, as (start, end) byte ranges.
pub(super) fn outside_streams(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream").map(|i| i + at) {
        let after = found + 6;
        let is_keyword = !bytes[..found].ends_with(b"end") && matches!(bytes.get(after), Some(b'\r' | b'\n'));
        if !is_keyword {
            at = after;
            continue;
        }
        spans.push((start, after));
        let Some(end) = find(&bytes[after..], b"endstream").map(|i| i + after) else { return spans };
        start = end;
        at = end + 9;
    }
    spans.push((start, bytes.len()));
    spans
}

/// The abbreviations PDF allows for inline images, which qpdf also accepts on streams.
const ABBREVIATED: [(&[u8], &[u8]); 7] = [
    (b"/Fl", b"/FlateDecode"),
    (b"/AHx", b"/ASCIIHexDecode"),
    (b"/A85", b"/ASCII85Decode"),
    (b"/LZW", b"/LZWDecode"),
    (b"/RL", b"/RunLengthDecode"),
    (b"/CCF", b"/CCITTFaxDecode"),
    (b"/DCT", b"/DCTDecode"),
];

/// Writes `/Filter /Fl` as `/Filter /FlateDecode` where spaces after it leave room (as writers
/// that patch a file in place leave them); true if any was.
fn spell_out_filters(bytes: &mut Cow<'_, [u8]>, spans: &[(usize, usize)]) -> bool {
    let mut changed = false;
    for &(start, end) in spans {
        let mut at = start;
        while let Some(found) = find(&bytes[at..end], b"/Filter").map(|i| i + at) {
            at = found + 7;
            let name = at + bytes[at..end].iter().take_while(|b| b.is_ascii_whitespace()).count();
            for (short, long) in ABBREVIATED {
                let room = bytes[name + short.len()..end].iter().take_while(|b| **b == b' ').count();
                let fits = bytes[name..end].starts_with(short) && room >= long.len() - short.len();
                if fits {
                    bytes.to_mut()[name..name + long.len()].copy_from_slice(long);
                    changed = true;
                }
            }
        }
    }
    changed
}

/// Blanks an `n R` written straight after a reference (`/X 1 0 R 0 R`): no reader can make
/// an object of it, and lopdf loses the whole dictionary that holds it where qpdf and poppler
/// only drop the entry; true if any was.
fn blank_stray_references(bytes: &mut Cow<'_, [u8]>, spans: &[(usize, usize)]) -> bool {
    let mut changed = false;
    for &(start, end) in spans {
        for i in start..end {
            let Some(from) = stray_reference_at(&bytes[start..end], i - start).map(|f| f + start) else { continue };
            bytes.to_mut()[from..=i].fill(b' ');
            changed = true;
        }
    }
    changed
}

type ByteTest = fn(&u8) -> bool;

/// Where the stray `n R` ending at `i` begins, if the `R` at `i` ends `a b R n R`.
fn stray_reference_at(text: &[u8], i: usize) -> Option<usize> {
    let delimits = |c: &u8| c.is_ascii_whitespace() || b"()<>[]{}/%".contains(c);
    if text[i] != b'R' || !text.get(i + 1).is_none_or(delimits) {
        return None;
    }
    let (ws, digit): (ByteTest, ByteTest) = (u8::is_ascii_whitespace, u8::is_ascii_digit);
    let stray = back(text, back(text, i, ws)?, digit)?;
    let r = back(text, stray, ws)?.checked_sub(1)?;
    let generation = back(text, back(text, (text[r] == b'R').then_some(r)?, ws)?, digit)?;
    let number = back(text, back(text, generation, ws)?, digit)?;
    (number == 0 || delimits(&text[number - 1])).then_some(stray)
}

/// The start of the run of bytes that satisfy `is` ending just before `end`, if it is not
/// empty.
fn back(text: &[u8], end: usize, is: ByteTest) -> Option<usize> {
    let start = end - text[..end].iter().rev().take_while(|c| is(c)).count();
    (start < end).then_some(start)
}

/// A byte that never appears outside stream data, and that lopdf reads as part of a name.
fn unused_byte(bytes: &[u8], spans: &[(usize, usize)]) -> Option<u8> {
    let mut used = [false; 256];
    for &(start, end) in spans {
        for b in &bytes[start..end] {
            used[usize::from(*b)] = true;
        }
    }
    (0x80..=0xFFu8).find(|b| !used[usize::from(*b)])
}

/// Replaces each `#` in a name that is not followed by two hexadecimal digits (which ends the
/// name for lopdf) with `stand_in`; true if any was.
fn replace_stray_hashes(bytes: &mut Cow<'_, [u8]>, spans: &[(usize, usize)], stand_in: u8) -> bool {
    let mut changed = false;
    for &(start, end) in spans {
        let mut in_name = false;
        for i in start..end {
            let c = bytes[i];
            if c == b'/' {
                in_name = true;
            } else if c.is_ascii_whitespace() || b"()<>[]{}%".contains(&c) {
                in_name = false;
            } else if c == b'#' && in_name {
                let hex = bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
                if !hex {
                    bytes.to_mut()[i] = stand_in;
                    changed = true;
                }
            }
        }
    }
    changed
}

fn restore_names(object: &mut Object, stand_in: u8) {
    let fix = |name: &mut Vec<u8>| name.iter_mut().filter(|b| **b == stand_in).for_each(|b| *b = b'#');
    match object {
        Object::Name(n) => fix(n),
        Object::Array(items) => items.iter_mut().for_each(|o| restore_names(o, stand_in)),
        Object::Dictionary(d) => restore_dict(d, stand_in),
        Object::Stream(s) => restore_dict(&mut s.dict, stand_in),
        _ => {}
    }
}

fn restore_dict(d: &mut lopdf::Dictionary, stand_in: u8) {
    let entries: Vec<(Vec<u8>, Object)> = std::mem::take(d).into_iter().collect();
    for (mut key, mut value) in entries {
        key.iter_mut().filter(|b| **b == stand_in).for_each(|b| *b = b'#');
        restore_names(&mut value, stand_in);
        d.set(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_padded_abbreviated_filter_is_spelt_out_in_place() {
        let file = b"1 0 obj << /Filter /Fl          /Length 3 >>\nstream\n/Filter /Fl          \nendstream".to_vec();
        let n = normalise(&file).unwrap();
        assert_eq!(n.bytes.len(), file.len());
        assert!(n.bytes.starts_with(b"1 0 obj << /Filter /FlateDecode "));
        assert!(n.bytes.ends_with(b"stream\n/Filter /Fl          \nendstream"), "stream data untouched");
    }

    #[test]
    fn stray_hashes_in_names_come_back_after_parsing() {
        let file = b"<< /Im#1 1 /Im#22 2 /Im# 3 >>".to_vec();
        let n = normalise(&file).unwrap();
        assert_eq!(n.bytes.len(), file.len());
        assert_eq!(n.bytes.iter().filter(|b| **b == b'#').count(), 1, "only the valid escape is left");
        let stand_in = n.stray_hash.unwrap();
        let mut d = lopdf::Dictionary::new();
        d.set(vec![b'I', b'm', stand_in, b'1'], Object::Name(vec![stand_in]));
        let mut doc = Document::with_version("1.4");
        doc.objects.insert((1, 0), Object::Dictionary(d));
        n.restore(&mut doc);
        let d = doc.get_dictionary((1, 0)).unwrap();
        assert_eq!(d.get(b"Im#1").unwrap(), &Object::Name(b"#".to_vec()));
    }

    #[test]
    fn a_stray_r_after_a_reference_is_blanked_and_references_kept() {
        let file = b"<< /X 1 0 R 0 R /Pages 2 0 R /K [3 0 R 4 0 R] >>".to_vec();
        let n = normalise(&file).unwrap();
        assert_eq!(n.bytes, b"<< /X 1 0 R     /Pages 2 0 R /K [3 0 R 4 0 R] >>".to_vec());
    }

    #[test]
    fn a_file_needing_neither_is_left_alone() {
        assert!(normalise(b"<< /Filter /FlateDecode /A#20B 1 /K [1 0 R 2 0 R] >>").is_none());
    }
}
