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

  dirty = $derived(fingerprint(this.doc) !== this.savedPrint);
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

  /** Saves the working copy (creating the case the first time). */
  async save(): Promise<SaveResult> {
    if (this.saving) return { ok: false, error: { kind: "other", message: "A save is already under way.", problems: [] } };
    this.saving = true;
    this.showAll = true;
    const sent = fingerprint(this.doc);
    const doc = normalizeDoc(this.doc);
    try {
      const detail = this.id === null ? await commands.createCase(doc) : await commands.saveCase(this.id, doc);
      this.applyDetail(detail, fingerprint(this.doc) !== sent);
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
