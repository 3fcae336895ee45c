// A letter cites an exhibit by its id as `{{exhibit:oximetry}}`. The packet writes the number
// and Bates pages where it lays the letter out; the app's preview writes what the library says
// a citation of each exhibit reads before a build (`ExhibitInfo.citation`, e.g. "Exhibit 4").

const OPEN = "{{exhibit:";
const CLOSE = "}}";

export interface Reference {
  id: string;
  start: number;
  end: number;
}

/** Every reference in `text`, as the library reads them: on one line, closed, id trimmed. */
export function references(text: string): Reference[] {
  const out: Reference[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf(OPEN, from);
    if (start < 0) break;
    const inner = start + OPEN.length;
    const close = text.indexOf(CLOSE, inner);
    if (close < 0) break;
    const id = text.slice(inner, close);
    if (id.includes("\n")) {
      from = inner;
      continue;
    }
    out.push({ id: id.trim(), start, end: close + CLOSE.length });
    from = close + CLOSE.length;
  }
  return out;
}

/** `text` with each reference to a known id written as `citations` says; others left as typed. */
export function resolve(text: string, citations: ReadonlyMap<string, string>): string {
  let out = "";
  let at = 0;
  for (const r of references(text)) {
    out += text.slice(at, r.start) + (citations.get(r.id) ?? text.slice(r.start, r.end));
    at = r.end;
  }
  return out + text.slice(at);
}

/**
 * The partial reference being typed just before `caret`: after `{{` (with or without
 * `exhibit:`) and before any `}}`, with the text typed so far. `null` when none is open.
 */
export function openReference(text: string, caret: number): { start: number; typed: string } | null {
  const before = text.slice(0, caret);
  const start = before.lastIndexOf("{{");
  if (start < 0) return null;
  const typed = before.slice(start + 2);
  if (typed.includes("}") || typed.includes("\n")) return null;
  const rest = typed.startsWith("exhibit:") ? typed.slice("exhibit:".length) : typed;
  if (!"exhibit:".startsWith(typed) && !typed.startsWith("exhibit:")) return null;
  return { start, typed: typed.startsWith("exhibit:") ? rest : "" };
}

/**
 * An id for an exhibit that has none, from its title: lowercase letters, digits and hyphens
 * (the form case.toml accepts), up to 40, and not one of `taken`.
 */
export function suggestId(title: string, taken: ReadonlySet<string>): string {
  const words = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  // Whole words, short enough to leave room for a "-2" that makes it unique.
  const cut = words.length <= 34 ? words : words.slice(0, 35).replace(/-[^-]*$/, "");
  const base = cut || "exhibit";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
