//! The member's request for a free copy of the claim file (the case file) and of the criteria,
//! guidelines and documents used in the decision, citing the right where the program's rules
//! state one. A letter of its own, printed apart from the packet.

use super::{date, heading, member_signature, plan_appeals, text};
use crate::error::Result;
use crate::model::{Case, Program};
use chrono::{DateTime, NaiveDate, Utc};
use std::path::Path;

/// Where a program's rules give the member the claim file, in the words the letter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimFileRight {
    /// The regulation, cited exactly as read.
    pub citation: &'static str,
    /// The sentence stating the right, ending with the citation.
    pub sentence: &'static str,
}

/// The right to the claim file under `program`, where its regulations state one. `None` for
/// programs whose regulations (as read) give the plan's reviewers the case file and the member
/// the chance to submit evidence, but not a copy of the file: Medicare Advantage (42 CFR
/// 422.586, 422.590), Part D (42 CFR 423.586), Original Medicare, provider contracts and state
/// complaints (state law varies).
pub fn claim_file_right(program: Program) -> Option<ClaimFileRight> {
    match program {
        Program::Erisa => Some(ClaimFileRight {
            citation: "29 CFR 2560.503-1(h)(2)(iii) and (m)(8)",
            sentence: "A plan must give a claimant, upon request and free of charge, reasonable access to and copies of all documents, records and other information relevant to the claim, and a document is relevant if it was relied upon, or submitted, considered or generated, in making the decision, shows that the plan's safeguards were followed, or states the plan's policy or guidance on the denied treatment for the diagnosis (29 CFR 2560.503-1(h)(2)(iii) and (m)(8)).",
        }),
        Program::Aca => Some(ClaimFileRight {
            citation: "45 CFR 147.136(b); 29 CFR 2560.503-1(h)(2)(iii)",
            sentence: "The internal claims and appeals process of 45 CFR 147.136(b) builds on the claims procedure of 29 CFR 2560.503-1, under which a claimant is given, upon request and free of charge, reasonable access to and copies of all documents, records and other information relevant to the claim (29 CFR 2560.503-1(h)(2)(iii)).",
        }),
        Program::MedicaidManagedCare => Some(ClaimFileRight {
            citation: "42 CFR 438.404(b)(2)",
            sentence: "I have the right to be provided, upon request and free of charge, reasonable access to and copies of all documents, records and other information relevant to the decision, including the medical necessity criteria and any processes, strategies or evidentiary standards used in setting coverage limits (42 CFR 438.404(b)(2)).",
        }),
        Program::MedicareAdvantage
        | Program::MedicarePartD
        | Program::OriginalMedicare
        | Program::Contract
        | Program::StateDoi => None,
    }
}

/// The claim-file request for `case`, dated `today`, in the Markdown subset: what is asked for,
/// the right where there is one, by when, and the member's signature.
pub fn claim_file_letter(case: &Case, today: NaiveDate) -> String {
    let (i, m) = (&case.info, &case.member);
    let f = crate::packet::sections::Front {
        case,
        exhibits: &[],
        sections: &[],
        deadlines: &[],
        missed: &[],
        missed_clocks: &[],
        total_pages: 0,
        prepared: today,
    };
    let mut s = heading(&f, &plan_appeals(case), "Request for a copy of the claim file");
    s.push_str("Dear Appeals and Grievances team,\n\n");
    let about = text(&i.requested_action).map(|a| format!(" about this request: “{a}”")).unwrap_or_default();
    s.push_str(&format!(
        "My name is {}. I ask for a free copy of the complete claim file (case file) for your decision dated {}{about}.\n\n",
        m.name.trim(),
        date(i.notice_date)
    ));
    s.push_str("Please send me:\n\n");
    s.push_str("- every document, record and other information you relied on, considered, or received in making the decision, including the medical records you hold and the notes of the reviewers and of my calls with you;\n");
    s.push_str("- the coverage criteria, clinical guidelines, internal rules, protocols and policies you applied, and the name and qualifications of each reviewer who decided;\n");
    s.push_str("- any new or additional evidence you consider, rely on or generate while my appeal is pending.\n\n");
    if let Some(right) = claim_file_right(i.program) {
        s.push_str(&format!("{}\n\n", right.sentence));
    }
    s.push_str("Please send the file as soon as possible and before any appeal is decided, so that I can respond to it.");
    if let Some(p) = text(&m.phone) {
        s.push_str(&format!(" You can reach me at {p}."));
    }
    s.push_str("\n\n");
    s.push_str(&member_signature(case));
    s
}

/// The title of the claim-file request, in the PDF's information and bookmarks.
pub fn claim_file_title(case: &Case) -> String {
    format!("Request for a copy of the claim file — {}", case.member.name.trim())
}

/// Writes the claim-file request for `case`, dated `today`, to `out`: Markdown when `out` ends
/// in `.md`, else a one-letter PDF laid out as the packet's letter is.
pub fn write_claim_file_letter(case: &Case, today: NaiveDate, out: &Path, created: DateTime<Utc>) -> Result<()> {
    let text = claim_file_letter(case, today);
    super::write_letter(&text, out, &claim_file_title(case), Some(case.member.name.trim()), created)
}
