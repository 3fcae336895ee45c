//! Each limit of `redress::limits` (docs/limits.md), crossed by a file built for it: the build
//! refuses it with a message that names the file and the limit, exit 1, nothing written.

use crate::util::*;
use lopdf::{dictionary, Document, Object, Stream};
use redress::limits;

/// Builds a one-exhibit case of `file` and expects a refusal naming it, with `words`.
fn refused(file: &str, bytes: Vec<u8>, words: &str) {
    let t = TempDir::new("limit");
    write_case(t.path(), &case_toml(&[(file, "other", "2025-09-01", "Past a limit", "")]), &[(file, bytes)]);
    let o = redress(t.path(), &["build", "."]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{file}: expected exit 1\n{err}");
    assert!(err.contains(&format!("exhibit 1 ({file})")) && err.contains(words), "{file}: expected {words:?} in:\n{err}");
    assert!(!t.join("packet.pdf").exists());
}

/// A one-page PDF whose page content is `content` (stored as given, with `filter`), and `extra`
/// added to the page dictionary.
fn pdf(content: Vec<u8>, filter: Option<&str>, extra: Option<(&str, Object)>) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let mut dict = dictionary! {};
    if let Some(f) = filter {
        dict.set("Filter", f);
    }
    let content = doc.add_object(Stream::new(dict, content));
    let mut page = dictionary! { "Type" => "Page", "Contents" => content,
    "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()] };
    if let Some((key, value)) = extra {
        page.set(key, value);
    }
    one_page_pdf(doc, page)
}

#[test]
fn an_image_past_the_pixel_limit_is_refused() {
    refused("bomb.png", redress::demo::fixtures::png_bomb(), "limit 64 megapixels");
}

#[test]
fn page_content_that_decompresses_past_the_stream_limit_is_refused() {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..=limits::STREAM_DECODED >> 20 {
        z.write_all(&spaces).unwrap();
    }
    let bomb = z.finish().unwrap();
    assert!(bomb.len() < 200_000, "a bomb is small: {}", bomb.len());
    refused("bomb.pdf", pdf(bomb, Some("FlateDecode"), None), "page 1's content decompresses to more than 64.0 MB");
}

#[test]
fn a_pdf_nested_past_the_depth_limit_is_refused() {
    let mut deep = Object::Integer(0);
    for _ in 0..limits::PDF_NESTING {
        deep = Object::Array(vec![deep]);
    }
    refused("deep.pdf", pdf(b"q Q".to_vec(), None, Some(("Deep", deep))), "101 levels deep, more than the 100");
}

#[test]
fn a_pdf_past_the_page_limit_is_refused() {
    let mut doc = Document::with_version("1.7");
    let content = doc.add_object(Stream::new(dictionary! {}, b"q Q".to_vec()));
    let pages = doc.new_object_id();
    let kids: Vec<Object> = (0..=limits::PAGES)
        .map(|_| doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages, "Contents" => content }).into())
        .collect();
    let count = kids.len() as i64;
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()] }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    refused("long.pdf", out, "has 10001 pages, more than the 10000");
}

#[test]
fn a_pdf_past_the_object_limit_is_refused() {
    // Written by hand: a million small objects, one page.
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    let first = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ];
    for n in 1..=limits::PDF_OBJECTS + 1 {
        offsets.push(out.len());
        out.extend_from_slice(format!("{n} 0 obj\n{}\nendobj\n", first.get(n - 1).unwrap_or(&"0")).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes());
    for at in &offsets {
        out.extend_from_slice(format!("{at:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1).as_bytes());
    refused("many.pdf", out, "objects, more than the 1000000");
}

#[test]
fn a_text_exhibit_past_the_size_limit_is_refused() {
    let text = "A line of a call log that goes on and on.\n".repeat(limits::TEXT_BYTES as usize / 40);
    refused("log.txt", text.into_bytes(), "more than the 4.0 MB of text");
}

#[test]
fn a_case_file_past_the_size_limit_is_refused_before_it_is_read() {
    let t = TempDir::new("limit-toml");
    let toml = case_toml(&[]) + &format!("# {}\n", "x".repeat(limits::CASE_TOML_BYTES as usize));
    write_case(t.path(), &toml, &[]);
    let o = redress(t.path(), &["build", "."]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("case.toml") && err.contains("more than the 1.0 MB a case file may be"), "{err}");
}

#[test]
fn a_claim_file_past_the_size_limit_is_refused() {
    let t = TempDir::new("limit-claim");
    let f = std::fs::File::create(t.join("huge.835")).unwrap();
    f.set_len(limits::CLAIM_FILE_BYTES * 2).unwrap(); // sparse: nothing is written
    let o = redress(t.path(), &["import-claim", "huge.835"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("huge.835: the file is 128.0 MB, more than the 64.0 MB a claim file may be"), "{err}");
}
