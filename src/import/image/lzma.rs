//! LZMA-compressed TIFF pages (compression 34925, as libtiff writes them: each strip or tile an
//! .xz stream, its LZMA2 data behind a delta filter), which the `tiff` crate does not read: each
//! chunk is decompressed, within the memory ceiling, and the page is read from a copy that holds
//! its chunks uncompressed. The .xz container is read here (lzma-rs reads it too, but not the
//! delta filter), and each block's LZMA2 chunk headers are added up before anything is
//! decompressed, since the decoder holds a whole block in memory.

use std::io::{self, Write};

use super::retag::{Entry, LONG};
use super::tiff::Layout;
use crate::import::Error;

/// TIFF's number for LZMA2 compression.
pub(super) const LZMA: u64 = 34925;

/// Where a page keeps its chunks: the directory entries of their offsets and byte counts, and
/// whether they are tiles.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Chunks {
    pub offsets: u64,
    pub counts: u64,
    pub tiles: bool,
}

/// The page's chunks decompressed, to be appended to `file` at `base`, with the entries that
/// point the page at them and say they are uncompressed. `room` is how many bytes they may
/// take.
pub(super) fn decompressed(file: &[u8], layout: Layout, chunks: Chunks, base: u64, room: u64) -> Result<(Vec<u8>, Vec<Entry>), Error> {
    let damaged = || Error::Damaged("is a damaged TIFF: its LZMA-compressed image data cannot be decompressed; get a fresh copy".into());
    let offsets = super::tiff::values(file, layout, chunks.offsets).ok_or_else(damaged)?;
    let counts = super::tiff::values(file, layout, chunks.counts).ok_or_else(damaged)?;
    if offsets.len() != counts.len() {
        return Err(damaged());
    }
    let mut out = Capped { data: Vec::new(), room: usize::try_from(room).unwrap_or(usize::MAX), full: false };
    let (mut starts, mut lengths) = (Vec::new(), Vec::new());
    for (&at, &length) in offsets.iter().zip(&counts) {
        let chunk = usize::try_from(at).ok().zip(usize::try_from(length).ok()).and_then(|(at, n)| file.get(at..at.checked_add(n)?));
        let mut chunk = chunk.ok_or_else(|| Error::Truncated("truncated TIFF: the file ends inside the image data".into()))?;
        let start = out.data.len();
        match xz(&mut chunk, &mut out) {
            Some(Ok(())) => {}
            Some(Err(Unreadable::Filter)) => {
                return Err(Error::Unsupported(super::decode::unsupported_text("TIFF", "an LZMA filter")));
            }
            _ if out.full => return Err(Error::TooLarge("TIFF image is too large to decode safely".into())),
            _ => return Err(damaged()),
        }
        let offset = u32::try_from(base + start as u64).map_err(|_| Error::TooLarge("TIFF image is too large to decode safely".into()))?;
        starts.extend(layout.encode(u64::from(offset), 4));
        lengths.extend(layout.encode((out.data.len() - start) as u64, 4));
    }
    let (offsets_tag, counts_tag) = if chunks.tiles { (324, 325) } else { (273, 279) };
    let count = offsets.len() as u64;
    let entries = vec![
        Entry { tag: offsets_tag, kind: LONG, count, value: starts },
        Entry { tag: counts_tag, kind: LONG, count, value: lengths },
        Entry::short(layout, 259, 1),
    ];
    Ok((out.data, entries))
}

/// Why an .xz stream was not decompressed, besides damage.
enum Unreadable {
    /// A filter other than delta and LZMA2 (the branch converters for program code).
    Filter,
    /// Its data would take more than the room left.
    Room,
}

/// Decompresses one .xz stream into `out`: `None` when it is damaged.
fn xz(input: &mut &[u8], out: &mut Capped) -> Option<Result<(), Unreadable>> {
    let stream = *input;
    let header = take(input, 12)?;
    if !header.starts_with(&[0xFD, b'7', b'z', b'X', b'Z', 0]) {
        return None;
    }
    let check = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64][usize::from(header[7] & 15)];
    // Blocks until the index, whose indicator is a zero byte.
    while *input.first()? != 0 {
        let size = (usize::from(input[0]) + 1) * 4;
        let block_header = take(input, size)?;
        let distance = match filters(block_header)? {
            Ok(distance) => distance,
            Err(unreadable) => return Some(Err(unreadable)),
        };
        if lzma2_size(input)? > out.room as u64 {
            out.full = true;
            return Some(Err(Unreadable::Room));
        }
        let start = out.data.len();
        lzma_rs::lzma2_decompress(input, out).ok()?;
        if let Some(distance) = distance {
            for i in start + distance..out.data.len() {
                out.data[i] = out.data[i].wrapping_add(out.data[i - distance]);
            }
        }
        // Block padding to four bytes, then the check (not verified: TIFF writes none).
        let used = stream.len() - input.len();
        take(input, used.next_multiple_of(4) - used + check)?;
    }
    Some(Ok(()))
}

fn take<'a>(input: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (taken, rest) = input.split_at_checked(n)?;
    *input = rest;
    Some(taken)
}

/// A block header's filter chain: `Ok` with the delta filter's distance when there is one, as
/// long as the chain ends in LZMA2 and holds nothing else.
fn filters(header: &[u8]) -> Option<Result<Option<usize>, Unreadable>> {
    let flags = *header.get(1)?;
    let mut at = 2;
    let number = |at: &mut usize| -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..63).step_by(7) {
            let byte = *header.get(*at)?;
            *at += 1;
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    };
    // The sizes a writer may note; the LZMA2 chunks say them anyway.
    for present in [flags & 0x40 != 0, flags & 0x80 != 0] {
        if present {
            number(&mut at)?;
        }
    }
    let mut distance = None;
    for index in 0..=flags & 3 {
        let (id, size) = (number(&mut at)?, number(&mut at)?);
        let properties = header.get(at..at + usize::try_from(size).ok()?)?;
        at += properties.len();
        match (id, properties, index == flags & 3) {
            (0x03, &[d], false) => distance = Some(usize::from(d) + 1),
            (0x21, &[_], true) => {}
            _ => return Some(Err(Unreadable::Filter)),
        }
    }
    Some(Ok(distance))
}

/// How many bytes a block's LZMA2 data holds decompressed, from its chunk headers.
fn lzma2_size(data: &[u8]) -> Option<u64> {
    let (mut at, mut total) = (0usize, 0u64);
    loop {
        let control = *data.get(at)?;
        let word = |i: usize| Some(usize::from(u16::from_be_bytes([*data.get(at + i)?, *data.get(at + i + 1)?])));
        match control {
            0 => return Some(total),
            1 | 2 => {
                let size = word(1)? + 1;
                total += size as u64;
                at += 3 + size;
            }
            0x80.. => {
                total += ((usize::from(control & 0x1F) << 16) + word(1)? + 1) as u64;
                at += 5 + usize::from(control >= 0xC0) + word(3)? + 1;
            }
            _ => return None,
        }
    }
}

/// A buffer that refuses to grow past its room: a few bytes of LZMA can claim gigabytes.
struct Capped {
    data: Vec<u8>,
    room: usize,
    full: bool,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.len() > self.room {
            self.full = true;
            return Err(io::ErrorKind::OutOfMemory.into());
        }
        self.room -= buf.len();
        self.data.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
