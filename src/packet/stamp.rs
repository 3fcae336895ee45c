//! The footer stamp on every page, and the geometry that keeps it upright at the page's
//! visual bottom and clear of the page's own content.

use super::canvas::{Canvas, STAMP};
use super::font::{Face, Metrics};
use crate::model::Case;

/// Height of the band at the visual bottom of each page that holds the stamp.
pub const BAND: f64 = 30.0;

/// An affine matrix `[a b c d e f]` in PDF's row-vector convention.
pub type Matrix = [f64; 6];

pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `first` then `second`.
pub fn multiply(first: Matrix, second: Matrix) -> Matrix {
    let [a, b, c, d, e, f] = first;
    let [a2, b2, c2, d2, e2, f2] = second;
    [a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2]
}

pub fn invert(m: Matrix) -> Matrix {
    let [a, b, c, d, e, f] = m;
    let det = a * d - b * c;
    if det.abs() < 1e-12 {
        return IDENTITY;
    }
    let (ia, ib, ic, id) = (d / det, -b / det, -c / det, a / det);
    [ia, ib, ic, id, -(e * ia + f * ic), -(e * ib + f * id)]
}

/// Where the point `(x, y)` goes under `m`.
pub fn apply(m: Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// How a page is seen: its upright size, and the matrix from upright ("visual") coordinates,
/// origin at the visual bottom left, to the page's own coordinates.
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub width: f64,
    pub height: f64,
    pub to_page: Matrix,
}

impl View {
    /// The view of a page with visible box `b` shown with `/Rotate rotate` (clockwise).
    pub fn new(b: [f64; 4], rotate: i64) -> View {
        let (x0, y0, x1, y1) = (b[0], b[1], b[2], b[3]);
        let (w, h) = (x1 - x0, y1 - y0);
        match rotate {
            90 => View { width: h, height: w, to_page: [0.0, 1.0, -1.0, 0.0, x1, y0] },
            180 => View { width: w, height: h, to_page: [-1.0, 0.0, 0.0, -1.0, x1, y1] },
            270 => View { width: h, height: w, to_page: [0.0, -1.0, 1.0, 0.0, x0, y1] },
            _ => View { width: w, height: h, to_page: [1.0, 0.0, 0.0, 1.0, x0, y0] },
        }
    }

    /// The matrix, in page coordinates, that shrinks the page's content into the area above
    /// the stamp band, centred horizontally, keeping its proportions.
    pub fn shrink_above_band(&self) -> Matrix {
        let s = ((self.height - BAND) / self.height).clamp(0.1, 1.0);
        let visual = [s, 0.0, 0.0, s, (self.width - s * self.width) / 2.0, BAND];
        multiply(multiply(invert(self.to_page), visual), self.to_page)
    }
}

/// What the stamp says, apart from the page numbers.
pub struct StampText {
    pub lead: String,
    pub prefix: String,
    pub total: usize,
}

impl StampText {
    /// The member's short name, date of birth and ID, and the case's reference when it has one.
    pub fn lead(case: &Case) -> String {
        let mut lead = format!("{} · DOB {} · ID {}", case.member.short_name(), case.member.dob.format("%m/%d/%Y"), case.member.member_id);
        if let Some(r) = &case.info.reference {
            lead.push_str(&format!(" · Ref {r}"));
        }
        lead
    }

    /// The Bates number of a page (1-based).
    pub fn bates(&self, page: usize) -> String {
        format!("{}-{:06}", self.prefix, page)
    }

    pub fn line(&self, page: usize) -> String {
        format!("{} · Page {} of {} · {}", self.lead, page, self.total, self.bates(page))
    }
}

/// The stamp of one page as a display list in the page's upright ("visual") coordinates; the
/// writer places it on the page with `view.to_page`.
pub fn stamp(fonts: &Metrics, view: &View, text: &str) -> Canvas {
    let mut c = Canvas::new(view.width, view.height);
    let margin = 18.0;
    let avail = (view.width - 2.0 * margin).max(50.0);
    let mut size: f64 = 7.5;
    let w = fonts.width(Face::Regular, text, size);
    if w > avail {
        size = (size * avail / w).max(3.0);
    }
    c.line(margin, BAND - 8.0, view.width - margin, BAND - 8.0, 0.4, STAMP);
    c.text_center(fonts, Face::Regular, size, view.width / 2.0, 10.0, STAMP, text);
    c
}

/// The stamp stage: every page's stamp, in packet order, now that the page count is known.
pub fn stamps(fonts: &Metrics, views: &[View], text: &StampText) -> Vec<Canvas> {
    views.iter().enumerate().map(|(i, v)| stamp(fonts, v, &text.line(i + 1))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    #[test]
    fn visual_bottom_left_maps_to_the_right_corner_for_each_rotation() {
        let b = [10.0, 20.0, 622.0, 812.0]; // 612 x 792, offset
                                            // Rotate 90 (clockwise): the visual bottom edge is the page's right edge.
        let v = View::new(b, 90);
        assert_eq!((v.width, v.height), (792.0, 612.0));
        assert!(close(apply(v.to_page, 0.0, 0.0), (622.0, 20.0)));
        assert!(close(apply(v.to_page, 792.0, 0.0), (622.0, 812.0)));
        // Rotate 270: the visual bottom edge is the page's left edge.
        let v = View::new(b, 270);
        assert!(close(apply(v.to_page, 0.0, 0.0), (10.0, 812.0)));
        assert!(close(apply(v.to_page, 792.0, 0.0), (10.0, 20.0)));
        let v = View::new(b, 180);
        assert!(close(apply(v.to_page, 0.0, 0.0), (622.0, 812.0)));
        let v = View::new(b, 0);
        assert!(close(apply(v.to_page, 0.0, 0.0), (10.0, 20.0)));
    }

    #[test]
    fn shrinking_leaves_the_band_free_at_the_visual_bottom() {
        for rot in [0, 90, 180, 270] {
            let v = View::new([0.0, 0.0, 612.0, 792.0], rot);
            let t = v.shrink_above_band();
            let back = invert(v.to_page);
            // Every corner of the page's content lands inside the visual area above the band.
            for (x, y) in [(0.0, 0.0), (612.0, 0.0), (0.0, 792.0), (612.0, 792.0)] {
                let (px, py) = apply(t, x, y);
                let (u, w) = apply(back, px, py);
                assert!(w >= BAND - 1e-6 && w <= v.height + 1e-6, "rot {rot}: {u},{w}");
                assert!(u >= -1e-6 && u <= v.width + 1e-6, "rot {rot}: {u},{w}");
            }
        }
    }

    #[test]
    fn bates_numbers_have_six_digits() {
        let s = StampText { lead: String::new(), prefix: "SMITH".into(), total: 87 };
        assert_eq!(s.bates(12), "SMITH-000012");
        assert!(s.line(12).ends_with("Page 12 of 87 · SMITH-000012"));
    }
}
