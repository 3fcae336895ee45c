//! PNG: copies the compressed image data when a PDF reader can use it as it is, else decodes.

use std::io::{Cursor, Read};

use super::{check_alloc, check_pixels, decode, metadata, not_the_format, ColorSpace, Encoding, ImageFormat, Limits, Photo, PixelShape};
use crate::import::Error;

pub(super) const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The IHDR chunk.
#[derive(Clone, Copy, Debug)]
struct Header {
    width: u32,
    height: u32,
    bit_depth: u8,
    color_type: u8,
    interlaced: bool,
}

impl Header {
    fn channels(&self) -> u8 {
        match self.color_type {
            2 => 3,
            4 => 2,
            6 => 4,
            _ => 1,
        }
    }
}

/// The chunks that matter, each checked against its CRC.
struct Chunks<'a> {
    header: Header,
    palette: Option<&'a [u8]>,
    transparency: bool,
    idat: Vec<&'a [u8]>,
    exif: Option<&'a [u8]>,
    /// The pixel density of the pHYs chunk (across, down), where it says something: per metre,
    /// or unequal numbers (a ratio alone).
    density: Option<(f64, f64)>,
}

pub(super) fn open(bytes: &[u8], limits: &Limits) -> Result<Photo, Error> {
    let chunks = read_chunks(bytes, limits)?;
    let header = chunks.header;
    let facts = chunks.exif.map(metadata::read).unwrap_or_default();
    // The PNG's own pHYs first, as readers that size a page by it do; else its EXIF.
    let pixel = chunks.density.map_or(facts.pixel, |(across, down)| PixelShape::from_density(across, down));
    // PDF's PNG predictor reads the IDAT stream as it is, except for what PDF has no way to say:
    // interlacing, and transparency (an alpha channel or a tRNS colour key) that must become a
    // separate soft mask.
    let passthrough = !header.interlaced && !chunks.transparency && matches!(header.color_type, 0 | 2 | 3);
    if !passthrough {
        let (width, height) = (u64::from(header.width), u64::from(header.height));
        // Decoded samples (palette and colour keys expand to RGBA) plus the soft mask we build.
        let sample_bytes = if header.bit_depth == 16 { 2 } else { 1 };
        check_alloc((width * height).saturating_mul(4 * sample_bytes + 1), limits)?;
        let mut reader = ::image::ImageReader::with_format(Cursor::new(bytes), ::image::ImageFormat::Png);
        reader.limits(decode::image_limits(header.width, header.height, limits));
        let picture = reader.decode().map_err(|e| decode::describe_error(e, ImageFormat::Png))?;
        return decode::photo(picture, facts.orientation, facts.taken).map(|photo| Photo { pixel, ..photo });
    }
    let color = match header.color_type {
        0 => ColorSpace::Gray,
        2 => ColorSpace::Rgb,
        _ => {
            let palette =
                chunks.palette.ok_or_else(|| Error::Damaged("corrupt PNG: a palette image without a palette (PLTE chunk)".into()))?;
            let entries = palette.len() / 3;
            if palette.len() % 3 != 0 || !(1..=256).contains(&entries) {
                return Err(Error::Damaged("corrupt PNG: the palette (PLTE chunk) has an invalid length".into()));
            }
            ColorSpace::Indexed { palette: palette.to_vec(), hival: u8::try_from(entries - 1).unwrap_or(u8::MAX) }
        }
    };
    let data: Vec<u8> = chunks.idat.concat();
    check_image_data(&data, &header)?;
    Ok(Photo {
        width: header.width,
        height: header.height,
        color,
        bits_per_component: header.bit_depth,
        encoding: Encoding::FlatePng { colors: header.channels(), bits: header.bit_depth, columns: header.width },
        invert_cmyk: false,
        data: data.into(),
        alpha: None,
        orientation: facts.orientation,
        pixel,
        taken: facts.taken,
        scan: None,
    })
}

/// Walks every chunk up to IEND, verifying CRCs, so that a truncated or damaged file is refused
/// here rather than embedded and shown broken. The size limit is checked as soon as IHDR is read.
fn read_chunks<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Chunks<'a>, Error> {
    let Some(mut rest) = bytes.strip_prefix(SIGNATURE) else {
        return Err(not_the_format(ImageFormat::Png, bytes));
    };
    let mut header = None;
    let mut palette = None;
    let mut transparency = false;
    let mut idat = Vec::new();
    let mut exif = None;
    let mut density = None;
    loop {
        let Some((length, kind)) = rest
            .split_first_chunk::<4>()
            .and_then(|(length, rest)| rest.first_chunk::<4>().map(|kind| (u32::from_be_bytes(*length), *kind)))
        else {
            return Err(Error::Truncated(if header.is_none() {
                "truncated PNG: the file ends before its header".into()
            } else {
                "truncated PNG: the file ends before the image end (IEND chunk)".into()
            }));
        };
        let name: String = kind.iter().map(|&b| if b.is_ascii_alphanumeric() { char::from(b) } else { '?' }).collect();
        let end = usize::try_from(length).ok().and_then(|length| length.checked_add(12));
        let Some(chunk) = end.and_then(|end| rest.get(..end)) else {
            return Err(Error::Truncated(format!("truncated PNG: the file ends inside the {name} chunk")));
        };
        let (body, crc) = chunk.split_at(chunk.len() - 4);
        let mut computed = flate2::Crc::new();
        computed.update(body.get(4..).unwrap_or_default());
        if crc != computed.sum().to_be_bytes() {
            return Err(Error::Damaged(format!("corrupt PNG: the checksum of the {name} chunk does not match its content")));
        }
        let data = body.get(8..).unwrap_or_default();
        if header.is_none() && &kind != b"IHDR" {
            return Err(Error::Damaged("corrupt PNG: it does not start with a header (IHDR chunk)".into()));
        }
        match &kind {
            b"IHDR" => {
                if header.is_some() {
                    return Err(Error::Damaged("corrupt PNG: two header (IHDR) chunks".into()));
                }
                let parsed = read_header(data)?;
                check_pixels(parsed.width, parsed.height, limits)?;
                header = Some(parsed);
            }
            b"PLTE" => palette = Some(data),
            b"tRNS" => transparency = true,
            b"IDAT" => idat.push(data),
            b"eXIf" | b"exIf" => exif = exif.or(Some(data)),
            b"pHYs" => density = density.or(phys_density(data)),
            b"IEND" => break,
            // An unknown critical chunk (upper-case first letter) changes how the picture reads;
            // the PNG specification says to refuse the file.
            [first, ..] if first.is_ascii_uppercase() => {
                return Err(Error::Unsupported(format!("PNG uses a {name} chunk this program does not understand")));
            }
            _ => {}
        }
        rest = rest.get(chunk.len()..).unwrap_or_default();
    }
    let header = header.ok_or_else(|| Error::Damaged("corrupt PNG: no header (IHDR chunk)".into()))?;
    if idat.is_empty() {
        return Err(Error::Damaged("corrupt PNG: no image data (IDAT chunk)".into()));
    }
    Ok(Chunks { header, palette, transparency, idat, exif, density })
}

/// The density a pHYs chunk (pixels per unit across, down, then the unit) gives, where it says
/// anything: per metre, or in no unit when its two numbers differ (a pixel aspect ratio alone).
fn phys_density(data: &[u8]) -> Option<(f64, f64)> {
    let &[x0, x1, x2, x3, y0, y1, y2, y3, unit] = data else { return None };
    let (across, down) = (u32::from_be_bytes([x0, x1, x2, x3]), u32::from_be_bytes([y0, y1, y2, y3]));
    (across > 0 && down > 0 && (unit != 0 || across != down)).then(|| (f64::from(across), f64::from(down)))
}

fn read_header(data: &[u8]) -> Result<Header, Error> {
    let Some(&[w0, w1, w2, w3, h0, h1, h2, h3, bit_depth, color_type, compression, filter, interlace]) = data.first_chunk::<13>() else {
        return Err(Error::Damaged("corrupt PNG: the header (IHDR chunk) is too short".into()));
    };
    let valid_depth = match color_type {
        0 => matches!(bit_depth, 1 | 2 | 4 | 8 | 16),
        3 => matches!(bit_depth, 1 | 2 | 4 | 8),
        2 | 4 | 6 => matches!(bit_depth, 8 | 16),
        _ => return Err(Error::Damaged(format!("corrupt PNG: unknown colour type {color_type}"))),
    };
    if !valid_depth {
        return Err(Error::Damaged(format!("corrupt PNG: bit depth {bit_depth} is not allowed with colour type {color_type}")));
    }
    if compression != 0 || filter != 0 || interlace > 1 {
        return Err(Error::Damaged("corrupt PNG: unknown compression, filter or interlace method".into()));
    }
    Ok(Header {
        width: u32::from_be_bytes([w0, w1, w2, w3]),
        height: u32::from_be_bytes([h0, h1, h2, h3]),
        bit_depth,
        color_type,
        interlaced: interlace == 1,
    })
}

/// Inflates the image data without keeping it, checking that it holds every row with a valid
/// filter byte: a file whose chunks are intact can still carry a broken or short zlib stream,
/// which a PDF reader would show as a half-grey picture.
fn check_image_data(zlib: &[u8], header: &Header) -> Result<(), Error> {
    let row_bytes = (u64::from(header.width) * u64::from(header.channels()) * u64::from(header.bit_depth)).div_ceil(8);
    let stride = row_bytes + 1;
    let expected = u64::from(header.height) * stride;
    let mut inflater = flate2::read::ZlibDecoder::new(zlib);
    let mut buffer = vec![0u8; 64 * 1024];
    let mut seen: u64 = 0;
    let mut next_filter: u64 = 0;
    while seen < expected {
        let want = usize::try_from((expected - seen).min(buffer.len() as u64)).unwrap_or(buffer.len());
        let got = inflater.read(buffer.get_mut(..want).unwrap_or_default()).map_err(|_| {
            Error::Damaged("corrupt PNG: the image data cannot be decompressed; get a fresh copy from whoever sent it".to_string())
        })?;
        if got == 0 {
            return Err(Error::Damaged("corrupt PNG: the image data ends before the last row".into()));
        }
        while next_filter < seen + got as u64 {
            let at = usize::try_from(next_filter - seen).unwrap_or(usize::MAX);
            if buffer.get(at).is_none_or(|&filter| filter > 4) {
                return Err(Error::Damaged("corrupt PNG: a row of the image data has an unknown filter type".into()));
            }
            next_filter += stride;
        }
        seen += got as u64;
    }
    check_checksum(&mut inflater)
}

/// Reads the zlib stream past the last row to its end, where the decoder compares the Adler-32
/// checksum: a flipped bit can leave a stream that still inflates to the right length with
/// wrong pixels, and only the checksum tells. Data after the rows, which readers ignore, is read
/// only so far, so a stream that goes on for gigabytes cannot stall the build.
fn check_checksum(inflater: &mut flate2::read::ZlibDecoder<&[u8]>) -> Result<(), Error> {
    let mut buffer = [0u8; 4096];
    for _ in 0..256 {
        match inflater.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(_) => {
                return Err(Error::Damaged(
                    "corrupt PNG: the image data does not match its checksum, so the picture may be altered; get a fresh \
                     copy from whoever sent it"
                        .into(),
                ))
            }
        }
    }
    Ok(())
}

/// The first eXIf chunk's TIFF structure, if the file has one.
pub(super) fn exif_chunk(bytes: &[u8]) -> Option<&[u8]> {
    let no_limits = Limits { max_pixels: u64::MAX, max_alloc: u64::MAX };
    read_chunks(bytes, &no_limits).ok()?.exif
}

/// The PNG Paeth predictor: of left (`a`), above (`b`) and upper left (`c`), the one nearest
/// `a + b - c`; for writing PNG filters (`shrink`) and undoing them (`ocr::picture`).
pub(crate) fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}
