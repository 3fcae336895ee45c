//! `build --ocr`: an invisible text layer on the scanned pages of exhibits, so the packet can
//! be searched and its text copied. Which pages are scans is decided here: every page of an
//! image exhibit (a photo shows few words Tesseract is sure of, so few or none are written),
//! and a PDF page whose content paints one image over most of the page and shows no text. The
//! words come from Tesseract (`crate::ocr`), each placed over its box in the picture through
//! the picture's placement on the page, in text render mode 3 (drawn by no one, found by
//! search), horizontally scaled so that it spans its box. Readings are cached by the exhibit's
//! SHA-256 and the page, so a rebuild reads nothing again.

use super::stamp::{apply, multiply, Matrix};
use super::{Progress, ProgressFn};
use crate::ocr::picture::Picture;
use crate::words::{PageWords, Rect};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Instant;

/// How `build --ocr` reads scanned pages.
#[derive(Debug, Clone)]
pub struct OcrOptions {
    /// The folder readings are kept in, by the exhibit's SHA-256 and the page, so a rebuild
    /// does not read a page again (`None`: nothing kept). The command line keeps them in the
    /// case folder's `.redress/ocr/`.
    pub cache: Option<PathBuf>,
    /// How Tesseract is run.
    pub tesseract: crate::ocr::Tesseract,
    /// The key the readings are kept encrypted under (a case of an encrypted store).
    pub key: Option<crate::crypto::FileKey>,
}

impl OcrOptions {
    /// Tesseract from the `PATH`, its readings kept in `cache`.
    pub fn new(cache: Option<PathBuf>) -> OcrOptions {
        OcrOptions { cache, tesseract: crate::ocr::Tesseract::default(), key: None }
    }

    /// Tesseract from the `PATH`, its readings kept beside the case they were read from: in a
    /// case folder's `.redress/ocr/`, or for a case in the database in `ocr/` beside the
    /// database (keyed like the vault's documents, by content). The words of a person's
    /// documents stay where the documents are; no other folder of the machine holds them.
    pub fn beside(folder: &crate::casefile::CaseFolder) -> OcrOptions {
        let cache = match folder.sources {
            Some(_) => folder.dir.join("ocr"),
            None => folder.dir.join(".redress").join("ocr"),
        };
        OcrOptions { key: folder.work.as_ref().map(|w| w.key().clone()), ..OcrOptions::new(Some(cache)) }
    }
}

/// What OCR did in a build (`BuildReport::ocr`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct OcrSummary {
    /// Scanned pages in the packet, and those of them given a text layer.
    pub pages: usize,
    pub with_text: usize,
    /// Pages Tesseract read in this build, and pages whose reading was kept from an earlier one.
    pub read: usize,
    pub cached: usize,
    /// The time Tesseract took, in seconds.
    pub seconds: f64,
}

/// The resource name of the invisible text's font on a page.
pub const FONT: &str = "RdOcr";

/// The advance of every character of the invisible text's font, in thousandths of its size:
/// one width for all, so a word's horizontal scaling alone fits it to its box, and each
/// character gets an equal share of it.
const ADVANCE: f64 = 500.0;

/// Words Tesseract is less sure of than this (0–1) are left out: on a photo it finds shapes
/// that look like letters, at low confidence. Except a word of letters or digits among words it
/// is sure of (at least [`SURE_LINE`] on average): Tesseract gives a member ID or claim number,
/// read right, a confidence near 0, as no dictionary has it.
pub const MIN_CONFIDENCE: f32 = 0.5;
pub const SURE_LINE: f32 = 0.8;

/// The font of the invisible text: Helvetica, one of the fonts every reader has, so nothing is
/// embedded; in WinAnsi, with one advance for every character (see [`ADVANCE`]).
pub fn font_dictionary() -> Dictionary {
    let widths: Vec<Object> = (32..=255).map(|_| Object::Integer(ADVANCE as i64)).collect();
    Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type1".to_vec())),
        ("BaseFont", Object::Name(b"Helvetica".to_vec())),
        ("Encoding", Object::Name(b"WinAnsiEncoding".to_vec())),
        ("FirstChar", Object::Integer(32)),
        ("LastChar", Object::Integer(255)),
        ("Widths", Object::Array(widths)),
    ])
}

/// The matrix that places the picture of a scanned page (its image's unit square onto the
/// page's own space), if the page is one: its content paints one image over at least half of
/// the `visible` box and shows no text; anything it draws through a form XObject (which may
/// hold text) or cannot be read makes it not a scan. Small images beside the scan (a logo) and
/// vector marks are allowed.
pub fn scanned_image(doc: &Document, content: &[u8], resources: Option<&Object>, visible: [f64; 4]) -> Option<Matrix> {
    let content = Content::decode(content).ok()?;
    let xobjects = resources
        .and_then(|r| doc.dereference(r).ok())
        .and_then(|(_, r)| r.as_dict().ok())
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|x| doc.dereference(x).ok())
        .and_then(|(_, x)| x.as_dict().ok());
    let page_area = (visible[2] - visible[0]).abs() * (visible[3] - visible[1]).abs();
    let mut ctm = super::stamp::IDENTITY;
    let mut stack = Vec::new();
    let mut found: Option<Matrix> = None;
    for op in &content.operations {
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(ctm),
            "cm" => ctm = multiply(matrix(&op.operands)?, ctm),
            "Tj" | "TJ" | "'" | "\"" => return None,
            // An inline image (lopdf reads it as `BI` with the image as its operand).
            "BI" => {}
            "Do" => {
                let name = op.operands.first()?.as_name().ok()?;
                let reference = xobjects?.get(name).ok()?;
                let stream = doc.dereference(reference).ok()?.1.as_stream().ok()?;
                if stream.dict.get(b"Subtype").ok()?.as_name().ok()? != b"Image" {
                    return None;
                }
            }
            _ => continue,
        }
        // An image: the scan when it covers half the page, and only one may.
        if matches!(op.operator.as_str(), "BI" | "Do") && (ctm[0] * ctm[3] - ctm[1] * ctm[2]).abs() >= 0.5 * page_area {
            if found.is_some() {
                return None;
            }
            found = Some(ctm);
        }
    }
    found
}

fn matrix(operands: &[Object]) -> Option<Matrix> {
    let n: Vec<f64> =
        operands.iter().map(|o| o.as_float().ok().map(f64::from).or_else(|| o.as_i64().ok().map(|i| i as f64))).collect::<Option<_>>()?;
    let m: [f64; 6] = n.try_into().ok()?;
    m.iter().all(|x| x.is_finite()).then_some(m)
}

/// The matrix from a picture's pixels (`width` × `height`, origin at its top left, y down) to
/// the page rectangle `(x, y, w, h)` (origin bottom left, y up) that it fills upright.
pub fn pixels_onto(width: f64, height: f64, (x, y, w, h): (f64, f64, f64, f64)) -> Matrix {
    [w / width, 0.0, 0.0, -h / height, x, y + h]
}

/// The invisible text of a page's words, as content-stream operators in the page's space:
/// `to_page` maps the words' boxes (the picture's pixels) onto the page. One `BT` block a line;
/// each word is set on its line's baseline, at the line's height, and scaled across its own
/// box. Words Tesseract is unsure of are left out (see [`MIN_CONFIDENCE`]); `None` when no word
/// is left.
pub fn layer(words: &PageWords, to_page: Matrix) -> Option<String> {
    let kept: Vec<_> = words.words.iter().filter(|w| sure(w, &words.words) && !encode(&w.text).is_empty()).collect();
    if kept.is_empty() {
        return None;
    }
    let mut ops = String::from("q 3 Tr\n");
    let mut start = 0;
    while start < kept.len() {
        let line = kept[start].line;
        let end = start + kept[start..].iter().take_while(|w| w.line == line).count();
        let words = &kept[start..end];
        let band = words.iter().map(|w| w.rect).reduce(Rect::union).unwrap_or_default();
        let _ = writeln!(ops, "BT /{FONT} 1 Tf");
        for w in words {
            set_word(&mut ops, &encode(&w.text), w.rect, band, to_page);
        }
        ops.push_str("ET\n");
        start = end;
    }
    ops.push_str("Q\n");
    Some(ops)
}

/// Whether a word is written: Tesseract is sure of it, or it is letters or digits on a line of
/// other words it is sure of.
fn sure(word: &crate::words::Word, all: &[crate::words::Word]) -> bool {
    if word.confidence >= MIN_CONFIDENCE {
        return true;
    }
    let others: Vec<f32> = all.iter().filter(|o| o.line == word.line && !std::ptr::eq(*o, word)).map(|o| o.confidence).collect();
    let mean = others.iter().sum::<f32>() / others.len().max(1) as f32;
    word.text.chars().any(char::is_alphanumeric) && !others.is_empty() && mean >= SURE_LINE
}

/// The share of the font size below the baseline, and the size as a share of the line's
/// height, so that the line's box holds the font's ascender and descender (Helvetica's are
/// 0.718 and 0.207 of its size).
const DESCENT: f64 = 0.207;
const SIZE_OF_LINE: f64 = 1.0 / (0.718 + 0.207);

/// One word: its text matrix from the line's baseline and height and the word's own left
/// edge, and its horizontal scaling from the width of its box.
fn set_word(ops: &mut String, text: &[u8], word: Rect, line: Rect, to_page: Matrix) {
    let bottom = f64::from(line.y + line.h);
    let (left, right) = (f64::from(word.x), f64::from(word.x + word.w));
    let origin = apply(to_page, left, bottom);
    let along = sub(apply(to_page, right, bottom), origin);
    let up = sub(apply(to_page, left, f64::from(line.y)), origin);
    let (width, height) = (len(along), len(up));
    if width < 1e-6 || height < 1e-6 {
        return;
    }
    let size = height * SIZE_OF_LINE;
    let (dx, dy) = (along.0 / width, along.1 / width);
    let (ux, uy) = (up.0 / height, up.1 / height);
    let base = (origin.0 + ux * DESCENT * size, origin.1 + uy * DESCENT * size);
    let natural = text.len() as f64 * ADVANCE / 1000.0 * size;
    let scale = 100.0 * width / natural;
    let _ =
        write!(ops, "{} {} {} {} {} {} Tm {} Tz <", n(dx * size), n(dy * size), n(ux * size), n(uy * size), n(base.0), n(base.1), n(scale));
    crate::atomic::push_upper_hex(ops, text);
    ops.push_str("> Tj\n");
}

fn sub(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    (a.0 - b.0, a.1 - b.1)
}

fn len(v: (f64, f64)) -> f64 {
    (v.0 * v.0 + v.1 * v.1).sqrt()
}

/// A number for a content stream: four decimals, no exponent.
fn n(x: f64) -> String {
    let r = (x * 10_000.0).round() / 10_000.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// A word in WinAnsi (Windows-1252), the invisible font's encoding. The ligatures Tesseract
/// sometimes reads (ﬁ, ﬂ…) are spelt out; any other character WinAnsi lacks becomes `?`, so a
/// search still finds the rest of the word; control characters are dropped.
pub fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FB00}' => out.extend_from_slice(b"ff"),
            '\u{FB01}' => out.extend_from_slice(b"fi"),
            '\u{FB02}' => out.extend_from_slice(b"fl"),
            '\u{FB03}' => out.extend_from_slice(b"ffi"),
            '\u{FB04}' => out.extend_from_slice(b"ffl"),
            c if c.is_control() => {}
            c => out.push(crate::import::text::to_cp1252(c).unwrap_or(b'?')),
        }
    }
    out
}

/// Tesseract and its English data must be there before anything is written.
pub fn check_available(opts: &OcrOptions) -> crate::error::Result<()> {
    opts.tesseract.check().map_err(|e| crate::error::Error::Other(format!("--ocr: {e}")))
}

/// The pictures of every page of an image exhibit (a TIFF has several), upright and grey, as
/// `crate::ocr` reads them; the error says why they cannot be made.
pub fn photo_pictures(bytes: &[u8], format: crate::import::Format) -> Result<Vec<Picture>, String> {
    let kind = format.image().ok_or("it is not a picture")?;
    crate::ocr::picture::image_pages(bytes, kind).map_err(|e| e.to_string())
}

/// Tesseract's words of one picture (page `page` of its file, from 1), in the units of the
/// picture's page: the upright picture's pixels for an image, points for a PDF page.
pub fn read_picture(opts: &OcrOptions, picture: &Picture, page: u32) -> Result<PageWords, String> {
    crate::ocr::read_picture(&opts.tesseract, picture, page).map_err(|e| e.to_string())
}

/// Tesseract's words of a scanned PDF page (page `number` of its file), in points from the
/// visible box's top-left as the page is seen (its `/Rotate` applied).
pub fn read_scan(opts: &OcrOptions, doc: &Document, page: ObjectId, number: u32) -> Result<PageWords, String> {
    let picture = crate::ocr::pdfpage::scanned_page(doc, page)?.ok_or("it draws no picture")?;
    read_picture(opts, &picture, number)
}

/// The matrix from a PDF page as it is seen (points from the top-left of its visible box,
/// `/Rotate` applied, y down) to the page's own space.
pub fn seen_onto(visible: [f64; 4], rotate: i64) -> Matrix {
    let view = super::stamp::View::new(visible, rotate);
    multiply(pixels_onto(view.width, view.height, (0.0, 0.0, view.width, view.height)), view.to_page)
}

/// Reads the scanned pages of one build: each page's words from this build's earlier attempts
/// (a size budget builds again), from the cache, or from Tesseract; reports each page read as
/// progress, and what it could not read as a warning.
pub(super) struct Reader<'a> {
    opts: &'a OcrOptions,
    progress: Option<&'a ProgressFn>,
    /// The build's step (the exhibit being merged) and its number of steps, for progress.
    pub step: (usize, usize),
    seen: HashMap<String, Option<PageWords>>,
    cancel: Option<Arc<AtomicBool>>,
    pub summary: OcrSummary,
    pub warnings: Vec<String>,
}

/// One scanned page to read: where it is in its file ("page 3", "image 2"), and how progress
/// and warnings name it ("Exhibit 4, page 3 of 12").
pub(super) struct Job {
    pub page: String,
    pub label: String,
}

/// Changing how pictures are read makes earlier readings stale: the version is in every key.
const CACHE_VERSION: &str = "redress-ocr-1 eng";

impl<'a> Reader<'a> {
    pub fn new(opts: &'a OcrOptions, progress: Option<&'a ProgressFn>, cancel: Option<Arc<AtomicBool>>) -> Reader<'a> {
        Reader { opts, progress, step: (0, 1), seen: HashMap::new(), cancel, summary: OcrSummary::default(), warnings: Vec::new() }
    }

    /// Starts an attempt: the counts of pages are the last attempt's.
    pub fn attempt(&mut self) {
        self.summary.pages = 0;
        self.summary.with_text = 0;
    }

    /// The words of scanned pages of one exhibit: `exhibit` is its file's SHA-256, and each
    /// job says where its page is in the file ("page 3", "image 2") and how progress and
    /// warnings name it ("Exhibit 4, page 3 of 12"). A page is taken from this build's earlier
    /// attempts, else from the cache, else `read(i, prepared)` runs Tesseract on job `i`'s
    /// picture, `prepared` being what `prepare` made, once, for the pages not found: as many at
    /// a time as the machine has cores (each Tesseract uses one), until the build is cancelled.
    /// `None` for a page whose picture could not be read (a warning says so).
    pub fn read_all<P, F>(
        &mut self,
        exhibit: &str,
        jobs: &[Job],
        prepare: impl FnOnce() -> Result<P, String>,
        read: F,
    ) -> Vec<Option<PageWords>>
    where
        P: Sync,
        F: Fn(usize, &P, &OcrOptions) -> Result<PageWords, String> + Sync,
    {
        let mut found: Vec<Option<PageWords>> = vec![None; jobs.len()];
        let mut pending: Vec<(usize, String)> = Vec::new();
        for (i, job) in jobs.iter().enumerate() {
            self.summary.pages += 1;
            let key = hex_key(exhibit, &job.page);
            if let Some(seen) = self.seen.get(&key) {
                found[i] = seen.clone();
            } else if let Some(kept) = self.opts.cache.as_ref().and_then(|c| read_entry(&entry_path(c, &key), self.opts.key.as_ref())) {
                self.summary.cached += 1;
                self.report(format!("OCR: {} (kept from an earlier build)", job.label));
                self.seen.insert(key, Some(kept.clone()));
                found[i] = Some(kept);
            } else {
                pending.push((i, key));
            }
        }
        if pending.is_empty() {
            return found;
        }
        let prepared = match prepare() {
            Ok(p) => p,
            Err(why) => {
                for (i, key) in pending {
                    self.warnings.push(format!("OCR: {} was left without searchable text: {why}", jobs[i].label));
                    self.seen.insert(key, None);
                }
                return found;
            }
        };
        let (opts, cancel, prepared) = (self.opts, self.cancel.clone(), &prepared);
        let workers = crate::cores::count().min(pending.len());
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|scope| {
            for _ in 0..workers {
                let (tx, next, pending, read, cancel) = (tx.clone(), &next, &pending, &read, &cancel);
                scope.spawn(move || loop {
                    if cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed)) {
                        break;
                    }
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some((i, _)) = pending.get(n) else { break };
                    let start = Instant::now();
                    let result = read(*i, prepared, opts);
                    if tx.send((n, result, start.elapsed().as_secs_f64())).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            for (n, result, secs) in rx {
                let (i, key) = &pending[n];
                found[*i] = self.finish(key, &jobs[*i].label, result, secs);
            }
        });
        found
    }

    /// Takes in one page Tesseract read: reported, kept for later builds, or warned about.
    fn finish(&mut self, key: &str, label: &str, result: Result<PageWords, String>, secs: f64) -> Option<PageWords> {
        self.summary.seconds += secs;
        self.summary.read += 1;
        self.report(format!("OCR: {label} ({secs:.1} s)"));
        let words = match result {
            Ok(w) => {
                if let Some(cache) = &self.opts.cache {
                    if let Err(e) = write_entry(&entry_path(cache, key), &w, self.opts.key.as_ref()) {
                        self.warnings.push(format!("OCR: the reading of {label} could not be kept for later builds: {e}"));
                    }
                }
                Some(w)
            }
            Err(why) => {
                self.warnings.push(format!("OCR: {label} was left without searchable text: {why}"));
                None
            }
        };
        self.seen.insert(key.to_string(), words.clone());
        words
    }

    /// Counts a page given a text layer.
    pub fn wrote(&mut self) {
        self.summary.with_text += 1;
    }

    fn report(&self, message: String) {
        if let Some(p) = self.progress {
            p(&Progress { done: self.step.0, total: self.step.1, message });
        }
    }
}

fn hex_key(exhibit: &str, page: &str) -> String {
    let mut h = Sha256::new();
    h.update(CACHE_VERSION.as_bytes());
    h.update(b"\n");
    h.update(exhibit.as_bytes());
    h.update(b"\n");
    h.update(page.as_bytes());
    super::hex(&h.finalize())
}

/// `<cache>/ab/abcdef….json`, as the vault spreads its files.
fn entry_path(cache: &Path, key: &str) -> PathBuf {
    cache.join(&key[..2]).join(format!("{key}.json"))
}

/// A kept reading; anything unreadable (missing, cut short, not what this version writes) is
/// no reading, and the page is read again.
fn read_entry(path: &Path, key: Option<&crate::crypto::FileKey>) -> Option<PageWords> {
    let bytes = crate::crypto::stream::read(path, key).ok()?;
    let words: PageWords = serde_json::from_slice(&bytes).ok()?;
    let sane = |r: &Rect| [r.x, r.y, r.w, r.h].iter().all(|v| v.is_finite());
    (words.width > 0.0 && words.height > 0.0 && words.words.iter().all(|w| sane(&w.rect))).then_some(words)
}

fn write_entry(path: &Path, words: &PageWords, key: Option<&crate::crypto::FileKey>) -> crate::error::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| crate::error::Error::io(dir, e))?;
    }
    let json = serde_json::to_vec(words).map_err(|e| crate::error::Error::Other(e.to_string()))?;
    crate::crypto::stream::write_atomically(path, &json, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::{Word, WordSource};

    fn word(text: &str, x: f32, y: f32, w: f32, h: f32, line: u32, confidence: f32) -> Word {
        Word { text: text.into(), rect: Rect { x, y, w, h }, confidence, line }
    }

    #[test]
    fn a_reading_kept_for_an_encrypted_store_is_encrypted_and_reads_back_only_with_its_key() {
        let dir = std::env::temp_dir().join(format!("redress-ocr-sealed-{}-{}", std::process::id(), crate::atomic::nonce()));
        let path = entry_path(&dir, "ab0123");
        let key = crate::crypto::DataKey::random().unwrap().file_key();
        let page = PageWords {
            page: 1,
            width: 100.0,
            height: 100.0,
            source: WordSource::Ocr,
            words: vec![word("Hayes", 1.0, 1.0, 9.0, 3.0, 0, 0.9)],
        };
        write_entry(&path, &page, Some(&key)).unwrap();
        assert!(crate::crypto::stream::is_encrypted(&path).unwrap());
        assert!(!std::fs::read(&path).unwrap().windows(5).any(|w| w == b"Hayes"));
        assert_eq!(read_entry(&path, Some(&key)).map(|p| p.words[0].text.clone()), Some("Hayes".into()));
        assert!(read_entry(&path, None).is_none());
        // One kept before the store was encrypted still reads.
        write_entry(&path, &page, None).unwrap();
        assert!(read_entry(&path, Some(&key)).is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn words_outside_winansi_are_spelt_or_marked() {
        assert_eq!(encode("ﬁnal"), b"final");
        assert_eq!(encode("café—“ok”"), b"caf\xe9\x97\x93ok\x94");
        assert_eq!(encode("SpO₂"), b"SpO?");
        assert_eq!(encode("a\u{7}b"), b"ab");
    }

    #[test]
    fn unsure_words_are_left_out_and_nothing_sure_writes_nothing() {
        let words = vec![
            word("Denied", 100.0, 100.0, 200.0, 40.0, 0, 0.93),
            word("~%#", 400.0, 100.0, 60.0, 40.0, 0, 0.21),
            word("Member", 100.0, 200.0, 200.0, 40.0, 1, 0.96),
            word("ID", 320.0, 200.0, 50.0, 40.0, 1, 0.9),
            word("XJH123", 400.0, 200.0, 200.0, 40.0, 1, 0.0),
        ];
        let page = PageWords { page: 1, width: 1000.0, height: 1000.0, source: WordSource::Ocr, words };
        let ops = layer(&page, pixels_onto(1000.0, 1000.0, (0.0, 0.0, 500.0, 500.0))).unwrap();
        let written: Vec<&str> = ops.lines().filter_map(|l| l.split('<').nth(1)?.split('>').next()).collect();
        let hex = |t: &str| t.bytes().map(|b| format!("{b:02X}")).collect::<String>();
        assert_eq!(written, [hex("Denied"), hex("Member"), hex("ID"), hex("XJH123")], "{ops}");
        let photo =
            PageWords { words: vec![word("F", 400.0, 100.0, 60.0, 40.0, 0, 0.26), word("~%#", 500.0, 100.0, 60.0, 40.0, 1, 0.4)], ..page };
        assert_eq!(layer(&photo, super::super::stamp::IDENTITY), None, "a photo's shapes alone on their lines");
    }

    #[test]
    fn a_word_spans_its_box_on_its_lines_baseline() {
        // A 1000-pixel-square picture shown as a 500-point square at (50, 100): a word at
        // pixels (100, 200)–(300, 240) lies at points (100, 480)–(200, 500).
        let words = vec![word("Denied", 100.0, 200.0, 200.0, 40.0, 0, 0.9)];
        let page = PageWords { page: 1, width: 1000.0, height: 1000.0, source: WordSource::Ocr, words };
        let ops = layer(&page, pixels_onto(1000.0, 1000.0, (50.0, 100.0, 500.0, 500.0))).unwrap();
        let tm: Vec<f64> = ops.lines().find(|l| l.contains("Tm")).unwrap().split(' ').take(8).filter_map(|t| t.parse().ok()).collect();
        let size = 20.0 * SIZE_OF_LINE;
        assert!((tm[0] - size).abs() < 1e-3 && (tm[3] - size).abs() < 1e-3, "{tm:?}");
        assert!((tm[4] - 100.0).abs() < 1e-3, "{tm:?}");
        assert!((tm[5] - (480.0 + DESCENT * size)).abs() < 1e-3, "{tm:?}");
        // Six characters at half the size each, scaled to 100 points.
        let tz = tm[6];
        assert!((6.0 * 0.5 * size * tz / 100.0 - 100.0).abs() < 1e-2, "{tm:?}");
    }

    /// A Letter page whose content is `ops`, with the invisible font, as a PDF file.
    fn page_pdf(ops: &str) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let font = doc.add_object(font_dictionary());
        let content = doc.add_object(lopdf::Stream::new(Dictionary::new(), ops.as_bytes().to_vec()));
        let pages = doc.new_object_id();
        let resources = Dictionary::from_iter([("Font", Object::Dictionary(Dictionary::from_iter([(FONT, Object::Reference(font))])))]);
        let page = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages)),
            ("MediaBox", Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()])),
            ("Resources", Object::Dictionary(resources)),
            ("Contents", Object::Reference(content)),
        ]));
        let tree = Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(vec![Object::Reference(page)])),
            ("Count", Object::Integer(1)),
        ]);
        doc.objects.insert(pages, Object::Dictionary(tree));
        let catalog =
            doc.add_object(Dictionary::from_iter([("Type", Object::Name(b"Catalog".to_vec())), ("Pages", Object::Reference(pages))]));
        doc.trailer.set("Root", Object::Reference(catalog));
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    /// `pdftotext -bbox`'s words: text and box (points from the top left).
    fn bbox_words(pdf: &[u8]) -> Vec<(String, [f64; 4])> {
        let dir = std::env::temp_dir().join(format!("redress-ocr-layer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("page.pdf");
        std::fs::write(&file, pdf).unwrap();
        let out = std::process::Command::new("pdftotext").arg("-bbox").arg(&file).arg("-").output().expect("pdftotext (poppler-utils)");
        let _ = std::fs::remove_dir_all(&dir);
        let html = String::from_utf8_lossy(&out.stdout).into_owned();
        html.lines()
            .filter(|l| l.trim_start().starts_with("<word"))
            .map(|l| {
                let attr = |k: &str| -> f64 {
                    let at = l.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
                    l[at..].split('"').next().unwrap().parse().unwrap()
                };
                let text = l.split('>').nth(1).unwrap().split('<').next().unwrap().to_string();
                (text, [attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")])
            })
            .collect()
    }

    #[test]
    fn pdftotext_gives_the_words_back_in_order_each_within_its_box() {
        // A 1275 × 1650 picture (150 dpi) shown over the whole Letter page: 2.08 pixels a point.
        let words = vec![
            word("Your", 150.0, 300.0, 95.0, 32.0, 0, 0.95),
            word("request", 262.0, 306.0, 150.0, 34.0, 0, 0.93),
            word("was", 428.0, 306.0, 80.0, 26.0, 0, 0.91),
            word("denied", 524.0, 298.0, 140.0, 34.0, 0, 0.96),
            word("Appeal", 150.0, 400.0, 130.0, 40.0, 1, 0.9),
            word("by", 296.0, 404.0, 45.0, 44.0, 1, 0.9),
            word("2026-05-01", 357.0, 400.0, 230.0, 36.0, 1, 0.88),
        ];
        let page = PageWords { page: 1, width: 1275.0, height: 1650.0, source: WordSource::Ocr, words: words.clone() };
        let k = 612.0 / 1275.0;
        let ops = layer(&page, pixels_onto(1275.0, 1650.0, (0.0, 0.0, 612.0, 792.0))).unwrap();
        let got = bbox_words(&page_pdf(&ops));
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["Your", "request", "was", "denied", "Appeal", "by", "2026-05-01"]);
        for ((_, b), w) in got.iter().zip(&words) {
            let line = words.iter().filter(|o| o.line == w.line).map(|o| o.rect).reduce(Rect::union).unwrap();
            let want = [w.rect.x as f64 * k, line.y as f64 * k, (w.rect.x + w.rect.w) as f64 * k, (line.y + line.h) as f64 * k];
            for (g, e) in b.iter().zip(want) {
                assert!((g - e).abs() < 1.0, "{} at {b:?}, its box is {want:?}", w.text);
            }
        }
    }

    /// A page drawing `content` with an image (1000 × 1000) as `/Im1` and a form as `/Fm1`.
    fn decide(content: &str) -> Option<Matrix> {
        let mut doc = Document::with_version("1.7");
        let image = Dictionary::from_iter([("Subtype", Object::Name(b"Image".to_vec())), ("Width", 1000.into()), ("Height", 1000.into())]);
        let image = doc.add_object(lopdf::Stream::new(image, vec![0; 16]));
        let form = doc.add_object(lopdf::Stream::new(Dictionary::from_iter([("Subtype", Object::Name(b"Form".to_vec()))]), vec![]));
        let xobjects = Dictionary::from_iter([("Im1", Object::Reference(image)), ("Fm1", Object::Reference(form))]);
        let resources = Object::Dictionary(Dictionary::from_iter([("XObject", Object::Dictionary(xobjects))]));
        scanned_image(&doc, content.as_bytes(), Some(&resources), [0.0, 0.0, 612.0, 792.0])
    }

    #[test]
    fn a_page_is_a_scan_when_one_image_covers_most_of_it_and_no_text_is_shown() {
        assert_eq!(decide("q 612 0 0 792 0 0 cm /Im1 Do Q"), Some([612.0, 0.0, 0.0, 792.0, 0.0, 0.0]), "a full-page image");
        let turned = decide("q 0 792 -612 0 612 0 cm /Im1 Do Q 0 0 10 10 re f");
        assert_eq!(turned, Some([0.0, 792.0, -612.0, 0.0, 612.0, 0.0]), "turned, with a vector mark");
        assert!(decide("q 612 0 0 792 0 0 cm /Im1 Do Q q 50 0 0 20 10 10 cm /Im1 Do Q").is_some(), "a small logo beside it");
        assert_eq!(decide("q 612 0 0 792 0 0 cm /Im1 Do Q BT /F1 1 Tf 3 Tr (already read) Tj ET"), None, "text, even invisible");
        assert_eq!(decide("q 300 0 0 300 0 0 cm /Im1 Do Q"), None, "an image on a fifth of the page");
        assert_eq!(decide("q 612 0 0 792 0 0 cm /Im1 Do Q /Fm1 Do"), None, "a form may hold text");
        assert_eq!(decide("q 612 0 0 792 0 0 cm /Im1 Do /Im1 Do Q"), None, "two pictures over the page");
        assert_eq!(decide("0 0 612 792 re f"), None, "vector art");
        let inline = "q 612 0 0 792 0 0 cm BI /W 2 /H 2 /BPC 8 /CS /G ID \x10\x20\x30\x40 EI Q";
        assert_eq!(decide(inline), Some([612.0, 0.0, 0.0, 792.0, 0.0, 0.0]), "an inline image over the page");
    }
}
