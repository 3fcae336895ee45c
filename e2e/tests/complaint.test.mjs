// An advocate's complaint to a state Department of Insurance in the real app window: the case
// form offers the days the state's law allows (optional, unlike a contract's), keeps what is
// typed, and the deadline counted from them appears with "state law" as its citation. Days typed
// with a word ("45 days") are named at the field and stop Create; the draft meanwhile shows on
// the case list.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { el, fill, isoDay, open, sel, shot as shotInto, typeKeys } from "./helpers.mjs";

/** Every screen shot is also checked for WCAG 2 A/AA problems of serious or critical impact. */
const accessibility = [];

async function shot(b, name) {
  await shotInto(b, name, accessibility);
}

/** The texts of the deadlines' citations on screen. */
async function citations(b) {
  return b.execute(() => [...document.querySelectorAll('[data-testid="deadline-citation"]')].map((c) => c.textContent.trim()));
}

let browser;
after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

test("a state complaint counts the days its law allows once they are typed", async () => {
  browser = await open();
  const b = browser;
  await el(b, "empty-state", 30000);
  await (await el(b, "empty-new-case")).click();
  await el(b, "identifiers-form");
  await fill(b, "case.kind", "regulator-complaint");
  await fill(b, "case.program", "state-doi");
  await fill(b, "case.title", "Home health visits cut without notice");
  await fill(b, "case.notice_date", isoDay(-10));
  await fill(b, "member.name", "Ana Ruiz");
  await fill(b, "member.dob", "1950-03-04");
  await fill(b, "member.member_id", "AR-4471");
  await fill(b, "member.payer", "Lakeside Health Plan");
  // Optional for a complaint: the case saves without it, and no date is made up.
  let days = await el(b, "field-case.contract_days");
  assert.equal(await days.getValue(), "");
  // Words with the number are not dropped in silence: the field says what to type, and the case
  // is not created without its days.
  await typeKeys(b, days, "45 days");
  await b.keys(["Tab"]);
  const said = "“45 days” is not a number: type just the days, e.g. 45";
  await b.waitUntil(async () => (await (await el(b, "problem-case.contract_days")).getText()).includes(said), { timeout: 5000, timeoutMsg: "no word beside the days field" });
  assert.equal(await days.getValue(), "45 days");
  await (await el(b, "save-case")).click();
  await b.waitUntil(async () => (await (await el(b, "problem-summary")).getText()).includes(said), { timeout: 5000, timeoutMsg: "Create did not say why it stopped" });
  assert.match(await (await el(b, "case-heading")).getText(), /^New case/);
  assert.match(await (await el(b, "nav-cases")).getText(), /0/);
  await shot(b, "27-complaint-days-not-a-number");
  // The draft is on the case list (at its top), and Continue brings it back as it was.
  await b.execute(() => window.scrollTo(0, 1000));
  await (await el(b, "nav-cases")).click();
  assert.match(await (await el(b, "case-draft")).getText(), /Draft: Ana Ruiz — Home health visits cut without notice/);
  assert.equal(await b.execute(() => document.documentElement.scrollTop + document.body.scrollTop), 0, "the case list did not open at its top");
  await shot(b, "28-cases-with-draft");
  await (await el(b, "case-draft-continue")).click();
  days = await el(b, "field-case.contract_days");
  assert.equal(await days.getValue(), "45 days");
  await typeKeys(b, days, "");
  await b.keys(["Backspace"]);
  await (await el(b, "save-case")).click();
  await b.waitUntil(async () => (await (await el(b, "nav-cases")).getText()).includes("1"), { timeout: 10000, timeoutMsg: "the case was not saved" });
  assert.ok(!(await citations(b)).includes("state law"), "a deadline was shown before any days were entered");
  // Typed key by key, kept, and counted on saving.
  await typeKeys(b, days, "45");
  assert.equal(await days.getValue(), "45");
  await (await el(b, "save-case")).click();
  await el(b, "deadline-citation", 20000);
  await b.waitUntil(async () => (await citations(b)).some((c) => c.includes("state law")), {
    timeout: 15000,
    timeoutMsg: "no deadline cites state law after the days were entered",
  });
  assert.equal(await (await el(b, "field-case.contract_days")).getValue(), "45", "the days were not kept on saving");
  assert.equal((await b.$$(sel("field-case.contract_days"))).length, 1);
  await shot(b, "22-state-complaint-days");
});

test("every screen passes the WCAG 2 A/AA checks of axe-core (serious and critical)", () => {
  assert.deepEqual(accessibility, []);
});
