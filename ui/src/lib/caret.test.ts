// The `{{` offer opens where it can be seen: under the caret's line, or over it near the window's bottom.
import { describe, expect, it } from "vitest";
import { placeOffer, placementStyle } from "./caret";

const room = { areaHeight: 512, height: 224, viewTop: 85, viewBottom: 800 };

describe("placing the exhibit offer", () => {
  it("goes under the caret's line where the whole list fits in the window", () => {
    const p = placeOffer({ ...room, line: { top: 40, bottom: 61 }, areaTop: 230 });
    expect(p).toEqual({ below: true, top: 61, maxHeight: 224 });
    expect(placementStyle(p)).toBe("top: 61px; max-height: 224px");
  });

  it("goes over the line at the end of a long letter, near the window's bottom", () => {
    // The text area runs from 230 to 742; the caret's line is its last.
    const p = placeOffer({ ...room, line: { top: 470, bottom: 491 }, areaTop: 230 });
    expect(p).toEqual({ below: false, bottom: 42, maxHeight: 224 });
    expect(placementStyle(p)).toBe("bottom: 42px; max-height: 224px");
  });

  it("counts a caret scrolled out of the text area as at its edge, and is never taller than the room", () => {
    const p = placeOffer({ ...room, line: { top: 900, bottom: 921 }, areaTop: 230 });
    expect(p).toEqual({ below: false, bottom: 0, maxHeight: 224 });
    const tight = placeOffer({ ...room, viewBottom: 600, line: { top: 10, bottom: 31 }, areaTop: 200 });
    expect(tight).toEqual({ below: true, top: 31, maxHeight: 224 });
    // Room for neither whole: the larger side, the list as tall as it leaves.
    const small = placeOffer({ ...room, viewBottom: 450, line: { top: 100, bottom: 121 }, areaTop: 150 });
    expect(small).toEqual({ below: true, top: 121, maxHeight: 171 });
  });

  it("has no style until it is placed", () => {
    expect(placementStyle(null)).toBe("");
  });
});
