//! Puts pages into the packet file as they are made: generated pages, photo pages and pages
//! copied from exhibit PDFs (renumbered past the objects already written, as in lopdf's
//! merge example, but streamed one exhibit at a time so memory stays flat).

use super::canvas::Canvas;
use super::font::{Face, Fonts};
use super::stamp::{Matrix, View, BAND, IDENTITY};
use super::writer::PdfWriter;
use crate::import::image::{ColorSpace, Encoding, Photo};
use crate::import::pdf::{self, SourcePdf};
use lopdf::{Dictionary, Object, ObjectId};
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

/// A page written to the packet; its stamp is written once the page count is known.
#[derive(Debug, Clone, Copy)]
pub struct PageRecord {
    pub id: ObjectId,
    pub stamp: ObjectId,
    pub view: View,
}

pub struct Assembler<W: Write> {
    pub w: PdfWriter<W>,
    pub fonts: Fonts,
    pub pages_root: ObjectId,
    /// Fax mode: generated pages and stamps in black and white.
    pub fax: bool,
}

fn name(n: &str) -> Object {
    Object::Name(n.as_bytes().to_vec())
}

fn real(x: f64) -> Object {
    let r = (x * 1000.0).round() / 1000.0;
    if r == r.trunc() {
        Object::Integer(r as i64)
    } else {
        Object::Real(r as f32)
    }
}

fn rect(r: [f64; 4]) -> Object {
    Object::Array(r.iter().map(|x| real(*x)).collect())
}

impl<W: Write> Assembler<W> {
    pub fn new(out: W, fax: bool) -> io::Result<Self> {
        let mut w = PdfWriter::new(out)?;
        let pages_root = w.alloc();
        let fonts = Fonts::new(&mut w);
        Ok(Assembler { w, fonts, pages_root, fax })
    }

    /// A generated content stream, in black and white when faxing.
    pub fn generated(&mut self, id: ObjectId, ops: &[u8]) -> io::Result<()> {
        if self.fax {
            self.w.write_flate(id, Dictionary::new(), &super::canvas::fax_colors(ops))
        } else {
            self.w.write_flate(id, Dictionary::new(), ops)
        }
    }

    /// Writes a generated page under `id`. `page_ids` resolves link targets (packet page
    /// index → page object) and is only needed for pages with links.
    pub fn canvas_page(&mut self, c: &Canvas, id: ObjectId, page_ids: &[ObjectId]) -> io::Result<PageRecord> {
        let content = self.w.alloc();
        self.generated(content, c.content())?;
        let stamp = self.w.alloc();
        let mut res = Dictionary::new();
        res.set("Font", self.fonts.resources());
        if !c.images.is_empty() {
            let mut xo = Dictionary::new();
            for (n, i) in &c.images {
                xo.set(n.as_bytes().to_vec(), *i);
            }
            res.set("XObject", xo);
        }
        let mut page = Dictionary::new();
        page.set("Type", name("Page"));
        page.set("Parent", self.pages_root);
        page.set("MediaBox", rect([0.0, 0.0, c.width, c.height]));
        page.set("Resources", res);
        page.set("Contents", vec![Object::Reference(content), Object::Reference(stamp)]);
        let annots: Vec<Object> = c
            .links
            .iter()
            .filter_map(|l| {
                let target = *page_ids.get(l.page)?;
                let mut a = Dictionary::new();
                a.set("Type", name("Annot"));
                a.set("Subtype", name("Link"));
                a.set("Rect", rect(l.rect));
                a.set("Border", vec![0.into(), 0.into(), 0.into()]);
                a.set("Dest", vec![Object::Reference(target), name("XYZ"), Object::Null, Object::Null, Object::Null]);
                Some(Object::Dictionary(a))
            })
            .collect();
        if !annots.is_empty() {
            page.set("Annots", annots);
        }
        self.w.write(id, &Object::Dictionary(page))?;
        Ok(PageRecord { id, stamp, view: View::new([0.0, 0.0, c.width, c.height], 0) })
    }

    /// Writes a photo's image object and returns its object number.
    pub fn image_object(&mut self, p: &Photo) -> io::Result<ObjectId> {
        let id = self.w.alloc();
        let mut d = image_dict(p.width, p.height, p.bits_per_component);
        let cs = match &p.color {
            ColorSpace::Gray => name("DeviceGray"),
            ColorSpace::Rgb => name("DeviceRGB"),
            ColorSpace::Cmyk => name("DeviceCMYK"),
            ColorSpace::Indexed { palette, hival } => Object::Array(vec![
                name("Indexed"),
                name("DeviceRGB"),
                Object::Integer(*hival as i64),
                Object::String(palette.clone(), lopdf::StringFormat::Hexadecimal),
            ]),
        };
        d.set("ColorSpace", cs);
        match &p.encoding {
            Encoding::Dct => d.set("Filter", name("DCTDecode")),
            Encoding::Flate => d.set("Filter", name("FlateDecode")),
            Encoding::FlatePng { colors, bits, columns } => {
                d.set("Filter", name("FlateDecode"));
                let mut parms = Dictionary::new();
                parms.set("Predictor", 15);
                parms.set("Colors", *colors as i64);
                parms.set("BitsPerComponent", *bits as i64);
                parms.set("Columns", *columns as i64);
                d.set("DecodeParms", parms);
            }
        }
        if p.invert_cmyk {
            d.set("Decode", vec![1.into(), 0.into(), 1.into(), 0.into(), 1.into(), 0.into(), 1.into(), 0.into()]);
        }
        if let Some(alpha) = &p.alpha {
            let mask = self.w.alloc();
            let mut m = image_dict(p.width, p.height, 8);
            m.set("ColorSpace", name("DeviceGray"));
            m.set("Filter", name("FlateDecode"));
            self.w.write_stream(mask, m, alpha)?;
            d.set("SMask", mask);
        }
        self.w.write_stream(id, d, &p.data)?;
        Ok(id)
    }

    /// Copies the selected pages of an exhibit PDF into the packet, each wrapped so its
    /// content sits above the stamp band.
    pub fn pdf_pages(&mut self, src: SourcePdf) -> io::Result<Vec<PageRecord>> {
        let SourcePdf { mut doc, pages, all_pages, .. } = src;
        // Page-tree nodes are rebuilt, never copied: references to them become null.
        let mut tree: HashSet<ObjectId> = all_pages.iter().copied().collect();
        for (id, o) in &doc.objects {
            if let Object::Dictionary(d) = o {
                if d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Pages") {
                    tree.insert(*id);
                }
            }
        }
        let mut selected: HashMap<ObjectId, ObjectId> = HashMap::new();
        let new_ids: Vec<ObjectId> = pages
            .iter()
            .map(|p| {
                let id = self.w.alloc();
                selected.entry(*p).or_insert(id);
                id
            })
            .collect();
        let mut r = Renumber { map: HashMap::new(), queue: Vec::new(), selected: &selected, tree: &tree };
        let font_regular = self.fonts.resources().get(Face::Regular.resource().as_bytes()).cloned().unwrap_or(Object::Null);

        // Phase 1: build every page dictionary while the document is whole.
        let mut out = Vec::with_capacity(pages.len());
        for (old, new) in pages.iter().zip(&new_ids) {
            let geo = pdf::geometry(&doc, *old);
            let view = View::new(geo.visible(), geo.rotate);
            let page = doc.get_dictionary(*old).cloned().unwrap_or_default();
            let mut dict = Dictionary::new();
            dict.set("Type", name("Page"));
            dict.set("Parent", self.pages_root);
            dict.set("MediaBox", rect(geo.media_box));
            if let Some(c) = geo.crop_box {
                dict.set("CropBox", rect(c));
            }
            if geo.rotate != 0 {
                dict.set("Rotate", geo.rotate);
            }
            let mut res = match geo.resources.as_ref().map(|o| doc.dereference(o)) {
                Some(Ok((_, Object::Dictionary(d)))) => d.clone(),
                _ => Dictionary::new(),
            };
            let fonts = match res.get(b"Font").ok().map(|o| doc.dereference(o)) {
                Some(Ok((_, Object::Dictionary(d)))) => d.clone(),
                _ => Dictionary::new(),
            };
            let mut res_obj = {
                res.remove(b"Font");
                Object::Dictionary(res)
            };
            r.rewrite(&mut self.w, &mut res_obj);
            let mut fonts_obj = Object::Dictionary(fonts);
            r.rewrite(&mut self.w, &mut fonts_obj);
            // The stamp's font is added after renumbering: it is already a packet object.
            if let Object::Dictionary(f) = &mut fonts_obj {
                f.set(Face::Regular.resource(), font_regular.clone());
            }
            if let Object::Dictionary(res) = &mut res_obj {
                res.set("Font", fonts_obj);
            }
            dict.set("Resources", res_obj);

            let mut contents: Vec<Object> = match page.get(b"Contents") {
                Ok(Object::Reference(id)) => match doc.objects.get(id) {
                    Some(Object::Array(a)) => a.clone(),
                    _ => vec![Object::Reference(*id)],
                },
                Ok(Object::Array(a)) => a.clone(),
                _ => Vec::new(),
            };
            for c in &mut contents {
                r.rewrite(&mut self.w, c);
            }
            // Content is shrunk above the stamp band unless the page's own bottom margin is
            // already free (read from its content; upright or upside-down pages only, where
            // the visual bottom is a horizontal edge).
            let vis = geo.visible();
            let free = match geo.rotate {
                0 | 180 => pdf::painted_y_range(&doc, *old, geo.resources.as_ref()).is_some_and(|(lo, hi)| {
                    if geo.rotate == 0 {
                        lo >= vis[1] + BAND + 2.0
                    } else {
                        hi <= vis[3] - BAND - 2.0
                    }
                }),
                _ => false,
            };
            let wrap = if free { IDENTITY } else { view.shrink_above_band() };
            let pre = self.w.alloc();
            self.w.write_stream(pre, Dictionary::new(), cm(wrap).as_bytes())?;
            let post = self.w.alloc();
            self.w.write_stream(post, Dictionary::new(), b"\nQ\n")?;
            let stamp = self.w.alloc();
            let mut all = vec![Object::Reference(pre)];
            all.extend(contents);
            all.push(Object::Reference(post));
            all.push(Object::Reference(stamp));
            dict.set("Contents", all);
            for key in [&b"Annots"[..], b"Group", b"UserUnit"] {
                if let Ok(v) = page.get(key) {
                    let mut v = v.clone();
                    r.rewrite(&mut self.w, &mut v);
                    dict.set(key.to_vec(), v);
                }
            }
            out.push((*new, dict, PageRecord { id: *new, stamp, view }));
        }
        for (id, dict, _) in &out {
            self.w.write(*id, &Object::Dictionary(dict.clone()))?;
        }
        // Phase 2: every object the pages reach, each taken out of the document as written.
        while let Some(old) = r.queue.pop() {
            let new = r.map[&old];
            let mut obj = doc.objects.remove(&old).unwrap_or(Object::Null);
            if let Object::Stream(s) = &mut obj {
                s.dict.remove(b"Length");
                strip_embedded_photo_metadata(s);
            }
            r.rewrite(&mut self.w, &mut obj);
            self.w.write(new, &obj)?;
        }
        Ok(out.into_iter().map(|(_, _, rec)| rec).collect())
    }
}

/// A JPEG inside an exhibit PDF (a phone's scanner app makes these) can carry the phone's
/// EXIF: GPS position, camera serial. Its metadata segments are removed as for a photo; the
/// compressed image itself is copied unchanged. Anything unexpected leaves the stream as it is.
fn strip_embedded_photo_metadata(s: &mut lopdf::Stream) {
    let is_image = s.dict.get(b"Subtype").ok().and_then(|t| t.as_name().ok()) == Some(b"Image");
    let dct = match s.dict.get(b"Filter") {
        Ok(Object::Name(n)) => n == b"DCTDecode",
        Ok(Object::Array(a)) => a.len() == 1 && a[0].as_name().ok() == Some(b"DCTDecode"),
        _ => false,
    };
    if !is_image || !dct || !s.content.starts_with(&[0xFF, 0xD8]) {
        return;
    }
    if let Ok(clean) = crate::import::image::strip_jpeg_metadata(&s.content) {
        if clean.len() < s.content.len() {
            s.content = clean;
        }
    }
}

/// The common part of an image XObject's dictionary.
fn image_dict(width: u32, height: u32, bits: u8) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("Type", name("XObject"));
    d.set("Subtype", name("Image"));
    d.set("Width", width as i64);
    d.set("Height", height as i64);
    d.set("BitsPerComponent", bits as i64);
    d
}

fn cm(m: Matrix) -> String {
    format!("q {} {} {} {} {} {} cm\n", m[0], m[1], m[2], m[3], m[4], m[5])
}

/// Maps an exhibit's object numbers to fresh ones in the packet and remembers which objects
/// still have to be copied.
struct Renumber<'a> {
    map: HashMap<ObjectId, ObjectId>,
    queue: Vec<ObjectId>,
    selected: &'a HashMap<ObjectId, ObjectId>,
    tree: &'a HashSet<ObjectId>,
}

impl Renumber<'_> {
    fn rewrite<W: Write>(&mut self, w: &mut PdfWriter<W>, obj: &mut Object) {
        match obj {
            Object::Reference(r) => {
                if let Some(n) = self.selected.get(r) {
                    *r = *n;
                } else if self.tree.contains(r) {
                    *obj = Object::Null;
                } else if let Some(n) = self.map.get(r) {
                    *r = *n;
                } else {
                    let n = w.alloc();
                    self.map.insert(*r, n);
                    self.queue.push(*r);
                    *r = n;
                }
            }
            Object::Array(a) => a.iter_mut().for_each(|o| self.rewrite(w, o)),
            Object::Dictionary(d) => d.iter_mut().for_each(|(_, o)| self.rewrite(w, o)),
            Object::Stream(s) => s.dict.iter_mut().for_each(|(_, o)| self.rewrite(w, o)),
            _ => {}
        }
    }
}
