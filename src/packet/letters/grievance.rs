//! The member's grievance or appeal: plain words in the first person — what happened in date
//! order with the names, numbers and reference numbers given, each promise not kept, and what
//! the member asks for.

use super::{
    date, enclosed, end_sentence, events_section, expedited, heading, level_asked, member_signature, missed_promise_items, plan_appeals,
    text,
};
use crate::packet::sections::{packet_title, Front};

pub fn letter(f: &Front) -> String {
    let case = f.case;
    let (i, m) = (&case.info, &case.member);
    let mut s = heading(f, &plan_appeals(case), &packet_title(case));
    s.push_str("Dear Appeals and Grievances team,\n\n");
    let reason = text(&i.denial_reason).map(|r| format!(", which said: “{r}”")).unwrap_or_default();
    // A member's appeal names its level ("Request for Reconsideration"); a grievance does not.
    let filing = match text(&i.level) {
        Some(_) => format!("I ask for {} of", level_asked(case)),
        None => "I am filing this grievance about".into(),
    };
    s.push_str(&end_sentence(&format!(
        "My name is {}. {filing} the decision of {} dated {}{reason}",
        m.name.trim(),
        m.payer,
        date(i.notice_date)
    )));
    s.push_str("\n\n");
    s.push_str(&what_happened(f));
    let promises = missed_promise_items(f);
    if !promises.is_empty() {
        s.push_str("## Promises that were not kept\n\n");
        s.extend(promises);
        s.push('\n');
    }
    s.push_str(&asks(f));
    s.push_str(&documents(f));
    s.push_str(&member_signature(case));
    s
}

/// The case's events in date order; nothing when none are recorded.
fn what_happened(f: &Front) -> String {
    events_section(f.case, "What happened")
}

fn asks(f: &Front) -> String {
    let case = f.case;
    let mut s = String::from("## What I am asking for\n\n");
    match text(&case.info.requested_action) {
        Some(a) => s.push_str(&format!("**{}**\n\n", end_sentence(&format!("I ask you to: {a}")))),
        None => s.push_str("**I ask you to review this decision and to approve the care my doctor ordered.**\n\n"),
    }
    s.extend(expedited(case, "my"));
    let reach = text(&case.member.phone).map(|p| format!(" You can reach me at {p}.")).unwrap_or_default();
    s.push_str(&format!("Please send me your answer in writing.{reach}\n\n"));
    s
}

/// The enclosed documents, in packet order.
fn documents(f: &Front) -> String {
    enclosed(f, "I have enclosed these documents:")
}
