//! The picture of a scanned PDF page (one without a text layer): its image XObjects decoded and
//! drawn where the page's content places them, turned by the page's `/Rotate`, as a person sees
//! the page. One pixel of the picture is `72 / dpi` points, from the visible box's top-left.

use image::{GrayImage, Luma};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::picture::{decode_pixels, enlarged, jpeg_grey, Picture, Samples, OCR_DPI};
use crate::import::image::ColorSpace;
use crate::import::pdf::{mul, number, pt};

/// A scanned page is drawn at its images' own resolution, within these (then enlarged as any
/// picture is when that is low); a page of images of unknown resolution at [`OCR_DPI`].
const LEAST_DPI: f64 = 100.0;
const MOST_DPI: f64 = 400.0;
/// Form XObjects inside each other followed this deep.
const FORM_DEPTH: usize = 8;
/// The most content operations walked for one page, forms included, and the most images drawn:
/// a scanned page has one image, a page of tiles some hundreds.
const MAX_OPERATIONS: usize = 2_000_000;
const MAX_IMAGES: usize = 2_000;

use crate::matrix::Matrix;

fn inverse(m: Matrix) -> Option<Matrix> {
    let det = m[0] * m[3] - m[1] * m[2];
    if det.abs() < 1e-12 || !det.is_finite() {
        return None;
    }
    let (a, b, c, d) = (m[3] / det, -m[1] / det, -m[2] / det, m[0] / det);
    Some([a, b, c, d, -(m[4] * a + m[5] * c), -(m[4] * b + m[5] * d)])
}

/// An image the page draws, and the matrix that places its unit square on the page.
struct Placed {
    image: Drawn,
    matrix: Matrix,
}

/// An image XObject (by reference), or an image written inline in the content.
enum Drawn {
    Object(Option<ObjectId>),
    Inline(Stream),
}

/// The picture of page `page` of `doc`, or `None` when the page draws no image (a blank page).
/// The error says what in the page cannot be read.
pub(crate) fn scanned_page(doc: &Document, page: ObjectId) -> Result<Option<Picture>, String> {
    let geometry = crate::import::pdf::geometry(doc, page);
    let content =
        doc.get_page_content_with_limit(page, crate::limits::STREAM_DECODED).map_err(|_| "its content cannot be read".to_string())?;
    let walk = walk(doc, &content, geometry.resources.as_ref());
    let placed = walk.placed;
    if placed.is_empty() {
        return match walk.unread_inline {
            true => Err(unsupported("a compressed inline image")),
            false => Ok(None),
        };
    }
    let images = placed.iter().map(|p| Ok((image_stream(doc, &p.image)?, p.matrix))).collect::<Result<Vec<_>, String>>()?;
    let native = images.iter().map(|(s, m)| native_dpi(s, *m)).fold(0.0, f64::max);
    let [x0, y0, x1, y1] = geometry.visible();
    let (w, h) = (x1 - x0, y1 - y0);
    // A page too large for the decoded-image limit at that resolution is drawn coarser.
    let fits = (crate::limits::IMAGE_PIXELS as f64 / (w * h / 72.0 / 72.0)).sqrt();
    let dpi = if native > 0.0 { native.clamp(LEAST_DPI, MOST_DPI) } else { OCR_DPI }.min(fits);
    let size = if geometry.rotate % 180 == 90 { (h, w) } else { (w, h) };
    let device = to_device([x0, y0, x1, y1], geometry.rotate, dpi / 72.0);
    let canvas_size = ((size.0 * dpi / 72.0).round().max(1.0) as u32, (size.1 * dpi / 72.0).round().max(1.0) as u32);
    if u64::from(canvas_size.0) * u64::from(canvas_size.1) > crate::limits::IMAGE_PIXELS {
        return Err("is too large a page to read by OCR".into());
    }
    let mut canvas = GrayImage::from_pixel(canvas_size.0, canvas_size.1, Luma([255]));
    for (stream, matrix) in images {
        let (picture, mask) = decode(doc, stream)?;
        draw(&mut canvas, &picture, mask, mul(matrix, device));
    }
    let image = enlarged(canvas, dpi);
    Ok(Some(Picture { image, size: (size.0 as f32, size.1 as f32) }))
}

/// The images a page's content draws, forms followed, within the walk's limits.
fn walk(doc: &Document, content: &[u8], resources: Option<&Object>) -> Walk {
    let mut walk = Walk { placed: Vec::new(), operations: 0, unread_inline: false };
    collect(doc, content, resources, [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], 0, &mut walk);
    walk
}

/// Every image XObject a page's decoded `content` draws (its forms followed), with the matrix
/// that places the image's unit square in the page's user space; an image drawn twice is
/// listed twice. Inline images, and images written directly in a resource dictionary, are left
/// out. A size budget reads from it how large each image is shown.
pub(crate) fn placed_images(doc: &Document, content: &[u8], resources: Option<&Object>) -> Vec<(ObjectId, Matrix)> {
    let walk = walk(doc, content, resources);
    walk.placed
        .into_iter()
        .filter_map(|p| match p.image {
            Drawn::Object(Some(id)) => Some((id, p.matrix)),
            _ => None,
        })
        .collect()
}

/// An image XObject's samples as stored, 8 bits and `components` (1 or 3) to the pixel, its
/// `/Decode` not applied: for making the image smaller with its colour space and `/Decode`
/// kept. Read from JPEG (DCT) data, or Flate, LZW or unfiltered samples of 8 or 16 bits (16-bit
/// ones by their high byte), a PNG or TIFF predictor undone; the error says what cannot be read.
pub(crate) fn stored_pixels(stream: &Stream, width: u32, height: u32, components: u8) -> Result<image::DynamicImage, String> {
    let color = match components {
        1 => ColorSpace::Gray,
        3 => ColorSpace::Rgb,
        _ => return Err(bad()),
    };
    let bits = match stream.dict.get(b"BitsPerComponent").and_then(Object::as_i64) {
        Ok(16) => 16,
        _ => 8,
    };
    let samples = Samples { width, height, color: &color, bits };
    let expected = samples.bytes().ok_or("has an image too large to decode safely")?;
    let filters = stream.filters().unwrap_or_default();
    let pixels = match filters.last().copied() {
        Some(b"DCTDecode") => {
            let data = before_last(stream, expected)?;
            let picture = decode_pixels(&data, image::ImageFormat::Jpeg, &crate::import::image::Limits::default()).ok_or_else(bad)?;
            match components {
                1 => image::DynamicImage::ImageLuma8(picture.into_luma8()),
                _ => image::DynamicImage::ImageRgb8(picture.into_rgb8()),
            }
        }
        Some(b"CCITTFaxDecode" | b"JBIG2Decode" | b"JPXDecode" | b"RunLengthDecode") => return Err(bad()),
        _ => {
            let mut raw = decoded(stream, expected, height)?;
            if (raw.len() as u64) < expected {
                return Err(bad());
            }
            raw.truncate(expected as usize);
            if bits == 16 {
                raw = raw.chunks_exact(2).map(|sample| sample[0]).collect();
            }
            let image = match components {
                1 => image::GrayImage::from_raw(width, height, raw).map(image::DynamicImage::ImageLuma8),
                _ => image::RgbImage::from_raw(width, height, raw).map(image::DynamicImage::ImageRgb8),
            };
            image.ok_or_else(bad)?
        }
    };
    if (pixels.width(), pixels.height()) != (width, height) {
        return Err(bad());
    }
    Ok(pixels)
}

/// The map from the page's user space to the picture's pixels: from the visible box's top-left,
/// y down, turned clockwise by `/Rotate`, `scale` pixels to the point.
fn to_device([x0, y0, x1, y1]: [f64; 4], rotate: i64, scale: f64) -> Matrix {
    let (w, h) = (x1 - x0, y1 - y0);
    // Unrotated, from the top-left, y down.
    let flip = [1.0, 0.0, 0.0, -1.0, -x0, y1];
    let turn = match rotate {
        90 => [0.0, 1.0, -1.0, 0.0, h, 0.0],
        180 => [-1.0, 0.0, 0.0, -1.0, w, h],
        270 => [0.0, -1.0, 1.0, 0.0, 0.0, w],
        _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    };
    mul(mul(flip, turn), [scale, 0.0, 0.0, scale, 0.0, 0.0])
}

/// What walking a page's content has found so far, and how much of it was walked.
struct Walk {
    placed: Vec<Placed>,
    operations: usize,
    /// An inline image was passed over: lopdf reads only uncompressed ones.
    unread_inline: bool,
}

/// The images a content stream draws (following form XObjects), each with its placement, until
/// [`MAX_OPERATIONS`] or [`MAX_IMAGES`] is reached.
fn collect(doc: &Document, content: &[u8], resources: Option<&Object>, base: Matrix, depth: usize, out: &mut Walk) {
    let Ok(content) = Content::decode(content) else { return };
    let xobjects = resources.and_then(|r| dict(doc, r)).and_then(|r| r.get(b"XObject").ok()).and_then(|x| dict(doc, x));
    let mut ctm = base;
    let mut saved = Vec::new();
    for op in &content.operations {
        out.operations += 1;
        if out.operations > MAX_OPERATIONS || out.placed.len() >= MAX_IMAGES {
            return;
        }
        match op.operator.as_str() {
            "q" => saved.push(ctm),
            "Q" => ctm = saved.pop().unwrap_or(base),
            "cm" => {
                let n: Vec<f64> = op.operands.iter().filter_map(number).collect();
                if let [a, b, c, d, e, f] = n[..] {
                    ctm = mul([a, b, c, d, e, f], ctm);
                }
            }
            "BI" => match op.operands.first() {
                Some(Object::Stream(inline)) => out.placed.push(Placed { image: Drawn::Inline(spelt_out(inline)), matrix: ctm }),
                _ => out.unread_inline = true,
            },
            "Do" => {
                let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else { continue };
                let Some(target) = xobjects.and_then(|x| x.get(name).ok()) else { continue };
                xobject(doc, target, ctm, depth, out);
            }
            _ => {}
        }
    }
}

/// An XObject drawn with `ctm`: an image is placed, a form's own content followed.
fn xobject(doc: &Document, target: &Object, ctm: Matrix, depth: usize, out: &mut Walk) {
    let id = target.as_reference().ok();
    let Ok((_, Object::Stream(stream))) = doc.dereference(target) else { return };
    match stream.dict.get(b"Subtype").and_then(Object::as_name) {
        Ok(b"Image") => out.placed.push(Placed { image: Drawn::Object(id), matrix: ctm }),
        Ok(b"Form") if depth < FORM_DEPTH => {
            let matrix = stream.dict.get(b"Matrix").ok().and_then(|m| doc.dereference(m).ok()).and_then(|(_, m)| m.as_array().ok());
            let m: Vec<f64> = matrix.map(|m| m.iter().filter_map(number).collect()).unwrap_or_default();
            let form = if let [a, b, c, d, e, f] = m[..] { mul([a, b, c, d, e, f], ctm) } else { ctm };
            let Ok(content) = stream.decompressed_content_with_limit(crate::limits::STREAM_DECODED) else { return };
            collect(doc, &content, stream.dict.get(b"Resources").ok(), form, depth + 1, out);
        }
        _ => {}
    }
}

fn image_stream<'a>(doc: &'a Document, image: &'a Drawn) -> Result<&'a Stream, String> {
    let id = match image {
        Drawn::Inline(stream) => return Ok(stream),
        Drawn::Object(id) => *id,
    };
    id.and_then(|id| doc.get_object(id).ok()).and_then(|o| o.as_stream().ok()).ok_or_else(|| "an image on it cannot be found".to_string())
}

/// An inline image's dictionary with its abbreviated keys and names spelt out, as an image
/// XObject's would be.
pub(crate) fn spelt_out(inline: &Stream) -> Stream {
    const KEYS: [(&[u8], &str); 7] = [
        (b"W", "Width"),
        (b"H", "Height"),
        (b"BPC", "BitsPerComponent"),
        (b"CS", "ColorSpace"),
        (b"IM", "ImageMask"),
        (b"D", "Decode"),
        (b"DP", "DecodeParms"),
    ];
    const NAMES: [(&[u8], &str); 4] = [(b"G", "DeviceGray"), (b"RGB", "DeviceRGB"), (b"CMYK", "DeviceCMYK"), (b"I", "Indexed")];
    let mut full = Stream::new(Dictionary::new(), inline.content.clone());
    for (key, value) in inline.dict.iter() {
        let key = KEYS.iter().find(|(short, _)| *short == key.as_slice()).map_or(key.clone(), |(_, long)| long.as_bytes().to_vec());
        let value = match value {
            Object::Name(n) => {
                Object::Name(NAMES.iter().find(|(short, _)| *short == n.as_slice()).map_or(n.clone(), |(_, long)| long.as_bytes().to_vec()))
            }
            other => other.clone(),
        };
        full.dict.set(key, value);
    }
    full
}

/// A dictionary, or a stream's, through a reference.
pub(crate) fn dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match doc.dereference(o).ok()?.1 {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn int(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<i64> {
    d.get(key).ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_i64().ok())
}

/// Pixels per inch of an image as placed: its width in pixels over its placed width.
fn native_dpi(stream: &Stream, m: Matrix) -> f64 {
    let width = stream.dict.get(b"Width").and_then(Object::as_i64).unwrap_or(0) as f64;
    let placed = (m[0] * m[0] + m[1] * m[1]).sqrt() / 72.0;
    if placed > 0.0 {
        width / placed
    } else {
        0.0
    }
}

/// Draws `picture` (a mask paints its black only) through `m`, the map from its unit square
/// (first row at the top) to the canvas's pixels, sampling bilinearly.
fn draw(canvas: &mut GrayImage, picture: &GrayImage, mask: bool, m: Matrix) {
    if !mask && m[1] == 0.0 && m[2] == 0.0 && m[0] > 0.0 && m[3] < 0.0 {
        return draw_upright(canvas, picture, m);
    }
    let Some(back) = inverse(m) else { return };
    let corners = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)].map(|(x, y)| pt(m, x, y));
    let clamp = |v: f64, most: u32| v.clamp(0.0, f64::from(most)) as u32;
    let x0 = clamp(corners.iter().map(|c| c.0).fold(f64::MAX, f64::min).floor(), canvas.width());
    let x1 = clamp(corners.iter().map(|c| c.0).fold(f64::MIN, f64::max).ceil(), canvas.width());
    let y0 = clamp(corners.iter().map(|c| c.1).fold(f64::MAX, f64::min).floor(), canvas.height());
    let y1 = clamp(corners.iter().map(|c| c.1).fold(f64::MIN, f64::max).ceil(), canvas.height());
    let (iw, ih) = (f64::from(picture.width()), f64::from(picture.height()));
    for y in y0..y1 {
        for x in x0..x1 {
            let (s, t) = pt(back, f64::from(x) + 0.5, f64::from(y) + 0.5);
            if !(0.0..1.0).contains(&s) || !(0.0..1.0).contains(&t) {
                continue;
            }
            let level = bilinear(picture, s * iw - 0.5, (1.0 - t) * ih - 0.5);
            let px = canvas.get_pixel_mut(x, y);
            px.0[0] = if mask { px.0[0].min(level) } else { level };
        }
    }
}

/// [`draw`] for an image placed upright, unturned (as scanners place their pages): scaled once
/// and copied.
fn draw_upright(canvas: &mut GrayImage, picture: &GrayImage, m: Matrix) {
    let (w, h) = (m[0].round(), (-m[3]).round());
    if w < 1.0 || h < 1.0 || w * h > crate::limits::IMAGE_PIXELS as f64 {
        return;
    }
    let (w, h) = (w as u32, h as u32);
    let scaled;
    let source = if (w, h) == picture.dimensions() {
        picture
    } else {
        scaled = crate::import::image::resample::resize_grey(picture, w, h, image::imageops::FilterType::Triangle);
        &scaled
    };
    image::imageops::replace(canvas, source, m[4].round() as i64, (m[5] + m[3]).round() as i64);
}

fn bilinear(picture: &GrayImage, fx: f64, fy: f64) -> u8 {
    let (w, h) = (picture.width() as i64, picture.height() as i64);
    let (x, y) = (fx.floor(), fy.floor());
    let (dx, dy) = (fx - x, fy - y);
    let at = |i: i64, j: i64| f64::from(picture.get_pixel(i.clamp(0, w - 1) as u32, j.clamp(0, h - 1) as u32).0[0]);
    let (i, j) = (x as i64, y as i64);
    let top = at(i, j) * (1.0 - dx) + at(i + 1, j) * dx;
    let bottom = at(i, j + 1) * (1.0 - dx) + at(i + 1, j + 1) * dx;
    (top * (1.0 - dy) + bottom * dy).round() as u8
}

/// Why an image XObject was not made pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Undecoded {
    /// It is stored in an encoding Redress does not decode, named here ("JPEG 2000", "JBIG2"):
    /// the image is not damaged, PDF readers show it.
    Encoding(&'static str),
    /// Anything else (damaged data, an unknown colour space, too large), as a phrase about the
    /// page.
    Other(String),
}

impl From<String> for Undecoded {
    fn from(why: String) -> Undecoded {
        Undecoded::Other(why)
    }
}

impl From<Undecoded> for String {
    fn from(why: Undecoded) -> String {
        match why {
            Undecoded::Encoding(what) => unsupported(what),
            Undecoded::Other(why) => why,
        }
    }
}

/// An image XObject as grey pixels (0 black), and whether it is a stencil mask (black where it
/// paints, white where it leaves the page as it is).
pub(crate) fn decode(doc: &Document, stream: &Stream) -> Result<(GrayImage, bool), Undecoded> {
    let d = &stream.dict;
    let filters = stream.filters().unwrap_or_default();
    match filters.last().copied() {
        Some(b"JBIG2Decode") => return Err(Undecoded::Encoding("JBIG2")),
        Some(b"JPXDecode") => return Err(Undecoded::Encoding("JPEG 2000")),
        _ => {}
    }
    let (width, height) = (int(doc, d, b"Width").unwrap_or(0), int(doc, d, b"Height").unwrap_or(0));
    let (width, height) = (u32::try_from(width).map_err(|_| bad())?, u32::try_from(height).map_err(|_| bad())?);
    if width == 0 || height == 0 {
        return Err(bad().into());
    }
    let mask = d.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false);
    let bits = if mask { 1 } else { int(doc, d, b"BitsPerComponent").unwrap_or(8) as u8 };
    let color = if mask { ColorSpace::Gray } else { color_space(doc, d.get(b"ColorSpace").ok())? };
    let invert = d.get(b"Decode").ok().and_then(|o| o.as_array().ok()).and_then(|a| a.first()).and_then(number) == Some(1.0);
    let samples = Samples { width, height, color: &color, bits };
    let expected = samples.bytes().ok_or_else(|| "has an image too large to decode safely".to_string())?;
    let grey = match filters.last().copied() {
        Some(b"DCTDecode") => {
            let data = before_last(stream, expected)?;
            jpeg_grey(&data, invert, &crate::import::image::Limits::default()).ok_or_else(bad)?
        }
        Some(b"CCITTFaxDecode") => ccitt(&before_last(stream, expected)?, stream, width, height, invert)?,
        _ => samples.grey(&decoded(stream, expected, height)?, invert).ok_or_else(bad)?,
    };
    if grey.width() == 0 || grey.height() == 0 {
        return Err(bad().into());
    }
    Ok((grey, mask))
}

fn bad() -> String {
    "has an image whose data cannot be decoded".to_string()
}

fn unsupported(what: &str) -> String {
    format!(
        "has its picture stored as {what}, which Redress cannot read yet; print the page to a new PDF or save it as an image, and add that"
    )
}

/// An image's samples with every filter undone (a PNG or TIFF predictor too), within what
/// `expected` bytes of samples in `height` rows need: a PNG predictor's data holds a byte more
/// a row before it is undone.
fn decoded(stream: &Stream, expected: u64, height: u32) -> Result<Vec<u8>, String> {
    let room = expected + u64::from(height) + 1024;
    stream.decompressed_content_with_limit(usize::try_from(room).map_err(|_| bad())?).map_err(|_| bad())
}

/// The stream's data with every filter but the last undone.
fn before_last(stream: &Stream, expected: u64) -> Result<Vec<u8>, String> {
    let filters = stream.filters().map_err(|_| bad())?;
    if filters.len() <= 1 {
        return Ok(stream.content.clone());
    }
    let mut earlier = stream.clone();
    let names = filters[..filters.len() - 1].iter().map(|f| Object::Name(f.to_vec())).collect();
    earlier.dict.set("Filter", Object::Array(names));
    if let Ok(Object::Array(params)) = stream.dict.get(b"DecodeParms") {
        earlier.dict.set("DecodeParms", Object::Array(params[..params.len().min(filters.len() - 1)].to_vec()));
    }
    earlier.decompressed_content_with_limit(expected.saturating_mul(4) as usize + 1024).map_err(|_| bad())
}

/// A CCITT fax image (Group 4, or Group 3 one-dimensional) as grey: black runs black, unless
/// `/BlackIs1` and `/Decode` together say otherwise.
fn ccitt(data: &[u8], stream: &Stream, width: u32, height: u32, invert: bool) -> Result<GrayImage, Undecoded> {
    let params = match stream.dict.get(b"DecodeParms") {
        Ok(Object::Dictionary(p)) => Some(p.clone()),
        Ok(Object::Array(a)) => a.last().and_then(|p| p.as_dict().ok()).cloned(),
        _ => None,
    }
    .unwrap_or_default();
    let get = |key: &[u8]| params.get(key).ok().and_then(|o| o.as_i64().ok());
    let k = get(b"K").unwrap_or(0);
    let columns = u16::try_from(get(b"Columns").unwrap_or(i64::from(width))).map_err(|_| bad())?;
    let black_is_1 = params.get(b"BlackIs1").and_then(Object::as_bool).unwrap_or(false);
    let rows = u16::try_from(height).map_err(|_| bad())?;
    let mut out = GrayImage::from_pixel(width, height, Luma([255]));
    let mut y = 0u32;
    let mut line = |transitions: &[u16]| {
        if y < height {
            for (x, colour) in fax::decoder::pels(transitions, columns).enumerate().take(width as usize) {
                // The filter's bit (0 for black unless BlackIs1), read as DeviceGray and /Decode.
                let bit = (colour == fax::Color::Black) == black_is_1;
                let white = bit != invert;
                out.put_pixel(x as u32, y, Luma([if white { 255 } else { 0 }]));
            }
        }
        y += 1;
    };
    let done = match k {
        k if k < 0 => fax::decoder::decode_g4(data.iter().copied(), columns, Some(rows), &mut line),
        0 => fax::decoder::decode_g3(data.iter().copied(), &mut line),
        _ => return Err(Undecoded::Encoding("two-dimensional Group 3 fax coding")),
    };
    done.ok_or_else(bad)?;
    Ok(out)
}

/// The colour space of an image, as its samples are read.
pub(crate) fn color_space(doc: &Document, space: Option<&Object>) -> Result<ColorSpace, String> {
    let Some(space) = space.and_then(|s| doc.dereference(s).ok()).map(|(_, s)| s) else { return Ok(ColorSpace::Gray) };
    let device = |name: &[u8]| match name {
        b"DeviceGray" | b"CalGray" | b"G" => Some(ColorSpace::Gray),
        b"DeviceRGB" | b"CalRGB" | b"RGB" | b"Lab" => Some(ColorSpace::Rgb),
        b"DeviceCMYK" | b"CMYK" => Some(ColorSpace::Cmyk),
        _ => None,
    };
    let unknown = || "has an image in a colour space Redress cannot read yet".to_string();
    match space {
        Object::Name(name) => device(name).ok_or_else(unknown),
        Object::Array(parts) => {
            let kind = parts.first().and_then(|k| k.as_name().ok()).ok_or_else(unknown)?;
            match kind {
                b"ICCBased" => {
                    let n = parts.get(1).and_then(|s| dict(doc, s)).and_then(|d| int(doc, d, b"N"));
                    match n {
                        Some(1) => Ok(ColorSpace::Gray),
                        Some(3) => Ok(ColorSpace::Rgb),
                        Some(4) => Ok(ColorSpace::Cmyk),
                        _ => Err(unknown()),
                    }
                }
                b"Indexed" | b"I" => indexed(doc, parts).ok_or_else(unknown),
                other => device(other).ok_or_else(unknown),
            }
        }
        _ => Err(unknown()),
    }
}

/// `[/Indexed base hival lookup]` with its palette as RGB triples.
fn indexed(doc: &Document, parts: &[Object]) -> Option<ColorSpace> {
    let base = color_space(doc, parts.get(1)).ok()?;
    let hival = u8::try_from(parts.get(2).and_then(number)? as i64).ok()?;
    let lookup = match doc.dereference(parts.get(3)?).ok()?.1 {
        Object::String(bytes, _) => bytes.clone(),
        Object::Stream(s) => s.decompressed_content_with_limit(4 * 256).ok()?,
        _ => return None,
    };
    let n = usize::from(base.components());
    let palette = lookup
        .chunks(n)
        .take(usize::from(hival) + 1)
        .flat_map(|c| match (&base, c) {
            (ColorSpace::Gray, [g]) => [*g, *g, *g],
            (ColorSpace::Rgb, [r, g, b]) => [*r, *g, *b],
            (ColorSpace::Cmyk, [c, m, y, k]) => [
                255u8.saturating_sub(c.saturating_add(*k)),
                255u8.saturating_sub(m.saturating_add(*k)),
                255u8.saturating_sub(y.saturating_add(*k)),
            ],
            _ => [255, 255, 255],
        })
        .collect();
    Some(ColorSpace::Indexed { palette, hival })
}
