//! The letters, one template per reader, filled from the case in the Markdown subset the
//! packet lays out (`flow.rs`): the provider's letter of medical necessity, the member's
//! grievance, the complaint to the regulator, and the member's request for the claim file.
//!
//! Each template leaves out a sentence whose facts the case lacks, so no placeholder ever
//! reaches a reader, and cites each exhibit as `{{exhibit:id}}` when it has an id (written out
//! with its Bates range by `cite.rs` once the pages are known) or by its number otherwise.

mod claim_file;
mod evidence;
mod grievance;
mod necessity;
mod pdf;
pub(crate) mod regulator;
#[cfg(test)]
mod tests;

pub use claim_file::{claim_file_letter, claim_file_right, claim_file_title, write_claim_file_letter, ClaimFileRight};
pub use pdf::{write_letter, write_letter_pdf};

use super::sections::{ExhibitEntry, Front};
use crate::model::*;
use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

/// The letter the packet carries when the case has no letter of its own, as the app previews
/// it: planned at `now` in `tz` exactly as a build plans it, with the case's checklist as the
/// caller has evaluated it (`checklist::evaluate`).
pub fn template_letter(case: &Case, evaluation: Option<&crate::checklist::Evaluation>, now: NaiveDateTime, tz: Tz) -> String {
    with_front(case, now, tz, |f| template(f, criteria(evaluation)))
}

/// How the case meets its service's coverage criteria, as the letter of medical necessity
/// states them (`checklist::letter_paragraphs`); `None` when the case names no service with a
/// checklist or meets none of its items.
pub fn criteria(evaluation: Option<&crate::checklist::Evaluation>) -> Option<String> {
    Some(crate::checklist::letter_paragraphs(evaluation?)).filter(|p| !p.is_empty())
}

/// Calls `write` with the front matter's facts a letter needs, as a build plans them at `now`.
fn with_front<T>(case: &Case, now: NaiveDateTime, tz: Tz, write: impl FnOnce(&Front) -> T) -> T {
    let exhibits = super::plan::numbered_exhibits(case);
    let missed = super::plan::missed_promises(case, now, tz);
    let computed = crate::deadline::case_deadlines(case, None, now, tz).deadlines;
    let missed_clocks = super::plan::missed_clocks(&computed, now);
    let f = Front {
        case,
        exhibits: &exhibits,
        sections: &[],
        deadlines: &[],
        missed: &missed,
        missed_clocks: &missed_clocks,
        total_pages: 0,
        prepared: now.date(),
    };
    write(&f)
}

/// The letter for the case's kind, in the Markdown subset the packet lays out.
///
/// `criteria` is the insertion point for how the coverage criteria are met (Markdown, from the
/// coverage checklist): the letter of medical necessity places it under its own heading when
/// it is given; the member's and the regulator's letters do not argue criteria.
pub fn template(f: &Front, criteria: Option<String>) -> String {
    match f.case.info.kind {
        CaseKind::ProviderAppeal => necessity::letter(f, criteria.as_deref()),
        CaseKind::MemberGrievance => grievance::letter(f),
        CaseKind::RegulatorComplaint => regulator::letter(f),
    }
}

/// `December 6, 2026`.
fn date(d: NaiveDate) -> String {
    d.format("%B %-d, %Y").to_string()
}

/// `September 5, 2025 at 11:15 AM`, or the date alone when no time was written.
fn when(m: &Moment) -> String {
    if m.has_time {
        format!("{} at {}", date(m.date()), m.local.format("%-I:%M %p"))
    } else {
        date(m.date())
    }
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

/// The first letter in capitals, the rest as written.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// How a letter cites an exhibit: by its id, which the build writes out with the exhibit's
/// number and Bates range, else by its number.
fn cite(case: &Case, e: &ExhibitEntry) -> String {
    match case.exhibits.get(e.index).and_then(|x| x.id.as_deref()) {
        Some(id) => format!("{{{{exhibit:{id}}}}}"),
        None => format!("Exhibit {}", e.number),
    }
}

/// Several exhibits cited in one place, separated by semicolons.
fn cite_all(case: &Case, list: &[&ExhibitEntry]) -> String {
    list.iter().map(|e| cite(case, e)).collect::<Vec<_>>().join("; ")
}

/// The exhibits of `kinds`, in packet order.
fn of_kinds<'a>(f: &'a Front, kinds: &[ExhibitKind]) -> Vec<&'a ExhibitEntry> {
    f.exhibits.iter().filter(|e| kinds.contains(&e.kind)).collect()
}

/// `**Re: Request for Reconsideration — Walter Hayes, DOB 03/14/1947, Member ID …**`, with the
/// plan's reference, authorization and claim numbers where the case has them.
fn re_line(case: &Case, what: &str) -> String {
    let (i, m) = (&case.info, &case.member);
    let mut re = format!("**Re: {what} — {}, DOB {}, Member ID {}", m.name, m.dob.format("%m/%d/%Y"), m.member_id);
    for (label, v) in [("Reference", &i.reference), ("Authorization", &i.authorization_number), ("Claim", &i.claim_number)] {
        if let Some(v) = text(v) {
            re.push_str(&format!(", {label} {v}"));
        }
    }
    re.push_str("**\n\n");
    re
}

/// The letter's opening lines: its date, whom it is to and what it is about.
fn heading(f: &Front, addressee: &str, what: &str) -> String {
    format!("{}\n\n{addressee}\n\n{}", date(f.prepared), re_line(f.case, what))
}

/// The review the packet asks for, with its article: `a reconsideration`, `an internal appeal`.
fn level_asked(case: &Case) -> String {
    let level = super::sections::packet_title(case).trim_start_matches("Request for ").to_lowercase();
    let a = if level.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{a} {level}")
}

/// The plan's appeals department, as the member's and the provider's letters address it.
fn plan_appeals(case: &Case) -> String {
    format!("{} — Appeals and Grievances", case.member.payer)
}

/// The sentence asking for a fast decision, when the case is expedited.
fn expedited(case: &Case, whose: &str) -> Option<String> {
    (case.info.urgency == Urgency::Expedited).then(|| {
        format!("Applying the standard time frame could seriously jeopardize {whose} life, health or ability to regain maximum function. Please decide this request on the expedited time frame.\n\n")
    })
}

/// Events in the order they happened (ties as written), each with its index in `case.events`.
fn events_in_order(case: &Case) -> Vec<(usize, &Event)> {
    let mut v: Vec<(usize, &Event)> = case.events.iter().enumerate().collect();
    v.sort_by_key(|(i, e)| (e.at.local, *i));
    v
}

/// The exhibits in packet order as a list under `lead` (a sentence or a heading), each cited
/// with its title and date; nothing when there are none.
fn enclosed(f: &Front, lead: &str) -> String {
    if f.exhibits.is_empty() {
        return String::new();
    }
    let mut s = format!("{lead}\n\n");
    for e in f.exhibits {
        s.push_str(&format!("- {}: {} ({})\n", cite(f.case, e), e.title, date(e.date)));
    }
    s.push('\n');
    s
}

/// The case's events in date order as a list under `heading`; nothing when none are recorded.
fn events_section(case: &Case, heading: &str) -> String {
    let events = events_in_order(case);
    if events.is_empty() {
        return String::new();
    }
    let mut s = format!("## {heading}\n\n");
    for (_, e) in events {
        s.push_str(&event_item(e));
    }
    s.push('\n');
    s
}

/// One event as a list item: when, what kind, who, what was said, and the reference number.
fn event_item(e: &Event) -> String {
    let mut s = format!("- **{}** — {}", when(&e.at), e.kind.label());
    if let Some(who) = text(&e.counterpart) {
        s.push_str(&format!(" with {who}"));
    }
    s.push_str(&format!(": {}", end_sentence(e.summary.trim())));
    if let Some(r) = text(&e.reference) {
        s.push_str(&format!(" Reference number: {r}."));
    }
    s.push('\n');
    s
}

/// A missed promise in the member's own words: `On September 5, 2025 at 11:15 AM I was
/// promised an answer by 5:00 PM on September 8, 2025 (Denise R.; reference LAP-C-118204).
/// Nothing came by then.`
fn missed_promise_sentence(e: &Event) -> Option<String> {
    let promised = e.promised?;
    let by = if promised.has_time {
        format!("{} on {}", promised.local.format("%-I:%M %p"), date(promised.date()))
    } else {
        date(promised.date())
    };
    let given: Vec<String> =
        text(&e.counterpart).map(str::to_string).into_iter().chain(text(&e.reference).map(|r| format!("reference {r}"))).collect();
    let given = if given.is_empty() { String::new() } else { format!(" ({})", given.join("; ")) };
    Some(format!("On {} I was promised an answer by {by}{given}. Nothing came by then.", when(&e.at)))
}

/// The missed promises of the case, in date order, as list items.
fn missed_promise_items(f: &Front) -> Vec<String> {
    events_in_order(f.case)
        .into_iter()
        .filter(|(i, _)| f.missed.get(*i).copied().unwrap_or(false))
        .filter_map(|(_, e)| missed_promise_sentence(e))
        .map(|s| format!("- {s}\n"))
        .collect()
}

/// The member's signature: name, member ID and phone; and, when someone else sends the
/// letter for them, who that is.
fn member_signature(case: &Case) -> String {
    let m = &case.member;
    let mut s = format!("Sincerely,\n\n**{}**\n\nMember ID {}\n", m.name.trim(), m.member_id.trim());
    if let Some(p) = text(&m.phone) {
        s.push_str(&format!("\nPhone {p}\n"));
    }
    if let Some(sub) = case.submitter.as_ref().filter(|s| !s.name.trim().is_empty() && s.name.trim() != m.name.trim()) {
        let mut who = vec![sub.name.trim().to_string()];
        who.extend(text(&sub.role).map(str::to_string));
        who.extend(text(&sub.phone).map(|p| format!("phone {p}")));
        s.push_str(&format!("\nSent on my behalf by {}\n", who.join(", ")));
    }
    s
}
