//! The footer stamp on every page, and the geometry that keeps it upright at the page's
//! visual bottom and clear of the page's own content.

use super::canvas::{Canvas, STAMP};
use super::font::{Face, Metrics};
use crate::model::Case;

/// Height of the band at the visual bottom of each page that holds the stamp (on a page no
/// larger than Letter or A4: see [`scale`]).
pub const BAND: f64 = 30.0;
/// Letter's shorter side, in points: the stamp is sized for it.
const LETTER_SIDE: f64 = 612.0;

/// How many times larger than on Letter the stamp and its band are on a page `w` × `h` points
/// upright: its shorter side over Letter's, never under 1. A large-format page (A0, a
/// drawing) is seen fit to the window or printed fit to the paper, and its stamp then reads
/// as on Letter; on Letter, A4 and smaller pages it is 1.
pub fn scale(w: f64, h: f64) -> f64 {
    (w.min(h) / LETTER_SIDE).max(1.0)
}

/// The stamp band's height, in points, on a page `w` × `h` points upright.
pub fn band(w: f64, h: f64) -> f64 {
    BAND * scale(w, h)
}

pub use crate::matrix::{apply, invert, multiply, Matrix, IDENTITY};

/// How a page is seen: its upright size in points, and the matrix from upright ("visual")
/// points, origin at the visual bottom left, to the page's own coordinates (which count in
/// units of `/UserUnit` points).
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub width: f64,
    pub height: f64,
    pub to_page: Matrix,
}

impl View {
    /// The view of a page with visible box `b` shown with `/Rotate rotate` (clockwise).
    pub fn new(b: [f64; 4], rotate: i64) -> View {
        View::with_unit(b, rotate, 1.0)
    }

    /// As `new`, for a page whose unit is `unit` points (`/UserUnit`): the stamp is laid out
    /// in points, so it keeps its printed size on a page measured in larger units.
    pub fn with_unit(b: [f64; 4], rotate: i64, unit: f64) -> View {
        let (x0, y0, x1, y1) = (b[0], b[1], b[2], b[3]);
        let (w, h) = ((x1 - x0) * unit, (y1 - y0) * unit);
        let (width, height, rotation) = match rotate {
            90 => (h, w, [0.0, 1.0, -1.0, 0.0, x1, y0]),
            180 => (w, h, [-1.0, 0.0, 0.0, -1.0, x1, y1]),
            270 => (h, w, [0.0, -1.0, 1.0, 0.0, x0, y1]),
            _ => (w, h, [1.0, 0.0, 0.0, 1.0, x0, y0]),
        };
        let points = [1.0 / unit, 0.0, 0.0, 1.0 / unit, 0.0, 0.0];
        View { width, height, to_page: multiply(points, rotation) }
    }

    /// `visual`, a matrix between upright points of this view and of `to`, in page
    /// coordinates: from this page's coordinates to those of `to`.
    fn carry(&self, visual: Matrix, to: &View) -> Matrix {
        multiply(multiply(invert(self.to_page), visual), to.to_page)
    }
}

/// The smallest stamp text, in points, that still reads on paper.
pub const MIN_STAMP: f64 = 6.0;
/// The stamp's text size when the page is wide enough.
const STAMP_SIZE: f64 = 7.5;
/// Space kept free either side of the stamp.
const STAMP_MARGIN: f64 = 18.0;
/// A page whose longest side is shorter than this (a label, a thumbnail) has its content
/// scaled up to it, so it can be seen at all.
pub const MIN_SIDE: f64 = 72.0;
/// Below this height, shrinking the content above the band would leave too little of it:
/// such a page gets a larger page with the band added under its content instead.
pub const MIN_SHRINK_HEIGHT: f64 = 4.0 * BAND;

/// The width, in points, a page needs for the stamp to be set at `MIN_STAMP` or larger: the
/// widest line the stamp can have (six-digit page numbers, the Bates number's width).
pub fn min_width(fonts: &Metrics, lead: &str, prefix: &str) -> f64 {
    let widest = StampText { lead: lead.to_string(), prefix: prefix.to_string(), total: 999_999 }.line(999_999);
    // A lead too long even for an A4 page does not widen every page: its stamp overflows the
    // margins at the smallest size instead.
    (fonts.width(Face::Regular, &widest, MIN_STAMP) + 2.0 * STAMP_MARGIN).min(A4_WIDTH)
}

const A4_WIDTH: f64 = 595.0;

/// Where an exhibit page goes in the packet.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    /// The packet page's box, in the exhibit page's units and with its rotation, when the
    /// page had to be made larger; `None` keeps the page's own boxes.
    pub page_box: Option<[f64; 4]>,
    /// The matrix in page coordinates that the content and the annotations are drawn with.
    pub content: Matrix,
    /// The packet page as the stamp sees it.
    pub view: View,
}

impl Placement {
    /// Whether the content is drawn anywhere but where it was, so what lies outside the
    /// page's visible box must be clipped away.
    pub fn moves(&self) -> bool {
        self.page_box.is_some() || self.content != IDENTITY
    }
}

/// Places an exhibit page with visible box `visible`, `/Rotate rotate` and `/UserUnit unit`:
/// as it is when its bottom band is free, its content shrunk above the band when not, or,
/// when it is too narrow for the stamp, too low to shrink or tiny, on a larger page with the content centred above the band
/// (scaled up to `MIN_SIDE` if tiny) and the page at least `min_width` points wide.
pub fn place(visible: [f64; 4], rotate: i64, unit: f64, band_free: bool, min_width: f64) -> Placement {
    let own = View::with_unit(visible, rotate, unit);
    let (w, h) = (own.width, own.height);
    let longest = w.max(h);
    let up = if longest > 0.0 && longest < MIN_SIDE { MIN_SIDE / longest } else { 1.0 };
    if up == 1.0 && w >= min_width && (band_free || h >= MIN_SHRINK_HEIGHT) {
        let visual = if band_free { IDENTITY } else { shrink_above_band(w, h, band(w, h)) };
        return Placement { page_box: None, content: own.carry(visual, &own), view: own };
    }
    let (cw, ch) = (w * up, h * up);
    let (width, height) = (cw.max(min_width), ch + BAND);
    let (bw, bh) = match rotate {
        90 | 270 => (height / unit, width / unit),
        _ => (width / unit, height / unit),
    };
    let page_box = [0.0, 0.0, bw, bh];
    let view = View::with_unit(page_box, rotate, unit);
    let visual = [up, 0.0, 0.0, up, (width - cw) / 2.0, BAND];
    Placement { page_box: Some(page_box), content: own.carry(visual, &view), view }
}

/// The upright matrix that shrinks a `w` × `h` page's content into the area above a stamp
/// band `band` high, centred horizontally, keeping its proportions.
fn shrink_above_band(w: f64, h: f64, band: f64) -> Matrix {
    let s = (h - band) / h;
    [s, 0.0, 0.0, s, (w - s * w) / 2.0, band]
}

/// What the stamp says, apart from the page numbers.
pub struct StampText {
    pub lead: String,
    pub prefix: String,
    pub total: usize,
}

impl StampText {
    /// The member's short name, date of birth and ID, and the case's reference when it has one.
    /// A name the packet's fonts cannot print is left out rather than printed as `?`.
    pub fn lead(case: &Case) -> String {
        let mut lead = match Self::name(case) {
            Some(name) => format!("{name} · "),
            None => String::new(),
        };
        lead.push_str(&format!("DOB {} · ID {}", case.member.dob.format("%m/%d/%Y"), case.member.member_id));
        if let Some(r) = &case.info.reference {
            lead.push_str(&format!(" · Ref {r}"));
        }
        lead
    }

    /// The member's short name (`Smith, J`) when the packet's fonts have all its characters.
    pub fn name(case: &Case) -> Option<String> {
        let name = case.member.short_name();
        (!name.is_empty() && name.chars().all(|c| super::font::metrics().covers(c))).then_some(name)
    }

    /// Why the stamp leaves the member's name out, when it does.
    pub fn name_warning(case: &Case) -> Option<String> {
        Self::name(case).is_none().then(|| {
            "member.name: the footer stamp leaves the name out, as the packet's fonts cannot print it (the member's date of birth and ID identify each page)".to_string()
        })
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
/// writer places it on the page with `view.to_page`. Every length is Letter's times the
/// page's [`scale`].
pub fn stamp(fonts: &Metrics, view: &View, text: &str) -> Canvas {
    let mut c = Canvas::new(view.width, view.height);
    let k = scale(view.width, view.height);
    let margin = STAMP_MARGIN * k;
    let avail = (view.width - 2.0 * margin).max(50.0 * k);
    let mut size = STAMP_SIZE * k;
    let w = fonts.width(Face::Regular, text, size);
    if w > avail {
        size = (size * avail / w).max(MIN_STAMP * k);
    }
    let rule = (BAND - 8.0) * k;
    c.line(margin, rule, view.width - margin, rule, 0.4 * k, STAMP);
    c.text_center(fonts, Face::Regular, size, view.width / 2.0, 10.0 * k, STAMP, text);
    c
}

/// The stamp stage: every page's stamp, in packet order, now that the page count is known;
/// the first of `views` is packet page `first` (1 for a whole packet, a volume's first page
/// for a volume).
pub fn stamps(fonts: &Metrics, views: &[View], text: &StampText, first: usize) -> Vec<Canvas> {
    views.iter().enumerate().map(|(i, v)| stamp(fonts, v, &text.line(first + i))).collect()
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

    /// Where the corners of a page's visible box land, in the packet page's upright points.
    fn placed_corners(b: [f64; 4], p: &Placement) -> Vec<(f64, f64)> {
        let back = invert(p.view.to_page);
        [(b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3])]
            .into_iter()
            .map(|(x, y)| {
                let (px, py) = apply(p.content, x, y);
                apply(back, px, py)
            })
            .collect()
    }

    #[test]
    fn shrinking_leaves_the_band_free_at_the_visual_bottom() {
        for rot in [0, 90, 180, 270] {
            let b = [0.0, 0.0, 612.0, 792.0];
            let p = place(b, rot, 1.0, false, 400.0);
            assert!(p.page_box.is_none(), "a letter page keeps its size");
            for (u, w) in placed_corners(b, &p) {
                assert!(w >= BAND - 1e-6 && w <= p.view.height + 1e-6, "rot {rot}: {u},{w}");
                assert!(u >= -1e-6 && u <= p.view.width + 1e-6, "rot {rot}: {u},{w}");
            }
        }
    }

    #[test]
    fn a_page_with_a_free_band_stays_as_it_is() {
        let p = place([0.0, 0.0, 612.0, 792.0], 0, 1.0, true, 400.0);
        assert!(!p.moves());
        // A wide banner with a free foot is left alone too; with its foot taken it grows.
        assert!(!place([0.0, 0.0, 612.0, 100.0], 0, 1.0, true, 400.0).moves());
        let taken = place([0.0, 0.0, 612.0, 100.0], 0, 1.0, false, 400.0);
        assert_eq!(taken.page_box, Some([0.0, 0.0, 612.0, 130.0]));
    }

    #[test]
    fn tiny_and_small_pages_get_a_page_wide_enough_for_a_readable_stamp() {
        // A 3.84 pt square (a real file in pdf.js's suite), a 200 x 50 pt label, a strip.
        for (b, rot) in [([0.0, 0.0, 3.84, 3.84], 0), ([0.0, 0.0, 200.0, 50.0], 90), ([10.0, 10.0, 110.0, 700.0], 180)] {
            let p = place(b, rot, 1.0, true, 380.0);
            assert!(p.page_box.is_some(), "{b:?}");
            assert!(p.view.width >= 380.0 - 1e-6, "{b:?}: {}", p.view.width);
            let corners = placed_corners(b, &p);
            let (lo_x, hi_x) = corners.iter().fold((f64::MAX, f64::MIN), |(a, z), c| (a.min(c.0), z.max(c.0)));
            let (lo_y, hi_y) = corners.iter().fold((f64::MAX, f64::MIN), |(a, z), c| (a.min(c.1), z.max(c.1)));
            assert!((lo_y - BAND).abs() < 1e-6 && (hi_y - p.view.height).abs() < 1e-6, "{b:?}: {lo_y}..{hi_y}");
            assert!((lo_x - (p.view.width - hi_x)).abs() < 1e-6, "{b:?}: centred, {lo_x}..{hi_x}");
            assert!((hi_x - lo_x).max(hi_y - lo_y) >= MIN_SIDE - 1e-6, "{b:?}: too small to see");
        }
        // The tiny square is scaled up, the label is not.
        let tiny = place([0.0, 0.0, 3.84, 3.84], 0, 1.0, true, 380.0);
        assert!((tiny.content[0] - MIN_SIDE / 3.84).abs() < 1e-9, "{:?}", tiny.content);
        let label = place([0.0, 0.0, 200.0, 50.0], 0, 1.0, true, 380.0);
        assert!((label.content[0] - 1.0).abs() < 1e-9, "{:?}", label.content);
    }

    #[test]
    fn a_page_in_large_units_is_stamped_in_points() {
        // /UserUnit 10: a 50 x 70 unit page is 500 x 700 points.
        let p = place([0.0, 0.0, 50.0, 70.0], 0, 10.0, false, 380.0);
        assert!(p.page_box.is_none());
        assert!((p.view.width - 500.0).abs() < 1e-9);
        // The band is 30 points, 3 units, high.
        let (_, y) = apply(p.content, 0.0, 0.0);
        assert!((y - 3.0).abs() < 1e-9, "{y}");
        let (_, top) = apply(p.view.to_page, 0.0, BAND);
        assert!((top - 3.0).abs() < 1e-9, "{top}");
    }

    #[test]
    fn on_a_large_page_the_band_and_the_stamp_grow_with_its_shorter_side() {
        for (w, h) in [(612.0, 792.0), (595.0, 842.0), (792.0, 612.0), (200.0, 50.0)] {
            assert_eq!(scale(w, h), 1.0, "{w} x {h}");
        }
        // A0, upright and on its side: 2384 / 612 times Letter's.
        let (a0_w, a0_h) = (2384.0, 3370.0);
        let k = a0_w / 612.0;
        for rot in [0, 90] {
            let p = place([0.0, 0.0, a0_w, a0_h], rot, 1.0, false, 380.0);
            let foot = placed_corners([0.0, 0.0, a0_w, a0_h], &p).iter().map(|c| c.1).fold(f64::MAX, f64::min);
            assert!((foot - BAND * k).abs() < 1e-6, "rot {rot}: the content stops {foot} pt from the foot");
        }
        let fonts = crate::packet::font::metrics();
        let c = stamp(fonts, &View::new([0.0, 0.0, a0_w, a0_h], 0), "Smith, J · Page 1 of 1 · SMITH-000001");
        let sizes: Vec<f64> = c
            .items
            .iter()
            .filter_map(|i| if let crate::packet::canvas::Item::Text { size, .. } = i { Some(*size) } else { None })
            .collect();
        assert!(sizes.iter().all(|s| (s - STAMP_SIZE * k).abs() < 1e-9), "{sizes:?}");
    }

    #[test]
    fn the_stamp_is_never_set_below_the_readable_size() {
        let fonts = crate::packet::font::metrics();
        let lead = "Smith, J · DOB 01/23/1945 · ID XJH123456789 · Ref CCX-2025-0142";
        let width = min_width(fonts, lead, "SMITH");
        let text = StampText { lead: lead.into(), prefix: "SMITH".into(), total: 87 };
        let p = place([0.0, 0.0, 200.0, 50.0], 0, 1.0, true, width);
        let c = stamp(fonts, &p.view, &text.line(87));
        for item in &c.items {
            if let crate::packet::canvas::Item::Text { size, x, .. } = item {
                assert!(*size >= MIN_STAMP, "{size}");
                assert!(*x >= 0.0, "{x}");
            }
        }
    }

    fn case_named(name: &str) -> Case {
        let toml = format!(
            "[case]\nkind = \"provider-appeal\"\ntitle = \"T\"\nprogram = \"medicare-advantage\"\nnotice_date = \"2026-03-06\"\n\
             reference = \"R-1\"\n\n[member]\nname = \"{name}\"\ndob = \"1945-01-23\"\nmember_id = \"XJH1\"\npayer = \"Acme\"\n"
        );
        crate::casefile::parse(&toml).unwrap()
    }

    #[test]
    fn the_stamp_names_the_member_as_payers_do_and_leaves_out_a_name_it_cannot_print() {
        for (name, short) in [
            ("Walter Hayes", "Hayes, W"),
            ("Smith, John", "Smith, J"),
            ("John Smith Jr.", "Smith, J"),
            ("Dr. Ann Lee, MD", "Lee, A"),
            ("Иван Петров", "Петров, И"),
        ] {
            let case = case_named(name);
            assert_eq!(StampText::lead(&case), format!("{short} · DOB 01/23/1945 · ID XJH1 · Ref R-1"), "{name}");
            assert_eq!(StampText::name_warning(&case), None, "{name}");
        }
        let case = case_named("李小龙");
        assert_eq!(StampText::lead(&case), "DOB 01/23/1945 · ID XJH1 · Ref R-1");
        assert!(StampText::name_warning(&case).is_some_and(|w| w.starts_with("member.name: the footer stamp leaves the name out")));
    }

    #[test]
    fn bates_numbers_have_six_digits() {
        let s = StampText { lead: String::new(), prefix: "SMITH".into(), total: 87 };
        assert_eq!(s.bates(12), "SMITH-000012");
        assert!(s.line(12).ends_with("Page 12 of 87 · SMITH-000012"));
    }
}
