//! CCITT Group 3 fax pages in TIFF (compression 3, T.4: one-dimensional Modified Huffman rows or
//! two-dimensional rows coded against the row above, each row after an EOL), which the `tiff`
//! crate does not read: each strip is decoded here, within the memory ceiling, into rows of one
//! bit a pixel (a black pixel a 1 bit, as libtiff gives them), and the page is read from a copy
//! that holds its strips uncompressed. The run-length and mode codes are the `fax` crate's.

use fax::maps::{black, mode, white, Mode};
use fax::BitReader;

use super::lzma::Chunks;
use super::retag::{Entry, LONG};
use super::tiff::Layout;
use crate::import::Error;

/// TIFF's number for CCITT Group 3 compression.
pub(super) const GROUP_3: u64 = 3;

/// How a Group 3 page is coded: its T4Options (bit 0: rows may be two-dimensional) and
/// FillOrder (2: each byte's bits from the lowest).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Coding {
    pub t4_options: u64,
    pub fill_order: u64,
    /// Rows a strip holds (RowsPerStrip; all of them when the tag is absent).
    pub rows_per_strip: Option<u64>,
}

/// The page's strips decoded, to be appended to `file` at `base`, with the entries that point
/// the page at them and say they are uncompressed. `room` is how many bytes they may take.
pub(super) fn decompressed(
    file: &[u8],
    layout: Layout,
    chunks: Chunks,
    (width, height): (u32, u32),
    coding: Coding,
    (base, room): (u64, u64),
) -> Result<(Vec<u8>, Vec<Entry>), Error> {
    if chunks.tiles || coding.t4_options & 2 != 0 {
        return Err(Error::Unsupported(super::decode::unsupported_text("TIFF", "a fax coding")));
    }
    let damaged =
        || Error::Damaged("is a damaged TIFF: its Group 3 fax data cannot be decoded; get a fresh copy or have it sent again".into());
    let too_large = || Error::TooLarge("TIFF image is too large to decode safely".into());
    let offsets = super::tiff::values(file, layout, chunks.offsets).ok_or_else(damaged)?;
    let counts = super::tiff::values(file, layout, chunks.counts).ok_or_else(damaged)?;
    let row_bytes = usize::try_from(width.div_ceil(8)).map_err(|_| too_large())?;
    let total = (row_bytes as u64).checked_mul(u64::from(height)).filter(|&n| n <= room).ok_or_else(too_large)?;
    let per_strip = coding.rows_per_strip.unwrap_or(u64::from(height)).clamp(1, u64::from(height).max(1));
    if offsets.len() != counts.len() || (offsets.len() as u64) < u64::from(height).div_ceil(per_strip) {
        return Err(damaged());
    }
    let width = u16::try_from(width).map_err(|_| too_large())?;
    let mut out = Vec::with_capacity(usize::try_from(total).map_err(|_| too_large())?);
    let (mut starts, mut lengths) = (Vec::new(), Vec::new());
    let mut rows_left = u64::from(height);
    for (&at, &length) in offsets.iter().zip(&counts) {
        if rows_left == 0 {
            break;
        }
        let chunk = usize::try_from(at).ok().zip(usize::try_from(length).ok()).and_then(|(at, n)| file.get(at..at.checked_add(n)?));
        let chunk = chunk.ok_or_else(|| Error::Truncated("truncated TIFF: the file ends inside the image data".into()))?;
        let rows = rows_left.min(per_strip);
        let start = out.len();
        let data: Vec<u8> = if coding.fill_order == 2 { chunk.iter().map(|b| b.reverse_bits()).collect() } else { chunk.to_vec() };
        decode_strip(&data, width, rows, coding.t4_options & 1 != 0, &mut out).ok_or_else(damaged)?;
        rows_left -= rows;
        let offset = u32::try_from(base + start as u64).map_err(|_| too_large())?;
        starts.extend(layout.encode(u64::from(offset), 4));
        lengths.extend(layout.encode((out.len() - start) as u64, 4));
    }
    let count = starts.len() as u64 / 4;
    let entries = vec![
        Entry { tag: 273, kind: LONG, count, value: starts },
        Entry { tag: 279, kind: LONG, count, value: lengths },
        Entry::short(layout, 259, 1),
        Entry::short(layout, 266, 1),
    ];
    Ok((out, entries))
}

/// Decodes `rows` rows of one strip into `out`, each packed to whole bytes; `None` when the
/// data is damaged or ends early.
fn decode_strip(data: &[u8], width: u16, rows: u64, two_dimensional: bool, out: &mut Vec<u8>) -> Option<()> {
    let mut bits = Bits { data, at: 0 };
    let mut reference: Vec<u16> = Vec::new();
    for _ in 0..rows {
        // Each row after its EOL (fill bits before it, when the writer aligns them), and a
        // two-dimensional file's rows after a bit saying which coding the row has.
        bits.skip_eol();
        let one_dimensional = !two_dimensional || bits.take(1)? == 1;
        let changes = if one_dimensional { row_1d(&mut bits, width)? } else { row_2d(&mut bits, width, &reference)? };
        pack(&changes, width, out);
        reference = changes;
    }
    Some(())
}

/// One row of alternating white and black runs from the left edge.
fn row_1d(bits: &mut Bits, width: u16) -> Option<Vec<u16>> {
    let mut changes = Vec::new();
    let (mut at, mut black_run) = (0u16, false);
    while at < width {
        at = at.checked_add(run(bits, black_run)?).filter(|&a| a <= width)?;
        change(&mut changes, at, width)?;
        black_run = !black_run;
    }
    Some(changes)
}

/// One row coded against `reference` (the row above's changes of colour) by T.4's pass,
/// horizontal and vertical modes.
fn row_2d(bits: &mut Bits, width: u16, reference: &[u16]) -> Option<Vec<u16>> {
    let mut changes: Vec<u16> = Vec::new();
    let (mut a0, mut black_now, mut start) = (0u16, false, true);
    while a0 < width {
        // b1: the reference row's first change right of a0 to the colour opposite a0's; b2 the
        // one after it. A change at an even index turns the row black.
        let mut k = reference.partition_point(|&r| if start { false } else { r <= a0 });
        if (k % 2 == 1) != black_now {
            k += 1;
        }
        let b1 = reference.get(k).copied().unwrap_or(width);
        let b2 = reference.get(k + 1).copied().unwrap_or(width);
        match mode::decode(bits)? {
            Mode::Pass => a0 = b2,
            Mode::Vertical(delta) => {
                let a1 = u16::try_from(i32::from(b1) + i32::from(delta)).ok().filter(|&a| a <= width && (start || a > a0))?;
                change(&mut changes, a1, width)?;
                a0 = a1;
                black_now = !black_now;
            }
            Mode::Horizontal => {
                let a1 = a0.checked_add(run(bits, black_now)?).filter(|&a| a <= width)?;
                let a2 = a1.checked_add(run(bits, !black_now)?).filter(|&a| a <= width)?;
                change(&mut changes, a1, width)?;
                change(&mut changes, a2, width)?;
                a0 = a2;
            }
            Mode::Extension | Mode::EOF => return None,
        }
        start = false;
    }
    Some(changes)
}

/// Adds a change of colour at `at` (none at the row's end); two at one place (a run of no
/// pixels) cancel out, and one left of the last is damage.
fn change(changes: &mut Vec<u16>, at: u16, width: u16) -> Option<()> {
    match changes.last() {
        _ if at >= width => {}
        Some(&last) if at < last => return None,
        Some(&last) if at == last => {
            changes.pop();
        }
        _ => changes.push(at),
    }
    Some(())
}

/// One run: make-up codes of 64 pixels and more, then the terminating code under 64.
fn run(bits: &mut Bits, black_run: bool) -> Option<u16> {
    let mut sum: u16 = 0;
    loop {
        let n = if black_run { black::decode(bits)? } else { white::decode(bits)? };
        sum = sum.checked_add(n)?;
        if n < 64 {
            return Some(sum);
        }
    }
}

/// A row's changes of colour as packed bits, a black pixel a 1 bit.
fn pack(changes: &[u16], width: u16, out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + usize::from(width).div_ceil(8), 0);
    let row = &mut out[start..];
    let ends = changes.iter().copied().chain(std::iter::once(width));
    let mut from = 0u16;
    for (i, to) in ends.enumerate() {
        if i % 2 == 1 {
            for x in from..to {
                row[usize::from(x / 8)] |= 0x80 >> (x % 8);
            }
        }
        from = to;
    }
}

/// The strip's bits, read from the highest of each byte; past its end it reads zeros, so a
/// code near the end can be looked up, but none can be taken.
struct Bits<'a> {
    data: &'a [u8],
    at: usize,
}

impl Bits<'_> {
    fn bit(&self, i: usize) -> u16 {
        self.data.get(i / 8).map_or(0, |b| u16::from(b >> (7 - i % 8) & 1))
    }

    fn take(&mut self, n: u8) -> Option<u16> {
        let value = self.peek(n)?;
        self.consume(n).ok()?;
        Some(value)
    }

    /// Skips an EOL (eleven or more zero bits, then a one) if one comes next.
    fn skip_eol(&mut self) -> bool {
        let zeros = (self.at..self.data.len() * 8).take_while(|&i| self.bit(i) == 0).count();
        if zeros >= 11 && self.at + zeros < self.data.len() * 8 {
            self.at += zeros + 1;
            return true;
        }
        false
    }
}

impl BitReader for Bits<'_> {
    type Error = ();

    fn peek(&self, bits: u8) -> Option<u16> {
        (bits <= 16).then(|| (0..usize::from(bits)).fold(0, |v, i| v << 1 | self.bit(self.at + i)))
    }

    fn consume(&mut self, bits: u8) -> Result<(), ()> {
        let at = self.at + usize::from(bits);
        if at > self.data.len() * 8 {
            return Err(());
        }
        self.at = at;
        Ok(())
    }

    fn bits_to_byte_boundary(&self) -> u8 {
        ((8 - self.at % 8) % 8) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_packs_its_black_runs_as_one_bits() {
        let mut out = Vec::new();
        pack(&[2, 5, 9], 12, &mut out);
        assert_eq!(out, [0b0011_1000, 0b0111_0000]);
    }

    #[test]
    fn damaged_data_is_refused_never_guessed() {
        // Nothing but zeros: no row can be read from it.
        assert!(decode_strip(&[0; 8], 16, 1, false, &mut Vec::new()).is_none());
        // A white run of 16 alone on an 8-pixel row overruns it.
        let mut out = Vec::new();
        assert!(decode_strip(&[0x00, 0x1A, 0xA8], 8, 1, false, &mut out).is_none());
    }
}
