//! `redress backup` and `redress restore` through the real binary: every case and document
//! comes back byte-identical, a store with newer changes is refused without `--force`, and a
//! damaged, cut short or foreign archive, or a store in use, is refused with the store folder
//! left byte-identical.

use crate::util::{ok, stderr, stdout, tree, TempDir};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(args)
        .current_dir(dir)
        .env("REDRESS_DB", dir.join("store/redress.db"))
        .env("TZ", "America/Chicago")
        .output()
        .expect("run redress")
}

fn fails_with(o: &Output, words: &[&str]) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "expected exit 1\nstdout:\n{}\nstderr:\n{err}", stdout(o));
    assert!(!err.contains("panicked"), "{err}");
    for w in words {
        assert!(err.contains(w), "the message should say {w:?}:\n{err}");
    }
    err
}

/// A store with two cases: the demo, and a second case of its own with one more document.
fn two_cases(t: &TempDir) -> Vec<String> {
    let demo = redress::demo::write_demo(&t.join("hayes"), chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()).unwrap();
    ok(&run(t.path(), &["import", demo.to_str().unwrap()]));
    let second = t.join("ortiz");
    std::fs::create_dir_all(second.join("docs")).unwrap();
    let toml = std::fs::read_to_string(demo.join("case.toml")).unwrap().replace("Walter Hayes", "Ana Ortiz");
    std::fs::write(second.join("case.toml"), toml).unwrap();
    for e in std::fs::read_dir(demo.join("docs")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, second.join("docs").join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(second.join("docs/notes.txt"), "Called the plan on 2026-11-03.\n").unwrap();
    let toml = std::fs::read_to_string(second.join("case.toml")).unwrap()
        + "\n[[exhibit]]\nfile = \"docs/notes.txt\"\nkind = \"correspondence\"\ndate = \"2026-11-03\"\ntitle = \"Call notes\"\n";
    std::fs::write(second.join("case.toml"), toml).unwrap();
    ok(&run(t.path(), &["import", second.to_str().unwrap()]));
    vec!["hayes".into(), "ortiz".into()]
}

/// Each case exported into `into/<id>`, as files and bytes.
fn exported(t: &TempDir, ids: &[String], into: &str) -> Vec<Vec<(String, Vec<u8>)>> {
    ids.iter()
        .map(|id| {
            let dir = t.join(into).join(id);
            ok(&run(t.path(), &["export", id, dir.to_str().unwrap()]));
            tree(&dir)
        })
        .collect()
}

/// The data range (offset, length) of each entry of a tar file, by name.
fn entries(tar: &[u8]) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 512 <= tar.len() && tar[at] != 0 {
        let name = String::from_utf8_lossy(&tar[at..at + 100]).trim_end_matches('\0').to_string();
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&tar[at + 124..at + 135]).trim_matches(|c: char| c == '\0' || c == ' '), 8)
                .unwrap();
        out.push((name, at + 512, size));
        at += 512 + size.div_ceil(512) * 512;
    }
    out
}

#[test]
fn a_backup_restores_every_case_and_document_byte_identical() {
    let t = TempDir::new("backup-roundtrip");
    let ids = two_cases(&t);
    let before = exported(&t, &ids, "before");
    ok(&run(t.path(), &["backup", "b.tar"]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(t.join("b.tar")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a backup holds every case: its owner's alone");
    }
    let names: Vec<String> = entries(&std::fs::read(t.join("b.tar")).unwrap()).into_iter().map(|e| e.0).collect();
    assert_eq!(names.first().map(String::as_str), Some("database"));
    assert_eq!(names[names.len() - 2..], ["manifest.json", "manifest.sha256"]);
    // Each document once: the demo's, which both cases use, and the second case's call notes
    // (its export holds them all and case.toml).
    assert_eq!(names.iter().filter(|n| n.starts_with("vault/")).count(), before[1].len() - 1);

    // Changes after the backup: a case edited away and another added; the restore undoes them.
    let third = t.join("hayes");
    ok(&run(t.path(), &["import", third.to_str().unwrap()]));
    let o = run(t.path(), &["restore", "b.tar", "--force"]);
    ok(&o);
    assert!(stdout(&o).contains("2 case(s)"), "{}", stdout(&o));
    // The store as it was, with the case added after the backup, is kept in its backups.
    let kept: Vec<PathBuf> = std::fs::read_dir(t.join("store/backups")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(stdout(&o).contains(&kept[0].display().to_string()), "{}", stdout(&o));
    let manifest: serde_json::Value = serde_json::from_slice(&tar_entry(&kept[0], "manifest.json")).unwrap();
    assert_eq!(manifest["cases"], 3, "{manifest}");

    // A store whose documents are lost is restored too (it cannot be kept first, which is said).
    std::fs::remove_dir_all(t.join("store/vault")).unwrap();
    // What a restore killed half-way left: its folder, whose lock no one holds any more.
    let killed = t.join("store/.restore-4000000-0.tmp");
    std::fs::create_dir_all(killed.join("vault")).unwrap();
    std::fs::write(killed.join("redress.db"), b"half a database").unwrap();
    let o = run(t.path(), &["restore", "b.tar", "--force"]);
    ok(&o);
    assert!(stderr(&o).contains("could not be backed up first") && stderr(&o).contains("is missing"), "{}", stderr(&o));
    let listed = stdout(&run(t.path(), &["cases", "--json"]));
    assert!(!listed.contains("hayes-2"), "the case added after the backup is gone: {listed}");
    assert_eq!(exported(&t, &ids, "after"), before, "every case and document comes back byte for byte");
    let left: Vec<String> = tree(&t.join("store")).into_iter().map(|(n, _)| n).filter(|n| n.contains(".tmp")).collect();
    assert!(left.is_empty(), "no temporary file is left, nor what a killed restore left: {left:?}");

    // Onto a new computer: a store folder that does not exist yet.
    let o = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["restore", "b.tar", "--db", "elsewhere/redress.db"])
        .current_dir(t.path())
        .output()
        .unwrap();
    ok(&o);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(t.join("elsewhere")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "the new store's folder is its owner's alone");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["export", "ortiz", "elsewhere-ortiz", "--db", "elsewhere/redress.db"])
        .current_dir(t.path())
        .output()
        .unwrap();
    ok(&o);
    assert_eq!(tree(&t.join("elsewhere-ortiz")), before[1]);
}

#[test]
fn a_store_with_newer_changes_is_refused_without_force_naming_both_dates() {
    let t = TempDir::new("backup-newer");
    two_cases(&t);
    ok(&run(t.path(), &["backup", "b.tar"]));
    // Nothing changed since: restoring is allowed without --force.
    ok(&run(t.path(), &["restore", "b.tar"]));
    ok(&run(t.path(), &["import", t.join("ortiz").to_str().unwrap()]));
    let store = tree(&t.join("store"));
    let o = run(t.path(), &["restore", "b.tar"]);
    let manifest: serde_json::Value = serde_json::from_slice(&tar_entry(&t.join("b.tar"), "manifest.json")).unwrap();
    let backed_up = manifest["created"].as_str().unwrap();
    let err = fails_with(&o, &["newer than the backup", "--force", backed_up, "has changes from 20"]);
    assert!(err.contains("b.tar"), "{err}");
    assert_eq!(tree(&t.join("store")), store, "the store was touched");
    ok(&run(t.path(), &["restore", "b.tar", "--force"]));
    assert!(!stdout(&run(t.path(), &["cases"])).contains("ortiz-2"));
}

fn tar_entry(tar: &Path, name: &str) -> Vec<u8> {
    let bytes = std::fs::read(tar).unwrap();
    let (_, at, len) = entries(&bytes).into_iter().find(|e| e.0 == name).unwrap();
    bytes[at..at + len].to_vec()
}

#[test]
fn a_damaged_cut_short_or_foreign_archive_is_refused_and_nothing_changes() {
    let t = TempDir::new("backup-damaged");
    two_cases(&t);
    ok(&run(t.path(), &["backup", "b.tar"]));
    let good = std::fs::read(t.join("b.tar")).unwrap();
    let parts = entries(&good);
    let largest = parts.iter().filter(|e| e.0.starts_with("vault/")).max_by_key(|e| e.2).unwrap().clone();
    let data = |name: &str| parts.iter().find(|e| e.0 == name).unwrap().clone();
    let flip = |at: usize| {
        let mut b = good.clone();
        b[at] ^= 0x01;
        b
    };
    let (db, manifest) = (data("database"), data("manifest.json"));
    let short = &largest.0[9..21];
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        ("doc-flipped.tar", flip(largest.1 + largest.2 / 2), vec!["is damaged", short, "SHA-256"]),
        ("db-flipped.tar", flip(db.1 + db.2 / 2), vec!["is damaged", "its database"]),
        ("manifest-flipped.tar", flip(manifest.1 + 20), vec!["is damaged", "manifest"]),
        ("header-flipped.tar", flip(largest.1 - 512 + 130), vec!["is damaged", "header"]),
        ("half.tar", good[..largest.1 + largest.2 / 2].to_vec(), vec!["is cut short", short]),
        ("no-manifest.tar", good[..manifest.1 - 512].to_vec(), vec!["is cut short", "before its manifest"]),
        ("empty.tar", Vec::new(), vec!["is cut short", "empty"]),
        ("not-a-backup.tar", b"%PDF-1.7\n".repeat(100), vec!["is not a Redress backup"]),
    ];
    // A change after the backup, so that a restore that got through would show.
    ok(&run(t.path(), &["import", t.join("ortiz").to_str().unwrap()]));
    let store = tree(&t.join("store"));
    for (name, bytes, words) in cases {
        std::fs::write(t.join(name), bytes).unwrap();
        let err = fails_with(&run(t.path(), &["restore", name, "--force"]), &words);
        assert!(err.contains(name) && err.contains("nothing was changed"), "{err}");
        assert_eq!(tree(&t.join("store")), store, "{name}: the store was touched");
    }
    // A tar of other files is not a backup either.
    let o = Command::new("tar").args(["cf", "other.tar", "ortiz"]).current_dir(t.path()).output().unwrap();
    ok(&o);
    fails_with(&run(t.path(), &["restore", "other.tar", "--force"]), &["is not a Redress backup"]);
    assert_eq!(tree(&t.join("store")), store);
}

#[test]
fn a_store_another_program_has_open_is_not_replaced() {
    let t = TempDir::new("backup-in-use");
    two_cases(&t);
    ok(&run(t.path(), &["backup", "b.tar"]));
    ok(&run(t.path(), &["import", t.join("ortiz").to_str().unwrap()]));
    let db: PathBuf = t.join("store/redress.db");
    let without_log =
        |files: Vec<(String, Vec<u8>)>| files.into_iter().filter(|(n, _)| !n.ends_with("-shm") && !n.ends_with("-wal")).collect::<Vec<_>>();
    // Read before the connection opens: closing any file of the database in this process would
    // drop the connection's locks (POSIX locks belong to the process).
    let store = without_log(tree(&t.join("store")));
    let other = rusqlite::Connection::open(&db).unwrap();
    let _: i64 = other.query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap();
    fails_with(&run(t.path(), &["restore", "b.tar", "--force"]), &["is in use", "close it"]);
    drop(other);
    assert_eq!(without_log(tree(&t.join("store"))), store, "the store was touched");
    ok(&run(t.path(), &["restore", "b.tar", "--force"]));
    assert!(!stdout(&run(t.path(), &["cases"])).contains("ortiz-2"));
}

#[test]
fn a_store_whose_document_was_changed_is_not_backed_up() {
    let t = TempDir::new("backup-changed-doc");
    two_cases(&t);
    let vault = tree(&t.join("store/vault"));
    let (name, bytes) = vault.iter().max_by_key(|(_, b)| b.len()).unwrap();
    let path = t.join("store/vault").join(name);
    let mut changed = bytes.clone();
    changed[bytes.len() / 2] ^= 0x01;
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, changed).unwrap();
    let err = fails_with(&run(t.path(), &["backup", "b.tar"]), &["has been changed or damaged", &name[3..]]);
    assert!(!t.join("b.tar").exists(), "a backup that could not be restored was written: {err}");
    let left: Vec<String> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// `run` with the store's passphrase in `REDRESS_PASSPHRASE`.
fn run_with(dir: &Path, pass: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(args)
        .current_dir(dir)
        .env("REDRESS_DB", dir.join("store/redress.db"))
        .env("REDRESS_PASSPHRASE", pass)
        .env("TZ", "America/Chicago")
        .output()
        .expect("run redress")
}

#[test]
fn an_encrypted_stores_backup_holds_its_key_file_and_restores_encrypted_with_its_passphrase() {
    let t = TempDir::new("backup-encrypted");
    let ids = two_cases(&t);
    let before = exported(&t, &ids, "before");
    let pass = "north shore 88";
    ok(&run_with(t.path(), pass, &["encrypt"]));
    ok(&run_with(t.path(), pass, &["backup", "b.tar"]));
    let tar = std::fs::read(t.join("b.tar")).unwrap();
    let names: Vec<String> = entries(&tar).into_iter().map(|e| e.0).collect();
    assert!(names.iter().any(|n| n == "redress.key"), "{names:?}");
    assert!(!tar.windows(12).any(|w| w == b"Walter Hayes"), "the backup of an encrypted store holds the member's name in plain");

    // Into a new place: without the passphrase, or with a wrong one, nothing is written.
    let elsewhere = t.join("elsewhere/redress.db");
    let target = elsewhere.to_str().unwrap();
    fails_with(
        &run_with(t.path(), "north shore 89", &["restore", "b.tar", "--db", target]),
        &["passphrase is not the one", "nothing was changed"],
    );
    assert!(
        tree(&t.join("elsewhere")).is_empty(),
        "a refused restore wrote {:?}",
        tree(&t.join("elsewhere")).iter().map(|f| &f.0).collect::<Vec<_>>()
    );

    ok(&run_with(t.path(), pass, &["restore", "b.tar", "--db", target]));
    assert!(t.join("elsewhere/redress.key").is_file(), "the restored store lost its key file");
    let db = std::fs::read(&elsewhere).unwrap();
    assert!(!db.windows(12).any(|w| w == b"Walter Hayes"), "the restored database is not encrypted");
    let after: Vec<_> = ids
        .iter()
        .map(|id| {
            let dir = t.join("after").join(id);
            ok(&run_with(t.path(), pass, &["export", id, dir.to_str().unwrap(), "--db", target]));
            tree(&dir)
        })
        .collect();
    assert!(after == before, "the restored cases differ from the backed-up ones");

    // Over the encrypted store itself (changed since): its passphrase opens both.
    ok(&run_with(t.path(), pass, &["import", t.join("hayes").to_str().unwrap()]));
    ok(&run_with(t.path(), pass, &["restore", "b.tar", "--force"]));
    assert!(stdout(&run_with(t.path(), pass, &["cases"])).contains("Ana Ortiz"));
    assert_eq!(stdout(&run_with(t.path(), pass, &["cases", "--json"])).matches("\"id\"").count(), 2);
}

/// A restore killed at any moment leaves the store as it was or as the backup has it, every
/// case readable with its documents, and the next restore finishes the job.
#[test]
fn a_restore_killed_at_any_moment_leaves_the_old_store_or_the_new_one() {
    let t = TempDir::new("backup-killed");
    let ids = two_cases(&t);
    ok(&run(t.path(), &["backup", "b.tar"]));
    let backed_up = exported(&t, &ids, "backed-up");
    ok(&run(t.path(), &["import", t.join("ortiz").to_str().unwrap()]));
    let changed: Vec<String> = vec!["hayes".into(), "ortiz".into(), "ortiz-2".into()];
    let before = exported(&t, &changed, "changed");
    let (mut old, mut new) = (0, 0);
    for (round, delay_ms) in [0u64, 20, 50, 80, 110, 140, 170, 200, 250, 320].into_iter().enumerate() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redress"))
            .args(["restore", "b.tar", "--force"])
            .current_dir(t.path())
            .env("REDRESS_DB", t.join("store/redress.db"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let listed: serde_json::Value = serde_json::from_str(&stdout(&run(t.path(), &["cases", "--json"]))).unwrap();
        let now: Vec<String> = listed.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
        if now == changed {
            old += 1;
            assert_eq!(exported(&t, &changed, &format!("round-{round}")), before, "round {round}: the old store changed");
        } else {
            new += 1;
            assert_eq!(now, ids, "round {round}: neither the old store nor the backup's");
            assert_eq!(exported(&t, &ids, &format!("round-{round}")), backed_up, "round {round}: the restored store differs");
            // Back to the changed store for the next round.
            ok(&run(t.path(), &["import", t.join("ortiz").to_str().unwrap()]));
        }
    }
    // Where the kills land depends on the machine's speed; each outcome is checked, none required.
    ok(&run(t.path(), &["restore", "b.tar", "--force"]));
    let left: Vec<String> = tree(&t.join("store")).into_iter().map(|(n, _)| n).filter(|n| n.contains(".tmp")).collect();
    assert!(left.is_empty(), "what killed restores left is removed by the next: {left:?}");
    eprintln!("killed restores: {old} before the swap, {new} after");
}
