//! Tesseract, run as a process on one picture: the picture is written as a PNG into a private
//! temporary folder (removed however the call ends), Tesseract prints its words as TSV on its
//! standard output, and the TSV becomes a page of words in the picture's pixels.
//!
//! A process rather than a linked library: nothing to build against (libtesseract, leptonica,
//! clang), the library builds and tests where Tesseract is absent, and a crash in it cannot take
//! the app down. Only the temporary file's name is on its command line, never personal data.

use std::ffi::OsString;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use image::GrayImage;

use super::OcrError;
use crate::words::{PageWords, Rect, Word, WordSource};

/// How to run Tesseract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tesseract {
    /// The program to run, looked up on `PATH` unless it is a path: `tesseract` by default.
    pub program: OsString,
    /// How long one page may take before Tesseract is stopped ([`crate::limits::OCR_PAGE_SECONDS`]).
    pub timeout: Duration,
    /// The folder of Tesseract's language data (`eng.traineddata`), when not where Tesseract
    /// looks by itself (an app that carries its own).
    pub data_dir: Option<std::path::PathBuf>,
}

impl Default for Tesseract {
    fn default() -> Self {
        Tesseract { program: "tesseract".into(), timeout: Duration::from_secs(crate::limits::OCR_PAGE_SECONDS), data_dir: None }
    }
}

/// What one run printed and how it ended.
struct Output {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Tesseract {
    /// Whether Tesseract can run here and has its English data: the check to make before
    /// offering to read a scanned page.
    pub fn check(&self) -> Result<(), OcrError> {
        let out = self.run(&["--list-langs".into()])?;
        let listed = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(OcrError::Failed { status: out.status.code() });
        }
        if listed.lines().skip(1).any(|l| l.trim() == "eng") {
            Ok(())
        } else {
            Err(OcrError::NoEnglish)
        }
    }

    /// Reads the words of `picture` (page `page` of its file). `dpi` is the picture's resolution
    /// when known, which helps Tesseract judge the size of the text. The words' boxes are in
    /// the picture's pixels.
    pub fn read(&self, picture: &GrayImage, dpi: Option<u32>, page: u32) -> Result<PageWords, OcrError> {
        let dir = private_dir()?;
        let file = dir.path().join("page.png");
        picture.save_with_format(&file, image::ImageFormat::Png).map_err(|_| OcrError::Scratch)?;
        let mut args: Vec<OsString> = vec![file.into_os_string(), "stdout".into()];
        if let Some(dpi) = dpi {
            args.extend(["--dpi".into(), dpi.to_string().into()]);
        }
        args.extend(["-l".into(), "eng".into(), "tsv".into()]);
        let out = self.run(&args)?;
        drop(dir);
        if !out.status.success() {
            return Err(failure(&out));
        }
        let words = parse_tsv(&String::from_utf8_lossy(&out.stdout)).ok_or(OcrError::Unreadable)?;
        Ok(PageWords { page, width: picture.width() as f32, height: picture.height() as f32, source: WordSource::Ocr, words })
    }

    /// Runs the program with one core, its output collected on threads so neither pipe fills,
    /// stopped once it takes longer than the timeout.
    fn run(&self, args: &[OsString]) -> Result<Output, OcrError> {
        let mut command = Command::new(&self.program);
        if let Some(dir) = &self.data_dir {
            command.arg("--tessdata-dir").arg(dir);
        }
        let mut child = command
            .args(args)
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => OcrError::Missing,
                _ => OcrError::CannotStart,
            })?;
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        let status = self.wait(&mut child)?;
        Ok(Output { status, stdout: joined(stdout), stderr: joined(stderr) })
    }

    fn wait(&self, child: &mut Child) -> Result<ExitStatus, OcrError> {
        let start = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return Ok(status),
                Ok(None) if start.elapsed() < self.timeout => std::thread::sleep(Duration::from_millis(5)),
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(OcrError::TimedOut { seconds: self.timeout.as_secs() });
                }
            }
        }
    }
}

/// A folder only this process uses, removed when dropped.
struct PrivateDir {
    path: std::path::PathBuf,
    _guard: crate::atomic::TempDir,
}

impl PrivateDir {
    fn path(&self) -> &Path {
        &self.path
    }
}

fn private_dir() -> Result<PrivateDir, OcrError> {
    let path = std::env::temp_dir().join(format!("redress-ocr-{}-{}", std::process::id(), crate::atomic::nonce()));
    let guard = crate::atomic::TempDir::create(&path).map_err(|_| OcrError::Scratch)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).map_err(|_| OcrError::Scratch)?;
    }
    Ok(PrivateDir { path, _guard: guard })
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> Option<JoinHandle<Vec<u8>>> {
    pipe.map(|mut pipe| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    })
}

fn joined(handle: Option<JoinHandle<Vec<u8>>>) -> Vec<u8> {
    handle.and_then(|h| h.join().ok()).unwrap_or_default()
}

/// A run that ended badly: its English data missing, or else its exit status (its own words may
/// quote the page, so they are not passed on).
fn failure(out: &Output) -> OcrError {
    let said = String::from_utf8_lossy(&out.stderr);
    if said.contains("Failed loading language") || said.contains("couldn't load any languages") {
        OcrError::NoEnglish
    } else {
        OcrError::Failed { status: out.status.code() }
    }
}

/// The words of Tesseract's TSV: its level-5 rows, each word's line told by its block,
/// paragraph and line numbers (counted from 0 in the order they come), its confidence divided by
/// 100. Rows without text, and those Tesseract gives no confidence (-1), are left out. `None`
/// when the text is not Tesseract's TSV.
pub fn parse_tsv(tsv: &str) -> Option<Vec<Word>> {
    let mut rows = tsv.lines();
    let header = rows.next()?;
    if !header.starts_with("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext") {
        return None;
    }
    let mut words = Vec::new();
    let mut lines: Vec<(u32, u32, u32)> = Vec::new();
    for row in rows.filter(|r| !r.is_empty()) {
        let cells: Vec<&str> = row.splitn(12, '\t').collect();
        if cells.len() < 11 {
            return None;
        }
        let number = |i: usize| cells[i].trim().parse::<f32>().ok();
        if cells[0] != "5" {
            continue;
        }
        let text = cells.get(11).map(|t| t.trim()).unwrap_or("");
        let conf = number(10)?;
        if text.is_empty() || conf < 0.0 {
            continue;
        }
        let key = (number(2)? as u32, number(3)? as u32, number(4)? as u32);
        let line = match lines.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                lines.push(key);
                lines.len() - 1
            }
        };
        let rect = Rect { x: number(6)?, y: number(7)?, w: number(8)?, h: number(9)? };
        words.push(Word { text: text.to_string(), rect, confidence: (conf / 100.0).clamp(0.0, 1.0), line: line as u32 });
    }
    Some(words)
}
