// A log entry found by the case's search opens on the Log tab with the focus on that entry.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import App from "../App.svelte";
import { commands } from "../lib/api";
import { app } from "../lib/stores/app.svelte";
import { detail } from "../test/sample";
import { focus, type } from "../test/keys";

vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));
vi.mock("../lib/pdf", () => ({ openPdf: vi.fn(), renderPage: vi.fn(), firstPageImage: vi.fn(async () => "blob:thumbnail") }));

beforeEach(() => {
  // The window past the Unlock screen (a plain store, or one already unlocked).
  app.gate = "open";
  vi.mocked(commands.listCases).mockResolvedValue([]);
  app.now = new Date(2026, 10, 26, 10, 0);
  app.toasts = [];
  vi.mocked(commands.documentBytes).mockResolvedValue(new ArrayBuffer(0));
});
afterEach(() => vi.clearAllMocks());

describe("a log entry found by the search", () => {
  it("opens on the Log tab with the focus on that entry", async () => {
    app.closeAll();
    app.adopt(detail());
    app.route = { name: "case", id: "c1", tab: "documents" };
    render(App);
    await focus(screen.getByRole("searchbox", { name: "Search this case" }));
    await type("case file");
    const hits = screen.getAllByTestId("result-event");
    expect(hits).toHaveLength(1);
    await fireEvent.click(hits[0]);
    await vi.waitFor(() => expect(screen.getAllByTestId("log-event")).toHaveLength(2));
    const entry = document.activeElement as HTMLElement;
    expect(entry.dataset.testid).toBe("log-event");
    expect(entry.textContent).toContain("Case file promised");
  });
});
