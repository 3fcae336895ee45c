//! The complaint to the regulator — Medicare (CMS) for a Medicare plan, the Department of Labor's
//! EBSA for an employer's plan, the state's Medicaid managed care ombudsman for a Medicaid plan,
//! else the Department of Insurance: the parties, every attempt to resolve it with the
//! plan in date order, each promise the plan did not keep, each decision deadline it missed
//! with the rule's citation, and the relief sought.

use super::{date, enclosed, end_sentence, events_section, expedited, heading, member_signature, missed_promise_items, text};
use crate::model::*;
use crate::packet::sections::{Front, MissedClock};

pub fn letter(f: &Front) -> String {
    let case = f.case;
    let (i, m) = (&case.info, &case.member);
    let to = addressee(i.program);
    let mut s = heading(f, to.office, &format!("Complaint against {}", m.payer));
    s.push_str(&format!("To the {}:\n\n", to.greeting));
    let reason = text(&i.denial_reason).map(|r| format!(", which said: “{r}”")).unwrap_or_default();
    s.push_str(&end_sentence(&format!(
        "I am filing a complaint against {} about its decision dated {}{reason}",
        m.payer,
        date(i.notice_date)
    )));
    s.push_str(" I also complain about how the plan has handled this matter since.\n\n");
    s.push_str(&parties(case));
    s.push_str(&attempts(f));
    let promises = missed_promise_items(f);
    if !promises.is_empty() {
        s.push_str("## Promises the plan did not keep\n\n");
        s.extend(promises);
        s.push('\n');
    }
    s.push_str(&missed_deadlines(f.missed_clocks));
    s.push_str(&relief(case));
    s.push_str(&documents(f));
    s.push_str(&member_signature(case));
    s
}

/// Whom the complaint goes to.
///
/// A Medicare plan answers to Medicare, not to the state: Medicare.gov, "Filing complaints about
/// your health or drug plan", sends a complaint about a Medicare health or drug plan to the
/// Medicare Complaint Form (or 1-800-MEDICARE), and a provider's complaint about a Medicare
/// Advantage plan goes to CMS's "Report a provider complaint about an MA plan" form, which feeds
/// CMS's Complaints Tracking Module. An employer's (ERISA) plan answers to the U.S. Department of
/// Labor's Employee Benefits Security Administration, whose benefits advisors take requests for
/// help with a health claim improperly denied (dol.gov, EBSA, "What we do"); a Medicaid plan to
/// the state's Medicaid managed care ombudsman; any other plan to the Department of Insurance.
pub(crate) fn addressee(program: Program) -> Regulator {
    let (office, greeting, title) = match program {
        Program::MedicaidManagedCare => {
            ("State Medicaid Managed Care Ombudsman", "Medicaid Managed Care Ombudsman", "the Medicaid Managed Care Ombudsman")
        }
        Program::MedicareAdvantage | Program::MedicarePartD | Program::OriginalMedicare => (
            "Centers for Medicare & Medicaid Services, Medicare complaints (Medicare Complaint Form; 1-800-MEDICARE)",
            "Centers for Medicare & Medicaid Services",
            "Medicare",
        ),
        Program::Erisa => (
            "U.S. Department of Labor, Employee Benefits Security Administration, Benefits Advisors",
            "Employee Benefits Security Administration",
            "the Employee Benefits Security Administration",
        ),
        _ => (
            "Consumer Services, State Department of Insurance",
            "Department of Insurance, Consumer Services",
            "the Department of Insurance",
        ),
    };
    Regulator { office, greeting, title }
}

/// The office a complaint goes to.
pub(crate) struct Regulator {
    /// The address line.
    pub office: &'static str,
    /// Whom the letter greets.
    pub greeting: &'static str,
    /// As the packet's title names it ("Complaint to Medicare").
    pub title: &'static str,
}

fn parties(case: &Case) -> String {
    let m = &case.member;
    let mut member = format!("{}, date of birth {}, member ID {}", m.name.trim(), m.dob.format("%m/%d/%Y"), m.member_id.trim());
    if let Some(p) = text(&m.phone) {
        member.push_str(&format!(", phone {p}"));
    }
    let mut s = format!("## The parties\n\n- Member: {member}\n- Health plan: {}\n", m.payer);
    if let Some(p) = &case.provider {
        let clinician = match (text(&p.clinician), text(&p.npi)) {
            (Some(c), Some(n)) => Some(format!("{c} (NPI {n})")),
            (Some(c), None) => Some(c.to_string()),
            (None, Some(n)) => Some(format!("NPI {n}")),
            (None, None) => None,
        };
        let who: Vec<String> = clinician
            .into_iter()
            .chain(text(&p.organization).map(str::to_string))
            .chain(text(&p.phone).map(|x| format!("phone {x}")))
            .collect();
        if !who.is_empty() {
            s.push_str(&format!("- Provider: {}\n", who.join(", ")));
        }
    }
    s.push('\n');
    s
}

/// Every contact with the plan, in date order.
fn attempts(f: &Front) -> String {
    events_section(f.case, "What was done to resolve this with the plan")
}

/// `Plan decides the reconsideration was due by 2026-01-05 under 42 CFR 422.590(a); decision
/// overdue by 12 days.`
pub fn missed_deadline_sentence(c: &MissedClock) -> String {
    format!("{} was due by {} under {}; {}.", c.label, c.due_text, c.citation, c.summary())
}

fn missed_deadlines(clocks: &[MissedClock]) -> String {
    if clocks.is_empty() {
        return String::new();
    }
    let mut s = String::from("## Deadlines the plan missed\n\n");
    for c in clocks {
        s.push_str(&format!("- {}\n", missed_deadline_sentence(c)));
    }
    s.push('\n');
    s
}

fn relief(case: &Case) -> String {
    let payer = &case.member.payer;
    let mut s = String::from("## What I ask you to do\n\n");
    match text(&case.info.requested_action) {
        Some(a) => s.push_str(&format!(
            "**{}**\n\n",
            end_sentence(&format!("I ask you to review how {payer} has handled my case and to require it to: {a}"))
        )),
        None => s.push_str(&format!(
            "**I ask you to review how {payer} has handled my case and to require it to decide it under the rules above.**\n\n"
        )),
    }
    s.extend(expedited(case, "my"));
    s
}

fn documents(f: &Front) -> String {
    enclosed(f, "## Enclosed documents")
}
