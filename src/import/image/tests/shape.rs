//! Pixels that are not square: where a file says so (TIFF and EXIF resolutions, JFIF density,
//! PNG pHYs), how it composes with the orientation, and that a shrunk photo keeps it.

use super::*;

/// A standard-mode fax's resolution: 204 across, 98 down.
const STANDARD: (f64, f64) = (204.0, 98.0);

/// A photo of `width` × `height` stored pixels shaped `pixel`, turned `orientation`.
fn shaped(width: u32, height: u32, pixel: PixelShape, orientation: u8) -> Photo {
    let base = open(&jpeg_rgb(8, 8), ImageFormat::Jpeg, &defaults()).unwrap();
    Photo { width, height, pixel, orientation: Orientation(orientation), ..base }
}

#[test]
fn tall_pixels_compose_with_every_orientation() {
    // A letter page faxed in standard mode: 1728 × 1078 pixels, 8.47 × 11 in.
    let pixel = PixelShape::from_density(STANDARD.0, STANDARD.1);
    let upright = (1728.0, 1078.0 * STANDARD.0 / STANDARD.1);
    for o in 1..=8u8 {
        let photo = shaped(1728, 1078, pixel, o);
        let (w, h) = photo.displayed_size();
        // The resolution belongs to the stored rows and columns: applied first, then turned.
        let want = if o >= 5 { (upright.1, upright.0) } else { upright };
        assert!((w - want.0).abs() < 1e-9 && (h - want.1).abs() < 1e-9, "orientation {o}: {w} × {h}");
        // Drawn into that box at 0.25 pt a unit, each stored column and row takes its share.
        let m = photo.orientation.matrix(10.0, 20.0, w * 0.25, h * 0.25);
        let (column, row) = (m[0].hypot(m[1]) / 1728.0, m[2].hypot(m[3]) / 1078.0);
        assert!((row / column - STANDARD.0 / STANDARD.1).abs() < 1e-9, "orientation {o}: a row is {row}, a column {column}");
        // The box is filled exactly, on a page as wide as the picture stands.
        assert_eq!((m[0].abs() + m[2].abs(), m[1].abs() + m[3].abs()), (w * 0.25, h * 0.25), "orientation {o}");
        assert_eq!(w > h, o >= 5, "orientation {o}: landscape only when turned a quarter");
    }
}

#[test]
fn square_missing_or_absurd_resolutions_leave_pixels_square() {
    for (across, down) in [(300.0, 300.0), (72.0, 72.0), (0.0, 98.0), (204.0, 0.0), (f64::NAN, 98.0), (600.0, 100.0), (25.0, 204.0)] {
        assert_eq!(PixelShape::from_density(across, down), PixelShape::SQUARE, "{across} × {down}");
    }
    assert_eq!(PixelShape::from_density(204.0, 196.0).aspect, 204.0 / 196.0);
    // A photo of square pixels shows its stored size, to the bit.
    assert_eq!(shaped(4032, 3024, PixelShape::SQUARE, 6).displayed_size(), (3024.0, 4032.0));
}

#[test]
fn a_fax_tiff_page_of_standard_resolution_has_tall_pixels() {
    let page = ::image::GrayImage::from_pixel(1728, 2244, ::image::Luma([255]));
    let fax =
        |dpi, orientation| crate::demo::fixtures::fax_tiff_pages(&[crate::demo::fixtures::FaxPage::squeezed(&page, dpi, orientation)]);
    let pages = open_pages(&fax((204, 98), 6), ImageFormat::Tiff, &defaults()).unwrap();
    assert_eq!((pages[0].width, pages[0].height, pages[0].orientation), (1728, 1078, Orientation(6)));
    assert_eq!(pages[0].pixel, PixelShape::from_density(STANDARD.0, STANDARD.1));
    let (w, h) = pages[0].displayed_size();
    assert!((w / h - 11.0 / (1728.0 / 204.0)).abs() < 1e-3, "turned: 11 × 8.47 in, found {w} × {h}");
    let fine = &open_pages(&fax((204, 196), 1), ImageFormat::Tiff, &defaults()).unwrap()[0];
    assert_eq!(fine.pixel.aspect, 204.0 / 196.0);
}

/// A JPEG whose JFIF header says `unit` (0 none, 1 inch, 2 cm) and `across` × `down`.
fn jpeg_with_jfif(unit: u8, across: u16, down: u16) -> Vec<u8> {
    let mut jpeg = jpeg_rgb(40, 24);
    let at = jpeg.windows(5).position(|w| w == b"JFIF\0").expect("the encoder writes JFIF");
    jpeg[at + 7] = unit;
    jpeg[at + 8..at + 10].copy_from_slice(&across.to_be_bytes());
    jpeg[at + 10..at + 12].copy_from_slice(&down.to_be_bytes());
    jpeg
}

/// An EXIF APP1 segment with only XResolution and YResolution (in inches).
fn exif_resolution(across: u32, down: u32) -> Vec<u8> {
    let mut writer = Writer::new();
    let fields = [rationals(Tag::XResolution, &[(across, 1)]), rationals(Tag::YResolution, &[(down, 1)])];
    fields.iter().for_each(|field| writer.push_field(field));
    let mut cursor = Cursor::new(Vec::new());
    writer.write(&mut cursor, false).unwrap();
    segment(0xE1, &[&b"Exif\0\0"[..], &cursor.into_inner()].concat())
}

#[test]
fn a_jpeg_takes_its_pixel_shape_from_jfif_then_exif() {
    let shape = |file: &[u8]| open(file, ImageFormat::Jpeg, &defaults()).unwrap().pixel.aspect;
    assert_eq!(shape(&jpeg_with_jfif(1, 204, 98)), 204.0 / 98.0);
    assert_eq!(shape(&jpeg_with_jfif(2, 80, 40)), 2.0);
    // A ratio alone, with no unit.
    assert_eq!(shape(&jpeg_with_jfif(0, 1, 2)), 0.5);
    // 1:1 with no unit is what encoders write knowing nothing: the EXIF says more.
    let exif = with_segments(&jpeg_with_jfif(0, 1, 1), &[exif_resolution(204, 98)]);
    assert_eq!(shape(&exif), 204.0 / 98.0);
    // A JFIF header that gives a resolution is the JPEG's own word.
    let both = with_segments(&jpeg_with_jfif(1, 72, 72), &[exif_resolution(204, 98)]);
    assert_eq!(shape(&both), 1.0);
    assert_eq!(shape(&jpeg_rgb(40, 24)), 1.0);
}

#[test]
fn a_png_takes_its_pixel_shape_from_phys() {
    let file = png_encoded(&gradient_rgb(3, 2), 3, 2, ExtendedColorType::Rgb8);
    let phys = |across: u32, down: u32, unit: u8| {
        let data = [&across.to_be_bytes()[..], &down.to_be_bytes(), &[unit]].concat();
        let with = [&file[..33], &chunk(b"pHYs", &data), &file[33..]].concat();
        open(&with, ImageFormat::Png, &defaults()).unwrap().pixel.aspect
    };
    // 204 × 98 to the inch, in pixels per metre.
    assert_eq!(phys(8031, 3858, 1), 8031.0 / 3858.0);
    assert_eq!(phys(1, 2, 0), 0.5);
    assert_eq!(phys(1, 1, 0), 1.0);
    assert_eq!(phys(2835, 2835, 1), 1.0);
}

#[test]
fn a_shrunk_photo_keeps_its_pixel_shape_and_spans_more_of_the_file() {
    let file = jpeg_with_jfif(1, 200, 100);
    let original = open(&file, ImageFormat::Jpeg, &defaults()).unwrap();
    let small = shrink_opened(&file, &original, ImageFormat::Jpeg, &defaults(), 10, 80).unwrap();
    assert_eq!((small.width, small.height), (10, 6));
    assert_eq!(small.pixel, PixelShape { aspect: 2.0, span: 4.0 });
    // Square pixels stay square, and unshrunk pixels span one.
    let square = open(&jpeg_rgb(40, 24), ImageFormat::Jpeg, &defaults()).unwrap();
    assert_eq!(square.pixel, PixelShape::SQUARE);
}

#[test]
fn a_fax_tiff_preview_is_shaped_and_turned_as_its_page() {
    let page = ::image::GrayImage::from_pixel(1728, 2244, ::image::Luma([255]));
    let fax =
        |orientation| crate::demo::fixtures::fax_tiff_pages(&[crate::demo::fixtures::FaxPage::squeezed(&page, (204, 98), orientation)]);
    let size = |orientation| {
        let png = preview_png(&fax(orientation), ImageFormat::Tiff, 320).unwrap();
        ::image::load_from_memory(&png).unwrap().into_rgb8().dimensions()
    };
    // 8.47 × 11 in: 246 × 320, upright; turned a quarter, 320 × 246.
    assert_eq!(size(1), (246, 320));
    assert_eq!(size(6), (320, 246));
}
