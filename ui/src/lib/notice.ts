// What reading a notice or a claim file found, as the confirm view shows it: each value's source
// in words, its box on the shown page, the case it would make, and the fields a new case still
// needs. Pure functions; the types are the library's (src/cases/prefill.rs).

import type { CaseDoc, Prefill, ReadPage, Reading, Rect, WordSource } from "./bindings.gen";
import { validateDoc } from "./validate";

export type { Prefill, ReadPage, Reading, Rect, WordSource };

/** What a file is read as, from its name: a notice (PDF or picture) or a claim file (FHIR JSON, X12 835). */
export type FileKind = "notice" | "claim";

const NOTICE_EXT = ["pdf", "jpg", "jpeg", "png", "tif", "tiff", "heic", "heif"];
const CLAIM_EXT = ["json", "835", "x12", "edi"];

export function fileKind(path: string): FileKind | null {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase() ?? "";
  if (NOTICE_EXT.includes(ext)) return "notice";
  if (CLAIM_EXT.includes(ext)) return "claim";
  return null;
}

/** The extensions the open dialog offers for each kind. */
export const EXTENSIONS: Record<FileKind, string[]> = { notice: NOTICE_EXT, claim: CLAIM_EXT };

/** How sure a reading is, in words (0–1). */
export function sureness(confidence: number): string {
  if (confidence >= 0.9) return "sure";
  if (confidence >= 0.7) return "fairly sure";
  if (confidence >= 0.5) return "not sure: check it";
  return "a guess: check it";
}

/** Where a value came from and how sure, in words: "read by OCR, fairly sure". */
export function sourceWords(value: Prefill, reading: Reading): string {
  const page = value.source.page === null ? undefined : reading.pages.find((p) => p.page === value.source.page);
  const how = reading.kind === "claim" ? "from the claim file" : page?.source === "ocr" ? "read by OCR" : "read from the PDF's text";
  return `${how}, ${sureness(value.source.confidence)}`;
}

/** A box as percentages of its page, so it sits on the page at whatever size the page is shown. */
export function boxStyle(rect: Rect, page: Pick<ReadPage, "width" | "height">): string {
  const pct = (v: number, of: number) => `${((v / of) * 100).toFixed(3)}%`;
  return `left:${pct(rect.x, page.width)};top:${pct(rect.y, page.height)};width:${pct(rect.w, page.width)};height:${pct(rect.h, page.height)}`;
}

const TABLES = ["case", "member", "provider", "submitter"] as const;

/**
 * The case `doc` with the values put in, as the library's `apply` does it: a list key gets each
 * code once, any other key the value. A target the form does not have is left to the library,
 * which names it.
 */
export function withValues(doc: CaseDoc, values: readonly Pick<Prefill, "target" | "value">[]): CaseDoc {
  // A plain copy (a reactive proxy cannot be structured-cloned).
  const out = JSON.parse(JSON.stringify(doc)) as CaseDoc;
  for (const { target, value } of values) {
    const [table, key] = target.split(".", 2) as [string, string | undefined];
    if (!key || !(TABLES as readonly string[]).includes(table)) continue;
    const t = table as (typeof TABLES)[number];
    if (t === "provider" && !out.provider) out.provider = { organization: "", clinician: "", npi: "", phone: "", fax: "" };
    if (t === "submitter" && !out.submitter) out.submitter = { name: "", role: "", phone: "" };
    const row = out[t] as unknown as Record<string, unknown>;
    const now = row[key];
    if (Array.isArray(now)) {
      if (!now.includes(value)) now.push(value);
    } else if (typeof now === "number" || (now === null && key === "contract_days")) {
      row[key] = Number(value);
    } else {
      row[key] = value;
    }
  }
  return out;
}

/** The keys a new case cannot be created without (the library's required fields). */
export const REQUIRED_KEYS = ["case.kind", "case.title", "case.program", "case.notice_date", "member.name", "member.member_id", "member.dob", "member.payer", "case.contract_days"] as const;
export type RequiredKey = (typeof REQUIRED_KEYS)[number];

/** Always asked in the confirm view: the notice cannot say who is fighting the denial, and the title is the person's. */
const ALWAYS_ASKED: RequiredKey[] = ["case.kind", "case.title"];

/**
 * The required fields to ask for beside the found values: those no kept value fills and the
 * case still lacks (or holds something the checks refuse), plus the kind and title.
 */
export function stillNeeded(doc: CaseDoc, kept: readonly Pick<Prefill, "target" | "value">[]): RequiredKey[] {
  const filled = new Set(kept.map((v) => v.target));
  const problems = new Set(validateDoc(withValues(doc, kept)).map((p) => p.location));
  return REQUIRED_KEYS.filter((k) => !filled.has(k) && (ALWAYS_ASKED.includes(k) || problems.has(k)));
}

/** A title for the new case from what was found, for the person to keep or change. */
export function suggestTitle(kept: readonly Pick<Prefill, "target" | "value">[]): string {
  const v = (t: string) => kept.find((x) => x.target === t)?.value.trim() ?? "";
  const payer = v("member.payer");
  const date = v("case.notice_date");
  if (!payer && !date) return "";
  return `Denial${payer ? ` by ${payer}` : ""}${date ? ` of ${date}` : ""}`;
}
