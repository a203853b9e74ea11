// The freshness page and a page with the "needs review" marker (issue 22): axe-core finds no
// violation of moderate impact or worse in light and dark, the marker is words (not colour
// alone), and screenshots of both go to target/screenshots/ for a person to look at.

import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";

import { SCREENSHOTS, TEST_MS, ensureDir, fontsReady, runAxe, siteUrl, useBuiltSite } from "./helpers.mjs";

const BLOCKING = new Set(["moderate", "serious", "critical"]);

describe("freshness", () => {
  const ctx = useBuiltSite();
  for (const scheme of ["light", "dark"])
  for (const [name, sitePath] of [["freshness", "/freshness/"], ["overdue-playbook", "/playbooks/hearing/"]]) {
    test(`${name} (${scheme})`, { timeout: TEST_MS }, async () => {
      const page = await ctx.browser.newPage();
      try {
        await page.emulateMedia({ colorScheme: scheme });
        const res = await page.goto(siteUrl(ctx.server.url, sitePath));
        assert.equal(res.status(), 200);
        await fontsReady(page);
        const marker = page.locator(".needs-review").first();
        assert.match(await marker.innerText(), /要レビュー/);
        const violations = (await runAxe(page)).filter((v) => BLOCKING.has(v.impact));
        assert.deepEqual(
          violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`),
          [],
          `${sitePath} (${scheme})`,
        );
        await ensureDir(SCREENSHOTS);
        await page.screenshot({ path: path.join(SCREENSHOTS, `freshness-${name}-${scheme}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    });
  }
});
