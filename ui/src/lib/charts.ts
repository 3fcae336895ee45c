// The numbers behind the readings charts: series from the case's readings, scales, ticks and
// SVG paths. The drawing itself is in components/LineChart.svelte.

import type { MobilityDoc, Spo2Doc, WoundDoc } from "./bindings.gen";
import { parseMoment } from "./format";

export type Marker = "circle" | "triangle" | "square" | "diamond";

export interface ChartPoint {
  /** Milliseconds since the epoch. */
  t: number;
  y: number;
  marker: Marker;
  /** What a screen reader and the tooltip say about the point. */
  label: string;
}

export interface Series {
  name: string;
  points: ChartPoint[];
  /** An SVG dash pattern so series differ by more than colour. */
  dash: string;
}

const DASHES = ["", "6 3", "2 3", "8 3 2 3"];
const MARKERS: Marker[] = ["circle", "triangle", "square", "diamond"];

export const ACTIVITY_MARKER: Record<string, Marker> = { rest: "circle", exertion: "triangle", sleep: "square" };

function finite(n: unknown): n is number {
  return typeof n === "number" && Number.isFinite(n);
}

function byTime(a: ChartPoint, b: ChartPoint): number {
  return a.t - b.t;
}

/** SpO2 in one line over time, each point marked by the activity. */
export function spo2Series(readings: readonly Spo2Doc[]): Series[] {
  const points: ChartPoint[] = [];
  for (const r of readings) {
    const t = parseMoment(r.at ?? "");
    if (!t || !finite(r.percent)) continue;
    const o2 = finite(r.oxygen_lpm) && r.oxygen_lpm > 0 ? `${r.oxygen_lpm} L/min` : "room air";
    points.push({ t: t.getTime(), y: r.percent, marker: ACTIVITY_MARKER[r.activity] ?? "diamond", label: `${r.at}: ${r.percent}% at ${r.activity}, ${o2}` });
  }
  return points.length ? [{ name: "SpO2", points: points.sort(byTime), dash: "" }] : [];
}

/** Wound area (length × width, cm²) over time, one series per site. */
export function woundSeries(wounds: readonly WoundDoc[]): Series[] {
  const sites = new Map<string, ChartPoint[]>();
  for (const w of wounds) {
    const t = parseMoment(w.at ?? "");
    if (!t || !finite(w.length_cm) || !finite(w.width_cm)) continue;
    const site = (w.site ?? "").trim() || "unnamed site";
    const area = Math.round(w.length_cm * w.width_cm * 100) / 100;
    const list = sites.get(site) ?? [];
    list.push({ t: t.getTime(), y: area, marker: "circle", label: `${w.at}: ${site}, ${w.length_cm} × ${w.width_cm} cm = ${area} cm²` });
    sites.set(site, list);
  }
  return [...sites.entries()].map(([name, points], i) => ({
    name,
    points: points.sort(byTime).map((p) => ({ ...p, marker: MARKERS[i % MARKERS.length] })),
    dash: DASHES[i % DASHES.length],
  }));
}

/** Mobility scores over time, one series per instrument and unit. */
export function mobilitySeries(scores: readonly MobilityDoc[]): Series[] {
  const groups = new Map<string, ChartPoint[]>();
  for (const m of scores) {
    const t = parseMoment(m.at ?? "");
    if (!t || !finite(m.value)) continue;
    const name = `${(m.instrument ?? "").trim() || "score"}${m.unit ? ` (${m.unit})` : ""}`;
    const list = groups.get(name) ?? [];
    list.push({ t: t.getTime(), y: m.value, marker: "circle", label: `${m.at}: ${m.instrument} ${m.value} ${m.unit}` });
    groups.set(name, list);
  }
  return [...groups.entries()].map(([name, points], i) => ({
    name,
    points: points.sort(byTime).map((p) => ({ ...p, marker: MARKERS[i % MARKERS.length] })),
    dash: DASHES[i % DASHES.length],
  }));
}

/** Round tick values covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 0.5; v += step) ticks.push(Math.round(v / step) * step);
  return ticks.map((v) => Number(v.toPrecision(12)));
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Tick spacings a person reads at a glance, shortest first. */
const TIME_STEPS = [15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 56 * DAY, 112 * DAY];

export interface TimeTick {
  t: number;
  label: string;
}

const dayLabel = (d: Date) => d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
const hourLabel = (d: Date) => `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;

/**
 * Time-axis ticks over [a, b] (milliseconds), at most about `count`, on round local times (whole
 * days for long spans, hours or minutes for readings taken within a day or two), each with a
 * label no other tick has: a day's date once, then its times.
 */
export function timeTicks(a: number, b: number, count = 5): TimeTick[] {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) return [];
  const span = b - a;
  const step = TIME_STEPS.find((s) => span / s <= count) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const ticks: number[] = [];
  if (step >= DAY) {
    // Local midnights, counted in calendar days so a daylight-saving change does not shift them.
    const d = new Date(a);
    d.setHours(0, 0, 0, 0);
    if (d.getTime() < a) d.setDate(d.getDate() + 1);
    const days = Math.round(step / DAY);
    for (; d.getTime() <= b; d.setDate(d.getDate() + days)) ticks.push(d.getTime());
  } else {
    // From the local midnight before `a`, in steps of the chosen length.
    const d = new Date(a);
    d.setHours(0, 0, 0, 0);
    let t = d.getTime();
    while (t < a) t += step;
    for (; t <= b; t += step) ticks.push(t);
  }
  if (ticks.length === 0) ticks.push((a + b) / 2);
  const out: TimeTick[] = [];
  let lastDay = "";
  for (const t of ticks) {
    const d = new Date(t);
    const day = dayLabel(d);
    const label = step >= DAY ? day : day !== lastDay ? `${day} ${hourLabel(d)}` : hourLabel(d);
    lastDay = day;
    if (!out.some((x) => x.label === label)) out.push({ t, label });
  }
  return out;
}

/** A linear map from a domain onto a range. */
export function scale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** `M x y L x y …` through the points, rounded to tenths of a pixel. */
export function linePath(points: readonly { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(" ");
}

/** The time and value extents of the series (null when empty). */
export function extents(series: readonly Series[]): { t: [number, number]; y: [number, number] } | null {
  const pts = series.flatMap((s) => s.points);
  if (pts.length === 0) return null;
  const ts = pts.map((p) => p.t);
  const ys = pts.map((p) => p.y);
  return { t: [Math.min(...ts), Math.max(...ts)], y: [Math.min(...ys), Math.max(...ys)] };
}

/** A marker's SVG path centred on (x, y). */
export function markerPath(marker: Marker, x: number, y: number, r = 4.5): string {
  switch (marker) {
    case "circle":
      return `M${x - r} ${y} a${r} ${r} 0 1 0 ${2 * r} 0 a${r} ${r} 0 1 0 ${-2 * r} 0`;
    case "triangle":
      return `M${x} ${y - r * 1.15} L${x + r} ${y + r * 0.85} L${x - r} ${y + r * 0.85} Z`;
    case "square":
      return `M${x - r * 0.85} ${y - r * 0.85} h${r * 1.7} v${r * 1.7} h${-r * 1.7} Z`;
    case "diamond":
      return `M${x} ${y - r * 1.2} L${x + r} ${y} L${x} ${y + r * 1.2} L${x - r} ${y} Z`;
  }
}
