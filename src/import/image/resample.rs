//! Pictures scaled through `fast_image_resize`'s vectorised convolutions: the image crate's own
//! resize is a generic loop in floating point that rounds every sample, and took two thirds of
//! a size budget's build. The same filters (a triangle is its bilinear) and, as the image crate
//! does, no premultiplying by alpha: pictures within a grey level of the image crate's.

use fast_image_resize::{images::Image, images::ImageRef, FilterType as Fir, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{imageops::FilterType, DynamicImage, GrayImage, ImageBuffer, Pixel};

/// `image` scaled to `w` × `h` with `filter`; pictures of 16-bit or float samples through the
/// image crate's own resize.
pub fn resize(image: &DynamicImage, w: u32, h: u32, filter: FilterType) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(i) => DynamicImage::ImageLuma8(resize_buffer(i, w, h, filter, PixelType::U8)),
        DynamicImage::ImageLumaA8(i) => DynamicImage::ImageLumaA8(resize_buffer(i, w, h, filter, PixelType::U8x2)),
        DynamicImage::ImageRgb8(i) => DynamicImage::ImageRgb8(resize_buffer(i, w, h, filter, PixelType::U8x3)),
        DynamicImage::ImageRgba8(i) => DynamicImage::ImageRgba8(resize_buffer(i, w, h, filter, PixelType::U8x4)),
        other => other.resize_exact(w, h, filter),
    }
}

/// A grey picture scaled to `w` × `h` with `filter`.
pub fn resize_grey(grey: &GrayImage, w: u32, h: u32, filter: FilterType) -> GrayImage {
    resize_buffer(grey, w, h, filter, PixelType::U8)
}

/// One picture of 8-bit samples scaled; `pixel` is its layout of samples.
fn resize_buffer<P: Pixel<Subpixel = u8> + 'static>(
    from: &ImageBuffer<P, Vec<u8>>,
    w: u32,
    h: u32,
    filter: FilterType,
    pixel: PixelType,
) -> ImageBuffer<P, Vec<u8>> {
    let (w, h) = (w.max(1), h.max(1));
    let scaled = ImageRef::new(from.width(), from.height(), from.as_raw(), pixel).ok().and_then(|source| {
        let mut to = Image::new(w, h, pixel);
        let options = ResizeOptions::new().resize_alg(algorithm(filter)).use_alpha(false);
        Resizer::new().resize(&source, &mut to, &options).ok()?;
        ImageBuffer::from_raw(w, h, to.into_vec())
    });
    // The crate refuses only what cannot happen here (a buffer shorter than its picture, an
    // empty picture): the image crate's resize then says what it says.
    scaled.unwrap_or_else(|| image::imageops::resize(from, w, h, filter))
}

fn algorithm(filter: FilterType) -> ResizeAlg {
    match filter {
        FilterType::Nearest => ResizeAlg::Nearest,
        FilterType::Triangle => ResizeAlg::Convolution(Fir::Bilinear),
        FilterType::CatmullRom => ResizeAlg::Convolution(Fir::CatmullRom),
        FilterType::Gaussian => ResizeAlg::Convolution(Fir::Gaussian),
        FilterType::Lanczos3 => ResizeAlg::Convolution(Fir::Lanczos3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::fixtures;

    /// The mean difference of two pictures' samples, in levels of 255.
    fn difference(a: &DynamicImage, b: &DynamicImage) -> f64 {
        assert_eq!((a.width(), a.height(), a.color()), (b.width(), b.height(), b.color()));
        let (a, b) = (a.as_bytes(), b.as_bytes());
        a.iter().zip(b).map(|(&x, &y)| f64::from(x.abs_diff(y))).sum::<f64>() / a.len() as f64
    }

    #[test]
    fn pictures_come_out_as_the_image_crates_own_filters_make_them() {
        let scan = image::load_from_memory(&fixtures::scan_page_jpeg(850, 1100, 1, 90)).unwrap();
        let photo = image::load_from_memory(&fixtures::jpeg_plain_at(640, 480, 3, 90)).unwrap();
        let rgba = DynamicImage::ImageRgba8(photo.to_rgba8());
        for (picture, filter, (w, h)) in [
            (&scan, FilterType::Triangle, (301, 389)),
            (&scan, FilterType::CatmullRom, (1700, 2200)),
            (&photo, FilterType::Triangle, (200, 150)),
            (&rgba, FilterType::Triangle, (333, 250)),
        ] {
            let ours = resize(picture, w, h, filter);
            let theirs = picture.resize_exact(w, h, filter);
            let off = difference(&ours, &theirs);
            assert!(off < 1.0, "{filter:?} to {w} × {h}: {off:.2} levels off the image crate's");
        }
        let grey = resize_grey(&scan.to_luma8(), 425, 550, FilterType::Triangle);
        assert_eq!(grey.dimensions(), (425, 550));
    }
}
