// Screenshots of the key pages of the built sample site at desktop (1366×768) and phone
// (390×844) width, light and dark, kept in target/screenshots/<page>-<width>[-dark].png for
// people to look at.
// At phone width no page may scroll sideways (wide tables scroll inside their own box).

import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, test } from "node:test";

import {
  DESKTOP,
  PHONE,
  SCREENSHOTS,
  TEST_MS,
  assertNoScriptErrors,
  ensureDir,
  fontsReady,
  siteUrl,
  useBuiltSite,
} from "./helpers.mjs";

const KEY_PAGES = [
  ["home", "/"],
  ["persona", "/personas/情シス課長/"],
  ["persona-stage", "/personas/情シス課長/consideration/"],
  ["journey", "/journeys/情シス課長-new/"],
  ["stage", "/stages/consideration/"],
  ["department", "/departments/field-sales/"],
  ["playbook", "/playbooks/hearing/"],
  ["glossary", "/glossary/"],
  ["roles", "/roles/"],
  ["qualification", "/qualification/"],
  ["onboarding", "/onboarding/"],
];

for (const [label, viewport] of [
  ["desktop", DESKTOP],
  ["phone", PHONE],
]) {
  describe(`screenshots (${label} ${viewport.width}×${viewport.height})`, () => {
    const ctx = useBuiltSite({ viewport });
    before(async () => {
      await ensureDir(SCREENSHOTS);
    }, { timeout: TEST_MS });

    for (const scheme of ["light", "dark"])
    for (const [name, sitePath] of KEY_PAGES) {
      test(`${name} ${sitePath} (${scheme})`, { timeout: TEST_MS }, async () => {
        const page = await ctx.browser.newPage();
        try {
          await page.emulateMedia({ colorScheme: scheme });
          const res = await page.goto(siteUrl(ctx.server.url, sitePath));
          assert.equal(res.status(), 200, `${sitePath}: HTTP status`);
          await page.waitForLoadState("load");
          await fontsReady(page);
          const file = path.join(SCREENSHOTS, `${name}-${label}${scheme === "dark" ? "-dark" : ""}.png`);
          await page.screenshot({ path: file, timeout: 30_000 });
          if (label === "phone") {
            const wide = await page.evaluate(() => ({
              page: document.documentElement.scrollWidth,
              view: window.innerWidth,
              culprits: [...document.querySelectorAll("body *")]
                .filter((e) => {
                  const r = e.getBoundingClientRect();
                  return r.width > 0 && r.right > window.innerWidth + 1 && !e.closest(".table-scroll");
                })
                .slice(0, 5)
                .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : ""} (right edge ${Math.round(e.getBoundingClientRect().right)}px)`),
            }));
            assert.ok(
              wide.page <= wide.view,
              `${sitePath} at ${viewport.width}px scrolls sideways: the page is ${wide.page}px wide; elements past the right edge: ${wide.culprits.join(", ")}`,
            );
          }
          assertNoScriptErrors(page);
        } finally {
          await page.close();
        }
      });
    }

    test("home with search results open", { timeout: TEST_MS }, async () => {
      const page = await ctx.browser.newPage();
      try {
        await page.goto(ctx.server.url);
        await page.locator("#tj-search-input").fill("稟議");
        await page.locator("#tj-search-results a").first().waitFor();
        await fontsReady(page);
        await page.screenshot({ path: path.join(SCREENSHOTS, `search-${label}.png`), timeout: 30_000 });
      } finally {
        await page.close();
      }
    });
  });
}
