//! The embedded fonts of generated pages: DejaVu Sans (regular, bold) and DejaVu Sans Mono,
//! measured for layout and written as subset Type0 (CID) fonts with a ToUnicode map so the
//! packet's text stays searchable and copyable.

use super::writer::PdfWriter;
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use std::collections::BTreeMap;
use std::io::{self, Write};
use subsetter::GlyphRemapper;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
static MONO: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono.ttf");

/// Which face a run of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
    Mono,
}

impl Face {
    /// The resource name pages use for the face.
    pub fn resource(self) -> &'static str {
        match self {
            Face::Regular => "RdF1",
            Face::Bold => "RdF2",
            Face::Mono => "RdF3",
        }
    }
}

struct Font {
    name: &'static str,
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
    units: f64,
    id: ObjectId,
    remapper: GlyphRemapper,
    /// New glyph id → the character it shows (for ToUnicode) and its advance in font units.
    used: BTreeMap<u16, (char, u16)>,
    /// Cache of char → (new gid, advance) lookups.
    cache: std::collections::HashMap<char, (u16, u16)>,
}

/// The three faces, with the object numbers their font dictionaries will be written under.
pub struct Fonts {
    fonts: [Font; 3],
}

impl Fonts {
    /// Parses the fonts and reserves their object numbers.
    pub fn new<W: Write>(w: &mut PdfWriter<W>) -> Fonts {
        let mk = |name, data: &'static [u8], id| {
            // The fonts are compiled in and known to parse.
            let face = ttf_parser::Face::parse(data, 0).expect("bundled font parses");
            let mut remapper = GlyphRemapper::new();
            remapper.remap(0); // .notdef stays glyph 0
            Font { name, data, units: face.units_per_em() as f64, face, id, remapper, used: BTreeMap::new(), cache: Default::default() }
        };
        Fonts {
            fonts: [mk("DejaVuSans", REGULAR, w.alloc()), mk("DejaVuSans-Bold", BOLD, w.alloc()), mk("DejaVuSansMono", MONO, w.alloc())],
        }
    }

    fn font(&self, face: Face) -> &Font {
        &self.fonts[face as usize]
    }

    /// The resource dictionary entry `/Font << /RdF1 n 0 R ... >>` for pages.
    pub fn resources(&self) -> Dictionary {
        let mut fonts = Dictionary::new();
        for (face, f) in [Face::Regular, Face::Bold, Face::Mono].iter().zip(&self.fonts) {
            fonts.set(face.resource(), f.id);
        }
        fonts
    }

    /// The width of `text` in points at `size`.
    pub fn width(&self, face: Face, text: &str, size: f64) -> f64 {
        let f = self.font(face);
        let units: f64 = text
            .chars()
            .map(|c| {
                let gid = f.face.glyph_index(c).or_else(|| f.face.glyph_index('?'));
                gid.and_then(|g| f.face.glyph_hor_advance(g)).unwrap_or(0) as f64
            })
            .sum();
        units / f.units * size
    }

    /// The text as a hex string of subset glyph ids, recording each glyph as used.
    pub fn encode(&mut self, face: Face, text: &str) -> Vec<u8> {
        let f = &mut self.fonts[face as usize];
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (gid, _) = *f.cache.entry(c).or_insert_with(|| {
                let old = f.face.glyph_index(c).or_else(|| f.face.glyph_index('?')).map(|g| g.0).unwrap_or(0);
                let adv = f.face.glyph_hor_advance(ttf_parser::GlyphId(old)).unwrap_or(0);
                let new = f.remapper.remap(old);
                f.used.entry(new).or_insert((c, adv));
                (new, adv)
            });
            out.extend_from_slice(&gid.to_be_bytes());
        }
        out
    }

    /// Subsets and writes the three fonts. Call once, after every page has been written.
    pub fn finish<W: Write>(&self, w: &mut PdfWriter<W>) -> io::Result<()> {
        for f in &self.fonts {
            write_font(w, f)?;
        }
        Ok(())
    }
}

fn write_font<W: Write>(w: &mut PdfWriter<W>, f: &Font) -> io::Result<()> {
    let subset = subsetter::subset(f.data, 0, &f.remapper).map_err(|e| io::Error::other(format!("font subsetting failed: {e}")))?;
    // A subset font is named with a tag derived from its glyphs, so the name is deterministic.
    let tag: String = {
        let mut h: u32 = 2166136261;
        for (g, (c, _)) in &f.used {
            for b in g.to_be_bytes().iter().chain((*c as u32).to_be_bytes().iter()) {
                h = (h ^ *b as u32).wrapping_mul(16777619);
            }
        }
        (0..6).map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char).collect()
    };
    let base = format!("{tag}+{}", f.name);
    let scale = 1000.0 / f.units;

    let file_id = w.alloc();
    w.write_flate(file_id, Dictionary::new(), &subset)?;

    let bbox = f.face.global_bounding_box();
    let mut desc = Dictionary::new();
    desc.set("Type", Object::Name(b"FontDescriptor".to_vec()));
    desc.set("FontName", Object::Name(base.clone().into_bytes()));
    desc.set("Flags", if f.name.contains("Mono") { 33 } else { 32 });
    desc.set(
        "FontBBox",
        vec![
            Object::Integer((bbox.x_min as f64 * scale) as i64),
            Object::Integer((bbox.y_min as f64 * scale) as i64),
            Object::Integer((bbox.x_max as f64 * scale) as i64),
            Object::Integer((bbox.y_max as f64 * scale) as i64),
        ],
    );
    desc.set("ItalicAngle", 0);
    desc.set("Ascent", (f.face.ascender() as f64 * scale) as i64);
    desc.set("Descent", (f.face.descender() as f64 * scale) as i64);
    desc.set("CapHeight", (f.face.capital_height().unwrap_or(f.face.ascender()) as f64 * scale) as i64);
    desc.set("StemV", if f.name.contains("Bold") { 140 } else { 80 });
    desc.set("FontFile2", file_id);
    let desc_id = w.alloc();
    w.write(desc_id, &Object::Dictionary(desc))?;

    // Widths of every used glyph: [gid [w]] runs.
    let mut widths = Vec::new();
    for (gid, (_, adv)) in &f.used {
        widths.push(Object::Integer(*gid as i64));
        widths.push(Object::Array(vec![Object::Integer((*adv as f64 * scale).round() as i64)]));
    }
    let mut cid = Dictionary::new();
    cid.set("Type", Object::Name(b"Font".to_vec()));
    cid.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
    cid.set("BaseFont", Object::Name(base.clone().into_bytes()));
    let mut sys = Dictionary::new();
    sys.set("Registry", Object::String(b"Adobe".to_vec(), StringFormat::Literal));
    sys.set("Ordering", Object::String(b"Identity".to_vec(), StringFormat::Literal));
    sys.set("Supplement", 0);
    cid.set("CIDSystemInfo", sys);
    cid.set("FontDescriptor", desc_id);
    cid.set("DW", 0);
    cid.set("W", widths);
    cid.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    let cid_id = w.alloc();
    w.write(cid_id, &Object::Dictionary(cid))?;

    let cmap_id = w.alloc();
    w.write_flate(cmap_id, Dictionary::new(), to_unicode_cmap(&f.used).as_bytes())?;

    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type0".to_vec()));
    font.set("BaseFont", Object::Name(base.into_bytes()));
    font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
    font.set("DescendantFonts", vec![Object::Reference(cid_id)]);
    font.set("ToUnicode", cmap_id);
    w.write(f.id, &Object::Dictionary(font))
}

fn to_unicode_cmap(used: &BTreeMap<u16, (char, u16)>) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<_> = used.iter().filter(|(g, _)| **g != 0).collect();
    for chunk in entries.chunks(100) {
        s.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (gid, (c, _)) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c.encode_utf16(&mut units).iter().map(|u| format!("{u:04X}")).collect();
            s.push_str(&format!("<{gid:04X}> <{hex}>\n"));
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}
