//! Opens JPEGs as a build does (metadata stripped, picture data walked and decoded once) and
//! says how long each took, and how long the decode alone takes: `cargo run --release --example jpeg-check -- FILE...`. With
//! `--make WIDTHxHEIGHT OUT.jpg` it first writes a progressive JPEG of that size (a smooth
//! picture with fine detail, as a photo has) to measure with.

use std::time::Instant;

use redress::import::image::{open, ImageFormat, Limits};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--make") {
        let (size, out) = (args.get(1).ok_or("--make needs WIDTHxHEIGHT")?, args.get(2).ok_or("--make needs a file")?);
        let (width, height) = size.split_once('x').ok_or("size as WIDTHxHEIGHT")?;
        make(width.parse()?, height.parse()?, out)?;
        args.drain(..2);
    }
    for file in &args {
        let bytes = std::fs::read(file)?;
        let start = Instant::now();
        let outcome = open(&bytes, ImageFormat::Jpeg, &Limits::default());
        let took = start.elapsed();
        match outcome {
            Ok(photo) => {
                // The strict decode alone, as the check makes it: the rest is the walk of the
                // codes and the metadata strip.
                let start = Instant::now();
                let options = zune_core::options::DecoderOptions::default().set_strict_mode(true);
                zune_jpeg::JpegDecoder::new_with_options(zune_core::bytestream::ZCursor::new(&photo.data), options).decode()?;
                let decode = start.elapsed();
                println!("{file}: {} x {} in {took:.2?}, of which the decode {decode:.2?}", photo.width, photo.height)
            }
            Err(error) => println!("{file}: refused in {took:.2?}: {error}"),
        }
    }
    Ok(())
}

fn make(width: u16, height: u16, out: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut pixels = Vec::with_capacity(usize::from(width) * usize::from(height) * 3);
    let mut noise = 0x2545_f491_u32;
    for y in 0..u32::from(height) {
        for x in 0..u32::from(width) {
            noise ^= noise << 13;
            noise ^= noise >> 17;
            noise ^= noise << 5;
            let grain = (noise & 31) as u8;
            pixels.extend([(x * 200 / u32::from(width)) as u8 + grain, (y * 200 / u32::from(height)) as u8 + grain, 128 + grain]);
        }
    }
    let mut encoder = jpeg_encoder::Encoder::new_file(out, 90)?;
    encoder.set_progressive(true);
    encoder.encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb)?;
    Ok(())
}
