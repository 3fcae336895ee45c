//! HEIC/HEIF photos (what iPhones take), decoded by the system's libheif.
//!
//! libheif applies the file's own rotation and mirroring (the `irot` and `imir` properties) while
//! decoding, so the pixels come out upright; the EXIF orientation inside says the same thing
//! again and is ignored, or the photo would be turned twice. Only the EXIF date is read; no
//! metadata is carried into the packet.

use ::image::{DynamicImage, RgbImage};
use chrono::NaiveDateTime;
use libheif_rs::{ColorSpace, HeifContext, HeifError, HeifErrorCode, LibHeif, Plane, RgbChroma};

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
    check_pixels(handle.width(), handle.height(), limits)?;
    // libheif's planes, its RGB copy, and ours.
    check_alloc((u64::from(handle.width()) * u64::from(handle.height())).saturating_mul(2 + 3 + 3), limits)?;
    let taken = metadata::read_heif(bytes).taken;
    let decoded = library.decode(&handle, ColorSpace::Rgb(RgbChroma::Rgb), None).map_err(heif_error)?;
    let picture = rgb(decoded.planes().interleaved.ok_or_else(damaged)?).ok_or_else(damaged)?;
    Ok((DynamicImage::ImageRgb8(picture), taken))
}

/// libheif's interleaved RGB rows, whose stride may run past the picture's width.
fn rgb(plane: Plane<&[u8]>) -> Option<RgbImage> {
    let row = usize::try_from(plane.width).ok()?.checked_mul(3)?;
    let rows = usize::try_from(plane.height).ok()?;
    let mut rgb = Vec::with_capacity(row.checked_mul(rows)?);
    for line in plane.data.chunks(plane.stride.max(1)).take(rows) {
        rgb.extend_from_slice(line.get(..row)?);
    }
    RgbImage::from_raw(plane.width, plane.height, rgb)
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
