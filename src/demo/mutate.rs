//! Structure-aware mutations of exhibit files and case.toml, for the mutation suite
//! (`tests/mutations.rs`) and the fuzz harness (`examples/fuzz.rs`). Each mutation breaks a file
//! the way damage or a hostile writer does: flipped bits, a cut, a spliced or duplicated object,
//! a huge declared length or size, deep nesting, a reference cycle, the wrong magic bytes. The
//! same seed gives the same mutant, so a failure is reproduced from its seed alone.

use lopdf::{dictionary, Document, Object, ObjectId, Stream};

/// A small, fast pseudo-random generator (SplitMix64): reproducible across platforms and runs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// One of `items`, which must not be empty (a list written in the code).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `items`, or `None` when there are none (a list found in a file).
    pub fn choose<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// What is being mutated: each has its own structure to break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Pdf,
    Jpeg,
    Png,
    Tiff,
    /// HEIC/HEIF photos. Not in [`Target::ALL`]: libheif is a C library, where a crash ends
    /// the whole process, so its mutants are built by the real binary, one process each
    /// (the mutation suite), never in-process (the fuzz harness).
    Heif,
    CaseToml,
}

impl Target {
    pub const ALL: [Target; 5] = [Target::Pdf, Target::Jpeg, Target::Png, Target::Tiff, Target::CaseToml];

    pub fn name(self) -> &'static str {
        match self {
            Target::Pdf => "pdf",
            Target::Jpeg => "jpeg",
            Target::Png => "png",
            Target::Tiff => "tiff",
            Target::Heif => "heic",
            Target::CaseToml => "case-toml",
        }
    }

    /// The file extension a mutant is saved under.
    pub fn extension(self) -> &'static str {
        match self {
            Target::Pdf => "pdf",
            Target::Jpeg => "jpg",
            Target::Png => "png",
            Target::Tiff => "tiff",
            Target::Heif => "heic",
            Target::CaseToml => "toml",
        }
    }

    pub fn parse(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// One mutated file and the name of the mutation that made it.
#[derive(Debug, Clone)]
pub struct Mutant {
    pub bytes: Vec<u8>,
    pub how: &'static str,
}

type Mutation = (&'static str, fn(&[u8], &[u8], &mut Rng) -> Option<Vec<u8>>);

const GENERIC: &[Mutation] = &[
    ("bit flips", bit_flips),
    ("truncation", truncation),
    ("wrong magic bytes", wrong_magic),
    ("duplicated span", duplicated_span),
    ("spliced with another file", spliced),
];

const PDF: &[Mutation] = &[
    ("duplicated object", pdf_duplicated_object),
    ("object spliced from another PDF", pdf_spliced_object),
    ("huge /Length", pdf_huge_length),
    ("huge numbers", pdf_huge_numbers),
    ("deep nesting", pdf_deep_nesting),
    ("page tree loop", pdf_page_tree_loop),
    ("resources that refer to themselves", pdf_self_resources),
    ("form that draws itself", pdf_self_drawing_form),
    ("reference chain loop", pdf_reference_loop),
    ("huge image dimensions", pdf_huge_image),
    ("deep content", pdf_deep_content),
];

const JPEG: &[Mutation] = &[
    ("huge frame size", jpeg_frame_size),
    ("wrong segment length", jpeg_segment_length),
    ("duplicated segment", jpeg_duplicated_segment),
    ("EXIF directory loop", exif_loop),
];

const PNG: &[Mutation] = &[
    ("huge IHDR size", png_huge_size),
    ("odd IHDR fields", png_odd_header),
    ("huge chunk length", png_chunk_length),
    ("duplicated chunk", png_duplicated_chunk),
    ("dropped chunk", png_dropped_chunk),
];

const TIFF: &[Mutation] = &[
    ("IFD loop", tiff_ifd_loop),
    ("huge tag value", tiff_tag_value),
    ("huge tag count", tiff_tag_count),
    ("huge image size", tiff_huge_size),
];

const HEIF: &[Mutation] = &[
    ("wrong box size", heif_box_size),
    ("duplicated box", heif_duplicated_box),
    ("huge image size", heif_huge_size),
    ("odd rotation", heif_rotation),
    ("item locations overwritten", heif_locations),
];

const TOML: &[Mutation] = &[
    ("deep arrays", toml_deep_arrays),
    ("deep inline tables", toml_deep_tables),
    ("long dotted key", toml_dotted_key),
    ("huge string", toml_huge_string),
    ("duplicated line", toml_duplicated_line),
    ("odd value", toml_odd_value),
];

/// A mutant of `seed` (with `donor`, another file of the same kind, for splicing): one of the
/// target's own mutations two times in three, else one that ignores the structure.
pub fn mutate(target: Target, seed: &[u8], donor: &[u8], rng: &mut Rng) -> Mutant {
    let own = match target {
        Target::Pdf => PDF,
        Target::Jpeg => JPEG,
        Target::Png => PNG,
        Target::Tiff => TIFF,
        Target::Heif => HEIF,
        Target::CaseToml => TOML,
    };
    let (how, f) = if rng.below(3) < 2 { *rng.pick(own) } else { *rng.pick(GENERIC) };
    match f(seed, donor, rng) {
        Some(bytes) => Mutant { bytes, how },
        None => Mutant { bytes: bit_flips(seed, donor, rng).unwrap_or_default(), how: "bit flips" },
    }
}

// Mutations that ignore the structure.

fn bit_flips(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut out = seed.to_vec();
    if out.is_empty() {
        return Some(out);
    }
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(out.len());
        out[at] ^= 1 << rng.below(8);
    }
    Some(out)
}

fn truncation(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    Some(seed[..rng.below(seed.len()).max(1).min(seed.len())].to_vec())
}

fn wrong_magic(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    const MAGIC: [&[u8]; 9] = [
        b"%PDF-1.7\n",
        b"\xFF\xD8\xFF\xE0",
        b"\x89PNG\r\n\x1a\n",
        b"II*\0",
        b"MM\0*",
        b"\0\0\0\x18ftypheic",
        b"GIF89a",
        b"PK\x03\x04",
        b"\0\0\0\0",
    ];
    let magic = rng.pick(&MAGIC);
    let mut out = magic.to_vec();
    out.extend_from_slice(seed.get(magic.len()..).unwrap_or_default());
    Some(out)
}

fn duplicated_span(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let start = rng.below(seed.len());
    let end = (start + 1 + rng.below(4096)).min(seed.len());
    Some(insert(seed, rng.below(seed.len() + 1), &seed[start..end]))
}

fn spliced(seed: &[u8], donor: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut out = seed[..rng.below(seed.len() + 1)].to_vec();
    out.extend_from_slice(&donor[rng.below(donor.len() + 1)..]);
    Some(out)
}

fn insert(bytes: &[u8], at: usize, what: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + what.len());
    out.extend_from_slice(&bytes[..at]);
    out.extend_from_slice(what);
    out.extend_from_slice(&bytes[at..]);
    out
}

fn find_all(bytes: &[u8], needle: &[u8]) -> Vec<usize> {
    bytes.windows(needle.len()).enumerate().filter(|(_, w)| *w == needle).map(|(i, _)| i).collect()
}

// PDF: byte-level edits of objects as written (the cross-reference offsets go wrong, as they do
// in damaged files), and edits through lopdf that keep the file well formed but make its
// objects refer to themselves.

/// Each `N G obj … endobj` span as written.
fn object_spans(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let ends = find_all(bytes, b"endobj");
    find_all(bytes, b" obj")
        .into_iter()
        .filter_map(|at| {
            let start = bytes[..at].iter().rposition(|b| !(b.is_ascii_digit() || *b == b' ')).map_or(0, |p| p + 1);
            let end = ends.iter().find(|&&e| e > at)? + b"endobj".len();
            Some(start..end)
        })
        .collect()
}

fn pdf_duplicated_object(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let spans = object_spans(seed);
    let object = rng.choose(&spans)?.clone();
    let after = rng.choose(&spans)?.end;
    let mut copy = b"\n".to_vec();
    copy.extend_from_slice(&seed[object]);
    Some(insert(seed, after, &copy))
}

fn pdf_spliced_object(seed: &[u8], donor: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let (mine, theirs) = (object_spans(seed), object_spans(donor));
    let replaced = rng.choose(&mine)?.clone();
    let object = &donor[rng.choose(&theirs)?.clone()];
    let mut out = seed[..replaced.start].to_vec();
    out.extend_from_slice(object);
    out.extend_from_slice(&seed[replaced.end..]);
    Some(out)
}

/// Replaces the number after a random occurrence of one of `keys` with one of `values`.
fn replace_number(seed: &[u8], keys: &[&[u8]], values: &[&[u8]], rng: &mut Rng) -> Option<Vec<u8>> {
    let at: Vec<usize> = keys.iter().flat_map(|k| find_all(seed, k).into_iter().map(move |i| i + k.len())).collect();
    let mut start = *rng.choose(&at)?;
    while seed.get(start).is_some_and(|b| b.is_ascii_whitespace() || *b == b'[') {
        start += 1;
    }
    let len = seed[start..].iter().take_while(|b| b.is_ascii_digit() || **b == b'.' || **b == b'-').count();
    let mut out = seed[..start].to_vec();
    let value: &&[u8] = rng.pick(values);
    out.extend_from_slice(value);
    out.extend_from_slice(&seed[start + len..]);
    Some(out)
}

const HUGE: &[&[u8]] = &[b"99999999999", b"2147483647", b"4294967296", b"-1", b"0", b"1e308", b"9223372036854775807"];

fn pdf_huge_length(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    if find_all(seed, b"/Length").is_empty() {
        return None;
    }
    replace_number(seed, &[b"/Length"], HUGE, rng)
}

fn pdf_huge_numbers(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let keys: &[&[u8]] = &[b"/Count", b"/MediaBox", b"/Width", b"/Height", b"/Size", b"/Rotate", b"/N ", b"/First", b"/UserUnit"];
    if keys.iter().all(|k| find_all(seed, k).is_empty()) {
        return None;
    }
    replace_number(seed, keys, HUGE, rng)
}

fn pdf_deep_nesting(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let opens = find_all(seed, b"<<");
    let at = *rng.choose(&opens)? + 2;
    let depth = *rng.pick(&[50usize, 99, 100, 101, 1_000, 100_000]);
    let (open, close): (&[u8], &[u8]) = if rng.below(2) == 0 { (b"[", b"]") } else { (b"<</A ", b">>") };
    let mut deep = b" /Deep ".to_vec();
    deep.extend(open.repeat(depth));
    deep.extend_from_slice(b"0");
    deep.extend(close.repeat(depth));
    deep.push(b' ');
    Some(insert(seed, at, &deep))
}

/// Loads `seed`, applies `edit` to the document and writes it back well formed.
fn through_lopdf(seed: &[u8], edit: impl FnOnce(&mut Document, &[ObjectId]) -> Option<()>) -> Option<Vec<u8>> {
    let mut doc = Document::load_mem(seed).ok()?;
    let pages = page_list(&doc);
    if pages.is_empty() {
        return None;
    }
    edit(&mut doc, &pages)?;
    let mut out = Vec::new();
    doc.save_to(&mut out).ok()?;
    Some(out)
}

fn pdf_page_tree_loop(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let choice = rng.below(3);
    let page = *rng.choose(&doc_pages(seed)?)?;
    through_lopdf(seed, |doc, _| {
        let root = doc.catalog().ok()?.get(b"Pages").ok()?.as_reference().ok()?;
        match choice {
            // A page that is its own parent.
            0 => doc.get_dictionary_mut(page).ok()?.set("Parent", page),
            // The root listing itself among its kids.
            1 => doc.get_dictionary_mut(root).ok()?.get_mut(b"Kids").ok()?.as_array_mut().ok()?.push(Object::Reference(root)),
            // A page node with kids of its own: the root again.
            _ => doc.get_dictionary_mut(page).ok()?.set("Kids", vec![Object::Reference(root)]),
        }
        Some(())
    })
}

fn doc_pages(seed: &[u8]) -> Option<Vec<ObjectId>> {
    let pages = page_list(&Document::load_mem(seed).ok()?);
    (!pages.is_empty()).then_some(pages)
}

/// The pages in order, collected by hand: `get_pages` sizes its map from the file's /Count.
fn page_list(doc: &Document) -> Vec<ObjectId> {
    let mut pages = Vec::new();
    for page in doc.page_iter() {
        pages.push(page);
    }
    pages
}

fn pdf_self_resources(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let n = rng.below(64);
    through_lopdf(seed, |doc, pages| {
        let page = pages[n % pages.len()];
        let id = doc.new_object_id();
        let resources = dictionary! { "XObject" => id, "Font" => id, "Parent" => id };
        doc.objects.insert(id, Object::Dictionary(resources));
        doc.get_dictionary_mut(page).ok()?.set("Resources", id);
        Some(())
    })
}

fn pdf_self_drawing_form(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let n = rng.below(64);
    through_lopdf(seed, |doc, pages| {
        let page = pages[n % pages.len()];
        let form = doc.new_object_id();
        let stream = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "Me" => form } },
            },
            b"q /Me Do Q".to_vec(),
        );
        doc.objects.insert(form, Object::Stream(stream));
        let content = doc.add_object(Stream::new(dictionary! {}, b"q /Me Do Q".to_vec()));
        let dict = doc.get_dictionary_mut(page).ok()?;
        dict.set("Resources", dictionary! { "XObject" => dictionary! { "Me" => form } });
        dict.set("Contents", content);
        Some(())
    })
}

fn pdf_reference_loop(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let (n, key) = (rng.below(64), *rng.pick(&["MediaBox", "Contents", "Resources", "Rotate", "CropBox", "Annots"]));
    through_lopdf(seed, |doc, pages| {
        let page = pages[n % pages.len()];
        let (a, b) = (doc.new_object_id(), (doc.max_id + 2, 0));
        doc.max_id += 1;
        doc.objects.insert(a, Object::Reference(b));
        doc.objects.insert(b, Object::Reference(a));
        doc.get_dictionary_mut(page).ok()?.set(key, a);
        Some(())
    })
}

fn pdf_huge_image(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let (n, side) = (rng.below(64), *rng.pick(&[0i64, 1, 65_535, 2_147_483_647, -7]));
    through_lopdf(seed, |doc, pages| {
        let page = pages[n % pages.len()];
        let image = doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => side, "Height" => side,
            "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8 },
            vec![0; 48],
        ));
        let content = doc.add_object(Stream::new(dictionary! {}, b"q 100 0 0 100 0 0 cm /Big Do Q".to_vec()));
        let dict = doc.get_dictionary_mut(page).ok()?;
        dict.set("Resources", dictionary! { "XObject" => dictionary! { "Big" => image } });
        dict.set("Contents", content);
        Some(())
    })
}

fn pdf_deep_content(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let (n, depth) = (rng.below(64), *rng.pick(&[99usize, 101, 10_000, 200_000]));
    let content = match rng.below(3) {
        0 => [b"BT /F1 12 Tf ".to_vec(), b"[".repeat(depth), b"(x)".to_vec(), b"]".repeat(depth), b" TJ ET".to_vec()].concat(),
        1 => [b"q ".repeat(depth), b"0 0 10 10 re f ".to_vec(), b"Q ".repeat(depth)].concat(),
        _ => b"1 0 0 1 0 0 cm ".repeat(depth),
    };
    through_lopdf(seed, |doc, pages| {
        let page = pages[n % pages.len()];
        let id = doc.add_object(Stream::new(dictionary! {}, content));
        doc.get_dictionary_mut(page).ok()?.set("Contents", id);
        Some(())
    })
}

// JPEG: its marker segments.

/// Each marker segment before the scan data: (offset of the 0xFF, its length field's value).
fn jpeg_segments(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        out.push((at, len));
        if marker == 0xDA {
            break;
        }
        at += 2 + len;
    }
    out
}

fn jpeg_frame_size(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let sof = jpeg_segments(seed).into_iter().find(|&(at, _)| matches!(seed[at + 1], 0xC0..=0xC3))?.0;
    let mut out = seed.to_vec();
    let (h, w) = (*rng.pick(&[0u16, 1, 65_535, 65_500, 8]), *rng.pick(&[0u16, 1, 65_535, 65_500, 8]));
    out[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    out[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    Some(out)
}

fn jpeg_segment_length(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let segments = jpeg_segments(seed);
    let (at, _) = *rng.choose(&segments)?;
    let mut out = seed.to_vec();
    out[at + 2..at + 4].copy_from_slice(&rng.pick(&[0u16, 1, 2, 0xFFFF, 0x7FFF]).to_be_bytes());
    Some(out)
}

fn jpeg_duplicated_segment(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let segments = jpeg_segments(seed);
    let (at, len) = *rng.choose(&segments)?;
    let end = (at + 2 + len).min(seed.len());
    let copy = seed[at..end].to_vec();
    Some(insert(seed, *rng.pick(&[2, at, end]), &copy))
}

/// The TIFF structure inside a JPEG's EXIF segment: its first directory points back at itself.
fn exif_loop(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let (at, _) = jpeg_segments(seed).into_iter().find(|&(at, _)| seed[at + 1] == 0xE1 && seed[at + 4..].starts_with(b"Exif\0\0"))?;
    let tiff = at + 10;
    let mut out = seed.to_vec();
    ifd_loop(&mut out, tiff, rng)?;
    Some(out)
}

// PNG: its chunks, with their CRCs kept right unless the mutation is about them.

/// Each chunk: (offset of its length field, data length).
fn png_chunks(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 8;
    while at + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap_or_default()) as usize;
        if at + 12 + len > bytes.len() {
            break;
        }
        out.push((at, len));
        at += 12 + len;
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Rewrites the CRC of the chunk at `at` after its data changed.
fn fix_crc(bytes: &mut [u8], at: usize, len: usize) {
    let crc = crc32(&bytes[at + 4..at + 8 + len]);
    bytes[at + 8 + len..at + 12 + len].copy_from_slice(&crc.to_be_bytes());
}

fn png_huge_size(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let &(at, len) = png_chunks(seed).first().filter(|&&(_, len)| len >= 8)?;
    let mut out = seed.to_vec();
    for field in [at + 8, at + 12] {
        out[field..field + 4].copy_from_slice(&rng.pick(&[0u32, 1, 50_000, 0x7FFF_FFFF, 1 << 20, 3]).to_be_bytes());
    }
    fix_crc(&mut out, at, len);
    Some(out)
}

fn png_odd_header(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let &(at, len) = png_chunks(seed).first().filter(|&&(_, len)| len >= 13)?;
    let mut out = seed.to_vec();
    // Bit depth, colour type, compression, filter, interlace.
    let field = at + 16 + rng.below(5);
    out[field] = *rng.pick(&[0u8, 1, 2, 3, 4, 6, 7, 16, 255]);
    fix_crc(&mut out, at, len);
    Some(out)
}

fn png_chunk_length(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let chunks = png_chunks(seed);
    let (at, _) = *rng.choose(&chunks)?;
    let mut out = seed.to_vec();
    out[at..at + 4].copy_from_slice(&rng.pick(&[0x7FFF_FFFFu32, 0xFFFF_FFFF, 0, 1]).to_be_bytes());
    Some(out)
}

fn png_duplicated_chunk(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let chunks = png_chunks(seed);
    let (at, len) = *rng.choose(&chunks)?;
    let copy = seed[at..at + 12 + len].to_vec();
    Some(insert(seed, at + 12 + len, &copy))
}

fn png_dropped_chunk(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let chunks = png_chunks(seed);
    let (at, len) = *rng.choose(&chunks)?;
    Some([&seed[..at], &seed[at + 12 + len..]].concat())
}

// TIFF: its image file directories (classic TIFF; BigTIFF is left to the generic mutations).

#[derive(Clone, Copy)]
struct Tiff {
    /// Where the header starts (0 in a TIFF file, inside the segment in EXIF).
    base: usize,
    little: bool,
}

impl Tiff {
    fn read(bytes: &[u8], base: usize) -> Option<Tiff> {
        let little = match bytes.get(base..base + 4)? {
            b"II*\0" => true,
            b"MM\0*" => false,
            _ => return None,
        };
        Some(Tiff { base, little })
    }
    fn u16(&self, b: &[u8], at: usize) -> Option<u16> {
        let v: [u8; 2] = b.get(at..at + 2)?.try_into().ok()?;
        Some(if self.little { u16::from_le_bytes(v) } else { u16::from_be_bytes(v) })
    }
    fn u32(&self, b: &[u8], at: usize) -> Option<u32> {
        let v: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        Some(if self.little { u32::from_le_bytes(v) } else { u32::from_be_bytes(v) })
    }
    fn put_u32(&self, b: &mut [u8], at: usize, v: u32) -> Option<()> {
        let bytes = if self.little { v.to_le_bytes() } else { v.to_be_bytes() };
        b.get_mut(at..at + 4)?.copy_from_slice(&bytes);
        Some(())
    }
    /// The first directory: (its offset in the file, its number of entries).
    fn first_ifd(&self, b: &[u8]) -> Option<(usize, usize)> {
        let at = self.base + self.u32(b, self.base + 4)? as usize;
        Some((at, self.u16(b, at)? as usize))
    }
    /// The offset of entry `i` of the directory at `ifd`.
    fn entry(&self, b: &[u8], ifd: usize, i: usize) -> Option<usize> {
        let at = ifd + 2 + 12 * i;
        (at + 12 <= b.len()).then_some(at)
    }
}

/// Points the first directory's next-directory link at itself or at the header's first one.
fn ifd_loop(bytes: &mut [u8], base: usize, rng: &mut Rng) -> Option<()> {
    let t = Tiff::read(bytes, base)?;
    let (ifd, n) = t.first_ifd(bytes)?;
    let target = if rng.below(2) == 0 { ifd - base } else { 8 };
    t.put_u32(bytes, ifd + 2 + 12 * n, target as u32)
}

fn tiff_ifd_loop(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut out = seed.to_vec();
    ifd_loop(&mut out, 0, rng)?;
    Some(out)
}

/// Rewrites one field (`at` bytes into an entry) of a random entry, or of the entry for `tag`.
fn tiff_entry_field(seed: &[u8], tag: Option<u16>, at: usize, rng: &mut Rng) -> Option<Vec<u8>> {
    let t = Tiff::read(seed, 0)?;
    let (ifd, n) = t.first_ifd(seed)?;
    let entries: Vec<usize> = (0..n).filter_map(|i| t.entry(seed, ifd, i)).collect();
    let entry = match tag {
        Some(tag) => *entries.iter().find(|&&e| t.u16(seed, e) == Some(tag))?,
        None => *rng.choose(&entries)?,
    };
    let mut out = seed.to_vec();
    t.put_u32(&mut out, entry + at, *rng.pick(&[0u32, 1, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, seed.len() as u32]))?;
    Some(out)
}

fn tiff_tag_value(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    tiff_entry_field(seed, None, 8, rng)
}

fn tiff_tag_count(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    tiff_entry_field(seed, None, 4, rng)
}

fn tiff_huge_size(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let tag = *rng.pick(&[256u16, 257, 278, 279, 322, 323]);
    tiff_entry_field(seed, Some(tag), 8, rng)
}

// case.toml: its text.

// HEIF: the ISO boxes that say where the picture is, how big and how turned.

/// Where each box of a kind the decoder reads starts, and its declared size, found by its
/// type (boxes nest, so a scan for the types finds the inner ones too).
fn heif_boxes(bytes: &[u8]) -> Vec<(usize, usize)> {
    const TYPES: [&[u8]; 12] = [b"ftyp", b"meta", b"hdlr", b"pitm", b"iinf", b"infe", b"iloc", b"iprp", b"ipco", b"hvcC", b"ispe", b"ipma"];
    let mut boxes: Vec<(usize, usize)> = TYPES
        .iter()
        .flat_map(|t| find_all(bytes, t))
        .filter(|&at| at >= 4)
        .map(|at| (at - 4, u32::from_be_bytes([bytes[at - 4], bytes[at - 3], bytes[at - 2], bytes[at - 1]]) as usize))
        .filter(|&(start, size)| size >= 8 && start + size <= bytes.len())
        .collect();
    boxes.sort_unstable();
    boxes
}

fn heif_box_size(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let (start, size) = *rng.choose(&heif_boxes(seed))?;
    let wrong = *rng.pick(&[0u32, 1, 7, 8, u32::MAX, 0x7FFF_FFFF, size as u32 + 1, (size as u32).saturating_sub(1)]);
    let mut out = seed.to_vec();
    out[start..start + 4].copy_from_slice(&wrong.to_be_bytes());
    Some(out)
}

fn heif_duplicated_box(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let (start, size) = *rng.choose(&heif_boxes(seed))?;
    Some(insert(seed, start + size, &seed[start..start + size]))
}

/// The picture's declared size (`ispe`: version and flags, then width and height).
fn heif_huge_size(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let at = *rng.choose(&find_all(seed, b"ispe"))? + 8;
    let mut out = seed.to_vec();
    for field in [at, at + 4] {
        let v = *rng.pick(&[0u32, 1, 65_535, 0x7FFF_FFFF, u32::MAX]);
        out.get_mut(field..field + 4)?.copy_from_slice(&v.to_be_bytes());
    }
    Some(out)
}

/// The file's own rotation (`irot`: one byte, the turn in its low two bits).
fn heif_rotation(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let at = *rng.choose(&find_all(seed, b"irot"))? + 4;
    let mut out = seed.to_vec();
    *out.get_mut(at)? = rng.below(256) as u8;
    Some(out)
}

/// Offsets and lengths inside `iloc` overwritten with numbers past the file's end.
fn heif_locations(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let at = *rng.choose(&find_all(seed, b"iloc"))? + 4;
    let size = u32::from_be_bytes(seed.get(at - 8..at - 4)?.try_into().ok()?) as usize;
    let mut out = seed.to_vec();
    for _ in 0..1 + rng.below(3) {
        let field = at + 4 + rng.below(size.saturating_sub(12).max(1));
        let v = *rng.pick(&[0u32, u32::MAX, 0x7FFF_FFFF, seed.len() as u32]);
        if let Some(slot) = out.get_mut(field..field + 4) {
            slot.copy_from_slice(&v.to_be_bytes());
        }
    }
    Some(out)
}

fn append(seed: &[u8], text: &str) -> Option<Vec<u8>> {
    Some([seed, b"\n", text.as_bytes()].concat())
}

fn toml_deep_arrays(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let d = *rng.pick(&[100usize, 1_000, 100_000]);
    append(seed, &format!("[deep]\nx = {}1{}\n", "[".repeat(d), "]".repeat(d)))
}

fn toml_deep_tables(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let d = *rng.pick(&[100usize, 1_000, 100_000]);
    append(seed, &format!("[deep]\nx = {}1{}\n", "{ a = ".repeat(d), " }".repeat(d)))
}

fn toml_dotted_key(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let d = *rng.pick(&[100usize, 10_000, 200_000]);
    let header = rng.below(2) == 0;
    let key = vec!["a"; d].join(".");
    append(seed, &if header { format!("[{key}]\nb = 1\n") } else { format!("{key} = 1\n") })
}

fn toml_huge_string(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let n = *rng.pick(&[10_000usize, 999_000, 2_000_000]);
    let text = String::from_utf8_lossy(seed).replacen("title = \"", &format!("title = \"{}", "x".repeat(n)), 1);
    Some(text.into_bytes())
}

fn toml_duplicated_line(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(seed);
    let lines: Vec<&str> = text.lines().collect();
    let line = *rng.choose(&lines)?;
    let mut out: Vec<&str> = lines.clone();
    out.insert(rng.below(lines.len() + 1), line);
    Some(out.join("\n").into_bytes())
}

fn toml_odd_value(seed: &[u8], _: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    const ODD: [&str; 14] = [
        "\"../../outside.pdf\"",
        "\"/etc/passwd\"",
        "\"docs\"",
        "\"9999-99-99\"",
        "\"1-4294967296\"",
        "\"0\"",
        "\"3-1\"",
        "-1",
        "1e400",
        "[]",
        "{}",
        "\"\"",
        "\"docs/\\u0000.pdf\"",
        "2025-02-30",
    ];
    let text = String::from_utf8_lossy(seed);
    let lines: Vec<&str> = text.lines().collect();
    let values: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].contains(" = ")).collect();
    let i = *rng.choose(&values)?;
    let key = lines[i].split(" = ").next().unwrap_or("x");
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out[i] = format!("{key} = {}", rng.pick(&ODD));
    if rng.below(3) == 0 {
        out.push("pages = \"1-2\"".into());
    }
    Some(out.join("\n").into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_mutant() {
        let pdf = crate::demo::fixtures::text_pdf(&["one", "two"]);
        for target in [Target::Pdf, Target::CaseToml] {
            let a: Vec<Vec<u8>> = (0..20).map(|s| mutate(target, &pdf, &pdf, &mut Rng::new(s)).bytes).collect();
            let b: Vec<Vec<u8>> = (0..20).map(|s| mutate(target, &pdf, &pdf, &mut Rng::new(s)).bytes).collect();
            assert_eq!(a, b);
        }
    }

    #[test]
    fn structure_aware_mutations_find_their_structure() {
        let mut rng = Rng::new(7);
        let pdf = crate::demo::fixtures::text_pdf(&["one", "two"]);
        assert!(pdf_page_tree_loop(&pdf, &pdf, &mut rng).is_some());
        assert!(pdf_self_drawing_form(&pdf, &pdf, &mut rng).is_some());
        assert!(pdf_huge_length(&pdf, &pdf, &mut rng).is_some_and(|m| m != pdf));
        let png = crate::demo::fixtures::png_rgb(8, 8);
        let huge = png_huge_size(&png, &png, &mut rng).unwrap();
        assert_eq!(png_chunks(&huge).len(), png_chunks(&png).len(), "the CRC-fixed PNG still parses chunk by chunk");
        let tiff = crate::demo::fixtures::tiff_rgb(8, 8);
        assert!(tiff_ifd_loop(&tiff, &tiff, &mut rng).is_some_and(|m| m != tiff));
        let jpeg = crate::demo::fixtures::jpeg_upright_marked(6, false);
        assert!(exif_loop(&jpeg, &jpeg, &mut rng).is_some_and(|m| m != jpeg));
        assert!(jpeg_frame_size(&jpeg, &jpeg, &mut rng).is_some());
    }
}
