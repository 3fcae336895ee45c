//! The command line's contract: exit codes, JSON shapes, `check`, `demo`.

use crate::util::*;

#[test]
fn wrong_command_line_exits_2() {
    let t = TempDir::new("usage");
    assert_eq!(redress(t.path(), &["build"]).status.code(), Some(2));
    assert_eq!(redress(t.path(), &["frobnicate"]).status.code(), Some(2));
    assert_eq!(redress(t.path(), &["deadline", "--program", "erisa", "--notice-date", "not-a-date"]).status.code(), Some(2));
    assert_eq!(
        redress(t.path(), &["deadline", "--program", "erisa", "--notice-date", "2026-03-02", "--urgency", "soon"]).status.code(),
        Some(2)
    );
    assert_eq!(redress(t.path(), &["--help"]).status.code(), Some(0));
}

#[test]
fn build_json_has_the_documented_shape() {
    let t = TempDir::new("json");
    redress::demo::write_demo(&t.join("case"), chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    let r = build_json(&t.join("case"));
    for key in ["output", "pages", "bytes", "sha256", "sections", "exhibits", "deadlines", "warnings"] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    let e = &r["exhibits"][0];
    for key in ["number", "kind", "date", "title", "source", "sha256", "first_page", "pages"] {
        assert!(e.get(key).is_some(), "exhibit lacks {key}");
    }
    let d = r["deadlines"].as_array().unwrap().iter().find(|d| d["kind"] == "file-appeal").expect("a filing deadline");
    assert_eq!(d["rule"], "medicare-advantage");
    assert_eq!(d["citation"], "42 CFR 422.582(b), (b)(1)");
    // The demo's notice is 12 days before 2026-01-01: 2025-12-20; it arrived the next day,
    // 2025-12-21. 60 days from receipt: 10 left in December, 31 in January, 19 in February
    // → 2026-02-19 (the presumed receipt, 2025-12-25, would give 2026-02-23).
    assert_eq!(d["due"], "2026-02-19");
    assert_eq!(d["basis"], "received-date");
    assert!(r["output"].as_str().unwrap().ends_with("packet.pdf"));
}

/// The documented shape of `deadline --json` (cli.md): `rule` is the program, `rule_id` the
/// rule. Moved from the engine's `json_has_the_cli_shape` when the engine's type lost its
/// serde renames; the same assertions, through the real binary.
#[test]
fn deadline_json_has_the_documented_shape() {
    let t = TempDir::new("deadline-json");
    let o = redress(
        t.path(),
        &["deadline", "--program", "medicare-advantage", "--notice-date", "2025-09-10", "--today", "2025-11-02", "--json"],
    );
    ok(&o);
    let value: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // Receipt presumed Mon 15 Sep (10 Sep + 5); + 60: Sep → 15, Oct → 46, Nov 14 → 60 (Fri).
    let expected = serde_json::json!({
        "case": null, "kind": "file-appeal", "due": "2025-11-14", "due_time": null,
        "rule": "medicare-advantage", "citation": "42 CFR 422.582(b), (b)(1)", "counted_from": "2025-09-15",
        "days": 60, "counting": "calendar", "days_left": 12, "status": "open",
        "rule_id": "ma-reconsideration", "label": "File the reconsideration",
        "warnings": ["receipt presumed 2025-09-15, 5 days after the notice date 2025-09-10: enter the date it arrived if it came earlier or later"],
        "notice_governs": "The deadline stated on your notice governs.",
        "basis": "presumed-receipt", "basis_given": false,
        "basis_text": "receipt presumed 2025-09-15, 5 days after the notice date 2025-09-10",
        "due_text": "2025-11-14", "time_zone": null, "due_at": null, "checked": false, "safe_due": null, "closed": false
    });
    assert_eq!(value[0], expected);
    let text = stdout(&o);
    let documented = [
        "\"case\"",
        "\"kind\"",
        "\"due\"",
        "\"due_time\"",
        "\"rule\"",
        "\"citation\"",
        "\"counted_from\"",
        "\"days\"",
        "\"counting\"",
        "\"days_left\"",
        "\"status\"",
    ];
    let at: Vec<usize> = documented.iter().map(|k| text.find(&format!("{k}:")).unwrap_or(usize::MAX)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "the documented fields come first, in cli.md's order: {at:?}");
}

#[test]
fn check_reports_pages_without_writing() {
    let t = TempDir::new("check");
    redress::demo::write_demo(&t.join("case"), chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    let o = redress(&t.join("case"), &["check", ".", "--json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["exhibits"], 8);
    assert!(!t.join("case/packet.pdf").exists());
}

#[test]
fn demo_writes_a_case_and_its_packet() {
    let t = TempDir::new("demo");
    let o = redress(t.path(), &["demo", "my-demo"]);
    ok(&o);
    assert!(stdout(&o).contains("my-demo"));
    let pdf = t.join("my-demo/packet.pdf");
    qpdf_check(&pdf);
    assert!(page_count(&pdf) > 15);
    // The rotated phone photo with GPS is in the folder, and not in the packet.
    let photo = std::fs::read(t.join("my-demo/docs/oximeter-photo.jpg")).unwrap();
    assert!(photo.windows(3).any(|w| w == b"GPS") || photo.windows(6).any(|w| w == b"Exif\0\0"));
    let packet = std::fs::read(&pdf).unwrap();
    assert!(!packet.windows(6).any(|w| w == b"Exif\0\0"));
}

#[test]
fn a_size_budget_downsamples_photos_until_the_packet_fits() {
    let t = TempDir::new("budget");
    use redress::demo::fixtures;
    write_case(
        t.path(),
        &case_toml(&[
            ("big1.jpg", "wound-photo", "2025-09-01", "Photo one", ""),
            ("big2.jpg", "wound-photo", "2025-09-02", "Photo two", ""),
        ]),
        &[("big1.jpg", fixtures::jpeg_plain(3000, 2000, 7)), ("big2.jpg", fixtures::jpeg_plain(3000, 2000, 8))],
    );
    let full = build_json(t.path());
    let full_bytes = full["bytes"].as_u64().unwrap();
    let budget = full_bytes / 4;
    let o = redress(t.path(), &["build", ".", "--json", "--out", "small.pdf", "--max-bytes", &budget.to_string()]);
    ok(&o);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(r["bytes"].as_u64().unwrap() <= budget, "{} > {budget}", r["bytes"]);
    assert_eq!(std::fs::metadata(t.join("small.pdf")).unwrap().len(), r["bytes"].as_u64().unwrap());
    assert!(r["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("downsampled")), "the build says what it did");
    qpdf_check(&t.join("small.pdf"));
    // A budget nothing can meet: exit 1, nothing written.
    let o = redress(t.path(), &["build", ".", "--out", "tiny.pdf", "--max-bytes", "1KB"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot fit in"), "{}", stderr(&o));
    assert!(!t.join("tiny.pdf").exists());
    assert_eq!(redress(t.path(), &["build", ".", "--max-bytes", "ten"]).status.code(), Some(2));
}

#[test]
fn fax_mode_has_no_colour_on_generated_pages() {
    let t = TempDir::new("fax");
    write_case(t.path(), &case_toml(&[("a.txt", "progress-note", "2025-09-01", "Note", "")]), &[("a.txt", b"hello".to_vec())]);
    ok(&redress(t.path(), &["build", ".", "--fax"]));
    let pdf = t.join("packet.pdf");
    for page in 1..=page_count(&pdf) {
        let img = render(&pdf, page, 30);
        let coloured = img.pixels().filter(|p| p.0.iter().max().unwrap() - p.0.iter().min().unwrap() > 40).count();
        assert_eq!(coloured, 0, "page {page} has colour in fax mode");
    }
}

#[test]
fn check_and_build_take_a_case_id_from_the_database() {
    let t = TempDir::new("byid");
    // The folder sits deeper than the working directory, so its id names no folder here.
    redress::demo::write_demo(&t.join("src/hayes"), chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    let o = redress(t.path(), &["import", "src/hayes"]);
    ok(&o);
    let id = stdout(&o).trim().to_string();
    assert_eq!(id, "hayes");
    let o = redress(t.path(), &["check", &id, "--json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["exhibits"], 8);
    ok(&redress(t.path(), &["build", &id]));
    qpdf_check(&t.join(&format!("{id}-packet.pdf")));
    let o = redress(t.path(), &["check", "no-such-case"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("neither a case folder nor a case in the database"), "{}", stderr(&o));
}

#[test]
fn a_closed_stdout_ends_the_command_cleanly() {
    // `redress rules --json | head -1`: the reader goes away; the command must not panic.
    let t = TempDir::new("pipe");
    for args in [&["rules", "--json"][..], &["rules"], &["deadline", "--program", "medicare-advantage", "--notice-date", "2026-03-02"]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_redress"))
            .args(args)
            .current_dir(t.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // close the reading end before anything is written
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

/// The reviewer's minimal case: one text exhibit, the member named `name`, the notice and the
/// exhibit dated as given.
fn small_case(dir: &std::path::Path, name: &str, notice: &str, exhibit: &str) {
    let toml = case_toml(&[("docs/denial.txt", "denial-letter", exhibit, "Notice of denial", "")])
        .replace("name = \"John Smith\"", &format!("name = \"{name}\""))
        .replace("notice_date = \"2025-09-10\"", &format!("notice_date = \"{notice}\""));
    write_case(dir, &toml, &[("docs/denial.txt", b"Denial notice text".to_vec())]);
}

/// The stamp's line on the packet's first page.
fn stamp_line(pdf: &std::path::Path) -> String {
    let first = page_texts(pdf).into_iter().next().unwrap_or_default();
    first.lines().find(|l| l.contains("DOB 01/23/1945")).unwrap_or_default().trim().to_string()
}

#[test]
fn names_as_payers_write_them_give_the_stamp_and_bates_prefix_their_surname() {
    let t = TempDir::new("names");
    for (name, short, prefix) in [
        ("Smith, John", "Smith, J", "SMITH"),
        ("John Smith Jr.", "Smith, J", "SMITH"),
        ("Dr. Ann Lee, MD", "Lee, A", "LEE"),
        ("José Núñez", "Núñez, J", "NUNEZ"),
    ] {
        small_case(t.path(), name, "2025-09-10", "2025-09-10");
        let o = redress(t.path(), &["build", "."]);
        ok(&o);
        let line = stamp_line(&t.join("packet.pdf"));
        assert!(line.starts_with(&format!("{short} · DOB")), "{name}: {line}");
        assert!(line.ends_with(&format!("{prefix}-000001")), "{name}: {line}");
        assert!(!stderr(&o).contains("bates_prefix"), "{name}: {}", stderr(&o));
    }
    // No Latin letter to take a prefix from: the fallback, a warning that says how to set one,
    // and a stamp that leaves out the name it cannot print rather than printing `???`.
    small_case(t.path(), "李小龙", "2025-09-10", "2025-09-10");
    let o = redress(t.path(), &["build", "."]);
    ok(&o);
    let line = stamp_line(&t.join("packet.pdf"));
    assert!(line.starts_with("DOB 01/23/1945") && line.ends_with("REDRESS-000001"), "{line}");
    assert!(stderr(&o).contains("set bates_prefix in case.toml"), "{}", stderr(&o));
    let o = redress(t.path(), &["check", "."]);
    ok(&o);
    assert!(stderr(&o).contains("set bates_prefix in case.toml"), "{}", stderr(&o));
}

#[test]
fn dates_after_today_are_warned_by_check_build_and_deadlines() {
    let t = TempDir::new("future");
    small_case(t.path(), "John Smith", "2062-03-06", "2099-03-06");
    let notice = "case.toml: case.notice_date 2062-03-06 is after today (2026-12-07): is the year right?";
    let exhibit = "case.toml: exhibit 1 (docs/denial.txt): date 2099-03-06 is after today (2026-12-07): is the year right?";
    let o = redress(t.path(), &["check", ".", "--today", "2026-12-07"]);
    ok(&o);
    assert!(stderr(&o).contains(&format!("warning: {notice}")) && stderr(&o).contains(&format!("warning: {exhibit}")), "{}", stderr(&o));
    let o = redress(t.path(), &["check", ".", "--json", "--today", "2026-12-07"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["warnings"], serde_json::json!([notice, exhibit]));
    // A build's today is its clock: SOURCE_DATE_EPOCH, 2026-01-01 here.
    let r = build_json(t.path());
    let warnings: Vec<&str> = r["warnings"].as_array().unwrap().iter().filter_map(|w| w.as_str()).collect();
    assert!(warnings.contains(&"case.toml: case.notice_date 2062-03-06 is after today (2026-01-01): is the year right?"), "{warnings:?}");
    let o = redress(t.path(), &["deadlines", ".", "--today", "2026-12-07"]);
    ok(&o);
    assert!(stderr(&o).contains(notice), "{}", stderr(&o));
    let o = redress(t.path(), &["deadline", "--program", "medicare-advantage", "--notice-date", "2062-03-06", "--today", "2026-12-07"]);
    ok(&o);
    assert!(stderr(&o).contains("warning: --notice-date 2062-03-06 is after today (2026-12-07): is the year right?"), "{}", stderr(&o));
    // Dates up to today say nothing.
    small_case(t.path(), "John Smith", "2026-12-07", "2026-12-07");
    for args in [&["check", ".", "--today", "2026-12-07"][..], &["deadlines", ".", "--today", "2026-12-07"]] {
        let o = redress(t.path(), args);
        ok(&o);
        assert!(!stderr(&o).contains("is after today"), "{args:?}: {}", stderr(&o));
    }
    let o = redress(t.path(), &["deadline", "--program", "medicare-advantage", "--notice-date", "2026-12-07", "--today", "2026-12-07"]);
    assert!(!stderr(&o).contains("is after today"), "{}", stderr(&o));
}

/// A one-exhibit case in `t/case` (with a letter.md), and the whole tree of `t` as it is.
fn one_exhibit_case(t: &TempDir) -> Vec<(String, Vec<u8>)> {
    let case = t.join("case");
    std::fs::create_dir_all(&case).unwrap();
    write_case(
        &case,
        &case_toml(&[("docs/a.txt", "progress-note", "2025-09-01", "Note", "")]),
        &[("docs/a.txt", b"a note".to_vec()), ("letter.md", b"Please approve.".to_vec())],
    );
    tree(t.path())
}

/// Expects `redress ARGS` (run in `t`) to fail with exit 1 and each of `words` in its message,
/// without the system's wording or a temporary file's name, and `t` byte for byte as `before`.
fn refused_unchanged(t: &TempDir, args: &[&str], words: &[&str], before: &[(String, Vec<u8>)]) {
    let o = redress(t.path(), args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{args:?}: expected exit 1\n{err}");
    for w in words {
        assert!(err.contains(w), "{args:?}: expected {w:?} in:\n{err}");
    }
    assert!(!err.contains("os error") && !err.contains(".tmp"), "{args:?}: {err}");
    assert!(tree(t.path()) == before, "{args:?}: a file was changed, added or left behind: {:?}", names(&t.join("case")));
}

#[test]
fn build_out_onto_a_file_the_build_reads_is_refused_before_anything_is_written() {
    let t = TempDir::new("out-input");
    let before = one_exhibit_case(&t);
    let overwrite = "the packet would overwrite it";
    refused_unchanged(&t, &["build", "case", "--out", "case/case.toml"], &["case/case.toml is the case's case.toml", overwrite], &before);
    refused_unchanged(&t, &["build", "case", "--out", "case/letter.md"], &["case/letter.md is the case's letter.md", overwrite], &before);
    let exhibit = "is the file of exhibit 1 (docs/a.txt)";
    refused_unchanged(&t, &["build", "case", "--out", "case/docs/a.txt"], &[exhibit, overwrite, "another file"], &before);
    // The same files by other paths: through `..`, and a hard link outside the folder.
    std::fs::create_dir(t.join("case/x")).unwrap();
    let before = tree(t.path());
    refused_unchanged(&t, &["build", "case", "--out", "./case/x/../case.toml"], &["the case's case.toml", overwrite], &before);
    std::fs::hard_link(t.join("case/docs/a.txt"), t.join("linked.txt")).unwrap();
    let before = tree(t.path());
    let other_name = "(the same file under another name)";
    refused_unchanged(&t, &["build", "case", "--out", "linked.txt"], &["linked.txt", exhibit, other_name, overwrite], &before);
}

#[cfg(unix)]
#[test]
fn an_exhibit_that_is_the_packet_or_one_of_its_volumes_is_refused_not_read_and_overwritten() {
    let t = TempDir::new("out-exhibit");
    one_exhibit_case(&t);
    ok(&redress(t.path(), &["build", "case"]));
    // The last packet made an exhibit under the default output's name, then a volume's.
    let with = |file: &str| {
        case_toml(&[("docs/a.txt", "progress-note", "2025-09-01", "Note", ""), (file, "other", "2025-09-02", "Old packet", "")])
    };
    std::fs::write(t.join("case/case.toml"), with("packet.pdf")).unwrap();
    let before = tree(t.path());
    let exhibit = "case/packet.pdf is the file of exhibit 2 (packet.pdf)";
    refused_unchanged(&t, &["build", "case"], &[exhibit, "the packet would overwrite it"], &before);
    std::fs::rename(t.join("case/packet.pdf"), t.join("case/packet-vol1-of-2.pdf")).unwrap();
    std::fs::write(t.join("case/case.toml"), with("packet-vol1-of-2.pdf")).unwrap();
    let before = tree(t.path());
    let volume = ["case/packet-vol1-of-2.pdf is the file of exhibit 2 (packet-vol1-of-2.pdf)", "writes its volumes"];
    refused_unchanged(&t, &["build", "case"], &volume, &before);
    refused_unchanged(&t, &["build", "case", "--max-pages", "3"], &volume, &before);
    // A link in the folder to the packet is the packet too.
    std::fs::rename(t.join("case/packet-vol1-of-2.pdf"), t.join("case/packet.pdf")).unwrap();
    std::os::unix::fs::symlink("../packet.pdf", t.join("case/docs/old.pdf")).unwrap();
    std::fs::write(t.join("case/case.toml"), with("docs/old.pdf")).unwrap();
    let before = tree(t.path());
    let linked = ["case/packet.pdf is the file of exhibit 2 (docs/old.pdf) (the same file under another name)"];
    refused_unchanged(&t, &["build", "case"], &linked, &before);
    // Written elsewhere, the old packet is an exhibit like any other.
    ok(&redress(t.path(), &["build", "case", "--out", "new.pdf"]));
}

#[test]
fn build_out_naming_a_folder_says_so_in_one_sentence() {
    let t = TempDir::new("out-folder");
    one_exhibit_case(&t);
    std::fs::create_dir(t.join("outdir")).unwrap();
    let before = tree(t.path());
    refused_unchanged(&t, &["build", "case", "--out", "outdir"], &["outdir names a folder", "such as outdir/packet.pdf"], &before);
    refused_unchanged(&t, &["build", "case", "--out", "outdir/"], &["outdir/ names a folder", "such as outdir/packet.pdf"], &before);
    refused_unchanged(&t, &["build", "case", "--out", "case/case.toml/p.pdf"], &["case/case.toml is a file, not a folder"], &before);
}

#[test]
fn a_file_given_as_the_case_folder_is_told_to_give_the_folder() {
    let t = TempDir::new("file-as-folder");
    one_exhibit_case(&t);
    std::fs::copy(t.join("case/case.toml"), t.join("base.toml")).unwrap();
    let before = tree(t.path());
    let words = ["base.toml: is a file, not a case folder", "give the case folder"];
    for cmd in ["check", "build", "import", "deadlines"] {
        refused_unchanged(&t, &[cmd, "base.toml"], &words, &before);
    }
    refused_unchanged(
        &t,
        &["check", "case/case.toml"],
        &["case/case.toml: is a file, not a case folder", "give its folder, case"],
        &before,
    );
    // A file whose name could be a case id is told of the same way, not looked up as one.
    std::fs::copy(t.join("base.toml"), t.join("smith")).unwrap();
    let before = tree(t.path());
    refused_unchanged(&t, &["build", "smith"], &["smith: is a file, not a case folder"], &before);
}

#[cfg(unix)]
/// Runs the real binary in `dir` as an unprivileged user: as itself when it is not root, and
/// as `nobody` through `setpriv` when it is (root writes into any folder, so the test would
/// test nothing).
fn redress_unprivileged(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_redress");
    let mut c = match rustix::process::geteuid().is_root() {
        false => std::process::Command::new(bin),
        true => {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
            c
        }
    };
    let o = c.args(args).current_dir(dir).env("SOURCE_DATE_EPOCH", "1767225600").env("TZ", "America/Chicago").output();
    o.unwrap_or_else(|e| panic!("running as root, the test needs setpriv to run redress as an unprivileged user: {e}"))
}

#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_written_to_names_the_file_asked_for_and_suggests_out() {
    use std::os::unix::fs::PermissionsExt;
    let t = TempDir::new("read-only");
    one_exhibit_case(&t);
    let mode = |p: &std::path::Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    // Readable by anyone (the unprivileged user included), writable by nobody.
    for dir in [t.path(), &t.join("case/docs")] {
        mode(dir, 0o755);
    }
    mode(&t.join("case"), 0o555);
    let before = tree(t.path());
    let check = |args: &[&str], words: &[&str]| {
        let o = redress_unprivileged(t.path(), args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: expected exit 1\n{err}");
        for w in words {
            assert!(err.contains(w), "{args:?}: expected {w:?} in:\n{err}");
        }
        assert!(!err.contains("os error") && !err.contains(".tmp"), "{args:?}: {err}");
        assert!(tree(t.path()) == before, "{args:?}: a file was changed, added or left behind");
    };
    let folder = "the folder case cannot be written to (permission denied)";
    check(&["build", "case"], &["cannot write case/packet.pdf", folder, "--out"]);
    // The other writes that go through the same atomic writer say the same.
    check(&["deadlines", "case", "--ics", "case/deadlines.ics"], &["cannot write case/deadlines.ics", folder]);
    mode(&t.join("case"), 0o755);
}
