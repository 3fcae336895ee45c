// The app's state across screens: where the person is, the case list, the open cases with
// their unsaved edits, messages, and the actions that more than one screen (or a shortcut) runs.

import { tick } from "svelte";
import { SvelteMap } from "svelte/reactivity";
import { commands, shell, asAppError, isTauri, ERROR_KINDS, checklistPage, searchableScans, destinationProfile } from "../api";
import type { AppError, CaseDetail, CaseOverview, RefusedDocument } from "../api";
import { CaseSession } from "./case.svelte";
import { ReadingSession } from "./reading.svelte";
import { fileKind, type FileKind } from "../notice";
import { forgetThumbnails } from "../thumbs";
import { baseName } from "../exhibits";
import { gateFor, type Gate } from "../encryption";
import { closeQuestion, type Unsaved } from "../drafts";
import type { Protection } from "../api";

export const TABS = ["overview", "documents", "log", "readings", "criteria", "letter", "packet"] as const;
export type Tab = (typeof TABS)[number];
export const TAB_LABEL: Record<Tab, string> = {
  overview: "Overview",
  documents: "Documents",
  log: "Log",
  readings: "Readings",
  criteria: "Coverage criteria",
  letter: "Letter",
  packet: "Packet",
};

export type Route = { name: "cases" } | { name: "case"; id: string | null; tab: Tab } | { name: "reading" } | { name: "settings" };

export interface Toast {
  id: number;
  kind: "info" | "success" | "error";
  message: string;
  details: string[];
  /** A button on the notice (Undo). */
  action?: { label: string; run: () => void };
  /** What the notice is about, for taking it back when it no longer holds (`save:<session>`: a save that failed). */
  about?: string;
}

/** `#/case/<id>/<tab>`, `#/new`, `#/cases` ↔ a route. */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  if (parts[0] === "read") return { name: "reading" };
  if (parts[0] === "settings") return { name: "settings" };
  if (parts[0] === "new") return { name: "case", id: null, tab: "overview" };
  if (parts[0] === "case" && parts[1]) {
    const tab = (TABS as readonly string[]).includes(parts[2] ?? "") ? (parts[2] as Tab) : "overview";
    return { name: "case", id: parts[1], tab };
  }
  return { name: "cases" };
}

export function routeHash(r: Route): string {
  if (r.name === "cases") return "#/cases";
  if (r.name === "reading") return "#/read";
  if (r.name === "settings") return "#/settings";
  if (r.id === null) return "#/new";
  return `#/case/${encodeURIComponent(r.id)}/${r.tab}`;
}

let nextToast = 1;

/** What the notices of a case's failed saves are about (`Toast.about`). */
function saveAbout(s: CaseSession): string {
  return `save:${s.serial}`;
}

/** Another screen opens at its top, as a new page does. */
function toTop(): void {
  if (typeof document === "undefined") return;
  document.documentElement.scrollTop = 0;
  document.body.scrollTop = 0;
}

/** How long typing pauses before the edits are saved on their own. */
export const AUTOSAVE_MS = 700;

class AppState {
  route: Route = $state({ name: "cases" });
  cases: CaseOverview[] | null = $state(null);
  casesError: AppError | null = $state(null);
  loadingCases = $state(false);
  /** Open cases by id; each keeps its unsaved edits while the person looks elsewhere. */
  sessions = new SvelteMap<string, CaseSession>();
  /** The new case being filled in, before its first save. */
  draft: CaseSession | null = $state(null);
  openError: AppError | null = $state(null);
  toasts: Toast[] = $state([]);
  /** The clock the countdowns read; ticks every 30 s. */
  now: Date = $state(new Date());
  /** Files are being dragged over the window. */
  dragging = $state(false);
  /** The case whose packet is being built (one build at a time). */
  buildingId: string | null = $state(null);
  /** Bumped to ask the case list to focus its search box. */
  searchFocus = $state(0);
  /** A notice or claim file being read and confirmed (the confirm view). */
  reading: ReadingSession | null = $state(null);
  /** Before the cases: the Unlock screen of an encrypted store, or the cases ("open"). */
  gate: Gate = $state("checking");
  /** A first run: the case list offers to protect the cases with a passphrase, until answered. */
  offerProtection = $state(false);
  /** How the store is kept, as last asked (the Unlock screen says whether a switch was stopped). */
  protection: Protection = $state("Plain");
  /** Password-protected PDFs just refused, offered one at a time for their password. */
  locked: { caseId: string; document: RefusedDocument }[] = $state([]);

  session: CaseSession | null = $derived(this.route.name === "case" ? (this.route.id === null ? this.draft : (this.sessions.get(this.route.id) ?? null)) : null);

  // ---- messages

  /** Shows a notice; errors stay until dismissed, the rest go after a while (longer with a button to press). */
  toast(message: string, kind: Toast["kind"] = "info", details: string[] = [], action?: Toast["action"], about?: string): void {
    const t: Toast = { id: nextToast++, kind, message, details, action, about };
    this.toasts = [...this.toasts.slice(-4), t];
    if (kind !== "error") setTimeout(() => this.dismiss(t.id), action ? 10000 : 6000);
  }

  /** A notice of a change Ctrl+Z takes back, with an Undo button. */
  undoable(message: string): void {
    this.toast(message, "info", [], { label: "Undo", run: () => this.undo() });
  }

  /** Takes back the last change in the case on screen (Ctrl+Z outside a field being typed in). */
  undo(): void {
    const s = this.session;
    if (!s) return;
    const what = s.undo();
    this.toasts = this.toasts.filter((t) => !t.action);
    this.toast(what === null ? "Nothing to undo." : `Undone: ${what}.`, "info");
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  /**
   * Shows a failed command's error; `doing` says what was being tried ("Saving the case").
   * `listProblems` is false where the screen lists the problems itself; `about` marks the
   * notice for taking back (`Toast.about`).
   */
  fail(e: unknown, doing: string, listProblems = true, about?: string): AppError {
    const err = asAppError(e);
    if (err.kind === "cancelled") {
      this.toast(`${doing}: cancelled.`, "info", [], undefined, about);
    } else if (err.kind === "invalid" && err.problems.length) {
      const n = err.problems.length;
      const list = err.problems.map((p) => (p.location ? `${p.location}: ${p.message}` : p.message));
      this.toast(`${doing} failed: ${n} ${n === 1 ? "problem needs" : "problems need"} fixing${listProblems ? "." : " (listed at the top of the case)."}`, "error", listProblems ? list : [], undefined, about);
    } else {
      const what = ERROR_KINDS[err.kind] ?? "";
      this.toast(`${doing} failed${what ? ` (${what})` : ""}: ${err.message}`, "error", [], undefined, about);
    }
    return err;
  }

  /** A case's save failed: said in a notice that goes once one of its saves succeeds. */
  private failSave(s: CaseSession, error: AppError, doing: string, listProblems = true): void {
    this.toasts = this.toasts.filter((t) => t.about !== saveAbout(s));
    this.fail(error, doing, listProblems, saveAbout(s));
  }

  /** A case was saved: the notices of its saves that failed no longer hold. */
  private saved(s: CaseSession): void {
    if (this.toasts.some((t) => t.about === saveAbout(s))) this.toasts = this.toasts.filter((t) => t.about !== saveAbout(s));
  }

  // ---- navigation

  navigate(route: Route): void {
    // The confirm view exists only while a file is being confirmed.
    if (route.name === "reading" && !this.reading) route = { name: "cases" };
    // Another screen opens at its top (the case screen does so for its tabs).
    const was = this.route;
    if (route.name !== was.name || (route.name === "case" && was.name === "case" && route.id !== was.id)) toTop();
    this.route = route;
    const hash = routeHash(route);
    if (typeof location !== "undefined" && location.hash !== hash) history.replaceState(null, "", hash);
    if (route.name === "case" && route.id !== null && !this.sessions.has(route.id)) void this.loadCase(route.id);
    if (route.name === "cases") void this.refreshCases();
  }

  goCases(): void {
    this.navigate({ name: "cases" });
  }

  goSettings(): void {
    this.navigate({ name: "settings" });
  }

  openCase(id: string, tab: Tab = "overview"): void {
    this.navigate({ name: "case", id, tab });
  }

  showTab(tab: Tab): void {
    if (this.route.name === "case") this.navigate({ ...this.route, tab });
  }

  newCase(): void {
    if (!this.draft || !this.draft.dirty) this.draft = new CaseSession();
    this.navigate({ name: "case", id: null, tab: "overview" });
  }

  // ---- data

  async refreshCases(): Promise<void> {
    this.loadingCases = true;
    try {
      this.cases = await commands.listCases();
      this.casesError = null;
    } catch (e) {
      this.casesError = asAppError(e);
    } finally {
      this.loadingCases = false;
    }
  }

  async loadCase(id: string): Promise<void> {
    this.openError = null;
    try {
      const detail = await commands.getCase(id);
      this.adopt(detail);
    } catch (e) {
      this.openError = asAppError(e);
    }
  }

  /** Keeps a case the app returned as an open session. */
  adopt(detail: CaseDetail): CaseSession {
    let s = this.sessions.get(detail.id);
    if (s) s.applyDetail(detail);
    else {
      s = new CaseSession(detail);
      this.sessions.set(detail.id, s);
    }
    // A new or changed case changes the list (its count, next deadline, missed promises).
    void this.refreshCases();
    return s;
  }

  private autosaveTimers = new Map<CaseSession, ReturnType<typeof setTimeout>>();

  /**
   * Saves a saved case's edits once typing pauses, as the log does on Enter, through the same
   * save (so the store records each in the case's history). A new case is saved only by
   * "Create case". Called on every edit; each call restarts the wait.
   */
  autosaveSoon(s: CaseSession): void {
    clearTimeout(this.autosaveTimers.get(s));
    this.autosaveTimers.delete(s);
    if (s.isNew || !s.dirty) return;
    this.autosaveTimers.set(
      s,
      setTimeout(() => void this.autosave(s), AUTOSAVE_MS),
    );
  }

  /**
   * Saves a case's edits now (a field was left, the window is closing). Edits that the checks
   * refuse stay unsaved, with their problems beside the fields. True when nothing is left unsaved.
   */
  async autosave(s: CaseSession): Promise<boolean> {
    clearTimeout(this.autosaveTimers.get(s));
    this.autosaveTimers.delete(s);
    if (s.isNew) return !s.dirty;
    if (!s.dirty) return true;
    if (s.clientProblems.length) return false;
    const r = await s.save(true);
    if (!r.ok && r.error.kind !== "invalid") this.failSave(s, r.error, "Saving the case");
    if (r.ok) {
      this.saved(s);
      void this.refreshCases();
    }
    return r.ok && !s.dirty;
  }

  /** Forgets every open case, its unsaved edits and its pending automatic save. */
  closeAll(): void {
    for (const t of this.autosaveTimers.values()) clearTimeout(t);
    this.autosaveTimers.clear();
    this.sessions.clear();
    this.draft = null;
  }

  /**
   * Saves every open case's edits; what would still be lost after that: the cases with edits
   * that cannot be saved or forms half typed (a log entry not yet added), and a new case's draft.
   */
  async saveAll(): Promise<Unsaved[]> {
    const left: Unsaved[] = [];
    for (const s of this.sessions.values()) {
      const problems = !(await this.autosave(s));
      const forms = s.pendingForms();
      if (problems || forms.length) left.push({ name: s.doc.member.name, isNew: false, problems, forms });
    }
    if (this.draft?.dirty) left.push({ name: this.draft.doc.member.name, isNew: true, problems: false, forms: [] });
    return left;
  }

  /** Before the window closes: saves what can be saved, and asks before losing the rest. */
  async mayClose(): Promise<boolean> {
    const left = await this.saveAll();
    if (left.length === 0) return true;
    return shell.confirm(closeQuestion(left), "Unsaved changes", "Close and lose them", "Keep working");
  }

  /** Saves the case on screen. True when saved. */
  async save(done = "Saved."): Promise<boolean> {
    const s = this.session;
    if (!s) return false;
    const wasNew = s.isNew;
    const r = await s.save();
    if (!r.ok) {
      this.failSave(s, r.error, wasNew ? "Creating the case" : "Saving the case", false);
      if (r.error.kind === "invalid") {
        // Take the person to the list of what to fix.
        await tick();
        document.querySelector<HTMLElement>('[data-testid="problem-summary"]')?.focus();
      }
      return false;
    }
    this.saved(s);
    if (wasNew && s.id) {
      this.sessions.set(s.id, s);
      this.draft = null;
      this.toast("Case created.", "success");
      this.navigate({ name: "case", id: s.id, tab: "overview" });
    } else {
      this.toast(done, "success");
    }
    // A save changes the case list (its count, next deadline, missed promises).
    void this.refreshCases();
    return true;
  }

  /** Adds files to a case: the path shared by the dialog and a drop from the file manager. */
  async addDocuments(paths: string[]): Promise<void> {
    const s = this.session;
    if (paths.length === 0) return;
    if (!s || s.id === null) {
      this.toast(s ? "Save the new case first, then add its documents." : "Open a case first, then add its documents.", "error");
      return;
    }
    const id = s.id;
    try {
      const r = await commands.addDocuments(id, paths);
      const added = s.applyAdded(r.detail);
      for (const d of r.dates ?? []) {
        const date = r.detail.doc.exhibit.find((e) => e.file === d.file)?.date;
        if (date) s.dateSources[d.file] = { source: d.source, date };
      }
      forgetThumbnails(id);
      this.showTab("documents");
      const names = r.added.map(baseName);
      if (added > 0) this.toast(added === 1 ? `Added ${names[0]}.` : `Added ${added} documents.`, "success", added > 1 ? names : []);
      // Every file not added is named, with why, in the person's words.
      const refused = r.refused;
      if (refused.length === 1) this.toast(`${refused[0].location} was not added: it ${refused[0].message}.`, "error");
      else if (refused.length > 1) this.toast(`${refused.length} files were not added${added > 0 ? " (the others were)" : ""}:`, "error", refused.map((p) => `${p.location} ${p.message}`));
      // A password-protected PDF can still be added: ask for its password at once.
      this.locked = [...this.locked, ...refused.filter((r) => r.reason === "needs-password").map((document) => ({ caseId: id, document }))];
    } catch (e) {
      this.fail(e, paths.length === 1 ? `Adding ${baseName(paths[0])}` : `Adding ${paths.length} documents`);
    }
  }

  /**
   * Adds the first waiting password-protected PDF with `password`: the app keeps an unlocked
   * copy. The sentence to show in the dialog when the password is wrong (the dialog stays);
   * null when it is done with (added, or refused for another reason, which is said in a notice).
   */
  async unlock(password: string): Promise<string | null> {
    const next = this.locked[0];
    if (!next) return null;
    try {
      const r = await commands.unlockDocument(next.caseId, next.document.path, password);
      this.locked = this.locked.slice(1);
      const s = this.sessions.get(next.caseId);
      if (s) s.applyAdded(r.detail);
      forgetThumbnails(next.caseId);
      if (r.added.length) this.toast(`Added ${baseName(r.added[0])} (an unlocked copy; the password is not kept).`, "success");
      for (const p of r.refused) this.toast(`${p.location} was not added: it ${p.message}.`, "error");
      return null;
    } catch (e) {
      const err = asAppError(e);
      if (err.kind === "wrong-password") return err.message;
      this.locked = this.locked.slice(1);
      this.fail(err, `Unlocking ${next.document.location}`);
      return null;
    }
  }

  /** Leaves the first waiting password-protected PDF out. */
  skipUnlock(): void {
    this.locked = this.locked.slice(1);
  }

  async pickDocuments(): Promise<void> {
    try {
      const paths = await shell.pickDocuments();
      if (paths) await this.addDocuments(paths);
    } catch (e) {
      this.fail(e, "Opening the file dialog");
    }
  }

  async importFolder(): Promise<void> {
    try {
      const dir = await shell.pickFolder("import");
      if (!dir) return;
      const detail = await commands.importFolder(dir);
      this.adopt(detail);
      this.toast(`Imported ${baseName(dir)}.`, "success");
      this.openCase(detail.id);
    } catch (e) {
      this.fail(e, "Importing the case folder");
    }
  }

  async exportCase(): Promise<void> {
    const s = this.session;
    if (!s?.id) return;
    try {
      const dir = await shell.pickFolder("export");
      if (!dir) return;
      const written = await commands.exportCase(s.id, dir);
      this.toast(`Exported to ${written}.`, "success");
    } catch (e) {
      this.fail(e, "Exporting the case");
    }
  }

  async loadDemo(): Promise<void> {
    try {
      const detail = await commands.loadDemo();
      this.adopt(detail);
      this.toast("The demo case is ready.", "success");
      this.openCase(detail.id);
    } catch (e) {
      this.fail(e, "Loading the demo case");
    }
  }

  /** Builds the packet of the case on screen, saving unsaved edits first. */
  async build(): Promise<void> {
    const s = this.session;
    if (!s || s.id === null) {
      this.toast("Save the case before building its packet.", "error");
      return;
    }
    if (this.buildingId) {
      this.toast("A packet is already being built.", "info");
      return;
    }
    this.showTab("packet");
    if (s.dirty && !(await this.save())) return;
    const id = s.id;
    this.buildingId = id;
    s.build = { running: true, progress: { done: 0, total: 0, message: "Starting…" }, outcome: null, error: null };
    let unlisten: () => void = () => {};
    try {
      unlisten = await shell.onBuildProgress((p) => {
        s.build.progress = p;
      });
    } catch {
      // Without progress events the build still runs; the bar stays indeterminate.
    }
    try {
      // The coverage-criteria page only where the case has a checklist and the person chose it.
      const packet = await commands.buildPacket(id, checklistPage.get() && !!s.detail?.checklist, searchableScans.get(), destinationProfile.get());
      if (s.detail) s.detail.packet = packet;
      s.build = { running: false, progress: null, outcome: "built", error: null };
      this.toast(`Packet built: ${packet.pages} pages.`, "success");
    } catch (e) {
      const err = asAppError(e);
      if (err.kind === "cancelled") {
        s.build = { running: false, progress: null, outcome: "cancelled", error: null };
      } else {
        s.build = { running: false, progress: null, outcome: "failed", error: err };
        // The packet screen shows the error itself; a notice only when the person went elsewhere.
        const onScreen = this.route.name === "case" && this.route.tab === "packet" && this.session === s;
        if (!onScreen) this.fail(err, "Building the packet");
      }
    } finally {
      unlisten();
      this.buildingId = null;
    }
  }

  async cancelBuild(): Promise<void> {
    try {
      await commands.cancelBuild();
    } catch (e) {
      this.fail(e, "Cancelling the build");
    }
  }

  // ---- reading a notice or a claim file

  /**
   * Reads a notice or a claim file and shows what was found to confirm: for a new case (from the
   * case list or the new-case screen), or for the saved case on screen.
   */
  async readFile(path: string, kind: FileKind | null = fileKind(path)): Promise<void> {
    if (!kind) {
      this.toast(`${baseName(path)} is not a notice Redress reads: a PDF, a photo or scan (JPEG, PNG, TIFF, HEIC), or a claim file (FHIR JSON, X12 835).`, "error");
      return;
    }
    // Another file dropped on the confirm view is read for the same case.
    const s = this.session;
    const form = this.route.name === "reading" && this.reading ? this.reading.form : s && s.id !== null ? s : (this.draft ?? new CaseSession());
    if (form.id === null) this.draft = form;
    const r = new ReadingSession(path, kind, form);
    this.reading = r;
    this.navigate({ name: "reading" });
    toTop();
    await r.read();
  }

  /** Asks for a notice (or a claim file) in the open dialog, then reads it. */
  async pickAndRead(kind: FileKind): Promise<void> {
    try {
      const path = await shell.pickFile(kind);
      if (path) await this.readFile(path, kind);
    } catch (e) {
      this.fail(e, "Opening the file dialog");
    }
  }

  /** The case made (or updated) from a confirmed reading opens, with its deadline. */
  finishReading(detail: CaseDetail): void {
    const r = this.reading;
    const wasNew = r?.caseId === null;
    this.reading = null;
    if (wasNew) this.draft = null;
    this.adopt(detail);
    forgetThumbnails(detail.id);
    this.toast(wasNew ? "Case created from the notice." : "The values were applied to the case.", "success");
    this.openCase(detail.id, "overview");
    toTop();
  }

  /** Leaves the confirm view; nothing was saved. */
  cancelReading(): void {
    const r = this.reading;
    this.reading = null;
    if (r?.caseId) this.openCase(r.caseId, "documents");
    else if (r && this.draft?.dirty) this.navigate({ name: "case", id: null, tab: "overview" });
    else this.goCases();
  }

  /**
   * Files dropped on the window: on a saved case they are added as its documents; on the case
   * list, the new-case screen or the confirm view, one notice or claim file is read to confirm.
   */
  onDrop(paths: string[]): void {
    const s = this.session;
    if (s && s.id !== null && this.route.name === "case") {
      void this.addDocuments(paths);
      return;
    }
    if (paths.length !== 1) {
      this.toast("Drop the denial notice on its own: Redress reads one file at a time to start a case.", "error");
      return;
    }
    void this.readFile(paths[0]);
  }

  /** Runs the real setup: the clock, the hash route, and file drops. */
  // ---- encryption at rest

  /** Asks the shell how the store is kept, and shows the Unlock screen or the first-run offer when needed. */
  async checkEncryption(): Promise<void> {
    if (!isTauri()) {
      this.gate = "open";
      return;
    }
    try {
      const status = await commands.encryptionStatus();
      this.protection = status.protection;
      const gate = gateFor(status);
      this.offerProtection = gate === "offer";
      this.gate = gate === "offer" ? "open" : gate;
    } catch (e) {
      this.fail(e, "Checking whether the cases are encrypted");
      this.gate = "open";
    }
  }

  /** The store is unlocked: the cases, at the place the address names. */
  openCases(): void {
    if (this.gate === "open") return;
    this.gate = "open";
    this.enter();
  }

  private enter(): void {
    const first = parseHash(location.hash);
    if (first.name === "case" && first.id === null) this.newCase();
    else this.navigate(first);
  }

  async start(): Promise<void> {
    setInterval(() => (this.now = new Date()), 30_000);
    window.addEventListener("hashchange", () => {
      if (this.gate !== "open") return;
      const r = parseHash(location.hash);
      if (routeHash(r) !== routeHash(this.route)) this.navigate(r);
    });
    // Nothing is read from the store before it is unlocked.
    await this.checkEncryption();
    if (this.gate === "open") this.enter();
    if (isTauri()) {
      try {
        await shell.onCloseRequested(() => this.mayClose());
      } catch (e) {
        this.fail(e, "Listening for the window closing");
      }
      try {
        await shell.onFileDrop((e) => {
          // Behind the Unlock screen (or while the store's protection is checked) nothing is
          // open to add a file to: a drop is not taken, and no drop zone is shown.
          if (this.gate !== "open") return;
          if (e.type === "enter" || e.type === "over") this.dragging = true;
          else if (e.type === "leave") this.dragging = false;
          else {
            this.dragging = false;
            this.onDrop(e.paths);
          }
        });
      } catch (e) {
        this.fail(e, "Listening for dropped files");
      }
    }
  }
}

export const app = new AppState();
