//! A rebuild takes an unchanged input's SHA-256 from its stat fingerprint instead of hashing it
//! again (`.redress/hashed.json`), and makes the same bytes; a changed file is hashed again even
//! when its size and modification time were put back, and a damaged entry file is not trusted.

use crate::packet::sha256_hex;
use crate::util::*;
use std::time::Duration;

fn manifest_shas(r: &serde_json::Value) -> Vec<String> {
    r["exhibits"].as_array().unwrap().iter().map(|e| e["sha256"].as_str().unwrap().to_string()).collect()
}

fn last_page(pdf: &std::path::Path) -> String {
    page_texts(pdf).pop().unwrap()
}

#[test]
fn a_rebuild_trusts_only_an_unchanged_files_fingerprint() {
    let t = TempDir::new("fingerprints");
    let toml = case_toml(&[
        ("a.txt", "progress-note", "2025-09-01", "First note", ""),
        ("b.txt", "progress-note", "2025-09-02", "Second note", ""),
    ]);
    write_case(t.path(), &toml, &[("a.txt", b"oxygen saturation 86 percent".to_vec()), ("b.txt", b"walked 40 feet".to_vec())]);
    // An entry is kept only for a file whose times are two seconds older than its hash.
    std::thread::sleep(Duration::from_millis(2100));
    let first = build_json(t.path());
    let packet = t.join("packet.pdf");
    let bytes = std::fs::read(&packet).unwrap();
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(t.join(".redress/hashed.json")).unwrap()).unwrap();
    assert_eq!(kept["files"].as_array().unwrap().len(), 2, "both inputs' fingerprints are kept: {kept}");
    let json = serde_json::to_string(&kept).unwrap();
    assert!(!json.contains("a.txt") && !json.contains("oxygen"), "an entry names no file and holds no content: {json}");

    // With the fingerprints: the same bytes.
    let again = build_json(t.path());
    assert_eq!(manifest_shas(&again), manifest_shas(&first));
    assert!(std::fs::read(&packet).unwrap() == bytes, "a rebuild from fingerprints makes the same bytes");

    // Another content of the same size, its modification time put back: only the change time
    // moved, and that is enough for the file to be hashed again.
    let b = t.join("b.txt");
    let before = std::fs::metadata(&b).unwrap();
    std::fs::write(&b, b"walked 90 feet").unwrap();
    std::fs::File::options().write(true).open(&b).unwrap().set_modified(before.modified().unwrap()).unwrap();
    let after = std::fs::metadata(&b).unwrap();
    assert_eq!((after.len(), after.modified().unwrap()), (before.len(), before.modified().unwrap()));
    let changed = build_json(t.path());
    let new_sha = sha256_hex(b"walked 90 feet");
    assert_eq!(manifest_shas(&changed)[1], new_sha);
    assert!(last_page(&packet).contains(&new_sha), "the manifest prints the new SHA-256");
    let changed_bytes = std::fs::read(&packet).unwrap();
    assert!(changed_bytes != bytes);

    // A damaged entry file is ignored: every file is hashed, the packet is the same.
    let hashed = t.join(".redress/hashed.json");
    let whole = std::fs::read_to_string(&hashed).unwrap();
    for damaged in [whole[..whole.len() / 2].to_string(), whole.replace(&manifest_shas(&first)[0][..12], "000000000000"), "[]".into()] {
        std::fs::write(&hashed, &damaged).unwrap();
        let r = build_json(t.path());
        assert_eq!(manifest_shas(&r)[0], sha256_hex(b"oxygen saturation 86 percent"));
        assert!(std::fs::read(&packet).unwrap() == changed_bytes, "a damaged entry changes nothing");
    }
}
