//! Writes the scanned denial notice of the real-window test (`e2e/tests/notice.test.mjs`) into a
//! folder: the Medicare Advantage notice of the reader's tests, printed and scanned at 200 dpi
//! with grain and a 2° skew (no text layer, so the app reads it by OCR), and `notice.json` beside
//! it: the file's name, the values the notice prints (case.toml key → its values) and the keys a new
//! case needs that it does not give.
//!
//! `cargo run --example notice-files -- DIR`

use redress::demo::fixtures::notices::medicare_advantage;
use redress::demo::fixtures::{notice_scan, ScanFormat};
use std::collections::BTreeMap;
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: notice-files DIR")?);
    std::fs::create_dir_all(&dir)?;
    let layout = medicare_advantage();
    let format = ScanFormat::ScannedPdf;
    std::fs::write(dir.join(format.file_name()), notice_scan(&layout.pages, format))?;
    // Each key with the values printed for it: one for most, several for a list key such as
    // `case.diagnoses`.
    let mut values: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &layout.expected {
        values.entry(e.target).or_default().push(e.value.as_str());
    }
    let truth = serde_json::json!({ "file": format.file_name(), "values": values, "lacks": layout.lacks });
    std::fs::write(dir.join("notice.json"), serde_json::to_string_pretty(&truth)?)?;
    Ok(())
}
