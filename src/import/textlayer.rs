//! The words of a PDF page's text layer with their boxes, as a person sees the page: the page's
//! content is walked as a reader draws it (the graphics state's matrix, the text state, form
//! XObjects), each glyph placed through the text matrix with its font's width and decoded
//! through its `/ToUnicode` map or encoding; glyphs join into words where no space or gap parts
//! them, words into lines by baseline, and the boxes are given in the visible (crop) box's
//! points from its top-left corner with `/Rotate` applied.

mod fonts;

use super::{Error, Format, Result};
use crate::limits::STREAM_DECODED;
use crate::matrix::{apply as pt, multiply as mul, Matrix, IDENTITY};
use crate::words::{PageWords, Rect, Word, WordSource};
use fonts::FontCache;
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;

/// How deep form XObjects drawn inside each other are followed.
const FORM_DEPTH: usize = 8;
/// The most content operations walked for one page, forms included, and the most glyphs placed:
/// a dense page of text has some thousands.
const MAX_OPERATIONS: usize = 2_000_000;
const MAX_GLYPHS: usize = 400_000;
/// A gap along the baseline wider than this (in em of the font size) parts two words. Interword
/// space in justified text shrinks to about a fifth of an em; kerning stays under a tenth.
const WORD_GAP: f64 = 0.15;
/// Saved graphics states kept at once (`q` nested deeper is ignored until its `Q`).
const MAX_SAVED: usize = 1024;

/// The words of every page of a PDF, opened as the build opens it (an owner-password-only file
/// decrypted, a broken cross-reference table repaired). `name` is the file's name, whose
/// extension must agree with its content.
pub fn pdf_words(bytes: &[u8], name: &str) -> Result<Vec<PageWords>> {
    if super::detect(name, bytes)? != Format::Pdf {
        return Err(Error::NotTheFormat("is not a PDF".into()));
    }
    let pdf = super::pdf::open(bytes, None)?;
    pdf.all_pages.iter().enumerate().map(|(i, &id)| page_words(&pdf.doc, id, i as u32 + 1)).collect()
}

/// The words of one page (`page_number` counted from 1), in reading order with their lines. A
/// page whose content cannot be read has no words; one whose content decompresses past the
/// limit is refused, as the build refuses it.
pub fn page_words(doc: &Document, page: ObjectId, page_number: u32) -> Result<PageWords> {
    let geometry = super::pdf::geometry(doc, page);
    let view = View::of(&geometry);
    let data = match doc.get_page_content_with_limit(page, STREAM_DECODED) {
        Ok(data) => data,
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            return Err(crate::limits::stream_too_large(&format!("page {page_number}'s content")))
        }
        Err(_) => Vec::new(),
    };
    let resources = geometry.resources.as_ref().and_then(|r| doc.dereference(r).ok()).and_then(|(_, r)| r.as_dict().ok());
    let mut walker = Walker::new(doc, view.matrix, STREAM_DECODED.saturating_sub(data.len()));
    if let Ok(content) = Content::decode(&data) {
        walker.run(&content.operations, resources, 0);
    }
    walker.annotations(page);
    walker.end_word();
    let words = arrange(walker.words, view.width, view.height);
    Ok(PageWords { page: page_number, width: view.width as f32, height: view.height as f32, source: WordSource::TextLayer, words })
}

/// The page as seen: its size, and the matrix from default user space to its top-left-origin,
/// y-down, rotated coordinates.
struct View {
    matrix: Matrix,
    width: f64,
    height: f64,
}

impl View {
    fn of(g: &super::pdf::PageGeometry) -> View {
        let [x0, y0, x1, y1] = g.visible();
        let (w, h) = (x1 - x0, y1 - y0);
        let (matrix, width, height) = match g.rotate {
            90 => ([0.0, 1.0, 1.0, 0.0, -y0, -x0], h, w),
            180 => ([-1.0, 0.0, 0.0, 1.0, x1, -y0], w, h),
            270 => ([0.0, -1.0, -1.0, 0.0, y1, x1], h, w),
            _ => ([1.0, 0.0, 0.0, -1.0, -x0, y1], w, h),
        };
        View { matrix, width, height }
    }
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)).filter(|r| r.is_finite()),
        _ => None,
    }
}

fn matrix(operands: &[Object]) -> Option<Matrix> {
    let v: Vec<f64> = operands.iter().filter_map(number).collect();
    (v.len() == 6 && operands.len() == 6).then(|| [v[0], v[1], v[2], v[3], v[4], v[5]])
}

/// The graphics and text state that `q` saves and `Q` restores.
#[derive(Clone, Copy)]
struct State {
    ctm: Matrix,
    font: Option<usize>,
    size: f64,
    char_space: f64,
    word_space: f64,
    /// Horizontal scaling, 1 for 100 %.
    scale: f64,
    leading: f64,
    rise: f64,
}

impl State {
    const INITIAL: State =
        State { ctm: IDENTITY, font: None, size: 0.0, char_space: 0.0, word_space: 0.0, scale: 1.0, leading: 0.0, rise: 0.0 };
}

/// Which way text runs on the page as seen: 0 left to right, 1 downwards, 2 right to left
/// (upside down), 3 upwards.
type Quadrant = u8;

/// A point in a quadrant's own frame: along the text, and across it towards the next line.
fn frame(q: Quadrant, (x, y): (f64, f64)) -> (f64, f64) {
    match q {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

/// A word as it is read, in page-as-seen coordinates.
struct Placed {
    text: String,
    /// `[x0, y0, x1, y1]`.
    bounds: [f64; 4],
    quadrant: Quadrant,
    size: f64,
    /// The baseline's position across the text, and where the word starts and ends along it.
    across: f64,
    along: (f64, f64),
}

struct Walker<'a> {
    doc: &'a Document,
    fonts: FontCache<'a>,
    view: Matrix,
    state: State,
    saved: Vec<State>,
    tm: Matrix,
    tlm: Matrix,
    operations: usize,
    glyphs: usize,
    /// Decompressed bytes that form XObjects may still take.
    budget: usize,
    forms: HashMap<ObjectId, Rc<Vec<Operation>>>,
    current: Option<Placed>,
    words: Vec<Placed>,
}

impl<'a> Walker<'a> {
    fn new(doc: &'a Document, view: Matrix, budget: usize) -> Walker<'a> {
        Walker {
            doc,
            fonts: FontCache::default(),
            view,
            state: State::INITIAL,
            saved: Vec::new(),
            tm: IDENTITY,
            tlm: IDENTITY,
            operations: 0,
            glyphs: 0,
            budget,
            forms: HashMap::new(),
            current: None,
            words: Vec::new(),
        }
    }

    fn run(&mut self, operations: &[Operation], resources: Option<&'a Dictionary>, depth: usize) {
        for op in operations {
            self.operations += 1;
            if self.operations > MAX_OPERATIONS || self.glyphs > MAX_GLYPHS {
                return;
            }
            self.operation(op, resources, depth);
        }
    }

    fn operation(&mut self, op: &Operation, resources: Option<&'a Dictionary>, depth: usize) {
        let o = op.operands.as_slice();
        let first = || o.first().and_then(number);
        let s = &mut self.state;
        match op.operator.as_str() {
            "q" if self.saved.len() < MAX_SAVED => self.saved.push(self.state),
            "Q" => self.state = self.saved.pop().unwrap_or(self.state),
            "cm" => {
                if let Some(m) = matrix(o) {
                    s.ctm = mul(m, s.ctm);
                }
            }
            "BT" => (self.tm, self.tlm) = (IDENTITY, IDENTITY),
            "Tc" => s.char_space = first().unwrap_or(s.char_space),
            "Tw" => s.word_space = first().unwrap_or(s.word_space),
            "Tz" => s.scale = first().map(|z| z / 100.0).unwrap_or(s.scale),
            "TL" => s.leading = first().unwrap_or(s.leading),
            "Ts" => s.rise = first().unwrap_or(s.rise),
            "Tf" => {
                s.size = o.get(1).and_then(number).unwrap_or(s.size);
                let name = o.first().and_then(|n| n.as_name().ok());
                self.state.font = name.and_then(|n| self.fonts.find(self.doc, resources, n));
            }
            "Td" | "TD" => {
                if let (Some(tx), Some(ty)) = (first(), o.get(1).and_then(number)) {
                    if op.operator == "TD" {
                        s.leading = -ty;
                    }
                    self.next_line(tx, ty);
                }
            }
            "Tm" => {
                if let Some(m) = matrix(o) {
                    (self.tm, self.tlm) = (m, m);
                }
            }
            "T*" => self.next_line(0.0, -self.state.leading),
            "Tj" => self.show_all(o),
            "TJ" => self.show_all(o),
            "'" => {
                self.next_line(0.0, -self.state.leading);
                self.show_all(o);
            }
            "\"" => {
                s.word_space = first().unwrap_or(s.word_space);
                s.char_space = o.get(1).and_then(number).unwrap_or(s.char_space);
                self.next_line(0.0, -self.state.leading);
                self.show_all(o.get(2..).unwrap_or(&[]));
            }
            "Do" if depth < FORM_DEPTH => self.form(o, resources, depth),
            _ => {}
        }
    }

    fn next_line(&mut self, tx: f64, ty: f64) {
        self.tlm = mul([1.0, 0.0, 0.0, 1.0, tx, ty], self.tlm);
        self.tm = self.tlm;
    }

    /// Strings shown, and `TJ`'s numbers moving the next glyph (thousandths of an em, leftwards).
    fn show_all(&mut self, operands: &[Object]) {
        for o in operands {
            match o {
                Object::String(bytes, _) => self.show(bytes),
                Object::Array(items) => self.show_all(items),
                n => {
                    if let Some(adjust) = number(n) {
                        let tx = -adjust / 1000.0 * self.state.size * self.state.scale;
                        self.tm = mul([1.0, 0.0, 0.0, 1.0, tx, 0.0], self.tm);
                    }
                }
            }
        }
    }

    fn show(&mut self, bytes: &[u8]) {
        let Some(index) = self.state.font else { return };
        let two_byte = self.fonts.fonts[index].two_byte;
        let codes: Vec<u32> = match two_byte {
            true => bytes.chunks_exact(2).map(|c| u32::from(c[0]) << 8 | u32::from(c[1])).collect(),
            false => bytes.iter().map(|&b| u32::from(b)).collect(),
        };
        for code in codes {
            self.glyphs += 1;
            if self.glyphs > MAX_GLYPHS {
                return;
            }
            let font = &self.fonts.fonts[index];
            let (width, text, extent) = (font.advance(code), font.text(code), (font.descent, font.ascent));
            let space = text.as_deref().map_or(!two_byte && code == 32, |t| !t.is_empty() && t.chars().all(char::is_whitespace));
            self.place(width, text, extent, space);
            let s = self.state;
            let word_space = if space && !two_byte && code == 32 { s.word_space } else { 0.0 };
            let tx = (width * s.size + s.char_space + word_space) * s.scale;
            self.tm = mul([1.0, 0.0, 0.0, 1.0, tx, 0.0], self.tm);
        }
    }

    /// Places one glyph of `width` em: a space ends the word, any other glyph joins the word
    /// being read when it follows it on its baseline, or starts a new one.
    ///
    /// Spacing between characters (`Tc`) counts as part of the glyph it follows when telling
    /// words apart, so letter-spaced text stays one word, but not in its box.
    fn place(&mut self, width: f64, text: Option<String>, (descent, ascent): (f64, f64), space: bool) {
        if space {
            self.end_word();
            return;
        }
        let s = self.state;
        let glyph = mul([s.size * s.scale, 0.0, 0.0, s.size, 0.0, s.rise], mul(self.tm, mul(s.ctm, self.view)));
        let origin = pt(glyph, 0.0, 0.0);
        let (ux, uy) = pt(glyph, 0.0, 1.0);
        let size = (ux - origin.0).hypot(uy - origin.1);
        let (dx, dy) = pt(glyph, 1.0, 0.0);
        let angle = (dy - origin.1).atan2(dx - origin.0).to_degrees();
        if !(size.is_finite() && angle.is_finite()) || size < 0.01 {
            return;
        }
        let quadrant = ((angle / 90.0).round() as i64).rem_euclid(4) as Quadrant;
        let mut bounds = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for (x, y) in [(0.0, descent), (width, descent), (0.0, ascent), (width, ascent)] {
            let (x, y) = pt(glyph, x, y);
            bounds = [bounds[0].min(x), bounds[1].min(y), bounds[2].max(x), bounds[3].max(y)];
        }
        let (start, across) = frame(quadrant, origin);
        let end = frame(quadrant, pt(glyph, width + (s.char_space / s.size).max(0.0), 0.0)).0;
        let text = text.map(clean).unwrap_or_default();
        let joins = self.current.as_ref().is_some_and(|w| {
            let gap = start - w.along.1;
            let tolerance = w.size.max(size);
            w.quadrant == quadrant && (across - w.across).abs() < 0.3 * tolerance && gap < WORD_GAP * tolerance && gap > -0.6 * tolerance
        });
        if !joins {
            self.end_word();
        }
        match &mut self.current {
            Some(w) if joins => {
                w.text.push_str(&text);
                w.bounds = [w.bounds[0].min(bounds[0]), w.bounds[1].min(bounds[1]), w.bounds[2].max(bounds[2]), w.bounds[3].max(bounds[3])];
                w.along.1 = w.along.1.max(end);
                w.size = w.size.max(size);
            }
            _ => self.current = Some(Placed { text, bounds, quadrant, size, across, along: (start, end.max(start)) }),
        }
    }

    /// Keeps the word being read, unless it has no text or repeats the word just before it
    /// where it stands (text drawn twice, a little offset, to look bold).
    fn end_word(&mut self) {
        let Some(w) = self.current.take() else { return };
        let repeated = self
            .words
            .last()
            .is_some_and(|last| last.text == w.text && (0..4).all(|i| (last.bounds[i] - w.bounds[i]).abs() < 0.2 * w.size));
        if !w.text.is_empty() && w.bounds.iter().all(|v| v.is_finite()) && !repeated {
            self.words.push(w);
        }
    }

    /// A form XObject drawn with `Do`.
    fn form(&mut self, operands: &[Object], resources: Option<&'a Dictionary>, depth: usize) {
        let doc = self.doc;
        let Some(name) = operands.first().and_then(|n| n.as_name().ok()) else { return };
        let xobjects =
            resources.and_then(|r| r.get(b"XObject").ok()).and_then(|x| doc.dereference(x).ok()).and_then(|(_, x)| x.as_dict().ok());
        if let Some(Ok(id)) = xobjects.and_then(|x| x.get(name).ok()).map(Object::as_reference) {
            self.draw_form(id, resources, depth);
        }
    }

    /// A form's content walked in its own matrix and resources (else those it is drawn with),
    /// the state given back after it; each form is decoded once for the page.
    fn draw_form(&mut self, id: ObjectId, resources: Option<&'a Dictionary>, depth: usize) {
        let doc = self.doc;
        let Some(Object::Stream(stream)) = doc.objects.get(&id) else { return };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s != b"Form") {
            return;
        }
        let operations = match self.forms.get(&id) {
            Some(ops) => Rc::clone(ops),
            None => {
                let ops = Rc::new(match stream.decompressed_content_with_limit(self.budget) {
                    Ok(data) => {
                        self.budget = self.budget.saturating_sub(data.len());
                        Content::decode(&data).map(|c| c.operations).unwrap_or_default()
                    }
                    Err(_) => Vec::new(),
                });
                self.forms.insert(id, Rc::clone(&ops));
                ops
            }
        };
        let own = stream.dict.get(b"Resources").ok().and_then(|r| doc.dereference(r).ok()).and_then(|(_, r)| r.as_dict().ok());
        let form_matrix = stream.dict.get(b"Matrix").ok().and_then(|m| m.as_array().ok()).and_then(|m| matrix(m)).unwrap_or(IDENTITY);
        let (saved, tm, tlm, saved_depth) = (self.state, self.tm, self.tlm, self.saved.len());
        self.state.ctm = mul(form_matrix, self.state.ctm);
        self.run(&operations, own.or(resources), depth + 1);
        self.saved.truncate(saved_depth);
        (self.state, self.tm, self.tlm) = (saved, tm, tlm);
    }

    /// The page's annotations that show their appearance (filled-in form fields, free text,
    /// stamps), drawn as readers draw them: the appearance's box fitted to the annotation's
    /// rectangle. Hidden ones are left out.
    fn annotations(&mut self, page: ObjectId) {
        let doc = self.doc;
        let Ok(page) = doc.get_dictionary(page) else { return };
        let Some(annots) = page.get(b"Annots").ok().and_then(|a| doc.dereference(a).ok()).and_then(|(_, a)| a.as_array().ok()) else {
            return;
        };
        for annot in annots.iter().take(10_000) {
            let Some(annot) = doc.dereference(annot).ok().and_then(|(_, a)| a.as_dict().ok()) else { continue };
            let flags = annot.get(b"F").and_then(Object::as_i64).unwrap_or(0);
            if flags & (2 | 32) != 0 {
                continue;
            }
            let Some((id, fit)) = appearance(doc, annot) else { continue };
            self.saved.clear();
            self.state = State { ctm: fit, ..State::INITIAL };
            self.draw_form(id, None, 0);
        }
    }
}

/// An annotation's normal appearance stream (the one its `/AS` state names, where it has
/// states) and the matrix that fits the appearance's box, as its `/Matrix` places it, to the
/// annotation's rectangle.
fn appearance(doc: &Document, annot: &Dictionary) -> Option<(ObjectId, Matrix)> {
    let rect = super::pdf::rect(doc, annot.get(b"Rect").ok()?)?;
    let (_, ap) = doc.dereference(annot.get(b"AP").ok()?).ok()?;
    let normal = ap.as_dict().ok()?.get(b"N").ok()?;
    let id = match normal.as_reference() {
        Ok(id) if matches!(doc.objects.get(&id), Some(Object::Stream(_))) => id,
        Ok(id) => {
            let state = annot.get(b"AS").and_then(Object::as_name).ok()?;
            doc.get_dictionary(id).ok()?.get(state).ok()?.as_reference().ok()?
        }
        Err(_) => {
            let state = annot.get(b"AS").and_then(Object::as_name).ok()?;
            normal.as_dict().ok()?.get(state).ok()?.as_reference().ok()?
        }
    };
    let Some(Object::Stream(stream)) = doc.objects.get(&id) else { return None };
    let bbox = super::pdf::rect(doc, stream.dict.get(b"BBox").ok()?)?;
    let form_matrix = stream.dict.get(b"Matrix").ok().and_then(|m| m.as_array().ok()).and_then(|m| matrix(m)).unwrap_or(IDENTITY);
    let corners = [(bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])].map(|(x, y)| pt(form_matrix, x, y));
    let (bx0, by0) = corners.iter().fold((f64::INFINITY, f64::INFINITY), |(x, y), c| (x.min(c.0), y.min(c.1)));
    let (bx1, by1) = corners.iter().fold((f64::NEG_INFINITY, f64::NEG_INFINITY), |(x, y), c| (x.max(c.0), y.max(c.1)));
    let (sx, sy) = ((rect[2] - rect[0]) / (bx1 - bx0), (rect[3] - rect[1]) / (by1 - by0));
    let fit = [sx, 0.0, 0.0, sy, rect[0] - bx0 * sx, rect[1] - by0 * sy];
    fit.iter().all(|v| v.is_finite()).then_some((id, fit))
}

/// A glyph's text as words carry it: ligatures spelt out, control and replacement characters
/// dropped.
fn clean(text: String) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FFFD}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The words on the page (their middle inside it), grouped into lines by baseline, lines in
/// reading order (for text running left to right, top to bottom) and words left to right.
fn arrange(words: Vec<Placed>, width: f64, height: f64) -> Vec<Word> {
    let mut on_page: Vec<Placed> = words
        .into_iter()
        .filter(|w| {
            let (cx, cy) = ((w.bounds[0] + w.bounds[2]) / 2.0, (w.bounds[1] + w.bounds[3]) / 2.0);
            (0.0..=width).contains(&cx) && (0.0..=height).contains(&cy)
        })
        .collect();
    on_page.sort_by(|a, b| a.quadrant.cmp(&b.quadrant).then(a.across.total_cmp(&b.across)));
    let mut lines: Vec<Vec<Placed>> = Vec::new();
    for w in on_page {
        match lines.last_mut() {
            Some(line) if line[0].quadrant == w.quadrant && w.across - line[0].across < 0.4 * line[0].size.max(w.size) => line.push(w),
            _ => lines.push(vec![w]),
        }
    }
    let mut out = Vec::new();
    for (n, mut line) in lines.into_iter().enumerate() {
        line.sort_by(|a, b| a.along.0.total_cmp(&b.along.0));
        for w in line {
            let [x0, y0, x1, y1] = [w.bounds[0].max(0.0), w.bounds[1].max(0.0), w.bounds[2].min(width), w.bounds[3].min(height)];
            let rect = Rect { x: x0 as f32, y: y0 as f32, w: (x1 - x0).max(0.0) as f32, h: (y1 - y0).max(0.0) as f32 };
            out.push(Word { text: w.text, rect, confidence: 1.0, line: n as u32 });
        }
    }
    out
}

#[cfg(test)]
mod tests;
