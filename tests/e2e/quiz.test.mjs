// Knowledge checks and remembered checklists (issue 20), in Chromium: a wrong then a right
// answer shows the verdict and the explanation and survives a reload, "try again" clears
// it, one question at a time or all on one page is the reader's choice (by keyboard,
// remembered), a passed quiz shows on the home page and ticks its onboarding step; a playbook's task
// box survives a reload and "clear" empties it; axe finds nothing moderate or worse on the
// quiz page in light and dark; screenshots of the quiz page at 1366×768 and 390×844.
// Then, on a copy of the sample site in a git repository with dated commits and
// `[history]`: with the browser's clock moved, the entries after the last visit are marked
// new and the older are not, the header counts them, "mark all as read" clears them; axe
// on the history page in light and dark; a page changed after the last visit shows its
// marker and an older one does not (screenshot at 390×844).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import {
  DESKTOP,
  PHONE,
  SCREENSHOTS,
  TABIJI,
  TEST_MS,
  assertNoScriptErrors,
  copySampleSite,
  launchBrowser,
  serveStatic,
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

  test("one question at a time or all on one page: chosen with the keyboard, remembered", { timeout: TEST_MS }, async () => {
    const page = await freshPage();
    await page.goto(quizUrl());
    const qs = page.locator("[data-question]");
    const n = await qs.count();
    assert.ok(n >= 3, "the sample quiz has three questions");
    const shown = async () => {
      const v = [];
      for (let i = 0; i < n; i++) v.push(await qs.nth(i).isVisible());
      return v;
    };
    const only = (k) => Array.from({ length: n }, (_, i) => i === k);
    const mode = (v) => page.locator(`input[name="tj-quiz-mode"][value="${v}"]`);
    const pager = page.locator("[data-quiz-pager]");
    const current = pager.locator("[data-quiz-current]");
    // All on one page by default.
    assert.equal(await mode("all").isChecked(), true);
    assert.deepEqual(await shown(), Array(n).fill(true));
    assert.equal(await pager.isVisible(), false);
    // The keyboard picks one at a time: an arrow key moves within the radio group.
    await mode("all").focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await mode("one").isChecked(), true);
    assert.deepEqual(await shown(), only(0));
    assert.equal(await current.innerText(), "1");
    assert.equal(await pager.locator("[data-quiz-prev]").isDisabled(), true);
    // "Next" with Enter shows the second question and puts the focus in it.
    await pager.locator("[data-quiz-next]").focus();
    await page.keyboard.press("Enter");
    assert.deepEqual(await shown(), only(1));
    assert.equal(await current.innerText(), "2");
    assert.equal(await page.evaluate(() => document.activeElement.closest("[data-question]")?.getAttribute("data-question")), "2");
    await ensureDir(SCREENSHOTS);
    await page.setViewportSize(PHONE);
    await fontsReady(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, "quiz-one-at-a-time-phone.png") });
    await page.setViewportSize(DESKTOP);
    // Remembered after a reload; it starts at the first question not yet answered right.
    await page.reload();
    assert.equal(await mode("one").isChecked(), true);
    assert.deepEqual(await shown(), only(0));
    const { right } = await choicesOf(qs.nth(0));
    await qs.nth(0).locator("label").nth(right).click();
    await page.reload();
    assert.deepEqual(await shown(), only(1));
    assert.equal(await current.innerText(), "2");
    const bad = (await runAxe(page)).filter((v) => BLOCKING.has(v.impact));
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((x) => x.target).join(", ")}`), [], "axe, one at a time");
    // Back to all on one page, remembered too.
    await mode("all").check();
    assert.deepEqual(await shown(), Array(n).fill(true));
    await page.reload();
    assert.deepEqual(await shown(), Array(n).fill(true));
    assert.equal(await pager.isVisible(), false);
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
    // Home: progress at a glance, with the next step.
    await page.goto(ctx.server.url);
    const glance = page.locator("[data-progress-glance]");
    await glance.waitFor({ state: "visible" });
    assert.equal(await glance.locator("[data-steps-done]").innerText(), "1");
    assert.equal(await glance.locator("[data-quizzes-passed]").innerText(), "1");
    assert.match(await glance.locator("[data-next-step]").getAttribute("href"), /onboarding\/#tj-step-1$/);
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

describe("what changed since the last visit (Chromium)", () => {
  const ctx = { src: null, server: null, browser: null };
  // Commit times (UTC seconds) of the three dated commits below.
  const JAN = Date.parse("2026-01-10T01:00:00Z");
  const FEB = Date.parse("2026-02-01T01:00:00Z");
  const MAR = Date.parse("2026-03-02T01:00:00Z");

  function git(dir, date, ...args) {
    const env = {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.com",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.com",
      GIT_AUTHOR_DATE: new Date(date).toISOString(),
      GIT_COMMITTER_DATE: new Date(date).toISOString(),
    };
    const r = spawnSync("git", ["-c", "commit.gpgsign=false", ...args], { cwd: dir, env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  }

  before(async () => {
    ctx.src = await copySampleSite();
    const dir = ctx.src.dir;
    const toml = path.join(dir, "tabiji.toml");
    if (!/^\[history\]/m.test(readFileSync(toml, "utf8"))) appendFileSync(toml, "\n[history]\ncommits = 10\n");
    git(dir, JAN, "init", "-q", "-b", "main");
    git(dir, JAN, "add", "-A");
    git(dir, JAN, "commit", "-q", "-m", "サンプルサイト");
    const hearing = path.join(dir, "content/playbooks/hearing.md");
    writeFileSync(hearing, readFileSync(hearing, "utf8").replace("## ねらい", "## ねらい\n\nまず**課題**を聞く。"));
    git(dir, FEB, "commit", "-q", "-am", "ヒアリングのねらいを補足");
    const glossary = path.join(dir, "content/glossary.toml");
    appendFileSync(glossary, '\n[[terms]]\nterm = "ナーチャリング再開"\ndefinition = "止まったリードに[興味関心](stage:interest)の段階から連絡を再開すること。"\n');
    const demo = path.join(dir, "content/playbooks/demo.md");
    writeFileSync(demo, readFileSync(demo, "utf8").replace("## ねらい", "## ねらい\n\nデモの前日に、先方の参加者をもう一度確かめる。"));
    git(dir, MAR, "commit", "-q", "-am", "用語を追加し、デモの準備を補足");
    const r = spawnSync(TABIJI, ["build", dir, "-o", path.join(dir, "public")], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`tabiji build: ${r.stderr}`);
    ctx.server = await serveStatic(path.join(dir, "public"));
    ctx.browser = await launchBrowser();
  }, { timeout: TEST_MS });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
    await ctx.src?.cleanup();
  }, { timeout: TEST_MS });

  /** A new tab whose clock reads `ms` (Date.now and new Date()). */
  async function at(ms) {
    const page = await ctx.browser.newPage();
    await page.addInitScript((t) => {
      const Real = Date;
      // eslint-disable-next-line no-global-assign
      Date = class extends Real { constructor(...a) { super(...(a.length ? a : [t])); } static now() { return t; } };
    }, ms);
    return page;
  }

  test("entries after the last visit are new, older are not; the header counts them; mark all as read", { timeout: TEST_MS }, async () => {
    const url = new URL("changes/", ctx.server.url).href;
    // First visit between the February and March commits.
    let page = await at(FEB + 86_400_000);
    await page.goto(url);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.close();

    // Back a month later: only the March entry is new.
    page = await at(MAR + 86_400_000);
    await page.goto(url);
    const entries = page.locator(".history-entry");
    assert.equal(await entries.count(), 3);
    const isNew = async (i) => /is-new/.test((await entries.nth(i).getAttribute("class")) || "");
    assert.deepEqual([await isNew(0), await isNew(1), await isNew(2)], [true, false, false]);
    assert.equal(await entries.nth(0).locator("[data-new-badge]").isVisible(), true);
    assert.equal(await entries.nth(1).locator("[data-new-badge]").isVisible(), false);
    const count = page.locator("[data-unread-count]");
    assert.equal(await count.isVisible(), true);
    assert.match(await count.innerText(), /^1\s*件の新着変更/);
    // The new entry names the term and links it; no raw Markdown.
    const first = await entries.nth(0).innerHTML();
    assert.ok(first.includes("ナーチャリング再開") && first.includes("/glossary/#"), first);
    assert.ok(!(await page.content()).includes("](stage:"), "raw Markdown on the page");
    for (const colorScheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme });
      await fontsReady(page);
      const bad = (await runAxe(page)).filter((v) => BLOCKING.has(v.impact));
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`), [], `axe on the history page (${colorScheme})`);
    }
    await page.locator("[data-mark-read]").click();
    assert.equal(await page.locator(".history-entry.is-new").count(), 0, "mark all as read left entries new");
    assert.equal(await count.isVisible(), false);
    assertNoScriptErrors(page);
    await page.close();
  });

  test("a page changed after the last visit carries a marker; an older one does not", { timeout: TEST_MS }, async () => {
    const demo = new URL("playbooks/demo/", ctx.server.url).href;
    const hearing = new URL("playbooks/hearing/", ctx.server.url).href;
    // First visit between the February and March commits.
    let page = await at(FEB + 86_400_000);
    await page.goto(hearing);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    // On the first visit nothing is "changed since the last visit".
    assert.equal(await page.locator("[data-changed-marker]").isVisible(), false);
    await page.close();

    page = await at(MAR + 86_400_000);
    await page.setViewportSize(PHONE);
    // The demo playbook changed in March, after the last visit.
    await page.goto(demo);
    assert.equal(await page.locator("aside.upkeep").getAttribute("data-changed"), String(MAR / 1000));
    const marker = page.locator("[data-changed-marker]");
    await marker.waitFor({ state: "visible" });
    assert.equal((await marker.innerText()).trim(), "前回の訪問以降に更新されています");
    await fontsReady(page);
    const bad = (await runAxe(page)).filter((v) => BLOCKING.has(v.impact));
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`), [], "axe on a page with the marker");
    await ensureDir(SCREENSHOTS);
    await page.screenshot({ path: path.join(SCREENSHOTS, "changed-since-visit-phone.png") });
    // The hearing playbook last changed in February, before the last visit.
    await page.goto(hearing);
    assert.equal(await page.locator("aside.upkeep").getAttribute("data-changed"), String(FEB / 1000));
    assert.equal(await page.locator("[data-changed-marker]").isVisible(), false, "a page older than the last visit is marked");
    // "Mark all as read" on the history page clears the page markers too.
    await page.goto(new URL("changes/", ctx.server.url).href);
    await page.locator("[data-mark-read]").click();
    await page.goto(demo);
    assert.equal(await page.locator("[data-changed-marker]").isVisible(), false, "mark all as read left the page marked");
    assertNoScriptErrors(page);
    await page.close();
  });
});
