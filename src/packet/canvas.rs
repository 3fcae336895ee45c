//! Drawing generated pages: text in the embedded fonts, rules, fills, images and links,
//! collected as a display list in the page's upright coordinates. The write stage turns it
//! into a content stream.

use super::font::{Face, Metrics};
pub use crate::readings::Marker;

pub const LETTER: (f64, f64) = (612.0, 792.0);

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color(pub f64, pub f64, pub f64);

pub const BLACK: Color = Color(0.0, 0.0, 0.0);
pub const GREY: Color = Color(0.38, 0.38, 0.40);
pub const RULE: Color = Color(0.78, 0.79, 0.82);
pub const SHADE: Color = Color(0.94, 0.95, 0.97);
pub const ACCENT: Color = Color(0.05, 0.27, 0.52);
pub const ALERT: Color = Color(0.70, 0.08, 0.08);
/// The stamp's colour: a blue that no scanned or typed document uses for its own text.
pub const STAMP: Color = Color(0.0, 0.30, 0.62);

/// A link from a rectangle on this page to another page of the packet (0-based index).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub rect: [f64; 4],
    pub page: usize,
}

/// One thing drawn on a generated page, in the page's upright coordinates (points).
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text set at a baseline position; glyphs are chosen when the page is written.
    Text {
        face: Face,
        size: f64,
        x: f64,
        y: f64,
        color: Color,
        text: String,
    },
    Fill {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        color: Color,
    },
    Frame {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        width: f64,
        color: Color,
    },
    Rule {
        from: (f64, f64),
        to: (f64, f64),
        width: f64,
        color: Color,
    },
    /// A line through points (a chart's series, its qualifying line), dashed when `dash`
    /// gives the lengths of the dashes and of the gaps.
    Polyline {
        points: Vec<(f64, f64)>,
        width: f64,
        color: Color,
        dash: Option<(f64, f64)>,
    },
    /// A chart's mark of one reading, centred on `(x, y)` with radius `r`: outlined in
    /// `color`, filled with it or, when hollow, with white.
    Marker {
        shape: Marker,
        x: f64,
        y: f64,
        r: f64,
        color: Color,
        filled: bool,
    },
    /// An image XObject placed by `matrix`, under resource `name`.
    Image {
        name: String,
        id: lopdf::ObjectId,
        matrix: [f64; 6],
    },
}

/// One generated page as a display list: what is drawn and where its links go. Drawing
/// needs only the fonts' [`Metrics`]; no writer is involved until the page is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Canvas {
    pub width: f64,
    pub height: f64,
    pub items: Vec<Item>,
    pub links: Vec<Link>,
}

pub(super) fn num(x: f64) -> String {
    let r = (x * 1000.0).round() / 1000.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

impl Canvas {
    pub fn new(width: f64, height: f64) -> Canvas {
        Canvas { width, height, items: Vec::new(), links: Vec::new() }
    }

    pub fn letter() -> Canvas {
        Canvas::new(LETTER.0, LETTER.1)
    }

    /// Sets text at a baseline position.
    pub fn text(&mut self, face: Face, size: f64, x: f64, y: f64, color: Color, text: &str) {
        if text.is_empty() {
            return;
        }
        self.items.push(Item::Text { face, size, x, y, color, text: text.to_string() });
    }

    /// Sets text right-aligned so that it ends at `right`.
    #[allow(clippy::too_many_arguments)]
    pub fn text_right(&mut self, fonts: &Metrics, face: Face, size: f64, right: f64, y: f64, color: Color, text: &str) {
        let w = fonts.width(face, text, size);
        self.text(face, size, right - w, y, color, text);
    }

    /// Sets text centred on `cx`.
    #[allow(clippy::too_many_arguments)]
    pub fn text_center(&mut self, fonts: &Metrics, face: Face, size: f64, cx: f64, y: f64, color: Color, text: &str) {
        let w = fonts.width(face, text, size);
        self.text(face, size, cx - w / 2.0, y, color, text);
    }

    pub fn fill_rect(&mut self, x: f64, y: f64, w: f64, h: f64, color: Color) {
        self.items.push(Item::Fill { x, y, w, h, color });
    }

    pub fn stroke_rect(&mut self, x: f64, y: f64, w: f64, h: f64, width: f64, color: Color) {
        self.items.push(Item::Frame { x, y, w, h, width, color });
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, width: f64, color: Color) {
        self.items.push(Item::Rule { from: (x1, y1), to: (x2, y2), width, color });
    }

    /// Draws a line through `points`; fewer than two draw nothing.
    pub fn polyline(&mut self, points: Vec<(f64, f64)>, width: f64, color: Color, dash: Option<(f64, f64)>) {
        if points.len() >= 2 {
            self.items.push(Item::Polyline { points, width, color, dash });
        }
    }

    /// Marks a point with a shape, solid or hollow.
    pub fn marker(&mut self, shape: Marker, x: f64, y: f64, r: f64, color: Color, filled: bool) {
        self.items.push(Item::Marker { shape, x, y, r, color, filled });
    }

    /// Draws an image XObject with the given placement matrix.
    pub fn image(&mut self, name: &str, id: lopdf::ObjectId, m: [f64; 6]) {
        self.items.push(Item::Image { name: name.to_string(), id, matrix: m });
    }

    /// Makes a rectangle a link to a page of the packet.
    pub fn link(&mut self, x: f64, y: f64, w: f64, h: f64, page: usize) {
        self.links.push(Link { rect: [x, y, x + w, y + h], page });
    }

    /// The images drawn on the page: resource name and object.
    pub fn images(&self) -> impl Iterator<Item = (&str, lopdf::ObjectId)> {
        self.items.iter().filter_map(|i| match i {
            Item::Image { name, id, .. } => Some((name.as_str(), *id)),
            _ => None,
        })
    }

    /// Every text run on the page, in drawing order (for tests and checks).
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}

/// Breaks text into lines no wider than `width`, at spaces where possible.
pub fn wrap(fonts: &Metrics, face: Face, size: f64, width: f64, text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ') {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if fonts.width(face, &candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is broken between characters.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if fonts.width(face, &piece, size) > width && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

/// Shortens text with an ellipsis to fit `width`.
pub fn fit(fonts: &Metrics, face: Face, size: f64, width: f64, text: &str) -> String {
    if fonts.width(face, text, size) <= width {
        return text.to_string();
    }
    // Grown from the start rather than cut from the end: each measure is of a line's worth of
    // text, so a title of a million characters costs no more than a short one.
    let mut s = String::new();
    for c in text.chars() {
        s.push(c);
        if fonts.width(face, &format!("{s}…"), size) > width {
            s.pop();
            break;
        }
    }
    format!("{}…", s.trim_end())
}
