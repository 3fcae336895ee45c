//! Downsampling and recompressing a photo, used only when a packet must fit a size budget.

use super::{heif, open, ColorSpace, Encoding, ImageFormat, Limits, Orientation, Photo, PixelShape};
use crate::import::Error;
use image::{DynamicImage, GenericImageView, ImageReader};
use std::io::Cursor;

/// How a decoded HEIC photo is stored: as a JPEG of this quality, what a phone's "Most
/// Compatible" setting would have written; stored losslessly, a 12-megapixel photo would weigh
/// several times as much for no difference on paper.
const HEIF_QUALITY: u8 = 90;

/// A HEIC photo, decoded upright and stored as a JPEG at its full size.
pub(super) fn heif_photo(bytes: &[u8], limits: &Limits) -> Result<Photo, Error> {
    let (picture, taken) = heif::decode(bytes, limits)?;
    jpeg_photo(picture, false, HEIF_QUALITY, (Orientation::UPRIGHT, PixelShape::SQUARE), taken)
}

/// The photo with its longer side at most `long_edge` pixels, stored as a JPEG of `quality`
/// (1–100). The orientation is kept (applied at placement, as for any photo); transparency is
/// flattened onto white. TIFFs are returned as they are: they are scans and faxes, not photos.
pub fn recompress(bytes: &[u8], format: ImageFormat, limits: &Limits, long_edge: u32, quality: u8) -> Result<Photo, Error> {
    // Opening first applies every check (truncation, size, content) and reads the orientation.
    let original = open(bytes, format, limits)?;
    let (w, h) = (original.width, original.height);
    if format == ImageFormat::Tiff || (w.max(h) <= long_edge && format == ImageFormat::Jpeg && quality >= 85) {
        return Ok(original);
    }
    shrink_opened(bytes, &original, format, limits, long_edge, quality)
}

/// [`recompress`] of a photo already opened (`original`, from `bytes`): a JPEG or a HEIC
/// (stored upright as a JPEG when opened) is decoded from the opened JPEG, a PNG from its file.
pub fn shrink_opened(
    bytes: &[u8],
    original: &Photo,
    format: ImageFormat,
    limits: &Limits,
    long_edge: u32,
    quality: u8,
) -> Result<Photo, Error> {
    let (data, fmt) = match (format, original.encoding) {
        (ImageFormat::Tiff, _) => return Ok(original.clone()),
        (_, Encoding::Dct) => (&original.data[..], image::ImageFormat::Jpeg),
        _ => (bytes, image::ImageFormat::Png),
    };
    let mut reader = ImageReader::with_format(Cursor::new(data), fmt);
    let mut l = image::Limits::default();
    l.max_alloc = Some(limits.max_alloc);
    reader.limits(l);
    let img = reader
        .decode()
        .map_err(|_| Error::Damaged("is damaged: its image data cannot be decoded to make it smaller; get a fresh copy".to_string()))?;
    let gray = matches!(original.color, ColorSpace::Gray);
    let small = smaller(flatten(img), long_edge);
    // Its pixels keep the original's shape and span more of the file's, so its page shows it
    // as before.
    let pixel = original.pixel.resampled(original.width, small.width());
    jpeg_photo(small, gray, quality, (original.orientation, pixel), original.taken)
}

/// The picture with its longer side at most `long_edge` pixels.
fn smaller(img: DynamicImage, long_edge: u32) -> DynamicImage {
    let (w, h) = img.dimensions();
    let scale = (long_edge as f64 / w.max(h) as f64).min(1.0);
    let (nw, nh) = (((w as f64 * scale).round() as u32).max(1), ((h as f64 * scale).round() as u32).max(1));
    if scale < 1.0 {
        super::resample::resize(&img, nw, nh, image::imageops::FilterType::Triangle)
    } else {
        img
    }
}

/// Encodes decoded pixels as a baseline JPEG photo.
fn jpeg_photo(
    img: DynamicImage,
    gray: bool,
    quality: u8,
    (orientation, pixel): (Orientation, PixelShape),
    taken: Option<chrono::NaiveDateTime>,
) -> Result<Photo, Error> {
    let (width, height) = img.dimensions();
    let data = encode_jpeg(&img, gray, quality)
        .map_err(|_| Error::Unsupported("cannot be recompressed to make it smaller; save it as JPEG and add that copy".to_string()))?;
    Ok(Photo {
        width,
        height,
        color: if gray { ColorSpace::Gray } else { ColorSpace::Rgb },
        bits_per_component: 8,
        encoding: Encoding::Dct,
        invert_cmyk: false,
        data: data.into(),
        alpha: None,
        orientation,
        pixel,
        taken,
        scan: None,
    })
}

/// Pixels as a baseline JPEG of `quality` (1–100), grey or colour; the same pixels always
/// give the same bytes.
pub fn encode_jpeg(img: &DynamicImage, gray: bool, quality: u8) -> image::ImageResult<Vec<u8>> {
    let mut data = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut data, quality.clamp(1, 100));
    if gray {
        enc.encode_image(&img.to_luma8())?;
    } else {
        enc.encode_image(&img.to_rgb8())?;
    }
    Ok(data)
}

/// Composites any transparency onto white.
fn flatten(img: DynamicImage) -> DynamicImage {
    if !img.color().has_alpha() {
        return img;
    }
    let rgba = img.to_rgba8();
    let mut out = image::RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = p[3] as u32;
        for c in 0..3 {
            o[c] = ((p[c] as u32 * a + 255 * (255 - a)) / 255) as u8;
        }
    }
    DynamicImage::ImageRgb8(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_photo_shrinks_to_the_long_edge_and_keeps_its_orientation() {
        let jpeg = crate::demo::fixtures::jpeg_upright_marked(6, true);
        let p = recompress(&jpeg, ImageFormat::Jpeg, &Limits::default(), 200, 60).unwrap();
        assert_eq!((p.width.max(p.height)), 200);
        assert_eq!(p.orientation.value(), 6);
        assert!(p.data.len() < jpeg.len());
        assert!(!p.data.windows(6).any(|w| w == b"Exif\0\0"));
    }

    #[test]
    fn a_heic_photo_shrinks_upright_and_keeps_its_date() {
        // Stored turned a quarter (400 × 300 upright), rotated back by the file itself.
        let heic = crate::demo::fixtures::heic_upright_marked(6, true);
        let p = recompress(&heic, ImageFormat::Heif, &Limits::default(), 200, 60).unwrap();
        assert_eq!((p.width, p.height, p.orientation), (200, 150, Orientation::UPRIGHT));
        assert!(matches!(p.encoding, Encoding::Dct));
        assert_eq!(p.taken.map(|t| t.format("%Y:%m:%d %H:%M:%S").to_string()).as_deref(), Some(crate::demo::fixtures::PHOTO_TAKEN));
    }

    #[test]
    fn transparency_is_flattened_onto_white() {
        let png = crate::demo::fixtures::png_rgba(64, 32);
        let p = recompress(&png, ImageFormat::Png, &Limits::default(), 32, 80).unwrap();
        assert!(p.alpha.is_none());
        assert!(matches!(p.encoding, Encoding::Dct));
    }
}
