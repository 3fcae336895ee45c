import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { tick } from "svelte";
import CaseScreen from "./CaseScreen.svelte";
import MarkdownPreview from "../components/MarkdownPreview.svelte";
import { commands, shell } from "../lib/api";
import type { CaseDetail, CaseDoc, ProgressView } from "../lib/api";
import { app, type Tab } from "../lib/stores/app.svelte";
import { detail } from "../test/sample";

// The IPC boundary: the shell's commands and native helpers are stubbed, the UI logic is real.
vi.mock("../lib/api", async (importOriginal) => {
  const real = await importOriginal<typeof import("../lib/api")>();
  const fn = () => vi.fn();
  return {
    ...real,
    isTauri: () => true,
    commands: { listCases: fn(), getCase: fn(), createCase: fn(), saveCase: fn(), addDocuments: fn(), documentBytes: fn(), buildPacket: fn(), cancelBuild: fn(), packetBytes: fn(), savePacketAs: fn(), openPacketFolder: fn(), importFolder: fn(), exportCase: fn(), loadDemo: fn(), rules: fn() },
    shell: { connected: () => true, pickDocuments: fn(), pickFolder: fn(), pickSavePath: fn(), onBuildProgress: vi.fn(async () => () => {}), onFileDrop: vi.fn(async () => () => {}) },
  };
});

// pdf.js needs a real canvas; the thumbnails' drawing is not what these tests look at.
vi.mock("../lib/pdf", () => ({ openPdf: vi.fn(), renderPage: vi.fn(), firstPageImage: vi.fn(async () => "blob:thumbnail") }));

const save = vi.mocked(commands.saveCase);

/** The case as the shell would return it after saving `doc`. */
function saved(doc: CaseDoc, base: CaseDetail = detail()): CaseDetail {
  return { ...base, doc: structuredClone(doc) };
}

function open(tab: Tab, d: CaseDetail = detail()): void {
  app.sessions.clear();
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
    expect(screen.getByTestId("notice-governs").textContent).toContain("The deadline stated on your notice governs.");
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
    expect(within(row).getByTestId("deadline-basis").textContent).toBe("Counted from receipt presumed 2026-11-19, 5 days after the notice date 2026-11-14");
    expect(within(row).getAllByTestId("deadline-warning").map((w) => w.textContent?.trim())).toEqual(["Warning: falls on Martin Luther King Jr. Day (federal holiday): file earlier"]);
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

  it("adds dropped files through the same path as the test hook", async () => {
    vi.mocked(commands.listCases).mockResolvedValue([]);
    await app.start();
    open("documents");
    const after = detail();
    after.doc.exhibit.push({ file: "docs/new-note.pdf", kind: "progress-note", date: "2026-11-20", title: "new note" });
    vi.mocked(commands.addDocuments).mockResolvedValue(after);
    app.route = { name: "case", id: "c1", tab: "documents" };
    await window.__redressDrop!(["/home/me/new-note.pdf"]);
    expect(commands.addDocuments).toHaveBeenCalledWith("c1", ["/home/me/new-note.pdf"]);
    await tick();
    expect(screen.getAllByTestId("exhibit-row").map((r) => r.dataset.file)).toContain("docs/new-note.pdf");
    // The real drop listener feeds the same function, and highlights the drop zone while dragging.
    const onDrop = vi.mocked(shell.onFileDrop).mock.calls[0][0];
    onDrop({ type: "enter", paths: ["/home/me/photo.jpg"] });
    await tick();
    expect(screen.getByTestId("drop-zone").dataset.active).toBe("true");
    onDrop({ type: "drop", paths: ["/home/me/photo.jpg"] });
    await tick();
    expect(screen.getByTestId("drop-zone").dataset.active).toBe("false");
    await vi.waitFor(() => expect(commands.addDocuments).toHaveBeenLastCalledWith("c1", ["/home/me/photo.jpg"]));
  });

  it("keeps unsaved edits when documents arrive", async () => {
    open("documents");
    app.session!.doc.case.title = "Edited title";
    const after = detail();
    after.doc.exhibit.push({ file: "docs/x.png", kind: "other", date: "2026-11-20", title: "x" });
    vi.mocked(commands.addDocuments).mockResolvedValue(after);
    await app.addDocuments(["/tmp/x.png"]);
    expect(app.session!.doc.case.title).toBe("Edited title");
    expect(app.session!.doc.exhibit.map((e) => e.file)).toContain("docs/x.png");
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
    vi.mocked(commands.buildPacket).mockResolvedValue({ path: "/p/packet.pdf", pages: 24, bytes: 629146, sha256: "a".repeat(64), sections: [{ kind: "cover", title: "Cover", first_page: 1, pages: 1 }], warnings: [] });
    vi.mocked(commands.packetBytes).mockReturnValue(new Promise(() => {}));
    open("packet");
    await fireEvent.click(screen.getByTestId("build-packet"));
    await vi.waitFor(() => expect(screen.getByTestId("page-count").textContent).toBe("24"));
    expect(screen.getByTestId("packet-size").textContent).toBe("614 KB");
    expect(screen.getAllByTestId("section-link")).toHaveLength(1);
  });

  it("records a submission and saves it with the packet's hash", async () => {
    const d = detail();
    d.packet = { path: "/p/packet.pdf", pages: 24, bytes: 1, sha256: "b".repeat(64), sections: [], warnings: [] };
    vi.mocked(commands.packetBytes).mockReturnValue(new Promise(() => {}));
    open("packet", d);
    await fireEvent.change(screen.getByTestId("submission-method"), { target: { value: "portal" } });
    await fireEvent.input(screen.getByTestId("submission-to"), { target: { value: "Lakeshore appeals portal" } });
    await fireEvent.submit(screen.getByTestId("submission-form"));
    await vi.waitFor(() => expect(save).toHaveBeenCalledOnce());
    expect(save.mock.calls[0][1].submission[0]).toMatchObject({ method: "portal", to: "Lakeshore appeals portal", packet_sha256: "b".repeat(64), confirmation: null });
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
