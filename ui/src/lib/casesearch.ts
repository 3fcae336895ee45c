// Searching within one case: its documents, log entries and readings, by what they say.

import type { CaseDoc } from "./bindings.gen";
import { matchesText } from "./caselist";
import { ACTIVITIES, EVENT_KINDS, EXHIBIT_KINDS, formatMoment, labelOf } from "./format";
import { baseName, exhibitNumbers, packetOrder } from "./exhibits";

export interface DocumentHit {
  /** Index in `doc.exhibit`. */
  index: number;
  number: number;
  file: string;
  title: string;
  kind: string;
  date: string;
}

export interface EventHit {
  /** Index in `doc.event`. */
  index: number;
  at: string;
  kind: string;
  summary: string;
  detail: string;
}

export interface ReadingHit {
  table: "spo2" | "wound" | "mobility";
  /** Index in that table. */
  index: number;
  at: string;
  text: string;
}

export interface CaseHits {
  documents: DocumentHit[];
  events: EventHit[];
  readings: ReadingHit[];
  total: number;
}

/**
 * What in the case matches `query` (every word, in any order): documents by title, kind, file
 * name, date and caption, in packet order; log entries by summary, kind, counterpart,
 * reference and time, newest first; readings by time, activity, site, stage and instrument.
 */
export function searchCase(doc: CaseDoc, query: string): CaseHits {
  const numbers = exhibitNumbers(doc.exhibit);
  const documents = packetOrder(doc.exhibit)
    .map((index) => ({ e: doc.exhibit[index], index }))
    .filter(({ e }) => matchesText([e.title, labelOf(EXHIBIT_KINDS, e.kind), e.file, baseName(e.file), e.date, e.caption], query))
    .map(({ e, index }) => ({ index, number: numbers[index], file: e.file, title: e.title, kind: labelOf(EXHIBIT_KINDS, e.kind), date: e.date }));

  const events = doc.event
    .map((e, index) => ({ e, index }))
    .filter(({ e }) => matchesText([e.summary, labelOf(EVENT_KINDS, e.kind), e.counterpart, e.reference, e.at, formatMoment(e.at)], query))
    .sort((a, b) => (a.e.at < b.e.at ? 1 : a.e.at > b.e.at ? -1 : b.index - a.index))
    .map(({ e, index }) => ({ index, at: formatMoment(e.at), kind: labelOf(EVENT_KINDS, e.kind), summary: e.summary, detail: [e.counterpart, e.reference && `ref ${e.reference}`].filter(Boolean).join(" · ") }));

  const readings: ReadingHit[] = [];
  doc.spo2.forEach((r, index) => {
    const text = `SpO2 ${r.percent} % at ${labelOf(ACTIVITIES, r.activity).toLowerCase()}${r.oxygen_lpm ? `, ${r.oxygen_lpm} L/min` : ", room air"}`;
    if (matchesText([text, "oxygen saturation", r.at, formatMoment(r.at)], query)) readings.push({ table: "spo2", index, at: formatMoment(r.at), text });
  });
  doc.wound.forEach((r, index) => {
    const text = `Wound, ${r.site}: ${r.length_cm} × ${r.width_cm} cm${r.stage ? `, stage ${r.stage}` : ""}`;
    if (matchesText([text, r.at], query)) readings.push({ table: "wound", index, at: formatMoment(r.at), text });
  });
  doc.mobility.forEach((r, index) => {
    const text = `Mobility, ${r.instrument}: ${r.value} ${r.unit}`;
    if (matchesText([text, r.at], query)) readings.push({ table: "mobility", index, at: formatMoment(r.at), text });
  });

  return { documents, events, readings, total: documents.length + events.length + readings.length };
}
