//! The packet as a whole: sections, order, stamps, links, bookmarks, determinism.

use crate::util::*;
use redress::demo::fixtures;

/// The demo case, built once per test that needs it.
fn demo(tag: &str) -> (TempDir, serde_json::Value) {
    let t = TempDir::new(tag);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    redress::demo::write_demo(&t.join("case"), today).unwrap();
    let report = build_json(&t.join("case"));
    (t, report)
}

#[test]
fn demo_packet_is_valid_and_its_sections_come_in_order() {
    let (t, r) = demo("sections");
    let pdf = t.join("case/packet.pdf");
    qpdf_check(&pdf);
    let pages = page_count(&pdf);
    assert_eq!(r["pages"].as_u64().unwrap() as usize, pages);
    assert_eq!(r["bytes"].as_u64().unwrap(), std::fs::metadata(&pdf).unwrap().len());
    let sha = sha256_hex(&std::fs::read(&pdf).unwrap());
    assert_eq!(r["sha256"].as_str().unwrap(), sha);

    let kinds: Vec<&str> = r["sections"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    let first_exhibit = kinds.iter().position(|k| *k == "exhibit").unwrap();
    assert_eq!(&kinds[..first_exhibit], &["cover", "contents", "timeline", "letter"]);
    assert_eq!(kinds.last(), Some(&"manifest"));
    // Sections tile the packet: each starts where the previous ended.
    let mut next = 1;
    for s in r["sections"].as_array().unwrap() {
        assert_eq!(s["first_page"].as_u64().unwrap(), next, "{s}");
        next += s["pages"].as_u64().unwrap();
    }
    assert_eq!(next as usize - 1, pages);

    let texts = page_texts(&pdf);
    assert_eq!(texts.len(), pages);
    assert!(texts[0].contains("Request for Reconsideration"), "{}", texts[0]);
    assert!(texts[0].contains("MAH4417730921"));
    assert!(texts[0].contains("42 CFR 422.582(b)"), "the cover names the rule of the deadline:\n{}", texts[0]);
    assert!(texts[1].contains("Contents"));
    assert!(texts[2].contains("Timeline"));
    assert!(texts[2].contains("MISSED"), "a passed promise with no delivery is marked missed");
}

#[test]
fn every_page_carries_the_stamp_with_a_running_bates_number() {
    let (t, r) = demo("stamp");
    let pdf = t.join("case/packet.pdf");
    let texts = page_texts(&pdf);
    let n = r["pages"].as_u64().unwrap() as usize;
    for (i, text) in texts.iter().enumerate() {
        let page = i + 1;
        let want = format!("Page {page} of {n} · HAYES-{page:06}");
        assert!(text.contains(&want), "page {page} lacks `{want}`:\n{text}");
        assert!(text.contains("Hayes, W · DOB 03/14/1947 · ID MAH4417730921"), "page {page}");
    }
}

#[test]
fn exhibits_are_in_date_order_with_ties_in_the_order_given() {
    let t = TempDir::new("order");
    let toml = case_toml(&[
        ("c.txt", "progress-note", "2025-09-12", "Third by date", ""),
        ("a.txt", "physician-order", "2025-09-01", "First by date", ""),
        ("b1.txt", "correspondence", "2025-09-05", "Tie one", ""),
        ("b2.txt", "correspondence", "2025-09-05", "Tie two", ""),
    ]);
    let docs: Vec<(&str, Vec<u8>)> =
        ["c.txt", "a.txt", "b1.txt", "b2.txt"].iter().map(|f| (*f, format!("note {f}").into_bytes())).collect();
    write_case(t.path(), &toml, &docs);
    let r = build_json(t.path());
    let titles: Vec<&str> = r["exhibits"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["First by date", "Tie one", "Tie two", "Third by date"]);
    let texts = page_texts(&t.join("packet.pdf"));
    for (n, e) in r["exhibits"].as_array().unwrap().iter().enumerate() {
        let page = e["first_page"].as_u64().unwrap() as usize;
        assert!(texts[page - 1].contains(&format!("Exhibit {}", n + 1)), "separator of exhibit {} on page {page}", n + 1);
        assert!(texts[page].contains(&format!("note {}", e["source"].as_str().unwrap())));
    }
}

#[test]
fn contents_lines_and_bookmarks_point_at_the_right_pages() {
    let (t, r) = demo("links");
    let doc = lopdf::Document::load(t.join("case/packet.pdf")).unwrap();
    let pages: Vec<lopdf::ObjectId> = doc.page_iter().collect();
    let page_no = |id: lopdf::ObjectId| pages.iter().position(|p| *p == id).unwrap() + 1;

    // Contents page: each exhibit's first page is the target of a link.
    let contents = r["sections"].as_array().unwrap().iter().find(|s| s["kind"] == "contents").unwrap();
    let cp = pages[contents["first_page"].as_u64().unwrap() as usize - 1];
    let annots = doc.get_dictionary(cp).unwrap().get(b"Annots").unwrap().as_array().unwrap();
    let targets: Vec<usize> = annots
        .iter()
        .map(|a| {
            let a = match a {
                lopdf::Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
                lopdf::Object::Dictionary(d) => d,
                _ => panic!(),
            };
            page_no(a.get(b"Dest").unwrap().as_array().unwrap()[0].as_reference().unwrap())
        })
        .collect();
    for e in r["exhibits"].as_array().unwrap() {
        let p = e["first_page"].as_u64().unwrap() as usize;
        assert!(targets.contains(&p), "no contents link to exhibit page {p}: {targets:?}");
    }

    // Bookmarks: top level mirrors the sections, exhibits nested under "Exhibits".
    let catalog = doc.catalog().unwrap();
    let outlines = doc.get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap()).unwrap();
    let mut item = outlines.get(b"First").unwrap().as_reference().ok();
    let mut top = Vec::new();
    let mut nested = Vec::new();
    while let Some(id) = item {
        let d = doc.get_dictionary(id).unwrap();
        let title = decode_text(d.get(b"Title").unwrap());
        let dest = page_no(d.get(b"Dest").unwrap().as_array().unwrap()[0].as_reference().unwrap());
        if title == "Exhibits" {
            let mut child = d.get(b"First").unwrap().as_reference().ok();
            while let Some(cid) = child {
                let c = doc.get_dictionary(cid).unwrap();
                nested.push((
                    decode_text(c.get(b"Title").unwrap()),
                    page_no(c.get(b"Dest").unwrap().as_array().unwrap()[0].as_reference().unwrap()),
                ));
                child = c.get(b"Next").ok().and_then(|n| n.as_reference().ok());
            }
        }
        top.push((title, dest));
        item = d.get(b"Next").ok().and_then(|n| n.as_reference().ok());
    }
    let top_titles: Vec<&str> = top.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(top_titles, ["Cover", "Contents", "Timeline", "Letter", "Exhibits", "Manifest"]);
    assert_eq!(top[0].1, 1);
    let exhibits = r["exhibits"].as_array().unwrap();
    assert_eq!(nested.len(), exhibits.len());
    for ((title, page), e) in nested.iter().zip(exhibits) {
        assert!(title.starts_with(&format!("Exhibit {}", e["number"])), "{title}");
        assert_eq!(*page as u64, e["first_page"].as_u64().unwrap());
    }
}

#[test]
fn same_case_and_source_date_epoch_give_identical_bytes() {
    let (t, _) = demo("determinism");
    let first = std::fs::read(t.join("case/packet.pdf")).unwrap();
    let o = redress(&t.join("case"), &["build", ".", "--out", "again.pdf"]);
    ok(&o);
    let second = std::fs::read(t.join("case/again.pdf")).unwrap();
    assert!(first == second, "two builds of the same case differ");
    // The info dictionary carries the fixed date.
    let info = pdfinfo(&t.join("case/packet.pdf"), &["-isodates"]);
    assert!(info.contains("2026-01-01T00:00:00"), "{info}");
}

#[test]
fn pdf_pages_keep_their_text_size_and_rotation() {
    let t = TempDir::new("pdfpages");
    let toml = case_toml(&[
        ("rot.pdf", "progress-note", "2025-09-01", "Rotated", ""),
        ("land.pdf", "progress-note", "2025-09-02", "Landscape", ""),
        ("inh.pdf", "progress-note", "2025-09-03", "Inherited", ""),
        ("objstm.pdf", "progress-note", "2025-09-04", "Object streams", ""),
        ("sel.pdf", "progress-note", "2025-09-05", "Selected", "pages = \"2-3,1\""),
    ]);
    write_case(
        t.path(),
        &toml,
        &[
            ("rot.pdf", fixtures::rotated_pdf(&["upright page", "turned page"], 1)),
            ("land.pdf", fixtures::landscape_pdf(&["wide page"])),
            ("inh.pdf", fixtures::inherited_pdf(&["inherited box"])),
            ("objstm.pdf", fixtures::object_streams_pdf(&["compressed objects"])),
            ("sel.pdf", fixtures::text_pdf(&["sel one", "sel two", "sel three", "sel four"])),
        ],
    );
    let r = build_json(t.path());
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    let first = |n: usize| r["exhibits"][n - 1]["first_page"].as_u64().unwrap() as usize;
    let info = pdfinfo(&pdf, &["-f", "1", "-l", "999"]);
    let page_line = |p: usize, what: &str| -> String {
        info.lines()
            .find(|l| l.starts_with(&format!("Page {p:>4} {what}")) || l.starts_with(&format!("Page {p} {what}")))
            .unwrap_or_else(|| panic!("no {what} for page {p}"))
            .to_string()
    };
    assert!(page_line(first(1) + 2, "rot").ends_with("90"), "{}", page_line(first(1) + 2, "rot"));
    assert!(page_line(first(2) + 1, "size").contains("792 x 612"));
    assert!(page_line(first(3) + 1, "size").contains("792 x 612"), "inherited MediaBox is resolved");
    assert!(page_line(first(3) + 1, "rot").ends_with("90"), "inherited Rotate is resolved");
    let texts = page_texts(&pdf);
    assert!(texts[first(4)].contains("compressed objects"));
    assert_eq!(r["exhibits"][4]["pages"], 4, "three selected pages and the separator");
    let sel = first(5);
    assert!(texts[sel].contains("sel two") && texts[sel + 1].contains("sel three") && texts[sel + 2].contains("sel one"));
    assert!(!texts.iter().any(|t| t.contains("sel four")));
}

#[test]
fn stamp_on_a_rotated_page_is_upright_at_its_visual_bottom() {
    let t = TempDir::new("rotstamp");
    write_case(
        t.path(),
        &case_toml(&[("rot.pdf", "progress-note", "2025-09-01", "Rotated", "")]),
        &[("rot.pdf", fixtures::rotated_pdf(&["turned page"], 0))],
    );
    let r = build_json(t.path());
    let page = r["exhibits"][0]["first_page"].as_u64().unwrap() as usize + 1;
    let img = render(&t.join("packet.pdf"), page, 40);
    assert!(img.width() > img.height(), "a /Rotate 90 portrait page shows landscape");
    // The stamp's blue ink lies in a wide, short band at the bottom of the page as seen.
    let (mut x0, mut x1, mut y0, mut y1) = (u32::MAX, 0, u32::MAX, 0);
    for (x, y, p) in img.enumerate_pixels() {
        if p[2] > 120 && p[0] < 90 && p[2] as i32 - p[0] as i32 > 80 {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
    }
    assert!(x1 > x0 && y1 >= y0, "no stamp ink found");
    assert!(y0 as f64 > img.height() as f64 * 0.9, "stamp ink starts at row {y0} of {}", img.height());
    assert!((x1 - x0) as f64 > img.width() as f64 * 0.5, "stamp is a wide line, not a vertical strip");
}

#[test]
fn page_with_no_free_margin_is_shrunk_above_the_stamp() {
    let t = TempDir::new("bleed");
    write_case(
        t.path(),
        &case_toml(&[("bleed.pdf", "progress-note", "2025-09-01", "Full bleed", "")]),
        &[("bleed.pdf", fixtures::full_bleed_pdf())],
    );
    let r = build_json(t.path());
    let page = r["exhibits"][0]["first_page"].as_u64().unwrap() as usize + 1;
    let pdf = t.join("packet.pdf");
    let texts = page_texts(&pdf);
    assert!(texts[page - 1].contains(fixtures::FULL_BLEED_BOTTOM_TEXT), "bottom-edge text is still there");
    // At 72 dpi the band is the bottom 30 rows: no black from the page's own content there.
    let img = render(&pdf, page, 72);
    let h = img.height();
    let dark = (h - 26..h).flat_map(|y| (0..img.width()).map(move |x| (x, y))).filter(|&(x, y)| {
        let p = img.get_pixel(x, y);
        p[0] < 40 && p[1] < 40 && p[2] < 40
    });
    assert_eq!(dark.count(), 0, "black page content reaches into the stamp band");
    // And the black content is there above it.
    let p = img.get_pixel(img.width() / 2, h / 2);
    assert!(p[0] < 40, "the page's own black fill is kept");
}

#[test]
fn text_and_markdown_exhibits_keep_clinical_characters() {
    let t = TempDir::new("chars");
    let note = "SpO₂ 86 % at rest; 2 L/min; ≤ 88 % ≥ 15 min; temp 36.8 °C ± 0.2; 5 µg; José Álvarez, RT\n\tindented line";
    write_case(
        t.path(),
        &case_toml(&[
            ("n.txt", "progress-note", "2025-09-01", "Text note", ""),
            ("m.md", "progress-note", "2025-09-02", "Markdown note", ""),
        ]),
        &[("n.txt", note.as_bytes().to_vec()), ("m.md", format!("# Heading\n\n**Bold** {note}\n\n- item one\n- item two\n").into_bytes())],
    );
    let r = build_json(t.path());
    let texts = page_texts(&t.join("packet.pdf"));
    for n in [1, 2] {
        let p = r["exhibits"][n - 1]["first_page"].as_u64().unwrap() as usize;
        let text = &texts[p];
        for s in ["SpO₂", "≤ 88", "≥ 15", "°C", "± 0.2", "µg", "José Álvarez"] {
            assert!(text.contains(s), "exhibit {n} lacks {s:?}:\n{text}");
        }
    }
    // Fonts are embedded subsets.
    let fonts = tool("pdffonts", &[t.join("packet.pdf").to_str().unwrap()]);
    let list = stdout(&fonts);
    assert!(list.lines().skip(2).all(|l| l.contains(" yes ")), "every font embedded:\n{list}");
}

#[test]
fn letter_md_replaces_the_template() {
    let t = TempDir::new("letter");
    write_case(
        t.path(),
        &case_toml(&[("n.txt", "progress-note", "2025-09-01", "Note", "")]),
        &[("n.txt", b"x".to_vec()), ("letter.md", b"Dear reviewer,\n\nOur **own** letter text.\n".to_vec())],
    );
    let r = build_json(t.path());
    let letter = r["sections"].as_array().unwrap().iter().find(|s| s["kind"] == "letter").unwrap();
    let texts = page_texts(&t.join("packet.pdf"));
    let page = &texts[letter["first_page"].as_u64().unwrap() as usize - 1];
    assert!(page.contains("Our own letter text."), "{page}");
    assert!(!page.contains("To the reviewer"));
}

#[test]
fn the_packet_carries_the_template_letter_the_app_previews() {
    // A provider appeal with a clinician and no organization or submitter: the clinician asks
    // and signs, with the NPI; the member is not made to request their own appeal.
    let t = TempDir::new("template-letter");
    let toml = case_toml(&[("n.txt", "progress-note", "2025-09-01", "Note", "")])
        .replace("[submitter]\nname = \"Jane Doe\"\n", "[provider]\nclinician = \"Dr. Ana Lee\"\nnpi = \"1234567893\"\n")
        .replace("denial_reason = \"Not medically necessary\"", "denial_reason = \"Not medically necessary.\"");
    write_case(t.path(), &toml, &[("n.txt", b"x".to_vec())]);
    let r = build_json(t.path());
    let letter = r["sections"].as_array().unwrap().iter().find(|s| s["kind"] == "letter").unwrap();
    let texts = page_texts(&t.join("packet.pdf"));
    let page = texts[letter["first_page"].as_u64().unwrap() as usize - 1].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(page.contains("On behalf of the member, Dr. Ana Lee requests"), "{page}");
    assert!(!page.contains("John Smith requests"), "{page}");
    assert!(page.contains("Dr. Ana Lee (NPI 1234567893)"), "{page}");
    assert!(page.contains("“Not medically necessary.” On behalf"), "{page}");
    assert!(!page.contains(".”."), "{page}");
}

#[test]
fn manifest_lists_the_sha256_of_every_source_file() {
    let (t, r) = demo("manifest");
    let texts = page_texts(&t.join("case/packet.pdf"));
    let manifest: String = texts[texts.len() - 1].clone();
    for e in r["exhibits"].as_array().unwrap() {
        let src = e["source"].as_str().unwrap();
        let sha = sha256_hex(&std::fs::read(t.join("case").join(src)).unwrap());
        assert_eq!(e["sha256"].as_str().unwrap(), sha);
        assert!(manifest.contains(&sha), "manifest lacks the hash of {src}");
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_text(o: &lopdf::Object) -> String {
    let b = o.as_str().unwrap();
    if b.starts_with(&[0xFE, 0xFF]) {
        let u: Vec<u16> = b[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&u)
    } else {
        String::from_utf8_lossy(b).into_owned()
    }
}

/// The position of the first word of a page, from `pdftotext -bbox`.
fn first_word_box(pdf: &std::path::Path, page: usize) -> (f64, f64) {
    let p = page.to_string();
    let o = tool("pdftotext", &["-bbox", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"]);
    let html = stdout(&o);
    let word = html.lines().find(|l| l.contains("<word")).expect("a word on the page");
    let attr = |name: &str| -> f64 {
        let at = word.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        word[at..].split('"').next().unwrap().parse().unwrap()
    };
    (attr("xMin"), attr("yMin"))
}

#[test]
fn pages_with_a_free_bottom_margin_are_not_shrunk() {
    let t = TempDir::new("margin");
    let src = fixtures::text_pdf(&["Plenty of margin below this line of text."]);
    write_case(
        t.path(),
        &case_toml(&[("m.pdf", "progress-note", "2025-09-01", "Margins", ""), ("b.pdf", "progress-note", "2025-09-02", "Bleed", "")]),
        &[("m.pdf", src), ("b.pdf", fixtures::full_bleed_pdf())],
    );
    let r = build_json(t.path());
    let packet = t.join("packet.pdf");
    let page = r["exhibits"][0]["first_page"].as_u64().unwrap() as usize + 1;
    let (x, y) = first_word_box(&packet, page);
    let (x0, y0) = first_word_box(&t.join("m.pdf"), 1);
    assert!((x - x0).abs() < 0.05 && (y - y0).abs() < 0.05, "text moved from ({x0}, {y0}) to ({x}, {y})");
    let bleed = r["exhibits"][1]["first_page"].as_u64().unwrap() as usize + 1;
    let (bx, _) = first_word_box(&packet, bleed);
    let (bx0, _) = first_word_box(&t.join("b.pdf"), 1);
    assert!(bx > bx0 + 0.5, "the full-bleed page is shrunk towards its centre ({bx0} → {bx})");
}
