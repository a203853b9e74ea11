// A reader goes home → persona → journey table → stage → department → playbook by clicking,
// on the built sample site in Chromium, at desktop and at phone width.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { DESKTOP, PHONE, TEST_MS, assertNoScriptErrors, pathOf, useBuiltSite } from "./helpers.mjs";

// The sample site's pages on the way (all of them are on its onboarding path too).
const PERSONA = "情シス課長";
const JOURNEY = "情シス課長-new";
const STAGE = "consideration";
const DEPARTMENT = "field-sales";
const PLAYBOOK = "hearing";

const enc = encodeURIComponent;

async function h1(page) {
  return (await page.locator("main h1").first().innerText()).trim();
}

/** Click `link` and wait for `path`; the new page's h1 must start with the link's text. */
async function follow(page, link, path, what) {
  await link.waitFor({ state: "attached" }).catch(() => {
    throw new Error(`${pathOf(page)}: no link to ${path} (${what})`);
  });
  const text = (await link.innerText()).trim();
  assert.ok(text, `${pathOf(page)}: the link to ${path} has no text`);
  await Promise.all([page.waitForURL((u) => decodeURIComponent(u.pathname) === path), link.click()]);
  assert.equal(pathOf(page), path);
  const heading = await h1(page);
  assert.ok(
    heading.startsWith(text),
    `${path}: the h1 «${heading}» does not start with the text «${text}» of the link that led here`,
  );
  return heading;
}

for (const [label, viewport] of [
  ["desktop", DESKTOP],
  ["phone", PHONE],
]) {
  describe(`clicking through the sample site (${label} ${viewport.width}×${viewport.height})`, () => {
    const ctx = useBuiltSite({ viewport });

    test("home → persona → journey → stage → department → playbook", { timeout: TEST_MS }, async () => {
      const page = await ctx.browser.newPage();
      await page.goto(ctx.server.url);
      assert.equal(pathOf(page), "/");

      // Home: the persona's card.
      await follow(
        page,
        page.locator(`.persona-card h3 a[href$="/personas/${enc(PERSONA)}/"]`).first(),
        `/personas/${PERSONA}/`,
        "a persona card on the home page",
      );
      // Persona: the caption of their journey table links to the journey page.
      await page.locator("table.journey-table").first().waitFor();
      await follow(
        page,
        page.locator(`figure.journey figcaption a[href$="/journeys/${enc(JOURNEY)}/"]`).first(),
        `/journeys/${JOURNEY}/`,
        "the journey table's caption on the persona page",
      );
      // Journey: the table, with a column head per stage that links to the persona at that
      // stage, whose page links the stage.
      const table = page.locator("table.journey-table").first();
      await table.waitFor();
      assert.ok((await table.locator("thead th[scope=col]").count()) > 0, "the journey table has no stage columns");
      assert.ok((await table.locator("tbody th[scope=row]").count()) > 0, "the journey table has no row headers");
      const head = table.locator(`thead th[scope=col] a[href$="/personas/${enc(PERSONA)}/${STAGE}/"]`).first();
      const stageName = (await head.innerText()).trim();
      await Promise.all([
        page.waitForURL((u) => decodeURIComponent(u.pathname) === `/personas/${PERSONA}/${STAGE}/`),
        head.click(),
      ]);
      const atStage = await h1(page);
      assert.ok(atStage.includes(stageName), `the persona-at-stage page's h1 «${atStage}» does not name «${stageName}»`);
      await follow(page, page.locator(`main h1 a[href$="/stages/${STAGE}/"]`).first(), `/stages/${STAGE}/`, "the stage named on the persona-at-stage page");
      // Stage: the department under "tasks".
      await follow(
        page,
        page.locator(`.task-group h3 a[href$="/departments/${DEPARTMENT}/"]`).first(),
        `/departments/${DEPARTMENT}/`,
        "a department heading among the stage's tasks",
      );
      // Department: its playbooks.
      await follow(
        page,
        page.locator(`main a[href$="/playbooks/${PLAYBOOK}/"]`).first(),
        `/playbooks/${PLAYBOOK}/`,
        "a playbook listed on the department page",
      );
      assert.ok((await page.locator("main").innerText()).length > 200, "the playbook page has almost no text");
      assertNoScriptErrors(page);
    });

    test("two taps from home to a persona at a stage, both ways", { timeout: TEST_MS }, async () => {
      const page = await ctx.browser.newPage();
      const target = `/personas/${PERSONA}/${STAGE}/`;
      // Home → persona → stage.
      await page.goto(ctx.server.url);
      await follow(page, page.locator(`.persona-card h3 a[href$="/personas/${enc(PERSONA)}/"]`).first(), `/personas/${PERSONA}/`, "a persona card");
      const noSideways = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
      assert.ok(noSideways, `the persona page scrolls sideways at ${viewport.width} px`);
      const strip = page.locator(`.stage-links a[href$="/personas/${enc(PERSONA)}/${STAGE}/"]`);
      assert.ok(await strip.isVisible(), "the persona page's link to the stage is not visible without scrolling sideways");
      await Promise.all([page.waitForURL((u) => decodeURIComponent(u.pathname) === target), strip.click()]);
      assert.ok((await page.locator(".customer-side").count()) > 0, "no customer's side");
      assert.ok((await page.locator(".seller-side").count()) > 0, "no seller's side");
      assert.ok((await page.locator(".at-stage-playbooks .toc-list a").count()) > 0, "no playbook contents");
      // Home → stage → persona.
      await page.goto(ctx.server.url);
      await follow(page, page.locator(`.stage-card a[href$="/stages/${STAGE}/"]`).first(), `/stages/${STAGE}/`, "a stage card");
      const column = page.locator(`.stage-table thead th a[href$="/personas/${enc(PERSONA)}/${STAGE}/"]`).first();
      await column.scrollIntoViewIfNeeded();
      await Promise.all([page.waitForURL((u) => decodeURIComponent(u.pathname) === target), column.click()]);
      assertNoScriptErrors(page);
    });

    test("a breadcrumb leads back home", { timeout: TEST_MS }, async () => {
      const page = await ctx.browser.newPage();
      await page.goto(new URL(`playbooks/${PLAYBOOK}/`, ctx.server.url).href);
      const crumb = page.locator("nav.breadcrumbs a").first();
      await crumb.waitFor();
      await Promise.all([page.waitForURL((u) => u.pathname === "/"), crumb.click()]);
      assertNoScriptErrors(page);
    });
  });
}
