// Encryption at rest in the real window: the first run's offer declined, the demo case loaded and
// backed up, encryption switched on in Settings (a passphrase typed twice), the store's folder
// (the backup replaced by an encrypted one) then holding none of the case's words, and after a restart the Unlock screen: a wrong passphrase refused
// with nothing changed, the right one opening the case, whose packet is built and shown; then
// encryption switched off again.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { closeWindow, el, open, sel, shot as shotInto, typeKeys } from "./helpers.mjs";

const PASSPHRASE = "harbour light 1947";
const STORE = dirname(process.env.REDRESS_DB);

const accessibility = [];
async function shot(b, name) {
  await shotInto(b, name, accessibility);
}

let browser;
after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

/** Every file under `dir` with its bytes. */
function files(dir) {
  return readdirSync(dir, { recursive: true })
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile())
    .map((p) => [p, readFileSync(p)]);
}

test("encryption switched on in Settings; after a restart a wrong passphrase is refused and the right one opens the case", async () => {
  browser = await open();
  const b = browser;
  // A first run: the offer above the empty case list; Not now goes on unencrypted.
  await el(b, "protect-offer", 30000);
  await el(b, "empty-state");
  await shot(b, "30-first-run-offer");
  await (await el(b, "not-now")).click();
  await b.waitUntil(async () => !(await (await b.$(sel("protect-offer"))).isExisting()), { timeout: 10000, timeoutMsg: "Not now left the offer" });
  await (await el(b, "empty-load-demo")).click();
  await el(b, "identifiers-form", 30000);
  assert.ok(!existsSync(process.env.REDRESS_DB.replace(/\.db$/, ".key")), "Not now left no key file");

  await (await el(b, "nav-settings")).click();
  // A backup made before encryption holds the case unencrypted: switching on replaces it.
  await (await el(b, "back-up-now")).click();
  const last = await el(b, "backup-last");
  await b.waitUntil(async () => /\(1 backup in the folder\)/.test(await last.getText()), { timeout: 60000, timeoutMsg: "Back up now made no backup" });
  const plainBackup = files(join(STORE, "backups"));
  assert.equal(plainBackup.length, 1);
  assert.ok(plainBackup[0][1].includes(Buffer.from("Walter Hayes")), "the backup before encryption is plain");
  await el(b, "encryption-settings");
  assert.match(await (await el(b, "encryption-state")).getText(), /not encrypted/);
  await typeKeys(b, await el(b, "encrypt-first"), PASSPHRASE);
  await typeKeys(b, await el(b, "encrypt-again"), PASSPHRASE);
  await shot(b, "31-settings-encryption-off");
  await (await el(b, "encrypt")).click();
  const state = await el(b, "encryption-state");
  await b.waitUntil(async () => /encrypted on this computer/.test(await state.getText()), { timeout: 120000, timeoutMsg: "encryption was not switched on" });
  await shot(b, "32-settings-encrypted");

  assert.ok(!existsSync(plainBackup[0][0]), "the unencrypted backup is still there");
  assert.equal(files(join(STORE, "backups")).length, 1, "no encrypted backup replaced it");
  // Nothing in the store's folder (database, documents, packets, backups) holds the case's words.
  for (const [path, bytes] of files(STORE)) {
    for (const word of ["Walter Hayes", "Lakeshore Advantage"]) {
      assert.ok(!bytes.includes(Buffer.from(word)), `${path} holds "${word}" after encryption`);
    }
  }
  await closeWindow(b);

  // The restart: the Unlock screen, and no case shown before it is unlocked.
  browser = await open();
  const c = browser;
  const field = await el(c, "unlock-passphrase", 30000);
  assert.equal(await field.getAttribute("type"), "password");
  assert.equal((await c.$$(sel("case-row"))).length, 0);
  const before = files(STORE).filter(([p]) => !/-(wal|shm)$/.test(p));
  await typeKeys(c, field, "harbour light 1974");
  await c.keys(["Enter"]);
  const problem = await el(c, "unlock-problem");
  await c.waitUntil(async () => /does not open these cases/.test(await problem.getText()), { timeout: 60000, timeoutMsg: "a wrong passphrase was not refused" });
  await shot(c, "33-unlock-wrong-passphrase");
  const afterWrong = files(STORE).filter(([p]) => !/-(wal|shm)$/.test(p));
  assert.deepEqual(
    afterWrong.map(([p, x]) => [p, x.toString("base64")]),
    before.map(([p, x]) => [p, x.toString("base64")]),
    "a wrong passphrase changed the store's files",
  );
  // The focus is back in the emptied field: the next try is typed straight in.
  assert.equal(await c.execute(() => document.activeElement?.dataset?.testid ?? null), "unlock-passphrase");
  for (const key of PASSPHRASE) await c.keys([key]);
  await c.keys(["Enter"]);
  const row = await el(c, "case-row", 60000);
  assert.match(await row.getText(), /Walter Hayes/);
  await (await el(c, "case-open")).click();
  await el(c, "identifiers-form", 30000);
  assert.equal(await (await el(c, "field-member.name")).getValue(), "Walter Hayes");

  // The encrypted store builds and shows its packet: written encrypted, shown decrypted.
  await (await el(c, "tab-packet")).click();
  await (await el(c, "build-packet")).click();
  const count = await el(c, "page-count", 90000);
  await c.waitUntil(async () => /\d+/.test(await count.getText()), { timeout: 30000 });
  assert.ok(Number((await count.getText()).match(/\d+/)[0]) >= 9, await count.getText());
  await el(c, "preview-canvas", 30000);
  await shot(c, "34-encrypted-packet");
  const packets = files(STORE).filter(([p]) => p.endsWith(".pdf"));
  assert.ok(packets.length > 0, "no packet file in the store's folder");
  for (const [path, bytes] of packets) assert.ok(!bytes.subarray(0, 16).toString("latin1").startsWith("%PDF"), `${path} is a plain PDF in an encrypted store`);

  // Switched off again in Settings with the passphrase: plain files, no key file, the case still there.
  await (await el(c, "nav-settings")).click();
  await typeKeys(c, await el(c, "decrypt-passphrase"), PASSPHRASE);
  await (await el(c, "decrypt")).click();
  const plainAgain = await el(c, "encryption-state");
  await c.waitUntil(async () => /not encrypted/.test(await plainAgain.getText()), { timeout: 120000, timeoutMsg: "encryption was not switched off" });
  assert.ok(!existsSync(process.env.REDRESS_DB.replace(/\.db$/, ".key")), "the key file is still there");
  assert.ok(files(STORE).some(([p, x]) => p.endsWith(".pdf") && x.subarray(0, 5).toString("latin1") === "%PDF-"), "the packet is not plain again");
  await (await el(c, "nav-cases")).click();
  assert.match(await (await el(c, "case-row", 30000)).getText(), /Walter Hayes/);
});

test("every screen passes the WCAG 2 A/AA checks of axe-core (serious and critical)", () => {
  assert.deepEqual(accessibility, []);
});
