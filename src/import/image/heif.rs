//! HEIC/HEIF photos (what iPhones take), decoded by the system's libheif.
//!
//! libheif applies the file's own rotation and mirroring (the `irot` and `imir` properties) while
//! decoding, so the pixels come out upright; the EXIF orientation inside says the same thing
//! again and is ignored, or the photo would be turned twice. Only the EXIF date is read; no
//! metadata is carried into the packet.

use ::image::{DynamicImage, RgbImage};
use chrono::NaiveDateTime;
use libheif_rs::{ColorSpace, HeifContext, HeifError, HeifErrorCode, LibHeif, RgbChroma};

use super::{check_alloc, check_pixels, metadata, not_the_format, ImageFormat, Limits};
use crate::import::Error;

/// The primary picture, upright, with the date it was taken.
pub(super) fn decode(bytes: &[u8], limits: &Limits) -> Result<(DynamicImage, Option<NaiveDateTime>), Error> {
    if bytes.get(4..8) != Some(b"ftyp") {
        return Err(not_the_format(ImageFormat::Heif, bytes));
    }
    let library = LibHeif::new();
    let context = HeifContext::read_from_bytes(bytes).map_err(heif_error)?;
    let handle = context.primary_image_handle().map_err(heif_error)?;
    // The header's size is the one before rotation; either way round it counts the same pixels.
    check_pixels(handle.width(), handle.height(), limits)?;
    // libheif's planes, its RGB copy, and ours.
    check_alloc((u64::from(handle.width()) * u64::from(handle.height())).saturating_mul(2 + 3 + 3), limits)?;
    let taken = metadata::read_heif(bytes).taken;
    let decoded = library.decode(&handle, ColorSpace::Rgb(RgbChroma::Rgb), None).map_err(heif_error)?;
    let plane = decoded.planes().interleaved.ok_or_else(damaged)?;
    let (width, height) = (plane.width, plane.height);
    let row = usize::try_from(width).map_err(|_| damaged())? * 3;
    let mut rgb = Vec::with_capacity(row * usize::try_from(height).map_err(|_| damaged())?);
    for line in plane.data.chunks(plane.stride).take(usize::try_from(height).map_err(|_| damaged())?) {
        rgb.extend_from_slice(line.get(..row).ok_or_else(damaged)?);
    }
    let picture = RgbImage::from_raw(width, height, rgb).ok_or_else(damaged)?;
    Ok((DynamicImage::ImageRgb8(picture), taken))
}

fn damaged() -> Error {
    Error::Damaged("is a damaged HEIC photo: its picture cannot be decoded; get a fresh copy, or export it from the phone as JPEG".into())
}

/// libheif's errors in the user's words.
fn heif_error(error: HeifError) -> Error {
    match error.code {
        HeifErrorCode::UnsupportedFeature | HeifErrorCode::UnsupportedFileType | HeifErrorCode::DecoderPluginError => {
            Error::Unsupported(
                "is a HEIC/HEIF file in a variant this version cannot read; export it as JPEG (on iPhone: share the photo and choose Save as JPEG, or Settings › Camera › Formats › Most Compatible) and add that copy"
                    .into(),
            )
        }
        HeifErrorCode::MemoryAllocationError => Error::TooLarge("HEIC photo is too large to decode safely".into()),
        _ => damaged(),
    }
}
