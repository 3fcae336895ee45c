//! Redress: turns a case folder (a health-plan denial and the evidence against it) into one
//! chronological, stamped, bookmarked PDF packet, and keeps the clock on every appeal deadline.
//!
//! ```no_run
//! let folder = redress::casefile::load(std::path::Path::new("smith-oxygen-appeal"))?;
//! // The clock and the zone come from the caller.
//! let now = chrono::Local::now();
//! let opts = redress::packet::BuildOptions::new(now.naive_local(), now.to_utc(), redress::deadline::local_tz());
//! let report = redress::packet::build(&folder, &opts)?;
//! println!("{} pages in {}", report.pages, report.output.display());
//! # Ok::<(), redress::Error>(())
//! ```

pub mod atomic;
pub mod backup;
pub mod casefile;
pub mod cases;
pub mod checklist;
pub mod claims;
pub mod cores;
pub mod crypto;
pub mod deadline;
pub mod demo;
pub mod error;
pub mod import;
pub mod limits;
mod matrix;
pub mod model;
pub mod notice;
pub mod ocr;
pub mod packet;
mod pdflex;
pub mod readings;
pub mod size;
pub mod store;
pub mod vault;
pub mod words;

pub use error::{Error, Location, Problem, Result};
