//! Encryption that lopdf, left to itself, reads otherwise than qpdf and poppler: crypt filters
//! written as references (lopdf finds no filter and leaves every string and stream encrypted),
//! and a file whose broken table is rebuilt, where qpdf and poppler take the file's first
//! trailer and so read a file joined to an encrypted copy of itself as the unencrypted one.
//!
//! Both read the file with its trailer's `/Encrypt` key hidden under another name of the same
//! length (every offset kept), so lopdf loads the objects as they are written.

use crate::pdflex::find;
use lopdf::{Document, Object};

/// The name `/Encrypt` is hidden under: as long, and no PDF key.
const HIDDEN: &[u8] = b"/EncrypX";

/// Whether the document was decrypted with a default crypt filter its `/CF` did not give
/// lopdf (it was written as a reference), so its strings and streams are still encrypted.
pub fn filters_unresolved(doc: &Document) -> bool {
    let Some(state) = &doc.encryption_state else { return false };
    let named = |name: &[u8]| !name.is_empty() && name != b"Identity" && !state.crypt_filters().contains_key(name);
    state.version() >= 4 && (named(state.default_stream_filter()) || named(state.default_string_filter()))
}

/// The file read with its encryption dictionary's references resolved (its `/CF` and the
/// filters in it written out in place), then decrypted with `password` (the empty one if
/// `None`), as qpdf and poppler read it. `load` parses bytes as the caller parses any file.
/// `None` when it cannot be read so, and the caller keeps what it has.
pub fn with_direct_filters(
    bytes: &[u8],
    password: Option<&str>,
    load: impl Fn(&[u8]) -> lopdf::Result<Document>,
) -> Option<lopdf::Result<Document>> {
    let mut doc = load(&hidden(bytes)?).ok()?;
    let reference = doc.trailer.remove(&HIDDEN[1..])?;
    let id = reference.as_reference().ok()?;
    doc.trailer.set("Encrypt", reference);
    let mut dict = doc.get_dictionary(id).ok()?.clone();
    for (_, value) in dict.iter_mut() {
        resolve(&doc, value, 3);
    }
    doc.objects.insert(id, Object::Dictionary(dict));
    // The empty password first, as lopdf tries it when it loads: a file without a user
    // password opens whatever password is given.
    let password = if doc.authenticate_password("").is_ok() { "" } else { password.unwrap_or("") };
    match doc.decrypt(password) {
        Ok(()) => Some(Ok(doc)),
        // An object that could not be decrypted is kept as far as it was, as lopdf keeps it
        // when it decrypts while loading.
        Err(lopdf::Error::Decryption(_)) if doc.was_encrypted() => Some(Ok(doc)),
        Err(e) => Some(Err(e)),
    }
}

/// Replaces each reference in `object` with the object it names, `depth` levels down.
fn resolve(doc: &Document, object: &mut Object, depth: usize) {
    if depth == 0 {
        return;
    }
    if let Object::Reference(id) = object {
        match doc.get_object(*id) {
            Ok(target) if !matches!(target, Object::Stream(_)) => *object = target.clone(),
            _ => return,
        }
    }
    match object {
        Object::Dictionary(d) => d.iter_mut().for_each(|(_, v)| resolve(doc, v, depth - 1)),
        Object::Array(a) => a.iter_mut().for_each(|v| resolve(doc, v, depth - 1)),
        _ => {}
    }
}

/// The file as qpdf and poppler read it when its table must be rebuilt, if that reading
/// leaves it unencrypted: they take the first trailer that names a catalog, and when that
/// one has no `/Encrypt` (a file joined to an encrypted copy of itself), the file is not
/// encrypted for them. The bytes to parse, with `/Encrypt` hidden; the caller checks that
/// the table is indeed rebuilt.
pub fn as_first_trailer_reads(bytes: &[u8]) -> Option<Vec<u8>> {
    let first = trailers(bytes).find(|t| contains(t, b"/Root"))?;
    if contains(first, b"/Encrypt") {
        return None;
    }
    hidden(bytes)
}

/// Whether the document read from `bytes` was read unencrypted by [`as_first_trailer_reads`]:
/// an encrypted copy is in the file, passed over.
pub fn passed_over(doc: &Document, bytes: &[u8]) -> bool {
    !doc.was_encrypted() && contains(bytes, HIDDEN)
}

/// What the person should know when an encrypted copy in the file was passed over.
pub const PASSED_OVER: &str = "also holds a later version of itself protected with a password, which PDF readers pass over: the pages \
     are carried as they show them; if you have the password, make an unlocked copy with it (`redress unlock`) and add that \
     copy instead";

/// Each `trailer` dictionary of the file: the text from the keyword to the next `startxref`.
fn trailers(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + find(&bytes[at..], b"trailer")?;
        let end = find(&bytes[start..], b"startxref").map_or(bytes.len(), |e| start + e);
        at = end;
        Some(&bytes[start..end])
    })
}

/// The file with each `/Encrypt` key outside stream data (a trailer's, or a cross-reference
/// stream's) renamed to [`HIDDEN`]; `None` when it has none.
fn hidden(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = bytes.to_vec();
    let mut changed = false;
    for (start, end) in super::normalise::outside_streams(bytes) {
        let mut at = start;
        while let Some(found) = find(&bytes[at..end], b"/Encrypt").map(|i| i + at) {
            at = found + HIDDEN.len();
            // `/EncryptMetadata` is another key.
            let ends_name = bytes.get(at).is_none_or(|c| c.is_ascii_whitespace() || b"()<>[]{}/%".contains(c));
            if ends_name {
                out[found..at].copy_from_slice(HIDDEN);
                changed = true;
            }
        }
    }
    changed.then_some(out)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_encrypt_key_outside_streams_is_hidden_and_nothing_moves() {
        let file = b"1 0 obj << /Length 9 >>\nstream\n/Encrypt \nendstream\nendobj\n6 0 obj << /EncryptMetadata false >> endobj\ntrailer << /Root 1 0 R /Encrypt 6 0 R >>\n";
        let out = hidden(file).unwrap();
        assert_eq!(out.len(), file.len());
        assert!(contains(&out, b"stream\n/Encrypt \nendstream"), "stream data untouched");
        assert!(contains(&out, b"/EncryptMetadata false"));
        assert!(contains(&out, b"/Root 1 0 R /EncrypX 6 0 R"));
        assert_eq!(hidden(b"trailer << /Root 1 0 R >>"), None);
    }

    #[test]
    fn the_first_trailer_naming_a_catalog_decides() {
        let joined = b"trailer << /Size 1 >> startxref 9 trailer << /Root 1 0 R >> startxref 9 trailer << /Root 1 0 R /Encrypt 6 0 R >> startxref 99";
        assert!(as_first_trailer_reads(joined).is_some());
        let encrypted_first = b"trailer << /Root 1 0 R /Encrypt 6 0 R >> startxref 9 trailer << /Root 1 0 R >> startxref 99";
        assert_eq!(as_first_trailer_reads(encrypted_first), None);
    }

    #[test]
    fn crypt_filters_written_as_references_are_resolved_and_the_file_decrypted() {
        let file = include_bytes!("../../tests/corpus/mozilla+pdf.js/test/pdfs/issue7665.pdf");
        let load = |b: &[u8]| Document::load_mem(b);
        let as_lopdf_reads = load(file).unwrap();
        assert!(filters_unresolved(&as_lopdf_reads), "lopdf alone leaves the file encrypted");
        let doc = with_direct_filters(file, None, load).unwrap().unwrap();
        assert!(doc.was_encrypted() && !doc.is_encrypted() && !doc.trailer.has(b"Encrypt"));
        assert!(!filters_unresolved(&doc));
        assert!(doc.extract_text(&[1]).unwrap().contains("Issue 7665"));
        let with_any_password = with_direct_filters(file, Some("not needed"), load).unwrap().unwrap();
        assert!(with_any_password.extract_text(&[1]).unwrap().contains("Issue 7665"), "it has no user password");
    }
}
