//! A letter cites exhibits by id (`{{exhibit:oximetry}}`) and the packet writes their numbers and
//! Bates pages, checked against the stamps pdftotext reads back from the built packet.

use crate::util::*;
use redress::demo::fixtures;

const LETTER: &str = "The overnight oximetry ({{exhibit:oximetry}}) shows desaturation.\n\n\
The order is at {{exhibit:order}}; the denial at {{exhibit:denial}} closes the record.\n";

/// A case whose exhibits are dated by `dates` (oximetry, order, denial): a 3-page PDF, a
/// one-page note and a 2-page PDF, each with words of its own on every page.
fn case(dir: &std::path::Path, dates: [&str; 3]) {
    let toml = case_toml(&[
        ("oximetry.pdf", "oxygen-log", dates[0], "Overnight oximetry", "id = \"oximetry\""),
        ("order.txt", "physician-order", dates[1], "Signed order", "id = \"order\""),
        ("denial.pdf", "denial-letter", dates[2], "Denial notice", "id = \"denial\""),
    ]);
    let docs = vec![
        ("oximetry.pdf", fixtures::text_pdf(&["OXIMETRY-ONE", "OXIMETRY-TWO", "OXIMETRY-THREE"])),
        ("order.txt", b"ORDER-TEXT signed by the physician".to_vec()),
        ("denial.pdf", fixtures::text_pdf(&["DENIAL-ONE", "DENIAL-TWO"])),
    ];
    write_case(dir, &toml, &docs);
    std::fs::write(dir.join("letter.md"), LETTER).unwrap();
}

/// What the letter says of the exhibit before `after` in the packet's text: `Exhibit N` and
/// its first and last Bates numbers (the same when it cites one page).
fn cited(texts: &[String], before: &str) -> (usize, usize, usize) {
    let letter = texts.iter().find(|t| t.contains("shows desaturation")).expect("the letter's page");
    let flat = letter.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = flat.find(before).unwrap_or_else(|| panic!("{before:?} in {flat}"));
    let start = flat[..at].rfind("Exhibit ").unwrap();
    let cite = &flat[start..at];
    let number: usize = cite["Exhibit ".len()..].split(',').next().unwrap().parse().unwrap();
    let bates: Vec<usize> =
        cite.split("SMITH-").skip(1).map(|s| s.chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()).collect();
    assert!(cite.contains(if bates.len() == 1 { ", page SMITH-" } else { ", pages SMITH-" }), "{cite}");
    (number, bates[0], *bates.last().unwrap())
}

/// The page (1-based) whose stamp carries `bates`.
pub fn page_stamped(texts: &[String], bates: usize) -> usize {
    // The stamp ends "Page 6 of 12 · SMITH-000006"; the letter citing it says "pages SMITH-…".
    let want = format!(" · SMITH-{bates:06}");
    let pages: Vec<usize> = texts.iter().enumerate().filter(|(_, t)| t.contains(&want)).map(|(i, _)| i + 1).collect();
    assert_eq!(pages.len(), 1, "{want} stamps exactly one page");
    pages[0]
}

/// Checks that the exhibit cited before `before` is exhibit `number` and its own pages.
fn assert_cites(texts: &[String], before: &str, number: usize, words: &[&str]) {
    assert_range(texts, cited(texts, before), number, words);
}

/// Checks that a citation (`Exhibit n`, first and last Bates number) is exhibit `number` and
/// its own pages: right after its separator, each page holding its words, and nothing outside.
pub fn assert_range(texts: &[String], (n, first, last): (usize, usize, usize), number: usize, words: &[&str]) {
    assert_eq!(n, number, "the number of the exhibit cited");
    let (first, last) = (page_stamped(texts, first), page_stamped(texts, last));
    assert!(texts[first - 2].contains(&format!("Exhibit {number}")), "the separator of exhibit {number} is just before page {first}");
    assert_eq!(last - first + 1, words.len(), "exhibit {number} has {} pages of its own", words.len());
    for (page, word) in (first..=last).zip(words) {
        assert!(texts[page - 1].contains(word), "page {page} holds {word}");
    }
}

#[test]
fn a_letters_citations_follow_their_exhibits_through_a_reorder() {
    let t = TempDir::new("cite-reorder");
    case(t.path(), ["2025-09-01", "2025-09-02", "2025-09-03"]);
    build_json(t.path());
    let texts = page_texts(&t.join("packet.pdf"));
    assert_cites(&texts, "shows desaturation", 1, &["OXIMETRY-ONE", "OXIMETRY-TWO", "OXIMETRY-THREE"]);
    assert_cites(&texts, "; the denial", 2, &["ORDER-TEXT"]);
    assert_cites(&texts, " closes the record", 3, &["DENIAL-ONE", "DENIAL-TWO"]);
    assert!(!texts.iter().any(|p| p.contains("{{exhibit:")), "every citation is written out");

    // The denial now comes first and the oximetry last: every number and page moves with them.
    case(t.path(), ["2025-09-05", "2025-09-02", "2025-08-20"]);
    build_json(t.path());
    let texts = page_texts(&t.join("packet.pdf"));
    assert_cites(&texts, "shows desaturation", 3, &["OXIMETRY-ONE", "OXIMETRY-TWO", "OXIMETRY-THREE"]);
    assert_cites(&texts, "; the denial", 2, &["ORDER-TEXT"]);
    assert_cites(&texts, " closes the record", 1, &["DENIAL-ONE", "DENIAL-TWO"]);
}

#[test]
fn a_citation_of_an_id_no_exhibit_has_fails_check_and_build_naming_it() {
    let t = TempDir::new("cite-dangling");
    case(t.path(), ["2025-09-01", "2025-09-02", "2025-09-03"]);
    std::fs::write(t.join("letter.md"), "See {{exhibit:oximetry}} and {{exhibit:walk-test}}.\n").unwrap();
    for cmd in ["check", "build"] {
        let o = redress(t.path(), &[cmd, "."]);
        assert_eq!(o.status.code(), Some(1), "{cmd}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("letter.md: {{exhibit:walk-test}}: cites the exhibit \"walk-test\", but no exhibit has that id"),
            "{cmd}: {err}"
        );
        assert!(err.contains("denial, oximetry, order") || err.contains("oximetry, order, denial"), "the ids there are: {err}");
        assert!(!err.contains("\"oximetry\""), "a good citation is not a problem: {err}");
    }
    assert!(!t.join("packet.pdf").exists(), "nothing is built");
}

#[test]
fn an_exhibit_id_is_checked_for_its_form_and_that_it_is_unique() {
    let t = TempDir::new("cite-ids");
    let toml = case_toml(&[
        ("a.txt", "physician-order", "2025-09-01", "Order", "id = \"Oximetry Report\""),
        ("b.txt", "progress-note", "2025-09-02", "Note", "id = \"note\""),
        ("c.txt", "progress-note", "2025-09-03", "Note again", "id = \"note\""),
    ]);
    let docs: Vec<(&str, Vec<u8>)> = ["a.txt", "b.txt", "c.txt"].iter().map(|f| (*f, b"text".to_vec())).collect();
    write_case(t.path(), &toml, &docs);
    let o = redress(t.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("case.toml: exhibit 1 (a.txt): id: `Oximetry Report` must be up to 40 lowercase letters, digits or hyphens"),
        "{err}"
    );
    assert!(
        err.contains("case.toml: exhibit 3 (c.txt): id: \"note\" is already the id of exhibit 2 (b.txt); each exhibit's id must be unique"),
        "{err}"
    );
}

#[test]
fn the_demo_letter_cites_its_exhibits_by_id_and_its_cover_counts_what_the_plan_missed() {
    let t = TempDir::new("cite-demo");
    redress::demo::write_demo(&t.join("case"), chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    let r = build_json(&t.join("case"));
    let texts = page_texts(&t.join("case/packet.pdf"));
    let letter = r["sections"].as_array().unwrap().iter().find(|s| s["kind"] == "letter").unwrap();
    // The letter runs over several pages: its citations are looked for on all of them.
    let first = letter["first_page"].as_u64().unwrap() as usize;
    let letter =
        texts[first - 1..first - 1 + letter["pages"].as_u64().unwrap() as usize].join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    for e in r["exhibits"].as_array().unwrap() {
        let (number, first, pages) = (e["number"].as_u64().unwrap(), e["first_page"].as_u64().unwrap(), e["pages"].as_u64().unwrap());
        let cite = if pages == 2 {
            format!("Exhibit {number}, page HAYES-{:06}", first + 1)
        } else {
            format!("Exhibit {number}, pages HAYES-{:06}–HAYES-{:06}", first + 1, first + pages - 1)
        };
        assert!(letter.contains(&cite), "{cite} in {letter}");
        assert!(texts[first as usize].contains(&format!(" · HAYES-{:06}", first + 1)), "the stamp of its first own page");
    }
    // The promise of the first call passed with nothing. The prior-authorization request was
    // faxed on 2025-12-04, under the 14-day clock of requests made before 2026 (42 CFR
    // 422.568(b)(1)), due 2025-12-18; the denial came on 2025-12-20.
    assert!(texts[0].contains("1 promised date missed; decision made 2 days late"), "{}", texts[0]);
}
