// The letter cites exhibits by id: typing {{ offers the case's exhibits, the reference shows as a
// chip with what the packet will write, and the preview writes it as the library does.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/svelte";
import CaseScreen from "./CaseScreen.svelte";
import { commands } from "../lib/api";
import type { CaseDoc } from "../lib/api";
import { app } from "../lib/stores/app.svelte";
import { detail } from "../test/sample";
import { focus, press, type } from "../test/keys";

vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));
vi.mock("../lib/pdf", () => ({ openPdf: vi.fn(), renderPage: vi.fn(), firstPageImage: vi.fn(async () => "blob:thumbnail") }));

const save = vi.mocked(commands.saveCase);

function open(): void {
  const d = detail();
  d.doc.exhibit[1].id = "log-a";
  app.closeAll();
  app.adopt(d);
  app.route = { name: "case", id: d.id, tab: "letter" };
  render(CaseScreen, { props: { tab: "letter" } });
}

const letter = () => screen.getByTestId("letter-text") as HTMLTextAreaElement;
const chips = () => screen.queryAllByTestId("letter-citation").map((c) => c.textContent?.replace(/\s+/g, " ").trim());

beforeEach(() => {
  app.now = new Date(2026, 10, 26, 10, 0);
  app.toasts = [];
  save.mockImplementation(async (_id, doc: CaseDoc) => ({ ...detail(), doc: structuredClone(doc) }));
});
afterEach(() => vi.clearAllMocks());

describe("citing an exhibit in the letter", () => {
  it("offers the exhibits in packet order after {{ and writes the one picked, giving it an id", async () => {
    open();
    await focus(letter());
    await type("See {{");
    const offered = screen.getAllByTestId("letter-offer-exhibit").map((o) => o.textContent?.replace(/\s+/g, " ").trim());
    expect(offered).toEqual(["Exhibit 1 · Log A {{exhibit:log-a}}", "Exhibit 2 · Note B gets an id", "Exhibit 3 · Photo C gets an id"]);
    await press("ArrowDown");
    await press("Enter");
    expect(letter().value).toBe("See {{exhibit:note-b}}");
    expect(app.sessions.get("c1")?.doc.exhibit[0].id ?? null).toBe("note-b");
    expect(screen.queryByTestId("letter-offer")).toBeNull();
    expect(chips()).toEqual(["note-b → Exhibit 2"]);
    expect(screen.getByTestId("letter-preview").textContent).toContain("See Exhibit 2");
  });

  it("narrows the offer as the id is typed and marks a citation of no exhibit", async () => {
    open();
    await focus(letter());
    await type("{{exhibit:log");
    expect(screen.getAllByTestId("letter-offer-exhibit")).toHaveLength(1);
    await press("Escape");
    await type("-a}} and {{exhibit:walk-test}}");
    expect(chips()).toEqual(["log-a → Exhibit 1", "walk-test → no exhibit has this id: the packet will not build"]);
    expect(screen.getByTestId("letter-preview").textContent).toContain("Exhibit 1 and {{exhibit:walk-test}}");
  });
});
