// One open case: what the app last said about it, the working copy the screens edit, whether
// they differ, and the problems to show beside each field.

import { commands, asAppError } from "../api";
import type { AppError, CaseDetail, CaseDoc, DateSource, PacketView, ProblemView, ProgressView } from "../api";
import { blankDoc, editable, fingerprint, normalizeDoc } from "../doc";
import { validateDoc } from "../validate";
import { currentProblems, fieldKey, groupProblems, problemsAt, recordProblems, type SavedProblem } from "../problems";
import { UndoStack, fieldLabel } from "../undo";
import { fieldShown, locationOf, withoutRow, type Unreadable } from "../numbers";
import { newLogForm, newSubmissionForm, pendingForms, type LogForm, type SubmissionForm } from "../drafts";

export type SaveResult = { ok: true } | { ok: false; error: AppError };

/** The working copy and the number fields' unreadable texts, as one undo step holds them. */
interface Snapshot {
  doc: CaseDoc;
  unreadable: Unreadable;
}

/** A row table of readings, whose number fields can hold text that is not a number. */
export type ReadingTable = "spo2" | "wound" | "mobility";

let sessions = 0;

export interface BuildState {
  running: boolean;
  progress: ProgressView | null;
  /** "cancelled" after a cancelled build, "failed" after an error, null otherwise. */
  outcome: "built" | "cancelled" | "failed" | null;
  error: AppError | null;
}

export class CaseSession {
  /** This session among the open ones (its notices are told apart by it). */
  readonly serial = ++sessions;
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

  /** Text typed in number fields that is not a number ("45 days"): kept as typed, named beside the field, never saved. */
  unreadable: Unreadable = $state({});
  /** The log's entry form and the submission's, half typed, kept while other tabs are looked at. */
  logForm: LogForm = $state(newLogForm(new Date()));
  submissionForm: SubmissionForm = $state(newSubmissionForm(new Date()));

  /** The working copy's meaning (what a save would send), for telling whether anything changed. */
  print = $derived(fingerprint(this.doc));
  /** The problems of the number fields that show and hold text that is not a number: they stop every save. */
  unreadableProblems: ProblemView[] = $derived(
    Object.entries(this.unreadable)
      .filter(([key]) => fieldShown(this.doc, key))
      .map(([key, u]) => ({ location: locationOf(key), message: u.message })),
  );
  private unreadableKeys = $derived(new Set(this.unreadableProblems.map((p) => fieldKey(p.location))));
  /** Unsaved: the working copy differs from what was saved, or a number field holds what cannot be saved. */
  dirty = $derived(this.print !== this.savedPrint || this.unreadableProblems.length > 0);
  clientProblems: ProblemView[] = $derived([...this.unreadableProblems, ...this.without(validateDoc(normalizeDoc(this.doc)))]);
  serverProblems: ProblemView[] = $derived(this.without(currentProblems(this.reported, this.doc)));
  /** The list at the top of the case: the library's problems, and after a save was asked for, the numbers that stopped it. */
  summaryProblems: ProblemView[] = $derived(this.showAll ? [...this.unreadableProblems, ...this.serverProblems] : this.serverProblems);
  private clientGroups = $derived(groupProblems(this.clientProblems));
  private serverGroups = $derived(groupProblems(this.serverProblems));

  /** Where the dates suggested for documents added in this session came from, by file, until the date is edited. */
  dateSources: Record<string, { source: DateSource; date: string }> = $state({});

  /** What Ctrl+Z takes back: each step holds the working copy before one change. */
  private undoStack = new UndoStack<Snapshot>();
  /** How many steps Ctrl+Z can take back (for the screens to show). */
  undoable = $state(0);
  /** The working copy as of the last step; a difference from it is an edit not yet a step. */
  private base: Snapshot = { doc: blankDoc(), unreadable: {} };
  private basePrint = "";
  /** The stored content (SHA-256) of documents removed from the case, by file, so an undone removal brings them back. */
  private removed = new Map<string, string>();

  constructor(detail?: CaseDetail) {
    if (detail) this.applyDetail(detail);
    else this.savedPrint = fingerprint(this.doc);
    this.rebase();
  }

  private snapshot(): Snapshot {
    return structuredClone({ doc: $state.snapshot(this.doc), unreadable: $state.snapshot(this.unreadable) }) as Snapshot;
  }

  private restore(to: Snapshot): void {
    const copy = structuredClone(to);
    this.doc = copy.doc;
    this.unreadable = copy.unreadable;
  }

  private rebase(): void {
    this.base = this.snapshot();
    this.basePrint = fingerprint(this.base.doc);
  }

  /** Problems other than those of the number fields holding unreadable text (theirs is said instead). */
  private without(problems: ProblemView[]): ProblemView[] {
    const keys = this.unreadableKeys;
    return keys.size ? problems.filter((p) => !keys.has(fieldKey(p.location))) : problems;
  }

  /** A number field holds `text`, which is not a number: `message` says so beside it. */
  markUnreadable(key: string, text: string, message: string): void {
    this.unreadable[key] = { text, message };
  }

  /** A number field holds a number, or nothing, again. */
  markReadable(key: string): void {
    if (key in this.unreadable) delete this.unreadable[key];
  }

  /** Removes one row of readings as one step Ctrl+Z takes back; the texts of the rows after it move up with them. */
  removeRow(table: ReadingTable, index: number, label: string): void {
    this.change(label, () => {
      this.doc[table].splice(index, 1);
      this.unreadable = withoutRow(this.unreadable, table, index);
    });
  }

  /** What the case's forms hold that the case does not, in words (for the question before closing). */
  pendingForms(): string[] {
    return pendingForms(this.logForm, this.submissionForm, this.doc.event);
  }

  private pushStep(label: string, before: Snapshot): void {
    this.undoStack.push(label, before);
    this.undoable = this.undoStack.size;
  }

  /** A field was left: its change, if it made one, becomes a step of its own. */
  commit(label: string): void {
    if (!this.editing) return;
    this.pushStep(label, this.base);
    this.rebase();
  }

  /**
   * One change made by an action (a removal, a bulk edit) as one step. Documents it removes are
   * remembered with their stored content, so undoing the removal can bring them back.
   */
  change(label: string, mutate: () => void): void {
    this.commit("Your edit");
    const before = this.snapshot();
    const held = new Set(this.doc.exhibit.map((e) => e.file));
    mutate();
    for (const file of held) {
      if (this.doc.exhibit.some((e) => e.file === file)) continue;
      const sha = this.detail?.exhibits.find((x) => x.file === file)?.sha256;
      if (sha) this.removed.set(file, sha);
    }
    this.pushStep(label, before);
    this.rebase();
  }

  /**
   * Takes back the last change: an edit still in the field first, else the last step. What was
   * taken back, or null when there is nothing to undo.
   */
  undo(): string | null {
    if (this.editing) {
      this.restore(this.base);
      return "your last edit";
    }
    const step = this.undoStack.pop();
    this.undoable = this.undoStack.size;
    if (!step) return null;
    this.restore(step.before);
    this.rebase();
    return step.label;
  }

  /** Whether the working copy differs from the last step (an edit Ctrl+Z would take back first). */
  get editing(): boolean {
    return this.print !== this.basePrint;
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
    if (!editedSince) {
      this.doc = fresh;
      this.unreadable = {};
      this.rebase();
    }
  }

  /**
   * Takes the app's view after documents were added. Unsaved edits stay; the new exhibits
   * (those whose file the working copy lacks) join the end of the list.
   */
  applyAdded(detail: CaseDetail): number {
    const before = new Set(this.doc.exhibit.map((e) => e.file));
    const added = editable(detail.doc).exhibit.filter((e) => !before.has(e.file));
    if (added.length) this.commit("Your edit");
    const was = this.snapshot();
    if (!this.dirty) {
      this.applyDetail(detail);
    } else {
      this.id = detail.id;
      this.detail = detail;
      this.doc.exhibit.push(...added);
    }
    if (added.length) {
      this.pushStep(added.length === 1 ? "Added 1 document" : `Added ${added.length} documents`, was);
      this.rebase();
    }
    return added.length;
  }

  /** Marks a field as visited, so its own checks show; its change becomes an undo step. */
  touch(key: string): void {
    if (!this.touched[key]) this.touched[key] = true;
    this.commit(fieldLabel(key));
  }

  /** The messages to show beside a field: the library's, else the UI's own once visited. */
  problemsFor(key: string, includeChildren = false): string[] {
    const server = problemsAt(this.serverGroups, key, includeChildren);
    if (server.length) return server;
    const visible = this.showAll || this.touched[key] || (includeChildren && Object.keys(this.touched).some((k) => k.startsWith(`${key}.`)));
    return visible ? problemsAt(this.clientGroups, key, includeChildren) : [];
  }

  /**
   * A row's messages (`spo2[0]`) with the field each is about (`spo2[0].percent`), shown as
   * `problemsFor(row, true)` shows them: the library's, else the UI's own once a field of the row was visited.
   */
  rowProblems(row: string): { key: string; message: string }[] {
    const pick = (groups: Map<string, string[]>) =>
      [...groups.entries()].filter(([k]) => k === row || k.startsWith(`${row}.`)).flatMap(([key, messages]) => messages.map((message) => ({ key, message })));
    const server = pick(this.serverGroups);
    if (server.length) return server;
    return this.problemsFor(row, true).length ? pick(this.clientGroups) : [];
  }

  private inflight: Promise<SaveResult> | null = null;

  /**
   * Saves the working copy (creating the case the first time). Saves run one at a time: one
   * asked for while another is on its way waits for it, then sends the edits made since.
   * `quiet` (an automatic save) leaves the checks of fields not yet visited hidden.
   */
  async save(quiet = false): Promise<SaveResult> {
    while (this.inflight) await this.inflight;
    // Text that is not a number is not sent as nothing: the case waits until it is fixed.
    if (this.unreadableProblems.length) {
      if (!quiet) this.showAll = true;
      const n = this.unreadableProblems.length;
      return { ok: false, error: { kind: "invalid", message: `${n} ${n === 1 ? "field holds" : "fields hold"} text that is not a number`, problems: this.unreadableProblems } };
    }
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
      const back = this.toBringBack(doc);
      const detail =
        this.id === null ? await commands.createCase(doc) : back ? await commands.restoreDocuments(this.id, doc, back) : await commands.saveCase(this.id, doc);
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

  /** The removed documents this save brings back (an undone removal), or null for none. */
  private toBringBack(doc: CaseDoc): Record<string, string> | null {
    const held = new Set((this.detail?.exhibits ?? []).map((x) => x.file));
    const back = doc.exhibit.filter((e) => !held.has(e.file) && this.removed.has(e.file));
    return back.length ? Object.fromEntries(back.map((e) => [e.file, this.removed.get(e.file)!])) : null;
  }

  /** Reloads the case from the app, dropping unsaved edits (and what Ctrl+Z could take back). */
  async reload(): Promise<void> {
    if (this.id === null) return;
    this.applyDetail(await commands.getCase(this.id));
    this.reported = [];
    // applyDetail has made the reloaded copy the base.
    this.undoStack.clear();
    this.undoable = 0;
  }
}
