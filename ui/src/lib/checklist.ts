// The coverage-criteria checklist as the app shows it: each item's status in words, the count
// summary, and what an exhibit can say it meets. The library decides each item
// (`CaseDetail.checklist`); nothing here judges evidence.

import type { ChecklistItemView, ChecklistStatus, EvidenceKind } from "./bindings.gen";

/** Each status as people read it (the icon and colour beside it only repeat it). */
export const STATUS_LABEL: Record<ChecklistStatus, string> = {
  met: "Met",
  gap: "Gap",
  contradicted: "Contradicted",
};

/** What kind of evidence it is, as a short label before its text. */
export const EVIDENCE_LABEL: Record<EvidenceKind, string> = {
  exhibit: "Exhibit",
  reading: "Reading",
  event: "Log entry",
  "case-field": "Case",
};

export interface ChecklistCounts {
  total: number;
  met: number;
  gap: number;
  contradicted: number;
}

export function countItems(items: readonly Pick<ChecklistItemView, "status">[]): ChecklistCounts {
  const counts: ChecklistCounts = { total: items.length, met: 0, gap: 0, contradicted: 0 };
  for (const item of items) counts[item.status]++;
  return counts;
}

/** "5 of 8 met, 2 gaps, 1 contradicted": the met count always, the others when there are any. */
export function summaryText(c: ChecklistCounts): string {
  const parts = [`${c.met} of ${c.total} met`];
  if (c.gap) parts.push(c.gap === 1 ? "1 gap" : `${c.gap} gaps`);
  if (c.contradicted) parts.push(`${c.contradicted} contradicted`);
  return parts.join(", ");
}

/** Text with `code` spans (the library's notes name keys so), split for showing: odd parts are code. */
export function codeSpans(text: string): string[] {
  return text.split("`");
}

/** A note as a sentence: its first letter a capital (the library's notes start in lower case). */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface MeetsChoice {
  id: string;
  /** The item's criterion; null for an id that is not an item of the case's checklist. */
  criterion: string | null;
  checked: boolean;
}

/**
 * The items an exhibit can say it meets: every item of the case's checklist, in its order,
 * then any id it already lists that the checklist lacks (kept visible, so it can be taken off).
 */
export function meetsChoices(items: readonly Pick<ChecklistItemView, "id" | "criterion">[], meets: readonly string[] | undefined): MeetsChoice[] {
  const held = new Set((meets ?? []).map((m) => m.trim()).filter(Boolean));
  const known = new Set(items.map((i) => i.id));
  const choices: MeetsChoice[] = items.map((i) => ({ id: i.id, criterion: i.criterion, checked: held.has(i.id) }));
  for (const id of held) if (!known.has(id)) choices.push({ id, criterion: null, checked: true });
  return choices;
}

/** An exhibit's `meets` with `id` put on or taken off, in the checklist's order (unknown ids kept at the end). */
export function toggleMeets(items: readonly Pick<ChecklistItemView, "id">[], meets: readonly string[] | undefined, id: string, on: boolean): string[] {
  const held = new Set((meets ?? []).map((m) => m.trim()).filter(Boolean));
  if (on) held.add(id);
  else held.delete(id);
  const order = items.map((i) => i.id);
  const known = order.filter((x) => held.has(x));
  const rest = [...held].filter((x) => !order.includes(x));
  return [...known, ...rest];
}
