// The onboarding path: a step's checkbox survives a reload, with its "n / N" progress, and a
// page reached from the path shows the onboarding bar with a link to the next page.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { TEST_MS, assertNoScriptErrors, pathOf, useBuiltSite } from "./helpers.mjs";

describe("onboarding (Chromium)", () => {
  const ctx = useBuiltSite();

  async function progress(page) {
    const p = page.locator("[data-onboarding-progress]");
    await p.waitFor({ state: "visible" }).catch(() => {
      throw new Error(`${pathOf(page)}: the progress [data-onboarding-progress] is not shown`);
    });
    const text = (await p.innerText()).replace(/\s+/g, " ");
    const m = text.match(/(\d+)\s*\/\s*(\d+)/);
    assert.ok(m, `the progress «${text}» has no "n / N"`);
    return [Number(m[1]), Number(m[2])];
  }

  test("a checked step stays checked after a reload, and the progress counts it", { timeout: TEST_MS }, async () => {
    const page = await ctx.browser.newPage();
    await page.goto(new URL("onboarding/", ctx.server.url).href);
    const boxes = page.locator("input[type=checkbox][data-step]");
    const steps = await boxes.count();
    assert.ok(steps >= 2, `the onboarding page has ${steps} step checkboxes`);
    assert.deepEqual(await progress(page), [0, steps], "a new browser starts at 0 / N");

    const second = boxes.nth(1);
    const id = await second.getAttribute("id");
    // Check it by its label, as a person would.
    await page.locator(`label[for="${id}"]`).click();
    assert.equal(await second.isChecked(), true, "clicking the step's label did not check it");
    assert.deepEqual(await progress(page), [1, steps]);

    await page.reload();
    const again = page.locator(`#${id}`);
    await again.waitFor();
    await page.waitForFunction(() => !document.querySelector("[data-onboarding-progress]").hidden);
    assert.equal(await again.isChecked(), true, `#${id} is no longer checked after a reload`);
    assert.deepEqual(await progress(page), [1, steps], "the progress after a reload");
    assert.equal(await boxes.nth(0).isChecked(), false, "the first step became checked");

    await again.uncheck();
    await page.reload();
    await page.locator(`#${id}`).waitFor();
    await page.waitForFunction(() => !document.querySelector("[data-onboarding-progress]").hidden);
    assert.equal(await page.locator(`#${id}`).isChecked(), false, "unchecking did not survive a reload");
    assert.deepEqual(await progress(page), [0, steps]);
    assertNoScriptErrors(page);
  });

  test("a page reached from the path shows the onboarding bar with the next page", { timeout: TEST_MS }, async () => {
    const page = await ctx.browser.newPage();
    await page.goto(new URL("onboarding/", ctx.server.url).href);
    const steps = await page.locator("li.step").count();
    const links = page.locator("li.step a[data-step-page]");
    assert.ok((await links.count()) >= 2, "the onboarding path lists fewer than two pages");
    const firstHref = new URL(await links.nth(0).getAttribute("href"), ctx.server.url).pathname;
    const secondHref = new URL(await links.nth(1).getAttribute("href"), ctx.server.url).pathname;
    const secondName = (await links.nth(1).innerText()).trim();

    await Promise.all([page.waitForURL((u) => u.pathname === firstHref), links.nth(0).click()]);
    const bar = page.locator(".onboarding-bar");
    await bar.waitFor({ state: "visible" }).catch(() => {
      throw new Error(`${pathOf(page)} (the path's first page): no .onboarding-bar shown`);
    });
    assert.equal((await bar.locator("[data-step-number]").innerText()).trim(), "1");
    assert.equal((await bar.locator("[data-step-count]").innerText()).trim(), String(steps));
    const next = bar.locator("a[data-next]");
    assert.equal(new URL(await next.getAttribute("href"), ctx.server.url).pathname, secondHref, "the bar's next link");
    assert.ok((await next.innerText()).includes(secondName), `the next link does not name «${secondName}»`);

    await Promise.all([page.waitForURL((u) => u.pathname === secondHref), next.click()]);
    await page.locator(".onboarding-bar").waitFor({ state: "visible" }).catch(() => {
      throw new Error(`${pathOf(page)} (the path's second page, reached by the bar): no .onboarding-bar shown`);
    });
    assertNoScriptErrors(page);
  });

  test("a page not on the path shows no onboarding bar", { timeout: TEST_MS }, async () => {
    const page = await ctx.browser.newPage();
    await page.goto(new URL("onboarding/", ctx.server.url).href);
    await page.goto(new URL("print/", ctx.server.url).href);
    await page.locator("main").waitFor();
    await page.waitForLoadState("load");
    assert.equal(await page.locator(".onboarding-bar").count(), 0, "/print/ is not on the path but shows the bar");
  });
});
