// The whole workflow in the real app window: create a case, add three documents through the
// app's own add path, log a call with a promise, see the deadline with its citation, build and
// preview the packet, quit, restart, and find everything still there.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { remote } from "webdriverio";
import { join } from "node:path";
import { axeViolations } from "./a11y.mjs";

const APP = process.env.REDRESS_APP;
const WORK = process.env.REDRESS_E2E_WORK;
const SHOTS = process.env.REDRESS_SHOTS;
const PORT = Number(process.env.REDRESS_DRIVER_PORT || 4444);
const DOCS = join(WORK, "source", "docs");

async function open() {
  const b = await remote({
    hostname: "127.0.0.1",
    port: PORT,
    logLevel: "error",
    connectionRetryCount: 2,
    capabilities: { "tauri:options": { application: APP }, "wdio:enforceWebDriverClassic": true },
  });
  await b.setTimeout({ implicit: 0 });
  return b;
}

/** Two animation frames, so a screenshot shows the current frame. */
async function settle(b) {
  await b.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
}

/** Every screen shot is also checked for WCAG 2 A/AA problems of serious or critical impact. */
const accessibility = [];

async function shot(b, name) {
  // Notices that have done their job are dismissed so the screen itself shows.
  await b.execute(() => document.querySelectorAll('[data-testid="toast"] button').forEach((x) => x.click()));
  await settle(b);
  await b.saveScreenshot(join(SHOTS, `${name}.png`));
  for (const v of await axeViolations(b)) accessibility.push(`${name}: ${v}`);
}

const sel = (id) => `[data-testid="${id}"]`;

async function el(b, id, timeout = 15000) {
  const e = await b.$(sel(id));
  await e.waitForDisplayed({ timeout, timeoutMsg: `${id} did not appear` });
  return e;
}

async function fill(b, key, value) {
  const e = await el(b, `field-${key}`);
  if ((await e.getTagName()).toLowerCase() === "select") {
    await e.selectByAttribute("value", value);
  } else {
    await e.clearValue();
    await e.setValue(value);
  }
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

function isoDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return d.toISOString().slice(0, 10);
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
  await (await el(b, "save-case")).click();

  // The deadline appears with the rule's citation.
  await seeCitation(b, "42 CFR 422.582(b)");
  await shot(b, "02-case-overview");

  // Three documents of different kinds, through the same path a drop from the file manager takes.
  await (await el(b, "tab-documents")).click();
  await el(b, "drop-zone");
  const paths = [join(DOCS, "order-home-oxygen.pdf"), join(DOCS, "oximeter-photo.jpg"), join(DOCS, "progress-note.md")];
  await b.executeAsync((p, done) => window.__redressDrop(p).then(() => done(), (e) => done(String(e))), paths);
  await b.waitUntil(async () => (await b.$$(sel("exhibit-row"))).length === 3, { timeout: 20000, timeoutMsg: "three documents were not added" });
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

  await (await el(b, "tab-readings")).click();
  await el(b, "spo2-table");
  await shot(b, "05-readings");
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

  await (await el(b, "nav-cases")).click();
  await el(b, "case-row");
  await shot(b, "08-cases");
  await b.setWindowSize(1920, 1080);
  await shot(b, "09-cases-1920x1080");

  // Quit, start again: everything is still there.
  await b.deleteSession();
  browser = await open();
  const c = browser;
  await el(c, "case-row", 30000);
  const rows = await c.$$(sel("case-row"));
  assert.equal(rows.length, 1);
  assert.match(await rows[0].getText(), /John Smith/);
  await (await el(c, "case-open")).click();
  await seeCitation(c, "42 CFR 422.582(b)");
  await (await el(c, "tab-documents")).click();
  await c.waitUntil(async () => (await c.$$(sel("exhibit-row"))).length === 3, { timeout: 15000, timeoutMsg: "documents lost after restart" });
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
  await shot(b, "15-demo-documents");
  await (await el(b, "tab-readings")).click();
  await el(b, "chart-threshold");
  await shot(b, "13-demo-readings");
  await (await el(b, "tab-packet")).click();
  await (await el(b, "build-packet")).click();
  const count = await el(b, "page-count", 60000);
  await b.waitUntil(async () => Number(((await count.getText()).match(/\d+/) || ["0"])[0]) > 20, { timeout: 60000, timeoutMsg: "the demo packet was not built" });
  await el(b, "preview-canvas", 30000);
  await shot(b, "14-demo-packet");

  // Record how it was sent: the plan's decision clock starts, with its citation.
  await (await el(b, "submission-method")).selectByAttribute("value", "fax");
  await (await el(b, "submission-to")).setValue("Lakeshore Advantage Plus appeals, fax 312-555-0199");
  await (await el(b, "submission-submit")).click();
  const clock = await el(b, "decision-deadline", 20000);
  await b.waitUntil(async () => /42 CFR 422\.590/.test(await clock.getText()), { timeout: 15000, timeoutMsg: "no decision clock after the submission" });
  await clock.scrollIntoView({ block: "center" });
  await shot(b, "16-demo-submitted");
  await (await el(b, "nav-cases")).click();
  await b.waitUntil(async () => (await b.$$(sel("case-row"))).length === 2, { timeout: 15000, timeoutMsg: "the case list does not show both cases" });
  await shot(b, "11-cases-with-demo");
});

test("every screen passes the WCAG 2 A/AA checks of axe-core (serious and critical)", () => {
  assert.deepEqual(accessibility, []);
});
