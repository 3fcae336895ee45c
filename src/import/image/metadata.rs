//! Reads the EXIF facts a packet uses (orientation, date taken) and nothing else.

use chrono::{NaiveDate, NaiveDateTime};
use exif::{In, Tag, Value};

use super::{jpeg, png, Orientation, PixelShape};

/// What a photo's EXIF says about placing and dating it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct ExifFacts {
    pub orientation: Orientation,
    pub taken: Option<NaiveDateTime>,
    /// Pixels per inch across and down (XResolution, YResolution in inches or centimetres), when
    /// the file says: a fax's are unequal (204 × 196).
    pub resolution: Option<(f64, f64)>,
    /// The pixels' shape from XResolution and YResolution, in whatever unit (a TIFF may give
    /// the ratio alone, with no unit).
    pub pixel: PixelShape,
}

/// Reads a TIFF-structured EXIF block (a JPEG APP1 payload after `Exif\0\0`, a PNG eXIf chunk,
/// or a whole TIFF file). Broken EXIF never fails the image: it only loses these facts.
pub(super) fn read(tiff: &[u8]) -> ExifFacts {
    let reader = {
        let mut reader = exif::Reader::new();
        // Keep what parses: phone EXIF often has one bad maker-note field beside a good
        // orientation.
        reader.continue_on_error(true);
        reader
    };
    let Ok(exif) = reader.read_raw(tiff.to_vec()).or_else(|e| e.distill_partial_result(|_| {})) else {
        return ExifFacts::default();
    };
    facts(&exif)
}

/// Reads the EXIF block of a HEIC/HEIF file, found through the file's own item list.
pub(super) fn read_heif(bytes: &[u8]) -> ExifFacts {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    match reader.read_from_container(&mut std::io::Cursor::new(bytes)).or_else(|e| e.distill_partial_result(|_| {})) {
        Ok(exif) => facts(&exif),
        Err(_) => ExifFacts::default(),
    }
}

fn facts(exif: &exif::Exif) -> ExifFacts {
    let orientation = exif
        .get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|field| field.value.get_uint(0))
        .and_then(|value| u8::try_from(value).ok())
        .map(Orientation)
        .filter(|o| o.value() == o.0)
        .unwrap_or_default();
    let taken = [Tag::DateTimeOriginal, Tag::DateTimeDigitized]
        .into_iter()
        .find_map(|tag| date(exif.get_field(tag, In::PRIMARY).map(|field| &field.value)?));
    let density = density(exif);
    let pixel = density.map_or(PixelShape::SQUARE, |(across, down)| PixelShape::from_density(across, down));
    ExifFacts { orientation, taken, resolution: density.and_then(|d| per_inch(exif, d)), pixel }
}

/// XResolution and YResolution as written, in their unit (whatever it is).
fn density(exif: &exif::Exif) -> Option<(f64, f64)> {
    let read = |tag| match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Rational(r) if !r.is_empty() && r[0].denom != 0 => Some(r[0].to_f64()).filter(|v| v.is_finite() && *v > 0.0),
        _ => None,
    };
    Some((read(Tag::XResolution)?, read(Tag::YResolution)?))
}

/// The density in pixels per inch, when its unit is one (inches, the default, or centimetres).
fn per_inch(exif: &exif::Exif, (across, down): (f64, f64)) -> Option<(f64, f64)> {
    let per_inch = match exif.get_field(Tag::ResolutionUnit, In::PRIMARY).and_then(|f| f.value.get_uint(0)) {
        Some(3) => 2.54,
        Some(1) => return None,
        _ => 1.0,
    };
    let (across, down) = (across * per_inch, down * per_inch);
    (across >= 1.0 && down >= 1.0).then_some((across, down))
}

fn date(value: &Value) -> Option<NaiveDateTime> {
    let Value::Ascii(strings) = value else {
        return None;
    };
    let parsed = exif::DateTime::from_ascii(strings.first()?).ok()?;
    // Unset dates come as "0000:00:00 00:00:00", which no calendar accepts.
    NaiveDate::from_ymd_opt(i32::from(parsed.year), u32::from(parsed.month), u32::from(parsed.day))?.and_hms_nano_opt(
        u32::from(parsed.hour),
        u32::from(parsed.minute),
        u32::from(parsed.second),
        parsed.nanosecond.unwrap_or(0),
    )
}

/// When a JPEG, PNG, TIFF or HEIC photo was taken, from its EXIF DateTimeOriginal (else
/// DateTimeDigitized); `None` when the file has no such date. The container is recognised from
/// the content, not the name.
pub fn exif_date(bytes: &[u8]) -> Option<NaiveDateTime> {
    let tiff = if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg::exif_payload(bytes)?
    } else if bytes.starts_with(png::SIGNATURE) {
        png::exif_chunk(bytes)?
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        bytes
    } else if bytes.get(4..8) == Some(b"ftyp") {
        return read_heif(bytes).taken;
    } else {
        return None;
    };
    read(tiff).taken
}
