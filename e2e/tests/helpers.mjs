// What every real-window test needs: a session with the real app, waiting for what the
// screen shows, typing as a person types, screenshots checked with axe-core.

import { remote } from "webdriverio";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { axeViolations } from "./a11y.mjs";

export const APP = process.env.REDRESS_APP;
export const WORK = process.env.REDRESS_E2E_WORK;
export const SHOTS = process.env.REDRESS_SHOTS;
export const PORT = Number(process.env.REDRESS_DRIVER_PORT || 4444);
const DROP = join(import.meta.dirname, "..", "drop-files.py");

/** A new session: the app starts in its window. */
export async function open() {
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
export async function settle(b) {
  await b.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
}

/** Saves a screenshot as `name`.png; its WCAG 2 A/AA problems (serious, critical) go to `problems`. */
export async function shot(b, name, problems) {
  // Notices that have done their job are dismissed so the screen itself shows.
  await b.execute(() => document.querySelectorAll('[data-testid="toast"] button[aria-label="Dismiss this message"]').forEach((x) => x.click()));
  await settle(b);
  await b.saveScreenshot(join(SHOTS, `${name}.png`));
  for (const v of await axeViolations(b)) problems.push(`${name}: ${v}`);
}

export const sel = (id) => `[data-testid="${id}"]`;

export async function el(b, id, timeout = 15000) {
  const e = await b.$(sel(id));
  await e.waitForDisplayed({ timeout, timeoutMsg: `${id} did not appear` });
  return e;
}

/** Sets the form field for `key` (case.toml's key) to `value`: a choice, or text replaced whole. */
export async function fill(b, key, value) {
  const e = await el(b, `field-${key}`);
  if ((await e.getTagName()).toLowerCase() === "select") {
    await e.selectByAttribute("value", value);
  } else {
    await e.clearValue();
    await e.setValue(value);
  }
}

/** The date `offsetDays` from today, YYYY-MM-DD (UTC). */
export function isoDay(offsetDays) {
  return new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);
}

/**
 * Clicks an element and types `text` key by key, as a person does: every key goes to whatever
 * has the focus at that moment, so a field that loses the focus mid-word loses the rest.
 * `replace` selects what the field holds first (Ctrl+A).
 */
export async function typeKeys(b, element, text, { replace = true } = {}) {
  // In the middle of the window, as a person scrolls to a field: never under the sticky case
  // header, where a click would land on the header instead.
  await element.scrollIntoView({ block: "center" });
  await element.click();
  if (replace) {
    await b.keys(["Control", "a"]);
    await b.keys(["Control"]);
  }
  // One key per action: WebdriverIO drops a key repeated within one action ("44" → "4").
  for (const key of text) await b.keys([key]);
}

/** The exhibit row of `file`. */
export async function exhibitRow(b, file) {
  const row = await b.$(`[data-testid="exhibit-row"][data-file="${file}"]`);
  await row.waitForExist({ timeout: 15000, timeoutMsg: `no row for ${file}` });
  return row;
}

/** Waits until the case on screen says all its changes are saved. */
export async function allSaved(b, what) {
  await b.waitUntil(async () => (await (await b.$(sel("unsaved-indicator"))).getAttribute("data-dirty")) === "false", {
    timeout: 15000,
    timeoutMsg: `${what} was not saved on its own`,
  });
}

/**
 * Drops files on the window as a file manager does: `drop-files.py` is a real XDND drag source,
 * so the files reach the app through GTK and the webview's native drop, which the shell records
 * (the app accepts no other path it did not pick itself); the app has no test hook.
 */
export function dropFiles(paths) {
  execFileSync("/usr/bin/python3", [DROP, "Redress", ...paths], { stdio: "inherit" });
}

/** Presses the window's close button (a WM_DELETE_WINDOW message) and waits until it is gone. */
export async function closeWindow(b) {
  execFileSync("/usr/bin/python3", [join(import.meta.dirname, "..", "close-window.py"), "Redress"]);
  await b.waitUntil(
    async () => {
      try {
        await b.getTitle();
        return false;
      } catch {
        return true;
      }
    },
    { timeout: 15000, timeoutMsg: "the window did not close" },
  );
  await b.deleteSession().catch(() => {});
}
