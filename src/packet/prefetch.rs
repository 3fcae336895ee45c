//! The exhibits read, hashed and opened one ahead of the merge, on a thread of their own: while
//! the merge writes one exhibit, the next is checked on the second core. They come back in the
//! plan's order, each exactly as the merge would have opened it, so the packet's bytes do not
//! change; at most two opened exhibits wait at once, so memory stays flat however large the case.

use super::merge::{open_exhibit, Opened, PhotoStep};
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
    step: Option<PhotoStep>,
    keep_bytes: bool,
    merge: impl FnOnce(&mut dyn Iterator<Item = std::io::Result<Fetched>>) -> R,
) -> R {
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::sync_channel(1);
        s.spawn(move || {
            for planned in &plan.exhibits {
                let fetched = fetch(folder, &plan.case.exhibits[planned.index], step, keep_bytes);
                // The merge stopped (an error or a cancel): nothing more is needed.
                if tx.send(fetched).is_err() {
                    return;
                }
            }
        });
        // The receiver goes when the merge returns, which ends the thread at its next exhibit.
        merge(&mut rx.into_iter())
    })
}

fn fetch(folder: &CaseFolder, ex: &crate::model::Exhibit, step: Option<PhotoStep>, keep_bytes: bool) -> std::io::Result<Fetched> {
    let bytes = std::fs::read(folder.exhibit_path(ex))?;
    let sha256 = super::hex(&Sha256::digest(&bytes));
    let mut notes = Vec::new();
    let opened = open_exhibit(ex, &bytes, step, &mut notes);
    let keep = keep_bytes && matches!(opened, Ok(Opened::Photos(..)));
    Ok(Fetched { sha256, opened, notes, bytes: if keep { bytes } else { Vec::new() } })
}
