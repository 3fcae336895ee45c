//! What follows a PDF's last `%%EOF` marker. Readers look for that marker in the file's last
//! 1024 bytes, so more data after it (a web page or a log a faulty upload added) makes them
//! rebuild the file by scanning, and a later update cut short after it makes them read the
//! revision before that update as if it were the file. The two are told apart by what follows
//! the marker: a cut update begins with an object, so data with no PDF syntax in it is not one,
//! and the PDF before it is the whole file.

use super::{Error, Result};
use crate::pdflex::{find, is_space};
use std::borrow::Cow;

/// How far before the end of a file's data (blank space after it not counted) PDF readers look
/// for its `%%EOF` marker.
const READERS_LOOK: usize = 1024;

/// The part of `bytes` that is the PDF, ending as readers expect (`closed`), and how many bytes
/// of data after its end were left out (`None` when readers find its end themselves). Refuses
/// a file whose last `%%EOF` is followed by the start of a later update that never reaches its
/// `startxref`: taking the PDF before it would silently give an older revision of a file cut
/// short, whatever the size.
pub(super) fn pdf_part(bytes: &[u8]) -> Result<(Cow<'_, [u8]>, Option<usize>)> {
    let (part, left_out) = tail(bytes)?;
    Ok((closed(part), left_out))
}

/// `part` ending as readers look for a PDF's end: its last `startxref` and number, then its
/// one `%%EOF`. lopdf looks for `startxref` just before the last `%%EOF`, so
/// a whole update whose `%%EOF` was lost would be passed over for the revision before it (a
/// superseded page, in silence), and a doubled `%%EOF` or a file without one would be rebuilt
/// by scanning. Where the end differs, a copy is given that ends at the number, closed.
fn closed(part: &[u8]) -> Cow<'_, [u8]> {
    let Some(at) = memchr::memmem::rfind(part, b"startxref") else { return Cow::Borrowed(part) };
    let digits = at + 9 + part[at + 9..].iter().take_while(|c| is_space(**c)).count();
    let number_end = digits + part[digits..].iter().take_while(|c| c.is_ascii_digit()).count();
    let rest = &part[number_end..];
    let rest = &rest[rest.iter().take_while(|c| is_space(**c)).count()..];
    // Data after the marker is the caller's to judge (`tail`); a second marker is not.
    if number_end == digits || (rest.starts_with(b"%%EOF") && find(&rest[5..], b"%%EOF").is_none()) {
        return Cow::Borrowed(part);
    }
    Cow::Owned([&part[..number_end], b"\n%%EOF\n"].concat())
}

/// The PDF's part of `bytes` and the data left out after it, as [`pdf_part`] says.
fn tail(bytes: &[u8]) -> Result<(&[u8], Option<usize>)> {
    let Some(marker) = memchr::memmem::rfind(bytes, b"%%EOF") else { return Ok((bytes, None)) };
    let end = end_of_line(bytes, marker + 5);
    let rest = &bytes[end..];
    if is_blank(rest) {
        return Ok((bytes, None));
    }
    let syntax = has_pdf_syntax(rest);
    // An update that reached its `startxref` is whole, only its end marker lost.
    if syntax && find(rest, b"startxref").is_none() {
        return Err(Error::Truncated(CUT_UPDATE.into()));
    }
    let data_end = bytes.iter().rposition(|c| !is_space(*c)).map_or(0, |at| at + 1);
    if syntax || data_end - marker <= READERS_LOOK {
        return Ok((bytes, None));
    }
    Ok((&bytes[..end], Some(bytes.len() - end)))
}

const CUT_UPDATE: &str = "is truncated: after the end of the PDF (its last %%EOF line) comes the start of a later update \
     that does not end, so the file was cut off while being saved, downloaded or copied; get a complete copy";

/// What the person should know about data left out after the end of a PDF.
pub(super) fn warning(left_out: usize) -> String {
    format!(
        "has data after the end of the PDF ({} after its last %%EOF line, such as a web page or a log added by an upload), \
         which was left out; check its pages",
        size(left_out)
    )
}

fn size(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} bytes"),
        1024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

/// Where the line that ends at `at` ends, its end-of-line marker included.
fn end_of_line(bytes: &[u8], at: usize) -> usize {
    let rest = &bytes[at..];
    at + [&b"\r\n"[..], b"\n", b"\r"].iter().find(|eol| rest.starts_with(eol)).map_or(0, |eol| eol.len())
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|c| is_space(*c))
}

/// Whether the data holds anything a PDF update is made of: an object (`12 0 obj`, `endobj`,
/// `endstream`), a cross-reference table or trailer, an end marker, or a header.
fn has_pdf_syntax(data: &[u8]) -> bool {
    let keywords: [&[u8]; 4] = [b"endobj", b"endstream", b"startxref", b"%PDF-"];
    keywords.iter().any(|k| find(data, k).is_some()) || has_object_header(data) || has_table(data)
}

/// Whether an `N G obj` header is in the data.
fn has_object_header(data: &[u8]) -> bool {
    let mut at = 0;
    while let Some(k) = find(&data[at..], b"obj").map(|k| k + at) {
        if super::repair::header_before(data, k).is_some() {
            return true;
        }
        at = k + 3;
    }
    false
}

/// Whether a line of the data is the `xref` keyword, or a `trailer` keyword a dictionary follows.
fn has_table(data: &[u8]) -> bool {
    data.split(|c| matches!(c, b'\r' | b'\n')).any(|line| {
        let line = line.trim_ascii();
        line == b"xref" || line.strip_prefix(b"trailer").is_some_and(|rest| rest.trim_ascii_start().starts_with(b"<<") || rest.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n";

    #[test]
    fn blank_space_or_a_little_data_after_the_end_is_left_to_readers() {
        for tail in [&b""[..], b"\0\0\0\r\n  ", b"<html>a short error page</html>\n"] {
            let file = [PDF, tail].concat();
            assert_eq!(pdf_part(&file), Ok((Cow::Borrowed(&file[..]), None)), "{tail:?}");
        }
    }

    #[test]
    fn more_data_than_readers_look_past_is_cut_off_at_the_end_of_its_line() {
        let log: Vec<u8> = b"12:00:01 upload retried, stream reset by upstream\n".repeat(40);
        let file = [PDF, &log].concat();
        assert_eq!(pdf_part(&file), Ok((Cow::Borrowed(PDF), Some(log.len()))));
        assert!(warning(log.len()).contains("2.0 KB after its last %%EOF line"), "{}", warning(log.len()));
    }

    #[test]
    fn pdf_syntax_after_the_end_is_a_cut_update_unless_the_file_ends_its_table() {
        for update in [&b"\n2 0 obj\n<< /Len"[..], b"\n2 0 obj <<>> endobj\nxref\n0 3\n", b"\ntrailer\n<< /Size 3 >>"] {
            let file = [PDF, update].concat();
            assert!(matches!(pdf_part(&file), Err(Error::Truncated(_))), "{update:?}");
        }
        let whole = [PDF, &b"2 0 obj <<>> endobj\ntrailer\n<< >>\nstartxref\n80\n"[..]].concat();
        let closed = [&whole[..], b"%%EOF\n"].concat();
        assert_eq!(pdf_part(&whole), Ok((Cow::Owned(closed), None)), "a whole update is closed, so it is the one read");
        // A doubled end marker, one with CR LF, or none at all: closed after the number.
        for (end, closes) in
            [(&b"%%EOF\r\n%%EOF\r\n"[..], true), (b"%%EOF\r\n", false), (b"", true), (b"% note\n%%EOF", true), (b" %%EOF", false)]
        {
            let file = [&PDF[..PDF.len() - 6], end].concat();
            let want = if closes { PDF.to_vec() } else { file.clone() };
            assert_eq!(pdf_part(&file).unwrap().0.as_ref(), &want[..], "{end:?}");
        }
        // Words of a web page are not PDF syntax.
        assert!(!has_pdf_syntax(b"<p>the upstream trailer: 2 objects, 0 xref</p>"));
    }
}
