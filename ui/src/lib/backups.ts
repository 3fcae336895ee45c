// The Settings screen's backup part in words: what the number typed may be, and when the last
// backup was made. Pure functions.

import type { BackupSettings } from "./bindings.gen";
import { describeDate } from "./format";

/** Most backups the setting keeps (the library's `MAX_KEEP`). */
export const MAX_KEEP = 365;

/** Why the text typed cannot be the number of backups to keep, or null when it can. */
export function keepProblem(text: string): string | null {
  const t = text.trim();
  if (t === "") return "Type a number: how many backups to keep (0 turns them off).";
  if (!/^\d+$/.test(t)) return `“${t}” is not a whole number.`;
  if (Number(t) > MAX_KEEP) return `At most ${MAX_KEEP} backups can be kept.`;
  return null;
}

/** "Sun 6 Dec 2026, 18:30 (3 backups in the folder)", in local time; "None yet". */
export function describeLast(s: Pick<BackupSettings, "last" | "count">): string {
  const at = s.last ? new Date(s.last) : null;
  if (!at || Number.isNaN(at.getTime())) return "None yet";
  const when = describeDate({ iso: s.last ?? "", at, hasTime: true });
  return `${when} (${s.count} ${s.count === 1 ? "backup" : "backups"} in the folder)`;
}
