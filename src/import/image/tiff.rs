//! TIFF: finds the pages from the directory chain, then decodes each losslessly.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Cursor;

use ::image::DynamicImage;
use ::tiff::decoder::{Decoder, DecodingResult};
use ::tiff::tags::Tag;
use ::tiff::{ColorType, TiffError, TiffUnsupportedError};

use super::g3::{self, GROUP_3};
use super::lzma::{self, Chunks, LZMA};
use super::retag::{self, Entry};
use super::samples::{self, Model, Pixels};
use super::{check_alloc, check_pixels, decode, metadata, not_the_format, ImageFormat, Limits, Orientation, Photo, PixelShape};
use crate::import::Error;

/// Which pages to open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pages {
    First,
    All,
}

/// How the file stores numbers and offsets.
#[derive(Clone, Copy, Debug)]
pub(super) struct Layout {
    little_endian: bool,
    pub big_tiff: bool,
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
    pub(super) fn first_offset_field(&self) -> (usize, usize) {
        if self.big_tiff {
            (8, 8)
        } else {
            (4, 4)
        }
    }

    pub(super) fn uint(&self, bytes: &[u8], at: u64, width: usize) -> Option<u64> {
        let at = usize::try_from(at).ok()?;
        let raw = bytes.get(at..at.checked_add(width)?)?;
        let mut value: u64 = 0;
        for i in 0..width {
            let byte = if self.little_endian { raw.get(width - 1 - i)? } else { raw.get(i)? };
            value = (value << 8) | u64::from(*byte);
        }
        Some(value)
    }

    pub(super) fn encode(&self, value: u64, width: usize) -> Vec<u8> {
        let all = if self.little_endian { value.to_le_bytes() } else { value.to_be_bytes() };
        if self.little_endian {
            all.get(..width).unwrap_or_default().to_vec()
        } else {
            all.get(8 - width..).unwrap_or_default().to_vec()
        }
    }
}

/// One image directory that is a page (not a preview or mask) and what its tags declare.
#[derive(Clone, Copy, Debug, Default)]
struct Page {
    offset: u64,
    width: u32,
    height: u32,
    samples: u64,
    bits: u64,
    photometric: u64,
    compression: u64,
    /// Where the Photometric entry sits, to patch it in a copy.
    photometric_entry: Option<u64>,
    /// Old-style JPEG: where its JPEG stream starts and, when the file says, how long it is.
    jpeg_at: Option<u64>,
    jpeg_length: Option<u64>,
    /// Each sample in a plane of its own (PlanarConfiguration 2).
    planar: bool,
    tiled: bool,
    predictor: u64,
    sample_format: u64,
    /// Where the strips or tiles are listed.
    chunks: Chunks,
    /// How a Group 3 fax page is coded.
    fax: g3::Coding,
}

impl Page {
    /// Grey or RGB samples of 9 to 15 bits (12-bit scanners and cameras) in strips: the crate
    /// takes no such depth, so it is handed their rows as bytes and they are unpacked here.
    fn odd_wide(&self) -> bool {
        (9..=15).contains(&self.bits)
            && matches!(self.samples, 1 | 3)
            && !self.tiled
            && !self.planar
            && self.predictor <= 1
            && self.sample_format <= 1
            && (self.photometric_entry.is_none() || matches!(self.photometric, 1 | 2))
    }

    /// The bytes of one row of an `odd_wide` page.
    fn packed_row(&self) -> u64 {
        (u64::from(self.width) * self.samples * self.bits).div_ceil(8)
    }
}

const PALETTE: u64 = 3;
const CIELAB: u64 = 8;
const OLD_JPEG: u64 = 6;

pub(super) fn open_pages(bytes: &[u8], limits: &Limits, which: Pages) -> Result<Vec<Photo>, Error> {
    let mut photos = Vec::new();
    for (page, decoded, facts) in decoded_pages(bytes, limits, which)? {
        let mut photo = match decoded? {
            Decoded::Jpeg(photo) => photo,
            Decoded::Pixels(Pixels::Image(picture)) => decode::photo(picture, facts.orientation, facts.taken)?,
            Decoded::Pixels(Pixels::Packed { color, bits, rows }) => decode::packed_photo(page.width, page.height, color, bits, &rows)?,
        };
        photo.orientation = facts.orientation;
        photo.pixel = facts.pixel;
        photo.taken = facts.taken;
        photos.push(photo);
    }
    Ok(photos)
}

/// Each page's resolution (pixels per inch across and down) where its directory gives one, in
/// the order [`open_pages`] returns the pages; no page is decoded.
pub(super) fn resolutions(bytes: &[u8], limits: &Limits) -> Result<Vec<Option<(f64, f64)>>, Error> {
    let layout = Layout::read(bytes).ok_or_else(|| not_the_format(ImageFormat::Tiff, bytes))?;
    let pages = find_pages(bytes, layout, Pages::All)?;
    Ok(pages.iter().map(|page| page_file(bytes, layout, page, limits).ok().and_then(|file| metadata::read(&file).resolution)).collect())
}

/// The first page as a picture, for a preview, as stored, with its pixels' shape and its
/// orientation.
pub(super) fn first_picture(bytes: &[u8], limits: &Limits) -> Result<(DynamicImage, PixelShape, Orientation), Error> {
    let (page, decoded, facts) = decoded_pages(bytes, limits, Pages::First)?.next().ok_or_else(no_image)?;
    let damaged = || Error::Damaged("is a damaged TIFF: no preview can be made of it; get a fresh copy".into());
    let picture = match decoded? {
        Decoded::Jpeg(photo) => ::image::load_from_memory_with_format(&photo.data, ::image::ImageFormat::Jpeg).map_err(|_| damaged())?,
        Decoded::Pixels(pixels) => pixels.into_image(page.width, page.height).ok_or_else(damaged)?,
    };
    Ok((picture, facts.pixel, facts.orientation))
}

/// A page as it comes out of the file: a whole JPEG to carry as it is, or decoded pixels.
enum Decoded {
    Jpeg(Photo),
    Pixels(Pixels),
}

/// Each page, decoded one at a time as the caller asks for the next (a fax of many pages is
/// never held decoded all at once), with the facts of its own directory.
fn decoded_pages<'a>(
    bytes: &'a [u8],
    limits: &'a Limits,
    which: Pages,
) -> Result<impl Iterator<Item = (Page, Result<Decoded, Error>, metadata::ExifFacts)> + 'a, Error> {
    let layout = Layout::read(bytes).ok_or_else(|| not_the_format(ImageFormat::Tiff, bytes))?;
    let pages = find_pages(bytes, layout, which)?;
    if pages.is_empty() {
        return Err(no_image());
    }
    Ok(pages.into_iter().map(move |page| {
        let file = page_file(bytes, layout, &page, limits);
        // The page's own Orientation tag: the patched header makes it the primary directory.
        let facts = file.as_ref().map(|file| metadata::read(file)).unwrap_or_default();
        (page, file.and_then(|file| decode_one(&file, &page, limits)), facts)
    }))
}

fn decode_one(file: &[u8], page: &Page, limits: &Limits) -> Result<Decoded, Error> {
    check_pixels(page.width, page.height, limits)?;
    let pixels = u64::from(page.width) * u64::from(page.height);
    let decoded = page.samples.clamp(1, 8) * page.bits.clamp(8, 64).div_ceil(8);
    // The decoded samples, their 16-bit (or RGB) copy and the soft mask.
    check_alloc(pixels.saturating_mul(decoded + 8 + 1), limits)?;
    if page.compression == OLD_JPEG {
        return old_jpeg(file, page, limits).map(Decoded::Jpeg);
    }
    decode_page(file, page, limits).map(Decoded::Pixels)
}

fn no_image() -> Error {
    Error::Damaged("TIFF holds no image".into())
}

/// The file as the decoder is to read one page of it: the `tiff` crate reads the first
/// directory, so for any other page a copy's header points at that page's directory. Palette
/// and CIELab pages are marked as plain grey samples in the copy, since the crate refuses to
/// hand over their samples; `samples` gives them their colours. A page the crate would refuse
/// for its tags alone is read from a copy whose directory says what the crate reads (`fixes`).
fn page_file<'a>(bytes: &'a [u8], layout: Layout, page: &Page, limits: &Limits) -> Result<Cow<'a, [u8]>, Error> {
    let (field, width) = layout.first_offset_field();
    let recolour = matches!(page.photometric, PALETTE | CIELAB);
    let mut fixes = fixes(layout, page);
    let decompress = matches!(page.compression, LZMA | GROUP_3);
    if layout.uint(bytes, field as u64, width) == Some(page.offset) && !recolour && fixes.is_empty() && !decompress {
        return Ok(Cow::Borrowed(bytes));
    }
    let no_header = || Error::Truncated("truncated TIFF: no header".into());
    let mut copy = bytes.to_vec();
    copy.get_mut(field..field + width).ok_or_else(no_header)?.copy_from_slice(&layout.encode(page.offset, width));
    if let (true, Some(entry)) = (recolour, page.photometric_entry) {
        // BlackIsZero, written as wide as the entry's type (SHORT or LONG) and inline.
        let size = match layout.uint(bytes, entry + 2, 2) {
            Some(4) => 4,
            _ => 2,
        };
        let at = usize::try_from(entry).map_err(|_| no_header())? + if layout.big_tiff { 12 } else { 8 };
        copy.get_mut(at..at + size).ok_or_else(no_header)?.copy_from_slice(&layout.encode(1, size));
    }
    if page.compression == LZMA {
        check_pixels(page.width, page.height, limits)?;
        copy.resize(copy.len().next_multiple_of(2), 0);
        let (data, entries) = lzma::decompressed(bytes, layout, page.chunks, copy.len() as u64, limits.max_alloc)?;
        copy.extend(data);
        fixes.extend(entries);
    }
    if page.compression == GROUP_3 {
        check_pixels(page.width, page.height, limits)?;
        let at = (copy.len() as u64, limits.max_alloc);
        let (data, entries) = g3::decompressed(bytes, layout, page.chunks, (page.width, page.height), page.fax, at)?;
        copy.extend(data);
        fixes.extend(entries);
    }
    if !fixes.is_empty() {
        copy = retag::rewritten(&copy, layout, page.offset, fixes)
            .ok_or_else(|| Error::Truncated("truncated TIFF: an image directory runs past the end of the file".into()))?;
    }
    Ok(Cow::Owned(copy))
}

/// What a page's directory must say for the crate to read it. A page without a Photometric
/// tag is taken as libtiff takes it: a fax (CCITT compression) as WhiteIsZero, three or four
/// samples as RGB, anything else as BlackIsZero. An `odd_wide` page is described as one 8-bit
/// sample per byte of its rows.
fn fixes(layout: Layout, page: &Page) -> Vec<Entry> {
    const WIDTH: u16 = 256;
    const BITS_PER_SAMPLE: u16 = 258;
    const PHOTOMETRIC: u16 = 262;
    const SAMPLES_PER_PIXEL: u16 = 277;
    if page.odd_wide() {
        let Ok(row) = u32::try_from(page.packed_row()) else { return Vec::new() };
        return vec![
            Entry::long(layout, WIDTH, row),
            Entry::short(layout, BITS_PER_SAMPLE, 8),
            Entry::short(layout, SAMPLES_PER_PIXEL, 1),
            Entry::short(layout, PHOTOMETRIC, 1),
        ];
    }
    if page.photometric_entry.is_some() {
        return Vec::new();
    }
    let photometric = match (page.compression, page.samples) {
        (2..=4, _) => 0,
        (_, 3 | 4) => 2,
        _ => 1,
    };
    vec![Entry::short(layout, PHOTOMETRIC, photometric)]
}

/// Decodes one page with the `tiff` crate, under the memory ceiling.
fn decode_page(file: &[u8], page: &Page, limits: &Limits) -> Result<Pixels, Error> {
    let mut tiff_limits = ::tiff::decoder::Limits::default();
    tiff_limits.decoding_buffer_size = usize::try_from(limits.max_alloc).unwrap_or(usize::MAX);
    tiff_limits.intermediate_buffer_size = tiff_limits.decoding_buffer_size;
    let mut decoder = Decoder::new(Cursor::new(file)).map_err(tiff_error)?.with_limits(tiff_limits);
    let (width, height) = decoder.dimensions().map_err(tiff_error)?;
    if page.odd_wide() {
        let rows = decoder.read_image().map_err(tiff_error)?;
        let model = if page.samples == 3 { Model::Rgb } else { Model::Gray { bits: 16 } };
        let wide = samples::unpack_wide(rows, page.width, page.samples, page.bits).ok_or_else(mismatched)?;
        return samples::pixels(page.width, height, &model, wide).ok_or_else(mismatched);
    }
    let model = model(&mut decoder, page)?;
    let samples = if page.planar && page.samples > 1 {
        planar_samples(&mut decoder, (width, height), page.samples)?
    } else {
        decoder.read_image().map_err(tiff_error)?
    };
    samples::pixels(width, height, &model, samples).ok_or_else(mismatched)
}

fn mismatched() -> Error {
    Error::Damaged("is a damaged TIFF: its image data does not match what its tags declare; get a fresh copy, or rescan the page".into())
}

/// A page whose samples are stored plane by plane (all reds, then all greens…), read chunk by
/// chunk and interleaved: the crate's whole-image read takes only the first plane (or trips
/// over its own assertion), and it sizes every tile of a later plane as a whole tile.
fn planar_samples(decoder: &mut Decoder<Cursor<&[u8]>>, (width, height): (u32, u32), planes: u64) -> Result<DecodingResult, Error> {
    let bits = decoder.colortype().map_err(tiff_error)?.bit_depth();
    if bits % 8 != 0 {
        return Err(Error::Unsupported(decode::unsupported_text("TIFF", "a layout (colours stored in separate planes)")));
    }
    let (size, planes) = (usize::from(bits / 8), usize::try_from(planes).map_err(|_| mismatched())?);
    let (w, h) = (width as usize, height as usize);
    let (tile_w, tile_h) = decoder.chunk_dimensions();
    let across = width.div_ceil(tile_w.max(1));
    let per_plane = across * height.div_ceil(tile_h.max(1));
    let mut out = vec![0u8; w * h * planes * size];
    let mut kind = None;
    for plane in 0..planes {
        for chunk in 0..per_plane {
            let (chunk_w, chunk_h) = decoder.chunk_data_dimensions(chunk);
            let index = u32::try_from(plane).ok().and_then(|p| p.checked_mul(per_plane)?.checked_add(chunk)).ok_or_else(mismatched)?;
            let mut decoded = decoder.read_chunk(index).map_err(tiff_error)?;
            let (x0, y0) = ((chunk % across * tile_w) as usize, (chunk / across * tile_h) as usize);
            let buffer = decoded.as_buffer(0);
            let bytes = buffer.as_bytes();
            for row in 0..chunk_h as usize {
                for col in 0..chunk_w as usize {
                    let from = (row * chunk_w as usize + col) * size;
                    let to = (((y0 + row) * w + x0 + col) * planes + plane) * size;
                    let source = bytes.get(from..from + size).ok_or_else(mismatched)?;
                    out.get_mut(to..to + size).ok_or_else(mismatched)?.copy_from_slice(source);
                }
            }
            kind = Some(decoded);
        }
    }
    samples::from_native_bytes(kind.as_ref().ok_or_else(mismatched)?, out).ok_or_else(mismatched)
}

/// What the page's samples mean, from its photometric tag and the layout the decoder found.
fn model(decoder: &mut Decoder<Cursor<&[u8]>>, page: &Page) -> Result<Model, Error> {
    let colour = decoder.colortype().map_err(tiff_error)?;
    let unsupported = || Error::Unsupported(decode::unsupported_text("TIFF", "a colour model"));
    Ok(match (page.photometric, colour) {
        (PALETTE, ColorType::Gray(bits @ (1 | 2 | 4 | 8))) => {
            let map = decoder
                .get_tag_u16_vec(Tag::ColorMap)
                .map_err(|_| Error::Damaged("is a damaged TIFF: its palette page has no colour map; get a fresh copy".into()))?;
            Model::Palette { bits, map }
        }
        (CIELAB, ColorType::Multiband { bit_depth: 8 | 16, num_samples: 3 }) => Model::CieLab,
        (PALETTE | CIELAB, _) => return Err(unsupported()),
        (_, ColorType::Gray(bits @ (1 | 2 | 4 | 8 | 16 | 32 | 64))) => Model::Gray { bits },
        (_, ColorType::GrayA(_) | ColorType::Multiband { num_samples: 2, .. }) => Model::GrayAlpha,
        (_, ColorType::RGB(_)) => Model::Rgb,
        (_, ColorType::RGBA(_)) => Model::Rgba,
        (_, ColorType::CMYK(_)) => Model::Cmyk,
        (_, ColorType::CMYKA(_)) => Model::CmykAlpha,
        (_, ColorType::YCbCr(8)) => Model::YCbCr,
        (_, ColorType::Lab(8 | 16)) => Model::IccLab,
        _ => return Err(unsupported()),
    })
}

/// Old-style JPEG-in-TIFF (compression 6): the page is a whole JPEG stream inside the file,
/// carried as it is like any JPEG. Files whose stream is split over strips with tables kept
/// apart are refused with what to do.
fn old_jpeg(file: &[u8], page: &Page, limits: &Limits) -> Result<Photo, Error> {
    let refuse = || {
        Error::Unsupported(
            "is a TIFF in the old JPEG layout that this version cannot read; open it in an image viewer or the scanner's software, save it as PDF, PNG or JPEG, and add that copy"
                .into(),
        )
    };
    let start = page.jpeg_at.and_then(|at| usize::try_from(at).ok()).ok_or_else(refuse)?;
    let end = page.jpeg_length.and_then(|n| usize::try_from(n).ok()).and_then(|n| start.checked_add(n)).unwrap_or(file.len());
    let stream = file.get(start..end.min(file.len())).ok_or_else(|| Error::Truncated("truncated TIFF: its JPEG data is missing".into()))?;
    if !stream.starts_with(&[0xFF, 0xD8]) {
        return Err(refuse());
    }
    // Its scan's end lies in the embedded JPEG, not in the file: nothing a verdict keeps.
    super::jpeg::open(stream, limits).map(|photo| Photo { scan: None, ..photo })
}

/// The `tiff` crate's errors in the user's words.
fn tiff_error(error: TiffError) -> Error {
    match error {
        TiffError::LimitsExceeded => Error::TooLarge("TIFF image is too large to decode safely".into()),
        TiffError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Error::Truncated("truncated TIFF: the file ends inside the image data".into())
        }
        TiffError::UnsupportedError(
            TiffUnsupportedError::UnsupportedCompressionMethod(_) | TiffUnsupportedError::UnknownCompressionMethod,
        ) => Error::Unsupported(decode::unsupported_text("TIFF", "a compression")),
        TiffError::UnsupportedError(_) => Error::Unsupported(decode::unsupported_text("TIFF", "a colour model or compression")),
        _ => Error::Damaged(
            "is a damaged TIFF: its image data cannot be decoded; get a fresh copy from whoever sent it, or rescan the page".into(),
        ),
    }
}

/// Follows the chain of image directories and keeps those that are pages.
fn find_pages(bytes: &[u8], layout: Layout, which: Pages) -> Result<Vec<Page>, Error> {
    const NEW_SUBFILE_TYPE: u64 = 254;
    const SUBFILE_TYPE: u64 = 255;
    const WIDTH: u64 = 256;
    const HEIGHT: u64 = 257;
    const BITS_PER_SAMPLE: u64 = 258;
    const COMPRESSION: u64 = 259;
    const PHOTOMETRIC: u64 = 262;
    const SAMPLES_PER_PIXEL: u64 = 277;
    const PLANAR: u64 = 284;
    const PREDICTOR: u64 = 317;
    const TILE_WIDTH: u64 = 322;
    const SAMPLE_FORMAT: u64 = 339;
    const STRIP_OFFSETS: u64 = 273;
    const STRIP_BYTE_COUNTS: u64 = 279;
    const TILE_OFFSETS: u64 = 324;
    const TILE_BYTE_COUNTS: u64 = 325;
    const JPEG_AT: u64 = 513;
    const JPEG_LENGTH: u64 = 514;
    const ROWS_PER_STRIP: u64 = 278;
    const FILL_ORDER: u64 = 266;
    const T4_OPTIONS: u64 = 292;
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
        let mut page = Page { offset, samples: 1, bits: 1, compression: 1, ..Page::default() };
        for index in 0..count {
            let entry = entries + index * entry_width;
            let tag = layout.uint(bytes, entry, 2).ok_or_else(truncated)?;
            let value = || first_value(bytes, layout, entry);
            match tag {
                NEW_SUBFILE_TYPE => new_subfile = value().unwrap_or(0),
                SUBFILE_TYPE => subfile = value().unwrap_or(0),
                WIDTH => width = value(),
                HEIGHT => height = value(),
                BITS_PER_SAMPLE => page.bits = value().unwrap_or(1),
                SAMPLES_PER_PIXEL => page.samples = value().unwrap_or(1),
                COMPRESSION => page.compression = value().unwrap_or(1),
                PHOTOMETRIC => {
                    page.photometric = value().unwrap_or(0);
                    page.photometric_entry = Some(entry);
                }
                PLANAR => page.planar = value() == Some(2),
                PREDICTOR => page.predictor = value().unwrap_or(1),
                TILE_WIDTH => page.tiled = true,
                STRIP_OFFSETS => page.chunks.offsets = entry,
                TILE_OFFSETS => page.chunks = Chunks { offsets: entry, tiles: true, ..page.chunks },
                STRIP_BYTE_COUNTS | TILE_BYTE_COUNTS => page.chunks.counts = entry,
                SAMPLE_FORMAT => page.sample_format = value().unwrap_or(1),
                JPEG_AT => page.jpeg_at = value(),
                JPEG_LENGTH => page.jpeg_length = value(),
                ROWS_PER_STRIP => page.fax.rows_per_strip = value(),
                FILL_ORDER => page.fax.fill_order = value().unwrap_or(1),
                T4_OPTIONS => page.fax.t4_options = value().unwrap_or(0),
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
            pages.push(Page { width, height, ..page });
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
    entry_values(bytes, layout, entry, 1)?.first().copied()
}

/// Every value of a directory entry of an unsigned integer type (a strip's offsets).
pub(super) fn values(bytes: &[u8], layout: Layout, entry: u64) -> Option<Vec<u64>> {
    entry_values(bytes, layout, entry, u64::MAX)
}

fn entry_values(bytes: &[u8], layout: Layout, entry: u64, most: u64) -> Option<Vec<u64>> {
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
    if count == 0 || count.checked_mul(size)? > bytes.len() as u64 {
        return None;
    }
    let at = if count * size <= inline_width { inline_at } else { layout.uint(bytes, inline_at, inline_width as usize)? };
    (0..count.min(most)).map(|i| layout.uint(bytes, at + i * size, size as usize)).collect()
}
