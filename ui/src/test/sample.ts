// Sample data for component tests (what the shell would send).
import type { CaseDetail, CaseOverview, DeadlineView } from "../lib/bindings.gen";

export function deadline(over: Partial<DeadlineView> = {}): DeadlineView {
  return {
    kind: "file-appeal",
    label: "File the reconsideration",
    due: "2027-01-18",
    due_time: null,
    rule_id: "ma-reconsideration",
    citation: "42 CFR 422.582(b), (b)(1)",
    counted_from: "2026-11-19",
    basis: "receipt presumed 2026-11-19, 5 days after the notice date 2026-11-14",
    basis_given: false,
    due_text: "2027-01-18",
    time_zone: null,
    closed: false,
    days_left: 53,
    status: "open",
    warnings: ["falls on Martin Luther King Jr. Day (federal holiday): file earlier"],
    ...over,
  };
}

export function overview(id: string, name: string, next: DeadlineView | null, over: Partial<CaseOverview> = {}): CaseOverview {
  return {
    id,
    title: "Home oxygen authorization denial",
    kind: "provider-appeal",
    kind_label: "Provider appeal",
    program: "medicare-advantage",
    program_label: "Medicare Advantage",
    member_name: name,
    member_id: `ID-${id}`,
    reference: `REF-${id}`,
    clinician: null,
    claim_number: null,
    authorization_number: null,
    exhibits: 2,
    next_deadline: next,
    missed_promises: 0,
    ...over,
  };
}

export function detail(id = "c1"): CaseDetail {
  return {
    id,
    doc: {
      case: { kind: "provider-appeal", title: "Home oxygen authorization denial", program: "medicare-advantage", urgency: "standard", notice_date: "2026-11-14", reference: "LAP-1", diagnoses: ["J44.1"], procedures: ["E1390"] },
      member: { name: "Walter Hayes", dob: "1947-03-14", member_id: "MAH1", payer: "Lakeshore" },
      provider: { clinician: "Priya Natarajan, MD", npi: "1829475635" },
      submitter: { name: "Dana Whitfield" },
      exhibit: [
        { file: "docs/b.pdf", kind: "progress-note", date: "2026-10-26", title: "Note B" },
        { file: "docs/a.pdf", kind: "oxygen-log", date: "2026-10-25", title: "Log A" },
        { file: "docs/c.jpg", kind: "wound-photo", date: "2026-10-26", title: "Photo C" },
      ],
      event: [
        { at: "2026-11-02T11:15", kind: "call", summary: "Decision promised", counterpart: "Denise R.", reference: "LAP-C-1", promised: "2026-11-05T17:00" },
        { at: "2026-11-16T15:20", kind: "call", summary: "Case file promised", promised: "2026-12-28T17:00" },
      ],
      spo2: [],
      wound: [],
      mobility: [],
      submission: [],
      letter: null,
    },
    exhibits: [
      { file: "docs/b.pdf", sha256: null, number: 2, format: "pdf", citation: "Exhibit 2" },
      { file: "docs/a.pdf", sha256: null, number: 1, format: "pdf", citation: "Exhibit 1" },
      { file: "docs/c.jpg", sha256: null, number: 3, format: "jpeg", citation: "Exhibit 3" },
    ],
    deadlines: [deadline()],
    missed_promises: [{ promised: "2026-11-05T17:00", event_at: "2026-11-02 11:15", summary: "Decision promised", reference: "LAP-C-1", counterpart: "Denise R.", days_overdue: 21 }],
    ladder: [{ rule_id: "ma-reconsideration", level: "reconsideration", window: "60 calendar days (65 from the notice date when receipt is presumed)", citation: "42 CFR 422.582(b), (b)(1)", current: true }],
    template_letter: "# Request\n\nPlease reconsider.",
    readings: { spo2: null, wounds: [], mobility: [] },
    packet: null,
  };
}
