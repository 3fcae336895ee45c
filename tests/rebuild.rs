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

#[test]
fn a_rebuild_in_volumes_trusts_only_an_unchanged_files_fingerprint_too() {
    // A packet in volumes hashes its files before the merge (its manifest comes first): the
    // same fingerprints serve it, and a changed file is hashed again there too.
    let t = TempDir::new("fingerprints-volumes");
    let exhibits: Vec<(String, String)> = (1..=4).map(|k| (format!("n{k}.txt"), format!("Note {k}"))).collect();
    let rows: Vec<(&str, &str, &str, &str, &str)> =
        exhibits.iter().map(|(file, title)| (file.as_str(), "progress-note", "2025-09-01", title.as_str(), "")).collect();
    let docs: Vec<(&str, Vec<u8>)> =
        exhibits.iter().map(|(file, title)| (file.as_str(), format!("{title}: walked 40 feet").into_bytes())).collect();
    write_case(t.path(), &case_toml(&rows), &docs);
    std::thread::sleep(Duration::from_millis(2100));
    let split = ["--max-pages", "8"];
    let first = build_json_with(t.path(), &split);
    let volumes: Vec<std::path::PathBuf> =
        first["volumes"].as_array().unwrap().iter().map(|v| t.join(v["output"].as_str().unwrap())).collect();
    assert!(volumes.len() >= 2, "{first}");
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(t.join(".redress/hashed.json")).unwrap()).unwrap();
    assert_eq!(kept["files"].as_array().unwrap().len(), 4, "every input's fingerprint is kept: {kept}");
    let bytes: Vec<Vec<u8>> = volumes.iter().map(|v| std::fs::read(v).unwrap()).collect();
    let again = build_json_with(t.path(), &split);
    assert_eq!(manifest_shas(&again), manifest_shas(&first));
    assert!(volumes.iter().zip(&bytes).all(|(v, b)| std::fs::read(v).unwrap() == *b), "the same volumes from fingerprints");

    // Note 2 changed, its size and modification time put back: hashed again.
    let b = t.join("n2.txt");
    let before = std::fs::metadata(&b).unwrap();
    std::fs::write(&b, b"Note 2: walked 90 feet").unwrap();
    std::fs::File::options().write(true).open(&b).unwrap().set_modified(before.modified().unwrap()).unwrap();
    let after = std::fs::metadata(&b).unwrap();
    assert_eq!((after.len(), after.modified().unwrap()), (before.len(), before.modified().unwrap()));
    let changed = build_json_with(t.path(), &split);
    let new_sha = sha256_hex(b"Note 2: walked 90 feet");
    assert_eq!(manifest_shas(&changed)[1], new_sha);
    let last = changed["volumes"].as_array().unwrap().last().unwrap()["output"].as_str().unwrap().to_string();
    assert!(last_page(&t.join(&last)).contains(&new_sha), "the last volume's manifest prints the new SHA-256");
}

#[test]
fn a_stored_case_is_checked_by_its_documents_fingerprints_and_a_changed_document_is_still_refused() {
    // A case in the database: its vault documents are hash-checked before each build, by the
    // fingerprints an earlier build kept; a document changed with its size and modification
    // time put back is read again, and refused.
    let t = TempDir::new("fingerprints-store");
    // Imported from elsewhere: a folder named as the case's id beside the command would be
    // built as a folder.
    let folder = t.join("from/smith");
    std::fs::create_dir_all(&folder).unwrap();
    let toml = case_toml(&[
        ("a.txt", "progress-note", "2025-09-01", "First note", ""),
        ("b.txt", "progress-note", "2025-09-02", "Second note", ""),
    ]);
    write_case(&folder, &toml, &[("a.txt", b"oxygen saturation 86 percent".to_vec()), ("b.txt", b"walked 40 feet".to_vec())]);
    let o = redress(t.path(), &["import", folder.to_str().unwrap()]);
    ok(&o);
    let id = stdout(&o).trim().to_string();
    assert!(!t.join(&id).exists());
    // The vault's copies are kept under their fingerprints once two seconds old.
    std::thread::sleep(Duration::from_millis(2100));
    let build = || redress(t.path(), &["build", &id, "--out", "stored.pdf", "--json"]);
    let first = build();
    ok(&first);
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(t.join("hashed.json")).unwrap()).unwrap();
    assert_eq!(kept["files"].as_array().unwrap().len(), 2, "both documents' fingerprints are kept beside the database: {kept}");
    let bytes = std::fs::read(t.join("stored.pdf")).unwrap();
    ok(&build());
    assert!(std::fs::read(t.join("stored.pdf")).unwrap() == bytes, "the same packet");

    // The second document's vault copy changed, its size and modification time put back.
    let sha = sha256_hex(b"walked 40 feet");
    let copy = t.join("vault").join(&sha[..2]).join(&sha);
    let before = std::fs::metadata(&copy).unwrap();
    let mut writable = before.permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    writable.set_readonly(false);
    std::fs::set_permissions(&copy, writable).unwrap();
    std::fs::write(&copy, b"walked 90 feet").unwrap();
    std::fs::File::options().write(true).open(&copy).unwrap().set_modified(before.modified().unwrap()).unwrap();
    let after = std::fs::metadata(&copy).unwrap();
    assert_eq!((after.len(), after.modified().unwrap()), (before.len(), before.modified().unwrap()));
    let refused = build();
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    let e = stderr(&refused);
    assert!(e.contains("exhibit 2") && e.contains("no longer matches"), "{e}");
    assert!(std::fs::read(t.join("stored.pdf")).unwrap() == bytes, "the packet as it was");
}
