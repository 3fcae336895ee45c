//! TIFF samples as the `tiff` crate hands them over, turned into pixels a PDF can show: every bit
//! depth and sample type to 8 or 16 bits, and the colour models PDF has no name for (CIELab,
//! YCbCr, palette) to RGB.

use ::image::{DynamicImage, ImageBuffer};
use tiff::decoder::DecodingResult;

use super::ColorSpace;

/// How a page's samples are to be read, from its tags.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Model {
    Gray {
        bits: u8,
    },
    GrayAlpha,
    Rgb,
    Rgba,
    Cmyk,
    /// CMYK with an extra (alpha) sample, dropped: paper has no transparency over ink.
    CmykAlpha,
    YCbCr,
    /// CIE L*a*b* with signed a* and b* (TIFF's CIELab).
    CieLab,
    /// ICC L*a*b*: a* and b* stored with an offset of half the range.
    IccLab,
    /// Indices into a TIFF ColorMap: red, green and blue curves of `2^bits` 16-bit entries each.
    Palette {
        bits: u8,
        map: Vec<u16>,
    },
}

/// A decoded page: an image, or rows PDF takes as they are.
pub(super) enum Pixels {
    Image(DynamicImage),
    /// Samples of 1, 2, 4 or 8 bits, each row starting on a byte, as TIFF and PDF both lay
    /// them out: a fax or a palette page is carried without unpacking a pixel.
    Packed {
        color: ColorSpace,
        bits: u8,
        rows: Vec<u8>,
    },
}

impl Pixels {
    /// The pixels as a picture (packed rows unpacked), for a preview.
    pub(super) fn into_image(self, width: u32, height: u32) -> Option<DynamicImage> {
        match self {
            Pixels::Image(picture) => Some(picture),
            Pixels::Packed { color: ColorSpace::Indexed { palette, .. }, bits, rows } => {
                let colour = |i: u8| [0, 1, 2].map(|c| palette.get(3 * usize::from(i) + c).copied().unwrap_or(0));
                let rgb = indices(width, height, bits, &rows)?.into_iter().flat_map(colour).collect();
                ImageBuffer::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
            }
            Pixels::Packed { bits, rows, .. } => {
                let top = (1u16 << bits) - 1;
                let grey = indices(width, height, bits, &rows)?.into_iter().map(|v| (u16::from(v) * 255 / top) as u8).collect();
                ImageBuffer::from_raw(width, height, grey).map(DynamicImage::ImageLuma8)
            }
        }
    }
}

/// Each pixel's value of packed rows (each starting on a byte), row by row.
fn indices(width: u32, height: u32, bits: u8, rows: &[u8]) -> Option<Vec<u8>> {
    if !matches!(bits, 1 | 2 | 4 | 8) {
        return None;
    }
    let (width, height) = (usize::try_from(width).ok()?, usize::try_from(height).ok()?);
    let per_byte = 8 / usize::from(bits);
    let mask = ((1u16 << bits) - 1) as u8;
    let mut out = Vec::with_capacity(width.checked_mul(height)?);
    for row in rows.chunks(width.div_ceil(per_byte)).take(height) {
        out.extend((0..width).map(|x| {
            let shift = usize::from(bits) * (per_byte - 1 - x % per_byte);
            (row.get(x / per_byte).copied().unwrap_or(0) >> shift) & mask
        }));
    }
    (out.len() == width * height).then_some(out)
}

/// Turns a decoded page into pixels. `None` when the samples do not fit the model (a damaged
/// or contradictory file).
pub(super) fn pixels(width: u32, height: u32, model: &Model, samples: DecodingResult) -> Option<Pixels> {
    match model {
        Model::Gray { bits: bits @ (1 | 2 | 4) } => Some(Pixels::Packed { color: ColorSpace::Gray, bits: *bits, rows: bytes(samples)? }),
        Model::Palette { bits, map } => Some(Pixels::Packed { color: palette(*bits, map)?, bits: *bits, rows: bytes(samples)? }),
        _ => image(width, height, model, samples).map(Pixels::Image),
    }
}

fn image(width: u32, height: u32, model: &Model, samples: DecodingResult) -> Option<DynamicImage> {
    match model {
        Model::CieLab | Model::IccLab => lab(width, height, model == &Model::IccLab, samples),
        Model::YCbCr => {
            let rgb: Vec<u8> = bytes(samples)?.chunks_exact(3).flat_map(ycbcr_to_rgb).collect();
            ImageBuffer::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
        }
        Model::Cmyk | Model::CmykAlpha => cmyk(width, height, model == &Model::CmykAlpha, samples),
        _ => direct(width, height, model, samples),
    }
}

/// Grey, grey with alpha, RGB and RGBA: 8-bit samples stay 8-bit, anything wider becomes 16-bit.
fn direct(width: u32, height: u32, model: &Model, samples: DecodingResult) -> Option<DynamicImage> {
    if let DecodingResult::U8(raw) = samples {
        return match model {
            Model::Gray { .. } => ImageBuffer::from_raw(width, height, raw).map(DynamicImage::ImageLuma8),
            Model::GrayAlpha => ImageBuffer::from_raw(width, height, raw).map(DynamicImage::ImageLumaA8),
            Model::Rgb => ImageBuffer::from_raw(width, height, raw).map(DynamicImage::ImageRgb8),
            _ => ImageBuffer::from_raw(width, height, raw).map(DynamicImage::ImageRgba8),
        };
    }
    let wide = wide(samples);
    match model {
        Model::Gray { .. } => ImageBuffer::from_raw(width, height, wide).map(DynamicImage::ImageLuma16),
        Model::GrayAlpha => ImageBuffer::from_raw(width, height, wide).map(DynamicImage::ImageLumaA16),
        Model::Rgb => ImageBuffer::from_raw(width, height, wide).map(DynamicImage::ImageRgb16),
        _ => ImageBuffer::from_raw(width, height, wide).map(DynamicImage::ImageRgba16),
    }
}

/// Samples of the same type as `like`, from their bytes in native order.
pub(super) fn from_native_bytes(like: &DecodingResult, bytes: Vec<u8>) -> Option<DecodingResult> {
    fn each<const N: usize, T>(bytes: &[u8], read: fn([u8; N]) -> T) -> Vec<T> {
        bytes.chunks_exact(N).map(|c| read(c.try_into().unwrap_or([0; N]))).collect()
    }
    Some(match like {
        DecodingResult::U8(_) => DecodingResult::U8(bytes),
        DecodingResult::U16(_) => DecodingResult::U16(each(&bytes, u16::from_ne_bytes)),
        DecodingResult::U32(_) => DecodingResult::U32(each(&bytes, u32::from_ne_bytes)),
        DecodingResult::F32(_) => DecodingResult::F32(each(&bytes, f32::from_ne_bytes)),
        DecodingResult::F64(_) => DecodingResult::F64(each(&bytes, f64::from_ne_bytes)),
        _ => return None,
    })
}

fn bytes(samples: DecodingResult) -> Option<Vec<u8>> {
    match samples {
        DecodingResult::U8(raw) => Some(raw),
        _ => None,
    }
}

/// Any sample type as 16-bit values over the full range. Integers keep their top bits; signed
/// ones are shifted so that the most negative value is black.
fn wide(samples: DecodingResult) -> Vec<u16> {
    match samples {
        DecodingResult::U8(v) => v.into_iter().map(|s| u16::from(s) * 257).collect(),
        DecodingResult::U16(v) => v,
        DecodingResult::U32(v) => v.into_iter().map(|s| (s >> 16) as u16).collect(),
        DecodingResult::U64(v) => v.into_iter().map(|s| (s >> 48) as u16).collect(),
        DecodingResult::I8(v) => v.into_iter().map(|s| (i16::from(s) + 128) as u16 * 257).collect(),
        DecodingResult::I16(v) => v.into_iter().map(|s| (i32::from(s) + 32768) as u16).collect(),
        DecodingResult::I32(v) => v.into_iter().map(|s| ((i64::from(s) + (1 << 31)) >> 16) as u16).collect(),
        DecodingResult::I64(v) => v.into_iter().map(|s| ((i128::from(s) + (1 << 63)) >> 48) as u16).collect(),
        DecodingResult::F16(v) => floats(v.into_iter().map(f64::from).collect()),
        DecodingResult::F32(v) => floats(v.into_iter().map(f64::from).collect()),
        DecodingResult::F64(v) => floats(v),
    }
}

/// Floating-point samples carry no declared range: scientific and HDR files use 0–1, others
/// keep 8- or 16-bit values as floats. The smallest of those ranges that holds every sample is
/// taken as white, so neither kind comes out all white or all black. Samples below zero (a
/// measurement such as a phase map) are shown from their lowest to their highest value, as
/// scientific viewers show them.
fn floats(values: Vec<f64>) -> Vec<u16> {
    let finite = || values.iter().copied().filter(|v| v.is_finite());
    let (low, top) = (finite().fold(0.0f64, f64::min), finite().fold(0.0f64, f64::max));
    let (black, white) =
        if low < 0.0 { (low, top) } else { (0.0, [1.0, 255.0, 65535.0].into_iter().find(|&range| top <= range).unwrap_or(top)) };
    let span = (white - black).max(f64::MIN_POSITIVE);
    values.iter().map(|&v| if v.is_finite() { (((v - black) / span).clamp(0.0, 1.0) * 65535.0).round() as u16 } else { 0 }).collect()
}

/// Rows of samples 9 to 15 bits wide, packed as TIFF packs them (high bit first, each row
/// starting on a byte), as 16-bit samples over the same range (4095 of 12 bits is 65535).
pub(super) fn unpack_wide(rows: DecodingResult, width: u32, samples: u64, bits: u64) -> Option<DecodingResult> {
    let DecodingResult::U8(bytes) = rows else { return None };
    let per_row = usize::try_from(u64::from(width).checked_mul(samples)?).ok()?;
    let bits = u32::try_from(bits).ok().filter(|b| (9..=15).contains(b))?;
    let row_bytes = per_row.checked_mul(bits as usize)?.div_ceil(8).max(1);
    let top = (1u32 << bits) - 1;
    let mut out = Vec::with_capacity(bytes.len() / row_bytes * per_row);
    for row in bytes.chunks_exact(row_bytes) {
        let (mut held, mut count, mut next) = (0u32, 0u32, row.iter());
        for _ in 0..per_row {
            while count < bits {
                held = held << 8 | u32::from(*next.next()?);
                count += 8;
            }
            count -= bits;
            let value = held >> count & top;
            held &= (1 << count) - 1;
            out.push(((value * 65535 + top / 2) / top) as u16);
        }
    }
    Some(DecodingResult::U16(out))
}

/// A TIFF ColorMap (all reds, then greens, then blues, 16 bits each) as PDF's indexed colour
/// space over RGB.
fn palette(bits: u8, map: &[u16]) -> Option<ColorSpace> {
    let entries = 1usize << bits;
    if map.len() != 3 * entries {
        return None;
    }
    let channel = |c: usize, i: usize| (map[c * entries + i] >> 8) as u8;
    let palette = (0..entries).flat_map(|i| [channel(0, i), channel(1, i), channel(2, i)]).collect();
    Some(ColorSpace::Indexed { palette, hival: u8::try_from(entries - 1).ok()? })
}

/// JPEG's (full-range BT.601) conversion, which TIFF's default YCbCr coefficients and reference
/// range match.
fn ycbcr_to_rgb(sample: &[u8]) -> [u8; 3] {
    let (y, cb, cr) = (f64::from(sample[0]), f64::from(sample[1]) - 128.0, f64::from(sample[2]) - 128.0);
    let clamp = |v: f64| v.round().clamp(0.0, 255.0) as u8;
    [clamp(y + 1.402 * cr), clamp(y - 0.344_136 * cb - 0.714_136 * cr), clamp(y + 1.772 * cb)]
}

/// CMYK as a PDF viewer shows DeviceCMYK without a profile: each ink takes its share of the
/// white that black leaves.
fn cmyk(width: u32, height: u32, extra: bool, samples: DecodingResult) -> Option<DynamicImage> {
    let step = if extra { 5 } else { 4 };
    let wide = wide(samples);
    let ink = |c: u16, k: u16| ((65535 - u32::from(c)) * (65535 - u32::from(k)) / 65535) as u16;
    let rgb: Vec<u16> = wide.chunks_exact(step).flat_map(|p| [ink(p[0], p[3]), ink(p[1], p[3]), ink(p[2], p[3])]).collect();
    let image = ImageBuffer::from_raw(width, height, rgb).map(DynamicImage::ImageRgb16)?;
    Some(DynamicImage::ImageRgb8(image.to_rgb8()))
}

/// CIE L*a*b* (relative to D50, as TIFF and ICC define it) to sRGB.
fn lab(width: u32, height: u32, icc: bool, samples: DecodingResult) -> Option<DynamicImage> {
    let values: Vec<[f64; 3]> = match samples {
        DecodingResult::U8(raw) => raw
            .chunks_exact(3)
            .map(|s| {
                let ab = |v: u8| if icc { f64::from(v) - 128.0 } else { f64::from(v as i8) };
                [f64::from(s[0]) * 100.0 / 255.0, ab(s[1]), ab(s[2])]
            })
            .collect(),
        DecodingResult::U16(raw) => raw
            .chunks_exact(3)
            .map(|s| {
                let ab = |v: u16| if icc { (f64::from(v) - 32768.0) / 256.0 } else { f64::from(v as i16) / 256.0 };
                [f64::from(s[0]) * 100.0 / 65535.0, ab(s[1]), ab(s[2])]
            })
            .collect(),
        _ => return None,
    };
    let rgb = values.into_iter().flat_map(|[l, a, b]| lab_to_srgb(l, a, b)).collect();
    ImageBuffer::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
}

/// One L*a*b* colour (D50) to 8-bit sRGB: to XYZ, adapted to sRGB's D65 white (Bradford), then
/// sRGB's matrix and curve. Colours outside sRGB are clipped.
pub(super) fn lab_to_srgb(l: f64, a: f64, b: f64) -> [u8; 3] {
    const D50: [f64; 3] = [0.964_22, 1.0, 0.825_21];
    let fy = (l + 16.0) / 116.0;
    let (fx, fz) = (fy + a / 500.0, fy - b / 200.0);
    let inverse = |f: f64| if f > 6.0 / 29.0 { f * f * f } else { 3.0 * (6.0f64 / 29.0).powi(2) * (f - 4.0 / 29.0) };
    let xyz = [inverse(fx) * D50[0], inverse(fy) * D50[1], inverse(fz) * D50[2]];
    // XYZ (D50) straight to linear sRGB: Bradford adaptation to D65 folded into sRGB's matrix.
    const M: [[f64; 3]; 3] =
        [[3.133_856_1, -1.616_866_7, -0.490_614_6], [-0.978_768_4, 1.916_141_5, 0.033_454_0], [0.071_945_3, -0.228_991_1, 1.405_242_7]];
    M.map(|row| {
        let linear = row[0] * xyz[0] + row[1] * xyz[1] + row[2] * xyz[2];
        let encoded = if linear <= 0.003_130_8 { 12.92 * linear } else { 1.055 * linear.powf(1.0 / 2.4) - 0.055 };
        (encoded * 255.0).round().clamp(0.0, 255.0) as u8
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_colours_come_out_as_srgb_shows_them() {
        // White, mid grey and sRGB's red, green and blue as ICC (D50) L*a*b* gives them.
        assert_eq!(lab_to_srgb(100.0, 0.0, 0.0), [255, 255, 255]);
        let close = |got: [u8; 3], want: [u8; 3]| got.iter().zip(want).all(|(&g, w)| g.abs_diff(w) <= 2);
        assert!(close(lab_to_srgb(50.0, 0.0, 0.0), [119, 119, 119]), "{:?}", lab_to_srgb(50.0, 0.0, 0.0));
        assert!(close(lab_to_srgb(54.29, 80.80, 69.89), [255, 0, 0]), "{:?}", lab_to_srgb(54.29, 80.80, 69.89));
        assert!(close(lab_to_srgb(87.82, -79.29, 80.99), [0, 255, 0]), "{:?}", lab_to_srgb(87.82, -79.29, 80.99));
        assert!(close(lab_to_srgb(29.57, 68.30, -112.03), [0, 0, 255]), "{:?}", lab_to_srgb(29.57, 68.30, -112.03));
    }

    #[test]
    fn packed_rows_unpack_for_a_preview() {
        // 3 pixels of 4 bits: two bytes a row, the last half byte padding.
        let grey = Pixels::Packed { color: ColorSpace::Gray, bits: 4, rows: vec![0x0F, 0x80, 0xF0, 0x0F] };
        assert_eq!(grey.into_image(3, 2).unwrap().to_luma8().into_raw(), [0, 255, 136, 255, 0, 0]);
        let palette = ColorSpace::Indexed { palette: vec![0, 0, 0, 255, 255, 0], hival: 1 };
        let indexed = Pixels::Packed { color: palette, bits: 1, rows: vec![0b0100_0000] };
        assert_eq!(indexed.into_image(3, 1).unwrap().to_rgb8().into_raw(), [0, 0, 0, 255, 255, 0, 0, 0, 0]);
    }

    #[test]
    fn a_colour_map_becomes_an_indexed_palette() {
        let map = [0, 65535, 0, 65535, 0, 0];
        assert_eq!(palette(1, &map), Some(ColorSpace::Indexed { palette: vec![0, 0, 0, 255, 255, 0], hival: 1 }));
        assert_eq!(palette(1, &map[..5]), None);
    }

    #[test]
    fn wide_and_float_samples_keep_their_range() {
        assert_eq!(wide(DecodingResult::U32(vec![0, u32::MAX])), [0, 65535]);
        assert_eq!(wide(DecodingResult::F32(vec![0.0, 0.5, 1.0])), [0, 32768, 65535]);
        assert_eq!(wide(DecodingResult::F32(vec![0.0, 255.0])), [0, 65535]);
        assert_eq!(wide(DecodingResult::F64(vec![f64::NAN, -1.0])), [0, 0]);
        assert_eq!(wide(DecodingResult::F32(vec![-2.0, 0.0, 2.0])), [0, 32768, 65535]);
        // Two 12-bit samples in three bytes: 0xABC and 0x0FF, each times 65535 / 4095.
        let DecodingResult::U16(twelve) = unpack_wide(DecodingResult::U8(vec![0xAB, 0xC0, 0xFF]), 2, 1, 12).unwrap() else { panic!() };
        assert_eq!(twelve, [43978, 4081]);
        assert_eq!(ycbcr_to_rgb(&[255, 128, 128]), [255, 255, 255]);
    }
}
