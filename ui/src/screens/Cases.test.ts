import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { tick } from "svelte";
import Cases from "./Cases.svelte";
import { commands } from "../lib/api";
import { app } from "../lib/stores/app.svelte";
import { deadline, detail, overview } from "../test/sample";
import { enter, focus, selectAll, type } from "../test/keys";

// The IPC boundary: the shell's commands and native helpers are stubbed, the UI logic is real.
vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));

const list = vi.mocked(commands.listCases);

beforeEach(() => {
  app.now = new Date(2026, 10, 26, 10, 0);
  app.cases = null;
  app.casesError = null;
  app.route = { name: "cases" };
});
afterEach(() => vi.clearAllMocks());

async function showCases(): Promise<void> {
  await app.refreshCases();
  render(Cases);
  await tick();
}

describe("the case list", () => {
  it("shows each case's countdown with its status in words", async () => {
    list.mockResolvedValue([
      overview("1", "Walter Hayes", deadline({ due: "2027-01-18" }), { missed_promises: 2 }),
      overview("2", "Rosa Delgado", deadline({ due: "2026-11-23", status: "overdue" })),
      overview("3", "Anna Kowalski", deadline({ due: "2026-11-27", due_time: "2026-11-27T06:00", rule_id: "ma-expedited" })),
      overview("4", "Mae Thompson", null),
    ]);
    await showCases();
    const rows = screen.getAllByTestId("case-row");
    // Soonest first; the case without a deadline last.
    expect(rows.map((r) => within(r).getByTestId("case-open").textContent)).toEqual(["Rosa Delgado", "Anna Kowalski", "Walter Hayes", "Mae Thompson"]);
    expect(within(rows[0]).getByTestId("countdown").textContent).toBe("Overdue by 3 days");
    expect(rows[0].dataset.status).toBe("overdue");
    expect(within(rows[1]).getByTestId("countdown").textContent).toBe("Due in 20 h");
    expect(within(rows[1]).getByTestId("status-badge").dataset.status).toBe("due-soon");
    expect(within(rows[2]).getByTestId("status-badge").textContent).toContain("Open");
    expect(within(rows[2]).getByTestId("countdown").textContent).toBe("53 days left");
    expect(within(rows[2]).getByTestId("missed-count").textContent).toContain("2 missed");
    expect(within(rows[3]).getByTestId("status-badge").textContent).toContain("No deadline");
    expect(screen.getByTestId("case-summary").textContent!.replace(/\s+/g, " ")).toMatch(/4 cases · 1 overdue · 1 due soon · 1 open/);
  });

  it("searches by name, member ID or reference, and filters by status", async () => {
    list.mockResolvedValue([overview("1", "Walter Hayes", deadline()), overview("2", "Rosa Delgado", deadline({ due: "2026-11-20" }))]);
    await showCases();
    await fireEvent.input(screen.getByTestId("case-search"), { target: { value: "REF-2" } });
    expect(screen.getAllByTestId("case-row").map((r) => r.dataset.caseId)).toEqual(["2"]);
    await fireEvent.input(screen.getByTestId("case-search"), { target: { value: "" } });
    await fireEvent.change(screen.getByTestId("case-filter-status"), { target: { value: "open" } });
    expect(screen.getAllByTestId("case-row").map((r) => r.dataset.caseId)).toEqual(["1"]);
    await fireEvent.input(screen.getByTestId("case-search"), { target: { value: "nobody" } });
    expect(screen.getByTestId("no-match").textContent).toContain("No case matches");
  });

  it("finds a case by its clinician, title, claim or authorization number, typed key by key", async () => {
    list.mockResolvedValue([
      overview("1", "Walter Hayes", deadline(), { clinician: "Priya Natarajan, MD", authorization_number: "PA-88213406" }),
      overview("2", "Rosa Delgado", deadline({ due: "2026-11-20" }), { title: "Power wheelchair (K0823) denied", claim_number: "CLM-2026-55120" }),
    ]);
    await showCases();
    const search = screen.getByTestId("case-search") as HTMLInputElement;
    const shown = () => screen.queryAllByTestId("case-row").map((r) => r.dataset.caseId);
    await focus(search);
    await type("natarajan");
    expect(shown()).toEqual(["1"]);
    await selectAll();
    await type("wheelchair");
    expect(shown()).toEqual(["2"]);
    await selectAll();
    await type("CLM-2026-55120");
    expect(shown()).toEqual(["2"]);
    await selectAll();
    await type("PA 8821");
    expect(shown()).toEqual(["1"]);
    expect(search.placeholder).toContain("clinician");
  });

  it("opens the one case the search finds on Enter, and none where it finds several", async () => {
    list.mockResolvedValue([overview("1", "Walter Hayes", deadline()), overview("2", "Rosa Delgado", deadline({ due: "2026-11-20" }))]);
    vi.mocked(commands.getCase).mockResolvedValue(detail("2"));
    await showCases();
    await focus(screen.getByTestId("case-search"));
    await type("ID-");
    await enter();
    expect(app.route).toEqual({ name: "cases" });
    await selectAll();
    await type("delgado");
    await enter();
    expect(app.route).toEqual({ name: "case", id: "2", tab: "overview" });
  });

  it("shows a new case not created yet, which Continue opens", async () => {
    list.mockResolvedValue([]);
    app.closeAll();
    app.newCase();
    app.draft!.doc.member.name = "Rosa María Núñez-O'Brien";
    app.draft!.doc.case.title = "MRI refused";
    app.route = { name: "cases" };
    await showCases();
    expect(screen.getByTestId("case-draft").textContent).toContain("Draft: Rosa María Núñez-O'Brien — MRI refused");
    expect(screen.getByTestId("empty-state")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("case-draft-continue"));
    expect(app.route).toEqual({ name: "case", id: null, tab: "overview" });
    expect(app.session?.doc.case.title).toBe("MRI refused");
    app.closeAll();
  });

  it("offers the demo case on first run, and opens it", async () => {
    list.mockResolvedValue([]);
    vi.mocked(commands.loadDemo).mockResolvedValue(detail("demo"));
    vi.mocked(commands.getCase).mockResolvedValue(detail("demo"));
    await showCases();
    expect(screen.getByTestId("empty-state").textContent).toContain("No cases yet");
    await fireEvent.click(screen.getByTestId("empty-load-demo"));
    await vi.waitFor(() => expect(app.route).toEqual({ name: "case", id: "demo", tab: "overview" }));
    expect(app.sessions.get("demo")?.doc.member.name).toBe("Walter Hayes");
  });

  it("says so plainly when the cases cannot be listed", async () => {
    list.mockRejectedValue({ kind: "store", message: "database is locked", problems: [] });
    await showCases();
    expect(screen.getByTestId("offline-state").textContent).toContain("database is locked");
  });
});
