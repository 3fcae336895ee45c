//! The demo's pictures: the oximeter photo, the portal screenshot, the fax report, the scan.

use super::case::*;
use super::documents::us;
use super::fixtures::raster::{self, hash, Canvas};
use super::fixtures::scan::{self, INK, PAPER};
use super::fixtures::{jpeg_with_metadata, PhotoMeta};
use crate::Result;
use image::GrayImage;

/// The phone photo of the fingertip oximeter: 1024 × 768 as seen, stored turned for EXIF
/// orientation 6 and tagged with the clinic's GPS position, as a phone held upright writes it.
pub(super) fn oximeter_photo(d: &Dates) -> Result<Vec<u8>> {
    let mut c = Canvas::new(1024, 768, [0; 3]);
    // A pale wall above a wooden desk, lit from the left.
    c.map(|x, y, _| {
        let light = 1.0 - x as f64 / 2600.0;
        let base = if y < 250 {
            [196.0, 204.0, 210.0]
        } else {
            let grain = ((y as f64 / 7.0 + (x as f64 / 90.0).sin() * 3.0).sin() * 10.0).round();
            [150.0 + grain, 104.0 + grain * 0.7, 66.0 + grain * 0.4]
        };
        base.map(|v| (v * light) as u8)
    });
    c.fill_rect(0, 246, 1024, 6, [110, 78, 50]);
    // The patient's finger, coming in from the left into the clip.
    c.rounded_rect(-40, 388, 470, 118, 56, [222, 170, 138]);
    c.rounded_rect(-40, 470, 470, 30, 14, [200, 148, 118]);
    // The oximeter: a shadow, the body, the display, the button.
    c.rounded_rect(318, 318, 440, 300, 60, [92, 66, 44]);
    c.rounded_rect(300, 300, 440, 300, 60, [52, 58, 66]);
    c.rounded_rect(312, 306, 416, 40, 20, [78, 86, 96]);
    c.rounded_rect(350, 360, 340, 180, 14, [8, 10, 12]);
    c.text(372, 382, 13, [90, 220, 255], "88");
    c.text(532, 384, 3, [90, 220, 255], "%SPO2");
    c.text(532, 440, 8, [150, 250, 90], "96");
    c.text(532, 512, 3, [150, 250, 90], "PR BPM");
    // The pulse-strength bar beside the readings.
    for (i, h) in [18i64, 34, 52, 40, 22, 12].iter().enumerate() {
        c.fill_rect(650 + i as i64 * 6, 520 - h, 4, *h, [255, 200, 60]);
    }
    c.rounded_rect(500, 556, 40, 28, 12, [30, 32, 36]);
    c.grain(d.visit().to_string().bytes().map(u32::from).sum(), 5);
    let taken = format!("{} 10:31:07", d.visit().format("%Y:%m:%d"));
    jpeg_with_metadata(&c.to_rgb(), &PhotoMeta { orientation: 6, gps: true, taken: &taken })
}

/// A screenshot of the plan's provider portal showing the request still pending.
pub(super) fn portal_screenshot(d: &Dates) -> Result<Vec<u8>> {
    let (w, h) = (1100, 600);
    let mut c = Canvas::new(w, h, [248, 249, 251]);
    let dark = [33, 37, 41];
    let grey = [108, 117, 125];
    // Browser chrome.
    c.fill_rect(0, 0, w as i64, 44, [222, 225, 230]);
    for (i, color) in [[237, 106, 94], [245, 191, 79], [98, 197, 84]].iter().enumerate() {
        c.rounded_rect(14 + i as i64 * 22, 15, 14, 14, 7, *color);
    }
    c.rounded_rect(90, 8, 900, 28, 14, [255; 3]);
    c.text(108, 15, 2, grey, "https://providers.lakeshoreadvantage.example/auth/status");
    // Portal header.
    c.fill_rect(0, 44, w as i64, 64, [20, 52, 96]);
    c.text(30, 64, 3, [255; 3], "LAKESHORE ADVANTAGE PLUS");
    c.text(560, 70, 2, [170, 195, 230], "PROVIDER PORTAL  |  NORTHSIDE HOME MEDICAL");
    c.text(30, 132, 3, dark, "AUTHORIZATION STATUS");
    let member = format!("MEMBER: HAYES, WALTER    ID {MEMBER_ID}    DOB {}", us(d.dob()));
    c.text(30, 172, 2, grey, &member);
    // The table.
    let columns = [30i64, 200, 350, 705, 935];
    let header = ["REQUEST #", "SUBMITTED", "SERVICE", "STATUS", "LAST UPDATE"];
    let top = 210;
    let row_h = 52;
    c.fill_rect(20, top, w as i64 - 40, row_h, [232, 237, 244]);
    for (x, label) in columns.iter().zip(header) {
        c.text(*x, top + 19, 2, dark, label);
    }
    let amber = [232, 150, 20];
    let green = [40, 150, 80];
    let rows = [
        (AUTHORIZATION.to_string(), d.fax(), "E1390 OXYGEN CONCENTRATOR", "PENDING REVIEW", amber, d.fax()),
        ("PA-86120458".to_string(), d.day(-120), "94618 PULMONARY STRESS TEST", "APPROVED", green, d.day(-116)),
        ("PA-85533017".to_string(), d.day(-210), "E0570 NEBULIZER", "APPROVED", green, d.day(-207)),
    ];
    for (i, (id, sent, service, status, color, updated)) in rows.iter().enumerate() {
        let y = top + row_h * (i as i64 + 1);
        c.fill_rect(20, y, w as i64 - 40, row_h, if i % 2 == 0 { [255; 3] } else { [246, 248, 250] });
        c.text(columns[0], y + 19, 2, [13, 90, 180], id);
        c.text(columns[1], y + 19, 2, dark, &us(*sent));
        c.text(columns[2], y + 19, 2, dark, service);
        let pill = Canvas::text_width(status, 2) + 24;
        c.rounded_rect(columns[3] - 6, y + 11, pill, 30, 15, *color);
        c.text(columns[3] + 6, y + 19, 2, [255; 3], status);
        c.text(columns[4], y + 19, 2, dark, &us(*updated));
    }
    let bottom = top + row_h * 4;
    for i in 0..=4 {
        c.fill_rect(20, top + row_h * i, w as i64 - 40, 1, [206, 212, 218]);
    }
    c.frame(20, top, w as i64 - 40, bottom - top + 1, 1, [206, 212, 218]);
    let days_open = (d.portal_check() - d.fax()).num_days();
    let note = format!("{AUTHORIZATION}: RECEIVED {}  -  IN CLINICAL REVIEW  -  {days_open} DAYS OPEN", us(d.fax()));
    c.text(30, bottom + 30, 2, dark, &note);
    c.text(30, bottom + 60, 2, grey, "NO DECISION HAS BEEN ISSUED. YOU WILL BE NOTIFIED BY FAX.");
    let captured = format!("STATUS AS OF {} 10:30 AM CT", us(d.portal_check()));
    c.text(30, h as i64 - 40, 2, grey, &captured);
    let img = c.to_rgb();
    raster::png(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::Rgb8)
}

/// The fax machine's transmission report for the prior authorization request: a greyscale
/// TIFF at fax-like resolution with a thumbnail of the cover sheet.
pub(super) fn fax_confirmation(d: &Dates) -> Result<Vec<u8>> {
    let mut c = Canvas::new(850, 1100, [252; 3]);
    let black = [20; 3];
    c.text(60, 60, 3, black, "TRANSMISSION RESULT REPORT");
    c.text(60, 100, 2, black, "(MEMORY TX)");
    let when = format!("{} 14:43", us(d.fax()));
    c.text(560, 100, 2, black, &when);
    c.text(60, 140, 2, black, &format!("{}  FAX {PROVIDER_FAX}", ORGANIZATION.to_uppercase()));
    c.fill_rect(60, 175, 730, 3, black);
    let rows = [
        ("JOB NO.", "0417".to_string()),
        ("START TIME", format!("{} 14:40", us(d.fax()))),
        ("DESTINATION", format!("LAKESHORE UM  {PLAN_UM_FAX}")),
        ("PAGES SENT", "9 / 9".to_string()),
        ("DURATION", "00:03:12".to_string()),
        ("MODE", "STANDARD  ECM".to_string()),
        ("RESULT", "OK".to_string()),
    ];
    for (i, (k, v)) in rows.iter().enumerate() {
        let y = 205 + i as i64 * 40;
        c.text(60, y, 2, black, k);
        c.text(300, y, 2, black, v);
    }
    c.fill_rect(60, 500, 730, 3, black);
    // A reduced image of the first page sent: the cover sheet.
    c.frame(170, 540, 510, 500, 2, black);
    c.text(200, 570, 3, black, "FAX COVER SHEET");
    let cover = [
        format!("TO: LAKESHORE UM {PLAN_UM_FAX}"),
        format!("FROM: {}", SUBMITTER.to_uppercase()),
        format!("RE: PRIOR AUTH E1390 - {}", MEMBER.to_uppercase()),
        format!("MEMBER ID {MEMBER_ID}"),
        "PAGES: 9 INCLUDING COVER".to_string(),
    ];
    for (i, line) in cover.iter().enumerate() {
        c.text(200, 620 + i as i64 * 26, 2, black, line);
    }
    for i in 0..10 {
        let len = 300 + (hash(i, 3, 9) % 70) as i64;
        c.fill_rect(200, 780 + i as i64 * 22, len, 6, [120; 3]);
    }
    c.text(60, 1060, 2, black, "RESULT OK = ALL PAGES RECEIVED BY THE REMOTE MACHINE");
    let img = c.to_gray();
    raster::tiff(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::L8)
}

/// The three scanned pages of the overnight oximetry report: summary, trend, interpretation.
pub(super) fn oximetry_scan(d: &Dates) -> Vec<GrayImage> {
    let (w, h) = (850u32, 1100u32);
    let seed = d.oximetry_night().to_string().bytes().map(u32::from).sum::<u32>();
    let header = |c: &mut Canvas, page: u32| {
        c.text(60, 56, 3, INK, "NORTHSIDE SLEEP & PULMONARY DIAGNOSTICS");
        c.text(60, 90, 2, INK, "OVERNIGHT PULSE OXIMETRY REPORT");
        c.text(620, 90, 2, INK, &format!("PAGE {page} OF 3"));
        c.fill_rect(60, 116, 730, 3, INK);
        c.text(60, 132, 2, INK, &format!("PATIENT: {}   DOB {}   ID {MEMBER_ID}", MEMBER.to_uppercase(), us(d.dob())));
    };

    let mut p1 = Canvas::new(w, h, PAPER);
    header(&mut p1, 1);
    let start = format!("RECORDED: {} 22:14 TO {} 05:52", us(d.oximetry_night()), us(d.oximetry_report()));
    p1.text(60, 170, 2, INK, &start);
    p1.text(60, 200, 2, INK, "CONDITIONS: ROOM AIR, HOME, WRIST OXIMETER WM-30");
    p1.text(60, 230, 2, INK, &format!("ORDERED BY: {}", CLINICIAN.to_uppercase()));
    p1.text(60, 290, 3, INK, "SUMMARY");
    let summary = [
        ("TOTAL RECORDING TIME", "7 H 38 MIN"),
        ("VALID DATA", "7 H 31 MIN (98%)"),
        ("MEAN SPO2", "89.6 %"),
        ("NADIR SPO2", "81 %"),
        ("TIME SPO2 <= 88%", "142 MIN (31.0 %)"),
        ("TIME SPO2 <= 85%", "37 MIN (8.1 %)"),
        ("ODI (4%)", "11.2 / HOUR"),
        ("MEAN PULSE", "78 BPM"),
        ("PULSE RANGE", "61 - 104 BPM"),
    ];
    for (i, (k, v)) in summary.iter().enumerate() {
        let y = 340 + i as i64 * 44;
        p1.frame(60, y - 12, 730, 45, 2, INK);
        p1.text(76, y, 2, INK, k);
        p1.text(470, y, 2, INK, v);
    }
    p1.text(60, 760, 2, INK, "TECHNICIAN: J. ALVAREZ, RT");
    p1.text(60, 790, 2, INK, "DATA DOWNLOADED AND REVIEWED THE MORNING AFTER RECORDING.");

    let mut p2 = Canvas::new(w, h, PAPER);
    header(&mut p2, 2);
    p2.text(60, 180, 3, INK, "SPO2 TREND (%)");
    trend_chart(&mut p2, (100, 230, 690, 360), (70.0, 100.0), Some(88.0), seed, |t, n| {
        // Shallow dips early, a long deep trough in the small hours, recovery at dawn.
        let trough = (-(t - 0.45).powi(2) / 0.02).exp() * 9.0;
        let dips = if (t * 40.0).fract() < 0.18 { 3.5 } else { 0.0 };
        93.0 - trough - dips - n * 1.5
    });
    p2.text(60, 660, 3, INK, "PULSE RATE (BPM)");
    trend_chart(&mut p2, (100, 710, 690, 240), (50.0, 110.0), None, seed ^ 0x55, |t, n| {
        72.0 + (-(t - 0.45).powi(2) / 0.02).exp() * 14.0 + n * 4.0
    });

    let mut p3 = Canvas::new(w, h, PAPER);
    header(&mut p3, 3);
    p3.text(60, 180, 3, INK, "DESATURATION EVENTS (4%)");
    let events = [
        ("23:41", "6 MIN", "87 %"),
        ("00:58", "11 MIN", "85 %"),
        ("01:47", "38 MIN", "82 %"),
        ("02:15", "24 MIN", "81 %"),
        ("03:30", "17 MIN", "84 %"),
        ("04:30", "9 MIN", "86 %"),
    ];
    p3.text(76, 230, 2, INK, "START");
    p3.text(276, 230, 2, INK, "DURATION");
    p3.text(476, 230, 2, INK, "NADIR");
    p3.fill_rect(60, 252, 730, 2, INK);
    for (i, (start, dur, nadir)) in events.iter().enumerate() {
        let y = 268 + i as i64 * 32;
        p3.text(76, y, 2, INK, start);
        p3.text(276, y, 2, INK, dur);
        p3.text(476, y, 2, INK, nadir);
    }
    p3.text(60, 500, 3, INK, "INTERPRETATION");
    let lines = [
        "SUSTAINED NOCTURNAL HYPOXEMIA ON ROOM AIR.",
        "SPO2 AT OR BELOW 88% FOR 142 MINUTES (31% OF",
        "RECORDING), WELL OVER 5 MINUTES. NADIR 81%.",
        "PATTERN CONSISTENT WITH COPD-RELATED HYPOVENTILATION.",
        "MEETS MEDICARE GROUP I CRITERIA FOR HOME OXYGEN",
        "DURING SLEEP.",
        "RECOMMEND OXYGEN 2 L/MIN AND REPEAT STUDY ON OXYGEN.",
    ];
    for (i, line) in lines.iter().enumerate() {
        p3.text(60, 550 + i as i64 * 30, 2, INK, line);
    }
    p3.text(60, 840, 2, INK, &format!("READ BY: {}   NPI {NPI}", CLINICIAN.to_uppercase()));
    p3.text(60, 870, 2, INK, &format!("DATE: {}", us(d.oximetry_report())));
    // A handwritten signature: a loose, looping stroke.
    let mut prev = (80i64, 960i64);
    for i in 1..=120 {
        let t = i as f64 / 120.0;
        let x = 80.0 + t * 300.0;
        let y = 960.0 + (t * 25.0).sin() * 22.0 * (1.0 - t * 0.6) - t * 20.0;
        let next = (x as i64, y as i64);
        p3.line(prev, next, 3, INK);
        prev = next;
    }
    p3.fill_rect(60, 1000, 400, 2, INK);

    [p1, p2, p3].into_iter().enumerate().map(|(i, c)| scan::finish(c, seed.wrapping_add(i as u32))).collect()
}

/// A framed line chart of `value(t, noise)` for t in 0..1, with hour ticks along the bottom
/// (22:00 to 06:00) and an optional dashed threshold line.
fn trend_chart(
    c: &mut Canvas,
    (x, y, w, h): (i64, i64, i64, i64),
    (lo, hi): (f64, f64),
    threshold: Option<f64>,
    seed: u32,
    value: impl Fn(f64, f64) -> f64,
) {
    let to_y = |v: f64| y + h - ((v.clamp(lo, hi) - lo) / (hi - lo) * h as f64) as i64;
    c.frame(x, y, w, h, 2, INK);
    for k in 0..=3 {
        let v = lo + (hi - lo) * k as f64 / 3.0;
        c.fill_rect(x - 8, to_y(v), 8, 2, INK);
        c.text(x - 52, to_y(v) - 7, 2, INK, &format!("{v:.0}"));
    }
    for (k, hour) in ["22", "23", "00", "01", "02", "03", "04", "05", "06"].iter().enumerate() {
        let tx = x + w * k as i64 / 8;
        c.fill_rect(tx, y + h, 2, 8, INK);
        c.text(tx - 12, y + h + 14, 2, INK, hour);
    }
    if let Some(t) = threshold {
        let ty = to_y(t);
        let mut dx = x;
        while dx < x + w {
            c.fill_rect(dx, ty, 10, 2, INK);
            dx += 18;
        }
        c.text(x + w + 8, ty - 7, 2, INK, &format!("{t:.0}"));
    }
    let mut prev = None;
    for px in 0..w {
        let t = px as f64 / w as f64;
        let n = (hash(px as u32, 0, seed) % 1000) as f64 / 1000.0;
        let point = (x + px, to_y(value(t, n)));
        if let Some(p) = prev {
            c.line(p, point, 2, INK);
        }
        prev = Some(point);
    }
}
