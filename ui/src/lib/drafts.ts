// The forms that build an entry before it joins the case (the log's entry, the submission's
// record): kept with the case while other tabs are looked at, and counted when the window
// closes, since what is half typed in them is in no field of the case yet.

import type { EventDoc } from "./bindings.gen";
import { localMinute } from "./format";

export type LogEntryForm = { kind: string; at: string; summary: string; counterpart: string; reference: string; promised: string };

export interface LogForm {
  entry: LogEntryForm;
  /** The index of the entry being edited, or null when the form adds a new one. */
  editing: number | null;
  /** A new entry half typed when Edit was pressed: it comes back when the edit ends. */
  held: LogEntryForm | null;
  /** The time the form filled in itself: it follows the clock until the person changes it. */
  autoAt: string;
}

export interface SubmissionForm {
  method: string;
  to: string;
  at: string;
  confirmation: string;
  /** The time the form filled in itself, as in the log's form. */
  autoAt: string;
}

export function blankEntry(now: Date): LogEntryForm {
  return { kind: "call", at: localMinute(now), summary: "", counterpart: "", reference: "", promised: "" };
}

export function newLogForm(now: Date): LogForm {
  const entry = blankEntry(now);
  return { entry, editing: null, held: null, autoAt: entry.at };
}

/** The log's form ready for a new entry: `next` (a held one), or blank at `now`. */
export function resetLog(form: LogForm, now: Date, next: LogEntryForm | null = null): void {
  form.entry = next ?? blankEntry(now);
  if (!next) form.autoAt = form.entry.at;
  form.editing = null;
  form.held = null;
}

export function newSubmissionForm(now: Date): SubmissionForm {
  const at = localMinute(now);
  return { method: "fax", to: "", at, confirmation: "", autoAt: at };
}

/** The form's time, where the form filled it in, is now again (a form opened later is about now, not when it was blanked). */
export function freshenLog(form: LogForm, now: Date): void {
  if (form.editing !== null || form.entry.at !== form.autoAt) return;
  form.entry.at = form.autoAt = localMinute(now);
}

export function freshenSubmission(form: SubmissionForm, now: Date): void {
  if (form.at !== form.autoAt) return;
  form.at = form.autoAt = localMinute(now);
}

/** Whether anything was typed into a new log entry (its kind and time alone are not an entry). */
export function entryTyped(e: LogEntryForm): boolean {
  return [e.summary, e.counterpart, e.reference, e.promised].some((v) => v.trim() !== "");
}

/** The form as Edit fills it from an entry. */
export function entryForm(e: EventDoc): LogEntryForm {
  return { kind: e.kind, at: e.at, summary: e.summary, counterpart: e.counterpart ?? "", reference: e.reference ?? "", promised: e.promised ?? "" };
}

function sameEntry(a: LogEntryForm, b: LogEntryForm): boolean {
  return (Object.keys(a) as (keyof LogEntryForm)[]).every((k) => a[k].trim() === b[k].trim());
}

/** Whether the log's form holds what the case does not: a new entry typed, or an entry edited and not saved. */
export function logPending(form: LogForm, events: readonly EventDoc[]): boolean {
  if (form.held && entryTyped(form.held)) return true;
  if (form.editing === null) return entryTyped(form.entry);
  const was = events[form.editing];
  return !was || !sameEntry(form.entry, entryForm(was));
}

/** Whether the submission's form holds a record typed and not yet recorded. */
export function submissionPending(form: SubmissionForm): boolean {
  return form.to.trim() !== "" || form.confirmation.trim() !== "";
}

/** What the forms of a case hold that the case does not, in words ("a log entry not yet added"). */
export function pendingForms(log: LogForm, submission: SubmissionForm, events: readonly EventDoc[]): string[] {
  const out: string[] = [];
  if (logPending(log, events)) out.push(log.editing === null ? "a log entry not yet added" : "a log entry edited and not yet saved");
  if (submissionPending(submission)) out.push("a submission not yet recorded");
  return out;
}

/** A case with something that closing the window would lose. */
export interface Unsaved {
  /** The member's name, or "" for none. */
  name: string;
  isNew: boolean;
  /** Edits the checks refuse (shown beside the fields). */
  problems: boolean;
  /** What its forms hold (`pendingForms`). */
  forms: string[];
}

/** The question before the window closes and loses `left`. */
export function closeQuestion(left: readonly Unsaved[]): string {
  const names = left.map((u) => {
    const who = u.isNew ? "the new case (not created yet)" : u.name || "a case";
    return u.forms.length ? `${who} (${u.forms.join(" and ")})` : who;
  });
  const why = left.some((u) => u.problems) ? " Some edits have problems to fix first (they are shown beside the fields)." : "";
  return `Unsaved changes in ${names.join(", ")} would be lost.${why} Close Redress anyway?`;
}
