// Accessibility check of the screen on display, with axe-core injected into the real window.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The WCAG 2 A/AA violations of serious or critical impact on the current screen. */
export async function axeViolations(b) {
  await b.execute(AXE);
  const result = await b.executeAsync((done) => {
    // eslint-disable-next-line no-undef
    axe
      .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] }, resultTypes: ["violations"] })
      .then((r) => done(JSON.stringify(r.violations)), (e) => done(JSON.stringify([{ id: "axe-error", impact: "critical", help: String(e), nodes: [] }])));
  });
  return JSON.parse(result)
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target?.join(" ") ?? ""})`);
}
