import { describe, expect, it } from "vitest";
import { describeDate, isoDate, readDate } from "./format";

const today = new Date(2026, 10, 26, 10, 0);
const iso = (text: string, kind: "date" | "moment" = "date") => readDate(text, kind, today)?.iso ?? null;
const said = (text: string, kind: "date" | "moment" = "date") => {
  const u = readDate(text, kind, today);
  return u ? describeDate(u) : null;
};

describe("dates as people write them", () => {
  it("reads US month/day/year, with a four- or two-digit year", () => {
    expect(iso("11/12/2026")).toBe("2026-11-12");
    expect(iso("11/12/26")).toBe("2026-11-12");
    expect(iso("1/5/2026")).toBe("2026-01-05");
    expect(iso("11-12-2026")).toBe("2026-11-12");
    // A two-digit year more than 10 years ahead is last century's: a date of birth.
    expect(iso("3/14/47")).toBe("1947-03-14");
  });

  it("reads the month by name, before or after the day", () => {
    expect(iso("Nov 14 2026")).toBe("2026-11-14");
    expect(iso("November 14, 2026")).toBe("2026-11-14");
    expect(iso("14 Nov 2026")).toBe("2026-11-14");
    expect(iso("Nov. 14th, 2026")).toBe("2026-11-14");
    expect(iso("sept 3 2026")).toBe("2026-09-03");
    expect(iso("Sat 14 Nov 2026")).toBe("2026-11-14");
  });

  it("reads a time after the day in a date-and-time field", () => {
    expect(iso("11/21/2026 5pm", "moment")).toBe("2026-11-21T17:00");
    expect(iso("11/21/2026 5:30 p.m.", "moment")).toBe("2026-11-21T17:30");
    expect(iso("11/21/2026 12am", "moment")).toBe("2026-11-21T00:00");
    expect(iso("11/21/2026 17:30", "moment")).toBe("2026-11-21T17:30");
    expect(iso("Nov 21, 2026 at 2:15pm", "moment")).toBe("2026-11-21T14:15");
    expect(iso("11/21/2026", "moment")).toBe("2026-11-21");
  });

  it("keeps ISO exactly as written", () => {
    expect(iso("2026-11-21")).toBe("2026-11-21");
    expect(iso("2026-11-21T17:30", "moment")).toBe("2026-11-21T17:30");
    expect(iso("2026-03-06T15:00-05:00", "moment")).toBe("2026-03-06T15:00-05:00");
    expect(iso("2026-11-21 17:30", "moment")).toBe("2026-11-21 17:30");
  });

  it("refuses what is not a real day or time, or is ambiguous", () => {
    for (const t of ["13/45/2026", "2/30/2026", "11/21", "next Friday", "11/21/2026 25:00", "11/21/2026 13pm", "Nov 31 2026", "2026-13-01", "11/12/2"]) {
      expect(iso(t, "moment"), t).toBeNull();
    }
    // A date field takes no time: it is not silently dropped.
    expect(iso("11/21/2026 5pm")).toBeNull();
    expect(iso("2026-11-21T17:30")).toBeNull();
    // What cannot be read stays as typed.
    expect(isoDate("13/45/2026")).toBe("13/45/2026");
  });

  it("says what was understood, with the weekday", () => {
    expect(said("11/21/2026 5pm", "moment")).toBe("Sat 21 Nov 2026, 17:00");
    expect(said("Nov 14 2026")).toBe("Sat 14 Nov 2026");
    expect(said("2026-11-21T17:30", "moment")).toBe("Sat 21 Nov 2026, 17:30");
    expect(said("2026-11-21", "moment")).toBe("Sat 21 Nov 2026");
  });
});
