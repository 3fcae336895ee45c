//! The encrypted file format: a header (a magic line saying the file is encrypted, then the
//! STREAM nonce prefix), then the content in chunks of [`CHUNK`] bytes, each sealed with
//! XChaCha20-Poly1305 under the nonce prefix and its position, the last one marked last. A
//! reordered, removed, altered or cut-short chunk fails to decrypt. Written and read as a
//! stream: nothing holds more than one chunk.
//!
//! The header lets a store half-way through a switch be read: a file that does not begin
//! with [`MAGIC`] is plain.

use super::{random, FileKey};
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{KeyInit, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

/// How every encrypted file begins.
pub const MAGIC: &[u8] = b"redress-encrypted-v1\n";
/// The STREAM nonce prefix: XChaCha20's 24-byte nonce less 5 bytes of counter and last flag.
const PREFIX: usize = 19;
/// The plaintext of one chunk.
pub const CHUNK: usize = 64 * 1024;
/// Poly1305's tag after each chunk.
const TAG: usize = 16;
/// Bytes an encrypted file has beyond its content's: the header and a tag per chunk.
pub fn overhead(plain: u64) -> u64 {
    (MAGIC.len() + PREFIX) as u64 + (plain / CHUNK as u64 + 1) * TAG as u64
}

/// Writes the encrypted form of what is written to it into `inner`; [`EncryptWriter::finish`]
/// seals the last chunk (without it the file does not decrypt).
pub struct EncryptWriter<W: Write> {
    inner: W,
    cipher: Option<EncryptorBE32<XChaCha20Poly1305>>,
    buf: Vec<u8>,
}

impl<W: Write> EncryptWriter<W> {
    /// Writes the header into `inner`.
    pub fn new(key: &FileKey, mut inner: W) -> io::Result<EncryptWriter<W>> {
        let mut prefix = [0u8; PREFIX];
        random(&mut prefix)?;
        inner.write_all(MAGIC)?;
        inner.write_all(&prefix)?;
        let aead = XChaCha20Poly1305::new(key.bytes().into());
        let cipher = EncryptorBE32::from_aead(aead, (&prefix).into());
        Ok(EncryptWriter { inner, cipher: Some(cipher), buf: Vec::with_capacity(CHUNK) })
    }

    /// Seals the last chunk and gives back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        let cipher = self.cipher.take().ok_or_else(|| io::Error::other("the file was already sealed"))?;
        let sealed = cipher.encrypt_last(Payload { msg: &self.buf, aad: MAGIC }).map_err(|_| sealing())?;
        self.inner.write_all(&sealed)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for EncryptWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = data.len().min(CHUNK - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() == CHUNK {
            let cipher = self.cipher.as_mut().ok_or_else(|| io::Error::other("the file was already sealed"))?;
            let sealed = cipher.encrypt_next(Payload { msg: &self.buf, aad: MAGIC }).map_err(|_| sealing())?;
            self.inner.write_all(&sealed)?;
            self.buf.clear();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn sealing() -> io::Error {
    io::Error::other("a chunk could not be encrypted")
}

/// Reads the content of an encrypted file, checking each chunk as it comes; a chunk that fails
/// is an error of kind [`io::ErrorKind::InvalidData`].
pub struct DecryptReader<R: Read> {
    inner: R,
    cipher: Option<DecryptorBE32<XChaCha20Poly1305>>,
    plain: Vec<u8>,
    at: usize,
    sealed: Vec<u8>,
}

impl<R: Read> DecryptReader<R> {
    /// Reads the header from `inner`: a file without one is [`io::ErrorKind::InvalidData`].
    pub fn new(key: &FileKey, mut inner: R) -> io::Result<DecryptReader<R>> {
        let mut header = [0u8; MAGIC.len() + PREFIX];
        read_full(&mut inner, &mut header).and_then(|n| if n == header.len() { Ok(()) } else { Err(invalid()) })?;
        if &header[..MAGIC.len()] != MAGIC {
            return Err(invalid());
        }
        let prefix = &header[MAGIC.len()..];
        let aead = XChaCha20Poly1305::new(key.bytes().into());
        let cipher = DecryptorBE32::from_aead(aead, prefix.into());
        Ok(DecryptReader { inner, cipher: Some(cipher), plain: Vec::new(), at: 0, sealed: vec![0; CHUNK + TAG] })
    }

    /// Decrypts the next chunk into `plain`; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        let Some(mut cipher) = self.cipher.take() else {
            return Ok(false);
        };
        let n = read_full(&mut self.inner, &mut self.sealed)?;
        let sealed = Payload { msg: &self.sealed[..n], aad: MAGIC };
        self.plain = if n == CHUNK + TAG {
            let p = cipher.decrypt_next(sealed).map_err(|_| invalid())?;
            self.cipher = Some(cipher);
            p
        } else {
            let p = cipher.decrypt_last(sealed).map_err(|_| invalid())?;
            // Nothing may follow the last chunk.
            if read_full(&mut self.inner, &mut [0u8; 1])? != 0 {
                return Err(invalid());
            }
            p
        };
        self.at = 0;
        Ok(true)
    }
}

impl<R: Read> Read for DecryptReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.plain.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = out.len().min(self.plain.len() - self.at);
        out[..n].copy_from_slice(&self.plain[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn invalid() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "the encrypted file is damaged or was encrypted under another key")
}

/// Reads until `buf` is full or the input ends; how many bytes were read.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Whether the file at `path` begins as an encrypted file does.
pub fn is_encrypted(path: &Path) -> io::Result<bool> {
    let mut head = [0u8; MAGIC.len()];
    let n = read_full(&mut File::open(path)?, &mut head)?;
    Ok(n == MAGIC.len() && head == MAGIC)
}

/// The content of the file at `path`: decrypted when it is encrypted and a key is given, as it
/// is otherwise.
pub fn open(path: &Path, key: Option<&FileKey>) -> io::Result<Box<dyn Read + Send>> {
    let file = File::open(path)?;
    match key {
        Some(key) if is_encrypted(path)? => Ok(Box::new(DecryptReader::new(key, io::BufReader::new(file))?)),
        _ => Ok(Box::new(file)),
    }
}

/// The whole content of the file at `path`, as [`open`] reads it.
pub fn read(path: &Path, key: Option<&FileKey>) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    open(path, key)?.read_to_end(&mut out)?;
    Ok(out)
}

/// Writes `bytes` to `path` atomically ([`crate::atomic`]), encrypted under `key` when one is
/// given.
pub fn write_atomically(path: &Path, bytes: &[u8], key: Option<&FileKey>) -> crate::Result<()> {
    let Some(key) = key else { return crate::atomic::write_atomically(path, bytes) };
    let mut out = crate::atomic::AtomicFile::create(path)?;
    EncryptWriter::new(key, &mut out.file)
        .and_then(|mut w| w.write_all(bytes).and_then(|_| w.finish()).map(|_| ()))
        .map_err(|e| out.error(e))?;
    out.commit()
}

/// Copies the file at `from` to `to` atomically: reading it decrypted when it is encrypted
/// (`from_key`), writing it encrypted when `to_key` is given.
pub fn copy_atomically(from: &Path, to: &Path, from_key: Option<&FileKey>, to_key: Option<&FileKey>) -> crate::Result<()> {
    let mut input = open(from, from_key).map_err(|e| crate::Error::io(from, e))?;
    let mut out = crate::atomic::AtomicFile::create(to)?;
    let copied = match to_key {
        None => io::copy(&mut input, &mut out.file).map(|_| ()),
        Some(key) => {
            EncryptWriter::new(key, &mut out.file).and_then(|mut w| io::copy(&mut input, &mut w).and_then(|_| w.finish()).map(|_| ()))
        }
    };
    copied.map_err(|e| if e.kind() == io::ErrorKind::InvalidData { crate::Error::io(from, e) } else { out.error(e) })?;
    out.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::DataKey;

    fn seal(key: &FileKey, plain: &[u8]) -> Vec<u8> {
        let mut w = EncryptWriter::new(key, Vec::new()).unwrap();
        // Uneven pieces, so chunk edges fall inside writes.
        for piece in plain.chunks(7777) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap()
    }

    fn unseal(key: &FileKey, sealed: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        DecryptReader::new(key, sealed)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn content_of_every_length_round_trips_and_hides_its_bytes() {
        let key = DataKey::random().unwrap().file_key();
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let sealed = seal(&key, &plain);
            assert_eq!(sealed.len() as u64, len as u64 + overhead(len as u64), "{len}");
            assert_eq!(unseal(&key, &sealed).unwrap(), plain, "{len}");
            if len > 64 {
                assert!(!sealed.windows(32).any(|w| w == &plain[10..42]));
            }
        }
    }

    #[test]
    fn a_changed_cut_or_extended_file_or_another_key_is_refused() {
        let key = DataKey::random().unwrap().file_key();
        let plain = vec![7u8; 2 * CHUNK + 100];
        let sealed = seal(&key, &plain);
        let mut flipped = sealed.clone();
        flipped[MAGIC.len() + PREFIX + CHUNK + 40] ^= 1;
        let cut_at_chunk = &sealed[..MAGIC.len() + PREFIX + 2 * (CHUNK + TAG)];
        let mut longer = sealed.clone();
        longer.push(0);
        for bad in [&flipped[..], cut_at_chunk, &sealed[..sealed.len() - 1], &longer[..], &sealed[..10]] {
            assert_eq!(unseal(&key, bad).unwrap_err().kind(), io::ErrorKind::InvalidData);
        }
        let other = DataKey::random().unwrap().file_key();
        assert_eq!(unseal(&other, &sealed).unwrap_err().kind(), io::ErrorKind::InvalidData);
    }
}
