import { describe, expect, it } from "vitest";
import { render } from "@testing-library/svelte";
import LineChart from "../components/LineChart.svelte";
import { extents, linePath, mobilitySeries, niceTicks, scale, spo2Series, timeTicks, woundSeries } from "./charts";

describe("chart series", () => {
  it("marks SpO2 readings by activity, in time order, skipping unreadable rows", () => {
    const s = spo2Series([
      { at: "2025-09-02T10:00", percent: 90, activity: "exertion" },
      { at: "2025-09-01T08:00", percent: 86, activity: "rest", oxygen_lpm: 0 },
      { at: "bad", percent: 80, activity: "sleep" },
    ]);
    expect(s).toHaveLength(1);
    expect(s[0].points.map((p) => [p.y, p.marker])).toEqual([
      [86, "circle"],
      [90, "triangle"],
    ]);
    expect(s[0].points[0].label).toContain("room air");
  });

  it("charts wound area as length × width per site, each site its own dash", () => {
    const s = woundSeries([
      { at: "2025-09-02", site: "left heel", length_cm: 3.1, width_cm: 2.0 },
      { at: "2025-09-09", site: "left heel", length_cm: 2.5, width_cm: 2.0 },
      { at: "2025-09-02", site: "sacrum", length_cm: 1, width_cm: 1.5 },
    ]);
    expect(s.map((x) => x.name)).toEqual(["left heel", "sacrum"]);
    expect(s[0].points.map((p) => p.y)).toEqual([6.2, 5]);
    expect(s[1].points[0].y).toBe(1.5);
    expect(s[0].dash).not.toBe(s[1].dash);
    expect(s[0].points[0].marker).not.toBe(s[1].points[0].marker);
  });

  it("groups mobility scores by instrument and unit", () => {
    const s = mobilitySeries([
      { at: "2025-09-02", instrument: "TUG", value: 24, unit: "s" },
      { at: "2025-09-09", instrument: "TUG", value: 20, unit: "s" },
      { at: "2025-09-02", instrument: "6MWT", value: 210, unit: "m" },
    ]);
    expect(s.map((x) => x.name)).toEqual(["TUG (s)", "6MWT (m)"]);
  });
});

describe("chart geometry", () => {
  it("makes round ticks", () => {
    expect(niceTicks(83, 95, 5)).toEqual([82, 84, 86, 88, 90, 92, 94, 96]);
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(5, 5, 4).length).toBeGreaterThan(1);
  });

  it("maps a domain onto a range, including a flipped one", () => {
    const y = scale([80, 100], [200, 0]);
    expect(y(80)).toBe(200);
    expect(y(90)).toBe(100);
    expect(scale([1, 1], [0, 10])(1)).toBe(5);
  });

  it("draws a path and finds extents", () => {
    expect(linePath([{ x: 1, y: 2 }, { x: 3.25, y: 4 }])).toBe("M1.0 2.0 L3.3 4.0");
    expect(extents([])).toBeNull();
    expect(extents([{ name: "a", dash: "", points: [{ t: 5, y: 1, marker: "circle", label: "" }, { t: 2, y: 9, marker: "circle", label: "" }] }])).toEqual({ t: [2, 5], y: [1, 9] });
  });
});

describe("the time axis", () => {
  const at = (text: string) => new Date(text).getTime();
  const labels = (a: string, b: string) => timeTicks(at(a), at(b), 5).map((t) => t.label);

  it("never repeats a label, for readings within one day", () => {
    // Three SpO2 readings on one visit day: the axis shows times, the date once.
    const l = labels("2026-11-20T07:40", "2026-11-20T16:20");
    expect(l.length).toBeGreaterThanOrEqual(3);
    expect(new Set(l).size).toBe(l.length);
    expect(l[0]).toMatch(/Nov 20 \d\d:00/);
    expect(l.slice(1).every((x) => /^\d\d:00$/.test(x))).toBe(true);
  });

  it("uses whole days over weeks, each day once", () => {
    const ticks = timeTicks(at("2026-10-25T09:00"), at("2026-11-16T18:00"), 5);
    const l = ticks.map((t) => t.label);
    expect(new Set(l).size).toBe(l.length);
    expect(l.length).toBeGreaterThanOrEqual(3);
    expect(l.length).toBeLessThanOrEqual(6);
    expect(ticks.every((t) => new Date(t.t).getHours() === 0 && new Date(t.t).getMinutes() === 0)).toBe(true);
  });

  it("spans two days with the date at each change of day", () => {
    const l = labels("2026-11-20T20:00", "2026-11-21T09:00");
    expect(new Set(l).size).toBe(l.length);
    expect(l.filter((x) => x.startsWith("Nov 21"))).toHaveLength(1);
  });
});

describe("the SpO2 chart", () => {
  it("labels its time axis without repeating a date", () => {
    const series = spo2Series([
      { at: "2026-11-20T08:10", percent: 91, activity: "rest" },
      { at: "2026-11-20T11:30", percent: 86, activity: "exertion" },
      { at: "2026-11-20T15:45", percent: 89, activity: "rest" },
    ]);
    const { container } = render(LineChart, { props: { id: "spo2", title: "SpO2", unit: "%", series } });
    const labels = [...container.querySelectorAll('[data-testid="chart-x-tick"], text.tick')].filter((t) => Number(t.getAttribute("y")) > 200).map((t) => t.textContent);
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(new Set(labels).size).toBe(labels.length);
  });
});
