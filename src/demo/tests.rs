use super::*;
use crate::model::{npi_is_valid, EventKind, ExhibitKind};
use std::collections::BTreeMap;

/// A fresh, empty folder under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("redress-demo-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 6).unwrap()
}

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn demo_folder_loads_with_every_exhibit_present() {
    let tmp = TempDir::new("loads");
    let dir = write_demo(&tmp.0.join("hayes"), today()).unwrap();
    let folder = crate::casefile::load(&dir).unwrap();
    let case = &folder.case;
    assert_eq!(case.member.name, "Walter Hayes");
    assert!(case.letter.is_none(), "the packet should use its template letter");
    assert_eq!(case.info.notice_date, today() - chrono::TimeDelta::days(12));
    assert!(case.info.notice_deadline.unwrap() > today(), "the deadline is live");
    for ex in &case.exhibits {
        assert!(folder.exhibit_path(ex).is_file(), "{}", ex.file);
    }
    let kinds: Vec<ExhibitKind> = case.exhibits.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&ExhibitKind::PhysicianOrder) && kinds.contains(&ExhibitKind::DenialLetter));
    let extensions: std::collections::BTreeSet<&str> = case.exhibits.iter().filter_map(|e| e.file.rsplit('.').next()).collect();
    assert_eq!(extensions.into_iter().collect::<Vec<_>>(), ["jpg", "md", "pdf", "png", "tiff", "txt"]);
    assert!(!dir.join("letter.md").exists());
}

#[test]
fn demo_history_has_a_missed_promise_and_a_live_one() {
    let tmp = TempDir::new("history");
    let dir = write_demo(&tmp.0, today()).unwrap();
    let case = crate::casefile::load(&dir).unwrap().case;
    let calls: Vec<_> = case.events.iter().filter(|e| e.kind == EventKind::Call).collect();
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|c| c.reference.is_some() && c.counterpart.is_some()));
    let missed = calls[0].promised.unwrap();
    assert!(missed.date() < today());
    // Nothing arrives between the first promise and the denial.
    assert!(!case.events.iter().any(|e| e.at > missed && matches!(e.kind, EventKind::Delivered | EventKind::Decision)));
    assert!(calls[1].promised.unwrap().date() > today());
    for kind in [EventKind::Order, EventKind::Verification, EventKind::Fax, EventKind::Denial] {
        assert!(case.events.iter().any(|e| e.kind == kind), "{kind}");
    }
    assert!(case.spo2.iter().any(|r| r.percent <= 88.0 && r.oxygen_lpm == 0.0));
    assert!(case.spo2.iter().any(|r| r.oxygen_lpm == 2.0));
    assert!(case.mobility.iter().all(|m| m.unit == "m"));
}

#[test]
fn demo_npi_passes_the_luhn_check() {
    assert!(npi_is_valid(case::NPI));
    let tmp = TempDir::new("npi");
    let case = crate::casefile::load(&write_demo(&tmp.0, today()).unwrap()).unwrap().case;
    assert_eq!(case.provider.unwrap().npi.as_deref(), Some(case::NPI));
}

#[test]
fn demo_photo_is_turned_by_exif_orientation_6_and_carries_gps() {
    let tmp = TempDir::new("photo");
    let dir = write_demo(&tmp.0, today()).unwrap();
    let bytes = std::fs::read(dir.join(case::OXIMETER_PHOTO)).unwrap();
    let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&bytes)).unwrap();
    let orientation = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY).unwrap();
    assert_eq!(orientation.value.get_uint(0), Some(6));
    assert!(exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY).is_some());
    assert!(bytes.windows(fixtures::PHOTO_SERIAL.len()).any(|w| w == fixtures::PHOTO_SERIAL.as_bytes()));
    // Stored portrait, shown landscape.
    let stored = image::load_from_memory(&bytes).unwrap();
    assert_eq!((stored.width(), stored.height()), (768, 1024));
}

#[test]
fn demo_documents_open_as_what_they_claim_to_be() {
    let tmp = TempDir::new("open");
    let dir = write_demo(&tmp.0, today()).unwrap();
    let pages = |file: &str| lopdf::Document::load(dir.join(file)).unwrap().get_pages().len();
    assert_eq!(pages(case::ORDER), 1);
    assert_eq!(pages(case::DENIAL_LETTER), 2);
    assert_eq!(pages(case::OXIMETRY_SCAN), 3);
    let denial = lopdf::Document::load(dir.join(case::DENIAL_LETTER)).unwrap();
    assert!(denial.extract_text(&[2]).unwrap().contains("65 calendar days"));
    for file in [case::PORTAL_SCREENSHOT, case::FAX_CONFIRMATION] {
        image::open(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    let note = std::fs::read_to_string(dir.join(case::PROGRESS_NOTE)).unwrap();
    for needle in ["°", "±", "≤", "≥", "SpO₂", "µ", "José Álvarez, RT", "**", "# "] {
        assert!(note.contains(needle), "{needle}");
    }
    assert!(std::fs::read_to_string(dir.join(case::CALL_LOG)).unwrap().contains(case::CALL1_REF));
}

#[test]
fn demo_is_byte_identical_run_to_run_and_over_itself() {
    let a = TempDir::new("same-a");
    let b = TempDir::new("same-b");
    write_demo(&a.0, today()).unwrap();
    write_demo(&b.0, today()).unwrap();
    let first = snapshot(&a.0);
    assert_eq!(first, snapshot(&b.0));
    // Writing over an existing demo replaces its files and leaves no temporary files behind.
    write_demo(&a.0, today()).unwrap();
    assert_eq!(first, snapshot(&a.0));
    assert!(first.keys().all(|k| !k.contains("redress-tmp")));
    assert!(first.keys().all(|k| !k.ends_with(crate::atomic::TEMP_SUFFIX)), "{:?}", first.keys());
    // Another day moves the dates.
    let c = TempDir::new("same-c");
    write_demo(&c.0, today().succ_opt().unwrap()).unwrap();
    assert_ne!(first.get("case.toml"), snapshot(&c.0).get("case.toml"));
}

#[test]
fn demo_reports_an_unwritable_folder_as_an_io_error() {
    let tmp = TempDir::new("blocked");
    let blocker = tmp.0.join("file");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let err = write_demo(&blocker.join("case"), today()).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
}

#[test]
fn the_demo_meets_the_home_oxygen_criteria_with_its_oximetry() {
    let tmp = TempDir::new("checklist");
    let dir = write_demo(&tmp.0.join("hayes"), today()).unwrap();
    // Through case.toml, so the service and the progress note's `meets` are read back.
    let case = crate::casefile::load(&dir).unwrap().case;
    assert_eq!(case.info.service, Some(crate::model::Service::HomeOxygen));
    let e = crate::checklist::evaluate(&case).expect("home oxygen has a checklist");
    let status = |id: &str| e.items.iter().find(|i| i.id == id).unwrap().status;
    use crate::checklist::Status::*;
    for id in
        ["oxygen-qualifying-test", "oxygen-practitioner-evaluation", "oxygen-time-of-need", "oxygen-condition", "oxygen-written-order"]
    {
        assert_eq!(status(id), Met, "{id}");
    }
    // The oxygen is not delivered: it was denied.
    assert_eq!(status("oxygen-delivery"), Gap);
    let test = &e.items[0];
    assert_eq!(test.note, "6 readings at or below 88 % on room air; lowest 83 % on exertion on room air, 2025-09-05");
    let oximetry = test
        .evidence
        .iter()
        .find_map(|x| x.exhibit.as_ref().filter(|x| x.id.as_deref() == Some("oximetry")))
        .expect("the oximetry exhibit");
    assert_eq!(oximetry.cited, "Exhibit 1");
    let evaluation = e.items.iter().find(|i| i.id == "oxygen-practitioner-evaluation").unwrap();
    assert!(evaluation.evidence.iter().any(|x| x.stated && x.exhibit.as_ref().and_then(|x| x.id.as_deref()) == Some("progress-note")));
}
