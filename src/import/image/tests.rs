//! Photos built in code (image's encoders, kamadak-exif's writer, hand-made headers) and what
//! must come out of them.

use std::io::{Cursor, Read};
use std::time::{Duration, Instant};

use ::image::codecs::jpeg::JpegEncoder;
use ::image::codecs::png::PngEncoder;
use ::image::codecs::tiff::TiffEncoder;
use ::image::{ExtendedColorType, ImageEncoder};
use chrono::NaiveDate;
use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};

use super::*;

mod shape;

// ---------------------------------------------------------------- builders

fn gradient_rgb(width: u32, height: u32) -> Vec<u8> {
    let mut pixels = Vec::new();
    for y in 0..height {
        for x in 0..width {
            pixels.extend_from_slice(&[(x * 7 + y) as u8, (y * 11) as u8, ((x ^ y) * 13) as u8]);
        }
    }
    pixels
}

fn jpeg_rgb(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 80).encode(&gradient_rgb(width, height), width, height, ExtendedColorType::Rgb8).unwrap();
    out
}

fn segment(code: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, code];
    out.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// Inserts segments right after SOI.
fn with_segments(jpeg: &[u8], segments: &[Vec<u8>]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for s in segments {
        out.extend_from_slice(s);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

const SERIAL: &[u8] = b"BODY-SERIAL-4417";
const DATE_TAKEN: &[u8] = b"2025:09:12 14:03:59";
/// The latitude's seconds, 54.62/1, as the big-endian rational the EXIF block stores.
const GPS_SECONDS: [u8; 8] = [0, 0, 0x15, 0x56, 0, 0, 0, 0x64];

fn ascii(tag: Tag, text: &[u8]) -> Field {
    Field { tag, ifd_num: In::PRIMARY, value: Value::Ascii(vec![text.to_vec()]) }
}

fn rationals(tag: Tag, values: &[(u32, u32)]) -> Field {
    let value = Value::Rational(values.iter().map(|&(num, denom)| Rational { num, denom }).collect());
    Field { tag, ifd_num: In::PRIMARY, value }
}

/// An EXIF TIFF block like a phone writes: orientation, date, camera serial, GPS position and a
/// thumbnail.
fn exif_block(orientation: u16, thumbnail: Option<&[u8]>) -> Vec<u8> {
    let fields = [
        Field { tag: Tag::Orientation, ifd_num: In::PRIMARY, value: Value::Short(vec![orientation]) },
        ascii(Tag::Make, b"PhoneMaker"),
        ascii(Tag::DateTimeOriginal, DATE_TAKEN),
        ascii(Tag::BodySerialNumber, SERIAL),
        ascii(Tag::GPSLatitudeRef, b"N"),
        rationals(Tag::GPSLatitude, &[(40, 1), (44, 1), (5462, 100)]),
        ascii(Tag::GPSLongitudeRef, b"W"),
        rationals(Tag::GPSLongitude, &[(73, 1), (59, 1), (1234, 100)]),
    ];
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    if let Some(jpeg) = thumbnail {
        writer.set_jpeg(jpeg, In::THUMBNAIL);
    }
    let mut cursor = Cursor::new(Vec::new());
    writer.write(&mut cursor, false).unwrap();
    cursor.into_inner()
}

fn exif_app1(orientation: u16, thumbnail: Option<&[u8]>) -> Vec<u8> {
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&exif_block(orientation, thumbnail));
    segment(0xE1, &payload)
}

/// Every kind of metadata segment a phone or editor leaves in a JPEG.
fn metadata_segments(orientation: u16, thumbnail: &[u8]) -> Vec<Vec<u8>> {
    vec![
        exif_app1(orientation, Some(thumbnail)),
        segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude=\"40,44.91N\"/>"),
        segment(0xE2, b"ICC_PROFILE\0\x01\x01desc Secret Display Profile"),
        segment(0xE2, b"MPF\0MM\0*\0\0\0\x08"),
        segment(0xED, b"Photoshop 3.0\08BIM\x04\x04 IPTC city Springfield"),
        segment(0xFE, b"taken at 12 Elm Street"),
    ]
}

/// Offset of the first SOS marker, found by walking segments (its bytes can appear inside EXIF).
fn sos_offset(jpeg: &[u8]) -> usize {
    let mut pos = 2;
    loop {
        assert_eq!(jpeg[pos], 0xFF, "test JPEG out of sync at {pos}");
        if jpeg[pos + 1] == 0xDA {
            return pos;
        }
        pos += 2 + usize::from(u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]));
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).filter(|w| *w == needle).count()
}

/// A JPEG made by hand down to the scan: enough structure for the marker walk, with entropy
/// bytes that include stuffing and a restart marker.
fn handmade_jpeg(components: u8, adobe: bool, precision: u8, width: u16, height: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    if adobe {
        out.extend(segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x02"));
    }
    let mut dqt = vec![0u8];
    dqt.extend([1u8; 64]);
    out.extend(segment(0xDB, &dqt));
    let mut sof = vec![precision];
    sof.extend_from_slice(&height.to_be_bytes());
    sof.extend_from_slice(&width.to_be_bytes());
    sof.push(components);
    for id in 1..=components {
        sof.extend_from_slice(&[id, 0x11, 0]);
    }
    out.extend(segment(0xC0, &sof));
    out.extend(segment(0xC4, &dht()));
    out.extend(sos(components));
    out.extend_from_slice(&ENTROPY_1);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

const ENTROPY_1: [u8; 9] = [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0x00];
const ENTROPY_2: [u8; 5] = [0x9A, 0xFF, 0x00, 0xBC, 0xDE];

fn dht() -> Vec<u8> {
    let mut table = vec![0x00, 1];
    table.extend([0u8; 15]);
    table.push(0);
    table
}

fn sos(components: u8) -> Vec<u8> {
    let mut header = vec![components];
    for id in 1..=components {
        header.extend_from_slice(&[id, 0]);
    }
    header.extend_from_slice(&[0, 63, 0]);
    segment(0xDA, &header)
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
    out
}

fn ihdr(width: u32, height: u32, depth: u8, color_type: u8, interlace: u8) -> Vec<u8> {
    let mut data = width.to_be_bytes().to_vec();
    data.extend_from_slice(&height.to_be_bytes());
    data.extend_from_slice(&[depth, color_type, 0, 0, interlace]);
    chunk(b"IHDR", &data)
}

fn png_of(chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = png::SIGNATURE.to_vec();
    for c in chunks {
        out.extend_from_slice(c);
    }
    out.extend(chunk(b"IEND", b""));
    out
}

fn zlib(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn inflate(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn png_encoded(pixels: &[u8], width: u32, height: u32, color: ExtendedColorType) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out).write_image(pixels, width, height, color).unwrap();
    out
}

/// What a PDF reader does with `/FlateDecode` + `/Predictor 15`: inflate, then undo each row's
/// PNG filter. Written from the PNG specification, independently of the code under test.
fn unpredict(stream: &[u8], columns: u32, rows: u32, colors: u8, bits: u8) -> Vec<u8> {
    let raw = inflate(stream);
    let bpp = (usize::from(colors) * usize::from(bits) / 8).max(1);
    let row_bytes = (columns as usize * usize::from(colors) * usize::from(bits)).div_ceil(8);
    let mut out: Vec<u8> = Vec::new();
    let mut previous = vec![0u8; row_bytes];
    for row in raw.chunks(row_bytes + 1).take(rows as usize) {
        let (filter, data) = (row[0], &row[1..]);
        let mut current = vec![0u8; row_bytes];
        for i in 0..row_bytes {
            let a = if i >= bpp { current[i - bpp] } else { 0 };
            let b = previous[i];
            let c = if i >= bpp { previous[i - bpp] } else { 0 };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => {
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
                other => panic!("filter {other}"),
            };
            current[i] = data[i].wrapping_add(predicted);
        }
        out.extend_from_slice(&current);
        previous = current;
    }
    out
}

struct TiffPage {
    width: u32,
    height: u32,
    gray: Vec<u8>,
    orientation: Option<u16>,
    new_subfile: Option<u32>,
}

/// A classic uncompressed greyscale TIFF with one directory per page, in either byte order.
fn tiff_file(pages: &[TiffPage], little_endian: bool) -> Vec<u8> {
    let put16 = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&if little_endian { v.to_le_bytes() } else { v.to_be_bytes() });
    let put32 = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&if little_endian { v.to_le_bytes() } else { v.to_be_bytes() });
    let mut out = if little_endian { b"II*\0".to_vec() } else { b"MM\0*".to_vec() };
    out.extend_from_slice(&[0; 4]);
    let mut strips = Vec::new();
    for page in pages {
        strips.push(out.len() as u32);
        out.extend_from_slice(&page.gray);
        if out.len() % 2 == 1 {
            out.push(0);
        }
    }
    let mut link_at = 4;
    for (page, strip) in pages.iter().zip(strips) {
        let ifd = out.len() as u32;
        let link = if little_endian { ifd.to_le_bytes() } else { ifd.to_be_bytes() };
        out[link_at..link_at + 4].copy_from_slice(&link);
        // (tag, type, value); SHORT = 3, LONG = 4; tags ascending as TIFF requires.
        let mut entries: Vec<(u16, u16, u32)> = Vec::new();
        if let Some(kind) = page.new_subfile {
            entries.push((254, 4, kind));
        }
        entries.extend([(256, 4, page.width), (257, 4, page.height), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, strip)]);
        if let Some(o) = page.orientation {
            entries.push((274, 3, u32::from(o)));
        }
        entries.extend([(277, 3, 1), (278, 4, page.height), (279, 4, page.gray.len() as u32)]);
        put16(&mut out, entries.len() as u16);
        for (tag, kind, value) in entries {
            put16(&mut out, tag);
            put16(&mut out, kind);
            put32(&mut out, 1);
            if kind == 3 {
                put16(&mut out, value as u16);
                put16(&mut out, 0);
            } else {
                put32(&mut out, value);
            }
        }
        link_at = out.len();
        put32(&mut out, 0);
    }
    out
}

fn tiff_encoded(pixels: &[u8], width: u32, height: u32, color: ExtendedColorType) -> Vec<u8> {
    let mut cursor = Cursor::new(Vec::new());
    TiffEncoder::new(&mut cursor).write_image(pixels, width, height, color).unwrap();
    cursor.into_inner()
}

fn defaults() -> Limits {
    Limits::default()
}

// ---------------------------------------------------------------- JPEG

#[test]
fn jpeg_loses_every_metadata_segment_and_keeps_its_scan_byte_for_byte() {
    let plain = jpeg_rgb(40, 24);
    let thumbnail = jpeg_rgb(8, 8);
    let photo_file = with_segments(&plain, &metadata_segments(1, &thumbnail));
    let photo = open(&photo_file, ImageFormat::Jpeg, &defaults()).unwrap();
    let out = &photo.data;

    assert_eq!(photo.encoding, Encoding::Dct);
    assert!(!contains(out, b"Exif\0\0"));
    assert!(!contains(out, &GPS_SECONDS), "GPS position left in the JPEG");
    assert!(!contains(out, SERIAL));
    assert!(!contains(out, b"GPSLatitude"));
    assert!(!contains(out, b"ICC_PROFILE"));
    assert!(!contains(out, b"MPF"));
    assert!(!contains(out, b"Photoshop"));
    assert!(!contains(out, b"Elm Street"));
    assert_eq!(count(out, &[0xFF, 0xD8]), 1, "the EXIF thumbnail went along");

    // The compressed picture (scan header, entropy-coded data, EOI) is untouched.
    let scan = &plain[sos_offset(&plain)..];
    assert_eq!(&out[sos_offset(out)..], scan);
    // JFIF, tables and frame header are what the encoder wrote.
    assert_eq!(&out[..], &plain[..]);
    assert_eq!(strip_jpeg_metadata(&photo_file).unwrap(), *out);
}

#[test]
fn stripping_a_clean_jpeg_changes_nothing() {
    let plain = jpeg_rgb(17, 9);
    assert_eq!(strip_jpeg_metadata(&plain).unwrap(), plain);
}

#[test]
fn photo_with_exif_orientation_6_stands_upright() {
    let file = with_segments(&jpeg_rgb(40, 24), &[exif_app1(6, None)]);
    let photo = open(&file, ImageFormat::Jpeg, &defaults()).unwrap();
    assert_eq!((photo.width, photo.height), (40, 24));
    assert_eq!(photo.orientation, Orientation(6));
    assert_eq!(photo.displayed_size(), (24.0, 40.0));
    let taken = NaiveDate::from_ymd_opt(2025, 9, 12).unwrap().and_hms_opt(14, 3, 59).unwrap();
    assert_eq!(photo.taken, Some(taken));
    assert_eq!(exif_date(&file), Some(taken));
    assert_eq!((photo.color, photo.bits_per_component, photo.invert_cmyk), (ColorSpace::Rgb, 8, false));
}

#[test]
fn jpeg_without_exif_is_upright_and_undated() {
    let photo = open(&jpeg_rgb(8, 8), ImageFormat::Jpeg, &defaults()).unwrap();
    assert_eq!((photo.orientation, photo.taken), (Orientation(1), None));
}

#[test]
fn damaged_exif_costs_only_the_orientation() {
    let mut payload = b"Exif\0\0MM\0*\0\0\xFF\xFF".to_vec();
    payload.extend([0xAB; 20]);
    let file = with_segments(&jpeg_rgb(8, 8), &[segment(0xE1, &payload)]);
    let photo = open(&file, ImageFormat::Jpeg, &defaults()).unwrap();
    assert_eq!(photo.orientation, Orientation(1));
    assert!(!contains(&photo.data, b"Exif"));
}

#[test]
fn images_appended_after_the_end_of_image_are_left_behind() {
    // Multi-picture files (MPF) and motion photos append a second JPEG, with its own EXIF and
    // GPS, after the first image's EOI.
    let plain = jpeg_rgb(16, 16);
    let mut file = with_segments(&plain, &[exif_app1(1, None)]);
    file.extend(with_segments(&jpeg_rgb(8, 8), &[exif_app1(1, None)]));
    file.extend_from_slice(b"ftypmp42 trailing video");
    let photo = open(&file, ImageFormat::Jpeg, &defaults()).unwrap();
    assert_eq!(photo.data, plain);
    assert!(!contains(&photo.data, &GPS_SECONDS));
}

#[test]
fn a_scan_end_kept_with_its_verdict_opens_the_photo_looking_through_the_data_opens() {
    use std::borrow::Cow;
    // A photo with metadata before its picture and a trailer after its end, opened as a first
    // build opens it (walked): its scan's end is where its picture data lies in the file.
    let mut file = with_segments(&jpeg_rgb(64, 48), &metadata_segments(6, b"a thumbnail"));
    file.extend_from_slice(b"ftypmp42 trailing video");
    let open_as = |given: Cow<'_, [u8]>, check| open_pages_checked(given, ImageFormat::Jpeg, &defaults(), check).unwrap().remove(0);
    let first = open_as(Cow::Borrowed(&file), PictureCheck::Full);
    let scan = first.scan.expect("one scan");
    let sos = sos_offset(&file);
    assert_eq!(scan.start, sos + 2 + usize::from(u16::from_be_bytes([file[sos + 2], file[sos + 3]])));
    assert_eq!(&file[scan.end..scan.end + 2], b"\xFF\xD9");
    assert_eq!(first.orientation, Orientation(6));
    // Opened again with that end (a rebuild), without it (a verdict kept before it was), or
    // with one that is not this file's (passed over: the data is looked through), from a
    // borrowed buffer or its own: the same photo.
    let not_its = [
        ScanEnd { end: scan.end - 1, ..scan },
        ScanEnd { end: file.len() + 10, ..scan },
        ScanEnd { start: scan.start + 1, ..scan },
        ScanEnd { end: scan.start - 5, ..scan },
        ScanEnd { end: scan.start, ..scan },
    ];
    let kept = [Some(scan), None].into_iter().chain(not_its.map(Some));
    for check in [PictureCheck::Full].into_iter().chain(kept.map(PictureCheck::KnownWhole)) {
        assert_eq!(open_as(Cow::Borrowed(&file), check), first, "{check:?}");
        assert_eq!(open_as(Cow::Owned(file.clone()), check), first, "{check:?}, its own buffer");
    }
    // Given its own buffer, the photo is made in it, unless most of it would lie unused.
    let in_buffer = |file: Vec<u8>| {
        let buffer = file.as_ptr() as usize..file.as_ptr() as usize + file.len();
        let photo = open_as(Cow::Owned(file), PictureCheck::KnownWhole(Some(scan)));
        (buffer.contains(&(photo.data.as_ptr() as usize)), photo)
    };
    assert_eq!(in_buffer(file.clone()), (true, first.clone()));
    let mut long_video = file.clone();
    long_video.resize(3 * file.len(), 0x42);
    assert_eq!(in_buffer(long_video), (false, first));
}

#[test]
fn jfif_thumbnail_is_removed_but_jfif_kept() {
    let plain = jpeg_rgb(8, 8);
    // Drop the encoder's own APP0, put one with a 1 × 1 thumbnail in its place.
    let without_app0 = [&plain[..2], &plain[2 + 2 + usize::from(plain[5])..]].concat();
    let jfif = segment(0xE0, b"JFIF\0\x01\x02\x01\x00\x48\x00\x48\x01\x01\xAB\xCD\xEF");
    let file = with_segments(&without_app0, &[jfif]);
    let out = strip_jpeg_metadata(&file).unwrap();
    assert_eq!(&out[2..20], b"\xFF\xE0\x00\x10JFIF\0\x01\x02\x01\x00\x48\x00\x48\x00\x00");
    assert!(!contains(&out, b"\xAB\xCD\xEF"));
}

#[test]
fn adobe_cmyk_jpeg_is_marked_inverted() {
    let file = handmade_jpeg(4, true, 8, 300, 200);
    let photo = super::jpeg::open_known_whole(&file, &defaults()).unwrap();
    assert_eq!((photo.width, photo.height), (300, 200));
    assert_eq!(photo.color, ColorSpace::Cmyk);
    assert!(photo.invert_cmyk);
    // The reader's DCT decoder needs the Adobe segment for its colour transform.
    assert!(contains(&photo.data, b"Adobe"));
    assert_eq!(photo.data, file);

    let plain_cmyk = super::jpeg::open_known_whole(&handmade_jpeg(4, false, 8, 3, 2), &defaults()).unwrap();
    assert_eq!((plain_cmyk.color, plain_cmyk.invert_cmyk), (ColorSpace::Cmyk, false));
    let gray = super::jpeg::open_known_whole(&handmade_jpeg(1, false, 8, 3, 2), &defaults()).unwrap();
    assert_eq!(gray.color, ColorSpace::Gray);
    let adobe_rgb = super::jpeg::open_known_whole(&handmade_jpeg(3, true, 8, 3, 2), &defaults()).unwrap();
    assert_eq!((adobe_rgb.color, adobe_rgb.invert_cmyk), (ColorSpace::Rgb, false));
}

#[test]
fn progressive_scans_are_all_kept_and_comments_between_them_dropped() {
    let mut file = handmade_jpeg(3, false, 8, 4, 4);
    file.truncate(file.len() - 2);
    file.extend(segment(0xFE, b"secret between scans"));
    file.extend(segment(0xE1, b"Exif\0\0late"));
    file.extend(segment(0xC4, &dht()));
    file.extend(sos(3));
    file.extend_from_slice(&ENTROPY_2);
    file.extend_from_slice(&[0xFF, 0xFF, 0xD9]);
    let out = strip_jpeg_metadata(&file).unwrap();
    assert!(!contains(&out, b"secret") && !contains(&out, b"late"));
    let mut second_scan = sos(3);
    second_scan.extend_from_slice(&ENTROPY_2);
    second_scan.extend_from_slice(&[0xFF, 0xD9]);
    assert!(out.ends_with(&second_scan));
    let mut first_scan = sos(3);
    first_scan.extend_from_slice(&ENTROPY_1);
    first_scan.extend(segment(0xC4, &dht()));
    assert!(contains(&out, &first_scan));
}

#[test]
fn twelve_bit_jpeg_is_refused_with_a_reason() {
    let error = open(&handmade_jpeg(3, false, 12, 8, 8), ImageFormat::Jpeg, &defaults()).unwrap_err().to_string();
    assert!(error.contains("12-bit JPEG"), "{error}");
}

#[test]
fn lossless_and_arithmetic_jpeg_are_refused() {
    let mut lossless = handmade_jpeg(1, false, 8, 8, 8);
    let sof = lossless.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    lossless[sof + 1] = 0xC3;
    assert!(open(&lossless, ImageFormat::Jpeg, &defaults()).unwrap_err().to_string().contains("lossless"));
    lossless[sof + 1] = 0xC9;
    assert!(open(&lossless, ImageFormat::Jpeg, &defaults()).unwrap_err().to_string().contains("arithmetic"));
}

#[test]
fn truncated_jpeg_is_refused() {
    let file = with_segments(&jpeg_rgb(32, 32), &[exif_app1(6, None)]);
    let no_eoi = open(&file[..file.len() - 2], ImageFormat::Jpeg, &defaults()).unwrap_err().to_string();
    assert_eq!(no_eoi, "truncated JPEG: no end-of-image marker");
    let in_scan = (sos_offset(&file) + file.len()) / 2;
    let half = open(&file[..in_scan], ImageFormat::Jpeg, &defaults()).unwrap_err().to_string();
    assert_eq!(half, "truncated JPEG: no end-of-image marker");
    let in_exif = open(&file[..30], ImageFormat::Jpeg, &defaults()).unwrap_err().to_string();
    assert_eq!(in_exif, "truncated JPEG: a header segment runs past the end of the file");
    let headers_only = &file[..sos_offset(&file)];
    let no_scan = open(headers_only, ImageFormat::Jpeg, &defaults()).unwrap_err().to_string();
    assert_eq!(no_scan, "truncated JPEG: the file ends before the image data");
    let ends_early = [headers_only, &[0xFF, 0xD9]].concat();
    assert!(open(&ends_early, ImageFormat::Jpeg, &defaults()).unwrap_err().to_string().contains("no image data"));
    // Every shorter file is refused: none can be embedded half-drawn.
    for length in 0..file.len() {
        assert!(open(&file[..length], ImageFormat::Jpeg, &defaults()).is_err(), "cut at {length}");
    }
}

#[test]
fn a_file_that_is_not_a_jpeg_is_refused_and_named() {
    let png = png_encoded(&gradient_rgb(2, 2), 2, 2, ExtendedColorType::Rgb8);
    let error = open(&png, ImageFormat::Jpeg, &defaults()).unwrap_err().to_string();
    assert_eq!(error, "the file is not a JPEG image: its content is a PNG image");
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
    assert!(open(heic, ImageFormat::Jpeg, &defaults()).unwrap_err().to_string().contains("HEIC"));
    let pdf = b"%PDF-1.7\n";
    assert!(open(pdf, ImageFormat::Jpeg, &defaults()).unwrap_err().to_string().contains("PDF document"));
    assert_eq!(open(b"", ImageFormat::Jpeg, &defaults()).unwrap_err().to_string(), "the file is empty, not a JPEG image");
    assert_eq!(open(b"hello", ImageFormat::Jpeg, &defaults()).unwrap_err().to_string(), "the file is not a JPEG image");
    assert!(strip_jpeg_metadata(b"hello").is_err());
}

#[test]
fn huge_jpeg_is_refused_from_its_header() {
    let file = handmade_jpeg(3, false, 8, 40000, 40000);
    let error = open(&file, ImageFormat::Jpeg, &defaults()).unwrap_err().to_string();
    assert_eq!(error, "image is 40000 × 40000 pixels, too large to decode safely (limit 64 megapixels); save a smaller copy (a phone camera's standard size, or a scan at 300 dpi) and add that");
}

// ---------------------------------------------------------------- PNG

#[test]
fn plain_png_keeps_its_compressed_data() {
    let (width, height) = (23, 17);
    let pixels = gradient_rgb(width, height);
    let file = png_encoded(&pixels, width, height, ExtendedColorType::Rgb8);
    let photo = open(&file, ImageFormat::Png, &defaults()).unwrap();
    assert_eq!(photo.encoding, Encoding::FlatePng { colors: 3, bits: 8, columns: width });
    assert_eq!((photo.width, photo.height, photo.color.clone(), photo.bits_per_component), (width, height, ColorSpace::Rgb, 8));
    assert!(contains(&file, &photo.data), "IDAT data copied as it is");
    assert_eq!(unpredict(&photo.data, width, height, 3, 8), pixels);
    assert_eq!(photo.alpha, None);
}

#[test]
fn sixteen_bit_png_stays_sixteen_bit() {
    let (width, height) = (5, 4);
    let samples: Vec<u16> = (0..width * height * 3).map(|i| (i * 2999) as u16).collect();
    let native: Vec<u8> = samples.iter().flat_map(|s| s.to_ne_bytes()).collect();
    let big_endian: Vec<u8> = samples.iter().flat_map(|s| s.to_be_bytes()).collect();
    let file = png_encoded(&native, width, height, ExtendedColorType::Rgb16);
    let photo = open(&file, ImageFormat::Png, &defaults()).unwrap();
    assert_eq!(photo.bits_per_component, 16);
    assert_eq!(photo.encoding, Encoding::FlatePng { colors: 3, bits: 16, columns: width });
    assert_eq!(unpredict(&photo.data, width, height, 3, 16), big_endian);

    // With an alpha channel it is decoded, and still 16-bit.
    let rgba: Vec<u16> = (0..width * height * 4).map(|i| if i % 4 == 3 { 0x80FF } else { (i * 999) as u16 }).collect();
    let native: Vec<u8> = rgba.iter().flat_map(|s| s.to_ne_bytes()).collect();
    let file = png_encoded(&native, width, height, ExtendedColorType::Rgba16);
    let photo = open(&file, ImageFormat::Png, &defaults()).unwrap();
    assert_eq!((photo.encoding, photo.bits_per_component), (Encoding::Flate, 16));
    let rgb: Vec<u8> = rgba.chunks(4).flat_map(|p| p[..3].iter().flat_map(|s| s.to_be_bytes())).collect();
    assert_eq!(inflate(&photo.data), rgb);
    assert_eq!(inflate(&photo.alpha.unwrap()), vec![0x80; (width * height) as usize]);
}

#[test]
fn palette_png_becomes_an_indexed_image() {
    let palette = [255, 0, 0, 0, 255, 0, 0, 0, 255];
    // 5 × 2 pixels at 4 bits: three bytes a row, each after a filter byte of 0.
    let rows = [0, 0x01, 0x20, 0x10, 0, 0x22, 0x11, 0x00];
    let stream = zlib(&rows);
    let (first, second) = stream.split_at(stream.len() / 2);
    let file = png_of(&[ihdr(5, 2, 4, 3, 0), chunk(b"PLTE", &palette), chunk(b"IDAT", first), chunk(b"IDAT", second)]);
    let photo = open(&file, ImageFormat::Png, &defaults()).unwrap();
    assert_eq!(photo.color, ColorSpace::Indexed { palette: palette.to_vec(), hival: 2 });
    assert_eq!(photo.bits_per_component, 4);
    assert_eq!(photo.encoding, Encoding::FlatePng { colors: 1, bits: 4, columns: 5 });
    assert_eq!(photo.data, stream);
    assert_eq!(unpredict(&photo.data, 5, 2, 1, 4), [0x01, 0x20, 0x10, 0x22, 0x11, 0x00]);

    let no_palette = png_of(&[ihdr(5, 2, 4, 3, 0), chunk(b"IDAT", &stream)]);
    assert!(open(&no_palette, ImageFormat::Png, &defaults()).unwrap_err().to_string().contains("without a palette"));
}

#[test]
fn rgba_png_gets_a_soft_mask() {
    let (width, height) = (6, 3);
    let mut pixels = Vec::new();
    for (i, rgb) in gradient_rgb(width, height).chunks(3).enumerate() {
        pixels.extend_from_slice(rgb);
        pixels.push((i * 14) as u8);
    }
    let file = png_encoded(&pixels, width, height, ExtendedColorType::Rgba8);
    let photo = open(&file, ImageFormat::Png, &defaults()).unwrap();
    assert_eq!((photo.encoding, photo.color.clone(), photo.bits_per_component), (Encoding::Flate, ColorSpace::Rgb, 8));
    assert_eq!(inflate(&photo.data), gradient_rgb(width, height));
    let alpha: Vec<u8> = pixels.chunks(4).map(|p| p[3]).collect();
    assert_eq!(inflate(photo.alpha.as_ref().unwrap()), alpha);
}

#[test]
fn opaque_alpha_channel_needs_no_mask() {
    let pixels: Vec<u8> = gradient_rgb(4, 4).chunks(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    let photo = open(&png_encoded(&pixels, 4, 4, ExtendedColorType::Rgba8), ImageFormat::Png, &defaults()).unwrap();
    assert_eq!(photo.alpha, None);
    assert_eq!(inflate(&photo.data), gradient_rgb(4, 4));
}

#[test]
fn transparent_colour_key_becomes_a_mask() {
    let rows = [0, 0, 90, 0, 90, 0];
    let file = png_of(&[ihdr(2, 2, 8, 0, 0), chunk(b"tRNS", &[0, 0]), chunk(b"IDAT", &zlib(&rows))]);
    let photo = open(&file, ImageFormat::Png, &defaults()).unwrap();
    assert_eq!((photo.encoding, photo.color.clone()), (Encoding::Flate, ColorSpace::Gray));
    assert_eq!(inflate(&photo.data), [0, 90, 90, 0]);
    assert_eq!(inflate(&photo.alpha.unwrap()), [0, 255, 255, 0]);
}

#[test]
fn interlaced_png_is_decoded() {
    // Adam7 on 2 × 2: pass 1 holds (0,0), pass 6 holds (1,0), pass 7 the second row.
    let passes = [0, 10, 0, 20, 0, 30, 40];
    let file = png_of(&[ihdr(2, 2, 8, 0, 1), chunk(b"IDAT", &zlib(&passes))]);
    let photo = open(&file, ImageFormat::Png, &defaults()).unwrap();
    assert_eq!((photo.encoding, photo.bits_per_component), (Encoding::Flate, 8));
    assert_eq!(inflate(&photo.data), [10, 20, 30, 40]);
}

#[test]
fn png_exif_orientation_is_read() {
    let file = png_encoded(&gradient_rgb(3, 2), 3, 2, ExtendedColorType::Rgb8);
    let with_exif = [&file[..33], &chunk(b"eXIf", &exif_block(8, None)), &file[33..]].concat();
    let photo = open(&with_exif, ImageFormat::Png, &defaults()).unwrap();
    assert_eq!(photo.orientation, Orientation(8));
    assert!(matches!(photo.encoding, Encoding::FlatePng { .. }));
    assert!(!contains(&photo.data, SERIAL));
    assert_eq!(exif_date(&with_exif).map(|d| d.to_string()), Some("2025-09-12 14:03:59".to_string()));
}

#[test]
fn truncated_or_damaged_png_is_refused() {
    let file = png_encoded(&gradient_rgb(20, 20), 20, 20, ExtendedColorType::Rgb8);
    let no_end = open(&file[..file.len() - 12], ImageFormat::Png, &defaults()).unwrap_err().to_string();
    assert_eq!(no_end, "truncated PNG: the file ends before the image end (IEND chunk)");
    let cut = open(&file[..file.len() - 30], ImageFormat::Png, &defaults()).unwrap_err().to_string();
    assert_eq!(cut, "truncated PNG: the file ends inside the IDAT chunk");
    for length in 0..file.len() {
        assert!(open(&file[..length], ImageFormat::Png, &defaults()).is_err(), "cut at {length}");
    }

    let mut flipped = file.clone();
    let idat = flipped.windows(4).position(|w| w == b"IDAT").unwrap();
    flipped[idat + 10] ^= 0x40;
    let error = open(&flipped, ImageFormat::Png, &defaults()).unwrap_err().to_string();
    assert_eq!(error, "corrupt PNG: the checksum of the IDAT chunk does not match its content");

    // Chunks intact, image data short: caught by inflating it.
    let stream = zlib(&[0, 1, 2, 3, 0, 4, 5, 6]);
    let short = png_of(&[ihdr(3, 3, 8, 0, 0), chunk(b"IDAT", &stream)]);
    assert!(open(&short, ImageFormat::Png, &defaults()).unwrap_err().to_string().contains("ends before the last row"));
    let bad_filter = png_of(&[ihdr(1, 1, 8, 0, 0), chunk(b"IDAT", &zlib(&[9, 0]))]);
    assert!(open(&bad_filter, ImageFormat::Png, &defaults()).unwrap_err().to_string().contains("filter"));
    let garbage = png_of(&[ihdr(1, 1, 8, 0, 0), chunk(b"IDAT", b"not zlib at all")]);
    assert!(open(&garbage, ImageFormat::Png, &defaults()).unwrap_err().to_string().contains("cannot be decompressed"));
}

#[test]
fn a_file_that_is_not_a_png_is_refused() {
    let error = open(&jpeg_rgb(4, 4), ImageFormat::Png, &defaults()).unwrap_err().to_string();
    assert_eq!(error, "the file is not a PNG image: its content is a JPEG image");
    assert_eq!(open(b"not a PNG", ImageFormat::Png, &defaults()).unwrap_err().to_string(), "the file is not a PNG image");
}

#[test]
fn png_decompression_bomb_is_refused_before_decoding() {
    // A few hundred bytes that declare 50000 × 50000 RGBA pixels (10 GB decoded).
    let rows = zlib(&vec![0u8; 4096]);
    let bomb = png_of(&[ihdr(50000, 50000, 8, 6, 0), chunk(b"IDAT", &rows)]);
    let started = Instant::now();
    let error = open(&bomb, ImageFormat::Png, &defaults()).unwrap_err().to_string();
    assert!(started.elapsed() < Duration::from_millis(200));
    assert_eq!(error, "image is 50000 × 50000 pixels, too large to decode safely (limit 64 megapixels); save a smaller copy (a phone camera's standard size, or a scan at 300 dpi) and add that");
}

#[test]
fn memory_limit_is_checked_before_decoding() {
    let pixels = vec![7u8; 300 * 300 * 4];
    let file = png_encoded(&pixels, 300, 300, ExtendedColorType::Rgba8);
    let small = Limits { max_pixels: 1_000_000, max_alloc: 256 * 1024 };
    let error = open(&file, ImageFormat::Png, &small).unwrap_err().to_string();
    assert!(error.contains("MiB of memory"), "{error}");
    let few_pixels = Limits { max_pixels: 1_500, max_alloc: 1 << 30 };
    let error = open(&file, ImageFormat::Png, &few_pixels).unwrap_err().to_string();
    assert!(error.contains("(limit 0.0 megapixels); save a smaller copy"), "{error}");
}

// ---------------------------------------------------------------- TIFF

#[test]
fn tiff_is_decoded_losslessly() {
    let (width, height) = (9, 5);
    let pixels = gradient_rgb(width, height);
    let photo = open(&tiff_encoded(&pixels, width, height, ExtendedColorType::Rgb8), ImageFormat::Tiff, &defaults()).unwrap();
    assert_eq!((photo.width, photo.height, photo.color.clone()), (width, height, ColorSpace::Rgb));
    assert_eq!((photo.encoding, photo.bits_per_component, photo.orientation), (Encoding::Flate, 8, Orientation(1)));
    assert_eq!(inflate(&photo.data), pixels);

    let gray16: Vec<u16> = (0..12).map(|i| i * 5000).collect();
    let native: Vec<u8> = gray16.iter().flat_map(|s| s.to_ne_bytes()).collect();
    let photo = open(&tiff_encoded(&native, 4, 3, ExtendedColorType::L16), ImageFormat::Tiff, &defaults()).unwrap();
    assert_eq!((photo.color.clone(), photo.bits_per_component), (ColorSpace::Gray, 16));
    assert_eq!(inflate(&photo.data), gray16.iter().flat_map(|s| s.to_be_bytes()).collect::<Vec<u8>>());
}

#[test]
fn black_and_white_scan_is_packed_to_one_bit() {
    // 10 × 2: rows of 10 pixels pack into two bytes each.
    let mut pixels = vec![0u8; 20];
    for i in [0, 2, 9, 10, 19] {
        pixels[i] = 255;
    }
    let photo = open(&tiff_encoded(&pixels, 10, 2, ExtendedColorType::L8), ImageFormat::Tiff, &defaults()).unwrap();
    assert_eq!((photo.color.clone(), photo.bits_per_component), (ColorSpace::Gray, 1));
    assert_eq!(inflate(&photo.data), [0b1010_0000, 0b0100_0000, 0b1000_0000, 0b0100_0000]);
}

fn three_directory_tiff(little_endian: bool) -> Vec<u8> {
    tiff_file(
        &[
            TiffPage { width: 3, height: 2, gray: vec![1, 2, 3, 4, 5, 6], orientation: Some(6), new_subfile: Some(2) },
            // A preview beside the pages, not a page.
            TiffPage { width: 1, height: 1, gray: vec![99], orientation: None, new_subfile: Some(1) },
            TiffPage { width: 2, height: 2, gray: vec![7, 8, 9, 10], orientation: Some(3), new_subfile: None },
        ],
        little_endian,
    )
}

#[test]
fn every_page_of_a_multipage_tiff_opens_with_its_own_orientation() {
    for little_endian in [true, false] {
        let file = three_directory_tiff(little_endian);
        let pages = open_pages(&file, ImageFormat::Tiff, &defaults()).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!((pages[0].width, pages[0].height, pages[0].orientation), (3, 2, Orientation(6)));
        assert_eq!(inflate(&pages[0].data), [1, 2, 3, 4, 5, 6]);
        assert_eq!((pages[1].width, pages[1].height, pages[1].orientation), (2, 2, Orientation(3)));
        assert_eq!(inflate(&pages[1].data), [7, 8, 9, 10]);

        let first = open(&file, ImageFormat::Tiff, &defaults()).unwrap();
        assert_eq!(first, pages[0]);
    }
}

#[test]
fn truncated_or_huge_tiff_is_refused() {
    let file = tiff_encoded(&gradient_rgb(30, 30), 30, 30, ExtendedColorType::Rgb8);
    for length in [0, 3, 8, file.len() / 2, file.len() - 1] {
        assert!(open(&file[..length], ImageFormat::Tiff, &defaults()).is_err(), "cut at {length}");
    }
    let huge = tiff_file(&[TiffPage { width: 50000, height: 50000, gray: vec![0; 8], orientation: None, new_subfile: None }], true);
    let started = Instant::now();
    let error = open(&huge, ImageFormat::Tiff, &defaults()).unwrap_err().to_string();
    assert!(started.elapsed() < Duration::from_millis(200));
    assert!(error.starts_with("image is 50000 × 50000 pixels, too large"), "{error}");
    assert_eq!(
        open(b"GIF89a....", ImageFormat::Tiff, &defaults()).unwrap_err().to_string(),
        "the file is not a TIFF image: its content is a GIF image"
    );
}

// ---------------------------------------------------------------- orientation

/// The stored picture as displayed, by the EXIF definition: the operations a viewer applies.
fn display(stored: &[Vec<u32>], orientation: u8) -> Vec<Vec<u32>> {
    let rows = stored.len();
    let columns = stored[0].len();
    let flip_h = |g: &[Vec<u32>]| g.iter().map(|r| r.iter().rev().copied().collect()).collect::<Vec<Vec<u32>>>();
    let flip_v = |g: &[Vec<u32>]| g.iter().rev().cloned().collect::<Vec<Vec<u32>>>();
    let transpose = |g: &[Vec<u32>]| (0..g[0].len()).map(|c| g.iter().map(|r| r[c]).collect()).collect::<Vec<Vec<u32>>>();
    // Clockwise quarter turn: displayed row r is stored column r read bottom to top.
    let clockwise = |g: &[Vec<u32>]| (0..columns).map(|c| (0..rows).rev().map(|r| g[r][c]).collect()).collect::<Vec<Vec<u32>>>();
    match orientation {
        2 => flip_h(stored),
        3 => flip_v(&flip_h(stored)),
        4 => flip_v(stored),
        5 => transpose(stored),
        6 => clockwise(stored),
        7 => flip_v(&clockwise(stored)),
        8 => flip_v(&transpose(stored)),
        _ => stored.to_vec(),
    }
}

#[test]
fn every_orientation_draws_the_upright_picture_into_the_rectangle() {
    let (columns, rows) = (3usize, 2usize);
    let stored: Vec<Vec<u32>> = (0..rows).map(|r| (0..columns).map(|c| (r * 10 + c) as u32).collect()).collect();
    let (x, y) = (50.0, 70.0);
    for value in 1..=8u8 {
        let orientation = Orientation(value);
        let shown = display(&stored, value);
        let (w, h) = orientation.displayed_size(120.0, 80.0);
        assert_eq!((shown[0].len() as f64 / shown.len() as f64), w / h, "orientation {value}: aspect");
        let [a, b, c, d, e, f] = orientation.matrix(x, y, w, h);
        // The unit square lands exactly on the rectangle.
        let corners: Vec<(f64, f64)> =
            [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)].iter().map(|&(s, t)| (a * s + c * t + e, b * s + d * t + f)).collect();
        let xs: Vec<f64> = corners.iter().map(|p| p.0).collect();
        let ys: Vec<f64> = corners.iter().map(|p| p.1).collect();
        assert_eq!(xs.iter().cloned().fold(f64::MAX, f64::min), x);
        assert_eq!(xs.iter().cloned().fold(f64::MIN, f64::max), x + w);
        assert_eq!(ys.iter().cloned().fold(f64::MAX, f64::min), y);
        assert_eq!(ys.iter().cloned().fold(f64::MIN, f64::max), y + h);
        // Every displayed pixel's centre on the page shows the stored pixel it should.
        let determinant = a * d - b * c;
        for (display_row, line) in shown.iter().enumerate() {
            for (display_column, &expected) in line.iter().enumerate() {
                let page_x = x + (display_column as f64 + 0.5) / line.len() as f64 * w;
                let page_y = y + h - (display_row as f64 + 0.5) / shown.len() as f64 * h;
                let (px, py) = (page_x - e, page_y - f);
                let s = (d * px - c * py) / determinant;
                let t = (a * py - b * px) / determinant;
                let stored_column = (s * columns as f64).floor() as usize;
                let stored_row = ((1.0 - t) * rows as f64).floor() as usize;
                assert_eq!(
                    stored[stored_row][stored_column], expected,
                    "orientation {value}, displayed pixel ({display_row}, {display_column})"
                );
            }
        }
    }
}

#[test]
fn orientation_6_turns_the_first_stored_row_to_the_right_edge() {
    // Stored top-left corner (unit square (0, 1)) goes to the upright top-right corner.
    let [a, b, c, d, e, f] = Orientation(6).matrix(0.0, 0.0, 30.0, 40.0);
    assert_eq!((a * 0.0 + c * 1.0 + e, b * 0.0 + d * 1.0 + f), (30.0, 40.0));
    assert_eq!(Orientation(1).matrix(5.0, 6.0, 30.0, 40.0), [30.0, 0.0, 0.0, 40.0, 5.0, 6.0]);
}

#[test]
fn out_of_range_orientation_is_upright() {
    for value in [0, 9, 255] {
        let orientation = Orientation(value);
        assert_eq!(orientation.value(), 1);
        assert_eq!(orientation.displayed_size(4.0, 3.0), (4.0, 3.0));
        assert_eq!(orientation.matrix(1.0, 2.0, 4.0, 3.0), Orientation(1).matrix(1.0, 2.0, 4.0, 3.0));
    }
}

#[test]
fn extensions_name_formats() {
    assert_eq!(ImageFormat::from_extension("JPG"), Some(ImageFormat::Jpeg));
    assert_eq!(ImageFormat::from_extension("tif"), Some(ImageFormat::Tiff));
    assert_eq!(ImageFormat::from_extension("png"), Some(ImageFormat::Png));
    assert_eq!(ImageFormat::from_extension("HEIC"), Some(ImageFormat::Heif));
    assert_eq!(ImageFormat::from_extension("gif"), None);
}

// ---------------------------------------------------------------- robustness

/// A small deterministic generator, so failures reproduce.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn try_everything(bytes: &[u8], format: ImageFormat) {
    let _ = open(bytes, format, &defaults());
    let _ = open_pages(bytes, format, &defaults());
    let _ = strip_jpeg_metadata(bytes);
    let _ = exif_date(bytes);
}

#[test]
fn cut_and_damaged_files_never_panic() {
    let palette = png_of(&[ihdr(5, 2, 4, 3, 0), chunk(b"PLTE", &[1, 2, 3, 4, 5, 6]), chunk(b"IDAT", &zlib(&[0, 1, 2, 3, 0, 4, 5, 6]))]);
    let rgba: Vec<u8> = gradient_rgb(7, 5).chunks(3).flat_map(|p| [p[0], p[1], p[2], p[0]]).collect();
    let png_with_exif = {
        let file = png_encoded(&gradient_rgb(6, 6), 6, 6, ExtendedColorType::Rgb8);
        [&file[..33], &chunk(b"eXIf", &exif_block(6, None)), &file[33..]].concat()
    };
    let samples: Vec<(Vec<u8>, ImageFormat)> = vec![
        (with_segments(&jpeg_rgb(24, 16), &metadata_segments(6, &jpeg_rgb(8, 8))), ImageFormat::Jpeg),
        (handmade_jpeg(4, true, 8, 16, 16), ImageFormat::Jpeg),
        (png_encoded(&gradient_rgb(12, 9), 12, 9, ExtendedColorType::Rgb8), ImageFormat::Png),
        (png_encoded(&rgba, 7, 5, ExtendedColorType::Rgba8), ImageFormat::Png),
        (png_with_exif, ImageFormat::Png),
        (palette, ImageFormat::Png),
        (tiff_encoded(&gradient_rgb(8, 6), 8, 6, ExtendedColorType::Rgb8), ImageFormat::Tiff),
        (three_directory_tiff(true), ImageFormat::Tiff),
        (three_directory_tiff(false), ImageFormat::Tiff),
    ];
    let mut random = XorShift(0x2545_F491_4F6C_DD1D);
    for (file, format) in &samples {
        let lengths = (0..file.len()).step_by(97).chain(0..64.min(file.len()));
        for length in lengths {
            try_everything(&file[..length], *format);
        }
        for _ in 0..400 {
            let mut damaged = file.clone();
            for _ in 0..=random.next() % 4 {
                let at = (random.next() % damaged.len() as u64) as usize;
                damaged[at] = random.next() as u8;
            }
            try_everything(&damaged, *format);
        }
    }
}

#[test]
fn each_refusal_says_what_kind_of_failure_it_is() {
    use crate::import::ErrorKind;
    let kind = |bytes: &[u8], format| open(bytes, format, &defaults()).map(|_| ()).unwrap_err().kind();
    let file = jpeg_rgb(32, 32);
    assert_eq!(kind(&file[..file.len() - 2], ImageFormat::Jpeg), ErrorKind::Truncated);
    assert_eq!(kind(&handmade_jpeg(3, false, 12, 8, 8), ImageFormat::Jpeg), ErrorKind::Unsupported);
    assert_eq!(kind(b"hello", ImageFormat::Jpeg), ErrorKind::NotTheFormat);
    assert_eq!(kind(b"hello", ImageFormat::Png), ErrorKind::NotTheFormat);
    let bomb = png_of(&[ihdr(50000, 50000, 8, 6, 0), chunk(b"IDAT", &zlib(&vec![0u8; 4096]))]);
    assert_eq!(kind(&bomb, ImageFormat::Png), ErrorKind::TooLarge);
    let mut flipped = png_encoded(&[9u8; 12], 2, 2, ExtendedColorType::Rgb8);
    let idat = flipped.windows(4).position(|w| w == b"IDAT").unwrap();
    flipped[idat + 5] ^= 0x40;
    assert_eq!(kind(&flipped, ImageFormat::Png), ErrorKind::Damaged);
}

#[test]
fn thirty_two_bit_tiff_samples_keep_their_range() {
    use ::tiff::encoder::{colortype, TiffEncoder as Encoder};
    let mut float = Cursor::new(Vec::new());
    Encoder::new(&mut float).unwrap().write_image::<colortype::Gray32Float>(3, 1, &[0.0, 0.5, 1.0]).unwrap();
    let photo = open(float.get_ref(), ImageFormat::Tiff, &defaults()).unwrap();
    assert_eq!((&photo.color, photo.bits_per_component), (&ColorSpace::Gray, 16));
    assert_eq!(inflate(&photo.data), [0x00, 0x00, 0x80, 0x00, 0xFF, 0xFF]);
    let mut int = Cursor::new(Vec::new());
    Encoder::new(&mut int).unwrap().write_image::<colortype::RGB32>(1, 1, &[u32::MAX, 0, 0x8000_0000]).unwrap();
    let photo = open(int.get_ref(), ImageFormat::Tiff, &defaults()).unwrap();
    assert_eq!((&photo.color, photo.bits_per_component), (&ColorSpace::Rgb, 16));
    assert_eq!(inflate(&photo.data), [0xFF, 0xFF, 0x00, 0x00, 0x80, 0x00]);
}
