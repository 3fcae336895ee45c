//! The write stage: turns display lists into page objects and content streams (assigning
//! subset glyphs only now, so layout passes that were thrown away add nothing to the fonts),
//! writes photos' image objects, the stamps, and at the end the page tree, bookmarks, fonts,
//! document information, catalog and cross references.

use super::canvas::{num, Canvas, Item};
use super::font::Subsets;
use super::font::FACES;
use super::forms::{self, FormGroup};
use super::layers::Layers;
use super::sections::{ExhibitEntry, SectionEntry, SectionKind};
use super::stamp::View;
use super::volumes::LabelRange;
use super::writer::{deflate, typed_ref, PdfWriter};
use crate::import::image::{ColorSpace, Encoding, Photo};
use crate::packet::writer::Sink;
use chrono::{DateTime, Datelike, Timelike, Utc};
use lopdf::ObjectId;
use pdf_writer::types::{AnnotationType, PageMode, Predictor};
use pdf_writer::writers::{Annotation, Catalog, DocumentInfo};
use pdf_writer::{Filter, Name, Null, Obj, Rect, Ref, TextStr};
use std::fmt::Write as _;
use std::io;

/// A page written to the packet; its stamp is written once the page count is known.
#[derive(Debug, Clone, Copy)]
pub struct PageRecord {
    pub id: ObjectId,
    /// The content stream reserved for the stamp.
    pub stamp: ObjectId,
    pub view: View,
}

/// The packet file being written, with the fonts its generated pages use.
pub struct PacketWriter<W: Sink> {
    pub w: PdfWriter<W>,
    pub fonts: Subsets,
    pub pages_root: ObjectId,
    /// Fax mode: generated pages and stamps in black and white.
    pub fax: bool,
    /// The invisible text's font, written when the first scanned page gets its text layer.
    ocr_font: Option<ObjectId>,
    /// The packet page index (0-based) of the first page in `page_ids` given to [`Self::page`]:
    /// 0 for a whole packet, a volume's first numbered page for a volume, whose links reach its
    /// own pages only.
    pub first_page: usize,
}

/// What the end of the file says about the packet.
pub struct Finish<'a> {
    /// Every page of the file in order.
    pub pages: &'a [ObjectId],
    /// The bookmarks, their pages 1-based in this file ([`outline_items`] for a whole packet).
    pub outline: Vec<OutlineItem>,
    /// The page labels (`/PageLabels`), none for a whole packet: a volume's are its Bates
    /// numbers (`volumes::label_ranges`).
    pub labels: Vec<LabelRange>,
    pub title: String,
    pub author: Option<String>,
    pub subject: String,
    pub created: DateTime<Utc>,
    pub file_id: [u8; 16],
    /// The exhibits' optional content and forms, for the catalog's `/OCProperties` and
    /// `/AcroForm`.
    pub layers: &'a Layers,
    pub forms: &'a [FormGroup],
}

/// A rectangle `[x0 y0 x1 y1]` for pdf-writer.
fn rect(r: [f64; 4]) -> Rect {
    Rect::new(r[0] as f32, r[1] as f32, r[2] as f32, r[3] as f32)
}

/// Writes `[page /XYZ null null null]`: open the page, keeping the viewer's position and zoom.
fn destination(obj: Obj, page: Ref) {
    let mut a = obj.array();
    a.item(page);
    a.item(Name(b"XYZ"));
    a.item(Null);
    a.item(Null);
    a.item(Null);
}

/// The creation time as a PDF date in UTC.
fn pdf_date(t: DateTime<Utc>) -> pdf_writer::Date {
    pdf_writer::Date::new(t.year().clamp(0, 9999) as u16)
        .month(t.month() as u8)
        .day(t.day() as u8)
        .hour(t.hour() as u8)
        .minute(t.minute() as u8)
        .second(t.second() as u8)
        .utc_offset_hour(0)
}

/// A generated content stream's operators compressed, made black and white first for a fax.
fn compressed(ops: &[u8], fax: bool) -> Vec<u8> {
    if fax {
        deflate(&super::fax::content(ops))
    } else {
        deflate(ops)
    }
}

fn rgb(ops: &mut String, c: super::canvas::Color, op: &str) {
    let _ = write!(ops, "{} {} {} {op}", num(c.0), num(c.1), num(c.2));
}

/// A marker's outline as path operators, its area about that of a circle of radius `r` so no
/// shape looks heavier than another.
fn marker_path(shape: super::canvas::Marker, x: f64, y: f64, r: f64) -> String {
    use super::canvas::Marker;
    let poly = |pts: &[(f64, f64)]| -> String {
        let mut s = String::new();
        for (i, (px, py)) in pts.iter().enumerate() {
            let _ =
                write!(s, "{}{} {} {}", if i == 0 { "" } else { " " }, num(x + px * r), num(y + py * r), if i == 0 { "m" } else { "l" });
        }
        s.push_str(" h");
        s
    };
    match shape {
        Marker::Circle => {
            // Four Bézier quarters; 0.5523 puts the control points where a circle's are.
            let k = 0.5523 * r;
            format!(
                "{} {} m {} {} {} {} {} {} c {} {} {} {} {} {} c {} {} {} {} {} {} c {} {} {} {} {} {} c h",
                num(x + r),
                num(y),
                num(x + r),
                num(y + k),
                num(x + k),
                num(y + r),
                num(x),
                num(y + r),
                num(x - k),
                num(y + r),
                num(x - r),
                num(y + k),
                num(x - r),
                num(y),
                num(x - r),
                num(y - k),
                num(x - k),
                num(y - r),
                num(x),
                num(y - r),
                num(x + k),
                num(y - r),
                num(x + r),
                num(y - k),
                num(x + r),
                num(y),
            )
        }
        Marker::Triangle => poly(&[(0.0, 1.3), (1.15, -0.7), (-1.15, -0.7)]),
        Marker::Square => poly(&[(-0.88, -0.88), (0.88, -0.88), (0.88, 0.88), (-0.88, 0.88)]),
        Marker::Diamond => poly(&[(0.0, 1.25), (1.0, 0.0), (0.0, -1.25), (-1.0, 0.0)]),
    }
}

impl<W: Sink> PacketWriter<W> {
    pub fn new(out: W, fax: bool) -> io::Result<Self> {
        let mut w = PdfWriter::new(out)?;
        let pages_root = w.alloc();
        let fonts = Subsets::new(&mut w);
        Ok(PacketWriter { w, fonts, pages_root, fax, ocr_font: None, first_page: 0 })
    }

    /// A display list as a content stream, its text encoded in the subset fonts.
    pub fn content(&mut self, c: &Canvas) -> Vec<u8> {
        let mut ops = String::new();
        for item in &c.items {
            match item {
                Item::Text { face, size, x, y, color, text } => {
                    let mut x = *x;
                    for run in self.fonts.encode(*face, text, *size) {
                        ops.push_str("BT ");
                        rgb(&mut ops, *color, "rg");
                        let _ = write!(ops, " /{} {} Tf 1 0 0 1 {} {} Tm <", run.face.resource(), num(*size), num(x), num(*y));
                        crate::atomic::push_upper_hex(&mut ops, &run.codes);
                        ops.push_str("> Tj ET\n");
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
                Item::Polyline { points, width, color, dash } => {
                    let _ = write!(ops, "q {} w ", num(*width));
                    rgb(&mut ops, *color, "RG");
                    if let Some((on, off)) = dash {
                        let _ = write!(ops, " [{} {}] 0 d", num(*on), num(*off));
                    }
                    for (i, (x, y)) in points.iter().enumerate() {
                        let _ = write!(ops, " {} {} {}", num(*x), num(*y), if i == 0 { "m" } else { "l" });
                    }
                    ops.push_str(" S Q\n");
                }
                Item::Marker { shape, x, y, r, color, filled } => {
                    ops.push_str("q 0.8 w ");
                    rgb(&mut ops, *color, "RG");
                    ops.push(' ');
                    rgb(&mut ops, if *filled { *color } else { super::canvas::Color(1.0, 1.0, 1.0) }, "rg");
                    let _ = writeln!(ops, " {} B Q", marker_path(*shape, *x, *y, *r));
                }
                Item::Image { name, matrix: m, .. } => {
                    // A fax picture is a stencil mask on white paper (`fax::OPAQUE`).
                    let paper = if self.fax { format!("{} ", super::fax::OPAQUE) } else { String::new() };
                    let _ = writeln!(
                        ops,
                        "q {} {} {} {} {} {} cm {paper}/{name} Do Q",
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

    /// A generated content stream, in black and white when faxing (as an exhibit's is).
    pub fn generated(&mut self, id: ObjectId, ops: &[u8]) -> io::Result<()> {
        self.write_compressed(id, &compressed(ops, self.fax))
    }

    fn write_compressed(&mut self, id: ObjectId, data: &[u8]) -> io::Result<()> {
        self.w.typed(id, |c, r| {
            c.stream(r, data).filter(Filter::FlateDecode);
        })
    }

    /// Writes a generated page under `id`. `page_ids` resolves link targets (packet page
    /// index → page object) and is only needed for pages with links.
    pub fn page(&mut self, c: &Canvas, id: ObjectId, page_ids: &[ObjectId]) -> io::Result<PageRecord> {
        self.page_with_text(c, id, page_ids, None)
    }

    /// The object of the invisible text's font (`ocr::FONT`), written on first use.
    pub fn ocr_font(&mut self) -> io::Result<ObjectId> {
        if let Some(id) = self.ocr_font {
            return Ok(id);
        }
        let id = self.w.alloc();
        self.w.write(id, &lopdf::Object::Dictionary(super::ocr::font_dictionary()))?;
        self.ocr_font = Some(id);
        Ok(id)
    }

    /// As `page`, with `hidden`, an invisible text layer's operators (`ocr::layer`), drawn
    /// after the page's own content.
    pub fn page_with_text(&mut self, c: &Canvas, id: ObjectId, page_ids: &[ObjectId], hidden: Option<&str>) -> io::Result<PageRecord> {
        let content = self.w.alloc();
        let mut ops = self.content(c);
        let mut fonts: Vec<(&str, Ref)> =
            FACES.iter().map(|f| Ok((f.resource(), typed_ref(self.fonts.id(*f))?))).collect::<io::Result<_>>()?;
        if let Some(hidden) = hidden {
            ops.extend_from_slice(hidden.as_bytes());
            fonts.push((super::ocr::FONT, typed_ref(self.ocr_font()?)?));
        }
        self.generated(content, &ops)?;
        let stamp = self.w.alloc();
        let images: Vec<(&str, Ref)> = c.images().map(|(n, i)| Ok((n, typed_ref(i)?))).collect::<io::Result<_>>()?;
        let links: Vec<([f64; 4], Ref)> = c
            .links
            .iter()
            .filter_map(|l| Some((l.rect, *page_ids.get(l.page.checked_sub(self.first_page)?)?)))
            .map(|(r, p)| Ok((r, typed_ref(p)?)))
            .collect::<io::Result<_>>()?;
        let (parent, content, stamp_ref) = (typed_ref(self.pages_root)?, typed_ref(content)?, typed_ref(stamp)?);
        self.w.typed(id, |chunk, r| {
            let mut page = chunk.page(r);
            page.parent(parent);
            page.media_box(rect([0.0, 0.0, c.width, c.height]));
            {
                let mut res = page.resources();
                res.fonts().pairs(fonts.iter().map(|(n, f)| (Name(n.as_bytes()), *f)));
                if !images.is_empty() {
                    res.x_objects().pairs(images.iter().map(|(n, i)| (Name(n.as_bytes()), *i)));
                }
            }
            page.insert(Name(b"Contents")).array().items([content, stamp_ref]);
            if !links.is_empty() {
                let mut annots = page.insert(Name(b"Annots")).array();
                for (area, target) in &links {
                    let mut a = annots.push().start::<Annotation>();
                    a.subtype(AnnotationType::Link);
                    a.rect(rect(*area));
                    a.border(0.0, 0.0, 0.0, None);
                    destination(a.insert(Name(b"Dest")), *target);
                }
            }
        })?;
        Ok(PageRecord { id, stamp, view: View::new([0.0, 0.0, c.width, c.height], 0) })
    }

    /// Writes a page's stamp into the content stream reserved for it.
    pub fn stamp(&mut self, page: &PageRecord, stamp: &Canvas) -> io::Result<()> {
        self.stamp_all(std::slice::from_ref(page), std::slice::from_ref(stamp))
    }

    /// Writes each page's stamp stream: the glyphs of all of them taken first, in order (the
    /// subsets number glyphs as they are first met), then the streams compressed as many at a
    /// time as there are cores (some 60 µs a page, the largest part of the build's serial end)
    /// and written in order.
    pub fn stamp_all(&mut self, pages: &[PageRecord], stamps: &[Canvas]) -> io::Result<()> {
        let ops: Vec<Vec<u8>> = pages
            .iter()
            .zip(stamps)
            .map(|(page, stamp)| {
                let m = page.view.to_page;
                let mut out = format!("q {} {} {} {} {} {} cm\n", m[0], m[1], m[2], m[3], m[4], m[5]).into_bytes();
                out.extend_from_slice(&self.content(stamp));
                out.extend_from_slice(b"Q\n");
                out
            })
            .collect();
        let fax = self.fax;
        for (page, data) in pages.iter().zip(crate::cores::map(&ops, |ops| compressed(ops, fax))) {
            self.write_compressed(page.stamp, &data)?;
        }
        Ok(())
    }

    /// Writes a photo's image object (and its soft mask) and returns its object number.
    pub fn image(&mut self, p: &Photo) -> io::Result<ObjectId> {
        let id = self.w.alloc();
        let (w, h) = (p.width as i32, p.height as i32);
        let mask = match &p.alpha {
            Some(alpha) => {
                let mask = self.w.alloc();
                self.w.typed(mask, |c, r| {
                    let mut m = c.image_xobject(r, alpha);
                    m.width(w).height(h).bits_per_component(8).filter(Filter::FlateDecode);
                    m.color_space().device_gray();
                })?;
                Some(typed_ref(mask)?)
            }
            None => None,
        };
        self.w.typed_stream(id, &p.data, |c, r, data| {
            let mut x = c.image_xobject(r, data);
            x.width(w).height(h).bits_per_component(p.bits_per_component as i32);
            match &p.color {
                ColorSpace::Gray => x.color_space().device_gray(),
                ColorSpace::Rgb => x.color_space().device_rgb(),
                ColorSpace::Cmyk => x.color_space().device_cmyk(),
                ColorSpace::Indexed { palette, hival } => x.color_space().indexed(Name(b"DeviceRGB"), *hival as i32, palette),
            }
            match &p.encoding {
                Encoding::Dct => {
                    x.filter(Filter::DctDecode);
                }
                Encoding::Flate => {
                    x.filter(Filter::FlateDecode);
                }
                Encoding::FlatePng { colors, bits, columns } => {
                    x.filter(Filter::FlateDecode);
                    x.decode_parms()
                        .predictor(Predictor::PngOptimum)
                        .colors(*colors as i32)
                        .bits_per_component(*bits as i32)
                        .columns(*columns as i32);
                }
            }
            if p.invert_cmyk {
                x.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
            }
            if let Some(m) = mask {
                x.s_mask(m);
            }
        })?;
        Ok(id)
    }

    /// Writes the page tree, bookmarks, fonts, document information, catalog and cross
    /// references, and returns the underlying writer.
    pub fn finish(mut self, f: &Finish) -> io::Result<W> {
        let kids: Vec<Ref> = f.pages.iter().map(|p| typed_ref(*p)).collect::<io::Result<_>>()?;
        self.w.typed(self.pages_root, |c, r| {
            c.pages(r).kids(kids.iter().copied()).count(kids.len() as i32);
        })?;
        let outline = write_outline(&mut self.w, &f.outline, &kids)?;
        self.fonts.finish(&mut self.w)?;

        let info = self.w.alloc();
        self.w.typed(info, |c, r| {
            let mut d = c.indirect(r).start::<DocumentInfo>();
            d.title(TextStr(&f.title));
            if let Some(a) = &f.author {
                d.author(TextStr(a));
            }
            d.subject(TextStr(&f.subject));
            d.creator(TextStr("Redress"));
            d.producer(TextStr(concat!("Redress ", env!("CARGO_PKG_VERSION"))));
            d.creation_date(pdf_date(f.created));
            d.modified_date(pdf_date(f.created));
        })?;
        let layers = self.layers(f.layers)?;
        let form = self.form(f.forms)?;
        let root = self.w.alloc();
        let pages_root = typed_ref(self.pages_root)?;
        self.w.typed(root, |c, r| {
            let mut cat = c.indirect(r).start::<Catalog>();
            cat.pages(pages_root);
            cat.outlines(outline);
            cat.page_mode(PageMode::UseOutlines);
            cat.lang(TextStr("en-US"));
            cat.viewer_preferences().display_doc_title(true);
            if let Some(oc) = layers {
                cat.pair(Name(b"OCProperties"), oc);
            }
            if let Some(form) = form {
                cat.pair(Name(b"AcroForm"), form);
            }
            if !f.labels.is_empty() {
                page_labels(cat.insert(Name(b"PageLabels")), &f.labels);
            }
        })?;
        self.w.finish(root, info, f.file_id)
    }
}

impl<W: Sink> PacketWriter<W> {
    /// Writes the exhibits' merged `/OCProperties`, if any exhibit has layers; its groups are
    /// objects already copied from the exhibits, so it is written as lopdf writes those.
    fn layers(&mut self, layers: &Layers) -> io::Result<Option<Ref>> {
        if layers.is_empty() {
            return Ok(None);
        }
        let id = self.w.alloc();
        self.w.write(id, &lopdf::Object::Dictionary(layers.properties()))?;
        typed_ref(id).map(Some)
    }

    /// Writes each exhibit's group field and the packet's `/AcroForm`, if any exhibit has a
    /// form.
    fn form(&mut self, groups: &[FormGroup]) -> io::Result<Option<Ref>> {
        if groups.is_empty() {
            return Ok(None);
        }
        for g in groups {
            self.w.write(g.group, &lopdf::Object::Dictionary(forms::group_field(g)))?;
        }
        let id = self.w.alloc();
        self.w.write(id, &lopdf::Object::Dictionary(forms::acro_form(groups)))?;
        typed_ref(id).map(Some)
    }
}

/// `/PageLabels` as a number tree of one node: each range's first page index, then its
/// prefix and, when numbered, decimal numbers from its start.
fn page_labels(obj: Obj, ranges: &[LabelRange]) {
    let mut tree = obj.dict();
    let mut nums = tree.insert(Name(b"Nums")).array();
    for r in ranges {
        nums.item(r.index as i32);
        let mut label = nums.push().dict();
        label.pair(Name(b"Type"), Name(b"PageLabel"));
        label.pair(Name(b"P"), TextStr(&r.prefix));
        if let Some(start) = r.start {
            label.pair(Name(b"S"), Name(b"D"));
            label.pair(Name(b"St"), start as i32);
        }
    }
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

fn write_outline<W: Sink>(w: &mut PdfWriter<W>, items: &[OutlineItem], pages: &[Ref]) -> io::Result<Ref> {
    let root = w.alloc();
    let (ends, count) = write_level(w, items, typed_ref(root)?, pages)?;
    w.typed(root, |c, r| {
        let mut o = c.outline(r);
        if let Some((first, last)) = ends {
            o.first(first).last(last);
        }
        o.count(count as i32);
    })?;
    typed_ref(root)
}

/// Writes one level of bookmarks under `parent`: its first and last item and how many
/// items it shows open.
fn write_level<W: Sink>(
    w: &mut PdfWriter<W>,
    items: &[OutlineItem],
    parent: Ref,
    pages: &[Ref],
) -> io::Result<(Option<(Ref, Ref)>, usize)> {
    let ids: Vec<ObjectId> = items.iter().map(|_| w.alloc()).collect();
    let refs: Vec<Ref> = ids.iter().map(|i| typed_ref(*i)).collect::<io::Result<_>>()?;
    let mut count = items.len();
    for (i, item) in items.iter().enumerate() {
        let (children, n) = write_level(w, &item.children, refs[i], pages)?;
        count += n;
        w.typed(ids[i], |c, r| {
            let mut o = c.outline_item(r);
            o.title(TextStr(&item.title));
            o.parent(parent);
            if i > 0 {
                o.prev(refs[i - 1]);
            }
            if let Some(next) = refs.get(i + 1) {
                o.next(*next);
            }
            if let Some(page) = pages.get(item.page.saturating_sub(1)) {
                destination(o.insert(Name(b"Dest")), *page);
            }
            if let Some((first, last)) = children {
                // Positive: the exhibits are shown expanded.
                o.first(first).last(last).count(n as i32);
            }
        })?;
    }
    Ok((refs.first().copied().zip(refs.last().copied()), count))
}
