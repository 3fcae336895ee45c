//! The checklist as the letter states it: how the case meets each criterion, with the
//! readings' numbers, citing exhibits as `{{exhibit:ID}}` (so the build writes their Bates
//! pages) or, for an exhibit without an id, by its number.

use super::{Evaluation, Evidence, EvidenceKind, Status};

/// Markdown in the letter's subset (a paragraph, then a `- ` list with **bold**) stating how
/// the case meets each criterion of its checklist that it meets: the citation, the criterion,
/// what meets it and where. Items not met are left to the checklist itself (`redress check`,
/// the app, the packet's optional page): a letter argues from what the case shows. Empty when
/// nothing is met.
pub fn letter_paragraphs(evaluation: &Evaluation) -> String {
    let met: Vec<_> = evaluation.items.iter().filter(|i| i.status == Status::Met).collect();
    if met.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "The request meets {} of the {} coverage criteria for {} that a reviewer looks for:\n\n",
        met.len(),
        evaluation.items.len(),
        evaluation.service_label.to_lowercase()
    );
    for item in met {
        let see: Vec<String> = item.evidence.iter().map(cite).collect();
        let see = if see.is_empty() { String::new() } else { format!(" ({})", see.join("; ")) };
        out.push_str(&format!("- **{}**: {}. {}{see}.\n", item.citation, item.criterion, sentence(&item.note)));
    }
    out
}

/// An exhibit as `{{exhibit:ID}}` or "Exhibit N"; a reading, event or case field as written.
fn cite(e: &Evidence) -> String {
    match (&e.kind, &e.exhibit) {
        (EvidenceKind::Exhibit, Some(x)) => match &x.id {
            Some(id) => format!("{{{{exhibit:{id}}}}}"),
            None => format!("Exhibit {}", x.number),
        },
        _ => e.text.clone(),
    }
}

/// The note with a capital first letter.
fn sentence(note: &str) -> String {
    let mut chars = note.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
