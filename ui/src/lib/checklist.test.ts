import { describe, expect, it } from "vitest";
import { codeSpans, countItems, meetsChoices, sentence, STATUS_LABEL, summaryText, toggleMeets } from "./checklist";
import type { ChecklistStatus } from "./bindings.gen";

const items = (statuses: ChecklistStatus[]) => statuses.map((status, i) => ({ id: `item-${i}`, criterion: `Criterion ${i}`, status }));

describe("the checklist's summary", () => {
  it("counts each status and says the met count of the total, then gaps and contradictions", () => {
    const c = countItems(items(["met", "gap", "met", "contradicted", "met", "met", "gap", "met"]));
    expect(c).toEqual({ total: 8, met: 5, gap: 2, contradicted: 1 });
    expect(summaryText(c)).toBe("5 of 8 met, 2 gaps, 1 contradicted");
  });

  it("leaves out what there is none of, and says one gap in the singular", () => {
    expect(summaryText(countItems(items(["met", "met", "met"])))).toBe("3 of 3 met");
    expect(summaryText(countItems(items(["gap", "met"])))).toBe("1 of 2 met, 1 gap");
    expect(summaryText(countItems(items(["contradicted", "contradicted"])))).toBe("0 of 2 met, 2 contradicted");
  });

  it("names every status in words", () => {
    expect(STATUS_LABEL).toEqual({ met: "Met", gap: "Gap", contradicted: "Contradicted" });
  });

  it("starts a note with a capital, as a sentence", () => {
    expect(sentence("the signed order is Exhibit 4")).toBe("The signed order is Exhibit 4");
    expect(sentence("")).toBe("");
  });

  it("splits a note's `code` spans so they can be set apart", () => {
    expect(codeSpans("add the event or list this item in its `meets`")).toEqual(["add the event or list this item in its ", "meets", ""]);
  });
});

describe("what an exhibit meets", () => {
  const list = items(["met", "gap", "gap"]);

  it("offers every item of the checklist, checked where the exhibit lists it, and keeps an id the checklist lacks", () => {
    const choices = meetsChoices(list, ["item-1", "home-health-homebound"]);
    expect(choices.map((c) => [c.id, c.checked, c.criterion])).toEqual([
      ["item-0", false, "Criterion 0"],
      ["item-1", true, "Criterion 1"],
      ["item-2", false, "Criterion 2"],
      ["home-health-homebound", true, null],
    ]);
  });

  it("puts an item on in the checklist's order and takes one off, keeping the others", () => {
    expect(toggleMeets(list, ["item-2"], "item-0", true)).toEqual(["item-0", "item-2"]);
    expect(toggleMeets(list, ["item-0", "item-2", "stale"], "item-0", false)).toEqual(["item-2", "stale"]);
    expect(toggleMeets(list, undefined, "item-1", true)).toEqual(["item-1"]);
    expect(toggleMeets(list, ["item-1"], "item-1", true)).toEqual(["item-1"]);
  });
});
