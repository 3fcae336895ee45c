//! Files that appear whole or not at all, and the temporary files on the way there.
//!
//! A file is written under a temporary name in its target's folder, flushed to disk and
//! renamed over the target ([`AtomicFile`], [`write_atomically`]); a reader sees the old file
//! or the new one, never half of one. The packet, the app's packet report, the calendar of
//! `redress deadlines --ics`, the vault, the store's export and the demo all write this way.
//!
//! ```
//! let dir = std::env::temp_dir().join(format!("redress-atomic-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).map_err(|e| redress::Error::io(&dir, e))?;
//! redress::atomic::write_atomically(&dir.join("report.json"), b"{}")?;
//! assert_eq!(std::fs::read(dir.join("report.json")).unwrap(), b"{}");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), redress::Error>(())
//! ```
//!
//! **Who may remove a temporary file.** A writer holds an exclusive lock on its temporary file
//! (the OS's own: `flock` on Linux and macOS, `LockFileEx` on Windows) for as long as the file is
//! open. The OS drops the lock when the process ends, however it ends (crash, kill, power-off),
//! so a temporary file whose lock can be taken has no writer left, and [`remove_abandoned`]
//! removes it; one whose lock is held is being written and is left alone. Process ids are not
//! used (there is no `/proc` on macOS or Windows, and ids are reused), nor is an age rule (a
//! slow writer is not a dead one, and a dead writer's leftover need not wait out a timeout).
//! On a file system without locks the lock cannot be taken by anyone, so leftovers there stay
//! (they cost disk space only) and live files are never touched.

use crate::error::{Error, Result, Unwritable};
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

/// How every temporary file's name ends.
pub const TEMP_SUFFIX: &str = ".tmp";
/// Names tried before creating a temporary file is given up: another writer or a cleaner can
/// only ever make one attempt fail.
const ATTEMPTS: usize = 8;

/// A temporary file of an unfinished write: created new, locked for as long as it is open, and
/// removed when dropped unless [`TempFile::keep`] or [`TempFile::persist`] was called.
#[derive(Debug)]
pub struct TempFile {
    /// The open, locked file.
    pub file: File,
    /// Where it is.
    pub path: PathBuf,
    armed: bool,
}

impl TempFile {
    /// Creates a new temporary file in `dir` named `{prefix}{pid}-{nonce}.tmp` and takes its lock.
    pub fn create_in(dir: &Path, prefix: &str) -> Result<TempFile> {
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let path = dir.join(format!("{prefix}{}-{}{TEMP_SUFFIX}", std::process::id(), nonce()));
            match TempFile::create(&path) {
                Ok(Some(t)) => return Ok(t),
                // A cleaner took this name's lock first, or removed it: try another name.
                Ok(None) => last = Some(Error::io(&path, io::Error::other("a cleaner removed the temporary file"))),
                Err(e) if already_exists(&e) => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::Other(format!("{}: no temporary file could be created", dir.display()))))
    }

    /// Creates `path` (which must not exist) as a file removed on drop, and takes its lock.
    /// Used directly for a destination that is new and only kept once complete.
    pub fn create_new(path: &Path) -> Result<TempFile> {
        TempFile::create(path)?.ok_or_else(|| Error::io(path, io::Error::other("the new file was removed as it was created")))
    }

    /// `None` when a cleaner got to the new file between its creation and its lock.
    fn create(path: &Path) -> Result<Option<TempFile>> {
        let file = OpenOptions::new().read(true).write(true).create_new(true).open(path).map_err(|e| Error::io(path, e))?;
        let guard = TempFile { file, path: path.to_path_buf(), armed: true };
        match guard.file.try_lock() {
            // Locked by us, so no cleaner can remove it from now on: still there means ours.
            Ok(()) if path.exists() => Ok(Some(guard)),
            Ok(()) => Ok(None),
            Err(TryLockError::WouldBlock) => Ok(None),
            // No locks on this file system: nobody can take one, so nobody removes the file.
            Err(TryLockError::Error(_)) => Ok(Some(guard)),
        }
    }

    /// Leaves the file where it is, complete, and releases it.
    pub fn keep(mut self) {
        self.armed = false;
    }

    /// Flushes the file to disk, renames it over `target` and flushes the folder, so the new
    /// name survives a power cut. On failure the temporary file is removed.
    pub fn persist(mut self, target: &Path) -> Result<()> {
        self.file.sync_all().map_err(|e| Error::io(target, e))?;
        fs::rename(&self.path, target).map_err(|e| Error::io(target, e))?;
        self.armed = false;
        sync_dir(&dir_of(target))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A file written under a temporary name in the target's folder and renamed into place only
/// when complete; dropped without [`AtomicFile::commit`], it removes itself. Creating one
/// removes the temporary files that dead writers of the same target left.
#[derive(Debug)]
pub struct AtomicFile {
    /// The temporary file to write to (a second handle on it; the lock stays with the first).
    pub file: File,
    /// The temporary file's path.
    pub temp: PathBuf,
    target: PathBuf,
    guard: TempFile,
    replaced: Replaced,
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<AtomicFile> {
        check_target(target, None)?;
        let dir = dir_of(target);
        let prefix = temp_prefix(target);
        remove_abandoned(&dir, |name| name.starts_with(&prefix) && name.ends_with(TEMP_SUFFIX));
        let guard = TempFile::create_in(&dir, &prefix).map_err(|e| not_created(e, target, &dir))?;
        let file = guard.file.try_clone().map_err(|e| Error::io(&guard.path, e))?;
        Ok(AtomicFile { file, temp: guard.path.clone(), target: target.to_path_buf(), guard, replaced: Replaced(None) })
    }

    /// Holds the large file this write will replace, on Linux and a local file system: for a
    /// packet, which a build writes over the last one, so the rename at its end only takes the
    /// old file's name, and its blocks are freed on a thread of its own rather than while the
    /// build waits.
    pub fn holding_replaced(mut self) -> AtomicFile {
        self.replaced = Replaced::hold(&self.target);
        self
    }

    /// A failed write to [`AtomicFile::file`], naming the target: the temporary file is
    /// removed with the unfinished write, so people are told of the file they asked for.
    pub fn error(&self, e: io::Error) -> Error {
        Error::io(&self.target, e)
    }

    /// Flushes to disk, renames over the target and makes the rename durable.
    pub fn commit(self) -> Result<()> {
        drop(self.file);
        self.guard.persist(&self.target)?;
        self.replaced.let_go();
        Ok(())
    }
}

/// Writes `bytes` to `path` atomically: a reader never sees a half-written file under the name.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut target = AtomicFile::create(path)?;
    target.file.write_all(bytes).map_err(|e| target.error(e))?;
    target.commit()
}

/// Writes `bytes` to `path` as [`write_atomically`] does but without flushing them to disk: for
/// a cache (the picture checks' verdicts, the files' fingerprints), whose entries cost only work
/// done again if a power cut loses them or leaves one empty, and whose readers take an entry
/// that does not read whole and sound (checksums, the file's own SHA-256) as no entry. Forty verdicts flushed one by one are eighty waits for the
/// disk at the end of a build; a spinning disk takes some 10 ms for each.
pub fn write_cache(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = dir_of(path);
    let prefix = temp_prefix(path);
    remove_abandoned(&dir, |name| name.starts_with(&prefix) && name.ends_with(TEMP_SUFFIX));
    let mut f = TempFile::create_in(&dir, &prefix).map_err(|e| not_created(e, path, &dir))?;
    f.file.write_all(bytes).map_err(|e| Error::io(path, e))?;
    fs::rename(&f.path, path).map_err(|e| Error::io(path, e))?;
    f.armed = false;
    Ok(())
}

/// Writes a new file (which must not exist yet) and flushes it to disk; nothing is left under
/// the name if writing fails.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = TempFile::create_new(path)?;
    f.file.write_all(bytes).and_then(|_| f.file.sync_all()).map_err(|e| Error::io(path, e))?;
    f.keep();
    Ok(())
}

/// Whether a file can be written at `target` as far as its path says: it names a file (not a
/// folder, nor a path ending in a slash) in a folder that exists. `example` is the file name
/// suggested when it names a folder (`packet.pdf`).
pub fn check_target(target: &Path, example: Option<&str>) -> Result<()> {
    let ends_in_slash = target.as_os_str().as_encoded_bytes().last().is_some_and(|b| std::path::is_separator(char::from(*b)));
    if ends_in_slash || target.is_dir() {
        return Err(Error::Unwritable { path: target.to_path_buf(), why: Unwritable::Folder { example: example.map(str::to_string) } });
    }
    let dir = dir_of(target);
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Unwritable { path: target.to_path_buf(), why: Unwritable::NotInFolder { parent: dir } });
    }
    if !dir.is_dir() {
        return Err(Error::Other(format!("{}: the folder to write into does not exist", dir.display())));
    }
    Ok(())
}

/// The error of a write to `target` whose temporary file (or folder) could not be made in
/// `dir`, told of the file asked for, never of the temporary name: a folder that cannot be
/// written to said so.
pub(crate) fn not_created(e: Error, target: &Path, dir: &Path) -> Error {
    let Error::Io { source, .. } = e else { return e };
    let read_only = match source.kind() {
        io::ErrorKind::PermissionDenied => false,
        io::ErrorKind::ReadOnlyFilesystem => true,
        _ => return Error::Io { path: target.to_path_buf(), source },
    };
    Error::Unwritable { path: target.to_path_buf(), why: Unwritable::FolderNotWritable { folder: dir.to_path_buf(), read_only } }
}

/// Files smaller than this are replaced without holding on to them (see [`Replaced`]).
const HOLD_FROM: u64 = 8 << 20;

/// The large file a write will replace, held open from the start of the write: the rename over
/// it then only takes its name, and the OS frees its blocks when it is let go of, on a thread of
/// its own, rather than inside the rename while the writer waits (some 40 ms for a 160 MB
/// packet on ext4); its cached pages are let go of at the start. Only on Linux, only a regular
/// file, and only on a local file system ([`LOCAL`]), where a rename over a file still open
/// replaces it in one step and leaves no other name of it: a process that ends first lets go of
/// it as it ends.
#[derive(Debug)]
struct Replaced(Option<File>);

impl Replaced {
    fn hold(target: &Path) -> Replaced {
        let large = fs::symlink_metadata(target).is_ok_and(|m| m.is_file() && m.len() >= HOLD_FROM);
        let held = large.then(|| open_local(target)).flatten();
        if let Some(copy) = held.as_ref().and_then(|f| f.try_clone().ok()) {
            let _ = std::thread::Builder::new().name("let-go".into()).spawn(move || drop_cached(&copy));
        }
        Replaced(held)
    }

    fn let_go(self) {
        if let Some(file) = self.0 {
            let _ = std::thread::Builder::new().name("let-go".into()).spawn(move || drop(file));
        }
    }
}

/// Local file systems, by `statfs`'s type: ext2-4, XFS, Btrfs, tmpfs, F2FS, overlayfs (a
/// container's, over one of those). Elsewhere a file
/// renamed over while open may keep another name until it is closed (NFS renames it aside, FUSE
/// hides a copy) or the rename may be refused (SMB).
#[cfg(target_os = "linux")]
const LOCAL: [i64; 6] = [0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994, 0xF2F5_2010, 0x794C_7630];

/// The regular file at `path` on a local file system, opened to read: not through a link, and
/// without waiting should a pipe take its place (checked again once open).
#[cfg(target_os = "linux")]
fn open_local(path: &Path) -> Option<File> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let file = File::from(rustix::fs::open(path, flags, Mode::empty()).ok()?);
    let local = rustix::fs::fstatfs(&file).is_ok_and(|s| is_local(&s));
    (local && file.metadata().is_ok_and(|m| m.is_file())).then_some(file)
}

/// Whether the file system `statfs` describes is one of the [`LOCAL`] ones.
#[cfg(target_os = "linux")]
#[allow(clippy::unnecessary_cast)] // `f_type`'s width differs between targets
fn is_local(s: &rustix::fs::StatFs) -> bool {
    LOCAL.contains(&(s.f_type as i64))
}

#[cfg(not(target_os = "linux"))]
fn open_local(_: &Path) -> Option<File> {
    None
}

/// Lets go of the pages the OS caches of the file (only advice: its bytes stay as they are, and
/// are read from disk if anyone reads them again), so that freeing it later, when the rename
/// has taken its name, is quick: letting go of a 160 MB file's cached pages is most of the
/// 10-15 ms that takes, and done now it overlaps the write.
#[cfg(target_os = "linux")]
fn drop_cached(file: &File) {
    let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
}

#[cfg(not(target_os = "linux"))]
fn drop_cached(_: &File) {}

fn already_exists(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == io::ErrorKind::AlreadyExists)
}

/// The start of the temporary names of writes to `target`: `.packet.pdf.`.
fn temp_prefix(target: &Path) -> String {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".into());
    format!(".{name}.")
}

/// Removes the files in `dir` that `is_temp` names temporary and whose writer is gone (nobody
/// holds their lock; see the module documentation). Returns how many were removed; errors only
/// mean some stay, which costs disk space and nothing else.
pub fn remove_abandoned(dir: &Path, is_temp: impl Fn(&str) -> bool) -> usize {
    let Ok(entries) = fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_temp(&name) || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = File::open(&path) else { continue };
        // Removed while we hold the lock, so a writer that opens it just now sees it gone.
        if file.try_lock().is_ok() && fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// A folder removed with its contents when dropped, unless disarmed: an unfinished export.
#[derive(Debug)]
pub struct TempDir(Option<PathBuf>);

impl TempDir {
    /// Creates the folder `path` (which must not exist).
    pub fn create(path: &Path) -> Result<TempDir> {
        fs::create_dir(path).map_err(|e| Error::io(path, e))?;
        Ok(TempDir(Some(path.to_path_buf())))
    }

    /// Creates a new temporary folder beside `dir` (`.{name}.{pid}-{nonce}.tmp`, in `dir`'s
    /// folder, which is made if missing), to be renamed to `dir` or into it when complete.
    pub fn beside(dir: &Path) -> Result<(TempDir, PathBuf)> {
        let parent = dir_of(dir);
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "folder".into());
        let temp = parent.join(format!(".{name}.{}-{}{TEMP_SUFFIX}", std::process::id(), nonce()));
        Ok((TempDir::create(&temp).map_err(|e| not_created(e, dir, &parent))?, temp))
    }

    /// Keeps the folder (it has been renamed into place).
    pub fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_dir_all(p);
        }
    }
}

/// Makes the new folder `dir` whole or not at all: `fill` writes its contents into a temporary
/// folder beside it (`.{name}.{pid}-{nonce}.tmp`), which is renamed into place only when `fill`
/// has succeeded; on failure nothing is left, and an error about a file inside names the file
/// as it would have been in `dir`. Each file `fill` writes is flushed by its own writer.
pub fn create_dir_whole(dir: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let (guard, temp) = TempDir::beside(dir)?;
    fill(&temp).map_err(|e| as_if_in(e, &temp, dir))?;
    sync_dir(&temp)?;
    fs::rename(&temp, dir).map_err(|e| Error::io(dir, e))?;
    guard.disarm();
    sync_dir(&dir_of(dir))
}

/// `e`, with a path inside the temporary folder `temp` told as the same path inside `dir`.
pub fn as_if_in(e: Error, temp: &Path, dir: &Path) -> Error {
    match e {
        Error::Io { path, source } => match path.strip_prefix(temp) {
            Ok(rel) => Error::Io { path: dir.join(rel), source },
            Err(_) => Error::Io { path, source },
        },
        other => other,
    }
}

/// Hashes and counts what passes through, so a report needs no second read of the file.
pub(crate) struct HashingWriter<W: Write> {
    pub(crate) inner: W,
    pub(crate) hasher: Sha256,
    pub(crate) bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Flushes and returns the byte count and the SHA-256 in hex.
    pub(crate) fn finish(mut self) -> io::Result<(u64, String)> {
        self.inner.flush()?;
        Ok((self.bytes, hex(&self.hasher.finalize())))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 * bytes.len());
    push_hex(&mut out, bytes, b"0123456789abcdef");
    out
}

/// Upper-case hex of `bytes` added to `out`: a PDF hex string's digits, as a page's text
/// writes them.
pub(crate) fn push_upper_hex(out: &mut String, bytes: &[u8]) {
    push_hex(out, bytes, b"0123456789ABCDEF");
}

/// Two digits a byte, without formatting each (a packet's pages write thousands of them).
fn push_hex(out: &mut String, bytes: &[u8], digits: &[u8; 16]) {
    out.reserve(2 * bytes.len());
    for b in bytes {
        out.push(char::from(digits[usize::from(b >> 4)]));
        out.push(char::from(digits[usize::from(b & 15)]));
    }
}

/// A number unique within this process (and very likely across runs), for temporary names.
pub(crate) fn nonce() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{nanos:08x}{n:04x}")
}

/// Flushes a folder's entries to disk, so a rename into it survives a power cut.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))?;
    }
    // Windows cannot open a folder as a file; NTFS journals the rename itself.
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The folder a file is in, `.` for a bare name.
pub(crate) fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redress-atomic-{name}-{}-{}", std::process::id(), nonce()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn a_dropped_atomic_file_leaves_the_old_file_and_no_temporary() {
        let dir = scratch("drop");
        let target = dir.join("packet.pdf");
        fs::write(&target, b"old").unwrap();
        let mut f = AtomicFile::create(&target).unwrap();
        f.file.write_all(b"half of the new").unwrap();
        assert_eq!(names(&dir).len(), 2, "the temporary file sits beside the target while written");
        drop(f);
        assert_eq!(names(&dir), ["packet.pdf"]);
        assert_eq!(fs::read(&target).unwrap(), b"old");
        write_atomically(&target, b"new").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert_eq!(names(&dir), ["packet.pdf"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_large_file_replaced_is_held_until_the_new_one_is_in_its_place() {
        use std::io::Read;
        let dir = scratch("held");
        let target = dir.join("packet.pdf");
        let old: Vec<u8> = (0..HOLD_FROM + 1).map(|i| (i % 251) as u8).collect();
        fs::write(&target, &old).unwrap();
        let mut f = AtomicFile::create(&target).unwrap().holding_replaced();
        // Held only on a local file system (a test folder elsewhere checks that it is not).
        let local = rustix::fs::statfs(&dir).is_ok_and(|s| is_local(&s));
        assert_eq!(f.replaced.0.is_some(), local, "held on a local file system, and only there");
        let held = f.replaced.0.as_ref().map(|h| h.try_clone().unwrap());
        f.file.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert_eq!(names(&dir), ["packet.pdf"], "no name of the old file is left");
        // What was held is the old file, whole, though its name is gone.
        if let Some(mut held) = held {
            let mut was = Vec::new();
            held.read_to_end(&mut was).unwrap();
            assert!(was == old);
        }
        // A small file, a link and anything but a regular file are not held.
        fs::write(&target, b"small").unwrap();
        assert!(AtomicFile::create(&target).unwrap().holding_replaced().replaced.0.is_none());
        let big = dir.join("big.pdf");
        fs::write(&big, &old).unwrap();
        let link = dir.join("link.pdf");
        std::os::unix::fs::symlink(&big, &link).unwrap();
        assert!(AtomicFile::create(&link).unwrap().holding_replaced().replaced.0.is_none());
        let pipe = dir.join("pipe.pdf");
        assert!(std::process::Command::new("mkfifo").arg(&pipe).status().unwrap().success());
        assert!(AtomicFile::create(&pipe).unwrap().holding_replaced().replaced.0.is_none());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_cache_entry_is_written_whole_over_the_old_one_and_no_temporary_left() {
        let dir = scratch("cache");
        let path = dir.join("hashed.json");
        write_cache(&path, b"{\"old\":1}").unwrap();
        write_cache(&path, b"{}").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}");
        assert_eq!(names(&dir), ["hashed.json"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_dead_writers_temporary_is_removed_and_a_live_writers_kept() {
        let dir = scratch("abandoned");
        let target = dir.join("packet.pdf");
        // A writer that died: its file is there, nobody holds its lock (whatever its name says
        // about process ids, which are not looked at).
        fs::write(dir.join(".packet.pdf.1-dead.tmp"), b"partial").unwrap();
        fs::write(dir.join(format!(".packet.pdf.{}-dead.tmp", std::process::id())), b"partial").unwrap();
        // A writer still at work, holding its lock.
        let live = TempFile::create_in(&dir, ".packet.pdf.").unwrap();
        // Another target's temporary is not this writer's to judge.
        fs::write(dir.join(".other.pdf.1-dead.tmp"), b"partial").unwrap();
        let mut ours = AtomicFile::create(&target).unwrap();
        let left = names(&dir);
        assert!(!left.iter().any(|n| n.ends_with("-dead.tmp") && n.starts_with(".packet.pdf.")), "{left:?}");
        assert!(
            left.contains(&live.path.file_name().unwrap().to_string_lossy().into_owned()),
            "a live writer's file was removed: {left:?}"
        );
        assert!(left.contains(&".other.pdf.1-dead.tmp".to_string()));
        // And a second writer of the same target leaves the first one's file alone.
        let second = AtomicFile::create(&target).unwrap();
        assert!(ours.temp.exists());
        ours.file.write_all(b"whole").unwrap();
        ours.commit().unwrap();
        drop(second);
        drop(live);
        assert_eq!(names(&dir), [".other.pdf.1-dead.tmp", "packet.pdf"]);
        assert_eq!(remove_abandoned(&dir, |n| n.ends_with(TEMP_SUFFIX)), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_new_file_that_fails_is_not_left_half_written() {
        let dir = scratch("new");
        write_new(&dir.join("case.toml"), b"[case]").unwrap();
        assert_eq!(fs::read(dir.join("case.toml")).unwrap(), b"[case]");
        let again = write_new(&dir.join("case.toml"), b"other").unwrap_err();
        assert!(again.to_string().contains("case.toml"), "{again}");
        assert_eq!(fs::read(dir.join("case.toml")).unwrap(), b"[case]", "an existing file is never overwritten");
        let missing = AtomicFile::create(&dir.join("no-such-folder").join("x.pdf")).unwrap_err();
        assert!(missing.to_string().contains("no-such-folder") && missing.to_string().contains("does not exist"), "{missing}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_target_that_names_a_folder_or_sits_under_a_file_is_refused_naming_it() {
        let dir = scratch("target");
        let folder = dir.join("out");
        fs::create_dir(&folder).unwrap();
        let slash = PathBuf::from(format!("{}/", dir.join("new").display()));
        for target in [&folder, &slash] {
            let e = AtomicFile::create(target).unwrap_err();
            assert!(matches!(&e, Error::Unwritable { why: Unwritable::Folder { .. }, .. }), "{e}");
            assert!(e.to_string().starts_with(&format!("{} names a folder", target.display())), "{e}");
        }
        let e = check_target(&folder, Some("packet.pdf")).unwrap_err().to_string();
        assert!(e.ends_with(&format!("such as {}", folder.join("packet.pdf").display())), "{e}");
        fs::write(dir.join("file"), b"x").unwrap();
        let e = write_atomically(&dir.join("file/x.json"), b"{}").unwrap_err().to_string();
        assert!(e.contains("is a file, not a folder") && !e.contains(TEMP_SUFFIX), "{e}");
        assert_eq!(names(&dir), ["file", "out"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_temporary_file_that_cannot_be_made_is_told_as_the_target() {
        let (dir, target) = (Path::new("cases/smith"), Path::new("cases/smith/packet.pdf"));
        let denied = not_created(Error::io(dir.join(".packet.pdf.1-2.tmp"), io::ErrorKind::PermissionDenied.into()), target, dir);
        assert_eq!(
            denied.to_string(),
            "cannot write cases/smith/packet.pdf: the folder cases/smith cannot be written to (permission denied)"
        );
        let read_only = not_created(Error::io("t.tmp", io::ErrorKind::ReadOnlyFilesystem.into()), target, dir).to_string();
        assert!(read_only.ends_with("(it is on a read-only file system)"), "{read_only}");
        let other = not_created(Error::io("t.tmp", io::ErrorKind::StorageFull.into()), target, dir);
        assert!(matches!(&other, Error::Io { path, .. } if path == target), "{other}");
    }

    #[test]
    fn hashing_writer_counts_and_hashes_what_passes() {
        let mut w = HashingWriter { inner: Vec::new(), hasher: Sha256::new(), bytes: 0 };
        w.write_all(b"hel").unwrap();
        w.write_all(b"lo").unwrap();
        assert_eq!(w.finish().unwrap(), (5, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824".to_string()));
    }
}
