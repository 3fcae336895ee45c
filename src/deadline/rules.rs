//! The deadline rules of deadline-rules.md as one static table, with each program's escalation ladder and decision clocks.

use crate::model::{Program, Service, Urgency};
use serde::Serialize;

/// Whose clock a rule is: the member's (or provider's) to file, or the plan's to decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    Filing,
    Decision,
}

/// How long a window runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Window {
    CalendarDays(u32),
    /// Calendar months: the same day number months later; where that month has no such day,
    /// the first day of the month after it (45 CFR 147.136(d)(2)(i): October 30 → March 1).
    Months(u32),
    /// Elapsed hours from the moment of the request, weekends included.
    Hours(u32),
    /// The number of days in case.toml's `contract_days`.
    ContractDays,
    /// No filing limit (a Medicaid managed-care grievance).
    AnyTime,
    /// Set by state law; no federal date to compute. Where the person enters the days the
    /// state's law allows (case.toml's `contract_days`), they are counted as calendar days.
    StateSet,
}

/// What starts a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CountedFrom {
    /// The date printed on the notice.
    NoticeDate,
    /// The day the notice was received (`received_date`, else a presumption).
    Receipt,
    /// The event or incident complained of; a case records it as its notice date.
    Event,
    /// The moment the appeal was filed or received (decision clocks).
    Request,
    /// The moment the provider asked for prior authorization (initial decision clocks).
    PaRequest,
    /// Nothing: the rule has no computed date.
    None,
}

/// Whether and how far the plan may extend a decision clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Extension {
    /// A filing window: the plan's extensions never move it.
    NotApplicable,
    /// The regulation allows no extension of this clock.
    None,
    /// Up to this many calendar days, under this citation.
    Days { days: u32, citation: &'static str },
}

/// The window a rule had before a change to the regulation came into force: used when what
/// starts the window (the notice, the request) is dated before `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Earlier {
    /// The first day the current window applies (year, month, day).
    pub until: (i32, u32, u32),
    pub window: Window,
    pub window_text: &'static str,
    pub counted_from: CountedFrom,
    pub presumed_receipt_days: Option<u32>,
}

/// One row of the rule tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub program: Program,
    /// The program column as the spec prints it.
    pub program_label: &'static str,
    pub level: &'static str,
    pub purpose: Purpose,
    pub window: Window,
    /// The window column as the spec prints it, for `redress rules`.
    pub window_text: &'static str,
    pub counted_from: CountedFrom,
    /// The counted-from column as the spec prints it.
    pub counted_from_text: &'static str,
    /// Days after the notice date that receipt is presumed when the regulation says so.
    pub presumed_receipt_days: Option<u32>,
    /// Whether a deadline on a weekend or federal holiday moves to the next business day.
    pub moves_off_weekend: bool,
    /// Printed exactly as in the spec's table, without the check mark.
    pub citation: &'static str,
    /// ✓ in the spec: matched against the regulation's text (not only guidance).
    pub checked: bool,
    /// A short phrase for people: what has to happen by the deadline.
    pub action: &'static str,
    /// Whether the plan may extend this clock, and by how much.
    pub extension: Extension,
    /// The window before the regulation last changed, when it did recently.
    pub earlier: Option<Earlier>,
    /// What a reader should know about how the row was read from the regulation.
    pub note: &'static str,
}

const ERISA: &str = "Employer group health plan (ERISA)";
const ACA: &str = "Non-grandfathered individual or group plan";
const MA: &str = "Medicare Advantage (Part C)";
const MEDICAID: &str = "Medicaid managed care";

/// Defaults shared by every row, so each row states only what is its own.
const BASE: Rule = Rule {
    id: "",
    program: Program::Contract,
    program_label: "",
    level: "",
    purpose: Purpose::Filing,
    window: Window::AnyTime,
    window_text: "",
    counted_from: CountedFrom::None,
    counted_from_text: "—",
    presumed_receipt_days: None,
    // Of the spec's rules only aca-external-review moves off a weekend (checked: 42 CFR
    // 405.942, 405.962, 405.1002, 422.582 and 423.582 do not), so elsewhere the date stays and
    // a warning says "file earlier".
    moves_off_weekend: false,
    citation: "",
    checked: false,
    action: "",
    extension: Extension::NotApplicable,
    earlier: None,
    note: "",
};

/// Decision clocks all run from the request; unless a row says otherwise, the regulation
/// allows no extension.
const CLOCK: Rule = Rule {
    purpose: Purpose::Decision,
    counted_from: CountedFrom::Request,
    counted_from_text: "receipt of the appeal",
    extension: Extension::None,
    ..BASE
};

/// Initial prior-authorization decision clocks run from the provider's request.
const PA: Rule = Rule { counted_from: CountedFrom::PaRequest, counted_from_text: "receipt of the prior-authorization request", ..CLOCK };

/// The 14-day extensions the spec lists.
const MA_RECON_EXTENSION: Extension = Extension::Days { days: 14, citation: "42 CFR 422.590(f)" };
const MEDICAID_EXTENSION: Extension = Extension::Days { days: 14, citation: "42 CFR 438.408(c)" };

static RULES: &[Rule] = &[
    // Filing windows for the member or provider.
    Rule {
        id: "erisa-appeal",
        program: Program::Erisa,
        program_label: ERISA,
        level: "internal appeal",
        // "At least 180 days": the plan may give more, never less, so 180 is the safe count.
        window: Window::CalendarDays(180),
        window_text: "at least 180 days",
        counted_from: CountedFrom::Receipt,
        counted_from_text: "receipt of the adverse benefit determination",
        citation: "29 CFR 2560.503-1(h)(3)(i)",
        action: "File the internal appeal",
        ..BASE
    },
    Rule {
        id: "aca-external-review",
        program: Program::Aca,
        program_label: ACA,
        level: "external review request",
        window: Window::Months(4),
        window_text: "4 months; no such day → first day of the next month; a Saturday, Sunday or federal holiday → the next business day",
        counted_from: CountedFrom::Receipt,
        counted_from_text: "receipt of the final internal adverse benefit determination",
        moves_off_weekend: true,
        citation: "45 CFR 147.136(d)(2)(i) (federal process; states ≥ 4 months)",
        action: "Request external review",
        ..BASE
    },
    Rule {
        id: "ma-reconsideration",
        program: Program::MedicareAdvantage,
        program_label: MA,
        level: "reconsideration",
        window: Window::CalendarDays(60),
        window_text: "60 calendar days (65 from the notice date when receipt is presumed)",
        counted_from: CountedFrom::Receipt,
        counted_from_text: "receipt of the notice of organization determination (presumed 5 calendar days after its date)",
        presumed_receipt_days: Some(5),
        citation: "42 CFR 422.582(b), (b)(1)",
        action: "File the reconsideration",
        earlier: Some(Earlier {
            until: (2025, 1, 1),
            window: Window::CalendarDays(60),
            window_text: "60 calendar days from the date of the notice (before 2025-01-01)",
            counted_from: CountedFrom::NoticeDate,
            presumed_receipt_days: None,
        }),
        ..BASE
    },
    Rule {
        id: "ma-alj",
        program: Program::MedicareAdvantage,
        program_label: MA,
        level: "ALJ hearing",
        window: Window::CalendarDays(60),
        window_text: "60 calendar days",
        counted_from: CountedFrom::NoticeDate,
        counted_from_text: "the date of the IRE's reconsideration notice (the safer reading until the paragraph is checked)",
        citation: "42 CFR 422.602(b)",
        action: "Request an ALJ hearing",
        note: "Counted from the date of the IRE's notice, not its receipt: the earlier of the two readings.",
        ..BASE
    },
    Rule {
        id: "partd-ire",
        program: Program::MedicarePartD,
        program_label: "Medicare Part D",
        level: "reconsideration by the IRE",
        window: Window::CalendarDays(60),
        window_text: "60 calendar days",
        counted_from: CountedFrom::NoticeDate,
        counted_from_text: "the date of the redetermination notice (the safer reading until the paragraph is checked)",
        citation: "42 CFR 423.600(a)",
        action: "Request reconsideration by the IRE",
        note: "Counted from the date of the redetermination notice, not its receipt: the earlier of the two readings. The window is in paragraph (a) of 423.600 (the spec's table says (b)).",
        ..BASE
    },
    Rule {
        id: "ma-grievance",
        program: Program::MedicareAdvantage,
        program_label: MA,
        level: "grievance",
        window: Window::CalendarDays(60),
        window_text: "60 days",
        counted_from: CountedFrom::Event,
        counted_from_text: "the event or incident",
        citation: "42 CFR 422.564(d)(1)",
        action: "File the grievance",
        ..BASE
    },
    Rule {
        id: "partd-redetermination",
        program: Program::MedicarePartD,
        program_label: "Medicare Part D",
        level: "redetermination",
        window: Window::CalendarDays(60),
        window_text: "60 calendar days",
        counted_from: CountedFrom::Receipt,
        counted_from_text: "receipt of the written coverage determination notice (presumed 5 days after its date)",
        presumed_receipt_days: Some(5),
        citation: "42 CFR 423.582(b), (b)(1)",
        checked: true,
        action: "File the redetermination",
        // Amended with 422.582 (89 FR 30841, Apr. 23, 2024): before, 60 days from the notice's date.
        earlier: Some(Earlier {
            until: (2025, 1, 1),
            window: Window::CalendarDays(60),
            window_text: "60 calendar days from the date of the notice (before 2025-01-01)",
            counted_from: CountedFrom::NoticeDate,
            presumed_receipt_days: None,
        }),
        ..BASE
    },
    Rule {
        id: "medicare-redetermination",
        program: Program::OriginalMedicare,
        program_label: "Original Medicare (Parts A and B)",
        level: "redetermination (MAC)",
        window: Window::CalendarDays(120),
        window_text: "120 days",
        counted_from: CountedFrom::Receipt,
        counted_from_text: "receipt of the initial determination (presumed 5 days after the notice date)",
        presumed_receipt_days: Some(5),
        citation: "42 CFR 405.942(a), (a)(1)",
        checked: true,
        action: "File the redetermination",
        ..BASE
    },
    Rule {
        id: "medicare-reconsideration",
        program: Program::OriginalMedicare,
        program_label: "Original Medicare",
        level: "reconsideration (QIC)",
        window: Window::CalendarDays(180),
        window_text: "180 days",
        counted_from: CountedFrom::Receipt,
        counted_from_text: "receipt of the redetermination (presumed 5 days after)",
        presumed_receipt_days: Some(5),
        citation: "42 CFR 405.962(a), (a)(1)",
        checked: true,
        action: "Request the QIC reconsideration",
        ..BASE
    },
    Rule {
        id: "medicare-alj",
        program: Program::OriginalMedicare,
        // MA and Part D ALJ requests fall under 42 CFR 422.602(b) and 423.1972(b), not this row.
        program_label: "Original Medicare",
        level: "ALJ hearing",
        window: Window::CalendarDays(60),
        window_text: "60 calendar days",
        counted_from: CountedFrom::Receipt,
        counted_from_text: "receipt of the QIC reconsideration (presumed 5 days after its date)",
        presumed_receipt_days: Some(5),
        citation: "42 CFR 405.1002(a)(1), (a)(3)",
        checked: true,
        action: "Request an ALJ hearing",
        ..BASE
    },
    Rule {
        id: "medicaid-mc-appeal",
        program: Program::MedicaidManagedCare,
        program_label: MEDICAID,
        level: "plan appeal",
        window: Window::CalendarDays(60),
        window_text: "60 calendar days",
        counted_from: CountedFrom::NoticeDate,
        counted_from_text: "the date on the adverse benefit determination notice",
        citation: "42 CFR 438.402(c)(2)(ii)",
        action: "File the plan appeal",
        ..BASE
    },
    Rule {
        id: "medicaid-mc-grievance",
        program: Program::MedicaidManagedCare,
        program_label: MEDICAID,
        level: "grievance",
        window: Window::AnyTime,
        window_text: "any time",
        citation: "42 CFR 438.402(c)(2)(i)",
        action: "File the grievance",
        ..BASE
    },
    Rule {
        id: "medicaid-fair-hearing",
        program: Program::MedicaidManagedCare,
        program_label: MEDICAID,
        level: "state fair hearing",
        // Not the ≤ 90-day state-set window: that one is fee-for-service Medicaid (42 CFR 431.221(d)).
        window: Window::CalendarDays(120),
        window_text: "120 calendar days",
        counted_from: CountedFrom::NoticeDate,
        counted_from_text: "the date of the plan's notice of appeal resolution",
        citation: "42 CFR 438.408(f)(2)",
        action: "Request a state fair hearing",
        note: "120 calendar days for managed-care enrollees, set by the regulation, not by the state (the state-set window of at most 90 days, 42 CFR 431.221(d), is fee-for-service Medicaid). A notice that prints fewer days: record its date as notice_deadline and the earlier date is used.",
        ..BASE
    },
    Rule {
        id: "contract",
        program: Program::Contract,
        program_label: "Provider contract / vendor dispute",
        level: "as the contract says",
        window: Window::ContractDays,
        window_text: "N days entered by the user (seed guide: commonly 30–45)",
        counted_from: CountedFrom::NoticeDate,
        counted_from_text: "the notice date",
        citation: "per contract",
        action: "File the contract dispute",
        ..BASE
    },
    Rule {
        id: "doi-complaint",
        program: Program::StateDoi,
        program_label: "State Department of Insurance complaint",
        level: "complaint",
        window: Window::StateSet,
        window_text: "none fixed federally; state-specific — user may enter days",
        // Only where the person enters the days: counted from the decision complained of.
        counted_from: CountedFrom::NoticeDate,
        counted_from_text: "the notice date, where the days state law allows are entered",
        citation: "state law",
        action: "File the complaint",
        ..BASE
    },
    // Decision clocks for the plan, tracked after filing.
    Rule {
        id: "erisa-urgent",
        program: Program::Erisa,
        program_label: ERISA,
        level: "urgent care appeal",
        window: Window::Hours(72),
        window_text: "72 hours of receipt of the appeal",
        citation: "29 CFR 2560.503-1(i)(2)(i)",
        action: "Plan decides the urgent care appeal",
        ..CLOCK
    },
    Rule {
        id: "erisa-preservice",
        program: Program::Erisa,
        program_label: ERISA,
        level: "pre-service appeal",
        window: Window::CalendarDays(30),
        window_text: "30 days (one level)",
        citation: "29 CFR 2560.503-1(i)(2)(ii)",
        action: "Plan decides the pre-service appeal",
        ..CLOCK
    },
    Rule {
        id: "erisa-postservice",
        program: Program::Erisa,
        program_label: ERISA,
        level: "post-service appeal",
        window: Window::CalendarDays(60),
        window_text: "60 days (one level)",
        citation: "29 CFR 2560.503-1(i)(2)(iii)",
        action: "Plan decides the post-service appeal",
        ..CLOCK
    },
    Rule {
        id: "ma-expedited",
        program: Program::MedicareAdvantage,
        program_label: MA,
        level: "expedited reconsideration",
        window: Window::Hours(72),
        window_text: "72 hours",
        citation: "42 CFR 422.590(e)",
        action: "Plan decides the expedited reconsideration",
        extension: MA_RECON_EXTENSION,
        ..CLOCK
    },
    Rule {
        id: "ma-standard-service",
        program: Program::MedicareAdvantage,
        program_label: MA,
        level: "standard pre-service reconsideration",
        window: Window::CalendarDays(30),
        window_text: "30 calendar days",
        citation: "42 CFR 422.590(a)",
        checked: true,
        action: "Plan decides the reconsideration",
        extension: MA_RECON_EXTENSION,
        ..CLOCK
    },
    Rule {
        id: "ma-payment",
        program: Program::MedicareAdvantage,
        program_label: MA,
        level: "payment reconsideration",
        window: Window::CalendarDays(60),
        window_text: "60 calendar days",
        citation: "42 CFR 422.590(b)",
        checked: true,
        action: "Plan decides the payment reconsideration",
        ..CLOCK
    },
    Rule {
        id: "partd-standard",
        program: Program::MedicarePartD,
        program_label: "Medicare Part D",
        level: "standard redetermination",
        window: Window::CalendarDays(7),
        window_text: "7 calendar days",
        citation: "42 CFR 423.590(a)",
        action: "Plan decides the redetermination",
        ..CLOCK
    },
    Rule {
        id: "partd-expedited",
        program: Program::MedicarePartD,
        program_label: "Medicare Part D",
        level: "expedited redetermination",
        window: Window::Hours(72),
        window_text: "72 hours",
        citation: "42 CFR 423.590(d)",
        action: "Plan decides the expedited redetermination",
        ..CLOCK
    },
    Rule {
        id: "medicaid-mc-standard",
        program: Program::MedicaidManagedCare,
        program_label: MEDICAID,
        level: "standard appeal resolution",
        window: Window::CalendarDays(30),
        window_text: "30 calendar days",
        citation: "42 CFR 438.408(b)(2)",
        action: "Plan resolves the appeal",
        extension: MEDICAID_EXTENSION,
        ..CLOCK
    },
    Rule {
        id: "medicaid-mc-expedited",
        program: Program::MedicaidManagedCare,
        program_label: MEDICAID,
        level: "expedited appeal resolution",
        window: Window::Hours(72),
        window_text: "72 hours",
        citation: "42 CFR 438.408(b)(3)",
        action: "Plan resolves the expedited appeal",
        extension: MEDICAID_EXTENSION,
        ..CLOCK
    },
    Rule {
        id: "medicaid-mc-grievance-resolution",
        program: Program::MedicaidManagedCare,
        program_label: MEDICAID,
        level: "grievance resolution",
        window: Window::CalendarDays(90),
        window_text: "90 calendar days",
        citation: "42 CFR 438.408(b)(1)",
        action: "Plan resolves the grievance",
        extension: MEDICAID_EXTENSION,
        ..CLOCK
    },
    Rule {
        id: "aca-expedited-external",
        program: Program::Aca,
        program_label: ACA,
        level: "expedited external review",
        window: Window::Hours(72),
        window_text: "72 hours",
        citation: "45 CFR 147.136(d)(3)(iv)",
        action: "Reviewer decides the expedited external review",
        ..CLOCK
    },
    Rule {
        id: "aca-standard-external",
        program: Program::Aca,
        program_label: ACA,
        level: "standard external review decision",
        window: Window::CalendarDays(45),
        window_text: "45 days from the IRO's receipt",
        counted_from_text: "the IRO's receipt of the request",
        citation: "45 CFR 147.136(d)(2) (federal process)",
        action: "Reviewer decides the external review",
        note: "Counted from the filing: the IRO receives the request on that day or later, so this is the earliest reading.",
        ..CLOCK
    },
    Rule {
        id: "ma-partb-drug",
        program: Program::MedicareAdvantage,
        program_label: MA,
        level: "standard reconsideration of a Part B drug",
        window: Window::CalendarDays(7),
        window_text: "7 calendar days, no extension",
        citation: "42 CFR 422.590(c)",
        action: "Plan decides the Part B drug reconsideration",
        ..CLOCK
    },
    Rule {
        id: "ma-partb-drug-expedited",
        program: Program::MedicareAdvantage,
        program_label: MA,
        level: "expedited reconsideration of a Part B drug",
        window: Window::Hours(72),
        window_text: "72 hours, no extension",
        citation: "42 CFR 422.590(e)",
        action: "Plan decides the expedited Part B drug reconsideration",
        ..CLOCK
    },
    Rule {
        id: "partd-payment",
        program: Program::MedicarePartD,
        program_label: "Medicare Part D",
        level: "payment redetermination",
        window: Window::CalendarDays(14),
        window_text: "14 calendar days",
        citation: "42 CFR 423.590(b)",
        action: "Plan decides the payment redetermination",
        ..CLOCK
    },
    // Initial prior-authorization decisions (CMS-0057-F, in force from 2026-01-01).
    Rule {
        id: "ma-pa-standard",
        program: Program::MedicareAdvantage,
        program_label: MA,
        level: "standard prior-authorization decision",
        window: Window::CalendarDays(7),
        window_text: "7 calendar days (14 before 2026)",
        citation: "42 CFR 422.568(b)(1)",
        action: "Plan decides the prior-authorization request",
        extension: Extension::Days { days: 14, citation: "42 CFR 422.568(b)(1)(i)" },
        earlier: Some(Earlier {
            until: (2026, 1, 1),
            window: Window::CalendarDays(14),
            window_text: "14 calendar days (requests before 2026-01-01)",
            counted_from: CountedFrom::PaRequest,
            presumed_receipt_days: None,
        }),
        ..PA
    },
    Rule {
        id: "ma-pa-expedited",
        program: Program::MedicareAdvantage,
        program_label: MA,
        level: "expedited prior-authorization decision",
        window: Window::Hours(72),
        window_text: "72 hours",
        citation: "42 CFR 422.572(a)",
        action: "Plan decides the expedited prior-authorization request",
        extension: Extension::Days { days: 14, citation: "42 CFR 422.572(b)" },
        ..PA
    },
    Rule {
        id: "medicaid-mc-pa-standard",
        program: Program::MedicaidManagedCare,
        program_label: "Medicaid managed care (rating periods from 2026-01-01)",
        level: "standard service authorization decision",
        window: Window::CalendarDays(7),
        window_text: "7 calendar days (14 before 2026)",
        citation: "42 CFR 438.210(d)(1)",
        action: "Plan decides the service authorization request",
        extension: Extension::Days { days: 14, citation: "42 CFR 438.210(d)(1)(i)-(ii)" },
        earlier: Some(Earlier {
            until: (2026, 1, 1),
            window: Window::CalendarDays(14),
            window_text: "14 calendar days (requests before 2026-01-01)",
            counted_from: CountedFrom::PaRequest,
            presumed_receipt_days: None,
        }),
        note: "7 days applies from the plan's first rating period beginning on or after 2026-01-01; a plan whose rating period began earlier may have 14 days until its next one. The earlier date is shown.",
        ..PA
    },
    Rule {
        id: "medicaid-mc-pa-expedited",
        program: Program::MedicaidManagedCare,
        program_label: MEDICAID,
        level: "expedited service authorization decision",
        window: Window::Hours(72),
        window_text: "72 hours",
        citation: "42 CFR 438.210(d)(2)",
        action: "Plan decides the expedited service authorization request",
        extension: Extension::Days { days: 14, citation: "42 CFR 438.210(d)(2)(ii)" },
        ..PA
    },
    Rule {
        id: "erisa-pa-standard",
        program: Program::Erisa,
        program_label: "ERISA / ACA group plan (pre-service claim)",
        level: "pre-service claim decision",
        window: Window::CalendarDays(15),
        window_text: "15 days",
        citation: "29 CFR 2560.503-1(f)(2)(iii)(A)",
        action: "Plan decides the pre-service claim",
        extension: Extension::Days { days: 15, citation: "29 CFR 2560.503-1(f)(2)(iii)(A)" },
        ..PA
    },
    Rule {
        id: "erisa-pa-urgent",
        program: Program::Erisa,
        program_label: "ERISA / ACA group plan (urgent care claim)",
        level: "urgent care claim decision",
        window: Window::Hours(72),
        window_text: "72 hours",
        citation: "29 CFR 2560.503-1(f)(2)(i)",
        action: "Plan decides the urgent care claim",
        ..PA
    },
];

/// Every rule, filing windows first, in the spec's order.
pub fn rules() -> &'static [Rule] {
    RULES
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Each program's filing rules: the escalation ladder in order, then side tracks (grievances).
pub fn filing_rules(program: Program) -> &'static [&'static str] {
    match program {
        // ACA plans take the internal appeal as ERISA does (180 days), then external review.
        Program::Erisa | Program::Aca => &["erisa-appeal", "aca-external-review"],
        Program::MedicareAdvantage => &["ma-reconsideration", "ma-alj", "ma-grievance"],
        Program::MedicarePartD => &["partd-redetermination", "partd-ire"],
        Program::OriginalMedicare => &["medicare-redetermination", "medicare-reconsideration", "medicare-alj"],
        Program::MedicaidManagedCare => &["medicaid-mc-appeal", "medicaid-fair-hearing", "medicaid-mc-grievance"],
        Program::Contract => &["contract"],
        Program::StateDoi => &["doi-complaint"],
    }
}

/// Each program's decision clocks, as in the Programs table, then its initial
/// prior-authorization clocks.
pub fn decision_clocks(program: Program) -> &'static [&'static str] {
    match program {
        Program::Erisa => &["erisa-urgent", "erisa-preservice", "erisa-postservice", "erisa-pa-standard", "erisa-pa-urgent"],
        Program::Aca => &[
            "erisa-urgent",
            "erisa-preservice",
            "erisa-postservice",
            "aca-expedited-external",
            "aca-standard-external",
            "erisa-pa-standard",
            "erisa-pa-urgent",
        ],
        Program::MedicareAdvantage => &[
            "ma-expedited",
            "ma-standard-service",
            "ma-payment",
            "ma-partb-drug",
            "ma-partb-drug-expedited",
            "ma-pa-standard",
            "ma-pa-expedited",
        ],
        Program::MedicarePartD => &["partd-standard", "partd-expedited", "partd-payment"],
        Program::OriginalMedicare | Program::Contract | Program::StateDoi => &[],
        Program::MedicaidManagedCare => &[
            "medicaid-mc-standard",
            "medicaid-mc-expedited",
            "medicaid-mc-grievance-resolution",
            "medicaid-mc-pa-standard",
            "medicaid-mc-pa-expedited",
        ],
    }
}

/// One step up a program's ladder: after `from` is decided, the member files `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub from: &'static str,
    pub to: &'static str,
    /// The plan sends an adverse decision to the IRE itself (42 CFR 422.590(a)(2)), so `to`
    /// counts from the IRE's decision: the second decision after the filing.
    pub via_ire: bool,
}

static LADDER: &[Step] = &[
    Step { from: "erisa-appeal", to: "aca-external-review", via_ire: false },
    Step { from: "ma-reconsideration", to: "ma-alj", via_ire: true },
    Step { from: "partd-redetermination", to: "partd-ire", via_ire: false },
    Step { from: "medicare-redetermination", to: "medicare-reconsideration", via_ire: false },
    Step { from: "medicare-reconsideration", to: "medicare-alj", via_ire: false },
    Step { from: "medicaid-mc-appeal", to: "medicaid-fair-hearing", via_ire: false },
];

/// The step up the ladder from `rule_id`.
pub fn next_step(rule_id: &str) -> Option<&'static Step> {
    LADDER.iter().find(|s| s.from == rule_id)
}

/// Which requests a clock choice applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum On {
    /// Whatever the case says.
    Any,
    /// The case does not say what was requested.
    Unknown,
    Is(Service),
}

impl On {
    fn matches(self, service: Option<Service>) -> bool {
        let service = service.map(Service::clock_kind);
        match self {
            On::Any => true,
            On::Unknown => service.is_none(),
            On::Is(s) => service == Some(s),
        }
    }
}

/// A decision clock: which filing it follows, for which urgency (`None`: either) and request,
/// the other clock of the same level that applies instead for a different kind of request
/// (shown as a warning when the case does not say which kind it is), and a note.
struct ClockChoice {
    filing: &'static str,
    urgency: Option<Urgency>,
    on: On,
    clock: &'static str,
    alternative: Option<&'static str>,
    note: Option<&'static str>,
}

const fn choice(filing: &'static str, urgency: Option<Urgency>, on: On, clock: &'static str) -> ClockChoice {
    ClockChoice { filing, urgency, on, clock, alternative: None, note: None }
}

const EXP: Option<Urgency> = Some(Urgency::Expedited);
const STD: Option<Urgency> = Some(Urgency::Standard);
const NO_EXPEDITED_PAYMENT: &str = "expedited review does not apply to a payment request: the payment clock is counted";
/// 29 CFR 2560.503-1(m)(1): urgent care is care or treatment still to be given, so a request to
/// be paid for care already given is a post-service claim ((m)(3)), however pressing.
const NO_URGENT_PAYMENT: &str =
    "a payment request is not a claim involving urgent care (29 CFR 2560.503-1(m)(1)): the post-service clock is counted";

/// 45 CFR 147.136(d)(3)(i): expedited external review is for a medical condition that waiting
/// would seriously jeopardize, or an admission, continued stay or service after emergency care
/// before discharge: care still to be given, as with urgent care claims.
const NO_URGENT_EXTERNAL_PAYMENT: &str =
    "expedited external review is for care still to be given (45 CFR 147.136(d)(3)(i)): a payment request gets the standard external review clock";

/// First match wins.
static CLOCK_CHOICES: &[ClockChoice] = &[
    ClockChoice { note: Some(NO_URGENT_PAYMENT), ..choice("erisa-appeal", EXP, On::Is(Service::Payment), "erisa-postservice") },
    choice("erisa-appeal", EXP, On::Any, "erisa-urgent"),
    choice("erisa-appeal", STD, On::Is(Service::Payment), "erisa-postservice"),
    ClockChoice { alternative: Some("erisa-postservice"), ..choice("erisa-appeal", STD, On::Unknown, "erisa-preservice") },
    choice("erisa-appeal", STD, On::Any, "erisa-preservice"),
    ClockChoice {
        note: Some(NO_URGENT_EXTERNAL_PAYMENT),
        ..choice("aca-external-review", EXP, On::Is(Service::Payment), "aca-standard-external")
    },
    choice("aca-external-review", EXP, On::Any, "aca-expedited-external"),
    choice("aca-external-review", STD, On::Any, "aca-standard-external"),
    choice("ma-reconsideration", EXP, On::Is(Service::PartBDrug), "ma-partb-drug-expedited"),
    choice("ma-reconsideration", STD, On::Is(Service::PartBDrug), "ma-partb-drug"),
    ClockChoice { note: Some(NO_EXPEDITED_PAYMENT), ..choice("ma-reconsideration", EXP, On::Is(Service::Payment), "ma-payment") },
    choice("ma-reconsideration", EXP, On::Any, "ma-expedited"),
    choice("ma-reconsideration", STD, On::Is(Service::Payment), "ma-payment"),
    ClockChoice { alternative: Some("ma-payment"), ..choice("ma-reconsideration", STD, On::Unknown, "ma-standard-service") },
    choice("ma-reconsideration", STD, On::Any, "ma-standard-service"),
    ClockChoice { note: Some(NO_EXPEDITED_PAYMENT), ..choice("partd-redetermination", EXP, On::Is(Service::Payment), "partd-payment") },
    choice("partd-redetermination", EXP, On::Any, "partd-expedited"),
    choice("partd-redetermination", STD, On::Is(Service::Payment), "partd-payment"),
    ClockChoice { alternative: Some("partd-payment"), ..choice("partd-redetermination", STD, On::Unknown, "partd-standard") },
    choice("partd-redetermination", STD, On::Any, "partd-standard"),
    choice("medicaid-mc-appeal", EXP, On::Any, "medicaid-mc-expedited"),
    choice("medicaid-mc-appeal", STD, On::Any, "medicaid-mc-standard"),
    choice("medicaid-mc-grievance", None, On::Any, "medicaid-mc-grievance-resolution"),
];

/// The plan's decision clock after a filing, as chosen for the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockPick {
    pub clock: &'static Rule,
    /// The clock that applies instead to the other kind of request, when the case does not say.
    pub alternative: Option<&'static Rule>,
    pub note: Option<&'static str>,
}

/// The plan's decision clock after a filing under `filing_rule_id`: the expedited clock when
/// the case is expedited and the level has one, the Part B drug or payment clock when the case
/// says so.
pub fn decision_clock(filing_rule_id: &str, urgency: Urgency, service: Option<Service>) -> Option<ClockPick> {
    let found = CLOCK_CHOICES
        .iter()
        .filter(|c| c.filing == filing_rule_id && c.on.matches(service))
        .find(|c| c.urgency.is_none_or(|u| u == urgency))?;
    Some(ClockPick { clock: rule(found.clock)?, alternative: found.alternative.and_then(rule), note: found.note })
}

/// Whether the program has an expedited decision clock at all.
pub fn has_expedited_clock(program: Program) -> bool {
    CLOCK_CHOICES.iter().any(|c| c.urgency == EXP && filing_rules(program).contains(&c.filing))
}

/// The initial prior-authorization clocks of each program (CMS-0057-F and ERISA claims rules).
static PA_CLOCKS: &[(Program, Urgency, &str)] = &[
    (Program::MedicareAdvantage, Urgency::Standard, "ma-pa-standard"),
    (Program::MedicareAdvantage, Urgency::Expedited, "ma-pa-expedited"),
    (Program::MedicaidManagedCare, Urgency::Standard, "medicaid-mc-pa-standard"),
    (Program::MedicaidManagedCare, Urgency::Expedited, "medicaid-mc-pa-expedited"),
    (Program::Erisa, Urgency::Standard, "erisa-pa-standard"),
    (Program::Erisa, Urgency::Expedited, "erisa-pa-urgent"),
    (Program::Aca, Urgency::Standard, "erisa-pa-standard"),
    (Program::Aca, Urgency::Expedited, "erisa-pa-urgent"),
];

/// Why a prior-authorization request has no clock here, or what to know about the one it has.
pub enum PaClock {
    Clock {
        rule: &'static Rule,
        note: Option<&'static str>,
    },
    /// The program or the request is outside these clocks; the text says why.
    Excluded(&'static str),
}

/// The plan's clock for an initial prior-authorization decision.
pub fn pa_clock(program: Program, urgency: Urgency, service: Option<Service>) -> PaClock {
    let drug = matches!(service.map(Service::clock_kind), Some(Service::PartBDrug | Service::Drug));
    if drug && matches!(program, Program::MedicareAdvantage | Program::MedicaidManagedCare) {
        return PaClock::Excluded(
            "drugs are excluded from the prior-authorization clocks of CMS-0057-F: none is counted (an MA Part B drug request has 72 hours, 42 CFR 422.568(b)(2); a Medicaid outpatient drug follows 42 CFR 438.210(d)(3))",
        );
    }
    let found = PA_CLOCKS.iter().find(|(p, u, _)| *p == program && *u == urgency).and_then(|(_, _, id)| rule(id));
    match found {
        Some(rule) => {
            let note = (program == Program::Aca).then_some(
                "QHP issuers on the federal exchanges are outside CMS-0057-F and keep 15 days pre-service / 72 hours urgent (45 CFR 147.136(b), 29 CFR 2560.503-1(f))",
            );
            PaClock::Clock { rule, note }
        }
        None => PaClock::Excluded("the program has no prior-authorization decision clock in the table"),
    }
}

/// What happens when the plan misses a decision clock: the next level it opens (or `None`
/// when the plan must move the case on itself), with the citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deemed {
    pub clocks: &'static [&'static str],
    pub opens: Option<&'static str>,
    pub citation: &'static str,
    pub text: &'static str,
}

static DEEMED: &[Deemed] = &[
    Deemed {
        clocks: &["medicaid-mc-standard", "medicaid-mc-expedited"],
        opens: Some("medicaid-fair-hearing"),
        citation: "42 CFR 438.408(c)(3)",
        text: "the enrollee is deemed to have exhausted the plan's appeal process and may request a state fair hearing now",
    },
    Deemed {
        clocks: &["erisa-urgent", "erisa-preservice", "erisa-postservice"],
        opens: Some("aca-external-review"),
        citation: "45 CFR 147.136(b)(2)(ii)(F) (individual market: (b)(3)(ii)(F))",
        text: "the claimant is deemed to have exhausted the internal process and may request external review now",
    },
    Deemed {
        clocks: &["ma-standard-service", "ma-payment", "ma-partb-drug"],
        opens: None,
        citation: "42 CFR 422.590(d)",
        text: "the missed deadline counts as an affirmation of the denial and the plan must send the case to the IRE now",
    },
    Deemed {
        clocks: &["ma-expedited", "ma-partb-drug-expedited"],
        opens: None,
        citation: "42 CFR 422.590(g)",
        text: "the plan must forward the case to the IRE within 24 hours of the missed deadline",
    },
];

/// What a missed `clock_id` opens, when the table says.
pub fn deemed_exhaustion(clock_id: &str) -> Option<&'static Deemed> {
    DEEMED.iter().find(|d| d.clocks.contains(&clock_id))
}

/// The filing rule that a case's `level` names: a rule id, or a level name such as
/// "reconsideration" (the parenthesised body, as in "reconsideration (QIC)", is optional).
/// Only the program's own filing rules are considered.
pub fn level_rule(program: Program, level: &str) -> Option<&'static Rule> {
    let wanted = level.trim().to_lowercase();
    let candidates = || filing_rules(program).iter().filter_map(|id| rule(id));
    candidates().find(|r| r.id == wanted).or_else(|| {
        candidates().find(|r| {
            let full = r.level.to_lowercase();
            let short = full.split(" (").next().unwrap_or(&full).to_string();
            wanted == full || wanted == short
        })
    })
}
