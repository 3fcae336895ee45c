//! What a size budget does to an exhibit's images: the inventory of what each exhibit holds
//! (taken while the merge writes it as it is), and each image made smaller at a step, one at a
//! time. An image that cannot be decoded, or whose smaller copy is no smaller, is left as it
//! is; so are the images [`budget`](super::budget) counts as fixed.

use super::budget::{Coding, ImageInfo, Kept, Make, Shown, Shrink};
use crate::import::image::{ColorSpace, Encoding, ImageFormat, Limits, Photo};
use crate::import::{self, Format};
use crate::matrix::Matrix;
use lopdf::{Document, Object, ObjectId, Stream};
use std::collections::BTreeMap;

/// The inventory entry of a photo exhibit's image as opened.
pub fn photo_info(photo: &Photo, format: Format) -> ImageInfo {
    let bytes = photo_bytes(photo);
    let coding = match (format, photo.encoding) {
        (Format::Jpeg | Format::Heif, Encoding::Dct) => Coding::Jpeg { quality: import::image::jpeg_quality(&photo.data).unwrap_or(85) },
        (Format::Png, Encoding::FlatePng { .. }) => Coding::Lossless { predicted: true },
        (Format::Png, _) => Coding::Lossless { predicted: false },
        // TIFF pages are scans and faxes: a budget leaves them as they are.
        _ => Coding::Fixed(Kept::TiffPage),
    };
    // A CMYK photo would change colour made RGB: it is left as it is.
    let coding = if photo.color == ColorSpace::Cmyk { Coding::Fixed(Kept::Colours("CMYK colour")) } else { coding };
    let components = if photo.color == ColorSpace::Gray { 1 } else { 3 };
    ImageInfo { width: photo.width, height: photo.height, components, bytes, coding, shown: Shown::PhotoPage }
}

/// A photo made smaller at step `s` from its file's `bytes` (a JPEG of the step's quality, or
/// downsampled and kept lossless, as [`Shrink::make`] says), or `None` when the step leaves it
/// as it is, it cannot be decoded, or the smaller copy is no smaller.
pub fn shrink_photo(bytes: &[u8], photo: &Photo, format: Format, s: &Shrink) -> Option<Photo> {
    let info = photo_info(photo, format);
    let make = s.make(&info)?;
    // A TIFF's pictures are left as they are.
    let kind = format.image().filter(|f| *f != ImageFormat::Tiff)?;
    let edge = ((f64::from(photo.width.max(photo.height)) * s.scale(&info)).round() as u32).max(1);
    let limits = Limits::default();
    let small = match make {
        Make::Jpeg(quality) => import::image::shrink_opened(bytes, photo, kind, &limits, edge, quality),
        Make::Lossless => import::image::downsample_lossless(bytes, photo, kind, &limits, edge),
    };
    small.ok().filter(|small| photo_bytes(small) < info.bytes)
}

/// A photo's bytes in the packet: its picture and transparency mask.
pub fn photo_bytes(photo: &Photo) -> u64 {
    (photo.data.len() + photo.alpha.as_ref().map_or(0, Vec::len)) as u64
}

/// The images the selected `pages` of an exhibit PDF draw, by object, each with the least
/// resolution it is shown at; an image whose dictionary cannot be read is left out (and so
/// left as it is).
pub fn pdf_images(doc: &Document, pages: &[ObjectId]) -> BTreeMap<ObjectId, ImageInfo> {
    let mut found: BTreeMap<ObjectId, ImageInfo> = BTreeMap::new();
    for p in placements(doc, pages) {
        let Some(mut info) = found.get(&p.id).cloned().or_else(|| image_info(doc, p.id)) else { continue };
        if let Some((dpi, area)) = shown(&info, p.matrix, p.unit) {
            let scan = area >= p.page_area / 2.0;
            info.shown = match info.shown {
                Shown::InPdf { dpi: d, scan: s } if d > 0.0 => Shown::InPdf { dpi: d.min(dpi), scan: s || scan },
                _ => Shown::InPdf { dpi, scan },
            };
        }
        found.insert(p.id, info);
    }
    found
}

/// One time an image XObject is drawn on a page.
pub struct Placement {
    pub id: ObjectId,
    /// The matrix placing the image's unit square in the page's user space.
    pub matrix: Matrix,
    /// Points to the page's unit (`/UserUnit`: a page in larger units shows its images larger).
    pub unit: f64,
    /// The page's visible area, in square units.
    pub page_area: f64,
}

impl Placement {
    /// The width and height the image is shown at, in points.
    pub fn size(&self) -> (f64, f64) {
        let m = self.matrix;
        (m[0].hypot(m[1]) * self.unit, m[2].hypot(m[3]) * self.unit)
    }
}

/// Every image XObject the `pages` of an exhibit PDF draw (their forms followed), each time it
/// is drawn: what a size budget and fax mode learn an image's shown size from.
pub fn placements(doc: &Document, pages: &[ObjectId]) -> Vec<Placement> {
    let mut out = Vec::new();
    for page in pages {
        let geo = import::pdf::geometry(doc, *page);
        let Ok(content) = doc.get_page_content_with_limit(*page, crate::limits::STREAM_DECODED) else { continue };
        let [x0, y0, x1, y1] = geo.visible();
        let unit = doc.get_dictionary(*page).map(super::merge::user_unit).unwrap_or(1.0);
        let page_area = ((x1 - x0) * (y1 - y0)).abs();
        for (id, matrix) in crate::ocr::pdfpage::placed_images(doc, &content, geo.resources.as_ref()) {
            out.push(Placement { id, matrix, unit, page_area });
        }
    }
    out
}

/// Pixels per inch an image is shown at through `m` on a page of `unit` points to the unit (the
/// less of its two directions), and the area it covers in square units.
fn shown(info: &ImageInfo, m: Matrix, unit: f64) -> Option<(f64, f64)> {
    let (w, h) = (m[0].hypot(m[1]) * unit / 72.0, m[2].hypot(m[3]) * unit / 72.0);
    if !(w > 1e-6 && h > 1e-6 && w.is_finite() && h.is_finite()) {
        return None;
    }
    let dpi = (f64::from(info.width) / w).min(f64::from(info.height) / h);
    Some((dpi, (m[0] * m[3] - m[1] * m[2]).abs()))
}

/// The inventory entry of image XObject `id`, as found (shown nowhere yet: `dpi` 0).
fn image_info(doc: &Document, id: ObjectId) -> Option<ImageInfo> {
    let stream = doc.get_object(id).ok()?.as_stream().ok()?;
    let d = &stream.dict;
    if d.get(b"Subtype").ok()?.as_name().ok()? != b"Image" {
        return None;
    }
    let int = |key: &[u8]| d.get(key).ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_i64().ok());
    let (width, height) = (u32::try_from(int(b"Width")?).ok()?, u32::try_from(int(b"Height")?).ok()?);
    if width == 0 || height == 0 {
        return None;
    }
    let space = components(doc, d.get(b"ColorSpace").ok());
    let coding = match (kept(stream, int(b"BitsPerComponent")), space) {
        (Some(why), _) => Coding::Fixed(why),
        (None, Err(colours)) => Coding::Fixed(Kept::Colours(colours)),
        (None, Ok(n)) => coding(stream, n),
    };
    let components = space.unwrap_or(1);
    Some(ImageInfo { width, height, components, bytes: stream.content.len() as u64, coding, shown: Shown::InPdf { dpi: 0.0, scan: false } })
}

/// Why a smaller JPEG of an image cannot stand in for it, judged by its dictionary and
/// encoding (its colour space apart): black and white, an encoding Redress does not decode, a
/// mask of any kind (a stencil, a soft mask, a colour key), something else attached, or other
/// than 8 or 16 bits a sample; `None` when one can.
fn kept(stream: &Stream, bits: Option<i64>) -> Option<Kept> {
    let d = &stream.dict;
    let filters = stream.filters().unwrap_or_default();
    let stencil = d.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false);
    if stencil || bits == Some(1) || filters.iter().any(|f| matches!(*f, b"CCITTFaxDecode" | b"JBIG2Decode")) {
        return Some(Kept::BlackAndWhite);
    }
    if filters.contains(&&b"JPXDecode"[..]) {
        return Some(Kept::Encoding("JPEG 2000"));
    }
    if d.has(b"SMask") || d.has(b"Mask") || d.has(b"SMaskInData") {
        return Some(Kept::Masked);
    }
    (!matches!(bits, Some(8 | 16)) || d.has(b"Alternates")).then_some(Kept::Other)
}

/// How an image's data is stored: a JPEG (its only filter), lossless samples, or something a
/// budget leaves alone (a JPEG whose colour transform is spelt out or whose components are not
/// the colour space's `components`, a filter Redress does not undo).
fn coding(stream: &Stream, components: u8) -> Coding {
    let lossless = Coding::Lossless { predicted: predicted(&stream.dict) };
    let Ok(filters) = stream.filters() else { return lossless };
    match filters.last().copied() {
        Some(b"DCTDecode") if !stream.dict.has(b"DecodeParms") => {
            // A JPEG behind another filter (rare) cannot be checked here: it is left alone.
            if filters.len() > 1 || import::image::jpeg_components(&stream.content) != Some(components) {
                return Coding::Fixed(Kept::Other);
            }
            Coding::Jpeg { quality: import::image::jpeg_quality(&stream.content).unwrap_or(85) }
        }
        _ if filters.iter().all(|f| matches!(*f, b"FlateDecode" | b"LZWDecode" | b"ASCII85Decode" | b"ASCIIHexDecode")) => lossless,
        _ => Coding::Fixed(Kept::Other),
    }
}

/// Whether an image's samples are stored behind a predictor (`/Predictor` above 1 in its
/// `/DecodeParms`, or in one of them).
fn predicted(d: &lopdf::Dictionary) -> bool {
    let above_one = |o: &Object| o.as_dict().ok().and_then(|p| p.get(b"Predictor").ok()?.as_i64().ok()).is_some_and(|p| p > 1);
    match d.get(b"DecodeParms") {
        Ok(Object::Array(parms)) => parms.iter().any(above_one),
        Ok(parms) => above_one(parms),
        Err(_) => false,
    }
}

/// Components of a colour space a JPEG of the same components shows the same: grey or RGB,
/// device, calibrated or ICC-based. CMYK, Lab, Indexed, Separation and the like are left
/// alone: the error names them in words.
fn components(doc: &Document, space: Option<&Object>) -> Result<u8, &'static str> {
    const OTHER: &str = "a colour space of its own";
    let Some(space) = space.and_then(|s| doc.dereference(s).ok()).map(|(_, s)| s) else { return Err(OTHER) };
    let named = |n: &[u8]| match n {
        b"DeviceGray" | b"CalGray" => Ok(1),
        b"DeviceRGB" | b"CalRGB" => Ok(3),
        b"DeviceCMYK" => Err("CMYK colour"),
        b"Lab" => Err("Lab colour"),
        b"Indexed" => Err("a palette of colours"),
        b"Separation" | b"DeviceN" => Err("spot colours"),
        _ => Err(OTHER),
    };
    match space {
        Object::Name(n) if matches!(n.as_slice(), b"DeviceGray" | b"DeviceRGB" | b"DeviceCMYK") => named(n),
        Object::Array(parts) => match parts.first().and_then(|p| p.as_name().ok()) {
            Some(b"ICCBased") => {
                let icc = parts.get(1).and_then(|p| doc.dereference(p).ok()).and_then(|(_, o)| o.as_stream().ok());
                match icc.and_then(|s| s.dict.get(b"N").ok()).and_then(|n| n.as_i64().ok()) {
                    Some(1) => Ok(1),
                    Some(3) => Ok(3),
                    Some(4) => Err("CMYK colour"),
                    _ => Err(OTHER),
                }
            }
            Some(kind @ (b"CalGray" | b"CalRGB" | b"Lab" | b"Indexed" | b"Separation" | b"DeviceN")) => named(kind),
            _ => Err(OTHER),
        },
        _ => Err(OTHER),
    }
}

/// Every image of `found` in `doc` made smaller at `step` in place, as [`shrink_pdf_image`]
/// does, as many at a time as there are cores; the bytes before and after of each it changed.
pub fn shrink_pdf_images(doc: &mut Document, found: &BTreeMap<ObjectId, ImageInfo>, step: &Shrink) -> BTreeMap<ObjectId, (u64, u64)> {
    let mut jobs: Vec<_> = doc
        .objects
        .iter_mut()
        .filter_map(|(id, o)| match (found.get(id), o) {
            (Some(info), Object::Stream(s)) => Some((*id, info, s, None)),
            _ => None,
        })
        .collect();
    crate::cores::for_each_mut(&mut jobs, |(_, info, s, sizes)| *sizes = shrink_pdf_image(s, info, step));
    jobs.into_iter().filter_map(|(id, _, _, sizes)| Some((id, sizes?))).collect()
}

/// Image stream `s` (as `info` found it) made smaller at step `s`, in place: resized, then a
/// baseline JPEG of the step's quality or, for a lossless image the step keeps lossless, Flate
/// data behind a PNG predictor; its colour space, `/Decode`, `/Intent` and the rest of its
/// dictionary kept. Returns its bytes before and after, or `None` when it is left as it is
/// (the step leaves it, it cannot be decoded, or the copy would be no smaller).
fn shrink_pdf_image(stream: &mut Stream, info: &ImageInfo, step: &Shrink) -> Option<(u64, u64)> {
    let make = step.make(info)?;
    let pixels = crate::ocr::pdfpage::stored_pixels(stream, info.width, info.height, info.components).ok()?;
    let scale = step.scale(info);
    let (w, h) = (((f64::from(info.width) * scale).round() as u32).max(1), ((f64::from(info.height) * scale).round() as u32).max(1));
    let pixels = if (w, h) == (info.width, info.height) {
        pixels
    } else {
        import::image::resample::resize(&pixels, w, h, image::imageops::FilterType::Triangle)
    };
    let gray = info.components == 1;
    let (data, filter, parms) = match make {
        Make::Jpeg(quality) => (import::image::encode_jpeg(&pixels, gray, quality).ok()?, "DCTDecode", None),
        Make::Lossless => {
            let parms = lopdf::dictionary! { "Predictor" => 15, "Colors" => i64::from(info.components), "BitsPerComponent" => 8, "Columns" => i64::from(w) };
            (import::image::encode_lossless(&pixels, gray).ok()?, "FlateDecode", Some(parms))
        }
    };
    let before = stream.content.len() as u64;
    if data.len() as u64 >= before {
        return None;
    }
    let d = &mut stream.dict;
    d.set("Width", i64::from(w));
    d.set("Height", i64::from(h));
    d.set("BitsPerComponent", 8);
    d.set("Filter", Object::Name(filter.as_bytes().to_vec()));
    match parms {
        Some(parms) => d.set("DecodeParms", parms),
        None => {
            d.remove(b"DecodeParms");
        }
    }
    d.remove(b"Length");
    stream.content = data;
    Some((before, stream.content.len() as u64))
}

/// Images changed alike, by where they are shown.
#[derive(Debug, Default, Clone)]
struct Group {
    scans: usize,
    images: usize,
    /// Pictures on pages of their own: photos, or PNG images.
    pictures: usize,
    /// Of those, images made fewer pixels.
    resized: usize,
}

impl Group {
    fn count(&self) -> usize {
        self.scans + self.images + self.pictures
    }

    /// "2 scanned pages and 1 photo downsampled (to at most 150 dpi, 1800 pixels) and", naming
    /// the group's images as lossless ones (a picture on a page of its own a PNG image) or not
    /// (a photo), with the sizes `edge` and `dpi` it was limited to and `and` after them;
    /// `None` when the group is empty.
    fn words(&self, lossless: bool, (edge, dpi): (u32, u32), and: &str) -> Option<String> {
        let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        let (image, picture) = match lossless {
            true => (("lossless image", "lossless images"), ("PNG image", "PNG images")),
            false => (("image", "images"), ("photo", "photos")),
        };
        let mut things = Vec::new();
        let mut limits = Vec::new();
        if self.scans > 0 {
            things.push(n(self.scans, "scanned page", "scanned pages"));
        }
        if self.images > 0 {
            things.push(n(self.images, image.0, image.1));
        }
        if self.scans + self.images > 0 {
            limits.push(format!("{dpi} dpi"));
        }
        if self.pictures > 0 {
            things.push(n(self.pictures, picture.0, picture.1));
            limits.push(format!("{edge} pixels"));
        }
        let how = match self.resized {
            0 => String::new(),
            _ => format!(" downsampled (to at most {}){and}", limits.join(", ")),
        };
        (self.count() > 0).then(|| format!("{}{how}", things.join(" and ")))
    }
}

/// What a budget did to one exhibit's images, added up as they are written.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// JPEGs recompressed (smaller, or at a lower quality).
    recompressed: Group,
    /// Lossless images downsampled and kept lossless.
    kept_lossless: Group,
    /// Lossless images made JPEGs.
    made_jpeg: Group,
    pub before: u64,
    pub after: u64,
}

impl Changes {
    /// Adds an image changed from `before` to `after` bytes.
    pub fn add(&mut self, info: &ImageInfo, s: &Shrink, (before, after): (u64, u64)) {
        let group = match (info.coding, s.make(info)) {
            (Coding::Lossless { .. }, Some(Make::Lossless)) => &mut self.kept_lossless,
            (Coding::Lossless { .. }, _) => &mut self.made_jpeg,
            _ => &mut self.recompressed,
        };
        match info.shown {
            Shown::PhotoPage => group.pictures += 1,
            Shown::InPdf { scan: true, .. } => group.scans += 1,
            Shown::InPdf { .. } => group.images += 1,
        }
        if s.scale(info) < 1.0 {
            group.resized += 1;
        }
        self.before += before;
        self.after += after;
    }

    pub fn count(&self) -> usize {
        self.recompressed.count() + self.kept_lossless.count() + self.made_jpeg.count()
    }

    /// In words, one clause for each kind of change, each with its one JPEG quality: "2
    /// scanned pages downsampled (to at most 150 dpi) and recompressed at JPEG quality 70 or
    /// less; 1 PNG image downsampled (to at most 1600 pixels), kept lossless".
    pub fn words(&self, s: &Shrink) -> String {
        let lossless = (s.lossless.edge, s.lossless.dpi);
        let jpegs = match (self.made_jpeg.count(), s.lossless.jpeg.unwrap_or(s.quality)) {
            (1, q) => format!("made a JPEG of quality {q}"),
            (_, q) => format!("made JPEGs of quality {q}"),
        };
        let clauses = [
            self.recompressed
                .words(false, (s.edge, s.dpi), " and")
                .map(|w| format!("{w} recompressed at JPEG quality {} or less", s.quality)),
            self.kept_lossless.words(true, lossless, ",").map(|w| format!("{w} kept lossless")),
            self.made_jpeg.words(true, lossless, " and").map(|w| format!("{w} {jpegs}")),
        ];
        clauses.into_iter().flatten().collect::<Vec<_>>().join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::budget;
    use lopdf::{dictionary, Dictionary};

    /// A one-page document drawing image `image` over its whole 4 × 2 in page.
    fn page_with(image: Stream) -> (Document, ObjectId, ObjectId) {
        let mut doc = Document::with_version("1.7");
        let id = doc.add_object(image);
        let content = doc.add_object(Stream::new(Dictionary::new(), b"q 288 0 0 144 0 0 cm /Im1 Do Q".to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "MediaBox" => vec![0.into(), 0.into(), 288.into(), 144.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => id } }, "Contents" => content,
        });
        (doc, page, id)
    }

    /// A grey scan-like image of 1200 × 600 pixels (300 dpi on its page) stored as a JPEG of
    /// quality 90, with extra keys that must survive.
    fn grey_scan() -> Stream {
        let (w, h) = (1200, 600);
        let pixels = image::GrayImage::from_fn(w, h, |x, y| image::Luma([if (x / 40 + y / 60) % 2 == 0 { 40 } else { 220 }]));
        let jpeg = import::image::encode_jpeg(&image::DynamicImage::ImageLuma8(pixels), true, 90).unwrap();
        Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
            "Decode" => vec![1.into(), 0.into()], "Intent" => "Perceptual" },
            jpeg,
        )
    }

    #[test]
    fn a_scan_is_found_at_its_resolution_and_made_smaller_with_its_dictionary_kept() {
        let (doc, page, id) = page_with(grey_scan());
        let found = pdf_images(&doc, &[page]);
        let info = &found[&id];
        assert_eq!(info.coding, Coding::Jpeg { quality: 90 });
        assert!(matches!(info.shown, Shown::InPdf { dpi, scan: true } if (dpi - 300.0).abs() < 0.01), "{:?}", info.shown);
        let mut stream = doc.get_object(id).unwrap().as_stream().unwrap().clone();
        let (before, after) = shrink_pdf_image(&mut stream, info, &Shrink::FLOOR).unwrap();
        assert!(after < before, "{before} → {after}");
        let d = &stream.dict;
        assert_eq!((d.get(b"Width").unwrap().as_i64().unwrap(), d.get(b"Height").unwrap().as_i64().unwrap()), (600, 300));
        assert_eq!(d.get(b"Decode").unwrap(), &Object::Array(vec![1.into(), 0.into()]), "/Decode is kept");
        assert_eq!(d.get(b"Intent").unwrap().as_name().unwrap(), b"Perceptual");
        assert_eq!(d.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceGray");
        let back = crate::ocr::pdfpage::stored_pixels(&stream, 600, 300, 1).unwrap().to_luma8();
        assert!(
            back.get_pixel(10, 10).0[0] < 80 && back.get_pixel(30, 10).0[0] > 180 && back.get_pixel(10, 40).0[0] > 180,
            "the picture is the same"
        );
        // The same image and step give the same bytes.
        let mut again = doc.get_object(id).unwrap().as_stream().unwrap().clone();
        shrink_pdf_image(&mut again, info, &Shrink::FLOOR).unwrap();
        assert_eq!(again.content, stream.content);
    }

    #[test]
    fn a_page_in_larger_units_shows_its_image_at_fewer_pixels_per_inch() {
        let (mut doc, page, id) = page_with(grey_scan());
        doc.get_dictionary_mut(page).unwrap().set("UserUnit", 2);
        let found = pdf_images(&doc, &[page]);
        assert!(matches!(found[&id].shown, Shown::InPdf { dpi, .. } if (dpi - 150.0).abs() < 0.01), "{:?}", found[&id].shown);
    }

    #[test]
    fn images_a_jpeg_cannot_stand_in_for_are_fixed() {
        let fixed = |edit: &dyn Fn(&mut Dictionary)| {
            let mut s = grey_scan();
            edit(&mut s.dict);
            let (doc, page, id) = page_with(s);
            pdf_images(&doc, &[page])[&id].coding
        };
        assert_eq!(fixed(&|d| d.set("ColorSpace", "DeviceCMYK")), Coding::Fixed(Kept::Colours("CMYK colour")));
        assert_eq!(fixed(&|d| d.set("SMask", Object::Reference((99, 0)))), Coding::Fixed(Kept::Masked));
        assert_eq!(fixed(&|d| d.set("Mask", vec![0.into(), 10.into()])), Coding::Fixed(Kept::Masked));
        assert_eq!(fixed(&|d| d.set("BitsPerComponent", 1)), Coding::Fixed(Kept::BlackAndWhite));
        assert_eq!(fixed(&|d| d.set("Filter", "JPXDecode")), Coding::Fixed(Kept::Encoding("JPEG 2000")));
        assert_eq!(fixed(&|d| d.set("Filter", "CCITTFaxDecode")), Coding::Fixed(Kept::BlackAndWhite));
        let indexed = Object::Array(vec!["Indexed".into(), "DeviceRGB".into(), 1.into(), Object::string_literal("abcdef")]);
        assert_eq!(fixed(&|d| d.set("ColorSpace", indexed.clone())), Coding::Fixed(Kept::Colours("a palette of colours")));
        assert_eq!(fixed(&|d| d.set("Filter", "FlateDecode")), Coding::Lossless { predicted: false });
        assert_eq!(fixed(&|d| d.set("ColorSpace", "DeviceRGB")), Coding::Fixed(Kept::Other), "a grey JPEG said to be RGB");
    }

    #[test]
    fn photos_are_found_as_lossy_lossless_or_fixed() {
        let jpeg = crate::demo::fixtures::jpeg_plain(400, 300, 1);
        let photo = import::image::open_pages(&jpeg, ImageFormat::Jpeg, &Limits::default()).unwrap().remove(0);
        assert_eq!(photo_info(&photo, Format::Jpeg).coding, Coding::Jpeg { quality: 85 });
        let cmyk = Photo { color: ColorSpace::Cmyk, ..photo.clone() };
        assert_eq!(photo_info(&cmyk, Format::Jpeg).coding, Coding::Fixed(Kept::Colours("CMYK colour")));
        let png = crate::demo::fixtures::png_rgb(64, 32);
        let screenshot = import::image::open_pages(&png, ImageFormat::Png, &Limits::default()).unwrap().remove(0);
        assert_eq!(photo_info(&screenshot, Format::Png).coding, Coding::Lossless { predicted: true });
        let tiff = crate::demo::fixtures::tiff_rgb(64, 32);
        let page = import::image::open_pages(&tiff, ImageFormat::Tiff, &Limits::default()).unwrap().remove(0);
        assert_eq!(photo_info(&page, Format::Tiff).coding, Coding::Fixed(Kept::TiffPage));
    }

    #[test]
    fn a_lossless_image_with_a_png_predictor_is_made_a_jpeg_only_at_the_last_step() {
        use std::io::Write;
        let (w, h) = (400u32, 200u32);
        let rgb = |x: u32, y: u32| [(x / 2 % 256) as u8, (y % 256) as u8, ((x + y) / 3 % 256) as u8];
        // Each row behind its PNG filter byte (0: none), as a Flate image with /Predictor 15.
        let rows: Vec<u8> = (0..h).flat_map(|y| std::iter::once(0).chain((0..w).flat_map(move |x| rgb(x, y)))).collect();
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&rows).unwrap();
        let image = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
            "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "FlateDecode",
            "DecodeParms" => dictionary! { "Predictor" => 15, "Colors" => 3, "BitsPerComponent" => 8, "Columns" => w as i64 } },
            z.finish().unwrap(),
        );
        let (doc, page, id) = page_with(image);
        let info = pdf_images(&doc, &[page])[&id].clone();
        assert_eq!(info.coding, Coding::Lossless { predicted: true });
        let mut stream = doc.get_object(id).unwrap().as_stream().unwrap().clone();
        let last_kept = budget::STEPS.iter().rev().find(|s| !s.makes_jpegs()).unwrap();
        assert_eq!(shrink_pdf_image(&mut stream, &info, last_kept), None, "kept lossless while another step remains");
        shrink_pdf_image(&mut stream, &info, &Shrink::FLOOR).expect("made a JPEG at the last step");
        assert!(!stream.dict.has(b"DecodeParms"));
        // Shown at 100 dpi, below the floor: made a JPEG at its own size.
        let back = crate::ocr::pdfpage::stored_pixels(&stream, w, h, 3).unwrap().to_rgb8();
        for (x, y) in [(10, 10), (150, 40), (390, 190)] {
            let want = rgb(x, y);
            let got = back.get_pixel(x, y).0;
            assert!(want.iter().zip(got).all(|(a, b)| a.abs_diff(b) < 40), "{want:?} became {got:?} at {x},{y}");
        }
    }

    /// An RGB picture of smooth gradients, `w` × `h`.
    fn gradients(w: u32, h: u32) -> image::RgbImage {
        image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x / 7 % 256) as u8, (y / 4 % 256) as u8, ((x + y) / 13 % 256) as u8]))
    }

    #[test]
    fn a_lossless_image_shown_finer_than_a_step_is_downsampled_and_kept_lossless() {
        // 1600 × 800 pixels on a 4 × 2 in page: 400 dpi, Flate without a predictor.
        let (w, h) = (1600u32, 800u32);
        let picture = gradients(w, h);
        let mut image = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
            "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Intent" => "Perceptual" },
            picture.as_raw().clone(),
        );
        image.compress().unwrap();
        let (doc, page, id) = page_with(image);
        let info = pdf_images(&doc, &[page])[&id].clone();
        assert_eq!(info.coding, Coding::Lossless { predicted: false });
        let step = &budget::STEPS[1];
        assert_eq!(step.make(&info), Some(Make::Lossless));
        let mut stream = doc.get_object(id).unwrap().as_stream().unwrap().clone();
        let (before, after) = shrink_pdf_image(&mut stream, &info, step).unwrap();
        assert!(after < before, "{before} → {after}");
        let d = &stream.dict;
        let int = |k: &[u8]| d.get(k).unwrap().as_i64().unwrap();
        assert_eq!((int(b"Width"), int(b"Height")), (1200, 600), "300 dpi");
        assert_eq!(d.get(b"Filter").unwrap().as_name().unwrap(), b"FlateDecode");
        let parms = d.get(b"DecodeParms").unwrap().as_dict().unwrap();
        assert_eq!(parms.get(b"Predictor").unwrap().as_i64().unwrap(), 15);
        assert_eq!(parms.get(b"Columns").unwrap().as_i64().unwrap(), 1200);
        assert_eq!(d.get(b"Intent").unwrap().as_name().unwrap(), b"Perceptual");
        let back = crate::ocr::pdfpage::stored_pixels(&stream, 1200, 600, 3).unwrap().to_rgb8();
        for (x, y) in [(10, 10), (600, 300), (1190, 590)] {
            let want = picture.get_pixel(x * 4 / 3, y * 4 / 3).0;
            let got = back.get_pixel(x, y).0;
            assert!(want.iter().zip(got).all(|(a, b)| a.abs_diff(b) <= 3), "{want:?} became {got:?} at {x},{y}");
        }
        // Once made a JPEG (the last steps), the same image is one.
        let mut again = doc.get_object(id).unwrap().as_stream().unwrap().clone();
        shrink_pdf_image(&mut again, &info, &Shrink::FLOOR).unwrap();
        assert_eq!(again.dict.get(b"Filter").unwrap().as_name().unwrap(), b"DCTDecode");
        assert!(!again.dict.has(b"DecodeParms"));
    }

    #[test]
    fn pixels_behind_png_filters_read_back_exactly() {
        let picture = image::DynamicImage::ImageRgb8(gradients(301, 77));
        for gray in [false, true] {
            let data = import::image::encode_lossless(&picture, gray).unwrap();
            let components: i64 = if gray { 1 } else { 3 };
            let stream = Stream::new(
                dictionary! { "Width" => 301, "Height" => 77, "BitsPerComponent" => 8, "Filter" => "FlateDecode",
                "DecodeParms" => dictionary! { "Predictor" => 15, "Colors" => components, "BitsPerComponent" => 8, "Columns" => 301 } },
                data.clone(),
            );
            let back = crate::ocr::pdfpage::stored_pixels(&stream, 301, 77, components as u8).unwrap();
            match gray {
                true => assert_eq!(back.to_luma8(), picture.to_luma8()),
                false => assert_eq!(back.to_rgb8(), picture.to_rgb8()),
            }
            assert_eq!(import::image::encode_lossless(&picture, gray).unwrap(), data, "the same pixels, the same bytes");
        }
    }

    #[test]
    fn a_png_on_its_own_page_is_downsampled_lossless_and_made_a_jpeg_only_at_the_last_steps() {
        let png = crate::demo::fixtures::png_rgb(2400, 1500);
        let photo = import::image::open_pages(&png, ImageFormat::Png, &Limits::default()).unwrap().remove(0);
        let kept = shrink_photo(&png, &photo, Format::Png, &budget::STEPS[3]).expect("downsampled");
        assert_eq!((kept.width, kept.height), (1800, 1125));
        assert!(matches!(kept.encoding, Encoding::FlatePng { colors: 3, bits: 8, columns: 1800 }), "{:?}", kept.encoding);
        assert!(photo_bytes(&kept) < photo_bytes(&photo));
        // Not below its floor while it stays lossless, however small the photos are made.
        let last_kept = budget::STEPS.iter().rev().find(|s| !s.makes_jpegs()).unwrap();
        let at_floor = shrink_photo(&png, &photo, Format::Png, last_kept).unwrap();
        assert_eq!(at_floor.width, budget::LOSSLESS_EDGE);
        assert!(matches!(at_floor.encoding, Encoding::FlatePng { columns: 1600, .. }), "{:?}", at_floor.encoding);
        let jpeg = shrink_photo(&png, &photo, Format::Png, &budget::STEPS[budget::same_kind_from(&Shrink::FLOOR)]).unwrap();
        assert_eq!((jpeg.width, jpeg.encoding), (2400, Encoding::Dct), "made a JPEG at its own size first");
    }

    #[test]
    fn the_words_name_a_png_as_one_and_give_one_quality_a_clause() {
        let info = |coding, shown| ImageInfo { width: 2560, height: 1600, components: 3, bytes: 1_000_000, coding, shown };
        let png = info(Coding::Lossless { predicted: true }, Shown::PhotoPage);
        let photo = info(Coding::Jpeg { quality: 92 }, Shown::PhotoPage);
        let scan = info(Coding::Jpeg { quality: 92 }, Shown::InPdf { dpi: 300.0, scan: true });
        let words = |step: &Shrink, images: &[&ImageInfo]| {
            let mut c = Changes::default();
            images.iter().for_each(|i| c.add(i, step, (1_000_000, 500_000)));
            c.words(step)
        };
        assert_eq!(
            words(&budget::STEPS[3], &[&png, &photo, &scan]),
            "1 scanned page and 1 photo downsampled (to at most 200 dpi, 1800 pixels) and recompressed at JPEG quality 75 or less; \
             1 PNG image downsampled (to at most 1800 pixels), kept lossless"
        );
        assert_eq!(
            words(&Shrink::FLOOR, &[&png, &photo]),
            "1 photo downsampled (to at most 700 pixels) and recompressed at JPEG quality 40 or less; \
             1 PNG image downsampled (to at most 700 pixels) and made a JPEG of quality 50"
        );
        let first_jpeg = &budget::STEPS[budget::same_kind_from(&Shrink::FLOOR)];
        assert_eq!(words(first_jpeg, &[&png, &png]), "2 PNG images made JPEGs of quality 85");
    }

    #[test]
    fn a_tall_scan_behind_a_png_predictor_or_in_16_bits_is_made_smaller() {
        use std::io::Write;
        // 2400 × 1200 on the 4 × 2 in page: 600 dpi, more rows than a PNG row's byte once left
        // room for.
        let (w, h) = (2400u32, 1200u32);
        // Paper and ink with a scanner's grain, which Flate keeps and a JPEG smooths.
        let grain = |x: u32, y: u32| (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)).wrapping_mul(2_654_435_761) >> 27;
        let level = |x: u32, y: u32| if (x / 60 + y / 40).is_multiple_of(3) { 20 + grain(x, y) as u8 } else { 220 + grain(x, y) as u8 };
        for bits in [8, 16] {
            // Each row behind its PNG filter byte (2: up, the rows' differences).
            let sample = |x: u32, y: u32| if bits == 8 { vec![level(x, y)] } else { vec![level(x, y), (x % 256) as u8] };
            let row = |y: u32| (0..w).flat_map(move |x| sample(x, y)).collect::<Vec<u8>>();
            let mut rows = Vec::new();
            for y in 0..h {
                let above = if y == 0 { vec![0; row(0).len()] } else { row(y - 1) };
                rows.push(2);
                rows.extend(row(y).iter().zip(&above).map(|(v, a)| v.wrapping_sub(*a)));
            }
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(&rows).unwrap();
            let image = Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => bits, "Filter" => "FlateDecode",
                "DecodeParms" => dictionary! { "Predictor" => 15, "Colors" => 1, "BitsPerComponent" => bits, "Columns" => w as i64 } },
                z.finish().unwrap(),
            );
            let (doc, page, id) = page_with(image);
            let info = pdf_images(&doc, &[page])[&id].clone();
            assert_eq!(info.coding, Coding::Lossless { predicted: true }, "{bits} bits");
            let mut stream = doc.get_object(id).unwrap().as_stream().unwrap().clone();
            let (before, after) = shrink_pdf_image(&mut stream, &info, &Shrink::FLOOR).unwrap_or_else(|| panic!("{bits} bits: shrunk"));
            assert!(after < before, "{bits} bits: {before} → {after}");
            let d = &stream.dict;
            assert_eq!((d.get(b"Width").unwrap().as_i64().unwrap(), d.get(b"BitsPerComponent").unwrap().as_i64().unwrap()), (600, 8));
            let back = crate::ocr::pdfpage::stored_pixels(&stream, 600, 300, 1).unwrap().to_luma8();
            assert!(back.get_pixel(5, 5).0[0] < 80 && back.get_pixel(20, 5).0[0] > 180, "{bits} bits: the picture is the same");
        }
    }

    #[test]
    fn an_image_that_cannot_be_decoded_is_left_as_it_is() {
        let mut broken = grey_scan();
        broken.content.truncate(600);
        let (doc, page, id) = page_with(broken);
        let info = pdf_images(&doc, &[page])[&id].clone();
        let info = ImageInfo { bytes: 1_000_000, ..info };
        let mut stream = doc.get_object(id).unwrap().as_stream().unwrap().clone();
        let before = stream.clone();
        assert_eq!(shrink_pdf_image(&mut stream, &info, &Shrink::FLOOR), None);
        assert_eq!(stream.content, before.content);
        assert_eq!(stream.dict.get(b"Width").unwrap(), before.dict.get(b"Width").unwrap());
    }

    #[test]
    fn the_quality_a_jpeg_was_saved_at_is_read_back() {
        let img = image::DynamicImage::ImageLuma8(image::GrayImage::from_fn(64, 64, |x, y| image::Luma([((x * 7 + y * 3) % 256) as u8])));
        for q in [30, 50, 75, 85, 90, 95] {
            let jpeg = import::image::encode_jpeg(&img, true, q).unwrap();
            let read = import::image::jpeg_quality(&jpeg).unwrap();
            assert!(read.abs_diff(q) <= 1, "saved at {q}, read {read}");
        }
    }
}
