// The case document as the forms edit it, and as the library receives it. Forms bind to plain
// strings ("" for nothing); the library wants absent values as null and no empty tables.

import type { CaseDoc, ExhibitDoc, EventDoc, MobilityDoc, Spo2Doc, SubmissionDoc, WoundDoc } from "./bindings.gen";
import { normalizeNpi } from "./validate";
import { isoDate } from "./format";

function str(v: string | null | undefined): string {
  return v ?? "";
}

/** Trimmed text, or null when there is none. */
function opt(v: string | null | undefined): string | null {
  const t = (v ?? "").trim();
  return t === "" ? null : t;
}

/** A date as the library takes it: what the person wrote, as ISO when it was understood (`11/12/2026` → `2026-11-12`). */
function day(v: string | null | undefined): string {
  return isoDate(str(v).trim(), "date");
}

/** A date or time as the library takes it (`11/21/2026 5pm` → `2026-11-21T17:00`). */
function when(v: string | null | undefined): string {
  return isoDate(str(v).trim(), "moment");
}

function optWhen(v: string | null | undefined): string | null {
  const t = opt(v);
  return t === null ? null : when(t);
}

function optDay(v: string | null | undefined): string | null {
  const t = opt(v);
  return t === null ? null : day(t);
}

function num(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** A new case's document: nothing filled in but the usual choices. */
export function blankDoc(): CaseDoc {
  return editable({
    case: { kind: "provider-appeal", title: "", program: "", urgency: "standard", notice_date: "", diagnoses: [], procedures: [] },
    member: { name: "", dob: "", member_id: "", payer: "" },
    provider: null,
    submitter: null,
    exhibit: [],
    event: [],
    spo2: [],
    wound: [],
    mobility: [],
    submission: [],
    letter: null,
  });
}

/**
 * Every text of `[case]` through `f`, whatever its key: a text field added to the library's
 * shape reaches the form and the save without a line here. The keys named below refine this.
 */
function texts(c: CaseDoc["case"], f: (v: string | null | undefined) => string | null): Record<string, string | null> {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => typeof v === "string").map(([k, v]) => [k, f(v as string)]));
}

/** A deep copy the forms can bind to: every optional text is a string, provider and submitter exist. */
export function editable(doc: CaseDoc): CaseDoc {
  const c = doc.case;
  return {
    case: {
      ...texts(c, str),
      kind: str(c.kind),
      title: str(c.title),
      program: str(c.program),
      level: str(c.level),
      contract_days: c.contract_days ?? null,
      urgency: str(c.urgency) || "standard",
      service: str(c.service),
      pa_requested: str(c.pa_requested),
      notice_date: str(c.notice_date),
      received_date: str(c.received_date),
      notice_deadline: str(c.notice_deadline),
      reference: str(c.reference),
      claim_number: str(c.claim_number),
      authorization_number: str(c.authorization_number),
      denial_reason: str(c.denial_reason),
      requested_action: str(c.requested_action),
      bates_prefix: str(c.bates_prefix),
      diagnoses: [...(c.diagnoses ?? [])],
      procedures: [...(c.procedures ?? [])],
    },
    member: { name: str(doc.member.name), dob: str(doc.member.dob), member_id: str(doc.member.member_id), payer: str(doc.member.payer), phone: str(doc.member.phone) },
    provider: {
      organization: str(doc.provider?.organization),
      clinician: str(doc.provider?.clinician),
      npi: str(doc.provider?.npi),
      phone: str(doc.provider?.phone),
      fax: str(doc.provider?.fax),
    },
    submitter: { name: str(doc.submitter?.name), role: str(doc.submitter?.role), phone: str(doc.submitter?.phone) },
    exhibit: (doc.exhibit ?? []).map((e) => ({ ...e, pages: str(e.pages), caption: str(e.caption), id: str(e.id), meets: [...(e.meets ?? [])] })),
    event: (doc.event ?? []).map((e) => ({ ...e, reference: str(e.reference), counterpart: str(e.counterpart), promised: str(e.promised) })),
    spo2: (doc.spo2 ?? []).map((r) => ({ ...r, oxygen_lpm: r.oxygen_lpm ?? null, pulse: r.pulse ?? null })),
    wound: (doc.wound ?? []).map((r) => ({ ...r, depth_cm: r.depth_cm ?? null, stage: str(r.stage) })),
    mobility: (doc.mobility ?? []).map((r) => ({ ...r })),
    submission: (doc.submission ?? []).map((s) => ({ ...s, confirmation: str(s.confirmation), packet_sha256: str(s.packet_sha256) })),
    letter: doc.letter ?? "",
  };
}

function exhibit(e: ExhibitDoc): ExhibitDoc {
  const meets = (e.meets ?? []).map((m) => m.trim()).filter(Boolean);
  return { file: e.file, kind: str(e.kind), date: day(e.date), title: str(e.title).trim(), pages: opt(e.pages), caption: opt(e.caption), id: opt(e.id), meets };
}

function event(e: EventDoc): EventDoc {
  return { at: when(e.at), kind: str(e.kind), summary: str(e.summary).trim(), reference: opt(e.reference), counterpart: opt(e.counterpart), promised: optWhen(e.promised) };
}

function spo2(r: Spo2Doc): Spo2Doc {
  return { at: when(r.at), percent: num(r.percent) as number, activity: str(r.activity), oxygen_lpm: num(r.oxygen_lpm), pulse: num(r.pulse) };
}

function wound(r: WoundDoc): WoundDoc {
  return { at: when(r.at), site: str(r.site).trim(), length_cm: num(r.length_cm) as number, width_cm: num(r.width_cm) as number, depth_cm: num(r.depth_cm), stage: opt(r.stage) };
}

function mobility(r: MobilityDoc): MobilityDoc {
  return { at: when(r.at), instrument: str(r.instrument).trim(), value: num(r.value) as number, unit: str(r.unit).trim() };
}

function submission(s: SubmissionDoc): SubmissionDoc {
  return { at: when(s.at), method: str(s.method), to: str(s.to).trim(), confirmation: opt(s.confirmation), packet_sha256: opt(s.packet_sha256) };
}

/** The document as the library takes it: absent values null, empty provider/submitter left out. */
export function normalizeDoc(doc: CaseDoc): CaseDoc {
  const c = doc.case;
  const provider = doc.provider
    ? { organization: opt(doc.provider.organization), clinician: opt(doc.provider.clinician), npi: opt(normalizeNpi(doc.provider.npi ?? "")), phone: opt(doc.provider.phone), fax: opt(doc.provider.fax) }
    : null;
  const submitter = doc.submitter ? { name: str(doc.submitter.name).trim(), role: opt(doc.submitter.role), phone: opt(doc.submitter.phone) } : null;
  const letter = doc.letter ?? "";
  return {
    case: {
      ...texts(c, opt),
      kind: str(c.kind),
      title: str(c.title).trim(),
      program: str(c.program),
      level: opt(c.level),
      // The days a contract, or a state's law for a complaint, allows; no other program counts them.
      contract_days: c.program === "contract" || c.program === "state-doi" ? num(c.contract_days) : null,
      urgency: str(c.urgency) || "standard",
      service: opt(c.service),
      pa_requested: optWhen(c.pa_requested),
      notice_date: day(c.notice_date),
      received_date: optDay(c.received_date),
      notice_deadline: optDay(c.notice_deadline),
      reference: opt(c.reference),
      claim_number: opt(c.claim_number),
      authorization_number: opt(c.authorization_number),
      denial_reason: opt(c.denial_reason),
      requested_action: opt(c.requested_action),
      bates_prefix: opt(c.bates_prefix),
      diagnoses: (c.diagnoses ?? []).map((d) => d.trim()).filter(Boolean),
      procedures: (c.procedures ?? []).map((d) => d.trim()).filter(Boolean),
    },
    member: { name: str(doc.member.name).trim(), dob: day(doc.member.dob), member_id: str(doc.member.member_id).trim(), payer: str(doc.member.payer).trim(), phone: opt(doc.member.phone) },
    provider: provider && Object.values(provider).some((v) => v !== null) ? provider : null,
    submitter: submitter && (submitter.name !== "" || submitter.role !== null || submitter.phone !== null) ? submitter : null,
    exhibit: (doc.exhibit ?? []).map(exhibit),
    event: (doc.event ?? []).map(event),
    spo2: (doc.spo2 ?? []).map(spo2),
    wound: (doc.wound ?? []).map(wound),
    mobility: (doc.mobility ?? []).map(mobility),
    submission: (doc.submission ?? []).map(submission),
    letter: letter.trim() === "" ? null : letter,
  };
}

/** A stable text of a document, for telling whether anything changed since the last save. */
export function fingerprint(doc: CaseDoc): string {
  return JSON.stringify(normalizeDoc(doc));
}
