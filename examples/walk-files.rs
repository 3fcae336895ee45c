//! Writes the ten documents of the real-window walk (`e2e/tests/walk.test.mjs`) into a folder,
//! each with the modification time it would have, and `walk.json` beside them: the kind, date
//! and title a person would give each one.
//!
//! `cargo run --example walk-files -- DIR [YYYY-MM-DD]` (default: today on this machine).

use chrono::{Local, NaiveDate, TimeZone};
use redress::demo::walk::walk_files;
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: walk-files DIR [YYYY-MM-DD]")?);
    let today = match args.next() {
        Some(d) => NaiveDate::parse_from_str(&d, "%Y-%m-%d")?,
        None => Local::now().date_naive(),
    };
    std::fs::create_dir_all(&dir)?;
    let scratch = dir.join(".walk-scratch");
    let files = walk_files(&scratch, today)?;
    std::fs::remove_dir_all(&scratch)?;
    let mut truth = Vec::new();
    for f in &files {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.bytes)?;
        let when = Local.from_local_datetime(&f.modified).earliest().ok_or("a modification time in a clock change")?;
        std::fs::File::options().write(true).open(&path)?.set_modified(when.into())?;
        truth.push(serde_json::json!({ "name": f.name, "kind": f.kind.as_str(), "date": f.date.to_string(), "title": f.title }));
    }
    std::fs::write(dir.join("walk.json"), serde_json::to_string_pretty(&truth)?)?;
    Ok(())
}
