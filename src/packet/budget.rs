//! Size budgets (pure): which shrink step makes a packet fit, chosen by estimate from an
//! inventory of the images each exhibit holds, never by building the packet again and again.
//!
//! The steps go from mild to strong: resolution first (photos by their longest side, images in
//! PDFs by the pixels per inch they are shown at, down to [`FLOOR_DPI`], where a scanned page
//! of text stays readable), then JPEG quality. Lossless images (screenshots, PNGs, Flate images
//! in PDFs) are downsampled losslessly along with the rest, never below [`LOSSLESS_EDGE`] or
//! [`LOSSLESS_DPI`], where a screenshot's text stays legible; they become JPEGs only in the
//! last steps, once nothing else is left to take, at a good quality and the largest size that
//! fits first. 1-bit, JPEG 2000, masked and other images the merge cannot re-encode faithfully,
//! and small ones, count as fixed.

/// Pixels per inch below which an image in a PDF is never taken: a scanned page of text
/// stays readable at it.
pub const FLOOR_DPI: u32 = 150;

/// The longest side, in pixels, below which a lossless image on a page of its own (a
/// screenshot) is never downsampled while it stays lossless: its text stays legible (a
/// 2560-pixel screen's 16-pixel letters are 10 pixels at it).
pub const LOSSLESS_EDGE: u32 = 1600;

/// Pixels per inch below which a lossless image in a PDF is never downsampled while it stays
/// lossless: about what [`LOSSLESS_EDGE`] is across a page.
pub const LOSSLESS_DPI: u32 = 200;

/// Images smaller than this are left as they are: shrinking them saves nothing that matters.
pub const SMALL_IMAGE: u64 = 20_000;

/// How an image is stored, as far as shrinking it is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Coding {
    /// A JPEG, with the quality its tables were scaled from (85 when unknown).
    Jpeg { quality: u8 },
    /// Lossless samples (Flate, LZW, a PNG): downsampled losslessly, made a JPEG only in the
    /// last steps; `predicted` when stored behind a predictor, as a downsampled copy is.
    Lossless { predicted: bool },
    /// Left as it is at every step, for this reason.
    Fixed(Kept),
}

/// Why a budget leaves an image as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Kept {
    /// Black and white (1 bit: a stencil, a fax's coding, JBIG2): as small as it gets.
    BlackAndWhite,
    /// Stored in an encoding Redress does not decode ("JPEG 2000").
    Encoding(&'static str),
    /// In colours a grey or RGB JPEG would change ("CMYK colour", "a palette of colours").
    Colours(&'static str),
    /// With transparency (a soft mask, a mask, colour keys), which a JPEG cannot keep.
    Masked,
    /// A TIFF page: a scan or a fax, kept as the file holds it.
    TiffPage,
    /// Stored otherwise than a smaller JPEG could faithfully stand in for (a JPEG behind another
    /// filter or with components its colour space does not have, 2 or 4 bits a sample).
    Other,
}

impl Kept {
    /// Why, in words after "1 scanned page": "stored as JPEG 2000, an encoding Redress cannot
    /// make smaller".
    pub fn words(&self) -> String {
        match self {
            Kept::BlackAndWhite => "in black and white, already as small as it gets".into(),
            Kept::Encoding(what) => format!("stored as {what}, an encoding Redress cannot make smaller"),
            Kept::Colours(what) => format!("in {what}, which Redress does not recompress"),
            Kept::Masked => "with transparency, which a smaller JPEG cannot keep".into(),
            Kept::TiffPage => "of a TIFF file, whose pages a budget leaves as they are".into(),
            Kept::Other => "stored in a way a smaller JPEG cannot faithfully stand in for".into(),
        }
    }
}

/// Where an image is shown, which decides the step's measure of it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub enum Shown {
    /// A photo exhibit's own page: its longest side in pixels is what steps limit.
    PhotoPage,
    /// An image in an exhibit PDF at this many pixels per inch (the least of its placements),
    /// and whether it covers half its page or more (a scanned page).
    InPdf { dpi: f64, scan: bool },
}

/// One image of an exhibit as found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImageInfo {
    pub width: u32,
    pub height: u32,
    /// Colour components (1 grey, 3 colour).
    pub components: u8,
    /// Its bytes in the packet (stream data, with a photo's transparency mask).
    pub bytes: u64,
    pub coding: Coding,
    pub shown: Shown,
}

/// The images one exhibit holds (the inventory a budget is chosen from).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExhibitImages {
    /// The exhibit's number in the packet.
    pub number: usize,
    pub images: Vec<ImageInfo>,
}

/// What of one exhibit's images no step makes smaller, one phrase for each kind of image and
/// reason, with their bytes ("1 scanned page stored as JPEG 2000, an encoding Redress cannot
/// make smaller (96 KB)"); images under [`SMALL_IMAGE`] left out.
pub fn kept_words(e: &ExhibitImages) -> Vec<(u64, String)> {
    let mut groups: std::collections::BTreeMap<(&str, &str, String), (usize, u64)> = std::collections::BTreeMap::new();
    for image in e.images.iter().filter(|i| i.bytes >= SMALL_IMAGE) {
        let Coding::Fixed(why) = image.coding else { continue };
        let (one, many) = match image.shown {
            Shown::InPdf { scan: true, .. } => ("scanned page", "scanned pages"),
            Shown::InPdf { .. } => ("image", "images"),
            Shown::PhotoPage => ("picture", "pictures"),
        };
        let group = groups.entry((one, many, why.words())).or_default();
        *group = (group.0 + 1, group.1 + image.bytes);
    }
    let phrase = |((one, many, why), (n, bytes)): ((&str, &str, String), (usize, u64))| {
        (bytes, format!("{n} {} {why} ({})", if n == 1 { one } else { many }, crate::size::human_bytes(bytes)))
    };
    groups.into_iter().map(phrase).collect()
}

/// What a step does to lossless images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Lossless {
    /// The longest side of one on a page of its own, at most, in pixels.
    pub edge: u32,
    /// One in a PDF at most this many pixels per inch as shown.
    pub dpi: u32,
    /// `None` keeps them lossless; else the JPEG quality they are made at.
    pub jpeg: Option<u8>,
}

/// A shrink step: what the merge does to every image under a budget (plain data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Shrink {
    /// 0 leaves every image as it is (the merge then only takes the inventory); higher is
    /// stronger.
    pub level: usize,
    /// A photo's longest side, at most, in pixels.
    pub edge: u32,
    /// An image in a PDF at most this many pixels per inch as shown.
    pub dpi: u32,
    /// JPEG quality of what is recompressed (never above what a JPEG already had).
    pub quality: u8,
    /// What lossless images are made: their own size limits, and whether they stay lossless.
    pub lossless: Lossless,
}

/// How a step makes one image smaller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Make {
    /// A JPEG of this quality (resized by [`Shrink::scale`]).
    Jpeg(u8),
    /// Resized by [`Shrink::scale`], and kept lossless.
    Lossless,
}

const fn step(level: usize, (edge, dpi, quality): (u32, u32, u8), lossless: Lossless) -> Shrink {
    Shrink { level, edge, dpi, quality, lossless }
}

/// Lossless images kept lossless, at most `edge` pixels on a page of their own and `dpi` in a
/// PDF, never below the lossless floor.
const fn kept(edge: u32, dpi: u32) -> Lossless {
    let edge = if edge < LOSSLESS_EDGE { LOSSLESS_EDGE } else { edge };
    let dpi = if dpi < LOSSLESS_DPI { LOSSLESS_DPI } else { dpi };
    Lossless { edge, dpi, jpeg: None }
}

/// Lossless images made JPEGs of `quality`, at most `edge` pixels on a page of their own and
/// `dpi` in a PDF.
const fn jpeg(edge: u32, dpi: u32, quality: u8) -> Lossless {
    Lossless { edge, dpi, jpeg: Some(quality) }
}

/// Photos and scans at the readable floor, where the last steps leave them.
const AT_FLOOR: (u32, u32, u8) = (700, FLOOR_DPI, 40);

/// The steps, mild to strong; the first changes nothing. Lossless images follow the others'
/// resolution down to their own floor and stay lossless while photos and scans have steps
/// left; then they are made JPEGs, first at a good quality and as large as before, then
/// smaller, then at a lower quality.
pub const STEPS: [Shrink; 15] = [
    step(0, (u32::MAX, u32::MAX, 100), kept(u32::MAX, u32::MAX)),
    step(1, (3000, 300, 85), kept(3000, 300)),
    step(2, (2400, 250, 80), kept(2400, 250)),
    step(3, (1800, 200, 75), kept(1800, 200)),
    step(4, (1400, FLOOR_DPI, 70), kept(1400, FLOOR_DPI)),
    step(5, (1000, FLOOR_DPI, 60), kept(1000, FLOOR_DPI)),
    step(6, (700, FLOOR_DPI, 50), kept(700, FLOOR_DPI)),
    step(7, AT_FLOOR, kept(700, FLOOR_DPI)),
    step(8, AT_FLOOR, jpeg(3000, 300, 85)),
    step(9, AT_FLOOR, jpeg(2400, 250, 80)),
    step(10, AT_FLOOR, jpeg(1800, 200, 80)),
    step(11, AT_FLOOR, jpeg(1400, FLOOR_DPI, 75)),
    step(12, AT_FLOOR, jpeg(1000, FLOOR_DPI, 70)),
    step(13, AT_FLOOR, jpeg(700, FLOOR_DPI, 60)),
    step(14, AT_FLOOR, jpeg(700, FLOOR_DPI, 50)),
];

impl Shrink {
    /// Every image as it is: the merge takes the inventory only.
    pub const NONE: Shrink = STEPS[0];

    /// The strongest step, at the readable floor.
    pub const FLOOR: Shrink = STEPS[STEPS.len() - 1];

    /// Whether this step makes lossless images JPEGs (one of the last steps).
    pub fn makes_jpegs(&self) -> bool {
        self.lossless.jpeg.is_some()
    }

    /// How much smaller each side of `image` is made at this step (1 when it is not resized).
    pub fn scale(&self, image: &ImageInfo) -> f64 {
        let (edge, dpi) = match image.coding {
            Coding::Lossless { .. } => (self.lossless.edge, self.lossless.dpi),
            _ => (self.edge, self.dpi),
        };
        let s = match image.shown {
            Shown::PhotoPage => f64::from(edge) / f64::from(image.width.max(image.height).max(1)),
            Shown::InPdf { dpi: shown, .. } if shown > 0.0 => f64::from(dpi) / shown,
            Shown::InPdf { .. } => 1.0,
        };
        s.min(1.0)
    }

    /// What this step does to `image`: `None` leaves it as it is, else how it is made
    /// smaller (resized by [`Shrink::scale`]).
    pub fn make(&self, image: &ImageInfo) -> Option<Make> {
        match image.coding {
            Coding::Fixed(_) => None,
            _ if image.bytes < SMALL_IMAGE => None,
            Coding::Lossless { .. } => match self.lossless.jpeg {
                Some(q) => Some(Make::Jpeg(q)),
                None => (self.scale(image) < 1.0).then_some(Make::Lossless),
            },
            Coding::Jpeg { quality } => {
                let q = self.quality.min(quality);
                (self.scale(image) < 1.0 || q < quality).then_some(Make::Jpeg(q))
            }
        }
    }
}

/// Even the floor does not fit: how big the packet would still be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CannotFit {
    pub at_floor: u64,
}

/// The mildest step whose estimate fits `max` bytes, with `fixed` bytes taken by everything
/// but the images of `inv`; or how big the packet still is at the floor.
pub fn choose(inv: &[ExhibitImages], fixed: u64, max: u64) -> Result<Shrink, CannotFit> {
    let unchanged: u64 = inv.iter().flat_map(|e| &e.images).map(|i| i.bytes).sum();
    if fixed + unchanged <= max {
        return Ok(Shrink::NONE);
    }
    choose_in(inv, fixed, max, 1.0, 1..STEPS.len()).ok_or_else(|| CannotFit { at_floor: fixed + images_estimate(inv, &Shrink::FLOOR) })
}

/// The mildest step of `levels` whose estimate, that of the images it changes multiplied by
/// `correction` (what a build measured over what was estimated: [`correction`]), fits a little
/// under `max`, so that one build is usually enough.
pub(super) fn choose_in(inv: &[ExhibitImages], fixed: u64, max: u64, correction: f64, levels: std::ops::Range<usize>) -> Option<Shrink> {
    let aim = max.saturating_sub(max / 50);
    STEPS[levels].iter().find(|s| fixed + corrected_estimate(inv, s, correction) <= aim).copied()
}

/// The first level of the steps that treat lossless images as `s` does (kept lossless, or made
/// JPEGs). What a build measured corrects the estimates of steps of its own kind only: a JPEG
/// made of a screenshot says nothing of what the screenshot takes downsampled losslessly.
pub(super) fn same_kind_from(s: &Shrink) -> usize {
    STEPS.iter().position(|t| t.level > 0 && t.makes_jpegs() == s.makes_jpegs()).unwrap_or(1)
}

/// The images' estimated bytes at step `s`.
pub(super) fn images_estimate(inv: &[ExhibitImages], s: &Shrink) -> u64 {
    corrected_estimate(inv, s, 1.0)
}

/// The images' estimated bytes at step `s`, the estimate of those it changes multiplied by
/// `correction` (those it leaves are their own bytes, exactly).
fn corrected_estimate(inv: &[ExhibitImages], s: &Shrink, correction: f64) -> u64 {
    let one = |i: &ImageInfo| match s.make(i) {
        Some(_) => (estimate(i, s) as f64 * correction).ceil() as u64,
        None => i.bytes,
    };
    inv.iter().flat_map(|e| &e.images).map(one).sum()
}

/// What a build at step `s`, whose images took `measured` bytes, says of the estimate of the
/// images `s` changes: what they took over what was estimated (1 when it changes none).
pub(super) fn correction(inv: &[ExhibitImages], s: &Shrink, measured: u64) -> f64 {
    let images = inv.iter().flat_map(|e| &e.images);
    let (changed, kept): (Vec<&ImageInfo>, Vec<&ImageInfo>) = images.partition(|i| s.make(i).is_some());
    let estimated: u64 = changed.iter().map(|i| estimate(i, s)).sum();
    let kept: u64 = kept.iter().map(|i| i.bytes).sum();
    match estimated {
        0 => 1.0,
        _ => measured.saturating_sub(kept).max(1) as f64 / estimated as f64,
    }
}

/// What JPEG takes per sample, relative to quality 50, by quality (every 10, from 0), as
/// measured with the encoder the merge uses on resized scans and photos.
const RELATIVE: [f64; 11] = [0.3, 0.5, 0.65, 0.74, 0.85, 1.0, 1.25, 1.64, 2.4, 4.2, 10.0];

/// What a lossless image stored without a predictor (a PNG with transparency, decoded when
/// opened; a PDF's Flate image without `/Predictor`) takes behind PNG filters: about what they
/// save on a screenshot half picture, half text.
const UNPREDICTED: f64 = 0.75;

/// Bytes a sample takes in a JPEG of quality 50, for a lossless image made a JPEG (whose
/// own compression says little about what JPEG will make of it).
const SAMPLE_BYTES_Q50: f64 = 0.10;

fn relative(q: u8) -> f64 {
    let q = f64::from(q.clamp(1, 100)) / 10.0;
    let i = (q.floor() as usize).min(9);
    RELATIVE[i] + (RELATIVE[i + 1] - RELATIVE[i]) * (q - i as f64)
}

/// The estimated bytes of `image` at step `s`: resized JPEG data shrinks with its pixels (less
/// for smooth pictures, more for grainy scans, whose grain the resizing smooths: a build
/// measures which and corrects), and with the quality by a curve measured with the encoder;
/// lossless data downsampled with its pixels (a noisy picture's more, text's less), and by a
/// quarter more when the image was stored without the predictor the copy has. Never more than
/// it has: the merge keeps an image whose smaller copy is no smaller.
pub fn estimate(image: &ImageInfo, s: &Shrink) -> u64 {
    let Some(make) = s.make(image) else { return image.bytes };
    let area = s.scale(image).powi(2);
    let bytes = match (make, image.coding) {
        (Make::Lossless, Coding::Lossless { predicted: false }) => image.bytes as f64 * area * UNPREDICTED,
        (Make::Lossless, _) => image.bytes as f64 * area,
        (Make::Jpeg(q), Coding::Jpeg { quality }) => {
            // Recompressed at its own size, a JPEG keeps much of what its first compression
            // left (its blocks' noise): the quality saves about its square root.
            let kept = (0.5 + (1.0 - area.sqrt()) * 2.5).min(1.0);
            image.bytes as f64 * area * (relative(q) / relative(quality)).powf(kept)
        }
        (Make::Jpeg(q), _) => {
            let samples = f64::from(image.width) * f64::from(image.height) * area * f64::from(image.components.max(1));
            samples * SAMPLE_BYTES_Q50 * relative(q)
        }
    };
    (bytes.ceil() as u64).min(image.bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(bytes: u64, dpi: f64) -> ImageInfo {
        ImageInfo {
            width: (8.5 * dpi) as u32,
            height: (11.0 * dpi) as u32,
            components: 1,
            bytes,
            coding: Coding::Jpeg { quality: 75 },
            shown: Shown::InPdf { dpi, scan: true },
        }
    }

    fn photo(bytes: u64, coding: Coding) -> ImageInfo {
        ImageInfo { width: 4000, height: 3000, components: 3, bytes, coding, shown: Shown::PhotoPage }
    }

    fn one(images: Vec<ImageInfo>) -> Vec<ExhibitImages> {
        vec![ExhibitImages { number: 1, images }]
    }

    #[test]
    fn a_packet_that_fits_is_left_as_it_is() {
        let inv = one(vec![scan(1_000_000, 300.0)]);
        assert_eq!(choose(&inv, 100_000, 1_100_000), Ok(Shrink::NONE));
    }

    #[test]
    fn resolution_goes_first_and_quality_after_the_floor() {
        let inv = one(vec![scan(1_000_000, 300.0); 4]);
        let mut last = 0;
        for max in [4_000_000, 3_000_000, 2_000_000, 1_500_000, 1_000_000, 800_000] {
            let s = choose(&inv, 0, max).unwrap();
            assert!(s.level >= last, "a smaller budget never takes a milder step");
            last = s.level;
            assert!(s.dpi >= FLOOR_DPI);
            if s.quality < 70 {
                assert_eq!(s.dpi, FLOOR_DPI, "quality drops only once scans are at the floor: {s:?}");
            }
            assert!(images_estimate(&inv, &s) <= max);
        }
    }

    #[test]
    fn a_scan_is_never_taken_below_the_floor_and_the_floor_is_named() {
        let inv = one(vec![scan(1_000_000, 300.0); 4]);
        let at_floor = images_estimate(&inv, &Shrink::FLOOR);
        let scale = Shrink::FLOOR.scale(&inv[0].images[0]);
        assert!((scale - 0.5).abs() < 1e-9, "300 dpi made 150: {scale}");
        assert_eq!(choose(&inv, 5_000, 10_000), Err(CannotFit { at_floor: at_floor + 5_000 }));
    }

    #[test]
    fn lossless_images_stay_lossless_while_another_step_remains() {
        let inv = one(vec![photo(3_000_000, Coding::Jpeg { quality: 92 }), photo(2_000_000, Coding::Lossless { predicted: true })]);
        let png = &inv[0].images[1];
        for s in STEPS.iter().filter(|s| !s.makes_jpegs()) {
            assert!(matches!(s.make(png), None | Some(Make::Lossless)), "{s:?}");
            assert!(s.scale(png) * 4000.0 >= f64::from(LOSSLESS_EDGE), "never below the lossless floor: {s:?}");
        }
        let last_kept = STEPS.iter().rev().find(|s| !s.makes_jpegs()).unwrap();
        assert_eq!((last_kept.edge, last_kept.quality), (Shrink::FLOOR.edge, Shrink::FLOOR.quality), "photos are at the floor first");
        assert_eq!(Shrink::FLOOR.make(png), Some(Make::Jpeg(50)));
        // Photos can take it under 3 MB: the screenshot stays lossless, as large as the photo.
        let s = choose(&inv, 0, 3_000_000).unwrap();
        assert!(!s.makes_jpegs() && s.level > 0, "{s:?}");
        assert_eq!(s.scale(png), s.scale(&inv[0].images[0]), "{s:?}");
    }

    /// A 2560 × 1600 screenshot on a page of its own, half picture and half text, stored
    /// losslessly in 5.5 MB, as a first build finds it.
    fn screenshot() -> Vec<ExhibitImages> {
        let shot = ImageInfo {
            width: 2560,
            height: 1600,
            components: 3,
            bytes: 5_474_000,
            coding: Coding::Lossless { predicted: false },
            shown: Shown::PhotoPage,
        };
        one(vec![shot])
    }

    #[test]
    fn a_screenshot_a_little_over_is_downsampled_losslessly_not_crushed() {
        let inv = screenshot();
        let shot = &inv[0].images[0];
        for max in [5_000_000, 4_000_000, 3_000_000, 2_000_000] {
            let s = choose(&inv, 180_000, max).unwrap();
            assert_eq!(s.make(shot), Some(Make::Lossless), "{max}: {s:?}");
            assert!(s.scale(shot) * 2560.0 >= 1600.0, "{max}: {s:?}");
        }
        // Where it does not fit lossless at its floor, it becomes a JPEG at a good quality
        // before it becomes a small one.
        let s = choose(&inv, 180_000, 1_500_000).unwrap();
        assert!(matches!(s.make(shot), Some(Make::Jpeg(q)) if q >= 75), "{s:?}");
        assert!(s.scale(shot) * 2560.0 >= 1000.0, "{s:?}");
    }

    #[test]
    fn a_lossless_image_is_made_a_jpeg_as_large_as_fits_before_its_quality_drops() {
        let inv = screenshot();
        let shot = &inv[0].images[0];
        let mut last = (f64::INFINITY, 100);
        for max in (1..40).rev().map(|k| k * 100_000) {
            let Ok(s) = choose(&inv, 0, max) else { break };
            let Some(Make::Jpeg(q)) = s.make(shot) else { continue };
            let size = s.scale(shot) * 2560.0;
            assert!(size <= last.0 && q <= last.1, "{max}: {s:?}");
            if q < 70 {
                assert_eq!(size.round(), 700.0, "the quality drops only at the smallest size: {s:?}");
            }
            last = (size, q);
        }
        assert_eq!(last, (700.0, 50), "down to the floor");
    }

    #[test]
    fn a_correction_counts_the_images_a_step_leaves_as_they_are() {
        // A build at the lossless 1800 pixels took half what was estimated for it: the images
        // it changed, not the whole, were over-estimated. A milder step that leaves the
        // screenshot as it is still does not fit.
        let inv = screenshot();
        let at = STEPS[3];
        let c = correction(&inv, &at, images_estimate(&inv, &at) / 2);
        assert!((c - 0.5).abs() < 0.01, "{c}");
        let milder = choose_in(&inv, 180_000, 5_000_000, c, same_kind_from(&at)..at.level).unwrap();
        assert_eq!(milder.level, 2, "{milder:?}");
        // What a JPEG made of it measured corrects only the steps that make JPEGs.
        assert_eq!(same_kind_from(&Shrink::FLOOR), STEPS.iter().position(|s| s.makes_jpegs()).unwrap());
        assert_eq!(same_kind_from(&STEPS[5]), 1);
    }

    #[test]
    fn what_no_step_makes_smaller_is_said_by_kind_and_reason() {
        let jpx = ImageInfo { coding: Coding::Fixed(Kept::Encoding("JPEG 2000")), ..scan(150_000, 300.0) };
        let cmyk = ImageInfo {
            coding: Coding::Fixed(Kept::Colours("CMYK colour")),
            shown: Shown::InPdf { dpi: 300.0, scan: false },
            ..jpx.clone()
        };
        let small = ImageInfo { bytes: SMALL_IMAGE - 1, ..jpx.clone() };
        let e = ExhibitImages { number: 3, images: vec![jpx.clone(), jpx, cmyk, small, scan(500_000, 300.0)] };
        assert_eq!(
            kept_words(&e),
            [
                (150_000, "1 image in CMYK colour, which Redress does not recompress (150 KB)".to_string()),
                (300_000, "2 scanned pages stored as JPEG 2000, an encoding Redress cannot make smaller (300 KB)".to_string()),
            ]
        );
    }

    #[test]
    fn fixed_and_small_images_count_as_they_are() {
        let fax = ImageInfo { coding: Coding::Fixed(Kept::BlackAndWhite), ..scan(500_000, 200.0) };
        let small = scan(10_000, 600.0);
        for s in STEPS {
            assert_eq!(estimate(&fax, &s), 500_000);
            assert_eq!(estimate(&small, &s), 10_000);
        }
    }

    #[test]
    fn a_jpeg_is_never_made_at_a_higher_quality_than_it_had() {
        let low = photo(1_000_000, Coding::Jpeg { quality: 60 });
        assert_eq!(STEPS[1].make(&low), Some(Make::Jpeg(60)), "resized at its own quality");
        let small = ImageInfo { width: 1000, height: 800, ..low };
        assert_eq!(STEPS[3].make(&small), None, "not resized, and 75 is above its 60");
        assert_eq!(STEPS[5].make(&small), None);
        assert_eq!(STEPS[6].make(&small), Some(Make::Jpeg(50)));
    }

    #[test]
    fn a_correction_after_a_miss_takes_a_stronger_step() {
        let inv = one(vec![scan(1_000_000, 300.0); 4]);
        let first = choose(&inv, 0, 2_000_000).unwrap();
        let again = choose_in(&inv, 0, 2_000_000, 1.5, first.level + 1..STEPS.len()).unwrap();
        assert!(again.level > first.level);
        let milder = choose_in(&inv, 0, 2_000_000, 0.3, 1..first.level).unwrap();
        assert!(milder.level < first.level);
    }
}
