// Ctrl+Z takes back the case's last change: a removed document (brought back with its stored
// content even after the removal was saved), a removed log entry or reading, a bulk edit, a
// field left with a new value; inside a field still being typed in, the field's own undo runs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import App from "../App.svelte";
import { commands } from "../lib/api";
import type { CaseDetail, CaseDoc } from "../lib/api";
import { app, AUTOSAVE_MS, type Tab } from "../lib/stores/app.svelte";
import { detail } from "../test/sample";
import { focus, leave, press, selectAll, type } from "../test/keys";

vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));
vi.mock("../lib/pdf", () => ({ openPdf: vi.fn(), renderPage: vi.fn(), firstPageImage: vi.fn(async () => "blob:thumbnail") }));

const save = vi.mocked(commands.saveCase);
const restore = vi.mocked(commands.restoreDocuments);
const SHA_B = "b".repeat(64);

/** The case as stored: its documents with their content's hash. */
function stored(doc: CaseDoc): CaseDetail {
  const base = detail();
  const sha = (file: string) => (file === "docs/b.pdf" ? SHA_B : "a".repeat(64));
  return { ...base, doc: structuredClone(doc), exhibits: doc.exhibit.map((e, i) => ({ file: e.file, sha256: sha(e.file), number: i + 1, format: "pdf", citation: `Exhibit ${i + 1}` })) };
}

function open(tab: Tab): void {
  app.closeAll();
  app.adopt(stored(detail().doc));
  app.route = { name: "case", id: "c1", tab };
  render(App);
}

const files = () => screen.queryAllByTestId("exhibit-row").map((r) => r.dataset.file);
const ctrlZ = () => press("z", { ctrl: true });

beforeEach(() => {
  // The window past the Unlock screen (a plain store, or one already unlocked).
  app.gate = "open";
  vi.mocked(commands.listCases).mockResolvedValue([]);
  vi.useFakeTimers({ shouldAdvanceTime: true });
  app.now = new Date(2026, 10, 26, 10, 0);
  app.toasts = [];
  vi.mocked(commands.documentBytes).mockResolvedValue(new ArrayBuffer(0));
  save.mockImplementation(async (_id, doc) => stored(doc));
  restore.mockImplementation(async (_id, doc) => stored(doc));
});
afterEach(() => {
  vi.useRealTimers();
  vi.clearAllMocks();
});

describe("Ctrl+Z", () => {
  it("brings back a removed document, with its stored content, after the removal was saved", async () => {
    open("documents");
    const row = screen.getAllByTestId("exhibit-row").find((r) => r.dataset.file === "docs/b.pdf")!;
    await fireEvent.click(within(row).getByTestId("exhibit-remove"));
    expect(files()).not.toContain("docs/b.pdf");
    // The removal saves itself.
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 50);
    await vi.waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls.at(-1)![1].exhibit.map((e) => e.file)).not.toContain("docs/b.pdf");
    (document.activeElement as HTMLElement | null)?.blur();
    await ctrlZ();
    expect(files()).toContain("docs/b.pdf");
    expect(screen.getAllByTestId("toast").some((t) => /Undone: Removed exhibit 2 \(b\.pdf\)/.test(t.textContent ?? ""))).toBe(true);
    // Saved back with the content it had: the library is asked to bring it back from the vault.
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 50);
    await vi.waitFor(() => expect(restore).toHaveBeenCalledOnce());
    const [id, doc, documents] = restore.mock.calls[0];
    expect(id).toBe("c1");
    expect(doc.exhibit.map((e) => e.file)).toContain("docs/b.pdf");
    expect(documents).toEqual({ "docs/b.pdf": SHA_B });
  });

  it("takes back a removed log entry from the notice's Undo button", async () => {
    open("log");
    const entries = () => screen.queryAllByTestId("log-event").map((e) => e.textContent ?? "");
    const all = entries();
    expect(all).toHaveLength(2);
    await fireEvent.click(screen.getAllByRole("button", { name: /Remove the log entry/ })[0]);
    expect(entries()).toHaveLength(1);
    await fireEvent.click(screen.getByTestId("toast-action"));
    expect(entries()).toEqual(all);
  });

  it("takes back a field left with a new value, but leaves a field being typed in to its own undo", async () => {
    open("overview");
    const name = screen.getByTestId("field-member.name") as HTMLInputElement;
    await focus(name);
    await selectAll();
    await type("Walt Hayes");
    // Still typing: Ctrl+Z is the field's own (the browser's), so the app does not take it.
    const typing = new KeyboardEvent("keydown", { key: "z", ctrlKey: true, bubbles: true, cancelable: true });
    name.dispatchEvent(typing);
    expect(typing.defaultPrevented).toBe(false);
    expect(name.value).toBe("Walt Hayes");
    // Left: the change is a step of its own, which Ctrl+Z outside the field takes back.
    await leave();
    await ctrlZ();
    expect((screen.getByTestId("field-member.name") as HTMLInputElement).value).toBe("Walter Hayes");
    await ctrlZ();
    expect(screen.getAllByTestId("toast").some((t) => t.textContent?.includes("Nothing to undo."))).toBe(true);
  });

  it("takes back a cleared letter, and a letter replaced by the template, with the notice's Undo too", async () => {
    open("letter");
    const letter = () => screen.getByTestId("letter-text") as HTMLTextAreaElement;
    await focus(letter());
    await type("My own letter.");
    await leave();
    await fireEvent.click(screen.getByTestId("clear-letter"));
    expect(letter().value).toBe("");
    expect(screen.getAllByTestId("toast").map((t) => t.textContent?.replace(/\s+/g, " ").trim())).toContain("Letter cleared. Undo");
    // Saved on its own, as every edit is; Ctrl+Z still brings the letter back, and that is saved too.
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 50);
    await vi.waitFor(() => expect(save.mock.calls.at(-1)![1].letter ?? null).toBeNull());
    (document.activeElement as HTMLElement | null)?.blur();
    await ctrlZ();
    expect(letter().value).toBe("My own letter.");
    expect(screen.getAllByTestId("toast").some((t) => t.textContent?.includes("Undone: Letter cleared."))).toBe(true);
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 50);
    await vi.waitFor(() => expect(save.mock.calls.at(-1)![1].letter).toBe("My own letter."));

    // "Use template" over the person's own letter: the notice's Undo brings it back.
    await fireEvent.click(screen.getByTestId("use-template"));
    expect(letter().value).toBe("# Request\n\nPlease reconsider.");
    const notice = screen.getAllByTestId("toast").find((t) => t.textContent?.includes("Your letter was replaced by the template."))!;
    await fireEvent.click(within(notice).getByTestId("toast-action"));
    expect(letter().value).toBe("My own letter.");
  });

  it("takes back a bulk change of kind", async () => {
    open("documents");
    await press("a", { ctrl: true });
    await fireEvent.change(screen.getByTestId("bulk-kind"), { target: { value: "correspondence" } });
    expect(screen.getAllByTestId("exhibit-kind").every((s) => (s as HTMLSelectElement).value === "correspondence")).toBe(true);
    (document.activeElement as HTMLElement | null)?.blur();
    await ctrlZ();
    expect(screen.getAllByTestId("exhibit-kind").map((s) => (s as HTMLSelectElement).value).sort()).toEqual(["oxygen-log", "progress-note", "wound-photo"]);
  });
});
