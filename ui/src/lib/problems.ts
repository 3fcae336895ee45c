// Where a problem belongs on screen. The library names each problem by its case.toml key
// (`member.dob`, `case.notice_date`, `exhibit 2 (docs/x.pdf): date`, `event 3: promised`);
// the forms name their inputs by a field key (`member.dob`, `exhibit[1].date`, `event[2].promised`).

import type { CaseDoc, ProblemView } from "./bindings.gen";

export interface Place {
  /** `case`, `member`, `provider`, `submitter`, `exhibit`, `event`, `spo2`, `wound`, `mobility`, `submission`, `letter`, or "" when unknown. */
  table: string;
  /** Zero-based row of an array table. */
  index: number | null;
  /** The exhibit's file, when the location names it. */
  file: string | null;
  /** The key inside the table or row, if any. */
  key: string | null;
}

const ROW_RE = /^(exhibit|event|spo2|wound|mobility|submission) (\d+)(?: \(([^)]*)\))?(?::\s*([\w.]+))?$/;
const KEY_RE = /^(case|member|provider|submitter)(?:\.([\w]+))?$/;

/** Reads a problem's location. Anything unrecognised keeps `table` empty. */
export function parseLocation(location: string): Place {
  let loc = location.trim();
  // Problems from a file other than case.toml arrive as "<file> <location>".
  if (loc.startsWith("case.toml:")) loc = loc.slice("case.toml:".length).trim();
  if (loc === "letter.md" || loc.startsWith("letter.md ")) return { table: "letter", index: null, file: null, key: null };
  const row = ROW_RE.exec(loc);
  if (row) return { table: row[1], index: Number(row[2]) - 1, file: row[3] ?? null, key: row[4] ?? null };
  const key = KEY_RE.exec(loc);
  if (key) return { table: key[1], index: null, file: null, key: key[2] ?? null };
  return { table: "", index: null, file: null, key: null };
}

/** The field key a problem shows beside: `member.dob`, `exhibit[1].date`, `event[2]`, `letter`, or "" for none. */
export function fieldKey(location: string): string {
  const p = parseLocation(location);
  if (!p.table) return "";
  if (p.index !== null) return p.key ? `${p.table}[${p.index}].${p.key}` : `${p.table}[${p.index}]`;
  return p.key ? `${p.table}.${p.key}` : p.table;
}

/** Field key → messages, in the order given. Problems that name no field go under "". */
export function groupProblems(problems: ProblemView[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of problems) {
    const k = fieldKey(p.location);
    const list = out.get(k) ?? [];
    if (!list.includes(p.message)) list.push(p.message);
    out.set(k, list);
  }
  return out;
}

/** The messages for one field; a row key (`event[2]`) also collects its fields' problems. */
export function problemsAt(groups: Map<string, string[]>, key: string, includeChildren = false): string[] {
  const own = groups.get(key) ?? [];
  if (!includeChildren) return own;
  const prefix = `${key}.`;
  const children = [...groups.entries()].filter(([k]) => k.startsWith(prefix)).flatMap(([, v]) => v);
  return [...own, ...children];
}

/** The value a field key points at in a case document, or undefined when there is none. */
export function valueAt(doc: CaseDoc, key: string): unknown {
  if (key === "letter") return doc.letter ?? null;
  const row = /^(\w+)\[(\d+)\](?:\.(\w+))?$/.exec(key);
  if (row) {
    const table = (doc as unknown as Record<string, unknown>)[row[1]];
    if (!Array.isArray(table)) return undefined;
    const item = table[Number(row[2])] as Record<string, unknown> | undefined;
    if (item === undefined) return undefined;
    return row[3] ? (item[row[3]] ?? null) : item;
  }
  const dot = /^(\w+)(?:\.(\w+))?$/.exec(key);
  if (dot) {
    const table = (doc as unknown as Record<string, unknown>)[dot[1]] as Record<string, unknown> | null | undefined;
    if (!dot[2]) return table;
    if (table === null || table === undefined) return null;
    return table[dot[2]] ?? null;
  }
  return undefined;
}

/** A problem from the last save, with the value its field had then. */
export interface SavedProblem extends ProblemView {
  key: string;
  /** JSON of the field's value when the library reported the problem (undefined: not a field). */
  value: string | undefined;
}

export function recordProblems(problems: ProblemView[], doc: CaseDoc): SavedProblem[] {
  return problems.map((p) => {
    const key = fieldKey(p.location);
    const v = key ? valueAt(doc, key) : undefined;
    return { ...p, key, value: v === undefined ? undefined : JSON.stringify(v) };
  });
}

/** The library's problems that still apply: a field edited since the save no longer shows its old problem. */
export function currentProblems(saved: SavedProblem[], doc: CaseDoc): ProblemView[] {
  return saved
    .filter((p) => p.value === undefined || JSON.stringify(valueAt(doc, p.key)) === p.value)
    .map(({ location, message }) => ({ location, message }));
}

/**
 * A row's messages, each after the name of the column it is about (`SpO2 %: Required number`):
 * beneath a table row, a message alone does not say which cell it means.
 */
export function labelColumns(problems: readonly { key: string; message: string }[], row: string, columns: Record<string, string>): string[] {
  const out: string[] = [];
  for (const p of problems) {
    const column = p.key.startsWith(`${row}.`) ? columns[p.key.slice(row.length + 1)] : undefined;
    const line = column ? `${column}: ${p.message}` : p.message;
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

export type TabName = "overview" | "documents" | "log" | "readings" | "letter" | "packet";

/** The case screen tab where a problem's field is. */
export function tabOf(location: string): TabName {
  switch (parseLocation(location).table) {
    case "exhibit":
      return "documents";
    case "event":
      return "log";
    case "spo2":
    case "wound":
    case "mobility":
      return "readings";
    case "letter":
      return "letter";
    case "submission":
      return "packet";
    default:
      return "overview";
  }
}
