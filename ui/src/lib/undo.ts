// What Ctrl+Z takes back: a list of steps, each the case's working copy as it was before one
// change (a field left with a new value, a document, log entry or reading removed, a bulk edit).

export interface Step<T> {
  /** What the change was, as the person would say it: "Removed exhibit 3 (order.pdf)". */
  label: string;
  /** The whole working copy before the change. */
  before: T;
}

/** The steps, newest last, at most `limit` of them (the oldest are forgotten first). */
export class UndoStack<T> {
  private steps: Step<T>[] = [];

  constructor(private readonly limit = 100) {}

  push(label: string, before: T): void {
    this.steps.push({ label, before });
    if (this.steps.length > this.limit) this.steps.splice(0, this.steps.length - this.limit);
  }

  pop(): Step<T> | undefined {
    return this.steps.pop();
  }

  /** The change Ctrl+Z would take back next. */
  peek(): Step<T> | undefined {
    return this.steps[this.steps.length - 1];
  }

  get size(): number {
    return this.steps.length;
  }

  clear(): void {
    this.steps = [];
  }
}

/** The label of a field's change, from its key: `member.name` → "Member name", `exhibit[2].date` → "Exhibit date". */
export function fieldLabel(key: string): string {
  const words = key
    .replace(/\[\d+\]/g, "")
    .split(/[._]/)
    .filter((w) => w && w !== "case")
    .join(" ")
    .replace(/\bdob\b/, "date of birth")
    .replace(/\bnpi\b/, "NPI")
    .replace(/\bid\b/, "ID");
  return words ? words[0].toUpperCase() + words.slice(1) : "Field";
}
