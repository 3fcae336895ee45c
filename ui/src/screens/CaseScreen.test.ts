import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { tick } from "svelte";
import CaseScreen from "./CaseScreen.svelte";
import MarkdownPreview from "../components/MarkdownPreview.svelte";
import Sidebar from "../components/Sidebar.svelte";
import Toasts from "../components/Toasts.svelte";
import { commands, shell } from "../lib/api";
import type { AddedDocuments, CaseDetail, CaseDoc, PacketView, ProgressView } from "../lib/api";
import { app, AUTOSAVE_MS, type Tab } from "../lib/stores/app.svelte";
import { detail, overview } from "../test/sample";
import { enter, focus, leave, paste, press, selectAll, type } from "../test/keys";

// The IPC boundary: the shell's commands and native helpers are stubbed, the UI logic is real.
vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));

// pdf.js needs a real canvas; the thumbnails' drawing is not what these tests look at.
vi.mock("../lib/pdf", () => ({ openPdf: vi.fn(), renderPage: vi.fn(), firstPageImage: vi.fn(async () => "blob:thumbnail") }));

const save = vi.mocked(commands.saveCase);

/** What adding documents returns when every file is added. */
function addedAll(d: CaseDetail, added: string[]): AddedDocuments {
  return { detail: d, added, refused: [], dates: [] };
}

function packetView(over: Partial<PacketView> = {}): PacketView {
  return { path: "/p/packet.pdf", pages: 24, bytes: 629146, sha256: "a".repeat(64), sections: [{ kind: "cover", title: "Cover", first_page: 1, pages: 1 }], warnings: [], built: "2026-11-25T16:40", volumes: [], profile: "", ...over };
}

/** The case as the shell would return it after saving `doc`. */
function saved(doc: CaseDoc, base: CaseDetail = detail()): CaseDetail {
  return { ...base, doc: structuredClone(doc) };
}

function open(tab: Tab, d: CaseDetail = detail()): void {
  app.closeAll();
  app.adopt(d);
  app.route = { name: "case", id: d.id, tab };
  render(CaseScreen, { props: { tab } });
}

beforeEach(() => {
  app.now = new Date(2026, 10, 26, 10, 0);
  app.toasts = [];
  vi.mocked(commands.documentBytes).mockResolvedValue(new ArrayBuffer(0));
  save.mockImplementation(async (_id, doc) => saved(doc));
});
afterEach(() => vi.clearAllMocks());

describe("the identifiers form", () => {
  it("shows the library's problem under member.dob after Save, linked to the input", async () => {
    save.mockRejectedValueOnce({ kind: "invalid", message: "case.toml has 1 problem", problems: [{ location: "member.dob", message: "`1947-02-30` is not a date (expected YYYY-MM-DD)" }] });
    open("overview");
    const dob = screen.getByTestId("field-member.dob") as HTMLInputElement;
    await fireEvent.input(dob, { target: { value: "1947-02-30" } });
    await fireEvent.click(screen.getByTestId("save-case"));
    await vi.waitFor(() => expect(screen.getByTestId("problem-member.dob").textContent).toContain("is not a date"));
    expect(dob.getAttribute("aria-invalid")).toBe("true");
    expect(dob.getAttribute("aria-describedby")).toContain(screen.getByTestId("problem-member.dob").id);
    expect(screen.getByTestId("problem-summary").textContent).toContain("member.dob");
    expect(screen.getByTestId("unsaved-indicator").dataset.dirty).toBe("true");

    // Editing the field retires the library's message; the UI's own check takes over.
    await fireEvent.input(dob, { target: { value: "1947-03-14" } });
    expect(screen.queryByTestId("problem-member.dob")).toBeNull();
  });

  it("checks the NPI's check digit once the field is left", async () => {
    open("overview");
    const npi = screen.getByTestId("field-provider.npi");
    await fireEvent.input(npi, { target: { value: "1234567890" } });
    expect(screen.queryByTestId("problem-provider.npi")).toBeNull();
    await fireEvent.blur(npi);
    expect(screen.getByTestId("problem-provider.npi").textContent).toContain("check digit");
    await fireEvent.input(npi, { target: { value: "1234567893" } });
    expect(screen.queryByTestId("problem-provider.npi")).toBeNull();
  });

  it("saves the edited document and shows the fresh deadlines", async () => {
    open("overview");
    await fireEvent.input(screen.getByTestId("field-case.reference"), { target: { value: "  NEW-REF " } });
    expect(screen.getByTestId("deadlines-stale")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("save-case"));
    await vi.waitFor(() => expect(save).toHaveBeenCalledOnce());
    const [id, doc] = save.mock.calls[0];
    expect(id).toBe("c1");
    expect(doc.case.reference).toBe("NEW-REF");
    expect(doc.case.received_date).toBeNull();
    await vi.waitFor(() => expect(screen.getByTestId("unsaved-indicator").dataset.dirty).toBe("false"));
    const row = screen.getByTestId("deadline-row");
    expect(within(row).getByTestId("deadline-citation").textContent).toBe("42 CFR 422.582(b), (b)(1)");
    expect(within(row).getByTestId("countdown").textContent).toBe("53 days left");
    expect(within(row).getByTestId("deadline-basis").textContent).toBe("Counted from receipt presumed 2026-11-19, 5 days after the notice date 2026-11-14");
    expect(within(row).getAllByTestId("deadline-warning").map((w) => w.textContent?.trim())).toEqual(["Warning: falls on Martin Luther King Jr. Day (federal holiday): file earlier"]);
    expect(screen.getByTestId("notice-governs").textContent).toContain("The deadline stated on your notice governs.");
  });
});

describe("typing an NPI", () => {
  it("keeps a pasted or typed NPI with dashes whole, and saves its digits", async () => {
    open("overview");
    const npi = screen.getByTestId("field-provider.npi") as HTMLInputElement;
    await focus(npi);
    await selectAll();
    await paste("123-456-7893");
    expect(npi.value).toBe("123-456-7893");
    await selectAll();
    await type("123 456 7893");
    expect(npi.value).toBe("123 456 7893");
    await leave();
    expect(npi.value).toBe("1234567893");
    expect(screen.queryByTestId("problem-provider.npi")).toBeNull();
    await fireEvent.click(screen.getByTestId("save-case"));
    await vi.waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls.at(-1)![1].provider!.npi).toBe("1234567893");
  });
});

describe("saving every edit", () => {
  const titleOf = (file: string) => within(screen.getAllByTestId("exhibit-row").find((r) => r.dataset.file === file)!).getByTestId("exhibit-title") as HTMLInputElement;

  it("saves a document's title once typing pauses, without Save", async () => {
    open("documents");
    await focus(titleOf("docs/b.pdf"));
    await type(" (follow-up)");
    expect(save).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(save).toHaveBeenCalledOnce(), { timeout: AUTOSAVE_MS + 2000 });
    expect(save.mock.calls[0][1].exhibit.find((e) => e.file === "docs/b.pdf")!.title).toBe("Note B (follow-up)");
    await vi.waitFor(() => expect(screen.getByTestId("unsaved-indicator").dataset.dirty).toBe("false"));
    // What was typed stays as typed: the field was not reset under the caret.
    expect(titleOf("docs/b.pdf").value).toBe("Note B (follow-up)");
    expect(app.toasts.filter((t) => t.kind === "error")).toEqual([]);
  });

  it("saves at once when the field is left, and a reading too", async () => {
    open("readings");
    await fireEvent.click(screen.getByTestId("add-spo2"));
    const percent = screen.getByLabelText("Reading 1: SpO2 percent") as HTMLInputElement;
    await focus(percent);
    await type("86");
    expect(save).not.toHaveBeenCalled();
    await leave();
    await vi.waitFor(() => expect(save).toHaveBeenCalledOnce(), { timeout: AUTOSAVE_MS / 2 });
    expect(save.mock.calls[0][1].spo2[0]).toMatchObject({ percent: 86, activity: "rest" });
  });

  it("saves before the window closes, and asks before losing what cannot be saved", async () => {
    await app.start();
    const mayClose = vi.mocked(shell.onCloseRequested).mock.calls.at(-1)![0];
    open("documents");
    await focus(titleOf("docs/a.pdf"));
    await type("!");
    expect(await mayClose()).toBe(true);
    expect(save).toHaveBeenCalledOnce();
    expect(save.mock.calls[0][1].exhibit.find((e) => e.file === "docs/a.pdf")!.title).toBe("Log A!");
    expect(shell.confirm).not.toHaveBeenCalled();

    // A date that is not a date cannot be saved: closing asks, and "Keep working" keeps it open.
    const date = within(screen.getAllByTestId("exhibit-row").find((r) => r.dataset.file === "docs/a.pdf")!).getByTestId("exhibit-date") as HTMLInputElement;
    await focus(date);
    await selectAll();
    await type("2026-13-45");
    expect(screen.getByTestId("unsaved-indicator").textContent).toContain("Not saved: 1 problem to fix");
    vi.mocked(shell.confirm).mockResolvedValueOnce(false);
    expect(await mayClose()).toBe(false);
    expect(vi.mocked(shell.confirm).mock.calls[0][0]).toContain("Walter Hayes");
    expect(save).toHaveBeenCalledOnce();
  });
});

describe("numbers that are not numbers", () => {
  it("names “45 days” at the days field and creates nothing until it is fixed", async () => {
    vi.mocked(commands.listCases).mockResolvedValue([]);
    app.closeAll();
    app.newCase();
    app.route = { name: "case", id: null, tab: "overview" };
    render(CaseScreen, { props: { tab: "overview" } });
    Object.assign(app.draft!.doc.case, { title: "Home health visits cut", notice_date: "2026-11-14", kind: "regulator-complaint" });
    Object.assign(app.draft!.doc.member, { name: "Ana Ruiz", dob: "1950-03-04", member_id: "AR-4471", payer: "Lakeside" });
    await fireEvent.change(screen.getByTestId("field-case.program"), { target: { value: "state-doi" } });
    const days = screen.getByTestId("field-case.contract_days") as HTMLInputElement;
    await focus(days);
    await type("45 days");
    await leave();
    const said = "“45 days” is not a number: type just the days, e.g. 45";
    expect(screen.getByTestId("problem-case.contract_days").textContent).toContain(said);
    expect(days.value).toBe("45 days");
    expect(days.getAttribute("aria-invalid")).toBe("true");
    await fireEvent.click(screen.getByTestId("save-case"));
    expect(commands.createCase).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(screen.getByTestId("problem-summary").textContent).toContain(said));
    expect(app.toasts.some((t) => t.kind === "error" && t.message.startsWith("Creating the case failed"))).toBe(true);
    // Fixed: the case is created with its days, and the notice of the failure goes.
    const created = detail("c9");
    vi.mocked(commands.createCase).mockResolvedValue(created);
    vi.mocked(commands.getCase).mockResolvedValue(created);
    await focus(days);
    await selectAll();
    await type("45");
    await fireEvent.click(screen.getByTestId("save-case"));
    await vi.waitFor(() => expect(commands.createCase).toHaveBeenCalledOnce());
    expect(vi.mocked(commands.createCase).mock.calls[0][0].case.contract_days).toBe(45);
    expect(app.toasts.filter((t) => t.kind === "error")).toEqual([]);
  });

  it("names the column of a reading that is not a number, and saves nothing meanwhile", async () => {
    open("readings");
    await fireEvent.click(screen.getByTestId("add-spo2"));
    const percent = screen.getByLabelText("Reading 1: SpO2 percent") as HTMLInputElement;
    await focus(percent);
    await type("87%");
    await leave();
    expect(document.body.textContent).toContain("SpO2 %: “87%” is not a number: type just the number, e.g. 94");
    expect(screen.getByTestId("unsaved-indicator").textContent).toContain("Not saved: 1 problem to fix");
    await new Promise((r) => setTimeout(r, AUTOSAVE_MS + 50));
    expect(save).not.toHaveBeenCalled();
    await focus(percent);
    await selectAll();
    await type("87");
    await leave();
    await vi.waitFor(() => expect(save).toHaveBeenCalledOnce());
    expect(save.mock.calls[0][1].spo2[0].percent).toBe(87);
  });
});

describe("a failed save's notice", () => {
  it("goes once a save succeeds", async () => {
    open("overview");
    const title = screen.getByTestId("field-case.title") as HTMLInputElement;
    await focus(title);
    await type("!");
    save.mockRejectedValueOnce({ kind: "invalid", message: "1 problem", problems: [{ location: "case.notice_date", message: "not a date" }] });
    expect(await app.save()).toBe(false);
    expect(app.toasts.filter((t) => t.kind === "error").map((t) => t.message)).toEqual(["Saving the case failed: 1 problem needs fixing (listed at the top of the case)."]);
    // The next save (the field left) succeeds.
    await leave();
    await vi.waitFor(() => expect(save).toHaveBeenCalledTimes(2));
    await vi.waitFor(() => expect(app.toasts.filter((t) => t.kind === "error")).toEqual([]));
  });
});

describe("forms half typed", () => {
  it("ask before the window closes, naming the log entry not yet added", async () => {
    await app.start();
    const mayClose = vi.mocked(shell.onCloseRequested).mock.calls.at(-1)![0];
    open("log");
    await focus(screen.getByTestId("log-summary"));
    await type("Called member services, they hung up");
    vi.mocked(shell.confirm).mockResolvedValueOnce(false);
    expect(await mayClose()).toBe(false);
    expect(vi.mocked(shell.confirm).mock.calls[0][0]).toBe("Unsaved changes in Walter Hayes (a log entry not yet added) would be lost. Close Redress anyway?");
    expect(save).not.toHaveBeenCalled();
  });

  it("keep the submission being recorded across a look at another tab", async () => {
    const d = detail();
    d.packet = packetView({ sections: [] });
    vi.mocked(commands.packetBytes).mockReturnValue(new Promise(() => {}));
    app.closeAll();
    app.adopt(d);
    app.route = { name: "case", id: d.id, tab: "packet" };
    const view = render(CaseScreen, { props: { tab: "packet" } });
    await focus(screen.getByTestId("submission-to"));
    await type("Lakeshore appeals fax 312-555-0199");
    await view.rerender({ tab: "letter" });
    await view.rerender({ tab: "packet" });
    expect((screen.getByTestId("submission-to") as HTMLInputElement).value).toBe("Lakeshore appeals fax 312-555-0199");
    expect(app.session!.pendingForms()).toEqual(["a submission not yet recorded"]);
  });
});

describe("messages", () => {
  it("puts a space after “Error:”", () => {
    app.toasts = [];
    render(Toasts);
    app.toast("Adding scan.pdf failed: it is damaged", "error");
    return tick().then(() => expect(screen.getByTestId("toast").textContent).toContain("Error: Adding scan.pdf"));
  });

  it("adds the good files and names each one that was not added", async () => {
    open("documents");
    render(Toasts);
    const after = detail();
    after.doc.exhibit.push({ file: "docs/note.pdf", kind: "progress-note", date: "2026-11-20", title: "note" });
    vi.mocked(commands.addDocuments).mockResolvedValue({
      detail: after,
      added: ["docs/note.pdf"],
      refused: [
        { location: "locked.pdf", message: "is encrypted and needs a password to open", path: "/t/locked.pdf", reason: "needs-password" },
        { location: "order.pdf", message: "is already in the case as exhibit 2 (docs/order.pdf)", path: "/t/order.pdf", reason: "duplicate" },
      ],
      dates: [{ file: "docs/note.pdf", source: "text" }],
    });
    await app.addDocuments(["/t/note.pdf", "/t/locked.pdf", "/t/order.pdf"]);
    await tick();
    expect(screen.getAllByTestId("exhibit-row").map((r) => r.dataset.file)).toContain("docs/note.pdf");
    const text = screen.getAllByTestId("toast").map((t) => t.textContent).join(" | ");
    expect(text).toContain("Added note.pdf.");
    expect(text).toContain("2 files were not added (the others were)");
    expect(text).toContain("locked.pdf is encrypted and needs a password to open");
    expect(text).toContain("order.pdf is already in the case as exhibit 2");
  });

  it("says where each added document's date came from, and asks to check the weak ones, until it is changed", async () => {
    open("documents");
    const after = detail();
    after.doc.exhibit.push({ file: "docs/note.pdf", kind: "progress-note", date: "2026-11-20", title: "note" });
    after.doc.exhibit.push({ file: "docs/scan.pdf", kind: "other", date: "2026-11-24", title: "scan" });
    vi.mocked(commands.addDocuments).mockResolvedValue({
      detail: after,
      added: ["docs/note.pdf", "docs/scan.pdf"],
      refused: [],
      dates: [
        { file: "docs/note.pdf", source: "text" },
        { file: "docs/scan.pdf", source: "modified" },
      ],
    });
    await app.addDocuments(["/t/note.pdf", "/t/scan.pdf"]);
    await tick();
    const row = (file: string) => screen.getAllByTestId("exhibit-row").find((r) => r.dataset.file === file)!;
    const hint = (file: string) => row(file).querySelector(".hint")?.textContent ?? "";
    expect(hint("docs/note.pdf")).toBe("From the document's text");
    expect(hint("docs/scan.pdf")).toBe("From when the file was last changed: check it");
    expect(hint("docs/b.pdf")).toBe("");
    const date = within(row("docs/scan.pdf")).getByTestId("exhibit-date") as HTMLInputElement;
    await focus(date);
    await selectAll();
    await type("2026-11-03");
    await enter();
    await leave();
    expect(hint("docs/scan.pdf")).toBe("");
  });

  it("counts a case just created in the sidebar", async () => {
    vi.mocked(commands.listCases).mockResolvedValue([]);
    app.sessions.clear();
    app.cases = [];
    app.newCase();
    render(Sidebar);
    await tick();
    expect(screen.getByTestId("nav-cases").textContent).toContain("0");
    const created = detail("c9");
    vi.mocked(commands.createCase).mockResolvedValue(created);
    vi.mocked(commands.getCase).mockResolvedValue(created);
    vi.mocked(commands.listCases).mockResolvedValue([overview("c9", "Walter Hayes", null)]);
    Object.assign(app.draft!.doc, structuredClone(created.doc));
    expect(await app.save()).toBe(true);
    await vi.waitFor(() => expect(screen.getByTestId("nav-cases").textContent).toContain("1"));
  });
});

describe("the log", () => {
  it("adds a call with Enter and saves it", async () => {
    open("log");
    const summary = screen.getByTestId("log-summary");
    expect(document.activeElement).toBe(summary);
    expect((screen.getByTestId("log-at") as HTMLInputElement).value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await fireEvent.input(summary, { target: { value: "Called intake; fax received" } });
    await fireEvent.input(screen.getByTestId("log-promised"), { target: { value: "2026-12-01T17:00" } });
    await fireEvent.submit(screen.getByTestId("log-form"));
    await vi.waitFor(() => expect(save).toHaveBeenCalledOnce());
    const doc = save.mock.calls[0][1];
    expect(doc.event.at(-1)).toMatchObject({ kind: "call", summary: "Called intake; fax received", promised: "2026-12-01T17:00", counterpart: null });
    expect((summary as HTMLInputElement).value).toBe("");
  });

  it("refuses an unreadable time, beside the field", async () => {
    open("log");
    await fireEvent.input(screen.getByTestId("log-summary"), { target: { value: "Call" } });
    await fireEvent.input(screen.getByTestId("log-promised"), { target: { value: "next Friday" } });
    await fireEvent.submit(screen.getByTestId("log-form"));
    expect(save).not.toHaveBeenCalled();
    expect(screen.getByTestId("log-promised").getAttribute("aria-invalid")).toBe("true");
  });

  it("lists events newest first and marks the missed promise in words", async () => {
    open("log");
    const events = screen.getAllByTestId("log-event");
    expect(events[0].textContent).toContain("Case file promised");
    expect(events[1].dataset.missed).toBe("true");
    expect(within(events[1]).getByTestId("missed-promise").textContent).toContain("Missed promise");
    expect(within(events[0]).queryByTestId("missed-promise")).toBeNull();
  });
});

describe("the documents", () => {
  it("lists exhibits in packet order with their numbers and reorders within a date", async () => {
    open("documents");
    const files = () => screen.getAllByTestId("exhibit-row").map((r) => `${r.dataset.number}:${r.dataset.file}`);
    expect(files()).toEqual(["1:docs/a.pdf", "2:docs/b.pdf", "3:docs/c.jpg"]);
    const [a, b, c] = screen.getAllByTestId("exhibit-row");
    expect((within(a).getByTestId("exhibit-up") as HTMLButtonElement).disabled).toBe(true);
    expect((within(a).getByTestId("exhibit-down") as HTMLButtonElement).disabled).toBe(true);
    expect((within(b).getByTestId("exhibit-down") as HTMLButtonElement).disabled).toBe(false);
    await fireEvent.click(within(c).getByTestId("exhibit-up"));
    expect(files()).toEqual(["1:docs/a.pdf", "2:docs/c.jpg", "3:docs/b.pdf"]);
    expect(app.session!.doc.exhibit.map((e) => e.file)).toEqual(["docs/c.jpg", "docs/a.pdf", "docs/b.pdf"]);
    expect(screen.getByTestId("unsaved-indicator").dataset.dirty).toBe("true");
  });

  it("keeps a date typed key by key, and re-sorts only when it is committed, keeping the focus", async () => {
    open("documents");
    const files = () => screen.getAllByTestId("exhibit-row").map((r) => `${r.dataset.number}:${r.dataset.file}`);
    const dateOf = (file: string) => within(screen.getAllByTestId("exhibit-row").find((r) => r.dataset.file === file)!).getByTestId("exhibit-date") as HTMLInputElement;
    expect(files()).toEqual(["1:docs/a.pdf", "2:docs/b.pdf", "3:docs/c.jpg"]);
    // The photo was taken earlier than its file said: its date sorts first from the first key on.
    await focus(dateOf("docs/c.jpg"));
    await selectAll();
    await type("2026-10-20");
    expect(dateOf("docs/c.jpg").value).toBe("2026-10-20");
    expect(document.activeElement).toBe(dateOf("docs/c.jpg"));
    expect(files()).toEqual(["1:docs/a.pdf", "2:docs/b.pdf", "3:docs/c.jpg"]);
    await enter();
    expect(files()).toEqual(["1:docs/c.jpg", "2:docs/a.pdf", "3:docs/b.pdf"]);
    expect(document.activeElement).toBe(dateOf("docs/c.jpg"));
    expect(app.session!.doc.exhibit.find((e) => e.file === "docs/c.jpg")!.date).toBe("2026-10-20");

    // Tab to the title: the row re-sorts and the title keeps the focus and the next keys.
    await selectAll();
    await type("2026-10-30");
    const title = within(screen.getAllByTestId("exhibit-row").find((r) => r.dataset.file === "docs/c.jpg")!).getByTestId("exhibit-title") as HTMLInputElement;
    await leave(title);
    expect(files()).toEqual(["1:docs/a.pdf", "2:docs/b.pdf", "3:docs/c.jpg"]);
    expect(document.activeElement).toBe(title);
    await type(" (heel)");
    expect(title.value).toBe("Photo C (heel)");
  });

  it("sets the kind and the date of several selected documents at once, and saves them", async () => {
    open("documents");
    const rows = () => screen.getAllByTestId("exhibit-row");
    const row = (file: string) => rows().find((r) => r.dataset.file === file)!;
    const files = () => rows().map((r) => `${r.dataset.number}:${r.dataset.file}`);
    const picked = () => rows().filter((r) => r.getAttribute("aria-selected") === "true").map((r) => r.dataset.file);
    // Where a person clicks on a row: its file line, not one of its fields.
    const click = (file: string, mods: { shiftKey?: boolean; ctrlKey?: boolean; metaKey?: boolean } = {}) => fireEvent.click(row(file).querySelector(".file")!, mods);
    expect(screen.queryByTestId("bulk-bar")).toBeNull();
    expect(picked()).toEqual([]);

    await click("docs/b.pdf");
    expect(picked()).toEqual(["docs/b.pdf"]);
    expect(screen.getByTestId("bulk-count").textContent).toBe("1 selected");
    await click("docs/c.jpg", { shiftKey: true });
    expect(picked()).toEqual(["docs/b.pdf", "docs/c.jpg"]);
    const bar = screen.getByRole("region", { name: "2 selected" });
    expect(bar).toBe(screen.getByTestId("bulk-bar"));

    // The kind, from the bar's dropdown.
    await fireEvent.change(within(bar).getByLabelText("Kind"), { target: { value: "other" } });
    expect(app.session!.doc.exhibit.map((e) => `${e.file}:${e.kind}`)).toEqual(["docs/b.pdf:other", "docs/a.pdf:oxygen-log", "docs/c.jpg:other"]);
    expect((within(row("docs/b.pdf")).getByTestId("exhibit-kind") as HTMLSelectElement).value).toBe("other");

    // The date, typed key by key: nothing moves until Enter, then both re-sort and stay selected.
    const date = within(bar).getByLabelText("Date") as HTMLInputElement;
    expect(date.value).toBe("2026-10-26");
    await focus(date);
    await selectAll();
    await type("10/20/2026");
    expect(files()).toEqual(["1:docs/a.pdf", "2:docs/b.pdf", "3:docs/c.jpg"]);
    await enter();
    expect(files()).toEqual(["1:docs/b.pdf", "2:docs/c.jpg", "3:docs/a.pdf"]);
    expect(picked()).toEqual(["docs/b.pdf", "docs/c.jpg"]);
    expect(document.activeElement).toBe(date);
    expect((within(row("docs/c.jpg")).getByTestId("exhibit-date") as HTMLInputElement).value).toBe("2026-10-20");

    // Saved through the same path as any edit, without Save.
    await vi.waitFor(() => expect(save.mock.calls.at(-1)?.[1].exhibit.map((e) => `${e.file}:${e.kind}:${e.date}`)).toEqual(["docs/b.pdf:other:2026-10-20", "docs/a.pdf:oxygen-log:2026-10-25", "docs/c.jpg:other:2026-10-20"]), { timeout: AUTOSAVE_MS + 2000 });
    await vi.waitFor(() => expect(screen.getByTestId("unsaved-indicator").dataset.dirty).toBe("false"));

    // Ctrl+A in a text field selects its text, not the documents.
    await press("a", { ctrl: true });
    expect(picked()).toHaveLength(2);
    // A date that is not one is refused beside the field; nothing changes.
    await selectAll();
    await type("2026-13-01");
    await enter();
    expect(screen.getByTestId("bulk-date-error").textContent).toContain("is not a date");
    expect(date.getAttribute("aria-invalid")).toBe("true");
    expect(app.session!.doc.exhibit.every((e) => e.date !== "2026-13-01")).toBe(true);
  });

  it("selects with the keyboard and Ctrl-click: the row's checkbox, Ctrl+A, Escape", async () => {
    open("documents");
    const rows = () => screen.getAllByTestId("exhibit-row");
    const picked = () => rows().filter((r) => r.getAttribute("aria-selected") === "true").map((r) => r.dataset.file);
    const box = (file: string) => within(rows().find((r) => r.dataset.file === file)!).getByTestId("exhibit-select") as HTMLInputElement;
    expect(screen.getByRole("grid").getAttribute("aria-multiselectable")).toBe("true");

    // Space on a checkbox is a click on it: it toggles that one document.
    await focus(box("docs/a.pdf"));
    await fireEvent.click(box("docs/a.pdf"));
    await fireEvent.click(box("docs/c.jpg"));
    expect(picked()).toEqual(["docs/a.pdf", "docs/c.jpg"]);
    expect(box("docs/c.jpg").checked).toBe(true);
    await fireEvent.click(box("docs/a.pdf"));
    expect(picked()).toEqual(["docs/c.jpg"]);

    await press("a", { ctrl: true });
    expect(picked()).toEqual(["docs/a.pdf", "docs/b.pdf", "docs/c.jpg"]);
    expect(screen.getByTestId("bulk-count").textContent).toBe("3 selected");
    // Cmd-click on a Mac takes one out again.
    await fireEvent.click(rows()[1].querySelector(".file")!, { metaKey: true });
    expect(picked()).toEqual(["docs/a.pdf", "docs/c.jpg"]);
    await press("Escape");
    expect(picked()).toEqual([]);
    expect(screen.queryByTestId("bulk-bar")).toBeNull();

    // Up and Down move between the rows; with Shift they extend the selection.
    await focus(box("docs/a.pdf"));
    await press("ArrowDown");
    expect(document.activeElement).toBe(box("docs/b.pdf"));
    await press("ArrowUp");
    expect(document.activeElement).toBe(box("docs/a.pdf"));
    await press("ArrowDown", { shift: true });
    await press("ArrowDown", { shift: true });
    expect(document.activeElement).toBe(box("docs/c.jpg"));
    expect(picked()).toEqual(["docs/a.pdf", "docs/b.pdf", "docs/c.jpg"]);
    await press("ArrowDown");
    expect(document.activeElement, "the last row keeps the focus").toBe(box("docs/c.jpg"));
    await press("Escape");

    // Clear, from the bar, gives the focus back to the list.
    await fireEvent.click(rows()[0].querySelector(".file")!);
    expect(document.activeElement).toBe(box("docs/a.pdf"));
    await focus(screen.getByTestId("bulk-clear"));
    await fireEvent.click(screen.getByTestId("bulk-clear"));
    await tick();
    expect(picked()).toEqual([]);
    expect(document.activeElement).toBe(box("docs/a.pdf"));
  });

  it("adds dropped files through the window's drop listener, and installs no test hook", async () => {
    vi.mocked(commands.listCases).mockResolvedValue([]);
    await app.start();
    expect("__redressDrop" in window, "a test hook is installed in the app").toBe(false);
    open("documents");
    const after = detail();
    after.doc.exhibit.push({ file: "docs/new-note.pdf", kind: "progress-note", date: "2026-11-20", title: "new note" });
    vi.mocked(commands.addDocuments).mockResolvedValue(addedAll(after, ["docs/new-note.pdf"]));
    app.route = { name: "case", id: "c1", tab: "documents" };
    // The listener the shell's native drop event reaches (the E2E sends that event itself).
    const onDrop = vi.mocked(shell.onFileDrop).mock.calls[0][0];
    onDrop({ type: "drop", paths: ["/home/me/new-note.pdf"] });
    await vi.waitFor(() => expect(commands.addDocuments).toHaveBeenCalledWith("c1", ["/home/me/new-note.pdf"]));
    await vi.waitFor(() => expect(screen.getAllByTestId("exhibit-row").map((r) => r.dataset.file)).toContain("docs/new-note.pdf"));
    // The same listener highlights the drop zone while dragging.
    onDrop({ type: "enter", paths: ["/home/me/photo.jpg"] });
    await tick();
    expect(screen.getByTestId("drop-zone").dataset.active).toBe("true");
    onDrop({ type: "drop", paths: ["/home/me/photo.jpg"] });
    await tick();
    expect(screen.getByTestId("drop-zone").dataset.active).toBe("false");
    await vi.waitFor(() => expect(commands.addDocuments).toHaveBeenLastCalledWith("c1", ["/home/me/photo.jpg"]));
  });

  it("takes no dropped file while the Unlock screen is up", async () => {
    vi.mocked(commands.listCases).mockResolvedValue([]);
    await app.start();
    app.route = { name: "case", id: "c1", tab: "documents" };
    open("documents");
    const onDrop = vi.mocked(shell.onFileDrop).mock.calls[0][0];
    app.gate = "unlock";
    try {
      onDrop({ type: "enter", paths: ["/home/me/photo.jpg"] });
      expect(app.dragging).toBe(false);
      onDrop({ type: "drop", paths: ["/home/me/photo.jpg"] });
      await tick();
      expect(commands.addDocuments).not.toHaveBeenCalled();
    } finally {
      app.gate = "open";
    }
  });

  it("keeps unsaved edits when documents arrive", async () => {
    open("documents");
    app.session!.doc.case.title = "Edited title";
    const after = detail();
    after.doc.exhibit.push({ file: "docs/x.png", kind: "other", date: "2026-11-20", title: "x" });
    vi.mocked(commands.addDocuments).mockResolvedValue(addedAll(after, ["docs/x.png"]));
    await app.addDocuments(["/tmp/x.png"]);
    expect(app.session!.doc.case.title).toBe("Edited title");
    expect(app.session!.doc.exhibit.map((e) => e.file)).toContain("docs/x.png");
  });
});

describe("searching within a case", () => {
  it("finds documents, log entries and readings as the words are typed, and opens the one picked", async () => {
    const d = detail();
    d.doc.spo2 = [{ at: "2026-11-03T08:00", percent: 86, activity: "exertion", oxygen_lpm: null, pulse: null }];
    open("documents", d);
    const find = screen.getByRole("searchbox", { name: "Search this case" }) as HTMLInputElement;
    const found = () => ({
      documents: screen.queryAllByTestId("result-document").map((r) => r.dataset.file),
      log: screen.queryAllByTestId("result-event").map((r) => r.textContent),
      readings: screen.queryAllByTestId("result-reading").map((r) => r.textContent),
    });
    await focus(find);
    await type("denise");
    // What matches replaces the tab while a search is typed.
    expect(screen.queryAllByTestId("exhibit-row")).toHaveLength(0);
    expect(found().documents).toEqual([]);
    expect(found().log).toHaveLength(1);
    expect(found().log[0]).toContain("Decision promised");
    expect(screen.getByTestId("case-results").querySelector("h2")!.textContent).toBe("1 match for “denise”");

    for (const [query, want] of [
      ["LAP-C-1", { documents: [], log: 1, readings: 0 }],
      ["c.jpg", { documents: ["docs/c.jpg"], log: 0, readings: 0 }],
      ["oxygen log", { documents: ["docs/a.pdf"], log: 0, readings: 0 }],
      ["promised", { documents: [], log: 2, readings: 0 }],
      ["exertion", { documents: [], log: 0, readings: 1 }],
      ["nothing like this", { documents: [], log: 0, readings: 0 }],
    ] as const) {
      await selectAll();
      await type(query);
      expect({ documents: found().documents, log: found().log.length, readings: found().readings.length }, query).toEqual(want);
    }
    expect(screen.getByTestId("case-results").textContent).toContain("Nothing in this case matches “nothing like this”");

    await selectAll();
    await type("photo");
    expect(found().documents).toEqual(["docs/c.jpg"]);
    await fireEvent.click(screen.getAllByTestId("result-document")[0]);
    await tick();
    expect(find.value).toBe("");
    expect(screen.getAllByTestId("exhibit-row")).toHaveLength(3);
    const title = within(screen.getAllByTestId("exhibit-row").find((r) => r.dataset.file === "docs/c.jpg")!).getByTestId("exhibit-title");
    expect(document.activeElement).toBe(title);

    // Escape empties the search and brings the tab back.
    await focus(find);
    await type("note");
    expect(found().documents).toEqual(["docs/b.pdf"]);
    await press("Escape");
    expect(find.value).toBe("");
    expect(screen.getAllByTestId("exhibit-row")).toHaveLength(3);
  });
});

describe("the packet", () => {
  it("shows build progress from the events, and a cancelled build as nothing written", async () => {
    let report: (p: ProgressView) => void = () => {};
    vi.mocked(shell.onBuildProgress).mockImplementation(async (cb) => {
      report = cb;
      return () => {};
    });
    let reject: (e: unknown) => void = () => {};
    vi.mocked(commands.buildPacket).mockReturnValue(new Promise((_, r) => (reject = r)));
    open("packet");
    await fireEvent.click(screen.getByTestId("build-packet"));
    await vi.waitFor(() => expect(screen.getByTestId("build-progress")).toBeTruthy());
    report({ done: 3, total: 12, message: "Exhibit 2" });
    await tick();
    const bar = screen.getByTestId("build-progress").querySelector("progress")!;
    expect(bar.value).toBe(3);
    expect(bar.max).toBe(12);
    expect(screen.getByTestId("build-progress").textContent).toContain("Exhibit 2 · 3 of 12 (25%)");
    vi.mocked(commands.cancelBuild).mockResolvedValue(null);
    await fireEvent.click(screen.getByTestId("cancel-build"));
    expect(commands.cancelBuild).toHaveBeenCalled();
    reject({ kind: "cancelled", message: "cancelled", problems: [] });
    await vi.waitFor(() => expect(screen.getByTestId("build-cancelled").textContent).toContain("Build cancelled; nothing was written"));
  });

  it("shows the page count after a build", async () => {
    vi.mocked(commands.buildPacket).mockResolvedValue(packetView());
    vi.mocked(commands.packetBytes).mockReturnValue(new Promise(() => {}));
    open("packet");
    await fireEvent.click(screen.getByTestId("build-packet"));
    await vi.waitFor(() => expect(screen.getByTestId("page-count").textContent).toBe("24"));
    // In decimal units, as the profiles' limits and the list of files say it.
    expect(screen.getByTestId("packet-size").textContent).toBe("629 KB");
    expect(screen.getAllByTestId("section-link")).toHaveLength(1);
  });

  it("offers the destination profiles, remembers the choice and shows the expected volumes before the build", async () => {
    localStorage.removeItem("redress.destinationProfile");
    const portal = { name: "portal-10mb", description: "An upload portal taking 10 MB a file", enforces: ["at most 10.0 MB a file", "safe file names"], fax: false, own: false };
    vi.mocked(commands.profiles).mockResolvedValue([portal, { name: "fax", description: "A fax machine", enforces: ["at most 200 pages a file"], fax: true, own: false }]);
    vi.mocked(commands.estimatePacket).mockImplementation(async (_id, profile) => ({ profile, pages: 412, bytes: 28_400_000, volumes: profile === "portal-10mb" ? 3 : 1 }));
    vi.mocked(commands.buildPacket).mockRejectedValue({ kind: "cancelled", message: "cancelled", problems: [] });
    const d = detail();
    open("packet", d);
    await vi.waitFor(() => expect(screen.getByTestId("packet-estimate").textContent).toBe("Expected: one file, about 412 pages and 28.4 MB."));
    const choice = screen.getByTestId("packet-profile") as HTMLSelectElement;
    expect([...choice.options].map((o) => o.value)).toEqual(["", "portal-10mb", "fax"]);
    await fireEvent.change(choice, { target: { value: "portal-10mb" } });
    await vi.waitFor(() => expect(screen.getByTestId("packet-estimate").textContent).toBe("Expected: 3 volumes, about 412 pages and 28.4 MB in all."));
    expect(commands.estimatePacket).toHaveBeenLastCalledWith(d.id, "portal-10mb");
    expect(screen.getByTestId("profile-enforces").textContent).toBe("at most 10.0 MB a file · safe file names");
    expect(localStorage.getItem("redress.destinationProfile")).toBe("portal-10mb");
    await fireEvent.click(screen.getByTestId("build-packet"));
    await vi.waitFor(() => expect(commands.buildPacket).toHaveBeenCalledWith(d.id, false, false, "portal-10mb"));
    await vi.waitFor(() => expect(screen.getByTestId("build-cancelled")).toBeTruthy());
    localStorage.removeItem("redress.destinationProfile");
  });

  it("lists every volume of a split packet, each shown and saved on its own", async () => {
    const d = detail();
    const vol = (n: number) => ({ path: `/p/hayes-packet-vol${n}-of-2.pdf`, name: `hayes-packet-vol${n}-of-2.pdf`, number: n, of: 2, pages: 12, first_page: n === 1 ? 1 : 13, last_page: n === 1 ? 12 : 24, bytes: 4_200_000, sha256: `${n}`.repeat(64) });
    const sections: PacketView["sections"] = [
      { kind: "cover", title: "Cover", first_page: 1, pages: 1 },
      { kind: "exhibit", title: "Exhibit 1 · Oximetry", first_page: 2, pages: 23 },
    ];
    d.packet = packetView({ path: "/p/hayes-packet-vol1-of-2.pdf", volumes: [vol(1), vol(2)], profile: "portal-10mb", sections });
    vi.mocked(commands.packetBytes).mockReturnValue(new Promise(() => {}));
    vi.mocked(commands.volumeBytes).mockReturnValue(new Promise(() => {}));
    vi.mocked(shell.pickSavePath).mockResolvedValue("/home/you/vol2.pdf");
    vi.mocked(commands.saveVolumeAs).mockResolvedValue("/home/you/vol2.pdf");
    open("packet", d);
    const rows = screen.getAllByTestId("packet-volume");
    expect(rows.map((r) => r.textContent!.replace(/\s+/g, " ").trim())).toEqual([
      "hayes-packet-vol1-of-2.pdf Volume 1 of 2 · pages 1–12 · 4.2 MB Show Save a copy…",
      "hayes-packet-vol2-of-2.pdf Volume 2 of 2 · pages 13–24 · 4.2 MB Show Save a copy…",
    ]);
    expect(screen.queryByTestId("save-copy")).toBeNull();
    await fireEvent.click(within(rows[1]).getByTestId("show-volume"));
    await vi.waitFor(() => expect(commands.volumeBytes).toHaveBeenCalledWith(d.id, 2));
    expect(within(rows[1]).getByTestId("show-volume").getAttribute("aria-pressed")).toBe("true");
    // The sections it holds, at its own pages, under their stamped page numbers.
    const links = screen.getAllByTestId("section-link");
    expect(links.map((l) => [l.getAttribute("data-page"), l.textContent!.replace(/\s+/g, " ").trim()])).toEqual([["1", "Exhibit 1 · Oximetry p. 13–24"]]);
    await fireEvent.click(within(rows[1]).getByTestId("save-volume"));
    await vi.waitFor(() => expect(commands.saveVolumeAs).toHaveBeenCalledWith(d.id, 2, "/home/you/vol2.pdf"));
    expect(shell.pickSavePath).toHaveBeenCalledWith(`${d.doc.member.name.trim().split(/\s+/).pop()}-packet-vol2-of-2.pdf`);
  });

  it("builds the fax preview into its own file and shows it, leaving the packet as it is", async () => {
    const d = detail();
    d.packet = packetView();
    vi.mocked(commands.packetBytes).mockReturnValue(new Promise(() => {}));
    vi.mocked(commands.buildFaxPreview).mockResolvedValue(packetView({ path: "/p/x-fax-preview.pdf", pages: 26, sha256: "f".repeat(64), profile: "fax" }));
    vi.mocked(commands.faxPreviewBytes).mockReturnValue(new Promise(() => {}));
    open("packet", d);
    await fireEvent.click(screen.getByTestId("fax-preview"));
    await vi.waitFor(() => expect(screen.getByTestId("fax-preview-shown").textContent).toContain("Fax preview (26 pages, black and white)"));
    expect(commands.buildFaxPreview).toHaveBeenCalledWith(d.id, false);
    await vi.waitFor(() => expect(commands.faxPreviewBytes).toHaveBeenCalledWith(d.id));
    expect(commands.buildPacket).not.toHaveBeenCalled();
    // The packet's own facts are still those of the packet.
    expect(screen.getByTestId("page-count").textContent).toBe("24");
    await fireEvent.click(screen.getByTestId("back-to-packet"));
    expect(screen.queryByTestId("fax-preview-shown")).toBeNull();
  });

  it("records a submission and saves it with the packet's hash", async () => {
    const d = detail();
    d.packet = packetView({ bytes: 1, sha256: "b".repeat(64), sections: [] });
    vi.mocked(commands.packetBytes).mockReturnValue(new Promise(() => {}));
    open("packet", d);
    await fireEvent.change(screen.getByTestId("submission-method"), { target: { value: "portal" } });
    await fireEvent.input(screen.getByTestId("submission-to"), { target: { value: "Lakeshore appeals portal" } });
    await fireEvent.submit(screen.getByTestId("submission-form"));
    await vi.waitFor(() => expect(save).toHaveBeenCalledOnce());
    expect(save.mock.calls[0][1].submission[0]).toMatchObject({ method: "portal", to: "Lakeshore appeals portal", packet_sha256: "b".repeat(64), confirmation: null });
    // The form is empty again for the next submission, not a copy of this one.
    await vi.waitFor(() => expect((screen.getByTestId("submission-to") as HTMLInputElement).value).toBe(""));
    expect((screen.getByTestId("submission-method") as HTMLSelectElement).value).toBe("fax");
    expect((screen.getByTestId("submission-confirmation") as HTMLInputElement).value).toBe("");
  });

  it("offers the packets folder only when the store is not encrypted, whose files no viewer opens", async () => {
    const d = detail();
    d.packet = packetView({});
    vi.mocked(commands.packetBytes).mockReturnValue(new Promise(() => {}));
    app.protection = "Encrypted";
    try {
      open("packet", d);
      await tick();
      expect(screen.queryByTestId("open-folder")).toBeNull();
      expect(screen.getByTestId("encrypted-packet-hint").textContent).toContain("save a copy");
      expect(screen.getByTestId("save-copy")).toBeTruthy();
    } finally {
      app.protection = "Plain";
    }
  });

  it("shows the packets folder of a plain store", async () => {
    const d = detail();
    d.packet = packetView({});
    vi.mocked(commands.packetBytes).mockReturnValue(new Promise(() => {}));
    open("packet", d);
    await tick();
    expect(screen.getByTestId("open-folder")).toBeTruthy();
    expect(screen.queryByTestId("encrypted-packet-hint")).toBeNull();
  });

  it("after a failed build, marks the packet on disk as the previous build and shows the error once", async () => {
    const d = detail();
    d.packet = packetView({ built: "2026-11-20T09:05" });
    vi.mocked(commands.packetBytes).mockReturnValue(new Promise(() => {}));
    const problem = { location: "exhibit 2 (docs/a.pdf)", message: "is encrypted and needs a password to open" };
    vi.mocked(commands.buildPacket).mockRejectedValue({ kind: "invalid", message: `${problem.location}: ${problem.message}`, problems: [problem] });
    open("packet", d);
    render(Toasts);
    expect(screen.getByTestId("save-copy")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("build-packet"));
    await vi.waitFor(() => expect(screen.getByTestId("build-error")).toBeTruthy());
    // Nothing offers the old file as if it were this build.
    expect(screen.queryByTestId("save-copy")).toBeNull();
    expect(screen.queryByTestId("page-count")).toBeNull();
    expect(screen.getByTestId("previous-packet").textContent).toContain("previous build");
    expect(screen.getByTestId("previous-packet").textContent).toContain("built 2026-11-20 09:05");
    // The problem is said once on the screen, not again in a notice.
    const mentions = document.body.textContent!.split("is encrypted and needs a password").length - 1;
    expect(mentions).toBe(1);
    expect(screen.queryAllByTestId("toast")).toHaveLength(0);
  });
});

describe("the letter preview", () => {
  it("shows what the person typed as text, never as markup", () => {
    const { container } = render(MarkdownPreview, { props: { text: '# Appeal\n\n**<img src=x onerror="alert(1)">** and <script>x()</script>\n\n- one' } });
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("h1")!.textContent).toBe("Appeal");
    expect(container.querySelector("strong")!.textContent).toBe('<img src=x onerror="alert(1)">');
    expect(container.querySelectorAll("li")).toHaveLength(1);
  });

  it("uses the template when the letter is empty", async () => {
    open("letter");
    expect(screen.getByTestId("letter-status").textContent).toContain("template");
    expect(screen.getByTestId("letter-preview").textContent).toContain("Please reconsider.");
    await fireEvent.click(screen.getByTestId("use-template"));
    expect((screen.getByTestId("letter-text") as HTMLTextAreaElement).value).toBe("# Request\n\nPlease reconsider.");
  });
});
