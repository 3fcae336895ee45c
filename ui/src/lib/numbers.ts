// Numbers typed as text. An `<input type=number>` drops what it cannot read ("45 days" becomes
// empty, without a word), so the number fields are text fields read here: what is not a number
// is kept as typed and named beside the field, and stops the case from saving until it is fixed.

import type { CaseDoc } from "./bindings.gen";
import { valueAt } from "./problems";

/** What a number field holds: a number, nothing, or text that is not a number. */
export type ReadNumber = { kind: "number"; value: number } | { kind: "empty" } | { kind: "unreadable"; text: string };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** Reads a number field's text: `" 45 "` → 45, `""` → empty, `"45 days"` → unreadable. */
export function readNumber(text: string): ReadNumber {
  const t = text.trim();
  if (t === "") return { kind: "empty" };
  if (!NUMBER.test(t)) return { kind: "unreadable", text: t };
  const value = Number(t);
  return Number.isFinite(value) ? { kind: "number", value } : { kind: "unreadable", text: t };
}

/** A number as its field shows it ("" for none). */
export function numberText(value: number | null | undefined): string {
  return typeof value === "number" && Number.isFinite(value) ? String(value) : "";
}

/** Whether `text` already says `value` (so a field showing it need not be rewritten). */
export function says(text: string, value: number | null | undefined): boolean {
  const read = readNumber(text);
  if (read.kind === "number") return read.value === value;
  return read.kind === "empty" && (value === null || value === undefined);
}

/** The problem beside a field holding text that is not a number: what to type instead. */
export function notANumber(text: string, what: string, example: string): string {
  return `“${text.trim()}” is not a number: type just the ${what}, e.g. ${example}`;
}

/** The next number up (+1) or down (-1) from `value` by `step`, within `min`..`max`, as the arrow keys step. */
export function stepNumber(value: number | null, direction: 1 | -1, step: string, min?: number, max?: number): number {
  const by = Number(step);
  const size = Number.isFinite(by) && by > 0 ? by : 1;
  const start = value ?? 0;
  // Rounded to the step's decimals, so 0.1 steps do not drift into 0.30000000000000004.
  const decimals = (String(size).split(".")[1] ?? "").length;
  let next = Number((start + direction * size).toFixed(decimals));
  if (min !== undefined) next = Math.max(min, next);
  if (max !== undefined) next = Math.min(max, next);
  return next;
}

/** Text typed in number fields that is not a number, by field key (`case.contract_days`, `spo2[0].percent`). */
export type Unreadable = Record<string, { text: string; message: string }>;

/**
 * Whether a field still shows in the case: a reading's row still there, the days only for the
 * programs that ask for them. Text left in a field that no longer shows stops nothing.
 */
export function fieldShown(doc: CaseDoc, key: string): boolean {
  if (key === "case.contract_days") return doc.case.program === "contract" || doc.case.program === "state-doi";
  return valueAt(doc, key) !== undefined;
}

/** `spo2[0].percent` → `spo2 1: percent`, as the library names a problem's place; other keys as they are. */
export function locationOf(key: string): string {
  const row = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(key);
  return row ? `${row[1]} ${Number(row[2]) + 1}: ${row[3]}` : key;
}

/** After row `index` of `table` is removed: its fields' texts go, and those of the rows after it move up one. */
export function withoutRow(unreadable: Unreadable, table: string, index: number): Unreadable {
  const out: Unreadable = {};
  for (const [key, u] of Object.entries(unreadable)) {
    const row = /^(\w+)\[(\d+)\](.*)$/.exec(key);
    if (!row || row[1] !== table || Number(row[2]) < index) out[key] = u;
    else if (Number(row[2]) > index) out[`${table}[${Number(row[2]) - 1}]${row[3]}`] = u;
  }
  return out;
}
