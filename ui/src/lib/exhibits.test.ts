import { describe, expect, it } from "vitest";
import { baseName, canMove, exhibitNumbers, formatOfFile, moveWithinDate, NO_SELECTION, packetOrder, selectDocument, selectEvery, setEach, sharedValue } from "./exhibits";

const ex = (file: string, date: string) => ({ file, date });
const list = [ex("c", "2025-09-12"), ex("a", "2025-09-01"), ex("d", "2025-09-12"), ex("b", "2025-09-05"), ex("e", "2025-09-12")];

describe("exhibit numbers", () => {
  it("numbers by date, ties in list order", () => {
    expect(packetOrder(list).map((i) => list[i].file)).toEqual(["a", "b", "c", "d", "e"]);
    expect(exhibitNumbers(list)).toEqual([3, 1, 4, 2, 5]);
  });

  it("handles an empty list", () => {
    expect(exhibitNumbers([])).toEqual([]);
  });
});

describe("reorder within a date", () => {
  it("swaps with the nearest exhibit of the same date, skipping other dates", () => {
    const moved = moveWithinDate(list, 2, -1)!;
    expect(moved.map((e) => e.file)).toEqual(["d", "a", "c", "b", "e"]);
    expect(exhibitNumbers(moved)).toEqual([3, 1, 4, 2, 5]);
    // d is now exhibit 3, c exhibit 4: only the two same-date exhibits traded numbers.
    expect(moved[exhibitNumbers(moved).indexOf(3)].file).toBe("d");
  });

  it("moves down", () => {
    expect(moveWithinDate(list, 2, 1)!.map((e) => e.file)).toEqual(["c", "a", "e", "b", "d"]);
  });

  it("cannot move past the first or last of its date, nor an exhibit alone on its date", () => {
    expect(canMove(list, 0, -1)).toBe(false);
    expect(canMove(list, 0, 1)).toBe(true);
    expect(canMove(list, 4, 1)).toBe(false);
    expect(canMove(list, 1, -1)).toBe(false);
    expect(canMove(list, 1, 1)).toBe(false);
    expect(moveWithinDate(list, 1, 1)).toBeNull();
  });

  it("does not change the list it was given", () => {
    const copy = list.map((e) => e.file);
    moveWithinDate(list, 2, -1);
    expect(list.map((e) => e.file)).toEqual(copy);
  });
});

describe("files", () => {
  it("knows formats by extension and names by path", () => {
    expect(formatOfFile("docs/Scan.PDF")).toBe("pdf");
    expect(formatOfFile("a.jpeg")).toBe("jpeg");
    expect(formatOfFile("fax.tif")).toBe("tiff");
    expect(formatOfFile("IMG_1.HEIC")).toBe("heic");
    expect(formatOfFile("notes.md")).toBe("markdown");
    expect(formatOfFile("x.docx")).toBe("unknown");
    expect(baseName("/home/me/Downloads/order.pdf")).toBe("order.pdf");
    expect(baseName("C:\\Users\\me\\order.pdf")).toBe("order.pdf");
  });
});

describe("selecting documents for a bulk edit", () => {
  const shown = ["a", "b", "c", "d", "e"];
  it("selects one on a click, toggles on Ctrl-click, a range on Shift-click", () => {
    let sel = selectDocument(NO_SELECTION, shown, "b", "only");
    expect(sel).toEqual({ files: ["b"], anchor: "b" });
    sel = selectDocument(sel, shown, "d", "range");
    expect(sel).toEqual({ files: ["b", "c", "d"], anchor: "b" });
    // A range back past the anchor replaces the first.
    sel = selectDocument(sel, shown, "a", "range");
    expect(sel.files).toEqual(["a", "b"]);
    sel = selectDocument(sel, shown, "e", "toggle");
    expect(sel).toEqual({ files: ["a", "b", "e"], anchor: "e" });
    sel = selectDocument(sel, shown, "a", "toggle");
    expect(sel.files).toEqual(["b", "e"]);
    expect(selectDocument(sel, shown, "c", "only").files).toEqual(["c"]);
    expect(selectDocument(NO_SELECTION, shown, "c", "range")).toEqual({ files: ["c"], anchor: "c" });
    expect(selectEvery(shown).files).toEqual(shown);
  });

  it("sets a value on the selected exhibits only, and tells the value they share", () => {
    const out = setEach(list, ["a", "e"], { date: "2025-10-01" });
    expect(out.map((e) => e.date)).toEqual(["2025-09-12", "2025-10-01", "2025-09-12", "2025-09-05", "2025-10-01"]);
    expect(list[1].date).toBe("2025-09-01");
    expect(sharedValue(out, ["a", "e"], "date")).toBe("2025-10-01");
    expect(sharedValue(out, ["a", "b"], "date")).toBe("");
  });
});
