//! The exhibits read, hashed and opened ahead of the merge, on threads of their own (one a core,
//! at most four): while the merge writes one exhibit, the next ones are checked on the other
//! cores. They come back in the plan's order, each exactly as the merge would have opened it, so
//! the packet's bytes do not change; at most two opened exhibits wait a thread, so memory stays
//! flat however large the case. A photo whose bytes passed the picture checks before
//! (`verdicts`) is not checked again; every file is still read, and hashed unless its
//! fingerprint says an earlier build hashed it as it is (`fingerprints`). What takes long for
//! an image exhibit is done here too, several exhibits at a time: its photos made smaller under
//! a size budget, or black and white for a fax.

use super::budget::{ImageInfo, Shrink};
use super::fax::FaxImage;
use super::images::Changes;
use super::merge::{open_exhibit_checked, Opened};
use super::plan::Plan;
use super::sections::ExhibitEntry;
use super::verdicts::Verdicts;
use crate::casefile::CaseFolder;
use crate::import::{self, image::PictureCheck, Format};
use std::borrow::Cow;
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
    /// Under a size budget, an image exhibit's pictures as found, and what the step did to
    /// them (its photos are made smaller here, on the fetching thread).
    pub images: Vec<ImageInfo>,
    pub changes: Changes,
    /// In fax mode, an image exhibit's pictures made black and white at the size their pages
    /// show them, here on the fetching thread.
    pub faxed: Vec<Result<(FaxImage, bool), import::Error>>,
}

/// What the exhibits are fetched for: the case's files, the plan's order, whether a photo's
/// bytes are kept, the picture checks' verdicts known so far, and a size budget's step.
pub(super) struct Ahead<'a> {
    pub folder: &'a CaseFolder,
    pub plan: &'a Plan<'a>,
    pub keep_bytes: bool,
    pub verdicts: &'a Verdicts,
    pub shrink: Option<&'a Shrink>,
    pub fax: bool,
}

impl Ahead<'_> {
    /// Runs `merge` with the plan's exhibits fetched ahead, in order.
    pub fn run<R>(&self, merge: impl FnOnce(&mut dyn Iterator<Item = std::io::Result<Fetched>>) -> R) -> R {
        // One thread per core opens every `threads`-th exhibit, each handing them over through a
        // channel of its own that the merge reads in turn: the plan's order, and at most two
        // exhibits a thread waiting.
        let threads = crate::cores::workers();
        let plan = self.plan;
        std::thread::scope(|s| {
            let receivers: Vec<_> = (0..threads)
                .map(|t| {
                    let (tx, rx) = mpsc::sync_channel(1);
                    s.spawn(move || {
                        for planned in plan.exhibits.iter().skip(t).step_by(threads) {
                            let fetched = self.fetch(planned);
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

    /// One exhibit read, hashed, opened and cut to its part of a volume; a photo's picture
    /// checked only when no verdict on these bytes is known (a changed file has a new hash, so
    /// it is checked again), and made smaller under a size budget.
    fn fetch(&self, planned: &ExhibitEntry) -> std::io::Result<Fetched> {
        let ex = &self.plan.case.exhibits[planned.index];
        let (read, sha256) = self.verdicts.files.read_hashed(&self.folder.exhibit_path(ex))?;
        let mut notes = Vec::new();
        let check = self.verdicts.check(&sha256);
        // The bytes are given to the opening, where a photo is made in them, unless a size
        // budget or OCR reads them again.
        let mut bytes = Vec::new();
        let given = match self.keep_bytes || self.shrink.is_some() {
            true => {
                bytes = read;
                Cow::Borrowed(bytes.as_slice())
            }
            false => Cow::Owned(read),
        };
        let mut opened = open_exhibit_checked(ex, given, &mut notes, check);
        if let Ok(Opened::Pdf(src)) = &mut opened {
            super::merge::strip_embedded_photos(&mut src.doc);
        }
        if let Ok(Opened::Photos(photos, Format::Jpeg)) = &opened {
            // Found whole, or (a verdict kept without it) its scan's end found: kept for the
            // next build. `sha256` is of the very bytes the photo was opened from.
            let scan = photos.first().and_then(|p| p.scan);
            if check == PictureCheck::Full || (check == PictureCheck::KnownWhole(None) && scan.is_some()) {
                self.verdicts.passed(&sha256, scan);
            }
        }
        let mut opened = opened.map(|o| super::volumes::window(o, planned.part));
        let (mut images, mut changes) = (Vec::new(), Changes::default());
        if let (Some(s), Ok(Opened::Photos(photos, format))) = (self.shrink, &mut opened) {
            super::merge::shrink_photos(&bytes, photos, *format, s, &mut images, &mut changes);
        }
        let faxed = match &opened {
            Ok(Opened::Photos(photos, format)) if self.fax => faxed(photos, *format, planned, ex),
            _ => Vec::new(),
        };
        let keep = self.keep_bytes && matches!(opened, Ok(Opened::Photos(..)));
        Ok(Fetched { sha256, opened, notes, bytes: if keep { bytes } else { Vec::new() }, images, changes, faxed })
    }
}

/// An image exhibit's pictures as fax mode sends them, each at the size its page shows it.
fn faxed(
    photos: &[import::image::Photo],
    format: Format,
    planned: &ExhibitEntry,
    ex: &crate::model::Exhibit,
) -> Vec<Result<(FaxImage, bool), import::Error>> {
    let fonts = super::font::metrics();
    let placeholder = (0, 0);
    photos
        .iter()
        .enumerate()
        .map(|(k, photo)| {
            let caption = super::merge::photo_caption(planned, ex, (k, photos.len()));
            let (_, shown) = super::merge::photo_page(fonts, placeholder, photo, &caption);
            super::fax::photo(photo, (shown.2, shown.3), (ex.kind, format))
        })
        .collect()
}
