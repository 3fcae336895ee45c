// A reading as the library returns it for a scanned one-page notice (the shape of
// src/cases/prefill.rs), for the confirm view's tests.
import type { Prefill, Reading } from "../lib/bindings.gen";

function value(target: string, label: string, v: string, line: string, y: number, confidence = 0.93, note: string | null = null): Prefill {
  return { target, label, value: v, source: { page: 1, rect: { x: 200, y, w: 600, h: 40 }, text: line, confidence, note } };
}

export function scannedNotice(): Reading {
  return {
    file_name: "denial-scan.pdf",
    kind: "notice",
    pages: [{ page: 1, width: 1700, height: 2200, source: "ocr" }],
    values: [
      value("case.notice_date", "Date of the notice", "2026-03-02", "Date of this notice: March 2, 2026", 300),
      value("member.payer", "Health plan", "Lakeside Advantage Plan", "Lakeside Advantage Plan", 120, 0.96),
      value("case.program", "Program", "medicare-advantage", "Notice of Denial of Medical Coverage (CMS-10003-NDMC)", 180, 0.9, "the form CMS-10003-NDMC is Medicare Advantage's"),
      value("member.name", "Member", "Walter Hayes", "Member: Walter Hayes", 400),
      value("member.member_id", "Member ID", "MAH4417730921", "Member ID: MAH4417730921", 460, 0.74),
      value("case.diagnoses", "Diagnosis", "J44.1", "Diagnosis: J44.1", 700, 0.55),
      value("case.notice_deadline", "Deadline stated on the notice", "2026-05-01", "within 60 days of the date of this notice", 900, 0.9, "60 days from the notice date 2026-03-02"),
    ],
    notes: ["No reference number was found"],
  };
}
