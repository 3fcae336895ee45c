//! Checks that a passed-through JPEG's compressed picture is whole: its scans walked code by
//! code (`scan.rs`), and what the walk does not judge decoded once.
//! The packet still carries the original bytes; damage inside them (flipped bits, a scan cut short
//! and closed with an end marker) would otherwise reach the reader, which paints it grey or smeared.

use zune_core::bytestream::ZCursor;
use zune_core::options::DecoderOptions;
use zune_jpeg::errors::DecodeErrors;
use zune_jpeg::JpegDecoder;

use super::jpeg::Frame;
use super::scan::Walked;
use super::{check_alloc, Limits};
use crate::import::Error;

/// What the user reads when the picture data does not decode.
pub(super) const DAMAGED_PICTURE: &str = "is a damaged JPEG: its picture data is damaged, so a viewer would show part of \
     the photo grey or smeared; take or export the photo again, or get a fresh copy from whoever sent it";

/// Walks `jpeg` (already stripped of metadata; not again where the walk ahead of the strip
/// found it whole, `walked_whole`) and refuses it when a scan is damaged; what the walk leaves
/// unjudged (other frames, the standard tables, headers it does not model) is
/// decoded in the decoder's strict mode, which stops at the first thing its lenient mode would
/// paper over, and refused if it stops.
pub(super) fn check_jpeg(jpeg: &[u8], frame: Frame, limits: &Limits, walked_whole: bool) -> Result<(), Error> {
    // Within the limits first: the walk of a progressive JPEG keeps a word for each block.
    check_alloc(decode_memory(frame), limits)?;
    let walked = if walked_whole { Walked::Whole } else { super::scan::walk(jpeg) };
    if walked == Walked::Damaged {
        return Err(Error::Damaged(DAMAGED_PICTURE.into()));
    }
    let options =
        DecoderOptions::default().set_strict_mode(true).set_max_width(usize::from(frame.width)).set_max_height(usize::from(frame.height));
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(jpeg), options);
    // A single scan walked code by code with headers the walk models: the decoder's reading of
    // the headers is all the decode would add (`tests.rs` holds the two to the same verdicts on
    // mutated files), and the decode itself would cost most of a build's time.
    let decoded = if walked == Walked::Whole { decoder.decode_headers() } else { decoder.decode().map(drop) };
    match decoded {
        Ok(()) => Ok(()),
        // A coding the decoder lacks is not damage: PDF readers may still show it, so the file
        // keeps today's passthrough (arithmetic, lossless and 12-bit JPEGs are refused, with
        // their own reasons, before this point).
        Err(DecodeErrors::Unsupported(_)) => Ok(()),
        Err(DecodeErrors::LargeDimensions(_)) => Err(Error::TooLarge("JPEG image is too large to decode safely".into())),
        Err(_) => Err(Error::Damaged(DAMAGED_PICTURE.into())),
    }
}

/// Bytes the decoder holds at once: the output pixels, plus for a progressive JPEG its 16-bit
/// coefficients, kept for every block until the last scan.
fn decode_memory(frame: Frame) -> u64 {
    let samples = u64::from(frame.width) * u64::from(frame.height) * u64::from(frame.components);
    if frame.progressive {
        samples * 3
    } else {
        samples
    }
}
