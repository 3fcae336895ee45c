// The log typed key by key: a time as people write it, and an entry edited in place.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import CaseScreen from "./CaseScreen.svelte";
import { commands } from "../lib/api";
import type { CaseDetail, CaseDoc } from "../lib/api";
import { app } from "../lib/stores/app.svelte";
import { detail } from "../test/sample";
import { enter, focus, selectAll, type } from "../test/keys";

vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));
vi.mock("../lib/pdf", () => ({ openPdf: vi.fn(), renderPage: vi.fn(), firstPageImage: vi.fn(async () => "blob:thumbnail") }));

const save = vi.mocked(commands.saveCase);

function saved(doc: CaseDoc, base: CaseDetail = detail()): CaseDetail {
  return { ...base, doc: structuredClone(doc) };
}

function open(): ReturnType<typeof render> {
  const d = detail();
  app.closeAll();
  app.adopt(d);
  app.route = { name: "case", id: d.id, tab: "log" };
  return render(CaseScreen, { props: { tab: "log" } });
}

const input = (testid: string) => screen.getByTestId(testid) as HTMLInputElement;
const entries = () => screen.getAllByTestId("log-event");
const entry = (summary: string) => entries().find((e) => e.textContent?.includes(summary))!;

/** Enter in a form's text field, as a browser takes it: the key, then the form's submission. */
async function enterSubmits(): Promise<void> {
  const el = document.activeElement as HTMLInputElement;
  await enter();
  if (el.form) await fireEvent.submit(el.form);
}

async function retype(el: HTMLElement, text: string): Promise<void> {
  await focus(el);
  await selectAll();
  await type(text);
}

beforeEach(() => {
  app.now = new Date(2026, 10, 26, 10, 0);
  app.toasts = [];
  save.mockImplementation(async (_id, doc) => saved(doc));
});
afterEach(() => vi.clearAllMocks());

describe("the log's When field", () => {
  it("shows what to type, and takes 11/21/2026 2:15pm typed key by key", async () => {
    open();
    const at = input("log-at");
    expect(at.placeholder).toBe("11/21/2026 2:15pm or 2026-11-21T14:15");
    await retype(at, "11/21/2026 2:15pm");
    expect(screen.getByTestId("log-at-understood").textContent).toBe("Understood: Sat 21 Nov 2026, 14:15");
    await retype(input("log-summary"), "Called intake");
    await retype(input("log-promised"), "Nov 25 2026 5pm");
    await enterSubmits();
    await vi.waitFor(() => expect(save).toHaveBeenCalledOnce());
    expect(save.mock.calls[0][1].event.at(-1)).toMatchObject({ at: "2026-11-21T14:15", summary: "Called intake", promised: "2026-11-25T17:00" });
  });

  it("keeps an unreadable time as typed, with its problem", async () => {
    open();
    await retype(input("log-at"), "13/45/2026 9am");
    await retype(input("log-summary"), "Called intake");
    await enterSubmits();
    expect(save).not.toHaveBeenCalled();
    expect(input("log-at").value).toBe("13/45/2026 9am");
    expect(input("log-at").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(/"13\/45\/2026 9am" is not a date or time/)).toBeTruthy();
  });
});

describe("editing a log entry", () => {
  it("Edit fills the form; Enter saves the entry in place", async () => {
    open();
    const before = entries().length;
    await fireEvent.click(within(entry("Case file promised")).getByRole("button", { name: "Edit the log entry of 2026-11-16 15:20" }));
    expect(input("log-summary").value).toBe("Case file promised");
    expect(input("log-at").value).toBe("2026-11-16T15:20");
    expect(input("log-promised").value).toBe("2026-12-28T17:00");
    expect(document.activeElement).toBe(input("log-summary"));
    expect(screen.getByTestId("log-editing").textContent).toContain("2026-11-16 15:20");
    await type(" by Friday");
    await retype(input("log-reference"), "REF-9");
    await retype(input("log-at"), "11/16/2026 3:45pm");
    await enterSubmits();
    await vi.waitFor(() => expect(save).toHaveBeenCalledOnce());
    const events = save.mock.calls[0][1].event;
    expect(events).toHaveLength(before);
    expect(events[1]).toMatchObject({ at: "2026-11-16T15:45", kind: "call", summary: "Case file promised by Friday", reference: "REF-9", promised: "2026-12-28T17:00" });
    expect(events[0].summary).toBe("Decision promised");
    expect(entries()).toHaveLength(before);
    expect(screen.queryByTestId("log-editing")).toBeNull();
    expect(input("log-summary").value).toBe("");
  });

  it("Escape cancels the edit and brings back the new entry being typed", async () => {
    open();
    await retype(input("log-summary"), "Half-typed new call");
    await fireEvent.click(within(entry("Decision promised")).getByTestId("log-edit"));
    expect(input("log-summary").value).toBe("Decision promised");
    await type(" (changed)");
    await fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    await vi.waitFor(() => expect(screen.queryByTestId("log-editing")).toBeNull());
    expect(input("log-summary").value).toBe("Half-typed new call");
    expect(app.session!.doc.event[0].summary).toBe("Decision promised");
    expect(save).not.toHaveBeenCalled();
  });
});

describe("a log entry half typed", () => {
  it("is still there after a look at another tab, and so is an edit under way", async () => {
    const view = open();
    await retype(input("log-summary"), "Called plan, on hold 40 min");
    await retype(input("log-counterpart"), "Dana R.");
    await retype(input("log-at"), "11/25/2026 9am");
    await view.rerender({ tab: "documents" });
    expect(screen.queryByTestId("log-summary")).toBeNull();
    await view.rerender({ tab: "log" });
    expect(input("log-summary").value).toBe("Called plan, on hold 40 min");
    expect(input("log-counterpart").value).toBe("Dana R.");
    expect(input("log-at").value).toBe("11/25/2026 9am");

    await fireEvent.click(within(entry("Decision promised")).getByTestId("log-edit"));
    await type(" (changed)");
    await view.rerender({ tab: "documents" });
    await view.rerender({ tab: "log" });
    expect(screen.getByTestId("log-editing")).toBeTruthy();
    expect(input("log-summary").value).toBe("Decision promised (changed)");
    // Escape still brings back the new entry held while editing.
    await focus(input("log-summary"));
    await fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    await vi.waitFor(() => expect(input("log-summary").value).toBe("Called plan, on hold 40 min"));
    expect(save).not.toHaveBeenCalled();
  });
});
