// Dates, countdowns and labels as people read them. Pure functions: the clock is passed in.

import type { DeadlineView } from "./bindings.gen";

export type Status = "open" | "due-soon" | "overdue" | "met";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** `YYYY-MM-DD` of a moment in local time. */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `YYYY-MM-DDTHH:MM` of a moment in local time: what the log's "at" field starts with. */
export function localMinute(d: Date): string {
  return `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MOMENT_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A `YYYY-MM-DD` date as local midnight, or null when it is not a real calendar date. */
export function parseDate(text: string): Date | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date;
}

/**
 * A case.toml moment (`2025-09-03`, `2025-09-03T10:15`, `…:30`, `…-05:00`) as its wall-clock
 * time in local time, the way the library orders and shows moments (an offset is accepted and
 * not applied). Null when it is not one.
 */
export function parseMoment(text: string): Date | null {
  const m = MOMENT_RE.exec(text.trim());
  if (!m) return null;
  const day = parseDate(`${m[1]}-${m[2]}-${m[3]}`);
  if (!day) return null;
  if (m[4] === undefined) return day;
  const [h, min, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return null;
  if (m[7] && m[7] !== "Z") {
    const off = m[7].replace(":", "");
    if (Number(off.slice(1, 3)) > 23 || Number(off.slice(3)) > 59) return null;
  }
  day.setHours(h, min, s, 0);
  return day;
}

// ---- Dates as people write them: `11/12/2026`, `Nov 14 2026`, `14 Nov 2026`, `11/21/2026 5pm`.

/** A date field takes a day; a moment field a day with an optional time of day. */
export type DateKind = "date" | "moment";

/** What a date field's text was understood as: the ISO text to store, and the moment it names. */
export interface Understood {
  /** `2026-11-21` or `2026-11-21T17:00`; ISO text already stored is kept exactly as written. */
  iso: string;
  at: Date;
  hasTime: boolean;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function monthOf(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w === "sept") return 9;
  for (let i = 0; i < 12; i++) if (w === MONTHS[i] || w === MONTH_NAMES[i]) return i + 1;
  return null;
}

/** A two-digit year: the nearest century that puts it no more than 10 years ahead of `today`. */
function fullYear(text: string, today: Date): number {
  if (text.length === 4) return Number(text);
  const yy = Number(text);
  const now = today.getFullYear();
  const y = Math.floor(now / 100) * 100 + yy;
  return y > now + 10 ? y - 100 : y;
}

function realDay(y: number, m: number, d: number): Date | null {
  if (y < 1000 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d ? date : null;
}

/** The day in `text`: ISO, US month/day/year (`/`, `-` or `.`), or with the month's name. */
function readDay(text: string, today: Date): Date | null {
  const t = text
    .trim()
    .replace(/^(?:sun|mon|tue|tues|wed|thu|thur|thurs|fri|sat)[a-z]*\.?,?\s+/i, "")
    .replace(/,/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (m) return realDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$/.exec(t);
  if (m) return realDay(fullYear(m[4], today), Number(m[1]), Number(m[3]));
  const day = "(\\d{1,2})(?:st|nd|rd|th)?";
  const month = "([a-z]+\\.?)";
  const year = "(\\d{4}|'?\\d{2})";
  m = new RegExp(`^${month} ${day} ${year}$`, "i").exec(t);
  if (m) {
    const mo = monthOf(m[1]);
    return mo ? realDay(fullYear(m[3].replace("'", ""), today), mo, Number(m[2])) : null;
  }
  m = new RegExp(`^${day} ${month} ${year}$`, "i").exec(t);
  if (m) {
    const mo = monthOf(m[2]);
    return mo ? realDay(fullYear(m[3].replace("'", ""), today), mo, Number(m[1])) : null;
  }
  return null;
}

/** `5pm`, `5:30 p.m.`, `17:30`, `17:30:15`, `noon`: hours, minutes and seconds, or null. */
function readTime(text: string): [number, number, number | null] | null {
  const t = text.trim().toLowerCase();
  if (t === "noon") return [12, 0, null];
  if (t === "midnight") return [0, 0, null];
  let m = /^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m\.?$/.exec(t);
  if (m) {
    const h = Number(m[1]);
    const min = Number(m[2] ?? 0);
    if (h < 1 || h > 12 || min > 59) return null;
    return [(h % 12) + (m[3] === "p" ? 12 : 0), min, null];
  }
  m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) {
    const [h, min, s] = [Number(m[1]), Number(m[2]), m[3] === undefined ? null : Number(m[3])];
    if (h > 23 || min > 59 || (s !== null && s > 59)) return null;
    return [h, min, s];
  }
  return null;
}

const TIME_AT_END = /^(.*?)(?:[T\s,@]+|\s+at\s+)(noon|midnight|\d{1,2}(?::\d{2})?\s*[ap]\.?\s*m\.?|\d{1,2}:\d{2}(?::\d{2})?)$/i;

/**
 * What a person typed into a date (`kind` "date") or date-and-time ("moment") field, read the
 * way they meant it: ISO (`2026-11-21`, `2026-11-21T17:30`, with seconds or an offset), US
 * month/day/year (`11/21/2026`, `11/21/26`), the month by name (`Nov 21 2026`, `November 21,
 * 2026`, `21 Nov 2026`), and for a moment a time after the day (`5pm`, `5:30 pm`, `17:30`).
 * Null when it is none of these, is not a real day or time, or is a time in a date field.
 * A two-digit year is the one no more than 10 years after `today`'s.
 */
export function readDate(text: string, kind: DateKind = "date", today: Date = new Date()): Understood | null {
  const t = text.trim();
  if (t === "") return null;
  // ISO is what is stored: it is kept exactly as written.
  const iso = kind === "date" ? parseDate(t) : parseMoment(t);
  if (iso) return { iso: t, at: iso, hasTime: kind === "moment" && /[T ]\d/.test(t) };
  let dayText = t;
  let time: [number, number, number | null] | null = null;
  const m = TIME_AT_END.exec(t);
  if (m && readDay(m[1], today)) {
    time = readTime(m[2]);
    if (!time) return null;
    dayText = m[1];
  }
  const day = readDay(dayText, today);
  if (!day) return null;
  if (!time) return { iso: localDate(day), at: day, hasTime: false };
  if (kind === "date") return null;
  const [h, min, s] = time;
  day.setHours(h, min, s ?? 0, 0);
  return { iso: `${localDate(day)}T${pad(h)}:${pad(min)}${s === null ? "" : `:${pad(s)}`}`, at: day, hasTime: true };
}

/** What a date field understood, for the line under it: `Sat 21 Nov 2026`, `Sat 21 Nov 2026, 17:00`. */
export function describeDate(u: Understood): string {
  const d = u.at;
  const day = `${WEEKDAYS[d.getDay()]} ${d.getDate()} ${MONTH_SHORT[d.getMonth()]} ${d.getFullYear()}`;
  return u.hasTime ? `${day}, ${pad(d.getHours())}:${pad(d.getMinutes())}` : day;
}

/** The stored (ISO) form of what was typed when it is understood, else the text as typed. */
export function isoDate(text: string, kind: DateKind = "date", today: Date = new Date()): string {
  return readDate(text, kind, today)?.iso ?? text;
}

/** Whole calendar days from the day of `from` to the day of `to` (local time). */
export function calendarDaysBetween(from: Date, to: Date): number {
  const a = Date.UTC(from.getFullYear(), from.getMonth(), from.getDate());
  const b = Date.UTC(to.getFullYear(), to.getMonth(), to.getDate());
  return Math.round((b - a) / DAY_MS);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export interface Countdown {
  text: string;
  status: Status;
}

/**
 * How long is left on a deadline, measured from `now` so that a window left open overnight
 * stays right: "12 days left", "Due today", "Due in 20 h", "Overdue by 3 days", "Met".
 * Statuses follow deadline-rules.md: due soon is ≤ 7 days, or ≤ 24 h for an hour rule.
 */
export function countdown(d: Pick<DeadlineView, "due" | "due_time" | "status" | "days_left"> & { closed?: boolean }, now: Date): Countdown {
  if (d.status === "met") return { text: "Met", status: "met" };
  if (d.closed) return { text: "Missed: done late", status: "overdue" };
  const dueTime = d.due_time ? parseMoment(d.due_time) : null;
  if (dueTime) {
    const ms = dueTime.getTime() - now.getTime();
    const hours = ms / HOUR_MS;
    if (ms < 0) {
      const over = -hours;
      const text = over < 48 ? `Overdue by ${Math.max(1, Math.floor(over))} h` : `Overdue by ${plural(Math.floor(over / 24), "day", "days")}`;
      return { text, status: "overdue" };
    }
    const status: Status = hours <= 24 ? "due-soon" : "open";
    if (hours < 1) return { text: "Due in under 1 h", status };
    if (hours < 48) return { text: `Due in ${Math.floor(hours)} h`, status };
    return { text: `${plural(calendarDaysBetween(now, dueTime), "day", "days")} left`, status };
  }
  const due = parseDate(d.due);
  const days = due ? calendarDaysBetween(now, due) : d.days_left;
  if (days < 0) return { text: `Overdue by ${plural(-days, "day", "days")}`, status: "overdue" };
  if (days === 0) return { text: "Due today", status: "due-soon" };
  return { text: `${plural(days, "day", "days")} left`, status: days <= 7 ? "due-soon" : "open" };
}

/** Milliseconds until a deadline ends (negative when past): for sorting cases by urgency. */
export function msUntil(d: Pick<DeadlineView, "due" | "due_time" | "days_left">, now: Date): number {
  const t = d.due_time ? parseMoment(d.due_time) : null;
  if (t) return t.getTime() - now.getTime();
  const due = parseDate(d.due);
  if (!due) return d.days_left * DAY_MS;
  // A date deadline ends at the end of its day.
  return due.getTime() + DAY_MS - now.getTime();
}

export const STATUS_LABEL: Record<Status, string> = {
  open: "Open",
  "due-soon": "Due soon",
  overdue: "Overdue",
  met: "Met",
};

export function statusLabel(status: string): string {
  return STATUS_LABEL[status as Status] ?? status;
}

/** `2027-01-18`, or `2026-11-05 17:00` for an hour rule. */
export function formatDue(d: Pick<DeadlineView, "due" | "due_time">): string {
  if (d.due_time) {
    const t = parseMoment(d.due_time);
    if (t) return `${localDate(t)} ${pad(t.getHours())}:${pad(t.getMinutes())}`;
  }
  return d.due;
}

/** A moment as written, tidied for reading: `2026-11-02 11:15`. */
export function formatMoment(text: string): string {
  const t = parseMoment(text);
  if (!t) return text;
  const hasTime = /[T ]\d{2}:\d{2}/.test(text);
  return hasTime ? `${localDate(t)} ${pad(t.getHours())}:${pad(t.getMinutes())}` : localDate(t);
}

/** True when two moments name the same wall-clock minute (`2026-11-02T11:15` = `2026-11-02 11:15:00`). */
export function sameMoment(a: string, b: string): boolean {
  const x = parseMoment(a);
  const y = parseMoment(b);
  if (!x || !y) return a.trim() === b.trim();
  return Math.floor(x.getTime() / 60_000) === Math.floor(y.getTime() / 60_000);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

// Labels for the closed sets of case.toml values: generated from the library's model into the
// bindings (`make bindings`), never copied here.
export { CASE_KINDS, PROGRAMS, URGENCIES, SERVICES, EXHIBIT_KINDS, EVENT_KINDS, ACTIVITIES, SUBMISSION_METHODS } from "./bindings.gen";

/** The label of a value from one of the tables above, or the value itself. */
export function labelOf(table: Record<string, string>, value: string | null | undefined): string {
  if (!value) return "";
  return table[value] ?? value;
}

/** `[["a", "A"], …]` for a select's options. */
export function options(table: Record<string, string>): [string, string][] {
  return Object.entries(table);
}
