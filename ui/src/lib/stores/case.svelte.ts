// One open case: what the app last said about it, the working copy the screens edit, whether
// they differ, and the problems to show beside each field.

import { commands, asAppError } from "../api";
import type { AppError, CaseDetail, CaseDoc, PacketView, ProblemView, ProgressView } from "../api";
import { blankDoc, editable, fingerprint, normalizeDoc } from "../doc";
import { validateDoc } from "../validate";
import { currentProblems, groupProblems, problemsAt, recordProblems, type SavedProblem } from "../problems";

export type SaveResult = { ok: true } | { ok: false; error: AppError };

export interface BuildState {
  running: boolean;
  progress: ProgressView | null;
  /** "cancelled" after a cancelled build, "failed" after an error, null otherwise. */
  outcome: "built" | "cancelled" | "failed" | null;
  error: AppError | null;
}

export class CaseSession {
  /** Null until a new case is first saved. */
  id: string | null = $state(null);
  detail: CaseDetail | null = $state(null);
  doc: CaseDoc = $state(blankDoc());
  savedPrint: string = $state("");
  saving = $state(false);
  /** The library's problems from the last save that failed. */
  reported: SavedProblem[] = $state([]);
  /** Fields the person has left, whose own checks now show. */
  touched: Record<string, boolean> = $state({});
  /** After a save attempt every field's checks show. */
  showAll = $state(false);
  build: BuildState = $state({ running: false, progress: null, outcome: null, error: null });

  /** The working copy's meaning (what a save would send), for telling whether anything changed. */
  print = $derived(fingerprint(this.doc));
  dirty = $derived(this.print !== this.savedPrint);
  clientProblems: ProblemView[] = $derived(validateDoc(normalizeDoc(this.doc)));
  serverProblems: ProblemView[] = $derived(currentProblems(this.reported, this.doc));
  private clientGroups = $derived(groupProblems(this.clientProblems));
  private serverGroups = $derived(groupProblems(this.serverProblems));

  constructor(detail?: CaseDetail) {
    if (detail) this.applyDetail(detail);
    else this.savedPrint = fingerprint(this.doc);
  }

  get isNew(): boolean {
    return this.id === null;
  }

  get packet(): PacketView | null {
    return this.detail?.packet ?? null;
  }

  /** Takes the app's view of the case. Edits made while a save was on its way are kept. */
  applyDetail(detail: CaseDetail, editedSince = false): void {
    this.id = detail.id;
    this.detail = detail;
    const fresh = editable(detail.doc);
    this.savedPrint = fingerprint(fresh);
    if (!editedSince) this.doc = fresh;
  }

  /**
   * Takes the app's view after documents were added. Unsaved edits stay; the new exhibits
   * (those whose file the working copy lacks) join the end of the list.
   */
  applyAdded(detail: CaseDetail): number {
    const before = new Set(this.doc.exhibit.map((e) => e.file));
    const added = editable(detail.doc).exhibit.filter((e) => !before.has(e.file));
    if (!this.dirty) {
      this.applyDetail(detail);
    } else {
      this.id = detail.id;
      this.detail = detail;
      this.doc.exhibit.push(...added);
    }
    return added.length;
  }

  /** Marks a field as visited, so its own checks show. */
  touch(key: string): void {
    if (!this.touched[key]) this.touched[key] = true;
  }

  /** The messages to show beside a field: the library's, else the UI's own once visited. */
  problemsFor(key: string, includeChildren = false): string[] {
    const server = problemsAt(this.serverGroups, key, includeChildren);
    if (server.length) return server;
    const visible = this.showAll || this.touched[key] || (includeChildren && Object.keys(this.touched).some((k) => k.startsWith(`${key}.`)));
    return visible ? problemsAt(this.clientGroups, key, includeChildren) : [];
  }

  private inflight: Promise<SaveResult> | null = null;

  /**
   * Saves the working copy (creating the case the first time). Saves run one at a time: one
   * asked for while another is on its way waits for it, then sends the edits made since.
   * `quiet` (an automatic save) leaves the checks of fields not yet visited hidden.
   */
  async save(quiet = false): Promise<SaveResult> {
    while (this.inflight) await this.inflight;
    if (this.id !== null && !this.dirty && this.reported.length === 0) return { ok: true };
    const run = this.send(quiet);
    this.inflight = run;
    try {
      return await run;
    } finally {
      if (this.inflight === run) this.inflight = null;
    }
  }

  private async send(quiet: boolean): Promise<SaveResult> {
    this.saving = true;
    if (!quiet) this.showAll = true;
    const sent = this.print;
    const doc = normalizeDoc(this.doc);
    try {
      const detail = this.id === null ? await commands.createCase(doc) : await commands.saveCase(this.id, doc);
      this.id = detail.id;
      this.detail = detail;
      const fresh = editable(detail.doc);
      this.savedPrint = fingerprint(fresh);
      // The working copy stays as typed (a trailing space, a half-typed word) unless the app
      // changed what it means (an NPI's separators dropped) and nothing was typed meanwhile.
      if (this.print === sent && this.savedPrint !== sent) this.doc = fresh;
      this.reported = [];
      this.showAll = false;
      this.touched = {};
      return { ok: true };
    } catch (e) {
      const error = asAppError(e);
      this.reported = error.kind === "invalid" ? recordProblems(error.problems, this.doc) : [];
      return { ok: false, error };
    } finally {
      this.saving = false;
    }
  }

  /** Reloads the case from the app, dropping unsaved edits. */
  async reload(): Promise<void> {
    if (this.id === null) return;
    this.applyDetail(await commands.getCase(this.id));
    this.reported = [];
  }
}
