import { describe, expect, it } from "vitest";
import type { DeadlineStatus } from "./bindings.gen";
import { calendarDaysBetween, countdown, formatBytes, formatDue, formatMoment, localMinute, msUntil, parseDate, parseMoment, sameMoment } from "./format";

// Local wall-clock times: the countdowns are about the user's own day.
const at = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min);
const dl = (due: string, due_time: string | null = null, status: DeadlineStatus = "open", days_left = 0) => ({ due, due_time, status, days_left });

describe("countdown", () => {
  const now = at(2026, 11, 26, 10, 0);

  it("calls a deadline done late missed, not overdue by a growing count", () => {
    expect(countdown({ ...dl("2026-11-11"), closed: true }, now)).toEqual({ text: "Missed: done late", status: "overdue" });
    expect(countdown({ ...dl("2026-11-11"), closed: false }, now).text).toBe("Overdue by 15 days");
  });

  it("counts calendar days to a date deadline", () => {
    expect(countdown(dl("2026-12-08"), now)).toEqual({ text: "12 days left", status: "open" });
  });

  it("says due soon within seven days, with singular day", () => {
    expect(countdown(dl("2026-12-03"), now)).toEqual({ text: "7 days left", status: "due-soon" });
    expect(countdown(dl("2026-11-27"), now)).toEqual({ text: "1 day left", status: "due-soon" });
  });

  it("says due today on the last day, whatever the hour", () => {
    expect(countdown(dl("2026-11-26"), at(2026, 11, 26, 23, 59))).toEqual({ text: "Due today", status: "due-soon" });
  });

  it("counts overdue days", () => {
    expect(countdown(dl("2026-11-23"), now)).toEqual({ text: "Overdue by 3 days", status: "overdue" });
    expect(countdown(dl("2026-11-25"), now)).toEqual({ text: "Overdue by 1 day", status: "overdue" });
  });

  it("counts hours for an hour rule", () => {
    expect(countdown(dl("2026-11-27", "2026-11-27T06:00"), now)).toEqual({ text: "Due in 20 h", status: "due-soon" });
    expect(countdown(dl("2026-11-26", "2026-11-26T10:30"), now)).toEqual({ text: "Due in under 1 h", status: "due-soon" });
  });

  it("accepts the shell's seconds in due_time", () => {
    expect(countdown(dl("2026-11-28", "2026-11-28T17:00:00"), now)).toEqual({ text: "2 days left", status: "open" });
    expect(countdown(dl("2026-11-27", "2026-11-27T17:00:00"), now)).toEqual({ text: "Due in 31 h", status: "open" });
  });

  it("says overdue in hours, then days, for an hour rule", () => {
    expect(countdown(dl("2026-11-26", "2026-11-26T07:00"), now)).toEqual({ text: "Overdue by 3 h", status: "overdue" });
    expect(countdown(dl("2026-11-05", "2026-11-05T17:00"), now)).toEqual({ text: "Overdue by 20 days", status: "overdue" });
  });

  it("shows a met deadline as met", () => {
    expect(countdown(dl("2026-11-01", null, "met"), now)).toEqual({ text: "Met", status: "met" });
  });

  it("falls back to the app's day count when the date cannot be read", () => {
    expect(countdown(dl("soon", null, "open", 40), now)).toEqual({ text: "40 days left", status: "open" });
  });

  it("orders deadlines by time left, date deadlines ending at the end of their day", () => {
    const a = msUntil(dl("2026-11-26"), now);
    const b = msUntil(dl("2026-11-26", "2026-11-26T17:00"), now);
    expect(b).toBeLessThan(a);
    expect(a).toBe(14 * 3600_000);
  });
});

describe("dates and moments", () => {
  it("reads real calendar dates only", () => {
    expect(parseDate("2024-02-29")?.getDate()).toBe(29);
    expect(parseDate("2025-02-29")).toBeNull();
    expect(parseDate("2025-13-01")).toBeNull();
    expect(parseDate("09/10/2025")).toBeNull();
  });

  it("reads the moments case.toml allows", () => {
    expect(parseMoment("2025-09-03")?.getHours()).toBe(0);
    expect(parseMoment("2025-09-03T10:15")?.getMinutes()).toBe(15);
    expect(parseMoment("2025-09-03T10:15:30")?.getSeconds()).toBe(30);
    expect(parseMoment("2025-09-03T10:15:00-05:00")?.getHours()).toBe(10);
    expect(parseMoment("2025-09-03 10:15")?.getHours()).toBe(10);
    expect(parseMoment("2025-09-03T25:15")).toBeNull();
    expect(parseMoment("yesterday")).toBeNull();
  });

  it("counts calendar days across a month end", () => {
    expect(calendarDaysBetween(at(2026, 11, 30, 23), at(2026, 12, 1, 1))).toBe(1);
  });

  it("matches the same minute however it is written", () => {
    expect(sameMoment("2026-11-02T11:15", "2026-11-02 11:15:00")).toBe(true);
    expect(sameMoment("2026-11-02T11:15", "2026-11-02T11:16")).toBe(false);
  });

  it("writes now for the log and dues for people", () => {
    expect(localMinute(at(2026, 1, 5, 7, 3))).toBe("2026-01-05T07:03");
    expect(formatDue({ due: "2026-11-05", due_time: "2026-11-05T17:00:00" })).toBe("2026-11-05 17:00");
    expect(formatDue({ due: "2027-01-18", due_time: null })).toBe("2027-01-18");
    expect(formatMoment("2026-11-14")).toBe("2026-11-14");
    expect(formatMoment("2026-11-02T11:15")).toBe("2026-11-02 11:15");
  });

  it("sizes files", () => {
    expect(formatBytes(900)).toBe("900 B");
    expect(formatBytes(420_000)).toBe("410 KB");
    expect(formatBytes(629_146)).toBe("614 KB");
    expect(formatBytes(1_572_864)).toBe("1.5 MB");
  });
});
