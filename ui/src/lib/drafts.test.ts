// The log's and the submission's forms: kept with the case, and counted before the window closes.
import { describe, expect, it } from "vitest";
import { blankEntry, closeQuestion, entryForm, freshenLog, freshenSubmission, logPending, newLogForm, newSubmissionForm, pendingForms, resetLog } from "./drafts";
import type { EventDoc } from "./bindings.gen";

const nine = new Date(2026, 10, 26, 9, 0);
const two = new Date(2026, 10, 26, 14, 30);
const call: EventDoc = { at: "2026-11-20T10:00", kind: "call", summary: "Called intake", counterpart: "Dana R.", reference: null, promised: null };

describe("the log's form", () => {
  it("is an entry not yet added once anything is typed in it, not for its kind and time alone", () => {
    const form = newLogForm(nine);
    expect(logPending(form, [])).toBe(false);
    form.entry.kind = "fax";
    form.entry.at = "2026-11-25T08:00";
    expect(logPending(form, [])).toBe(false);
    form.entry.counterpart = "Dana R.";
    expect(logPending(form, [])).toBe(true);
    expect(pendingForms(form, newSubmissionForm(nine), [])).toEqual(["a log entry not yet added"]);
  });

  it("counts an edit only when it changes the entry, and a new entry held while editing", () => {
    const form = newLogForm(nine);
    form.editing = 0;
    form.entry = entryForm(call);
    expect(logPending(form, [call])).toBe(false);
    form.entry.summary = "Called intake again";
    expect(pendingForms(form, newSubmissionForm(nine), [call])).toEqual(["a log entry edited and not yet saved"]);
    form.entry = entryForm(call);
    form.held = { ...blankEntry(nine), summary: "On hold 40 min" };
    expect(logPending(form, [call])).toBe(true);
  });

  it("keeps its time following the clock until the person sets it", () => {
    const form = newLogForm(nine);
    freshenLog(form, two);
    expect(form.entry.at).toBe("2026-11-26T14:30");
    form.entry.at = "2026-11-25T08:00";
    freshenLog(form, nine);
    expect(form.entry.at).toBe("2026-11-25T08:00");
    // Emptied after an entry is added: it follows the clock again.
    resetLog(form, nine);
    freshenLog(form, two);
    expect(form.entry.at).toBe("2026-11-26T14:30");
  });

  it("goes back to the entry it held when an edit ends", () => {
    const form = newLogForm(nine);
    const held = { ...blankEntry(nine), summary: "On hold" };
    form.editing = 0;
    form.held = held;
    resetLog(form, two, form.held);
    expect(form).toMatchObject({ editing: null, held: null, entry: { summary: "On hold" } });
  });
});

describe("the submission's form", () => {
  it("is a submission not yet recorded once where it went or its confirmation is typed", () => {
    const form = newSubmissionForm(nine);
    expect(pendingForms(newLogForm(nine), form, [])).toEqual([]);
    form.to = "Lakeshore appeals fax 312-555-0199";
    expect(pendingForms(newLogForm(nine), form, [])).toEqual(["a submission not yet recorded"]);
  });

  it("keeps its time following the clock until the person sets it", () => {
    const form = newSubmissionForm(nine);
    freshenSubmission(form, two);
    expect(form.at).toBe("2026-11-26T14:30");
    form.at = "11/25/2026 8am";
    freshenSubmission(form, nine);
    expect(form.at).toBe("11/25/2026 8am");
  });
});

describe("the question before the window closes", () => {
  it("names each case and what its forms hold", () => {
    expect(closeQuestion([{ name: "Walter Hayes", isNew: false, problems: false, forms: ["a log entry not yet added"] }])).toBe(
      "Unsaved changes in Walter Hayes (a log entry not yet added) would be lost. Close Redress anyway?",
    );
    expect(
      closeQuestion([
        { name: "Walter Hayes", isNew: false, problems: true, forms: [] },
        { name: "", isNew: true, problems: false, forms: [] },
      ]),
    ).toBe("Unsaved changes in Walter Hayes, the new case (not created yet) would be lost. Some edits have problems to fix first (they are shown beside the fields). Close Redress anyway?");
  });
});
