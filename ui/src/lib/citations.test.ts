import { describe, expect, it } from "vitest";
import { openReference, references, resolve, suggestId } from "./citations";

describe("a letter's citations of exhibits", () => {
  it("reads references as the library does: one line, closed, trimmed", () => {
    const ids = (t: string) => references(t).map((r) => r.id);
    expect(ids("see {{exhibit:oximetry}} and {{exhibit: order }}.")).toEqual(["oximetry", "order"]);
    expect(ids("{{exhibit:open\n}} then {{exhibit:next}}")).toEqual(["next"]);
    expect(ids("{{exhibit:never closed")).toEqual([]);
  });

  it("writes known ids as the library's citation and leaves an unknown one as typed", () => {
    const citations = new Map([["oximetry", "Exhibit 1"]]);
    expect(resolve("({{exhibit:oximetry}}) and {{exhibit:walk}}", citations)).toEqual("(Exhibit 1) and {{exhibit:walk}}");
  });

  it("notices a reference being typed after {{", () => {
    expect(openReference("see {{", 6)).toEqual({ start: 4, typed: "" });
    expect(openReference("see {{exh", 9)).toEqual({ start: 4, typed: "" });
    expect(openReference("see {{exhibit:ox", 16)).toEqual({ start: 4, typed: "ox" });
    expect(openReference("see {{exhibit:ox}} now", 22)).toBeNull();
    expect(openReference("see {{name", 10)).toBeNull();
  });

  it("suggests an id in the form case.toml accepts, unique in the case", () => {
    expect(suggestId("Overnight pulse oximetry report, room air (scanned)", new Set())).toEqual("overnight-pulse-oximetry-report");
    expect(suggestId("Signed order", new Set(["signed-order"]))).toEqual("signed-order-2");
    expect(suggestId("", new Set())).toEqual("exhibit");
    expect(suggestId("Überweisung", new Set())).toEqual("uberweisung");
  });
});
