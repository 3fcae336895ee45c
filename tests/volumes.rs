//! Split volumes: a packet over a page or size limit written as a set of files, numbered
//! through as one packet; checked page by page with pdftotext, qpdf and pdfinfo.

use crate::util::*;
use redress::demo::fixtures;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Pages of a text PDF, each saying which exhibit and page it is ("Long record page 17").
fn pages(name: &str, n: usize) -> Vec<u8> {
    let texts: Vec<String> = (1..=n).map(|k| format!("{name} page {k}")).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    fixtures::text_pdf(&refs)
}

/// A case of four PDFs: 6, 5, 30 and 3 pages; the third is longer than a 20-page volume.
fn long_case(t: &TempDir) {
    write_case(
        t.path(),
        &case_toml(&[
            ("a.pdf", "progress-note", "2025-09-01", "Clinic note", ""),
            ("b.pdf", "progress-note", "2025-09-02", "Follow-up note", ""),
            ("c.pdf", "other", "2025-09-03", "Long record", ""),
            ("d.pdf", "progress-note", "2025-09-04", "Last note", ""),
        ]),
        &[
            ("a.pdf", pages("Clinic note", 6)),
            ("b.pdf", pages("Follow-up note", 5)),
            ("c.pdf", pages("Long record", 30)),
            ("d.pdf", pages("Last note", 3)),
        ],
    );
}

/// The volumes' files, as the report names them (relative to the case folder `dir`).
fn volume_files(dir: &Path, r: &Value) -> Vec<PathBuf> {
    r["volumes"].as_array().unwrap().iter().map(|v| dir.join(v["output"].as_str().unwrap())).collect()
}

/// Each page's label as a viewer shows it, from `qpdf --json`'s page label ranges.
fn page_labels(pdf: &Path, count: usize) -> Vec<String> {
    let o = tool("qpdf", &["--json", "--json-key=pagelabels", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ranges = v["pagelabels"].as_array().unwrap();
    (0..count)
        .map(|p| {
            let r = ranges.iter().rev().find(|r| r["index"].as_u64().unwrap() as usize <= p).expect("a range from page 0");
            let l = &r["label"];
            let prefix = l["/P"].as_str().unwrap_or("").trim_start_matches("u:").to_string();
            match l["/S"].as_str() {
                Some("/D") => format!("{prefix}{}", l["/St"].as_u64().unwrap_or(1) as usize + p - r["index"].as_u64().unwrap() as usize),
                _ => prefix,
            }
        })
        .collect()
}

/// Every bookmark of a file, nested ones included: its title and the page (1-based) it opens.
fn bookmarks(pdf: &Path) -> Vec<(String, usize)> {
    fn walk(items: &[Value], out: &mut Vec<(String, usize)>) {
        for i in items {
            out.push((i["title"].as_str().unwrap().to_string(), i["destpageposfrom1"].as_u64().unwrap() as usize));
            walk(i["kids"].as_array().unwrap(), out);
        }
    }
    let o = tool("qpdf", &["--json", "--json-key=outlines", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut out = Vec::new();
    walk(v["outlines"].as_array().unwrap(), &mut out);
    out
}

/// "Page i of N · SMITH-00000i" of a page's stamp.
fn stamped(text: &str) -> Option<(usize, usize)> {
    let at = text.find("· Page ")?;
    let rest = &text[at + "· Page ".len()..];
    let (i, rest) = rest.split_once(" of ")?;
    let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let (i, n) = (i.parse().ok()?, n.parse().ok()?);
    assert!(
        text.contains(&format!(" · {}-{i:06}", if text.contains("SMITH-") { "SMITH" } else { "HAYES" })),
        "the Bates number follows the page number: {text}"
    );
    Some((i, n))
}

#[test]
fn a_packet_over_a_page_limit_is_split_into_volumes_numbered_through() {
    let t = TempDir::new("volumes-pages");
    long_case(&t);
    let r = build_json_with(t.path(), &["--max-pages", "20"]);
    let files = volume_files(t.path(), &r);
    let of = files.len();
    assert!(of >= 3, "{r}");
    let total = r["pages"].as_u64().unwrap() as usize;
    let want: Vec<String> = (1..=of).map(|k| format!("packet-vol{k}-of-{of}.pdf")).collect();
    assert_eq!(files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect::<Vec<_>>(), want);
    assert!(!t.join("packet.pdf").exists());
    assert_eq!(r["output"], r["volumes"][0]["output"]);
    let mut next = 1;
    let mut seen: Vec<String> = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let v = &r["volumes"][k];
        qpdf_check(file);
        let count = page_count(file);
        assert!(count <= 20, "{}: {count} pages", file.display());
        assert_eq!(count, v["pages"].as_u64().unwrap() as usize);
        let texts = page_texts(file);
        let (first, last) = (v["first_page"].as_u64().unwrap() as usize, v["last_page"].as_u64().unwrap() as usize);
        let line = format!("Volume {} of {of} · pages {first}–{last} · SMITH-{first:06} to SMITH-{last:06}", k + 1);
        assert!(texts[0].contains(&line), "volume {}'s cover names it: {}", k + 1, texts[0]);
        assert_eq!(stamped(&texts[0]), None, "the cover is not numbered");
        assert_eq!(texts[0].contains("Contents"), k == 0, "volume 1's cover lists the front matter it holds");
        assert_eq!(texts[0].contains("Manifest"), k + 1 == of, "the last volume's cover lists the manifest");
        for text in &texts[1..] {
            assert_eq!(stamped(text), Some((next, total)), "{}: {text}", file.display());
            next += 1;
            seen.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| l.contains(" page ") && !l.contains('·') && !l.starts_with("Part "))
                    .map(String::from),
            );
        }
        assert_eq!(first + count - 2, last);
        let mut labels = vec![format!("Volume {} of {of}", k + 1)];
        labels.extend((first..=last).map(|p| format!("SMITH-{p:06}")));
        assert_eq!(page_labels(file, count), labels, "{}", file.display());
        // Each volume's bookmarks open its own pages: its cover, and each exhibit's separator.
        let marks = bookmarks(file);
        assert_eq!(marks[0], (format!("Volume {} of {of}", k + 1), 1));
        for (title, page) in &marks {
            assert!((1..=count).contains(page), "{title} → {page}");
            if let Some(rest) = title.strip_prefix("Exhibit ") {
                let number = rest.split(' ').next().unwrap();
                assert!(texts[page - 1].contains(&format!("Exhibit {number}")), "{title} opens page {page}: {}", texts[page - 1]);
            }
        }
    }
    assert_eq!(next - 1, total, "every numbered page once, in order");
    // Every exhibit page once, in order: the long record split at page boundaries.
    let want: Vec<String> = [("Clinic note", 6), ("Follow-up note", 5), ("Long record", 30), ("Last note", 3)]
        .iter()
        .flat_map(|(n, c)| (1..=*c).map(move |k| format!("{n} page {k}")))
        .collect();
    assert_eq!(seen, want);
    let warned = r["warnings"].as_array().unwrap().iter().any(|w| {
        let w = w.as_str().unwrap();
        w.contains("exhibit 3 (Long record, 30 pages) is larger than one volume") && w.contains("in volume 2")
    });
    assert!(warned, "{}", r["warnings"]);
    // Volume 1's contents give every exhibit's volume and page, and the long record's parts.
    let contents = page_texts(&files[0]).into_iter().find(|p| p.contains("vol. 1 · p. 1")).unwrap();
    for e in r["exhibits"].as_array().unwrap() {
        let page = e["first_page"].as_u64().unwrap() as usize;
        let volume = r["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .position(|v| v["first_page"].as_u64().unwrap() as usize <= page && page <= v["last_page"].as_u64().unwrap() as usize)
            .unwrap()
            + 1;
        let number = e["number"].as_u64().unwrap();
        let line = contents.lines().find(|l| l.trim_start().starts_with(&format!("Exhibit {number} ·"))).unwrap();
        assert!(line.trim_end().ends_with(&format!("vol. {volume} · p. {page}")), "{line}");
    }
    assert!(contents.contains("Exhibit 3 continued: part 2 of"), "{contents}");
    let parts: Vec<String> = files.iter().flat_map(|f| bookmarks(f)).map(|b| b.0).filter(|t| t.starts_with("Exhibit 3 ")).collect();
    assert!(parts.len() >= 2 && parts[1].starts_with(&format!("Exhibit 3 (part 2 of {}) ·", parts.len())), "{parts:?}");
    // The part's own separator names the split.
    let all: Vec<String> = files.iter().flat_map(|f| page_texts(f)).collect();
    assert!(all.iter().any(|p| p.contains("Part 2 of") && p.contains("(split across volumes)")));
}

#[test]
fn a_packet_over_a_size_limit_is_split_and_each_volume_keeps_it() {
    let t = TempDir::new("volumes-bytes");
    write_case(
        t.path(),
        &case_toml(&[
            ("a.pdf", "progress-note", "2025-09-01", "Scan one", ""),
            ("b.pdf", "progress-note", "2025-09-02", "Scan two", ""),
            ("c.pdf", "progress-note", "2025-09-03", "Scan three", ""),
        ]),
        &[
            ("a.pdf", fixtures::scanned_pdf(2, 850, 1100)),
            ("b.pdf", fixtures::scanned_pdf(2, 850, 1100)),
            ("c.pdf", fixtures::scanned_pdf(2, 850, 1100)),
        ],
    );
    let whole = build_json(t.path());
    // So small that not even the scans at the readable floor fit one file: volumes, each at
    // the mildest shrink that keeps it under the limit.
    let limit = whole["bytes"].as_u64().unwrap() * 4 / 10;
    let r = build_json_with(t.path(), &["--out", "sized.pdf", "--max-bytes", &limit.to_string()]);
    let files = volume_files(t.path(), &r);
    assert!(files.len() >= 2, "{r}");
    assert!(!r["shrunk"].as_array().unwrap().is_empty(), "the volumes' scans were shrunk too: {r}");
    let mut next = 1;
    for f in &files {
        qpdf_check(f);
        let bytes = std::fs::metadata(f).unwrap().len();
        assert!(bytes <= limit, "{}: {bytes} > {limit}", f.display());
        for text in &page_texts(f)[1..] {
            assert_eq!(stamped(text).map(|s| s.0), Some(next));
            next += 1;
        }
    }
    assert_eq!(next - 1, whole["pages"].as_u64().unwrap() as usize, "the same pages as the single file");
    assert_eq!(r["bytes"].as_u64().unwrap(), files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum::<u64>());
}

fn options(out: &Path) -> redress::packet::BuildOptions {
    let now = chrono::NaiveDate::from_ymd_opt(2025, 9, 20).unwrap().and_hms_opt(9, 0, 0).unwrap();
    redress::packet::BuildOptions {
        out: Some(out.to_path_buf()),
        ..redress::packet::BuildOptions::new(now, now.and_utc(), chrono_tz::America::Chicago)
    }
}

#[test]
fn more_files_than_the_destination_takes_is_refused_with_nothing_written() {
    let t = TempDir::new("volumes-files");
    long_case(&t);
    let folder = redress::casefile::load(t.path()).unwrap();
    let before = names(t.path());
    let opts = redress::packet::BuildOptions { max_pages: Some(20), max_files: Some(2), ..options(&t.join("packet.pdf")) };
    let e = redress::packet::build(&folder, &opts).unwrap_err();
    assert!(matches!(e, redress::Error::Limits(redress::packet::LimitError::TooManyFiles { limit: 2, .. })), "{e:?}");
    let msg = e.to_string();
    assert!(msg.contains("files of at most 20 pages") && msg.contains("at most 2 files"), "{msg}");
    assert_eq!(names(t.path()), before, "nothing written, no temporary left");
    // So is a packet over the destination's total, split or not.
    for max_pages in [Some(20), None] {
        let opts = redress::packet::BuildOptions { max_pages, max_total_bytes: Some(20_000), ..options(&t.join("packet.pdf")) };
        let e = redress::packet::build(&folder, &opts).unwrap_err();
        assert!(matches!(e, redress::Error::Limits(redress::packet::LimitError::TooLarge { limit: 20_000, .. })), "{e:?}");
        assert!(e.to_string().contains("at most 20 KB in all"), "{e}");
        assert_eq!(names(t.path()), before);
    }
    // The estimate the app shows agrees with what a build makes.
    let opts = redress::packet::BuildOptions { max_pages: Some(20), ..options(&t.join("packet.pdf")) };
    let estimate = redress::packet::estimate(&folder, &opts).unwrap();
    let built = redress::packet::build(&folder, &opts).unwrap();
    assert_eq!((estimate.volumes, estimate.pages), (built.volumes.len(), built.pages));
    assert!(estimate.volumes >= 3);
    let whole = options(&t.join("whole.pdf"));
    let estimate = redress::packet::estimate(&folder, &whole).unwrap();
    let built = redress::packet::build(&folder, &whole).unwrap();
    assert_eq!((estimate.volumes, estimate.pages), (1, built.pages));
    let near = estimate.bytes as f64 / built.bytes as f64;
    assert!((0.5..2.0).contains(&near), "estimated {} for {}", estimate.bytes, built.bytes);
}

#[test]
fn volumes_of_an_earlier_build_that_are_no_longer_part_of_the_set_are_removed() {
    let t = TempDir::new("volumes-stale");
    long_case(&t);
    std::fs::write(t.join("packet-notes.txt"), b"mine").unwrap();
    let three = volume_files(t.path(), &build_json_with(t.path(), &["--max-pages", "20"]));
    let two = volume_files(t.path(), &build_json_with(t.path(), &["--max-pages", "40"]));
    assert!(two.len() < three.len() && two.len() >= 2, "{two:?}");
    let mut want: Vec<String> = two.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    want.extend(["case.toml", "a.pdf", "b.pdf", "c.pdf", "d.pdf", "packet-notes.txt"].map(String::from));
    want.sort();
    assert_eq!(names(t.path()), want);
    // Unsplit again: the single file, and no volume left.
    build_json_with(t.path(), &[]);
    assert!(names(t.path()).iter().all(|n| !n.contains("-vol")), "{:?}", names(t.path()));
    assert!(t.join("packet.pdf").exists());
    // With safe names, every file name is plain ASCII.
    let folder = redress::casefile::load(t.path()).unwrap();
    let opts = redress::packet::BuildOptions { max_pages: Some(40), safe_names: true, ..options(&t.join("Smith appeal (final).pdf")) };
    let r = redress::packet::build(&folder, &opts).unwrap();
    for v in &r.volumes {
        let name = v.output.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("Smith_appeal__final_-vol"), "{name}");
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)), "{name}");
    }
}

#[test]
fn a_packet_within_its_limits_is_the_same_single_file() {
    let t = TempDir::new("volumes-unsplit");
    let o = redress(t.path(), &["demo", "demo"]);
    ok(&o);
    let demo = t.join("demo");
    let plain = build_json_with(&demo, &["--out", "plain.pdf"]);
    let limited = build_json_with(&demo, &["--out", "limited.pdf", "--max-pages", "1000"]);
    assert_eq!(limited["volumes"].as_array().unwrap().len(), 1);
    assert_eq!(plain["sha256"], limited["sha256"]);
    assert_eq!(std::fs::read(demo.join("plain.pdf")).unwrap(), std::fs::read(demo.join("limited.pdf")).unwrap());
}

#[test]
fn the_demo_over_a_size_budget_no_shrink_meets_goes_out_in_volumes_under_it() {
    // Its scans and its fax take more than 200 KB, which no photo step changes: the one file
    // built first is measured exhibit by exhibit, and the packet divided by what they took.
    let t = TempDir::new("volumes-demo-bytes");
    ok(&redress(t.path(), &["demo", "demo"]));
    let demo = t.join("demo");
    let r = build_json_with(&demo, &["--out", "budget.pdf", "--max-bytes", "200KB"]);
    let files = volume_files(&demo, &r);
    assert!(files.len() >= 3, "{r}");
    let mut next = 1;
    for f in &files {
        qpdf_check(f);
        let bytes = std::fs::metadata(f).unwrap().len();
        assert!(bytes <= 200_000, "{}: {bytes}", f.display());
        for text in &page_texts(f)[1..] {
            assert_eq!(stamped(text).map(|s| s.0), Some(next), "{}", f.display());
            next += 1;
        }
    }
    assert_eq!(next - 1, r["pages"].as_u64().unwrap() as usize);
    assert!(!demo.join("budget.pdf").exists());
    // A budget not even one scanned page fits: the budget's own message, nothing written.
    let o = redress(&demo, &["build", ".", "--out", "tiny.pdf", "--max-bytes", "100KB"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot fit in 100 KB"), "{}", stderr(&o));
    assert!(names(&demo).iter().all(|n| !n.starts_with("tiny")), "{:?}", names(&demo));
}

#[test]
fn a_fax_longer_than_a_volume_is_split_page_by_page_counted_in_the_whole_fax() {
    use redress::demo::fixtures::{notice_scan, ScanFormat};
    let t = TempDir::new("volumes-fax");
    let fax: Vec<Vec<String>> = ["one", "two", "three", "four", "five", "six"].iter().map(|n| vec![format!("Fax page {n}")]).collect();
    write_case(
        t.path(),
        &case_toml(&[("fax.tif", "other", "2025-09-05", "Faxed records", "")]),
        &[("fax.tif", notice_scan(&fax, ScanFormat::FaxTiff))],
    );
    let whole = build_json(t.path());
    let front = whole["exhibits"][0]["first_page"].as_u64().unwrap() as usize - 1;
    // Volume 1 holds its cover and the front matter, and nothing more: the fax's separator and
    // six pages take more than the next volume.
    let max = (front + 1).to_string();
    let r = build_json_with(t.path(), &["--max-pages", &max]);
    let files = volume_files(t.path(), &r);
    assert!(files.len() >= 3, "{r}");
    let mut faxed = Vec::new();
    for f in &files {
        qpdf_check(f);
        assert!(page_count(f) <= front + 1);
        for text in page_texts(f) {
            // Each fax page once, in order, its caption counting in the whole fax.
            if let Some((_, rest)) = text.split_once("Faxed records · image ") {
                faxed.push(rest.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
            }
        }
    }
    assert_eq!(faxed, (1..=6).map(|k| format!("{k} of 6")).collect::<Vec<_>>());
}

#[test]
fn a_fax_in_volumes_sends_each_volume_with_its_own_fax_cover_sheet_within_the_page_limit() {
    let t = TempDir::new("volumes-fax");
    long_case(&t);
    let r = build_json_with(t.path(), &["--profile", "fax", "--max-pages", "20", "--fax-to", "Appeals unit, 555-0199"]);
    let files = volume_files(t.path(), &r);
    let of = files.len();
    assert!(of >= 3, "{r}");
    let total = r["volumes"][of - 1]["last_page"].as_u64().unwrap() as usize;
    let mut next = 1;
    for (k, file) in files.iter().enumerate() {
        qpdf_check(file);
        let count = page_count(file);
        assert!(count <= 20, "{}: {count} pages, the fax cover sheet counted", file.display());
        let texts = page_texts(file);
        let (first, last) = (r["volumes"][k]["first_page"].as_u64().unwrap(), r["volumes"][k]["last_page"].as_u64().unwrap());
        assert!(texts[0].contains("555-0199") && texts[0].contains(&format!("{count} including this cover sheet")), "{}", texts[0]);
        assert!(texts[0].contains(&format!("volume {} of {of}", k + 1)), "{}", texts[0]);
        assert!(texts[1].contains(&format!("Volume {} of {of}", k + 1)), "the volume's own cover follows");
        assert_eq!((stamped(&texts[0]), stamped(&texts[1])), (None, None), "neither cover is numbered");
        let labels = page_labels(file, count);
        assert_eq!(labels[0], "Fax cover");
        assert_eq!(labels[1], format!("Volume {} of {of}", k + 1));
        for (text, label) in texts[2..].iter().zip(&labels[2..]) {
            assert_eq!(stamped(text), Some((next, total)), "{}: {text}", file.display());
            assert_eq!(label, &format!("SMITH-{next:06}"));
            next += 1;
        }
        assert_eq!((first as usize, last as usize), (next - (count - 2), next - 1));
    }
    assert_eq!(next - 1, total, "every numbered page sent once");
}

/// Every image of a file, as (its object, filter, bits, whether it is a stencil mask).
fn images(pdf: &Path) -> Vec<(lopdf::ObjectId, Option<String>, Option<i64>, bool)> {
    use lopdf::Object;
    let doc = lopdf::Document::load(pdf).unwrap();
    doc.objects
        .iter()
        .filter_map(|(id, o)| match o {
            Object::Stream(s) if s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image") => {
                let filter = s.dict.get(b"Filter").and_then(Object::as_name).ok().map(|f| String::from_utf8_lossy(f).into_owned());
                let bits = s.dict.get(b"BitsPerComponent").and_then(Object::as_i64).ok();
                Some((*id, filter, bits, s.dict.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false)))
            }
            _ => None,
        })
        .collect()
}

/// Checks a fax sent as volumes (`r`, its report): each file at most `limit` bytes and
/// `max_pages` pages, its own fax cover sheet first, then the volume's cover, then its pages
/// numbered on from the last volume's; every picture a 1-bit Group 4 stencil. Returns the
/// volumes' files.
fn fax_volumes(dir: &Path, r: &Value, limit: u64, max_pages: usize, numbered: usize) -> Vec<PathBuf> {
    let files = volume_files(dir, r);
    let of = files.len();
    assert!(of >= 2, "{r}");
    assert_eq!(r["shrunk"].as_array().unwrap().len(), 0, "nothing shrunk as a JPEG: {r}");
    let mut next = 1;
    for (k, f) in files.iter().enumerate() {
        qpdf_check(f);
        let bytes = std::fs::metadata(f).unwrap().len();
        assert!(bytes <= limit, "{}: {bytes} > {limit}", f.display());
        let texts = page_texts(f);
        assert!(texts.len() <= max_pages, "{}: {} pages", f.display(), texts.len());
        assert!(texts[0].contains("FAX") && texts[0].contains(&format!("volume {} of {of}", k + 1)), "its own fax cover: {}", texts[0]);
        assert!(texts[0].contains(&format!("{} including this cover sheet", texts.len())), "{}", texts[0]);
        assert!(texts[1].contains(&format!("Volume {} of {of}", k + 1)), "then the volume's cover: {}", texts[1]);
        for text in &texts[2..] {
            assert_eq!(stamped(text), Some((next, numbered)), "{}: {text}", f.display());
            next += 1;
        }
        for (id, filter, bits, mask) in images(f) {
            assert_eq!((filter.as_deref(), bits, mask), (Some("CCITTFaxDecode"), Some(1), true), "{}: image {id:?}", f.display());
        }
    }
    assert_eq!(next - 1, numbered, "every numbered page once, in order");
    files
}

#[test]
fn a_fax_over_a_size_budget_goes_out_as_volumes_each_a_fax_under_it() {
    // Phone photos far larger as JPEGs than as the 1-bit pictures a fax sends, and a scan: the
    // budget counts each picture at what the fax writes, never as a JPEG to shrink.
    let t = TempDir::new("volumes-fax-bytes");
    let photos: Vec<(String, Vec<u8>)> = (1..=2).map(|k| (format!("photo{k}.jpg"), fixtures::jpeg_plain_at(1200, 900, k, 97))).collect();
    let titles: Vec<String> = (1..=2).map(|k| format!("Wound photo {k}")).collect();
    let mut exhibits = vec![("scan.pdf", "progress-note", "2025-09-01", "Scanned note", "")];
    exhibits.extend(photos.iter().zip(&titles).map(|((file, _), title)| (file.as_str(), "wound-photo", "2025-09-02", title.as_str(), "")));
    let mut docs = vec![("scan.pdf", fixtures::scanned_pdf(1, 1700, 2200))];
    docs.extend(photos.iter().map(|(file, bytes)| (file.as_str(), bytes.clone())));
    write_case(t.path(), &case_toml(&exhibits), &docs);
    let whole = build_json_with(t.path(), &["--out", "whole.pdf", "--fax"]);
    let numbered = whole["volumes"][0]["last_page"].as_u64().unwrap() as usize;
    let pictures = |files: &[PathBuf]| files.iter().flat_map(|f| images(f)).count();
    let sent = pictures(&[t.join("whole.pdf")]);
    let limit = whole["bytes"].as_u64().unwrap() * 6 / 10;
    let r = build_json_with(t.path(), &["--out", "sized.pdf", "--fax", "--max-bytes", &limit.to_string()]);
    let files = fax_volumes(t.path(), &r, limit, usize::MAX, numbered);
    assert_eq!(pictures(&files), sent, "each picture sent once");
    // The fax profile under a budget and a page limit too: each file keeps both, its fax
    // cover sheet counted in its pages.
    let args = ["--out", "both.pdf", "--profile", "fax", "--max-pages", "7", "--max-bytes", &limit.to_string()];
    let r = build_json_with(t.path(), &args);
    let files = fax_volumes(t.path(), &r, limit, 7, numbered);
    assert!(files.len() >= 3, "the front matter and the three exhibits take three files of seven pages: {r}");
    assert_eq!(pictures(&files), sent);
    // A budget one photo's fax page alone exceeds: refused naming it, nothing written.
    let before = names(t.path());
    let o = redress(t.path(), &["build", ".", "--out", "tiny.pdf", "--fax", "--max-bytes", "100KB"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("exhibit 2 has a page of about") && stderr(&o).contains("more than one file may hold (100 KB)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(names(t.path()), before);
}
