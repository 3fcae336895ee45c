// The confirm view on a reading shaped as the library returns it: each value with its source in
// words and its box on the page, the fields a new case still needs, nothing saved before Create
// case, and the case opening afterwards.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import App from "../App.svelte";
import { commands, shell } from "../lib/api";
import type { CaseDetail, CaseDoc, Prefill } from "../lib/api";
import { app } from "../lib/stores/app.svelte";
import { scannedNotice } from "../test/reading";
import generated from "../lib/fixture.gen.json";

vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));
vi.mock("../lib/pdf", () => ({ openPdf: vi.fn(), renderPage: vi.fn(), firstPageImage: vi.fn(async () => "blob:thumbnail") }));

const CASES = (generated as unknown as { cases: CaseDetail[] }).cases;
const text = (el: Element) => el.textContent?.replace(/\s+/g, " ").trim() ?? "";
const rows = () => screen.getAllByTestId("found-value");
const row = (target: string) => rows().find((r) => r.dataset.target === target)!;

beforeEach(() => {
  // The window past the Unlock screen (a plain store, or one already unlocked).
  app.gate = "open";
  app.closeAll();
  app.reading = null;
  app.toasts = [];
  app.route = { name: "cases" };
  vi.mocked(commands.listCases).mockResolvedValue([]);
  vi.mocked(commands.readNotice).mockResolvedValue(scannedNotice());
  vi.mocked(commands.noticePicture).mockResolvedValue(new Uint8Array([137, 80, 78, 71]).buffer);
  URL.createObjectURL = vi.fn(() => "blob:page");
  URL.revokeObjectURL = vi.fn();
  Element.prototype.scrollIntoView = vi.fn();
  // jsdom measures nothing; the page's width is bound through a ResizeObserver.
  globalThis.ResizeObserver ??= class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  } as unknown as typeof ResizeObserver;
});
afterEach(() => vi.clearAllMocks());

async function dropNotice(): Promise<void> {
  render(App);
  app.onDrop(["/home/you/Downloads/denial-scan.pdf"]);
  await vi.waitFor(() => expect(rows()).toHaveLength(7));
}

describe("confirming what a notice says", () => {
  it("reads a notice dropped on the case list and shows each value with where it came from", async () => {
    await dropNotice();
    expect(commands.readNotice).toHaveBeenCalledWith("/home/you/Downloads/denial-scan.pdf");
    const id = row("member.member_id");
    expect((within(id).getByTestId("value-input") as HTMLInputElement).value).toBe("MAH4417730921");
    expect(text(within(id).getByTestId("value-source"))).toBe("Page 1 · “Member ID: MAH4417730921” · read by OCR, fairly sure");
    expect(text(within(row("case.notice_deadline")).getByTestId("value-source"))).toContain("60 days from the notice date 2026-03-02");
    expect(text(within(id).getByTestId("value-state"))).toBe("Not confirmed yet");
    expect(text(screen.getByTestId("reading-notes"))).toContain("No reference number was found");
    // The scanned page is shown as the picture OCR read, one box per value.
    await vi.waitFor(() => expect(screen.getByTestId("notice-picture")).toBeTruthy());
    expect(commands.noticePicture).toHaveBeenCalledWith("/home/you/Downloads/denial-scan.pdf", 1);
    const boxes = screen.getAllByTestId("notice-box");
    expect(boxes).toHaveLength(7);
    const box = boxes[4].style;
    expect([box.left, box.top, box.width, box.height]).toEqual(["11.765%", "20.909%", "35.294%", "1.818%"]);
  });

  it("highlights a value's box when the value is chosen, and the value when its box is clicked", async () => {
    await dropNotice();
    await vi.waitFor(() => expect(screen.getAllByTestId("notice-box")).toHaveLength(7));
    await fireEvent.focus(within(row("member.name")).getByTestId("value-input"));
    const selected = screen.getAllByTestId("notice-box").filter((b) => b.classList.contains("selected"));
    expect(selected.map((b) => b.dataset.index)).toEqual(["3"]);
    await fireEvent.click(screen.getAllByTestId("notice-box")[1]);
    await vi.waitFor(() => expect(document.activeElement).toBe(within(row("member.payer")).getByTestId("value-input")));
  });

  it("saves nothing until every value is confirmed and the case's own fields are given", async () => {
    const created: CaseDetail = { ...structuredClone(CASES[0]), id: "from-notice" };
    vi.mocked(commands.createCaseFromReading).mockResolvedValue(created);
    vi.mocked(commands.getCase).mockResolvedValue(created);
    await dropNotice();
    const needed = screen.getByTestId("still-needed");
    expect(within(needed).queryByTestId("field-member.dob")).toBeTruthy();
    expect(within(needed).queryByTestId("field-member.member_id")).toBeNull();
    expect((within(needed).getByTestId("field-case.title") as HTMLInputElement).value).toBe("Denial by Lakeside Advantage Plan of 2026-03-02");

    await fireEvent.click(screen.getByTestId("finish-reading"));
    expect(text(screen.getByTestId("undecided-warning"))).toContain("7 values are not confirmed yet");
    expect(commands.createCaseFromReading).not.toHaveBeenCalled();

    // One value corrected, one cleared, the rest kept at once; the date of birth typed.
    const idInput = within(row("member.member_id")).getByTestId("value-input") as HTMLInputElement;
    await fireEvent.input(idInput, { target: { value: "MAH4417730922" } });
    await fireEvent.click(within(row("case.diagnoses")).getByTestId("clear-value"));
    await fireEvent.click(screen.getByTestId("accept-all"));
    expect(text(within(row("case.diagnoses")).getByTestId("value-state"))).toBe("Cleared: it will not be saved");
    const dob = within(needed).getByTestId("field-member.dob") as HTMLInputElement;
    await fireEvent.input(dob, { target: { value: "7/14/1948" } });
    await fireEvent.blur(dob);
    // A field filled in stays where it is (it does not vanish from under the person typing).
    expect(within(needed).getByTestId("field-member.dob")).toBe(dob);
    await fireEvent.click(screen.getByTestId("finish-reading"));

    await vi.waitFor(() => expect(commands.createCaseFromReading).toHaveBeenCalledOnce());
    const [doc, accepted, path] = vi.mocked(commands.createCaseFromReading).mock.calls[0] as [CaseDoc, Prefill[], string | null];
    expect(doc.member.dob).toBe("1948-07-14");
    expect(doc.case.title).toBe("Denial by Lakeside Advantage Plan of 2026-03-02");
    expect(accepted.map((v) => v.target)).toEqual(["case.notice_date", "member.payer", "case.program", "member.name", "member.member_id", "case.notice_deadline"]);
    expect(accepted.find((v) => v.target === "member.member_id")!.value).toBe("MAH4417730922");
    expect(accepted[0].source.text).toBe("Date of this notice: March 2, 2026");
    expect(path).toBe("/home/you/Downloads/denial-scan.pdf");
    // The case opens on its overview, with its deadlines.
    await vi.waitFor(() => expect(app.route).toEqual({ name: "case", id: "from-notice", tab: "overview" }));
    expect(app.reading).toBeNull();
  });

  it("shows the library's refusal beside the value it concerns and keeps everything on screen", async () => {
    vi.mocked(commands.createCaseFromReading).mockRejectedValue({ kind: "invalid", message: "1 problem", problems: [{ location: "case.notice_deadline", message: "2026-05-01 is before nothing" }] });
    await dropNotice();
    await fireEvent.click(screen.getByTestId("accept-all"));
    const dob = within(screen.getByTestId("still-needed")).getByTestId("field-member.dob") as HTMLInputElement;
    await fireEvent.input(dob, { target: { value: "1948-07-14" } });
    await fireEvent.click(screen.getByTestId("finish-reading"));
    await vi.waitFor(() => expect(screen.getByTestId("problem-case.notice_deadline")).toBeTruthy());
    expect(text(screen.getByTestId("problem-case.notice_deadline"))).toContain("2026-05-01 is before nothing");
    expect(app.route).toEqual({ name: "reading" });
    expect(rows()).toHaveLength(7);
  });

  it("says why a file could not be read, and Cancel leaves with nothing saved", async () => {
    vi.mocked(commands.readNotice).mockRejectedValue({ kind: "document", message: "denial.pdf is damaged: its pages cannot be read", problems: [] });
    render(App);
    app.onDrop(["/tmp/denial.pdf"]);
    await vi.waitFor(() => expect(screen.getByTestId("reading-error")).toBeTruthy());
    expect(text(screen.getByTestId("reading-error"))).toContain("its pages cannot be read");
    await fireEvent.click(screen.getByTestId("cancel-reading"));
    expect(app.route).toEqual({ name: "cases" });
    expect(commands.createCaseFromReading).not.toHaveBeenCalled();
  });

  it("adds dropped files to a saved case as before, and reads a notice picked from a case into it", async () => {
    const d = structuredClone(CASES[0]);
    app.adopt(d);
    app.route = { name: "case", id: d.id, tab: "documents" };
    vi.mocked(commands.addDocuments).mockResolvedValue({ detail: d, added: [], refused: [], dates: [] });
    render(App);
    app.onDrop(["/tmp/a.pdf", "/tmp/b.jpg"]);
    expect(commands.addDocuments).toHaveBeenCalledWith(d.id, ["/tmp/a.pdf", "/tmp/b.jpg"]);
    vi.mocked(shell.pickFile).mockResolvedValue("/tmp/notice.pdf");
    vi.mocked(commands.applyReading).mockResolvedValue(d);
    await fireEvent.click(screen.getByTestId("read-notice"));
    await vi.waitFor(() => expect(rows()).toHaveLength(7));
    expect(shell.pickFile).toHaveBeenCalledWith("notice");
    expect(screen.queryByTestId("still-needed")).toBeNull();
    expect(text(within(row("member.payer")).getByTestId("value-source"))).toContain("Replaces “Lakeshore Advantage Plus (HMO)”");
    expect(text(within(row("member.member_id")).getByTestId("value-source"))).not.toContain("Replaces");
    await fireEvent.click(screen.getByTestId("accept-all"));
    await fireEvent.click(screen.getByTestId("finish-reading"));
    await vi.waitFor(() => expect(commands.applyReading).toHaveBeenCalledOnce());
    expect(vi.mocked(commands.applyReading).mock.calls[0][0]).toBe(d.id);
    await vi.waitFor(() => expect(app.route).toEqual({ name: "case", id: d.id, tab: "overview" }));
  });

  it("reads a claim file without pages, and keeps no file with the case made from it", async () => {
    const claim = scannedNotice();
    claim.kind = "claim";
    claim.file_name = "eob.json";
    claim.pages = [];
    claim.values = claim.values.map((v) => ({ ...v, source: { ...v.source, page: null, rect: null, text: "ExplanationOfBenefit.insurance[0].coverage" } }));
    vi.mocked(commands.readClaim).mockResolvedValue(claim);
    vi.mocked(commands.createCaseFromReading).mockResolvedValue({ ...structuredClone(CASES[0]), id: "from-claim" });
    vi.mocked(commands.getCase).mockResolvedValue({ ...structuredClone(CASES[0]), id: "from-claim" });
    render(App);
    app.onDrop(["/home/you/Downloads/eob.json"]);
    await vi.waitFor(() => expect(rows()).toHaveLength(7));
    expect(commands.readNotice).not.toHaveBeenCalled();
    expect(screen.queryByTestId("notice-page")).toBeNull();
    expect(text(within(row("member.member_id")).getByTestId("value-source"))).toBe("“ExplanationOfBenefit.insurance[0].coverage” · from the claim file, fairly sure");
    await fireEvent.click(screen.getByTestId("accept-all"));
    await fireEvent.input(within(screen.getByTestId("still-needed")).getByTestId("field-member.dob"), { target: { value: "1948-07-14" } });
    await fireEvent.click(screen.getByTestId("finish-reading"));
    await vi.waitFor(() => expect(commands.createCaseFromReading).toHaveBeenCalledOnce());
    expect(vi.mocked(commands.createCaseFromReading).mock.calls[0][2]).toBeNull();
  });

  it("refuses a file it does not read, saying what it reads", async () => {
    render(App);
    app.onDrop(["/tmp/notes.txt"]);
    expect(commands.readNotice).not.toHaveBeenCalled();
    expect(app.toasts.at(-1)?.message).toContain("notes.txt is not a notice Redress reads");
    expect(app.route).toEqual({ name: "cases" });
  });
});
