//! Test helpers: temporary case folders, the real `redress` binary, and the PDF checkers
//! (qpdf, pdftotext, pdfinfo, pdftoppm) used as independent oracles.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary folder removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!("redress-test-{tag}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the real binary with a private database and a fixed clock.
pub fn redress(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(args)
        .current_dir(dir)
        .env("REDRESS_DB", dir.join("redress-test.db"))
        .env("SOURCE_DATE_EPOCH", "1767225600") // 2026-01-01T00:00:00Z
        .env("TZ", "America/Chicago")
        .output()
        .expect("run redress")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts a command succeeded, showing its stderr if not.
pub fn ok(o: &Output) {
    assert!(o.status.success(), "exit {:?}\nstdout:\n{}\nstderr:\n{}", o.status.code(), stdout(o), stderr(o));
}

pub fn tool(name: &str, args: &[&str]) -> Output {
    Command::new(name).args(args).output().unwrap_or_else(|e| panic!("{name} is needed by the tests (make test installs it): {e}"))
}

/// `qpdf --check` passes cleanly: exit 0 (its exit 3, "warnings", fails the test too).
pub fn qpdf_check(pdf: &Path) {
    let o = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "qpdf --check failed on {}:\n{}{}", pdf.display(), stdout(&o), stderr(&o));
}

/// The text of every page, split at form feeds.
pub fn page_texts(pdf: &Path) -> Vec<String> {
    let o = tool("pdftotext", &["-layout", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(o.status.success(), "pdftotext failed: {}", stderr(&o));
    let mut pages: Vec<String> = stdout(&o).split('\u{c}').map(|s| s.to_string()).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

pub fn pdfinfo(pdf: &Path, extra: &[&str]) -> String {
    let mut args = vec![pdf.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = tool("pdfinfo", &args);
    assert!(o.status.success(), "pdfinfo failed: {}", stderr(&o));
    stdout(&o)
}

pub fn page_count(pdf: &Path) -> usize {
    pdfinfo(pdf, &[]).lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// Renders one page (1-based) to an RGB image at `dpi`.
pub fn render(pdf: &Path, page: usize, dpi: u32) -> image::RgbImage {
    let out = pdf.with_file_name(format!("render-{page}"));
    let p = page.to_string();
    let o = tool(
        "pdftoppm",
        &["-r", &dpi.to_string(), "-f", &p, "-l", &p, "-png", "-singlefile", pdf.to_str().unwrap(), out.to_str().unwrap()],
    );
    assert!(o.status.success(), "pdftoppm failed: {}", stderr(&o));
    let png = out.with_extension("png");
    let img = image::open(&png).unwrap().to_rgb8();
    let _ = std::fs::remove_file(png);
    img
}

/// A case.toml with the given exhibits (`file`, `kind`, `date`, `title`, extra lines).
pub fn case_toml(exhibits: &[(&str, &str, &str, &str, &str)]) -> String {
    let mut s = String::from(
        r#"[case]
kind = "provider-appeal"
title = "Home oxygen authorization denial"
program = "medicare-advantage"
urgency = "standard"
notice_date = "2025-09-10"
reference = "CCX-2025-0142"
denial_reason = "Not medically necessary"
requested_action = "Approve home oxygen"

[member]
name = "John Smith"
dob = "1945-01-23"
member_id = "XJH123456789"
payer = "Acme Health Plan"

[submitter]
name = "Jane Doe"
"#,
    );
    for (file, kind, date, title, extra) in exhibits {
        s.push_str(&format!("\n[[exhibit]]\nfile = \"{file}\"\nkind = \"{kind}\"\ndate = \"{date}\"\ntitle = \"{title}\"\n{extra}\n"));
    }
    s
}

/// Writes a case folder: case.toml and the given documents.
pub fn write_case(dir: &Path, toml: &str, docs: &[(&str, Vec<u8>)]) {
    std::fs::write(dir.join("case.toml"), toml).unwrap();
    for (name, bytes) in docs {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// Builds a case folder with `--json` and returns the parsed report.
pub fn build_json(dir: &Path) -> serde_json::Value {
    build_json_with(dir, &[])
}

/// [`build_json`] with more arguments after `--json`.
pub fn build_json_with(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["build", ".", "--json"];
    args.extend_from_slice(extra);
    let o = redress(dir, &args);
    ok(&o);
    serde_json::from_slice(&o.stdout).expect("build --json prints one JSON object")
}

/// Lists the file names in a folder (for "nothing half-written is left" checks).
pub fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// The bytes of `doc` with `page` (given its `/Parent` here) as its one page, under a page
/// tree and a catalog.
pub fn one_page_pdf(mut doc: lopdf::Document, mut page: lopdf::Dictionary) -> Vec<u8> {
    use lopdf::{dictionary, Object};
    let pages = doc.new_object_id();
    page.set("Parent", pages);
    let page = doc.add_object(page);
    doc.objects.insert(pages, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A deterministic generator (the mutation suite's SplitMix64), so every run kills at the same moments.
pub use redress::demo::mutate::Rng;

/// Runs the command and SIGKILLs it after `delay` unless it ended first; its stdout if it
/// ended on its own with success.
pub fn kill_after(mut c: std::process::Command, delay: std::time::Duration) -> Option<String> {
    let mut child = c.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null()).spawn().expect("spawn redress");
    std::thread::sleep(delay);
    // An error here means the process had already ended, which is one of the outcomes tested.
    let _ = child.kill();
    let out = child.wait_with_output().expect("wait for redress");
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Every file under `dir`, relative (with `/`), with its bytes, sorted; a missing folder has none.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A scanned Letter page at `dpi`: white paper with `lines` of black type from its top, and a
/// scanner's faint grain where `grain` (which Flate keeps and JPEG smooths, as in real scans).
pub fn letter_scan(lines: &[&str], dpi: f64, grain: bool) -> image::GrayImage {
    let (w, h) = ((8.5 * dpi) as u32, (11.0 * dpi) as u32);
    let noise =
        |x: u32, y: u32| if grain { ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)).wrapping_mul(2_654_435_761) >> 28) as u8 } else { 0 };
    let mut page = image::GrayImage::from_fn(w, h, |x, y| image::Luma([255 - noise(x, y)]));
    let em = (dpi / 6.0) as f32;
    for (i, line) in lines.iter().enumerate() {
        redress::demo::fixtures::draw_line(&mut page, em, em * (2.0 + 1.6 * i as f32), em, 0, line).unwrap();
    }
    page
}

/// A grey picture stored as img2pdf stores a PNG: Flate over rows each led by its PNG filter's
/// byte (2, "up": each row less the one above), read through `/DecodeParms << /Predictor 15 … >>`.
pub fn png_predictor_image(grey: &image::GrayImage) -> lopdf::Stream {
    use lopdf::dictionary;
    use std::io::Write;
    let row = grey.width() as usize;
    let mut rows = Vec::with_capacity(grey.as_raw().len() + grey.height() as usize);
    for (y, line) in grey.as_raw().chunks(row).enumerate() {
        rows.push(2);
        let above = if y == 0 { None } else { Some(&grey.as_raw()[(y - 1) * row..y * row]) };
        rows.extend(line.iter().enumerate().map(|(i, v)| v.wrapping_sub(above.map_or(0, |a| a[i]))));
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&rows).unwrap();
    let (w, h) = (i64::from(grey.width()), i64::from(grey.height()));
    lopdf::Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w, "Height" => h, "ColorSpace" => "DeviceGray",
        "BitsPerComponent" => 8, "Filter" => "FlateDecode",
        "DecodeParms" => dictionary! { "Predictor" => 15, "Colors" => 1, "BitsPerComponent" => 8, "Columns" => w } },
        z.finish().unwrap(),
    )
}

/// A one-page Letter PDF showing `image` over the whole page, as img2pdf writes a scan.
pub fn letter_page_pdf(image: lopdf::Stream) -> Vec<u8> {
    use lopdf::{dictionary, Document, Stream};
    let mut doc = Document::with_version("1.7");
    let image = doc.add_object(image);
    let content = doc.add_object(Stream::new(dictionary! {}, b"q 612 0 0 792 0 0 cm /Im0 Do Q".to_vec()));
    let page = dictionary! { "Type" => "Page", "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
    "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } }, "Contents" => content };
    one_page_pdf(doc, page)
}
