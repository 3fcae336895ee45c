//! The exhibits read, hashed and opened ahead of the merge, on threads of their own (one a core,
//! at most four): while the merge writes one exhibit, the next ones are checked on the other
//! cores. They come back in the plan's order, each exactly as the merge would have opened it, so
//! the packet's bytes do not change; at most two opened exhibits wait a thread, so memory stays
//! flat however large the case.

use super::merge::{open_exhibit, Opened};
use super::plan::Plan;
use crate::casefile::CaseFolder;
use crate::import;
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

/// Runs `merge` with the plan's exhibits fetched ahead, in order.
pub(super) fn ahead<R>(
    folder: &CaseFolder,
    plan: &Plan,
    keep_bytes: bool,
    merge: impl FnOnce(&mut dyn Iterator<Item = std::io::Result<Fetched>>) -> R,
) -> R {
    // One thread per core opens every `threads`-th exhibit, each handing them over through a
    // channel of its own that the merge reads in turn: the plan's order, and at most two
    // exhibits a thread waiting.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, MAX_THREADS);
    std::thread::scope(|s| {
        let receivers: Vec<_> = (0..threads)
            .map(|t| {
                let (tx, rx) = mpsc::sync_channel(1);
                s.spawn(move || {
                    for planned in plan.exhibits.iter().skip(t).step_by(threads) {
                        let fetched = fetch(folder, &plan.case.exhibits[planned.index], keep_bytes);
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

/// At most this many exhibits are opened at once, however many cores there are: memory stays
/// within a few exhibits.
const MAX_THREADS: usize = 4;

fn fetch(folder: &CaseFolder, ex: &crate::model::Exhibit, keep_bytes: bool) -> std::io::Result<Fetched> {
    let bytes = std::fs::read(folder.exhibit_path(ex))?;
    let sha256 = super::hex(&Sha256::digest(&bytes));
    let mut notes = Vec::new();
    let opened = open_exhibit(ex, &bytes, &mut notes);
    let keep = keep_bytes && matches!(opened, Ok(Opened::Photos(..)));
    Ok(Fetched { sha256, opened, notes, bytes: if keep { bytes } else { Vec::new() } })
}
