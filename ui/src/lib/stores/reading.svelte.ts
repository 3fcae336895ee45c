// One file being read and confirmed: what the library found in it, what the person decided about
// each value, and (for a new case) the form of the fields the file did not give. Nothing is
// saved until `finish` (Create case, or Apply to case).

import { commands, asAppError } from "../api";
import type { AppError, CaseDetail, Prefill, ProblemView, Reading } from "../api";
import { CaseSession } from "./case.svelte";
import { normalizeDoc } from "../doc";
import { fieldKey, recordProblems } from "../problems";
import { REQUIRED_KEYS, stillNeeded, suggestTitle, type FileKind, type RequiredKey } from "../notice";

/** Not decided yet, kept (as found or corrected), or left out. */
export type Decision = "pending" | "accepted" | "cleared";

export interface FoundValue {
  found: Prefill;
  /** What the person keeps: the value as found until corrected. */
  value: string;
  decision: Decision;
}

export class ReadingSession {
  readonly path: string;
  readonly kind: FileKind;
  /** The case the values go into; null for a new case. */
  readonly caseId: string | null;
  reading: Reading | null = $state(null);
  error: AppError | null = $state(null);
  values: FoundValue[] = $state([]);
  /** The value shown on the page (its box highlighted), by index into `values`. */
  selected: number | null = $state(null);
  /** The case the values go into: a new case's form, or the open case's session. */
  readonly form: CaseSession;
  saving = $state(false);
  /** The library's problems with kept values, from the last attempt, until the value is changed. */
  valueProblems: ProblemView[] = $state([]);
  /** Said when Create case is pressed with values still undecided. */
  undecidedWarning = $state(false);

  constructor(path: string, kind: FileKind, form: CaseSession) {
    this.path = path;
    this.kind = kind;
    this.form = form;
    this.caseId = form.id;
  }

  /** The values kept so far (accepted or corrected), as the library takes them. */
  get kept(): Prefill[] {
    return this.values.filter((v) => v.decision === "accepted").map((v) => ({ ...v.found, value: v.value.trim() }));
  }

  /** The values not cleared: what the case would hold once the undecided ones are accepted. */
  get notCleared(): Prefill[] {
    return this.values.filter((v) => v.decision !== "cleared").map((v) => ({ ...v.found, value: v.value.trim() }));
  }

  get undecided(): number {
    return this.values.filter((v) => v.decision === "pending").length;
  }

  /** Fields once asked for: they stay while being filled in (a field that vanished once its value was good would take the focus with it). */
  asked: RequiredKey[] = $state([]);

  /**
   * The required fields to ask for beside the values (none when adding to a saved case): those
   * the case still needs, and those asked before that no found value fills.
   */
  get needed(): RequiredKey[] {
    if (this.caseId !== null) return [];
    const now = stillNeeded(this.form.doc, this.notCleared);
    const filled = new Set(this.notCleared.map((v) => v.target));
    return REQUIRED_KEYS.filter((k) => now.includes(k) || (this.asked.includes(k) && !filled.has(k)));
  }

  /** Remembers the fields on show (called as they are shown). */
  remember(keys: readonly RequiredKey[]): void {
    const add = keys.filter((k) => !this.asked.includes(k));
    if (add.length) this.asked = [...this.asked, ...add];
  }

  /** Reads the file (OCR may take a while): the values arrive undecided. */
  async read(): Promise<void> {
    try {
      const r = this.kind === "notice" ? await commands.readNotice(this.path) : await commands.readClaim(this.path);
      this.reading = r;
      this.values = r.values.map((found) => ({ found, value: found.value, decision: "pending" }));
      if (this.caseId === null && !this.form.doc.case.title) this.form.doc.case.title = suggestTitle(r.values);
    } catch (e) {
      this.error = asAppError(e);
    }
  }

  decide(i: number, decision: Decision): void {
    const v = this.values[i];
    if (!v) return;
    v.decision = decision;
    this.selected = i;
    if (decision === "cleared") v.value = v.found.value;
  }

  /** A corrected value is a kept one. */
  corrected(i: number): void {
    const v = this.values[i];
    if (!v) return;
    v.decision = "accepted";
    this.valueProblems = this.valueProblems.filter((p) => fieldKey(p.location) !== v.found.target);
  }

  acceptAll(): void {
    for (const v of this.values) if (v.decision === "pending") v.decision = "accepted";
  }

  /**
   * Creates the case (or applies the kept values to the open one) with the file as its notice.
   * The case the app returns, or null when something must be fixed first (said on screen).
   */
  async finish(): Promise<CaseDetail | null> {
    if (this.undecided > 0) {
      this.undecidedWarning = true;
      return null;
    }
    this.undecidedWarning = false;
    this.form.showAll = true;
    // Text that is not a number ("45 days") is not sent as nothing: it is fixed first.
    const unreadable = this.form.unreadableProblems;
    if (unreadable.length) {
      this.error = { kind: "invalid", message: "a number field holds text that is not a number", problems: unreadable };
      return null;
    }
    this.saving = true;
    const doc = normalizeDoc(this.form.doc);
    // A claim file is read, not kept: only a notice becomes the case's denial-letter exhibit.
    const file = this.kind === "notice" && this.kept.length > 0 ? this.path : null;
    try {
      const detail = this.caseId === null ? await commands.createCaseFromReading(doc, this.kept, file) : await commands.applyReading(this.caseId, doc, this.kept, file);
      this.error = null;
      return detail;
    } catch (e) {
      const err = asAppError(e);
      if (err.kind === "invalid") {
        const targets = new Set(this.kept.map((v) => v.target));
        this.valueProblems = err.problems.filter((p) => targets.has(fieldKey(p.location)));
        this.form.reported = recordProblems(
          err.problems.filter((p) => !targets.has(fieldKey(p.location))),
          this.form.doc,
        );
      }
      this.error = err;
      return null;
    } finally {
      this.saving = false;
    }
  }

  /** The library's problems with a found value's target, to show beside its row. */
  problemsFor(target: string): string[] {
    return this.valueProblems.filter((p) => fieldKey(p.location) === target).map((p) => p.message);
  }
}
