//! The upright grey picture of each page of an image file (JPEG, PNG, TIFF, HEIC) as Tesseract is
//! to read it: opened through `import::image` (which checks the file and reads its orientation),
//! decoded, its EXIF orientation applied, a fax's tall pixels made square, and enlarged when its
//! text would be too small for Tesseract.

use std::io::Read;

use image::{DynamicImage, GrayImage, ImageReader, Luma};

use crate::import::image::{ColorSpace, Encoding, ImageFormat, Limits, Photo};

/// The resolution Tesseract reads best at: a Letter page's text is then large enough.
pub(crate) const OCR_DPI: f64 = 300.0;
/// Below this a picture is enlarged to [`OCR_DPI`]. Not above: enlarging a noisy 200 dpi scan
/// to 300 made Tesseract read worse (its specks grow into marks it takes for letters), while a
/// clean 150 dpi picture enlarged to 300 reads word for word.
const SMALL_DPI: f64 = 180.0;
/// A picture is enlarged at most this many times: past it there is nothing left to read.
const MOST_ENLARGED: f64 = 4.0;
/// The width of a Letter page in inches, by which a picture of unknown resolution is judged: an
/// upright picture of a letter is as wide as the letter, however much of its height it shows.
const PAGE_INCHES: f64 = 8.5;

/// One page's picture as Tesseract reads it, and how its pixels stand to the page's units.
#[derive(Debug, Clone)]
pub(crate) struct Picture {
    /// Upright, grey.
    pub image: GrayImage,
    /// The page's size in the units its words' boxes are given in: the upright picture's own
    /// pixels (square) for an image file, points for a PDF page.
    pub size: (f32, f32),
}

impl Picture {
    /// How many of `image`'s pixels make one unit of the page.
    pub fn per_unit(&self) -> f32 {
        self.image.width() as f32 / self.size.0
    }
}

/// Every page of an image file, upright and grey; the error names what is wrong with the file.
pub(crate) fn image_pages(bytes: &[u8], format: ImageFormat) -> Result<Vec<Picture>, crate::import::Error> {
    let limits = Limits::default();
    let photos = crate::import::image::open_pages(bytes, format, &limits)?;
    let resolutions = crate::import::image::resolutions(bytes, format, &limits).unwrap_or_default();
    let mut pictures = Vec::with_capacity(photos.len());
    for (i, photo) in photos.iter().enumerate() {
        let grey = match format {
            // The file itself, already checked by opening it: its pixels, not the stored stream.
            ImageFormat::Jpeg => jpeg_grey(bytes, photo.invert_cmyk, &limits).ok_or_else(|| damaged("JPEG"))?,
            ImageFormat::Png => decode_with(bytes, image::ImageFormat::Png, &limits).ok_or_else(|| damaged("PNG"))?,
            ImageFormat::Tiff | ImageFormat::Heif => photo_grey(photo, &limits)?,
        };
        // Only a scan's resolution is trusted: cameras write 72 whatever the picture.
        let resolution = resolutions.get(i).copied().flatten().filter(|_| format == ImageFormat::Tiff);
        pictures.push(prepare(grey, (photo.orientation.value(), photo.pixel.aspect), resolution));
    }
    Ok(pictures)
}

/// A decoded picture made square-pixelled (its pixels `aspect` times as tall as wide, as the
/// packet shows them: `Photo::pixel`) and upright, its page size fixed, then enlarged if its
/// text would be too small.
fn prepare(grey: GrayImage, (orientation, aspect): (u8, f64), resolution: Option<(f64, f64)>) -> Picture {
    let grey = square_pixels(grey, aspect);
    // The resolution across, which the stretch made the one down too.
    let dpi = resolution.filter(|(x, y)| *x >= 50.0 && *y >= 50.0).map(|(across, _)| across);
    let mut upright = DynamicImage::ImageLuma8(grey);
    if let Some(turn) = image::metadata::Orientation::from_exif(orientation) {
        upright.apply_orientation(turn);
    }
    let upright = upright.into_luma8();
    let size = (upright.width() as f32, upright.height() as f32);
    let dpi = dpi.unwrap_or_else(|| f64::from(upright.width()) / PAGE_INCHES);
    let image = enlarged(upright, dpi);
    Picture { image, size }
}

/// A fax's pixels are taller than wide (204 × 196 dpi, or 204 × 98): its rows are stretched
/// `aspect` times so the pixels are square at the across resolution (not for a stretch under
/// 2 %, which Tesseract does not notice, nor past the decoded-image limit).
fn square_pixels(grey: GrayImage, aspect: f64) -> GrayImage {
    let pixels = f64::from(grey.width()) * f64::from(grey.height()) * aspect;
    if (aspect - 1.0).abs() < 0.02 || pixels > crate::limits::IMAGE_PIXELS as f64 {
        return grey;
    }
    let height = (f64::from(grey.height()) * aspect).round().max(1.0) as u32;
    crate::import::image::resample::resize_grey(&grey, grey.width(), height, image::imageops::FilterType::Triangle)
}

/// The picture enlarged to about [`OCR_DPI`] when it is below [`SMALL_DPI`] (at most
/// [`MOST_ENLARGED`] times, and never past the decoded-image limit).
pub(crate) fn enlarged(picture: GrayImage, dpi: f64) -> GrayImage {
    if dpi >= SMALL_DPI || dpi <= 0.0 {
        return picture;
    }
    let pixels = f64::from(picture.width()) * f64::from(picture.height());
    let room = (crate::limits::IMAGE_PIXELS as f64 / pixels).sqrt();
    let factor = (OCR_DPI / dpi).min(MOST_ENLARGED).min(room);
    if factor <= 1.05 {
        return picture;
    }
    let (w, h) = ((f64::from(picture.width()) * factor).round() as u32, (f64::from(picture.height()) * factor).round() as u32);
    crate::import::image::resample::resize_grey(&picture, w, h, image::imageops::FilterType::CatmullRom)
}

/// A picture decoded to grey within the limits.
pub(crate) fn decode_with(bytes: &[u8], kind: image::ImageFormat, limits: &Limits) -> Option<GrayImage> {
    Some(decode_pixels(bytes, kind, limits)?.into_luma8())
}

/// A JPEG's picture as grey, as a PDF reader shows it: its samples as the DCT filter gives
/// them, then read turned round where `invert` says (a PDF image's `/Decode [1 0 …]`, or an
/// Adobe CMYK photo's convention, which the packet writes as that `/Decode`). A four-component
/// (CMYK or YCCK) JPEG's samples are taken as stored ([`jpeg_cmyk`]), never inverted by the
/// decoder as well: Adobe's inverted CMYK is what `invert` says.
pub(crate) fn jpeg_grey(bytes: &[u8], invert: bool, limits: &Limits) -> Option<GrayImage> {
    if crate::import::image::jpeg_components(bytes) == Some(4) {
        let (width, height, cmyk) = jpeg_cmyk(bytes, limits)?;
        let turn = if invert { 255 } else { 0 };
        let grey = cmyk.chunks_exact(4).map(|p| cmyk_luma([p[0] ^ turn, p[1] ^ turn, p[2] ^ turn, p[3] ^ turn])).collect();
        return GrayImage::from_raw(width, height, grey);
    }
    let mut picture = decode_with(bytes, image::ImageFormat::Jpeg, limits)?;
    if invert {
        picture.pixels_mut().for_each(|p| p.0[0] = 255 - p.0[0]);
    }
    Some(picture)
}

/// A four-component JPEG's width, height and samples as libjpeg (and so PDF readers' DCT
/// filter) gives them: C, M, Y, K as stored, a YCCK one's colour transform undone into them
/// (C = 255 − R, M = 255 − G, Y = 255 − B, K as stored); `None` where it does not decode within
/// the limits.
pub(crate) fn jpeg_cmyk(bytes: &[u8], limits: &Limits) -> Option<(u32, u32, Vec<u8>)> {
    use zune_core::{bytestream::ZCursor, colorspace::ColorSpace as Zune, options::DecoderOptions};
    let options = DecoderOptions::default().set_max_width(u16::MAX.into()).set_max_height(u16::MAX.into());
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options.jpeg_set_out_colorspace(Zune::CMYK));
    decoder.decode_headers().ok()?;
    let (w, h) = decoder.dimensions()?;
    // Four samples a pixel out, and as many 16-bit coefficients kept for a progressive JPEG.
    if (w as u64) * (h as u64) * 4 * 3 > limits.max_alloc {
        return None;
    }
    let ycck = decoder.input_colorspace()? == Zune::YCCK;
    if ycck {
        // The decoder converts YCCK only to RGB, inverting as it goes: its samples are taken
        // as they are and converted here.
        decoder.set_options(options.jpeg_set_out_colorspace(Zune::YCCK));
    }
    let mut samples = decoder.decode().ok()?;
    if samples.len() != w * h * 4 {
        return None;
    }
    if ycck {
        samples.chunks_exact_mut(4).for_each(ycck_to_cmyk);
    }
    Some((u32::try_from(w).ok()?, u32::try_from(h).ok()?, samples))
}

/// One YCCK pixel made CMYK in place as libjpeg does (JFIF's YCbCr to RGB in 16-bit fixed
/// point, each taken from 255).
fn ycck_to_cmyk(pixel: &mut [u8]) {
    const HALF: i32 = 1 << 15;
    let (y, cb, cr) = (i32::from(pixel[0]) << 16, i32::from(pixel[1]) - 128, i32::from(pixel[2]) - 128);
    // 1.402, 0.344136, 0.714136 and 1.772 times 65536.
    let rgb = [y + 91_881 * cr, y - 22_554 * cb - 46_802 * cr, y + 116_130 * cb];
    for (out, v) in pixel.iter_mut().zip(rgb) {
        *out = 255 - ((v + HALF) >> 16).clamp(0, 255) as u8;
    }
}

/// The grey level of a CMYK pixel (0 no ink), its black added to each colour's ink.
fn cmyk_luma([c, m, y, k]: [u8; 4]) -> u8 {
    let ink = |v: u8| 255u8.saturating_sub(v.saturating_add(k));
    luma(ink(c), ink(m), ink(y))
}

/// A picture decoded as its own colours within the limits.
pub(crate) fn decode_pixels(bytes: &[u8], kind: image::ImageFormat, limits: &Limits) -> Option<image::DynamicImage> {
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), kind);
    let mut image_limits = image::Limits::default();
    image_limits.max_alloc = Some(limits.max_alloc);
    reader.limits(image_limits);
    reader.decode().ok()
}

/// A decoded TIFF page or HEIC photo (a JPEG, or Flate-compressed samples) as grey pixels.
pub(crate) fn photo_grey(photo: &Photo, limits: &Limits) -> Result<GrayImage, crate::import::Error> {
    match photo.encoding {
        Encoding::Dct => jpeg_grey(&photo.data, photo.invert_cmyk, limits).ok_or_else(|| damaged("JPEG")),
        Encoding::Flate | Encoding::FlatePng { .. } => {
            let samples = Samples { width: photo.width, height: photo.height, color: &photo.color, bits: photo.bits_per_component };
            let expected = samples.bytes().ok_or_else(|| too_large(limits))?;
            let png_rows = matches!(photo.encoding, Encoding::FlatePng { .. });
            // PNG rows each start with their filter's byte.
            let room = if png_rows { expected + u64::from(photo.height) } else { expected };
            let mut raw = Vec::new();
            flate2::read::ZlibDecoder::new(&photo.data[..]).take(room).read_to_end(&mut raw).map_err(|_| damaged("picture"))?;
            if png_rows {
                raw = unfiltered(&raw, samples.row(), samples.pixel_bytes()).ok_or_else(|| damaged("PNG"))?;
            }
            samples.grey(&raw, false).ok_or_else(|| damaged("picture"))
        }
    }
}

/// PNG rows with their filters undone (each row led by its filter's byte: none, sub, up,
/// average, Paeth); `None` when a row's filter is unknown.
fn unfiltered(data: &[u8], row: usize, step: usize) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(data.len());
    let mut previous = vec![0u8; row];
    for chunk in data.chunks(row + 1).filter(|c| c.len() == row + 1) {
        let (filter, bytes) = (chunk[0], &chunk[1..]);
        let mut current = vec![0u8; row];
        for i in 0..row {
            let (left, up) = (if i >= step { current[i - step] } else { 0 }, previous[i]);
            let corner = if i >= step { previous[i - step] } else { 0 };
            let predicted = match filter {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => crate::import::image::paeth(left, up, corner),
                _ => return None,
            };
            current[i] = bytes[i].wrapping_add(predicted);
        }
        out.extend_from_slice(&current);
        previous = current;
    }
    Some(out)
}

fn damaged(name: &str) -> crate::import::Error {
    crate::import::Error::Damaged(format!("is a damaged {name}: its image data cannot be decoded to read it; get a fresh copy"))
}

fn too_large(limits: &Limits) -> crate::import::Error {
    crate::import::Error::TooLarge(format!("image is too large to decode safely (limit {} MiB)", limits.max_alloc >> 20))
}

/// Raw samples as a PDF image or a TIFF page lays them out: rows from the top, each starting on
/// a byte, `bits` per component.
pub(crate) struct Samples<'a> {
    pub width: u32,
    pub height: u32,
    pub color: &'a ColorSpace,
    pub bits: u8,
}

impl Samples<'_> {
    /// Bytes of one pixel, at least 1 (what a PNG filter steps back by).
    fn pixel_bytes(&self) -> usize {
        (usize::from(self.color.components()) * usize::from(self.bits)).div_ceil(8).max(1)
    }

    /// Bytes of one row.
    fn row(&self) -> usize {
        (self.width as usize * usize::from(self.color.components()) * usize::from(self.bits)).div_ceil(8)
    }

    /// Bytes of the whole picture; `None` past the decoded-image limit.
    pub fn bytes(&self) -> Option<u64> {
        let pixels = u64::from(self.width) * u64::from(self.height);
        let bytes = (self.row() as u64).checked_mul(u64::from(self.height))?;
        (pixels <= crate::limits::IMAGE_PIXELS && bytes <= crate::limits::IMAGE_ALLOC).then_some(bytes)
    }

    /// Grey pixels (0 black, 255 white) from the samples; rows missing at the end are white.
    /// `invert` turns the samples' values round (a PDF `/Decode [1 0]`).
    pub fn grey(&self, raw: &[u8], invert: bool) -> Option<GrayImage> {
        if !matches!(self.bits, 1 | 2 | 4 | 8 | 16) || self.width == 0 || self.height == 0 {
            return None;
        }
        let components = usize::from(self.color.components());
        let row = self.row();
        let max = (1u32 << self.bits.min(8)) - 1;
        let mut out = GrayImage::from_pixel(self.width, self.height, Luma([255]));
        for (y, data) in raw.chunks(row).take(self.height as usize).enumerate() {
            if data.len() < row {
                break;
            }
            for x in 0..self.width as usize {
                let sample = |c: usize| {
                    let v = sample_at(data, x * components + c, self.bits);
                    if invert {
                        max - v
                    } else {
                        v
                    }
                };
                let level = self.level(&sample, max);
                out.put_pixel(x as u32, y as u32, Luma([level]));
            }
        }
        Some(out)
    }

    /// The grey level of one pixel from its components' values (each 0..=max).
    fn level(&self, sample: &dyn Fn(usize) -> u32, max: u32) -> u8 {
        let scale = |v: u32| (v * 255 / max) as u8;
        match self.color {
            ColorSpace::Gray => scale(sample(0)),
            ColorSpace::Rgb => luma(scale(sample(0)), scale(sample(1)), scale(sample(2))),
            ColorSpace::Cmyk => cmyk_luma([scale(sample(0)), scale(sample(1)), scale(sample(2)), scale(sample(3))]),
            ColorSpace::Indexed { palette, .. } => {
                let at = sample(0) as usize * 3;
                match palette.get(at..at + 3) {
                    Some(rgb) => luma(rgb[0], rgb[1], rgb[2]),
                    None => 255,
                }
            }
        }
    }
}

/// The `index`th sample of a row of `bits`-bit samples (16-bit ones by their high byte).
fn sample_at(row: &[u8], index: usize, bits: u8) -> u32 {
    match bits {
        8 => u32::from(row[index]),
        16 => u32::from(row[index * 2]),
        _ => {
            let bit = index * usize::from(bits);
            let byte = row[bit / 8];
            let shift = 8 - usize::from(bits) - bit % 8;
            u32::from(byte >> shift) & ((1u32 << bits) - 1)
        }
    }
}

fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
}
