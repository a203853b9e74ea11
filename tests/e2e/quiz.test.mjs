// Knowledge checks and remembered checklists (issue 20), in Chromium: a wrong then a right
// answer shows the verdict and the explanation and survives a reload, "try again" clears
// it, a passed quiz shows on the home page and ticks its onboarding step; a playbook's task
// box survives a reload and "clear" empties it; axe finds nothing moderate or worse on the
// quiz page in light and dark; screenshots of the quiz page at 1366×768 and 390×844.

import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";

import {
  DESKTOP,
  PHONE,
  SCREENSHOTS,
  TEST_MS,
  assertNoScriptErrors,
  ensureDir,
  fontsReady,
  idsOf,
  runAxe,
  useBuiltSite,
} from "./helpers.mjs";

const BLOCKING = new Set(["moderate", "serious", "critical"]);

describe("knowledge checks and checklists (Chromium)", () => {
  const ctx = useBuiltSite();
  const quizUrl = () => {
    const ids = idsOf(ctx.site.dir, "quizzes");
    assert.ok(ids.includes("consideration-check"), `the sample site's quizzes: ${ids.join(", ")}`);
    return new URL("quizzes/consideration-check/", ctx.server.url).href;
  };

  /** A tab on the site with this browser's storage emptied (the tabs share one profile). */
  async function freshPage() {
    const page = await ctx.browser.newPage();
    await page.goto(ctx.server.url);
    await page.evaluate(() => localStorage.clear());
    return page;
  }

  /** The index (0-based) of a question's right choice and of a wrong one. */
  async function choicesOf(q) {
    const answer = Number(await q.getAttribute("data-answer"));
    const n = await q.locator("input[type=radio]").count();
    return { right: answer - 1, wrong: answer === 1 ? 1 : 0, n };
  }

  test("wrong then right: verdicts and the explanation, kept after a reload; try again clears", { timeout: TEST_MS }, async () => {
    const page = await freshPage();
    await page.goto(quizUrl());
    const q1 = page.locator("[data-question]").first();
    const explanation = q1.locator("details[data-explanation]");
    assert.equal(await explanation.evaluate((d) => d.open), false, "the explanation is open before answering");
    const { right, wrong } = await choicesOf(q1);
    // Keyboard: focus the wrong choice and pick it with the space bar.
    await q1.locator("input[type=radio]").nth(wrong).focus();
    await page.keyboard.press("Space");
    await q1.locator("[data-verdict]").waitFor({ state: "visible" });
    assert.match(await q1.getAttribute("class"), /is-wrong/);
    assert.match(await q1.locator("[data-verdict]").innerText(), /不正解/);
    assert.equal(await explanation.evaluate((d) => d.open), true, "a wrong answer did not open the explanation");
    await q1.locator("label").nth(right).click();
    assert.match(await q1.getAttribute("class"), /is-right/);
    assert.match(await q1.locator("[data-verdict]").innerText(), /正解です/);
    assert.ok((await explanation.innerText()).includes("チャンピオン"), "the explanation's text is not shown");
    assert.equal(await page.locator("[data-score]").innerText(), "0", "a question right only on the second try counted for the score");

    await page.reload();
    const again = page.locator("[data-question]").first();
    await again.locator("[data-verdict]").waitFor({ state: "visible" });
    assert.match(await again.getAttribute("class"), /is-right/, "the answer did not survive the reload");
    assert.equal(await again.locator("input[type=radio]").nth(right).isChecked(), true);
    assert.equal(await again.locator("details[data-explanation]").evaluate((d) => d.open), true);

    await page.locator("[data-quiz-reset]").click();
    assert.doesNotMatch((await again.getAttribute("class")) || "", /is-right|is-wrong/);
    assert.equal(await page.locator("[data-quiz-result]").isHidden(), true);
    await page.reload();
    assert.equal(await page.locator("[data-question] input:checked").count(), 0, "try again did not clear the answers");
    assertNoScriptErrors(page);
    await page.close();
  });

  test("a quiz passed shows on the home page and ticks its onboarding step", { timeout: TEST_MS }, async () => {
    const page = await freshPage();
    await page.goto(new URL("onboarding/", ctx.server.url).href);
    const step = page.locator("li.step", { has: page.locator('a[data-quiz-id="consideration-check"]') });
    assert.equal(await step.locator("input[data-step]").isChecked(), false);
    await page.goto(quizUrl());
    const qs = page.locator("[data-question]");
    for (let i = 0; i < (await qs.count()); i++) {
      const { right } = await choicesOf(qs.nth(i));
      await qs.nth(i).locator("label").nth(right).click();
    }
    await page.locator("[data-passed]").waitFor({ state: "visible" });
    assert.equal(await page.locator("[data-score]").innerText(), String(await qs.count()));
    await page.goto(ctx.server.url);
    const card = page.locator('[data-quiz-card="consideration-check"] [data-quiz-state]');
    await card.waitFor({ state: "visible" });
    assert.match(await card.innerText(), /合格/);
    await page.goto(new URL("onboarding/", ctx.server.url).href);
    assert.equal(await step.locator("input[data-step]").isChecked(), true, "the passed quiz did not tick its step");
    assertNoScriptErrors(page);
    await page.close();
  });

  test("a playbook's checklist item stays ticked after a reload; clear empties it", { timeout: TEST_MS }, async () => {
    const page = await freshPage();
    await page.goto(new URL("playbooks/hearing/", ctx.server.url).href);
    const boxes = page.locator(".prose input.task-box");
    assert.ok((await boxes.count()) >= 2, "the hearing playbook has no task list");
    assert.equal(await boxes.nth(1).isEnabled(), true, "the task box is still disabled with JavaScript");
    await boxes.nth(1).check();
    await page.reload();
    assert.equal(await page.locator(".prose input.task-box").nth(1).isChecked(), true, "the tick did not survive the reload");
    assert.equal(await page.locator(".prose input.task-box").nth(0).isChecked(), false);
    await page.locator(".checklist-clear").first().click();
    await page.reload();
    assert.equal(await page.locator(".prose input.task-box:checked").count(), 0, "clear left ticks behind");
    assertNoScriptErrors(page);
    await page.close();
  });

  test("axe: the quiz page, answered, in light and dark", { timeout: TEST_MS }, async () => {
    for (const colorScheme of ["light", "dark"]) {
      const page = await freshPage();
      await page.emulateMedia({ colorScheme });
      await page.goto(quizUrl());
      const q1 = page.locator("[data-question]").first();
      const { wrong } = await choicesOf(q1);
      await q1.locator("label").nth(wrong).click();
      await fontsReady(page);
      const bad = (await runAxe(page)).filter((v) => BLOCKING.has(v.impact));
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`), [], `axe on the quiz page (${colorScheme})`);
      await page.close();
    }
  });

  test("screenshots of the quiz page (desktop and phone)", { timeout: TEST_MS }, async () => {
    await ensureDir(SCREENSHOTS);
    for (const [name, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
      const page = await freshPage();
      await page.setViewportSize(viewport);
      await page.goto(quizUrl());
      const q1 = page.locator("[data-question]").first();
      const { wrong } = await choicesOf(q1);
      await q1.locator("label").nth(wrong).click();
      await fontsReady(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, `quiz-${name}.png`), fullPage: false });
      await page.close();
    }
  });
});
