//! Opens exhibit files (PDF, images, text) and turns them into pages to place.

mod appended;
mod crypt;
mod damage;
mod error;
pub mod facts;
pub mod image;
mod normalise;
mod objstm;
mod pagetree;
pub mod pdf;
mod repair;
pub mod text;
pub mod textlayer;

pub use error::{Error, ErrorKind, Result, NEEDS_PASSWORD, WRONG_PASSWORD};

/// What an exhibit file really is, judged by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "DocumentFormat"))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Jpeg,
    Png,
    Tiff,
    /// HEIC/HEIF photos, as people know them: `heic`.
    #[serde(rename = "heic")]
    Heif,
    Text,
    Markdown,
}

impl Format {
    /// The picture format an image file of this format is read as; `None` for a PDF or text.
    pub fn image(self) -> Option<image::ImageFormat> {
        match self {
            Format::Jpeg => Some(image::ImageFormat::Jpeg),
            Format::Png => Some(image::ImageFormat::Png),
            Format::Tiff => Some(image::ImageFormat::Tiff),
            Format::Heif => Some(image::ImageFormat::Heif),
            Format::Pdf | Format::Text | Format::Markdown => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Jpeg => "JPEG image",
            Format::Png => "PNG image",
            Format::Tiff => "TIFF image",
            Format::Heif => "HEIC/HEIF image",
            Format::Text => "text file",
            Format::Markdown => "Markdown file",
        }
    }
}

/// The format a file name promises.
pub fn format_from_name(name: &str) -> Option<Format> {
    let ext = std::path::Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => Format::Pdf,
        "jpg" | "jpeg" | "jpe" | "jfif" => Format::Jpeg,
        "png" => Format::Png,
        "tif" | "tiff" => Format::Tiff,
        "heic" | "heif" | "hif" => Format::Heif,
        "txt" | "text" | "log" => Format::Text,
        "md" | "markdown" => Format::Markdown,
        _ => return None,
    })
}

/// The format the bytes show, when they carry a signature.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") || bytes.starts_with(b"II+\0") || bytes.starts_with(b"MM\0+") {
        Some(Format::Tiff)
    } else if bytes.len() > 12
        && &bytes[4..8] == b"ftyp"
        && [&b"heic"[..], b"heix", b"mif1", b"msf1", b"heim", b"heis", b"hevc"].contains(&&bytes[8..12])
    {
        Some(Format::Heif)
    } else if has_pdf_header(bytes) {
        Some(Format::Pdf)
    } else {
        None
    }
}

/// Whether a PDF header (`%PDF-`) starts within the file's first 1024 bytes, where PDF
/// readers look for it.
fn has_pdf_header(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-")
}

/// Whether the file, its header line lost, starts as the body of a PDF does: after blank
/// space and comment lines, the first object's `n g obj`. qpdf and poppler read such a file.
fn is_pdf_body(bytes: &[u8]) -> bool {
    let mut at = 0;
    loop {
        at += bytes[at..].iter().take_while(|c| c.is_ascii_whitespace() || **c == 0).count();
        if bytes.get(at) != Some(&b'%') || at > 1024 {
            break;
        }
        at += bytes[at..].iter().take_while(|c| !matches!(c, b'\r' | b'\n')).count();
    }
    let mut words = bytes[at..bytes.len().min(at + 32)].split(|c| c.is_ascii_whitespace()).filter(|w| !w.is_empty());
    let number = |w: Option<&[u8]>| w.is_some_and(|w| !w.is_empty() && w.iter().all(u8::is_ascii_digit));
    let keyword = |w: &[u8]| w.strip_prefix(b"obj").is_some_and(|rest| rest.first().is_none_or(|c| b"<[(/%".contains(c)));
    number(words.next()) && number(words.next()) && words.next().is_some_and(keyword)
}

/// Decides the format of an exhibit from its name and its content, refusing a file whose
/// content is not what its name says.
pub fn detect(name: &str, bytes: &[u8]) -> Result<Format> {
    let by_name = format_from_name(name);
    let by_content = sniff(bytes);
    let wrong = |why: String| Err(Error::NotTheFormat(why));
    if bytes.is_empty() {
        return wrong("is empty (0 bytes)".into());
    }
    match (by_name, by_content) {
        (Some(n @ (Format::Text | Format::Markdown)), None) => Ok(n),
        (Some(Format::Pdf), None) if is_pdf_body(bytes) => Ok(Format::Pdf),
        (Some(n), Some(c)) if n == c => Ok(n),
        (Some(Format::Text | Format::Markdown), Some(c)) => wrong(format!("is named as text but is a {}", c.label())),
        (Some(n), Some(c)) => {
            wrong(format!("is named as a {} but its content is a {}; rename it or export it again", n.label(), c.label()))
        }
        (Some(n), None) => {
            wrong(format!("is named as a {} but its content is not one (the file may be damaged or of another type)", n.label()))
        }
        (None, Some(c)) => Ok(c),
        (None, None) => Err(Error::Unsupported("is of a type Redress cannot read; use PDF, JPEG, PNG, TIFF, HEIC, .txt or .md".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_must_match_the_name() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0];
        assert_eq!(detect("a.jpg", &jpeg), Ok(Format::Jpeg));
        assert!(detect("a.pdf", &jpeg).unwrap_err().to_string().contains("content is a JPEG image"));
        assert!(detect("a.png", b"hello").unwrap_err().to_string().contains("named as a PNG image"));
        assert_eq!(detect("note.txt", b"hello"), Ok(Format::Text));
        assert!(detect("note.txt", b"%PDF-1.4").is_err());
        assert!(matches!(detect("a.png", b"hello"), Err(Error::NotTheFormat(_))));
        assert!(matches!(detect("x.docx", b"PK\x03\x04"), Err(Error::Unsupported(_))));
        assert!(detect("x.docx", b"PK\x03\x04").unwrap_err().to_string().contains("cannot read"));
        assert!(detect("a.pdf", b"").unwrap_err().to_string().contains("empty"));
    }

    #[test]
    fn a_pdf_whose_header_is_late_or_lost_is_still_a_pdf() {
        let late = [&[b' '; 600][..], b"%PDF-1.4\n1 0 obj"].concat();
        assert_eq!(detect("a.pdf", &late), Ok(Format::Pdf));
        // The header line lost: a comment, then the first object, or blank space before it.
        assert_eq!(detect("a.pdf", b"%\xE2\xE3\xCF\xD3\n1 0 obj\n<<"), Ok(Format::Pdf));
        assert_eq!(detect("a.pdf", b"      \r\n12 0 obj<</Type/XRef"), Ok(Format::Pdf));
        // Only when it is named a PDF, and only the start of an object counts.
        assert!(detect("a.txt", b"1 0 obj\n<<").is_ok_and(|f| f == Format::Text));
        for not_pdf in [&b"1 0 object"[..], b"1 obj", b"hello 1 0 obj", b"% only a comment\n"] {
            assert!(matches!(detect("a.pdf", not_pdf), Err(Error::NotTheFormat(_))), "{not_pdf:?}");
        }
    }
}
