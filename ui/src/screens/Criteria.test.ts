// The coverage-criteria screen and what an exhibit meets, on the library's own output for the
// demo case (fixture.gen.json): each item's status in words, its evidence and citation, the
// count summary; ticking a criterion under a document saves it as that exhibit's `meets`.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import CaseScreen from "./CaseScreen.svelte";
import { commands } from "../lib/api";
import type { CaseDetail, CaseDoc } from "../lib/api";
import { app, AUTOSAVE_MS, type Tab } from "../lib/stores/app.svelte";
import generated from "../lib/fixture.gen.json";

vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));
vi.mock("../lib/pdf", () => ({ openPdf: vi.fn(), renderPage: vi.fn(), firstPageImage: vi.fn(async () => "blob:thumbnail") }));

const CASES = (generated as unknown as { cases: CaseDetail[] }).cases;
const demo = (): CaseDetail => structuredClone(CASES[0]);
const save = vi.mocked(commands.saveCase);

function open(d: CaseDetail, tab: Tab): void {
  app.closeAll();
  app.adopt(d);
  app.route = { name: "case", id: d.id, tab };
  render(CaseScreen, { props: { tab } });
}

const text = (el: Element) => el.textContent?.replace(/\s+/g, " ").trim() ?? "";

beforeEach(() => {
  app.now = new Date(2026, 10, 26, 10, 0);
  app.toasts = [];
  vi.mocked(commands.listCases).mockResolvedValue([]);
});
afterEach(() => vi.clearAllMocks());

describe("the coverage-criteria screen", () => {
  it("shows every item of the demo's home-oxygen checklist with its status in words, evidence and citation", () => {
    const d = demo();
    open(d, "criteria");
    const items = screen.getAllByTestId("checklist-item");
    expect(items).toHaveLength(d.checklist!.items.length);
    expect(text(screen.getByTestId("checklist-summary"))).toContain("5 of 6 met, 1 gap");
    const test = items.find((i) => i.dataset.item === "oxygen-qualifying-test")!;
    expect(text(within(test).getByTestId("checklist-status"))).toBe("Met");
    const exhibits = within(test).getAllByTestId("checklist-exhibit").map(text);
    expect(exhibits).toContain("Exhibit 1 · Overnight pulse oximetry report, room air (scanned) (2026-10-25)");
    expect(within(test).getAllByTestId("checklist-evidence").map(text)).toContain("Reading SpO2 88 % at rest on room air, 2026-10-26");
    expect(text(within(test).getByTestId("checklist-citation"))).toContain("LCD L33797, Group I criteria 1, 2 and 4");
    const delivery = items.find((i) => i.dataset.item === "oxygen-delivery")!;
    expect(text(within(delivery).getByTestId("checklist-status"))).toBe("Gap");
    expect(within(delivery).queryAllByTestId("checklist-evidence")).toHaveLength(0);
    // What the person marked is said as such.
    const evaluation = items.find((i) => i.dataset.item === "oxygen-practitioner-evaluation")!;
    expect(text(within(evaluation).getByTestId("checklist-evidence"))).toContain("(you marked it)");
  });

  it("shows no checklist, only a hint, for a case without a checklist service", () => {
    const d = structuredClone(CASES[1]);
    open(d, "criteria");
    expect(screen.queryByTestId("checklist")).toBeNull();
    expect(screen.queryByTestId("checklist-summary")).toBeNull();
    expect(text(screen.getByTestId("checklist-none"))).toContain("Choose what was requested above");
  });

  it("saves a service chosen there and shows the checklist the library returns", async () => {
    const d = structuredClone(CASES[1]);
    save.mockImplementation(async (_id, doc: CaseDoc) => ({ ...d, doc: structuredClone(doc), checklist: demo().checklist }));
    open(d, "criteria");
    const picker = screen.getByTestId("field-case.service") as HTMLSelectElement;
    picker.value = "home-oxygen";
    await fireEvent.change(picker);
    expect(screen.getByTestId("checklist-pending")).toBeTruthy();
    await vi.waitFor(() => expect(save).toHaveBeenCalledOnce(), { timeout: AUTOSAVE_MS + 2000 });
    expect(save.mock.calls[0][1].case.service).toBe("home-oxygen");
    await vi.waitFor(() => expect(screen.getAllByTestId("checklist-item").length).toBe(6));
  });
});

describe("what a document meets", () => {
  it("offers the checklist's items by their criterion under each document and saves the one ticked", async () => {
    const d = demo();
    save.mockImplementation(async (_id, doc: CaseDoc) => ({ ...demo(), doc: structuredClone(doc) }));
    open(d, "documents");
    const row = screen.getAllByTestId("exhibit-row").find((r) => r.dataset.file === d.doc.exhibit[3].file)!;
    expect(text(within(row).getByTestId("exhibit-meets-toggle"))).toBe("Coverage criteria it meets: none marked");
    const boxes = within(row).getAllByTestId("exhibit-meets-item") as HTMLInputElement[];
    expect(boxes.map((b) => b.dataset.item)).toEqual(d.checklist!.items.map((i) => i.id));
    expect(text(boxes[5].closest("label")!)).toBe(d.checklist!.items[5].criterion);
    await fireEvent.click(boxes[5]);
    expect(text(within(row).getByTestId("exhibit-meets-toggle"))).toBe(`Coverage criteria it meets: 1 of ${boxes.length}`);
    await vi.waitFor(() => expect(save).toHaveBeenCalledOnce(), { timeout: AUTOSAVE_MS + 2000 });
    const sent = save.mock.calls[0][1].exhibit[3];
    expect(sent.meets).toEqual(["oxygen-delivery"]);
    // The exhibit's id goes with it, as it came.
    expect(sent.id).toBe(d.doc.exhibit[3].id);
    // Ctrl+Z takes the tick back.
    app.undo();
    expect(app.session?.doc.exhibit[3].meets).toEqual([]);
  });

  it("keeps an item another service's checklist named visible, so it can be taken off", () => {
    const d = demo();
    d.doc.exhibit[0].meets = ["home-health-homebound"];
    open(d, "documents");
    const row = screen.getAllByTestId("exhibit-row").find((r) => r.dataset.file === d.doc.exhibit[0].file)!;
    const stale = within(row).getAllByTestId("exhibit-meets-item").find((b) => b.dataset.item === "home-health-homebound") as HTMLInputElement;
    expect(stale.checked).toBe(true);
    expect(text(stale.closest("label")!)).toContain("not an item of this case's checklist");
  });
});

describe("the claim-file request", () => {
  it("shows the library's letter and saves it as PDF where the save dialog says", async () => {
    const d = demo();
    vi.mocked(commands.claimFileLetter).mockResolvedValue("# Request for the claim file\n\nPlease send the case file.");
    vi.mocked((await import("../lib/api")).shell.pickSavePath).mockResolvedValue("/home/me/Hayes-claim-file-request.pdf");
    vi.mocked(commands.saveClaimFileLetter).mockImplementation(async (_id, path) => path);
    open(d, "letter");
    // The template shown is the one for the case's kind.
    expect(screen.getByTestId("letter-preview").textContent).toContain("Letter of medical necessity");
    await fireEvent.click(screen.getByTestId("claim-file-open"));
    await vi.waitFor(() => expect(screen.getByTestId("claim-file")).toBeTruthy());
    expect(commands.claimFileLetter).toHaveBeenCalledWith(d.id);
    expect(screen.getByTestId("letter-preview").textContent).toContain("Please send the case file.");
    await fireEvent.click(screen.getByTestId("claim-file-save"));
    await vi.waitFor(() => expect(commands.saveClaimFileLetter).toHaveBeenCalledWith(d.id, "/home/me/Hayes-claim-file-request.pdf"));
    const { shell } = await import("../lib/api");
    expect(shell.pickSavePath).toHaveBeenCalledWith("Hayes-claim-file-request.pdf", "Save the claim-file request as PDF");
    await vi.waitFor(() => expect(app.toasts.map((t) => t.message)).toContain("Saved the claim-file request to /home/me/Hayes-claim-file-request.pdf."));
    await fireEvent.click(screen.getByTestId("claim-file-close"));
    expect(screen.getByTestId("letter-text")).toBeTruthy();
  });

  it("leaves nothing written when the save dialog is cancelled", async () => {
    vi.mocked(commands.claimFileLetter).mockResolvedValue("# Request");
    vi.mocked((await import("../lib/api")).shell.pickSavePath).mockResolvedValue(null);
    open(demo(), "letter");
    await fireEvent.click(screen.getByTestId("claim-file-open"));
    await vi.waitFor(() => expect(screen.getByTestId("claim-file")).toBeTruthy());
    await fireEvent.click(screen.getByTestId("claim-file-save"));
    await Promise.resolve();
    expect(commands.saveClaimFileLetter).not.toHaveBeenCalled();
  });
});

describe("the coverage-criteria page in the packet", () => {
  beforeEach(() => {
    localStorage.clear();
    app.buildingId = null;
  });

  it("is left out until the person ticks it, then asked for in every build, and remembered", async () => {
    const d = demo();
    vi.mocked(commands.buildPacket).mockReturnValue(new Promise(() => {}));
    open(d, "packet");
    const box = screen.getByTestId("checklist-page") as HTMLInputElement;
    expect(box.checked).toBe(false);
    await fireEvent.click(screen.getByTestId("build-packet"));
    await vi.waitFor(() => expect(commands.buildPacket).toHaveBeenCalledWith(d.id, false, false, ""));
    app.buildingId = null; // that build never ends: let the next one start
    await fireEvent.click(box);
    await fireEvent.click(screen.getByTestId("build-packet"));
    await vi.waitFor(() => expect(commands.buildPacket).toHaveBeenLastCalledWith(d.id, true, false, ""));
    // The choice outlives the screen: opened again, the box is still ticked.
    open(demo(), "packet");
    expect((screen.getAllByTestId("checklist-page").at(-1) as HTMLInputElement).checked).toBe(true);
  });

  it("is not offered, nor asked for, on a case without a checklist", async () => {
    localStorage.setItem("redress.checklistPage", "yes");
    const d = demo();
    d.checklist = null;
    vi.mocked(commands.buildPacket).mockReturnValue(new Promise(() => {}));
    open(d, "packet");
    expect(screen.queryByTestId("checklist-page")).toBeNull();
    await fireEvent.click(screen.getByTestId("build-packet"));
    await vi.waitFor(() => expect(commands.buildPacket).toHaveBeenCalledWith(d.id, false, false, ""));
  });
});
