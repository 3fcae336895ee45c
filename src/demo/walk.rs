//! The ten documents of a coordinator's walk through the app (a denial letter, an order, two
//! notes, an oximetry report, three phone photos, a portal screenshot, a fax report), under the
//! names such files really have, with the kind, date and title a person would give each. The
//! suggestion tests measure against them and the real-window walk adds them.

use super::fixtures::{self, PdfOptions};
use crate::model::ExhibitKind;
use crate::{Error, Result};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::path::{Path, PathBuf};

/// A PDF with an Info dictionary as a producing tool writes it: the title, the creation date.
fn with_info(pdf: Vec<u8>, title: Option<&str>, created: Option<&str>) -> Result<Vec<u8>> {
    use lopdf::{Object, StringFormat};
    let bad = |e: lopdf::Error| Error::Other(format!("the walk's PDF could not be made: {e}"));
    let mut doc = lopdf::Document::load_mem(&pdf).map_err(bad)?;
    let info_id = doc.trailer.get(b"Info").and_then(|o| o.as_reference()).map_err(bad)?;
    let info = doc.get_object_mut(info_id).and_then(|o| o.as_dict_mut()).map_err(bad)?;
    match title {
        Some(t) => info.set("Title", Object::String(t.as_bytes().to_vec(), StringFormat::Literal)),
        None => {
            info.remove(b"Title");
        }
    }
    if let Some(c) = created {
        info.set("CreationDate", Object::String(c.as_bytes().to_vec(), StringFormat::Literal));
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| Error::io("walk.pdf", e))?;
    Ok(out)
}

/// One file of the walk: its name and bytes as they come off a phone, a portal or a scanner,
/// its modification time, and the kind, date and title a person would give it.
pub struct WalkFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub modified: NaiveDateTime,
    pub kind: ExhibitKind,
    pub date: NaiveDate,
    pub title: String,
}

/// The ten-document walk, from the demo's own documents (its case.toml gives each
/// one's true date) and three more made like them, under the names such files really have.
pub fn walk_files(dir: &Path, today: NaiveDate) -> Result<Vec<WalkFile>> {
    let demo = super::write_demo(&dir.join("demo"), today)?;
    let case = crate::casefile::load(&demo)?.case;
    let truth = |file: &str| {
        let e = case.exhibits.iter().find(|e| e.file == file).ok_or_else(|| Error::Other(format!("the demo has no {file}")))?;
        Ok::<_, Error>((e.date, demo.join(file)))
    };
    let at = |d: NaiveDate, h: u32| d.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default());
    let read = |p: &PathBuf| std::fs::read(p).map_err(|e| Error::io(p, e));
    let pdf_day = |d: NaiveDate, h: u32| format!("D:{}{h:02}0000-06'00'", d.format("%Y%m%d"));
    let mut out = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>, modified, kind, date, title: &str| {
        out.push(WalkFile { name: name.into(), bytes, modified, kind, date, title: title.into() })
    };

    let (notice, p) = truth("docs/denial-notice.pdf")?;
    // Downloaded from the plan's portal, named by its case number; the plan's system made it
    // the night of the notice.
    add(
        "LAP-UM-2026-041773.pdf",
        with_info(read(&p)?, Some("Notice of Denial of Medical Coverage"), Some(&pdf_day(notice, 2)))?,
        at(today, 9),
        ExhibitKind::DenialLetter,
        notice,
        "Notice of Denial of Medical Coverage",
    );
    let (order, p) = truth("docs/order-home-oxygen.pdf")?;
    add(
        "Hayes_Walter_SWO_signed.pdf",
        with_info(read(&p)?, Some("Standard written order: home oxygen"), Some(&pdf_day(order, 16)))?,
        at(order, 16),
        ExhibitKind::PhysicianOrder,
        order,
        "Standard written order: home oxygen",
    );
    let (visit, p) = truth("docs/progress-note.md")?;
    add("pulmonary-follow-up.md", read(&p)?, at(visit, 12), ExhibitKind::ProgressNote, visit, "Progress note — pulmonary follow-up");
    // The earlier visit's note, exported from the clinic's EHR two days ago: the export
    // date is in its name and its metadata; its title is the word processor's.
    let earlier = today - chrono::Days::new(45);
    let exported = today - chrono::Days::new(2);
    let soap = format!(
        "# Northside Pulmonary Associates\n2400 N. Ashland Ave, Chicago, IL 60614    Phone 773-555-0110\n\n# Office Visit - SOAP Note\n\
         Patient: Walter Hayes    DOB: 03/14/1947    MRN: 448120\nDate of service: {}    Provider: Priya Natarajan, MD\n\n\
         S: Breathless on one flight of stairs; no fever.\nO: SpO2 90% at rest on room air, 86% after walking 40 m; HR 108.\n\
         A: Severe COPD with exertional hypoxemia.\nP: Overnight oximetry on room air; follow up in two weeks.",
        earlier.format("%m/%d/%Y")
    );
    add(
        &format!("ClinicalNote_{}.pdf", exported.format("%Y-%m-%d")),
        with_info(
            fixtures::pdf_with(PdfOptions::text(&[&soap])),
            Some("Microsoft Word - note_template.docx"),
            Some(&pdf_day(exported, 15)),
        )?,
        at(exported, 15),
        ExhibitKind::ProgressNote,
        earlier,
        "Office Visit - SOAP Note",
    );
    // Scanned at the office on the day it was faxed; no text layer.
    let (report, p) = truth("docs/overnight-oximetry-report.pdf")?;
    let (fax, fax_path) = truth("docs/fax-confirmation.tiff")?;
    add("overnight-oximetry-report.pdf", read(&p)?, at(fax, 11), ExhibitKind::OxygenLog, report, "Overnight oximetry report");
    // Three phone photos, copied off the phone today: two with EXIF, one forwarded by
    // WhatsApp (which strips it and puts the date in the name).
    let (_, p) = truth("docs/oximeter-photo.jpg")?;
    add("IMG_4471.JPG", read(&p)?, at(today, 8), ExhibitKind::Photo, visit, &format!("Photo taken {visit}"));
    let home = today - chrono::Days::new(5);
    let scene = image::RgbImage::from_fn(640, 480, |x, y| image::Rgb([(x / 3) as u8, (y / 2) as u8, 120]));
    let taken = format!("{} 18:42:10", home.format("%Y:%m:%d"));
    let bytes = fixtures::jpeg_with_metadata(&scene, &fixtures::PhotoMeta { orientation: 1, gps: true, taken: &taken })
        .map_err(|e| Error::Other(format!("the walk's photo could not be made: {e}")))?;
    add("IMG_4502.JPG", bytes, at(today, 8), ExhibitKind::Photo, home, &format!("Photo taken {home}"));
    let sent = today - chrono::Days::new(4);
    add(
        &format!("IMG-{}-WA0003.jpg", sent.format("%Y%m%d")),
        fixtures::jpeg_plain(800, 600, 7),
        at(today, 8),
        ExhibitKind::Photo,
        sent,
        &format!("Photo taken {sent}"),
    );
    // The portal screenshot as macOS names it; the fax machine's report as its software saves it.
    let (portal, p) = truth("docs/portal-status.png")?;
    add(
        &format!("Screenshot {portal} at 10.30.41.png"),
        read(&p)?,
        at(portal, 10),
        ExhibitKind::Screenshot,
        portal,
        &format!("Screenshot taken {portal}"),
    );
    add("TX_Report_0417.tif", read(&fax_path)?, at(fax, 14), ExhibitKind::FaxConfirmation, fax, &format!("Fax transmission report, {fax}"));
    Ok(out)
}
