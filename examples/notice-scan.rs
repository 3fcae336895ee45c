//! Writes a notice as it arrives scanned, photographed or faxed, for the real-window tests: the
//! lines of a text file (pages parted by a line holding only a form feed or `---`) set in DejaVu
//! Sans on grey paper, in one of the formats OCR reads, and beside it `OUT.json` with each page's
//! size and where each line was drawn (in the units `redress::ocr::read_pages` gives boxes in).
//!
//! `cargo run --example notice-scan -- scanned-pdf|photo|fax|png|heic LINES.txt OUT`

use redress::demo::fixtures::{notice_scan_drawn, ScanFormat};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let usage = "usage: notice-scan scanned-pdf|photo|fax|png|heic LINES.txt OUT";
    let mut args = std::env::args().skip(1);
    let format = match args.next().ok_or(usage)?.as_str() {
        "scanned-pdf" => ScanFormat::ScannedPdf,
        "photo" => ScanFormat::PhotoExif6,
        "fax" => ScanFormat::FaxTiff,
        "png" => ScanFormat::Png,
        "heic" => ScanFormat::HeicPhoto,
        _ => return Err(usage.into()),
    };
    let text = std::fs::read_to_string(args.next().ok_or(usage)?)?;
    let out = std::path::PathBuf::from(args.next().ok_or(usage)?);
    let mut pages = vec![Vec::new()];
    for line in text.lines() {
        if matches!(line.trim_end(), "\u{c}" | "---") {
            pages.push(Vec::new());
        } else if let Some(page) = pages.last_mut() {
            page.push(line.to_string());
        }
    }
    let scan = notice_scan_drawn(&pages, format);
    std::fs::write(&out, &scan.bytes)?;
    let layout: Vec<_> = scan.pages.iter().map(|p| serde_json::json!({ "width": p.width, "height": p.height, "lines": p.lines })).collect();
    let mut json = out.clone().into_os_string();
    json.push(".json");
    std::fs::write(json, serde_json::to_string_pretty(&layout)?)?;
    Ok(())
}
