//! Real files from public test suites (`tests/corpus/`), opened as the build opens them, and
//! what their owners' own tests say they hold.

use std::io::Read;

use super::*;
use ::image::RgbImage;
use chrono::NaiveDate;

fn corpus(path: &str) -> Vec<u8> {
    let at = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(path);
    std::fs::read(&at).unwrap_or_else(|e| panic!("{}: {e}", at.display()))
}

fn pillow(name: &str) -> Vec<u8> {
    corpus(&format!("python-pillow+Pillow/Tests/images/{name}"))
}

fn inflate(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

/// What a PDF reader shows for an 8-bit RGB photo (Flate samples or a JPEG).
fn rgb(photo: &Photo) -> RgbImage {
    match (&photo.encoding, &photo.color, photo.bits_per_component) {
        (Encoding::Flate, ColorSpace::Rgb, 8) => RgbImage::from_raw(photo.width, photo.height, inflate(&photo.data)).unwrap(),
        (Encoding::Dct, _, _) => ::image::load_from_memory_with_format(&photo.data, ::image::ImageFormat::Jpeg).unwrap().to_rgb8(),
        other => panic!("not an 8-bit RGB photo: {other:?}"),
    }
}

/// Mean difference per sample (0–255) of two pictures of the same size.
fn difference(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let sum: u64 = a.as_raw().iter().zip(b.as_raw()).map(|(&x, &y)| u64::from(x.abs_diff(y))).sum();
    sum as f64 / a.as_raw().len() as f64
}

fn open_tiff(name: &str) -> Vec<Photo> {
    open_pages(&pillow(name), ImageFormat::Tiff, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn a_cielab_tiff_shows_its_colours_in_srgb() {
    // lab.tif is white (L* 100) all over; hopper.Lab.tif is Pillow's hopper picture in CIELab,
    // so it must come out as the RGB hopper (hopper_bigtiff.tif) does, up to rounding.
    let white = rgb(&open_tiff("lab.tif")[0]);
    assert!(white.pixels().all(|p| p.0 == [255, 255, 255]), "{:?}", white.get_pixel(0, 0));
    let lab = rgb(&open_tiff("hopper.Lab.tif")[0]);
    let reference = rgb(&open_tiff("hopper_bigtiff.tif")[0]);
    let off = difference(&lab, &reference);
    assert!(off < 2.5, "hopper in CIELab is {off:.2} off the RGB hopper");
    // lab-red.tif: L* 50, a* 100, b* 0 (Pillow's test), a red with a touch of blue.
    let red = *rgb(&open_tiff("lab-red.tif")[0]).get_pixel(5, 5);
    assert!(red[0] > 200 && red[1] < 40 && (90..170).contains(&red[2]), "{red:?}");
}

#[test]
fn ycbcr_and_jpeg_in_tiff_look_like_the_jpegs_they_were_made_from() {
    // Pillow's own tests: the tiled 1×1 file equals flower2.jpg, the 2×2-subsampled strips
    // are close to flower.jpg.
    let limits = Limits::default();
    let flower2 = rgb(&open(&pillow("flower2.jpg"), ImageFormat::Jpeg, &limits).unwrap());
    let tiled = open_tiff("tiff_tiled_ycbcr_jpeg_1x1_sampling.tif");
    assert!(difference(&rgb(&tiled[0]), &flower2) < 0.5);
    let flower = rgb(&open(&pillow("flower.jpg"), ImageFormat::Jpeg, &limits).unwrap());
    let strips = open_tiff("tiff_strip_ycbcr_jpeg_2x2_sampling.tif");
    assert!(difference(&rgb(&strips[0]), &flower) < 1.0);
}

#[test]
fn palette_pages_keep_their_own_colour_maps() {
    // Pillow reads the three pages as green (0, 128, 0), red and blue at (0, 0).
    let pages = open_tiff("multipage.tiff");
    let firsts: Vec<_> = pages
        .iter()
        .map(|p| match (&p.color, p.bits_per_component) {
            (ColorSpace::Indexed { palette, hival: 1 }, 1) => {
                let index = usize::from(inflate(&p.data)[0] >> 7);
                [palette[3 * index], palette[3 * index + 1], palette[3 * index + 2]]
            }
            other => panic!("not a 1-bit palette page: {other:?}"),
        })
        .collect();
    assert_eq!(firsts, [[0, 128, 0], [255, 0, 0], [0, 0, 255]]);
    assert_eq!(pages.iter().map(|p| (p.width, p.height)).collect::<Vec<_>>(), [(10, 10), (10, 10), (20, 20)]);
}

#[test]
fn four_bit_grey_is_carried_sample_for_sample() {
    let file = pillow("hopper_gray_4bpp.tif");
    let page = &open_pages(&file, ImageFormat::Tiff, &Limits::default()).unwrap()[0];
    assert_eq!((&page.color, page.bits_per_component, page.width), (&ColorSpace::Gray, 4, 128));
    // Its one uncompressed strip (8192 bytes at offset 8) is the image stream, byte for byte.
    assert_eq!(inflate(&page.data), file[8..8 + 8192]);
}

#[test]
fn an_old_style_jpeg_tiff_carries_its_jpeg_unchanged() {
    let file = pillow("old-style-jpeg-compression.tif");
    let page = &open_pages(&file, ImageFormat::Tiff, &Limits::default()).unwrap()[0];
    assert_eq!((page.encoding, page.width, page.height), (Encoding::Dct, 4160, 870));
    // The JPEG starts at the offset the JPEGInterchangeFormat tag gives (768).
    assert_eq!(page.data[..], file[768..768 + page.data.len()]);
    assert!(page.data.ends_with(&[0xFF, 0xD9]));
}

#[test]
fn colours_stored_plane_by_plane_come_out_as_the_file_they_were_made_from() {
    // Pillow's tiled, planar file was made from tiff_16bit_RGB.tiff by GDAL, losslessly.
    let planar = &open_tiff("tiff_tiled_planar_16bit_RGB.tiff")[0];
    let chunky = &open_tiff("tiff_16bit_RGB.tiff")[0];
    assert_eq!((&planar.color, planar.bits_per_component), (&ColorSpace::Rgb, 16));
    assert_eq!(inflate(&planar.data), inflate(&chunky.data));
    let strips = &open_tiff("tiff_strip_planar_16bit_RGBa.tiff")[0];
    assert_eq!((strips.width, strips.height, strips.alpha.is_some()), (100, 40, true));
}

#[test]
fn a_fax_page_keeps_its_orientation_tag_and_its_bits() {
    let page = &open_tiff("g4_orientation_6.tif")[0];
    assert_eq!((page.orientation, &page.color, page.bits_per_component), (Orientation(6), &ColorSpace::Gray, 1));
}

#[test]
fn cmyk_tiffs_look_like_the_cmyk_jpeg_they_were_made_from() {
    let reference = rgb(&open_tiff("tiff_tiled_cmyk_jpeg.tif")[0]);
    // The same picture as 16-bit uncompressed CMYK strips.
    let wide = rgb(&open_tiff("tiff_strip_cmyk_16l_jpeg.tif")[0]);
    assert!(difference(&wide, &reference) < 0.5);
    // Pillow's sample: red letters and a red square in the top-left corner, on black.
    assert!(reference.get_pixel(95, 95).0.iter().all(|&v| v < 40), "{:?}", reference.get_pixel(95, 95));
    let corner = reference.get_pixel(3, 3).0;
    assert!(corner[0] > 200 && corner[1] < 60 && corner[2] < 60, "{corner:?}");
}

#[test]
fn an_iphone_heic_photo_is_upright_dated_and_free_of_metadata() {
    let file = corpus("ianare+exif-samples/heic/IMG_5195.HEIC");
    let photo = open(&file, ImageFormat::Heif, &Limits::default()).unwrap();
    assert_eq!((photo.encoding, photo.width, photo.height), (Encoding::Dct, 2566, 3313));
    assert_eq!(photo.orientation, Orientation::UPRIGHT);
    assert_eq!(photo.taken, NaiveDate::from_ymd_opt(2021, 4, 11).unwrap().and_hms_opt(15, 47, 53));
    let has = |needle: &[u8]| photo.data.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"Exif") && !has(b"Apple") && !has(b"iPhone"), "metadata reached the image stream");
    assert_eq!(exif_date(&file), photo.taken);
}

#[test]
fn decoders_own_words_never_reach_the_user() {
    // hopper_lzma.tif with its Compression tag (at offset 8 + 3 × 12 + 8 in its directory) made
    // 50000, Zstandard, which this version does not read.
    let mut zstd = pillow("hopper_lzma.tif");
    let directory = usize::try_from(u32::from_le_bytes(zstd[4..8].try_into().unwrap())).unwrap();
    let entry = directory + 2 + 3 * 12;
    assert_eq!(zstd[entry..entry + 2], 259u16.to_le_bytes());
    zstd[entry + 8..entry + 10].copy_from_slice(&50000u16.to_le_bytes());
    let said = open_pages(&zstd, ImageFormat::Tiff, &Limits::default()).unwrap_err().to_string();
    assert!(said.contains("uses a compression this version cannot read") && said.contains("save it as PNG or JPEG"), "{said}");
    let cut = &corpus("ianare+exif-samples/heic/samplefilehub.heif")[..20_000];
    let said = open(cut, ImageFormat::Heif, &Limits::default()).unwrap_err().to_string();
    assert!(said.contains("HEIC"), "{said}");
}

#[test]
fn every_kind_read_here_has_a_preview() {
    let previews = [
        (pillow("multipage.tiff"), ImageFormat::Tiff, Some([0, 128, 0])),
        (pillow("lab.tif"), ImageFormat::Tiff, Some([255, 255, 255])),
        (pillow("hopper_gray_4bpp.tif"), ImageFormat::Tiff, None),
        (pillow("old-style-jpeg-compression.tif"), ImageFormat::Tiff, None),
        (corpus("ianare+exif-samples/heic/samplefilehub.heif"), ImageFormat::Heif, None),
    ];
    for (n, (file, format, first)) in previews.into_iter().enumerate() {
        let png = preview_png(&file, format, 64).unwrap_or_else(|e| panic!("preview {n}: {e}"));
        let picture = ::image::load_from_memory_with_format(&png, ::image::ImageFormat::Png).unwrap().to_rgb8();
        assert!(picture.width().max(picture.height()) <= 64, "preview {n}");
        if let Some(first) = first {
            assert_eq!(picture.get_pixel(0, 0).0, first, "preview {n}");
        }
    }
}

/// Where a JPEG's first scan's entropy-coded data starts and where the file's end marker is (of a
/// JPEG without metadata, whose EXIF thumbnail would otherwise hold the first scan).
fn scan_span(jpeg: &[u8]) -> (usize, usize) {
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let start = sos + 2 + usize::from(u16::from_be_bytes([jpeg[sos + 2], jpeg[sos + 3]]));
    (start, jpeg.len() - 2)
}

/// The photo with 256 bytes garbled a third of the way into its scan (never making or breaking a
/// marker), as a bad sector or a faulty card does. A bit or two flipped can leave codes that
/// fall back into step after a few blocks: the picture is then wrong in a way no decoder can
/// see, since JPEG carries no checksum.
fn flipped(jpeg: &[u8]) -> Vec<u8> {
    let (start, end) = scan_span(jpeg);
    let mut out = jpeg.to_vec();
    let at = start + (end - start) / 3;
    for i in at..at + 256 {
        if out[i - 1] != 0xFF && out[i] != 0xFF && out[i] ^ 0x5A != 0xFF {
            out[i] ^= 0x5A;
        }
    }
    out
}

/// The photo cut halfway through its scan with an end marker written after the cut, as a
/// transfer that stopped early and a tool that "repaired" it leave it.
fn cut_and_closed(jpeg: &[u8]) -> Vec<u8> {
    let (start, end) = scan_span(jpeg);
    let mut out = jpeg[..start + (end - start) / 2].to_vec();
    while out.last() == Some(&0xFF) {
        out.pop();
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

#[test]
fn jpegs_with_damaged_picture_data_are_refused_as_damaged() {
    let files = [
        "recurser+exif-orientation-examples/Landscape_3.jpg",
        "recurser+exif-orientation-examples/Portrait_6.jpg",
        "python-pillow+Pillow/Tests/images/flower.jpg",
        "python-pillow+Pillow/Tests/images/flower2.jpg",
    ];
    for file in files {
        let original = strip_jpeg_metadata(&corpus(file)).unwrap();
        assert!(open(&original, ImageFormat::Jpeg, &Limits::default()).is_ok(), "{file} opens undamaged");
        for (how, damaged) in [("flipped", flipped(&original)), ("cut", cut_and_closed(&original))] {
            let Err(error) = open(&damaged, ImageFormat::Jpeg, &Limits::default()) else {
                panic!("{file} {how}: the damaged photo was passed through");
            };
            assert_eq!(error.kind(), crate::import::ErrorKind::Damaged, "{file} {how}: {error}");
            assert!(error.to_string().contains("take or export the photo again"), "{file} {how}: {error}");
        }
    }
}

#[test]
fn a_jpeg_whose_restart_markers_come_out_of_turn_is_refused() {
    let mut file = strip_jpeg_metadata(&pillow("flower2.jpg")).unwrap();
    let (start, _) = scan_span(&file);
    let first = start + file[start..].windows(2).position(|w| w == [0xFF, 0xD0]).unwrap();
    // RST0 written as RST3: the blocks between are lost or spliced.
    file[first + 1] = 0xD3;
    let error = open(&file, ImageFormat::Jpeg, &Limits::default()).unwrap_err();
    assert_eq!(error.kind(), crate::import::ErrorKind::Damaged, "{error}");
}

/// Where each scan's entropy-coded data starts and ends in a JPEG without metadata.
fn scans(jpeg: &[u8]) -> Vec<(usize, usize)> {
    let (mut out, mut pos) = (Vec::new(), 2);
    while jpeg[pos + 1] != 0xD9 {
        let end = pos + 2 + usize::from(u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]));
        if jpeg[pos + 1] != 0xDA {
            pos = end;
            continue;
        }
        // The data runs to the first 0xFF not followed by a stuffed zero or a restart marker.
        let mut next = end;
        while !(jpeg[next] == 0xFF && jpeg[next + 1] != 0 && !(0xD0..=0xD7).contains(&jpeg[next + 1])) {
            next += 1;
        }
        out.push((end, next));
        pos = next;
    }
    out
}

/// Real progressive JPEGs, as libjpeg writes them (DC and AC scans, first and refining), and
/// one with spectral selection only, restart markers and 4:2:0 colour made here.
fn progressive_jpegs() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> =
        ["python-pillow+Pillow/Tests/images/app13-multiple.jpg", "ianare+exif-samples/jpg/tests/32-lens_data.jpeg"]
            .into_iter()
            .map(|name| (name.to_owned(), strip_jpeg_metadata(&corpus(name)).unwrap()))
            .collect();
    let (width, height) = (203u16, 97u16);
    let pixels: Vec<u8> = (0..u32::from(width) * u32::from(height) * 3).map(|i| ((i * 7919) % 251) as u8 ^ (i / 600) as u8).collect();
    let mut made = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut made, 85);
    encoder.set_progressive_scans(5);
    encoder.set_restart_interval(7);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    encoder.encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb).unwrap();
    files.push(("made with restarts".to_owned(), made));
    files
}

#[test]
fn progressive_jpegs_with_damaged_scans_are_refused_and_whole_ones_pass() {
    let limits = Limits::default();
    for (name, original) in progressive_jpegs() {
        assert!(open(&original, ImageFormat::Jpeg, &limits).is_ok(), "{name} opens undamaged");
        let scans = scans(&original);
        assert!(scans.len() >= 4, "{name}: {} scans", scans.len());
        // The longest scan (an AC band, first or refining) takes the damage; the scans after
        // it are kept, so only the walk of that scan can tell.
        let &(start, end) = scans.iter().max_by_key(|(start, end)| end - start).unwrap();
        let mut garbled = original.clone();
        for i in start + (end - start) / 3..start + (end - start) / 3 + 64 {
            if garbled[i - 1] != 0xFF && garbled[i] != 0xFF && garbled[i] ^ 0x5A != 0xFF {
                garbled[i] ^= 0x5A;
            }
        }
        let mut cut = original[..start + (end - start) / 2].to_vec();
        while cut.last() == Some(&0xFF) {
            cut.pop();
        }
        cut.extend_from_slice(&original[end..]);
        let mut left_over = original[..end].to_vec();
        left_over.extend_from_slice(&original[start..start + (end - start).min(300) / 2]);
        while left_over.last() == Some(&0xFF) {
            left_over.pop();
        }
        left_over.extend_from_slice(&original[end..]);
        for (how, damaged) in [("garbled", garbled), ("cut short", cut), ("with data left over", left_over)] {
            let Err(error) = open(&damaged, ImageFormat::Jpeg, &limits) else {
                panic!("{name}, a scan {how}: the damaged photo was passed through");
            };
            assert_eq!(error.kind(), crate::import::ErrorKind::Damaged, "{name} {how}: {error}");
            assert!(error.to_string().contains("take or export the photo again"), "{name} {how}: {error}");
        }
    }
}

/// The samples of a 16-bit grey page.
fn grey16(photo: &Photo) -> Vec<u16> {
    assert_eq!((&photo.encoding, &photo.color, photo.bits_per_component), (&Encoding::Flate, &ColorSpace::Gray, 16));
    inflate(&photo.data).chunks_exact(2).map(|s| u16::from_be_bytes([s[0], s[1]])).collect()
}

#[test]
fn twelve_bit_grey_comes_out_as_the_sixteen_bit_file_made_from_it() {
    // Pillow's test: 12in16bit.tif holds 12bit.cropped.tif's values in 16-bit samples.
    let twelve = grey16(&open_tiff("12bit.cropped.tif")[0]);
    let reference = grey16(&open_tiff("12in16bit.tif")[0]);
    assert!(reference.iter().filter(|&&v| v > 16).count() > 100, "the reference is not all black");
    assert_eq!(twelve.iter().map(|v| v >> 4).collect::<Vec<_>>(), reference);
}

#[test]
fn float_samples_without_a_photometric_tag_are_shown_from_lowest_to_highest() {
    // Pillow's test: a phase map from -3.140937 to 3.140684, -0.452639 at (0, 0).
    let page = &open_tiff("10ct_32bit_128.tiff")[0];
    let samples = grey16(page);
    assert_eq!((samples.iter().min(), samples.iter().max()), (Some(&0), Some(&65535)));
    let expected = (-0.452_638_9 + 3.140_936_9) / (3.140_684_1 + 3.140_936_9) * 65535.0;
    assert!((f64::from(samples[0]) - expected).abs() < 2.0, "{} against {expected}", samples[0]);
}

#[test]
fn webp_and_lzma_compressed_tiffs_show_the_picture_they_hold() {
    let reference = rgb(&open_tiff("hopper_bigtiff.tif")[0]);
    // LZMA is lossless: the same hopper as the BigTIFF one.
    assert!(difference(&rgb(&open_tiff("hopper_lzma.tif")[0]), &reference) < 0.5);
    // Pillow writes its WebP TIFF lossy; it stays close to the original.
    let off = difference(&rgb(&open_tiff("hopper_webp.tif")[0]), &reference);
    assert!(off < 6.0, "the WebP hopper is {off:.2} off");
}

/// The corpus's JPEGs the picture checks' equivalence tests start from.
fn corpus_jpegs() -> Vec<Vec<u8>> {
    ["python-pillow+Pillow/Tests/images/flower.jpg", "ianare+exif-samples/jpg/tests/32-lens_data.jpeg"].iter().map(|p| corpus(p)).collect()
}

/// Where the walk finds a single scan whole, the build does not decode it, only reads its headers
/// as the decoder does: so a JPEG the decoder's strict mode would refuse must never be found
/// whole. Mutants of the corpus's JPEGs and a photo made here (bit flips, cut short, spliced,
/// wrong lengths), each judged both ways: the build's check refuses whatever the full strict
/// decode, after the walk, refused.
#[test]
fn the_walk_and_the_decoders_headers_refuse_whatever_the_full_decode_refuses() {
    use crate::demo::mutate::{mutate, Rng, Target};
    use zune_core::{bytestream::ZCursor, options::DecoderOptions};
    let mut seeds = corpus_jpegs();
    seeds.push(crate::demo::fixtures::jpeg_plain(120, 90, 3));
    seeds.push(crate::demo::fixtures::jpeg_upright_marked(6, false));
    let (mut whole, mut compared) = (0, 0);
    for run in 0..400 {
        let mut rng = Rng::new(7_000 + run);
        let (seed, donor) = (rng.pick(&seeds), rng.pick(&seeds));
        let mutant = mutate(Target::Jpeg, seed, donor, &mut rng);
        let Ok(stripped) = super::jpeg::strip(&mutant.bytes) else { continue };
        let frame = stripped.frame;
        let stripped = stripped.to_vec(&mutant.bytes);
        let options = DecoderOptions::default()
            .set_strict_mode(true)
            .set_max_width(usize::from(frame.width))
            .set_max_height(usize::from(frame.height));
        let full = super::scan::walk(&stripped) != super::scan::Walked::Damaged
            && match zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(&stripped), options).decode() {
                Ok(_) | Err(zune_jpeg::errors::DecodeErrors::Unsupported(_)) => true,
                Err(_) => false,
            };
        let ours = super::verify::check_jpeg(&stripped, frame, &Limits::default(), false).is_ok();
        assert!(full || !ours, "run {run} ({}): the full decode refuses it, the build's check lets it through", mutant.how);
        compared += 1;
        whole += usize::from(super::scan::walk(&stripped) == super::scan::Walked::Whole);
    }
    assert!(compared > 100 && whole > 30, "{compared} mutants compared, {whole} found whole by the walk");
}

/// A photo of `width` × `height` encoded by `jpeg_encoder` as `color`, with its colour sampled
/// at `sampling`, a restart marker every `restart` MCUs (none at 0) and, where `optimized`,
/// Huffman tables made for the picture.
fn encoded(
    (width, height): (u16, u16),
    color: jpeg_encoder::ColorType,
    sampling: jpeg_encoder::SamplingFactor,
    restart: u16,
    optimized: bool,
) -> Vec<u8> {
    let photo = ::image::load_from_memory(&crate::demo::fixtures::jpeg_plain_at(width.into(), height.into(), 3, 90)).unwrap();
    let pixels = match color {
        jpeg_encoder::ColorType::Luma => photo.to_luma8().into_raw(),
        _ => photo.to_rgb8().into_raw(),
    };
    let mut made = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut made, 80);
    encoder.set_sampling_factor(sampling);
    encoder.set_restart_interval(restart);
    encoder.set_optimized_huffman_tables(optimized);
    encoder.encode(&pixels, width, height, color).unwrap();
    made
}

/// The walk takes several codes through one lookup where they lie whole in it; taken one at a
/// time instead, every JPEG must get the same verdict: the corpus's and photos made here (three
/// qualities, three sizes), unchanged and as mutants (bit flips anywhere, cut short, spliced,
/// wrong lengths), and with single bits flipped inside their picture data.
#[test]
fn several_codes_through_one_lookup_judge_every_jpeg_as_one_code_at_a_time_does() {
    use crate::demo::mutate::{mutate, Rng, Target};
    let mut seeds = corpus_jpegs();
    // Large enough for the runs (`scan::runs::WORTH_BLOCKS` for each position of a block in an
    // MCU), and one walked a code at a time.
    seeds.extend([(640, 480, 95), (720, 540, 50), (97, 61, 75)].map(|(w, h, q)| crate::demo::fixtures::jpeg_plain_at(w, h, 5, q)));
    // Runs that cross from block to block: 4:2:0 and 4:2:2 colour (four and two luminance
    // blocks before the two of colour) with restart markers every few MCUs, grey with tables
    // made for the picture (codes of one or two bits, several blocks to a lookup), and a
    // restart marker after every MCU.
    use jpeg_encoder::{ColorType, SamplingFactor};
    seeds.push(encoded((1024, 1024), ColorType::Rgb, SamplingFactor::F_2_2, 5, false));
    seeds.push(encoded((1024, 512), ColorType::Rgb, SamplingFactor::F_2_1, 0, true));
    seeds.push(encoded((512, 512), ColorType::Luma, SamplingFactor::F_1_1, 0, true));
    seeds.push(encoded((512, 512), ColorType::Rgb, SamplingFactor::F_1_1, 1, false));
    seeds.push(crate::demo::fixtures::jpeg_upright_marked(6, false));
    // Also walked ahead of the strip, as a build does: the strip taking the scan's end from
    // that walk makes the same bytes or refuses the file the same way, and where it takes the
    // walk's verdict the stripped JPEG walks whole. The scan's end a verdict keeps
    // (`Stripped::scan`) given back to the strip makes the same bytes again, and so does the
    // strip made in the file's own buffer, where it takes the picture data as it lies.
    let (mut walked_ahead, mut in_place) = (0, 0);
    let mut same = |jpeg: &[u8], what: &str| {
        let ahead = super::jpeg::strip_with(jpeg, super::scan::walk_ahead(jpeg));
        let stripped = super::jpeg::strip(jpeg);
        let bytes = |s: &Result<super::jpeg::Stripped, Error>| s.as_ref().map(|s| s.to_vec(jpeg)).map_err(|e| e.to_string());
        assert_eq!(bytes(&ahead), bytes(&stripped), "{what}");
        let Ok(stripped) = stripped else { return None };
        let kept = super::jpeg::strip_with(jpeg, stripped.scan).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(kept.scan, stripped.scan, "{what}");
        let stripped = stripped.to_vec(jpeg);
        assert!(kept.to_vec(jpeg) == stripped, "{what}: the kept scan's end makes other bytes");
        let own = jpeg.to_vec();
        let buffer = own.as_ptr() as usize..own.as_ptr() as usize + own.len();
        let given = kept.into_bytes(std::borrow::Cow::Owned(own));
        assert!(given == stripped, "{what}: made in the file's own buffer, other bytes");
        in_place += usize::from(buffer.contains(&(given.as_ptr() as usize)));
        let walked = super::scan::walk(&stripped);
        assert_eq!(walked, super::scan::walk_step_by_step(&stripped), "{what}");
        if ahead.is_ok_and(|ahead| ahead.walked_whole) {
            assert_eq!(walked, super::scan::Walked::Whole, "{what}");
            walked_ahead += 1;
        }
        Some(walked)
    };
    for (i, seed) in seeds.iter().enumerate() {
        assert_ne!(same(seed, &format!("seed {i}")), Some(super::scan::Walked::Damaged), "seed {i}");
    }
    let (mut whole, mut damaged) = (0, 0);
    for run in 0..600 {
        let mut rng = Rng::new(9_000 + run);
        let seed = rng.pick(&seeds).clone();
        let bytes = if run % 2 == 0 {
            let donor: &Vec<u8> = rng.pick(&seeds);
            mutate(Target::Jpeg, &seed, donor, &mut rng).bytes
        } else {
            // One bit flipped in the second half of the file, where the picture data is.
            let mut bytes = seed;
            let at = bytes.len() / 2 + rng.below(bytes.len() / 2 - 2);
            bytes[at] ^= 1 << rng.below(8);
            bytes
        };
        match same(&bytes, &format!("run {run}")) {
            Some(super::scan::Walked::Whole) => whole += 1,
            Some(super::scan::Walked::Damaged) => damaged += 1,
            _ => {}
        }
    }
    assert!(whole > 100 && damaged > 100, "{whole} mutants found whole, {damaged} damaged");
    assert!(walked_ahead > 100, "{walked_ahead} found whole ahead of the strip");
    assert!(in_place > 100, "{in_place} made in their own buffer");
}

#[test]
fn a_group_3_fax_reads_as_the_same_page_in_group_4() {
    // One fax page (1728 × 300) written by libtiff's tiffcp from ref-g4.tif: one-dimensional
    // and two-dimensional Group 3, with and without fill bits before each EOL, in one strip or
    // several, the last with its bits in the reverse fill order.
    let fax = |name: &str| {
        let file = corpus(&format!("redress+made/fax-g3/{name}"));
        let pages = open_pages(&file, ImageFormat::Tiff, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert_eq!((page.width, page.height, &page.color, page.bits_per_component), (1728, 300, &ColorSpace::Gray, 1), "{name}");
        inflate(&page.data)
    };
    let reference = fax("ref-g4.tif");
    for name in ["g3-1d.tif", "g3-1d-fill.tif", "g3-2d.tif", "g3-2d-fill-lsb.tif"] {
        assert!(fax(name) == reference, "{name} reads otherwise than its Group 4 copy");
    }
}

#[test]
fn a_damaged_group_3_fax_is_refused_or_read_never_a_panic() {
    let file = corpus("redress+made/fax-g3/g3-2d.tif");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..300 {
        let mut copy = file.clone();
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // The strips lie between the header and the directory at the file's end.
            let at = 8 + (seed % (file.len() as u64 - 200)) as usize;
            copy[at] ^= (seed >> 32) as u8 | 1;
        }
        if let Ok(pages) = open_pages(&copy, ImageFormat::Tiff, &Limits::default()) {
            assert!(pages.iter().all(|p| (p.width, p.height) == (1728, 300)));
        }
    }
}
