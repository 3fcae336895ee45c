//! What one file may ask of the machine, in one place (documented in `docs/limits.md`). A file
//! past a limit is refused with a sentence that says which limit and what to do, never a crash,
//! a hang or a machine out of memory. Each value is far above what a real appeal document needs.

use crate::import::{Error, Result};

/// Stored width × height of one image: above any phone photo or scanned page (a 600 dpi Letter
/// page is 34 megapixels).
pub const IMAGE_PIXELS: u64 = 64_000_000;
/// Memory an image decoder may allocate for one image.
pub const IMAGE_ALLOC: u64 = 512 << 20;
/// Decompressed bytes of one PDF stream the engine decodes: a page's content (read to find where
/// the page paints), object and cross-reference streams (read when the file is opened), and the
/// metadata read for suggestions. A small Flate stream can claim gigabytes.
pub const STREAM_DECODED: usize = 64_000_000;
/// Decompressed bytes of one PDF stream that the check for damage inflates, into nothing (no
/// memory is held), to tell whether its compressed data is whole: content and images, which
/// Redress otherwise copies as they are. As large as the largest image Redress decodes at four
/// 8-bit components, so a real scan is judged whole; past it a stream is left unjudged, which
/// bounds the time a decompression bomb can take.
pub const STREAM_CHECKED: u64 = IMAGE_PIXELS * 4;
/// Objects in one PDF: a 5,000-page scan has about 20,000.
pub const PDF_OBJECTS: usize = 1_000_000;
/// Arrays and dictionaries inside each other in a PDF. lopdf's parser stops at this depth (so
/// it cannot overflow its stack); a file that goes deeper is refused as such before parsing.
pub const PDF_NESTING: usize = 100;
/// Pages of one PDF exhibit.
pub const PAGES: usize = 10_000;
/// Bytes of a text or Markdown exhibit: about 1,000 pages of plain text.
pub const TEXT_BYTES: u64 = 4_000_000;
/// Bytes of a claim file (`import-claim`): a year of a member's Blue Button claims or a large
/// practice's 835 is a few megabytes.
pub const CLAIM_FILE_BYTES: u64 = 64_000_000;
/// Seconds Tesseract may take to read one page before it is stopped: a Letter page at 300 dpi
/// takes a few seconds on one core.
pub const OCR_PAGE_SECONDS: u64 = 120;
/// Bytes of `case.toml`: a case with a thousand exhibits and events takes under 200 KB.
pub const CASE_TOML_BYTES: u64 = 1_000_000;

/// Refuses a PDF that nests arrays or dictionaries deeper than [`PDF_NESTING`], read from the
/// raw bytes (outside strings, comments and streams), so that the refusal says why instead of
/// the parser losing the object.
pub fn check_pdf_nesting(bytes: &[u8]) -> Result<()> {
    match deepest_nesting(bytes) {
        Some(depth) if depth > PDF_NESTING => Err(Error::TooLarge(format!(
            "nests arrays or dictionaries {depth} levels deep, more than the {PDF_NESTING} Redress reads; the file is damaged or \
             built to crash readers: get a fresh copy"
        ))),
        _ => Ok(()),
    }
}

/// Refuses a parsed PDF with more objects than [`PDF_OBJECTS`] or pages than [`PAGES`].
pub fn check_pdf_size(objects: usize, pages: usize) -> Result<()> {
    if objects > PDF_OBJECTS {
        return Err(Error::TooLarge(format!(
            "holds {objects} objects, more than the {PDF_OBJECTS} Redress reads in one document; split it into smaller PDFs"
        )));
    }
    if pages > PAGES {
        return Err(Error::TooLarge(format!(
            "has {pages} pages, more than the {PAGES} Redress takes in one exhibit; split it into smaller PDFs"
        )));
    }
    Ok(())
}

/// Refuses a text exhibit larger than [`TEXT_BYTES`].
pub fn check_text(bytes: u64) -> Result<()> {
    if bytes > TEXT_BYTES {
        return Err(Error::TooLarge(format!(
            "is {}, more than the {} of text Redress sets out in one exhibit; split it, or print it to PDF",
            crate::size::human_bytes(bytes),
            crate::size::human_bytes(TEXT_BYTES)
        )));
    }
    Ok(())
}

/// What a page's content decompressing past [`STREAM_DECODED`] is called.
pub fn stream_too_large(what: &str) -> Error {
    Error::TooLarge(format!(
        "{what} decompresses to more than {}, more than Redress reads (a decompression bomb, or a damaged file); get a fresh copy",
        crate::size::human_bytes(STREAM_DECODED as u64)
    ))
}

/// The deepest nesting of `[` and `<<` in a PDF's bytes, skipping literal strings, comments and
/// the data of streams; `None` when the file never nests.
fn deepest_nesting(bytes: &[u8]) -> Option<usize> {
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'[' => depth += 1,
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b']' => depth = depth.saturating_sub(1),
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            // Both leave `i` on the string's last byte or the line's end, stepped over below.
            b'(' => i = crate::pdflex::string_end(bytes, i + 1).0 - 1,
            b'%' => i = crate::pdflex::comment_end(bytes, i),
            // Nesting never spans objects: a stream misread as ended cannot add up past one.
            b'e' if bytes[i..].starts_with(b"endobj") => depth = 0,
            b's' if depth == 0 && bytes[i..].starts_with(b"stream") && !bytes[..i].ends_with(b"end") => i = skip_stream(bytes, i),
            _ => {}
        }
        deepest = deepest.max(depth);
        i += 1;
    }
    (deepest > 0).then_some(deepest)
}

/// The index of the last byte of the `endstream` that ends the stream whose keyword is at
/// `start` (a content stream's own arrays are the content parser's business, not the file's).
fn skip_stream(bytes: &[u8], start: usize) -> usize {
    let data = start + b"stream".len();
    match crate::pdflex::find(&bytes[data..], b"endstream") {
        Some(n) => data + n + 8,
        None => bytes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> Vec<u8> {
        let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /A ".to_vec();
        pdf.extend(std::iter::repeat_n(b'[', depth - 1));
        pdf.extend(std::iter::repeat_n(b']', depth - 1));
        pdf.extend_from_slice(b" >>\nendobj\n");
        pdf
    }

    #[test]
    fn nesting_is_counted_outside_strings_comments_and_streams() {
        assert_eq!(deepest_nesting(&nested(7)), Some(7));
        let quiet = b"1 0 obj << /S ([[[[\\)) >> % [[[[[\nstream\n[[[[[[<<<<\nendstream\nendobj";
        assert_eq!(deepest_nesting(quiet), Some(1));
        assert!(check_pdf_nesting(&nested(PDF_NESTING)).is_ok());
        let refused = check_pdf_nesting(&nested(PDF_NESTING + 1)).unwrap_err();
        assert!(refused.to_string().contains("101 levels deep"), "{refused}");
    }

    #[test]
    fn sizes_past_their_limits_are_refused_with_the_limit() {
        assert!(check_pdf_size(PDF_OBJECTS, PAGES).is_ok());
        assert!(check_pdf_size(PDF_OBJECTS + 1, 1).unwrap_err().to_string().contains("objects"));
        assert!(check_pdf_size(10, PAGES + 1).unwrap_err().to_string().contains("10001 pages"));
        assert!(check_text(TEXT_BYTES + 1).unwrap_err().to_string().contains("of text"));
    }
}
