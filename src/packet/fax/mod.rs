//! Fax mode (`--fax`): every page of the packet pure black and white, as a fax machine sends
//! it. Images become 1-bit pictures at [`DPI`] as shown on the page, CCITT Group 4 coded (a
//! plain threshold chosen per picture from its histogram for scans and screenshots; error
//! diffusion for photographs, whose tones a threshold would flatten into blots); exhibit PDFs'
//! drawing colours become black, or white where light (`content.rs`, `exhibit.rs`); and a fax
//! cover sheet goes in front, outside the Bates numbering (`cover.rs`). Pictures are written
//! as black stencil masks on a white square (see [`FaxImage`]).

mod content;
mod cover;
mod exhibit;

/// What a fax warning says of a picture or page whose light parts vanish in black and white.
pub(super) const FADED: &str = "highlights, light grey or pale colours on it will not show on the fax";
pub use content::content;
pub use cover::{write_cover, Sent};
pub use exhibit::exhibit;

use image::GrayImage;
use lopdf::{Dictionary, Object};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// The resolution every picture is sent at, in pixels per inch as shown on the page (a fax's
/// fine mode is 204 × 196).
pub const DPI: f64 = 200.0;

/// A 1-bit picture, CCITT Group 4 coded (`/K -1`, black pels 0 in the decoded samples).
///
/// It is written as a stencil mask (`/ImageMask true`), drawn in black over a white square
/// the size of the image (`OPAQUE`, the square the content's `Do` fills first), which shows
/// exactly what an opaque black-and-white image shows. Renderers draw a mask's pels as they
/// are, while they smooth a `/DeviceGray` image's pixels into greys as they scale it (poppler
/// does even at the image's own resolution), and a fax driver would turn those greys into noise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaxImage {
    pub width: u32,
    pub height: u32,
    pub g4: Vec<u8>,
}

/// Drawn in front of a fax image's `Do` (in the image's unit square): white paper under it,
/// then black to paint its pels.
pub const OPAQUE: &str = "1 g 0 0 1 1 re f 0 g";

impl FaxImage {
    /// The image XObject's dictionary (its `/Length` is the writer's).
    pub fn dictionary(&self) -> Dictionary {
        let mut parms = Dictionary::new();
        parms.set("K", -1);
        parms.set("Columns", i64::from(self.width));
        parms.set("Rows", i64::from(self.height));
        parms.set("BlackIs1", false);
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"XObject".to_vec()));
        d.set("Subtype", Object::Name(b"Image".to_vec()));
        d.set("Width", i64::from(self.width));
        d.set("Height", i64::from(self.height));
        d.set("ImageMask", true);
        d.set("BitsPerComponent", 1);
        d.set("Filter", Object::Name(b"CCITTFaxDecode".to_vec()));
        d.set("DecodeParms", parms);
        d
    }
}

/// A grey picture (0 black) made 1-bit and Group 4 coded: `photo` diffuses the error
/// (Floyd–Steinberg), otherwise a threshold chosen from the picture's histogram
/// (`Levels`: ink below Otsu's threshold, mid-tones judged by what surrounds them).
pub fn image(grey: &GrayImage, photo: bool) -> FaxImage {
    image_faded(grey, photo).0
}

/// The most pels a Group 4 row (and a PDF's `/Columns`) holds here: the encoder counts them
/// in 16 bits.
const MOST_COLUMNS: u32 = u16::MAX as u32;

/// [`image`], and whether much of the picture faded ([`fades`]; never said of a photograph,
/// whose tones error diffusion keeps as the density of its dots).
pub(super) fn image_faded(grey: &GrayImage, photo: bool) -> (FaxImage, bool) {
    let narrowed;
    let grey = if grey.width() > MOST_COLUMNS {
        let h = (u64::from(grey.height()) * u64::from(MOST_COLUMNS) / u64::from(grey.width())).max(1) as u32;
        narrowed = resized(grey, MOST_COLUMNS, h);
        &narrowed
    } else {
        grey
    };
    let (black, faded) = if photo {
        (coarse_dither(grey), false)
    } else {
        let h = histogram(grey);
        let levels = Levels::from_histogram(&h);
        (threshold(grey, &levels), fades(&h, &levels))
    };
    (FaxImage { width: grey.width(), height: grey.height(), g4: group4(grey.width(), &black) }, faded)
}

/// The levels a picture is made black and white by, from its histogram: at or below `ink`
/// (Otsu's threshold) black, at or above `paper` (40 levels below the commonest level lighter
/// than the ink) white. Between them lie mid-tones — a coloured badge, a grey button, a
/// highlighter's stroke, the soft edges of letters — decided by what lies within [`REACH`]
/// pixels: near ink, a mid-tone is the background of dark text or a letter's edge, and goes
/// white; near paper-light pixels with no ink, it is the ground of light text (white letters
/// on an orange "PENDING" badge) and goes black, so the letters still read; alone, the nearer
/// of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Levels {
    pub ink: u8,
    pub paper: u8,
}

/// How far (pixels at 200 dpi, about a millimetre) a mid-tone looks for ink or paper.
const REACH: u32 = 8;

impl Levels {
    fn from_histogram(h: &[u64; 256]) -> Levels {
        let ink = otsu(h);
        let commonest = (usize::from(ink) + 1..256).max_by_key(|&v| (h[v], v)).unwrap_or(255);
        let paper = (commonest.saturating_sub(40)).max(usize::from(ink) + 1).min(255) as u8;
        Levels { ink, paper }
    }
}

/// The picture scaled to `DPI` for a place on the page `shown` points wide and high (never
/// below one pixel, never past the decoded-image limit).
pub fn at_dpi(grey: &GrayImage, shown: (f64, f64)) -> GrayImage {
    let px = |points: f64| (points.abs() / 72.0 * DPI).round().max(1.0);
    let (mut w, mut h) = (px(shown.0), px(shown.1));
    let most = crate::limits::IMAGE_PIXELS as f64;
    if w * h > most {
        let k = (most / (w * h)).sqrt();
        (w, h) = ((w * k).floor().max(1.0), (h * k).floor().max(1.0));
    }
    let (w, h) = (w as u32, h as u32);
    if (w, h) == grey.dimensions() {
        return grey.clone();
    }
    resized(grey, w, h)
}

/// The picture scaled to `w` × `h` (a triangle filter).
fn resized(grey: &GrayImage, w: u32, h: u32) -> GrayImage {
    crate::import::image::resample::resize_grey(grey, w, h, image::imageops::FilterType::Triangle)
}

/// How many pixels of each grey level the picture has.
fn histogram(grey: &GrayImage) -> [u64; 256] {
    let mut h = [0u64; 256];
    for v in grey.as_raw() {
        h[usize::from(*v)] += 1;
    }
    h
}

/// Otsu's threshold: the level that best parts the histogram into two classes (ink and paper);
/// a level at or below it is black. A picture of one level is paper when light.
pub(crate) fn otsu(h: &[u64; 256]) -> u8 {
    let total: u64 = h.iter().sum();
    let sum: f64 = h.iter().enumerate().map(|(i, n)| i as f64 * *n as f64).sum();
    let (mut below, mut below_sum, mut best, mut level) = (0u64, 0.0f64, -1.0f64, 127u8);
    for (t, n) in h.iter().enumerate() {
        below += n;
        below_sum += t as f64 * *n as f64;
        let above = total - below;
        if below == 0 || above == 0 {
            continue;
        }
        let (m0, m1) = (below_sum / below as f64, (sum - below_sum) / above as f64);
        let between = below as f64 * above as f64 * (m0 - m1) * (m0 - m1);
        if between > best {
            (best, level) = (between, t as u8);
        }
    }
    if best < 0.0 {
        // One level only: black when dark.
        let only = h.iter().position(|n| *n > 0).unwrap_or(255);
        return if only < 128 { 255 } else { 0 };
    }
    level
}

/// Black and white by `levels`, row by row (see [`Levels`]).
fn threshold(grey: &GrayImage, levels: &Levels) -> Vec<bool> {
    let raw = grey.as_raw();
    let ink: Vec<bool> = raw.iter().map(|v| *v <= levels.ink).collect();
    if !raw.iter().any(|v| *v > levels.ink && *v < levels.paper) {
        return ink;
    }
    let size = grey.dimensions();
    let near_ink = near(&ink, size);
    let near_paper = near(&raw.iter().map(|v| *v >= levels.paper).collect::<Vec<_>>(), size);
    let middle = u16::from(levels.ink) + u16::from(levels.paper);
    let mut black = ink;
    for (i, v) in raw.iter().enumerate() {
        if *v > levels.ink && *v < levels.paper {
            // A mid-tone: see `Levels`.
            black[i] = !near_ink[i] && (near_paper[i] || u16::from(*v) * 2 < middle);
        }
    }
    black
}

/// Whether any pixel within [`REACH`] (a square around it) is set in `mask`, for every pixel:
/// along the rows from running counts, then down the columns with a count for each column of
/// the rows within reach, moved down a row at a time.
fn near(mask: &[bool], (w, h): (u32, u32)) -> Vec<bool> {
    let (w, h, r) = (w as usize, h as usize, REACH as usize);
    let mut rows = vec![0u16; w * h];
    let mut count = vec![0u32; w + 1];
    for (row, out) in mask.chunks_exact(w).zip(rows.chunks_exact_mut(w)) {
        let mut sum = 0;
        for (c, m) in count[1..].iter_mut().zip(row) {
            sum += u32::from(*m);
            *c = sum;
        }
        // Pixel x sees `count[x + r + 1] - count[x - r]`, both ends kept inside the row; where
        // both lie inside, one slice is compared with the other (which vectorises).
        let seen = |x: usize| u16::from(count[(x + r + 1).min(w)] > count[x.saturating_sub(r)]);
        let (start, end) = (r, w.saturating_sub(r + 1));
        if start < end {
            for x in (0..start).chain(end..w) {
                out[x] = seen(x);
            }
            for ((o, hi), lo) in out[start..end].iter_mut().zip(&count[start + r + 1..]).zip(&count[start - r..]) {
                *o = u16::from(hi > lo);
            }
        } else {
            out.iter_mut().enumerate().for_each(|(x, o)| *o = seen(x));
        }
    }
    let row = |y: usize| &rows[y * w..][..w];
    let mut within = vec![0u16; w];
    for y in 0..r.min(h) {
        within.iter_mut().zip(row(y)).for_each(|(c, m)| *c += m);
    }
    let mut both = vec![false; w * h];
    for (y, out) in both.chunks_exact_mut(w).enumerate() {
        if y + r < h {
            within.iter_mut().zip(row(y + r)).for_each(|(c, m)| *c += m);
        }
        out.iter_mut().zip(&within).for_each(|(o, c)| *o = *c > 0);
        if y >= r {
            within.iter_mut().zip(row(y - r)).for_each(|(c, m)| *c -= m);
        }
    }
    both
}

/// Error diffusion with dots of 2 × 2 pels: half the resolution, so a fax machine's
/// transmission (and Group 4, which codes a row like the one above it in a few bits) does not
/// spend itself on single-pel noise, and a fax's own smearing does not fill the dots in.
fn coarse_dither(grey: &GrayImage) -> Vec<bool> {
    let (w, h) = grey.dimensions();
    let (hw, hh) = (w.div_ceil(2), h.div_ceil(2));
    let half = resized(grey, hw, hh);
    let dots = dither(&half);
    let mut black = Vec::with_capacity((w * h) as usize);
    for y in 0..h {
        let row = &dots[((y / 2) * hw) as usize..((y / 2 + 1) * hw) as usize];
        black.extend((0..w).map(|x| row[(x / 2) as usize]));
    }
    black
}

/// Floyd–Steinberg error diffusion at mid-grey, row by row.
fn dither(grey: &GrayImage) -> Vec<bool> {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    let mut level: Vec<f32> = grey.pixels().map(|p| f32::from(p.0[0])).collect();
    let mut black = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            let old = level[i];
            let new = if old < 128.0 { 0.0 } else { 255.0 };
            black[i] = new == 0.0;
            let err = old - new;
            let mut spread = |dx: isize, dy: usize, k: f32| {
                let nx = x as isize + dx;
                if nx >= 0 && (nx as usize) < w && y + dy < h {
                    level[(y + dy) * w + nx as usize] += err * k;
                }
            };
            spread(1, 0, 7.0 / 16.0);
            spread(-1, 1, 3.0 / 16.0);
            spread(0, 1, 5.0 / 16.0);
            spread(1, 1, 1.0 / 16.0);
        }
    }
    black
}

/// Rows of `width` pels (true black) CCITT Group 4 coded: rows from the top, no byte alignment,
/// ended by EOFB, as a PDF's `/CCITTFaxDecode` image with `/K -1` holds it.
pub(crate) fn group4(width: u32, black: &[bool]) -> Vec<u8> {
    let w = width.max(1) as usize;
    let mut encoder = fax::encoder::Encoder::new(fax::VecWriter::new());
    for row in black.chunks(w) {
        let pels = row.iter().map(|b| if *b { fax::Color::Black } else { fax::Color::White });
        let Ok(()) = encoder.encode_line(pels, w as u16);
    }
    let Ok(writer) = encoder.finish();
    writer.finish()
}

/// Whether much of a picture is light grey or a pale colour that goes white (a highlighter's
/// stroke, a grey stamp, a shaded form field): more than 2 % of its pixels between the ink
/// and the paper's own level, short of it by more than a scan's noise.
fn fades(h: &[u64; 256], levels: &Levels) -> bool {
    let paper = usize::from(levels.paper) + 40 - 12;
    let total: u64 = h.iter().sum();
    let faded: u64 = h.get(usize::from(levels.paper)..paper.min(256)).map_or(0, |s| s.iter().sum());
    total > 0 && faded * 100 > total * 2
}

/// A picture composited onto white paper through its soft mask (`alpha`, 255 opaque), as a
/// viewer shows it on a white page.
pub(crate) fn on_white(grey: &mut GrayImage, alpha: &GrayImage) {
    let alpha = if alpha.dimensions() == grey.dimensions() {
        std::borrow::Cow::Borrowed(alpha)
    } else {
        std::borrow::Cow::Owned(resized(alpha, grey.width(), grey.height()))
    };
    for (p, a) in grey.pixels_mut().zip(alpha.pixels()) {
        let (v, a) = (u32::from(p.0[0]), u32::from(a.0[0]));
        p.0[0] = (255 - (a * (255 - v) + 127) / 255) as u8;
    }
}

#[cfg(test)]
mod tests;

/// How an image exhibit is made black and white: error diffusion for a photograph — a picture
/// filed as a photo or wound photo, or a camera's JPEG or HEIC whose tones no one threshold
/// parts well (`separability` below [`PHOTOGRAPHIC`]) — the threshold for the rest: scans and
/// faxes (TIFF), screenshots (PNG), and a phone's picture of a letter, which is ink and paper.
/// Every image inside an exhibit PDF (a scanned document) is thresholded too.
fn is_photograph(kind: crate::model::ExhibitKind, format: crate::import::Format, grey: &GrayImage) -> bool {
    use crate::import::Format;
    use crate::model::ExhibitKind;
    if matches!(kind, ExhibitKind::Photo | ExhibitKind::WoundPhoto) {
        return true;
    }
    if !matches!(format, Format::Jpeg | Format::Heif) {
        return false;
    }
    separability(&histogram(grey)) < PHOTOGRAPHIC
}

/// How well one threshold parts the picture's levels into two (Otsu's η: the variance between
/// ink and paper over the whole variance): near 1 for ink on paper, lower where tones spread.
fn separability(h: &[u64; 256]) -> f64 {
    let total = h.iter().sum::<u64>() as f64;
    if total == 0.0 {
        return 1.0;
    }
    let mean = h.iter().enumerate().map(|(i, n)| i as f64 * *n as f64).sum::<f64>() / total;
    let variance = h.iter().enumerate().map(|(i, n)| (i as f64 - mean).powi(2) * *n as f64).sum::<f64>() / total;
    if variance < 1.0 {
        return 1.0;
    }
    let t = usize::from(otsu(h));
    let (w0, w1) = (h[..=t].iter().sum::<u64>() as f64 / total, h[t + 1..].iter().sum::<u64>() as f64 / total);
    if w0 == 0.0 || w1 == 0.0 {
        return 1.0;
    }
    let m0 = h[..=t].iter().enumerate().map(|(i, n)| i as f64 * *n as f64).sum::<f64>() / (w0 * total);
    let m1 = h[t + 1..].iter().enumerate().map(|(i, n)| (i + t + 1) as f64 * *n as f64).sum::<f64>() / (w1 * total);
    w0 * w1 * (m0 - m1).powi(2) / variance
}

/// The separability below which a camera's picture is a photograph, not a document.
const PHOTOGRAPHIC: f64 = 0.85;

/// An image exhibit's picture (a photo, or a TIFF page) as a 1-bit picture at `DPI` for the
/// place it is shown on its page (`shown`: the upright picture's width and height in points),
/// composited on white where it has an alpha channel, dithered or thresholded as
/// `is_photograph` decides from the exhibit's `kind`, its `format` and the picture; and whether
/// light marks on it fade (only said of a thresholded one: error diffusion keeps tones as dot
/// density).
pub fn photo(
    p: &crate::import::image::Photo,
    shown: (f64, f64),
    (kind, format): (crate::model::ExhibitKind, crate::import::Format),
) -> Result<(FaxImage, bool), crate::import::Error> {
    let mut grey = crate::ocr::photo_grey(p)?;
    if let Some(alpha) = p.alpha.as_ref().and_then(|a| inflate_alpha(a, p.width, p.height)) {
        on_white(&mut grey, &alpha);
    }
    let stored = if p.orientation.swaps_axes() { (shown.1, shown.0) } else { shown };
    let scaled = at_dpi(&grey, stored);
    Ok(image_faded(&scaled, is_photograph(kind, format, &scaled)))
}

/// A photo's fax picture as [`photo`] makes it, with whether light marks on it fade.
pub(crate) type Made = Result<(FaxImage, bool), crate::import::Error>;

/// The fax pictures of one build's photos, kept for its later attempts when it may make more
/// than one (a fax under a size budget is built as one file first, to be measured, then in
/// volumes), so each is made once; otherwise each is made where it is asked for.
#[derive(Default)]
pub(crate) struct Pictures {
    kept: Option<Mutex<HashMap<PictureKey, Made>>>,
}

/// What [`photo`] makes a fax picture from: the picture (its file's SHA-256 and its place in
/// the file), the exhibit's kind and format, and the size its page shows it at (the bits of
/// its width and height in points). Complete only because nothing shrinks a photo under
/// `--fax` (a size budget's shrink steps are not taken for a fax): were it to, the step would
/// have to be part of the key.
#[derive(PartialEq, Eq, Hash)]
struct PictureKey {
    sha256: String,
    index: usize,
    kind: crate::model::ExhibitKind,
    format: crate::import::Format,
    shown: (u64, u64),
}

impl Pictures {
    /// Pictures kept for later attempts when `keep`.
    pub fn new(keep: bool) -> Pictures {
        Pictures { kept: keep.then(Mutex::default) }
    }

    /// [`photo`] of `p`, picture `index` of the file with this SHA-256: made here unless an
    /// earlier attempt of the build made it.
    pub fn photo(
        &self,
        p: &crate::import::image::Photo,
        (sha256, index): (&str, usize),
        shown: (f64, f64),
        (kind, format): (crate::model::ExhibitKind, crate::import::Format),
    ) -> Made {
        let Some(kept) = &self.kept else { return photo(p, shown, (kind, format)) };
        let key = PictureKey { sha256: sha256.to_string(), index, kind, format, shown: (shown.0.to_bits(), shown.1.to_bits()) };
        if let Some(made) = kept.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return made.clone();
        }
        let made = photo(p, shown, (kind, format));
        kept.lock().unwrap_or_else(PoisonError::into_inner).insert(key, made.clone());
        made
    }
}

/// A photo's zlib-compressed 8-bit alpha channel as a grey picture.
fn inflate_alpha(data: &[u8], width: u32, height: u32) -> Option<GrayImage> {
    use std::io::Read;
    let want = u64::from(width) * u64::from(height);
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(data).take(want).read_to_end(&mut raw).ok()?;
    GrayImage::from_raw(width, height, raw)
}
