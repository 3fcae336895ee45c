//! The write stage: turns display lists into page objects and content streams (assigning
//! subset glyphs only now, so layout passes that were thrown away add nothing to the fonts),
//! writes photos' image objects, the stamps, and at the end the page tree, bookmarks, fonts,
//! document information, catalog and cross references.

use super::canvas::{num, Canvas, Item};
use super::font::Subsets;
use super::sections::{ExhibitEntry, SectionEntry, SectionKind};
use super::stamp::View;
use super::writer::PdfWriter;
use crate::import::image::{ColorSpace, Encoding, Photo};
use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use std::fmt::Write as _;
use std::io::{self, Write};

/// A page written to the packet; its stamp is written once the page count is known.
#[derive(Debug, Clone, Copy)]
pub struct PageRecord {
    pub id: ObjectId,
    /// The content stream reserved for the stamp.
    pub stamp: ObjectId,
    pub view: View,
}

/// The packet file being written, with the fonts its generated pages use.
pub struct PacketWriter<W: Write> {
    pub w: PdfWriter<W>,
    pub fonts: Subsets,
    pub pages_root: ObjectId,
    /// Fax mode: generated pages and stamps in black and white.
    pub fax: bool,
}

/// What the end of the file says about the packet.
pub struct Finish<'a> {
    /// Every page in packet order.
    pub pages: &'a [ObjectId],
    pub sections: &'a [SectionEntry],
    pub exhibits: &'a [ExhibitEntry],
    pub title: String,
    pub author: Option<String>,
    pub subject: String,
    pub created: DateTime<Utc>,
    pub file_id: [u8; 16],
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

pub(super) fn rect(r: [f64; 4]) -> Object {
    Object::Array(r.iter().map(|x| real(*x)).collect())
}

fn rgb(ops: &mut String, c: super::canvas::Color, op: &str) {
    let _ = write!(ops, "{} {} {} {op}", num(c.0), num(c.1), num(c.2));
}

impl<W: Write> PacketWriter<W> {
    pub fn new(out: W, fax: bool) -> io::Result<Self> {
        let mut w = PdfWriter::new(out)?;
        let pages_root = w.alloc();
        let fonts = Subsets::new(&mut w);
        Ok(PacketWriter { w, fonts, pages_root, fax })
    }

    /// A display list as a content stream, its text encoded in the subset fonts.
    pub fn content(&mut self, c: &Canvas) -> Vec<u8> {
        let mut ops = String::new();
        for item in &c.items {
            match item {
                Item::Text { face, size, x, y, color, text } => {
                    let mut x = *x;
                    for run in self.fonts.encode(*face, text, *size) {
                        let hex: String = run.codes.iter().map(|b| format!("{b:02X}")).collect();
                        ops.push_str("BT ");
                        rgb(&mut ops, *color, "rg");
                        let _ =
                            writeln!(ops, " /{} {} Tf 1 0 0 1 {} {} Tm <{hex}> Tj ET", run.face.resource(), num(*size), num(x), num(*y));
                        x += run.width;
                    }
                }
                Item::Fill { x, y, w, h, color } => {
                    rgb(&mut ops, *color, "rg");
                    let _ = writeln!(ops, " {} {} {} {} re f", num(*x), num(*y), num(*w), num(*h));
                }
                Item::Frame { x, y, w, h, width, color } => {
                    let _ = write!(ops, "{} w ", num(*width));
                    rgb(&mut ops, *color, "RG");
                    let _ = writeln!(ops, " {} {} {} {} re S", num(*x), num(*y), num(*w), num(*h));
                }
                Item::Rule { from, to, width, color } => {
                    let _ = write!(ops, "{} w ", num(*width));
                    rgb(&mut ops, *color, "RG");
                    let _ = writeln!(ops, " {} {} m {} {} l S", num(from.0), num(from.1), num(to.0), num(to.1));
                }
                Item::Image { name, matrix: m, .. } => {
                    let _ = writeln!(
                        ops,
                        "q {} {} {} {} {} {} cm /{name} Do Q",
                        num(m[0]),
                        num(m[1]),
                        num(m[2]),
                        num(m[3]),
                        num(m[4]),
                        num(m[5])
                    );
                }
            }
        }
        ops.into_bytes()
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
    pub fn page(&mut self, c: &Canvas, id: ObjectId, page_ids: &[ObjectId]) -> io::Result<PageRecord> {
        let content = self.w.alloc();
        let ops = self.content(c);
        self.generated(content, &ops)?;
        let stamp = self.w.alloc();
        let mut res = Dictionary::new();
        res.set("Font", self.fonts.resources());
        let images: Vec<(&str, ObjectId)> = c.images().collect();
        if !images.is_empty() {
            let mut xo = Dictionary::new();
            for (n, i) in images {
                xo.set(n.as_bytes().to_vec(), i);
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

    /// Writes a page's stamp into the content stream reserved for it.
    pub fn stamp(&mut self, page: &PageRecord, stamp: &Canvas) -> io::Result<()> {
        let m = page.view.to_page;
        let mut out = format!("q {} {} {} {} {} {} cm\n", m[0], m[1], m[2], m[3], m[4], m[5]).into_bytes();
        out.extend_from_slice(&self.content(stamp));
        out.extend_from_slice(b"Q\n");
        self.generated(page.stamp, &out)
    }

    /// Writes a photo's image object and returns its object number.
    pub fn image(&mut self, p: &Photo) -> io::Result<ObjectId> {
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
                Object::String(palette.clone(), StringFormat::Hexadecimal),
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

    /// Writes the page tree, bookmarks, fonts, document information, catalog and cross
    /// references, and returns the underlying writer.
    pub fn finish(mut self, f: &Finish) -> io::Result<W> {
        let mut pages = Dictionary::new();
        pages.set("Type", name("Pages"));
        pages.set("Kids", f.pages.iter().map(|id| Object::Reference(*id)).collect::<Vec<_>>());
        pages.set("Count", f.pages.len() as i64);
        self.w.write(self.pages_root, &Object::Dictionary(pages))?;

        let outline = write_outline(&mut self.w, &outline_items(f.sections, f.exhibits), f.pages)?;
        self.fonts.finish(&mut self.w)?;

        let mut info = Dictionary::new();
        info.set("Title", text_string(&f.title));
        if let Some(a) = &f.author {
            info.set("Author", text_string(a));
        }
        info.set("Subject", text_string(&f.subject));
        info.set("Creator", text_string("Redress"));
        info.set("Producer", text_string(&format!("Redress {}", env!("CARGO_PKG_VERSION"))));
        let stamp_date = Object::String(f.created.format("D:%Y%m%d%H%M%SZ").to_string().into_bytes(), StringFormat::Literal);
        info.set("CreationDate", stamp_date.clone());
        info.set("ModDate", stamp_date);
        let info_id = self.w.alloc();
        self.w.write(info_id, &Object::Dictionary(info))?;

        let mut catalog = Dictionary::new();
        catalog.set("Type", name("Catalog"));
        catalog.set("Pages", self.pages_root);
        catalog.set("Outlines", outline);
        catalog.set("PageMode", name("UseOutlines"));
        catalog.set("Lang", text_string("en-US"));
        let mut prefs = Dictionary::new();
        prefs.set("DisplayDocTitle", true);
        catalog.set("ViewerPreferences", prefs);
        let root = self.w.alloc();
        self.w.write(root, &Object::Dictionary(catalog))?;
        self.w.finish(root, info_id, f.file_id)
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

/// One bookmark: its title, the 1-based page it opens, and those nested under it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineItem {
    pub title: String,
    pub page: usize,
    pub children: Vec<OutlineItem>,
}

/// The bookmarks: one per section, exhibits nested under "Exhibits" just before the manifest.
pub fn outline_items(sections: &[SectionEntry], exhibits: &[ExhibitEntry]) -> Vec<OutlineItem> {
    let mut items = Vec::new();
    for s in sections {
        if s.kind == SectionKind::Exhibit {
            continue;
        }
        if s.kind == SectionKind::Manifest && !exhibits.is_empty() {
            items.push(OutlineItem {
                title: "Exhibits".into(),
                page: exhibits[0].first_page,
                children: exhibits
                    .iter()
                    .map(|e| OutlineItem {
                        title: format!("Exhibit {} · {} · {} — {}", e.number, e.kind.label(), e.date, e.title),
                        page: e.first_page,
                        children: vec![],
                    })
                    .collect(),
            });
        }
        items.push(OutlineItem { title: s.title.clone(), page: s.first_page, children: vec![] });
    }
    items
}

fn write_outline<W: Write>(w: &mut PdfWriter<W>, items: &[OutlineItem], ids: &[ObjectId]) -> io::Result<ObjectId> {
    let root = w.alloc();
    let (first, last, count) = write_level(w, items, root, ids)?;
    let mut d = Dictionary::new();
    d.set("Type", name("Outlines"));
    if let (Some(f), Some(l)) = (first, last) {
        d.set("First", f);
        d.set("Last", l);
    }
    d.set("Count", count as i64);
    w.write(root, &Object::Dictionary(d))?;
    Ok(root)
}

/// Writes one level of bookmarks under `parent`: its first and last item and how many
/// items it shows open.
fn write_level<W: Write>(
    w: &mut PdfWriter<W>,
    items: &[OutlineItem],
    parent: ObjectId,
    ids: &[ObjectId],
) -> io::Result<(Option<ObjectId>, Option<ObjectId>, usize)> {
    let my_ids: Vec<ObjectId> = items.iter().map(|_| w.alloc()).collect();
    let mut count = items.len();
    for (i, item) in items.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&item.title));
        d.set("Parent", parent);
        if i > 0 {
            d.set("Prev", my_ids[i - 1]);
        }
        if i + 1 < items.len() {
            d.set("Next", my_ids[i + 1]);
        }
        if let Some(page) = ids.get(item.page.saturating_sub(1)) {
            d.set("Dest", vec![Object::Reference(*page), name("XYZ"), Object::Null, Object::Null, Object::Null]);
        }
        if !item.children.is_empty() {
            let (first, last, n) = write_level(w, &item.children, my_ids[i], ids)?;
            if let (Some(f), Some(l)) = (first, last) {
                d.set("First", f);
                d.set("Last", l);
                // Positive: the exhibits are shown expanded.
                d.set("Count", n as i64);
                count += n;
            }
        }
        w.write(my_ids[i], &Object::Dictionary(d))?;
    }
    Ok((my_ids.first().copied(), my_ids.last().copied(), count))
}

/// A PDF text string: plain when ASCII, UTF-16BE with a byte-order mark otherwise.
fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut b = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(b, StringFormat::Hexadecimal)
    }
}
