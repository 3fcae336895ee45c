// Done as the issue says it: a new user drops a scanned denial letter into an empty Redress and,
// after confirming what it found, has a case with its deadline, without typing an identifier.
// The notice is a 200 dpi scan with noise and a small skew, made by the library's test
// generator (`examples/notice-files.rs`, with what it says written beside it); the app reads it
// by OCR. Counted the usability way (each drop, click and field typed into counts 1, a dropdown
// 2); the count is named below and asserted.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mkdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { WORK, dropFiles, el, sel, open, shot, typeKeys } from "./helpers.mjs";

const FOLDER = join(WORK, "notice", "Downloads");

/**
 * The most interactions from an empty Redress to a case with its deadline: drop the notice,
 * keep every value found, type the member's date of birth (no notice prints it), Create case.
 */
const MOST_INTERACTIONS = 4;

/** What a person would otherwise type from the notice: each must be found. */
const IDENTIFIERS = ["case.notice_date", "case.program", "member.name", "member.member_id", "member.payer", "case.reference", "case.authorization_number", "case.notice_deadline"];

const tally = { total: 0, steps: [] };
function count(n, what) {
  tally.total += n;
  tally.steps.push(`${what}${n > 1 ? ` (${n})` : ""}`);
}


/** The confirm view's values: target → { value, source }. */
async function foundValues(b) {
  return b.execute(() =>
    [...document.querySelectorAll('[data-testid="found-value"]')].map((r) => ({
      target: r.dataset.target,
      value: r.querySelector('[data-testid="value-input"]').value,
      source: r.querySelector('[data-testid="value-source"]').textContent.replace(/\s+/g, " ").trim(),
    })),
  );
}

let browser;
after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

const a11y = [];

test(`a scanned denial notice dropped on an empty Redress becomes a case with its deadline in at most ${MOST_INTERACTIONS} interactions`, async () => {
  mkdirSync(FOLDER, { recursive: true });
  execFileSync("cargo", ["run", "--quiet", "-p", "redress", "--features", "typescript", "--example", "notice-files", "--", FOLDER], { cwd: join(import.meta.dirname, "..", ".."), stdio: "inherit" });
  const truth = JSON.parse(readFileSync(join(FOLDER, "notice.json"), "utf8"));

  browser = await open();
  const b = browser;
  await el(b, "empty-state", 30000);

  // The app opens no file it was not given: asked from the page for the notice before it is
  // dropped, it refuses with its own kind of error, and the page cannot fake a drop (it may
  // not send the shell's events).
  const refused = await b.executeAsync((path, done) => {
    const ipc = window.__TAURI_INTERNALS__;
    const drop = { event: "tauri://drag-drop", payload: { paths: [path], position: { x: 400, y: 400 } } };
    Promise.allSettled([ipc.invoke("notice_bytes", { path }), ipc.invoke("plugin:event|emit", drop)]).then((r) =>
      done(r.map((x) => (x.status === "fulfilled" ? "done" : (x.reason?.kind ?? String(x.reason))))),
    );
  }, join(FOLDER, truth.file));
  assert.equal(refused[0], "not-picked", "a file neither picked nor dropped was read");
  assert.match(refused[1], /not allowed/, "the page could send a drop event of its own");

  const dropped = Date.now();
  dropFiles([join(FOLDER, truth.file)]);
  count(1, "drop the notice on the window");
  // OCR runs off the UI thread: the window says it is reading meanwhile.
  await el(b, "reading-progress", 10000);
  await b.waitUntil(async () => (await b.$$(sel("found-value"))).length > 0, { timeout: 120000, timeoutMsg: "nothing was read from the scanned notice" });
  console.log(`the two-page scanned notice was read in ${((Date.now() - dropped) / 1000).toFixed(1)} s`);

  // Every identifier and date the case needs was found as printed, read by OCR, with its box
  // on its page; nothing found is other than what the notice prints.
  const found = await foundValues(b);
  for (const target of IDENTIFIERS) assert.ok(found.some((f) => f.target === target), `${target} was not found; found: ${JSON.stringify(found)}`);
  for (const v of found) {
    assert.ok(v.target in truth.values, `${v.target} is not printed on the notice: ${JSON.stringify(v)}`);
    assert.ok(truth.values[v.target].includes(v.value), `${v.target} is not as printed (${truth.values[v.target].join(" or ")}): ${JSON.stringify(v)}`);
    assert.match(v.source, /^Page \d · “.+” · read by OCR, /, `${v.target}'s source: ${v.source}`);
  }
  const missed = Object.keys(truth.values).filter((t) => !found.some((f) => f.target === t));
  console.log(`found by OCR: ${found.length} of ${Object.keys(truth.values).length} values; not found: ${missed.join(", ") || "none"}`);
  await el(b, "notice-picture", 20000);
  const onFirst = found.filter((f) => f.source.startsWith("Page 1 ")).length;
  const boxes = await b.$$(sel("notice-box"));
  assert.equal(boxes.length, onFirst, "one box on page 1 for each value found there");
  // Choosing a value shows its box.
  const idRow = await b.$(`[data-testid="found-value"][data-target="member.member_id"] [data-testid="value-input"]`);
  await idRow.scrollIntoView({ block: "center" });
  await idRow.click();
  await b.waitUntil(async () => (await b.$$(`${sel("notice-box")}.selected`)).length === 1, { timeout: 5000, timeoutMsg: "the member ID's box was not highlighted" });
  await shot(b, "30-notice-confirm", a11y);

  await (await el(b, "accept-all")).click();
  count(1, "keep every value found");
  // What a notice does not print: the member's date of birth.
  const needed = await b.execute(() => [...document.querySelectorAll('[data-testid="still-needed"] :is(input, select)[data-testid^="field-"]')].map((e) => e.dataset.testid));
  // The kind of case is always asked (a notice cannot say who appeals), the title where the
  // notice does not name the service.
  const want = ["field-case.kind", ...(found.some((f) => f.target === "case.title") ? [] : ["field-case.title"]), "field-member.dob"];
  assert.deepEqual(needed, want, "the fields a new case still needs");
  await typeKeys(b, await el(b, "field-member.dob"), "07/14/1948");
  count(1, "type the member's date of birth");
  await shot(b, "31-notice-confirmed", a11y);
  await (await el(b, "finish-reading")).click();
  count(1, "Create case");

  // The case opens with its deadline.
  await el(b, "deadline-citation", 30000);
  const due = await (await el(b, "deadline-due")).getText();
  assert.ok(due.length > 0, "no deadline is shown");
  const form = await b.execute(() => Object.fromEntries([...document.querySelectorAll('[data-testid^="field-"]')].map((e) => [e.dataset.testid.slice(6), e.value])));
  for (const v of found) if (v.target in form) assert.equal(form[v.target], v.value, `the case's ${v.target}`);
  assert.equal(form["member.dob"], "1948-07-14");
  await shot(b, "32-notice-case", a11y);

  console.log(`interactions: ${tally.total}`);
  console.log(tally.steps.map((s, i) => `  ${i + 1}. ${s}`).join("\n"));
  assert.ok(tally.total <= MOST_INTERACTIONS, `it took ${tally.total} interactions:\n${tally.steps.join("\n")}`);

  // The notice is the case's denial letter, dated the notice's date.
  await (await el(b, "tab-documents")).click();
  const row = await b.$('[data-testid="exhibit-row"]');
  await row.waitForExist({ timeout: 15000, timeoutMsg: "the notice is not among the case's documents" });
  assert.equal(await (await row.$(sel("exhibit-kind"))).getValue(), "denial-letter");
  assert.equal(await (await row.$(sel("exhibit-date"))).getValue(), truth.values["case.notice_date"][0]);
});

test("the confirm view and the case it makes pass the WCAG 2 A/AA checks of axe-core (serious and critical)", () => {
  assert.deepEqual(a11y, []);
});
