// A coordinator's whole walk, counted the usability way: from an empty app to a built, previewed
// packet for a ten-document case (denial letter, order, two notes, oximetry report, three phone
// photos, a portal screenshot, a fax report) with its identifiers, two calls and three SpO2
// readings. The documents are picked in the native file dialog, with the keys a person uses.
// Each click, each field typed into and each shortcut counts 1, a dropdown 2; the walk must take
// at most 50, and the packet must hold every value entered.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mkdirSync, readFileSync, readdirSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { WORK, el, sel, open, shot, typeKeys, exhibitRow, allSaved } from "./helpers.mjs";

const PICK = join(import.meta.dirname, "..", "pick-files.py");
const FOLDER = join(WORK, "walk", "Downloads", "Hayes");

/** The interactions so far, by screen, and what each was. */
const tally = { total: 0, screens: {}, steps: [] };
let screen = "Cases";

function count(n, what) {
  tally.total += n;
  tally.screens[screen] = (tally.screens[screen] ?? 0) + n;
  tally.steps.push(`${screen}: ${what}${n > 1 ? ` (${n})` : ""}`);
}

async function click(b, id, what = id) {
  const e = typeof id === "string" ? await el(b, id) : id;
  await e.scrollIntoView({ block: "center" });
  await e.click();
  count(1, `click ${what}`);
}

async function typeInto(b, e, text, what) {
  const target = typeof e === "string" ? await el(b, e) : e;
  await typeKeys(b, target, text);
  count(1, `type ${what}`);
}

async function choose(b, e, value, what) {
  const target = typeof e === "string" ? await el(b, e) : e;
  await target.scrollIntoView({ block: "center" });
  await target.selectByAttribute("value", value);
  count(2, `choose ${what}`);
}

async function shortcut(b, keys, what) {
  await b.keys(keys);
  count(1, what);
}

async function tab(b, name) {
  screen = name;
  await click(b, `tab-${name.toLowerCase()}`, `the ${name} tab`);
}

/** Today on this machine, as the app counts it. */
function localDay(offset = 0) {
  const d = new Date(Date.now() + offset * 86400000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** `2026-11-20` as people write it: `11/20/2026`. */
const us = (iso) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

let browser;
after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

const a11y = [];

test("a ten-document case from an empty app to its previewed packet in at most 50 interactions", async () => {
  // The ten files as they sit in a Downloads folder, and what a person would say each one is.
  mkdirSync(FOLDER, { recursive: true });
  execFileSync("cargo", ["run", "--quiet", "-p", "redress", "--features", "typescript", "--example", "walk-files", "--", FOLDER], { cwd: join(import.meta.dirname, "..", ".."), stdio: "inherit" });
  const truth = JSON.parse(readFileSync(join(FOLDER, "walk.json"), "utf8"));
  assert.equal(truth.length, 10);
  const notice = truth.find((t) => t.kind === "denial-letter").date;

  browser = await open();
  const b = browser;
  await el(b, "empty-state", 30000);

  // The identifiers.
  await click(b, "empty-new-case", "New case");
  screen = "Overview";
  await el(b, "identifiers-form");
  await choose(b, "field-case.program", "medicare-advantage", "the program");
  const typed = {
    "case.title": "Home oxygen authorization denial",
    "case.notice_date": us(notice),
    "case.reference": "LAP-UM-2026-041773",
    "case.authorization_number": "PA-2026-88213",
    "member.name": "Walter Hayes",
    "member.dob": "03/14/1947",
    "member.member_id": "XJH123456789",
    "member.payer": "Lakeshore Advantage Plus",
    "case.diagnoses": "J44.1, R09.02",
    "case.procedures": "E1390, E0431",
    "provider.organization": "Northside Home Medical",
    "provider.clinician": "Priya Natarajan, MD",
    "provider.npi": "123-456-7893",
  };
  for (const [key, value] of Object.entries(typed)) await typeInto(b, `field-${key}`, value, key);
  await click(b, "save-case", "Create case");
  await el(b, "deadline-citation", 20000);

  // The documents: all ten picked at once in the native dialog.
  await tab(b, "Documents");
  await click(b, "add-documents", "Add documents…");
  execFileSync("/usr/bin/python3", [PICK, "Add documents to the case", FOLDER], { stdio: "inherit" });
  count(1, "type the folder's path in the dialog (Ctrl+L)");
  count(1, "select every file (Ctrl+A)");
  count(1, "Open (Enter)");
  await b.waitUntil(async () => (await b.$$(sel("exhibit-row"))).length === 10, { timeout: 30000, timeoutMsg: "the ten documents were not added" });

  // What the app suggested for each, against what a person would say.
  const rows = await b.execute(() =>
    [...document.querySelectorAll('[data-testid="exhibit-row"]')].map((r) => ({
      file: r.dataset.file,
      kind: r.querySelector('[data-testid="exhibit-kind"]').value,
      date: r.querySelector('[data-testid="exhibit-date"]').value,
      title: r.querySelector('[data-testid="exhibit-title"]').value,
    })),
  );
  const right = { kind: 0, date: 0, title: 0 };
  const fixes = [];
  for (const t of truth) {
    // The app keeps a file's name, with what is not a letter, digit, '.', '-' or '_' made '-'.
    const row = rows.find((r) => r.file === `docs/${t.name.replace(/[^\p{L}\p{N}._-]/gu, "-")}`);
    assert.ok(row, `no row for ${t.name}: ${JSON.stringify(rows)}`);
    for (const k of ["kind", "date", "title"]) {
      if (row[k] === t[k]) right[k] += 1;
      else fixes.push({ file: row.file, key: k, want: t[k], got: row[k] });
    }
  }
  console.log(`suggestions right: kind ${right.kind}/10, date ${right.date}/10, title ${right.title}/10`);
  for (const f of fixes) {
    const field = await (await exhibitRow(b, f.file)).$(sel(`exhibit-${f.key}`));
    if (f.key === "kind") await choose(b, field, f.want, `the kind of ${f.file}`);
    else await typeInto(b, field, f.key === "date" ? us(f.want) : f.want, `the ${f.key} of ${f.file}`);
  }
  // The last fix is committed when the next field is entered or the tab changes.
  await shot(b, "20-walk-documents", a11y);

  // Two calls, one with a promise that has passed.
  await tab(b, "Log");
  await typeInto(b, "log-summary", "Called plan intake; agent said the decision would be faxed by Friday", "what happened");
  await typeInto(b, "log-at", `${us(localDay(-9))} 10:15am`, "when");
  await typeInto(b, "log-counterpart", "Maria G., intake", "with whom");
  await typeInto(b, "log-reference", "REF-55821", "the reference");
  await typeInto(b, "log-promised", `${us(localDay(-6))} 5pm`, "promised by");
  await shortcut(b, ["Enter"], "Enter (add)");
  await b.waitUntil(async () => (await b.$$(sel("log-event"))).length === 1, { timeout: 15000, timeoutMsg: "the first call was not logged" });
  await typeInto(b, "log-summary", "Called again: no decision yet, escalated to a supervisor", "what happened");
  await typeInto(b, "log-at", `${us(localDay(-2))} 2:40pm`, "when");
  await shortcut(b, ["Enter"], "Enter (add)");
  await b.waitUntil(async () => (await b.$$(sel("log-event"))).length === 2, { timeout: 15000, timeoutMsg: "the second call was not logged" });
  await el(b, "missed-promise");

  // Three SpO2 readings, one on exertion (a new reading is at rest, on room air).
  await tab(b, "Readings");
  const readings = [
    [`${us(localDay(-12))} 8:10am`, "91", null],
    [`${us(localDay(-12))} 8:25am`, "86", "exertion"],
    [`${us(localDay(-11))} 9:00am`, "89", null],
  ];
  for (const [i, [when, percent, activity]] of readings.entries()) {
    await click(b, "add-spo2", "Add reading");
    const row = (await b.$$('[data-testid="spo2-table"] tbody tr'))[i];
    await typeInto(b, await row.$("input.at"), when, `reading ${i + 1}'s time`);
    await typeInto(b, await row.$('input[aria-label$="SpO2 percent"]'), percent, `reading ${i + 1}'s SpO2`);
    if (activity) await choose(b, await row.$('select[aria-label$="activity"]'), activity, `reading ${i + 1}'s activity`);
  }
  await b.keys(["Tab"]);
  await allSaved(b, "the walk's case");

  // The packet.
  await tab(b, "Packet");
  await click(b, "build-packet", "Build packet");
  await el(b, "preview-canvas", 60000);
  await shot(b, "21-walk-packet", a11y);

  console.log(`interactions: ${tally.total} (${Object.entries(tally.screens).map(([s, n]) => `${s} ${n}`).join(", ")})`);
  console.log(tally.steps.map((s, i) => `  ${i + 1}. ${s}`).join("\n"));
  assert.ok(tally.total <= 50, `the walk took ${tally.total} interactions:\n${tally.steps.join("\n")}`);

  // The packet holds every value entered: codes and identifiers on the cover, the calls and
  // readings' dates in the timeline, the exhibits in date order.
  const packets = join(WORK, "data-walk", "packets");
  assert.ok(existsSync(packets), "no packets folder beside the walk's database");
  const pdf = readdirSync(packets).find((f) => f.endsWith(".pdf"));
  const text = execFileSync("pdftotext", ["-layout", join(packets, pdf), "-"], { encoding: "utf8" });
  for (const v of ["J44.1", "R09.02", "E1390", "E0431", "LAP-UM-2026-041773", "PA-2026-88213", "XJH123456789", "1234567893", "Priya Natarajan, MD", "Lakeshore Advantage Plus"]) {
    assert.ok(text.includes(v), `the packet lacks ${v}`);
  }
  // The calls' days in the timeline, and each exhibit's date as corrected (the readings reach the
  // packet with its clinical charts, a later step).
  for (const day of [localDay(-9), localDay(-2), ...truth.map((t) => t.date)]) assert.ok(text.includes(day), `the packet lacks the date ${day}`);
  // The contents: "Exhibit 3 · Progress note · 2026-11-01 — Office Visit - SOAP… . . 11".
  const contents = text.slice(text.indexOf("Contents"), text.indexOf("Timeline", text.indexOf("Manifest")));
  const listed = [...contents.matchAll(/Exhibit (\d+) · [^·\n]+ · (\d{4}-\d\d-\d\d) — (.+?)(?:…|\s\.|\s{2}|$)/gm)].map((m) => ({ n: Number(m[1]), date: m[2], title: m[3].trim() }));
  assert.deepEqual(listed.map((x) => x.n), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], `the contents:\n${contents}`);
  assert.deepEqual(listed.map((x) => x.date), truth.map((t) => t.date).sort(), "the exhibits are not in date order, or a date was lost");
  for (const x of listed) assert.ok(truth.some((t) => t.date === x.date && t.title.startsWith(x.title)), `exhibit ${x.n} (${x.date} ${x.title}) is not one entered`);
});

test("Ctrl+Z brings back a removed document, after its removal was saved", async () => {
  const b = browser;
  screen = "Undo";
  await click(b, "tab-documents", "the Documents tab");
  const before = await b.$$(sel("exhibit-row"));
  const file = await before[0].getAttribute("data-file");
  await (await before[0].$(sel("exhibit-remove"))).click();
  await b.waitUntil(async () => (await b.$$(sel("exhibit-row"))).length === 9, { timeout: 10000, timeoutMsg: "the document was not removed" });
  await allSaved(b, "the removal");
  // Nothing focused, as after a click on the page: Ctrl+Z is the case's undo.
  await b.execute(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await b.keys(["Control", "z"]);
  await b.keys(["Control"]);
  await exhibitRow(b, file);
  await allSaved(b, "the undone removal");
  assert.equal((await b.$$(sel("exhibit-row"))).length, 10);
  // Saved with its content: its thumbnail still renders from the stored document.
  await b.waitUntil(async () => (await (await exhibitRow(b, file)).$('[data-testid="thumbnail"] img, [data-testid="thumbnail"] pre')).isExisting(), {
    timeout: 20000,
    timeoutMsg: "the document came back without its stored content",
  });
});

test("the walk's screens pass the WCAG 2 A/AA checks of axe-core (serious and critical)", () => {
  assert.deepEqual(a11y, []);
});
