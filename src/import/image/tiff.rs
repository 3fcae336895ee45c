//! TIFF: finds the pages from the directory chain, then decodes each losslessly.

use std::collections::HashSet;
use std::io::Cursor;

use super::{check_alloc, check_pixels, decode, metadata, not_the_format, ImageFormat, Limits, Photo};
use crate::import::Error;

/// Which pages to open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pages {
    First,
    All,
}

/// How the file stores numbers and offsets.
#[derive(Clone, Copy, Debug)]
struct Layout {
    little_endian: bool,
    big_tiff: bool,
}

impl Layout {
    fn read(bytes: &[u8]) -> Option<Layout> {
        match bytes.get(..4)? {
            b"II*\0" => Some(Layout { little_endian: true, big_tiff: false }),
            b"MM\0*" => Some(Layout { little_endian: false, big_tiff: false }),
            b"II+\0" => Some(Layout { little_endian: true, big_tiff: true }),
            b"MM\0+" => Some(Layout { little_endian: false, big_tiff: true }),
            _ => None,
        }
    }

    /// Where the header keeps the offset of the first directory, and how wide it is.
    fn first_offset_field(&self) -> (usize, usize) {
        if self.big_tiff {
            (8, 8)
        } else {
            (4, 4)
        }
    }

    fn uint(&self, bytes: &[u8], at: u64, width: usize) -> Option<u64> {
        let at = usize::try_from(at).ok()?;
        let raw = bytes.get(at..at.checked_add(width)?)?;
        let mut value: u64 = 0;
        for i in 0..width {
            let byte = if self.little_endian { raw.get(width - 1 - i)? } else { raw.get(i)? };
            value = (value << 8) | u64::from(*byte);
        }
        Some(value)
    }

    fn encode(&self, value: u64, width: usize) -> Vec<u8> {
        let all = if self.little_endian { value.to_le_bytes() } else { value.to_be_bytes() };
        if self.little_endian {
            all.get(..width).unwrap_or_default().to_vec()
        } else {
            all.get(8 - width..).unwrap_or_default().to_vec()
        }
    }
}

/// One image directory that is a page (not a preview or mask) and what its tags declare.
#[derive(Clone, Copy, Debug)]
struct Page {
    offset: u64,
    width: u32,
    height: u32,
    samples: u64,
    bits: u64,
}

pub(super) fn open_pages(bytes: &[u8], limits: &Limits, which: Pages) -> Result<Vec<Photo>, Error> {
    let layout = Layout::read(bytes).ok_or_else(|| not_the_format(ImageFormat::Tiff, bytes))?;
    let pages = find_pages(bytes, layout, which)?;
    if pages.is_empty() {
        return Err(Error::Damaged("TIFF holds no image".into()));
    }
    let (field, width) = layout.first_offset_field();
    let first_offset = layout.uint(bytes, field as u64, width);
    let mut photos = Vec::with_capacity(pages.len());
    for page in pages {
        check_pixels(page.width, page.height, limits)?;
        let pixels = u64::from(page.width) * u64::from(page.height);
        let decoded = page.samples.clamp(1, 8) * page.bits.clamp(8, 32).div_ceil(8);
        // Floating-point samples are copied once more into 16-bit ones.
        let converted = if page.bits > 16 { 8 } else { 0 };
        // The decoded page, that copy, and the soft mask.
        check_alloc(pixels.saturating_mul(decoded + converted + 1), limits)?;
        // The `image` crate decodes the first directory only; any other page is opened by a copy
        // whose header points at that page's directory.
        let patched;
        let file = if first_offset == Some(page.offset) {
            bytes
        } else {
            let mut copy = bytes.to_vec();
            let new_offset = layout.encode(page.offset, width);
            copy.get_mut(field..field + width)
                .ok_or_else(|| Error::Truncated("truncated TIFF: no header".into()))?
                .copy_from_slice(&new_offset);
            patched = copy;
            &patched
        };
        let mut reader = ::image::ImageReader::with_format(Cursor::new(file), ::image::ImageFormat::Tiff);
        reader.limits(decode::image_limits(page.width, page.height, limits));
        let picture = reader.decode().map_err(|e| decode::describe_error(e, ImageFormat::Tiff))?;
        // The page's own Orientation tag: the patched header makes it the primary directory.
        let facts = metadata::read(file);
        photos.push(decode::photo(picture, facts.orientation, facts.taken)?);
    }
    Ok(photos)
}

/// Follows the chain of image directories and keeps those that are pages.
fn find_pages(bytes: &[u8], layout: Layout, which: Pages) -> Result<Vec<Page>, Error> {
    const NEW_SUBFILE_TYPE: u64 = 254;
    const SUBFILE_TYPE: u64 = 255;
    const WIDTH: u64 = 256;
    const HEIGHT: u64 = 257;
    const BITS_PER_SAMPLE: u64 = 258;
    const SAMPLES_PER_PIXEL: u64 = 277;
    let (field, offset_width) = layout.first_offset_field();
    let (count_width, entry_width) = if layout.big_tiff { (8, 20) } else { (2, 12) };
    let truncated = || Error::Truncated("truncated TIFF: an image directory runs past the end of the file".into());
    let mut offset = layout.uint(bytes, field as u64, offset_width).ok_or_else(truncated)?;
    let mut visited = HashSet::new();
    let mut pages = Vec::new();
    // Directories of a crafted file can overlap and make the walk quadratic; real files hold a
    // few dozen entries per directory.
    let mut entries_left: u64 = 1_000_000;
    // A corrupt chain can loop back on itself; a real file has far fewer directories.
    while offset != 0 && visited.len() < 10_000 && visited.insert(offset) {
        let count = layout.uint(bytes, offset, count_width).ok_or_else(truncated)?;
        let entries = offset + count_width as u64;
        let next_at = count.checked_mul(entry_width).and_then(|size| size.checked_add(entries)).ok_or_else(truncated)?;
        let next = layout.uint(bytes, next_at, offset_width).ok_or_else(truncated)?;
        entries_left =
            entries_left.checked_sub(count).ok_or_else(|| Error::Damaged("corrupt TIFF: too many image directory entries".into()))?;
        let (mut new_subfile, mut subfile, mut width, mut height) = (0, 0, None, None);
        let (mut samples, mut bits) = (1, 1);
        for index in 0..count {
            let entry = entries + index * entry_width;
            let tag = layout.uint(bytes, entry, 2).ok_or_else(truncated)?;
            let value = || first_value(bytes, layout, entry);
            match tag {
                NEW_SUBFILE_TYPE => new_subfile = value().unwrap_or(0),
                SUBFILE_TYPE => subfile = value().unwrap_or(0),
                WIDTH => width = value(),
                HEIGHT => height = value(),
                BITS_PER_SAMPLE => bits = value().unwrap_or(1),
                SAMPLES_PER_PIXEL => samples = value().unwrap_or(1),
                _ => {}
            }
        }
        // Bit 0 marks a reduced-resolution preview, bit 2 a transparency mask; the old
        // SubfileType 2 is a preview too. None of them is a page of the document.
        if new_subfile & 0b101 == 0 && subfile != 2 {
            let size = |value: Option<u64>| value.and_then(|v| u32::try_from(v).ok());
            let (Some(width), Some(height)) = (size(width), size(height)) else {
                return Err(Error::Damaged("corrupt TIFF: a page without a valid width or height".into()));
            };
            pages.push(Page { offset, width, height, samples, bits });
            if which == Pages::First {
                break;
            }
        }
        offset = next;
    }
    Ok(pages)
}

/// The first value of a directory entry of an unsigned integer type, inline or at its offset.
fn first_value(bytes: &[u8], layout: Layout, entry: u64) -> Option<u64> {
    let kind = layout.uint(bytes, entry + 2, 2)?;
    let size = match kind {
        1 => 1,  // BYTE
        3 => 2,  // SHORT
        4 => 4,  // LONG
        16 => 8, // LONG8
        _ => return None,
    };
    let (count, inline_at, inline_width) = if layout.big_tiff {
        (layout.uint(bytes, entry + 4, 8)?, entry + 12, 8)
    } else {
        (layout.uint(bytes, entry + 4, 4)?, entry + 8, 4)
    };
    if count == 0 {
        return None;
    }
    let at = if count.checked_mul(size)? <= inline_width { inline_at } else { layout.uint(bytes, inline_at, inline_width as usize)? };
    layout.uint(bytes, at, size as usize)
}
