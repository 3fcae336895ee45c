//! The fonts of generated pages: DejaVu Sans (regular, bold) and DejaVu Sans Mono.
//!
//! Two halves, kept apart so that layout needs no writer: [`Metrics`] measures text (pure,
//! shared, parsed once), and [`Subsets`] assigns subset glyph ids when a final page is
//! written, then embeds each face as a subset Type0 (CID) font with a ToUnicode map so the
//! packet's text stays searchable and copyable. A character a face lacks is set in DejaVu
//! Sans when that has it (it covers Latin, Greek and Cyrillic, and more than the other two);
//! one no face has prints as `?`, and the plan warns about it, naming the field.

use super::writer::{deflate, typed_ref, PdfWriter};
use crate::packet::writer::Sink;
use lopdf::ObjectId;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Filter, Name, Rect, Str};
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::sync::OnceLock;
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

pub const FACES: [Face; 3] = [Face::Regular, Face::Bold, Face::Mono];

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

struct FaceData {
    name: &'static str,
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
    units: f64,
}

/// The glyph that shows a character: in which face, which glyph of that face, and whether
/// it is the `?` that stands in for a character no face has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
    pub face: Face,
    pub id: u16,
    pub missing: bool,
}

/// Text measurement: the three faces parsed once, read-only.
pub struct Metrics {
    faces: [FaceData; 3],
    /// The glyph of each of the first [`LOOKED_UP`] characters in each face, looked up once:
    /// a font's character map is searched for each character otherwise, and most of a packet's
    /// text is Latin.
    common: [Vec<Glyph>; 3],
}

/// The characters whose glyphs [`Metrics`] keeps: Latin-1 and Latin Extended-A.
const LOOKED_UP: usize = 0x180;

/// The packet's fonts, parsed on first use.
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let mk = |name, data: &'static [u8]| {
            // The fonts are compiled in and known to parse.
            let face = ttf_parser::Face::parse(data, 0).expect("bundled font parses");
            FaceData { name, data, units: face.units_per_em() as f64, face }
        };
        let mut m = Metrics {
            faces: [mk("DejaVuSans", REGULAR), mk("DejaVuSans-Bold", BOLD), mk("DejaVuSansMono", MONO)],
            common: Default::default(),
        };
        let common = FACES.map(|face| (0..LOOKED_UP).filter_map(|c| char::from_u32(c as u32)).map(|c| m.look_up(face, c)).collect());
        m.common = common;
        m
    })
}

impl Metrics {
    fn data(&self, face: Face) -> &FaceData {
        &self.faces[face as usize]
    }

    /// The glyph `c` is drawn with when set in `face`: its own, else DejaVu Sans's, else `?`.
    pub fn glyph(&self, face: Face, c: char) -> Glyph {
        match self.common[face as usize].get(c as usize) {
            Some(g) => *g,
            None => self.look_up(face, c),
        }
    }

    /// [`Metrics::glyph`], from the fonts' character maps.
    fn look_up(&self, face: Face, c: char) -> Glyph {
        let own = |f: Face| self.data(f).face.glyph_index(c).map(|g| Glyph { face: f, id: g.0, missing: false });
        own(face).or_else(|| own(Face::Regular)).unwrap_or_else(|| Glyph {
            face,
            id: self.data(face).face.glyph_index('?').map(|g| g.0).unwrap_or(0),
            missing: true,
        })
    }

    /// Whether some face of the packet has `c` (control characters count as covered: they
    /// never reach a page).
    pub fn covers(&self, c: char) -> bool {
        c.is_control() || !self.glyph(Face::Regular, c).missing
    }

    /// The advance of a glyph, in points at `size`.
    pub fn advance(&self, g: Glyph, size: f64) -> f64 {
        let f = self.data(g.face);
        f.face.glyph_hor_advance(ttf_parser::GlyphId(g.id)).unwrap_or(0) as f64 / f.units * size
    }

    /// The width of `text` in points at `size`.
    pub fn width(&self, face: Face, text: &str, size: f64) -> f64 {
        text.chars().map(|c| self.advance(self.glyph(face, c), size)).sum()
    }
}

/// A run of text set in one embedded font: the resource to select and the glyph codes.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub face: Face,
    pub codes: Vec<u8>,
    /// The run's width in points at the size it was encoded for.
    pub width: f64,
}

struct Subset {
    id: ObjectId,
    remapper: GlyphRemapper,
    /// New glyph id → the character it shows (for ToUnicode) and its advance in font units.
    used: BTreeMap<u16, (char, u16)>,
}

/// The glyphs the written pages use, per face, and the object numbers of the font dictionaries.
pub struct Subsets {
    subsets: [Subset; 3],
    /// (requested face, char) → (face used, new gid), so each lookup is made once.
    cache: HashMap<(Face, char), (Face, u16)>,
}

impl Subsets {
    /// Reserves the fonts' object numbers; nothing is subset until pages are written.
    pub fn new<W: Sink>(w: &mut PdfWriter<W>) -> Subsets {
        let mk = |id| {
            let mut remapper = GlyphRemapper::new();
            remapper.remap(0); // .notdef stays glyph 0
            Subset { id, remapper, used: BTreeMap::new() }
        };
        Subsets { subsets: [mk(w.alloc()), mk(w.alloc()), mk(w.alloc())], cache: HashMap::new() }
    }

    /// The object number of a face's font dictionary.
    pub fn id(&self, face: Face) -> ObjectId {
        self.subsets[face as usize].id
    }

    /// The text as runs of subset glyph ids, one run per embedded font it needs, recording
    /// each glyph as used.
    pub fn encode(&mut self, face: Face, text: &str, size: f64) -> Vec<Run> {
        let m = metrics();
        let mut runs: Vec<Run> = Vec::new();
        for c in text.chars() {
            let g = m.glyph(face, c);
            let (used, gid) = *self.cache.entry((face, c)).or_insert_with(|| {
                let s = &mut self.subsets[g.face as usize];
                let new = s.remapper.remap(g.id);
                let adv = m.data(g.face).face.glyph_hor_advance(ttf_parser::GlyphId(g.id)).unwrap_or(0);
                // The stand-in `?` is copied as `?`: a reader's copy says what the page shows.
                let shown = if g.missing { '?' } else { c };
                s.used.entry(new).or_insert((shown, adv));
                (g.face, new)
            });
            let width = m.advance(g, size);
            match runs.last_mut() {
                Some(r) if r.face == used => {
                    r.codes.extend_from_slice(&gid.to_be_bytes());
                    r.width += width;
                }
                _ => runs.push(Run { face: used, codes: gid.to_be_bytes().to_vec(), width }),
            }
        }
        runs
    }

    /// Subsets and writes the three fonts. Call once, after every page has been written.
    pub fn finish<W: Sink>(&self, w: &mut PdfWriter<W>) -> io::Result<()> {
        for face in FACES {
            write_font(w, metrics().data(face), &self.subsets[face as usize])?;
        }
        Ok(())
    }
}

/// The font descriptor's flags, from the font's own tables: fixed pitch (post), italic (OS/2),
/// and nonsymbolic, since the fonts cover the standard Latin set.
fn flags(face: &ttf_parser::Face) -> FontFlags {
    let mut flags = FontFlags::NON_SYMBOLIC;
    flags.set(FontFlags::FIXED_PITCH, face.is_monospaced());
    flags.set(FontFlags::ITALIC, face.is_italic());
    flags
}

fn write_font<W: Sink>(w: &mut PdfWriter<W>, f: &FaceData, s: &Subset) -> io::Result<()> {
    let subset = subsetter::subset(f.data, 0, &s.remapper).map_err(|e| io::Error::other(format!("font subsetting failed: {e}")))?;
    // A subset font is named with a tag derived from its glyphs, so the name is deterministic.
    let tag: String = {
        let mut h: u32 = 2166136261;
        for (g, (c, _)) in &s.used {
            for b in g.to_be_bytes().iter().chain((*c as u32).to_be_bytes().iter()) {
                h = (h ^ *b as u32).wrapping_mul(16777619);
            }
        }
        (0..6).map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char).collect()
    };
    let base = format!("{tag}+{}", f.name);
    let scale = 1000.0 / f.units;
    let face = &f.face;
    let (file, desc, cid, cmap) = (w.alloc(), w.alloc(), w.alloc(), w.alloc());
    let (file_ref, desc_ref, cid_ref, cmap_ref) = (typed_ref(file)?, typed_ref(desc)?, typed_ref(cid)?, typed_ref(cmap)?);

    let data = deflate(&subset);
    w.typed(file, |c, r| {
        c.stream(r, &data).filter(Filter::FlateDecode);
    })?;
    let bbox = face.global_bounding_box();
    let units = |v: i16| (v as f64 * scale) as i64 as f32;
    w.typed(desc, |c, r| {
        c.font_descriptor(r)
            .name(Name(base.as_bytes()))
            .flags(flags(face))
            .bbox(Rect::new(units(bbox.x_min), units(bbox.y_min), units(bbox.x_max), units(bbox.y_max)))
            .italic_angle(face.italic_angle())
            .ascent(units(face.ascender()))
            .descent(units(face.descender()))
            .cap_height(units(face.capital_height().unwrap_or(face.ascender())))
            // The stem width estimated from the weight class, as typst does.
            .stem_v((10.0 + 0.244 * (face.weight().to_number() as f32 - 50.0)).round())
            .font_file2(file_ref);
    })?;
    w.typed(cid, |c, r| {
        let mut font = c.cid_font(r);
        font.subtype(CidFontType::Type2)
            .base_font(Name(base.as_bytes()))
            .system_info(SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 })
            .font_descriptor(desc_ref)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        // Widths of every used glyph: [gid [w]] runs.
        let mut widths = font.widths();
        for (gid, (_, adv)) in &s.used {
            widths.consecutive(*gid, [(*adv as f64 * scale).round() as f32]);
        }
    })?;
    let cmap_data = deflate(to_unicode_cmap(&s.used).as_bytes());
    w.typed(cmap, |c, r| {
        c.stream(r, &cmap_data).filter(Filter::FlateDecode);
    })?;
    w.typed(s.id, |c, r| {
        c.type0_font(r)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glyphs_kept_are_those_the_character_maps_give() {
        let m = metrics();
        for face in FACES {
            for c in (0..0x2200).filter_map(char::from_u32) {
                assert_eq!(m.glyph(face, c), m.look_up(face, c), "{c:?} in {face:?}");
            }
        }
        assert!(m.glyph(Face::Mono, 'é').face == Face::Mono && !m.glyph(Face::Bold, 'Ł').missing);
    }

    #[test]
    fn names_in_latin_greek_and_cyrillic_print_in_every_face() {
        let m = metrics();
        for name in ["Łukasz Żółć-Nguyễn", "Ελένη Παπαδοπούλου", "Светлана Иванова", "Ødegård Ærø Şahin"]
        {
            for face in FACES {
                for c in name.chars() {
                    assert!(!m.glyph(face, c).missing, "{c:?} in {face:?}");
                }
            }
        }
    }

    #[test]
    fn a_character_no_face_has_is_a_question_mark_and_copies_as_one() {
        let mut w = PdfWriter::new(Vec::new()).unwrap();
        let mut s = Subsets::new(&mut w);
        assert!(!metrics().covers('漢'));
        // The stand-in comes first: a real `?` after it must still copy as `?`, and the
        // stand-in itself copies as `?` too, never as the character it replaced.
        let runs = s.encode(Face::Regular, "漢?", 10.0);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].codes[0..2], runs[0].codes[2..4], "both are the ? glyph");
        let shown: Vec<char> = s.subsets[0].used.values().map(|(c, _)| *c).collect();
        assert_eq!(shown, vec!['?']);
    }

    #[test]
    fn a_character_the_mono_face_lacks_is_set_in_dejavu_sans() {
        let m = metrics();
        // U+2A01 (n-ary circled plus) is in DejaVu Sans but not in DejaVu Sans Mono.
        let c = (0x2000u32..0x3000)
            .filter_map(char::from_u32)
            .find(|c| m.data(Face::Mono).face.glyph_index(*c).is_none() && m.data(Face::Regular).face.glyph_index(*c).is_some());
        let c = c.expect("DejaVu Sans has characters DejaVu Sans Mono lacks");
        let g = m.glyph(Face::Mono, c);
        assert_eq!((g.face, g.missing), (Face::Regular, false));
        let mut w = PdfWriter::new(Vec::new()).unwrap();
        let mut s = Subsets::new(&mut w);
        let runs = s.encode(Face::Mono, &format!("a{c}b"), 10.0);
        assert_eq!(runs.iter().map(|r| r.face).collect::<Vec<_>>(), vec![Face::Mono, Face::Regular, Face::Mono]);
    }

    #[test]
    fn flags_come_from_the_fonts_tables() {
        let m = metrics();
        assert_eq!(flags(&m.data(Face::Mono).face).bits(), 33);
        assert_eq!(flags(&m.data(Face::Regular).face).bits(), 32);
        assert_eq!(flags(&m.data(Face::Bold).face).bits(), 32);
    }
}
