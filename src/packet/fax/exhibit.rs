//! An exhibit PDF made black and white in place, before its pages are copied: each selected
//! page's content and every form it reaches (annotation appearances included) rewritten by
//! `content.rs`; every image it reaches made a 1-bit Group 4 picture at `DPI` as shown (stencil
//! masks and images already CCITT coded stay); transparency made opaque and soft masks dropped
//! (an image's own soft mask is composited onto white first); annotations' colours black or
//! white, highlights hidden. The merge then copies the pages as it copies any.

use super::super::writer::deflate;
use super::content::{luminance, rewrite, Resolver, Space, AREA_LIGHT, LIGHT};
use super::{at_dpi, image, image_faded, on_white};
use crate::import::image::ColorSpace;
use crate::import::pdf::number;
use crate::ocr::pdfpage::{self, dict, Undecoded};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What fax mode lost on one page of an exhibit, for its warning.
#[derive(Debug, Default, Clone)]
struct Losses {
    faded: bool,
    dropped_images: usize,
    unreadable_images: usize,
    /// Images sent as they are because Redress does not decode their encoding, by its name.
    unconverted: BTreeMap<&'static str, usize>,
}

/// Makes the selected `pages` of an exhibit PDF black and white (see the module's note), and
/// returns a warning for each page where something will not show on the fax, naming the
/// exhibit (`label`) and the page by its number in the file (`all_pages`).
pub fn exhibit(doc: &mut Document, pages: &[ObjectId], all_pages: &[ObjectId], label: &str) -> Vec<String> {
    let unique: Vec<ObjectId> = pages.iter().fold(Vec::new(), |mut v, p| {
        if !v.contains(p) {
            v.push(*p);
        }
        v
    });
    // The largest size each image is shown at, in points.
    let mut shown: HashMap<ObjectId, (f64, f64)> = HashMap::new();
    for p in crate::packet::images::placements(doc, &unique) {
        let size = p.size();
        let e = shown.entry(p.id).or_insert((0.0, 0.0));
        *e = (e.0.max(size.0), e.1.max(size.1));
    }
    let skip: HashSet<ObjectId> = all_pages.iter().copied().filter(|p| !unique.contains(p)).collect();
    let mut pictures = pictures(doc, &shown);
    let mut losses: BTreeMap<usize, Losses> = BTreeMap::new();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    for page in &unique {
        let number = all_pages.iter().position(|p| p == page).map_or(0, |i| i + 1);
        let geometry = crate::import::pdf::geometry(doc, *page);
        let resolver = resolver(doc, geometry.resources.as_ref());
        let loss = losses.entry(number).or_default();
        if let Ok(content) = doc.get_page_content_with_limit(*page, crate::limits::STREAM_DECODED) {
            let done = rewrite(&content, &resolver);
            loss.faded |= done.faded;
            loss.dropped_images += done.dropped_images;
            let stream = flate_stream(Dictionary::new(), deflate(&done.ops));
            let id = super::super::merge::unused_id(doc);
            doc.objects.insert(id, Object::Stream(stream));
            if let Ok(Object::Dictionary(d)) = doc.get_object_mut(*page) {
                d.set("Contents", Object::Reference(id));
            }
        }
        if let Ok(Object::Dictionary(d)) = doc.get_object_mut(*page) {
            // The resources' direct parts (transparency) and direct annotations.
            fix_dicts(d, loss);
        }
        for id in reachable(doc, *page, &skip) {
            if !seen.insert(id) {
                continue;
            }
            object(doc, id, &resolver, &shown, &mut pictures, loss);
        }
    }
    losses.into_iter().filter_map(|(page, l)| warning(label, page, l)).collect()
}

/// The warning for one page's losses, if any.
fn warning(label: &str, page: usize, l: Losses) -> Option<String> {
    let mut what = Vec::new();
    if l.faded {
        what.push(super::FADED.to_string());
    }
    if l.dropped_images > 0 {
        what.push(format!("{} small inline image(s) could not be read and are left out of the fax", l.dropped_images));
    }
    for (encoding, n) in &l.unconverted {
        what.push(format!(
            "{n} image(s) stored as {encoding}, an encoding Redress cannot convert, are sent as they are, not made black and white"
        ));
    }
    if l.unreadable_images > 0 {
        what.push(format!(
            "{} image(s) could not be read (their data is damaged) to make them black and white and are sent as they are",
            l.unreadable_images
        ));
    }
    (!what.is_empty()).then(|| format!("{label}, page {page}: {}", what.join("; ")))
}

/// A stream of `data` compressed with Flate, written as it is.
fn flate_stream(mut dict: Dictionary, data: Vec<u8>) -> Stream {
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    dict.remove(b"DecodeParms");
    let mut s = Stream::new(dict, data);
    s.allows_compression = false;
    s
}

/// The objects page `page` reaches through references (its resources, forms, images,
/// annotations and their appearances), not through a `/Parent` or `/P` back to the page tree,
/// and not into pages outside the selection (`skip`).
fn reachable(doc: &Document, page: ObjectId, skip: &HashSet<ObjectId>) -> Vec<ObjectId> {
    let mut out = Vec::new();
    let mut seen: HashSet<ObjectId> = HashSet::from([page]);
    let mut queue = Vec::new();
    if let Ok(d) = doc.get_dictionary(page) {
        for (key, v) in d.iter() {
            if !matches!(key.as_slice(), b"Parent" | b"Contents") {
                refs(v, &mut queue);
            }
        }
    }
    while let Some(id) = queue.pop() {
        if skip.contains(&id) || !seen.insert(id) {
            continue;
        }
        let Some(obj) = doc.objects.get(&id) else { continue };
        let dict = match obj {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            other => {
                refs(other, &mut queue);
                None
            }
        };
        if let Some(d) = dict {
            if matches!(d.get(b"Type").and_then(Object::as_name), Ok(b"Page" | b"Pages")) {
                continue;
            }
            for (key, v) in d.iter() {
                if !matches!(key.as_slice(), b"Parent" | b"P") {
                    refs(v, &mut queue);
                }
            }
        }
        out.push(id);
    }
    out
}

fn refs(o: &Object, out: &mut Vec<ObjectId>) {
    match o {
        Object::Reference(r) => out.push(*r),
        Object::Array(a) => a.iter().for_each(|o| refs(o, out)),
        Object::Dictionary(d) => d.iter().filter(|(k, _)| !matches!(k.as_slice(), b"Parent" | b"P")).for_each(|(_, o)| refs(o, out)),
        _ => {}
    }
}

/// The pictures of the images placed on the pages (`shown`, each at the largest size it is
/// shown at), made as many at a time as there are cores.
fn pictures(doc: &Document, shown: &HashMap<ObjectId, (f64, f64)>) -> HashMap<ObjectId, Picture> {
    let images: Vec<(ObjectId, (f64, f64))> = shown.iter().map(|(id, size)| (*id, *size)).collect();
    let made = crate::cores::map(&images, |(id, size)| picture(doc, *id, Some(*size)));
    images.into_iter().map(|(id, _)| id).zip(made).collect()
}

/// An image made black and white (see [`picture`]).
type Picture = Result<Option<(Stream, bool)>, Undecoded>;

/// One object a page reaches, made black and white: a form's content, an image (its picture
/// taken from those made ahead, or made here), the transparency and annotation colours in a
/// dictionary.
fn object(
    doc: &mut Document,
    id: ObjectId,
    page: &Resolver,
    shown: &HashMap<ObjectId, (f64, f64)>,
    pictures: &mut HashMap<ObjectId, Picture>,
    loss: &mut Losses,
) {
    let subtype = match doc.objects.get(&id) {
        Some(Object::Stream(s)) => s.dict.get(b"Subtype").and_then(Object::as_name).ok().map(<[u8]>::to_vec),
        _ => None,
    };
    match subtype.as_deref() {
        Some(b"Form") => form(doc, id, page, loss),
        Some(b"Image") => match pictures.remove(&id).unwrap_or_else(|| picture(doc, id, shown.get(&id).copied())) {
            Ok(Some((stream, faded))) => {
                loss.faded |= faded;
                doc.objects.insert(id, Object::Stream(stream));
            }
            Ok(None) => {}
            Err(Undecoded::Encoding(encoding)) => *loss.unconverted.entry(encoding).or_default() += 1,
            Err(Undecoded::Other(_)) => loss.unreadable_images += 1,
        },
        _ => type3_glyphs(doc, id, page, loss),
    }
    match doc.objects.get_mut(&id) {
        Some(Object::Dictionary(d)) => fix_dicts(d, loss),
        Some(Object::Stream(s)) => fix_dicts(&mut s.dict, loss),
        _ => {}
    }
}

/// A form XObject's (or a glyph's) content rewritten with its own resources' names (or
/// `page`'s, which one without resources uses).
fn form(doc: &mut Document, id: ObjectId, page: &Resolver, loss: &mut Losses) {
    let Some(Object::Stream(s)) = doc.objects.get(&id) else { return };
    let Ok(content) = s.decompressed_content_with_limit(crate::limits::STREAM_DECODED) else { return };
    let own = s.dict.get(b"Resources").ok().map(|r| resolver(doc, Some(r)));
    let done = rewrite(&content, own.as_ref().unwrap_or(page));
    loss.faded |= done.faded;
    loss.dropped_images += done.dropped_images;
    let data = deflate(&done.ops);
    if let Some(Object::Stream(s)) = doc.objects.get_mut(&id) {
        let dict = std::mem::take(&mut s.dict);
        *s = flate_stream(dict, data);
    }
}

/// A Type 3 font's glyphs, which may paint in colours of their own (`d0`), rewritten with the
/// font's resources.
fn type3_glyphs(doc: &mut Document, id: ObjectId, page: &Resolver, loss: &mut Losses) {
    let Some(Object::Dictionary(font)) = doc.objects.get(&id) else { return };
    if font.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type3") {
        return;
    }
    let own = font.get(b"Resources").ok().map(|r| resolver(doc, Some(r)));
    let mut glyphs = Vec::new();
    if let Some(procs) = font.get(b"CharProcs").ok().and_then(|p| dict(doc, p)) {
        procs.iter().for_each(|(_, g)| refs(g, &mut glyphs));
    }
    let resolver = own.unwrap_or_else(|| page.clone());
    for glyph in glyphs {
        form(doc, glyph, &resolver, loss);
    }
}

/// Whether fax mode makes this image a fax picture: every image but a stencil mask (already
/// black and white, painted in the colour the content sets, which is made black or white).
fn converted(image: &Stream) -> bool {
    !image.dict.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false)
}

/// An image XObject as a 1-bit Group 4 picture at `DPI` as `shown` (points wide and high; as
/// stored when not known), and whether much of it faded; `None` for a stencil mask, which
/// stays.
fn picture(doc: &Document, id: ObjectId, shown: Option<(f64, f64)>) -> Picture {
    let Some(Object::Stream(s)) = doc.objects.get(&id) else { return Ok(None) };
    let d = &s.dict;
    if !converted(s) {
        return Ok(None);
    }
    let mut grey = crate::ocr::xobject_grey(doc, s)?;
    if let Some(Ok((_, Object::Stream(smask)))) = d.get(b"SMask").ok().map(|m| doc.dereference(m)) {
        if let Ok(alpha) = crate::ocr::xobject_grey(doc, smask) {
            on_white(&mut grey, &alpha);
        }
    }
    let scaled = match shown {
        Some(size) if size.0 > 0.0 && size.1 > 0.0 => at_dpi(&grey, size),
        _ => grey,
    };
    let (fax, faded) = image_faded(&scaled, false);
    let mut dict = fax.dictionary();
    for key in [&b"OC"[..], b"StructParent", b"Name", b"ID"] {
        if let Ok(v) = d.get(key) {
            dict.set(key.to_vec(), v.clone());
        }
    }
    // A stencil mask takes no `/Mask` of its own: an image's mask (a stencil, or colour keys
    // naming colours no longer there) is left behind, its area drawn on white paper.
    let mut stream = Stream::new(dict, fax.g4);
    stream.allows_compression = false;
    Ok(Some((stream, faded)))
}

/// Transparency made opaque and annotation colours made black or white, in `d` and the
/// dictionaries written directly inside it.
fn fix_dicts(d: &mut Dictionary, loss: &mut Losses) {
    let ty = d.get(b"Type").and_then(Object::as_name).ok().map(<[u8]>::to_vec);
    let annotation = d.has(b"Rect") && d.has(b"Subtype") && ty.as_deref().is_none_or(|t| t == b"Annot");
    let graphics_state =
        ty.as_deref() == Some(b"ExtGState") || (ty.is_none() && !d.has(b"Subtype") && (d.has(b"ca") || d.has(b"CA") || d.has(b"SMask")));
    if graphics_state {
        for key in [&b"CA"[..], b"ca"] {
            if d.has(key) {
                d.set(key.to_vec(), Object::Real(1.0));
            }
        }
        if d.has(b"SMask") {
            d.set("SMask", Object::Name(b"None".to_vec()));
        }
    }
    if annotation {
        annotation_colours(d, loss);
    }
    for (key, v) in d.iter_mut() {
        if matches!(key.as_slice(), b"Parent" | b"P") {
            continue;
        }
        match v {
            Object::Dictionary(inner) => fix_dicts(inner, loss),
            Object::Array(items) => items.iter_mut().for_each(|o| {
                if let Object::Dictionary(inner) = o {
                    fix_dicts(inner, loss);
                }
            }),
            _ => {}
        }
    }
}

/// An annotation's own colours (`/C`, `/IC`), used where it has no appearance, black or white;
/// its opacity full; a highlight (a pale wash over text, which a fax cannot show) hidden.
fn annotation_colours(d: &mut Dictionary, loss: &mut Losses) {
    if d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Highlight") {
        const HIDDEN: i64 = 1 << 1;
        let flags = d.get(b"F").ok().and_then(|f| f.as_i64().ok()).unwrap_or(0);
        if flags & HIDDEN == 0 {
            d.set("F", flags | HIDDEN);
            loss.faded = true;
        }
        return;
    }
    colours(d, &[(b"C", LIGHT), (b"IC", AREA_LIGHT)]);
    // A form field's border and background, which a viewer draws its appearance with.
    if let Ok(Object::Dictionary(mk)) = d.get_mut(b"MK") {
        colours(mk, &[(b"BC", LIGHT), (b"BG", AREA_LIGHT)]);
    }
    if d.has(b"CA") {
        d.set("CA", Object::Real(1.0));
    }
}

/// The colour arrays under `keys` black, or white above each one's light level.
fn colours(d: &mut Dictionary, keys: &[(&[u8], f64)]) {
    for (key, light) in keys {
        let Some(c) = d.get(key).ok().and_then(|c| c.as_array().ok()).map(|a| a.iter().filter_map(number).collect::<Vec<f64>>()) else {
            continue;
        };
        let space = match c.len() {
            1 => Space::Gray,
            3 => Space::Rgb,
            4 => Space::Cmyk,
            _ => continue,
        };
        let Some(l) = space.luminance(&c) else { continue };
        d.set(key.to_vec(), Object::Array(vec![Object::Integer(i64::from(l > *light))]));
    }
}

/// What a content's resources name: colour spaces, patterns and shadings as solid colours.
fn resolver(doc: &Document, resources: Option<&Object>) -> Resolver {
    let mut r = Resolver::default();
    let Some(res) = resources.and_then(|o| dict(doc, o)) else { return r };
    let entries = |key: &[u8]| -> Vec<(Vec<u8>, Object)> {
        res.get(key).ok().and_then(|o| dict(doc, o)).map(|d| d.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
    };
    for (name, cs) in entries(b"ColorSpace") {
        r.spaces.insert(name, space(doc, &cs));
    }
    for (name, sh) in entries(b"Shading") {
        r.shadings.insert(name, dict(doc, &sh).map_or(0.0, |d| shading(doc, d)));
    }
    for (name, x) in entries(b"XObject") {
        if let Ok((_, Object::Stream(image))) = doc.dereference(&x) {
            if image.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image") && converted(image) {
                r.pictures.insert(name);
            }
        }
    }
    for (name, p) in entries(b"Pattern") {
        let l = match dict(doc, &p) {
            Some(d) if d.get(b"PatternType").ok().and_then(|t| t.as_i64().ok()) == Some(2) => {
                d.get(b"Shading").ok().and_then(|s| dict(doc, s)).map_or(0.0, |s| shading(doc, s))
            }
            // A tiling pattern: hatching and textures, drawn dark.
            _ => 0.0,
        };
        r.patterns.insert(name, l);
    }
    r
}

/// A colour space as `content.rs` reads its colours.
fn space(doc: &Document, cs: &Object) -> Space {
    let Ok((_, cs)) = doc.dereference(cs) else { return Space::Unknown };
    let family = match cs {
        Object::Name(n) => n.as_slice(),
        Object::Array(a) => a.first().and_then(|f| f.as_name().ok()).unwrap_or(b""),
        _ => b"",
    };
    match family {
        b"Separation" | b"DeviceN" => Space::Tint,
        b"Lab" => Space::Lab,
        b"Pattern" => Space::Pattern,
        _ => match pdfpage::color_space(doc, Some(cs)) {
            Ok(ColorSpace::Gray) => Space::Gray,
            Ok(ColorSpace::Rgb) => Space::Rgb,
            Ok(ColorSpace::Cmyk) => Space::Cmyk,
            Ok(ColorSpace::Indexed { palette, .. }) => Space::Indexed(
                palette.chunks(3).map(|c| luminance(f64::from(c[0]) / 255.0, f64::from(c[1]) / 255.0, f64::from(c[2]) / 255.0)).collect(),
            ),
            Err(_) => Space::Unknown,
        },
    }
}

/// A shading's colour as one solid colour's luminance: the middle of its function's range (a
/// function of type 2, its ends; of type 3, the middle of its parts); black when not known.
fn shading(doc: &Document, d: &Dictionary) -> f64 {
    let space = d.get(b"ColorSpace").map(|c| space(doc, c)).unwrap_or(Space::Unknown);
    let comps = d.get(b"Function").ok().and_then(|f| match doc.dereference(f).ok()?.1 {
        Object::Array(fs) => fs.iter().map(|f| middle(doc, f, 0).and_then(|v| v.first().copied())).collect::<Option<Vec<f64>>>(),
        _ => middle(doc, f, 0),
    });
    comps.and_then(|c| space.luminance(&c)).unwrap_or(0.0)
}

/// The middle of a function's output: its components at the middle of its domain.
fn middle(doc: &Document, f: &Object, depth: usize) -> Option<Vec<f64>> {
    let d = dict(doc, f)?;
    let nums =
        |key: &[u8]| -> Option<Vec<f64>> { d.get(key).ok().and_then(|a| a.as_array().ok()).map(|a| a.iter().filter_map(number).collect()) };
    match d.get(b"FunctionType").ok()?.as_i64().ok()? {
        2 => {
            let c0 = nums(b"C0").unwrap_or_else(|| vec![0.0]);
            let c1 = nums(b"C1").unwrap_or_else(|| vec![1.0]);
            Some(c0.iter().zip(&c1).map(|(a, b)| (a + b) / 2.0).collect())
        }
        3 if depth < 4 => {
            let parts: Vec<Vec<f64>> =
                d.get(b"Functions").ok()?.as_array().ok()?.iter().filter_map(|p| middle(doc, p, depth + 1)).collect();
            let n = parts.first()?.len();
            Some((0..n).map(|i| parts.iter().filter_map(|p| p.get(i)).sum::<f64>() / parts.len() as f64).collect())
        }
        _ => None,
    }
}

/// An inline image (`BI` … `EI`) made a 1-bit Group 4 stencil mask at its own resolution,
/// with `true` (it needs white paper under it, as a fax image XObject does); a stencil mask
/// copied as it is, with `false`; `None` when it cannot be read.
pub(super) fn inline_image(bytes: &[u8]) -> Option<(Vec<u8>, bool)> {
    let content = lopdf::content::Content::decode(bytes).ok()?;
    let op = content.operations.iter().find(|o| o.operator == "BI")?;
    let Some(Object::Stream(inline)) = op.operands.first() else { return None };
    let full = pdfpage::spelt_out(inline);
    if full.dict.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false) {
        return Some((bytes.to_vec(), false));
    }
    let (grey, _) = pdfpage::decode(&Document::with_version("1.7"), &full).ok()?;
    let fax = image(&grey, false);
    let (w, h) = (fax.width, fax.height);
    let mut out = format!("BI /W {w} /H {h} /IM true /F /CCF /DP << /K -1 /Columns {w} /Rows {h} >> ID ").into_bytes();
    out.extend_from_slice(&fax.g4);
    out.extend_from_slice(b"\nEI");
    Some((out, true))
}
