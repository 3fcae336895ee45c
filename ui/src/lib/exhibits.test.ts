import { describe, expect, it } from "vitest";
import { baseName, canMove, exhibitNumbers, formatOfFile, moveWithinDate, packetOrder } from "./exhibits";

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
