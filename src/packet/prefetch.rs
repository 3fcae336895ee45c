//! The exhibits read, hashed and opened ahead of the merge, on threads of their own (one a core,
//! at most four): while the merge writes one exhibit, the next ones are checked on the other
//! cores. They come back in the plan's order, each exactly as the merge would have opened it, so
//! the packet's bytes do not change; at most two opened exhibits wait a thread, so memory stays
//! flat however large the case. A photo whose bytes passed the picture checks before
//! (`verdicts`) is not checked again; every file is still read and hashed.

use super::merge::{open_exhibit_checked, Opened};
use super::plan::Plan;
use super::verdicts::Verdicts;
use crate::casefile::CaseFolder;
use crate::import::{self, image::PictureCheck, Format};
use sha2::{Digest, Sha256};
use std::sync::mpsc;

/// One exhibit as read and opened (an error when its file could not be read).
pub(super) struct Fetched {
    pub sha256: String,
    pub opened: Result<Opened, import::Error>,
    /// The opening's warnings.
    pub notes: Vec<String>,
    /// The file's bytes, kept only when asked for (OCR reads an image exhibit's pictures from
    /// the file itself).
    pub bytes: Vec<u8>,
}

/// What the exhibits are fetched for: the case's files, the plan's order, whether a photo's
/// bytes are kept, and the picture checks' verdicts known so far.
pub(super) struct Ahead<'a> {
    pub folder: &'a CaseFolder,
    pub plan: &'a Plan<'a>,
    pub keep_bytes: bool,
    pub verdicts: &'a Verdicts,
}

impl Ahead<'_> {
    /// Runs `merge` with the plan's exhibits fetched ahead, in order.
    pub fn run<R>(&self, merge: impl FnOnce(&mut dyn Iterator<Item = std::io::Result<Fetched>>) -> R) -> R {
        // One thread per core opens every `threads`-th exhibit, each handing them over through a
        // channel of its own that the merge reads in turn: the plan's order, and at most two
        // exhibits a thread waiting.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, MAX_THREADS);
        let plan = self.plan;
        std::thread::scope(|s| {
            let receivers: Vec<_> = (0..threads)
                .map(|t| {
                    let (tx, rx) = mpsc::sync_channel(1);
                    s.spawn(move || {
                        for planned in plan.exhibits.iter().skip(t).step_by(threads) {
                            let fetched = self.fetch(&plan.case.exhibits[planned.index]);
                            // The merge stopped (an error or a cancel): nothing more is needed.
                            if tx.send(fetched).is_err() {
                                return;
                            }
                        }
                    });
                    rx
                })
                .collect();
            // The receivers go when the merge returns, which ends each thread at its next exhibit.
            let mut in_order = (0..plan.exhibits.len()).map_while(|n| receivers[n % threads].recv().ok());
            merge(&mut in_order)
        })
    }

    /// One exhibit read, hashed and opened; a photo's picture checked only when no verdict on
    /// these bytes is known (the hash is always taken, so a changed file is checked again).
    fn fetch(&self, ex: &crate::model::Exhibit) -> std::io::Result<Fetched> {
        let bytes = std::fs::read(self.folder.exhibit_path(ex))?;
        let sha256 = super::hex(&Sha256::digest(&bytes));
        let mut notes = Vec::new();
        let check = self.verdicts.check(&sha256);
        let mut opened = open_exhibit_checked(ex, &bytes, &mut notes, check);
        if let Ok(Opened::Pdf(src)) = &mut opened {
            super::merge::strip_embedded_photos(&mut src.doc);
        }
        if check == PictureCheck::Full && matches!(opened, Ok(Opened::Photos(_, Format::Jpeg))) {
            self.verdicts.passed(&sha256);
        }
        let keep = self.keep_bytes && matches!(opened, Ok(Opened::Photos(..)));
        Ok(Fetched { sha256, opened, notes, bytes: if keep { bytes } else { Vec::new() } })
    }
}

/// At most this many exhibits are opened at once, however many cores there are: memory stays
/// within a few exhibits.
const MAX_THREADS: usize = 4;
