//! Decoded pixels to PDF samples: zlib-compressed colour samples and a separate soft mask.

use std::io::Write;

use ::image::{DynamicImage, ImageError};
use chrono::NaiveDateTime;
use flate2::write::ZlibEncoder;
use flate2::Compression;

use super::{ColorSpace, Encoding, ImageFormat, Limits, Orientation, Photo, PixelShape};
use crate::import::Error;

/// The `image` crate's limits for a picture whose header we already checked: exactly that size,
/// and our memory ceiling.
pub(super) fn image_limits(width: u32, height: u32, limits: &Limits) -> ::image::Limits {
    let mut image_limits = ::image::Limits::default();
    image_limits.max_image_width = Some(width);
    image_limits.max_image_height = Some(height);
    image_limits.max_alloc = Some(limits.max_alloc);
    image_limits
}

/// A decoder's error as a sentence about the file, in the user's words: the decoder's own
/// text (`Unknown(24)`, "Decode Error") means nothing to the person holding the file.
pub(super) fn describe_error(error: ImageError, format: ImageFormat) -> Error {
    let name = format.name();
    match error {
        ImageError::Limits(_) => Error::TooLarge(format!("{name} image is too large to decode safely")),
        ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Error::Truncated(format!("truncated {name}: the file ends inside the image data"))
        }
        ImageError::Unsupported(e) => Error::Unsupported(unsupported(name, e.kind())),
        _ => Error::Damaged(format!(
            "is a damaged {name}: its image data cannot be decoded; get a fresh copy from whoever sent it, or rescan the page"
        )),
    }
}

/// What a person can do about an image variant the decoder does not read.
fn unsupported(name: &str, kind: image::error::UnsupportedErrorKind) -> String {
    use image::error::UnsupportedErrorKind as Kind;
    let what = match kind {
        Kind::Color(_) => "a colour model",
        _ => "a colour model or compression",
    };
    unsupported_text(name, what)
}

/// The sentence for an image of format `name` that uses `what` (a colour model, a compression)
/// this version does not read.
pub(super) fn unsupported_text(name: &str, what: &str) -> String {
    format!(
        "is a {name} that uses {what} this version cannot read; open it in an image viewer or the scanner's software, save it as PNG or JPEG, and add that copy"
    )
}

/// Builds a losslessly compressed photo from decoded pixels. 16-bit samples stay 16-bit; a
/// greyscale picture of pure black and white (a scanned page) is packed to 1 bit per pixel.
pub(super) fn photo(picture: DynamicImage, orientation: Orientation, taken: Option<NaiveDateTime>) -> Result<Photo, Error> {
    let (width, height) = (picture.width(), picture.height());
    if width == 0 || height == 0 {
        return Err(Error::Damaged("image has no pixels".into()));
    }
    let columns = usize::try_from(width).map_err(|_| Error::TooLarge("image is too wide".into()))?;
    let (color, bits, data, mask) = match picture {
        DynamicImage::ImageLuma8(buffer) => {
            let samples = buffer.as_raw();
            if samples.iter().all(|&v| v == 0 || v == 255) {
                (ColorSpace::Gray, 1, deflate(&pack_bilevel(samples, columns))?, None)
            } else {
                (ColorSpace::Gray, 8, deflate(samples)?, None)
            }
        }
        DynamicImage::ImageLumaA8(buffer) => with_alpha_8(ColorSpace::Gray, buffer.as_raw(), 2)?,
        DynamicImage::ImageRgb8(buffer) => (ColorSpace::Rgb, 8, deflate(buffer.as_raw())?, None),
        DynamicImage::ImageRgba8(buffer) => with_alpha_8(ColorSpace::Rgb, buffer.as_raw(), 4)?,
        DynamicImage::ImageLuma16(buffer) => samples_16(ColorSpace::Gray, buffer.as_raw(), 1, false)?,
        DynamicImage::ImageLumaA16(buffer) => samples_16(ColorSpace::Gray, buffer.as_raw(), 2, true)?,
        DynamicImage::ImageRgb16(buffer) => samples_16(ColorSpace::Rgb, buffer.as_raw(), 3, false)?,
        DynamicImage::ImageRgba16(buffer) => samples_16(ColorSpace::Rgb, buffer.as_raw(), 4, true)?,
        // Floating-point TIFF: 16 bits per sample is the most PDF holds.
        DynamicImage::ImageRgb32F(buffer) => {
            let converted = DynamicImage::ImageRgb32F(buffer).into_rgb16();
            samples_16(ColorSpace::Rgb, converted.as_raw(), 3, false)?
        }
        other => {
            let converted = other.into_rgba16();
            samples_16(ColorSpace::Rgb, converted.as_raw(), 4, true)?
        }
    };
    let alpha = match mask {
        // A mask that hides nothing is left out.
        Some(mask) if mask.iter().any(|&a| a != 255) => Some(deflate(&mask)?),
        _ => None,
    };
    Ok(Photo { alpha, orientation, taken, ..flate_photo(width, height, color, bits, data) })
}

/// Builds a photo from rows already laid out as PDF wants them (1, 2, 4 or 8 bits per sample,
/// each row starting on a byte).
pub(super) fn packed_photo(width: u32, height: u32, color: ColorSpace, bits: u8, rows: &[u8]) -> Result<Photo, Error> {
    Ok(flate_photo(width, height, color, bits, deflate(rows)?))
}

/// An upright photo without mask or date whose samples are Flate-compressed `data`.
fn flate_photo(width: u32, height: u32, color: ColorSpace, bits: u8, data: Vec<u8>) -> Photo {
    Photo {
        width,
        height,
        color,
        bits_per_component: bits,
        encoding: Encoding::Flate,
        invert_cmyk: false,
        data: data.into(),
        alpha: None,
        orientation: Orientation::UPRIGHT,
        pixel: PixelShape::SQUARE,
        taken: None,
        scan: None,
    }
}

type Samples = (ColorSpace, u8, Vec<u8>, Option<Vec<u8>>);

fn with_alpha_8(color: ColorSpace, raw: &[u8], channels: usize) -> Result<Samples, Error> {
    let colors = channels - 1;
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    let mut mask = Vec::with_capacity(raw.len() / channels);
    let mut pending = Vec::with_capacity(CHUNK + channels);
    for pixel in raw.chunks_exact(channels) {
        let (samples, alpha) = pixel.split_at(colors);
        pending.extend_from_slice(samples);
        mask.extend_from_slice(alpha);
        if pending.len() >= CHUNK {
            encoder.write_all(&pending).map_err(compress_error)?;
            pending.clear();
        }
    }
    encoder.write_all(&pending).map_err(compress_error)?;
    Ok((color, 8, encoder.finish().map_err(compress_error)?, Some(mask)))
}

fn samples_16(color: ColorSpace, raw: &[u16], channels: usize, has_alpha: bool) -> Result<Samples, Error> {
    let colors = if has_alpha { channels - 1 } else { channels };
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    let mut mask = Vec::new();
    let mut pending = Vec::with_capacity(CHUNK + 2 * channels);
    for pixel in raw.chunks_exact(channels) {
        let (samples, alpha) = pixel.split_at(colors);
        // PDF samples wider than 8 bits are big-endian.
        for sample in samples {
            pending.extend_from_slice(&sample.to_be_bytes());
        }
        // The soft mask is 8-bit: transparency needs no more precision on paper.
        mask.extend(alpha.iter().map(|&a| (a >> 8) as u8));
        if pending.len() >= CHUNK {
            encoder.write_all(&pending).map_err(compress_error)?;
            pending.clear();
        }
    }
    encoder.write_all(&pending).map_err(compress_error)?;
    let mask = has_alpha.then_some(mask);
    Ok((color, 16, encoder.finish().map_err(compress_error)?, mask))
}

const CHUNK: usize = 64 * 1024;

/// Packs 0/255 greyscale to 1 bit per pixel, each row starting on a byte (PDF's layout).
fn pack_bilevel(samples: &[u8], columns: usize) -> Vec<u8> {
    let mut packed = Vec::with_capacity(samples.len().div_ceil(8));
    for row in samples.chunks(columns) {
        for eight in row.chunks(8) {
            let byte = eight.iter().enumerate().fold(0u8, |byte, (i, &v)| if v != 0 { byte | (0x80 >> i) } else { byte });
            packed.push(byte);
        }
    }
    packed
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::default());
    encoder.write_all(bytes).map_err(compress_error)?;
    encoder.finish().map_err(compress_error)
}

fn compress_error(e: std::io::Error) -> Error {
    Error::TooLarge(format!("cannot compress the image: {e}"))
}
