//! The generated sections: cover, contents, timeline, letter, exhibit separators, photo
//! pages, text exhibits and the manifest. Each turns plan data into drawn pages; none does I/O.

use super::canvas::{fit, wrap, Canvas, Color, ACCENT, ALERT, BLACK, GREY, LETTER, RULE, SHADE};
use super::flow::{parse_markdown, Flow, Span, MARGIN};
use super::font::{Face, Metrics};
use super::stamp::BAND;
use super::volumes::Where;
use crate::model::*;
use chrono::NaiveDate;

/// An exhibit as placed in the packet.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExhibitEntry {
    pub number: usize,
    #[serde(skip)]
    pub index: usize,
    pub kind: ExhibitKind,
    pub date: NaiveDate,
    pub title: String,
    pub source: String,
    pub sha256: String,
    /// 1-based page of the separator.
    pub first_page: usize,
    /// Pages including the separator.
    pub pages: usize,
    /// The part of the exhibit placed, when it is split across volumes (`None`: all of it).
    #[serde(skip)]
    pub part: Option<super::volumes::Part>,
}

/// What a section of the packet is, in the order the packet gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum SectionKind {
    Cover,
    Contents,
    Timeline,
    Letter,
    /// The clinical charts: no pages when the case has no readings.
    Charts,
    /// The coverage-criteria checklist (`--checklist`): no pages unless asked for and the
    /// case's service has a checklist.
    Checklist,
    Exhibit,
    Manifest,
}

impl SectionKind {
    /// The name in the build report and the app's packet view.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Cover => "cover",
            SectionKind::Contents => "contents",
            SectionKind::Timeline => "timeline",
            SectionKind::Letter => "letter",
            SectionKind::Charts => "charts",
            SectionKind::Checklist => "checklist",
            SectionKind::Exhibit => "exhibit",
            SectionKind::Manifest => "manifest",
        }
    }
}

impl From<SectionKind> for String {
    fn from(k: SectionKind) -> String {
        k.as_str().to_string()
    }
}

/// A section of the packet as listed in the contents and the build report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SectionEntry {
    pub kind: SectionKind,
    pub title: String,
    pub first_page: usize,
    pub pages: usize,
}

/// A deadline line for the cover and timeline.
#[derive(Debug, Clone)]
pub struct DeadlineLine {
    pub label: String,
    /// The date, and the time with its zone for hour rules.
    pub due: String,
    /// What it was counted from, in words.
    pub basis: String,
    pub rule: String,
    pub citation: String,
    pub status: String,
    pub overdue: bool,
    pub warnings: Vec<String>,
}

/// A decision clock the plan missed: still undecided after it ran out, or decided late.
#[derive(Debug, Clone, PartialEq)]
pub struct MissedClock {
    /// What the plan had to do: "Decide the reconsideration".
    pub label: String,
    pub due: NaiveDate,
    pub due_time: Option<chrono::NaiveDateTime>,
    /// The due date (and time with its zone) as people read it.
    pub due_text: String,
    pub citation: String,
    /// Whole days from the due date to the late decision, or to today while none is recorded.
    pub days_late: i64,
    /// Whether the plan has decided since (late).
    pub decided: bool,
}

impl MissedClock {
    /// `decision overdue by 12 days`, `decision made 3 days late`.
    pub fn summary(&self) -> String {
        let days = if self.days_late == 1 { "1 day".to_string() } else { format!("{} days", self.days_late) };
        match (self.decided, self.days_late > 0) {
            (true, true) => format!("decision made {days} late"),
            (true, false) => "decision made late".into(),
            (false, true) => format!("decision overdue by {days}"),
            (false, false) => format!("decision overdue since {}", self.due_text),
        }
    }
}

/// The cover's count of what the plan failed to do: `3 promised dates missed; decision overdue
/// by 12 days`; `None` when it failed nothing.
pub fn missed_summary(missed: &[bool], clocks: &[MissedClock]) -> Option<String> {
    let promises = missed.iter().filter(|m| **m).count();
    let mut parts = Vec::new();
    match promises {
        0 => {}
        1 => parts.push("1 promised date missed".to_string()),
        n => parts.push(format!("{n} promised dates missed")),
    }
    parts.extend(clocks.iter().map(MissedClock::summary));
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// What the front matter needs to know about the whole packet.
pub struct Front<'a> {
    pub case: &'a Case,
    pub exhibits: &'a [ExhibitEntry],
    pub sections: &'a [SectionEntry],
    pub deadlines: &'a [DeadlineLine],
    /// Per event (same order as `case.events`): was its promise missed?
    pub missed: &'a [bool],
    /// The decision clocks the plan missed, in due order.
    pub missed_clocks: &'a [MissedClock],
    pub total_pages: usize,
    pub prepared: NaiveDate,
}

/// What the packet is, in the words a reviewer expects on its cover.
pub fn packet_title(case: &Case) -> String {
    let i = &case.info;
    let exp = i.urgency == Urgency::Expedited;
    if let Some(level) = &i.level {
        let words: Vec<String> = level
            .split(['-', '_', ' '])
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut c = w.chars();
                c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
            })
            .collect();
        return format!("Request for {}{}", if exp { "Expedited " } else { "" }, words.join(" "));
    }
    match i.kind {
        CaseKind::MemberGrievance => (if exp { "Expedited Member Grievance" } else { "Member Grievance" }).into(),
        CaseKind::RegulatorComplaint => format!("Complaint to {}", crate::packet::letters::regulator::addressee(i.program).title),
        CaseKind::ProviderAppeal => {
            let what = match i.program {
                Program::MedicareAdvantage => "Reconsideration",
                Program::MedicarePartD | Program::OriginalMedicare => "Redetermination",
                Program::Erisa | Program::Aca => "Internal Appeal",
                Program::MedicaidManagedCare => "Plan Appeal",
                Program::Contract => "Provider Dispute Review",
                Program::StateDoi => return "Complaint to the Department of Insurance".into(),
            };
            format!("Request for {}{what}", if exp { "Expedited " } else { "" })
        }
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%B %-d, %Y").to_string()
}

pub fn cover(fonts: &Metrics, f: &Front) -> Vec<Canvas> {
    let case = f.case;
    let mut c = Canvas::letter();
    let (l, r) = (MARGIN, LETTER.0 - MARGIN);
    let mut y = LETTER.1 - MARGIN - 6.0;
    c.fill_rect(0.0, y - 8.0, LETTER.0, 14.0 + 8.0 + 60.0, SHADE);
    y += 40.0;
    c.text(Face::Regular, 9.0, l, y, GREY, &format!("{} · {}", case.info.kind.label(), case.info.program.label()));
    y -= 28.0;
    let title = packet_title(case);
    let size = if fonts.width(Face::Bold, &title, 22.0) > r - l { 17.0 } else { 22.0 };
    c.text(Face::Bold, size, l, y, ACCENT, &title);
    y -= 20.0;
    c.text(Face::Regular, 11.0, l, y, BLACK, &fit(fonts, Face::Regular, 11.0, r - l, &case.info.title));
    if case.info.urgency == Urgency::Expedited {
        c.text_right(fonts, Face::Bold, 11.0, r, y + 48.0, ALERT, "EXPEDITED REVIEW REQUESTED");
    }
    y -= 34.0;

    let m = &case.member;
    let i = &case.info;
    let mut rows: Vec<(&str, String)> = vec![
        ("Member", m.name.clone()),
        ("Date of birth", m.dob.format("%m/%d/%Y").to_string()),
        ("Member ID", m.member_id.clone()),
        ("Plan", m.payer.clone()),
    ];
    for (k, v) in [("Reference", &i.reference), ("Claim number", &i.claim_number), ("Authorization number", &i.authorization_number)] {
        if let Some(v) = v {
            rows.push((k, v.clone()));
        }
    }
    rows.push(("Notice date", date(i.notice_date)));
    if let Some(d) = i.received_date {
        rows.push(("Notice received", date(d)));
    }
    if let Some(d) = &i.denial_reason {
        rows.push(("Reason given for denial", d.clone()));
    }
    if let Some(d) = &i.requested_action {
        rows.push(("Requested action", d.clone()));
    }
    if let Some(s) = missed_summary(f.missed, f.missed_clocks) {
        rows.push(("Missed by the plan", s));
    }
    if !i.diagnoses.is_empty() {
        rows.push(("Diagnoses (ICD-10-CM)", i.diagnoses.join(", ")));
    }
    if !i.procedures.is_empty() {
        rows.push(("Procedures (HCPCS/CPT)", i.procedures.join(", ")));
    }
    if let Some(p) = &case.provider {
        let mut who = Vec::new();
        if let Some(cl) = &p.clinician {
            who.push(match &p.npi {
                Some(n) => format!("{cl} (NPI {n})"),
                None => cl.clone(),
            });
        }
        if let Some(o) = &p.organization {
            who.push(o.clone());
        }
        let contact: Vec<String> =
            [p.phone.as_ref().map(|x| format!("phone {x}")), p.fax.as_ref().map(|x| format!("fax {x}"))].into_iter().flatten().collect();
        if !contact.is_empty() {
            who.push(contact.join(", "));
        }
        if !who.is_empty() {
            rows.push(("Ordering provider", who.join(" · ")));
        }
    }
    if let Some(s) = &case.submitter {
        let mut who = vec![s.name.clone()];
        who.extend(s.role.clone());
        who.extend(s.phone.as_ref().map(|p| format!("phone {p}")));
        rows.push(("Submitted by", who.join(" · ")));
    }
    rows.push(("Pages in this packet", f.total_pages.to_string()));
    rows.push(("Prepared", date(f.prepared)));

    let key_w = 150.0;
    let mut pages = vec![c];
    // Below this the footer stamp's band begins: a row or deadline that does not fit goes on
    // a continuation page, never dropped.
    let bottom = BAND + 24.0;
    for (k, v) in rows {
        let lines = wrap(fonts, Face::Regular, 10.0, r - l - key_w, &v);
        let h = 14.0 * lines.len() as f64 + 6.0;
        y = continue_if_full(&mut pages, y, h, bottom);
        let c = pages.last_mut().expect("the cover has a page");
        c.text(Face::Bold, 9.0, l, y - 11.0, GREY, k);
        for (n, line) in lines.iter().enumerate() {
            c.text(Face::Regular, 10.0, l + key_w, y - 11.0 - 14.0 * n as f64, BLACK, line);
        }
        y -= h;
        c.line(l, y + 2.0, r, y + 2.0, 0.3, RULE);
    }

    // Deadlines, each with the rule it comes from, what it was counted from and every warning.
    y = continue_if_full(&mut pages, y, 40.0, bottom);
    y -= 16.0;
    pages.last_mut().expect("page").text(Face::Bold, 11.0, l, y, ACCENT, "Deadlines");
    y -= 6.0;
    if f.deadlines.is_empty() {
        y -= 14.0;
        pages.last_mut().expect("page").text(
            Face::Regular,
            9.5,
            l,
            y,
            GREY,
            "No deadline could be computed for this program; see the notice.",
        );
    }
    for d in f.deadlines {
        let notes: Vec<String> = std::iter::once(format!("Counted from {}", d.basis))
            .chain(d.warnings.iter().map(|w| format!("Warning: {w}")))
            .flat_map(|t| wrap(fonts, Face::Regular, 8.0, r - l - 12.0, &t))
            .collect();
        y = continue_if_full(&mut pages, y, 15.0 + 11.0 * notes.len() as f64, bottom);
        let c = pages.last_mut().expect("page");
        y -= 15.0;
        let color = if d.overdue { ALERT } else { BLACK };
        let right = format!("{} · {}", d.status.to_uppercase(), d.citation);
        let rw = fonts.width(Face::Regular, &right, 8.5);
        let left = fit(fonts, Face::Bold, 10.0, r - l - rw - 12.0, &format!("{} — {}", d.due, d.label));
        c.text(Face::Bold, 10.0, l, y, color, &left);
        c.text_right(fonts, Face::Regular, 8.5, r, y, GREY, &right);
        for line in &notes {
            y -= 11.0;
            c.text(Face::Regular, 8.0, l + 12.0, y, GREY, line);
        }
    }
    y = continue_if_full(&mut pages, y, 16.0, bottom);
    y -= 16.0;
    pages.last_mut().expect("page").text(Face::Regular, 8.5, l, y, GREY, "The deadline stated on your notice governs.");
    pages
}

/// Starts a continuation page when `h` more points do not fit above `bottom`; the new `y`.
fn continue_if_full(pages: &mut Vec<Canvas>, y: f64, h: f64, bottom: f64) -> f64 {
    if y - h >= bottom {
        return y;
    }
    let mut next = Canvas::letter();
    let top = LETTER.1 - MARGIN;
    next.text(Face::Regular, 9.0, MARGIN, top, GREY, "Cover (continued)");
    pages.push(next);
    top - 10.0
}

/// Lines of the contents: sections, with exhibits nested under "Exhibits".
pub fn contents(fonts: &Metrics, f: &Front) -> Vec<Canvas> {
    contents_in(fonts, f, None)
}

/// The contents of a packet in volumes (`vols`): each line gives the volume and the page, and
/// an exhibit split across volumes has a line for each further part.
pub fn contents_in(fonts: &Metrics, f: &Front, vols: Option<&Where>) -> Vec<Canvas> {
    let mut flow = Flow::new(fonts, Some("Contents".into()));
    flow.title("Contents");
    if let Some(w) = vols {
        let note = format!(
            "This packet is in {} volumes (files); each line gives the volume and the page. Pages are numbered through all of them.",
            w.of
        );
        flow.paragraph(&[Span::new(note, Face::Regular)], 9.0, 0.0, None, GREY);
    }
    let at = |volume: usize, page: usize| match vols {
        Some(_) => format!("vol. {volume} · p. {page}"),
        None => page.to_string(),
    };
    for s in f.sections {
        if s.kind == SectionKind::Exhibit {
            continue;
        }
        if s.kind == SectionKind::Manifest {
            exhibit_lines(&mut flow, f, vols);
        }
        let volume = if s.kind == SectionKind::Manifest { vols.map_or(1, |w| w.of) } else { 1 };
        contents_line(&mut flow, &s.title, s.first_page, &at(volume, s.first_page), 0.0, Face::Bold);
    }
    if !f.sections.iter().any(|s| s.kind == SectionKind::Manifest) {
        exhibit_lines(&mut flow, f, vols);
    }
    flow.finish()
}

fn exhibit_lines(flow: &mut Flow, f: &Front, vols: Option<&Where>) {
    if f.exhibits.is_empty() {
        return;
    }
    let parts = |i: usize| vols.and_then(|w| w.parts.get(i)).map(Vec::as_slice).unwrap_or(&[]);
    let label = |i: usize, k: usize, page: usize| match parts(i).get(k) {
        Some((volume, _)) => format!("vol. {volume} · p. {page}"),
        None => page.to_string(),
    };
    let first = f.exhibits[0].first_page;
    contents_line(flow, "Exhibits", first, &label(0, 0, first), 0.0, Face::Bold);
    for (i, e) in f.exhibits.iter().enumerate() {
        let text = format!("Exhibit {} · {} · {} — {}", e.number, e.kind.label(), e.date, e.title);
        contents_line(flow, &text, e.first_page, &label(i, 0, e.first_page), 14.0, Face::Regular);
        let n = parts(i).len();
        for (k, (_, page)) in parts(i).iter().enumerate().skip(1) {
            let text = format!("Exhibit {} continued: part {} of {n} (split across volumes)", e.number, k + 1);
            contents_line(flow, &text, *page, &label(i, k, *page), 28.0, Face::Regular);
        }
    }
}

/// A contents line: its title, leader dots, and `num` (the page, or the volume and page),
/// linked to packet page `page`.
fn contents_line(flow: &mut Flow, text: &str, page: usize, num: &str, indent: f64, face: Face) {
    let size = 10.0;
    flow.need(18.0);
    flow.y -= 18.0;
    let (l, r, y) = (flow.left + indent, flow.right, flow.y);
    let nw = flow.fonts.width(Face::Regular, num, size);
    let text = fit(flow.fonts, face, size, r - l - nw - 30.0, text);
    let tw = flow.fonts.width(face, &text, size);
    let dots_w = r - nw - 6.0 - (l + tw + 6.0);
    // Leaders: as many ". " as fit between the title and the page number.
    let step = flow.fonts.width(Face::Regular, ". ", size).max(0.1);
    let dots = ". ".repeat((dots_w / step).max(0.0) as usize).trim_end().to_string();
    let fonts = flow.fonts;
    let n = flow.pages.len() - 1;
    let c = &mut flow.pages[n];
    c.text(face, size, l, y, BLACK, &text);
    c.text(Face::Regular, size, l + tw + 6.0, y, RULE, &dots);
    c.text_right(fonts, Face::Regular, size, r, y, BLACK, num);
    c.link(l, y - 4.0, r - l, 16.0, page.saturating_sub(1));
}

/// One row of the timeline.
struct Row {
    when: String,
    what: String,
    what_bold: String,
    who: String,
    reference: String,
    promised: String,
    missed: bool,
    exhibit: Option<(usize, usize)>, // number, 1-based page
    key: (NaiveDate, bool, chrono::NaiveDateTime, usize),
}

pub fn timeline(fonts: &Metrics, f: &Front) -> Vec<Canvas> {
    let case = f.case;
    let mut rows: Vec<Row> = Vec::new();
    for (n, e) in case.events.iter().enumerate() {
        rows.push(Row {
            when: e.at.display_short(),
            what_bold: e.kind.label().to_string(),
            what: e.summary.clone(),
            who: e.counterpart.clone().unwrap_or_default(),
            reference: e.reference.clone().unwrap_or_default(),
            promised: e.promised.map(|p| p.display_short()).unwrap_or_default(),
            missed: f.missed.get(n).copied().unwrap_or(false),
            exhibit: None,
            key: (e.at.date(), e.at.has_time, e.at.local, 1000 + n),
        });
    }
    for e in f.exhibits {
        rows.push(Row {
            when: e.date.to_string(),
            what_bold: e.kind.label().to_string(),
            what: e.title.clone(),
            who: String::new(),
            reference: String::new(),
            promised: String::new(),
            missed: false,
            exhibit: Some((e.number, e.first_page)),
            key: (e.date, false, e.date.and_hms_opt(0, 0, 0).unwrap_or_default(), e.number),
        });
    }
    for (n, m) in f.missed_clocks.iter().enumerate() {
        rows.push(Row {
            when: m.due_text.clone(),
            what_bold: "Deadline missed".into(),
            what: format!("{} by {} ({}): {}", m.label, m.due_text, m.citation, m.summary()),
            who: String::new(),
            reference: String::new(),
            promised: String::new(),
            missed: true,
            exhibit: None,
            // A clock counted in days runs to the end of its last day, after that day's events.
            key: (m.due, true, m.due_time.unwrap_or_else(|| m.due.and_hms_opt(23, 59, 59).unwrap_or_default()), 5000 + n),
        });
    }
    rows.sort_by_key(|r| r.key);

    let mut flow = Flow::new(fonts, Some("Timeline".into()));
    flow.title("Timeline");
    let size = 8.0;
    let lead = 10.5;
    // Column x positions and widths across the 504 pt text width.
    let cols = [(0.0, 66.0), (70.0, 192.0), (266.0, 80.0), (350.0, 62.0), (416.0, 52.0), (472.0, 32.0)];
    let heads = ["Date", "What happened", "Who", "Reference", "Promised", "Exhibit"];
    let header = |flow: &mut Flow| {
        flow.y -= 14.0;
        let (l, y, w) = (flow.left, flow.y, flow.width());
        let n = flow.pages.len() - 1;
        flow.pages[n].fill_rect(l - 4.0, y - 4.0, w + 8.0, 14.0, SHADE);
        for ((x, _), h) in cols.iter().zip(heads) {
            flow.pages[n].text(Face::Bold, size, l + x, y, BLACK, h);
        }
        flow.y -= 6.0;
    };
    header(&mut flow);
    let mut page_count = flow.pages.len();
    for row in &rows {
        let what_full = format!("{}: {}", row.what_bold, row.what);
        let what_lines = wrap(flow.fonts, Face::Regular, size, cols[1].1, &what_full);
        let who_lines = wrap(flow.fonts, Face::Regular, size, cols[2].1, &row.who);
        let ref_lines = wrap(flow.fonts, Face::Regular, size, cols[3].1, &row.reference);
        let mut prom_lines = wrap(flow.fonts, Face::Regular, size, cols[4].1, &row.promised);
        if row.missed {
            prom_lines.push("MISSED".into());
        }
        let when_lines = wrap(flow.fonts, Face::Regular, size, cols[0].1, &row.when);
        let n_lines =
            [when_lines.len(), what_lines.len(), who_lines.len(), ref_lines.len(), prom_lines.len(), 1].into_iter().max().unwrap_or(1);
        let h = n_lines as f64 * lead + 5.0;
        flow.need(h);
        if flow.pages.len() != page_count {
            header(&mut flow);
            page_count = flow.pages.len();
        }
        let top = flow.y;
        let l = flow.left;
        let fonts = flow.fonts;
        let n = flow.pages.len() - 1;
        let c = &mut flow.pages[n];
        let base = top - lead + 1.0;
        for (k, line) in when_lines.iter().enumerate() {
            c.text(Face::Regular, size, l + cols[0].0, base - k as f64 * lead, BLACK, line);
        }
        for (k, line) in what_lines.iter().enumerate() {
            // The kind label is set in bold on the first line.
            let y = base - k as f64 * lead;
            if k == 0 && line.starts_with(&format!("{}:", row.what_bold)) {
                let head = format!("{}:", row.what_bold);
                c.text(Face::Bold, size, l + cols[1].0, y, BLACK, &head);
                let hw = fonts.width(Face::Bold, &head, size);
                c.text(Face::Regular, size, l + cols[1].0 + hw, y, BLACK, &line[head.len()..]);
            } else {
                c.text(Face::Regular, size, l + cols[1].0, y, BLACK, line);
            }
        }
        for (col, lines) in [(2, &who_lines), (3, &ref_lines)] {
            for (k, line) in lines.iter().enumerate() {
                c.text(Face::Regular, size, l + cols[col].0, base - k as f64 * lead, BLACK, line);
            }
        }
        for (k, line) in prom_lines.iter().enumerate() {
            let (face, color) = if line == "MISSED" { (Face::Bold, ALERT) } else { (Face::Regular, BLACK) };
            c.text(face, size, l + cols[4].0, base - k as f64 * lead, color, line);
        }
        if let Some((num, page)) = row.exhibit {
            let label = format!("Ex. {num}");
            c.text(Face::Bold, size, l + cols[5].0, base, ACCENT, &label);
            let w = fonts.width(Face::Bold, &label, size);
            c.link(l + cols[5].0 - 1.0, base - 3.0, w + 2.0, lead, page.saturating_sub(1));
            c.text(Face::Regular, 6.5, l + cols[5].0, base - lead, GREY, &format!("p. {page}"));
        }
        flow.y -= h;
        let y = flow.y + 2.0;
        let r = flow.right;
        let n = flow.pages.len() - 1;
        flow.pages[n].line(l, y, r, y, 0.25, RULE);
    }
    if !f.deadlines.is_empty() {
        flow.gap(14.0);
        flow.paragraph(&[Span::new("Deadlines", Face::Bold)], 10.0, 0.0, None, ACCENT);
        for d in f.deadlines {
            let text = vec![
                Span::new(format!("{} — {}", d.due, d.label), Face::Bold),
                Span::new(format!(" ({}; {}; {})", d.status, d.rule, d.citation), Face::Regular),
            ];
            flow.paragraph(&text, 8.5, 0.0, None, BLACK);
            flow.paragraph(&[Span::new(format!("Counted from {}", d.basis), Face::Regular)], 7.5, 12.0, None, GREY);
            for w in &d.warnings {
                flow.paragraph(&[Span::new(format!("Warning: {w}"), Face::Regular)], 7.5, 12.0, None, GREY);
            }
        }
        flow.paragraph(&[Span::new("The deadline stated on your notice governs.", Face::Regular)], 8.0, 0.0, None, GREY);
    }
    flow.finish()
}

/// The letter: the case's own letter.md, or the template for the case's kind (the plan
/// chose which).
pub fn letter(fonts: &Metrics, text: &str) -> Vec<Canvas> {
    let mut flow = Flow::new(fonts, Some("Letter".into()));
    flow.gap(6.0);
    flow.markdown(&parse_markdown(text), 10.5);
    flow.finish()
}

/// The page that opens each exhibit.
pub fn separator(fonts: &Metrics, e: &ExhibitEntry, note: Option<&str>) -> Canvas {
    let mut c = Canvas::letter();
    let l = MARGIN;
    let r = LETTER.0 - MARGIN;
    let mut y = LETTER.1 * 0.62;
    c.text(Face::Bold, 40.0, l, y, ACCENT, &format!("Exhibit {}", e.number));
    y -= 30.0;
    let pages = if e.pages == 1 { "1 page".to_string() } else { format!("{} pages", e.pages) };
    c.text(Face::Regular, 13.0, l, y, BLACK, &format!("{} · {} · {}", e.kind.label(), e.date, pages));
    y -= 12.0;
    c.line(l, y, r, y, 0.8, ACCENT);
    for line in wrap(fonts, Face::Bold, 14.0, r - l, &e.title) {
        y -= 22.0;
        c.text(Face::Bold, 14.0, l, y, BLACK, &line);
    }
    y -= 24.0;
    c.text(Face::Regular, 9.0, l, y, GREY, &fit(fonts, Face::Regular, 9.0, r - l, &format!("Source file: {}", e.source)));
    y -= 13.0;
    c.text(Face::Mono, 7.5, l, y, GREY, &format!("SHA-256 {}", e.sha256));
    if let Some(n) = note {
        y -= 16.0;
        c.text(Face::Regular, 9.0, l, y, GREY, &fit(fonts, Face::Regular, 9.0, r - l, n));
    }
    c
}

/// The fewest pixels to the inch a photo page shows a picture at: a small picture (a crop of a
/// screen, an icon) is enlarged to fit its page only this far, and otherwise shown at this
/// size, centred across the page with its caption beneath. 96 is the reference pixel of CSS:
/// a screenshot comes out the size a browser prints it at 100 %, its text as large as it was
/// read on the screen; enlarged further, each pixel becomes a visible block (a 400 × 300
/// screenshot filled a page at 43 to the inch, a 1 × 1 picture one block the size of the page).
pub const LEAST_PHOTO_PPI: f64 = 96.0;

/// A photo on its own page, upright, scaled to fit (enlarged no further than
/// [`LEAST_PHOTO_PPI`]), with its caption beneath. `size` is the upright picture's in stored
/// pixels across, each of which spans `span` of the file's own pixels.
pub fn photo_page(
    fonts: &Metrics,
    image: (&str, lopdf::ObjectId),
    (size, span): ((f64, f64), f64),
    matrix_for: impl Fn(f64, f64, f64, f64) -> [f64; 6],
    caption: &[String],
) -> Canvas {
    let (dw, dh) = size;
    let landscape = dw > dh;
    let mut c = if landscape { Canvas::new(LETTER.1, LETTER.0) } else { Canvas::letter() };
    let margin = 36.0;
    let cap_lines: Vec<String> = caption.iter().flat_map(|l| wrap(fonts, Face::Regular, 9.0, c.width - 2.0 * margin, l)).collect();
    let cap_h = cap_lines.len() as f64 * 12.0 + 8.0;
    let bottom = BAND + 8.0 + cap_h;
    let box_w = c.width - 2.0 * margin;
    let box_h = c.height - margin - bottom;
    let scale = (box_w / dw).min(box_h / dh).min(72.0 / LEAST_PHOTO_PPI * span);
    let (w, h) = (dw * scale, dh * scale);
    let x = (c.width - w) / 2.0;
    let y = bottom + (box_h - h);
    c.image(image.0, image.1, matrix_for(x, y, w, h));
    let mut cy = y - 14.0;
    for (k, line) in cap_lines.iter().enumerate() {
        let face = if k == 0 { Face::Bold } else { Face::Regular };
        c.text(face, 9.0, x.max(margin), cy, Color(0.15, 0.15, 0.15), line);
        cy -= 12.0;
    }
    c
}

/// A text or Markdown exhibit set as pages.
pub fn text_pages(fonts: &Metrics, text: &str, markdown: bool) -> Vec<Canvas> {
    let mut flow = Flow::new(fonts, None);
    if markdown {
        // Markdown has no pages of its own: a form feed in it is dropped.
        flow.markdown(&parse_markdown(&text.replace(crate::import::text::FORM_FEED, "")), 10.0);
    } else {
        flow.plain(text, 9.0);
    }
    flow.finish()
}

pub fn manifest(fonts: &Metrics, f: &Front) -> Vec<Canvas> {
    let mut flow = Flow::new(fonts, Some("Manifest".into()));
    flow.title("Manifest");
    flow.paragraph(
        &[Span::new("Every exhibit's source file, where it is in this packet, and the SHA-256 of the file as received. Anyone can hash the original file and compare.", Face::Regular)],
        9.0, 0.0, None, GREY,
    );
    flow.gap(8.0);
    for e in f.exhibits {
        flow.need(52.0);
        let l = flow.left;
        let r = flow.right;
        let fonts = flow.fonts;
        let n = flow.pages.len() - 1;
        let c = &mut flow.pages[n];
        let y = flow.y - 12.0;
        let range =
            if e.pages > 1 { format!("pages {}–{}", e.first_page, e.first_page + e.pages - 1) } else { format!("page {}", e.first_page) };
        c.text(Face::Bold, 9.5, l, y, BLACK, &format!("Exhibit {}", e.number));
        c.text(Face::Regular, 9.5, l + 62.0, y, BLACK, &fit(fonts, Face::Regular, 9.5, r - l - 62.0 - 110.0, &e.source));
        c.text_right(fonts, Face::Regular, 9.0, r, y, GREY, &range);
        c.link(l, y - 3.0, r - l, 13.0, e.first_page.saturating_sub(1));
        c.text(Face::Mono, 8.0, l + 62.0, y - 13.0, BLACK, &e.sha256);
        c.text(
            Face::Regular,
            8.0,
            l + 62.0,
            y - 25.0,
            GREY,
            &fit(fonts, Face::Regular, 8.0, r - l - 62.0, &format!("{} · {} · {}", e.kind.label(), e.date, e.title)),
        );
        flow.y -= 46.0;
        let y = flow.y + 4.0;
        let n = flow.pages.len() - 1;
        flow.pages[n].line(l, y, r, y, 0.25, RULE);
    }
    flow.finish()
}
