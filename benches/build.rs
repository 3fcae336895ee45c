//! `make bench`: the packet build side by side with merely merging the same files
//! (`qpdf --empty --pages …` plus `img2pdf`), with `cat` of the same files and with `cat` plus
//! the SHA-256 of the files and of its output (what the packet's contract adds), on the standard
//! case (300 scanned pages in 12 PDFs and 40 phone photos, about 158 MB) and a large case ten
//! times that. Runs alternate between the tools, `REDRESS_BENCH_RUNS` rounds (3 by default), and
//! the median wall time is reported with the peak resident memory (`/usr/bin/time -f %M`, the
//! largest process of each run) and the output size, then the targets, each passed or
//! failed. The build is timed twice: the first build of the case (no picture-check verdicts
//! kept: every photo walked) and a rebuild (the verdicts kept beside the case from an earlier
//! build: the photos read and hashed, not walked). `--max-bytes 10MB` and `--fax` are timed on
//! the standard case.
//!
//! `REDRESS_BENCH=standard` runs the standard case alone (quick iterations); the full run then
//! times `build --ocr` on one scanned PDF and on a scanned letter of real type.
//!
//! The cases are generated deterministically once and kept under `target/tmp/bench-cases-v*`
//! (the version changes whenever the generator does), so later runs start at once. The large
//! case is the standard one ten times over: each copy's PDFs take the same pool of scanned pages
//! in another order (and name their copy in their Info), each copy's photos carry a comment
//! naming the copy, so every file differs from every other.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Bump when the generated files change, so a stale cache is never measured.
const VERSION: &str = "v2";
/// The standard case: 12 PDFs of 25 pages each, 200 dpi greyscale US Letter scans at JPEG
/// quality 40 (about 230 KB a page), and 40 photos of 4032 × 3024 at quality 80 (about 2.2 MB).
const PDFS: usize = 12;
const PAGES_PER_PDF: usize = 25;
const PAGE_PX: (u32, u32) = (1700, 2200);
const PAGE_QUALITY: u8 = 40;
const PHOTOS: usize = 40;
const PHOTO_PX: (u32, u32) = (4032, 3024);
const PHOTO_QUALITY: u8 = 80;
/// The large case holds this many copies of the standard one.
const COPIES: usize = 10;

fn main() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-cases-{VERSION}"));
    let runs: usize = std::env::var("REDRESS_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let only_standard = std::env::var("REDRESS_BENCH").is_ok_and(|v| v == "standard");
    let started = Instant::now();
    let standard = make_case(&root, 1);
    let large = (!only_standard).then(|| make_case(&root, COPIES));
    println!("cases ready in {:.1} s (kept in {})", started.elapsed().as_secs_f64(), root.display());

    let std_result = bench_case(&root, &standard, "standard", runs, true);
    if let Some(large) = &large {
        let large_result = bench_case(&root, large, "large", runs, false);
        let (s, l) = (std_result.build_rss_kb as f64, large_result.build_rss_kb as f64);
        verdict("build's peak memory does not grow with the case (large ≤ 1.2 × standard)", l / s, 1.2);
        let pace = |r: &Outcome| r.build_s / (r.input as f64 / 1e6);
        println!(
            "build time per MB: standard {:.2} ms, large {:.2} ms (large {:.2} × standard)",
            pace(&std_result) * 1e3,
            pace(&large_result) * 1e3,
            pace(&large_result) / pace(&std_result)
        );
        ocr_runs(&root, &standard);
    }
}

/// A generated case folder: its folder, its documents in case order, and their total size.
struct Case {
    dir: PathBuf,
    pdfs: Vec<PathBuf>,
    photos: Vec<PathBuf>,
    input: u64,
}

/// What one case measured, for the comparisons across cases.
struct Outcome {
    input: u64,
    build_s: f64,
    build_rss_kb: u64,
}

/// The standard case (`copies` = 1) or the large one, generated unless already kept.
fn make_case(root: &Path, copies: usize) -> Case {
    let name = if copies == 1 { "standard".to_string() } else { format!("large-x{copies}") };
    let dir = root.join(&name);
    let names = |copy: usize| -> (Vec<String>, Vec<String>) {
        let tag = if copies == 1 { String::new() } else { format!("c{copy:02}-") };
        (
            (1..=PDFS).map(|i| format!("docs/{tag}scan-{i:02}.pdf")).collect(),
            (1..=PHOTOS).map(|i| format!("docs/{tag}photo-{i:02}.jpg")).collect(),
        )
    };
    let (mut pdfs, mut photos) = (Vec::new(), Vec::new());
    for copy in 0..copies {
        let (p, f) = names(copy);
        pdfs.extend(p.iter().map(|p| dir.join(p)));
        photos.extend(f.iter().map(|f| dir.join(f)));
    }
    if !dir.join("complete").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("docs")).unwrap();
        let (pages, shots) = pool(root);
        let mut toml = String::from(
            "[case]\nkind = \"provider-appeal\"\ntitle = \"Benchmark\"\nprogram = \"medicare-advantage\"\nnotice_date = \"2025-09-10\"\n\n[member]\nname = \"Bench Mark\"\ndob = \"1950-01-01\"\nmember_id = \"B1\"\npayer = \"Plan\"\n",
        );
        for copy in 0..copies {
            let (pdf_names, photo_names) = names(copy);
            for (i, file) in pdf_names.iter().enumerate() {
                // Each copy takes the pool's pages from another place, so no two PDFs are alike.
                let chosen: Vec<&[u8]> =
                    (0..PAGES_PER_PDF).map(|k| pages[(i * PAGES_PER_PDF + k + copy * 37) % pages.len()].as_slice()).collect();
                std::fs::write(dir.join(file), scan_pdf(&chosen, &format!("Scan {} copy {copy}", i + 1))).unwrap();
                toml.push_str(&format!(
                    "\n[[exhibit]]\nfile = \"{file}\"\nkind = \"progress-note\"\ndate = \"2025-08-{:02}\"\ntitle = \"Scan {}\"\n",
                    i + 1,
                    i + 1
                ));
            }
            for (i, file) in photo_names.iter().enumerate() {
                std::fs::write(dir.join(file), with_comment(&shots[i], copy)).unwrap();
                toml.push_str(&format!(
                    "\n[[exhibit]]\nfile = \"{file}\"\nkind = \"wound-photo\"\ndate = \"2025-09-{:02}\"\ntitle = \"Photo {}\"\n",
                    i % 28 + 1,
                    i + 1
                ));
            }
        }
        std::fs::write(dir.join("case.toml"), toml).unwrap();
        std::fs::write(dir.join("complete"), "").unwrap();
    }
    let input = pdfs.iter().chain(&photos).map(|p| std::fs::metadata(p).unwrap().len()).sum();
    Case { dir, pdfs, photos, input }
}

/// The scanned pages and photos every case is made of, encoded once (on every core) and kept.
fn pool(root: &Path) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let dir = root.join("pool");
    let done = dir.join("complete");
    let page_path = |i: usize| dir.join(format!("page-{i:03}.jpg"));
    let photo_path = |i: usize| dir.join(format!("photo-{i:02}.jpg"));
    if !done.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let jobs: Vec<usize> = (0..PDFS * PAGES_PER_PDF + PHOTOS).collect();
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        std::thread::scope(|s| {
            for t in 0..threads {
                let jobs = &jobs;
                let (page_path, photo_path) = (&page_path, &photo_path);
                s.spawn(move || {
                    for &j in jobs.iter().skip(t).step_by(threads) {
                        if j < PDFS * PAGES_PER_PDF {
                            let jpeg = redress::demo::fixtures::scan_page_jpeg(PAGE_PX.0, PAGE_PX.1, j as u32 + 1, PAGE_QUALITY);
                            std::fs::write(page_path(j), jpeg).unwrap();
                        } else {
                            let k = j - PDFS * PAGES_PER_PDF;
                            let jpeg = redress::demo::fixtures::jpeg_plain_at(PHOTO_PX.0, PHOTO_PX.1, k as u32 + 1, PHOTO_QUALITY);
                            std::fs::write(photo_path(k), jpeg).unwrap();
                        }
                    }
                });
            }
        });
        std::fs::write(&done, "").unwrap();
    }
    let pages = (0..PDFS * PAGES_PER_PDF).map(|i| std::fs::read(page_path(i)).unwrap()).collect();
    let photos = (0..PHOTOS).map(|i| std::fs::read(photo_path(i)).unwrap()).collect();
    (pages, photos)
}

/// A scanned PDF: one US Letter page per JPEG, the picture filling the page.
fn scan_pdf(pages: &[&[u8]], title: &str) -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let tree = doc.new_object_id();
    let mut kids = Vec::new();
    for jpeg in pages {
        let image = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => PAGE_PX.0 as i64, "Height" => PAGE_PX.1 as i64,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
            },
            jpeg.to_vec(),
        )
        .with_compression(false);
        let image = doc.add_object(image);
        let content = doc.add_object(Stream::new(dictionary! {}, b"q 612 0 0 792 0 0 cm /Im1 Do Q\n".to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => tree, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image } }, "Contents" => content,
        });
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(tree, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => tree });
    let info = doc.add_object(dictionary! { "Title" => Object::string_literal(title) });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// The photo with a comment segment naming its copy right after its start marker.
fn with_comment(jpeg: &[u8], copy: usize) -> Vec<u8> {
    let text = format!("benchmark copy {copy}");
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&((text.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// One command measured: its name, the shell command, the file it writes, and how the case's
/// kept verdicts are set before each run (not timed).
struct Tool {
    name: &'static str,
    script: String,
    output: PathBuf,
    verdicts: Verdicts,
}

/// The picture checks' verdicts and the files' fingerprints a build finds beside the case.
#[derive(Clone, Copy, PartialEq)]
enum Verdicts {
    /// As the last run left them.
    Untouched,
    /// None: the first build of the case.
    None,
    /// Kept from an earlier build: a rebuild.
    Kept,
}

/// Each run of one tool: seconds, peak resident KB, output bytes, and whether it succeeded
/// (with the first line it printed on failure).
#[derive(Default)]
struct Runs {
    secs: Vec<f64>,
    cpu: Vec<f64>,
    rss_kb: Vec<u64>,
    bytes: u64,
    failure: Option<String>,
}

impl Runs {
    fn median(&self) -> f64 {
        median(&self.secs)
    }
    fn median_cpu(&self) -> f64 {
        median(&self.cpu)
    }
    fn peak_kb(&self) -> u64 {
        self.rss_kb.iter().copied().max().unwrap_or(0)
    }
}

fn median(values: &[f64]) -> f64 {
    let mut s = values.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

fn quoted(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| format!("'{}'", p.display())).collect::<Vec<_>>().join(" ")
}

/// Measures the build, the merge and `cat` on one case, alternating, and prints the table
/// and the targets.
fn bench_case(root: &Path, case: &Case, name: &str, runs: usize, with_flags: bool) -> Outcome {
    let redress = env!("CARGO_BIN_EXE_redress");
    let work = root.join(format!("out-{name}"));
    std::fs::create_dir_all(&work).unwrap();
    let build = |flags: &str, file: &str| Tool {
        name: "",
        script: format!("'{redress}' build '{}' --out '{}' {flags} >/dev/null", case.dir.display(), work.join(file).display()),
        output: work.join(file),
        verdicts: Verdicts::Untouched,
    };
    let merged = work.join("merged.pdf");
    let photos_pdf = work.join("photos.pdf");
    let mut tools = vec![
        Tool { name: "redress build, first", verdicts: Verdicts::None, ..build("", "packet.pdf") },
        Tool { name: "redress build, rebuild", verdicts: Verdicts::Kept, ..build("", "packet.pdf") },
        Tool {
            name: "qpdf + img2pdf (merge only)",
            script: format!(
                "img2pdf {} -o '{}' && qpdf --empty --pages {} '{}' -- '{}'",
                quoted(&case.photos),
                photos_pdf.display(),
                quoted(&case.pdfs),
                photos_pdf.display(),
                merged.display()
            ),
            output: merged.clone(),
            verdicts: Verdicts::Untouched,
        },
        Tool {
            name: "cat",
            script: format!("cat {} {} > '{}'", quoted(&case.pdfs), quoted(&case.photos), work.join("cat.out").display()),
            output: work.join("cat.out"),
            verdicts: Verdicts::Untouched,
        },
        // What the packet's contract asks of any build beyond `cat`: the SHA-256 of every file
        // (the manifest) and of the output (`build --json`), here by OpenSSL with the CPU's SHA
        // instructions, the inputs' on one core while `cat` and then the output's take the other.
        Tool {
            name: "cat + SHA-256 of inputs and output",
            script: format!(
                "openssl dgst -sha256 {all} >/dev/null & cat {all} > '{out}' && openssl dgst -sha256 '{out}' >/dev/null; wait",
                all = format!("{} {}", quoted(&case.pdfs), quoted(&case.photos)),
                out = work.join("hashed.out").display()
            ),
            output: work.join("hashed.out"),
            verdicts: Verdicts::Untouched,
        },
    ];
    if with_flags {
        tools.push(Tool { name: "redress build --max-bytes 10MB", ..build("--max-bytes 10MB", "packet-10mb.pdf") });
        tools.push(Tool { name: "redress build --fax", ..build("--fax", "packet-fax.pdf") });
    }
    let mut results: Vec<Runs> = tools.iter().map(|_| Runs::default()).collect();
    for round in 0..runs {
        // Alternating, and each round in another order, so a slow moment of a shared machine
        // does not fall on one tool alone.
        let n = tools.len();
        for k in 0..n {
            let i = (k + round) % n;
            for f in written(&tools[i].output) {
                let _ = std::fs::remove_file(f);
            }
            set_verdicts(&case.dir, tools[i].verdicts, &tools[0].script);
            let (secs, cpu, kb, failure) = timed(&tools[i].script, &work);
            let r = &mut results[i];
            r.secs.push(secs);
            r.cpu.push(cpu);
            r.rss_kb.push(kb);
            r.bytes = written(&tools[i].output).iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
            r.failure = failure;
        }
    }
    let input = case.input;
    println!(
        "\n{name} case: {} scanned PDFs ({} pages, {} × {} px) + {} photos ({} × {} px), {:.1} MB of documents; median of {runs}",
        case.pdfs.len(),
        case.pdfs.len() * PAGES_PER_PDF,
        PAGE_PX.0,
        PAGE_PX.1,
        case.photos.len(),
        PHOTO_PX.0,
        PHOTO_PX.1,
        input as f64 / 1e6
    );
    println!("{:<36} {:>9} {:>24} {:>7} {:>8} {:>10}", "", "median s", "runs", "CPU s", "peak MB", "output MB");
    for (t, r) in tools.iter().zip(&results) {
        let all = r.secs.iter().map(|s| format!("{s:.2}")).collect::<Vec<_>>().join(" ");
        let status = r.failure.as_ref().map(|f| format!("  FAILED: {f}")).unwrap_or_default();
        let (cpu, peak) = (r.median_cpu(), r.peak_kb() as f64 / 1e3);
        println!("{:<36} {:>9.2} {:>24} {cpu:>7.2} {peak:>8.1} {:>10.1}{status}", t.name, r.median(), all, r.bytes as f64 / 1e6);
    }
    let (ours, again, merge, cat) = (&results[0], &results[1], &results[2], &results[3]);
    floor(case, cat, ours);
    verdict("first build's time ≤ 0.5 × merge-only time", ours.median() / merge.median(), 0.5);
    verdict("rebuild's time ≤ 0.5 × merge-only time", again.median() / merge.median(), 0.5);
    verdict("first build's time ≤ 3 × cat", ours.median() / cat.median(), 3.0);
    verdict("rebuild's time ≤ 3 × cat", again.median() / cat.median(), 3.0);
    if with_flags {
        let peak = ours.peak_kb().max(again.peak_kb());
        verdict("build's peak memory ≤ 1.5 × input", peak as f64 * 1e3 / input as f64, 1.5);
    }
    verdict("output ≤ 1.02 × input", ours.bytes as f64 / input as f64, 1.02);
    // The outputs take as much room as the case: only the case is kept.
    let _ = std::fs::remove_dir_all(&work);
    Outcome { input, build_s: ours.median(), build_rss_kb: ours.peak_kb() }
}

/// The least a first build could take here, whatever its code: `cat`'s copies (its CPU time),
/// the SHA-256 of every file and of the output (in memory, as the build hashes them) and the
/// check that keeps a damaged photo out (every photo's compressed picture walked), these two
/// timed here on one core, all spread over the machine's cores with none ever idle.
fn floor(case: &Case, cat: &Runs, ours: &Runs) {
    let files: Vec<Vec<u8>> = case.pdfs.iter().chain(&case.photos).map(|p| std::fs::read(p).unwrap()).collect();
    let (sha, walk) = (best_of_3(|| sha256_twice(&files)), photo_check_secs(&files[case.pdfs.len()..]));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = cat.median_cpu() + sha + walk;
    let least = (cpu / cores as f64).max(cat.median());
    println!(
        "  the least a first build can take here: cat's {:.2} s of CPU, SHA-256 of inputs and output {sha:.2} s, \
         the photo check {walk:.2} s: at least {least:.2} s on {cores} cores, {:.2} × cat, before any other work \
         (the first build takes {:.2} s of CPU)",
        cat.median_cpu(),
        least / cat.median(),
        ours.median_cpu()
    );
}

/// The fastest of three runs of `f`, in seconds (the first warms the caches).
fn best_of_3(mut f: impl FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// The SHA-256 of each file, and of as many bytes again for the output.
fn sha256_twice(files: &[Vec<u8>]) {
    use sha2::{Digest, Sha256};
    let mut output = Sha256::new();
    for bytes in files {
        std::hint::black_box(Sha256::digest(bytes));
        output.update(bytes);
    }
    std::hint::black_box(output.finalize());
}

/// CPU seconds (one thread) of the JPEG picture check on `photos`: each opened with the check
/// and without it, the difference.
fn photo_check_secs(photos: &[Vec<u8>]) -> f64 {
    use redress::import::image::{open_pages_checked, ImageFormat, Limits, PictureCheck};
    let pass = |check: PictureCheck| {
        best_of_3(|| {
            for bytes in photos {
                open_pages_checked(std::borrow::Cow::Borrowed(bytes), ImageFormat::Jpeg, &Limits::default(), check).unwrap();
            }
        })
    };
    (pass(PictureCheck::Full) - pass(PictureCheck::KnownWhole(None))).max(0.0)
}

/// Removes the case's kept verdicts and files' fingerprints, or makes sure there are some (by
/// an untimed `build`).
fn set_verdicts(case: &Path, wanted: Verdicts, build: &str) {
    let (kept, hashed) = (case.join(".redress/checked"), case.join(".redress/hashed.json"));
    match wanted {
        Verdicts::Untouched => {}
        Verdicts::None => {
            let _ = std::fs::remove_dir_all(&kept);
            let _ = std::fs::remove_file(&hashed);
        }
        Verdicts::Kept if kept.exists() && hashed.exists() => {}
        Verdicts::Kept => assert!(Command::new("sh").args(["-c", build]).status().unwrap().success(), "the build failed"),
    }
}

fn verdict(what: &str, ratio: f64, limit: f64) {
    println!("  {} {what}: {ratio:.3}", if ratio <= limit { "PASS" } else { "FAIL" });
}

/// Runs `script` under `/usr/bin/time`: wall seconds, CPU seconds (user and system, its
/// processes together), the peak resident KB of its largest process, and the first line of its
/// error output when it failed.
fn timed(script: &str, work: &Path) -> (f64, f64, u64, Option<String>) {
    let rss = work.join("rss");
    let start = Instant::now();
    let o = Command::new("/usr/bin/time")
        .args(["-f", "%M %U %S", "-o"])
        .arg(&rss)
        .args(["sh", "-c", script])
        .output()
        .expect("/usr/bin/time (Debian package time) is needed");
    let secs = start.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(&rss).unwrap_or_default();
    let fields: Vec<&str> = text.lines().last().unwrap_or("").split_whitespace().collect();
    let number = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    let (kb, cpu) = (number(0) as u64, number(1) + number(2));
    let failure = (!o.status.success()).then(|| String::from_utf8_lossy(&o.stderr).lines().next().unwrap_or("").to_string());
    (secs, cpu, kb, failure)
}

/// `build --ocr` on a case of one scanned PDF of the standard case, and on a scanned letter of
/// real type: the first build reads every page, the second finds every reading kept.
fn ocr_runs(root: &Path, case: &Case) {
    let scan = std::fs::read(&case.pdfs[0]).unwrap();
    ocr(root, case, "25 pages of the case (1700 × 2200, bars)", &scan);
    let lines: Vec<String> = (1..=24).map(|i| format!("Line {i}: the plan denied home oxygen; member ID XJH{i:04} may appeal")).collect();
    let letter = redress::demo::fixtures::notice_scan(&vec![lines; 10], redress::demo::fixtures::ScanFormat::ScannedPdf);
    ocr(root, case, "10 pages of a scanned letter (200 dpi, type)", &letter);
}

fn ocr(root: &Path, case: &Case, what: &str, pdf: &[u8]) {
    let sub = root.join("ocr-case");
    let _ = std::fs::remove_dir_all(&sub);
    std::fs::create_dir_all(sub.join("docs")).unwrap();
    std::fs::write(sub.join("docs/scan-01.pdf"), pdf).unwrap();
    let toml = std::fs::read_to_string(case.dir.join("case.toml")).unwrap();
    let head = toml.split("\n[[exhibit]]").next().unwrap();
    let exhibit = "\n[[exhibit]]\nfile = \"docs/scan-01.pdf\"\nkind = \"progress-note\"\ndate = \"2025-08-01\"\ntitle = \"Scan 1\"\n";
    std::fs::write(sub.join("case.toml"), format!("{head}{exhibit}")).unwrap();
    let redress = env!("CARGO_BIN_EXE_redress");
    let run = || {
        let start = Instant::now();
        let o = Command::new(redress).args(["build", sub.to_str().unwrap(), "--ocr", "--json"]).output().unwrap();
        assert!(o.status.success(), "build --ocr failed: {}", String::from_utf8_lossy(&o.stderr));
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        (start.elapsed().as_secs_f64(), report["ocr"].clone())
    };
    let (first, read) = run();
    let (again, kept) = run();
    let pages = read["pages"].as_u64().unwrap_or(0);
    let tesseract = read["seconds"].as_f64().unwrap_or(0.0);
    println!(
        "build --ocr, {what}: {pages} pages in {first:.1} s: {:.2} pages/s ({:.2} s a page in Tesseract, one core each)",
        pages as f64 / first,
        tesseract / pages.max(1) as f64
    );
    println!("build --ocr again, every reading kept: {again:.2} s ({} pages from the cache)", kept["cached"]);
    let _ = std::fs::remove_dir_all(&sub);
}

/// A tool's output files: its file, or the volumes a split build wrote beside it
/// (`packet-vol1-of-3.pdf`…).
fn written(out: &Path) -> Vec<PathBuf> {
    if out.exists() {
        return vec![out.to_path_buf()];
    }
    let stem = format!("{}-vol", out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
    let Some(dir) = out.parent().and_then(|d| std::fs::read_dir(d).ok()) else { return Vec::new() };
    dir.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&stem))).collect()
}
