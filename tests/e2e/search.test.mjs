// Search in the browser: `/` focuses the box; a Japanese word from a playbook's body (not its
// title) finds that playbook, and its result links to it. On a site large enough for a
// sharded index, a query fetches the entry file and a few of the index's files, not all.

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import {
  ROOT, TEST_MS, assertNoScriptErrors, buildGeneratedSite, launchBrowser, pathOf, serveStatic, useBuiltSite,
} from "./helpers.mjs";

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

describe("search on a sharded index (Chromium)", () => {
  const ctx = { site: null, server: null, browser: null };
  before(async () => {
    ctx.site = await buildGeneratedSite(20);
    ctx.server = await serveStatic(ctx.site.dir);
    ctx.browser = await launchBrowser();
  }, { timeout: TEST_MS });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
    await ctx.site?.cleanup();
  }, { timeout: TEST_MS });

  test("a query fetches the entry file and only the files it needs", { timeout: TEST_MS }, async () => {
    const shards = ["keys", "docs"].map((d) => readdirSync(path.join(ctx.site.dir, "search", d)).length);
    assert.ok(shards[0] > 5 && shards[1] > 5, `a 20-persona site's index is sharded: ${shards}`);
    const page = await ctx.browser.newPage();
    const fetched = [];
    page.on("request", (r) => { if (r.url().includes("/search/")) fetched.push(new URL(r.url()).pathname); });
    await page.goto(ctx.server.url);
    await page.locator("#tj-search-input").fill("稟議");
    const results = page.locator("#tj-search-results");
    await results.locator("a").first().waitFor();
    const links = await results.locator("a").count();
    assert.ok(links > 1, `results for 稟議: ${links}`);
    assert.ok(fetched.includes("/search/index.json"), `the entry file: ${fetched}`);
    const keys = fetched.filter((f) => f.startsWith("/search/keys/")).length;
    const docs = fetched.filter((f) => f.startsWith("/search/docs/")).length;
    assert.ok(keys >= 1 && keys <= 3, `key files fetched: ${keys} of ${shards[0]}`);
    assert.ok(docs >= 1 && docs <= 30, `document files fetched: ${docs} of ${shards[1]}`);
    // A second query reuses what is there: 稟議 again fetches nothing.
    const count = fetched.length;
    await page.locator("#tj-search-input").fill("");
    await results.waitFor({ state: "hidden" });
    await page.locator("#tj-search-input").fill("稟議");
    await results.locator("a").first().waitFor();
    assert.equal(fetched.length, count, `fetched again: ${fetched.slice(count)}`);
    assertNoScriptErrors(page);
  });
});
