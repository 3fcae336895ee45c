// Development only (`npm run dev`, then /?fixture): sample cases and a pretend shell, so the
// screens can be looked at in a plain browser. main.ts imports this module only behind
// `import.meta.env.DEV`, so production builds do not contain it.
//
// The cases are the library's own output: `make bindings` writes fixture.gen.json from the demo
// case and a few others as the app's commands return them on one fixed day (its `now`), with
// the deadlines, warnings, ladders and letters the library computes; a test fails when it
// drifts. Edits made here change the document only; deadlines stay as generated.

import { commands, shell, type DropEvent } from "./api";
import type { CaseDetail, CaseDoc, CaseOverview, DocumentFormat, PacketView, ProfileView, ProgressView, RefusedDocument, RuleView, SectionKind, VolumeView } from "./bindings.gen";
import { CASE_KINDS, PROGRAMS, localDate, localMinute } from "./format";
import { validateDoc } from "./validate";
import { exhibitNumbers, formatOfFile, baseName } from "./exhibits";
import generated from "./fixture.gen.json";

const FIXTURE = generated as unknown as { now: string; cases: CaseDetail[]; rules: RuleView[]; profiles: ProfileView[] };
const FIXTURE_PROFILES = FIXTURE.profiles;

/** The fixture's split: a profile with a page limit under the packet's pages splits it in two. */
function fixtureVolumeCount(pages: number, _bytes: number, profile: string): number {
  return profile === "fax" && pages > 200 ? 2 : profile === "portal-10mb" ? 2 : 1;
}

function fixtureVolumes(p: PacketView, profile: string): VolumeView[] {
  const of = fixtureVolumeCount(p.pages, p.bytes, profile);
  const per = Math.ceil(p.pages / of);
  return Array.from({ length: of }, (_, i) => {
    const first = i * per + 1;
    const last = Math.min(p.pages, first + per - 1);
    const name = of === 1 ? "packet.pdf" : `packet-vol${i + 1}-of-${of}.pdf`;
    return { path: p.path.replace(/packet\.pdf$/, name), name, number: i + 1, of, pages: last - first + 1, first_page: first, last_page: last, bytes: Math.round(p.bytes / of), sha256: p.sha256, };
  });
}

function knownFormat(file: string): DocumentFormat | null {
  const f = formatOfFile(file);
  return f === "unknown" ? null : f;
}

/** A generated case under another id, or a new case with what the library would not know here. */
function detailOf(id: string, doc: CaseDoc, packet: PacketView | null, from: CaseDetail | null): CaseDetail {
  const numbers = exhibitNumbers(doc.exhibit);
  return {
    id,
    doc: structuredClone(doc),
    exhibits: doc.exhibit.map((e, i) => from?.exhibits.find((x) => x.file === e.file) ?? { file: e.file, sha256: null, number: numbers[i], format: knownFormat(e.file), citation: `Exhibit ${numbers[i]}` }),
    deadlines: from?.deadlines ?? [],
    missed_promises: from?.missed_promises ?? [],
    ladder: from?.ladder ?? [],
    template_letter: from?.template_letter ?? "",
    readings: from?.readings ?? { spo2: null, wounds: [], mobility: [] },
    checklist: from?.checklist ?? null,
    packet,
  };
}

/** Replaces the commands and the shell with in-memory stand-ins. */
export function installFixture(): void {
  const docs = new Map<string, CaseDoc>();
  const origins = new Map<string, CaseDetail | null>();
  const packets = new Map<string, PacketView | null>();
  const backups = { keep: 7, folder: "/home/you/.local/share/redress/backups", last: null as string | null, count: 0, failure: null as string | null };
  let next = 1;
  const put = (doc: CaseDoc, from: CaseDetail | null = null): string => {
    const id = from?.id && !docs.has(from.id) ? from.id : `case-${next++}`;
    docs.set(id, structuredClone(doc));
    origins.set(id, from);
    packets.set(id, null);
    return id;
  };
  const demo = FIXTURE.cases[0];
  const empty = location.search.includes("empty");
  if (!empty) FIXTURE.cases.forEach((c) => put(c.doc, c));
  const detail = (id: string): CaseDetail => {
    const d = docs.get(id);
    if (!d) throw { kind: "not-found", message: `no case ${id}`, problems: [] };
    return detailOf(id, d, packets.get(id) ?? null, origins.get(id) ?? null);
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
    restoreDocuments: async (id: string, doc: CaseDoc) => {
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
      return { detail: detail(id), added, refused, dates: added.map((file) => ({ file, source: "modified" as const })) };
    },
    unlockDocument: async (id: string, path: string, password: string) => {
      const name = baseName(path);
      if (password !== "secret") throw { kind: "wrong-password", message: `${name} does not open with that password; check the password (it is case-sensitive) and try again`, problems: [] };
      const d = docs.get(id)!;
      d.exhibit.push({ file: `docs/${name}`, kind: "progress-note", date: localDate(new Date()), title: name.replace(/\.[^.]+$/, "").replace(/[-_]/g, " ") });
      return { detail: detail(id), added: [`docs/${name}`], refused: [], dates: [{ file: `docs/${name}`, source: "today" as const }] };
    },
    documentBytes: async (_id: string, file: string) => sampleBytes(file),
    documentThumbnail: async () => {
      throw { kind: "other", message: "no thumbnails in the fixture", problems: [] };
    },
    buildPacket: async (id: string, _checklist: boolean, _ocr: boolean, profile: string) => {
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
        volumes: [],
        profile,
      };
      packet.volumes = fixtureVolumes(packet, profile);
      packets.set(id, packet);
      return packet;
    },
    profiles: async () => FIXTURE_PROFILES,
    estimatePacket: async (id: string, profile: string) => {
      const pages = packetPdf(detail(id)).pages;
      const bytes = 2_400_000;
      return { profile, pages, bytes, volumes: fixtureVolumeCount(pages, bytes, profile) };
    },
    buildFaxPreview: async (id: string) => {
      const pdf = packetPdf(detail(id));
      const view: PacketView = { path: `/home/you/.local/share/redress/packets/${id}-fax-preview.pdf`, pages: pdf.pages, bytes: pdf.bytes.length, sha256: "f".repeat(64), built: localMinute(new Date()), sections: pdf.sections, warnings: [], volumes: [], profile: "fax" };
      return view;
    },
    volumeBytes: async (id: string) => packetPdf(detail(id)).bytes.buffer as ArrayBuffer,
    faxPreviewBytes: async (id: string) => packetPdf(detail(id)).bytes.buffer as ArrayBuffer,
    saveVolumeAs: async (_id: string, _n: number, path: string) => path,
    cancelBuild: async () => {
      cancel = true;
      return null;
    },
    packetBytes: async (id: string) => packetPdf(detail(id)).bytes.buffer as ArrayBuffer,
    savePacketAs: async (_id: string, path: string) => path,
    // The library writes the real request; here the generated template stands in for it.
    claimFileLetter: async (id: string) => `# Request for the claim file\n\n(The app writes this request for ${detail(id).doc.member.name}; this development preview has no library.)`,
    saveClaimFileLetter: async (_id: string, path: string) => path,
    openPacketFolder: async () => null,
    importFolder: async () => detail(put({ ...demo.doc, member: { ...demo.doc.member, name: "Imported Member" } }, { ...demo, id: "" })),
    exportCase: async (_id: string, dir: string) => `${dir}/case`,
    loadDemo: async () => detail(put(demo.doc, demo)),
    rules: async () => FIXTURE.rules,
    backupSettings: async () => ({ ...backups }),
    openBackupFolder: async () => null,
    setBackupKeep: async (keep: number) => {
      backups.keep = keep;
      return { ...backups };
    },
    backUpNow: async () => {
      await wait(600);
      backups.last = new Date().toISOString();
      backups.count = Math.min(backups.count + 1, Math.max(1, backups.keep));
      return { ...backups };
    },
  } satisfies Partial<typeof commands>);

  Object.assign(shell, {
    connected: () => true,
    pickDocuments: async () => ["/home/you/Downloads/progress-note-follow-up.pdf", "/home/you/Pictures/heel-wound-week-6.jpg"],
    pickFolder: async () => "/home/you/cases/smith-oxygen-appeal",
    pickFile: async () => null,
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
  const add = (kind: SectionKind, title: string, content: string[][]) => {
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
