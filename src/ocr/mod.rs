//! Reading the words of scanned pages and photos of letters with Tesseract, run as a process
//! (`tesseract.rs`): the only program the engine runs.

mod tesseract;

pub use tesseract::{parse_tsv, Tesseract};

#[cfg(test)]
mod tests;

/// Why the words of a page could not be read, in a sentence for the person holding the file.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("Reading scanned pages needs Tesseract: on Debian or Ubuntu install tesseract-ocr and tesseract-ocr-eng")]
    Missing,
    #[error("Reading scanned pages needs Tesseract's English data: on Debian or Ubuntu install tesseract-ocr-eng")]
    NoEnglish,
    #[error("Tesseract is installed but could not be started; check that it runs from a terminal (tesseract --version)")]
    CannotStart,
    #[error("Tesseract failed while reading the page ({}); try again, or rescan the page", exit(*status))]
    Failed { status: Option<i32> },
    #[error("Tesseract took longer than {seconds} seconds on one page and was stopped; rescan the page at 300 dpi or less")]
    TimedOut { seconds: u64 },
    #[error("Tesseract's output could not be read; check that the installed Tesseract is version 4 or later")]
    Unreadable,
    #[error("the page could not be handed to Tesseract: the temporary folder cannot be written")]
    Scratch,
}

fn exit(status: Option<i32>) -> String {
    match status {
        Some(code) => format!("exit status {code}"),
        None => "stopped by a signal".to_string(),
    }
}
