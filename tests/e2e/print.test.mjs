// Printing a page on its own (the stylesheet's `@media print`): a persona page, a persona at a
// stage, a stage page, a playbook and a journey page, emulated as print with the reader's
// screen in dark mode. The site's header, navigation, search and footer are hidden; the
// colours are light; a link to another site shows its address; checklist boxes stay. Each
// page is also printed to PDF (A4; journey tables landscape) and its first page kept as
// target/screenshots/print-<page>.png for people to look at.

import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, test } from "node:test";

import { SCREENSHOTS, TEST_MS, assertNoScriptErrors, ensureDir, fontsReady, siteUrl, useBuiltSite } from "./helpers.mjs";

const PAGES = [
  ["persona", "/personas/情シス課長/"],
  ["persona-stage", "/personas/情シス課長/consideration/"],
  ["stage", "/stages/consideration/"],
  ["playbook", "/playbooks/hearing/"],
  ["journey", "/journeys/情シス課長-new/"],
];

// A4 in CSS pixels (96 per inch): 210 × 297 mm.
const A4 = { short: 794, long: 1123 };

describe("printing a page (Chromium, print emulation)", () => {
  const ctx = useBuiltSite();
  before(async () => {
    await ensureDir(SCREENSHOTS);
  }, { timeout: TEST_MS });

  for (const [name, sitePath] of PAGES) {
    test(`${name} ${sitePath} prints without the site's chrome`, { timeout: TEST_MS }, async () => {
      const page = await ctx.browser.newPage();
      await page.goto(siteUrl(ctx.server.url, sitePath));
      await page.emulateMedia({ media: "print", colorScheme: "dark" });
      await fontsReady(page);
      for (const css of [".site-header", "nav", ".site-nav", ".search", ".site-footer", ".breadcrumbs", ".edit-page"]) {
        const shown = await page.locator(css).evaluateAll((els) => els.filter((e) => e.checkVisibility()).length);
        assert.equal(shown, 0, `${sitePath}: ${css} is shown in print`);
      }
      assert.ok(await page.locator("main h1").isVisible(), `${sitePath}: the heading is not printed`);
      const colours = await page.evaluate(() => ({
        bg: getComputedStyle(document.body).backgroundColor,
        fg: getComputedStyle(document.body).color,
      }));
      assert.equal(colours.bg, "rgb(255, 255, 255)", `${sitePath}: printed on a dark background`);
      assert.notEqual(colours.fg, "rgb(228, 232, 240)", `${sitePath}: printed with the dark scheme's text colour`);
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      assert.ok(pdf.length > 1000, `${sitePath}: no PDF`);
      // The first printed page as an image: the page's width set to A4's (landscape for a journey).
      const width = name === "journey" ? A4.long : A4.short;
      await page.setViewportSize({ width, height: name === "journey" ? A4.short : A4.long });
      await page.screenshot({ path: path.join(SCREENSHOTS, `print-${name}.png`) });
      assertNoScriptErrors(page);
      await page.close();
    });
  }

  test("a playbook prints its external link's address and its checklist's boxes", { timeout: TEST_MS }, async () => {
    const page = await ctx.browser.newPage();
    await page.goto(siteUrl(ctx.server.url, "/playbooks/hearing/"));
    await page.emulateMedia({ media: "print" });
    const external = page.locator('main a[href^="https://"]').first();
    const href = await external.getAttribute("href");
    const after = await external.evaluate((a) => getComputedStyle(a, "::after").content);
    assert.ok(after.includes(href), `the external link prints as «${after}», not with ${href}`);
    const internal = page.locator('main a[href^="/"]').first();
    const internalAfter = await internal.evaluate((a) => getComputedStyle(a, "::after").content);
    assert.ok(internalAfter === "none" || internalAfter === "normal", `an internal link prints its address: ${internalAfter}`);
    const boxes = page.locator("input.task-box");
    assert.ok((await boxes.count()) > 0, "the playbook has a checklist");
    assert.ok(await boxes.first().isVisible(), "a checklist box is hidden in print");
    await page.close();
  });

  test("the print page holds the personas of a small site", { timeout: TEST_MS }, async () => {
    const page = await ctx.browser.newPage();
    await page.goto(siteUrl(ctx.server.url, "/print/"));
    await page.emulateMedia({ media: "print" });
    assert.ok((await page.locator("article.print-persona").count()) > 0);
    assert.equal(await page.locator(".print-persona-pages").count(), 0);
    assert.equal(await page.locator("nav").evaluateAll((els) => els.filter((e) => e.checkVisibility()).length), 0);
    await page.close();
  });
});
