//! A content stream — an exhibit's, or a generated page's — made black and white, read with
//! the project's lexer (`crate::pdflex`): every colour operator (`g G rg RG k K sc SC scn SCN cs CS`) is taken
//! out and the colour it asked for is set again, in `DeviceGray`, just before something is
//! painted with it — black, or white where it is light. What counts as light depends on what
//! is painted: text, lines and stencil masks are white only above [`LIGHT`] (a pale tint, as
//! the generated pages always had it); filled areas already above [`AREA_LIGHT`], since a mid-grey
//! box made black would hide the black text printed on it. Shadings (`sh`) are made solid
//! (black, or left out where light), shading and tiling patterns likewise, and inline images
//! made 1-bit (or, when they cannot be read, left out and counted). Everything else — text,
//! paths, the graphics state — is copied byte for byte, so text stays text.

use crate::pdflex::{comment_end, is_regular, is_space, skip_inline_image, string_end};
use std::collections::HashMap;

/// Above this luminance text, lines and masks go white.
pub(crate) const LIGHT: f64 = 0.85;
/// Above this luminance filled areas go white.
pub(crate) const AREA_LIGHT: f64 = 0.5;
/// At or above this a colour is paper white already: nothing is lost when it goes white.
const PAPER: f64 = 0.97;

/// The luminance (0 black, 1 white) of an RGB colour, components 0–1.
pub(crate) fn luminance(r: f64, g: f64, b: f64) -> f64 {
    (0.299 * r + 0.587 * g + 0.114 * b).clamp(0.0, 1.0)
}

/// A colour space as the content names it, for reading `sc`/`scn` operands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// CIE L*a*b*: L* is the lightness.
    Lab,
    /// Separation or DeviceN: tints of ink, 1 the most.
    Tint,
    /// An indexed palette's colours as luminances.
    Indexed(Vec<f64>),
    Pattern,
    /// A space not known: read by its component count.
    Unknown,
}

impl Space {
    /// The luminance of a colour of this space.
    pub(crate) fn luminance(&self, c: &[f64]) -> Option<f64> {
        let unit = |x: f64| x.clamp(0.0, 1.0);
        Some(match (self, c) {
            (Space::Indexed(palette), [i]) => *palette.get(i.max(0.0) as usize)?,
            (Space::Lab, [l, ..]) => unit(l / 100.0),
            (Space::Tint, tints) if !tints.is_empty() => 1.0 - tints.iter().copied().map(unit).fold(0.0, f64::max),
            (Space::Gray | Space::Unknown, [g]) => unit(*g),
            (Space::Rgb | Space::Unknown, [r, g, b]) => luminance(unit(*r), unit(*g), unit(*b)),
            (Space::Cmyk | Space::Unknown, [c, m, y, k]) => {
                let ink = |x: f64| (1.0 - unit(x)) * (1.0 - unit(*k));
                luminance(ink(*c), ink(*m), ink(*y))
            }
            _ => return None,
        })
    }

    /// The colour a space starts with when set by `cs`: black, or an indexed palette's first.
    fn initial(&self) -> f64 {
        match self {
            Space::Indexed(p) => p.first().copied().unwrap_or(0.0),
            _ => 0.0,
        }
    }
}

/// What the content's resources say of the names it uses: colour spaces, and the luminance
/// of each pattern and shading as a solid colour.
#[derive(Debug, Default, Clone)]
pub(crate) struct Resolver {
    pub spaces: HashMap<Vec<u8>, Space>,
    pub patterns: HashMap<Vec<u8>, f64>,
    pub shadings: HashMap<Vec<u8>, f64>,
    /// The image XObjects fax mode makes stencil masks: their `Do` is led by white paper
    /// under them and black to paint them with ([`super::OPAQUE`]).
    pub pictures: std::collections::HashSet<Vec<u8>>,
}

impl Resolver {
    fn space(&self, name: &[u8]) -> Space {
        match name {
            b"DeviceGray" | b"CalGray" | b"G" => Space::Gray,
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Space::Rgb,
            b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
            b"Pattern" => Space::Pattern,
            _ => self.spaces.get(name).cloned().unwrap_or(Space::Unknown),
        }
    }
}

/// A content stream made black and white, and what the change lost.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rewritten {
    pub ops: Vec<u8>,
    /// Something was painted in a light colour (a highlight, a shaded box, pale text) that
    /// goes white.
    pub faded: bool,
    /// Inline images that could not be read and were left out.
    pub dropped_images: usize,
}

/// An exhibit's content stream made black and white (see the module's note), without its
/// resources: colour spaces named in them are read by their component count.
pub fn content(ops: &[u8]) -> Vec<u8> {
    rewrite(ops, &Resolver::default()).ops
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Number(f64),
    Name,
    /// A string, a boolean, `null`: an operand whose value is not read here.
    Value,
    Open,
    Close,
    Operator,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    kind: Kind,
}

/// The token that starts at or after `i`, past white space and comments.
fn next(s: &[u8], mut i: usize) -> Option<Token> {
    loop {
        while i < s.len() && is_space(s[i]) {
            i += 1;
        }
        if i < s.len() && s[i] == b'%' {
            i = comment_end(s, i + 1);
            continue;
        }
        break;
    }
    let c = *s.get(i)?;
    let run = |from: usize| (from..s.len()).find(|&k| !is_regular(s[k])).unwrap_or(s.len());
    let (end, kind) = match c {
        b'(' => (string_end(s, i + 1).0, Kind::Value),
        b'<' if s.get(i + 1) == Some(&b'<') => (i + 2, Kind::Open),
        b'>' if s.get(i + 1) == Some(&b'>') => (i + 2, Kind::Close),
        b'<' => (s[i..].iter().position(|&b| b == b'>').map_or(s.len(), |k| i + k + 1), Kind::Value),
        b'[' | b'{' => (i + 1, Kind::Open),
        b']' | b'}' => (i + 1, Kind::Close),
        b'/' => (run(i + 1), Kind::Name),
        _ if !is_regular(c) => (i + 1, Kind::Value),
        b'0'..=b'9' | b'+' | b'-' | b'.' => {
            // A number ends at its first letter that is not a digit or a point, as readers
            // lex it (`76r.1` is 76, then `r.1`).
            let end = (i + 1..run(i)).find(|&k| !matches!(s[k], b'0'..=b'9' | b'.')).unwrap_or(run(i));
            let n = std::str::from_utf8(&s[i..end]).ok().and_then(|t| t.parse::<f64>().ok()).filter(|n| n.is_finite());
            (end, n.map_or(Kind::Value, Kind::Number))
        }
        _ => {
            let end = run(i);
            (end, if matches!(&s[i..end], b"true" | b"false" | b"null") { Kind::Value } else { Kind::Operator })
        }
    };
    Some(Token { start: i, end: end.max(i + 1), kind })
}

/// The colour asked for, and whether it is set in the page as black (false) or white (true).
#[derive(Debug, Clone, Default)]
struct Paint {
    want: Option<f64>,
    sent: Option<bool>,
}

#[derive(Debug, Clone)]
struct State {
    fill: Paint,
    stroke: Paint,
    fill_space: Space,
    stroke_space: Space,
}

impl Default for State {
    fn default() -> Self {
        State { fill: Paint::default(), stroke: Paint::default(), fill_space: Space::Gray, stroke_space: Space::Gray }
    }
}

/// What a painting operator paints: areas, text (or a stencil), lines.
#[derive(Clone, Copy, PartialEq)]
enum Paints {
    Area,
    Text,
    Line,
    /// An image drawn with `Do` or inline: only a stencil mask takes the fill colour, so
    /// nothing is said to fade.
    Image,
}

struct Writer<'a> {
    out: Vec<u8>,
    /// The path being built (construction and clipping operators), held back until what
    /// paints it is read: its colour must be set before the path begins.
    path: Vec<u8>,
    state: State,
    saved: Vec<State>,
    faded: bool,
    dropped_images: usize,
    resolver: &'a Resolver,
}

impl Writer<'_> {
    /// Writes out the path held back.
    fn flush(&mut self) {
        self.out.append(&mut self.path);
    }

    fn emit(&mut self, ops: &[u8]) {
        if self.out.last().is_some_and(|c| !is_space(*c)) {
            self.out.push(b'\n');
        }
        self.out.extend_from_slice(ops);
        self.out.push(b'\n');
    }

    /// Sets the colour `what` is painted with, if it is not set so already.
    fn ready(&mut self, what: Paints, stroke: bool) {
        let above = if what == Paints::Area { AREA_LIGHT } else { LIGHT };
        let paint = if stroke { &mut self.state.stroke } else { &mut self.state.fill };
        let Some(l) = paint.want else { return };
        let white = l > above;
        if white && l < PAPER && !stroke && what != Paints::Image {
            self.faded = true;
        }
        if paint.sent == Some(white) {
            return;
        }
        paint.sent = Some(white);
        let op = format!("{} {}", u8::from(white), if stroke { "G" } else { "g" });
        self.emit(op.as_bytes());
    }

    fn set(&mut self, stroke: bool, l: f64) {
        let paint = if stroke { &mut self.state.stroke } else { &mut self.state.fill };
        paint.want = Some(l);
    }
}

/// Reads a colour operator's operands: `None` when they are not what it takes (the operator is
/// then copied as it is: a reader stops at it or ignores it as it would have).
fn colour(w: &Writer, op: &[u8], operands: &[(Token, &[u8])]) -> Option<(bool, f64)> {
    let numbers: Option<Vec<f64>> = operands
        .iter()
        .map(|(t, _)| match t.kind {
            Kind::Number(n) => Some(n),
            _ => None,
        })
        .collect();
    let stroke = op.first().is_some_and(u8::is_ascii_uppercase);
    let l = match op {
        b"g" | b"G" => Space::Gray.luminance(&numbers?)?,
        b"rg" | b"RG" => Space::Rgb.luminance(&numbers?)?,
        b"k" | b"K" => Space::Cmyk.luminance(&numbers?)?,
        _ => {
            let space = if stroke { &w.state.stroke_space } else { &w.state.fill_space };
            match operands.last() {
                // A pattern, by name (a tinted one's components before it): made solid.
                Some((t, name)) if t.kind == Kind::Name => w.resolver.patterns.get(&name[1..]).copied().unwrap_or(0.0),
                _ => space.luminance(&numbers?)?,
            }
        }
    };
    Some((stroke, l))
}

/// One operator as read: its name, the bytes from the end of the operator before it to its
/// own end (`segment`), where its operands start in them (`lead`), and its operands.
struct Op<'s, 'o> {
    name: &'s [u8],
    segment: &'s [u8],
    lead: usize,
    operands: &'o [(Token, &'s [u8])],
}

impl Op<'_, '_> {
    /// The name operand an operator such as `cs`, `sh` or `Do` takes, without its slash.
    fn name_operand(&self) -> Option<&[u8]> {
        match self.operands.last() {
            Some((t, name)) if t.kind == Kind::Name => Some(&name[1..]),
            _ => None,
        }
    }
}

/// The painting operators and what each paints, with the fill (false) or stroke (true) colour.
fn paints(op: &[u8]) -> &'static [(Paints, bool)] {
    match op {
        b"f" | b"F" | b"f*" => &[(Paints::Area, false)],
        b"B" | b"B*" | b"b" | b"b*" => &[(Paints::Area, false), (Paints::Line, true)],
        b"S" | b"s" => &[(Paints::Line, true)],
        b"Tj" | b"TJ" | b"'" | b"\"" => &[(Paints::Text, false), (Paints::Line, true)],
        b"Do" => &[(Paints::Image, false)],
        _ => &[],
    }
}

impl Writer<'_> {
    /// Writes (or takes out) one operator that is not part of a path.
    fn operator(&mut self, op: &Op) {
        match op.name {
            b"g" | b"G" | b"rg" | b"RG" | b"k" | b"K" | b"sc" | b"SC" | b"scn" | b"SCN" => match colour(self, op.name, op.operands) {
                Some((stroke, l)) => self.set(stroke, l),
                None => self.out.extend_from_slice(op.segment),
            },
            b"cs" | b"CS" => match op.name_operand() {
                Some(name) => {
                    let space = self.resolver.space(name);
                    let stroke = op.name == b"CS";
                    self.set(stroke, space.initial());
                    if stroke {
                        self.state.stroke_space = space;
                    } else {
                        self.state.fill_space = space;
                    }
                }
                None => self.out.extend_from_slice(op.segment),
            },
            b"sh" => self.shading(op),
            b"q" => {
                self.saved.push(self.state.clone());
                self.out.extend_from_slice(op.segment);
            }
            b"Q" => {
                self.state = self.saved.pop().unwrap_or_default();
                self.out.extend_from_slice(op.segment);
            }
            b"Do" if op.name_operand().is_some_and(|n| self.resolver.pictures.contains(n)) => {
                self.out.extend_from_slice(&op.segment[..op.lead]);
                self.emit(super::OPAQUE.as_bytes());
                self.state.fill.sent = Some(false);
                self.out.extend_from_slice(&op.segment[op.lead..]);
            }
            name if !paints(name).is_empty() => {
                self.out.extend_from_slice(&op.segment[..op.lead]);
                for (what, stroke) in paints(name) {
                    self.ready(*what, *stroke);
                }
                self.out.extend_from_slice(&op.segment[op.lead..]);
            }
            _ => self.out.extend_from_slice(op.segment),
        }
    }

    /// A shading made solid: black over what it would cover (the clip in force), or left out
    /// where light.
    fn shading(&mut self, op: &Op) {
        let l = op.name_operand().and_then(|n| self.resolver.shadings.get(n).copied()).unwrap_or(0.0);
        self.out.extend_from_slice(&op.segment[..op.lead]);
        if l > AREA_LIGHT {
            self.faded |= l < PAPER;
        } else {
            self.emit(b"q 0 g -16000 -16000 32000 32000 re f Q");
        }
    }

    /// A path's painting operator: its colours set, then the path held back, then it.
    fn paint_path(&mut self, op: &Op) {
        for (what, stroke) in paints(op.name) {
            self.ready(*what, *stroke);
        }
        self.flush();
        self.out.extend_from_slice(op.segment);
    }

    /// An inline image (`BI` to `EI`) as a fax picture, or counted as left out.
    fn inline_image(&mut self, bytes: &[u8]) {
        match super::exhibit::inline_image(bytes) {
            Some((bits, true)) => {
                self.emit(format!("q {}", super::OPAQUE).as_bytes());
                self.emit(&bits);
                self.emit(b"Q");
            }
            Some((bits, false)) => {
                self.ready(Paints::Image, false);
                self.emit(&bits);
            }
            None => self.dropped_images += 1,
        }
    }
}

/// A content stream made black and white with what `resolver` says of its names.
pub(crate) fn rewrite(s: &[u8], resolver: &Resolver) -> Rewritten {
    let mut w = Writer {
        out: Vec::with_capacity(s.len() + 64),
        path: Vec::new(),
        state: State::default(),
        saved: Vec::new(),
        faded: false,
        dropped_images: 0,
        resolver,
    };
    let mut operands: Vec<(Token, &[u8])> = Vec::new();
    // Nesting in arrays and dictionaries, where the operator before ends, where the lexer is,
    // and where an inline image began.
    let (mut depth, mut seg, mut at, mut image) = (0usize, 0usize, 0usize, None::<usize>);
    while let Some(t) = next(s, at) {
        at = t.end;
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            Kind::Operator if depth == 0 => {}
            _ if depth == 0 => operands.push((t, &s[t.start..t.end])),
            _ => {}
        }
        if t.kind != Kind::Operator || depth > 0 {
            continue;
        }
        let name = &s[t.start..t.end];
        let lead = operands.first().map_or(t.start, |o| o.0.start) - seg;
        let op = Op { name, segment: &s[seg..t.end], lead, operands: &operands };
        match name {
            b"m" | b"l" | b"c" | b"v" | b"y" | b"h" | b"re" | b"W" | b"W*" => w.path.extend_from_slice(op.segment),
            b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" | b"S" | b"s" | b"n" => w.paint_path(&op),
            b"BI" => {
                // The image's dictionary follows; `seg` stays before it.
                image = Some(t.start);
                operands.clear();
                continue;
            }
            b"ID" => {
                let Some(start) = image.take() else { continue };
                let end = skip_inline_image(s, t.end).unwrap_or(s.len());
                w.flush();
                w.out.extend_from_slice(&s[seg..start]);
                w.inline_image(&s[start..end]);
                (seg, at) = (end, end);
                operands.clear();
                continue;
            }
            _ => {
                w.flush();
                w.operator(&op);
            }
        }
        seg = t.end;
        operands.clear();
    }
    w.flush();
    w.out.extend_from_slice(&s[seg.min(s.len())..]);
    Rewritten { ops: w.out, faded: w.faded, dropped_images: w.dropped_images }
}
