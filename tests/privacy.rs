//! Private by default (SECURITY.md): what the app's window may load and call, that no HTTP
//! client is linked into it, that logs and error messages carry no health data, and that no
//! exhibit's metadata reaches the packet.

use crate::util::*;
use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The window loads only what the app carries: every source is `'self'` (or `data:`/`blob:`
/// made by the page itself), the only connection is Tauri's IPC, scripts are never evaluated
/// from strings (`wasm-unsafe-eval` lets pdf.js compile its WebAssembly, nothing more), and the
/// page can be neither framed nor post a form anywhere.
#[test]
fn the_windows_content_security_policy_allows_no_remote_origin() {
    let conf = json("src-tauri/tauri.conf.json");
    let security = &conf["app"]["security"];
    let csp = security["csp"].as_object().expect("a CSP is set, as directives");
    let directives: Vec<(&str, &str)> = csp.iter().map(|(k, v)| (k.as_str(), v.as_str().unwrap())).collect();
    let expected = [
        ("base-uri", "'none'"),
        ("connect-src", "ipc: http://ipc.localhost"),
        ("default-src", "'self'"),
        ("font-src", "'self' data:"),
        ("form-action", "'none'"),
        ("frame-ancestors", "'none'"),
        ("img-src", "'self' blob: data:"),
        ("object-src", "'none'"),
        ("script-src", "'self' 'wasm-unsafe-eval'"),
        ("style-src", "'self' 'unsafe-inline'"),
        ("worker-src", "'self' blob:"),
    ];
    assert_eq!(directives, expected, "the CSP changed: say why in SECURITY.md and here");
    for (name, sources) in &directives {
        for source in sources.split_whitespace() {
            assert_ne!(source, "'unsafe-eval'", "{name} allows eval");
            assert!(!source.contains('*'), "{name} allows a wildcard: {source}");
            let local = source.starts_with('\'') || ["data:", "blob:", "ipc:", "http://ipc.localhost"].contains(&source);
            assert!(local, "{name} allows a remote origin: {source}");
        }
    }
    assert_eq!(security["freezePrototype"], true);
    assert!(security.get("dangerousDisableAssetCspModification").is_none());
    // No remote page is ever loaded: the built UI is served from the binary.
    assert_eq!(conf["build"]["frontendDist"], "../ui/dist");
    for window in conf["app"]["windows"].as_array().unwrap() {
        assert!(window.get("url").is_none_or(|u| !u.as_str().unwrap().contains("://")), "a window loads a remote URL");
    }
}

/// The window may call exactly the app's own commands (each registered in the shell and declared
/// in its build script) and these few core and plugin permissions: listening to events, closing
/// its window, the notification plugin's start-up check; no file system, dialog, opener, shell,
/// HTTP or process plugin and no emitting of events (a page cannot fake a drop). Files are
/// reached only through the commands, which take only what the person picked in the shell's
/// own dialogs or dropped on the window (`cases::Picked`).
#[test]
fn the_window_may_call_exactly_the_apps_commands_and_listen_for_events() {
    let caps: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("src-tauri/capabilities"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(caps, ["default.json"], "one capability file, for the one window");
    let cap = json("src-tauri/capabilities/default.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert!(cap.get("remote").is_none(), "no remote URL may reach the commands");
    let permissions: Vec<&str> =
        cap["permissions"].as_array().unwrap().iter().map(|p| p.as_str().expect("plain permission names")).collect();
    let plugins: Vec<&str> = permissions.iter().copied().filter(|p| !p.starts_with("allow-")).collect();
    assert_eq!(
        plugins,
        ["core:event:allow-listen", "core:event:allow-unlisten", "core:window:allow-destroy", "notification:allow-is-permission-granted"]
    );
    let allowed: Vec<String> = permissions.iter().filter_map(|p| p.strip_prefix("allow-")).map(|c| c.replace('-', "_")).collect();
    let shell = std::fs::read_to_string(Path::new(ROOT).join("src-tauri/src/lib.rs")).unwrap();
    let registered = quoted_after(&shell, "generate_handler![", "]", "commands::");
    let build = std::fs::read_to_string(Path::new(ROOT).join("src-tauri/build.rs")).unwrap();
    let declared = quoted_after(&build, "let commands: &[&str] = &[", "];", "\"");
    assert!(!registered.is_empty());
    assert_eq!(sorted(&allowed), sorted(&registered), "capabilities against the shell's commands");
    assert_eq!(sorted(&declared), sorted(&registered), "the build script against the shell's commands");
}

/// The names listed between `start` and `end` in Rust source, each after `lead`.
fn quoted_after(source: &str, start: &str, end: &str, lead: &str) -> Vec<String> {
    let from = source.find(start).unwrap_or_else(|| panic!("{start} not found")) + start.len();
    let list = &source[from..from + source[from..].find(end).unwrap()];
    list.split(',').map(|s| s.trim().trim_start_matches(lead).trim_matches('"').to_string()).filter(|s| !s.is_empty()).collect()
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// No crate that speaks HTTP (or TLS) is compiled into the app, so nothing in it can send a
/// case anywhere. (`http`, a crate of request and response types with no I/O, is there for
/// Tauri's custom protocol.) Read from the lock file (`--locked`).
#[test]
fn the_app_links_no_http_client() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let o = Command::new(cargo)
        .args(["tree", "-p", "redress-app", "-e", "normal", "--locked", "--prefix", "none", "--format", "{p}"])
        .current_dir(ROOT)
        .output()
        .expect("run cargo tree");
    assert!(o.status.success(), "cargo tree failed: {}", stderr(&o));
    let out = stdout(&o);
    let crates: Vec<&str> = out.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert!(crates.contains(&"tauri") && crates.contains(&"redress"), "cargo tree listed the app's crates:\n{out}");
    let clients = [
        "reqwest",
        "hyper",
        "hyper-util",
        "ureq",
        "isahc",
        "curl",
        "curl-sys",
        "attohttpc",
        "surf",
        "h2",
        "rustls",
        "native-tls",
        "openssl",
        "tauri-plugin-http",
        "tauri-plugin-updater",
    ];
    let linked: Vec<&&str> = clients.iter().filter(|c| crates.contains(c)).collect();
    assert!(linked.is_empty(), "the app links {linked:?}");
}

/// A person's name no generated page could contain, written into every kind of metadata.
const PERSON: &str = "Perpetua Quillfeather";
const MAKER_NOTE: &str = "QUILLCAM-MAKERNOTE-0042";
const DATUM: &str = "QUILL-GPS-DATUM";

/// The EXIF block (TIFF structure, big-endian) of a phone photo: make, a maker note, the
/// owner's name, GPS position and datum, and a JPEG thumbnail in IFD1.
fn exif_block(thumbnail: &[u8]) -> Vec<u8> {
    use exif::{Field, In, Rational, Tag, Value};
    let ascii = |tag, text: &str| Field { tag, ifd_num: In::PRIMARY, value: Value::Ascii(vec![text.as_bytes().to_vec()]) };
    let degrees = |d, m| Value::Rational(vec![Rational { num: d, denom: 1 }, Rational { num: m, denom: 1 }, Rational { num: 0, denom: 1 }]);
    let fields = [
        ascii(Tag::Make, "QuillCam"),
        ascii(Tag::Artist, PERSON),
        Field { tag: Tag::MakerNote, ifd_num: In::PRIMARY, value: Value::Undefined(MAKER_NOTE.as_bytes().to_vec(), 0) },
        ascii(Tag::GPSLatitudeRef, "N"),
        Field { tag: Tag::GPSLatitude, ifd_num: In::PRIMARY, value: degrees(41, 52) },
        ascii(Tag::GPSLongitudeRef, "W"),
        Field { tag: Tag::GPSLongitude, ifd_num: In::PRIMARY, value: degrees(87, 37) },
        ascii(Tag::GPSMapDatum, DATUM),
        Field { tag: Tag::Compression, ifd_num: In::THUMBNAIL, value: Value::Short(vec![6]) },
    ];
    let mut writer = exif::experimental::Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    writer.set_jpeg(thumbnail, In::THUMBNAIL);
    let mut out = std::io::Cursor::new(Vec::new());
    writer.write(&mut out, false).unwrap();
    out.into_inner()
}

/// The GPS latitude 41° 52' 0" as its rationals are stored, big-endian.
fn latitude_bytes() -> Vec<u8> {
    [41u32, 1, 52, 1, 0, 1].iter().flat_map(|n| n.to_be_bytes()).collect()
}

fn xmp(about: &str) -> String {
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>{PERSON}</dc:creator>\
         <dc:description>{about}</dc:description></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"
    )
}

/// A phone photo: APP1 EXIF (GPS, maker note, thumbnail), APP1 XMP, and a comment.
fn jpeg_with_everything(thumbnail: &[u8]) -> Vec<u8> {
    let plain = redress::demo::fixtures::jpeg_plain(320, 240, 5);
    let segment = |marker: u8, payload: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(payload);
        s
    };
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&exif_block(thumbnail));
    let mut xmp_payload = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp_payload.extend_from_slice(xmp("jpeg").as_bytes());
    let mut out = plain[..2].to_vec();
    out.extend(segment(0xE1, &exif));
    out.extend(segment(0xE1, &xmp_payload));
    out.extend(segment(0xFE, format!("taken by {PERSON}").as_bytes()));
    out.extend_from_slice(&plain[2..]);
    out
}

/// A PNG with tEXt (author), iTXt (XMP) and eXIf (GPS) chunks before its image data.
fn png_with_everything(thumbnail: &[u8]) -> Vec<u8> {
    let plain = redress::demo::fixtures::png_rgb(300, 200);
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        c.extend_from_slice(&crc.sum().to_be_bytes());
        c
    };
    let ihdr_end = 8 + 4 + 4 + 13 + 4;
    let mut out = plain[..ihdr_end].to_vec();
    out.extend(chunk(b"tEXt", format!("Author\0{PERSON}").as_bytes()));
    out.extend(chunk(b"iTXt", format!("XML:com.adobe.xmp\0\0\0\0\0{}", xmp("png")).as_bytes()));
    out.extend(chunk(b"eXIf", &exif_block(thumbnail)));
    out.extend_from_slice(&plain[ihdr_end..]);
    out
}

/// A one-page PDF whose document information, catalog XMP (compressed), page XMP and page
/// piece information all name the person, and which runs a script when it opens, when its page
/// is shown and when its link is used.
fn pdf_with_everything() -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream, StringFormat};
    let text = |s: &str| Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    let mut doc = Document::with_version("1.7");
    let content = doc.add_object(Stream::new(dictionary! {}, b"0 0 1 rg 100 500 200 100 re f".to_vec()));
    let page_xmp = doc.add_object(Stream::new(dictionary! { "Type" => "Metadata", "Subtype" => "XML" }, xmp("page").into_bytes()));
    let page = dictionary! {
        "Type" => "Page", "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()], "Contents" => content,
        "Metadata" => page_xmp,
        "PieceInfo" => dictionary! { "QuillEditor" => dictionary! { "LastModified" => text("D:20250901"), "Private" => text(PERSON) } },
        "AA" => dictionary! { "O" => script() },
        "Annots" => vec![Object::Dictionary(dictionary! {
            "Type" => "Annot", "Subtype" => "Link", "Rect" => vec![100.into(), 500.into(), 300.into(), 600.into()], "Border" => vec![0.into(), 0.into(), 0.into()],
            "A" => script(), "AA" => dictionary! { "E" => script() },
        })],
    };
    let mut doc_bytes = one_page_pdf(doc, page);
    let mut doc = Document::load_mem(&doc_bytes).unwrap();
    let mut catalog_xmp = Stream::new(dictionary! { "Type" => "Metadata", "Subtype" => "XML" }, xmp("catalog").into_bytes());
    catalog_xmp.compress().unwrap();
    let catalog_xmp = doc.add_object(catalog_xmp);
    doc.catalog_mut().unwrap().set("Metadata", catalog_xmp);
    doc.catalog_mut().unwrap().set("OpenAction", script());
    doc.catalog_mut().unwrap().set("Names", dictionary! { "JavaScript" => dictionary! { "Names" => vec![text("quill"), script()] } });
    let info = doc.add_object(dictionary! {
        "Author" => text(PERSON), "Title" => text("Quill private title"), "Subject" => text(PERSON),
        "Keywords" => text(PERSON), "Creator" => text("QuillWriter"),
    });
    doc.trailer.set("Info", info);
    doc_bytes.clear();
    doc.save_to(&mut doc_bytes).unwrap();
    doc_bytes
}

const SCRIPT: &str = "app.alert('QUILL-SCRIPT')";

/// A JavaScript action, as a hostile PDF runs one when it opens, a page shows or a link is used.
fn script() -> lopdf::Object {
    lopdf::Object::Dictionary(lopdf::dictionary! { "S" => "JavaScript", "JS" => lopdf::Object::string_literal(SCRIPT) })
}

/// Everything the packet holds, as bytes to search: the file, every stream decompressed, and
/// every string decoded (UTF-16 with its byte-order mark, else as written).
fn everything_in(pdf: &Path) -> Vec<Vec<u8>> {
    let raw = std::fs::read(pdf).unwrap();
    let doc = lopdf::Document::load_mem(&raw).unwrap();
    let mut all = vec![raw];
    let mut strings = Vec::new();
    for object in doc.objects.values() {
        if let lopdf::Object::Stream(s) = object {
            all.push(s.decompressed_content().unwrap_or_else(|_| s.content.clone()));
            collect_strings(&lopdf::Object::Dictionary(s.dict.clone()), &mut strings);
        } else {
            collect_strings(object, &mut strings);
        }
    }
    collect_strings(&lopdf::Object::Dictionary(doc.trailer.clone()), &mut strings);
    all.push(strings);
    all
}

fn collect_strings(object: &lopdf::Object, out: &mut Vec<u8>) {
    use lopdf::Object;
    match object {
        Object::String(bytes, _) => {
            if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
                let units: Vec<u16> = utf16.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
                out.extend(String::from_utf16_lossy(&units).bytes());
            } else {
                out.extend_from_slice(bytes);
            }
            out.push(b'\n');
        }
        Object::Array(items) => items.iter().for_each(|o| collect_strings(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, o)| collect_strings(o, out)),
        _ => {}
    }
}

#[test]
fn no_exhibits_metadata_nor_scripts_reach_the_packet() {
    let t = TempDir::new("metadata");
    let thumbnail = redress::demo::fixtures::jpeg_plain(40, 30, 9);
    write_case(
        t.path(),
        &case_toml(&[
            ("IMG_0001.jpg", "wound-photo", "2025-09-01", "Photo", ""),
            ("scan.png", "wound-photo", "2025-09-02", "Screenshot", ""),
            ("note.pdf", "progress-note", "2025-09-03", "Clinic note", ""),
        ]),
        &[
            ("IMG_0001.jpg", jpeg_with_everything(&thumbnail)),
            ("scan.png", png_with_everything(&thumbnail)),
            ("note.pdf", pdf_with_everything()),
        ],
    );
    let report = build_json(t.path());
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    let sos = thumbnail.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let needles: [(&str, Vec<u8>); 12] = [
        ("a script", b"QUILL-SCRIPT".to_vec()),
        ("a JavaScript action", b"/JavaScript".to_vec()),
        ("the person's name", PERSON.as_bytes().to_vec()),
        ("the maker note", MAKER_NOTE.as_bytes().to_vec()),
        ("the GPS datum", DATUM.as_bytes().to_vec()),
        ("the GPS latitude", latitude_bytes()),
        ("the thumbnail", thumbnail[sos..sos + 64].to_vec()),
        ("an EXIF block", b"Exif\0\0".to_vec()),
        ("an XMP packet", b"W5M0MpCehiHzreSzNTczkc9d".to_vec()),
        ("the camera's make", b"QuillCam".to_vec()),
        ("the source's title", b"Quill private title".to_vec()),
        ("the source's creator tool", b"QuillWriter".to_vec()),
    ];
    // Each is in the exhibits, so the scan below can find what it looks for.
    let mut inputs = everything_in(&t.join("note.pdf"));
    inputs.extend(["IMG_0001.jpg", "scan.png"].map(|f| std::fs::read(t.join(f)).unwrap()));
    for (what, needle) in &needles {
        assert!(inputs.iter().any(|h| h.windows(needle.len()).any(|w| w == needle)), "{what} is not in the exhibits");
    }
    for (i, haystack) in everything_in(&pdf).iter().enumerate() {
        for (what, needle) in &needles {
            assert!(!haystack.windows(needle.len()).any(|w| w == needle), "{what} is in the packet (part {i})");
        }
    }
    // The packet's own information is Redress's.
    let info = pdfinfo(&pdf, &[]);
    let field = |name: &str| info.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).unwrap_or_default().to_string();
    assert_eq!(field("Creator:"), "Redress");
    assert!(field("Producer:").starts_with("Redress "), "{info}");
    assert!(field("Title:").starts_with("Request for Reconsideration"), "{info}");
    assert_eq!(field("Subject:"), "Home oxygen authorization denial");
    assert_eq!(field("Metadata Stream:"), "no", "{info}");
    let exhibits = report["exhibits"].as_array().unwrap();
    assert_eq!(
        exhibits.iter().map(|e| e["pages"].as_u64().unwrap()).collect::<Vec<_>>(),
        [2, 2, 2],
        "each exhibit is its separator and page"
    );
}

/// What identifies the demo's member and claim, as a log or a message could spell it.
fn identifiers(case: &redress::model::Case) -> Vec<String> {
    let m = &case.member;
    let mut ids = vec![m.name.clone(), m.last_name().to_string(), m.member_id.clone(), m.dob.format("%Y-%m-%d").to_string()];
    ids.extend([m.dob.format("%m/%d/%Y").to_string(), m.dob.format("%-m/%-d/%Y").to_string()]);
    ids.extend([&case.info.reference, &case.info.claim_number, &case.info.authorization_number].into_iter().flatten().cloned());
    ids
}

/// The library's operations on the demo case, the app's way, with bad inputs on the way: every
/// message people would read comes back.
fn use_the_demo_badly(dir: &Path) -> (redress::model::Case, Vec<String>) {
    use redress::cases::{self, Clock};
    use redress::demo::fixtures;
    let clock =
        Clock { now: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap().and_hms_opt(9, 0, 0).unwrap(), tz: chrono_tz::America::Chicago };
    let opts = || redress::packet::BuildOptions::new(clock.now, clock.now.and_utc(), clock.tz);
    let mut store = redress::store::Store::open(&dir.join("redress.db")).unwrap();
    let demo = cases::load_demo(&mut store, &dir.join("scratch"), clock).unwrap();
    let case = store.case(&demo.id).unwrap();
    // Built on a thread of its own, as the app builds (off the thread that asked).
    std::thread::scope(|s| s.spawn(|| cases::build(&mut store, &demo.id, opts())).join().unwrap()).unwrap();
    let mut messages = Vec::new();

    // Documents that cannot be added: cut short, not what their names say, locked, missing.
    let bad = dir.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let files = [
        ("cut.pdf", fixtures::truncate(&fixtures::text_pdf(&["a page"]), 0.5)),
        ("photo.pdf", fixtures::jpeg_plain(64, 48, 1)),
        ("locked.pdf", fixtures::encrypted_pdf("user", "owner")),
        ("empty.png", Vec::new()),
    ];
    for (name, bytes) in &files {
        std::fs::write(bad.join(name), bytes).unwrap();
    }
    let mut paths: Vec<_> = files.iter().map(|(n, _)| bad.join(n)).collect();
    paths.push(bad.join("missing.pdf"));
    let added = cases::add_documents(&mut store, &demo.id, &paths, clock).unwrap();
    assert_eq!(added.refused.len(), 5, "{:?}", added.refused.iter().map(|r| &r.message).collect::<Vec<_>>());
    messages.extend(added.refused.iter().map(|r| format!("{}: {}", r.location, r.message)));
    report(&mut messages, cases::unlock_document(&mut store, &demo.id, &bad.join("locked.pdf"), "wrong", clock).unwrap_err());

    // The member's date of birth typed as people write it, and typed a century late.
    for dob in [case.member.dob.format("%m/%d/%Y").to_string(), case.member.dob.format("2%y-%m-%d").to_string()] {
        let mut doc = demo.doc.clone();
        doc.member.dob = dob;
        report(&mut messages, cases::save(&mut store, &demo.id, &doc, clock).unwrap_err());
    }

    // The demo's folder with its case.toml's member ID of the wrong type, then an exhibit missing,
    // then the same cut short.
    let folder = redress::demo::write_demo(&dir.join("case"), clock.now.date()).unwrap();
    let toml_path = folder.join("case.toml");
    let toml = std::fs::read_to_string(&toml_path).unwrap();
    let quoted = format!("\"{}\"", case.member.member_id);
    std::fs::write(&toml_path, toml.replace(&quoted, &format!("[{quoted}]"))).unwrap();
    report(&mut messages, redress::casefile::load(&folder).unwrap_err());
    std::fs::write(&toml_path, &toml).unwrap();
    let exhibits: Vec<_> = case.exhibits.iter().filter(|e| e.file.ends_with(".pdf")).map(|e| folder.join(&e.file)).collect();
    let whole = std::fs::read(&exhibits[0]).unwrap();
    std::fs::remove_file(&exhibits[0]).unwrap();
    report(&mut messages, redress::casefile::load(&folder).unwrap_err());
    std::fs::write(&exhibits[0], fixtures::truncate(&whole, 0.4)).unwrap();
    let loaded = redress::casefile::load(&folder).unwrap();
    let mut o = opts();
    o.out = Some(folder.join("packet.pdf"));
    report(&mut messages, redress::packet::build(&loaded, &o).unwrap_err());
    (case, messages)
}

/// An error as the command line prints it and as the app shows it (which logs it).
fn report(messages: &mut Vec<String>, e: redress::Error) {
    messages.push(e.to_string());
    let app = redress::cases::AppError::from(e);
    messages.push(app.message);
    messages.extend(app.problems.into_iter().map(|p| format!("{}: {}", p.location, p.message)));
}

/// Set in the child process of the log test, which logs every thread's lines.
const LOG_CHILD: &str = "REDRESS_TEST_LOG_CHILD";

/// The thread a log line was written on, as the formatter writes it (`ThreadId(2)`).
fn thread_of(line: &str) -> Option<&str> {
    let from = line.find("ThreadId(")?;
    Some(&line[from..from + line[from..].find(')')? + 1])
}

/// Logging is at its most talkative (every level) while the demo case is imported, built (on a
/// thread of its own, as the app builds) and refused things; no log line of any thread and no
/// error message names the member, their ID or date of birth, or the claim's numbers. Messages
/// name the file and the field to fix. The lines are caught by a subscriber for the whole
/// process, set in a child process (this test binary again, as this test with `LOG_CHILD` set)
/// so no other test's lines mix in: one for the calling thread alone would miss the others.
#[test]
fn logs_and_error_messages_name_no_member_and_no_claim() {
    if std::env::var_os(LOG_CHILD).is_some() {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .with_thread_ids(true)
            .with_max_level(tracing::Level::TRACE)
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        let t = TempDir::new("logs");
        let (case, messages) = use_the_demo_badly(t.path());
        let ids = identifiers(&case);
        println!("\nreport: {}", serde_json::json!({ "ids": ids, "messages": messages, "exhibit": case.exhibits[0].file }));
        return;
    }
    let o = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "privacy::logs_and_error_messages_name_no_member_and_no_claim", "--nocapture", "--test-threads=1"])
        .env(LOG_CHILD, "1")
        .output()
        .unwrap();
    let (log, out) = (stderr(&o), stdout(&o));
    assert!(o.status.success(), "the logging child failed:\n{out}\n{log}");
    let report: serde_json::Value =
        serde_json::from_str(out.lines().find_map(|l| l.split_once("report: ")).expect("the child's report").1).unwrap();
    let strings = |key: &str| report[key].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect::<Vec<_>>();
    let (ids, messages) = (strings("ids"), strings("messages"));

    let line_of = |event: &str| log.lines().find(|l| l.contains(event)).unwrap_or_else(|| panic!("{event:?} was not logged:\n{log}"));
    for event in ["demo case loaded", "packet built", "documents added", "a document was not added", "the app reports an error"] {
        line_of(event);
    }
    let asked = thread_of(line_of("demo case loaded")).expect("lines carry their thread");
    assert_ne!(thread_of(line_of("packet built")), Some(asked), "the build's line came from its own thread");
    assert!(ids.len() >= 8, "{ids:?}");
    for text in log.lines().chain(messages.iter().map(String::as_str)) {
        for id in &ids {
            assert!(!text.contains(id.as_str()), "{id:?} in: {text}");
        }
    }
    // People are told which file and field to fix.
    let all = messages.join("\n");
    for named in ["cut.pdf", "photo.pdf", "locked.pdf", "missing.pdf", "member.dob", "member_id", report["exhibit"].as_str().unwrap()] {
        assert!(all.contains(named), "no message names {named}:\n{all}");
    }
}

/// On a shared computer the store's folder, which holds the database and every document, is
/// its owner's alone when Redress makes it; a folder that was there is left as it was.
#[cfg(unix)]
#[test]
fn the_stores_new_folder_is_readable_by_its_owner_alone() {
    use std::os::unix::fs::PermissionsExt;
    let t = TempDir::new("private-dir");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let new = t.join("data/redress");
    let store = redress::store::Store::open(&new.join("redress.db")).unwrap();
    store
        .vault()
        .put(&{
            let f = t.join("note.txt");
            std::fs::write(&f, "a note").unwrap();
            f
        })
        .unwrap();
    assert_eq!(mode(&new), 0o700);
    std::fs::set_permissions(t.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    redress::store::Store::open(&t.join("here.db")).unwrap();
    assert_eq!(mode(t.path()), 0o755, "an existing folder keeps its permissions");
}

/// A file attached to an exhibit's page (a FileAttachment annotation, its file also listed in
/// the catalog's `/EmbeddedFiles`) would reach the plan unseen: it is left out, and the
/// warning names the exhibit, the page and the file.
#[test]
fn a_file_attached_inside_an_exhibit_is_left_out_and_named() {
    use lopdf::{dictionary, Document, Object, Stream};
    const SECRET: &[u8] = b"ATTACHED-SECRET-FILE-CONTENT";
    let mut doc = Document::with_version("1.7");
    let content = doc.add_object(Stream::new(dictionary! {}, b"0 0 1 rg 100 500 200 100 re f".to_vec()));
    let file = doc.add_object(Stream::new(dictionary! { "Type" => "EmbeddedFile" }, SECRET.to_vec()));
    let spec = doc.add_object(dictionary! {
        "Type" => "Filespec", "F" => Object::string_literal("secret.txt"), "UF" => Object::string_literal("secret.txt"),
        "EF" => dictionary! { "F" => file, "UF" => file },
    });
    let attachment = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "FileAttachment", "Rect" => vec![200.into(), 290.into(), 220.into(), 310.into()],
        "FS" => spec, "Name" => "PushPin", "F" => 4,
    });
    let popup = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Popup", "Rect" => vec![220.into(), 300.into(), 400.into(), 400.into()], "Parent" => attachment,
    });
    let page = dictionary! {
        "Type" => "Page", "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()], "Contents" => content,
        "Annots" => vec![attachment.into(), popup.into()],
    };
    let mut doc = Document::load_mem(&one_page_pdf(doc, page)).unwrap();
    let names = dictionary! { "EmbeddedFiles" => dictionary! { "Names" => vec![Object::string_literal("secret.txt"), spec.into()] } };
    doc.catalog_mut().unwrap().set("Names", names);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();

    let t = TempDir::new("attached");
    write_case(t.path(), &case_toml(&[("note.pdf", "progress-note", "2025-09-03", "Clinic note", "")]), &[("note.pdf", bytes)]);
    let report = build_json(t.path());
    let pdf = t.join("packet.pdf");
    qpdf_check(&pdf);
    for (i, haystack) in everything_in(&pdf).iter().enumerate() {
        for needle in [SECRET, b"/EmbeddedFile", b"/FileAttachment"] {
            assert!(
                !haystack.windows(needle.len()).any(|w| w == needle),
                "{} is in the packet (part {i})",
                String::from_utf8_lossy(needle)
            );
        }
    }
    let warnings: Vec<&str> = report["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    let said = warnings.iter().find(|w| w.contains("secret.txt")).unwrap_or_else(|| panic!("no warning names the file: {warnings:?}"));
    assert!(said.contains("note.pdf") && said.contains("page 1") && said.contains("left out"), "{said}");
}
