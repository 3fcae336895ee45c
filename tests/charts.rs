//! The clinical charts section: drawn from the readings, read back with pdftotext, rendered
//! with pdftoppm against a stored reference, and still legible in black and white.

use crate::util::*;
use redress::demo::fixtures;
use std::path::{Path, PathBuf};

/// A case with SpO2 readings that avoid the value axis's grid lines (80, 85, … 100) and the
/// 88 % line, so each mark stands clear of every line; a wound and a mobility score too.
const READINGS: &str = r#"
[[spo2]]
at = "2025-09-02T08:00"
percent = 86
activity = "rest"
oxygen_lpm = 0

[[spo2]]
at = "2025-09-02T09:00"
percent = 83
activity = "exertion"
oxygen_lpm = 0

[[spo2]]
at = "2025-09-03T08:00"
percent = 91.5
activity = "rest"
oxygen_lpm = 0

[[spo2]]
at = "2025-09-03T09:00"
percent = 86.5
activity = "exertion"
oxygen_lpm = 0

[[spo2]]
at = "2025-09-03T23:00"
percent = 87
activity = "sleep"
oxygen_lpm = 0

[[wound]]
at = "2025-09-02"
site = "left heel"
length_cm = 3.1
width_cm = 2.0
depth_cm = 0.4

[[wound]]
at = "2025-09-09"
site = "left heel"
length_cm = 2.5
width_cm = 2.0

[[mobility]]
at = "2025-09-02"
instrument = "Timed Up and Go"
value = 24
unit = "s"

[[mobility]]
at = "2025-09-09"
instrument = "Timed Up and Go"
value = 20
unit = "s"
"#;

/// Builds a one-exhibit case with `readings`, and returns the folder, the packet and the
/// build report.
fn build(t: &TempDir, readings: &str, extra: &[&str]) -> (PathBuf, serde_json::Value) {
    let dir = t.join("case");
    std::fs::create_dir_all(&dir).unwrap();
    let toml = case_toml(&[("docs/order.pdf", "physician-order", "2025-09-01", "Order", "")]) + readings;
    write_case(&dir, &toml, &[("docs/order.pdf", fixtures::text_pdf(&["Order for home oxygen"]))]);
    let mut args = vec!["build", ".", "--json"];
    args.extend_from_slice(extra);
    let o = redress(&dir, &args);
    ok(&o);
    (dir.join("packet.pdf"), serde_json::from_slice(&o.stdout).unwrap())
}

/// The charts section's first page and page count, from the build report.
fn charts_section(report: &serde_json::Value) -> Option<(usize, usize)> {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "charts")
        .map(|s| (s["first_page"].as_u64().unwrap() as usize, s["pages"].as_u64().unwrap() as usize))
}

#[test]
fn the_charts_follow_the_letter_with_their_captions_and_tables() {
    let t = TempDir::new("charts-text");
    let (pdf, report) = build(&t, READINGS, &[]);
    qpdf_check(&pdf);
    let kinds: Vec<&str> = report["sections"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(&kinds[..5], &["cover", "contents", "timeline", "letter", "charts"]);
    let (first, pages) = charts_section(&report).unwrap();
    let texts = page_texts(&pdf);
    // Words as read, so a caption wrapped onto a second line still reads as one sentence.
    let charts = texts[first - 1..first - 1 + pages].join("\n").split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "4 of 5 readings ≤ 88 %; lowest 83 % on exertion on room air, 2025-09-02",
        "88 % qualifying",
        "left heel: 6.2 cm² on 2025-09-02 to 5 cm² on 2025-09-09 (−19 % since the first)",
        "Timed Up and Go: 24 s on 2025-09-02 to 20 s on 2025-09-09 (−17 %); lower is better, so this is better",
        "2025-09-03 09:00",
        "−19 %",
    ] {
        assert!(charts.contains(want), "the charts lack `{want}`:\n{charts}");
    }
    // The contents and the bookmarks list the section at the page it starts on.
    assert!(texts[1].lines().any(|l| l.starts_with("Clinical charts") && l.trim_end().ends_with(&first.to_string())), "{}", texts[1]);
    let outline = tool("qpdf", &["--json", "--json-key=outlines", pdf.to_str().unwrap()]);
    assert!(stdout(&outline).contains("Clinical charts"));
}

#[test]
fn a_case_without_readings_has_no_charts_section() {
    let t = TempDir::new("charts-none");
    let (pdf, report) = build(&t, "", &[]);
    assert_eq!(charts_section(&report), None);
    assert!(!page_texts(&pdf).join("\n").contains("Clinical charts"));
}

/// The rendering above the footer band (which carries page numbers that change when other
/// sections do), as grey levels.
fn chart_page(pdf: &Path, page: usize, dpi: u32) -> image::GrayImage {
    let img = image::DynamicImage::ImageRgb8(render(pdf, page, dpi)).to_luma8();
    let band = (40.0 * dpi as f64 / 72.0) as u32;
    image::imageops::crop_imm(&img, 0, 0, img.width(), img.height() - band).to_image()
}

#[test]
fn the_spo2_chart_page_matches_its_reference_rendering() {
    let t = TempDir::new("charts-golden");
    let (pdf, report) = build(&t, READINGS, &[]);
    let (first, _) = charts_section(&report).unwrap();
    let have = chart_page(&pdf, first, 50);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/charts-spo2.png");
    if std::env::var_os("REDRESS_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        have.save(&path).unwrap();
    }
    let want = image::open(&path).expect("tests/golden/charts-spo2.png: run with REDRESS_BLESS=1 to make it").to_luma8();
    assert_eq!(have.dimensions(), want.dimensions());
    // Font hinting and anti-aliasing differ a little between poppler versions; a moved,
    // missing or extra mark changes far more pixels than that.
    let differing = have.pixels().zip(want.pixels()).filter(|(a, b)| a.0[0].abs_diff(b.0[0]) > 64).count();
    let share = differing as f64 / (have.width() * have.height()) as f64;
    assert!(share < 0.002, "{differing} pixels ({:.3} %) differ from the reference", share * 100.0);
}

/// How solid each dark blob in `img` is (its pixels over its bounding box), left to right,
/// for the blobs of a marker's size.
fn mark_fills(img: &image::GrayImage, size: std::ops::RangeInclusive<u32>) -> Vec<f64> {
    let (w, h) = img.dimensions();
    let dark = |x: u32, y: u32| img.get_pixel(x, y).0[0] < 128;
    let mut seen = vec![false; (w * h) as usize];
    let mut blobs = Vec::new();
    for y0 in 0..h {
        for x0 in 0..w {
            if seen[(y0 * w + x0) as usize] || !dark(x0, y0) {
                continue;
            }
            let (mut n, mut b) = (0u32, [x0, y0, x0, y0]);
            let mut stack = vec![(x0, y0)];
            seen[(y0 * w + x0) as usize] = true;
            while let Some((x, y)) = stack.pop() {
                n += 1;
                b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
                for (dx, dy) in [(-1i32, 0i32), (1, 0), (0, -1), (0, 1)] {
                    let (nx, ny) = (x as i32 + dx, y as i32 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i32 || ny >= h as i32 {
                        continue;
                    }
                    let (nx, ny) = (nx as u32, ny as u32);
                    if !seen[(ny * w + nx) as usize] && dark(nx, ny) {
                        seen[(ny * w + nx) as usize] = true;
                        stack.push((nx, ny));
                    }
                }
            }
            let (bw, bh) = (b[2] - b[0] + 1, b[3] - b[1] + 1);
            if size.contains(&bw) && size.contains(&bh) {
                blobs.push((b[0], n as f64 / (bw * bh) as f64));
            }
        }
    }
    blobs.sort_by_key(|b| b.0);
    blobs.into_iter().map(|b| b.1).collect()
}

/// The plot's inside: right of its value axis (the page's longest vertical line) and above
/// its time axis (where that line ends), without the grid and the dashed 88 % line.
fn plot_inside(img: &image::GrayImage) -> image::GrayImage {
    let (w, h) = img.dimensions();
    let dark = |x: u32, y: u32| img.get_pixel(x, y).0[0] < 128;
    // The longest run of dark pixels down column x: its length and last row.
    let column = |x: u32| {
        let (mut best, mut cur) = ((0, 0), 0);
        for y in 0..h {
            cur = if dark(x, y) { cur + 1 } else { 0 };
            if cur > best.0 {
                best = (cur, y);
            }
        }
        best
    };
    let axis_x = (0..w).max_by_key(|&x| column(x).0).unwrap();
    let (len, bottom) = column(axis_x);
    let top = bottom + 1 - len;
    let right = (axis_x..w).take_while(|&x| dark(x, bottom) || dark(x, bottom - 1)).last().unwrap();
    let mut inside = image::imageops::crop_imm(img, axis_x + 3, top, right - axis_x - 3, bottom - top - 2).to_image();
    let iw = inside.width();
    for y in 0..inside.height() {
        let count = (0..iw).filter(|&x| inside.get_pixel(x, y).0[0] < 128).count();
        if count as f64 > 0.4 * iw as f64 {
            (0..iw).for_each(|x| inside.put_pixel(x, y, image::Luma([255])));
        }
    }
    inside
}

#[test]
fn in_black_and_white_rest_and_exertion_are_still_different_shapes() {
    let t = TempDir::new("charts-fax");
    let (pdf, report) = build(&t, READINGS, &["--fax"]);
    let (first, _) = charts_section(&report).unwrap();
    // The fax cover sheet leads the file, before the numbered page 1.
    let page = chart_page(&pdf, first + 1, 144);
    let inside = plot_inside(&page);
    // At 144 dpi a mark 7.2 pt across is about 14 pixels. Its fill of its bounding box tells
    // the shape: a circle about π/4, a triangle about a half, a square all of it.
    let fills = mark_fills(&inside, 9..=22);
    let shapes: Vec<&str> = fills
        .iter()
        .map(|f| match f {
            f if *f < 0.62 => "triangle",
            f if *f < 0.9 => "circle",
            _ => "square",
        })
        .collect();
    assert_eq!(shapes, ["circle", "triangle", "circle", "triangle", "square"], "fills {fills:?}");
}
