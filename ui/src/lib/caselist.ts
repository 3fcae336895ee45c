// Sorting, filtering and searching the case list.

import type { CaseOverview } from "./bindings.gen";
import { countdown, msUntil, type Status } from "./format";

export type SortKey = "deadline" | "name" | "recent";
/** A deadline status, or `none` for cases with no open deadline. */
export type StatusFilter = "" | Status | "none";

export interface ListView {
  sort: SortKey;
  /** A case kind, or "" for all. */
  kind: string;
  status: StatusFilter;
  query: string;
}

/** The status a case shows in the list, measured from `now`. */
export function caseStatus(c: CaseOverview, now: Date): Status | "none" {
  return c.next_deadline ? countdown(c.next_deadline, now).status : "none";
}

function fold(s: string): string {
  return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/**
 * Whether a case matches a search by member name, member ID, reference, title, clinician, claim
 * or authorization number (every word, in any order; dashes and spaces in numbers optional).
 */
export function matchesQuery(c: CaseOverview, query: string): boolean {
  return matchesText([c.member_name, c.member_id, c.reference, c.title, c.clinician, c.claim_number, c.authorization_number], query);
}

/**
 * Whether every word of `query` is in one of `texts` (any order, case and accents ignored,
 * dashes and spaces in numbers optional). An empty query matches everything.
 */
export function matchesText(texts: readonly (string | null | undefined)[], query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = fold(texts.map((x) => x ?? "").join(" "));
  const compact = hay.replace(/[\s-]/g, "");
  return words.every((w) => hay.includes(w) || compact.includes(w.replace(/-/g, "")));
}

/** "Walter Hayes" → "Hayes Walter": people are filed by last name. */
export function sortName(name: string): string {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return name.trim();
  const last = parts.pop()!;
  return `${last} ${parts.join(" ")}`;
}

/**
 * The cases to show, in order. `recent` relies on the list coming from the store oldest
 * first (it lists cases in the order they were added), so it is the reverse.
 */
export function visibleCases(cases: readonly CaseOverview[], view: ListView, now: Date): CaseOverview[] {
  const indexed = cases.map((c, i) => ({ c, i }));
  const shown = indexed.filter(({ c }) => {
    if (view.kind && c.kind !== view.kind) return false;
    if (view.status && caseStatus(c, now) !== view.status) return false;
    return matchesQuery(c, view.query);
  });
  const byName = (a: CaseOverview, b: CaseOverview) => sortName(a.member_name).localeCompare(sortName(b.member_name), undefined, { sensitivity: "base" }) || a.title.localeCompare(b.title);
  shown.sort((x, y) => {
    switch (view.sort) {
      case "name":
        return byName(x.c, y.c) || x.i - y.i;
      case "recent":
        return y.i - x.i;
      case "deadline": {
        const a = x.c.next_deadline;
        const b = y.c.next_deadline;
        if (a && b) return msUntil(a, now) - msUntil(b, now) || byName(x.c, y.c);
        if (a) return -1;
        if (b) return 1;
        return byName(x.c, y.c) || x.i - y.i;
      }
    }
  });
  return shown.map(({ c }) => c);
}
