//! The exhibits read, hashed and opened ahead of the merge, on threads of their own (one a core,
//! at most four): while the merge writes one exhibit, the next ones are checked on the other
//! cores. They come back in the plan's order, each exactly as the merge would have opened it, so
//! the packet's bytes do not change; at most two opened exhibits wait a thread, and none is
//! taken while those waiting hold `WAITING_BYTES`, so memory stays flat however large the case
//! and its files. A photo whose bytes passed the picture checks before
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
use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, PoisonError};

/// One exhibit as read and opened (an error when its file could not be read).
pub(super) struct Fetched {
    pub sha256: String,
    /// The file's size: about what the exhibit holds in memory while it waits for the merge.
    pub size: usize,
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
        // One thread per core takes the next exhibit not yet taken, whichever thread that is
        // (a photo's walk and a scanned PDF's parse take very different times, so exhibits dealt
        // out in turn left one core waiting on the other), at most two a thread ahead of the
        // merge, which takes them in the plan's order, and no more once those waiting for it
        // hold `WAITING_BYTES`.
        let threads = crate::cores::workers();
        let queue = InOrder::new(self.plan.exhibits.len(), 2 * threads, WAITING_BYTES);
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    // A thread that panics stops the work, so the merge is not left waiting.
                    let _stop = StopOnPanic(&queue);
                    crate::cores::run_behind();
                    while let Some(n) = queue.take() {
                        let fetched = self.fetch(&self.plan.exhibits[n]);
                        let size = fetched.as_ref().map_or(0, |f| f.size);
                        queue.put(n, fetched, size);
                    }
                });
            }
            // Stops the threads at their next exhibit when the merge returns (done, an error or
            // a cancel).
            let _stop = Stop(&queue);
            merge(&mut (0..self.plan.exhibits.len()).map_while(|n| queue.next(n)))
        })
    }

    /// One exhibit read, hashed, opened and cut to its part of a volume; a photo's picture
    /// checked only when no verdict on these bytes is known (a changed file has a new hash, so
    /// it is checked again), and made smaller under a size budget.
    fn fetch(&self, planned: &ExhibitEntry) -> std::io::Result<Fetched> {
        let ex = &self.plan.case.exhibits[planned.index];
        let (read, sha256) = self.verdicts.files.read_hashed_into(&self.folder.exhibit_path(ex), SPARE.take())?;
        let size = read.len();
        let mut notes = Vec::new();
        let check = self.verdicts.check(&sha256);
        // A PDF is parsed into objects of its own: its buffer is read into again for the
        // thread's next exhibit.
        let pdf = matches!(import::detect(&ex.file, &read), Ok(Format::Pdf));
        // The bytes are given to the opening, where a photo is made in them, unless a size
        // budget or OCR reads them again.
        let mut bytes = Vec::new();
        let given = match self.keep_bytes || self.shrink.is_some() || pdf {
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
            Ok(Opened::Photos(photos, format)) if self.fax => faxed(photos, *format, planned, ex, (&sha256, self.verdicts)),
            _ => Vec::new(),
        };
        let keep = self.keep_bytes && matches!(opened, Ok(Opened::Photos(..)));
        if pdf {
            SPARE.set(std::mem::take(&mut bytes));
        }
        Ok(Fetched { sha256, size, opened, notes, bytes: if keep { bytes } else { Vec::new() }, images, changes, faxed })
    }
}

std::thread_local! {
    /// A fetching thread's buffer, read into again once a PDF read into it is parsed.
    static SPARE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// An image exhibit's pictures as fax mode sends them, each at the size its page shows it
/// (made once a build: `Verdicts::fax_pictures`, by the SHA-256 of the file).
fn faxed(
    photos: &[import::image::Photo],
    format: Format,
    planned: &ExhibitEntry,
    ex: &crate::model::Exhibit,
    (sha256, verdicts): (&str, &Verdicts),
) -> Vec<Result<(FaxImage, bool), import::Error>> {
    let fonts = super::font::metrics();
    let placeholder = (0, 0);
    // The photos are those of the exhibit's part: its first is picture `first` of the
    // exhibit's selection, each kept by its place in the file.
    let first = planned.part.map_or(0, |p| p.from);
    photos
        .iter()
        .enumerate()
        .map(|(k, photo)| {
            let caption = super::merge::photo_caption(planned, ex, (k, photos.len()));
            let (_, shown) = super::merge::photo_page(fonts, placeholder, photo, &caption);
            verdicts.fax_pictures.photo(
                photo,
                (sha256, super::merge::picture_in_file(ex, first + k)),
                (shown.2, shown.3),
                (ex.kind, format),
            )
        })
        .collect()
}

/// The bytes of fetched exhibits (by their files' sizes) that may wait for the merge before no
/// more are taken: a scanned PDF of 25 pages holds some 6 MB, a phone photo 2 to 5 MB. Memory
/// then stays flat however large the exhibits: two waiting PDFs, and those being fetched.
const WAITING_BYTES: usize = 12 << 20;

/// Work handed out in order to threads that finish it in any order, and given back in order: at
/// most `window` items taken and not yet given back, and none taken while those done and
/// waiting weigh `budget` or more (one is always taken: the one given back next).
struct InOrder<T> {
    state: Mutex<Queue<T>>,
    changed: Condvar,
    len: usize,
    window: usize,
    budget: usize,
}

struct Queue<T> {
    /// The next item to hand out.
    taken: usize,
    /// The next item to give back.
    given: usize,
    /// Items done and not yet given back, with their weights.
    done: BTreeMap<usize, (T, usize)>,
    /// What those weigh together.
    waiting: usize,
    stopped: bool,
}

impl<T> InOrder<T> {
    fn new(len: usize, window: usize, budget: usize) -> InOrder<T> {
        let state = Mutex::new(Queue { taken: 0, given: 0, done: BTreeMap::new(), waiting: 0, stopped: false });
        InOrder { state, changed: Condvar::new(), len, window: window.max(1), budget: budget.max(1) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Queue<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next item to work on, once it is within the window and what waits is under the
    /// budget; `None` when every item is taken or the work stopped. (Something waits only when
    /// the item given back next is taken, so a wait here always ends.)
    fn take(&self) -> Option<usize> {
        let mut q = self.lock();
        while !q.stopped && q.taken < self.len && (q.taken >= q.given + self.window || q.waiting >= self.budget) {
            q = self.changed.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
        if q.stopped || q.taken >= self.len {
            return None;
        }
        q.taken += 1;
        Some(q.taken - 1)
    }

    fn put(&self, n: usize, item: T, weight: usize) {
        let mut q = self.lock();
        q.done.insert(n, (item, weight));
        q.waiting += weight;
        drop(q);
        self.changed.notify_all();
    }

    /// Item `n` (the one after the last given back), once done; `None` if the work stopped.
    fn next(&self, n: usize) -> Option<T> {
        let mut q = self.lock();
        loop {
            if let Some((item, weight)) = q.done.remove(&n) {
                q.given = n + 1;
                q.waiting -= weight;
                self.changed.notify_all();
                return Some(item);
            }
            if q.stopped {
                return None;
            }
            q = self.changed.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }
}

/// Stops the work when dropped while its thread panics.
struct StopOnPanic<'a, T>(&'a InOrder<T>);

impl<T> Drop for StopOnPanic<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// Stops the work when dropped, however the merge returns.
struct Stop<'a, T>(&'a InOrder<T>);

impl<T> Drop for Stop<'_, T> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn work_finished_out_of_order_comes_back_in_order_with_no_more_than_the_window_ahead() {
        let (len, window) = (40, 4);
        let queue = InOrder::new(len, window, usize::MAX);
        let ahead = AtomicUsize::new(0);
        let got: Vec<usize> = std::thread::scope(|s| {
            for t in 0..3 {
                let (queue, ahead) = (&queue, &ahead);
                s.spawn(move || {
                    while let Some(n) = queue.take() {
                        ahead.fetch_max(n + 1 - queue.lock().given, Ordering::SeqCst);
                        // Items of uneven cost, so threads finish them out of order.
                        std::thread::sleep(std::time::Duration::from_micros(((n * 7 + t) % 5) as u64 * 300));
                        queue.put(n, n * 10, 0);
                    }
                });
            }
            let _stop = Stop(&queue);
            (0..len).map_while(|n| queue.next(n)).collect()
        });
        assert_eq!(got, (0..len).map(|n| n * 10).collect::<Vec<_>>());
        // Taken and not yet given back: never more than the window.
        assert!((2..=window).contains(&ahead.load(Ordering::SeqCst)), "{ahead:?}");
        let q = queue.lock();
        assert_eq!((q.taken, q.given), (len, len));
    }

    #[test]
    fn no_item_is_taken_while_those_waiting_weigh_the_budget() {
        let (len, threads, weight, budget) = (30, 3, 4, 10);
        let queue = InOrder::new(len, 8, budget);
        let most = AtomicUsize::new(0);
        let got: Vec<usize> = std::thread::scope(|s| {
            for _ in 0..threads {
                let (queue, most) = (&queue, &most);
                s.spawn(move || {
                    while let Some(n) = queue.take() {
                        queue.put(n, n, weight);
                        most.fetch_max(queue.lock().waiting, Ordering::SeqCst);
                    }
                });
            }
            let _stop = Stop(&queue);
            // A slow merge, so the threads run ahead as far as they may.
            (0..len).map_while(|n| (std::thread::sleep(std::time::Duration::from_millis(2)), queue.next(n)).1).collect()
        });
        assert_eq!(got, (0..len).collect::<Vec<_>>());
        // Taken only under the budget: at most the items in hand then finish on top of it.
        let most = most.load(Ordering::SeqCst);
        assert!((budget..budget + threads * weight).contains(&most), "{most}");
        assert_eq!(queue.lock().waiting, 0);
    }

    #[test]
    fn a_merge_that_stops_early_or_a_thread_that_panics_leaves_nobody_waiting() {
        let queue = InOrder::new(100, 2, usize::MAX);
        let got: Vec<usize> = std::thread::scope(|s| {
            s.spawn(|| {
                while let Some(n) = queue.take() {
                    queue.put(n, n, 0);
                }
            });
            let _stop = Stop(&queue);
            (0..100).map_while(|n| queue.next(n)).take(3).collect()
        });
        assert_eq!(got, [0, 1, 2]);
        assert!(queue.lock().taken <= 3 + 2, "the thread stopped within the window");

        let queue = InOrder::<usize>::new(5, 2, usize::MAX);
        let worker = std::thread::scope(|s| {
            let worker = s.spawn(|| {
                let _stop = StopOnPanic(&queue);
                let n = queue.take().unwrap();
                queue.put(n, n, 0);
                let _second = queue.take();
                panic!("a fetch that panics");
            });
            let got: Vec<usize> = (0..5).map_while(|n| queue.next(n)).collect();
            assert!(got.len() <= 1, "{got:?}");
            worker.join()
        });
        assert!(worker.is_err());
    }
}
