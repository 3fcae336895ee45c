//! What a document says about itself, read when it is added so the app can suggest its kind,
//! date and title: a PDF's Info and XMP title and dates and the text of its first pages (read by
//! `textlayer`, line by line); a photo's EXIF date and camera; a PNG's text chunks and XMP; a
//! TIFF's page count and fax marks; a text file's first lines. Reading never fails: what cannot be read is left out.

use super::Format;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::io::Cursor;

/// How much of a document's text is kept: the first pages are where its title and date are.
const TEXT_LIMIT: usize = 6000;

/// What one file says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The format, from the content (and for text, the name).
    pub format: Option<Format>,
    /// The document's own title: a PDF's Info /Title or XMP dc:title, a PNG's Title text.
    pub title: Option<String>,
    /// When the document was made, as it says: a PDF's /CreationDate or XMP CreateDate, a
    /// photo's EXIF DateTimeOriginal, a PNG's "Creation Time" or XMP date, a TIFF's DateTime.
    pub created: Option<NaiveDateTime>,
    /// The text of the first pages (PDF text layer, text and Markdown files), lines kept.
    pub text: String,
    /// Pages (PDF) or images (TIFF); 1 for other images, 0 when unknown.
    pub pages: u32,
    /// The camera's make and model from EXIF: a phone or camera took it.
    pub camera: Option<String>,
    /// What made the file: EXIF or TIFF Software, PDF Creator and Producer, PNG Software.
    pub software: Option<String>,
    /// Free text the file carries about itself: TIFF ImageDescription, PNG Description or
    /// Comment, XMP UserComment (macOS writes "Screenshot" there).
    pub description: Option<String>,
    /// The image is fax-coded (CCITT Group 3/4) or at a fax machine's resolution.
    pub fax_coded: bool,
}

/// Reads what `bytes` (a file named `name`) say about themselves.
pub fn read(name: &str, bytes: &[u8]) -> Facts {
    let format = super::detect(name, bytes).ok().or_else(|| super::sniff(bytes));
    let mut facts = Facts { format, ..Facts::default() };
    match format {
        Some(Format::Pdf) => pdf(bytes, &mut facts),
        Some(Format::Jpeg) => {
            facts.pages = 1;
            exif(bytes, &mut facts);
        }
        Some(Format::Png) => {
            facts.pages = 1;
            exif(bytes, &mut facts);
            png_text(bytes, &mut facts);
        }
        Some(Format::Tiff) => {
            facts.pages = tiff_pages(bytes);
            exif(bytes, &mut facts);
        }
        Some(Format::Text | Format::Markdown) => {
            // As the packet reads it (UTF-8, UTF-16, Windows-1252); a file it refuses says nothing.
            facts.text = super::text::decode(bytes).map(|(text, _)| clip(&text.replace(super::text::FORM_FEED, ""))).unwrap_or_default();
            facts.pages = 1;
        }
        Some(Format::Heif) => {
            facts.pages = 1;
            exif(bytes, &mut facts);
        }
        None => {}
    }
    facts
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(TEXT_LIMIT) {
        Some((at, _)) => text[..at].to_string(),
        None => text.to_string(),
    }
}

// ---------------------------------------------------------------------------------------- PDF

fn pdf(bytes: &[u8], facts: &mut Facts) {
    // Opened as the build opens it: an owner-password-only file decrypted, a broken table
    // repaired; a file the build refuses says nothing about itself.
    let Ok(opened) = super::pdf::open(bytes, None) else {
        return;
    };
    let (doc, pages) = (&opened.doc, &opened.all_pages);
    facts.pages = pages.len() as u32;
    let info = doc.trailer.get(b"Info").ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok());
    let text_of = |key: &[u8]| -> Option<String> {
        let o = info?.get(key).ok()?;
        let o = doc.dereference(o).ok()?.1;
        lopdf::decode_text_string(o).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    };
    facts.title = text_of(b"Title");
    facts.created = text_of(b"CreationDate").and_then(|d| pdf_date(&d));
    let software: Vec<String> = [text_of(b"Creator"), text_of(b"Producer")].into_iter().flatten().collect();
    if !software.is_empty() {
        facts.software = Some(software.join("; "));
    }
    let xmp = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Metadata").ok())
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_stream().ok())
        .and_then(|s| s.decompressed_content_with_limit(crate::limits::STREAM_DECODED).ok().or_else(|| Some(s.content.clone())))
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    if let Some(xmp) = xmp {
        xmp_facts(&xmp, facts);
    }
    // The first two pages: where a document's heading and date are. A hostile content stream
    // must not take the import down, so the text walker runs behind a guard.
    let first = &pages[..pages.len().min(2)];
    let text = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let pages = first.iter().zip(1..).filter_map(|(&id, n)| super::textlayer::page_words(doc, id, n).ok());
        pages.map(|p| page_text(&p)).collect::<Vec<_>>().join("\n")
    }))
    .unwrap_or_default();
    facts.text = clip(&text);
}

/// A page's text line by line, in reading order, its words parted by single spaces.
fn page_text(page: &crate::words::PageWords) -> String {
    page.lines().into_iter().map(|l| l.text).collect::<Vec<_>>().join("\n")
}

/// `D:20261112093000-05'00'` → 2026-11-12 09:30:00 (the wall clock as written).
pub fn pdf_date(s: &str) -> Option<NaiveDateTime> {
    let digits: String = s.trim().trim_start_matches("D:").chars().take_while(char::is_ascii_digit).take(14).collect();
    if digits.len() < 8 {
        return None;
    }
    let num = |from: usize, to: usize| digits.get(from..to).and_then(|d| d.parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(4, 6)?, num(6, 8)?)?;
    let time = NaiveTime::from_hms_opt(num(8, 10).unwrap_or(0), num(10, 12).unwrap_or(0), num(12, 14).unwrap_or(0))?;
    Some(date.and_time(time))
}

/// An ISO 8601 date or date-time as XMP writes it (`2026-11-12`, `2026-11-12T09:30:00-05:00`).
fn iso_date_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    let date = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let time = s
        .get(11..19)
        .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M:%S").ok())
        .or_else(|| s.get(11..16).and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok()))
        .unwrap_or(NaiveTime::MIN);
    Some(date.and_time(time))
}

/// The value of an XMP property written either as an attribute (`xmp:CreateDate="…"`) or as
/// an element (`<xmp:CreateDate>…</xmp:CreateDate>`, or its first `rdf:li`).
fn xmp_value(xml: &str, key: &str) -> Option<String> {
    let attr = format!("{key}=\"");
    if let Some(at) = xml.find(&attr) {
        let rest = &xml[at + attr.len()..];
        return rest.find('"').map(|end| unescape(&rest[..end]));
    }
    let open = format!("<{key}");
    let at = xml.find(&open)?;
    let rest = &xml[at + open.len()..];
    let rest = &rest[rest.find('>')? + 1..];
    let close = format!("</{key}>");
    let inner = &rest[..rest.find(&close)?];
    // A language alternative or a sequence: its first item.
    let inner = match inner.find("<rdf:li") {
        Some(li) => {
            let item = &inner[li..];
            let item = &item[item.find('>')? + 1..];
            &item[..item.find("</rdf:li>")?]
        }
        None => inner,
    };
    Some(unescape(inner.trim())).filter(|v| !v.is_empty() && !v.contains('<'))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn xmp_facts(xml: &str, facts: &mut Facts) {
    if facts.title.is_none() {
        facts.title = xmp_value(xml, "dc:title");
    }
    if facts.created.is_none() {
        facts.created = ["exif:DateTimeOriginal", "photoshop:DateCreated", "xmp:CreateDate"]
            .iter()
            .find_map(|k| xmp_value(xml, k).and_then(|v| iso_date_time(&v)));
    }
    if facts.description.is_none() {
        facts.description = xmp_value(xml, "exif:UserComment").or_else(|| xmp_value(xml, "dc:description"));
    }
    if facts.software.is_none() {
        facts.software = xmp_value(xml, "xmp:CreatorTool");
    }
}

// ---------------------------------------------------------------------------------- images

/// Camera, software, description and fax coding from EXIF or TIFF tags; the date taken from
/// the same reader the packet uses.
fn exif(bytes: &[u8], facts: &mut Facts) {
    use exif::{In, Tag, Value};
    if facts.created.is_none() {
        facts.created = super::image::exif_date(bytes);
    }
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let Ok(exif) = reader.read_from_container(&mut Cursor::new(bytes)).or_else(|e| e.distill_partial_result(|_| {})) else {
        return;
    };
    let text = |tag| {
        let field = exif.get_field(tag, In::PRIMARY)?;
        let Value::Ascii(parts) = &field.value else { return None };
        let s = parts.iter().map(|p| String::from_utf8_lossy(p).trim().trim_end_matches('\0').to_string()).collect::<Vec<_>>();
        Some(s.join(" ").trim().to_string()).filter(|s| !s.is_empty())
    };
    let camera: Vec<String> = [text(Tag::Make), text(Tag::Model)].into_iter().flatten().collect();
    if !camera.is_empty() {
        facts.camera = Some(camera.join(" "));
    }
    facts.software = facts.software.take().or_else(|| text(Tag::Software));
    facts.description = facts.description.take().or_else(|| text(Tag::ImageDescription));
    if facts.created.is_none() {
        // A TIFF's DateTime (when the file was written) comes after the date taken.
        facts.created = text(Tag::DateTime).and_then(|d| NaiveDateTime::parse_from_str(&d, "%Y:%m:%d %H:%M:%S").ok());
    }
    let compression = exif.get_field(Tag::Compression, In::PRIMARY).and_then(|f| f.value.get_uint(0));
    let resolution = |tag| match exif.get_field(tag, In::PRIMARY).map(|f| &f.value) {
        Some(Value::Rational(r)) if !r.is_empty() && r[0].denom != 0 => Some(r[0].to_f64()),
        _ => None,
    };
    // CCITT T.4 (Group 3) and T.6 (Group 4) are what fax machines send; 204 × 98 or 204 × 196
    // dots per inch is a fax's resolution.
    let fax_resolution = matches!((resolution(Tag::XResolution), resolution(Tag::YResolution)), (Some(x), Some(y))
        if (x - 204.0).abs() < 1.0 && ((y - 98.0).abs() < 1.0 || (y - 196.0).abs() < 1.0));
    facts.fax_coded = matches!(compression, Some(2..=4)) || fax_resolution;
}

/// A PNG's text chunks (tEXt, zTXt, iTXt): Title, Creation Time, Software, Description,
/// Comment, and the XMP packet some tools put in iTXt.
fn png_text(bytes: &[u8], facts: &mut Facts) {
    let mut pos = 8;
    while pos + 8 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]]) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let Some(data) = bytes.get(pos + 8..(pos + 8).saturating_add(len)) else { break };
        pos = pos + 12 + len;
        if kind == b"IDAT" || kind == b"IEND" {
            // Text chunks after the image data are allowed but rare; keep reading only past
            // the first IDAT when nothing was found yet.
            if kind == b"IEND" {
                break;
            }
            continue;
        }
        let Some((keyword, value)) = png_chunk_text(kind, data) else { continue };
        match keyword.as_str() {
            "Title" if facts.title.is_none() => facts.title = Some(value.trim().to_string()).filter(|s| !s.is_empty()),
            "Creation Time" if facts.created.is_none() => facts.created = loose_date_time(&value),
            "Software" if facts.software.is_none() => facts.software = Some(value.trim().to_string()),
            "Description" | "Comment" if facts.description.is_none() => facts.description = Some(value.trim().to_string()),
            "XML:com.adobe.xmp" => xmp_facts(&value, facts),
            _ => {}
        }
    }
}

fn png_chunk_text(kind: &[u8], data: &[u8]) -> Option<(String, String)> {
    let nul = data.iter().position(|&b| b == 0)?;
    let keyword = String::from_utf8_lossy(&data[..nul]).into_owned();
    let rest = &data[nul + 1..];
    let inflate = |z: &[u8]| {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(z).take(1 << 20).read_to_end(&mut out).ok().map(|_| out)
    };
    let value = match kind {
        b"tEXt" => rest.iter().map(|&b| b as char).collect(),
        b"zTXt" => inflate(rest.get(1..)?)?.iter().map(|&b| b as char).collect(),
        b"iTXt" => {
            let (compressed, rest) = (*rest.first()? == 1, rest.get(2..)?);
            let lang_end = rest.iter().position(|&b| b == 0)?;
            let rest = &rest[lang_end + 1..];
            let translated_end = rest.iter().position(|&b| b == 0)?;
            let text = &rest[translated_end + 1..];
            let text = if compressed { inflate(text)? } else { text.to_vec() };
            String::from_utf8_lossy(&text).into_owned()
        }
        _ => return None,
    };
    Some((keyword, value))
}

/// A date and time as tools write PNG's "Creation Time": RFC 1123 (`Sat, 14 Nov 2026
/// 10:31:02 +0000`), ISO 8601, or EXIF style (`2026:11:14 10:31:02`).
fn loose_date_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    chrono::DateTime::parse_from_rfc2822(s)
        .map(|d| d.naive_local())
        .ok()
        .or_else(|| iso_date_time(s))
        .or_else(|| NaiveDateTime::parse_from_str(s, "%Y:%m:%d %H:%M:%S").ok())
}

/// How many images (IFDs) a TIFF holds, classic or BigTIFF; 0 when it cannot be read.
pub fn tiff_pages(bytes: &[u8]) -> u32 {
    let little = match bytes.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return 0,
    };
    let uint = |at: usize, width: usize| -> Option<u64> {
        let b = bytes.get(at..at.checked_add(width)?)?;
        let mut v = 0u64;
        for i in 0..width {
            let byte = if little { b[width - 1 - i] } else { b[i] };
            v = (v << 8) | u64::from(byte);
        }
        Some(v)
    };
    let big = uint(2, 2) == Some(43);
    let (mut next, count_width, entry_size, offset_width) = if big { (uint(8, 8), 8, 20, 8) } else { (uint(4, 4), 2, 12, 4) };
    let mut seen = std::collections::HashSet::new();
    let mut pages = 0;
    while let Some(at) = next.filter(|&o| o != 0) {
        if !seen.insert(at) || pages >= 10_000 {
            break;
        }
        let Ok(at) = usize::try_from(at) else { break };
        let Some(entries) = uint(at, count_width) else { break };
        pages += 1;
        let Some(after) =
            usize::try_from(entries).ok().and_then(|n| n.checked_mul(entry_size)).and_then(|n| n.checked_add(at + count_width))
        else {
            break;
        };
        next = uint(after, offset_width);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_and_xmp_dates_are_read_as_written() {
        let d = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(pdf_date("D:20261112093000-05'00'"), Some(d("2026-11-12 09:30:00")));
        assert_eq!(pdf_date("D:20261112"), Some(d("2026-11-12 00:00:00")));
        assert_eq!(pdf_date("D:2026"), None);
        assert_eq!(pdf_date("D:20261340"), None);
        let xmp = r#"<x:xmpmeta><rdf:Description xmp:CreateDate="2026-10-19T08:35:12-05:00">
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Overnight oximetry</rdf:li></rdf:Alt></dc:title>
            </rdf:Description></x:xmpmeta>"#;
        let mut f = Facts::default();
        xmp_facts(xmp, &mut f);
        assert_eq!(f.created, Some(d("2026-10-19 08:35:12")));
        assert_eq!(f.title.as_deref(), Some("Overnight oximetry"));
        assert_eq!(loose_date_time("Sat, 14 Nov 2026 10:31:02 +0000"), Some(d("2026-11-14 10:31:02")));
    }

    #[test]
    fn tiff_pages_are_counted_on_real_files() {
        let corpus = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/python-pillow+Pillow/Tests/images"));
        let multi = std::fs::read(corpus.join("multipage.tiff")).unwrap();
        let g4 = std::fs::read(corpus.join("g4-multi.tiff")).unwrap();
        assert_eq!(tiff_pages(&multi), 3);
        assert!(tiff_pages(&g4) >= 2);
        assert!(read("g4-multi.tiff", &g4).fax_coded, "Group 4 is fax coding");
        assert_eq!(tiff_pages(&crate::demo::fixtures::tiff_rgb(40, 50)), 1);
        assert_eq!(tiff_pages(b"II*\0\xff\xff\xff\x7f"), 0);
    }

    #[test]
    fn an_iphone_heic_photo_gives_the_day_it_was_taken() {
        let heic = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/ianare+exif-samples/heic/IMG_5195.HEIC")).unwrap();
        let f = read("IMG_5195.HEIC", &heic);
        assert_eq!((f.format, f.pages), (Some(Format::Heif), 1));
        assert_eq!(f.created, NaiveDateTime::parse_from_str("2021-04-11 15:47:53", "%Y-%m-%d %H:%M:%S").ok());
    }

    #[test]
    fn a_generated_pdf_gives_its_title_and_text() {
        let pdf = crate::demo::fixtures::pdf_with(crate::demo::fixtures::PdfOptions {
            title: Some("Notice of Denial".into()),
            ..crate::demo::fixtures::PdfOptions::text(&["# Notice of Denial\nDate: November 12, 2026", "page two"])
        });
        let f = read("x.pdf", &pdf);
        assert_eq!(f.format, Some(Format::Pdf));
        assert_eq!(f.pages, 2);
        assert_eq!(f.title.as_deref(), Some("Notice of Denial"));
        assert!(f.text.contains("November 12, 2026"), "{:?}", f.text);
        assert!(f.text.contains("page two"));
    }

    #[test]
    fn a_pdf_is_opened_as_the_build_opens_it_and_its_text_read_line_by_line() {
        // Decrypted without a password when only the owner's is set; a broken table repaired.
        let owner_only = read("x.pdf", &crate::demo::fixtures::encrypted_pdf("", "owner-secret"));
        assert!(owner_only.text.contains("readable only with the password"), "{:?}", owner_only.text);
        let repaired = read("x.pdf", &crate::demo::fixtures::broken_xref_pdf());
        assert_eq!(repaired.pages, 2);
        assert!(repaired.text.contains("Broken cross-reference fixture, page 1\nBroken cross-reference fixture, page 2"), "{repaired:?}");
        // A rotated page's lines come out as seen, each on its own line.
        let rotated = crate::demo::fixtures::rotated_pdf(&["# Notice of Denial\nMember ID: XJK-4471\nDate: November 12, 2026"], 0);
        assert_eq!(read("x.pdf", &rotated).text, "Notice of Denial\nMember ID: XJK-4471\nDate: November 12, 2026");
        // A file the build refuses says nothing about itself.
        let locked = read("x.pdf", &crate::demo::fixtures::encrypted_pdf("user-secret", "owner-secret"));
        assert_eq!((locked.pages, locked.text.as_str()), (0, ""));
    }
}
