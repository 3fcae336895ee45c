//! The case store: folder → database → folder round trips, migrations, refusals of damaged
//! and newer databases, the vault, and crash safety of `import` and `build` under SIGKILL.

use crate::util::{kill_after, ok, qpdf_check, stderr, stdout, tree, Rng, TempDir};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const EPOCH: &str = "1700000000";

/// The real binary, run in `dir` with the database `db`, a fixed clock and zone.
fn cmd(dir: &Path, db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_redress"));
    c.current_dir(dir).env("REDRESS_DB", db).env("SOURCE_DATE_EPOCH", EPOCH).env("TZ", "America/Chicago");
    c
}

fn run(dir: &Path, db: &Path, args: &[&str]) -> Output {
    cmd(dir, db).args(args).output().expect("run redress")
}

/// Asserts the command failed with exit 1, without a panic, naming `names` in its message.
fn fails_naming(o: &Output, names: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "expected exit 1\nstdout:\n{}\nstderr:\n{err}", stdout(o));
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(names), "the message should name {names}:\n{err}");
}

fn s(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn demo(dir: &Path) -> PathBuf {
    redress::demo::write_demo(dir, chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap()).unwrap()
}

/// The files in the vault beside `db` (not the shard folders).
fn vault_files(db: &Path) -> Vec<PathBuf> {
    let root = db.parent().unwrap().join("vault");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&root).into_iter().flatten() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn sql(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).unwrap()
}

#[test]
fn folder_to_database_to_folder_builds_the_same_packet() {
    let t = TempDir::new("store-roundtrip");
    let db = t.join("data/redress.db");
    let case = demo(&t.join("hayes-oxygen-appeal"));
    std::fs::write(case.join("letter.md"), "To the plan:\n\nPlease **approve** the oxygen.\n\n- SpO2 86% at rest\n- Order signed\n")
        .unwrap();
    ok(&run(t.path(), &db, &["build", "hayes-oxygen-appeal", "--out", "from-folder.pdf"]));

    let o = run(t.path(), &db, &["import", "hayes-oxygen-appeal"]);
    ok(&o);
    assert_eq!(stdout(&o), "hayes-oxygen-appeal\n");
    let o = run(t.path(), &db, &["import", "hayes-oxygen-appeal", "--db", s(&db)]);
    ok(&o);
    assert_eq!(stdout(&o), "hayes-oxygen-appeal-2\n");
    // Two imports of eight documents: eight vault files.
    let docs = tree(&case).into_iter().filter(|(n, _)| n.starts_with("docs/")).count();
    assert_eq!(vault_files(&db).len(), docs);

    ok(&run(t.path(), &db, &["export", "hayes-oxygen-appeal", "out/copy"]));
    // The build's own keeping (`.redress/`: the photos' check verdicts) is not part of the case.
    let original: Vec<_> =
        tree(&case).into_iter().filter(|(n, _)| (!n.ends_with(".pdf") || n.starts_with("docs/")) && !n.starts_with(".redress/")).collect();
    let exported = tree(&t.join("out/copy"));
    assert_eq!(exported.iter().map(|f| &f.0).collect::<Vec<_>>(), original.iter().map(|f| &f.0).collect::<Vec<_>>());
    assert!(exported == original, "the exported folder differs from the imported one");
    assert!(std::fs::read_dir(t.join("out")).unwrap().count() == 1, "no temporary folder is left beside the export");

    ok(&run(t.path(), &db, &["build", "out/copy", "--out", "from-export.pdf"]));
    // A database case builds from its id; the packet goes to ./<id>-packet.pdf.
    ok(&run(t.path(), &db, &["build", "hayes-oxygen-appeal-2"]));
    let a = std::fs::read(t.join("from-folder.pdf")).unwrap();
    assert!(std::fs::read(t.join("from-export.pdf")).unwrap() == a, "the exported folder's packet differs");
    assert!(std::fs::read(t.join("hayes-oxygen-appeal-2-packet.pdf")).unwrap() == a, "the database case's packet differs");

    // Export refuses a folder that is not empty, and leaves it alone (as the build left it).
    let built = tree(&t.join("out/copy"));
    let o = run(t.path(), &db, &["export", "hayes-oxygen-appeal", "out/copy"]);
    fails_naming(&o, "out/copy");
    assert!(tree(&t.join("out/copy")) == built);

    let o = run(t.path(), &db, &["cases", "--json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["hayes-oxygen-appeal", "hayes-oxygen-appeal-2"]);
    assert_eq!(v[0]["exhibits"], 8);
    assert_eq!(v[0]["member_name"], "Walter Hayes");
    assert_eq!(v[0]["program"], "medicare-advantage");

    let o = run(t.path(), &db, &["deadlines", "--json", "--today", "2025-10-02"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let cases: std::collections::BTreeSet<&str> = v.as_array().unwrap().iter().map(|d| d["case"].as_str().unwrap()).collect();
    assert_eq!(cases.into_iter().collect::<Vec<_>>(), ["hayes-oxygen-appeal", "hayes-oxygen-appeal-2"]);
    let o = run(t.path(), &db, &["deadlines", "--json", "--today", "2025-10-02", "out/copy"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().all(|d| d["case"] == "copy"));

    let store = redress::store::Store::open(&db).unwrap();
    let history: Vec<String> = store.history("hayes-oxygen-appeal").unwrap().into_iter().map(|h| h.what).collect();
    assert!(history[0].starts_with("imported from folder ") && history[0].ends_with("hayes-oxygen-appeal"), "{history:?}");
    assert!(history[1].starts_with("exported to folder ") && history[1].ends_with("copy"), "{history:?}");
    let loaded = store.load("hayes-oxygen-appeal-2").unwrap();
    assert_eq!(loaded.name(), "hayes-oxygen-appeal-2");
    assert_eq!(loaded.dir, db.parent().unwrap());
    assert!(loaded.case.exhibits.iter().all(|e| loaded.exhibit_path(e).starts_with(store.vault().root())));
    assert!(store.history("no-such-case").unwrap_err().to_string().contains("no-such-case"));
}

#[test]
fn the_same_document_is_stored_once() {
    let t = TempDir::new("store-once");
    let db = t.join("redress.db");
    let pdf = redress::demo::fixtures::text_pdf(&["The same signed order"]);
    let toml = crate::util::case_toml(&[
        ("a.pdf", "physician-order", "2025-09-01", "Order", ""),
        ("copy/b.pdf", "physician-order", "2025-09-02", "Order again", ""),
    ]);
    std::fs::create_dir_all(t.join("case")).unwrap();
    crate::util::write_case(&t.join("case"), &toml, &[("a.pdf", pdf.clone()), ("copy/b.pdf", pdf.clone())]);
    ok(&run(t.path(), &db, &["import", "case"]));
    ok(&run(t.path(), &db, &["import", "case"]));
    let files = vault_files(&db);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].file_name().unwrap().to_str().unwrap(), sha256(&pdf));
    assert_eq!(std::fs::read(&files[0]).unwrap(), pdf);
}

#[test]
fn migrations_run_from_nothing_an_empty_file_and_version_0() {
    let t = TempDir::new("store-migrate");
    let fresh = t.join("new/dir/fresh.db");
    let empty = t.join("empty.db");
    let v0 = t.join("v0.db");
    std::fs::write(&empty, b"").unwrap();
    {
        // A SQLite file written by SQLite itself, never by Redress: version 0, no tables.
        let c = sql(&v0);
        c.execute_batch("CREATE TABLE scratch(x); DROP TABLE scratch; PRAGMA user_version = 0;").unwrap();
    }
    assert!(std::fs::metadata(&v0).unwrap().len() > 0);
    demo(&t.join("case"));
    ok(&run(t.path(), &fresh, &["import", "case"]));
    ok(&run(t.path(), &empty, &["cases", "--db", s(&empty)]));
    ok(&run(t.path(), &v0, &["cases"]));
    for db in [&fresh, &empty, &v0] {
        let c = sql(db);
        let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, 4, "{}", db.display());
        let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let mut st = c.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").unwrap();
        let tables: Vec<String> = st.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        // Version 3: the case is one document column; its exhibits' documents and history beside
        // it. Version 4: the app's settings.
        assert_eq!(tables, ["cases", "exhibits", "history", "settings"]);
    }
    // Opening again changes nothing and keeps the case.
    let o = run(t.path(), &fresh, &["cases", "--json"]);
    ok(&o);
    assert!(stdout(&o).contains("\"id\": \"case\""));
}

#[test]
fn a_database_of_the_first_version_is_migrated_and_keeps_its_cases() {
    let t = TempDir::new("store-v1");
    let db = t.join("redress.db");
    // A database written by schema version 2 (the demo of 2026-01-01 imported), with its
    // documents put back in the vault.
    std::fs::write(&db, include_bytes!("../src/store/fixtures/redress-v2.db")).unwrap();
    let case = redress::demo::write_demo(&t.join("case"), chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    for (file, bytes) in tree(&case.join("docs")) {
        let sha = sha256(&bytes);
        let shard = t.join("vault").join(&sha[..2]);
        std::fs::create_dir_all(&shard).unwrap();
        std::fs::write(shard.join(&sha), bytes).unwrap();
        assert!(file.contains('.'));
    }
    // Take the file back to the first version's schema: no service, no pa_requested.
    sql(&db)
        .execute_batch("ALTER TABLE cases DROP COLUMN service; ALTER TABLE cases DROP COLUMN pa_requested; PRAGMA user_version = 1;")
        .unwrap();
    let o = run(t.path(), &db, &["deadlines", "--json", "--today", "2026-01-01"]);
    ok(&o);
    assert!(stdout(&o).contains("ma-reconsideration"), "{}", stdout(&o));
    let version: i64 = sql(&db).query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 4);
    // The case comes back whole, and now carries the new fields when written.
    ok(&run(t.path(), &db, &["export", "hayes-oxygen-appeal", "out"]));
    let toml = std::fs::read_to_string(t.join("out/case.toml")).unwrap();
    assert!(toml.contains("member_id") && !toml.contains("pa_requested"), "{toml}");
    // Everything else comes back as imported; version 1 had no service or pa_requested, and
    // the demo it imported had no exhibit ids or meets, and gave its fax report and portal
    // capture the kinds there were before theirs.
    let imported = std::fs::read_to_string(case.join("case.toml")).unwrap();
    let imported = imported
        .replace("kind = \"fax-confirmation\"", "kind = \"delivery-confirmation\"")
        .replace("kind = \"screenshot\"", "kind = \"correspondence\"");
    let later = ["service =", "pa_requested =", "id =", "meets ="];
    let v1: Vec<&str> = imported.lines().filter(|l| !later.iter().any(|k| l.starts_with(k))).collect();
    assert_eq!(toml.lines().collect::<Vec<_>>(), v1);
}

#[test]
fn a_newer_or_foreign_database_is_refused_and_left_byte_identical() {
    let t = TempDir::new("store-newer");
    let db = t.join("redress.db");
    demo(&t.join("case"));
    ok(&run(t.path(), &db, &["import", "case"]));
    sql(&db).execute_batch("PRAGMA user_version = 99;").unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [&["cases"][..], &["import", "case"], &["export", "case", "out"], &["build", "case-x"], &["deadlines"]] {
        let o = run(t.path(), &db, args);
        fails_naming(&o, s(&db));
        assert!(stderr(&o).contains("newer version of Redress"), "{}", stderr(&o));
        assert!(std::fs::read(&db).unwrap() == before, "{args:?} changed the file");
    }
    assert!(!t.join("out").exists());

    let foreign = t.join("other-app.db");
    sql(&foreign).execute_batch("CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('x');").unwrap();
    let before = std::fs::read(&foreign).unwrap();
    let o = run(t.path(), &foreign, &["import", "case"]);
    fails_naming(&o, s(&foreign));
    assert!(std::fs::read(&foreign).unwrap() == before);
}

#[test]
fn a_damaged_database_is_named_without_a_panic() {
    let t = TempDir::new("store-corrupt");
    let mut rng = Rng::new(7);
    let noise = t.join("noise.db");
    std::fs::write(&noise, (0..16384).map(|_| rng.next_u64() as u8).collect::<Vec<u8>>()).unwrap();

    let good = t.join("good/redress.db");
    demo(&t.join("case"));
    ok(&run(t.path(), &good, &["import", "case"]));
    let bytes = std::fs::read(&good).unwrap();
    let half = t.join("half.db");
    std::fs::write(&half, &bytes[..bytes.len() / 2]).unwrap();
    let stub = t.join("stub.db");
    std::fs::write(&stub, &bytes[..50]).unwrap();

    for db in [&noise, &half, &stub] {
        let before = std::fs::read(db).unwrap();
        for args in [&["cases"][..], &["import", "case"], &["build", "case-x"], &["deadlines"]] {
            let o = run(t.path(), db, args);
            fails_naming(&o, s(db));
            assert!(stderr(&o).contains("damaged"), "{}", stderr(&o));
        }
        assert!(std::fs::read(db).unwrap() == before, "{} was changed", db.display());
    }
}

#[test]
fn a_tampered_or_missing_vault_file_is_reported_not_used() {
    let t = TempDir::new("store-tamper");
    // The folder is not in the working folder, so `case` names the stored case.
    let db = t.join("db/redress.db");
    demo(&t.join("src/case"));
    ok(&run(t.path(), &db, &["import", "src/case"]));
    let order = "docs/order-home-oxygen.pdf";
    let sha: String = sql(&db).query_row("SELECT sha256 FROM exhibits WHERE file = ?1", [order], |r| r.get(0)).unwrap();
    let vault_file = db.parent().unwrap().join("vault").join(&sha[..2]).join(&sha);
    let mut bytes = std::fs::read(&vault_file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    std::fs::remove_file(&vault_file).unwrap(); // read-only: replace rather than edit
    std::fs::write(&vault_file, &bytes).unwrap();

    let o = run(t.path(), &db, &["build", "case", "--out", "p.pdf"]);
    fails_naming(&o, order);
    assert!(stderr(&o).contains(s(&vault_file)), "{}", stderr(&o));
    assert!(!t.join("p.pdf").exists());
    let o = run(t.path(), &db, &["export", "case", "out"]);
    fails_naming(&o, order);
    assert!(!t.join("out").exists());
    assert_eq!(crate::util::names(t.path()), ["db", "src"], "no temporary export folder is left");

    std::fs::remove_file(&vault_file).unwrap();
    let o = run(t.path(), &db, &["build", "case", "--out", "p.pdf"]);
    fails_naming(&o, "is missing");
    // Importing the folder again restores the document.
    ok(&run(t.path(), &db, &["import", "src/case"]));
    ok(&run(t.path(), &db, &["build", "case", "--out", "p.pdf"]));
}

/// A one-page PDF of about `size` bytes: a full-page uncompressed greyscale image of noise,
/// so the file cannot shrink and the packet copies it as it is.
fn noise_pdf(rng: &mut Rng, size: usize) -> Vec<u8> {
    let width = 1000;
    let height = (size / width).max(1);
    let mut pixels = vec![0u8; width * height];
    for chunk in pixels.chunks_mut(8) {
        let r = rng.next_u64().to_le_bytes();
        chunk.copy_from_slice(&r[..chunk.len()]);
    }
    let content = b"q 612 0 0 792 0 0 cm /Im1 Do Q\n";
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    let mut obj = |out: &mut Vec<u8>, head: String, stream: Option<&[u8]>| {
        offsets.push(out.len());
        out.extend_from_slice(head.as_bytes());
        if let Some(data) = stream {
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(data);
            out.extend_from_slice(b"\nendstream");
        }
        out.extend_from_slice(b"\nendobj\n");
    };
    obj(&mut out, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>".into(), None);
    obj(&mut out, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(), None);
    obj(
        &mut out,
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>"
            .into(),
        None,
    );
    obj(&mut out, format!("4 0 obj\n<< /Length {} >>\n", content.len()), Some(content));
    obj(&mut out, format!("5 0 obj\n<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {} >>\n", pixels.len()), Some(&pixels));
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 6\n0000000000 65535 f \n");
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

/// A case folder of `n` noise PDFs of 1–2 MB each.
fn large_case(dir: &Path, n: usize, rng: &mut Rng) {
    let names: Vec<String> = (0..n).map(|i| format!("docs/scan-{i:02}.pdf")).collect();
    let dates: Vec<String> = (0..n).map(|i| format!("2025-09-{:02}", 1 + i % 28)).collect();
    let titles: Vec<String> = (0..n).map(|i| format!("Scanned record {i}")).collect();
    let exhibits: Vec<(&str, &str, &str, &str, &str)> =
        (0..n).map(|i| (names[i].as_str(), "progress-note", dates[i].as_str(), titles[i].as_str(), "")).collect();
    let docs: Vec<(&str, Vec<u8>)> = names
        .iter()
        .map(|f| {
            let size = 1_000_000 + rng.below(1_000_000);
            (f.as_str(), noise_pdf(rng, size))
        })
        .collect();
    std::fs::create_dir_all(dir).unwrap();
    crate::util::write_case(dir, &crate::util::case_toml(&exhibits), &docs);
}

/// What a database must look like after any crash: intact, every case whole with every
/// document hash-verified in the vault, no temporary file left once it has been opened again.
fn check_after_crash(db: &Path, printed: &[String], exhibits: usize) {
    if db.exists() {
        let c = sql(db);
        let integrity: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok");
    }
    // Opening again (as `cases` does) recovers the journal and cleans the vault's temporaries.
    let o = cmd(db.parent().unwrap(), db).args(["cases", "--json"]).output().unwrap();
    ok(&o);
    let listed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let listed = listed.as_array().unwrap();
    for id in printed {
        assert!(listed.iter().any(|c| c["id"] == id.as_str()), "case {id} was reported imported but is not listed");
    }
    for case in listed {
        assert_eq!(case["exhibits"], exhibits, "case {} is only partly there", case["id"]);
    }
    if db.exists() {
        let c = sql(db);
        let mut st = c.prepare("SELECT DISTINCT sha256 FROM exhibits").unwrap();
        let shas: Vec<String> = st.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        for sha in shas {
            let p = db.parent().unwrap().join("vault").join(&sha[..2]).join(&sha);
            assert_eq!(sha256(&std::fs::read(&p).unwrap()), sha, "{} does not verify", p.display());
        }
    }
    let temps: Vec<_> = vault_files(db).into_iter().filter(|p| p.to_string_lossy().ends_with(".tmp")).collect();
    assert!(temps.is_empty(), "temporary files left in the vault: {temps:?}");
}

/// SIGKILL at pseudo-random moments of a large import, then of a build: the database stays
/// intact with only whole cases in it, and no packet appears under its name unless complete.
#[test]
fn import_and_build_survive_sigkill_at_any_moment() {
    const DOCUMENTS: usize = 40;
    const KILLS: usize = 15;
    let t = TempDir::new("store-kill");
    let mut rng = Rng::new(0x5EED);
    large_case(&t.join("big"), DOCUMENTS, &mut rng);

    // A complete import first, for the time it takes (and a case for the builds).
    let full = t.join("full/redress.db");
    let started = Instant::now();
    let o = run(t.path(), &full, &["import", "big"]);
    let import_time = started.elapsed();
    ok(&o);
    eprintln!(
        "import of {DOCUMENTS} documents ({:.0} MB): {import_time:.2?}",
        tree(&t.join("big/docs")).iter().map(|f| f.1.len()).sum::<usize>() as f64 / 1e6
    );

    let mut outcomes = Vec::new();
    for i in 0..KILLS {
        let dir = t.join(&format!("kill-{i}"));
        let db = dir.join("redress.db");
        std::fs::create_dir_all(&dir).unwrap();
        let mut printed = Vec::new();
        let mut c = cmd(t.path(), &db);
        c.args(["import", "big"]);
        let delay = Duration::from_micros(rng.below(import_time.as_micros() as usize) as u64);
        if let Some(out) = kill_after(c, delay) {
            printed.push(out.trim().to_string());
        }
        let left = vault_files(&db).len();
        check_after_crash(&db, &printed, DOCUMENTS);
        outcomes.push(format!(
            "{}ms:{}",
            delay.as_millis(),
            if printed.is_empty() { format!("killed({left} vault files)") } else { "done".into() }
        ));
        if i % 5 == 4 {
            // The store is usable after the crash: a new import completes beside whatever is left.
            let o = run(t.path(), &db, &["import", "big"]);
            ok(&o);
            printed.push(stdout(&o).trim().to_string());
            check_after_crash(&db, &printed, DOCUMENTS);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
    eprintln!("imports: {}", outcomes.join(" "));

    // The build: a complete one for its bytes and time, then builds killed part way. They run
    // beside the database, where `big` is the stored case's id, not the folder.
    let here = full.parent().unwrap();
    let started = Instant::now();
    ok(&run(here, &full, &["build", "big", "--out", s(&t.join("reference.pdf"))]));
    let build_time = started.elapsed();
    eprintln!("build of the same case: {build_time:.2?}");
    let reference = std::fs::read(t.join("reference.pdf")).unwrap();
    qpdf_check(&t.join("reference.pdf"));
    let target = t.join("out/packet.pdf");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let mut completed = 0;
    outcomes.clear();
    for _ in 0..KILLS {
        let mut c = cmd(here, &full);
        c.args(["build", "big", "--out", s(&target)]);
        // Up to half again the measured time, so some builds finish and their packet is checked.
        let delay = Duration::from_micros(rng.below(build_time.as_micros() as usize * 3 / 2) as u64);
        let finished = kill_after(c, delay).is_some();
        outcomes.push(format!("{}ms:{}", delay.as_millis(), if finished { "done" } else { "killed" }));
        if target.exists() {
            completed += 1;
            assert!(std::fs::read(&target).unwrap() == reference, "a packet under the target name is not the complete packet");
            if completed == 1 {
                qpdf_check(&target);
            }
        }
        // A killed build's temporary file may stay behind until the next build; the target
        // itself goes, so each try starts from nothing.
        let _ = std::fs::remove_file(&target);
    }
    eprintln!("builds: {}", outcomes.join(" "));
    // After all those kills a build still completes, into the same place, with the same bytes.
    ok(&run(here, &full, &["build", "big", "--out", s(&target)]));
    assert!(std::fs::read(&target).unwrap() == reference);
    // ...and it cleared what the killed builds left: only the packet remains.
    let left: Vec<String> =
        std::fs::read_dir(target.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, [target.file_name().unwrap().to_string_lossy().into_owned()], "half-written files left beside the packet");
    check_after_crash(&full, &["big".to_string()], DOCUMENTS);
}
