//! The fuzz harness: mutates seed files (the demo's documents and `tests/corpus/`) for a time or a
//! number of runs and builds each mutant in-process, as the mutation suite does, keeping every
//! input that panics, hangs or is refused with a bad message in a folder to become a regression
//! test; one packet in `--qpdf-every` is checked with `qpdf --check` (a test oracle, as in the
//! suite). It runs on a stable toolchain; see "Development" in the README.
//!
//! `cargo run --release --example fuzz -- [--target pdf|jpeg|png|tiff|case-toml|all]
//! [--seconds N] [--runs N] [--seed N] [--timeout SECONDS] [--qpdf-every N] [--out DIR]`

use redress::demo::harness::{Harness, Verdict};
use redress::demo::mutate::{mutate, Rng, Target};
use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

struct Args {
    targets: Vec<Target>,
    seconds: u64,
    runs: u64,
    seed: u64,
    timeout: u64,
    qpdf_every: u64,
    out: PathBuf,
}

fn args() -> Result<Args, Box<dyn Error>> {
    let mut a =
        Args { targets: Target::ALL.to_vec(), seconds: 60, runs: u64::MAX, seed: 1, timeout: 30, qpdf_every: 20, out: "fuzz-found".into() };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--target" if value == "all" => {}
            "--target" => a.targets = vec![Target::parse(&value).ok_or(format!("no target {value}"))?],
            "--seconds" => a.seconds = value.parse()?,
            "--runs" => a.runs = value.parse()?,
            "--seed" => a.seed = value.parse()?,
            "--timeout" => a.timeout = value.parse()?,
            "--qpdf-every" => a.qpdf_every = value.parse()?,
            "--out" => a.out = value.into(),
            _ => return Err(format!("unknown option {flag}").into()),
        }
    }
    Ok(a)
}

fn main() -> Result<(), Box<dyn Error>> {
    let a = args()?;
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut harness = Harness::new(&std::env::temp_dir().join(format!("redress-fuzz-{}", std::process::id())))?;
    let seeds: Vec<(Target, Vec<Vec<u8>>)> = a.targets.iter().map(|&t| (t, harness.seeds(t, &corpus))).collect();
    std::fs::create_dir_all(&a.out)?;
    let (start, mut counts, mut found) = (Instant::now(), BTreeMap::<String, u64>::new(), 0u64);
    let mut run = 0u64;
    while run < a.runs && start.elapsed() < Duration::from_secs(a.seconds) {
        // Each run's mutant comes from its own seed, so `--seed S --runs 1` replays run S.
        let mut rng = Rng::new(a.seed.wrapping_add(run));
        let (target, files) = &seeds[rng.below(seeds.len())];
        let (seed, donor) = (rng.pick(files), rng.pick(files));
        let mutant = mutate(*target, seed, donor, &mut rng);
        // Written first, so that an input that aborts the process (out of memory) is kept too.
        let current = a.out.join(format!("current-{}.{}", a.seed.wrapping_add(run), target.extension()));
        std::fs::write(&current, &mutant.bytes)?;
        let mut verdict = harness.run(*target, &mutant.bytes, Duration::from_secs(a.timeout));
        std::fs::remove_file(&current)?;
        if matches!(verdict, Verdict::Built { .. }) && run.is_multiple_of(a.qpdf_every.max(1)) {
            verdict = qpdf_check(&harness.packet(), *target, &mutant.bytes).map_or(verdict, Verdict::BadMessage);
        }
        *counts.entry(label(&verdict).into()).or_default() += 1;
        if !verdict.is_sound() {
            found += 1;
            let name = format!("{}-{}-{}", target.name(), a.seed.wrapping_add(run), mutant.how.replace([' ', '/'], "-"));
            std::fs::write(a.out.join(format!("{name}.{}", target.extension())), &mutant.bytes)?;
            std::fs::write(a.out.join(format!("{name}.txt")), format!("{verdict:?}\n"))?;
            eprintln!("found: {name}: {verdict:?}");
        }
        run += 1;
        if run.is_multiple_of(500) {
            eprintln!("{run} runs in {:.0?}: {counts:?}; {found} kept", start.elapsed());
        }
    }
    println!("{run} runs in {:.0?}: {counts:?}; {found} kept in {}", start.elapsed(), a.out.display());
    Ok(())
}

/// `qpdf --check`'s complaint about a packet, if it has one. Damage the build copied as it is
/// is left out: a stream qpdf cannot decode (photos' and PDFs' streams are copied, not decoded),
/// and anything at all when the input PDF fails `qpdf --check` itself (its content streams are
/// copied too; the corpus test holds real files to "no worse than the input").
fn qpdf_check(packet: &Path, target: Target, input: &[u8]) -> Option<String> {
    let (ok, report) = qpdf(packet)?;
    let carried = report
        .lines()
        .filter(|l| l.starts_with("WARNING"))
        .all(|l| l.contains("error decoding stream data") || l.contains("without filtering"));
    if ok || carried {
        return None;
    }
    if target == Target::Pdf {
        let copy = std::env::temp_dir().join(format!("redress-fuzz-input-{}.pdf", std::process::id()));
        std::fs::write(&copy, input).ok()?;
        let input_fails = qpdf(&copy).is_some_and(|(ok, _)| !ok);
        let _ = std::fs::remove_file(copy);
        if input_fails {
            return None;
        }
    }
    Some(format!("qpdf --check: {}", report.chars().take(1500).collect::<String>()))
}

/// Whether `qpdf --check` passes, and what it said.
fn qpdf(pdf: &Path) -> Option<(bool, String)> {
    let o = std::process::Command::new("qpdf").arg("--check").arg(pdf).output().ok()?;
    Some((o.status.success(), format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))))
}

fn label(v: &Verdict) -> &'static str {
    match v {
        Verdict::Built { .. } => "built",
        Verdict::Refused(_) => "refused",
        Verdict::BadMessage(_) => "bad message",
        Verdict::Panicked(_) => "panicked",
        Verdict::Hung => "hung",
    }
}
