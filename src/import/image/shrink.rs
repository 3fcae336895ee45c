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
    if format == ImageFormat::Tiff {
        return Ok(original.clone());
    }
    let gray = matches!(original.color, ColorSpace::Gray);
    let small = smaller(decoded(bytes, original, limits)?, long_edge);
    // Its pixels keep the original's shape and span more of the file's, so its page shows it
    // as before.
    let pixel = original.pixel.resampled(original.width, small.width());
    jpeg_photo(small, gray, quality, (original.orientation, pixel), original.taken)
}

/// A photo already opened (`original`, from `bytes`; in practice a PNG screenshot) with its
/// longer side at most `long_edge` pixels, kept lossless: 8 bits a sample, grey or RGB, its
/// transparency flattened onto white, stored as Flate data behind a PNG predictor
/// ([`encode_lossless`]). TIFFs are returned as they are, as by [`recompress`].
pub fn downsample_lossless(bytes: &[u8], original: &Photo, format: ImageFormat, limits: &Limits, long_edge: u32) -> Result<Photo, Error> {
    if format == ImageFormat::Tiff {
        return Ok(original.clone());
    }
    let gray = matches!(original.color, ColorSpace::Gray);
    let img = smaller(decoded(bytes, original, limits)?, long_edge);
    let data = encode_lossless(&img, gray).map_err(|e| Error::TooLarge(format!("cannot compress the image to make it smaller: {e}")))?;
    let (width, height) = img.dimensions();
    Ok(Photo {
        width,
        height,
        color: if gray { ColorSpace::Gray } else { ColorSpace::Rgb },
        bits_per_component: 8,
        encoding: Encoding::FlatePng { colors: if gray { 1 } else { 3 }, bits: 8, columns: width },
        invert_cmyk: false,
        data: data.into(),
        alpha: None,
        orientation: original.orientation,
        pixel: original.pixel.resampled(original.width, width),
        taken: original.taken,
        scan: None,
    })
}

/// The pixels of a photo already opened, its transparency flattened onto white: a JPEG's
/// from the opened JPEG, anything else's (a PNG) from its file.
fn decoded(bytes: &[u8], original: &Photo, limits: &Limits) -> Result<DynamicImage, Error> {
    let (data, fmt) = match original.encoding {
        Encoding::Dct => (&original.data[..], image::ImageFormat::Jpeg),
        _ => (bytes, image::ImageFormat::Png),
    };
    let mut reader = ImageReader::with_format(Cursor::new(data), fmt);
    let mut l = image::Limits::default();
    l.max_alloc = Some(limits.max_alloc);
    reader.limits(l);
    let img = reader
        .decode()
        .map_err(|_| Error::Damaged("is damaged: its image data cannot be decoded to make it smaller; get a fresh copy".to_string()))?;
    Ok(flatten(img))
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

/// Pixels as zlib data behind a PNG predictor (`/FlateDecode` with `/DecodeParms << /Predictor
/// 15 /Colors 1 or 3 /BitsPerComponent 8 /Columns width >>`), grey or colour, each row under
/// the PNG filter that leaves the smallest differences; the same pixels always give the same
/// bytes.
pub fn encode_lossless(img: &DynamicImage, gray: bool) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let (raw, bpp) = if gray { (img.to_luma8().into_raw(), 1) } else { (img.to_rgb8().into_raw(), 3) };
    let row_len = (img.width() as usize * bpp).max(1);
    let mut z = flate2::write::ZlibEncoder::new(Vec::with_capacity(raw.len() / 3), flate2::Compression::default());
    let zero = vec![0u8; row_len];
    let mut filtered = vec![vec![0u8; row_len]; 5];
    let mut above: &[u8] = &zero;
    for row in raw.chunks_exact(row_len) {
        png_filters(row, above, bpp, &mut filtered);
        let cost = |f: &Vec<u8>| f.iter().map(|&v| u64::from((v as i8).unsigned_abs())).sum::<u64>();
        let best = (0..filtered.len()).min_by_key(|&k| cost(&filtered[k])).unwrap_or(0);
        z.write_all(&[best as u8])?;
        z.write_all(&filtered[best])?;
        above = row;
    }
    z.finish()
}

/// `row` under each of the five PNG filters (none, sub, up, average, Paeth), with `above` the
/// row before it (zeros for the first) and `bpp` bytes a pixel.
fn png_filters(row: &[u8], above: &[u8], bpp: usize, out: &mut [Vec<u8>]) {
    for (i, (&x, &b)) in row.iter().zip(above).enumerate() {
        let (a, c) = if i >= bpp { (row[i - bpp], above[i - bpp]) } else { (0, 0) };
        out[0][i] = x;
        out[1][i] = x.wrapping_sub(a);
        out[2][i] = x.wrapping_sub(b);
        out[3][i] = x.wrapping_sub(((u16::from(a) + u16::from(b)) / 2) as u8);
        out[4][i] = x.wrapping_sub(super::paeth(a, b, c));
    }
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
