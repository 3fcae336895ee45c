//! Reading the words of every page of a notice file: a PDF page's own text where it has it, and
//! otherwise Tesseract's reading of the page's picture. Tesseract is run as a process
//! (`tesseract.rs`), the only program the engine runs; `picture.rs` makes the upright grey
//! picture of a JPEG, PNG, TIFF or HEIC page, `pdfpage.rs` that of a scanned PDF page.
//!
//! Boxes are in the page's own units from its top-left as a person sees it: points for a PDF
//! page, the upright picture's pixels for an image (a fax's pixels made square).

pub(crate) mod pdfpage;
pub(crate) mod picture;
mod tesseract;

pub use tesseract::{parse_tsv, Tesseract};

use crate::import::{self, Format};
use crate::words::PageWords;
use picture::Picture;

#[cfg(test)]
mod tests;

/// Why the words of a page could not be read, in a sentence for the person holding the file.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("Reading scanned pages needs Tesseract: on Debian or Ubuntu install tesseract-ocr and tesseract-ocr-eng")]
    Missing,
    #[error("Reading scanned pages needs Tesseract's English data: on Debian or Ubuntu install tesseract-ocr-eng")]
    NoEnglish,
    #[error("Tesseract is installed but could not be started; check that it runs from a terminal (tesseract --version)")]
    CannotStart,
    #[error("Tesseract failed while reading the page ({}); try again, or rescan the page", exit(*status))]
    Failed { status: Option<i32> },
    #[error("Tesseract took longer than {seconds} seconds on one page and was stopped; rescan the page at 300 dpi or less")]
    TimedOut { seconds: u64 },
    #[error("Tesseract's output could not be read; check that the installed Tesseract is version 4 or later")]
    Unreadable,
    #[error("the page could not be handed to Tesseract: the temporary folder cannot be written")]
    Scratch,
    /// The file cannot be opened or is not what its name says.
    #[error("{file} {why}")]
    File { file: String, why: import::Error },
    /// One page's picture cannot be read.
    #[error("{file}, page {page}, {why}")]
    Page { file: String, page: u32, why: String },
    /// A text file: there is no page to read.
    #[error("{file} is a text file, not a picture or PDF of a letter; add the letter itself (a PDF, scan or photo)")]
    NotAPage { file: String },
    /// A page asked for that the file does not have.
    #[error("{file} has no page {page}: it has {pages}")]
    NoSuchPage { file: String, page: u32, pages: usize },
    /// A PDF page that draws no picture: its own text is read as it is (or it is blank).
    #[error("{file}, page {page}, is not a scan: it draws no picture, so its own text is read as it is")]
    NoPicture { file: String, page: u32 },
}

fn exit(status: Option<i32>) -> String {
    match status {
        Some(code) => format!("exit status {code}"),
        None => "stopped by a signal".to_string(),
    }
}

/// The grey pixels (0 black) of a PDF image XObject as stored, first row at the top: DCT, Flate,
/// LZW or raw samples of 1 to 16 bits in grey, RGB, CMYK, ICC-based or indexed colour, and CCITT
/// Group 4 or one-dimensional Group 3 faxes, within the decoded-image limit. The error names
/// an encoding Redress does not decode, or is a phrase about the page.
pub(crate) fn xobject_grey(doc: &lopdf::Document, image: &lopdf::Stream) -> Result<image::GrayImage, pdfpage::Undecoded> {
    pdfpage::decode(doc, image).map(|(grey, _)| grey)
}

/// The grey pixels of a picture `import::image` opened (a TIFF page, a HEIC photo, a JPEG), as
/// stored: its orientation not applied.
pub fn photo_grey(photo: &import::image::Photo) -> Result<image::GrayImage, import::Error> {
    picture::photo_grey(photo, &import::image::Limits::default())
}

/// A PDF page with at least this many words of its own text is read from its text; one with
/// fewer that draws an image (a scan with a fax machine's header line) is read by OCR.
const TEXT_PAGE_WORDS: usize = 5;

/// The words of every page of the file `name` (its name says what it is, and its content must
/// agree): a PDF page with its own text is read from it; a scanned PDF page, a photo or scan
/// (JPEG, PNG, TIFF, every page, HEIC) by Tesseract. A page with nothing on it has no words.
pub fn read_pages(name: &str, bytes: &[u8], ocr: &Tesseract) -> Result<Vec<PageWords>, OcrError> {
    match format(name, bytes)? {
        Format::Pdf => {
            let pdf = open_pdf(name, bytes)?;
            let mut pages = Vec::with_capacity(pdf.all_pages.len());
            for (i, id) in pdf.all_pages.iter().enumerate() {
                let number = i as u32 + 1;
                let text = import::textlayer::page_words(&pdf.doc, *id, number).map_err(|why| OcrError::File { file: name.into(), why })?;
                if text.words.len() >= TEXT_PAGE_WORDS {
                    pages.push(text);
                    continue;
                }
                pages.push(match pdf_picture(name, &pdf.doc, *id, number)? {
                    Some(picture) => read_picture(ocr, &picture, number)?,
                    None => text,
                });
            }
            Ok(pages)
        }
        format => {
            let pictures = image_pictures(name, bytes, format)?;
            pictures.iter().zip(1..).map(|(picture, number)| read_picture(ocr, picture, number)).collect()
        }
    }
}

/// The picture Tesseract reads for page `page` (from 1) of the file, upright, as a PNG no larger
/// than `max_side` pixels on its longer side: for the app to show a page with the boxes of what
/// was found on it (a box's units times the PNG's width over the page's width).
pub fn upright_png(name: &str, bytes: &[u8], page: u32, max_side: u32) -> Result<Vec<u8>, OcrError> {
    let picture = match format(name, bytes)? {
        Format::Pdf => {
            let pdf = open_pdf(name, bytes)?;
            let pages = pdf.all_pages.len();
            let id = *pdf.all_pages.get((page as usize).wrapping_sub(1)).ok_or(OcrError::NoSuchPage { file: name.into(), page, pages })?;
            pdf_picture(name, &pdf.doc, id, page)?.ok_or(OcrError::NoPicture { file: name.into(), page })?
        }
        format => {
            let mut pictures = image_pictures(name, bytes, format)?;
            let pages = pictures.len();
            if page == 0 || page as usize > pages {
                return Err(OcrError::NoSuchPage { file: name.into(), page, pages });
            }
            pictures.swap_remove(page as usize - 1)
        }
    };
    let side = max_side.max(1);
    let image = if picture.image.width().max(picture.image.height()) > side {
        image::DynamicImage::ImageLuma8(picture.image).thumbnail(side, side).into_luma8()
    } else {
        picture.image
    };
    let mut png = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(|_| OcrError::Scratch)?;
    Ok(png)
}

fn format(name: &str, bytes: &[u8]) -> Result<Format, OcrError> {
    match import::detect(name, bytes).map_err(|why| OcrError::File { file: name.into(), why })? {
        Format::Text | Format::Markdown => Err(OcrError::NotAPage { file: name.into() }),
        format => Ok(format),
    }
}

fn open_pdf(name: &str, bytes: &[u8]) -> Result<import::pdf::SourcePdf, OcrError> {
    import::pdf::open(bytes, None).map_err(|why| OcrError::File { file: name.into(), why })
}

fn image_pictures(name: &str, bytes: &[u8], format: Format) -> Result<Vec<Picture>, OcrError> {
    let kind = format.image().ok_or_else(|| OcrError::NotAPage { file: name.into() })?;
    picture::image_pages(bytes, kind).map_err(|why| OcrError::File { file: name.into(), why })
}

/// The picture of a PDF page to read by OCR: `None` for a page that draws no image.
fn pdf_picture(name: &str, doc: &lopdf::Document, id: lopdf::ObjectId, page: u32) -> Result<Option<Picture>, OcrError> {
    pdfpage::scanned_page(doc, id).map_err(|why| OcrError::Page { file: name.into(), page, why })
}

/// Tesseract's words of one picture, their boxes in the page's units.
pub(crate) fn read_picture(ocr: &Tesseract, picture: &Picture, page: u32) -> Result<PageWords, OcrError> {
    let mut words = ocr.read(&picture.image, page)?;
    let per_unit = picture.per_unit();
    for word in &mut words.words {
        let r = &mut word.rect;
        (r.x, r.y, r.w, r.h) = (r.x / per_unit, r.y / per_unit, r.w / per_unit, r.h / per_unit);
    }
    (words.width, words.height) = picture.size;
    Ok(words)
}
