//! Destination profiles through the real binary: `redress profiles`, `build --profile` with the
//! built-ins and a person's own TOML file, and flags over a profile.

use crate::util::*;
use redress::demo::fixtures;

/// A small case of two notes: every page of it black and white in fax mode (until fax mode
/// converts exhibits' photos too, the photo case is not).
fn text_case(t: &TempDir) {
    write_case(
        t.path(),
        &case_toml(&[
            ("note.txt", "progress-note", "2025-09-01", "Note", ""),
            ("later.txt", "progress-note", "2025-09-05", "Later note", ""),
        ]),
        &[("note.txt", b"Seen today; oxygen needed at rest.".to_vec()), ("later.txt", b"Saturation 86 % at rest.".to_vec())],
    );
}

/// A small case: a note and two photos (a few hundred kilobytes).
fn small_case(t: &TempDir) {
    write_case(
        t.path(),
        &case_toml(&[
            ("note.txt", "progress-note", "2025-09-01", "Note", ""),
            ("one.jpg", "wound-photo", "2025-09-02", "Photo one", ""),
            ("two.jpg", "wound-photo", "2025-09-03", "Photo two", ""),
        ]),
        &[
            ("note.txt", b"Seen today; oxygen needed at rest.".to_vec()),
            ("one.jpg", fixtures::jpeg_plain(1200, 900, 3)),
            ("two.jpg", fixtures::jpeg_plain(1200, 900, 4)),
        ],
    );
}

/// The version `%PDF-x.y` the file declares.
fn header_version(pdf: &std::path::Path) -> redress::packet::profile::PdfVersion {
    redress::packet::profile::PdfVersion::of_file(&std::fs::read(pdf).unwrap()).expect("a PDF header")
}

/// Pages whose rendering has a coloured pixel.
fn coloured_pages(pdf: &std::path::Path) -> Vec<usize> {
    (1..=page_count(pdf))
        .filter(|&page| render(pdf, page, 20).pixels().any(|p| p.0.iter().max().unwrap() - p.0.iter().min().unwrap() > 40))
        .collect()
}

#[test]
fn profiles_lists_each_with_what_it_enforces() {
    let t = TempDir::new("profiles-list");
    let o = redress(t.path(), &["profiles"]);
    ok(&o);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "portal-10mb    An upload portal taking 10 MB a file (some state insurance departments' complaint portals)");
    assert_eq!(lines[1], "               at most 10.0 MB a file; colour; safe file names (A-Z a-z 0-9 . _ -); PDF 1.7 or older");
    assert_eq!(
        lines[3],
        "               at most 60.0 MB a file; at most 10 files; at most 150.0 MB in all; colour; safe file names (A-Z a-z 0-9 . _ -); PDF 1.7 or older"
    );
    assert_eq!(lines[5], "               at most 200 pages a file; black and white (fax mode: 1-bit pages, a fax cover sheet)");
    assert_eq!(lines[7], "               no size or page limit; colour");
    assert!(lines[8].starts_with("court-25mb "), "{text}");
    let own = t.join("profiles.toml");
    assert_eq!(lines[11], format!("Your own profiles go in {} (none yet; the format is in docs/profiles.md).", own.display()));

    // A person's own, beside the database, listed after the built-ins.
    std::fs::write(&own, "[profile.state-doi]\ndescription = \"State complaint portal\"\nmax_bytes = \"5MB\"\nmax_files = 3\n").unwrap();
    let o = redress(t.path(), &["profiles", "--json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> = v.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["portal-10mb", "portal-60mb", "fax", "print", "court-25mb", "state-doi"]);
    let mine = &v[5];
    assert_eq!(mine["max_bytes"], 5_000_000);
    assert_eq!(mine["max_files"], 3);
    assert_eq!(mine["source"], own.display().to_string());
    assert_eq!(mine["enforces"], serde_json::json!(["at most 5.0 MB a file", "at most 3 files", "colour"]));
    assert_eq!(v[1]["max_total_bytes"], 150_000_000);
    assert_eq!(v[1]["pdf_version"], "1.7");
    assert_eq!(v[2]["colour"], "black-and-white");

    // A broken file: exit 1, each problem with the file, the key and what is wrong.
    std::fs::write(&own, "[profile.state-doi]\nmax_bytes = \"5 parsecs\"\nmax_pagse = 10\n").unwrap();
    let o = redress(t.path(), &["profiles"]);
    assert_eq!(o.status.code(), Some(1));
    let f = own.display();
    assert_eq!(
        stderr(&o),
        format!(
            "error: the profile cannot be used (2 problems):\n  {f}: profile.state-doi.max_pagse: unknown key (expected one of: description, max_bytes, max_pages, max_files, max_total_bytes, fax, safe_names, pdf_version, colour)\n  {f}: profile.state-doi.max_bytes: \"5 parsecs\" is not a size (write for example \"10MB\", \"500KB\" or \"20MiB\")\n"
        )
    );
}

#[test]
fn build_profile_names_a_builtin_a_file_or_an_own_profile() {
    let t = TempDir::new("profiles-find");
    text_case(&t);
    let o = redress(t.path(), &["build", ".", "--profile", "portal-5mb"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "error: no profile `portal-5mb` (the profiles are: portal-10mb, portal-60mb, fax, print, court-25mb)\n");
    assert!(!t.join("packet.pdf").exists());

    // A file of two profiles is not one profile.
    std::fs::write(t.join("two.toml"), "[profile.a]\nmax_pages = 5\n[profile.b]\nfax = true\n").unwrap();
    let o = redress(t.path(), &["build", ".", "--profile", "two.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: the profile cannot be used (1 problem):\n  two.toml: holds 2 profiles (a, b): a file given as the profile must hold one; keep several in your own profiles file and choose one by name\n"
    );
    // A missing file is named.
    let o = redress(t.path(), &["build", ".", "--profile", "nowhere.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: nowhere.toml: "), "{}", stderr(&o));
    // Kept beside the database, chosen by name.
    std::fs::write(t.join("profiles.toml"), "[profile.tiny]\nfax = true\n").unwrap();
    let r = build_json_with(t.path(), &["--profile", "tiny"]);
    assert!(r["output"].as_str().unwrap().ends_with("packet.pdf"));
    assert!(coloured_pages(&t.join("packet.pdf")).is_empty());
}

/// The size a budget is measured against: the packet built without one.
fn full_size(t: &TempDir) -> u64 {
    build_json_with(t.path(), &["--out", "full.pdf"])["bytes"].as_u64().unwrap()
}

#[test]
fn a_profiles_size_limit_and_the_flags_over_it_are_kept() {
    let t = TempDir::new("profiles-budget");
    small_case(&t);
    let full = full_size(&t);
    // Each portal and court built-in keeps to its size and to its PDF version.
    for name in ["portal-10mb", "portal-60mb", "court-25mb"] {
        let out = format!("{name}.pdf");
        let r = build_json_with(t.path(), &["--profile", name, "--out", &out]);
        let limit = redress::packet::profile::builtin(name).unwrap();
        for v in r["volumes"].as_array().unwrap() {
            assert!(v["bytes"].as_u64().unwrap() <= limit.max_bytes.unwrap(), "{name}: {v}");
        }
        assert!(header_version(&t.join(&out)) <= limit.pdf_version.unwrap(), "{name}");
        qpdf_check(&t.join(&out));
    }
    // A profile of one's own whose budget nothing meets: the build is refused for its budget,
    // and nothing is written…
    std::fs::write(t.join("tiny.toml"), "[profile.tiny]\nmax_bytes = \"1KB\"\nsafe_names = true\n").unwrap();
    let o = redress(t.path(), &["build", ".", "--profile", "tiny.toml", "--out", "tiny.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: the packet cannot fit in 1 KB"), "{}", stderr(&o));
    assert!(!t.join("tiny.pdf").exists());
    // …unless --max-bytes says otherwise: the flag wins over the profile.
    let r = build_json_with(t.path(), &["--profile", "tiny.toml", "--max-bytes", &full.to_string(), "--out", "roomy.pdf"]);
    assert!(r["bytes"].as_u64().unwrap() <= full);
    qpdf_check(&t.join("roomy.pdf"));
}

#[test]
fn the_fax_and_print_profiles_colour_as_they_say() {
    let t = TempDir::new("profiles-fax");
    text_case(&t);
    let fax = build_json_with(t.path(), &["--profile", "fax", "--out", "fax.pdf"]);
    let pdf = t.join("fax.pdf");
    assert_eq!(coloured_pages(&pdf), Vec::<usize>::new(), "every page black and white");
    for v in fax["volumes"].as_array().unwrap() {
        assert!(v["pages"].as_u64().unwrap() <= 200, "{v}");
    }
    // Print keeps colour (the generated pages' accents)…
    build_json_with(t.path(), &["--profile", "print", "--out", "print.pdf"]);
    assert!(!coloured_pages(&t.join("print.pdf")).is_empty());
    // …unless --fax says otherwise.
    build_json_with(t.path(), &["--profile", "print", "--fax", "--out", "print-fax.pdf"]);
    assert!(coloured_pages(&t.join("print-fax.pdf")).is_empty());
    // --max-pages and --fax-to are taken (what they do is the volumes' and the cover sheet's).
    build_json_with(t.path(), &["--profile", "fax", "--max-pages", "150", "--fax-to", "Appeals unit, 555-0199", "--out", "fax2.pdf"]);
    assert_eq!(redress(t.path(), &["build", ".", "--max-pages", "0"]).status.code(), Some(2));
}
