//! The coverage-criteria checklist through the real binary: `check` prints it (gaps and
//! contradictions never fail), `check --json` carries it, an unknown `meets` is refused naming
//! the exhibit, and `build --checklist` adds its page, read back with pdftotext.

use crate::util::*;
use redress::demo::fixtures;

/// A home-oxygen case: an oximetry log, a signed order, a progress note; SpO2 readings at rest
/// on room air given by `spo2` (percent each), and `meets` on the oximetry log.
fn case(dir: &std::path::Path, spo2: &[f64], meets: &str) {
    let mut toml = case_toml(&[
        ("oximetry.pdf", "oxygen-log", "2025-09-02", "Overnight oximetry", &format!("id = \"oximetry\"\n{meets}")),
        ("order.txt", "physician-order", "2025-09-04", "Signed order", ""),
        ("note.txt", "progress-note", "2025-09-03", "Pulmonary visit", "id = \"visit\""),
    ])
    .replacen("urgency = \"standard\"\n", "urgency = \"standard\"\nservice = \"home-oxygen\"\ndiagnoses = [\"J44.1\"]\n", 1);
    for (i, p) in spo2.iter().enumerate() {
        toml.push_str(&format!("\n[[spo2]]\nat = \"2025-09-02T0{i}:30\"\npercent = {p}\nactivity = \"rest\"\n"));
    }
    let docs = vec![
        ("oximetry.pdf", fixtures::text_pdf(&["OXIMETRY-ONE", "OXIMETRY-TWO", "OXIMETRY-THREE"])),
        ("order.txt", b"ORDER signed by the physician".to_vec()),
        ("note.txt", b"Seen today; oximetry reviewed.".to_vec()),
    ];
    write_case(dir, &toml, &docs);
}

#[test]
fn check_prints_the_checklist_and_a_contradiction_is_no_failure() {
    let t = TempDir::new("checklist-check");
    case(t.path(), &[91.0, 90.0], "");
    let o = redress(t.path(), &["check", "."]);
    ok(&o);
    let out = stdout(&o);
    assert!(out.contains("Coverage criteria: home oxygen (2 of 6 met; 3 gaps; 1 contradicted)"), "{out}");
    assert!(out.contains("  Contradicted A qualifying blood gas study"), "{out}");
    assert!(out.contains("every SpO2 on room air (2) is above 88 %: the lowest is 90 % at rest on room air, 2025-09-02"), "{out}");
    assert!(out.contains("  Gap          Proof of delivery"), "{out}");
    assert!(out.contains("  Met          A standard written order"), "{out}");
    // Every item's citation is printed.
    for item in redress::checklist::checklist(redress::model::Service::HomeOxygen) {
        assert!(out.contains(&format!("[{}]", item.citation)), "{} missing from\n{out}", item.citation);
    }

    let o = redress(t.path(), &["check", ".", "--json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let items = v["checklist"]["items"].as_array().unwrap();
    assert_eq!(v["checklist"]["service"], "home-oxygen");
    assert_eq!(items[0]["id"], "oxygen-qualifying-test");
    assert_eq!(items[0]["status"], "contradicted");
    assert_eq!(items[0]["citation"], "LCD L33797, Group I criteria 1, 2 and 4");
}

#[test]
fn meets_naming_no_item_is_refused_naming_the_exhibit_and_the_id() {
    let t = TempDir::new("checklist-meets");
    case(t.path(), &[86.0], "meets = [\"oxygen-qualifying-tset\"]");
    let o = redress(t.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("exhibit 1 (oximetry.pdf): meets") && err.contains("`oxygen-qualifying-tset` is not a checklist item"), "{err}");
}

#[test]
fn build_checklist_adds_the_coverage_page_with_bates_pages_and_citations() {
    let t = TempDir::new("checklist-build");
    case(t.path(), &[86.0], "meets = [\"oxygen-practitioner-evaluation\"]");
    let o = redress(t.path(), &["build", ".", "--checklist", "--json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let section = v["sections"].as_array().unwrap().iter().find(|s| s["kind"] == "checklist").expect("a checklist section");
    let page = section["first_page"].as_u64().unwrap() as usize;
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    let texts = page_texts(&pdf);
    let pages = section["pages"].as_u64().unwrap() as usize;
    let text = texts[page - 1..page - 1 + pages].join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.starts_with("Coverage criteria Home oxygen: 5 of 6 met; 1 gap"), "{text}");
    // The oximetry log's own pages, without its separator: Exhibit 1 opens the body.
    let oximetry = &v["exhibits"][0];
    let first = oximetry["first_page"].as_u64().unwrap();
    let last = first + oximetry["pages"].as_u64().unwrap() - 1;
    let cite = format!("Exhibit 1, pages SMITH-{:06}–SMITH-{last:06}: Overnight oximetry", first + 1);
    assert!(text.contains(&cite), "{cite} not in {text}");
    // The stamp on those pages agrees.
    assert!(texts[first as usize].contains(&format!("SMITH-{:06}", first + 1)) && texts[first as usize].contains("OXIMETRY-ONE"));
    for word in ["Met A qualifying blood gas study", "Gap Proof of delivery", "(stated)", "NCD 240.2 §B", "42 CFR 424.57(c)(12)"] {
        assert!(text.contains(word), "{word} not in {text}");
    }

    // Off by default: no such page, and the packet one page shorter or more.
    let o = redress(t.path(), &["build", ".", "--json"]);
    ok(&o);
    let v2: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v2["sections"].as_array().unwrap().iter().all(|s| s["kind"] != "checklist"));
    assert!(v2["pages"].as_u64() < v["pages"].as_u64());
    assert!(!page_texts(&pdf).iter().any(|p| p.contains("What a reviewer looks for")));
}
