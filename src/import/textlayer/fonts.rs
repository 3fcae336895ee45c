//! What the text walker needs of a font: how a string splits into character codes, each code's
//! advance and the text it stands for, and how far the glyphs reach above and below the baseline.

use lopdf::{Dictionary, Document, Encoding, Object};
use std::collections::HashMap;

/// The most a font's `/ToUnicode` map may decompress to: real ones take a few kilobytes.
const CMAP_DECODED: usize = 4 << 20;

/// Advance widths (1/1000 em) of ASCII 32..=126 in the standard fonts that PDFs name without
/// giving widths, from the metric-compatible URW base 35 AFM files.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278,
    278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556,
    556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333,
    333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611,
    611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];
const TIMES: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278,
    278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722,
    722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500,
    500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];
const TIMES_BOLD: [u16; 95] = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333,
    333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722,
    722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556,
    556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
];
const TIMES_ITALIC: [u16; 95] = [
    250, 333, 420, 500, 500, 833, 778, 214, 333, 333, 500, 675, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333,
    333, 675, 675, 675, 500, 920, 611, 611, 667, 722, 611, 611, 722, 722, 333, 444, 667, 556, 833, 667, 722, 611, 722, 611, 500, 556, 722,
    611, 833, 611, 556, 556, 389, 278, 389, 422, 500, 333, 500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444, 278, 722, 500, 500, 500,
    500, 389, 389, 278, 500, 444, 667, 444, 444, 389, 400, 275, 400, 541,
];
const TIMES_BOLD_ITALIC: [u16; 95] = [
    250, 389, 555, 500, 500, 833, 778, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333,
    333, 570, 570, 570, 500, 832, 667, 667, 667, 722, 667, 667, 722, 778, 389, 500, 667, 611, 889, 722, 722, 611, 722, 667, 556, 611, 722,
    667, 889, 667, 611, 611, 333, 278, 333, 570, 500, 333, 500, 500, 444, 500, 444, 333, 500, 556, 278, 278, 500, 278, 778, 556, 500, 500,
    500, 389, 389, 278, 556, 444, 667, 500, 444, 389, 348, 220, 348, 570,
];

/// How a font's codes are advanced.
enum Widths {
    /// A simple font's `/Widths` from `/FirstChar`, with its `/MissingWidth`.
    Simple { first: u32, widths: Vec<f64>, missing: f64 },
    /// A CID font's `/W` as (first, last, width) runs sorted by first, with its `/DW`.
    Cid { runs: Vec<(u32, u32, f64)>, default: f64 },
    /// A standard font named without widths: its ASCII table, or Courier's fixed 600.
    Standard(Option<&'static [u16; 95]>),
}

/// A font as the walker uses it.
pub(super) struct Font<'a> {
    /// Codes are two bytes (a Type0 font) rather than one.
    pub two_byte: bool,
    widths: Widths,
    /// Glyph space to text space: 1/1000, or a Type3 font's `/FontMatrix` scale.
    scale: f64,
    /// How far glyphs reach above and below the baseline, in em (descent negative).
    pub ascent: f64,
    pub descent: f64,
    decoder: Option<Encoding<'a>>,
    /// Each single-byte code's text, decoded once.
    simple_text: Vec<Option<String>>,
}

fn number(doc: &Document, o: &Object) -> Option<f64> {
    match doc.dereference(o).ok()?.1 {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().and_then(|o| doc.dereference(o).ok()).map(|(_, o)| o)
}

fn dict<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    get(doc, dict, key).and_then(|o| o.as_dict().ok())
}

impl<'a> Font<'a> {
    /// Reads a font dictionary; whatever cannot be read is estimated (widths) or left out (text).
    pub fn read(doc: &'a Document, font: &'a Dictionary) -> Font<'a> {
        let subtype = get(doc, font, b"Subtype").and_then(|s| s.as_name().ok()).unwrap_or(b"");
        let two_byte = subtype == b"Type0";
        let descendant = two_byte
            .then(|| get(doc, font, b"DescendantFonts").and_then(|d| d.as_array().ok()))
            .flatten()
            .and_then(|a| a.first())
            .and_then(|d| doc.dereference(d).ok())
            .and_then(|(_, d)| d.as_dict().ok());
        let descriptor = dict(doc, descendant.unwrap_or(font), b"FontDescriptor");
        let metric = |key: &[u8]| descriptor.and_then(|d| get(doc, d, key)).and_then(|o| number(doc, o));
        let base = get(doc, font, b"BaseFont").and_then(|b| b.as_name().ok()).unwrap_or(b"");
        let (std_ascent, std_descent) = standard_extent(base);
        let ascent = metric(b"Ascent").map(|a| a / 1000.0).filter(|a| *a > 0.2 && *a < 2.0).unwrap_or(std_ascent);
        let descent = metric(b"Descent").map(|d| d / 1000.0).filter(|d| *d < 0.0 && *d > -1.0).unwrap_or(std_descent);
        let scale = match subtype {
            b"Type3" => type3_scale(doc, font),
            _ => 0.001,
        };
        let widths = match descendant {
            Some(d) => cid_widths(doc, d),
            None => simple_widths(doc, font, metric(b"MissingWidth")).unwrap_or_else(|| Widths::Standard(standard_widths(base))),
        };
        let decoder = decoder(doc, font, two_byte);
        let simple_text = match (&decoder, two_byte) {
            (Some(d), false) => (0u8..=255).map(|b| d.bytes_to_string(&[b]).ok()).collect(),
            _ => Vec::new(),
        };
        Font { two_byte, widths, scale, ascent, descent, decoder, simple_text }
    }

    /// The advance of a code, in text space units (em).
    pub fn advance(&self, code: u32) -> f64 {
        let w = match &self.widths {
            Widths::Simple { first, widths, missing } => {
                code.checked_sub(*first).and_then(|i| widths.get(i as usize)).copied().unwrap_or(*missing)
            }
            Widths::Cid { runs, default } => {
                let at = runs.partition_point(|r| r.0 <= code);
                at.checked_sub(1).map(|i| runs[i]).filter(|r| code <= r.1).map(|r| r.2).unwrap_or(*default)
            }
            Widths::Standard(None) => 600.0,
            Widths::Standard(Some(table)) => match code {
                32..=126 => f64::from(table[code as usize - 32]),
                _ => f64::from(table[(b'o' - 32) as usize]),
            },
        };
        let w = w * self.scale;
        if w.is_finite() {
            w
        } else {
            0.0
        }
    }

    /// The text a code stands for, when the font says.
    pub fn text(&self, code: u32) -> Option<String> {
        if !self.two_byte {
            return self.simple_text.get(code as usize).cloned().flatten();
        }
        let bytes = [(code >> 8) as u8, code as u8];
        self.decoder.as_ref()?.bytes_to_string(&bytes).ok()
    }
}

/// The ascent and descent (em) of a standard font, and a safe guess for others.
fn standard_extent(base: &[u8]) -> (f64, f64) {
    let name = strip_subset(base);
    if name.starts_with(b"Helvetica") || name.starts_with(b"Arial") {
        (0.718, -0.207)
    } else if name.starts_with(b"Times") {
        (0.683, -0.217)
    } else if name.starts_with(b"Courier") {
        (0.629, -0.157)
    } else {
        (0.8, -0.2)
    }
}

/// A subset font's name without its `ABCDEF+` tag.
fn strip_subset(base: &[u8]) -> &[u8] {
    match base.iter().position(|b| *b == b'+') {
        Some(6) => &base[7..],
        _ => base,
    }
}

fn standard_widths(base: &[u8]) -> Option<&'static [u16; 95]> {
    let name = String::from_utf8_lossy(strip_subset(base)).to_ascii_lowercase();
    let bold = name.contains("bold");
    let italic = name.contains("italic") || name.contains("oblique");
    if name.starts_with("courier") {
        None
    } else if name.starts_with("times") || name.contains("roman") || name.contains("serif") && !name.contains("sans") {
        Some(match (bold, italic) {
            (false, false) => &TIMES,
            (true, false) => &TIMES_BOLD,
            (false, true) => &TIMES_ITALIC,
            (true, true) => &TIMES_BOLD_ITALIC,
        })
    } else if bold {
        Some(&HELVETICA_BOLD)
    } else {
        Some(&HELVETICA)
    }
}

fn simple_widths(doc: &Document, font: &Dictionary, missing: Option<f64>) -> Option<Widths> {
    let first = get(doc, font, b"FirstChar").and_then(|o| number(doc, o)).filter(|f| (0.0..=255.0).contains(f))? as u32;
    let widths = get(doc, font, b"Widths")?.as_array().ok()?;
    let widths = widths.iter().take(256).map(|w| number(doc, w).unwrap_or(0.0)).collect();
    Some(Widths::Simple { first, widths, missing: missing.unwrap_or(0.0) })
}

/// A CID font's `/W` runs, at most a glyph table's worth of entries.
fn cid_widths(doc: &Document, font: &Dictionary) -> Widths {
    let default = get(doc, font, b"DW").and_then(|o| number(doc, o)).unwrap_or(1000.0);
    let mut runs = Vec::new();
    let items = get(doc, font, b"W").and_then(|w| w.as_array().ok()).map(Vec::as_slice).unwrap_or(&[]);
    let mut i = 0;
    while i + 1 < items.len() && runs.len() < 1 << 17 {
        let Some(first) = number(doc, &items[i]).filter(|f| *f >= 0.0 && *f <= f64::from(u32::MAX)) else { break };
        let first = first as u32;
        match doc.dereference(&items[i + 1]).map(|(_, o)| o) {
            Ok(Object::Array(list)) => {
                for (k, w) in list.iter().enumerate().take(1 << 16) {
                    let code = first.saturating_add(k as u32);
                    runs.push((code, code, number(doc, w).unwrap_or(default)));
                }
                i += 2;
            }
            _ => {
                let (Some(last), Some(w)) = (number(doc, &items[i + 1]), items.get(i + 2).and_then(|w| number(doc, w))) else { break };
                runs.push((first, last.clamp(0.0, f64::from(u32::MAX)) as u32, w));
                i += 3;
            }
        }
    }
    runs.sort_by_key(|r| r.0);
    Widths::Cid { runs, default }
}

fn type3_scale(doc: &Document, font: &Dictionary) -> f64 {
    let matrix = get(doc, font, b"FontMatrix").and_then(|m| m.as_array().ok());
    let a = matrix.and_then(|m| m.first()).and_then(|a| number(doc, a)).unwrap_or(0.001);
    if a.is_finite() && a.abs() < 1.0 {
        a.abs()
    } else {
        0.001
    }
}

/// How codes become text: the font's `/ToUnicode` map where it has one, else (a simple font)
/// its encoding, or (a Type0 font) a UCS-2 CMap by name; `None` when the font does not say.
fn decoder<'a>(doc: &'a Document, font: &'a Dictionary, two_byte: bool) -> Option<Encoding<'a>> {
    if let Ok(map) = font.get(b"ToUnicode") {
        let mut only_map = Dictionary::new();
        only_map.set("Type", "Font");
        only_map.set("ToUnicode", map.clone());
        if let Ok(Encoding::UnicodeMapEncoding(cmap)) = only_map.get_font_encoding_with_limit(doc, CMAP_DECODED) {
            return Some(Encoding::UnicodeMapEncoding(cmap));
        }
    }
    if two_byte {
        let name = get(doc, font, b"Encoding").and_then(|e| e.as_name().ok())?;
        return matches!(name, b"UniGB-UCS2-H" | b"UniGB-UTF16-H").then_some(Encoding::SimpleEncoding(name));
    }
    match font.get_font_encoding_with_limit(doc, CMAP_DECODED) {
        Ok(Encoding::SimpleEncoding(_)) | Err(_) => None,
        Ok(e) => Some(e),
    }
}

/// Fonts read once for a page, by the object that holds them.
#[derive(Default)]
pub(super) struct FontCache<'a> {
    /// By the font's object number, or for a font written inline, by where it is in memory.
    by_id: HashMap<(lopdf::ObjectId, usize), usize>,
    pub fonts: Vec<Font<'a>>,
}

impl<'a> FontCache<'a> {
    /// The font a `Tf` names in `resources`, read the first time it is used.
    pub fn find(&mut self, doc: &'a Document, resources: Option<&'a Dictionary>, name: &[u8]) -> Option<usize> {
        let fonts = dict(doc, resources?, b"Font")?;
        let entry = fonts.get(name).ok()?;
        let key = match entry.as_reference() {
            Ok(id) => (id, 0),
            Err(_) => ((0, 0), entry as *const Object as usize),
        };
        if let Some(&i) = self.by_id.get(&key) {
            return Some(i);
        }
        let font = match entry.as_reference() {
            Ok(id) => doc.get_dictionary(id).ok()?,
            Err(_) => entry.as_dict().ok()?,
        };
        self.fonts.push(Font::read(doc, font));
        self.by_id.insert(key, self.fonts.len() - 1);
        Some(self.fonts.len() - 1)
    }
}

/// Times-Roman's ASCII widths, for tests that write them into a font dictionary.
#[cfg(test)]
pub(super) fn times_widths() -> &'static [u16; 95] {
    &TIMES
}
