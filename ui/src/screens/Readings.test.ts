// The Readings view shows the library's captions and tables, not numbers of its own.
import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/svelte";
import CaseScreen from "./CaseScreen.svelte";
import type { CaseDetail } from "../lib/api";
import { app } from "../lib/stores/app.svelte";
import generated from "../lib/fixture.gen.json";

vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));
vi.mock("../lib/pdf", () => ({ openPdf: vi.fn(), renderPage: vi.fn(), firstPageImage: vi.fn(async () => "blob:thumbnail") }));

/** The demo case as the app's `getCase` returns it (written by the library, `make bindings`). */
const demo = (generated as unknown as { cases: CaseDetail[] }).cases[0];

describe("the Readings view", () => {
  it("shows each chart's caption and table as the library computed them for the packet", () => {
    app.closeAll();
    app.adopt(structuredClone(demo));
    app.route = { name: "case", id: demo.id, tab: "readings" };
    render(CaseScreen, { props: { tab: "readings" } });
    const captions = screen.getAllByTestId("chart-caption").map((c) => c.textContent?.trim());
    const spo2 = demo.readings.spo2!;
    expect(spo2.caption).toMatch(/^6 of 9 readings ≤ 88 %; lowest 83 % on exertion on room air, /);
    expect(captions).toContain(spo2.caption);
    expect(captions).toContain(demo.readings.mobility[0].caption);
    const table = within(screen.getAllByTestId("chart-summary")[0]).getByRole("table");
    const rows = within(table).getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("cell").map((c) => c.textContent));
    expect(rows).toEqual(spo2.rows);
  });
});
