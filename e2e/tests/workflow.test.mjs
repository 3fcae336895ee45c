// The whole workflow in the real app window: create a case, add three documents through the
// app's own add path, log a call with a promise, see the deadline with its citation, build and
// preview the packet, quit, restart, and find everything still there. Where input used to be
// lost, the test types key by key into whatever has the focus, as a person does.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { WORK, allSaved, closeWindow, dropFiles, el, exhibitRow, fill, isoDay, open, sel, shot as shotInto, typeKeys } from "./helpers.mjs";

const DOCS = join(WORK, "source", "docs");
const PICK = join(import.meta.dirname, "..", "pick-files.py");

/** Every screen shot is also checked for WCAG 2 A/AA problems of serious or critical impact. */
const accessibility = [];

async function shot(b, name) {
  await shotInto(b, name, accessibility);
}

/** The data-testid of the focused element, and its value. */
async function focused(b) {
  return b.execute(() => ({ testid: document.activeElement?.dataset?.testid ?? null, value: document.activeElement?.value ?? null }));
}

/** The exhibit rows as "number:file", in screen order. */
async function exhibitOrder(b) {
  return b.execute(() => [...document.querySelectorAll('[data-testid="exhibit-row"]')].map((r) => `${r.dataset.number}:${r.dataset.file}`));
}

/** The texts of the notices on screen. */
async function toasts(b) {
  return b.execute(() => [...document.querySelectorAll('[data-testid="toast"]')].map((t) => t.textContent.replace(/\s+/g, " ").trim()));
}

/** The checklist's items as the screen shows them: id, status, its word, exhibits cited, citation. */
async function checklistItems(b) {
  return b.execute(() =>
    [...document.querySelectorAll('[data-testid="checklist-item"]')].map((i) => ({
      id: i.dataset.item,
      status: i.dataset.status,
      said: i.querySelector('[data-testid="checklist-status"]').textContent.trim(),
      evidence: [...i.querySelectorAll('[data-testid="checklist-evidence"]')].map((e) => e.textContent.replace(/\s+/g, " ").trim()),
      exhibits: [...i.querySelectorAll('[data-testid="checklist-exhibit"]')].map((e) => e.textContent.replace(/\s+/g, " ").trim()),
      citation: i.querySelector('[data-testid="checklist-citation"]').textContent,
    })),
  );
}

/** Waits until one of the shown deadlines carries `citation`. */
async function seeCitation(b, citation) {
  await el(b, "deadline-citation", 20000);
  await b.waitUntil(
    async () => {
      for (const c of await b.$$(sel("deadline-citation"))) if ((await c.getText()).includes(citation)) return true;
      return false;
    },
    { timeout: 15000, timeoutMsg: `no deadline shows the citation ${citation}` },
  );
}

let browser;
after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

test("a new user's whole session, then a restart that keeps everything", async () => {
  browser = await open();
  const b = browser;

  // An empty database: the app offers the demo case and a new case.
  await el(b, "empty-state", 30000);
  await shot(b, "01-cases-empty");

  // Create a case with its identifiers.
  await (await el(b, "empty-new-case")).click();
  await el(b, "identifiers-form");
  const notice = isoDay(-10);
  await fill(b, "case.kind", "provider-appeal");
  await fill(b, "case.program", "medicare-advantage");
  await fill(b, "case.title", "Home oxygen authorization denial");
  await fill(b, "case.notice_date", notice);
  await fill(b, "case.reference", "CCX-2026-0142");
  await fill(b, "member.name", "John Smith");
  await fill(b, "member.dob", "1945-01-23");
  await fill(b, "member.member_id", "XJH123456789");
  await fill(b, "member.payer", "Acme Health Plan");
  // The codes fields keep what is typed, key by key (they used to drop every character).
  const diagnoses = await el(b, "field-case.diagnoses");
  await typeKeys(b, diagnoses, "J44.1, R09.02");
  assert.equal(await diagnoses.getValue(), "J44.1, R09.02");
  const procedures = await el(b, "field-case.procedures");
  await typeKeys(b, procedures, "E1390");
  assert.equal(await procedures.getValue(), "E1390");
  // An NPI typed as it is printed, with dashes, is kept whole and stored as its digits.
  const npi = await el(b, "field-provider.npi");
  await typeKeys(b, npi, "123-456-7893");
  assert.equal(await npi.getValue(), "123-456-7893");
  await b.keys(["Tab"]);
  assert.equal(await npi.getValue(), "1234567893");
  await (await el(b, "save-case")).click();

  // The deadline appears with the rule's citation.
  await seeCitation(b, "42 CFR 422.582(b)");
  assert.equal(await (await el(b, "field-case.diagnoses")).getValue(), "J44.1, R09.02", "the codes were not kept on saving");
  assert.equal(await (await el(b, "field-case.procedures")).getValue(), "E1390");
  // The sidebar counts the new case.
  await b.waitUntil(async () => (await (await el(b, "nav-cases")).getText()).includes("1"), { timeout: 10000, timeoutMsg: "the sidebar does not count the new case" });
  await shot(b, "02-case-overview");

  // Three documents of different kinds, dropped as from the file manager.
  await (await el(b, "tab-documents")).click();
  await el(b, "drop-zone");
  const paths = [join(DOCS, "order-home-oxygen.pdf"), join(DOCS, "oximeter-photo.jpg"), join(DOCS, "progress-note.md")];
  dropFiles(paths);
  await b.waitUntil(async () => (await b.$$(sel("exhibit-row"))).length === 3, { timeout: 20000, timeoutMsg: "three documents were not added" });

  // The note's own date, typed key by key: the list does not jump under the keys, and it
  // re-sorts on Enter with the focus still in the field.
  const noteFile = "docs/progress-note.md";
  const noteDate = await (await exhibitRow(b, noteFile)).$(sel("exhibit-date"));
  await typeKeys(b, noteDate, "2020-01-15");
  assert.deepEqual(await focused(b), { testid: "exhibit-date", value: "2020-01-15" }, "the date field lost the focus or the keys");
  await b.keys(["Enter"]);
  await b.waitUntil(async () => (await exhibitOrder(b))[0] === `1:${noteFile}`, { timeout: 5000, timeoutMsg: "the list did not re-sort on Enter" });
  assert.deepEqual(await focused(b), { testid: "exhibit-date", value: "2020-01-15" }, "the focus left the date field on Enter");
  // The date is saved on its own; then a title typed key by key is saved on its own, with no Save.
  await allSaved(b, "the document's date");
  const noteTitle = await (await exhibitRow(b, noteFile)).$(sel("exhibit-title"));
  await typeKeys(b, noteTitle, "Pulmonary visit, 6-minute walk");
  await b.keys(["Tab"]);
  await allSaved(b, "the document's date and title");

  // The same file again, a truncated PDF and a good one, together: the good one is added, and
  // each other one is named with why, in plain words.
  const cut = join(WORK, "cut-off-scan.pdf");
  const full = readFileSync(join(DOCS, "overnight-oximetry-report.pdf"));
  writeFileSync(cut, full.subarray(0, Math.floor(full.length / 2)));
  dropFiles([join(DOCS, "order-home-oxygen.pdf"), cut, join(DOCS, "denial-notice.pdf")]);
  await b.waitUntil(async () => (await b.$$(sel("exhibit-row"))).length === 4, { timeout: 20000, timeoutMsg: "the good document was not added beside the bad ones" });
  await b.waitUntil(async () => (await toasts(b)).some((t) => t.includes("not added")), { timeout: 10000, timeoutMsg: "the refused files were not named" });
  const said = (await toasts(b)).join(" | ");
  const orderNumber = await (await exhibitRow(b, "docs/order-home-oxygen.pdf")).getAttribute("data-number");
  assert.match(said, new RegExp(`order-home-oxygen\\.pdf is already in the case as exhibit ${orderNumber} \\(docs/order-home-oxygen\\.pdf\\)`), said);
  assert.match(said, /cut-off-scan\.pdf is truncated/, said);
  assert.doesNotMatch(said, /parsing|cross reference|xref/i, said);
  assert.match(said, /Error: /, said);
  assert.equal((await b.$$('[data-testid="exhibit-row"][data-file="docs/order-home-oxygen-2.pdf"]')).length, 0, "the same file became a second exhibit");
  await shot(b, "03-documents");

  // A call with a promised date that has already passed.
  await (await el(b, "tab-log")).click();
  await (await el(b, "log-summary")).setValue("Called plan intake; agent confirmed the order was received");
  await (await el(b, "log-counterpart")).setValue("Maria G., intake");
  await (await el(b, "log-reference")).setValue("REF-55821");
  const promised = await el(b, "log-promised");
  await promised.clearValue();
  await promised.setValue(`${isoDay(-2)}T17:00`);
  await (await el(b, "log-submit")).click();
  await b.waitUntil(async () => (await b.$$(sel("log-event"))).length === 1, { timeout: 15000, timeoutMsg: "the call was not logged" });
  await b.waitUntil(async () => (await b.$$(sel("missed-promise"))).length >= 1, { timeout: 15000, timeoutMsg: "the passed promise is not marked missed" });
  // The quick path: type what happened and press Enter.
  const summary = await el(b, "log-summary");
  await summary.click();
  await summary.setValue("Faxed the signed order again");
  await b.keys("Enter");
  await b.waitUntil(async () => (await b.$$(sel("log-event"))).length === 2, { timeout: 15000, timeoutMsg: "Enter did not log the entry" });
  await shot(b, "04-log");

  // Two SpO2 readings typed in, key by key: saved on their own, and the chart's time axis
  // names each day or time once.
  await (await el(b, "tab-readings")).click();
  await el(b, "spo2-table");
  const today = isoDay(0);
  for (const [when, percent] of [[`${today}T08:10`, "91"], [`${today}T11:40`, "86"]]) {
    await (await el(b, "add-spo2")).click();
    const rows = await b.$$('[data-testid="spo2-table"] tbody tr');
    const row = rows[rows.length - 1];
    await typeKeys(b, await row.$("input.at"), when);
    await typeKeys(b, await row.$('input[aria-label$="SpO2 percent"]'), percent);
    await b.keys(["Tab"]);
  }
  await allSaved(b, "the readings");
  const ticks = await b.execute(() => [...document.querySelectorAll('[data-testid="chart-spo2-chart"] [data-testid="chart-x-tick"]')].map((t) => t.textContent));
  assert.ok(ticks.length >= 2, `chart ticks: ${ticks}`);
  assert.equal(new Set(ticks).size, ticks.length, `the time axis repeats a label: ${ticks}`);
  await shot(b, "05-readings");
  // Without a service the coverage criteria screen asks for one instead of showing a checklist.
  await (await el(b, "tab-criteria")).click();
  assert.match(await (await el(b, "checklist-none")).getText(), /Choose what was requested/);
  assert.equal((await b.$$(sel("checklist-item"))).length, 0);
  await shot(b, "23-criteria-no-service");
  await (await el(b, "tab-letter")).click();
  await el(b, "letter-preview");
  await shot(b, "06-letter");

  // Build the packet and see its page count and preview.
  await (await el(b, "tab-packet")).click();
  await (await el(b, "build-packet")).click();
  const count = await el(b, "page-count", 60000);
  await b.waitUntil(async () => /\d+/.test(await count.getText()), { timeout: 30000 });
  const pages = Number((await count.getText()).match(/\d+/)[0]);
  assert.ok(pages >= 9, `packet has ${pages} pages`);
  await el(b, "preview-canvas", 30000);
  await shot(b, "07-packet");

  // A build that fails: the packet on disk is marked as the previous build, nothing offers to
  // save it, and the problem is said once.
  await (await el(b, "tab-documents")).click();
  const orderPages = await (await exhibitRow(b, "docs/order-home-oxygen.pdf")).$(sel("exhibit-pages"));
  await typeKeys(b, orderPages, "7-9");
  await (await el(b, "tab-packet")).click();
  await (await el(b, "build-packet")).click();
  await el(b, "build-error", 30000);
  await el(b, "previous-packet");
  assert.equal((await b.$$(sel("save-copy"))).length, 0, "the previous packet is still offered as a copy to save");
  assert.equal((await b.$$(sel("preview-canvas"))).length, 0, "the previous packet is still previewed");
  const errorText = await (await el(b, "build-error")).getText();
  const body = await b.execute(() => document.body.innerText);
  assert.equal(body.split(errorText.split(": ").pop().slice(0, 30)).length - 1, 1, `the error is said more than once:\n${body}`);
  assert.match(await (await el(b, "previous-packet")).getText(), /previous build/);
  await shot(b, "17-packet-build-failed");
  await (await el(b, "tab-documents")).click();
  await typeKeys(b, await (await exhibitRow(b, "docs/order-home-oxygen.pdf")).$(sel("exhibit-pages")), "1");
  await b.keys(["Tab"]);
  await (await el(b, "tab-packet")).click();
  await (await el(b, "build-packet")).click();
  await el(b, "save-copy", 60000);

  await (await el(b, "nav-cases")).click();
  await el(b, "case-row");
  await shot(b, "08-cases");
  await b.setWindowSize(1920, 1080);
  await shot(b, "09-cases-1920x1080");

  // A reading changed, then the window closed at once with its close button (well within the
  // pause after which edits save themselves): closing saves it first.
  await (await el(b, "case-open")).click();
  await (await el(b, "tab-readings")).click();
  const pulse = await b.$('[data-testid="spo2-table"] input[aria-label="Reading 2: pulse"]');
  await pulse.waitForDisplayed({ timeout: 15000 });
  await typeKeys(b, pulse, "97");
  await closeWindow(b);

  // Start again: everything is still there.
  browser = await open();
  const c = browser;
  await el(c, "case-row", 30000);
  const rows = await c.$$(sel("case-row"));
  assert.equal(rows.length, 1);
  assert.match(await rows[0].getText(), /John Smith/);
  await (await el(c, "case-open")).click();
  await seeCitation(c, "42 CFR 422.582(b)");
  assert.equal(await (await el(c, "field-case.diagnoses")).getValue(), "J44.1, R09.02", "codes lost after restart");
  assert.equal(await (await el(c, "field-provider.npi")).getValue(), "1234567893");
  await (await el(c, "tab-documents")).click();
  await c.waitUntil(async () => (await c.$$(sel("exhibit-row"))).length === 4, { timeout: 15000, timeoutMsg: "documents lost after restart" });
  // What was typed and never saved by hand is there: the date, the title.
  const note = await exhibitRow(c, "docs/progress-note.md");
  assert.equal(await (await note.$(sel("exhibit-date"))).getValue(), "2020-01-15");
  assert.equal(await (await note.$(sel("exhibit-title"))).getValue(), "Pulmonary visit, 6-minute walk");
  await (await el(c, "tab-readings")).click();
  await c.waitUntil(async () => (await c.$$('[data-testid="spo2-table"] input.at')).length === 2, { timeout: 15000, timeoutMsg: "readings lost after restart" });
  assert.equal(await (await c.$('[data-testid="spo2-table"] input[aria-label="Reading 2: pulse"]')).getValue(), "97", "the edit made just before closing was lost");
  await (await el(c, "tab-log")).click();
  await c.waitUntil(async () => (await c.$$(sel("log-event"))).length === 2, { timeout: 15000, timeoutMsg: "log lost after restart" });
  await (await el(c, "tab-packet")).click();
  await el(c, "page-count", 20000);
  await shot(c, "10-after-restart");
});

test("the demo case: readings with charts, deadlines, and its packet", async () => {
  const b = browser;
  await (await el(b, "nav-cases")).click();
  await (await el(b, "load-demo")).click();
  // Loading the demo opens it.
  const heading = await el(b, "case-heading", 30000);
  await b.waitUntil(async () => (await heading.getText()).includes("Walter Hayes"), { timeout: 30000, timeoutMsg: "the demo case was not loaded" });
  await seeCitation(b, "42 CFR 422.582(b)");
  await el(b, "ladder");
  await shot(b, "12-demo-overview");

  // The coverage criteria of the demo's home-oxygen service, as a reviewer reads them: the
  // qualifying test is met by the oximetry report, and the summary counts the items.
  await (await el(b, "tab-criteria")).click();
  await el(b, "checklist");
  const items = await checklistItems(b);
  const qualifying = items.find((i) => i.id === "oxygen-qualifying-test");
  assert.equal(qualifying?.status, "met", JSON.stringify(items));
  assert.equal(qualifying.said, "Met");
  assert.ok(qualifying.exhibits.some((e) => /^Exhibit \d+ · Overnight pulse oximetry report/.test(e)), qualifying.exhibits.join(" | "));
  assert.match(qualifying.citation, /LCD L33797/);
  assert.equal(items.find((i) => i.id === "oxygen-delivery")?.said, "Gap");
  assert.equal(await (await el(b, "checklist-summary-text")).getText(), "5 of 6 met, 1 gap");
  await shot(b, "20-demo-criteria");

  await (await el(b, "tab-documents")).click();
  await el(b, "exhibit-list");
  // The thumbnails on screen render: the PDF's first page through pdf.js, the photo as an image.
  await b.waitUntil(
    async () =>
      b.execute(() => {
        const thumbs = [...document.querySelectorAll('[data-testid="thumbnail"]')].slice(0, 3);
        return thumbs.length === 3 && thumbs.every((t) => t.querySelector("img, pre") !== null);
      }),
    { timeout: 30000, timeoutMsg: "the first document thumbnails did not render" },
  );
  // The fax report is a TIFF, which the web view cannot show: the app makes its thumbnail.
  const faxThumb = await (await exhibitRow(b, "docs/fax-confirmation.tiff")).$(sel("thumbnail"));
  await faxThumb.scrollIntoView({ block: "center" });
  await b.waitUntil(async () => (await faxThumb.$("img")).isExisting(), { timeout: 20000, timeoutMsg: "the TIFF fax has no thumbnail" });
  await shot(b, "18-demo-fax-thumbnail");
  await b.execute(() => {
    window.scrollTo(0, 0);
    document.querySelector("main")?.scrollTo(0, 0);
  });
  await shot(b, "15-demo-documents");

  // A document says which criteria it meets: ticked under the signed order, saved on its own,
  // and the checklist counts the delivery as met by it; unticked again, the gap is back.
  const order = await exhibitRow(b, "docs/order-home-oxygen.pdf");
  await (await order.$(sel("exhibit-meets-toggle"))).scrollIntoView({ block: "center" });
  await (await order.$(sel("exhibit-meets-toggle"))).click();
  const delivery = await order.$('[data-testid="exhibit-meets-item"][data-item="oxygen-delivery"]');
  await delivery.waitForDisplayed({ timeout: 10000 });
  await delivery.scrollIntoView({ block: "center" });
  await delivery.click();
  await allSaved(b, "the criterion ticked under the order");
  await shot(b, "21-demo-document-meets");
  await (await el(b, "tab-criteria")).click();
  await b.waitUntil(async () => (await (await el(b, "checklist-summary-text")).getText()) === "6 of 6 met", { timeout: 15000, timeoutMsg: "the checklist did not count the ticked criterion" });
  const marked = (await checklistItems(b)).find((i) => i.id === "oxygen-delivery");
  assert.ok(marked.evidence.some((e) => /Signed standard written order.*\(you marked it\)/.test(e)), marked.evidence.join(" | "));
  await (await el(b, "tab-documents")).click();
  const orderAgain = await exhibitRow(b, "docs/order-home-oxygen.pdf");
  const toggle = await orderAgain.$(sel("exhibit-meets-toggle"));
  assert.match(await toggle.getText(), /1 of 6/);
  await toggle.scrollIntoView({ block: "center" });
  await toggle.click();
  const again = await orderAgain.$('[data-testid="exhibit-meets-item"][data-item="oxygen-delivery"]');
  await again.waitForDisplayed({ timeout: 10000 });
  await again.scrollIntoView({ block: "center" });
  await again.click();
  await allSaved(b, "the criterion unticked");

  // A call half logged when another tab is looked at: what was typed is still there.
  await (await el(b, "tab-log")).click();
  await (await el(b, "log-summary")).setValue("Called plan, on hold 40 min");
  await (await el(b, "log-counterpart")).setValue("Dana R.");
  await (await el(b, "tab-documents")).click();
  await el(b, "exhibit-list");
  await (await el(b, "tab-log")).click();
  assert.equal(await (await el(b, "log-summary")).getValue(), "Called plan, on hold 40 min", "the half-typed log entry was lost on a tab switch");
  assert.equal(await (await el(b, "log-counterpart")).getValue(), "Dana R.");
  // Emptied again, it stays empty: the demo goes on with nothing half typed.
  for (const id of ["log-summary", "log-counterpart"]) {
    const field = await el(b, id);
    await b.execute((e) => e.scrollIntoView({ block: "center" }), field);
    await field.click();
    await b.keys(["Control", "a"]);
    await b.keys(["Control"]);
    await b.keys(["Backspace"]);
  }
  await (await el(b, "tab-overview")).click();
  await (await el(b, "tab-log")).click();
  assert.equal(await (await el(b, "log-summary")).getValue(), "");

  // The letter starts from the template of the case's kind; the claim-file request is a letter
  // of its own, saved as a PDF through the native save dialog.
  await (await el(b, "tab-letter")).click();
  assert.match(await (await el(b, "letter-status")).getText(), /template letter for a provider appeal/);
  assert.match(await (await el(b, "letter-preview")).getText(), /Letter of medical necessity/);
  const scrolled = await b.execute(() => document.documentElement.scrollTop + document.body.scrollTop);
  assert.equal(scrolled, 0, "the letter did not open at its top");
  await (await el(b, "claim-file-open")).click();
  await el(b, "claim-file", 15000);
  assert.match(await (await el(b, "letter-preview")).getText(), /Request for a copy of the claim file/);
  await shot(b, "22-demo-claim-file");
  const claimPdf = join(WORK, "hayes-claim-file-request.pdf");
  await (await el(b, "claim-file-save")).click();
  execFileSync("/usr/bin/python3", [PICK, "--save", "Save the claim-file request as PDF", claimPdf], { stdio: "inherit" });
  await b.waitUntil(async () => existsSync(claimPdf) && (await toasts(b)).some((t) => t.includes("Saved the claim-file request")), { timeout: 20000, timeoutMsg: "the claim-file request was not saved" });
  const claimText = execFileSync("pdftotext", [claimPdf, "-"]).toString();
  assert.match(claimText, /Request\s+for\s+a\s+copy\s+of\s+the\s+claim\s+file/);
  assert.match(claimText, /Walter Hayes/);
  await (await el(b, "claim-file-close")).click();
  await el(b, "letter-text");

  // The person's own letter, cleared by a slip: the clearing saves itself, as every edit does,
  // and Ctrl+Z (or the notice's Undo) brings the letter back.
  await (await el(b, "use-template")).click();
  const letter = await el(b, "letter-text");
  await letter.click();
  await b.keys(["Control", "Home"]);
  await b.keys(["Control"]);
  for (const key of "MY OWN OPENING. ") await b.keys([key]);
  await b.keys(["Tab"]);
  await allSaved(b, "the letter");
  const own = await letter.getValue();
  assert.ok(own.startsWith("MY OWN OPENING. "), own.slice(0, 40));
  // The letter's actions are at the top of the screen, under the case's header when scrolled.
  await b.execute(() => window.scrollTo(0, 0));
  await (await el(b, "clear-letter")).click();
  assert.equal(await letter.getValue(), "");
  await b.waitUntil(async () => (await toasts(b)).some((t) => /^Letter cleared\. ?Undo/.test(t)), { timeout: 5000, timeoutMsg: "no notice with Undo after the letter was cleared" });
  await allSaved(b, "the cleared letter");
  await b.execute(() => document.activeElement?.blur());
  await b.keys(["Control", "z"]);
  await b.keys(["Control"]);
  await b.waitUntil(async () => (await letter.getValue()) === own, { timeout: 5000, timeoutMsg: "Ctrl+Z did not bring the letter back" });
  assert.ok((await toasts(b)).some((t) => t.includes("Undone: Letter cleared.")), (await toasts(b)).join(" | "));
  await allSaved(b, "the letter brought back");
  // The demo goes on with the template letter.
  // The letter's actions are at the top of the screen, under the case's header when scrolled.
  await b.execute(() => window.scrollTo(0, 0));
  await (await el(b, "clear-letter")).click();
  await allSaved(b, "the letter cleared again");
  await (await el(b, "tab-readings")).click();
  await el(b, "chart-threshold");
  await shot(b, "13-demo-readings");
  await (await el(b, "tab-packet")).click();
  // Where it goes: a portal's profile, with what it enforces and the volumes expected before
  // the build.
  const choice = await el(b, "packet-profile");
  await b.waitUntil(async () => (await choice.$$("option")).length >= 6, { timeout: 15000, timeoutMsg: "the destination profiles were not offered" });
  await choice.selectByAttribute("value", "portal-10mb");
  await b.waitUntil(async () => /at most 10\.0 MB a file/.test(await (await el(b, "profile-enforces")).getText()), { timeout: 10000, timeoutMsg: "the profile's limits are not shown" });
  const estimate = await el(b, "packet-estimate");
  await b.waitUntil(async () => /^Expected: one file, about \d+ pages and [\d.]+ (MB|KB)\.$/.test(await estimate.getText()), { timeout: 30000, timeoutMsg: "no estimate before the build" });
  const expected = Number((await estimate.getText()).match(/about (\d+) pages/)[1]);
  await (await el(b, "build-packet")).click();
  const count = await el(b, "page-count", 60000);
  await b.waitUntil(async () => Number(((await count.getText()).match(/\d+/) || ["0"])[0]) > 20, { timeout: 60000, timeoutMsg: "the demo packet was not built" });
  const built = Number((await count.getText()).match(/\d+/)[0]);
  assert.ok(Math.abs(built - expected) <= 4, `expected about ${expected} pages, built ${built}`);
  // The files it made, each with its pages and size: one, within 10 MB.
  const files = await b.$$(sel("packet-volume"));
  assert.equal(files.length, 1);
  assert.match(await files[0].getText(), new RegExp(`-packet\\.pdf\\s+${built} pages · [\\d.]+ (MB|KB)`));
  await el(b, "preview-canvas", 30000);
  await shot(b, "14-demo-packet");
  // The fax preview: built into a file of its own and shown, the packet left as it is.
  await (await el(b, "fax-preview")).click();
  await el(b, "fax-preview-shown", 90000);
  await el(b, "preview-canvas", 30000);
  assert.equal(Number((await count.getText()).match(/\d+/)[0]), built);
  await shot(b, "24-demo-fax-preview");
  await (await el(b, "back-to-packet")).click();
  // Later builds go without a destination again.
  await (await el(b, "packet-profile")).selectByAttribute("value", "");

  // Record how it was sent: the plan's decision clock starts, with its citation.
  await (await el(b, "submission-method")).selectByAttribute("value", "fax");
  await (await el(b, "submission-to")).setValue("Lakeshore Advantage Plus appeals, fax 312-555-0199");
  await (await el(b, "submission-submit")).click();
  const clock = await el(b, "decision-deadline", 20000);
  // The form is empty again, ready for the next submission.
  await b.waitUntil(async () => (await (await el(b, "submission-to")).getValue()) === "", { timeout: 10000, timeoutMsg: "the submission form kept its values" });
  await b.waitUntil(async () => /42 CFR 422\.590/.test(await clock.getText()), { timeout: 15000, timeoutMsg: "no decision clock after the submission" });
  await clock.scrollIntoView({ block: "center" });
  await shot(b, "16-demo-submitted");
  await (await el(b, "nav-cases")).click();
  await b.waitUntil(async () => (await b.$$(sel("case-row"))).length === 2, { timeout: 15000, timeoutMsg: "the case list does not show both cases" });
  await shot(b, "11-cases-with-demo");
});

test("a password-protected PDF: asked for at once, a wrong password said, the right one adds an unlocked copy", async () => {
  const b = browser;
  // The demo case, which the test before loads, from the case list it ends on.
  await el(b, "case-row");
  for (const row of await b.$$(sel("case-row"))) {
    if (/Walter Hayes/.test(await row.getText())) {
      await row.$(sel("case-open")).click();
      break;
    }
  }
  const heading = await el(b, "case-heading", 30000);
  await b.waitUntil(async () => (await heading.getText()).includes("Walter Hayes"), { timeout: 15000, timeoutMsg: "the demo case did not open" });
  await (await el(b, "tab-documents")).click();
  await el(b, "exhibit-list");
  const before = (await b.$$(sel("exhibit-row"))).length;
  dropFiles([join(WORK, "locked-denial.pdf")]);
  const dialog = await el(b, "unlock-dialog", 20000);
  assert.match(await dialog.getText(), /locked-denial\.pdf needs a password/);
  // The password field has the focus: the keys go straight into it.
  assert.equal((await focused(b)).testid, "unlock-password", "the password field does not have the focus");
  await b.keys([..."guess"]);
  await b.keys(["Enter"]);
  const problem = await el(b, "unlock-problem", 15000);
  assert.match(await problem.getText(), /does not open with that password/);
  assert.equal((await b.$$(sel("exhibit-row"))).length, before, "a wrong password added something");
  await shot(b, "19-unlock-wrong-password");
  assert.equal((await focused(b)).testid, "unlock-password", "the focus left the password field");
  await b.keys([..."user-secret"]);
  await b.keys(["Enter"]);
  await b.waitUntil(async () => (await b.$$(sel("exhibit-row"))).length === before + 1, { timeout: 20000, timeoutMsg: "the unlocked copy was not added" });
  await exhibitRow(b, "docs/locked-denial.pdf");
  await b.waitUntil(async () => !(await (await b.$(sel("unlock-dialog"))).isExisting()), { timeout: 10000, timeoutMsg: "the dialog stayed open" });
  await b.waitUntil(async () => (await toasts(b)).some((t) => t.includes("Added locked-denial.pdf (an unlocked copy")), { timeout: 10000, timeoutMsg: "no word that the copy was added" });
});

test("Settings: the backup made as the app started, how many to keep saved as typed, and Back up now writes one the command line restores", async () => {
  const b = browser;
  await (await el(b, "nav-settings")).click();
  const folder = await el(b, "backup-folder");
  const where = await folder.getText();
  assert.equal(where, join(dirname(process.env.REDRESS_DB), "backups"));
  const keep = await el(b, "backup-keep");
  assert.equal(await keep.getValue(), "7");
  await typeKeys(b, keep, "3");
  await b.keys(["Enter"]);
  const hint = await el(b, "backup-keep-hint");
  await b.waitUntil(async () => /newest 3 backups are kept/.test(await hint.getText()), { timeout: 10000, timeoutMsg: "the number to keep was not saved" });
  // The restart in the first test made the day's backup as the app started, with its one case.
  const backups = () => readdirSync(where).filter((n) => /^redress-backup-\d{8}-\d{6}\.tar$/.test(n)).sort();
  assert.equal(backups().length, 1, `one backup made at start: ${readdirSync(where).join(", ")}`);
  const last = await el(b, "backup-last");
  assert.match(await last.getText(), /\(1 backup in the folder\)/);
  await (await el(b, "back-up-now")).click();
  await b.waitUntil(async () => /\(2 backups in the folder\)/.test(await last.getText()), { timeout: 60000, timeoutMsg: "Back up now made no backup" });
  const made = backups();
  assert.equal(made.length, 2, made.join(", "));
  // A real backup: the command line restores the newest into a new database, every case in it.
  const restored = join(WORK, "restored", "redress.db");
  const cli = join(dirname(process.env.REDRESS_APP), "redress");
  const said = execFileSync(cli, ["restore", join(where, made[1]), "--db", restored], { encoding: "utf8" });
  const listed = execFileSync(cli, ["cases", "--db", restored], { encoding: "utf8" });
  const there = execFileSync(cli, ["cases", "--db", process.env.REDRESS_DB], { encoding: "utf8" });
  assert.equal(listed, there, `the restore said: ${said}`);
  assert.match(listed, /Walter Hayes/);
  await shot(b, "26-settings");
  // The number saved is what the screen shows when it is opened again.
  await (await el(b, "nav-cases")).click();
  await (await el(b, "nav-settings")).click();
  await b.waitUntil(async () => (await (await el(b, "backup-keep")).getValue()) === "3", { timeout: 10000, timeoutMsg: "the number to keep was lost" });
});

test("every screen passes the WCAG 2 A/AA checks of axe-core (serious and critical)", () => {
  assert.deepEqual(accessibility, []);
});
