//! A streaming PDF writer: objects go to the file as soon as they are ready, so memory stays
//! flat however large the packet; the cross-reference table is written at the end.

use bytes::Bytes;
use lopdf::{Dictionary, Object, ObjectId};
use pdf_writer::{Chunk, Ref, Settings};
use std::io::{self, Write};
use std::sync::{mpsc, Arc};

/// Where a packet's bytes go: a writer that may take a large run of bytes as it is, without
/// copying it ([`Offloaded`] passes it on whole); any other writer copies it.
pub trait Sink: Write {
    /// Writes all of `bytes`, taking them whole where it can.
    fn write_whole(&mut self, bytes: Bytes) -> io::Result<()> {
        self.write_all(&bytes)
    }
}

impl Sink for Vec<u8> {}
impl<W: Write> Sink for io::BufWriter<W> {}

/// The pdf-writer reference of an object number.
pub fn typed_ref(id: ObjectId) -> io::Result<Ref> {
    i32::try_from(id.0)
        .ok()
        .filter(|n| *n > 0)
        .map(Ref::new)
        .ok_or_else(|| io::Error::other(format!("object number {} is out of range", id.0)))
}

/// Counts the bytes written so every object's offset is known for the cross-reference table.
struct Counting<W: Sink> {
    inner: W,
    pos: u64,
}

impl<W: Sink> Counting<W> {
    fn write_whole(&mut self, bytes: Bytes) -> io::Result<()> {
        let n = bytes.len() as u64;
        self.inner.write_whole(bytes)?;
        self.pos += n;
        Ok(())
    }
}

impl<W: Sink> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// How pdf-writer ends a compact stream object with empty content, and how it gives that
/// content's length (the dictionary's first entry, followed by the next name or its end).
const EMPTY_STREAM_END: &[u8] = b">>\nstream\n\nendstream\nendobj\n";
const LENGTH_0: &[u8] = b"/Length 0";

pub struct PdfWriter<W: Sink> {
    out: Counting<W>,
    /// Byte offset of each object, indexed by object number; `None` until written.
    offsets: Vec<Option<u64>>,
}

impl<W: Sink> PdfWriter<W> {
    pub fn new(out: W) -> io::Result<Self> {
        let mut out = Counting { inner: out, pos: 0 };
        // The binary comment tells transfer tools the file is not text.
        out.write_all(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(PdfWriter { out, offsets: vec![None] })
    }

    /// Bytes written so far.
    pub fn position(&self) -> u64 {
        self.out.pos
    }

    /// Reserves an object number to be written later (or now).
    pub fn alloc(&mut self) -> ObjectId {
        self.offsets.push(None);
        ((self.offsets.len() - 1) as u32, 0)
    }

    /// Writes one object under a reserved number.
    pub fn write(&mut self, id: ObjectId, object: &Object) -> io::Result<()> {
        self.place(id)?;
        writeln!(self.out, "{} 0 obj", id.0)?;
        if let Object::Stream(s) = object {
            self.write_stream_body(&s.dict, &s.content)?;
        } else {
            lopdf::Writer::write_object(&mut self.out, object)?;
        }
        self.out.write_all(b"\nendobj\n")
    }

    /// Writes one object made with pdf-writer's typed writers: `make` writes the object `id`,
    /// and nothing else, into a fresh chunk, which goes to the file at once.
    pub fn typed(&mut self, id: ObjectId, make: impl FnOnce(&mut Chunk, Ref)) -> io::Result<()> {
        let r = typed_ref(id)?;
        // Compact, as lopdf writes the copied objects.
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        make(&mut chunk, r);
        if chunk.refs().ne([r]) {
            return Err(io::Error::other(format!("internal error: object {} was not written alone", id.0)));
        }
        self.place(id)?;
        self.out.write_all(chunk.as_bytes())
    }

    /// Writes a stream object made with pdf-writer's typed writers, the same bytes as
    /// [`PdfWriter::typed`] makes, with `data` as its content: `make` writes the object `id`
    /// with the empty content it is given, and `data` goes to the file after the dictionary
    /// instead of through the chunk, handed over whole (`Sink::write_whole`): a photo's
    /// megabytes are not copied on their way to the file.
    pub fn typed_stream(&mut self, id: ObjectId, data: &Bytes, make: impl FnOnce(&mut Chunk, Ref, &[u8])) -> io::Result<()> {
        let r = typed_ref(id)?;
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        make(&mut chunk, r, &[]);
        let bytes = chunk.as_bytes();
        let head = bytes.strip_suffix(EMPTY_STREAM_END).filter(|_| chunk.refs().eq([r]));
        // The dictionary's first entry is the `/Length` pdf-writer gives the empty content.
        let length = head.and_then(|h| h.windows(LENGTH_0.len()).position(|w| w == LENGTH_0).map(|at| (h, at)));
        let Some((head, at)) = length else {
            return Err(io::Error::other(format!("internal error: object {} is not one stream", id.0)));
        };
        self.place(id)?;
        self.out.write_all(&head[..at])?;
        write!(self.out, "/Length {}", data.len())?;
        self.out.write_all(&head[at + LENGTH_0.len()..])?;
        self.out.write_all(b">>\nstream\n")?;
        self.out.write_whole(data.clone())?;
        self.out.write_all(b"\nendstream\nendobj\n")
    }

    /// [`PdfWriter::write`], taking the object: a stream's content is handed over whole
    /// (`Sink::write_whole`), not copied on its way to the file.
    pub fn write_owned(&mut self, id: ObjectId, object: Object) -> io::Result<()> {
        let Object::Stream(mut s) = object else { return self.write(id, &object) };
        self.place(id)?;
        writeln!(self.out, "{} 0 obj", id.0)?;
        self.stream_head(std::mem::take(&mut s.dict), s.content.len())?;
        self.out.write_whole(Bytes::from(s.content))?;
        self.out.write_all(b"\nendstream\nendobj\n")
    }

    /// Writes a stream object; `/Length` is set from the content, whatever the dictionary said.
    pub fn write_stream(&mut self, id: ObjectId, dict: Dictionary, content: &[u8]) -> io::Result<()> {
        self.place(id)?;
        writeln!(self.out, "{} 0 obj", id.0)?;
        self.write_stream_body(&dict, content)?;
        self.out.write_all(b"\nendobj\n")
    }

    fn write_stream_body(&mut self, dict: &Dictionary, content: &[u8]) -> io::Result<()> {
        self.stream_head(dict.clone(), content.len())?;
        self.out.write_all(content)?;
        self.out.write_all(b"\nendstream")
    }

    /// A stream's dictionary, its `/Length` set to `len`, and the `stream` keyword.
    fn stream_head(&mut self, mut dict: Dictionary, len: usize) -> io::Result<()> {
        dict.set("Length", len as i64);
        lopdf::Writer::write_object(&mut self.out, &Object::Dictionary(dict))?;
        self.out.write_all(b"\nstream\n")
    }

    /// Notes that object `id`, reserved before, starts here.
    fn place(&mut self, id: ObjectId) -> io::Result<()> {
        let slot = self.offsets.get_mut(id.0 as usize).ok_or_else(|| io::Error::other("object number was not reserved"))?;
        *slot = Some(self.out.pos);
        Ok(())
    }

    /// Writes the cross-reference table and trailer, and returns the underlying writer.
    /// Every reserved object must have been written.
    pub fn finish(mut self, root: ObjectId, info: ObjectId, file_id: [u8; 16]) -> io::Result<W> {
        if let Some(missing) = self.offsets.iter().skip(1).position(|o| o.is_none()) {
            return Err(io::Error::other(format!("internal error: object {} was reserved but never written", missing + 1)));
        }
        let xref_at = self.out.pos;
        write!(self.out, "xref\n0 {}\n0000000000 65535 f \n", self.offsets.len())?;
        for off in self.offsets.iter().skip(1) {
            writeln!(self.out, "{:010} 00000 n ", off.unwrap_or(0))?;
        }
        let mut trailer = Dictionary::new();
        trailer.set("Size", self.offsets.len() as i64);
        trailer.set("Root", root);
        trailer.set("Info", info);
        let id = Object::String(file_id.to_vec(), lopdf::StringFormat::Hexadecimal);
        trailer.set("ID", vec![id.clone(), id]);
        self.out.write_all(b"trailer\n")?;
        lopdf::Writer::write_object(&mut self.out, &Object::Dictionary(trailer))?;
        write!(self.out, "\nstartxref\n{xref_at}\n%%EOF\n")?;
        self.out.flush()?;
        Ok(self.out.inner)
    }
}

/// Flate (zlib) compression for generated streams: level 6, deterministic output. Each thread
/// keeps one compressor and resets it between streams: making one allocates and clears some
/// 300 KB, which for a page's stamp of a few hundred bytes cost more than compressing it.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    use flate2::{write::ZlibEncoder, Compression};
    thread_local! {
        static ENCODER: std::cell::RefCell<Option<ZlibEncoder<Vec<u8>>>> = const { std::cell::RefCell::new(None) };
    }
    ENCODER.with_borrow_mut(|e| {
        let e = e.get_or_insert_with(|| ZlibEncoder::new(Vec::new(), Compression::new(6)));
        *e.get_mut() = Vec::with_capacity(data.len() / 3 + 64);
        // Writing to a Vec cannot fail; `reset` finishes the stream and hands it back.
        let _ = e.write_all(data);
        e.reset(Vec::new()).unwrap_or_default()
    })
}

/// The packet's file, written and hashed on threads of their own: the build hands its bytes over
/// in chunks and goes on making the next ones, so the SHA-256 and the copy into the file take
/// none of its time. Each chunk goes to both threads at once, one writing it while the other
/// hashes it: the hash, the longer of the two, waits for a write (or for the disk's writeback a
/// write may start) only when more than `QUEUED` chunks wait to be written. At most `QUEUED` chunks wait for each thread, so memory stays
/// flat; a failed write stops the writing thread, and its error is what the next write or
/// [`Offloaded::finish`] returns. A run of at least `WHOLE` bytes handed over as it is
/// (`Sink::write_whole`: a photo's picture data, an exhibit's stream) goes as chunks of its
/// own, slices of it, not copied into chunks: it is already in memory, and stays there until
/// its last slice is written and hashed.
pub struct Offloaded {
    chunk: Vec<u8>,
    /// Chunks written and hashed, given back to be filled again.
    spare: mpsc::Receiver<Vec<u8>>,
    /// The threads, until they are waited for.
    running: Option<Running>,
}

/// The writing and hashing threads, and what feeds each.
struct Running {
    to_file: mpsc::SyncSender<Arc<Handed>>,
    to_hash: mpsc::SyncSender<Arc<Handed>>,
    writer: std::thread::JoinHandle<io::Result<u64>>,
    hasher: std::thread::JoinHandle<String>,
}

/// Bytes handed over at a time, and how many such chunks may wait for each thread.
const CHUNK: usize = 1 << 20;
const QUEUED: usize = 4;
/// The shortest run of bytes handed over whole rather than copied into a chunk.
const WHOLE: usize = 64 << 10;

/// A chunk handed to the threads: one filled here (given back to be filled again once
/// written and hashed), or bytes taken whole.
enum Handed {
    Filled(Vec<u8>),
    Whole(Bytes),
}

impl std::ops::Deref for Handed {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Handed::Filled(chunk) => chunk,
            Handed::Whole(bytes) => bytes,
        }
    }
}

/// Lets go of a chunk a thread is done with: the last of the two threads to be done gives a
/// filled chunk back to be filled again (the build may have finished and stopped taking
/// chunks back).
fn done_with(chunk: Arc<Handed>, give_back: &mpsc::Sender<Vec<u8>>) {
    if let Some(Handed::Filled(mut chunk)) = Arc::into_inner(chunk) {
        chunk.clear();
        let _ = give_back.send(chunk);
    }
}

/// Bytes written between two starts of the disk's writeback.
const WRITE_BACK: u64 = 8 << 20;

/// Starts the disk's writeback of `len` bytes of `file` from `offset`, without waiting for it,
/// so that the flush before the packet's rename (`AtomicFile::commit`, which stays) has little
/// left to wait for. On Linux `POSIX_FADV_DONTNEED` does this as
/// `sync_file_range(SYNC_FILE_RANGE_WRITE)` would (which has no safe binding, and the crate
/// forbids unsafe code): it starts writing the range's dirty pages, which stay cached while
/// being written (any already clean are let go of). Only advice: an error changes nothing but
/// the time the final flush takes.
#[cfg(target_os = "linux")]
fn start_writeback(file: &std::fs::File, offset: u64, len: u64) {
    let _ = rustix::fs::fadvise(file, offset, std::num::NonZeroU64::new(len), rustix::fs::Advice::DontNeed);
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_: &std::fs::File, _: u64, _: u64) {}

impl Offloaded {
    pub fn new(file: std::fs::File) -> Offloaded {
        let (give_back, spare) = mpsc::channel();
        let (to_file, chunks) = mpsc::sync_channel::<Arc<Handed>>(QUEUED);
        let (to_hash, hashed) = mpsc::sync_channel::<Arc<Handed>>(QUEUED);
        let back = give_back.clone();
        let writer = std::thread::spawn(move || write_chunks(file, chunks, &back));
        let hasher = std::thread::spawn(move || hash_chunks(hashed, &give_back));
        Offloaded { chunk: Vec::with_capacity(CHUNK), spare, running: Some(Running { to_file, to_hash, writer, hasher }) }
    }

    /// Hands the chunk to the threads and takes an empty one.
    fn hand_over(&mut self) -> io::Result<()> {
        let next = self.spare.try_recv().unwrap_or_else(|_| Vec::with_capacity(CHUNK));
        let full = std::mem::replace(&mut self.chunk, next);
        self.send(Handed::Filled(full))
    }

    fn send(&mut self, handed: Handed) -> io::Result<()> {
        let handed = Arc::new(handed);
        // The file first: a writer stopped at a failed write takes no more.
        let sent = self.running.as_ref().is_some_and(|r| r.to_file.send(Arc::clone(&handed)).is_ok() && r.to_hash.send(handed).is_ok());
        match sent {
            true => Ok(()),
            // The writer stopped at a failed write: its error.
            false => self.join().and_then(|_| Err(io::Error::other("the packet's file stopped being written"))),
        }
    }

    /// Waits for both threads: the bytes written and their SHA-256 (hex), or the write's error.
    fn join(&mut self) -> io::Result<(u64, String)> {
        let Some(Running { to_file, to_hash, writer, hasher }) = self.running.take() else {
            return Err(io::Error::other("the packet's file was already finished"));
        };
        // Without senders the threads finish what waits for them and end.
        drop((to_file, to_hash));
        let written = writer.join().unwrap_or_else(|_| Err(io::Error::other("the packet's file writer stopped unexpectedly")));
        let sha256 = hasher.join().map_err(|_| io::Error::other("the packet's hash stopped unexpectedly"));
        Ok((written?, sha256?))
    }

    /// Writes what is left and waits for it: the bytes written and their SHA-256 (hex). The
    /// file is not flushed to disk here (`AtomicFile::commit` does that).
    pub fn finish(mut self) -> io::Result<(u64, String)> {
        if !self.chunk.is_empty() {
            self.hand_over()?;
        }
        self.join()
    }
}

/// Writes each chunk to `file`, starting the disk's writeback every [`WRITE_BACK`] bytes; the
/// bytes written, or the first failed write's error.
fn write_chunks(mut file: std::fs::File, chunks: mpsc::Receiver<Arc<Handed>>, give_back: &mpsc::Sender<Vec<u8>>) -> io::Result<u64> {
    let (mut bytes, mut written_back) = (0, 0);
    for chunk in chunks {
        file.write_all(&chunk)?;
        bytes += chunk.len() as u64;
        if bytes - written_back >= WRITE_BACK {
            start_writeback(&file, written_back, bytes - written_back);
            written_back = bytes;
        }
        done_with(chunk, give_back);
    }
    file.flush()?;
    Ok(bytes)
}

/// The SHA-256 (hex) of the chunks in order.
fn hash_chunks(chunks: mpsc::Receiver<Arc<Handed>>, give_back: &mpsc::Sender<Vec<u8>>) -> String {
    let mut hasher = sha2::Sha256::default();
    for chunk in chunks {
        sha2::Digest::update(&mut hasher, &**chunk);
        done_with(chunk, give_back);
    }
    super::hex(&sha2::Digest::finalize(hasher))
}

impl Write for Offloaded {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(CHUNK - self.chunk.len());
        self.chunk.extend_from_slice(&buf[..n]);
        if self.chunk.len() == CHUNK {
            self.hand_over()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Sink for Offloaded {
    /// A long run goes as chunks of its own (slices of it, none over `CHUNK`: the build
    /// waits for the threads as it would for chunks it filled), after what the current chunk
    /// holds.
    fn write_whole(&mut self, bytes: Bytes) -> io::Result<()> {
        if bytes.len() < WHOLE {
            return self.write_all(&bytes);
        }
        if !self.chunk.is_empty() {
            self.hand_over()?;
        }
        (0..bytes.len()).step_by(CHUNK).try_for_each(|at| self.send(Handed::Whole(bytes.slice(at..bytes.len().min(at + CHUNK)))))
    }
}

impl Drop for Offloaded {
    /// A build stopped part-way waits for the threads, so nothing is written to the temporary
    /// file once its guard has removed it.
    fn drop(&mut self) {
        if self.running.is_some() {
            let _ = self.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn an_offloaded_file_holds_every_byte_in_order_with_their_hash() {
        let path = std::env::temp_dir().join(format!("redress-offloaded-{}", std::process::id()));
        let mut w = Offloaded::new(std::fs::File::create(&path).unwrap());
        // Writes small and larger than a chunk, across chunk boundaries.
        let bytes: Vec<u8> = (0..3 * CHUNK + 12345).map(|i| (i * 7 % 251) as u8).collect();
        let (mut at, mut size) = (0, 1);
        while at < bytes.len() {
            let end = (at + size).min(bytes.len());
            w.write_all(&bytes[at..end]).unwrap();
            (at, size) = (end, size * 3 % (2 * CHUNK) + 1);
        }
        let (count, sha256) = w.finish().unwrap();
        written_whole(&path, &bytes, (count, sha256));
    }

    /// The file at `path` (removed here) holds `bytes` in order, and `Offloaded` counted and
    /// hashed them.
    fn written_whole(path: &std::path::Path, bytes: &[u8], (count, sha256): (u64, String)) {
        let written = std::fs::read(path).unwrap();
        std::fs::remove_file(path).unwrap();
        assert_eq!((count, written.len()), (bytes.len() as u64, bytes.len()));
        assert!(written == bytes, "every byte in order");
        assert_eq!(sha256, super::super::hex(&Sha256::digest(bytes)));
    }

    #[test]
    fn runs_handed_over_whole_keep_their_place_and_hash_and_are_not_recycled() {
        let path = std::env::temp_dir().join(format!("redress-offloaded-whole-{}", std::process::id()));
        let mut w = Offloaded::new(std::fs::File::create(&path).unwrap());
        let mut bytes = Vec::new();
        // Copied writes between runs taken whole, short ones copied too, one past a chunk.
        for (k, size) in [10, WHOLE, 3, WHOLE - 1, CHUNK + 7, 0, 2 * CHUNK + 5, WHOLE + 1, 1].into_iter().enumerate() {
            let run: Vec<u8> = (0..size).map(|i| (i * 13 + k * 7) as u8).collect();
            if k % 2 == 0 {
                w.write_all(&run).unwrap();
            } else {
                w.write_whole(Bytes::from(run.clone())).unwrap();
            }
            bytes.extend_from_slice(&run);
        }
        w.hand_over().unwrap();
        let (count, sha256) = w.join().unwrap();
        // Only chunks filled here come back to be filled again, each empty and of its size.
        let spare: Vec<Vec<u8>> = w.spare.try_iter().collect();
        assert!(!spare.is_empty() && spare.iter().all(|c| c.is_empty() && c.capacity() == CHUNK), "{}", spare.len());
        written_whole(&path, &bytes, (count, sha256));
    }

    #[test]
    fn a_stream_taken_whole_is_the_stream_written_from_its_object() {
        let dict = lopdf::dictionary! { "Filter" => "FlateDecode", "Length" => 3 };
        for content in [vec![], b"0 0 m".to_vec(), vec![7; WHOLE + 3]] {
            let stream = Object::Stream(lopdf::Stream::new(dict.clone(), content));
            let (mut copied, mut whole) = (PdfWriter::new(Vec::new()).unwrap(), PdfWriter::new(Vec::new()).unwrap());
            let (a, b) = (copied.alloc(), whole.alloc());
            copied.write(a, &stream).unwrap();
            whole.write_owned(b, stream).unwrap();
            assert!(copied.finish(a, a, [0; 16]).unwrap() == whole.finish(b, b, [0; 16]).unwrap());
        }
    }

    #[test]
    fn a_compressor_used_again_makes_the_bytes_a_new_one_makes() {
        use flate2::{write::ZlibEncoder, Compression};
        let fresh = |data: &[u8]| {
            let mut e = ZlibEncoder::new(Vec::new(), Compression::new(6));
            e.write_all(data).unwrap();
            e.finish().unwrap()
        };
        let long: Vec<u8> = (0..300_000u64).map(|i| (i * i / 7 % 251) as u8).collect();
        for data in [&b"q 1 0 0 1 0 0 cm BT /F1 8 Tf (HAYES-000001) Tj ET Q"[..], &[], &long, b"0 0 m 10 10 l S", &long[..70_000]] {
            assert!(deflate(data) == fresh(data), "{} bytes", data.len());
        }
    }

    #[test]
    fn a_stream_written_after_its_dictionary_is_the_stream_pdf_writer_makes() {
        let photo: Vec<u8> = (0..70_000u32).map(|i| (i % 253) as u8).collect();
        let image = |c: &mut Chunk, r: Ref, data: &[u8]| {
            let mut x = c.image_xobject(r, data);
            x.width(4032).height(3024).bits_per_component(8);
            x.color_space().device_rgb();
            x.filter(pdf_writer::Filter::DctDecode);
        };
        let plain = |c: &mut Chunk, r: Ref, data: &[u8]| {
            c.stream(r, data);
        };
        for make in [&image as &dyn Fn(&mut Chunk, Ref, &[u8]), &plain] {
            for data in [&photo[..], b"", b"0"] {
                let (mut once, mut after) = (PdfWriter::new(Vec::new()).unwrap(), PdfWriter::new(Vec::new()).unwrap());
                let (a, b) = (once.alloc(), after.alloc());
                once.typed(a, |c, r| make(c, r, data)).unwrap();
                after.typed_stream(b, &Bytes::copy_from_slice(data), make).unwrap();
                let (once, after) = (once.finish(a, a, [0; 16]).unwrap(), after.finish(b, b, [0; 16]).unwrap());
                assert!(once == after, "{}", String::from_utf8_lossy(&after[..after.len().min(200)]));
            }
        }
    }

    #[test]
    fn a_failed_write_is_the_error_of_the_build() {
        // A file opened for reading only refuses every write.
        let path = std::env::temp_dir().join(format!("redress-offloaded-ro-{}", std::process::id()));
        std::fs::write(&path, b"").unwrap();
        let mut w = Offloaded::new(std::fs::File::open(&path).unwrap());
        let chunk = vec![1u8; CHUNK];
        let failed = (0..QUEUED + 4).find_map(|_| w.write_all(&chunk).err());
        std::fs::remove_file(&path).unwrap();
        assert!(failed.is_some_and(|e| e.raw_os_error().is_some()), "the system's own error comes back");
    }
}
