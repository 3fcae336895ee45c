//! Deadlines as an RFC 5545 iCalendar file, one event per open deadline with two reminders.

use super::{Deadline, Status};
use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};

/// Writes the deadlines that are not met as a VCALENDAR. `stamp` becomes every event's
/// DTSTAMP (in UTC), so the same input gives the same bytes.
pub fn to_ics(deadlines: &[Deadline], stamp: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut line = |text: &str| push_folded(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Redress//Redress//EN");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    for d in deadlines.iter().filter(|d| d.status != Status::Met && !d.closed) {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", uid(d)));
        line(&format!("DTSTAMP:{}", utc_text(stamp.naive_utc())));
        let timed = d.due_utc.map(|t| t.naive_utc());
        match timed {
            // An instant: no DTEND, so the event ends where it starts (RFC 5545 3.6.1).
            Some(at) => line(&format!("DTSTART:{}", utc_text(at))),
            None => {
                line(&format!("DTSTART;VALUE=DATE:{}", date_text(d.due)));
                // DTEND of an all-day event is exclusive: the day after.
                if let Some(next) = d.due.checked_add_days(Days::new(1)) {
                    line(&format!("DTEND;VALUE=DATE:{}", date_text(next)));
                }
                line("TRANSP:TRANSPARENT");
            }
        }
        let summary = summary(d);
        line(&format!("SUMMARY:{}", escape(&summary)));
        line(&format!("DESCRIPTION:{}", escape(&description(d))));
        line(&format!("CATEGORIES:{}", escape(d.kind.as_str())));
        // A week's and a day's notice; an hour rule runs only days, so a day and two hours.
        let triggers = if timed.is_some() { ["-P1D", "-PT2H"] } else { ["-P7D", "-P1D"] };
        for trigger in triggers {
            line("BEGIN:VALARM");
            line("ACTION:DISPLAY");
            line(&format!("TRIGGER:{trigger}"));
            line(&format!("DESCRIPTION:{}", escape(&summary)));
            line("END:VALARM");
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// "Redress: File the reconsideration (smith-oxygen-appeal)".
fn summary(d: &Deadline) -> String {
    match &d.case {
        Some(case) => format!("Redress: {} ({case})", d.label),
        None => format!("Redress: {}", d.label),
    }
}

fn description(d: &Deadline) -> String {
    let mut lines = Vec::new();
    lines.push(format!("{} by {}.", d.label, d.due_text));
    let window = match (d.days, d.months, d.hours) {
        (Some(n), _, _) => format!("{n} calendar days"),
        (_, Some(n), _) => format!("{n} months"),
        (_, _, Some(n)) => format!("{n} hours"),
        _ => String::new(),
    };
    if window.is_empty() {
        lines.push(format!("Rule: {}. Counted from {}.", d.rule, d.counted_from));
    } else {
        lines.push(format!("Rule: {}, {window} counted from {}.", d.rule, d.counted_from));
    }
    lines.push(format!("Citation: {}", d.citation));
    lines.push(format!("Counted from {}.", d.basis_text));
    lines.extend(d.warnings.iter().map(|w| format!("Note: {w}")));
    lines.push(d.notice_governs.to_string());
    lines.join("\n")
}

/// Stable across runs and edits of the date, so a re-import updates the event in place.
fn uid(d: &Deadline) -> String {
    let mut hash = Sha256::new();
    for part in [d.case.as_deref().unwrap_or(""), d.kind.as_str(), d.rule.as_str()] {
        hash.update(part.as_bytes());
        hash.update([0u8]);
    }
    // A case has many promises under one rule; the day each was made tells them apart.
    if d.kind == super::DeadlineKind::Promise {
        hash.update(d.counted_from.to_string().as_bytes());
        hash.update(d.citation.as_bytes());
    }
    let hex: String = hash.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{hex}@redress")
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn utc_text(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma, and newlines as `\n`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                // CRLF is one line break; a lone CR is one too.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (RFC 5545 3.1): CRLF then a space, never inside
/// a UTF-8 character.
fn push_folded(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > LIMIT {
            out.push_str("\r\n ");
            // The leading space counts toward the continuation line's 75 octets.
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let text = format!("DESCRIPTION:{}", "é".repeat(100));
        push_folded(&mut out, &text);
        assert!(out.ends_with("\r\n"));
        let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 1);
        for (i, l) in lines.iter().enumerate() {
            assert!(l.len() <= 75, "line {i} has {} octets", l.len());
            if i > 0 {
                assert!(l.starts_with(' '));
            }
        }
        // "DESCRIPTION:" is 12 octets; 31 two-octet characters make 74, a 32nd would make 76.
        assert_eq!(lines[0].len(), 74);
        let unfolded: String = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, text);
    }

    #[test]
    fn text_values_escape_backslash_semicolon_comma_and_newlines() {
        assert_eq!(escape("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
    }
}
