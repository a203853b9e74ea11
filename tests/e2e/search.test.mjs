// Search in the browser: `/` focuses the box; a Japanese word from a playbook's body (not its
// title) finds that playbook, and its result links to it.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";

import { ROOT, TEST_MS, assertNoScriptErrors, pathOf, useBuiltSite } from "./helpers.mjs";

// A word that appears only in the body of content/playbooks/hearing.md.
const PLAYBOOK = "hearing";
const WORD = "率直にお伝え";

describe("search (Chromium)", () => {
  const ctx = useBuiltSite();
  before(async () => {
    const source = readFileSync(path.join(ROOT, "content", "playbooks", `${PLAYBOOK}.md`), "utf8");
    const [, front, body] = source.split(/^\+\+\+\s*$/m);
    assert.ok(body && body.includes(WORD), `content/playbooks/${PLAYBOOK}.md: its body no longer holds «${WORD}»; pick another word for this test`);
    assert.ok(!front.includes(WORD), `«${WORD}» is in the front matter, not only the body`);
  }, { timeout: TEST_MS });

  test("`/` focuses the search box", { timeout: TEST_MS }, async () => {
    const page = await ctx.browser.newPage();
    await page.goto(new URL("stages/consideration/", ctx.server.url).href);
    await page.locator("#tj-search-input").waitFor();
    await page.locator("main h1").click();
    await page.keyboard.press("/");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    assert.equal(focused, "tj-search-input", "`/` did not move the focus to #tj-search-input");
    assert.equal(await page.locator("#tj-search-input").inputValue(), "", "`/` was typed into the box");
    assertNoScriptErrors(page);
  });

  test(`typing «${WORD}» (from a playbook's body) shows a link to that playbook`, { timeout: TEST_MS }, async () => {
    const page = await ctx.browser.newPage();
    await page.goto(ctx.server.url);
    await page.locator("#tj-search-input").waitFor();
    await page.keyboard.press("/");
    await page.keyboard.type(WORD, { delay: 20 });
    const results = page.locator("#tj-search-results");
    await results.waitFor({ state: "visible" }).catch(async () => {
      throw new Error(`typing «${WORD}»: #tj-search-results never became visible (html: ${(await results.innerHTML()).slice(0, 300)})`);
    });
    const link = results.locator(`a[href$="/playbooks/${PLAYBOOK}/"]`);
    await link.first().waitFor().catch(async () => {
      const shown = await results.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      const text = (await results.innerText()).slice(0, 300);
      throw new Error(
        `typing «${WORD}»: no result links to /playbooks/${PLAYBOOK}/; results: ${JSON.stringify(shown)} «${text}»`,
      );
    });
    // The snippet marks the word.
    const marked = await link.first().locator("mark").allInnerTexts();
    assert.ok(
      marked.some((m) => m.includes(WORD) || WORD.includes(m)),
      `the result's snippet does not mark «${WORD}» (marked: ${JSON.stringify(marked)})`,
    );
    await Promise.all([page.waitForURL((u) => u.pathname === `/playbooks/${PLAYBOOK}/`), link.first().click()]);
    assert.equal(pathOf(page), `/playbooks/${PLAYBOOK}/`);
    assert.ok((await page.locator("main").innerText()).includes(WORD.slice(0, 2)), "the playbook page does not hold the word");
    assertNoScriptErrors(page);
  });

  test("Enter goes to the first result; a word found nowhere says so", { timeout: TEST_MS }, async () => {
    const page = await ctx.browser.newPage();
    await page.goto(ctx.server.url);
    const input = page.locator("#tj-search-input");
    await input.fill("存在しない語彙ぴよぴよ");
    const results = page.locator("#tj-search-results");
    await results.locator(".search-none").waitFor();
    assert.equal(await results.locator("a").count(), 0);
    await input.fill(WORD);
    await results.locator("a").first().waitFor();
    const first = await results.locator("a").first().getAttribute("href");
    await Promise.all([page.waitForURL((u) => u.href !== ctx.server.url), input.press("Enter")]);
    assert.equal(new URL(page.url()).pathname, new URL(first, ctx.server.url).pathname);
    assertNoScriptErrors(page);
  });
});
