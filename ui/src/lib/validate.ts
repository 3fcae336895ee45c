// Checks a person gets while typing, before the library's own (authoritative) checks on save.
// They name problems by the same case.toml keys. The code patterns, the NPI prefix and the
// vocabularies come from the library through the generated bindings; the tests check these
// validators against the library's verdicts on its examples.

import type { CaseDoc, ProblemView } from "./bindings.gen";
import { CPT_OR_HCPCS_PATTERN, ICD10CM_PATTERN, NPI_LUHN_PREFIX } from "./bindings.gen";
import { CASE_KINDS, PROGRAMS, URGENCIES, SERVICES, EXHIBIT_KINDS, EVENT_KINDS, ACTIVITIES, SUBMISSION_METHODS, parseDate, parseMoment, type DateKind } from "./format";

/** A real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  return parseDate(text) !== null;
}

/** A date, a local date-time (`2025-09-03T10:15`) or an RFC 3339 time. */
export function isMoment(text: string): boolean {
  return parseMoment(text) !== null;
}

/**
 * A National Provider Identifier: ten digits whose last is the Luhn check digit computed over
 * the card-issuer prefix 80840 followed by the first nine digits.
 */
export function npiIsValid(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `${NPI_LUHN_PREFIX}${npi}`.split("").map(Number);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Counting from the right, every second digit is doubled (the check digit itself is not).
    const fromRight = digits.length - 1 - i;
    let d = digits[i];
    if (fromRight % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * An NPI as people write and paste it ("123-456-7893", "123 456 7893") as its ten digits: spaces
 * and the usual separators are dropped when nothing else is there; anything else is left for the
 * check to name.
 */
export function normalizeNpi(text: string): string {
  const t = text.trim();
  return /^[\d\s.\-/()]+$/.test(t) ? t.replace(/\D/g, "") : t;
}

/** ICD-10-CM shape: a letter, a digit, a letter or digit, then optionally a dot and 1–4 more. */
export function isIcd10cm(code: string): boolean {
  return ICD10CM.test(code);
}
const ICD10CM = new RegExp(ICD10CM_PATTERN);

/** HCPCS Level II (`E1390`) or CPT (`94760`, `0001F`, `0042T`, `0012U`). */
export function isCptOrHcpcs(code: string): boolean {
  return CPT_OR_HCPCS.test(code);
}
const CPT_OR_HCPCS = new RegExp(CPT_OR_HCPCS_PATTERN);

/** A PDF page selection such as `1-3,5`. */
export function isPageSelection(text: string): boolean {
  return text.split(",").every((part) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return false;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    return a >= 1 && b >= a;
  });
}

/** `"J44.1, r09.02"` → `["J44.1", "R09.02"]`. */
export function splitCodes(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c.length > 0);
}

function blank(v: string | null | undefined): boolean {
  return v === null || v === undefined || v.trim() === "";
}

/** How to write a date, for the problem beside a date field. */
export const DATE_HINT = "write it as month/day/year (11/21/2026), Nov 21 2026 or 2026-11-21";
/** How to write a date and time, for the problem beside a date-and-time field. */
export const MOMENT_HINT = "write it as 11/21/2026 2:15pm, Nov 21 2026 14:15 or 2026-11-21T14:15";

/**
 * Whether a case.toml key holds a date (`member.dob`, `exhibit[2].date`) or a date and time
 * (`event[0].at`, `case.pa_requested`), for the fields that read dates as people write them.
 */
export function dateKindOf(key: string): DateKind | null {
  if (/^(?:case\.(?:notice_date|received_date|notice_deadline)|member\.dob|exhibit\[\d+\]\.date)$/.test(key)) return "date";
  if (/^(?:case\.pa_requested|event\[\d+\]\.(?:at|promised)|(?:spo2|wound|mobility|submission)\[\d+\]\.at)$/.test(key)) return "moment";
  return null;
}

/** The problems a case has that can be seen without the library, named by case.toml key. */
export function validateDoc(doc: CaseDoc, today: Date = new Date()): ProblemView[] {
  const out: ProblemView[] = [];
  const add = (location: string, message: string) => out.push({ location, message });
  const required = (location: string, v: string | null | undefined) => {
    if (blank(v)) add(location, "Required");
  };
  const date = (location: string, v: string | null | undefined, isRequired: boolean) => {
    if (blank(v)) {
      if (isRequired) add(location, `Required: ${DATE_HINT}`);
    } else if (!isIsoDate(v!)) {
      add(location, `"${v}" is not a date: ${DATE_HINT}`);
    }
  };
  const moment = (location: string, v: string | null | undefined, isRequired: boolean) => {
    if (blank(v)) {
      if (isRequired) add(location, `Required: ${MOMENT_HINT}`);
    } else if (!isMoment(v!)) {
      add(location, `"${v}" is not a date or time: ${MOMENT_HINT}`);
    }
  };
  const oneOf = (location: string, v: string | null | undefined, table: Record<string, string>) => {
    if (blank(v)) add(location, "Choose one");
    else if (!(v! in table)) add(location, `Unknown value "${v}"`);
  };
  const number = (location: string, v: number | null | undefined, isRequired: boolean, min: number, max: number) => {
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      if (isRequired) add(location, "Required number");
    } else if (typeof v !== "number" || v < min || v > max) {
      add(location, `Must be a number from ${min} to ${max}`);
    }
  };

  const c = doc.case;
  oneOf("case.kind", c.kind, CASE_KINDS);
  required("case.title", c.title);
  oneOf("case.program", c.program, PROGRAMS);
  oneOf("case.urgency", c.urgency, URGENCIES);
  if (c.service) oneOf("case.service", c.service, SERVICES);
  moment("case.pa_requested", c.pa_requested, false);
  const days = c.contract_days === null || c.contract_days === undefined ? null : c.contract_days;
  if (c.program === "contract" && days === null) add("case.contract_days", "Required when the program is a provider contract: the number of days the contract allows");
  else if ((c.program === "contract" || c.program === "state-doi") && days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) {
    add("case.contract_days", "Must be a whole number of days from 1 to 3650");
  }
  date("case.notice_date", c.notice_date, true);
  date("case.received_date", c.received_date, false);
  date("case.notice_deadline", c.notice_deadline, false);
  const notice = parseDate(c.notice_date ?? "");
  const received = parseDate(c.received_date ?? "");
  if (notice && received && received < notice) add("case.received_date", `${c.received_date} is before the notice date ${c.notice_date}`);
  for (const code of c.diagnoses) if (!isIcd10cm(code)) add("case.diagnoses", `"${code}" cannot be an ICD-10-CM code (such as J44.1)`);
  for (const code of c.procedures) if (!isCptOrHcpcs(code)) add("case.procedures", `"${code}" cannot be a HCPCS or CPT code (such as E1390 or 94760)`);
  if (!blank(c.bates_prefix) && !/^[A-Za-z0-9_-]{1,20}$/.test(c.bates_prefix!.trim())) add("case.bates_prefix", "Up to 20 letters, digits, - or _");

  const m = doc.member;
  required("member.name", m.name);
  // A date of birth identifies the member: its problems never repeat it (SECURITY.md).
  if (blank(m.dob)) add("member.dob", `Required: ${DATE_HINT}`);
  else if (!isIsoDate(m.dob!)) add("member.dob", `Not a date: ${DATE_HINT}`);
  const dob = parseDate(m.dob ?? "");
  if (dob && (dob.getFullYear() < 1880 || dob > today)) add("member.dob", "Cannot be a date of birth: it is before 1880 or after today");
  required("member.member_id", m.member_id);
  required("member.payer", m.payer);

  const npi = normalizeNpi(doc.provider?.npi ?? "");
  if (npi) {
    if (!/^\d{10}$/.test(npi)) add("provider.npi", "An NPI is 10 digits");
    else if (!npiIsValid(npi)) add("provider.npi", "This NPI fails its check digit: check for a typo");
  }
  const s = doc.submitter;
  if (s && (!blank(s.role) || !blank(s.phone)) && blank(s.name)) add("submitter.name", "Required when a submitter is given");

  doc.exhibit.forEach((e, i) => {
    const at = `exhibit ${i + 1} (${e.file})`;
    oneOf(`${at}: kind`, e.kind, EXHIBIT_KINDS);
    date(`${at}: date`, e.date, true);
    required(`${at}: title`, e.title);
    if (!blank(e.pages) && !isPageSelection(e.pages!)) add(`${at}: pages`, "Pages and ranges such as 1-3,5");
  });
  doc.event.forEach((e, i) => {
    const at = `event ${i + 1}`;
    moment(`${at}: at`, e.at, true);
    oneOf(`${at}: kind`, e.kind, EVENT_KINDS);
    required(`${at}: summary`, e.summary);
    moment(`${at}: promised`, e.promised, false);
  });
  doc.spo2.forEach((r, i) => {
    const at = `spo2 ${i + 1}`;
    moment(`${at}: at`, r.at, true);
    number(`${at}: percent`, r.percent, true, 1, 100);
    oneOf(`${at}: activity`, r.activity, ACTIVITIES);
    number(`${at}: oxygen_lpm`, r.oxygen_lpm, false, 0, 60);
    number(`${at}: pulse`, r.pulse, false, 10, 300);
  });
  doc.wound.forEach((r, i) => {
    const at = `wound ${i + 1}`;
    moment(`${at}: at`, r.at, true);
    required(`${at}: site`, r.site);
    number(`${at}: length_cm`, r.length_cm, true, 0, 200);
    number(`${at}: width_cm`, r.width_cm, true, 0, 200);
    number(`${at}: depth_cm`, r.depth_cm, false, 0, 50);
  });
  doc.mobility.forEach((r, i) => {
    const at = `mobility ${i + 1}`;
    moment(`${at}: at`, r.at, true);
    required(`${at}: instrument`, r.instrument);
    number(`${at}: value`, r.value, true, -1e9, 1e9);
  });
  doc.submission.forEach((r, i) => {
    const at = `submission ${i + 1}`;
    moment(`${at}: at`, r.at, true);
    oneOf(`${at}: method`, r.method, SUBMISSION_METHODS);
    required(`${at}: to`, r.to);
  });
  return out;
}
