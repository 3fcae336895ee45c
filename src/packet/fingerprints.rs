//! Each input file's SHA-256 kept under its stat fingerprint, so that a rebuild does not hash
//! unchanged files again. A file is known by what `fstat` says of it on the open file (device,
//! inode, size, and modification and change times in nanoseconds), taken before and after it is
//! read: equal both times, the bytes read are the file as it was. An entry is kept only when
//! the file's times are at least [`RACY`] older than the moment it was hashed, as git guards its
//! index: on a file system with coarse timestamps a change made in the same tick would
//! otherwise not move them. The change time cannot be set back by anyone but the system, so a
//! file whose content was changed and its modification time put back is hashed again.
//!
//! The entries are one file (`hashed.json`) beside the verdicts' folder, read once a build and
//! written only once the packet is in place, as the verdicts are (and by a stored case's load,
//! with the documents it hashed checking them against the vault); each entry carries a
//! checksum of itself, and one that does not add up, or a file that does not read, is no entry.
//! An entry names a file by its device and inode, never by its name, and holds nothing of its
//! content but the SHA-256 the manifest prints.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where the builds of `folder` keep its inputs' fingerprints: `hashed.json` beside the
/// verdicts' folder ([`verdicts::beside`](super::verdicts::beside)), as `Verdicts::new` reads
/// them.
pub fn beside(folder: &crate::casefile::CaseFolder) -> PathBuf {
    beside_checked(&super::verdicts::beside(folder))
}

/// Where `hashed.json` is kept beside the verdicts' folder `checked`.
pub fn beside_checked(checked: &Path) -> PathBuf {
    checked.parent().unwrap_or(checked).join(FILE)
}

/// The file's name, beside the verdicts' folder.
const FILE: &str = "hashed.json";

/// How much older than the moment it was hashed a file's times must be for its entry to be kept.
pub const RACY: Duration = Duration::from_secs(2);

/// At most this many entries are kept (the oldest go first): a store's folder serves all its
/// cases, and documents come and go.
const MOST: usize = 20_000;

/// What `fstat` says of an open file: which file it is, its size and its times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: i64,
    mtime_nsec: i64,
    ctime: i64,
    ctime_nsec: i64,
}

impl Fingerprint {
    /// The open file's fingerprint; `None` where the system gives none (then it is hashed).
    #[cfg(unix)]
    pub fn of(file: &File) -> Option<Fingerprint> {
        use std::os::unix::fs::MetadataExt;
        let m = file.metadata().ok()?;
        Some(Fingerprint {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime: m.mtime(),
            mtime_nsec: m.mtime_nsec(),
            ctime: m.ctime(),
            ctime_nsec: m.ctime_nsec(),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_: &File) -> Option<Fingerprint> {
        None
    }

    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether both of the file's times are at least [`RACY`] before `at`.
    fn settled(&self, at: SystemTime) -> bool {
        let nanos = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        let Ok(at) = at.duration_since(UNIX_EPOCH) else { return false };
        let latest = nanos(self.mtime, self.mtime_nsec).max(nanos(self.ctime, self.ctime_nsec));
        i128::try_from(at.as_nanos()).is_ok_and(|at| at - latest >= RACY.as_nanos() as i128)
    }
}

/// One file's entry: its fingerprint, its SHA-256 and the checksum of both.
#[derive(Clone, Serialize, Deserialize)]
struct Entry {
    file: Fingerprint,
    sha256: String,
    check: String,
}

impl Entry {
    fn new(file: Fingerprint, sha256: &str) -> Entry {
        Entry { file, sha256: sha256.to_string(), check: checksum(&file, sha256) }
    }

    /// Whether the entry is as it was written: a SHA-256, and a checksum that adds up.
    fn sound(&self) -> bool {
        let hex = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        hex(&self.sha256) && self.check == checksum(&self.file, &self.sha256)
    }
}

fn checksum(file: &Fingerprint, sha256: &str) -> String {
    let Fingerprint { dev, ino, size, mtime, mtime_nsec, ctime, ctime_nsec } = file;
    let text = format!("hashed file {VERSION}\n{dev} {ino} {size} {mtime}.{mtime_nsec} {ctime}.{ctime_nsec}\n{sha256}");
    super::hex(&Sha256::digest(text.as_bytes()))
}

/// The file's format: another version's entries are not read.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Kept {
    version: u32,
    files: Vec<Entry>,
}

/// The entries one build knows (read from its folder) and those it found.
pub struct Fingerprints {
    path: Option<PathBuf>,
    known: HashMap<(u64, u64), Entry>,
    found: Mutex<Vec<Entry>>,
}

impl Fingerprints {
    /// The entries kept at `path`; none (and none kept) without one.
    pub fn read(path: Option<PathBuf>) -> Fingerprints {
        let known = path.as_deref().map(read_kept).unwrap_or_default();
        Fingerprints { path, known: known.into_iter().map(|e| ((e.file.dev, e.file.ino), e)).collect(), found: Mutex::new(Vec::new()) }
    }

    /// The SHA-256 of the file with exactly this fingerprint, when an entry holds it: one kept,
    /// or one this build found (so a size budget's later attempts do not hash again a file an
    /// entry could be kept for).
    pub fn sha256(&self, file: &Fingerprint) -> Option<String> {
        let kept = self.known.get(&(file.dev, file.ino)).filter(|e| e.file == *file);
        match kept {
            Some(e) => Some(e.sha256.clone()),
            None => self.found.lock().ok()?.iter().rev().find(|e| e.file == *file).map(|e| e.sha256.clone()),
        }
    }

    /// Notes the SHA-256 of a file read with this fingerprint before and after, hashed at `at`;
    /// kept only when the file's times are settled.
    pub fn hashed(&self, file: Fingerprint, sha256: &str, at: SystemTime) {
        if self.path.is_none() || !file.settled(at) {
            return;
        }
        if let Ok(mut found) = self.found.lock() {
            found.push(Entry::new(file, sha256));
        }
    }

    /// A file's bytes and SHA-256: the SHA-256 an entry holds when the file's fingerprint, the
    /// same before and after it is read, is the entry's; otherwise hashed, and noted with the
    /// fingerprint.
    pub fn read_hashed(&self, path: &Path) -> std::io::Result<(Vec<u8>, String)> {
        self.read_hashed_into(path, Vec::new())
    }

    /// [`Fingerprints::read_hashed`] into `bytes` (emptied first), whose room is used again.
    pub fn read_hashed_into(&self, path: &Path, mut bytes: Vec<u8>) -> std::io::Result<(Vec<u8>, String)> {
        // The file's times are judged against the moment its read began, as git judges them
        // against its index's own time: a write during a long read is never "settled".
        let began = SystemTime::now();
        let mut file = File::open(path)?;
        let before = Fingerprint::of(&file);
        bytes.clear();
        bytes.reserve_exact(before.map_or(0, |f| f.size()).try_into().unwrap_or(0));
        file.read_to_end(&mut bytes)?;
        let unchanged = before.filter(|b| Fingerprint::of(&file).as_ref() == Some(b));
        if let Some(sha256) = unchanged.as_ref().and_then(|f| self.sha256(f)) {
            return Ok((bytes, sha256));
        }
        let sha256 = super::hex(&Sha256::digest(&bytes));
        if let Some(f) = unchanged {
            self.hashed(f, &sha256, began);
        }
        Ok((bytes, sha256))
    }

    /// A file's SHA-256 alone: an entry's, when the open file's fingerprint is the entry's (the
    /// file is then not read at all), else as [`Fingerprints::read_hashed`] takes it.
    pub fn sha256_of(&self, path: &Path) -> std::io::Result<String> {
        match self.known(&File::open(path)?) {
            Some(sha256) => Ok(sha256),
            None => self.read_hashed(path).map(|(_, sha256)| sha256),
        }
    }

    /// The SHA-256 an entry holds for the open file as `fstat` finds it now (nothing read).
    pub fn known(&self, file: &File) -> Option<String> {
        Fingerprint::of(file).and_then(|f| self.sha256(&f))
    }

    /// Writes the entries found in this build with those kept (a file found again replaces its
    /// old entry). One that cannot be written costs only a hash next time.
    pub fn keep(&self) {
        let (Some(path), Ok(mut found)) = (&self.path, self.found.lock()) else { return };
        if found.is_empty() {
            return;
        }
        // Read again: another build may have kept entries meanwhile. A file found again
        // replaces its entry; the last found of a file counts.
        let mut files = read_kept(path);
        let key = |e: &Entry| (e.file.dev, e.file.ino);
        let mut seen = std::collections::HashSet::new();
        let mut last: Vec<Entry> = found.drain(..).rev().filter(|e| seen.insert(key(e))).collect();
        last.reverse();
        files.retain(|e| !seen.contains(&key(e)));
        files.append(&mut last);
        let over = files.len().saturating_sub(MOST);
        files.drain(..over);
        let written = serde_json::to_vec(&Kept { version: VERSION, files })
            .map_err(|e| crate::error::Error::Other(e.to_string()))
            .and_then(|json| write(path, &json));
        if written.is_err() {
            tracing::debug!("the input files' fingerprints could not be kept");
        }
    }
}

fn write(path: &Path, json: &[u8]) -> crate::error::Result<()> {
    let dir = crate::atomic::dir_of(path);
    std::fs::create_dir_all(&dir).map_err(|e| crate::error::Error::io(&dir, e))?;
    crate::atomic::write_cache(path, json)
}

/// The sound entries of the file at `path`; none when it does not read, or is larger than
/// [`MOST`] entries can be.
fn read_kept(path: &Path) -> Vec<Entry> {
    let fits = std::fs::metadata(path).is_ok_and(|m| m.len() <= MOST as u64 * 1024);
    let Some(bytes) = fits.then(|| std::fs::read(path).ok()).flatten() else { return Vec::new() };
    match serde_json::from_slice::<Kept>(&bytes) {
        Ok(k) if k.version == VERSION => k.files.into_iter().filter(Entry::sound).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn scratch() -> (PathBuf, PathBuf, File) {
        let dir = std::env::temp_dir().join(format!("redress-fingerprints-{}-{}", std::process::id(), crate::atomic::nonce()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("scan.pdf"), b"%PDF").unwrap();
        let file = File::open(dir.join("scan.pdf")).unwrap();
        (dir.join("hashed.json"), dir, file)
    }

    #[cfg(unix)]
    #[test]
    fn an_entry_is_kept_for_a_settled_file_and_found_by_its_exact_fingerprint() {
        let (kept, dir, file) = scratch();
        let fp = Fingerprint::of(&file).unwrap();
        let later = SystemTime::now() + RACY + Duration::from_millis(10);
        let first = Fingerprints::read(Some(kept.clone()));
        assert_eq!(first.sha256(&fp), None);
        first.hashed(fp, SHA, SystemTime::now());
        first.keep();
        assert!(!kept.exists(), "a file changed within the last two seconds is not kept");
        first.found.lock().unwrap().clear();
        first.hashed(fp, SHA, later);
        assert_eq!(Fingerprints::read(Some(kept.clone())).sha256(&fp), None, "kept only when the build keeps it");
        first.keep();
        let again = Fingerprints::read(Some(kept.clone()));
        assert_eq!(again.sha256(&fp).as_deref(), Some(SHA));
        let other = Fingerprint { ctime_nsec: fp.ctime_nsec + 1, ..fp };
        assert_eq!(again.sha256(&other), None, "any field that differs is another state of the file");
        // Found in this build: known to its later attempts, and kept once, the last found.
        again.hashed(other, &SHA.replace('9', "8"), later);
        again.hashed(other, SHA, later);
        assert_eq!(again.sha256(&other).as_deref(), Some(SHA));
        again.keep();
        let kept_now = Fingerprints::read(Some(kept.clone()));
        assert_eq!((kept_now.known.len(), kept_now.sha256(&other).as_deref(), kept_now.sha256(&fp)), (1, Some(SHA), None));
        // Put back as it was, for what follows.
        kept_now.hashed(fp, SHA, later);
        kept_now.keep();
        // A damaged entry is no entry: an altered SHA-256, or a file cut short.
        let json = std::fs::read_to_string(&kept).unwrap();
        std::fs::write(&kept, json.replace(&SHA[..8], "00000000")).unwrap();
        assert_eq!(Fingerprints::read(Some(kept.clone())).sha256(&fp), None);
        std::fs::write(&kept, &json[..json.len() / 2]).unwrap();
        assert_eq!(Fingerprints::read(Some(kept.clone())).sha256(&fp), None);
        assert_eq!(Fingerprints::read(None).sha256(&fp), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_files_sha256_alone_is_an_entrys_without_reading_it_while_its_fingerprint_holds() {
        let (kept, dir, file) = scratch();
        let path = dir.join("scan.pdf");
        let later = SystemTime::now() + RACY + Duration::from_millis(10);
        let hashes = Fingerprints::read(Some(kept.clone()));
        let real = crate::packet::hex(&Sha256::digest(b"%PDF"));
        assert_eq!(hashes.sha256_of(&path).unwrap(), real, "no entry: hashed");
        // An entry for the file as it is now (another SHA-256, to tell it from a hash): taken
        // as it is, the file not read.
        hashes.hashed(Fingerprint::of(&file).unwrap(), SHA, later);
        assert_eq!(hashes.sha256_of(&path).unwrap(), SHA);
        std::fs::write(&path, b"%PDF-1.7").unwrap();
        assert_eq!(hashes.sha256_of(&path).unwrap(), crate::packet::hex(&Sha256::digest(b"%PDF-1.7")), "changed: hashed again");
        assert!(hashes.sha256_of(&dir.join("gone.pdf")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_time_within_two_seconds_of_the_hash_is_not_settled() {
        let at = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let fp = |mtime, ctime| Fingerprint { dev: 1, ino: 2, size: 3, mtime, mtime_nsec: 0, ctime, ctime_nsec: 0 };
        assert!(fp(999_998, 999_998).settled(at));
        assert!(!fp(999_998, 999_999).settled(at), "the change time counts");
        assert!(!fp(999_999, 999_998).settled(at), "and so does the modification time");
        assert!(!fp(1_000_005, 999_990).settled(at), "a time in the future is not settled");
    }
}
