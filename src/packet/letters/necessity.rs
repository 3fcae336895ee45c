//! The provider's appeal: a letter of medical necessity, in the register a clinical reviewer
//! expects. The patient, the item or service with its codes, the diagnoses, the findings with
//! their numbers and exhibits, how the coverage criteria are met (when given), the denial
//! answered point by point, the request, and the clinician's signature block.

use super::evidence::{answer, denial_points, findings, topic, Topic};
use super::{cite, cite_all, date, end_sentence, expedited, heading, level_asked, of_kinds, plan_appeals, text};
use crate::model::*;
use crate::packet::sections::{packet_title, Front};

pub fn letter(f: &Front, criteria: Option<&str>) -> String {
    let case = f.case;
    let charts = crate::readings::charts(case);
    let mut s = heading(f, &plan_appeals(case), &format!("{} — Letter of medical necessity", packet_title(case)));
    s.push_str("To the reviewer:\n\n");
    s.push_str(&opening(case));
    s.push_str(&patient(case));
    s.push_str(&requested(case));
    s.push_str(&diagnoses(case));
    s.extend(findings(f, &charts, saturation_point(case)));
    if let Some(c) = criteria.map(str::trim).filter(|c| !c.is_empty()) {
        s.push_str(&format!("## How the coverage criteria are met\n\n{c}\n\n"));
    }
    s.push_str(&denial(f, &charts));
    s.push_str(&request(case));
    s.push_str(&enclosures(f));
    s.push_str(&contact(case));
    s.push_str("Sincerely,\n");
    let signed = signature(case);
    if !signed.is_empty() {
        s.push_str(&format!("\n{signed}"));
    }
    s
}

/// Who asks in a provider appeal: the organization, else the ordering clinician, else the
/// person sending the packet. Never the member: the member is the one asked for.
fn requester(case: &Case) -> Option<String> {
    let p = case.provider.as_ref();
    p.and_then(|p| text(&p.organization))
        .or_else(|| p.and_then(|p| text(&p.clinician)))
        .or_else(|| case.submitter.as_ref().map(|s| s.name.trim()).filter(|n| !n.is_empty()))
        .map(str::to_string)
}

/// `Dr. Priya Natarajan (NPI 1234567893)`, or what there is of it.
fn clinician_with_npi(p: &Provider) -> Option<String> {
    match (text(&p.clinician), text(&p.npi)) {
        (Some(c), Some(n)) => Some(format!("{c} (NPI {n})")),
        (Some(c), None) => Some(c.to_string()),
        (None, Some(n)) => Some(format!("the clinician with NPI {n}")),
        (None, None) => None,
    }
}

/// The decision, who asks for its review, and who ordered the care.
fn opening(case: &Case) -> String {
    let (i, m) = (&case.info, &case.member);
    let reason = text(&i.denial_reason).map(|r| format!(", stating: “{r}”")).unwrap_or_default();
    let mut s = end_sentence(&format!("On {}, {} issued an adverse decision for {}{reason}", date(i.notice_date), m.payer, m.name));
    let asks = requester(case).map(|who| format!("{who} requests")).unwrap_or_else(|| "we request".into());
    s.push_str(&format!(" On behalf of the member, {asks} {} of that decision.\n\n", level_asked(case)));
    if let Some(who) = case.provider.as_ref().and_then(clinician_with_npi) {
        s.push_str(&format!("This care for {} was ordered by {who}, who supports this request.\n\n", m.name));
    }
    s
}

fn patient(case: &Case) -> String {
    let (i, m) = (&case.info, &case.member);
    let mut s = format!(
        "## Patient\n\n- Name: {}\n- Date of birth: {}\n- Member ID: {}\n- Plan: {}\n",
        m.name,
        m.dob.format("%m/%d/%Y"),
        m.member_id,
        m.payer
    );
    for (label, v) in
        [("Plan reference", &i.reference), ("Authorization number", &i.authorization_number), ("Claim number", &i.claim_number)]
    {
        if let Some(v) = text(v) {
            s.push_str(&format!("- {label}: {v}\n"));
        }
    }
    s.push('\n');
    s
}

/// The requested item or service and its codes; nothing when the case names neither.
fn requested(case: &Case) -> String {
    let i = &case.info;
    let codes = (!i.procedures.is_empty()).then(|| format!("HCPCS/CPT: {}.", i.procedures.join(", ")));
    let what = text(&i.requested_action).map(end_sentence);
    if what.is_none() && codes.is_none() {
        return String::new();
    }
    let body: Vec<String> = what.into_iter().chain(codes).collect();
    format!("## Requested item or service\n\n{}\n\n", body.join(" "))
}

/// The diagnoses by their ICD-10-CM codes (the library holds no code descriptions).
fn diagnoses(case: &Case) -> String {
    let d = &case.info.diagnoses;
    if d.is_empty() {
        return String::new();
    }
    let items: String = d.iter().map(|c| format!("- {c} (ICD-10-CM)\n")).collect();
    format!("## Diagnoses\n\n{items}\n")
}

/// The number (from 1) of the denial's first point about oxygen saturation, whose answer lists
/// the qualifying readings.
fn saturation_point(case: &Case) -> Option<usize> {
    let reason = text(&case.info.denial_reason)?;
    denial_points(reason).iter().position(|p| topic(p) == Topic::Saturation).map(|i| i + 1)
}

/// The denial reason, each stated point quoted and answered with the evidence that meets it.
fn denial(f: &Front, charts: &crate::readings::ReadingCharts) -> String {
    let Some(reason) = text(&f.case.info.denial_reason) else { return String::new() };
    let notices = of_kinds(f, &[ExhibitKind::DenialLetter]);
    let notice = if notices.is_empty() { String::new() } else { format!(" ({})", cite_all(f.case, &notices)) };
    let points = denial_points(reason);
    let mut s = format!(
        "## The denial, answered point by point\n\nThe notice of {}{notice} gives this reason: “{reason}”\n\n",
        date(f.case.info.notice_date)
    );
    for (n, p) in points.iter().enumerate() {
        s.push_str(&format!("### {}. “{}.”\n\n", n + 1, p));
        s.push_str(&answer(f, charts, p));
    }
    s
}

fn request(case: &Case) -> String {
    let mut s = String::from("## Request\n\n");
    match text(&case.info.requested_action) {
        Some(a) => s.push_str(&format!("**{}**\n\n", end_sentence(&format!("We ask that the plan: {a}")))),
        None => s.push_str("**We ask that the plan reverse its decision and approve the care as ordered.**\n\n"),
    }
    s.extend(expedited(case, "the member’s"));
    s
}

/// Every exhibit, in packet order, as the letter encloses them.
fn enclosures(f: &Front) -> String {
    if f.exhibits.is_empty() {
        return String::new();
    }
    let mut s = String::from("## Enclosures\n\n");
    for e in f.exhibits {
        s.push_str(&format!("- {} ({}, {}): {}\n", cite(f.case, e), e.kind.label(), e.date, e.title));
    }
    s.push('\n');
    s
}

/// Whom to call: the person sending the packet, when someone other than the signer sends it.
fn contact(case: &Case) -> String {
    let signer_is_clinician = case.provider.as_ref().and_then(|p| text(&p.clinician)).is_some();
    match case.submitter.as_ref().filter(|s| !s.name.trim().is_empty() && signer_is_clinician) {
        Some(sub) => {
            let role = text(&sub.role).map(|r| format!(" ({r})")).unwrap_or_default();
            let phone = text(&sub.phone).map(|p| format!(" at {p}")).unwrap_or_default();
            format!("Please contact {}{role}{phone} with any question about this request.\n\n", sub.name.trim())
        }
        None => "Please contact us with any question about this request.\n\n".into(),
    }
}

/// The clinician's signature block (clinician, NPI, organization, phone and fax); without a
/// clinician, the organization's or the sender's.
fn signature(case: &Case) -> String {
    let p = case.provider.as_ref();
    let field = |get: fn(&Provider) -> &Option<String>| p.and_then(|p| text(get(p)));
    let phones: Vec<String> =
        [field(|p| &p.phone).map(|x| format!("Phone {x}")), field(|p| &p.fax).map(|x| format!("Fax {x}"))].into_iter().flatten().collect();
    let mut lines: Vec<String> = Vec::new();
    if let Some(c) = field(|p| &p.clinician) {
        lines.push(format!("**{c}**"));
        lines.extend(field(|p| &p.npi).map(|n| format!("NPI {n}")));
        lines.extend(field(|p| &p.organization).map(str::to_string));
    } else if let Some(o) = field(|p| &p.organization) {
        lines.push(format!("**{o}**"));
        lines.extend(field(|p| &p.npi).map(|n| format!("NPI {n}")));
    } else if let Some(sub) = case.submitter.as_ref().filter(|s| !s.name.trim().is_empty()) {
        lines.push(format!("**{}**", sub.name.trim()));
        let who: Vec<&str> = text(&sub.role).into_iter().chain(text(&sub.phone)).collect();
        if !who.is_empty() {
            lines.push(who.join(" · "));
        }
        lines.extend(field(|p| &p.npi).map(|n| format!("NPI {n}")));
    } else {
        lines.extend(field(|p| &p.npi).map(|n| format!("NPI {n}")));
    }
    if !phones.is_empty() {
        lines.push(phones.join(" · "));
    }
    if lines.is_empty() {
        return String::new();
    }
    lines.join("\n\n") + "\n"
}
