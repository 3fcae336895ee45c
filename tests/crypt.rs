//! Encryption at rest, through the real binary: an encrypted store shows nothing of its cases
//! or documents, a wrong passphrase changes nothing, encrypt → decrypt gives every case and
//! document back, and a SIGKILL at any moment of a switch loses nothing.

use crate::util::{ok, stderr, stdout, tree, TempDir};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const PASS: &str = "correct horse battery staple";

/// The real binary on the database `db`, with a fixed clock and zone and `pass` in
/// `REDRESS_PASSPHRASE` (none when `None`).
fn cmd(db: &Path, pass: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_redress"));
    c.current_dir(db.parent().unwrap().parent().unwrap())
        .env("REDRESS_DB", db)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env("TZ", "America/Chicago")
        .env_remove("REDRESS_PASSPHRASE")
        .stdin(Stdio::null());
    if let Some(p) = pass {
        c.env("REDRESS_PASSPHRASE", p);
    }
    c
}

fn run(db: &Path, pass: Option<&str>, args: &[&str]) -> Output {
    cmd(db, pass).args(args).output().expect("run redress")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A store at `<dir>/store/redress.db` holding the demo case (and `extra` noise documents of
/// about 1 MB each, for a switch that takes a while); the case folder it came from.
fn store_with_demo(dir: &Path, extra: usize) -> (PathBuf, PathBuf) {
    let case = redress::demo::write_demo(&dir.join("hayes"), chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap()).unwrap();
    if extra > 0 {
        add_noise_documents(&case, extra);
    }
    let db = dir.join("store/redress.db");
    ok(&run(&db, None, &["import", s(&case)]));
    (db, case)
}

/// Appends `n` exhibits of about 1 MB of pseudo-random text each to the case folder.
fn add_noise_documents(case: &Path, n: usize) {
    let mut toml = std::fs::read_to_string(case.join("case.toml")).unwrap();
    let mut x: u64 = 0x5EED;
    for i in 0..n {
        let mut text = String::with_capacity(1 << 20);
        while text.len() < 1 << 20 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            text.push_str(&format!("{:016x} ", x));
        }
        std::fs::write(case.join(format!("docs/notes-{i}.txt")), text).unwrap();
        toml.push_str(&format!(
            "\n[[exhibit]]\nfile = \"docs/notes-{i}.txt\"\nkind = \"correspondence\"\ndate = \"2025-09-{:02}\"\ntitle = \"Notes {i}\"\n",
            i + 1
        ));
    }
    std::fs::write(case.join("case.toml"), toml).unwrap();
}

/// Exports case `id` into `<dir>/<name>` and returns its files.
fn export(db: &Path, pass: Option<&str>, id: &str, out: &Path) -> Vec<(String, Vec<u8>)> {
    let _ = std::fs::remove_dir_all(out);
    ok(&run(db, pass, &["export", id, s(out)]));
    tree(out)
}

/// Every text of at least 8 characters case.toml gives (names, identifiers, titles, notes).
fn case_texts(case: &Path) -> Vec<String> {
    fn walk(v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::String(s) if s.len() >= 8 => out.push(s.clone()),
            toml::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            toml::Value::Table(t) => t.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&toml::from_str(&std::fs::read_to_string(case.join("case.toml")).unwrap()).unwrap(), &mut out);
    out
}

/// Pieces of 24 bytes from across each document of the case.
fn document_pieces(case: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (name, bytes) in tree(&case.join("docs")) {
        for k in 1..8 {
            let at = bytes.len() * k / 8;
            if at + 24 <= bytes.len() {
                let piece = bytes[at..at + 24].to_vec();
                // Runs of one byte (padding) say nothing about the document.
                if piece.iter().any(|&b| b != piece[0]) {
                    out.push((format!("{name}@{at}"), piece));
                }
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn an_encrypted_store_holds_none_of_its_cases_words_or_documents_bytes() {
    let t = TempDir::new("crypt-scan");
    let (db, case) = store_with_demo(t.path(), 0);
    let texts = case_texts(&case);
    let pieces = document_pieces(&case);
    assert!(texts.iter().any(|t| t == "Walter Hayes") && pieces.len() > 20);
    // The check can fail: the plain store shows them.
    let plain: Vec<u8> = tree(db.parent().unwrap()).into_iter().flat_map(|(_, b)| b).collect();
    assert!(contains(&plain, b"Walter Hayes") && pieces.iter().all(|(_, p)| contains(&plain, p)));

    // The app's packet, built into the packets folder beside the database while plain...
    app_build(&db, None);
    let o = run(&db, Some(PASS), &["encrypt"]);
    ok(&o);
    assert!(stdout(&o).contains("is now encrypted"), "{}", stdout(&o));
    // ...is encrypted with the rest, and a new build there is written encrypted, and read back
    // decrypted for the app.
    let packet = app_build(&db, Some(PASS));
    assert!(packet.starts_with(b"%PDF-"));
    let files: Vec<String> = tree(db.parent().unwrap()).into_iter().map(|(n, _)| n).collect();
    assert!(files.iter().any(|n| n.starts_with("packets/")), "{files:?}");
    for (file, bytes) in tree(db.parent().unwrap()) {
        for text in &texts {
            assert!(!contains(&bytes, text.as_bytes()), "{file} shows {text:?}");
        }
        for (what, piece) in &pieces {
            assert!(!contains(&bytes, piece), "{file} shows the bytes of {what}");
        }
    }
    // The key file holds the wrapped key, the salt and Argon2id's parameters.
    let key: serde_json::Value = serde_json::from_slice(&std::fs::read(db.with_extension("key")).unwrap()).unwrap();
    assert_eq!((key["state"].as_str(), key["params"]["memory_kib"].as_u64()), (Some("encrypted"), Some(65536)));
}

/// Builds case `hayes` as the app does (into the packets folder beside the database, with
/// its report) and returns the packet's bytes as the app reads them.
fn app_build(db: &Path, pass: Option<&str>) -> Vec<u8> {
    let pass = pass.map(redress::store::Passphrase::new);
    let mut store = redress::store::Store::open_with(db, pass.as_ref()).unwrap();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap().and_hms_opt(9, 0, 0).unwrap();
    let opts = redress::packet::BuildOptions::new(now, now.and_utc(), chrono_tz::America::Chicago);
    redress::cases::build(&mut store, "hayes", opts).unwrap();
    let bytes = redress::cases::volume_bytes(&store, "hayes", 1).unwrap();
    // Saving a copy to send gives the plain packet.
    let copy = db.parent().unwrap().parent().unwrap().join("sent.pdf");
    redress::cases::save_volume_as(&store, "hayes", 1, &copy).unwrap();
    assert!(std::fs::read(&copy).unwrap() == bytes);
    std::fs::remove_file(copy).unwrap();
    bytes
}

#[test]
fn a_wrong_or_missing_passphrase_is_refused_and_changes_nothing() {
    let t = TempDir::new("crypt-wrong");
    let (db, case) = store_with_demo(t.path(), 0);
    // `build hayes` names the stored case, not the folder.
    std::fs::remove_dir_all(case).unwrap();
    ok(&run(&db, Some(PASS), &["encrypt"]));
    let before = tree(db.parent().unwrap());
    for args in [&["cases"][..], &["decrypt"], &["build", "hayes", "--out", s(&t.join("p.pdf"))], &["export", "hayes", s(&t.join("out"))]] {
        let o = run(&db, Some("correct horse battery stapler"), args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("the passphrase is not the one this store was encrypted with"), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    let o = run(&db, None, &["cases"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("passphrase"), "{}", stderr(&o));
    assert!(tree(db.parent().unwrap()) == before, "a refused passphrase changed the store");
    assert!(!t.join("p.pdf").exists() && !t.join("out").exists());
}

#[test]
fn encrypt_then_decrypt_gives_back_every_case_and_document_and_the_same_packet() {
    let t = TempDir::new("crypt-round");
    let (db, _) = store_with_demo(t.path(), 0);
    let second = redress::demo::write_demo(&t.join("second"), chrono::NaiveDate::from_ymd_opt(2025, 11, 3).unwrap()).unwrap();
    ok(&run(&db, None, &["import", s(&second)]));
    let ids = ["hayes", "second"];
    let reference: Vec<_> = ids.iter().map(|id| export(&db, None, id, &t.join(&format!("ref-{id}")))).collect();
    ok(&run(&db, None, &["build", "hayes", "--out", s(&t.join("plain.pdf"))]));

    ok(&run(&db, Some(PASS), &["encrypt"]));
    let o = run(&db, Some(PASS), &["encrypt"]);
    ok(&o);
    assert!(stdout(&o).contains("already encrypted"));
    for (id, want) in ids.iter().zip(&reference) {
        assert!(&export(&db, Some(PASS), id, &t.join("enc")) == want, "case {id} differs when encrypted");
    }
    // A build reads decrypted working copies and removes them after: the same packet, and
    // nothing left in the store's folder but the database, its key and the vault.
    ok(&run(&db, Some(PASS), &["build", "hayes", "--out", s(&t.join("enc.pdf"))]));
    assert!(std::fs::read(t.join("enc.pdf")).unwrap() == std::fs::read(t.join("plain.pdf")).unwrap());
    let mut names: Vec<String> =
        std::fs::read_dir(db.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["redress.db", "redress.key", "vault"]);

    let o = run(&db, Some(PASS), &["decrypt"]);
    ok(&o);
    assert!(!db.with_extension("key").exists());
    for (id, want) in ids.iter().zip(&reference) {
        assert!(&export(&db, None, id, &t.join("dec")) == want, "case {id} differs after decrypting");
    }
    // Plain again: the vault's files are the documents themselves.
    let listed: serde_json::Value = serde_json::from_slice(&run(&db, None, &["cases", "--json"]).stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

/// Runs `c` and SIGKILLs it after `delay` unless it ended first; whether it finished.
fn kill_after(mut c: Command, delay: Duration) -> bool {
    let mut child = c.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn redress");
    std::thread::sleep(delay);
    let _ = child.kill();
    child.wait().expect("wait for redress").success()
}

/// Copies the store folder `from` to `to` (a fresh one).
fn copy_store(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for (rel, bytes) in tree(from) {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// SIGKILL at pseudo-random moments of `encrypt` and of `decrypt`: afterwards the same command
/// again, or simply opening the store with its passphrase, finishes the switch, and the case
/// comes back whole, every document byte for byte.
#[test]
fn a_switch_killed_at_any_moment_loses_nothing() {
    const KILLS: u64 = 4;
    let t = TempDir::new("crypt-kill");
    let (db, _) = store_with_demo(t.path(), 2);
    let plain_store = t.join("plain-store");
    copy_store(db.parent().unwrap(), &plain_store);
    let reference = export(&db, None, "hayes", &t.join("ref"));

    let started = Instant::now();
    ok(&run(&db, Some(PASS), &["encrypt"]));
    let encrypt_time = started.elapsed();
    let encrypted_store = t.join("encrypted-store");
    copy_store(db.parent().unwrap(), &encrypted_store);
    let started = Instant::now();
    ok(&run(&db, Some(PASS), &["decrypt"]));
    let decrypt_time = started.elapsed();
    eprintln!("encrypt {encrypt_time:.2?}, decrypt {decrypt_time:.2?} (3 MB of documents)");

    let mut x: u64 = 0xC0FFEE;
    let mut outcomes = Vec::new();
    for i in 0..2 * KILLS {
        let encrypt = i % 2 == 0;
        let (from, command, took) =
            if encrypt { (&plain_store, "encrypt", encrypt_time) } else { (&encrypted_store, "decrypt", decrypt_time) };
        let dir = t.join(&format!("kill-{i}"));
        copy_store(from, &dir);
        let db = dir.join("redress.db");
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = Duration::from_micros((x >> 33) % took.as_micros() as u64);
        let mut c = cmd(&db, Some(PASS));
        c.arg(command);
        let finished = kill_after(c, delay);
        let state = redress::store::protection(&db).unwrap();
        outcomes.push(format!("{command} {}ms:{}:{state:?}", delay.as_millis(), if finished { "done" } else { "killed" }));
        // Every other time the same command finishes it; otherwise the next open does.
        if i % 4 < 2 {
            ok(&run(&db, Some(PASS), &[command]));
        }
        let pass = Some(PASS);
        assert!(export(&db, pass, "hayes", &dir.join("out")) == reference, "{command} killed after {delay:?}: the case differs");
        if i % 4 < 2 {
            let key = std::fs::read_to_string(db.with_extension("key"));
            assert_eq!(key.is_ok_and(|k| k.contains("\"encrypted\"")), encrypt, "{command}: the key file after finishing");
        }
        // No temporary file of the switch is left in the store's folder or the vault.
        let left: Vec<String> = tree(&dir)
            .into_iter()
            .map(|(n, _)| n)
            .filter(|n| !n.starts_with("out/") && (n.ends_with(".tmp") || n.contains(".switch.") || n.contains("redress-work-")))
            .collect();
        assert!(left.is_empty(), "{command} killed after {delay:?} left {left:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
    eprintln!("switches: {}", outcomes.join(", "));
}
