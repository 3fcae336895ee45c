//! Where an exhibit page's content, annotations and stamp land in the packet: the corpus test
//! reads the input and the packet with lopdf and poppler's `pdftotext -bbox` and checks that
//! each annotation sits where it sat relative to the content, that the content and its
//! visible annotations are clear of the stamp band, and that the stamp reads (at least 6 pt
//! on paper, inside the page).

use crate::util::*;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::path::Path;

/// The stamp band's height in points on a Letter or A4 page, as `packet::stamp` draws it.
pub const BAND: f64 = 30.0;
/// How far a normalised annotation corner may drift (rounding of reals in the file).
const DRIFT: f64 = 0.01;

type Matrix = [f64; 6];

/// A page as a viewer sees it: visible box (page units), rotation, unit in points.
#[derive(Debug, Clone, Copy)]
pub struct Sheet {
    pub visible: [f64; 4],
    pub rotate: i64,
    pub unit: f64,
}

impl Sheet {
    /// The upright height in page units, and the share of it the stamp band takes.
    pub fn band_share(&self) -> f64 {
        let [x0, y0, x1, y1] = self.visible;
        let upright = if self.rotate % 180 == 0 { y1 - y0 } else { x1 - x0 };
        (self.band() / self.unit / upright).min(1.0)
    }

    /// The stamp band's height in points: Letter's, times the page's shorter side over
    /// Letter's 612 points where that is larger.
    pub fn band(&self) -> f64 {
        let (w, h) = self.points();
        BAND * (w.min(h) / 612.0).max(1.0)
    }

    /// The upright size in points.
    pub fn points(&self) -> (f64, f64) {
        let [x0, y0, x1, y1] = self.visible;
        let (w, h) = ((x1 - x0) * self.unit, (y1 - y0) * self.unit);
        if self.rotate % 180 == 0 {
            (w, h)
        } else {
            (h, w)
        }
    }

    /// Where a page point is seen, in upright points from the visual bottom left.
    fn upright(&self, x: f64, y: f64) -> (f64, f64) {
        let [x0, y0, x1, y1] = self.visible;
        let u = self.unit;
        match self.rotate {
            90 => ((y - y0) * u, (x1 - x) * u),
            180 => ((x1 - x) * u, (y1 - y) * u),
            270 => ((y1 - y) * u, (x - x0) * u),
            _ => ((x - x0) * u, (y - y0) * u),
        }
    }
}

fn num(o: &Object) -> Option<f64> {
    o.as_float().ok().map(f64::from).or_else(|| o.as_i64().ok().map(|i| i as f64))
}

fn nums(doc: &Document, o: &Object) -> Option<Vec<f64>> {
    let (_, o) = doc.dereference(o).ok()?;
    o.as_array().ok()?.iter().map(|n| doc.dereference(n).ok().and_then(|(_, n)| num(n))).collect()
}

fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut d = page;
    for _ in 0..32 {
        if let Ok(v) = d.get(key) {
            return Some(v);
        }
        d = doc.get_dictionary(d.get(b"Parent").ok()?.as_reference().ok()?).ok()?;
    }
    None
}

fn sheet(doc: &Document, page: ObjectId) -> Option<Sheet> {
    let d = doc.get_dictionary(page).ok()?;
    let norm = |r: Vec<f64>| (r.len() == 4).then(|| [r[0].min(r[2]), r[1].min(r[3]), r[0].max(r[2]), r[1].max(r[3])]);
    let media = norm(nums(doc, inherited(doc, d, b"MediaBox")?)?)?;
    let visible = inherited(doc, d, b"CropBox")
        .and_then(|c| nums(doc, c))
        .and_then(norm)
        .map(|c| [c[0].max(media[0]), c[1].max(media[1]), c[2].min(media[2]), c[3].min(media[3])])
        .filter(|c| c[2] - c[0] > 1.0 && c[3] - c[1] > 1.0)
        .unwrap_or(media);
    let rotate = inherited(doc, d, b"Rotate").and_then(num).map(|r| ((r as i64 % 360 + 360) % 360) / 90 * 90).unwrap_or(0);
    let unit = d.get(b"UserUnit").ok().and_then(num).filter(|u| *u > 0.0).unwrap_or(1.0);
    Some(Sheet { visible, rotate, unit })
}

/// The packet page's geometry, read with lopdf: for the corpus test's renderings.
pub fn packet_sheet(packet: &Path, page: usize) -> Option<Sheet> {
    let doc = Document::load(packet).ok()?;
    let id = *doc.get_pages().get(&(page as u32))?;
    sheet(&doc, id)
}

/// Renders one page (1-based) at `dpi` as a viewer shows it: its CropBox, not its MediaBox
/// (pdftoppm's default), so what a file hides outside its CropBox is not compared.
pub fn render_visible(pdf: &Path, page: usize, dpi: u32) -> image::RgbImage {
    let out = pdf.with_file_name(format!("visible-{page}"));
    let (p, r) = (page.to_string(), dpi.to_string());
    let o =
        tool("pdftoppm", &["-cropbox", "-r", &r, "-f", &p, "-l", &p, "-png", "-singlefile", pdf.to_str().unwrap(), out.to_str().unwrap()]);
    assert!(o.status.success(), "pdftoppm failed: {}", stderr(&o));
    let png = out.with_extension("png");
    let img = image::open(&png).unwrap().to_rgb8();
    let _ = std::fs::remove_file(png);
    img
}

/// An annotation's rectangle, the points of its shape (quadrilaterals, ink, vertices, line),
/// and whether a reader sees it on paper; for a widget, the font size of the default
/// appearance it uses (its own `/DA`, its field's or the form's) and whether the form's field
/// tree holds it (each `/Parent` listing it in its `/Kids`, up to a field the form lists).
struct Annot {
    rect: [f64; 4],
    points: Vec<(f64, f64)>,
    shown: bool,
    font: Option<f64>,
    in_tree: bool,
}

/// The size operand of the last `Tf` in a default appearance string.
fn font_size(da: &[u8]) -> Option<f64> {
    let text = String::from_utf8_lossy(da);
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let at = tokens.iter().rposition(|t| *t == "Tf")?;
    tokens.get(at.checked_sub(1)?)?.parse().ok()
}

/// The widget's default appearance's font size, and whether the form's field tree holds it.
fn widget_facts(doc: &Document, id: Option<ObjectId>, a: &Dictionary) -> (Option<f64>, bool) {
    if a.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) != Some(b"Widget") {
        return (None, false);
    }
    let form = doc.catalog().ok().and_then(|c| doc.dereference(c.get(b"AcroForm").ok()?).ok()).and_then(|(_, f)| f.as_dict().ok());
    let da =
        |d: &Dictionary| d.get(b"DA").ok().and_then(|v| doc.dereference(v).ok()).and_then(|(_, v)| v.as_str().ok()).and_then(font_size);
    let lists = |holder: Option<&Dictionary>, key: &[u8], child: ObjectId| {
        let items = holder.and_then(|h| doc.dereference(h.get(key).ok()?).ok()).and_then(|(_, k)| k.as_array().ok());
        items.is_some_and(|items| items.iter().any(|i| i.as_reference().ok() == Some(child)))
    };
    let (mut font, mut node, mut child, mut in_tree) = (da(a), a.clone(), id, false);
    for _ in 0..32 {
        let Some(me) = child else { break };
        let Some(parent) = node.get(b"Parent").ok().and_then(|p| p.as_reference().ok()) else {
            in_tree = lists(form, b"Fields", me);
            break;
        };
        let Ok(up) = doc.get_dictionary(parent) else { break };
        if !lists(Some(up), b"Kids", me) {
            break;
        }
        font = font.or_else(|| da(up));
        (node, child) = (up.clone(), Some(parent));
    }
    (font.or_else(|| form.and_then(da)), in_tree)
}

/// The points of an annotation's shape, in page coordinates.
fn shape(doc: &Document, a: &Dictionary) -> Vec<(f64, f64)> {
    let mut flat: Vec<f64> = Vec::new();
    for key in [&b"QuadPoints"[..], b"Vertices", b"L"] {
        flat.extend(a.get(key).ok().and_then(|o| nums(doc, o)).unwrap_or_default());
    }
    if let Ok(Object::Array(paths)) = a.get(b"InkList") {
        flat.extend(paths.iter().filter_map(|p| nums(doc, p)).flatten());
    }
    flat.chunks_exact(2).map(|p| (p[0], p[1])).collect()
}

fn annotations(doc: &Document, page: ObjectId) -> Vec<Annot> {
    let Ok(d) = doc.get_dictionary(page) else { return Vec::new() };
    let Some(Ok((_, Object::Array(items)))) = d.get(b"Annots").ok().map(|a| doc.dereference(a)) else { return Vec::new() };
    items
        .iter()
        .filter_map(|o| Some((o.as_reference().ok(), doc.dereference(o).ok()?.1.as_dict().ok()?)))
        .filter_map(|(id, a)| {
            let r = nums(doc, a.get(b"Rect").ok()?)?;
            let rect = (r.len() == 4).then(|| [r[0].min(r[2]), r[1].min(r[3]), r[0].max(r[2]), r[1].max(r[3])])?;
            let flags = a.get(b"F").ok().and_then(num).unwrap_or(0.0) as i64;
            let popup = a.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Popup");
            let (font, in_tree) = widget_facts(doc, id, a);
            Some(Annot { rect, points: shape(doc, a), shown: flags & 2 == 0 && !popup, font, in_tree })
        })
        .collect()
}

/// The matrix and clip the packet draws the page's own content with: the first stream's
/// `cm` and `re W n`, as `packet::merge` writes them.
fn placement(doc: &Document, page: ObjectId) -> Option<(Matrix, Option<[f64; 4]>)> {
    let d = doc.get_dictionary(page).ok()?;
    let first = match d.get(b"Contents").ok()? {
        Object::Array(a) => a.first()?.as_reference().ok()?,
        Object::Reference(r) => *r,
        _ => return None,
    };
    let stream = doc.get_object(first).ok()?.as_stream().ok()?;
    let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    let ops = lopdf::content::Content::decode(&data).ok()?.operations;
    let operands = |op: &str| ops.iter().find(|o| o.operator == op).map(|o| o.operands.iter().filter_map(num).collect::<Vec<f64>>());
    let cm = operands("cm")?;
    let m: Matrix = cm.try_into().ok()?;
    let clip = operands("re").and_then(|r| (r.len() == 4).then(|| [r[0], r[1], r[0] + r[2], r[1] + r[3]]));
    Some((m, clip))
}

fn apply(m: Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// `r` transformed by `m`, as the box around its corners.
fn transform(m: Matrix, r: [f64; 4]) -> [f64; 4] {
    let c = [(r[0], r[1]), (r[2], r[1]), (r[0], r[3]), (r[2], r[3])].map(|(x, y)| apply(m, x, y));
    let (xs, ys) = (c.map(|p| p.0), c.map(|p| p.1));
    let lo = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
    let hi = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
    [lo(xs), lo(ys), hi(xs), hi(ys)]
}

/// `r` as shares of `area`.
fn normalised(r: [f64; 4], area: [f64; 4]) -> [f64; 4] {
    let (w, h) = (area[2] - area[0], area[3] - area[1]);
    [(r[0] - area[0]) / w, (r[1] - area[1]) / h, (r[2] - area[0]) / w, (r[3] - area[1]) / h]
}

fn inside(r: [f64; 4], area: [f64; 4]) -> bool {
    r[0] >= area[0] && r[1] >= area[1] && r[2] <= area[2] && r[3] <= area[3]
}

/// Checks the `count` exhibit pages starting at packet page `first` against the input's
/// pages, and says which pages the packet left where they were (their band must already be
/// blank in the input; the caller sees that in its rendering). A damaged input is read as
/// qpdf repairs it, since lopdf would follow its broken table to the wrong objects. Inputs
/// lopdf cannot read even so, whose page tree lopdf counts otherwise, or whose pages it cannot
/// read, are left to the page-for-page comparison.
pub fn check(input: &Path, packet: &Path, first: usize, count: usize) -> Result<Vec<bool>, String> {
    let out = Document::load(packet).map_err(|e| format!("lopdf cannot read the packet: {e}"))?;
    let out_pages = out.get_pages();
    let src = Document::load(as_qpdf_reads(input)).ok();
    // A page lopdf cannot read even from qpdf's copy (a name it misparses) has no boxes here.
    let readable =
        |d: &Document, p: &std::collections::BTreeMap<u32, ObjectId>| p.len() == count && p.values().all(|id| sheet(d, *id).is_some());
    let in_pages = src.as_ref().map(|d| (d, d.get_pages())).filter(|(d, p)| readable(d, p)).map(|(_, p)| p);
    let mut kept = Vec::new();
    for k in 0..count {
        let n = first + k;
        let page = *out_pages.get(&(n as u32)).ok_or(format!("packet page {n} is missing"))?;
        let seen = sheet(&out, page).ok_or(format!("packet page {n} has no usable boxes"))?;
        stamp_reads(packet, n, &seen)?;
        let (Some(src), Some(in_pages)) = (&src, &in_pages) else {
            kept.push(false);
            continue;
        };
        let old = in_pages[&(k as u32 + 1)];
        let was = sheet(src, old).ok_or(format!("input page {} has no usable boxes", k + 1))?;
        let (m, clip) = placement(&out, page).ok_or(format!("packet page {n}: the content's placement cannot be read"))?;
        let moved = m != [1.0, 0.0, 0.0, 1.0, 0.0, 0.0] || seen.visible != was.visible;
        if moved && clip.map(|c| c.iter().zip(was.visible).any(|(a, b)| (a - b).abs() > 1e-3)).unwrap_or(true) {
            return Err(format!("packet page {n}: moved content is not clipped to the input's visible box {:?}: {clip:?}", was.visible));
        }
        let area = transform(m, was.visible);
        if moved {
            clear_of_band(&seen, area, n, "the content")?;
        }
        kept.push(!moved);
        annotations_follow(src, old, &out, page, (&was, &seen), area, n)?;
    }
    Ok(kept)
}

/// The input as qpdf and poppler read it: when qpdf finds its cross-reference table broken
/// and rebuilds it, qpdf's rewrite (whose table is whole), else the input itself.
fn as_qpdf_reads(input: &Path) -> std::path::PathBuf {
    let check = tool("qpdf", &["--check", input.to_str().unwrap()]);
    if !stderr(&check).contains("file is damaged") {
        return input.to_path_buf();
    }
    let repaired = input.with_file_name("qpdf-repaired.pdf");
    let q = tool("qpdf", &[input.to_str().unwrap(), repaired.to_str().unwrap()]);
    if matches!(q.status.code(), Some(0 | 3)) {
        repaired
    } else {
        input.to_path_buf()
    }
}

/// The area `r` (packet page units) lies above the stamp band of the packet page.
fn clear_of_band(seen: &Sheet, r: [f64; 4], n: usize, what: &str) -> Result<(), String> {
    let lowest = [(r[0], r[1]), (r[2], r[1]), (r[0], r[3]), (r[2], r[3])]
        .map(|(x, y)| seen.upright(x, y).1)
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    if lowest < seen.band() - 0.5 {
        return Err(format!("packet page {n}: {what} reaches {lowest:.1} pt from the bottom, into the stamp band"));
    }
    Ok(())
}

/// Each annotation of input page `old`, as a share of the input's visible box, is where its
/// copy on packet page `page` is as a share of the placed content `area`.
fn annotations_follow(
    src: &Document,
    old: ObjectId,
    out: &Document,
    page: ObjectId,
    (was, seen): (&Sheet, &Sheet),
    area: [f64; 4],
    n: usize,
) -> Result<(), String> {
    let (before, after) = (annotations(src, old), annotations(out, page));
    if before.len() != after.len() {
        return Err(format!("packet page {n}: {} annotations, the input's page has {}", after.len(), before.len()));
    }
    for (i, (a, b)) in before.iter().zip(&after).enumerate() {
        let (want, got) = (normalised(a.rect, was.visible), normalised(b.rect, area));
        if want.iter().zip(got).any(|(x, y)| (x - y).abs() > DRIFT) {
            return Err(format!("packet page {n}: annotation {} moved against the content: {want:?} became {got:?}", i + 1));
        }
        if a.points.len() != b.points.len() {
            return Err(format!("packet page {n}: annotation {} has {} points, it had {}", i + 1, b.points.len(), a.points.len()));
        }
        for (p, q) in a.points.iter().zip(&b.points) {
            let (want, got) = (normalised([p.0, p.1, p.0, p.1], was.visible), normalised([q.0, q.1, q.0, q.1], area));
            if (want[0] - got[0]).abs() > DRIFT || (want[1] - got[1]).abs() > DRIFT {
                return Err(format!(
                    "packet page {n}: a point of annotation {}'s shape moved against the content: {p:?} became {q:?}",
                    i + 1
                ));
            }
        }
        if a.shown && inside(a.rect, was.visible) {
            clear_of_band(seen, b.rect, n, &format!("annotation {}", i + 1))?;
        }
        // A widget's text is drawn at its default appearance's size: it scales with the
        // content, so a value keeps fitting its box.
        let scale = (area[2] - area[0]) / (was.visible[2] - was.visible[0]);
        if let (Some(size), true) = (a.font, a.font.is_some_and(|s| s > 0.0)) {
            if b.font.is_none_or(|got| (got - size * scale).abs() > 0.01) {
                return Err(format!(
                    "packet page {n}: widget {} draws its text at {:?} pt, the content at {scale:.3} of {size} pt",
                    i + 1,
                    b.font
                ));
            }
        }
        if a.in_tree && !b.in_tree {
            return Err(format!("packet page {n}: widget {} is not in the packet's form field tree, as it was in the input's", i + 1));
        }
    }
    Ok(())
}

/// The stamp's Bates number on packet page `n` is set at 6 pt or more on paper, inside the
/// page. pdftotext measures in page units; `/UserUnit` makes them larger on paper.
fn stamp_reads(packet: &Path, n: usize, seen: &Sheet) -> Result<(), String> {
    let p = n.to_string();
    let o = tool("pdftotext", &["-bbox", "-f", &p, "-l", &p, packet.to_str().unwrap(), "-"]);
    let html = stdout(&o);
    let bates = format!(">SMITH-{n:06}</word>");
    let line = html.lines().find(|l| l.contains(&bates)).ok_or(format!("packet page {n}: no stamp with its Bates number"))?;
    let attr = |name: &str| -> f64 {
        let at = line.find(&format!("{name}=\"")).map(|i| i + name.len() + 2).unwrap_or(0);
        line[at..].split('"').next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
    };
    // DejaVu Sans's glyph box is about 1.16 em high; 6.6 leaves room for rounding at 6 pt.
    let height = (attr("yMax") - attr("yMin")) * seen.unit;
    if height.is_nan() || height < 6.6 {
        return Err(format!("packet page {n}: the stamp is {height:.2} pt high on paper, under the 6 pt it must keep"));
    }
    let (w, h) = seen.points();
    let (x0, x1) = (attr("xMin") * seen.unit, attr("xMax") * seen.unit);
    if x0 < 0.0 || x1 > w + 0.5 || h <= 0.0 {
        return Err(format!("packet page {n}: the stamp runs off the page ({x0:.1}..{x1:.1} of {w:.1} pt)"));
    }
    Ok(())
}

/// The height on paper of the word on packet page `n` that ends `tail` (`pdftotext -bbox`).
fn word_height(packet: &Path, n: usize, tail: &str) -> f64 {
    let p = n.to_string();
    let html = stdout(&tool("pdftotext", &["-bbox", "-f", &p, "-l", &p, packet.to_str().unwrap(), "-"]));
    let line = html.lines().find(|l| l.ends_with(&format!(">{tail}</word>"))).unwrap_or_else(|| panic!("page {n}: no {tail}"));
    let attr = |name: &str| -> f64 {
        let at = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[at..].split('"').next().unwrap().parse().unwrap()
    };
    attr("yMax") - attr("yMin")
}

/// An A0 drawing (2384 × 3370 pt) is seen and printed fit to the window or paper: its stamp
/// and band are set larger by its shorter side over Letter's, so its Bates number reads as on
/// Letter; its content is shrunk above that band.
#[test]
fn a_large_format_page_gets_a_stamp_as_large_as_letters_when_fit_to_the_page() {
    use lopdf::{dictionary, Stream};
    let (w, h) = (2384, 3370);
    let mut doc = Document::with_version("1.7");
    let ink = format!("0.5 g 0 0 {w} {h} re f");
    let content = doc.add_object(Stream::new(dictionary! {}, ink.into_bytes()));
    let page = dictionary! { "Type" => "Page", "MediaBox" => vec![0.into(), 0.into(), w.into(), h.into()], "Contents" => content };
    let t = TempDir::new("a0");
    write_case(t.path(), &case_toml(&[("a0.pdf", "progress-note", "2025-09-01", "Drawing", "")]), &[("a0.pdf", one_page_pdf(doc, page))]);
    let r = build_json(t.path());
    let packet = t.join("packet.pdf");
    qpdf_check(&packet);
    let n = r["exhibits"][0]["first_page"].as_u64().unwrap() as usize + 1;
    check(&t.join("a0.pdf"), &packet, n, 1).unwrap();
    let k = f64::from(w) / 612.0;
    let (a0, letter) = (word_height(&packet, n, &format!("SMITH-{n:06}")), word_height(&packet, 1, "SMITH-000001"));
    assert!((a0 / letter - k).abs() < 0.05 * k, "the A0 stamp is {a0:.2} pt high, Letter's {letter:.2}: not {k:.2} times");
}
