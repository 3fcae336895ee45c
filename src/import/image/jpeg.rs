//! JPEG passthrough: walks the marker structure, keeps what decoding needs and drops metadata.

use super::scan::{self, ScanEnd};
use super::{check_pixels, metadata, not_the_format, verify, ColorSpace, Encoding, ImageFormat, Limits, Photo, PictureCheck, PixelShape};
use crate::import::Error;
use bytes::Bytes;
use std::borrow::Cow;
use std::ops::Range;

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const DQT: u8 = 0xDB;
const DNL: u8 = 0xDC;
const DRI: u8 = 0xDD;
const DHT: u8 = 0xC4;
const DAC: u8 = 0xCC;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP14: u8 = 0xEE;
const JPEG_LS: u8 = 0xF7;

/// What the frame header (SOFn) says about the picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Frame {
    pub width: u16,
    pub height: u16,
    pub components: u8,
    pub precision: u8,
    /// SOF2: the picture arrives in several scans, each refining the last.
    pub progressive: bool,
}

/// A JPEG with its metadata removed, plus what was learnt on the way.
pub(super) struct Stripped {
    /// The stripped JPEG, in order: bytes made here (the kept header segments, the end marker)
    /// and ranges of the original (each scan's entropy-coded data, not copied by the strip).
    pub pieces: Vec<Piece>,
    pub frame: Frame,
    /// An Adobe APP14 segment was present (it says how colours were transformed).
    pub adobe: bool,
    /// Where the TIFF structure of the first EXIF APP1 segment lies in the original, found
    /// before the segment was dropped.
    pub exif: Option<Range<usize>>,
    /// The pixel density the JFIF header gives (across, down), where it says something: a unit,
    /// or unequal numbers (a ratio alone).
    pub jfif: Option<(f64, f64)>,
    /// The walk ahead (`scan::walk_ahead`) found the scan whole, its end where the strip takes
    /// it to be, and the strip dropped only segments the walk passes over, each right after
    /// the one before it: the stripped JPEG walks the same.
    pub walked_whole: bool,
    /// A JPEG of one scan: where its entropy-coded data lies in the original and whether its
    /// restart markers came in turn, as a verdict keeps it so that the strip of the same bytes
    /// need not look through them again (`Photo::scan`).
    pub scan: Option<ScanEnd>,
}

/// A piece of a stripped JPEG.
pub(super) enum Piece {
    Made(Vec<u8>),
    Original(Range<usize>),
}

fn piece<'a>(p: &'a Piece, bytes: &'a [u8]) -> &'a [u8] {
    match p {
        Piece::Made(made) => made,
        Piece::Original(range) => bytes.get(range.clone()).unwrap_or_default(),
    }
}

impl Stripped {
    /// The stripped JPEG's length, from `bytes`, the original it was stripped from.
    fn len(&self, bytes: &[u8]) -> usize {
        self.pieces.iter().map(|p| piece(p, bytes).len()).sum()
    }

    /// The stripped JPEG copied together from `bytes`, the original it was stripped from.
    pub fn to_vec(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len(bytes));
        self.pieces.iter().for_each(|p| out.extend_from_slice(piece(p, bytes)));
        out
    }

    /// The stripped JPEG, from the original it was stripped from. A JPEG of one scan given as
    /// its own buffer is made in it: its kept headers written just before the scan's data and
    /// the end marker just after, so the picture data is not copied (unless more than half
    /// the buffer would be left unused, as behind a phone's appended video).
    pub fn into_bytes(self, bytes: Cow<'_, [u8]>) -> Bytes {
        let mut bytes = match bytes {
            Cow::Owned(bytes) => bytes,
            Cow::Borrowed(bytes) => return Bytes::from(self.to_vec(bytes)),
        };
        if let [Piece::Made(head), Piece::Original(data), Piece::Made(tail)] = self.pieces.as_slice() {
            let (from, to) = (data.start.wrapping_sub(head.len()), data.end + tail.len());
            if head.len() <= data.start && to <= bytes.len() && 2 * (to - from) >= bytes.len() {
                bytes[from..data.start].copy_from_slice(head);
                bytes[data.end..to].copy_from_slice(tail);
                bytes.truncate(to);
                return Bytes::from(bytes).slice(from..);
            }
        }
        Bytes::from(self.to_vec(&bytes))
    }
}

pub(super) fn open(bytes: &[u8], limits: &Limits) -> Result<Photo, Error> {
    open_checked(Cow::Borrowed(bytes), limits, PictureCheck::Full)
}

/// Opens a JPEG, its picture checked unless `check` says these very bytes passed the check
/// before (`verify::check_jpeg`: its verdict kept by content); then the markers and the frame
/// are read as always and the picture is not walked again, its scan's end taken from the
/// verdict where it kept one. Given its own buffer, the photo is made in it.
pub(super) fn open_checked(bytes: Cow<'_, [u8]>, limits: &Limits, check: PictureCheck) -> Result<Photo, Error> {
    let (known, full) = match check {
        // Walked as it arrives, so that the strip need not look through the scan for its end.
        PictureCheck::Full => (scan::walk_ahead(&bytes), true),
        PictureCheck::KnownWhole(kept) => (kept, false),
    };
    let stripped = strip_with(&bytes, known)?;
    let frame = stripped.frame;
    check_pixels(u32::from(frame.width), u32::from(frame.height), limits)?;
    // Read before the photo is made, which may be in these very bytes.
    let facts = stripped.exif.clone().and_then(|exif| bytes.get(exif)).map(metadata::read).unwrap_or_default();
    // The JPEG's own header first, as readers that size a page by it do; else its EXIF.
    let pixel = stripped.jfif.map_or(facts.pixel, |(across, down)| PixelShape::from_density(across, down));
    let (adobe, walked_whole, scan) = (stripped.adobe, stripped.walked_whole, stripped.scan);
    let data = stripped.into_bytes(bytes);
    if full {
        verify::check_jpeg(&data, frame, limits, walked_whole)?;
    }
    let color = match frame.components {
        1 => ColorSpace::Gray,
        3 => ColorSpace::Rgb,
        _ => ColorSpace::Cmyk,
    };
    Ok(Photo {
        width: u32::from(frame.width),
        height: u32::from(frame.height),
        // Photoshop writes Adobe CMYK (and YCCK) JPEGs inverted; every PDF reader expects the
        // writer to say so with /Decode, as Ghostscript, MuPDF and pdf.js do.
        invert_cmyk: color == ColorSpace::Cmyk && adobe,
        color,
        bits_per_component: frame.precision,
        encoding: Encoding::Dct,
        data,
        alpha: None,
        orientation: facts.orientation,
        pixel,
        taken: facts.taken,
        scan,
    })
}

/// `open` for a JPEG whose very bytes passed `verify::check_jpeg` before, with no scan's end
/// kept. Tests of the marker walk use it, on JPEGs made by hand whose scan bytes are
/// placeholders no decoder reads.
#[cfg(test)]
pub(super) fn open_known_whole(bytes: &[u8], limits: &Limits) -> Result<Photo, Error> {
    open_checked(Cow::Borrowed(bytes), limits, PictureCheck::KnownWhole(None))
}

/// Returns the JPEG with every metadata segment removed and the compressed picture untouched.
///
/// Kept: SOI, APP0 JFIF (without its thumbnail), APP14 Adobe, DQT, DHT, DAC, DRI, DNL, the frame
/// header, every scan header and its entropy-coded data byte for byte, and EOI. Dropped: all
/// other APPn segments (EXIF and XMP in APP1, ICC profiles and MPF in APP2, Photoshop/IPTC in
/// APP13…), comments, and anything after the end-of-image marker (cameras append preview images
/// and videos there, with their own EXIF).
pub fn strip_jpeg_metadata(jpeg: &[u8]) -> Result<Vec<u8>, Error> {
    strip(jpeg).map(|stripped| stripped.to_vec(jpeg))
}

/// [`strip_jpeg_metadata`], or `None` where it would remove nothing (the JPEG is then not
/// copied: a scanned page's picture in a PDF mostly has nothing to remove).
pub fn strip_jpeg_metadata_if_any(jpeg: &[u8]) -> Result<Option<Vec<u8>>, Error> {
    let stripped = strip(jpeg)?;
    Ok((stripped.len(jpeg) < jpeg.len()).then(|| stripped.to_vec(jpeg)))
}

pub(super) fn strip(bytes: &[u8]) -> Result<Stripped, Error> {
    strip_with(bytes, None)
}

/// `strip`, taking the scan's end from `known` (the walk ahead's, or one a verdict kept) where
/// that is where the data ends, instead of looking through the data for it.
pub(super) fn strip_with(bytes: &[u8], known: Option<ScanEnd>) -> Result<Stripped, Error> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return Err(not_the_format(ImageFormat::Jpeg, bytes));
    }
    let mut kept = Kept::new();
    let mut pos = 2;
    loop {
        let marker = next_marker(bytes, pos, !kept.scans.is_empty())?;
        kept.next_to_each_other &= marker.adjacent;
        pos = match marker.code {
            EOI => return kept.finish(),
            code => kept.take(bytes, code, marker.after, known)?,
        };
    }
}

/// A marker between segments: its code, where what follows it starts, and whether it came right
/// after the segment before it (no stray bytes, no fill).
struct Marker {
    code: u8,
    after: usize,
    adjacent: bool,
}

/// The next marker from `pos`, where the segment before it ends. Like libjpeg, stray bytes
/// between segments are skipped rather than the file refused (they are not copied); a marker
/// may be preceded by any number of 0xFF fill bytes. `scanned`: a scan came before, so what is
/// missing is the end-of-image marker.
fn next_marker(bytes: &[u8], pos: usize, scanned: bool) -> Result<Marker, Error> {
    let mut at = pos;
    while bytes.get(at).is_some_and(|&b| b != 0xFF) {
        at += 1;
    }
    while bytes.get(at) == Some(&0xFF) {
        at += 1;
    }
    match bytes.get(at) {
        Some(&code) => Ok(Marker { code, after: at + 1, adjacent: at == pos + 1 }),
        None if scanned => Err(Error::Truncated("truncated JPEG: no end-of-image marker".into())),
        None => Err(Error::Truncated("truncated JPEG: the file ends before the image data".into())),
    }
}

/// The payload of the segment whose length field is at `pos` (just after its marker), and
/// where the segment ends.
fn segment_at(bytes: &[u8], pos: usize) -> Result<(&[u8], usize), Error> {
    let length = match bytes.get(pos..pos + 2) {
        Some(&[hi, lo]) => usize::from(u16::from_be_bytes([hi, lo])),
        _ => return Err(Error::Truncated("truncated JPEG: the file ends inside a segment header".into())),
    };
    if length < 2 {
        return Err(Error::Damaged(format!("corrupt JPEG: a segment at offset {} has an impossible length", pos - 2)));
    }
    let end = pos + length;
    match bytes.get(pos + 2..end) {
        Some(payload) => Ok((payload, end)),
        None => Err(Error::Truncated("truncated JPEG: a header segment runs past the end of the file".into())),
    }
}

/// What the strip has kept so far, segment by segment.
struct Kept {
    /// Header bytes kept since the last scan's data.
    out: Vec<u8>,
    pieces: Vec<Piece>,
    scans: Vec<ScanEnd>,
    frame: Option<Frame>,
    adobe: bool,
    exif: Option<Range<usize>>,
    jfif: Option<(f64, f64)>,
    /// Whether each segment came right after the one before, none of them one the walk reads
    /// otherwise than the strip (a lone marker, JPG).
    next_to_each_other: bool,
    /// The walk's end of a scan was taken.
    walked: bool,
}

impl Kept {
    fn new() -> Kept {
        let mut out = Vec::with_capacity(4096);
        out.extend_from_slice(&[0xFF, SOI]);
        let (pieces, scans) = (Vec::new(), Vec::new());
        Kept { out, pieces, scans, frame: None, adobe: false, exif: None, jfif: None, next_to_each_other: true, walked: false }
    }

    /// Takes what marker `code` starts (`pos` just after it); returns where the next marker is
    /// looked for.
    fn take(&mut self, bytes: &[u8], code: u8, pos: usize, known: Option<ScanEnd>) -> Result<usize, Error> {
        match code {
            SOI => Err(Error::Damaged("corrupt JPEG: a second start-of-image marker".into())),
            // Stand-alone markers: no length follows.
            0x01 | 0xD0..=0xD7 => {
                self.out.extend_from_slice(&[0xFF, code]);
                self.next_to_each_other = false;
                Ok(pos)
            }
            0x00 => Err(Error::Damaged(format!("corrupt JPEG: a misplaced 0xFF byte at offset {}", pos - 2))),
            SOS => {
                let (payload, end) = segment_at(bytes, pos)?;
                self.scan(bytes, payload, end, known)
            }
            _ => {
                let (payload, end) = segment_at(bytes, pos)?;
                self.header(code, payload, end)?;
                Ok(end)
            }
        }
    }

    /// A header segment (`payload`, ending at `end`): kept if decoding needs it, its EXIF
    /// noted, its frame read.
    fn header(&mut self, code: u8, payload: &[u8], end: usize) -> Result<(), Error> {
        match code {
            // Keep JFIF (it names the pixel density) but cut its optional thumbnail: a
            // thumbnail can show what a crop removed.
            APP0 => {
                if let Some(head) = payload.get(..12).filter(|_| payload.starts_with(b"JFIF\0")) {
                    self.jfif = self.jfif.or(jfif_density(head));
                    self.out.extend_from_slice(&[0xFF, APP0, 0, 16]);
                    self.out.extend_from_slice(head);
                    self.out.extend_from_slice(&[0, 0]);
                }
            }
            // The TIFF structure after the six bytes that name it.
            APP1 if self.exif.is_none() => self.exif = payload.starts_with(b"Exif\0\0").then_some(end - payload.len() + 6..end),
            APP14 if payload.starts_with(b"Adobe") => {
                // The reader's DCT decoder needs its colour-transform flag.
                self.adobe = true;
                copy_segment(&mut self.out, code, payload);
            }
            DQT | DHT | DAC | DRI | DNL => copy_segment(&mut self.out, code, payload),
            // JPG: reserved for extensions, nothing a baseline or progressive decoder reads.
            0xC8 => self.next_to_each_other = false,
            0xC0..=0xCF => {
                if self.frame.is_some() {
                    return Err(Error::Unsupported("JPEG has more than one frame header, which PDF cannot show".into()));
                }
                self.frame = Some(read_frame(code, payload)?);
                copy_segment(&mut self.out, code, payload);
            }
            JPEG_LS => return Err(Error::Unsupported("JPEG-LS images cannot be embedded in a PDF".into())),
            // APP1..APP15 (EXIF, XMP, ICC, MPF, IPTC…), COM, JPGn and anything unknown: metadata
            // or extensions no PDF reader needs.
            _ => {}
        }
        Ok(())
    }

    /// A scan: its header (`payload`) kept and its entropy-coded data, from `start` where the
    /// header ends, taken as a range of the original; returns where the data ends.
    fn scan(&mut self, bytes: &[u8], payload: &[u8], start: usize, known: Option<ScanEnd>) -> Result<usize, Error> {
        if self.frame.is_none() {
            return Err(Error::Damaged("corrupt JPEG: image data before the frame header".into()));
        }
        copy_segment(&mut self.out, SOS, payload);
        let walked = known.filter(|scan| scan.start == start && scan.end > start && data_ends_at(bytes, scan.end));
        self.walked |= walked.is_some();
        let scan = scan_data(bytes, start, walked)?;
        // The compressed picture itself: kept byte for byte, never re-encoded.
        self.pieces.push(Piece::Made(std::mem::take(&mut self.out)));
        self.pieces.push(Piece::Original(scan.start..scan.end));
        self.scans.push(scan);
        Ok(scan.end)
    }

    /// The stripped JPEG, at its end-of-image marker.
    fn finish(mut self) -> Result<Stripped, Error> {
        let scan = match self.scans.as_slice() {
            [] => return Err(Error::Damaged("JPEG holds no image data: it ends before its first scan".into())),
            [one] => Some(*one),
            _ => None,
        };
        let Some(frame) = self.frame else { return Err(Error::Damaged("corrupt JPEG: no frame header".into())) };
        self.out.extend_from_slice(&[0xFF, EOI]);
        self.pieces.push(Piece::Made(self.out));
        let walked_whole = self.walked && self.next_to_each_other;
        Ok(Stripped { pieces: self.pieces, frame, adobe: self.adobe, exif: self.exif, jfif: self.jfif, walked_whole, scan })
    }
}

/// The entropy-coded data of the scan starting at `start`: where `walked` (the walk's) ends it,
/// or else where the next marker other than a restart is; refused when its restart markers
/// come out of turn or it is empty.
fn scan_data(bytes: &[u8], start: usize, walked: Option<ScanEnd>) -> Result<ScanEnd, Error> {
    let scan = match walked {
        Some(scan) => scan,
        None => {
            let found = end_of_entropy_data(bytes, start);
            let (end, restarts_in_order) = found.ok_or_else(|| Error::Truncated("truncated JPEG: no end-of-image marker".into()))?;
            ScanEnd { start, end, restarts_in_order }
        }
    };
    // Restart markers count 0..7 round; one out of turn means lost or spliced data, which
    // readers resynchronise past, painting the blocks between grey. The decoder takes any
    // restart marker, so the order is checked here.
    if !scan.restarts_in_order {
        return Err(Error::Damaged(verify::DAMAGED_PICTURE.into()));
    }
    // An empty scan is a repeated or cut scan header: readers' decoders stop there, and the
    // JPEG is copied, not re-encoded, so the packet would carry the damage.
    if scan.end == start {
        return Err(Error::Damaged("corrupt JPEG: a scan holds no image data; get a fresh copy".into()));
    }
    Ok(scan)
}

fn copy_segment(out: &mut Vec<u8>, code: u8, payload: &[u8]) {
    // The payload length came from a 16-bit field, so it fits again.
    let length = u16::try_from(payload.len() + 2).unwrap_or(u16::MAX);
    out.extend_from_slice(&[0xFF, code]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(payload);
}

/// Where the entropy-coded data that starts at `from` ends: the offset of the next marker other
/// than a restart marker (or of the fill bytes before it). Inside the data every 0xFF is followed by 0x00 (stuffing) or a restart
/// marker, so the first other 0xFF pair is a real marker. Also says whether the restart markers
/// came in their order (RST0, RST1… RST7, RST0…).
fn end_of_entropy_data(bytes: &[u8], from: usize) -> Option<(usize, bool)> {
    let (mut i, mut next_restart, mut in_order) = (from, 0xD0u8, true);
    loop {
        let at = unstuffed_ff(bytes, i)?;
        // A run of 0xFF is fill before a marker; the fill is not part of the data.
        let after = at + bytes.get(at..)?.iter().position(|&b| b != 0xFF)?;
        match *bytes.get(after)? {
            0x00 => i = after + 1,
            code @ 0xD0..=0xD7 => {
                in_order &= code == next_restart;
                next_restart = if code == 0xD7 { 0xD0 } else { code + 1 };
                i = after + 1;
            }
            _ => return Some((at, in_order)),
        }
    }
}

/// Whether `end_of_entropy_data` ends the data at `at`, given that every 0xFF before it is
/// stuffing or a restart marker with no fill (as where the walk ended the scan): an 0xFF there,
/// and after its fill a marker other than a restart.
fn data_ends_at(bytes: &[u8], at: usize) -> bool {
    bytes.get(at) == Some(&0xFF)
        && bytes
            .get(at..)
            .and_then(|rest| rest.iter().find(|&&b| b != 0xFF))
            .is_some_and(|&code| code != 0 && !(0xD0..=0xD7).contains(&code))
}

/// The first 0xFF at or after `from` that is not stuffing (0xFF 0x00): eight bytes at a time,
/// since a scanned page's data can hold a stuffed 0xFF every twenty bytes.
fn unstuffed_ff(bytes: &[u8], mut i: usize) -> Option<usize> {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // The high bit of each byte that is zero, exactly (no carry crosses a byte).
    let zero_bytes = |x: u64| !(((x & LOW).wrapping_add(LOW)) | x | LOW);
    while let Some((eight, &ninth)) = bytes.get(i..i + 9).and_then(|c| Some((<[u8; 8]>::try_from(c.get(..8)?).ok()?, c.get(8)?))) {
        let word = u64::from_le_bytes(eight);
        let next = word >> 8 | u64::from(ninth) << 56;
        let found = zero_bytes(!word) & !zero_bytes(next);
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    (i..bytes.len()).find(|&k| bytes[k] == 0xFF && bytes.get(k + 1) != Some(&0))
}

fn read_frame(code: u8, payload: &[u8]) -> Result<Frame, Error> {
    match code {
        0xC0..=0xC2 => {}
        0xC3 | 0xC7 | 0xCB | 0xCF => {
            return Err(Error::Unsupported("lossless JPEG cannot be embedded in a PDF (PDF readers cannot decode it)".into()))
        }
        0xC9 | 0xCA | 0xCD | 0xCE => {
            return Err(Error::Unsupported("arithmetic-coded JPEG cannot be embedded in a PDF (most readers cannot decode it)".into()))
        }
        _ => return Err(Error::Unsupported("hierarchical JPEG cannot be embedded in a PDF".into())),
    }
    let (precision, height, width, components) = match payload.get(..6) {
        Some(&[p, h1, h0, w1, w0, n]) => (p, u16::from_be_bytes([h1, h0]), u16::from_be_bytes([w1, w0]), n),
        _ => return Err(Error::Damaged("corrupt JPEG: the frame header is too short".into())),
    };
    if payload.len() < 6 + 3 * usize::from(components) {
        return Err(Error::Damaged("corrupt JPEG: the frame header is too short for its components".into()));
    }
    match precision {
        8 => {}
        12 => {
            return Err(Error::Unsupported(
                "12-bit JPEG cannot be embedded in a PDF, whose readers only show 8-bit JPEG; \
                 save it as an 8-bit JPEG or as PNG"
                    .into(),
            ))
        }
        p => return Err(Error::Damaged(format!("corrupt JPEG: {p}-bit samples"))),
    }
    if height == 0 {
        return Err(Error::Unsupported(
            "JPEG declares its height after the image data (DNL marker), which PDF readers do not support".into(),
        ));
    }
    if width == 0 {
        return Err(Error::Damaged("corrupt JPEG: the frame header gives a width of 0".into()));
    }
    if !matches!(components, 1 | 3 | 4) {
        return Err(Error::Unsupported(format!("JPEG with {components} colour components cannot be embedded in a PDF")));
    }
    Ok(Frame { width, height, components, precision, progressive: code == 0xC2 })
}

/// The density a JFIF header (`JFIF\0`, version, unit, X density, Y density) gives, across
/// and down, where it says anything: in dots per inch or centimetre, or in no unit when its two
/// numbers differ (a pixel aspect ratio alone; 1:1 with no unit is what encoders write when they
/// know nothing).
fn jfif_density(head: &[u8]) -> Option<(f64, f64)> {
    let &[.., unit, x1, x0, y1, y0] = head else { return None };
    let (across, down) = (u16::from_be_bytes([x1, x0]), u16::from_be_bytes([y1, y0]));
    (across > 0 && down > 0 && (unit != 0 || across != down)).then(|| (f64::from(across), f64::from(down)))
}

/// The TIFF structure of the first EXIF APP1 segment, found by walking the headers only.
pub(super) fn exif_payload(bytes: &[u8]) -> Option<&[u8]> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return None;
    }
    let mut pos = 2;
    loop {
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let code = *bytes.get(pos)?;
        if matches!(code, SOS | EOI) || bytes.get(pos - 1) != Some(&0xFF) {
            return None;
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(pos + 1)?, *bytes.get(pos + 2)?]));
        let payload = bytes.get(pos + 3..pos + 1 + length)?;
        if code == APP1 {
            if let Some(tiff) = payload.strip_prefix(b"Exif\0\0") {
                return Some(tiff);
            }
        }
        pos += 1 + length;
    }
}

/// The luminance quantisation table of the JPEG standard (Annex K), in zig-zag order as DQT
/// holds it; encoders scale it for their quality setting.
const STANDARD_LUMA: [u16; 64] = [
    16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51, 56, 55,
    64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
];

/// The quality (1–100) a JPEG was saved at, as libjpeg and most encoders scale the standard
/// table for it, read from its first quantisation table; `None` when it has none before its
/// picture data. A size budget uses it to guess what recompressing will save.
pub fn quality(jpeg: &[u8]) -> Option<u8> {
    segment(jpeg, |code| code == 0xDB).and_then(|(_, payload)| table_quality(payload))
}

/// The colour components of a baseline or progressive JPEG, from its frame header.
pub fn components(jpeg: &[u8]) -> Option<u8> {
    segment(jpeg, |code| matches!(code, 0xC0..=0xC2)).and_then(|(_, payload)| payload.get(5).copied())
}

/// The first header segment (its code and payload) before the picture data that `wanted`
/// picks, walking the headers only.
fn segment(jpeg: &[u8], wanted: impl Fn(u8) -> bool) -> Option<(u8, &[u8])> {
    let mut at = 2;
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    while at + 4 <= jpeg.len() {
        if jpeg[at] != 0xFF {
            return None;
        }
        let code = jpeg[at + 1];
        if code == 0xFF {
            at += 1;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        let payload = jpeg.get(at + 4..at + 2 + length)?;
        if wanted(code) {
            return Some((code, payload));
        }
        if matches!(code, 0xDA | 0xD9) {
            return None;
        }
        at += 2 + length;
    }
    None
}

/// The quality the first table of a DQT segment's payload was scaled from.
fn table_quality(payload: &[u8]) -> Option<u8> {
    let precision16 = payload.first()? >> 4 == 1;
    let values: Vec<u32> = if precision16 {
        payload.get(1..129)?.chunks(2).map(|c| u32::from(u16::from_be_bytes([c[0], c[1]]))).collect()
    } else {
        payload.get(1..65)?.iter().map(|v| u32::from(*v)).collect()
    };
    let sum: u32 = values.iter().sum();
    let standard: u32 = STANDARD_LUMA.iter().map(|v| u32::from(*v)).sum();
    // libjpeg: table = standard × scale / 100, scale = 5000 / q below 50, 200 − 2q above.
    let scale = f64::from(sum) * 100.0 / f64::from(standard);
    let q = if scale <= 100.0 { (200.0 - scale) / 2.0 } else { 5000.0 / scale };
    Some(q.round().clamp(1.0, 100.0) as u8)
}

#[cfg(test)]
mod scan_end_tests {
    use super::unstuffed_ff;

    #[test]
    fn the_first_unstuffed_ff_is_found_wherever_it_falls() {
        // Bytes of 0xFF, 0x00 and others in every arrangement a short pattern gives, searched
        // from every start: the same answer as a byte at a time.
        let mut bytes = Vec::new();
        let mut x = 12345u32;
        for _ in 0..4000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            bytes.push([0xFF, 0x00, 0xD3, 0x42][(x >> 16) as usize % 4]);
        }
        let naive = |from: usize| (from..bytes.len()).find(|&k| bytes[k] == 0xFF && bytes.get(k + 1) != Some(&0));
        for from in 0..bytes.len() + 2 {
            assert_eq!(unstuffed_ff(&bytes, from), naive(from), "from {from}");
        }
        // A lone 0xFF at the very end is a marker byte, cut short.
        assert_eq!(unstuffed_ff(&[1, 2, 0xFF, 0, 3, 4, 5, 6, 7, 0xFF], 0), Some(9));
        assert_eq!(unstuffed_ff(&[0xFF, 0, 0xFF, 0, 0xFF, 0, 0xFF, 0, 0xFF, 0], 0), None);
    }
}
