use super::content::{rewrite, Resolver, Space};
use super::*;
use image::Luma;

fn text(ops: &[u8]) -> String {
    String::from_utf8_lossy(&rewrite(ops, &Resolver::default()).ops).into_owned()
}

#[test]
fn colours_are_set_again_black_or_white_just_before_they_paint() {
    let out = text(b"0.05 0.27 0.52 rg BT /F1 9 Tf (Dark blue) Tj ET 0.94 0.95 0.97 rg 1 2 3 4 re f 0 0 0 1 k 5 6 7 8 re f");
    assert_eq!(out, " BT /F1 9 Tf 0 g\n(Dark blue) Tj ET\n1 g\n 1 2 3 4 re f\n0 g\n 5 6 7 8 re f");
    // Nothing painted: nothing set.
    assert_eq!(text(b"1 0 0 RG 0.5 g"), "");
    // A mid-grey box goes white, so the black text printed on it still reads; mid-grey text
    // stays black.
    let out = text(b"0.7 g 0 0 100 20 re f 0.7 g BT (on it) Tj ET");
    assert_eq!(out, "1 g\n 0 0 100 20 re f BT 0 g\n(on it) Tj ET");
}

#[test]
fn text_strings_arrays_and_inline_data_are_copied_as_they_are() {
    let ops = b"BT [(1 0 0 rg) 3 (Tj)] TJ (a \\) 1 g) Tj ET % 1 0 0 rg comment\n<< /K 1 g >> BDC EMC";
    assert_eq!(text(ops), String::from_utf8_lossy(ops));
}

#[test]
fn a_colour_space_set_with_cs_reads_its_components() {
    let mut r = Resolver::default();
    r.spaces.insert(b"Spot".to_vec(), Space::Tint);
    r.spaces.insert(b"Pal".to_vec(), Space::Indexed(vec![0.0, 0.95]));
    let out = rewrite(
        b"/Spot cs 0.1 scn 0 0 1 1 re f /Pal cs 1 sc 0 0 1 1 re f /Pal cs 0 sc 0 0 1 1 re f /X CS 0.9 0.9 0.9 SC 0 0 m 1 1 l S",
        &r,
    );
    let out = String::from_utf8(out.ops).unwrap();
    // A light tint, the palette's light colour, its dark one, a light grey line.
    assert_eq!(out, "1 g\n 0 0 1 1 re f 0 0 1 1 re f\n0 g\n 0 0 1 1 re f\n1 G\n 0 0 m 1 1 l S");
}

#[test]
fn saves_and_restores_keep_what_was_set() {
    let out = text(b"0 g q 1 g 0 0 1 1 re f Q 0 0 1 1 re f");
    assert_eq!(out, " q\n1 g\n 0 0 1 1 re f Q\n0 g\n 0 0 1 1 re f");
}

#[test]
fn a_light_fill_is_said_to_fade_and_paper_white_is_not() {
    assert!(rewrite(b"1 1 0 rg 0 0 100 10 re f 0 g BT (marked) Tj ET", &Resolver::default()).faded, "a highlighter band");
    assert!(!rewrite(b"1 1 1 rg 0 0 100 10 re f 0 g BT (plain) Tj ET", &Resolver::default()).faded);
}

#[test]
fn shadings_are_made_solid_or_left_out() {
    let mut r = Resolver::default();
    r.shadings.insert(b"Dark".to_vec(), 0.2);
    r.shadings.insert(b"Pale".to_vec(), 0.9);
    let out = rewrite(b"q 0 0 10 10 re W n /Dark sh Q q /Pale sh Q", &r);
    let s = String::from_utf8(out.ops).unwrap();
    assert!(s.contains("q 0 g -16000 -16000 32000 32000 re f Q") && !s.contains("sh"), "{s}");
    assert!(out.faded);
}

#[test]
fn a_fax_picture_is_drawn_on_white_paper_and_an_inline_image_becomes_one() {
    let mut r = Resolver::default();
    r.pictures.insert(b"Im1".to_vec());
    let out = String::from_utf8(rewrite(b"1 g q 10 0 0 10 0 0 cm /Im1 Do Q /Form Do", &r).ops).unwrap();
    // A form inherits the colour asked for.
    assert_eq!(out, " q 10 0 0 10 0 0 cm 1 g 0 0 1 1 re f 0 g\n/Im1 Do Q 1 g\n/Form Do");
    let mut ops = b"q BI /W 2 /H 1 /CS /RGB /BPC 8 ID ".to_vec();
    ops.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
    ops.extend_from_slice(b"\nEI Q 0 0 1 1 re f");
    let done = rewrite(&ops, &Resolver::default());
    let s = String::from_utf8_lossy(&done.ops);
    assert!(s.contains("/IM true /F /CCF") && s.contains(OPAQUE) && s.ends_with("EI\nQ\n Q 0 0 1 1 re f"), "{s}");
    assert_eq!(done.dropped_images, 0);
    let unreadable = rewrite(b"BI /W 2 /H 1 /CS /Nowhere /BPC 8 /F /AHx ID 00ff> EI 1 0 0 rg", &Resolver::default());
    assert_eq!((unreadable.dropped_images, unreadable.ops.is_empty()), (1, true));
}

/// A page of "text" (dark bars) on light paper, with a highlighter band and an orange badge
/// holding white letters.
fn page() -> GrayImage {
    let mut g = GrayImage::from_pixel(300, 200, Luma([245]));
    for y in 20..30 {
        for x in (20..280).filter(|x| x % 9 < 6) {
            g.put_pixel(x, y, Luma([30]));
        }
    }
    // Highlighter (pale yellow as grey) under a dark line.
    for y in 56..74 {
        for x in 20..280 {
            g.put_pixel(x, y, Luma([225]));
        }
    }
    for y in 60..70 {
        for x in (20..280).filter(|x| x % 9 < 6) {
            g.put_pixel(x, y, Luma([30]));
        }
    }
    // An orange badge (grey 150) with white letters.
    for y in 120..150 {
        for x in 100..200 {
            let letter = (128..142).contains(&y) && x % 8 < 4 && (108..192).contains(&x);
            g.put_pixel(x, y, Luma([if letter { 255 } else { 150 }]));
        }
    }
    g
}

#[test]
fn a_scan_is_thresholded_with_light_text_on_mid_tones_kept() {
    let g = page();
    let levels = Levels::from_histogram(&histogram(&g));
    assert!(levels.ink >= 30 && levels.paper > levels.ink && levels.paper < 225, "{levels:?}");
    assert_eq!(levels.paper, 245 - 40, "40 below the paper's own level");
    // A badge lighter than the ink level, as on a page with more text.
    let black = threshold(&g, &Levels { ink: 100, paper: 205 });
    let at = |x: u32, y: u32| black[(y * 300 + x) as usize];
    assert!(at(20, 25) && !at(26, 25), "ink black, paper white");
    assert!(!at(20, 57) && at(20, 65), "the highlighter goes white, its text stays black");
    assert!(at(102, 122) && at(106, 130) && !at(112, 130), "the badge goes black, its white letters stay white");
}

#[test]
fn a_picture_round_trips_through_group_4_as_a_stencil_mask() {
    let g = page();
    let fax = image(&g, false);
    let stream = lopdf::Stream::new(fax.dictionary(), fax.g4.clone());
    let back = crate::ocr::xobject_grey(&lopdf::Document::with_version("1.7"), &stream).unwrap();
    assert_eq!(back.dimensions(), g.dimensions());
    let black = threshold(&g, &Levels::from_histogram(&histogram(&g)));
    for (i, p) in back.pixels().enumerate() {
        assert_eq!(p.0[0] == 0, black[i], "pel {i}");
    }
}

#[test]
fn a_photo_is_dithered_to_the_density_of_its_tones() {
    let mut g = GrayImage::new(200, 100);
    for (x, _, p) in g.enumerate_pixels_mut() {
        p.0[0] = if x < 100 { 64 } else { 192 };
    }
    let black = dither(&g);
    let share = |range: std::ops::Range<u32>| {
        let n = (0..100).flat_map(|y| range.clone().map(move |x| (x, y))).filter(|(x, y)| black[(y * 200 + x) as usize]).count();
        n as f64 / (100.0 * range.len() as f64)
    };
    assert!((share(10..90) - 0.75).abs() < 0.05 && (share(110..190) - 0.25).abs() < 0.05);
}

#[test]
fn a_picture_is_scaled_to_200_dpi_as_shown() {
    let g = GrayImage::from_pixel(850, 1100, Luma([255]));
    assert_eq!(at_dpi(&g, (612.0, 792.0)).dimensions(), (1700, 2200));
    assert_eq!(at_dpi(&g, (306.0, 396.0)).dimensions(), (850, 1100));
}

#[test]
fn a_transparent_picture_is_seen_on_white() {
    let mut g = GrayImage::from_pixel(2, 1, Luma([0]));
    let alpha = GrayImage::from_raw(2, 1, vec![0, 255]).unwrap();
    on_white(&mut g, &alpha);
    assert_eq!(g.as_raw(), &vec![255, 0]);
}

#[test]
fn the_cover_sheet_is_addressed_to_the_fax_given_else_the_plans() {
    let dir = std::env::temp_dir().join(format!("redress-fax-cover-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let folder = crate::demo::write_demo(&dir, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    let mut case = crate::casefile::load(&folder).unwrap().case;
    let _ = std::fs::remove_dir_all(&dir);
    let stamp = super::super::stamp::StampText { lead: String::new(), prefix: "HAYES".into(), total: 28 };
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    case.info.appeal_fax = Some("1-800-555-0101".into());
    let t = cover::CoverText::of_part(&case, None, day, &stamp, &cover::Sent::whole(28));
    assert_eq!((t.fax.as_deref(), t.pages), (Some("1-800-555-0101"), 29));
    assert!(t.numbering.contains("HAYES-000001 to HAYES-000028"), "{}", t.numbering);
    let t = cover::CoverText::of_part(&case, Some(" 1-800-555-0199 "), day, &stamp, &cover::Sent::whole(28));
    assert_eq!(t.fax.as_deref(), Some("1-800-555-0199"));
    let page = cover::cover(crate::packet::font::metrics(), &t);
    let words: Vec<&str> = page.texts().collect();
    assert!(words.contains(&"1-800-555-0199") && words.contains(&"29 including this cover sheet"), "{words:?}");
    assert!(words.iter().any(|w| w.starts_with("CONFIDENTIALITY NOTICE")));
}

#[test]
fn a_photo_is_sent_in_dots_of_two_by_two_pels() {
    let g = GrayImage::from_fn(41, 30, |x, y| Luma([((x * 5 + y * 3) % 256) as u8]));
    let black = coarse_dither(&g);
    assert_eq!(black.len(), 41 * 30);
    for y in 0..30 {
        for x in 0..41 {
            assert_eq!(black[(y * 41 + x) as usize], black[((y / 2 * 2) * 41 + x / 2 * 2) as usize], "({x}, {y})");
        }
    }
}

#[test]
fn a_picture_wider_than_a_group_4_row_is_narrowed() {
    let g = GrayImage::from_pixel(70_000, 2, Luma([0]));
    let fax = image(&g, false);
    assert_eq!((fax.width, fax.height), (65_535, 1));
}

#[test]
fn a_generated_page_goes_black_with_its_tints_white() {
    let ops =
        b"BT 0.05 0.27 0.52 rg /RdF1 9 Tf 1 0 0 1 5 5 Tm <0001> Tj ET\n0.94 0.95 0.97 rg 1 2 3 4 re f\n0.4 w 0 0.3 0.62 RG 1 1 m 2 2 l S\n";
    let out = String::from_utf8(content(ops)).unwrap();
    assert_eq!(out, "BT /RdF1 9 Tf 1 0 0 1 5 5 Tm 0 g\n<0001> Tj ET\n1 g\n 1 2 3 4 re f\n0.4 w\n0 G\n 1 1 m 2 2 l S\n");
}

#[test]
fn a_cameras_picture_is_dithered_only_when_it_is_photographic() {
    use crate::demo::fixtures::{jpeg_plain, notice_scan, ScanFormat};
    use crate::import::Format;
    use crate::model::ExhibitKind;
    let photo = image::load_from_memory(&jpeg_plain(900, 700, 3)).unwrap().to_luma8();
    let lines = vec!["We denied your request for home oxygen".to_string(); 20];
    let letter = image::load_from_memory(&notice_scan(&[lines], ScanFormat::PhotoExif6)).unwrap().to_luma8();
    assert!(is_photograph(ExhibitKind::OxygenLog, Format::Jpeg, &photo));
    assert!(!is_photograph(ExhibitKind::DenialLetter, Format::Jpeg, &letter), "a phone's picture of a letter");
    assert!(is_photograph(ExhibitKind::WoundPhoto, Format::Png, &letter), "filed as a photo");
    assert!(!is_photograph(ExhibitKind::Screenshot, Format::Png, &photo), "a screenshot is thresholded");
}

#[test]
fn an_exhibit_pdf_is_made_black_and_white_in_place() {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.7");
    let glyph = doc.add_object(Stream::new(dictionary! {}, b"0 0 d0 1 0 0 rg 0 0 10 10 re f".to_vec()));
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type3", "CharProcs" => dictionary! { "a" => glyph } });
    let image = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2, "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8 },
        vec![255, 0, 0, 255, 255, 255, 0, 0, 0, 250, 250, 250],
    ));
    let form = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()] },
        b"0.9 0.9 0.2 rg 0 0 10 10 re f".to_vec(),
    ));
    let state = doc.add_object(dictionary! { "Type" => "ExtGState", "ca" => 0.3, "SMask" => dictionary! { "S" => "Luminosity" } });
    let highlight =
        doc.add_object(dictionary! { "Type" => "Annot", "Subtype" => "Highlight", "Rect" => vec![0.into(), 0.into(), 9.into(), 9.into()] });
    let square = dictionary! { "Subtype" => "Square", "Rect" => vec![0.into(), 0.into(), 9.into(), 9.into()],
    "C" => vec![0.2.into(), 0.4.into(), 1.into()], "IC" => vec![1.into(), 1.into(), 0.8.into()] };
    let content =
        doc.add_object(Stream::new(dictionary! {}, b"0 0 1 RG q 100 0 0 100 0 0 cm /Im Do Q /Fm Do /S gs BT /T3 1 Tf (a) Tj ET".to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "MediaBox" => vec![0.into(), 0.into(), 200.into(), 200.into()],
        "Contents" => content,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im" => image, "Fm" => form },
            "ExtGState" => dictionary! { "S" => state }, "Font" => dictionary! { "T3" => font } },
        "Annots" => vec![highlight.into(), Object::Dictionary(square)],
    });
    let warnings = exhibit(&mut doc, &[page], &[page], "exhibit 2 (docs/x.pdf)");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("exhibit 2 (docs/x.pdf), page 1: highlights"), "{warnings:?}");
    let stream = |id| doc.get_object(id).unwrap().as_stream().unwrap().clone();
    let text = |id| String::from_utf8(stream(id).decompressed_content().unwrap()).unwrap();
    assert_eq!(text(glyph), "0 0 d0\n0 g\n 0 0 10 10 re f", "a Type 3 glyph's own colour");
    assert_eq!(text(form), "1 g\n 0 0 10 10 re f", "a pale yellow box in a form");
    let im = stream(image);
    assert_eq!(im.dict.get(b"ImageMask").unwrap(), &Object::Boolean(true));
    assert_eq!(im.dict.get(b"Filter").unwrap().as_name().unwrap(), b"CCITTFaxDecode");
    let page_text = String::from_utf8(doc.get_page_content(page)).unwrap();
    assert!(page_text.contains(&format!("{OPAQUE}\n/Im Do")) && page_text.contains("(a) Tj"), "{page_text}");
    let gs = doc.get_dictionary(state).unwrap();
    assert_eq!((gs.get(b"ca").unwrap().as_float().unwrap(), gs.get(b"SMask").unwrap().as_name().unwrap()), (1.0, &b"None"[..]));
    let flags = doc.get_dictionary(highlight).unwrap().get(b"F").unwrap().as_i64().unwrap();
    assert_eq!(flags & 2, 2, "the highlight is hidden");
    let annots = doc.get_dictionary(page).unwrap().get(b"Annots").unwrap().as_array().unwrap().clone();
    let sq = annots[1].as_dict().unwrap();
    assert_eq!((sq.get(b"C").unwrap(), sq.get(b"IC").unwrap()), (&Object::Array(vec![0.into()]), &Object::Array(vec![1.into()])));
}

#[test]
fn near_marks_what_lies_within_reach_on_any_mask() {
    let mut rng = crate::demo::mutate::Rng::new(5);
    for (w, h, density) in [(53u32, 41u32, 200), (7, 90, 50), (90, 3, 50), (1, 1, 2), (20, 20, 1000)] {
        let mask: Vec<bool> = (0..w * h).map(|_| rng.below(density) == 0).collect();
        let found = near(&mask, (w, h));
        for y in 0..h {
            for x in 0..w {
                let within = (0..h)
                    .flat_map(|v| (0..w).map(move |u| (u, v)))
                    .any(|(u, v)| mask[(v * w + u) as usize] && u.abs_diff(x) <= REACH && v.abs_diff(y) <= REACH);
                assert_eq!(found[(y * w + x) as usize], within, "{w} × {h}: ({x}, {y})");
            }
        }
    }
}

#[test]
fn near_marks_what_lies_within_reach() {
    let (w, h) = (40u32, 30u32);
    let mut mask = vec![false; (w * h) as usize];
    mask[(10 * w + 20) as usize] = true;
    let near = near(&mask, (w, h));
    for y in 0..h {
        for x in 0..w {
            let within = x.abs_diff(20) <= REACH && y.abs_diff(10) <= REACH;
            assert_eq!(near[(y * w + x) as usize], within, "({x}, {y})");
        }
    }
}

#[test]
fn an_image_in_an_encoding_redress_cannot_convert_is_named_and_a_damaged_one_said_so() {
    use lopdf::{dictionary, Document, Stream};
    let mut doc = Document::with_version("1.7");
    let image = |filter: &str| {
        Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 40, "Height" => 40, "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8, "Filter" => filter.to_string() },
            vec![0; 64],
        )
    };
    let (jpx, broken) = (doc.add_object(image("JPXDecode")), doc.add_object(image("DCTDecode")));
    let content = doc.add_object(Stream::new(dictionary! {}, b"q 100 0 0 100 0 0 cm /A Do Q q 50 0 0 50 0 0 cm /B Do Q".to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "MediaBox" => vec![0.into(), 0.into(), 200.into(), 200.into()], "Contents" => content,
        "Resources" => dictionary! { "XObject" => dictionary! { "A" => jpx, "B" => broken } },
    });
    let warnings = exhibit(&mut doc, &[page], &[page], "exhibit 2 (docs/x.pdf)");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert!(w.starts_with("exhibit 2 (docs/x.pdf), page 1: "), "{w}");
    assert!(w.contains("1 image(s) stored as JPEG 2000, an encoding Redress cannot convert, are sent as they are"), "{w}");
    assert!(w.contains("1 image(s) could not be read (their data is damaged)"), "{w}");
    assert_eq!(doc.get_object(jpx).unwrap().as_stream().unwrap().content, vec![0; 64], "sent as it is");
}
