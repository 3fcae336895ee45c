use super::*;

const GOOD: &str = r#"
[case]
kind = "provider-appeal"
title = "Home oxygen authorization denial"
program = "medicare-advantage"
urgency = "standard"
notice_date = 2025-09-10
reference = "CCX-2025-0142"
diagnoses = ["J44.1", "R09.02"]
procedures = ["E1390"]

[member]
name = "John Smith"
dob = "1945-01-23"
member_id = "XJH123456789"
payer = "Acme Health Plan"

[provider]
npi = "1234567893"

[[exhibit]]
file = "docs/order.pdf"
kind = "physician-order"
date = "2025-09-01"
title = "Signed order"
pages = "1-2"

[[event]]
at = "2025-09-03T10:15"
kind = "call"
summary = "Called plan"
promised = "2025-09-05T17:00"

[[spo2]]
at = "2025-09-02T08:00"
percent = 86
activity = "rest"
"#;

#[test]
fn a_good_case_parses() {
    let c = parse(GOOD).unwrap();
    assert_eq!(c.info.program, Program::MedicareAdvantage);
    assert_eq!(c.member.dob, NaiveDate::from_ymd_opt(1945, 1, 23).unwrap());
    assert_eq!(c.exhibits[0].pages.as_ref().unwrap().ranges, vec![(1, 2)]);
    assert_eq!(c.events[0].promised.unwrap().to_string(), "2025-09-05T17:00");
    assert_eq!(c.spo2[0].oxygen_lpm, 0.0);
    assert_eq!(c.bates_prefix(), "SMITH");
}

#[test]
fn every_problem_is_reported_at_once_with_its_key() {
    let bad = GOOD
        .replace("dob = \"1945-01-23\"", "dob = \"1945-02-30\"")
        .replace("kind = \"physician-order\"", "kind = \"prescription\"")
        .replace("\"1234567893\"", "\"1234567890\"")
        .replace("\"E1390\"", "\"E13\"")
        .replace("\"J44.1\"", "\"44.1\"")
        .replace("pages = \"1-2\"", "pages = \"2-1\"")
        .replace("percent = 86", "percent = 186");
    let Err(Error::Invalid(problems)) = parse(&bad) else { panic!("expected problems") };
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    let expect = [
        "case.toml: member.dob: is not a date: its month has no such day",
        "case.toml: exhibit 1 (docs/order.pdf): kind: unknown kind `prescription`",
        "case.toml: provider.npi: `1234567890` is not a valid NPI: fails its check digit",
        "case.toml: case.procedures: `E13` cannot be a HCPCS/CPT code",
        "case.toml: case.diagnoses: `44.1` cannot be a ICD-10-CM code",
        "case.toml: exhibit 1 (docs/order.pdf): pages: `2-1` is not a page selection",
        "case.toml: spo2 1: percent: 186 is out of range",
    ];
    for e in expect {
        assert!(text.iter().any(|t| t.starts_with(e)), "missing {e:?} in {text:#?}");
    }
    assert_eq!(text.len(), expect.len(), "{text:#?}");
}

#[test]
fn missing_tables_and_keys_are_named() {
    let Err(Error::Invalid(p)) = parse("[case]\nkind = \"provider-appeal\"\n") else { panic!() };
    let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
    assert!(text.contains(&"case.toml: case.title: missing (required)".to_string()), "{text:#?}");
    assert!(text.iter().any(|t| t.starts_with("case.toml: member: missing table")), "{text:#?}");
}

#[test]
fn toml_syntax_errors_give_the_line() {
    let Err(Error::Invalid(p)) = parse("[case]\nkind = \n") else { panic!() };
    assert_eq!(p[0].location, "line 2");
}

/// A fresh folder for a case, removed with what it holds when the first is dropped.
fn folder(tag: &str) -> (crate::atomic::TempDir, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("redress-casefile-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    (crate::atomic::TempDir::create(&dir).unwrap(), dir)
}

/// The one problem a case.toml gets when `from` in GOOD is written `to`.
fn problem_with(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from}");
    match parse(&GOOD.replacen(from, to, 1)) {
        Err(Error::Invalid(p)) if p.len() == 1 => p[0].to_string(),
        other => panic!("expected one problem, got {other:?}"),
    }
}

#[test]
fn syntax_errors_are_said_in_a_persons_words_at_their_line() {
    let title = "title = \"Home oxygen authorization denial\"";
    let cases = [
        // A quote not closed, on its own line or as """ on the line it opened.
        (title, "title = \"Home oxygen", "case.toml: line 4: the text started with \" is not closed: end it with \" on the same line"),
        (title, "title = \"\"\"Home oxygen", "case.toml: line 4: the text started with \"\"\" is not closed: end it with \"\"\""),
        // A control character inside quotes, by its code.
        (title, "title = \"Home\u{0}oxygen\"", "case.toml: line 4: a control character (0x00) inside quotes: delete it (most editors do not show it)"),
        // A key set twice: the key, its table and the line it was first set on.
        (title, "title = \"A\"\ntitle = \"B\"", "case.toml: line 5: `title` is set twice in [case] (first on line 4)"),
        ("kind = \"physician-order\"", "kind = \"physician-order\"\nkind = \"other\"", "case.toml: line 24: `kind` is set twice in exhibit 1 (first on line 23)"),
        ("[provider]", "[case]", "case.toml: line 18: [case] is written twice (first on line 2): put all its keys under one [case]"),
        // A missing `=`, a table name not written as one.
        (title, "title \"Home\"", "case.toml: line 4: `=` is missing after `title`: write title = and its value"),
        ("[member]", "[member", "case.toml: line 12: `[member` is not a table name as TOML writes it: write [member]"),
        ("[member]", "member]", "case.toml: line 12: `member]` is not a table name as TOML writes it: write [member]"),
        ("[[exhibit]]", "[[exhibit]", "case.toml: line 21: `[[exhibit]` is not a table name as TOML writes it: write [[exhibit]]"),
        // A quote inside the text, curly quotes, a bare value, a Windows path inside "…".
        (title, "title = \"Home \"oxygen\" denial\"", "case.toml: line 4: `oxygen\" denial\"` follows the text's closing quote: a quote inside the text is written \\\""),
        ("kind = \"provider-appeal\"", "kind = “provider-appeal”", "case.toml: line 3: “provider-appeal” is in curly quotes: write straight ones, kind = \"provider-appeal\""),
        ("kind = \"provider-appeal\"", "kind = provider-appeal", "case.toml: line 3: `provider-appeal` must be in quotes: kind = \"provider-appeal\""),
        ("\"R09.02\"", "R09.02", "case.toml: line 9: `R09.02` must be in quotes: \"R09.02\""),
        ("percent = 86", "percent = 86,", "case.toml: line 36: `,` follows the value: a line holds one key = value (a comment starts with #)"),
        ("\"docs/order.pdf\"", "\"docs\\order.pdf\"", "case.toml: line 22: `\\o`: a backslash inside \"…\" starts an escape: write paths with / (such as docs/note.pdf), and a backslash itself as \\\\"),
        // A TOML date that does not exist, said as a quoted one is; a date of birth not repeated.
        ("notice_date = 2025-09-10", "notice_date = 2026-02-30", "case.toml: line 7: `2026-02-30` is not a date: February 2026 has no day 30"),
        ("dob = \"1945-01-23\"", "dob = 1945-13-23", "case.toml: line 14: is not a date: its month is not one of 01 to 12"),
    ];
    for (from, to, want) in cases {
        assert_eq!(problem_with(from, to), want, "{to}");
    }
    // The rare rest keeps the parser's words, at its line.
    assert_eq!(
        problem_with("percent = 86", "percent = +0x56"),
        "case.toml: line 36: integers with a radix cannot be signed, expected nothing"
    );
}

#[test]
fn no_cut_or_stray_quote_makes_the_syntax_errors_panic() {
    let good = format!("{GOOD}notes = \"\"\"\nsome\n\"\"\"\n[[exhibit]]\nfile = 'a\\b'\n");
    for (i, c) in good.char_indices() {
        let cut = &good[..i];
        let without = format!("{}{}", &good[..i], &good[i + c.len_utf8()..]);
        for mark in ["\"", "'", "[", "]", "=", "\\", "\u{0}", "“"] {
            let _ = parse(&format!("{}{mark}{}", &good[..i], &good[i..]));
        }
        let (_, _) = (parse(cut), parse(&without));
    }
}

#[test]
fn every_date_says_why_it_is_not_one_the_same_way() {
    let cases = [
        (
            "notice_date = 2025-09-10",
            "notice_date = \"2026-02-30\"",
            "case.toml: case.notice_date: `2026-02-30` is not a date: February 2026 has no day 30",
        ),
        (
            "date = \"2025-09-01\"",
            "date = \"2026-13-01\"",
            "case.toml: exhibit 1 (docs/order.pdf): date: `2026-13-01` is not a date: there is no month 13 (months are 01 to 12)",
        ),
        (
            "at = \"2025-09-03T10:15\"",
            "at = \"2025-02-29T10:15\"",
            "case.toml: event 1: at: `2025-02-29T10:15` is not a date or time: February 2025 has no day 29",
        ),
        (
            "notice_date = 2025-09-10",
            "notice_date = \"3/2/26\"",
            "case.toml: case.notice_date: `3/2/26` is not a date: write it as YYYY-MM-DD, such as 2025-09-10",
        ),
        // A date of birth is never repeated: what is wrong with it is said without it.
        ("dob = \"1945-01-23\"", "dob = \"1945-02-30\"", "case.toml: member.dob: is not a date: its month has no such day"),
        (
            "dob = \"1945-01-23\"",
            "dob = \"23/01/1945\"",
            "case.toml: member.dob: is not a date: write it as YYYY-MM-DD, such as 1950-04-02",
        ),
    ];
    for (from, to, want) in cases {
        assert_eq!(problem_with(from, to), want, "{to}");
    }
}

#[test]
fn an_empty_file_path_is_one_problem() {
    assert_eq!(
        problem_with("file = \"docs/order.pdf\"", "file = \"\""),
        "case.toml: exhibit 1: file: is empty: give the document's path inside the case folder"
    );
    // Read from the folder too: the empty path is not also looked for as a file.
    let (_keep, dir) = folder("empty-path");
    std::fs::write(dir.join(CASE_FILE), GOOD.replace("file = \"docs/order.pdf\"", "file = \" \"")).unwrap();
    let Err(Error::Invalid(p)) = load(&dir) else { panic!() };
    let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
    assert_eq!(text, ["case.toml: exhibit 1: file: is empty: give the document's path inside the case folder"]);
}

#[test]
fn a_path_written_with_backslashes_is_named_with_the_one_to_write() {
    let (_keep, dir) = folder("backslash");
    std::fs::create_dir(dir.join("docs")).unwrap();
    std::fs::write(dir.join("docs/order.pdf"), b"%PDF-1.4\n").unwrap();
    std::fs::write(dir.join("docs/new.pdf"), b"%PDF-1.4\n").unwrap();
    let problem = |file: &str| {
        std::fs::write(dir.join(CASE_FILE), GOOD.replace("file = \"docs/order.pdf\"", &format!("file = {file}"))).unwrap();
        let Err(Error::Invalid(p)) = load(&dir) else { panic!("{file}") };
        p.iter().map(|p| p.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(
        problem("\"docs\\\\order.pdf\""),
        ["case.toml: exhibit 1 (docs\\order.pdf): file not found: write the path as docs/order.pdf, with / (case.toml's paths use / on every system)"]
    );
    assert_eq!(problem("'docs\\order.pdf'")[0], problem("\"docs\\\\order.pdf\"")[0], "a literal string says the same");
    // `\n` inside "…" is a line break: the path meant is still found.
    assert!(problem("\"docs\\new.pdf\"")[0]
        .ends_with("file not found: write the path as docs/new.pdf, with / (case.toml's paths use / on every system)"));
    assert_eq!(
        problem("\"docs\\\\gone.pdf\""),
        ["case.toml: exhibit 1 (docs\\gone.pdf): file not found (case.toml's paths are written with /, such as docs/note.pdf)"]
    );
    assert_eq!(problem("\"docs/gone.pdf\""), ["case.toml: exhibit 1 (docs/gone.pdf): file not found"]);
}

#[test]
fn a_case_file_in_utf16_reads_and_other_bytes_are_named() {
    let (_keep, dir) = folder("utf16");
    std::fs::create_dir(dir.join("docs")).unwrap();
    std::fs::write(dir.join("docs/order.pdf"), b"%PDF-1.4\n").unwrap();
    // Windows Notepad's "Unicode": UTF-16, little-endian, with its byte order mark.
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(GOOD.replace('\n', "\r\n").encode_utf16().flat_map(u16::to_le_bytes)).collect();
    std::fs::write(dir.join(CASE_FILE), utf16).unwrap();
    assert_eq!(load(&dir).unwrap().case, parse(GOOD).unwrap());
    let mut latin1 = GOOD.replace("title = \"Home oxygen", "title = \"Caf\u{e9} oxygen").into_bytes();
    let at = latin1.windows(2).position(|w| w == "é".as_bytes()).unwrap();
    latin1.splice(at..at + 2, [0xE9]);
    std::fs::write(dir.join(CASE_FILE), latin1).unwrap();
    let Err(Error::Invalid(p)) = load(&dir) else { panic!() };
    assert_eq!(p[0].to_string(), "case.toml: line 4: byte 0xE9 (é in Windows-1252) is not UTF-8: save the file as UTF-8");
}

#[test]
fn contract_program_needs_days() {
    let bad = GOOD.replace("program = \"medicare-advantage\"", "program = \"contract\"");
    let Err(Error::Invalid(p)) = parse(&bad) else { panic!() };
    assert!(p[0].to_string().contains("case.contract_days: required"), "{p:?}");
}

#[test]
fn writing_and_reading_back_keeps_every_field() {
    let c = parse(GOOD).unwrap();
    let again = parse(&to_toml(&c)).unwrap();
    assert_eq!(format!("{c:?}"), format!("{again:?}"));
}

#[test]
fn a_case_round_trips_through_its_document() {
    let dir = std::env::temp_dir().join(format!("redress-doc-{}", std::process::id()));
    let folder = crate::demo::write_demo(&dir, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    let case = super::load(&folder).unwrap().case;
    let doc = CaseDoc::from_case(&case);
    assert_eq!(doc.member.name, "Walter Hayes");
    let again = doc.to_case().unwrap();
    assert_eq!(to_toml(&case), to_toml(&again));
    assert_eq!(case, again, "the model comes back exactly");
    let json = serde_json::to_string(&doc).unwrap();
    let back: CaseDoc = serde_json::from_str(&json).unwrap();
    assert_eq!(back, doc);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn form_errors_name_the_same_keys_as_case_toml() {
    let mut doc = CaseDoc::default();
    doc.case.kind = "provider-appeal".into();
    doc.case.title = "T".into();
    doc.case.program = "erisa".into();
    doc.case.urgency = "standard".into();
    doc.case.notice_date = "2025-13-01".into();
    doc.case.reference = Some("  ".into());
    doc.member = MemberDoc { name: "A B".into(), dob: "1950-01-01".into(), member_id: "1".into(), payer: "P".into(), phone: None };
    doc.provider = Some(ProviderDoc { npi: Some("1234567890".into()), ..Default::default() });
    let Err(Error::Invalid(p)) = doc.to_case() else { panic!() };
    let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
    assert!(text.iter().any(|t| t.contains("case.notice_date")), "{text:?}");
    assert!(text.iter().any(|t| t.contains("provider.npi")), "{text:?}");
    assert_eq!(text.len(), 2, "{text:?}");
}

#[test]
fn every_key_case_toml_accepts_is_a_key_of_the_one_shape() {
    // An unknown key is named with the keys the table does accept, from the shape itself.
    let bad = GOOD.replace("[member]\n", "[member]\nemail = \"x@example.org\"\n");
    let Err(Error::Invalid(p)) = parse(&bad) else { panic!() };
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].location, "member.email");
    assert_eq!(p[0].message, format!("unknown key (expected one of: {})", MemberDoc::KEYS.join(", ")));
}

#[test]
fn values_of_the_wrong_type_are_named_once_with_what_the_key_holds() {
    let bad = GOOD.replace("notice_date = 2025-09-10", "notice_date = 20250910").replace("percent = 86", "percent = \"86\"");
    let Err(Error::Invalid(p)) = parse(&bad) else { panic!() };
    let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        text,
        [
            "case.toml: case.notice_date: must be a date such as 2025-09-10, not a whole number",
            "case.toml: spo2 1: percent: must be a number, not text"
        ],
        "{text:#?}"
    );
}

#[test]
fn writing_a_case_back_gives_the_same_text_as_before_the_one_shape() {
    // Pinned from the hand-written writer this shape replaced: the packet's file identifier is
    // derived from this text, so it must not move.
    let c = parse(GOOD).unwrap();
    let want = "[case]\ndiagnoses = [\"J44.1\", \"R09.02\"]\nkind = \"provider-appeal\"\nnotice_date = \"2025-09-10\"\nprocedures = [\"E1390\"]\nprogram = \"medicare-advantage\"\nreference = \"CCX-2025-0142\"\ntitle = \"Home oxygen authorization denial\"\nurgency = \"standard\"\n\n[[event]]\nat = \"2025-09-03T10:15\"\nkind = \"call\"\npromised = \"2025-09-05T17:00\"\nsummary = \"Called plan\"\n\n[[exhibit]]\ndate = \"2025-09-01\"\nfile = \"docs/order.pdf\"\nkind = \"physician-order\"\npages = \"1-2\"\ntitle = \"Signed order\"\n\n[member]\ndob = \"1945-01-23\"\nmember_id = \"XJH123456789\"\nname = \"John Smith\"\npayer = \"Acme Health Plan\"\n\n[provider]\nnpi = \"1234567893\"\n\n[[spo2]]\nactivity = \"rest\"\nat = \"2025-09-02T08:00\"\noxygen_lpm = 0\npercent = 86\n";
    assert_eq!(to_toml(&c), want);
}

#[test]
fn nesting_past_the_parsers_depth_is_named_in_a_persons_words() {
    for deep in [format!("x = {}1{}", "[".repeat(1000), "]".repeat(1000)), format!("{} = 1", vec!["a"; 10_000].join("."))] {
        let message = parse(&format!("{GOOD}\n[deep]\n{deep}\n")).unwrap_err().to_string();
        assert!(message.contains("nests arrays, tables or dotted keys too deeply") && !message.contains("recurs"), "{message}");
    }
}
