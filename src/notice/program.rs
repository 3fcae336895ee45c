//! The rule set a notice falls under, from the notice's own form where it names one, else from
//! its wording. Each rule says what it found, for the value's note.

use crate::model::Program;
use regex::Regex;
use std::sync::LazyLock;

/// A sign of the program in a notice's text.
pub(super) struct Sign {
    pub program: Program,
    /// Matched against one line at a time, case-insensitively.
    pub pattern: &'static str,
    /// How sure the sign is (1 for a standard form's own title or number).
    pub sure: f32,
    /// Why this means the program.
    pub why: &'static str,
    /// Another sign that must also be somewhere in the notice (a line matching it).
    pub with: Option<&'static str>,
}

/// The signs, most telling first: the forms' numbers and titles, then the rules they cite,
/// then wording alone.
pub(super) const SIGNS: &[Sign] = &[
    // CMS-10003-NDMC, the standard form Medicare health plans must use to deny medical coverage
    // (42 CFR 422.568; its form instructions: "This is a standard form. Plans may not deviate").
    Sign {
        program: Program::MedicareAdvantage,
        pattern: r"CMS-10003|notice of denial of (medical coverage|payment)",
        sure: 1.0,
        why: "the form CMS-10003-NDMC, the Notice of Denial of Medical Coverage, is Medicare Advantage's (42 CFR 422.568)",
        with: None,
    },
    // CMS-10146, the Part D plan's Notice of Denial of Medicare Prescription Drug Coverage.
    Sign {
        program: Program::MedicarePartD,
        pattern: r"CMS-10146|notice of denial of medicare (part d )?prescription drug coverage",
        sure: 1.0,
        why: "the form CMS-10146, the Notice of Denial of Medicare Prescription Drug Coverage, is a Part D plan's coverage determination (42 CFR 423.568)",
        with: None,
    },
    // The Medicare Summary Notice is Original Medicare's initial determination (42 CFR 405.921).
    Sign {
        program: Program::OriginalMedicare,
        pattern: r"medicare summary notice",
        sure: 1.0,
        why: "the Medicare Summary Notice is Original Medicare's notice of its decision on claims (42 CFR 405.921)",
        with: None,
    },
    // A Medicaid managed-care plan's notice is titled so (42 CFR 438.404) and offers the State
    // fair hearing after the plan's appeal (438.408(f)); an ERISA plan's uses the same words
    // "adverse benefit determination" (29 CFR 2560.503-1(g)) but offers no fair hearing.
    Sign {
        program: Program::MedicaidManagedCare,
        pattern: r"notice of adverse benefit determination",
        sure: 0.95,
        why: "a Notice of Adverse Benefit Determination offering a State Fair Hearing is a Medicaid managed-care plan's (42 CFR 438.404)",
        with: Some(r"fair hearing"),
    },
    // 29 CFR 2560.503-1(g)(1)(iv): an ERISA plan's notice states the right to bring a civil
    // action under section 502(a) of the Act.
    Sign {
        program: Program::Erisa,
        pattern: r"502\(a\) of (ERISA|the Employee Retirement Income Security Act)|ERISA section 502\(a\)|section 502\(a\)",
        sure: 0.95,
        why: "the right to a civil action under section 502(a) of ERISA is what an employer group health plan's notice states (29 CFR 2560.503-1(g)(1)(iv))",
        with: None,
    },
    // An employer's plan: its claims procedure is ERISA's (29 CFR 2560.503-1), whose notices
    // need not cite section 502(a) on a first denial.
    Sign {
        program: Program::Erisa,
        pattern: r"\b(?:self-funded|self-insured|employer(?:-sponsored)?\s+(?:group\s+)?(?:health\s+)?plan|employee\s+(?:health|benefit)\s+plan|group\s+health\s+plan)\b",
        sure: 0.8,
        why: "an employer's group health plan decides claims under ERISA's claims procedure (29 CFR 2560.503-1)",
        with: Some(r"adverse benefit determination|internal appeal|explanation of benefits|claims? administrator"),
    },
    // Wording alone: less sure.
    Sign {
        program: Program::MedicaidManagedCare,
        pattern: r"\b(medicaid|medi-cal|state fair hearing)\b",
        sure: 0.7,
        why: "the notice's wording names Medicaid or a State fair hearing, not a form",
        with: None,
    },
    Sign {
        program: Program::MedicarePartD,
        pattern: r"\bpart d\b",
        sure: 0.7,
        why: "the notice's wording names Medicare Part D, not a form",
        with: None,
    },
    Sign {
        program: Program::MedicareAdvantage,
        pattern: r"\bmedicare advantage\b",
        sure: 0.7,
        why: "the notice's wording names Medicare Advantage, not a form",
        with: None,
    },
    Sign {
        program: Program::Erisa,
        pattern: r"\b(ERISA|Employee Retirement Income Security Act)\b",
        sure: 0.7,
        why: "the notice's wording names ERISA, not a form",
        with: None,
    },
    // An adverse benefit determination offering internal appeal and external review, with no
    // sign of Medicaid, Medicare or an employer's plan (those come first): a health plan's
    // under the ACA (45 CFR 147.136(b), (c)).
    Sign {
        program: Program::Aca,
        pattern: r"\bexternal review\b",
        sure: 0.7,
        why: "an adverse benefit determination with internal appeal and external review is an ACA health plan's (45 CFR 147.136)",
        with: Some(r"adverse benefit determination"),
    },
];

/// Each sign's pattern, compiled once (case-insensitive).
pub(super) static COMPILED: LazyLock<Vec<(Regex, Option<Regex>)>> = LazyLock::new(|| {
    let re = |p: &str| Regex::new(&format!("(?i){p}")).expect("the program patterns are valid");
    SIGNS.iter().map(|s| (re(s.pattern), s.with.map(re))).collect()
});
