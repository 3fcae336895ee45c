// Development only (`npm run dev`, then /?fixture): sample cases and a pretend shell, so the
// screens can be looked at in a plain browser. main.ts imports this module only behind
// `import.meta.env.DEV`, so production builds do not contain it.

import { commands, shell, type DropEvent } from "./api";
import type { CaseDetail, CaseDoc, CaseOverview, DeadlineKind, DeadlineView, DocumentFormat, PacketView, ProgressView, RefusedDocument } from "./bindings.gen";
import { CASE_KINDS, PROGRAMS, calendarDaysBetween, localDate, localMinute, parseMoment } from "./format";
import { validateDoc } from "./validate";
import { exhibitNumbers, formatOfFile, baseName } from "./exhibits";
import { blankDoc } from "./doc";

// The demo case was written on this day; every date moves with today so countdowns look real.
const WRITTEN = new Date(2026, 10, 26);
const OFFSET = calendarDaysBetween(WRITTEN, new Date());

function shift(text: string): string {
  const t = parseMoment(text);
  if (!t) return text;
  t.setDate(t.getDate() + OFFSET);
  return localDate(t) + text.slice(10);
}

function demoDoc(): CaseDoc {
  const d: CaseDoc = {
    case: {
      kind: "provider-appeal",
      title: "Home oxygen authorization denial",
      program: "medicare-advantage",
      urgency: "standard",
      notice_date: "2026-11-14",
      received_date: "2026-11-15",
      notice_deadline: "2027-01-18",
      reference: "LAP-UM-2026-041773",
      authorization_number: "PA-88213406",
      denial_reason: "Not medically necessary: qualifying oxygen saturation not documented",
      requested_action: "Approve home oxygen concentrator (E1390), 2 L/min continuous by nasal cannula, 12 months",
      diagnoses: ["J44.1", "R09.02"],
      procedures: ["E1390"],
    },
    member: { name: "Walter Hayes", dob: "1947-03-14", member_id: "MAH4417730921", payer: "Lakeshore Advantage Plus (HMO)", phone: "773-555-0192" },
    provider: { organization: "Northside Home Medical", clinician: "Priya Natarajan, MD", npi: "1829475635", phone: "312-555-0148", fax: "312-555-0149" },
    submitter: { name: "Dana Whitfield", role: "Intake coordinator", phone: "312-555-0148 ext. 214" },
    exhibit: [
      { file: "docs/overnight-oximetry-report.pdf", kind: "oxygen-log", date: "2026-10-25", title: "Overnight pulse oximetry report, room air (scanned)" },
      { file: "docs/progress-note.md", kind: "progress-note", date: "2026-10-26", title: "Pulmonary follow-up visit with 6-minute walk test" },
      { file: "docs/oximeter-photo.jpg", kind: "oxygen-log", date: "2026-10-26", title: "Photo of fingertip oximeter during the visit", caption: "At rest on room air: SpO2 88%, pulse 96" },
      { file: "docs/order-home-oxygen.pdf", kind: "physician-order", date: "2026-10-27", title: "Signed standard written order for home oxygen" },
      { file: "docs/fax-confirmation.tiff", kind: "delivery-confirmation", date: "2026-10-29", title: "Fax transmission report: prior authorization request" },
      { file: "docs/portal-status.png", kind: "correspondence", date: "2026-11-07", title: "Plan portal: request still pending after the promised date" },
      { file: "docs/denial-notice.pdf", kind: "denial-letter", date: "2026-11-14", title: "Notice of denial of medical coverage" },
      { file: "docs/call-log.txt", kind: "correspondence", date: "2026-11-16", title: "Call log kept by the intake coordinator" },
    ],
    event: [
      { at: "2026-10-27T16:10", kind: "order", summary: "Dr. Natarajan signed the order for home oxygen, 2 L/min continuous, 12 months" },
      { at: "2026-10-28T09:05", kind: "verification", summary: "Eligibility and DME benefits verified on the plan portal; prior authorization required for E1390", counterpart: "Lakeshore provider portal", reference: "ELIG-20931" },
      { at: "2026-10-29T14:40", kind: "fax", summary: "Prior authorization request faxed with order, overnight oximetry and progress note (9 pages)", counterpart: "Lakeshore utilization management, fax 312-555-0186", reference: "PA-88213406" },
      { at: "2026-11-02T11:15", kind: "call", summary: "Called plan utilization management: request received and pending clinical review; decision promised", counterpart: "Denise R., utilization management intake", reference: "LAP-C-118204", promised: "2026-11-05T17:00" },
      { at: "2026-11-14", kind: "denial", summary: "Plan denied the request: qualifying oxygen saturation not documented (not medically necessary)", reference: "LAP-UM-2026-041773" },
      { at: "2026-11-16T15:20", kind: "call", summary: "Called plan appeals: provider may request reconsideration for the member; case file and review criteria promised", counterpart: "Marcus T., Appeals and Grievances", reference: "LAP-A-220761", promised: "2026-11-28T17:00" },
    ],
    spo2: [
      { at: "2026-10-12T10:20", percent: 90, activity: "rest", oxygen_lpm: 0, pulse: 91 },
      { at: "2026-10-12T10:40", percent: 86, activity: "exertion", oxygen_lpm: 0, pulse: 108 },
      { at: "2026-10-24T23:40", percent: 87, activity: "sleep", oxygen_lpm: 0, pulse: 78 },
      { at: "2026-10-25T02:15", percent: 84, activity: "sleep", oxygen_lpm: 0, pulse: 74 },
      { at: "2026-10-25T04:30", percent: 86, activity: "sleep", oxygen_lpm: 0, pulse: 76 },
      { at: "2026-10-26T10:30", percent: 88, activity: "rest", oxygen_lpm: 0, pulse: 96 },
      { at: "2026-10-26T10:50", percent: 83, activity: "exertion", oxygen_lpm: 0, pulse: 112 },
      { at: "2026-10-26T11:05", percent: 92, activity: "exertion", oxygen_lpm: 2, pulse: 104 },
      { at: "2026-10-26T11:20", percent: 95, activity: "rest", oxygen_lpm: 2, pulse: 90 },
    ],
    wound: [
      { at: "2026-09-20", site: "left heel", length_cm: 3.4, width_cm: 2.4, depth_cm: 0.5, stage: "3" },
      { at: "2026-10-04", site: "left heel", length_cm: 3.1, width_cm: 2.0, depth_cm: 0.4, stage: "3" },
      { at: "2026-10-18", site: "left heel", length_cm: 2.6, width_cm: 1.7, depth_cm: 0.3, stage: "3" },
      { at: "2026-10-04", site: "sacrum", length_cm: 1.5, width_cm: 1.2, stage: "2" },
      { at: "2026-10-18", site: "sacrum", length_cm: 1.8, width_cm: 1.4, stage: "2" },
    ],
    mobility: [
      { at: "2026-09-12", instrument: "6-minute walk test", value: 280, unit: "m" },
      { at: "2026-10-12", instrument: "6-minute walk test", value: 245, unit: "m" },
      { at: "2026-10-26", instrument: "6-minute walk test", value: 210, unit: "m" },
    ],
    submission: [],
    letter: null,
  };
  d.case.notice_date = shift(d.case.notice_date);
  d.case.received_date = shift(d.case.received_date!);
  d.case.notice_deadline = shift(d.case.notice_deadline!);
  d.exhibit.forEach((e) => (e.date = shift(e.date)));
  d.event.forEach((e) => {
    e.at = shift(e.at);
    if (e.promised) e.promised = shift(e.promised);
  });
  d.spo2.forEach((r) => (r.at = shift(r.at)));
  d.wound.forEach((r) => (r.at = shift(r.at)));
  d.mobility.forEach((r) => (r.at = shift(r.at)));
  return d;
}

function otherCases(): CaseDoc[] {
  const base = (over: Partial<CaseDoc["case"]>, member: CaseDoc["member"]): CaseDoc => {
    const doc = blankDoc();
    return { ...doc, case: { ...doc.case, program: "medicaid-managed-care", ...over }, member };
  };
  const daysAgo = (n: number) => {
    const t = new Date();
    t.setDate(t.getDate() - n);
    return localDate(t);
  };
  return [
    base({ title: "Power wheelchair (K0823) denied", program: "medicaid-managed-care", notice_date: daysAgo(58), reference: "MCO-77120" }, { name: "Rosa Delgado", dob: "1958-06-02", member_id: "MCD5521907", payer: "Prairie Care Medicaid" }),
    base({ title: "Wound care visits cut to 1/week", kind: "member-grievance", program: "erisa", notice_date: daysAgo(20), reference: "GRV-2026-3318" }, { name: "Anna Kowalski", dob: "1962-11-30", member_id: "UHX88120455", payer: "Midwest Employers Health" }),
    base({ title: "Home infusion (J1561) not authorized", program: "contract", contract_days: 30, notice_date: daysAgo(25), reference: "VND-4410" }, { name: "James O'Neill", dob: "1971-01-09", member_id: "BCX20011872", payer: "BlueLake PPO" }),
    base({ title: "Repeated missed oxygen deliveries", kind: "regulator-complaint", program: "state-doi", notice_date: daysAgo(40) }, { name: "Mae Thompson", dob: "1939-04-17", member_id: "AHP3009981", payer: "Acme Health Plan" }),
  ];
}

function addDays(date: string, n: number): string {
  const t = parseMoment(date) ?? new Date();
  t.setDate(t.getDate() + n);
  return localDate(t);
}

/** What the library says of a file's name: its format, or null for a name it does not know. */
function knownFormat(file: string): DocumentFormat | null {
  const f = formatOfFile(file);
  return f === "unknown" ? null : f;
}

function deadline(label: string, due: string, rule: string, citation: string, from: string, kind: DeadlineKind = "file-appeal", dueTime: string | null = null, warnings: string[] = []): DeadlineView {
  const days = calendarDaysBetween(new Date(), parseMoment(due) ?? new Date());
  const past = dueTime ? (parseMoment(dueTime)?.getTime() ?? 0) < Date.now() : days < 0;
  const dueText = dueTime ? dueTime.replace("T", " ") : due;
  return { kind, label, due, due_time: dueTime, rule_id: rule, citation, counted_from: from, basis: `the notice date ${from}`, basis_given: true, due_text: dueText, time_zone: null, closed: false, days_left: days, status: past ? "overdue" : days <= 7 ? "due-soon" : "open", warnings };
}

const RULES: Record<string, { rule: string; days: number; citation: string; label: string; next: [string, string, string][] }> = {
  "medicare-advantage": { rule: "ma-reconsideration", days: 65, citation: "42 CFR 422.582(b), (b)(1)", label: "File the reconsideration", next: [["ma-reconsideration", "reconsideration", "65 calendar days"], ["ma-ire", "independent review (automatic)", "automatic when the plan upholds"], ["medicare-alj", "ALJ hearing", "60 calendar days"]] },
  "medicaid-managed-care": { rule: "medicaid-mc-appeal", days: 60, citation: "42 CFR 438.402(c)(2)(ii)", label: "File the plan appeal", next: [["medicaid-mc-appeal", "plan appeal", "60 calendar days"], ["medicaid-fair-hearing", "state fair hearing", "120 calendar days"]] },
  erisa: { rule: "erisa-appeal", days: 180, citation: "29 CFR 2560.503-1(h)(3)(i)", label: "File the internal appeal", next: [["erisa-appeal", "internal appeal", "at least 180 days"], ["aca-external-review", "external review request", "4 months"]] },
  contract: { rule: "contract", days: 30, citation: "per contract", label: "File the contract dispute", next: [["contract", "as the contract says", "N days"]] },
  "state-doi": { rule: "doi-complaint", days: -1, citation: "state law", label: "Complaint", next: [["doi-complaint", "complaint", "none fixed federally"]] },
};

function detailOf(id: string, doc: CaseDoc, packet: PacketView | null): CaseDetail {
  const r = RULES[doc.case.program] ?? RULES["state-doi"];
  const deadlines: DeadlineView[] = [];
  if (r.days > 0 && parseMoment(doc.case.notice_date)) {
    const days = doc.case.program === "contract" ? (doc.case.contract_days ?? 30) : r.days;
    const due = addDays(doc.case.notice_date, days);
    deadlines.push(deadline(r.label, due, r.rule, r.citation, doc.case.notice_date, "file-appeal", null, due.endsWith("-18") ? ["falls on Martin Luther King Jr. Day (federal holiday): file earlier"] : []));
  }
  for (const e of doc.event) {
    if (!e.promised) continue;
    const when = parseMoment(e.promised);
    if (!when) continue;
    deadlines.push(deadline(`Promised: ${e.summary}`, localDate(when), "promise", `promise made ${e.at.replace("T", " ")}${e.counterpart ? ` by ${e.counterpart}` : ""}${e.reference ? `, ref ${e.reference}` : ""}`, e.at.slice(0, 10), "promise", e.promised));
  }
  for (const s of doc.submission) {
    deadlines.push(deadline("The plan decides the reconsideration", addDays(s.at, 30), "ma-standard-service", "42 CFR 422.590(a)", s.at.slice(0, 10), "plan-decision"));
  }
  deadlines.sort((a, b) => a.due.localeCompare(b.due));
  const missed = doc.event
    .filter((e) => e.promised && (parseMoment(e.promised)?.getTime() ?? Infinity) < Date.now())
    .map((e) => ({ promised: e.promised!, event_at: e.at.replace("T", " "), summary: e.summary, reference: e.reference ?? null, counterpart: e.counterpart ?? null, days_overdue: calendarDaysBetween(parseMoment(e.promised!)!, new Date()) }));
  const numbers = exhibitNumbers(doc.exhibit);
  return {
    id,
    doc: structuredClone(doc),
    exhibits: doc.exhibit.map((e, i) => ({ file: e.file, sha256: null, number: numbers[i], format: knownFormat(e.file) })),
    deadlines,
    missed_promises: missed,
    ladder: r.next.map(([rule_id, level, window], i) => ({ rule_id, level, window, citation: i === 0 ? r.citation : "see deadline-rules.md", current: i === 0 })),
    template_letter: `# Request for Reconsideration\n\n**Member:** ${doc.member.name} · **Member ID:** ${doc.member.member_id}\n**Reference:** ${doc.case.reference ?? "—"}\n\nTo the Appeals and Grievances Department of ${doc.member.payer}:\n\nWe request reconsideration of the denial dated ${doc.case.notice_date}. The plan stated: **${doc.case.denial_reason ?? "(reason)"}**.\n\nThe enclosed records document:\n\n- resting and exertional SpO2 at or below 88 % on room air;\n- the signed standard written order;\n- every call and promised date, with the reference numbers given.\n\nWe ask the plan to: ${doc.case.requested_action ?? "(requested action)"}.\n\nSincerely,\n\n${doc.submitter?.name ?? ""}`,
    packet,
  };
}

/** Replaces the commands and the shell with in-memory stand-ins. */
export function installFixture(): void {
  const docs = new Map<string, CaseDoc>();
  const packets = new Map<string, PacketView | null>();
  let next = 1;
  const put = (doc: CaseDoc): string => {
    const id = `case-${next++}`;
    docs.set(id, structuredClone(doc));
    packets.set(id, null);
    return id;
  };
  const empty = location.search.includes("empty");
  if (!empty) {
    put(demoDoc());
    otherCases().forEach(put);
  }
  const detail = (id: string): CaseDetail => {
    const d = docs.get(id);
    if (!d) throw { kind: "not-found", message: `no case ${id}`, problems: [] };
    return detailOf(id, d, packets.get(id) ?? null);
  };
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const progress = new Set<(p: ProgressView) => void>();
  let cancel = false;

  Object.assign(commands, {
    listCases: async (): Promise<CaseOverview[]> =>
      [...docs.keys()].map((id) => {
        const d = detail(id);
        const open = d.deadlines.filter((x) => x.status !== "met").sort((a, b) => a.days_left - b.days_left);
        return {
          id,
          title: d.doc.case.title,
          kind: d.doc.case.kind,
          kind_label: CASE_KINDS[d.doc.case.kind as keyof typeof CASE_KINDS] ?? d.doc.case.kind,
          program: d.doc.case.program,
          program_label: PROGRAMS[d.doc.case.program as keyof typeof PROGRAMS] ?? d.doc.case.program,
          member_name: d.doc.member.name,
          member_id: d.doc.member.member_id,
          reference: d.doc.case.reference ?? null,
          clinician: d.doc.provider?.clinician ?? null,
          claim_number: d.doc.case.claim_number ?? null,
          authorization_number: d.doc.case.authorization_number ?? null,
          exhibits: d.doc.exhibit.length,
          next_deadline: open[0] ?? null,
          missed_promises: d.missed_promises.length,
        };
      }),
    getCase: async (id: string) => detail(id),
    createCase: async (doc: CaseDoc) => {
      const problems = validateDoc(doc);
      if (problems.length) throw { kind: "invalid", message: `case.toml has ${problems.length} problems`, problems };
      return detail(put(doc));
    },
    saveCase: async (id: string, doc: CaseDoc) => {
      await wait(150);
      const problems = validateDoc(doc);
      if (problems.length) throw { kind: "invalid", message: `case.toml has ${problems.length} problems`, problems };
      docs.set(id, structuredClone(doc));
      return detail(id);
    },
    addDocuments: async (id: string, paths: string[]) => {
      const d = docs.get(id)!;
      const added: string[] = [];
      const refused: RefusedDocument[] = [];
      for (const p of paths) {
        const name = baseName(p);
        const file = `docs/${name}`;
        if (d.exhibit.some((e) => e.file === file)) {
          refused.push({ location: name, message: `is already in the case (${file})`, path: p, reason: "duplicate" });
          continue;
        }
        // A file named "locked…" stands for a password-protected PDF (its password: "secret").
        if (/locked/i.test(name)) {
          refused.push({ location: name, message: "is encrypted and needs a password to open", path: p, reason: "needs-password" });
          continue;
        }
        d.exhibit.push({ file, kind: /photo|jpg|png/i.test(name) ? "wound-photo" : "progress-note", date: localDate(new Date()), title: name.replace(/\.[^.]+$/, "").replace(/[-_]/g, " ") });
        added.push(file);
      }
      return { detail: detail(id), added, refused };
    },
    unlockDocument: async (id: string, path: string, password: string) => {
      const name = baseName(path);
      if (password !== "secret") throw { kind: "wrong-password", message: `${name} does not open with that password; check the password (it is case-sensitive) and try again`, problems: [] };
      const d = docs.get(id)!;
      d.exhibit.push({ file: `docs/${name}`, kind: "progress-note", date: localDate(new Date()), title: name.replace(/\.[^.]+$/, "").replace(/[-_]/g, " ") });
      return { detail: detail(id), added: [`docs/${name}`], refused: [] };
    },
    documentBytes: async (_id: string, file: string) => sampleBytes(file),
    documentThumbnail: async () => {
      throw { kind: "other", message: "no thumbnails in the fixture", problems: [] };
    },
    buildPacket: async (id: string) => {
      cancel = false;
      const d = detail(id);
      const steps = ["Reading exhibits", "Cover and contents", "Timeline", "Letter", "Charts", ...d.doc.exhibit.map((e, i) => `Exhibit ${i + 1}: ${baseName(e.file)}`), "Stamping pages", "Writing the packet"];
      for (let i = 0; i < steps.length; i++) {
        if (cancel) throw { kind: "cancelled", message: "The build was cancelled.", problems: [] };
        progress.forEach((cb) => cb({ done: i, total: steps.length, message: steps[i] }));
        await wait(260);
      }
      const pdf = packetPdf(d);
      const packet: PacketView = {
        path: `/home/you/.local/share/redress/packets/${id}/packet.pdf`,
        pages: pdf.pages,
        bytes: pdf.bytes.length,
        sha256: Array.from({ length: 64 }, (_, i) => "0123456789abcdef"[(i * 7 + id.length) % 16]).join(""),
        built: localMinute(new Date()),
        sections: pdf.sections,
        warnings: ["Exhibit 5 (docs/fax-confirmation.tiff): 3 of its pages were blank and kept as they are"],
      };
      packets.set(id, packet);
      return packet;
    },
    cancelBuild: async () => {
      cancel = true;
      return null;
    },
    packetBytes: async (id: string) => packetPdf(detail(id)).bytes.buffer as ArrayBuffer,
    savePacketAs: async (_id: string, path: string) => path,
    openPacketFolder: async () => null,
    importFolder: async () => detail(put({ ...demoDoc(), member: { ...demoDoc().member, name: "Imported Member" } })),
    exportCase: async (_id: string, dir: string) => `${dir}/case`,
    loadDemo: async () => detail(put(demoDoc())),
    rules: async () => [],
  } satisfies Partial<typeof commands>);

  Object.assign(shell, {
    connected: () => true,
    pickDocuments: async () => ["/home/you/Downloads/progress-note-follow-up.pdf", "/home/you/Pictures/heel-wound-week-6.jpg"],
    pickFolder: async () => "/home/you/cases/smith-oxygen-appeal",
    pickSavePath: async (name: string) => `/home/you/Desktop/${name}`,
    onBuildProgress: async (cb: (p: ProgressView) => void) => {
      progress.add(cb);
      return () => progress.delete(cb);
    },
    onFileDrop: async (_cb: (e: DropEvent) => void) => () => {},
    confirm: async (message: string) => window.confirm(message),
    onCloseRequested: async () => () => {},
  });
}

// ---- sample bytes

function sampleBytes(file: string): ArrayBuffer {
  const f = formatOfFile(file);
  if (f === "pdf") return makePdf([[baseName(file), "", "Sample document page 1", "for the development fixture."], ["Page 2"]]).buffer as ArrayBuffer;
  if (f === "text" || f === "markdown") return new TextEncoder().encode(`# ${baseName(file)}\n\nPatient seen for follow-up. SpO2 88% at rest on room air,\n83% after 6-minute walk (210 m).\nContinuous oxygen 2 L/min recommended.\n`).buffer as ArrayBuffer;
  const canvas = document.createElement("canvas");
  canvas.width = 240;
  canvas.height = 180;
  const g = canvas.getContext("2d")!;
  g.fillStyle = "#d9c7b0";
  g.fillRect(0, 0, 240, 180);
  g.fillStyle = "#8a4b3a";
  g.beginPath();
  g.ellipse(120, 90, 50, 34, 0.3, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = "#222";
  g.font = "14px sans-serif";
  g.fillText(baseName(file), 10, 170);
  const url = canvas.toDataURL("image/png");
  const bin = atob(url.split(",")[1]);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0)).buffer as ArrayBuffer;
}

function packetPdf(d: CaseDetail): { bytes: Uint8Array; pages: number; sections: PacketView["sections"] } {
  const pages: string[][] = [];
  const sections: PacketView["sections"] = [];
  const add = (kind: string, title: string, content: string[][]) => {
    sections.push({ kind, title, first_page: pages.length + 1, pages: content.length });
    pages.push(...content);
  };
  add("cover", "Cover", [["REQUEST FOR RECONSIDERATION", "", `Member: ${d.doc.member.name}`, `DOB: ${d.doc.member.dob}`, `Member ID: ${d.doc.member.member_id}`, `Payer: ${d.doc.member.payer}`, `Reference: ${d.doc.case.reference ?? ""}`]]);
  add("contents", "Contents", [["CONTENTS", "", ...d.doc.exhibit.map((e, i) => `Exhibit ${i + 1} ... ${e.title}`)]]);
  add("timeline", "Timeline", [["TIMELINE", "", ...d.doc.event.map((e) => `${e.at}  ${e.summary.slice(0, 70)}`)]]);
  add("letter", "Letter", [["LETTER", "", ...(d.doc.letter ?? d.template_letter).split("\n").slice(0, 30).map((l) => l.slice(0, 90))]]);
  add("charts", "Clinical charts", [["CLINICAL CHARTS", "", "SpO2 over time (88 % line)"]]);
  const order = d.doc.exhibit.map((e, i) => ({ e, n: d.exhibits[i]?.number ?? i + 1 })).sort((a, b) => a.n - b.n);
  for (const { e, n } of order) {
    sections.push({ kind: "exhibit", title: `Exhibit ${n} · ${e.kind}`, first_page: pages.length + 1, pages: 2 });
    pages.push([`Exhibit ${n}`, e.title, e.date], [e.title, "", "(document page)"]);
  }
  add("manifest", "Manifest", [["MANIFEST", "", ...d.doc.exhibit.map((e) => e.file)]]);
  const stamped = pages.map((p, i) => [...p, "", "", `${d.doc.member.name} - Page ${i + 1} of ${pages.length}`]);
  return { bytes: makePdf(stamped), pages: pages.length, sections };
}

/** A small valid PDF with one page of Helvetica text lines per entry. */
function makePdf(pages: string[][]): Uint8Array {
  const esc = (s: string) => s.replace(/[^\x20-\x7e]/g, "?").replace(/([\\()])/g, "\\$1");
  const objects: string[] = [];
  const pageIds: number[] = [];
  const first = 4;
  pages.forEach((lines, i) => {
    const pageId = first + i * 2;
    pageIds.push(pageId);
    const text = lines.map((l, j) => `BT /F1 ${j === 0 ? 16 : 11} Tf 60 ${740 - j * 18} Td (${esc(l)}) Tj ET`).join("\n");
    objects[pageId] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;
  });
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((p) => `${p} 0 R`).join(" ")}] /Count ${pages.length} >>`;
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
