//! Turns a photo or scan (JPEG, PNG, TIFF, HEIC) into a PDF-ready image stream, upright and free
//! of metadata.
//!
//! A JPEG is never re-encoded: its compressed bytes are copied with every metadata segment removed
//! (`/DCTDecode`), after one decode that only checks the picture data is whole (`verify.rs`). A
//! plain PNG keeps its compressed image data too (`/FlateDecode` with the PNG predictor), inflated
//! once to its checksum to find damage. Interlaced or transparent PNGs and TIFF pages are decoded losslessly, under size
//! limits checked from the header first, and compressed again with zlib (bilevel and palette
//! TIFF pages keep their packed rows). A HEIC photo is decoded upright and stored as a JPEG.
//!
//! ```
//! use redress::import::image::Orientation;
//! // A portrait phone photo stored sideways (EXIF orientation 6): 4000 × 3000 stored pixels.
//! let turn = Orientation(6);
//! assert_eq!(turn.displayed_size(4000.0, 3000.0), (3000.0, 4000.0));
//! // Drawn upright into a 300 × 400 pt box at (50, 60).
//! assert_eq!(turn.matrix(50.0, 60.0, 300.0, 400.0), [0.0, -400.0, 300.0, 0.0, 50.0, 460.0]);
//! ```

mod decode;
mod g3;
mod heif;
mod jpeg;
mod lzma;
mod metadata;
mod png;
pub(crate) use png::paeth;
pub mod resample;
mod retag;
mod samples;
mod scan;
mod shrink;
mod tiff;
mod verify;

#[cfg(test)]
mod real_files;
#[cfg(test)]
mod tests;

pub use jpeg::{components as jpeg_components, quality as jpeg_quality, strip_jpeg_metadata, strip_jpeg_metadata_if_any};
pub use scan::ScanEnd;

use crate::import::Error;
pub use metadata::exif_date;
pub use shrink::{downsample_lossless, encode_jpeg, encode_lossless, recompress, shrink_opened};

/// The colour space of the samples, as the PDF image dictionary names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColorSpace {
    /// `/DeviceGray`.
    Gray,
    /// `/DeviceRGB`.
    Rgb,
    /// `/DeviceCMYK`.
    Cmyk,
    /// `[/Indexed /DeviceRGB hival <palette>]`.
    Indexed {
        /// RGB triples, `hival + 1` of them.
        palette: Vec<u8>,
        /// The highest valid index.
        hival: u8,
    },
}

impl ColorSpace {
    /// Samples per pixel in the stream.
    pub fn components(&self) -> u8 {
        match self {
            ColorSpace::Gray | ColorSpace::Indexed { .. } => 1,
            ColorSpace::Rgb => 3,
            ColorSpace::Cmyk => 4,
        }
    }
}

/// How [`Photo::data`] is compressed, which decides the stream's `/Filter` and `/DecodeParms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// JPEG bytes as-is (metadata segments removed): `/Filter /DCTDecode`.
    Dct,
    /// zlib-compressed raw samples, rows padded to a whole byte: `/Filter /FlateDecode`.
    Flate,
    /// PNG IDAT data copied as-is: `/Filter /FlateDecode` with
    /// `/DecodeParms << /Predictor 15 /Colors c /BitsPerComponent b /Columns w >>`.
    FlatePng {
        /// `/Colors`.
        colors: u8,
        /// `/BitsPerComponent`.
        bits: u8,
        /// `/Columns`.
        columns: u32,
    },
}

/// One image, ready to become a PDF Image XObject: the caller never decodes pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Photo {
    /// Stored pixel width, before orientation (`/Width`).
    pub width: u32,
    /// Stored pixel height, before orientation (`/Height`).
    pub height: u32,
    /// `/ColorSpace`.
    pub color: ColorSpace,
    /// `/BitsPerComponent`: 8 for JPEG; 1, 2, 4, 8 or 16 otherwise.
    pub bits_per_component: u8,
    /// `/Filter` and `/DecodeParms`.
    pub encoding: Encoding,
    /// An Adobe (APP14) CMYK JPEG stores inverted samples: write `/Decode [1 0 1 0 1 0 1 0]`.
    pub invert_cmyk: bool,
    /// The stream bytes (for a JPEG, possibly a slice of the very buffer its file was read
    /// into: `jpeg::Stripped::into_bytes`).
    pub data: bytes::Bytes,
    /// A zlib-compressed 8-bit soft mask of the same width and height (`/SMask`, `/FlateDecode`,
    /// `/DeviceGray`); `None` when the picture is fully opaque.
    pub alpha: Option<Vec<u8>>,
    /// How to turn the stored pixels upright.
    pub orientation: Orientation,
    /// What one stored pixel stands for: its height for its width (a fax's are taller than
    /// wide), and how many of the file's own pixels it spans once a size budget shrank it.
    pub pixel: PixelShape,
    /// When the picture was taken (EXIF DateTimeOriginal, else DateTimeDigitized), in the
    /// camera's local time; only a suggestion for the exhibit's date.
    pub taken: Option<chrono::NaiveDateTime>,
    /// A JPEG of one scan: where its picture data lies in the file it was opened from, kept
    /// with its picture check's verdict (`PictureCheck::KnownWhole`) so that opening the same
    /// bytes again need not look through them for it. `None` for anything else.
    pub scan: Option<ScanEnd>,
}

impl Photo {
    /// The upright size, as a reader sees the picture, in stored pixels across: each stored row
    /// as tall as [`PixelShape::aspect`] says, then turned as [`Orientation`] says (the
    /// resolution belongs to the stored rows and columns, so it is applied before the turn).
    pub fn displayed_size(&self) -> (f64, f64) {
        self.orientation.displayed_size(f64::from(self.width), f64::from(self.height) * self.pixel.aspect)
    }
}

/// What one stored pixel of a picture stands for on the page.
///
/// A file may say its pixels are not square: a fax received in standard mode has 204 pixels to
/// the inch across and 98 down, each pixel twice as tall as wide, and a page that is 1728 × 1078
/// pixels is a letter page (8.5 × 11 in), not a landscape strip.
///
/// ```
/// use redress::import::image::PixelShape;
/// let standard_fax = PixelShape::from_density(204.0, 98.0);
/// assert!((standard_fax.aspect - 2.0816).abs() < 1e-4);
/// // Equal, missing or absurd numbers leave the pixels square.
/// assert_eq!(PixelShape::from_density(300.0, 300.0), PixelShape::SQUARE);
/// assert_eq!(PixelShape::from_density(300.0, 1.0), PixelShape::SQUARE);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PixelShape {
    /// A stored pixel's height for its width (resolution across over resolution down); 1 for
    /// square pixels.
    pub aspect: f64,
    /// How many of the file's own pixels one stored pixel spans across: 1, or more once a size
    /// budget has made the picture smaller (so its page can show it as large as before).
    pub span: f64,
}

impl Default for PixelShape {
    fn default() -> Self {
        PixelShape::SQUARE
    }
}

impl PixelShape {
    /// Square pixels of the file as it came.
    pub const SQUARE: PixelShape = PixelShape { aspect: 1.0, span: 1.0 };

    /// The most one axis's resolution may exceed the other's: past it the numbers are taken
    /// for a writer's mistake (a page shown a quarter as tall as wide is no document), and the
    /// pixels for square.
    pub const MOST_UNEQUAL: f64 = 4.0;

    /// From the pixels per unit across and down that a file gives (one unit for both: inch,
    /// centimetre, metre, or none, when JFIF or PNG give the ratio alone). Square unless both
    /// are finite and positive and neither more than [`PixelShape::MOST_UNEQUAL`] times the
    /// other.
    pub fn from_density(across: f64, down: f64) -> PixelShape {
        let aspect = across / down;
        let sane = across > 0.0 && down > 0.0 && aspect.is_finite();
        if sane && aspect != 1.0 && (1.0 / Self::MOST_UNEQUAL..=Self::MOST_UNEQUAL).contains(&aspect) {
            PixelShape { aspect, span: 1.0 }
        } else {
            PixelShape::SQUARE
        }
    }

    /// The same picture resampled from `from` to `to` pixels across: each pixel spans more (or
    /// fewer) of the file's; its aspect stays the file's.
    pub fn resampled(self, from: u32, to: u32) -> PixelShape {
        if from == to || to == 0 {
            return self;
        }
        PixelShape { span: self.span * f64::from(from) / f64::from(to), ..self }
    }
}

/// The EXIF orientation, 1..=8; any other value is treated as 1 (upright).
///
/// Each value says where the stored picture's first row and first column belong when it is shown
/// upright: 1 top/left, 2 top/right, 3 bottom/right, 4 bottom/left, 5 left/top, 6 right/top,
/// 7 right/bottom, 8 left/bottom. So 6 means "turn the stored picture 90° clockwise".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Orientation(pub u8);

impl Default for Orientation {
    fn default() -> Self {
        Orientation::UPRIGHT
    }
}

impl Orientation {
    /// Stored upright: nothing to do.
    pub const UPRIGHT: Orientation = Orientation(1);

    /// The value in 1..=8, with anything out of range read as 1.
    pub fn value(&self) -> u8 {
        if (1..=8).contains(&self.0) {
            self.0
        } else {
            1
        }
    }

    /// Whether the upright picture is the stored one turned a quarter (width and height swap).
    pub fn swaps_axes(&self) -> bool {
        self.value() >= 5
    }

    /// The upright (displayed) size for a stored size: swapped for 5..=8.
    pub fn displayed_size(&self, w: f64, h: f64) -> (f64, f64) {
        if self.swaps_axes() {
            (h, w)
        } else {
            (w, h)
        }
    }

    /// The PDF `cm` matrix `[a b c d e f]` that draws the image XObject (which always maps the
    /// unit square, first stored row at the top) so that the upright picture exactly fills the
    /// page rectangle `(x, y, w, h)`, where `(w, h)` is the displayed size.
    pub fn matrix(&self, x: f64, y: f64, w: f64, h: f64) -> [f64; 6] {
        // Unit-square point (s, t) holds stored column s and stored row 1 - t (from the top).
        // Each arm sends the stored picture's corners where the EXIF value says they belong.
        match self.value() {
            2 => [-w, 0.0, 0.0, h, x + w, y],
            3 => [-w, 0.0, 0.0, -h, x + w, y + h],
            4 => [w, 0.0, 0.0, -h, x, y + h],
            5 => [0.0, -h, -w, 0.0, x + w, y + h],
            6 => [0.0, -h, w, 0.0, x, y + h],
            7 => [0.0, h, w, 0.0, x, y],
            8 => [0.0, h, -w, 0.0, x + w, y],
            _ => [w, 0.0, 0.0, h, x, y],
        }
    }
}

/// The kind of file an exhibit claims to be (by its name); the content must agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Tiff,
    /// HEIC/HEIF, as iPhones take photos.
    Heif,
}

impl ImageFormat {
    /// The format a file name extension stands for (`jpg`, `JPEG`, `tif`…), if any.
    pub fn from_extension(extension: &str) -> Option<ImageFormat> {
        match extension.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" | "jpe" | "jfif" => Some(ImageFormat::Jpeg),
            "png" => Some(ImageFormat::Png),
            "tif" | "tiff" => Some(ImageFormat::Tiff),
            "heic" | "heif" | "hif" => Some(ImageFormat::Heif),
            _ => None,
        }
    }

    /// The name people know the format by.
    pub fn name(&self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Png => "PNG",
            ImageFormat::Tiff => "TIFF",
            ImageFormat::Heif => "HEIC",
        }
    }
}

/// How big an image may be before it is refused, so that a hostile or broken file cannot exhaust
/// memory (a few hundred bytes of PNG can declare 50000 × 50000 pixels).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Stored width × height; default 64 megapixels, above any phone or scanner page.
    pub max_pixels: u64,
    /// Bytes a decoder may allocate; default 512 MiB.
    pub max_alloc: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_pixels: crate::limits::IMAGE_PIXELS, max_alloc: crate::limits::IMAGE_ALLOC }
    }
}

/// Opens one image. For a multi-page TIFF this is the first page only: use [`open_pages`] to
/// keep every page.
///
/// The error says what kind of failure it is, with a plain sentence ("truncated JPEG: no
/// end-of-image marker"); the caller names the exhibit.
pub fn open(bytes: &[u8], format: ImageFormat, limits: &Limits) -> Result<Photo, Error> {
    match format {
        ImageFormat::Jpeg => jpeg::open(bytes, limits),
        ImageFormat::Png => png::open(bytes, limits),
        ImageFormat::Tiff => tiff::open_pages(bytes, limits, tiff::Pages::First)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::Damaged("TIFF holds no image".into())),
        ImageFormat::Heif => shrink::heif_photo(bytes, limits),
    }
}

/// Opens every page of an image: one for JPEG and PNG, each page of a TIFF (reduced-resolution
/// previews and masks stored beside the pages are skipped).
pub fn open_pages(bytes: &[u8], format: ImageFormat, limits: &Limits) -> Result<Vec<Photo>, Error> {
    open_pages_checked(std::borrow::Cow::Borrowed(bytes), format, limits, PictureCheck::Full)
}

/// [`open_pages`], with a JPEG's picture check (`verify.rs`: its scans walked code by code, and
/// decoded where the walk does not judge) left out when `check` says the same bytes already
/// passed it. Everything else (the markers, the frame, the limits) is read as always.
/// Given its own buffer (`Cow::Owned`), a JPEG is made a photo in it, its picture data not
/// copied.
pub fn open_pages_checked(
    bytes: std::borrow::Cow<'_, [u8]>,
    format: ImageFormat,
    limits: &Limits,
    check: PictureCheck,
) -> Result<Vec<Photo>, Error> {
    match format {
        ImageFormat::Jpeg => jpeg::open_checked(bytes, limits, check).map(|photo| vec![photo]),
        ImageFormat::Tiff => tiff::open_pages(&bytes, limits, tiff::Pages::All),
        ImageFormat::Png | ImageFormat::Heif => open(&bytes, format, limits).map(|photo| vec![photo]),
    }
}

/// Whether a JPEG's compressed picture is checked for damage as it is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PictureCheck {
    /// Walked and, where the walk does not judge it, decoded.
    Full,
    /// Not checked again: these very bytes (by their SHA-256) passed the checks of this
    /// [`PICTURE_CHECKS`] version before; with where a JPEG of one scan has its picture data
    /// when the verdict kept it ([`Photo::scan`] of these bytes), else looked for.
    KnownWhole(Option<ScanEnd>),
}

/// The version of the JPEG picture checks (`scan.rs`, `verify.rs`): a verdict kept from an
/// earlier build counts only for the same version. Raise it whenever the checks change what
/// they refuse, so that every picture is checked again by the new ones.
pub const PICTURE_CHECKS: u32 = 1;

/// Each page's resolution in pixels per inch (across, down) where the file gives one: for a TIFF
/// every page in the order of [`open_pages`] (a fax's are unequal, 204 × 196), else one entry.
pub fn resolutions(bytes: &[u8], format: ImageFormat, limits: &Limits) -> Result<Vec<Option<(f64, f64)>>, Error> {
    match format {
        ImageFormat::Tiff => tiff::resolutions(bytes, limits),
        ImageFormat::Jpeg => Ok(vec![jpeg::exif_payload(bytes).and_then(|exif| metadata::read(exif).resolution)]),
        ImageFormat::Png => Ok(vec![png::exif_chunk(bytes).and_then(|exif| metadata::read(exif).resolution)]),
        ImageFormat::Heif => Ok(vec![None]),
    }
}

/// A small PNG of an image's first page, at most `max_edge` pixels on its longer side: for showing
/// a TIFF scan or fax where a web view cannot (a TIFF page shaped and turned as its page in the
/// packet shows it). Decoded within the build's memory ceiling.
pub fn preview_png(bytes: &[u8], format: ImageFormat, max_edge: u32) -> Result<Vec<u8>, Error> {
    let kind = match format {
        ImageFormat::Jpeg => ::image::ImageFormat::Jpeg,
        ImageFormat::Png => ::image::ImageFormat::Png,
        ImageFormat::Tiff => {
            let (picture, pixel, turn) = tiff::first_picture(bytes, &Limits::default())?;
            return preview_of(shown_as(picture, pixel, turn, max_edge), max_edge);
        }
        ImageFormat::Heif => return preview_of(heif::decode(bytes, &Limits::default())?.0, max_edge),
    };
    let mut reader = ::image::ImageReader::with_format(std::io::Cursor::new(bytes), kind);
    let mut limits = ::image::Limits::default();
    limits.max_alloc = Some(Limits::default().max_alloc);
    reader.limits(limits);
    let picture = reader.decode().map_err(|e| decode::describe_error(e, format))?;
    preview_of(picture, max_edge)
}

/// A stored picture made small, its rows as tall as `pixel` says, then turned upright.
fn shown_as(picture: ::image::DynamicImage, pixel: PixelShape, turn: Orientation, max_edge: u32) -> ::image::DynamicImage {
    let mut picture = if pixel.aspect == 1.0 {
        picture
    } else {
        let (w, h) = (f64::from(picture.width()), f64::from(picture.height()) * pixel.aspect);
        let k = (f64::from(max_edge) / w.max(h)).min(1.0);
        picture.thumbnail_exact((w * k).round().max(1.0) as u32, (h * k).round().max(1.0) as u32)
    };
    if let Some(turn) = ::image::metadata::Orientation::from_exif(turn.value()) {
        picture.apply_orientation(turn);
    }
    picture
}

fn preview_of(picture: ::image::DynamicImage, max_edge: u32) -> Result<Vec<u8>, Error> {
    let small = ::image::DynamicImage::ImageRgba8(picture.thumbnail(max_edge, max_edge).to_rgba8());
    let mut out = Vec::new();
    small
        .write_to(&mut std::io::Cursor::new(&mut out), ::image::ImageFormat::Png)
        .map_err(|_| Error::Damaged("is damaged: no preview can be made of it; get a fresh copy".to_string()))?;
    Ok(out)
}

/// Refuses an image whose declared size is empty or beyond the limit; called on header values,
/// before any pixel buffer exists.
fn check_pixels(width: u32, height: u32, limits: &Limits) -> Result<(), Error> {
    if width == 0 || height == 0 {
        return Err(Error::Damaged(format!("image is {width} × {height} pixels: it has no pixels")));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(Error::TooLarge(format!(
            "image is {width} × {height} pixels, too large to decode safely (limit {} megapixels); save a smaller copy (a phone camera's standard size, or a scan at 300 dpi) and add that",
            megapixels(limits.max_pixels)
        )));
    }
    Ok(())
}

/// Refuses a decode that would need more memory than allowed.
fn check_alloc(bytes: u64, limits: &Limits) -> Result<(), Error> {
    if bytes > limits.max_alloc {
        return Err(Error::TooLarge(format!(
            "image needs about {} MiB of memory to decode, more than the {} MiB allowed",
            bytes.div_ceil(1 << 20),
            limits.max_alloc >> 20
        )));
    }
    Ok(())
}

fn megapixels(pixels: u64) -> String {
    if pixels.is_multiple_of(1_000_000) {
        (pixels / 1_000_000).to_string()
    } else {
        format!("{:.1}", pixels as f64 / 1e6)
    }
}

/// The sentence for a file whose content is not the format its name claims, naming what it looks
/// like instead when that is recognisable (an iPhone HEIC renamed to .jpg is the usual case).
fn not_the_format(expected: ImageFormat, bytes: &[u8]) -> Error {
    let expected = expected.name();
    Error::NotTheFormat(if bytes.is_empty() {
        format!("the file is empty, not a {expected} image")
    } else {
        match sniff(bytes) {
            Some(kind) => format!("the file is not a {expected} image: its content is {kind}"),
            None => format!("the file is not a {expected} image"),
        }
    })
}

/// What a file's first bytes say it is.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let brand = bytes.get(8..12);
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("a JPEG image")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("a PNG image")
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") || bytes.starts_with(b"II+\0") || bytes.starts_with(b"MM\0+") {
        Some("a TIFF image")
    } else if bytes.starts_with(b"%PDF") {
        Some("a PDF document")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("a GIF image")
    } else if bytes.starts_with(b"RIFF") && brand == Some(b"WEBP") {
        Some("a WebP image")
    } else if bytes.get(4..8) == Some(b"ftyp") {
        match brand {
            Some(b"avif") | Some(b"avis") => Some("an AVIF image"),
            Some(b"heic") | Some(b"heix") | Some(b"hevc") | Some(b"heim") | Some(b"heis") | Some(b"mif1") | Some(b"msf1") => {
                Some("a HEIC image (name it .heic)")
            }
            _ => Some("a video or other ISO media file"),
        }
    } else if bytes.starts_with(b"BM") && bytes.len() > 14 {
        Some("a BMP image")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("a ZIP archive (perhaps a Word or OpenDocument file)")
    } else {
        None
    }
}
