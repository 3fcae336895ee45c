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
    assert_eq!(&kinds[..first_exhibit], &["cover", "contents", "timeline", "letter", "charts"]);
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
    assert_eq!(top_titles, ["Cover", "Contents", "Timeline", "Letter", "Clinical charts", "Exhibits", "Manifest"]);
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

/// The PDF with `annot` added to its first page's annotations.
fn with_annotation(pdf: &[u8], annot: lopdf::Dictionary) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(pdf).unwrap();
    let page = doc.page_iter().next().unwrap();
    let id = doc.add_object(annot);
    doc.get_dictionary_mut(page).unwrap().set("Annots", vec![lopdf::Object::Reference(id)]);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn annotation(subtype: &str, rect: [i64; 4]) -> lopdf::Dictionary {
    let mut a = lopdf::Dictionary::new();
    a.set("Type", lopdf::Object::Name(b"Annot".to_vec()));
    a.set("Subtype", lopdf::Object::Name(subtype.as_bytes().to_vec()));
    a.set("Rect", rect.iter().map(|&v| lopdf::Object::Integer(v)).collect::<Vec<_>>());
    a.set("F", 4);
    a
}

/// The rectangles of the annotations on a page (1-based) of a PDF.
fn annotation_rects(pdf: &std::path::Path, page: usize) -> Vec<[f64; 4]> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let id = doc.page_iter().nth(page - 1).unwrap();
    let annots = match doc.get_dictionary(id).unwrap().get(b"Annots") {
        Ok(a) => doc.dereference(a).unwrap().1.as_array().unwrap().clone(),
        Err(_) => return Vec::new(),
    };
    annots
        .iter()
        .map(|a| {
            let d = doc.dereference(a).unwrap().1.as_dict().unwrap();
            let r: Vec<f64> = d.get(b"Rect").unwrap().as_array().unwrap().iter().map(|n| n.as_float().unwrap() as f64).collect();
            [r[0], r[1], r[2], r[3]]
        })
        .collect()
}

#[test]
fn an_annotation_on_a_shrunk_page_moves_and_shrinks_with_its_content() {
    let t = TempDir::new("annot-moved");
    let src = with_annotation(&fixtures::full_bleed_pdf(), annotation("Link", [100, 0, 300, 20]));
    write_case(t.path(), &case_toml(&[("bleed.pdf", "progress-note", "2025-09-01", "Full bleed", "")]), &[("bleed.pdf", src)]);
    let r = build_json(t.path());
    let page = r["exhibits"][0]["first_page"].as_u64().unwrap() as usize + 1;
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    let rects = annotation_rects(&pdf, page);
    assert_eq!(rects.len(), 1);
    // The content is drawn scaled by s about the page's centre, above the 30 pt band.
    let s = (792.0 - 30.0) / 792.0;
    let dx = (612.0 - s * 612.0) / 2.0;
    let want = [s * 100.0 + dx, 30.0, s * 300.0 + dx, s * 20.0 + 30.0];
    for (got, expected) in rects[0].iter().zip(want) {
        assert!((got - expected).abs() < 0.01, "{:?} is not {want:?}", rects[0]);
    }
}

#[test]
fn an_annotation_in_the_bottom_band_makes_room_for_the_stamp() {
    let t = TempDir::new("annot-band");
    let text = fixtures::text_pdf(&["Plenty of margin below this line of text."]);
    let mut field = annotation("Widget", [50, 5, 250, 25]);
    field.set("FT", lopdf::Object::Name(b"Sig".to_vec()));
    let src = with_annotation(&text, field);
    write_case(t.path(), &case_toml(&[("signed.pdf", "progress-note", "2025-09-01", "Signed", "")]), &[("signed.pdf", src)]);
    let r = build_json(t.path());
    let page = r["exhibits"][0]["first_page"].as_u64().unwrap() as usize + 1;
    let pdf = t.join("packet.pdf");
    let rects = annotation_rects(&pdf, page);
    assert!(rects[0][1] >= 30.0 - 0.01, "the signature field sits under the stamp: {:?}", rects[0]);
    let (_, y) = first_word_box(&pdf, page);
    let (_, y0) = first_word_box(&t.join("signed.pdf"), 1);
    assert!((y - y0).abs() > 0.5, "the page was shrunk with its field ({y0} → {y})");
}

#[test]
fn xmp_metadata_of_images_inside_exhibit_pdfs_is_left_out() {
    use lopdf::{Dictionary, Object, Stream};
    let t = TempDir::new("xmp");
    let mut doc = lopdf::Document::load_mem(&fixtures::text_pdf(&["A scanned form"])).unwrap();
    let xmp = |who: &str| {
        Stream::new(
            Dictionary::from_iter([("Type", Object::Name(b"Metadata".to_vec())), ("Subtype", Object::Name(b"XML".to_vec()))]),
            format!("<x:xmpmeta><dc:creator>{who}</dc:creator></x:xmpmeta>").into_bytes(),
        )
    };
    let image_xmp = doc.add_object(xmp("IMAGE-AUTHOR-MARKER"));
    let page_xmp = doc.add_object(xmp("PAGE-AUTHOR-MARKER"));
    let mut img = Dictionary::new();
    img.set("Type", Object::Name(b"XObject".to_vec()));
    img.set("Subtype", Object::Name(b"Image".to_vec()));
    img.set("Width", 1);
    img.set("Height", 1);
    img.set("ColorSpace", Object::Name(b"DeviceGray".to_vec()));
    img.set("BitsPerComponent", 8);
    img.set("Metadata", Object::Reference(image_xmp));
    let img = doc.add_object(Stream::new(img, vec![128]));
    let page = doc.page_iter().next().unwrap();
    let res = doc.get_dictionary(page).unwrap().get(b"Resources").unwrap().clone();
    let res = match res {
        Object::Reference(id) => doc.get_dictionary_mut(id).unwrap(),
        _ => doc.get_dictionary_mut(page).unwrap().get_mut(b"Resources").unwrap().as_dict_mut().unwrap(),
    };
    res.set("XObject", Dictionary::from_iter([("Im9", Object::Reference(img))]));
    doc.get_dictionary_mut(page).unwrap().set("Metadata", Object::Reference(page_xmp));
    let mut src = Vec::new();
    doc.save_to(&mut src).unwrap();
    assert!(src.windows(19).any(|w| w == b"IMAGE-AUTHOR-MARKER"));
    write_case(t.path(), &case_toml(&[("form.pdf", "progress-note", "2025-09-01", "Form", "")]), &[("form.pdf", src)]);
    build_json(t.path());
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    let packet = std::fs::read(&pdf).unwrap();
    for marker in [&b"IMAGE-AUTHOR-MARKER"[..], b"PAGE-AUTHOR-MARKER", b"xmpmeta"] {
        assert!(!packet.windows(marker.len()).any(|w| w == marker), "{} is in the packet", String::from_utf8_lossy(marker));
    }
    // The image itself is still there.
    let doc = lopdf::Document::load(&pdf).unwrap();
    let images = doc
        .objects
        .values()
        .filter(|o| matches!(o, Object::Stream(s) if s.dict.get(b"Subtype").ok().and_then(|n| n.as_name().ok()) == Some(b"Image")))
        .count();
    assert_eq!(images, 1);
}

#[test]
fn a_size_budget_on_a_case_without_photos_fails_at_once() {
    let t = TempDir::new("budget-no-photos");
    write_case(
        t.path(),
        &case_toml(&[("a.txt", "progress-note", "2025-09-01", "Note", ""), ("b.pdf", "progress-note", "2025-09-02", "Scan", "")]),
        &[("a.txt", b"hello".to_vec()), ("b.pdf", fixtures::text_pdf(&["one", "two"]))],
    );
    let folder = redress::casefile::load(t.path()).unwrap();
    let attempts = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = attempts.clone();
    let now = chrono::NaiveDate::from_ymd_opt(2025, 9, 20).unwrap().and_hms_opt(9, 0, 0).unwrap();
    let opts = redress::packet::BuildOptions {
        max_bytes: Some(1000),
        // Each attempt reports its first exhibit once.
        progress: Some(std::sync::Arc::new(move |p: &redress::packet::Progress| {
            if p.done == 0 {
                seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        })),
        ..redress::packet::BuildOptions::new(now, now.and_utc(), chrono_tz::America::Chicago)
    };
    let e = redress::packet::build(&folder, &opts).unwrap_err().to_string();
    assert!(e.contains("cannot fit in 1 KB") && e.contains("at the readable floor") && e.contains("still be about"), "{e}");
    assert_eq!(attempts.load(std::sync::atomic::Ordering::Relaxed), 1, "built once: the estimate says no step could fit");
    assert!(!t.join("packet.pdf").exists());
}

#[test]
fn a_png_screenshot_stays_lossless_while_photos_can_still_shrink() {
    use lopdf::Object;
    let t = TempDir::new("budget-png");
    write_case(
        t.path(),
        &case_toml(&[
            ("photo.jpg", "wound-photo", "2025-09-01", "Photo", ""),
            ("portal.png", "other", "2025-09-02", "Portal screenshot", ""),
        ]),
        &[("photo.jpg", fixtures::jpeg_plain(3000, 2000, 7)), ("portal.png", fixtures::png_rgb(400, 300))],
    );
    let full = build_json(t.path())["bytes"].as_u64().unwrap();
    let budget = full * 9 / 10;
    let o = redress(t.path(), &["build", ".", "--json", "--out", "small.pdf", "--max-bytes", &budget.to_string()]);
    ok(&o);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(r["bytes"].as_u64().unwrap() <= budget);
    let doc = lopdf::Document::load(t.join("small.pdf")).unwrap();
    let filters: Vec<(i64, String)> = doc
        .objects
        .values()
        .filter_map(|o| match o {
            Object::Stream(s) if s.dict.get(b"Subtype").ok().and_then(|n| n.as_name().ok()) == Some(b"Image") => Some((
                s.dict.get(b"Width").unwrap().as_i64().unwrap(),
                String::from_utf8_lossy(s.dict.get(b"Filter").unwrap().as_name().unwrap()).into_owned(),
            )),
            _ => None,
        })
        .collect();
    assert!(filters.contains(&(400, "FlateDecode".to_string())), "the screenshot is kept lossless: {filters:?}");
    assert!(filters.iter().any(|(w, f)| *w < 3000 && f == "DCTDecode"), "the photo was downsampled: {filters:?}");
}

#[test]
fn a_character_no_font_has_is_named_and_a_real_question_mark_still_copies_as_one() {
    let t = TempDir::new("missing-glyph");
    let toml = case_toml(&[("a.txt", "progress-note", "2025-09-01", "Note 漢字", "")])
        .replace("title = \"Home oxygen authorization denial\"", "title = \"Why was home oxygen denied?\"");
    write_case(t.path(), &toml, &[("a.txt", b"hello".to_vec())]);
    let r = build_json(t.path());
    let warnings: Vec<&str> = r["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(
        warnings.iter().any(|w| w.starts_with("exhibit 1 (a.txt) title: ") && w.contains("漢 (U+6F22)") && w.contains("print as ?")),
        "{warnings:?}"
    );
    let texts = page_texts(&t.join("packet.pdf"));
    assert!(texts[0].contains("Why was home oxygen denied?"), "{}", texts[0]);
    assert!(!texts.iter().any(|p| p.contains('漢')), "a stand-in ? is copied as ?, never as the character it replaced");
}

#[test]
fn a_form_feed_in_a_text_exhibit_starts_a_new_page() {
    let t = TempDir::new("formfeed");
    let report = "LAB REPORT page one\nSpO2 86 %\n\u{c}LAB REPORT page two\nSpO2 91 %\n\u{c}\n";
    write_case(
        t.path(),
        &case_toml(&[("report.txt", "oxygen-log", "2025-09-01", "Lab report", "")]),
        &[("report.txt", report.as_bytes().to_vec())],
    );
    let r = build_json(t.path());
    assert_eq!(r["exhibits"][0]["pages"], 3, "its separator and one page per sheet, none blank after the last form feed");
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    let texts = page_texts(&pdf);
    let first = texts.iter().position(|p| p.contains("LAB REPORT page one")).expect("the first sheet");
    assert!(!texts[first].contains("page two"), "{}", texts[first]);
    assert!(texts[first + 1].contains("LAB REPORT page two") && texts[first + 1].contains("91 %"), "{}", texts[first + 1]);
}

/// An exhibit whose first page links to its third by a name its catalog's `/Names /Dests`
/// tree resolves, and to its second by a GoTo action naming an entry of the older `/Dests`
/// dictionary (through a dictionary with `/D`).
fn pdf_with_named_links() -> Vec<u8> {
    use lopdf::{dictionary, Object};
    let mut doc = lopdf::Document::load_mem(&fixtures::text_pdf(&["page one text", "page two text", "page three text"])).unwrap();
    let pages: Vec<lopdf::ObjectId> = doc.page_iter().collect();
    let fit = |p: lopdf::ObjectId| Object::Array(vec![p.into(), "Fit".into()]);
    let by_name = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Link", "Rect" => vec![50.into(), 600.into(), 300.into(), 620.into()],
        "Dest" => Object::string_literal("target3"),
    });
    let by_action = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Link", "Rect" => vec![50.into(), 500.into(), 300.into(), 520.into()],
        "A" => dictionary! { "S" => "GoTo", "D" => "second" },
    });
    doc.get_dictionary_mut(pages[0]).unwrap().set("Annots", vec![by_name.into(), by_action.into()]);
    let leaf = doc.add_object(dictionary! { "Names" => vec![Object::string_literal("target3"), fit(pages[2])], "Limits" => vec![Object::string_literal("target3"), Object::string_literal("target3")] });
    let catalog = doc.catalog_mut().unwrap();
    catalog.set("Names", dictionary! { "Dests" => dictionary! { "Kids" => vec![leaf.into()] } });
    catalog.set("Dests", dictionary! { "second" => dictionary! { "D" => fit(pages[1]) } });
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// The page (1-based) each link annotation of a packet page goes to, `None` for one that
/// goes nowhere the packet holds.
fn link_targets(pdf: &std::path::Path, page: usize) -> Vec<Option<usize>> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let numbers: std::collections::HashMap<lopdf::ObjectId, usize> = doc.page_iter().enumerate().map(|(i, id)| (id, i + 1)).collect();
    let id = doc.page_iter().nth(page - 1).unwrap();
    let Ok(annots) = doc.get_dictionary(id).unwrap().get(b"Annots") else { return Vec::new() };
    let annots = doc.dereference(annots).unwrap().1.as_array().unwrap().clone();
    let link = |d: &lopdf::Dictionary| d.get(b"Subtype").unwrap().as_name().unwrap() == b"Link";
    let dest = |d: &lopdf::Dictionary| match d.get(b"Dest") {
        Ok(dest) => Some(dest.clone()),
        Err(_) => d.get(b"A").ok().map(|a| doc.dereference(a).unwrap().1.as_dict().unwrap().get(b"D").unwrap().clone()),
    };
    annots
        .iter()
        .map(|a| doc.dereference(a).unwrap().1.as_dict().unwrap())
        .filter(|d| link(d))
        .map(|d| dest(d).and_then(|d| d.as_array().ok()?.first()?.as_reference().ok()).and_then(|p| numbers.get(&p).copied()))
        .collect()
}

#[test]
fn links_to_named_destinations_go_to_their_pages_in_the_packet_and_links_to_pages_left_out_are_dropped() {
    let t = TempDir::new("named-dests");
    write_case(
        t.path(),
        &case_toml(&[
            ("links.pdf", "progress-note", "2025-09-01", "Linked", ""),
            ("links.pdf", "progress-note", "2025-09-02", "First page only", "pages = \"1\""),
        ]),
        &[("links.pdf", pdf_with_named_links())],
    );
    let r = build_json(t.path());
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    // Exhibit pages follow its separator.
    let first = r["exhibits"][0]["first_page"].as_u64().unwrap() as usize + 1;
    assert_eq!(link_targets(&pdf, first), [Some(first + 2), Some(first + 1)], "to page three by name, to page two by an action");
    let only = r["exhibits"][1]["first_page"].as_u64().unwrap() as usize + 1;
    assert_eq!(link_targets(&pdf, only), [], "both links lead to pages left out");
}
