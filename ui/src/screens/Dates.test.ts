// Dates typed key by key as people write them, in every kind of date field: what was understood
// shows beneath, ISO is stored when the field is committed, and an impossible date stays as typed.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import CaseScreen from "./CaseScreen.svelte";
import { commands } from "../lib/api";
import type { CaseDetail, CaseDoc } from "../lib/api";
import { app, type Tab } from "../lib/stores/app.svelte";
import { detail } from "../test/sample";
import { enter, focus, leave, selectAll, type } from "../test/keys";

vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));
vi.mock("../lib/pdf", () => ({ openPdf: vi.fn(), renderPage: vi.fn(), firstPageImage: vi.fn(async () => "blob:thumbnail") }));

const save = vi.mocked(commands.saveCase);

function saved(doc: CaseDoc, base: CaseDetail = detail()): CaseDetail {
  return { ...base, doc: structuredClone(doc) };
}

function open(tab: Tab, d: CaseDetail = detail()): void {
  app.closeAll();
  app.adopt(d);
  app.route = { name: "case", id: d.id, tab };
  render(CaseScreen, { props: { tab } });
}

const input = (testid: string) => screen.getByTestId(testid) as HTMLInputElement;

/** Replaces what a field holds by typing, as a person does: click, Ctrl+A, the keys. */
async function retype(el: HTMLElement, text: string): Promise<void> {
  await focus(el);
  await selectAll();
  await type(text);
}

beforeEach(() => {
  app.now = new Date(2026, 10, 26, 10, 0);
  app.toasts = [];
  vi.mocked(commands.documentBytes).mockResolvedValue(new ArrayBuffer(0));
  save.mockImplementation(async (_id, doc) => saved(doc));
});
afterEach(() => vi.clearAllMocks());

describe("a date field", () => {
  it("reads 11/21/2026 typed key by key, says what it understood, and stores ISO when left", async () => {
    open("overview");
    const notice = input("field-case.notice_date");
    await retype(notice, "11/21/2026");
    // Nothing the person cannot see is changed while they type.
    expect(notice.value).toBe("11/21/2026");
    expect(screen.getByTestId("field-case.notice_date-understood").textContent).toBe("Understood: Sat 21 Nov 2026");
    expect(notice.getAttribute("aria-describedby")).toContain("-understood");
    await leave();
    expect(notice.value).toBe("2026-11-21");
    expect(screen.getByTestId("field-case.notice_date-understood").textContent).toBe("Understood: Sat 21 Nov 2026");
    expect(screen.queryByTestId("problem-case.notice_date")).toBeNull();
    await vi.waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls.at(-1)![1].case.notice_date).toBe("2026-11-21");
  });

  it("reads the month by name and stores ISO on Enter", async () => {
    open("overview");
    const received = input("field-case.received_date");
    await retype(received, "November 18, 2026");
    expect(screen.getByTestId("field-case.received_date-understood").textContent).toBe("Understood: Wed 18 Nov 2026");
    await enter();
    expect(received.value).toBe("2026-11-18");
    const dob = input("field-member.dob");
    await retype(dob, "14 Mar 1947");
    await leave();
    expect(dob.value).toBe("1947-03-14");
    const deadline = input("field-case.notice_deadline");
    await retype(deadline, "1/12/27");
    await leave();
    expect(deadline.value).toBe("2027-01-12");
  });

  it("keeps an impossible date as typed, with the field's problem", async () => {
    open("overview");
    const notice = input("field-case.notice_date");
    await retype(notice, "13/45/2026");
    expect(screen.queryByTestId("field-case.notice_date-understood")).toBeNull();
    await leave();
    expect(notice.value).toBe("13/45/2026");
    expect(notice.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("problem-case.notice_date").textContent).toContain('"13/45/2026" is not a date: write it as month/day/year (11/21/2026)');
    expect(save).not.toHaveBeenCalled();
  });

  it("reads a date and a time: 11/21/2026 5pm in the prior-authorization request", async () => {
    open("overview");
    const pa = input("field-case.pa_requested");
    await retype(pa, "11/21/2026 5pm");
    expect(screen.getByTestId("field-case.pa_requested-understood").textContent).toBe("Understood: Sat 21 Nov 2026, 17:00");
    await leave();
    expect(pa.value).toBe("2026-11-21T17:00");
  });

  it("offers a calendar, by keyboard too, with an accessible name", async () => {
    open("overview");
    const notice = input("field-case.notice_date");
    const pick = screen.getByRole("button", { name: "Choose Date on the denial notice on a calendar" });
    expect(pick.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(pick);
    const calendar = screen.getByLabelText("Date on the denial notice: pick a day") as HTMLInputElement;
    expect(calendar.type).toBe("date");
    expect(document.activeElement).toBe(calendar);
    expect(calendar.value).toBe("2026-11-14");
    calendar.value = "2026-11-20";
    await fireEvent.change(calendar);
    expect(notice.value).toBe("2026-11-20");
    await fireEvent.keyDown(calendar, { key: "Escape" });
    await vi.waitFor(() => expect(document.activeElement).toBe(notice));
    expect(screen.queryByLabelText("Date on the denial notice: pick a day")).toBeNull();
    // Alt+Down in the field opens it as well; a date-and-time field offers a day and a time.
    await focus(input("field-case.pa_requested"));
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowDown", altKey: true });
    await vi.waitFor(() => expect((document.activeElement as HTMLInputElement).type).toBe("datetime-local"));
  });
});

describe("the other date fields", () => {
  it("a document's date: Nov 14 2026 is stored as 2026-11-14 on Enter", async () => {
    open("documents");
    const row = screen.getAllByTestId("exhibit-row").find((r) => r.dataset.file === "docs/b.pdf")!;
    const date = within(row).getByTestId("exhibit-date") as HTMLInputElement;
    await retype(date, "Nov 14 2026");
    expect(within(row).getByTestId("exhibit-date-understood").textContent).toBe("Understood: Sat 14 Nov 2026");
    await enter();
    expect(date.value).toBe("2026-11-14");
    expect(app.session!.doc.exhibit.find((e) => e.file === "docs/b.pdf")!.date).toBe("2026-11-14");
  });

  it("a reading's time: 11/21/2026 17:30 is stored as 2026-11-21T17:30 when left", async () => {
    open("readings");
    await fireEvent.click(screen.getByTestId("add-spo2"));
    const at = screen.getByLabelText("Reading 1: when") as HTMLInputElement;
    await retype(at, "11/21/2026 17:30");
    expect(at.getAttribute("aria-describedby")).toContain("-understood");
    expect(at.closest("td")!.textContent).toContain("Understood: Sat 21 Nov 2026, 17:30");
    await leave();
    expect(at.value).toBe("2026-11-21T17:30");
    expect(screen.getByRole("button", { name: "Choose reading 1's time on a calendar" })).toBeTruthy();
  });

  it("a submission's time: typed as 11/21/2026 2:15pm, recorded as ISO", async () => {
    open("packet");
    const at = input("submission-at");
    await retype(at, "11/21/2026 2:15pm");
    expect(screen.getByTestId("submission-at-understood").textContent).toBe("Understood: Sat 21 Nov 2026, 14:15");
    await retype(input("submission-to"), "Plan appeals fax");
    await fireEvent.submit(input("submission-to").closest("form")!);
    await vi.waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls.at(-1)![1].submission.at(-1)!.at).toBe("2026-11-21T14:15");
  });
});
