//! The fax cover sheet: the first page of a fax packet, addressed to the plan's appeals fax
//! (`BuildOptions::fax_to`, else the case's `[case] appeal_fax`), from the submitter and the
//! provider, with the date, the pages sent and a confidentiality notice. It is not numbered:
//! the record's Bates numbers and "Page i of N" are the same whichever way the packet is sent,
//! so the cover sheet stands outside them, unstamped, and is counted only in the pages the fax
//! sends (the packet's pages and this one).

use super::super::canvas::{wrap, Canvas, BLACK, LETTER};
use super::super::flow::MARGIN;
use super::super::font::{metrics, Face, Metrics};
use super::super::plan::Plan;
use super::super::stamp::StampText;
use super::super::write::PacketWriter;
use super::super::BuildOptions;
use crate::model::Case;
use crate::packet::writer::Sink;
use std::io;

/// The confidentiality notice, as fax cover sheets of health information carry it.
pub const NOTICE: &str = "CONFIDENTIALITY NOTICE: This fax contains protected health information that is private and \
    confidential. It is meant only for the recipient named above, for the appeal it concerns. If you received it in \
    error, do not read, copy or pass it on: call the sender at the number above and destroy every page.";

/// Who the fax goes to and who sends it, as the cover sheet prints them.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverText {
    pub to: String,
    pub fax: Option<String>,
    pub from: Vec<String>,
    pub date: String,
    pub pages: usize,
    pub regarding: String,
    pub numbering: String,
}

impl CoverText {
    /// The sheet's text for `case`, to `fax_to` (else the case's appeal fax), sending the
    /// `numbered` pages `stamp` numbers plus the sheet itself.
    /// The cover sheet of one transmission: the whole packet, or one volume of it.
    pub fn of_part(case: &Case, fax_to: Option<&str>, date: chrono::NaiveDate, stamp: &StampText, sent: &Sent) -> CoverText {
        let mut from = Vec::new();
        if let Some(s) = &case.submitter {
            let mut who = vec![s.name.clone()];
            who.extend(s.role.clone());
            who.extend(s.phone.as_ref().map(|p| format!("phone {p}")));
            from.push(who.join(" · "));
        }
        if let Some(p) = &case.provider {
            let mut who: Vec<String> = p.clinician.iter().chain(p.organization.iter()).cloned().collect();
            who.extend(p.phone.as_ref().map(|x| format!("phone {x}")));
            who.extend(p.fax.as_ref().map(|x| format!("fax {x}")));
            if !who.is_empty() {
                from.push(who.join(" · "));
            }
        }
        if from.is_empty() {
            from.push(format!("{} (member)", case.member.name));
        }
        let mut regarding =
            format!("{} · member {} · ID {}", super::super::sections::packet_title(case), case.member.name, case.member.member_id);
        for r in [&case.info.reference, &case.info.claim_number].into_iter().flatten() {
            regarding.push_str(&format!(" · {r}"));
        }
        let fax = fax_to.map(str::trim).filter(|f| !f.is_empty()).map(str::to_string).or_else(|| case.info.appeal_fax.clone());
        CoverText {
            to: format!("{} — Appeals", case.member.payer),
            fax,
            from,
            date: date.format("%B %-d, %Y").to_string(),
            pages: sent.pages() + 1 + sent.volume.map_or(0, |_| 1),
            regarding,
            numbering: sent.numbering(stamp),
        }
    }
}

/// What one fax transmission sends: the packet's numbered pages `first` to `last`, and
/// whether it is volume `n` of `of` (whose own unnumbered volume cover follows this sheet).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sent {
    pub first: usize,
    pub last: usize,
    pub volume: Option<(usize, usize)>,
}

impl Sent {
    /// The whole packet of `numbered` pages.
    pub fn whole(numbered: usize) -> Sent {
        Sent { first: 1, last: numbered, volume: None }
    }

    fn pages(&self) -> usize {
        self.last + 1 - self.first.min(self.last + 1)
    }

    fn numbering(&self, stamp: &StampText) -> String {
        let (from, to) = (stamp.bates(self.first), stamp.bates(self.last.max(self.first)));
        match self.volume {
            None => format!(
                "The {} pages after this sheet are numbered {from} to {to} in their footers; this sheet is not numbered.",
                self.pages()
            ),
            Some((n, of)) => format!(
                "This fax is volume {n} of {of} of the packet: after this sheet and the volume's own cover come its {} pages, \
                 numbered {from} to {to} of {} in their footers; neither cover is numbered.",
                self.pages(),
                stamp.total
            ),
        }
    }
}

/// The cover sheet drawn.
pub fn cover(fonts: &Metrics, t: &CoverText) -> Canvas {
    let mut c = Canvas::letter();
    let (l, r) = (MARGIN, LETTER.0 - MARGIN);
    let mut y = LETTER.1 - MARGIN - 30.0;
    c.text(Face::Bold, 40.0, l, y, BLACK, "FAX");
    c.text_right(fonts, Face::Regular, 11.0, r, y, BLACK, &t.date);
    y -= 14.0;
    c.line(l, y, r, y, 2.0, BLACK);
    y -= 12.0;
    let fax = t.fax.clone().unwrap_or_else(|| "(not given)".into());
    let rows: Vec<(&str, Vec<String>)> = vec![
        ("To", vec![t.to.clone()]),
        ("Fax", vec![fax]),
        ("From", t.from.clone()),
        ("Date", vec![t.date.clone()]),
        ("Pages", vec![format!("{} including this cover sheet", t.pages)]),
        ("Regarding", vec![t.regarding.clone()]),
    ];
    let key_w = 90.0;
    for (key, values) in rows {
        let big = matches!(key, "To" | "Fax" | "Pages");
        let size = if big { 16.0 } else { 11.0 };
        let lines: Vec<String> = values.iter().flat_map(|v| wrap(fonts, Face::Regular, size, r - l - key_w, v)).collect();
        let step = size + 6.0;
        y -= step;
        c.text(Face::Bold, 11.0, l, y, BLACK, key);
        for (n, line) in lines.iter().enumerate() {
            c.text(if big { Face::Bold } else { Face::Regular }, size, l + key_w, y - step * n as f64, BLACK, line);
        }
        y -= step * (lines.len().max(1) - 1) as f64 + 10.0;
        c.line(l, y, r, y, 0.5, BLACK);
    }
    y -= 24.0;
    for line in wrap(fonts, Face::Regular, 10.0, r - l, &t.numbering) {
        c.text(Face::Regular, 10.0, l, y, BLACK, &line);
        y -= 14.0;
    }
    y -= 24.0;
    let notice = wrap(fonts, Face::Bold, 10.0, r - l - 16.0, NOTICE);
    let h = 14.0 * notice.len() as f64 + 16.0;
    c.stroke_rect(l, y - h, r - l, h, 1.5, BLACK);
    for (n, line) in notice.iter().enumerate() {
        c.text(Face::Bold, 10.0, l + 8.0, y - 18.0 - 14.0 * n as f64, BLACK, line);
    }
    c
}

/// Writes the cover sheet for a packet of `numbered` pages (`stamp` numbers them) and returns
/// its page object, with a warning when it has no fax number to print.
pub fn write_cover<W: Sink>(
    out: &mut PacketWriter<W>,
    plan: &Plan,
    opts: &BuildOptions,
    stamp: &StampText,
    sent: &Sent,
) -> io::Result<(lopdf::ObjectId, Option<String>)> {
    let t = CoverText::of_part(plan.case, opts.fax_to.as_deref(), opts.now.date(), stamp, sent);
    let warning = t.fax.is_none().then(|| {
        "the fax cover sheet has no fax number: give the plan's appeal fax as appeal_fax in case.toml's [case] table, or with --fax-to"
            .to_string()
    });
    let id = out.w.alloc();
    let page = out.page(&cover(metrics(), &t), id, &[])?;
    // Unnumbered: its stamp stream stays empty.
    out.generated(page.stamp, b"")?;
    Ok((id, warning))
}
