//! The deadline rules of deadline-rules.md as one static table, with each program's escalation ladder and decision clocks.

use crate::model::{Program, Urgency};
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
    /// Calendar months; a day that the end month lacks clamps to its last day.
    Months(u32),
    /// Elapsed hours from the moment of the request, weekends included.
    Hours(u32),
    /// The number of days in case.toml's `contract_days`.
    ContractDays,
    /// No filing limit (a Medicaid managed-care grievance).
    AnyTime,
    /// Set by state law; no federal date to compute.
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
    /// Nothing: the rule has no computed date.
    None,
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
    // No rule in the spec's tables says a deadline moves off a weekend (checked: 42 CFR 405.942,
    // 405.962, 405.1002, 423.582), so the date stays and a warning says "file earlier".
    moves_off_weekend: false,
    citation: "",
    checked: false,
    action: "",
};

/// Decision clocks all run from the request.
const CLOCK: Rule =
    Rule { purpose: Purpose::Decision, counted_from: CountedFrom::Request, counted_from_text: "receipt of the appeal", ..BASE };

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
        window_text: "4 months",
        counted_from: CountedFrom::Receipt,
        counted_from_text: "receipt of the final internal adverse benefit determination",
        citation: "45 CFR 147.136(d)(2)(i) (federal process; states ≥ 4 months)",
        action: "Request external review",
        ..BASE
    },
    Rule {
        id: "ma-reconsideration",
        program: Program::MedicareAdvantage,
        program_label: MA,
        level: "reconsideration",
        window: Window::CalendarDays(65),
        window_text: "65 calendar days",
        counted_from: CountedFrom::NoticeDate,
        counted_from_text: "the date of the notice of organization determination",
        citation: "42 CFR 422.582(b)",
        action: "File the reconsideration",
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
        ..CLOCK
    },
    Rule {
        id: "aca-expedited-external",
        program: Program::Aca,
        program_label: ACA,
        level: "expedited external review",
        window: Window::Hours(72),
        window_text: "72 hours",
        citation: "45 CFR 147.136(d)(3)",
        action: "Reviewer decides the expedited external review",
        ..CLOCK
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
        Program::MedicareAdvantage => &["ma-reconsideration", "ma-grievance"],
        Program::MedicarePartD => &["partd-redetermination"],
        Program::OriginalMedicare => &["medicare-redetermination", "medicare-reconsideration", "medicare-alj"],
        Program::MedicaidManagedCare => &["medicaid-mc-appeal", "medicaid-fair-hearing", "medicaid-mc-grievance"],
        Program::Contract => &["contract"],
        Program::StateDoi => &["doi-complaint"],
    }
}

/// Each program's decision clocks, as in the Programs table.
pub fn decision_clocks(program: Program) -> &'static [&'static str] {
    match program {
        Program::Erisa => &["erisa-urgent", "erisa-preservice", "erisa-postservice"],
        Program::Aca => &["erisa-urgent", "erisa-preservice", "erisa-postservice", "aca-expedited-external"],
        Program::MedicareAdvantage => &["ma-expedited", "ma-standard-service", "ma-payment"],
        Program::MedicarePartD => &["partd-standard", "partd-expedited"],
        Program::OriginalMedicare | Program::Contract | Program::StateDoi => &[],
        Program::MedicaidManagedCare => &["medicaid-mc-standard", "medicaid-mc-expedited", "medicaid-mc-grievance-resolution"],
    }
}

/// The member's next filing after a level's decision. Medicare Advantage and Part D stop here:
/// their IRE review is automatic or not in the table, and their ALJ rows (42 CFR 422.602(b),
/// 423.1972(b)) are not in the table either.
static LADDER: &[(&str, &str)] = &[
    ("erisa-appeal", "aca-external-review"),
    ("medicare-redetermination", "medicare-reconsideration"),
    ("medicare-reconsideration", "medicare-alj"),
    ("medicaid-mc-appeal", "medicaid-fair-hearing"),
];

/// The level a member files next after `rule_id` is decided, when the table has one.
pub fn next_level(rule_id: &str) -> Option<&'static str> {
    LADDER.iter().find(|(from, _)| *from == rule_id).map(|(_, to)| *to)
}

/// A decision clock: which filing it follows, for which urgency, and the other clock of the
/// same level that applies instead for a different kind of request (shown as a warning,
/// because the case does not say which kind it is).
struct ClockChoice {
    filing: &'static str,
    urgency: Option<Urgency>,
    clock: &'static str,
    alternative: Option<&'static str>,
}

static CLOCK_CHOICES: &[ClockChoice] = &[
    ClockChoice { filing: "erisa-appeal", urgency: Some(Urgency::Expedited), clock: "erisa-urgent", alternative: None },
    ClockChoice {
        filing: "erisa-appeal",
        urgency: Some(Urgency::Standard),
        clock: "erisa-preservice",
        alternative: Some("erisa-postservice"),
    },
    // The federal standard external review clock is not in the table, so only expedited has one.
    ClockChoice { filing: "aca-external-review", urgency: Some(Urgency::Expedited), clock: "aca-expedited-external", alternative: None },
    ClockChoice { filing: "ma-reconsideration", urgency: Some(Urgency::Expedited), clock: "ma-expedited", alternative: None },
    ClockChoice {
        filing: "ma-reconsideration",
        urgency: Some(Urgency::Standard),
        clock: "ma-standard-service",
        alternative: Some("ma-payment"),
    },
    ClockChoice { filing: "partd-redetermination", urgency: Some(Urgency::Expedited), clock: "partd-expedited", alternative: None },
    ClockChoice { filing: "partd-redetermination", urgency: Some(Urgency::Standard), clock: "partd-standard", alternative: None },
    ClockChoice { filing: "medicaid-mc-appeal", urgency: Some(Urgency::Expedited), clock: "medicaid-mc-expedited", alternative: None },
    ClockChoice { filing: "medicaid-mc-appeal", urgency: Some(Urgency::Standard), clock: "medicaid-mc-standard", alternative: None },
    ClockChoice { filing: "medicaid-mc-grievance", urgency: None, clock: "medicaid-mc-grievance-resolution", alternative: None },
];

/// The plan's decision clock after a filing under `filing_rule_id`: the expedited clock when
/// the case is expedited and the level has one.
pub fn decision_clock(filing_rule_id: &str, urgency: Urgency) -> Option<&'static str> {
    clock_choice(filing_rule_id, urgency).map(|c| c.clock)
}

/// The clock of the same level that applies to the other kind of request (post-service,
/// payment), when the table has one.
pub fn alternative_clock(filing_rule_id: &str, urgency: Urgency) -> Option<&'static str> {
    clock_choice(filing_rule_id, urgency).and_then(|c| c.alternative)
}

fn clock_choice(filing_rule_id: &str, urgency: Urgency) -> Option<&'static ClockChoice> {
    let matches = |c: &&ClockChoice| c.filing == filing_rule_id;
    CLOCK_CHOICES
        .iter()
        .filter(matches)
        .find(|c| c.urgency == Some(urgency))
        .or_else(|| CLOCK_CHOICES.iter().filter(matches).find(|c| c.urgency.is_none()))
        // An expedited case at a level without an expedited clock still has the standard one.
        .or_else(|| CLOCK_CHOICES.iter().filter(matches).find(|c| c.urgency == Some(Urgency::Standard)))
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
