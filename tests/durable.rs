//! Nothing lost (issue 14): a full disk on every write path of the command line, and SIGKILL at
//! any moment of the app's save paths.
//!
//! A full disk is made two ways. Always: the real binary under a file size limit
//! (`prlimit --fsize`, RLIMIT_FSIZE, with SIGXFSZ ignored so a write past it fails with EFBIG as
//! a write to a full disk fails with ENOSPC), which needs no privilege. And, where the test may
//! mount one, a real small tmpfs filled up. Each write path must fail with exit 1 and a message
//! naming the file and saying the disk is full, leave every file that was there byte-identical,
//! and leave no temporary file behind.

use crate::util::{ok, qpdf_check, stderr, stdout, Rng, TempDir};
use redress::cases::{self, Clock};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_redress");
/// 2026-01-01T00:00:00Z, the clock of every command.
const EPOCH: &str = "1767225600";

fn clock() -> Clock {
    Clock { now: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap().and_hms_opt(9, 0, 0).unwrap(), tz: chrono_tz::America::Chicago }
}

fn env(c: &mut Command, dir: &Path, db: &Path) {
    c.current_dir(dir).env("REDRESS_DB", db).env("SOURCE_DATE_EPOCH", EPOCH).env("TZ", "America/Chicago");
}

/// The real binary in `dir` with the database `db`.
fn run(dir: &Path, db: &Path, args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    env(&mut c, dir, db);
    c.args(args).output().expect("run redress")
}

/// The real binary under a file size limit of `limit` bytes: a write past it fails as a write
/// to a full disk does. SIGXFSZ is ignored (an ignored signal stays ignored across `exec`), so
/// the write fails with EFBIG instead of the signal ending the process.
fn limited(dir: &Path, db: &Path, limit: u64, args: &[&str]) -> Output {
    let mut c = Command::new("sh");
    env(&mut c, dir, db);
    c.args(["-c", r#"trap '' XFSZ; exec prlimit --fsize="$0" -- "$@""#, &limit.to_string(), BIN]).args(args);
    c.output().expect("sh and prlimit (util-linux) run the binary")
}

/// Exit 1 (no panic, no signal) and one message that names `path` and says the disk is full.
fn says_the_disk_is_full(o: &Output, path: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "expected exit 1\nstdout:\n{}\nstderr:\n{err}", stdout(o));
    assert!(!err.contains("panicked") && !err.contains("damaged"), "{err}");
    assert!(err.contains("the disk is full") && err.contains(path), "the message should name {path} and say the disk is full:\n{err}");
    assert!(!err.contains("os error"), "the system's own wording reached the message: {err}");
}

/// Every file and folder under `dir` with its bytes (a folder: `None`), but for SQLite's
/// shared-memory index and an empty write-ahead log, which hold nothing of the store.
fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
                out.insert(rel, None);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                if !(rel.ends_with("-shm") || rel.ends_with("-wal") && bytes.is_empty()) {
                    out.insert(rel, Some(bytes));
                }
            }
        }
    }
    out
}

/// Asserts `after` is `before`, naming what differs.
fn unchanged(before: &BTreeMap<String, Option<Vec<u8>>>, after: &BTreeMap<String, Option<Vec<u8>>>, what: &str) {
    let mut differs: Vec<&String> = before.keys().chain(after.keys()).filter(|k| before.get(*k) != after.get(*k)).collect();
    differs.sort();
    differs.dedup();
    assert!(differs.is_empty(), "{what} changed these files: {differs:?}");
}

/// No temporary file (`.tmp`, the suffix of every one Redress writes) anywhere under `dir`.
fn no_temporary_file(dir: &Path) {
    let all = tree(dir);
    let left: Vec<&String> = all.keys().filter(|k| k.ends_with(".tmp")).collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

fn demo(dir: &Path) -> PathBuf {
    redress::demo::write_demo(dir, chrono::NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()).unwrap()
}

/// Builds a packet, and the same split in volumes (12 pages a file: three), with room; then,
/// with the case changed so a new packet would differ, the same builds on a full disk: each
/// names the file it was writing, the old packet and every old volume stay byte-identical, and
/// the volumes written before the full one are not left behind either.
#[test]
fn a_full_disk_while_building_leaves_the_packet_and_its_volumes_as_they_were() {
    let t = TempDir::new("full-build");
    let (dir, db) = (t.path(), t.join("redress.db"));
    let case = demo(&t.join("case"));
    std::fs::create_dir(t.join("vols")).unwrap();
    let volumes = ["build", "case", "--max-pages", "12", "--out", "vols/packet.pdf"];
    ok(&run(dir, &db, &["build", "case"]));
    ok(&run(dir, &db, &volumes));
    let toml = case.join("case.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replacen("title = \"", "title = \"Second look: ", 1)).unwrap();
    let before = tree(dir);
    assert_eq!(before.keys().filter(|k| k.starts_with("vols/")).count(), 3, "{:?}", before.keys());

    // The packet is about 600 KB and each volume over 100 KB.
    says_the_disk_is_full(&limited(dir, &db, 300_000, &["build", "case"]), "case/packet.pdf");
    says_the_disk_is_full(&limited(dir, &db, 300_000, &volumes), "vols/packet-vol");
    unchanged(&before, &tree(dir), "a build on a full disk");
    no_temporary_file(dir);

    // With room again the same builds replace them.
    ok(&run(dir, &db, &["build", "case"]));
    ok(&run(dir, &db, &volumes));
    assert_ne!(std::fs::read(case.join("packet.pdf")).unwrap(), before["case/packet.pdf"].clone().unwrap());
    qpdf_check(&case.join("packet.pdf"));
}

/// A case imported, then imported again, exported, and a case with a long letter imported on a
/// full disk: the store (database and vault) stays byte-identical, no export folder appears, nothing temporary is left; with room
/// the export writes every document as it was imported.
#[test]
fn a_full_disk_while_importing_or_exporting_leaves_the_store_as_it_was() {
    let t = TempDir::new("full-store");
    let (dir, db) = (t.path(), t.join("store/redress.db"));
    let case = demo(&t.join("case"));
    let o = run(dir, &db, &["import", "case"]);
    ok(&o);
    let id = stdout(&o).trim().to_string();
    let before = tree(&t.join("store"));

    // Every document is in the vault already but for their temporary copies, which the largest
    // (about 900 KB) overflows: the store is left before its database is written.
    says_the_disk_is_full(&limited(dir, &db, 100_000, &["import", "case"]), "store/vault");
    says_the_disk_is_full(&limited(dir, &db, 100_000, &["export", &id, "out"]), "out/docs/");
    // A case whose letter alone outgrows the limit (its one document is in the vault already):
    // the database's log finds no room, which SQLite cannot tell from a failing disk.
    std::fs::create_dir_all(t.join("long/docs")).unwrap();
    std::fs::copy(case.join("docs/order-home-oxygen.pdf"), t.join("long/docs/order.pdf")).unwrap();
    let toml = crate::util::case_toml(&[("docs/order.pdf", "physician-order", "2025-09-02", "Order", "")]);
    crate::util::write_case(
        &t.join("long"),
        &toml,
        &[("letter.md", "The oximetry shows desaturation at rest. ".repeat(8_000).into_bytes())],
    );
    let o = limited(dir, &db, 100_000, &["import", "long"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("store/redress.db") && err.contains("it may be full") && !err.contains("damaged"), "{err}");
    assert!(!t.join("out").exists(), "a half export was left");
    unchanged(&before, &tree(&t.join("store")), "an import or export on a full disk");
    no_temporary_file(dir);

    ok(&run(dir, &db, &["export", &id, "out"]));
    for doc in std::fs::read_dir(case.join("docs")).unwrap() {
        let doc = doc.unwrap();
        assert_eq!(std::fs::read(t.join("out/docs").join(doc.file_name())).unwrap(), std::fs::read(doc.path()).unwrap());
    }
}

/// The calendar of `deadlines --ics` and a letter of its own keep their old bytes on a full
/// disk; a new demo folder does not appear at all (it is written beside and renamed whole), and
/// a demo written over an earlier one changes none of its files.
#[test]
fn a_full_disk_while_writing_a_calendar_a_letter_or_the_demo_leaves_nothing_half_written() {
    let t = TempDir::new("full-small");
    let (dir, db) = (t.path(), t.join("redress.db"));
    demo(&t.join("case"));
    ok(&run(dir, &db, &["deadlines", "case", "--ics", "deadlines.ics", "--today", "2025-12-02"]));
    ok(&run(dir, &db, &["letter", "claim-file", "case", "-o", "request.pdf"]));
    std::fs::write(t.join("case/case.toml"), std::fs::read_to_string(t.join("case/case.toml")).unwrap().replace("Walter", "Walt")).unwrap();
    let before = tree(dir);

    says_the_disk_is_full(&limited(dir, &db, 1_000, &["deadlines", "case", "--ics", "deadlines.ics"]), "deadlines.ics");
    says_the_disk_is_full(&limited(dir, &db, 1_000, &["letter", "claim-file", "case", "-o", "request.pdf"]), "request.pdf");
    // The demo's documents are up to 900 KB; the smaller ones fit.
    says_the_disk_is_full(&limited(dir, &db, 500_000, &["demo", "new-demo"]), "new-demo/docs/");
    assert!(!t.join("new-demo").exists(), "a half demo folder was left");
    // Over an earlier demo (today's dates, so every file would change), nothing is replaced.
    says_the_disk_is_full(&limited(dir, &db, 500_000, &["demo", "case"]), "case/docs/");
    unchanged(&before, &tree(dir), "writing on a full disk");
    no_temporary_file(dir);
}

/// A small tmpfs mounted for the test, unmounted when dropped.
struct Mounted(PathBuf);

impl Mounted {
    /// `None`, with the reason printed, where mounting is not allowed (not root, a container).
    fn tmpfs(at: &Path, size: &str) -> Option<Mounted> {
        std::fs::create_dir_all(at).unwrap();
        let o = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size},mode=700"), "redress-test"]).arg(at).output();
        match o {
            Ok(o) if o.status.success() => Some(Mounted(at.to_path_buf())),
            Ok(o) => {
                println!(
                    "skipped the real full disk: a tmpfs cannot be mounted here ({}); the file size limit tests cover the same paths",
                    stderr(&o).trim()
                );
                None
            }
            Err(e) => {
                println!("skipped the real full disk: `mount` cannot be run ({e}); the file size limit tests cover the same paths");
                None
            }
        }
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).output();
    }
}

/// Fills the file system `file` is on, leaving `room` bytes (about: tmpfs counts in pages).
fn fill(file: &Path, room: u64) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(file).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while f.write_all(&chunk).and_then(|_| f.sync_all()).is_ok() {}
    let len = f.metadata().unwrap().len();
    f.set_len(len.saturating_sub(room)).unwrap();
}

/// A real full disk: a small tmpfs holding the store, a case folder and its packet, filled
/// until only a little room is left. Building, importing, exporting and writing the demo fail
/// part way, saying so, as does the app adding a document; then, with the disk quite full, the calendar and a save of the case in
/// the app's way (SQLite finding no room for its log) fail too. Every file is as it was, no
/// temporary file is left, and once room is made everything works again.
#[test]
fn a_real_full_disk_leaves_everything_as_it_was() {
    let t = TempDir::new("tmpfs");
    let disk = t.join("disk");
    let Some(_mounted) = Mounted::tmpfs(&disk, "8m") else { return };
    let db = disk.join("store/redress.db");
    demo(&disk.join("case"));
    let o = run(&disk, &db, &["import", "case"]);
    ok(&o);
    let id = stdout(&o).trim().to_string();
    ok(&run(&disk, &db, &["build", "case"]));
    ok(&run(&disk, &db, &["deadlines", "case", "--ics", "deadlines.ics", "--today", "2025-12-02"]));
    let mut store = redress::store::Store::open(&db).unwrap();
    let saved = cases::detail(&store, &id, clock()).unwrap();
    let filler = t.join("disk/filler");
    let contents = |dir: &Path| {
        let mut all = tree(dir);
        all.remove("filler");
        all
    };

    fill(&filler, 200 * 1024);
    let before = contents(&disk);
    says_the_disk_is_full(&run(&disk, &db, &["build", "case"]), "case/packet.pdf");
    says_the_disk_is_full(&run(&disk, &db, &["import", "case"]), "store/vault");
    says_the_disk_is_full(&run(&disk, &db, &["export", &id, "out"]), "out/docs/");
    says_the_disk_is_full(&run(&disk, &db, &["demo", "new-demo"]), "new-demo/docs/");
    // The app adding call notes larger than the room left.
    let notes = t.join("call-notes.txt");
    std::fs::write(&notes, "Called the plan again; still pending.\n".repeat(12_000)).unwrap();
    let e = cases::add_documents(&mut store, &id, &[notes], clock()).expect_err("an add on a full disk");
    let message = cases::AppError::from(e).message;
    assert!(message.contains("the disk is full") && message.contains("vault"), "{message}");

    fill(&filler, 0);
    says_the_disk_is_full(&run(&disk, &db, &["deadlines", "case", "--ics", "deadlines.ics"]), "deadlines.ics");
    let mut doc = saved.doc.clone();
    doc.case.title = "Saved on a full disk".into();
    doc.case.denial_reason = Some("x".repeat(200_000));
    let e = cases::save(&mut store, &id, &doc, clock()).expect_err("a save on a full disk");
    let message = cases::AppError::from(e).message;
    assert!(message.contains("the disk is full") && message.contains("redress.db"), "{message}");
    drop(store);
    unchanged(&before, &contents(&disk), "writing on a real full disk");
    no_temporary_file(&disk);

    std::fs::remove_file(&filler).unwrap();
    let mut store = redress::store::Store::open(&db).unwrap();
    assert_eq!(cases::detail(&store, &id, clock()).unwrap().doc, saved.doc, "the case is as it was saved");
    cases::save(&mut store, &id, &doc, clock()).unwrap();
    ok(&run(&disk, &db, &["build", "case"]));
}

// SIGKILL on the app's save paths.

/// Set in the child process: the database it saves to.
const SAVER: &str = "REDRESS_TEST_SAVER_DB";
/// Set in the child process: the case it works on.
const SAVER_CASE: &str = "REDRESS_TEST_SAVER_CASE";
/// The child gives up after this many rounds, should its parent be gone.
const MOST_ROUNDS: u32 = 100;

/// Runs the child until it has printed `steps` steps (or ended), waits `then` and SIGKILLs it,
/// so kills fall inside each step whatever the machine's load: the steps it printed.
fn kill_during(mut c: Command, steps: usize, then: Duration) -> Vec<String> {
    use std::io::BufRead;
    let mut child = c.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null()).spawn().expect("spawn the child");
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    while seen.len() < steps {
        match lines.next() {
            // libtest may begin the first line with the test's name.
            Some(Ok(line)) => seen.extend(line.split_once("step ").map(|(_, s)| s.to_string())),
            _ => break,
        }
    }
    std::thread::sleep(then);
    let _ = child.kill();
    child.wait().expect("wait for the child");
    seen
}

/// How many times the child is killed.
const KILLS: usize = 30;

/// The round a case's stored title says it was saved in (`Round 3`), 0 before the first.
fn round(doc: &redress::model::CaseDoc) -> u32 {
    doc.case.title.strip_prefix("Round ").and_then(|n| n.parse().ok()).unwrap_or(0)
}

fn reason(k: u32) -> Option<String> {
    Some(format!("Round {k}: the oximetry was not read"))
}

fn reading(target: &str, value: String) -> cases::Prefill {
    let source = cases::Provenance { page: Some(1), rect: None, text: value.clone(), confidence: 0.9, note: None };
    cases::Prefill { target: target.into(), label: target.into(), value, source }
}

/// The child: what the app's commands do to a case, round after round, as the app calls them
/// (`cases::save`, `add_documents`, a removal undone with `restore_documents`, `apply_reading`
/// with a notice, `create`, `create_from_reading` with a notice, and a build recorded),
/// printing each step done.
fn saver(db: &Path, id: &str) {
    let mut store = redress::store::Store::open(db).unwrap();
    let files = db.with_file_name("files");
    std::fs::create_dir_all(&files).unwrap();
    let step = |k: u32, what: &str| println!("step {k} {what}");
    for _ in 0..MOST_ROUNDS {
        let k = round(&cases::detail(&store, id, clock()).unwrap().doc) + 1;
        let mut doc = cases::detail(&store, id, clock()).unwrap().doc;
        (doc.case.title, doc.case.denial_reason) = (format!("Round {k}"), reason(k));
        cases::save(&mut store, id, &doc, clock()).unwrap();
        step(k, "saved");

        let note = files.join(format!("note-{k}.txt"));
        std::fs::write(&note, format!("Call notes of round {k}\n")).unwrap();
        let added = cases::add_documents(&mut store, id, &[note], clock()).unwrap();
        assert_eq!(added.added.len(), 1, "{:?}", added.refused.iter().map(|r| &r.message).collect::<Vec<_>>());
        step(k, "added");

        let file = added.added[0].clone();
        let sha = store.case_with_documents(id).unwrap().1[&file].clone();
        let mut without = added.detail.doc.clone();
        without.exhibit.retain(|e| e.file != file);
        cases::save(&mut store, id, &without, clock()).unwrap();
        step(k, "removed");
        cases::restore_documents(&mut store, id, &added.detail.doc, &HashMap::from([(file, sha)]), clock()).unwrap();
        step(k, "restored");

        let notice = files.join(format!("notice-{k}.pdf"));
        std::fs::write(&notice, redress::demo::fixtures::text_pdf(&[&format!("Notice of denial, round {k}")])).unwrap();
        let doc = cases::detail(&store, id, clock()).unwrap().doc;
        cases::apply_reading(&mut store, id, &doc, &[reading("case.reference", format!("REF-{k}"))], Some(&notice), clock()).unwrap();
        step(k, "read");

        let mut copy = doc.clone();
        copy.case.title = format!("Copy {k}");
        copy.exhibit.clear();
        copy.case.denial_reason = reason(k);
        cases::create(&mut store, &copy, clock()).unwrap();
        step(k, "created");
        copy.case.title = format!("Notice copy {k}");
        cases::create_from_reading(&mut store, &copy, &[reading("case.reference", format!("REF-{k}"))], Some(&notice), clock()).unwrap();
        step(k, "created from a reading");

        // A build takes as long as the rest together: one round in four builds.
        if !k.is_multiple_of(4) {
            continue;
        }
        let job = cases::prepare_build(&store, id).unwrap();
        let opts = redress::packet::BuildOptions::new(clock().now, clock().now.and_utc(), clock().tz);
        let built = cases::run_build(job, opts).unwrap();
        cases::record_build(&mut store, &built).unwrap();
        step(k, "built");
    }
}

/// What the store must be after any kill: it opens; every case is one version whole (its
/// title's round and its reason's agree, a copy is whole); every document of every case
/// verifies in the vault; the vault holds no temporary file once opened again. Returns the
/// main case's round.
fn check_after_kill(db: &Path, id: &str) -> u32 {
    let store = redress::store::Store::open(db).expect("the store opens after a kill");
    let mut main_round = None;
    for summary in store.cases().unwrap() {
        let folder = store.load(&summary.id).unwrap_or_else(|e| panic!("case {} after a kill: {e}", summary.id));
        let doc = cases::detail(&store, &summary.id, clock()).unwrap().doc;
        if summary.id == id {
            let k = round(&doc);
            main_round = Some(k);
            if k > 0 {
                assert_eq!(doc.case.denial_reason, reason(k), "the case is half of one save and half of another");
            }
            let notes = folder.case.exhibits.iter().filter(|e| e.file.starts_with("docs/note-")).count() as u32;
            // One a round, but for a removal killed before it was undone.
            assert!(notes <= k, "round {k} with {notes} notes");
        } else {
            // A copy, or a copy with the round's notice and reference.
            let (k, notice) = match doc.case.title.strip_prefix("Notice copy ") {
                Some(k) => (k, true),
                None => (doc.case.title.strip_prefix("Copy ").expect("a copy"), false),
            };
            let k: u32 = k.parse().unwrap();
            assert_eq!(doc.case.denial_reason, reason(k), "a created case is not whole");
            assert_eq!(doc.exhibit.len(), usize::from(notice), "a created case is not whole");
            assert!(!notice || doc.case.reference == Some(format!("REF-{k}")), "a created case is not whole");
        }
    }
    let temps: Vec<String> = tree(&db.with_file_name("vault")).into_keys().filter(|k| k.ends_with(".tmp")).collect();
    assert!(temps.is_empty(), "the vault kept temporary files of dead writers: {temps:?}");
    main_round.expect("the main case is still there")
}

/// The app's save paths, run in a child process (this test binary again, as this test with the
/// child's variables set) that is SIGKILLed [`KILLS`] times, each time a few milliseconds after
/// a pseudo-random number of steps (so inside every kind of step, whatever the load): after each kill
/// the store opens, every case is whole in one version, every document verifies; and the rounds
/// go on from where the last kill left them. A build after the last kill completes and clears
/// what killed builds left.
#[test]
fn the_apps_save_paths_survive_sigkill_at_any_moment() {
    if let (Ok(db), Ok(id)) = (std::env::var(SAVER), std::env::var(SAVER_CASE)) {
        return saver(Path::new(&db), &id);
    }
    let t = TempDir::new("save-kill");
    let db = t.join("store/redress.db");
    let case = t.join("case");
    std::fs::create_dir(&case).unwrap();
    let note = redress::demo::fixtures::text_pdf(&["Overnight oximetry: 84 % at rest on room air"]);
    crate::util::write_case(
        &case,
        &crate::util::case_toml(&[("docs/oximetry.pdf", "progress-note", "2025-09-02", "Oximetry", "")]),
        &[("docs/oximetry.pdf", note)],
    );
    let id = {
        let mut store = redress::store::Store::open(&db).unwrap();
        cases::import_folder(&mut store, &case, clock()).unwrap().id
    };
    let me = std::env::current_exe().unwrap();
    let mut rng = Rng::new(14);
    let mut steps: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..KILLS {
        let mut child = Command::new(&me);
        child.args(["--exact", "durable::the_apps_save_paths_survive_sigkill_at_any_moment", "--nocapture", "--test-threads=1"]);
        child.env(SAVER, &db).env(SAVER_CASE, &id);
        let seen = kill_during(child, rng.below(10), Duration::from_micros(rng.below(8_000) as u64));
        let last = seen.last().map(|s| s.split_once(' ').unwrap().1).unwrap_or("started");
        *steps.entry(last.to_string()).or_default() += 1;
        check_after_kill(&db, &id);
    }
    let rounds = check_after_kill(&db, &id);
    println!("killed after: {steps:?}; {rounds} rounds saved");
    assert!(rounds >= 3, "the kills left too little done to prove anything: {steps:?}");
    for step in ["started", "saved", "added", "removed", "restored", "read", "created", "created from a reading"] {
        assert!(steps.contains_key(step), "no kill fell after {step}: {steps:?}");
    }

    let mut store = redress::store::Store::open(&db).unwrap();
    cases::build(&mut store, &id, redress::packet::BuildOptions::new(clock().now, clock().now.and_utc(), clock().tz)).unwrap();
    let packets = cases::packets_dir(&store);
    no_temporary_file(&packets);
    qpdf_check(&cases::packet_path(&store, &id));
}
