//! The plain letter a packet carries when the case has no letter of its own: the case's facts
//! in the sentences a reviewer expects, sent and signed by whoever is asking. Persuasive letters
//! per kind come later.

use super::sections::{packet_title, Front};
use crate::model::*;
use chrono::NaiveDate;

fn date(d: NaiveDate) -> String {
    d.format("%B %-d, %Y").to_string()
}

/// A field's text, trimmed; `None` when there is none.
fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Ends a sentence: a period, unless the text already ends with its own punctuation (also
/// inside a closing quotation mark, as in `stating: “Not medically necessary.”`).
fn end_sentence(s: &str) -> String {
    let s = s.trim_end();
    let last = s.trim_end_matches(['”', '"', '’', '\'', ')']).chars().last();
    if matches!(last, Some('.' | '!' | '?')) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// Who asks in a provider appeal: the organization, else the ordering clinician, else the
/// person sending the packet. Never the member: the member is the one asked for.
fn provider_requester(case: &Case) -> Option<String> {
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

/// The letter the packet carries when the case has no letter of its own, as the app
/// previews it: planned at `now` in `tz` exactly as a build plans it.
pub fn template_letter(case: &Case, now: chrono::NaiveDateTime, tz: chrono_tz::Tz) -> String {
    let exhibits = super::plan::numbered_exhibits(case);
    let missed = super::plan::missed_promises(case, now, tz);
    let f = Front {
        case,
        exhibits: &exhibits,
        sections: &[],
        deadlines: &[],
        missed: &missed,
        missed_clocks: &[],
        total_pages: 0,
        prepared: now.date(),
    };
    template(&f)
}

/// The letter's text (the Markdown subset the packet lays out).
pub fn template(f: &Front) -> String {
    let case = f.case;
    let i = &case.info;
    let m = &case.member;
    let mut s = String::new();
    s.push_str(&format!("{}\n\n", date(f.prepared)));
    let addressee = match i.kind {
        CaseKind::RegulatorComplaint => "Consumer Services, State Department of Insurance".to_string(),
        _ => format!("{} — Appeals and Grievances", m.payer),
    };
    s.push_str(&format!("{addressee}\n\n"));
    let mut re = format!("**Re: {} — {}, DOB {}, Member ID {}", packet_title(case), m.name, m.dob.format("%m/%d/%Y"), m.member_id);
    if let Some(r) = text(&i.reference) {
        re.push_str(&format!(", Reference {r}"));
    }
    s.push_str(&re);
    s.push_str("**\n\n");
    s.push_str("To the reviewer:\n\n");
    let reason = text(&i.denial_reason).map(|r| format!(", stating: “{r}”")).unwrap_or_default();
    match i.kind {
        CaseKind::ProviderAppeal => {
            s.push_str(&end_sentence(&format!(
                "On {}, {} issued an adverse decision for {}{reason}",
                date(i.notice_date),
                m.payer,
                m.name
            )));
            let level = packet_title(case).trim_start_matches("Request for ").to_lowercase();
            let asks = provider_requester(case).map(|who| format!("{who} requests")).unwrap_or_else(|| "we request".into());
            s.push_str(&format!(" On behalf of the member, {asks} a {level} of that decision.\n\n"));
            if let Some(who) = case.provider.as_ref().and_then(clinician_with_npi) {
                s.push_str(&format!("This care for {} was ordered by {who}, who supports this request.\n\n", m.name));
            }
        }
        CaseKind::MemberGrievance => {
            s.push_str(&end_sentence(&format!(
                "I am filing this grievance about the decision of {} dated {}{reason}",
                m.payer,
                date(i.notice_date)
            )));
            s.push_str("\n\n");
        }
        CaseKind::RegulatorComplaint => {
            s.push_str(&end_sentence(&format!(
                "I am filing a complaint against {} about its decision dated {}{reason}",
                m.payer,
                date(i.notice_date)
            )));
            s.push_str(" I also complain about how the plan has handled this matter since. The enclosed timeline lists every contact, reference number and promised date.\n\n");
        }
    }
    if let Some(a) = text(&i.requested_action) {
        s.push_str(&format!("**{}**\n\n", end_sentence(&format!("We ask that the plan: {a}"))));
    }
    if i.urgency == Urgency::Expedited {
        s.push_str("Applying the standard time frame could seriously jeopardize the member’s life, health or ability to regain maximum function. We ask for an expedited decision.\n\n");
    }
    if !f.exhibits.is_empty() {
        s.push_str("The enclosed exhibits, in date order, support this request:\n\n");
        for e in f.exhibits {
            // An exhibit with an id is cited by it, so the letter keeps its number and pages
            // true when it is copied into letter.md and the exhibits change.
            let cited = match case.exhibits.get(e.index).and_then(|x| x.id.as_deref()) {
                Some(id) => format!("{{{{exhibit:{id}}}}}"),
                None => format!("Exhibit {}", e.number),
            };
            s.push_str(&format!("- {cited} ({}, {}): {}\n", e.kind.label(), e.date, e.title));
        }
        s.push('\n');
    }
    let missed = f.missed.iter().filter(|m| **m).count();
    if missed > 0 {
        s.push_str(&format!(
            "The timeline records {missed} promise{} made to us that {} not kept; each is listed with its date, reference number and the person who made it.\n\n",
            if missed == 1 { "" } else { "s" },
            if missed == 1 { "was" } else { "were" }
        ));
    }
    s.push_str("Please contact us with any question about this request.\n\nSincerely,\n\n");
    s.push_str(&signature(case));
    s
}

/// Who signs: the person sending the packet; in a provider appeal without one, the clinician or
/// the organization (the member signs only their own grievance or complaint).
fn signature(case: &Case) -> String {
    let provider_appeal = case.info.kind == CaseKind::ProviderAppeal;
    let p = case.provider.as_ref();
    let organization = p.and_then(|p| text(&p.organization)).filter(|_| provider_appeal);
    let mut lines: Vec<String> = Vec::new();
    let name;
    if let Some(sub) = case.submitter.as_ref().filter(|s| !s.name.trim().is_empty()) {
        name = sub.name.trim().to_string();
        let mut who: Vec<&str> = Vec::new();
        who.extend(text(&sub.role));
        who.extend(organization);
        who.extend(text(&sub.phone));
        if !who.is_empty() {
            lines.push(who.join(" · "));
        }
    } else if provider_appeal && p.is_some_and(|p| text(&p.clinician).is_some() || text(&p.organization).is_some()) {
        let p = p.expect("checked above");
        match text(&p.clinician) {
            Some(c) => {
                name = c.to_string();
                let mut who: Vec<String> = Vec::new();
                who.extend(text(&p.npi).map(|n| format!("NPI {n}")));
                who.extend(organization.map(str::to_string));
                who.extend(text(&p.phone).map(str::to_string));
                if !who.is_empty() {
                    lines.push(who.join(" · "));
                }
            }
            None => {
                name = organization.unwrap_or_default().to_string();
                lines.extend(text(&p.phone).map(str::to_string));
            }
        }
    } else if provider_appeal {
        name = "The member's provider".into();
    } else {
        name = case.member.name.clone();
    }
    let mut s = format!("**{name}**\n");
    for l in lines {
        s.push('\n');
        s.push_str(&l);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use crate::model::*;
    use chrono::NaiveDate;

    fn now() -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, 10).unwrap().and_hms_opt(9, 0, 0).unwrap()
    }

    /// The demo case as a provider appeal with no organization and no submitter.
    fn appeal(tag: &str) -> Case {
        let dir = std::env::temp_dir().join(format!("redress-letter-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let folder = crate::demo::write_demo(&dir, now().date()).unwrap();
        let mut case = crate::casefile::load(&folder).unwrap().case;
        let _ = std::fs::remove_dir_all(&dir);
        case.info.kind = CaseKind::ProviderAppeal;
        case.letter = None;
        case.submitter = None;
        let p = case.provider.get_or_insert(Provider { organization: None, clinician: None, npi: None, phone: None, fax: None });
        p.organization = None;
        p.clinician = Some("Priya Natarajan, MD".into());
        p.npi = Some("1829475635".into());
        p.phone = None;
        case.info.denial_reason = Some("Not medically necessary.".into());
        case.info.requested_action = Some("Approve home oxygen as ordered.".into());
        case
    }

    fn letter(case: &Case) -> String {
        crate::packet::template_letter(case, now(), chrono_tz::America::Chicago)
    }

    /// The bold lines after "Sincerely," and what follows them.
    fn signature(text: &str) -> &str {
        text.rsplit_once("Sincerely,").map(|(_, s)| s.trim()).unwrap_or("")
    }

    #[test]
    fn a_provider_appeal_without_an_organization_is_asked_and_signed_by_the_clinician_not_the_member() {
        let case = appeal("clinician");
        let member = case.member.name.clone();
        let t = letter(&case);
        assert!(t.contains("On behalf of the member, Priya Natarajan, MD requests a"), "{t}");
        assert!(!t.contains(&format!("On behalf of the member, {member} requests")), "{t}");
        assert!(t.contains("was ordered by Priya Natarajan, MD (NPI 1829475635), who supports this request."), "{t}");
        let sig = signature(&t);
        assert!(sig.starts_with("**Priya Natarajan, MD**"), "{sig}");
        assert!(sig.contains("NPI 1829475635"), "{sig}");
        assert!(!sig.contains(&member), "the member signs a provider's appeal: {sig}");
    }

    #[test]
    fn a_reason_or_a_request_ending_in_a_period_is_not_punctuated_twice() {
        let t = letter(&appeal("period"));
        assert!(t.contains("stating: “Not medically necessary.” On behalf of"), "{t}");
        assert!(t.contains("**We ask that the plan: Approve home oxygen as ordered.**"), "{t}");
        for doubled in [".”.", "..", ".**."] {
            assert!(!t.contains(doubled), "{doubled:?} in {t}");
        }
        let mut case = appeal("no-period");
        case.info.denial_reason = Some("Not medically necessary".into());
        case.info.requested_action = Some("Approve home oxygen".into());
        let t = letter(&case);
        assert!(t.contains("stating: “Not medically necessary”. On behalf of"), "{t}");
        assert!(t.contains("**We ask that the plan: Approve home oxygen.**"), "{t}");
    }

    #[test]
    fn the_organization_asks_and_the_submitter_signs_for_it() {
        let mut case = appeal("organization");
        case.provider.as_mut().unwrap().organization = Some("Lakeshore Home Respiratory".into());
        case.submitter =
            Some(Submitter { name: "Dana Whitfield".into(), role: Some("Intake coordinator".into()), phone: Some("312-555-0100".into()) });
        let t = letter(&case);
        assert!(t.contains("On behalf of the member, Lakeshore Home Respiratory requests a"), "{t}");
        assert!(t.contains("(NPI 1829475635)"), "{t}");
        let sig = signature(&t);
        assert!(sig.starts_with("**Dana Whitfield**"), "{sig}");
        assert!(sig.contains("Intake coordinator · Lakeshore Home Respiratory · 312-555-0100"), "{sig}");
    }

    #[test]
    fn with_only_an_npi_the_provider_asks_as_we() {
        let mut case = appeal("npi-only");
        case.provider.as_mut().unwrap().clinician = None;
        let t = letter(&case);
        assert!(t.contains("On behalf of the member, we request a"), "{t}");
        assert!(t.contains("was ordered by the clinician with NPI 1829475635, who supports"), "{t}");
        assert!(!signature(&t).contains(&case.member.name), "{t}");
    }

    #[test]
    fn a_member_signs_their_own_grievance() {
        let mut case = appeal("grievance");
        case.info.kind = CaseKind::MemberGrievance;
        let t = letter(&case);
        assert!(t.contains("I am filing this grievance"), "{t}");
        assert!(signature(&t).starts_with(&format!("**{}**", case.member.name)), "{t}");
        assert!(!t.contains("NPI"), "a grievance is the member's own: {t}");
    }
}
