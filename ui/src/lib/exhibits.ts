// Exhibit numbers and order. The packet numbers exhibits by their own dates, oldest first, and
// keeps the order of the case's exhibit list among exhibits of the same date (packet.md), so
// the only order a person can change is the order within one date.

import type { DocumentFormat } from "./bindings.gen";

export interface Dated {
  date: string;
}

/** Array indices in packet order: by date, ties in list order. */
export function packetOrder(exhibits: readonly Dated[]): number[] {
  return exhibits
    .map((e, i) => ({ date: e.date.trim(), i }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.i - b.i))
    .map((x) => x.i);
}

/** The exhibit number each list entry gets in the packet (`numbers[i]` for `exhibits[i]`). */
export function exhibitNumbers(exhibits: readonly Dated[]): number[] {
  const numbers = new Array<number>(exhibits.length);
  packetOrder(exhibits).forEach((index, position) => {
    numbers[index] = position + 1;
  });
  return numbers;
}

/**
 * The dates to order by while one exhibit's date is being typed: that exhibit keeps the date it
 * had when the edit began, so the list does not re-sort under the person's keystrokes. The list
 * re-sorts once the edit is committed (the field is left, or Enter is pressed).
 */
export function heldDates<T extends Dated & { file: string }>(exhibits: readonly T[], held: { file: string; date: string } | null): readonly Dated[] {
  if (!held) return exhibits;
  return exhibits.map((e) => (e.file === held.file ? { date: held.date } : e));
}

/** The list index of the nearest exhibit with the same date before (-1) or after (+1), or -1. */
function neighbour(exhibits: readonly Dated[], index: number, direction: -1 | 1): number {
  const date = exhibits[index]?.date.trim();
  for (let j = index + direction; j >= 0 && j < exhibits.length; j += direction) {
    if (exhibits[j].date.trim() === date) return j;
  }
  return -1;
}

/** Whether an exhibit can move up (-1) or down (+1) among exhibits of its own date. */
export function canMove(exhibits: readonly Dated[], index: number, direction: -1 | 1): boolean {
  return neighbour(exhibits, index, direction) !== -1;
}

/**
 * The list with one exhibit moved one place within its date: it swaps places with the nearest
 * exhibit of the same date, so no other exhibit's number changes. Null when it cannot move.
 */
export function moveWithinDate<T extends Dated>(exhibits: readonly T[], index: number, direction: -1 | 1): T[] | null {
  const j = neighbour(exhibits, index, direction);
  if (j === -1) return null;
  const out = exhibits.slice();
  [out[index], out[j]] = [out[j], out[index]];
  return out;
}

/** A document's format: the library's union, or `unknown` for a name it does not know. */
export type FileFormat = DocumentFormat | "unknown";

/** A file's format from its name, for when the library has not said yet. */
export function formatOfFile(file: string): FileFormat {
  const ext = file.toLowerCase().split(".").pop() ?? "";
  switch (ext) {
    case "pdf":
      return "pdf";
    case "jpg":
    case "jpeg":
      return "jpeg";
    case "png":
      return "png";
    case "tif":
    case "tiff":
      return "tiff";
    case "heic":
    case "heif":
      return "heic";
    case "txt":
      return "text";
    case "md":
      return "markdown";
    default:
      return "unknown";
  }
}

/** The last part of a path, for showing a file's name. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Which documents are selected for a bulk edit (by file, so a re-sort keeps them), and the anchor of a Shift range. */
export interface Selection {
  files: readonly string[];
  anchor: string | null;
}

export const NO_SELECTION: Selection = { files: [], anchor: null };

/** `only`: a plain click; `toggle`: Ctrl/Cmd-click (or the row's checkbox); `range`: Shift-click. */
export type SelectHow = "only" | "toggle" | "range";

/**
 * The selection after a click on `file`, with `shown` the files in the order on screen. A range
 * runs from the anchor to `file` in that order and replaces the rest; without an anchor on
 * screen it selects `file` alone. The result keeps `shown`'s order.
 */
export function selectDocument(sel: Selection, shown: readonly string[], file: string, how: SelectHow): Selection {
  const inOrder = (set: ReadonlySet<string>) => shown.filter((f) => set.has(f));
  if (how === "range") {
    const from = sel.anchor === null ? -1 : shown.indexOf(sel.anchor);
    const to = shown.indexOf(file);
    if (from === -1 || to === -1) return { files: to === -1 ? sel.files : [file], anchor: file };
    const [a, b] = from < to ? [from, to] : [to, from];
    return { files: shown.slice(a, b + 1), anchor: sel.anchor };
  }
  if (how === "toggle") {
    const set = new Set(sel.files);
    if (set.has(file)) set.delete(file);
    else set.add(file);
    return { files: inOrder(set), anchor: file };
  }
  return { files: [file], anchor: file };
}

/** Every document on screen (Ctrl/Cmd+A). */
export function selectEvery(shown: readonly string[]): Selection {
  return { files: [...shown], anchor: shown[0] ?? null };
}

/** The list with `patch` applied to each exhibit whose file is in `files` (a bulk edit); the others untouched. */
export function setEach<T extends { file: string }>(exhibits: readonly T[], files: readonly string[], patch: Partial<Omit<T, "file">>): T[] {
  const set = new Set(files);
  return exhibits.map((e) => (set.has(e.file) ? { ...e, ...patch } : e));
}

/** The value every exhibit in `files` shares for `key`, or "" when they differ (or none is given). */
export function sharedValue<T extends { file: string }, K extends keyof T>(exhibits: readonly T[], files: readonly string[], key: K): string {
  const set = new Set(files);
  const values = new Set(exhibits.filter((e) => set.has(e.file)).map((e) => String(e[key] ?? "")));
  return values.size === 1 ? [...values][0] : "";
}
