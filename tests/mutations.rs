//! The mutation suite: real files (`tests/corpus/`, the demo's documents, its case.toml) broken
//! the ways damage and hostile writers break them (`redress::demo::mutate`), each built
//! in-process with a deadline. Every run must end in a packet `qpdf --check` accepts (checked on a
//! sample) or a refusal naming the file in the user's words: never a panic or a hang. The seeds are
//! fixed, so a failure names the run that reproduces it (`examples/fuzz.rs --seed N --runs 1`).
//! Memory is bounded where it can be measured: the largest-claiming mutants go through the real
//! binary under an address-space limit.

use crate::util::*;
use redress::demo::harness::{Harness, Verdict};
use redress::demo::mutate::{mutate, Rng, Target};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Far above any build of these small files: a bound on hangs, not a measure of speed.
const DEADLINE: Duration = Duration::from_secs(60);
/// One packet in this many that build is checked with `qpdf --check`.
const QPDF_SAMPLE: u64 = 5;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Runs `runs` mutants of `target` from the fixed seed `base` and fails listing every unsound one.
fn suite(target: Target, base: u64, runs: u64) {
    let dir = TempDir::new(&format!("mutants-{}", target.name()));
    let mut harness = Harness::new(dir.path()).expect("the demo case is written");
    let seeds = harness.seeds(target, &corpus());
    assert!(!seeds.is_empty(), "no seeds for {}", target.name());
    let (mut failures, mut built) = (Vec::new(), 0u64);
    for run in 0..runs {
        let mut rng = Rng::new(base + run);
        let (seed, donor) = (rng.pick(&seeds), rng.pick(&seeds));
        let mutant = mutate(target, seed, donor, &mut rng);
        let verdict = harness.run(target, &mutant.bytes, DEADLINE);
        if let Verdict::Built { .. } = verdict {
            built += 1;
            if built % QPDF_SAMPLE == 1 {
                let check = tool("qpdf", &["--check", harness.packet().to_str().unwrap()]);
                if !check.status.success() && !carried_damage(target, &check, &mutant.bytes) {
                    let kept = keep(target, base + run, &mutant.bytes);
                    failures.push(format!(
                        "{kept} ({}): qpdf --check fails on the packet: {}{}",
                        mutant.how,
                        stdout(&check),
                        stderr(&check)
                    ));
                }
            }
        } else if !verdict.is_sound() {
            failures.push(format!("{} ({}): {verdict:?}", keep(target, base + run, &mutant.bytes), mutant.how));
        }
    }
    eprintln!("{}: {runs} mutants, {built} built, {} refused or wrong", target.name(), runs - built);
    assert!(failures.is_empty(), "{} mutants of {} came out wrong:\n{}", failures.len(), target.name(), failures.join("\n"));
}

/// Whether qpdf's complaint is about damage the build copied as it is: a stream it cannot decode
/// (photos' JPEG data and PDFs' streams are copied, never decoded, so Redress cannot see it), or,
/// for a PDF, anything when the input fails `qpdf --check` itself (its content streams are
/// copied too; the corpus test holds real files to "no worse than the input").
fn carried_damage(target: Target, check: &std::process::Output, input: &[u8]) -> bool {
    let report = stdout(check) + &stderr(check);
    let decoding = check.status.code() == Some(3)
        && report
            .lines()
            .filter(|l| l.starts_with("WARNING"))
            .all(|l| l.contains("error decoding stream data") || l.contains("without filtering"));
    decoding
        || target == Target::Pdf && {
            let t = TempDir::new("mutant-input");
            std::fs::write(t.join("in.pdf"), input).unwrap();
            !tool("qpdf", &["--check", t.join("in.pdf").to_str().unwrap()]).status.success()
        }
}

/// Writes a failing mutant where it can be opened and replayed, and says where.
fn keep(target: Target, run: u64, bytes: &[u8]) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutation-failures");
    let path = dir.join(format!("{}-{run}.{}", target.name(), target.extension()));
    let _ = std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&path, bytes));
    format!("run {run}, kept in {}", path.display())
}

#[test]
fn mutated_pdfs_build_or_are_refused_clearly() {
    suite(Target::Pdf, 1_000, 80);
}

#[test]
fn mutated_jpegs_build_or_are_refused_clearly() {
    suite(Target::Jpeg, 2_000, 60);
}

#[test]
fn mutated_pngs_build_or_are_refused_clearly() {
    suite(Target::Png, 3_000, 60);
}

#[test]
fn mutated_tiffs_build_or_are_refused_clearly() {
    suite(Target::Tiff, 4_000, 60);
}

#[test]
fn mutated_case_files_load_or_are_refused_clearly() {
    suite(Target::CaseToml, 5_000, 60);
}

/// The mutants that claim the most (huge lengths, sizes and counts) go through the real binary
/// with its address space limited to 2 GiB: past that it would be killed, not slowed.
#[test]
fn mutants_that_claim_huge_sizes_stay_within_memory() {
    let mut checked = 0;
    for target in [Target::Pdf, Target::Png, Target::Tiff, Target::Jpeg] {
        let scratch = TempDir::new(&format!("huge-seeds-{}", target.name()));
        let seeds = Harness::new(scratch.path()).unwrap().seeds(target, &corpus());
        for run in 0..400u64 {
            let mut rng = Rng::new(9_000 + run);
            let (seed, donor) = (rng.pick(&seeds), rng.pick(&seeds));
            let mutant = mutate(target, seed, donor, &mut rng);
            if !mutant.how.starts_with("huge") {
                continue;
            }
            bounded_build(target, &mutant.bytes, &format!("run {} ({})", 9_000 + run, mutant.how));
            checked += 1;
            if checked % 6 == 0 {
                break;
            }
        }
    }
    assert!(checked >= 12, "only {checked} huge mutants were found to check");
}

/// Builds one file with the real binary under `prlimit --as` and `timeout`: it must exit 0 or 1
/// (a refusal naming the file), not be killed.
fn bounded_build(target: Target, bytes: &[u8], what: &str) {
    if let Err(wrong) = binary_verdict(target, bytes) {
        panic!("{what}: {wrong}");
    }
}

/// The real binary's verdict on one file built as a one-exhibit case, in a process of its own
/// with its address space limited to 2 GiB and two minutes: `Err` says what was wrong (killed,
/// out of memory, over time, or a refusal that names no file or speaks a library's words);
/// `Ok` says whether a packet was built.
fn binary_verdict(target: Target, bytes: &[u8]) -> Result<bool, String> {
    let t = TempDir::new("bounded");
    let file = format!("docs/huge.{}", target.extension());
    write_case(t.path(), &case_toml(&[(&file, "other", "2025-09-01", "Huge", "")]), &[(&file, bytes.to_vec())]);
    let o = std::process::Command::new("prlimit")
        .args(["--as=2147483648", "--", "timeout", "120", env!("CARGO_BIN_EXE_redress"), "build", "."])
        .current_dir(t.path())
        .env("REDRESS_DB", t.join("redress-test.db"))
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env("TZ", "America/Chicago")
        .output()
        .expect("prlimit and timeout (util-linux, coreutils) run the binary");
    let said = stderr(&o);
    match o.status.code() {
        Some(0) => Ok(true),
        Some(1) if !said.contains(&file) => Err(format!("the refusal does not name the file: {said}")),
        Some(1) => match redress::demo::harness::RAW_WORDING.iter().find(|w| said.contains(*w)) {
            Some(raw) => Err(format!("the refusal speaks a library's words ({raw}): {said}")),
            None => Ok(false),
        },
        code => Err(format!("exit {code:?} under a 2 GiB address space (killed, aborted, out of memory or over time): {said}")),
    }
}

/// The HEIC seeds small enough to build quickly: the corpus's smaller photos and a generated
/// iPhone-style one (turned, with EXIF and a position).
const SMALL_HEIC: usize = 100_000;
/// Each HEIC mutant costs a process (about half a second): enough to cover every mutation.
const HEIC_RUNS: u64 = 40;

/// HEIC mutants. libheif is a C library: a crash there aborts the process, which no in-process
/// deadline survives, so each mutant is built by the real binary in a process of its own.
/// What the app reads of a document when it is added (its facts) is Rust, and is read here.
#[test]
fn mutated_heic_photos_build_or_are_refused_clearly() {
    let scratch = TempDir::new("heic-seeds");
    let corpus_seeds = Harness::new(scratch.path()).unwrap().seeds(Target::Heif, &corpus());
    let mut seeds: Vec<Vec<u8>> = corpus_seeds.into_iter().filter(|s| s.len() <= SMALL_HEIC).collect();
    assert!(!seeds.is_empty(), "no small HEIC in the corpus");
    seeds.push(redress::demo::fixtures::heic_upright_marked(6, true));
    let (mut failures, mut hows, mut built) = (Vec::new(), std::collections::BTreeSet::new(), 0);
    for run in 0..HEIC_RUNS {
        let mut rng = Rng::new(6_000 + run);
        let (seed, donor) = (rng.pick(&seeds), rng.pick(&seeds));
        let mutant = mutate(Target::Heif, seed, donor, &mut rng);
        hows.insert(mutant.how);
        let facts = std::panic::catch_unwind(|| redress::import::facts::read("mutant.heic", &mutant.bytes));
        let verdict = match facts {
            Err(_) => Err("reading its facts panicked".to_string()),
            Ok(_) => binary_verdict(Target::Heif, &mutant.bytes),
        };
        match verdict {
            Ok(packet) => built += usize::from(packet),
            Err(wrong) => failures.push(format!("{} ({}): {wrong}", keep(Target::Heif, 6_000 + run, &mutant.bytes), mutant.how)),
        }
    }
    eprintln!("heic: {HEIC_RUNS} mutants through the binary, {built} built; mutations {hows:?}");
    assert!(hows.len() >= 6, "only {hows:?} were tried");
    assert!(failures.is_empty(), "{} HEIC mutants came out wrong:\n{}", failures.len(), failures.join("\n"));
}

/// Every input the fuzzers found (`tests/regressions/`), built as the mutation suite builds them.
#[test]
fn inputs_that_once_crashed_or_hung_build_or_are_refused_clearly() {
    let dir = TempDir::new("regressions");
    let mut harness = Harness::new(dir.path()).unwrap();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut failures = Vec::new();
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e != "md")) {
        let target = match redress::demo::harness::target_of(file) {
            Some(t) => t,
            None if file.extension().is_some_and(|e| e == "toml") => Target::CaseToml,
            None => panic!("{} is not a file the suite can build", file.display()),
        };
        let verdict = harness.run(target, &std::fs::read(file).unwrap(), DEADLINE);
        if !verdict.is_sound() {
            failures.push(format!("{}: {verdict:?}", file.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Found by the suite: a JPEG whose scan header is repeated (its first scan empty) built a packet
/// that readers could not decode (the JPEG is copied, not decoded). It is refused now, naming the file.
#[test]
fn a_jpeg_whose_scan_is_repeated_is_refused() {
    let jpeg = redress::demo::fixtures::jpeg_plain(64, 48, 1);
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let header = 2 + usize::from(u16::from_be_bytes([jpeg[sos + 2], jpeg[sos + 3]]));
    let repeated = [&jpeg[..sos + header], &jpeg[sos..]].concat();
    let dir = TempDir::new("repeated-scan");
    match Harness::new(dir.path()).unwrap().run(Target::Jpeg, &repeated, DEADLINE) {
        Verdict::Refused(message) => assert!(message.contains("a scan holds no image data"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Found by the fuzzer: a page tree node whose /Count claims billions of pages made lopdf's
/// `get_pages` (read for suggestions when a document is added) allocate for all of them, and the
/// process aborted. The page tree is walked by hand now.
#[test]
fn a_page_tree_that_claims_billions_of_pages_does_not_abort() {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.7");
    let content = doc.add_object(Stream::new(dictionary! {}, b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET".to_vec()));
    let (root, node) = (doc.new_object_id(), doc.new_object_id());
    let media_box = || Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]);
    let first = doc.add_object(dictionary! { "Type" => "Page", "Parent" => root, "Contents" => content, "MediaBox" => media_box() });
    let second = doc.add_object(dictionary! { "Type" => "Page", "Parent" => node, "Contents" => content, "MediaBox" => media_box() });
    // The claim is read once the first page is out, from the node still to be walked.
    let claim = dictionary! { "Type" => "Pages", "Parent" => root, "Kids" => vec![second.into()], "Count" => 4_294_967_296i64 };
    doc.objects.insert(node, Object::Dictionary(claim));
    doc.objects
        .insert(root, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![first.into(), node.into()], "Count" => 2 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => root });
    doc.trailer.set("Root", catalog);
    let mut pdf = Vec::new();
    doc.save_to(&mut pdf).unwrap();
    let dir = TempDir::new("billion-pages");
    let verdict = Harness::new(dir.path()).unwrap().run(Target::Pdf, &pdf, DEADLINE);
    assert!(verdict.is_sound(), "{verdict:?}");
    assert_eq!(redress::import::facts::read("a.pdf", &pdf).pages, 2);
}
